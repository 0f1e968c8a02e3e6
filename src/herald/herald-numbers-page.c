/* herald-numbers-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "herald-cloud-client.h"
#include "herald-numbers-page.h"
#include "herald-secrets.h"

struct _HeraldNumbersPage
{
  GtkWidget          parent_instance;

  HeraldStoreWorker *worker;
  GListStore        *numbers;
  GCancellable      *cancellable;
  guint              n_busy;
  gboolean           loaded;
  char              *last_error;

  GtkStack          *stack;
  GtkListBox        *list_box;
  GtkWidget         *sandbox_button;
};

enum {
  PROP_0,
  PROP_WORKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeraldNumbersPage, herald_numbers_page, GTK_TYPE_WIDGET)

/* Jobs on the store worker */

static gpointer
list_numbers_job (HeraldStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return herald_store_list_numbers (store, error);
}

typedef struct
{
  gint64   id;
  gboolean active;
} ActiveChange;

static gpointer
set_active_job (HeraldStore   *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  ActiveChange *change = data;

  if (!herald_store_set_number_active (store, change->id, change->active, error))
    return NULL;
  return HERALD_STORE_WORKER_TRUE;
}

static gpointer
delete_number_job (HeraldStore   *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  HeraldNumber *number = data;

  if (!herald_store_delete_number (store, herald_number_get_id (number), error))
    return NULL;
  return HERALD_STORE_WORKER_TRUE;
}

typedef struct
{
  gint64                 id;
  HeraldPhoneNumberInfo *info;
} Verification;

static void
verification_free (gpointer data)
{
  Verification *verification = data;

  g_clear_pointer (&verification->info, herald_phone_number_info_free);
  g_free (verification);
}

/* Saves what Meta said on the number as it is in the store now, so that an
 * edit made meanwhile is kept. Returns the number. */
static gpointer
save_verification_job (HeraldStore   *store,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  Verification *verification = data;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *verified_at = NULL;

  number = herald_store_get_number (store, verification->id, error);
  if (number == NULL)
    return NULL;

  /* The store's timestamp format. */
  verified_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.000Z");
  herald_number_set_verified_at (number, verified_at);
  herald_number_set_verified_name (number, verification->info->verified_name);
  herald_number_set_quality_rating (number, verification->info->quality_rating);
  herald_number_set_throughput_level (number, verification->info->throughput_level);
  herald_number_set_messaging_limit_tier (number, verification->info->messaging_limit_tier);
  if (!herald_store_save_number (store, number, error))
    return NULL;

  return g_steal_pointer (&number);
}

/* State */

static void
update_state (HeraldNumbersPage *self)
{
  const char *state;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->numbers)) > 0)
    state = "list";
  else if (!self->loaded)
    state = "loading";
  else
    state = "empty";

  gtk_stack_set_visible_child_name (self->stack, state);
}

static void
update_sandbox_button (HeraldNumbersPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  /* The Sandbox belongs to the campaigns part; offer it once it is there. */
  gtk_widget_set_visible (self->sandbox_button,
                          app != NULL && g_action_map_lookup_action (G_ACTION_MAP (app), "sandbox") != NULL);
}

static void
busy_begin (HeraldNumbersPage *self)
{
  self->n_busy++;
}

static void
busy_end (HeraldNumbersPage *self)
{
  g_assert (self->n_busy > 0);
  self->n_busy--;
}

static void
show_toast (HeraldNumbersPage *self,
            const char        *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static void
show_error (HeraldNumbersPage *self,
            const char        *message)
{
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  show_toast (self, message);
}

/* Rows */

static GtkWidget *
new_badge (const char *text,
           const char *css_class,
           const char *tooltip)
{
  GtkWidget *badge = gtk_label_new (text);

  gtk_widget_add_css_class (badge, "herald-badge");
  gtk_widget_add_css_class (badge, css_class);
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (badge, tooltip);
  return badge;
}

/* Meta's quality rating as people read it, and the class that colours it. */
static const char *
quality_label (const char  *rating,
               const char **css_class)
{
  if (g_strcmp0 (rating, "GREEN") == 0)
    {
      *css_class = "success";
      return _("High quality");
    }
  if (g_strcmp0 (rating, "YELLOW") == 0)
    {
      *css_class = "warning";
      return _("Medium quality");
    }
  if (g_strcmp0 (rating, "RED") == 0)
    {
      *css_class = "error";
      return _("Low quality");
    }
  *css_class = "dim-label";
  return NULL;
}

/* "TIER_1K" → "1K people a day"; Meta's own word otherwise. */
static char *
limit_label (const char *tier)
{
  if (tier == NULL)
    return g_strdup (_("Not known yet"));
  if (g_str_equal (tier, "TIER_UNLIMITED"))
    return g_strdup (_("Unlimited"));
  if (g_str_has_prefix (tier, "TIER_"))
    return g_strdup_printf (_("%s people a day"), tier + strlen ("TIER_"));
  return g_strdup (tier);
}

static void
add_detail (AdwExpanderRow *expander,
            const char     *title,
            const char     *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  adw_expander_row_add_row (expander, row);
}

static GtkWidget *
new_action_button (const char   *label,
                   const char   *action,
                   HeraldNumber *number,
                   const char   *css_class)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", herald_number_get_id (number));
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  return button;
}

static void
on_active_switch_cb (GtkSwitch         *toggle,
                     GParamSpec        *pspec,
                     HeraldNumbersPage *self)
{
  HeraldNumber *number = g_object_get_data (G_OBJECT (toggle), "number");

  if (gtk_switch_get_active (toggle) != herald_number_get_is_active (number))
    herald_numbers_page_set_active (self, number, gtk_switch_get_active (toggle));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  HeraldNumbersPage *self = user_data;
  HeraldNumber *number = item;
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (adw_expander_row_new ());
  const char *display_name = herald_number_get_display_name (number);
  const char *verified_name = herald_number_get_verified_name (number);
  const char *css_class;
  const char *quality = quality_label (herald_number_get_quality_rating (number), &css_class);
  g_autofree char *throughput = NULL;
  g_autofree char *limit = limit_label (herald_number_get_messaging_limit_tier (number));
  GtkWidget *toggle, *buttons, *buttons_row;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                 display_name ? display_name : herald_number_get_phone_number (number));
  adw_expander_row_set_subtitle (expander, herald_number_get_phone_number (number));

  toggle = gtk_switch_new ();
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), herald_number_get_is_active (number));
  gtk_widget_set_tooltip_text (toggle, _("Active numbers can send campaigns"));
  g_object_set_data_full (G_OBJECT (toggle), "number", g_object_ref (number), g_object_unref);
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_active_switch_cb), self, 0);
  adw_expander_row_add_action (expander, toggle);
  /* Actions are prepended: add the badges after the switch to show them before it. */
  if (quality != NULL)
    adw_expander_row_add_action (expander,
                                 new_badge (quality, css_class, _("Quality rating from Meta")));
  if (herald_number_get_is_sandbox (number))
    adw_expander_row_add_action (expander,
                                 new_badge (_("Sandbox"), "sandbox",
                                            _("A simulated number: messages stay on this computer")));

  add_detail (expander, _("Verified name"),
              verified_name ? verified_name : _("Not verified yet: press Verify to ask Meta"));
  if (herald_number_get_throughput_level (number) != NULL)
    throughput = g_strdup_printf (_("%s, sending up to %u messages a second"),
                                  herald_number_get_throughput_level (number),
                                  herald_number_get_messages_per_second (number));
  else
    throughput = g_strdup_printf (_("Sending up to %u messages a second"),
                                  herald_number_get_messages_per_second (number));
  add_detail (expander, _("Throughput"), throughput);
  add_detail (expander, _("Messaging limit"), limit);
  if (herald_number_get_verified_at (number) != NULL)
    add_detail (expander, _("Last verified"), herald_number_get_verified_at (number));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (buttons, 6);
  gtk_widget_set_margin_bottom (buttons, 6);
  gtk_widget_set_margin_start (buttons, 12);
  gtk_widget_set_margin_end (buttons, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), new_action_button (_("_Delete…"), "numbers.delete", number, "destructive-action"));
  gtk_box_append (GTK_BOX (buttons), new_action_button (_("_Edit…"), "numbers.edit", number, NULL));
  gtk_box_append (GTK_BOX (buttons), new_action_button (_("_Verify"), "numbers.verify", number, "suggested-action"));
  buttons_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (buttons_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (buttons_row), buttons);
  adw_expander_row_add_row (expander, buttons_row);

  gtk_widget_set_name (GTK_WIDGET (expander), herald_number_get_phone_number_id (number));
  return GTK_WIDGET (expander);
}

static HeraldNumber *
find_number (HeraldNumbersPage *self,
             gint64             id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->numbers));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HeraldNumber) number = g_list_model_get_item (G_LIST_MODEL (self->numbers), i);

      if (herald_number_get_id (number) == id)
        return number;   /* the store keeps its reference */
    }
  return NULL;
}

/* Loading */

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HeraldNumbersPage) self = user_data;
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(GError) error = NULL;

  numbers = herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  busy_end (self);
  self->loaded = TRUE;
  if (numbers == NULL)
    show_error (self, error->message);
  else
    g_list_store_splice (self->numbers, 0, g_list_model_get_n_items (G_LIST_MODEL (self->numbers)),
                         numbers->pdata, numbers->len);
  update_state (self);
}

void
herald_numbers_page_reload (HeraldNumbersPage *self)
{
  g_return_if_fail (HERALD_IS_NUMBERS_PAGE (self));

  busy_begin (self);
  herald_store_worker_run_async (self->worker, list_numbers_job, NULL, NULL,
                                 self->cancellable, on_loaded_cb, g_object_ref (self));
}

/* Editing */

static void
on_editor_done_cb (HeraldNumbersPage *self,
                   const char        *message)
{
  herald_numbers_page_reload (self);
  show_toast (self, message);
}

HeraldNumberEditor *
herald_numbers_page_open_editor (HeraldNumbersPage *self,
                                 HeraldNumber      *number)
{
  HeraldNumberEditor *editor;
  GtkRoot *root;

  g_return_val_if_fail (HERALD_IS_NUMBERS_PAGE (self), NULL);
  g_return_val_if_fail (number == NULL || HERALD_IS_NUMBER (number), NULL);

  editor = herald_number_editor_new (self->worker, number);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  g_signal_connect_object (editor, "done", G_CALLBACK (on_editor_done_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));

  return editor;
}

/* Active switch */

static void
on_active_set_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HeraldNumbersPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_error (self, error->message);
    }
  busy_end (self);
  /* Either way the rows show what the store has now. */
  herald_numbers_page_reload (self);
}

void
herald_numbers_page_set_active (HeraldNumbersPage *self,
                                HeraldNumber      *number,
                                gboolean           active)
{
  ActiveChange *change;

  g_return_if_fail (HERALD_IS_NUMBERS_PAGE (self));
  g_return_if_fail (HERALD_IS_NUMBER (number));

  change = g_new0 (ActiveChange, 1);
  change->id = herald_number_get_id (number);
  change->active = !!active;
  busy_begin (self);
  herald_store_worker_run_async (self->worker, set_active_job, change, g_free,
                                 self->cancellable, on_active_set_cb, g_object_ref (self));
}

/* A job about one number: verification, deletion. */

typedef struct
{
  HeraldNumbersPage *self;
  HeraldNumber      *number;
  HeraldCloudClient *client;  /* verification only */
} NumberRequest;

static void
number_request_free (NumberRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->number);
  g_clear_object (&request->client);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NumberRequest, number_request_free)

static NumberRequest *
number_request_new (HeraldNumbersPage *self,
                    HeraldNumber      *number)
{
  NumberRequest *request = g_new0 (NumberRequest, 1);

  request->self = g_object_ref (self);
  request->number = g_object_ref (number);
  return request;
}

/* Verification */

static void
on_verification_saved_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(NumberRequest) request = user_data;
  HeraldNumbersPage *self = request->self;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  number = herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  busy_end (self);
  if (number == NULL)
    {
      show_error (self, error->message);
      return;
    }

  if (herald_number_get_verified_name (number) != NULL)
    message = g_strdup_printf (_("Verified: Meta knows this number as “%s”"),
                               herald_number_get_verified_name (number));
  else
    message = g_strdup (_("Verified with Meta"));
  show_toast (self, message);
  herald_numbers_page_reload (self);
}

static void
on_phone_number_info_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(NumberRequest) request = user_data;
  HeraldNumbersPage *self = request->self;
  g_autoptr(HeraldPhoneNumberInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  Verification *verification;

  info = herald_cloud_client_get_phone_number_finish (HERALD_CLOUD_CLIENT (object), result, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      busy_end (self);
      show_error (self, error->message);
      return;
    }

  verification = g_new0 (Verification, 1);
  verification->id = herald_number_get_id (request->number);
  verification->info = g_steal_pointer (&info);
  herald_store_worker_run_async (self->worker, save_verification_job, verification, verification_free,
                                 self->cancellable, on_verification_saved_cb, g_steal_pointer (&request));
}

static void
on_token_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(NumberRequest) request = user_data;
  HeraldNumbersPage *self = request->self;
  g_autoptr(GError) error = NULL;
  char *token;

  token = herald_secrets_lookup_finish (result, &error);
  if (token == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      busy_end (self);
      show_error (self, error != NULL ? error->message :
                  _("No access token for this number in your keyring: edit the number and enter it"));
      return;
    }

  /* The client keeps the token for its Authorization header only. */
  request->client = herald_cloud_client_new (g_getenv ("HERALD_API_BASE"), token);
  secret_password_free (token);
  herald_cloud_client_get_phone_number_async (request->client,
                                              herald_number_get_phone_number_id (request->number),
                                              self->cancellable, on_phone_number_info_cb,
                                              request);
  g_steal_pointer (&request);
}

void
herald_numbers_page_verify (HeraldNumbersPage *self,
                            HeraldNumber      *number)
{
  NumberRequest *request;

  g_return_if_fail (HERALD_IS_NUMBERS_PAGE (self));
  g_return_if_fail (HERALD_IS_NUMBER (number));

  request = number_request_new (self, number);
  busy_begin (self);
  herald_secrets_lookup_async (HERALD_SECRET_ACCESS_TOKEN, herald_number_get_phone_number_id (number),
                               self->cancellable, on_token_found_cb, request);
}

/* Deletion */

static void
on_token_removed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!herald_secrets_clear_finish (result, &error))
    g_warning ("Could not remove a deleted number’s access token: %s", error->message);
}

static void
on_deleted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(NumberRequest) request = user_data;
  HeraldNumbersPage *self = request->self;
  g_autoptr(GError) error = NULL;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      busy_end (self);
      /* Such as: the number is used by a campaign. */
      show_error (self, error->message);
      return;
    }

  /* The token goes once the number is gone; a failed deletion keeps both. */
  herald_secrets_clear_async (HERALD_SECRET_ACCESS_TOKEN,
                              herald_number_get_phone_number_id (request->number),
                              NULL, on_token_removed_cb, NULL);
  busy_end (self);
  show_toast (self, _("Number deleted"));
  herald_numbers_page_reload (self);
}

static void
on_delete_response_cb (AdwMessageDialog  *dialog,
                       const char        *response,
                       HeraldNumbersPage *self)
{
  HeraldNumber *number = g_object_get_data (G_OBJECT (dialog), "number");

  if (g_strcmp0 (response, "delete") != 0)
    return;

  busy_begin (self);
  herald_store_worker_run_async (self->worker, delete_number_job, g_object_ref (number), g_object_unref,
                                 self->cancellable, on_deleted_cb, number_request_new (self, number));
}

GtkWidget *
herald_numbers_page_confirm_delete (HeraldNumbersPage *self,
                                    HeraldNumber      *number)
{
  GtkWidget *dialog;
  GtkRoot *root;

  g_return_val_if_fail (HERALD_IS_NUMBERS_PAGE (self), NULL);
  g_return_val_if_fail (HERALD_IS_NUMBER (number), NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Number?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s and its access token will be removed from Herald. "
                                    "The number stays registered with Meta."),
                                  herald_number_get_phone_number (number));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "number", g_object_ref (number), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

/* Actions */

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  herald_numbers_page_open_editor (HERALD_NUMBERS_PAGE (widget), NULL);
}

static void
number_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HeraldNumbersPage *self = HERALD_NUMBERS_PAGE (widget);
  HeraldNumber *number = find_number (self, g_variant_get_int64 (parameter));

  if (number == NULL)
    return;

  if (g_str_equal (action_name, "numbers.edit"))
    herald_numbers_page_open_editor (self, number);
  else if (g_str_equal (action_name, "numbers.verify"))
    herald_numbers_page_verify (self, number);
  else if (g_str_equal (action_name, "numbers.delete"))
    herald_numbers_page_confirm_delete (self, number);
}

static void
on_sandbox_clicked_cb (HeraldNumbersPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sandbox", NULL);
}

static void
on_map_cb (HeraldNumbersPage *self)
{
  /* Another page (the Sandbox, a campaign) may have changed the numbers. */
  update_sandbox_button (self);
  herald_numbers_page_reload (self);
}

static void
ensure_css (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/herald-numbers-page.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&done, 1);
    }
}

static void
herald_numbers_page_constructed (GObject *object)
{
  HeraldNumbersPage *self = HERALD_NUMBERS_PAGE (object);

  G_OBJECT_CLASS (herald_numbers_page_parent_class)->constructed (object);

  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->numbers), create_row, self, NULL);
  update_state (self);
  update_sandbox_button (self);
}

static void
herald_numbers_page_dispose (GObject *object)
{
  HeraldNumbersPage *self = HERALD_NUMBERS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_NUMBERS_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->numbers);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (herald_numbers_page_parent_class)->dispose (object);
}

static void
herald_numbers_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HeraldNumbersPage *self = HERALD_NUMBERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_numbers_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HeraldNumbersPage *self = HERALD_NUMBERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_numbers_page_class_init (HeraldNumbersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = herald_numbers_page_constructed;
  object_class->dispose = herald_numbers_page_dispose;
  object_class->set_property = herald_numbers_page_set_property;
  object_class->get_property = herald_numbers_page_get_property;

  /* The store worker every query goes through. */
  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, HERALD_TYPE_STORE_WORKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-numbers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldNumbersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldNumbersPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, HeraldNumbersPage, sandbox_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sandbox_clicked_cb);

  gtk_widget_class_install_action (widget_class, "numbers.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "numbers.edit", "x", number_action);
  gtk_widget_class_install_action (widget_class, "numbers.verify", "x", number_action);
  gtk_widget_class_install_action (widget_class, "numbers.delete", "x", number_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "numbers.add", NULL);
}

static void
herald_numbers_page_init (HeraldNumbersPage *self)
{
  ensure_css ();
  self->cancellable = g_cancellable_new ();
  self->numbers = g_list_store_new (HERALD_TYPE_NUMBER);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
}

GListModel *
herald_numbers_page_get_model (HeraldNumbersPage *self)
{
  g_return_val_if_fail (HERALD_IS_NUMBERS_PAGE (self), NULL);

  return G_LIST_MODEL (self->numbers);
}

const char *
herald_numbers_page_get_state (HeraldNumbersPage *self)
{
  g_return_val_if_fail (HERALD_IS_NUMBERS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
herald_numbers_page_get_busy (HeraldNumbersPage *self)
{
  g_return_val_if_fail (HERALD_IS_NUMBERS_PAGE (self), FALSE);

  return self->n_busy > 0;
}

const char *
herald_numbers_page_get_last_error (HeraldNumbersPage *self)
{
  g_return_val_if_fail (HERALD_IS_NUMBERS_PAGE (self), NULL);

  return self->last_error;
}
