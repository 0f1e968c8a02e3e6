/* herald-store-worker.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-store-private.h"
#include "herald-store-worker.h"

struct _HeraldStoreWorker
{
  GObject      parent_instance;

  char        *path;
  GThreadPool *pool;
  HeraldStore *store;   /* touched only on the pool's one thread */
};

typedef struct
{
  HeraldStoreWorkerFunc func;
  gpointer              data;
  GDestroyNotify        data_free;
  GDestroyNotify        result_free;
} Job;

G_DEFINE_FINAL_TYPE (HeraldStoreWorker, herald_store_worker, G_TYPE_OBJECT)

static void
job_free (gpointer pointer)
{
  Job *job = pointer;

  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_free (job);
}

/* On the worker thread: the job, on the worker's own store. */
static void
run_job_in_thread (GTask *task)
{
  HeraldStoreWorker *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->store == NULL)
    {
      self->store = herald_store_new (self->path, &error);
      if (self->store == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  result = job->func (self->store, job->data, g_task_get_cancellable (task), &error);
  if (error != NULL)
    {
      if (result != NULL && job->result_free != NULL)
        job->result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      /* The task frees the result when nobody takes it: _finish not called,
       * or the cancellable cancelled after the job ran. */
      g_task_return_pointer (task, result, job->result_free);
    }
}

/* On the worker thread. */
static void
run_job (gpointer pool_data,
         gpointer user_data)
{
  GTask *task = pool_data;

  run_job_in_thread (task);
  /* Our reference goes back to the caller's context: the answer may be
   * dispatched there already, and the task's last reference holds the
   * worker, whose finalize waits for this thread. */
  herald_unref_in_context (task, g_task_get_context (task));
}

static void
herald_store_worker_finalize (GObject *object)
{
  HeraldStoreWorker *self = HERALD_STORE_WORKER (object);

  /* Every queued job holds a reference on us, so the pool is idle here. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  g_clear_object (&self->store);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (herald_store_worker_parent_class)->finalize (object);
}

static void
herald_store_worker_class_init (HeraldStoreWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = herald_store_worker_finalize;
}

static void
herald_store_worker_init (HeraldStoreWorker *self)
{
}

/**
 * herald_store_worker_new:
 * @db_path: (nullable): the database file, or NULL for the default one
 *
 * Starts the worker thread. The database is opened by the first job.
 */
HeraldStoreWorker *
herald_store_worker_new (const char  *db_path,
                         GError     **error)
{
  g_autoptr(HeraldStoreWorker) self = NULL;

  self = g_object_new (HERALD_TYPE_STORE_WORKER, NULL);
  self->path = db_path != NULL ? g_strdup (db_path) : _herald_store_default_path ();

  /* Exclusive, one thread: the store's connection is used by that thread only,
   * and jobs keep their order. */
  self->pool = g_thread_pool_new (run_job, NULL, 1, TRUE, error);
  if (self->pool == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const char *
herald_store_worker_get_path (HeraldStoreWorker *self)
{
  g_return_val_if_fail (HERALD_IS_STORE_WORKER (self), NULL);

  return self->path;
}

void
herald_store_worker_run_async (HeraldStoreWorker     *self,
                               HeraldStoreWorkerFunc  func,
                               gpointer               data,
                               GDestroyNotify         data_free,
                               GDestroyNotify         result_free,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Job *job;

  g_return_if_fail (HERALD_IS_STORE_WORKER (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (Job, 1);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_store_worker_run_async);
  g_task_set_task_data (task, job, job_free);

  if (!g_thread_pool_push (self->pool, g_object_ref (task), &error))
    {
      g_object_unref (task);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

gpointer
herald_store_worker_run_finish (HeraldStoreWorker  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (HERALD_IS_STORE_WORKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
