/* test-store.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "herald-migrations.h"
#include "herald-store-private.h"
#include "herald-test-utils.h"

typedef struct
{
  char *path;
  HeraldStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* G_TEST_OPTION_ISOLATE_DIRS gives each test its own data dir. */
  fixture->path = g_build_filename (g_get_user_data_dir (), "test.db", NULL);
  fixture->store = herald_store_new (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  g_free (fixture->path);
}

/* Schema */

/* The seed's schema in SQLite terms, plus our documented extensions
 * (herald-migrations.c says why for each). A column reads
 * "name TYPE[ NOT NULL][ DEFAULT x][ PK]"; an index
 * "[UNIQUE ]name (columns)[ WHERE]"; a foreign key
 * "from -> table (to) ON DELETE action". */
typedef struct
{
  const char *table;
  const char *columns[24];
  const char *indexes[12];
  const char *foreign_keys[6];
} ExpectedTable;

static const ExpectedTable expected_schema[] = {
  { "business_profiles",
    { "id INTEGER PK", "business_name TEXT NOT NULL", "whatsapp_business_id TEXT",
      "app_id TEXT", "phone_number_id TEXT", "created_at TEXT", "updated_at TEXT", NULL },
    { NULL },
    { NULL } },
  { "campaigns",
    { "id INTEGER PK", "name TEXT", "whatsapp_number_id INTEGER NOT NULL",
      "template_id INTEGER NOT NULL", "total_messages INTEGER NOT NULL DEFAULT 0",
      "sent_count INTEGER NOT NULL DEFAULT 0", "delivered_count INTEGER NOT NULL DEFAULT 0",
      "read_count INTEGER NOT NULL DEFAULT 0", "failed_count INTEGER NOT NULL DEFAULT 0",
      "status TEXT NOT NULL DEFAULT 'PENDING'", "started_at TEXT", "completed_at TEXT",
      "created_at TEXT", "updated_at TEXT",
      /* extensions */
      "variable_bindings TEXT NOT NULL DEFAULT '{}'", "paused_reason TEXT", NULL },
    { "campaigns_created_at (created_at)", "campaigns_status (status)",
      "campaigns_template_id (template_id)",
      "campaigns_whatsapp_number_id (whatsapp_number_id)", NULL },
    { "template_id -> templates (id) ON DELETE RESTRICT",
      "whatsapp_number_id -> whatsapp_numbers (id) ON DELETE RESTRICT", NULL } },
  { "contacts",
    { "id INTEGER PK", "name TEXT NOT NULL", "mobile_number TEXT NOT NULL", "email TEXT",
      "notes TEXT", "is_active INTEGER NOT NULL DEFAULT 1", "created_at TEXT", "updated_at TEXT",
      /* extensions */
      "opted_out INTEGER NOT NULL DEFAULT 0", "opted_out_reason TEXT", "opted_out_at TEXT",
      "attributes TEXT NOT NULL DEFAULT '{}'", NULL },
    { "contacts_is_active (is_active)", "UNIQUE contacts_mobile_number (mobile_number)", NULL },
    { NULL } },
  { "message_logs",
    { "id INTEGER PK", "campaign_id INTEGER NOT NULL", "contact_id INTEGER NOT NULL",
      "whatsapp_number_id INTEGER NOT NULL", "template_id INTEGER NOT NULL",
      "wa_message_id TEXT", "mobile_number TEXT NOT NULL", "message_content TEXT NOT NULL",
      "status TEXT NOT NULL DEFAULT 'PENDING'", "error_message TEXT", "sent_at TEXT",
      "delivered_at TEXT", "read_at TEXT", "failed_at TEXT",
      "retry_count INTEGER NOT NULL DEFAULT 0", "created_at TEXT", "updated_at TEXT",
      /* extensions */
      "claimed_at TEXT", "parameters TEXT", "error_code INTEGER", "wa_id TEXT",
      "next_attempt_at TEXT", NULL },
    { "message_logs_campaign_id (campaign_id)",
      "message_logs_campaign_id_status (campaign_id, status)",
      "message_logs_contact_id (contact_id)", "message_logs_created_at (created_at)",
      "message_logs_in_doubt (campaign_id, claimed_at) WHERE",
      "message_logs_mobile_number (mobile_number)", "message_logs_status (status)",
      "message_logs_template_id (template_id)", "message_logs_wa_message_id (wa_message_id)",
      "message_logs_whatsapp_number_id (whatsapp_number_id)", NULL },
    { "campaign_id -> campaigns (id) ON DELETE CASCADE",
      "contact_id -> contacts (id) ON DELETE RESTRICT",
      "template_id -> templates (id) ON DELETE RESTRICT",
      "whatsapp_number_id -> whatsapp_numbers (id) ON DELETE RESTRICT", NULL } },
  { "settings",
    { "key TEXT NOT NULL PK", "value TEXT NOT NULL", NULL },
    { NULL },
    { NULL } },
  { "templates",
    { "id INTEGER PK", "name TEXT NOT NULL", "language TEXT NOT NULL DEFAULT 'en'",
      "category TEXT NOT NULL", "body TEXT NOT NULL", "header_type TEXT",
      "header_content TEXT", "footer TEXT", "buttons TEXT", "variables TEXT NOT NULL",
      "status TEXT NOT NULL DEFAULT 'DRAFT'", "meta_template_id TEXT", "created_at TEXT",
      "updated_at TEXT",
      /* extensions */
      "rejected_reason TEXT", "sandbox_status TEXT", NULL },
    { "templates_category (category)", "templates_meta_template_id (meta_template_id)",
      "UNIQUE templates_name_language (name, language)", "templates_status (status)", NULL },
    { NULL } },
  { "webhook_events",
    { "id INTEGER PK", "event_type TEXT NOT NULL", "wa_message_id TEXT NOT NULL",
      "payload TEXT NOT NULL", "processed INTEGER NOT NULL DEFAULT 0", "processed_at TEXT",
      "created_at TEXT", "updated_at TEXT",
      /* extensions */
      "relay_url TEXT", "relay_seq INTEGER", "signature TEXT", "error TEXT", NULL },
    { "webhook_events_created_at (created_at)", "webhook_events_processed (id) WHERE",
      "UNIQUE webhook_events_relay_url_relay_seq (relay_url, relay_seq)",
      "webhook_events_wa_message_id (wa_message_id)", NULL },
    { NULL } },
  { "whatsapp_numbers",
    { "id INTEGER PK", "phone_number_id TEXT NOT NULL", "phone_number TEXT NOT NULL",
      "display_name TEXT", "is_active INTEGER NOT NULL DEFAULT 1", "verified_at TEXT",
      "created_at TEXT", "updated_at TEXT",
      /* extensions (and no access_token) */
      "verified_name TEXT", "quality_rating TEXT", "throughput_level TEXT",
      "messaging_limit_tier TEXT", "messages_per_second INTEGER NOT NULL DEFAULT 80",
      "is_sandbox INTEGER NOT NULL DEFAULT 0", NULL },
    { "whatsapp_numbers_is_active (is_active)",
      "UNIQUE whatsapp_numbers_phone_number_id (phone_number_id)", NULL },
    { NULL } },
};

static GStrv
read_rows (sqlite3    *db,
           const char *sql,
           const char *table,
           char     *(*describe) (sqlite3 *db, sqlite3_stmt *stmt))
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (table != NULL)
    sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *row = describe (db, stmt);

      if (row != NULL)
        g_strv_builder_add (builder, row);
    }

  return g_strv_builder_end (builder);
}

static char *
describe_name (sqlite3      *db,
               sqlite3_stmt *stmt)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* From pragma_table_info: cid, name, type, notnull, dflt_value, pk */
static char *
describe_column (sqlite3      *db,
                 sqlite3_stmt *stmt)
{
  GString *column = g_string_new (NULL);

  g_string_append_printf (column, "%s %s", sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2));
  if (sqlite3_column_int (stmt, 3))
    g_string_append (column, " NOT NULL");
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    g_string_append_printf (column, " DEFAULT %s", sqlite3_column_text (stmt, 4));
  if (sqlite3_column_int (stmt, 5))
    g_string_append (column, " PK");

  return g_string_free (column, FALSE);
}

/* From pragma_index_list: seq, name, unique, origin, partial */
static char *
describe_index (sqlite3      *db,
                sqlite3_stmt *stmt)
{
  const char *name = (const char *) sqlite3_column_text (stmt, 1);
  g_auto(GStrv) columns = NULL;
  g_autofree char *joined = NULL;

  /* The implicit index of a TEXT PRIMARY KEY is the key, listed as PK. */
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "pk") == 0)
    return NULL;

  columns = read_rows (db, "SELECT name FROM pragma_index_info (?1) ORDER BY seqno", name, describe_name);
  joined = g_strjoinv (", ", columns);
  return g_strdup_printf ("%s%s (%s)%s",
                          sqlite3_column_int (stmt, 2) ? "UNIQUE " : "",
                          name, joined,
                          sqlite3_column_int (stmt, 4) ? " WHERE" : "");
}

/* From pragma_foreign_key_list: id, seq, table, from, to, on_update, on_delete */
static char *
describe_foreign_key (sqlite3      *db,
                      sqlite3_stmt *stmt)
{
  return g_strdup_printf ("%s -> %s (%s) ON DELETE %s",
                          sqlite3_column_text (stmt, 3), sqlite3_column_text (stmt, 2),
                          sqlite3_column_text (stmt, 4), sqlite3_column_text (stmt, 6));
}

static void
test_schema_matches_seed (Fixture       *fixture,
                          gconstpointer  data)
{
  sqlite3 *db = herald_store_get_db (fixture->store);
  g_autoptr(GStrvBuilder) expected_tables = g_strv_builder_new ();
  g_auto(GStrv) expected_table_names = NULL;
  g_auto(GStrv) tables = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (expected_schema); i++)
    g_strv_builder_add (expected_tables, expected_schema[i].table);
  expected_table_names = g_strv_builder_end (expected_tables);

  /* The contact search index (migration 2) is not the seed's: its own
   * tests are under /herald/store/contacts/search. */
  tables = read_rows (db, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                      " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'contacts_search%'"
                      " ORDER BY name", NULL, describe_name);
  g_assert_cmpstrv (tables, expected_table_names);

  for (guint i = 0; i < G_N_ELEMENTS (expected_schema); i++)
    {
      const ExpectedTable *expected = &expected_schema[i];
      g_auto(GStrv) columns = NULL;
      g_auto(GStrv) indexes = NULL;
      g_auto(GStrv) foreign_keys = NULL;
      g_autofree char *strict = NULL;

      g_test_message ("table %s", expected->table);
      columns = read_rows (db, "SELECT * FROM pragma_table_info (?1) ORDER BY cid",
                           expected->table, describe_column);
      g_assert_cmpstrv (columns, expected->columns);

      indexes = read_rows (db, "SELECT * FROM pragma_index_list (?1) ORDER BY name",
                           expected->table, describe_index);
      g_assert_cmpstrv (indexes, expected->indexes);

      foreign_keys = read_rows (db, "SELECT * FROM pragma_foreign_key_list (?1) ORDER BY \"from\"",
                                expected->table, describe_foreign_key);
      g_assert_cmpstrv (foreign_keys, expected->foreign_keys);

      strict = herald_test_store_query_text (fixture->store, "SELECT strict FROM pragma_table_list WHERE name = ?1",
                                             expected->table);
      g_assert_cmpstr (strict, ==, "1");
    }

  g_assert_cmpint (herald_test_store_query_int (fixture->store, "PRAGMA user_version", NULL), ==,
                   _herald_migrations_latest_version ());
}

static void
test_schema_checks (Fixture       *fixture,
                    gconstpointer  data)
{
  /* Enums, booleans and JSON columns refuse what they can't hold. */
  static const char * const refused[] = {
    "INSERT INTO templates (name, category, body, variables) VALUES ('a', 'SPAM', 'b', '[]')",
    "INSERT INTO templates (name, category, body, variables, status) VALUES ('a', 'UTILITY', 'b', '[]', 'MAYBE')",
    "INSERT INTO templates (name, category, body, variables) VALUES ('a', 'UTILITY', 'b', '[oops')",
    "INSERT INTO contacts (name, mobile_number, is_active) VALUES ('a', '+14155550100', 2)",
    "INSERT INTO contacts (name, mobile_number, attributes) VALUES ('a', '+14155550100', '[1]')",
    "INSERT INTO whatsapp_numbers (phone_number_id, phone_number, messages_per_second) VALUES ('1', '+1', 0)",
    "INSERT INTO campaigns (whatsapp_number_id, template_id) VALUES (999, 999)",
    "INSERT INTO contacts (name, mobile_number) VALUES ('a', x'00')",
  };
  sqlite3 *db = herald_store_get_db (fixture->store);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      int rc = sqlite3_exec (db, refused[i], NULL, NULL, NULL);

      g_test_message ("%s", refused[i]);
      g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
    }

  /* The new template states and campaign states are accepted. */
  herald_test_store_exec (fixture->store,
                          "INSERT INTO templates (name, language, category, body, variables, status)"
                          " VALUES ('t', 'en_US', 'MARKETING', 'Hi', '[]', 'LIMIT_EXCEEDED');"
                          "INSERT INTO templates (name, language, category, body, variables, status)"
                          " VALUES ('t', 'fr', 'MARKETING', 'Salut', '[]', 'IN_APPEAL');");
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO templates (name, language, category, body, variables)"
                                 " VALUES ('t', 'fr', 'UTILITY', 'x', '[]')", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT_UNIQUE);
}

static char *
schema_text (HeraldStore *store)
{
  return herald_test_store_query_text (store,
                                       "SELECT group_concat (type || ' ' || name || ' ' || coalesce (sql, ''), char (10))"
                                       " FROM (SELECT * FROM sqlite_schema ORDER BY type, name)", NULL);
}

static void
test_migrations_twice (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldStore) again = NULL;
  g_autofree char *before = schema_text (fixture->store);
  g_autofree char *after = NULL;
  gint64 version = herald_test_store_query_int (fixture->store, "PRAGMA user_version", NULL);

  g_assert_cmpint (version, ==, _herald_migrations_latest_version ());

  g_clear_object (&fixture->store);
  again = herald_store_new (fixture->path, &error);
  g_assert_no_error (error);

  after = schema_text (again);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (herald_test_store_query_int (again, "PRAGMA user_version", NULL), ==, version);

  fixture->store = g_steal_pointer (&again);
}

static void
test_too_new (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldStore) again = NULL;

  herald_test_store_exec (fixture->store, "PRAGMA user_version = 99");
  again = herald_store_new (fixture->path, &error);
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_TOO_NEW);
  g_assert_null (again);
}

static void
test_pragmas (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *journal = herald_test_store_query_text (fixture->store, "PRAGMA journal_mode", NULL);

  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "PRAGMA synchronous", NULL), ==, 1); /* NORMAL */
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "PRAGMA foreign_keys", NULL), ==, 1);
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "PRAGMA busy_timeout", NULL), ==, 5000);
}

static void
test_default_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldStore) store = herald_store_new (NULL, &error);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "herald", "herald.db", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (herald_store_get_path (store), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
}

static void
test_open_not_a_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "junk.db", NULL);
  g_autofree char *junk = g_strnfill (8192, 'x');

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, junk, -1, NULL));
  store = herald_store_new (path, &error);
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_CORRUPT);
  g_assert_null (store);
}

/* Transactions, settings, the statement cache */

static void
test_transactions (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert_true (herald_store_begin (fixture->store, &error));
  g_assert_true (herald_store_set_setting (fixture->store, "relay.cursor", "41", &error));
  g_assert_true (herald_store_rollback (fixture->store, &error));
  g_assert_no_error (error);

  value = herald_store_get_setting (fixture->store, "relay.cursor", &error);
  g_assert_no_error (error);
  g_assert_null (value);

  g_assert_true (herald_store_begin (fixture->store, &error));
  g_assert_true (herald_store_set_setting (fixture->store, "relay.cursor", "42", &error));
  g_assert_true (herald_store_commit (fixture->store, &error));
  g_assert_true (herald_store_set_setting (fixture->store, "relay.cursor", "43", &error));
  value = herald_store_get_setting (fixture->store, "relay.cursor", &error);
  g_assert_cmpstr (value, ==, "43");
  g_clear_pointer (&value, g_free);

  g_assert_true (herald_store_set_setting (fixture->store, "relay.cursor", NULL, &error));
  value = herald_store_get_setting (fixture->store, "relay.cursor", &error);
  g_assert_no_error (error);
  g_assert_null (value);

  /* A cached statement is the same object each time, and reset. */
  {
    sqlite3_stmt *first = _herald_store_prepare_cached (fixture->store, "SELECT 1", &error);
    sqlite3_stmt *second = _herald_store_prepare_cached (fixture->store, "SELECT 1", &error);

    g_assert_true (first == second);
    g_assert_false (sqlite3_stmt_busy (second));
  }

  /* Committing with no transaction is an error, not a crash. */
  g_assert_false (herald_store_commit (fixture->store, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_FAILED);
}

/* Business profile */

static void
test_business_profile (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldBusinessProfile) profile = NULL;
  g_autoptr(HeraldBusinessProfile) loaded = NULL;
  g_autoptr(HeraldBusinessProfile) replacement = NULL;

  loaded = herald_store_get_business_profile (fixture->store, &error);
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  profile = herald_business_profile_new ("Corner Bakery");
  herald_business_profile_set_whatsapp_business_id (profile, "102290129340398");
  herald_business_profile_set_app_id (profile, "APP1");
  herald_business_profile_set_phone_number_id (profile, "106540352242922");
  g_assert_true (herald_store_save_business_profile (fixture->store, profile, &error));
  g_assert_no_error (error);
  g_assert_cmpint (herald_business_profile_get_id (profile), >, 0);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$",
                                       herald_business_profile_get_created_at (profile), 0, 0));

  loaded = herald_store_get_business_profile (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_business_profile_get_id (loaded), ==, herald_business_profile_get_id (profile));
  g_assert_cmpstr (herald_business_profile_get_business_name (loaded), ==, "Corner Bakery");
  g_assert_cmpstr (herald_business_profile_get_whatsapp_business_id (loaded), ==, "102290129340398");
  g_assert_cmpstr (herald_business_profile_get_app_id (loaded), ==, "APP1");
  g_assert_cmpstr (herald_business_profile_get_phone_number_id (loaded), ==, "106540352242922");
  g_assert_cmpstr (herald_business_profile_get_created_at (loaded), ==,
                   herald_business_profile_get_created_at (profile));

  /* A new profile replaces the one row rather than adding one. */
  replacement = herald_business_profile_new ("Corner Bakery Ltd");
  g_assert_true (herald_store_save_business_profile (fixture->store, replacement, &error));
  g_assert_cmpint (herald_business_profile_get_id (replacement), ==, herald_business_profile_get_id (profile));
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM business_profiles", NULL), ==, 1);
  g_clear_object (&loaded);
  loaded = herald_store_get_business_profile (fixture->store, &error);
  g_assert_cmpstr (herald_business_profile_get_business_name (loaded), ==, "Corner Bakery Ltd");
  g_assert_null (herald_business_profile_get_app_id (loaded));
}

/* Numbers */

static HeraldNumber *
save_number (HeraldStore *store,
             const char  *phone_number_id,
             const char  *phone)
{
  g_autoptr(GError) error = NULL;
  HeraldNumber *number = herald_number_new (phone_number_id, phone);

  g_assert_true (herald_store_save_number (store, number, &error));
  g_assert_no_error (error);
  return number;
}

static void
test_numbers (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldNumber) number = herald_number_new ("106540352242922", "+1 (415) 555-0100");
  g_autoptr(HeraldNumber) other = NULL;
  g_autoptr(HeraldNumber) loaded = NULL;
  g_autoptr(HeraldNumber) duplicate = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  gint64 id;

  herald_number_set_display_name (number, "Bakery");
  herald_number_set_verified_name (number, "Corner Bakery");
  herald_number_set_quality_rating (number, "GREEN");
  herald_number_set_throughput_level (number, "STANDARD");
  herald_number_set_messaging_limit_tier (number, "TIER_1K");
  herald_number_set_messages_per_second (number, 20);
  herald_number_set_is_sandbox (number, TRUE);
  herald_number_set_verified_at (number, "2026-01-02T03:04:05.678Z");
  g_assert_true (herald_store_save_number (fixture->store, number, &error));
  g_assert_no_error (error);
  id = herald_number_get_id (number);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (herald_number_get_phone_number (number), ==, "+14155550100");

  loaded = herald_store_get_number (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (herald_number_get_phone_number_id (loaded), ==, "106540352242922");
  g_assert_cmpstr (herald_number_get_phone_number (loaded), ==, "+14155550100");
  g_assert_cmpstr (herald_number_get_display_name (loaded), ==, "Bakery");
  g_assert_cmpstr (herald_number_get_verified_name (loaded), ==, "Corner Bakery");
  g_assert_cmpstr (herald_number_get_quality_rating (loaded), ==, "GREEN");
  g_assert_cmpstr (herald_number_get_throughput_level (loaded), ==, "STANDARD");
  g_assert_cmpstr (herald_number_get_messaging_limit_tier (loaded), ==, "TIER_1K");
  g_assert_cmpstr (herald_number_get_verified_at (loaded), ==, "2026-01-02T03:04:05.678Z");
  g_assert_cmpuint (herald_number_get_messages_per_second (loaded), ==, 20);
  g_assert_true (herald_number_get_is_sandbox (loaded));
  g_assert_true (herald_number_get_is_active (loaded));
  g_clear_object (&loaded);

  loaded = herald_store_get_number_by_phone_number_id (fixture->store, "106540352242922", &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_number_get_id (loaded), ==, id);
  g_clear_object (&loaded);

  /* Update */
  herald_number_set_display_name (number, "Shop");
  g_assert_true (herald_store_save_number (fixture->store, number, &error));
  g_assert_cmpint (herald_number_get_id (number), ==, id);
  g_assert_true (herald_store_set_number_active (fixture->store, id, FALSE, &error));
  loaded = herald_store_get_number (fixture->store, id, &error);
  g_assert_cmpstr (herald_number_get_display_name (loaded), ==, "Shop");
  g_assert_false (herald_number_get_is_active (loaded));
  g_clear_object (&loaded);

  /* A second number, listed by id; the same phone number id again is refused. */
  other = save_number (fixture->store, "2", "+14155550101");
  numbers = herald_store_list_numbers (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (numbers->len, ==, 2);
  g_assert_cmpint (herald_number_get_id (g_ptr_array_index (numbers, 0)), ==, id);
  g_assert_cmpuint (herald_number_get_messages_per_second (g_ptr_array_index (numbers, 1)), ==, 80);

  duplicate = herald_number_new ("2", "+14155550102");
  g_assert_false (herald_store_save_number (fixture->store, duplicate, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_CONSTRAINT);
  g_assert_true (g_str_has_prefix (error->message, "Phone number ID: "));
  g_clear_error (&error);

  /* Delete */
  g_assert_true (herald_store_delete_number (fixture->store, herald_number_get_id (other), &error));
  loaded = herald_store_get_number (fixture->store, herald_number_get_id (other), &error);
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (herald_store_delete_number (fixture->store, herald_number_get_id (other), &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (herald_store_set_number_active (fixture->store, 9999, TRUE, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND);
}

/* Contacts */

static HeraldContact *
save_contact (HeraldStore *store,
              const char  *name,
              const char  *mobile)
{
  g_autoptr(GError) error = NULL;
  HeraldContact *contact = herald_contact_new (name, mobile);

  g_assert_true (herald_store_save_contact (store, contact, &error));
  g_assert_no_error (error);
  return contact;
}

static void
test_contacts (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldContact) contact = herald_contact_new ("Ada Lovelace", "+44 20 7946 0958");
  g_autoptr(HeraldContact) loaded = NULL;
  g_autoptr(HeraldContact) twin = NULL;
  gint64 id;

  herald_contact_set_email (contact, "ada@example.com");
  herald_contact_set_notes (contact, "Prefers mornings");
  herald_contact_set_attribute (contact, "city", "London");
  herald_contact_set_attribute (contact, "order_id", "A-17");
  g_assert_true (herald_store_save_contact (fixture->store, contact, &error));
  g_assert_no_error (error);
  id = herald_contact_get_id (contact);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (herald_contact_get_mobile_number (contact), ==, "+442079460958");
  g_assert_nonnull (herald_contact_get_created_at (contact));

  loaded = herald_store_get_contact (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (herald_contact_get_name (loaded), ==, "Ada Lovelace");
  g_assert_cmpstr (herald_contact_get_email (loaded), ==, "ada@example.com");
  g_assert_cmpstr (herald_contact_get_notes (loaded), ==, "Prefers mornings");
  g_assert_cmpstr (herald_contact_get_attribute (loaded, "city"), ==, "London");
  g_assert_cmpstr (herald_contact_get_attribute (loaded, "order_id"), ==, "A-17");
  g_assert_null (herald_contact_get_attribute (loaded, "missing"));
  g_assert_true (herald_contact_get_is_active (loaded));
  g_assert_false (herald_contact_get_opted_out (loaded));
  g_clear_object (&loaded);

  loaded = herald_store_get_contact_by_mobile_number (fixture->store, "+44 (20) 7946-0958", &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_contact_get_id (loaded), ==, id);
  g_clear_object (&loaded);

  /* Update: every field is written, including a removed attribute. */
  herald_contact_set_name (contact, "Augusta Ada King");
  herald_contact_set_email (contact, NULL);
  herald_contact_set_attribute (contact, "city", NULL);
  herald_contact_set_is_active (contact, FALSE);
  g_assert_true (herald_store_save_contact (fixture->store, contact, &error));
  loaded = herald_store_get_contact (fixture->store, id, &error);
  g_assert_cmpstr (herald_contact_get_name (loaded), ==, "Augusta Ada King");
  g_assert_null (herald_contact_get_email (loaded));
  g_assert_null (herald_contact_get_attribute (loaded, "city"));
  g_assert_cmpstr (herald_contact_get_attribute (loaded, "order_id"), ==, "A-17");
  g_assert_false (herald_contact_get_is_active (loaded));
  g_clear_object (&loaded);

  /* One contact per number. */
  twin = herald_contact_new ("Someone Else", "+442079460958");
  g_assert_false (herald_store_save_contact (fixture->store, twin, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_CONSTRAINT);
  g_assert_true (g_str_has_prefix (error->message, "Mobile number: "));
  g_clear_error (&error);
  g_assert_cmpint (herald_store_count_contacts (fixture->store, NULL, &error), ==, 1);

  g_assert_true (herald_store_delete_contact (fixture->store, id, &error));
  loaded = herald_store_get_contact (fixture->store, id, &error);
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND);
  g_assert_null (loaded);
  g_clear_error (&error);
  g_assert_cmpint (herald_store_count_contacts (fixture->store, NULL, &error), ==, 0);
}

static void
test_contact_attributes (void)
{
  g_autoptr(HeraldContact) contact = herald_contact_new ("A", "+14155550100");

  g_assert_cmpstr (herald_contact_get_attributes (contact), ==, "{}");
  herald_contact_set_attribute (contact, "a", "1");
  herald_contact_set_attribute (contact, "b", "2");
  herald_contact_set_attribute (contact, "a", "3");
  g_assert_cmpstr (herald_contact_get_attributes (contact), ==, "{\"b\":\"2\",\"a\":\"3\"}");
  herald_contact_set_attributes (contact, "{\"x\": 5, \"y\": \"z\"}");
  g_assert_null (herald_contact_get_attribute (contact, "x"));
  g_assert_cmpstr (herald_contact_get_attribute (contact, "y"), ==, "z");
  herald_contact_set_attributes (contact, NULL);
  g_assert_cmpstr (herald_contact_get_attributes (contact), ==, "{}");
}

static void
test_upsert (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldContact) first = herald_contact_new ("Grace", "+14155550123");
  g_autoptr(HeraldContact) again = herald_contact_new ("Grace Hopper", "+1 415 555 0123");
  g_autoptr(HeraldContact) loaded = NULL;
  gboolean created = FALSE;

  herald_contact_set_email (first, "grace@example.com");
  herald_contact_set_attribute (first, "rank", "Rear Admiral");
  g_assert_true (herald_store_upsert_contact (fixture->store, first, &created, &error));
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_true (herald_store_set_contact_opted_out (fixture->store, herald_contact_get_id (first),
                                                     TRUE, "Replied STOP", NULL, &error));

  /* Known number: name refreshed, email kept (not given), attributes merged,
   * still opted out. Inside a caller's transaction. */
  herald_contact_set_attribute (again, "ship", "USS Hopper");
  g_assert_true (herald_store_begin (fixture->store, &error));
  g_assert_true (herald_store_upsert_contact (fixture->store, again, &created, &error));
  g_assert_true (herald_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpint (herald_contact_get_id (again), ==, herald_contact_get_id (first));

  loaded = herald_store_get_contact (fixture->store, herald_contact_get_id (first), &error);
  g_assert_cmpstr (herald_contact_get_name (loaded), ==, "Grace Hopper");
  g_assert_cmpstr (herald_contact_get_email (loaded), ==, "grace@example.com");
  g_assert_cmpstr (herald_contact_get_attribute (loaded, "rank"), ==, "Rear Admiral");
  g_assert_cmpstr (herald_contact_get_attribute (loaded, "ship"), ==, "USS Hopper");
  g_assert_true (herald_contact_get_opted_out (loaded));
  g_assert_cmpstr (herald_contact_get_email (again), ==, "grace@example.com");
  g_assert_cmpint (herald_store_count_contacts (fixture->store, NULL, &error), ==, 1);
}

/* Re-importing never re-activates, never opts back in, keeps what the row
 * lacks, merges attributes; and the created flag tells the two cases apart
 * inside one transaction, as the importer runs them. */
static void
test_upsert_keeps_state (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldContact) first = herald_contact_new ("Ada", "+442071838750");
  g_autoptr(HeraldContact) loaded = NULL;
  g_autoptr(HeraldContact) again = NULL;
  HeraldContactFields fields = {
    .name = "Ada Lovelace",
    .mobile_number = "+442071838750",
    .is_active = TRUE,
    .attributes = "{\"city\":\"London\"}",
  };
  HeraldContactFields fresh = {
    .name = "Charles",
    .mobile_number = "+442071838751",
    .email = "",
    .is_active = TRUE,
    .opted_out = TRUE,
    .opted_out_reason = "Asked by phone",
  };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 id;
  gboolean created = TRUE;

  herald_contact_set_email (first, "ada@example.com");
  herald_contact_set_notes (first, "Analyst");
  herald_contact_set_attribute (first, "field", "maths");
  herald_contact_set_attribute (first, "city", "Marylebone");
  before = _herald_store_timestamp (NULL);
  g_assert_true (herald_store_upsert_contact (fixture->store, first, &created, &error));
  after = _herald_store_timestamp (NULL);
  g_assert_no_error (error);
  g_assert_true (created);
  id = herald_contact_get_id (first);
  g_assert_cmpint (id, >, 0);
  /* Stamped now, in the stored format (which sorts as text). */
  g_assert_cmpstr (herald_contact_get_created_at (first), ==, herald_contact_get_updated_at (first));
  g_assert_cmpstr (before, <=, herald_contact_get_created_at (first));
  g_assert_cmpstr (herald_contact_get_created_at (first), <=, after);
  g_assert_cmpuint (strlen (after), ==, strlen ("2026-01-02T03:04:05.678Z"));

  herald_contact_set_is_active (first, FALSE);
  g_assert_true (herald_store_save_contact (fixture->store, first, &error));
  g_assert_true (herald_store_set_contact_opted_out (fixture->store, id, TRUE, "Replied STOP", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (herald_store_begin (fixture->store, &error));
  g_assert_true (_herald_store_upsert_contact_fields (fixture->store, &fields, &created, &error));
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_true (_herald_store_upsert_contact_fields (fixture->store, &fresh, &created, &error));
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_true (herald_store_commit (fixture->store, &error));

  loaded = herald_store_get_contact (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (herald_contact_get_name (loaded), ==, "Ada Lovelace");
  g_assert_cmpstr (herald_contact_get_email (loaded), ==, "ada@example.com");
  g_assert_cmpstr (herald_contact_get_notes (loaded), ==, "Analyst");
  g_assert_cmpstr (herald_contact_get_attribute (loaded, "field"), ==, "maths");
  g_assert_cmpstr (herald_contact_get_attribute (loaded, "city"), ==, "London");
  g_assert_false (herald_contact_get_is_active (loaded));
  g_assert_true (herald_contact_get_opted_out (loaded));
  g_assert_cmpstr (herald_contact_get_opted_out_reason (loaded), ==, "Replied STOP");
  g_clear_object (&loaded);

  /* No attributes leaves them as they are; the public call reads the row back. */
  fields.attributes = NULL;
  fields.email = "lovelace@example.com";
  g_assert_true (_herald_store_upsert_contact_fields (fixture->store, &fields, &created, &error));
  g_assert_false (created);
  again = herald_contact_new ("Ada", "+44 20 7183 8750");
  g_assert_true (herald_store_upsert_contact (fixture->store, again, &created, &error));
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpint (herald_contact_get_id (again), ==, id);
  g_assert_cmpstr (herald_contact_get_email (again), ==, "lovelace@example.com");
  g_assert_cmpstr (herald_contact_get_attribute (again, "city"), ==, "London");
  g_assert_false (herald_contact_get_is_active (again));
  g_assert_true (herald_contact_get_opted_out (again));

  /* A new contact may arrive opted out, stamped now. */
  loaded = herald_store_get_contact_by_mobile_number (fixture->store, "+442071838751", &error);
  g_assert_no_error (error);
  g_assert_true (herald_contact_get_opted_out (loaded));
  g_assert_cmpstr (herald_contact_get_opted_out_reason (loaded), ==, "Asked by phone");
  g_assert_nonnull (herald_contact_get_opted_out_at (loaded));
  g_assert_null (herald_contact_get_email (loaded));
  g_assert_cmpstr (herald_contact_get_attributes (loaded), ==, "{}");
  g_assert_cmpint (herald_store_count_contacts (fixture->store, NULL, &error), ==, 2);

  /* The cheap checks still apply; the number is trusted as given. */
  fresh.mobile_number = "+442071838752";
  fresh.email = "not-an-email";
  g_assert_false (_herald_store_upsert_contact_fields (fixture->store, &fresh, &created, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  fresh.email = NULL;
  fresh.name = " ";
  g_assert_false (_herald_store_upsert_contact_fields (fixture->store, &fresh, &created, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (herald_store_count_contacts (fixture->store, NULL, &error), ==, 2);
}

static void
test_opt_out (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldContact) contact = save_contact (fixture->store, "Linus", "+358401234567");
  g_autoptr(HeraldContact) loaded = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 4, 5, 6, 7.25);
  gint64 id = herald_contact_get_id (contact);

  g_assert_true (herald_store_set_contact_opted_out (fixture->store, id, TRUE, "Replied STOP", when, &error));
  g_assert_no_error (error);
  loaded = herald_store_get_contact (fixture->store, id, &error);
  g_assert_true (herald_contact_get_opted_out (loaded));
  g_assert_cmpstr (herald_contact_get_opted_out_reason (loaded), ==, "Replied STOP");
  g_assert_cmpstr (herald_contact_get_opted_out_at (loaded), ==, "2026-03-04T05:06:07.250Z");
  g_clear_object (&loaded);

  g_assert_true (herald_store_set_contact_opted_out (fixture->store, id, FALSE, NULL, NULL, &error));
  loaded = herald_store_get_contact (fixture->store, id, &error);
  g_assert_false (herald_contact_get_opted_out (loaded));
  g_assert_null (herald_contact_get_opted_out_reason (loaded));
  g_assert_null (herald_contact_get_opted_out_at (loaded));
  g_clear_object (&loaded);

  /* Saving an opted-out contact without a time stamps it now. */
  herald_contact_set_opted_out (contact, TRUE);
  g_assert_true (herald_store_save_contact (fixture->store, contact, &error));
  g_assert_nonnull (herald_contact_get_opted_out_at (contact));

  g_assert_false (herald_store_set_contact_opted_out (fixture->store, 9999, TRUE, NULL, NULL, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND);
}

typedef struct
{
  const char *name;
  const char *mobile;
  const char *email;
  const char *attributes;
  const char *prefix;
} ContactCase;

static void
test_validation (Fixture       *fixture,
                 gconstpointer  data)
{
  static const ContactCase cases[] = {
    { "", "+14155550100", NULL, "{}", "Name: " },
    { "   ", "+14155550100", NULL, "{}", "Name: " },
    { "A", "", NULL, "{}", "Mobile number: " },
    { "A", "4155550100", NULL, "{}", "Mobile number: " },
    { "A", "+1415", NULL, "{}", "Mobile number: " },
    { "A", "+1415555010012345", NULL, "{}", "Mobile number: " },
    { "A", "+1415abc0100", NULL, "{}", "Mobile number: " },
    { "A", "+14155550100", "not-an-email", "{}", "Email: " },
    { "A", "+14155550100", "a b@example.com", "{}", "Email: " },
    { "A", "+14155550100", NULL, "[1, 2]", "Attributes: " },
    { "A", "+14155550100", NULL, "{oops", "Attributes: " },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldBusinessProfile) profile = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HeraldContact) contact = herald_contact_new (cases[i].name, cases[i].mobile);
      gboolean created;

      herald_contact_set_email (contact, cases[i].email);
      herald_contact_set_attributes (contact, cases[i].attributes);
      g_assert_false (herald_store_save_contact (fixture->store, contact, &error));
      g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID);
      g_test_message ("case %u: %s", i, error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].prefix));
      g_clear_error (&error);

      g_assert_false (herald_store_upsert_contact (fixture->store, contact, &created, &error));
      g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_cmpint (herald_store_count_contacts (fixture->store, NULL, &error), ==, 0);

  number = herald_number_new ("", "+14155550100");
  g_assert_false (herald_store_save_number (fixture->store, number, &error));
  g_assert_true (g_str_has_prefix (error->message, "Phone number ID: "));
  g_clear_error (&error);
  herald_number_set_phone_number_id (number, "1065");
  herald_number_set_phone_number (number, "555-0100");
  g_assert_false (herald_store_save_number (fixture->store, number, &error));
  g_assert_true (g_str_has_prefix (error->message, "Phone number: "));
  g_clear_error (&error);

  profile = herald_business_profile_new (" ");
  g_assert_false (herald_store_save_business_profile (fixture->store, profile, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Business name: "));
}

/* In use */

static void
test_in_use (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldNumber) number = save_number (fixture->store, "1065", "+14155550100");
  g_autoptr(HeraldContact) contact = save_contact (fixture->store, "Ada", "+442079460958");
  g_autoptr(HeraldNumber) still = NULL;
  g_autoptr(HeraldContact) still_contact = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO templates (id, name, category, body, variables)"
                         " VALUES (1, 'hello', 'UTILITY', 'Hi', '[]');"
                         "INSERT INTO campaigns (id, whatsapp_number_id, template_id) VALUES (1, %1$" G_GINT64_FORMAT ", 1);"
                         "INSERT INTO campaigns (id, whatsapp_number_id, template_id) VALUES (2, %1$" G_GINT64_FORMAT ", 1);"
                         "INSERT INTO campaigns (id, whatsapp_number_id, template_id) VALUES (3, %1$" G_GINT64_FORMAT ", 1);"
                         "INSERT INTO message_logs (campaign_id, contact_id, whatsapp_number_id, template_id,"
                         " mobile_number, message_content) VALUES (1, %2$" G_GINT64_FORMAT ", %1$" G_GINT64_FORMAT ", 1, '+442079460958', 'Hi');",
                         herald_number_get_id (number), herald_contact_get_id (contact));
  herald_test_store_exec (fixture->store, sql);

  g_assert_false (herald_store_delete_number (fixture->store, herald_number_get_id (number), &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_IN_USE);
  g_assert_true (g_str_has_prefix (error->message, "This number is used by 3 campaigns;"));
  g_clear_error (&error);
  still = herald_store_get_number (fixture->store, herald_number_get_id (number), &error);
  g_assert_no_error (error);

  g_assert_false (herald_store_delete_contact (fixture->store, herald_contact_get_id (contact), &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_IN_USE);
  g_assert_true (g_str_has_prefix (error->message, "This contact has 1 message in campaign history;"));
  g_clear_error (&error);
  still_contact = herald_store_get_contact (fixture->store, herald_contact_get_id (contact), &error);
  g_assert_no_error (error);

  /* Deleting campaigns cascades to their message logs; then the number is
   * still used by nothing, and both go. */
  herald_test_store_exec (fixture->store, "DELETE FROM campaigns");
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM message_logs", NULL), ==, 0);
  g_assert_true (herald_store_delete_contact (fixture->store, herald_contact_get_id (contact), &error));
  g_assert_true (herald_store_delete_number (fixture->store, herald_number_get_id (number), &error));
  g_assert_no_error (error);
}

/* Templates */

static HeraldTemplate *
make_template (const char *name,
               const char *language)
{
  HeraldTemplate *template = herald_template_new ();

  herald_template_set_name (template, name);
  herald_template_set_language (template, language);
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello {{1}}, your order {{2}} is ready.");
  herald_template_set_footer (template, "Corner Bakery");
  return template;
}

static void
test_templates (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldTemplate) english = make_template ("order_ready", "en_US");
  g_autoptr(HeraldTemplate) french = make_template ("order_ready", "fr");
  g_autoptr(HeraldTemplate) twin = make_template ("order_ready", "fr");
  g_autoptr(HeraldTemplate) invalid_template = make_template ("order_ready", "de");
  g_autoptr(HeraldTemplate) loaded = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) approved = NULL;
  g_autoptr(HeraldNumber) number = save_number (fixture->store, "1065", "+14155550100");
  g_autofree char *sql = NULL;

  herald_template_set_meta_template_id (english, "555");
  g_assert_true (herald_store_save_template (fixture->store, english, &error));
  g_assert_no_error (error);
  g_assert_cmpint (herald_template_get_id (english), >, 0);
  g_assert_nonnull (herald_template_get_created_at (english));
  g_assert_true (herald_store_save_template (fixture->store, french, &error));
  g_assert_no_error (error);

  /* Names are unique per language. */
  g_assert_false (herald_store_save_template (fixture->store, twin, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_CONSTRAINT);
  g_assert_true (g_str_has_prefix (error->message, "Name: "));
  g_clear_error (&error);

  herald_template_set_body (invalid_template, "");
  g_assert_false (herald_store_save_template (fixture->store, invalid_template, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID);
  g_clear_error (&error);

  loaded = herald_store_get_template_by_name (fixture->store, "order_ready", "en_US", &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_template_get_id (loaded), ==, herald_template_get_id (english));
  g_assert_cmpstr (herald_template_get_body (loaded), ==, "Hello {{1}}, your order {{2}} is ready.");
  g_assert_cmpstr (herald_template_get_footer (loaded), ==, "Corner Bakery");
  g_assert_cmpint (herald_template_get_category (loaded), ==, HERALD_TEMPLATE_CATEGORY_UTILITY);
  g_assert_cmpint (herald_template_get_status (loaded), ==, HERALD_TEMPLATE_DRAFT);
  g_clear_object (&loaded);

  /* Status from Meta, by id and by name and language. */
  g_assert_true (herald_store_set_template_status (fixture->store, "555", NULL, NULL,
                                                   HERALD_TEMPLATE_APPROVED, NULL, &error));
  g_assert_true (herald_store_set_template_status (fixture->store, NULL, "order_ready", "fr",
                                                   HERALD_TEMPLATE_REJECTED, "INVALID_FORMAT", &error));
  g_assert_no_error (error);
  g_assert_false (herald_store_set_template_status (fixture->store, "999", NULL, NULL,
                                                    HERALD_TEMPLATE_APPROVED, NULL, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  loaded = herald_store_get_template (fixture->store, herald_template_get_id (french), &error);
  g_assert_cmpint (herald_template_get_status (loaded), ==, HERALD_TEMPLATE_REJECTED);
  g_assert_cmpstr (herald_template_get_rejected_reason (loaded), ==, "INVALID_FORMAT");
  g_clear_object (&loaded);

  all = herald_store_list_templates (fixture->store, FALSE, &error);
  approved = herald_store_list_templates (fixture->store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpuint (approved->len, ==, 1);
  g_assert_cmpint (herald_template_get_id (g_ptr_array_index (approved, 0)), ==, herald_template_get_id (english));

  /* In use by a campaign: refused, and the template stays. */
  sql = g_strdup_printf ("INSERT INTO campaigns (whatsapp_number_id, template_id) VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                         herald_number_get_id (number), herald_template_get_id (english));
  herald_test_store_exec (fixture->store, sql);
  g_assert_false (herald_store_delete_template (fixture->store, herald_template_get_id (english), &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_IN_USE);
  g_assert_true (g_str_has_prefix (error->message, "This template is used by 1 campaign;"));
  g_clear_error (&error);
  loaded = herald_store_get_template (fixture->store, herald_template_get_id (english), &error);
  g_assert_no_error (error);

  g_assert_true (herald_store_delete_template (fixture->store, herald_template_get_id (french), &error));
  g_assert_no_error (error);
}

/* Paging */

static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  const guint n_contacts = 250;
  guint n_alice = 0;
  gint64 after = 0;

  g_assert_true (herald_store_begin (fixture->store, &error));
  for (guint i = 0; i < n_contacts; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %u", i % 7 == 0 ? "Alice" : "Bob", i);
      g_autofree char *mobile = g_strdup_printf ("+1415555%04u", i);
      g_autoptr(HeraldContact) contact = herald_contact_new (name, mobile);

      if (i % 7 == 0)
        n_alice++;
      g_assert_true (herald_store_upsert_contact (fixture->store, contact, NULL, &error));
    }
  g_assert_true (herald_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  /* A gap in the ids must not matter. */
  g_assert_true (herald_store_delete_contact (fixture->store, 10, &error));

  for (;;)
    {
      g_autoptr(GPtrArray) page = herald_store_list_contacts (fixture->store, NULL, after, 7, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, 7);
      for (guint i = 0; i < page->len; i++)
        {
          gint64 id = herald_contact_get_id (g_ptr_array_index (page, i));

          g_assert_cmpint (id, >, after);
          g_assert_true (g_hash_table_add (seen, GSIZE_TO_POINTER (id)));
          after = id;
        }
      if (page->len < 7)
        break;
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, n_contacts - 1);

  /* Search: case-insensitive on the name, digits on the number. */
  {
    g_autoptr(GPtrArray) all = NULL;
    g_autoptr(GPtrArray) by_number = NULL;
    gint64 search_after = 0;
    guint found = 0;

    for (;;)
      {
        g_autoptr(GPtrArray) page = herald_store_list_contacts (fixture->store, "aLiCe", search_after, 5, &error);

        g_assert_no_error (error);
        for (guint i = 0; i < page->len; i++)
          g_assert_true (g_str_has_prefix (herald_contact_get_name (g_ptr_array_index (page, i)), "Alice "));
        found += page->len;
        if (page->len < 5)
          break;
        search_after = herald_contact_get_id (g_ptr_array_index (page, page->len - 1));
      }
    g_assert_cmpuint (found, ==, n_alice);
    g_assert_cmpint (herald_store_count_contacts (fixture->store, "alice", &error), ==, n_alice);

    by_number = herald_store_list_contacts (fixture->store, "+1 415-555 0249", 0, 10, &error);
    g_assert_cmpuint (by_number->len, ==, 1);
    g_assert_cmpstr (herald_contact_get_mobile_number (g_ptr_array_index (by_number, 0)), ==, "+14155550249");

    all = herald_store_list_contacts (fixture->store, "%", 0, 1000, &error);
    g_assert_cmpuint (all->len, ==, 0);
  }
}

/* Contact search */

typedef struct
{
  const char *name;
  const char *mobile_number;
  const char *email;
} SearchContact;

static const SearchContact search_contacts[] = {
  { "Élodie Martin", "+33612345678", "elodie@example.fr" },
  { "élodie durand", "+33698765432", NULL },
  { "Hélène Dupont", "+14155550100", "HELENE@EXAMPLE.COM" },
  { "Bob O'Neil", "+14155550199", "bob@example.com" },
  { "Zoë 100% Sure_Thing", "+442071234567", NULL },
  { "Al", "+14155550111", NULL },
  { "Dee \"DJ\" Jones", "+14155550122", "dee@example.com" },
};

static void
add_search_contacts (HeraldStore *store)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (search_contacts); i++)
    {
      g_autoptr(HeraldContact) contact = herald_contact_new (search_contacts[i].name,
                                                             search_contacts[i].mobile_number);

      herald_contact_set_email (contact, search_contacts[i].email);
      g_assert_true (herald_store_save_contact (store, contact, &error));
      g_assert_no_error (error);
    }
}

/* The names @search finds, in order, paging two at a time so that keyset
 * paging is crossed; checks the count agrees. */
static char *
search_names (HeraldStore *store,
              const char  *search)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  gint64 after = 0;
  guint found = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = herald_store_list_contacts (store, search, after, 2, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        {
          HeraldContact *contact = g_ptr_array_index (page, i);

          g_assert_cmpint (herald_contact_get_id (contact), >, after);
          after = herald_contact_get_id (contact);
          if (names->len > 0)
            g_string_append (names, "|");
          g_string_append (names, herald_contact_get_name (contact));
        }
      found += page->len;
      if (page->len < 2)
        break;
    }

  g_assert_cmpint (herald_store_count_contacts (store, search, &error), ==, found);
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* Case-insensitive substring on name, number and email, as the LIKE scan
 * was before the trigram index: ASCII letters fold, accented ones don't
 * (É is not é), and % and _ are plain characters. One and two characters
 * take the scan, three or more the index. */
static void
test_contact_search (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct
  {
    const char *search;
    const char *names;
  } cases[] = {
    /* One character */
    { "ë", "Zoë 100% Sure_Thing" },
    { "1", "Élodie Martin|Hélène Dupont|Bob O'Neil|Zoë 100% Sure_Thing|Al|Dee \"DJ\" Jones" },
    { "%", "Zoë 100% Sure_Thing" },
    { "q", "" },
    /* Two */
    { "DU", "élodie durand|Hélène Dupont" },
    { "0%", "Zoë 100% Sure_Thing" },
    { "al", "Al" },
    { "(6)", "Élodie Martin|élodie durand|Zoë 100% Sure_Thing" },
    /* Three or more */
    { "ÉLO", "Élodie Martin" },
    { "élodie", "élodie durand" },
    { "elodie", "Élodie Martin" },
    { "hélène", "Hélène Dupont" },
    { "example.com", "Hélène Dupont|Bob O'Neil|Dee \"DJ\" Jones" },
    { "100%", "Zoë 100% Sure_Thing" },
    { "e_t", "Zoë 100% Sure_Thing" },
    { "o'n", "Bob O'Neil" },
    { "\"dj\"", "Dee \"DJ\" Jones" },
    { "dj\" OR al", "" },
    { "+1 415-555 0199", "Bob O'Neil" },
    { "555 01", "Hélène Dupont|Bob O'Neil|Al|Dee \"DJ\" Jones" },
    { "+336", "Élodie Martin|élodie durand" },
    { "zzz", "" },
  };

  add_search_contacts (fixture->store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *names = search_names (fixture->store, cases[i].search);

      g_test_message ("search %s", cases[i].search);
      g_assert_cmpstr (names, ==, cases[i].names);
    }

  /* Emptied, the index finds nothing: three characters or more go through
   * it, fewer don't. */
  herald_test_store_exec (fixture->store, "INSERT INTO contacts_search (contacts_search) VALUES ('delete-all')");
  {
    g_autofree char *through_index = search_names (fixture->store, "élodie");
    g_autofree char *scanned = search_names (fixture->store, "DU");

    g_assert_cmpstr (through_index, ==, "");
    g_assert_cmpstr (scanned, ==, "élodie durand|Hélène Dupont");
  }
}

/* The index follows every change: an edited or deleted contact is no longer
 * found by what it was, an edited one is by what it is. */
static void
test_contact_search_follows_changes (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldContact) contact = herald_contact_new ("Margaret Hamilton", "+14155550100");
  g_autoptr(HeraldContact) renamed = herald_contact_new ("Maggie Hamilton", "+14155550100");
  g_autoptr(HeraldContact) other = herald_contact_new ("Grace Hopper", "+14155550101");
  g_autofree char *names = NULL;

  herald_contact_set_email (contact, "margaret@example.com");
  g_assert_true (herald_store_save_contact (fixture->store, contact, &error));
  g_assert_true (herald_store_save_contact (fixture->store, other, &error));
  g_assert_no_error (error);
  names = search_names (fixture->store, "margaret");
  g_assert_cmpstr (names, ==, "Margaret Hamilton");
  g_clear_pointer (&names, g_free);

  /* Edited in the app: name and email. */
  herald_contact_set_name (contact, "Margo Hamilton");
  herald_contact_set_email (contact, "margo@example.com");
  g_assert_true (herald_store_save_contact (fixture->store, contact, &error));
  g_assert_no_error (error);
  names = search_names (fixture->store, "margaret");
  g_assert_cmpstr (names, ==, "");
  g_clear_pointer (&names, g_free);
  names = search_names (fixture->store, "margo@");
  g_assert_cmpstr (names, ==, "Margo Hamilton");
  g_clear_pointer (&names, g_free);

  /* Refreshed by an import (an upsert on the number). */
  g_assert_true (herald_store_upsert_contact (fixture->store, renamed, NULL, &error));
  g_assert_no_error (error);
  names = search_names (fixture->store, "margo");
  g_assert_cmpstr (names, ==, "Maggie Hamilton");
  g_clear_pointer (&names, g_free);
  names = search_names (fixture->store, "maggie");
  g_assert_cmpstr (names, ==, "Maggie Hamilton");
  g_clear_pointer (&names, g_free);
  names = search_names (fixture->store, "hamilton");
  g_assert_cmpstr (names, ==, "Maggie Hamilton");
  g_clear_pointer (&names, g_free);

  /* Deleted. */
  g_assert_true (herald_store_delete_contact (fixture->store, herald_contact_get_id (contact), &error));
  g_assert_no_error (error);
  names = search_names (fixture->store, "hamilton");
  g_assert_cmpstr (names, ==, "");
  g_clear_pointer (&names, g_free);
  names = search_names (fixture->store, "5550100");
  g_assert_cmpstr (names, ==, "");
  g_clear_pointer (&names, g_free);
  names = search_names (fixture->store, "hopper");
  g_assert_cmpstr (names, ==, "Grace Hopper");

  /* The index holds what contacts hold, no more and no less. */
  herald_test_store_exec (fixture->store, "INSERT INTO contacts_search (contacts_search) VALUES ('integrity-check')");
}

static gint64
pending_search_changes (HeraldStore *store)
{
  return herald_test_store_query_int (store, "SELECT count(*) FROM contacts_search_pending", NULL);
}

/* Changes reach the index when their transaction commits; until then a
 * search still finds them (it scans), and a rollback forgets them. A change
 * written by another SQLite client is indexed when the store opens. */
static void
test_contact_search_transactions (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldContact) kept = herald_contact_new ("Katherine Johnson", "+14155550100");
  g_autoptr(HeraldContact) dropped = herald_contact_new ("Dorothy Vaughan", "+14155550101");
  g_autoptr(HeraldStore) again = NULL;
  g_autofree char *names = NULL;

  g_assert_true (herald_store_begin (fixture->store, &error));
  g_assert_true (herald_store_save_contact (fixture->store, kept, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending_search_changes (fixture->store), ==, 1);
  names = search_names (fixture->store, "johnson");
  g_assert_cmpstr (names, ==, "Katherine Johnson");
  g_clear_pointer (&names, g_free);
  g_assert_true (herald_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending_search_changes (fixture->store), ==, 0);
  names = search_names (fixture->store, "johnson");
  g_assert_cmpstr (names, ==, "Katherine Johnson");
  g_clear_pointer (&names, g_free);

  g_assert_true (herald_store_begin (fixture->store, &error));
  g_assert_true (herald_store_save_contact (fixture->store, dropped, &error));
  g_assert_true (herald_store_rollback (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending_search_changes (fixture->store), ==, 0);
  names = search_names (fixture->store, "vaughan");
  g_assert_cmpstr (names, ==, "");
  g_clear_pointer (&names, g_free);

  herald_test_store_exec (fixture->store, "UPDATE contacts SET name = 'Mary Jackson' WHERE name = 'Katherine Johnson'");
  g_assert_cmpint (pending_search_changes (fixture->store), ==, 2);
  names = search_names (fixture->store, "jackson");
  g_assert_cmpstr (names, ==, "Mary Jackson");
  g_clear_pointer (&names, g_free);

  g_clear_object (&fixture->store);
  again = herald_store_new (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pending_search_changes (again), ==, 0);
  g_assert_cmpint (herald_test_store_query_int (again, "SELECT count(*) FROM contacts_search"
                                                " WHERE contacts_search MATCH 'jackson'", NULL), ==, 1);
  names = search_names (again, "johnson");
  g_assert_cmpstr (names, ==, "");
  herald_test_store_exec (again, "INSERT INTO contacts_search (contacts_search) VALUES ('integrity-check')");

  fixture->store = g_steal_pointer (&again);
}

/* A database from before the index (schema 1) that already has contacts:
 * migration 2 indexes them, and the schema ends up as a new database's. */
static void
test_contact_search_migration (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldStore) again = NULL;
  g_autofree char *fresh_schema = schema_text (fixture->store);
  g_autofree char *migrated_schema = NULL;
  g_autofree char *names = NULL;

  add_search_contacts (fixture->store);
  herald_test_store_exec (fixture->store,
                          "BEGIN;"
                          "DROP TRIGGER contacts_search_insert;"
                          "DROP TRIGGER contacts_search_update;"
                          "DROP TRIGGER contacts_search_delete;"
                          "DROP TABLE contacts_search;"
                          "DROP TABLE contacts_search_pending;"
                          "ALTER TABLE templates DROP COLUMN sandbox_status;"  /* migration 3's */
                          "PRAGMA user_version = 1;"
                          "COMMIT");
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM sqlite_schema"
                                                " WHERE name LIKE 'contacts_search%'", NULL), ==, 0);
  g_clear_object (&fixture->store);

  again = herald_store_new (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_test_store_query_int (again, "PRAGMA user_version", NULL), ==, _herald_migrations_latest_version ());
  migrated_schema = schema_text (again);
  g_assert_cmpstr (migrated_schema, ==, fresh_schema);

  /* Found through the index (three characters or more). */
  g_assert_cmpint (herald_test_store_query_int (again, "SELECT count(*) FROM contacts_search"
                                                " WHERE contacts_search MATCH 'lodie'", NULL), ==, 2);
  names = search_names (again, "élodie");
  g_assert_cmpstr (names, ==, "élodie durand");
  g_clear_pointer (&names, g_free);
  names = search_names (again, "example.com");
  g_assert_cmpstr (names, ==, "Hélène Dupont|Bob O'Neil|Dee \"DJ\" Jones");
  herald_test_store_exec (again, "INSERT INTO contacts_search (contacts_search) VALUES ('integrity-check')");

  fixture->store = g_steal_pointer (&again);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/herald/store/schema/matches-seed", test_schema_matches_seed);
  ADD ("/herald/store/schema/checks", test_schema_checks);
  ADD ("/herald/store/migrations/twice", test_migrations_twice);
  ADD ("/herald/store/migrations/too-new", test_too_new);
  ADD ("/herald/store/pragmas", test_pragmas);
  g_test_add_func ("/herald/store/open/default-path", test_default_path);
  g_test_add_func ("/herald/store/open/not-a-database", test_open_not_a_database);
  ADD ("/herald/store/transactions", test_transactions);
  ADD ("/herald/store/contacts/search", test_contact_search);
  ADD ("/herald/store/contacts/search/follows-changes", test_contact_search_follows_changes);
  ADD ("/herald/store/contacts/search/migration", test_contact_search_migration);
  ADD ("/herald/store/contacts/search/transactions", test_contact_search_transactions);
  ADD ("/herald/store/business-profile", test_business_profile);
  ADD ("/herald/store/numbers", test_numbers);
  ADD ("/herald/store/contacts/crud", test_contacts);
  g_test_add_func ("/herald/store/contacts/attributes", test_contact_attributes);
  ADD ("/herald/store/contacts/upsert", test_upsert);
  ADD ("/herald/store/contacts/upsert-keeps-state", test_upsert_keeps_state);
  ADD ("/herald/store/contacts/opt-out", test_opt_out);
  ADD ("/herald/store/validation", test_validation);
  ADD ("/herald/store/in-use", test_in_use);
  ADD ("/herald/store/contacts/paging", test_paging);
  ADD ("/herald/store/templates", test_templates);

  return g_test_run ();
}
