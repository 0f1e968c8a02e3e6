/* test-client.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "herald-cloud-client.h"
#include "herald-sim-server.h"
#include "herald-test-utils.h"

#define TOKEN      "sim-secret-token-4711"
#define NUMBER_ID  "100000000000002"
#define WABA_ID    "100000000000001"

typedef struct
{
  HeraldSimServer   *sim;
  HeraldCloudClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = herald_sim_server_new (TOKEN);
  g_object_set (fixture->sim, "auto-approve", TRUE, "pair-window-ms", 0, "mps", 100000, NULL);
  herald_sim_server_listen (fixture->sim, 0, &error);
  g_assert_no_error (error);
  herald_sim_server_add_template (fixture->sim, "hello:en_US:1", &error);
  g_assert_no_error (error);
  fixture->client = herald_cloud_client_new (herald_sim_server_get_url (fixture->sim), TOKEN);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  g_assert_finalize_object (fixture->sim);
}

/* Async plumbing: each call runs the main context until its callback ran. */

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  herald_test_wait_until (result_ready, slot, 20000);
  g_assert_nonnull (*slot);
  return *slot;
}

/* Every error the client gave, checked for the token. */
static void
assert_clean_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, TOKEN));
}

static HeraldSendResult *
send_sync (HeraldCloudClient    *client,
           const char           *recipient,
           HeraldTemplate       *template,
           HeraldMessageParams  *params,
           const char           *callback_data,
           GCancellable         *cancellable,
           GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  herald_cloud_client_send_template_async (client, NUMBER_ID, recipient, template, params,
                                           callback_data, cancellable, on_result_cb, &result);
  return herald_cloud_client_send_template_finish (client, wait_result (&result), error);
}

static HeraldTemplate *
make_template (const char *name,
               const char *body,
               HeraldHeaderType header_type,
               const char *header,
               const char *buttons)
{
  HeraldTemplate *template = herald_template_new ();

  herald_template_set_name (template, name);
  herald_template_set_language (template, "en_US");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_MARKETING);
  herald_template_set_body (template, body);
  herald_template_set_header_type (template, header_type);
  herald_template_set_header_content (template, header);
  herald_template_set_buttons (template, buttons);
  return template;
}

static char *
create_sync (Fixture              *fixture,
             HeraldTemplate       *template,
             HeraldTemplateStatus *status,
             GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  herald_cloud_client_create_template_async (fixture->client, WABA_ID, template, NULL, on_result_cb, &result);
  return herald_cloud_client_create_template_finish (fixture->client, wait_result (&result), status, error);
}

/* Submits @template (the sim approves it at once) and sends it. */
static void
check_send (Fixture             *fixture,
            HeraldTemplate      *template,
            HeraldMessageParams *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldSendResult) result = NULL;
  g_autofree char *id = NULL;
  HeraldTemplateStatus status;

  id = create_sync (fixture, template, &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpint (status, ==, HERALD_TEMPLATE_APPROVED);

  result = send_sync (fixture->client, "+491701234567", template, params, "campaign=1;row=1", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (result->message_id, "wamid."));
  g_assert_cmpstr (result->wa_id, ==, "491701234567");
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "accepted"), ==, 1);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "rejected"), ==, 0);
}

static void
test_send_positional (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = make_template ("order_ready", "Hello {{1}}, your order number {{2}} is ready for pickup at our shop today.",
                                                      HERALD_HEADER_NONE, NULL, NULL);
  g_autoptr(HeraldMessageParams) params = herald_message_params_new ();

  herald_message_params_set_value (params, "1", "Anna");
  herald_message_params_set_value (params, "2", "A-17");
  check_send (fixture, template, params);
}

static void
test_send_named (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = make_template ("spring_offer", "Hi {{first_name}}, use the code {{code}} at checkout to save ten percent today.",
                                                      HERALD_HEADER_TEXT, "Offer for {{first_name}}", NULL);
  g_autoptr(HeraldMessageParams) params = herald_message_params_new ();

  herald_message_params_set_value (params, "first_name", "Anna");
  herald_message_params_set_value (params, "code", "SPRING10");
  check_send (fixture, template, params);
}

static void
test_send_header_text (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = make_template ("news_header", "Dear {{1}}, please read the latest news from our little shop.",
                                                      HERALD_HEADER_TEXT, "News for {{1}}", NULL);
  g_autoptr(HeraldMessageParams) params = herald_message_params_new ();

  herald_message_params_set_value (params, "1", "Anna");
  check_send (fixture, template, params);
}

static void
test_send_media_link (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = make_template ("photo_offer", "Dear {{1}}, look at our new spring collection in the shop.",
                                                      HERALD_HEADER_IMAGE, "https://example.com/a.jpg", NULL);
  g_autoptr(HeraldMessageParams) params = herald_message_params_new ();

  herald_message_params_set_value (params, "1", "Anna");
  herald_message_params_set_header_media (params, "https://example.com/b.jpg");
  check_send (fixture, template, params);
}

static void
test_send_buttons (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template =
    make_template ("track_order", "Your parcel {{1}} is on its way to you and arrives soon.", HERALD_HEADER_NONE, NULL,
                   "[{\"type\":\"QUICK_REPLY\",\"text\":\"Stop\"},"
                   "{\"type\":\"URL\",\"text\":\"Track\",\"url\":\"https://example.com/t/{{1}}\",\"example\":\"X1\"}]");
  g_autoptr(HeraldMessageParams) params = herald_message_params_new ();

  herald_message_params_set_value (params, "1", "P-42");
  herald_message_params_set_value (params, "url.1", "P-42");
  herald_message_params_set_quick_reply_payload (params, 0, "OPTOUT");
  check_send (fixture, template, params);
}

static char *
upload_sync (Fixture  *fixture,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) data = g_bytes_new_static ("\x89PNG\r\n\x1a\n fake", 13);

  herald_cloud_client_upload_media_async (fixture->client, NUMBER_ID, data, "image/png", "a.png",
                                          NULL, on_result_cb, &result);
  return herald_cloud_client_upload_media_finish (fixture->client, wait_result (&result), error);
}

static void
test_upload_and_send_media_id (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = make_template ("doc_offer", "Dear {{1}}, here is the picture of your new order from us.",
                                                      HERALD_HEADER_IMAGE, "https://example.com/a.png", NULL);
  g_autoptr(HeraldMessageParams) params = herald_message_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *media_id = upload_sync (fixture, &error);

  g_assert_no_error (error);
  g_assert_nonnull (media_id);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "media_uploaded"), ==, 1);

  herald_message_params_set_value (params, "1", "Anna");
  herald_message_params_set_header_media (params, media_id);
  check_send (fixture, template, params);
}

static void
test_phone_number (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldPhoneNumberInfo) info = NULL;

  herald_test_sim_control (fixture->sim, "{\"phone\":{\"display_phone_number\":\"15550783881\",\"verified_name\":\"Lucky Shrub\","
                        "\"quality_rating\":\"YELLOW\",\"status\":\"CONNECTED\"}}");
  herald_cloud_client_get_phone_number_async (fixture->client, NUMBER_ID, NULL, on_result_cb, &result);
  info = herald_cloud_client_get_phone_number_finish (fixture->client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->id, ==, NUMBER_ID);
  g_assert_cmpstr (info->display_phone_number, ==, "15550783881");
  g_assert_cmpstr (info->verified_name, ==, "Lucky Shrub");
  g_assert_cmpstr (info->quality_rating, ==, "YELLOW");
  g_assert_cmpstr (info->status, ==, "CONNECTED");
  g_assert_nonnull (info->throughput_level);
  g_assert_nonnull (info->messaging_limit_tier);
}

static GPtrArray *
list_sync (Fixture  *fixture,
           GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  herald_cloud_client_list_templates_async (fixture->client, WABA_ID, NULL, on_result_cb, &result);
  return herald_cloud_client_list_templates_finish (fixture->client, wait_result (&result), error);
}

static void
test_list_pages (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  const guint n = 230;   /* three pages of 100 */

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *spec = g_strdup_printf ("tpl_%03u:en:%u", i, i % 3);

      herald_sim_server_add_template (fixture->sim, spec, &error);
      g_assert_no_error (error);
    }

  templates = list_sync (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (templates->len, ==, n + 1);   /* and "hello" */
  for (guint i = 0; i < templates->len; i++)
    {
      HeraldTemplate *template = g_ptr_array_index (templates, i);

      g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_APPROVED);
      g_assert_nonnull (herald_template_get_meta_template_id (template));
      g_hash_table_add (names, (gpointer) herald_template_get_name (template));
    }
  g_assert_cmpuint (g_hash_table_size (names), ==, n + 1);
}

static void
test_create_pending_and_delete (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = make_template ("to_review", "Hello {{1}}, welcome aboard and thank you for joining our shop.",
                                                      HERALD_HEADER_NONE, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  HeraldTemplateStatus status = HERALD_TEMPLATE_DRAFT;

  g_object_set (fixture->sim, "auto-approve", FALSE, NULL);
  id = create_sync (fixture, template, &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpint (status, ==, HERALD_TEMPLATE_PENDING);

  templates = list_sync (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (templates->len, ==, 2);
  g_assert_true (g_str_equal (herald_template_get_meta_template_id (g_ptr_array_index (templates, 0)), id) ||
                 g_str_equal (herald_template_get_meta_template_id (g_ptr_array_index (templates, 1)), id));
  g_clear_pointer (&templates, g_ptr_array_unref);

  herald_cloud_client_delete_template_async (fixture->client, WABA_ID, "to_review", id, NULL, on_result_cb, &result);
  g_assert_true (herald_cloud_client_delete_template_finish (fixture->client, wait_result (&result), &error));
  g_assert_no_error (error);

  templates = list_sync (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (templates->len, ==, 1);
  g_assert_cmpstr (herald_template_get_name (g_ptr_array_index (templates, 0)), ==, "hello");
}

/* Errors */

/* The sim's "hello" (fixture_set_up), as Herald knows it. */
static HeraldTemplate *
approved_template (Fixture *fixture)
{
  return make_template ("hello", "Hello there, {{1}}, we will see you at the shop soon.", HERALD_HEADER_NONE, NULL, NULL);
}

static HeraldMessageParams *
one_value (void)
{
  HeraldMessageParams *params = herald_message_params_new ();

  herald_message_params_set_value (params, "1", "Anna");
  return params;
}

static HeraldCloudVerdict
send_expecting_error (Fixture           *fixture,
                      HeraldCloudClient *client,
                      const char        *recipient,
                      int                code,
                      guint             *retry_after)
{
  g_autoptr(HeraldTemplate) template = approved_template (fixture);
  g_autoptr(HeraldMessageParams) params = one_value ();
  g_autoptr(HeraldSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = send_sync (client, recipient, template, params, "row=1", NULL, &error);
  g_assert_null (result);
  g_assert_error (error, HERALD_CLOUD_ERROR, code);
  assert_clean_error (error);
  return herald_cloud_error_get_verdict (error, retry_after);
}

static void
test_error_token (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldCloudClient) client = herald_cloud_client_new (herald_sim_server_get_url (fixture->sim),
                                                                 "wrong-" TOKEN);
  g_autoptr(HeraldTemplate) template = approved_template (fixture);
  g_autoptr(HeraldMessageParams) params = one_value ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldSendResult) result = NULL;

  result = send_sync (client, "+491701234567", template, params, NULL, NULL, &error);
  g_assert_error (error, HERALD_CLOUD_ERROR, 190);
  g_assert_null (strstr (error->message, "wrong-" TOKEN));
  g_assert_cmpint (herald_cloud_error_get_verdict (error, NULL), ==, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN);
}

static void
test_error_parameter_count (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = make_template ("hello", "Hello {{1}}, and also {{2}}, we will see you at the shop soon.",
                                                      HERALD_HEADER_NONE, NULL, NULL);
  g_autoptr(HeraldMessageParams) params = herald_message_params_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldSendResult) result = NULL;

  herald_message_params_set_value (params, "1", "a");
  herald_message_params_set_value (params, "2", "b");
  result = send_sync (fixture->client, "+491701234567", template, params, NULL, NULL, &error);
  g_assert_error (error, HERALD_CLOUD_ERROR, 132000);
  assert_clean_error (error);
  g_assert_cmpint (herald_cloud_error_get_verdict (error, NULL), ==, HERALD_CLOUD_VERDICT_FAIL_MESSAGE);
}

static void
test_error_undeliverable (Fixture *fixture, gconstpointer data)
{
  herald_test_sim_control (fixture->sim, "{\"recipient_errors\":{\"+491709999999\":131026}}");
  g_assert_cmpint (send_expecting_error (fixture, fixture->client, "+491709999999", 131026, NULL),
                   ==, HERALD_CLOUD_VERDICT_FAIL_MESSAGE);
}

static void
test_error_pair_rate (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = approved_template (fixture);
  g_autoptr(HeraldMessageParams) params = one_value ();
  g_autoptr(HeraldSendResult) first = NULL;
  g_autoptr(GError) error = NULL;
  guint retry_after = 0;

  g_object_set (fixture->sim, "pair-window-ms", 6000, NULL);
  first = send_sync (fixture->client, "+491701234567", template, params, "row=1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (send_expecting_error (fixture, fixture->client, "+491701234567", 131056, &retry_after),
                   ==, HERALD_CLOUD_VERDICT_RETRY_LATER);
  g_assert_cmpuint (retry_after, >, 0);
}

typedef struct
{
  guint   pending;
  guint   ok;
  guint   in_doubt;
  GArray *codes;
} Burst;

static void
on_burst_send_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Burst *burst = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldSendResult) sent = NULL;

  sent = herald_cloud_client_send_template_finish (HERALD_CLOUD_CLIENT (source), result, &error);
  burst->pending--;
  if (sent != NULL)
    {
      burst->ok++;
      return;
    }

  assert_clean_error (error);
  g_assert_true (error->domain == HERALD_CLOUD_ERROR);
  g_array_append_val (burst->codes, error->code);
  if (herald_cloud_error_get_verdict (error, NULL) == HERALD_CLOUD_VERDICT_IN_DOUBT)
    burst->in_doubt++;
}

static gboolean
burst_done (gpointer data)
{
  return ((Burst *) data)->pending == 0;
}

/* Sends @n messages to distinct recipients, all at once. */
static void
send_burst (HeraldCloudClient *client,
            HeraldTemplate    *template,
            guint              n,
            guint              first_recipient,
            Burst             *burst)
{
  g_autoptr(HeraldMessageParams) params = one_value ();

  burst->codes = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *recipient = g_strdup_printf ("+4917%07u", first_recipient + i);
      g_autofree char *callback_data = g_strdup_printf ("row=%u", first_recipient + i);

      burst->pending++;
      herald_cloud_client_send_template_async (client, NUMBER_ID, recipient, template, params, callback_data,
                                               NULL, on_burst_send_cb, burst);
    }
  herald_test_wait_until (burst_done, burst, 60000);
  g_assert_cmpuint (burst->pending, ==, 0);
}

static void
test_error_throughput (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = approved_template (fixture);
  Burst burst = { 0 };
  gboolean throttled = FALSE;

  g_object_set (fixture->sim, "mps", 3, NULL);
  send_burst (fixture->client, template, 12, 1000, &burst);
  for (guint i = 0; i < burst.codes->len; i++)
    {
      GError error = { HERALD_CLOUD_ERROR, g_array_index (burst.codes, int, i), (char *) "" };

      g_assert_cmpint (error.code, ==, 130429);
      g_assert_cmpint (herald_cloud_error_get_verdict (&error, NULL), ==, HERALD_CLOUD_VERDICT_RETRY_LATER);
      throttled = TRUE;
    }
  g_assert_true (throttled);
  g_assert_cmpuint (burst.ok, ==, herald_test_sim_stat (fixture->sim, "accepted"));
  g_array_unref (burst.codes);
}

static void
test_error_5xx (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = approved_template (fixture);
  g_autoptr(HeraldMessageParams) params = one_value ();
  g_autoptr(HeraldSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->sim, "http-5xx-rate", 1.0, NULL);
  result = send_sync (fixture->client, "+491701234567", template, params, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_true (error->domain == HERALD_CLOUD_ERROR);
  assert_clean_error (error);
  g_test_message ("5xx: %s", error->message);
  g_assert_cmpint (herald_cloud_error_get_verdict (error, NULL), ==, HERALD_CLOUD_VERDICT_RETRY_LATER);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "accepted"), ==, 0);
}

/* A connection closed unanswered: a GET is safe to repeat (RETRY_LATER); a
 * send whose request was written cannot tell whether Meta acted on it, so it
 * is in doubt even though this sim dropped it before handling it. */
static void
test_error_drop_before_read (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(HeraldPhoneNumberInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->sim, "drop-rate", 1.0, NULL);
  herald_cloud_client_get_phone_number_async (fixture->client, NUMBER_ID, NULL, on_result_cb, &result);
  info = herald_cloud_client_get_phone_number_finish (fixture->client, wait_result (&result), &error);
  g_assert_null (info);
  g_assert_error (error, HERALD_CLOUD_ERROR, HERALD_CLOUD_ERROR_CONNECTION_FAILED);
  assert_clean_error (error);
  g_assert_cmpint (herald_cloud_error_get_verdict (error, NULL), ==, HERALD_CLOUD_VERDICT_RETRY_LATER);

  g_assert_cmpint (send_expecting_error (fixture, fixture->client, "+491701234567",
                                         HERALD_CLOUD_ERROR_CONNECTION_LOST_AFTER_SEND, NULL),
                   ==, HERALD_CLOUD_VERDICT_IN_DOUBT);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "accepted"), ==, 0);
}

static void
test_error_connection_refused (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A port that was free a moment ago and has nobody listening. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  client = herald_cloud_client_new (url, TOKEN);
  g_assert_cmpint (send_expecting_error (fixture, client, "+491701234567",
                                         HERALD_CLOUD_ERROR_CONNECTION_FAILED, NULL),
                   ==, HERALD_CLOUD_VERDICT_RETRY_LATER);
}

static gint64
program_stat (HeraldTestServer *server,
              const char       *name)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *url = g_strdup_printf ("%s/_sim/stats", herald_test_server_get_url (server));
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_autoptr(JsonNode) stats = NULL;

  g_assert_nonnull (body);
  stats = json_from_string (g_bytes_get_data (body, NULL), NULL);
  g_assert_nonnull (stats);
  return json_object_get_int_member (json_node_get_object (stats), name);
}

/* The heart of it: sends over kept-alive connections whose answer never
 * comes although the sim accepted them. libsoup must not resend them, and
 * the caller must hear IN_DOUBT for exactly those. The sim runs as its own
 * process here, as Meta would: then libsoup reuses the connections (with an
 * in-process server a request started from the previous one's callback
 * finds its connection still busy). */
static void
test_error_drop_after_accept (void)
{
  g_autofree char *program = herald_test_program_path ("herald-sim");
  const char *argv[] = { program, "--token", TOKEN, "--template", "hello:en_US:1", "--mps", "100000",
                         "--pair-window-ms", "0", "--drop-after-accept-rate", "0.5", NULL };
  g_autoptr(HeraldTestServer) server = NULL;
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(HeraldTemplate) template = make_template ("hello", "Hello there, {{1}}, we will see you at the shop soon.",
                                                      HERALD_HEADER_NONE, NULL, NULL);
  g_autoptr(GError) error = NULL;
  Burst burst = { 0 };
  const guint n = 60;

  server = herald_test_server_start (argv, &error);
  g_assert_no_error (error);
  client = g_object_new (HERALD_TYPE_CLOUD_CLIENT,
                         "api-base", herald_test_server_get_url (server),
                         "access-token", TOKEN,
                         "max-in-flight", 4,
                         NULL);

  send_burst (client, template, n, 100, &burst);

  g_assert_cmpuint (burst.ok + burst.in_doubt, ==, n);
  g_assert_cmpuint (burst.codes->len, ==, burst.in_doubt);
  g_assert_cmpuint (burst.in_doubt, >, 0);
  g_assert_cmpuint (burst.ok, >, 0);
  g_assert_cmpint (program_stat (server, "dropped_after_accept"), ==, burst.in_doubt);
  g_assert_cmpint (program_stat (server, "accepted"), ==, n);
  g_assert_cmpint (program_stat (server, "duplicates"), ==, 0);
  g_array_unref (burst.codes);
}

/* No answer within the timeout: a written send is in doubt (and indeed the
 * sim accepted it), a GET just times out. */
static void
test_error_timeout (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldCloudClient) client = g_object_new (HERALD_TYPE_CLOUD_CLIENT,
                                                      "api-base", herald_sim_server_get_url (fixture->sim),
                                                      "access-token", TOKEN,
                                                      "timeout", 1,
                                                      NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(HeraldPhoneNumberInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->sim, "latency-ms", 2500, NULL);
  g_assert_cmpint (send_expecting_error (fixture, client, "+491701234567",
                                         HERALD_CLOUD_ERROR_CONNECTION_LOST_AFTER_SEND, NULL),
                   ==, HERALD_CLOUD_VERDICT_IN_DOUBT);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "accepted"), ==, 1);

  herald_cloud_client_get_phone_number_async (client, NUMBER_ID, NULL, on_result_cb, &result);
  info = herald_cloud_client_get_phone_number_finish (client, wait_result (&result), &error);
  g_assert_error (error, HERALD_CLOUD_ERROR, HERALD_CLOUD_ERROR_TIMEOUT);
  assert_clean_error (error);
  g_assert_cmpint (herald_cloud_error_get_verdict (error, NULL), ==, HERALD_CLOUD_VERDICT_RETRY_LATER);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = approved_template (fixture);
  g_autoptr(HeraldMessageParams) params = one_value ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HeraldSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->sim, "latency-ms", 2000, NULL);
  g_timeout_add (100, cancel_cb, cancellable);
  result = send_sync (fixture->client, "+491701234567", template, params, NULL, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  result = send_sync (fixture->client, "+491701234567", template, params, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_invalid_request (Fixture *fixture, gconstpointer data)
{
  g_autoptr(HeraldTemplate) template = approved_template (fixture);
  g_autoptr(HeraldMessageParams) params = one_value ();
  g_autoptr(HeraldSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_data = g_strnfill (513, 'x');

  /* Without "+" Meta would guess the country from the business number. */
  result = send_sync (fixture->client, "491701234567", template, params, NULL, NULL, &error);
  g_assert_error (error, HERALD_CLOUD_ERROR, HERALD_CLOUD_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  result = send_sync (fixture->client, "+491701234567", template, params, long_data, NULL, &error);
  g_assert_error (error, HERALD_CLOUD_ERROR, HERALD_CLOUD_ERROR_INVALID_REQUEST);
  g_assert_cmpint (herald_cloud_error_get_verdict (error, NULL), ==, HERALD_CLOUD_VERDICT_FAIL_MESSAGE);
  g_assert_cmpint (herald_test_sim_stat (fixture->sim, "requests"), ==, 0);
}

/* Malformed answers come from a little server of our own. */
static void
on_bad_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    user_data, strlen (user_data));
}

static void
test_bad_response (void)
{
  const char *bodies[] = {
    "<html>not json</html>",
    "[1, 2, 3]",
    "{\"messages\": 5}",
    "{\"messages\": [{\"id\": 7}], \"contacts\": []}",
    "{\"messaging_product\": \"whatsapp\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      g_autoptr(HeraldCloudClient) client = NULL;
      g_autoptr(HeraldTemplate) template = make_template ("hello", "Hello there, {{1}}, we will see you at the shop soon.",
                                                          HERALD_HEADER_NONE, NULL, NULL);
      g_autoptr(HeraldMessageParams) params = one_value ();
      g_autoptr(HeraldSendResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoslist(GUri) uris = NULL;
      g_autofree char *url = NULL;

      soup_server_add_handler (server, NULL, on_bad_request, (gpointer) bodies[i], NULL);
      soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
      g_assert_no_error (error);
      uris = soup_server_get_uris (server);
      url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
      client = herald_cloud_client_new (url, TOKEN);

      result = send_sync (client, "+491701234567", template, params, NULL, NULL, &error);
      g_assert_null (result);
      g_assert_error (error, HERALD_CLOUD_ERROR, HERALD_CLOUD_ERROR_BAD_RESPONSE);
      assert_clean_error (error);
      g_assert_cmpint (herald_cloud_error_get_verdict (error, NULL), ==, HERALD_CLOUD_VERDICT_IN_DOUBT);
    }
}

static void
test_verdicts (void)
{
  const struct { int code; HeraldCloudVerdict verdict; } cases[] = {
    { 0, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 3, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 10, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 190, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 200, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 250, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 299, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 368, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 131031, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 131042, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 132001, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 132015, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 132016, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 133010, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN },
    { 2, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { 4, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { 80007, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { 130429, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { 131000, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { 131016, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { 131056, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { 131057, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { HERALD_CLOUD_ERROR_HTTP_5XX, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { HERALD_CLOUD_ERROR_TIMEOUT, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { HERALD_CLOUD_ERROR_CONNECTION_FAILED, HERALD_CLOUD_VERDICT_RETRY_LATER },
    { HERALD_CLOUD_ERROR_CONNECTION_LOST_AFTER_SEND, HERALD_CLOUD_VERDICT_IN_DOUBT },
    { 100, HERALD_CLOUD_VERDICT_FAIL_MESSAGE },
    { 131008, HERALD_CLOUD_VERDICT_FAIL_MESSAGE },
    { 131026, HERALD_CLOUD_VERDICT_FAIL_MESSAGE },
    { 131050, HERALD_CLOUD_VERDICT_FAIL_MESSAGE },
    { 132000, HERALD_CLOUD_VERDICT_FAIL_MESSAGE },
    { 132012, HERALD_CLOUD_VERDICT_FAIL_MESSAGE },
    { 135000, HERALD_CLOUD_VERDICT_FAIL_MESSAGE },
    { 987654, HERALD_CLOUD_VERDICT_FAIL_MESSAGE },   /* unknown: never retried forever */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (HERALD_CLOUD_ERROR, cases[i].code, "x");
      guint retry_after = 99;
      HeraldCloudVerdict verdict = herald_cloud_error_get_verdict (error, &retry_after);

      g_test_message ("code %d", cases[i].code);
      g_assert_cmpstr (herald_cloud_verdict_to_string (verdict), ==,
                       herald_cloud_verdict_to_string (cases[i].verdict));
      if (verdict == HERALD_CLOUD_VERDICT_RETRY_LATER)
        g_assert_cmpuint (retry_after, >, 0);
      else
        g_assert_cmpuint (retry_after, ==, 0);
    }
}

static void
test_properties (void)
{
  g_autoptr(HeraldCloudClient) client = herald_cloud_client_new (NULL, TOKEN);
  g_autofree char *token = NULL;

  g_assert_cmpstr (herald_cloud_client_get_api_base (client), ==, "https://graph.facebook.com");
  g_assert_cmpstr (herald_cloud_client_get_api_version (client), ==, HERALD_CLOUD_API_VERSION);
  g_assert_cmpuint (herald_cloud_client_get_timeout (client), ==, 30);
  g_assert_cmpuint (herald_cloud_client_get_max_in_flight (client), ==, 64);
  /* Write-only: the token cannot be read back. */
  g_assert_false (g_object_class_find_property (G_OBJECT_GET_CLASS (client), "access-token")->flags & G_PARAM_READABLE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/herald/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/herald/client/verdicts", test_verdicts);
  g_test_add_func ("/herald/client/properties", test_properties);
  ADD ("send/positional", test_send_positional);
  ADD ("send/named", test_send_named);
  ADD ("send/header-text", test_send_header_text);
  ADD ("send/media-link", test_send_media_link);
  ADD ("send/media-id", test_upload_and_send_media_id);
  ADD ("send/buttons", test_send_buttons);
  ADD ("phone-number", test_phone_number);
  ADD ("templates/list-pages", test_list_pages);
  ADD ("templates/create-delete", test_create_pending_and_delete);
  ADD ("error/token", test_error_token);
  ADD ("error/parameter-count", test_error_parameter_count);
  ADD ("error/undeliverable", test_error_undeliverable);
  ADD ("error/pair-rate", test_error_pair_rate);
  ADD ("error/throughput", test_error_throughput);
  ADD ("error/5xx", test_error_5xx);
  ADD ("error/drop-before-read", test_error_drop_before_read);
  ADD ("error/connection-refused", test_error_connection_refused);
  g_test_add_func ("/herald/client/error/drop-after-accept", test_error_drop_after_accept);
  ADD ("error/timeout", test_error_timeout);
  ADD ("error/invalid-request", test_invalid_request);
  ADD ("cancel", test_cancel);
  g_test_add_func ("/herald/client/error/bad-response", test_bad_response);

  return g_test_run ();
}
