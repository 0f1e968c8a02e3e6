/* herald-application.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-application.h"
#include "herald-preferences-window.h"
#include "herald-window.h"

struct _HeraldApplication
{
  AdwApplication     parent_instance;

  HeraldStoreWorker *worker;
  GSettings         *settings;
};

G_DEFINE_FINAL_TYPE (HeraldApplication, herald_application, ADW_TYPE_APPLICATION)

static void
herald_application_activate (GApplication *app)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (herald_window_new (HERALD_APPLICATION (app)));

  gtk_window_present (window);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing (rather than quitting outright) lets each window save its state;
   * the application ends with its last window. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  HeraldApplication *self = HERALD_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  HeraldPreferencesWindow *preferences;

  preferences = herald_preferences_window_new (self->worker, self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Herald authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Herald"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Herald authors"),
                        "developers", developers,
                        "comments", _("Send approved WhatsApp template messages to your customers, "
                                      "and see what became of each one."),
                        "website", "https://github.com/herald-app/herald",
                        "issue-url", "https://github.com/herald-app/herald/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Herald authors",
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
};

static void
herald_application_startup (GApplication *app)
{
  HeraldApplication *self = HERALD_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.show-page('dashboard')", { "<Alt>1", NULL } },
    { "win.show-page('campaigns')", { "<Alt>2", NULL } },
    { "win.show-page('contacts')", { "<Alt>3", NULL } },
    { "win.show-page('templates')", { "<Alt>4", NULL } },
    { "win.show-page('numbers')", { "<Alt>5", NULL } },
    { "win.show-page('activity')", { "<Alt>6", NULL } },
  };
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (herald_application_parent_class)->startup (app);

  /* HERALD_DB points the app at another database (tests, a second shop). */
  self->worker = herald_store_worker_new (g_getenv ("HERALD_DB"), &error);
  if (self->worker == NULL)
    g_critical ("Could not start the database thread: %s", error->message);
  self->settings = g_settings_new (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
}

static void
herald_application_dispose (GObject *object)
{
  HeraldApplication *self = HERALD_APPLICATION (object);

  g_clear_object (&self->worker);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (herald_application_parent_class)->dispose (object);
}

static void
herald_application_class_init (HeraldApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = herald_application_dispose;
  app_class->activate = herald_application_activate;
  app_class->startup = herald_application_startup;
}

static void
herald_application_init (HeraldApplication *self)
{
}

HeraldApplication *
herald_application_new (void)
{
  return g_object_new (HERALD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

HeraldStoreWorker *
herald_application_get_worker (HeraldApplication *self)
{
  g_return_val_if_fail (HERALD_IS_APPLICATION (self), NULL);

  return self->worker;
}

GSettings *
herald_application_get_settings (HeraldApplication *self)
{
  g_return_val_if_fail (HERALD_IS_APPLICATION (self), NULL);

  return self->settings;
}
