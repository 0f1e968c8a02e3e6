/* herald-activity-page.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-feed.h"
#include "herald-page.h"

G_BEGIN_DECLS

#define HERALD_TYPE_ACTIVITY_PAGE (herald_activity_page_get_type ())

G_DECLARE_FINAL_TYPE (HeraldActivityPage, herald_activity_page, HERALD, ACTIVITY_PAGE, HeraldPage)

/* Events are read this many at a time, newest first. */
#define HERALD_ACTIVITY_PAGE_SIZE 50

/* The webhook events shown (HeraldActivityEvent), newest first. */
GListModel *herald_activity_page_get_model      (HeraldActivityPage *self);
/* What is shown: "loading", "empty" or "list". */
const char *herald_activity_page_get_state      (HeraldActivityPage *self);
/* Reads the next older page (herald_page_reload () reads the newest). */
void        herald_activity_page_load_more      (HeraldActivityPage *self);
/* The relay poller whose health the page shows, or NULL for none; the
 * window's page follows the application's. */
void        herald_activity_page_set_feed       (HeraldActivityPage *self,
                                                 HeraldFeed         *feed);
/* The relay's health as the page words it, for tests. */
const char *herald_activity_page_get_relay_text (HeraldActivityPage *self);

G_END_DECLS
