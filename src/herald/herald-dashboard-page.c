/* herald-dashboard-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-campaign.h"
#include "herald-dashboard-page.h"

struct _HeraldDashboardPage
{
  GtkWidget          parent_instance;

  HeraldStoreWorker *worker;
  HeraldOverview    *overview;
  GCancellable      *cancellable;
  guint              n_loading;

  GtkWidget         *welcome;
  GtkWidget         *checklist;
  GtkWidget         *counts;
  GtkWidget         *campaigns_group;
  GtkListBox        *campaigns_list;
  GtkWidget         *number_step;
  GtkWidget         *number_step_icon;
  GtkWidget         *contacts_step;
  GtkWidget         *contacts_step_icon;
  GtkWidget         *template_step;
  GtkWidget         *template_step_icon;
  GtkWidget         *campaign_step;
  GtkWidget         *campaign_step_icon;
  GtkLabel          *contacts_count;
  GtkLabel          *templates_count;
  GtkLabel          *numbers_count;
};

enum {
  PROP_0,
  PROP_WORKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (HeraldDashboardPage, herald_dashboard_page, GTK_TYPE_WIDGET)

static gpointer
load_overview_job (HeraldStore   *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return herald_overview_load (store, HERALD_DASHBOARD_RECENT_CAMPAIGNS, error);
}

static gboolean
is_empty (const HeraldOverview *overview)
{
  return overview->n_numbers == 0 && overview->n_contacts == 0 &&
         overview->n_templates == 0 && overview->n_campaigns == 0;
}

static void
set_step (GtkWidget *row,
          GtkWidget *icon,
          gboolean   done)
{
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), done ? "object-select-symbolic" : "radio-symbolic");
  if (done)
    {
      gtk_widget_add_css_class (icon, "success");
      gtk_widget_add_css_class (row, "done");
    }
  else
    {
      gtk_widget_remove_css_class (icon, "success");
      gtk_widget_remove_css_class (row, "done");
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_CHECKED,
                               done ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE,
                               -1);
}

static void
set_count (GtkLabel *label,
           gint64    count)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, count);

  gtk_label_set_text (label, text);
}

static const char *
status_label (HeraldCampaignStatus status)
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
      return _("Completed");
    case HERALD_CAMPAIGN_FAILED:
      return _("Stopped by an error");
    case HERALD_CAMPAIGN_CANCELLED:
      return _("Cancelled");
    default:
      return herald_campaign_status_to_string (status);
    }
}

static GtkWidget *
campaign_row (HeraldCampaign *campaign)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *progress = gtk_progress_bar_new ();
  gint64 total = herald_campaign_get_total_messages (campaign);
  gint64 done = herald_campaign_get_sent_count (campaign) + herald_campaign_get_failed_count (campaign);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (herald_campaign_get_name (campaign) != NULL && herald_campaign_get_name (campaign)[0] != '\0')
    title = g_markup_escape_text (herald_campaign_get_name (campaign), -1);
  else
    title = g_strdup_printf (_("Campaign %" G_GINT64_FORMAT), herald_campaign_get_id (campaign));
  /* Translators: a campaign's status, then how many of its messages Meta
   * accepted, were read and failed. */
  subtitle = g_strdup_printf (_("%s · %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " sent,"
                                " %" G_GINT64_FORMAT " read, %" G_GINT64_FORMAT " failed"),
                              status_label (herald_campaign_get_status (campaign)),
                              herald_campaign_get_sent_count (campaign), total,
                              herald_campaign_get_read_count (campaign),
                              herald_campaign_get_failed_count (campaign));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (progress), total > 0 ? (double) done / (double) total : 0.0);
  gtk_widget_set_valign (progress, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (progress, 64, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), progress);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-page");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", "campaigns");
  return row;
}

static void
show_overview (HeraldDashboardPage *self)
{
  const HeraldOverview *overview = self->overview;
  gboolean number_done = overview->n_numbers > 0;
  gboolean contacts_done = overview->n_contacts > 0;
  gboolean template_done = overview->n_approved_templates > 0;
  gboolean campaign_done = overview->n_campaigns > 0;
  gboolean empty = is_empty (overview);
  GtkWidget *child;

  set_step (self->number_step, self->number_step_icon, number_done);
  set_step (self->contacts_step, self->contacts_step_icon, contacts_done);
  set_step (self->template_step, self->template_step_icon, template_done);
  set_step (self->campaign_step, self->campaign_step_icon, campaign_done);
  /* The checklist stays until every step is done once. */
  gtk_widget_set_visible (self->checklist, !(number_done && contacts_done && template_done && campaign_done));
  gtk_widget_set_visible (self->welcome, empty);
  gtk_widget_set_visible (self->counts, !empty);
  gtk_widget_set_visible (self->campaigns_group, !empty);

  set_count (self->contacts_count, overview->n_contacts);
  set_count (self->templates_count, overview->n_approved_templates);
  set_count (self->numbers_count, overview->n_numbers);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->campaigns_list))) != NULL &&
         GTK_IS_LIST_BOX_ROW (child))
    gtk_list_box_remove (self->campaigns_list, child);
  for (guint i = 0; i < overview->recent_campaigns->len; i++)
    gtk_list_box_append (self->campaigns_list, campaign_row (g_ptr_array_index (overview->recent_campaigns, i)));
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HeraldDashboardPage) self = user_data;
  g_autoptr(HeraldOverview) overview = NULL;
  g_autoptr(GError) error = NULL;

  overview = herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_loading--;
  if (overview == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
      return;
    }

  g_clear_pointer (&self->overview, herald_overview_free);
  self->overview = g_steal_pointer (&overview);
  show_overview (self);
}

void
herald_dashboard_page_reload (HeraldDashboardPage *self)
{
  g_return_if_fail (HERALD_IS_DASHBOARD_PAGE (self));

  self->n_loading++;
  herald_store_worker_run_async (self->worker, load_overview_job, NULL, NULL,
                                 self->cancellable, on_loaded_cb, g_object_ref (self));
}

static void
herald_dashboard_page_dispose (GObject *object)
{
  HeraldDashboardPage *self = HERALD_DASHBOARD_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_DASHBOARD_PAGE);
  /* The template's unnamed top child too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->overview, herald_overview_free);

  G_OBJECT_CLASS (herald_dashboard_page_parent_class)->dispose (object);
}

static void
herald_dashboard_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HeraldDashboardPage *self = HERALD_DASHBOARD_PAGE (object);

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
herald_dashboard_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HeraldDashboardPage *self = HERALD_DASHBOARD_PAGE (object);

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
herald_dashboard_page_class_init (HeraldDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_dashboard_page_dispose;
  object_class->set_property = herald_dashboard_page_set_property;
  object_class->get_property = herald_dashboard_page_get_property;

  /* The store worker every query goes through. */
  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, HERALD_TYPE_STORE_WORKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, welcome);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, checklist);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, counts);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, campaigns_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, campaigns_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, number_step);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, number_step_icon);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, contacts_step);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, contacts_step_icon);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, template_step);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, template_step_icon);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, campaign_step);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, campaign_step_icon);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, contacts_count);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, templates_count);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, numbers_count);
}

static void
herald_dashboard_page_init (HeraldDashboardPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Other pages change what it counts: read again each time it is shown. */
  g_signal_connect (self, "map", G_CALLBACK (herald_dashboard_page_reload), NULL);
}

const char *
herald_dashboard_page_get_state (HeraldDashboardPage *self)
{
  g_return_val_if_fail (HERALD_IS_DASHBOARD_PAGE (self), NULL);

  if (self->overview == NULL)
    return "loading";
  return is_empty (self->overview) ? "empty" : "overview";
}

const HeraldOverview *
herald_dashboard_page_get_overview (HeraldDashboardPage *self)
{
  g_return_val_if_fail (HERALD_IS_DASHBOARD_PAGE (self), NULL);

  return self->overview;
}

gboolean
herald_dashboard_page_get_busy (HeraldDashboardPage *self)
{
  g_return_val_if_fail (HERALD_IS_DASHBOARD_PAGE (self), FALSE);

  return self->n_loading > 0;
}
