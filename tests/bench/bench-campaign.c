/* bench-campaign.c: messages per second and peak memory of one campaign run
 * against the herald-sim program, throttling off
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each run is a child process (this program with --child N), so its peak
 * RSS (VmHWM) is its own: creating the campaign and sending it.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "herald-campaign.h"
#include "herald-sender.h"
#include "herald-store-private.h"
#include "herald-test-utils.h"
#include "bench-median.h"

#define TOKEN     "bench-token"
#define GOAL_MPS  3000.0
#define GOAL_MB   64.0

static gboolean
done (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
on_run_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static double
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("VmHWM:"), NULL) / 1024.0;
}

/* Creates a campaign of @n messages and sends it; prints "MPS RSS_MB". */
static int
child (guint n)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *sim_path = herald_test_program_path ("herald-sim");
  const char *sim_argv[] = { sim_path, "--port", "0", "--token", TOKEN, "--template", "hello:en_US:2",
                             "--mps", "100000000", "--pair-window-ms", "0",
                             "--messaging-limit", "100000000", NULL };
  g_autoptr(HeraldTestServer) sim = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldSender) sender = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HeraldCampaignStatus status;
  gint64 campaign_id;
  gint64 start;
  double seconds;

  sim = herald_test_server_start (sim_argv, &error);
  g_assert_no_error (error);
  store = herald_store_new (db, &error);
  g_assert_no_error (error);

  campaign_id = herald_test_make_campaign (store, n);

  sender = herald_sender_new (db, campaign_id);
  g_object_set (sender, "api-base", herald_test_server_get_url (sim), "access-token", TOKEN,
                "rate", 1000000, "max-in-flight", 64, NULL);
  start = g_get_monotonic_time ();
  herald_sender_run_async (sender, NULL, on_run_cb, &result);
  herald_test_wait_until (done, &result, 30 * 60 * 1000);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  herald_sender_run_finish (sender, result, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (herald_sender_get_sent (sender), ==, n);

  printf ("%.1f %.1f\n", n / seconds, peak_rss_mb ());
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  static const guint sizes[] = { 10000, 100000 };
  const char *reps_env = g_getenv ("HERALD_BENCH_REPS");
  guint reps = reps_env ? (guint) atoi (reps_env) : 3;

  if (argc == 3 && g_str_equal (argv[1], "--child"))
    return child ((guint) atoi (argv[2]));

  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) rss = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *size = g_strdup_printf ("%u", sizes[s]);

      for (guint r = 0; r < MAX (reps, 1); r++)
        {
          const char *child_argv[] = { argv[0], "--child", size, NULL };
          g_autofree char *out = NULL;
          double mps, mb;
          int exit_status;

          g_assert_true (herald_test_spawn_sync (child_argv, NULL, &out, NULL, &exit_status));
          g_assert_cmpint (exit_status, ==, 0);
          g_assert_cmpint (sscanf (out, "%lf %lf", &mps, &mb), ==, 2);
          g_array_append_val (rates, mps);
          g_array_append_val (rss, mb);
        }
      printf ("campaign %6u messages: %.0f messages/s (median of %u; goal %.0f: ratio %.2f), "
              "peak RSS %.1f MB (goal < %.0f: ratio %.2f)\n",
              sizes[s], bench_median ((double *) rates->data, rates->len), rates->len, GOAL_MPS, bench_median ((double *) rates->data, rates->len) / GOAL_MPS,
              bench_median ((double *) rss->data, rss->len), GOAL_MB, bench_median ((double *) rss->data, rss->len) / GOAL_MB);
      fflush (stdout);
    }
  return 0;
}
