/* herald-test-utils.h: helpers shared by Herald's tests
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-sim-server.h"
#include "herald-store.h"

G_BEGIN_DECLS

/* A program the test started, such as herald-sim or herald-relay, that printed
 * "listening on URL" as its first line. */
typedef struct _HeraldTestServer HeraldTestServer;

char             *herald_test_program_path    (const char        *name);
char             *herald_test_data_path       (const char        *name);
char             *herald_test_tmp_dir         (void);
HeraldTestServer *herald_test_server_start    (const char *const *argv,
                                               GError           **error);
const char       *herald_test_server_get_url  (HeraldTestServer  *server);
GPid              herald_test_server_get_pid  (HeraldTestServer  *server);
void              herald_test_server_stop     (HeraldTestServer  *server);
gboolean          herald_test_spawn_sync      (const char *const *argv,
                                               const char        *stdin_text,
                                               char             **stdout_text,
                                               char             **stderr_text,
                                               int               *exit_status);
void              herald_test_sim_control     (HeraldSimServer   *sim,
                                               const char        *json);
gint64            herald_test_sim_stat        (HeraldSimServer   *sim,
                                               const char        *name);
gint64            herald_test_make_campaign   (HeraldStore       *store,
                                               guint              n_messages);
void              herald_test_wait_until      (gboolean         (*predicate) (gpointer data),
                                               gpointer            data,
                                               guint               timeout_ms);

/* SQL straight on a store's connection, for setting up and checking what the
 * API under test does not show; each fails the test when SQLite refuses. */
void              herald_test_store_exec      (HeraldStore       *store,
                                               const char        *sql);
gint64            herald_test_store_query_int (HeraldStore       *store,
                                               const char        *sql,
                                               const char        *arg);
char             *herald_test_store_query_text (HeraldStore       *store,
                                                const char        *sql,
                                                const char        *arg);
char             *herald_test_store_query_text_for_id (HeraldStore *store,
                                                       const char  *sql,
                                                       gint64       id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldTestServer, herald_test_server_stop)

G_END_DECLS
