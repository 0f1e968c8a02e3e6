/* herald-cloud-client.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "herald-cloud-client.h"
#include "herald-phone.h"

/* Connection reuse and resends: why every request, sends included, is
 * flagged SOUP_MESSAGE_IDEMPOTENT.
 *
 * In libsoup 3.2 (3.2.3, unchanged through 3.4 and master) the flag only
 * decides which connection a message may use: soup-connection-manager.c
 * opens a new connection for a message that is neither flagged IDEMPOTENT
 * nor has an idempotent method, and reuses an idle one otherwise. Whether a
 * message is sent again after its connection fails is decided elsewhere, by
 * request_is_restartable () in http1/soup-client-message-io-http1.c (and
 * soup_http2_message_data_can_be_restarted () for HTTP/2): the connection had
 * been used before, no response byte was read, the error is no timeout, TLS
 * error or cancellation, AND SOUP_METHOD_IS_IDEMPOTENT (method), i.e. GET,
 * HEAD, OPTIONS, PROPFIND, TRACE, PUT or DELETE. The flag is not consulted,
 * so a POST is never re-sent after a broken connection, however far it got.
 * HTTP/2 also restarts a stream the server refused (REFUSED_STREAM,
 * HTTP_1_1_REQUIRED) or that never got an id, which by RFC 9113 the server
 * did not process. The remaining requeues follow an answer: redirects (we
 * set SOUP_MESSAGE_NO_REDIRECT, which also keeps the Bearer header from
 * following one), 401 with the auth manager (disabled per message: the token
 * is our own header) and 421 (the server did not process the request).
 *
 * So a send can reuse kept-alive connections, and what is left to us is to
 * tell the caller when a send may have reached Meta: once libsoup emitted
 * "wrote-body" the whole request is out, and any failure before a complete
 * answer is HERALD_CLOUD_ERROR_CONNECTION_LOST_AFTER_SEND, never resent.
 * tests/test-client.c proves it with herald-sim dropping connections after
 * accepting, on reused connections: accepted = answered + in doubt, and the
 * sim counts no duplicate.
 *
 * A server that closes an idle kept-alive connection just as we reuse it
 * makes such a send look in doubt although it never arrived; closing our idle
 * connections well before a server would (idle-timeout) makes that rare. */
#define HERALD_CLOUD_IDLE_TIMEOUT  10
#define HERALD_CLOUD_USER_AGENT    "Herald/" PACKAGE_VERSION " (+https://github.com/herald)"
#define HERALD_CLOUD_MAX_PAGES     1000

/* HeraldMessageParams */

struct _HeraldMessageParams
{
  gatomicrefcount  ref_count;
  GHashTable      *values;
  char            *header_media;
  char            *payloads[HERALD_TEMPLATE_BUTTONS_MAX];
};

G_DEFINE_BOXED_TYPE (HeraldMessageParams, herald_message_params,
                     herald_message_params_ref, herald_message_params_unref)

HeraldMessageParams *
herald_message_params_new (void)
{
  HeraldMessageParams *params = g_new0 (HeraldMessageParams, 1);

  g_atomic_ref_count_init (&params->ref_count);
  params->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return params;
}

HeraldMessageParams *
herald_message_params_ref (HeraldMessageParams *params)
{
  g_return_val_if_fail (params != NULL, NULL);

  g_atomic_ref_count_inc (&params->ref_count);
  return params;
}

void
herald_message_params_unref (HeraldMessageParams *params)
{
  g_return_if_fail (params != NULL);

  if (!g_atomic_ref_count_dec (&params->ref_count))
    return;

  g_hash_table_unref (params->values);
  g_free (params->header_media);
  for (guint i = 0; i < G_N_ELEMENTS (params->payloads); i++)
    g_free (params->payloads[i]);
  g_free (params);
}

void
herald_message_params_set_value (HeraldMessageParams *params,
                                 const char          *name,
                                 const char          *text)
{
  g_return_if_fail (params != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (text != NULL);

  g_hash_table_replace (params->values, g_strdup (name), g_strdup (text));
}

void
herald_message_params_set_header_media (HeraldMessageParams *params,
                                        const char          *link_or_id)
{
  g_return_if_fail (params != NULL);

  g_free (params->header_media);
  params->header_media = g_strdup (link_or_id);
}

void
herald_message_params_set_quick_reply_payload (HeraldMessageParams *params,
                                               guint                button_index,
                                               const char          *payload)
{
  g_return_if_fail (params != NULL);
  g_return_if_fail (button_index < G_N_ELEMENTS (params->payloads));

  g_free (params->payloads[button_index]);
  params->payloads[button_index] = g_strdup (payload);
}

GHashTable *
herald_message_params_get_values (HeraldMessageParams *params)
{
  g_return_val_if_fail (params != NULL, NULL);

  return params->values;
}

/* HeraldSendResult, HeraldPhoneNumberInfo */

HeraldSendResult *
herald_send_result_copy (const HeraldSendResult *result)
{
  HeraldSendResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (HeraldSendResult, 1);
  copy->message_id = g_strdup (result->message_id);
  copy->wa_id = g_strdup (result->wa_id);
  copy->message_status = g_strdup (result->message_status);
  return copy;
}

void
herald_send_result_free (HeraldSendResult *result)
{
  if (result == NULL)
    return;

  g_free (result->message_id);
  g_free (result->wa_id);
  g_free (result->message_status);
  g_free (result);
}

G_DEFINE_BOXED_TYPE (HeraldSendResult, herald_send_result,
                     herald_send_result_copy, herald_send_result_free)

HeraldPhoneNumberInfo *
herald_phone_number_info_copy (const HeraldPhoneNumberInfo *info)
{
  HeraldPhoneNumberInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (HeraldPhoneNumberInfo, 1);
  copy->id = g_strdup (info->id);
  copy->display_phone_number = g_strdup (info->display_phone_number);
  copy->verified_name = g_strdup (info->verified_name);
  copy->quality_rating = g_strdup (info->quality_rating);
  copy->throughput_level = g_strdup (info->throughput_level);
  copy->messaging_limit_tier = g_strdup (info->messaging_limit_tier);
  copy->status = g_strdup (info->status);
  copy->code_verification_status = g_strdup (info->code_verification_status);
  copy->name_status = g_strdup (info->name_status);
  return copy;
}

void
herald_phone_number_info_free (HeraldPhoneNumberInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->display_phone_number);
  g_free (info->verified_name);
  g_free (info->quality_rating);
  g_free (info->throughput_level);
  g_free (info->messaging_limit_tier);
  g_free (info->status);
  g_free (info->code_verification_status);
  g_free (info->name_status);
  g_free (info);
}

G_DEFINE_BOXED_TYPE (HeraldPhoneNumberInfo, herald_phone_number_info,
                     herald_phone_number_info_copy, herald_phone_number_info_free)

/* HeraldCloudClient */

struct _HeraldCloudClient
{
  GObject      parent_instance;

  char        *api_base;
  char        *api_version;
  char        *access_token;
  char        *authorization;
  guint        timeout;
  guint        max_in_flight;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (HeraldCloudClient, herald_cloud_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_API_BASE,
  PROP_API_VERSION,
  PROP_ACCESS_TOKEN,
  PROP_TIMEOUT,
  PROP_MAX_IN_FLIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Set on a SoupMessage once its whole request has been written. */
static GQuark wrote_body_quark;

typedef void (*ReplyHandler) (GTask      *task,
                              JsonObject *reply);

/* The state of one call, the GTask's task data. */
typedef struct
{
  SoupMessage  *msg;
  ReplyHandler  handler;
  /* A send is not idempotent: a failure after it was written is in doubt. */
  gboolean      is_send;

  /* list_templates */
  char         *waba_id;
  char         *after;
  GPtrArray    *templates;
  guint         pages;

  /* create_template */
  HeraldTemplateStatus status;
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->msg);
  g_free (call->waba_id);
  g_free (call->after);
  g_clear_pointer (&call->templates, g_ptr_array_unref);
  g_free (call);
}

static void
herald_cloud_client_constructed (GObject *object)
{
  HeraldCloudClient *self = HERALD_CLOUD_CLIENT (object);
  g_autoptr(GUri) uri = NULL;

  G_OBJECT_CLASS (herald_cloud_client_parent_class)->constructed (object);

  /* A campaign keeps up to max-in-flight requests open to one host. */
  self->session = soup_session_new_with_options ("user-agent", HERALD_CLOUD_USER_AGENT,
                                                 "timeout", self->timeout,
                                                 "idle-timeout", HERALD_CLOUD_IDLE_TIMEOUT,
                                                 "max-conns", self->max_in_flight,
                                                 "max-conns-per-host", self->max_in_flight,
                                                 NULL);

  /* Loopback (herald-sim) never goes through a proxy: skip asking for one. */
  uri = g_uri_parse (self->api_base, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      const char *host = g_uri_get_host (uri);

      if (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") ||
          g_str_equal (host, "localhost"))
        soup_session_set_proxy_resolver (self->session, NULL);
    }
}

static void
herald_cloud_client_dispose (GObject *object)
{
  HeraldCloudClient *self = HERALD_CLOUD_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (herald_cloud_client_parent_class)->dispose (object);
}

static void
herald_cloud_client_finalize (GObject *object)
{
  HeraldCloudClient *self = HERALD_CLOUD_CLIENT (object);

  g_free (self->api_base);
  g_free (self->api_version);
  g_free (self->access_token);
  g_free (self->authorization);

  G_OBJECT_CLASS (herald_cloud_client_parent_class)->finalize (object);
}

static void
herald_cloud_client_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HeraldCloudClient *self = HERALD_CLOUD_CLIENT (object);

  switch (prop_id)
    {
    case PROP_API_BASE:
      g_value_set_string (value, self->api_base);
      break;
    case PROP_API_VERSION:
      g_value_set_string (value, self->api_version);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_IN_FLIGHT:
      g_value_set_uint (value, self->max_in_flight);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_cloud_client_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HeraldCloudClient *self = HERALD_CLOUD_CLIENT (object);
  const char *text;

  switch (prop_id)
    {
    case PROP_API_BASE:
      text = g_value_get_string (value);
      if (text == NULL || *text == '\0')
        text = HERALD_CLOUD_API_BASE;
      self->api_base = g_strdup (text);
      /* "https://host/" and "https://host" name the same base. */
      while (g_str_has_suffix (self->api_base, "/"))
        self->api_base[strlen (self->api_base) - 1] = '\0';
      break;
    case PROP_API_VERSION:
      text = g_value_get_string (value);
      self->api_version = g_strdup (text != NULL && *text != '\0' ? text : HERALD_CLOUD_API_VERSION);
      break;
    case PROP_ACCESS_TOKEN:
      self->access_token = g_value_dup_string (value);
      self->authorization = g_strdup_printf ("Bearer %s", self->access_token ? self->access_token : "");
      break;
    case PROP_TIMEOUT:
      self->timeout = g_value_get_uint (value);
      break;
    case PROP_MAX_IN_FLIGHT:
      self->max_in_flight = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_cloud_client_class_init (HeraldCloudClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = herald_cloud_client_constructed;
  object_class->dispose = herald_cloud_client_dispose;
  object_class->finalize = herald_cloud_client_finalize;
  object_class->get_property = herald_cloud_client_get_property;
  object_class->set_property = herald_cloud_client_set_property;

  /**
   * HeraldCloudClient:api-base:
   *
   * Scheme, host and port of the Graph API; herald-sim's URL in tests and
   * Sandbox mode.
   */
  properties[PROP_API_BASE] =
    g_param_spec_string ("api-base", NULL, NULL,
                         HERALD_CLOUD_API_BASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * HeraldCloudClient:api-version:
   *
   * The Graph API version path segment, HERALD_CLOUD_API_VERSION by default.
   */
  properties[PROP_API_VERSION] =
    g_param_spec_string ("api-version", NULL, NULL,
                         HERALD_CLOUD_API_VERSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * HeraldCloudClient:access-token:
   *
   * The system-user token. Write-only: it leaves the object only in the
   * Authorization header.
   */
  properties[PROP_ACCESS_TOKEN] =
    g_param_spec_string ("access-token", NULL, NULL,
                         NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * HeraldCloudClient:timeout:
   *
   * Seconds without progress (connecting, writing or waiting for the answer)
   * after which a request fails; 0 waits forever.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, 30,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * HeraldCloudClient:max-in-flight:
   *
   * Connections to the API host, so requests in flight at once; more wait in
   * libsoup's queue.
   */
  properties[PROP_MAX_IN_FLIGHT] =
    g_param_spec_uint ("max-in-flight", NULL, NULL,
                       1, 1024, 64,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  wrote_body_quark = g_quark_from_static_string ("herald-cloud-wrote-body");
}

static void
herald_cloud_client_init (HeraldCloudClient *self)
{
}

HeraldCloudClient *
herald_cloud_client_new (const char *api_base,
                         const char *access_token)
{
  g_return_val_if_fail (access_token != NULL, NULL);

  return g_object_new (HERALD_TYPE_CLOUD_CLIENT,
                       "api-base", api_base,
                       "access-token", access_token,
                       NULL);
}

const char *
herald_cloud_client_get_api_base (HeraldCloudClient *self)
{
  g_return_val_if_fail (HERALD_IS_CLOUD_CLIENT (self), NULL);

  return self->api_base;
}

const char *
herald_cloud_client_get_api_version (HeraldCloudClient *self)
{
  g_return_val_if_fail (HERALD_IS_CLOUD_CLIENT (self), NULL);

  return self->api_version;
}

guint
herald_cloud_client_get_timeout (HeraldCloudClient *self)
{
  g_return_val_if_fail (HERALD_IS_CLOUD_CLIENT (self), 0);

  return self->timeout;
}

guint
herald_cloud_client_get_max_in_flight (HeraldCloudClient *self)
{
  g_return_val_if_fail (HERALD_IS_CLOUD_CLIENT (self), 0);

  return self->max_in_flight;
}

/* Requests and replies */

/* Error text built from what a server said never shows the token, whatever
 * the server echoed. */
static GError *
new_error (HeraldCloudClient *self,
           int                code,
           const char        *message)
{
  g_autoptr(GString) text = g_string_new (message);

  if (self->access_token != NULL && *self->access_token != '\0')
    g_string_replace (text, self->access_token, "[token]", 0);
  return g_error_new_literal (HERALD_CLOUD_ERROR, code, text->str);
}

static void
return_error (GTask      *task,
              int         code,
              const char *message)
{
  g_task_return_error (task, new_error (g_task_get_source_object (task), code, message));
}

static void
return_bad_response (GTask      *task,
                     const char *what)
{
  g_autofree char *message = g_strdup_printf (_("The Cloud API sent an unexpected answer: %s"), what);

  return_error (task, HERALD_CLOUD_ERROR_BAD_RESPONSE, message);
}

/* "https://graph.facebook.com/v23.0/" + @path (already escaped) + "?" + @query */
static SoupMessage *
new_message (HeraldCloudClient  *self,
             const char         *method,
             const char         *path,
             const char         *query,
             GError            **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  SoupMessage *msg;

  url = g_strdup_printf ("%s/%s/%s%s%s", self->api_base, self->api_version, path,
                         query ? "?" : "", query ? query : "");
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      g_set_error (error, HERALD_CLOUD_ERROR, HERALD_CLOUD_ERROR_INVALID_REQUEST,
                   _("The Cloud API address “%s” is not a valid http(s) URL"), self->api_base);
      return NULL;
    }

  msg = soup_message_new_from_uri (method, uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", self->authorization);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  /* See the comment at the top: reuse connections; never follow a redirect
   * (it would carry the token); no HTTP auth requeue. */
  soup_message_set_flags (msg, SOUP_MESSAGE_IDEMPOTENT | SOUP_MESSAGE_NO_REDIRECT);
  soup_message_disable_feature (msg, SOUP_TYPE_AUTH_MANAGER);
  return msg;
}

static GBytes *
json_to_bytes (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

static void
on_wrote_body_cb (SoupMessage *msg,
                  gpointer     user_data)
{
  g_object_set_qdata (G_OBJECT (msg), wrote_body_quark, GINT_TO_POINTER (TRUE));
}

/* The member @name of @object (which may be NULL) when it holds a @type,
 * and for a value, a @value_type; else NULL. Every reader of a reply goes
 * through it, so no shape Meta sends can make us read the wrong type. */
static JsonNode *
get_member (JsonObject   *object,
            const char   *name,
            JsonNodeType  type,
            GType         value_type)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || JSON_NODE_TYPE (node) != type ||
      (type == JSON_NODE_VALUE && json_node_get_value_type (node) != value_type))
    return NULL;
  return node;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = get_member (object, name, JSON_NODE_VALUE, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : NULL;
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = get_member (object, name, JSON_NODE_OBJECT, G_TYPE_INVALID);

  return node != NULL ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array_member (JsonObject *object,
                  const char *name)
{
  JsonNode *node = get_member (object, name, JSON_NODE_ARRAY, G_TYPE_INVALID);

  return node != NULL ? json_node_get_array (node) : NULL;
}

/* Meta's error object (whatsapp-cloud-api.md §2), or NULL. */
static JsonObject *
get_meta_error (JsonNode *root)
{
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = get_object_member (json_node_get_object (root), "error");
  if (get_member (object, "code", JSON_NODE_VALUE, G_TYPE_INT64) == NULL)
    return NULL;
  return object;
}

/* The first element of @array when it is an object. */
static JsonObject *
get_first_object (JsonArray *array)
{
  JsonNode *node;

  if (array == NULL || json_array_get_length (array) == 0)
    return NULL;
  node = json_array_get_element (array, 0);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
return_meta_error (GTask      *task,
                   JsonObject *meta_error)
{
  int code = (int) json_object_get_int_member (meta_error, "code");
  const char *message = get_string_member (meta_error, "message");
  const char *details = get_string_member (get_object_member (meta_error, "error_data"), "details");
  const char *user_message = get_string_member (meta_error, "error_user_msg");
  const char *fbtrace_id = get_string_member (meta_error, "fbtrace_id");
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_printf (text, _("The Cloud API refused the request (error %d)"), code);
  if (message != NULL)
    g_string_append_printf (text, ": %s", message);
  if (details != NULL && g_strcmp0 (details, message) != 0)
    g_string_append_printf (text, " — %s", details);
  if (user_message != NULL && g_strcmp0 (user_message, details) != 0)
    g_string_append_printf (text, " — %s", user_message);
  if (fbtrace_id != NULL)
    g_string_append_printf (text, " (fbtrace_id %s)", fbtrace_id);

  return_error (task, code, text->str);
}

static void
return_transport_error (GTask        *task,
                        SoupMessage  *msg,
                        const GError *error)
{
  Call *call = g_task_get_task_data (task);
  gboolean written = g_object_get_qdata (G_OBJECT (msg), wrote_body_quark) != NULL;
  gboolean timed_out = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_autofree char *message = NULL;

  if (call->is_send && written)
    {
      message = g_strdup_printf (timed_out
                                 ? _("No answer from the Cloud API in time after the message was sent; it may have been accepted: %s")
                                 : _("The connection to the Cloud API broke after the message was sent; it may have been accepted: %s"),
                                 error->message);
      return_error (task, HERALD_CLOUD_ERROR_CONNECTION_LOST_AFTER_SEND, message);
    }
  else if (timed_out)
    {
      message = g_strdup_printf (_("No answer from the Cloud API in time: %s"), error->message);
      return_error (task, HERALD_CLOUD_ERROR_TIMEOUT, message);
    }
  else
    {
      message = g_strdup_printf (_("Could not reach the Cloud API: %s"), error->message);
      return_error (task, HERALD_CLOUD_ERROR_CONNECTION_FAILED, message);
    }
}

static void
on_reply_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = g_object_ref (call->msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = NULL;
  gboolean parsed = FALSE;
  JsonObject *meta_error;
  JsonNode *root = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        return_transport_error (task, msg, error);
      return;
    }

  if (g_bytes_get_size (body) > 0)
    {
      parser = json_parser_new ();
      parsed = json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                           g_bytes_get_size (body), NULL);
      if (parsed)
        root = json_parser_get_root (parser);
    }

  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *message = NULL;

      meta_error = get_meta_error (root);
      if (meta_error != NULL)
        {
          return_meta_error (task, meta_error);
          return;
        }

      message = g_strdup_printf (_("The Cloud API answered HTTP %u %s"),
                                 status, soup_message_get_reason_phrase (msg));
      if (status >= 500)
        return_error (task, HERALD_CLOUD_ERROR_HTTP_5XX, message);
      else if (status == 429)
        return_error (task, HERALD_CLOUD_ERROR_HTTP_429, message);
      else
        return_bad_response (task, message);
      return;
    }

  if (!parsed || root == NULL)
    {
      return_bad_response (task, _("not JSON"));
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      return_bad_response (task, _("not a JSON object"));
      return;
    }

  call->handler (task, json_node_get_object (root));
}

static char *
escape (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

/* The one way every call goes out: @method on @object_id (escaped here),
 * then "/" @edge when given, with @query (already escaped) and @body when
 * given. The reply goes to the call's handler; a bad address fails @task. */
static void
start_request (GTask       *task,
               const char  *method,
               const char  *object_id,
               const char  *edge,
               const char  *query,
               const char  *content_type,
               GBytes      *body)
{
  HeraldCloudClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *escaped_id = escape (object_id);
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  GError *error = NULL;

  path = edge != NULL ? g_strconcat (escaped_id, "/", edge, NULL) : g_steal_pointer (&escaped_id);
  msg = new_message (self, method, path, query, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  g_set_object (&call->msg, msg);
  g_signal_connect (msg, "wrote-body", G_CALLBACK (on_wrote_body_cb), NULL);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task),
                                    on_reply_cb, g_object_ref (task));
}

static GTask *
new_call_task (HeraldCloudClient   *self,
               gpointer             source_tag,
               ReplyHandler         handler,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->handler = handler;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  return task;
}

/* Send a template message */

static void
handle_send_reply (GTask      *task,
                   JsonObject *reply)
{
  JsonObject *message = get_first_object (get_array_member (reply, "messages"));
  JsonObject *contact = get_first_object (get_array_member (reply, "contacts"));
  g_autoptr(HeraldSendResult) result = g_new0 (HeraldSendResult, 1);
  const char *id = get_string_member (message, "id");

  if (id == NULL || *id == '\0')
    {
      return_bad_response (task, _("no message id"));
      return;
    }

  result->message_id = g_strdup (id);
  result->wa_id = g_strdup (get_string_member (contact, "wa_id"));
  result->message_status = g_strdup (get_string_member (message, "message_status"));
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) herald_send_result_free);
}

static JsonNode *
build_send_request (HeraldTemplate       *template,
                    HeraldMessageParams  *params,
                    const char           *recipient,
                    const char           *biz_opaque_callback_data,
                    GError              **error)
{
  g_autoptr(GHashTable) no_values = NULL;
  g_autoptr(JsonNode) components = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) local_error = NULL;
  GHashTable *values;
  JsonArray *array;

  if (params != NULL)
    values = params->values;
  else
    values = no_values = g_hash_table_new (g_str_hash, g_str_equal);

  components = herald_template_build_send_components (template, values,
                                                      params ? params->header_media : NULL,
                                                      &local_error);
  if (components == NULL)
    {
      g_set_error (error, HERALD_CLOUD_ERROR, HERALD_CLOUD_ERROR_INVALID_REQUEST,
                   _("Template “%s”: %s"), herald_template_get_name (template), local_error->message);
      return NULL;
    }

  array = json_node_get_array (components);
  for (guint i = 0; params != NULL && i < G_N_ELEMENTS (params->payloads); i++)
    {
      g_autoptr(JsonBuilder) button = NULL;
      g_autofree char *index = NULL;

      if (params->payloads[i] == NULL)
        continue;

      index = g_strdup_printf ("%u", i);
      button = json_builder_new ();
      json_builder_begin_object (button);
      json_builder_set_member_name (button, "type");
      json_builder_add_string_value (button, "button");
      json_builder_set_member_name (button, "sub_type");
      json_builder_add_string_value (button, "quick_reply");
      json_builder_set_member_name (button, "index");
      json_builder_add_string_value (button, index);
      json_builder_set_member_name (button, "parameters");
      json_builder_begin_array (button);
      json_builder_begin_object (button);
      json_builder_set_member_name (button, "type");
      json_builder_add_string_value (button, "payload");
      json_builder_set_member_name (button, "payload");
      json_builder_add_string_value (button, params->payloads[i]);
      json_builder_end_object (button);
      json_builder_end_array (button);
      json_builder_end_object (button);
      json_array_add_element (array, json_builder_get_root (button));
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messaging_product");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "recipient_type");
  json_builder_add_string_value (builder, "individual");
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, recipient);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "template");
  if (biz_opaque_callback_data != NULL)
    {
      json_builder_set_member_name (builder, "biz_opaque_callback_data");
      json_builder_add_string_value (builder, biz_opaque_callback_data);
    }
  json_builder_set_member_name (builder, "template");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, herald_template_get_name (template));
  json_builder_set_member_name (builder, "language");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, herald_template_get_language (template));
  json_builder_end_object (builder);
  if (json_array_get_length (array) > 0)
    {
      json_builder_set_member_name (builder, "components");
      json_builder_add_value (builder, g_steal_pointer (&components));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
herald_cloud_client_send_template_async (HeraldCloudClient   *self,
                                         const char          *phone_number_id,
                                         const char          *recipient,
                                         HeraldTemplate      *template,
                                         HeraldMessageParams *params,
                                         const char          *biz_opaque_callback_data,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  Call *call;

  g_return_if_fail (HERALD_IS_CLOUD_CLIENT (self));
  g_return_if_fail (phone_number_id != NULL);
  g_return_if_fail (recipient != NULL);
  g_return_if_fail (HERALD_IS_TEMPLATE (template));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, herald_cloud_client_send_template_async, handle_send_reply,
                        cancellable, callback, user_data);
  call = g_task_get_task_data (task);
  call->is_send = TRUE;

  /* Without "+", Meta would prepend the business number's country code. */
  if (!herald_phone_is_e164 (recipient))
    {
      g_autofree char *message = g_strdup_printf (_("The recipient “%s” is not an E.164 number (+ and country code)"), recipient);
      return_error (task, HERALD_CLOUD_ERROR_INVALID_REQUEST, message);
      return;
    }

  if (biz_opaque_callback_data != NULL &&
      (!g_utf8_validate (biz_opaque_callback_data, -1, NULL) ||
       g_utf8_strlen (biz_opaque_callback_data, -1) > HERALD_CLOUD_BIZ_OPAQUE_MAX))
    {
      g_autofree char *message = g_strdup_printf (_("The callback data must be text of at most %d characters"),
                                                  HERALD_CLOUD_BIZ_OPAQUE_MAX);
      return_error (task, HERALD_CLOUD_ERROR_INVALID_REQUEST, message);
      return;
    }

  request = build_send_request (template, params, recipient, biz_opaque_callback_data, &error);
  if (request == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  body = json_to_bytes (request);
  start_request (task, SOUP_METHOD_POST, phone_number_id, "messages", NULL, "application/json", body);
}

HeraldSendResult *
herald_cloud_client_send_template_finish (HeraldCloudClient  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_cloud_client_send_template_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Phone number details */

static void
handle_phone_number_reply (GTask      *task,
                           JsonObject *reply)
{
  g_autoptr(HeraldPhoneNumberInfo) info = g_new0 (HeraldPhoneNumberInfo, 1);
  const char *tier;

  info->id = g_strdup (get_string_member (reply, "id"));
  info->display_phone_number = g_strdup (get_string_member (reply, "display_phone_number"));
  if (info->id == NULL || info->display_phone_number == NULL)
    {
      return_bad_response (task, _("no phone number id or display number"));
      return;
    }

  info->verified_name = g_strdup (get_string_member (reply, "verified_name"));
  info->quality_rating = g_strdup (get_string_member (reply, "quality_rating"));
  info->throughput_level = g_strdup (get_string_member (get_object_member (reply, "throughput"), "level"));
  /* messaging_limit_tier is the deprecated name of the same value. */
  tier = get_string_member (reply, "whatsapp_business_manager_messaging_limit");
  if (tier == NULL)
    tier = get_string_member (reply, "messaging_limit_tier");
  info->messaging_limit_tier = g_strdup (tier);
  info->status = g_strdup (get_string_member (reply, "status"));
  info->code_verification_status = g_strdup (get_string_member (reply, "code_verification_status"));
  info->name_status = g_strdup (get_string_member (reply, "name_status"));

  g_task_return_pointer (task, g_steal_pointer (&info), (GDestroyNotify) herald_phone_number_info_free);
}

void
herald_cloud_client_get_phone_number_async (HeraldCloudClient   *self,
                                            const char          *phone_number_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HERALD_IS_CLOUD_CLIENT (self));
  g_return_if_fail (phone_number_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, herald_cloud_client_get_phone_number_async, handle_phone_number_reply,
                        cancellable, callback, user_data);

  start_request (task, SOUP_METHOD_GET, phone_number_id, NULL,
                 "fields=id,display_phone_number,verified_name,quality_rating,status,"
                 "throughput,whatsapp_business_manager_messaging_limit,"
                 "code_verification_status,name_status",
                 NULL, NULL);
}

HeraldPhoneNumberInfo *
herald_cloud_client_get_phone_number_finish (HeraldCloudClient  *self,
                                             GAsyncResult       *result,
                                             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_cloud_client_get_phone_number_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* List templates */

static void request_templates_page (GTask *task);

static void
handle_templates_page (GTask      *task,
                       JsonObject *reply)
{
  Call *call = g_task_get_task_data (task);
  JsonArray *data = get_array_member (reply, "data");
  JsonObject *paging = get_object_member (reply, "paging");
  const char *after;

  if (data == NULL)
    {
      return_bad_response (task, _("no template list"));
      return;
    }

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonNode *node = json_array_get_element (data, i);
      g_autoptr(HeraldTemplate) template = NULL;
      g_autoptr(GError) error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          return_bad_response (task, _("a template that is not an object"));
          return;
        }

      /* Kinds of template Herald cannot send (carousels, flows…) are left
       * out rather than failing the whole list. */
      template = herald_template_new_from_meta (json_node_get_object (node), &error);
      if (template == NULL)
        {
          g_debug ("Skipping a template from Meta: %s", error->message);
          continue;
        }
      g_ptr_array_add (call->templates, g_steal_pointer (&template));
    }

  /* Another page exists while Meta gives "next"; we ask for it by the
   * "after" cursor on our own base URL, so the token never goes to a host
   * named by the answer. */
  after = get_string_member (get_object_member (paging, "cursors"), "after");
  if (get_string_member (paging, "next") == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&call->templates), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if (after == NULL || g_strcmp0 (after, call->after) == 0 || call->pages >= HERALD_CLOUD_MAX_PAGES)
    {
      return_bad_response (task, _("a template page without a new cursor"));
      return;
    }

  g_free (call->after);
  call->after = g_strdup (after);
  request_templates_page (task);
}

static void
request_templates_page (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autofree char *query = NULL;
  g_autofree char *escaped_after = NULL;

  if (call->after != NULL)
    escaped_after = escape (call->after);
  query = g_strdup_printf ("fields=id,name,language,status,category,components,parameter_format"
                           "&limit=100%s%s",
                           escaped_after ? "&after=" : "", escaped_after ? escaped_after : "");
  call->pages++;
  start_request (task, SOUP_METHOD_GET, call->waba_id, "message_templates", query, NULL, NULL);
}

void
herald_cloud_client_list_templates_async (HeraldCloudClient   *self,
                                          const char          *waba_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (HERALD_IS_CLOUD_CLIENT (self));
  g_return_if_fail (waba_id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, herald_cloud_client_list_templates_async, handle_templates_page,
                        cancellable, callback, user_data);
  call = g_task_get_task_data (task);
  call->waba_id = g_strdup (waba_id);
  call->templates = g_ptr_array_new_with_free_func (g_object_unref);
  request_templates_page (task);
}

GPtrArray *
herald_cloud_client_list_templates_finish (HeraldCloudClient  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_cloud_client_list_templates_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Create a template */

static void
handle_create_reply (GTask      *task,
                     JsonObject *reply)
{
  Call *call = g_task_get_task_data (task);
  const char *id = get_string_member (reply, "id");
  const char *status = get_string_member (reply, "status");

  if (id == NULL || *id == '\0')
    {
      return_bad_response (task, _("no template id"));
      return;
    }

  if (status == NULL || !herald_template_status_from_string (status, &call->status))
    {
      return_bad_response (task, _("an unknown template status"));
      return;
    }

  g_task_return_pointer (task, g_strdup (id), g_free);
}

void
herald_cloud_client_create_template_async (HeraldCloudClient   *self,
                                           const char          *waba_id,
                                           HeraldTemplate      *template,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HERALD_IS_CLOUD_CLIENT (self));
  g_return_if_fail (waba_id != NULL);
  g_return_if_fail (HERALD_IS_TEMPLATE (template));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, herald_cloud_client_create_template_async, handle_create_reply,
                        cancellable, callback, user_data);

  request = herald_template_to_meta_create_request (template, &error);
  if (request == NULL)
    {
      return_error (task, HERALD_CLOUD_ERROR_INVALID_REQUEST, error->message);
      return;
    }

  body = json_to_bytes (request);
  start_request (task, SOUP_METHOD_POST, waba_id, "message_templates", NULL, "application/json", body);
}

char *
herald_cloud_client_create_template_finish (HeraldCloudClient     *self,
                                            GAsyncResult          *result,
                                            HeraldTemplateStatus  *status,
                                            GError               **error)
{
  char *id;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_cloud_client_create_template_async, NULL);

  id = g_task_propagate_pointer (G_TASK (result), error);
  if (id != NULL && status != NULL)
    *status = ((Call *) g_task_get_task_data (G_TASK (result)))->status;
  return id;
}

/* Delete a template */

static void
handle_delete_reply (GTask      *task,
                     JsonObject *reply)
{
  JsonNode *success = get_member (reply, "success", JSON_NODE_VALUE, G_TYPE_BOOLEAN);

  if (success == NULL || !json_node_get_boolean (success))
    {
      return_bad_response (task, _("the deletion was not confirmed"));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
herald_cloud_client_delete_template_async (HeraldCloudClient   *self,
                                           const char          *waba_id,
                                           const char          *name,
                                           const char          *hsm_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *query = NULL;
  g_autofree char *escaped_name = NULL;
  g_autofree char *escaped_hsm_id = NULL;

  g_return_if_fail (HERALD_IS_CLOUD_CLIENT (self));
  g_return_if_fail (waba_id != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, herald_cloud_client_delete_template_async, handle_delete_reply,
                        cancellable, callback, user_data);

  escaped_name = escape (name);
  if (hsm_id != NULL)
    escaped_hsm_id = escape (hsm_id);
  query = g_strdup_printf ("name=%s%s%s", escaped_name,
                           escaped_hsm_id ? "&hsm_id=" : "", escaped_hsm_id ? escaped_hsm_id : "");
  start_request (task, SOUP_METHOD_DELETE, waba_id, "message_templates", query, NULL, NULL);
}

gboolean
herald_cloud_client_delete_template_finish (HeraldCloudClient  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_cloud_client_delete_template_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Upload media */

static void
handle_upload_reply (GTask      *task,
                     JsonObject *reply)
{
  const char *id = get_string_member (reply, "id");

  if (id == NULL || *id == '\0')
    {
      return_bad_response (task, _("no media id"));
      return;
    }

  g_task_return_pointer (task, g_strdup (id), g_free);
}

void
herald_cloud_client_upload_media_async (HeraldCloudClient   *self,
                                        const char          *phone_number_id,
                                        GBytes              *data,
                                        const char          *mime_type,
                                        const char          *filename,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (HERALD_IS_CLOUD_CLIENT (self));
  g_return_if_fail (phone_number_id != NULL);
  g_return_if_fail (data != NULL);
  g_return_if_fail (mime_type != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_call_task (self, herald_cloud_client_upload_media_async, handle_upload_reply,
                        cancellable, callback, user_data);

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_string (multipart, "messaging_product", "whatsapp");
  soup_multipart_append_form_string (multipart, "type", mime_type);
  soup_multipart_append_form_file (multipart, "file", filename ? filename : "upload", mime_type, data);

  /* The multipart's Content-Type carries its boundary. */
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, headers, &body);
  start_request (task, SOUP_METHOD_POST, phone_number_id, "media", NULL,
                 soup_message_headers_get_one (headers, "Content-Type"), body);
}

char *
herald_cloud_client_upload_media_finish (HeraldCloudClient  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_cloud_client_upload_media_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
