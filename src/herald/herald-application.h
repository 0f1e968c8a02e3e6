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

/* Actions: app.quit, app.preferences, app.about, and app.sandbox, which sets
 * up the Sandbox (HeraldSandbox: a practice number on an in-app herald-sim),
 * shows the Numbers page and emits "sandbox-ready" (gboolean ok). On the
 * first run without a number it is offered once in a toast (GSettings
 * "sandbox-offered"). HERALD_COLOR_SCHEME=dark|light forces a style. */
HeraldApplication *herald_application_new        (void);
/* The one store worker every window and page shares. */
HeraldStoreWorker *herald_application_get_worker (HeraldApplication *self);
GSettings         *herald_application_get_settings (HeraldApplication *self);
/* The relay poller, running while a relay URL (settings), its feed token and
 * the app secret (keyring) are set; NULL otherwise. Notifies "feed". */
HeraldFeed        *herald_application_get_feed   (HeraldApplication *self);

G_END_DECLS
