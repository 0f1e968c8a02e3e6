/* test-window.c: the application starts, shows its window and quits cleanly;
 * the window keeps its size and page; the dashboard and activity pages
 *
 * open empty and with data
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "herald-activity-page.h"
#include "herald-application.h"
#include "herald-campaign.h"
#include "herald-dashboard-page.h"
#include "herald-status-applier.h"
#include "herald-test-utils.h"
#include "herald-ui-test-utils.h"
#include "herald-activity-event.h"
#include "herald-window.h"

static gboolean
window_is_mapped (gpointer data)
{
  GtkApplication *app = data;
  GtkWindow *window = gtk_application_get_active_window (app);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static void
on_activate_check_window (GApplication *app,
                          gpointer      user_data)
{
  GtkWindow **saw_window = user_data;
  GtkWindow *window;

  g_object_set_data (G_OBJECT (app), "activate-ran", GINT_TO_POINTER (TRUE));

  herald_test_wait_until (window_is_mapped, app, 10000);

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (HERALD_IS_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  *saw_window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) saw_window);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
test_window_start_show_quit (void)
{
  g_autoptr(HeraldApplication) app = NULL;
  GtkWindow *saw_window = NULL;
  int status;

  app = herald_application_new ();
  /* Run after the default handler, which creates and presents the window. */
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate_check_window), &saw_window);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);

  status = g_application_run (G_APPLICATION (app), 0, NULL);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (app), "activate-ran")));
  /* Quit closes the window (saving its state) and leaves no reference cycle
   * behind: the window is gone. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (saw_window);
}

/* A window without the application, on a fresh database of its own. */
static HeraldWindow *
new_window (const char *db_name)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *db_path = g_build_filename (dir, db_name, NULL);
  HeraldWindow *window;

  g_setenv ("HERALD_DB", db_path, TRUE);
  window = herald_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  HeraldWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 700);
  g_settings_set_int (settings, "window-height", 500);
  g_settings_set_string (settings, "last-page", "numbers");

  window = new_window ("state.db");
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);
  g_assert_cmpstr (herald_window_get_page_name (window), ==, "numbers");

  /* A page name from an older version falls back to the dashboard. */
  herald_window_show_page (window, "no-such-page");
  g_assert_cmpstr (herald_window_get_page_name (window), ==, "numbers");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "activity"));
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 610);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);
  g_assert_cmpstr (g_settings_get_string (settings, "last-page"), ==, "activity");

  g_settings_set_string (settings, "last-page", "gone");
  window = new_window ("state-2.db");
  g_assert_cmpstr (herald_window_get_page_name (window), ==, "dashboard");
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "last-page");
}

static gboolean
dashboard_settled (gpointer data)
{
  HeraldDashboardPage *page = data;

  return !herald_page_get_busy (HERALD_PAGE (page)) &&
         g_strcmp0 (herald_dashboard_page_get_state (page), "loading") != 0;
}

static gboolean
activity_settled (gpointer data)
{
  HeraldActivityPage *page = data;

  return !herald_page_get_busy (HERALD_PAGE (page)) &&
         g_strcmp0 (herald_activity_page_get_state (page), "loading") != 0;
}

static void
test_pages_empty (void)
{
  HeraldWindow *window = new_window ("empty.db");
  HeraldDashboardPage *dashboard = HERALD_DASHBOARD_PAGE (herald_window_get_page (window, "dashboard"));
  HeraldActivityPage *activity = HERALD_ACTIVITY_PAGE (herald_window_get_page (window, "activity"));
  const HeraldOverview *overview;

  herald_window_show_page (window, "dashboard");
  herald_test_wait_until (widget_is_mapped, dashboard, 10000);
  herald_test_wait_until (dashboard_settled, dashboard, 10000);
  g_assert_cmpstr (herald_dashboard_page_get_state (dashboard), ==, "empty");
  overview = herald_dashboard_page_get_overview (dashboard);
  g_assert_cmpint (overview->n_contacts, ==, 0);
  g_assert_cmpint (overview->n_numbers, ==, 0);
  g_assert_cmpuint (overview->recent_campaigns->len, ==, 0);

  herald_window_show_page (window, "activity");
  herald_test_wait_until (widget_is_mapped, activity, 10000);
  herald_test_wait_until (activity_settled, activity, 10000);
  g_assert_cmpstr (herald_activity_page_get_state (activity), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (herald_activity_page_get_model (activity)), ==, 0);
  /* No relay set up: the page says what to do. */
  g_assert_nonnull (strstr (herald_activity_page_get_relay_text (activity), "Preferences"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static const char status_webhook[] =
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\","
  "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
  "\"metadata\":{\"display_phone_number\":\"15551234567\",\"phone_number_id\":\"1234567890\"},"
  "\"statuses\":[{\"id\":\"wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI\",\"status\":\"delivered\","
  "\"timestamp\":\"1700000000\",\"recipient_id\":\"5511987654321\"}]}}]}]}";

static void
fill_database (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldStore) store = herald_store_new (db_path, &error);
  g_autoptr(HeraldContact) contact = herald_contact_new ("Ana Lima", "+5511987654321");
  g_autoptr(HeraldNumber) number = herald_number_new ("1234567890", "+15551234567");
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(HeraldCampaignSpec) spec = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(HeraldStatusApplier) applier = NULL;
  g_auto(HeraldApplyReport) report = { 0 };

  g_assert_no_error (error);
  g_assert_true (herald_store_save_contact (store, contact, &error));
  g_assert_true (herald_store_save_number (store, number, &error));
  herald_template_set_name (template, "spring_sale");
  herald_template_set_language (template, "en");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_MARKETING);
  herald_template_set_body (template, "Spring sale starts today!");
  herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
  g_assert_true (herald_store_save_template (store, template, &error));
  g_assert_no_error (error);

  spec = herald_campaign_spec_new (herald_number_get_id (number), herald_template_get_id (template));
  herald_campaign_spec_set_name (spec, "Spring sale");
  campaign = herald_campaign_create (store, spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (campaign);

  applier = herald_status_applier_new (store);
  g_assert_true (herald_status_applier_ingest (applier, (const guint8 *) status_webhook,
                                               strlen (status_webhook), &report, &error));
  g_assert_no_error (error);
}

static void
test_pages_with_data (void)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *db_path = g_build_filename (dir, "data.db", NULL);
  HeraldWindow *window;
  HeraldDashboardPage *dashboard;
  HeraldActivityPage *activity;
  const HeraldOverview *overview;
  HeraldCampaign *campaign;
  g_autoptr(HeraldActivityEvent) newest = NULL;

  fill_database (db_path);
  g_setenv ("HERALD_DB", db_path, TRUE);
  window = herald_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  dashboard = HERALD_DASHBOARD_PAGE (herald_window_get_page (window, "dashboard"));
  activity = HERALD_ACTIVITY_PAGE (herald_window_get_page (window, "activity"));

  herald_window_show_page (window, "dashboard");
  herald_test_wait_until (widget_is_mapped, dashboard, 10000);
  herald_test_wait_until (dashboard_settled, dashboard, 10000);
  g_assert_cmpstr (herald_dashboard_page_get_state (dashboard), ==, "overview");
  overview = herald_dashboard_page_get_overview (dashboard);
  g_assert_cmpint (overview->n_contacts, ==, 1);
  g_assert_cmpint (overview->n_approved_templates, ==, 1);
  g_assert_cmpint (overview->n_numbers, ==, 1);
  g_assert_cmpint (overview->n_campaigns, ==, 1);
  g_assert_cmpuint (overview->recent_campaigns->len, ==, 1);
  campaign = g_ptr_array_index (overview->recent_campaigns, 0);
  g_assert_cmpstr (herald_campaign_get_name (campaign), ==, "Spring sale");
  g_assert_cmpint (herald_campaign_get_total_messages (campaign), ==, 1);

  /* The checklist row leads to its page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dashboard), "win.show-page", "s", "contacts"));
  g_assert_cmpstr (herald_window_get_page_name (window), ==, "contacts");

  herald_window_show_page (window, "activity");
  herald_test_wait_until (widget_is_mapped, activity, 10000);
  herald_test_wait_until (activity_settled, activity, 10000);
  g_assert_cmpstr (herald_activity_page_get_state (activity), ==, "list");
  /* The payload as received, and the status in it (kept: no such message). */
  g_assert_cmpuint (g_list_model_get_n_items (herald_activity_page_get_model (activity)), ==, 2);
  newest = g_list_model_get_item (herald_activity_page_get_model (activity), 0);
  g_assert_cmpstr (herald_activity_event_get_event_type (newest), ==, "message_delivered");
  g_assert_cmpstr (herald_activity_event_get_wa_message_id (newest), ==, "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI");
  g_assert_false (herald_activity_event_get_processed (newest));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!herald_ui_test_init (&argc, &argv))
    return 77;

  g_test_add_func ("/herald/window/start-show-quit", test_window_start_show_quit);
  g_test_add_func ("/herald/window/state", test_window_state);
  g_test_add_func ("/herald/window/pages-empty", test_pages_empty);
  g_test_add_func ("/herald/window/pages-with-data", test_pages_with_data);

  return g_test_run ();
}
