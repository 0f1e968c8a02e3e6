/* herald-relay-db.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <sqlite3.h>

#include "herald-relay-db.h"

/* The relay's own small database: one table of received webhook POSTs. It is
 * used from one thread (the relay's main context) and its commits are short. */

#define SCHEMA_VERSION 1

struct _HeraldRelayDb
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  sqlite3_stmt *insert_stmt;
  sqlite3_stmt *list_stmt;
};

G_DEFINE_FINAL_TYPE (HeraldRelayDb, herald_relay_db, G_TYPE_OBJECT)

G_DEFINE_QUARK (herald-relay-db-error-quark, herald_relay_db_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

void
herald_relay_event_free (HeraldRelayEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->signature);
  g_clear_pointer (&event->body, g_bytes_unref);
  g_free (event);
}

static gboolean
set_db_error (HeraldRelayDb  *self,
              const char     *what,
              GError        **error)
{
  g_set_error (error, HERALD_RELAY_DB_ERROR, HERALD_RELAY_DB_ERROR_FAILED,
               /* Translators: the first %s is an action ("storing an event"), the second
                * the database file, the third SQLite's own message */
               _("Relay database error while %s in “%s”: %s"),
               what, self->path, self->db ? sqlite3_errmsg (self->db) : _("out of memory"));
  return FALSE;
}

static gboolean
exec_sql (HeraldRelayDb  *self,
          const char     *sql,
          const char     *what,
          GError        **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (self, what, error);
  return TRUE;
}

static void
rollback (HeraldRelayDb *self)
{
  /* Nothing more to do if even this fails: the transaction is abandoned when
   * the connection closes. */
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
prepare (HeraldRelayDb  *self,
         const char     *sql,
         unsigned int    flags,
         sqlite3_stmt  **stmt,
         GError        **error)
{
  if (sqlite3_prepare_v3 (self->db, sql, -1, flags, stmt, NULL) != SQLITE_OK)
    return set_db_error (self, _("preparing a query"), error);
  return TRUE;
}

static gint64
query_int (HeraldRelayDb  *self,
           const char     *sql,
           gint64          fallback,
           GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!prepare (self, sql, 0, &stmt, error))
    return -1;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    return fallback;

  set_db_error (self, _("reading"), error);
  return -1;
}

/* WAL with synchronous=FULL: the 200 we send Meta means "stored", and Meta
 * never sends that POST again, so each commit must reach the disk before we
 * answer. NORMAL would survive a crash of the relay, but not of the machine
 * (power loss can drop the last commits of the WAL). */
static gboolean
configure (HeraldRelayDb  *self,
           GError        **error)
{
  gint64 version;

  sqlite3_busy_timeout (self->db, 5000);

  if (!exec_sql (self, "PRAGMA journal_mode=WAL", _("enabling write-ahead logging"), error) ||
      !exec_sql (self, "PRAGMA synchronous=FULL", _("configuring durability"), error))
    return FALSE;

  version = query_int (self, "PRAGMA user_version", 0, error);
  if (version < 0)
    return FALSE;

  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, HERALD_RELAY_DB_ERROR, HERALD_RELAY_DB_ERROR_TOO_NEW,
                   _("The relay database “%s” has schema version %" PRId64
                     ", newer than this herald-relay understands (%d)"),
                   self->path, version, SCHEMA_VERSION);
      return FALSE;
    }

  if (version < 1)
    {
      /* seq is AUTOINCREMENT so that a number is never handed out twice, even
       * after a purge emptied the table: the desktop's cursor relies on it. */
      if (!exec_sql (self, "BEGIN IMMEDIATE", _("creating the tables"), error))
        return FALSE;
      if (!exec_sql (self,
                     "CREATE TABLE events ("
                     "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                     "  received_at INTEGER NOT NULL," /* µs since the Unix epoch, UTC */
                     "  signature TEXT,"
                     "  body BLOB NOT NULL);"
                     "CREATE INDEX events_received_at ON events (received_at);"
                     "PRAGMA user_version = 1;",
                     _("creating the tables"), error) ||
          !exec_sql (self, "COMMIT", _("creating the tables"), error))
        {
          rollback (self);
          return FALSE;
        }
    }

  return prepare (self,
                  "INSERT INTO events (received_at, signature, body) VALUES (?1, ?2, ?3)",
                  SQLITE_PREPARE_PERSISTENT, &self->insert_stmt, error) &&
         prepare (self,
                  "SELECT seq, received_at, signature, body FROM events"
                  " WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                  SQLITE_PREPARE_PERSISTENT, &self->list_stmt, error);
}

/**
 * herald_relay_db_open:
 * @path: the database file; created with its tables when missing
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the opened database, or %NULL with @error set
 */
HeraldRelayDb *
herald_relay_db_open (const char  *path,
                      GError     **error)
{
  g_autoptr(HeraldRelayDb) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HERALD_TYPE_RELAY_DB, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_db_error (self, _("opening"), error);
      return NULL;
    }

  if (!configure (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * herald_relay_db_append:
 * @self: a #HeraldRelayDb
 * @body: the raw request body
 * @body_len: its length in bytes
 * @signature: (nullable): the X-Hub-Signature-256 header as received
 * @received_at_us: when it arrived, in microseconds since the Unix epoch
 * @out_seq: (out) (optional): the sequence number it was given
 * @error: return location for a #GError
 *
 * Stores one event and returns once the commit is on disk.
 *
 * Returns: %TRUE on success
 */
gboolean
herald_relay_db_append (HeraldRelayDb  *self,
                        const guint8   *body,
                        gsize           body_len,
                        const char     *signature,
                        gint64          received_at_us,
                        gint64         *out_seq,
                        GError        **error)
{
  sqlite3_stmt *stmt;
  gint64 seq;
  int rc;

  g_return_val_if_fail (HERALD_IS_RELAY_DB (self), FALSE);
  g_return_val_if_fail (body != NULL || body_len == 0, FALSE);
  g_return_val_if_fail (body_len <= G_MAXINT, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!exec_sql (self, "BEGIN IMMEDIATE", _("storing an event"), error))
    return FALSE;

  stmt = self->insert_stmt;
  sqlite3_bind_int64 (stmt, 1, received_at_us);
  if (signature != NULL)
    sqlite3_bind_text (stmt, 2, signature, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 2);
  /* A zero-length blob must still be non-NULL for the NOT NULL column. */
  sqlite3_bind_blob (stmt, 3, body_len > 0 ? (const void *) body : "", (int) body_len, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  seq = sqlite3_last_insert_rowid (self->db);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE)
    {
      set_db_error (self, _("storing an event"), error);
      rollback (self);
      return FALSE;
    }

  if (!exec_sql (self, "COMMIT", _("storing an event"), error))
    {
      rollback (self);
      return FALSE;
    }

  if (out_seq != NULL)
    *out_seq = seq;
  return TRUE;
}

/**
 * herald_relay_db_list_after:
 * @self: a #HeraldRelayDb
 * @after_seq: list events with a greater sequence number
 * @limit: at most this many
 * @max_body_bytes: stop before the bodies add up to more than this, though
 *   the first event is always included
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type HeraldRelayEvent): the events in
 *   sequence order, or %NULL with @error set
 */
GPtrArray *
herald_relay_db_list_after (HeraldRelayDb  *self,
                            gint64          after_seq,
                            guint           limit,
                            gsize           max_body_bytes,
                            GError        **error)
{
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *stmt;
  gsize total = 0;
  int rc;

  g_return_val_if_fail (HERALD_IS_RELAY_DB (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_relay_event_free);
  stmt = self->list_stmt;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeraldRelayEvent *event;
      gsize len = (gsize) sqlite3_column_bytes (stmt, 3);
      const char *signature;

      if (events->len > 0 && total + len > max_body_bytes)
        {
          rc = SQLITE_DONE;
          break;
        }
      total += len;

      event = g_new0 (HeraldRelayEvent, 1);
      event->seq = sqlite3_column_int64 (stmt, 0);
      event->received_at_us = sqlite3_column_int64 (stmt, 1);
      signature = (const char *) sqlite3_column_text (stmt, 2);
      event->signature = g_strdup (signature);
      event->body = g_bytes_new (sqlite3_column_blob (stmt, 3), len);
      g_ptr_array_add (events, event);
    }

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE)
    {
      set_db_error (self, _("reading events"), error);
      return NULL;
    }

  return g_steal_pointer (&events);
}

/**
 * herald_relay_db_count:
 *
 * Returns: the number of stored events, or -1 with @error set
 */
gint64
herald_relay_db_count (HeraldRelayDb  *self,
                       GError        **error)
{
  g_return_val_if_fail (HERALD_IS_RELAY_DB (self), -1);

  return query_int (self, "SELECT count(*) FROM events", 0, error);
}

/**
 * herald_relay_db_get_last_seq:
 *
 * Returns: the last sequence number ever handed out (0 when none), even if
 *   that event was purged since; -1 with @error set on failure
 */
gint64
herald_relay_db_get_last_seq (HeraldRelayDb  *self,
                              GError        **error)
{
  g_return_val_if_fail (HERALD_IS_RELAY_DB (self), -1);

  return query_int (self, "SELECT seq FROM sqlite_sequence WHERE name = 'events'", 0, error);
}

/**
 * herald_relay_db_purge_before:
 * @before_us: drop events received before this time (µs since the Unix epoch)
 *
 * Returns: how many events were dropped, or -1 with @error set
 */
gint64
herald_relay_db_purge_before (HeraldRelayDb  *self,
                              gint64          before_us,
                              GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 changes;

  g_return_val_if_fail (HERALD_IS_RELAY_DB (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!prepare (self, "DELETE FROM events WHERE received_at < ?1", 0, &stmt, error))
    return -1;

  if (!exec_sql (self, "BEGIN IMMEDIATE", _("purging old events"), error))
    return -1;

  sqlite3_bind_int64 (stmt, 1, before_us);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, _("purging old events"), error);
      rollback (self);
      return -1;
    }
  changes = sqlite3_changes64 (self->db);

  if (!exec_sql (self, "COMMIT", _("purging old events"), error))
    {
      rollback (self);
      return -1;
    }

  return changes;
}

static void
herald_relay_db_finalize (GObject *object)
{
  HeraldRelayDb *self = (HeraldRelayDb *) object;

  g_clear_pointer (&self->insert_stmt, sqlite3_finalize);
  g_clear_pointer (&self->list_stmt, sqlite3_finalize);
  /* Closing the last connection checkpoints the WAL into the main file. */
  g_clear_pointer (&self->db, sqlite3_close);
  g_free (self->path);

  G_OBJECT_CLASS (herald_relay_db_parent_class)->finalize (object);
}

static void
herald_relay_db_class_init (HeraldRelayDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = herald_relay_db_finalize;
}

static void
herald_relay_db_init (HeraldRelayDb *self)
{
}
