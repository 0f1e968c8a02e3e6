/* herald-cli-templates.c: herald-cli templates …
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "herald-cli-common.h"
#include "herald-cloud-sync.h"

static int
templates_add (int    argc,
               char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *language = NULL;
  g_autofree char *category = NULL;
  g_autofree char *body = NULL;
  g_autofree char *header_type = NULL;
  g_autofree char *header_content = NULL;
  g_autofree char *footer = NULL;
  g_autofree char *buttons = NULL;
  g_autofree char *examples = NULL;
  g_autofree char *status = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name: lower case letters, digits and _"), "N" },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("Language code, such as en_US"), "L" },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_("MARKETING, UTILITY or AUTHENTICATION"), "C" },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, N_("Body text with {{1}} or {{name}} variables"), "B" },
    { "header-type", 0, 0, G_OPTION_ARG_STRING, &header_type, N_("TEXT, IMAGE, VIDEO or DOCUMENT"), "T" },
    { "header-content", 0, 0, G_OPTION_ARG_STRING, &header_content, N_("Header text, or the media’s link"), "H" },
    { "footer", 0, 0, G_OPTION_ARG_STRING, &footer, N_("Footer text"), "F" },
    { "buttons", 0, 0, G_OPTION_ARG_STRING, &buttons, N_("Buttons as Meta’s JSON array"), "JSON" },
    { "examples", 0, 0, G_OPTION_ARG_STRING, &examples, N_("Example values for Meta’s review, a JSON object"), "JSON" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("Status (default DRAFT)"), "S" },
    { NULL }
  };
  HeraldTemplateCategory category_value;
  HeraldTemplateStatus status_value = HERALD_TEMPLATE_DRAFT;
  HeraldHeaderType header_value = HERALD_HEADER_NONE;
  int exit_code;

  cmd = herald_cli_command_new ("templates add", NULL,
                                _("Adds a message template after checking it against Meta’s rules; prints its id."),
                                HERALD_CLI_OPTION_NONE);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code))
    return exit_code;
  if (name == NULL || language == NULL || category == NULL || body == NULL)
    return herald_cli_command_usage_error (cmd, _("--name, --language, --category and --body are required"));

  if (!herald_template_category_from_string (category, &category_value))
    return herald_cli_fail_message (_("Category: “%s” is not MARKETING, UTILITY or AUTHENTICATION"), category);
  if (header_type != NULL && !herald_header_type_from_string (header_type, &header_value))
    return herald_cli_fail_message (_("Header: “%s” is not TEXT, IMAGE, VIDEO or DOCUMENT"), header_type);
  if (header_type == NULL && header_content != NULL)
    header_value = HERALD_HEADER_TEXT;
  if (status != NULL && !herald_template_status_from_string (status, &status_value))
    return herald_cli_fail_message (_("Status: “%s” is not a template status"), status);

  template = herald_template_new ();
  herald_template_set_name (template, name);
  herald_template_set_language (template, language);
  herald_template_set_category (template, category_value);
  herald_template_set_body (template, body);
  herald_template_set_header_type (template, header_value);
  herald_template_set_header_content (template, header_content);
  herald_template_set_footer (template, footer);
  herald_template_set_buttons (template, buttons);
  herald_template_set_examples (template, examples);
  herald_template_set_status (template, status_value);

  /* Before opening the database: an invalid template leaves no file behind. */
  if (!herald_template_validate (template, &error))
    return herald_cli_fail (error);

  store = herald_cli_command_open_store (cmd, &exit_code);
  if (store == NULL)
    return exit_code;
  if (!herald_store_save_template (store, template, &error))
    return herald_cli_fail (error);

  printf ("%" PRId64 "\n", herald_template_get_id (template));
  return HERALD_CLI_EXIT_OK;
}

static void
add_date (JsonBuilder *builder,
          const char  *member,
          GDateTime   *when)
{
  g_autofree char *text = when != NULL ? g_date_time_format_iso8601 (when) : NULL;

  herald_cli_json_add_string (builder, member, text);
}

/* NULL when @template was never sent to the Sandbox. */
static const char *
sandbox_status_name (HeraldTemplate *template)
{
  int reviewed = herald_template_get_sandbox_status (template);

  return reviewed == HERALD_TEMPLATE_SANDBOX_NONE ? NULL : herald_template_status_to_string (reviewed);
}

static JsonNode *
template_to_json (gpointer item)
{
  HeraldTemplate *template = item;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *buttons = herald_template_get_buttons (template);

  json_builder_begin_object (builder);
  herald_cli_json_add_int (builder, "id", herald_template_get_id (template));
  herald_cli_json_add_string (builder, "name", herald_template_get_name (template));
  herald_cli_json_add_string (builder, "language", herald_template_get_language (template));
  herald_cli_json_add_string (builder, "category", herald_template_category_to_string (herald_template_get_category (template)));
  herald_cli_json_add_string (builder, "status", herald_template_status_to_string (herald_template_get_status (template)));
  herald_cli_json_add_string (builder, "header_type", herald_header_type_to_string (herald_template_get_header_type (template)));
  herald_cli_json_add_string (builder, "header_content", herald_template_get_header_content (template));
  herald_cli_json_add_string (builder, "body", herald_template_get_body (template));
  herald_cli_json_add_string (builder, "footer", herald_template_get_footer (template));
  json_builder_set_member_name (builder, "buttons");
  if (buttons != NULL && *buttons != '\0')
    json_builder_add_value (builder, herald_cli_json_from_text (buttons));
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "variables");
  json_builder_add_value (builder, herald_cli_json_from_text (herald_template_get_variables (template)));
  herald_cli_json_add_string (builder, "meta_template_id", herald_template_get_meta_template_id (template));
  herald_cli_json_add_string (builder, "rejected_reason", herald_template_get_rejected_reason (template));
  /* The Sandbox's review, null when never sent there: never Meta's "status". */
  herald_cli_json_add_string (builder, "sandbox_status", sandbox_status_name (template));
  add_date (builder, "created_at", herald_template_get_created_at (template));
  add_date (builder, "updated_at", herald_template_get_updated_at (template));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
print_template (gpointer item)
{
  HeraldTemplate *template = item;

  const char *sandbox_status = sandbox_status_name (template);

  /* Meta's status, then the Sandbox's in a column of its own ("-": never
   * sent there). */
  printf ("%" PRId64 "\t%s\t%s\t%s\t%s\tsandbox:%s\n",
          herald_template_get_id (template),
          herald_template_get_name (template),
          herald_template_get_language (template),
          herald_template_category_to_string (herald_template_get_category (template)),
          herald_template_status_to_string (herald_template_get_status (template)),
          sandbox_status != NULL ? sandbox_status : "-");
}

static int
templates_list (int    argc,
                char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  gboolean approved_only = FALSE;
  const GOptionEntry entries[] = {
    { "approved", 0, 0, G_OPTION_ARG_NONE, &approved_only, N_("Only templates that can be sent"), NULL },
    { NULL }
  };
  int exit_code;

  cmd = herald_cli_command_new ("templates list", NULL, _("Lists message templates."), HERALD_CLI_OPTION_JSON);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  templates = herald_store_list_templates (store, approved_only, &error);
  if (templates == NULL)
    return herald_cli_fail (error);

  return herald_cli_print_list (cmd, templates, template_to_json, print_template);
}

/* Opens the store, and the account of the number --number names: its
 * client and the business account id. NULL with *exit_code set. */
static HeraldCloudClient *
open_account (HeraldCliCommand  *cmd,
              const char        *number_id,
              HeraldStore      **store,
              char             **waba_id,
              int               *exit_code)
{
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldBusinessProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  HeraldCloudClient *client;
  const char *id;

  if (number_id == NULL)
    {
      *exit_code = herald_cli_command_usage_error (cmd, _("--number is required"));
      return NULL;
    }
  if ((*store = herald_cli_command_open_store (cmd, exit_code)) == NULL)
    return NULL;

  profile = herald_store_get_business_profile (*store, &error);
  if (profile == NULL && !g_error_matches (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
    {
      *exit_code = herald_cli_fail (error);
      return NULL;
    }

  id = profile != NULL ? herald_business_profile_get_whatsapp_business_id (profile) : NULL;
  if (id == NULL || *id == '\0')
    {
      *exit_code = herald_cli_fail_message (_("No WhatsApp Business Account ID: set it with "
                                              "“herald-cli business set --waba-id”"));
      return NULL;
    }

  if ((number = herald_cli_find_number (*store, number_id, &error)) == NULL ||
      (client = herald_cli_cloud_client_new (cmd, number, &error)) == NULL)
    {
      *exit_code = herald_cli_fail (error);
      return NULL;
    }

  *waba_id = g_strdup (id);
  return client;
}

static int
templates_sync (int    argc,
                char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number_id = NULL;
  g_autofree char *waba_id = NULL;
  const GOptionEntry entries[] = {
    { "number", 0, 0, G_OPTION_ARG_STRING, &number_id, N_("The number whose access token to use"), "ID" },
    { NULL }
  };
  HeraldTemplateSyncSummary summary;
  int exit_code;

  cmd = herald_cli_command_new ("templates sync", NULL,
                                _("Pulls the business account’s templates and their statuses from Meta."),
                                HERALD_CLI_OPTION_API_BASE | HERALD_CLI_OPTION_JSON);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code) ||
      (client = open_account (cmd, number_id, &store, &waba_id, &exit_code)) == NULL)
    return exit_code;

  herald_cloud_sync_templates_async (client, store, waba_id, herald_cli_get_cancellable (),
                                     herald_cli_async_ready_cb, &result);
  if (!herald_cloud_sync_templates_finish (client, herald_cli_wait (&result), &summary, &error))
    return herald_cli_fail (error);

  if (herald_cli_command_get_json (cmd))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      herald_cli_json_add_int (builder, "added", summary.added);
      herald_cli_json_add_int (builder, "updated", summary.updated);
      herald_cli_json_add_int (builder, "skipped", summary.skipped);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      herald_cli_print_json (node);
    }
  else
    printf (_("Templates from Meta: %u added, %u updated, %u skipped\n"),
            summary.added, summary.updated, summary.skipped);
  return HERALD_CLI_EXIT_OK;
}

static int
templates_submit (int    argc,
                  char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number_id = NULL;
  g_autofree char *language = NULL;
  g_autofree char *waba_id = NULL;
  const GOptionEntry entries[] = {
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("The template’s language, when it has several"), "L" },
    { "number", 0, 0, G_OPTION_ARG_STRING, &number_id, N_("The number whose access token to use"), "ID" },
    { NULL }
  };
  int exit_code;

  cmd = herald_cli_command_new ("templates submit", "NAME",
                                _("Submits a template to Meta for approval."),
                                HERALD_CLI_OPTION_API_BASE);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 1, 1, &exit_code) ||
      (client = open_account (cmd, number_id, &store, &waba_id, &exit_code)) == NULL)
    return exit_code;

  template = herald_cli_find_template (store, herald_cli_command_get_arg (cmd, 0), language, &error);
  if (template == NULL)
    return herald_cli_fail (error);

  herald_cloud_submit_template_async (client, store, waba_id, template, herald_cli_get_cancellable (),
                                      herald_cli_async_ready_cb, &result);
  if (!herald_cloud_submit_template_finish (client, herald_cli_wait (&result), &error))
    return herald_cli_fail (error);

  printf (_("Submitted %s (%s): Meta id %s, status %s\n"),
          herald_template_get_name (template),
          herald_template_get_language (template),
          herald_template_get_meta_template_id (template),
          herald_template_status_to_string (herald_template_get_status (template)));
  return HERALD_CLI_EXIT_OK;
}

const HeraldCliEntry herald_cli_templates_commands[] = {
  { "add",    templates_add,    N_("Add a template") },
  { "list",   templates_list,   N_("List templates") },
  { "sync",   templates_sync,   N_("Pull templates and statuses from Meta") },
  { "submit", templates_submit, N_("Submit a template to Meta for approval") },
  { NULL }
};
