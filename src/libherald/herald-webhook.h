/* herald-webhook.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "herald-types.h"

G_BEGIN_DECLS

#define HERALD_WEBHOOK_ERROR (herald_webhook_error_quark ())

typedef enum
{
  /* Not JSON at all, or nested deeper than any notification from Meta. */
  HERALD_WEBHOOK_ERROR_INVALID_JSON,
  /* JSON, but not a WhatsApp Business Account notification: the root is not
   * an object, "object" names another product, or "entry" is not an array. */
  HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
} HeraldWebhookError;

GQuark herald_webhook_error_quark (void);

/* Meta signs each webhook POST with HMAC-SHA256 of the raw body, keyed by the
 * app secret, and sends it as "X-Hub-Signature-256: sha256=<64 lowercase hex>". */
char     *herald_webhook_compute_signature (const char   *app_secret,
                                            const guint8 *body,
                                            gsize         body_len);
gboolean  herald_webhook_verify_signature  (const char   *app_secret,
                                            const guint8 *body,
                                            gsize         body_len,
                                            const char   *header_value);

typedef enum
{
  /* value.statuses[]: a sent message was sent, delivered, read or failed. */
  HERALD_WEBHOOK_UPDATE_STATUS,
  /* value.messages[]: a contact wrote to the business (or tapped a button). */
  HERALD_WEBHOOK_UPDATE_INBOUND,
  /* field "message_template_status_update": Meta reviewed or paused a template. */
  HERALD_WEBHOOK_UPDATE_TEMPLATE_STATUS,
  /* value.errors[]: an error not tied to one message. */
  HERALD_WEBHOOK_UPDATE_ERROR,
  /* One item with wrong or missing fields, skipped; the rest of the batch is
   * still parsed. @problem says where and what. */
  HERALD_WEBHOOK_UPDATE_MALFORMED,
} HeraldWebhookUpdateKind;

/* One update from a notification. Fields that do not apply to the kind, or
 * that Meta left out, are NULL (strings) or 0. Treat it as read-only. */
typedef struct
{
  HeraldWebhookUpdateKind kind;

  /* All kinds: entry[].id, the WhatsApp Business Account id. */
  char *waba_id;
  /* STATUS, INBOUND, ERROR: value.metadata.phone_number_id. */
  char *phone_number_id;
  /* STATUS, INBOUND: the webhook's own "timestamp" (Unix seconds).
   * TEMPLATE_STATUS: entry[].time if present. */
  gint64 timestamp;

  /* STATUS and INBOUND: the message's wamid ("id"). */
  char *wamid;

  /* STATUS */
  char *status_name;               /* as Meta wrote it, e.g. "delivered" */
  gboolean status_known;           /* FALSE for a status Herald does not know */
  HeraldMessageStatus status;      /* "played" counts as READ; PENDING if unknown */
  char *recipient_id;
  char *biz_opaque_callback_data;

  /* STATUS (failed), INBOUND (unsupported), ERROR: the first entry of errors[]. */
  gboolean has_error;
  gint64 error_code;
  char *error_title;
  char *error_message;
  char *error_details;             /* error_data.details */

  /* INBOUND */
  char *from;
  char *profile_name;              /* value.contacts[].profile.name of the sender */
  char *message_type;              /* "text", "button", "interactive", "image", … */
  char *text;                      /* text.body */
  char *button_payload;            /* button.payload (template quick reply) */
  char *button_text;               /* button.text */
  char *interactive_id;            /* interactive.button_reply/list_reply.id */
  char *interactive_title;         /* interactive.button_reply/list_reply.title */
  char *context_wamid;             /* context.id: the message replied to */

  /* TEMPLATE_STATUS */
  char *template_event;            /* "APPROVED", "REJECTED", "PAUSED", … */
  char *template_id;               /* message_template_id, in decimal */
  char *template_name;
  char *template_language;         /* "en-US" is normalised to "en_US" */
  char *template_reason;           /* NULL when Meta sent null or nothing */

  /* MALFORMED: e.g. "entry[0].changes[1].value.statuses[3]: “timestamp” is not a string" */
  char *problem;
} HeraldWebhookUpdate;

#define HERALD_TYPE_WEBHOOK_UPDATE (herald_webhook_update_get_type ())

GType                herald_webhook_update_get_type (void) G_GNUC_CONST;
HeraldWebhookUpdate *herald_webhook_update_copy     (const HeraldWebhookUpdate *update);
void                 herald_webhook_update_free     (HeraldWebhookUpdate       *update);

/* A GError only when the body cannot be a notification (see HeraldWebhookError);
 * a bad item inside it becomes one MALFORMED update and the rest are read. */
GPtrArray           *herald_webhook_parse           (const guint8              *body,
                                                     gsize                      body_len,
                                                     GError                   **error);

/* A translated plain reason for a Cloud API error code, or NULL if none. */
const char          *herald_webhook_describe_error_code (gint64 code);

/* Opt-out: the text, quick-reply payload or label, or interactive reply is one
 * of the words on its own (case, accents and surrounding punctuation ignored);
 * NULL words means the defaults. */
const char * const  *herald_webhook_get_default_opt_out_words (void);
gboolean             herald_webhook_is_opt_out      (const HeraldWebhookUpdate *inbound,
                                                     const char * const        *opt_out_words);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldWebhookUpdate, herald_webhook_update_free)

G_END_DECLS
