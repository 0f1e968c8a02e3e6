/* herald-campaigns-page.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-campaign-view.h"
#include "herald-campaign-wizard.h"
#include "herald-page.h"

G_BEGIN_DECLS

#define HERALD_TYPE_CAMPAIGNS_PAGE (herald_campaigns_page_get_type ())

G_DECLARE_FINAL_TYPE (HeraldCampaignsPage, herald_campaigns_page, HERALD, CAMPAIGNS_PAGE, HeraldPage)

/* The campaigns, newest first, with their status and progress; one
 * campaign's dashboard; the new-campaign flow. Actions: campaigns.new,
 * campaigns.show ("x": a campaign id), campaigns.show-list,
 * campaigns.try-sandbox. A campaign that finishes
 * while the window is in the background is announced by a notification. */
/* What is shown: "loading", "empty", "list" or "campaign". */
const char           *herald_campaigns_page_get_state     (HeraldCampaignsPage *self);
guint                 herald_campaigns_page_get_n_campaigns (HeraldCampaignsPage *self);
HeraldCampaignView   *herald_campaigns_page_show_campaign (HeraldCampaignsPage *self,
                                                           gint64               campaign_id);
HeraldCampaignWizard *herald_campaigns_page_open_wizard   (HeraldCampaignsPage *self);

G_END_DECLS
