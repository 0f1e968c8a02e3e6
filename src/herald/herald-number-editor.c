/* herald-number-editor.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-number-editor.h"
#include "herald-phone.h"
#include "herald-secrets.h"
#include "herald-ui-utils.h"

/* Saving takes three steps, so that nothing is saved half: the worker checks
 * that the phone number ID is free, the token goes to the keyring, and only
 * then is the number row written. A new number's token is taken out of the
 * keyring again when the row cannot be written. */

struct _HeraldNumberEditor
{
  AdwWindow          parent_instance;

  HeraldStoreWorker *worker;
  HeraldNumber      *number;       /* a copy being edited; id 0 when new */
  HeraldNumber      *pending;      /* what is being saved */
  GCancellable      *cancellable;
  gboolean           busy;

  GtkWidget         *save_button;
  GtkWidget         *error_label;
  GtkWidget         *phone_number_id_row;
  GtkWidget         *phone_row;
  GtkWidget         *display_name_row;
  GtkWidget         *rate_row;
  GtkWidget         *token_row;
  AdwPreferencesGroup *token_group;
};

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HeraldNumberEditor, herald_number_editor, ADW_TYPE_WINDOW)

/* Messages per second above this are not what Meta allows a number. */
#define MAX_MESSAGES_PER_SECOND 1000

static gpointer
check_free_job (HeraldStore   *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  HeraldNumber *number = data;
  g_autoptr(HeraldNumber) existing = NULL;
  g_autoptr(GError) local_error = NULL;

  existing = herald_store_get_number_by_phone_number_id (store, herald_number_get_phone_number_id (number),
                                                        &local_error);
  if (existing == NULL)
    {
      if (g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
        return HERALD_STORE_WORKER_TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (herald_number_get_id (existing) != herald_number_get_id (number))
    {
      g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_CONSTRAINT,
                   _("Phone number ID: %s is already saved"),
                   herald_number_get_phone_number_id (number));
      return NULL;
    }

  return HERALD_STORE_WORKER_TRUE;
}

static gpointer
save_number_job (HeraldStore   *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  if (!herald_store_save_number (store, data, error))
    return NULL;

  return HERALD_STORE_WORKER_TRUE;
}

static void
set_busy (HeraldNumberEditor *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->save_button, !busy);
}

#define FIELDS(self) (GtkWidget * const []) { (self)->phone_number_id_row, (self)->phone_row, \
                                             (self)->display_name_row, (self)->rate_row, (self)->token_row }
#define N_FIELDS 5

static void
clear_errors (HeraldNumberEditor *self)
{
  herald_ui_clear_form_errors (FIELDS (self), N_FIELDS, self->error_label);
}

/* Messages read "Field: problem", where Field is a row's title (the
 * store's messages too); that row is marked. */
static void
show_error (HeraldNumberEditor *self,
            const char         *message)
{
  herald_ui_show_form_error (FIELDS (self), N_FIELDS, self->error_label, message);
}

static void
show_field_error (HeraldNumberEditor *self,
                  GtkWidget          *row,
                  const char         *reason)
{
  g_autofree char *message = g_strdup_printf ("%s: %s",
                                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                              reason);

  show_error (self, message);
}

static void
finish_with_error (HeraldNumberEditor *self,
                   const GError       *error)
{
  set_busy (self, FALSE);
  g_clear_object (&self->pending);
  show_error (self, error->message);
}

static void
on_token_cleared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Best effort: the number was not saved, its token should not linger. */
  if (!herald_secrets_clear_finish (result, &error))
    g_warning ("Could not remove an unused access token: %s", error->message);
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HeraldNumberEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (herald_number_get_id (self->number) == 0)
        herald_secrets_clear_async (HERALD_SECRET_ACCESS_TOKEN,
                                    herald_number_get_phone_number_id (self->pending),
                                    NULL, on_token_cleared_cb, NULL);
      finish_with_error (self, error);
      return;
    }

  set_busy (self, FALSE);
  g_clear_object (&self->pending);
  g_signal_emit (self, signals[DONE], 0,
                 herald_number_get_id (self->number) == 0 ? _("Number added") : _("Number saved"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_row (HeraldNumberEditor *self)
{
  herald_store_worker_run_async (self->worker, save_number_job,
                                 g_object_ref (self->pending), g_object_unref, NULL,
                                 self->cancellable, on_saved_cb, g_object_ref (self));
}

static void
on_token_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HeraldNumberEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!herald_secrets_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_prefix_error (&error, "%s: ", _("Access token"));
      finish_with_error (self, error);
      return;
    }

  /* The field never holds a stored secret longer than needed. */
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  save_row (self);
}

static void
on_checked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HeraldNumberEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *token;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      finish_with_error (self, error);
      return;
    }

  token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  if (token[0] == '\0')
    {
      /* Editing without a new token keeps the one in the keyring. */
      save_row (self);
      return;
    }

  herald_secrets_store_async (HERALD_SECRET_ACCESS_TOKEN,
                              herald_number_get_phone_number_id (self->pending),
                              NULL, token, self->cancellable,
                              on_token_stored_cb, g_object_ref (self));
}

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

void
herald_number_editor_save (HeraldNumberEditor *self)
{
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *region = g_settings_get_string (settings, "default-region");
  g_autofree char *phone_number_id = g_strstrip (g_strdup (text_of (self->phone_number_id_row)));
  g_autofree char *display_name = g_strstrip (g_strdup (text_of (self->display_name_row)));
  g_autofree char *rate_text = g_strstrip (g_strdup (text_of (self->rate_row)));
  g_autofree char *phone = NULL;
  g_autoptr(GError) error = NULL;
  guint64 rate = 0;

  g_return_if_fail (HERALD_IS_NUMBER_EDITOR (self));

  if (self->busy)
    return;
  clear_errors (self);

  if (phone_number_id[0] == '\0')
    {
      show_field_error (self, self->phone_number_id_row, _("enter the phone number ID Meta shows for this number"));
      return;
    }
  for (const char *p = phone_number_id; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      {
        show_field_error (self, self->phone_number_id_row, _("only digits, as Meta shows it"));
        return;
      }

  phone = herald_phone_normalize (text_of (self->phone_row), region[0] ? region : NULL, &error);
  if (phone == NULL)
    {
      show_field_error (self, self->phone_row, error->message);
      return;
    }

  if (!g_ascii_string_to_unsigned (rate_text, 10, 1, MAX_MESSAGES_PER_SECOND, &rate, NULL))
    {
      g_autofree char *reason = g_strdup_printf (_("a whole number from 1 to %d"), MAX_MESSAGES_PER_SECOND);

      show_field_error (self, self->rate_row, reason);
      return;
    }

  if (herald_number_get_id (self->number) == 0 && text_of (self->token_row)[0] == '\0')
    {
      show_field_error (self, self->token_row, _("paste the access token for this number"));
      return;
    }

  number = herald_number_new (phone_number_id, phone);
  herald_number_set_id (number, herald_number_get_id (self->number));
  herald_number_set_display_name (number, display_name[0] ? display_name : NULL);
  herald_number_set_messages_per_second (number, (guint) rate);
  /* What only Meta or the app sets is kept as it was. */
  herald_number_set_is_active (number, herald_number_get_is_active (self->number));
  herald_number_set_is_sandbox (number, herald_number_get_is_sandbox (self->number));
  herald_number_set_verified_at (number, herald_number_get_verified_at (self->number));
  herald_number_set_verified_name (number, herald_number_get_verified_name (self->number));
  herald_number_set_quality_rating (number, herald_number_get_quality_rating (self->number));
  herald_number_set_throughput_level (number, herald_number_get_throughput_level (self->number));
  herald_number_set_messaging_limit_tier (number, herald_number_get_messaging_limit_tier (self->number));
  g_set_object (&self->pending, number);

  set_busy (self, TRUE);
  herald_store_worker_run_async (self->worker, check_free_job,
                                 g_object_ref (number), g_object_unref, NULL,
                                 self->cancellable, on_checked_cb, g_object_ref (self));
}

static void
herald_number_editor_dispose (GObject *object)
{
  HeraldNumberEditor *self = HERALD_NUMBER_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_NUMBER_EDITOR);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_object (&self->number);
  g_clear_object (&self->pending);

  G_OBJECT_CLASS (herald_number_editor_parent_class)->dispose (object);
}

static void
herald_number_editor_class_init (HeraldNumberEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_number_editor_dispose;

  /* The number was saved; the argument is a message for a toast. */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-number-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldNumberEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldNumberEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldNumberEditor, phone_number_id_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldNumberEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldNumberEditor, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldNumberEditor, rate_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldNumberEditor, token_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldNumberEditor, token_group);
  gtk_widget_class_bind_template_callback (widget_class, herald_number_editor_save);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
herald_number_editor_init (HeraldNumberEditor *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

HeraldNumberEditor *
herald_number_editor_new (HeraldStoreWorker *worker,
                          HeraldNumber      *number)
{
  HeraldNumberEditor *self;
  g_autofree char *rate = NULL;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);
  g_return_val_if_fail (number == NULL || HERALD_IS_NUMBER (number), NULL);

  self = g_object_new (HERALD_TYPE_NUMBER_EDITOR, NULL);
  self->worker = g_object_ref (worker);

  if (number == NULL)
    {
      self->number = herald_number_new (NULL, NULL);
      herald_number_set_is_active (self->number, TRUE);
      gtk_window_set_title (GTK_WINDOW (self), _("Add Number"));
      gtk_button_set_label (GTK_BUTTON (self->save_button), _("_Add"));
      gtk_widget_grab_focus (self->phone_number_id_row);
      return self;
    }

  self->number = herald_number_new (herald_number_get_phone_number_id (number),
                                    herald_number_get_phone_number (number));
  herald_number_set_id (self->number, herald_number_get_id (number));
  herald_number_set_display_name (self->number, herald_number_get_display_name (number));
  herald_number_set_messages_per_second (self->number, herald_number_get_messages_per_second (number));
  herald_number_set_is_active (self->number, herald_number_get_is_active (number));
  herald_number_set_is_sandbox (self->number, herald_number_get_is_sandbox (number));
  herald_number_set_verified_at (self->number, herald_number_get_verified_at (number));
  herald_number_set_verified_name (self->number, herald_number_get_verified_name (number));
  herald_number_set_quality_rating (self->number, herald_number_get_quality_rating (number));
  herald_number_set_throughput_level (self->number, herald_number_get_throughput_level (number));
  herald_number_set_messaging_limit_tier (self->number, herald_number_get_messaging_limit_tier (number));

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Number"));
  gtk_editable_set_text (GTK_EDITABLE (self->phone_number_id_row), herald_number_get_phone_number_id (number));
  /* The token is keyed by this ID: another number is another entry. */
  gtk_editable_set_editable (GTK_EDITABLE (self->phone_number_id_row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), herald_number_get_phone_number (number));
  gtk_editable_set_text (GTK_EDITABLE (self->display_name_row),
                         herald_number_get_display_name (number) ? herald_number_get_display_name (number) : "");
  rate = g_strdup_printf ("%u", herald_number_get_messages_per_second (number));
  gtk_editable_set_text (GTK_EDITABLE (self->rate_row), rate);
  adw_preferences_group_set_description (self->token_group,
                                         _("Kept in your keyring, never in Herald’s database. "
                                           "Leave it empty to keep the token you saved before."));
  gtk_widget_grab_focus (self->display_name_row);

  return self;
}

GtkEditable *
herald_number_editor_get_field (HeraldNumberEditor *self,
                                const char         *name)
{
  g_return_val_if_fail (HERALD_IS_NUMBER_EDITOR (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_equal (name, "phone-number-id"))
    return GTK_EDITABLE (self->phone_number_id_row);
  if (g_str_equal (name, "phone-number"))
    return GTK_EDITABLE (self->phone_row);
  if (g_str_equal (name, "display-name"))
    return GTK_EDITABLE (self->display_name_row);
  if (g_str_equal (name, "messages-per-second"))
    return GTK_EDITABLE (self->rate_row);
  if (g_str_equal (name, "access-token"))
    return GTK_EDITABLE (self->token_row);
  return NULL;
}

gboolean
herald_number_editor_get_busy (HeraldNumberEditor *self)
{
  g_return_val_if_fail (HERALD_IS_NUMBER_EDITOR (self), FALSE);

  return self->busy;
}
