/* herald-campaigns-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-campaign.h"
#include "herald-campaigns-page.h"
#include "herald-sandbox.h"
#include "herald-ui-utils.h"

struct _HeraldCampaignsPage
{
  GtkWidget          parent_instance;

  HeraldStoreWorker *worker;
  GCancellable      *cancellable;
  GHashTable        *views;        /* campaign id → HeraldCampaignView, kept while they run */
  guint              n_campaigns;
  gboolean           loading;

  GtkStack          *stack;
  GtkListBox        *list_box;
};

G_DEFINE_FINAL_TYPE (HeraldCampaignsPage, herald_campaigns_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WORKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (HeraldCampaignsPage *self,
       const char          *text)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
}

typedef struct
{
  GPtrArray  *campaigns;  /* HeraldCampaign */
  GHashTable *numbers;    /* id → HeraldNumber */
} CampaignList;

static void
campaign_list_free (CampaignList *list)
{
  g_clear_pointer (&list->campaigns, g_ptr_array_unref);
  g_clear_pointer (&list->numbers, g_hash_table_unref);
  g_free (list);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CampaignList, campaign_list_free)

static gpointer
list_func (HeraldStore   *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(CampaignList) list = g_new0 (CampaignList, 1);
  g_autoptr(GPtrArray) numbers = NULL;

  list->campaigns = herald_campaign_list (store, error);
  if (list->campaigns == NULL)
    return NULL;
  numbers = herald_store_list_numbers (store, error);
  if (numbers == NULL)
    return NULL;
  list->numbers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  for (guint i = 0; i < numbers->len; i++)
    {
      HeraldNumber *number = g_ptr_array_index (numbers, i);
      gint64 id = herald_number_get_id (number);

      g_hash_table_insert (list->numbers, g_memdup2 (&id, sizeof id), g_object_ref (number));
    }
  return g_steal_pointer (&list);
}

static const char *
campaign_status_label (HeraldCampaignStatus status)
{
  switch (status)
    {
    case HERALD_CAMPAIGN_PENDING:
      return _("Ready to send");
    case HERALD_CAMPAIGN_PROCESSING:
      return _("Sending");
    case HERALD_CAMPAIGN_PAUSED:
      return _("Paused");
    case HERALD_CAMPAIGN_COMPLETED:
      return _("Finished");
    case HERALD_CAMPAIGN_FAILED:
      return _("Stopped");
    case HERALD_CAMPAIGN_CANCELLED:
      return _("Cancelled");
    default:
      return "";
    }
}

static GtkWidget *
campaign_row (HeraldCampaign *campaign,
              HeraldNumber   *number)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *progress = gtk_progress_bar_new ();
  gint64 total = herald_campaign_get_total_messages (campaign);
  gint64 settled = herald_campaign_get_sent_count (campaign) + herald_campaign_get_failed_count (campaign);
  g_autofree char *subtitle = NULL;
  gint64 id = herald_campaign_get_id (campaign);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 herald_campaign_get_name (campaign) ? herald_campaign_get_name (campaign) : _("Campaign"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Translators: status · messages handled of all */
  subtitle = g_strdup_printf (_("%s · %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " sent"),
                              campaign_status_label (herald_campaign_get_status (campaign)),
                              MIN (settled, total), total);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (number != NULL && herald_number_get_is_sandbox (number))
    {
      GtkWidget *badge = gtk_label_new (_("Sandbox"));

      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "herald-sandbox-badge");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
    }
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (progress), total > 0 ? (double) MIN (settled, total) / total : 0);
  gtk_widget_set_valign (progress, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (progress, 64, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), progress);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "campaign-id", g_memdup2 (&id, sizeof id), g_free);
  return row;
}

static void
on_list_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  HeraldCampaignsPage *self;
  g_autoptr(CampaignList) list = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  const char *visible;

  list = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = HERALD_CAMPAIGNS_PAGE (user_data);
  self->loading = FALSE;
  if (list == NULL)
    {
      toast (self, error->message);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < list->campaigns->len; i++)
    {
      HeraldCampaign *campaign = g_ptr_array_index (list->campaigns, i);
      gint64 number_id = herald_campaign_get_number_id (campaign);

      gtk_list_box_append (self->list_box, campaign_row (campaign, g_hash_table_lookup (list->numbers, &number_id)));
    }
  self->n_campaigns = list->campaigns->len;

  visible = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (visible, "loading") == 0 || g_strcmp0 (visible, "empty") == 0 || g_strcmp0 (visible, "list") == 0)
    gtk_stack_set_visible_child_name (self->stack, self->n_campaigns > 0 ? "list" : "empty");
}

void
herald_campaigns_page_reload (HeraldCampaignsPage *self)
{
  g_return_if_fail (HERALD_IS_CAMPAIGNS_PAGE (self));

  self->loading = TRUE;
  herald_store_worker_run_async (self->worker, list_func, NULL, NULL, self->cancellable, on_list_loaded_cb, self);
}

/* Finished campaigns */

static void
on_view_finished_cb (HeraldCampaignView *view,
                     int                 status,
                     HeraldCampaignsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GApplication *app = g_application_get_default ();

  herald_campaigns_page_reload (self);
  /* Only when the user is elsewhere: in front of the window, they see it. */
  if (app != NULL && GTK_IS_WINDOW (root) && !gtk_window_is_active (GTK_WINDOW (root)))
    {
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *id = g_strdup_printf ("campaign-%" G_GINT64_FORMAT, herald_campaign_view_get_campaign_id (view));
      g_autofree char *body = g_strdup_printf (_("%s: %s sent, %s failed"),
                                               status == HERALD_CAMPAIGN_COMPLETED ? _("Finished") : _("Stopped"),
                                               gtk_label_get_text (herald_campaign_view_get_counter_label (view, "sent")),
                                               gtk_label_get_text (herald_campaign_view_get_counter_label (view, "failed")));

      notification = g_notification_new (status == HERALD_CAMPAIGN_COMPLETED ? _("Campaign Finished") :
                                                                                _("Campaign Stopped"));
      g_notification_set_body (notification, body);
      g_notification_set_default_action_and_target (notification, "app.activate", NULL);
      g_application_send_notification (app, id, notification);
    }
}

HeraldCampaignView *
herald_campaigns_page_show_campaign (HeraldCampaignsPage *self,
                                     gint64               campaign_id)
{
  HeraldCampaignView *view;
  g_autofree char *name = NULL;

  g_return_val_if_fail (HERALD_IS_CAMPAIGNS_PAGE (self), NULL);

  name = g_strdup_printf ("campaign-%" G_GINT64_FORMAT, campaign_id);
  view = g_hash_table_lookup (self->views, &campaign_id);
  if (view == NULL)
    {
      view = herald_campaign_view_new (self->worker, campaign_id);
      g_signal_connect_object (view, "finished", G_CALLBACK (on_view_finished_cb), self, 0);
      g_hash_table_insert (self->views, g_memdup2 (&campaign_id, sizeof campaign_id), view);
      gtk_stack_add_named (self->stack, GTK_WIDGET (view), name);
    }
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (view));
  return view;
}

static void
on_row_activated_cb (HeraldCampaignsPage *self,
                     GtkListBoxRow       *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "campaign-id");

  if (id != NULL)
    herald_campaigns_page_show_campaign (self, *id);
}

static void
on_wizard_created_cb (HeraldCampaignWizard *wizard,
                      gint64                campaign_id,
                      HeraldCampaignsPage  *self)
{
  HeraldCampaignView *view = herald_campaigns_page_show_campaign (self, campaign_id);

  gtk_widget_activate_action (GTK_WIDGET (view), "campaign.start", NULL);
  herald_campaigns_page_reload (self);
}

HeraldCampaignWizard *
herald_campaigns_page_open_wizard (HeraldCampaignsPage *self)
{
  HeraldCampaignWizard *wizard;
  GtkRoot *root;

  g_return_val_if_fail (HERALD_IS_CAMPAIGNS_PAGE (self), NULL);

  wizard = herald_campaign_wizard_new (self->worker);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (wizard), GTK_WINDOW (root));
  g_signal_connect_object (wizard, "created", G_CALLBACK (on_wizard_created_cb), self, 0);
  gtk_window_present (GTK_WINDOW (wizard));
  return wizard;
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  herald_campaigns_page_open_wizard (HERALD_CAMPAIGNS_PAGE (widget));
}

static void
show_list_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HeraldCampaignsPage *self = HERALD_CAMPAIGNS_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, self->n_campaigns > 0 ? "list" : "empty");
  herald_campaigns_page_reload (self);
}

static void
on_sandbox_set_up_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  HeraldCampaignsPage *self;
  g_autoptr(GError) error = NULL;

  if (herald_sandbox_set_up_finish (HERALD_SANDBOX (source), result, &error) == 0 &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = HERALD_CAMPAIGNS_PAGE (user_data);
  if (error != NULL)
    {
      toast (self, error->message);
      return;
    }
  toast (self, _("The Sandbox is ready: a practice number, a sample message and sample contacts"));
  herald_campaigns_page_open_wizard (self);
}

static void
try_sandbox_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HeraldCampaignsPage *self = HERALD_CAMPAIGNS_PAGE (widget);

  herald_sandbox_set_up_async (herald_sandbox_get_for_worker (self->worker), self->cancellable,
                               on_sandbox_set_up_cb, self);
}

/* GObject */

/* HERALD_REPORT_FIRST_FRAME=1: print "first-frame" on stdout once the
 * window has painted, for bench-ui's cold-start figure. */
static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, on_after_paint_cb, user_data);
}

static void
on_root_realize_cb (GtkWidget *root)
{
  g_signal_connect (gtk_widget_get_frame_clock (root), "after-paint", G_CALLBACK (on_after_paint_cb), NULL);
}

static void
on_root_notify_cb (HeraldCampaignsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self, on_root_notify_cb, NULL);
  if (gtk_widget_get_realized (GTK_WIDGET (root)))
    on_root_realize_cb (GTK_WIDGET (root));
  else
    g_signal_connect (root, "realize", G_CALLBACK (on_root_realize_cb), NULL);
}

static void
herald_campaigns_page_constructed (GObject *object)
{
  HeraldCampaignsPage *self = HERALD_CAMPAIGNS_PAGE (object);

  G_OBJECT_CLASS (herald_campaigns_page_parent_class)->constructed (object);

  herald_ui_ensure_style ();
  herald_campaigns_page_reload (self);
  if (g_strcmp0 (g_getenv ("HERALD_REPORT_FIRST_FRAME"), "1") == 0)
    g_signal_connect (self, "notify::root", G_CALLBACK (on_root_notify_cb), NULL);
}

static void
herald_campaigns_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (herald_campaigns_page_parent_class)->map (widget);
  herald_campaigns_page_reload (HERALD_CAMPAIGNS_PAGE (widget));
}

static void
herald_campaigns_page_dispose (GObject *object)
{
  HeraldCampaignsPage *self = HERALD_CAMPAIGNS_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->views, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_CAMPAIGNS_PAGE);
  /* The template's root box is a plain child: it goes too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->worker);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (herald_campaigns_page_parent_class)->dispose (object);
}

static void
herald_campaigns_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HeraldCampaignsPage *self = HERALD_CAMPAIGNS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_campaigns_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HeraldCampaignsPage *self = HERALD_CAMPAIGNS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_campaigns_page_class_init (HeraldCampaignsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = herald_campaigns_page_constructed;
  object_class->dispose = herald_campaigns_page_dispose;
  object_class->get_property = herald_campaigns_page_get_property;
  object_class->set_property = herald_campaigns_page_set_property;
  widget_class->map = herald_campaigns_page_map;

  /* The store worker every query goes through. */
  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, HERALD_TYPE_STORE_WORKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-campaigns-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignsPage, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "campaigns.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "campaigns.show-list", NULL, show_list_action);
  gtk_widget_class_install_action (widget_class, "campaigns.try-sandbox", NULL, try_sandbox_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "campaigns.new", NULL);
}

static void
herald_campaigns_page_init (HeraldCampaignsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->views = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
herald_campaigns_page_get_state (HeraldCampaignsPage *self)
{
  const char *name;

  g_return_val_if_fail (HERALD_IS_CAMPAIGNS_PAGE (self), NULL);

  name = gtk_stack_get_visible_child_name (self->stack);
  if (name != NULL && g_str_has_prefix (name, "campaign-"))
    return "campaign";
  return name;
}

guint
herald_campaigns_page_get_n_campaigns (HeraldCampaignsPage *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGNS_PAGE (self), 0);
  return self->n_campaigns;
}
