/* main.c: herald-cli, the command line shell over libherald
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "herald-cli-common.h"
#include "herald-cli-webhooks.h"

int herald_cli_campaign (int argc, char **argv);

/* One line per command group; each group's file adds its own. */
static const HeraldCliEntry groups[] = {
  { "contacts",  herald_cli_contacts,  N_("Import, list, export and edit contacts") },
  { "templates", herald_cli_templates, N_("Add, list, sync and submit message templates") },
  { "numbers",   herald_cli_numbers,   N_("Add, list, verify and remove WhatsApp numbers") },
  { "business",  herald_cli_business,  N_("Set or show the business profile") },
  { "campaign",  herald_cli_campaign,  N_("Create, check, send and follow campaigns") },
  { "webhooks",  herald_cli_webhooks,  N_("Ingest, poll, list and reprocess webhook events") },
  { "relay",     herald_cli_relay,     N_("Configure the webhook relay") },
  { NULL }
};

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("HERALD_LOCALEDIR") ? g_getenv ("HERALD_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc == 2 && g_str_equal (argv[1], "--version"))
    {
      printf ("herald-cli %s\n", PACKAGE_VERSION);
      return HERALD_CLI_EXIT_OK;
    }

  return herald_cli_dispatch (NULL, groups, argc, argv);
}
