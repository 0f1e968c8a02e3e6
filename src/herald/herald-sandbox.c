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
#define SANDBOX_APPROVE_DELAY_MS 2000

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

  /* Made by herald_sandbox_start (), then used only in the sim's thread: */
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

/* Called with the sim's context as the thread default, so that the
 * servers' sockets, the sim's timers and its webhook session all belong to
 * the sim's thread. */
static gboolean
set_up_servers (HeraldSandbox  *self,
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
   * fails as undeliverable, so failures can be seen too. A submitted
   * template is reviewed as Meta would: PENDING, then APPROVED (and its
   * template webhook), in the Sandbox's own business account. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "webhook_url");
  json_builder_add_string_value (builder, hook_url);
  json_builder_set_member_name (builder, "waba_id");
  json_builder_add_string_value (builder, HERALD_SANDBOX_WABA_ID);
  json_builder_set_member_name (builder, "auto_approve");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "approve_delay_ms");
  json_builder_add_int_value (builder, SANDBOX_APPROVE_DELAY_MS);
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

/* Drops the servers; the context must be free or owned by this thread. */
static void
tear_down_servers (HeraldSandbox *self)
{
  if (self->hooks != NULL)
    soup_server_disconnect (self->hooks);
  g_clear_object (&self->hooks);
  g_clear_object (&self->sim);
  g_clear_object (&self->applier);
  g_clear_object (&self->store);
  /* Let the sockets' last callbacks run before the context goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
}

static gpointer
sandbox_thread (gpointer data)
{
  HeraldSandbox *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  tear_down_servers (self);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* A job for the sim's thread, returning a pointer (NULL with @error set on
 * failure). */
typedef gpointer (*SimFunc) (HeraldSandbox  *self,
                             gpointer        data,
                             GError        **error);

typedef struct
{
  SimFunc        func;
  gpointer       data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} SimCall;

static void
sim_call_free (SimCall *call)
{
  if (call->data_free != NULL)
    call->data_free (call->data);
  g_free (call);
}

static gboolean
sim_call_cb (gpointer user_data)
{
  GTask *task = user_data;
  SimCall *call = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result;

  if (!g_task_return_error_if_cancelled (task))
    {
      result = call->func (g_task_get_source_object (task), call->data, &error);
      if (result == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, result, call->result_free);
    }

  /* Our reference goes back to the caller's context too: the answer may
   * have been dispatched there already, and the task's last reference
   * holds the Sandbox, whose finalize joins this thread. */
  herald_unref_in_context (task, g_task_get_context (task));
  return G_SOURCE_REMOVE;
}

/* Runs @func in the sim's thread and returns its answer through @task, in
 * the main context @task was made in. The caller never waits for the sim's
 * thread, which may be busy writing statuses to the database, and the task
 * is last released in the caller's context, never in the sim's thread. */
static void
run_in_sim (GTask          *task,
            SimFunc         func,
            gpointer        data,
            GDestroyNotify  data_free,
            GDestroyNotify  result_free)
{
  HeraldSandbox *self = g_task_get_source_object (task);
  SimCall *call = g_new0 (SimCall, 1);

  call->func = func;
  call->data = data;
  call->data_free = data_free;
  call->result_free = result_free;
  g_task_set_task_data (task, call, (GDestroyNotify) sim_call_free);
  g_main_context_invoke (self->context, sim_call_cb, task);
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
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
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

/* Never waits: the sockets are made and bound here, on loopback, which are
 * system calls that return at once, and the sim is set up here too (with
 * its context as this thread's default, so everything it makes belongs to
 * that context). The sim's thread only runs that context afterwards, and
 * connections wait in the sockets' queues until it does. Call it from one
 * thread (the main one). */
gboolean
herald_sandbox_start (HeraldSandbox  *self,
                      GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (HERALD_IS_SANDBOX (self), FALSE);

  if (self->thread != NULL)
    return TRUE;

  g_main_context_push_thread_default (self->context);
  ok = set_up_servers (self, &local_error);
  if (!ok)
    tear_down_servers (self);
  g_main_context_pop_thread_default (self->context);
  if (!ok)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("The Sandbox could not start: "));
      return FALSE;
    }

  self->api_base = g_strdup (herald_sim_server_get_url (self->sim));
  self->thread = g_thread_new ("herald-sandbox", sandbox_thread, self);
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

/* Counters */

static gpointer
get_stats_in_sim (HeraldSandbox  *self,
                  gpointer        data,
                  GError        **error)
{
  return herald_sim_server_get_stats (self->sim);
}

void
herald_sandbox_get_stats_async (HeraldSandbox       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HERALD_IS_SANDBOX (self));

  task = start_task (self, herald_sandbox_get_stats_async, cancellable, callback, user_data);
  if (task != NULL)
    run_in_sim (task, get_stats_in_sim, NULL, NULL, (GDestroyNotify) json_node_unref);
}

JsonNode *
herald_sandbox_get_stats_finish (HeraldSandbox  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Setting up */

/* Numbers kept for fiction (herald_phone_is_fictional()): no phone has them,
 * and campaigns on a real number leave them out. */
static const struct
{
  const char *name;
  const char *mobile_number;
} sample_contacts[] = {
  { "Ada Lovelace", "+12025550101" },
  { "Grace Hopper", "+12025550102" },
  { "Alan Turing", "+12025550103" },
  { "Katherine Johnson", "+12025550104" },
  { "Linus Pauling", "+12025550105" },
  { "Hedy Lamarr", "+12025550106" },
  { "Tim Berners-Lee", "+12025550107" },
  { "Margaret Hamilton", "+12025550108" },
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
      /* Approved by the Sandbox only: Meta never saw it, so it stays a
       * draft for real numbers. */
      herald_template_set_sandbox_status (template, HERALD_TEMPLATE_APPROVED);
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
  herald_store_worker_run_async (self->worker, set_up_func, NULL, NULL, g_free, cancellable,
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

/* Reads the template; its status and Meta id in the store are Meta's, and
 * what the Sandbox approves goes to its sandbox_status only
 * (set_sandbox_approved_func). */
static gpointer
load_template_func (HeraldStore   *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return herald_store_get_template (store, *(gint64 *) data, error);
}

/* Sim's thread: the template approved in the sim, added in Meta's create
 * format when the sim does not know it yet (a second campaign with it finds
 * it there; one submitted to the Sandbox may still be in review). */
static gpointer
add_template_in_sim (HeraldSandbox  *self,
                     gpointer        data,
                     GError        **error)
{
  HeraldTemplate *template = data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) control = NULL;
  g_autoptr(JsonNode) request = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "template");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, herald_template_get_name (template));
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, herald_template_get_language (template));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "APPROVED");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  control = json_builder_get_root (builder);
  /* Fails only when the sim has no such template. */
  if (herald_sim_server_control (self->sim, json_node_get_object (control), NULL))
    return HERALD_STORE_WORKER_TRUE;

  request = herald_template_to_meta_create_request (template, error);
  if (request == NULL)
    return NULL;
  g_clear_pointer (&control, json_node_unref);
  g_clear_object (&builder);
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

/* Worker thread: the sim approved it; the store says so in the Sandbox's
 * own review, never in Meta's status. */
static gpointer
set_sandbox_approved_func (HeraldStore   *store,
                           gpointer       data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  if (!herald_store_set_template_sandbox_status (store, *(gint64 *) data, HERALD_TEMPLATE_APPROVED, error))
    return NULL;
  return HERALD_STORE_WORKER_TRUE;
}

static void
on_sandbox_approved_stored_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, HERALD_STORE_WORKER_TRUE, NULL);
}

static void
on_approved_in_sim_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HeraldSandbox *self = HERALD_SANDBOX (source);
  GError *error = NULL;
  gint64 *template_id = g_task_get_task_data (task);
  GCancellable *cancellable;

  if (g_task_propagate_pointer (G_TASK (result), &error) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  herald_store_worker_run_async (self->worker, set_sandbox_approved_func,
                                 g_memdup2 (template_id, sizeof *template_id), g_free, NULL,
                                 cancellable, on_sandbox_approved_stored_cb, g_steal_pointer (&task));
}

static void
on_template_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  HeraldTemplate *template;
  HeraldSandbox *self;
  GCancellable *cancellable;
  GTask *in_sim;

  template = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (template == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self = g_task_get_source_object (task);
  cancellable = g_task_get_cancellable (task);
  in_sim = g_task_new (self, cancellable, on_approved_in_sim_cb, g_steal_pointer (&task));
  run_in_sim (in_sim, add_template_in_sim, template, g_object_unref, NULL);
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
  g_task_set_task_data (task, g_memdup2 (&template_id, sizeof template_id), g_free);
  herald_store_worker_run_async (self->worker, load_template_func,
                                 g_memdup2 (&template_id, sizeof template_id), g_free, g_object_unref,
                                 cancellable, on_template_loaded_cb, task);
}

gboolean
herald_sandbox_prepare_template_finish (HeraldSandbox  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/* Not reachable: a Sandbox that could not start answers with connection
 * errors rather than sending anything to Meta. */
#define UNREACHABLE_API_BASE "http://127.0.0.1:1"

gboolean
herald_sandbox_access_for_number (HeraldStoreWorker  *worker,
                                  HeraldNumber       *number,
                                  char              **api_base,
                                  char              **access_token)
{
  HeraldSandbox *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), FALSE);
  g_return_val_if_fail (HERALD_IS_NUMBER (number), FALSE);
  g_return_val_if_fail (api_base != NULL && access_token != NULL, FALSE);

  if (!herald_number_get_is_sandbox (number))
    return FALSE;
  self = herald_sandbox_get_for_worker (worker);
  if (!herald_sandbox_start (self, &error))
    {
      g_warning ("%s", error->message);
      *api_base = g_strdup (UNREACHABLE_API_BASE);
    }
  else
    *api_base = g_strdup (self->api_base);
  *access_token = g_strdup (self->token);
  return TRUE;
}

HeraldCloudClient *
herald_sandbox_client_for_number (HeraldStoreWorker *worker,
                                  HeraldNumber      *number)
{
  g_autofree char *api_base = NULL;
  g_autofree char *access_token = NULL;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);
  g_return_val_if_fail (HERALD_IS_NUMBER (number), NULL);

  if (!herald_sandbox_access_for_number (worker, number, &api_base, &access_token))
    return NULL;
  return herald_cloud_client_new (api_base, access_token);
}
