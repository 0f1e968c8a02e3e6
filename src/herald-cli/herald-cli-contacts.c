/* herald-cli-contacts.c: herald-cli contacts …
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "herald-cli-common.h"
#include "herald-contact-import.h"
#include "herald-phone.h"

static int
contacts_import (int    argc,
                 char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldContactImport) import = NULL;
  g_autoptr(HeraldContactImportReport) report = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  const GOptionEntry entries[] = {
    { "default-region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Country of numbers written without a country code (ISO code such as DE)"), "CC" },
    { NULL }
  };
  int exit_code;

  cmd = herald_cli_command_new ("contacts import", "FILE.csv",
                                _("Imports contacts from a CSV file; a number already known updates its contact."),
                                HERALD_CLI_OPTION_JSON);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 1, 1, &exit_code))
    return exit_code;

  if (region != NULL && herald_phone_calling_code_for_region (region) == 0)
    return herald_cli_fail_message (_("Default region: “%s” is not a known country code"), region);

  store = herald_cli_command_open_store (cmd, &exit_code);
  if (store == NULL)
    return exit_code;

  file = g_file_new_for_commandline_arg (herald_cli_command_get_arg (cmd, 0));
  import = herald_contact_import_new (file);
  if (region != NULL)
    herald_contact_import_set_default_region (import, region);

  if (!herald_contact_import_load (import, 0, herald_cli_get_cancellable (), &error))
    return herald_cli_fail (error);

  report = herald_contact_import_run (import, store, herald_cli_get_cancellable (), &error);
  if (report == NULL)
    return herald_cli_fail (error);

  if (herald_cli_command_get_json (cmd))
    {
      g_autoptr(JsonNode) node = herald_contact_import_report_to_json (report);

      herald_cli_print_json (node);
      return HERALD_CLI_EXIT_OK;
    }

  printf (_("Imported %u, updated %u, skipped %u\n"),
          herald_contact_import_report_get_imported (report),
          herald_contact_import_report_get_updated (report),
          herald_contact_import_report_get_n_rejections (report));
  for (guint i = 0; i < herald_contact_import_report_get_n_rejections (report); i++)
    {
      g_autofree char *line = herald_contact_import_report_format_rejection (report, i);

      printf ("  %s\n", line);
    }
  return HERALD_CLI_EXIT_OK;
}

static JsonNode *
contact_to_json (gpointer item)
{
  HeraldContact *contact = item;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonNode *attributes = herald_cli_json_from_text (herald_contact_get_attributes (contact));

  if (!JSON_NODE_HOLDS_OBJECT (attributes))
    {
      json_node_unref (attributes);
      attributes = json_node_init_object (json_node_alloc (), json_object_new ());
      json_object_unref (json_node_get_object (attributes));
    }

  json_builder_begin_object (builder);
  herald_cli_json_add_int (builder, "id", herald_contact_get_id (contact));
  herald_cli_json_add_string (builder, "name", herald_contact_get_name (contact));
  herald_cli_json_add_string (builder, "mobile_number", herald_contact_get_mobile_number (contact));
  herald_cli_json_add_string (builder, "email", herald_contact_get_email (contact));
  herald_cli_json_add_string (builder, "notes", herald_contact_get_notes (contact));
  herald_cli_json_add_boolean (builder, "is_active", herald_contact_get_is_active (contact));
  herald_cli_json_add_boolean (builder, "opted_out", herald_contact_get_opted_out (contact));
  herald_cli_json_add_string (builder, "opted_out_reason", herald_contact_get_opted_out_reason (contact));
  herald_cli_json_add_string (builder, "opted_out_at", herald_contact_get_opted_out_at (contact));
  json_builder_set_member_name (builder, "attributes");
  json_builder_add_value (builder, attributes);
  herald_cli_json_add_string (builder, "created_at", herald_contact_get_created_at (contact));
  herald_cli_json_add_string (builder, "updated_at", herald_contact_get_updated_at (contact));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
print_contact (gpointer item)
{
  HeraldContact *contact = item;
  const char *email = herald_contact_get_email (contact);

  printf ("%" PRId64 "\t%s\t%s\t%s%s\n",
          herald_contact_get_id (contact),
          herald_contact_get_mobile_number (contact),
          herald_contact_get_name (contact),
          email != NULL ? email : "",
          herald_contact_get_opted_out (contact) ? _("\t(opted out)") : "");
}

typedef struct
{
  HeraldStore *store;
  const char  *search;
} ContactQuery;

static GPtrArray *
fetch_contacts (gint64    after,
                gpointer  user_data,
                GError  **error)
{
  ContactQuery *query = user_data;

  return herald_store_list_contacts (query->store, query->search, after, HERALD_CLI_PAGE_SIZE, error);
}

static gint64
contact_id (gpointer item)
{
  return herald_contact_get_id (item);
}

static int
contacts_list (int    argc,
               char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autofree char *search = NULL;
  const GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only contacts whose name, number or email contain TEXT"), "TEXT" },
    { NULL }
  };
  int exit_code;

  cmd = herald_cli_command_new ("contacts list", NULL, _("Lists contacts by id."), HERALD_CLI_OPTION_JSON);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  return herald_cli_print_pages (cmd, fetch_contacts, &(ContactQuery) { store, search }, contact_id,
                                 contact_to_json, print_contact);
}

static int
contacts_export (int    argc,
                 char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  cmd = herald_cli_command_new ("contacts export", "FILE.csv",
                                _("Writes every contact to a CSV file that contacts import reads back."),
                                HERALD_CLI_OPTION_NONE);
  if (!herald_cli_command_parse (cmd, argc, argv, 1, 1, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  file = g_file_new_for_commandline_arg (herald_cli_command_get_arg (cmd, 0));
  if (!herald_contact_export (store, file, herald_cli_get_cancellable (), &error))
    return herald_cli_fail (error);

  return HERALD_CLI_EXIT_OK;
}

/* A contact by its id, or by its mobile number when the text starts with "+". */
static HeraldContact *
find_contact (HeraldStore  *store,
              const char   *id,
              GError      **error)
{
  gint64 row_id;

  if (id[0] == '+')
    return herald_store_get_contact_by_mobile_number (store, id, error);

  if (!herald_cli_parse_id (id, &row_id))
    {
      g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND,
                   _("“%s” is neither a contact id nor a mobile number starting with +"), id);
      return NULL;
    }

  return herald_store_get_contact (store, row_id, error);
}

static int
contacts_add (int    argc,
              char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *mobile = NULL;
  g_autofree char *email = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *region = NULL;
  g_autofree char *number = NULL;
  g_auto(GStrv) attributes = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name"), "NAME" },
    { "mobile", 0, 0, G_OPTION_ARG_STRING, &mobile, N_("Mobile number"), "NUMBER" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("Email address"), "EMAIL" },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("Notes"), "TEXT" },
    { "attribute", 0, 0, G_OPTION_ARG_STRING_ARRAY, &attributes, N_("A custom field (repeatable)"), "KEY=VALUE" },
    { "default-region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_("Country of a number written without a country code"), "CC" },
    { NULL }
  };
  gboolean created;
  int exit_code;

  cmd = herald_cli_command_new ("contacts add", NULL,
                                _("Adds a contact, or updates the one with that mobile number; prints its id."),
                                HERALD_CLI_OPTION_NONE);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 0, 0, &exit_code))
    return exit_code;
  if (name == NULL || mobile == NULL)
    return herald_cli_command_usage_error (cmd, _("--name and --mobile are required"));

  number = herald_phone_normalize (mobile, region, &error);
  if (number == NULL)
    return herald_cli_fail_message (_("Mobile number: %s"), error->message);

  contact = herald_contact_new (name, number);
  herald_contact_set_email (contact, email);
  herald_contact_set_notes (contact, notes);
  for (guint i = 0; attributes != NULL && attributes[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (attributes[i], "=", 2);

      if (pair[0] == NULL || pair[1] == NULL || pair[0][0] == '\0')
        return herald_cli_command_usage_error (cmd, _("--attribute takes KEY=VALUE, not “%s”"), attributes[i]);
      herald_contact_set_attribute (contact, pair[0], pair[1]);
    }

  store = herald_cli_command_open_store (cmd, &exit_code);
  if (store == NULL)
    return exit_code;
  if (!herald_store_upsert_contact (store, contact, &created, &error))
    return herald_cli_fail (error);

  printf ("%" PRId64 "\n", herald_contact_get_id (contact));
  return HERALD_CLI_EXIT_OK;
}

static int
contacts_remove (int    argc,
                 char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code;

  cmd = herald_cli_command_new ("contacts remove", "ID|+NUMBER", _("Deletes a contact."), HERALD_CLI_OPTION_NONE);
  if (!herald_cli_command_parse (cmd, argc, argv, 1, 1, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  contact = find_contact (store, herald_cli_command_get_arg (cmd, 0), &error);
  if (contact == NULL ||
      !herald_store_delete_contact (store, herald_contact_get_id (contact), &error))
    return herald_cli_fail (error);

  return HERALD_CLI_EXIT_OK;
}

static int
contacts_opt_out (int    argc,
                  char **argv)
{
  g_autoptr(HeraldCliCommand) cmd = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gboolean undo = FALSE;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why (kept with the contact)"), "TEXT" },
    { "undo", 0, 0, G_OPTION_ARG_NONE, &undo, N_("Opt the contact back in"), NULL },
    { NULL }
  };
  int exit_code;

  cmd = herald_cli_command_new ("contacts opt-out", "ID|+NUMBER",
                                _("Marks a contact as opted out: no campaign sends to it."),
                                HERALD_CLI_OPTION_NONE);
  herald_cli_command_add_entries (cmd, entries);
  if (!herald_cli_command_parse (cmd, argc, argv, 1, 1, &exit_code) ||
      (store = herald_cli_command_open_store (cmd, &exit_code)) == NULL)
    return exit_code;

  contact = find_contact (store, herald_cli_command_get_arg (cmd, 0), &error);
  if (contact == NULL ||
      !herald_store_set_contact_opted_out (store, herald_contact_get_id (contact), !undo,
                                           reason != NULL ? reason : _("Opted out by hand"),
                                           NULL, &error))
    return herald_cli_fail (error);

  return HERALD_CLI_EXIT_OK;
}

const HeraldCliEntry herald_cli_contacts_commands[] = {
  { "import",  contacts_import,  N_("Import contacts from a CSV file") },
  { "list",    contacts_list,    N_("List contacts") },
  { "export",  contacts_export,  N_("Export contacts to a CSV file") },
  { "add",     contacts_add,     N_("Add or update one contact") },
  { "remove",  contacts_remove,  N_("Delete a contact") },
  { "opt-out", contacts_opt_out, N_("Mark a contact opted out (or back in with --undo)") },
  { NULL }
};
