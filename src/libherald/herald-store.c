/* herald-store.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <errno.h>
#include <string.h>

#include "herald-migrations.h"
#include "herald-phone.h"
#include "herald-store-private.h"

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

struct _HeraldStore
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  /* SQL text → sqlite3_stmt, prepared once */
  GHashTable *statements;
  /* The last one handed out: loops ask for the same statement again and
   * again, and comparing its text beats hashing a long query each time. */
  sqlite3_stmt *last_statement;
  /* store_now (): the time and its millisecond */
  char *now;
  gint64 now_ms;
};

G_DEFINE_FINAL_TYPE (HeraldStore, herald_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (herald-store-error-quark, herald_store_error)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
herald_store_finalize (GObject *object)
{
  HeraldStore *self = (HeraldStore *)object;

  /* Statements first: a connection with live statements does not close. */
  self->last_statement = NULL;
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      int rc = sqlite3_close (self->db);

      if (rc != SQLITE_OK)
        g_warning ("Could not close the database %s: %s", self->path, sqlite3_errstr (rc));
      self->db = NULL;
    }
  g_free (self->path);
  g_free (self->now);

  G_OBJECT_CLASS (herald_store_parent_class)->finalize (object);
}

static void
herald_store_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HeraldStore *self = HERALD_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_store_class_init (HeraldStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = herald_store_finalize;
  object_class->get_property = herald_store_get_property;

  /** The database file. */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_store_init (HeraldStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}

/* Helpers shared with other modules (herald-store-private.h) */

void
_herald_store_set_error (sqlite3     *db,
                         int          rc,
                         const char  *what,
                         GError     **error)
{
  HeraldStoreError code;
  const char *detail;

  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        code = HERALD_STORE_ERROR_IN_USE;
      else if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        code = HERALD_STORE_ERROR_CONSTRAINT;
      else
        code = HERALD_STORE_ERROR_INVALID;
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = HERALD_STORE_ERROR_BUSY;
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = HERALD_STORE_ERROR_CORRUPT;
      break;

    default:
      code = HERALD_STORE_ERROR_FAILED;
    }

  /* The connection's message is about the last call on it only when that
   * call is the one that failed. */
  detail = db != NULL && sqlite3_extended_errcode (db) == rc ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  g_set_error (error, HERALD_STORE_ERROR, code, _("Could not %s: %s"), what, detail);
}

void
_herald_store_stmt_release (HeraldStoreStmt *stmt)
{
  /* reset () repeats the last step's error, which the caller has handled. */
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

sqlite3 *
herald_store_get_db (HeraldStore *self)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);
  return self->db;
}

sqlite3_stmt *
_herald_store_prepare_cached (HeraldStore  *self,
                              const char   *sql,
                              GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (self->last_statement != NULL && strcmp (sqlite3_sql (self->last_statement), sql) == 0)
    stmt = self->last_statement;
  else
    stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      _herald_store_stmt_release (stmt);
      self->last_statement = stmt;
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      /* A bad statement is a programmer mistake, but not worth a crash. */
      g_critical ("Could not prepare “%s”: %s", sql, sqlite3_errmsg (self->db));
      _herald_store_set_error (self->db, rc, _("prepare a database query"), error);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  self->last_statement = stmt;
  return stmt;
}

static gboolean
exec_simple (HeraldStore  *self,
             const char   *sql,
             const char   *what,
             GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (self, sql, error);

  return stmt != NULL && _herald_store_step (self, stmt, what, error);
}

gboolean
herald_store_begin (HeraldStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);

  return exec_simple (self, "BEGIN IMMEDIATE", _("start a transaction"), error);
}

/* Whether contact changes wait in contacts_search_pending for
 * apply_search_changes (); FALSE with @error set on failure. */
static gboolean
search_changes_pending (HeraldStore  *self,
                        gboolean     *pending,
                        GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  stmt = _herald_store_prepare_cached (self, "SELECT 1 FROM contacts_search_pending LIMIT 1", error);
  if (stmt == NULL || !_herald_store_step (self, stmt, _("read the contact search index"), error))
    return FALSE;

  *pending = sqlite3_data_count (stmt) > 0;
  return TRUE;
}

/* Folds the contact changes the triggers queued into the search index, in
 * order and in one statement (herald-migrations.c says why), within the
 * current transaction. */
static gboolean
apply_search_changes (HeraldStore  *self,
                      GError      **error)
{
  gboolean pending;

  if (!search_changes_pending (self, &pending, error))
    return FALSE;
  if (!pending)
    return TRUE;

  return exec_simple (self,
                      "INSERT INTO contacts_search (contacts_search, rowid, name, mobile_number, email)"
                      " SELECT command, id, name, mobile_number, email FROM contacts_search_pending"
                      " ORDER BY seq",
                      _("update the contact search index"), error) &&
         exec_simple (self, "DELETE FROM contacts_search_pending",
                      _("update the contact search index"), error);
}

/* Changes written without the store (by another SQLite client) wait in the
 * queue until a commit: fold them in at once. */
static gboolean
apply_search_changes_left (HeraldStore  *self,
                           GError      **error)
{
  gboolean pending;

  if (!search_changes_pending (self, &pending, error))
    return FALSE;

  return !pending ||
         (herald_store_begin (self, error) && _herald_store_write_end (self, TRUE, TRUE, error));
}

gboolean
herald_store_commit (HeraldStore  *self,
                     GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);

  return apply_search_changes (self, error) &&
         exec_simple (self, "COMMIT", _("save changes"), error);
}

gboolean
herald_store_rollback (HeraldStore  *self,
                       GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);

  /* SQLite rolls back by itself after some errors (SQLITE_FULL, IOERR). */
  if (sqlite3_get_autocommit (self->db))
    return TRUE;

  return exec_simple (self, "ROLLBACK", _("undo changes"), error);
}

gboolean
_herald_store_write_begin (HeraldStore  *self,
                           gboolean     *owned,
                           GError      **error)
{
  *owned = sqlite3_get_autocommit (self->db) != 0;

  return !*owned || herald_store_begin (self, error);
}

gboolean
_herald_store_write_end (HeraldStore  *self,
                         gboolean      owned,
                         gboolean      success,
                         GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!owned)
    return success;

  if (success)
    {
      if (herald_store_commit (self, error))
        return TRUE;
    }

  if (!herald_store_rollback (self, &local_error))
    g_warning ("%s", local_error->message);

  return FALSE;
}

char *
_herald_store_timestamp (GDateTime *when)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *seconds = NULL;

  if (when == NULL)
    when = now = g_date_time_new_now_utc ();

  utc = g_date_time_to_utc (when);
  seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
}

/* Now, as _herald_store_timestamp () gives it, made once per millisecond:
 * an import stamps about a hundred rows in each, and formatting the time
 * for every row (strftime in SQL) cost more than any column. */
static const char *
store_now (HeraldStore *self)
{
  gint64 now_ms = g_get_real_time () / 1000;

  if (self->now == NULL || now_ms != self->now_ms)
    {
      g_autoptr(GDateTime) second = g_date_time_new_from_unix_utc (now_ms / 1000);
      g_autoptr(GDateTime) when = g_date_time_add (second, now_ms % 1000 * 1000);

      g_free (self->now);
      self->now = _herald_store_timestamp (when);
      self->now_ms = now_ms;
    }

  return self->now;
}

/* Opening */

char *
_herald_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "herald", "herald.db", NULL);
}

static gboolean
apply_pragmas (sqlite3  *db,
               GError  **error)
{
  static const char * const pragmas[] = {
    /* Readers (the UI) never wait for the writer (the campaign engine). */
    "PRAGMA journal_mode = WAL",
    /* Safe with WAL: a power cut may lose the last commits, never corrupt. */
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pragmas); i++)
    {
      int rc = sqlite3_exec (db, pragmas[i], NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        {
          _herald_store_set_error (db, rc, _("set up the database"), error);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * herald_store_new:
 * @path: (nullable): the database file, or NULL for
 *   $XDG_DATA_HOME/herald/herald.db (its directory is created)
 *
 * Opens the database, creating it and bringing its schema up to date.
 */
HeraldStore *
herald_store_new (const char  *path,
                  GError     **error)
{
  g_autoptr(HeraldStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  self = g_object_new (HERALD_TYPE_STORE, NULL);
  self->path = path != NULL ? g_strdup (path) : _herald_store_default_path ();

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_FAILED,
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  /* NOMUTEX: one thread at a time uses the connection, by contract. */
  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf (_("open the database %s"), self->path);

      _herald_store_set_error (self->db, rc, what, error);
      return NULL;
    }

  if (!apply_pragmas (self->db, error) ||
      !_herald_migrations_run (self->db, error) ||
      !apply_search_changes_left (self, error))
    {
      g_prefix_error (error, "%s: ", self->path);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
herald_store_get_path (HeraldStore *self)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);
  return self->path;
}

/* Statement helpers */

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

void
_herald_store_bind_text (sqlite3_stmt *stmt,
                         int           index,
                         const char   *text)
{
  /* Binding only fails for a bad index or out of memory: programmer
   * mistakes, and the step that follows reports them anyway. */
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Steps a statement that returns at most one row: TRUE with *found set, or
 * FALSE with @error set. */
static gboolean
step_row (HeraldStore   *self,
          sqlite3_stmt  *stmt,
          gboolean      *found,
          const char    *what,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    {
      *found = rc == SQLITE_ROW;
      return TRUE;
    }

  _herald_store_set_error (self->db, rc, what, error);
  return FALSE;
}

gboolean
_herald_store_step (HeraldStore   *self,
                    sqlite3_stmt  *stmt,
                    const char    *what,
                    GError       **error)
{
  gboolean found;

  return step_row (self, stmt, &found, what, error);
}

static void
set_not_found (GError     **error,
               const char  *message)
{
  g_set_error_literal (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND, message);
}

/* Steps a statement that must return one row: TRUE on it, else FALSE with
 * @error set, to @not_found when there was none. */
static gboolean
step_one (HeraldStore   *self,
          sqlite3_stmt  *stmt,
          const char    *what,
          const char    *not_found,
          GError       **error)
{
  gboolean found;

  if (!step_row (self, stmt, &found, what, error))
    return FALSE;
  if (!found)
    {
      set_not_found (error, not_found);
      return FALSE;
    }

  return TRUE;
}

/* Steps a statement that must change a row: FALSE with @error set to
 * @not_found when it changed none. */
static gboolean
step_change (HeraldStore   *self,
             sqlite3_stmt  *stmt,
             const char    *what,
             const char    *not_found,
             GError       **error)
{
  if (!_herald_store_step (self, stmt, what, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      set_not_found (error, not_found);
      return FALSE;
    }

  return TRUE;
}

typedef gpointer (*RowReader) (sqlite3_stmt *stmt);

/* Returns: (transfer container): an object made by @reader for each row
 * of @stmt, or NULL with @error set. */
static GPtrArray *
read_rows (HeraldStore   *self,
           sqlite3_stmt  *stmt,
           RowReader      reader,
           guint          reserve,
           const char    *what,
           GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_full (reserve, g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, reader (stmt));

  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (self->db, rc, what, error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* When @error is a unique-constraint failure, words it as @message (which
 * names the field and the value) instead of SQLite's text. */
static void
reword_constraint_error (GError     **error,
                         const char  *message)
{
  if (g_error_matches (*error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_CONSTRAINT))
    {
      g_clear_error (error);
      g_set_error_literal (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_CONSTRAINT, message);
    }
}

typedef gboolean (*RowWrite) (HeraldStore  *self,
                              gint64        id,
                              GError      **error);

/* Runs @write on row @id in its own transaction, or in the caller's. */
static gboolean
write_row (HeraldStore  *self,
           RowWrite      write,
           gint64        id,
           GError      **error)
{
  gboolean owned;
  gboolean ok;

  if (!_herald_store_write_begin (self, &owned, error))
    return FALSE;
  ok = write (self, id, error);
  return _herald_store_write_end (self, owned, ok, error);
}

static const char *
empty_to_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static gboolean
has_text (const char *text)
{
  if (text == NULL)
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

/* Settings */

/**
 * herald_store_get_setting:
 *
 * Returns: (nullable): the value of @key, or NULL without an error when it
 * was never set.
 */
char *
herald_store_get_setting (HeraldStore  *self,
                          const char   *key,
                          GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  gboolean found;

  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = _herald_store_prepare_cached (self, "SELECT value FROM settings WHERE key = ?", error);
  if (stmt == NULL)
    return NULL;

  _herald_store_bind_text (stmt, 1, key);
  if (!step_row (self, stmt, &found, _("read a setting"), error) || !found)
    return NULL;

  return g_strdup (column_text (stmt, 0));
}

/* Sets @key to @value, or forgets it when @value is NULL. */
gboolean
herald_store_set_setting (HeraldStore  *self,
                          const char   *key,
                          const char   *value,
                          GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value != NULL)
    stmt = _herald_store_prepare_cached (self,
                                         "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                                         " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                         error);
  else
    stmt = _herald_store_prepare_cached (self, "DELETE FROM settings WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;

  _herald_store_bind_text (stmt, 1, key);
  if (value != NULL)
    _herald_store_bind_text (stmt, 2, value);

  return _herald_store_step (self, stmt, _("save a setting"), error);
}

/* Business profile: one row, the first. */

#define PROFILE_COLUMNS \
  "id, business_name, whatsapp_business_id, app_id, phone_number_id, created_at, updated_at"

HeraldBusinessProfile *
herald_store_get_business_profile (HeraldStore  *self,
                                   GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  HeraldBusinessProfile *profile;

  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);

  stmt = _herald_store_prepare_cached (self,
                                       "SELECT " PROFILE_COLUMNS " FROM business_profiles"
                                       " ORDER BY id LIMIT 1",
                                       error);
  if (stmt == NULL ||
      !step_one (self, stmt, _("read the business profile"),
                 _("No business profile has been set up yet"), error))
    return NULL;

  profile = herald_business_profile_new (column_text (stmt, 1));
  herald_business_profile_set_id (profile, sqlite3_column_int64 (stmt, 0));
  herald_business_profile_set_whatsapp_business_id (profile, column_text (stmt, 2));
  herald_business_profile_set_app_id (profile, column_text (stmt, 3));
  herald_business_profile_set_phone_number_id (profile, column_text (stmt, 4));
  herald_business_profile_set_created_at (profile, column_text (stmt, 5));
  herald_business_profile_set_updated_at (profile, column_text (stmt, 6));
  return profile;
}

static gboolean
save_business_profile_row (HeraldStore            *self,
                           HeraldBusinessProfile  *profile,
                           GError                **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  gint64 id = herald_business_profile_get_id (profile);
  gboolean found;

  if (id == 0)
    {
      g_autoptr(HeraldStoreStmt) first = NULL;

      first = _herald_store_prepare_cached (self, "SELECT id FROM business_profiles ORDER BY id LIMIT 1", error);
      if (first == NULL ||
          !step_row (self, first, &found, _("read the business profile"), error))
        return FALSE;
      if (found)
        id = sqlite3_column_int64 (first, 0);
    }

  if (id == 0)
    stmt = _herald_store_prepare_cached (self,
                                         "INSERT INTO business_profiles (business_name,"
                                         " whatsapp_business_id, app_id, phone_number_id,"
                                         " created_at, updated_at)"
                                         " VALUES (?1, ?2, ?3, ?4, " NOW_SQL ", " NOW_SQL ")"
                                         " RETURNING id, created_at, updated_at",
                                         error);
  else
    stmt = _herald_store_prepare_cached (self,
                                         "UPDATE business_profiles SET business_name = ?1,"
                                         " whatsapp_business_id = ?2, app_id = ?3,"
                                         " phone_number_id = ?4, updated_at = " NOW_SQL
                                         " WHERE id = ?5"
                                         " RETURNING id, created_at, updated_at",
                                         error);
  if (stmt == NULL)
    return FALSE;

  _herald_store_bind_text (stmt, 1, herald_business_profile_get_business_name (profile));
  _herald_store_bind_text (stmt, 2, empty_to_null (herald_business_profile_get_whatsapp_business_id (profile)));
  _herald_store_bind_text (stmt, 3, empty_to_null (herald_business_profile_get_app_id (profile)));
  _herald_store_bind_text (stmt, 4, empty_to_null (herald_business_profile_get_phone_number_id (profile)));
  if (id != 0)
    sqlite3_bind_int64 (stmt, 5, id);

  if (!step_one (self, stmt, _("save the business profile"),
                 _("The business profile was deleted meanwhile"), error))
    return FALSE;

  herald_business_profile_set_id (profile, sqlite3_column_int64 (stmt, 0));
  herald_business_profile_set_created_at (profile, column_text (stmt, 1));
  herald_business_profile_set_updated_at (profile, column_text (stmt, 2));
  return TRUE;
}

/* Saves @profile as the one business profile: a profile with id 0 replaces
 * the existing one's values, if there is one. */
gboolean
herald_store_save_business_profile (HeraldStore            *self,
                                    HeraldBusinessProfile  *profile,
                                    GError                **error)
{
  gboolean owned;
  gboolean ok;

  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);
  g_return_val_if_fail (HERALD_IS_BUSINESS_PROFILE (profile), FALSE);

  if (!has_text (herald_business_profile_get_business_name (profile)))
    {
      g_set_error_literal (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID,
                           _("Business name: enter the name of the business"));
      return FALSE;
    }

  if (!_herald_store_write_begin (self, &owned, error))
    return FALSE;
  ok = save_business_profile_row (self, profile, error);
  return _herald_store_write_end (self, owned, ok, error);
}

/* Validation */

static gboolean
invalid (GError     **error,
         const char  *field,
         const char  *problem)
{
  /* "Field: problem", so the UI can show it next to the field. */
  g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID, "%s: %s", field, problem);
  return FALSE;
}

static char *
normalize_phone (const char  *field,
                 const char  *number,
                 GError     **error)
{
  g_autoptr(GError) phone_error = NULL;
  char *normalized;

  /* No default region: the store takes full international numbers only;
   * the importer and the UI apply the user's region before. */
  normalized = herald_phone_normalize (number != NULL ? number : "", NULL, &phone_error);
  if (normalized == NULL)
    invalid (error, field, phone_error->message);

  return normalized;
}

static gboolean
is_json_object (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  /* Most contacts have no custom fields; skip the parser for them. */
  if (g_strcmp0 (text, "{}") == 0)
    return TRUE;

  parser = json_parser_new_immutable ();
  return text != NULL &&
         json_parser_load_from_data (parser, text, -1, NULL) &&
         (root = json_parser_get_root (parser)) != NULL &&
         JSON_NODE_HOLDS_OBJECT (root);
}

/* Numbers */

#define NUMBER_COLUMNS \
  "id, phone_number_id, phone_number, display_name, is_active, verified_at," \
  " verified_name, quality_rating, throughput_level, messaging_limit_tier," \
  " messages_per_second, is_sandbox, created_at, updated_at"

static HeraldNumber *
number_from_row (sqlite3_stmt *stmt)
{
  HeraldNumber *number = herald_number_new (column_text (stmt, 1), column_text (stmt, 2));

  herald_number_set_id (number, sqlite3_column_int64 (stmt, 0));
  herald_number_set_display_name (number, column_text (stmt, 3));
  herald_number_set_is_active (number, sqlite3_column_int (stmt, 4));
  herald_number_set_verified_at (number, column_text (stmt, 5));
  herald_number_set_verified_name (number, column_text (stmt, 6));
  herald_number_set_quality_rating (number, column_text (stmt, 7));
  herald_number_set_throughput_level (number, column_text (stmt, 8));
  herald_number_set_messaging_limit_tier (number, column_text (stmt, 9));
  herald_number_set_messages_per_second (number, sqlite3_column_int (stmt, 10));
  herald_number_set_is_sandbox (number, sqlite3_column_int (stmt, 11));
  herald_number_set_created_at (number, column_text (stmt, 12));
  herald_number_set_updated_at (number, column_text (stmt, 13));
  return number;
}

/* Returns: (transfer container) (element-type HeraldNumber): every number,
 * by id (a business has a handful). */
GPtrArray *
herald_store_list_numbers (HeraldStore  *self,
                           GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);

  stmt = _herald_store_prepare_cached (self, "SELECT " NUMBER_COLUMNS " FROM whatsapp_numbers ORDER BY id", error);
  if (stmt == NULL)
    return NULL;

  return read_rows (self, stmt, (RowReader) number_from_row, 0, _("read the WhatsApp numbers"), error);
}

static HeraldNumber *
get_number_where (HeraldStore  *self,
                  const char   *sql,
                  gint64        id,
                  const char   *phone_number_id,
                  GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (self, sql, error);

  if (stmt == NULL)
    return NULL;

  if (phone_number_id != NULL)
    _herald_store_bind_text (stmt, 1, phone_number_id);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  if (!step_one (self, stmt, _("read a WhatsApp number"), _("This WhatsApp number does not exist"), error))
    return NULL;

  return number_from_row (stmt);
}

HeraldNumber *
herald_store_get_number (HeraldStore  *self,
                         gint64        id,
                         GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);

  return get_number_where (self, "SELECT " NUMBER_COLUMNS " FROM whatsapp_numbers WHERE id = ?1",
                           id, NULL, error);
}

HeraldNumber *
herald_store_get_number_by_phone_number_id (HeraldStore  *self,
                                            const char   *phone_number_id,
                                            GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);
  g_return_val_if_fail (phone_number_id != NULL, NULL);

  return get_number_where (self, "SELECT " NUMBER_COLUMNS " FROM whatsapp_numbers WHERE phone_number_id = ?1",
                           0, phone_number_id, error);
}

static gboolean
validate_number (HeraldNumber  *number,
                 GError       **error)
{
  g_autofree char *phone = NULL;
  const char *phone_number_id = herald_number_get_phone_number_id (number);

  if (!has_text (phone_number_id))
    return invalid (error, _("Phone number ID"), _("enter the ID Meta shows for the number"));
  for (const char *p = phone_number_id; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return invalid (error, _("Phone number ID"), _("must not contain spaces"));

  phone = normalize_phone (_("Phone number"), herald_number_get_phone_number (number), error);
  if (phone == NULL)
    return FALSE;

  herald_number_set_phone_number (number, phone);
  return TRUE;
}

/* Inserts @number when its id is 0, else updates that row. The phone number
 * is stored (and set on @number) in E.164. */
gboolean
herald_store_save_number (HeraldStore   *self,
                          HeraldNumber  *number,
                          GError       **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  gint64 id;

  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);
  g_return_val_if_fail (HERALD_IS_NUMBER (number), FALSE);

  if (!validate_number (number, error))
    return FALSE;

  id = herald_number_get_id (number);
  if (id == 0)
    stmt = _herald_store_prepare_cached (self,
                                         "INSERT INTO whatsapp_numbers (phone_number_id, phone_number,"
                                         " display_name, is_active, verified_at, verified_name,"
                                         " quality_rating, throughput_level, messaging_limit_tier,"
                                         " messages_per_second, is_sandbox, created_at, updated_at)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                         NOW_SQL ", " NOW_SQL ")"
                                         " RETURNING id, created_at, updated_at",
                                         error);
  else
    stmt = _herald_store_prepare_cached (self,
                                         "UPDATE whatsapp_numbers SET phone_number_id = ?1,"
                                         " phone_number = ?2, display_name = ?3, is_active = ?4,"
                                         " verified_at = ?5, verified_name = ?6, quality_rating = ?7,"
                                         " throughput_level = ?8, messaging_limit_tier = ?9,"
                                         " messages_per_second = ?10, is_sandbox = ?11,"
                                         " updated_at = " NOW_SQL " WHERE id = ?12"
                                         " RETURNING id, created_at, updated_at",
                                         error);
  if (stmt == NULL)
    return FALSE;

  _herald_store_bind_text (stmt, 1, herald_number_get_phone_number_id (number));
  _herald_store_bind_text (stmt, 2, herald_number_get_phone_number (number));
  _herald_store_bind_text (stmt, 3, empty_to_null (herald_number_get_display_name (number)));
  sqlite3_bind_int (stmt, 4, herald_number_get_is_active (number));
  _herald_store_bind_text (stmt, 5, herald_number_get_verified_at (number));
  _herald_store_bind_text (stmt, 6, herald_number_get_verified_name (number));
  _herald_store_bind_text (stmt, 7, herald_number_get_quality_rating (number));
  _herald_store_bind_text (stmt, 8, herald_number_get_throughput_level (number));
  _herald_store_bind_text (stmt, 9, herald_number_get_messaging_limit_tier (number));
  sqlite3_bind_int64 (stmt, 10, herald_number_get_messages_per_second (number));
  sqlite3_bind_int (stmt, 11, herald_number_get_is_sandbox (number));
  if (id != 0)
    sqlite3_bind_int64 (stmt, 12, id);

  if (!step_one (self, stmt, _("save the WhatsApp number"), _("This WhatsApp number does not exist"), error))
    {
      g_autofree char *message = g_strdup_printf (_("Phone number ID: %s is already saved"),
                                                  herald_number_get_phone_number_id (number));

      reword_constraint_error (error, message);
      return FALSE;
    }

  herald_number_set_id (number, sqlite3_column_int64 (stmt, 0));
  herald_number_set_created_at (number, column_text (stmt, 1));
  herald_number_set_updated_at (number, column_text (stmt, 2));
  return TRUE;
}

gboolean
herald_store_set_number_active (HeraldStore  *self,
                                gint64        id,
                                gboolean      is_active,
                                GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);

  stmt = _herald_store_prepare_cached (self,
                                       "UPDATE whatsapp_numbers SET is_active = ?1,"
                                       " updated_at = " NOW_SQL " WHERE id = ?2",
                                       error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, !!is_active);
  sqlite3_bind_int64 (stmt, 2, id);
  return step_change (self, stmt, _("change the WhatsApp number"),
                      _("This WhatsApp number does not exist"), error);
}

/* Counts rows of @sql (one "?1" for the id) into *count. */
static gboolean
count_rows (HeraldStore  *self,
            const char   *sql,
            gint64        id,
            gint64       *count,
            GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (self, sql, error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_row (self, stmt, &found, _("check what uses a row"), error))
    return FALSE;

  *count = found ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

static gboolean
delete_row (HeraldStore  *self,
            const char   *sql,
            gint64        id,
            const char   *what,
            const char   *not_found,
            GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  return step_change (self, stmt, what, not_found, error);
}

static gboolean
delete_number_row (HeraldStore  *self,
                   gint64        id,
                   GError      **error)
{
  gint64 campaigns;
  gint64 messages;

  if (!count_rows (self, "SELECT count(*) FROM campaigns WHERE whatsapp_number_id = ?1",
                   id, &campaigns, error) ||
      !count_rows (self, "SELECT count(*) FROM message_logs WHERE whatsapp_number_id = ?1",
                   id, &messages, error))
    return FALSE;

  if (campaigns > 0)
    {
      g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_IN_USE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This number is used by %" PRId64 " campaign; "
                                "delete the campaign first, or deactivate the number instead",
                                "This number is used by %" PRId64 " campaigns; "
                                "delete those campaigns first, or deactivate the number instead",
                                campaigns),
                   campaigns);
      return FALSE;
    }
  if (messages > 0)
    {
      g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_IN_USE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This number sent %" PRId64 " message that is still in the history; "
                                "deactivate the number instead",
                                "This number sent %" PRId64 " messages that are still in the history; "
                                "deactivate the number instead",
                                messages),
                   messages);
      return FALSE;
    }

  return delete_row (self, "DELETE FROM whatsapp_numbers WHERE id = ?1", id,
                     _("delete the WhatsApp number"),
                     _("This WhatsApp number does not exist"), error);
}

/* Fails with HERALD_STORE_ERROR_IN_USE while a campaign or message log uses
 * the number. */
gboolean
herald_store_delete_number (HeraldStore  *self,
                            gint64        id,
                            GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);

  return write_row (self, delete_number_row, id, error);
}

/* Contacts */

#define CONTACT_COLUMNS \
  "id, name, mobile_number, email, notes, is_active, opted_out, opted_out_reason," \
  " opted_out_at, attributes, created_at, updated_at"

#define CONTACT_BY_MOBILE_NUMBER_SQL \
  "SELECT " CONTACT_COLUMNS " FROM contacts WHERE mobile_number = ?1"

static void
contact_set_from_row (HeraldContact *contact,
                      sqlite3_stmt  *stmt)
{
  herald_contact_set_id (contact, sqlite3_column_int64 (stmt, 0));
  herald_contact_set_name (contact, column_text (stmt, 1));
  herald_contact_set_mobile_number (contact, column_text (stmt, 2));
  herald_contact_set_email (contact, column_text (stmt, 3));
  herald_contact_set_notes (contact, column_text (stmt, 4));
  herald_contact_set_is_active (contact, sqlite3_column_int (stmt, 5));
  herald_contact_set_opted_out (contact, sqlite3_column_int (stmt, 6));
  herald_contact_set_opted_out_reason (contact, column_text (stmt, 7));
  herald_contact_set_opted_out_at (contact, column_text (stmt, 8));
  herald_contact_set_attributes (contact, column_text (stmt, 9));
  herald_contact_set_created_at (contact, column_text (stmt, 10));
  herald_contact_set_updated_at (contact, column_text (stmt, 11));
}

static HeraldContact *
contact_from_row (sqlite3_stmt *stmt)
{
  HeraldContact *contact = herald_contact_new (NULL, NULL);

  contact_set_from_row (contact, stmt);
  return contact;
}

/* Sets @contact to the row @sql finds by @id or @mobile_number. */
static gboolean
load_contact_where (HeraldStore    *self,
                    const char     *sql,
                    gint64          id,
                    const char     *mobile_number,
                    HeraldContact  *contact,
                    GError        **error)
{
  g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  if (mobile_number != NULL)
    _herald_store_bind_text (stmt, 1, mobile_number);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  if (!step_one (self, stmt, _("read a contact"), _("This contact does not exist"), error))
    return FALSE;

  contact_set_from_row (contact, stmt);
  return TRUE;
}

static HeraldContact *
get_contact_where (HeraldStore  *self,
                   const char   *sql,
                   gint64        id,
                   const char   *mobile_number,
                   GError      **error)
{
  g_autoptr(HeraldContact) contact = herald_contact_new (NULL, NULL);

  if (!load_contact_where (self, sql, id, mobile_number, contact, error))
    return NULL;

  return g_steal_pointer (&contact);
}

HeraldContact *
herald_store_get_contact (HeraldStore  *self,
                          gint64        id,
                          GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);

  return get_contact_where (self, "SELECT " CONTACT_COLUMNS " FROM contacts WHERE id = ?1",
                            id, NULL, error);
}

/* @mobile_number is normalized first, so "+1 (415) 555-0100" finds
 * +14155550100. */
HeraldContact *
herald_store_get_contact_by_mobile_number (HeraldStore  *self,
                                           const char   *mobile_number,
                                           GError      **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);
  g_return_val_if_fail (mobile_number != NULL, NULL);

  normalized = normalize_phone (_("Mobile number"), mobile_number, error);
  if (normalized == NULL)
    return NULL;

  return get_contact_where (self, CONTACT_BY_MOBILE_NUMBER_SQL, 0, normalized, error);
}

/* The checks that need no parsing, shared by every way a contact is saved. */
static gboolean
validate_contact_text (const char  *name,
                       const char  *email,
                       GError     **error)
{
  if (!has_text (name))
    return invalid (error, _("Name"), _("enter a name"));

  if (empty_to_null (email) != NULL && !herald_contact_email_is_plausible (email))
    return invalid (error, _("Email"), _("enter an address like name@example.com"));

  return TRUE;
}

/* Checks @contact and normalizes its mobile number in place. */
static gboolean
validate_contact (HeraldContact  *contact,
                  GError        **error)
{
  g_autofree char *mobile = NULL;

  if (!validate_contact_text (herald_contact_get_name (contact),
                              herald_contact_get_email (contact), error))
    return FALSE;

  mobile = normalize_phone (_("Mobile number"), herald_contact_get_mobile_number (contact), error);
  if (mobile == NULL)
    return FALSE;

  if (!is_json_object (herald_contact_get_attributes (contact)))
    return invalid (error, _("Attributes"), _("must be a JSON object"));

  herald_contact_set_mobile_number (contact, mobile);
  return TRUE;
}

static gboolean
save_contact_row (HeraldStore    *self,
                  HeraldContact  *contact,
                  GError        **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  gboolean opted_out;
  gint64 id;

  id = herald_contact_get_id (contact);
  if (id == 0)
    stmt = _herald_store_prepare_cached (self,
                                         "INSERT INTO contacts (name, mobile_number, email, notes,"
                                         " is_active, opted_out, opted_out_reason, opted_out_at,"
                                         " attributes, created_at, updated_at)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                                         " CASE WHEN ?6 THEN coalesce (?8, " NOW_SQL ") END,"
                                         " ?9, " NOW_SQL ", " NOW_SQL ")"
                                         " RETURNING " CONTACT_COLUMNS,
                                         error);
  else
    stmt = _herald_store_prepare_cached (self,
                                         "UPDATE contacts SET name = ?1, mobile_number = ?2,"
                                         " email = ?3, notes = ?4, is_active = ?5, opted_out = ?6,"
                                         " opted_out_reason = ?7,"
                                         " opted_out_at = CASE WHEN ?6 THEN coalesce (?8, " NOW_SQL ") END,"
                                         " attributes = ?9, updated_at = " NOW_SQL
                                         " WHERE id = ?10"
                                         " RETURNING " CONTACT_COLUMNS,
                                         error);
  if (stmt == NULL)
    return FALSE;

  opted_out = herald_contact_get_opted_out (contact);
  _herald_store_bind_text (stmt, 1, herald_contact_get_name (contact));
  _herald_store_bind_text (stmt, 2, herald_contact_get_mobile_number (contact));
  _herald_store_bind_text (stmt, 3, empty_to_null (herald_contact_get_email (contact)));
  _herald_store_bind_text (stmt, 4, empty_to_null (herald_contact_get_notes (contact)));
  sqlite3_bind_int (stmt, 5, herald_contact_get_is_active (contact));
  sqlite3_bind_int (stmt, 6, opted_out);
  _herald_store_bind_text (stmt, 7, opted_out ? herald_contact_get_opted_out_reason (contact) : NULL);
  _herald_store_bind_text (stmt, 8, herald_contact_get_opted_out_at (contact));
  _herald_store_bind_text (stmt, 9, herald_contact_get_attributes (contact));
  if (id != 0)
    sqlite3_bind_int64 (stmt, 10, id);

  if (!step_one (self, stmt, _("save the contact"), _("This contact does not exist"), error))
    {
      g_autofree char *message = g_strdup_printf (_("Mobile number: %s is already saved for another contact"),
                                                  herald_contact_get_mobile_number (contact));

      reword_constraint_error (error, message);
      return FALSE;
    }

  contact_set_from_row (contact, stmt);
  return TRUE;
}

/* Inserts @contact when its id is 0, else updates that row with every field
 * of @contact. The mobile number is stored (and set on @contact) in E.164;
 * a number another contact has fails with HERALD_STORE_ERROR_CONSTRAINT. */
gboolean
herald_store_save_contact (HeraldStore    *self,
                           HeraldContact  *contact,
                           GError        **error)
{
  gboolean owned;
  gboolean ok;

  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);
  g_return_val_if_fail (HERALD_IS_CONTACT (contact), FALSE);

  if (!validate_contact (contact, error))
    return FALSE;

  /* In a transaction, whose commit brings the search index up to date. */
  if (!_herald_store_write_begin (self, &owned, error))
    return FALSE;
  ok = save_contact_row (self, contact, error);
  return _herald_store_write_end (self, owned, ok, error);
}

/* One statement for both cases, and no RETURNING: RETURNING makes SQLite
 * open a temporary table on every step, a page cache allocated and freed
 * per row, which dominated an import. */
static gboolean
upsert_contact_row (HeraldStore                *self,
                    const HeraldContactFields  *fields,
                    gboolean                   *created,
                    GError                    **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  /* An import refreshes what it knows and keeps the rest: fields it lacks
   * (NULL) keep their values, attributes are merged (RFC 7396), and the
   * opted-out and active flags are never touched, so that re-importing a
   * list can't opt anybody back in. */
  stmt = _herald_store_prepare_cached (self,
                                       "INSERT INTO contacts (name, mobile_number, email, notes,"
                                       " is_active, opted_out, opted_out_reason, opted_out_at,"
                                       " attributes, created_at, updated_at)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                                       " CASE WHEN ?6 THEN coalesce (?8, ?10) END,"
                                       " coalesce (?9, '{}'), ?10, ?10)"
                                       " ON CONFLICT (mobile_number) DO UPDATE SET name = excluded.name,"
                                       " email = coalesce (excluded.email, email),"
                                       " notes = coalesce (excluded.notes, notes),"
                                       " attributes = CASE WHEN ?9 IS NULL THEN attributes"
                                       " ELSE json_patch (attributes, ?9) END,"
                                       " updated_at = excluded.updated_at",
                                       error);
  if (stmt == NULL)
    return FALSE;

  _herald_store_bind_text (stmt, 1, fields->name);
  _herald_store_bind_text (stmt, 2, fields->mobile_number);
  _herald_store_bind_text (stmt, 3, empty_to_null (fields->email));
  _herald_store_bind_text (stmt, 4, empty_to_null (fields->notes));
  sqlite3_bind_int (stmt, 5, !!fields->is_active);
  sqlite3_bind_int (stmt, 6, !!fields->opted_out);
  _herald_store_bind_text (stmt, 7, fields->opted_out ? fields->opted_out_reason : NULL);
  _herald_store_bind_text (stmt, 8, fields->opted_out_at);
  /* "{}" would patch nothing: skip json_patch () for it. */
  _herald_store_bind_text (stmt, 9, g_strcmp0 (fields->attributes, "{}") == 0 ? NULL : fields->attributes);
  sqlite3_bind_text (stmt, 10, store_now (self), -1, SQLITE_STATIC);

  /* A step that updates leaves the last insert rowid alone; triggers
   * restore it when they end. */
  sqlite3_set_last_insert_rowid (self->db, 0);
  if (!_herald_store_step (self, stmt, _("save the contact"), error))
    return FALSE;

  *created = sqlite3_last_insert_rowid (self->db) != 0;
  return TRUE;
}

static gboolean
upsert_contact_fields (HeraldStore                *self,
                       const HeraldContactFields  *fields,
                       gboolean                   *created,
                       GError                    **error)
{
  gboolean was_created = FALSE;
  gboolean owned;
  gboolean ok;

  if (!_herald_store_write_begin (self, &owned, error))
    return FALSE;
  ok = upsert_contact_row (self, fields, &was_created, error);
  if (!_herald_store_write_end (self, owned, ok, error))
    return FALSE;

  if (created != NULL)
    *created = was_created;
  return TRUE;
}

/* herald_store_upsert_contact() for callers that have normalized the mobile
 * number already and built the attributes themselves (the CSV importer):
 * skips parsing both again, and reads nothing back. */
gboolean
_herald_store_upsert_contact_fields (HeraldStore                *self,
                                     const HeraldContactFields  *fields,
                                     gboolean                   *created,
                                     GError                    **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (fields->mobile_number != NULL, FALSE);

  if (!validate_contact_text (fields->name, fields->email, error))
    return FALSE;

  return upsert_contact_fields (self, fields, created, error);
}

/**
 * herald_store_upsert_contact:
 * @created: (out) (optional): whether a new contact was made
 *
 * Saves @contact keyed on its (normalized) mobile number, ignoring its id: a
 * new number makes a new contact; a known one updates the name, the email
 * and notes when given, and merges the attributes, but leaves the active and
 * opted-out state alone. @contact is then set to the stored row. Runs inside
 * the caller's transaction when there is one (the CSV importer wraps a
 * whole file in one).
 */
gboolean
herald_store_upsert_contact (HeraldStore    *self,
                             HeraldContact  *contact,
                             gboolean       *created,
                             GError        **error)
{
  HeraldContactFields fields;

  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);
  g_return_val_if_fail (HERALD_IS_CONTACT (contact), FALSE);

  if (!validate_contact (contact, error))
    return FALSE;

  fields = (HeraldContactFields) {
    .name = herald_contact_get_name (contact),
    .mobile_number = herald_contact_get_mobile_number (contact),
    .email = herald_contact_get_email (contact),
    .notes = herald_contact_get_notes (contact),
    .is_active = herald_contact_get_is_active (contact),
    .opted_out = herald_contact_get_opted_out (contact),
    .opted_out_reason = herald_contact_get_opted_out_reason (contact),
    .opted_out_at = herald_contact_get_opted_out_at (contact),
    .attributes = herald_contact_get_attributes (contact),
  };
  if (!upsert_contact_fields (self, &fields, created, error))
    return FALSE;

  return load_contact_where (self, CONTACT_BY_MOBILE_NUMBER_SQL, 0, fields.mobile_number, contact, error);
}

static gboolean
delete_contact_row (HeraldStore  *self,
                    gint64        id,
                    GError      **error)
{
  gint64 messages;

  if (!count_rows (self, "SELECT count(*) FROM message_logs WHERE contact_id = ?1",
                   id, &messages, error))
    return FALSE;

  if (messages > 0)
    {
      g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_IN_USE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This contact has %" PRId64 " message in campaign history; "
                                "deactivate the contact instead",
                                "This contact has %" PRId64 " messages in campaign history; "
                                "deactivate the contact instead",
                                messages),
                   messages);
      return FALSE;
    }

  return delete_row (self, "DELETE FROM contacts WHERE id = ?1", id,
                     _("delete the contact"), _("This contact does not exist"), error);
}

/* Fails with HERALD_STORE_ERROR_IN_USE while message logs name the contact. */
gboolean
herald_store_delete_contact (HeraldStore  *self,
                             gint64        id,
                             GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);

  return write_row (self, delete_contact_row, id, error);
}

/**
 * herald_store_set_contact_opted_out:
 * @reason: (nullable): why, such as "Replied STOP"
 * @when: (nullable): when it happened (NULL = now)
 *
 * Opts the contact out, or back in (which clears the reason and time).
 */
gboolean
herald_store_set_contact_opted_out (HeraldStore  *self,
                                    gint64        id,
                                    gboolean      opted_out,
                                    const char   *reason,
                                    GDateTime    *when,
                                    GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autofree char *timestamp = NULL;

  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);

  stmt = _herald_store_prepare_cached (self,
                                       "UPDATE contacts SET opted_out = ?1, opted_out_reason = ?2,"
                                       " opted_out_at = ?3, updated_at = " NOW_SQL " WHERE id = ?4",
                                       error);
  if (stmt == NULL)
    return FALSE;

  if (opted_out)
    timestamp = _herald_store_timestamp (when);

  sqlite3_bind_int (stmt, 1, !!opted_out);
  _herald_store_bind_text (stmt, 2, opted_out ? empty_to_null (reason) : NULL);
  _herald_store_bind_text (stmt, 3, timestamp);
  sqlite3_bind_int64 (stmt, 4, id);

  return step_change (self, stmt, _("change the contact"), _("This contact does not exist"), error);
}

/* Search: @search as a LIKE pattern (case-insensitive for ASCII) on name,
 * number and email; and, when it looks like a phone number, its digits
 * alone on the number, so "+1 415-555" finds +14155550100. */
#define CONTACT_SEARCH \
  "(?2 IS NULL OR name LIKE ?2 ESCAPE '\\' OR mobile_number LIKE ?2 ESCAPE '\\'" \
  " OR email LIKE ?2 ESCAPE '\\' OR mobile_number LIKE ?3)"

/* The contacts after ?1 that the trigram index contacts_search (migration 2)
 * finds for the full-text query ?5, in id order. The index folds case
 * beyond ASCII, so it may find more than LIKE: CONTACT_SEARCH still
 * decides, and results are those of the scan without the index. */
#define CONTACT_CANDIDATES \
  "(SELECT rowid AS candidate_id FROM contacts_search" \
  "  WHERE contacts_search MATCH ?5 AND rowid > ?1)" \
  " JOIN contacts ON id = candidate_id"

/* Trigrams: a text shorter than this finds nothing in the index. */
#define TRIGRAM_LENGTH 3

typedef struct
{
  GString *pattern;
  GString *digits;
  GString *match;
} ContactSearch;

static void
contact_search_clear (ContactSearch *search)
{
  if (search->pattern != NULL)
    g_string_free (search->pattern, TRUE);
  if (search->digits != NULL)
    g_string_free (search->digits, TRUE);
  if (search->match != NULL)
    g_string_free (search->match, TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ContactSearch, contact_search_clear)

/* Appends @text to @query as an FTS5 string, which takes every character
 * literally but '"', written twice. */
static void
append_fts_string (GString    *query,
                   const char *text)
{
  g_string_append_c (query, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (query, '"');
      g_string_append_c (query, *p);
    }
  g_string_append_c (query, '"');
}

/* Fills @search for @text: nothing for no search; the LIKE pattern; the
 * digits pattern when @text looks like a number; and the index query when
 * every part is long enough for trigrams and the index is up to date.
 * Shorter searches (one or two characters, or a number with one or two
 * digits) scan with LIKE as before: those match so many contacts that a
 * page fills after a short scan. So does any search while changes wait for
 * the index, inside a write transaction. */
static gboolean
contact_search_init (HeraldStore    *self,
                     ContactSearch  *search,
                     const char     *text,
                     GError        **error)
{
  g_autoptr(GString) digits = NULL;
  gboolean phone_like = TRUE;
  gboolean pending;

  *search = (ContactSearch) { NULL };
  if (empty_to_null (text) == NULL)
    return TRUE;

  search->pattern = g_string_new ("%");
  digits = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (search->pattern, '\\');
      g_string_append_c (search->pattern, *p);

      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (strchr ("+ -().", *p) == NULL)
        phone_like = FALSE;
    }
  g_string_append_c (search->pattern, '%');

  if (phone_like && digits->len > 0)
    search->digits = g_string_append_c (g_string_prepend_c (g_string_new (digits->str), '%'), '%');

  if (!g_utf8_validate (text, -1, NULL) ||
      g_utf8_strlen (text, -1) < TRIGRAM_LENGTH ||
      (search->digits != NULL && digits->len < TRIGRAM_LENGTH))
    return TRUE;

  if (!search_changes_pending (self, &pending, error))
    return FALSE;
  if (pending)
    return TRUE;

  search->match = g_string_new (NULL);
  append_fts_string (search->match, text);
  if (search->digits != NULL)
    {
      g_string_append (search->match, " OR mobile_number : ");
      append_fts_string (search->match, digits->str);
    }
  return TRUE;
}

/* Binds ?2, ?3 and, for a statement with CONTACT_CANDIDATES, ?5. */
static void
contact_search_bind (const ContactSearch *search,
                     sqlite3_stmt        *stmt)
{
  if (search->pattern == NULL)
    return;

  _herald_store_bind_text (stmt, 2, search->pattern->str);
  if (search->digits != NULL)
    _herald_store_bind_text (stmt, 3, search->digits->str);
  if (search->match != NULL)
    _herald_store_bind_text (stmt, 5, search->match->str);
}

/* Returns the number of contacts matching @search (NULL = all), or -1 with
 * @error set. */
gint64
herald_store_count_contacts (HeraldStore  *self,
                             const char   *search,
                             GError      **error)
{
  g_auto(ContactSearch) contact_search = { NULL };
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  gboolean found;

  g_return_val_if_fail (HERALD_IS_STORE (self), -1);

  if (!contact_search_init (self, &contact_search, search, error))
    return -1;
  if (contact_search.match != NULL)
    stmt = _herald_store_prepare_cached (self,
                                         "SELECT count(*) FROM " CONTACT_CANDIDATES
                                         " WHERE " CONTACT_SEARCH,
                                         error);
  else
    stmt = _herald_store_prepare_cached (self, "SELECT count(*) FROM contacts WHERE " CONTACT_SEARCH, error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_int64 (stmt, 1, 0);
  contact_search_bind (&contact_search, stmt);
  if (!step_row (self, stmt, &found, _("count contacts"), error))
    return -1;

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * herald_store_list_contacts:
 * @search: (nullable): text matched against name, number and email
 * @after_id: the id of the last contact of the previous page, 0 for the first
 * @limit: the most contacts to return
 *
 * One page of contacts by id (keyset paging: the next page starts after
 * the last id of this one; an empty or short page is the end).
 *
 * Returns: (transfer container) (element-type HeraldContact)
 */
GPtrArray *
herald_store_list_contacts (HeraldStore  *self,
                            const char   *search,
                            gint64        after_id,
                            guint         limit,
                            GError      **error)
{
  g_auto(ContactSearch) contact_search = { NULL };
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);
  g_return_val_if_fail (after_id >= 0, NULL);

  if (!contact_search_init (self, &contact_search, search, error))
    return NULL;
  if (contact_search.match != NULL)
    stmt = _herald_store_prepare_cached (self,
                                         "SELECT " CONTACT_COLUMNS " FROM " CONTACT_CANDIDATES
                                         " WHERE " CONTACT_SEARCH
                                         " ORDER BY candidate_id LIMIT ?4",
                                         error);
  else
    stmt = _herald_store_prepare_cached (self,
                                         "SELECT " CONTACT_COLUMNS " FROM contacts"
                                         " WHERE id > ?1 AND " CONTACT_SEARCH
                                         " ORDER BY id LIMIT ?4",
                                         error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, after_id);
  contact_search_bind (&contact_search, stmt);
  sqlite3_bind_int64 (stmt, 4, limit);

  return read_rows (self, stmt, (RowReader) contact_from_row, MIN (limit, 1000), _("read contacts"), error);
}

/* Templates */

#define TEMPLATE_COLUMNS \
  "id, name, language, category, body, header_type, header_content, footer, buttons," \
  " status, meta_template_id, rejected_reason, created_at, updated_at, sandbox_status"

static GDateTime *
parse_timestamp (sqlite3_stmt *stmt,
                 int           column)
{
  const char *text = column_text (stmt, column);

  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static void
template_set_from_row (HeraldTemplate *template,
                       sqlite3_stmt   *stmt)
{
  g_autoptr(GDateTime) created_at = parse_timestamp (stmt, 12);
  g_autoptr(GDateTime) updated_at = parse_timestamp (stmt, 13);
  HeraldTemplateCategory category = HERALD_TEMPLATE_CATEGORY_MARKETING;
  HeraldHeaderType header_type = HERALD_HEADER_NONE;
  HeraldTemplateStatus status = HERALD_TEMPLATE_DRAFT;
  HeraldTemplateStatus sandbox_review;
  int sandbox_status;

  /* The CHECK constraints hold the names to those these parse. */
  herald_template_category_from_string (column_text (stmt, 3), &category);
  herald_header_type_from_string (column_text (stmt, 5), &header_type);
  herald_template_status_from_string (column_text (stmt, 9), &status);
  /* NULL: never sent to the Sandbox. */
  if (!herald_template_status_from_string (column_text (stmt, 14), &sandbox_review))
    sandbox_status = HERALD_TEMPLATE_SANDBOX_NONE;
  else
    sandbox_status = sandbox_review;

  herald_template_set_id (template, sqlite3_column_int64 (stmt, 0));
  herald_template_set_name (template, column_text (stmt, 1));
  herald_template_set_language (template, column_text (stmt, 2));
  herald_template_set_category (template, category);
  herald_template_set_body (template, column_text (stmt, 4));
  herald_template_set_header_type (template, header_type);
  herald_template_set_header_content (template, column_text (stmt, 6));
  herald_template_set_footer (template, column_text (stmt, 7));
  herald_template_set_buttons (template, column_text (stmt, 8));
  herald_template_set_status (template, status);
  herald_template_set_meta_template_id (template, column_text (stmt, 10));
  herald_template_set_rejected_reason (template, column_text (stmt, 11));
  herald_template_set_sandbox_status (template, sandbox_status);
  herald_template_set_created_at (template, created_at);
  herald_template_set_updated_at (template, updated_at);
}

static HeraldTemplate *
template_from_row (sqlite3_stmt *stmt)
{
  HeraldTemplate *template = herald_template_new ();

  template_set_from_row (template, stmt);
  return template;
}

/* Returns: (transfer container) (element-type HeraldTemplate): templates by
 * name and language (a business has tens), only the sendable ones when
 * @approved_only. */
GPtrArray *
herald_store_list_templates (HeraldStore  *self,
                             gboolean      approved_only,
                             GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);

  stmt = _herald_store_prepare_cached (self,
                                       "SELECT " TEMPLATE_COLUMNS " FROM templates"
                                       " WHERE NOT ?1 OR status = 'APPROVED'"
                                       " ORDER BY name, language",
                                       error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int (stmt, 1, !!approved_only);

  return read_rows (self, stmt, (RowReader) template_from_row, 0, _("read the templates"), error);
}

static HeraldTemplate *
get_template_where (HeraldStore  *self,
                    const char   *sql,
                    gint64        id,
                    const char   *name,
                    const char   *language,
                    GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (self, sql, error);

  if (stmt == NULL)
    return NULL;

  if (name != NULL)
    {
      _herald_store_bind_text (stmt, 1, name);
      _herald_store_bind_text (stmt, 2, language);
    }
  else
    sqlite3_bind_int64 (stmt, 1, id);

  if (!step_one (self, stmt, _("read a template"), _("This template does not exist"), error))
    return NULL;

  return template_from_row (stmt);
}

HeraldTemplate *
herald_store_get_template (HeraldStore  *self,
                           gint64        id,
                           GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);

  return get_template_where (self, "SELECT " TEMPLATE_COLUMNS " FROM templates WHERE id = ?1",
                             id, NULL, NULL, error);
}

HeraldTemplate *
herald_store_get_template_by_name (HeraldStore  *self,
                                   const char   *name,
                                   const char   *language,
                                   GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (language != NULL, NULL);

  return get_template_where (self,
                             "SELECT " TEMPLATE_COLUMNS " FROM templates"
                             " WHERE name = ?1 AND language = ?2",
                             0, name, language, error);
}

/* NULL for HERALD_TEMPLATE_SANDBOX_NONE: never sent to the Sandbox. */
static const char *
sandbox_status_to_string (int sandbox_status)
{
  if (sandbox_status == HERALD_TEMPLATE_SANDBOX_NONE)
    return NULL;
  return herald_template_status_to_string (sandbox_status);
}

/* Inserts @template when its id is 0, else updates that row, after
 * herald_template_validate (). A name and language another template has
 * fails with HERALD_STORE_ERROR_CONSTRAINT. The Sandbox's review is written
 * on insert only; later only herald_store_set_template_sandbox_status ()
 * changes it, so an edit or Meta's sync never drops or forges it. */
gboolean
herald_store_save_template (HeraldStore     *self,
                            HeraldTemplate  *template,
                            GError         **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GError) template_error = NULL;
  gint64 id;
  const char *variables;

  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);
  g_return_val_if_fail (HERALD_IS_TEMPLATE (template), FALSE);

  if (!herald_template_validate (template, &template_error))
    {
      /* Its message already names the field ("Body: …"). */
      g_set_error_literal (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID, template_error->message);
      return FALSE;
    }

  id = herald_template_get_id (template);
  if (id == 0)
    stmt = _herald_store_prepare_cached (self,
                                         "INSERT INTO templates (name, language, category, body,"
                                         " header_type, header_content, footer, buttons, variables,"
                                         " status, meta_template_id, rejected_reason, created_at, updated_at,"
                                         " sandbox_status)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                         NOW_SQL ", " NOW_SQL ", ?14)"
                                         " RETURNING " TEMPLATE_COLUMNS,
                                         error);
  else
    stmt = _herald_store_prepare_cached (self,
                                         "UPDATE templates SET name = ?1, language = ?2, category = ?3,"
                                         " body = ?4, header_type = ?5, header_content = ?6, footer = ?7,"
                                         " buttons = ?8, variables = ?9, status = ?10,"
                                         " meta_template_id = ?11, rejected_reason = ?12,"
                                         " updated_at = " NOW_SQL " WHERE id = ?13"
                                         " RETURNING " TEMPLATE_COLUMNS,
                                         error);
  if (stmt == NULL)
    return FALSE;

  variables = herald_template_get_variables (template);
  _herald_store_bind_text (stmt, 1, herald_template_get_name (template));
  _herald_store_bind_text (stmt, 2, herald_template_get_language (template));
  _herald_store_bind_text (stmt, 3, herald_template_category_to_string (herald_template_get_category (template)));
  _herald_store_bind_text (stmt, 4, herald_template_get_body (template));
  _herald_store_bind_text (stmt, 5, herald_header_type_to_string (herald_template_get_header_type (template)));
  _herald_store_bind_text (stmt, 6, empty_to_null (herald_template_get_header_content (template)));
  _herald_store_bind_text (stmt, 7, empty_to_null (herald_template_get_footer (template)));
  _herald_store_bind_text (stmt, 8, empty_to_null (herald_template_get_buttons (template)));
  _herald_store_bind_text (stmt, 9, variables != NULL ? variables : "[]");
  _herald_store_bind_text (stmt, 10, herald_template_status_to_string (herald_template_get_status (template)));
  _herald_store_bind_text (stmt, 11, empty_to_null (herald_template_get_meta_template_id (template)));
  _herald_store_bind_text (stmt, 12, empty_to_null (herald_template_get_rejected_reason (template)));
  if (id != 0)
    sqlite3_bind_int64 (stmt, 13, id);
  else
    _herald_store_bind_text (stmt, 14, sandbox_status_to_string (herald_template_get_sandbox_status (template)));

  if (!step_one (self, stmt, _("save the template"), _("This template does not exist"), error))
    {
      g_autofree char *message = g_strdup_printf (_("Name: a template “%s” in language %s already exists"),
                                                  herald_template_get_name (template),
                                                  herald_template_get_language (template));

      reword_constraint_error (error, message);
      return FALSE;
    }

  template_set_from_row (template, stmt);
  return TRUE;
}

/**
 * herald_store_set_template_status:
 * @meta_template_id: (nullable): Meta's id of the template, or NULL to
 *   name it by @name and @language
 * @rejected_reason: (nullable): Meta's reason, kept for REJECTED only
 *
 * Records a status Meta reported.
 */
gboolean
herald_store_set_template_status (HeraldStore           *self,
                                  const char            *meta_template_id,
                                  const char            *name,
                                  const char            *language,
                                  HeraldTemplateStatus   status,
                                  const char            *rejected_reason,
                                  GError               **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);
  g_return_val_if_fail (meta_template_id != NULL || (name != NULL && language != NULL), FALSE);

  stmt = _herald_store_prepare_cached (self,
                                       "UPDATE templates SET status = ?1, rejected_reason = ?2,"
                                       " updated_at = " NOW_SQL
                                       " WHERE CASE WHEN ?3 IS NOT NULL THEN meta_template_id = ?3"
                                       " ELSE name = ?4 AND language = ?5 END",
                                       error);
  if (stmt == NULL)
    return FALSE;

  _herald_store_bind_text (stmt, 1, herald_template_status_to_string (status));
  _herald_store_bind_text (stmt, 2, status == HERALD_TEMPLATE_REJECTED ? empty_to_null (rejected_reason) : NULL);
  _herald_store_bind_text (stmt, 3, meta_template_id);
  _herald_store_bind_text (stmt, 4, name);
  _herald_store_bind_text (stmt, 5, language);

  return step_change (self, stmt, _("change the template"), _("This template does not exist"), error);
}

/**
 * herald_store_set_template_sandbox_status:
 * @sandbox_status: the Sandbox's review, or HERALD_TEMPLATE_SANDBOX_NONE
 *
 * Records the Sandbox's review of template @id. It writes nothing else:
 * Meta's status and id are Meta's alone.
 */
gboolean
herald_store_set_template_sandbox_status (HeraldStore  *self,
                                          gint64        id,
                                          int           sandbox_status,
                                          GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);
  g_return_val_if_fail (sandbox_status >= HERALD_TEMPLATE_SANDBOX_NONE &&
                        sandbox_status <= HERALD_TEMPLATE_LIMIT_EXCEEDED, FALSE);

  stmt = _herald_store_prepare_cached (self,
                                       "UPDATE templates SET sandbox_status = ?1,"
                                       " updated_at = " NOW_SQL " WHERE id = ?2",
                                       error);
  if (stmt == NULL)
    return FALSE;

  _herald_store_bind_text (stmt, 1, sandbox_status_to_string (sandbox_status));
  sqlite3_bind_int64 (stmt, 2, id);

  return step_change (self, stmt, _("change the template"), _("This template does not exist"), error);
}

static gboolean
delete_template_row (HeraldStore  *self,
                     gint64        id,
                     GError      **error)
{
  gint64 campaigns;
  gint64 messages;

  if (!count_rows (self, "SELECT count(*) FROM campaigns WHERE template_id = ?1",
                   id, &campaigns, error) ||
      !count_rows (self, "SELECT count(*) FROM message_logs WHERE template_id = ?1",
                   id, &messages, error))
    return FALSE;

  if (campaigns > 0 || messages > 0)
    {
      g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_IN_USE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This template is used by %" PRId64 " campaign; "
                                "delete the campaign first",
                                "This template is used by %" PRId64 " campaigns; "
                                "delete those campaigns first",
                                MAX (campaigns, 1)),
                   MAX (campaigns, 1));
      return FALSE;
    }

  return delete_row (self, "DELETE FROM templates WHERE id = ?1", id,
                     _("delete the template"), _("This template does not exist"), error);
}

/* Fails with HERALD_STORE_ERROR_IN_USE while a campaign uses the template. */
gboolean
herald_store_delete_template (HeraldStore  *self,
                              gint64        id,
                              GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (self), FALSE);

  return write_row (self, delete_template_row, id, error);
}
