/* herald-contact-chooser.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-contact-chooser.h"

struct _HeraldContactChooser
{
  AdwWindow               parent_instance;

  HeraldContactListModel *model;
  GHashTable             *selected;  /* gint64 * → itself */
  GPtrArray              *bound_checks;

  GtkWidget              *done_button;
  GtkWidget              *count_label;
  GtkWidget              *search_entry;
};

G_DEFINE_FINAL_TYPE (HeraldContactChooser, herald_contact_chooser, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_count (HeraldContactChooser *self)
{
  guint n = g_hash_table_size (self->selected);
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u chosen", "%u chosen", n), n);

  gtk_label_set_text (GTK_LABEL (self->count_label), text);
  gtk_widget_set_sensitive (self->done_button, n > 0);
}

static void
on_check_toggled_cb (GtkCheckButton       *check,
                     HeraldContactChooser *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (check), "id");

  /* No id while a row is being bound. */
  if (id == NULL)
    return;
  herald_contact_chooser_set_contact_selected (self, *id, gtk_check_button_get_active (check));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              HeraldContactChooser     *self)
{
  GtkWidget *box, *labels, *title, *subtitle, *check;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled_cb), self);
  gtk_box_append (GTK_BOX (box), check);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (labels, TRUE);
  title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), labels);

  g_object_set_data (G_OBJECT (item), "check", check);
  g_object_set_data (G_OBJECT (item), "title", title);
  g_object_set_data (G_OBJECT (item), "subtitle", subtitle);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             HeraldContactChooser     *self)
{
  HeraldContact *contact = gtk_list_item_get_item (item);
  GtkWidget *check = g_object_get_data (G_OBJECT (item), "check");
  gint64 id = herald_contact_get_id (contact);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  g_object_set_data (G_OBJECT (check), "id", NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (self->selected, &id));
  g_object_set_data_full (G_OBJECT (check), "id", g_memdup2 (&id, sizeof id), g_free);
  g_ptr_array_add (self->bound_checks, check);
  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "title"), herald_contact_get_name (contact));
  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "subtitle"), herald_contact_get_mobile_number (contact));
  /* Opted-out contacts are never sent to: they cannot be chosen. */
  gtk_widget_set_sensitive (check, !herald_contact_get_opted_out (contact));

  /* The next page, as the view nears the end of what is loaded. */
  if (gtk_list_item_get_position (item) + 20 >= n_items &&
      herald_contact_list_model_get_has_more (self->model) &&
      !herald_contact_list_model_get_loading (self->model))
    herald_contact_list_model_load_more (self->model);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               HeraldContactChooser     *self)
{
  GtkWidget *check = g_object_get_data (G_OBJECT (item), "check");

  g_object_set_data (G_OBJECT (check), "id", NULL);
  g_ptr_array_remove_fast (self->bound_checks, check);
}

static void
on_activate_cb (GtkListView          *view,
                guint                 position,
                HeraldContactChooser *self)
{
  g_autoptr(HeraldContact) contact = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  gint64 id;

  if (contact == NULL || herald_contact_get_opted_out (contact))
    return;
  id = herald_contact_get_id (contact);
  herald_contact_chooser_set_contact_selected (self, id, !g_hash_table_contains (self->selected, &id));
}

static void
on_search_changed_cb (HeraldContactChooser *self)
{
  herald_contact_list_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
herald_contact_chooser_dispose (GObject *object)
{
  HeraldContactChooser *self = HERALD_CONTACT_CHOOSER (object);

  g_clear_object (&self->model);

  G_OBJECT_CLASS (herald_contact_chooser_parent_class)->dispose (object);
}

static void
herald_contact_chooser_finalize (GObject *object)
{
  HeraldContactChooser *self = HERALD_CONTACT_CHOOSER (object);

  g_clear_pointer (&self->selected, g_hash_table_unref);
  g_clear_pointer (&self->bound_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (herald_contact_chooser_parent_class)->finalize (object);
}

static void
herald_contact_chooser_class_init (HeraldContactChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_contact_chooser_dispose;
  object_class->finalize = herald_contact_chooser_finalize;

  signals[SIGNAL_CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
herald_contact_chooser_init (HeraldContactChooser *self)
{
  self->selected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->bound_checks = g_ptr_array_new ();
}

HeraldContactChooser *
herald_contact_chooser_new (HeraldStoreWorker *worker,
                            const gint64      *selected,
                            guint              n_selected)
{
  HeraldContactChooser *self;
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkWidget *box, *header, *cancel, *scrolled, *list, *clamp, *bar;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);
  g_return_val_if_fail (selected != NULL || n_selected == 0, NULL);

  self = g_object_new (HERALD_TYPE_CONTACT_CHOOSER,
                       "title", _("Choose Contacts"),
                       "modal", TRUE,
                       "default-width", 480,
                       "default-height", 600,
                       "width-request", 360,
                       "height-request", 294,
                       NULL);
  for (guint i = 0; i < n_selected; i++)
    g_hash_table_add (self->selected, g_memdup2 (&selected[i], sizeof selected[i]));
  self->model = herald_contact_list_model_new (worker);

  header = adw_header_bar_new ();
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->done_button = gtk_button_new_with_mnemonic (_("_Done"));
  gtk_widget_add_css_class (self->done_button, "suggested-action");
  g_signal_connect_swapped (self->done_button, "clicked", G_CALLBACK (herald_contact_chooser_confirm), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->done_button);

  self->search_entry = gtk_search_entry_new ();
  g_object_set (self->search_entry, "placeholder-text", _("Search by name, number or email"), NULL);
  gtk_widget_set_margin_start (self->search_entry, 12);
  gtk_widget_set_margin_end (self->search_entry, 12);
  gtk_widget_set_margin_top (self->search_entry, 6);
  gtk_widget_set_margin_bottom (self->search_entry, 6);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)))),
                            g_steal_pointer (&factory));
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (list), TRUE);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  g_signal_connect (list, "activate", G_CALLBACK (on_activate_cb), self);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_set_vexpand (scrolled, TRUE);

  self->count_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->count_label, "dim-label");
  bar = gtk_action_bar_new ();
  gtk_action_bar_set_center_widget (GTK_ACTION_BAR (bar), self->count_label);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), self->search_entry);
  gtk_box_append (GTK_BOX (box), clamp);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), bar);
  adw_window_set_content (ADW_WINDOW (self), box);
  update_count (self);
  return self;
}

HeraldContactListModel *
herald_contact_chooser_get_model (HeraldContactChooser *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_CHOOSER (self), NULL);
  return self->model;
}

void
herald_contact_chooser_set_search (HeraldContactChooser *self,
                                   const char           *search)
{
  g_return_if_fail (HERALD_IS_CONTACT_CHOOSER (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), search ? search : "");
  herald_contact_list_model_set_search (self->model, search);
}

void
herald_contact_chooser_set_contact_selected (HeraldContactChooser *self,
                                             gint64                contact_id,
                                             gboolean              selected)
{
  g_return_if_fail (HERALD_IS_CONTACT_CHOOSER (self));

  if (selected == g_hash_table_contains (self->selected, &contact_id))
    return;
  if (selected)
    g_hash_table_add (self->selected, g_memdup2 (&contact_id, sizeof contact_id));
  else
    g_hash_table_remove (self->selected, &contact_id);
  update_count (self);
  /* The row on screen, if any (the others follow when bound). */
  for (guint i = 0; i < self->bound_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->bound_checks, i);
      gint64 *id = g_object_get_data (G_OBJECT (check), "id");

      if (id != NULL && *id == contact_id)
        gtk_check_button_set_active (check, selected);
    }
}

gboolean
herald_contact_chooser_get_contact_selected (HeraldContactChooser *self,
                                             gint64                contact_id)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_CHOOSER (self), FALSE);
  return g_hash_table_contains (self->selected, &contact_id);
}

guint
herald_contact_chooser_get_n_selected (HeraldContactChooser *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_CHOOSER (self), 0);
  return g_hash_table_size (self->selected);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

GArray *
herald_contact_chooser_get_selected (HeraldContactChooser *self)
{
  GArray *ids;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (HERALD_IS_CONTACT_CHOOSER (self), NULL);

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), g_hash_table_size (self->selected));
  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  g_array_sort (ids, compare_ids);
  return ids;
}

void
herald_contact_chooser_confirm (HeraldContactChooser *self)
{
  g_return_if_fail (HERALD_IS_CONTACT_CHOOSER (self));

  if (g_hash_table_size (self->selected) == 0)
    return;
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0);
  gtk_window_close (GTK_WINDOW (self));
}
