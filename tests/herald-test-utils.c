/* herald-test-utils.c: helpers shared by Herald's tests
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "herald-campaign.h"
#include "herald-store-private.h"
#include "herald-test-utils.h"

struct _HeraldTestServer
{
  GSubprocess *process;
  char        *url;
};

/* Programs live in src/NAME/NAME of the build tree. */
char *
herald_test_program_path (const char *name)
{
  const char *build_root = g_getenv ("HERALD_BUILD_ROOT");

  g_assert_nonnull (build_root);
  return g_build_filename (build_root, "src", name, name, NULL);
}

char *
herald_test_data_path (const char *name)
{
  const char *data = g_getenv ("HERALD_TEST_DATA");

  g_assert_nonnull (data);
  return g_build_filename (data, name, NULL);
}

/* A fresh directory under TMPDIR, which ./build-aux/run-tests points into its
 * throwaway tree, so what tests leave there goes away with the run. */
char *
herald_test_tmp_dir (void)
{
  g_autofree char *template = g_build_filename (g_get_tmp_dir (), "herald-test-XXXXXX", NULL);
  char *dir = g_mkdtemp (g_steal_pointer (&template));

  g_assert_nonnull (dir);
  return dir;
}

HeraldTestServer *
herald_test_server_start (const char *const  *argv,
                          GError            **error)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  HeraldTestServer *server;
  const char *url;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (process == NULL)
    return NULL;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "%s did not start: first line was “%s”", argv[0], line ? line : "(none)");
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      return NULL;
    }

  url = line + strlen ("listening on ");
  server = g_new0 (HeraldTestServer, 1);
  server->process = g_steal_pointer (&process);
  server->url = g_strdup (url);
  return server;
}

const char *
herald_test_server_get_url (HeraldTestServer *server)
{
  return server->url;
}

GPid
herald_test_server_get_pid (HeraldTestServer *server)
{
  const char *id = g_subprocess_get_identifier (server->process);

  return id ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

/* Stops the server with SIGTERM, as a service manager would, and checks that it
 * exited cleanly. */
void
herald_test_server_stop (HeraldTestServer *server)
{
  if (server == NULL)
    return;

  if (g_subprocess_get_identifier (server->process) != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_assert_true (g_subprocess_get_if_exited (server->process));
      g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
    }

  g_clear_object (&server->process);
  g_free (server->url);
  g_free (server);
}

gboolean
herald_test_spawn_sync (const char *const  *argv,
                        const char         *stdin_text,
                        char              **stdout_text,
                        char              **stderr_text,
                        int                *exit_status)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);

  if (!g_subprocess_communicate_utf8 (process, stdin_text, NULL, stdout_text, stderr_text, &error))
    {
      g_test_message ("%s: %s", argv[0], error->message);
      return FALSE;
    }

  g_assert_true (g_subprocess_get_if_exited (process));
  *exit_status = g_subprocess_get_exit_status (process);
  return TRUE;
}

static gboolean
on_wait_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the default main context until @predicate holds; fails the test after
 * @timeout_ms. */
void
herald_test_wait_until (gboolean (*predicate) (gpointer data),
                        gpointer   data,
                        guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_wait_timeout, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

/* Changes an in-process herald-sim's faults and settings (its control JSON). */
void
herald_test_sim_control (HeraldSimServer *sim,
                         const char      *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (node);
  herald_sim_server_control (sim, json_node_get_object (node), &error);
  g_assert_no_error (error);
}

/* One counter of an in-process herald-sim's /_sim/stats. */
gint64
herald_test_sim_stat (HeraldSimServer *sim,
                      const char      *name)
{
  g_autoptr(JsonNode) stats = herald_sim_server_get_stats (sim);

  g_assert_true (json_object_has_member (json_node_get_object (stats), name));
  return json_object_get_int_member (json_node_get_object (stats), name);
}

/* A campaign of @n_messages to new contacts (+4917…), from number 100000000000002
 * with the approved template hello/en_US ("Hello {{1}}, see you in {{2}} soon.",
 * herald-sim's --template hello:en_US:2); returns its id. */
gint64
herald_test_make_campaign (HeraldStore *store,
                           guint        n_messages)
{
  g_autoptr(HeraldNumber) number = herald_number_new ("100000000000002", "+15550001111");
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(HeraldCampaignSpec) spec = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;

  herald_store_save_number (store, number, &error);
  g_assert_no_error (error);
  herald_template_set_name (template, "hello");
  herald_template_set_language (template, "en_US");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello {{1}}, see you in {{2}} soon.");
  herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
  herald_store_save_template (store, template, &error);
  g_assert_no_error (error);

  /* Plain inserts: a benchmark's set-up, not what it measures. */
  herald_store_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= n_messages; i++)
    {
      g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (store,
        "INSERT INTO contacts (name, mobile_number) VALUES (?1, ?2)", &error);
      char name[32], mobile[32];

      g_assert_no_error (error);
      g_snprintf (name, sizeof name, "Person %u", i);
      g_snprintf (mobile, sizeof mobile, "+4917%08u", i);
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, mobile, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
  herald_store_commit (store, &error);
  g_assert_no_error (error);

  spec = herald_campaign_spec_new (herald_number_get_id (number), herald_template_get_id (template));
  herald_campaign_spec_bind (spec, "1", "name", &error);
  g_assert_no_error (error);
  herald_campaign_spec_bind (spec, "2", "=Paris", &error);
  g_assert_no_error (error);
  campaign = herald_campaign_create (store, spec, NULL, &error);
  g_assert_no_error (error);

  return herald_campaign_get_id (campaign);
}

/* Runs @sql, which must succeed, on @store's connection. */
void
herald_test_store_exec (HeraldStore *store,
                        const char  *sql)
{
  char *message = NULL;

  if (sqlite3_exec (herald_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* @sql prepared on @store's connection, with ?1 bound to @arg unless it is
 * NULL; the caller binds and steps. */
static sqlite3_stmt *
prepare_query (HeraldStore *store,
               const char  *sql,
               const char  *arg)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (herald_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  return stmt;
}

/* The text in the first column of @stmt's first row, which it must have. */
static char *
step_text (sqlite3_stmt *stmt)
{
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* The integer that @sql, with ?1 bound to @arg (NULL: nothing bound), gives in
 * its first row, which it must have; -1 for NULL. */
gint64
herald_test_store_query_int (HeraldStore *store,
                             const char  *sql,
                             const char  *arg)
{
  g_autoptr(sqlite3_stmt) stmt = prepare_query (store, sql, arg);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 0);
}

/* The text that @sql, with ?1 bound to @arg (NULL: nothing bound), gives in
 * its first row, which it must have; NULL for NULL. */
char *
herald_test_store_query_text (HeraldStore *store,
                              const char  *sql,
                              const char  *arg)
{
  g_autoptr(sqlite3_stmt) stmt = prepare_query (store, sql, arg);

  return step_text (stmt);
}

/* herald_test_store_query_text() with ?1 bound to the integer @id. */
char *
herald_test_store_query_text_for_id (HeraldStore *store,
                                     const char  *sql,
                                     gint64       id)
{
  g_autoptr(sqlite3_stmt) stmt = prepare_query (store, sql, NULL);

  sqlite3_bind_int64 (stmt, 1, id);
  return step_text (stmt);
}
