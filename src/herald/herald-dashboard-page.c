/* herald-dashboard-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "herald-campaign.h"
#include "herald-dashboard-page.h"
#include "herald-ui-utils.h"

struct _HeraldDashboardPage
{
  HeraldPage         parent_instance;

  HeraldOverview    *overview;
  GPtrArray         *numbers;

  GtkWidget         *welcome;
  GtkWidget         *checklist;
  GtkWidget         *counts;
  GtkWidget         *campaigns_group;
  GtkListBox        *campaigns_list;
  GtkWidget         *number_step;
  GtkWidget         *sandbox_step;
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

G_DEFINE_FINAL_TYPE (HeraldDashboardPage, herald_dashboard_page, HERALD_TYPE_PAGE)

typedef struct
{
  HeraldOverview *overview;
  GPtrArray      *numbers;   /* HeraldNumber: which campaigns the Sandbox sent */
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->overview, herald_overview_free);
  g_clear_pointer (&loaded->numbers, g_ptr_array_unref);
  g_free (loaded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_free)

static gpointer
load_overview_job (HeraldStore   *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(Loaded) loaded = g_new0 (Loaded, 1);

  loaded->overview = herald_overview_load (store, HERALD_DASHBOARD_RECENT_CAMPAIGNS, error);
  if (loaded->overview == NULL)
    return NULL;
  loaded->numbers = herald_store_list_numbers (store, error);
  if (loaded->numbers == NULL)
    return NULL;
  return g_steal_pointer (&loaded);
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
  g_autofree char *text = g_strdup_printf ("%" PRId64, count);

  gtk_label_set_text (label, text);
}

static HeraldNumber *
find_number (GPtrArray *numbers,
             gint64     id)
{
  for (guint i = 0; i < numbers->len; i++)
    if (herald_number_get_id (g_ptr_array_index (numbers, i)) == id)
      return g_ptr_array_index (numbers, i);
  return NULL;
}

static GtkWidget *
campaign_row (HeraldCampaign *campaign,
              GPtrArray      *numbers)
{
  GtkWidget *row = herald_ui_campaign_row_new (campaign, find_number (numbers, herald_campaign_get_number_id (campaign)));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-campaign");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x", herald_campaign_get_id (campaign));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  return row;
}

/* The last row of the recent campaigns: a way to the others. */
static GtkWidget *
all_campaigns_row (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("_All Campaigns"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-page");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", "campaigns");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
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
  gtk_widget_set_visible (self->sandbox_step, !number_done);
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
    gtk_list_box_append (self->campaigns_list, campaign_row (g_ptr_array_index (overview->recent_campaigns, i),
                                                                     self->numbers));
  if (overview->recent_campaigns->len > 0)
    gtk_list_box_append (self->campaigns_list, all_campaigns_row ());
}

static void
on_loaded (HeraldPage   *page,
           gpointer      result,
           const GError *error,
           gpointer      user_data)
{
  HeraldDashboardPage *self = HERALD_DASHBOARD_PAGE (page);
  g_autoptr(Loaded) loaded = result;

  if (loaded == NULL)
    return;
  g_clear_pointer (&self->overview, herald_overview_free);
  g_clear_pointer (&self->numbers, g_ptr_array_unref);
  self->overview = g_steal_pointer (&loaded->overview);
  self->numbers = g_steal_pointer (&loaded->numbers);
  show_overview (self);
}

/* Other pages change what it counts: it reads again each time it is shown. */
static void
herald_dashboard_page_reload (HeraldPage *page)
{
  herald_page_run (page, load_overview_job, NULL, NULL, (GDestroyNotify) loaded_free, on_loaded, NULL, NULL);
}

static void
herald_dashboard_page_dispose (GObject *object)
{
  HeraldDashboardPage *self = HERALD_DASHBOARD_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_DASHBOARD_PAGE);
  g_clear_pointer (&self->overview, herald_overview_free);
  g_clear_pointer (&self->numbers, g_ptr_array_unref);

  G_OBJECT_CLASS (herald_dashboard_page_parent_class)->dispose (object);
}

static void
herald_dashboard_page_class_init (HeraldDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_dashboard_page_dispose;
  HERALD_PAGE_CLASS (klass)->reload = herald_dashboard_page_reload;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, welcome);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, checklist);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, counts);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, campaigns_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, campaigns_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, number_step);
  gtk_widget_class_bind_template_child (widget_class, HeraldDashboardPage, sandbox_step);
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
  gtk_widget_init_template (GTK_WIDGET (self));
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
