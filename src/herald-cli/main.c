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

/* One line per command group; each group's file adds its own. */
static const HeraldCliEntry groups[] = {
  { "contacts",  herald_cli_contacts,  N_("Import, list, export and edit contacts") },
  { "templates", herald_cli_templates, N_("Add, list, sync and submit message templates") },
  { "numbers",   herald_cli_numbers,   N_("Add, list, verify and remove WhatsApp numbers") },
  { "business",  herald_cli_business,  N_("Set or show the business profile") },
  { NULL }
};

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc == 2 && g_str_equal (argv[1], "--version"))
    {
      printf ("herald-cli %s\n", PACKAGE_VERSION);
      return HERALD_CLI_EXIT_OK;
    }

  return herald_cli_dispatch (NULL, groups, argc, argv);
}
