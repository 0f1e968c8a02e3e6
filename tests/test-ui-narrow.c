/* test-ui-narrow.c: at 360 px wide (a phone, a narrow tile) every page of
 * the window, a campaign's dashboard with its message log, each step of the
 * new-campaign wizard and the editors and dialogs fit: nothing needs more
 * than 360 px, and a window set to 360 px stays 360 px wide
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "herald-campaign-wizard.h"
#include "herald-campaigns-page.h"
#include "herald-contact-editor.h"
#include "herald-import-dialog.h"
#include "herald-number-editor.h"
#include "herald-preferences-window.h"
#include "herald-template-editor.h"
#include "herald-test-utils.h"
#include "herald-ui-test-utils.h"
#include "herald-window.h"

#define NARROW_WIDTH 360

static int
min_width (GtkWidget *widget)
{
  int minimum;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

/* Which widgets ask for the width: from @widget down, the child that needs
 * the most, while it needs more than @limit. */
static char *
describe_widest (GtkWidget *widget,
                 int        limit)
{
  GString *path = g_string_new (NULL);
  GtkWidget *widest = widget;

  while (widest != NULL && min_width (widest) > limit)
    {
      const char *css_class = gtk_widget_get_css_classes (widest)[0];

      g_string_append_printf (path, "\n  %s%s%s: %d px", G_OBJECT_TYPE_NAME (widest),
                              css_class != NULL ? "." : "", css_class != NULL ? css_class : "",
                              min_width (widest));
      widget = widest;
      widest = NULL;
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (widest == NULL || min_width (child) > min_width (widest))
          widest = child;
    }
  /* The last one's children, which need the width together. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      g_string_append_printf (path, "\n    %s: %d px", G_OBJECT_TYPE_NAME (child), min_width (child));
  return g_string_free (path, FALSE);
}

/* What a window's child needed each time the window worked out its size:
 * GTK grows a window to its content's minimum and never shrinks it back,
 * so a moment's need (say, before a page has loaded) makes it wider. */
typedef struct
{
  int    widest;
  char  *widest_path;
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_free (watch->widest_path);
  g_free (watch);
}

static void
on_compute_size_cb (GdkToplevel     *toplevel,
                    GdkToplevelSize *size,
                    GtkWindow       *window)
{
  Watch *watch = g_object_get_data (G_OBJECT (window), "narrow-watch");
  GtkWidget *child = gtk_window_get_child (window);
  int minimum = min_width (child);

  if (minimum > watch->widest)
    {
      watch->widest = minimum;
      if (minimum > NARROW_WIDTH)
        {
          g_free (watch->widest_path);
          watch->widest_path = describe_widest (child, NARROW_WIDTH);
        }
    }
}

static Watch *
get_watch (GtkWindow *window)
{
  Watch *watch = g_object_get_data (G_OBJECT (window), "narrow-watch");

  if (watch == NULL)
    {
      g_assert_true (gtk_widget_get_realized (GTK_WIDGET (window)));
      watch = g_new0 (Watch, 1);
      g_object_set_data_full (G_OBJECT (window), "narrow-watch", watch, watch_free);
      g_signal_connect_object (gtk_native_get_surface (GTK_NATIVE (window)), "compute-size",
                               G_CALLBACK (on_compute_size_cb), window, 0);
    }
  return watch;
}

static gboolean
count_frame (GtkWidget     *window,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  guint *frames_left = user_data;

  return --*frames_left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
frames_drawn (gpointer data)
{
  return *(guint *) data == 0;
}

/* A few frames later, the window has asked for the size its content needs
 * and has been given it. */
static void
wait_for_layout (GtkWindow *window)
{
  guint frames_left = 3;

  herald_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, window, 10000);
  get_watch (window);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), count_frame, &frames_left, NULL);
  herald_test_wait_until (frames_drawn, &frames_left, 10000);
}

/* HERALD_NARROW_SHOTS=DIR: each screen checked is also saved as DIR/WHAT.png,
 * to look at (HERALD_COLOR_SCHEME=dark for the dark style). */
static void
save_shot (GtkWindow  *window,
           const char *what)
{
  const char *dir = g_getenv ("HERALD_NARROW_SHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  name = g_strdelimit (g_strconcat (what, ".png", NULL), " ", '-');
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Since the window was shown, its child never needed more than 360 px,
 * and the window, once laid out, is 360 px wide. */
static void
assert_fits (GtkWindow  *window,
             const char *what)
{
  Watch *watch = get_watch (window);
  int width;

  wait_for_layout (window);
  save_shot (window, what);
  width = gtk_widget_get_width (GTK_WIDGET (window));
  g_test_message ("%s: minimum width %d px (at most %d px so far), window %d px", what,
                  min_width (gtk_window_get_child (window)), watch->widest, width);
  if (watch->widest > NARROW_WIDTH)
    g_test_message ("needed more than %d px:%s", NARROW_WIDTH, watch->widest_path);
  g_assert_cmpint (watch->widest, <=, NARROW_WIDTH);
  g_assert_cmpint (width, ==, NARROW_WIDTH);
}

/* The default width that gives a window @width px: without a window
 * manager a window gets a few pixels less than its default size (10 under
 * Xvfb); measured once on an empty window. */
static int
default_width_for (int width)
{
  static int border = -1;

  if (border < 0)
    {
      GtkWindow *probe = GTK_WINDOW (adw_window_new ());

      gtk_window_set_default_size (probe, width, 400);
      gtk_window_present (probe);
      wait_for_layout (probe);
      border = width - gtk_widget_get_width (GTK_WIDGET (probe));
      g_assert_cmpint (border, >=, 0);
      gtk_window_destroy (probe);
    }
  return width + border;
}

static gboolean
page_settled (gpointer data)
{
  return gtk_widget_get_mapped (data) && !herald_page_get_busy (data);
}

static gboolean
view_loaded (gpointer data)
{
  return gtk_widget_get_mapped (data) && !herald_campaign_view_get_loading (data);
}

static gboolean
wizard_ready (gpointer data)
{
  return gtk_widget_get_mapped (data) && !herald_campaign_wizard_get_busy (data);
}

typedef struct
{
  char         *db_path;
  gint64        campaign_id;
  HeraldWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* A number, an approved template with variables, contacts and a campaign. */
  fixture->db_path = g_build_filename (dir, "narrow.db", NULL);
  store = herald_store_new (fixture->db_path, &error);
  g_assert_no_error (error);
  fixture->campaign_id = herald_test_make_campaign (store, 30);

  g_settings_set_int (settings, "window-width", default_width_for (NARROW_WIDTH));
  g_settings_set_int (settings, "window-height", 640);
  g_settings_set_boolean (settings, "window-maximized", FALSE);
  g_setenv ("HERALD_DB", fixture->db_path, TRUE);
  fixture->window = herald_window_new (NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  get_watch (GTK_WINDOW (fixture->window));
  wait_for_layout (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_free (fixture->db_path);
}

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  static const char *const pages[] = {
    "dashboard", "campaigns", "contacts", "templates", "numbers", "activity",
  };
  GtkWindow *window = GTK_WINDOW (fixture->window);

  /* Folded: the page list alone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  assert_fits (window, "page list");

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *page = herald_window_get_page (fixture->window, pages[i]);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i]));
      herald_test_wait_until (page_settled, page, 10000);
      assert_fits (window, pages[i]);
    }
}

static void
test_campaign (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);
  HeraldCampaignsPage *page = HERALD_CAMPAIGNS_PAGE (herald_window_get_page (fixture->window, "campaigns"));
  HeraldCampaignView *view;

  herald_window_show_campaign (fixture->window, fixture->campaign_id);
  view = herald_campaigns_page_show_campaign (page, fixture->campaign_id);
  herald_test_wait_until (view_loaded, view, 10000);
  assert_fits (window, "campaign dashboard");

  herald_campaign_view_show_messages (view, 0.0);
  herald_test_wait_until (view_loaded, view, 10000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (herald_campaign_view_get_log_model (view))), >, 0);
  assert_fits (window, "campaign message log");

  /* Back to the list: the window stays narrow. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "campaigns.show-list", NULL));
  herald_test_wait_until (page_settled, page, 10000);
  assert_fits (window, "campaign list after a dashboard");
}

/* A dialog of the window, 360 px wide: sized before it is shown, as a
 * mapped window's new default size only applies when it is shown again. */
static void
present_narrow (GtkWindow *dialog,
                Fixture   *fixture)
{
  gtk_window_set_transient_for (dialog, GTK_WINDOW (fixture->window));
  gtk_window_set_default_size (dialog, default_width_for (NARROW_WIDTH), 600);
  gtk_window_present (dialog);
  get_watch (dialog);
}

static void
test_wizard (Fixture       *fixture,
             gconstpointer  data)
{
  static const char *const steps[] = { "number", "template", "audience", "variables", "preflight" };
  HeraldCampaignsPage *page = HERALD_CAMPAIGNS_PAGE (herald_window_get_page (fixture->window, "campaigns"));
  HeraldCampaignWizard *wizard;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "campaigns"));
  herald_test_wait_until (page_settled, page, 10000);
  wizard = herald_campaign_wizard_new (herald_page_get_worker (HERALD_PAGE (page)));
  present_narrow (GTK_WINDOW (wizard), fixture);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *what = g_strconcat ("wizard step ", steps[i], NULL);

      herald_test_wait_until (wizard_ready, wizard, 10000);
      g_assert_cmpstr (herald_campaign_wizard_get_step (wizard), ==, steps[i]);
      /* A long fixed value: the preview wraps it. */
      if (g_str_equal (steps[i], "variables"))
        g_assert_true (herald_campaign_wizard_set_binding (wizard, "2",
                                                           "=the bakery's new shop at Rua Augusta 24, Lisbon"));
      assert_fits (GTK_WINDOW (wizard), what);
      if (i + 1 < G_N_ELEMENTS (steps))
        {
          g_assert_true (herald_campaign_wizard_can_go_next (wizard));
          herald_campaign_wizard_go_next (wizard);
        }
    }
  gtk_window_destroy (GTK_WINDOW (wizard));
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
contact_editor_ready (gpointer data)
{
  return !herald_contact_editor_get_busy (data);
}

static gboolean
number_editor_ready (gpointer data)
{
  return !herald_number_editor_get_busy (data);
}

static gboolean
import_previewed (gpointer data)
{
  return g_strcmp0 (herald_import_dialog_get_state (data), "loading") != 0;
}

static void
test_dialogs (Fixture       *fixture,
              gconstpointer  data)
{
  HeraldStoreWorker *worker = herald_page_get_worker (HERALD_PAGE (herald_window_get_page (fixture->window,
                                                                                            "contacts")));
  g_autoptr(HeraldStore) store = herald_store_new (fixture->db_path, NULL);
  g_autoptr(GPtrArray) templates = herald_store_list_templates (store, FALSE, NULL);
  g_autoptr(GPtrArray) numbers = herald_store_list_numbers (store, NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *csv_path = herald_test_data_path ("cli-contacts.csv");
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  GtkWindow *dialog;

  g_assert_cmpuint (templates->len, ==, 1);
  g_assert_cmpuint (numbers->len, ==, 1);

  dialog = GTK_WINDOW (herald_contact_editor_new (worker, NULL));
  present_narrow (dialog, fixture);
  herald_test_wait_until (contact_editor_ready, dialog, 10000);
  assert_fits (dialog, "contact editor");
  gtk_window_destroy (dialog);

  dialog = GTK_WINDOW (herald_import_dialog_new (worker, csv));
  present_narrow (dialog, fixture);
  herald_test_wait_until (import_previewed, dialog, 10000);
  g_assert_cmpstr (herald_import_dialog_get_state (HERALD_IMPORT_DIALOG (dialog)), ==, "preview");
  assert_fits (dialog, "import dialog");
  gtk_window_destroy (dialog);

  /* The form, then its preview */
  dialog = GTK_WINDOW (herald_template_editor_new (worker, g_ptr_array_index (templates, 0)));
  present_narrow (dialog, fixture);
  assert_fits (dialog, "template editor");
  adw_flap_set_reveal_flap (ADW_FLAP (find_descendant (GTK_WIDGET (dialog), ADW_TYPE_FLAP)), TRUE);
  assert_fits (dialog, "template editor preview");
  gtk_window_destroy (dialog);

  dialog = GTK_WINDOW (herald_number_editor_new (worker, g_ptr_array_index (numbers, 0)));
  present_narrow (dialog, fixture);
  herald_test_wait_until (number_editor_ready, dialog, 10000);
  assert_fits (dialog, "number editor");
  gtk_window_destroy (dialog);

  dialog = GTK_WINDOW (herald_preferences_window_new (worker, settings));
  present_narrow (dialog, fixture);
  assert_fits (dialog, "preferences");
  gtk_window_destroy (dialog);
}

int
main (int   argc,
      char *argv[])
{
  /* Sizes do not depend on the renderer; with software GL every new window
   * compiles its shaders, and the test takes twenty times as long. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (!herald_ui_test_init (&argc, &argv))
    return 77;
  if (g_strcmp0 (g_getenv ("HERALD_COLOR_SCHEME"), "dark") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  /* Shots show each screen as it settles, not halfway through a transition. */
  if (g_getenv ("HERALD_NARROW_SHOTS") != NULL)
    g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/herald/ui-narrow/pages", Fixture, NULL, fixture_set_up, test_pages, fixture_tear_down);
  g_test_add ("/herald/ui-narrow/campaign", Fixture, NULL, fixture_set_up, test_campaign, fixture_tear_down);
  g_test_add ("/herald/ui-narrow/wizard", Fixture, NULL, fixture_set_up, test_wizard, fixture_tear_down);
  g_test_add ("/herald/ui-narrow/dialogs", Fixture, NULL, fixture_set_up, test_dialogs, fixture_tear_down);

  return g_test_run ();
}
