/* herald-activity-event.h: the webhook events Herald recorded, newest first
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-store.h"

G_BEGIN_DECLS

#define HERALD_TYPE_ACTIVITY_EVENT (herald_activity_event_get_type ())

G_DECLARE_FINAL_TYPE (HeraldActivityEvent, herald_activity_event, HERALD, ACTIVITY_EVENT, GObject)

/* A snapshot of one webhook_events row, without its payload (read-only
 * properties of the same names), as a GObject for the Activity page's list
 * model. (herald-status-applier.h has the plain struct, oldest first.) */
gint64      herald_activity_event_get_id            (HeraldActivityEvent *self);
const char *herald_activity_event_get_event_type    (HeraldActivityEvent *self);
/* NULL for events that name no message. */
const char *herald_activity_event_get_wa_message_id (HeraldActivityEvent *self);
gboolean    herald_activity_event_get_processed     (HeraldActivityEvent *self);
/* Why it was not applied, or NULL. */
const char *herald_activity_event_get_error         (HeraldActivityEvent *self);
const char *herald_activity_event_get_created_at    (HeraldActivityEvent *self);
/* Meta's id of the number the event is about (the payload's
 * entry[0].changes[0].value.metadata.phone_number_id), or NULL for events
 * that name none: template status updates are about the business account. */
const char *herald_activity_event_get_phone_number_id (HeraldActivityEvent *self);
/* From the Sandbox: its number (is_sandbox in whatsapp_numbers) or, for
 * events that name no number, its business account. Never TRUE for a real
 * number's event. */
gboolean    herald_activity_event_get_is_sandbox    (HeraldActivityEvent *self);

/* Up to @limit events older than @before_id (0: from the newest), newest
 * first, by keyset on the id. (element-type HeraldActivityEvent) */
GPtrArray  *herald_activity_event_list              (HeraldStore        *store,
                                                    gint64              before_id,
                                                    guint               limit,
                                                    GError            **error);

/* The raw payload of event @id as recorded (a webhook body, or one update
 * in Meta's shape; not necessarily JSON), kept out of the list to keep its
 * pages small. The X-Hub-Signature-256 header is kept apart and is not in
 * it. HERALD_STORE_ERROR_NOT_FOUND when there is no such event. */
char       *herald_activity_event_load_payload      (HeraldStore        *store,
                                                    gint64              id,
                                                    GError            **error);

G_END_DECLS
