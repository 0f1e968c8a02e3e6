/* test-store-worker.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "herald-store-worker.h"
#include "herald-test-utils.h"

/* Each case: a job that returns a fresh GObject, freed through a counting
 * function, and a weak pointer on that object. */
typedef struct
{
  char              *dir;
  HeraldStoreWorker *worker;
  GCancellable      *cancellable;
  GObject           *result;       /* weak: the job's answer while it lives */
  gint               n_freed;      /* atomic: result_free calls */
  gboolean           fail;         /* the job sets an error with its answer */
  gboolean           cancel;       /* the job cancels its task once it has run */
  gboolean           finish;       /* the callback calls _finish */
  gboolean           called;
  GObject           *finished;     /* what _finish handed over */
  GError            *error;
} Fixture;

static Fixture *current;

static void
counted_unref (gpointer object)
{
  g_atomic_int_inc (&current->n_freed);
  g_object_unref (object);
}

/* Worker thread. */
static gpointer
object_job (HeraldStore   *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Fixture *fixture = data;
  GObject *object = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_add_weak_pointer (object, (gpointer *) &fixture->result);
  fixture->result = object;
  /* After the job ran and before the callback: the callback can only run
   * once the main thread iterates its context. */
  if (fixture->cancel)
    g_cancellable_cancel (cancellable);
  if (fixture->fail)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the job failed");
  return object;
}

static void
on_job_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->called = TRUE;
  if (fixture->finish)
    fixture->finished = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &fixture->error);
}

static gpointer
nothing_job (HeraldStore   *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return NULL;
}

static void
on_drained_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Jobs run one at a time on one thread: once a later job is over, the
 * worker thread has dropped the earlier job's task too, and so, after its
 * callback, has everyone. */
static void
drain (Fixture *fixture)
{
  gboolean drained = FALSE;

  herald_store_worker_run_async (fixture->worker, nothing_job, NULL, NULL, NULL, NULL,
                                 on_drained_cb, &drained);
  herald_test_wait_until (flag_set, &drained, 10000);
  g_assert_true (fixture->called);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = herald_test_tmp_dir ();
  path = g_build_filename (fixture->dir, "herald.db", NULL);
  fixture->worker = herald_store_worker_new (path, &error);
  g_assert_no_error (error);
  fixture->cancellable = g_cancellable_new ();
  current = fixture;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  current = NULL;
  g_clear_object (&fixture->worker);
  g_clear_object (&fixture->cancellable);
  g_clear_error (&fixture->error);
  g_free (fixture->dir);
}

static void
run (Fixture *fixture)
{
  herald_store_worker_run_async (fixture->worker, object_job, fixture, NULL, counted_unref,
                                 fixture->cancellable, on_job_done_cb, fixture);
}

static void
test_cancelled_after_run (Fixture       *fixture,
                          gconstpointer  data)
{
  fixture->cancel = TRUE;
  fixture->finish = TRUE;
  run (fixture);
  drain (fixture);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (fixture->finished);
  g_assert_null (fixture->result);
  g_assert_cmpint (g_atomic_int_get (&fixture->n_freed), ==, 1);
}

static void
test_not_finished (Fixture       *fixture,
                   gconstpointer  data)
{
  run (fixture);
  drain (fixture);
  g_assert_null (fixture->result);
  g_assert_cmpint (g_atomic_int_get (&fixture->n_freed), ==, 1);
}

static void
test_result_with_error (Fixture       *fixture,
                        gconstpointer  data)
{
  fixture->fail = TRUE;
  fixture->finish = TRUE;
  run (fixture);
  drain (fixture);
  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (fixture->finished);
  g_assert_null (fixture->result);
  g_assert_cmpint (g_atomic_int_get (&fixture->n_freed), ==, 1);
}

/* _finish takes the result: the worker never frees it. */
static void
test_finished (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->finish = TRUE;
  run (fixture);
  drain (fixture);
  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->finished);
  g_assert_true (fixture->result == fixture->finished);
  g_assert_cmpint (g_atomic_int_get (&fixture->n_freed), ==, 0);

  g_object_unref (g_steal_pointer (&fixture->finished));
  g_assert_null (fixture->result);
  g_assert_cmpint (g_atomic_int_get (&fixture->n_freed), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/herald/store-worker/result/cancelled-after-run", Fixture, NULL,
              fixture_set_up, test_cancelled_after_run, fixture_tear_down);
  g_test_add ("/herald/store-worker/result/not-finished", Fixture, NULL,
              fixture_set_up, test_not_finished, fixture_tear_down);
  g_test_add ("/herald/store-worker/result/with-error", Fixture, NULL,
              fixture_set_up, test_result_with_error, fixture_tear_down);
  g_test_add ("/herald/store-worker/result/finished", Fixture, NULL,
              fixture_set_up, test_finished, fixture_tear_down);

  return g_test_run ();
}
