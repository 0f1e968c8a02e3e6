/* herald-ui-utils.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "herald-ui-utils.h"

#define FIELD_ERROR_KEY "herald-field-error"

void
herald_ui_set_field_error (GtkWidget  *field,
                           const char *reason)
{
  g_return_if_fail (GTK_IS_WIDGET (field));
  g_return_if_fail (reason != NULL);

  gtk_widget_add_css_class (field, "error");
  gtk_widget_set_tooltip_text (field, reason);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  g_object_set_data_full (G_OBJECT (field), FIELD_ERROR_KEY, g_strdup (reason), g_free);
}

void
herald_ui_clear_field_error (GtkWidget *field)
{
  g_return_if_fail (GTK_IS_WIDGET (field));

  if (!herald_ui_has_field_error (field))
    return;

  gtk_widget_remove_css_class (field, "error");
  gtk_widget_set_tooltip_text (field, NULL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
  g_object_set_data (G_OBJECT (field), FIELD_ERROR_KEY, NULL);
}

gboolean
herald_ui_has_field_error (GtkWidget *field)
{
  return herald_ui_get_field_error (field) != NULL;
}

const char *
herald_ui_get_field_error (GtkWidget *field)
{
  g_return_val_if_fail (GTK_IS_WIDGET (field), NULL);

  return g_object_get_data (G_OBJECT (field), FIELD_ERROR_KEY);
}

GtkWidget *
herald_ui_field_problem_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  return label;
}

GtkWidget *
herald_ui_field_problem_row_new (void)
{
  GtkWidget *row = adw_preferences_row_new ();

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), herald_ui_field_problem_label_new ());
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_visible (row, FALSE);
  return row;
}

void
herald_ui_show_field_problem (GtkWidget  *field,
                              GtkWidget  *problem,
                              const char *reason)
{
  GtkWidget *label;

  g_return_if_fail (field == NULL || GTK_IS_WIDGET (field));
  g_return_if_fail (GTK_IS_LABEL (problem) || GTK_IS_LIST_BOX_ROW (problem));

  label = GTK_IS_LABEL (problem) ? problem : gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (problem));
  if (reason != NULL)
    {
      if (field != NULL)
        herald_ui_set_field_error (field, reason);
      gtk_label_set_label (GTK_LABEL (label), reason);
    }
  else if (field != NULL)
    herald_ui_clear_field_error (field);
  gtk_widget_set_visible (problem, reason != NULL);
}

void
herald_ui_show_form_error (GtkWidget * const *fields,
                           guint              n_fields,
                           GtkWidget         *error_label,
                           const char        *message)
{
  GtkWidget *field = NULL;
  gsize best = 0;

  g_return_if_fail (fields != NULL || n_fields == 0);
  g_return_if_fail (GTK_IS_LABEL (error_label));
  g_return_if_fail (message != NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (fields[i]));
      gsize len = strlen (title);

      /* The longest title wins: "Phone number ID" over "Phone number". */
      if (len > best && g_str_has_prefix (message, title) && message[len] == ':')
        {
          field = fields[i];
          best = len;
        }
    }

  if (field != NULL)
    {
      herald_ui_set_field_error (field, message);
      gtk_widget_grab_focus (field);
    }
  gtk_label_set_text (GTK_LABEL (error_label), message);
  gtk_widget_set_visible (error_label, TRUE);
}

void
herald_ui_clear_form_errors (GtkWidget * const *fields,
                             guint              n_fields,
                             GtkWidget         *error_label)
{
  g_return_if_fail (fields != NULL || n_fields == 0);
  g_return_if_fail (GTK_IS_WIDGET (error_label));

  for (guint i = 0; i < n_fields; i++)
    herald_ui_clear_field_error (fields[i]);
  gtk_widget_set_visible (error_label, FALSE);
}

void
herald_ui_ensure_style (void)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/herald-style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&loaded, 1);
    }
}

GtkWidget *
herald_ui_badge_new (const char *text,
                     const char *style,
                     const char *tooltip)
{
  GtkWidget *badge;

  g_return_val_if_fail (text != NULL, NULL);

  herald_ui_ensure_style ();
  badge = gtk_label_new (text);
  gtk_widget_add_css_class (badge, "herald-badge");
  if (style != NULL)
    gtk_widget_add_css_class (badge, style);
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (badge, tooltip);
  return badge;
}

GtkWidget *
herald_ui_sandbox_badge_new (void)
{
  return herald_ui_badge_new (_("Sandbox"), "sandbox",
                              _("A simulated number: messages stay on this computer"));
}

GtkWindow *
herald_ui_get_window (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
herald_ui_present (GtkWidget *widget,
                   GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (GTK_IS_WINDOW (window));

  gtk_window_set_transient_for (window, herald_ui_get_window (widget));
  gtk_window_present (window);
}

typedef struct
{
  char              *confirm_id;
  HeraldConfirmFunc  func;
  gpointer           user_data;
  GDestroyNotify     user_data_free;
} Confirmation;

static void
confirmation_free (gpointer data)
{
  Confirmation *confirmation = data;

  if (confirmation->user_data_free != NULL)
    confirmation->user_data_free (confirmation->user_data);
  g_free (confirmation->confirm_id);
  g_free (confirmation);
}

static void
on_confirm_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        GtkWidget        *widget)
{
  Confirmation *confirmation = g_object_get_data (G_OBJECT (dialog), "herald-confirmation");

  if (g_strcmp0 (response, confirmation->confirm_id) == 0)
    confirmation->func (widget, confirmation->user_data);
}

GtkWidget *
herald_ui_confirm (GtkWidget         *widget,
                   const char        *heading,
                   const char        *body,
                   const char        *cancel_label,
                   const char        *confirm_id,
                   const char        *confirm_label,
                   HeraldConfirmFunc  func,
                   gpointer           user_data,
                   GDestroyNotify     user_data_free)
{
  AdwMessageDialog *dialog;
  Confirmation *confirmation;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (heading != NULL, NULL);
  g_return_val_if_fail (confirm_id != NULL && confirm_label != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (herald_ui_get_window (widget), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", cancel_label != NULL ? cancel_label : _("_Cancel"),
                                    confirm_id, confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, confirm_id, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  confirmation = g_new0 (Confirmation, 1);
  confirmation->confirm_id = g_strdup (confirm_id);
  confirmation->func = func;
  confirmation->user_data = user_data;
  confirmation->user_data_free = user_data_free;
  g_object_set_data_full (G_OBJECT (dialog), "herald-confirmation", confirmation, confirmation_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response_cb), widget, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WIDGET (dialog);
}

const char *
herald_ui_show_list_state (GtkStack *stack,
                           guint     n_shown,
                           gboolean  loading,
                           gboolean  filtered)
{
  const char *state;

  g_return_val_if_fail (GTK_IS_STACK (stack), NULL);

  if (n_shown > 0)
    state = "list";
  else if (loading)
    state = "loading";
  else if (filtered)
    state = "no-results";
  else
    state = "empty";

  gtk_stack_set_visible_child_name (stack, state);
  return state;
}

char *
herald_ui_format_timestamp (const char *iso8601)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso8601 == NULL)
    return NULL;
  /* A time without a zone is UTC, as the store writes it. */
  time = g_date_time_new_from_iso8601 (iso8601, utc);
  if (time == NULL)
    return NULL;
  local = g_date_time_to_local (time);
  /* Translators: a date and time as strftime () writes it, such as
   * "3 March 2026, 14:05"; %x and %X are the locale's own. */
  return g_date_time_format (local, _("%x %X"));
}

const char *
herald_ui_campaign_status_label (HeraldCampaignStatus status)
{
  switch (status)
    {
    case HERALD_CAMPAIGN_PENDING:
      return _("Ready to send");
    case HERALD_CAMPAIGN_PROCESSING:
      return _("Sending");
    case HERALD_CAMPAIGN_PAUSED:
      return _("Paused");
    case HERALD_CAMPAIGN_COMPLETED:
      return _("Finished");
    case HERALD_CAMPAIGN_FAILED:
      return _("Stopped by an error");
    case HERALD_CAMPAIGN_CANCELLED:
      return _("Cancelled");
    default:
      return herald_campaign_status_to_string (status);
    }
}

GtkWidget *
herald_ui_campaign_row_new (HeraldCampaign *campaign,
                            HeraldNumber   *number)
{
  GtkWidget *row;
  GtkWidget *progress;
  gint64 total, settled;
  const char *name;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (HERALD_IS_CAMPAIGN (campaign), NULL);
  g_return_val_if_fail (number == NULL || HERALD_IS_NUMBER (number), NULL);

  total = herald_campaign_get_total_messages (campaign);
  settled = MIN (herald_campaign_get_sent_count (campaign) + herald_campaign_get_failed_count (campaign), total);
  name = herald_campaign_get_name (campaign);
  if (name != NULL && name[0] != '\0')
    title = g_strdup (name);
  else
    title = g_strdup_printf (_("Campaign %" PRId64), herald_campaign_get_id (campaign));
  /* Translators: a campaign's status, then how many of its messages Meta
   * accepted, were read and failed. */
  subtitle = g_strdup_printf (_("%s · %" PRId64 " of %" PRId64 " sent,"
                                " %" PRId64 " read, %" PRId64 " failed"),
                              herald_ui_campaign_status_label (herald_campaign_get_status (campaign)),
                              herald_campaign_get_sent_count (campaign), total,
                              herald_campaign_get_read_count (campaign),
                              herald_campaign_get_failed_count (campaign));

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (number != NULL && herald_number_get_is_sandbox (number))
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), herald_ui_sandbox_badge_new ());

  progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (progress), total > 0 ? (double) settled / (double) total : 0.0);
  gtk_widget_set_valign (progress, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (progress, 64, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), progress);
  return row;
}

#define FILE_CHOOSER_KEY "herald-file-chooser"

static void
destroy_file_chooser (gpointer chooser)
{
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* The owner goes before it is finalized: its chooser with it. */
static void
drop_file_chooser (GtkWidget *owner)
{
  g_signal_handlers_disconnect_by_func (owner, drop_file_chooser, NULL);
  g_object_set_data (G_OBJECT (owner), FILE_CHOOSER_KEY, NULL);
}

static void
on_csv_file_response_cb (GtkNativeDialog *chooser,
                         int              response,
                         GtkWidget       *owner)
{
  HeraldUiFileChosen chosen = (HeraldUiFileChosen) g_object_get_data (G_OBJECT (chooser), "chosen");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  /* The emission holds the chooser until this handler returns. */
  drop_file_chooser (owner);
  if (file != NULL)
    chosen (owner, file);
}

void
herald_ui_choose_csv_file (GtkWidget          *owner,
                           const char         *title,
                           const char         *accept_label,
                           const char         *current_name,
                           HeraldUiFileChosen  chosen)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  g_return_if_fail (GTK_IS_WIDGET (owner));
  g_return_if_fail (chosen != NULL);

  if (g_object_get_data (G_OBJECT (owner), FILE_CHOOSER_KEY) != NULL)
    return;

  chooser = gtk_file_chooser_native_new (title, herald_ui_get_window (owner),
                                         current_name != NULL ? GTK_FILE_CHOOSER_ACTION_SAVE
                                                              : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         accept_label, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), current_name);
  g_object_set_data (G_OBJECT (chooser), "chosen", chosen);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_csv_file_response_cb), owner, 0);
  g_object_set_data_full (G_OBJECT (owner), FILE_CHOOSER_KEY, chooser, destroy_file_chooser);
  g_signal_connect (owner, "destroy", G_CALLBACK (drop_file_chooser), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
