/* test-sim.c: herald-sim answers like Meta's Cloud API
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "herald-sim-server.h"
#include "herald-test-utils.h"
#include "herald-webhook.h"

#define TOKEN "test-token"
#define APP_SECRET "test-app-secret"
#define PHONE_NUMBER_ID "106540352242922"
#define WABA_ID "102290129340398"

/* What the test's webhook receiver got: one POST each. */
typedef struct
{
  GBytes *body;
  char   *signature;
} Received;

typedef struct
{
  HeraldSimServer *sim;
  SoupSession     *session;
  SoupServer      *receiver;
  char            *receiver_url;
  GPtrArray       *received;
  guint            receiver_failures;   /* answer 500 to this many POSTs first */
} Fixture;

typedef struct
{
  GBytes  *body;
  guint    status;
  GError  *error;
  gboolean done;
} Reply;

static void
received_free (Received *received)
{
  g_bytes_unref (received->body);
  g_free (received->signature);
  g_free (received);
}

static void
on_webhook (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;
  Received *received;

  if (f->receiver_failures > 0)
    {
      f->receiver_failures--;
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }

  received = g_new0 (Received, 1);
  received->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  received->signature = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                "X-Hub-Signature-256"));
  g_ptr_array_add (f->received, received);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  f->received = g_ptr_array_new_with_free_func ((GDestroyNotify) received_free);
  f->receiver = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->receiver, "/webhook", on_webhook, f, NULL);
  soup_server_listen_local (f->receiver, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->receiver);
  f->receiver_url = g_strdup_printf ("http://127.0.0.1:%d/webhook", g_uri_get_port (uris->data));

  f->sim = g_object_new (HERALD_TYPE_SIM_SERVER,
                         "token", TOKEN,
                         "app-secret", APP_SECRET,
                         "webhook-url", f->receiver_url,
                         NULL);
  herald_sim_server_add_template (f->sim, "hello:en:2", &error);
  g_assert_no_error (error);
  herald_sim_server_add_template (f->sim, "promo:de:1:image", &error);
  g_assert_no_error (error);
  herald_sim_server_listen (f->sim, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (herald_sim_server_get_url (f->sim), "http://127.0.0.1:"));

  f->session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64,
                                              "proxy-resolver", NULL, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_assert_finalize_object (f->sim);
  soup_server_disconnect (f->receiver);
  g_clear_object (&f->receiver);
  g_free (f->receiver_url);
  g_ptr_array_unref (f->received);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  reply->done = TRUE;
}

static SoupMessage *
new_request (Fixture    *f,
             const char *method,
             const char *path,
             const char *token,
             const char *json)
{
  g_autofree char *url = g_strconcat (herald_sim_server_get_url (f->sim), path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (json != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  return msg;
}

static gboolean
reply_done (gpointer data)
{
  return ((Reply *) data)->done;
}

/* Sends @msg and spins the main context (the sim's too) until the answer. */
static JsonNode *
run_request (Fixture     *f,
             SoupMessage *msg,
             guint       *status,
             GError     **error)
{
  Reply reply = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &reply);
  herald_test_wait_until (reply_done, &reply, 10000);

  if (reply.error != NULL)
    {
      g_propagate_error (error, reply.error);
      return NULL;
    }

  *status = reply.status;
  if (g_bytes_get_size (reply.body) == 0)
    {
      g_bytes_unref (reply.body);
      return json_node_new (JSON_NODE_NULL);
    }

  json_parser_load_from_data (parser, g_bytes_get_data (reply.body, NULL), g_bytes_get_size (reply.body), error);
  g_bytes_unref (reply.body);
  g_assert_no_error (*error);
  return json_node_ref (json_parser_get_root (parser));
}

static JsonNode *
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *json,
      guint      *status)
{
  g_autoptr(SoupMessage) msg = new_request (f, method, path, g_str_has_prefix (path, "/_sim/") ? NULL : TOKEN, json);
  g_autoptr(GError) error = NULL;
  JsonNode *node = run_request (f, msg, status, &error);

  g_assert_no_error (error);
  return node;
}

static void
control (Fixture    *f,
         const char *json)
{
  guint status = 0;
  g_autoptr(JsonNode) node = call (f, "POST", "/_sim/control", json, &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "success"));
}

static gint64
sim_stat (Fixture    *f,
      const char *name)
{
  guint status = 0;
  g_autoptr(JsonNode) node = call (f, "GET", "/_sim/stats", NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_has_member (json_node_get_object (node), name));
  return json_object_get_int_member (json_node_get_object (node), name);
}

static char *
hello_request (const char *to,
               const char *biz)
{
  g_autofree char *biz_member = biz ? g_strdup_printf ("\"biz_opaque_callback_data\":\"%s\",", biz) : g_strdup ("");

  return g_strdup_printf ("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"%s\","
                          "\"type\":\"template\",%s\"template\":{\"name\":\"hello\",\"language\":{\"code\":\"en\"},"
                          "\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Anna\"},"
                          "{\"type\":\"text\",\"text\":\"SPRING10\"}]}]}}",
                          to, biz_member);
}

static JsonNode *
send_hello (Fixture    *f,
            const char *to,
            const char *biz,
            guint      *status)
{
  g_autofree char *json = hello_request (to, biz);

  return call (f, "POST", "/v23.0/" PHONE_NUMBER_ID "/messages", json, status);
}

/* Checks Meta's error object and returns its code. */
static gint64
error_code (JsonNode *node)
{
  JsonObject *error;
  JsonObject *error_data;
  g_autofree char *prefix = NULL;
  gint64 code;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  error = json_object_get_object_member (json_node_get_object (node), "error");
  g_assert_nonnull (error);
  code = json_object_get_int_member (error, "code");
  g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, "OAuthException");
  g_assert_nonnull (json_object_get_string_member (error, "fbtrace_id"));
  if (code != 190)
    {
      prefix = g_strdup_printf ("(#%" G_GINT64_FORMAT ") ", code);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (error, "message"), prefix));
      error_data = json_object_get_object_member (error, "error_data");
      g_assert_nonnull (error_data);
      g_assert_cmpstr (json_object_get_string_member (error_data, "messaging_product"), ==, "whatsapp");
      g_assert_nonnull (json_object_get_string_member (error_data, "details"));
    }
  return code;
}

static void
test_send_accepted (Fixture       *f,
                    gconstpointer  data)
{
  guint status = 0;
  g_autoptr(JsonNode) node = send_hello (f, "+49 170 1234567", "campaign=1;row=1", &status);
  JsonObject *root = json_node_get_object (node);
  JsonObject *contact;
  JsonObject *message;

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (root, "messaging_product"), ==, "whatsapp");
  contact = json_array_get_object_element (json_object_get_array_member (root, "contacts"), 0);
  g_assert_cmpstr (json_object_get_string_member (contact, "input"), ==, "+49 170 1234567");
  g_assert_cmpstr (json_object_get_string_member (contact, "wa_id"), ==, "491701234567");
  message = json_array_get_object_element (json_object_get_array_member (root, "messages"), 0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (message, "id"), "wamid."));
  g_assert_cmpstr (json_object_get_string_member (message, "message_status"), ==, "accepted");

  g_assert_cmpint (sim_stat (f, "accepted"), ==, 1);
}

static void
test_send_token (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *json = hello_request ("+491701234567", NULL);
  g_autoptr(SoupMessage) wrong = new_request (f, "POST", "/v23.0/" PHONE_NUMBER_ID "/messages", "other", json);
  g_autoptr(SoupMessage) missing = new_request (f, "POST", "/v23.0/" PHONE_NUMBER_ID "/messages", NULL, json);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = run_request (f, wrong, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (error_code (node), ==, 190);
  g_clear_pointer (&node, json_node_unref);

  node = run_request (f, missing, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (error_code (node), ==, 190);
  g_clear_pointer (&node, json_node_unref);

  /* An expired token fails however right it is, until it is replaced. */
  control (f, "{\"expire_token\":true}");
  node = send_hello (f, "+491701234567", NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (error_code (node), ==, 190);
  g_clear_pointer (&node, json_node_unref);

  control (f, "{\"token\":\"" TOKEN "\"}");
  node = send_hello (f, "+491701234567", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (sim_stat (f, "accepted"), ==, 1);
}

static void
test_send_errors (Fixture       *f,
                  gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *json;
    gint64      code;
  } cases[] = {
    { "parameter count",
      "{\"messaging_product\":\"whatsapp\",\"to\":\"+491701234567\",\"type\":\"template\",\"template\":{\"name\":\"hello\","
      "\"language\":{\"code\":\"en\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"a\"}]}]}}",
      132000 },
    { "no components",
      "{\"messaging_product\":\"whatsapp\",\"to\":\"+491701234567\",\"type\":\"template\",\"template\":{\"name\":\"hello\","
      "\"language\":{\"code\":\"en\"}}}",
      132000 },
    { "unknown template",
      "{\"messaging_product\":\"whatsapp\",\"to\":\"+491701234567\",\"type\":\"template\",\"template\":{\"name\":\"nope\","
      "\"language\":{\"code\":\"en\"}}}",
      132001 },
    { "wrong language",
      "{\"messaging_product\":\"whatsapp\",\"to\":\"+491701234567\",\"type\":\"template\",\"template\":{\"name\":\"hello\","
      "\"language\":{\"code\":\"de\"}}}",
      132001 },
    { "header type",
      "{\"messaging_product\":\"whatsapp\",\"to\":\"+491701234567\",\"type\":\"template\",\"template\":{\"name\":\"promo\","
      "\"language\":{\"code\":\"de\"},\"components\":[{\"type\":\"header\",\"parameters\":[{\"type\":\"video\",\"video\":{\"id\":\"1\"}}]},"
      "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"a\"}]}]}}",
      132012 },
    { "missing header",
      "{\"messaging_product\":\"whatsapp\",\"to\":\"+491701234567\",\"type\":\"template\",\"template\":{\"name\":\"promo\","
      "\"language\":{\"code\":\"de\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"a\"}]}]}}",
      132000 },
    { "bad recipient",
      "{\"messaging_product\":\"whatsapp\",\"to\":\"call me\",\"type\":\"template\",\"template\":{\"name\":\"hello\","
      "\"language\":{\"code\":\"en\"}}}",
      131009 },
    { "no messaging_product",
      "{\"to\":\"+491701234567\",\"type\":\"template\",\"template\":{\"name\":\"hello\",\"language\":{\"code\":\"en\"}}}",
      131008 },
    { "other messaging_product",
      "{\"messaging_product\":\"sms\",\"to\":\"+491701234567\",\"type\":\"template\",\"template\":{\"name\":\"hello\","
      "\"language\":{\"code\":\"en\"}}}",
      100 },
    { "no to",
      "{\"messaging_product\":\"whatsapp\",\"type\":\"template\",\"template\":{\"name\":\"hello\",\"language\":{\"code\":\"en\"}}}",
      131008 },
    { "no template",
      "{\"messaging_product\":\"whatsapp\",\"to\":\"+491701234567\",\"type\":\"template\"}",
      131008 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = NULL;
      guint status = 0;

      g_test_message ("case %s", cases[i].name);
      node = call (f, "POST", "/v23.0/" PHONE_NUMBER_ID "/messages", cases[i].json, &status);
      g_assert_cmpuint (status, ==, 400);
      g_assert_cmpint (error_code (node), ==, cases[i].code);
    }

  g_assert_cmpint (sim_stat (f, "accepted"), ==, 0);
  g_assert_cmpint (sim_stat (f, "rejected"), ==, G_N_ELEMENTS (cases));
}

/* A named template with a URL button, added through the control endpoint. */
static void
test_send_named_and_buttons (Fixture       *f,
                             gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *components;
    guint       status;
    gint64      code;
  } cases[] = {
    { "all there",
      "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"parameter_name\":\"code\",\"text\":\"S10\"},"
      "{\"type\":\"text\",\"parameter_name\":\"first_name\",\"text\":\"Anna\"}]},"
      "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"abc\"}]}]",
      200, 0 },
    { "unknown name",
      "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"parameter_name\":\"code\",\"text\":\"S10\"},"
      "{\"type\":\"text\",\"parameter_name\":\"last_name\",\"text\":\"Anna\"}]},"
      "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"abc\"}]}]",
      400, 132000 },
    { "no button",
      "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"parameter_name\":\"code\",\"text\":\"S10\"},"
      "{\"type\":\"text\",\"parameter_name\":\"first_name\",\"text\":\"Anna\"}]}]",
      400, 132000 },
    { "button index",
      "[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"parameter_name\":\"code\",\"text\":\"S10\"},"
      "{\"type\":\"text\",\"parameter_name\":\"first_name\",\"text\":\"Anna\"}]},"
      "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":3,\"parameters\":[{\"type\":\"text\",\"text\":\"abc\"}]}]",
      400, 131009 },
  };

  control (f, "{\"pair_window_ms\":0,\"add_template\":{\"name\":\"spring_offer\",\"language\":\"de\",\"category\":\"MARKETING\","
              "\"parameter_format\":\"named\",\"components\":["
              "{\"type\":\"BODY\",\"text\":\"Hallo {{first_name}}, dein Code: {{code}}. Bis bald.\","
              "\"example\":{\"body_text_named_params\":[{\"param_name\":\"first_name\",\"example\":\"Anna\"},"
              "{\"param_name\":\"code\",\"example\":\"SPRING10\"}]}},"
              "{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"URL\",\"text\":\"Ansehen\","
              "\"url\":\"https://shop.example/{{1}}\",\"example\":[\"abc\"]}]}]}}");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"messaging_product\":\"whatsapp\",\"to\":\"+491701234567\",\"type\":\"template\","
                                               "\"template\":{\"name\":\"spring_offer\",\"language\":{\"code\":\"de\"},"
                                               "\"components\":%s}}", cases[i].components);
      g_autoptr(JsonNode) node = NULL;
      guint status = 0;

      g_test_message ("case %s", cases[i].name);
      node = call (f, "POST", "/v23.0/" PHONE_NUMBER_ID "/messages", json, &status);
      g_assert_cmpuint (status, ==, cases[i].status);
      if (cases[i].code != 0)
        g_assert_cmpint (error_code (node), ==, cases[i].code);
    }
}

static void
test_send_paused (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  control (f, "{\"template\":{\"name\":\"hello\",\"language\":\"en\",\"status\":\"PAUSED\"}}");
  node = send_hello (f, "+491701234567", NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (error_code (node), ==, 132015);
}

static gboolean
all_done (gpointer data)
{
  GArray *replies = data;

  for (guint i = 0; i < replies->len; i++)
    if (!g_array_index (replies, Reply, i).done)
      return FALSE;
  return TRUE;
}

/* All requests are in flight at once. However the sim's clock splits them,
 * no one-second window holds more than the limit, and every excess request
 * gets 130429. */
static void
test_send_throughput (Fixture       *f,
                      gconstpointer  data)
{
  const guint burst = 30;
  g_autoptr(GArray) replies = g_array_sized_new (FALSE, TRUE, sizeof (Reply), burst);
  guint accepted = 0;
  guint throttled = 0;

  control (f, "{\"mps\":5}");
  g_array_set_size (replies, burst);
  for (guint i = 0; i < burst; i++)
    {
      g_autofree char *to = g_strdup_printf ("+4917012345%02u", i);
      g_autofree char *json = hello_request (to, NULL);
      g_autoptr(SoupMessage) msg = new_request (f, "POST", "/v23.0/" PHONE_NUMBER_ID "/messages", TOKEN, json);

      soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent,
                                        &g_array_index (replies, Reply, i));
    }
  herald_test_wait_until (all_done, replies, 30000);

  for (guint i = 0; i < burst; i++)
    {
      Reply *reply = &g_array_index (replies, Reply, i);
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_no_error (reply->error);
      json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body), NULL);
      if (reply->status == 200)
        accepted++;
      else
        {
          g_assert_cmpuint (reply->status, ==, 400);
          g_assert_cmpint (error_code (json_parser_get_root (parser)), ==, 130429);
          throttled++;
        }
      g_bytes_unref (reply->body);
    }

  g_test_message ("%u accepted, %u throttled", accepted, throttled);
  g_assert_cmpuint (accepted, >=, 5);
  g_assert_cmpuint (throttled, >, 0);
  g_assert_cmpint (sim_stat (f, "accepted"), ==, accepted);
  g_assert_cmpint (sim_stat (f, "throttled"), ==, throttled);
  /* The limit was reached and never exceeded. */
  g_assert_cmpint (sim_stat (f, "max_mps_seen"), ==, 5);
}

static void
test_send_pair_rate (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) other = NULL;
  guint status = 0;

  first = send_hello (f, "+491701234567", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  second = send_hello (f, "+491701234567", NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (error_code (second), ==, 131056);
  /* Other recipients are not affected. */
  other = send_hello (f, "+491701234568", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (sim_stat (f, "pair_limited"), ==, 1);
}

static void
test_send_messaging_limit (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  control (f, "{\"messaging_limit\":2,\"pair_window_ms\":0}");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *to = g_strdup_printf ("+4917012345%02u", i);
      g_autoptr(JsonNode) ok = send_hello (f, to, NULL, &status);

      g_assert_cmpuint (status, ==, 200);
    }

  node = send_hello (f, "+491701234599", NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (error_code (node), ==, 131048);
  g_clear_pointer (&node, json_node_unref);

  /* A recipient already reached today still counts once. */
  node = send_hello (f, "+491701234500", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (sim_stat (f, "messaging_limited"), ==, 1);
}

static gboolean
received_at_least (gpointer data)
{
  gpointer *args = data;
  Fixture *f = args[0];

  return f->received->len >= GPOINTER_TO_UINT (args[1]);
}

static void
wait_for_webhooks (Fixture *f,
                   guint    count)
{
  gpointer args[] = { f, GUINT_TO_POINTER (count) };

  herald_test_wait_until (received_at_least, args, 10000);
}

static JsonObject *
received_value (Fixture    *f,
                guint       index,
                const char *field,
                JsonParser *parser)
{
  Received *received = g_ptr_array_index (f->received, index);
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonObject *entry;
  JsonObject *change;

  json_parser_load_from_data (parser, g_bytes_get_data (received->body, NULL), g_bytes_get_size (received->body), &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "object"), ==, "whatsapp_business_account");
  entry = json_array_get_object_element (json_object_get_array_member (root, "entry"), 0);
  g_assert_nonnull (json_object_get_string_member (entry, "id"));
  change = json_array_get_object_element (json_object_get_array_member (entry, "changes"), 0);
  g_assert_cmpstr (json_object_get_string_member (change, "field"), ==, field);
  return json_object_get_object_member (change, "value");
}

static JsonObject *
received_status (Fixture    *f,
                 guint       index,
                 JsonParser *parser)
{
  JsonObject *value = received_value (f, index, "messages", parser);
  JsonObject *metadata = json_object_get_object_member (value, "metadata");

  g_assert_cmpstr (json_object_get_string_member (value, "messaging_product"), ==, "whatsapp");
  g_assert_cmpstr (json_object_get_string_member (metadata, "phone_number_id"), ==, PHONE_NUMBER_ID);
  g_assert_nonnull (json_object_get_string_member (metadata, "display_phone_number"));
  return json_array_get_object_element (json_object_get_array_member (value, "statuses"), 0);
}

static void
test_webhooks_statuses (Fixture       *f,
                        gconstpointer  data)
{
  static const char *expected[] = { "sent", "delivered", "read" };
  g_autoptr(JsonNode) node = NULL;
  const char *wamid;
  guint status = 0;

  control (f, "{\"waba_id\":\"" WABA_ID "\"}");
  node = send_hello (f, "+491701234567", "campaign=17;row=42", &status);
  g_assert_cmpuint (status, ==, 200);
  wamid = json_object_get_string_member (json_array_get_object_element (
            json_object_get_array_member (json_node_get_object (node), "messages"), 0), "id");

  wait_for_webhooks (f, 3);
  for (guint i = 0; i < 3; i++)
    {
      Received *received = g_ptr_array_index (f->received, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *item = received_status (f, i, parser);
      const char *timestamp = json_object_get_string_member (item, "timestamp");
      gsize length = 0;
      const guint8 *body = g_bytes_get_data (received->body, &length);

      g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, wamid);
      g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, expected[i]);
      g_assert_cmpstr (json_object_get_string_member (item, "recipient_id"), ==, "491701234567");
      g_assert_cmpstr (json_object_get_string_member (item, "biz_opaque_callback_data"), ==, "campaign=17;row=42");
      g_assert_nonnull (timestamp);
      g_assert_cmpint (g_ascii_strtoll (timestamp, NULL, 10), >, 1700000000);
      g_assert_cmpint (json_object_has_member (item, "pricing"), ==, i == 0);

      g_assert_nonnull (received->signature);
      g_assert_true (herald_webhook_verify_signature (APP_SECRET, body, length, received->signature));
      g_assert_false (herald_webhook_verify_signature ("another-secret", body, length, received->signature));
    }

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    Received *received = g_ptr_array_index (f->received, 0);
    JsonObject *root;

    json_parser_load_from_data (parser, g_bytes_get_data (received->body, NULL), g_bytes_get_size (received->body), NULL);
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                       json_object_get_array_member (root, "entry"), 0), "id"), ==, WABA_ID);
  }
}

static void
test_webhooks_undeliverable (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *item;
  JsonObject *error;
  guint status = 0;

  /* Meta accepts a message to a number that is not on WhatsApp, then reports
   * it failed; a code can also be answered at once for chosen recipients. */
  control (f, "{\"undeliverable\":[\"+491701234567\"],\"recipient_errors\":{\"+491709999999\":131026}}");
  node = send_hello (f, "+491701234567", "row=1", &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&node, json_node_unref);

  node = send_hello (f, "+491709999999", "row=2", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (error_code (node), ==, 131026);

  wait_for_webhooks (f, 1);
  item = received_status (f, 0, parser);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (item, "biz_opaque_callback_data"), ==, "row=1");
  error = json_array_get_object_element (json_object_get_array_member (item, "errors"), 0);
  g_assert_cmpint (json_object_get_int_member (error, "code"), ==, 131026);
  g_assert_nonnull (json_object_get_string_member (error, "title"));
}

static gboolean
stat_reaches (gpointer data)
{
  gpointer *args = data;

  return sim_stat (args[0], args[1]) >= GPOINTER_TO_INT (args[2]);
}

static void
test_webhooks_retry_and_duplicates (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gpointer args[] = { f, "webhook_statuses", GINT_TO_POINTER (6) };
  guint status = 0;
  guint statuses = 0;

  /* Every status twice, all of a message in one shuffled POST; the receiver
   * fails twice first. */
  control (f, "{\"webhooks\":{\"duplicate_rate\":1,\"batch_size\":10,\"shuffle\":true,"
              "\"sent_delay_ms\":30,\"delivered_delay_ms\":30,\"read_delay_ms\":30,\"retry_delay_ms\":10}}");
  f->receiver_failures = 2;
  node = send_hello (f, "+491701234567", "row=7", &status);
  g_assert_cmpuint (status, ==, 200);

  herald_test_wait_until (stat_reaches, args, 10000);
  wait_for_webhooks (f, 1);
  g_assert_cmpint (sim_stat (f, "webhook_retries"), ==, 2);
  g_assert_cmpint (sim_stat (f, "webhook_duplicates"), ==, 3);

  for (guint i = 0; i < f->received->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *items = json_object_get_array_member (received_value (f, i, "messages", parser), "statuses");

      for (guint j = 0; j < json_array_get_length (items); j++)
        {
          JsonObject *item = json_array_get_object_element (items, j);

          g_hash_table_add (seen, g_strdup (json_object_get_string_member (item, "status")));
          g_assert_cmpstr (json_object_get_string_member (item, "biz_opaque_callback_data"), ==, "row=7");
          statuses++;
        }
    }

  g_assert_cmpuint (statuses, ==, 6);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 3);
}

/* A webhook on its way (posted, or waiting to be posted again) is counted
 * in webhooks_in_flight, so that "nothing pending and nothing in flight"
 * means every webhook reached its receiver or failed. (Other tests wait for
 * both to be 0, so a count that never came down would fail them.) */
static void
test_webhooks_in_flight (Fixture       *f,
                         gconstpointer  data)
{
  gpointer retried[] = { f, "webhook_retries", GINT_TO_POINTER (1) };
  guint status = 0;
  g_autoptr(JsonNode) node = NULL;

  control (f, "{\"webhooks\":{\"sent_delay_ms\":0,\"read\":false,\"batch_size\":10,"
              "\"delivered_delay_ms\":0,\"retry_delay_ms\":60000}}");
  f->receiver_failures = 1;
  node = send_hello (f, "+491701234567", "row=8", &status);
  g_assert_cmpuint (status, ==, 200);

  /* Refused once, the POST waits a minute to be retried. */
  herald_test_wait_until (stat_reaches, retried, 10000);
  g_assert_cmpint (sim_stat (f, "webhooks_pending"), ==, 0);
  g_assert_cmpint (sim_stat (f, "webhooks_in_flight"), >=, 1);
  g_assert_cmpuint (f->received->len, ==, 0);
}

static void
test_webhooks_inbound (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *value;
  JsonObject *message;

  control (f, "{\"inbound\":{\"from\":\"+491701234567\",\"text\":\"STOP\",\"name\":\"Anna\",\"phone_number_id\":\"" PHONE_NUMBER_ID "\"}}");
  wait_for_webhooks (f, 1);

  value = received_value (f, 0, "messages", parser);
  message = json_array_get_object_element (json_object_get_array_member (value, "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "from"), ==, "491701234567");
  g_assert_cmpstr (json_object_get_string_member (message, "type"), ==, "text");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (message, "text"), "body"), ==, "STOP");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (message, "id"), "wamid."));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_array_get_object_element (json_object_get_array_member (value, "contacts"), 0), "profile"),
                     "name"), ==, "Anna");
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *json = hello_request ("+491701234567", "row=1");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  control (f, "{\"http_5xx_rate\":1}");
  node = send_hello (f, "+491701234567", NULL, &status);
  g_assert_cmpuint (status, ==, 500);
  g_assert_cmpint (error_code (node), ==, 1);
  g_clear_pointer (&node, json_node_unref);

  control (f, "{\"http_5xx_rate\":0,\"fail_rate\":1,\"fail_code\":131000}");
  node = send_hello (f, "+491701234567", NULL, &status);
  g_assert_cmpuint (status, ==, 500);
  g_assert_cmpint (error_code (node), ==, 131000);
  g_clear_pointer (&node, json_node_unref);

  control (f, "{\"fail_code\":503}");
  node = send_hello (f, "+491701234567", NULL, &status);
  g_assert_cmpuint (status, ==, 503);
  g_clear_pointer (&node, json_node_unref);

  /* Dropped before it is looked at: nothing accepted. */
  control (f, "{\"fail_rate\":0,\"drop_rate\":1}");
  {
    g_autoptr(SoupMessage) msg = new_request (f, "POST", "/v23.0/" PHONE_NUMBER_ID "/messages", TOKEN, json);

    node = run_request (f, msg, &status, &error);
    g_assert_null (node);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_assert_cmpint (sim_stat (f, "accepted"), ==, 0);
  g_assert_cmpint (sim_stat (f, "dropped"), ==, 1);

  /* Dropped after it was accepted: the client sees the same, Meta sends it. */
  control (f, "{\"drop_rate\":0,\"drop_after_accept_rate\":1,\"latency_ms\":20}");
  {
    g_autoptr(SoupMessage) msg = new_request (f, "POST", "/v23.0/" PHONE_NUMBER_ID "/messages", TOKEN, json);

    node = run_request (f, msg, &status, &error);
    g_assert_null (node);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_assert_cmpint (sim_stat (f, "accepted"), ==, 1);
  g_assert_cmpint (sim_stat (f, "dropped_after_accept"), ==, 1);
  g_assert_cmpint (sim_stat (f, "injected_failures"), ==, 2);
  g_assert_cmpint (sim_stat (f, "http_5xx"), ==, 1);
}

static void
test_stats_duplicates (Fixture       *f,
                       gconstpointer  data)
{
  static const char *sends[][2] = {
    { "+491701234501", "row=1" },
    { "+491701234502", "row=2" },
    { "+491701234503", "row=1" },
    { "+491701234504", NULL },
  };
  guint status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sends); i++)
    {
      g_autoptr(JsonNode) node = send_hello (f, sends[i][0], sends[i][1], &status);

      g_assert_cmpuint (status, ==, 200);
    }

  g_assert_cmpint (sim_stat (f, "accepted"), ==, 4);
  g_assert_cmpint (sim_stat (f, "unique_recipients"), ==, 4);
  g_assert_cmpint (sim_stat (f, "duplicates"), ==, 1);

  {
    g_autoptr(JsonNode) node = call (f, "POST", "/_sim/reset", "{}", &status);

    g_assert_cmpuint (status, ==, 200);
  }
  g_assert_cmpint (sim_stat (f, "accepted"), ==, 0);
  g_assert_cmpint (sim_stat (f, "duplicates"), ==, 0);
}

static const char *
template_status (Fixture    *f,
                 const char *id,
                 JsonNode  **keep)
{
  g_autofree char *path = g_strdup_printf ("/v23.0/%s?fields=status", id);
  guint status = 0;

  *keep = call (f, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (*keep), "id"), ==, id);
  return json_object_get_string_member (json_node_get_object (*keep), "status");
}

static void
test_templates_lifecycle (Fixture       *f,
                          gconstpointer  data)
{
  const char *create =
    "{\"name\":\"spring_offer\",\"language\":\"en_US\",\"category\":\"MARKETING\",\"components\":["
    "{\"type\":\"BODY\",\"text\":\"Hello {{1}}, your code is {{2}} today.\",\"example\":{\"body_text\":[[\"Anna\",\"SPRING10\"]]}}]}";
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *id = NULL;
  g_autofree char *approve = NULL;
  JsonObject *value;
  JsonArray *list;
  guint status = 0;

  created = call (f, "POST", "/v23.0/" WABA_ID "/message_templates", create, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (created), "status"), ==, "PENDING");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (created), "category"), ==, "MARKETING");
  id = g_strdup (json_object_get_string_member (json_node_get_object (created), "id"));

  g_assert_cmpstr (template_status (f, id, &node), ==, "PENDING");
  g_clear_pointer (&node, json_node_unref);

  /* The same name and language again is refused. */
  node = call (f, "POST", "/v23.0/" WABA_ID "/message_templates", create, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (error_code (node), ==, 100);
  g_clear_pointer (&node, json_node_unref);

  approve = g_strdup_printf ("{\"template\":{\"id\":\"%s\",\"status\":\"APPROVED\"}}", id);
  control (f, approve);
  g_assert_cmpstr (template_status (f, id, &node), ==, "APPROVED");
  g_clear_pointer (&node, json_node_unref);

  node = call (f, "GET", "/v23.0/" WABA_ID "/message_templates?name=spring_offer&fields=name,status,language", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  list = json_object_get_array_member (json_node_get_object (node), "data");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "status"), ==, "APPROVED");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "id"), ==, id);
  g_clear_pointer (&node, json_node_unref);

  /* Meta tells the business by webhook. */
  wait_for_webhooks (f, 1);
  value = received_value (f, 0, "message_template_status_update", parser);
  g_assert_cmpstr (json_object_get_string_member (value, "event"), ==, "APPROVED");
  g_assert_cmpstr (json_object_get_string_member (value, "message_template_name"), ==, "spring_offer");
  g_assert_cmpint (json_object_get_int_member (value, "message_template_id"), ==, g_ascii_strtoll (id, NULL, 10));

  node = call (f, "DELETE", "/v23.0/" WABA_ID "/message_templates?name=spring_offer", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "success"));
  g_clear_pointer (&node, json_node_unref);

  node = call (f, "GET", "/v23.0/" WABA_ID "/message_templates?name=spring_offer", NULL, &status);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (node), "data")), ==, 0);
}

static void
test_templates_paging (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = g_strdup ("/v23.0/" WABA_ID "/message_templates?limit=2&fields=name,status");
  guint pages = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *spec = g_strdup_printf ("extra_%u:en:%u", i, i);
      g_autoptr(GError) error = NULL;

      herald_sim_server_add_template (f->sim, spec, &error);
      g_assert_no_error (error);
    }

  /* 2 preloaded + 5 = 7 templates, in pages of 2, by following paging.next. */
  while (path != NULL)
    {
      guint status = 0;
      g_autoptr(JsonNode) node = call (f, "GET", path, NULL, &status);
      JsonObject *root = json_node_get_object (node);
      JsonArray *list = json_object_get_array_member (root, "data");
      JsonObject *paging;

      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpuint (json_array_get_length (list), <=, 2);
      for (guint i = 0; i < json_array_get_length (list); i++)
        g_assert_true (g_hash_table_add (names, g_strdup (json_object_get_string_member (
                                                  json_array_get_object_element (list, i), "name"))));
      pages++;

      g_clear_pointer (&path, g_free);
      paging = json_object_get_object_member (root, "paging");
      if (paging != NULL && json_object_has_member (paging, "next"))
        {
          const char *next = json_object_get_string_member (paging, "next");

          g_assert_true (g_str_has_prefix (next, herald_sim_server_get_url (f->sim)));
          g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (paging, "cursors"), "after"));
          path = g_strdup (next + strlen (herald_sim_server_get_url (f->sim)));
        }
    }

  g_assert_cmpuint (g_hash_table_size (names), ==, 7);
  g_assert_cmpuint (pages, ==, 4);
}

static void
test_media (Fixture       *f,
            gconstpointer  data)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0 };
  const struct {
    gboolean    product;
    const char *mime;
    guint       status;
    gint64      code;
  } cases[] = {
    { TRUE, "image/png", 200, 0 },
    { FALSE, "image/png", 400, 100 },
    { TRUE, "application/x-msdownload", 400, 131053 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
      g_autoptr(GBytes) file = g_bytes_new_static (png, sizeof png);
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *url = g_strconcat (herald_sim_server_get_url (f->sim), "/v23.0/" PHONE_NUMBER_ID "/media", NULL);
      guint status = 0;

      if (cases[i].product)
        soup_multipart_append_form_string (multipart, "messaging_product", "whatsapp");
      soup_multipart_append_form_file (multipart, "file", "logo.png", cases[i].mime, file);
      msg = soup_message_new_from_multipart (url, multipart);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " TOKEN);
      node = run_request (f, msg, &status, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (status, ==, cases[i].status);
      if (cases[i].status == 200)
        g_assert_nonnull (json_object_get_string_member (json_node_get_object (node), "id"));
      else
        g_assert_cmpint (error_code (node), ==, cases[i].code);
    }

  g_assert_cmpint (sim_stat (f, "media_uploaded"), ==, 1);
}

static void
test_phone_number (Fixture       *f,
                   gconstpointer  data)
{
  guint status = 0;
  g_autoptr(JsonNode) node = call (f, "GET", "/v23.0/" PHONE_NUMBER_ID
                                   "?fields=id,display_phone_number,verified_name,quality_rating,throughput,"
                                   "whatsapp_business_manager_messaging_limit,status", NULL, &status);
  JsonObject *root = json_node_get_object (node);
  g_autoptr(JsonNode) bad = NULL;

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (root, "id"), ==, PHONE_NUMBER_ID);
  g_assert_cmpstr (json_object_get_string_member (root, "quality_rating"), ==, "GREEN");
  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "CONNECTED");
  g_assert_cmpstr (json_object_get_string_member (root, "whatsapp_business_manager_messaging_limit"), ==, "TIER_100K");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "throughput"), "level"), ==, "STANDARD");
  g_assert_nonnull (json_object_get_string_member (root, "display_phone_number"));
  g_assert_nonnull (json_object_get_string_member (root, "verified_name"));

  bad = call (f, "GET", "/23.0/" PHONE_NUMBER_ID, NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (error_code (bad), ==, 100);
}

static void
test_program (void)
{
  g_autofree char *program = herald_test_program_path ("herald-sim");
  const char *argv[] = { program, "--port", "0", "--token", TOKEN, "--template", "hello:en:2", "--seed", "7", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldTestServer) server = herald_test_server_start (argv, &error);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *json = hello_request ("+491701234567", "row=1");
  g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (herald_test_server_get_url (server), "http://127.0.0.1:"));

  url = g_strconcat (herald_test_server_get_url (server), "/v23.0/" PHONE_NUMBER_ID "/messages", NULL);
  msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " TOKEN);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "\"message_status\":\"accepted\""));
  /* herald_test_server_stop (autoptr) sends SIGTERM and asserts exit 0. */
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/herald/sim/send/accepted", test_send_accepted);
  ADD ("/herald/sim/send/token", test_send_token);
  ADD ("/herald/sim/send/errors", test_send_errors);
  ADD ("/herald/sim/send/paused", test_send_paused);
  ADD ("/herald/sim/send/named-and-buttons", test_send_named_and_buttons);
  ADD ("/herald/sim/send/throughput", test_send_throughput);
  ADD ("/herald/sim/send/pair-rate", test_send_pair_rate);
  ADD ("/herald/sim/send/messaging-limit", test_send_messaging_limit);
  ADD ("/herald/sim/webhooks/statuses", test_webhooks_statuses);
  ADD ("/herald/sim/webhooks/undeliverable", test_webhooks_undeliverable);
  ADD ("/herald/sim/webhooks/retry-and-duplicates", test_webhooks_retry_and_duplicates);
  ADD ("/herald/sim/webhooks/in-flight", test_webhooks_in_flight);
  ADD ("/herald/sim/webhooks/inbound", test_webhooks_inbound);
  ADD ("/herald/sim/faults", test_faults);
  ADD ("/herald/sim/stats/duplicates", test_stats_duplicates);
  ADD ("/herald/sim/templates/lifecycle", test_templates_lifecycle);
  ADD ("/herald/sim/templates/paging", test_templates_paging);
  ADD ("/herald/sim/media", test_media);
  ADD ("/herald/sim/phone-number", test_phone_number);
#undef ADD
  g_test_add_func ("/herald/sim/program", test_program);

  return g_test_run ();
}
