/* herald-templates-cloud.h: the Templates page's talks with Meta, off the main thread
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-cloud-sync.h"
#include "herald-store-worker.h"

G_BEGIN_DECLS

/* Each picks a number (@phone_number_id's, or when NULL the profile's
 * number, else the first active real one, else the Sandbox), then reaches
 * its Cloud API the one way herald_sandbox_access_for_number () says: for
 * the Sandbox number the in-app sim, its in-memory token and its own
 * business account (HERALD_SANDBOX_WABA_ID); for any other the business
 * profile's WhatsApp Business ID, the keyring's token and $HERALD_API_BASE,
 * else Meta's. The Cloud API calls and the store step run on the store
 * worker's thread. Meta's answers go to a template's status and Meta id;
 * the Sandbox's only to its sandbox_status (herald-template.h), so nothing
 * the Sandbox reviewed reads as approved by Meta. A Sandbox sync updates
 * the sandbox_status of the templates the store has (by name and language)
 * and adds none. Errors name what the user has to set up. */
void     herald_templates_cloud_sync_async    (HeraldStoreWorker          *worker,
                                               const char                 *phone_number_id,
                                               GCancellable               *cancellable,
                                               GAsyncReadyCallback         callback,
                                               gpointer                    user_data);
gboolean herald_templates_cloud_sync_finish   (HeraldStoreWorker          *worker,
                                               GAsyncResult               *result,
                                               HeraldTemplateSyncSummary  *summary,
                                               GError                    **error);

/* @template must be saved (id set); on success it is PENDING (or what Meta
 * answered) with Meta's id, in the store and on @template; submitted to the
 * Sandbox, its sandbox_status is, and its status and Meta id are as they
 * were. */
void     herald_templates_cloud_submit_async  (HeraldStoreWorker          *worker,
                                               HeraldTemplate             *template,
                                               GCancellable               *cancellable,
                                               GAsyncReadyCallback         callback,
                                               gpointer                    user_data);
gboolean herald_templates_cloud_submit_finish (HeraldStoreWorker          *worker,
                                               GAsyncResult               *result,
                                               GError                    **error);

G_END_DECLS
