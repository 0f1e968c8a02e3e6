/* herald-cli-webhooks.c: herald-cli webhooks … and relay …
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>

#include "herald-cli-common.h"
#include "herald-feed.h"
#include "herald-secrets.h"
#include "herald-status-applier.h"

static JsonNode *
report_to_json (const HeraldApplyReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const struct { const char *name; guint value; } counts[] = {
    { "payloads", report->payloads },
    { "duplicates", report->duplicates },
    { "rejected", report->rejected },
    { "statuses", report->statuses },
    { "applied", report->applied },
    { "unchanged", report->unchanged },
    { "pending", report->pending },
    { "settled", report->settled },
    { "inbound", report->inbound },
    { "opted_out", report->opted_out },
    { "templates", report->templates },
  };

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      herald_cli_json_add_int (builder, counts[i].name, counts[i].value);
    }
  json_builder_set_member_name (builder, "problem");
  if (report->problem != NULL)
    json_builder_add_string_value (builder, report->problem);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
print_report (HeraldCliCommand        *cmd,
              const HeraldApplyReport *report)
{
  if (herald_cli_command_get_json (cmd))
    {
      g_autoptr(JsonNode) node = report_to_json (report);

      herald_cli_print_json (node);
      return;
    }

  printf (_("Statuses: %u recorded, %u applied, %u unchanged, %u kept for a message not recorded yet, "
            "%u applied from earlier\n"),
          report->statuses, report->applied, report->unchanged, report->pending, report->settled);
  printf (_("Inbound messages: %u (%u opt-outs); template updates applied: %u\n"),
          report->inbound, report->opted_out, report->templates);
}

/* webhooks ingest FILE|- */
static int
webhooks_ingest (int    argc,
                 char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldStatusApplier) applier = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_auto(HeraldApplyReport) report = { 0 };
  const char *name;
  int exit_code;

  cmd = herald_cli_command_new ("webhooks ingest", "FILE|-",
                                _("Applies one raw webhook payload, as Meta posts it, from a file or "
                                  "standard input. No signature is needed: it is your own input."),
                                HERALD_CLI_OPTION_JSON);
  if (!herald_cli_command_parse (cmd, argc, argv, 1, 1, &exit_code))
    return exit_code;

  name = herald_cli_command_get_arg (cmd, 0);
  if (g_str_equal (name, "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                  herald_cli_get_cancellable (), &error) < 0)
        {
          g_prefix_error (&error, _("Standard input: "));
          return herald_cli_fail (error);
        }
      body = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (name);
      char *contents;
      gsize length;

      if (!g_file_load_contents (file, herald_cli_get_cancellable (), &contents, &length, NULL, &error))
        return herald_cli_fail (error);
      body = g_bytes_new_take (contents, length);
    }

  store = herald_cli_command_open_store (cmd, &exit_code);
  if (store == NULL)
    return exit_code;

  applier = herald_status_applier_new (store);
  if (!herald_status_applier_ingest (applier, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                     &report, &error))
    return herald_cli_fail (error);

  /* Kept, with the reason, but not applied: a user error. */
  if (report.rejected > 0)
    return herald_cli_fail_message (_("%s: not applied: %s"), name, report.problem);

  print_report (cmd, &report);
  return HERALD_CLI_EXIT_OK;
}

/* webhooks reprocess */
static int
webhooks_reprocess (int    argc,
                    char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldStatusApplier) applier = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(HeraldApplyReport) report = { 0 };
  char *app_secret;
  gboolean ok;
  int exit_code;

  cmd = herald_cli_command_new ("webhooks reprocess", NULL,
                                _("Applies again the events not processed yet: relay events are checked "
                                  "again with the app secret in the keyring."),
                                HERALD_CLI_OPTION_JSON);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  app_secret = herald_secrets_lookup_sync (HERALD_SECRET_APP_SECRET, HERALD_FEED_APP_SECRET_KEY,
                                           herald_cli_get_cancellable (), &error);
  if (error != NULL)
    return herald_cli_fail (error);

  applier = herald_status_applier_new (store);
  ok = herald_status_applier_reprocess (applier, app_secret, &report, &error);
  secret_password_free (app_secret);
  if (!ok)
    return herald_cli_fail (error);

  print_report (cmd, &report);
  return HERALD_CLI_EXIT_OK;
}

/* webhooks list */
static JsonNode *
event_to_json (gpointer item)
{
  const HeraldWebhookEvent *event = item;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  herald_cli_json_add_int (builder, "id", event->id);
  herald_cli_json_add_string (builder, "event_type", event->event_type);
  herald_cli_json_add_string (builder, "wa_message_id", event->wa_message_id);
  herald_cli_json_add_boolean (builder, "processed", event->processed);
  herald_cli_json_add_string (builder, "processed_at", event->processed_at);
  herald_cli_json_add_string (builder, "created_at", event->created_at);
  json_builder_set_member_name (builder, "relay_seq");
  if (event->relay_seq > 0)
    json_builder_add_int_value (builder, event->relay_seq);
  else
    json_builder_add_null_value (builder);
  herald_cli_json_add_string (builder, "error", event->error);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
print_event (gpointer item)
{
  const HeraldWebhookEvent *event = item;

  printf ("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\n", event->id, event->created_at,
          event->event_type, *event->wa_message_id ? event->wa_message_id : "-",
          event->processed ? _("processed") : _("not processed"),
          event->error ? event->error : "");
}

typedef struct
{
  HeraldStatusApplier *applier;
  gboolean             unprocessed;
} EventQuery;

static GPtrArray *
fetch_events (gint64    after,
              gpointer  user_data,
              GError  **error)
{
  EventQuery *query = user_data;

  return herald_status_applier_list_events (query->applier, query->unprocessed, after, HERALD_CLI_PAGE_SIZE,
                                            error);
}

static gint64
event_id (gpointer item)
{
  return ((HeraldWebhookEvent *) item)->id;
}

static int
webhooks_list (int    argc,
               char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldStatusApplier) applier = NULL;
  gboolean unprocessed = FALSE;
  const GOptionEntry entries[] = {
    { "unprocessed", 0, 0, G_OPTION_ARG_NONE, &unprocessed, N_("Only the events not applied (yet)"), NULL },
    { NULL }
  };
  int exit_code;

  cmd = herald_cli_command_new ("webhooks list", NULL, _("Lists the recorded webhook events."),
                                HERALD_CLI_OPTION_JSON);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  applier = herald_status_applier_new (store);
  return herald_cli_print_pages (cmd, fetch_events, &(EventQuery) { applier, unprocessed }, event_id,
                                 event_to_json, print_event);
}

/* webhooks poll [--once] */

static void
on_feed_state_cb (HeraldFeed *feed,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (HERALD_TYPE_FEED_STATE);
  GEnumValue *value = g_enum_get_value (states, herald_feed_get_state (feed));

  if (herald_feed_get_state (feed) == HERALD_FEED_OFFLINE && herald_feed_get_last_error (feed) != NULL)
    g_printerr ("%s: %s\n", value->value_nick, herald_feed_get_last_error (feed));
  else
    g_printerr ("%s\n", value->value_nick);
}

static void
on_events_applied_cb (HeraldFeed *feed,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  g_printerr (_("%" PRIu64 " events applied\n"), herald_feed_get_events_applied (feed));
}

static void
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  g_main_loop_quit (user_data);
}

static int
webhooks_poll (int    argc,
               char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldFeed) feed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  char *feed_token;
  char *app_secret;
  gboolean once = FALSE;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, N_("Apply what the relay has now, then exit"), NULL },
    { NULL }
  };
  int exit_code;

  cmd = herald_cli_command_new ("webhooks poll", NULL,
                                _("Polls herald-relay and applies the events whose signature is good. "
                                  "The relay URL comes from the settings, the secrets from the keyring "
                                  "(see “relay configure”)."),
                                HERALD_CLI_OPTION_NONE);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  url = herald_store_get_setting (store, HERALD_SETTING_RELAY_URL, &error);
  if (error != NULL)
    return herald_cli_fail (error);
  if (url == NULL)
    return herald_cli_fail_message (_("No relay is configured: run “herald-cli relay configure --url URL”"));

  feed_token = herald_secrets_lookup_sync (HERALD_SECRET_FEED_TOKEN, url, herald_cli_get_cancellable (), &error);
  if (error != NULL)
    return herald_cli_fail (error);
  if (feed_token == NULL)
    return herald_cli_fail_message (_("No feed token for %s in the keyring: run “herald-cli relay configure”"), url);
  app_secret = herald_secrets_lookup_sync (HERALD_SECRET_APP_SECRET, HERALD_FEED_APP_SECRET_KEY,
                                           herald_cli_get_cancellable (), &error);
  if (error != NULL)
    {
      secret_password_free (feed_token);
      return herald_cli_fail (error);
    }

  feed = herald_feed_new (herald_store_get_path (store), url);
  herald_feed_set_feed_token (feed, feed_token);
  herald_feed_set_app_secret (feed, app_secret);
  secret_password_free (feed_token);
  secret_password_free (app_secret);
  if (app_secret == NULL)
    g_printerr (_("No app secret in the keyring: events are kept, not applied, until one is set "
                  "and “herald-cli webhooks reprocess” runs\n"));

  if (once)
    {
      g_autoptr(GAsyncResult) result = NULL;
      gint64 recorded;

      herald_feed_poll_once_async (feed, herald_cli_get_cancellable (), herald_cli_async_ready_cb, &result);
      recorded = herald_feed_poll_once_finish (feed, herald_cli_wait (&result), &error);
      if (recorded < 0)
        return herald_cli_fail (error);

      printf (_("%" PRId64 " events recorded, up to relay event %" PRId64 "\n"),
              recorded, herald_feed_get_cursor (feed));
      if (herald_feed_get_last_error (feed) != NULL)
        g_printerr ("%s\n", herald_feed_get_last_error (feed));
      return HERALD_CLI_EXIT_OK;
    }

  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    gulong cancelled_id;

    g_signal_connect (feed, "notify::state", G_CALLBACK (on_feed_state_cb), NULL);
    g_signal_connect (feed, "notify::events-applied", G_CALLBACK (on_events_applied_cb), NULL);
    cancelled_id = g_cancellable_connect (herald_cli_get_cancellable (), G_CALLBACK (on_cancelled_cb),
                                          loop, NULL);
    herald_feed_start (feed);
    if (!g_cancellable_is_cancelled (herald_cli_get_cancellable ()))
      g_main_loop_run (loop);
    g_cancellable_disconnect (herald_cli_get_cancellable (), cancelled_id);
    herald_feed_stop (feed);
  }

  return HERALD_CLI_EXIT_OK;
}

const HeraldCliEntry herald_cli_webhooks_commands[] = {
  { "ingest",    webhooks_ingest,    N_("Apply one raw webhook payload from a file or standard input") },
  { "poll",      webhooks_poll,      N_("Poll herald-relay and apply its events") },
  { "reprocess", webhooks_reprocess, N_("Apply again the events not processed yet") },
  { "list",      webhooks_list,      N_("List the recorded webhook events") },
  { NULL }
};

/* relay configure --url URL */
static int
relay_configure (int    argc,
                 char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *scheme = NULL;
  char *feed_token = NULL;
  char *app_secret = NULL;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The relay’s base URL, such as https://relay.example.com"), "URL" },
    { NULL }
  };
  gboolean ok;
  int exit_code;

  cmd = herald_cli_command_new ("relay configure", NULL,
                                _("Sets the relay URL, and reads its feed token, then Meta’s app secret, "
                                  "from standard input into the keyring."),
                                HERALD_CLI_OPTION_NONE);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code))
    return exit_code;
  if (url == NULL)
    return herald_cli_command_usage_error (cmd, _("--url is required"));

  scheme = g_uri_parse_scheme (url);
  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL))
    return herald_cli_fail_message (_("--url: “%s” is not an http or https URL"), url);

  store = herald_cli_command_open_store (cmd, &exit_code);
  if (store == NULL)
    return exit_code;

  feed_token = herald_cli_read_secret (_("Feed token: "), &error);
  if (feed_token != NULL)
    app_secret = herald_cli_read_secret (_("App secret: "), &error);
  ok = feed_token != NULL && app_secret != NULL &&
       herald_secrets_store_sync (HERALD_SECRET_FEED_TOKEN, url, NULL, feed_token,
                                  herald_cli_get_cancellable (), &error) &&
       herald_secrets_store_sync (HERALD_SECRET_APP_SECRET, HERALD_FEED_APP_SECRET_KEY, NULL, app_secret,
                                  herald_cli_get_cancellable (), &error) &&
       herald_store_set_setting (store, HERALD_SETTING_RELAY_URL, url, &error);
  secret_password_free (feed_token);
  secret_password_free (app_secret);
  if (!ok)
    return herald_cli_fail (error);

  printf (_("Relay %s configured\n"), url);
  return HERALD_CLI_EXIT_OK;
}

const HeraldCliEntry herald_cli_relay_commands[] = {
  { "configure", relay_configure, N_("Set the relay URL and its secrets") },
  { NULL }
};
