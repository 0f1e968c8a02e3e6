/* test-ui-campaigns.c: the campaigns page, the new-campaign flow, a Sandbox
 * campaign run to the end, and the message log over a million rows
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "herald-campaign.h"
#include "herald-campaigns-page.h"
#include "herald-message-log.h"
#include "herald-message-log-model.h"
#include "herald-sandbox.h"
#include "herald-test-utils.h"

typedef struct
{
  char              *dir;
  char              *db_path;
  HeraldStoreWorker *worker;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = herald_test_tmp_dir ();
  fixture->db_path = g_build_filename (fixture->dir, "herald.db", NULL);
  fixture->worker = herald_store_worker_new (fixture->db_path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->worker);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static GtkWindow *
present (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());

  gtk_window_set_default_size (window, 800, 600);
  adw_window_set_content (ADW_WINDOW (window), child);
  gtk_window_present (window);
  return window;
}

static gboolean
page_settled (gpointer data)
{
  const char *state = herald_campaigns_page_get_state (data);

  return g_strcmp0 (state, "loading") != 0;
}

/* One number, one approved template with {{1}}, @n_contacts contacts, and a
 * campaign to all of them; returns its id. */
static gint64
make_campaign (HeraldStore *store,
               guint        n_contacts,
               gint64      *contact_id)
{
  g_autoptr(HeraldNumber) number = herald_number_new ("123456789", "+15550100000");
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(HeraldCampaignSpec) spec = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(HeraldCampaignReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_store_save_number (store, number, &error));
  herald_template_set_name (template, "order_ready");
  herald_template_set_language (template, "en");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello {{1}}, your order is ready.");
  herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
  g_assert_true (herald_store_save_template (store, template, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n_contacts; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1555020%04u", i);
      g_autofree char *name = g_strdup_printf ("Customer %u", i);
      g_autoptr(HeraldContact) contact = herald_contact_new (name, phone);
      gboolean created;

      g_assert_true (herald_store_upsert_contact (store, contact, &created, &error));
      if (contact_id != NULL)
        *contact_id = herald_contact_get_id (contact);
    }
  spec = herald_campaign_spec_new (herald_number_get_id (number), herald_template_get_id (template));
  herald_campaign_spec_set_name (spec, "Orders");
  g_assert_true (herald_campaign_spec_bind (spec, "1", "name", &error));
  campaign = herald_campaign_create (store, spec, &report, &error);
  g_assert_no_error (error);
  return herald_campaign_get_id (campaign);
}

static void
test_page_empty (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *page = g_object_new (HERALD_TYPE_CAMPAIGNS_PAGE, "worker", fixture->worker, NULL);
  GtkWindow *window = present (page);

  herald_test_wait_until (page_settled, page, 10000);
  g_assert_cmpstr (herald_campaigns_page_get_state (HERALD_CAMPAIGNS_PAGE (page)), ==, "empty");
  g_assert_cmpuint (herald_campaigns_page_get_n_campaigns (HERALD_CAMPAIGNS_PAGE (page)), ==, 0);
  gtk_window_destroy (window);
}

static void
test_page_with_data (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(HeraldStore) store = herald_store_new (fixture->db_path, NULL);
  GtkWidget *page;
  GtkWindow *window;
  HeraldCampaignView *view;
  gint64 id;

  id = make_campaign (store, 3, NULL);
  page = g_object_new (HERALD_TYPE_CAMPAIGNS_PAGE, "worker", fixture->worker, NULL);
  window = present (page);
  herald_test_wait_until (page_settled, page, 10000);
  g_assert_cmpstr (herald_campaigns_page_get_state (HERALD_CAMPAIGNS_PAGE (page)), ==, "list");
  g_assert_cmpuint (herald_campaigns_page_get_n_campaigns (HERALD_CAMPAIGNS_PAGE (page)), ==, 1);

  view = herald_campaigns_page_show_campaign (HERALD_CAMPAIGNS_PAGE (page), id);
  g_assert_cmpstr (herald_campaigns_page_get_state (HERALD_CAMPAIGNS_PAGE (page)), ==, "campaign");
  g_assert_cmpint (herald_campaign_view_get_campaign_id (view), ==, id);
  gtk_window_destroy (window);
}

/* A Sandbox campaign, through the wizard, runs to the end */

typedef struct
{
  HeraldCampaignWizard *wizard;
  gint64                created;
  gboolean              finished;
} RunState;

static gboolean
wizard_ready (gpointer data)
{
  return !herald_campaign_wizard_get_busy (data);
}

static gboolean
sandbox_set_up (gpointer data)
{
  return *(gint64 *) data != 0;
}

static void
on_set_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(gint64 *) user_data = herald_sandbox_set_up_finish (HERALD_SANDBOX (source), result, &error);
  g_assert_no_error (error);
}

static void
on_created_cb (HeraldCampaignWizard *wizard,
               gint64                id,
               RunState             *state)
{
  state->created = id;
}

static gboolean
run_finished (gpointer data)
{
  return ((RunState *) data)->finished;
}

static void
on_finished_cb (HeraldCampaignView *view,
                int                 status,
                RunState           *state)
{
  g_assert_cmpint (status, ==, HERALD_CAMPAIGN_COMPLETED);
  state->finished = TRUE;
}

static gboolean
sim_idle (gpointer data)
{
  HeraldSandbox *sandbox = data;
  g_autoptr(JsonNode) stats = herald_sandbox_get_stats (sandbox);
  JsonObject *object = json_node_get_object (stats);

  return json_object_get_int_member (object, "webhooks_pending") == 0;
}

static gboolean
view_loaded (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_loaded_cb (HeraldCampaignView *view,
              gboolean           *loaded)
{
  *loaded = TRUE;
}

static gint64
label_value (HeraldCampaignView *view,
             const char         *counter)
{
  return g_ascii_strtoll (gtk_label_get_text (herald_campaign_view_get_counter_label (view, counter)), NULL, 10);
}

static gint64
count_logs (HeraldStore *store,
            gint64       campaign_id,
            int          status)
{
  HeraldMessageLogFilter filter = { campaign_id, status, NULL };

  return herald_message_log_count (store, &filter, NULL);
}

static void
test_sandbox_campaign (Fixture       *fixture,
                       gconstpointer  data)
{
  HeraldSandbox *sandbox = herald_sandbox_get_for_worker (fixture->worker);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page;
  GtkWindow *window;
  HeraldCampaignView *view;
  RunState state = { 0 };
  gint64 number_id = 0;
  gboolean loaded = FALSE;

  /* Fifty contacts, then the Sandbox adds its number and sample template. */
  store = herald_store_new (fixture->db_path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1555030%04u", i);
      g_autoptr(HeraldContact) contact = herald_contact_new ("Customer", phone);
      gboolean created;

      g_assert_true (herald_store_upsert_contact (store, contact, &created, &error));
    }
  herald_sandbox_set_up_async (sandbox, NULL, on_set_up_cb, &number_id);
  herald_test_wait_until (sandbox_set_up, &number_id, 10000);
  g_assert_true (herald_sandbox_get_running (sandbox));
  g_assert_true (g_str_has_prefix (herald_sandbox_get_api_base (sandbox), "http://127.0.0.1:"));

  page = g_object_new (HERALD_TYPE_CAMPAIGNS_PAGE, "worker", fixture->worker, NULL);
  window = present (page);
  herald_test_wait_until (page_settled, page, 10000);

  /* number → template → audience → variables → pre-flight → send */
  state.wizard = herald_campaigns_page_open_wizard (HERALD_CAMPAIGNS_PAGE (page));
  g_signal_connect (state.wizard, "created", G_CALLBACK (on_created_cb), &state);
  herald_test_wait_until (wizard_ready, state.wizard, 10000);
  g_assert_cmpstr (herald_campaign_wizard_get_step (state.wizard), ==, "number");
  g_assert_true (herald_campaign_wizard_select_number (state.wizard, number_id));
  herald_campaign_wizard_go_next (state.wizard);
  g_assert_cmpstr (herald_campaign_wizard_get_step (state.wizard), ==, "template");
  g_assert_true (herald_campaign_wizard_can_go_next (state.wizard));
  herald_campaign_wizard_go_next (state.wizard);
  g_assert_cmpstr (herald_campaign_wizard_get_step (state.wizard), ==, "audience");
  herald_campaign_wizard_go_next (state.wizard);
  g_assert_cmpstr (herald_campaign_wizard_get_step (state.wizard), ==, "variables");
  herald_campaign_wizard_go_next (state.wizard);
  g_assert_cmpstr (herald_campaign_wizard_get_step (state.wizard), ==, "preflight");
  herald_test_wait_until (wizard_ready, state.wizard, 10000);
  g_assert_cmpint (herald_campaign_wizard_get_campaign_id (state.wizard), >, 0);
  g_assert_true (g_str_has_prefix (herald_campaign_wizard_get_preflight_summary (state.wizard), "50 messages"));
  herald_campaign_wizard_go_next (state.wizard);
  g_assert_cmpint (state.created, >, 0);

  /* The dashboard runs it to the end. */
  g_assert_cmpstr (herald_campaigns_page_get_state (HERALD_CAMPAIGNS_PAGE (page)), ==, "campaign");
  view = herald_campaigns_page_show_campaign (HERALD_CAMPAIGNS_PAGE (page), state.created);
  g_signal_connect (view, "finished", G_CALLBACK (on_finished_cb), &state);
  g_signal_connect (view, "loaded", G_CALLBACK (on_loaded_cb), &loaded);
  herald_test_wait_until (run_finished, &state, 60000);

  /* Statuses come after the sends; once the sim has nothing left to post,
   * the counters shown equal the store's. */
  herald_test_wait_until (sim_idle, sandbox, 30000);
  loaded = FALSE;
  herald_campaign_view_reload (view);
  herald_test_wait_until (view_loaded, &loaded, 10000);

  campaign = herald_campaign_load (store, state.created, &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_campaign_get_total_messages (campaign), ==, 50);
  g_assert_cmpint (herald_campaign_get_status (campaign), ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (label_value (view, "sent"), ==, herald_campaign_get_sent_count (campaign));
  g_assert_cmpint (label_value (view, "delivered"), ==, herald_campaign_get_delivered_count (campaign));
  g_assert_cmpint (label_value (view, "read"), ==, herald_campaign_get_read_count (campaign));
  g_assert_cmpint (label_value (view, "failed"), ==, herald_campaign_get_failed_count (campaign));
  g_assert_cmpint (label_value (view, "failed"), ==, count_logs (store, state.created, HERALD_MESSAGE_FAILED));
  g_assert_cmpint (label_value (view, "read"), ==, count_logs (store, state.created, HERALD_MESSAGE_READ));
  g_assert_cmpint (label_value (view, "sent") + label_value (view, "failed"), >=, 50);
  g_assert_cmpint (count_logs (store, state.created, -1), ==, 50);

  gtk_window_destroy (window);
}

/* The log model over a million rows */

static gboolean
model_ready (gpointer data)
{
  return !herald_message_log_model_get_loading (data) && g_list_model_get_n_items (data) > 0;
}

static gboolean
fetches_done (gpointer data)
{
  return herald_message_log_model_get_n_fetching (data) == 0;
}

static gsize
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + 6, NULL, 10);
}

static void
test_log_million (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(HeraldStore) store = herald_store_new (fixture->db_path, NULL);
  g_autoptr(HeraldMessageLogModel) model = NULL;
  g_autoptr(GError) error = NULL;
  const guint n = 1000000;
  const guint positions[] = { 0, 1, 199, 200, 500000, 999999, 1000000 };
  gint64 contact_id = 0;
  gint64 id;
  gsize rss_before;

  id = make_campaign (store, 1, &contact_id);
  g_assert_true (herald_message_log_generate (store, id, contact_id, n, 0, &error));
  g_assert_no_error (error);
  rss_before = rss_kib ();

  model = herald_message_log_model_new (fixture->worker, id);
  herald_test_wait_until (model_ready, model, 60000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n + 1);

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autoptr(HeraldMessageLogRow) row = g_list_model_get_item (G_LIST_MODEL (model), positions[i]);

      herald_test_wait_until (fetches_done, model, 10000);
      g_assert_true (herald_message_log_row_get_loaded (row));
      if (positions[i] > 0)
        {
          g_autofree char *expected = g_strdup_printf ("+1555%07u", positions[i] - 1);

          g_assert_cmpstr (herald_message_log_row_get_mobile_number (row), ==, expected);
        }
    }

  /* Scroll through: every 1000th row; the cache stays bounded. */
  for (guint p = 0; p < n; p += 997)
    g_clear_object (&(GObject *) { g_list_model_get_item (G_LIST_MODEL (model), p) });
  herald_test_wait_until (fetches_done, model, 60000);
  g_assert_cmpuint (herald_message_log_model_get_n_cached_rows (model), <=,
                    herald_message_log_model_get_max_pages (model) * HERALD_MESSAGE_LOG_MODEL_PAGE_SIZE);

  /* A filter: one in twenty is FAILED. */
  herald_message_log_model_set_status_filter (model, HERALD_MESSAGE_FAILED);
  herald_test_wait_until (model_ready, model, 60000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n / 20);

  /* The model's own memory: the page index (8 bytes a page) and twelve
   * pages of small rows, well under 16 MiB; SQLite's page cache is 2 MiB. */
  g_assert_cmpuint (rss_kib () - MIN (rss_kib (), rss_before), <, 16 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  /* ISOLATE_DIRS also hides the system data dirs, where the icon theme and
   * the MIME database (which GdkPixbuf needs to load SVG icons) live. */
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", data_dirs ? data_dirs : "/usr/local/share:/usr/share", TRUE);

  if (!gtk_init_check ())
    {
      g_test_message ("no display");
      return 77;
    }
  adw_init ();

  g_test_add ("/herald/ui-campaigns/page-empty", Fixture, NULL, fixture_set_up, test_page_empty, fixture_tear_down);
  g_test_add ("/herald/ui-campaigns/page-with-data", Fixture, NULL, fixture_set_up, test_page_with_data,
              fixture_tear_down);
  g_test_add ("/herald/ui-campaigns/sandbox-campaign", Fixture, NULL, fixture_set_up, test_sandbox_campaign,
              fixture_tear_down);
  g_test_add ("/herald/ui-campaigns/log-million", Fixture, NULL, fixture_set_up, test_log_million,
              fixture_tear_down);
  return g_test_run ();
}
