/* herald-contact-editor.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "herald-contact-editor.h"
#include "herald-phone.h"
#include "herald-ui-utils.h"

struct _HeraldContactEditor
{
  AdwWindow          parent_instance;

  HeraldStoreWorker *worker;
  HeraldContact     *contact;        /* a copy being edited */
  GCancellable      *cancellable;
  char              *region;         /* the default region, for numbers without + */
  gboolean           busy;
  gboolean           valid;
  guint              touched;        /* FIELD_* bits: fields the user changed */

  GtkWidget         *save_button;
  GtkWidget         *error_label;
  GtkWidget         *name_row;
  GtkWidget         *mobile_row;
  GtkWidget         *mobile_problem;
  GtkWidget         *email_row;
  GtkWidget         *email_problem;
  GtkWidget         *notes_row;
  GtkWidget         *opted_out_switch;
  GtkWidget         *reason_row;
  AdwPreferencesGroup *attributes_group;
  GtkWidget         *new_attribute_row;
  GHashTable        *attribute_rows;  /* key → AdwEntryRow */
};

enum {
  DONE,
  N_SIGNALS
};

/* The fields checked as the user types. */
enum {
  FIELD_MOBILE = 1 << 0,
  FIELD_EMAIL  = 1 << 1,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HeraldContactEditor, herald_contact_editor, ADW_TYPE_WINDOW)

static gpointer
save_contact_job (HeraldStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  if (!herald_store_save_contact (store, data, error))
    return NULL;

  return HERALD_STORE_WORKER_TRUE;
}

static gpointer
delete_contact_job (HeraldStore   *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  if (!herald_store_delete_contact (store, GPOINTER_TO_SIZE (data), error))
    return NULL;

  return HERALD_STORE_WORKER_TRUE;
}

static void
set_busy (HeraldContactEditor *self,
          gboolean             busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->save_button, self->valid && !busy);
}

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* The form's number in E.164, or NULL with *@reason set. */
static char *
read_mobile (HeraldContactEditor  *self,
             char                **reason)
{
  g_autoptr(GError) error = NULL;
  char *mobile;

  if (text_of (self->mobile_row)[0] == '\0')
    {
      *reason = g_strdup (_("Enter the contact’s WhatsApp number"));
      return NULL;
    }
  mobile = herald_phone_normalize (text_of (self->mobile_row), self->region[0] ? self->region : NULL, &error);
  if (mobile == NULL)
    *reason = g_strdup (error->message);
  return mobile;
}

/* Checks the form as it is, marks what is wrong in the fields the user
 * has touched (@touched adds to them), and allows Save only when nothing is. */
static void
validate (HeraldContactEditor *self,
          guint                touched)
{
  g_autofree char *mobile = NULL;
  g_autofree char *mobile_reason = NULL;
  const char *email = text_of (self->email_row);
  const char *email_reason = NULL;

  self->touched |= touched;
  mobile = read_mobile (self, &mobile_reason);
  if (email[0] != '\0' && !herald_contact_email_is_plausible (email))
    email_reason = _("Enter an address like name@example.com");

  herald_ui_show_field_problem (self->mobile_row, self->mobile_problem,
                                self->touched & FIELD_MOBILE ? mobile_reason : NULL);
  herald_ui_show_field_problem (self->email_row, self->email_problem,
                                self->touched & FIELD_EMAIL ? email_reason : NULL);
  self->valid = mobile != NULL && email_reason == NULL;
  set_busy (self, self->busy);
}

#define FIELDS(self) (GtkWidget * const []) { (self)->name_row, (self)->mobile_row, (self)->email_row, \
                                             (self)->notes_row, (self)->reason_row }
#define N_FIELDS 5

static void
clear_errors (HeraldContactEditor *self)
{
  herald_ui_clear_form_errors (FIELDS (self), N_FIELDS, self->error_label);
}

/* Core messages read "Field: problem"; the field they name is marked. */
static void
show_error (HeraldContactEditor *self,
            const char          *message)
{
  herald_ui_show_form_error (FIELDS (self), N_FIELDS, self->error_label, message);
}

static void
on_saved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HeraldContactEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message);
      return;
    }

  set_busy (self, FALSE);
  g_signal_emit (self, signals[DONE], 0, _("Contact saved"));
  gtk_window_destroy (GTK_WINDOW (self));
}


void
herald_contact_editor_save (HeraldContactEditor *self)
{
  g_autoptr(HeraldContact) contact = NULL;
  g_autofree char *name = NULL;
  g_autofree char *mobile = NULL;
  g_autofree char *reason = NULL;
  GHashTableIter iter;
  gpointer key, row;
  gboolean opted_out;

  g_return_if_fail (HERALD_IS_CONTACT_EDITOR (self));

  if (self->busy)
    return;
  clear_errors (self);

  /* The form's own checks show on every field now; the rest is the store's. */
  validate (self, FIELD_MOBILE | FIELD_EMAIL);
  if (!self->valid)
    {
      gtk_widget_grab_focus (herald_ui_has_field_error (self->mobile_row) ? self->mobile_row : self->email_row);
      return;
    }
  mobile = read_mobile (self, &reason);
  g_assert (mobile != NULL);

  /* No name is fine: like a CSV row without one (herald-contact-import.c),
   * the contact is saved with its number as its name. */
  name = g_strstrip (g_strdup (text_of (self->name_row)));
  if (name[0] == '\0')
    {
      g_free (name);
      name = g_strdup (mobile);
    }

  contact = herald_contact_new (name, mobile);
  herald_contact_set_id (contact, herald_contact_get_id (self->contact));
  herald_contact_set_email (contact, text_of (self->email_row)[0] ? text_of (self->email_row) : NULL);
  herald_contact_set_notes (contact, text_of (self->notes_row)[0] ? text_of (self->notes_row) : NULL);
  herald_contact_set_is_active (contact, herald_contact_get_is_active (self->contact));
  opted_out = gtk_switch_get_active (GTK_SWITCH (self->opted_out_switch));
  herald_contact_set_opted_out (contact, opted_out);
  if (opted_out)
    {
      herald_contact_set_opted_out_reason (contact, text_of (self->reason_row)[0] ?
                                                    text_of (self->reason_row) : NULL);
      herald_contact_set_opted_out_at (contact, herald_contact_get_opted_out_at (self->contact));
    }
  herald_contact_set_attributes (contact, herald_contact_get_attributes (self->contact));
  g_hash_table_iter_init (&iter, self->attribute_rows);
  while (g_hash_table_iter_next (&iter, &key, &row))
    herald_contact_set_attribute (contact, key, text_of (row)[0] ? text_of (row) : NULL);

  set_busy (self, TRUE);
  herald_store_worker_run_async (self->worker, save_contact_job,
                                 g_steal_pointer (&contact), g_object_unref, NULL,
                                 self->cancellable, on_saved_cb, g_object_ref (self));
}

static void
on_deleted_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HeraldContactEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (object), result, &error) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[DONE], 0, _("Contact deleted"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
delete_confirmed (GtkWidget *widget,
                  gpointer   user_data)
{
  HeraldContactEditor *self = HERALD_CONTACT_EDITOR (widget);

  set_busy (self, TRUE);
  herald_store_worker_run_async (self->worker, delete_contact_job,
                                 GSIZE_TO_POINTER (herald_contact_get_id (self->contact)), NULL, NULL,
                                 self->cancellable, on_deleted_cb, g_object_ref (self));
}

static void
on_delete_clicked_cb (HeraldContactEditor *self)
{
  g_autofree char *body = g_strdup_printf (_("%s and their message history will be removed for good."),
                                           herald_contact_get_name (self->contact));

  herald_ui_confirm (GTK_WIDGET (self), _("Delete Contact?"), body, NULL, "delete", _("_Delete"),
                     delete_confirmed, NULL, NULL);
}

static void
on_field_changed_cb (HeraldContactEditor *self,
                     GtkEditable         *row)
{
  guint touched = 0;

  if (GTK_WIDGET (row) == self->mobile_row)
    touched = FIELD_MOBILE;
  else if (GTK_WIDGET (row) == self->email_row)
    touched = FIELD_EMAIL;
  /* A save's error is about the form as it was. */
  clear_errors (self);
  validate (self, touched);
}

static GtkWidget *
add_entry_row (HeraldContactEditor *self,
               AdwPreferencesGroup *group,
               const char          *title,
               const char          *text,
               GType                type)
{
  GtkWidget *row = g_object_new (type, "title", title, NULL);

  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (herald_contact_editor_save), self);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (on_field_changed_cb), self);
  adw_preferences_group_add (group, row);

  return row;
}

static GtkWidget *
add_problem_row (AdwPreferencesGroup *group)
{
  GtkWidget *row = herald_ui_field_problem_row_new ();

  adw_preferences_group_add (group, row);
  return row;
}

void
herald_contact_editor_set_attribute (HeraldContactEditor *self,
                                     const char          *key,
                                     const char          *value)
{
  GtkWidget *row;

  g_return_if_fail (HERALD_IS_CONTACT_EDITOR (self));
  g_return_if_fail (key != NULL && key[0] != '\0');

  row = g_hash_table_lookup (self->attribute_rows, key);
  if (row == NULL)
    {
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), key);
      adw_preferences_group_add (self->attributes_group, row);
      g_hash_table_insert (self->attribute_rows, g_strdup (key), row);
    }
  gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
}

static void
on_new_attribute_apply_cb (HeraldContactEditor *self)
{
  g_autofree char *key = g_strstrip (g_strdup (text_of (self->new_attribute_row)));

  if (key[0] == '\0')
    return;
  herald_contact_editor_set_attribute (self, key, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->new_attribute_row), "");
  gtk_widget_grab_focus (g_hash_table_lookup (self->attribute_rows, key));
}

static void
load_attributes (HeraldContactEditor *self)
{
  const char *json = herald_contact_get_attributes (self->contact);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (json == NULL || json[0] == '\0')
    return;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return;

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &key, &value))
    if (JSON_NODE_HOLDS_VALUE (value))
      herald_contact_editor_set_attribute (self, key, herald_contact_get_attribute (self->contact, key));
}

static void
build (HeraldContactEditor *self,
       gboolean             is_new)
{
  GtkWidget *box, *header, *cancel, *page, *scrolled;
  AdwPreferencesGroup *group;
  GtkWidget *opt_row;

  gtk_window_set_title (GTK_WINDOW (self), is_new ? _("New Contact") : _("Edit Contact"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 620);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->save_button = gtk_button_new_with_mnemonic (is_new ? _("_Add") : _("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (herald_contact_editor_save), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (box), header);

  page = adw_preferences_page_new ();
  scrolled = page;
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (self), box);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
  adw_preferences_group_set_description (group, _("Without a name, the contact goes by their number, as in an import."));
  self->name_row = add_entry_row (self, group, _("Name"), herald_contact_get_name (self->contact), ADW_TYPE_ENTRY_ROW);
  self->mobile_row = add_entry_row (self, group, _("Mobile number"), herald_contact_get_mobile_number (self->contact), ADW_TYPE_ENTRY_ROW);
  self->mobile_problem = add_problem_row (group);
  self->email_row = add_entry_row (self, group, _("Email"), herald_contact_get_email (self->contact), ADW_TYPE_ENTRY_ROW);
  self->email_problem = add_problem_row (group);
  self->notes_row = add_entry_row (self, group, _("Notes"), herald_contact_get_notes (self->contact), ADW_TYPE_ENTRY_ROW);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_widget_set_margin_top (self->error_label, 6);
  adw_preferences_group_add (group, self->error_label);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Messages"));
  adw_preferences_group_set_description (group, _("Someone who opted out gets no more campaign messages."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
  opt_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (opt_row), _("Opted out"));
  self->opted_out_switch = gtk_switch_new ();
  gtk_widget_set_valign (self->opted_out_switch, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (self->opted_out_switch), herald_contact_get_opted_out (self->contact));
  adw_action_row_add_suffix (ADW_ACTION_ROW (opt_row), self->opted_out_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (opt_row), self->opted_out_switch);
  adw_preferences_group_add (group, opt_row);
  self->reason_row = add_entry_row (self, group, _("Opt-out reason"), herald_contact_get_opted_out_reason (self->contact), ADW_TYPE_ENTRY_ROW);
  g_object_bind_property (self->opted_out_switch, "active", self->reason_row, "visible", G_BINDING_SYNC_CREATE);

  self->attributes_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->attributes_group, _("Custom Fields"));
  adw_preferences_group_set_description (self->attributes_group, _("Used to fill in template variables, such as a city or a member number."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->attributes_group);
  self->new_attribute_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->new_attribute_row), _("New field name"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->new_attribute_row), TRUE);
  g_signal_connect_swapped (self->new_attribute_row, "apply", G_CALLBACK (on_new_attribute_apply_cb), self);
  adw_preferences_group_add (self->attributes_group, self->new_attribute_row);
  load_attributes (self);

  if (!is_new)
    {
      GtkWidget *delete_button;

      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
      delete_button = gtk_button_new_with_mnemonic (_("_Delete Contact…"));
      gtk_widget_add_css_class (delete_button, "destructive-action");
      gtk_widget_add_css_class (delete_button, "pill");
      gtk_widget_set_halign (delete_button, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (delete_button, "clicked", G_CALLBACK (on_delete_clicked_cb), self);
      adw_preferences_group_add (group, delete_button);
    }

  validate (self, 0);
  gtk_widget_grab_focus (self->name_row);
}

static void
herald_contact_editor_dispose (GObject *object)
{
  HeraldContactEditor *self = HERALD_CONTACT_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_object (&self->contact);
  g_clear_pointer (&self->attribute_rows, g_hash_table_unref);
  g_clear_pointer (&self->region, g_free);

  G_OBJECT_CLASS (herald_contact_editor_parent_class)->dispose (object);
}

static void
herald_contact_editor_class_init (HeraldContactEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_contact_editor_dispose;

  /* The contact was saved or deleted; the argument says which, for a toast. */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
herald_contact_editor_init (HeraldContactEditor *self)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  self->region = g_settings_get_string (settings, "default-region");
  self->cancellable = g_cancellable_new ();
  self->attribute_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

HeraldContactEditor *
herald_contact_editor_new (HeraldStoreWorker *worker,
                           HeraldContact     *contact)
{
  HeraldContactEditor *self;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);
  g_return_val_if_fail (contact == NULL || HERALD_IS_CONTACT (contact), NULL);

  self = g_object_new (HERALD_TYPE_CONTACT_EDITOR, NULL);
  self->worker = g_object_ref (worker);
  if (contact != NULL)
    {
      self->contact = herald_contact_new (herald_contact_get_name (contact),
                                          herald_contact_get_mobile_number (contact));
      herald_contact_set_id (self->contact, herald_contact_get_id (contact));
      herald_contact_set_email (self->contact, herald_contact_get_email (contact));
      herald_contact_set_notes (self->contact, herald_contact_get_notes (contact));
      herald_contact_set_is_active (self->contact, herald_contact_get_is_active (contact));
      herald_contact_set_opted_out (self->contact, herald_contact_get_opted_out (contact));
      herald_contact_set_opted_out_reason (self->contact, herald_contact_get_opted_out_reason (contact));
      herald_contact_set_opted_out_at (self->contact, herald_contact_get_opted_out_at (contact));
      herald_contact_set_attributes (self->contact, herald_contact_get_attributes (contact));
    }
  else
    {
      self->contact = herald_contact_new (NULL, NULL);
      herald_contact_set_is_active (self->contact, TRUE);
    }
  build (self, contact == NULL);

  return self;
}

GtkEditable *
herald_contact_editor_get_field (HeraldContactEditor *self,
                                 const char          *name)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_EDITOR (self), NULL);

  if (g_str_equal (name, "name"))
    return GTK_EDITABLE (self->name_row);
  if (g_str_equal (name, "mobile-number"))
    return GTK_EDITABLE (self->mobile_row);
  if (g_str_equal (name, "email"))
    return GTK_EDITABLE (self->email_row);
  if (g_str_equal (name, "notes"))
    return GTK_EDITABLE (self->notes_row);
  if (g_str_equal (name, "opted-out-reason"))
    return GTK_EDITABLE (self->reason_row);
  return NULL;
}

void
herald_contact_editor_set_opted_out (HeraldContactEditor *self,
                                     gboolean             opted_out)
{
  g_return_if_fail (HERALD_IS_CONTACT_EDITOR (self));

  gtk_switch_set_active (GTK_SWITCH (self->opted_out_switch), opted_out);
}

gboolean
herald_contact_editor_get_busy (HeraldContactEditor *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_EDITOR (self), FALSE);

  return self->busy;
}
