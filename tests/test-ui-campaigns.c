/* test-ui-campaigns.c: the campaigns page, the new-campaign flow, a Sandbox
 * campaign run to the end, and the message log over a million rows
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "herald-application.h"
#include "herald-campaign.h"
#include "herald-campaign-wizard.h"
#include "herald-campaigns-page.h"
#include "herald-message-log.h"
#include "herald-message-log-model.h"
#include "herald-sandbox.h"
#include "herald-test-utils.h"
#include "herald-ui-test-utils.h"

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

static void
on_created_cb (HeraldCampaignWizard *wizard,
               gint64                id,
               RunState             *state)
{
  state->created = id;
}

static gboolean
campaign_created (gpointer data)
{
  return ((RunState *) data)->created > 0;
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
  g_autoptr(JsonNode) stats = herald_ui_test_sandbox_stats (sandbox);
  JsonObject *object = json_node_get_object (stats);

  return json_object_get_int_member (object, "webhooks_pending") == 0 &&
         json_object_get_int_member (object, "webhooks_in_flight") == 0;
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
  number_id = herald_ui_test_sandbox_set_up (sandbox);
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
  herald_test_wait_until (wizard_ready, state.wizard, 10000);
  herald_campaign_wizard_go_next (state.wizard);
  g_assert_cmpstr (herald_campaign_wizard_get_step (state.wizard), ==, "preflight");
  herald_test_wait_until (wizard_ready, state.wizard, 10000);
  g_assert_true (g_str_has_prefix (herald_campaign_wizard_get_preflight_summary (state.wizard), "50 messages"));
  /* Nothing is written before Send. */
  g_assert_cmpint (herald_campaign_wizard_get_campaign_id (state.wizard), ==, 0);
  herald_campaign_wizard_go_next (state.wizard);
  herald_test_wait_until (campaign_created, &state, 10000);

  /* The dashboard runs it to the end. */
  g_assert_cmpstr (herald_campaigns_page_get_state (HERALD_CAMPAIGNS_PAGE (page)), ==, "campaign");
  view = herald_campaigns_page_show_campaign (HERALD_CAMPAIGNS_PAGE (page), state.created);
  g_signal_connect (view, "finished", G_CALLBACK (on_finished_cb), &state);
  g_signal_connect (view, "loaded", G_CALLBACK (on_loaded_cb), &loaded);
  herald_test_wait_until (run_finished, &state, 60000);

  /* Statuses come after the sends. The Sandbox applies a webhook before it
   * answers the sim, so once the sim has none left to post and none on its
   * way, the store has them all: one reload shows them. */
  herald_test_wait_until (sim_idle, sandbox, 30000);
  loaded = FALSE;
  herald_campaign_view_reload (view);
  herald_test_wait_until (view_loaded, &loaded, 10000);
  g_clear_object (&campaign);
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

/* The wizard's audience modes, variables and pre-flight */

static guint
count_campaigns (HeraldStore *store)
{
  g_autoptr(GPtrArray) campaigns = herald_campaign_list (store, NULL);

  g_assert_nonnull (campaigns);
  return campaigns->len;
}

static gboolean
chooser_loaded (gpointer data)
{
  HeraldContactListModel *model = herald_contact_chooser_get_model (data);

  return !herald_contact_list_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

static gboolean
import_in_state (gpointer data)
{
  const char *state = herald_import_dialog_get_state (data);

  return g_strcmp0 (state, g_object_get_data (data, "wanted")) == 0 || g_strcmp0 (state, "error") == 0;
}

static void
wait_import_state (HeraldImportDialog *dialog,
                   const char         *state)
{
  g_object_set_data (G_OBJECT (dialog), "wanted", (gpointer) state);
  herald_test_wait_until (import_in_state, dialog, 10000);
  g_assert_cmpstr (herald_import_dialog_get_state (dialog), ==, state);
}

/* From the audience step to a loaded pre-flight; returns its summary. */
static const char *
forward_to_preflight (HeraldCampaignWizard *wizard)
{
  g_assert_cmpstr (herald_campaign_wizard_get_step (wizard), ==, "audience");
  g_assert_true (herald_campaign_wizard_can_go_next (wizard));
  herald_campaign_wizard_go_next (wizard);
  g_assert_cmpstr (herald_campaign_wizard_get_step (wizard), ==, "variables");
  herald_test_wait_until (wizard_ready, wizard, 10000);
  herald_campaign_wizard_set_binding (wizard, "2", "attr:code");
  herald_campaign_wizard_go_next (wizard);
  g_assert_cmpstr (herald_campaign_wizard_get_step (wizard), ==, "preflight");
  herald_test_wait_until (wizard_ready, wizard, 10000);
  return herald_campaign_wizard_get_preflight_summary (wizard);
}

static void
back_to_audience (HeraldCampaignWizard *wizard)
{
  herald_campaign_wizard_go_back (wizard);
  herald_campaign_wizard_go_back (wizard);
  g_assert_cmpstr (herald_campaign_wizard_get_step (wizard), ==, "audience");
}

static void
test_wizard_audience (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(HeraldStore) store = herald_store_new (fixture->db_path, NULL);
  g_autoptr(HeraldNumber) number = herald_number_new ("123456789", "+15550100000");
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *csv_path = g_build_filename (fixture->dir, "new.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_auto(GStrv) choices = NULL;
  HeraldCampaignWizard *wizard;
  HeraldContactChooser *chooser;
  HeraldImportDialog *dialog;
  RunState state = { 0 };

  g_assert_true (herald_store_save_number (store, number, &error));
  herald_template_set_name (template, "pickup_code");
  herald_template_set_language (template, "en");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello {{1}}, your code is {{2}}. See you soon.");
  herald_template_set_examples (template, "{\"1\": \"Ada\", \"2\": \"A1\"}");
  herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
  herald_store_save_template (store, template, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1555040%04u", i);
      g_autofree char *name = g_strdup_printf ("Customer %u", i);
      g_autofree char *code = g_strdup_printf ("C%u", i);
      g_autoptr(HeraldContact) contact = herald_contact_new (name, phone);
      gboolean created;

      herald_contact_set_attribute (contact, "code", code);
      g_assert_true (herald_store_upsert_contact (store, contact, &created, &error));
      g_array_append_val (ids, (gint64) { herald_contact_get_id (contact) });
    }

  wizard = herald_campaign_wizard_new (fixture->worker);
  g_signal_connect (wizard, "created", G_CALLBACK (on_created_cb), &state);
  gtk_window_present (GTK_WINDOW (wizard));
  herald_test_wait_until (wizard_ready, wizard, 10000);
  herald_campaign_wizard_go_next (wizard);
  herald_campaign_wizard_go_next (wizard);
  g_assert_cmpstr (herald_campaign_wizard_get_audience (wizard), ==, "all");

  /* All: the variables offer the attribute, the preview follows the
   * recipient and the mapping. */
  herald_campaign_wizard_go_next (wizard);
  herald_test_wait_until (wizard_ready, wizard, 10000);
  choices = herald_campaign_wizard_get_binding_choices (wizard, "2");
  g_assert_true (g_strv_contains ((const char * const *) choices, "attr:code"));
  g_assert_true (g_strv_contains ((const char * const *) choices, "name"));
  g_assert_true (g_strv_contains ((const char * const *) choices, "="));
  g_assert_cmpuint (herald_campaign_wizard_get_n_preview_recipients (wizard), ==, 5);
  g_assert_true (herald_campaign_wizard_set_binding (wizard, "2", "attr:code"));
  herald_campaign_wizard_set_preview_recipient (wizard, 1);
  g_assert_cmpstr (herald_campaign_wizard_get_preview_text (wizard), ==, "Hello Customer 1, your code is C1. See you soon.");
  g_assert_true (herald_campaign_wizard_set_binding (wizard, "2", "=XYZ"));
  g_assert_cmpstr (herald_campaign_wizard_get_preview_text (wizard), ==, "Hello Customer 1, your code is XYZ. See you soon.");
  g_assert_true (herald_campaign_wizard_set_binding (wizard, "1", "mobile_number"));
  g_assert_cmpstr (herald_campaign_wizard_get_preview_text (wizard), ==, "Hello +15550400001, your code is XYZ. See you soon.");
  g_assert_false (herald_campaign_wizard_set_binding (wizard, "2", "attr:missing"));
  g_assert_true (herald_campaign_wizard_set_binding (wizard, "1", "name"));
  herald_campaign_wizard_go_back (wizard);

  /* Pre-flight counts, and Back leaves no campaign, not even a cancelled one. */
  g_assert_true (g_str_has_prefix (forward_to_preflight (wizard), "5 messages"));
  g_assert_cmpuint (count_campaigns (store), ==, 0);
  back_to_audience (wizard);
  g_assert_cmpuint (count_campaigns (store), ==, 0);

  /* Chosen: two contacts picked in the chooser, one found by searching. */
  chooser = herald_campaign_wizard_choose_contacts (wizard);
  herald_test_wait_until (chooser_loaded, chooser, 10000);
  g_assert_false (herald_campaign_wizard_can_go_next (wizard) &&
                  g_str_equal (herald_campaign_wizard_get_audience (wizard), "chosen"));
  herald_contact_chooser_set_contact_selected (chooser, g_array_index (ids, gint64, 0), TRUE);
  herald_contact_chooser_set_search (chooser, "Customer 3");
  herald_contact_chooser_set_contact_selected (chooser, g_array_index (ids, gint64, 3), TRUE);
  g_assert_cmpuint (herald_contact_chooser_get_n_selected (chooser), ==, 2);
  herald_contact_chooser_confirm (chooser);
  g_assert_cmpstr (herald_campaign_wizard_get_audience (wizard), ==, "chosen");
  g_assert_true (g_str_has_prefix (forward_to_preflight (wizard), "2 messages"));
  herald_campaign_wizard_go_back (wizard);
  g_assert_cmpuint (herald_campaign_wizard_get_n_preview_recipients (wizard), ==, 2);
  herald_campaign_wizard_go_back (wizard);
  g_assert_cmpuint (count_campaigns (store), ==, 0);

  /* Imported: two new contacts and one updated; the others are left out. */
  g_assert_true (g_file_set_contents (csv_path,
                                      "name,mobile_number,code\n"
                                      "New One,+15550409001,N1\n"
                                      "New Two,+15550409002,N2\n"
                                      "Customer Four,+15550400004,C4b\n", -1, &error));
  dialog = herald_campaign_wizard_import_csv (wizard, csv);
  wait_import_state (dialog, "preview");
  herald_import_dialog_run (dialog);
  wait_import_state (dialog, "report");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpstr (herald_campaign_wizard_get_audience (wizard), ==, "imported");
  g_assert_nonnull (herald_campaign_wizard_get_changed_since (wizard));
  g_assert_true (g_str_has_prefix (forward_to_preflight (wizard), "3 messages"));
  g_assert_cmpuint (count_campaigns (store), ==, 0);

  /* Send writes it, with the mapping chosen. */
  herald_campaign_wizard_go_next (wizard);
  herald_test_wait_until (campaign_created, &state, 10000);
  g_assert_cmpuint (count_campaigns (store), ==, 1);
  campaign = herald_campaign_load (store, state.created, &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_campaign_get_total_messages (campaign), ==, 3);
  g_assert_nonnull (strstr (herald_campaign_get_variable_bindings (campaign), "attr:code"));
}

/* app.sandbox */

static void
on_sandbox_ready_cb (HeraldApplication *app,
                     gboolean           ok,
                     int               *ready)
{
  *ready = ok ? 1 : -1;
}

static gboolean
int_set (gpointer data)
{
  return *(int *) data != 0;
}

static void
on_phone_number_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  HeraldPhoneNumberInfo *info = herald_cloud_client_get_phone_number_finish (HERALD_CLOUD_CLIENT (source), result,
                                                                            &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  herald_phone_number_info_free (info);
  *(int *) user_data = 1;
}

static void
test_app_sandbox (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(HeraldApplication) app = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldNumber) other = herald_number_new ("123456789", "+15550100000");
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(GError) error = NULL;
  int ready = 0;
  int verified = 0;

  g_setenv ("HERALD_DB", fixture->db_path, TRUE);
  app = herald_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "sandbox"));
  g_assert_false (g_settings_get_boolean (herald_application_get_settings (app), "sandbox-offered"));

  g_signal_connect (app, "sandbox-ready", G_CALLBACK (on_sandbox_ready_cb), &ready);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sandbox", NULL);
  herald_test_wait_until (int_set, &ready, 10000);
  g_assert_cmpint (ready, ==, 1);
  g_assert_true (g_settings_get_boolean (herald_application_get_settings (app), "sandbox-offered"));

  store = herald_store_new (fixture->db_path, &error);
  g_assert_no_error (error);
  number = herald_store_get_number_by_phone_number_id (store, HERALD_SANDBOX_PHONE_NUMBER_ID, &error);
  g_assert_no_error (error);
  g_assert_true (herald_number_get_is_sandbox (number));

  /* Verify talks to the in-app sim, with its token; other numbers get no
   * Sandbox client. */
  g_assert_null (herald_sandbox_client_for_number (herald_application_get_worker (app), other));
  client = herald_sandbox_client_for_number (herald_application_get_worker (app), number);
  g_assert_nonnull (client);
  herald_cloud_client_get_phone_number_async (client, herald_number_get_phone_number_id (number), NULL,
                                              on_phone_number_cb, &verified);
  herald_test_wait_until (int_set, &verified, 10000);
  g_unsetenv ("HERALD_DB");
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
  if (!herald_ui_test_init (&argc, &argv))
    return 77;

  g_test_add ("/herald/ui-campaigns/page-empty", Fixture, NULL, fixture_set_up, test_page_empty, fixture_tear_down);
  g_test_add ("/herald/ui-campaigns/page-with-data", Fixture, NULL, fixture_set_up, test_page_with_data,
              fixture_tear_down);
  g_test_add ("/herald/ui-campaigns/sandbox-campaign", Fixture, NULL, fixture_set_up, test_sandbox_campaign,
              fixture_tear_down);
  g_test_add ("/herald/ui-campaigns/wizard-audience", Fixture, NULL, fixture_set_up, test_wizard_audience,
              fixture_tear_down);
  g_test_add ("/herald/ui-campaigns/app-sandbox", Fixture, NULL, fixture_set_up, test_app_sandbox,
              fixture_tear_down);
  g_test_add ("/herald/ui-campaigns/log-million", Fixture, NULL, fixture_set_up, test_log_million,
              fixture_tear_down);
  return g_test_run ();
}
