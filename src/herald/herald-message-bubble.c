/* herald-message-bubble.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "herald-message-bubble.h"

struct _HeraldMessageBubble
{
  GtkWidget  parent_instance;

  GtkWidget *bubble;
  GtkWidget *media;
  GtkWidget *media_icon;
  GtkWidget *media_label;
  GtkWidget *header_label;
  GtkWidget *body_label;
  GtkWidget *footer_label;
  GtkWidget *time_label;
  GtkWidget *buttons_box;
};

G_DEFINE_FINAL_TYPE (HeraldMessageBubble, herald_message_bubble, GTK_TYPE_WIDGET)

/* Markup for @text with each {{name}} replaced by its value from @values,
 * or kept and highlighted when there is none, so the user sees what is
 * still to fill. */
static char *
fill_markup (const char *text,
             GHashTable *values)
{
  GString *markup = g_string_new (NULL);
  const char *p = text != NULL ? text : "";

  while (*p != '\0')
    {
      const char *open = strstr (p, "{{");
      const char *close = open != NULL ? strstr (open + 2, "}}") : NULL;
      g_autofree char *before = NULL;
      g_autofree char *name = NULL;
      const char *value;

      if (close == NULL)
        {
          g_autofree char *rest = g_markup_escape_text (p, -1);

          g_string_append (markup, rest);
          break;
        }

      before = g_markup_escape_text (p, open - p);
      g_string_append (markup, before);

      name = g_strstrip (g_strndup (open + 2, close - open - 2));
      value = values != NULL ? g_hash_table_lookup (values, name) : NULL;
      if (value != NULL && value[0] != '\0')
        {
          g_autofree char *escaped = g_markup_escape_text (value, -1);

          g_string_append (markup, escaped);
        }
      else
        {
          g_autofree char *escaped = g_markup_escape_text (name, -1);

          g_string_append_printf (markup,
                                  "<span bgcolor=\"#f6d32d\" bgalpha=\"45%%\" weight=\"bold\">{{%s}}</span>",
                                  escaped);
        }
      p = close + 2;
    }

  return g_string_free (markup, FALSE);
}

static const char *
button_icon_name (HeraldTemplateButtonType type)
{
  switch (type)
    {
    case HERALD_TEMPLATE_BUTTON_QUICK_REPLY:
      return "mail-reply-sender-symbolic";
    case HERALD_TEMPLATE_BUTTON_URL:
      return "web-browser-symbolic";
    case HERALD_TEMPLATE_BUTTON_PHONE_NUMBER:
      return "call-start-symbolic";
    case HERALD_TEMPLATE_BUTTON_COPY_CODE:
      return "edit-copy-symbolic";
    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
create_button_row (const HeraldTemplateButton *button)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (button_icon_name (button->type));
  const char *text = button->text;
  GtkWidget *label;

  /* WhatsApp labels a copy-code button itself. */
  if (button->type == HERALD_TEMPLATE_BUTTON_COPY_CODE || text == NULL || text[0] == '\0')
    text = button->type == HERALD_TEMPLATE_BUTTON_COPY_CODE ? _("Copy code") : "";

  label = gtk_label_new (text);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (row, "herald-bubble-button");
  gtk_widget_set_halign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (row, TRUE);
  gtk_widget_set_halign (row, GTK_ALIGN_FILL);
  gtk_box_append (GTK_BOX (row), gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0));
  gtk_widget_set_hexpand (gtk_widget_get_first_child (row), TRUE);
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0));
  gtk_widget_set_hexpand (gtk_widget_get_last_child (row), TRUE);

  return row;
}

static void
show_media (HeraldMessageBubble *self,
            HeraldHeaderType     header_type)
{
  const char *icon_name = NULL;
  const char *caption = NULL;

  switch (header_type)
    {
    case HERALD_HEADER_IMAGE:
      icon_name = "image-x-generic-symbolic";
      caption = _("Image");
      break;
    case HERALD_HEADER_VIDEO:
      icon_name = "video-x-generic-symbolic";
      caption = _("Video");
      break;
    case HERALD_HEADER_DOCUMENT:
      icon_name = "x-office-document-symbolic";
      caption = _("Document");
      break;
    case HERALD_HEADER_NONE:
    case HERALD_HEADER_TEXT:
    default:
      break;
    }

  gtk_widget_set_visible (self->media, icon_name != NULL);
  if (icon_name == NULL)
    return;

  gtk_image_set_from_icon_name (GTK_IMAGE (self->media_icon), icon_name);
  gtk_label_set_label (GTK_LABEL (self->media_label), caption);
}

void
herald_message_bubble_set_template (HeraldMessageBubble *self,
                                    HeraldTemplate      *template,
                                    GHashTable          *values)
{
  HeraldHeaderType header_type = HERALD_HEADER_NONE;
  const char *footer = NULL;
  g_autofree char *body = NULL;
  g_autofree char *header = NULL;
  GtkWidget *child;

  g_return_if_fail (HERALD_IS_MESSAGE_BUBBLE (self));
  g_return_if_fail (template == NULL || HERALD_IS_TEMPLATE (template));

  if (template != NULL)
    {
      header_type = herald_template_get_header_type (template);
      footer = herald_template_get_footer (template);
      body = fill_markup (herald_template_get_body (template), values);
      if (header_type == HERALD_HEADER_TEXT)
        header = fill_markup (herald_template_get_header_content (template), values);
    }

  show_media (self, header_type);
  gtk_label_set_markup (GTK_LABEL (self->header_label), header != NULL ? header : "");
  gtk_widget_set_visible (self->header_label, header != NULL && header[0] != '\0');
  gtk_label_set_markup (GTK_LABEL (self->body_label), body != NULL ? body : "");
  gtk_label_set_label (GTK_LABEL (self->footer_label), footer != NULL ? footer : "");
  gtk_widget_set_visible (self->footer_label, footer != NULL && footer[0] != '\0');

  while ((child = gtk_widget_get_first_child (self->buttons_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->buttons_box), child);

  if (template != NULL)
    for (guint i = 0; i < herald_template_get_n_buttons (template); i++)
      gtk_box_append (GTK_BOX (self->buttons_box),
                      create_button_row (herald_template_get_button (template, i)));

  gtk_widget_set_visible (self->buttons_box, gtk_widget_get_first_child (self->buttons_box) != NULL);
}

static void
on_style_manager_dark_cb (HeraldMessageBubble *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  if (adw_style_manager_get_dark (style_manager))
    gtk_widget_add_css_class (GTK_WIDGET (self), "dark");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "dark");
}

/* The bubble's colours are WhatsApp's, not the theme's: one provider for the
 * display, loaded the first time a bubble is made. */
static void
ensure_css (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (loaded || display == NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/herald-message-bubble.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  loaded = TRUE;
}

static GtkWidget *
create_label (const char *css_class,
              float       xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
herald_message_bubble_dispose (GObject *object)
{
  HeraldMessageBubble *self = HERALD_MESSAGE_BUBBLE (object);

  g_clear_pointer (&self->bubble, gtk_widget_unparent);
  g_clear_pointer (&self->buttons_box, gtk_widget_unparent);

  G_OBJECT_CLASS (herald_message_bubble_parent_class)->dispose (object);
}

static void
herald_message_bubble_class_init (HeraldMessageBubbleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_message_bubble_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "herald-message-bubble");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
herald_message_bubble_init (HeraldMessageBubble *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *meta;
  GtkWidget *ticks;

  ensure_css ();

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 4);

  self->bubble = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (self->bubble, "herald-bubble");
  gtk_widget_set_parent (self->bubble, GTK_WIDGET (self));

  self->media = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->media, "herald-bubble-media");
  self->media_icon = gtk_image_new ();
  gtk_image_set_pixel_size (GTK_IMAGE (self->media_icon), 48);
  gtk_widget_set_vexpand (self->media_icon, TRUE);
  gtk_widget_set_valign (self->media_icon, GTK_ALIGN_END);
  self->media_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->media_label, "caption");
  gtk_widget_set_vexpand (self->media_label, TRUE);
  gtk_widget_set_valign (self->media_label, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self->media), self->media_icon);
  gtk_box_append (GTK_BOX (self->media), self->media_label);
  gtk_box_append (GTK_BOX (self->bubble), self->media);

  self->header_label = create_label ("herald-bubble-header", 0);
  self->body_label = create_label ("herald-bubble-body", 0);
  self->footer_label = create_label ("herald-bubble-footer", 0);
  gtk_box_append (GTK_BOX (self->bubble), self->header_label);
  gtk_box_append (GTK_BOX (self->bubble), self->body_label);
  gtk_box_append (GTK_BOX (self->bubble), self->footer_label);

  /* A preview: the time it would arrive now, and WhatsApp's read ticks. */
  meta = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 3);
  gtk_widget_add_css_class (meta, "herald-bubble-meta");
  gtk_widget_set_halign (meta, GTK_ALIGN_END);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *time = g_date_time_format (now, "%H:%M");

    self->time_label = gtk_label_new (time);
  }
  ticks = gtk_label_new ("✓✓");
  gtk_widget_add_css_class (ticks, "herald-bubble-ticks");
  gtk_box_append (GTK_BOX (meta), self->time_label);
  gtk_box_append (GTK_BOX (meta), ticks);
  gtk_box_append (GTK_BOX (self->bubble), meta);

  self->buttons_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (self->buttons_box, "herald-bubble-buttons");
  gtk_widget_set_parent (self->buttons_box, GTK_WIDGET (self));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_style_manager_dark_cb), self, G_CONNECT_SWAPPED);
  on_style_manager_dark_cb (self);

  herald_message_bubble_set_template (self, NULL, NULL);
}

GtkWidget *
herald_message_bubble_new (void)
{
  return g_object_new (HERALD_TYPE_MESSAGE_BUBBLE, NULL);
}
