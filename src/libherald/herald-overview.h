/* herald-overview.h: what the dashboard shows, read in one go
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64     n_contacts;            /* active or not, opted out or not */
  gint64     n_approved_templates;
  gint64     n_templates;           /* any status */
  gint64     n_numbers;             /* active or not */
  gint64     n_campaigns;
  GPtrArray *recent_campaigns;      /* HeraldCampaign, newest first */
} HeraldOverview;

void            herald_overview_free (HeraldOverview *overview);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldOverview, herald_overview_free)

/* The counts, and the @max_campaigns newest campaigns. */
HeraldOverview *herald_overview_load (HeraldStore  *store,
                                      guint         max_campaigns,
                                      GError      **error);

G_END_DECLS
