/* bench-throttle.c: pacing accuracy at 80 messages per second for 30 s, as
 * the herald-sim program measures it (and no 130429 answers)
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <math.h>
#include <stdio.h>

#include "herald-campaign.h"
#include "herald-sender.h"
#include "herald-store-private.h"
#include "herald-test-utils.h"

#define TOKEN "bench-token"

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

/* Sends @n messages at @rate to a sim that allows @rate per second. */
static int
run (guint n,
     guint rate)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *sim_path = herald_test_program_path ("herald-sim");
  g_autofree char *mps = g_strdup_printf ("%u", rate);
  const char *sim_argv[] = { sim_path, "--port", "0", "--token", TOKEN, "--template", "hello:en_US:2",
                             "--mps", mps, "--pair-window-ms", "0",
                             "--messaging-limit", "100000000", NULL };
  g_autoptr(HeraldTestServer) sim = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) stats_node = NULL;
  g_autofree char *stats_url = NULL;
  JsonObject *stats;
  JsonArray *per_second;
  double low = G_MAXDOUBLE, high = 0;
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
                "rate", rate, NULL);
  start = g_get_monotonic_time ();
  herald_sender_run_async (sender, NULL, on_run_cb, &result);
  herald_test_wait_until (done, &result, 30 * 60 * 1000);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  herald_sender_run_finish (sender, result, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (herald_sender_get_sent (sender), ==, n);

  stats_url = g_strdup_printf ("%s/_sim/stats", herald_test_server_get_url (sim));
  msg = soup_message_new ("GET", stats_url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  stats_node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  stats = json_node_get_object (stats_node);
  per_second = json_object_get_array_member (stats, "per_second");
  /* Whole seconds only: the last one is cut short. */
  for (guint i = 0; i + 1 < json_array_get_length (per_second); i++)
    {
      double v = json_array_get_int_element (per_second, i);
      low = MIN (low, v);
      high = MAX (high, v);
    }
  printf ("throttle %u/s for %.1f s: the sim measured %.2f messages/s (error %.2f%%, goal within 2%%: %s), "
          "per second %.0f–%.0f, 130429 answers %" G_GINT64_FORMAT ", max in any second %" G_GINT64_FORMAT "\n",
          rate, seconds, json_object_get_double_member (stats, "mean_mps"),
          100.0 * (json_object_get_double_member (stats, "mean_mps") - rate) / rate,
          fabs (json_object_get_double_member (stats, "mean_mps") - rate) <= 0.02 * rate ? "met" : "missed",
          low, high, json_object_get_int_member (stats, "throttled"),
          json_object_get_int_member (stats, "max_mps_seen"));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  /* One run of 30 s: the figure is the sim's mean over the run. */
  return run (80 * 30, 80);
}
