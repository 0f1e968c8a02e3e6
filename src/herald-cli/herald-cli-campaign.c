/* herald-cli-campaign.c: herald-cli campaign …
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "herald-campaign.h"
#include "herald-cli-common.h"
#include "herald-contact-import.h"
#include "herald-sender.h"
#include "herald-store-private.h"

/* Parses the campaign id (the first argument, of @min_args to @max_args) and
 * opens the store; FALSE with *exit_code set. */
static gboolean
campaign_command (HeraldCliCommand  *cmd,
                  int                argc,
                  char             **argv,
                  guint              min_args,
                  guint              max_args,
                  gint64            *id,
                  HeraldStore      **store,
                  int               *exit_code)
{
  if (!herald_cli_command_parse (cmd, argc, argv, min_args, max_args, exit_code))
    return FALSE;
  if (!herald_cli_parse_id (herald_cli_command_get_arg (cmd, 0), id))
    {
      *exit_code = herald_cli_command_usage_error (cmd, _("“%s” is not a campaign id"),
                                                   herald_cli_command_get_arg (cmd, 0));
      return FALSE;
    }
  *store = herald_cli_command_open_store (cmd, exit_code);
  return *store != NULL;
}

static JsonNode *
campaign_to_json (HeraldCampaign *campaign,
                  gint64          in_doubt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  herald_cli_json_add_int (builder, "id", herald_campaign_get_id (campaign));
  herald_cli_json_add_string (builder, "status", herald_campaign_status_to_string (herald_campaign_get_status (campaign)));
  herald_cli_json_add_int (builder, "total_messages", herald_campaign_get_total_messages (campaign));
  herald_cli_json_add_int (builder, "sent_count", herald_campaign_get_sent_count (campaign));
  herald_cli_json_add_int (builder, "delivered_count", herald_campaign_get_delivered_count (campaign));
  herald_cli_json_add_int (builder, "read_count", herald_campaign_get_read_count (campaign));
  herald_cli_json_add_int (builder, "failed_count", herald_campaign_get_failed_count (campaign));
  herald_cli_json_add_string (builder, "name", herald_campaign_get_name (campaign));
  if (in_doubt >= 0)
    herald_cli_json_add_int (builder, "in_doubt", in_doubt);
  herald_cli_json_add_string (builder, "paused_reason", herald_campaign_get_paused_reason (campaign));
  herald_cli_json_add_string (builder, "created_at", herald_campaign_get_created_at (campaign));
  herald_cli_json_add_string (builder, "started_at", herald_campaign_get_started_at (campaign));
  herald_cli_json_add_string (builder, "completed_at", herald_campaign_get_completed_at (campaign));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* create */

static int
campaign_create (int    argc,
                 char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(HeraldCampaignSpec) spec = NULL;
  g_autoptr(HeraldCampaignReport) report = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number_id = NULL;
  g_autofree char *template_name = NULL;
  g_autofree char *language = NULL;
  g_autofree char *contacts = NULL;
  g_autofree char *header_media = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) vars = NULL;
  const GOptionEntry entries[] = {
    { "number", 0, 0, G_OPTION_ARG_STRING, &number_id, N_("The sending number (phone_number_id)"), "ID" },
    { "template", 0, 0, G_OPTION_ARG_STRING, &template_name, N_("An approved template"), "NAME" },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("The template’s language (default: its only one)"), "L" },
    { "contacts", 0, 0, G_OPTION_ARG_STRING, &contacts, N_("“all” active contacts (default), or a CSV file to import and send to"), "all|FILE" },
    { "var", 0, 0, G_OPTION_ARG_STRING_ARRAY, &vars,
      N_("A template variable’s value: N=FIELD (name, mobile_number, email, notes), N=attr:KEY (a CSV column), N==TEXT (fixed text)"),
      "N=VALUE" },
    { "header-media", 0, 0, G_OPTION_ARG_STRING, &header_media, N_("Link to the media of a media header"), "URL" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The campaign’s name (default: template and time)"), "NAME" },
    { NULL }
  };
  int exit_code;

  cmd = herald_cli_command_new ("campaign create", NULL,
                                _("Creates a campaign: one message per recipient, rendered now. "
                                  "Opted-out, inactive and repeated numbers are left out and counted; "
                                  "so is anyone for whom a variable would be empty. Prints the id."),
                                HERALD_CLI_OPTION_NONE);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code))
    return exit_code;
  if (number_id == NULL || template_name == NULL)
    return herald_cli_command_usage_error (cmd, _("--number and --template are required"));

  store = herald_cli_command_open_store (cmd, &exit_code);
  if (store == NULL)
    return exit_code;
  number = herald_cli_find_number (store, number_id, &error);
  if (number == NULL)
    return herald_cli_fail (error);

  template = herald_cli_find_template (store, template_name, language, &error);
  if (template == NULL)
    return herald_cli_fail (error);

  spec = herald_campaign_spec_new (herald_number_get_id (number), herald_template_get_id (template));
  herald_campaign_spec_set_name (spec, name);
  herald_campaign_spec_set_header_media (spec, header_media);
  for (guint i = 0; vars != NULL && vars[i] != NULL; i++)
    {
      const char *eq = strchr (vars[i], '=');
      g_autofree char *variable = NULL;

      if (eq == NULL || eq == vars[i])
        return herald_cli_command_usage_error (cmd, _("--var %s: write N=FIELD, N=attr:KEY or N==TEXT"), vars[i]);
      variable = g_strndup (vars[i], eq - vars[i]);
      if (!herald_campaign_spec_bind (spec, variable, eq + 1, &error))
        return herald_cli_fail (error);
    }

  if (contacts != NULL && !g_str_equal (contacts, "all"))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (contacts);
      g_autoptr(HeraldContactImport) import = herald_contact_import_new (file);
      g_autoptr(HeraldContactImportReport) import_report = NULL;
      g_autofree char *since = NULL;

      if (!herald_contact_import_load (import, 0, herald_cli_get_cancellable (), &error))
        return herald_cli_fail (error);
      /* The file's contacts are those it creates or updates from now on. */
      since = _herald_store_timestamp (NULL);
      import_report = herald_contact_import_run (import, store, herald_cli_get_cancellable (), &error);
      if (import_report == NULL)
        return herald_cli_fail (error);
      for (guint i = 0; i < herald_contact_import_report_get_n_rejections (import_report); i++)
        {
          g_autofree char *line = herald_contact_import_report_format_rejection (import_report, i);

          g_printerr ("herald-cli: %s\n", line);
        }
      herald_campaign_spec_select_changed_since (spec, since);
    }

  campaign = herald_campaign_create (store, spec, &report, &error);
  if (campaign == NULL)
    return herald_cli_fail (error);

  g_printerr (_("%u recipients; left out: %u opted out, %u inactive, %u repeated, %u with an empty variable\n"),
              report->recipients, report->opted_out, report->inactive, report->duplicates,
              report->missing_values);
  if (report->fictional > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%u left out: a sample number (555 01XX), which no phone has\n",
                             "%u left out: sample numbers (555 01XX), which no phone has\n",
                             report->fictional),
                report->fictional);
  for (guint i = 0; i < report->problems->len; i++)
    g_printerr ("  %s\n", (const char *) g_ptr_array_index (report->problems, i));
  printf ("%" PRId64 "\n", herald_campaign_get_id (campaign));
  return HERALD_CLI_EXIT_OK;
}

/* show, list */

static int
campaign_show (int    argc,
               char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = herald_cli_command_new ("campaign show", "ID", _("Shows a campaign’s status and counters."),
                                                            HERALD_CLI_OPTION_JSON);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id, in_doubt;
  int exit_code;

  if (!campaign_command (cmd, argc, argv, 1, 1, &id, &store, &exit_code))
    return exit_code;
  campaign = herald_campaign_load (store, id, &error);
  if (campaign == NULL || (in_doubt = herald_campaign_count_in_doubt (store, id, &error)) < 0)
    return herald_cli_fail (error);

  if (herald_cli_command_get_json (cmd))
    {
      g_autoptr(JsonNode) node = campaign_to_json (campaign, in_doubt);
      herald_cli_print_json (node);
    }
  else
    {
      printf ("%" PRId64 "\t%s\t%s\n", id, herald_campaign_get_name (campaign),
              herald_campaign_status_to_string (herald_campaign_get_status (campaign)));
      printf (_("messages %" PRId64 ", sent %" PRId64 ", delivered %" PRId64
                ", read %" PRId64 ", failed %" PRId64 ", in doubt %" PRId64 "\n"),
              herald_campaign_get_total_messages (campaign), herald_campaign_get_sent_count (campaign),
              herald_campaign_get_delivered_count (campaign), herald_campaign_get_read_count (campaign),
              herald_campaign_get_failed_count (campaign), in_doubt);
      if (herald_campaign_get_paused_reason (campaign) != NULL)
        printf ("%s\n", herald_campaign_get_paused_reason (campaign));
    }
  return HERALD_CLI_EXIT_OK;
}

static JsonNode *
campaign_item_to_json (gpointer item)
{
  return campaign_to_json (item, -1);
}

static void
print_campaign (gpointer item)
{
  HeraldCampaign *campaign = item;

  printf ("%" PRId64 "\t%s\t%s\t%" PRId64 "/%" PRId64 "\n",
          herald_campaign_get_id (campaign),
          herald_campaign_status_to_string (herald_campaign_get_status (campaign)),
          herald_campaign_get_name (campaign), herald_campaign_get_sent_count (campaign),
          herald_campaign_get_total_messages (campaign));
}

static int
campaign_list (int    argc,
               char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = herald_cli_command_new ("campaign list", NULL, _("Lists campaigns, newest first."),
                                                            HERALD_CLI_OPTION_JSON);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GPtrArray) campaigns = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;
  campaigns = herald_campaign_list (store, &error);
  if (campaigns == NULL)
    return herald_cli_fail (error);

  return herald_cli_print_list (cmd, campaigns, campaign_item_to_json, print_campaign);
}

/* preflight, test-send */

static int
campaign_preflight (int    argc,
                    char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = herald_cli_command_new ("campaign preflight", "ID",
                                                            _("Says what sending will do: recipients, the messaging limit, the time it takes."),
                                                            HERALD_CLI_OPTION_JSON);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GError) error = NULL;
  HeraldCampaignPreflight p;
  int rate = 0;
  const GOptionEntry entries[] = {
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, N_("Messages per second (default: the number’s)"), "N" },
    { NULL }
  };
  gint64 id;
  int exit_code;

  herald_cli_command_add_entries (cmd, entries);
  if (!campaign_command (cmd, argc, argv, 1, 1, &id, &store, &exit_code))
    return exit_code;
  if (!herald_campaign_preflight (store, id, MAX (rate, 0), &p, &error))
    return herald_cli_fail (error);

  if (herald_cli_command_get_json (cmd))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      herald_cli_json_add_int (builder, "recipients", p.recipients);
      herald_cli_json_add_int (builder, "in_doubt", p.in_doubt);
      json_builder_set_member_name (builder, "messaging_limit");
      if (p.messaging_limit >= 0)
        json_builder_add_int_value (builder, p.messaging_limit);
      else
        json_builder_add_null_value (builder);
      herald_cli_json_add_int (builder, "reached_24h", p.reached_24h);
      herald_cli_json_add_int (builder, "over_limit", p.over_limit);
      herald_cli_json_add_int (builder, "messages_per_second", p.messages_per_second);
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_double_value (builder, p.seconds);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      herald_cli_print_json (node);
    }
  else
    {
      printf (_("%" PRIu64 " messages to send at %u per second: about %.0f s\n"),
              p.recipients, p.messages_per_second, p.seconds);
      if (p.in_doubt > 0)
        printf (_("%" PRIu64 " messages are in doubt from an earlier run\n"), p.in_doubt);
      if (p.messaging_limit >= 0)
        printf (_("Messaging limit %" PRId64 " people a day, %" PRIu64 " reached in the last 24 h: "
                  "%" PRIu64 " recipients fall outside it\n"),
                p.messaging_limit, p.reached_24h, p.over_limit);
    }
  return HERALD_CLI_EXIT_OK;
}

static int
campaign_test_send (int    argc,
                    char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = herald_cli_command_new ("campaign test-send", "ID",
                                                            _("Sends the campaign’s first message, as rendered, to one number."),
                                                            HERALD_CLI_OPTION_API_BASE);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(HeraldSendResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The number to send to (+…)"), "E164" },
    { NULL }
  };
  gint64 id;
  int exit_code;

  herald_cli_command_add_entries (cmd, entries);
  if (!campaign_command (cmd, argc, argv, 1, 1, &id, &store, &exit_code))
    return exit_code;
  if (to == NULL)
    return herald_cli_command_usage_error (cmd, _("--to is required"));
  if ((campaign = herald_campaign_load (store, id, &error)) == NULL ||
      (number = herald_store_get_number (store, herald_campaign_get_number_id (campaign), &error)) == NULL ||
      (client = herald_cli_cloud_client_new (cmd, number, &error)) == NULL)
    return herald_cli_fail (error);

  herald_campaign_test_send_async (store, id, client, to, herald_cli_get_cancellable (),
                                   herald_cli_async_ready_cb, &result);
  sent = herald_campaign_test_send_finish (herald_cli_wait (&result), &error);
  if (sent == NULL)
    return herald_cli_fail (error);
  printf ("%s\n", sent->message_id);
  return HERALD_CLI_EXIT_OK;
}

/* send */

typedef struct
{
  gint64 last_print_us;
} Progress;

static void
on_progress (HeraldSender *sender,
             Progress     *progress)
{
  gint64 now = g_get_monotonic_time ();

  if (now - progress->last_print_us < G_USEC_PER_SEC)
    return;
  progress->last_print_us = now;
  g_printerr (_("sent %" PRId64 "/%" PRId64 ", failed %" PRId64
                ", in doubt %" PRId64 ", pending %" PRId64 ", %.0f/s\n"),
              herald_sender_get_sent (sender), herald_sender_get_total (sender),
              herald_sender_get_failed (sender), herald_sender_get_in_doubt (sender),
              herald_sender_get_pending (sender), herald_sender_get_current_rate (sender));
}

static int
campaign_send (int    argc,
               char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = herald_cli_command_new ("campaign send", "ID",
                                                            _("Sends the campaign to the end (or resumes it); progress on "
                                                              "stderr. Exit 0 when completed, 1 when paused or failed."),
                                                            HERALD_CLI_OPTION_API_BASE);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldSender) sender = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HeraldCampaignStatus status;
  Progress progress = { 0 };
  int rate = 0;
  const GOptionEntry entries[] = {
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, N_("Messages per second (default: the number’s)"), "N" },
    { NULL }
  };
  gint64 id;
  int exit_code;

  herald_cli_command_add_entries (cmd, entries);
  if (!campaign_command (cmd, argc, argv, 1, 1, &id, &store, &exit_code))
    return exit_code;
  if (rate < 0)
    return herald_cli_command_usage_error (cmd, _("--rate must be positive"));

  sender = herald_sender_new (herald_store_get_path (store), id);
  g_object_set (sender, "rate", (guint) rate, "stop-when-paused", TRUE,
                "api-base", herald_cli_command_get_api_base (cmd), NULL);
  g_signal_connect (sender, "progress", G_CALLBACK (on_progress), &progress);
  herald_sender_run_async (sender, herald_cli_get_cancellable (), herald_cli_async_ready_cb, &result);
  if (!herald_sender_run_finish (sender, herald_cli_wait (&result), &status, &error))
    return herald_cli_fail (error);

  progress.last_print_us = 0;
  on_progress (sender, &progress);
  switch (status)
    {
    case HERALD_CAMPAIGN_COMPLETED:
      return HERALD_CLI_EXIT_OK;
    case HERALD_CAMPAIGN_CANCELLED:
      return herald_cli_fail_message (_("The campaign was cancelled"));
    case HERALD_CAMPAIGN_PENDING:
    case HERALD_CAMPAIGN_PROCESSING:
    case HERALD_CAMPAIGN_PAUSED:
    case HERALD_CAMPAIGN_FAILED:
    default:
      return herald_cli_fail_message (_("The campaign is %s: %s"), herald_campaign_status_to_string (status),
                                      herald_sender_get_paused_reason (sender) ? herald_sender_get_paused_reason (sender) : "");
    }
}

/* pause, resume, cancel, retry-failed */

static int
campaign_control (int         argc,
                  char      **argv,
                  const char *name,
                  const char *summary,
                  gboolean  (*action) (HeraldStore *, gint64, GError **))
{
  g_autoptr(HeraldCliCommand) cmd = herald_cli_command_new (name, "ID", summary, HERALD_CLI_OPTION_NONE);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int exit_code;

  if (!campaign_command (cmd, argc, argv, 1, 1, &id, &store, &exit_code))
    return exit_code;
  if (!action (store, id, &error))
    return herald_cli_fail (error);
  return HERALD_CLI_EXIT_OK;
}

static int
campaign_pause (int argc, char **argv)
{
  return campaign_control (argc, argv, "campaign pause",
                           _("Pauses a campaign; a running send notices within a second."), herald_campaign_pause);
}

static int
campaign_resume (int argc, char **argv)
{
  return campaign_control (argc, argv, "campaign resume",
                           _("Resumes a paused campaign (a waiting send goes on; else run “campaign send”)."),
                           herald_campaign_resume);
}

static int
campaign_cancel (int argc, char **argv)
{
  return campaign_control (argc, argv, "campaign cancel",
                           _("Cancels a campaign; unsent messages stay unsent."), herald_campaign_cancel);
}

static int
campaign_requeue (int         argc,
                  char      **argv,
                  const char *name,
                  const char *parameters,
                  const char *summary,
                  gint64    (*action) (HeraldStore *, gint64, GArray *, GError **))
{
  g_autoptr(HeraldCliCommand) cmd = herald_cli_command_new (name, parameters, summary, HERALD_CLI_OPTION_NONE);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Every message in doubt"), NULL },
    { NULL }
  };
  gint64 id, changed;
  int exit_code;

  if (action != NULL)
    herald_cli_command_add_entries (cmd, entries);
  if (!campaign_command (cmd, argc, argv, 1, action ? G_MAXUINT : 1, &id, &store, &exit_code))
    return exit_code;

  if (action == NULL)
    changed = herald_campaign_retry_failed (store, id, &error);
  else
    {
      guint n_args = herald_cli_command_get_n_args (cmd);

      if (all == (n_args > 1))
        return herald_cli_command_usage_error (cmd, _("give --all or message ids"));
      if (!all)
        {
          ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          for (guint i = 1; i < n_args; i++)
            {
              gint64 message_id;

              if (!herald_cli_parse_id (herald_cli_command_get_arg (cmd, i), &message_id))
                return herald_cli_command_usage_error (cmd, _("“%s” is not a message id"),
                                                       herald_cli_command_get_arg (cmd, i));
              g_array_append_val (ids, message_id);
            }
        }
      changed = action (store, id, ids, &error);
    }
  if (changed < 0)
    return herald_cli_fail (error);
  printf ("%" PRId64 "\n", changed);
  return HERALD_CLI_EXIT_OK;
}

static int
campaign_retry_failed (int argc, char **argv)
{
  return campaign_requeue (argc, argv, "campaign retry-failed", "ID",
                           _("Queues failed messages again whose reason can change (throttling, server trouble); "
                             "prints how many."), NULL);
}

static int
campaign_retry_in_doubt (int argc, char **argv)
{
  return campaign_requeue (argc, argv, "campaign retry-in-doubt", "ID [MSG_ID…]",
                           _("Sends messages in doubt again: the recipient may get them twice."),
                           herald_campaign_retry_in_doubt);
}

static int
campaign_drop_in_doubt (int argc, char **argv)
{
  return campaign_requeue (argc, argv, "campaign drop-in-doubt", "ID [MSG_ID…]",
                           _("Marks messages in doubt as failed, “dropped by you”."),
                           herald_campaign_drop_in_doubt);
}

static JsonNode *
in_doubt_to_json (gpointer item)
{
  HeraldInDoubtMessage *message = item;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  herald_cli_json_add_int (builder, "id", message->id);
  herald_cli_json_add_string (builder, "mobile_number", message->mobile_number);
  herald_cli_json_add_string (builder, "name", message->contact_name);
  herald_cli_json_add_string (builder, "claimed_at", message->claimed_at);
  herald_cli_json_add_string (builder, "reason", message->error_message);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
print_in_doubt (gpointer item)
{
  HeraldInDoubtMessage *message = item;

  printf ("%" PRId64 "\t%s\t%s\t%s\n", message->id, message->mobile_number, message->contact_name,
          message->claimed_at);
}

static int
campaign_in_doubt (int    argc,
                   char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = herald_cli_command_new ("campaign in-doubt", "ID",
                                                            _("Lists messages that may or may not have been sent."),
                                                            HERALD_CLI_OPTION_JSON);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int exit_code;

  if (!campaign_command (cmd, argc, argv, 1, 1, &id, &store, &exit_code))
    return exit_code;
  list = herald_campaign_list_in_doubt (store, id, &error);
  if (list == NULL)
    return herald_cli_fail (error);

  return herald_cli_print_list (cmd, list, in_doubt_to_json, print_in_doubt);
}

static int
campaign_export (int    argc,
                 char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = herald_cli_command_new ("campaign export", "ID FILE.csv",
                                                            _("Writes the campaign’s log: the audience’s columns, then "
                                                              "status, timestamps and reason."),
                                                            HERALD_CLI_OPTION_NONE);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int exit_code;

  if (!campaign_command (cmd, argc, argv, 2, 2, &id, &store, &exit_code))
    return exit_code;
  file = g_file_new_for_commandline_arg (herald_cli_command_get_arg (cmd, 1));
  if (!herald_campaign_export (store, id, file, herald_cli_get_cancellable (), &error))
    return herald_cli_fail (error);
  return HERALD_CLI_EXIT_OK;
}

const HeraldCliEntry herald_cli_campaign_commands[] = {
  { "create",          campaign_create,          N_("Create a campaign (prints its id)") },
  { "preflight",       campaign_preflight,       N_("What sending will do") },
  { "test-send",       campaign_test_send,       N_("Send the rendered message to one number") },
  { "send",            campaign_send,            N_("Send (or resume) to the end") },
  { "show",            campaign_show,            N_("Status and counters") },
  { "list",            campaign_list,            N_("List campaigns") },
  { "pause",           campaign_pause,           N_("Pause") },
  { "resume",          campaign_resume,          N_("Resume") },
  { "cancel",          campaign_cancel,          N_("Cancel") },
  { "retry-failed",    campaign_retry_failed,    N_("Queue again failed messages whose reason can change") },
  { "in-doubt",        campaign_in_doubt,        N_("List messages in doubt") },
  { "retry-in-doubt",  campaign_retry_in_doubt,  N_("Send messages in doubt again") },
  { "drop-in-doubt",   campaign_drop_in_doubt,   N_("Mark messages in doubt failed") },
  { "export",          campaign_export,          N_("Write the campaign’s log to CSV") },
  { NULL }
};
