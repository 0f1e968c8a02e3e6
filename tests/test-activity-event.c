/* test-activity-event.c: which recorded webhook events are the Sandbox's,
 * and their payloads read one at a time
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "herald-activity-event.h"
#include "herald-number.h"
#include "herald-status-applier.h"
#include "herald-test-utils.h"
#include "herald-webhook.h"

/* The Sandbox's number and business account (herald-sandbox.h, which is
 * the app's; test-ui-forms checks those), and a real number's. */
#define SANDBOX_NUMBER_ID  "100000000000000"
#define SANDBOX_ACCOUNT_ID "100000000000001"
#define REAL_NUMBER_ID     "106540352242922"
#define REAL_ACCOUNT_ID    "102290129340398"
#define UNKNOWN_NUMBER_ID  "109999999999999"

#define STATUS_WEBHOOK(account, number, wamid) \
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" account "\"," \
  "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\"," \
  "\"metadata\":{\"display_phone_number\":\"15550100000\",\"phone_number_id\":\"" number "\"}," \
  "\"statuses\":[{\"id\":\"" wamid "\",\"status\":\"delivered\"," \
  "\"timestamp\":\"1700000000\",\"recipient_id\":\"5511987654321\"}]}}]}]}"

#define INBOUND_WEBHOOK(account, number, wamid) \
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" account "\"," \
  "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\"," \
  "\"metadata\":{\"display_phone_number\":\"15550100000\",\"phone_number_id\":\"" number "\"}," \
  "\"contacts\":[{\"profile\":{\"name\":\"Ana\"},\"wa_id\":\"5511987654321\"}]," \
  "\"messages\":[{\"from\":\"5511987654321\",\"id\":\"" wamid "\",\"timestamp\":\"1700000000\"," \
  "\"type\":\"text\",\"text\":{\"body\":\"Thanks!\"}}]}}]}]}"

#define TEMPLATE_WEBHOOK(account) \
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" account "\",\"time\":1700000000," \
  "\"changes\":[{\"field\":\"message_template_status_update\",\"value\":{\"event\":\"APPROVED\"," \
  "\"message_template_id\":1000000000000001,\"message_template_name\":\"spring_sale\"," \
  "\"message_template_language\":\"en_US\",\"reason\":\"NONE\"}}]}]}"

typedef struct
{
  char        *db_path;
  HeraldStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autoptr(HeraldNumber) sandbox = herald_number_new (SANDBOX_NUMBER_ID, "+15550100000");
  g_autoptr(HeraldNumber) real = herald_number_new (REAL_NUMBER_ID, "+4930901820");
  g_autoptr(GError) error = NULL;

  f->db_path = g_build_filename (dir, "activity.db", NULL);
  f->store = herald_store_new (f->db_path, &error);
  g_assert_no_error (error);

  herald_number_set_is_sandbox (sandbox, TRUE);
  g_assert_true (herald_store_save_number (f->store, sandbox, &error));
  g_assert_no_error (error);
  g_assert_true (herald_store_save_number (f->store, real, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_free (f->db_path);
}

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

/* Every event recorded, newest first. */
static GPtrArray *
list_all (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = herald_activity_event_list (f->store, 0, 1000, &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

typedef struct
{
  const char *name;
  const char *body;
  /* The update row the body gives, or NULL when there is none (then the
   * notification row is checked). */
  const char *update_type;
  const char *phone_number_id;
  gboolean    is_sandbox;
} SandboxCase;

static const SandboxCase sandbox_cases[] = {
  /* Kept for a message not recorded yet: no message_logs row to go by. */
  { "sandbox-status", STATUS_WEBHOOK (SANDBOX_ACCOUNT_ID, SANDBOX_NUMBER_ID, "wamid.SANDBOX1"),
    "message_delivered", SANDBOX_NUMBER_ID, TRUE },
  { "real-status", STATUS_WEBHOOK (REAL_ACCOUNT_ID, REAL_NUMBER_ID, "wamid.REAL1"),
    "message_delivered", REAL_NUMBER_ID, FALSE },
  /* The Sandbox's number decides, whatever account a payload names. */
  { "sandbox-number-other-account", STATUS_WEBHOOK (REAL_ACCOUNT_ID, SANDBOX_NUMBER_ID, "wamid.SANDBOX2"),
    "message_delivered", SANDBOX_NUMBER_ID, TRUE },
  /* A number Herald does not have is not the Sandbox. */
  { "unknown-number", STATUS_WEBHOOK (REAL_ACCOUNT_ID, UNKNOWN_NUMBER_ID, "wamid.OTHER1"),
    "message_delivered", UNKNOWN_NUMBER_ID, FALSE },
  { "sandbox-inbound", INBOUND_WEBHOOK (SANDBOX_ACCOUNT_ID, SANDBOX_NUMBER_ID, "wamid.IN1"),
    "message_received", SANDBOX_NUMBER_ID, TRUE },
  { "real-inbound", INBOUND_WEBHOOK (REAL_ACCOUNT_ID, REAL_NUMBER_ID, "wamid.IN2"),
    "message_received", REAL_NUMBER_ID, FALSE },
  /* Template updates name no number, only the account. */
  { "sandbox-template", TEMPLATE_WEBHOOK (SANDBOX_ACCOUNT_ID), "template_status", NULL, TRUE },
  { "real-template", TEMPLATE_WEBHOOK (REAL_ACCOUNT_ID), "template_status", NULL, FALSE },
  { "not-json", "this is not a webhook", NULL, NULL, FALSE },
};

static void
test_is_sandbox (Fixture       *f,
                 gconstpointer  data)
{
  const SandboxCase *c = data;
  g_autoptr(GPtrArray) events = NULL;
  HeraldActivityEvent *notification;

  ingest (f, c->body);
  events = list_all (f);
  g_assert_cmpuint (events->len, ==, c->update_type != NULL ? 2 : 1);

  /* The update and the notification it came in say the same. */
  notification = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (herald_activity_event_get_event_type (notification), ==, "notification");
  g_assert_cmpstr (herald_activity_event_get_phone_number_id (notification), ==, c->phone_number_id);
  g_assert_cmpint (herald_activity_event_get_is_sandbox (notification), ==, c->is_sandbox);
  if (c->update_type != NULL)
    {
      HeraldActivityEvent *update = g_ptr_array_index (events, 0);
      gboolean is_sandbox;

      g_assert_cmpstr (herald_activity_event_get_event_type (update), ==, c->update_type);
      g_assert_cmpstr (herald_activity_event_get_phone_number_id (update), ==, c->phone_number_id);
      g_assert_cmpint (herald_activity_event_get_is_sandbox (update), ==, c->is_sandbox);
      g_object_get (update, "is-sandbox", &is_sandbox, NULL);
      g_assert_cmpint (is_sandbox, ==, c->is_sandbox);
    }
}

/* The Sandbox's mark holds on every page, and statuses applied to a
 * recorded message of a real number stay real. */
static void
test_is_sandbox_pages (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  gint64 before = 0;
  guint n_sandbox = 0;
  guint n_seen = 0;

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *body = NULL;

      if (i % 2 == 0)
        body = g_strdup (STATUS_WEBHOOK (SANDBOX_ACCOUNT_ID, SANDBOX_NUMBER_ID, "wamid.S"));
      else
        body = g_strdup (STATUS_WEBHOOK (REAL_ACCOUNT_ID, REAL_NUMBER_ID, "wamid.R"));
      ingest (f, body);
    }

  all = list_all (f);
  g_assert_cmpuint (all->len, ==, 12);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = herald_activity_event_list (f->store, before, 5, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        {
          HeraldActivityEvent *event = g_ptr_array_index (page, i);
          HeraldActivityEvent *same = g_ptr_array_index (all, n_seen++);

          g_assert_cmpint (herald_activity_event_get_id (event), ==, herald_activity_event_get_id (same));
          g_assert_cmpint (herald_activity_event_get_is_sandbox (event), ==,
                           g_strcmp0 (herald_activity_event_get_phone_number_id (event), SANDBOX_NUMBER_ID) == 0);
          n_sandbox += herald_activity_event_get_is_sandbox (event);
          before = herald_activity_event_get_id (event);
        }
    }
  g_assert_cmpuint (n_seen, ==, 12);
  g_assert_cmpuint (n_sandbox, ==, 6);
}

static void
test_load_payload (Fixture       *f,
                   gconstpointer  data)
{
  const char *body = STATUS_WEBHOOK (REAL_ACCOUNT_ID, REAL_NUMBER_ID, "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notification = NULL;
  g_autofree char *update = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *statuses;

  ingest (f, body);
  events = list_all (f);
  g_assert_cmpuint (events->len, ==, 2);

  /* The notification as received, byte for byte. */
  notification = herald_activity_event_load_payload (f->store,
                                                     herald_activity_event_get_id (g_ptr_array_index (events, 1)),
                                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (notification, ==, body);

  /* The update: that one status, in Meta's shape. */
  update = herald_activity_event_load_payload (f->store,
                                               herald_activity_event_get_id (g_ptr_array_index (events, 0)),
                                               &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, update, -1, &error));
  g_assert_no_error (error);
  statuses = json_path_query ("$.entry[0].changes[0].value.statuses[0].id", json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (statuses), 0), ==,
                   "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI");
  json_node_unref (statuses);

  /* No such event. */
  g_assert_null (herald_activity_event_load_payload (f->store, 999, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND);
}

/* A relay's event keeps its X-Hub-Signature-256 apart from the payload
 * shown, and a body that is not JSON is shown as it came. */
static void
test_load_payload_relay (Fixture       *f,
                         gconstpointer  data)
{
  const char *bodies[] = {
    STATUS_WEBHOOK (REAL_ACCOUNT_ID, REAL_NUMBER_ID, "wamid.RELAY1"),
    "not JSON at all",
  };
  g_autoptr(HeraldStatusApplier) applier = herald_status_applier_new (f->store);
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_relay_payload_free);
  g_auto(HeraldApplyReport) report = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) signatures = g_ptr_array_new_with_free_func (g_free);
  guint n_notifications = 0;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bodies[i], strlen (bodies[i]));

      char *signature = herald_webhook_compute_signature ("app-secret", (const guint8 *) bodies[i],
                                                          strlen (bodies[i]));

      g_ptr_array_add (signatures, signature);
      g_ptr_array_add (payloads, herald_relay_payload_new (i + 1, NULL, signature, bytes));
    }
  g_assert_true (herald_status_applier_apply_relay (applier, "https://relay.example.com", payloads, "app-secret",
                                                    &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.payloads, ==, 2);

  events = list_all (f);
  for (guint i = 0; i < events->len; i++)
    {
      HeraldActivityEvent *event = g_ptr_array_index (events, i);
      g_autofree char *payload = herald_activity_event_load_payload (f->store, herald_activity_event_get_id (event),
                                                                     &error);

      g_assert_no_error (error);
      g_assert_false (herald_activity_event_get_is_sandbox (event));
      /* Not even the signature's hex digits. */
      for (guint j = 0; j < signatures->len; j++)
        g_assert_null (strstr (payload, (const char *) g_ptr_array_index (signatures, j) + strlen ("sha256=")));
      if (g_str_equal (herald_activity_event_get_event_type (event), "notification"))
        {
          /* Newest first: the second body, then the first. */
          g_assert_cmpstr (payload, ==, bodies[G_N_ELEMENTS (bodies) - 1 - n_notifications]);
          n_notifications++;
        }
    }
  g_assert_cmpuint (n_notifications, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sandbox_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/herald/activity-event/is-sandbox/%s", sandbox_cases[i].name);

      g_test_add (path, Fixture, &sandbox_cases[i], fixture_set_up, test_is_sandbox, fixture_tear_down);
    }
  g_test_add ("/herald/activity-event/is-sandbox-pages", Fixture, NULL,
              fixture_set_up, test_is_sandbox_pages, fixture_tear_down);
  g_test_add ("/herald/activity-event/load-payload", Fixture, NULL,
              fixture_set_up, test_load_payload, fixture_tear_down);
  g_test_add ("/herald/activity-event/load-payload-relay", Fixture, NULL,
              fixture_set_up, test_load_payload_relay, fixture_tear_down);

  return g_test_run ();
}
