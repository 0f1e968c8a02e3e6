/* herald-application.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "herald-application.h"
#include "herald-preferences-window.h"
#include "herald-sandbox.h"
#include "herald-secrets.h"
#include "herald-window.h"

struct _HeraldApplication
{
  AdwApplication     parent_instance;

  HeraldStoreWorker *worker;
  GSettings         *settings;
  HeraldFeed        *feed;
  GCancellable      *feed_cancellable;  /* the feed's set-up under way */
};

G_DEFINE_FINAL_TYPE (HeraldApplication, herald_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_FEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The relay feed. Its secrets come from the keyring asynchronously: the feed
 * token (keyed by the relay URL, or "default" as Preferences stores it when
 * no URL was set yet), then the business profile's app id on the worker, then
 * the app secret under that id (or "default"). */

typedef struct
{
  HeraldApplication *self;
  GCancellable      *cancellable;
  char              *relay_url;
  char              *feed_token;
  gboolean           tried_default;
} FeedSetup;

static void
feed_setup_free (FeedSetup *setup)
{
  g_clear_object (&setup->self);
  g_clear_object (&setup->cancellable);
  g_free (setup->relay_url);
  g_clear_pointer (&setup->feed_token, secret_password_free);
  g_free (setup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FeedSetup, feed_setup_free)

static void
set_feed (HeraldApplication *self,
          HeraldFeed        *feed)
{
  if (self->feed != NULL)
    herald_feed_stop (self->feed);
  if (g_set_object (&self->feed, feed))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FEED]);
}

static void
on_app_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FeedSetup) setup = user_data;
  g_autoptr(HeraldFeed) feed = NULL;
  g_autoptr(GError) error = NULL;
  char *app_secret;

  app_secret = herald_secrets_lookup_finish (result, &error);
  if (g_cancellable_is_cancelled (setup->cancellable))
    {
      g_clear_pointer (&app_secret, secret_password_free);
      return;
    }
  if (app_secret == NULL)
    {
      if (error != NULL)
        g_warning ("Could not read the app secret from the keyring: %s", error->message);
      return;
    }

  feed = herald_feed_new (herald_store_worker_get_path (setup->self->worker), setup->relay_url);
  herald_feed_set_feed_token (feed, setup->feed_token);
  herald_feed_set_app_secret (feed, app_secret);
  secret_password_free (app_secret);
  herald_feed_start (feed);
  set_feed (setup->self, feed);
}

static gpointer
load_app_id_job (HeraldStore   *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(HeraldBusinessProfile) profile = herald_store_get_business_profile (store, NULL);
  const char *app_id = profile ? herald_business_profile_get_app_id (profile) : NULL;

  return g_strdup (app_id != NULL && app_id[0] != '\0' ? app_id : "default");
}

static void
on_app_id_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FeedSetup) setup = user_data;
  g_autofree char *app_id = herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, NULL);

  if (app_id == NULL || g_cancellable_is_cancelled (setup->cancellable))
    return;

  herald_secrets_lookup_async (HERALD_SECRET_APP_SECRET, app_id, setup->cancellable,
                               on_app_secret_cb, g_steal_pointer (&setup));
}

static void
on_feed_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FeedSetup) setup = user_data;
  g_autoptr(GError) error = NULL;
  HeraldApplication *self = setup->self;

  setup->feed_token = herald_secrets_lookup_finish (result, &error);
  if (g_cancellable_is_cancelled (setup->cancellable))
    return;
  if (setup->feed_token == NULL)
    {
      if (error != NULL)
        g_warning ("Could not read the feed token from the keyring: %s", error->message);
      else if (!setup->tried_default)
        {
          setup->tried_default = TRUE;
          herald_secrets_lookup_async (HERALD_SECRET_FEED_TOKEN, "default", setup->cancellable,
                                       on_feed_token_cb, g_steal_pointer (&setup));
        }
      return;
    }

  herald_store_worker_run_async (self->worker, load_app_id_job, NULL, NULL, g_free, setup->cancellable,
                                 on_app_id_cb, g_steal_pointer (&setup));
}

/* (Re)starts the feed for the relay URL in the settings. */
static void
restart_feed (HeraldApplication *self)
{
  g_autofree char *relay_url = g_settings_get_string (self->settings, "relay-url");
  FeedSetup *setup;

  g_cancellable_cancel (self->feed_cancellable);
  g_clear_object (&self->feed_cancellable);
  set_feed (self, NULL);
  if (relay_url[0] == '\0' || self->worker == NULL)
    return;

  self->feed_cancellable = g_cancellable_new ();
  setup = g_new0 (FeedSetup, 1);
  setup->self = g_object_ref (self);
  setup->cancellable = g_object_ref (self->feed_cancellable);
  setup->relay_url = g_steal_pointer (&relay_url);
  herald_secrets_lookup_async (HERALD_SECRET_FEED_TOKEN, setup->relay_url, setup->cancellable,
                               on_feed_token_cb, setup);
}

/* The Sandbox, offered once: on the first run with no number yet. */

static gpointer
count_numbers_job (HeraldStore   *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GPtrArray) numbers = herald_store_list_numbers (store, error);

  if (numbers == NULL)
    return NULL;
  return GUINT_TO_POINTER (numbers->len + 1);
}

static void
on_numbers_counted_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(HeraldApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_numbers_plus_one;
  GtkWindow *window;
  AdwToast *toast;

  n_numbers_plus_one = GPOINTER_TO_UINT (herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result,
                                                                         &error));
  if (n_numbers_plus_one == 0)
    return;
  g_settings_set_boolean (self->settings, "sandbox-offered", TRUE);
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (n_numbers_plus_one > 1 || !HERALD_IS_WINDOW (window))
    return;

  toast = adw_toast_new (_("Try Herald with a practice number first: the Sandbox sends nothing to anyone"));
  adw_toast_set_button_label (toast, _("Try the _Sandbox"));
  adw_toast_set_action_name (toast, "app.sandbox");
  adw_toast_set_timeout (toast, 0);
  herald_window_add_toast (HERALD_WINDOW (window), toast);
}

static void
offer_sandbox (HeraldApplication *self)
{
  if (self->worker == NULL || g_settings_get_boolean (self->settings, "sandbox-offered"))
    return;
  herald_store_worker_run_async (self->worker, count_numbers_job, NULL, NULL, NULL, NULL,
                                 on_numbers_counted_cb, g_object_ref (self));
}

static void
on_sandbox_set_up_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(HeraldApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *message;

  if (herald_sandbox_set_up_finish (HERALD_SANDBOX (object), result, &error) != 0)
    message = _("The Sandbox is ready: a practice number, a sample message and sample contacts");
  else
    message = error->message;
  g_signal_emit_by_name (self, "sandbox-ready", error == NULL);
  if (!HERALD_IS_WINDOW (window))
    return;
  if (error == NULL)
    herald_window_show_page (HERALD_WINDOW (window), "numbers");
  herald_window_add_toast (HERALD_WINDOW (window), adw_toast_new (message));
}

static void
sandbox_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  HeraldApplication *self = HERALD_APPLICATION (user_data);

  if (self->worker == NULL)
    return;
  g_settings_set_boolean (self->settings, "sandbox-offered", TRUE);
  herald_sandbox_set_up_async (herald_sandbox_get_for_worker (self->worker), NULL,
                               on_sandbox_set_up_cb, g_object_ref (self));
}

static void
herald_application_activate (GApplication *app)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      window = GTK_WINDOW (herald_window_new (HERALD_APPLICATION (app)));
      offer_sandbox (HERALD_APPLICATION (app));
    }

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

/* The window, made and shown if there is none. */
static HeraldWindow *
present_window (HeraldApplication *self)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  return HERALD_IS_WINDOW (window) ? HERALD_WINDOW (window) : NULL;
}

/* app.show-page, app.show-campaign and app.new-campaign: for notifications,
 * and for whoever opens a page from outside (`gapplication action`, build-aux/screenshots). */
static void
show_page_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  HeraldWindow *window = present_window (HERALD_APPLICATION (user_data));

  if (window != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-page", parameter);
}

static void
show_campaign_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  HeraldWindow *window = present_window (HERALD_APPLICATION (user_data));

  if (window != NULL)
    herald_window_show_campaign (window, g_variant_get_int64 (parameter));
}

static void
new_campaign_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  HeraldWindow *window = present_window (HERALD_APPLICATION (user_data));

  if (window != NULL)
    gtk_widget_activate_action (herald_window_get_page (window, "campaigns"), "campaigns.new", NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
  { "sandbox", sandbox_activated },
  { "show-page", show_page_activated, "s" },
  { "show-campaign", show_campaign_activated, "x" },
  { "new-campaign", new_campaign_activated },
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

  /* HERALD_COLOR_SCHEME=dark|light forces a style (screenshots, checks). */
  if (g_strcmp0 (g_getenv ("HERALD_COLOR_SCHEME"), "dark") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  else if (g_strcmp0 (g_getenv ("HERALD_COLOR_SCHEME"), "light") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_signal_connect_object (self->settings, "changed::relay-url", G_CALLBACK (restart_feed), self,
                           G_CONNECT_SWAPPED);
  restart_feed (self);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
}

static void
herald_application_shutdown (GApplication *app)
{
  HeraldApplication *self = HERALD_APPLICATION (app);

  g_cancellable_cancel (self->feed_cancellable);
  set_feed (self, NULL);

  G_APPLICATION_CLASS (herald_application_parent_class)->shutdown (app);
}

static void
herald_application_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HeraldApplication *self = HERALD_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_FEED:
      g_value_set_object (value, self->feed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_application_dispose (GObject *object)
{
  HeraldApplication *self = HERALD_APPLICATION (object);

  g_cancellable_cancel (self->feed_cancellable);
  g_clear_object (&self->feed_cancellable);
  if (self->feed != NULL)
    herald_feed_stop (self->feed);
  g_clear_object (&self->feed);
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
  object_class->get_property = herald_application_get_property;
  app_class->activate = herald_application_activate;
  app_class->startup = herald_application_startup;
  app_class->shutdown = herald_application_shutdown;

  /* After app.sandbox set the Sandbox up (TRUE) or failed (FALSE). */
  g_signal_new ("sandbox-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  /* The relay poller (HeraldFeed), or NULL while the relay is not set up. */
  properties[PROP_FEED] =
    g_param_spec_object ("feed", NULL, NULL, HERALD_TYPE_FEED,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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

HeraldFeed *
herald_application_get_feed (HeraldApplication *self)
{
  g_return_val_if_fail (HERALD_IS_APPLICATION (self), NULL);

  return self->feed;
}
