/* herald-window.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-window.h"

struct _HeraldWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (HeraldWindow, herald_window, ADW_TYPE_APPLICATION_WINDOW)

static void
herald_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_WINDOW);

  G_OBJECT_CLASS (herald_window_parent_class)->dispose (object);
}

static void
herald_window_class_init (HeraldWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-window.ui");
}

static void
herald_window_init (HeraldWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HeraldWindow *
herald_window_new (HeraldApplication *application)
{
  return g_object_new (HERALD_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
