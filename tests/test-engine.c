/* test-engine.c: campaigns end to end against herald-sim
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "herald-campaign.h"
#include "herald-secrets.h"
#include "herald-sender.h"
#include "herald-sim-server.h"
#include "herald-status-applier.h"
#include "herald-store-private.h"
#include "herald-test-utils.h"
#include "herald-webhook.h"

#define TOKEN      "sim-engine-token"
#define NUMBER_ID  "100000000000002"

typedef struct
{
  char            *dir;
  char            *db_path;
  HeraldStore     *store;
  HeraldSimServer *sim;
  SoupServer      *hooks;
  GHashTable      *accepted;     /* callback data of "sent" webhooks → count */
  gint64           number_id;
  gint64           template_id;
} Fixture;

/* Status webhooks from the sim, applied by biz_opaque_callback_data. */
static void
on_webhook (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GPtrArray) updates = NULL;

  updates = herald_webhook_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL);
  for (guint i = 0; updates != NULL && i < updates->len; i++)
    {
      HeraldWebhookUpdate *update = g_ptr_array_index (updates, i);

      if (update->kind != HERALD_WEBHOOK_UPDATE_STATUS || update->biz_opaque_callback_data == NULL)
        continue;
      if (g_str_equal (update->status_name, "sent"))
        {
          gpointer n = g_hash_table_lookup (fixture->accepted, update->biz_opaque_callback_data);

          g_hash_table_insert (fixture->accepted, g_strdup (update->biz_opaque_callback_data),
                               GINT_TO_POINTER (GPOINTER_TO_INT (n) + 1));
        }
    }

  /* Applied as the app applies them, by wamid or callback data. */
  if (fixture->store != NULL)
    {
      g_autoptr(HeraldStatusApplier) applier = herald_status_applier_new (fixture->store);
      g_auto(HeraldApplyReport) report = { 0, };
      g_autoptr(GError) error = NULL;

      herald_status_applier_ingest (applier, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                    &report, &error);
      g_assert_no_error (error);
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static char *
hooks_url (Fixture *fixture)
{
  GSList *uris = soup_server_get_uris (fixture->hooks);
  char *url = g_strdup_printf ("http://127.0.0.1:%d/webhook", g_uri_get_port (uris->data));

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

static char *
mobile (guint i)
{
  return g_strdup_printf ("+49170%07u", i);
}

static void
add_contacts (Fixture *fixture,
              guint    n)
{
  g_autoptr(GError) error = NULL;

  herald_store_begin (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Person %u", i);
      g_autofree char *number = mobile (i);
      g_autoptr(HeraldContact) contact = herald_contact_new (name, number);

      herald_contact_set_attribute (contact, "city", i % 10 == 0 ? "" : "Berlin");
      herald_store_save_contact (fixture->store, contact, &error);
      g_assert_no_error (error);
    }
  herald_store_commit (fixture->store, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldTemplate) template = NULL;
  g_autofree char *url = NULL;

  fixture->dir = herald_test_tmp_dir ();
  fixture->db_path = g_build_filename (fixture->dir, "herald.db", NULL);
  fixture->store = herald_store_new (fixture->db_path, &error);
  g_assert_no_error (error);
  fixture->accepted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  fixture->hooks = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->hooks, "/webhook", on_webhook, fixture, NULL);
  soup_server_listen_local (fixture->hooks, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  url = hooks_url (fixture);

  fixture->sim = herald_sim_server_new (TOKEN);
  g_object_set (fixture->sim, "mps", 100000, "pair-window-ms", 0, "webhook-url", url, NULL);
  herald_sim_server_listen (fixture->sim, 0, &error);
  g_assert_no_error (error);
  herald_sim_server_add_template (fixture->sim, "hello:en_US:2", &error);
  g_assert_no_error (error);
  herald_test_sim_control (fixture->sim, "{\"webhooks\": {\"sent_delay_ms\": 0, \"delivered_delay_ms\": 5, \"read\": false,"
                        " \"batch_size\": 50}}");

  number = herald_number_new (NUMBER_ID, "+15550001111");
  herald_number_set_messages_per_second (number, 80);
  herald_store_save_number (fixture->store, number, &error);
  g_assert_no_error (error);
  fixture->number_id = herald_number_get_id (number);

  template = herald_template_new ();
  herald_template_set_name (template, "hello");
  herald_template_set_language (template, "en_US");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello {{1}}, see you in {{2}} soon.");
  herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
  herald_store_save_template (fixture->store, template, &error);
  g_assert_no_error (error);
  fixture->template_id = herald_template_get_id (template);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_assert_finalize_object (fixture->sim);
  soup_server_disconnect (fixture->hooks);
  g_clear_object (&fixture->hooks);
  g_hash_table_unref (fixture->accepted);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static gint64
create_campaign (Fixture  *fixture,
                 guint     n_contacts)
{
  g_autoptr(HeraldCampaignSpec) spec = herald_campaign_spec_new (fixture->number_id, fixture->template_id);
  g_autoptr(HeraldCampaignReport) report = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;

  add_contacts (fixture, n_contacts);
  herald_campaign_spec_bind (spec, "1", "name", &error);
  g_assert_no_error (error);
  herald_campaign_spec_bind (spec, "2", "=Paris", &error);
  g_assert_no_error (error);
  campaign = herald_campaign_create (fixture->store, spec, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->recipients, ==, n_contacts);
  return herald_campaign_get_id (campaign);
}

/* Running a sender to its end */

typedef struct
{
  GAsyncResult *result;
  Fixture      *fixture;
  gint64        trigger_at;   /* sent count at which to act, 0: never */
  void        (*trigger) (Fixture *fixture, HeraldSender *sender);
  gboolean      triggered;
} Run;

static gboolean
run_done (gpointer data)
{
  return ((Run *) data)->result != NULL;
}

static void
on_run_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ((Run *) user_data)->result = g_object_ref (result);
}

static void
on_progress (HeraldSender *sender,
             Run          *run)
{
  if (run->trigger != NULL && !run->triggered && herald_sender_get_sent (sender) >= run->trigger_at)
    {
      run->triggered = TRUE;
      run->trigger (run->fixture, sender);
    }
}

static HeraldSender *
new_sender (Fixture    *fixture,
            gint64      campaign_id,
            const char *token,
            guint       rate)
{
  HeraldSender *sender = herald_sender_new (fixture->db_path, campaign_id);

  g_object_set (sender,
                "api-base", herald_sim_server_get_url (fixture->sim),
                "access-token", token,
                "rate", rate,
                "backoff-scale", 0.01,
                "max-retries", 12,
                "stop-when-paused", TRUE,
                NULL);
  return sender;
}

static HeraldCampaignStatus
run_sender (Fixture      *fixture,
            HeraldSender *sender,
            Run          *run)
{
  g_autoptr(GError) error = NULL;
  HeraldCampaignStatus status;
  gulong id;

  run->fixture = fixture;
  id = g_signal_connect (sender, "progress", G_CALLBACK (on_progress), run);
  herald_sender_run_async (sender, NULL, on_run_cb, run);
  herald_test_wait_until (run_done, run, 60000);
  herald_sender_run_finish (sender, run->result, &status, &error);
  g_assert_no_error (error);
  g_signal_handler_disconnect (sender, id);
  g_clear_object (&run->result);
  g_assert_cmpint (herald_sender_get_state (sender), ==, status);
  return status;
}

typedef struct
{
  Fixture *fixture;
  gint64   campaign_id;
} Settled;

/* No message left in doubt whose webhook may still come. */
static gboolean
in_doubt_at_most (gpointer data)
{
  Settled *s = data;
  g_autoptr(GError) error = NULL;
  gint64 in_doubt = herald_campaign_count_in_doubt (s->fixture->store, s->campaign_id, &error);

  g_assert_no_error (error);
  return in_doubt <= herald_test_sim_stat (s->fixture->sim, "dropped") && herald_test_sim_stat (s->fixture->sim, "webhooks_pending") == 0 &&
         herald_test_sim_stat (s->fixture->sim, "webhooks_in_flight") == 0;
}

static void
assert_funnel_matches_rows (Fixture *fixture,
                            gint64   id)
{
  g_autoptr(HeraldCampaign) campaign = herald_campaign_load (fixture->store, id, NULL);
  g_autofree char *sent = g_strdup_printf ("SELECT count(*) FROM message_logs WHERE campaign_id = %" G_GINT64_FORMAT " AND sent_at IS NOT NULL", id);
  g_autofree char *failed = g_strdup_printf ("SELECT count(*) FROM message_logs WHERE campaign_id = %" G_GINT64_FORMAT " AND status = 'FAILED'", id);
  g_autofree char *delivered = g_strdup_printf ("SELECT count(*) FROM message_logs WHERE campaign_id = %" G_GINT64_FORMAT " AND delivered_at IS NOT NULL", id);

  g_assert_nonnull (campaign);
  g_assert_cmpint (herald_campaign_get_sent_count (campaign), ==, herald_test_store_query_int (fixture->store, sent, NULL));
  g_assert_cmpint (herald_campaign_get_failed_count (campaign), ==, herald_test_store_query_int (fixture->store, failed, NULL));
  g_assert_cmpint (herald_campaign_get_delivered_count (campaign), ==, herald_test_store_query_int (fixture->store, delivered, NULL));
}

/* Tests */

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(HeraldCampaignSpec) spec = herald_campaign_spec_new (fixture->number_id, fixture->template_id);
  g_autoptr(HeraldCampaignReport) report = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldContact) out = NULL;
  g_autoptr(HeraldContact) off = NULL;
  HeraldCampaignPreflight preflight;

  add_contacts (fixture, 30);
  out = herald_store_get_contact_by_mobile_number (fixture->store, "+491700000001", &error);
  g_assert_no_error (error);
  herald_store_set_contact_opted_out (fixture->store, herald_contact_get_id (out), TRUE, "STOP", NULL, &error);
  g_assert_no_error (error);
  off = herald_store_get_contact_by_mobile_number (fixture->store, "+491700000002", &error);
  herald_contact_set_is_active (off, FALSE);
  herald_store_save_contact (fixture->store, off, &error);
  g_assert_no_error (error);

  /* Bindings are checked before anything is written. */
  g_assert_false (herald_campaign_spec_bind (spec, "1", "nickname", &error));
  g_assert_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_INVALID);
  g_clear_error (&error);
  herald_campaign_spec_bind (spec, "1", "name", &error);
  g_assert_no_error (error);
  g_assert_null (herald_campaign_create (fixture->store, spec, NULL, &error));
  g_assert_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2"));
  g_clear_error (&error);
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM campaigns", NULL), ==, 0);

  /* Every tenth contact has an empty city: left out and reported. */
  herald_campaign_spec_bind (spec, "2", "attr:city", &error);
  g_assert_no_error (error);
  campaign = herald_campaign_create (fixture->store, spec, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->opted_out, ==, 1);
  g_assert_cmpuint (report->inactive, ==, 1);
  g_assert_cmpuint (report->missing_values, ==, 3);
  g_assert_cmpuint (report->problems->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (report->problems, 0), "Person 10"));
  g_assert_cmpuint (report->recipients, ==, 25);
  g_assert_cmpint (herald_campaign_get_total_messages (campaign), ==, 25);
  g_assert_cmpint (herald_campaign_get_status (campaign), ==, HERALD_CAMPAIGN_PENDING);
  g_assert_true (g_str_has_prefix (herald_campaign_get_name (campaign), "hello, "));

  {
    g_autoptr(sqlite3_stmt) stmt = NULL;

    sqlite3_prepare_v2 (herald_store_get_db (fixture->store),
                        "SELECT message_content, parameters FROM message_logs WHERE mobile_number = '+491700000003'",
                        -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "Hello Person 3, see you in Berlin soon.");
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "{\"1\":\"Person 3\",\"2\":\"Berlin\"}");
  }

  /* A selection with a repeat. */
  {
    g_autoptr(HeraldCampaign) selected = NULL;
    g_autoptr(HeraldCampaignReport) selected_report = NULL;
    gint64 ids[] = { 3, 4, 3 };

    herald_campaign_spec_select_contacts (spec, ids, G_N_ELEMENTS (ids));
    herald_campaign_spec_set_name (spec, "Selection");
    selected = herald_campaign_create (fixture->store, spec, &selected_report, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (selected_report->recipients, ==, 2);
    g_assert_cmpuint (selected_report->duplicates, ==, 1);
    g_assert_cmpstr (herald_campaign_get_name (selected), ==, "Selection");
  }

  /* Pre-flight: the number's tier allows 10 more unique users today. */
  {
    g_autoptr(HeraldNumber) number = herald_store_get_number (fixture->store, fixture->number_id, &error);

    herald_number_set_messaging_limit_tier (number, "TIER_250");
    herald_store_save_number (fixture->store, number, &error);
    g_assert_no_error (error);
    sqlite3_exec (herald_store_get_db (fixture->store),
                  "UPDATE message_logs SET status = 'SENT', sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),"
                  " claimed_at = 'x' WHERE campaign_id = 2", NULL, NULL, NULL);
  }
  herald_campaign_preflight (fixture->store, herald_campaign_get_id (campaign), 0, &preflight, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preflight.recipients, ==, 25);
  g_assert_cmpuint (preflight.reached_24h, ==, 2);
  g_assert_cmpint (preflight.messaging_limit, ==, 250);
  g_assert_cmpuint (preflight.over_limit, ==, 0);
  g_assert_cmpuint (preflight.messages_per_second, ==, 80);
  g_assert_cmpfloat_with_epsilon (preflight.seconds, 25.0 / 80, 1e-9);

  /* The limit is the portfolio's: the highest tier of its numbers, against
   * the unique users all of them reached (one of the two went out from the
   * other number). */
  {
    g_autoptr(HeraldNumber) other = herald_number_new ("100000000000003", "+15550002222");
    g_autoptr(HeraldStoreStmt) stmt = NULL;

    herald_number_set_messaging_limit_tier (other, "TIER_1K");
    herald_store_save_number (fixture->store, other, &error);
    g_assert_no_error (error);
    stmt = _herald_store_prepare_cached (fixture->store,
                                         "UPDATE message_logs SET whatsapp_number_id = ?1"
                                         " WHERE id = (SELECT min (id) FROM message_logs WHERE campaign_id = 2)",
                                         &error);
    g_assert_no_error (error);
    sqlite3_bind_int64 (stmt, 1, herald_number_get_id (other));
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  }
  herald_campaign_preflight (fixture->store, herald_campaign_get_id (campaign), 0, &preflight, &error);
  g_assert_no_error (error);
  g_assert_cmpint (preflight.messaging_limit, ==, 1000);
  g_assert_cmpuint (preflight.reached_24h, ==, 2);
}

/* Numbers kept for fiction (the Sandbox's sample contacts) can't be reached
 * through Meta: left out on a real number, kept on the Sandbox. */
static void
test_create_fictional (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(HeraldContact) sample = herald_contact_new ("Ada Lovelace", "+12025550101");
  g_autoptr(HeraldNumber) sandbox = herald_number_new ("sandbox-number", "+15550100000");
  g_autoptr(GError) error = NULL;
  gint64 sandbox_id;

  add_contacts (fixture, 3);
  herald_store_save_contact (fixture->store, sample, &error);
  g_assert_no_error (error);
  herald_number_set_is_sandbox (sandbox, TRUE);
  herald_store_save_number (fixture->store, sandbox, &error);
  g_assert_no_error (error);
  sandbox_id = herald_number_get_id (sandbox);

  for (guint i = 0; i < 2; i++)
    {
      gint64 number_id = i == 0 ? fixture->number_id : sandbox_id;
      g_autoptr(HeraldCampaignSpec) spec = herald_campaign_spec_new (number_id, fixture->template_id);
      g_autoptr(HeraldCampaignReport) report = NULL;
      g_autoptr(HeraldCampaign) campaign = NULL;
      g_autofree char *sql = NULL;

      herald_campaign_spec_bind (spec, "1", "name", &error);
      herald_campaign_spec_bind (spec, "2", "=Lisbon", &error);
      g_assert_no_error (error);
      campaign = herald_campaign_create (fixture->store, spec, &report, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (report->fictional, ==, i == 0 ? 1 : 0);
      g_assert_cmpuint (report->recipients, ==, i == 0 ? 3 : 4);
      sql = g_strdup_printf ("SELECT count(*) FROM message_logs WHERE campaign_id = %" G_GINT64_FORMAT
                             " AND mobile_number = '+12025550101'", herald_campaign_get_id (campaign));
      g_assert_cmpint (herald_test_store_query_int (fixture->store, sql, NULL), ==, i == 0 ? 0 : 1);
    }
}

static void
test_clean (Fixture       *fixture,
            gconstpointer  data)
{
  gint64 id = create_campaign (fixture, 300);
  g_autoptr(HeraldSender) sender = new_sender (fixture, id, TOKEN, 2000);
  g_autoptr(HeraldCampaign) campaign = NULL;
  Run run = { 0 };

  g_assert_cmpint (run_sender (fixture, sender, &run), ==, HERALD_CAMPAIGN_COMPLETED);
  campaign = herald_campaign_load (fixture->store, id, NULL);
  g_assert_cmpint (herald_campaign_get_status (campaign), ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (herald_campaign_get_sent_count (campaign), ==, 300);
  g_assert_cmpint (herald_campaign_get_failed_count (campaign), ==, 0);
  g_assert_nonnull (herald_campaign_get_started_at (campaign));
  g_assert_nonnull (herald_campaign_get_completed_at (campaign));
  g_assert_cmpint (herald_sender_get_sent (sender), ==, 300);
  g_assert_cmpint (herald_sender_get_pending (sender), ==, 0);
  g_assert_cmpint (herald_sender_get_in_doubt (sender), ==, 0);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "accepted"), ==, 300);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "duplicates"), ==, 0);
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM message_logs WHERE wa_message_id LIKE 'wamid.%' AND wa_id IS NOT NULL", NULL), ==, 300);
  assert_funnel_matches_rows (fixture, id);
}

static void
expire_token (Fixture      *fixture,
              HeraldSender *sender)
{
  herald_test_sim_control (fixture->sim, "{\"expire_token\": true}");
}

static void
test_faults (Fixture       *fixture,
             gconstpointer  data)
{
  gint64 id = create_campaign (fixture, 400);
  g_autoptr(HeraldSender) sender = NULL;
  g_autoptr(HeraldSender) again = NULL;
  g_autoptr(HeraldSender) last = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;
  Settled settled = { fixture, id };
  Run run = { 0 };
  HeraldCampaignStatus status;

  /* 5% 5xx, delays, dropped connections (also after accepting), 130429
   * bursts (the sim allows 150/s, we start at 400/s), 131056 for numbers
   * messaged a moment ago, 131026 for three numbers, and the token expiring
   * half way. */
  g_object_set (fixture->sim, "mps", 150, "pair-window-ms", 300, NULL);
  {
    g_autoptr(HeraldCloudClient) client = herald_cloud_client_new (herald_sim_server_get_url (fixture->sim), TOKEN);

    /* Pair rate: a test send to the first recipients just before. */
    for (guint i = 1; i <= 5; i++)
      {
        g_autofree char *to = mobile (i);
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(HeraldSendResult) sent = NULL;
        g_autoptr(GError) send_error = NULL;

        herald_campaign_test_send_async (fixture->store, id, client, to, NULL, on_run_cb, &(run.result));
        herald_test_wait_until (run_done, &run, 10000);
        result = g_steal_pointer (&run.result);
        sent = herald_campaign_test_send_finish (result, &send_error);
        g_assert_no_error (send_error);
        g_assert_nonnull (sent);
      }
  }
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "accepted"), ==, 5);
  g_object_set (fixture->sim, "mps", 150, "pair-window-ms", 300, NULL);
  herald_test_sim_control (fixture->sim, "{\"http_5xx_rate\": 0.05, \"latency_ms\": 3, \"drop_rate\": 0.01,"
                        " \"drop_after_accept_rate\": 0.02,"
                        " \"recipient_errors\": {\"+491700000007\": 131026, \"+491700000077\": 131026,"
                        "                        \"+491700000177\": 131026}}");

  sender = new_sender (fixture, id, TOKEN, 400);
  run.trigger_at = 150;
  run.trigger = expire_token;
  status = run_sender (fixture, sender, &run);
  g_assert_cmpint (status, ==, HERALD_CAMPAIGN_PAUSED);
  campaign = herald_campaign_load (fixture->store, id, NULL);
  g_assert_cmpint (herald_campaign_get_status (campaign), ==, HERALD_CAMPAIGN_PAUSED);
  g_assert_nonnull (herald_campaign_get_paused_reason (campaign));
  g_assert_cmpstr (herald_sender_get_paused_reason (sender), ==, herald_campaign_get_paused_reason (campaign));
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "accepted"), <, 400 + 5);
  g_clear_object (&campaign);

  /* A new token; the run goes on where it stopped. */
  herald_test_sim_control (fixture->sim, "{\"token\": \"renewed-token\"}");
  again = new_sender (fixture, id, "renewed-token", 400);
  status = run_sender (fixture, again, &(Run) { 0 });

  /* Messages whose answer was lost wait for their webhook; those the sim
   * dropped before accepting never get one and stay in doubt. */
  herald_test_wait_until (in_doubt_at_most, &settled, 20000);
  g_assert_cmpint (herald_campaign_count_in_doubt (fixture->store, id, NULL), ==, herald_test_sim_stat (fixture->sim, "dropped"));
  if (status == HERALD_CAMPAIGN_PAUSED)
    {
      g_autoptr(GPtrArray) in_doubt = herald_campaign_list_in_doubt (fixture->store, id, &error);

      g_assert_no_error (error);
      g_assert_cmpint (in_doubt->len, ==, herald_test_sim_stat (fixture->sim, "dropped"));
      /* The user retries them. */
      g_assert_cmpint (herald_campaign_retry_in_doubt (fixture->store, id, NULL, &error), ==, in_doubt->len);
      g_assert_no_error (error);
    }
  else
    g_assert_cmpint (status, ==, HERALD_CAMPAIGN_COMPLETED);

  herald_test_sim_control (fixture->sim, "{\"drop_rate\": 0, \"drop_after_accept_rate\": 0}");
  last = new_sender (fixture, id, "renewed-token", 400);
  g_assert_cmpint (run_sender (fixture, last, &(Run) { 0 }), ==, HERALD_CAMPAIGN_COMPLETED);

  campaign = herald_campaign_load (fixture->store, id, NULL);
  g_assert_cmpint (herald_campaign_get_status (campaign), ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (herald_campaign_get_failed_count (campaign), ==, 3);
  g_assert_cmpint (herald_campaign_get_sent_count (campaign), ==, 397);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "accepted"), ==, 397 + 5);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "duplicates"), ==, 0);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "http_5xx"), >, 0);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "throttled"), >, 0);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "pair_limited"), >, 0);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "dropped_after_accept"), >, 0);
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM message_logs WHERE status = 'FAILED'"
                                                                " AND error_code = 131026 AND error_message IS NOT NULL", NULL), ==, 3);
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM message_logs WHERE retry_count > 0", NULL), >, 0);
  g_assert_cmpint (herald_campaign_count_in_doubt (fixture->store, id, NULL), ==, 0);
  assert_funnel_matches_rows (fixture, id);

  /* 131026 cannot change: retry-failed leaves them. */
  g_assert_cmpint (herald_campaign_retry_failed (fixture->store, id, &error), ==, 0);
  g_assert_no_error (error);
}

static void
pause_from_outside (Fixture      *fixture,
                    HeraldSender *sender)
{
  g_autoptr(HeraldStore) other = herald_store_new (fixture->db_path, NULL);
  g_autoptr(GError) error = NULL;

  herald_campaign_pause (other, herald_sender_get_campaign_id (sender), &error);
  g_assert_no_error (error);
}

static gboolean
sender_paused (gpointer data)
{
  return herald_sender_get_state (data) == HERALD_CAMPAIGN_PAUSED &&
         herald_sender_get_in_flight (data) == 0;
}

static void
test_pause_resume (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 id = create_campaign (fixture, 200);
  g_autoptr(HeraldSender) sender = new_sender (fixture, id, TOKEN, 200);
  g_autoptr(GError) error = NULL;
  Run run = { .trigger_at = 40, .trigger = pause_from_outside };
  HeraldCampaignStatus status;
  gint64 accepted;

  /* Paused by another process; the sender waits for the resume. */
  g_object_set (sender, "stop-when-paused", FALSE, NULL);
  run.fixture = fixture;
  g_signal_connect (sender, "progress", G_CALLBACK (on_progress), &run);
  herald_sender_run_async (sender, NULL, on_run_cb, &run);
  herald_test_wait_until (sender_paused, sender, 20000);
  g_assert_cmpstr (herald_sender_get_paused_reason (sender), ==, "Paused by you");
  accepted = herald_test_sim_stat (fixture->sim, "accepted");
  g_assert_cmpint (accepted, <, 200);
  g_assert_cmpint (herald_campaign_count_in_doubt (fixture->store, id, NULL), ==, 0);

  herald_campaign_resume (fixture->store, id, &error);
  g_assert_no_error (error);
  herald_test_wait_until (run_done, &run, 30000);
  herald_sender_run_finish (sender, run.result, &status, &error);
  g_assert_no_error (error);
  g_clear_object (&run.result);
  g_assert_cmpint (status, ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "accepted"), ==, 200);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "duplicates"), ==, 0);
}

static void
cancel_now (Fixture      *fixture,
            HeraldSender *sender)
{
  herald_sender_cancel (sender);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  gint64 id = create_campaign (fixture, 300);
  g_autoptr(HeraldSender) sender = new_sender (fixture, id, TOKEN, 200);
  g_autoptr(HeraldCampaign) campaign = NULL;
  Run run = { .trigger_at = 30, .trigger = cancel_now };
  g_autofree char *unsent = NULL;

  g_assert_cmpint (run_sender (fixture, sender, &run), ==, HERALD_CAMPAIGN_CANCELLED);
  campaign = herald_campaign_load (fixture->store, id, NULL);
  g_assert_cmpint (herald_campaign_get_status (campaign), ==, HERALD_CAMPAIGN_CANCELLED);
  g_assert_nonnull (herald_campaign_get_completed_at (campaign));
  g_assert_cmpint (herald_campaign_get_sent_count (campaign), ==, herald_test_sim_stat (fixture->sim, "accepted"));
  g_assert_cmpint (herald_campaign_get_sent_count (campaign), <, 300);
  unsent = g_strdup_printf ("SELECT count(*) FROM message_logs WHERE status = 'PENDING' AND claimed_at IS NULL");
  g_assert_cmpint (herald_test_store_query_int (fixture->store, unsent, NULL), ==, 300 - herald_campaign_get_sent_count (campaign));
}

static void
test_retry_failed (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 id = create_campaign (fixture, 50);
  g_autoptr(HeraldSender) sender = new_sender (fixture, id, TOKEN, 1000);
  g_autoptr(HeraldSender) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GFile) file = NULL;

  /* 131000 (“try again”) with no retries allowed, and one bad number. */
  g_object_set (sender, "max-retries", 0, NULL);
  herald_test_sim_control (fixture->sim, "{\"fail_rate\": 0.2, \"fail_code\": 131000,"
                        " \"recipient_errors\": {\"+491700000003\": 131026}}");
  g_assert_cmpint (run_sender (fixture, sender, &(Run) { 0 }), ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM message_logs WHERE error_code = 131026", NULL), ==, 1);
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM message_logs WHERE error_code = 131000", NULL), ==,
                   herald_test_sim_stat (fixture->sim, "injected_failures"));

  g_assert_cmpint (herald_campaign_retry_failed (fixture->store, id, &error), ==, herald_test_sim_stat (fixture->sim, "injected_failures"));
  g_assert_no_error (error);
  herald_test_sim_control (fixture->sim, "{\"fail_rate\": 0}");
  again = new_sender (fixture, id, TOKEN, 1000);
  g_assert_cmpint (run_sender (fixture, again, &(Run) { 0 }), ==, HERALD_CAMPAIGN_COMPLETED);
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT sent_count FROM campaigns", NULL), ==, 49);
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT failed_count FROM campaigns", NULL), ==, 1);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "duplicates"), ==, 0);

  /* Export: the audience's columns, then status and reason. */
  csv_path = g_build_filename (fixture->dir, "log.csv", NULL);
  file = g_file_new_for_path (csv_path);
  herald_campaign_export (fixture->store, id, file, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (csv_path, &csv, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv, "name,mobile_number,email,notes,city,status,sent_at,delivered_at,"
                                        "read_at,failed_at,error_code,reason"));
  g_assert_nonnull (strstr (csv, "Person 3,+491700000003,,,Berlin,FAILED,"));
}

/* Kill test: herald-cli killed at random moments, resumed each time. */

static gboolean
timer_fired (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
on_timer (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main context (webhooks keep arriving) for @ms. */
static void
spin (guint ms)
{
  gboolean fired = FALSE;

  g_timeout_add (ms, on_timer, &fired);
  herald_test_wait_until (timer_fired, &fired, ms + 10000);
}

static gboolean
process_done (gpointer data)
{
  return g_subprocess_get_identifier (data) == NULL;
}

static GSubprocess *
spawn_send (Fixture    *fixture,
            gint64      id,
            const char *api_base)
{
  g_autofree char *cli = herald_test_program_path ("herald-cli");
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *argv[] = { cli, "campaign", "send", id_text, "--db", fixture->db_path,
                         "--api-base", api_base, "--rate", "200", NULL };
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);

  g_assert_no_error (error);
  return process;
}

static JsonObject *
program_stats (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *stats_url = g_strdup_printf ("%s/_sim/stats", url);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", stats_url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

typedef struct
{
  const char *url;
} Quiet;

static gboolean
webhooks_drained (gpointer data)
{
  g_autoptr(JsonObject) stats = program_stats (((Quiet *) data)->url);

  return json_object_get_int_member (stats, "webhooks_pending") == 0 &&
         json_object_get_int_member (stats, "webhooks_in_flight") == 0;
}

static void
test_kill (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *sim_path = herald_test_program_path ("herald-sim");
  g_autofree char *hook = hooks_url (fixture);
  const char *sim_argv[] = { sim_path, "--port", "0", "--token", TOKEN, "--template", "hello:en_US:2",
                             "--mps", "100000", "--pair-window-ms", "0", "--latency-ms", "30",
                             "--drop-after-accept-rate", "0", "--webhook-url", hook, NULL };
  g_autoptr(HeraldTestServer) sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4711);
  g_autoptr(GPtrArray) in_doubt = NULL;
  g_autoptr(GHashTable) doubtful = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  Quiet quiet;
  gint64 id;
  guint kills = 0;

  sim = herald_test_server_start (sim_argv, &error);
  g_assert_no_error (error);
  quiet.url = herald_test_server_get_url (sim);
  herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_ID, NULL, TOKEN, NULL, &error);
  g_assert_no_error (error);
  id = create_campaign (fixture, 1000);

  while (kills < 12)
    {
      g_autoptr(GSubprocess) process = spawn_send (fixture, id, quiet.url);

      spin (g_rand_int_range (rand, 80, 450));
      if (g_subprocess_get_identifier (process) == NULL)
        {
          g_subprocess_wait (process, NULL, NULL);
          break;
        }
      g_subprocess_send_signal (process, SIGKILL);
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (process));
      kills++;
    }
  g_assert_cmpuint (kills, >=, 10);

  /* The last run goes to the end: completed, or paused with messages in doubt. */
  {
    g_autoptr(GSubprocess) process = spawn_send (fixture, id, quiet.url);

    herald_test_wait_until (process_done, process, 60000);
    g_subprocess_wait (process, NULL, NULL);
    g_assert_true (g_subprocess_get_if_exited (process));
  }
  herald_test_wait_until (webhooks_drained, &quiet, 20000);

  /* Every message was accepted exactly once, or it is listed in doubt (its
   * claim was committed but its request never left). */
  in_doubt = herald_campaign_list_in_doubt (fixture->store, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < in_doubt->len; i++)
    g_hash_table_add (doubtful, &((HeraldInDoubtMessage *) g_ptr_array_index (in_doubt, i))->id);
  sqlite3_prepare_v2 (herald_store_get_db (fixture->store),
                      "SELECT id, sent_at IS NOT NULL FROM message_logs WHERE campaign_id = ?1", -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 message_id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, message_id);
      int accepted = GPOINTER_TO_INT (g_hash_table_lookup (fixture->accepted, key));

      if (accepted == 1)
        {
          g_assert_true (sqlite3_column_int (stmt, 1));
          g_assert_false (g_hash_table_contains (doubtful, &message_id));
        }
      else
        {
          g_assert_cmpint (accepted, ==, 0);
          g_assert_true (g_hash_table_contains (doubtful, &message_id));
        }
    }
  stats = program_stats (quiet.url);
  g_assert_cmpint (json_object_get_int_member (stats, "duplicates"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (stats, "accepted"), ==, 1000 - in_doubt->len);
  g_test_message ("%u kills, %u messages in doubt", kills, in_doubt->len);

  /* The user retries those: now every recipient has it exactly once. */
  if (in_doubt->len > 0)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(JsonObject) final = NULL;

      g_assert_cmpint (herald_campaign_retry_in_doubt (fixture->store, id, NULL, &error), ==, in_doubt->len);
      g_assert_no_error (error);
      process = spawn_send (fixture, id, quiet.url);
      herald_test_wait_until (process_done, process, 60000);
      g_subprocess_wait (process, NULL, NULL);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
      final = program_stats (quiet.url);
      g_assert_cmpint (json_object_get_int_member (final, "accepted"), ==, 1000);
      g_assert_cmpint (json_object_get_int_member (final, "duplicates"), ==, 0);
    }
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT sent_count FROM campaigns", NULL), ==, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/herald/engine/create", Fixture, NULL, fixture_set_up, test_create, fixture_tear_down);
  g_test_add ("/herald/engine/create-fictional", Fixture, NULL, fixture_set_up, test_create_fictional, fixture_tear_down);
  g_test_add ("/herald/engine/clean", Fixture, NULL, fixture_set_up, test_clean, fixture_tear_down);
  g_test_add ("/herald/engine/faults", Fixture, NULL, fixture_set_up, test_faults, fixture_tear_down);
  g_test_add ("/herald/engine/pause-resume", Fixture, NULL, fixture_set_up, test_pause_resume, fixture_tear_down);
  g_test_add ("/herald/engine/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/herald/engine/retry-failed", Fixture, NULL, fixture_set_up, test_retry_failed, fixture_tear_down);
  g_test_add ("/herald/engine/kill", Fixture, NULL, fixture_set_up, test_kill, fixture_tear_down);

  return g_test_run ();
}
