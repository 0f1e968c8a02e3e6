/* herald-sim-server.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "herald-http-listen.h"
#include "herald-sim-server.h"
#include "herald-template.h"
#include "herald-webhook.h"

/* herald-sim behaves like Meta's Cloud API (whatsapp-cloud-api.md): the same
 * paths, JSON shapes, error objects and limits, plus /_sim/ endpoints through
 * which tests inject faults and read what the "Meta side" saw. Everything runs
 * on the main context that was thread-default when the server was made.
 *
 * POST /_sim/control takes one JSON object; every member is optional:
 *   token, expire_token, app_secret, webhook_url, waba_id, mps, pair_window_ms,
 *   messaging_limit, auto_approve, approve_delay_ms, fail_rate, fail_code,
 *   http_5xx_rate, latency_ms, drop_rate, drop_after_accept_rate  (as the flags)
 *   phone: {display_phone_number, verified_name, quality_rating, status}
 *   clear_recipients: true            forget the three recipient lists below
 *   recipient_errors: {"+49…": code}  answered at once (0 removes a number)
 *   fail_after_sent: {"+49…": code}   accepted, "sent", then "failed" with code
 *   undeliverable: ["+49…"]           accepted, then "failed" with 131026
 *   webhooks: {sent_delay_ms, delivered_delay_ms, read_delay_ms, read,
 *              duplicate_rate, shuffle, batch_size, retries, retry_delay_ms}
 *   add_template: {name, language, category, parameter_format, components,
 *                  status}            Meta's create format; APPROVED by default
 *   template: {id | name [+ language], status, reason}   approve, reject,
 *                                     pause…; sends the template webhook
 *   inbound: {from, text, name, button_payload, context_id, phone_number_id}
 * GET /_sim/stats returns the counters of herald_sim_server_get_stats ();
 * POST /_sim/reset clears them, the rate windows and the recipients seen. */

#define USEC_PER_MSEC 1000
#define USEC_PER_DAY  (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define PER_SECOND_MAX 3600
#define LIST_LIMIT_DEFAULT 25
#define DEFAULT_WABA_ID "100000000000001"
#define DEFAULT_PHONE_NUMBER_ID "100000000000002"

G_DEFINE_QUARK (herald-sim-error-quark, herald_sim_error)

typedef struct
{
  char           *id;
  char           *name;
  char           *language;
  char           *category;
  char           *status;
  char           *parameter_format;
  char           *waba_id;
  JsonNode       *components;
  HeraldTemplate *parsed;
} SimTemplate;

/* One status webhook waiting for its time. */
typedef struct
{
  gint64  due;
  guint64 order;
  char   *status;
  char   *wamid;
  char   *recipient_id;
  char   *biz_opaque_callback_data;
  char   *phone_number_id;
  char   *category;
  gint64  error_code;
} SimStatus;

/* One webhook POST, kept until the receiver answers 2xx or the retries run out. */
typedef struct
{
  HeraldSimServer *self;
  GBytes          *body;
  guint            attempt;
} SimDelivery;

/* An answer held back by --latency-ms, or a connection to drop after it. */
typedef struct
{
  HeraldSimServer   *self;
  SoupServerMessage *msg;
  gboolean           drop;
} SimReply;

struct _HeraldSimServer
{
  GObject       parent_instance;

  GMainContext *context;
  SoupServer   *server;
  SoupSession  *session;
  GCancellable *cancellable;
  JsonParser   *parser;
  GRand        *rand;
  char         *url;

  /* Configuration (flags, or POST /_sim/control) */
  char     *token;
  gboolean  token_expired;
  char     *app_secret;
  char     *webhook_url;
  char     *waba_id;
  guint     mps;
  guint     pair_window_ms;
  guint     messaging_limit;
  gboolean  auto_approve;
  guint     approve_delay_ms;
  double    fail_rate;
  gint64    fail_code;
  double    http_5xx_rate;
  guint     latency_ms;
  double    drop_rate;
  double    drop_after_accept_rate;
  guint     seed;

  char     *display_phone_number;
  char     *verified_name;
  char     *quality_rating;
  char     *number_status;

  /* Webhook behaviour */
  guint     sent_delay_ms;
  guint     delivered_delay_ms;
  guint     read_delay_ms;
  gboolean  send_read;
  double    duplicate_rate;
  gboolean  shuffle;
  guint     batch_size;
  guint     webhook_retries;
  guint     retry_delay_ms;

  /* Recipients (digits) with special treatment */
  GHashTable *recipient_errors;   /* → code answered at once */
  GHashTable *fail_after_sent;    /* → code of a failed status after sent */
  GHashTable *undeliverable;      /* accepted, then failed with 131026 */

  GPtrArray *templates;
  guint64    next_id;
  guint64    next_media;
  guint64    next_wamid;
  char      *last_phone_number_id;

  /* Limits */
  GHashTable *number_windows;     /* phone number id → GQueue of monotonic times */
  GHashTable *pair_last;          /* digits → last accepted time */
  GHashTable *reached;            /* digits → last accepted time, within 24 h */
  GQueue      reached_order;      /* SimReach, oldest first */

  /* Stats */
  GHashTable *callback_data_seen;
  GHashTable *recipients_seen;
  guint64     requests;
  guint64     accepted;
  guint64     duplicates;
  guint64     rejected;
  guint64     throttled;
  guint64     pair_limited;
  guint64     messaging_limited;
  guint64     injected_failures;
  guint64     http_5xx;
  guint64     dropped;
  guint64     dropped_after_accept;
  guint64     webhooks_sent;
  guint64     webhook_statuses;
  guint64     webhook_failures;
  guint64     webhook_retries_done;
  guint64     webhook_duplicates;
  guint       webhooks_in_flight;   /* POSTs made or waiting to retry, not yet settled */
  guint64     templates_created;
  guint64     media_uploaded;
  guint       max_mps_seen;
  gint64      first_accept;
  gint64      last_accept;
  GArray     *per_second;

  /* Outgoing webhooks */
  GSequence *pending;
  guint64    next_order;
  GSource   *flush_source;
  GPtrArray *timers;              /* GSource: latency, retries, approvals */
  GHashTable *retrying;           /* SimDelivery waiting for its retry timer */
};

typedef struct
{
  char   *digits;
  gint64  time;
} SimReach;

G_DEFINE_FINAL_TYPE (HeraldSimServer, herald_sim_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TOKEN,
  PROP_APP_SECRET,
  PROP_WEBHOOK_URL,
  PROP_MPS,
  PROP_PAIR_WINDOW_MS,
  PROP_MESSAGING_LIMIT,
  PROP_AUTO_APPROVE,
  PROP_APPROVE_DELAY_MS,
  PROP_FAIL_RATE,
  PROP_FAIL_CODE,
  PROP_HTTP_5XX_RATE,
  PROP_LATENCY_MS,
  PROP_DROP_RATE,
  PROP_DROP_AFTER_ACCEPT_RATE,
  PROP_SEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sim_template_free (SimTemplate *template)
{
  g_free (template->id);
  g_free (template->name);
  g_free (template->language);
  g_free (template->category);
  g_free (template->status);
  g_free (template->parameter_format);
  g_free (template->waba_id);
  g_clear_pointer (&template->components, json_node_unref);
  g_clear_object (&template->parsed);
  g_free (template);
}

static void
sim_status_free (SimStatus *status)
{
  g_free (status->status);
  g_free (status->wamid);
  g_free (status->recipient_id);
  g_free (status->biz_opaque_callback_data);
  g_free (status->phone_number_id);
  g_free (status->category);
  g_free (status);
}

static SimStatus *
sim_status_copy (const SimStatus *status)
{
  SimStatus *copy = g_memdup2 (status, sizeof *status);

  copy->status = g_strdup (status->status);
  copy->wamid = g_strdup (status->wamid);
  copy->recipient_id = g_strdup (status->recipient_id);
  copy->biz_opaque_callback_data = g_strdup (status->biz_opaque_callback_data);
  copy->phone_number_id = g_strdup (status->phone_number_id);
  copy->category = g_strdup (status->category);
  return copy;
}

static void
free_window (gpointer window)
{
  g_queue_free_full (window, g_free);
}

static void
sim_reach_free (SimReach *reach)
{
  g_free (reach->digits);
  g_free (reach);
}

/* Every delivery ends here: answered, given up, or cancelled. */
static void
sim_delivery_free (SimDelivery *delivery)
{
  delivery->self->webhooks_in_flight--;
  g_bytes_unref (delivery->body);
  g_free (delivery);
}

static void
sim_reply_free (SimReply *reply)
{
  g_object_unref (reply->msg);
  g_free (reply);
}

/* Timers run on the server's context, not the global default one, so that a
 * test can run the sim on a thread-default context of its own. */
static void
add_timer (HeraldSimServer *self,
           guint            delay_ms,
           GSourceFunc      func,
           gpointer         data,
           GDestroyNotify   destroy)
{
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, data, destroy);
  g_source_attach (source, self->context);
  g_ptr_array_add (self->timers, source);
}

static void
forget_timer (HeraldSimServer *self)
{
  g_ptr_array_remove_fast (self->timers, g_main_current_source ());
}

/* Meta's error titles (whatsapp-cloud-api.md §2). */
static const char *
error_title (gint64 code)
{
  switch (code)
    {
    case 1: return "An unknown error occurred";
    case 2: return "Service temporarily unavailable";
    case 4: return "Application request limit reached";
    case 100: return "Invalid parameter";
    case 190: return "Invalid OAuth access token";
    case 368: return "Temporarily blocked for policies violations";
    case 80007: return "Rate limit issues";
    case 130429: return "Rate limit hit";
    case 130472: return "User's number is part of an experiment";
    case 131000: return "Something went wrong";
    case 131005: return "Access denied";
    case 131008: return "Required parameter is missing";
    case 131009: return "Parameter value is not valid";
    case 131016: return "Service unavailable";
    case 131021: return "Recipient cannot be sender";
    case 131026: return "Message Undeliverable";
    case 131031: return "Business Account locked";
    case 131042: return "Business eligibility payment issue";
    case 131045: return "Incorrect certificate";
    case 131047: return "Re-engagement message";
    case 131048: return "Spam rate limit hit";
    case 131049: return "This message was not delivered to maintain healthy ecosystem engagement.";
    case 131050: return "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business";
    case 131051: return "Unsupported message type";
    case 131053: return "Media upload error";
    case 131056: return "(Business Account, Consumer Account) pair rate limit hit";
    case 131057: return "Account in maintenance mode";
    case 132000: return "Number of parameters does not match the expected number of params";
    case 132001: return "Template name does not exist in the translation";
    case 132005: return "Translated text too long";
    case 132007: return "Template Format Character Policy Violated";
    case 132012: return "Parameter format does not match format in the created template";
    case 132015: return "Template is Paused";
    case 132016: return "Template is Disabled";
    case 133010: return "Phone number Not Registered";
    case 135000: return "Generic user error";
    default: return "An unknown error occurred";
    }
}

/* Meta documents no per-code HTTP status for /messages; these are the ones its
 * OpenAPI file shows for the codes it lists, and 400 for the rest. */
static guint
error_http_status (gint64 code)
{
  if (code >= 500 && code <= 599)
    return (guint) code;

  switch (code)
    {
    case 0:
    case 190:
      return SOUP_STATUS_UNAUTHORIZED;
    case 3:
    case 10:
    case 131005:
      return SOUP_STATUS_FORBIDDEN;
    case 4:
    case 17:
    case 80007:
      return 429; /* Too Many Requests */
    case 1:
    case 131000:
      return SOUP_STATUS_INTERNAL_SERVER_ERROR;
    case 2:
    case 131016:
    case 131057:
      return SOUP_STATUS_SERVICE_UNAVAILABLE;
    default:
      return (code >= 200 && code <= 299) ? SOUP_STATUS_FORBIDDEN : SOUP_STATUS_BAD_REQUEST;
    }
}

static char *
random_token (HeraldSimServer *self,
              guint            length)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  char *text = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    text[i] = alphabet[g_rand_int_range (self->rand, 0, sizeof alphabet - 1)];
  text[length] = '\0';
  return text;
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  gsize length = 0;
  char *text = json_to_string (node, FALSE);

  length = strlen (text);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static JsonNode *
build_error (HeraldSimServer *self,
             gint64           code,
             const char      *details)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *trace = random_token (self, 27);
  g_autofree char *message = NULL;
  gint64 meta_code = code;

  /* An HTTP 5xx from injection: Meta's body for it carries code 1 or 2. */
  if (code >= 500 && code <= 599)
    meta_code = code == 503 ? 2 : 1;

  if (meta_code == 190)
    message = g_strdup (self->token_expired
                        ? "Error validating access token: Session has expired."
                        : "Invalid OAuth access token - Cannot parse access token");
  else
    message = g_strdup_printf ("(#%" PRId64 ") %s", meta_code, error_title (meta_code));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "OAuthException");
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, meta_code);
  if (meta_code == 190 && self->token_expired)
    {
      json_builder_set_member_name (builder, "error_subcode");
      json_builder_add_int_value (builder, 463);
    }
  if (meta_code == 1 || meta_code == 2 || meta_code == 4 || meta_code == 80007)
    {
      json_builder_set_member_name (builder, "is_transient");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (meta_code != 190)
    {
      json_builder_set_member_name (builder, "error_data");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "messaging_product");
      json_builder_add_string_value (builder, "whatsapp");
      json_builder_set_member_name (builder, "details");
      json_builder_add_string_value (builder, details ? details : error_title (meta_code));
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "fbtrace_id");
  json_builder_add_string_value (builder, trace);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
respond_error (HeraldSimServer   *self,
               SoupServerMessage *msg,
               gint64             code,
               const char        *details)
{
  g_autoptr(JsonNode) node = build_error (self, code, details);

  respond_json (msg, error_http_status (code), node);
}

/* The request body as a JSON object, valid until the next request is
 * parsed, or NULL once error 100 has been answered. */
static JsonObject *
read_request_object (HeraldSimServer   *self,
                     SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  if (!json_parser_load_from_data (self->parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (self->parser)))
    {
      respond_error (self, msg, 100, "The request body is not a JSON object");
      return NULL;
    }

  return json_node_get_object (json_parser_get_root (self->parser));
}

/* Digits of an E.164 number: "+", spaces, hyphens and parentheses are
 * accepted as Meta does; NULL when anything else is there or the length is
 * not 8–15 digits with no leading zero. */
static char *
phone_digits (const char *input)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = input; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == '+' && digits->len == 0 && p == input)
        continue;
      else if (*p == ' ' || *p == '-' || *p == '(' || *p == ')')
        continue;
      else
        return NULL;
    }

  if (digits->len < 8 || digits->len > 15 || digits->str[0] == '0')
    return NULL;

  return g_string_free (g_steal_pointer (&digits), FALSE);
}

static gboolean
random_hit (HeraldSimServer *self,
            double           rate)
{
  return rate > 0 && g_rand_double (self->rand) < rate;
}

/* ---------------------------------------------------------------------------
 * Templates
 * ------------------------------------------------------------------------- */

static SimTemplate *
find_template (HeraldSimServer *self,
               const char      *name,
               const char      *language)
{
  for (guint i = 0; i < self->templates->len; i++)
    {
      SimTemplate *template = g_ptr_array_index (self->templates, i);

      if (g_strcmp0 (template->name, name) == 0 &&
          (language == NULL || g_strcmp0 (template->language, language) == 0))
        return template;
    }

  return NULL;
}

static SimTemplate *
find_template_by_id (HeraldSimServer *self,
                     const char      *id)
{
  for (guint i = 0; i < self->templates->len; i++)
    {
      SimTemplate *template = g_ptr_array_index (self->templates, i);

      if (g_strcmp0 (template->id, id) == 0)
        return template;
    }

  return NULL;
}

static char *
next_numeric_id (HeraldSimServer *self)
{
  return g_strdup_printf ("%" PRIu64, G_GUINT64_CONSTANT (1000000000000000) + ++self->next_id);
}

static JsonNode *
template_to_json (SimTemplate *template,
                  const char  *fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) wanted = fields != NULL ? g_strsplit (fields, ",", -1) : NULL;
  struct { const char *name; const char *value; } strings[] = {
    { "name", template->name },
    { "language", template->language },
    { "status", template->status },
    { "category", template->category },
    { "parameter_format", template->parameter_format },
  };

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      if (wanted != NULL && !g_strv_contains ((const char * const *) wanted, strings[i].name))
        continue;
      json_builder_set_member_name (builder, strings[i].name);
      json_builder_add_string_value (builder, strings[i].value);
    }
  if (wanted == NULL || g_strv_contains ((const char * const *) wanted, "components"))
    {
      json_builder_set_member_name (builder, "components");
      json_builder_add_value (builder, json_node_copy (template->components));
    }
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, template->id);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void queue_webhook_body (HeraldSimServer *self,
                                char            *body);

/* Meta's message_template_status_update webhook (whatsapp-cloud-api.md §4.5). */
static void
send_template_webhook (HeraldSimServer *self,
                       SimTemplate     *template,
                       const char      *event,
                       const char      *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (self->webhook_url == NULL)
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "whatsapp_business_account");
  json_builder_set_member_name (builder, "entry");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, template->waba_id);
  json_builder_set_member_name (builder, "time");
  json_builder_add_int_value (builder, g_get_real_time () / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, "message_template_status_update");
  json_builder_set_member_name (builder, "value");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  json_builder_set_member_name (builder, "message_template_id");
  json_builder_add_int_value (builder, g_ascii_strtoll (template->id, NULL, 10));
  json_builder_set_member_name (builder, "message_template_name");
  json_builder_add_string_value (builder, template->name);
  json_builder_set_member_name (builder, "message_template_language");
  json_builder_add_string_value (builder, template->language);
  json_builder_set_member_name (builder, "reason");
  if (reason != NULL)
    json_builder_add_string_value (builder, reason);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "message_template_category");
  json_builder_add_string_value (builder, template->category);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  queue_webhook_body (self, json_to_string (root, FALSE));
}

static void
set_template_status (HeraldSimServer *self,
                     SimTemplate     *template,
                     const char      *status,
                     const char      *reason)
{
  if (g_strcmp0 (template->status, status) == 0)
    return;

  g_free (template->status);
  template->status = g_strdup (status);

  if (reason == NULL)
    reason = g_str_equal (status, "REJECTED") ? "INVALID_FORMAT" : "NONE";
  send_template_webhook (self, template, status, reason);
}

typedef struct
{
  HeraldSimServer *self;
  char            *template_id;
} SimApproval;

static void
sim_approval_free (SimApproval *approval)
{
  g_free (approval->template_id);
  g_free (approval);
}

static gboolean
on_approve_timeout (gpointer data)
{
  SimApproval *approval = data;
  SimTemplate *template = find_template_by_id (approval->self, approval->template_id);

  if (template != NULL && g_str_equal (template->status, "PENDING"))
    set_template_status (approval->self, template, "APPROVED", NULL);

  forget_timer (approval->self);
  return G_SOURCE_REMOVE;
}

/* Adds a template given in Meta's create format ({name, language, category,
 * components, parameter_format}). Its variables are read by HeraldTemplate,
 * the same code that builds Herald's own requests. */
static SimTemplate *
add_template_json (HeraldSimServer  *self,
                   JsonObject       *request,
                   const char       *status,
                   const char       *waba_id,
                   GError          **error)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(HeraldTemplate) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  SimTemplate *template;
  const char *name = json_object_get_string_member_with_default (request, "name", NULL);
  const char *language = NULL;
  const char *category = json_object_get_string_member_with_default (request, "category", "UTILITY");
  const char *format = json_object_get_string_member_with_default (request, "parameter_format", NULL);
  JsonNode *language_node = json_object_get_member (request, "language");
  JsonNode *components = json_object_get_member (request, "components");
  g_autofree char *id = NULL;
  g_autofree char *category_upper = g_ascii_strup (category, -1);

  if (language_node != NULL && JSON_NODE_HOLDS_VALUE (language_node))
    language = json_node_get_string (language_node);

  if (name == NULL || language == NULL || components == NULL || !JSON_NODE_HOLDS_ARRAY (components))
    {
      g_set_error (error, HERALD_SIM_ERROR, HERALD_SIM_ERROR_INVALID_TEMPLATE,
                   _("A template needs “name”, “language” and a “components” array"));
      return NULL;
    }

  if (!g_str_equal (category_upper, "MARKETING") && !g_str_equal (category_upper, "UTILITY") &&
      !g_str_equal (category_upper, "AUTHENTICATION"))
    {
      g_set_error (error, HERALD_SIM_ERROR, HERALD_SIM_ERROR_INVALID_TEMPLATE,
                   _("Unknown template category “%s”"), category);
      return NULL;
    }

  if (find_template (self, name, language) != NULL)
    {
      g_set_error (error, HERALD_SIM_ERROR, HERALD_SIM_ERROR_INVALID_TEMPLATE,
                   _("Content in this language already exists: %s (%s)"), name, language);
      return NULL;
    }

  if (format == NULL)
    format = "positional";

  id = next_numeric_id (self);
  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (data, "name", name);
  json_object_set_string_member (data, "language", language);
  json_object_set_string_member (data, "status", status);
  json_object_set_string_member (data, "category", category_upper);
  json_object_set_string_member (data, "parameter_format", format);
  json_object_set_member (data, "components", json_node_copy (components));

  parsed = herald_template_new_from_meta (data, &local_error);
  if (parsed == NULL || !herald_template_validate (parsed, &local_error))
    {
      g_set_error_literal (error, HERALD_SIM_ERROR, HERALD_SIM_ERROR_INVALID_TEMPLATE,
                           local_error->message);
      return NULL;
    }

  template = g_new0 (SimTemplate, 1);
  template->id = g_steal_pointer (&id);
  template->name = g_strdup (name);
  template->language = g_strdup (language);
  template->category = g_steal_pointer (&category_upper);
  template->status = g_strdup (status);
  template->parameter_format = g_ascii_strup (format, -1);
  template->waba_id = g_strdup (waba_id);
  template->components = json_node_copy (components);
  template->parsed = g_steal_pointer (&parsed);
  g_ptr_array_add (self->templates, template);

  return template;
}

/* ---------------------------------------------------------------------------
 * Webhooks
 * ------------------------------------------------------------------------- */

static void post_delivery (SimDelivery *delivery);

static gboolean
on_retry_timeout (gpointer data)
{
  SimDelivery *delivery = data;

  g_hash_table_steal (delivery->self->retrying, delivery);
  forget_timer (delivery->self);
  post_delivery (delivery);
  return G_SOURCE_REMOVE;
}

static void
on_webhook_posted (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SimDelivery *delivery = user_data;
  HeraldSimServer *self = delivery->self;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg;

  answer = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sim_delivery_free (delivery);
      return;
    }

  msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  if (answer != NULL && SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      self->webhooks_sent++;
      sim_delivery_free (delivery);
      return;
    }

  /* Meta retries an unreachable or failing receiver; so do we, bounded. */
  if (delivery->attempt < self->webhook_retries)
    {
      guint delay = self->retry_delay_ms << MIN (delivery->attempt, 10);

      delivery->attempt++;
      self->webhook_retries_done++;
      g_hash_table_add (self->retrying, delivery);
      add_timer (self, delay, on_retry_timeout, delivery, NULL);
      return;
    }

  self->webhook_failures++;
  sim_delivery_free (delivery);
}

static void
post_delivery (SimDelivery *delivery)
{
  HeraldSimServer *self = delivery->self;
  g_autoptr(SoupMessage) msg = NULL;

  if (self->webhook_url == NULL ||
      (msg = soup_message_new (SOUP_METHOD_POST, self->webhook_url)) == NULL)
    {
      self->webhook_failures++;
      sim_delivery_free (delivery);
      return;
    }

  if (self->app_secret != NULL)
    {
      gsize length = 0;
      const guint8 *data = g_bytes_get_data (delivery->body, &length);
      g_autofree char *signature = herald_webhook_compute_signature (self->app_secret, data, length);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "X-Hub-Signature-256", signature);
    }

  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "User-Agent", "facebookexternalua");
  soup_message_set_request_body_from_bytes (msg, "application/json", delivery->body);
  /* Keep connections alive: a webhook re-sent by the HTTP layer is only a
   * duplicate, and Meta sends duplicates anyway. */
  soup_message_set_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    self->cancellable, on_webhook_posted, delivery);
}

/* Takes @body. */
static void
queue_webhook_body (HeraldSimServer *self,
                    char            *body)
{
  SimDelivery *delivery = g_new0 (SimDelivery, 1);

  delivery->self = self;
  self->webhooks_in_flight++;
  delivery->body = g_bytes_new_take (body, strlen (body));
  post_delivery (delivery);
}

static void
build_metadata (HeraldSimServer *self,
                JsonBuilder     *builder,
                const char      *phone_number_id)
{
  g_autofree char *digits = phone_digits (self->display_phone_number);

  json_builder_set_member_name (builder, "messaging_product");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "display_phone_number");
  json_builder_add_string_value (builder, digits ? digits : self->display_phone_number);
  json_builder_set_member_name (builder, "phone_number_id");
  json_builder_add_string_value (builder, phone_number_id);
  json_builder_end_object (builder);
}

static void
begin_notification (HeraldSimServer *self,
                    JsonBuilder     *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "whatsapp_business_account");
  json_builder_set_member_name (builder, "entry");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->waba_id);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
}

static char *
end_notification (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
build_status (JsonBuilder     *builder,
              const SimStatus *status)
{
  g_autofree char *timestamp = g_strdup_printf ("%" PRId64, g_get_real_time () / G_USEC_PER_SEC);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, status->wamid);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status->status);
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_set_member_name (builder, "recipient_id");
  json_builder_add_string_value (builder, status->recipient_id);
  if (status->biz_opaque_callback_data != NULL)
    {
      json_builder_set_member_name (builder, "biz_opaque_callback_data");
      json_builder_add_string_value (builder, status->biz_opaque_callback_data);
    }

  if (g_str_equal (status->status, "sent"))
    {
      g_autofree char *lower = g_ascii_strdown (status->category, -1);

      json_builder_set_member_name (builder, "pricing");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "billable");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "pricing_model");
      json_builder_add_string_value (builder, "PMP");
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "regular");
      json_builder_set_member_name (builder, "category");
      json_builder_add_string_value (builder, lower);
      json_builder_end_object (builder);
    }

  if (g_str_equal (status->status, "failed"))
    {
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, status->error_code);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, error_title (status->error_code));
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, error_title (status->error_code));
      json_builder_set_member_name (builder, "error_data");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "details");
      json_builder_add_string_value (builder, error_title (status->error_code));
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "href");
      json_builder_add_string_value (builder, "/documentation/business-messaging/whatsapp/support/error-codes");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

/* One POST for @statuses[start, end), all of one phone number. */
static void
post_statuses (HeraldSimServer *self,
               GPtrArray       *statuses,
               guint            start,
               guint            end)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  SimStatus *first = g_ptr_array_index (statuses, start);

  begin_notification (self, builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_begin_object (builder);
  build_metadata (self, builder, first->phone_number_id);
  json_builder_set_member_name (builder, "statuses");
  json_builder_begin_array (builder);
  for (guint i = start; i < end; i++)
    build_status (builder, g_ptr_array_index (statuses, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, "messages");
  json_builder_end_object (builder);

  self->webhook_statuses += end - start;
  queue_webhook_body (self, end_notification (builder));
}

static void schedule_flush (HeraldSimServer *self);

static gboolean
on_flush (gpointer data)
{
  HeraldSimServer *self = data;
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_status_free);
  gint64 now = g_get_monotonic_time ();
  guint start = 0;

  g_clear_pointer (&self->flush_source, g_source_unref);

  while (g_sequence_get_length (self->pending) > 0)
    {
      GSequenceIter *iter = g_sequence_get_begin_iter (self->pending);
      SimStatus *status = g_sequence_get (iter);

      if (status->due > now)
        break;

      g_ptr_array_add (due, status);
      g_sequence_remove (iter);

      if (random_hit (self, self->duplicate_rate))
        {
          self->webhook_duplicates++;
          g_ptr_array_add (due, sim_status_copy (status));
        }
    }

  /* Meta does not promise order; shuffling shows a client that relies on it. */
  if (self->shuffle)
    for (guint i = due->len; i > 1; i--)
      {
        guint j = g_rand_int_range (self->rand, 0, i);
        gpointer tmp = due->pdata[i - 1];

        due->pdata[i - 1] = due->pdata[j];
        due->pdata[j] = tmp;
      }

  for (guint i = 1; i <= due->len; i++)
    {
      SimStatus *first = g_ptr_array_index (due, start);

      if (i == due->len || i - start >= MAX (self->batch_size, 1) ||
          g_strcmp0 (((SimStatus *) g_ptr_array_index (due, i))->phone_number_id,
                     first->phone_number_id) != 0)
        {
          post_statuses (self, due, start, i);
          start = i;
        }
    }

  schedule_flush (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (HeraldSimServer *self)
{
  SimStatus *first;
  gint64 wait;

  if (self->flush_source != NULL || g_sequence_get_length (self->pending) == 0)
    return;

  first = g_sequence_get (g_sequence_get_begin_iter (self->pending));
  wait = MAX (first->due - g_get_monotonic_time (), 0);
  /* A few milliseconds of slack lets statuses that fall due together share a POST. */
  self->flush_source = g_timeout_source_new ((guint) (wait / USEC_PER_MSEC) + 2);
  g_source_set_callback (self->flush_source, on_flush, self, NULL);
  g_source_attach (self->flush_source, self->context);
}

static int
compare_status (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const SimStatus *sa = a;
  const SimStatus *sb = b;

  if (sa->due != sb->due)
    return sa->due < sb->due ? -1 : 1;
  return sa->order < sb->order ? -1 : (sa->order > sb->order ? 1 : 0);
}

static void
queue_status (HeraldSimServer *self,
              const char      *status_name,
              guint            delay_ms,
              const char      *wamid,
              const char      *recipient_id,
              const char      *biz_opaque_callback_data,
              const char      *phone_number_id,
              const char      *category,
              gint64           error_code)
{
  SimStatus *status = g_new0 (SimStatus, 1);

  status->due = g_get_monotonic_time () + (gint64) delay_ms * USEC_PER_MSEC;
  status->order = self->next_order++;
  status->status = g_strdup (status_name);
  status->wamid = g_strdup (wamid);
  status->recipient_id = g_strdup (recipient_id);
  status->biz_opaque_callback_data = g_strdup (biz_opaque_callback_data);
  status->phone_number_id = g_strdup (phone_number_id);
  status->category = g_strdup (category);
  status->error_code = error_code;
  g_sequence_insert_sorted (self->pending, status, compare_status, NULL);
  schedule_flush (self);
}

static void
send_inbound_webhook (HeraldSimServer *self,
                      JsonObject      *inbound)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *from = json_object_get_string_member_with_default (inbound, "from", "491701234567");
  const char *name = json_object_get_string_member_with_default (inbound, "name", "Sim User");
  const char *text = json_object_get_string_member_with_default (inbound, "text", NULL);
  const char *payload = json_object_get_string_member_with_default (inbound, "button_payload", NULL);
  const char *context_id = json_object_get_string_member_with_default (inbound, "context_id", NULL);
  const char *phone_number_id = json_object_get_string_member_with_default (inbound, "phone_number_id",
                                                                            self->last_phone_number_id);
  g_autofree char *digits = phone_digits (from);
  g_autofree char *random = random_token (self, 24);
  g_autofree char *wamid = g_strdup_printf ("wamid.HBg%s", random);
  g_autofree char *timestamp = g_strdup_printf ("%" PRId64, g_get_real_time () / G_USEC_PER_SEC);

  if (digits == NULL)
    digits = g_strdup (from);

  begin_notification (self, builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_begin_object (builder);
  build_metadata (self, builder, phone_number_id);
  json_builder_set_member_name (builder, "contacts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "profile");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "wa_id");
  json_builder_add_string_value (builder, digits);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, digits);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, wamid);
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  if (context_id != NULL)
    {
      g_autofree char *business = phone_digits (self->display_phone_number);

      json_builder_set_member_name (builder, "context");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, business);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, context_id);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "type");
  if (payload != NULL)
    {
      json_builder_add_string_value (builder, "button");
      json_builder_set_member_name (builder, "button");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "payload");
      json_builder_add_string_value (builder, payload);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text ? text : payload);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_string_value (builder, "text");
      json_builder_set_member_name (builder, "text");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, text ? text : "");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, "messages");
  json_builder_end_object (builder);

  queue_webhook_body (self, end_notification (builder));
}

/* ---------------------------------------------------------------------------
 * Sending: validation of template components against the template
 * ------------------------------------------------------------------------- */

static const char *
header_type_name (HeraldHeaderType type)
{
  switch (type)
    {
    case HERALD_HEADER_TEXT: return "text";
    case HERALD_HEADER_IMAGE: return "image";
    case HERALD_HEADER_VIDEO: return "video";
    case HERALD_HEADER_DOCUMENT: return "document";
    case HERALD_HEADER_NONE:
    default:
      return NULL;
    }
}

static JsonArray *
component_parameters (JsonObject *component)
{
  JsonNode *node = json_object_get_member (component, "parameters");

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
check_header (SimTemplate  *template,
              JsonObject   *component,
              gint64       *code,
              char        **details)
{
  HeraldHeaderType type = herald_template_get_header_type (template->parsed);
  const char *expected = header_type_name (type);
  gboolean has_variable = type != HERALD_HEADER_TEXT ||
                          herald_template_get_header_variable_name (template->parsed) != NULL;
  JsonArray *parameters = component ? component_parameters (component) : NULL;
  guint given = parameters ? json_array_get_length (parameters) : 0;
  JsonObject *parameter;
  const char *kind;

  if (expected == NULL || !has_variable)
    {
      if (given == 0)
        return TRUE;
      *code = 132000;
      *details = g_strdup_printf ("header: number of localizable_params (%u) does not match the expected number of params (0)", given);
      return FALSE;
    }

  if (given != 1)
    {
      *code = 132000;
      *details = g_strdup_printf ("header: number of localizable_params (%u) does not match the expected number of params (1)", given);
      return FALSE;
    }

  parameter = json_array_get_object_element (parameters, 0);
  kind = parameter ? json_object_get_string_member_with_default (parameter, "type", NULL) : NULL;
  if (g_strcmp0 (kind, expected) != 0)
    {
      *code = 132012;
      g_autofree char *upper = g_ascii_strup (expected, -1);

      *details = g_strdup_printf ("header: Format mismatch, expected %s, received %s",
                                  upper, kind ? kind : "nothing");
      return FALSE;
    }

  if (type != HERALD_HEADER_TEXT)
    {
      JsonObject *media = json_object_get_object_member (parameter, kind);

      if (media == NULL || (!json_object_has_member (media, "id") && !json_object_has_member (media, "link")))
        {
          *code = 131008;
          *details = g_strdup_printf ("header: parameter %s requires an id or a link", kind);
          return FALSE;
        }
    }
  else if (json_object_get_string_member_with_default (parameter, "text", NULL) == NULL)
    {
      *code = 131008;
      *details = g_strdup ("header: text parameter requires text");
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_body (SimTemplate  *template,
            JsonObject   *component,
            gint64       *code,
            char        **details)
{
  g_auto(GStrv) names = herald_template_get_body_variable_names (template->parsed);
  gboolean named = herald_template_uses_named_variables (template->parsed);
  guint expected = names ? g_strv_length (names) : 0;
  JsonArray *parameters = component ? component_parameters (component) : NULL;
  guint given = parameters ? json_array_get_length (parameters) : 0;

  if (given != expected)
    {
      *code = 132000;
      *details = g_strdup_printf ("body: number of localizable_params (%u) does not match the expected number of params (%u)",
                                  given, expected);
      return FALSE;
    }

  for (guint i = 0; i < given; i++)
    {
      JsonObject *parameter = json_array_get_object_element (parameters, i);
      const char *kind = parameter ? json_object_get_string_member_with_default (parameter, "type", NULL) : NULL;

      if (kind == NULL)
        {
          *code = 131008;
          *details = g_strdup_printf ("body: parameter %u has no type", i + 1);
          return FALSE;
        }
      if (!g_str_equal (kind, "text") && !g_str_equal (kind, "currency") && !g_str_equal (kind, "date_time"))
        {
          *code = 132012;
          *details = g_strdup_printf ("body: parameter %u has type %s, expected TEXT", i + 1, kind);
          return FALSE;
        }
      if (g_str_equal (kind, "text") && json_object_get_string_member_with_default (parameter, "text", NULL) == NULL)
        {
          *code = 131008;
          *details = g_strdup_printf ("body: parameter %u requires text", i + 1);
          return FALSE;
        }
      if (named)
        {
          const char *name = json_object_get_string_member_with_default (parameter, "parameter_name", NULL);

          if (name == NULL || !g_strv_contains ((const char * const *) names, name))
            {
              *code = 132000;
              *details = g_strdup_printf ("body: parameter_name “%s” is not in the template", name ? name : "");
              return FALSE;
            }
        }
    }

  return TRUE;
}

/* URL buttons with a variable need a "url" component with one text
 * parameter; COPY_CODE buttons one coupon_code. Quick replies may carry a
 * payload. */
static gboolean
check_buttons (SimTemplate  *template,
               JsonArray    *components,
               gint64       *code,
               char        **details)
{
  guint n_buttons = herald_template_get_n_buttons (template->parsed);
  gboolean *covered = g_newa (gboolean, n_buttons + 1);

  memset (covered, 0, sizeof (gboolean) * (n_buttons + 1));

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component = json_array_get_object_element (components, i);
      const char *sub_type;
      JsonNode *index_node;
      gint64 index = -1;
      const HeraldTemplateButton *button;
      JsonArray *parameters;

      if (component == NULL || g_strcmp0 (json_object_get_string_member_with_default (component, "type", NULL), "button") != 0)
        continue;

      sub_type = json_object_get_string_member_with_default (component, "sub_type", NULL);
      index_node = json_object_get_member (component, "index");
      if (index_node != NULL && JSON_NODE_HOLDS_VALUE (index_node))
        {
          if (json_node_get_value_type (index_node) == G_TYPE_STRING)
            index = g_ascii_strtoll (json_node_get_string (index_node), NULL, 10);
          else
            index = json_node_get_int (index_node);
        }

      if (sub_type == NULL || index_node == NULL)
        {
          *code = 131008;
          *details = g_strdup ("button: sub_type and index are required");
          return FALSE;
        }
      if (index < 0 || index >= n_buttons)
        {
          *code = 131009;
          *details = g_strdup_printf ("button: index %" PRId64 " is out of range", index);
          return FALSE;
        }

      button = herald_template_get_button (template->parsed, (guint) index);
      parameters = component_parameters (component);
      covered[index] = TRUE;

      if ((button->type == HERALD_TEMPLATE_BUTTON_URL && !g_str_equal (sub_type, "url")) ||
          (button->type == HERALD_TEMPLATE_BUTTON_QUICK_REPLY && !g_str_equal (sub_type, "quick_reply")) ||
          (button->type == HERALD_TEMPLATE_BUTTON_COPY_CODE && !g_str_equal (sub_type, "copy_code")) ||
          button->type == HERALD_TEMPLATE_BUTTON_PHONE_NUMBER)
        {
          *code = 132012;
          *details = g_strdup_printf ("button at index %" PRId64 ": sub_type %s does not match the template's %s",
                                      index, sub_type, herald_template_button_type_to_string (button->type));
          return FALSE;
        }
      if (button->type == HERALD_TEMPLATE_BUTTON_URL &&
          (button->url == NULL || strstr (button->url, "{{") == NULL))
        {
          *code = 132000;
          *details = g_strdup_printf ("button at index %" PRId64 ": the URL has no variable", index);
          return FALSE;
        }
      if (parameters == NULL || json_array_get_length (parameters) != 1)
        {
          *code = 132000;
          *details = g_strdup_printf ("button at index %" PRId64 ": expected 1 parameter", index);
          return FALSE;
        }
    }

  for (guint i = 0; i < n_buttons; i++)
    {
      const HeraldTemplateButton *button = herald_template_get_button (template->parsed, i);
      gboolean needs = (button->type == HERALD_TEMPLATE_BUTTON_URL && button->url != NULL &&
                        strstr (button->url, "{{") != NULL) ||
                       button->type == HERALD_TEMPLATE_BUTTON_COPY_CODE;

      if (needs && !covered[i])
        {
          *code = 132000;
          *details = g_strdup_printf ("button at index %u: a parameter is required", i);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_components (SimTemplate  *template,
                  JsonArray    *components,
                  gint64       *code,
                  char        **details)
{
  JsonObject *header = NULL;
  JsonObject *body = NULL;

  for (guint i = 0; components != NULL && i < json_array_get_length (components); i++)
    {
      JsonObject *component = json_array_get_object_element (components, i);
      const char *type = component ? json_object_get_string_member_with_default (component, "type", NULL) : NULL;

      if (type == NULL)
        {
          *code = 131008;
          *details = g_strdup_printf ("components[%u]: type is required", i);
          return FALSE;
        }
      if (g_ascii_strcasecmp (type, "header") == 0)
        header = component;
      else if (g_ascii_strcasecmp (type, "body") == 0)
        body = component;
      else if (g_ascii_strcasecmp (type, "button") != 0)
        {
          *code = 131009;
          *details = g_strdup_printf ("components[%u]: unknown type %s", i, type);
          return FALSE;
        }
    }

  return check_header (template, header, code, details) &&
         check_body (template, body, code, details) &&
         check_buttons (template, components, code, details);
}

/* ---------------------------------------------------------------------------
 * Sending: limits and stats
 * ------------------------------------------------------------------------- */

/* Messages accepted for @phone_number_id in the last second, the window of
 * Meta's per-number throughput limit. */
static GQueue *
number_window (HeraldSimServer *self,
               const char      *phone_number_id,
               gint64           now)
{
  GQueue *window = g_hash_table_lookup (self->number_windows, phone_number_id);

  if (window == NULL)
    {
      window = g_queue_new ();
      g_hash_table_insert (self->number_windows, g_strdup (phone_number_id), window);
    }

  while (!g_queue_is_empty (window) &&
         *(gint64 *) g_queue_peek_head (window) <= now - G_USEC_PER_SEC)
    g_free (g_queue_pop_head (window));

  return window;
}

static void
expire_reached (HeraldSimServer *self,
                gint64           now)
{
  while (!g_queue_is_empty (&self->reached_order))
    {
      SimReach *reach = g_queue_peek_head (&self->reached_order);
      gint64 *last;

      if (reach->time > now - USEC_PER_DAY)
        break;

      last = g_hash_table_lookup (self->reached, reach->digits);
      if (last != NULL && *last == reach->time)
        g_hash_table_remove (self->reached, reach->digits);
      sim_reach_free (g_queue_pop_head (&self->reached_order));
    }
}

static void
count_accepted (HeraldSimServer *self,
                GQueue          *window,
                const char      *digits,
                const char      *biz_opaque_callback_data,
                gint64           now)
{
  gint64 *stamp = g_new (gint64, 1);
  gint64 *last = g_new (gint64, 1);
  SimReach *reach = g_new (SimReach, 1);
  guint64 second;

  *stamp = now;
  g_queue_push_tail (window, stamp);
  self->max_mps_seen = MAX (self->max_mps_seen, g_queue_get_length (window));

  *last = now;
  g_hash_table_replace (self->pair_last, g_strdup (digits), g_memdup2 (last, sizeof *last));
  g_hash_table_replace (self->reached, g_strdup (digits), last);
  reach->digits = g_strdup (digits);
  reach->time = now;
  g_queue_push_tail (&self->reached_order, reach);

  g_hash_table_add (self->recipients_seen, g_strdup (digits));
  if (biz_opaque_callback_data != NULL &&
      !g_hash_table_add (self->callback_data_seen, g_strdup (biz_opaque_callback_data)))
    self->duplicates++;

  self->accepted++;
  if (self->first_accept == 0)
    self->first_accept = now;
  self->last_accept = now;

  second = (guint64) (now - self->first_accept) / G_USEC_PER_SEC;
  if (second < PER_SECOND_MAX)
    {
      if (second >= self->per_second->len)
        g_array_set_size (self->per_second, second + 1);
      g_array_index (self->per_second, guint, second)++;
    }
}

static JsonNode *
build_send_success (const char *to,
                    const char *digits,
                    const char *wamid)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messaging_product");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "contacts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "input");
  json_builder_add_string_value (builder, to);
  json_builder_set_member_name (builder, "wa_id");
  json_builder_add_string_value (builder, digits);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, wamid);
  json_builder_set_member_name (builder, "message_status");
  json_builder_add_string_value (builder, "accepted");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Validates, applies the limits, and answers; TRUE when the message was
 * accepted. */
static gboolean
handle_send (HeraldSimServer   *self,
             SoupServerMessage *msg,
             const char        *phone_number_id)
{
  g_autofree char *details = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *wamid = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *request;
  JsonObject *template_request;
  JsonObject *language;
  JsonNode *components_node;
  JsonArray *components = NULL;
  const char *to;
  const char *type;
  const char *product;
  const char *name;
  const char *code_name;
  const char *biz;
  SimTemplate *template;
  GQueue *window;
  gint64 code = 0;
  gint64 now = g_get_monotonic_time ();
  gpointer special;

  self->requests++;

  request = read_request_object (self, msg);
  if (request == NULL)
    return FALSE;

  product = json_object_get_string_member_with_default (request, "messaging_product", NULL);
  to = json_object_get_string_member_with_default (request, "to", NULL);
  type = json_object_get_string_member_with_default (request, "type", "text");
  biz = json_object_get_string_member_with_default (request, "biz_opaque_callback_data", NULL);

  if (product == NULL)
    {
      respond_error (self, msg, 131008, "The parameter messaging_product is required.");
      return FALSE;
    }
  if (!g_str_equal (product, "whatsapp"))
    {
      details = g_strdup_printf ("Param messaging_product must be one of {WHATSAPP} - got \"%s\".", product);
      respond_error (self, msg, 100, details);
      return FALSE;
    }
  if (to == NULL)
    {
      respond_error (self, msg, 131008, "The parameter to is required.");
      return FALSE;
    }
  if (!g_str_equal (type, "template"))
    {
      respond_error (self, msg, 131051, "herald-sim accepts template messages only");
      return FALSE;
    }
  if (!json_object_has_member (request, "template") ||
      (template_request = json_object_get_object_member (request, "template")) == NULL)
    {
      respond_error (self, msg, 131008, "The parameter template is required.");
      return FALSE;
    }
  if (biz != NULL && g_utf8_strlen (biz, -1) > 512)
    {
      respond_error (self, msg, 100, "Param biz_opaque_callback_data must be at most 512 characters long.");
      return FALSE;
    }

  digits = phone_digits (to);
  if (digits == NULL)
    {
      respond_error (self, msg, 131009, "Invalid WhatsApp ID: the to parameter is not a phone number");
      return FALSE;
    }

  name = json_object_get_string_member_with_default (template_request, "name", NULL);
  language = json_object_has_member (template_request, "language")
               ? json_object_get_object_member (template_request, "language") : NULL;
  code_name = language ? json_object_get_string_member_with_default (language, "code", NULL) : NULL;
  if (name == NULL || code_name == NULL)
    {
      respond_error (self, msg, 131008, name == NULL ? "The parameter template['name'] is required."
                                                     : "The parameter template['language']['code'] is required.");
      return FALSE;
    }

  template = find_template (self, name, code_name);
  if (template == NULL || g_str_equal (template->status, "PENDING") ||
      g_str_equal (template->status, "REJECTED") || g_str_equal (template->status, "DELETED"))
    {
      details = g_strdup_printf ("template name (%s) does not exist in %s", name, code_name);
      respond_error (self, msg, 132001, details);
      return FALSE;
    }
  if (g_str_equal (template->status, "PAUSED"))
    {
      respond_error (self, msg, 132015, "Template is paused due to low quality so it cannot be sent in a template message.");
      return FALSE;
    }
  if (!g_str_equal (template->status, "APPROVED"))
    {
      respond_error (self, msg, 132016, "Template has been paused too many times due to low quality and is now permanently disabled.");
      return FALSE;
    }

  components_node = json_object_get_member (template_request, "components");
  if (components_node != NULL && JSON_NODE_HOLDS_ARRAY (components_node))
    components = json_node_get_array (components_node);
  if (!check_components (template, components, &code, &details))
    {
      respond_error (self, msg, code, details);
      return FALSE;
    }

  if (g_hash_table_lookup_extended (self->recipient_errors, digits, NULL, &special))
    {
      respond_error (self, msg, GPOINTER_TO_INT (special), NULL);
      return FALSE;
    }

  if (random_hit (self, self->fail_rate))
    {
      self->injected_failures++;
      respond_error (self, msg, self->fail_code, NULL);
      return FALSE;
    }

  window = number_window (self, phone_number_id, now);
  if (g_queue_get_length (window) >= self->mps)
    {
      self->throttled++;
      details = g_strdup_printf ("Message failed to send because there were too many messages sent from this phone number in a short period of time (limit %u per second).",
                                 self->mps);
      respond_error (self, msg, 130429, details);
      return FALSE;
    }

  if (self->pair_window_ms > 0)
    {
      gint64 *last = g_hash_table_lookup (self->pair_last, digits);

      if (last != NULL && now - *last < (gint64) self->pair_window_ms * USEC_PER_MSEC)
        {
          self->pair_limited++;
          respond_error (self, msg, 131056, "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.");
          return FALSE;
        }
    }

  expire_reached (self, now);
  if (!g_hash_table_contains (self->reached, digits) &&
      g_hash_table_size (self->reached) >= self->messaging_limit)
    {
      /* Meta documents no code for the messaging limit; 131048 ("spam rate
       * limit", retry later at lower volume) is the closest documented one. */
      self->messaging_limited++;
      details = g_strdup_printf ("Message failed to send because the business reached its messaging limit of %u unique recipients in 24 hours.",
                                 self->messaging_limit);
      respond_error (self, msg, 131048, details);
      return FALSE;
    }

  count_accepted (self, window, digits, biz, now);
  g_free (self->last_phone_number_id);
  self->last_phone_number_id = g_strdup (phone_number_id);

  {
    g_autofree char *random = random_token (self, 32);

    wamid = g_strdup_printf ("wamid.HBgL%s%" PRIu64 "AA==", random, ++self->next_wamid);
  }

  if (self->webhook_url != NULL)
    {
      if (g_hash_table_contains (self->undeliverable, digits))
        queue_status (self, "failed", self->sent_delay_ms, wamid, digits, biz, phone_number_id,
                      template->category, 131026);
      else
        {
          queue_status (self, "sent", self->sent_delay_ms, wamid, digits, biz, phone_number_id,
                        template->category, 0);
          if (g_hash_table_lookup_extended (self->fail_after_sent, digits, NULL, &special))
            queue_status (self, "failed", self->delivered_delay_ms, wamid, digits, biz,
                          phone_number_id, template->category, GPOINTER_TO_INT (special));
          else
            {
              queue_status (self, "delivered", self->delivered_delay_ms, wamid, digits, biz,
                            phone_number_id, template->category, 0);
              if (self->send_read)
                queue_status (self, "read", self->read_delay_ms, wamid, digits, biz,
                              phone_number_id, template->category, 0);
            }
        }
    }

  answer = build_send_success (to, digits, wamid);
  respond_json (msg, SOUP_STATUS_OK, answer);
  return TRUE;
}

/* ---------------------------------------------------------------------------
 * Other Cloud API endpoints
 * ------------------------------------------------------------------------- */

static const char *
messaging_limit_tier (guint limit)
{
  if (limit <= 250)
    return "TIER_250";
  if (limit <= 1000)
    return "TIER_1K";
  if (limit <= 2000)
    return "TIER_2K";
  if (limit <= 10000)
    return "TIER_10K";
  if (limit <= 100000)
    return "TIER_100K";
  return "TIER_UNLIMITED";
}

static void
handle_phone_number (HeraldSimServer   *self,
                     SoupServerMessage *msg,
                     const char        *id,
                     GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *fields = query ? g_hash_table_lookup (query, "fields") : NULL;
  g_auto(GStrv) wanted = g_strsplit (fields ? fields : "id,display_phone_number,verified_name,quality_rating", ",", -1);
  struct { const char *name; const char *value; } strings[] = {
    { "display_phone_number", self->display_phone_number },
    { "verified_name", self->verified_name },
    { "quality_rating", self->quality_rating },
    { "code_verification_status", "VERIFIED" },
    { "name_status", "APPROVED" },
    { "status", self->number_status },
    { "platform_type", "CLOUD_API" },
    { "whatsapp_business_manager_messaging_limit", messaging_limit_tier (self->messaging_limit) },
  };

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (g_strv_contains ((const char * const *) wanted, strings[i].name))
      {
        json_builder_set_member_name (builder, strings[i].name);
        json_builder_add_string_value (builder, strings[i].value);
      }
  if (g_strv_contains ((const char * const *) wanted, "throughput"))
    {
      json_builder_set_member_name (builder, "throughput");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "level");
      json_builder_add_string_value (builder, self->mps > 80 ? "HIGH" : "STANDARD");
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, root);
}

static void
handle_template_get (HeraldSimServer   *self,
                     SoupServerMessage *msg,
                     SimTemplate       *template,
                     GHashTable        *query)
{
  g_autoptr(JsonNode) node = template_to_json (template, query ? g_hash_table_lookup (query, "fields") : NULL);

  respond_json (msg, SOUP_STATUS_OK, node);
}

static void
handle_template_list (HeraldSimServer   *self,
                      SoupServerMessage *msg,
                      const char        *version,
                      const char        *waba_id,
                      GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *fields = query ? g_hash_table_lookup (query, "fields") : NULL;
  const char *status = query ? g_hash_table_lookup (query, "status") : NULL;
  const char *name = query ? g_hash_table_lookup (query, "name") : NULL;
  const char *after = query ? g_hash_table_lookup (query, "after") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint limit = limit_text ? (guint) g_ascii_strtoull (limit_text, NULL, 10) : LIST_LIMIT_DEFAULT;
  guint64 after_id = 0;
  guint count = 0;
  const char *first_id = NULL;
  const char *last_id = NULL;
  gboolean more = FALSE;

  if (limit == 0)
    limit = LIST_LIMIT_DEFAULT;
  /* The cursor is the base64 of the last template id of the page. */
  if (after != NULL)
    {
      gsize length = 0;
      g_autofree guchar *decoded = g_base64_decode (after, &length);
      g_autofree char *text = g_strndup ((const char *) decoded, length);

      after_id = g_ascii_strtoull (text, NULL, 10);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->templates->len; i++)
    {
      SimTemplate *template = g_ptr_array_index (self->templates, i);

      if (g_ascii_strtoull (template->id, NULL, 10) <= after_id)
        continue;
      if (status != NULL && g_ascii_strcasecmp (status, template->status) != 0)
        continue;
      if (name != NULL && !g_str_equal (name, template->name))
        continue;
      if (count == limit)
        {
          more = TRUE;
          break;
        }
      json_builder_add_value (builder, template_to_json (template, fields));
      if (first_id == NULL)
        first_id = template->id;
      last_id = template->id;
      count++;
    }
  json_builder_end_array (builder);

  if (count > 0)
    {
      g_autofree char *before_cursor = g_base64_encode ((const guchar *) first_id, strlen (first_id));
      g_autofree char *after_cursor = g_base64_encode ((const guchar *) last_id, strlen (last_id));

      json_builder_set_member_name (builder, "paging");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cursors");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "before");
      json_builder_add_string_value (builder, before_cursor);
      json_builder_set_member_name (builder, "after");
      json_builder_add_string_value (builder, after_cursor);
      json_builder_end_object (builder);
      if (more)
        {
          g_autoptr(GHashTable) next_query = g_hash_table_new (g_str_hash, g_str_equal);
          g_autofree char *limit_value = g_strdup_printf ("%u", limit);
          g_autofree char *encoded = NULL;
          g_autofree char *next = NULL;

          if (fields != NULL)
            g_hash_table_insert (next_query, "fields", (char *) fields);
          if (status != NULL)
            g_hash_table_insert (next_query, "status", (char *) status);
          if (name != NULL)
            g_hash_table_insert (next_query, "name", (char *) name);
          g_hash_table_insert (next_query, "limit", limit_value);
          g_hash_table_insert (next_query, "after", after_cursor);
          encoded = soup_form_encode_hash (next_query);
          next = g_strdup_printf ("%s/%s/%s/message_templates?%s", self->url, version, waba_id, encoded);
          json_builder_set_member_name (builder, "next");
          json_builder_add_string_value (builder, next);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, root);
}

static void
handle_template_create (HeraldSimServer   *self,
                        SoupServerMessage *msg,
                        const char        *waba_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *request;
  SimTemplate *template;

  request = read_request_object (self, msg);
  if (request == NULL)
    return;

  template = add_template_json (self, request, "PENDING", waba_id, &error);
  if (template == NULL)
    {
      respond_error (self, msg, 100, error->message);
      return;
    }

  self->templates_created++;
  if (self->auto_approve)
    set_template_status (self, template, "APPROVED", NULL);
  else if (self->approve_delay_ms > 0)
    {
      SimApproval *approval = g_new0 (SimApproval, 1);

      approval->self = self;
      approval->template_id = g_strdup (template->id);
      add_timer (self, self->approve_delay_ms, on_approve_timeout, approval,
                 (GDestroyNotify) sim_approval_free);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, template->id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, template->status);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, template->category);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, root);
}

static void
respond_success (SoupServerMessage *msg)
{
  static const char success[] = "{\"success\":true}";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, success, strlen (success));
}

static void
handle_template_delete (HeraldSimServer   *self,
                        SoupServerMessage *msg,
                        GHashTable        *query)
{
  const char *name = query ? g_hash_table_lookup (query, "name") : NULL;
  const char *hsm_id = query ? g_hash_table_lookup (query, "hsm_id") : NULL;
  guint removed = 0;

  if (name == NULL)
    {
      respond_error (self, msg, 100, "The parameter name is required.");
      return;
    }

  for (guint i = self->templates->len; i > 0; i--)
    {
      SimTemplate *template = g_ptr_array_index (self->templates, i - 1);

      if (!g_str_equal (template->name, name) || (hsm_id != NULL && !g_str_equal (template->id, hsm_id)))
        continue;
      if (g_str_equal (template->status, "DISABLED"))
        {
          respond_error (self, msg, 100, "A disabled template cannot be deleted.");
          return;
        }
      g_ptr_array_remove_index (self->templates, i - 1);
      removed++;
    }

  if (removed == 0)
    {
      g_autofree char *details = g_strdup_printf ("Message template \"%s\" was not found.", name);

      respond_error (self, msg, 100, details);
      return;
    }

  respond_success (msg);
}

/* Meta's per-type media limits (whatsapp-cloud-api.md §7). */
static gboolean
media_type_allowed (const char *mime,
                    gsize       size)
{
  static const struct { const char *type; gsize max; } types[] = {
    { "image/jpeg", 5 * 1024 * 1024 },
    { "image/png", 5 * 1024 * 1024 },
    { "image/webp", 500 * 1024 },
    { "video/mp4", 16 * 1024 * 1024 },
    { "video/3gpp", 16 * 1024 * 1024 },
    { "audio/aac", 16 * 1024 * 1024 },
    { "audio/amr", 16 * 1024 * 1024 },
    { "audio/mpeg", 16 * 1024 * 1024 },
    { "audio/mp4", 16 * 1024 * 1024 },
    { "audio/ogg", 16 * 1024 * 1024 },
    { "application/pdf", 100 * 1024 * 1024 },
    { "text/plain", 100 * 1024 * 1024 },
    { "application/msword", 100 * 1024 * 1024 },
    { "application/vnd.ms-excel", 100 * 1024 * 1024 },
    { "application/vnd.ms-powerpoint", 100 * 1024 * 1024 },
    { "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 100 * 1024 * 1024 },
    { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 100 * 1024 * 1024 },
    { "application/vnd.openxmlformats-officedocument.presentationml.presentation", 100 * 1024 * 1024 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (types[i].type, mime) == 0)
      return size > 0 && size <= types[i].max;

  return FALSE;
}

static void
handle_media (HeraldSimServer   *self,
              SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean product_ok = FALSE;
  gboolean has_file = FALSE;
  const char *mime = NULL;
  gsize file_size = 0;

  multipart = soup_multipart_new_from_message (soup_server_message_get_request_headers (msg), body);
  if (multipart == NULL)
    {
      respond_error (self, msg, 100, "The request must be multipart/form-data.");
      return;
    }

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers = NULL;
      GBytes *part = NULL;
      g_autoptr(GHashTable) params = NULL;
      const char *part_name;

      if (!soup_multipart_get_part (multipart, i, &headers, &part) ||
          !soup_message_headers_get_content_disposition (headers, NULL, &params))
        continue;

      part_name = g_hash_table_lookup (params, "name");
      if (g_strcmp0 (part_name, "messaging_product") == 0)
        product_ok = g_bytes_get_size (part) == strlen ("whatsapp") &&
                     memcmp (g_bytes_get_data (part, NULL), "whatsapp", strlen ("whatsapp")) == 0;
      else if (g_strcmp0 (part_name, "file") == 0)
        {
          has_file = TRUE;
          mime = soup_message_headers_get_content_type (headers, NULL);
          file_size = g_bytes_get_size (part);
        }
    }

  if (!product_ok)
    {
      respond_error (self, msg, 100, "The parameter messaging_product is required and must be whatsapp.");
      return;
    }
  if (!has_file)
    {
      respond_error (self, msg, 100, "The parameter file is required.");
      return;
    }
  if (mime == NULL || !media_type_allowed (mime, file_size))
    {
      respond_error (self, msg, 131053, "Param file must be a file with one of the supported types and sizes.");
      return;
    }

  self->media_uploaded++;
  id = g_strdup_printf ("%" PRIu64, G_GUINT64_CONSTANT (2000000000000000) + ++self->next_media);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  respond_json (msg, SOUP_STATUS_OK, root);
}

/* ---------------------------------------------------------------------------
 * /_sim/ control
 * ------------------------------------------------------------------------- */

JsonNode *
herald_sim_server_get_stats (HeraldSimServer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  struct { const char *name; guint64 value; } counters[] = {
    { "requests", self->requests },
    { "accepted", self->accepted },
    { "unique_recipients", g_hash_table_size (self->recipients_seen) },
    { "duplicates", self->duplicates },
    { "rejected", self->rejected },
    { "throttled", self->throttled },
    { "pair_limited", self->pair_limited },
    { "messaging_limited", self->messaging_limited },
    { "injected_failures", self->injected_failures },
    { "http_5xx", self->http_5xx },
    { "dropped", self->dropped },
    { "dropped_after_accept", self->dropped_after_accept },
    { "webhooks_sent", self->webhooks_sent },
    { "webhook_statuses", self->webhook_statuses },
    { "webhook_failures", self->webhook_failures },
    { "webhook_retries", self->webhook_retries_done },
    { "webhook_duplicates", self->webhook_duplicates },
    { "webhooks_pending", g_sequence_get_length (self->pending) },
    /* Posted (or to be retried) and not answered yet: with pending at 0,
     * 0 here means every webhook has reached its receiver or failed. */
    { "webhooks_in_flight", self->webhooks_in_flight },
    { "templates_created", self->templates_created },
    { "media_uploaded", self->media_uploaded },
    { "max_mps_seen", self->max_mps_seen },
  };
  double span;

  g_return_val_if_fail (HERALD_IS_SIM_SERVER (self), NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (counters); i++)
    {
      json_builder_set_member_name (builder, counters[i].name);
      json_builder_add_int_value (builder, (gint64) counters[i].value);
    }

  /* The mean rate from the first to the last accepted message. */
  span = (double) (self->last_accept - self->first_accept) / G_USEC_PER_SEC;
  json_builder_set_member_name (builder, "mean_mps");
  json_builder_add_double_value (builder, span > 0 ? (self->accepted - 1) / span : 0);

  json_builder_set_member_name (builder, "per_second");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->per_second->len; i++)
    json_builder_add_int_value (builder, g_array_index (self->per_second, guint, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Forgets what was sent (stats, rate windows, recipients); keeps the
 * configuration and the templates. */
void
herald_sim_server_reset (HeraldSimServer *self)
{
  g_return_if_fail (HERALD_IS_SIM_SERVER (self));

  g_hash_table_remove_all (self->callback_data_seen);
  g_hash_table_remove_all (self->recipients_seen);
  g_hash_table_remove_all (self->number_windows);
  g_hash_table_remove_all (self->pair_last);
  g_hash_table_remove_all (self->reached);
  g_queue_clear_full (&self->reached_order, (GDestroyNotify) sim_reach_free);
  g_array_set_size (self->per_second, 0);
  self->requests = self->accepted = self->duplicates = self->rejected = 0;
  self->throttled = self->pair_limited = self->messaging_limited = 0;
  self->injected_failures = self->http_5xx = self->dropped = self->dropped_after_accept = 0;
  self->webhooks_sent = self->webhook_statuses = self->webhook_failures = 0;
  self->webhook_retries_done = self->webhook_duplicates = 0;
  self->templates_created = self->media_uploaded = 0;
  self->max_mps_seen = 0;
  self->first_accept = self->last_accept = 0;
}

/* One member of a control request and the field it sets. */
typedef enum
{
  SETTING_STRING,  /* char *: null clears it */
  SETTING_UINT,    /* guint: negative numbers are 0 */
  SETTING_INT64,
  SETTING_DOUBLE,
  SETTING_BOOLEAN,
} SettingType;

typedef struct
{
  const char  *member;
  SettingType  type;
  gsize        offset;
} Setting;

#define SETTING(member, type, field) { member, type, G_STRUCT_OFFSET (HeraldSimServer, field) }

/* Sets the field of each of @settings that @object has a member for, and
 * leaves the others alone. */
static void
apply_settings (HeraldSimServer *self,
                JsonObject      *object,
                const Setting   *settings,
                gsize            n_settings)
{
  for (gsize i = 0; i < n_settings; i++)
    {
      JsonNode *node = json_object_get_member (object, settings[i].member);
      gpointer field = G_STRUCT_MEMBER_P (self, settings[i].offset);

      if (node == NULL)
        continue;

      switch (settings[i].type)
        {
        case SETTING_STRING:
          g_free (*(char **) field);
          *(char **) field = JSON_NODE_HOLDS_NULL (node) ? NULL : g_strdup (json_node_get_string (node));
          break;
        case SETTING_UINT:
          *(guint *) field = (guint) MAX (json_node_get_int (node), 0);
          break;
        case SETTING_INT64:
          *(gint64 *) field = json_node_get_int (node);
          break;
        case SETTING_DOUBLE:
          *(double *) field = json_node_get_double (node);
          break;
        case SETTING_BOOLEAN:
          *(gboolean *) field = json_node_get_boolean (node);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static gboolean
set_recipients (GHashTable  *table,
                JsonNode    *node,
                GError     **error)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *digits = phone_digits (json_array_get_string_element (array, i));

          if (digits == NULL)
            goto bad_number;
          g_hash_table_add (table, g_steal_pointer (&digits));
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *number;
      JsonNode *code;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &number, &code))
        {
          g_autofree char *digits = phone_digits (number);
          gint64 value = json_node_get_int (code);

          if (digits == NULL)
            goto bad_number;
          if (value == 0)
            g_hash_table_remove (table, digits);
          else
            g_hash_table_replace (table, g_steal_pointer (&digits), GINT_TO_POINTER ((int) value));
        }
      return TRUE;
    }

bad_number:
  g_set_error (error, HERALD_SIM_ERROR, HERALD_SIM_ERROR_INVALID_CONTROL,
               _("Recipients must be a list of phone numbers or an object of number → error code"));
  return FALSE;
}

static gboolean
control_template (HeraldSimServer  *self,
                  JsonObject       *request,
                  GError          **error)
{
  const char *id = json_object_get_string_member_with_default (request, "id", NULL);
  const char *name = json_object_get_string_member_with_default (request, "name", NULL);
  const char *language = json_object_get_string_member_with_default (request, "language", NULL);
  const char *status = json_object_get_string_member_with_default (request, "status", NULL);
  const char *reason = json_object_get_string_member_with_default (request, "reason", NULL);
  SimTemplate *template = id ? find_template_by_id (self, id) : find_template (self, name, language);
  g_autofree char *upper = status ? g_ascii_strup (status, -1) : NULL;
  HeraldTemplateStatus parsed;

  if (template == NULL)
    {
      g_set_error (error, HERALD_SIM_ERROR, HERALD_SIM_ERROR_INVALID_CONTROL,
                   _("No template “%s” (%s)"), id ? id : (name ? name : ""), language ? language : "any language");
      return FALSE;
    }
  if (upper == NULL || !herald_template_status_from_string (upper, &parsed))
    {
      g_set_error (error, HERALD_SIM_ERROR, HERALD_SIM_ERROR_INVALID_CONTROL,
                   _("Unknown template status “%s”"), status ? status : "");
      return FALSE;
    }

  set_template_status (self, template, upper, reason);
  return TRUE;
}

static void
control_webhooks (HeraldSimServer *self,
                  JsonObject      *request)
{
  static const Setting settings[] = {
    SETTING ("sent_delay_ms", SETTING_UINT, sent_delay_ms),
    SETTING ("delivered_delay_ms", SETTING_UINT, delivered_delay_ms),
    SETTING ("read_delay_ms", SETTING_UINT, read_delay_ms),
    SETTING ("read", SETTING_BOOLEAN, send_read),
    SETTING ("duplicate_rate", SETTING_DOUBLE, duplicate_rate),
    SETTING ("shuffle", SETTING_BOOLEAN, shuffle),
    SETTING ("batch_size", SETTING_UINT, batch_size),
    SETTING ("retries", SETTING_UINT, webhook_retries),
    SETTING ("retry_delay_ms", SETTING_UINT, retry_delay_ms),
  };

  apply_settings (self, request, settings, G_N_ELEMENTS (settings));
}

/**
 * herald_sim_server_control:
 * @request: the JSON object of POST /_sim/control
 *
 * Changes the simulation while it runs; see the members handled below.
 */
gboolean
herald_sim_server_control (HeraldSimServer  *self,
                           JsonObject       *request,
                           GError          **error)
{
  /* "token" first: a new token is not expired, unless "expire_token"
   * says so in the same request. */
  static const Setting token[] = {
    SETTING ("token", SETTING_STRING, token),
  };
  static const Setting settings[] = {
    SETTING ("expire_token", SETTING_BOOLEAN, token_expired),
    SETTING ("app_secret", SETTING_STRING, app_secret),
    SETTING ("webhook_url", SETTING_STRING, webhook_url),
    SETTING ("mps", SETTING_UINT, mps),
    SETTING ("pair_window_ms", SETTING_UINT, pair_window_ms),
    SETTING ("messaging_limit", SETTING_UINT, messaging_limit),
    SETTING ("auto_approve", SETTING_BOOLEAN, auto_approve),
    SETTING ("approve_delay_ms", SETTING_UINT, approve_delay_ms),
    SETTING ("fail_rate", SETTING_DOUBLE, fail_rate),
    SETTING ("fail_code", SETTING_INT64, fail_code),
    SETTING ("http_5xx_rate", SETTING_DOUBLE, http_5xx_rate),
    SETTING ("latency_ms", SETTING_UINT, latency_ms),
    SETTING ("drop_rate", SETTING_DOUBLE, drop_rate),
    SETTING ("drop_after_accept_rate", SETTING_DOUBLE, drop_after_accept_rate),
  };
  static const Setting phone_settings[] = {
    SETTING ("display_phone_number", SETTING_STRING, display_phone_number),
    SETTING ("verified_name", SETTING_STRING, verified_name),
    SETTING ("quality_rating", SETTING_STRING, quality_rating),
    SETTING ("status", SETTING_STRING, number_status),
  };
  JsonNode *node;

  g_return_val_if_fail (HERALD_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  if (json_object_has_member (request, "token"))
    {
      apply_settings (self, request, token, G_N_ELEMENTS (token));
      self->token_expired = FALSE;
    }
  apply_settings (self, request, settings, G_N_ELEMENTS (settings));
  if (json_object_has_member (request, "waba_id"))
    {
      g_autofree char *waba_id = g_strdup (self->waba_id);
      static const Setting waba[] = {
        SETTING ("waba_id", SETTING_STRING, waba_id),
      };

      /* null keeps the one there is */
      apply_settings (self, request, waba, G_N_ELEMENTS (waba));
      if (self->waba_id == NULL)
        self->waba_id = g_steal_pointer (&waba_id);
    }

  if ((node = json_object_get_member (request, "phone")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    apply_settings (self, json_node_get_object (node), phone_settings, G_N_ELEMENTS (phone_settings));

  if (json_object_has_member (request, "clear_recipients") &&
      json_object_get_boolean_member (request, "clear_recipients"))
    {
      g_hash_table_remove_all (self->recipient_errors);
      g_hash_table_remove_all (self->fail_after_sent);
      g_hash_table_remove_all (self->undeliverable);
    }
  if ((node = json_object_get_member (request, "recipient_errors")) != NULL &&
      !set_recipients (self->recipient_errors, node, error))
    return FALSE;
  if ((node = json_object_get_member (request, "fail_after_sent")) != NULL &&
      !set_recipients (self->fail_after_sent, node, error))
    return FALSE;
  if ((node = json_object_get_member (request, "undeliverable")) != NULL &&
      !set_recipients (self->undeliverable, node, error))
    return FALSE;

  if ((node = json_object_get_member (request, "webhooks")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    control_webhooks (self, json_node_get_object (node));

  if ((node = json_object_get_member (request, "add_template")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *add = json_node_get_object (node);
      g_autofree char *status = g_ascii_strup (json_object_get_string_member_with_default (add, "status", "APPROVED"), -1);

      if (add_template_json (self, add, status, self->waba_id, error) == NULL)
        return FALSE;
    }

  if ((node = json_object_get_member (request, "template")) != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      !control_template (self, json_node_get_object (node), error))
    return FALSE;

  if ((node = json_object_get_member (request, "inbound")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    send_inbound_webhook (self, json_node_get_object (node));

  return TRUE;
}

static void
handle_sim (HeraldSimServer   *self,
            SoupServerMessage *msg,
            const char        *method,
            const char        *path)
{
  if (g_str_equal (path, "/_sim/stats") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) stats = herald_sim_server_get_stats (self);

      respond_json (msg, SOUP_STATUS_OK, stats);
    }
  else if (g_str_equal (path, "/_sim/reset") && g_str_equal (method, "POST"))
    {
      herald_sim_server_reset (self);
      respond_success (msg);
    }
  else if (g_str_equal (path, "/_sim/control") && g_str_equal (method, "POST"))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        respond_error (self, msg, 100, error ? error->message : "The control request is not a JSON object");
      else if (!herald_sim_server_control (self, json_node_get_object (json_parser_get_root (parser)), &error))
        respond_error (self, msg, 100, error->message);
      else
        respond_success (msg);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* ---------------------------------------------------------------------------
 * Request routing
 * ------------------------------------------------------------------------- */

static gboolean
on_reply_timeout (gpointer data)
{
  SimReply *reply = data;

  forget_timer (reply->self);
  if (reply->drop)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (reply->msg);

      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
    }
  else
    soup_server_message_unpause (reply->msg);

  return G_SOURCE_REMOVE;
}

/* Drops the connection without an answer, after @delay_ms if any: the client
 * cannot tell whether the request got through. */
static void
finish (HeraldSimServer   *self,
        SoupServerMessage *msg,
        gboolean           drop)
{
  SimReply *reply;

  if (self->latency_ms == 0)
    {
      if (drop)
        {
          g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

          if (stream != NULL)
            g_io_stream_close (stream, NULL, NULL);
        }
      return;
    }

  reply = g_new0 (SimReply, 1);
  reply->self = self;
  reply->msg = g_object_ref (msg);
  reply->drop = drop;
  soup_server_message_pause (msg);
  add_timer (self, self->latency_ms, on_reply_timeout, reply, (GDestroyNotify) sim_reply_free);
}

static gboolean
is_version (const char *segment)
{
  const char *p = segment;

  if (*p++ != 'v' || !g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p++ != '.' || !g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  return *p == '\0';
}

static gboolean
is_numeric_id (const char *segment)
{
  if (*segment == '\0')
    return FALSE;
  for (const char *p = segment; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
check_token (HeraldSimServer   *self,
             SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header != NULL && g_str_has_prefix (header, "Bearer ") && self->token != NULL &&
      g_str_equal (header + strlen ("Bearer "), self->token) && !self->token_expired)
    return TRUE;

  respond_error (self, msg, 190, NULL);
  return FALSE;
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  HeraldSimServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) segments = NULL;
  guint n_segments;
  gboolean drop = FALSE;

  if (g_str_has_prefix (path, "/_sim/"))
    {
      handle_sim (self, msg, method, path);
      return;
    }

  if (random_hit (self, self->drop_rate))
    {
      self->dropped++;
      finish (self, msg, TRUE);
      return;
    }

  if (random_hit (self, self->http_5xx_rate))
    {
      self->http_5xx++;
      respond_error (self, msg, 500, NULL);
      finish (self, msg, FALSE);
      return;
    }

  segments = g_strsplit (path + (path[0] == '/'), "/", -1);
  n_segments = g_strv_length (segments);

  if (!check_token (self, msg))
    ;
  else if (n_segments < 2 || !is_version (segments[0]) || !is_numeric_id (segments[1]) || n_segments > 3)
    {
      g_autofree char *details = g_strdup_printf ("Unknown path components: %s", path);

      respond_error (self, msg, 100, details);
    }
  else if (n_segments == 3 && g_str_equal (segments[2], "messages") && g_str_equal (method, "POST"))
    {
      gboolean accepted = handle_send (self, msg, segments[1]);

      if (!accepted)
        self->rejected++;
      else if (random_hit (self, self->drop_after_accept_rate))
        {
          /* Accepted and counted, but the answer never arrives. */
          self->dropped_after_accept++;
          drop = TRUE;
        }
    }
  else if (n_segments == 3 && g_str_equal (segments[2], "message_templates"))
    {
      if (g_str_equal (method, "GET"))
        handle_template_list (self, msg, segments[0], segments[1], query);
      else if (g_str_equal (method, "POST"))
        handle_template_create (self, msg, segments[1]);
      else if (g_str_equal (method, "DELETE"))
        handle_template_delete (self, msg, query);
      else
        respond_error (self, msg, 100, "Unsupported method");
    }
  else if (n_segments == 3 && g_str_equal (segments[2], "media") && g_str_equal (method, "POST"))
    handle_media (self, msg);
  else if (n_segments == 2 && g_str_equal (method, "GET"))
    {
      SimTemplate *template = find_template_by_id (self, segments[1]);

      if (template != NULL)
        handle_template_get (self, msg, template, query);
      else
        handle_phone_number (self, msg, segments[1], query);
    }
  else
    {
      g_autofree char *details = g_strdup_printf ("Unsupported %s request to %s", method, path);

      respond_error (self, msg, 100, details);
    }

  finish (self, msg, drop);
}

/* ---------------------------------------------------------------------------
 * Object
 * ------------------------------------------------------------------------- */

static void
destroy_timer (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

static void
herald_sim_server_dispose (GObject *object)
{
  HeraldSimServer *self = HERALD_SIM_SERVER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->timers, g_ptr_array_unref);
  g_clear_pointer (&self->retrying, g_hash_table_unref);
  if (self->flush_source != NULL)
    g_source_destroy (self->flush_source);
  g_clear_pointer (&self->flush_source, g_source_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (herald_sim_server_parent_class)->dispose (object);
}

static void
herald_sim_server_finalize (GObject *object)
{
  HeraldSimServer *self = HERALD_SIM_SERVER (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->parser);
  g_clear_pointer (&self->rand, g_rand_free);
  g_free (self->url);
  g_free (self->token);
  g_free (self->app_secret);
  g_free (self->webhook_url);
  g_free (self->waba_id);
  g_free (self->display_phone_number);
  g_free (self->verified_name);
  g_free (self->quality_rating);
  g_free (self->number_status);
  g_free (self->last_phone_number_id);
  g_hash_table_unref (self->recipient_errors);
  g_hash_table_unref (self->fail_after_sent);
  g_hash_table_unref (self->undeliverable);
  g_ptr_array_unref (self->templates);
  g_hash_table_unref (self->number_windows);
  g_hash_table_unref (self->pair_last);
  g_hash_table_unref (self->reached);
  g_queue_clear_full (&self->reached_order, (GDestroyNotify) sim_reach_free);
  g_hash_table_unref (self->callback_data_seen);
  g_hash_table_unref (self->recipients_seen);
  g_array_unref (self->per_second);
  g_sequence_foreach (self->pending, (GFunc) sim_status_free, NULL);
  g_sequence_free (self->pending);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (herald_sim_server_parent_class)->finalize (object);
}

static void
herald_sim_server_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HeraldSimServer *self = HERALD_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_TOKEN: g_value_set_string (value, self->token); break;
    case PROP_APP_SECRET: g_value_set_string (value, self->app_secret); break;
    case PROP_WEBHOOK_URL: g_value_set_string (value, self->webhook_url); break;
    case PROP_MPS: g_value_set_uint (value, self->mps); break;
    case PROP_PAIR_WINDOW_MS: g_value_set_uint (value, self->pair_window_ms); break;
    case PROP_MESSAGING_LIMIT: g_value_set_uint (value, self->messaging_limit); break;
    case PROP_AUTO_APPROVE: g_value_set_boolean (value, self->auto_approve); break;
    case PROP_APPROVE_DELAY_MS: g_value_set_uint (value, self->approve_delay_ms); break;
    case PROP_FAIL_RATE: g_value_set_double (value, self->fail_rate); break;
    case PROP_FAIL_CODE: g_value_set_int64 (value, self->fail_code); break;
    case PROP_HTTP_5XX_RATE: g_value_set_double (value, self->http_5xx_rate); break;
    case PROP_LATENCY_MS: g_value_set_uint (value, self->latency_ms); break;
    case PROP_DROP_RATE: g_value_set_double (value, self->drop_rate); break;
    case PROP_DROP_AFTER_ACCEPT_RATE: g_value_set_double (value, self->drop_after_accept_rate); break;
    case PROP_SEED: g_value_set_uint (value, self->seed); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_sim_server_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HeraldSimServer *self = HERALD_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      g_free (self->token);
      self->token = g_value_dup_string (value);
      break;
    case PROP_APP_SECRET:
      g_free (self->app_secret);
      self->app_secret = g_value_dup_string (value);
      break;
    case PROP_WEBHOOK_URL:
      g_free (self->webhook_url);
      self->webhook_url = g_value_dup_string (value);
      break;
    case PROP_MPS: self->mps = g_value_get_uint (value); break;
    case PROP_PAIR_WINDOW_MS: self->pair_window_ms = g_value_get_uint (value); break;
    case PROP_MESSAGING_LIMIT: self->messaging_limit = g_value_get_uint (value); break;
    case PROP_AUTO_APPROVE: self->auto_approve = g_value_get_boolean (value); break;
    case PROP_APPROVE_DELAY_MS: self->approve_delay_ms = g_value_get_uint (value); break;
    case PROP_FAIL_RATE: self->fail_rate = g_value_get_double (value); break;
    case PROP_FAIL_CODE: self->fail_code = g_value_get_int64 (value); break;
    case PROP_HTTP_5XX_RATE: self->http_5xx_rate = g_value_get_double (value); break;
    case PROP_LATENCY_MS: self->latency_ms = g_value_get_uint (value); break;
    case PROP_DROP_RATE: self->drop_rate = g_value_get_double (value); break;
    case PROP_DROP_AFTER_ACCEPT_RATE: self->drop_after_accept_rate = g_value_get_double (value); break;
    case PROP_SEED:
      self->seed = g_value_get_uint (value);
      g_rand_set_seed (self->rand, self->seed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  g_object_notify_by_pspec (object, pspec);
}

static void
herald_sim_server_class_init (HeraldSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = herald_sim_server_dispose;
  object_class->finalize = herald_sim_server_finalize;
  object_class->get_property = herald_sim_server_get_property;
  object_class->set_property = herald_sim_server_set_property;

  /* The access token every request must carry as "Authorization: Bearer". */
  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, NULL, flags);
  /* Key of the X-Hub-Signature-256 HMAC on webhooks; NULL sends them unsigned. */
  properties[PROP_APP_SECRET] = g_param_spec_string ("app-secret", NULL, NULL, NULL, flags);
  /* Where status, template and inbound webhooks go; NULL sends none. */
  properties[PROP_WEBHOOK_URL] = g_param_spec_string ("webhook-url", NULL, NULL, NULL, flags);
  /* Messages accepted per phone number in any one second (130429 beyond). */
  properties[PROP_MPS] = g_param_spec_uint ("mps", NULL, NULL, 1, G_MAXUINT, 80, flags);
  /* One message per recipient in this window (131056 beyond); 0 disables. */
  properties[PROP_PAIR_WINDOW_MS] = g_param_spec_uint ("pair-window-ms", NULL, NULL, 0, G_MAXUINT, 6000, flags);
  /* Unique recipients in a rolling 24 h (131048 beyond). */
  properties[PROP_MESSAGING_LIMIT] = g_param_spec_uint ("messaging-limit", NULL, NULL, 0, G_MAXUINT, 100000, flags);
  /* Templates created through the API are APPROVED at once. */
  properties[PROP_AUTO_APPROVE] = g_param_spec_boolean ("auto-approve", NULL, NULL, FALSE, flags);
  /* Templates created through the API are APPROVED after this; 0 = never by themselves. */
  properties[PROP_APPROVE_DELAY_MS] = g_param_spec_uint ("approve-delay-ms", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* Share of valid sends answered with fail-code instead. */
  properties[PROP_FAIL_RATE] = g_param_spec_double ("fail-rate", NULL, NULL, 0, 1, 0, flags);
  /* A Cloud API error code, or an HTTP status 500–599. */
  properties[PROP_FAIL_CODE] = g_param_spec_int64 ("fail-code", NULL, NULL, 0, G_MAXINT64, 131000, flags);
  /* Share of requests answered with HTTP 500 before anything else. */
  properties[PROP_HTTP_5XX_RATE] = g_param_spec_double ("http-5xx-rate", NULL, NULL, 0, 1, 0, flags);
  /* Every answer is held back this long. */
  properties[PROP_LATENCY_MS] = g_param_spec_uint ("latency-ms", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* Share of requests whose connection is closed before they are looked at. */
  properties[PROP_DROP_RATE] = g_param_spec_double ("drop-rate", NULL, NULL, 0, 1, 0, flags);
  /* Share of accepted sends whose connection is closed instead of answered. */
  properties[PROP_DROP_AFTER_ACCEPT_RATE] = g_param_spec_double ("drop-after-accept-rate", NULL, NULL, 0, 1, 0, flags);
  /* Seed of every random choice, so that runs repeat. */
  properties[PROP_SEED] = g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_sim_server_init (HeraldSimServer *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->parser = json_parser_new_immutable ();
  self->seed = 1;
  self->rand = g_rand_new_with_seed (self->seed);
  self->session = soup_session_new_with_options ("max-conns", 32, "max-conns-per-host", 16,
                                                 "proxy-resolver", NULL,
                                                 "timeout", 10, NULL);

  self->mps = 80;
  self->pair_window_ms = 6000;
  self->messaging_limit = 100000;
  self->fail_code = 131000;
  self->waba_id = g_strdup (DEFAULT_WABA_ID);
  self->last_phone_number_id = g_strdup (DEFAULT_PHONE_NUMBER_ID);
  self->display_phone_number = g_strdup ("+1 555-010-0001");
  self->verified_name = g_strdup ("Herald Sandbox");
  self->quality_rating = g_strdup ("GREEN");
  self->number_status = g_strdup ("CONNECTED");

  self->sent_delay_ms = 20;
  self->delivered_delay_ms = 40;
  self->read_delay_ms = 60;
  self->send_read = TRUE;
  self->batch_size = 1;
  self->webhook_retries = 3;
  self->retry_delay_ms = 100;

  self->recipient_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->fail_after_sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->undeliverable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_template_free);
  self->number_windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                free_window);
  self->pair_last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->reached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->reached_order);
  self->callback_data_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->recipients_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->per_second = g_array_new (FALSE, TRUE, sizeof (guint));
  /* No free function: on_flush moves statuses out of the sequence. */
  self->pending = g_sequence_new (NULL);
  self->timers = g_ptr_array_new_with_free_func (destroy_timer);
  self->retrying = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) sim_delivery_free, NULL);
}

HeraldSimServer *
herald_sim_server_new (const char *token)
{
  return g_object_new (HERALD_TYPE_SIM_SERVER, "token", token, NULL);
}

gboolean
herald_sim_server_listen (HeraldSimServer  *self,
                          guint             port,
                          GError          **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetSocketAddress) local = NULL;

  g_return_val_if_fail (HERALD_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  /* A long accept queue takes a benchmark's burst of connections. */
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) port);
  self->server = soup_server_new ("server-header", "herald-sim ", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
  local = herald_http_listen (self->server, address, 1024, error);
  if (local == NULL)
    {
      g_prefix_error (error, _("Cannot listen on 127.0.0.1 port %u: "), port);
      g_clear_object (&self->server);
      return FALSE;
    }

  self->url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (local));
  return TRUE;
}

const char *
herald_sim_server_get_url (HeraldSimServer *self)
{
  g_return_val_if_fail (HERALD_IS_SIM_SERVER (self), NULL);

  return self->url;
}

/* NAME:LANG:N_BODY_PARAMS[:HEADER], HEADER one of text, image, video,
 * document: an APPROVED template with a body of N positional variables. It
 * goes through HeraldTemplate's create request, as Herald's own would. */
gboolean
herald_sim_server_add_template (HeraldSimServer  *self,
                                const char       *spec,
                                GError          **error)
{
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(GString) body = g_string_new ("Hello from the Herald sandbox.");
  g_autoptr(JsonNode) request = NULL;
  g_auto(GStrv) parts = NULL;
  HeraldHeaderType header = HERALD_HEADER_NONE;
  guint64 n_params = 0;

  g_return_val_if_fail (HERALD_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  parts = g_strsplit (spec, ":", -1);
  if (g_strv_length (parts) < 3 || g_strv_length (parts) > 4 ||
      !g_ascii_string_to_unsigned (parts[2], 10, 0, 100, &n_params, NULL) ||
      (parts[3] != NULL && (!herald_header_type_from_string (parts[3], &header) || header == HERALD_HEADER_NONE)))
    {
      g_set_error (error, HERALD_SIM_ERROR, HERALD_SIM_ERROR_INVALID_TEMPLATE,
                   _("“%s” is not NAME:LANG:N_BODY_PARAMS[:HEADER] (HEADER: text, image, video or document)"),
                   spec);
      return FALSE;
    }

  /* Meta rejects variables that touch, start or end the text, or that are
   * too many for its length: each gets words of its own. */
  for (guint i = 1; i <= n_params; i++)
    g_string_append_printf (body, " Detail number %u is {{%u}} here.", i, i);
  g_string_append (body, " Thank you.");

  herald_template_set_name (template, parts[0]);
  herald_template_set_language (template, parts[1]);
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_MARKETING);
  herald_template_set_body (template, body->str);
  herald_template_set_header_type (template, header);
  if (header == HERALD_HEADER_TEXT)
    herald_template_set_header_content (template, "News for you: {{1}} today");

  request = herald_template_to_meta_create_request (template, error);
  if (request == NULL)
    return FALSE;

  return add_template_json (self, json_node_get_object (request), "APPROVED", self->waba_id, error) != NULL;
}
