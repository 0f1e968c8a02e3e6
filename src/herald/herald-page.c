/* herald-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "herald-page.h"
#include "herald-ui-utils.h"

typedef struct
{
  HeraldStoreWorker *worker;
  GCancellable      *cancellable;
  guint              n_busy;
  char              *last_error;
} HeraldPagePrivate;

enum {
  PROP_0,
  PROP_WORKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_TYPE_WITH_PRIVATE (HeraldPage, herald_page, GTK_TYPE_WIDGET)

typedef struct
{
  HeraldPage        *self;
  GDestroyNotify     result_free;
  HeraldPageJobDone  done;
  gpointer           user_data;
  GDestroyNotify     user_data_free;
} Job;

static void
job_free (Job *job)
{
  if (job->user_data_free != NULL)
    job->user_data_free (job->user_data);
  g_object_unref (job->self);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static void
on_job_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  gpointer value;

  value = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  herald_page_release (job->self);
  if (error != NULL)
    herald_page_show_error (job->self, error->message);
  if (job->done != NULL)
    job->done (job->self, value, error, job->user_data);
  else if (value != NULL && job->result_free != NULL)
    job->result_free (value);
}

void
herald_page_run (HeraldPage            *self,
                 HeraldStoreWorkerFunc  func,
                 gpointer               data,
                 GDestroyNotify         data_free,
                 GDestroyNotify         result_free,
                 HeraldPageJobDone      done,
                 gpointer               user_data,
                 GDestroyNotify         user_data_free)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (self);
  Job *job;

  g_return_if_fail (HERALD_IS_PAGE (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (Job, 1);
  job->self = g_object_ref (self);
  job->result_free = result_free;
  job->done = done;
  job->user_data = user_data;
  job->user_data_free = user_data_free;
  herald_page_hold (self);
  herald_store_worker_run_async (priv->worker, func, data, data_free, result_free,
                                 priv->cancellable, on_job_done_cb, job);
}

static void
on_toast_job_done (HeraldPage   *self,
                   gpointer      result,
                   const GError *error,
                   gpointer      user_data)
{
  if (error == NULL)
    herald_page_toast (self, user_data);
  herald_page_reload (self);
}

void
herald_page_run_then_toast (HeraldPage            *self,
                            HeraldStoreWorkerFunc  func,
                            gpointer               data,
                            GDestroyNotify         data_free,
                            GDestroyNotify         result_free,
                            const char            *success)
{
  g_return_if_fail (HERALD_IS_PAGE (self));
  g_return_if_fail (success != NULL);

  herald_page_run (self, func, data, data_free, result_free, on_toast_job_done, g_strdup (success), g_free);
}

static void
herald_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (herald_page_parent_class)->map (widget);

  herald_page_reload (HERALD_PAGE (widget));
}

static void
herald_page_dispose (GObject *object)
{
  HeraldPage *self = HERALD_PAGE (object);
  HeraldPagePrivate *priv = herald_page_get_instance_private (self);
  GtkWidget *child;

  g_cancellable_cancel (priv->cancellable);
  /* Subclasses dispose their template first; its unnamed children go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&priv->worker);

  G_OBJECT_CLASS (herald_page_parent_class)->dispose (object);
}

static void
herald_page_finalize (GObject *object)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (HERALD_PAGE (object));

  g_clear_object (&priv->cancellable);
  g_clear_pointer (&priv->last_error, g_free);

  G_OBJECT_CLASS (herald_page_parent_class)->finalize (object);
}

static void
herald_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HeraldPage *self = HERALD_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, herald_page_get_worker (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_page_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (HERALD_PAGE (object));

  switch (prop_id)
    {
    case PROP_WORKER:
      priv->worker = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_page_class_init (HeraldPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_page_dispose;
  object_class->finalize = herald_page_finalize;
  object_class->get_property = herald_page_get_property;
  object_class->set_property = herald_page_set_property;
  widget_class->map = herald_page_map;

  /**
   * HeraldPage:worker: the store worker every read and write runs on.
   */
  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, HERALD_TYPE_STORE_WORKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
herald_page_init (HeraldPage *self)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (self);

  herald_ui_ensure_style ();
  priv->cancellable = g_cancellable_new ();
}

HeraldStoreWorker *
herald_page_get_worker (HeraldPage *self)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (self);

  g_return_val_if_fail (HERALD_IS_PAGE (self), NULL);

  return priv->worker;
}

GCancellable *
herald_page_get_cancellable (HeraldPage *self)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (self);

  g_return_val_if_fail (HERALD_IS_PAGE (self), NULL);

  return priv->cancellable;
}

void
herald_page_reload (HeraldPage *self)
{
  g_return_if_fail (HERALD_IS_PAGE (self));

  if (HERALD_PAGE_GET_CLASS (self)->reload != NULL)
    HERALD_PAGE_GET_CLASS (self)->reload (self);
}

gboolean
herald_page_get_busy (HeraldPage *self)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (self);

  g_return_val_if_fail (HERALD_IS_PAGE (self), FALSE);

  return priv->n_busy > 0;
}

void
herald_page_hold (HeraldPage *self)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (self);

  g_return_if_fail (HERALD_IS_PAGE (self));

  priv->n_busy++;
}

void
herald_page_release (HeraldPage *self)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (self);

  g_return_if_fail (HERALD_IS_PAGE (self));
  g_return_if_fail (priv->n_busy > 0);

  priv->n_busy--;
}

void
herald_page_toast (HeraldPage *self,
                   const char *message)
{
  g_return_if_fail (HERALD_IS_PAGE (self));
  g_return_if_fail (message != NULL);

  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

void
herald_page_show_error (HeraldPage *self,
                        const char *message)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (self);

  g_return_if_fail (HERALD_IS_PAGE (self));
  g_return_if_fail (message != NULL);

  g_free (priv->last_error);
  priv->last_error = g_strdup (message);
  herald_page_toast (self, message);
}

const char *
herald_page_get_last_error (HeraldPage *self)
{
  HeraldPagePrivate *priv = herald_page_get_instance_private (self);

  g_return_val_if_fail (HERALD_IS_PAGE (self), NULL);

  return priv->last_error;
}
