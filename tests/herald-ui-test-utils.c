/* herald-ui-test-utils.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "herald-test-utils.h"
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

static void
on_stats_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

JsonNode *
herald_ui_test_sandbox_stats (HeraldSandbox *sandbox)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *stats;

  herald_sandbox_get_stats_async (sandbox, NULL, on_stats_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  stats = herald_sandbox_get_stats_finish (sandbox, result, &error);
  g_assert_no_error (error);
  return stats;
}

static void
on_set_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(gint64 *) user_data = herald_sandbox_set_up_finish (HERALD_SANDBOX (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
id_set (gpointer data)
{
  return *(gint64 *) data != 0;
}

gint64
herald_ui_test_sandbox_set_up (HeraldSandbox *sandbox)
{
  gint64 number_id = 0;

  herald_sandbox_set_up_async (sandbox, NULL, on_set_up_cb, &number_id);
  herald_test_wait_until (id_set, &number_id, 10000);
  return number_id;
}
