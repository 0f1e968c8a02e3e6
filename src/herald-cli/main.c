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

/* One line per command group; each group's file has its commands. */
static const HeraldCliEntry groups[] = {
  { "contacts",  NULL, N_("Import, list, export and edit contacts"),         herald_cli_contacts_commands },
  { "templates", NULL, N_("Add, list, sync and submit message templates"),   herald_cli_templates_commands },
  { "numbers",   NULL, N_("Add, list, verify and remove WhatsApp numbers"),  herald_cli_numbers_commands },
  { "business",  NULL, N_("Set or show the business profile"),               herald_cli_business_commands },
  { "campaign",  NULL, N_("Create, check, send and follow campaigns"),       herald_cli_campaign_commands },
  { "webhooks",  NULL, N_("Ingest, poll, list and reprocess webhook events"), herald_cli_webhooks_commands },
  { "relay",     NULL, N_("Configure the webhook relay"),                    herald_cli_relay_commands },
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
