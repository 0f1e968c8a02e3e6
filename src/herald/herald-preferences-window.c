/* herald-preferences-window.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-phone.h"
#include "herald-preferences-window.h"
#include "herald-secrets.h"
#include "herald-ui-utils.h"

struct _HeraldPreferencesWindow
{
  AdwPreferencesWindow   parent_instance;

  HeraldStoreWorker     *worker;
  GSettings             *settings;
  GCancellable          *cancellable;
  HeraldBusinessProfile *profile;
  gboolean               loading;

  AdwEntryRow           *business_name_row;
  AdwEntryRow           *waba_id_row;
  AdwEntryRow           *app_id_row;
  GtkLabel              *profile_error_label;
  GtkButton             *save_profile_button;
  AdwEntryRow           *relay_url_row;
  AdwPasswordEntryRow   *feed_token_row;
  AdwPasswordEntryRow   *app_secret_row;
  AdwEntryRow           *region_row;
};

G_DEFINE_FINAL_TYPE (HeraldPreferencesWindow, herald_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static gpointer
load_profile_job (HeraldStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  HeraldBusinessProfile *profile;

  profile = herald_store_get_business_profile (store, &local_error);
  /* No profile yet is the normal first run. */
  if (profile == NULL && !g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));

  return profile;
}

static gpointer
save_profile_job (HeraldStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  if (!herald_store_save_business_profile (store, data, error))
    return NULL;

  return g_object_ref (data);
}

static void
show_toast (HeraldPreferencesWindow *self,
            const char              *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
on_profile_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(HeraldPreferencesWindow) self = user_data;
  g_autoptr(HeraldBusinessProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      show_toast (self, error->message);
      return;
    }

  self->loading = TRUE;
  if (profile != NULL)
    {
      g_set_object (&self->profile, profile);
      gtk_editable_set_text (GTK_EDITABLE (self->business_name_row),
                             herald_business_profile_get_business_name (profile) ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->waba_id_row),
                             herald_business_profile_get_whatsapp_business_id (profile) ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->app_id_row),
                             herald_business_profile_get_app_id (profile) ?: "");
    }
  self->loading = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_profile_button), FALSE);
}

static void
on_profile_changed_cb (HeraldPreferencesWindow *self)
{
  if (self->loading)
    return;

  herald_ui_clear_field_error (GTK_WIDGET (self->business_name_row));
  herald_ui_clear_field_error (GTK_WIDGET (self->waba_id_row));
  herald_ui_clear_field_error (GTK_WIDGET (self->app_id_row));
  gtk_widget_set_visible (GTK_WIDGET (self->profile_error_label), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_profile_button), TRUE);
}

static void
on_profile_saved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HeraldPreferencesWindow) self = user_data;
  g_autoptr(HeraldBusinessProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  profile = herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (profile == NULL)
    {
      /* The store names the field in its message; mark the likely one. */
      GtkWidget *field = GTK_WIDGET (self->business_name_row);

      if (error != NULL && strstr (error->message, "app") != NULL)
        field = GTK_WIDGET (self->app_id_row);
      else if (error != NULL && (strstr (error->message, "WhatsApp") != NULL ||
                                 strstr (error->message, "account") != NULL))
        field = GTK_WIDGET (self->waba_id_row);
      herald_ui_set_field_error (field, error ? error->message : _("Could not save"));
      gtk_label_set_text (self->profile_error_label, error ? error->message : _("Could not save"));
      gtk_widget_set_visible (GTK_WIDGET (self->profile_error_label), TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_profile_button), TRUE);
      return;
    }

  g_set_object (&self->profile, profile);
  show_toast (self, _("Business profile saved"));
}

static void
on_save_profile_clicked_cb (HeraldPreferencesWindow *self)
{
  g_autoptr(HeraldBusinessProfile) profile = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->business_name_row));
  const char *waba_id = gtk_editable_get_text (GTK_EDITABLE (self->waba_id_row));
  const char *app_id = gtk_editable_get_text (GTK_EDITABLE (self->app_id_row));

  g_autofree char *trimmed = g_strstrip (g_strdup (name));

  if (trimmed[0] == '\0')
    {
      herald_ui_set_field_error (GTK_WIDGET (self->business_name_row),
                                 _("Enter the name of your business"));
      return;
    }

  profile = herald_business_profile_new (trimmed);
  if (self->profile != NULL)
    herald_business_profile_set_id (profile, herald_business_profile_get_id (self->profile));
  herald_business_profile_set_whatsapp_business_id (profile, waba_id[0] ? waba_id : NULL);
  herald_business_profile_set_app_id (profile, app_id[0] ? app_id : NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_profile_button), FALSE);
  herald_store_worker_run_async (self->worker, save_profile_job,
                                 g_steal_pointer (&profile), g_object_unref, g_object_unref,
                                 self->cancellable, on_profile_saved_cb, g_object_ref (self));
}

static void
on_secret_stored_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HeraldPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!herald_secrets_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }

  show_toast (self, _("Saved in your keyring"));
}

/* Stores what @row holds under @key (or "default"), then empties it: the
 * field never shows a stored secret again. */
static void
store_secret_from_row (HeraldPreferencesWindow *self,
                       HeraldSecretKind         kind,
                       const char              *key,
                       AdwPasswordEntryRow     *row)
{
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (row));

  if (secret[0] == '\0')
    return;

  herald_secrets_store_async (kind, key[0] ? key : "default", NULL, secret, self->cancellable,
                              on_secret_stored_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
on_feed_token_apply_cb (HeraldPreferencesWindow *self)
{
  g_autofree char *relay_url = g_settings_get_string (self->settings, "relay-url");

  store_secret_from_row (self, HERALD_SECRET_FEED_TOKEN, relay_url, self->feed_token_row);
}

static void
on_app_secret_apply_cb (HeraldPreferencesWindow *self)
{
  store_secret_from_row (self, HERALD_SECRET_APP_SECRET,
                         gtk_editable_get_text (GTK_EDITABLE (self->app_id_row)), self->app_secret_row);
}

static void
on_relay_url_apply_cb (HeraldPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->relay_url_row))));
  g_autoptr(GUri) uri = NULL;

  herald_ui_clear_field_error (GTK_WIDGET (self->relay_url_row));
  if (url[0] != '\0')
    {
      uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
      if (uri == NULL ||
          (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
           g_strcmp0 (g_uri_get_scheme (uri), "http") != 0) ||
          g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
        {
          herald_ui_set_field_error (GTK_WIDGET (self->relay_url_row),
                                     _("Enter a web address starting with https://"));
          return;
        }
    }

  g_settings_set_string (self->settings, "relay-url", url);
  show_toast (self, _("Relay address saved"));
}

static void
on_region_apply_cb (HeraldPreferencesWindow *self)
{
  g_autofree char *region = g_ascii_strup (gtk_editable_get_text (GTK_EDITABLE (self->region_row)), -1);

  g_strstrip (region);
  herald_ui_clear_field_error (GTK_WIDGET (self->region_row));
  if (region[0] != '\0' && herald_phone_calling_code_for_region (region) == 0)
    {
      herald_ui_set_field_error (GTK_WIDGET (self->region_row),
                                 _("Not a known two-letter country code"));
      return;
    }

  g_settings_set_string (self->settings, "default-region", region);
  show_toast (self, _("Default country saved"));
}

static void
load (HeraldPreferencesWindow *self)
{
  g_autofree char *relay_url = NULL;
  g_autofree char *region = NULL;

  relay_url = g_settings_get_string (self->settings, "relay-url");
  gtk_editable_set_text (GTK_EDITABLE (self->relay_url_row), relay_url);
  region = g_settings_get_string (self->settings, "default-region");
  gtk_editable_set_text (GTK_EDITABLE (self->region_row), region);

  herald_store_worker_run_async (self->worker, load_profile_job, NULL, NULL, g_object_unref,
                                 self->cancellable, on_profile_loaded_cb, g_object_ref (self));
}

static void
herald_preferences_window_dispose (GObject *object)
{
  HeraldPreferencesWindow *self = HERALD_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_object (&self->settings);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (herald_preferences_window_parent_class)->dispose (object);
}

static void
herald_preferences_window_class_init (HeraldPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, business_name_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, waba_id_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, app_id_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, profile_error_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, save_profile_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, relay_url_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, feed_token_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, app_secret_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldPreferencesWindow, region_row);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_profile_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_relay_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_feed_token_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_app_secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_region_apply_cb);
}

static void
herald_preferences_window_init (HeraldPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

HeraldPreferencesWindow *
herald_preferences_window_new (HeraldStoreWorker *worker,
                               GSettings         *settings)
{
  HeraldPreferencesWindow *self;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (HERALD_TYPE_PREFERENCES_WINDOW, NULL);
  self->worker = g_object_ref (worker);
  self->settings = g_object_ref (settings);
  load (self);
  return self;
}
