/* herald-import-dialog.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-import-dialog.h"
#include "herald-ui-utils.h"

#define N_PREVIEW_ROWS 5
#define N_REJECTIONS_SHOWN 100

struct _HeraldImportDialog
{
  AdwWindow                  parent_instance;

  HeraldStoreWorker         *worker;
  HeraldContactImport       *import;
  HeraldContactImportReport *report;
  GCancellable              *cancellable;

  AdwToastOverlay           *toast_overlay;
  GtkStack                  *stack;
  GtkWidget                 *import_button;
  GtkWidget                 *close_button;
  AdwPreferencesGroup       *columns_group;
  AdwStatusPage             *report_page;
  GtkListBox                *rejections_list;
  GtkWidget                 *save_rejections_button;
  AdwStatusPage             *error_page;
};

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HeraldImportDialog, herald_import_dialog, ADW_TYPE_WINDOW)

/* The order of the choices in each column's combo row. */
static const struct {
  HeraldContactField field;
  const char        *label;
} field_choices[] = {
  { HERALD_CONTACT_FIELD_IGNORE, N_("Do not import") },
  { HERALD_CONTACT_FIELD_NAME, N_("Name") },
  { HERALD_CONTACT_FIELD_FIRST_NAME, N_("First name") },
  { HERALD_CONTACT_FIELD_LAST_NAME, N_("Last name") },
  { HERALD_CONTACT_FIELD_MOBILE_NUMBER, N_("Mobile number") },
  { HERALD_CONTACT_FIELD_EMAIL, N_("Email") },
  { HERALD_CONTACT_FIELD_NOTES, N_("Notes") },
  { HERALD_CONTACT_FIELD_OPTED_OUT, N_("Opted out") },
  { HERALD_CONTACT_FIELD_ATTRIBUTE, N_("Custom field") },
};

static void
show_state (HeraldImportDialog *self,
            const char         *state)
{
  gtk_stack_set_visible_child_name (self->stack, state);
  gtk_widget_set_visible (self->import_button, g_str_equal (state, "preview"));
  gtk_button_set_label (GTK_BUTTON (self->close_button),
                        g_str_equal (state, "report") ? _("_Close") : _("_Cancel"));
}

static void
show_error (HeraldImportDialog *self,
            const char         *message)
{
  adw_status_page_set_description (self->error_page, message);
  show_state (self, "error");
}

static void
on_field_selected_cb (AdwComboRow        *row,
                      GParamSpec         *pspec,
                      HeraldImportDialog *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));
  guint choice = adw_combo_row_get_selected (row);
  HeraldContactField field;

  if (choice >= G_N_ELEMENTS (field_choices))
    return;
  field = field_choices[choice].field;
  herald_contact_import_set_field (self->import, column, field,
                                   field == HERALD_CONTACT_FIELD_ATTRIBUTE ?
                                   herald_contact_import_get_header (self->import, column) : NULL);
}

static void
fill_preview (HeraldImportDialog *self)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  guint n_columns = herald_contact_import_get_n_columns (self->import);
  guint n_rows = herald_contact_import_get_n_preview_rows (self->import);
  g_autofree char *description = NULL;
  g_autofree char *basename = g_file_get_basename (herald_contact_import_get_file (self->import));

  for (guint i = 0; i < G_N_ELEMENTS (field_choices); i++)
    gtk_string_list_append (choices, _(field_choices[i].label));

  description = g_strdup_printf (_("Check what each column of %s holds. Examples are from its first rows."),
                                 basename);
  adw_preferences_group_set_description (self->columns_group, description);

  for (guint column = 0; column < n_columns; column++)
    {
      g_autoptr(GString) samples = g_string_new (NULL);
      HeraldContactField field = herald_contact_import_get_field (self->import, column);
      GtkWidget *row;

      for (guint r = 0; r < n_rows; r++)
        {
          const HeraldCsvRecord *record = herald_contact_import_get_preview_row (self->import, r);
          const char *value = column < herald_csv_record_get_n_fields (record) ?
                              herald_csv_record_get_field (record, column) : NULL;

          if (value == NULL || value[0] == '\0')
            continue;
          if (samples->len > 0)
            g_string_append (samples, ", ");
          g_string_append (samples, value);
        }

      row = adw_combo_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     herald_contact_import_get_header (self->import, column));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), samples->len ? samples->str : _("(empty)"));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      for (guint i = 0; i < G_N_ELEMENTS (field_choices); i++)
        if (field_choices[i].field == field)
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
      g_object_set_data (G_OBJECT (row), "column", GUINT_TO_POINTER (column));
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_field_selected_cb), self, 0);
      adw_preferences_group_add (self->columns_group, row);
    }
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HeraldImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!herald_contact_import_load_finish (HERALD_CONTACT_IMPORT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }

  fill_preview (self);
  show_state (self, "preview");
}

static gpointer
import_job (HeraldStore   *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return herald_contact_import_run (data, store, cancellable, error);
}

static void
fill_report (HeraldImportDialog *self)
{
  guint n_rejections = herald_contact_import_report_get_n_rejections (self->report);
  g_autofree char *imported = NULL;
  g_autofree char *description = NULL;

  imported = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new contact", "%u new contacts",
                                           herald_contact_import_report_get_imported (self->report)),
                              herald_contact_import_report_get_imported (self->report));
  description = g_strdup_printf (_("%s, %u updated, %u rows skipped."), imported,
                                 herald_contact_import_report_get_updated (self->report),
                                 n_rejections);
  adw_status_page_set_title (self->report_page, _("Import Finished"));
  adw_status_page_set_description (self->report_page, description);
  adw_status_page_set_icon_name (self->report_page, n_rejections > 0 ? "dialog-warning-symbolic"
                                                                     : "emblem-ok-symbolic");

  /* A list of thousands of rows helps nobody and takes long to build: the
   * first ones show what went wrong, the saved file has them all. */
  for (guint i = 0; i < MIN (n_rejections, N_REJECTIONS_SHOWN); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (_("Line %u"),
                                                herald_contact_import_report_get_rejection_line (self->report, i));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   herald_contact_import_report_get_rejection_reason (self->report, i));
      gtk_list_box_append (self->rejections_list, row);
    }
  if (n_rejections > N_REJECTIONS_SHOWN)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u more row: save the rejected rows to see it",
                                                             "%u more rows: save the rejected rows to see them",
                                                             n_rejections - N_REJECTIONS_SHOWN),
                                                n_rejections - N_REJECTIONS_SHOWN);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->rejections_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rejections_list), n_rejections > 0);
  gtk_widget_set_visible (self->save_rejections_button, n_rejections > 0);
}

static void
on_imported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HeraldImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  self->report = herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error);
  if (self->report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }

  fill_report (self);
  show_state (self, "report");
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact imported", "%u contacts imported",
                                          herald_contact_import_report_get_imported (self->report) +
                                          herald_contact_import_report_get_updated (self->report)),
                             herald_contact_import_report_get_imported (self->report) +
                             herald_contact_import_report_get_updated (self->report));
  g_signal_emit (self, signals[DONE], 0, message);
}

void
herald_import_dialog_run (HeraldImportDialog *self)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *region = g_settings_get_string (settings, "default-region");

  g_return_if_fail (HERALD_IS_IMPORT_DIALOG (self));
  g_return_if_fail (g_str_equal (herald_import_dialog_get_state (self), "preview"));

  herald_contact_import_set_default_region (self->import, region[0] ? region : NULL);
  show_state (self, "running");
  /* The import is left alone by the main thread while the worker runs it. */
  herald_store_worker_run_async (self->worker, import_job,
                                 g_object_ref (self->import), g_object_unref,
                                 (GDestroyNotify) herald_contact_import_report_free,
                                 self->cancellable, on_imported_cb, g_object_ref (self));
}

/* On a thread of GTask's: a file of many rejected rows can take a while,
 * and the report does not change once the import has run. */
static void
save_rejections_in_thread (GTask        *task,
                           gpointer      source,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  HeraldImportDialog *self = source;
  GError *error = NULL;

  if (herald_contact_import_save_rejections (self->report, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_rejections_saved_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  HeraldImportDialog *self = HERALD_IMPORT_DIALOG (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwToast) toast = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the dialog is gone */

  gtk_widget_set_sensitive (self->save_rejections_button, TRUE);
  if (error != NULL)
    {
      toast = adw_toast_new (error->message);
      adw_toast_set_timeout (toast, 0);
    }
  else
    {
      toast = adw_toast_new (_("Rejected rows saved"));
      gtk_button_set_label (GTK_BUTTON (self->save_rejections_button), _("Saved"));
    }
  adw_toast_overlay_add_toast (self->toast_overlay, g_steal_pointer (&toast));
}

/*
 * herald_import_dialog_save_rejections:
 * @self: a dialog showing its report
 * @file: where to write the rejected rows as CSV
 *
 * Writes the rejected rows off the main thread and says how it went in a
 * toast. The file chooser's answer ends here.
 */
void
herald_import_dialog_save_rejections (HeraldImportDialog *self,
                                      GFile              *file)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HERALD_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->report != NULL);

  gtk_widget_set_sensitive (self->save_rejections_button, FALSE);
  /* The task holds the dialog, and the dialog the report until finalize. */
  task = g_task_new (self, self->cancellable, on_rejections_saved_cb, NULL);
  g_task_set_source_tag (task, herald_import_dialog_save_rejections);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, save_rejections_in_thread);
}

static void
on_rejections_file_chosen (GtkWidget *owner,
                           GFile     *file)
{
  herald_import_dialog_save_rejections (HERALD_IMPORT_DIALOG (owner), file);
}

static void
on_save_rejections_clicked_cb (HeraldImportDialog *self)
{
  herald_ui_choose_csv_file (GTK_WIDGET (self), _("Save Rejected Rows"), _("_Save"), _("rejected-contacts.csv"),
                             on_rejections_file_chosen);
}

static GtkWidget *
spinner_page (void)
{
  GtkWidget *spinner = gtk_spinner_new ();

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);

  return spinner;
}

static void
build (HeraldImportDialog *self)
{
  GtkWidget *box, *header, *page, *report_box, *scrolled;

  gtk_window_set_title (GTK_WINDOW (self), _("Import Contacts"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 620);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  self->close_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_button_set_use_underline (GTK_BUTTON (self->close_button), TRUE);
  g_signal_connect_swapped (self->close_button, "clicked", G_CALLBACK (gtk_window_destroy), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->close_button);
  self->import_button = gtk_button_new_with_mnemonic (_("_Import"));
  gtk_widget_add_css_class (self->import_button, "suggested-action");
  g_signal_connect_swapped (self->import_button, "clicked", G_CALLBACK (herald_import_dialog_run), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->import_button);
  gtk_box_append (GTK_BOX (box), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, box);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toast_overlay));

  gtk_stack_add_named (self->stack, spinner_page (), "loading");

  page = adw_preferences_page_new ();
  self->columns_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->columns_group, _("Columns"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->columns_group);
  gtk_stack_add_named (self->stack, page, "preview");

  gtk_stack_add_named (self->stack, spinner_page (), "running");

  report_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  self->report_page = ADW_STATUS_PAGE (adw_status_page_new ());
  /* Compact, so that the counts stay in view above the rejected rows. */
  gtk_widget_add_css_class (GTK_WIDGET (self->report_page), "compact");
  gtk_box_append (GTK_BOX (report_box), GTK_WIDGET (self->report_page));
  self->rejections_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->rejections_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->rejections_list), "boxed-list");
  gtk_widget_set_margin_start (GTK_WIDGET (self->rejections_list), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->rejections_list), 12);
  gtk_box_append (GTK_BOX (report_box), GTK_WIDGET (self->rejections_list));
  self->save_rejections_button = gtk_button_new_with_mnemonic (_("_Save Rejected Rows…"));
  gtk_widget_add_css_class (self->save_rejections_button, "pill");
  gtk_widget_set_halign (self->save_rejections_button, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_bottom (self->save_rejections_button, 24);
  g_signal_connect_swapped (self->save_rejections_button, "clicked",
                            G_CALLBACK (on_save_rejections_clicked_cb), self);
  gtk_box_append (GTK_BOX (report_box), self->save_rejections_button);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), report_box);
  gtk_stack_add_named (self->stack, scrolled, "report");

  self->error_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->error_page, "dialog-warning-symbolic");
  adw_status_page_set_title (self->error_page, _("Could Not Import This File"));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->error_page), "error");

  show_state (self, "loading");
}

static void
herald_import_dialog_dispose (GObject *object)
{
  HeraldImportDialog *self = HERALD_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_object (&self->import);

  G_OBJECT_CLASS (herald_import_dialog_parent_class)->dispose (object);
}

static void
herald_import_dialog_finalize (GObject *object)
{
  HeraldImportDialog *self = HERALD_IMPORT_DIALOG (object);

  /* Not in dispose: a save of the rejected rows may still be reading it. */
  g_clear_pointer (&self->report, herald_contact_import_report_free);

  G_OBJECT_CLASS (herald_import_dialog_parent_class)->finalize (object);
}

static void
herald_import_dialog_class_init (HeraldImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_import_dialog_dispose;
  object_class->finalize = herald_import_dialog_finalize;

  /* Contacts were imported; the argument is a message for a toast. */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
herald_import_dialog_init (HeraldImportDialog *self)
{
  self->cancellable = g_cancellable_new ();
  build (self);
}

HeraldImportDialog *
herald_import_dialog_new (HeraldStoreWorker *worker,
                          GFile             *file)
{
  HeraldImportDialog *self;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (HERALD_TYPE_IMPORT_DIALOG, NULL);
  self->worker = g_object_ref (worker);
  self->import = herald_contact_import_new (file);
  herald_contact_import_load_async (self->import, N_PREVIEW_ROWS, self->cancellable,
                                    on_loaded_cb, g_object_ref (self));

  return self;
}

const char *
herald_import_dialog_get_state (HeraldImportDialog *self)
{
  g_return_val_if_fail (HERALD_IS_IMPORT_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

HeraldContactImport *
herald_import_dialog_get_import (HeraldImportDialog *self)
{
  g_return_val_if_fail (HERALD_IS_IMPORT_DIALOG (self), NULL);

  return self->import;
}

const HeraldContactImportReport *
herald_import_dialog_get_report (HeraldImportDialog *self)
{
  g_return_val_if_fail (HERALD_IS_IMPORT_DIALOG (self), NULL);

  return self->report;
}
