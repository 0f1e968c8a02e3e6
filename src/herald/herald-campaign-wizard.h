/* herald-campaign-wizard.h: the new-campaign flow
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_TYPE_CAMPAIGN_WIZARD (herald_campaign_wizard_get_type ())

G_DECLARE_FINAL_TYPE (HeraldCampaignWizard, herald_campaign_wizard, HERALD, CAMPAIGN_WIZARD, AdwWindow)

/* Steps: "number", "template", "audience", "variables", "preflight". The
 * campaign is created when the pre-flight step opens (it is cancelled if
 * the user goes back); "Send" emits created (gint64 campaign_id) and closes. */
HeraldCampaignWizard *herald_campaign_wizard_new            (HeraldStoreWorker    *worker);
const char           *herald_campaign_wizard_get_step       (HeraldCampaignWizard *self);
/* Whether the current step has loaded and may go on. */
gboolean              herald_campaign_wizard_get_busy       (HeraldCampaignWizard *self);
gboolean              herald_campaign_wizard_can_go_next    (HeraldCampaignWizard *self);
void                  herald_campaign_wizard_go_next        (HeraldCampaignWizard *self);
void                  herald_campaign_wizard_go_back        (HeraldCampaignWizard *self);
/* Choices, by id (tests and "send again" flows). */
gboolean              herald_campaign_wizard_select_number   (HeraldCampaignWizard *self,
                                                              gint64                number_id);
gboolean              herald_campaign_wizard_select_template (HeraldCampaignWizard *self,
                                                              gint64                template_id);
/* The campaign made for the pre-flight step, or 0. */
gint64                herald_campaign_wizard_get_campaign_id (HeraldCampaignWizard *self);
/* The pre-flight figures shown, for people ("50 recipients"…). */
const char           *herald_campaign_wizard_get_preflight_summary (HeraldCampaignWizard *self);

G_END_DECLS
