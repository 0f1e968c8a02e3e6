/* test-feed.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "herald-cloud-client.h"
#include "herald-feed.h"
#include "herald-relay-server.h"
#include "herald-secrets.h"
#include "herald-sim-server.h"
#include "herald-status-applier.h"
#include "herald-store-private.h"
#include "herald-test-utils.h"
#include "herald-webhook.h"

#define PHONE_NUMBER_ID "106540352242922"
#define META_TEMPLATE_ID "1689556908129835"
#define BASE_TS G_GINT64_CONSTANT (1751142888)
#define WAMID "wamid.HBgNNDkxNzAxMjM0NTY3FQIAERgS"
#define APP_SECRET "the-app-secret"
#define FEED_TOKEN "the-feed-token"
#define RELAY_URL "https://relay.example.com"

/* Fixture: a database with one number, template, campaign and contact. */

typedef struct
{
  char        *dir;
  char        *path;
  HeraldStore *store;
  HeraldStatusApplier *applier;
  gint64       campaign_id;
  gint64       contact_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = herald_test_tmp_dir ();
  f->path = g_build_filename (f->dir, "herald.db", NULL);
  f->store = herald_store_new (f->path, &error);
  g_assert_no_error (error);
  f->applier = herald_status_applier_new (f->store);

  herald_test_store_exec (f->store, "INSERT INTO whatsapp_numbers (phone_number_id, phone_number)"
                                    " VALUES ('" PHONE_NUMBER_ID "', '+15550783881');"
                                    "INSERT INTO templates (name, language, category, body, variables, status, meta_template_id)"
                                    " VALUES ('spring_offer', 'de', 'MARKETING', 'Hallo', '[]', 'PENDING', '" META_TEMPLATE_ID "');"
                                    "INSERT INTO campaigns (whatsapp_number_id, template_id) VALUES (1, 1);"
                                    "INSERT INTO contacts (name, mobile_number) VALUES ('Anna', '+491701234567');");
  f->campaign_id = 1;
  f->contact_id = 1;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->applier);
  g_assert_finalize_object (f->store);
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A message_logs row as the engine leaves it: claimed, and SENT with its wamid
 * once Meta accepted it (sent_at = acceptance), or PENDING without one when
 * the send is in doubt. */
static gint64
add_message (Fixture    *f,
             const char *wamid,
             const char *status,
             const char *mobile_number)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = herald_store_get_db (f->store);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO message_logs (campaign_id, contact_id, whatsapp_number_id,"
                                       " template_id, wa_message_id, mobile_number, message_content, status,"
                                       " sent_at, claimed_at)"
                                       " VALUES (1, 1, 1, 1, ?1, ?3, 'Hallo', ?2,"
                                       " CASE WHEN ?2 = 'SENT' THEN '2025-06-28T20:34:00.000Z' END,"
                                       " '2025-06-28T20:33:59.000Z')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, wamid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, mobile_number ? mobile_number : "+491701234567", -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  return sqlite3_last_insert_rowid (db);
}

/* The campaign's counters equal what message_logs says (the funnel). */
static void
assert_counters (Fixture *f)
{
  g_assert_cmpint (herald_test_store_query_int (f->store,
                                                "SELECT c.total_messages = (SELECT COUNT(*) FROM message_logs m WHERE m.campaign_id = c.id)"
                                                " AND c.sent_count = (SELECT COUNT(*) FROM message_logs m"
                                                "   WHERE m.campaign_id = c.id AND m.sent_at IS NOT NULL)"
                                                " AND c.delivered_count = (SELECT COUNT(*) FROM message_logs m"
                                                "   WHERE m.campaign_id = c.id AND m.delivered_at IS NOT NULL)"
                                                " AND c.read_count = (SELECT COUNT(*) FROM message_logs m"
                                                "   WHERE m.campaign_id = c.id AND m.read_at IS NOT NULL)"
                                                " AND c.failed_count = (SELECT COUNT(*) FROM message_logs m"
                                                "   WHERE m.campaign_id = c.id AND m.status = 'FAILED')"
                                                " FROM campaigns c WHERE c.id = 1", NULL), ==, 1);
}

/* Payloads in Meta's shape (whatsapp-cloud-api.md §4.3) */

static char *
status_json (const char *wamid,
             const char *status,
             gint64      timestamp,
             gint64      callback_id,
             gint64      error_code)
{
  GString *json = g_string_new (NULL);

  g_string_append_printf (json, "{\"id\":\"%s\",\"status\":\"%s\",\"timestamp\":\"%" G_GINT64_FORMAT "\","
                                "\"recipient_id\":\"491701234567\"", wamid, status, timestamp);
  if (callback_id > 0)
    g_string_append_printf (json, ",\"biz_opaque_callback_data\":\"%" G_GINT64_FORMAT "\"", callback_id);
  if (error_code != 0)
    g_string_append_printf (json, ",\"errors\":[{\"code\":%" G_GINT64_FORMAT ",\"title\":\"Failed\","
                                  "\"message\":\"Failed\",\"error_data\":{\"details\":\"Failed\"}}]",
                            error_code);
  g_string_append (json, "}");
  return g_string_free (json, FALSE);
}

static char *
notification (const char *value_members)
{
  return g_strdup_printf ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\","
                          "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
                          "\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\""
                          PHONE_NUMBER_ID "\"},%s}}]}]}", value_members);
}

static char *
status_notification (const char *status_object)
{
  g_autofree char *members = g_strdup_printf ("\"statuses\":[%s]", status_object);

  return notification (members);
}

static void
ingest (Fixture           *f,
        const char        *body,
        HeraldApplyReport *report)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_status_applier_ingest (f->applier, (const guint8 *) body, strlen (body),
                                               report, &error));
  g_assert_no_error (error);
}

static char *
iso (gint64 offset)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (BASE_TS + offset);

  return _herald_store_timestamp (when);
}

/* /herald/feed/apply-rules */

#define NONE -1000  /* column expected NULL */
#define KEEP -2000  /* column keeps the engine's acceptance time */

typedef struct
{
  const char *status;
  gint64      offset;      /* seconds after BASE_TS */
  gint64      error_code;
} Step;

typedef struct
{
  const char *name;
  const char *initial;     /* SENT (with wamid) or PENDING */
  gboolean    in_doubt;    /* no wamid recorded: only the callback data names it */
  Step        steps[5];
  const char *final;
  gint64      sent, delivered, read, failed;
  gint64      error_code;
} RuleCase;

static const RuleCase rule_cases[] = {
  { "forward", "SENT", FALSE,
    { { "sent", 1 }, { "delivered", 2 }, { "read", 3 } },
    "READ", KEEP, 2, 3, NONE, 0 },
  { "from-pending", "PENDING", FALSE,
    { { "sent", 1 }, { "delivered", 2 }, { "read", 3 } },
    "READ", 1, 2, 3, NONE, 0 },
  { "duplicates", "SENT", FALSE,
    { { "delivered", 2 }, { "delivered", 5 }, { "sent", 1 }, { "delivered", 2 } },
    "DELIVERED", KEEP, 2, NONE, NONE, 0 },
  { "read-before-delivered", "SENT", FALSE,
    { { "read", 3 }, { "delivered", 2 } },
    "READ", KEEP, 3, 3, NONE, 0 },
  { "delivered-after-read", "SENT", FALSE,
    { { "delivered", 2 }, { "read", 3 }, { "delivered", 4 } },
    "READ", KEEP, 2, 3, NONE, 0 },
  { "failed-after-sent", "SENT", FALSE,
    { { "sent", 1 }, { "failed", 2, 131026 } },
    "FAILED", KEEP, NONE, NONE, 2, 131026 },
  { "failed-after-read-ignored", "SENT", FALSE,
    { { "read", 3 }, { "failed", 4, 131026 } },
    "READ", KEEP, 3, 3, NONE, 0 },
  { "nothing-after-failed", "SENT", FALSE,
    { { "failed", 2, 131049 }, { "delivered", 3 }, { "read", 4 } },
    "FAILED", KEEP, NONE, NONE, 2, 131049 },
  { "played-is-read", "SENT", FALSE,
    { { "played", 3 } },
    "READ", KEEP, 3, 3, NONE, 0 },
  { "in-doubt-settled-by-callback", "PENDING", TRUE,
    { { "sent", 1 }, { "delivered", 2 } },
    "DELIVERED", 1, 2, NONE, NONE, 0 },
  { "in-doubt-failed", "PENDING", TRUE,
    { { "failed", 1, 131049 } },
    "FAILED", NONE, NONE, NONE, 1, 131049 },
};

static void
assert_column (Fixture    *f,
               gint64      id,
               const char *column,
               gint64      expected)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM message_logs WHERE id = ?1", column);
  g_autofree char *value = herald_test_store_query_text_for_id (f->store, sql, id);

  if (expected == NONE)
    g_assert_null (value);
  else if (expected == KEEP)
    g_assert_cmpstr (value, ==, "2025-06-28T20:34:00.000Z");
  else
    {
      g_autofree char *want = iso (expected);
      g_assert_cmpstr (value, ==, want);
    }
}

static void
test_apply_rules (Fixture       *f,
                  gconstpointer  data)
{
  for (guint c = 0; c < G_N_ELEMENTS (rule_cases); c++)
    {
      const RuleCase *rc = &rule_cases[c];
      g_autofree char *wamid = g_strdup_printf ("%s.%u", WAMID, c);
      g_autofree char *status = NULL;
      g_autofree char *reason = NULL;
      gint64 id = add_message (f, rc->in_doubt ? NULL : wamid, rc->initial, NULL);
      guint n_steps = 0;

      g_test_message ("case %s", rc->name);
      assert_counters (f);
      for (const Step *step = rc->steps; step->status != NULL; step++, n_steps++)
        {
          g_auto(HeraldApplyReport) report = { 0 };
          g_autofree char *object = status_json (wamid, step->status, BASE_TS + step->offset,
                                                 id, step->error_code);
          g_autofree char *body = status_notification (object);

          ingest (f, body, &report);
          g_assert_cmpuint (report.statuses, ==, 1);
          g_assert_cmpuint (report.pending, ==, 0);
          assert_counters (f);
        }

      status = herald_test_store_query_text_for_id (f->store, "SELECT status FROM message_logs WHERE id = ?1", id);
      g_assert_cmpstr (status, ==, rc->final);
      assert_column (f, id, "sent_at", rc->sent);
      assert_column (f, id, "delivered_at", rc->delivered);
      assert_column (f, id, "read_at", rc->read);
      assert_column (f, id, "failed_at", rc->failed);
      g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT wa_message_id = ?1 FROM message_logs ORDER BY id DESC LIMIT 1",
                                                    wamid), ==, 1);
      if (rc->error_code != 0)
        {
          g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT error_code FROM message_logs ORDER BY id DESC LIMIT 1", NULL),
                           ==, rc->error_code);
          reason = herald_test_store_query_text_for_id (f->store, "SELECT error_message FROM message_logs WHERE id = ?1", id);
          g_assert_cmpstr (reason, ==, herald_webhook_describe_error_code (rc->error_code));
        }
      else
        g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT error_code FROM message_logs ORDER BY id DESC LIMIT 1", NULL),
                         ==, -1);

      /* Every status is in the audit table, applied. */
      g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE wa_message_id = ?1"
                                                              " AND event_type LIKE 'message_%' AND processed = 1", wamid),
                       ==, n_steps);
    }
}

/* /herald/feed/unknown-message: kept, then applied when the message appears */
static void
test_unknown_message (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(HeraldApplyReport) report = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *delivered = status_json (WAMID, "delivered", BASE_TS + 2, 0, 0);
  g_autofree char *body = status_notification (delivered);
  g_autofree char *status = NULL;
  gint64 id;

  ingest (f, body, &report);
  g_assert_cmpuint (report.pending, ==, 1);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE wa_message_id = ?1"
                                                          " AND processed = 0 AND error IS NOT NULL", WAMID), ==, 1);

  /* Applying it again changes nothing while the message is unknown. */
  g_assert_true (herald_status_applier_apply_pending (f->applier, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.settled, ==, 0);

  /* The engine records the message with its wamid. */
  id = add_message (f, WAMID, "SENT", NULL);
  g_assert_true (herald_status_applier_apply_pending (f->applier, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.settled, ==, 1);
  status = herald_test_store_query_text_for_id (f->store, "SELECT status FROM message_logs WHERE id = ?1", id);
  g_assert_cmpstr (status, ==, "DELIVERED");
  assert_counters (f);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE processed = 0", NULL), ==, 0);

  /* Once applied, never again. */
  g_assert_true (herald_status_applier_apply_pending (f->applier, &report, &error));
  g_assert_cmpuint (report.settled, ==, 1);
}

/* /herald/feed/unknown-message-next-batch: any later batch applies kept ones */
static void
test_unknown_message_next_batch (Fixture       *f,
                                 gconstpointer  data)
{
  g_auto(HeraldApplyReport) report = { 0 };
  g_autofree char *read = status_json (WAMID, "read", BASE_TS + 3, 0, 0);
  g_autofree char *body = status_notification (read);
  g_autofree char *other = status_json ("wamid.other", "sent", BASE_TS, 0, 0);
  g_autofree char *other_body = status_notification (other);
  g_autofree char *status = NULL;
  gint64 id;

  ingest (f, body, &report);
  id = add_message (f, WAMID, "SENT", NULL);
  ingest (f, other_body, &report);
  g_assert_cmpuint (report.settled, ==, 1);
  status = herald_test_store_query_text_for_id (f->store, "SELECT status FROM message_logs WHERE id = ?1", id);
  g_assert_cmpstr (status, ==, "READ");
  assert_counters (f);
}

/* /herald/feed/settle-in-doubt: a campaign paused only for messages in
 * doubt completes when webhooks settle the last of them */
static void
test_settle_in_doubt (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(HeraldApplyReport) report = { 0 };
  gint64 first = add_message (f, NULL, "PENDING", NULL);
  gint64 second = add_message (f, NULL, "PENDING", NULL);
  g_autofree char *sent = status_json ("wamid.first", "sent", BASE_TS, first, 0);
  g_autofree char *sent_body = status_notification (sent);
  g_autofree char *failed = status_json ("wamid.second", "failed", BASE_TS + 1, second, 131026);
  g_autofree char *failed_body = status_notification (failed);
  g_autofree char *status = NULL;
  g_autofree char *completed_at = NULL;

  herald_test_store_exec (f->store, "UPDATE campaigns SET status = 'PAUSED', paused_reason = '2 messages may or may not have been sent'");

  ingest (f, sent_body, &report);
  g_assert_cmpuint (report.applied, ==, 1);
  status = herald_test_store_query_text_for_id (f->store, "SELECT status FROM campaigns WHERE id = ?1", f->campaign_id);
  g_assert_cmpstr (status, ==, "PAUSED");
  g_clear_pointer (&status, g_free);

  ingest (f, failed_body, &report);
  g_assert_cmpuint (report.applied, ==, 2);
  status = herald_test_store_query_text_for_id (f->store, "SELECT status FROM campaigns WHERE id = ?1", f->campaign_id);
  g_assert_cmpstr (status, ==, "COMPLETED");
  completed_at = herald_test_store_query_text_for_id (f->store, "SELECT completed_at FROM campaigns WHERE id = ?1", f->campaign_id);
  g_assert_nonnull (completed_at);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT paused_reason IS NULL FROM campaigns", NULL), ==, 1);
  assert_counters (f);
}

/* /herald/feed/opt-out */

typedef struct
{
  const char *words;        /* the setting, or NULL for the defaults */
  const char *message;      /* value.messages[0] without from/id/timestamp */
  gboolean    opted_out;
} OptOutCase;

static const OptOutCase opt_out_cases[] = {
  { NULL, "\"type\":\"text\",\"text\":{\"body\":\"STOP\"}", TRUE },
  { NULL, "\"type\":\"text\",\"text\":{\"body\":\" stop. \"}", TRUE },
  { NULL, "\"type\":\"text\",\"text\":{\"body\":\"Hello, when do you open?\"}", FALSE },
  { NULL, "\"type\":\"text\",\"text\":{\"body\":\"Do not stop sending offers\"}", FALSE },
  { NULL, "\"type\":\"button\",\"button\":{\"payload\":\"STOP\",\"text\":\"Stop promotions\"}", TRUE },
  { "ABMELDEN, Austragen", "\"type\":\"text\",\"text\":{\"body\":\"abmelden\"}", TRUE },
  { "ABMELDEN, Austragen", "\"type\":\"text\",\"text\":{\"body\":\"STOP\"}", FALSE },
};

static void
test_opt_out (Fixture       *f,
              gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (opt_out_cases); i++)
    {
      const OptOutCase *oc = &opt_out_cases[i];
      g_auto(HeraldApplyReport) report = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(HeraldContact) contact = NULL;
      g_autofree char *members = NULL;
      g_autofree char *body = NULL;
      g_autofree char *when = iso (7);

      g_test_message ("case %u: %s", i, oc->message);
      g_assert_true (herald_store_set_contact_opted_out (f->store, f->contact_id, FALSE, NULL, NULL, &error));
      g_assert_true (herald_store_set_setting (f->store, HERALD_SETTING_OPT_OUT_WORDS, oc->words, &error));
      g_assert_no_error (error);

      members = g_strdup_printf ("\"contacts\":[{\"profile\":{\"name\":\"Anna\"},\"wa_id\":\"491701234567\"}],"
                                 "\"messages\":[{\"from\":\"491701234567\",\"id\":\"wamid.in%u\","
                                 "\"timestamp\":\"%" G_GINT64_FORMAT "\",%s}]",
                                 i, BASE_TS + 7, oc->message);
      body = notification (members);
      ingest (f, body, &report);
      g_assert_cmpuint (report.inbound, ==, 1);
      g_assert_cmpuint (report.opted_out, ==, oc->opted_out ? 1 : 0);

      contact = herald_store_get_contact (f->store, f->contact_id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (herald_contact_get_opted_out (contact), ==, oc->opted_out);
      if (oc->opted_out)
        {
          g_assert_nonnull (strstr (herald_contact_get_opted_out_reason (contact), "WhatsApp"));
          g_assert_cmpstr (herald_contact_get_opted_out_at (contact), ==, when);
        }
      g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE event_type = 'message_received'"
                                                              " AND processed = 1", NULL), ==, i + 1);
    }
}

/* /herald/feed/template-status */
static void
test_template_status (Fixture       *f,
                      gconstpointer  data)
{
  static const char rejected[] =
    "{ \"object\": \"whatsapp_business_account\",\n"
    "  \"entry\": [ { \"id\": \"102290129340398\", \"time\": 1751247548,\n"
    "    \"changes\": [ { \"field\": \"message_template_status_update\",\n"
    "      \"value\": { \"event\": \"REJECTED\", \"message_template_id\": 1689556908129835,\n"
    "        \"message_template_name\": \"spring_offer\", \"message_template_language\": \"de\",\n"
    "        \"reason\": \"INVALID_FORMAT\", \"message_template_category\": \"MARKETING\",\n"
    "        \"rejection_info\": { \"reason\": \"...\", \"recommendation\": \"...\" } } } ] } ] }";
  static const char approved_unknown[] =
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"time\":1751247549,"
    "\"changes\":[{\"field\":\"message_template_status_update\",\"value\":{\"event\":\"APPROVED\","
    "\"message_template_id\":777,\"message_template_name\":\"autumn\",\"message_template_language\":\"en_US\","
    "\"reason\":null}}]}]}";
  g_auto(HeraldApplyReport) report = { 0 };
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  ingest (f, rejected, &report);
  g_assert_cmpuint (report.templates, ==, 1);
  template = herald_store_get_template (f->store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_REJECTED);
  g_assert_cmpstr (herald_template_get_rejected_reason (template), ==, "INVALID_FORMAT");

  /* A template Herald has not synced yet: kept, applied by a reprocess later. */
  ingest (f, approved_unknown, &report);
  g_assert_cmpuint (report.templates, ==, 1);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE event_type = 'template_status'"
                                                          " AND processed = 0", NULL), ==, 1);
  herald_test_store_exec (f->store, "INSERT INTO templates (name, language, category, body, variables, status, meta_template_id)"
                                    " VALUES ('autumn', 'en_US', 'UTILITY', 'Hi', '[]', 'PENDING', '777')");
  g_assert_true (herald_status_applier_reprocess (f->applier, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.templates, ==, 2);
  status = herald_test_store_query_text_for_id (f->store, "SELECT status FROM templates WHERE meta_template_id = '777' AND ?1", 1);
  g_assert_cmpstr (status, ==, "APPROVED");
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE processed = 0", NULL), ==, 0);
}

/* /herald/feed/signature and /herald/feed/relay-seq-once */

static HeraldRelayPayload *
relay_payload (gint64      seq,
               const char *body,
               const char *secret)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autofree char *signature = NULL;

  if (secret != NULL)
    signature = herald_webhook_compute_signature (secret, (const guint8 *) body, strlen (body));
  return herald_relay_payload_new (seq, "2025-06-28T20:35:00Z", signature, bytes);
}

static char *
status_body (gint64      id,
             const char *status,
             gint64      offset)
{
  g_autofree char *object = status_json (WAMID, status, BASE_TS + offset, id, 0);

  return status_notification (object);
}

typedef struct
{
  const char *secret_used;   /* what the payload was signed with, NULL: no signature */
  const char *app_secret;    /* what Herald checks with */
  gboolean    applied;
} SignatureCase;

static const SignatureCase signature_cases[] = {
  { APP_SECRET, APP_SECRET, TRUE },
  { "forged", APP_SECRET, FALSE },
  { NULL, APP_SECRET, FALSE },
  { APP_SECRET, NULL, FALSE },
};

static void
test_signature (Fixture       *f,
                gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (signature_cases); i++)
    {
      const SignatureCase *sc = &signature_cases[i];
      g_autofree char *wamid = g_strdup_printf ("%s.sig%u", WAMID, i);
      gint64 id = add_message (f, wamid, "SENT", NULL);
      g_autofree char *object = status_json (wamid, "read", BASE_TS + 3, id, 0);
      g_autofree char *body = status_notification (object);
      g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_relay_payload_free);
      g_auto(HeraldApplyReport) report = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *status = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *seq = NULL;

      g_ptr_array_add (payloads, relay_payload (i + 1, body, sc->secret_used));
      g_assert_true (herald_status_applier_apply_relay (f->applier, RELAY_URL, payloads, sc->app_secret, &report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.payloads, ==, 1);
      g_assert_cmpuint (report.rejected, ==, sc->applied ? 0 : 1);

      status = herald_test_store_query_text_for_id (f->store, "SELECT status FROM message_logs WHERE id = ?1", id);
      g_assert_cmpstr (status, ==, sc->applied ? "READ" : "SENT");
      assert_counters (f);

      reason = herald_test_store_query_text_for_id (f->store, "SELECT error FROM webhook_events WHERE relay_seq = ?1", i + 1);
      seq = g_strdup_printf ("%u", i + 1);
      g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT processed FROM webhook_events WHERE relay_seq = ?1", seq),
                       ==, sc->applied);
      if (sc->applied)
        g_assert_null (reason);
      else
        g_assert_nonnull (reason);
    }
}

static void
test_relay_seq_once (Fixture       *f,
                     gconstpointer  data)
{
  gint64 id = add_message (f, WAMID, "SENT", NULL);
  g_autofree char *delivered = status_body (id, "delivered", 2);
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_relay_payload_free);
  g_auto(HeraldApplyReport) first = { 0 };
  g_auto(HeraldApplyReport) second = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 events;

  g_ptr_array_add (payloads, relay_payload (41, delivered, APP_SECRET));
  g_assert_true (herald_status_applier_apply_relay (f->applier, RELAY_URL, payloads, APP_SECRET, &first, &error));
  g_assert_cmpuint (first.applied, ==, 1);
  events = herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events", NULL);

  g_assert_true (herald_status_applier_apply_relay (f->applier, RELAY_URL, payloads, APP_SECRET, &second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (second.duplicates, ==, 1);
  g_assert_cmpuint (second.payloads, ==, 0);
  g_assert_cmpuint (second.statuses, ==, 0);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events", NULL), ==, events);
  assert_counters (f);

  /* Another relay counts from 1 again: its seq 41 is a new event. */
  g_assert_true (herald_status_applier_apply_relay (f->applier, "https://other-relay.example.com",
                                                    payloads, APP_SECRET, &second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (second.payloads, ==, 1);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE relay_seq = 41", NULL), ==, 2);
  assert_counters (f);
}

/* /herald/feed/reprocess: a wrong app secret, fixed */
static void
test_reprocess (Fixture       *f,
                gconstpointer  data)
{
  gint64 id = add_message (f, WAMID, "SENT", NULL);
  g_autofree char *read = status_body (id, "read", 3);
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_relay_payload_free);
  g_auto(HeraldApplyReport) report = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *status_after = NULL;

  g_ptr_array_add (payloads, relay_payload (7, read, APP_SECRET));
  g_assert_true (herald_status_applier_apply_relay (f->applier, RELAY_URL, payloads, "a-typo", &report, &error));
  g_assert_cmpuint (report.rejected, ==, 1);
  status = herald_test_store_query_text_for_id (f->store, "SELECT status FROM message_logs WHERE id = ?1", id);
  g_assert_cmpstr (status, ==, "SENT");

  /* Still the wrong secret: still kept. */
  herald_apply_report_clear (&report);
  g_assert_true (herald_status_applier_reprocess (f->applier, "another-typo", &report, &error));
  g_assert_cmpuint (report.rejected, ==, 1);
  g_assert_cmpuint (report.applied, ==, 0);

  herald_apply_report_clear (&report);
  g_assert_true (herald_status_applier_reprocess (f->applier, APP_SECRET, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.rejected, ==, 0);
  g_assert_cmpuint (report.applied, ==, 1);
  status_after = herald_test_store_query_text_for_id (f->store, "SELECT status FROM message_logs WHERE id = ?1", id);
  g_assert_cmpstr (status_after, ==, "READ");
  assert_counters (f);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE processed = 0", NULL), ==, 0);

  /* Nothing left: a second reprocess applies nothing. */
  herald_apply_report_clear (&report);
  g_assert_true (herald_status_applier_reprocess (f->applier, APP_SECRET, &report, &error));
  g_assert_cmpuint (report.applied + report.payloads + report.statuses, ==, 0);
}

/* /herald/feed/not-a-notification: kept with the parser's reason */
static void
test_not_a_notification (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(HeraldApplyReport) report = { 0 };

  ingest (f, "this is not JSON", &report);
  g_assert_cmpuint (report.rejected, ==, 1);
  g_assert_nonnull (report.problem);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE event_type = 'notification'"
                                                          " AND processed = 0 AND error IS NOT NULL", NULL), ==, 1);
}

/* The relay and the sim, in-process */

typedef struct
{
  gboolean done;
  guint    status;
} PostResult;

static void
on_posted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PostResult *post = user_data;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  post->status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  post->done = TRUE;
}

static gboolean
post_done (gpointer data)
{
  return ((PostResult *) data)->done;
}

static guint
post_webhook (const char *relay_url,
              const char *body,
              const char *secret)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (relay_url, "/webhook", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  PostResult post = { 0 };

  if (secret != NULL)
    {
      g_autofree char *signature = herald_webhook_compute_signature (secret, (const guint8 *) body, strlen (body));
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Hub-Signature-256", signature);
    }
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_posted_cb, &post);
  herald_test_wait_until (post_done, &post, 10000);
  return post.status;
}

static HeraldRelayServer *
start_relay (const char *dir,
             guint       port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "relay.db", NULL);
  g_autoptr(HeraldRelayDb) db = herald_relay_db_open (path, &error);
  HeraldRelayServer *relay;

  g_assert_no_error (error);
  relay = herald_relay_server_new (db, FEED_TOKEN, &error);
  g_assert_no_error (error);
  /* No app secret at the relay: it stores whatever comes, and Herald alone
   * decides what to trust. */
  g_assert_true (herald_relay_server_listen (relay, "127.0.0.1", port, &error));
  g_assert_no_error (error);
  return relay;
}

typedef struct
{
  Fixture         *f;
  HeraldSimServer *sim;
  gint64           expected;
} E2EWait;

/* Every status the sim sent (its duplicates too) is recorded in Herald. */
static gboolean
all_statuses_recorded (gpointer data)
{
  E2EWait *wait = data;

  return herald_test_sim_stat (wait->sim, "webhooks_pending") == 0 &&
         herald_test_sim_stat (wait->sim, "webhooks_in_flight") == 0 &&
         herald_test_sim_stat (wait->sim, "webhook_statuses") == wait->expected + herald_test_sim_stat (wait->sim, "webhook_duplicates") &&
         herald_test_store_query_int (wait->f->store, "SELECT COUNT(*) FROM webhook_events WHERE event_type LIKE 'message\\_%' ESCAPE '\\'",
                                      NULL) == herald_test_sim_stat (wait->sim, "webhook_statuses");
}

typedef struct
{
  gboolean          done;
  HeraldSendResult *result;
} SendWait;

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SendWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->result = herald_cloud_client_send_template_finish (HERALD_CLOUD_CLIENT (source), result, &error);
  g_assert_no_error (error);
  wait->done = TRUE;
}

static gboolean
send_done (gpointer data)
{
  return ((SendWait *) data)->done;
}

static gboolean
cursor_reached (gpointer data)
{
  HeraldFeed *feed = data;
  gint64 *target = g_object_get_data (G_OBJECT (feed), "target");

  return herald_feed_get_cursor (feed) >= *target;
}

#define E2E_MESSAGES 24
#define E2E_IN_DOUBT 3

/* /herald/feed/end-to-end */
static void
test_end_to_end (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldSimServer) sim = herald_sim_server_new ("sim-token");
  g_autoptr(HeraldRelayServer) relay = start_relay (f->dir, 0);
  g_autoptr(HeraldFeed) feed = NULL;
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *control = NULL;
  g_autofree char *webhook_url = g_strconcat (herald_relay_server_get_url (relay), "/webhook", NULL);
  g_autofree char *forged = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 ids[E2E_MESSAGES];
  gint64 target;
  E2EWait wait = { f, sim, 0 };
  const char *campaign_sql = "SELECT sent_count || ',' || delivered_count || ',' || read_count || ','"
                             " || failed_count FROM campaigns WHERE id = ?1";

  g_assert_true (herald_sim_server_listen (sim, 0, &error));
  g_assert_no_error (error);
  g_assert_true (herald_sim_server_add_template (sim, "spring_offer:de:0", &error));
  control = g_strdup_printf ("{\"app_secret\":\"" APP_SECRET "\",\"webhook_url\":\"%s\","
                             "\"fail_after_sent\":{\"+491700000005\":131026},"
                             "\"undeliverable\":[\"+491700000007\"],"
                             "\"webhooks\":{\"sent_delay_ms\":0,\"delivered_delay_ms\":30,\"read_delay_ms\":60,"
                             "\"read\":true,\"duplicate_rate\":0.4,\"shuffle\":true,\"batch_size\":5}}",
                             webhook_url);
  g_assert_true (json_parser_load_from_data (parser, control, -1, &error));
  g_assert_true (herald_sim_server_control (sim, json_node_get_object (json_parser_get_root (parser)), &error));
  g_assert_no_error (error);

  feed = herald_feed_new (f->path, herald_relay_server_get_url (relay));
  herald_feed_set_feed_token (feed, FEED_TOKEN);
  herald_feed_set_app_secret (feed, APP_SECRET);
  herald_feed_set_wait_seconds (feed, 1);
  herald_feed_start (feed);

  /* The engine's part, by hand: claim, send with the row id as callback
   * data, record the wamid (except for a few, as if Herald had been killed
   * before it could: those are in doubt). */
  template = herald_store_get_template (f->store, 1, &error);
  g_assert_no_error (error);
  client = herald_cloud_client_new (herald_sim_server_get_url (sim), "sim-token");
  for (guint i = 0; i < E2E_MESSAGES; i++)
    {
      g_autofree char *number = g_strdup_printf ("+4917000000%02u", i);
      g_autofree char *callback = NULL;
      SendWait sent = { 0 };

      ids[i] = add_message (f, NULL, "PENDING", number);
      callback = g_strdup_printf ("%" G_GINT64_FORMAT, ids[i]);
      herald_cloud_client_send_template_async (client, PHONE_NUMBER_ID, number, template, NULL, callback,
                                               NULL, on_sent_cb, &sent);
      herald_test_wait_until (send_done, &sent, 10000);
      if (i >= E2E_IN_DOUBT)
        {
          g_autoptr(sqlite3_stmt) stmt = NULL;

          sqlite3_prepare_v2 (herald_store_get_db (f->store),
                              "UPDATE message_logs SET wa_message_id = ?1, status = 'SENT',"
                              " sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?2"
                              " AND status = 'PENDING'",
                              -1, &stmt, NULL);
          sqlite3_bind_text (stmt, 1, sent.result->message_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, ids[i]);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
        }
      herald_send_result_free (sent.result);
    }

  /* sent for all but the undeliverable one, failed for two, delivered and read for the rest */
  wait.expected = (E2E_MESSAGES - 1) + 2 + 2 * (E2E_MESSAGES - 2);
  herald_test_wait_until (all_statuses_recorded, &wait, 60000);

  g_assert_cmpint (herald_test_sim_stat (sim, "accepted"), ==, E2E_MESSAGES);
  g_assert_cmpint (herald_test_sim_stat (sim, "duplicates"), ==, 0);
  g_test_message ("the sim sent %" G_GINT64_FORMAT " statuses, %" G_GINT64_FORMAT " of them duplicates",
                  herald_test_sim_stat (sim, "webhook_statuses"), herald_test_sim_stat (sim, "webhook_duplicates"));

  assert_counters (f);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT sent_count FROM campaigns WHERE id = 1", NULL), ==, E2E_MESSAGES);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT delivered_count FROM campaigns WHERE id = 1", NULL), ==, E2E_MESSAGES - 2);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT read_count FROM campaigns WHERE id = 1", NULL), ==, E2E_MESSAGES - 2);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT failed_count FROM campaigns WHERE id = 1", NULL), ==, 2);
  /* The sends in doubt were settled by their callback data. */
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM message_logs WHERE wa_message_id IS NULL"
                                                          " OR status = 'PENDING'", NULL), ==, 0);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE processed = 0", NULL), ==, 0);
  g_assert_cmpint (herald_feed_get_state (feed), ==, HERALD_FEED_CONNECTED);
  g_assert_cmpuint (herald_feed_get_events_applied (feed), >, 0);
  g_assert_nonnull (herald_feed_get_last_event_at (feed));

  /* A forged event straight to the relay: read for the failed and the
   * undeliverable message, signed with a wrong secret. */
  before = herald_test_store_query_text_for_id (f->store, campaign_sql, 1);
  forged = g_strdup_printf ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":"
                            "[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
                            "\"metadata\":{\"phone_number_id\":\"" PHONE_NUMBER_ID "\"},\"statuses\":["
                            "{\"id\":\"x\",\"status\":\"read\",\"timestamp\":\"1751142999\","
                            "\"biz_opaque_callback_data\":\"%" G_GINT64_FORMAT "\"},"
                            "{\"id\":\"y\",\"status\":\"read\",\"timestamp\":\"1751142999\","
                            "\"biz_opaque_callback_data\":\"%" G_GINT64_FORMAT "\"}]}}]}]}",
                            ids[5], ids[7]);
  g_assert_cmpuint (post_webhook (herald_relay_server_get_url (relay), forged, "not-the-app-secret"), ==, 200);
  target = herald_relay_db_get_last_seq (herald_relay_server_get_db (relay), &error);
  g_object_set_data (G_OBJECT (feed), "target", &target);
  herald_test_wait_until (cursor_reached, feed, 30000);

  after = herald_test_store_query_text_for_id (f->store, campaign_sql, 1);
  g_assert_cmpstr (after, ==, before);
  assert_counters (f);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE event_type = 'notification'"
                                                          " AND processed = 0 AND error IS NOT NULL", NULL), ==, 1);
  g_assert_nonnull (herald_feed_get_last_error (feed));

  herald_feed_stop (feed);
  g_assert_cmpint (herald_feed_get_state (feed), ==, HERALD_FEED_STOPPED);
}

/* /herald/feed/backoff: the relay is down, then comes up */

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

typedef struct
{
  HeraldFeed *feed;
  guint       state_changes;
  guint       offline_seen;
} StateLog;

static void
on_state_cb (HeraldFeed *feed,
             GParamSpec *pspec,
             StateLog   *log)
{
  log->state_changes++;
  if (herald_feed_get_state (feed) == HERALD_FEED_OFFLINE)
    log->offline_seen++;
}

static gboolean
offline_twice (gpointer data)
{
  StateLog *log = data;

  /* Offline, back to waiting for the retry, offline again. */
  return log->offline_seen >= 2;
}

static gboolean
is_connected (gpointer data)
{
  return herald_feed_get_state (data) == HERALD_FEED_CONNECTED;
}

static gboolean
one_applied (gpointer data)
{
  return herald_feed_get_events_applied (data) == 1;
}

static void
test_backoff (Fixture       *f,
              gconstpointer  data)
{
  guint port = free_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(HeraldFeed) feed = herald_feed_new (f->path, url);
  g_autoptr(HeraldRelayServer) relay = NULL;
  gint64 id = add_message (f, WAMID, "SENT", NULL);
  g_autofree char *body = status_body (id, "delivered", 2);
  g_autofree char *status = NULL;
  StateLog log = { feed };

  herald_feed_set_feed_token (feed, FEED_TOKEN);
  herald_feed_set_app_secret (feed, APP_SECRET);
  herald_feed_set_wait_seconds (feed, 1);
  herald_feed_set_backoff (feed, 20, 80);
  g_signal_connect (feed, "notify::state", G_CALLBACK (on_state_cb), &log);
  herald_feed_start (feed);
  g_assert_cmpint (herald_feed_get_state (feed), ==, HERALD_FEED_WAITING);

  herald_test_wait_until (offline_twice, &log, 10000);
  g_assert_nonnull (herald_feed_get_last_error (feed));
  g_assert_null (strstr (herald_feed_get_last_error (feed), FEED_TOKEN));

  relay = start_relay (f->dir, port);
  herald_test_wait_until (is_connected, feed, 10000);
  g_assert_cmpuint (post_webhook (url, body, APP_SECRET), ==, 200);
  herald_test_wait_until (one_applied, feed, 10000);

  status = herald_test_store_query_text_for_id (f->store, "SELECT status FROM message_logs WHERE id = ?1", id);
  g_assert_cmpstr (status, ==, "DELIVERED");
  assert_counters (f);
  herald_feed_stop (feed);
}

/* /herald/feed/cli: the webhooks and relay commands, end to end */

static int
run_cli (Fixture     *f,
         const char  *stdin_text,
         char       **out,
         char       **err,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *arg;
  int status = -1;
  va_list args;

  g_ptr_array_add (argv, herald_test_program_path ("herald-cli"));
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (f->path));
  g_ptr_array_add (argv, NULL);

  g_assert_true (herald_test_spawn_sync ((const char * const *) argv->pdata, stdin_text, out, err, &status));
  return status;
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  gint64 id = add_message (f, WAMID, "SENT", NULL);
  g_autofree char *read = status_body (id, "read", 3);
  g_autofree char *file = g_build_filename (f->dir, "payload.json", NULL);
  g_autofree char *relay_path = herald_test_program_path ("herald-relay");
  g_autofree char *relay_db = g_build_filename (f->dir, "relay.db", NULL);
  g_autofree char *delivered = NULL;
  g_autofree char *status = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(HeraldTestServer) relay = NULL;
  g_autoptr(GError) error = NULL;
  gint64 other;
  int exit_code;

  /* ingest FILE: trusted, applied. */
  g_assert_true (g_file_set_contents (file, read, -1, NULL));
  g_assert_cmpint (run_cli (f, NULL, &out, &err, "webhooks", "ingest", file, "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "applied"),
                   ==, 1);
  status = herald_test_store_query_text_for_id (f->store, "SELECT status FROM message_logs WHERE id = ?1", id);
  g_assert_cmpstr (status, ==, "READ");
  assert_counters (f);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* ingest -: not a notification, kept, exit 1 with one line. */
  g_assert_cmpint (run_cli (f, "not json", &out, &err, "webhooks", "ingest", "-", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not applied"));
  g_assert_cmpint (strchr (err, '\n') - err, ==, (gssize) strlen (err) - 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* list --unprocessed --json: that one. */
  g_assert_cmpint (run_cli (f, NULL, &out, &err, "webhooks", "list", "--unprocessed", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* usage errors exit 2 */
  g_assert_cmpint (run_cli (f, NULL, &out, &err, "relay", "configure", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* relay configure, then poll --once against the herald-relay program. */
  {
    const char *argv[] = { relay_path, "--bind", "127.0.0.1", "--port", "0", "--db", relay_db,
                           "--feed-token", FEED_TOKEN, NULL };

    relay = herald_test_server_start (argv, &error);
    g_assert_no_error (error);
  }
  exit_code = run_cli (f, FEED_TOKEN "\n" APP_SECRET "\n", &out, &err, "relay", "configure", "--url",
                       herald_test_server_get_url (relay), NULL);
  /* Only a missing or locked keyring is a reason to skip; any other failure is a bug. */
  if (exit_code != 0 &&
      (strstr (err, "No keyring is available") != NULL || strstr (err, "The keyring is locked") != NULL))
    {
      g_test_skip_printf ("no keyring: %s", err);
      return;
    }
  g_assert_cmpint (exit_code, ==, 0);
  g_assert_null (strstr (out, FEED_TOKEN));
  g_assert_null (strstr (out, APP_SECRET));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  other = add_message (f, "wamid.cli", "SENT", NULL);
  {
    g_autofree char *object = status_json ("wamid.cli", "delivered", BASE_TS + 2, other, 0);
    g_autofree char *body = status_notification (object);
    g_autofree char *forged_object = status_json ("wamid.cli", "read", BASE_TS + 3, other, 0);
    g_autofree char *forged = status_notification (forged_object);

    g_assert_cmpuint (post_webhook (herald_test_server_get_url (relay), body, APP_SECRET), ==, 200);
    g_assert_cmpuint (post_webhook (herald_test_server_get_url (relay), forged, "forged"), ==, 200);
  }
  g_assert_cmpint (run_cli (f, NULL, &out, &err, "webhooks", "poll", "--once", NULL), ==, 0);
  delivered = herald_test_store_query_text_for_id (f->store, "SELECT status FROM message_logs WHERE id = ?1", other);
  g_assert_cmpstr (delivered, ==, "DELIVERED");
  assert_counters (f);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE relay_seq IS NOT NULL", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Polled again: nothing applied twice. */
  g_assert_cmpint (run_cli (f, NULL, &out, &err, "webhooks", "poll", "--once", NULL), ==, 0);
  g_assert_cmpint (herald_test_store_query_int (f->store, "SELECT COUNT(*) FROM webhook_events WHERE relay_seq IS NOT NULL", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* reprocess: the forged one and the one that is not JSON stay kept. */
  g_assert_cmpint (run_cli (f, NULL, &out, &err, "webhooks", "reprocess", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "rejected"),
                   ==, 2);
  g_clear_pointer (&delivered, g_free);
  delivered = herald_test_store_query_text_for_id (f->store, "SELECT status FROM message_logs WHERE id = ?1", other);
  g_assert_cmpstr (delivered, ==, "DELIVERED");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/herald/feed/apply-rules", test_apply_rules);
  ADD ("/herald/feed/unknown-message", test_unknown_message);
  ADD ("/herald/feed/unknown-message-next-batch", test_unknown_message_next_batch);
  ADD ("/herald/feed/settle-in-doubt", test_settle_in_doubt);
  ADD ("/herald/feed/opt-out", test_opt_out);
  ADD ("/herald/feed/template-status", test_template_status);
  ADD ("/herald/feed/signature", test_signature);
  ADD ("/herald/feed/relay-seq-once", test_relay_seq_once);
  ADD ("/herald/feed/reprocess", test_reprocess);
  ADD ("/herald/feed/not-a-notification", test_not_a_notification);
  ADD ("/herald/feed/end-to-end", test_end_to_end);
  ADD ("/herald/feed/backoff", test_backoff);
  ADD ("/herald/feed/cli", test_cli);
#undef ADD

  return g_test_run ();
}
