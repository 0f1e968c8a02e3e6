/* herald-migrations.h: the database schema, as numbered migrations
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>
#include <glib.h>

G_BEGIN_DECLS

/* The schema version this build writes (PRAGMA user_version). */
int      _herald_migrations_latest_version (void);

/* Brings @db up to the latest version, each migration in its own
 * transaction; does nothing when it is already there. Fails with
 * HERALD_STORE_ERROR_TOO_NEW for a database from a newer Herald. */
gboolean _herald_migrations_run            (sqlite3  *db,
                                            GError  **error);

G_END_DECLS
