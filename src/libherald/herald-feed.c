/* herald-feed.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "herald-feed.h"
#include "herald-status-applier.h"
#include "herald-store.h"

/* The desktop's side of the relay protocol (architecture.md): GET
 * /v1/events?after=CURSOR&wait=S, then, on a worker thread with the feed's
 * own database connection, verify each event's signature and apply it
 * (HeraldStatusApplier), saving the cursor in the same transaction. The
 * relay is not trusted, and an event is applied once however often it is
 * polled (webhook_events.relay_url and relay_seq are unique together). */

#define FEED_LIMIT 1000
#define DEFAULT_BACKOFF_MIN_MS 1000
#define DEFAULT_BACKOFF_MAX_MS (5 * 60 * 1000)
/* How long past the long-poll wait a request may take before it counts as lost. */
#define REQUEST_SLACK_SECONDS 15

struct _HeraldFeed
{
  GObject              parent_instance;

  char                *database_path;
  char                *relay_url;
  char                *feed_token;
  char                *app_secret;
  guint                wait_seconds;
  guint                backoff_min_ms;
  guint                backoff_max_ms;

  HeraldFeedState      state;
  char                *last_error;
  GDateTime           *last_event_at;
  guint64              events_applied;
  /* The last relay seq applied; -1 until read from the settings. */
  gint64               cursor;

  SoupSession         *session;
  GMainContext        *context;

  /* The loop of herald_feed_start () */
  GCancellable        *run_cancellable;
  GSource             *retry_source;
  guint                failures;

  /* The worker's connection: only used on worker threads, one at a time. */
  GMutex               worker_lock;
  HeraldStore         *worker_store;
  HeraldStatusApplier *worker_applier;
};

G_DEFINE_FINAL_TYPE (HeraldFeed, herald_feed, G_TYPE_OBJECT)

G_DEFINE_QUARK (herald-feed-error-quark, herald_feed_error)

G_DEFINE_ENUM_TYPE (HeraldFeedState, herald_feed_state,
                    G_DEFINE_ENUM_VALUE (HERALD_FEED_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (HERALD_FEED_WAITING, "waiting"),
                    G_DEFINE_ENUM_VALUE (HERALD_FEED_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (HERALD_FEED_OFFLINE, "offline"))

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_RELAY_URL,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_LAST_EVENT_AT,
  PROP_EVENTS_APPLIED,
  PROP_CURSOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_next (HeraldFeed *self,
                           guint       delay_ms);

/* Property setters */

static void
set_state (HeraldFeed      *self,
           HeraldFeedState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (HeraldFeed *self,
                const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

/* Worker side */

static gboolean
ensure_worker_store (HeraldFeed  *self,
                     GError     **error)
{
  if (self->worker_store != NULL)
    return TRUE;

  self->worker_store = herald_store_new (self->database_path, error);
  if (self->worker_store == NULL)
    return FALSE;

  self->worker_applier = herald_status_applier_new (self->worker_store);
  return TRUE;
}

static char *
cursor_key (HeraldFeed *self)
{
  return g_strconcat (HERALD_SETTING_RELAY_CURSOR_PREFIX, self->relay_url, NULL);
}

static gint64
read_cursor (HeraldFeed  *self,
             GError     **error)
{
  g_autofree char *key = cursor_key (self);
  g_autofree char *value = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 cursor = 0;

  value = herald_store_get_setting (self->worker_store, key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  if (value != NULL && !g_ascii_string_to_signed (value, 10, 0, G_MAXINT64, &cursor, NULL))
    cursor = 0;

  return cursor;
}

static void
load_cursor_in_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  HeraldFeed *self = source_object;
  g_autoptr(GError) error = NULL;
  gint64 cursor = -1;

  g_mutex_lock (&self->worker_lock);
  if (ensure_worker_store (self, &error))
    cursor = read_cursor (self, &error);
  g_mutex_unlock (&self->worker_lock);

  if (cursor < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, cursor);
}

/* One answer of /v1/events, to apply. */
typedef struct
{
  GBytes            *answer;
  char              *app_secret;

  /* Results */
  guint              n_events;
  gint64             next;
  GDateTime         *newest;
  HeraldApplyReport  report;
} ApplyJob;

static void
apply_job_free (ApplyJob *job)
{
  g_bytes_unref (job->answer);
  g_free (job->app_secret);
  g_clear_pointer (&job->newest, g_date_time_unref);
  herald_apply_report_clear (&job->report);
  g_free (job);
}

static gboolean
bad_answer (GError     **error,
            const char  *detail)
{
  g_set_error (error, HERALD_FEED_ERROR, HERALD_FEED_ERROR_BAD_ANSWER,
               _("The relay’s answer is not a feed of events: %s"), detail);
  return FALSE;
}

/* The relay's {"events":[{seq, received_at, signature, body}], "next"}. */
static gboolean
parse_answer (ApplyJob   *job,
              GPtrArray  *payloads,
              GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (job->answer, &len);
  JsonNode *root;
  JsonObject *object;
  JsonNode *events_node;
  JsonArray *events;

  if (!json_parser_load_from_data (parser, data ? data : "", (gssize) len, &local_error))
    return bad_answer (error, local_error->message);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return bad_answer (error, _("not a JSON object"));
  object = json_node_get_object (root);
  events_node = json_object_get_member (object, "events");
  if (events_node == NULL || !JSON_NODE_HOLDS_ARRAY (events_node))
    return bad_answer (error, _("“events” is not a list"));
  events = json_node_get_array (events_node);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      JsonObject *event;
      JsonNode *seq, *body, *signature, *received_at;
      const char *text;
      g_autoptr(GBytes) bytes = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return bad_answer (error, _("an event is not an object"));
      event = json_node_get_object (node);
      seq = json_object_get_member (event, "seq");
      body = json_object_get_member (event, "body");
      signature = json_object_get_member (event, "signature");
      received_at = json_object_get_member (event, "received_at");
      if (seq == NULL || json_node_get_value_type (seq) != G_TYPE_INT64 || json_node_get_int (seq) <= 0)
        return bad_answer (error, _("an event has no “seq” number"));
      if (body == NULL || json_node_get_value_type (body) != G_TYPE_STRING)
        return bad_answer (error, _("an event has no “body” text"));
      if (signature != NULL && !JSON_NODE_HOLDS_NULL (signature) &&
          json_node_get_value_type (signature) != G_TYPE_STRING)
        return bad_answer (error, _("an event’s “signature” is not text"));
      if (received_at != NULL && json_node_get_value_type (received_at) != G_TYPE_STRING)
        received_at = NULL;

      text = json_node_get_string (body);
      bytes = g_bytes_new (text, strlen (text));
      g_ptr_array_add (payloads,
                       herald_relay_payload_new (json_node_get_int (seq),
                                                 received_at ? json_node_get_string (received_at) : NULL,
                                                 signature && !JSON_NODE_HOLDS_NULL (signature)
                                                   ? json_node_get_string (signature) : NULL,
                                                 bytes));
      job->next = MAX (job->next, json_node_get_int (seq));

      if (received_at != NULL)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (json_node_get_string (received_at), NULL);

          if (when != NULL && (job->newest == NULL || g_date_time_compare (when, job->newest) > 0))
            {
              g_clear_pointer (&job->newest, g_date_time_unref);
              job->newest = g_steal_pointer (&when);
            }
        }
    }

  job->n_events = json_array_get_length (events);
  return TRUE;
}

/* Records and applies the events and saves the cursor, in one transaction. */
static gboolean
apply_answer (HeraldFeed  *self,
              ApplyJob    *job,
              GPtrArray   *payloads,
              GError     **error)
{
  g_autofree char *key = cursor_key (self);
  g_autofree char *next = NULL;
  g_autoptr(GError) rollback_error = NULL;
  gint64 cursor;

  if (!herald_store_begin (self->worker_store, error))
    return FALSE;

  if (!herald_status_applier_apply_relay (self->worker_applier, self->relay_url, payloads, job->app_secret,
                                          &job->report, error) ||
      (cursor = read_cursor (self, error)) < 0)
    goto failed;

  /* Never back: a slower poll of the same relay may finish after a faster one. */
  job->next = MAX (job->next, cursor);
  next = g_strdup_printf ("%" PRId64, job->next);
  if (!herald_store_set_setting (self->worker_store, key, next, error) ||
      !herald_store_commit (self->worker_store, error))
    goto failed;

  return TRUE;

failed:
  if (!herald_store_rollback (self->worker_store, &rollback_error))
    g_warning ("%s", rollback_error->message);
  return FALSE;
}

static void
apply_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  HeraldFeed *self = source_object;
  ApplyJob *job = task_data;
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_relay_payload_free);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!parse_answer (job, payloads, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_mutex_lock (&self->worker_lock);
  ok = ensure_worker_store (self, &error) && apply_answer (self, job, payloads, &error);
  g_mutex_unlock (&self->worker_lock);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* One request and its apply: fetch_async */

typedef struct
{
  guint  wait_seconds;
  guint  n_events;     /* in the relay's answer */
  guint  n_recorded;   /* new events recorded */
} Fetch;

static void
on_applied_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  HeraldFeed *self = HERALD_FEED (source);
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  ApplyJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fetch->n_events = job->n_events;
  fetch->n_recorded = job->report.payloads;

  if (job->next != self->cursor)
    {
      self->cursor = job->next;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
    }
  if (job->report.payloads > 0)
    {
      self->events_applied += job->report.payloads;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS_APPLIED]);
    }
  if (job->newest != NULL &&
      (self->last_event_at == NULL || g_date_time_compare (job->newest, self->last_event_at) > 0))
    {
      g_clear_pointer (&self->last_event_at, g_date_time_unref);
      self->last_event_at = g_date_time_ref (job->newest);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_EVENT_AT]);
    }
  /* A rejected event is news for the user, not a failure of the feed. */
  if (job->report.problem != NULL)
    set_last_error (self, job->report.problem);

  g_task_return_boolean (task, TRUE);
}

static void
on_events_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HeraldFeed *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GTask) apply_task = NULL;
  GCancellable *cancellable;
  SoupMessage *msg;
  ApplyJob *job;
  guint status;

  answer = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (answer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("The relay at %s cannot be reached: "), self->relay_url);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_task_return_new_error (task, HERALD_FEED_ERROR, HERALD_FEED_ERROR_UNAUTHORIZED,
                               _("The relay at %s refused the feed token"), self->relay_url);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_new_error (task, HERALD_FEED_ERROR, HERALD_FEED_ERROR_BAD_ANSWER,
                               _("The relay at %s answered %u %s"), self->relay_url, status,
                               soup_message_get_reason_phrase (msg));
      return;
    }

  job = g_new0 (ApplyJob, 1);
  job->answer = g_steal_pointer (&answer);
  job->app_secret = g_strdup (self->app_secret);
  job->next = MAX (self->cursor, 0);

  cancellable = g_task_get_cancellable (task);
  apply_task = g_task_new (self, cancellable, on_applied_cb, g_steal_pointer (&task));
  g_task_set_source_tag (apply_task, on_events_read_cb);
  g_task_set_task_data (apply_task, job, (GDestroyNotify) apply_job_free);
  /* Once started, the apply finishes: its transaction holds the cursor. */
  g_task_set_check_cancellable (apply_task, FALSE);
  g_task_run_in_thread (apply_task, apply_in_thread);
}

static void
send_request (GTask *task)
{
  HeraldFeed *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  gsize base_len = strlen (self->relay_url);

  /* The relay's base URL, with or without a trailing slash. */
  while (base_len > 0 && self->relay_url[base_len - 1] == '/')
    base_len--;
  url = g_strdup_printf ("%.*s/v1/events?after=%" PRId64 "&limit=%u&wait=%u",
                         (int) base_len, self->relay_url, self->cursor, FEED_LIMIT,
                         fetch->wait_seconds);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, HERALD_FEED_ERROR, HERALD_FEED_ERROR_NOT_CONFIGURED,
                               _("The relay URL “%s” is not valid"), self->relay_url);
      g_object_unref (task);
      return;
    }

  authorization = g_strconcat ("Bearer ", self->feed_token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  /* A GET of the feed is safe to repeat, so it may reuse a kept-alive connection. */
  soup_message_set_flags (msg, SOUP_MESSAGE_IDEMPOTENT);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_events_read_cb, task);
}

static void
on_cursor_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  HeraldFeed *self = HERALD_FEED (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gint64 cursor = g_task_propagate_int (G_TASK (result), &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->cursor < 0)
    {
      self->cursor = cursor;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
    }
  send_request (g_steal_pointer (&task));
}

static void
fetch_async (HeraldFeed          *self,
             guint                wait_seconds,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  g_task_set_source_tag (task, fetch_async);
  fetch->wait_seconds = wait_seconds;
  g_task_set_task_data (task, fetch, g_free);

  if (self->relay_url == NULL || *self->relay_url == '\0' ||
      self->feed_token == NULL || *self->feed_token == '\0')
    {
      g_task_return_new_error (task, HERALD_FEED_ERROR, HERALD_FEED_ERROR_NOT_CONFIGURED,
                               _("The relay URL and its feed token are not set"));
      return;
    }

  if (self->cursor < 0)
    {
      g_autoptr(GTask) load = g_task_new (self, cancellable, on_cursor_loaded_cb, g_steal_pointer (&task));

      g_task_set_source_tag (load, fetch_async);
      g_task_run_in_thread (load, load_cursor_in_thread);
      return;
    }

  send_request (g_steal_pointer (&task));
}

static Fetch *
fetch_finish (HeraldFeed    *self,
              GAsyncResult  *result,
              GError       **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  return g_task_get_task_data (G_TASK (result));
}

/* herald_feed_poll_once_async: fetch until the relay has nothing newer */

typedef struct
{
  gint64 recorded;
} PollOnce;

static void
on_poll_once_fetched_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  HeraldFeed *self = HERALD_FEED (source);
  g_autoptr(GTask) task = user_data;
  PollOnce *poll = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  Fetch *fetch = fetch_finish (self, result, &error);

  if (fetch == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_last_error (self, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  poll->recorded += fetch->n_recorded;
  if (fetch->n_events == 0)
    {
      g_task_return_int (task, poll->recorded);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  fetch_async (self, 0, cancellable, on_poll_once_fetched_cb, g_steal_pointer (&task));
}

void
herald_feed_poll_once_async (HeraldFeed          *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HERALD_IS_FEED (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_feed_poll_once_async);
  g_task_set_task_data (task, g_new0 (PollOnce, 1), g_free);

  fetch_async (self, 0, cancellable, on_poll_once_fetched_cb, g_steal_pointer (&task));
}

gint64
herald_feed_poll_once_finish (HeraldFeed    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (HERALD_IS_FEED (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* The loop of herald_feed_start () */

static guint
backoff_delay_ms (HeraldFeed *self)
{
  guint64 delay = self->backoff_min_ms;

  for (guint i = 1; i < self->failures && delay < self->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->backoff_max_ms);

  /* Jitter: a random half to all of the delay, so that many desktops do not
   * hammer a relay that comes back all at the same moment. */
  return (guint) (delay / 2 + g_random_int_range (0, (gint32) MAX (delay / 2, 1) + 1));
}

static void
on_loop_fetched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  HeraldFeed *self = HERALD_FEED (source);
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  Fetch *fetch = fetch_finish (self, result, &error);

  /* Stopped (or restarted) meanwhile: this loop is over. */
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->run_cancellable)
    return;

  if (fetch == NULL)
    {
      self->failures++;
      set_last_error (self, error->message);
      set_state (self, HERALD_FEED_OFFLINE);
      schedule_next (self, backoff_delay_ms (self));
      return;
    }

  self->failures = 0;
  set_state (self, HERALD_FEED_CONNECTED);
  schedule_next (self, 0);
}

static gboolean
on_retry_cb (gpointer user_data)
{
  HeraldFeed *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  if (self->state != HERALD_FEED_CONNECTED)
    set_state (self, HERALD_FEED_WAITING);
  fetch_async (self, self->wait_seconds, self->run_cancellable, on_loop_fetched_cb,
               g_object_ref (self->run_cancellable));
  return G_SOURCE_REMOVE;
}

static void
schedule_next (HeraldFeed *self,
               guint       delay_ms)
{
  g_assert (self->retry_source == NULL);

  self->retry_source = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();
  g_source_set_callback (self->retry_source, on_retry_cb, self, NULL);
  g_source_attach (self->retry_source, self->context);
}

void
herald_feed_start (HeraldFeed *self)
{
  g_return_if_fail (HERALD_IS_FEED (self));

  if (self->run_cancellable != NULL)
    return;

  self->run_cancellable = g_cancellable_new ();
  self->failures = 0;
  set_state (self, HERALD_FEED_WAITING);
  schedule_next (self, 0);
}

void
herald_feed_stop (HeraldFeed *self)
{
  g_return_if_fail (HERALD_IS_FEED (self));

  if (self->retry_source != NULL)
    {
      g_source_destroy (self->retry_source);
      g_clear_pointer (&self->retry_source, g_source_unref);
    }
  if (self->run_cancellable != NULL)
    {
      g_cancellable_cancel (self->run_cancellable);
      g_clear_object (&self->run_cancellable);
    }
  set_state (self, HERALD_FEED_STOPPED);
}

/* GObject */

static void
herald_feed_dispose (GObject *object)
{
  HeraldFeed *self = (HeraldFeed *)object;

  herald_feed_stop (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (herald_feed_parent_class)->dispose (object);
}

static void
wipe_secret (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
herald_feed_finalize (GObject *object)
{
  HeraldFeed *self = (HeraldFeed *)object;

  g_clear_object (&self->worker_applier);
  g_clear_object (&self->worker_store);
  g_mutex_clear (&self->worker_lock);
  wipe_secret (&self->feed_token);
  wipe_secret (&self->app_secret);
  g_free (self->database_path);
  g_free (self->relay_url);
  g_free (self->last_error);
  g_clear_pointer (&self->last_event_at, g_date_time_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (herald_feed_parent_class)->finalize (object);
}

static void
herald_feed_constructed (GObject *object)
{
  HeraldFeed *self = (HeraldFeed *)object;

  G_OBJECT_CLASS (herald_feed_parent_class)->constructed (object);

  self->context = g_main_context_ref_thread_default ();
  self->session = soup_session_new_with_options ("timeout", self->wait_seconds + REQUEST_SLACK_SECONDS,
                                                 "user-agent", "Herald/" PACKAGE_VERSION,
                                                 NULL);
}

static void
herald_feed_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HeraldFeed *self = HERALD_FEED (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;

    case PROP_RELAY_URL:
      g_value_set_string (value, self->relay_url);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    case PROP_LAST_EVENT_AT:
      g_value_set_boxed (value, self->last_event_at);
      break;

    case PROP_EVENTS_APPLIED:
      g_value_set_uint64 (value, self->events_applied);
      break;

    case PROP_CURSOR:
      g_value_set_int64 (value, self->cursor);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_feed_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HeraldFeed *self = HERALD_FEED (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      self->database_path = g_value_dup_string (value);
      break;

    case PROP_RELAY_URL:
      self->relay_url = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_feed_class_init (HeraldFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = herald_feed_constructed;
  object_class->dispose = herald_feed_dispose;
  object_class->finalize = herald_feed_finalize;
  object_class->get_property = herald_feed_get_property;
  object_class->set_property = herald_feed_set_property;

  /** HeraldFeed:database-path: the database events are applied to (NULL: the app's). */
  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** HeraldFeed:relay-url: the base URL of herald-relay. */
  properties[PROP_RELAY_URL] =
    g_param_spec_string ("relay-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /** HeraldFeed:state: whether the relay answers. */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HERALD_TYPE_FEED_STATE, HERALD_FEED_STOPPED, flags);
  /** HeraldFeed:last-error: the last problem, for people (a failed poll, a rejected event). */
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  /** HeraldFeed:last-event-at: when the relay received the newest event applied. */
  properties[PROP_LAST_EVENT_AT] =
    g_param_spec_boxed ("last-event-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  /** HeraldFeed:events-applied: relay events recorded since the feed was made. */
  properties[PROP_EVENTS_APPLIED] =
    g_param_spec_uint64 ("events-applied", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  /** HeraldFeed:cursor: the last relay seq applied, -1 until read from the settings. */
  properties[PROP_CURSOR] =
    g_param_spec_int64 ("cursor", NULL, NULL, -1, G_MAXINT64, -1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_feed_init (HeraldFeed *self)
{
  g_mutex_init (&self->worker_lock);
  self->cursor = -1;
  self->wait_seconds = HERALD_FEED_DEFAULT_WAIT_SECONDS;
  self->backoff_min_ms = DEFAULT_BACKOFF_MIN_MS;
  self->backoff_max_ms = DEFAULT_BACKOFF_MAX_MS;
}

HeraldFeed *
herald_feed_new (const char *database_path,
                 const char *relay_url)
{
  return g_object_new (HERALD_TYPE_FEED,
                       "database-path", database_path,
                       "relay-url", relay_url,
                       NULL);
}

const char *
herald_feed_get_database_path (HeraldFeed *self)
{
  g_return_val_if_fail (HERALD_IS_FEED (self), NULL);
  return self->database_path;
}

const char *
herald_feed_get_relay_url (HeraldFeed *self)
{
  g_return_val_if_fail (HERALD_IS_FEED (self), NULL);
  return self->relay_url;
}

void
herald_feed_set_feed_token (HeraldFeed *self,
                            const char *feed_token)
{
  g_return_if_fail (HERALD_IS_FEED (self));

  wipe_secret (&self->feed_token);
  self->feed_token = g_strdup (feed_token);
}

void
herald_feed_set_app_secret (HeraldFeed *self,
                            const char *app_secret)
{
  g_return_if_fail (HERALD_IS_FEED (self));

  wipe_secret (&self->app_secret);
  self->app_secret = g_strdup (app_secret);
}

void
herald_feed_set_wait_seconds (HeraldFeed *self,
                              guint       wait_seconds)
{
  g_return_if_fail (HERALD_IS_FEED (self));

  self->wait_seconds = MIN (wait_seconds, 30);
  g_object_set (self->session, "timeout", self->wait_seconds + REQUEST_SLACK_SECONDS, NULL);
}

void
herald_feed_set_backoff (HeraldFeed *self,
                         guint       min_ms,
                         guint       max_ms)
{
  g_return_if_fail (HERALD_IS_FEED (self));
  g_return_if_fail (min_ms > 0 && min_ms <= max_ms);

  self->backoff_min_ms = min_ms;
  self->backoff_max_ms = max_ms;
}

HeraldFeedState
herald_feed_get_state (HeraldFeed *self)
{
  g_return_val_if_fail (HERALD_IS_FEED (self), HERALD_FEED_STOPPED);
  return self->state;
}

const char *
herald_feed_get_last_error (HeraldFeed *self)
{
  g_return_val_if_fail (HERALD_IS_FEED (self), NULL);
  return self->last_error;
}

GDateTime *
herald_feed_get_last_event_at (HeraldFeed *self)
{
  g_return_val_if_fail (HERALD_IS_FEED (self), NULL);
  return self->last_event_at;
}

guint64
herald_feed_get_events_applied (HeraldFeed *self)
{
  g_return_val_if_fail (HERALD_IS_FEED (self), 0);
  return self->events_applied;
}

gint64
herald_feed_get_cursor (HeraldFeed *self)
{
  g_return_val_if_fail (HERALD_IS_FEED (self), -1);
  return self->cursor;
}
