/* test-ui-forms.c: pages refreshed when shown, Sandbox marks, live form
 * checks, and the forms and pages that had no test (contacts edit, search,
 * opt-out, business profile, Templates and Activity with data)
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-activity-event.h"
#include "herald-activity-page.h"
#include "herald-campaign.h"
#include "herald-contacts-page.h"
#include "herald-dashboard-page.h"
#include "herald-preferences-window.h"
#include "herald-sandbox.h"
#include "herald-status-applier.h"
#include "herald-templates-page.h"
#include "herald-test-utils.h"
#include "herald-ui-test-utils.h"
#include "herald-ui-utils.h"

typedef struct
{
  char              *db_path;
  HeraldStore       *store;    /* the test's own connection, as the CLI or the feed would be */
  HeraldStoreWorker *worker;
  GtkWindow         *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autoptr(GError) error = NULL;

  f->db_path = g_build_filename (dir, "forms.db", NULL);
  f->store = herald_store_new (f->db_path, &error);
  g_assert_no_error (error);
  f->worker = herald_store_worker_new (f->db_path, &error);
  g_assert_no_error (error);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 800, 600);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->worker);
  g_clear_object (&f->store);
  g_free (f->db_path);
}

/* Widgets */

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *root,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_widgets (GtkWidget     *root,
               WidgetMatch    match,
               gconstpointer  data)
{
  guint n = match (root, data) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child, match, data);
  return n;
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_sandbox_badge (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "herald-badge") &&
         gtk_widget_has_css_class (widget, "sandbox");
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static GtkWidget *
row_titled (GtkWidget  *root,
            const char *title)
{
  GtkWidget *row = find_widget (root, is_row_titled, title);

  g_assert_nonnull (row);
  return row;
}

static GtkWidget *
button_labelled (GtkWidget  *root,
                 const char *label)
{
  GtkWidget *button = find_widget (root, is_button_labelled, label);

  g_assert_nonnull (button);
  return button;
}

/* What a GtkListView in @root shows, after its selection model. */
static GListModel *
shown_model (GtkWidget *root)
{
  GtkWidget *view = find_widget (root, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW));
  GtkSelectionModel *selection;

  g_assert_nonnull (view);
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (view));
  g_assert_true (GTK_IS_NO_SELECTION (selection));
  return gtk_no_selection_get_model (GTK_NO_SELECTION (selection));
}

/* Contacts */

static HeraldContact *
save_contact (Fixture    *f,
              const char *name,
              const char *mobile)
{
  g_autoptr(HeraldContact) contact = herald_contact_new (name, mobile);
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_store_save_contact (f->store, contact, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&contact);
}

static gboolean
contacts_settled (gpointer data)
{
  return g_strcmp0 (herald_contacts_page_get_state (data), "loading") != 0;
}

static HeraldContactsPage *
show_contacts_page (Fixture *f)
{
  HeraldContactsPage *page = g_object_new (HERALD_TYPE_CONTACTS_PAGE, "worker", f->worker, NULL);

  gtk_window_set_child (f->window, GTK_WIDGET (page));
  gtk_window_present (f->window);
  herald_test_wait_until (contacts_settled, page, 10000);
  return page;
}

typedef struct
{
  HeraldContactsPage *page;
  guint               n_items;
  const char         *first_name;
} ListExpectation;

static gboolean
list_is (gpointer data)
{
  const ListExpectation *expected = data;
  GListModel *model = herald_contacts_page_get_model (expected->page);
  g_autoptr(HeraldContact) first = NULL;

  if (!contacts_settled (expected->page) || g_list_model_get_n_items (model) != expected->n_items)
    return FALSE;
  if (expected->first_name == NULL)
    return TRUE;
  first = g_list_model_get_item (model, 0);
  return g_strcmp0 (herald_contact_get_name (first), expected->first_name) == 0;
}

static void
wait_for_list (HeraldContactsPage *page,
               guint               n_items,
               const char         *first_name)
{
  ListExpectation expected = { page, n_items, first_name };

  herald_test_wait_until (list_is, &expected, 10000);
}

static gboolean
page_idle (gpointer data)
{
  return !herald_page_get_busy (data);
}

/* Shown again, as when the user comes back from another page. */
static void
show_again (GtkWidget *page)
{
  gtk_widget_set_visible (page, FALSE);
  g_assert_false (gtk_widget_get_mapped (page));
  gtk_widget_set_visible (page, TRUE);
  g_assert_true (gtk_widget_get_mapped (page));
}

static void
test_contacts_refresh (Fixture       *f,
                       gconstpointer  data)
{
  HeraldContactsPage *page = show_contacts_page (f);
  g_autoptr(HeraldContact) ana = NULL;
  g_autoptr(HeraldContact) shown = NULL;
  g_autoptr(HeraldContact) shown_again = NULL;
  g_autoptr(HeraldContact) bruno = NULL;

  g_assert_cmpstr (herald_contacts_page_get_state (page), ==, "empty");

  /* Someone else (the Sandbox, the CLI) adds a contact meanwhile. */
  ana = save_contact (f, "Ana Lima", "+5511987654321");
  show_again (GTK_WIDGET (page));
  wait_for_list (page, 1, "Ana Lima");
  g_assert_cmpstr (herald_contacts_page_get_state (page), ==, "list");

  /* Nothing changed: the list is not read again (its rows, scroll and all,
   * stay as they are). */
  shown = g_list_model_get_item (herald_contacts_page_get_model (page), 0);
  show_again (GTK_WIDGET (page));
  herald_test_wait_until (page_idle, page, 10000);
  shown_again = g_list_model_get_item (herald_contacts_page_get_model (page), 0);
  g_assert_true (shown == shown_again);

  /* A change to a contact already shown counts too. */
  herald_contact_set_name (ana, "Ana Lima Souza");
  g_assert_true (herald_store_save_contact (f->store, ana, NULL));
  bruno = save_contact (f, "Bruno Reis", "+5511912345678");
  show_again (GTK_WIDGET (page));
  wait_for_list (page, 2, "Ana Lima Souza");
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
save_and_wait_closed (HeraldContactEditor *editor)
{
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  herald_contact_editor_save (editor);
  herald_test_wait_until (pointer_is_null, &editor, 10000);
}

static void
test_contact_live_checks (Fixture       *f,
                          gconstpointer  data)
{
  HeraldContactsPage *page = show_contacts_page (f);
  HeraldContactEditor *editor = herald_contacts_page_open_editor (page, NULL);
  GtkWidget *mobile = GTK_WIDGET (herald_contact_editor_get_field (editor, "mobile-number"));
  GtkWidget *email = GTK_WIDGET (herald_contact_editor_get_field (editor, "email"));
  GtkWidget *save = button_labelled (GTK_WIDGET (editor), "_Add");
  g_autoptr(HeraldContact) stored = NULL;

  /* Nothing typed yet: nothing marked, but nothing to save either. */
  g_assert_false (herald_ui_has_field_error (mobile));
  g_assert_false (gtk_widget_get_sensitive (save));

  /* Each field is marked as it is typed, with its own reason, both at once,
   * without pressing Save. */
  gtk_editable_set_text (GTK_EDITABLE (mobile), "12ab");
  gtk_editable_set_text (GTK_EDITABLE (email), "ana.example.com");
  g_assert_true (herald_ui_has_field_error (mobile));
  g_assert_true (gtk_widget_has_css_class (mobile, "error"));
  g_assert_nonnull (strstr (herald_ui_get_field_error (mobile), "letter"));
  g_assert_nonnull (find_widget (GTK_WIDGET (editor), is_label_with_text, herald_ui_get_field_error (mobile)));
  g_assert_true (herald_ui_has_field_error (email));
  g_assert_nonnull (strstr (herald_ui_get_field_error (email), "name@example.com"));
  g_assert_nonnull (find_widget (GTK_WIDGET (editor), is_label_with_text, herald_ui_get_field_error (email)));
  g_assert_false (gtk_widget_get_sensitive (save));

  /* Fixing one leaves the other marked. */
  gtk_editable_set_text (GTK_EDITABLE (mobile), "+55 11 98765-4321");
  g_assert_false (herald_ui_has_field_error (mobile));
  g_assert_false (gtk_widget_has_css_class (mobile, "error"));
  g_assert_true (herald_ui_has_field_error (email));
  g_assert_false (gtk_widget_get_sensitive (save));

  gtk_editable_set_text (GTK_EDITABLE (email), "ana@example.com");
  g_assert_false (herald_ui_has_field_error (email));
  g_assert_true (gtk_widget_get_sensitive (save));

  gtk_editable_set_text (GTK_EDITABLE (herald_contact_editor_get_field (editor, "name")), "Ana Lima");
  save_and_wait_closed (editor);
  stored = herald_store_get_contact_by_mobile_number (f->store, "+5511987654321", NULL);
  g_assert_nonnull (stored);
  g_assert_cmpstr (herald_contact_get_email (stored), ==, "ana@example.com");
}

/* A CSV row without a name and the form without one store the same. */
static void
test_contact_empty_name (Fixture       *f,
                         gconstpointer  data)
{
  HeraldContactsPage *page = show_contacts_page (f);
  HeraldContactEditor *editor = herald_contacts_page_open_editor (page, NULL);
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *csv = g_build_filename (dir, "nameless.csv", NULL);
  g_autofree char *cli = herald_test_program_path ("herald-cli");
  const char *argv[] = { cli, "contacts", "import", csv, "--db", f->db_path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(HeraldContact) from_form = NULL;
  g_autoptr(HeraldContact) from_csv = NULL;
  int status = -1;

  gtk_editable_set_text (herald_contact_editor_get_field (editor, "mobile-number"), "+5511987654321");
  g_assert_false (herald_ui_has_field_error (GTK_WIDGET (herald_contact_editor_get_field (editor, "name"))));
  g_assert_true (gtk_widget_get_sensitive (button_labelled (GTK_WIDGET (editor), "_Add")));
  save_and_wait_closed (editor);
  from_form = herald_store_get_contact_by_mobile_number (f->store, "+5511987654321", NULL);
  g_assert_nonnull (from_form);

  g_assert_true (g_file_set_contents (csv, "name,phone\n,+5511912345678\n", -1, NULL));
  g_assert_true (herald_test_spawn_sync (argv, NULL, &out, &err, &status));
  g_assert_cmpint (status, ==, 0);
  from_csv = herald_store_get_contact_by_mobile_number (f->store, "+5511912345678", NULL);
  g_assert_nonnull (from_csv);

  g_assert_cmpstr (herald_contact_get_name (from_csv), ==, "+5511912345678");
  g_assert_cmpstr (herald_contact_get_name (from_form), ==, "+5511987654321");
}

static void
test_contact_edit (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(HeraldContact) ana = save_contact (f, "Ana Lima", "+5511987654321");
  HeraldContactsPage *page = show_contacts_page (f);
  g_autoptr(HeraldContact) shown = g_list_model_get_item (herald_contacts_page_get_model (page), 0);
  HeraldContactEditor *editor = herald_contacts_page_open_editor (page, shown);
  g_autoptr(HeraldContact) stored = NULL;

  g_assert_cmpstr (gtk_editable_get_text (herald_contact_editor_get_field (editor, "name")), ==, "Ana Lima");
  g_assert_true (gtk_widget_get_sensitive (button_labelled (GTK_WIDGET (editor), "_Save")));
  gtk_editable_set_text (herald_contact_editor_get_field (editor, "name"), "Ana Souza");
  gtk_editable_set_text (herald_contact_editor_get_field (editor, "email"), "ana@example.com");
  herald_contact_editor_set_attribute (editor, "city", "Recife");
  save_and_wait_closed (editor);

  wait_for_list (page, 1, "Ana Souza");
  stored = herald_store_get_contact (f->store, herald_contact_get_id (ana), NULL);
  g_assert_cmpstr (herald_contact_get_name (stored), ==, "Ana Souza");
  g_assert_cmpstr (herald_contact_get_email (stored), ==, "ana@example.com");
  g_assert_cmpstr (herald_contact_get_attribute (stored, "city"), ==, "Recife");
  g_assert_cmpstr (herald_contact_get_mobile_number (stored), ==, "+5511987654321");
}

static void
test_contact_search (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(HeraldContact) ana = save_contact (f, "Ana Lima", "+5511987654321");
  g_autoptr(HeraldContact) bruno = save_contact (f, "Bruno Reis", "+5511912345678");
  g_autoptr(HeraldContact) carla = save_contact (f, "Carla Dias", "+34612345678");
  HeraldContactsPage *page = show_contacts_page (f);
  GtkWidget *entry = find_widget (GTK_WIDGET (page), is_type, GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));

  g_assert_nonnull (entry);
  wait_for_list (page, 3, "Ana Lima");

  /* As typed, letter by letter. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "b");
  gtk_editable_set_text (GTK_EDITABLE (entry), "br");
  gtk_editable_set_text (GTK_EDITABLE (entry), "bru");
  wait_for_list (page, 1, "Bruno Reis");
  g_assert_cmpstr (herald_contacts_page_get_state (page), ==, "list");

  /* By number too. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "3461");
  wait_for_list (page, 1, "Carla Dias");

  gtk_editable_set_text (GTK_EDITABLE (entry), "nobody here");
  wait_for_list (page, 0, NULL);
  g_assert_cmpstr (herald_contacts_page_get_state (page), ==, "no-results");

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait_for_list (page, 3, "Ana Lima");
}

typedef struct
{
  GtkWidget  *root;
  const char *reason;
} BadgeExpectation;

static gboolean
is_opted_out_badge (GtkWidget     *widget,
                    gconstpointer  reason)
{
  return is_label_with_text (widget, _("Opted out")) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), reason) == 0;
}

static gboolean
badge_shown (gpointer data)
{
  const BadgeExpectation *expected = data;

  return find_widget (expected->root, is_opted_out_badge, expected->reason) != NULL;
}

static void
test_contact_opt_out (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(HeraldContact) ana = save_contact (f, "Ana Lima", "+5511987654321");
  HeraldContactsPage *page = show_contacts_page (f);
  g_autoptr(HeraldContact) shown = g_list_model_get_item (herald_contacts_page_get_model (page), 0);
  HeraldContactEditor *editor = herald_contacts_page_open_editor (page, shown);
  BadgeExpectation expected = { GTK_WIDGET (page), "Asked by phone on Monday" };
  g_autoptr(HeraldContact) stored = NULL;

  g_assert_null (find_widget (GTK_WIDGET (page), is_label_with_text, _("Opted out")));
  herald_contact_editor_set_opted_out (editor, TRUE);
  gtk_editable_set_text (herald_contact_editor_get_field (editor, "opted-out-reason"), expected.reason);
  save_and_wait_closed (editor);

  stored = herald_store_get_contact (f->store, herald_contact_get_id (ana), NULL);
  g_assert_true (herald_contact_get_opted_out (stored));
  g_assert_cmpstr (herald_contact_get_opted_out_reason (stored), ==, expected.reason);
  g_assert_nonnull (herald_contact_get_opted_out_at (stored));

  /* The list shows the badge, the reason on it. */
  herald_test_wait_until (badge_shown, &expected, 10000);
}

/* Dashboard */

static gint64
make_campaign (Fixture    *f,
               const char *phone_number_id,
               gboolean    is_sandbox,
               const char *name)
{
  g_autoptr(HeraldNumber) number = herald_number_new (phone_number_id, is_sandbox ? "+15550000001" : "+15550000002");
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(HeraldCampaignSpec) spec = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;

  herald_number_set_is_sandbox (number, is_sandbox);
  g_assert_true (herald_store_save_number (f->store, number, &error));
  herald_template_set_name (template, is_sandbox ? "sandbox_hello" : "real_hello");
  herald_template_set_language (template, "en");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello there");
  herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
  g_assert_true (herald_store_save_template (f->store, template, &error));

  spec = herald_campaign_spec_new (herald_number_get_id (number), herald_template_get_id (template));
  herald_campaign_spec_set_name (spec, name);
  campaign = herald_campaign_create (f->store, spec, NULL, &error);
  g_assert_no_error (error);
  return herald_campaign_get_id (campaign);
}

static gboolean
dashboard_settled (gpointer data)
{
  return g_strcmp0 (herald_dashboard_page_get_state (data), "loading") != 0 && !herald_page_get_busy (data);
}

static void
test_dashboard_sandbox_badge (Fixture       *f,
                              gconstpointer  data)
{
  HeraldDashboardPage *page;
  GtkWidget *sandbox_row;
  GtkWidget *real_row;

  g_autoptr(HeraldContact) ana = save_contact (f, "Ana Lima", "+5511987654321");
  make_campaign (f, HERALD_SANDBOX_PHONE_NUMBER_ID, TRUE, "Practice run");
  make_campaign (f, "100000000000009", FALSE, "Spring sale");

  page = g_object_new (HERALD_TYPE_DASHBOARD_PAGE, "worker", f->worker, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (page));
  gtk_window_present (f->window);
  herald_test_wait_until (dashboard_settled, page, 10000);
  g_assert_cmpuint (herald_dashboard_page_get_overview (page)->recent_campaigns->len, ==, 2);

  /* The Sandbox's campaign has the badge, the real one none. */
  sandbox_row = row_titled (GTK_WIDGET (page), "Practice run");
  real_row = row_titled (GTK_WIDGET (page), "Spring sale");
  g_assert_cmpuint (count_widgets (sandbox_row, is_sandbox_badge, NULL), ==, 1);
  g_assert_cmpuint (count_widgets (real_row, is_sandbox_badge, NULL), ==, 0);
}

/* Activity */

#define STATUS_WEBHOOK(wamid, status, timestamp) \
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\"," \
  "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\"," \
  "\"metadata\":{\"display_phone_number\":\"15551234567\",\"phone_number_id\":\"1234567890\"}," \
  "\"statuses\":[{\"id\":\"" wamid "\",\"status\":\"" status "\"," \
  "\"timestamp\":\"" timestamp "\",\"recipient_id\":\"5511987654321\"}]}}]}]}"

static void
ingest (Fixture    *f,
        const char *body)
{
  g_autoptr(HeraldStatusApplier) applier = herald_status_applier_new (f->store);
  g_auto(HeraldApplyReport) report = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_status_applier_ingest (applier, (const guint8 *) body, strlen (body), &report, &error));
  g_assert_no_error (error);
}

static gboolean
activity_settled (gpointer data)
{
  return g_strcmp0 (herald_activity_page_get_state (data), "loading") != 0 && !herald_page_get_busy (data);
}

static HeraldActivityPage *
show_activity_page (Fixture *f)
{
  HeraldActivityPage *page = g_object_new (HERALD_TYPE_ACTIVITY_PAGE, "worker", f->worker, NULL);

  gtk_window_set_child (f->window, GTK_WIDGET (page));
  gtk_window_present (f->window);
  herald_test_wait_until (activity_settled, page, 10000);
  return page;
}

static void
test_activity_with_data (Fixture       *f,
                         gconstpointer  data)
{
  HeraldActivityPage *page;
  g_autoptr(GPtrArray) recorded = NULL;
  GListModel *shown;
  guint n_notifications = 0;
  guint n_shown = 0;

  ingest (f, STATUS_WEBHOOK ("wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI", "delivered", "1700000000"));
  ingest (f, STATUS_WEBHOOK ("wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI", "read", "1700000100"));
  ingest (f, "this is not a webhook");
  recorded = herald_activity_event_list (f->store, 0, 100, NULL);
  g_assert_nonnull (recorded);
  g_assert_cmpuint (recorded->len, ==, 5);

  page = show_activity_page (f);
  g_assert_cmpstr (herald_activity_page_get_state (page), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (herald_activity_page_get_model (page)), ==, recorded->len);

  /* Rows shown: the store's events, newest first, each webhook once: its
   * status, the raw notification folded into it; the one that could not be
   * read stays, with its reason. */
  shown = shown_model (GTK_WIDGET (page));
  for (guint i = 0; i < recorded->len; i++)
    {
      HeraldActivityEvent *event = g_ptr_array_index (recorded, i);
      g_autoptr(HeraldActivityEvent) row = NULL;

      if (g_str_equal (herald_activity_event_get_event_type (event), "notification") &&
          herald_activity_event_get_error (event) == NULL)
        {
          n_notifications++;
          continue;
        }
      row = g_list_model_get_item (shown, n_shown++);
      g_assert_nonnull (row);
      g_assert_cmpint (herald_activity_event_get_id (row), ==, herald_activity_event_get_id (event));
    }
  g_assert_cmpuint (n_notifications, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_shown);
  g_assert_cmpuint (n_shown, ==, 3);
  {
    g_autoptr(HeraldActivityEvent) newest = g_list_model_get_item (shown, 0);
    g_autoptr(HeraldActivityEvent) read = g_list_model_get_item (shown, 1);
    g_autoptr(HeraldActivityEvent) delivered = g_list_model_get_item (shown, 2);

    g_assert_cmpstr (herald_activity_event_get_event_type (newest), ==, "notification");
    g_assert_nonnull (herald_activity_event_get_error (newest));
    g_assert_cmpstr (herald_activity_event_get_event_type (read), ==, "message_read");
    g_assert_cmpstr (herald_activity_event_get_event_type (delivered), ==, "message_delivered");
  }
}

static void
test_activity_sandbox_relay (Fixture       *f,
                             gconstpointer  data)
{
  HeraldActivityPage *page = show_activity_page (f);
  g_autoptr(HeraldNumber) number = herald_number_new (HERALD_SANDBOX_PHONE_NUMBER_ID, "+15550000001");

  /* No relay and no Sandbox: the relay is what is missing. */
  g_assert_null (strstr (herald_activity_page_get_relay_text (page), "Sandbox"));

  /* With the Sandbox, its statuses arrive without a relay: the page says so. */
  herald_number_set_is_sandbox (number, TRUE);
  g_assert_true (herald_store_save_number (f->store, number, NULL));
  show_again (GTK_WIDGET (page));
  herald_test_wait_until (activity_settled, page, 10000);
  g_assert_nonnull (strstr (herald_activity_page_get_relay_text (page), "Sandbox"));
  g_assert_nonnull (strstr (herald_activity_page_get_relay_text (page), "inside Herald"));
}

#define NUMBER_WEBHOOK(account, number, wamid, status) \
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" account "\"," \
  "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\"," \
  "\"metadata\":{\"display_phone_number\":\"15550100000\",\"phone_number_id\":\"" number "\"}," \
  "\"statuses\":[{\"id\":\"" wamid "\",\"status\":\"" status "\"," \
  "\"timestamp\":\"1700000000\",\"recipient_id\":\"5511987654321\"}]}}]}]}"

/* What the in-app sim sends when it approves a template. */
#define SANDBOX_TEMPLATE_WEBHOOK \
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" HERALD_SANDBOX_WABA_ID "\"," \
  "\"time\":1700000000,\"changes\":[{\"field\":\"message_template_status_update\",\"value\":{" \
  "\"event\":\"APPROVED\",\"message_template_id\":1000000000000001," \
  "\"message_template_name\":\"sandbox_welcome\",\"message_template_language\":\"en_US\"," \
  "\"reason\":\"NONE\"}}]}]}"

static void
save_number (Fixture    *f,
             const char *phone_number_id,
             gboolean    is_sandbox)
{
  g_autoptr(HeraldNumber) number = herald_number_new (phone_number_id, "+15550100000");
  g_autoptr(GError) error = NULL;

  herald_number_set_is_sandbox (number, is_sandbox);
  g_assert_true (herald_store_save_number (f->store, number, &error));
  g_assert_no_error (error);
}

static gboolean
is_shown_sandbox_badge (GtkWidget     *widget,
                        gconstpointer  data)
{
  return is_sandbox_badge (widget, data) && gtk_widget_get_visible (widget);
}

/* The row of the Activity list whose title is @title (one only). */
static GtkWidget *
activity_row_titled (GtkWidget  *page,
                     const char *title)
{
  GtkWidget *view = find_widget (page, is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW));
  GtkWidget *label;

  g_assert_cmpuint (count_widgets (view, is_label_with_text, title), ==, 1);
  label = find_widget (view, is_label_with_text, title);
  /* title, in its line, in the labels' box, in the row's box. */
  return gtk_widget_get_parent (gtk_widget_get_parent (gtk_widget_get_parent (label)));
}

static void
test_activity_sandbox_badge (Fixture       *f,
                             gconstpointer  data)
{
  HeraldActivityPage *page;
  GListModel *shown;

  save_number (f, HERALD_SANDBOX_PHONE_NUMBER_ID, TRUE);
  save_number (f, "106540352242922", FALSE);
  ingest (f, NUMBER_WEBHOOK ("102290129340398", "106540352242922", "wamid.REAL", "read"));
  ingest (f, NUMBER_WEBHOOK (HERALD_SANDBOX_WABA_ID, HERALD_SANDBOX_PHONE_NUMBER_ID, "wamid.SANDBOX", "delivered"));
  ingest (f, SANDBOX_TEMPLATE_WEBHOOK);

  page = show_activity_page (f);
  shown = shown_model (GTK_WIDGET (page));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 3);

  /* The Sandbox's status and template update carry the badge (the latter
   * by the Sandbox's own business account, HERALD_SANDBOX_WABA_ID); the
   * real number's status none. */
  g_assert_cmpuint (count_widgets (activity_row_titled (GTK_WIDGET (page), "Delivered"),
                                   is_shown_sandbox_badge, NULL), ==, 1);
  g_assert_cmpuint (count_widgets (activity_row_titled (GTK_WIDGET (page), "Template status changed"),
                                   is_shown_sandbox_badge, NULL), ==, 1);
  g_assert_cmpuint (count_widgets (activity_row_titled (GTK_WIDGET (page), "Read"),
                                   is_shown_sandbox_badge, NULL), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(HeraldActivityEvent) event = g_list_model_get_item (shown, i);

      g_assert_cmpint (herald_activity_event_get_is_sandbox (event), ==,
                       !g_str_equal (herald_activity_event_get_event_type (event), "message_read"));
    }
}

/* The event window the page opened, once it is there. */
static GtkWindow *
find_event_window (Fixture *f)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_WINDOW (window) && gtk_window_get_transient_for (window) == f->window)
        return window;
    }
  return NULL;
}

static gboolean
text_view_filled (gpointer data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (data);

  return gtk_text_buffer_get_char_count (buffer) > 0;
}

static gboolean
window_gone (gpointer data)
{
  return find_event_window (data) == NULL;
}

static void
test_activity_event_details (Fixture       *f,
                             gconstpointer  data)
{
  const char *body = NUMBER_WEBHOOK ("102290129340398", "106540352242922", "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI",
                                     "delivered");
  HeraldActivityPage *page;
  GtkWidget *view;
  GtkWindow *window;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autofree char *update_payload = NULL;
  g_autoptr(JsonParser) shown_parser = json_parser_new ();
  g_autoptr(JsonParser) stored_parser = json_parser_new ();
  g_autoptr(HeraldActivityEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  GtkShortcutAction *close = NULL;
  g_autoptr(GtkShortcutTrigger) escape = gtk_keyval_trigger_new (GDK_KEY_Escape, 0);
  g_autoptr(GListModel) controllers = NULL;
  int min_width;

  save_number (f, "106540352242922", FALSE);
  ingest (f, body);
  page = show_activity_page (f);

  /* A click on the status (its notification folded into it) opens it. */
  event = g_list_model_get_item (shown_model (GTK_WIDGET (page)), 0);
  g_assert_cmpstr (herald_activity_event_get_event_type (event), ==, "message_delivered");
  g_assert_null (find_event_window (f));
  g_signal_emit_by_name (find_widget (GTK_WIDGET (page), is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW)),
                         "activate", 0);
  window = find_event_window (f);
  g_assert_nonnull (window);

  /* Its details, the Sandbox's mark not among them. */
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "Delivered (message_delivered)"));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI"));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "106540352242922"));
  g_assert_cmpuint (count_widgets (GTK_WIDGET (window), is_sandbox_badge, NULL), ==, 0);

  /* The payload, read on the worker, pretty-printed, monospace, read-only. */
  view = find_widget (GTK_WIDGET (window), is_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW));
  g_assert_nonnull (view);
  herald_test_wait_until (text_view_filled, view, 10000);
  g_assert_true (gtk_text_view_get_monospace (GTK_TEXT_VIEW (view)));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (view)));
  g_assert_true (GTK_IS_SCROLLED_WINDOW (gtk_widget_get_parent (view)));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), &start, &end);
  text = gtk_text_iter_get_text (&start, &end);
  g_assert_true (g_str_has_prefix (text, "{\n  \"object\" : \"whatsapp_business_account\",\n"));
  g_assert_nonnull (strstr (text, "\"phone_number_id\" : \"106540352242922\""));
  /* One member a line, each level indented further. */
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), >, 20);
  }
  g_assert_nonnull (strstr (text, "\n      \"changes\" : [\n        {\n"));
  /* The same JSON as recorded for this event. */
  update_payload = herald_activity_event_load_payload (f->store, herald_activity_event_get_id (event), &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (shown_parser, text, -1, &error));
  g_assert_true (json_parser_load_from_data (stored_parser, update_payload, -1, &error));
  g_assert_no_error (error);
  g_assert_true (json_node_equal (json_parser_get_root (shown_parser), json_parser_get_root (stored_parser)));

  /* Usable on a phone. */
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);

  /* Escape closes it. */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; close == NULL && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; close == NULL && j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), escape))
            close = gtk_shortcut_get_action (shortcut);
        }
    }
  g_assert_nonnull (close);
  g_assert_true (gtk_shortcut_action_activate (close, 0, GTK_WIDGET (window), NULL));
  herald_test_wait_until (window_gone, f, 10000);
}

/* The Sandbox's event says where it came from in its details too. */
static void
test_activity_sandbox_details (Fixture       *f,
                               gconstpointer  data)
{
  HeraldActivityPage *page;
  GtkWindow *window;
  GtkWidget *view;

  save_number (f, HERALD_SANDBOX_PHONE_NUMBER_ID, TRUE);
  ingest (f, NUMBER_WEBHOOK (HERALD_SANDBOX_WABA_ID, HERALD_SANDBOX_PHONE_NUMBER_ID, "wamid.SANDBOX", "read"));
  page = show_activity_page (f);
  g_signal_emit_by_name (find_widget (GTK_WIDGET (page), is_type, GSIZE_TO_POINTER (GTK_TYPE_LIST_VIEW)),
                         "activate", 0);
  window = find_event_window (f);
  g_assert_nonnull (window);
  g_assert_cmpuint (count_widgets (GTK_WIDGET (window), is_sandbox_badge, NULL), ==, 1);
  view = find_widget (GTK_WIDGET (window), is_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW));
  herald_test_wait_until (text_view_filled, view, 10000);
  gtk_window_destroy (window);
}

/* Templates */

static gboolean
templates_loaded (gpointer data)
{
  return g_list_model_get_n_items (herald_templates_page_get_templates (data)) > 0 && !herald_page_get_busy (data);
}

static void
test_templates_with_data (Fixture       *f,
                          gconstpointer  data)
{
  static const struct { const char *name; HeraldTemplateStatus status; } templates[] = {
    { "order_ready", HERALD_TEMPLATE_APPROVED },
    { "spring_sale", HERALD_TEMPLATE_DRAFT },
    { "appointment_reminder", HERALD_TEMPLATE_REJECTED },
  };
  g_autoptr(GPtrArray) stored = NULL;
  GtkWidget *page;
  GListModel *model;

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autoptr(HeraldTemplate) template = herald_template_new ();

      herald_template_set_name (template, templates[i].name);
      herald_template_set_language (template, "en");
      herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
      g_autoptr(GError) error = NULL;

      herald_template_set_body (template, "Your order is ready for pickup.");
      herald_template_set_status (template, templates[i].status);
      herald_store_save_template (f->store, template, &error);
      g_assert_no_error (error);
    }
  stored = herald_store_list_templates (f->store, FALSE, NULL);
  g_assert_cmpuint (stored->len, ==, G_N_ELEMENTS (templates));

  page = herald_templates_page_new (f->worker);
  gtk_window_set_child (f->window, page);
  gtk_window_present (f->window);
  herald_test_wait_until (templates_loaded, page, 10000);

  model = herald_templates_page_get_templates (HERALD_TEMPLATES_PAGE (page));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, stored->len);
  for (guint i = 0; i < stored->len; i++)
    {
      HeraldTemplate *template = g_ptr_array_index (stored, i);
      gboolean found = FALSE;

      for (guint j = 0; j < g_list_model_get_n_items (model); j++)
        {
          g_autoptr(HeraldTemplate) item = g_list_model_get_item (model, j);

          found |= herald_template_get_id (item) == herald_template_get_id (template) &&
                   g_strcmp0 (herald_template_get_name (item), herald_template_get_name (template)) == 0 &&
                   herald_template_get_status (item) == herald_template_get_status (template);
        }
      g_assert_true (found);
    }
  /* Each is on screen, with its status badge. */
  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      const char *label = herald_templates_page_status_label (templates[i].status, NULL);

      g_assert_nonnull (find_widget (page, is_label_with_text, templates[i].name));
      g_assert_nonnull (find_widget (page, is_label_with_text, label));
    }
}

/* Preferences: the business profile */

static gboolean
rows_filled (gpointer data)
{
  return gtk_editable_get_text (GTK_EDITABLE (row_titled (data, "Business name")))[0] != '\0';
}

static gboolean
profile_saved (gpointer data)
{
  Fixture *f = data;
  g_autoptr(HeraldBusinessProfile) profile = herald_store_get_business_profile (f->store, NULL);

  return profile != NULL;
}

static HeraldPreferencesWindow *
open_preferences (Fixture   *f,
                  GSettings *settings)
{
  HeraldPreferencesWindow *window = herald_preferences_window_new (f->worker, settings);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_preferences_profile (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  HeraldPreferencesWindow *window = open_preferences (f, settings);
  GtkWidget *name = row_titled (GTK_WIDGET (window), "Business name");
  GtkWidget *waba = row_titled (GTK_WIDGET (window), "WhatsApp Business Account ID");
  GtkWidget *app = row_titled (GTK_WIDGET (window), "Meta app ID");
  GtkWidget *save = button_labelled (GTK_WIDGET (window), "_Save Profile");
  g_autoptr(HeraldBusinessProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  /* A blank name: marked on its field, nothing saved. */
  gtk_editable_set_text (GTK_EDITABLE (name), "   ");
  gtk_editable_set_text (GTK_EDITABLE (waba), "102290129340398");
  g_assert_true (gtk_widget_get_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (herald_ui_has_field_error (name));
  g_assert_true (gtk_widget_has_css_class (name, "error"));
  profile = herald_store_get_business_profile (f->store, &error);
  g_assert_null (profile);
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND);

  /* Good input is saved… */
  gtk_editable_set_text (GTK_EDITABLE (name), "Padaria Lima");
  g_assert_false (herald_ui_has_field_error (name));
  gtk_editable_set_text (GTK_EDITABLE (app), "987654321");
  g_signal_emit_by_name (save, "clicked");
  herald_test_wait_until (profile_saved, f, 10000);
  profile = herald_store_get_business_profile (f->store, NULL);
  g_assert_cmpstr (herald_business_profile_get_business_name (profile), ==, "Padaria Lima");
  g_assert_cmpstr (herald_business_profile_get_whatsapp_business_id (profile), ==, "102290129340398");
  g_assert_cmpstr (herald_business_profile_get_app_id (profile), ==, "987654321");
  gtk_window_destroy (GTK_WINDOW (window));

  /* …and shown again once Preferences are opened again. */
  window = open_preferences (f, settings);
  herald_test_wait_until (rows_filled, window, 10000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row_titled (GTK_WIDGET (window), "Business name"))), ==,
                   "Padaria Lima");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row_titled (GTK_WIDGET (window), "WhatsApp Business Account ID"))),
                   ==, "102290129340398");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row_titled (GTK_WIDGET (window), "Meta app ID"))), ==,
                   "987654321");
  g_assert_false (gtk_widget_get_sensitive (button_labelled (GTK_WIDGET (window), "_Save Profile")));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!herald_ui_test_init (&argc, &argv))
    return 77;

#define ADD(path, func) \
  g_test_add ("/herald/ui-forms/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("contacts-refresh", test_contacts_refresh);
  ADD ("contact-live-checks", test_contact_live_checks);
  ADD ("contact-empty-name", test_contact_empty_name);
  ADD ("contact-edit", test_contact_edit);
  ADD ("contact-search", test_contact_search);
  ADD ("contact-opt-out", test_contact_opt_out);
  ADD ("dashboard-sandbox-badge", test_dashboard_sandbox_badge);
  ADD ("activity-with-data", test_activity_with_data);
  ADD ("activity-sandbox-relay", test_activity_sandbox_relay);
  ADD ("activity-sandbox-badge", test_activity_sandbox_badge);
  ADD ("activity-event-details", test_activity_event_details);
  ADD ("activity-sandbox-details", test_activity_sandbox_details);
  ADD ("templates-with-data", test_templates_with_data);
  ADD ("preferences-profile", test_preferences_profile);
#undef ADD

  return g_test_run ();
}
