/* herald-sandbox.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "herald-sandbox.h"
#include "herald-sim-server.h"
#include "herald-status-applier.h"

#define SANDBOX_PHONE_NUMBER "+15550100000"
#define SANDBOX_TEMPLATE_NAME "sandbox_welcome"
#define SANDBOX_MESSAGES_PER_SECOND 20

struct _HeraldSandbox
{
  GObject            parent_instance;

  HeraldStoreWorker *worker;      /* not owned: the sandbox is the worker's data */
  char              *db_path;
  char              *token;
  char              *api_base;

  GThread           *thread;
  GMainContext      *context;     /* the sim's thread */
  GMainLoop         *loop;
  GMutex             mutex;
  GCond              cond;
  gboolean           ready;
  GError            *start_error;

  /* Only in the sim's thread: */
  HeraldSimServer   *sim;
  SoupServer        *hooks;
  HeraldStore       *store;
  HeraldStatusApplier *applier;
};

G_DEFINE_FINAL_TYPE (HeraldSandbox, herald_sandbox, G_TYPE_OBJECT)

/* The sim's thread */

static void
on_webhook_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  HeraldSandbox *self = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  HeraldApplyReport report = { 0 };

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  /* Straight into the database, as the feed would: this thread has a
   * connection of its own, so the UI thread never waits for it. */
  if (self->store == NULL)
    {
      self->store = herald_store_new (self->db_path, &error);
      if (self->store != NULL)
        self->applier = herald_status_applier_new (self->store);
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (self->applier == NULL ||
      !herald_status_applier_ingest (self->applier, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                     &report, &error))
    {
      g_warning ("Sandbox: could not apply a status update: %s", error ? error->message : "");
      herald_apply_report_clear (&report);
      /* The sim tries again later. */
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }
  herald_apply_report_clear (&report);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static gboolean
start_in_thread (HeraldSandbox  *self,
                 GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) control = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *hook_url = NULL;

  self->sim = herald_sim_server_new (self->token);
  if (!herald_sim_server_listen (self->sim, 0, error))
    return FALSE;

  self->hooks = soup_server_new ("server-header", "herald-sandbox", NULL);
  soup_server_add_handler (self->hooks, "/webhook", on_webhook_cb, self, NULL);
  if (!soup_server_listen_local (self->hooks, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;
  uris = soup_server_get_uris (self->hooks);
  hook_url = g_strdup_printf ("http://127.0.0.1:%d/webhook", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  /* Statuses arrive at a pace people can watch; one message in thirty
   * fails as undeliverable, so failures can be seen too. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "webhook_url");
  json_builder_add_string_value (builder, hook_url);
  json_builder_set_member_name (builder, "auto_approve");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "fail_rate");
  json_builder_add_double_value (builder, 1.0 / 30);
  json_builder_set_member_name (builder, "fail_code");
  json_builder_add_int_value (builder, 131026);
  json_builder_set_member_name (builder, "webhooks");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sent_delay_ms");
  json_builder_add_int_value (builder, 300);
  json_builder_set_member_name (builder, "delivered_delay_ms");
  json_builder_add_int_value (builder, 1200);
  json_builder_set_member_name (builder, "read_delay_ms");
  json_builder_add_int_value (builder, 3000);
  json_builder_set_member_name (builder, "read");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  control = json_builder_get_root (builder);
  return herald_sim_server_control (self->sim, json_node_get_object (control), error);
}

static gpointer
sandbox_thread (gpointer data)
{
  HeraldSandbox *self = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  ok = start_in_thread (self, &error);

  g_mutex_lock (&self->mutex);
  if (ok)
    self->api_base = g_strdup (herald_sim_server_get_url (self->sim));
  else
    self->start_error = g_steal_pointer (&error);
  self->ready = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (ok)
    g_main_loop_run (self->loop);

  if (self->hooks != NULL)
    soup_server_disconnect (self->hooks);
  g_clear_object (&self->hooks);
  g_clear_object (&self->sim);
  g_clear_object (&self->applier);
  g_clear_object (&self->store);
  /* Let the sockets' last callbacks run before the context goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

typedef struct
{
  HeraldSandbox *self;
  gpointer     (*func) (HeraldSandbox *self, gpointer data, GError **error);
  gpointer       data;
  gpointer       result;
  GError        *error;
  gboolean       done;
} ThreadCall;

static gboolean
thread_call_cb (gpointer user_data)
{
  ThreadCall *call = user_data;

  call->result = call->func (call->self, call->data, &call->error);
  g_mutex_lock (&call->self->mutex);
  call->done = TRUE;
  g_cond_broadcast (&call->self->cond);
  g_mutex_unlock (&call->self->mutex);
  return G_SOURCE_REMOVE;
}

/* Runs @func in the sim's thread and waits for it: the sim's work is short
 * (a lookup, adding a template), so the caller waits microseconds. */
static gpointer
call_in_thread (HeraldSandbox  *self,
                gpointer      (*func) (HeraldSandbox *self, gpointer data, GError **error),
                gpointer        data,
                GError        **error)
{
  ThreadCall call = { self, func, data, NULL, NULL, FALSE };

  g_main_context_invoke (self->context, thread_call_cb, &call);
  g_mutex_lock (&self->mutex);
  while (!call.done)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.result;
}

/* GObject */

static void
herald_sandbox_finalize (GObject *object)
{
  HeraldSandbox *self = HERALD_SANDBOX (object);

  if (self->thread != NULL)
    {
      g_main_loop_quit (self->loop);
      g_thread_join (self->thread);
    }
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self->db_path);
  g_free (self->token);
  g_free (self->api_base);

  G_OBJECT_CLASS (herald_sandbox_parent_class)->finalize (object);
}

static void
herald_sandbox_class_init (HeraldSandboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = herald_sandbox_finalize;
}

static void
herald_sandbox_init (HeraldSandbox *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
}

HeraldSandbox *
herald_sandbox_get_for_worker (HeraldStoreWorker *worker)
{
  HeraldSandbox *self;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);

  self = g_object_get_data (G_OBJECT (worker), "herald-sandbox");
  if (self == NULL)
    {
      g_autofree char *random = g_uuid_string_random ();

      self = g_object_new (HERALD_TYPE_SANDBOX, NULL);
      self->worker = worker;
      self->db_path = g_strdup (herald_store_worker_get_path (worker));
      /* Only this process knows it; it never leaves memory. */
      self->token = g_strconcat ("sandbox-", random, NULL);
      g_object_set_data_full (G_OBJECT (worker), "herald-sandbox", self, g_object_unref);
    }
  return self;
}

gboolean
herald_sandbox_start (HeraldSandbox  *self,
                      GError        **error)
{
  g_return_val_if_fail (HERALD_IS_SANDBOX (self), FALSE);

  if (self->thread == NULL)
    {
      self->context = g_main_context_new ();
      self->loop = g_main_loop_new (self->context, FALSE);
      self->thread = g_thread_new ("herald-sandbox", sandbox_thread, self);
    }

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error != NULL)
    {
      g_propagate_prefixed_error (error, g_error_copy (self->start_error), _("The Sandbox could not start: "));
      return FALSE;
    }
  return TRUE;
}

gboolean
herald_sandbox_get_running (HeraldSandbox *self)
{
  g_return_val_if_fail (HERALD_IS_SANDBOX (self), FALSE);
  return self->api_base != NULL;
}

const char *
herald_sandbox_get_api_base (HeraldSandbox *self)
{
  g_return_val_if_fail (HERALD_IS_SANDBOX (self), NULL);
  return self->api_base;
}

const char *
herald_sandbox_get_access_token (HeraldSandbox *self)
{
  g_return_val_if_fail (HERALD_IS_SANDBOX (self), NULL);
  return self->api_base != NULL ? self->token : NULL;
}

static gpointer
get_stats_in_thread (HeraldSandbox  *self,
                     gpointer        data,
                     GError        **error)
{
  return herald_sim_server_get_stats (self->sim);
}

JsonNode *
herald_sandbox_get_stats (HeraldSandbox *self)
{
  g_return_val_if_fail (HERALD_IS_SANDBOX (self), NULL);

  if (!herald_sandbox_get_running (self))
    return NULL;
  return call_in_thread (self, get_stats_in_thread, NULL, NULL);
}

/* The opening of every job that needs the sim: a task for @source_tag, or
 * NULL once the task has returned why the sim could not start. */
static GTask *
start_task (HeraldSandbox       *self,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  if (!herald_sandbox_start (self, &error))
    {
      g_task_return_error (task, error);
      return NULL;
    }
  return g_steal_pointer (&task);
}

/* Setting up */

static const struct
{
  const char *name;
  const char *mobile_number;
} sample_contacts[] = {
  { "Ada Lovelace", "+15550100101" },
  { "Grace Hopper", "+15550100102" },
  { "Alan Turing", "+15550100103" },
  { "Katherine Johnson", "+15550100104" },
  { "Linus Pauling", "+15550100105" },
  { "Hedy Lamarr", "+15550100106" },
  { "Tim Berners-Lee", "+15550100107" },
  { "Margaret Hamilton", "+15550100108" },
};

static gpointer
set_up_func (HeraldStore   *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  number = herald_store_get_number_by_phone_number_id (store, HERALD_SANDBOX_PHONE_NUMBER_ID, &local_error);
  if (number == NULL)
    {
      if (!g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_clear_error (&local_error);
      number = herald_number_new (HERALD_SANDBOX_PHONE_NUMBER_ID, SANDBOX_PHONE_NUMBER);
      herald_number_set_display_name (number, _("Sandbox"));
      herald_number_set_verified_name (number, _("Sandbox"));
      herald_number_set_is_sandbox (number, TRUE);
      herald_number_set_messages_per_second (number, SANDBOX_MESSAGES_PER_SECOND);
      if (!herald_store_save_number (store, number, error))
        return NULL;
    }

  template = herald_store_get_template_by_name (store, SANDBOX_TEMPLATE_NAME, "en", &local_error);
  if (template == NULL)
    {
      g_clear_error (&local_error);
      template = herald_template_new ();
      herald_template_set_name (template, SANDBOX_TEMPLATE_NAME);
      herald_template_set_language (template, "en");
      herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
      herald_template_set_body (template, _("Hello {{1}}, your order is ready. You can pick it up today until 6 pm."));
      herald_template_set_footer (template, _("Sent from the Herald Sandbox"));
      herald_template_set_examples (template, "{\"1\": \"Ada\"}");
      herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
      if (!herald_store_save_template (store, template, error))
        return NULL;
    }

  if (herald_store_count_contacts (store, NULL, NULL) == 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (sample_contacts); i++)
        {
          g_autoptr(HeraldContact) contact = herald_contact_new (sample_contacts[i].name,
                                                                 sample_contacts[i].mobile_number);
          gboolean created;

          if (!herald_store_upsert_contact (store, contact, &created, error))
            return NULL;
        }
    }

  id = herald_number_get_id (number);
  return g_memdup2 (&id, sizeof id);
}

static void
on_set_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *id = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);

  if (id == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, *id);
}

void
herald_sandbox_set_up_async (HeraldSandbox       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HERALD_IS_SANDBOX (self));

  task = start_task (self, herald_sandbox_set_up_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  herald_store_worker_run_async (self->worker, set_up_func, NULL, NULL, cancellable,
                                 on_set_up_cb, task);
}

gint64
herald_sandbox_set_up_finish (HeraldSandbox  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  return g_task_propagate_int (G_TASK (result), error);
}

static gpointer
approve_template_func (HeraldStore   *store,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(HeraldTemplate) template = herald_store_get_template (store, *(gint64 *) data, error);

  if (template == NULL)
    return NULL;
  if (herald_template_get_status (template) != HERALD_TEMPLATE_APPROVED)
    {
      /* In the Sandbox, "Meta" approves at once. */
      herald_template_set_status (template, HERALD_TEMPLATE_APPROVED);
      if (!herald_store_save_template (store, template, error))
        return NULL;
    }
  return g_steal_pointer (&template);
}

static gpointer
add_template_in_thread (HeraldSandbox  *self,
                        gpointer        data,
                        GError        **error)
{
  g_autoptr(JsonNode) request = herald_template_to_meta_create_request (data, error);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) control = NULL;

  if (request == NULL)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "add_template");
  json_builder_add_value (builder, g_steal_pointer (&request));
  json_builder_end_object (builder);
  control = json_builder_get_root (builder);
  if (!herald_sim_server_control (self->sim, json_node_get_object (control), error))
    return NULL;
  return HERALD_STORE_WORKER_TRUE;
}

static void
on_template_approved_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HeraldSandbox *self = g_task_get_source_object (task);
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  template = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (template == NULL || call_in_thread (self, add_template_in_thread, template, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
herald_sandbox_prepare_template_async (HeraldSandbox       *self,
                                       gint64               template_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HERALD_IS_SANDBOX (self));

  task = start_task (self, herald_sandbox_prepare_template_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  herald_store_worker_run_async (self->worker, approve_template_func,
                                 g_memdup2 (&template_id, sizeof template_id), g_free,
                                 cancellable, on_template_approved_cb, task);
}

gboolean
herald_sandbox_prepare_template_finish (HeraldSandbox  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

HeraldCloudClient *
herald_sandbox_client_for_number (HeraldStoreWorker *worker,
                                  HeraldNumber      *number)
{
  HeraldSandbox *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);
  g_return_val_if_fail (HERALD_IS_NUMBER (number), NULL);

  if (!herald_number_get_is_sandbox (number))
    return NULL;
  self = herald_sandbox_get_for_worker (worker);
  /* Should the sim fail to start, the client points nowhere reachable
   * rather than at Meta: its requests fail with a connection error. */
  if (!herald_sandbox_start (self, &error))
    {
      g_warning ("%s", error->message);
      return herald_cloud_client_new ("http://127.0.0.1:1", self->token);
    }
  return herald_cloud_client_new (self->api_base, self->token);
}
