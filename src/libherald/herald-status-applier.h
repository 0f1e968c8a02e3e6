/* herald-status-applier.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-store.h"

G_BEGIN_DECLS

/* settings key: the opt-out words, separated by commas ("STOP, UNSUBSCRIBE");
 * unset means herald_webhook_get_default_opt_out_words (). */
#define HERALD_SETTING_OPT_OUT_WORDS "opt-out-words"

/* One webhook POST as the relay kept it (architecture.md, relay protocol). */
typedef struct
{
  gint64  relay_seq;
  char   *received_at;   /* ISO-8601, or NULL */
  char   *signature;     /* X-Hub-Signature-256 as received, or NULL */
  GBytes *body;
} HeraldRelayPayload;

HeraldRelayPayload *herald_relay_payload_new  (gint64              relay_seq,
                                               const char         *received_at,
                                               const char         *signature,
                                               GBytes             *body);
void                herald_relay_payload_free (HeraldRelayPayload *payload);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldRelayPayload, herald_relay_payload_free)

/* What one call recorded and applied; add up over calls. */
typedef struct
{
  guint payloads;    /* payloads recorded in webhook_events */
  guint duplicates;  /* payloads skipped: that relay seq was recorded before */
  guint rejected;    /* payloads kept unapplied: bad signature, not a notification */
  guint statuses;    /* status updates recorded */
  guint applied;     /* statuses that moved a message forward */
  guint unchanged;   /* duplicate or late statuses: nothing to change */
  guint pending;     /* statuses for a message not recorded yet, kept for later */
  guint settled;     /* statuses kept earlier, applied now that their message is known */
  guint inbound;     /* inbound messages recorded */
  guint opted_out;   /* contacts opted out by an inbound opt-out word */
  guint templates;   /* template status updates applied */
  char *problem;     /* why the last rejected payload was rejected, or NULL */
} HeraldApplyReport;

void herald_apply_report_clear (HeraldApplyReport *report);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HeraldApplyReport, herald_apply_report_clear)

#define HERALD_TYPE_STATUS_APPLIER (herald_status_applier_get_type ())

G_DECLARE_FINAL_TYPE (HeraldStatusApplier, herald_status_applier, HERALD, STATUS_APPLIER, GObject)

/* Records webhooks and applies them; statuses move messages forward through
 * _herald_status_change_apply (), the one rule the sender uses too. It uses
 * @store's connection, on the thread that uses @store. Each call runs in one
 * transaction, or inside the caller's when one is open (so that the feed
 * commits its cursor with the events). */
HeraldStatusApplier *herald_status_applier_new              (HeraldStore          *store);
HeraldStore         *herald_status_applier_get_store        (HeraldStatusApplier  *self);

/* Relay events from the relay at @relay_url: each one's signature is
 * checked with @app_secret first; one that fails (or any, when @app_secret
 * is NULL) is kept in webhook_events, unapplied, with the reason. A seq of
 * that relay recorded before is skipped, so nothing is applied twice; another
 * relay's seqs are its own. */
gboolean             herald_status_applier_apply_relay      (HeraldStatusApplier  *self,
                                                             const char           *relay_url,
                                                             GPtrArray            *payloads,
                                                             const char           *app_secret,
                                                             HeraldApplyReport    *report,
                                                             GError              **error);

/* One raw payload from the operator (a file, stdin): trusted, no signature
 * needed. A body that is not a notification is kept with the reason and
 * counted in report->rejected. */
gboolean             herald_status_applier_ingest           (HeraldStatusApplier  *self,
                                                             const guint8         *body,
                                                             gsize                 body_len,
                                                             HeraldApplyReport    *report,
                                                             GError              **error);

/* Applies the kept statuses whose message now has its wamid recorded. The
 * campaign engine calls it after recording wamids; every apply call above
 * also does it at its end. */
gboolean             herald_status_applier_apply_pending    (HeraldStatusApplier  *self,
                                                             HeraldApplyReport    *report,
                                                             GError              **error);

/* Tries every unprocessed event again, after a fix: relay payloads are
 * verified again with @app_secret (NULL leaves them as they are), kept
 * statuses, template updates and the rest are applied again. */
gboolean             herald_status_applier_reprocess        (HeraldStatusApplier  *self,
                                                             const char           *app_secret,
                                                             HeraldApplyReport    *report,
                                                             GError              **error);

/* One row of webhook_events, without its payload. */
typedef struct
{
  gint64   id;
  char    *event_type;    /* "notification", "message_delivered", … */
  char    *wa_message_id; /* "" when the event names no message */
  gboolean processed;
  char    *processed_at;
  char    *created_at;
  gint64   relay_seq;     /* 0 when not from the relay */
  char    *error;         /* why it is not (fully) applied, or NULL */
} HeraldWebhookEvent;

void herald_webhook_event_free (HeraldWebhookEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldWebhookEvent, herald_webhook_event_free)

/* Up to @limit events with an id above @after_id, oldest first (keyset
 * paging); only unprocessed ones with @unprocessed_only. */
GPtrArray           *herald_status_applier_list_events      (HeraldStatusApplier  *self,
                                                             gboolean              unprocessed_only,
                                                             gint64                after_id,
                                                             guint                 limit,
                                                             GError              **error);

G_END_DECLS
