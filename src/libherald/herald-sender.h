/* herald-sender.h: runs one campaign
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-types.h"

G_BEGIN_DECLS

#define HERALD_SENDER_ERROR (herald_sender_error_quark ())

typedef enum
{
  HERALD_SENDER_ERROR_BUSY,    /* already running */
  HERALD_SENDER_ERROR_FAILED,  /* the campaign could not go on (see the message) */
} HeraldSenderError;

GQuark herald_sender_error_quark (void);

#define HERALD_TYPE_SENDER (herald_sender_get_type ())

G_DECLARE_FINAL_TYPE (HeraldSender, herald_sender, HERALD, SENDER, GObject)

/* The sender works in a thread of its own, with its own connection to the
 * database at @db_path and its own HTTP session; its properties change and
 * its signals are emitted on the main context of the thread that made it.
 *
 * Properties (read-only unless noted): campaign-id; state (a
 * HeraldCampaignStatus); total, sent, delivered, read, failed (the campaign's
 * counters), in-doubt, pending (still to send), in-flight; current-rate
 * (messages per second it paces at now); paused-reason. Settable before
 * running: api-base (NULL: Meta), access-token (NULL: the keyring's for the
 * campaign's number), rate (0: the number's messages_per_second),
 * max-in-flight, max-retries, backoff-scale (tests shorten waits with it),
 * stop-when-paused (the CLI ends the run on a pause).
 *
 * Signals: progress (), emitted at most ten times a second; paused (const
 * char *reason); finished (HeraldCampaignStatus). */
HeraldSender *herald_sender_new               (const char           *db_path,
                                               gint64                campaign_id);

gint64        herald_sender_get_campaign_id   (HeraldSender         *self);
HeraldCampaignStatus herald_sender_get_state  (HeraldSender         *self);
gint64        herald_sender_get_total         (HeraldSender         *self);
gint64        herald_sender_get_sent          (HeraldSender         *self);
gint64        herald_sender_get_delivered     (HeraldSender         *self);
gint64        herald_sender_get_read          (HeraldSender         *self);
gint64        herald_sender_get_failed        (HeraldSender         *self);
gint64        herald_sender_get_in_doubt      (HeraldSender         *self);
gint64        herald_sender_get_pending       (HeraldSender         *self);
guint         herald_sender_get_in_flight     (HeraldSender         *self);
double        herald_sender_get_current_rate  (HeraldSender         *self);
const char   *herald_sender_get_paused_reason (HeraldSender         *self);

/* Sends until every message is settled (COMPLETED), the campaign is
 * cancelled, fails, or, with stop-when-paused, pauses. Messages left in
 * doubt end the run PAUSED with a reason. @status gets the campaign's status
 * at the end; an error means the campaign could not go on (it is FAILED). */
void          herald_sender_run_async         (HeraldSender         *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean      herald_sender_run_finish        (HeraldSender         *self,
                                               GAsyncResult         *result,
                                               HeraldCampaignStatus *status,
                                               GError              **error);

/* Requests to the running sender; requests in flight finish and are
 * recorded. Another process does the same through herald_campaign_pause ()
 * and friends: the sender reads its campaign's status several times a second. */
void          herald_sender_pause             (HeraldSender         *self);
void          herald_sender_resume            (HeraldSender         *self);
void          herald_sender_cancel            (HeraldSender         *self);

G_END_DECLS
