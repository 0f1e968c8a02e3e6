/* herald-campaign-view.h: one campaign's dashboard
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-message-log-model.h"
#include "herald-sender.h"
#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_TYPE_CAMPAIGN_VIEW (herald_campaign_view_get_type ())

G_DECLARE_FINAL_TYPE (HeraldCampaignView, herald_campaign_view, HERALD, CAMPAIGN_VIEW, GtkWidget)

/* Construct properties: worker, campaign-id. Signals: finished
 * (HeraldCampaignStatus), when a run this view started ends; loaded (), each
 * time the campaign was read from the store and shown. Actions: campaign.start,
 * .pause, .resume, .cancel, .retry-failed, .retry-in-doubt, .drop-in-doubt,
 * .export (asks where), .export-to (s: the file's URI). The view runs its campaign's HeraldSender, so keep it alive while
 * the campaign is sending. */
HeraldCampaignView    *herald_campaign_view_new               (HeraldStoreWorker  *worker,
                                                               gint64              campaign_id);
gint64                 herald_campaign_view_get_campaign_id   (HeraldCampaignView *self);
HeraldMessageLogModel *herald_campaign_view_get_log_model     (HeraldCampaignView *self);
/* The running sender, or NULL. */
HeraldSender          *herald_campaign_view_get_sender        (HeraldCampaignView *self);
HeraldCampaignStatus   herald_campaign_view_get_status        (HeraldCampaignView *self);
/* Reads the campaign, its failures and its chart again. */
void                   herald_campaign_view_reload            (HeraldCampaignView *self);
gboolean               herald_campaign_view_get_loading       (HeraldCampaignView *self);
/* Shows the message log, scrolled to @fraction (0 top, 1 end). */
void                   herald_campaign_view_show_messages     (HeraldCampaignView *self,
                                                               double              fraction);
/* The label showing a counter: "sent", "delivered", "read" or "failed". */
GtkLabel              *herald_campaign_view_get_counter_label (HeraldCampaignView *self,
                                                               const char         *counter);

G_END_DECLS
