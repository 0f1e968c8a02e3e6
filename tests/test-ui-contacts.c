/* test-ui-contacts.c: the contacts page empty and with data, the contact form, a CSV drop
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "herald-contacts-page.h"
#include "herald-test-utils.h"
#include "herald-ui-test-utils.h"
#include "herald-ui-utils.h"

typedef struct
{
  char               *db_path;
  HeraldStoreWorker  *worker;
  GtkWindow          *window;
  HeraldContactsPage *page;
} Fixture;

static gint64
count_contacts (Fixture *f)
{
  g_autoptr(HeraldStore) store = herald_store_new (f->db_path, NULL);

  g_assert_nonnull (store);
  return herald_store_count_contacts (store, NULL, NULL);
}

static gboolean
page_settled (gpointer data)
{
  const char *state = herald_contacts_page_get_state (data);

  return g_strcmp0 (state, "loading") != 0;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = herald_test_tmp_dir ();

  f->db_path = g_build_filename (dir, "contacts.db", NULL);
  if (data != NULL)
    {
      g_autoptr(HeraldStore) store = herald_store_new (f->db_path, NULL);
      g_autoptr(HeraldContact) contact = herald_contact_new ("Ana Lima", "+5511987654321");

      g_assert_true (herald_store_save_contact (store, contact, NULL));
    }
  f->worker = herald_store_worker_new (f->db_path, NULL);
  f->window = GTK_WINDOW (gtk_window_new ());
  f->page = g_object_new (HERALD_TYPE_CONTACTS_PAGE, "worker", f->worker, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  herald_test_wait_until (page_settled, f->page, 10000);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->worker);
  g_free (f->db_path);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_assert_cmpstr (herald_contacts_page_get_state (f->page), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (herald_contacts_page_get_model (f->page)), ==, 0);
}

static void
test_with_data (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(HeraldContact) contact = NULL;

  g_assert_cmpstr (herald_contacts_page_get_state (f->page), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (herald_contacts_page_get_model (f->page)), ==, 1);
  contact = g_list_model_get_item (herald_contacts_page_get_model (f->page), 0);
  g_assert_cmpstr (herald_contact_get_name (contact), ==, "Ana Lima");
}

static gboolean
editor_idle (gpointer data)
{
  return !herald_contact_editor_get_busy (data);
}

static gboolean
model_has_items (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (herald_contacts_page_get_model (f->page)) > 0;
}

static void
test_form (Fixture       *f,
           gconstpointer  data)
{
  HeraldContactEditor *editor = herald_contacts_page_open_editor (f->page, NULL);
  GtkEditable *mobile = herald_contact_editor_get_field (editor, "mobile-number");
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);

  gtk_editable_set_text (herald_contact_editor_get_field (editor, "name"), "Bruno");
  gtk_editable_set_text (mobile, "12ab");
  herald_contact_editor_save (editor);
  herald_test_wait_until (editor_idle, editor, 10000);
  g_assert_true (herald_ui_has_field_error (GTK_WIDGET (mobile)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (mobile), "error"));
  g_assert_cmpint (count_contacts (f), ==, 0);

  gtk_editable_set_text (mobile, "+49 151 23456789");
  herald_contact_editor_set_attribute (editor, "city", "Berlin");
  herald_contact_editor_save (editor);
  herald_test_wait_until (model_has_items, f, 10000);
  g_assert_null (editor);
  g_assert_cmpint (count_contacts (f), ==, 1);
  g_assert_cmpstr (herald_contacts_page_get_state (f->page), ==, "list");
}

static gboolean
dialog_in_state (gpointer data)
{
  HeraldImportDialog *dialog = data;
  const char *state = herald_import_dialog_get_state (dialog);

  return g_strcmp0 (state, "preview") == 0 || g_strcmp0 (state, "report") == 0 ||
         g_strcmp0 (state, "error") == 0;
}

static gboolean
rejections_saved (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (data, &contents, NULL, NULL) &&
         g_str_has_prefix (contents, "\xef\xbb\xbfline,reason\r\n") &&  /* a BOM and CRLF, for spreadsheets */
         strstr (contents, "\r\n3,mobile number “not a number”") != NULL &&
         g_str_has_suffix (contents, "Dario,not a number,Rome\r\n");
}

static void
test_drop_csv (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *csv_path = g_build_filename (dir, "people.csv", NULL);
  g_autoptr(GFile) file = NULL;
  GdkFileList *files;
  GSList *list = NULL;
  GValue value = G_VALUE_INIT;
  GtkDropTarget *target;
  gboolean accepted = FALSE;
  HeraldImportDialog *dialog = NULL;
  const HeraldContactImportReport *report;
  GList *toplevels;
  g_autofree char *rejected_path = NULL;
  g_autoptr(GFile) rejected = NULL;

  g_assert_true (g_file_set_contents (csv_path,
                                      "name,phone,city\n"
                                      "Carla,+34612345678,Madrid\n"
                                      "Dario,not a number,Rome\n"
                                      "Eva,+33612345678,Paris\n", -1, NULL));
  file = g_file_new_for_path (csv_path);
  list = g_slist_prepend (list, file);
  files = gdk_file_list_new_from_list (list);
  g_slist_free (list);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, files);
  target = herald_contacts_page_get_drop_target (f->page);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);

  /* The drop opened the import dialog. */
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (HERALD_IS_IMPORT_DIALOG (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (dialog);

  herald_test_wait_until (dialog_in_state, dialog, 10000);
  g_assert_cmpstr (herald_import_dialog_get_state (dialog), ==, "preview");
  g_assert_cmpuint (herald_contact_import_get_n_columns (herald_import_dialog_get_import (dialog)), ==, 3);
  g_assert_cmpint (herald_contact_import_get_field (herald_import_dialog_get_import (dialog), 1),
                   ==, HERALD_CONTACT_FIELD_MOBILE_NUMBER);

  herald_import_dialog_run (dialog);
  herald_test_wait_until (dialog_in_state, dialog, 10000);
  g_assert_cmpstr (herald_import_dialog_get_state (dialog), ==, "report");
  report = herald_import_dialog_get_report (dialog);
  g_assert_cmpuint (herald_contact_import_report_get_imported (report), ==, 2);
  g_assert_cmpuint (herald_contact_import_report_get_n_rejections (report), ==, 1);
  g_assert_cmpuint (herald_contact_import_report_get_rejection_line (report, 0), ==, 3);
  g_assert_cmpint (count_contacts (f), ==, 2);

  herald_test_wait_until (model_has_items, f, 10000);

  /* The rejected row, saved as CSV with its line and reason first. */
  rejected_path = g_build_filename (dir, "rejected.csv", NULL);
  rejected = g_file_new_for_path (rejected_path);
  herald_import_dialog_save_rejections (dialog, rejected);
  herald_test_wait_until (rejections_saved, rejected_path, 10000);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The page's Import action asks for a CSV file through the one chooser
 * helper: one chooser at a time, the chosen file opens the import dialog,
 * and a chooser still open goes with the page. */
#define FILE_CHOOSER_KEY "herald-file-chooser"  /* herald-ui-utils.c's */

static HeraldImportDialog *
find_import_dialog (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  HeraldImportDialog *dialog = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (HERALD_IS_IMPORT_DIALOG (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  return dialog;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
chooser_has_file (gpointer chooser)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  return file != NULL;
}

static void
test_choose_csv (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *csv_path = g_build_filename (dir, "chosen.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  GtkFileChooser *chooser;
  HeraldImportDialog *dialog;

  g_assert_true (g_file_set_contents (csv_path, "name,phone\nCarla,+34612345678\n", -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.import", NULL));
  chooser = g_object_get_data (G_OBJECT (f->page), FILE_CHOOSER_KEY);
  g_assert_true (GTK_IS_FILE_CHOOSER_NATIVE (chooser));
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_OPEN);

  /* Asking again while it is open leaves it as it is. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.import", NULL);
  g_assert_true (g_object_get_data (G_OBJECT (f->page), FILE_CHOOSER_KEY) == chooser);

  g_assert_true (gtk_file_chooser_set_file (chooser, file, NULL));
  herald_test_wait_until (chooser_has_file, chooser, 10000);
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  g_assert_null (g_object_get_data (G_OBJECT (f->page), FILE_CHOOSER_KEY));
  dialog = find_import_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (g_file_equal (herald_contact_import_get_file (herald_import_dialog_get_import (dialog)), file));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Cancelled: nothing opens. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.import", NULL);
  chooser = g_object_get_data (G_OBJECT (f->page), FILE_CHOOSER_KEY);
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_CANCEL);
  g_assert_null (g_object_get_data (G_OBJECT (f->page), FILE_CHOOSER_KEY));
  g_assert_null (find_import_dialog ());

  /* Left open, it goes with the page. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "contacts.import", NULL);
  chooser = g_object_get_data (G_OBJECT (f->page), FILE_CHOOSER_KEY);
  g_object_add_weak_pointer (G_OBJECT (chooser), (gpointer *) &chooser);
  gtk_window_set_child (f->window, NULL);
  herald_test_wait_until (pointer_cleared, &chooser, 10000);
}

int
main (int   argc,
      char *argv[])
{
  if (!herald_ui_test_init (&argc, &argv))
    return 77;

  g_test_add ("/herald/ui-contacts/empty", Fixture, NULL, fixture_set_up, test_empty, fixture_tear_down);
  g_test_add ("/herald/ui-contacts/with-data", Fixture, "data", fixture_set_up, test_with_data, fixture_tear_down);
  g_test_add ("/herald/ui-contacts/form", Fixture, NULL, fixture_set_up, test_form, fixture_tear_down);
  g_test_add ("/herald/ui-contacts/choose-csv", Fixture, NULL, fixture_set_up, test_choose_csv, fixture_tear_down);
  g_test_add ("/herald/ui-contacts/drop-csv", Fixture, NULL, fixture_set_up, test_drop_csv, fixture_tear_down);

  return g_test_run ();
}
