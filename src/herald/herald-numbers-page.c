/* herald-numbers-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "herald-cloud-client.h"
#include "herald-cloud-sync.h"
#include "herald-numbers-page.h"
#include "herald-sandbox.h"
#include "herald-secrets.h"
#include "herald-ui-utils.h"

struct _HeraldNumbersPage
{
  HeraldPage         parent_instance;

  GListStore        *numbers;
  gboolean           loaded;

  GtkStack          *stack;
  GtkListBox        *list_box;
  GtkWidget         *sandbox_button;
};

G_DEFINE_FINAL_TYPE (HeraldNumbersPage, herald_numbers_page, HERALD_TYPE_PAGE)

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

  number = herald_store_get_number (store, verification->id, error);
  if (number == NULL ||
      !herald_cloud_store_number_info (store, number, verification->info, error))
    return NULL;

  return g_steal_pointer (&number);
}

/* State */

static void
update_state (HeraldNumbersPage *self)
{
  herald_ui_show_list_state (self->stack, g_list_model_get_n_items (G_LIST_MODEL (self->numbers)),
                             !self->loaded, FALSE);
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

/* Rows */

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
  g_autofree char *verified_at = herald_ui_format_timestamp (herald_number_get_verified_at (number));
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
                                 herald_ui_badge_new (quality, css_class, _("Quality rating from Meta")));
  if (herald_number_get_is_sandbox (number))
    adw_expander_row_add_action (expander, herald_ui_sandbox_badge_new ());

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
  if (verified_at != NULL)
    add_detail (expander, _("Last verified"), verified_at);

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
on_loaded (HeraldPage   *page,
           gpointer      result,
           const GError *error,
           gpointer      user_data)
{
  HeraldNumbersPage *self = HERALD_NUMBERS_PAGE (page);
  g_autoptr(GPtrArray) numbers = result;

  self->loaded = TRUE;
  if (numbers != NULL)
    g_list_store_splice (self->numbers, 0, g_list_model_get_n_items (G_LIST_MODEL (self->numbers)),
                         numbers->pdata, numbers->len);
  update_state (self);
}

static void
herald_numbers_page_reload (HeraldPage *page)
{
  herald_page_run (page, list_numbers_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref, on_loaded, NULL, NULL);
}

/* Editing */

static void
on_editor_done_cb (HeraldPage *page,
                   const char *message)
{
  herald_page_reload (page);
  herald_page_toast (page, message);
}

HeraldNumberEditor *
herald_numbers_page_open_editor (HeraldNumbersPage *self,
                                 HeraldNumber      *number)
{
  HeraldNumberEditor *editor;

  g_return_val_if_fail (HERALD_IS_NUMBERS_PAGE (self), NULL);
  g_return_val_if_fail (number == NULL || HERALD_IS_NUMBER (number), NULL);

  editor = herald_number_editor_new (herald_page_get_worker (HERALD_PAGE (self)), number);
  g_signal_connect_object (editor, "done", G_CALLBACK (on_editor_done_cb), self, G_CONNECT_SWAPPED);
  herald_ui_present (GTK_WIDGET (self), GTK_WINDOW (editor));

  return editor;
}

/* Active switch */

static void
on_active_set (HeraldPage   *page,
               gpointer      result,
               const GError *error,
               gpointer      user_data)
{
  /* Either way the rows show what the store has now. */
  herald_page_reload (page);
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
  herald_page_run (HERALD_PAGE (self), set_active_job, change, g_free, NULL, on_active_set, NULL, NULL);
}

/* Verification: the token from the keyring, Meta's answer, then the store. */

typedef struct
{
  HeraldNumbersPage *self;
  HeraldNumber      *number;
  HeraldCloudClient *client;
} VerifyRequest;

static void
verify_request_free (VerifyRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->number);
  g_clear_object (&request->client);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VerifyRequest, verify_request_free)

static void
on_verification_saved (HeraldPage   *page,
                       gpointer      result,
                       const GError *error,
                       gpointer      user_data)
{
  g_autoptr(HeraldNumber) number = result;
  g_autofree char *message = NULL;

  if (number == NULL)
    return;

  if (herald_number_get_verified_name (number) != NULL)
    message = g_strdup_printf (_("Verified: Meta knows this number as “%s”"),
                               herald_number_get_verified_name (number));
  else
    message = g_strdup (_("Verified with Meta"));
  herald_page_toast (page, message);
  herald_page_reload (page);
}

/* Ends a verification that failed before its store job. */
static void
verify_failed (HeraldNumbersPage *self,
               const char        *message)
{
  herald_page_release (HERALD_PAGE (self));
  herald_page_show_error (HERALD_PAGE (self), message);
}

static void
on_phone_number_info_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(VerifyRequest) request = user_data;
  HeraldPage *page = HERALD_PAGE (request->self);
  g_autoptr(HeraldPhoneNumberInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  Verification *verification;

  info = herald_cloud_client_get_phone_number_finish (HERALD_CLOUD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (info == NULL)
    {
      verify_failed (request->self, error->message);
      return;
    }

  verification = g_new0 (Verification, 1);
  verification->id = herald_number_get_id (request->number);
  verification->info = g_steal_pointer (&info);
  /* The store job holds the page busy from here. */
  herald_page_run (page, save_verification_job, verification, verification_free, g_object_unref,
                   on_verification_saved, NULL, NULL);
  herald_page_release (page);
}

static void
on_token_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(VerifyRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  token = herald_secrets_lookup_access_token_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (token == NULL)
    {
      verify_failed (request->self, error->message);
      return;
    }

  /* The client keeps the token for its Authorization header only. */
  request->client = herald_cloud_client_new (g_getenv ("HERALD_API_BASE"), token);
  secret_password_free (token);
  herald_cloud_client_get_phone_number_async (request->client,
                                              herald_number_get_phone_number_id (request->number),
                                              herald_page_get_cancellable (HERALD_PAGE (request->self)),
                                              on_phone_number_info_cb, request);
  g_steal_pointer (&request);
}

void
herald_numbers_page_verify (HeraldNumbersPage *self,
                            HeraldNumber      *number)
{
  VerifyRequest *request;

  g_return_if_fail (HERALD_IS_NUMBERS_PAGE (self));
  g_return_if_fail (HERALD_IS_NUMBER (number));

  request = g_new0 (VerifyRequest, 1);
  request->self = g_object_ref (self);
  request->number = g_object_ref (number);
  herald_page_hold (HERALD_PAGE (self));

  /* The Sandbox's token lives in memory, and its API is the in-app sim. */
  request->client = herald_sandbox_client_for_number (herald_page_get_worker (HERALD_PAGE (self)), number);
  if (request->client != NULL)
    {
      herald_cloud_client_get_phone_number_async (request->client,
                                                  herald_number_get_phone_number_id (number),
                                                  herald_page_get_cancellable (HERALD_PAGE (self)),
                                                  on_phone_number_info_cb, request);
      return;
    }

  herald_secrets_lookup_access_token_async (herald_number_get_phone_number_id (number),
                                            herald_page_get_cancellable (HERALD_PAGE (self)),
                                            on_token_found_cb, request);
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
on_deleted (HeraldPage   *page,
            gpointer      result,
            const GError *error,
            gpointer      user_data)
{
  HeraldNumber *number = user_data;

  /* Such as: the number is used by a campaign. */
  if (error != NULL)
    return;

  /* The token goes once the number is gone; a failed deletion keeps both. */
  herald_secrets_clear_async (HERALD_SECRET_ACCESS_TOKEN, herald_number_get_phone_number_id (number),
                              NULL, on_token_removed_cb, NULL);
  herald_page_toast (page, _("Number deleted"));
  herald_page_reload (page);
}

static void
delete_confirmed (GtkWidget *widget,
                  gpointer   user_data)
{
  HeraldNumber *number = user_data;

  herald_page_run (HERALD_PAGE (widget), delete_number_job, g_object_ref (number), g_object_unref, NULL,
                   on_deleted, g_object_ref (number), g_object_unref);
}

GtkWidget *
herald_numbers_page_confirm_delete (HeraldNumbersPage *self,
                                    HeraldNumber      *number)
{
  g_autofree char *body = NULL;

  g_return_val_if_fail (HERALD_IS_NUMBERS_PAGE (self), NULL);
  g_return_val_if_fail (HERALD_IS_NUMBER (number), NULL);

  body = g_strdup_printf (_("%s and its access token will be removed from Herald. "
                            "The number stays registered with Meta."),
                          herald_number_get_phone_number (number));
  return herald_ui_confirm (GTK_WIDGET (self), _("Delete Number?"), body, NULL, "delete", _("_Delete"),
                            delete_confirmed, g_object_ref (number), g_object_unref);
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
herald_numbers_page_map (GtkWidget *widget)
{
  /* The page reloads: another page (the Sandbox, a campaign) may have
   * changed the numbers. */
  GTK_WIDGET_CLASS (herald_numbers_page_parent_class)->map (widget);
  update_sandbox_button (HERALD_NUMBERS_PAGE (widget));
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

  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_NUMBERS_PAGE);
  g_clear_object (&self->numbers);

  G_OBJECT_CLASS (herald_numbers_page_parent_class)->dispose (object);
}

static void
herald_numbers_page_class_init (HeraldNumbersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  HeraldPageClass *page_class = HERALD_PAGE_CLASS (klass);

  object_class->constructed = herald_numbers_page_constructed;
  object_class->dispose = herald_numbers_page_dispose;
  widget_class->map = herald_numbers_page_map;
  page_class->reload = herald_numbers_page_reload;

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
  self->numbers = g_list_store_new (HERALD_TYPE_NUMBER);
  gtk_widget_init_template (GTK_WIDGET (self));
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
