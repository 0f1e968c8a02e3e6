/* herald-campaign-private.h: what the campaign module shares inside libherald
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "herald-campaign.h"

G_BEGIN_DECLS

/* The message parameters stored in message_logs. */
HeraldMessageParams *_herald_campaign_params_from_json     (const char      *parameters,
                                                            const char      *header_media);
char                *_herald_campaign_get_header_media     (HeraldCampaign  *self);

/* Completes every PAUSED campaign with no PENDING message left: one left
 * paused because messages were in doubt, once webhooks settled the last of
 * them. Runs in the caller's transaction; @now is completed_at. */
gboolean             _herald_campaign_complete_settled     (HeraldStore     *store,
                                                            const char      *now,
                                                            GError         **error);

G_END_DECLS
