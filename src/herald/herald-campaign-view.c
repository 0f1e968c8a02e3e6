/* herald-campaign-view.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "herald-campaign.h"
#include "herald-campaign-view.h"
#include "herald-funnel-chart.h"
#include "herald-message-log.h"
#include "herald-sandbox.h"
#include "herald-ui-utils.h"

#define TIMELINE_BUCKETS 48
/* While the view is shown, statuses keep arriving from the feed. */
#define RELOAD_INTERVAL_MS 2000

struct _HeraldCampaignView
{
  GtkWidget              parent_instance;

  HeraldStoreWorker     *worker;
  gint64                 campaign_id;
  HeraldMessageLogModel *log_model;
  HeraldSender          *sender;
  GCancellable          *cancellable;   /* everything; cancelled in dispose */
  GCancellable          *run_cancellable;
  HeraldCampaignStatus   status;
  gint64                 counters_sum;  /* to tell when the log changed */
  gint64                 in_doubt;
  guint                  reload_id;
  guint                  loading : 1;
  guint                  reload_again : 1;
  guint                  is_sandbox : 1;

  GtkLabel              *title_label;
  GtkLabel              *subtitle_label;
  GtkWidget             *sandbox_badge;
  GtkLabel              *status_label;
  GtkLabel              *progress_label;
  GtkProgressBar        *progress_bar;
  GtkLabel              *reason_label;
  GtkWidget             *start_button;
  GtkWidget             *pause_button;
  GtkWidget             *resume_button;
  GtkWidget             *cancel_button;
  GtkLabel              *sent_label;
  GtkLabel              *delivered_label;
  GtkLabel              *read_label;
  GtkLabel              *failed_label;
  HeraldFunnelChart     *chart;
  GtkWidget             *in_doubt_group;
  AdwActionRow          *in_doubt_row;
  GtkWidget             *failures_group;
  GtkListBox            *failures_list;
  GtkWidget             *retry_button;
  GtkSearchEntry        *search_entry;
  GtkDropDown           *status_dropdown;
  GtkStack              *log_stack;
  GtkColumnView         *log_view;
  AdwViewStack          *view_stack;
};

G_DEFINE_FINAL_TYPE (HeraldCampaignView, herald_campaign_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_CAMPAIGN_ID,
  N_PROPS
};

enum {
  SIGNAL_FINISHED,
  SIGNAL_LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_sender (HeraldCampaignView *self);

static void
toast (HeraldCampaignView *self,
       const char         *text)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
}

/* Everything the dashboard shows, read in one job. */
typedef struct
{
  HeraldCampaign        *campaign;
  HeraldNumber          *number;
  HeraldTemplate        *template;
  GPtrArray             *failures;
  HeraldMessageTimeline *timeline;
  gint64                 in_doubt;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_clear_object (&snapshot->campaign);
  g_clear_object (&snapshot->number);
  g_clear_object (&snapshot->template);
  g_clear_pointer (&snapshot->failures, g_ptr_array_unref);
  g_clear_pointer (&snapshot->timeline, herald_message_timeline_free);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static gpointer
load_snapshot_func (HeraldStore   *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  gint64 id = *(gint64 *) data;
  g_autoptr(Snapshot) snapshot = g_new0 (Snapshot, 1);

  snapshot->campaign = herald_campaign_load (store, id, error);
  if (snapshot->campaign == NULL)
    return NULL;
  snapshot->number = herald_store_get_number (store, herald_campaign_get_number_id (snapshot->campaign), NULL);
  snapshot->template = herald_store_get_template (store, herald_campaign_get_template_id (snapshot->campaign), NULL);
  snapshot->failures = herald_message_log_list_failures (store, id, error);
  if (snapshot->failures == NULL)
    return NULL;
  snapshot->timeline = herald_message_log_get_timeline (store, id, TIMELINE_BUCKETS, error);
  if (snapshot->timeline == NULL)
    return NULL;
  snapshot->in_doubt = herald_campaign_count_in_doubt (store, id, error);
  if (snapshot->in_doubt < 0)
    return NULL;
  return g_steal_pointer (&snapshot);
}

static void
set_count (GtkLabel *label,
           gint64    value)
{
  g_autofree char *text = g_strdup_printf ("%" PRId64, value);

  gtk_label_set_text (label, text);
}

static void
show_counters (HeraldCampaignView *self,
               gint64              total,
               gint64              sent,
               gint64              delivered,
               gint64              read,
               gint64              failed)
{
  gint64 settled = MIN (sent + failed, total);
  g_autofree char *progress = NULL;

  set_count (self->sent_label, sent);
  set_count (self->delivered_label, delivered);
  set_count (self->read_label, read);
  set_count (self->failed_label, failed);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) settled / total : 0);
  /* Translators: messages handled of all, as in "120 of 500" */
  progress = g_strdup_printf (_("%" PRId64 " of %" PRId64), settled, total);
  gtk_label_set_text (self->progress_label, progress);
}

static void
update_controls (HeraldCampaignView *self)
{
  gboolean running = self->sender != NULL;
  HeraldCampaignStatus status = running ? herald_sender_get_state (self->sender) : self->status;
  gboolean unfinished = status == HERALD_CAMPAIGN_PENDING || status == HERALD_CAMPAIGN_PROCESSING ||
                        status == HERALD_CAMPAIGN_PAUSED;

  gtk_label_set_text (self->status_label, herald_ui_campaign_status_label (status));
  gtk_widget_set_visible (self->start_button, !running && status == HERALD_CAMPAIGN_PENDING);
  gtk_widget_set_visible (self->pause_button, unfinished && status != HERALD_CAMPAIGN_PAUSED &&
                                              (running || status == HERALD_CAMPAIGN_PROCESSING));
  gtk_widget_set_visible (self->resume_button, status == HERALD_CAMPAIGN_PAUSED);
  gtk_widget_set_visible (self->cancel_button, unfinished);
}

static GtkWidget *
failure_row (HeraldCampaignView        *self,
             const HeraldFailureReason *reason)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), reason->reason);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (reason->retryable > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " message, can be retried",
                                             "%" PRIu64 " messages, can be retried",
                                             reason->count),
                                reason->count);
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " message",
                                             "%" PRIu64 " messages", reason->count),
                                reason->count);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (reason->error_code != 0)
    {
      g_autofree char *code = g_strdup_printf ("%" PRId64, reason->error_code);
      GtkWidget *label = gtk_label_new (code);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_set_tooltip_text (label, _("Meta’s error code"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  return row;
}

static void
show_snapshot (HeraldCampaignView *self,
               Snapshot           *snapshot)
{
  HeraldCampaign *campaign = snapshot->campaign;
  const char *paused_reason = herald_campaign_get_paused_reason (campaign);
  g_autofree char *subtitle = NULL;
  gint64 sum;
  guint64 retryable = 0;
  GtkWidget *child;

  self->status = herald_campaign_get_status (campaign);
  self->is_sandbox = snapshot->number != NULL && herald_number_get_is_sandbox (snapshot->number);
  gtk_label_set_text (self->title_label, herald_campaign_get_name (campaign) ?
                                         herald_campaign_get_name (campaign) : _("Campaign"));
  subtitle = g_strdup_printf ("%s · %s",
                              snapshot->template ? herald_template_get_name (snapshot->template) : "",
                              snapshot->number ? (herald_number_get_display_name (snapshot->number) ?
                                                  herald_number_get_display_name (snapshot->number) :
                                                  herald_number_get_phone_number (snapshot->number)) : "");
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_visible (self->sandbox_badge, self->is_sandbox);

  /* A running sender's counters are newer than a read of the store. */
  if (self->sender == NULL)
    show_counters (self, herald_campaign_get_total_messages (campaign),
                   herald_campaign_get_sent_count (campaign), herald_campaign_get_delivered_count (campaign),
                   herald_campaign_get_read_count (campaign), herald_campaign_get_failed_count (campaign));

  gtk_widget_set_visible (GTK_WIDGET (self->reason_label),
                          paused_reason != NULL && self->status == HERALD_CAMPAIGN_PAUSED);
  gtk_label_set_text (self->reason_label, paused_reason ? paused_reason : "");

  herald_funnel_chart_set_timeline (self->chart, snapshot->timeline);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->failures_list))) != NULL)
    gtk_list_box_remove (self->failures_list, child);
  for (guint i = 0; i < snapshot->failures->len; i++)
    {
      const HeraldFailureReason *reason = g_ptr_array_index (snapshot->failures, i);

      retryable += reason->retryable;
      gtk_list_box_append (self->failures_list, failure_row (self, reason));
    }
  gtk_widget_set_visible (self->failures_group, snapshot->failures->len > 0);
  gtk_widget_set_visible (self->retry_button, retryable > 0);

  self->in_doubt = snapshot->in_doubt;
  gtk_widget_set_visible (self->in_doubt_group, snapshot->in_doubt > 0);
  if (snapshot->in_doubt > 0)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " message not confirmed",
                                                             "%" PRId64 " messages not confirmed",
                                                             snapshot->in_doubt),
                                                snapshot->in_doubt);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->in_doubt_row), title);
    }

  sum = herald_campaign_get_sent_count (campaign) + herald_campaign_get_delivered_count (campaign) +
        herald_campaign_get_read_count (campaign) + herald_campaign_get_failed_count (campaign) +
        herald_campaign_get_total_messages (campaign) + snapshot->in_doubt;
  if (sum != self->counters_sum)
    {
      self->counters_sum = sum;
      herald_message_log_model_refresh (self->log_model);
    }
  update_controls (self);
}

static void
on_snapshot_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  HeraldCampaignView *self;
  g_autoptr(Snapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  snapshot = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = HERALD_CAMPAIGN_VIEW (user_data);
  self->loading = FALSE;
  if (snapshot == NULL)
    {
      g_warning ("Could not read campaign %" PRId64 ": %s", self->campaign_id, error->message);
      return;
    }
  show_snapshot (self, snapshot);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
  if (self->reload_again)
    {
      self->reload_again = FALSE;
      herald_campaign_view_reload (self);
    }
}

void
herald_campaign_view_reload (HeraldCampaignView *self)
{
  g_return_if_fail (HERALD_IS_CAMPAIGN_VIEW (self));

  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }
  self->loading = TRUE;
  herald_store_worker_run_async (self->worker, load_snapshot_func,
                                 g_memdup2 (&self->campaign_id, sizeof self->campaign_id), g_free,
                                 (GDestroyNotify) snapshot_free, self->cancellable, on_snapshot_loaded_cb, self);
}

static gboolean
on_reload_timeout_cb (gpointer user_data)
{
  herald_campaign_view_reload (user_data);
  return G_SOURCE_CONTINUE;
}

static void
update_reload_timer (HeraldCampaignView *self)
{
  gboolean wanted = gtk_widget_get_mapped (GTK_WIDGET (self)) || self->sender != NULL;

  if (wanted && self->reload_id == 0)
    self->reload_id = g_timeout_add (RELOAD_INTERVAL_MS, on_reload_timeout_cb, self);
  else if (!wanted)
    g_clear_handle_id (&self->reload_id, g_source_remove);
}

/* The sender */

static void
on_sender_progress_cb (HeraldCampaignView *self,
                       HeraldSender       *sender)
{
  show_counters (self, herald_sender_get_total (sender), herald_sender_get_sent (sender),
                 herald_sender_get_delivered (sender), herald_sender_get_read (sender),
                 herald_sender_get_failed (sender));
  update_controls (self);
}

static void
on_sender_run_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HeraldSender) sender = HERALD_SENDER (source);
  HeraldCampaignView *self;
  HeraldCampaignStatus status = HERALD_CAMPAIGN_FAILED;
  g_autoptr(GError) error = NULL;

  if (!herald_sender_run_finish (sender, result, &status, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = HERALD_CAMPAIGN_VIEW (user_data);
  g_signal_handlers_disconnect_by_data (sender, self);
  g_clear_object (&self->sender);
  g_clear_object (&self->run_cancellable);
  if (error != NULL)
    toast (self, error->message);
  self->status = status;
  update_controls (self);
  update_reload_timer (self);
  herald_campaign_view_reload (self);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, status);
}

static void
run_sender (HeraldCampaignView *self,
            const char         *api_base,
            const char         *access_token)
{
  g_autofree char *path = g_strdup (herald_store_worker_get_path (self->worker));

  g_assert (self->sender == NULL);

  self->sender = herald_sender_new (path, self->campaign_id);
  g_object_set (self->sender, "api-base", api_base, "access-token", access_token, NULL);
  g_signal_connect_object (self->sender, "progress", G_CALLBACK (on_sender_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sender, "paused", G_CALLBACK (update_controls), self, G_CONNECT_SWAPPED);
  self->run_cancellable = g_cancellable_new ();
  /* The run holds its own reference to the sender until it ends. */
  herald_sender_run_async (g_object_ref (self->sender), self->run_cancellable, on_sender_run_cb, self);
  update_controls (self);
  update_reload_timer (self);
}

static void
on_sandbox_template_ready_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  HeraldSandbox *sandbox = HERALD_SANDBOX (source);
  HeraldCampaignView *self;
  g_autoptr(GError) error = NULL;

  if (!herald_sandbox_prepare_template_finish (sandbox, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = HERALD_CAMPAIGN_VIEW (user_data);
  if (error != NULL)
    {
      toast (self, error->message);
      return;
    }
  if (self->sender == NULL)
    run_sender (self, herald_sandbox_get_api_base (sandbox), herald_sandbox_get_access_token (sandbox));
}

typedef struct
{
  gint64 template_id;
  gboolean is_sandbox;
} StartInfo;

static gpointer
load_start_info_func (HeraldStore   *store,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(HeraldCampaign) campaign = herald_campaign_load (store, *(gint64 *) data, error);
  g_autoptr(HeraldNumber) number = NULL;
  StartInfo *info;

  if (campaign == NULL)
    return NULL;
  number = herald_store_get_number (store, herald_campaign_get_number_id (campaign), error);
  if (number == NULL)
    return NULL;
  info = g_new0 (StartInfo, 1);
  info->template_id = herald_campaign_get_template_id (campaign);
  info->is_sandbox = herald_number_get_is_sandbox (number);
  return info;
}

static void
on_start_info_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HeraldCampaignView *self;
  g_autofree StartInfo *info = NULL;
  g_autoptr(GError) error = NULL;

  info = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = HERALD_CAMPAIGN_VIEW (user_data);
  if (info == NULL)
    {
      toast (self, error->message);
      return;
    }
  if (self->sender != NULL)
    return;
  if (info->is_sandbox)
    {
      /* Sandbox campaigns go to the sim inside the app, never to Meta. */
      herald_sandbox_prepare_template_async (herald_sandbox_get_for_worker (self->worker), info->template_id,
                                             self->cancellable, on_sandbox_template_ready_cb, self);
      return;
    }
  /* A real number: Meta (or HERALD_API_BASE), the token from the keyring. */
  run_sender (self, g_getenv ("HERALD_API_BASE"), NULL);
}

static void
start_sender (HeraldCampaignView *self)
{
  if (self->sender != NULL)
    return;
  herald_store_worker_run_async (self->worker, load_start_info_func,
                                 g_memdup2 (&self->campaign_id, sizeof self->campaign_id), g_free, g_free,
                                 self->cancellable, on_start_info_cb, self);
}

/* Actions */

typedef struct
{
  gint64       id;
  const char  *action;
} ActionData;

static gpointer
campaign_action_func (HeraldStore   *store,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  ActionData *action = data;
  gint64 changed = 0;

  if (g_str_equal (action->action, "pause"))
    changed = herald_campaign_pause (store, action->id, error) ? 1 : -1;
  else if (g_str_equal (action->action, "resume"))
    changed = herald_campaign_resume (store, action->id, error) ? 1 : -1;
  else if (g_str_equal (action->action, "cancel"))
    changed = herald_campaign_cancel (store, action->id, error) ? 1 : -1;
  else if (g_str_equal (action->action, "retry-failed"))
    changed = herald_campaign_retry_failed (store, action->id, error);
  else if (g_str_equal (action->action, "retry-in-doubt"))
    changed = herald_campaign_retry_in_doubt (store, action->id, NULL, error);
  else if (g_str_equal (action->action, "drop-in-doubt"))
    changed = herald_campaign_drop_in_doubt (store, action->id, NULL, error);
  else
    g_assert_not_reached ();

  if (changed < 0)
    return NULL;
  return g_memdup2 (&changed, sizeof changed);
}

static void
on_campaign_action_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HeraldCampaignView *self = g_task_get_source_object (task);
  const char *action = g_task_get_task_data (task);
  g_autofree gint64 *changed = NULL;
  g_autoptr(GError) error = NULL;

  changed = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (changed == NULL)
    {
      toast (self, error->message);
      return;
    }

  if (g_str_equal (action, "retry-failed") || g_str_equal (action, "retry-in-doubt"))
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " message will be sent again",
                                                            "%" PRId64 " messages will be sent again", *changed),
                                               *changed);
      toast (self, text);
      if (*changed > 0)
        start_sender (self);
    }
  else if (g_str_equal (action, "resume"))
    start_sender (self);
  herald_campaign_view_reload (self);
}

static void
run_campaign_action (HeraldCampaignView *self,
                     const char         *action)
{
  ActionData *data = g_new0 (ActionData, 1);
  GTask *task = g_task_new (self, self->cancellable, NULL, NULL);

  data->id = self->campaign_id;
  data->action = g_intern_string (action);
  g_task_set_task_data (task, (gpointer) data->action, NULL);
  herald_store_worker_run_async (self->worker, campaign_action_func, data, g_free, g_free,
                                 self->cancellable, on_campaign_action_cb, task);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  start_sender (HERALD_CAMPAIGN_VIEW (widget));
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HeraldCampaignView *self = HERALD_CAMPAIGN_VIEW (widget);

  if (self->sender != NULL)
    herald_sender_pause (self->sender);
  else
    run_campaign_action (self, "pause");
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HeraldCampaignView *self = HERALD_CAMPAIGN_VIEW (widget);

  if (self->sender != NULL)
    herald_sender_resume (self->sender);
  else
    run_campaign_action (self, "resume");
}

static void
cancel_confirmed (GtkWidget *widget,
                  gpointer   user_data)
{
  HeraldCampaignView *self = HERALD_CAMPAIGN_VIEW (widget);

  if (self->sender != NULL)
    herald_sender_cancel (self->sender);
  else
    run_campaign_action (self, "cancel");
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  herald_ui_confirm (widget, _("Cancel This Campaign?"),
                     _("Messages not sent yet will not be sent. Messages already sent stay sent."),
                     _("_Keep Sending"), "cancel-campaign", _("_Cancel Campaign"),
                     cancel_confirmed, NULL, NULL);
}

static void
simple_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  /* "campaign.retry-failed" → "retry-failed" */
  run_campaign_action (HERALD_CAMPAIGN_VIEW (widget), strchr (action_name, '.') + 1);
}

typedef struct
{
  gint64  id;
  GFile  *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

static gpointer
export_func (HeraldStore   *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ExportData *export = data;

  if (!herald_campaign_export (store, export->id, export->file, cancellable, error))
    return NULL;
  return HERALD_STORE_WORKER_TRUE;
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error) == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (user_data, error->message);
      return;
    }
  toast (user_data, _("Results exported"));
}

/* campaign.export-to (s: a file's URI): what the chooser's answer runs. */
static void
export_to_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HeraldCampaignView *self = HERALD_CAMPAIGN_VIEW (widget);
  ExportData *data = g_new0 (ExportData, 1);

  data->id = self->campaign_id;
  data->file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));
  herald_store_worker_run_async (self->worker, export_func, data, (GDestroyNotify) export_data_free, NULL,
                                 self->cancellable, on_exported_cb, self);
}

static void
on_export_file_chosen (GtkWidget *owner,
                       GFile     *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  gtk_widget_activate_action (owner, "campaign.export-to", "s", uri);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HeraldCampaignView *self = HERALD_CAMPAIGN_VIEW (widget);
  g_autofree char *name = g_strdup_printf ("%s.csv", gtk_label_get_text (self->title_label));

  g_strdelimit (name, "/\\", '-');
  herald_ui_choose_csv_file (widget, _("Export Results"), _("_Export"), name, on_export_file_chosen);
}

/* The log */

static void
update_log_stack (HeraldCampaignView *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->log_model)) == 0 &&
                   !herald_message_log_model_get_loading (self->log_model);

  gtk_stack_set_visible_child_name (self->log_stack, empty ? "empty" : "list");
}

static void
on_search_changed_cb (HeraldCampaignView *self)
{
  herald_message_log_model_set_search (self->log_model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_status_selected_cb (HeraldCampaignView *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  /* The list: All, then the statuses in HeraldMessageStatus order. */
  herald_message_log_model_set_status_filter (self->log_model,
                                              selected == 0 || selected == GTK_INVALID_LIST_POSITION ?
                                              -1 : (int) selected - 1);
}

/* GObject */

static void
herald_campaign_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (herald_campaign_view_parent_class)->map (widget);
  herald_campaign_view_reload (HERALD_CAMPAIGN_VIEW (widget));
  update_reload_timer (HERALD_CAMPAIGN_VIEW (widget));
}

static void
herald_campaign_view_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (herald_campaign_view_parent_class)->unmap (widget);
  update_reload_timer (HERALD_CAMPAIGN_VIEW (widget));
}

static void
herald_campaign_view_constructed (GObject *object)
{
  HeraldCampaignView *self = HERALD_CAMPAIGN_VIEW (object);
  g_autoptr(GtkNoSelection) selection = NULL;

  G_OBJECT_CLASS (herald_campaign_view_parent_class)->constructed (object);

  self->log_model = herald_message_log_model_new (self->worker, self->campaign_id);
  g_signal_connect_object (self->log_model, "notify::n-items", G_CALLBACK (update_log_stack), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log_model, "notify::loading", G_CALLBACK (update_log_stack), self, G_CONNECT_SWAPPED);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->log_model)));
  gtk_column_view_set_model (self->log_view, GTK_SELECTION_MODEL (selection));
  herald_campaign_view_reload (self);
}

static void
herald_campaign_view_dispose (GObject *object)
{
  HeraldCampaignView *self = HERALD_CAMPAIGN_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->sender != NULL)
    g_signal_handlers_disconnect_by_data (self->sender, self);
  g_clear_object (&self->sender);
  g_clear_object (&self->run_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_CAMPAIGN_VIEW);
  /* The template's root box is a plain child: it goes too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->log_model);
  g_clear_object (&self->worker);

  G_OBJECT_CLASS (herald_campaign_view_parent_class)->dispose (object);
}

static void
herald_campaign_view_finalize (GObject *object)
{
  HeraldCampaignView *self = HERALD_CAMPAIGN_VIEW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (herald_campaign_view_parent_class)->finalize (object);
}

static void
herald_campaign_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HeraldCampaignView *self = HERALD_CAMPAIGN_VIEW (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;
    case PROP_CAMPAIGN_ID:
      g_value_set_int64 (value, self->campaign_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_campaign_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  HeraldCampaignView *self = HERALD_CAMPAIGN_VIEW (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;
    case PROP_CAMPAIGN_ID:
      self->campaign_id = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_campaign_view_class_init (HeraldCampaignViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = herald_campaign_view_constructed;
  object_class->dispose = herald_campaign_view_dispose;
  object_class->finalize = herald_campaign_view_finalize;
  object_class->get_property = herald_campaign_view_get_property;
  object_class->set_property = herald_campaign_view_set_property;
  widget_class->map = herald_campaign_view_map;
  widget_class->unmap = herald_campaign_view_unmap;

  /* The store worker every query goes through. */
  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, HERALD_TYPE_STORE_WORKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMPAIGN_ID] =
    g_param_spec_int64 ("campaign-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (HERALD_TYPE_FUNNEL_CHART);
  g_type_ensure (HERALD_TYPE_MESSAGE_LOG_ROW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-campaign-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, title_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, sandbox_badge);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, status_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, reason_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, start_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, resume_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, sent_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, delivered_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, read_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, failed_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, chart);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, in_doubt_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, in_doubt_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, failures_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, failures_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, retry_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, log_stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, log_view);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignView, view_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_status_selected_cb);

  gtk_widget_class_install_action (widget_class, "campaign.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "campaign.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "campaign.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "campaign.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "campaign.retry-failed", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "campaign.retry-in-doubt", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "campaign.drop-in-doubt", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "campaign.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "campaign.export-to", "s", export_to_action);
}

static void
herald_campaign_view_init (HeraldCampaignView *self)
{
  self->cancellable = g_cancellable_new ();
  self->status = HERALD_CAMPAIGN_PENDING;
  gtk_widget_init_template (GTK_WIDGET (self));
}

HeraldCampaignView *
herald_campaign_view_new (HeraldStoreWorker *worker,
                          gint64             campaign_id)
{
  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);

  return g_object_new (HERALD_TYPE_CAMPAIGN_VIEW, "worker", worker, "campaign-id", campaign_id, NULL);
}

gint64
herald_campaign_view_get_campaign_id (HeraldCampaignView *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_VIEW (self), 0);
  return self->campaign_id;
}

HeraldMessageLogModel *
herald_campaign_view_get_log_model (HeraldCampaignView *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_VIEW (self), NULL);
  return self->log_model;
}

HeraldSender *
herald_campaign_view_get_sender (HeraldCampaignView *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_VIEW (self), NULL);
  return self->sender;
}

HeraldCampaignStatus
herald_campaign_view_get_status (HeraldCampaignView *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_VIEW (self), HERALD_CAMPAIGN_PENDING);
  return self->sender != NULL ? herald_sender_get_state (self->sender) : self->status;
}

gboolean
herald_campaign_view_get_loading (HeraldCampaignView *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_VIEW (self), FALSE);
  return self->loading;
}

void
herald_campaign_view_show_messages (HeraldCampaignView *self,
                                    double              fraction)
{
  GtkWidget *scrolled;
  GtkAdjustment *adjustment;

  g_return_if_fail (HERALD_IS_CAMPAIGN_VIEW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "messages");
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self->log_view), GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, (gtk_adjustment_get_upper (adjustment) -
                                         gtk_adjustment_get_page_size (adjustment)) * CLAMP (fraction, 0, 1));
}

GtkLabel *
herald_campaign_view_get_counter_label (HeraldCampaignView *self,
                                        const char         *counter)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_VIEW (self), NULL);
  g_return_val_if_fail (counter != NULL, NULL);

  if (g_str_equal (counter, "sent"))
    return self->sent_label;
  if (g_str_equal (counter, "delivered"))
    return self->delivered_label;
  if (g_str_equal (counter, "read"))
    return self->read_label;
  if (g_str_equal (counter, "failed"))
    return self->failed_label;
  g_return_val_if_reached (NULL);
}
