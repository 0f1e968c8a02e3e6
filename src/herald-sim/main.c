/* main.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "herald-sim-server.h"

static gboolean
on_quit_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(HeraldSimServer) sim = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) templates = NULL;
  g_autofree char *token = NULL;
  g_autofree char *app_secret = NULL;
  g_autofree char *webhook_url = NULL;
  g_autofree char *waba_id = NULL;
  g_autoptr(JsonObject) webhooks = json_object_new ();
  g_autoptr(JsonObject) settings = json_object_new ();
  int webhook_batch = 1;
  int port = 0;
  int mps = 80;
  int pair_window_ms = 6000;
  int messaging_limit = 100000;
  int approve_delay_ms = 0;
  int latency_ms = 0;
  int seed = 1;
  gint64 fail_code = 131000;
  double fail_rate = 0;
  double http_5xx_rate = 0;
  double drop_rate = 0;
  double drop_after_accept_rate = 0;
  gboolean auto_approve = FALSE;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Port on 127.0.0.1 (0: any free one)"), "N" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, N_("Access token clients must send (default: $HERALD_SIM_TOKEN or “sim-token”)"), "T" },
    { "app-secret", 0, 0, G_OPTION_ARG_STRING, &app_secret, N_("App secret that signs webhooks"), "S" },
    { "webhook-url", 0, 0, G_OPTION_ARG_STRING, &webhook_url, N_("Where to POST webhooks"), "URL" },
    { "mps", 0, 0, G_OPTION_ARG_INT, &mps, N_("Messages per second per phone number (default 80)"), "N" },
    { "template", 0, 0, G_OPTION_ARG_STRING_ARRAY, &templates, N_("Preload an approved template"), "NAME:LANG:N_BODY_PARAMS[:HEADER]" },
    { "auto-approve", 0, 0, G_OPTION_ARG_NONE, &auto_approve, N_("Approve created templates at once"), NULL },
    { "approve-delay-ms", 0, 0, G_OPTION_ARG_INT, &approve_delay_ms, N_("Approve created templates after this delay"), "N" },
    { "fail-rate", 0, 0, G_OPTION_ARG_DOUBLE, &fail_rate, N_("Share of valid sends that fail with --fail-code"), "R" },
    { "fail-code", 0, 0, G_OPTION_ARG_INT64, &fail_code, N_("Error code of injected failures, or an HTTP status 500–599 (default 131000)"), "C" },
    { "http-5xx-rate", 0, 0, G_OPTION_ARG_DOUBLE, &http_5xx_rate, N_("Share of requests answered with HTTP 500"), "R" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms, N_("Delay before each answer"), "N" },
    { "drop-rate", 0, 0, G_OPTION_ARG_DOUBLE, &drop_rate, N_("Share of requests whose connection is closed unanswered"), "R" },
    { "drop-after-accept-rate", 0, 0, G_OPTION_ARG_DOUBLE, &drop_after_accept_rate, N_("Share of accepted sends whose connection is closed unanswered"), "R" },
    { "pair-window-ms", 0, 0, G_OPTION_ARG_INT, &pair_window_ms, N_("One message per recipient in this window (default 6000)"), "N" },
    { "messaging-limit", 0, 0, G_OPTION_ARG_INT, &messaging_limit, N_("Unique recipients in 24 hours (default 100000)"), "N" },
    { "webhook-batch", 0, 0, G_OPTION_ARG_INT, &webhook_batch, N_("Statuses per webhook POST, at most (default 1)"), "N" },
    { "waba-id", 0, 0, G_OPTION_ARG_STRING, &waba_id, N_("Business account id in message webhooks' entry[].id"), "ID" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Seed of the random choices (default 1)"), "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("— a local stand-in for the WhatsApp Cloud API"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("herald-sim: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > G_MAXUINT16 || mps < 1 || pair_window_ms < 0 || messaging_limit < 0 ||
      approve_delay_ms < 0 || latency_ms < 0 || seed < 0 || webhook_batch < 1 ||
      fail_rate < 0 || fail_rate > 1 || http_5xx_rate < 0 || http_5xx_rate > 1 ||
      drop_rate < 0 || drop_rate > 1 || drop_after_accept_rate < 0 || drop_after_accept_rate > 1)
    {
      g_printerr ("herald-sim: %s\n", _("a number is out of range (rates are 0–1, counts are not negative)"));
      return 2;
    }

  if (token == NULL)
    token = g_strdup (g_getenv ("HERALD_SIM_TOKEN") ? g_getenv ("HERALD_SIM_TOKEN") : "sim-token");

  sim = g_object_new (HERALD_TYPE_SIM_SERVER,
                      "token", token,
                      "app-secret", app_secret,
                      "webhook-url", webhook_url,
                      "mps", (guint) mps,
                      "pair-window-ms", (guint) pair_window_ms,
                      "messaging-limit", (guint) messaging_limit,
                      "auto-approve", auto_approve,
                      "approve-delay-ms", (guint) approve_delay_ms,
                      "fail-rate", fail_rate,
                      "fail-code", fail_code,
                      "http-5xx-rate", http_5xx_rate,
                      "latency-ms", (guint) latency_ms,
                      "drop-rate", drop_rate,
                      "drop-after-accept-rate", drop_after_accept_rate,
                      "seed", (guint) seed,
                      NULL);

  /* Settings without a property of their own go the way of POST /_sim/control. */
  json_object_set_int_member (webhooks, "batch_size", webhook_batch);
  json_object_set_object_member (settings, "webhooks", json_object_ref (webhooks));
  if (waba_id != NULL)
    json_object_set_string_member (settings, "waba_id", waba_id);
  if (!herald_sim_server_control (sim, settings, &error))
    {
      g_printerr ("herald-sim: %s\n", error->message);
      return 2;
    }

  for (guint i = 0; templates != NULL && templates[i] != NULL; i++)
    if (!herald_sim_server_add_template (sim, templates[i], &error))
      {
        g_printerr ("herald-sim: %s\n", error->message);
        return 2;
      }

  if (!herald_sim_server_listen (sim, (guint) port, &error))
    {
      g_printerr ("herald-sim: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);

  printf ("listening on %s\n", herald_sim_server_get_url (sim));
  fflush (stdout);

  g_main_loop_run (loop);
  return 0;
}
