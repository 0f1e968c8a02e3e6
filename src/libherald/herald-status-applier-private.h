/* herald-status-applier-private.h: the one forward-only status move,
 * shared with the sender
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "herald-store-private.h"
#include "herald-types.h"

G_BEGIN_DECLS

/* One status for one message_logs row: from a status webhook, or SENT from
 * Meta's answer to the send. Strings are borrowed. */
typedef struct
{
  gint64               message_log_id;
  HeraldMessageStatus  status;         /* SENT, DELIVERED, READ or FAILED */
  const char          *at;             /* when it happened (the webhook's timestamp), as stored */
  const char          *now;            /* updated_at */
  const char          *wa_message_id;  /* recorded when the row has none; may be NULL */
  const char          *wa_id;          /* likewise */
  gboolean             has_error_code; /* FAILED: error_code, else NULL */
  gint64               error_code;
  const char          *error_message;  /* FAILED: the reason */
} HeraldStatusChange;

/* The only place a message moves forward: PENDING → SENT → DELIVERED →
 * READ, FAILED from any state before READ; a duplicate or late status
 * changes nothing; every status but FAILED implies sent_at, READ implies
 * delivered_at. The ids are recorded even when the status is late. Runs one
 * statement on @store's connection (the caller holds the transaction);
 * *@changed says whether the row changed. */
gboolean _herald_status_change_apply (HeraldStore               *store,
                                      const HeraldStatusChange  *change,
                                      gboolean                  *changed,
                                      GError                   **error);

G_END_DECLS
