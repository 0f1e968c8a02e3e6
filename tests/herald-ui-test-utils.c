/* herald-ui-test-utils.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "herald-ui-test-utils.h"

/**
 * herald_ui_test_init:
 *
 * g_test_init() with isolated dirs, then GTK and libadwaita. Returns FALSE
 * when there is no display: the test then exits with 77 (skipped).
 */
gboolean
herald_ui_test_init (int    *argc,
                     char ***argv)
{
  /* ISOLATE_DIRS also hides the system data dirs, where the icon theme, the
   * MIME database (which GdkPixbuf needs to load SVG icons) and the GSettings
   * schemas live; what the tests write stays in the isolated dirs. */
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", data_dirs != NULL ? data_dirs : "/usr/local/share:/usr/share", TRUE);

  if (!gtk_init_check ())
    {
      g_test_message ("no display");
      return FALSE;
    }
  adw_init ();
  return TRUE;
}
