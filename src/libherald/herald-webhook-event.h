/* herald-webhook-event.h: the webhook events Herald recorded, newest first
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-store.h"

G_BEGIN_DECLS

#define HERALD_TYPE_WEBHOOK_EVENT (herald_webhook_event_get_type ())

G_DECLARE_FINAL_TYPE (HeraldWebhookEvent, herald_webhook_event, HERALD, WEBHOOK_EVENT, GObject)

/* A snapshot of one webhook_events row, without its payload (read-only
 * properties of the same names). */
gint64      herald_webhook_event_get_id            (HeraldWebhookEvent *self);
const char *herald_webhook_event_get_event_type    (HeraldWebhookEvent *self);
/* NULL for events that name no message. */
const char *herald_webhook_event_get_wa_message_id (HeraldWebhookEvent *self);
gboolean    herald_webhook_event_get_processed     (HeraldWebhookEvent *self);
/* Why it was not applied, or NULL. */
const char *herald_webhook_event_get_error         (HeraldWebhookEvent *self);
const char *herald_webhook_event_get_created_at    (HeraldWebhookEvent *self);

/* Up to @limit events older than @before_id (0: from the newest), newest
 * first, by keyset on the id. (element-type HeraldWebhookEvent) */
GPtrArray  *herald_webhook_event_list              (HeraldStore        *store,
                                                    gint64              before_id,
                                                    guint               limit,
                                                    GError            **error);

G_END_DECLS
