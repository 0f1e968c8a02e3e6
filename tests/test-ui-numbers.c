/* test-ui-numbers.c: the numbers page empty and with data, the number form,
 * verification against herald-sim
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "herald-numbers-page.h"
#include "herald-secrets.h"
#include "herald-sim-server.h"
#include "herald-test-utils.h"
#include "herald-ui-test-utils.h"
#include "herald-ui-utils.h"

#define TOKEN "EAAG-test-token-that-must-stay-in-the-keyring"

typedef struct
{
  char              *db_path;
  HeraldStoreWorker *worker;
  GtkWindow         *window;
  HeraldNumbersPage *page;
} Fixture;

static HeraldStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  HeraldStore *store = herald_store_new (f->db_path, &error);

  g_assert_no_error (error);
  return store;
}

static guint
count_numbers (Fixture *f)
{
  g_autoptr(HeraldStore) store = open_store (f);
  g_autoptr(GPtrArray) numbers = herald_store_list_numbers (store, NULL);

  g_assert_nonnull (numbers);
  return numbers->len;
}

static gboolean
page_idle (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (herald_numbers_page_get_state (f->page), "loading") != 0 &&
         !herald_page_get_busy (HERALD_PAGE (f->page));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = herald_test_tmp_dir ();

  f->db_path = g_build_filename (dir, "numbers.db", NULL);
  if (data != NULL)
    {
      g_autoptr(HeraldStore) store = open_store (f);
      g_autoptr(HeraldNumber) number = herald_number_new ("1234567890", "+15551234567");
      g_autoptr(HeraldNumber) sandbox = herald_number_new ("999", "+15550000000");

      herald_number_set_display_name (number, "Front desk");
      herald_number_set_is_active (number, TRUE);
      herald_number_set_quality_rating (number, "GREEN");
      herald_number_set_messages_per_second (number, 80);
      g_assert_true (herald_store_save_number (store, number, NULL));
      herald_number_set_is_sandbox (sandbox, TRUE);
      herald_number_set_is_active (sandbox, FALSE);
      herald_number_set_messages_per_second (sandbox, 80);
      g_assert_true (herald_store_save_number (store, sandbox, NULL));
    }
  f->worker = herald_store_worker_new (f->db_path, NULL);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 360, 640);
  f->page = g_object_new (HERALD_TYPE_NUMBERS_PAGE, "worker", f->worker, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  herald_test_wait_until (page_idle, f, 10000);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->worker);
  g_free (f->db_path);
}

/* The descendant of @widget with @css_class, or NULL. */
static GtkWidget *
find_with_class (GtkWidget  *widget,
                 const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_assert_cmpstr (herald_numbers_page_get_state (f->page), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (herald_numbers_page_get_model (f->page)), ==, 0);
  g_assert_null (herald_page_get_last_error (HERALD_PAGE (f->page)));
}

static void
test_with_data (Fixture       *f,
                gconstpointer  data)
{
  GListModel *model = herald_numbers_page_get_model (f->page);
  g_autoptr(HeraldNumber) first = NULL;
  g_autoptr(HeraldNumber) second = NULL;
  GtkWidget *badge;

  g_assert_cmpstr (herald_numbers_page_get_state (f->page), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  first = g_list_model_get_item (model, 0);
  second = g_list_model_get_item (model, 1);
  g_assert_cmpstr (herald_number_get_display_name (first), ==, "Front desk");

  /* The sandbox number wears its badge, the other one does not. */
  badge = find_with_class (GTK_WIDGET (f->page), "sandbox");
  g_assert_nonnull (badge);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (badge)), ==, "Sandbox");
  g_assert_nonnull (find_with_class (GTK_WIDGET (f->page), "success"));

  /* The switch goes through the worker. */
  herald_numbers_page_set_active (f->page, second, TRUE);
  herald_test_wait_until (page_idle, f, 10000);
  {
    g_autoptr(HeraldStore) store = open_store (f);
    g_autoptr(HeraldNumber) stored = herald_store_get_number_by_phone_number_id (store, "999", NULL);

    g_assert_true (herald_number_get_is_active (stored));
  }
}

static gboolean
editor_idle (gpointer data)
{
  return !herald_number_editor_get_busy (data);
}

static void
test_form_rejects (Fixture       *f,
                   gconstpointer  data)
{
  HeraldNumberEditor *editor = herald_numbers_page_open_editor (f->page, NULL);
  GtkEditable *phone = herald_number_editor_get_field (editor, "phone-number");
  GtkEditable *token = herald_number_editor_get_field (editor, "access-token");
  GtkEditable *rate = herald_number_editor_get_field (editor, "messages-per-second");
  g_autofree char *stored = NULL;

  gtk_editable_set_text (herald_number_editor_get_field (editor, "phone-number-id"), "106540352242922");
  gtk_editable_set_text (phone, "12ab");
  gtk_editable_set_text (token, TOKEN);
  herald_number_editor_save (editor);
  herald_test_wait_until (editor_idle, editor, 10000);
  g_assert_true (herald_ui_has_field_error (GTK_WIDGET (phone)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (phone), "error"));
  g_assert_false (herald_ui_has_field_error (GTK_WIDGET (token)));

  /* A good number, but no token. */
  gtk_editable_set_text (phone, "+1 555 010 9999");
  gtk_editable_set_text (token, "");
  herald_number_editor_save (editor);
  herald_test_wait_until (editor_idle, editor, 10000);
  g_assert_false (herald_ui_has_field_error (GTK_WIDGET (phone)));
  g_assert_true (herald_ui_has_field_error (GTK_WIDGET (token)));

  /* Not a rate. */
  gtk_editable_set_text (token, TOKEN);
  gtk_editable_set_text (rate, "0");
  herald_number_editor_save (editor);
  herald_test_wait_until (editor_idle, editor, 10000);
  g_assert_true (herald_ui_has_field_error (GTK_WIDGET (rate)));

  /* Nothing saved, in the database or the keyring. */
  g_assert_cmpuint (count_numbers (f), ==, 0);
  stored = herald_secrets_lookup_sync (HERALD_SECRET_ACCESS_TOKEN, "106540352242922", NULL, NULL);
  g_assert_null (stored);
  gtk_window_destroy (GTK_WINDOW (editor));
}

static gboolean
model_has_items (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (herald_numbers_page_get_model (f->page)) > 0;
}

static void
assert_file_lacks (const char *path,
                   const char *text)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;
  g_assert_null (g_strstr_len (contents, length, text));
}

static void
test_form_saves (Fixture       *f,
                 gconstpointer  data)
{
  HeraldNumberEditor *editor = herald_numbers_page_open_editor (f->page, NULL);
  g_autoptr(HeraldNumber) number = NULL;
  g_autofree char *wal_path = g_strconcat (f->db_path, "-wal", NULL);
  char *stored;

  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_editable_set_text (herald_number_editor_get_field (editor, "phone-number-id"), "106540352242922");
  gtk_editable_set_text (herald_number_editor_get_field (editor, "phone-number"), "+1 (555) 010-9999");
  gtk_editable_set_text (herald_number_editor_get_field (editor, "display-name"), "Shop");
  gtk_editable_set_text (herald_number_editor_get_field (editor, "messages-per-second"), "20");
  gtk_editable_set_text (herald_number_editor_get_field (editor, "access-token"), TOKEN);
  herald_number_editor_save (editor);
  herald_test_wait_until (model_has_items, f, 10000);
  g_assert_null (editor);

  number = g_list_model_get_item (herald_numbers_page_get_model (f->page), 0);
  g_assert_cmpstr (herald_number_get_phone_number (number), ==, "+15550109999");
  g_assert_cmpstr (herald_number_get_display_name (number), ==, "Shop");
  g_assert_cmpuint (herald_number_get_messages_per_second (number), ==, 20);
  g_assert_true (herald_number_get_is_active (number));
  g_assert_cmpuint (count_numbers (f), ==, 1);

  stored = herald_secrets_lookup_sync (HERALD_SECRET_ACCESS_TOKEN, "106540352242922", NULL, NULL);
  g_assert_cmpstr (stored, ==, TOKEN);
  secret_password_free (stored);
  assert_file_lacks (f->db_path, TOKEN);
  assert_file_lacks (wal_path, TOKEN);

  /* A second number with the same ID is refused before its token is stored. */
  editor = herald_numbers_page_open_editor (f->page, NULL);
  gtk_editable_set_text (herald_number_editor_get_field (editor, "phone-number-id"), "106540352242922");
  gtk_editable_set_text (herald_number_editor_get_field (editor, "phone-number"), "+15550108888");
  gtk_editable_set_text (herald_number_editor_get_field (editor, "access-token"), "another-token");
  herald_number_editor_save (editor);
  herald_test_wait_until (editor_idle, editor, 10000);
  g_assert_true (herald_ui_has_field_error (GTK_WIDGET (herald_number_editor_get_field (editor, "phone-number-id"))));
  stored = herald_secrets_lookup_sync (HERALD_SECRET_ACCESS_TOKEN, "106540352242922", NULL, NULL);
  g_assert_cmpstr (stored, ==, TOKEN);
  secret_password_free (stored);
  g_assert_cmpuint (count_numbers (f), ==, 1);
  gtk_window_destroy (GTK_WINDOW (editor));
}

static gboolean
number_verified (gpointer data)
{
  Fixture *f = data;
  g_autoptr(HeraldNumber) number = NULL;

  if (herald_page_get_busy (HERALD_PAGE (f->page)) ||
      g_list_model_get_n_items (herald_numbers_page_get_model (f->page)) == 0)
    return FALSE;
  number = g_list_model_get_item (herald_numbers_page_get_model (f->page), 0);
  return herald_number_get_verified_at (number) != NULL || herald_page_get_last_error (HERALD_PAGE (f->page)) != NULL;
}

static void
test_verify (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(HeraldSimServer) sim = herald_sim_server_new ("sim-token");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldNumber) stored = NULL;
  g_autoptr(HeraldStore) store = NULL;

  g_assert_true (herald_sim_server_listen (sim, 0, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser,
                                             "{\"phone\": {\"verified_name\": \"Lima Bakery\","
                                             " \"quality_rating\": \"YELLOW\"}}", -1, NULL));
  g_assert_true (herald_sim_server_control (sim, json_node_get_object (json_parser_get_root (parser)), &error));
  g_setenv ("HERALD_API_BASE", herald_sim_server_get_url (sim), TRUE);

  /* A wrong token: Meta's message is shown, nothing is saved. */
  g_assert_true (herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, "1234567890", NULL,
                                            "wrong-token", NULL, &error));
  number = g_list_model_get_item (herald_numbers_page_get_model (f->page), 0);
  herald_numbers_page_verify (f->page, number);
  herald_test_wait_until (number_verified, f, 10000);
  g_assert_nonnull (herald_page_get_last_error (HERALD_PAGE (f->page)));
  g_clear_object (&number);
  number = g_list_model_get_item (herald_numbers_page_get_model (f->page), 0);
  g_assert_null (herald_number_get_verified_at (number));

  g_assert_true (herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, "1234567890", NULL,
                                            "sim-token", NULL, &error));
  herald_numbers_page_verify (f->page, number);
  herald_test_wait_until (page_idle, f, 10000);
  g_clear_object (&number);
  number = g_list_model_get_item (herald_numbers_page_get_model (f->page), 0);
  g_assert_cmpstr (herald_number_get_verified_name (number), ==, "Lima Bakery");
  g_assert_cmpstr (herald_number_get_quality_rating (number), ==, "YELLOW");
  g_assert_nonnull (herald_number_get_verified_at (number));
  g_assert_nonnull (find_with_class (GTK_WIDGET (f->page), "warning"));

  store = open_store (f);
  stored = herald_store_get_number_by_phone_number_id (store, "1234567890", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (herald_number_get_verified_name (stored), ==, "Lima Bakery");
  g_assert_nonnull (herald_number_get_throughput_level (stored));
  g_assert_nonnull (herald_number_get_messaging_limit_tier (stored));

  g_unsetenv ("HERALD_API_BASE");
  herald_secrets_clear_sync (HERALD_SECRET_ACCESS_TOKEN, "1234567890", NULL, NULL);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(HeraldNumber) number = g_list_model_get_item (herald_numbers_page_get_model (f->page), 1);
  GtkWidget *dialog;

  /* Cancel keeps it. */
  dialog = herald_numbers_page_confirm_delete (f->page, number);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  herald_test_wait_until (page_idle, f, 10000);
  g_assert_cmpuint (count_numbers (f), ==, 2);

  dialog = herald_numbers_page_confirm_delete (f->page, number);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  herald_test_wait_until (page_idle, f, 10000);
  g_assert_cmpuint (count_numbers (f), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (herald_numbers_page_get_model (f->page)), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  if (!herald_ui_test_init (&argc, &argv))
    return 77;

  g_test_add ("/herald/ui-numbers/empty", Fixture, NULL, fixture_set_up, test_empty, fixture_tear_down);
  g_test_add ("/herald/ui-numbers/with-data", Fixture, "data", fixture_set_up, test_with_data, fixture_tear_down);
  g_test_add ("/herald/ui-numbers/form-rejects", Fixture, NULL, fixture_set_up, test_form_rejects, fixture_tear_down);
  g_test_add ("/herald/ui-numbers/form-saves", Fixture, NULL, fixture_set_up, test_form_saves, fixture_tear_down);
  g_test_add ("/herald/ui-numbers/verify", Fixture, "data", fixture_set_up, test_verify, fixture_tear_down);
  g_test_add ("/herald/ui-numbers/delete", Fixture, "data", fixture_set_up, test_delete, fixture_tear_down);

  return g_test_run ();
}
