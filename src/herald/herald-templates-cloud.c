/* herald-templates-cloud.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "herald-sandbox.h"
#include "herald-secrets.h"
#include "herald-templates-cloud.h"

/* Three steps, none on the main thread's clock: find the account and number
 * (worker); find how to reach that number's API, which for the Sandbox
 * number is the in-app sim with its own business account and in-memory
 * token, and for any other Meta with the keyring's token (libsecret,
 * async); then run the sync or submit on the worker thread, where the store
 * lives. The Cloud API client is made there, in a main context of that job,
 * so its session, the store and herald-cloud-sync's callbacks all stay on
 * the one thread. */

typedef struct
{
  HeraldStoreWorker *worker;
  HeraldTemplate    *template;        /* NULL for a sync */
  char              *phone_number_id; /* asked for, then chosen */
  HeraldNumber      *number;          /* chosen */
  char              *waba_id;
  char              *api_base;        /* NULL: $HERALD_API_BASE or Meta's */
  char              *token;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->worker);
  g_clear_object (&request->template);
  g_free (request->phone_number_id);
  g_clear_object (&request->number);
  g_free (request->waba_id);
  g_free (request->api_base);
  g_clear_pointer (&request->token, secret_password_free);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* What the worker jobs get and give: plain copies, freed on either thread. */
typedef struct
{
  char           *phone_number_id;
  HeraldNumber   *number;       /* the account step's answer */
  char           *waba_id;
  char           *api_base;
  char           *token;
  gboolean        is_sandbox;
  gint64          template_id;  /* 0 for a sync */
  char           *examples;     /* the submitted template's; the store keeps none */
} JobData;

static void
job_data_free (gpointer pointer)
{
  JobData *data = pointer;

  g_free (data->phone_number_id);
  g_clear_object (&data->number);
  g_free (data->waba_id);
  g_free (data->api_base);
  g_clear_pointer (&data->token, secret_password_free);
  g_free (data->examples);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JobData, job_data_free)

/* The number asked for; else the profile's; else the first active real
 * one, so that templates meant for Meta never go to the Sandbox while
 * there is a real number; else the first active one (the Sandbox). */
static HeraldNumber *
choose_number (GPtrArray  *numbers,
               const char *asked,
               const char *profile_number)
{
  const char *wanted = asked != NULL ? asked : profile_number;
  HeraldNumber *sandbox = NULL;

  for (guint i = 0; i < numbers->len; i++)
    {
      HeraldNumber *number = g_ptr_array_index (numbers, i);

      if (g_strcmp0 (herald_number_get_phone_number_id (number), wanted) == 0)
        return number;
    }
  if (asked != NULL)
    return NULL;

  for (guint i = 0; i < numbers->len; i++)
    {
      HeraldNumber *number = g_ptr_array_index (numbers, i);

      if (!herald_number_get_is_active (number))
        continue;
      if (!herald_number_get_is_sandbox (number))
        return number;
      if (sandbox == NULL)
        sandbox = number;
    }
  return sandbox;
}

/* Worker thread: the number to use and its business account, returned as
 * a JobData. */
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
  HeraldNumber *number;
  const char *waba_id = NULL;

  profile = herald_store_get_business_profile (store, &local_error);
  if (profile == NULL && !g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  numbers = herald_store_list_numbers (store, error);
  if (numbers == NULL)
    return NULL;
  number = choose_number (numbers, asked->phone_number_id,
                          profile != NULL ? herald_business_profile_get_phone_number_id (profile) : NULL);
  if (number == NULL)
    {
      g_set_error_literal (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND,
                           _("Add a WhatsApp number on the Numbers page first"));
      return NULL;
    }

  /* The Sandbox's templates live in its own account in the sim. */
  if (herald_number_get_is_sandbox (number))
    waba_id = HERALD_SANDBOX_WABA_ID;
  else if (profile != NULL)
    waba_id = herald_business_profile_get_whatsapp_business_id (profile);
  if (waba_id == NULL || waba_id[0] == '\0')
    {
      g_set_error_literal (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND,
                           _("Enter your WhatsApp Business Account ID in Preferences first"));
      return NULL;
    }

  found->number = g_object_ref (number);
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

/* Worker thread, for the Sandbox: the sim's reviews go to sandbox_status
 * only, never to Meta's status or id, so a Sandbox approval is never taken
 * for Meta's. The sim lists the templates the app gave it (submitted, or
 * approved there for a Sandbox campaign), each matched by name and
 * language; one the store no longer has is left out, as the Sandbox is no
 * source of templates. One transaction. */
static gboolean
store_sandbox_reviews (HeraldStore                *store,
                       GPtrArray                  *in_sim,
                       HeraldTemplateSyncSummary  *summary,
                       GError                    **error)
{
  if (!herald_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < in_sim->len; i++)
    {
      HeraldTemplate *reviewed = g_ptr_array_index (in_sim, i);
      g_autoptr(HeraldTemplate) local = NULL;
      g_autoptr(GError) local_error = NULL;

      local = herald_store_get_template_by_name (store, herald_template_get_name (reviewed),
                                                 herald_template_get_language (reviewed), &local_error);
      if (local == NULL)
        {
          if (g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto failed;
        }
      if (!herald_store_set_template_sandbox_status (store, herald_template_get_id (local),
                                                     herald_template_get_status (reviewed), error))
        goto failed;
      summary->updated++;
    }

  if (herald_store_commit (store, error))
    return TRUE;

failed:
  herald_store_rollback (store, NULL);
  return FALSE;
}

/* Worker thread, for the Sandbox: submits @template to the sim for review
 * and keeps the sim's answer (PENDING, usually) as its sandbox_status. */
static gboolean
submit_to_sandbox (HeraldCloudClient  *client,
                   HeraldStore        *store,
                   GMainContext       *context,
                   const char         *waba_id,
                   HeraldTemplate     *template,
                   GCancellable       *cancellable,
                   GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *sim_id = NULL;
  HeraldTemplateStatus status = HERALD_TEMPLATE_PENDING;

  herald_cloud_client_create_template_async (client, waba_id, template, cancellable, on_done_cb, &result);
  wait_in_context (context, &result);
  sim_id = herald_cloud_client_create_template_finish (client, result, &status, error);
  return sim_id != NULL &&
         herald_store_set_template_sandbox_status (store, herald_template_get_id (template), status, error);
}

/* Worker thread: Meta's account or the Sandbox's. Returns a
 * HeraldTemplateSyncSummary, or for a submit the template as stored now. */
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
  client = herald_cloud_client_new (job->api_base, job->token);

  if (job->template_id == 0)
    {
      g_autoptr(GPtrArray) remote = NULL;
      g_autofree HeraldTemplateSyncSummary *summary = g_new0 (HeraldTemplateSyncSummary, 1);

      herald_cloud_client_list_templates_async (client, job->waba_id, cancellable, on_done_cb, &result);
      wait_in_context (context, &result);
      remote = herald_cloud_client_list_templates_finish (client, result, error);
      if (remote != NULL &&
          (job->is_sandbox ? store_sandbox_reviews (store, remote, summary, error)
                           : herald_cloud_store_templates (store, remote, summary, error)))
        answer = g_steal_pointer (&summary);
    }
  else
    {
      g_autoptr(HeraldTemplate) template = herald_store_get_template (store, job->template_id, error);

      if (template != NULL)
        {
          gboolean submitted;

          herald_template_set_examples (template, job->examples);
          if (job->is_sandbox)
            {
              submitted = submit_to_sandbox (client, store, context, job->waba_id, template, cancellable, error);
              g_clear_object (&template);
              if (submitted)
                template = herald_store_get_template (store, job->template_id, error);
            }
          else
            {
              herald_cloud_submit_template_async (client, store, job->waba_id, template,
                                                  cancellable, on_done_cb, &result);
              wait_in_context (context, &result);
              submitted = herald_cloud_submit_template_finish (client, result, error);
            }
          if (submitted)
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
      herald_template_set_sandbox_status (request->template, herald_template_get_sandbox_status (stored));
      herald_template_set_updated_at (request->template, herald_template_get_updated_at (stored));
      g_task_return_boolean (task, TRUE);
    }
}

static void
run_cloud_job (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  JobData *job = g_new0 (JobData, 1);

  job->waba_id = g_strdup (request->waba_id);
  job->api_base = g_strdup (request->api_base);
  job->token = g_strdup (request->token);
  job->is_sandbox = herald_number_get_is_sandbox (request->number);
  if (request->template != NULL)
    {
      job->template_id = herald_template_get_id (request->template);
      job->examples = g_strdup (herald_template_get_examples (request->template));
    }

  /* cloud_job answers a sync with a summary, a submit with the template. */
  herald_store_worker_run_async (request->worker, cloud_job, job, job_data_free,
                                 job->template_id == 0 ? g_free : g_object_unref,
                                 g_task_get_cancellable (task), on_cloud_job_cb, task);
}

static void
on_token_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Request *request = g_task_get_task_data (task);

  request->token = herald_secrets_lookup_access_token_finish (result, &error);
  if (request->token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  run_cloud_job (g_steal_pointer (&task));
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

  request->number = g_steal_pointer (&found->number);
  request->waba_id = g_steal_pointer (&found->waba_id);
  g_free (request->phone_number_id);
  request->phone_number_id = g_strdup (herald_number_get_phone_number_id (request->number));

  /* The one place that knows how to reach a number: the Sandbox's sim, or
   * else Meta (or $HERALD_API_BASE) with the keyring's token. */
  if (herald_sandbox_access_for_number (request->worker, request->number, &request->api_base, &request->token))
    {
      run_cloud_job (g_steal_pointer (&task));
      return;
    }
  request->api_base = g_strdup (g_getenv ("HERALD_API_BASE"));
  herald_secrets_lookup_access_token_async (request->phone_number_id, g_task_get_cancellable (task),
                                            on_token_cb, g_object_ref (task));
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

  herald_store_worker_run_async (worker, find_account_job, asked, job_data_free, job_data_free,
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
