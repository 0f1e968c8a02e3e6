/* herald-window.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-activity-page.h"
#include "herald-campaigns-page.h"
#include "herald-contacts-page.h"
#include "herald-dashboard-page.h"
#include "herald-numbers-page.h"
#include "herald-templates-page.h"
#include "herald-window.h"

struct _HeraldWindow
{
  AdwApplicationWindow  parent_instance;

  HeraldStoreWorker    *worker;
  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  GtkListBox           *sidebar_list;
  AdwWindowTitle       *content_title;
  AdwViewStack         *stack;
};

G_DEFINE_FINAL_TYPE (HeraldWindow, herald_window, ADW_TYPE_APPLICATION_WINDOW)

static void
add_page (HeraldWindow *self,
          const char   *name,
          const char   *title,
          const char   *icon_name,
          GtkWidget    *page)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *label;

  adw_view_stack_add_titled (self->stack, page, name, title);
  adw_view_stack_page_set_icon_name (adw_view_stack_get_page (self->stack, page), icon_name);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, name);
  gtk_list_box_append (self->sidebar_list, row);
}

static void
add_pages (HeraldWindow *self)
{
  HeraldStoreWorker *worker = self->worker;

  /* Each page gets the worker; the sidebar lists them in this order. */
  add_page (self, "dashboard", _("Dashboard"), "go-home-symbolic",
            g_object_new (HERALD_TYPE_DASHBOARD_PAGE, "worker", worker, NULL));
  add_page (self, "campaigns", _("Campaigns"), "mail-send-symbolic",
            g_object_new (HERALD_TYPE_CAMPAIGNS_PAGE, "worker", worker, NULL));
  add_page (self, "contacts", _("Contacts"), "system-users-symbolic",
            g_object_new (HERALD_TYPE_CONTACTS_PAGE, "worker", worker, NULL));
  add_page (self, "templates", _("Templates"), "x-office-document-symbolic",
            g_object_new (HERALD_TYPE_TEMPLATES_PAGE, "worker", worker, NULL));
  add_page (self, "numbers", _("Numbers"), "phone-symbolic",
            g_object_new (HERALD_TYPE_NUMBERS_PAGE, "worker", worker, NULL));
  add_page (self, "activity", _("Activity"), "network-transmit-receive-symbolic",
            g_object_new (HERALD_TYPE_ACTIVITY_PAGE, "worker", worker, NULL));
}

static void
on_sidebar_row_activated_cb (HeraldWindow  *self,
                             GtkListBoxRow *row)
{
  herald_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
on_stack_visible_child_cb (HeraldWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);
  GtkWidget *child = adw_view_stack_get_visible_child (self->stack);

  if (child == NULL)
    return;

  adw_window_title_set_title (self->content_title,
                              adw_view_stack_page_get_title (adw_view_stack_get_page (self->stack, child)));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), name) == 0)
        {
          gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
          break;
        }
    }
}

static void
on_leaflet_folded_cb (HeraldWindow *self)
{
  /* Folded, the sidebar is a page of its own: nothing looks selected there,
   * since the selection is not what is on screen. */
  gtk_list_box_set_selection_mode (self->sidebar_list,
                                   adw_leaflet_get_folded (self->leaflet) ?
                                   GTK_SELECTION_NONE : GTK_SELECTION_SINGLE);
  if (!adw_leaflet_get_folded (self->leaflet))
    on_stack_visible_child_cb (self);
}

static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HeraldWindow *self = HERALD_WINDOW (widget);

  herald_window_add_toast (self, adw_toast_new (g_variant_get_string (parameter, NULL)));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HeraldWindow *self = HERALD_WINDOW (widget);

  herald_window_show_page (self, g_variant_get_string (parameter, NULL));
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
show_campaign_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  herald_window_show_campaign (HERALD_WINDOW (widget), g_variant_get_int64 (parameter));
}

/* Ctrl+N: the visible page's main action, wherever the focus is (a page's
 * own binding only sees keys while the focus is inside it). */
static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  static const struct { const char *page; const char *owner; const char *action; } main_actions[] = {
    { "dashboard", "campaigns", "campaigns.new" },
    { "campaigns", "campaigns", "campaigns.new" },
    { "contacts", "contacts", "contacts.add" },
    { "templates", "templates", "templates.new" },
    { "numbers", "numbers", "numbers.add" },
  };
  HeraldWindow *self = HERALD_WINDOW (widget);
  const char *name = adw_view_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < G_N_ELEMENTS (main_actions); i++)
    if (g_strcmp0 (name, main_actions[i].page) == 0)
      gtk_widget_activate_action (adw_view_stack_get_child_by_name (self->stack, main_actions[i].owner),
                                  main_actions[i].action, NULL);
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HeraldWindow *self = HERALD_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
save_window_state (HeraldWindow *self)
{
  int width, height;
  const char *page;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  page = adw_view_stack_get_visible_child_name (self->stack);
  if (page != NULL)
    g_settings_set_string (self->settings, "last-page", page);
  g_settings_apply (self->settings);
}

static gboolean
herald_window_close_request (GtkWindow *window)
{
  save_window_state (HERALD_WINDOW (window));

  return GTK_WINDOW_CLASS (herald_window_parent_class)->close_request (window);
}

/* Runs once the window has its application: the pages need its worker. */
static void
setup (HeraldWindow *self)
{
  GtkApplication *app;
  g_autofree char *last_page = NULL;

  if (self->worker != NULL)
    return;

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (HERALD_IS_APPLICATION (app))
    {
      self->worker = g_object_ref (herald_application_get_worker (HERALD_APPLICATION (app)));
      self->settings = g_object_ref (herald_application_get_settings (HERALD_APPLICATION (app)));
    }
  else
    {
      /* Without our application (a test making a bare window). */
      self->worker = herald_store_worker_new (g_getenv ("HERALD_DB"), NULL);
      self->settings = g_settings_new (APP_ID);
    }

  add_pages (self);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  last_page = g_settings_get_string (self->settings, "last-page");
  herald_window_show_page (self, adw_view_stack_get_child_by_name (self->stack, last_page) != NULL ?
                                 last_page : "dashboard");
  on_stack_visible_child_cb (self);
}

static void
on_application_notify_cb (HeraldWindow *self,
                          GParamSpec   *pspec,
                          gpointer      user_data)
{
  if (gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    setup (self);
}

static void
herald_window_dispose (GObject *object)
{
  HeraldWindow *self = HERALD_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_WINDOW);
  g_clear_object (&self->worker);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (herald_window_parent_class)->dispose (object);
}

static void
herald_window_class_init (HeraldWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = herald_window_dispose;
  window_class->close_request = herald_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, content);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, HeraldWindow, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stack_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_cb);

  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-campaign", "x", show_campaign_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "win.new", NULL, new_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new", NULL);
}

static void
herald_window_init (HeraldWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_notify_cb), NULL);
}

HeraldWindow *
herald_window_new (HeraldApplication *application)
{
  HeraldWindow *self;

  g_return_val_if_fail (application == NULL || HERALD_IS_APPLICATION (application), NULL);

  self = g_object_new (HERALD_TYPE_WINDOW,
                       "application", application,
                       NULL);
  setup (self);

  return self;
}

void
herald_window_add_toast (HeraldWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (HERALD_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
herald_window_show_page (HeraldWindow *self,
                         const char   *name)
{
  g_return_if_fail (HERALD_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->stack, name);
}

void
herald_window_show_campaign (HeraldWindow *self,
                             gint64        campaign_id)
{
  GtkWidget *page;

  g_return_if_fail (HERALD_IS_WINDOW (self));

  page = adw_view_stack_get_child_by_name (self->stack, "campaigns");
  herald_window_show_page (self, "campaigns");
  herald_campaigns_page_show_campaign (HERALD_CAMPAIGNS_PAGE (page), campaign_id);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

const char *
herald_window_get_page_name (HeraldWindow *self)
{
  g_return_val_if_fail (HERALD_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

GtkWidget *
herald_window_get_page (HeraldWindow *self,
                        const char   *name)
{
  g_return_val_if_fail (HERALD_IS_WINDOW (self), NULL);

  return adw_view_stack_get_child_by_name (self->stack, name);
}
