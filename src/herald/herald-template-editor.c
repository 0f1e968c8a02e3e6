/* herald-template-editor.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-message-bubble.h"
#include "herald-template-editor.h"
#include "herald-templates-cloud.h"
#include "herald-templates-page.h"
#include "herald-ui-utils.h"

typedef struct _ButtonRow ButtonRow;

struct _HeraldTemplateEditor
{
  AdwWindow          parent_instance;

  HeraldStoreWorker *worker;
  HeraldTemplate    *template;       /* what the fields say */
  GCancellable      *cancellable;
  GPtrArray         *buttons;        /* ButtonRow */
  GHashTable        *examples;       /* variable name → example text */
  GPtrArray         *example_rows;   /* AdwEntryRow, in variable order */
  char              *example_names;  /* the names they were made for, joined */
  guint              touched;        /* 1 << HeraldTemplateField: shown problems */
  gboolean           loading;
  gboolean           busy;
  gboolean           valid;

  AdwToastOverlay   *toast_overlay;
  AdwWindowTitle    *window_title;
  GtkWidget         *save_button;
  GtkWidget         *submit_button;
  AdwEntryRow       *name_row;
  GtkWidget         *name_error;
  AdwEntryRow       *language_row;
  GtkWidget         *language_error;
  AdwComboRow       *category_row;
  GtkWidget         *category_error;
  AdwComboRow       *header_type_row;
  AdwEntryRow       *header_row;
  GtkWidget         *header_error;
  GtkTextView       *body_view;
  GtkWidget         *body_error_label;
  AdwEntryRow       *footer_row;
  GtkWidget         *footer_error;
  AdwPreferencesGroup *buttons_group;
  GtkWidget         *buttons_error_label;
  AdwPreferencesGroup *examples_group;
  HeraldMessageBubble *bubble;
};

struct _ButtonRow
{
  HeraldTemplateEditor     *editor;
  HeraldTemplateButtonType  type;
  GtkWidget                *expander;
  GtkWidget                *text_row;
  GtkWidget                *detail_row;   /* URL, phone number or code; NULL for quick replies */
};

G_DEFINE_FINAL_TYPE (HeraldTemplateEditor, herald_template_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_WORKER,
  PROP_TEMPLATE,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The order of the header type combo row. */
static const HeraldHeaderType header_types[] = {
  HERALD_HEADER_NONE, HERALD_HEADER_TEXT, HERALD_HEADER_IMAGE, HERALD_HEADER_VIDEO, HERALD_HEADER_DOCUMENT,
};

static void update (HeraldTemplateEditor *self);

static void
toast (HeraldTemplateEditor *self,
       const char           *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static char *
body_text (HeraldTemplateEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
button_type_title (HeraldTemplateButtonType type)
{
  switch (type)
    {
    case HERALD_TEMPLATE_BUTTON_QUICK_REPLY:
      return _("Quick Reply");
    case HERALD_TEMPLATE_BUTTON_URL:
      return _("Visit Website");
    case HERALD_TEMPLATE_BUTTON_PHONE_NUMBER:
      return _("Call Phone Number");
    case HERALD_TEMPLATE_BUTTON_COPY_CODE:
      return _("Copy Offer Code");
    default:
      g_assert_not_reached ();
    }
}

static char *
buttons_json (HeraldTemplateEditor *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (self->buttons->len == 0)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->buttons->len; i++)
    {
      ButtonRow *row = g_ptr_array_index (self->buttons, i);
      const char *detail = row->detail_row != NULL ? gtk_editable_get_text (GTK_EDITABLE (row->detail_row)) : NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, herald_template_button_type_to_string (row->type));
      if (row->text_row != NULL)
        {
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, gtk_editable_get_text (GTK_EDITABLE (row->text_row)));
        }
      switch (row->type)
        {
        case HERALD_TEMPLATE_BUTTON_URL:
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, detail);
          break;
        case HERALD_TEMPLATE_BUTTON_PHONE_NUMBER:
          json_builder_set_member_name (builder, "phone_number");
          json_builder_add_string_value (builder, detail);
          break;
        case HERALD_TEMPLATE_BUTTON_COPY_CODE:
          json_builder_set_member_name (builder, "example");
          json_builder_add_string_value (builder, detail);
          break;
        case HERALD_TEMPLATE_BUTTON_QUICK_REPLY:
        default:
          break;
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
examples_json (HeraldTemplateEditor *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, self->examples);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value != NULL && ((char *) value)[0] != '\0')
      {
        json_builder_set_member_name (builder, key);
        json_builder_add_string_value (builder, value);
      }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Fields → self->template. */
static void
read_fields (HeraldTemplateEditor *self)
{
  g_autofree char *body = body_text (self);
  g_autofree char *buttons = buttons_json (self);
  g_autofree char *examples = examples_json (self);
  guint header_index = adw_combo_row_get_selected (self->header_type_row);
  HeraldHeaderType header_type = header_index < G_N_ELEMENTS (header_types) ? header_types[header_index] : HERALD_HEADER_NONE;
  guint category = adw_combo_row_get_selected (self->category_row);

  herald_template_set_name (self->template, gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  herald_template_set_language (self->template, gtk_editable_get_text (GTK_EDITABLE (self->language_row)));
  herald_template_set_category (self->template,
                                category <= HERALD_TEMPLATE_CATEGORY_AUTHENTICATION ? category
                                                                                     : HERALD_TEMPLATE_CATEGORY_MARKETING);
  herald_template_set_header_type (self->template, header_type);
  herald_template_set_header_content (self->template,
                                      header_type == HERALD_HEADER_NONE ? NULL
                                                                        : gtk_editable_get_text (GTK_EDITABLE (self->header_row)));
  herald_template_set_body (self->template, body);
  herald_template_set_footer (self->template, gtk_editable_get_text (GTK_EDITABLE (self->footer_row)));
  herald_template_set_buttons (self->template, buttons);
  herald_template_set_examples (self->template, examples);
}

/* "Footer: variables aren’t allowed" shown under the footer reads better as
 * "Variables aren’t allowed": the field says which field it is. */
static char *
reason_without_field (const char *message)
{
  const char *colon = strstr (message, ": ");
  const char *reason = colon != NULL && colon - message < 24 ? colon + 2 : message;
  gunichar first = g_utf8_get_char (reason);
  char upper[8] = { 0 };

  g_unichar_to_utf8 (g_unichar_toupper (first), upper);
  return g_strconcat (upper, g_utf8_next_char (reason), NULL);
}

static void
rebuild_example_rows (HeraldTemplateEditor *self);

static void
update_actions (HeraldTemplateEditor *self)
{
  HeraldTemplateStatus status = herald_template_get_status (self->template);
  gboolean can_submit = status == HERALD_TEMPLATE_DRAFT || status == HERALD_TEMPLATE_REJECTED;
  g_autofree char *sandbox_label = herald_templates_page_sandbox_label (self->template);
  g_autofree char *subtitle = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->valid && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.submit", self->valid && !self->busy && can_submit);
  gtk_widget_set_visible (self->submit_button, can_submit);
  /* Meta's status, and the Sandbox's review beside it, named as such. */
  if (herald_template_get_id (self->template) == 0)
    subtitle = g_strdup (_("Draft, not saved yet"));
  else if (sandbox_label != NULL)
    /* Translators: Meta's status · the Sandbox's review, e.g. "Draft · Sandbox: Approved" */
    subtitle = g_strdup_printf (_("%s · %s"), herald_templates_page_status_label (status, NULL), sandbox_label);
  else
    subtitle = g_strdup (herald_templates_page_status_label (status, NULL));
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
update (HeraldTemplateEditor *self)
{
  g_autoptr(GPtrArray) problems = NULL;
  GString *messages[HERALD_TEMPLATE_FIELD_BUTTONS + 1] = { NULL };
  HeraldHeaderType header_type;

  if (self->loading)
    return;

  read_fields (self);
  problems = herald_template_check (self->template);
  self->valid = problems->len == 0;

  for (guint i = 0; i < problems->len; i++)
    {
      HeraldTemplateProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *reason = NULL;

      if (problem->field > HERALD_TEMPLATE_FIELD_BUTTONS || !(self->touched & (1u << problem->field)))
        continue;
      reason = reason_without_field (problem->message);
      if (messages[problem->field] == NULL)
        messages[problem->field] = g_string_new (reason);
      else
        g_string_append_printf (messages[problem->field], "\n%s", reason);
    }

#define MESSAGE(f) (messages[f] != NULL ? messages[f]->str : NULL)
  herald_ui_show_field_problem (GTK_WIDGET (self->name_row), self->name_error, MESSAGE (HERALD_TEMPLATE_FIELD_NAME));
  herald_ui_show_field_problem (GTK_WIDGET (self->language_row), self->language_error, MESSAGE (HERALD_TEMPLATE_FIELD_LANGUAGE));
  herald_ui_show_field_problem (GTK_WIDGET (self->category_row), self->category_error, MESSAGE (HERALD_TEMPLATE_FIELD_CATEGORY));
  herald_ui_show_field_problem (GTK_WIDGET (self->header_row), self->header_error, MESSAGE (HERALD_TEMPLATE_FIELD_HEADER));
  herald_ui_show_field_problem (GTK_WIDGET (self->body_view), self->body_error_label, MESSAGE (HERALD_TEMPLATE_FIELD_BODY));
  herald_ui_show_field_problem (GTK_WIDGET (self->footer_row), self->footer_error, MESSAGE (HERALD_TEMPLATE_FIELD_FOOTER));
  herald_ui_show_field_problem (NULL, self->buttons_error_label, MESSAGE (HERALD_TEMPLATE_FIELD_BUTTONS));
#undef MESSAGE
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    if (messages[i] != NULL)
      g_string_free (messages[i], TRUE);

  header_type = herald_template_get_header_type (self->template);
  gtk_widget_set_visible (GTK_WIDGET (self->header_row), header_type != HERALD_HEADER_NONE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->header_row),
                                 header_type == HERALD_HEADER_TEXT ? _("Header text")
                                                                   : _("Sample media link (optional, https://)"));

  rebuild_example_rows (self);
  herald_message_bubble_set_template (self->bubble, self->template, self->examples);
  update_actions (self);
}

static void
touch (HeraldTemplateEditor *self,
       HeraldTemplateField   field)
{
  if (!self->loading)
    self->touched |= 1u << field;
  update (self);
}

static void
on_name_changed_cb (HeraldTemplateEditor *self)
{
  touch (self, HERALD_TEMPLATE_FIELD_NAME);
}

static void
on_language_changed_cb (HeraldTemplateEditor *self)
{
  touch (self, HERALD_TEMPLATE_FIELD_LANGUAGE);
}

static void
on_category_changed_cb (HeraldTemplateEditor *self)
{
  touch (self, HERALD_TEMPLATE_FIELD_CATEGORY);
}

static void
on_header_type_changed_cb (HeraldTemplateEditor *self)
{
  touch (self, HERALD_TEMPLATE_FIELD_HEADER);
}

static void
on_header_changed_cb (HeraldTemplateEditor *self)
{
  touch (self, HERALD_TEMPLATE_FIELD_HEADER);
}

static void
on_body_changed_cb (HeraldTemplateEditor *self)
{
  touch (self, HERALD_TEMPLATE_FIELD_BODY);
}

static void
on_footer_changed_cb (HeraldTemplateEditor *self)
{
  touch (self, HERALD_TEMPLATE_FIELD_FOOTER);
}

/* Examples */

static void
on_example_changed_cb (GtkEditable          *row,
                       HeraldTemplateEditor *self)
{
  const char *name = g_object_get_data (G_OBJECT (row), "variable-name");

  g_hash_table_replace (self->examples, g_strdup (name), g_strdup (gtk_editable_get_text (row)));
  update (self);
}

/* One entry per variable, remade only when the variables change, so typing
 * in one keeps its focus. */
static void
rebuild_example_rows (HeraldTemplateEditor *self)
{
  g_auto(GStrv) names = herald_template_get_variable_names (self->template);
  g_autofree char *joined = g_strjoinv ("\n", names);

  if (g_strcmp0 (joined, self->example_names) == 0)
    return;

  g_free (self->example_names);
  self->example_names = g_steal_pointer (&joined);

  for (guint i = 0; i < self->example_rows->len; i++)
    adw_preferences_group_remove (self->examples_group, g_ptr_array_index (self->example_rows, i));
  g_ptr_array_set_size (self->example_rows, 0);

  for (guint i = 0; names[i] != NULL; i++)
    {
      GtkWidget *row = adw_entry_row_new ();
      const char *value = g_hash_table_lookup (self->examples, names[i]);
      g_autofree char *title = NULL;

      if (g_str_has_prefix (names[i], "url."))
        title = g_strdup_printf (_("Example end of web address %s"), names[i] + 4);
      else
        title = g_strdup_printf (_("Example for {{%s}}"), names[i]);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
      g_object_set_data_full (G_OBJECT (row), "variable-name", g_strdup (names[i]), g_free);
      g_signal_connect (row, "changed", G_CALLBACK (on_example_changed_cb), self);
      adw_preferences_group_add (self->examples_group, row);
      g_ptr_array_add (self->example_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->examples_group), names[0] != NULL);
}

/* Buttons */

static void
button_row_free (gpointer pointer)
{
  g_free (pointer);
}

static void
on_button_field_changed_cb (GtkEditable *editable,
                            ButtonRow   *row)
{
  if (row->text_row != NULL)
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->expander),
                                   gtk_editable_get_text (GTK_EDITABLE (row->text_row)));
  touch (row->editor, HERALD_TEMPLATE_FIELD_BUTTONS);
}

static void
on_button_remove_clicked_cb (GtkButton *button,
                             ButtonRow *row)
{
  HeraldTemplateEditor *self = row->editor;

  adw_preferences_group_remove (self->buttons_group, row->expander);
  g_ptr_array_remove (self->buttons, row);
  touch (self, HERALD_TEMPLATE_FIELD_BUTTONS);
}

static GtkWidget *
add_entry (ButtonRow  *row,
           const char *title,
           const char *text)
{
  GtkWidget *entry = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  g_signal_connect (entry, "changed", G_CALLBACK (on_button_field_changed_cb), row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander), entry);
  return entry;
}

static void
add_button_row (HeraldTemplateEditor       *self,
                const HeraldTemplateButton *button)
{
  ButtonRow *row = g_new0 (ButtonRow, 1);
  GtkWidget *remove;

  row->editor = self;
  row->type = button->type;
  row->expander = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->expander), button_type_title (button->type));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->expander), button->text != NULL ? button->text : "");

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove Button"));
  gtk_widget_add_css_class (remove, "flat");
  g_signal_connect (remove, "clicked", G_CALLBACK (on_button_remove_clicked_cb), row);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row->expander), remove);

  /* WhatsApp labels a copy-code button itself ("Copy code"). */
  if (button->type != HERALD_TEMPLATE_BUTTON_COPY_CODE)
    row->text_row = add_entry (row, _("Label (up to 25 characters)"), button->text);
  switch (button->type)
    {
    case HERALD_TEMPLATE_BUTTON_URL:
      row->detail_row = add_entry (row, _("Web address, may end in {{1}}"), button->url);
      break;
    case HERALD_TEMPLATE_BUTTON_PHONE_NUMBER:
      row->detail_row = add_entry (row, _("Phone number with country code"), button->phone_number);
      break;
    case HERALD_TEMPLATE_BUTTON_COPY_CODE:
      row->detail_row = add_entry (row, _("Offer code"), button->example);
      break;
    case HERALD_TEMPLATE_BUTTON_QUICK_REPLY:
    default:
      break;
    }

  adw_preferences_group_add (self->buttons_group, row->expander);
  g_ptr_array_add (self->buttons, row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row->expander), !self->loading);
}

static void
add_button_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HeraldTemplateEditor *self = HERALD_TEMPLATE_EDITOR (widget);
  HeraldTemplateButton button = { 0 };

  if (!herald_template_button_type_from_string (g_variant_get_string (parameter, NULL), &button.type))
    return;

  add_button_row (self, &button);
  touch (self, HERALD_TEMPLATE_FIELD_BUTTONS);
}

static void
language_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HeraldTemplateEditor *self = HERALD_TEMPLATE_EDITOR (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->language_row), g_variant_get_string (parameter, NULL));
}

static void
insert_variable_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  HeraldTemplateEditor *self = HERALD_TEMPLATE_EDITOR (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  g_auto(GStrv) names = herald_template_get_body_variable_names (self->template);
  g_autofree char *variable = NULL;

  if (herald_template_uses_named_variables (self->template))
    variable = g_strdup ("{{name}}");
  else
    variable = g_strdup_printf ("{{%u}}", g_strv_length (names) + 1);

  gtk_text_buffer_insert_at_cursor (buffer, variable, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
}

/* Saving */

static gpointer
save_job (HeraldStore   *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  HeraldTemplate *template = data;

  if (!herald_store_save_template (store, template, error))
    return NULL;
  return g_object_ref (template);
}

/* Keeps what the store gave the template (id, times) on ours. */
static void
take_stored (HeraldTemplateEditor *self,
             HeraldTemplate       *stored)
{
  herald_template_set_id (self->template, herald_template_get_id (stored));
  herald_template_set_created_at (self->template, herald_template_get_created_at (stored));
  herald_template_set_updated_at (self->template, herald_template_get_updated_at (stored));
}

static void
show_save_error (HeraldTemplateEditor *self,
                 const GError         *error)
{
  /* The store names the field first; a taken name belongs under the name. */
  if (g_str_has_prefix (error->message, _("Name")))
    {
      g_autofree char *reason = reason_without_field (error->message);

      herald_ui_show_field_problem (GTK_WIDGET (self->name_row), self->name_error, reason);
    }
  else
    toast (self, error->message);
}

static void
on_submitted_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  HeraldTemplateEditor *self;

  if (!herald_templates_cloud_submit_finish (HERALD_STORE_WORKER (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = HERALD_TEMPLATE_EDITOR (user_data);
  self->busy = FALSE;
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Not submitted: %s"), error->message);

      toast (self, message);
    }
  else
    {
      HeraldTemplateStatus status = herald_template_get_status (self->template);

      /* Meta's answer moves its status on; the Sandbox's leaves it be. */
      if ((status == HERALD_TEMPLATE_DRAFT || status == HERALD_TEMPLATE_REJECTED) &&
          herald_template_get_sandbox_status (self->template) != HERALD_TEMPLATE_SANDBOX_NONE)
        toast (self, _("Submitted to the Sandbox for review; Meta has not seen it"));
      else
        toast (self, _("Submitted to Meta for review"));
      g_signal_emit (self, signals[SAVED], 0, self->template);
    }
  update_actions (self);
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldTemplate) stored = NULL;
  HeraldTemplateEditor *self;
  gboolean submit;

  stored = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (stored == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = HERALD_TEMPLATE_EDITOR (user_data);
  submit = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "submit-after-save"));
  if (stored == NULL)
    {
      self->busy = FALSE;
      show_save_error (self, error);
      update_actions (self);
      return;
    }

  take_stored (self, stored);
  if (!submit)
    {
      g_signal_emit (self, signals[SAVED], 0, stored);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, stored);
  herald_templates_cloud_submit_async (self->worker, self->template, self->cancellable,
                                       on_submitted_cb, self);
}

static HeraldTemplate *
copy_template (HeraldTemplate *template)
{
  HeraldTemplate *copy = herald_template_new ();

  herald_template_set_id (copy, herald_template_get_id (template));
  herald_template_set_name (copy, herald_template_get_name (template));
  herald_template_set_language (copy, herald_template_get_language (template));
  herald_template_set_category (copy, herald_template_get_category (template));
  herald_template_set_body (copy, herald_template_get_body (template));
  herald_template_set_header_type (copy, herald_template_get_header_type (template));
  herald_template_set_header_content (copy, herald_template_get_header_content (template));
  herald_template_set_footer (copy, herald_template_get_footer (template));
  herald_template_set_buttons (copy, herald_template_get_buttons (template));
  herald_template_set_examples (copy, herald_template_get_examples (template));
  herald_template_set_status (copy, herald_template_get_status (template));
  herald_template_set_meta_template_id (copy, herald_template_get_meta_template_id (template));
  herald_template_set_rejected_reason (copy, herald_template_get_rejected_reason (template));
  herald_template_set_sandbox_status (copy, herald_template_get_sandbox_status (template));
  herald_template_set_created_at (copy, herald_template_get_created_at (template));
  herald_template_set_updated_at (copy, herald_template_get_updated_at (template));
  return copy;
}

static void
start_save (HeraldTemplateEditor *self,
            gboolean              submit)
{
  update (self);
  if (!self->valid || self->busy)
    return;

  self->busy = TRUE;
  update_actions (self);
  g_object_set_data (G_OBJECT (self), "submit-after-save", GINT_TO_POINTER (submit));
  /* The worker thread writes the id onto its own copy. */
  herald_store_worker_run_async (self->worker, save_job, copy_template (self->template), g_object_unref,
                                 g_object_unref, self->cancellable, on_saved_cb, self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  start_save (HERALD_TEMPLATE_EDITOR (widget), FALSE);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  start_save (HERALD_TEMPLATE_EDITOR (widget), TRUE);
}

/* Loading */

static void
load_examples (HeraldTemplateEditor *self)
{
  const char *json = herald_template_get_examples (self->template);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (json == NULL || json[0] == '\0')
    return;
  root = json_from_string (json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_hash_table_replace (self->examples, g_strdup (l->data), g_strdup (json_node_get_string (node)));
    }
}

static void
load_template (HeraldTemplateEditor *self)
{
  HeraldTemplate *template = self->template;
  const char *text;

  self->loading = TRUE;

  text = herald_template_get_name (template);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), text != NULL ? text : "");
  text = herald_template_get_language (template);
  gtk_editable_set_text (GTK_EDITABLE (self->language_row), text != NULL ? text : "en_US");
  adw_combo_row_set_selected (self->category_row, herald_template_get_category (template));
  for (guint i = 0; i < G_N_ELEMENTS (header_types); i++)
    if (header_types[i] == herald_template_get_header_type (template))
      adw_combo_row_set_selected (self->header_type_row, i);
  text = herald_template_get_header_content (template);
  gtk_editable_set_text (GTK_EDITABLE (self->header_row), text != NULL ? text : "");
  text = herald_template_get_body (template);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), text != NULL ? text : "", -1);
  text = herald_template_get_footer (template);
  gtk_editable_set_text (GTK_EDITABLE (self->footer_row), text != NULL ? text : "");
  for (guint i = 0; i < herald_template_get_n_buttons (template); i++)
    add_button_row (self, herald_template_get_button (template, i));
  load_examples (self);

  self->loading = FALSE;

  /* A stored template shows all its problems at once; a new one only those
   * of the fields the user has typed in. */
  if (herald_template_get_id (template) != 0)
    self->touched = ~0u;

  adw_window_title_set_title (self->window_title,
                              herald_template_get_id (template) == 0 ? _("New Template") : _("Edit Template"));
  update (self);
}

static void
herald_template_editor_constructed (GObject *object)
{
  HeraldTemplateEditor *self = HERALD_TEMPLATE_EDITOR (object);

  G_OBJECT_CLASS (herald_template_editor_parent_class)->constructed (object);

  if (self->template == NULL)
    self->template = herald_template_new ();
  load_template (self);
}

static void
herald_template_editor_dispose (GObject *object)
{
  HeraldTemplateEditor *self = HERALD_TEMPLATE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_TEMPLATE_EDITOR);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  g_clear_object (&self->template);

  G_OBJECT_CLASS (herald_template_editor_parent_class)->dispose (object);
}

static void
herald_template_editor_finalize (GObject *object)
{
  HeraldTemplateEditor *self = HERALD_TEMPLATE_EDITOR (object);

  g_clear_pointer (&self->buttons, g_ptr_array_unref);
  g_clear_pointer (&self->examples, g_hash_table_unref);
  g_clear_pointer (&self->example_rows, g_ptr_array_unref);
  g_free (self->example_names);

  G_OBJECT_CLASS (herald_template_editor_parent_class)->finalize (object);
}

static void
herald_template_editor_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HeraldTemplateEditor *self = HERALD_TEMPLATE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;
    case PROP_TEMPLATE:
      g_value_set_object (value, self->template);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_template_editor_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  HeraldTemplateEditor *self = HERALD_TEMPLATE_EDITOR (object);
  HeraldTemplate *template;

  switch (prop_id)
    {
    case PROP_WORKER:
      self->worker = g_value_dup_object (value);
      break;
    case PROP_TEMPLATE:
      template = g_value_get_object (value);
      if (template != NULL)
        self->template = copy_template (template);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_template_editor_class_init (HeraldTemplateEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = herald_template_editor_constructed;
  object_class->dispose = herald_template_editor_dispose;
  object_class->finalize = herald_template_editor_finalize;
  object_class->get_property = herald_template_editor_get_property;
  object_class->set_property = herald_template_editor_set_property;

  /**
   * HeraldTemplateEditor:worker: the store worker saving runs on.
   */
  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, HERALD_TYPE_STORE_WORKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * HeraldTemplateEditor:template: the template edited (a copy is kept), NULL for a new one.
   */
  properties[PROP_TEMPLATE] =
    g_param_spec_object ("template", NULL, NULL, HERALD_TYPE_TEMPLATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HeraldTemplateEditor::saved: the template is in the store now, as given.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, HERALD_TYPE_TEMPLATE);

  g_type_ensure (HERALD_TYPE_MESSAGE_BUBBLE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-template-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, submit_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, name_error);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, language_error);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, category_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, category_error);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, header_type_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, header_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, header_error);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, body_view);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, body_error_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, footer_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, footer_error);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, buttons_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, buttons_error_label);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, examples_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplateEditor, bubble);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_language_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_category_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_header_type_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_header_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_footer_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "editor.add-button", "s", add_button_action);
  gtk_widget_class_install_action (widget_class, "editor.language", "s", language_action);
  gtk_widget_class_install_action (widget_class, "editor.insert-variable", NULL, insert_variable_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
herald_template_editor_init (HeraldTemplateEditor *self)
{
  GtkWidget *error_rows[5];

  self->cancellable = g_cancellable_new ();
  self->buttons = g_ptr_array_new_with_free_func (button_row_free);
  self->examples = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->example_rows = g_ptr_array_new ();
  self->loading = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  error_rows[0] = self->name_error;
  error_rows[1] = self->language_error;
  error_rows[2] = self->category_error;
  error_rows[3] = self->header_error;
  error_rows[4] = self->footer_error;
  for (guint i = 0; i < G_N_ELEMENTS (error_rows); i++)
    gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (error_rows[i]), herald_ui_field_problem_label_new ());

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->body_view), "changed",
                            G_CALLBACK (on_body_changed_cb), self);
}

HeraldTemplateEditor *
herald_template_editor_new (HeraldStoreWorker *worker,
                            HeraldTemplate    *template)
{
  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);
  g_return_val_if_fail (template == NULL || HERALD_IS_TEMPLATE (template), NULL);

  return g_object_new (HERALD_TYPE_TEMPLATE_EDITOR,
                       "worker", worker,
                       "template", template,
                       NULL);
}

HeraldTemplate *
herald_template_editor_get_template (HeraldTemplateEditor *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE_EDITOR (self), NULL);

  return self->template;
}
