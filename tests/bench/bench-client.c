/* bench-client.c: template sends per second that HeraldCloudClient completes
 * against the herald-sim program on loopback, with 1, 8 and 32 requests in
 * flight, next to what wrk gets from the same sim (the ceiling).
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "herald-cloud-client.h"
#include "herald-cloud-error.h"
#include "herald-template.h"
#include "herald-test-utils.h"
#include "bench-median.h"

#define SECONDS_PER_RUN 3
#define REPETITIONS 3

typedef struct
{
  HeraldCloudClient *client;
  HeraldTemplate    *template;
  HeraldMessageParams *params;
  gint64             deadline;
  guint              in_flight;
  guint              completed;
  guint              failed;
  guint64            next_recipient;
} Run;

static void send_one (Run *run);

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(HeraldSendResult) sent = NULL;
  g_autoptr(GError) error = NULL;

  sent = herald_cloud_client_send_template_finish (HERALD_CLOUD_CLIENT (source), result, &error);
  run->in_flight--;
  if (sent != NULL)
    run->completed++;
  else
    {
      if (run->failed++ == 0)
        g_printerr ("first error: %s\n", error->message);
    }

  if (g_get_monotonic_time () < run->deadline)
    send_one (run);
}

static void
send_one (Run *run)
{
  g_autofree char *recipient = g_strdup_printf ("+49%010" G_GUINT64_FORMAT, run->next_recipient);
  g_autofree char *callback_data = g_strdup_printf ("bench=%" G_GUINT64_FORMAT, run->next_recipient);

  run->next_recipient++;
  run->in_flight++;
  herald_cloud_client_send_template_async (run->client, "106540352242922", recipient,
                                           run->template, run->params, callback_data,
                                           NULL, on_sent, run);
}

static double
measure_client (const char     *url,
                HeraldTemplate *template,
                guint           in_flight,
                guint64        *next_recipient)
{
  g_autoptr(HeraldCloudClient) client = herald_cloud_client_new (url, "bench");
  g_autoptr(HeraldMessageParams) params = herald_message_params_new ();
  Run run = { 0 };
  gint64 start;
  double seconds;

  herald_message_params_set_value (params, "1", "Anna");
  run.client = client;
  run.template = template;
  run.params = params;
  run.next_recipient = *next_recipient;

  start = g_get_monotonic_time ();
  run.deadline = start + SECONDS_PER_RUN * G_USEC_PER_SEC;
  for (guint i = 0; i < in_flight; i++)
    send_one (&run);
  while (run.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  *next_recipient = run.next_recipient;
  if (run.failed > 0)
    g_printerr ("%u of %u sends failed\n", run.failed, run.completed + run.failed);
  return run.completed / seconds;
}

/* wrk's "Requests/sec:" line, or 0 when wrk is missing. */
static double
measure_wrk (const char *url)
{
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *wrk = g_find_program_in_path ("wrk");
  const char *line;
  int status;

  if (wrk == NULL)
    return 0;

  script = g_build_filename (g_getenv ("HERALD_SOURCE_ROOT"), "tests", "bench", "sim-send.lua", NULL);
  {
    const char *argv[] = { wrk, "-t2", "-c32", "-d" G_STRINGIFY (SECONDS_PER_RUN) "s", "-s", script, url, NULL };
    if (!herald_test_spawn_sync (argv, NULL, &out, &err, &status) || status != 0)
      return 0;
  }
  line = strstr (out, "Requests/sec:");
  return line ? g_ascii_strtod (line + strlen ("Requests/sec:"), NULL) : 0;
}

int
main (int   argc,
      char *argv[])
{
  static const guint levels[] = { 1, 8, 32 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldTestServer) sim = NULL;
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autofree char *sim_path = herald_test_program_path ("herald-sim");
  double client_rates[G_N_ELEMENTS (levels)];
  double wrk_runs[REPETITIONS];
  double ceiling;
  guint64 next_recipient = 1000000000;
  const char *sim_argv[] = {
    sim_path, "--port", "0", "--token", "bench", "--template", "hello:en:1",
    "--mps", "100000000", "--pair-window-ms", "0", "--messaging-limit", "1000000000", NULL
  };

  sim = herald_test_server_start (sim_argv, &error);
  if (sim == NULL)
    g_error ("herald-sim: %s", error->message);

  herald_template_set_name (template, "hello");
  herald_template_set_language (template, "en");
  herald_template_set_body (template, "Hello {{1}}, your order is ready for pick-up today.");

  g_print ("HeraldCloudClient -> herald-sim (median of %d runs of %d s)\n",
           REPETITIONS, SECONDS_PER_RUN);
  for (guint l = 0; l < G_N_ELEMENTS (levels); l++)
    {
      double runs[REPETITIONS];

      for (guint r = 0; r < REPETITIONS; r++)
        runs[r] = measure_client (herald_test_server_get_url (sim), template, levels[l], &next_recipient);
      client_rates[l] = bench_median (runs, REPETITIONS);
      g_print ("  %2u in flight: %8.0f sends/s  (runs %.0f %.0f %.0f)\n",
               levels[l], client_rates[l], runs[0], runs[1], runs[2]);
    }

  for (guint r = 0; r < REPETITIONS; r++)
    wrk_runs[r] = measure_wrk (herald_test_server_get_url (sim));
  ceiling = bench_median (wrk_runs, REPETITIONS);
  if (ceiling > 0)
    g_print ("wrk -c32 -> herald-sim: %8.0f requests/s (ceiling); client at 32 in flight = %.0f%% of it\n",
             ceiling, 100 * client_rates[G_N_ELEMENTS (levels) - 1] / ceiling);
  else
    g_print ("wrk not available: no ceiling measured\n");

  return 0;
}
