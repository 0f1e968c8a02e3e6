/* bench-ui.c: the app's cold start to its first frame, and its memory with a
 * million-row campaign log shown
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <malloc.h>
#include <stdio.h>
#include <signal.h>
#include <sys/wait.h>

#include "herald-campaign.h"
#include "herald-campaign-view.h"
#include "herald-message-log.h"
#include "herald-test-utils.h"
#include "bench-median.h"

#define COLD_START_RUNS 10
#define COLD_START_GOAL_MS 400.0
#define RSS_GOAL_MB 150.0
#define LOG_ROWS 1000000

/* Spawns herald on the database @db and reads its stdout until it prints
 * "first-frame" (HERALD_REPORT_FIRST_FRAME), which it does after the
 * window's first paint. */
static double
cold_start_ms (const char *db)
{
  g_autofree char *program = herald_test_program_path ("herald");
  g_auto(GStrv) env = g_get_environ ();
  const char *argv[] = { program, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  GPid pid;
  int out;
  gint64 start, end = 0;
  int status;

  env = g_environ_setenv (env, "HERALD_DB", db, TRUE);
  env = g_environ_setenv (env, "HERALD_REPORT_FIRST_FRAME", "1", TRUE);
  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &pid, NULL, &out, NULL, &error))
    g_error ("Could not start %s: %s", program, error->message);
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  while (g_io_channel_read_line (channel, &line, NULL, NULL, NULL) == G_IO_STATUS_NORMAL)
    {
      if (g_str_has_prefix (line, "first-frame"))
        {
          end = g_get_monotonic_time ();
          break;
        }
      g_clear_pointer (&line, g_free);
    }
  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  if (end == 0)
    g_error ("herald never reported its first frame");
  return (end - start) / 1000.0;
}

static double
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + 6, NULL, 10) / 1024.0;
}

static gboolean
model_idle (gpointer data)
{
  HeraldMessageLogModel *model = data;

  return !herald_message_log_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0 &&
         herald_message_log_model_get_n_fetching (model) == 0;
}

static void
spin (double seconds)
{
  gint64 until = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
settle (HeraldMessageLogModel *model)
{
  herald_test_wait_until (model_idle, model, 120000);
  /* Let the view lay out and draw the rows it shows, then read any page it asked for. */
  spin (0.5);
  herald_test_wait_until (model_idle, model, 120000);
}

/* Builds a database with one campaign of a million messages and returns the
 * campaign's id. It runs in a child process (--generate), so that what SQLite
 * and malloc keep from writing a million rows is not counted as the app's. */
static gint64
generate_million (const char *db)
{
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldNumber) number = herald_number_new ("123456789", "+15550100000");
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(HeraldContact) contact = herald_contact_new ("Customer", "+15550200000");
  g_autoptr(HeraldCampaignSpec) spec = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(HeraldCampaignReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created;

  store = herald_store_new (db, &error);
  g_assert_no_error (error);
  g_assert_true (herald_store_save_number (store, number, &error));
  herald_template_set_name (template, "order_ready");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello {{1}}, your order is ready.");
  herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
  g_assert_true (herald_store_save_template (store, template, &error));
  g_assert_true (herald_store_upsert_contact (store, contact, &created, &error));
  spec = herald_campaign_spec_new (herald_number_get_id (number), herald_template_get_id (template));
  herald_campaign_spec_set_name (spec, "A million");
  g_assert_true (herald_campaign_spec_bind (spec, "1", "name", &error));
  campaign = herald_campaign_create (store, spec, &report, &error);
  g_assert_no_error (error);
  g_assert_true (herald_message_log_generate (store, herald_campaign_get_id (campaign),
                                              herald_contact_get_id (contact), LOG_ROWS, 0, &error));
  return herald_campaign_get_id (campaign);
}

/* Bytes malloc has handed out and not had back: the app's own data, without
 * the libraries' code and the renderer's mappings that RSS also counts. */
static double
heap_mb (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

/* In a child process started with GSK_RENDERER set (the renderer is chosen
 * once per process): an empty window first, the baseline no app can go
 * under, then the dashboard of the million-message campaign of @db with its
 * log scrolled top, middle, end. Prints "baseline RSS HEAP" and "log RSS HEAP"
 * lines (MB), read by log_rss(). */
static int
measure_rss (const char *db,
             gint64      campaign_id)
{
  g_autoptr(HeraldStoreWorker) worker = NULL;
  g_autoptr(GError) error = NULL;
  HeraldCampaignView *view;
  GtkWindow *window;
  const double fractions[] = { 0, 0.5, 1 };

  if (!gtk_init_check ())
    return 77;
  adw_init ();
  window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (window, 960, 640);
  gtk_window_present (window);
  spin (1);
  g_print ("baseline %.1f %.1f\n", rss_mb (), heap_mb ());

  worker = herald_store_worker_new (db, &error);
  g_assert_no_error (error);
  view = herald_campaign_view_new (worker, campaign_id);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (view));
  for (guint i = 0; i < G_N_ELEMENTS (fractions); i++)
    {
      herald_campaign_view_show_messages (view, fractions[i]);
      settle (herald_campaign_view_get_log_model (view));
      herald_campaign_view_show_messages (view, fractions[i]);
      settle (herald_campaign_view_get_log_model (view));
      g_print ("log %.1f %.1f\n", rss_mb (), heap_mb ());
    }
  gtk_window_destroy (window);
  return 0;
}

/* Runs measure_rss() under @renderer and prints its figures: RSS is what the
 * goal is about; the empty window's RSS is the renderer's and GTK's share,
 * the heap the app's own data. Returns the median RSS with the log shown. */
static double
log_rss (const char *self_path,
         const char *db,
         gint64      campaign_id,
         const char *renderer)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, campaign_id);
  const char *argv[] = { self_path, "--rss", db, id, NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "GSK_RENDERER", renderer, TRUE);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  double rss[3], heap[3], base_rss = 0, base_heap = 0, median;
  guint n = 0;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("Could not measure the %s renderer: %s", renderer, error->message);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (sscanf (lines[i], "baseline %lf %lf", &base_rss, &base_heap) == 2)
        continue;
      if (n < G_N_ELEMENTS (rss) && sscanf (lines[i], "log %lf %lf", &rss[n], &heap[n]) == 2)
        n++;
    }
  if (n != G_N_ELEMENTS (rss))
    g_error ("The %s measurement printed %u figures, not %u:\n%s", renderer, n, (guint) G_N_ELEMENTS (rss), out);

  g_print ("[%s renderer] empty window: RSS %.1f MB (heap %.1f MB)\n", renderer, base_rss, base_heap);
  g_print ("[%s renderer] %d-row log shown top, middle, end: RSS %.1f, %.1f, %.1f MB (heap %.1f, %.1f, %.1f MB)\n",
           renderer, LOG_ROWS, rss[0], rss[1], rss[2], heap[0], heap[1], heap[2]);
  median = bench_median (rss, 3);
  g_print ("[%s renderer] RSS median %.1f MB (goal %.0f MB: %.2f of it); the app's own share over the empty window: "
           "%.1f MB RSS, %.1f MB heap\n",
           renderer, median, RSS_GOAL_MB, median / RSS_GOAL_MB, median - base_rss,
           bench_median (heap, 3) - base_heap);
  return median;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  g_autofree char *dir = NULL;
  double cold[COLD_START_RUNS];
  double first_run[COLD_START_RUNS];
  g_autofree char *profile_db = NULL;
  g_autofree char *million_db = NULL;
  gint64 campaign_id;
  double cold_median;

  if (argc == 3 && g_str_equal (argv[1], "--generate"))
    {
      g_print ("%" G_GINT64_FORMAT "\n", generate_million (argv[2]));
      return 0;
    }
  if (argc == 4 && g_str_equal (argv[1], "--rss"))
    return measure_rss (argv[2], g_ascii_strtoll (argv[3], NULL, 10));

  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);
  if (!gtk_init_check ())
    {
      g_printerr ("bench-ui: no display\n");
      return 77;
    }
  dir = g_dir_make_tmp ("bench-ui-XXXXXX", NULL);
  million_db = g_build_filename (dir, "million.db", NULL);
  g_setenv ("HERALD_BUILD_ROOT", g_getenv ("HERALD_BUILD_ROOT") ? g_getenv ("HERALD_BUILD_ROOT") : ".", FALSE);

  /* A first run creates its database; every later start opens an existing
   * one, which is what people see each day: measure both. */
  for (guint i = 0; i < COLD_START_RUNS; i++)
    {
      g_autofree char *db = g_strdup_printf ("%s/first-run-%u.db", dir, i);

      first_run[i] = cold_start_ms (db);
    }
  g_print ("first run (new database) to first frame: median %.0f ms over %d runs\n",
           bench_median (first_run, COLD_START_RUNS), COLD_START_RUNS);

  profile_db = g_strdup_printf ("%s/first-run-0.db", dir);
  for (guint i = 0; i < COLD_START_RUNS; i++)
    cold[i] = cold_start_ms (profile_db);
  cold_median = bench_median (cold, COLD_START_RUNS);
  g_print ("cold start (existing database) to first frame: median %.0f ms over %d runs (goal %.0f ms: %.2f of it)\n",
           cold_median, COLD_START_RUNS, COLD_START_GOAL_MS, cold_median / COLD_START_GOAL_MS);

  /* The million rows are written by a child process (--generate), so that
   * what SQLite and malloc keep from writing them is counted nowhere. */
  {
    const char *generate_argv[] = { argv[0], "--generate", million_db, NULL };
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    int status;

    if (!g_spawn_sync (NULL, (char **) generate_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      g_error ("Could not build the million-row database: %s", error->message);
    campaign_id = g_ascii_strtoll (out, NULL, 10);
  }
  /* GTK's default renderer, and the one that draws on the CPU with no GL
   * driver: on this machine GL is llvmpipe, itself most of the figure. */
  log_rss (argv[0], million_db, campaign_id, "gl");
  log_rss (argv[0], million_db, campaign_id, "cairo");
  return 0;
}
