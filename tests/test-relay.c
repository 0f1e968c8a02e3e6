/* test-relay.c: the webhook relay, in-process and as a program
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "herald-relay-server.h"
#include "herald-test-utils.h"
#include "herald-webhook.h"

#define FEED_TOKEN "feed-token-5f1c9a"
#define VERIFY_TOKEN "verify-token-77d0e2"
#define APP_SECRET "app-secret-0b8e41"

#define NOTIFICATION \
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\"," \
  "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\"," \
  "\"statuses\":[{\"id\":\"wamid.%d\",\"status\":\"delivered\",\"timestamp\":\"1751142888\"," \
  "\"recipient_id\":\"491701234567\"}]}}]}]}"

/* ---- a client that waits for its answers by spinning the main context ---- */

typedef struct
{
  SoupMessage *msg;
  GBytes      *body;
  GError      *error;
  gboolean     done;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_object (&reply->msg);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->done = TRUE;
}

static gboolean
reply_is_done (gpointer data)
{
  return ((Reply *) data)->done;
}

static Reply *
start_request (SoupSession *session,
               const char  *method,
               const char  *url,
               GBytes      *body,
               const char  *signature,
               const char  *bearer)
{
  Reply *reply = g_new0 (Reply, 1);
  SoupMessageHeaders *headers;

  reply->msg = soup_message_new (method, url);
  g_assert_nonnull (reply->msg);
  headers = soup_message_get_request_headers (reply->msg);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (reply->msg, "application/json", body);
  if (signature != NULL)
    soup_message_headers_replace (headers, "X-Hub-Signature-256", signature);
  if (bearer != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer, NULL);
      soup_message_headers_replace (headers, "Authorization", value);
    }

  soup_session_send_and_read_async (session, reply->msg, G_PRIORITY_DEFAULT, NULL,
                                    on_sent_cb, reply);
  return reply;
}

static Reply *
wait_reply (Reply *reply)
{
  herald_test_wait_until (reply_is_done, reply, 60000);
  g_assert_no_error (reply->error);
  return reply;
}

static Reply *
request (SoupSession *session,
         const char  *method,
         const char  *url,
         GBytes      *body,
         const char  *signature,
         const char  *bearer)
{
  return wait_reply (start_request (session, method, url, body, signature, bearer));
}

static guint
reply_status (Reply *reply)
{
  return soup_message_get_status (reply->msg);
}

static char *
reply_text (Reply *reply)
{
  gsize len;
  const char *data = g_bytes_get_data (reply->body, &len);

  return g_strndup (data, len);
}

static JsonObject *
reply_object (Reply *reply)
{
  g_autofree char *text = reply_text (reply);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static GBytes *
notification_exact (int n)
{
  char *text = g_strdup_printf (NOTIFICATION, n);

  return g_bytes_new_take (text, strlen (text));
}

static char *
sign (GBytes *body)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);

  return herald_webhook_compute_signature (APP_SECRET, data, len);
}

static SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("max-conns", 64,
                                        "max-conns-per-host", 64,
                                        "proxy-resolver", NULL,
                                        "timeout", 60,
                                        NULL);
}

/* ---- the in-process server ---- */

typedef struct
{
  const char *app_secret;
  const char *verify_token;
} FixtureConfig;

typedef struct
{
  char              *dir;
  HeraldRelayServer *server;
  SoupSession       *session;
  char              *webhook_url;
} Fixture;

static const FixtureConfig with_secret = { APP_SECRET, VERIFY_TOKEN };
static const FixtureConfig without_secret = { NULL, VERIFY_TOKEN };
static const FixtureConfig without_verify_token = { APP_SECRET, NULL };

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const FixtureConfig *config = data;
  g_autofree char *path = NULL;
  g_autoptr(HeraldRelayDb) db = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = herald_test_tmp_dir ();
  path = g_build_filename (f->dir, "relay.db", NULL);
  db = herald_relay_db_open (path, &error);
  g_assert_no_error (error);

  f->server = herald_relay_server_new (db, FEED_TOKEN, &error);
  g_assert_no_error (error);
  herald_relay_server_set_app_secret (f->server, config->app_secret);
  herald_relay_server_set_verify_token (f->server, config->verify_token);
  herald_relay_server_listen (f->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  f->session = new_session ();
  f->webhook_url = g_strconcat (herald_relay_server_get_url (f->server), "/webhook", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_assert_finalize_object (f->server);
  g_free (f->webhook_url);
  g_free (f->dir);
}

static char *
fixture_url (Fixture    *f,
             const char *path_and_query)
{
  return g_strconcat (herald_relay_server_get_url (f->server), path_and_query, NULL);
}

static gint64
stored_count (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 count = herald_relay_db_count (herald_relay_server_get_db (f->server), &error);

  g_assert_no_error (error);
  return count;
}

static Reply *
post (Fixture    *f,
      GBytes     *body,
      const char *signature)
{
  return request (f->session, "POST", f->webhook_url, body, signature, NULL);
}

static Reply *
get_events (Fixture    *f,
            const char *query,
            const char *bearer)
{
  g_autofree char *url = fixture_url (f, query);

  return request (f->session, "GET", url, NULL, NULL, bearer);
}

/* ---- handshake ---- */

typedef struct
{
  const char *query;
  guint       status;
  const char *body;
} HandshakeCase;

static void
test_handshake (Fixture       *f,
                gconstpointer  data)
{
  static const HandshakeCase cases[] = {
    { "?hub.mode=subscribe&hub.verify_token=" VERIFY_TOKEN "&hub.challenge=1158201444", 200, "1158201444" },
    { "?hub.challenge=ch%20allenge&hub.verify_token=" VERIFY_TOKEN "&hub.mode=subscribe", 200, "ch allenge" },
    { "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444", 403, NULL },
    { "?hub.mode=subscribe&hub.verify_token=" VERIFY_TOKEN "x&hub.challenge=1", 403, NULL },
    { "?hub.mode=subscribe&hub.challenge=1158201444", 403, NULL },
    { "?hub.mode=unsubscribe&hub.verify_token=" VERIFY_TOKEN "&hub.challenge=1", 403, NULL },
    { "?hub.verify_token=" VERIFY_TOKEN "&hub.challenge=1", 403, NULL },
    { "", 403, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = g_strconcat (f->webhook_url, cases[i].query, NULL);
      g_autoptr(Reply) reply = request (f->session, "GET", url, NULL, NULL, NULL);
      g_autofree char *text = reply_text (reply);

      g_test_message ("case %u: %s", i, cases[i].query);
      g_assert_cmpuint (reply_status (reply), ==, cases[i].status);
      if (cases[i].body != NULL)
        g_assert_cmpstr (text, ==, cases[i].body);
      else
        g_assert_null (strstr (text, "1158201444"));
    }
}

static void
test_handshake_unconfigured (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->webhook_url,
                                      "?hub.mode=subscribe&hub.verify_token=&hub.challenge=1", NULL);
  g_autoptr(Reply) reply = request (f->session, "GET", url, NULL, NULL, NULL);

  /* No verify token configured: no token, not even an empty one, is right. */
  g_assert_cmpuint (reply_status (reply), ==, 403);
}

/* ---- POST /webhook ---- */

static void
test_signature_required (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) body = notification_exact (1);
  g_autofree char *good = sign (body);
  g_autofree char *upper = g_ascii_strup (good, -1);
  g_autoptr(GBytes) other = notification_exact (2);
  g_autofree char *other_signature = sign (other);
  const char *bad[] = { "sha256=0000000000000000000000000000000000000000000000000000000000000000",
                        other_signature, upper, "sha1=abc", "" };
  g_autoptr(Reply) missing = NULL;
  g_autoptr(Reply) ok = NULL;
  g_autoptr(JsonObject) answer = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(Reply) reply = post (f, body, bad[i]);

      g_test_message ("bad signature %u: %s", i, bad[i]);
      g_assert_cmpuint (reply_status (reply), ==, 401);
    }

  missing = post (f, body, NULL);
  g_assert_cmpuint (reply_status (missing), ==, 401);
  g_assert_cmpint (stored_count (f), ==, 0);

  ok = post (f, body, good);
  g_assert_cmpuint (reply_status (ok), ==, 200);
  answer = reply_object (ok);
  g_assert_cmpint (json_object_get_int_member (answer, "seq"), ==, 1);
  g_assert_cmpint (stored_count (f), ==, 1);
}

static void
test_signature_optional (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) body = notification_exact (1);
  g_autoptr(Reply) missing = post (f, body, NULL);
  g_autoptr(Reply) bad = post (f, body, "sha256=not-checked-here");
  g_autoptr(Reply) feed = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *events;

  /* Without an app secret the relay keeps everything and the desktop judges. */
  g_assert_cmpuint (reply_status (missing), ==, 200);
  g_assert_cmpuint (reply_status (bad), ==, 200);
  g_assert_cmpint (stored_count (f), ==, 2);

  feed = get_events (f, "/v1/events", FEED_TOKEN);
  answer = reply_object (feed);
  events = json_object_get_array_member (answer, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (events, 0), "signature"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1), "signature"),
                   ==, "sha256=not-checked-here");
}

static GBytes *
json_of_size (gsize size)
{
  char *text = g_malloc (size);

  g_assert_cmpuint (size, >, 10);
  memcpy (text, "{\"pad\":\"", 8);
  memset (text + 8, 'x', size - 10);
  memcpy (text + size - 2, "\"}", 2);
  return g_bytes_new_take (text, size);
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) largest = json_of_size (HERALD_RELAY_MAX_BODY_BYTES);
  g_autoptr(GBytes) too_large = json_of_size (HERALD_RELAY_MAX_BODY_BYTES + 1);
  g_autofree char *largest_signature = sign (largest);
  g_autofree char *too_large_signature = sign (too_large);
  g_autoptr(Reply) rejected = post (f, too_large, too_large_signature);
  g_autoptr(Reply) accepted = NULL;
  g_autoptr(Reply) chunked = g_new0 (Reply, 1);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (too_large);

  g_assert_cmpuint (reply_status (rejected), ==, 413);
  g_assert_cmpint (stored_count (f), ==, 0);

  /* A chunked body has no Content-Length: the relay counts as it reads. */
  chunked->msg = soup_message_new ("POST", f->webhook_url);
  soup_message_set_request_body (chunked->msg, "application/json", stream, -1);
  soup_message_headers_replace (soup_message_get_request_headers (chunked->msg),
                                "X-Hub-Signature-256", too_large_signature);
  soup_session_send_and_read_async (f->session, chunked->msg, G_PRIORITY_DEFAULT, NULL,
                                    on_sent_cb, chunked);
  wait_reply (chunked);
  g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_request_headers (chunked->msg)),
                   ==, SOUP_ENCODING_CHUNKED);
  g_assert_cmpuint (reply_status (chunked), ==, 413);
  g_assert_cmpint (stored_count (f), ==, 0);

  accepted = post (f, largest, largest_signature);
  g_assert_cmpuint (reply_status (accepted), ==, 200);
  g_assert_cmpint (stored_count (f), ==, 1);
}

static void
test_not_json (Fixture       *f,
               gconstpointer  data)
{
  static const char *const bodies[] = {
    "not json",
    "{\"object\":",
    "",
    "{\"a\":\"\xff\xfe\"}",
    "{\"a\":1}}",
  };
  g_autofree char *deep = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autofree char *signature = sign (body);
      g_autoptr(Reply) reply = post (f, body, signature);

      g_test_message ("body %u", i);
      g_assert_cmpuint (reply_status (reply), ==, 400);
    }

  /* Nesting that would overflow a recursive parser's stack is refused, not a crash. */
  deep = g_strnfill (500000, '[');
  {
    g_autoptr(GBytes) body = g_bytes_new_static (deep, strlen (deep));
    g_autofree char *signature = sign (body);
    g_autoptr(Reply) reply = post (f, body, signature);

    g_assert_cmpuint (reply_status (reply), ==, 400);
  }

  g_assert_cmpint (stored_count (f), ==, 0);
}

/* ---- GET /v1/events ---- */

static void
test_feed_auth (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = fixture_url (f, "/v1/events");
  g_autoptr(Reply) missing = request (f->session, "GET", url, NULL, NULL, NULL);
  g_autoptr(Reply) wrong = get_events (f, "/v1/events", "feed-token-5f1c9b");
  g_autoptr(Reply) prefix = get_events (f, "/v1/events", "feed-token");
  g_autoptr(Reply) right = get_events (f, "/v1/events", FEED_TOKEN);
  g_autoptr(Reply) basic = g_new0 (Reply, 1);
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpuint (reply_status (missing), ==, 401);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (missing->msg),
                                                 "WWW-Authenticate"), !=, NULL);
  g_assert_cmpuint (reply_status (wrong), ==, 401);
  g_assert_cmpuint (reply_status (prefix), ==, 401);
  g_assert_cmpuint (reply_status (right), ==, 200);
  answer = reply_object (right);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "events")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (answer, "next"), ==, 0);

  /* The token in another scheme is no bearer token. */
  basic->msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (basic->msg),
                                "Authorization", "Basic " FEED_TOKEN);
  soup_session_send_and_read_async (f->session, basic->msg, G_PRIORITY_DEFAULT, NULL,
                                    on_sent_cb, basic);
  wait_reply (basic);
  g_assert_cmpuint (reply_status (basic), ==, 401);
}

static void
assert_page (Fixture    *f,
             const char *query,
             gint64      first_seq,
             guint       count,
             gint64      next)
{
  g_autoptr(Reply) reply = get_events (f, query, FEED_TOKEN);
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *events;

  g_test_message ("page %s", query);
  g_assert_cmpuint (reply_status (reply), ==, 200);
  answer = reply_object (reply);
  events = json_object_get_array_member (answer, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, count);
  for (guint i = 0; i < count; i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      gint64 seq = json_object_get_int_member (event, "seq");
      g_autoptr(GBytes) expected_body = notification_exact ((int) seq);
      g_autofree char *expected_signature = sign (expected_body);
      g_autoptr(GDateTime) received_at =
        g_date_time_new_from_iso8601 (json_object_get_string_member (event, "received_at"), NULL);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      g_assert_cmpint (seq, ==, first_seq + i);
      /* The body and header come back byte for byte, so the desktop can check them. */
      g_assert_cmpstr (json_object_get_string_member (event, "body"), ==,
                       g_bytes_get_data (expected_body, NULL));
      g_assert_cmpstr (json_object_get_string_member (event, "signature"), ==, expected_signature);
      g_assert_nonnull (received_at);
      g_assert_cmpint (g_date_time_difference (now, received_at), >=, 0);
      g_assert_cmpint (g_date_time_difference (now, received_at), <, 10 * G_TIME_SPAN_MINUTE);
    }
  g_assert_cmpint (json_object_get_int_member (answer, "next"), ==, next);
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  static const char *const bad_queries[] = {
    "/v1/events?after=-1", "/v1/events?after=abc", "/v1/events?after=", "/v1/events?limit=0",
    "/v1/events?limit=-5", "/v1/events?limit=1x", "/v1/events?wait=-1", "/v1/events?wait=soon",
    "/v1/events?after=99999999999999999999",
  };

  for (int n = 1; n <= 5; n++)
    {
      g_autoptr(GBytes) body = notification_exact (n);
      g_autofree char *signature = sign (body);
      g_autoptr(Reply) reply = post (f, body, signature);

      g_assert_cmpuint (reply_status (reply), ==, 200);
    }

  assert_page (f, "/v1/events", 1, 5, 5);
  assert_page (f, "/v1/events?limit=2", 1, 2, 2);
  assert_page (f, "/v1/events?after=2&limit=2", 3, 2, 4);
  assert_page (f, "/v1/events?after=4&limit=2", 5, 1, 5);
  assert_page (f, "/v1/events?after=5&limit=2", 0, 0, 5);
  assert_page (f, "/v1/events?after=0&limit=5000", 1, 5, 5);
  assert_page (f, "/v1/events?after=3&wait=0", 4, 2, 5);
  /* Events are there: a wait does not hold the answer back. */
  assert_page (f, "/v1/events?after=1&limit=1&wait=30", 2, 1, 2);

  for (guint i = 0; i < G_N_ELEMENTS (bad_queries); i++)
    {
      g_autoptr(Reply) reply = get_events (f, bad_queries[i], FEED_TOKEN);

      g_test_message ("query %s", bad_queries[i]);
      g_assert_cmpuint (reply_status (reply), ==, 400);
    }
}

/* One answer carries at most about 8 MiB of bodies; the rest follows via next. */
static void
test_feed_size_cap (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const guint expected_pages[][2] = { { 1, 2 }, { 3, 3 } };
  gint64 after = 0;

  for (guint i = 0; i < 3; i++)
    {
      GBytes *body = json_of_size (3 * 1024 * 1024 + i);
      g_autofree char *signature = sign (body);
      g_autoptr(Reply) reply = post (f, body, signature);

      g_assert_cmpuint (reply_status (reply), ==, 200);
      g_ptr_array_add (bodies, body);
    }

  for (guint page = 0; page < G_N_ELEMENTS (expected_pages); page++)
    {
      g_autofree char *query = g_strdup_printf ("/v1/events?after=%" G_GINT64_FORMAT "&limit=1000", after);
      g_autoptr(Reply) reply = get_events (f, query, FEED_TOKEN);
      g_autoptr(JsonObject) answer = reply_object (reply);
      JsonArray *events = json_object_get_array_member (answer, "events");
      guint first = expected_pages[page][0], last = expected_pages[page][1];

      g_assert_cmpuint (json_array_get_length (events), ==, last - first + 1);
      for (guint seq = first; seq <= last; seq++)
        {
          JsonObject *event = json_array_get_object_element (events, seq - first);
          GBytes *body = g_ptr_array_index (bodies, seq - 1);
          const char *text = json_object_get_string_member (event, "body");

          g_assert_cmpint (json_object_get_int_member (event, "seq"), ==, seq);
          g_assert_cmpuint (strlen (text), ==, g_bytes_get_size (body));
          g_assert_true (memcmp (text, g_bytes_get_data (body, NULL), g_bytes_get_size (body)) == 0);
        }
      after = json_object_get_int_member (answer, "next");
      g_assert_cmpint (after, ==, last);
    }
}

static gint64
waiting_polls (Fixture *f)
{
  g_autofree char *url = fixture_url (f, "/healthz");
  g_autoptr(Reply) reply = request (f->session, "GET", url, NULL, NULL, NULL);
  g_autoptr(JsonObject) answer = reply_object (reply);

  g_assert_cmpuint (reply_status (reply), ==, 200);
  return json_object_get_int_member (answer, "waiting_polls");
}

static void
test_long_poll (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = fixture_url (f, "/v1/events?after=0&wait=20");
  g_autoptr(Reply) poll = start_request (f->session, "GET", url, NULL, NULL, FEED_TOKEN);
  g_autoptr(GBytes) body = notification_exact (1);
  g_autofree char *signature = sign (body);
  g_autoptr(Reply) posted = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *events;
  guint tries = 0;

  /* Make sure the feed request is held before the event arrives... */
  while (waiting_polls (f) != 1)
    g_assert_cmpuint (++tries, <, 1000);
  g_assert_false (poll->done);

  /* ...so an answer holding the event can only come from the wake-up. */
  posted = post (f, body, signature);
  g_assert_cmpuint (reply_status (posted), ==, 200);

  wait_reply (poll);
  g_assert_cmpuint (reply_status (poll), ==, 200);
  answer = reply_object (poll);
  events = json_object_get_array_member (answer, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0), "body"),
                   ==, g_bytes_get_data (body, NULL));
  g_assert_cmpint (json_object_get_int_member (answer, "next"), ==, 1);
  g_assert_cmpint (waiting_polls (f), ==, 0);
}

static void
test_long_poll_timeout (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *url = fixture_url (f, "/v1/events?after=0&wait=1");
  g_autoptr(Reply) poll = start_request (f->session, "GET", url, NULL, NULL, FEED_TOKEN);
  g_autoptr(JsonObject) answer = NULL;

  wait_reply (poll);
  g_assert_cmpuint (reply_status (poll), ==, 200);
  answer = reply_object (poll);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "events")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (answer, "next"), ==, 0);
  g_assert_cmpint (waiting_polls (f), ==, 0);
}

static void
test_purge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_13_days = g_date_time_add_days (now, 13);
  g_autoptr(GDateTime) in_15_days = g_date_time_add_days (now, 15);
  g_autoptr(GDateTime) in_2_days = g_date_time_add_days (now, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) after_purge = NULL;
  g_autoptr(JsonObject) answer = NULL;

  for (int n = 1; n <= 3; n++)
    {
      g_autoptr(GBytes) body = notification_exact (n);
      g_autofree char *signature = sign (body);
      g_autoptr(Reply) reply = post (f, body, signature);

      g_assert_cmpuint (reply_status (reply), ==, 200);
    }

  g_assert_cmpuint (herald_relay_server_get_retention_days (f->server), ==, 14);
  g_assert_cmpint (herald_relay_server_purge (f->server, now, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (herald_relay_server_purge (f->server, in_13_days, &error), ==, 0);
  g_assert_cmpint (stored_count (f), ==, 3);
  g_assert_cmpint (herald_relay_server_purge (f->server, in_15_days, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (stored_count (f), ==, 0);

  /* A shorter retention purges sooner. */
  {
    g_autoptr(GBytes) body = notification_exact (4);
    g_autofree char *signature = sign (body);
    g_autoptr(Reply) reply = post (f, body, signature);

    g_assert_cmpuint (reply_status (reply), ==, 200);
    herald_relay_server_set_retention_days (f->server, 1);
    g_assert_cmpint (herald_relay_server_purge (f->server, in_2_days, &error), ==, 1);
  }

  /* Sequence numbers are never handed out twice, so cursors stay valid. */
  {
    g_autoptr(GBytes) body = notification_exact (5);
    g_autofree char *signature = sign (body);
    g_autoptr(Reply) reply = post (f, body, signature);
    g_autoptr(JsonObject) posted = reply_object (reply);

    g_assert_cmpint (json_object_get_int_member (posted, "seq"), ==, 5);
  }
  after_purge = get_events (f, "/v1/events", FEED_TOKEN);
  answer = reply_object (after_purge);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "events")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (answer, "next"), ==, 5);
}

static void
test_concurrent_posts (Fixture       *f,
                       gconstpointer  data)
{
  enum { N_POSTS = 200 };
  g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) reply_free);
  g_autoptr(GHashTable) seqs = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *seq_values = g_new0 (gint64, N_POSTS);
  g_autoptr(GHashTable) bodies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 after = 0, last_seq = 0;
  g_autofree char *poll_url = fixture_url (f, "/v1/events?after=0&wait=20");
  g_autoptr(Reply) poll = start_request (f->session, "GET", poll_url, NULL, NULL, FEED_TOKEN);

  for (int n = 0; n < N_POSTS; n++)
    {
      g_autoptr(GBytes) body = notification_exact (n);
      g_autofree char *signature = sign (body);

      g_ptr_array_add (replies, start_request (f->session, "POST", f->webhook_url, body, signature, NULL));
    }

  for (guint i = 0; i < replies->len; i++)
    {
      Reply *reply = wait_reply (g_ptr_array_index (replies, i));
      g_autoptr(JsonObject) answer = NULL;

      g_assert_cmpuint (reply_status (reply), ==, 200);
      answer = reply_object (reply);
      seq_values[i] = json_object_get_int_member (answer, "seq");
      g_assert_true (g_hash_table_add (seqs, &seq_values[i]));
    }
  g_assert_cmpint (stored_count (f), ==, N_POSTS);

  /* The poll started alongside the posts was answered too. */
  wait_reply (poll);
  g_assert_cmpuint (reply_status (poll), ==, 200);

  /* Each body exactly once, in increasing seq order. */
  while (TRUE)
    {
      g_autofree char *query = g_strdup_printf ("/v1/events?after=%" G_GINT64_FORMAT "&limit=64", after);
      g_autoptr(Reply) page = get_events (f, query, FEED_TOKEN);
      g_autoptr(JsonObject) answer = reply_object (page);
      JsonArray *events = json_object_get_array_member (answer, "events");

      if (json_array_get_length (events) == 0)
        break;
      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *event = json_array_get_object_element (events, i);
          gint64 seq = json_object_get_int_member (event, "seq");

          g_assert_cmpint (seq, >, last_seq);
          last_seq = seq;
          g_assert_true (g_hash_table_add (bodies,
                                           g_strdup (json_object_get_string_member (event, "body"))));
        }
      after = json_object_get_int_member (answer, "next");
      g_assert_cmpint (after, ==, last_seq);
    }
  g_assert_cmpuint (g_hash_table_size (bodies), ==, N_POSTS);
  for (int n = 0; n < N_POSTS; n++)
    {
      g_autoptr(GBytes) body = notification_exact (n);

      g_assert_true (g_hash_table_contains (bodies, g_bytes_get_data (body, NULL)));
    }
}

static void
test_health_and_routes (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *health_url = fixture_url (f, "/healthz");
  g_autofree char *unknown_url = fixture_url (f, "/webhook/extra");
  g_autofree char *root_url = fixture_url (f, "/");
  g_autoptr(GBytes) body = notification_exact (1);
  g_autofree char *signature = sign (body);
  g_autoptr(Reply) posted = post (f, body, signature);
  g_autoptr(Reply) health = request (f->session, "GET", health_url, NULL, NULL, NULL);
  g_autoptr(Reply) unknown = request (f->session, "GET", unknown_url, NULL, NULL, NULL);
  g_autoptr(Reply) root = request (f->session, "GET", root_url, NULL, NULL, NULL);
  g_autoptr(Reply) put = request (f->session, "PUT", f->webhook_url, body, signature, NULL);
  g_autoptr(Reply) delete = request (f->session, "DELETE", health_url, NULL, NULL, NULL);
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpuint (reply_status (health), ==, 200);
  answer = reply_object (health);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "ok");
  g_assert_cmpint (json_object_get_int_member (answer, "events"), ==, 1);
  g_assert_cmpuint (reply_status (unknown), ==, 404);
  g_assert_cmpuint (reply_status (root), ==, 404);
  g_assert_cmpuint (reply_status (put), ==, 405);
  g_assert_cmpuint (reply_status (delete), ==, 405);
  g_assert_cmpint (stored_count (f), ==, 1);
}

/* A raw HTTP exchange on a thread of its own, as the server needs this one. */
typedef struct
{
  char    *url;
  char    *request;
  char    *response;
  gboolean done;
} RawExchange;

static gpointer
raw_exchange_thread (gpointer data)
{
  RawExchange *raw = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GString *response = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_uri (client, raw->url, 80, NULL, &error);
  g_assert_no_error (error);
  /* A server that never answers fails the test instead of hanging it. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), 20);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             raw->request, strlen (raw->request), NULL, NULL, &error);
  g_assert_no_error (error);
  g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (response, buffer, n);

  raw->response = g_string_free (response, FALSE);
  g_atomic_int_set (&raw->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gboolean
raw_is_done (gpointer data)
{
  return g_atomic_int_get (&((RawExchange *) data)->done);
}

static void
test_malformed_requests (Fixture       *f,
                         gconstpointer  data)
{
  static const struct { const char *request; const char *status; } cases[] = {
    { "GARBAGE\r\n\r\n", "400" },
    { "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}", "400" },
    /* An unknown transfer coding is answered by libsoup itself, as RFC 9112 §6.1 says. */
    { "POST /webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n{}", "501" },
    /* Announced too large: refused before the body, which then never comes. */
    { "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n"
      "Expect: 100-continue\r\n\r\n", "413" },
    { "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n{}", NULL },
    { "POST /webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "401" },
    { "GET /v1/events?after=%ZZ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " FEED_TOKEN "\r\n\r\n", "400" },
    { "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", "4" },
    { "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab", NULL },
  };
  g_autofree char *health_url = fixture_url (f, "/healthz");
  g_autoptr(Reply) health = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RawExchange raw = { (char *) herald_relay_server_get_url (f->server), (char *) cases[i].request,
                          NULL, FALSE };
      GThread *thread = g_thread_new ("raw-exchange", raw_exchange_thread, &raw);

      herald_test_wait_until (raw_is_done, &raw, 30000);
      g_thread_join (thread);
      g_test_message ("request %u answered: %.40s", i, raw.response);
      /* The expected error, or (for a body cut short) a closed connection or
       * a 4xx; never a crash or a success. */
      if (cases[i].status != NULL)
        {
          g_autofree char *prefix = g_strconcat ("HTTP/1.1 ", cases[i].status, NULL);
          g_autofree char *prefix_1_0 = g_strconcat ("HTTP/1.0 ", cases[i].status, NULL);

          g_assert_true (g_str_has_prefix (raw.response, prefix) ||
                         g_str_has_prefix (raw.response, prefix_1_0));
        }
      else if (*raw.response != '\0')
        g_assert_true (g_str_has_prefix (raw.response, "HTTP/1.1 4"));
      g_free (raw.response);
    }

  health = request (f->session, "GET", health_url, NULL, NULL, NULL);
  g_assert_cmpuint (reply_status (health), ==, 200);
  g_assert_cmpint (stored_count (f), ==, 0);
}

/* ---- the program ---- */

typedef struct
{
  GSubprocess *process;
  char        *url;
} RelayProcess;

static void
relay_process_stop (RelayProcess *relay)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (relay->process, SIGTERM);
  g_subprocess_wait (relay->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (relay->process));
  g_assert_cmpint (g_subprocess_get_exit_status (relay->process), ==, 0);
  g_clear_object (&relay->process);
  g_free (relay->url);
  g_free (relay);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayProcess, relay_process_stop)

static GSubprocessLauncher *
new_launcher (const char *stderr_path)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  static const char *const names[] = {
    "HERALD_RELAY_BIND", "HERALD_RELAY_PORT", "HERALD_RELAY_DB", "HERALD_RELAY_VERIFY_TOKEN",
    "HERALD_RELAY_APP_SECRET", "HERALD_RELAY_FEED_TOKEN", "HERALD_RELAY_RETENTION_DAYS",
    "HERALD_RELAY_CONFIG",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_subprocess_launcher_unsetenv (launcher, names[i]);
  if (stderr_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  return launcher;
}

static RelayProcess *
relay_process_start (GSubprocessLauncher *launcher,
                     const char          *first_arg,
                     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  RelayProcess *relay;
  va_list args;

  g_ptr_array_add (argv, herald_test_program_path ("herald-relay"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  relay = g_new0 (RelayProcess, 1);
  relay->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (relay->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  relay->url = g_strdup (line + strlen ("listening on "));
  return relay;
}

static void
relay_post (SoupSession  *session,
            RelayProcess *relay,
            GBytes       *body)
{
  g_autofree char *url = g_strconcat (relay->url, "/webhook", NULL);
  g_autofree char *signature = sign (body);
  g_autoptr(Reply) reply = request (session, "POST", url, body, signature, NULL);

  g_assert_cmpuint (reply_status (reply), ==, 200);
}

/* What was acknowledged is still there after a clean stop and after a kill,
 * with the same seq, body and signature. */
static void
test_program_restart_keeps_events (void)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *db_path = g_build_filename (dir, "relay.db", NULL);
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (NULL);
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(GBytes) first = notification_exact (7);
  g_autoptr(GBytes) second = notification_exact (8);
  RelayProcess *relay;
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *events;

  relay = relay_process_start (launcher, "--port", "0", "--db", db_path, "--feed-token", FEED_TOKEN,
                               "--app-secret", APP_SECRET, NULL);
  relay_post (session, relay, first);
  relay_process_stop (relay);

  relay = relay_process_start (launcher, "--port", "0", "--db", db_path, "--feed-token", FEED_TOKEN,
                               "--app-secret", APP_SECRET, NULL);
  relay_post (session, relay, second);
  /* A crash right after the 200: SIGKILL, no chance to clean up. */
  g_subprocess_force_exit (relay->process);
  g_subprocess_wait (relay->process, NULL, NULL);
  g_clear_object (&relay->process);
  g_free (relay->url);
  g_free (relay);

  relay = relay_process_start (launcher, "--port", "0", "--db", db_path, "--feed-token", FEED_TOKEN, NULL);
  {
    g_autofree char *url = g_strconcat (relay->url, "/v1/events?after=0", NULL);
    g_autoptr(Reply) reply = request (session, "GET", url, NULL, NULL, FEED_TOKEN);

    g_assert_cmpuint (reply_status (reply), ==, 200);
    answer = reply_object (reply);
  }
  relay_process_stop (relay);

  events = json_object_get_array_member (answer, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      GBytes *body = i == 0 ? first : second;
      g_autofree char *signature = sign (body);

      g_assert_cmpint (json_object_get_int_member (event, "seq"), ==, i + 1);
      g_assert_cmpstr (json_object_get_string_member (event, "body"), ==, g_bytes_get_data (body, NULL));
      g_assert_cmpstr (json_object_get_string_member (event, "signature"), ==, signature);
    }
}

static void
test_program_requires_feed_token (void)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *db_path = g_build_filename (dir, "relay.db", NULL);
  g_autofree char *program = herald_test_program_path ("herald-relay");
  const char *argv[] = { program, "--port", "0", "--db", db_path, "--app-secret", APP_SECRET, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_unsetenv ("HERALD_RELAY_FEED_TOKEN");
  g_unsetenv ("HERALD_RELAY_CONFIG");
  g_assert_true (herald_test_spawn_sync (argv, NULL, &out, &err, &status));
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "feed token"));
  /* One line, and nothing listened or was created. */
  g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
  g_assert_false (g_file_test (db_path, G_FILE_TEST_EXISTS));
  g_assert_null (strstr (err, APP_SECRET));
}

static void
test_program_bad_usage (void)
{
  g_autofree char *program = herald_test_program_path ("herald-relay");
  const char *argv[] = { program, "--feed-token", FEED_TOKEN, "--port", "70000", NULL };
  const char *unknown[] = { program, "--frobnicate", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  int status;

  g_assert_true (herald_test_spawn_sync (argv, NULL, &out, &err, &status));
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "port"));
  g_assert_null (strstr (err, FEED_TOKEN));

  g_assert_true (herald_test_spawn_sync (unknown, NULL, &out2, &err2, &status));
  g_assert_cmpint (status, ==, 2);
}

/* Flags win over the environment, which wins over the key file. */
static void
test_program_settings_precedence (void)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *db_path = g_build_filename (dir, "relay.db", NULL);
  g_autofree char *config_path = g_build_filename (dir, "relay.conf", NULL);
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (NULL);
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(GError) error = NULL;
  const struct { const char *flag; const char *env; const char *works; const char *fails; } cases[] = {
    { NULL, NULL, "file-token", "env-token" },
    { NULL, "env-token", "env-token", "file-token" },
    { "flag-token", "env-token", "flag-token", "env-token" },
  };

  g_autofree char *config = g_strdup_printf ("[relay]\nfeed-token = file-token\n"
                                             "retention-days = 3\ndb = %s\n", db_path);

  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RelayProcess) relay = NULL;
      g_autofree char *url = NULL;
      g_autofree char *health_url = NULL;

      if (cases[i].env != NULL)
        g_subprocess_launcher_setenv (launcher, "HERALD_RELAY_FEED_TOKEN", cases[i].env, TRUE);
      if (cases[i].flag != NULL)
        relay = relay_process_start (launcher, "--config", config_path, "--port", "0",
                                     "--feed-token", cases[i].flag, NULL);
      else
        relay = relay_process_start (launcher, "--config", config_path, "--port", "0", NULL);

      url = g_strconcat (relay->url, "/v1/events", NULL);
      health_url = g_strconcat (relay->url, "/healthz", NULL);
      {
        g_autoptr(Reply) works = request (session, "GET", url, NULL, NULL, cases[i].works);
        g_autoptr(Reply) fails = request (session, "GET", url, NULL, NULL, cases[i].fails);
        g_autoptr(Reply) health = request (session, "GET", health_url, NULL, NULL, NULL);
        g_autoptr(JsonObject) answer = reply_object (health);

        g_test_message ("case %u", i);
        g_assert_cmpuint (reply_status (works), ==, 200);
        g_assert_cmpuint (reply_status (fails), ==, 401);
        /* The key file's other settings still apply. */
        g_assert_cmpint (json_object_get_int_member (answer, "retention_days"), ==, 3);
      }
    }
  g_assert_true (g_file_test (db_path, G_FILE_TEST_EXISTS));
}

static void
test_program_log_has_no_secrets (void)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *db_path = g_build_filename (dir, "relay.db", NULL);
  g_autofree char *log_path = g_build_filename (dir, "stderr.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (log_path);
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(GBytes) body = notification_exact (1);
  g_autofree char *signature = sign (body);
  g_autofree char *log = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  RelayProcess *relay;
  const char *paths[] = {
    "/webhook?hub.mode=subscribe&hub.verify_token=" VERIFY_TOKEN "&hub.challenge=42",
    "/webhook?hub.mode=subscribe&hub.verify_token=" FEED_TOKEN "&hub.challenge=42",
    "/v1/events?after=0",
    "/healthz?secret=" APP_SECRET,
    "/nowhere",
  };

  g_subprocess_launcher_setenv (launcher, "HERALD_RELAY_VERIFY_TOKEN", VERIFY_TOKEN, TRUE);
  g_subprocess_launcher_setenv (launcher, "HERALD_RELAY_APP_SECRET", APP_SECRET, TRUE);
  relay = relay_process_start (launcher, "--port", "0", "--db", db_path, "--feed-token", FEED_TOKEN, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strconcat (relay->url, paths[i], NULL);
      g_autoptr(Reply) right = request (session, "GET", url, NULL, NULL, FEED_TOKEN);
      g_autoptr(Reply) wrong = request (session, "GET", url, NULL, NULL, APP_SECRET);

      (void) right;
      (void) wrong;
    }
  {
    g_autofree char *url = g_strconcat (relay->url, "/webhook", NULL);
    g_autoptr(Reply) good = request (session, "POST", url, body, signature, NULL);
    g_autoptr(Reply) bad = request (session, "POST", url, body, "sha256=" APP_SECRET, NULL);

    g_assert_cmpuint (reply_status (good), ==, 200);
    g_assert_cmpuint (reply_status (bad), ==, 401);
  }
  relay_process_stop (relay);

  g_file_get_contents (log_path, &log, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("log:\n%s", log);
  g_assert_null (strstr (log, FEED_TOKEN));
  g_assert_null (strstr (log, VERIFY_TOKEN));
  g_assert_null (strstr (log, APP_SECRET));

  /* One line per request, with method, path, status, sizes and time. */
  g_assert_nonnull (strstr (log, "\"GET /webhook\" 200 "));
  g_assert_nonnull (strstr (log, "\"GET /webhook\" 403 "));
  g_assert_nonnull (strstr (log, "\"GET /v1/events\" 200 "));
  g_assert_nonnull (strstr (log, "\"GET /v1/events\" 401 "));
  g_assert_nonnull (strstr (log, "\"GET /nowhere\" 404 "));
  g_assert_nonnull (strstr (log, "\"POST /webhook\" 401 "));
  lines = g_strsplit (log, "\n", -1);
  {
    guint request_lines = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      if (strstr (lines[i], "\" ") != NULL && strstr (lines[i], "ms") != NULL)
        request_lines++;
    g_assert_cmpuint (request_lines, ==, 2 * G_N_ELEMENTS (paths) + 2);
  }
  g_assert_nonnull (strstr (log, "\"POST /webhook\" 200 in="));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, config, func) \
  g_test_add ("/herald/relay/" path, Fixture, config, fixture_setup, func, fixture_teardown)

  ADD ("handshake", &with_secret, test_handshake);
  ADD ("handshake-unconfigured", &without_verify_token, test_handshake_unconfigured);
  ADD ("signature-required", &with_secret, test_signature_required);
  ADD ("signature-optional", &without_secret, test_signature_optional);
  ADD ("too-large", &with_secret, test_too_large);
  ADD ("not-json", &with_secret, test_not_json);
  ADD ("feed-auth", &with_secret, test_feed_auth);
  ADD ("paging", &with_secret, test_paging);
  ADD ("feed-size-cap", &with_secret, test_feed_size_cap);
  ADD ("long-poll", &with_secret, test_long_poll);
  ADD ("long-poll-timeout", &with_secret, test_long_poll_timeout);
  ADD ("purge", &with_secret, test_purge);
  ADD ("concurrent-posts", &with_secret, test_concurrent_posts);
  ADD ("health-and-routes", &with_secret, test_health_and_routes);
  ADD ("malformed-requests", &with_secret, test_malformed_requests);
#undef ADD

  g_test_add_func ("/herald/relay/program/restart-keeps-events", test_program_restart_keeps_events);
  g_test_add_func ("/herald/relay/program/requires-feed-token", test_program_requires_feed_token);
  g_test_add_func ("/herald/relay/program/bad-usage", test_program_bad_usage);
  g_test_add_func ("/herald/relay/program/settings-precedence", test_program_settings_precedence);
  g_test_add_func ("/herald/relay/program/log-has-no-secrets", test_program_log_has_no_secrets);

  return g_test_run ();
}
