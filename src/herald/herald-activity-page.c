/* herald-activity-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-activity-page.h"
#include "herald-application.h"
#include "herald-activity-event.h"
#include "herald-ui-utils.h"

struct _HeraldActivityPage
{
  HeraldPage         parent_instance;

  GListStore        *events;        /* as recorded, newest first */
  GtkFilterListModel *shown;        /* without the notifications folded into their statuses */
  GHashTable        *folded;        /* ids of those notifications */
  gboolean           has_sandbox;   /* the Sandbox number exists: it reports in-app */
  HeraldFeed        *feed;
  GSettings         *settings;
  gboolean           loaded;
  gboolean           has_more;
  guint              generation;    /* a reload makes older pages' answers stale */

  GtkStack          *stack;
  GtkListView       *list_view;
  AdwActionRow      *relay_row;
  GtkWidget         *relay_icon;
  GtkWidget         *setup_button;
  AdwActionRow      *state_row;
  AdwActionRow      *last_event_row;
  AdwActionRow      *last_error_row;
};

G_DEFINE_FINAL_TYPE (HeraldActivityPage, herald_activity_page, HERALD_TYPE_PAGE)

typedef struct
{
  gint64 before_id;
  guint  generation;
} PageRequest;

typedef struct
{
  GPtrArray *events;       /* HeraldActivityEvent */
  gboolean   has_sandbox;  /* read with the newest page only */
} PageResult;

static void
page_result_free (PageResult *result)
{
  g_clear_pointer (&result->events, g_ptr_array_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageResult, page_result_free)

static gpointer
list_events_job (HeraldStore   *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  PageRequest *request = data;
  g_autoptr(PageResult) result = g_new0 (PageResult, 1);

  result->events = herald_activity_event_list (store, request->before_id, HERALD_ACTIVITY_PAGE_SIZE, error);
  if (result->events == NULL)
    return NULL;
  if (request->before_id == 0)
    {
      g_autoptr(GPtrArray) numbers = herald_store_list_numbers (store, error);

      if (numbers == NULL)
        return NULL;
      for (guint i = 0; i < numbers->len; i++)
        result->has_sandbox |= herald_number_get_is_sandbox (g_ptr_array_index (numbers, i));
    }
  return g_steal_pointer (&result);
}

/* Events */

static const char *
event_title (const char *event_type)
{
  static const struct { const char *type; const char *title; } titles[] = {
    { "notification", N_("Webhook received") },
    { "message_sent", N_("Sent") },
    { "message_delivered", N_("Delivered") },
    { "message_read", N_("Read") },
    { "message_failed", N_("Failed") },
    { "message_received", N_("Reply received") },
    { "template_status", N_("Template status changed") },
    { "error", N_("Error from Meta") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (event_type, titles[i].type) == 0)
      return _(titles[i].title);
  return event_type;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box, *labels, *icon, *title, *subtitle;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  icon = gtk_image_new ();
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), icon);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (labels, TRUE);
  title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (subtitle), 3);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), labels);

  g_object_set_data (G_OBJECT (item), "icon", icon);
  g_object_set_data (G_OBJECT (item), "title", title);
  g_object_set_data (G_OBJECT (item), "subtitle", subtitle);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  HeraldActivityEvent *event = gtk_list_item_get_item (item);
  GtkWidget *icon = g_object_get_data (G_OBJECT (item), "icon");
  GtkWidget *subtitle = g_object_get_data (G_OBJECT (item), "subtitle");
  const char *error = herald_activity_event_get_error (event);
  const char *wamid = herald_activity_event_get_wa_message_id (event);
  g_autofree char *when = herald_ui_format_timestamp (herald_activity_event_get_created_at (event));
  const char *created_at = when != NULL ? when : herald_activity_event_get_created_at (event);
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "warning");
  gtk_widget_remove_css_class (subtitle, "error");
  gtk_widget_remove_css_class (subtitle, "dim-label");
  if (herald_activity_event_get_processed (event))
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "object-select-symbolic");
      gtk_widget_add_css_class (icon, "success");
      gtk_widget_set_tooltip_text (icon, _("Applied"));
    }
  else if (error != NULL)
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, _("Not applied"));
    }
  else
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "content-loading-symbolic");
      gtk_widget_set_tooltip_text (icon, _("Waiting for its message to be recorded"));
    }

  if (error != NULL)
    {
      text = g_strdup_printf ("%s · %s", created_at ? created_at : "", error);
      gtk_widget_add_css_class (subtitle, "error");
    }
  else
    {
      text = wamid != NULL ? g_strdup_printf ("%s · %s", created_at ? created_at : "", wamid)
                           : g_strdup (created_at ? created_at : "");
      gtk_widget_add_css_class (subtitle, "dim-label");
    }

  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "title"),
                      event_title (herald_activity_event_get_event_type (event)));
  gtk_label_set_text (GTK_LABEL (subtitle), text);
}

static void
update_state (HeraldActivityPage *self)
{
  herald_ui_show_list_state (self->stack, g_list_model_get_n_items (G_LIST_MODEL (self->shown)),
                             !self->loaded, FALSE);
}

static gboolean
is_notification (HeraldActivityEvent *event)
{
  return g_strcmp0 (herald_activity_event_get_event_type (event), "notification") == 0;
}

/* A webhook is recorded as its raw notification, then one row per update in
 * it, in one transaction: ids N, N+1, … N+k. To a user that is one thing
 * that happened ("Read"), so a notification whose updates follow it is
 * folded into them; one with none (rejected, unreadable) stays on its own. */
static void
update_folded (HeraldActivityPage *self)
{
  GListModel *events = G_LIST_MODEL (self->events);
  guint n = g_list_model_get_n_items (events);
  g_autoptr(HeraldActivityEvent) newer = NULL;

  g_hash_table_remove_all (self->folded);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HeraldActivityEvent) event = g_list_model_get_item (events, i);
      gint64 id = herald_activity_event_get_id (event);

      if (is_notification (event) && newer != NULL && !is_notification (newer) &&
          herald_activity_event_get_id (newer) == id + 1)
        g_hash_table_add (self->folded, g_memdup2 (&id, sizeof id));
      g_set_object (&newer, event);
    }
}

static gboolean
event_is_shown (gpointer item,
                gpointer user_data)
{
  HeraldActivityPage *self = user_data;
  gint64 id = herald_activity_event_get_id (item);

  return self->folded == NULL || !g_hash_table_contains (self->folded, &id);
}

static void update_relay (HeraldActivityPage *self);

typedef struct
{
  gboolean replace;
  guint    generation;
} LoadContext;

static void
on_loaded (HeraldPage   *page,
           gpointer      result,
           const GError *error,
           gpointer      user_data)
{
  HeraldActivityPage *self = HERALD_ACTIVITY_PAGE (page);
  LoadContext *context = user_data;
  g_autoptr(PageResult) page_result = result;
  GPtrArray *events = page_result != NULL ? page_result->events : NULL;

  if (context->generation != self->generation)
    return;
  self->loaded = TRUE;
  if (events != NULL)
    {
      self->has_more = events->len == HERALD_ACTIVITY_PAGE_SIZE;
      g_list_store_splice (self->events,
                           context->replace ? 0 : g_list_model_get_n_items (G_LIST_MODEL (self->events)),
                           context->replace ? g_list_model_get_n_items (G_LIST_MODEL (self->events)) : 0,
                           events->pdata, events->len);
      /* Within this turn of the main loop: no frame shows a row folded after. */
      update_folded (self);
      gtk_filter_changed (gtk_filter_list_model_get_filter (self->shown), GTK_FILTER_CHANGE_DIFFERENT);
    }
  if (context->replace && page_result != NULL && page_result->has_sandbox != self->has_sandbox)
    {
      self->has_sandbox = page_result->has_sandbox;
      update_relay (self);
    }
  update_state (self);
}

static void
load (HeraldActivityPage *self,
      gint64              before_id,
      gboolean            replace)
{
  PageRequest *request = g_new0 (PageRequest, 1);
  LoadContext *context = g_new0 (LoadContext, 1);

  request->before_id = before_id;
  context->replace = replace;
  context->generation = self->generation;
  herald_page_run (HERALD_PAGE (self), list_events_job, request, g_free, on_loaded, context, g_free);
}

static void
herald_activity_page_reload (HeraldPage *page)
{
  HeraldActivityPage *self = HERALD_ACTIVITY_PAGE (page);

  self->generation++;
  load (self, 0, TRUE);
}

void
herald_activity_page_load_more (HeraldActivityPage *self)
{
  guint n;
  g_autoptr(HeraldActivityEvent) last = NULL;

  g_return_if_fail (HERALD_IS_ACTIVITY_PAGE (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  if (!self->has_more || herald_page_get_busy (HERALD_PAGE (self)) || n == 0)
    return;

  last = g_list_model_get_item (G_LIST_MODEL (self->events), n - 1);
  load (self, herald_activity_event_get_id (last), FALSE);
}

static void
on_edge_reached_cb (HeraldActivityPage *self,
                    GtkPositionType     position)
{
  if (position == GTK_POS_BOTTOM)
    herald_activity_page_load_more (self);
}

/* Relay health */

static void
update_relay (HeraldActivityPage *self)
{
  g_autofree char *url = self->settings ? g_settings_get_string (self->settings, "relay-url") : g_strdup ("");
  const char *state_text;
  const char *icon = "network-offline-symbolic";
  const char *error = NULL;
  GDateTime *last_event = NULL;
  g_autofree char *last_event_text = NULL;

  gtk_widget_set_visible (self->setup_button, url[0] == '\0' || self->feed == NULL);
  /* The Sandbox needs no relay: its statuses and replies come straight
   * from the simulator inside Herald. */
  if (url[0] != '\0')
    adw_action_row_set_subtitle (self->relay_row, url);
  else if (self->has_sandbox)
    adw_action_row_set_subtitle (self->relay_row, _("None needed for the Sandbox"));
  else
    adw_action_row_set_subtitle (self->relay_row, _("Not set up yet"));

  if (url[0] == '\0' && self->has_sandbox)
    {
      state_text = _("The Sandbox reports deliveries and replies inside Herald. "
                     "For your own numbers, add your relay’s address in Preferences");
      icon = "network-transmit-receive-symbolic";
    }
  else if (url[0] == '\0')
    state_text = _("Add your relay’s address in Preferences to see deliveries and replies");
  else if (self->feed == NULL)
    state_text = _("Not connected: enter the feed token and the app secret in Preferences");
  else
    {
      switch (herald_feed_get_state (self->feed))
        {
        case HERALD_FEED_CONNECTED:
          state_text = _("Connected");
          icon = "network-transmit-receive-symbolic";
          break;
        case HERALD_FEED_WAITING:
          state_text = _("Connecting…");
          break;
        case HERALD_FEED_OFFLINE:
          state_text = _("Offline, trying again soon");
          break;
        case HERALD_FEED_STOPPED:
        default:
          state_text = _("Stopped");
          break;
        }
      error = herald_feed_get_last_error (self->feed);
      last_event = herald_feed_get_last_event_at (self->feed);
    }

  gtk_image_set_from_icon_name (GTK_IMAGE (self->relay_icon), icon);
  adw_action_row_set_subtitle (self->state_row, state_text);
  if (last_event != NULL)
    {
      g_autofree char *iso8601 = g_date_time_format_iso8601 (last_event);

      last_event_text = herald_ui_format_timestamp (iso8601);
    }
  adw_action_row_set_subtitle (self->last_event_row, last_event_text ? last_event_text : _("None since Herald started"));
  gtk_widget_set_visible (GTK_WIDGET (self->last_event_row), self->feed != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->last_error_row), error != NULL);
  adw_action_row_set_subtitle (self->last_error_row, error ? error : "");
}

static void
on_events_applied_cb (HeraldActivityPage *self)
{
  /* New events are on top: read the newest again. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    herald_page_reload (HERALD_PAGE (self));
}

void
herald_activity_page_set_feed (HeraldActivityPage *self,
                               HeraldFeed         *feed)
{
  g_return_if_fail (HERALD_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (feed == NULL || HERALD_IS_FEED (feed));

  if (self->feed == feed)
    return;

  if (self->feed != NULL)
    g_signal_handlers_disconnect_by_data (self->feed, self);
  g_set_object (&self->feed, feed);
  if (feed != NULL)
    {
      g_signal_connect_object (feed, "notify::state", G_CALLBACK (update_relay), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (feed, "notify::last-error", G_CALLBACK (update_relay), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (feed, "notify::last-event-at", G_CALLBACK (update_relay), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (feed, "notify::events-applied", G_CALLBACK (on_events_applied_cb), self,
                               G_CONNECT_SWAPPED);
    }
  update_relay (self);
}

static void
on_application_feed_cb (HeraldActivityPage *self,
                        GParamSpec         *pspec,
                        HeraldApplication  *app)
{
  herald_activity_page_set_feed (self, herald_application_get_feed (app));
}

static void
herald_activity_page_map (GtkWidget *widget)
{
  HeraldActivityPage *self = HERALD_ACTIVITY_PAGE (widget);
  GtkWindow *window = herald_ui_get_window (widget);
  GtkApplication *app = window != NULL ? gtk_window_get_application (window) : NULL;

  GTK_WIDGET_CLASS (herald_activity_page_parent_class)->map (widget);

  /* Follow the application's feed, which comes and goes with the settings. */
  if (HERALD_IS_APPLICATION (app) && self->settings == NULL)
    {
      self->settings = g_object_ref (herald_application_get_settings (HERALD_APPLICATION (app)));
      g_signal_connect_object (self->settings, "changed::relay-url", G_CALLBACK (update_relay), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::feed", G_CALLBACK (on_application_feed_cb), self,
                               G_CONNECT_SWAPPED);
      herald_activity_page_set_feed (self, herald_application_get_feed (HERALD_APPLICATION (app)));
    }
  update_relay (self);
}

static void
herald_activity_page_constructed (GObject *object)
{
  HeraldActivityPage *self = HERALD_ACTIVITY_PAGE (object);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  G_OBJECT_CLASS (herald_activity_page_parent_class)->constructed (object);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->shown)))));
  update_state (self);
  update_relay (self);
}

static void
herald_activity_page_dispose (GObject *object)
{
  HeraldActivityPage *self = HERALD_ACTIVITY_PAGE (object);

  herald_activity_page_set_feed (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_ACTIVITY_PAGE);
  g_clear_object (&self->shown);
  g_clear_object (&self->events);
  g_clear_pointer (&self->folded, g_hash_table_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (herald_activity_page_parent_class)->dispose (object);
}

static void
herald_activity_page_class_init (HeraldActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  HeraldPageClass *page_class = HERALD_PAGE_CLASS (klass);

  object_class->constructed = herald_activity_page_constructed;
  object_class->dispose = herald_activity_page_dispose;
  widget_class->map = herald_activity_page_map;
  page_class->reload = herald_activity_page_reload;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldActivityPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldActivityPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, HeraldActivityPage, relay_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldActivityPage, relay_icon);
  gtk_widget_class_bind_template_child (widget_class, HeraldActivityPage, setup_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldActivityPage, state_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldActivityPage, last_event_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldActivityPage, last_error_row);
  gtk_widget_class_bind_template_callback (widget_class, on_edge_reached_cb);
}

static void
herald_activity_page_init (HeraldActivityPage *self)
{
  self->events = g_list_store_new (HERALD_TYPE_ACTIVITY_EVENT);
  self->folded = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->shown = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->events)),
                                           GTK_FILTER (gtk_custom_filter_new (event_is_shown, self, NULL)));
  gtk_widget_init_template (GTK_WIDGET (self));
}

GListModel *
herald_activity_page_get_model (HeraldActivityPage *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_PAGE (self), NULL);

  return G_LIST_MODEL (self->events);
}

const char *
herald_activity_page_get_state (HeraldActivityPage *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
herald_activity_page_get_relay_text (HeraldActivityPage *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_PAGE (self), NULL);

  return adw_action_row_get_subtitle (self->state_row);
}
