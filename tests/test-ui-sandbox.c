/* test-ui-sandbox.c: the Sandbox's templates synced against the in-app sim,
 * kept apart from Meta's review, and the main loop turning while the sim's
 * thread is busy
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "herald-campaign-wizard.h"
#include "herald-page.h"
#include "herald-sandbox.h"
#include "herald-templates-cloud.h"
#include "herald-templates-page.h"
#include "herald-test-utils.h"
#include "herald-ui-test-utils.h"

#define TICK_MS 20
/* Ticks a call must stay in flight to show the main loop turned meanwhile. */
#define TICKS_IN_FLIGHT 10

typedef struct
{
  char              *dir;
  char              *db_path;
  HeraldStoreWorker *worker;
  HeraldStore       *store;   /* the test's own connection */
  gint64             number_id;
} Fixture;

/* A database with the Sandbox set up: its number, sample template and
 * contacts, the sim running. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = herald_test_tmp_dir ();
  fixture->db_path = g_build_filename (fixture->dir, "herald.db", NULL);
  fixture->worker = herald_store_worker_new (fixture->db_path, &error);
  g_assert_no_error (error);
  fixture->store = herald_store_new (fixture->db_path, &error);
  g_assert_no_error (error);

  fixture->number_id = herald_ui_test_sandbox_set_up (herald_sandbox_get_for_worker (fixture->worker));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->worker);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static gboolean
pointer_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static HeraldTemplate *
save_template (Fixture              *fixture,
               const char           *name,
               HeraldTemplateStatus  status,
               const char           *meta_template_id)
{
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(GError) error = NULL;

  herald_template_set_name (template, name);
  herald_template_set_language (template, "en");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello {{1}}, your parcel is on its way.");
  herald_template_set_examples (template, "{\"1\": \"Ada\"}");
  herald_template_set_status (template, status);
  herald_template_set_meta_template_id (template, meta_template_id);
  g_assert_true (herald_store_save_template (fixture->store, template, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&template);
}

static HeraldTemplate *
stored_template (Fixture    *fixture,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  HeraldTemplate *template = herald_store_get_template_by_name (fixture->store, name, "en", &error);

  g_assert_no_error (error);
  return template;
}

static void
prepare_template (Fixture *fixture,
                  gint64   template_id)
{
  HeraldSandbox *sandbox = herald_sandbox_get_for_worker (fixture->worker);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  herald_sandbox_prepare_template_async (sandbox, template_id, NULL, on_result_cb, &result);
  herald_test_wait_until (pointer_is_set, &result, 10000);
  g_assert_true (herald_sandbox_prepare_template_finish (sandbox, result, &error));
  g_assert_no_error (error);
}

/* The Templates page */

/* The text of the first label under @widget that starts with @prefix. */
static const char *
find_label (GtkWidget  *widget,
            const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return gtk_label_get_label (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = find_label (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The page's row of the template @name. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *name)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *page;
  const char *name;
  const char *sandbox_badge;   /* the Sandbox's badge wanted on the row */
} RowWanted;

static gboolean
row_has_sandbox_badge (gpointer data)
{
  RowWanted *wanted = data;
  GtkWidget *row = find_row (wanted->page, wanted->name);

  return row != NULL && g_strcmp0 (find_label (row, "Sandbox"), wanted->sandbox_badge) == 0;
}

/* "Sync", again whenever a sync has ended, until the row shows the badge
 * wanted: the sim reviews for a while, as Meta does. */
static gboolean
on_sync_tick_cb (gpointer data)
{
  gtk_widget_activate_action (GTK_WIDGET (data), "templates.sync", NULL);
  return G_SOURCE_CONTINUE;
}

static void
assert_meta_review (Fixture              *fixture,
                    const char           *name,
                    HeraldTemplateStatus  status,
                    const char           *meta_template_id)
{
  g_autoptr(HeraldTemplate) stored = stored_template (fixture, name);

  g_assert_cmpint (herald_template_get_status (stored), ==, status);
  g_assert_cmpstr (herald_template_get_meta_template_id (stored), ==, meta_template_id);
}

static gboolean
wizard_ready (gpointer data)
{
  return !herald_campaign_wizard_get_busy (data);
}

static void
test_template_sync (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(HeraldTemplate) draft = save_template (fixture, "parcel_on_its_way", HERALD_TEMPLATE_DRAFT, NULL);
  /* Templates of the real account: Meta's ids and statuses. */
  g_autoptr(HeraldTemplate) real_approved = save_template (fixture, "real_approved", HERALD_TEMPLATE_APPROVED, "4242");
  g_autoptr(HeraldTemplate) real_pending = save_template (fixture, "real_pending", HERALD_TEMPLATE_PENDING, "4343");
  g_autoptr(HeraldNumber) real_number = herald_number_new ("123456789012345", "+4930123456");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HeraldTemplateSyncSummary summary = { 0 };
  RowWanted wanted = { NULL, "parcel_on_its_way", "Sandbox: In Review" };
  HeraldCampaignWizard *wizard;
  GtkWindow *window;
  guint tick;

  /* Sandbox campaigns with the real account's templates: the sim learns
   * them, the store keeps Meta's word. */
  prepare_template (fixture, herald_template_get_id (real_approved));
  prepare_template (fixture, herald_template_get_id (real_pending));
  assert_meta_review (fixture, "real_pending", HERALD_TEMPLATE_PENDING, "4343");

  wanted.page = g_object_new (HERALD_TYPE_TEMPLATES_PAGE, "worker", fixture->worker, NULL);
  window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (window, 800, 600);
  adw_window_set_content (ADW_WINDOW (window), wanted.page);
  gtk_window_present (window);

  /* With only the Sandbox number, a submit goes to the in-app sim, which
   * has it in review for a while. Meta never saw it: its status and id in
   * the store stay as they were. */
  herald_templates_cloud_submit_async (fixture->worker, draft, NULL, on_result_cb, &result);
  herald_test_wait_until (pointer_is_set, &result, 10000);
  g_assert_true (herald_templates_cloud_submit_finish (fixture->worker, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (herald_template_get_status (draft), ==, HERALD_TEMPLATE_DRAFT);
  g_assert_null (herald_template_get_meta_template_id (draft));
  assert_meta_review (fixture, "parcel_on_its_way", HERALD_TEMPLATE_DRAFT, NULL);

  herald_page_reload (HERALD_PAGE (wanted.page));
  herald_test_wait_until (row_has_sandbox_badge, &wanted, 10000);

  /* Approved by the Sandbox: the row says so in the Sandbox's badge, and
   * Meta's badge still says Draft, never Approved. */
  wanted.sandbox_badge = "Sandbox: Approved";
  tick = g_timeout_add (200, on_sync_tick_cb, wanted.page);
  herald_test_wait_until (row_has_sandbox_badge, &wanted, 20000);
  g_source_remove (tick);
  g_assert_cmpstr (find_label (find_row (wanted.page, "parcel_on_its_way"), "Draft"), ==, "Draft");
  g_assert_null (find_label (find_row (wanted.page, "parcel_on_its_way"), "Approved"));

  /* The sim answers a sync as Meta would, for the templates it was given;
   * the store's status and Meta ids stay Meta's. */
  herald_templates_cloud_sync_async (fixture->worker, HERALD_SANDBOX_PHONE_NUMBER_ID, NULL, on_result_cb, &result);
  herald_test_wait_until (pointer_is_set, &result, 10000);
  g_assert_true (herald_templates_cloud_sync_finish (fixture->worker, result, &summary, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (summary.added, ==, 0);
  g_assert_cmpuint (summary.updated, ==, 3);
  assert_meta_review (fixture, "parcel_on_its_way", HERALD_TEMPLATE_DRAFT, NULL);
  assert_meta_review (fixture, "real_approved", HERALD_TEMPLATE_APPROVED, "4242");
  assert_meta_review (fixture, "real_pending", HERALD_TEMPLATE_PENDING, "4343");

  gtk_window_destroy (window);

  /* The new campaign: a real number is offered only what Meta approved;
   * the Sandbox number whatever it can send. */
  g_assert_true (herald_store_save_number (fixture->store, real_number, &error));
  g_assert_no_error (error);
  wizard = herald_campaign_wizard_new (fixture->worker);
  gtk_window_present (GTK_WINDOW (wizard));
  herald_test_wait_until (wizard_ready, wizard, 10000);
  g_assert_true (herald_campaign_wizard_select_number (wizard, herald_number_get_id (real_number)));
  g_assert_false (herald_campaign_wizard_select_template (wizard, herald_template_get_id (draft)));
  g_assert_false (herald_campaign_wizard_select_template (wizard, herald_template_get_id (real_pending)));
  g_assert_true (herald_campaign_wizard_select_template (wizard, herald_template_get_id (real_approved)));
  g_assert_true (herald_campaign_wizard_select_number (wizard, fixture->number_id));
  g_assert_true (herald_campaign_wizard_select_template (wizard, herald_template_get_id (draft)));
  g_assert_true (herald_campaign_wizard_select_template (wizard, herald_template_get_id (real_pending)));
  gtk_window_destroy (GTK_WINDOW (wizard));
}

/* The main loop while the sim's thread waits for the database */

typedef struct
{
  Fixture       *fixture;
  HeraldSandbox *sandbox;
  guint          ticks;
  gboolean       released;
  /* The stats call in flight, if any: */
  gboolean       stats_in_flight;
  guint          stats_sent_at;
  guint          most_ticks_in_flight;
  gboolean       stats_after_release;
  /* The add-template call sent once the sim was seen stuck: */
  gboolean       prepare_sent;
  gboolean       prepare_done;
  guint          prepare_sent_at;
  guint          prepare_ticks_in_flight;
} Probe;

static void
on_probe_stats_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stats = herald_sandbox_get_stats_finish (HERALD_SANDBOX (source), result, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (stats));
  probe->stats_in_flight = FALSE;
  probe->most_ticks_in_flight = MAX (probe->most_ticks_in_flight, probe->ticks - probe->stats_sent_at);
  if (probe->released)
    probe->stats_after_release = TRUE;
}

static void
on_probe_prepared_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_sandbox_prepare_template_finish (HERALD_SANDBOX (source), result, &error));
  g_assert_no_error (error);
  probe->prepare_done = TRUE;
  probe->prepare_ticks_in_flight = probe->ticks - probe->prepare_sent_at;
}

/* Every TICK_MS: asks the sim for its counters, one call at a time. Once
 * a call has waited TICKS_IN_FLIGHT ticks, the sim is stuck behind the
 * test's write lock, and this timeout kept firing meanwhile: an add-template
 * call goes too, and later the lock goes. A main thread that waited for
 * the sim would see no tick while a call is out, and the lock would stay. */
static gboolean
on_probe_tick_cb (gpointer data)
{
  Probe *probe = data;

  probe->ticks++;
  if (!probe->stats_in_flight && !probe->stats_after_release)
    {
      probe->stats_in_flight = TRUE;
      probe->stats_sent_at = probe->ticks;
      herald_sandbox_get_stats_async (probe->sandbox, NULL, on_probe_stats_cb, probe);
    }
  else if (probe->stats_in_flight && !probe->prepare_sent &&
           probe->ticks - probe->stats_sent_at >= TICKS_IN_FLIGHT)
    {
      g_autoptr(HeraldTemplate) welcome = stored_template (probe->fixture, "sandbox_welcome");

      probe->prepare_sent = TRUE;
      probe->prepare_sent_at = probe->ticks;
      herald_sandbox_prepare_template_async (probe->sandbox, herald_template_get_id (welcome), NULL,
                                             on_probe_prepared_cb, probe);
    }
  else if (probe->prepare_sent && !probe->released &&
           probe->ticks - probe->prepare_sent_at >= TICKS_IN_FLIGHT)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (herald_store_rollback (probe->fixture->store, &error));
      g_assert_no_error (error);
      probe->released = TRUE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
probe_done (gpointer data)
{
  Probe *probe = data;

  return probe->stats_after_release && probe->prepare_done;
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Sends the sample template to a sample contact until the sim accepts one
 * (it fails one in thirty at once); the status webhooks follow. */
static void
send_one (Fixture *fixture)
{
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldTemplate) welcome = stored_template (fixture, "sandbox_welcome");
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(HeraldMessageParams) params = herald_message_params_new ();
  g_autoptr(GError) error = NULL;

  number = herald_store_get_number (fixture->store, fixture->number_id, &error);
  g_assert_no_error (error);
  client = herald_sandbox_client_for_number (fixture->worker, number);
  g_assert_nonnull (client);
  herald_message_params_set_value (params, "1", "Ada");

  for (guint attempt = 0; attempt < 10; attempt++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(HeraldSendResult) sent = NULL;

      g_clear_error (&error);
      herald_cloud_client_send_template_async (client, HERALD_SANDBOX_PHONE_NUMBER_ID, "+15550100101", welcome,
                                               params, NULL, NULL, on_sent_cb, &result);
      herald_test_wait_until (pointer_is_set, &result, 10000);
      sent = herald_cloud_client_send_template_finish (client, result, &error);
      if (sent != NULL)
        return;
    }
  g_assert_no_error (error);
}

static void
test_main_loop_turns (Fixture       *fixture,
                      gconstpointer  data)
{
  Probe probe = { fixture, herald_sandbox_get_for_worker (fixture->worker) };
  g_autoptr(HeraldTemplate) welcome = stored_template (fixture, "sandbox_welcome");
  g_autoptr(GError) error = NULL;
  guint tick;

  prepare_template (fixture, herald_template_get_id (welcome));

  /* The test holds the database's write lock: the sim's thread, applying
   * the message's "sent" webhook, waits on it (busy_timeout). */
  g_assert_true (herald_store_begin (fixture->store, &error));
  g_assert_no_error (error);
  send_one (fixture);

  tick = g_timeout_add (TICK_MS, on_probe_tick_cb, &probe);
  herald_test_wait_until (probe_done, &probe, 30000);
  g_source_remove (tick);

  g_assert_true (probe.released);
  g_assert_cmpuint (probe.most_ticks_in_flight, >=, TICKS_IN_FLIGHT);
  g_assert_cmpuint (probe.prepare_ticks_in_flight, >=, TICKS_IN_FLIGHT);
}

int
main (int   argc,
      char *argv[])
{
  if (!herald_ui_test_init (&argc, &argv))
    return 77;

#define ADD(path, func) \
  g_test_add ("/herald/ui-sandbox/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("template-sync", test_template_sync);
  ADD ("main-loop-turns", test_main_loop_turns);
#undef ADD

  return g_test_run ();
}
