/* herald-templates-page.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-template-editor.h"
#include "herald-templates-cloud.h"
#include "herald-templates-page.h"
#include "herald-ui-utils.h"

struct _HeraldTemplatesPage
{
  HeraldPage          parent_instance;

  GListStore         *templates;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  gboolean            loaded;
  gboolean            syncing;

  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListBox         *list_box;
  GtkWidget          *toolbar;
};

G_DEFINE_FINAL_TYPE (HeraldTemplatesPage, herald_templates_page, HERALD_TYPE_PAGE)

static void
update_stack (HeraldTemplatesPage *self)
{
  const char *page;

  page = herald_ui_show_list_state (self->stack, g_list_model_get_n_items (G_LIST_MODEL (self->filtered)),
                                    !self->loaded,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->templates)) > 0);
  /* The empty page offers both actions itself, and there is nothing to search. */
  gtk_widget_set_visible (self->toolbar, g_strcmp0 (page, "empty") != 0);
}

/* Rows */

const char *
herald_templates_page_status_label (HeraldTemplateStatus   status,
                                    const char           **css_class)
{
  const char *label_text;
  const char *unused_class;

  if (css_class == NULL)
    css_class = &unused_class;

  switch (status)
    {
    case HERALD_TEMPLATE_APPROVED:
      label_text = _("Approved");
      *css_class = "success";
      break;
    case HERALD_TEMPLATE_PENDING:
      label_text = _("In Review");
      *css_class = "warning";
      break;
    case HERALD_TEMPLATE_IN_APPEAL:
      label_text = _("In Appeal");
      *css_class = "warning";
      break;
    case HERALD_TEMPLATE_PENDING_DELETION:
      label_text = _("Being Deleted");
      *css_class = "warning";
      break;
    case HERALD_TEMPLATE_REJECTED:
      label_text = _("Rejected");
      *css_class = "error";
      break;
    case HERALD_TEMPLATE_PAUSED:
      label_text = _("Paused");
      *css_class = "error";
      break;
    case HERALD_TEMPLATE_DISABLED:
      label_text = _("Disabled");
      *css_class = "error";
      break;
    case HERALD_TEMPLATE_LIMIT_EXCEEDED:
      label_text = _("Limit Exceeded");
      *css_class = "error";
      break;
    case HERALD_TEMPLATE_DELETED:
      label_text = _("Deleted");
      *css_class = "dim-label";
      break;
    case HERALD_TEMPLATE_ARCHIVED:
      label_text = _("Archived");
      *css_class = "dim-label";
      break;
    case HERALD_TEMPLATE_DRAFT:
    default:
      label_text = _("Draft");
      *css_class = "dim-label";
      break;
    }

  return label_text;
}

char *
herald_templates_page_sandbox_label (HeraldTemplate *template)
{
  int reviewed;

  g_return_val_if_fail (HERALD_IS_TEMPLATE (template), NULL);

  reviewed = herald_template_get_sandbox_status (template);
  if (reviewed == HERALD_TEMPLATE_SANDBOX_NONE)
    return NULL;
  /* Translators: the Sandbox's review of a template, e.g. "Sandbox: Approved" */
  return g_strdup_printf (_("Sandbox: %s"), herald_templates_page_status_label (reviewed, NULL));
}

static const char *
category_label (HeraldTemplateCategory category)
{
  switch (category)
    {
    case HERALD_TEMPLATE_CATEGORY_UTILITY:
      return _("Utility");
    case HERALD_TEMPLATE_CATEGORY_AUTHENTICATION:
      return _("Authentication");
    case HERALD_TEMPLATE_CATEGORY_MARKETING:
    default:
      return _("Marketing");
    }
}

static void
on_delete_clicked_cb (GtkButton *button,
                      gpointer   user_data)
{
  HeraldTemplate *template = g_object_get_data (G_OBJECT (button), "template");

  gtk_widget_activate_action (GTK_WIDGET (button), "templates.delete", "x",
                              herald_template_get_id (template));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  HeraldTemplate *template = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badge;
  GtkWidget *delete;
  const char *status_label;
  const char *status_class;
  const char *body = herald_template_get_body (template);
  g_autofree char *first_line = g_strdup (body != NULL ? body : "");
  g_autofree char *subtitle = NULL;
  g_autofree char *sandbox_label = NULL;
  char *newline = strchr (first_line, '\n');

  if (newline != NULL)
    *newline = '\0';

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), herald_template_get_name (template));
  subtitle = g_strdup_printf ("%s · %s · %s", herald_template_get_language (template),
                              category_label (herald_template_get_category (template)), first_line);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "template", g_object_ref (template), g_object_unref);

  status_label = herald_templates_page_status_label (herald_template_get_status (template), &status_class);
  badge = herald_ui_badge_new (status_label, status_class, herald_template_get_rejected_reason (template));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
  sandbox_label = herald_templates_page_sandbox_label (template);
  if (sandbox_label != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               herald_ui_badge_new (sandbox_label, "sandbox",
                                                    _("The Sandbox’s review, not Meta’s: "
                                                      "only the Sandbox number sends on it")));

  delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (delete, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (delete, _("Delete Template"));
  gtk_widget_add_css_class (delete, "flat");
  g_object_set_data_full (G_OBJECT (delete), "template", g_object_ref (template), g_object_unref);
  g_signal_connect (delete, "clicked", G_CALLBACK (on_delete_clicked_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), delete);

  return row;
}

static gboolean
filter_template (gpointer item,
                 gpointer user_data)
{
  HeraldTemplatesPage *self = user_data;
  HeraldTemplate *template = item;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *fields[] = {
    herald_template_get_name (template),
    herald_template_get_language (template),
    herald_template_get_body (template),
  };
  g_autofree char *needle = NULL;

  if (search == NULL || search[0] == '\0')
    return TRUE;

  needle = g_utf8_casefold (search, -1);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *haystack = fields[i] != NULL ? g_utf8_casefold (fields[i], -1) : NULL;

      if (haystack != NULL && strstr (haystack, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
on_search_changed_cb (HeraldTemplatesPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_stack (self);
}

/* Loading */

static gpointer
list_job (HeraldStore   *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  GPtrArray *templates = herald_store_list_templates (store, FALSE, error);

  if (templates == NULL)
    g_prefix_error (error, _("Could not read the templates: "));
  return templates;
}

static void
on_listed (HeraldPage   *page,
           gpointer      result,
           const GError *error,
           gpointer      user_data)
{
  HeraldTemplatesPage *self = HERALD_TEMPLATES_PAGE (page);
  g_autoptr(GPtrArray) templates = result;

  /* A failed read shows what there was, or the empty page. */
  self->loaded = TRUE;
  if (templates != NULL)
    g_list_store_splice (self->templates, 0, g_list_model_get_n_items (G_LIST_MODEL (self->templates)),
                         templates->pdata, templates->len);
  update_stack (self);
}

/* Also each time the page is shown: the CLI or a sync may have changed them. */
static void
herald_templates_page_reload (HeraldPage *page)
{
  herald_page_run (page, list_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref, on_listed, NULL, NULL);
}

/* The editor */

static void
on_editor_saved_cb (HeraldTemplateEditor *editor,
                    HeraldTemplate       *template,
                    HeraldPage           *page)
{
  herald_page_reload (page);
}

static void
open_editor (HeraldTemplatesPage *self,
             HeraldTemplate      *template)
{
  HeraldTemplateEditor *editor = herald_template_editor_new (herald_page_get_worker (HERALD_PAGE (self)), template);

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved_cb), self, 0);
  herald_ui_present (GTK_WIDGET (self), GTK_WINDOW (editor));
}

static void
on_row_activated_cb (HeraldTemplatesPage *self,
                     GtkListBoxRow       *row)
{
  open_editor (self, g_object_get_data (G_OBJECT (row), "template"));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_editor (HERALD_TEMPLATES_PAGE (widget), NULL);
}

/* Deleting */

static gpointer
delete_job (HeraldStore   *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  gint64 *id = data;

  if (!herald_store_delete_template (store, *id, error))
    return NULL;
  return HERALD_STORE_WORKER_TRUE;
}

static void
delete_confirmed (GtkWidget *widget,
                  gpointer   user_data)
{
  herald_page_run_then_toast (HERALD_PAGE (widget), delete_job, g_memdup2 (user_data, sizeof (gint64)), g_free, NULL,
                              _("Template deleted"));
}

static HeraldTemplate *
find_template (HeraldTemplatesPage *self,
               gint64               id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->templates));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HeraldTemplate) template = g_list_model_get_item (G_LIST_MODEL (self->templates), i);

      if (herald_template_get_id (template) == id)
        return template;
    }
  return NULL;
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HeraldTemplatesPage *self = HERALD_TEMPLATES_PAGE (widget);
  gint64 id = g_variant_get_int64 (parameter);
  HeraldTemplate *template = find_template (self, id);
  g_autofree char *heading = NULL;

  if (template == NULL)
    return;

  heading = g_strdup_printf (_("Delete “%s”?"), herald_template_get_name (template));
  herald_ui_confirm (widget, heading,
                     _("The template is removed from Herald. Meta keeps its own copy until you delete it in WhatsApp Manager."),
                     NULL, "delete", _("_Delete"), delete_confirmed, g_memdup2 (&id, sizeof id), g_free);
}

/* Syncing */

static void
set_syncing (HeraldTemplatesPage *self,
             gboolean             syncing)
{
  self->syncing = syncing;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.sync", !syncing);
}

static void
on_synced_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  HeraldTemplateSyncSummary summary = { 0 };
  HeraldTemplatesPage *self;
  g_autofree char *message = NULL;

  if (!herald_templates_cloud_sync_finish (HERALD_STORE_WORKER (source), result, &summary, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = HERALD_TEMPLATES_PAGE (user_data);
  set_syncing (self, FALSE);
  if (error != NULL)
    message = g_strdup_printf (_("Sync failed: %s"), error->message);
  else if (summary.skipped > 0)
    /* Translators: counts of templates */
    message = g_strdup_printf (_("Synced: %u new, %u updated, %u left out (not valid here)"),
                               summary.added, summary.updated, summary.skipped);
  else
    message = g_strdup_printf (_("Synced: %u new, %u updated"), summary.added, summary.updated);
  herald_page_toast (HERALD_PAGE (self), message);
  herald_page_reload (HERALD_PAGE (self));
}

static void
start_sync (HeraldTemplatesPage *self,
            const char          *phone_number_id)
{
  set_syncing (self, TRUE);
  herald_templates_cloud_sync_async (herald_page_get_worker (HERALD_PAGE (self)), phone_number_id,
                                     herald_page_get_cancellable (HERALD_PAGE (self)), on_synced_cb, self);
}

static void
on_number_chosen_cb (AdwMessageDialog    *dialog,
                     const char          *response,
                     HeraldTemplatesPage *self)
{
  GtkDropDown *drop_down = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  GPtrArray *numbers = g_object_get_data (G_OBJECT (dialog), "numbers");
  guint selected = gtk_drop_down_get_selected (drop_down);

  if (g_strcmp0 (response, "sync") != 0 || selected >= numbers->len)
    return;

  start_sync (self, herald_number_get_phone_number_id (g_ptr_array_index (numbers, selected)));
}

static gpointer
numbers_job (HeraldStore   *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GPtrArray) numbers = herald_store_list_numbers (store, error);

  if (numbers == NULL)
    return NULL;

  for (guint i = numbers->len; i > 0; i--)
    if (!herald_number_get_is_active (g_ptr_array_index (numbers, i - 1)))
      g_ptr_array_remove_index (numbers, i - 1);
  return g_steal_pointer (&numbers);
}

/* The account's templates are the same whichever number asks, but each
 * number has its own token: with several, the user picks whose to use. */
static void
on_numbers (HeraldPage   *page,
            gpointer      result,
            const GError *error,
            gpointer      user_data)
{
  HeraldTemplatesPage *self = HERALD_TEMPLATES_PAGE (page);
  g_autoptr(GPtrArray) numbers = result;
  g_autoptr(GtkStringList) names = NULL;
  GtkWidget *dialog;
  GtkWidget *drop_down;

  if (numbers == NULL)
    {
      set_syncing (self, FALSE);
      return;
    }
  if (numbers->len == 0)
    {
      set_syncing (self, FALSE);
      herald_page_toast (HERALD_PAGE (self), _("Add a WhatsApp number on the Numbers page first"));
      return;
    }
  if (numbers->len == 1)
    {
      start_sync (self, herald_number_get_phone_number_id (g_ptr_array_index (numbers, 0)));
      return;
    }

  set_syncing (self, FALSE);
  names = gtk_string_list_new (NULL);
  for (guint i = 0; i < numbers->len; i++)
    {
      HeraldNumber *number = g_ptr_array_index (numbers, i);
      const char *display_name = herald_number_get_display_name (number);
      g_autofree char *name = NULL;

      if (display_name != NULL && display_name[0] != '\0')
        name = g_strdup_printf ("%s (%s)", display_name, herald_number_get_phone_number (number));
      else
        name = g_strdup (herald_number_get_phone_number (number));
      gtk_string_list_append (names, name);
    }

  dialog = adw_message_dialog_new (herald_ui_get_window (GTK_WIDGET (self)),
                                   _("Sync Templates from Meta"),
                                   _("Templates and their review status are read with this number’s access token."));
  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), drop_down);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sync", _("_Sync"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sync", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sync");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "numbers", g_steal_pointer (&numbers),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_number_chosen_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HeraldTemplatesPage *self = HERALD_TEMPLATES_PAGE (widget);

  if (self->syncing)
    return;

  set_syncing (self, TRUE);
  herald_page_run (HERALD_PAGE (self), numbers_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                   on_numbers, NULL, NULL);
}

/* GObject */

static void
herald_templates_page_dispose (GObject *object)
{
  HeraldTemplatesPage *self = HERALD_TEMPLATES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HERALD_TYPE_TEMPLATES_PAGE);
  g_clear_object (&self->filtered);
  g_clear_object (&self->templates);

  G_OBJECT_CLASS (herald_templates_page_parent_class)->dispose (object);
}

static void
herald_templates_page_class_init (HeraldTemplatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_templates_page_dispose;
  HERALD_PAGE_CLASS (klass)->reload = herald_templates_page_reload;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-templates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, HeraldTemplatesPage, toolbar);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "templates.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "templates.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "templates.delete", "x", delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "templates.new", NULL);
}

static void
herald_templates_page_init (HeraldTemplatesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->templates = g_list_store_new (HERALD_TYPE_TEMPLATE);
  self->filter = gtk_custom_filter_new (filter_template, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->templates)),
                                              GTK_FILTER (self->filter));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered), create_row, self, NULL);
}

GtkWidget *
herald_templates_page_new (HeraldStoreWorker *worker)
{
  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);

  return g_object_new (HERALD_TYPE_TEMPLATES_PAGE, "worker", worker, NULL);
}

GListModel *
herald_templates_page_get_templates (HeraldTemplatesPage *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATES_PAGE (self), NULL);

  return G_LIST_MODEL (self->templates);
}
