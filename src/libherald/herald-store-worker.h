/* herald-store-worker.h: a HeraldStore on its own thread, for the UI
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-store.h"

G_BEGIN_DECLS

#define HERALD_TYPE_STORE_WORKER (herald_store_worker_get_type ())

G_DECLARE_FINAL_TYPE (HeraldStoreWorker, herald_store_worker, HERALD, STORE_WORKER, GObject)

/* Runs on the worker thread with the worker's own store. Returns the result,
 * owned by the caller of _finish, or NULL with @error set; NULL without an
 * error means "nothing" and _finish returns NULL without an error. A result
 * returned together with an error is freed with the job's @result_free. */
typedef gpointer (*HeraldStoreWorkerFunc) (HeraldStore   *store,
                                           gpointer       data,
                                           GCancellable  *cancellable,
                                           GError       **error);

HeraldStoreWorker *herald_store_worker_new        (const char             *db_path,
                                                   GError                **error);
const char        *herald_store_worker_get_path   (HeraldStoreWorker      *self);

/* Queues @func; jobs run one at a time in the order queued. @data is freed
 * with @data_free when the job is over, on either thread: pass plain data
 * (row objects, strings), never widgets. @result_free frees what @func
 * returns (NULL for HERALD_STORE_WORKER_TRUE and other GINT_TO_POINTER
 * values): _finish hands the result over, and the worker frees it, on either
 * thread, when nobody takes it (_finish not called, or @cancellable
 * cancelled after the job ran, so _finish returns G_IO_ERROR_CANCELLED).
 * The store is opened (and migrated) by the first job, off the caller's
 * thread. A job cancelled before it starts does not run. */
void               herald_store_worker_run_async  (HeraldStoreWorker      *self,
                                                   HeraldStoreWorkerFunc   func,
                                                   gpointer                data,
                                                   GDestroyNotify          data_free,
                                                   GDestroyNotify          result_free,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
gpointer           herald_store_worker_run_finish (HeraldStoreWorker      *self,
                                                   GAsyncResult           *result,
                                                   GError                **error);

/* For results that are a boolean: wrap with GINT_TO_POINTER (TRUE). */
#define HERALD_STORE_WORKER_TRUE GINT_TO_POINTER (TRUE)

G_END_DECLS
