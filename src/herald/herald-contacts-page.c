/* herald-contacts-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-contact-list-model.h"
#include "herald-contacts-page.h"
#include "herald-ui-utils.h"

struct _HeraldContactsPage
{
  HeraldPage              parent_instance;

  HeraldContactListModel *model;
  GtkDropTarget          *drop_target;

  GtkSearchEntry         *search_entry;
  GtkStack               *stack;
  GtkListView            *list_view;
};

G_DEFINE_FINAL_TYPE (HeraldContactsPage, herald_contacts_page, HERALD_TYPE_PAGE)

static void
update_state (HeraldContactsPage *self)
{
  herald_ui_show_list_state (self->stack, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                             herald_contact_list_model_get_loading (self->model),
                             herald_contact_list_model_get_search (self->model) != NULL);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box, *labels, *title, *subtitle, *badge;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("avatar-default-symbolic"));

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (labels, TRUE);
  title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), labels);

  badge = herald_ui_badge_new (_("Opted out"), "warning", NULL);
  gtk_box_append (GTK_BOX (box), badge);

  g_object_set_data (G_OBJECT (item), "title", title);
  g_object_set_data (G_OBJECT (item), "subtitle", subtitle);
  g_object_set_data (G_OBJECT (item), "badge", badge);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  HeraldContact *contact = gtk_list_item_get_item (item);
  GtkWidget *badge = g_object_get_data (G_OBJECT (item), "badge");
  const char *email = herald_contact_get_email (contact);
  g_autofree char *subtitle = NULL;

  if (email != NULL && email[0] != '\0')
    subtitle = g_strdup_printf ("%s · %s", herald_contact_get_mobile_number (contact), email);
  else
    subtitle = g_strdup (herald_contact_get_mobile_number (contact));

  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "title"),
                      herald_contact_get_name (contact));
  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "subtitle"), subtitle);
  gtk_widget_set_visible (badge, herald_contact_get_opted_out (contact));
  if (herald_contact_get_opted_out (contact))
    gtk_widget_set_tooltip_text (badge, herald_contact_get_opted_out_reason (contact));
}

static void
on_search_changed_cb (HeraldContactsPage *self)
{
  herald_contact_list_model_set_search (self->model,
                                        gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_edge_reached_cb (HeraldContactsPage *self,
                    GtkPositionType     position)
{
  if (position == GTK_POS_BOTTOM)
    herald_contact_list_model_load_more (self->model);
}

static void
on_items_changed_cb (HeraldContactsPage *self)
{
  update_state (self);
}

static void
on_contact_changed_cb (HeraldContactsPage *self,
                       const char         *message)
{
  herald_contacts_page_reload (self);
  herald_page_toast (HERALD_PAGE (self), message);
}

HeraldContactEditor *
herald_contacts_page_open_editor (HeraldContactsPage *self,
                                  HeraldContact      *contact)
{
  HeraldContactEditor *editor;

  g_return_val_if_fail (HERALD_IS_CONTACTS_PAGE (self), NULL);

  editor = herald_contact_editor_new (herald_page_get_worker (HERALD_PAGE (self)), contact);
  g_signal_connect_object (editor, "done", G_CALLBACK (on_contact_changed_cb), self,
                           G_CONNECT_SWAPPED);
  herald_ui_present (GTK_WIDGET (self), GTK_WINDOW (editor));

  return editor;
}

static void
on_list_activate_cb (HeraldContactsPage *self,
                     guint               position)
{
  g_autoptr(HeraldContact) contact = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (contact != NULL)
    herald_contacts_page_open_editor (self, contact);
}

HeraldImportDialog *
herald_contacts_page_open_import (HeraldContactsPage *self,
                                  GFile              *file)
{
  HeraldImportDialog *dialog;

  g_return_val_if_fail (HERALD_IS_CONTACTS_PAGE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  dialog = herald_import_dialog_new (herald_page_get_worker (HERALD_PAGE (self)), file);
  g_signal_connect_object (dialog, "done", G_CALLBACK (on_contact_changed_cb), self,
                           G_CONNECT_SWAPPED);
  herald_ui_present (GTK_WIDGET (self), GTK_WINDOW (dialog));

  return dialog;
}

static gboolean
on_drop_cb (GtkDropTarget      *target,
            const GValue       *value,
            double              x,
            double              y,
            HeraldContactsPage *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;

  /* One file at a time: the preview and mapping are per file. */
  herald_contacts_page_open_import (self, files->data);
  g_slist_free (files);

  return TRUE;
}

static void
on_import_file_chosen (GtkWidget *owner,
                       GFile     *file)
{
  herald_contacts_page_open_import (HERALD_CONTACTS_PAGE (owner), file);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  herald_ui_choose_csv_file (widget, _("Import Contacts"), _("_Import"), NULL, on_import_file_chosen);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  herald_contacts_page_open_editor (HERALD_CONTACTS_PAGE (widget), NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (HERALD_CONTACTS_PAGE (widget)->search_entry));
}

/* Showing the page again reads the contacts it holds once more, and reloads
 * the list only when they differ: the Sandbox, an import elsewhere, the CLI
 * or the feed (opt-outs) may have changed them, and an unchanged list keeps
 * its scroll position. The search stays as typed. */
typedef struct
{
  char  *search;
  guint  limit;
} CheckRequest;

static void
check_request_free (gpointer data)
{
  CheckRequest *request = data;

  g_free (request->search);
  g_free (request);
}

static gpointer
check_contacts_job (HeraldStore   *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  CheckRequest *request = data;

  return herald_store_list_contacts (store, request->search, 0, request->limit, error);
}

static gboolean
same_contact (HeraldContact *a,
              HeraldContact *b)
{
  return herald_contact_get_id (a) == herald_contact_get_id (b) &&
         g_strcmp0 (herald_contact_get_updated_at (a), herald_contact_get_updated_at (b)) == 0 &&
         g_strcmp0 (herald_contact_get_name (a), herald_contact_get_name (b)) == 0 &&
         g_strcmp0 (herald_contact_get_mobile_number (a), herald_contact_get_mobile_number (b)) == 0 &&
         g_strcmp0 (herald_contact_get_email (a), herald_contact_get_email (b)) == 0 &&
         herald_contact_get_opted_out (a) == herald_contact_get_opted_out (b) &&
         g_strcmp0 (herald_contact_get_opted_out_reason (a), herald_contact_get_opted_out_reason (b)) == 0;
}

static void
on_contacts_checked (HeraldPage   *page,
                     gpointer      result,
                     const GError *error,
                     gpointer      user_data)
{
  HeraldContactsPage *self = HERALD_CONTACTS_PAGE (page);
  g_autoptr(GPtrArray) contacts = result;
  const char *search = user_data;
  GListModel *model = G_LIST_MODEL (self->model);
  guint n_loaded = g_list_model_get_n_items (model);
  gboolean changed;

  /* The list was reloaded meanwhile (a search, a save): it is fresh. */
  if (contacts == NULL || herald_contact_list_model_get_loading (self->model) ||
      g_strcmp0 (search, herald_contact_list_model_get_search (self->model)) != 0)
    return;

  /* One more than loaded was asked for: a new contact at the end shows up
   * unless more pages are still to come anyway. */
  changed = contacts->len < n_loaded ||
            (contacts->len > n_loaded && !herald_contact_list_model_get_has_more (self->model));
  for (guint i = 0; !changed && i < n_loaded; i++)
    {
      g_autoptr(HeraldContact) shown = g_list_model_get_item (model, i);

      changed = !same_contact (shown, g_ptr_array_index (contacts, i));
    }
  if (changed)
    herald_contact_list_model_reload (self->model);
}

static void
herald_contacts_page_reload_if_changed (HeraldPage *page)
{
  HeraldContactsPage *self = HERALD_CONTACTS_PAGE (page);
  CheckRequest *request;

  /* A load under way reads the store as it is now. */
  if (herald_contact_list_model_get_loading (self->model))
    return;

  request = g_new0 (CheckRequest, 1);
  request->search = g_strdup (herald_contact_list_model_get_search (self->model));
  request->limit = g_list_model_get_n_items (G_LIST_MODEL (self->model)) + 1;
  herald_page_run (page, check_contacts_job, request, check_request_free, (GDestroyNotify) g_ptr_array_unref,
                   on_contacts_checked, g_strdup (request->search), g_free);
}

static void
herald_contacts_page_constructed (GObject *object)
{
  HeraldContactsPage *self = HERALD_CONTACTS_PAGE (object);
  g_autoptr(GtkListItemFactory) factory = NULL;

  G_OBJECT_CLASS (herald_contacts_page_parent_class)->constructed (object);

  self->model = herald_contact_list_model_new (herald_page_get_worker (HERALD_PAGE (self)));
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (on_items_changed_cb), self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)))));
  update_state (self);
}

static void
herald_contacts_page_dispose (GObject *object)
{
  HeraldContactsPage *self = HERALD_CONTACTS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_CONTACTS_PAGE);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (herald_contacts_page_parent_class)->dispose (object);
}

static void
herald_contacts_page_class_init (HeraldContactsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = herald_contacts_page_constructed;
  object_class->dispose = herald_contacts_page_dispose;
  HERALD_PAGE_CLASS (klass)->reload = herald_contacts_page_reload_if_changed;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-contacts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldContactsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HeraldContactsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldContactsPage, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_edge_reached_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);

  gtk_widget_class_install_action (widget_class, "contacts.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "contacts.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "contacts.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "contacts.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "contacts.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "contacts.search", NULL);
}

static void
herald_contacts_page_init (HeraldContactsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (self->drop_target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));
}

GListModel *
herald_contacts_page_get_model (HeraldContactsPage *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->model);
}

const char *
herald_contacts_page_get_state (HeraldContactsPage *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACTS_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkDropTarget *
herald_contacts_page_get_drop_target (HeraldContactsPage *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACTS_PAGE (self), NULL);

  return self->drop_target;
}

void
herald_contacts_page_reload (HeraldContactsPage *self)
{
  g_return_if_fail (HERALD_IS_CONTACTS_PAGE (self));

  herald_contact_list_model_reload (self->model);
}
