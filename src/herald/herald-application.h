/* herald-application.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-feed.h"
#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_TYPE_APPLICATION (herald_application_get_type ())

G_DECLARE_FINAL_TYPE (HeraldApplication, herald_application, HERALD, APPLICATION, AdwApplication)

HeraldApplication *herald_application_new        (void);
/* The one store worker every window and page shares. */
HeraldStoreWorker *herald_application_get_worker (HeraldApplication *self);
GSettings         *herald_application_get_settings (HeraldApplication *self);
/* The relay poller, running while a relay URL (settings), its feed token and
 * the app secret (keyring) are set; NULL otherwise. Notifies "feed". */
HeraldFeed        *herald_application_get_feed   (HeraldApplication *self);

G_END_DECLS
