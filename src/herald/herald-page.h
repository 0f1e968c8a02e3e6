/* herald-page.h: what every page of the window has in common
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_TYPE_PAGE (herald_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (HeraldPage, herald_page, HERALD, PAGE, GtkWidget)

/* A page: the "worker" every store call goes through (construct-only), a
 * GCancellable cancelled in dispose, jobs counted while they run, results
 * and errors in the window's toasts ("win.toast"). A page's template
 * children are unparented in dispose, named or not. */
struct _HeraldPageClass
{
  GtkWidgetClass parent_class;

  /* Reads what the page shows again; called each time the page is mapped,
   * since other pages, the CLI or the feed change the store meanwhile. */
  void (*reload) (HeraldPage *self);
};

/* Called on the main thread once a job is over, with its result (the
 * callee's), or NULL and @error, which is shown in a toast already. Not
 * called when the page is disposed first: the worker frees the result then
 * (the job's @result_free). */
typedef void (*HeraldPageJobDone) (HeraldPage   *self,
                                   gpointer      result,
                                   const GError *error,
                                   gpointer      user_data);

HeraldStoreWorker *herald_page_get_worker      (HeraldPage            *self);
GCancellable      *herald_page_get_cancellable (HeraldPage            *self);
void               herald_page_reload          (HeraldPage            *self);
/* Whether a job (herald_page_run () or between _hold and _release) runs. */
gboolean           herald_page_get_busy        (HeraldPage            *self);
void               herald_page_hold            (HeraldPage            *self);
void               herald_page_release         (HeraldPage            *self);
void               herald_page_toast           (HeraldPage            *self,
                                                const char            *message);
/* A toast that is kept as the last error too. */
void               herald_page_show_error      (HeraldPage            *self,
                                                const char            *message);
/* The last error shown, for tests; NULL when none. */
const char        *herald_page_get_last_error  (HeraldPage            *self);
/* Runs @func on the worker with the page's cancellable; @data_free and
 * @result_free are as in herald_store_worker_run_async (). @done may be
 * NULL: the result is freed with @result_free then. */
void               herald_page_run             (HeraldPage            *self,
                                                HeraldStoreWorkerFunc  func,
                                                gpointer               data,
                                                GDestroyNotify         data_free,
                                                GDestroyNotify         result_free,
                                                HeraldPageJobDone      done,
                                                gpointer               user_data,
                                                GDestroyNotify         user_data_free);
/* Runs @func, whose result is a boolean (HERALD_STORE_WORKER_TRUE), shows
 * @success in a toast when it worked, and reloads the page either way. */
void               herald_page_run_then_toast  (HeraldPage            *self,
                                                HeraldStoreWorkerFunc  func,
                                                gpointer               data,
                                                GDestroyNotify         data_free,
                                                GDestroyNotify         result_free,
                                                const char            *success);

G_END_DECLS
