/* herald-cloud-sync.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-cloud-sync.h"
#include "herald-store-private.h"

/* Each operation is a Cloud API call, then one store step. The store steps
 * are public (herald_cloud_store_*) and touch nothing but the store and the
 * objects passed in, so a caller whose store lives on another thread (the
 * UI's HeraldStoreWorker) can make the call on its own thread and run the
 * step in a worker job. The _async functions run the step in the client's
 * callback, that is on the thread whose main context started them: the
 * store's thread, by their contract. */

static HeraldStore *
task_get_store (GTask *task)
{
  return g_object_get_data (G_OBJECT (task), "herald-store");
}

static GTask *
new_task (HeraldCloudClient   *client,
          HeraldStore         *store,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_object_set_data_full (G_OBJECT (task), "herald-store", g_object_ref (store), g_object_unref);
  return task;
}

/* Templates from Meta */

/* Copies what Meta owns onto @local, keeping our id and our examples. */
static void
take_meta_template (HeraldTemplate *local,
                    HeraldTemplate *remote)
{
  herald_template_set_category (local, herald_template_get_category (remote));
  herald_template_set_body (local, herald_template_get_body (remote));
  herald_template_set_header_type (local, herald_template_get_header_type (remote));
  herald_template_set_header_content (local, herald_template_get_header_content (remote));
  herald_template_set_footer (local, herald_template_get_footer (remote));
  herald_template_set_buttons (local, herald_template_get_buttons (remote));
  herald_template_set_status (local, herald_template_get_status (remote));
  herald_template_set_meta_template_id (local, herald_template_get_meta_template_id (remote));
  herald_template_set_rejected_reason (local, herald_template_get_rejected_reason (remote));
}

static gboolean
merge_templates (HeraldStore                *store,
                 GPtrArray                  *remote,
                 HeraldTemplateSyncSummary  *summary,
                 GError                    **error)
{
  *summary = (HeraldTemplateSyncSummary) { 0, };

  for (guint i = 0; i < remote->len; i++)
    {
      HeraldTemplate *meta = g_ptr_array_index (remote, i);
      g_autoptr(HeraldTemplate) local = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean existed;

      local = herald_store_get_template_by_name (store,
                                                 herald_template_get_name (meta),
                                                 herald_template_get_language (meta),
                                                 &local_error);
      if (local == NULL && !g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_error (&local_error);

      existed = local != NULL;
      if (existed)
        take_meta_template (local, meta);
      else
        local = g_object_ref (meta);

      if (!herald_store_save_template (store, local, &local_error))
        {
          if (!g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          /* One template we cannot use must not stop the others. */
          g_debug ("Template %s (%s) left out: %s", herald_template_get_name (meta),
                   herald_template_get_language (meta), local_error->message);
          summary->skipped++;
          continue;
        }

      if (existed)
        summary->updated++;
      else
        summary->added++;
    }

  return TRUE;
}

/**
 * herald_cloud_store_templates:
 * @remote: (element-type HeraldTemplate): templates as Meta lists them
 *
 * The store step of herald_cloud_sync_templates_async(): saves each of
 * @remote in @store by name and language, in one transaction.
 */
gboolean
herald_cloud_store_templates (HeraldStore                *store,
                              GPtrArray                  *remote,
                              HeraldTemplateSyncSummary  *summary,
                              GError                    **error)
{
  HeraldTemplateSyncSummary counted;

  g_return_val_if_fail (HERALD_IS_STORE (store), FALSE);
  g_return_val_if_fail (remote != NULL, FALSE);

  if (!herald_store_begin (store, error))
    return FALSE;
  if (!merge_templates (store, remote, &counted, error) ||
      !herald_store_commit (store, error))
    {
      herald_store_rollback (store, NULL);
      return FALSE;
    }

  if (summary != NULL)
    *summary = counted;
  return TRUE;
}

static void
on_list_templates_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) remote = NULL;
  g_autoptr(GError) error = NULL;
  HeraldStore *store = task_get_store (task);
  HeraldTemplateSyncSummary *summary;

  remote = herald_cloud_client_list_templates_finish (HERALD_CLOUD_CLIENT (source), result, &error);
  if (remote == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  summary = g_new0 (HeraldTemplateSyncSummary, 1);
  if (!herald_cloud_store_templates (store, remote, summary, &error))
    {
      g_free (summary);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, summary, g_free);
}

void
herald_cloud_sync_templates_async (HeraldCloudClient   *client,
                                   HeraldStore         *store,
                                   const char          *waba_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HERALD_IS_CLOUD_CLIENT (client));
  g_return_if_fail (HERALD_IS_STORE (store));
  g_return_if_fail (waba_id != NULL);

  task = new_task (client, store, cancellable, callback, user_data, herald_cloud_sync_templates_async);
  herald_cloud_client_list_templates_async (client, waba_id, cancellable,
                                            on_list_templates_cb, g_steal_pointer (&task));
}

gboolean
herald_cloud_sync_templates_finish (HeraldCloudClient          *client,
                                    GAsyncResult               *result,
                                    HeraldTemplateSyncSummary  *summary,
                                    GError                    **error)
{
  g_autofree HeraldTemplateSyncSummary *done = NULL;

  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_cloud_sync_templates_async, FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL)
    return FALSE;

  if (summary != NULL)
    *summary = *done;
  return TRUE;
}

/* Submitting a template */

/**
 * herald_cloud_store_submitted_template:
 *
 * The store step of herald_cloud_submit_template_async(): sets Meta's
 * @meta_id and @status on @template (clearing any rejected reason) and
 * saves it in @store.
 */
gboolean
herald_cloud_store_submitted_template (HeraldStore           *store,
                                       HeraldTemplate        *template,
                                       const char            *meta_id,
                                       HeraldTemplateStatus   status,
                                       GError               **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (store), FALSE);
  g_return_val_if_fail (HERALD_IS_TEMPLATE (template), FALSE);
  g_return_val_if_fail (meta_id != NULL, FALSE);

  herald_template_set_meta_template_id (template, meta_id);
  herald_template_set_status (template, status);
  herald_template_set_rejected_reason (template, NULL);
  if (!herald_store_save_template (store, template, error))
    {
      g_prefix_error (error, _("Meta accepted the template (id %s), but it could not be saved: "), meta_id);
      return FALSE;
    }

  return TRUE;
}

static void
on_create_template_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *meta_id = NULL;
  HeraldTemplate *template = g_task_get_task_data (task);
  HeraldTemplateStatus status = HERALD_TEMPLATE_PENDING;

  meta_id = herald_cloud_client_create_template_finish (HERALD_CLOUD_CLIENT (source), result, &status, &error);
  if (meta_id == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!herald_cloud_store_submitted_template (task_get_store (task), template, meta_id, status, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
herald_cloud_submit_template_async (HeraldCloudClient   *client,
                                    HeraldStore         *store,
                                    const char          *waba_id,
                                    HeraldTemplate      *template,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HERALD_IS_CLOUD_CLIENT (client));
  g_return_if_fail (HERALD_IS_STORE (store));
  g_return_if_fail (waba_id != NULL);
  g_return_if_fail (HERALD_IS_TEMPLATE (template));

  task = new_task (client, store, cancellable, callback, user_data, herald_cloud_submit_template_async);
  g_task_set_task_data (task, g_object_ref (template), g_object_unref);
  herald_cloud_client_create_template_async (client, waba_id, template, cancellable,
                                             on_create_template_cb, g_steal_pointer (&task));
}

gboolean
herald_cloud_submit_template_finish (HeraldCloudClient  *client,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_cloud_submit_template_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Number details */

/**
 * herald_cloud_store_number_info:
 *
 * The store step of herald_cloud_verify_number_async(): sets what Meta
 * said in @info on @number, with verified_at = now, and saves it in @store.
 */
gboolean
herald_cloud_store_number_info (HeraldStore                  *store,
                                HeraldNumber                 *number,
                                const HeraldPhoneNumberInfo  *info,
                                GError                      **error)
{
  g_autofree char *verified_at = NULL;

  g_return_val_if_fail (HERALD_IS_STORE (store), FALSE);
  g_return_val_if_fail (HERALD_IS_NUMBER (number), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  verified_at = _herald_store_timestamp (NULL);
  herald_number_set_verified_at (number, verified_at);
  herald_number_set_verified_name (number, info->verified_name);
  herald_number_set_quality_rating (number, info->quality_rating);
  herald_number_set_throughput_level (number, info->throughput_level);
  herald_number_set_messaging_limit_tier (number, info->messaging_limit_tier);
  return herald_store_save_number (store, number, error);
}

static void
on_get_phone_number_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(HeraldPhoneNumberInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  HeraldNumber *number = g_task_get_task_data (task);

  info = herald_cloud_client_get_phone_number_finish (HERALD_CLOUD_CLIENT (source), result, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!herald_cloud_store_number_info (task_get_store (task), number, info, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&info), (GDestroyNotify) herald_phone_number_info_free);
}

void
herald_cloud_verify_number_async (HeraldCloudClient   *client,
                                  HeraldStore         *store,
                                  HeraldNumber        *number,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HERALD_IS_CLOUD_CLIENT (client));
  g_return_if_fail (HERALD_IS_STORE (store));
  g_return_if_fail (HERALD_IS_NUMBER (number));

  task = new_task (client, store, cancellable, callback, user_data, herald_cloud_verify_number_async);
  g_task_set_task_data (task, g_object_ref (number), g_object_unref);
  herald_cloud_client_get_phone_number_async (client, herald_number_get_phone_number_id (number),
                                              cancellable, on_get_phone_number_cb, g_steal_pointer (&task));
}

HeraldPhoneNumberInfo *
herald_cloud_verify_number_finish (HeraldCloudClient  *client,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_cloud_verify_number_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
