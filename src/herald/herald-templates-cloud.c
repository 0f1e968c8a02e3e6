/* herald-templates-cloud.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "herald-secrets.h"
#include "herald-templates-cloud.h"

/* Three steps, none on the main thread's clock: find the account and number
 * (worker), look the token up (libsecret, async), then run the sync or
 * submit on the worker thread, where the store lives. The Cloud API client is
 * made there, in a main context of that job, so its session, the store and
 * herald-cloud-sync's callbacks all stay on the one thread. */

typedef struct
{
  HeraldStoreWorker *worker;
  HeraldTemplate    *template;        /* NULL for a sync */
  char              *phone_number_id; /* asked for, then chosen */
  char              *waba_id;
  char              *token;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->worker);
  g_clear_object (&request->template);
  g_free (request->phone_number_id);
  g_free (request->waba_id);
  g_clear_pointer (&request->token, secret_password_free);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* What the worker jobs get: plain copies, freed on either thread. */
typedef struct
{
  char           *phone_number_id;
  char           *waba_id;
  char           *token;
  gint64          template_id;  /* 0 for a sync */
  char           *examples;     /* the submitted template's; the store keeps none */
} JobData;

static void
job_data_free (gpointer pointer)
{
  JobData *data = pointer;

  g_free (data->phone_number_id);
  g_free (data->waba_id);
  g_clear_pointer (&data->token, secret_password_free);
  g_free (data->examples);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JobData, job_data_free)

/* Worker thread: the business account and the number to use, returned as a
 * JobData with both ids. */
static gpointer
find_account_job (HeraldStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  JobData *asked = data;
  g_autoptr(HeraldBusinessProfile) profile = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JobData) found = g_new0 (JobData, 1);
  const char *waba_id = NULL;
  const char *wanted;

  profile = herald_store_get_business_profile (store, &local_error);
  if (profile == NULL && !g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (profile != NULL)
    waba_id = herald_business_profile_get_whatsapp_business_id (profile);
  if (waba_id == NULL || waba_id[0] == '\0')
    {
      g_set_error_literal (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND,
                           _("Enter your WhatsApp Business Account ID in Preferences first"));
      return NULL;
    }

  numbers = herald_store_list_numbers (store, error);
  if (numbers == NULL)
    return NULL;

  wanted = asked->phone_number_id;
  if (wanted == NULL && profile != NULL)
    wanted = herald_business_profile_get_phone_number_id (profile);

  for (guint i = 0; i < numbers->len && found->phone_number_id == NULL; i++)
    {
      HeraldNumber *number = g_ptr_array_index (numbers, i);

      if (g_strcmp0 (herald_number_get_phone_number_id (number), wanted) == 0)
        found->phone_number_id = g_strdup (wanted);
    }
  /* Only a number the user picked must be that one; else any active one. */
  for (guint i = 0; i < numbers->len && found->phone_number_id == NULL && asked->phone_number_id == NULL; i++)
    {
      HeraldNumber *number = g_ptr_array_index (numbers, i);

      if (herald_number_get_is_active (number))
        found->phone_number_id = g_strdup (herald_number_get_phone_number_id (number));
    }

  if (found->phone_number_id == NULL)
    {
      g_set_error_literal (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND,
                           _("Add a WhatsApp number on the Numbers page first"));
      return NULL;
    }

  found->waba_id = g_strdup (waba_id);
  return g_steal_pointer (&found);
}

/* Runs @context until *@result is set. */
static void
wait_in_context (GMainContext  *context,
                 GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (context, TRUE);
}

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Worker thread: returns a HeraldTemplateSyncSummary, or for a submit the
 * template as stored now. */
static gpointer
cloud_job (HeraldStore   *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  JobData *job = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gpointer answer = NULL;

  g_main_context_push_thread_default (context);
  client = herald_cloud_client_new (g_getenv ("HERALD_API_BASE"), job->token);

  if (job->template_id == 0)
    {
      g_autofree HeraldTemplateSyncSummary *summary = g_new0 (HeraldTemplateSyncSummary, 1);

      herald_cloud_sync_templates_async (client, store, job->waba_id, cancellable, on_done_cb, &result);
      wait_in_context (context, &result);
      if (herald_cloud_sync_templates_finish (client, result, summary, error))
        answer = g_steal_pointer (&summary);
    }
  else
    {
      g_autoptr(HeraldTemplate) template = herald_store_get_template (store, job->template_id, error);

      if (template != NULL)
        {
          herald_template_set_examples (template, job->examples);
          herald_cloud_submit_template_async (client, store, job->waba_id, template,
                                              cancellable, on_done_cb, &result);
          wait_in_context (context, &result);
          if (herald_cloud_submit_template_finish (client, result, error))
            answer = g_steal_pointer (&template);
        }
    }

  g_clear_object (&result);
  g_clear_object (&client);
  /* Let the session's last idle callbacks run before the context goes. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  return answer;
}

static void
on_cloud_job_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gpointer answer;

  answer = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_task_get_source_tag (task) == herald_templates_cloud_sync_async)
    {
      g_task_return_pointer (task, answer, g_free);
    }
  else
    {
      g_autoptr(HeraldTemplate) stored = answer;
      Request *request = g_task_get_task_data (task);

      herald_template_set_meta_template_id (request->template, herald_template_get_meta_template_id (stored));
      herald_template_set_status (request->template, herald_template_get_status (stored));
      herald_template_set_rejected_reason (request->template, herald_template_get_rejected_reason (stored));
      herald_template_set_updated_at (request->template, herald_template_get_updated_at (stored));
      g_task_return_boolean (task, TRUE);
    }
}

static void
on_token_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Request *request = g_task_get_task_data (task);
  JobData *job;

  request->token = herald_secrets_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (request->token == NULL)
    {
      g_task_return_new_error (task, HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_FAILED,
                               _("The access token of number %s is missing: enter it again on the Numbers page"),
                               request->phone_number_id);
      return;
    }

  job = g_new0 (JobData, 1);
  job->waba_id = g_strdup (request->waba_id);
  job->token = g_strdup (request->token);
  if (request->template != NULL)
    {
      job->template_id = herald_template_get_id (request->template);
      job->examples = g_strdup (herald_template_get_examples (request->template));
    }

  herald_store_worker_run_async (request->worker, cloud_job, job, job_data_free,
                                 g_task_get_cancellable (task), on_cloud_job_cb, g_object_ref (task));
}

static void
on_account_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JobData) found = NULL;
  Request *request = g_task_get_task_data (task);

  found = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (found == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_free (request->phone_number_id);
  request->phone_number_id = g_steal_pointer (&found->phone_number_id);
  request->waba_id = g_steal_pointer (&found->waba_id);
  herald_secrets_lookup_async (HERALD_SECRET_ACCESS_TOKEN, request->phone_number_id,
                               g_task_get_cancellable (task), on_token_cb, g_object_ref (task));
}

static void
start (HeraldStoreWorker   *worker,
       HeraldTemplate      *template,
       const char          *phone_number_id,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data,
       gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  Request *request = g_new0 (Request, 1);
  JobData *asked = g_new0 (JobData, 1);

  request->worker = g_object_ref (worker);
  request->template = template != NULL ? g_object_ref (template) : NULL;
  request->phone_number_id = g_strdup (phone_number_id);
  asked->phone_number_id = g_strdup (phone_number_id);

  task = g_task_new (worker, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  herald_store_worker_run_async (worker, find_account_job, asked, job_data_free,
                                 cancellable, on_account_cb, g_steal_pointer (&task));
}

void
herald_templates_cloud_sync_async (HeraldStoreWorker   *worker,
                                   const char          *phone_number_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (HERALD_IS_STORE_WORKER (worker));

  start (worker, NULL, phone_number_id, cancellable, callback, user_data,
         herald_templates_cloud_sync_async);
}

gboolean
herald_templates_cloud_sync_finish (HeraldStoreWorker          *worker,
                                    GAsyncResult               *result,
                                    HeraldTemplateSyncSummary  *summary,
                                    GError                    **error)
{
  g_autofree HeraldTemplateSyncSummary *done = NULL;

  g_return_val_if_fail (g_task_is_valid (result, worker), FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL)
    return FALSE;
  if (summary != NULL)
    *summary = *done;
  return TRUE;
}

void
herald_templates_cloud_submit_async (HeraldStoreWorker   *worker,
                                     HeraldTemplate      *template,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (HERALD_IS_STORE_WORKER (worker));
  g_return_if_fail (HERALD_IS_TEMPLATE (template));
  g_return_if_fail (herald_template_get_id (template) > 0);

  start (worker, template, NULL, cancellable, callback, user_data,
         herald_templates_cloud_submit_async);
}

gboolean
herald_templates_cloud_submit_finish (HeraldStoreWorker  *worker,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, worker), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
