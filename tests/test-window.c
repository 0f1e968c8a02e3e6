/* test-window.c: the application starts, shows its window and quits cleanly
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "herald-application.h"
#include "herald-test-utils.h"
#include "herald-window.h"

static gboolean
window_is_mapped (gpointer data)
{
  GtkApplication *app = data;
  GtkWindow *window = gtk_application_get_active_window (app);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static void
on_activate_check_window (GApplication *app,
                          gpointer      user_data)
{
  GtkWindow **saw_window = user_data;
  GtkWindow *window;

  herald_test_wait_until (window_is_mapped, app, 10000);

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (HERALD_IS_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  *saw_window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) saw_window);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
test_window_start_show_quit (void)
{
  g_autoptr(HeraldApplication) app = NULL;
  GtkWindow *saw_window = NULL;
  int status;

  app = herald_application_new ();
  /* Run after the default handler, which creates and presents the window. */
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate_check_window), &saw_window);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);

  status = g_application_run (G_APPLICATION (app), 0, NULL);

  g_assert_cmpint (status, ==, 0);
  /* Quit closes the window (saving its state) and leaves no reference cycle
   * behind: the window is gone. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (saw_window);
}

int
main (int   argc,
      char *argv[])
{
  /* ISOLATE_DIRS also hides the system data dirs, where the icon theme and
   * the MIME database (which GdkPixbuf needs to load SVG icons) live. */
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);

  if (!gtk_init_check ())
    {
      g_test_message ("no display");
      return 77;
    }

  g_test_add_func ("/herald/window/start-show-quit", test_window_start_show_quit);

  return g_test_run ();
}
