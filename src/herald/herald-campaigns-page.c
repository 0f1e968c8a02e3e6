/* herald-campaigns-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "herald-campaign.h"
#include "herald-campaigns-page.h"
#include "herald-sandbox.h"
#include "herald-ui-utils.h"

struct _HeraldCampaignsPage
{
  HeraldPage         parent_instance;

  GHashTable        *views;        /* campaign id → HeraldCampaignView, kept while they run */
  GHashTable        *notified;     /* campaign ids whose "finished" notification is out */
  guint              n_campaigns;

  GtkStack          *stack;
  GtkListBox        *list_box;
};

G_DEFINE_FINAL_TYPE (HeraldCampaignsPage, herald_campaigns_page, HERALD_TYPE_PAGE)

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

static GtkWidget *
campaign_row (HeraldCampaign *campaign,
              HeraldNumber   *number)
{
  GtkWidget *row = herald_ui_campaign_row_new (campaign, number);
  gint64 id = herald_campaign_get_id (campaign);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "campaign-id", g_memdup2 (&id, sizeof id), g_free);
  return row;
}

static void
on_list_loaded (HeraldPage   *page,
                gpointer      result,
                const GError *error,
                gpointer      user_data)
{
  HeraldCampaignsPage *self = HERALD_CAMPAIGNS_PAGE (page);
  g_autoptr(CampaignList) list = result;
  GtkWidget *child;
  const char *visible;

  if (list == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < list->campaigns->len; i++)
    {
      HeraldCampaign *campaign = g_ptr_array_index (list->campaigns, i);
      gint64 number_id = herald_campaign_get_number_id (campaign);

      gtk_list_box_append (self->list_box, campaign_row (campaign, g_hash_table_lookup (list->numbers, &number_id)));
    }
  self->n_campaigns = list->campaigns->len;

  /* A campaign's dashboard stays in front. */
  visible = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (visible, "loading") == 0 || g_strcmp0 (visible, "empty") == 0 || g_strcmp0 (visible, "list") == 0)
    herald_ui_show_list_state (self->stack, self->n_campaigns, FALSE, FALSE);
}

static void
herald_campaigns_page_reload (HeraldPage *page)
{
  herald_page_run (page, list_func, NULL, NULL, (GDestroyNotify) campaign_list_free, on_list_loaded, NULL, NULL);
}

/* Finished campaigns */

static char *
notification_id (gint64 campaign_id)
{
  return g_strdup_printf ("campaign-%" PRId64, campaign_id);
}

/* Notifications go out on behalf of the application that owns the window,
 * which must be registered; a page in a window without one sends none. */
static GApplication *
window_application (HeraldCampaignsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  if (app == NULL || !g_application_get_is_registered (G_APPLICATION (app)))
    return NULL;
  return G_APPLICATION (app);
}

static void
on_view_finished_cb (HeraldCampaignView *view,
                     int                 status,
                     HeraldCampaignsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GApplication *app = window_application (self);
  gint64 campaign_id = herald_campaign_view_get_campaign_id (view);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;

  herald_page_reload (HERALD_PAGE (self));
  /* Only when the user is elsewhere: in front of the window, they see it. */
  if (app == NULL || gtk_window_is_active (GTK_WINDOW (root)))
    return;

  id = notification_id (campaign_id);
  /* Translators: "Finished" or "Stopped", then the number of messages sent
   * and the number that failed, as in "Finished: 48 sent, 2 failed" */
  body = g_strdup_printf (_("%s: %s sent, %s failed"),
                          status == HERALD_CAMPAIGN_COMPLETED ? _("Finished") : _("Stopped"),
                          gtk_label_get_text (herald_campaign_view_get_counter_label (view, "sent")),
                          gtk_label_get_text (herald_campaign_view_get_counter_label (view, "failed")));
  notification = g_notification_new (status == HERALD_CAMPAIGN_COMPLETED ? _("Campaign Finished") :
                                                                            _("Campaign Stopped"));
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-campaign", "x", campaign_id);
  g_application_send_notification (app, id, notification);
  g_hash_table_add (self->notified, g_memdup2 (&campaign_id, sizeof campaign_id));
}

/* Once the campaign's dashboard is in front of the user, its notification
 * has done its job. */
static void
withdraw_notification (HeraldCampaignsPage *self,
                       gint64               campaign_id)
{
  GApplication *app = window_application (self);
  g_autofree char *id = NULL;

  if (!g_hash_table_remove (self->notified, &campaign_id) || app == NULL)
    return;
  id = notification_id (campaign_id);
  g_application_withdraw_notification (app, id);
}

/* The user came back to a window that shows a campaign's dashboard. */
static void
on_window_is_active_cb (HeraldCampaignsPage *self,
                        GParamSpec          *pspec,
                        GtkWindow           *window)
{
  GtkWidget *visible = gtk_stack_get_visible_child (self->stack);

  if (gtk_window_is_active (window) && HERALD_IS_CAMPAIGN_VIEW (visible) && gtk_widget_get_mapped (visible))
    withdraw_notification (self, herald_campaign_view_get_campaign_id (HERALD_CAMPAIGN_VIEW (visible)));
}

HeraldCampaignView *
herald_campaigns_page_show_campaign (HeraldCampaignsPage *self,
                                     gint64               campaign_id)
{
  HeraldCampaignView *view;
  g_autofree char *name = NULL;

  g_return_val_if_fail (HERALD_IS_CAMPAIGNS_PAGE (self), NULL);

  name = g_strdup_printf ("campaign-%" PRId64, campaign_id);
  view = g_hash_table_lookup (self->views, &campaign_id);
  if (view == NULL)
    {
      view = herald_campaign_view_new (herald_page_get_worker (HERALD_PAGE (self)), campaign_id);
      g_signal_connect_object (view, "finished", G_CALLBACK (on_view_finished_cb), self, 0);
      g_hash_table_insert (self->views, g_memdup2 (&campaign_id, sizeof campaign_id), view);
      gtk_stack_add_named (self->stack, GTK_WIDGET (view), name);
    }
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (view));
  withdraw_notification (self, campaign_id);
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
  herald_page_reload (HERALD_PAGE (self));
}

HeraldCampaignWizard *
herald_campaigns_page_open_wizard (HeraldCampaignsPage *self)
{
  HeraldCampaignWizard *wizard;

  g_return_val_if_fail (HERALD_IS_CAMPAIGNS_PAGE (self), NULL);

  wizard = herald_campaign_wizard_new (herald_page_get_worker (HERALD_PAGE (self)));
  g_signal_connect_object (wizard, "created", G_CALLBACK (on_wizard_created_cb), self, 0);
  herald_ui_present (GTK_WIDGET (self), GTK_WINDOW (wizard));
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
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  herald_campaigns_page_show_campaign (HERALD_CAMPAIGNS_PAGE (widget), g_variant_get_int64 (parameter));
}

static void
show_list_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HeraldCampaignsPage *self = HERALD_CAMPAIGNS_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, self->n_campaigns > 0 ? "list" : "empty");
  herald_page_reload (HERALD_PAGE (self));
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
      herald_page_toast (HERALD_PAGE (self), error->message);
      return;
    }
  herald_page_toast (HERALD_PAGE (self), _("The Sandbox is ready: a practice number, a sample message and sample contacts"));
  herald_campaigns_page_open_wizard (self);
}

static void
try_sandbox_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  HeraldCampaignsPage *self = HERALD_CAMPAIGNS_PAGE (widget);

  herald_sandbox_set_up_async (herald_sandbox_get_for_worker (herald_page_get_worker (HERALD_PAGE (self))),
                               herald_page_get_cancellable (HERALD_PAGE (self)), on_sandbox_set_up_cb, self);
}

/* GObject */

/* HERALD_REPORT_FIRST_FRAME=1: print "first-frame" on stdout once the
 * window has painted, for bench-ui's cold-start figure. */
static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  g_print ("first-frame %" PRId64 "\n", g_get_monotonic_time ());
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

  herald_page_reload (HERALD_PAGE (self));
  if (g_strcmp0 (g_getenv ("HERALD_REPORT_FIRST_FRAME"), "1") == 0)
    g_signal_connect (self, "notify::root", G_CALLBACK (on_root_notify_cb), NULL);
}

static void
herald_campaigns_page_root (GtkWidget *widget)
{
  GtkRoot *root;

  GTK_WIDGET_CLASS (herald_campaigns_page_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "notify::is-active", G_CALLBACK (on_window_is_active_cb), widget,
                             G_CONNECT_SWAPPED);
}

static void
herald_campaigns_page_unroot (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), on_window_is_active_cb, widget);

  GTK_WIDGET_CLASS (herald_campaigns_page_parent_class)->unroot (widget);
}

static void
herald_campaigns_page_dispose (GObject *object)
{
  HeraldCampaignsPage *self = HERALD_CAMPAIGNS_PAGE (object);

  g_clear_pointer (&self->views, g_hash_table_unref);
  g_clear_pointer (&self->notified, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_CAMPAIGNS_PAGE);

  G_OBJECT_CLASS (herald_campaigns_page_parent_class)->dispose (object);
}

static void
herald_campaigns_page_class_init (HeraldCampaignsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = herald_campaigns_page_constructed;
  object_class->dispose = herald_campaigns_page_dispose;
  widget_class->root = herald_campaigns_page_root;
  widget_class->unroot = herald_campaigns_page_unroot;
  HERALD_PAGE_CLASS (klass)->reload = herald_campaigns_page_reload;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-campaigns-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignsPage, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "campaigns.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "campaigns.show", "x", show_action);
  gtk_widget_class_install_action (widget_class, "campaigns.show-list", NULL, show_list_action);
  gtk_widget_class_install_action (widget_class, "campaigns.try-sandbox", NULL, try_sandbox_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "campaigns.new", NULL);
}

static void
herald_campaigns_page_init (HeraldCampaignsPage *self)
{
  self->views = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->notified = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
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
