/* herald-campaign.h: a campaign row, its creation (audience, variable
 * bindings, report), pre-flight, and the user's actions on its messages
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-cloud-client.h"
#include "herald-store.h"
#include "herald-types.h"

G_BEGIN_DECLS

#define HERALD_CAMPAIGN_ERROR (herald_campaign_error_quark ())

typedef enum
{
  HERALD_CAMPAIGN_ERROR_INVALID,        /* a bad binding, template or number */
  HERALD_CAMPAIGN_ERROR_NOT_FOUND,
  HERALD_CAMPAIGN_ERROR_NO_RECIPIENTS,  /* nobody left to send to */
  HERALD_CAMPAIGN_ERROR_STATE,          /* not possible in the campaign's status */
} HeraldCampaignError;

GQuark herald_campaign_error_quark (void);

/* What to create. Variable bindings (herald_campaign_spec_bind):
 *   "name", "mobile_number", "email", "notes"  a contact field
 *   "attr:KEY"                                 a custom attribute (CSV column)
 *   "=TEXT"                                    this fixed text for everyone
 * One per template variable ("1", "2"… or the named variable, "url.1" for a
 * URL button suffix). The audience is every active contact unless selected. */
typedef struct _HeraldCampaignSpec HeraldCampaignSpec;

HeraldCampaignSpec *herald_campaign_spec_new                   (gint64              number_id,
                                                                gint64              template_id);
void                herald_campaign_spec_free                  (HeraldCampaignSpec *spec);
void                herald_campaign_spec_set_name              (HeraldCampaignSpec *spec,
                                                                const char         *name);
void                herald_campaign_spec_set_header_media      (HeraldCampaignSpec *spec,
                                                                const char         *link);
/* Only these contacts (ids; repeats are left out and counted). */
void                herald_campaign_spec_select_contacts       (HeraldCampaignSpec *spec,
                                                                const gint64       *contact_ids,
                                                                guint               n_contact_ids);
/* Only contacts created or updated at or after @timestamp (as the store
 * writes them): those of a CSV file imported just before. */
void                herald_campaign_spec_select_changed_since  (HeraldCampaignSpec *spec,
                                                                const char         *timestamp);
gboolean            herald_campaign_spec_bind                  (HeraldCampaignSpec *spec,
                                                                const char         *variable,
                                                                const char         *binding,
                                                                GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldCampaignSpec, herald_campaign_spec_free)

/* Who was left out of a new campaign, and why. @fictional counts numbers kept
 * for fiction (herald_phone_is_fictional(), the Sandbox's sample contacts),
 * left out of campaigns on real numbers. @problems holds sentences for people
 * (at most HERALD_CAMPAIGN_REPORT_PROBLEMS_MAX) about recipients left out
 * because a variable would have been empty. */
#define HERALD_CAMPAIGN_REPORT_PROBLEMS_MAX 20

typedef struct
{
  guint      recipients;
  guint      opted_out;
  guint      inactive;
  guint      duplicates;
  guint      missing_values;
  guint      fictional;
  GPtrArray *problems;
} HeraldCampaignReport;

void herald_campaign_report_free (HeraldCampaignReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldCampaignReport, herald_campaign_report_free)

/* What sending will do, before it starts. The messaging limit is the
 * business portfolio's, as Meta applies it: the highest tier among all the
 * numbers in the database, against the unique users all of them messaged
 * in the last 24 h. @messaging_limit is -1 when a number is unlimited or no
 * tier is known (then @over_limit is 0). */
typedef struct
{
  guint64 recipients;       /* messages still to send */
  guint64 in_doubt;         /* claimed by an earlier run, unsettled */
  gint64  messaging_limit;  /* the portfolio's unique users per rolling 24 h */
  guint64 reached_24h;      /* unique users the portfolio messaged in the last 24 h */
  guint64 over_limit;       /* recipients beyond what the limit still allows */
  guint   messages_per_second;
  double  seconds;          /* estimated sending time */
} HeraldCampaignPreflight;

/* One message claimed by a run that never learnt whether Meta took it. */
typedef struct
{
  gint64  id;
  char   *mobile_number;
  char   *contact_name;
  char   *claimed_at;
  char   *error_message;
} HeraldInDoubtMessage;

void herald_in_doubt_message_free (HeraldInDoubtMessage *message);

#define HERALD_TYPE_CAMPAIGN (herald_campaign_get_type ())

G_DECLARE_FINAL_TYPE (HeraldCampaign, herald_campaign, HERALD, CAMPAIGN, GObject)

/* A snapshot of one campaigns row (read-only properties of the same names). */
gint64               herald_campaign_get_id                 (HeraldCampaign *self);
const char          *herald_campaign_get_name               (HeraldCampaign *self);
gint64               herald_campaign_get_number_id          (HeraldCampaign *self);
gint64               herald_campaign_get_template_id        (HeraldCampaign *self);
HeraldCampaignStatus herald_campaign_get_status             (HeraldCampaign *self);
gint64               herald_campaign_get_total_messages     (HeraldCampaign *self);
gint64               herald_campaign_get_sent_count         (HeraldCampaign *self);
gint64               herald_campaign_get_delivered_count    (HeraldCampaign *self);
gint64               herald_campaign_get_read_count         (HeraldCampaign *self);
gint64               herald_campaign_get_failed_count       (HeraldCampaign *self);
const char          *herald_campaign_get_started_at         (HeraldCampaign *self);
const char          *herald_campaign_get_completed_at       (HeraldCampaign *self);
const char          *herald_campaign_get_created_at         (HeraldCampaign *self);
const char          *herald_campaign_get_paused_reason      (HeraldCampaign *self);
const char          *herald_campaign_get_variable_bindings  (HeraldCampaign *self);

/* Writes the campaign and one message_logs row per recipient (rendered
 * text and parameters) in one transaction. */
HeraldCampaign      *herald_campaign_create                 (HeraldStore            *store,
                                                             HeraldCampaignSpec     *spec,
                                                             HeraldCampaignReport  **report,
                                                             GError                **error);
HeraldCampaign      *herald_campaign_load                   (HeraldStore            *store,
                                                             gint64                  id,
                                                             GError                **error);
/* Newest first. (element-type HeraldCampaign) */
GPtrArray           *herald_campaign_list                   (HeraldStore            *store,
                                                             GError                **error);
/* Messages in doubt (claimed, still PENDING). (element-type HeraldInDoubtMessage) */
gint64               herald_campaign_count_in_doubt         (HeraldStore            *store,
                                                             gint64                  id,
                                                             GError                **error);

gboolean             herald_campaign_preflight              (HeraldStore            *store,
                                                             gint64                  id,
                                                             guint                   rate_override,
                                                             HeraldCampaignPreflight *preflight,
                                                             GError                **error);

/* The user's controls; a running HeraldSender notices them within a second.
 * Pause: PENDING/PROCESSING → PAUSED. Resume: PAUSED → PENDING (ready to
 * run). Cancel: anything unfinished → CANCELLED; unsent messages stay PENDING. */
gboolean             herald_campaign_pause                  (HeraldStore            *store,
                                                             gint64                  id,
                                                             GError                **error);
gboolean             herald_campaign_resume                 (HeraldStore            *store,
                                                             gint64                  id,
                                                             GError                **error);
gboolean             herald_campaign_cancel                 (HeraldStore            *store,
                                                             gint64                  id,
                                                             GError                **error);

/* Puts FAILED messages back to PENDING whose reason can change (throttling,
 * server trouble, retries used up; not a bad number); returns how many. */
gint64               herald_campaign_retry_failed           (HeraldStore            *store,
                                                             gint64                  id,
                                                             GError                **error);
GPtrArray           *herald_campaign_list_in_doubt          (HeraldStore            *store,
                                                             gint64                  id,
                                                             GError                **error);
/* @message_ids NULL: all of the campaign's messages in doubt. Retry unclaims
 * them (they will be sent again: the user accepts a possible duplicate);
 * drop marks them FAILED “dropped by you”. Return how many changed. */
gint64               herald_campaign_retry_in_doubt         (HeraldStore            *store,
                                                             gint64                  id,
                                                             GArray                 *message_ids,
                                                             GError                **error);
gint64               herald_campaign_drop_in_doubt          (HeraldStore            *store,
                                                             gint64                  id,
                                                             GArray                 *message_ids,
                                                             GError                **error);

/* The audience's columns (name, mobile number, email, notes, attributes),
 * then status, sent_at, delivered_at, read_at, failed_at, error_code, reason. */
gboolean             herald_campaign_export                 (HeraldStore            *store,
                                                             gint64                  id,
                                                             GFile                  *file,
                                                             GCancellable           *cancellable,
                                                             GError                **error);

/* The campaign's first message, rendered as its recipients get it, sent to
 * @to (E.164) without a callback id. Reads the store synchronously first. */
void                 herald_campaign_test_send_async        (HeraldStore            *store,
                                                             gint64                  id,
                                                             HeraldCloudClient      *client,
                                                             const char             *to,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
HeraldSendResult    *herald_campaign_test_send_finish       (GAsyncResult           *result,
                                                             GError                **error);

G_END_DECLS
