/* test-cli.c: herald-cli end to end, as a user runs it
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "herald-secrets.h"
#include "herald-store.h"
#include "herald-test-utils.h"

#define SIM_TOKEN "cli-test-token-Zq81xVw"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = herald_test_tmp_dir ();
  fixture->db = g_build_filename (fixture->dir, "herald.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->db);
  g_free (fixture->dir);
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs herald-cli with the NULL-terminated arguments, @stdin_text on its stdin. */
static void
run_cli (Run        *run,
         const char *stdin_text,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, herald_test_program_path ("herald-cli"));
  va_start (args, stdin_text);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (herald_test_spawn_sync ((const char * const *) argv->pdata, stdin_text,
                                         &run->out, &run->err, &run->status));
}

/* Exit 1: nothing on stdout, one line "herald-cli: …" naming @needle. */
static void
assert_user_error (const Run  *run,
                   const char *needle)
{
  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "herald-cli: "));
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  g_assert_true (strchr (run->err, '\n') == run->err + strlen (run->err) - 1);
  if (needle != NULL && strstr (run->err, needle) == NULL)
    g_error ("stderr “%s” does not name “%s”", run->err, needle);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_json_equal (const char *actual,
                   const char *expected)
{
  g_autoptr(JsonNode) a = parse_json (actual);
  g_autoptr(JsonNode) e = parse_json (expected);

  if (!json_node_equal (a, e))
    g_error ("JSON differs:\n  got      %s\n  expected %s", actual, expected);
}

/* Contacts */

static void
import_fixture (Fixture    *fixture,
                const char *db,
                Run        *run)
{
  g_autofree char *csv = herald_test_data_path ("cli-contacts.csv");

  run_cli (run, NULL, "contacts", "import", csv, "--db", db, "--default-region", "DE", "--json", NULL);
}

static void
test_contacts_import (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *csv = herald_test_data_path ("cli-contacts.csv");
  g_auto(Run) first = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) plain = { 0 };
  g_auto(Run) text = { 0 };
  g_autofree char *db2 = g_build_filename (fixture->dir, "plain.db", NULL);

  import_fixture (fixture, fixture->db, &first);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.err, ==, "");
  assert_json_equal (first.out,
                     "{\"imported\":4,\"updated\":0,\"skipped\":2,\"errors\":["
                     "{\"line\":4,\"reason\":\"no mobile number\"},"
                     "{\"line\":6,\"reason\":\"the mobile number +447700900123 repeats line 2\"}]}");

  /* The same file again: every number is known, so each row updates. */
  import_fixture (fixture, fixture->db, &again);
  g_assert_cmpint (again.status, ==, 0);
  assert_json_equal (again.out,
                     "{\"imported\":0,\"updated\":4,\"skipped\":2,\"errors\":["
                     "{\"line\":4,\"reason\":\"no mobile number\"},"
                     "{\"line\":6,\"reason\":\"the mobile number +447700900123 repeats line 2\"}]}");

  /* Without a default region a national number is rejected with its line. */
  run_cli (&plain, NULL, "contacts", "import", csv, "--db", db2, "--json", NULL);
  g_assert_cmpint (plain.status, ==, 0);
  assert_json_equal (plain.out,
                     "{\"imported\":3,\"updated\":0,\"skipped\":3,\"errors\":["
                     "{\"line\":3,\"reason\":\"mobile number “0151 23456789” has no country code: "
                     "write it with + and the country code\"},"
                     "{\"line\":4,\"reason\":\"no mobile number\"},"
                     "{\"line\":6,\"reason\":\"the mobile number +447700900123 repeats line 2\"}]}");

  /* The human summary names the counts and each rejected line. */
  run_cli (&text, NULL, "contacts", "import", csv, "--db", db2, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "skipped 3"));
  g_assert_nonnull (strstr (text.out, "Line 4: no mobile number"));
}

static void
test_contacts_import_errors (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.csv", NULL);
  g_autofree char *no_phone = g_build_filename (fixture->dir, "no-phone.csv", NULL);
  g_autofree char *csv = herald_test_data_path ("cli-contacts.csv");
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };

  run_cli (&a, NULL, "contacts", "import", missing, "--db", fixture->db, "--json", NULL);
  assert_user_error (&a, "missing.csv");

  g_assert_true (g_file_set_contents (no_phone, "Name,City\nAda,London\n", -1, NULL));
  run_cli (&b, NULL, "contacts", "import", no_phone, "--db", fixture->db, "--json", NULL);
  assert_user_error (&b, NULL);

  run_cli (&c, NULL, "contacts", "import", csv, "--db", fixture->db, "--default-region", "XX", NULL);
  assert_user_error (&c, "XX");
}

static const char *const contact_members[] = {
  "id", "name", "mobile_number", "email", "notes", "is_active", "opted_out",
  "opted_out_reason", "opted_out_at", "attributes", "created_at", "updated_at",
};

static void
test_contacts_list (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Run) import = { 0 };
  g_auto(Run) all = { 0 };
  g_auto(Run) found = { 0 };
  g_auto(Run) none = { 0 };
  g_auto(Run) text = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) found_root = NULL;
  JsonArray *array;
  JsonObject *ada;

  import_fixture (fixture, fixture->db, &import);
  g_assert_cmpint (import.status, ==, 0);

  run_cli (&all, NULL, "contacts", "list", "--db", fixture->db, "--json", NULL);
  g_assert_cmpint (all.status, ==, 0);
  g_assert_cmpstr (all.err, ==, "");
  root = parse_json (all.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 4);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *contact = json_array_get_object_element (array, i);

      g_assert_cmpuint (json_object_get_size (contact), ==, G_N_ELEMENTS (contact_members));
      for (guint m = 0; m < G_N_ELEMENTS (contact_members); m++)
        g_assert_true (json_object_has_member (contact, contact_members[m]));
      g_assert_true (json_object_get_boolean_member (contact, "is_active"));
      g_assert_false (json_object_get_boolean_member (contact, "opted_out"));
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (contact, "attributes")));
      if (i > 0)
        g_assert_cmpint (json_object_get_int_member (contact, "id"), >,
                         json_object_get_int_member (json_array_get_object_element (array, i - 1), "id"));
    }

  ada = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (ada, "name"), ==, "Ada Lovelace");
  g_assert_cmpstr (json_object_get_string_member (ada, "mobile_number"), ==, "+447700900123");
  g_assert_cmpstr (json_object_get_string_member (ada, "email"), ==, "ada@example.com");
  g_assert_cmpstr (json_object_get_string_member (ada, "notes"), ==, "first customer");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ada, "attributes"), "City"),
                   ==, "London");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "mobile_number"),
                   ==, "+4915123456789");

  run_cli (&found, NULL, "contacts", "list", "--search", "Díaz", "--db", fixture->db, "--json", NULL);
  g_assert_cmpint (found.status, ==, 0);
  found_root = parse_json (found.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (found_root)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (found_root), 0),
                                                  "mobile_number"), ==, "+34612345678");

  run_cli (&none, NULL, "contacts", "list", "--search", "nobody-here", "--db", fixture->db, "--json", NULL);
  g_assert_cmpint (none.status, ==, 0);
  assert_json_equal (none.out, "[]");

  run_cli (&text, NULL, "contacts", "list", "--db", fixture->db, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "+447700900123\tAda Lovelace"));
}

/* The list without what a round trip through CSV changes: ids and times. */
static char *
list_portable (const char *db)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  run_cli (&run, NULL, "contacts", "list", "--db", db, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *contact = json_array_get_object_element (array, i);

      json_object_remove_member (contact, "id");
      json_object_remove_member (contact, "created_at");
      json_object_remove_member (contact, "updated_at");
      json_object_remove_member (contact, "opted_out_at");
    }
  return json_to_string (root, FALSE);
}

static void
test_contacts_export_round_trip (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autofree char *db2 = g_build_filename (fixture->dir, "other.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(Run) import = { 0 };
  g_auto(Run) add = { 0 };
  g_auto(Run) opt_out = { 0 };
  g_auto(Run) export = { 0 };
  g_auto(Run) reimport = { 0 };

  import_fixture (fixture, fixture->db, &import);
  g_assert_cmpint (import.status, ==, 0);
  run_cli (&add, NULL, "contacts", "add", "--name", "Eve", "--mobile", "+33 6 12 34 56 78",
           "--attribute", "City=Lyon", "--db", fixture->db, NULL);
  g_assert_cmpint (add.status, ==, 0);
  run_cli (&opt_out, NULL, "contacts", "opt-out", "+33612345678", "--reason", "asked", "--db", fixture->db, NULL);
  g_assert_cmpint (opt_out.status, ==, 0);

  run_cli (&export, NULL, "contacts", "export", csv, "--db", fixture->db, NULL);
  g_assert_cmpint (export.status, ==, 0);
  g_assert_cmpstr (export.out, ==, "");

  run_cli (&reimport, NULL, "contacts", "import", csv, "--db", db2, "--json", NULL);
  g_assert_cmpint (reimport.status, ==, 0);
  assert_json_equal (reimport.out, "{\"imported\":5,\"updated\":0,\"skipped\":0,\"errors\":[]}");

  before = list_portable (fixture->db);
  after = list_portable (db2);
  /* The opt-out reason is not a CSV column; the flag is. */
  g_assert_nonnull (strstr (before, "\"opted_out\":true"));
  g_assert_nonnull (strstr (after, "\"opted_out\":true"));
  {
    g_autoptr(JsonNode) a = parse_json (before);
    g_autoptr(JsonNode) b = parse_json (after);
    JsonArray *aa = json_node_get_array (a);
    JsonArray *ba = json_node_get_array (b);

    for (guint i = 0; i < json_array_get_length (aa); i++)
      {
        json_object_remove_member (json_array_get_object_element (aa, i), "opted_out_reason");
        json_object_remove_member (json_array_get_object_element (ba, i), "opted_out_reason");
      }
    g_assert_true (json_node_equal (a, b));
  }
}

static void
test_contacts_edit (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) remove = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) list = { 0 };

  run_cli (&add, NULL, "contacts", "add", "--name", "Fay", "--mobile", "030 1234567",
           "--default-region", "DE", "--db", fixture->db, NULL);
  g_assert_cmpint (add.status, ==, 0);
  g_assert_cmpstr (add.out, ==, "1\n");

  run_cli (&bad, NULL, "contacts", "add", "--name", "Gus", "--mobile", "12", "--db", fixture->db, NULL);
  assert_user_error (&bad, "Mobile number");

  run_cli (&remove, NULL, "contacts", "remove", "1", "--db", fixture->db, NULL);
  g_assert_cmpint (remove.status, ==, 0);
  run_cli (&again, NULL, "contacts", "remove", "1", "--db", fixture->db, NULL);
  assert_user_error (&again, NULL);

  run_cli (&list, NULL, "contacts", "list", "--db", fixture->db, "--json", NULL);
  assert_json_equal (list.out, "[]");
}

/* Templates */

static void
test_templates_add (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Run) ok = { 0 };
  g_auto(Run) list = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *template;

  run_cli (&ok, NULL, "templates", "add", "--name", "order_ready", "--language", "en_US",
           "--category", "utility", "--body", "Hello {{1}}, your order {{2}} is ready.",
           "--header-type", "TEXT", "--header-content", "Your order",
           "--footer", "Reply STOP to opt out",
           "--buttons", "[{\"type\":\"QUICK_REPLY\",\"text\":\"Thanks\"}]",
           "--db", fixture->db, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpstr (ok.out, ==, "1\n");
  g_assert_cmpstr (ok.err, ==, "");

  run_cli (&list, NULL, "templates", "list", "--db", fixture->db, "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  root = parse_json (list.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  template = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpint (json_object_get_int_member (template, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (template, "name"), ==, "order_ready");
  g_assert_cmpstr (json_object_get_string_member (template, "language"), ==, "en_US");
  g_assert_cmpstr (json_object_get_string_member (template, "category"), ==, "UTILITY");
  g_assert_cmpstr (json_object_get_string_member (template, "status"), ==, "DRAFT");
  g_assert_cmpstr (json_object_get_string_member (template, "header_type"), ==, "TEXT");
  g_assert_cmpstr (json_object_get_string_member (template, "header_content"), ==, "Your order");
  g_assert_cmpstr (json_object_get_string_member (template, "footer"), ==, "Reply STOP to opt out");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (template, "buttons")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (template, "variables")), ==, 2);
  g_assert_true (json_object_get_null_member (template, "meta_template_id"));
}

typedef struct
{
  const char *field;           /* must appear in the error line */
  const char *option;
  const char *value;
} InvalidTemplate;

static const InvalidTemplate invalid_templates[] = {
  { "Name", "--name", "Order Ready" },
  { "Category", "--category", "SPAM" },
  { "Body", "--body", "{{1}} starts the body" },
  { "Body", "--body", "" },
  { "Footer", "--footer", "This footer is far too long for Meta, which allows sixty chars" },
  { "Header", "--header-type", "AUDIO" },
  { "Buttons", "--buttons", "[{\"type\":\"QUICK_REPLY\"}]" },
  { "Status", "--status", "GREAT" },
};

static void
test_templates_add_invalid (Fixture       *fixture,
                            gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid_templates); i++)
    {
      const InvalidTemplate *t = &invalid_templates[i];
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) args = NULL;
      const char *defaults[][2] = {
        { "--name", "order_ready" }, { "--language", "en_US" },
        { "--category", "UTILITY" }, { "--body", "Hello {{1}}, welcome to our shop." },
      };
      g_auto(Run) run = { 0 };
      g_autofree char *program = herald_test_program_path ("herald-cli");

      g_strv_builder_add_many (builder, program, "templates", "add", "--db", fixture->db, NULL);
      for (guint d = 0; d < G_N_ELEMENTS (defaults); d++)
        if (!g_str_equal (defaults[d][0], t->option))
          g_strv_builder_add_many (builder, defaults[d][0], defaults[d][1], NULL);
      g_strv_builder_add_many (builder, t->option, t->value, NULL);
      args = g_strv_builder_end (builder);

      g_test_message ("%s %s", t->option, t->value);
      g_assert_true (herald_test_spawn_sync ((const char * const *) args, NULL, &run.out, &run.err, &run.status));
      assert_user_error (&run, t->field);
    }

  /* Nothing was stored (and no database was even needed). */
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

/* Usage errors */

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  const char *const cases[][6] = {
    { NULL },
    { "frobnicate", NULL },
    { "contacts", NULL },
    { "contacts", "frobnicate", NULL },
    { "contacts", "list", "--frobnicate", NULL },
    { "contacts", "import", NULL },
    { "contacts", "export", "a.csv", "b.csv", NULL },
    { "templates", "add", "--name", "x", NULL },
    { "templates", "sync", NULL },
    { "numbers", "verify", NULL },
    { "numbers", "add", "--phone", "+4915123456789", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autofree char *program = herald_test_program_path ("herald-cli");
      g_auto(GStrv) args = NULL;
      g_auto(Run) run = { 0 };

      g_strv_builder_add (builder, program);
      for (guint a = 0; cases[i][a] != NULL; a++)
        g_strv_builder_add (builder, cases[i][a]);
      args = g_strv_builder_end (builder);

      g_assert_true (herald_test_spawn_sync ((const char * const *) args, "", &run.out, &run.err, &run.status));
      g_test_message ("case %u: %s", i, run.err);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, "sage"));
    }

  {
    g_auto(Run) help = { 0 };

    run_cli (&help, NULL, "--help", NULL);
    g_assert_cmpint (help.status, ==, 0);
    g_assert_nonnull (strstr (help.out, "contacts"));
  }
}

/* Numbers, the keyring and the Cloud API */

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return g_strstr_len (contents, length, needle) != NULL;
}

static void
assert_token_nowhere (Fixture    *fixture,
                      const Run  *run,
                      const char *token)
{
  g_autofree char *wal = g_strconcat (fixture->db, "-wal", NULL);

  g_assert_null (strstr (run->out, token));
  g_assert_null (strstr (run->err, token));
  g_assert_true (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (fixture->db, token));
  g_assert_false (file_contains (wal, token));
}

static void
add_number (Fixture    *fixture,
            const char *phone_number_id,
            const char *token)
{
  g_auto(Run) run = { 0 };
  g_autofree char *line = g_strconcat (token, "\n", NULL);

  run_cli (&run, line, "numbers", "add", "--phone-number-id", phone_number_id,
           "--phone", "+49 151 2345 6789", "--display-name", "Shop", "--db", fixture->db, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  assert_token_nowhere (fixture, &run, token);
}

static void
test_numbers_add (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *token = "EAAG-cli-secret-9f3b1c77d2";
  g_autoptr(GError) error = NULL;
  g_auto(Run) list = { 0 };
  g_auto(Run) empty = { 0 };
  g_auto(Run) remove = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *number;
  char *stored;

  add_number (fixture, "1098765432", token);

  stored = herald_secrets_lookup_sync (HERALD_SECRET_ACCESS_TOKEN, "1098765432", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, token);
  secret_password_free (stored);

  run_cli (&list, NULL, "numbers", "list", "--db", fixture->db, "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_null (strstr (list.out, token));
  root = parse_json (list.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  number = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (number, "phone_number_id"), ==, "1098765432");
  g_assert_cmpstr (json_object_get_string_member (number, "phone_number"), ==, "+4915123456789");
  g_assert_cmpstr (json_object_get_string_member (number, "display_name"), ==, "Shop");
  g_assert_true (json_object_get_null_member (number, "verified_at"));

  /* No token on stdin: nothing stored. */
  run_cli (&empty, "", "numbers", "add", "--phone-number-id", "555", "--phone", "+4915199999999",
           "--db", fixture->db, NULL);
  assert_user_error (&empty, NULL);

  /* A token that is a word of a keyring label, or part of the number, is
   * stored like any other (it once failed without an error). */
  for (guint i = 0; i < 2; i++)
    {
      const char *plain_tokens[] = { "token", "4915" };
      g_auto(Run) plain = { 0 };
      g_autofree char *line = g_strconcat (plain_tokens[i], "\n", NULL);
      g_autofree char *id = g_strdup_printf ("77%u", i);

      run_cli (&plain, line, "numbers", "add", "--phone-number-id", id, "--phone", "+4915199999999",
               "--db", fixture->db, NULL);
      g_assert_cmpstr (plain.err, ==, "");
      g_assert_cmpint (plain.status, ==, 0);
      stored = herald_secrets_lookup_sync (HERALD_SECRET_ACCESS_TOKEN, id, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (stored, ==, plain_tokens[i]);
      secret_password_free (stored);
    }

  run_cli (&remove, NULL, "numbers", "remove", "1098765432", "--db", fixture->db, NULL);
  g_assert_cmpint (remove.status, ==, 0);
  stored = herald_secrets_lookup_sync (HERALD_SECRET_ACCESS_TOKEN, "1098765432", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
}

static HeraldTestServer *
start_sim (gboolean auto_approve)
{
  g_autofree char *program = herald_test_program_path ("herald-sim");
  const char *argv[] = {
    program, "--port", "0", "--token", SIM_TOKEN, "--template", "hello:en_US:1",
    "--template", "welcome:de:0", auto_approve ? "--auto-approve" : NULL, NULL
  };
  g_autoptr(GError) error = NULL;
  HeraldTestServer *server;

  server = herald_test_server_start (argv, &error);
  g_assert_no_error (error);
  return server;
}

static void
test_numbers_verify (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(HeraldTestServer) sim = start_sim (FALSE);
  const char *url = herald_test_server_get_url (sim);
  g_auto(Run) verify = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) by_row = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) wrong = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) shown = NULL;
  JsonObject *number;

  add_number (fixture, "2001", SIM_TOKEN);
  run_cli (&verify, NULL, "numbers", "verify", "2001", "--api-base", url, "--db", fixture->db, "--json", NULL);
  g_assert_cmpstr (verify.err, ==, "");
  g_assert_cmpint (verify.status, ==, 0);
  assert_token_nowhere (fixture, &verify, SIM_TOKEN);
  shown = parse_json (verify.out);

  run_cli (&list, NULL, "numbers", "list", "--db", fixture->db, "--json", NULL);
  root = parse_json (list.out);
  number = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_false (json_object_get_null_member (number, "verified_at"));
  g_assert_false (json_object_get_null_member (number, "verified_name"));
  g_assert_false (json_object_get_null_member (number, "quality_rating"));
  g_assert_cmpstr (json_object_get_string_member (number, "verified_name"), ==,
                   json_object_get_string_member (json_node_get_object (shown), "verified_name"));

  /* The row id works too. */
  run_cli (&by_row, NULL, "numbers", "verify", "1", "--api-base", url, "--db", fixture->db, NULL);
  g_assert_cmpint (by_row.status, ==, 0);
  g_assert_nonnull (strstr (by_row.out, "Quality rating"));

  run_cli (&unknown, NULL, "numbers", "verify", "777", "--api-base", url, "--db", fixture->db, NULL);
  assert_user_error (&unknown, "777");

  /* Meta refuses a token: exit 1 with Meta's reason, and the token never shows. */
  add_number (fixture, "2002", "EAAG-not-the-sim-token-55");
  run_cli (&wrong, NULL, "numbers", "verify", "2002", "--api-base", url, "--db", fixture->db, NULL);
  assert_user_error (&wrong, NULL);
  g_assert_null (strstr (wrong.err, "EAAG-not-the-sim-token-55"));
}

static void
test_templates_sync (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(HeraldTestServer) sim = start_sim (FALSE);
  const char *url = herald_test_server_get_url (sim);
  g_auto(Run) no_waba = { 0 };
  g_auto(Run) business = { 0 };
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) show = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  add_number (fixture, "3001", SIM_TOKEN);

  run_cli (&no_waba, NULL, "templates", "sync", "--number", "3001", "--api-base", url, "--db", fixture->db, NULL);
  assert_user_error (&no_waba, "business set");

  run_cli (&business, NULL, "business", "set", "--name", "Corner Shop", "--waba-id", "900100",
           "--db", fixture->db, NULL);
  g_assert_cmpint (business.status, ==, 0);
  run_cli (&show, NULL, "business", "show", "--db", fixture->db, "--json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  {
    g_autoptr(JsonNode) profile = parse_json (show.out);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (profile), "business_name"), ==, "Corner Shop");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (profile), "whatsapp_business_id"), ==, "900100");
  }

  run_cli (&first, NULL, "templates", "sync", "--number", "3001", "--api-base", url,
           "--db", fixture->db, "--json", NULL);
  g_assert_cmpstr (first.err, ==, "");
  g_assert_cmpint (first.status, ==, 0);
  assert_json_equal (first.out, "{\"added\":2,\"updated\":0,\"skipped\":0}");
  assert_token_nowhere (fixture, &first, SIM_TOKEN);

  run_cli (&second, NULL, "templates", "sync", "--number", "3001", "--api-base", url, "--db", fixture->db, NULL);
  g_assert_cmpint (second.status, ==, 0);
  g_assert_nonnull (strstr (second.out, "0 added, 2 updated"));

  run_cli (&list, NULL, "templates", "list", "--db", fixture->db, "--json", NULL);
  root = parse_json (list.out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *template = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (template, "status"), ==, "APPROVED");
      g_assert_false (json_object_get_null_member (template, "meta_template_id"));
    }
}

static void
test_templates_submit (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(HeraldTestServer) sim = start_sim (FALSE);
  const char *url = herald_test_server_get_url (sim);
  g_auto(Run) business = { 0 };
  g_auto(Run) add = { 0 };
  g_auto(Run) add_de = { 0 };
  g_auto(Run) ambiguous = { 0 };
  g_auto(Run) submit = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) no_token = { 0 };
  g_auto(Run) list = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *template;

  add_number (fixture, "4001", SIM_TOKEN);
  run_cli (&business, NULL, "business", "set", "--name", "Shop", "--waba-id", "900200", "--db", fixture->db, NULL);
  g_assert_cmpint (business.status, ==, 0);

  run_cli (&add, NULL, "templates", "add", "--name", "spring_sale", "--language", "en_US",
           "--category", "MARKETING", "--body", "Hi {{1}}, 20% off this week.", "--db", fixture->db, NULL);
  g_assert_cmpint (add.status, ==, 0);
  run_cli (&add_de, NULL, "templates", "add", "--name", "spring_sale", "--language", "de",
           "--category", "MARKETING", "--body", "Hallo {{1}}, 20% Rabatt.", "--db", fixture->db, NULL);
  g_assert_cmpint (add_de.status, ==, 0);

  run_cli (&ambiguous, NULL, "templates", "submit", "spring_sale", "--number", "4001",
           "--api-base", url, "--db", fixture->db, NULL);
  assert_user_error (&ambiguous, "--language");

  run_cli (&submit, NULL, "templates", "submit", "spring_sale", "--language", "en_US", "--number", "4001",
           "--api-base", url, "--db", fixture->db, NULL);
  g_assert_cmpstr (submit.err, ==, "");
  g_assert_cmpint (submit.status, ==, 0);
  g_assert_nonnull (strstr (submit.out, "PENDING"));
  assert_token_nowhere (fixture, &submit, SIM_TOKEN);

  run_cli (&list, NULL, "templates", "list", "--db", fixture->db, "--json", NULL);
  root = parse_json (list.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      template = json_array_get_object_element (json_node_get_array (root), i);
      if (g_str_equal (json_object_get_string_member (template, "language"), "en_US"))
        {
          g_assert_cmpstr (json_object_get_string_member (template, "status"), ==, "PENDING");
          g_assert_false (json_object_get_null_member (template, "meta_template_id"));
        }
      else
        {
          g_assert_cmpstr (json_object_get_string_member (template, "status"), ==, "DRAFT");
          g_assert_true (json_object_get_null_member (template, "meta_template_id"));
        }
    }

  run_cli (&missing, NULL, "templates", "submit", "nope", "--number", "4001",
           "--api-base", url, "--db", fixture->db, NULL);
  assert_user_error (&missing, "nope");

  /* A number whose token is gone from the keyring. */
  g_assert_true (herald_secrets_clear_sync (HERALD_SECRET_ACCESS_TOKEN, "4001", NULL, NULL));
  run_cli (&no_token, NULL, "templates", "submit", "spring_sale", "--language", "de", "--number", "4001",
           "--api-base", url, "--db", fixture->db, NULL);
  assert_user_error (&no_token, "keyring");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/herald/cli/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("contacts/import", test_contacts_import);
  ADD ("contacts/import-errors", test_contacts_import_errors);
  ADD ("contacts/list", test_contacts_list);
  ADD ("contacts/export-round-trip", test_contacts_export_round_trip);
  ADD ("contacts/edit", test_contacts_edit);
  ADD ("templates/add", test_templates_add);
  ADD ("templates/add-invalid", test_templates_add_invalid);
  ADD ("templates/sync", test_templates_sync);
  ADD ("templates/submit", test_templates_submit);
  ADD ("numbers/add", test_numbers_add);
  ADD ("numbers/verify", test_numbers_verify);
  ADD ("usage", test_usage);

  return g_test_run ();
}
