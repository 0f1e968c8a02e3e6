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

/* Up to @limit events older than @before_id (0: from the newest), newest
 * first, by keyset on the id. (element-type HeraldActivityEvent) */
GPtrArray  *herald_activity_event_list              (HeraldStore        *store,
                                                    gint64              before_id,
                                                    guint               limit,
                                                    GError            **error);

G_END_DECLS
