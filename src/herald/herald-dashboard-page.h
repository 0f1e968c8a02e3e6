/* herald-dashboard-page.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-overview.h"
#include "herald-page.h"

G_BEGIN_DECLS

#define HERALD_TYPE_DASHBOARD_PAGE (herald_dashboard_page_get_type ())

G_DECLARE_FINAL_TYPE (HeraldDashboardPage, herald_dashboard_page, HERALD, DASHBOARD_PAGE, HeraldPage)

/* How many campaigns the dashboard lists. */
#define HERALD_DASHBOARD_RECENT_CAMPAIGNS 5

/* What is shown: "loading"; "empty" (nothing saved yet: the welcome and the
 * first-run checklist); "overview". */
const char           *herald_dashboard_page_get_state    (HeraldDashboardPage *self);
/* What the page last read; NULL while loading the first time. */
const HeraldOverview *herald_dashboard_page_get_overview (HeraldDashboardPage *self);

G_END_DECLS
