/* herald-activity-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

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
  GtkWidget *box, *labels, *icon, *title_row, *title, *subtitle, *badge, *chevron;

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
  /* Shown on the Sandbox's events only, beside the title, so that the
   * subtitle keeps the row's width on a phone. */
  badge = herald_ui_sandbox_badge_new ();
  gtk_widget_set_visible (badge, FALSE);
  title_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (title_row), title);
  gtk_box_append (GTK_BOX (title_row), badge);
  gtk_box_append (GTK_BOX (labels), title_row);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), labels);

  /* A click opens the event's details. */
  chevron = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_valign (chevron, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (chevron, "dim-label");
  gtk_box_append (GTK_BOX (box), chevron);

  g_object_set_data (G_OBJECT (item), "icon", icon);
  g_object_set_data (G_OBJECT (item), "title", title);
  g_object_set_data (G_OBJECT (item), "subtitle", subtitle);
  g_object_set_data (G_OBJECT (item), "badge", badge);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, TRUE);
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
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (item), "badge"),
                          herald_activity_event_get_is_sandbox (event));
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
  herald_page_run (HERALD_PAGE (self), list_events_job, request, g_free, (GDestroyNotify) page_result_free,
                   on_loaded, context, g_free);
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

/* Event details */

/* Worker thread: the payload as people read it, pretty-printed when it is
 * JSON, else as it came. */
static gpointer
load_payload_job (HeraldStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gint64 *id = data;
  g_autofree char *payload = herald_activity_event_load_payload (store, *id, error);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  if (payload == NULL)
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, payload, -1, NULL))
    return g_utf8_make_valid (payload, -1);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

static void
on_payload_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GtkWidget) dialog = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  GtkStack *stack = g_object_get_data (G_OBJECT (dialog), "payload-stack");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (text == NULL)
    {
      gtk_label_set_text (g_object_get_data (G_OBJECT (dialog), "payload-problem"),
                          error != NULL ? error->message : "");
      gtk_stack_set_visible_child_name (stack, "problem");
      return;
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (g_object_get_data (G_OBJECT (dialog), "payload-view")),
                            text, -1);
  gtk_stack_set_visible_child_name (stack, "payload");
}

/* One field of the details: its name above its value, which wraps and can
 * be selected (a message id is copied to look it up). */
static GtkWidget *
detail_row_new (GtkWidget  *list,
                const char *name,
                const char *value,
                GtkWidget  *badge)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *value_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *value_label = gtk_label_new (value);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_widget_add_css_class (name_label, "caption");
  gtk_widget_add_css_class (name_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_hexpand (value_label, TRUE);
  if (badge != NULL)
    gtk_box_append (GTK_BOX (value_box), badge);
  gtk_box_append (GTK_BOX (value_box), value_label);
  gtk_box_append (GTK_BOX (box), name_label);
  gtk_box_append (GTK_BOX (box), value_box);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static void
on_dialog_destroy_cb (GtkWidget    *dialog,
                      GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* A window with @event's details and its payload, which the store worker
 * reads; closing it drops the read. */
static GtkWidget *
event_dialog_new (HeraldActivityPage  *self,
                  HeraldActivityEvent *event)
{
  const char *created_at = herald_activity_event_get_created_at (event);
  g_autofree char *when = herald_ui_format_timestamp (created_at);
  const char *event_type = herald_activity_event_get_event_type (event);
  g_autofree char *type_text = g_strdup_printf ("%s (%s)", event_title (event_type), event_type);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GtkWidget *dialog, *content, *header, *body, *details, *payload_title, *stack, *spinner, *scroller, *view, *problem;
  GtkEventController *shortcuts;
  gint64 *id;

  dialog = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (dialog), _("Webhook Event"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 640);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (event_title (event_type), when ? when : created_at));
  gtk_box_append (GTK_BOX (content), header);

  body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_vexpand (body, TRUE);
  gtk_widget_set_margin_top (body, 12);
  gtk_widget_set_margin_bottom (body, 12);
  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 12);

  details = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (details), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (details, "boxed-list");
  detail_row_new (details, _("Type"), type_text, NULL);
  detail_row_new (details, _("Time"), when ? when : created_at, NULL);
  /* The Sandbox's events say so first, never the number alone. */
  if (herald_activity_event_get_is_sandbox (event))
    detail_row_new (details, _("Number"), _("Simulated inside Herald, never sent through Meta"),
                    herald_ui_sandbox_badge_new ());
  else if (herald_activity_event_get_phone_number_id (event) != NULL)
    detail_row_new (details, _("Number"), herald_activity_event_get_phone_number_id (event), NULL);
  if (herald_activity_event_get_wa_message_id (event) != NULL)
    detail_row_new (details, _("Message ID"), herald_activity_event_get_wa_message_id (event), NULL);
  if (herald_activity_event_get_error (event) != NULL)
    gtk_widget_add_css_class (detail_row_new (details, _("Problem"), herald_activity_event_get_error (event), NULL),
                              "error");
  gtk_box_append (GTK_BOX (body), details);

  payload_title = gtk_label_new (_("Payload"));
  gtk_label_set_xalign (GTK_LABEL (payload_title), 0);
  gtk_widget_add_css_class (payload_title, "heading");
  gtk_box_append (GTK_BOX (body), payload_title);

  /* The payload scrolls on its own, both ways, so long lines keep the
   * JSON's shape at any width; the view is the scroller's direct child, so
   * a large payload is laid out as it scrolls. */
  stack = gtk_stack_new ();
  gtk_widget_set_vexpand (stack, TRUE);
  gtk_widget_set_size_request (stack, -1, 160);
  spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_stack_add_named (GTK_STACK (stack), spinner, "loading");

  view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_NONE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Payload"), -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_widget_add_css_class (scroller, "card");
  gtk_stack_add_named (GTK_STACK (stack), scroller, "payload");

  problem = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (problem), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (problem), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (problem, "error");
  gtk_stack_add_named (GTK_STACK (stack), problem, "problem");
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "loading");
  gtk_box_append (GTK_BOX (body), stack);

  gtk_box_append (GTK_BOX (content), body);
  adw_window_set_content (ADW_WINDOW (dialog), content);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (dialog, shortcuts);

  g_object_set_data (G_OBJECT (dialog), "payload-stack", stack);
  g_object_set_data (G_OBJECT (dialog), "payload-view", view);
  g_object_set_data (G_OBJECT (dialog), "payload-problem", problem);
  g_signal_connect_data (dialog, "destroy", G_CALLBACK (on_dialog_destroy_cb),
                         g_object_ref (cancellable), (GClosureNotify) g_object_unref, 0);

  id = g_new (gint64, 1);
  *id = herald_activity_event_get_id (event);
  herald_store_worker_run_async (herald_page_get_worker (HERALD_PAGE (self)), load_payload_job, id, g_free, g_free,
                                 cancellable, on_payload_loaded_cb, g_object_ref (dialog));
  return dialog;
}

static void
on_list_activate_cb (HeraldActivityPage *self,
                     guint               position)
{
  g_autoptr(HeraldActivityEvent) event = g_list_model_get_item (G_LIST_MODEL (self->shown), position);

  if (event != NULL)
    herald_ui_present (GTK_WIDGET (self), GTK_WINDOW (event_dialog_new (self, event)));
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
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
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
