/* herald-cloud-sync.h: bring the store in line with Meta (templates, number details)
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-cloud-client.h"
#include "herald-store.h"

G_BEGIN_DECLS

/* What a template sync changed in the store. */
typedef struct
{
  guint added;      /* on Meta, not in the store before */
  guint updated;    /* in the store already, now with Meta's content and status */
  guint skipped;    /* Meta's template failed our validation; left out */
} HeraldTemplateSyncSummary;

/* Threads: every function here uses @store on the calling thread, and a
 * HeraldStore belongs to one thread. The _async functions do their store
 * step in the client's callback, on the thread-default main context they
 * were called from; call them from the store's thread (the CLI's main
 * thread, or inside a HeraldStoreWorker job that runs a main context of
 * its own). Callers whose store is on another thread make the Cloud API
 * call themselves and hand its answer to the matching herald_cloud_store_*
 * step in a store worker job: that step is the whole of the store work. */

/* Lists @waba_id's templates on Meta and saves each in @store by name and
 * language (Meta's content, status, id and rejected reason win), in one
 * transaction. Templates only in the store are left alone. */
void                   herald_cloud_sync_templates_async  (HeraldCloudClient          *client,
                                                           HeraldStore                *store,
                                                           const char                 *waba_id,
                                                           GCancellable               *cancellable,
                                                           GAsyncReadyCallback         callback,
                                                           gpointer                    user_data);
gboolean               herald_cloud_sync_templates_finish (HeraldCloudClient          *client,
                                                           GAsyncResult               *result,
                                                           HeraldTemplateSyncSummary  *summary,
                                                           GError                    **error);

gboolean               herald_cloud_store_templates       (HeraldStore                *store,
                                                           GPtrArray                  *remote,
                                                           HeraldTemplateSyncSummary  *summary,
                                                           GError                    **error);

/* Submits @template (saved in @store) to @waba_id for approval, then stores
 * Meta's template id and status (usually PENDING) on it. */
void                   herald_cloud_submit_template_async  (HeraldCloudClient          *client,
                                                            HeraldStore                *store,
                                                            const char                 *waba_id,
                                                            HeraldTemplate             *template,
                                                            GCancellable               *cancellable,
                                                            GAsyncReadyCallback         callback,
                                                            gpointer                    user_data);
gboolean               herald_cloud_submit_template_finish (HeraldCloudClient          *client,
                                                            GAsyncResult               *result,
                                                            GError                    **error);

gboolean               herald_cloud_store_submitted_template (HeraldStore           *store,
                                                              HeraldTemplate        *template,
                                                              const char            *meta_id,
                                                              HeraldTemplateStatus   status,
                                                              GError               **error);

/* Reads @number's details from Meta (verified name, quality rating,
 * throughput level, messaging limit), stores them on @number with
 * verified_at = now, and returns what Meta said. */
void                   herald_cloud_verify_number_async   (HeraldCloudClient          *client,
                                                           HeraldStore                *store,
                                                           HeraldNumber               *number,
                                                           GCancellable               *cancellable,
                                                           GAsyncReadyCallback         callback,
                                                           gpointer                    user_data);
HeraldPhoneNumberInfo *herald_cloud_verify_number_finish  (HeraldCloudClient          *client,
                                                           GAsyncResult               *result,
                                                           GError                    **error);
gboolean               herald_cloud_store_number_info     (HeraldStore                *store,
                                                           HeraldNumber               *number,
                                                           const HeraldPhoneNumberInfo *info,
                                                           GError                    **error);

G_END_DECLS
