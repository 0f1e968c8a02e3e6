/* herald-funnel-chart.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "herald-funnel-chart.h"

struct _HeraldFunnelChart
{
  GtkWidget              parent_instance;

  HeraldMessageTimeline *timeline;
};

G_DEFINE_FINAL_TYPE (HeraldFunnelChart, herald_funnel_chart, GTK_TYPE_WIDGET)

/* GNOME's palette: blue, green, purple, red. */
static const GdkRGBA sent_color = { 0.208, 0.518, 0.894, 1.0 };
static const GdkRGBA delivered_color = { 0.180, 0.761, 0.494, 1.0 };
static const GdkRGBA read_color = { 0.569, 0.255, 0.675, 1.0 };
static const GdkRGBA failed_color = { 0.878, 0.106, 0.141, 1.0 };

#define LEGEND_HEIGHT 24.0
#define PAD 6.0

static void
draw_series (cairo_t       *cr,
             const guint64 *values,
             guint          n,
             double         x0,
             double         y0,
             double         width,
             double         height,
             double         max,
             const GdkRGBA *color)
{
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < n; i++)
    {
      double x = x0 + width * (n > 1 ? (double) i / (n - 1) : 0.5);
      double y = y0 + height - height * values[i] / max;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
}

static double
draw_legend_item (GtkWidget     *widget,
                  cairo_t       *cr,
                  double         x,
                  double         y,
                  const char    *text,
                  const GdkRGBA *color,
                  const GdkRGBA *fg)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_arc (cr, x + 5, y + h / 2.0, 5, 0, 2 * G_PI);
  cairo_fill (cr);
  gdk_cairo_set_source_rgba (cr, fg);
  cairo_move_to (cr, x + 14, y);
  pango_cairo_show_layout (cr, layout);
  return x + 14 + w + 16;
}

static void
herald_funnel_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  HeraldFunnelChart *self = HERALD_FUNNEL_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double plot_h = height - LEGEND_HEIGHT - 2 * PAD;
  double max = 1, max_failed = 1;
  GdkRGBA fg;
  cairo_t *cr;
  double x;

  if (width <= 2 * PAD || plot_h <= 0)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Axis */
  gdk_cairo_set_source_rgba (cr, &(GdkRGBA) { fg.red, fg.green, fg.blue, 0.15 });
  cairo_set_line_width (cr, 1.0);
  for (int i = 0; i <= 4; i++)
    {
      double y = PAD + plot_h * i / 4.0 + 0.5;

      cairo_move_to (cr, PAD, y);
      cairo_line_to (cr, width - PAD, y);
    }
  cairo_stroke (cr);

  if (self->timeline != NULL && self->timeline->n_buckets > 0)
    {
      const HeraldMessageTimeline *t = self->timeline;
      guint n = t->n_buckets;
      double bar_w = (width - 2 * PAD) / n;

      for (guint i = 0; i < n; i++)
        {
          max = MAX (max, t->sent[i]);
          max_failed = MAX (max_failed, t->failed[i]);
        }
      /* Failures per span as bars, on a quarter of the height. */
      gdk_cairo_set_source_rgba (cr, &(GdkRGBA) { failed_color.red, failed_color.green, failed_color.blue, 0.7 });
      for (guint i = 0; i < n; i++)
        {
          double h = (plot_h / 4.0) * t->failed[i] / max_failed;

          if (t->failed[i] == 0)
            continue;
          cairo_rectangle (cr, PAD + i * bar_w + 1, PAD + plot_h - h, MAX (bar_w - 2, 1), h);
        }
      cairo_fill (cr);

      draw_series (cr, t->read, n, PAD, PAD, width - 2 * PAD, plot_h, max, &read_color);
      draw_series (cr, t->delivered, n, PAD, PAD, width - 2 * PAD, plot_h, max, &delivered_color);
      draw_series (cr, t->sent, n, PAD, PAD, width - 2 * PAD, plot_h, max, &sent_color);
    }

  x = PAD;
  x = draw_legend_item (widget, cr, x, height - LEGEND_HEIGHT + 2, _("Sent"), &sent_color, &fg);
  x = draw_legend_item (widget, cr, x, height - LEGEND_HEIGHT + 2, _("Delivered"), &delivered_color, &fg);
  x = draw_legend_item (widget, cr, x, height - LEGEND_HEIGHT + 2, _("Read"), &read_color, &fg);
  draw_legend_item (widget, cr, x, height - LEGEND_HEIGHT + 2, _("Failed"), &failed_color, &fg);

  cairo_destroy (cr);
}

static void
herald_funnel_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else
    {
      *minimum = 120;
      *natural = 180;
    }
}

static void
herald_funnel_chart_finalize (GObject *object)
{
  HeraldFunnelChart *self = HERALD_FUNNEL_CHART (object);

  g_clear_pointer (&self->timeline, herald_message_timeline_free);

  G_OBJECT_CLASS (herald_funnel_chart_parent_class)->finalize (object);
}

static void
herald_funnel_chart_class_init (HeraldFunnelChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = herald_funnel_chart_finalize;
  widget_class->snapshot = herald_funnel_chart_snapshot;
  widget_class->measure = herald_funnel_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "funnelchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
herald_funnel_chart_init (HeraldFunnelChart *self)
{
}

GtkWidget *
herald_funnel_chart_new (void)
{
  return g_object_new (HERALD_TYPE_FUNNEL_CHART, NULL);
}

static guint64 *
copy_values (const guint64 *values,
             guint          n)
{
  return g_memdup2 (values, sizeof (guint64) * n);
}

void
herald_funnel_chart_set_timeline (HeraldFunnelChart           *self,
                                  const HeraldMessageTimeline *timeline)
{
  HeraldMessageTimeline *copy = NULL;

  g_return_if_fail (HERALD_IS_FUNNEL_CHART (self));

  if (timeline != NULL)
    {
      copy = g_new0 (HeraldMessageTimeline, 1);
      *copy = *timeline;
      copy->sent = copy_values (timeline->sent, timeline->n_buckets);
      copy->delivered = copy_values (timeline->delivered, timeline->n_buckets);
      copy->read = copy_values (timeline->read, timeline->n_buckets);
      copy->failed = copy_values (timeline->failed, timeline->n_buckets);
    }
  g_clear_pointer (&self->timeline, herald_message_timeline_free);
  self->timeline = copy;

  if (copy != NULL && copy->n_buckets > 0)
    {
      g_autofree char *description =
        g_strdup_printf (_("%" PRIu64 " sent, %" PRIu64 " delivered, %" PRIu64 " read"),
                         copy->sent[copy->n_buckets - 1], copy->delivered[copy->n_buckets - 1],
                         copy->read[copy->n_buckets - 1]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
herald_funnel_chart_get_n_buckets (HeraldFunnelChart *self)
{
  g_return_val_if_fail (HERALD_IS_FUNNEL_CHART (self), 0);
  return self->timeline != NULL ? self->timeline->n_buckets : 0;
}
