/* herald-cli-numbers.c: herald-cli numbers … and herald-cli business …
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <stdio.h>

#include "herald-cli-common.h"
#include "herald-cloud-sync.h"
#include "herald-secrets.h"

static int
numbers_add (int    argc,
             char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *phone_number_id = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *display_name = NULL;
  char *token;
  const GOptionEntry entries[] = {
    { "phone-number-id", 0, 0, G_OPTION_ARG_STRING, &phone_number_id, N_("Meta’s ID of the number"), "P" },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("The number, in international form (+…)"), "E164" },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name, N_("A name to show for it"), "D" },
    { NULL }
  };
  gboolean ok;
  int exit_code;

  cmd = herald_cli_command_new ("numbers add", NULL,
                                _("Adds a WhatsApp number; its access token is read from standard input "
                                  "(one line) into the keyring."),
                                HERALD_CLI_OPTION_NONE);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code))
    return exit_code;
  if (phone_number_id == NULL || phone == NULL)
    return herald_cli_command_usage_error (cmd, _("--phone-number-id and --phone are required"));

  store = herald_cli_command_open_store (cmd, &exit_code);
  if (store == NULL)
    return exit_code;

  number = herald_number_new (phone_number_id, phone);
  herald_number_set_display_name (number, display_name);

  /* The row and the keyring item go together: a token that cannot be
   * stored rolls the row back. */
  if (!herald_store_begin (store, &error) ||
      !herald_store_save_number (store, number, &error))
    {
      herald_store_rollback (store, NULL);
      return herald_cli_fail (error);
    }

  token = herald_cli_read_secret (_("Access token: "), &error);
  if (token == NULL)
    {
      herald_store_rollback (store, NULL);
      return herald_cli_fail (error);
    }

  /* The keyring item's label is libherald's: one of ours failed the check
   * that a label never holds the token (a token such as "token"). */
  ok = herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, phone_number_id, NULL, token,
                                  herald_cli_get_cancellable (), &error);
  secret_password_free (token);
  if (!ok || !herald_store_commit (store, &error))
    {
      herald_store_rollback (store, NULL);
      return herald_cli_fail (error);
    }

  printf ("%" PRId64 "\n", herald_number_get_id (number));
  return HERALD_CLI_EXIT_OK;
}

static JsonNode *
number_to_json (gpointer item)
{
  HeraldNumber *number = item;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  herald_cli_json_add_int (builder, "id", herald_number_get_id (number));
  herald_cli_json_add_string (builder, "phone_number_id", herald_number_get_phone_number_id (number));
  herald_cli_json_add_string (builder, "phone_number", herald_number_get_phone_number (number));
  herald_cli_json_add_string (builder, "display_name", herald_number_get_display_name (number));
  herald_cli_json_add_boolean (builder, "is_active", herald_number_get_is_active (number));
  herald_cli_json_add_string (builder, "verified_at", herald_number_get_verified_at (number));
  herald_cli_json_add_string (builder, "verified_name", herald_number_get_verified_name (number));
  herald_cli_json_add_string (builder, "quality_rating", herald_number_get_quality_rating (number));
  herald_cli_json_add_string (builder, "throughput_level", herald_number_get_throughput_level (number));
  herald_cli_json_add_string (builder, "messaging_limit_tier", herald_number_get_messaging_limit_tier (number));
  herald_cli_json_add_int (builder, "messages_per_second", herald_number_get_messages_per_second (number));
  herald_cli_json_add_boolean (builder, "is_sandbox", herald_number_get_is_sandbox (number));
  herald_cli_json_add_string (builder, "created_at", herald_number_get_created_at (number));
  herald_cli_json_add_string (builder, "updated_at", herald_number_get_updated_at (number));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "-";
}

static void
print_number (gpointer item)
{
  HeraldNumber *number = item;

  printf ("%s\t%s\t%s\t%s\n",
          herald_number_get_phone_number_id (number),
          herald_number_get_phone_number (number),
          or_dash (herald_number_get_display_name (number)),
          or_dash (herald_number_get_verified_name (number)));
}

static int
numbers_list (int    argc,
              char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  cmd = herald_cli_command_new ("numbers list", NULL, _("Lists WhatsApp numbers."), HERALD_CLI_OPTION_JSON);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  numbers = herald_store_list_numbers (store, &error);
  if (numbers == NULL)
    return herald_cli_fail (error);

  return herald_cli_print_list (cmd, numbers, number_to_json, print_number);
}

static int
numbers_remove (int    argc,
                char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  cmd = herald_cli_command_new ("numbers remove", "ID",
                                _("Deletes a WhatsApp number and its access token."), HERALD_CLI_OPTION_NONE);
  if (!herald_cli_command_parse (cmd, argc, argv, 1, 1, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  number = herald_cli_find_number (store, herald_cli_command_get_arg (cmd, 0), &error);
  if (number == NULL ||
      !herald_store_delete_number (store, herald_number_get_id (number), &error) ||
      !herald_secrets_clear_sync (HERALD_SECRET_ACCESS_TOKEN, herald_number_get_phone_number_id (number),
                                  herald_cli_get_cancellable (), &error))
    return herald_cli_fail (error);

  return HERALD_CLI_EXIT_OK;
}

static int
numbers_verify (int    argc,
                char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(HeraldPhoneNumberInfo) info = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  cmd = herald_cli_command_new ("numbers verify", "ID",
                                _("Reads the number’s details from Meta and stores them."),
                                HERALD_CLI_OPTION_API_BASE | HERALD_CLI_OPTION_JSON);
  if (!herald_cli_command_parse (cmd, argc, argv, 1, 1, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  number = herald_cli_find_number (store, herald_cli_command_get_arg (cmd, 0), &error);
  if (number == NULL)
    return herald_cli_fail (error);

  client = herald_cli_cloud_client_new (cmd, number, &error);
  if (client == NULL)
    return herald_cli_fail (error);

  herald_cloud_verify_number_async (client, store, number, herald_cli_get_cancellable (),
                                    herald_cli_async_ready_cb, &result);
  info = herald_cloud_verify_number_finish (client, herald_cli_wait (&result), &error);
  if (info == NULL)
    return herald_cli_fail (error);

  if (herald_cli_command_get_json (cmd))
    {
      g_autoptr(JsonNode) node = number_to_json (number);

      herald_cli_print_json (node);
      return HERALD_CLI_EXIT_OK;
    }

  printf (_("Verified name:   %s\n"), or_dash (info->verified_name));
  printf (_("Phone number:    %s\n"), or_dash (info->display_phone_number));
  printf (_("Quality rating:  %s\n"), or_dash (info->quality_rating));
  printf (_("Throughput:      %s\n"), or_dash (info->throughput_level));
  printf (_("Messaging limit: %s\n"), or_dash (info->messaging_limit_tier));
  return HERALD_CLI_EXIT_OK;
}

const HeraldCliEntry herald_cli_numbers_commands[] = {
  { "add",    numbers_add,    N_("Add a number (access token on stdin)") },
  { "list",   numbers_list,   N_("List numbers") },
  { "remove", numbers_remove, N_("Delete a number and its token") },
  { "verify", numbers_verify, N_("Read the number’s details from Meta") },
  { NULL }
};

/* Business profile */

static int
business_set (int    argc,
              char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldBusinessProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *waba_id = NULL;
  g_autofree char *app_id = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The business’s name"), "N" },
    { "waba-id", 0, 0, G_OPTION_ARG_STRING, &waba_id, N_("WhatsApp Business Account ID"), "W" },
    { "app-id", 0, 0, G_OPTION_ARG_STRING, &app_id, N_("Meta app ID"), "A" },
    { NULL }
  };
  int exit_code;

  cmd = herald_cli_command_new ("business set", NULL,
                                _("Sets the business profile; options left out keep their values."),
                                HERALD_CLI_OPTION_NONE);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  profile = herald_store_get_business_profile (store, &error);
  if (profile == NULL)
    {
      if (!g_error_matches (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
        return herald_cli_fail (error);
      g_clear_error (&error);
      if (name == NULL)
        return herald_cli_command_usage_error (cmd, _("--name is required the first time"));
      profile = herald_business_profile_new (name);
    }

  if (name != NULL)
    herald_business_profile_set_business_name (profile, name);
  if (waba_id != NULL)
    herald_business_profile_set_whatsapp_business_id (profile, waba_id);
  if (app_id != NULL)
    herald_business_profile_set_app_id (profile, app_id);

  if (!herald_store_save_business_profile (store, profile, &error))
    return herald_cli_fail (error);

  return HERALD_CLI_EXIT_OK;
}

static int
business_show (int    argc,
               char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldBusinessProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  cmd = herald_cli_command_new ("business show", NULL, _("Shows the business profile."), HERALD_CLI_OPTION_JSON);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  profile = herald_store_get_business_profile (store, &error);
  if (profile == NULL)
    return herald_cli_fail (error);

  if (herald_cli_command_get_json (cmd))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      herald_cli_json_add_int (builder, "id", herald_business_profile_get_id (profile));
      herald_cli_json_add_string (builder, "business_name", herald_business_profile_get_business_name (profile));
      herald_cli_json_add_string (builder, "whatsapp_business_id", herald_business_profile_get_whatsapp_business_id (profile));
      herald_cli_json_add_string (builder, "app_id", herald_business_profile_get_app_id (profile));
      herald_cli_json_add_string (builder, "phone_number_id", herald_business_profile_get_phone_number_id (profile));
      herald_cli_json_add_string (builder, "created_at", herald_business_profile_get_created_at (profile));
      herald_cli_json_add_string (builder, "updated_at", herald_business_profile_get_updated_at (profile));
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      herald_cli_print_json (node);
      return HERALD_CLI_EXIT_OK;
    }

  printf (_("Business name:        %s\n"), herald_business_profile_get_business_name (profile));
  printf (_("Business account ID:  %s\n"), or_dash (herald_business_profile_get_whatsapp_business_id (profile)));
  printf (_("App ID:               %s\n"), or_dash (herald_business_profile_get_app_id (profile)));
  return HERALD_CLI_EXIT_OK;
}

const HeraldCliEntry herald_cli_business_commands[] = {
  { "set",  business_set,  N_("Set the business profile") },
  { "show", business_show, N_("Show the business profile") },
  { NULL }
};
