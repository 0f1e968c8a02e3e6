/* herald-store-private.h: what other libherald modules share with the store
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "herald-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* A statement from _herald_store_prepare_cached (): the store owns it, so the
 * cleanup only resets it and clears its bindings, ready for the next user. */
typedef sqlite3_stmt HeraldStoreStmt;

void          _herald_store_stmt_release          (HeraldStoreStmt  *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldStoreStmt, _herald_store_stmt_release)

sqlite3      *herald_store_get_db                 (HeraldStore      *self);

/* Prepared once (SQLITE_PREPARE_PERSISTENT) per SQL text and kept for the
 * store's lifetime. Use as g_autoptr(HeraldStoreStmt), which resets it. */
sqlite3_stmt *_herald_store_prepare_cached        (HeraldStore      *self,
                                                   const char       *sql,
                                                   GError          **error);

/* Sets @error from SQLite's last error on @db, mapping result codes to
 * HeraldStoreError; @what says what was being done, for people. */
void          _herald_store_set_error             (sqlite3          *db,
                                                   int               rc,
                                                   const char       *what,
                                                   GError          **error);

/* Binds @text to parameter @index of @stmt (copied), or NULL when @text is
 * NULL. */
void          _herald_store_bind_text             (sqlite3_stmt     *stmt,
                                                   int               index,
                                                   const char       *text);

/* Steps @stmt once: TRUE on a row or the end, else FALSE with @error saying
 * what failed while doing @what (for people). */
gboolean      _herald_store_step                  (HeraldStore      *self,
                                                   sqlite3_stmt     *stmt,
                                                   const char       *what,
                                                   GError          **error);

/* A write that may run inside a caller's transaction: begins one only when
 * none is open (*owned then says so), and _end commits or rolls back only
 * what _begin began. */
gboolean      _herald_store_write_begin           (HeraldStore      *self,
                                                   gboolean         *owned,
                                                   GError          **error);
gboolean      _herald_store_write_end             (HeraldStore      *self,
                                                   gboolean          owned,
                                                   gboolean          success,
                                                   GError          **error);

/* Replaces *@field by a copy of @value; returns whether it changed, for the
 * row objects' setters (g_set_str is GLib 2.76). */
static inline gboolean
_herald_set_str (char       **field,
                 const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* A contact's fields as the store keeps them, borrowed from the caller:
 * @mobile_number already in E.164 (herald_phone_normalize ()), @attributes a
 * JSON object's text or NULL for none, the opted-out and active fields used
 * only for a new contact. */
typedef struct
{
  const char *name;
  const char *mobile_number;
  const char *email;
  const char *notes;
  gboolean    is_active;
  gboolean    opted_out;
  const char *opted_out_reason;
  const char *opted_out_at;
  const char *attributes;
} HeraldContactFields;

gboolean      _herald_store_upsert_contact_fields (HeraldStore                *self,
                                                   const HeraldContactFields  *fields,
                                                   gboolean                   *created,
                                                   GError                    **error);

/* Returns: (transfer full): where the database lives when no path is
 * given: $XDG_DATA_HOME/herald/herald.db. */
char         *_herald_store_default_path          (void);

/* The current time as stored: ISO-8601 UTC with milliseconds. */
char         *_herald_store_timestamp             (GDateTime        *when);

G_END_DECLS
