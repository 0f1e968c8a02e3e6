/* herald-window.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-application.h"

G_BEGIN_DECLS

/*
 * How the window is put together (for whoever writes a page):
 *
 * - The application owns one HeraldStoreWorker (herald_application_get_worker ()),
 *   created at startup on $HERALD_DB, or on the default database when unset.
 *   It runs every store call on one worker thread: pages never touch SQLite or
 *   the network on the main thread, and hold no SQL and no HTTP themselves.
 * - Each page is a HeraldPage (herald-page.h: HeraldContactsPage,
 *   HeraldTemplatesPage, HeraldCampaignsPage, …) with its construct-only
 *   property "worker" (HeraldStoreWorker) set by the window, and sits in the window's
 *   AdwViewStack under a stable name: dashboard, campaigns, contacts,
 *   templates, numbers, activity. The sidebar follows the stack.
 * - Results go to toasts: gtk_widget_activate_action (widget, "win.toast", "s",
 *   _("Contact saved")), or herald_window_add_toast (). Errors from the core
 *   carry their message (it names the field): show it on the field in forms
 *   (herald_ui_show_form_error ()), in a toast otherwise (herald_page_run ()).
 *   Destructive actions ask first (herald_ui_confirm ()).
 * - "win.show-page" ("s") switches to a page by name, and
 *   "win.show-campaign" ("x") to a campaign's dashboard; folded, the window
 *   then shows the content rather than the page list.
 */

#define HERALD_TYPE_WINDOW (herald_window_get_type ())

G_DECLARE_FINAL_TYPE (HeraldWindow, herald_window, HERALD, WINDOW, AdwApplicationWindow)

HeraldWindow *herald_window_new           (HeraldApplication *application);
void          herald_window_add_toast     (HeraldWindow      *self,
                                           AdwToast          *toast);
void          herald_window_show_page     (HeraldWindow      *self,
                                           const char        *name);
/* Shows the campaigns page with @campaign_id's dashboard. */
void          herald_window_show_campaign (HeraldWindow      *self,
                                           gint64             campaign_id);
const char   *herald_window_get_page_name (HeraldWindow      *self);
GtkWidget    *herald_window_get_page      (HeraldWindow      *self,
                                           const char        *name);

G_END_DECLS
