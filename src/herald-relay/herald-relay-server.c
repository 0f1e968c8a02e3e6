/* herald-relay-server.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "herald-http-listen.h"
#include "herald-webhook.h"

#include "herald-relay-server.h"

/* The webhook relay (architecture.md, "Webhook relay protocol"): Meta POSTs
 * to /webhook, each body is committed to the relay's database before the
 * 200, and the desktop reads them back from /v1/events, long-polling when it
 * is up to date. Everything runs on the thread-default main context of the
 * thread that created the server; SQLite commits are short enough for that. */

/* One feed answer carries at most this much body text (but always at least
 * one event), so that 1000 events of 3 MB each never make a 3 GB reply. */
#define MAX_FEED_BODY_BYTES (8 * 1024 * 1024)
#define PURGE_INTERVAL_SECONDS (60 * 60)
#define LISTEN_BACKLOG 128

struct _HeraldRelayServer
{
  GObject        parent_instance;

  HeraldRelayDb *db;
  SoupServer    *soup;
  char          *feed_token;
  char          *verify_token;
  char          *app_secret;
  char          *url;
  guint          retention_days;
  guint          purge_id;

  /* Feed requests held until an event arrives or their wait ends. */
  GQueue         polls;
};

/* What we keep about each request for its log line and the size limit. */
typedef struct
{
  gint64  started_us;
  guint64 bytes_in;
} RequestInfo;

typedef struct
{
  HeraldRelayServer *server;
  SoupServerMessage *msg;
  gint64             after;
  guint              limit;
  guint              timeout_id;
  gulong             finished_id;
} PendingPoll;

enum {
  PROP_0,
  PROP_DB,
  PROP_FEED_TOKEN,
  PROP_VERIFY_TOKEN,
  PROP_APP_SECRET,
  PROP_RETENTION_DAYS,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeraldRelayServer, herald_relay_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (herald-relay-server-error-quark, herald_relay_server_error)

static GQuark request_info_quark (void);
G_DEFINE_QUARK (herald-relay-request-info, request_info)

/* Equal in time independent of where the strings differ and of the expected
 * secret's length: both sides are hashed first and the digests compared
 * without an early exit. */
static gboolean
secret_equal (const char *given,
              const char *expected)
{
  g_autoptr(GChecksum) given_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) expected_sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 given_digest[32];
  guint8 expected_digest[32];
  gsize given_len = sizeof given_digest;
  gsize expected_len = sizeof expected_digest;
  guint8 difference = 0;

  if (given == NULL || expected == NULL)
    return FALSE;

  g_checksum_update (given_sum, (const guchar *) given, strlen (given));
  g_checksum_update (expected_sum, (const guchar *) expected, strlen (expected));
  g_checksum_get_digest (given_sum, given_digest, &given_len);
  g_checksum_get_digest (expected_sum, expected_digest, &expected_len);

  for (gsize i = 0; i < sizeof given_digest; i++)
    difference |= given_digest[i] ^ expected_digest[i];

  return difference == 0;
}

static void
reply_bytes (SoupServerMessage *msg,
             guint              status,
             const char        *content_type,
             const char        *body,
             gsize              body_len)
{
  soup_server_message_set_status (msg, status, NULL);
  /* set_response appends: start from an empty body. */
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, body_len);
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  soup_server_message_set_status (msg, status, NULL);
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

/* Errors are answered as {"error":"…"}; @message never holds a secret. */
static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (msg, status, root);
}

static void
reply_too_large (SoupServerMessage *msg)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autofree char *message =
    g_strdup_printf (_("The request body is larger than %d bytes"), HERALD_RELAY_MAX_BODY_BYTES);

  /* Read and drop the rest of the body instead of keeping it, and close the
   * connection afterwards. */
  soup_message_body_set_accumulate (request_body, FALSE);
  soup_message_body_truncate (request_body);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, message);
}

static void
on_message_got_headers_cb (SoupServerMessage *msg,
                           gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* With "Expect: 100-continue" this answers before the body is sent. */
  if (soup_server_message_get_status (msg) == 0 &&
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > HERALD_RELAY_MAX_BODY_BYTES)
    reply_too_large (msg);
}

static void
on_message_got_chunk_cb (SoupServerMessage *msg,
                         GBytes            *chunk,
                         gpointer           user_data)
{
  RequestInfo *info = g_object_get_qdata (G_OBJECT (msg), request_info_quark ());

  g_assert (info != NULL);

  /* A chunked body has no length up front: count as it arrives. */
  info->bytes_in += g_bytes_get_size (chunk);
  if (info->bytes_in > HERALD_RELAY_MAX_BODY_BYTES &&
      soup_server_message_get_status (msg) != SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    reply_too_large (msg);
}

static void
on_request_started_cb (SoupServer        *soup,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  RequestInfo *info = g_new0 (RequestInfo, 1);

  info->started_us = g_get_monotonic_time ();
  g_object_set_qdata_full (G_OBJECT (msg), request_info_quark (), info, g_free);

  /* libsoup before 3.3 never closes a kept-alive connection that the client
   * closed while idle (fixed upstream by d20c6601, "server: do not leak idle
   * connections closed by the client"): each one would hold a file
   * descriptor for good. So close every connection after its answer. */
  if (soup_get_major_version () == 3 && soup_get_minor_version () < 3)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_message_got_headers_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_message_got_chunk_cb), NULL);
}

/* One line per request. Only the path is logged, never the query: it holds
 * the verify token on the handshake. */
static void
log_request (SoupServerMessage *msg,
             gboolean           aborted)
{
  RequestInfo *info = g_object_get_qdata (G_OBJECT (msg), request_info_quark ());
  SoupMessageBody *response = soup_server_message_get_response_body (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *remote = soup_server_message_get_remote_host (msg);
  double ms = info ? (g_get_monotonic_time () - info->started_us) / 1000.0 : 0.0;

  g_message ("%s \"%s %s\" %u%s in=%" PRIu64 " out=%" PRId64 " %.1fms",
             remote ? remote : "-",
             method ? method : "-",
             uri ? g_uri_get_path (uri) : "-",
             soup_server_message_get_status (msg),
             aborted ? " (aborted)" : "",
             info ? info->bytes_in : 0,
             response ? (gint64) response->length : 0,
             ms);
}

static void
on_request_finished_cb (SoupServer        *soup,
                        SoupServerMessage *msg,
                        gpointer           user_data)
{
  log_request (msg, FALSE);
}

static void
on_request_aborted_cb (SoupServer        *soup,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  log_request (msg, TRUE);
}

static void
handle_handshake (HeraldRelayServer *self,
                  SoupServerMessage *msg,
                  GHashTable        *query)
{
  const char *mode = query ? g_hash_table_lookup (query, "hub.mode") : NULL;
  const char *token = query ? g_hash_table_lookup (query, "hub.verify_token") : NULL;
  const char *challenge = query ? g_hash_table_lookup (query, "hub.challenge") : NULL;

  /* Evaluate the token comparison whatever the mode, so timing says nothing. */
  gboolean token_ok = self->verify_token != NULL && secret_equal (token, self->verify_token);

  if (!token_ok || g_strcmp0 (mode, "subscribe") != 0 || challenge == NULL)
    {
      reply_bytes (msg, SOUP_STATUS_FORBIDDEN, "text/plain", "forbidden\n", strlen ("forbidden\n"));
      return;
    }

  reply_bytes (msg, SOUP_STATUS_OK, "text/plain", challenge, strlen (challenge));
}

static void wake_polls (HeraldRelayServer *self,
                        gint64             seq);

static void
handle_notification (HeraldRelayServer *self,
                     SoupServerMessage *msg)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  const char *signature =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                  "X-Hub-Signature-256");
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize len;
  gint64 seq;

  data = g_bytes_get_data (body, &len);

  if (len > HERALD_RELAY_MAX_BODY_BYTES)
    {
      reply_too_large (msg);
      return;
    }

  if (self->app_secret != NULL &&
      !herald_webhook_verify_signature (self->app_secret, data, len, signature))
    {
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED,
                   signature ? _("The X-Hub-Signature-256 header does not match the body")
                             : _("The X-Hub-Signature-256 header is missing"));
      return;
    }

  /* The feed hands the body out as a JSON string, so it must be text. A JSON
   * value that is not a WhatsApp notification is still kept: the desktop is
   * the one that reads and judges it. */
  if (!g_utf8_validate_len ((const char *) data, len, NULL))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, _("The body is not UTF-8 text"));
      return;
    }
  updates = herald_webhook_parse (data, len, &error);
  if (updates == NULL &&
      g_error_matches (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_JSON))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  g_clear_error (&error);

  if (!herald_relay_db_append (self->db, data, len, signature, g_get_real_time (), &seq, &error))
    {
      g_warning ("%s", error->message);
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, _("The event could not be stored"));
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, seq);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (msg, SOUP_STATUS_OK, root);

  wake_polls (self, seq);
}

static char *
format_time (gint64 us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) exact = NULL;

  if (seconds == NULL)
    return g_strdup ("1970-01-01T00:00:00Z");

  exact = g_date_time_add (seconds, us % G_USEC_PER_SEC);
  return g_date_time_format_iso8601 (exact);
}

static GPtrArray *
list_events (HeraldRelayServer *self,
             SoupServerMessage *msg,
             gint64             after,
             guint              limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events;

  events = herald_relay_db_list_after (self->db, after, limit, MAX_FEED_BODY_BYTES, &error);
  if (events == NULL)
    {
      g_warning ("%s", error->message);
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, _("The events could not be read"));
    }

  return events;
}

static void
reply_events (SoupServerMessage *msg,
              GPtrArray         *events,
              gint64             after)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gint64 next = after;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      HeraldRelayEvent *event = g_ptr_array_index (events, i);
      g_autofree char *received_at = format_time (event->received_at_us);
      gsize len;
      const char *data = g_bytes_get_data (event->body, &len);
      g_autofree char *text = g_strndup (data, len);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, event->seq);
      json_builder_set_member_name (builder, "received_at");
      json_builder_add_string_value (builder, received_at);
      json_builder_set_member_name (builder, "signature");
      if (event->signature != NULL)
        json_builder_add_string_value (builder, event->signature);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);

      next = event->seq;
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next");
  json_builder_add_int_value (builder, next);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  reply_json (msg, SOUP_STATUS_OK, root);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
}

static void
pending_poll_free (PendingPoll *poll)
{
  g_clear_handle_id (&poll->timeout_id, g_source_remove);
  g_clear_signal_handler (&poll->finished_id, poll->msg);
  g_clear_object (&poll->msg);
  g_free (poll);
}

/* Answers a held feed request with what there is now and lets it go. */
static void
pending_poll_answer (PendingPoll *poll)
{
  HeraldRelayServer *self = poll->server;
  g_autoptr(GPtrArray) events = NULL;

  g_queue_remove (&self->polls, poll);
  events = list_events (self, poll->msg, poll->after, poll->limit);
  if (events != NULL)
    reply_events (poll->msg, events, poll->after);
  soup_server_message_unpause (poll->msg);
  pending_poll_free (poll);
}

static gboolean
on_poll_timeout_cb (gpointer user_data)
{
  PendingPoll *poll = user_data;

  poll->timeout_id = 0;
  pending_poll_answer (poll);
  return G_SOURCE_REMOVE;
}

/* The connection went away (or the server shut down) while the request was held. */
static void
on_poll_finished_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  PendingPoll *poll = user_data;

  g_queue_remove (&poll->server->polls, poll);
  pending_poll_free (poll);
}

/* Answers the held requests to which event @seq is news. */
static void
wake_polls (HeraldRelayServer *self,
            gint64             seq)
{
  GList *link = self->polls.head;

  while (link != NULL)
    {
      PendingPoll *poll = link->data;

      link = link->next;
      if (poll->after < seq)
        pending_poll_answer (poll);
    }
}

static gboolean
parse_parameter (GHashTable        *query,
                 const char        *name,
                 gint64             fallback,
                 gint64             min,
                 gint64            *out_value,
                 SoupServerMessage *msg)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  guint64 value;

  if (text == NULL)
    {
      *out_value = fallback;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (text, 10, (guint64) min, G_MAXINT64, &value, NULL))
    {
      g_autofree char *message =
        g_strdup_printf (_("The parameter “%s” must be a whole number of at least %" PRId64),
                         name, min);
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, message);
      return FALSE;
    }

  *out_value = (gint64) value;
  return TRUE;
}

static void
handle_events (HeraldRelayServer *self,
               SoupServerMessage *msg,
               GHashTable        *query)
{
  const char *authorization =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *token = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 after, limit, wait;
  PendingPoll *poll;

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    token = g_strstrip (g_strdup (authorization + 7));

  if (!secret_equal (token, self->feed_token))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"herald-relay\"");
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, _("A valid feed token is required"));
      return;
    }

  if (!parse_parameter (query, "after", 0, 0, &after, msg) ||
      !parse_parameter (query, "limit", HERALD_RELAY_DEFAULT_LIMIT, 1, &limit, msg) ||
      !parse_parameter (query, "wait", 0, 0, &wait, msg))
    return;

  limit = MIN (limit, HERALD_RELAY_MAX_LIMIT);
  wait = MIN (wait, HERALD_RELAY_MAX_WAIT_SECONDS);

  events = list_events (self, msg, after, (guint) limit);
  if (events == NULL)
    return;
  if (events->len > 0 || wait == 0)
    {
      reply_events (msg, events, after);
      return;
    }

  /* Up to date: hold the request until an event arrives or the wait ends. */
  poll = g_new0 (PendingPoll, 1);
  poll->server = self;
  poll->msg = g_object_ref (msg);
  poll->after = after;
  poll->limit = (guint) limit;
  poll->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) wait,
                                                 on_poll_timeout_cb, poll, NULL);
  poll->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_poll_finished_cb), poll);
  g_queue_push_tail (&self->polls, poll);
  soup_server_message_pause (msg);
}

static void
handle_health (HeraldRelayServer *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count, last_seq = -1;

  count = herald_relay_db_count (self->db, &error);
  if (count >= 0)
    last_seq = herald_relay_db_get_last_seq (self->db, &error);
  if (count < 0 || last_seq < 0)
    {
      g_warning ("%s", error->message);
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, _("The database cannot be read"));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "events");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "last_seq");
  json_builder_add_int_value (builder, last_seq);
  json_builder_set_member_name (builder, "waiting_polls");
  json_builder_add_int_value (builder, g_queue_get_length (&self->polls));
  json_builder_set_member_name (builder, "retention_days");
  json_builder_add_int_value (builder, self->retention_days);
  json_builder_set_member_name (builder, "signature_check");
  json_builder_add_boolean_value (builder, self->app_secret != NULL);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (msg, SOUP_STATUS_OK, root);
}

static void
reply_method_not_allowed (SoupServerMessage *msg,
                          const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Method not allowed"));
}

static void
on_request_cb (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  HeraldRelayServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD;

  if (g_str_equal (path, "/webhook"))
    {
      if (is_get)
        handle_handshake (self, msg, query);
      else if (method == SOUP_METHOD_POST)
        handle_notification (self, msg);
      else
        reply_method_not_allowed (msg, "GET, HEAD, POST");
    }
  else if (g_str_equal (path, "/v1/events"))
    {
      if (is_get)
        handle_events (self, msg, query);
      else
        reply_method_not_allowed (msg, "GET, HEAD");
    }
  else if (g_str_equal (path, "/healthz"))
    {
      if (is_get)
        handle_health (self, msg);
      else
        reply_method_not_allowed (msg, "GET, HEAD");
    }
  else
    reply_error (msg, SOUP_STATUS_NOT_FOUND, _("Not found"));
}

static gboolean
on_purge_timeout_cb (gpointer user_data)
{
  HeraldRelayServer *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  if (herald_relay_server_purge (self, now, &error) < 0)
    g_warning ("%s", error->message);

  return G_SOURCE_CONTINUE;
}

/**
 * herald_relay_server_new:
 * @db: the relay's database
 * @feed_token: the bearer token the desktop must present on /v1/events
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a server that is not listening yet, or %NULL
 *   with @error set when @feed_token is empty
 */
HeraldRelayServer *
herald_relay_server_new (HeraldRelayDb  *db,
                         const char     *feed_token,
                         GError        **error)
{
  g_return_val_if_fail (HERALD_IS_RELAY_DB (db), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (feed_token == NULL || *feed_token == '\0')
    {
      g_set_error_literal (error, HERALD_RELAY_SERVER_ERROR, HERALD_RELAY_SERVER_ERROR_CONFIG,
                           _("No feed token is set: give one with --feed-token, "
                             "HERALD_RELAY_FEED_TOKEN or feed-token in the [relay] group "
                             "of the key file"));
      return NULL;
    }

  return g_object_new (HERALD_TYPE_RELAY_SERVER,
                       "db", db,
                       "feed-token", feed_token,
                       NULL);
}

HeraldRelayDb *
herald_relay_server_get_db (HeraldRelayServer *self)
{
  g_return_val_if_fail (HERALD_IS_RELAY_SERVER (self), NULL);

  return self->db;
}

static void
set_secret (HeraldRelayServer *self,
            char             **field,
            const char        *value,
            int                prop)
{
  /* An empty value means "not configured". */
  if (value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * herald_relay_server_set_verify_token:
 * @verify_token: (nullable): the token Meta's handshake must carry; without
 *   one every handshake is refused
 */
void
herald_relay_server_set_verify_token (HeraldRelayServer *self,
                                      const char        *verify_token)
{
  g_return_if_fail (HERALD_IS_RELAY_SERVER (self));

  set_secret (self, &self->verify_token, verify_token, PROP_VERIFY_TOKEN);
}

/**
 * herald_relay_server_set_app_secret:
 * @app_secret: (nullable): with it, POSTs without a valid X-Hub-Signature-256
 *   are refused with 401; without it, every JSON POST is kept
 */
void
herald_relay_server_set_app_secret (HeraldRelayServer *self,
                                    const char        *app_secret)
{
  g_return_if_fail (HERALD_IS_RELAY_SERVER (self));

  set_secret (self, &self->app_secret, app_secret, PROP_APP_SECRET);
}

guint
herald_relay_server_get_retention_days (HeraldRelayServer *self)
{
  g_return_val_if_fail (HERALD_IS_RELAY_SERVER (self), 0);

  return self->retention_days;
}

void
herald_relay_server_set_retention_days (HeraldRelayServer *self,
                                        guint              retention_days)
{
  g_return_if_fail (HERALD_IS_RELAY_SERVER (self));
  g_return_if_fail (retention_days > 0);

  if (self->retention_days == retention_days)
    return;

  self->retention_days = retention_days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETENTION_DAYS]);
}

/**
 * herald_relay_server_purge:
 * @now: the current time
 *
 * Drops the events received more than the retention period before @now.
 *
 * Returns: how many were dropped, or -1 with @error set
 */
gint64
herald_relay_server_purge (HeraldRelayServer  *self,
                           GDateTime          *now,
                           GError            **error)
{
  gint64 now_us;
  gint64 deleted;

  g_return_val_if_fail (HERALD_IS_RELAY_SERVER (self), -1);
  g_return_val_if_fail (now != NULL, -1);

  now_us = g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now);
  deleted = herald_relay_db_purge_before (self->db,
                                          now_us - (gint64) self->retention_days * G_TIME_SPAN_DAY,
                                          error);
  if (deleted > 0)
    g_message ("purged %" PRId64 " events older than %u days", deleted, self->retention_days);

  return deleted;
}

/**
 * herald_relay_server_listen:
 * @address: an IPv4 or IPv6 address, such as "127.0.0.1"
 * @port: a TCP port, or 0 for any free one
 *
 * Purges old events, starts the hourly purge and accepts requests on the
 * thread-default main context. herald_relay_server_get_url() then says where.
 *
 * Returns: %TRUE on success
 */
gboolean
herald_relay_server_listen (HeraldRelayServer  *self,
                            const char         *address,
                            guint               port,
                            GError            **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GInetSocketAddress) local = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (HERALD_IS_RELAY_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (self->url == NULL, FALSE);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, HERALD_RELAY_SERVER_ERROR, HERALD_RELAY_SERVER_ERROR_CONFIG,
                   _("“%s” is not an IP address to listen on"), address);
      return FALSE;
    }

  now = g_date_time_new_now_utc ();
  if (herald_relay_server_purge (self, now, error) < 0)
    return FALSE;

  /* A burst of webhooks (Meta retrying after an outage) must not see
   * connections refused or reset. */
  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  local = herald_http_listen (self->soup, socket_address, LISTEN_BACKLOG, &local_error);
  if (local == NULL)
    {
      g_set_error (error, HERALD_RELAY_SERVER_ERROR, HERALD_RELAY_SERVER_ERROR_LISTEN,
                   _("Cannot listen on %s port %u: %s"), address, port, local_error->message);
      return FALSE;
    }

  host = g_inet_address_to_string (g_inet_socket_address_get_address (local));
  port = g_inet_socket_address_get_port (local);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    self->url = g_strdup_printf ("http://[%s]:%u", host, port);
  else
    self->url = g_strdup_printf ("http://%s:%u", host, port);

  self->purge_id = g_timeout_add_seconds (PURGE_INTERVAL_SECONDS, on_purge_timeout_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  return TRUE;
}

/**
 * herald_relay_server_get_url:
 *
 * Returns: (nullable): "http://ADDR:PORT" once listening, else %NULL
 */
const char *
herald_relay_server_get_url (HeraldRelayServer *self)
{
  g_return_val_if_fail (HERALD_IS_RELAY_SERVER (self), NULL);

  return self->url;
}

static void
herald_relay_server_dispose (GObject *object)
{
  HeraldRelayServer *self = (HeraldRelayServer *) object;
  PendingPoll *poll;

  g_clear_handle_id (&self->purge_id, g_source_remove);

  while ((poll = g_queue_pop_head (&self->polls)) != NULL)
    pending_poll_free (poll);

  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_signal_handlers_disconnect_by_data (self->soup, self);
      g_clear_object (&self->soup);
    }

  g_clear_object (&self->db);

  G_OBJECT_CLASS (herald_relay_server_parent_class)->dispose (object);
}

static void
herald_relay_server_finalize (GObject *object)
{
  HeraldRelayServer *self = (HeraldRelayServer *) object;

  g_free (self->feed_token);
  g_free (self->verify_token);
  g_free (self->app_secret);
  g_free (self->url);

  G_OBJECT_CLASS (herald_relay_server_parent_class)->finalize (object);
}

static void
herald_relay_server_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HeraldRelayServer *self = HERALD_RELAY_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_object (value, self->db);
      break;

    case PROP_RETENTION_DAYS:
      g_value_set_uint (value, self->retention_days);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_relay_server_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HeraldRelayServer *self = HERALD_RELAY_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      self->db = g_value_dup_object (value);
      break;

    case PROP_FEED_TOKEN:
      self->feed_token = g_value_dup_string (value);
      break;

    case PROP_VERIFY_TOKEN:
      herald_relay_server_set_verify_token (self, g_value_get_string (value));
      break;

    case PROP_APP_SECRET:
      herald_relay_server_set_app_secret (self, g_value_get_string (value));
      break;

    case PROP_RETENTION_DAYS:
      herald_relay_server_set_retention_days (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_relay_server_class_init (HeraldRelayServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = herald_relay_server_dispose;
  object_class->finalize = herald_relay_server_finalize;
  object_class->get_property = herald_relay_server_get_property;
  object_class->set_property = herald_relay_server_set_property;

  /** HeraldRelayServer:db: where events are kept. */
  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL,
                         HERALD_TYPE_RELAY_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /** HeraldRelayServer:feed-token: the bearer token for /v1/events; write-only. */
  properties[PROP_FEED_TOKEN] =
    g_param_spec_string ("feed-token", NULL, NULL,
                         NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /** HeraldRelayServer:verify-token: the handshake token; write-only. */
  properties[PROP_VERIFY_TOKEN] =
    g_param_spec_string ("verify-token", NULL, NULL,
                         NULL,
                         G_PARAM_WRITABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /** HeraldRelayServer:app-secret: the key of the POST signatures; write-only. */
  properties[PROP_APP_SECRET] =
    g_param_spec_string ("app-secret", NULL, NULL,
                         NULL,
                         G_PARAM_WRITABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /** HeraldRelayServer:retention-days: events older than this are purged. */
  properties[PROP_RETENTION_DAYS] =
    g_param_spec_uint ("retention-days", NULL, NULL,
                       1, 36500, HERALD_RELAY_DEFAULT_RETENTION_DAYS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /** HeraldRelayServer:url: "http://ADDR:PORT" once listening. */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_relay_server_init (HeraldRelayServer *self)
{
  self->retention_days = HERALD_RELAY_DEFAULT_RETENTION_DAYS;
  g_queue_init (&self->polls);

  self->soup = soup_server_new ("server-header", "herald-relay/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->soup, NULL, on_request_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_aborted_cb), self);
}
