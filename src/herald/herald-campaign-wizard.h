/* herald-campaign-wizard.h: the new-campaign flow
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-contact-chooser.h"
#include "herald-import-dialog.h"
#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_TYPE_CAMPAIGN_WIZARD (herald_campaign_wizard_get_type ())

G_DECLARE_FINAL_TYPE (HeraldCampaignWizard, herald_campaign_wizard, HERALD, CAMPAIGN_WIZARD, AdwWindow)

/* Steps: "number", "template", "audience", "variables", "preflight".
 * Nothing is written before "Send": pre-flight figures and the test send
 * come from a campaign created in a transaction that is rolled back, so
 * Back or Close leave no campaign. "Send" creates it, emits created
 * (gint64 campaign_id) and closes. */
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
/* The campaign "Send" created, or 0 before. */
gint64                herald_campaign_wizard_get_campaign_id (HeraldCampaignWizard *self);
/* The pre-flight figures shown, for people ("50 recipients"…). */
const char           *herald_campaign_wizard_get_preflight_summary (HeraldCampaignWizard *self);

/* The audience step: "all" (active contacts who have not opted out),
 * "chosen" (picked in a HeraldContactChooser) or "imported" (the contacts a
 * CSV import created or updated: as the import report has no ids, those
 * created or updated since the import dialog opened). */
const char           *herald_campaign_wizard_get_audience    (HeraldCampaignWizard *self);
void                  herald_campaign_wizard_set_audience_all (HeraldCampaignWizard *self);
HeraldContactChooser *herald_campaign_wizard_choose_contacts (HeraldCampaignWizard *self);
HeraldImportDialog   *herald_campaign_wizard_import_csv      (HeraldCampaignWizard *self,
                                                              GFile                *file);
/* The store timestamp an "imported" audience starts at, or NULL. */
const char           *herald_campaign_wizard_get_changed_since (HeraldCampaignWizard *self);

/* The variables step: per variable, the bindings offered (contact fields,
 * "attr:KEY" for each custom attribute the audience has, "=" for fixed
 * text), the one chosen, and the preview for one of a few recipients. */
GStrv                 herald_campaign_wizard_get_binding_choices (HeraldCampaignWizard *self,
                                                                  const char           *variable);
/* @binding as for herald_campaign_spec_bind (): "name", "attr:KEY", "=TEXT". */
gboolean              herald_campaign_wizard_set_binding     (HeraldCampaignWizard *self,
                                                              const char           *variable,
                                                              const char           *binding);
guint                 herald_campaign_wizard_get_n_preview_recipients (HeraldCampaignWizard *self);
void                  herald_campaign_wizard_set_preview_recipient    (HeraldCampaignWizard *self,
                                                                       guint                 index);
/* The body as the chosen recipient reads it; NULL while a variable is empty. */
const char           *herald_campaign_wizard_get_preview_text (HeraldCampaignWizard *self);

G_END_DECLS
