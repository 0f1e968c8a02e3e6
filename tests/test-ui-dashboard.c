/* test-ui-dashboard.c: a campaign's dashboard driven through its actions and
 * widgets against the Sandbox's herald-sim (pause, resume, cancel, failures
 * and Retry, the message log's filters, the CSV export), and the wizard's
 * test send
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>

#include "herald-campaign.h"
#include "herald-campaign-view.h"
#include "herald-campaign-wizard.h"
#include "herald-csv.h"
#include "herald-message-log.h"
#include "herald-message-log-model.h"
#include "herald-sandbox.h"
#include "herald-secrets.h"
#include "herald-sender.h"
#include "herald-test-utils.h"
#include "herald-ui-test-utils.h"
#include "herald-ui-utils.h"

#define SANDBOX_TEMPLATE "sandbox_welcome"
/* Longer than the sender's one-second poll: a run that was going to send
 * again after a pause or a cancel has done so by then. */
#define QUIET_MS 1500

typedef struct
{
  char              *dir;
  char              *db_path;
  HeraldStoreWorker *worker;
  HeraldStore       *store;
  GPtrArray         *toasts;    /* what the view asked win.toast to show */
  GtkWindow         *window;
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
  fixture->store = herald_store_new (fixture->db_path, &error);
  g_assert_no_error (error);
  fixture->toasts = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* The dashboard goes with its window, and what it left queued runs while
   * its worker and database are still there. */
  if (fixture->window != NULL)
    {
      GtkWidget *content = adw_window_get_content (ADW_WINDOW (fixture->window));

      g_object_add_weak_pointer (G_OBJECT (content), (gpointer *) &content);
      g_clear_pointer (&fixture->window, gtk_window_destroy);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_null (content);
    }
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->worker);
  g_clear_pointer (&fixture->toasts, g_ptr_array_unref);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

/* Waiting */

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
on_quiet_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main context run for @ms: for checking that nothing happens. */
static void
run_quietly (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_quiet_timeout_cb, &done);
  herald_test_wait_until (flag_set, &done, ms + 10000);
}

/* The window, with a win.toast that records the toasts */

static void
on_toast_activate_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->toasts, g_variant_dup_string (parameter, NULL));
}

static void
present (Fixture   *fixture,
         GtkWidget *child)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) toast = g_simple_action_new ("toast", G_VARIANT_TYPE_STRING);

  g_signal_connect (toast, "activate", G_CALLBACK (on_toast_activate_cb), fixture);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (toast));
  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "win", G_ACTION_GROUP (group));
  gtk_window_set_default_size (fixture->window, 1000, 700);
  adw_window_set_content (ADW_WINDOW (fixture->window), child);
  gtk_window_present (fixture->window);
}

static gboolean
has_toast (Fixture    *fixture,
           const char *text)
{
  for (guint i = 0; i < fixture->toasts->len; i++)
    if (g_str_equal (g_ptr_array_index (fixture->toasts, i), text))
      return TRUE;
  return FALSE;
}

/* The Sandbox and its sim */

/* Starts the Sandbox of @fixture's worker; returns its number's id. */
static gint64
sandbox_set_up (Fixture *fixture)
{
  HeraldSandbox *sandbox = herald_sandbox_get_for_worker (fixture->worker);
  gint64 number_id = herald_ui_test_sandbox_set_up (sandbox);

  g_assert_true (herald_sandbox_get_running (sandbox));
  return number_id;
}

typedef struct
{
  GBytes *body;
  guint   status;
  gboolean done;
} Reply;

static void
on_sim_reply_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Reply *reply = user_data;
  g_autoptr(GError) error = NULL;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  reply->done = TRUE;
}

/* POST @json to the Sandbox sim's @path (/_sim/control, /_sim/reset): the
 * sim runs in its own thread, so through HTTP as a test of Meta's side would. */
static void
sim_post (Fixture    *fixture,
          const char *path,
          const char *json)
{
  HeraldSandbox *sandbox = herald_sandbox_get_for_worker (fixture->worker);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (herald_sandbox_get_api_base (sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  Reply reply = { 0 };

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sim_reply_cb, &reply);
  herald_test_wait_until (flag_set, &reply.done, 10000);
  g_assert_cmpuint (reply.status, ==, 200);
  g_bytes_unref (reply.body);
}

static gint64
sim_stat (Fixture    *fixture,
          const char *name)
{
  g_autoptr(JsonNode) stats = herald_ui_test_sandbox_stats (herald_sandbox_get_for_worker (fixture->worker));

  g_assert_nonnull (stats);
  g_assert_true (json_object_has_member (json_node_get_object (stats), name));
  return json_object_get_int_member (json_node_get_object (stats), name);
}

/* The store */

/* @n contacts numbered +1555<prefix><4 digits>, in one transaction; their
 * ids in @ids when not NULL. */
static void
add_contacts (HeraldStore *store,
              const char  *prefix,
              guint        n,
              GArray      *ids)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1555%s%04u", prefix, i);
      g_autofree char *name = g_strdup_printf ("Customer %u", i);
      g_autoptr(HeraldContact) contact = herald_contact_new (name, phone);
      gboolean created;

      g_assert_true (herald_store_upsert_contact (store, contact, &created, &error));
      g_assert_no_error (error);
      if (ids != NULL)
        g_array_append_val (ids, (gint64) { herald_contact_get_id (contact) });
    }
  g_assert_true (herald_store_commit (store, &error));
}

/* A campaign from @number_id with @template_id ({{1}} = name) to @ids, or
 * to every contact when NULL. */
static gint64
create_campaign (HeraldStore *store,
                 gint64       number_id,
                 gint64       template_id,
                 GArray      *ids)
{
  g_autoptr(HeraldCampaignSpec) spec = herald_campaign_spec_new (number_id, template_id);
  g_autoptr(HeraldCampaignReport) report = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;

  herald_campaign_spec_set_name (spec, "Dashboard");
  g_assert_true (herald_campaign_spec_bind (spec, "1", "name", &error));
  if (ids != NULL)
    herald_campaign_spec_select_contacts (spec, (const gint64 *) ids->data, ids->len);
  campaign = herald_campaign_create (store, spec, &report, &error);
  g_assert_no_error (error);
  return herald_campaign_get_id (campaign);
}

static gint64
sandbox_template_id (HeraldStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldTemplate) template = herald_store_get_template_by_name (store, SANDBOX_TEMPLATE, "en", &error);

  g_assert_no_error (error);
  return herald_template_get_id (template);
}

static HeraldCampaign *
load_campaign (Fixture *fixture,
               gint64   id)
{
  g_autoptr(GError) error = NULL;
  HeraldCampaign *campaign = herald_campaign_load (fixture->store, id, &error);

  g_assert_no_error (error);
  return campaign;
}

static gint64
count_logs (Fixture *fixture,
            gint64   campaign_id,
            int      status)
{
  HeraldMessageLogFilter filter = { campaign_id, status, NULL };
  g_autoptr(GError) error = NULL;
  gint64 n = herald_message_log_count (fixture->store, &filter, &error);

  g_assert_no_error (error);
  return n;
}

/* Every message of @campaign_id, in id order. */
static GPtrArray *
list_all (Fixture *fixture,
          gint64   campaign_id)
{
  HeraldMessageLogFilter filter = { campaign_id, -1, NULL };
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = herald_message_log_list (fixture->store, &filter, 0, G_MAXINT, &error);

  g_assert_no_error (error);
  return entries;
}

/* The dashboard */

typedef struct
{
  gboolean loaded;
  gboolean finished;
  int      finished_status;
} ViewState;

static void
on_loaded_cb (HeraldCampaignView *view,
              ViewState          *state)
{
  state->loaded = TRUE;
}

static void
on_finished_cb (HeraldCampaignView *view,
                int                 status,
                ViewState          *state)
{
  state->finished = TRUE;
  state->finished_status = status;
}

static HeraldCampaignView *
open_view (Fixture   *fixture,
           gint64     campaign_id,
           ViewState *state)
{
  HeraldCampaignView *view = herald_campaign_view_new (fixture->worker, campaign_id);

  g_signal_connect (view, "loaded", G_CALLBACK (on_loaded_cb), state);
  g_signal_connect (view, "finished", G_CALLBACK (on_finished_cb), state);
  present (fixture, GTK_WIDGET (view));
  herald_test_wait_until (flag_set, &state->loaded, 10000);
  return view;
}

/* Reads the campaign again and waits until it is shown. */
static void
reload_view (HeraldCampaignView *view,
             ViewState          *state)
{
  state->loaded = FALSE;
  herald_campaign_view_reload (view);
  herald_test_wait_until (flag_set, &state->loaded, 10000);
}

static GtkWidget *
view_child (HeraldCampaignView *view,
            const char         *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (view), HERALD_TYPE_CAMPAIGN_VIEW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static const char *
shown_status (HeraldCampaignView *view)
{
  return gtk_label_get_text (GTK_LABEL (view_child (view, "status_label")));
}

static gint64
label_value (HeraldCampaignView *view,
             const char         *counter)
{
  return g_ascii_strtoll (gtk_label_get_text (herald_campaign_view_get_counter_label (view, counter)), NULL, 10);
}

typedef struct
{
  HeraldCampaignView *view;
  gint64              sent;
} SentAtLeast;

static gboolean
sender_sent_at_least (gpointer data)
{
  SentAtLeast *wait = data;
  HeraldSender *sender = herald_campaign_view_get_sender (wait->view);

  return sender != NULL && herald_sender_get_sent (sender) >= wait->sent;
}

/* Paused or cancelled, with no request left in flight. */
static gboolean
sender_settled_in (gpointer data)
{
  HeraldCampaignView *view = data;
  HeraldSender *sender = herald_campaign_view_get_sender (view);
  HeraldCampaignStatus wanted = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (view), "wanted"));

  return sender != NULL && herald_sender_get_state (sender) == wanted && herald_sender_get_in_flight (sender) == 0;
}

/* A Sandbox campaign of @n messages that takes a few seconds: the Sandbox
 * number sends 20 a second and the sim answers each after 100 ms. None
 * fails (the Sandbox's sim fails one in thirty by default). */
static gint64
slow_sandbox_campaign (Fixture *fixture,
                       guint    n)
{
  gint64 number_id;

  add_contacts (fixture->store, "061", n, NULL);
  number_id = sandbox_set_up (fixture);
  sim_post (fixture, "/_sim/control", "{\"latency_ms\": 100, \"fail_rate\": 0}");
  return create_campaign (fixture->store, number_id, sandbox_template_id (fixture->store), NULL);
}

/* 1. Pause, resume */

static void
test_pause_resume (Fixture       *fixture,
                   gconstpointer  data)
{
  const guint n = 100;
  gint64 id = slow_sandbox_campaign (fixture, n);
  ViewState state = { 0 };
  HeraldCampaignView *view = open_view (fixture, id, &state);
  SentAtLeast wait = { view, 10 };
  g_autoptr(HeraldCampaign) campaign = NULL;
  gint64 accepted;

  g_assert_cmpstr (shown_status (view), ==, herald_ui_campaign_status_label (HERALD_CAMPAIGN_PENDING));
  g_assert_true (gtk_widget_get_visible (view_child (view, "start_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "campaign.start", NULL));
  herald_test_wait_until (sender_sent_at_least, &wait, 30000);
  g_assert_cmpint (herald_campaign_view_get_status (view), ==, HERALD_CAMPAIGN_PROCESSING);
  g_assert_cmpstr (shown_status (view), ==, herald_ui_campaign_status_label (HERALD_CAMPAIGN_PROCESSING));
  g_assert_true (gtk_widget_get_visible (view_child (view, "pause_button")));

  /* Pause: the store and the screen say so, and the sim gets nothing more. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "campaign.pause", NULL));
  g_object_set_data (G_OBJECT (view), "wanted", GINT_TO_POINTER (HERALD_CAMPAIGN_PAUSED));
  herald_test_wait_until (sender_settled_in, view, 10000);
  accepted = sim_stat (fixture, "accepted");
  run_quietly (QUIET_MS);
  g_assert_cmpint (sim_stat (fixture, "accepted"), ==, accepted);
  g_assert_cmpint (accepted, <, n);
  campaign = load_campaign (fixture, id);
  g_assert_cmpint (herald_campaign_get_status (campaign), ==, HERALD_CAMPAIGN_PAUSED);
  g_assert_cmpint (herald_campaign_get_sent_count (campaign), ==, accepted);
  g_assert_cmpint (count_logs (fixture, id, HERALD_MESSAGE_PENDING), ==, n - accepted);
  g_assert_cmpstr (shown_status (view), ==, herald_ui_campaign_status_label (HERALD_CAMPAIGN_PAUSED));
  g_assert_false (gtk_widget_get_visible (view_child (view, "pause_button")));
  g_assert_true (gtk_widget_get_visible (view_child (view, "resume_button")));
  g_assert_true (gtk_widget_get_visible (view_child (view, "cancel_button")));

  /* Resume: it runs to the end, each message sent once. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "campaign.resume", NULL));
  herald_test_wait_until (flag_set, &state.finished, 60000);
  g_assert_cmpint (state.finished_status, ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (sim_stat (fixture, "accepted"), ==, n);
  g_assert_cmpint (sim_stat (fixture, "unique_recipients"), ==, n);
  g_assert_cmpint (sim_stat (fixture, "duplicates"), ==, 0);
  g_clear_object (&campaign);
  campaign = load_campaign (fixture, id);
  g_assert_cmpint (herald_campaign_get_status (campaign), ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (herald_campaign_get_sent_count (campaign), ==, n);
  g_assert_cmpint (count_logs (fixture, id, HERALD_MESSAGE_PENDING), ==, 0);
  reload_view (view, &state);
  g_assert_cmpstr (shown_status (view), ==, herald_ui_campaign_status_label (HERALD_CAMPAIGN_COMPLETED));
  g_assert_false (gtk_widget_get_visible (view_child (view, "resume_button")));
  g_assert_false (gtk_widget_get_visible (view_child (view, "cancel_button")));
}

/* 1. Cancel */

/* Answers the confirmation dialog that is up with @response, and closes it. */
static void
respond (const char *response)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  GtkWidget *dialog = NULL;

  for (GList *l = toplevels; l != NULL && dialog == NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  const guint n = 100;
  gint64 id = slow_sandbox_campaign (fixture, n);
  ViewState state = { 0 };
  HeraldCampaignView *view = open_view (fixture, id, &state);
  SentAtLeast wait = { view, 10 };
  g_autoptr(HeraldCampaign) campaign = NULL;
  gint64 accepted;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "campaign.start", NULL));
  herald_test_wait_until (sender_sent_at_least, &wait, 30000);

  /* Cancel asks first; "Keep Sending" changes nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "campaign.cancel", NULL));
  respond ("cancel");
  g_assert_cmpint (herald_campaign_view_get_status (view), ==, HERALD_CAMPAIGN_PROCESSING);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "campaign.cancel", NULL));
  respond ("cancel-campaign");
  herald_test_wait_until (flag_set, &state.finished, 30000);
  g_assert_cmpint (state.finished_status, ==, HERALD_CAMPAIGN_CANCELLED);

  /* What was sent stays sent; the rest is never sent. */
  accepted = sim_stat (fixture, "accepted");
  run_quietly (QUIET_MS);
  g_assert_cmpint (sim_stat (fixture, "accepted"), ==, accepted);
  g_assert_cmpint (sim_stat (fixture, "duplicates"), ==, 0);
  g_assert_cmpint (accepted, >=, 10);
  g_assert_cmpint (accepted, <, n);
  campaign = load_campaign (fixture, id);
  g_assert_cmpint (herald_campaign_get_status (campaign), ==, HERALD_CAMPAIGN_CANCELLED);
  g_assert_cmpint (herald_campaign_get_sent_count (campaign), ==, accepted);
  g_assert_cmpint (count_logs (fixture, id, HERALD_MESSAGE_PENDING), ==, n - accepted);
  reload_view (view, &state);
  g_assert_cmpstr (shown_status (view), ==, herald_ui_campaign_status_label (HERALD_CAMPAIGN_CANCELLED));
  g_assert_false (gtk_widget_get_visible (view_child (view, "start_button")));
  g_assert_false (gtk_widget_get_visible (view_child (view, "pause_button")));
  g_assert_false (gtk_widget_get_visible (view_child (view, "resume_button")));
  g_assert_false (gtk_widget_get_visible (view_child (view, "cancel_button")));
}

/* 2. Failures by reason, and Retry */

static void
on_prepared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_sandbox_prepare_template_finish (HERALD_SANDBOX (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
on_run_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  HeraldCampaignStatus status;

  g_assert_true (herald_sender_run_finish (HERALD_SENDER (source), result, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, HERALD_CAMPAIGN_COMPLETED);
  *(gboolean *) user_data = TRUE;
}

static const char *
row_subtitle (GtkWidget *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
test_failures_retry (Fixture       *fixture,
                     gconstpointer  data)
{
  const guint n = 30, n_retryable = 5, n_permanent = 3;
  HeraldSandbox *sandbox;
  g_autoptr(HeraldSender) sender = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) errors = g_string_new ("{\"fail_rate\": 0, \"recipient_errors\": {");
  HeraldCampaignView *view;
  ViewState state = { 0 };
  GtkWidget *list, *row;
  gboolean prepared = FALSE, ran = FALSE;
  gint64 number_id, template_id, id;
  guint n_rows = 0;

  add_contacts (fixture->store, "062", n, NULL);
  number_id = sandbox_set_up (fixture);
  template_id = sandbox_template_id (fixture->store);
  id = create_campaign (fixture->store, number_id, template_id, NULL);
  sandbox = herald_sandbox_get_for_worker (fixture->worker);

  /* 131000 (something went wrong) can pass; 131026 (undeliverable) cannot. */
  for (guint i = 0; i < n_retryable + n_permanent; i++)
    g_string_append_printf (errors, "%s\"+1555062%04u\": %d", i > 0 ? ", " : "", i,
                            i < n_retryable ? 131000 : 131026);
  g_string_append (errors, "}}");
  sim_post (fixture, "/_sim/control", errors->str);

  /* The first run, with no retries so that the retryable ones fail at once
   * (the dashboard's sender would back off for minutes). */
  herald_sandbox_prepare_template_async (sandbox, template_id, NULL, on_prepared_cb, &prepared);
  herald_test_wait_until (flag_set, &prepared, 10000);
  sender = herald_sender_new (fixture->db_path, id);
  g_object_set (sender, "api-base", herald_sandbox_get_api_base (sandbox),
                "access-token", herald_sandbox_get_access_token (sandbox), "max-retries", 0, NULL);
  herald_sender_run_async (sender, NULL, on_run_cb, &ran);
  herald_test_wait_until (flag_set, &ran, 30000);
  g_assert_cmpint (sim_stat (fixture, "rejected"), ==, n_retryable + n_permanent);

  /* The dashboard: one row per reason, with the store's counts. */
  view = open_view (fixture, id, &state);
  campaign = load_campaign (fixture, id);
  g_assert_cmpint (herald_campaign_get_failed_count (campaign), ==, n_retryable + n_permanent);
  g_assert_cmpint (label_value (view, "failed"), ==, herald_campaign_get_failed_count (campaign));
  g_assert_cmpint (label_value (view, "sent"), ==, herald_campaign_get_sent_count (campaign));
  reasons = herald_message_log_list_failures (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reasons->len, ==, 2);
  g_assert_true (gtk_widget_get_visible (view_child (view, "failures_group")));
  list = view_child (view, "failures_list");
  for (row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row), n_rows++)
    {
      const HeraldFailureReason *reason = g_ptr_array_index (reasons, n_rows);

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, reason->reason);
      g_assert_cmpint (g_ascii_strtoll (row_subtitle (row), NULL, 10), ==, reason->count);
      /* Most frequent first: the retryable ones. */
      if (n_rows == 0)
        {
          g_assert_cmpint (reason->error_code, ==, 131000);
          g_assert_cmpuint (reason->count, ==, n_retryable);
          g_assert_cmpuint (reason->retryable, ==, n_retryable);
          g_assert_nonnull (strstr (row_subtitle (row), "can be retried"));
        }
      else
        {
          g_assert_cmpint (reason->error_code, ==, 131026);
          g_assert_cmpuint (reason->count, ==, n_permanent);
          g_assert_cmpuint (reason->retryable, ==, 0);
          g_assert_null (strstr (row_subtitle (row), "can be retried"));
        }
    }
  g_assert_cmpuint (n_rows, ==, 2);
  g_assert_true (gtk_widget_get_visible (view_child (view, "retry_button")));

  /* Retry: the sim takes them now; only the retryable ones go again. */
  sim_post (fixture, "/_sim/control", "{\"clear_recipients\": true}");
  g_signal_emit_by_name (view_child (view, "retry_button"), "clicked");
  herald_test_wait_until (flag_set, &state.finished, 30000);
  g_assert_cmpint (state.finished_status, ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (sim_stat (fixture, "accepted"), ==, n - n_permanent);
  g_assert_cmpint (sim_stat (fixture, "rejected"), ==, n_retryable + n_permanent);
  g_assert_cmpint (sim_stat (fixture, "duplicates"), ==, 0);
  g_assert_cmpint (sim_stat (fixture, "requests"), ==, n + n_retryable);
  g_assert_true (has_toast (fixture, "5 messages will be sent again"));

  g_clear_object (&campaign);
  campaign = load_campaign (fixture, id);
  g_assert_cmpint (herald_campaign_get_status (campaign), ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (herald_campaign_get_failed_count (campaign), ==, n_permanent);
  g_assert_cmpint (herald_campaign_get_sent_count (campaign), ==, n - n_permanent);
  g_assert_cmpint (count_logs (fixture, id, HERALD_MESSAGE_FAILED), ==, n_permanent);
  reload_view (view, &state);
  g_assert_cmpint (label_value (view, "failed"), ==, n_permanent);
  row = gtk_widget_get_first_child (list);
  g_assert_nonnull (row);
  g_assert_null (gtk_widget_get_next_sibling (row));
  g_assert_cmpint (g_ascii_strtoll (row_subtitle (row), NULL, 10), ==, n_permanent);
  g_assert_false (gtk_widget_get_visible (view_child (view, "retry_button")));
}

/* 3. The message log's filters, 4. the export: on a generated log */

#define LOG_ROWS 450

/* A campaign of one message plus LOG_ROWS generated ones (+1555 and seven
 * digits from 0; statuses by i % 20). */
static gint64
generated_campaign (Fixture *fixture)
{
  g_autoptr(HeraldNumber) number = herald_number_new ("123456789", "+15550100000");
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_true (herald_store_save_number (fixture->store, number, &error));
  herald_template_set_name (template, "order_ready");
  herald_template_set_language (template, "en");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello {{1}}, your order is ready.");
  herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
  g_assert_true (herald_store_save_template (fixture->store, template, &error));
  add_contacts (fixture->store, "063", 1, ids);
  id = create_campaign (fixture->store, herald_number_get_id (number), herald_template_get_id (template), NULL);
  g_assert_true (herald_message_log_generate (fixture->store, id, g_array_index (ids, gint64, 0), LOG_ROWS, 0,
                                              &error));
  g_assert_no_error (error);
  return id;
}

static gboolean
log_settled (gpointer data)
{
  HeraldMessageLogModel *model = data;
  guint wanted = GPOINTER_TO_UINT (g_object_get_data (data, "wanted"));

  return !herald_message_log_model_get_loading (model) && herald_message_log_model_get_n_fetching (model) == 0 &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) == wanted;
}

static gboolean
log_fetched (gpointer data)
{
  return herald_message_log_model_get_n_fetching (data) == 0;
}

/* Does @number contain @digits? */
static gboolean
number_matches (const char *number,
                const char *digits)
{
  return digits == NULL || strstr (number, digits) != NULL;
}

/* The model shows exactly the messages of @all with @status (-1: any) whose
 * number contains @digits, in order. */
static void
assert_log_shows (HeraldMessageLogModel *model,
                  GPtrArray             *all,
                  int                    status,
                  const char            *digits)
{
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n;

  for (guint i = 0; i < all->len; i++)
    {
      const HeraldMessageLogEntry *entry = g_ptr_array_index (all, i);

      if ((status < 0 || (int) entry->status == status) && number_matches (entry->mobile_number, digits))
        g_array_append_val (expected, entry->id);
    }

  g_object_set_data (G_OBJECT (model), "wanted", GUINT_TO_POINTER (expected->len));
  herald_test_wait_until (log_settled, model, 10000);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, expected->len);
  /* Ask for every row, then read them once their pages are in. */
  for (guint i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
  herald_test_wait_until (log_fetched, model, 10000);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HeraldMessageLogRow) row = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_true (herald_message_log_row_get_loaded (row));
      g_assert_cmpint (herald_message_log_row_get_id (row), ==, g_array_index (expected, gint64, i));
      if (status >= 0)
        g_assert_cmpint (herald_message_log_row_get_status (row), ==, status);
      g_assert_true (number_matches (herald_message_log_row_get_mobile_number (row), digits));
    }
}

static void
test_log_filters (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 id = generated_campaign (fixture);
  g_autoptr(GPtrArray) all = list_all (fixture, id);
  ViewState state = { 0 };
  HeraldCampaignView *view = open_view (fixture, id, &state);
  HeraldMessageLogModel *model = herald_campaign_view_get_log_model (view);
  GtkDropDown *dropdown = GTK_DROP_DOWN (view_child (view, "status_dropdown"));
  GtkEditable *search = GTK_EDITABLE (view_child (view, "search_entry"));
  GtkStack *stack = GTK_STACK (view_child (view, "log_stack"));
  const char * const searches[] = { "0000012", "155500003", "+1 555-000-0449" };

  g_assert_cmpuint (all->len, ==, LOG_ROWS + 1);
  herald_campaign_view_show_messages (view, 0);
  assert_log_shows (model, all, -1, NULL);

  /* The status list: All, then each status. */
  for (int status = HERALD_MESSAGE_PENDING; status <= HERALD_MESSAGE_FAILED; status++)
    {
      gtk_drop_down_set_selected (dropdown, status + 1);
      assert_log_shows (model, all, status, NULL);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), >, 0);
      g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
    }
  gtk_drop_down_set_selected (dropdown, 0);
  assert_log_shows (model, all, -1, NULL);

  /* Searching by number, digits only (spaces, dashes and + are ignored). */
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GString) digits = g_string_new (NULL);

      for (const char *c = searches[i]; *c != '\0'; c++)
        if (g_ascii_isdigit (*c))
          g_string_append_c (digits, *c);
      gtk_editable_set_text (search, searches[i]);
      assert_log_shows (model, all, -1, digits->str);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);

  /* Both at once, then a search nobody matches. */
  gtk_editable_set_text (search, "00001");
  gtk_drop_down_set_selected (dropdown, HERALD_MESSAGE_READ + 1);
  assert_log_shows (model, all, HERALD_MESSAGE_READ, "00001");
  gtk_editable_set_text (search, "9999999");
  assert_log_shows (model, all, HERALD_MESSAGE_READ, "9999999");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  gtk_editable_set_text (search, "");
  gtk_drop_down_set_selected (dropdown, 0);
  assert_log_shows (model, all, -1, NULL);
}

static gboolean
toast_shown (gpointer data)
{
  Fixture *fixture = data;

  return fixture->toasts->len > 0;
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  gint64 id = generated_campaign (fixture);
  g_autoptr(GPtrArray) all = list_all (fixture, id);
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *path = g_build_filename (fixture->dir, "results.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(HeraldCsvReader) reader = NULL;
  g_autoptr(HeraldCsvRecord) header = NULL;
  g_autoptr(GError) error = NULL;
  ViewState state = { 0 };
  HeraldCampaignView *view = open_view (fixture, id, &state);
  const char * const columns[] = { "name", "mobile_number", "email", "notes", "status" };
  guint n_lines = 0;

  for (guint i = 0; i < all->len; i++)
    {
      const HeraldMessageLogEntry *entry = g_ptr_array_index (all, i);

      g_hash_table_insert (statuses, entry->mobile_number, (gpointer) herald_message_status_to_string (entry->status));
    }

  /* What the file chooser's Export runs. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "campaign.export-to", "s", uri));
  herald_test_wait_until (toast_shown, fixture, 30000);
  g_assert_cmpstr (g_ptr_array_index (fixture->toasts, 0), ==, "Results exported");

  reader = herald_csv_reader_new_for_file (file);
  header = herald_csv_reader_read_record (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (header);
  g_assert_cmpuint (herald_csv_record_get_n_fields (header), ==, 11);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_assert_cmpstr (herald_csv_record_get_field (header, i), ==, columns[i]);

  /* One line per message, with its status in the store. */
  for (;;)
    {
      g_autoptr(HeraldCsvRecord) record = herald_csv_reader_read_record (reader, NULL, &error);
      const char *number;

      g_assert_no_error (error);
      if (record == NULL)
        break;
      g_assert_null (herald_csv_record_get_error (record));
      g_assert_cmpuint (herald_csv_record_get_n_fields (record), ==, 11);
      number = herald_csv_record_get_field (record, 1);
      g_assert_true (g_hash_table_contains (statuses, number));
      g_assert_cmpstr (herald_csv_record_get_field (record, 4), ==, g_hash_table_lookup (statuses, number));
      /* Each number once. */
      g_assert_true (g_hash_table_remove (statuses, number));
      n_lines++;
    }
  g_assert_cmpuint (n_lines, ==, LOG_ROWS + 1);
  g_assert_cmpuint (g_hash_table_size (statuses), ==, 0);
}

/* 5. The wizard's test send */

static gboolean
wizard_ready (gpointer data)
{
  return !herald_campaign_wizard_get_busy (data);
}

static GtkWidget *
wizard_child (HeraldCampaignWizard *wizard,
              const char           *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (wizard), HERALD_TYPE_CAMPAIGN_WIZARD, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

/* Number → template → audience → variables → pre-flight. */
static HeraldCampaignWizard *
wizard_to_preflight (Fixture *fixture,
                     gint64   number_id)
{
  HeraldCampaignWizard *wizard = herald_campaign_wizard_new (fixture->worker);

  gtk_window_present (GTK_WINDOW (wizard));
  herald_test_wait_until (wizard_ready, wizard, 10000);
  g_assert_true (herald_campaign_wizard_select_number (wizard, number_id));
  while (!g_str_equal (herald_campaign_wizard_get_step (wizard), "preflight"))
    {
      g_assert_true (herald_campaign_wizard_can_go_next (wizard));
      herald_campaign_wizard_go_next (wizard);
      herald_test_wait_until (wizard_ready, wizard, 10000);
    }
  return wizard;
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

/* Types @to into the test number row and clicks Send Test; waits until the
 * button is back. */
static void
test_send (HeraldCampaignWizard *wizard,
           const char           *to)
{
  GtkWidget *button = wizard_child (wizard, "test_button");

  gtk_editable_set_text (GTK_EDITABLE (wizard_child (wizard, "test_number_row")), to);
  g_signal_emit_by_name (button, "clicked");
  g_assert_false (gtk_widget_get_sensitive (button));
  herald_test_wait_until (widget_sensitive, button, 30000);
}

static guint
count_campaigns (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) campaigns = herald_campaign_list (fixture->store, &error);

  g_assert_no_error (error);
  return campaigns->len;
}

static gpointer
nothing_func (HeraldStore   *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  return HERALD_STORE_WORKER_TRUE;
}

static void
on_nothing_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error) != NULL);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
sim_got_request (gpointer data)
{
  return sim_stat (data, "requests") > 0;
}

static void
test_wizard_test_send (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *to = "+15550177001";
  g_autofree char *errors = g_strdup_printf ("{\"recipient_errors\": {\"%s\": 131026}}", to);
  HeraldCampaignWizard *wizard;
  GtkWidget *button;
  gboolean worker_done = FALSE;
  gint64 number_id;

  add_contacts (fixture->store, "064", 3, NULL);
  number_id = sandbox_set_up (fixture);
  wizard = wizard_to_preflight (fixture, number_id);
  button = wizard_child (wizard, "test_button");
  sim_post (fixture, "/_sim/reset", "{}");

  /* While the sim holds its answer, the store worker is free. */
  sim_post (fixture, "/_sim/control", "{\"latency_ms\": 2000, \"fail_rate\": 0}");
  gtk_editable_set_text (GTK_EDITABLE (wizard_child (wizard, "test_number_row")), to);
  g_signal_emit_by_name (button, "clicked");
  herald_test_wait_until (sim_got_request, fixture, 10000);
  herald_store_worker_run_async (fixture->worker, nothing_func, NULL, NULL, NULL, NULL,
                                 on_nothing_done_cb, &worker_done);
  herald_test_wait_until (flag_set, &worker_done, 10000);
  g_assert_false (gtk_widget_get_sensitive (button));
  herald_test_wait_until (widget_sensitive, button, 30000);

  /* Exactly one message, to that number; no campaign. */
  g_assert_cmpint (sim_stat (fixture, "accepted"), ==, 1);
  g_assert_cmpint (sim_stat (fixture, "unique_recipients"), ==, 1);
  g_assert_cmpint (sim_stat (fixture, "requests"), ==, 1);
  g_assert_cmpuint (count_campaigns (fixture), ==, 0);

  /* The sim refusing that number refuses the next test send: it was the
   * recipient. */
  sim_post (fixture, "/_sim/control", "{\"latency_ms\": 0}");
  sim_post (fixture, "/_sim/control", errors);
  test_send (wizard, to);
  g_assert_cmpint (sim_stat (fixture, "rejected"), ==, 1);
  g_assert_cmpint (sim_stat (fixture, "accepted"), ==, 1);
  g_assert_cmpuint (count_campaigns (fixture), ==, 0);
  g_assert_cmpstr (herald_campaign_wizard_get_step (wizard), ==, "preflight");
  g_assert_cmpint (herald_campaign_wizard_get_campaign_id (wizard), ==, 0);
  gtk_window_destroy (GTK_WINDOW (wizard));
}

/* A real number: the token from the keyring, the API from $HERALD_API_BASE. */

static void
test_wizard_test_send_keyring (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *phone_number_id = "106540352242922";
  g_autoptr(HeraldSimServer) sim = herald_sim_server_new ("test-token");
  g_autoptr(HeraldNumber) number = herald_number_new (phone_number_id, "+15550100000");
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(GError) error = NULL;
  HeraldCampaignWizard *wizard;

  g_assert_true (herald_sim_server_listen (sim, 0, &error));
  g_assert_true (herald_sim_server_add_template (sim, "order_ready:en:1", &error));
  g_assert_no_error (error);
  if (!herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, phone_number_id, NULL, "test-token", NULL, &error))
    {
      if (g_error_matches (error, HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_NO_KEYRING) ||
          g_error_matches (error, HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_LOCKED))
        {
          g_test_skip_printf ("no keyring: %s", error->message);
          return;
        }
      g_assert_no_error (error);
    }
  g_setenv ("HERALD_API_BASE", herald_sim_server_get_url (sim), TRUE);

  g_assert_true (herald_store_save_number (fixture->store, number, &error));
  herald_template_set_name (template, "order_ready");
  herald_template_set_language (template, "en");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello {{1}}, your order is ready.");
  herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
  g_assert_true (herald_store_save_template (fixture->store, template, &error));
  add_contacts (fixture->store, "065", 2, NULL);

  wizard = wizard_to_preflight (fixture, herald_number_get_id (number));
  test_send (wizard, "+15550177002");
  g_assert_cmpint (herald_test_sim_stat (sim, "accepted"), ==, 1);
  g_assert_cmpint (herald_test_sim_stat (sim, "unique_recipients"), ==, 1);

  /* No token in the keyring: nothing goes, and the wizard says so. */
  g_assert_true (herald_secrets_clear_sync (HERALD_SECRET_ACCESS_TOKEN, phone_number_id, NULL, &error));
  test_send (wizard, "+15550177002");
  g_assert_cmpint (herald_test_sim_stat (sim, "requests"), ==, 1);
  g_assert_cmpuint (count_campaigns (fixture), ==, 0);
  gtk_window_destroy (GTK_WINDOW (wizard));
  g_unsetenv ("HERALD_API_BASE");
}

int
main (int   argc,
      char *argv[])
{
  if (!herald_ui_test_init (&argc, &argv))
    return 77;

  g_test_add ("/herald/ui-dashboard/pause-resume", Fixture, NULL, fixture_set_up, test_pause_resume,
              fixture_tear_down);
  g_test_add ("/herald/ui-dashboard/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/herald/ui-dashboard/failures-retry", Fixture, NULL, fixture_set_up, test_failures_retry,
              fixture_tear_down);
  g_test_add ("/herald/ui-dashboard/log-filters", Fixture, NULL, fixture_set_up, test_log_filters,
              fixture_tear_down);
  g_test_add ("/herald/ui-dashboard/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/herald/ui-dashboard/wizard-test-send", Fixture, NULL, fixture_set_up, test_wizard_test_send,
              fixture_tear_down);
  g_test_add ("/herald/ui-dashboard/wizard-test-send-keyring", Fixture, NULL, fixture_set_up,
              test_wizard_test_send_keyring, fixture_tear_down);
  return g_test_run ();
}
