/* herald-sender.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <math.h>
#include <string.h>

#include "herald-campaign-private.h"
#include "herald-cloud-client.h"
#include "herald-secrets.h"
#include "herald-sender.h"
#include "herald-status-applier-private.h"
#include "herald-status-applier.h"
#include "herald-store-private.h"
#include "herald-webhook.h"

/* How a run keeps its promises (architecture.md, "Message life cycle"):
 *
 * - A batch of messages is claimed (claimed_at) and committed, with
 *   synchronous=FULL on this connection so that not even a power cut loses a
 *   claim, before any of their requests leaves. After a crash, a claimed
 *   PENDING message is in doubt: never sent again without the user's word;
 *   its status webhook (biz_opaque_callback_data = its id) settles it.
 * - Answers are recorded in batches (every FLUSH_INTERVAL_MS or FLUSH_MAX
 *   answers), each in one transaction; the counters follow by trigger.
 * - Pacing is exact, not conservative: sends are due at start + k/rate
 *   (a late timer is caught up), and a send leaves only when the one N =
 *   rate sends back is more than WINDOW_US old, so no sliding second ever
 *   holds more than N, as Meta counts them. A bounded window of requests is
 *   in flight; 130429 slows down multiplicatively (×0.85) and calm seconds
 *   recover additively (a twentieth of the rate each).
 * - Recipients stream by keyset (id > last) in claim batches, so memory
 *   stays flat; messages to retry are unclaimed with next_attempt_at and
 *   picked up by a later pass. */

#define FLUSH_INTERVAL_MS   50
#define FLUSH_MAX           500
#define CLAIM_BATCH_MAX     512
#define CLAIM_BATCH_MIN     8
#define POLL_INTERVAL_MS    200
#define PUBLISH_INTERVAL_US (100 * 1000)
#define COUNT_INTERVAL_US   G_USEC_PER_SEC
#define BACKOFF_MAX_MS      (15 * 60 * 1000)
/* Meta counts a number's messages in a sliding second. The limiter keeps
 * the send times of that second plus a margin for the loopback and network
 * jitter between our clock and theirs. */
#define WINDOW_US           (G_USEC_PER_SEC + 8000)
/* Sends of lateness (a late timer, a slow commit) caught up at once; more
 * would turn idle time into a burst. */
#define MAX_DEBT_SENDS      4

G_DEFINE_QUARK (herald-sender-error-quark, herald_sender_error)

typedef enum
{
  REQUEST_NONE,
  REQUEST_PAUSE,
  REQUEST_RESUME,
  REQUEST_CANCEL,
} Request;

typedef enum
{
  RESULT_ACCEPTED,
  RESULT_FAILED,
  RESULT_RETRY,
  RESULT_UNCLAIM,
  RESULT_IN_DOUBT,
} ResultKind;

typedef struct
{
  gint64  id;
  char   *mobile_number;
  char   *parameters;
  gint64  retry_count;
} Message;

typedef struct
{
  ResultKind  kind;
  gint64      id;
  gint64      code;
  gboolean    has_code;
  char       *text;        /* reason, or wamid for ACCEPTED */
  char       *wa_id;
  char       *at;          /* when, as stored */
  char       *due;         /* RETRY: next_attempt_at */
} Result;

/* What the owner's thread learns from the worker. */
typedef struct
{
  HeraldSender        *sender;
  HeraldCampaignStatus state;
  gint64               counts[5];
  gint64               in_doubt;
  gint64               pending;
  guint                in_flight;
  double               rate;
  char                *reason;
  gboolean             paused_now;
  gboolean             finished;
  GError              *error;
} Snapshot;

typedef struct _Worker Worker;

struct _HeraldSender
{
  GObject              parent_instance;

  char                *db_path;
  gint64               campaign_id;
  char                *api_base;
  char                *access_token;
  guint                rate;
  guint                max_in_flight;
  guint                max_retries;
  double               backoff_scale;
  gboolean             stop_when_paused;

  GMainContext        *owner_context;
  GTask               *task;
  GThread             *thread;
  gulong               cancel_handler;  /* on the task's cancellable, for the run */

  GMutex               lock;
  Request              request;

  HeraldCampaignStatus state;
  gint64               counts[5];
  gint64               in_doubt;
  gint64               pending;
  guint                in_flight;
  double               current_rate;
  char                *paused_reason;
};

G_DEFINE_FINAL_TYPE (HeraldSender, herald_sender, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAMPAIGN_ID,
  PROP_STATE,
  PROP_TOTAL,
  PROP_SENT,
  PROP_DELIVERED,
  PROP_READ,
  PROP_FAILED,
  PROP_IN_DOUBT,
  PROP_PENDING,
  PROP_IN_FLIGHT,
  PROP_CURRENT_RATE,
  PROP_PAUSED_REASON,
  PROP_DB_PATH,
  PROP_API_BASE,
  PROP_ACCESS_TOKEN,
  PROP_RATE,
  PROP_MAX_IN_FLIGHT,
  PROP_MAX_RETRIES,
  PROP_BACKOFF_SCALE,
  PROP_STOP_WHEN_PAUSED,
  N_PROPS
};

enum {
  SIGNAL_PROGRESS,
  SIGNAL_PAUSED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------
 * The worker: everything below runs in the sender's thread.
 * ------------------------------------------------------------------------- */

/* The monotonic times of the sends of the last WINDOW_US, oldest first: a
 * ring that grows to the most sent in one window. */
typedef struct
{
  gint64 *times;
  guint   capacity;
  guint   first;
  guint   length;
} SendTimes;

static gint64
send_times_get (const SendTimes *t,
                guint            i)
{
  return t->times[(t->first + i) % t->capacity];
}

static void
send_times_push (SendTimes *t,
                 gint64     when)
{
  if (t->length == t->capacity)
    {
      guint capacity = MAX (16, t->capacity * 2);
      gint64 *times = g_new (gint64, capacity);

      for (guint i = 0; i < t->length; i++)
        times[i] = send_times_get (t, i);
      g_free (t->times);
      t->times = times;
      t->capacity = capacity;
      t->first = 0;
    }
  t->times[(t->first + t->length) % t->capacity] = when;
  t->length++;
}

static void
send_times_forget_before (SendTimes *t,
                          gint64     when)
{
  while (t->length > 0 && send_times_get (t, 0) <= when)
    {
      t->first = (t->first + 1) % t->capacity;
      t->length--;
    }
}

struct _Worker
{
  HeraldSender        *sender;
  GMainContext        *context;
  GMainLoop           *loop;
  GCancellable        *cancellable;
  GRand               *rand;

  HeraldStore         *store;
  HeraldStatusApplier *applier;
  HeraldCloudClient   *client;
  HeraldTemplate      *template;
  char                *phone_number_id;
  char                *header_media;

  GQueue               ready;        /* Message: claimed, not sent yet */
  GPtrArray           *results;      /* Result: answered, not recorded yet */
  gboolean             accepted_unsettled; /* wamids recorded since the last apply_pending */
  gint64               cursor;
  gboolean             pass_done;
  guint                in_flight;
  guint                window;
  guint                max_retries;
  double               backoff_scale;

  double               rate_target;
  double               rate;
  gint64               next_send_us;
  SendTimes            sent_times;
  gint64               last_slowdown_us;
  gint64               last_speedup_us;

  GSource             *dispatch_source;
  GSource             *flush_source;
  GSource             *claim_source;
  GSource             *poll_source;

  HeraldCampaignStatus state;
  gboolean             paused;
  gboolean             cancelled;
  gboolean             finishing;
  char                *reason;
  GError              *error;

  gint64               last_publish_us;
  gint64               last_count_us;
  gint64               counts[5];
  gint64               in_doubt;
  gint64               pending;
};

static void dispatch (Worker *w);
static void finish (Worker *w, HeraldCampaignStatus state, GError *error);

static void
message_free (Message *message)
{
  g_free (message->mobile_number);
  g_free (message->parameters);
  g_free (message);
}

static void
result_free (Result *result)
{
  g_free (result->text);
  g_free (result->wa_id);
  g_free (result->at);
  g_free (result->due);
  g_free (result);
}

/* Publishing */

static gboolean
apply_snapshot (gpointer data)
{
  Snapshot *s = data;
  HeraldSender *self = s->sender;
  static const int count_props[] = { PROP_TOTAL, PROP_SENT, PROP_DELIVERED, PROP_READ, PROP_FAILED };
  gboolean changed = FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < G_N_ELEMENTS (count_props); i++)
    if (self->counts[i] != s->counts[i])
      {
        self->counts[i] = s->counts[i];
        g_object_notify_by_pspec (G_OBJECT (self), properties[count_props[i]]);
        changed = TRUE;
      }
#define SET(field, prop) \
  if (self->field != s->field) { self->field = s->field; g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); changed = TRUE; }
  SET (in_doubt, PROP_IN_DOUBT);
  SET (pending, PROP_PENDING);
  SET (in_flight, PROP_IN_FLIGHT);
#undef SET
  if (self->current_rate != s->rate)
    {
      self->current_rate = s->rate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_RATE]);
    }
  if (_herald_set_str (&self->paused_reason, s->reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED_REASON]);
  if (self->state != s->state)
    {
      self->state = s->state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      changed = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
  if (s->paused_now)
    g_signal_emit (self, signals[SIGNAL_PAUSED], 0, s->reason);

  if (s->finished)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_thread_join (g_steal_pointer (&self->thread));
      g_cancellable_disconnect (g_task_get_cancellable (task), self->cancel_handler);
      self->cancel_handler = 0;
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0, (int) s->state);
      if (s->error != NULL)
        g_task_return_error (task, g_steal_pointer (&s->error));
      else
        g_task_return_int (task, s->state);
    }

  return G_SOURCE_REMOVE;
}

static void
snapshot_free (Snapshot *s)
{
  g_clear_object (&s->sender);
  g_free (s->reason);
  g_clear_error (&s->error);
  g_free (s);
}

static void
refresh_counts (Worker *w)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  stmt = _herald_store_prepare_cached (w->store,
                                       "SELECT total_messages, sent_count, delivered_count, read_count,"
                                       " failed_count FROM campaigns WHERE id = ?1", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, w->sender->campaign_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    for (guint i = 0; i < G_N_ELEMENTS (w->counts); i++)
      w->counts[i] = sqlite3_column_int64 (stmt, i);
}

/* The slower counts, at most once a second: messages still to send, and
 * claimed ones that are neither queued, in flight nor answered (in doubt). */
static void
refresh_queue_counts (Worker *w)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  gint64 claimed = 0, unclaimed = 0;

  stmt = _herald_store_prepare_cached (w->store,
                                       "SELECT claimed_at IS NOT NULL, count(*) FROM message_logs"
                                       " WHERE campaign_id = ?1 AND status = 'PENDING' GROUP BY 1",
                                       NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, w->sender->campaign_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (sqlite3_column_int (stmt, 0))
        claimed = sqlite3_column_int64 (stmt, 1);
      else
        unclaimed = sqlite3_column_int64 (stmt, 1);
    }

  {
    gint64 busy = w->in_flight + w->ready.length;

    for (guint i = 0; i < w->results->len; i++)
      if (((Result *) g_ptr_array_index (w->results, i))->kind != RESULT_IN_DOUBT)
        busy++;
    w->in_doubt = MAX (0, claimed - busy);
    w->pending = unclaimed + MIN (claimed, busy);
  }
}

static void
publish (Worker   *w,
         gboolean  force,
         gboolean  paused_now)
{
  Snapshot *s;
  gint64 now = g_get_monotonic_time ();

  if (!force && now - w->last_publish_us < PUBLISH_INTERVAL_US)
    return;
  w->last_publish_us = now;

  refresh_counts (w);
  if (force || now - w->last_count_us >= COUNT_INTERVAL_US)
    {
      w->last_count_us = now;
      refresh_queue_counts (w);
    }

  s = g_new0 (Snapshot, 1);
  s->sender = g_object_ref (w->sender);
  s->state = w->state;
  memcpy (s->counts, w->counts, sizeof s->counts);
  s->in_doubt = w->in_doubt;
  s->pending = w->pending;
  s->in_flight = w->in_flight;
  s->rate = w->rate;
  s->reason = g_strdup (w->reason);
  s->paused_now = paused_now;
  g_main_context_invoke_full (w->sender->owner_context, G_PRIORITY_DEFAULT,
                              apply_snapshot, s, (GDestroyNotify) snapshot_free);
}

/* Timers */

static gboolean
on_source_ready (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, on_source_ready, NULL, NULL, NULL };

/* A source that fires at a monotonic time in µs (g_timeout_add is ms). */
static GSource *
timer_new (Worker      *w,
           GSourceFunc  callback,
           int          priority)
{
  GSource *source = g_source_new (&timer_funcs, sizeof (GSource));

  g_source_set_priority (source, priority);
  g_source_set_callback (source, callback, w, NULL);
  g_source_set_ready_time (source, -1);
  g_source_attach (source, w->context);
  return source;
}

static void
timer_schedule (GSource *source,
                gint64   when_us)
{
  gint64 current = g_source_get_ready_time (source);

  if (current == -1 || when_us < current)
    g_source_set_ready_time (source, when_us);
}

/* Recording answers */

static gboolean
record_result (Worker   *w,
               Result   *r,
               GError  **error)
{
  static const char * const sql[] = {
    /* RESULT_ACCEPTED: _herald_status_change_apply () */
    [RESULT_FAILED] =
      "UPDATE message_logs SET status = 'FAILED', failed_at = ?2, error_code = ?3,"
      " error_message = ?4, updated_at = ?2 WHERE id = ?1 AND status = 'PENDING'",
    [RESULT_RETRY] =
      "UPDATE message_logs SET claimed_at = NULL, retry_count = retry_count + 1,"
      " next_attempt_at = ?5, error_code = ?3, error_message = ?4, updated_at = ?2"
      " WHERE id = ?1 AND status = 'PENDING'",
    [RESULT_UNCLAIM] =
      "UPDATE message_logs SET claimed_at = NULL, updated_at = ?2"
      " WHERE id = ?1 AND status = 'PENDING'",
    [RESULT_IN_DOUBT] =
      "UPDATE message_logs SET error_message = ?4, updated_at = ?2"
      " WHERE id = ?1 AND status = 'PENDING'",
  };
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  if (r->kind == RESULT_ACCEPTED)
    {
      /* Meta took it: SENT, moved forward by the same rule as a webhook,
       * which may have moved the row further already. */
      HeraldStatusChange change = {
        .message_log_id = r->id,
        .status = HERALD_MESSAGE_SENT,
        .at = r->at,
        .now = r->at,
        .wa_message_id = r->text,
        .wa_id = r->wa_id,
      };
      gboolean changed;

      w->accepted_unsettled = TRUE;
      return _herald_status_change_apply (w->store, &change, &changed, error);
    }

  stmt = _herald_store_prepare_cached (w->store, sql[r->kind], error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, r->id);
  sqlite3_bind_text (stmt, 2, r->at, -1, SQLITE_STATIC);
  if (r->kind != RESULT_UNCLAIM)
    {
      if (r->kind != RESULT_IN_DOUBT && r->has_code)
        sqlite3_bind_int64 (stmt, 3, r->code);
      sqlite3_bind_text (stmt, 4, r->text, -1, SQLITE_STATIC);
      if (r->kind == RESULT_RETRY)
        sqlite3_bind_text (stmt, 5, r->due, -1, SQLITE_STATIC);
    }
  return _herald_store_step (w->store, stmt, _("record a message’s result"), error);
}

static gboolean
flush_results (Worker  *w,
               GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean owned;
  gboolean ok = TRUE;

  if (w->results->len == 0)
    return TRUE;

  if (!_herald_store_write_begin (w->store, &owned, error))
    return FALSE;
  for (guint i = 0; ok && i < w->results->len; i++)
    ok = record_result (w, g_ptr_array_index (w->results, i), &local_error);
  /* Statuses that came before their wamid was known apply now, in the
   * same transaction. */
  if (ok && w->accepted_unsettled)
    {
      g_auto(HeraldApplyReport) report = { 0, };

      ok = herald_status_applier_apply_pending (w->applier, &report, &local_error);
      w->accepted_unsettled = FALSE;
    }
  if (!_herald_store_write_end (w->store, owned, ok, ok ? &local_error : NULL) || !ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_ptr_array_set_size (w->results, 0);
  publish (w, FALSE, FALSE);
  return TRUE;
}

static gboolean
on_flush (gpointer data)
{
  Worker *w = data;
  g_autoptr(GError) error = NULL;

  if (!flush_results (w, &error))
    {
      finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
      return G_SOURCE_CONTINUE;
    }
  dispatch (w);
  return G_SOURCE_CONTINUE;
}

static void
add_result (Worker *w,
            Result *r)
{
  g_autoptr(GError) error = NULL;

  r->at = _herald_store_timestamp (NULL);
  g_ptr_array_add (w->results, r);
  if (w->results->len >= FLUSH_MAX)
    {
      if (!flush_results (w, &error))
        finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
    }
  else
    timer_schedule (w->flush_source, g_get_monotonic_time () + FLUSH_INTERVAL_MS * 1000);
}

/* Campaign status */

static gboolean
write_campaign_status (Worker      *w,
                       const char  *status,
                       const char  *reason,
                       GError     **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autofree char *now = _herald_store_timestamp (NULL);

  stmt = _herald_store_prepare_cached (w->store,
                                       "UPDATE campaigns SET status = ?2, paused_reason = ?3, updated_at = ?4,"
                                       " started_at = CASE WHEN ?2 = 'PROCESSING' THEN COALESCE (started_at, ?4)"
                                       "   ELSE started_at END,"
                                       " completed_at = CASE WHEN ?2 IN ('COMPLETED', 'FAILED', 'CANCELLED')"
                                       "   THEN COALESCE (completed_at, ?4) ELSE NULL END"
                                       " WHERE id = ?1",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->sender->campaign_id);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  return _herald_store_step (w->store, stmt, _("change the campaign’s status"), error);
}

/* Gives back the claims of messages that never left. */
static gboolean
unclaim_ready (Worker  *w,
               GError **error)
{
  Message *m;

  while ((m = g_queue_pop_head (&w->ready)) != NULL)
    {
      Result *r = g_new0 (Result, 1);

      r->kind = RESULT_UNCLAIM;
      r->id = m->id;
      r->at = _herald_store_timestamp (NULL);
      g_ptr_array_add (w->results, r);
      message_free (m);
    }
  return flush_results (w, error);
}

static void
finish (Worker               *w,
        HeraldCampaignStatus  state,
        GError               *error)
{
  if (w->finishing)
    {
      g_clear_error (&error);
      return;
    }
  w->finishing = TRUE;
  w->state = state;
  if (error != NULL)
    {
      g_autoptr(GError) ignored = NULL;

      g_free (w->reason);
      w->reason = g_strdup (error->message);
      w->error = error;
      if (w->store != NULL)
        write_campaign_status (w, "FAILED", w->reason, &ignored);
    }
  g_main_loop_quit (w->loop);
}

static void
enter_pause (Worker     *w,
             const char *reason,
             gboolean    cancel)
{
  g_autoptr(GError) error = NULL;

  if (w->cancelled || (w->paused && !cancel))
    return;
  w->paused = TRUE;
  w->cancelled = cancel;
  g_free (w->reason);
  w->reason = g_strdup (reason);
  w->state = cancel ? HERALD_CAMPAIGN_CANCELLED : HERALD_CAMPAIGN_PAUSED;

  if (!unclaim_ready (w, &error) ||
      !write_campaign_status (w, cancel ? "CANCELLED" : "PAUSED", cancel ? NULL : w->reason, &error))
    {
      finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
      return;
    }
  publish (w, TRUE, !cancel);
  dispatch (w);
}

static void
leave_pause (Worker *w)
{
  g_autoptr(GError) error = NULL;

  if (!w->paused || w->cancelled)
    return;
  w->paused = FALSE;
  g_clear_pointer (&w->reason, g_free);
  w->state = HERALD_CAMPAIGN_PROCESSING;
  w->cursor = 0;
  w->pass_done = FALSE;
  if (!write_campaign_status (w, "PROCESSING", NULL, &error))
    {
      finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
      return;
    }
  publish (w, TRUE, FALSE);
  dispatch (w);
}

/* Reads the campaign's row (another process may pause, resume or cancel it)
 * and the owner's requests. */
static gboolean
on_poll (gpointer data)
{
  Worker *w = data;
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  HeraldCampaignStatus status;
  Request request;

  g_mutex_lock (&w->sender->lock);
  request = w->sender->request;
  w->sender->request = REQUEST_NONE;
  g_mutex_unlock (&w->sender->lock);

  switch (request)
    {
    case REQUEST_PAUSE:
      enter_pause (w, _("Paused by you"), FALSE);
      break;
    case REQUEST_RESUME:
      leave_pause (w);
      break;
    case REQUEST_CANCEL:
      enter_pause (w, NULL, TRUE);
      break;
    case REQUEST_NONE:
    default:
      break;
    }
  if (w->finishing)
    return G_SOURCE_CONTINUE;

  stmt = _herald_store_prepare_cached (w->store, "SELECT status, paused_reason FROM campaigns WHERE id = ?1", &error);
  if (stmt == NULL)
    return G_SOURCE_CONTINUE;
  sqlite3_bind_int64 (stmt, 1, w->sender->campaign_id);
  if (sqlite3_step (stmt) != SQLITE_ROW ||
      !herald_campaign_status_from_string ((const char *) sqlite3_column_text (stmt, 0), &status))
    return G_SOURCE_CONTINUE;

  if (status == HERALD_CAMPAIGN_CANCELLED && !w->cancelled)
    {
      g_clear_pointer (&stmt, _herald_store_stmt_release);
      enter_pause (w, NULL, TRUE);
    }
  else if (status == HERALD_CAMPAIGN_PAUSED && !w->paused)
    {
      g_autofree char *reason = g_strdup ((const char *) sqlite3_column_text (stmt, 1));

      g_clear_pointer (&stmt, _herald_store_stmt_release);
      enter_pause (w, reason ? reason : _("Paused by you"), FALSE);
    }
  else if ((status == HERALD_CAMPAIGN_PENDING || status == HERALD_CAMPAIGN_PROCESSING) && w->paused)
    {
      g_clear_pointer (&stmt, _herald_store_stmt_release);
      leave_pause (w);
    }
  else if (status == HERALD_CAMPAIGN_COMPLETED && w->paused && !w->cancelled &&
           w->in_flight == 0 && g_queue_is_empty (&w->ready))
    {
      /* Webhooks settled the last messages in doubt while paused. */
      w->state = HERALD_CAMPAIGN_COMPLETED;
      g_clear_pointer (&w->reason, g_free);
      publish (w, TRUE, FALSE);
      finish (w, HERALD_CAMPAIGN_COMPLETED, NULL);
      return G_SOURCE_CONTINUE;
    }

  publish (w, FALSE, FALSE);
  return G_SOURCE_CONTINUE;
}

/* Claiming */

static guint
claim_batch_size (Worker *w)
{
  /* About 100 ms of sending: after a kill, at most that many claimed
   * messages that never left are in doubt. */
  return CLAMP ((guint) (w->rate / 10), CLAIM_BATCH_MIN, CLAIM_BATCH_MAX);
}

/* Selects the next due messages after the cursor and claims them, in one
 * committed transaction: only then may their requests leave. */
static gboolean
claim_more (Worker  *w,
            GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = _herald_store_timestamp (NULL);
  guint wanted = claim_batch_size (w);
  guint found = 0;
  gboolean owned;
  gboolean ok = TRUE;
  GQueue claimed = G_QUEUE_INIT;

  if (!_herald_store_write_begin (w->store, &owned, error))
    return FALSE;

  {
    g_autoptr(HeraldStoreStmt) select = _herald_store_prepare_cached (w->store,
      "SELECT id, mobile_number, parameters, retry_count FROM message_logs"
      " WHERE campaign_id = ?1 AND status = 'PENDING' AND id > ?2 AND claimed_at IS NULL"
      " AND (next_attempt_at IS NULL OR next_attempt_at <= ?3) ORDER BY id LIMIT ?4",
      &local_error);
    int rc;

    ok = select != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (select, 1, w->sender->campaign_id);
        sqlite3_bind_int64 (select, 2, w->cursor);
        sqlite3_bind_text (select, 3, now, -1, SQLITE_STATIC);
        sqlite3_bind_int (select, 4, wanted);
        while ((rc = sqlite3_step (select)) == SQLITE_ROW)
          {
            Message *m = g_new0 (Message, 1);

            m->id = sqlite3_column_int64 (select, 0);
            m->mobile_number = g_strdup ((const char *) sqlite3_column_text (select, 1));
            m->parameters = g_strdup ((const char *) sqlite3_column_text (select, 2));
            m->retry_count = sqlite3_column_int64 (select, 3);
            g_queue_push_tail (&claimed, m);
            w->cursor = m->id;
            found++;
          }
        if (rc != SQLITE_DONE)
          {
            _herald_store_set_error (herald_store_get_db (w->store), rc, _("read messages to send"), &local_error);
            ok = FALSE;
          }
      }
  }

  for (GList *l = claimed.head; ok && l != NULL; l = l->next)
    {
      g_autoptr(HeraldStoreStmt) update = _herald_store_prepare_cached (w->store,
        "UPDATE message_logs SET claimed_at = ?2 WHERE id = ?1 AND status = 'PENDING'"
        " AND claimed_at IS NULL", &local_error);

      ok = update != NULL;
      if (!ok)
        break;
      sqlite3_bind_int64 (update, 1, ((Message *) l->data)->id);
      sqlite3_bind_text (update, 2, now, -1, SQLITE_STATIC);
      ok = _herald_store_step (w->store, update, _("claim messages"), &local_error);
    }

  if (!_herald_store_write_end (w->store, owned, ok, ok ? &local_error : NULL) || !ok)
    {
      g_queue_clear_full (&claimed, (GDestroyNotify) message_free);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (found < wanted)
    w->pass_done = TRUE;
  while (!g_queue_is_empty (&claimed))
    g_queue_push_tail (&w->ready, g_queue_pop_head (&claimed));
  return TRUE;
}

/* When the next message to retry is due, in µs of monotonic time; 0 when
 * none is waiting, G_MAXINT64 on error. */
static gint64
next_retry_due (Worker  *w,
                GError **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *text;
  int rc;

  stmt = _herald_store_prepare_cached (w->store,
                                       "SELECT count(*), min (COALESCE (next_attempt_at, '')) FROM message_logs"
                                       " WHERE campaign_id = ?1 AND status = 'PENDING' AND claimed_at IS NULL",
                                       error);
  if (stmt == NULL)
    return G_MAXINT64;
  sqlite3_bind_int64 (stmt, 1, w->sender->campaign_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _herald_store_set_error (herald_store_get_db (w->store), rc, _("read messages to send"), error);
      return G_MAXINT64;
    }
  if (sqlite3_column_int64 (stmt, 0) == 0)
    return 0;

  text = (const char *) sqlite3_column_text (stmt, 1);
  due = (text && *text) ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
  if (due == NULL)
    return g_get_monotonic_time ();
  now = g_date_time_new_now_utc ();
  return g_get_monotonic_time () + MAX (0, g_date_time_difference (due, now));
}

/* Sending */

typedef struct
{
  Worker  *worker;
  Message *message;
} Send;

static char *
reason_for (const GError *error)
{
  const char *plain = NULL;

  if (error->domain == HERALD_CLOUD_ERROR && error->code > 0)
    plain = herald_webhook_describe_error_code (error->code);
  return g_strdup (plain ? plain : error->message);
}

static gint64
backoff_ms (Worker             *w,
            const GError       *error,
            guint               retry_after_s,
            gint64              retry_count)
{
  double base = retry_after_s > 0 ? retry_after_s * 1000.0 : 1000.0;
  double delay;

  /* Meta advises 4^X s for the pair rate limit, doubling for the rest. */
  if (error->domain == HERALD_CLOUD_ERROR && error->code == HERALD_CLOUD_ERROR_META_PAIR_RATE_LIMIT)
    delay = base * pow (4, MIN (retry_count, 8));
  else
    delay = base * pow (2, MIN (retry_count, 16));
  delay = MIN (delay, BACKOFF_MAX_MS);
  delay *= g_rand_double_range (w->rand, 0.75, 1.25);
  return (gint64) (delay * w->backoff_scale);
}

static void
slow_down (Worker *w)
{
  gint64 now = g_get_monotonic_time ();

  /* One halving per second: the answers of one burst arrive together. */
  if (now - w->last_slowdown_us < G_USEC_PER_SEC)
    return;
  w->last_slowdown_us = now;
  w->last_speedup_us = now;
  w->rate = MAX (1.0, w->rate * 0.85);
}

static void
on_send_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Send *send = user_data;
  Worker *w = send->worker;
  Message *m = send->message;
  g_autoptr(HeraldSendResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  Result *r = g_new0 (Result, 1);

  g_free (send);
  w->in_flight--;
  r->id = m->id;

  sent = herald_cloud_client_send_template_finish (HERALD_CLOUD_CLIENT (source), result, &error);
  if (sent != NULL)
    {
      r->kind = RESULT_ACCEPTED;
      r->text = g_strdup (sent->message_id);
      r->wa_id = g_strdup (sent->wa_id);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelled with the whole run: the request may have gone. */
      r->kind = RESULT_IN_DOUBT;
      r->text = reason_for (error);
    }
  else
    {
      guint retry_after = 0;
      HeraldCloudVerdict verdict = herald_cloud_error_get_verdict (error, &retry_after);

      r->text = reason_for (error);
      if (error->domain == HERALD_CLOUD_ERROR)
        {
          r->code = error->code;
          r->has_code = TRUE;
        }

      switch (verdict)
        {
        case HERALD_CLOUD_VERDICT_RETRY_LATER:
          if (error->domain == HERALD_CLOUD_ERROR && error->code == HERALD_CLOUD_ERROR_META_THROUGHPUT)
            slow_down (w);
          if (m->retry_count + 1 > w->max_retries)
            r->kind = RESULT_FAILED;
          else
            {
              g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
              g_autoptr(GDateTime) due = g_date_time_add (now, backoff_ms (w, error, retry_after, m->retry_count) * 1000);

              r->kind = RESULT_RETRY;
              r->due = _herald_store_timestamp (due);
            }
          break;
        case HERALD_CLOUD_VERDICT_FAIL_MESSAGE:
          r->kind = RESULT_FAILED;
          break;
        case HERALD_CLOUD_VERDICT_IN_DOUBT:
          r->kind = RESULT_IN_DOUBT;
          break;
        case HERALD_CLOUD_VERDICT_STOP_CAMPAIGN:
        default:
          /* Meta refused it, so it did not go: back in the queue. */
          {
            g_autofree char *reason = g_strdup (r->text);

            r->kind = RESULT_UNCLAIM;
            add_result (w, r);
            message_free (m);
            if (!w->finishing)
              enter_pause (w, reason, FALSE);
          }
          return;
        }
    }

  message_free (m);
  add_result (w, r);
  if (!w->finishing)
    dispatch (w);
}

static void
send_one (Worker  *w,
          Message *m)
{
  g_autoptr(HeraldMessageParams) params = _herald_campaign_params_from_json (m->parameters, w->header_media);
  char callback_data[32];
  Send *send = g_new0 (Send, 1);

  send->worker = w;
  send->message = m;
  g_snprintf (callback_data, sizeof callback_data, "%" PRId64, m->id);
  w->in_flight++;
  herald_cloud_client_send_template_async (w->client, w->phone_number_id, m->mobile_number,
                                           w->template, params, callback_data, w->cancellable,
                                           on_send_cb, send);
}

static void
check_done (Worker *w)
{
  g_autoptr(GError) error = NULL;
  gint64 due;
  gint64 in_doubt;

  if (w->in_flight > 0 || !g_queue_is_empty (&w->ready))
    return;
  if (!flush_results (w, &error))
    {
      finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
      return;
    }

  if (w->paused)
    {
      if (w->cancelled)
        {
          publish (w, TRUE, FALSE);
          finish (w, HERALD_CAMPAIGN_CANCELLED, NULL);
        }
      else if (w->sender->stop_when_paused)
        {
          publish (w, TRUE, FALSE);
          finish (w, HERALD_CAMPAIGN_PAUSED, NULL);
        }
      return;
    }

  due = next_retry_due (w, &error);
  if (error != NULL)
    {
      finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
      return;
    }
  if (due > 0)
    {
      /* A new pass picks up what is due by then. */
      w->cursor = 0;
      w->pass_done = FALSE;
      timer_schedule (w->dispatch_source, due);
      return;
    }

  in_doubt = herald_campaign_count_in_doubt (w->store, w->sender->campaign_id, &error);
  if (in_doubt < 0)
    {
      finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
      return;
    }
  if (in_doubt > 0)
    {
      g_free (w->reason);
      w->reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%" PRId64 " message may or may not have been sent: "
                                                "wait for its status, or retry or drop it",
                                                "%" PRId64 " messages may or may not have been sent: "
                                                "wait for their status, or retry or drop them",
                                                in_doubt),
                                   in_doubt);
      w->state = HERALD_CAMPAIGN_PAUSED;
      if (!write_campaign_status (w, "PAUSED", w->reason, &error))
        {
          finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
          return;
        }
      publish (w, TRUE, TRUE);
      finish (w, HERALD_CAMPAIGN_PAUSED, NULL);
      return;
    }

  w->state = HERALD_CAMPAIGN_COMPLETED;
  g_clear_pointer (&w->reason, g_free);
  if (!write_campaign_status (w, "COMPLETED", NULL, &error))
    {
      finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
      return;
    }
  publish (w, TRUE, FALSE);
  finish (w, HERALD_CAMPAIGN_COMPLETED, NULL);
}

static void
dispatch (Worker *w)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();
  double interval_us;
  guint limit;

  if (w->finishing)
    return;

  if (w->paused)
    {
      check_done (w);
      return;
    }

  /* Additive recovery: a twentieth of the target per calm second. */
  if (w->rate < w->rate_target && now - w->last_speedup_us >= G_USEC_PER_SEC)
    {
      w->last_speedup_us = now;
      w->rate = MIN (w->rate_target, w->rate + w->rate_target / 20);
    }
  interval_us = G_USEC_PER_SEC / w->rate;
  limit = MAX (1, (guint) w->rate);

  while (w->in_flight < w->window)
    {
      gint64 due;

      if (g_queue_is_empty (&w->ready))
        {
          if (w->pass_done)
            break;
          if (!claim_more (w, &error))
            {
              finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
              return;
            }
          now = g_get_monotonic_time ();
          if (g_queue_is_empty (&w->ready))
            break;
        }

      /* Due at its deadline, and not before the send @limit back has left
       * the sliding window. */
      w->next_send_us = MAX (w->next_send_us, now - (gint64) (MAX_DEBT_SENDS * interval_us));
      send_times_forget_before (&w->sent_times, now - WINDOW_US);
      due = w->next_send_us;
      if (w->sent_times.length >= limit)
        due = MAX (due, send_times_get (&w->sent_times, w->sent_times.length - limit) + WINDOW_US + 1);
      if (due > now)
        {
          timer_schedule (w->dispatch_source, due);
          break;
        }
      w->next_send_us += (gint64) interval_us;
      send_times_push (&w->sent_times, now);
      send_one (w, g_queue_pop_head (&w->ready));
    }

  /* Claimed ahead, in the gap between sends (see on_claim). */
  if (g_queue_get_length (&w->ready) < claim_batch_size (w) / 2 && !w->pass_done)
    timer_schedule (w->claim_source, now);

  if (g_queue_is_empty (&w->ready) && w->pass_done)
    check_done (w);
  publish (w, FALSE, FALSE);
}

static gboolean
on_dispatch (gpointer data)
{
  dispatch (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_claim (gpointer data)
{
  Worker *w = data;
  g_autoptr(GError) error = NULL;

  if (w->finishing || w->paused || w->pass_done)
    return G_SOURCE_CONTINUE;
  if (!claim_more (w, &error))
    {
      finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
      return G_SOURCE_CONTINUE;
    }
  dispatch (w);
  return G_SOURCE_CONTINUE;
}

/* Setting up */

static gboolean
worker_start (Worker  *w,
              GError **error)
{
  HeraldSender *self = w->sender;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autofree char *token = NULL;
  HeraldCampaignStatus status;

  w->store = herald_store_new (self->db_path, error);
  if (w->store == NULL)
    return FALSE;
  /* A claim must survive a power cut (see the top). */
  if (sqlite3_exec (herald_store_get_db (w->store), "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
    {
      _herald_store_set_error (herald_store_get_db (w->store), SQLITE_ERROR, _("open the database"), error);
      return FALSE;
    }

  w->applier = herald_status_applier_new (w->store);

  campaign = herald_campaign_load (w->store, self->campaign_id, error);
  if (campaign == NULL)
    return FALSE;
  status = herald_campaign_get_status (campaign);
  if (status == HERALD_CAMPAIGN_COMPLETED || status == HERALD_CAMPAIGN_CANCELLED)
    {
      w->state = status;
      return TRUE;
    }

  number = herald_store_get_number (w->store, herald_campaign_get_number_id (campaign), error);
  if (number == NULL)
    return FALSE;
  w->template = herald_store_get_template (w->store, herald_campaign_get_template_id (campaign), error);
  if (w->template == NULL)
    return FALSE;
  w->phone_number_id = g_strdup (herald_number_get_phone_number_id (number));
  w->header_media = _herald_campaign_get_header_media (campaign);

  w->rate_target = self->rate > 0 ? self->rate : herald_number_get_messages_per_second (number);
  w->rate = w->rate_target;
  w->last_speedup_us = g_get_monotonic_time ();

  token = g_strdup (self->access_token);
  if (token == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      char *secret = herald_secrets_lookup_access_token_sync (w->phone_number_id, NULL, &local_error);

      if (secret != NULL)
        {
          token = g_strdup (secret);
          secret_password_free (secret);
        }
      else
        {
          /* The user can store a token and resume. */
          w->state = HERALD_CAMPAIGN_PAUSED;
          w->reason = g_strdup (local_error->message);
          return write_campaign_status (w, "PAUSED", w->reason, error);
        }
    }
  w->client = g_object_new (HERALD_TYPE_CLOUD_CLIENT,
                            "api-base", self->api_base ? self->api_base : HERALD_CLOUD_API_BASE,
                            "access-token", token,
                            "max-in-flight", w->window,
                            NULL);
  if (token != NULL)
    memset (token, 0, strlen (token));

  w->state = HERALD_CAMPAIGN_PROCESSING;
  return write_campaign_status (w, "PROCESSING", NULL, error);
}

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;
  HeraldSender *self = w->sender;
  g_autoptr(GError) error = NULL;
  Snapshot *s;

  g_main_context_push_thread_default (w->context);

  if (!worker_start (w, &error))
    finish (w, HERALD_CAMPAIGN_FAILED, g_steal_pointer (&error));
  else if (w->state != HERALD_CAMPAIGN_PROCESSING)
    finish (w, w->state, NULL);
  else
    {
      /* Database work (each commit waits for the disk) yields to the HTTP
       * requests in progress, so that a request leaves when it was paced,
       * not after a commit that happened to come first. */
      w->dispatch_source = timer_new (w, on_dispatch, G_PRIORITY_DEFAULT);
      w->flush_source = timer_new (w, on_flush, G_PRIORITY_LOW);
      w->claim_source = timer_new (w, on_claim, G_PRIORITY_LOW);
      w->poll_source = g_timeout_source_new (POLL_INTERVAL_MS);
      g_source_set_callback (w->poll_source, on_poll, w, NULL);
      g_source_attach (w->poll_source, w->context);
      publish (w, TRUE, FALSE);
      timer_schedule (w->dispatch_source, 0);
      g_main_loop_run (w->loop);
    }

  /* Let requests that were cancelled report back before tearing down. */
  g_cancellable_cancel (w->cancellable);
  while (w->in_flight > 0)
    g_main_context_iteration (w->context, TRUE);
  if (w->store != NULL && w->results->len > 0)
    {
      g_autoptr(GError) ignored = NULL;
      flush_results (w, &ignored);
    }

  s = g_new0 (Snapshot, 1);
  s->sender = g_object_ref (self);
  s->state = w->state;
  if (w->store != NULL)
    {
      refresh_counts (w);
      refresh_queue_counts (w);
    }
  memcpy (s->counts, w->counts, sizeof s->counts);
  s->in_doubt = w->in_doubt;
  s->pending = w->pending;
  s->reason = g_strdup (w->reason);
  s->error = g_steal_pointer (&w->error);
  s->finished = TRUE;

  g_clear_pointer (&w->dispatch_source, g_source_destroy);
  g_clear_pointer (&w->flush_source, g_source_destroy);
  g_clear_pointer (&w->claim_source, g_source_destroy);
  g_clear_pointer (&w->poll_source, g_source_destroy);
  g_queue_clear_full (&w->ready, (GDestroyNotify) message_free);
  g_free (w->sent_times.times);
  g_ptr_array_unref (w->results);
  g_clear_object (&w->client);
  g_clear_object (&w->template);
  g_clear_object (&w->applier);
  g_clear_object (&w->store);
  g_free (w->phone_number_id);
  g_free (w->header_media);
  g_free (w->reason);
  g_rand_free (w->rand);
  g_object_unref (w->cancellable);
  g_main_loop_unref (w->loop);
  /* Sources attached to it hold no reference to the worker any more. */
  while (g_main_context_iteration (w->context, FALSE))
    ;
  g_main_context_pop_thread_default (w->context);
  g_main_context_unref (w->context);
  g_free (w);

  g_main_context_invoke_full (self->owner_context, G_PRIORITY_DEFAULT,
                              apply_snapshot, s, (GDestroyNotify) snapshot_free);
  g_object_unref (self);
  return NULL;
}

/* ---------------------------------------------------------------------------
 * The object, on its owner's thread
 * ------------------------------------------------------------------------- */

static void
herald_sender_finalize (GObject *object)
{
  HeraldSender *self = HERALD_SENDER (object);

  g_assert (self->thread == NULL);
  g_free (self->db_path);
  g_free (self->api_base);
  if (self->access_token != NULL)
    memset (self->access_token, 0, strlen (self->access_token));
  g_free (self->access_token);
  g_free (self->paused_reason);
  g_main_context_unref (self->owner_context);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (herald_sender_parent_class)->finalize (object);
}

static void
herald_sender_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HeraldSender *self = HERALD_SENDER (object);

  switch (prop_id)
    {
    case PROP_CAMPAIGN_ID: g_value_set_int64 (value, self->campaign_id); break;
    case PROP_STATE: g_value_set_int (value, self->state); break;
    case PROP_TOTAL: case PROP_SENT: case PROP_DELIVERED: case PROP_READ: case PROP_FAILED:
      g_value_set_int64 (value, self->counts[prop_id - PROP_TOTAL]);
      break;
    case PROP_IN_DOUBT: g_value_set_int64 (value, self->in_doubt); break;
    case PROP_PENDING: g_value_set_int64 (value, self->pending); break;
    case PROP_IN_FLIGHT: g_value_set_uint (value, self->in_flight); break;
    case PROP_CURRENT_RATE: g_value_set_double (value, self->current_rate); break;
    case PROP_PAUSED_REASON: g_value_set_string (value, self->paused_reason); break;
    case PROP_DB_PATH: g_value_set_string (value, self->db_path); break;
    case PROP_API_BASE: g_value_set_string (value, self->api_base); break;
    case PROP_RATE: g_value_set_uint (value, self->rate); break;
    case PROP_MAX_IN_FLIGHT: g_value_set_uint (value, self->max_in_flight); break;
    case PROP_MAX_RETRIES: g_value_set_uint (value, self->max_retries); break;
    case PROP_BACKOFF_SCALE: g_value_set_double (value, self->backoff_scale); break;
    case PROP_STOP_WHEN_PAUSED: g_value_set_boolean (value, self->stop_when_paused); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_sender_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HeraldSender *self = HERALD_SENDER (object);

  /* Settings are read by the worker when it starts. */
  g_return_if_fail (self->thread == NULL);

  switch (prop_id)
    {
    case PROP_CAMPAIGN_ID: self->campaign_id = g_value_get_int64 (value); break;
    case PROP_DB_PATH: _herald_set_str (&self->db_path, g_value_get_string (value)); break;
    case PROP_API_BASE: _herald_set_str (&self->api_base, g_value_get_string (value)); break;
    case PROP_ACCESS_TOKEN: _herald_set_str (&self->access_token, g_value_get_string (value)); break;
    case PROP_RATE: self->rate = g_value_get_uint (value); break;
    case PROP_MAX_IN_FLIGHT: self->max_in_flight = g_value_get_uint (value); break;
    case PROP_MAX_RETRIES: self->max_retries = g_value_get_uint (value); break;
    case PROP_BACKOFF_SCALE: self->backoff_scale = g_value_get_double (value); break;
    case PROP_STOP_WHEN_PAUSED: self->stop_when_paused = g_value_get_boolean (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec); return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
herald_sender_class_init (HeraldSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  static const char * const count_names[] = { "total", "sent", "delivered", "read", "failed" };

  object_class->finalize = herald_sender_finalize;
  object_class->get_property = herald_sender_get_property;
  object_class->set_property = herald_sender_set_property;

  properties[PROP_CAMPAIGN_ID] = g_param_spec_int64 ("campaign-id", NULL, NULL, 0, G_MAXINT64, 0,
                                                     rw | G_PARAM_CONSTRUCT_ONLY);
  /* A HeraldCampaignStatus: PENDING before the run, PROCESSING while it runs. */
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, HERALD_CAMPAIGN_PENDING,
                                             HERALD_CAMPAIGN_CANCELLED, HERALD_CAMPAIGN_PENDING, ro);
  for (guint i = 0; i < G_N_ELEMENTS (count_names); i++)
    properties[PROP_TOTAL + i] = g_param_spec_int64 (count_names[i], NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* Claimed messages whose fate is unknown: never re-sent without the user. */
  properties[PROP_IN_DOUBT] = g_param_spec_int64 ("in-doubt", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PENDING] = g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_IN_FLIGHT] = g_param_spec_uint ("in-flight", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_CURRENT_RATE] = g_param_spec_double ("current-rate", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_PAUSED_REASON] = g_param_spec_string ("paused-reason", NULL, NULL, NULL, ro);
  properties[PROP_DB_PATH] = g_param_spec_string ("db-path", NULL, NULL, NULL, rw | G_PARAM_CONSTRUCT_ONLY);
  properties[PROP_API_BASE] = g_param_spec_string ("api-base", NULL, NULL, NULL, rw);
  properties[PROP_ACCESS_TOKEN] = g_param_spec_string ("access-token", NULL, NULL, NULL,
                                                       G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS |
                                                       G_PARAM_EXPLICIT_NOTIFY);
  /* Messages per second; 0 takes the number's messages_per_second. */
  properties[PROP_RATE] = g_param_spec_uint ("rate", NULL, NULL, 0, 1000000, 0, rw);
  properties[PROP_MAX_IN_FLIGHT] = g_param_spec_uint ("max-in-flight", NULL, NULL, 1, 1024, 64, rw | G_PARAM_CONSTRUCT);
  properties[PROP_MAX_RETRIES] = g_param_spec_uint ("max-retries", NULL, NULL, 0, 100, 8, rw | G_PARAM_CONSTRUCT);
  properties[PROP_BACKOFF_SCALE] = g_param_spec_double ("backoff-scale", NULL, NULL, 0, 100, 1, rw | G_PARAM_CONSTRUCT);
  properties[PROP_STOP_WHEN_PAUSED] = g_param_spec_boolean ("stop-when-paused", NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_PAUSED] = g_signal_new ("paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
herald_sender_init (HeraldSender *self)
{
  g_mutex_init (&self->lock);
  self->owner_context = g_main_context_ref_thread_default ();
}

HeraldSender *
herald_sender_new (const char *db_path,
                   gint64      campaign_id)
{
  g_return_val_if_fail (db_path != NULL, NULL);

  return g_object_new (HERALD_TYPE_SENDER, "db-path", db_path, "campaign-id", campaign_id, NULL);
}

gint64 herald_sender_get_campaign_id (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->campaign_id; }
HeraldCampaignStatus herald_sender_get_state (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->state; }
gint64 herald_sender_get_total (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->counts[0]; }
gint64 herald_sender_get_sent (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->counts[1]; }
gint64 herald_sender_get_delivered (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->counts[2]; }
gint64 herald_sender_get_read (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->counts[3]; }
gint64 herald_sender_get_failed (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->counts[4]; }
gint64 herald_sender_get_in_doubt (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->in_doubt; }
gint64 herald_sender_get_pending (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->pending; }
guint herald_sender_get_in_flight (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->in_flight; }
double herald_sender_get_current_rate (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), 0); return self->current_rate; }
const char *herald_sender_get_paused_reason (HeraldSender *self) { g_return_val_if_fail (HERALD_IS_SENDER (self), NULL); return self->paused_reason; }

void
herald_sender_run_async (HeraldSender        *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Worker *w;

  g_return_if_fail (HERALD_IS_SENDER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_sender_run_async);
  if (self->thread != NULL)
    {
      g_task_return_new_error (task, HERALD_SENDER_ERROR, HERALD_SENDER_ERROR_BUSY,
                               _("This campaign is being sent already"));
      return;
    }

  w = g_new0 (Worker, 1);
  w->sender = g_object_ref (self);
  w->context = g_main_context_new ();
  w->loop = g_main_loop_new (w->context, FALSE);
  w->cancellable = g_cancellable_new ();
  w->rand = g_rand_new ();
  w->results = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);
  w->window = self->max_in_flight;
  w->max_retries = self->max_retries;
  w->backoff_scale = self->backoff_scale;
  w->rate = w->rate_target = 1;
  w->state = HERALD_CAMPAIGN_PENDING;
  g_queue_init (&w->ready);

  g_mutex_lock (&self->lock);
  self->request = REQUEST_NONE;
  g_mutex_unlock (&self->lock);

  /* The caller's cancellable stops the run as a cancel from the user would
   * not: requests in flight are abandoned and stay in doubt. */
  if (cancellable != NULL)
    self->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                                                  g_object_ref (w->cancellable), g_object_unref);

  self->task = g_steal_pointer (&task);
  self->thread = g_thread_new ("herald-sender", worker_thread, w);
}

gboolean
herald_sender_run_finish (HeraldSender          *self,
                          GAsyncResult          *result,
                          HeraldCampaignStatus  *status,
                          GError               **error)
{
  gssize value;

  g_return_val_if_fail (HERALD_IS_SENDER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  value = g_task_propagate_int (G_TASK (result), error);
  if (status != NULL)
    *status = value < 0 ? HERALD_CAMPAIGN_FAILED : (HeraldCampaignStatus) value;
  return value >= 0;
}

static void
request (HeraldSender *self,
         Request       what)
{
  g_mutex_lock (&self->lock);
  self->request = what;
  g_mutex_unlock (&self->lock);
}

void
herald_sender_pause (HeraldSender *self)
{
  g_return_if_fail (HERALD_IS_SENDER (self));
  request (self, REQUEST_PAUSE);
}

void
herald_sender_resume (HeraldSender *self)
{
  g_return_if_fail (HERALD_IS_SENDER (self));
  request (self, REQUEST_RESUME);
}

void
herald_sender_cancel (HeraldSender *self)
{
  g_return_if_fail (HERALD_IS_SENDER (self));
  request (self, REQUEST_CANCEL);
}
