/* herald-funnel-chart.h: sent → delivered → read over time, and failures
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "herald-message-log.h"

G_BEGIN_DECLS

#define HERALD_TYPE_FUNNEL_CHART (herald_funnel_chart_get_type ())

G_DECLARE_FINAL_TYPE (HeraldFunnelChart, herald_funnel_chart, HERALD, FUNNEL_CHART, GtkWidget)

GtkWidget *herald_funnel_chart_new          (void);
/* Takes a copy; NULL clears the chart. */
void       herald_funnel_chart_set_timeline (HeraldFunnelChart           *self,
                                             const HeraldMessageTimeline *timeline);
guint      herald_funnel_chart_get_n_buckets (HeraldFunnelChart          *self);

G_END_DECLS
