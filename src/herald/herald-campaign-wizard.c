/* herald-campaign-wizard.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "herald-campaign.h"
#include "herald-campaign-wizard.h"
#include "herald-contact-chooser.h"
#include "herald-import-dialog.h"
#include "herald-message-bubble.h"
#include "herald-message-log.h"
#include "herald-sandbox.h"
#include "herald-secrets.h"
#include "herald-ui-utils.h"

static const char * const steps[] = { "number", "template", "audience", "variables", "preflight" };

/* Where a variable's value comes from: the binding strings of
 * herald_campaign_spec_bind (); then one "attr:KEY" per custom attribute
 * the audience has, then fixed text ("="). */
static const char * const field_sources[] = { "name", "mobile_number", "email", "notes" };

/* The audience sample is read from at most this many contacts: enough to
 * find the attribute keys a CSV file brought, without reading a whole
 * large store on every visit to the variables step. */
#define AUDIENCE_SCAN_MAX 10000
#define AUDIENCE_PAGE 500
#define PREVIEW_CONTACTS_MAX 20

typedef enum
{
  AUDIENCE_ALL,
  AUDIENCE_CHOSEN,
  AUDIENCE_IMPORTED,
} Audience;

static const char * const audience_names[] = { "all", "chosen", "imported" };

typedef struct
{
  GPtrArray *numbers;    /* HeraldNumber */
  GPtrArray *templates;  /* HeraldTemplate, all; filter_templates () shows a number's */
  gint64     n_contacts;
} Choices;

static void
choices_free (Choices *choices)
{
  g_clear_pointer (&choices->numbers, g_ptr_array_unref);
  g_clear_pointer (&choices->templates, g_ptr_array_unref);
  g_free (choices);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Choices, choices_free)

/* Who the campaign goes to, as the worker jobs need it (a copy). */
typedef struct
{
  Audience  audience;
  GArray   *contact_ids;    /* AUDIENCE_CHOSEN */
  char     *changed_since;  /* AUDIENCE_IMPORTED */
} AudienceSpec;

static void
audience_spec_free (AudienceSpec *spec)
{
  g_clear_pointer (&spec->contact_ids, g_array_unref);
  g_free (spec->changed_since);
  g_free (spec);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AudienceSpec, audience_spec_free)

/* A few recipients to preview for, and the attribute keys they have. */
typedef struct
{
  GPtrArray    *contacts;   /* HeraldContact */
  GPtrArray    *keys;       /* char *, sorted */
} AudienceSample;

static void
audience_sample_free (AudienceSample *sample)
{
  g_clear_pointer (&sample->contacts, g_ptr_array_unref);
  g_clear_pointer (&sample->keys, g_ptr_array_unref);
  g_free (sample);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AudienceSample, audience_sample_free)

struct _HeraldCampaignWizard
{
  AdwWindow             parent_instance;

  HeraldStoreWorker    *worker;
  GCancellable         *cancellable;
  GCancellable         *sample_cancellable;
  Choices              *choices;
  guint                 step;
  gint64                number_id;
  HeraldTemplate       *template;     /* chosen */
  Audience              audience;
  GArray               *chosen_ids;   /* gint64, from the chooser */
  char                 *imported_since;
  guint                 n_imported;
  AudienceSample       *sample;
  GStrv                 variables;
  GPtrArray            *binding_values;  /* GStrv per variable: the binding of each combo item */
  GPtrArray            *source_rows;  /* AdwComboRow per variable */
  GPtrArray            *text_rows;    /* AdwEntryRow per variable */
  AdwComboRow          *preview_row;
  char                 *preview_text;
  gint64                campaign_id;
  char                 *preflight_summary;
  gboolean              busy;
  gboolean              is_sandbox;

  AdwToastOverlay      *toast_overlay;
  GtkButton            *back_button;
  GtkButton            *next_button;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  AdwPreferencesGroup  *numbers_group;
  AdwPreferencesGroup  *templates_group;
  HeraldMessageBubble  *template_bubble;
  AdwPreferencesGroup  *audience_group;
  AdwPreferencesGroup  *variables_group;
  AdwPreferencesGroup  *preview_group;
  HeraldMessageBubble  *variables_bubble;
  AdwActionRow         *recipients_row;
  AdwActionRow         *limit_row;
  AdwActionRow         *time_row;
  AdwActionRow         *left_out_row;
  AdwEntryRow          *test_number_row;
  GtkWidget            *test_button;
  GList                *number_checks;   /* GtkCheckButton, data "id" */
  GList                *template_checks;
  GtkCheckButton       *audience_checks[G_N_ELEMENTS (audience_names)];
  AdwActionRow         *audience_rows[G_N_ELEMENTS (audience_names)];
};

G_DEFINE_FINAL_TYPE (HeraldCampaignWizard, herald_campaign_wizard, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (HeraldCampaignWizard *self,
       const char           *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
set_busy (HeraldCampaignWizard *self,
          gboolean              busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), herald_campaign_wizard_can_go_next (self));
}

static void
update_buttons (HeraldCampaignWizard *self)
{
  gboolean last = self->step == G_N_ELEMENTS (steps) - 1;

  gtk_button_set_label (self->back_button, self->step == 0 ? _("_Cancel") : _("_Back"));
  gtk_button_set_label (self->next_button, last ? _("_Send") : _("_Next"));
  adw_window_title_set_subtitle (self->window_title,
                                 gtk_stack_page_get_title (gtk_stack_get_page (self->stack,
                                                                                gtk_stack_get_visible_child (self->stack))));
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), herald_campaign_wizard_can_go_next (self));
}

/* Rows */

static GtkWidget *
check_row (const char      *title,
           const char      *subtitle,
           GtkCheckButton  *group,
           GtkCheckButton **check_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  *check_out = GTK_CHECK_BUTTON (check);
  return row;
}

/* A real number sends only what Meta approved (status); the Sandbox's own
 * approval (sandbox_status) never counts there. The Sandbox number sends
 * any template: the Sandbox approves it in its sim when the campaign
 * starts. herald-campaign.c's check_spec () holds the same rule. */
static void
filter_templates (HeraldCampaignWizard *self)
{
  GtkCheckButton *first = NULL;
  gboolean chosen_shown = FALSE;

  for (GList *l = self->template_checks; l != NULL; l = l->next)
    {
      HeraldTemplate *template = g_object_get_data (l->data, "template");
      gboolean shown = self->is_sandbox || herald_template_get_status (template) == HERALD_TEMPLATE_APPROVED;

      gtk_widget_set_visible (gtk_widget_get_ancestor (l->data, GTK_TYPE_LIST_BOX_ROW), shown);
      if (shown && first == NULL)
        first = l->data;
      if (shown && template == self->template)
        chosen_shown = TRUE;
      if (!shown && gtk_check_button_get_active (l->data))
        gtk_check_button_set_active (l->data, FALSE);
    }

  if (!chosen_shown && first != NULL)
    gtk_check_button_set_active (first, TRUE);
  else if (first == NULL)
    {
      g_clear_object (&self->template);
      herald_message_bubble_set_template (self->template_bubble, NULL, NULL);
    }

  adw_preferences_group_set_title (self->templates_group,
                                   self->is_sandbox ? _("Templates") : _("Approved Templates"));
  if (self->is_sandbox)
    adw_preferences_group_set_description (self->templates_group,
                                           _("The Sandbox approves any template in its simulation; "
                                             "real numbers send only those Meta approved"));
  else if (first == NULL)
    adw_preferences_group_set_description (self->templates_group,
                                           _("No approved template yet. Create one on the Templates page and submit it to Meta."));
  else
    adw_preferences_group_set_description (self->templates_group, _("Only templates Meta approved can be sent"));
}

static void
on_number_toggled_cb (GtkCheckButton       *check,
                      HeraldCampaignWizard *self)
{
  if (!gtk_check_button_get_active (check))
    return;
  self->number_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (check), "id"));
  self->is_sandbox = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "sandbox"));
  filter_templates (self);
  update_buttons (self);
}

static void
on_template_toggled_cb (GtkCheckButton       *check,
                        HeraldCampaignWizard *self)
{
  HeraldTemplate *template;

  if (!gtk_check_button_get_active (check))
    return;
  template = g_object_get_data (G_OBJECT (check), "template");
  g_set_object (&self->template, template);
  herald_message_bubble_set_template (self->template_bubble, template, NULL);
  update_buttons (self);
}

/* Audience */

static void
update_audience_rows (HeraldCampaignWizard *self)
{
  g_autofree char *all = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *imported = NULL;
  guint n_chosen = self->chosen_ids ? self->chosen_ids->len : 0;

  all = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " contact; those opted out are left out",
                                      "%" PRId64 " contacts; those opted out are left out",
                                      self->choices->n_contacts),
                         self->choices->n_contacts);
  adw_action_row_set_subtitle (self->audience_rows[AUDIENCE_ALL], all);
  if (n_chosen > 0)
    chosen = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact chosen", "%u contacts chosen", n_chosen),
                              n_chosen);
  adw_action_row_set_subtitle (self->audience_rows[AUDIENCE_CHOSEN],
                               chosen ? chosen : _("Pick people from your contacts"));
  if (self->imported_since != NULL)
    imported = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact imported or updated",
                                             "%u contacts imported or updated", self->n_imported),
                                self->n_imported);
  adw_action_row_set_subtitle (self->audience_rows[AUDIENCE_IMPORTED],
                               imported ? imported : _("Drop a CSV file here, or choose one"));
}

static void
set_audience (HeraldCampaignWizard *self,
              Audience              audience)
{
  self->audience = audience;
  if (!gtk_check_button_get_active (self->audience_checks[audience]))
    gtk_check_button_set_active (self->audience_checks[audience], TRUE);
  update_audience_rows (self);
  update_buttons (self);
}

static void
on_chooser_chosen_cb (HeraldContactChooser *chooser,
                      HeraldCampaignWizard *self)
{
  g_clear_pointer (&self->chosen_ids, g_array_unref);
  self->chosen_ids = herald_contact_chooser_get_selected (chooser);
  set_audience (self, AUDIENCE_CHOSEN);
}

HeraldContactChooser *
herald_campaign_wizard_choose_contacts (HeraldCampaignWizard *self)
{
  HeraldContactChooser *chooser;

  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), NULL);

  chooser = herald_contact_chooser_new (self->worker,
                                        self->chosen_ids ? (const gint64 *) self->chosen_ids->data : NULL,
                                        self->chosen_ids ? self->chosen_ids->len : 0);
  gtk_window_set_transient_for (GTK_WINDOW (chooser), GTK_WINDOW (self));
  g_signal_connect_object (chooser, "chosen", G_CALLBACK (on_chooser_chosen_cb), self, 0);
  gtk_window_present (GTK_WINDOW (chooser));
  return chooser;
}

/* The timestamp the store writes (UTC, milliseconds), for "changed since". */
static char *
store_timestamp_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (now) / 1000);
}

static void
on_import_done_cb (HeraldImportDialog   *dialog,
                   const char           *message,
                   HeraldCampaignWizard *self)
{
  const HeraldContactImportReport *report = herald_import_dialog_get_report (dialog);

  /* The import report carries counts, not ids: the campaign takes the
   * contacts created or updated since the dialog opened. */
  g_free (self->imported_since);
  self->imported_since = g_strdup (g_object_get_data (G_OBJECT (dialog), "herald-since"));
  self->n_imported = herald_contact_import_report_get_imported (report) +
                     herald_contact_import_report_get_updated (report);
  self->choices->n_contacts += herald_contact_import_report_get_imported (report);
  set_audience (self, AUDIENCE_IMPORTED);
}

HeraldImportDialog *
herald_campaign_wizard_import_csv (HeraldCampaignWizard *self,
                                   GFile                *file)
{
  HeraldImportDialog *dialog;

  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  dialog = herald_import_dialog_new (self->worker, file);
  g_object_set_data_full (G_OBJECT (dialog), "herald-since", store_timestamp_now (), g_free);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "done", G_CALLBACK (on_import_done_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
on_csv_file_chosen (GtkWidget *owner,
                    GFile     *file)
{
  herald_campaign_wizard_import_csv (HERALD_CAMPAIGN_WIZARD (owner), file);
}

static void
on_choose_file_clicked_cb (HeraldCampaignWizard *self)
{
  herald_ui_choose_csv_file (GTK_WIDGET (self), _("Import Contacts"), _("_Open"), NULL, on_csv_file_chosen);
}

static void
on_audience_toggled_cb (GtkCheckButton       *check,
                        HeraldCampaignWizard *self)
{
  Audience audience = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "audience"));

  if (!gtk_check_button_get_active (check))
    return;
  self->audience = audience;
  /* Nothing to send to yet: ask for it right away. */
  if (audience == AUDIENCE_CHOSEN && (self->chosen_ids == NULL || self->chosen_ids->len == 0))
    herald_campaign_wizard_choose_contacts (self);
  else if (audience == AUDIENCE_IMPORTED && self->imported_since == NULL)
    on_choose_file_clicked_cb (self);
  update_buttons (self);
}

static gboolean
on_drop_cb (GtkDropTarget        *target,
            const GValue         *value,
            double                x,
            double                y,
            HeraldCampaignWizard *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) ||
      !g_str_equal (steps[self->step], "audience"))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  herald_campaign_wizard_import_csv (self, files->data);
  g_slist_free (files);
  return TRUE;
}

static void
fill_audience (HeraldCampaignWizard *self)
{
  static const struct {
    const char *title;
    const char *button;
  } modes[] = {
    { N_("All Active Contacts"), NULL },
    { N_("Choose Contacts…"), N_("_Choose…") },
    { N_("Import a CSV File…"), N_("Choose _File…") },
  };
  GtkCheckButton *group = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      GtkCheckButton *check;
      GtkWidget *row = check_row (_(modes[i].title), NULL, group, &check);

      if (modes[i].button != NULL)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_(modes[i].button));

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_signal_connect_swapped (button, "clicked",
                                    i == AUDIENCE_CHOSEN ? G_CALLBACK (herald_campaign_wizard_choose_contacts) :
                                    G_CALLBACK (on_choose_file_clicked_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      g_object_set_data (G_OBJECT (check), "audience", GUINT_TO_POINTER (i));
      self->audience_checks[i] = check;
      self->audience_rows[i] = ADW_ACTION_ROW (row);
      group = group ? group : check;
      adw_preferences_group_add (self->audience_group, row);
    }
  gtk_check_button_set_active (self->audience_checks[AUDIENCE_ALL], TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    g_signal_connect (self->audience_checks[i], "toggled", G_CALLBACK (on_audience_toggled_cb), self);
  update_audience_rows (self);
}

static void
fill_choices (HeraldCampaignWizard *self)
{
  GtkCheckButton *first = NULL;
  GtkCheckButton *check;

  for (guint i = 0; i < self->choices->numbers->len; i++)
    {
      HeraldNumber *number = g_ptr_array_index (self->choices->numbers, i);
      const char *name = herald_number_get_display_name (number);
      GtkWidget *row = check_row (name ? name : herald_number_get_phone_number (number),
                                  herald_number_get_phone_number (number), first, &check);

      if (herald_number_get_is_sandbox (number))
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), herald_ui_sandbox_badge_new ());
      g_object_set_data (G_OBJECT (check), "id", GSIZE_TO_POINTER (herald_number_get_id (number)));
      g_object_set_data (G_OBJECT (check), "sandbox", GINT_TO_POINTER (herald_number_get_is_sandbox (number)));
      g_signal_connect (check, "toggled", G_CALLBACK (on_number_toggled_cb), self);
      self->number_checks = g_list_append (self->number_checks, check);
      first = first ? first : check;
      adw_preferences_group_add (self->numbers_group, row);
    }
  if (first != NULL)
    gtk_check_button_set_active (first, TRUE);
  else
    adw_preferences_group_set_description (self->numbers_group,
                                           _("No number yet. Add one on the Numbers page, or try the Sandbox."));

  first = NULL;
  for (guint i = 0; i < self->choices->templates->len; i++)
    {
      HeraldTemplate *template = g_ptr_array_index (self->choices->templates, i);
      GtkWidget *row = check_row (herald_template_get_name (template), herald_template_get_language (template),
                                  first, &check);

      g_object_set_data_full (G_OBJECT (check), "template", g_object_ref (template), g_object_unref);
      g_signal_connect (check, "toggled", G_CALLBACK (on_template_toggled_cb), self);
      self->template_checks = g_list_append (self->template_checks, check);
      first = first ? first : check;
      adw_preferences_group_add (self->templates_group, row);
    }
  /* The chosen number's templates, the first of them chosen. */
  filter_templates (self);

  fill_audience (self);
}

static void
audience_spec_copy (HeraldCampaignWizard *self,
                    AudienceSpec         *spec)
{
  spec->audience = self->audience;
  if (self->audience == AUDIENCE_CHOSEN && self->chosen_ids != NULL)
    spec->contact_ids = g_array_copy (self->chosen_ids);
  else if (self->audience == AUDIENCE_IMPORTED)
    spec->changed_since = g_strdup (self->imported_since);
}

static void
audience_spec_apply (const AudienceSpec *audience,
                     HeraldCampaignSpec *spec)
{
  if (audience->audience == AUDIENCE_CHOSEN && audience->contact_ids != NULL)
    herald_campaign_spec_select_contacts (spec, (const gint64 *) audience->contact_ids->data,
                                          audience->contact_ids->len);
  else if (audience->audience == AUDIENCE_IMPORTED && audience->changed_since != NULL)
    herald_campaign_spec_select_changed_since (spec, audience->changed_since);
}

/* Variables */

static void
add_attribute_keys (GHashTable    *keys,
                    HeraldContact *contact)
{
  const char *attributes = herald_contact_get_attributes (contact);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (attributes == NULL || attributes[0] == '\0' || g_str_equal (attributes, "{}"))
    return;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, attributes, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (root));

      for (GList *l = members; l != NULL; l = l->next)
        if (!g_hash_table_contains (keys, l->data))
          g_hash_table_add (keys, g_strdup (l->data));
    }
}

static gboolean
in_audience (const AudienceSpec *spec,
             HeraldContact      *contact)
{
  const char *updated = herald_contact_get_updated_at (contact);
  const char *created = herald_contact_get_created_at (contact);

  if (spec->audience != AUDIENCE_IMPORTED)
    return TRUE;
  return g_strcmp0 (created, spec->changed_since) >= 0 || g_strcmp0 (updated, spec->changed_since) >= 0;
}

static void
sample_contact (AudienceSample     *sample,
                const AudienceSpec *spec,
                GHashTable         *keys,
                HeraldContact      *contact)
{
  if (!in_audience (spec, contact))
    return;
  add_attribute_keys (keys, contact);
  if (sample->contacts->len < PREVIEW_CONTACTS_MAX &&
      herald_contact_get_is_active (contact) && !herald_contact_get_opted_out (contact))
    g_ptr_array_add (sample->contacts, g_object_ref (contact));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static gpointer
load_sample_func (HeraldStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  const AudienceSpec *spec = data;
  g_autoptr(AudienceSample) sample = g_new0 (AudienceSample, 1);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  guint scanned = 0;

  sample->contacts = g_ptr_array_new_with_free_func (g_object_unref);
  if (spec->audience == AUDIENCE_CHOSEN)
    {
      for (guint i = 0; i < spec->contact_ids->len && i < AUDIENCE_SCAN_MAX; i++)
        {
          g_autoptr(HeraldContact) contact = herald_store_get_contact (store, g_array_index (spec->contact_ids,
                                                                                             gint64, i), NULL);

          if (contact != NULL)
            sample_contact (sample, spec, keys, contact);
        }
    }
  else
    {
      for (gint64 after = 0; scanned < AUDIENCE_SCAN_MAX;)
        {
          g_autoptr(GPtrArray) page = herald_store_list_contacts (store, NULL, after, AUDIENCE_PAGE, error);

          if (page == NULL)
            return NULL;
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          for (guint i = 0; i < page->len; i++)
            sample_contact (sample, spec, keys, g_ptr_array_index (page, i));
          scanned += page->len;
          if (page->len < AUDIENCE_PAGE)
            break;
          after = herald_contact_get_id (g_ptr_array_index (page, page->len - 1));
        }
    }

  sample->keys = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (sample->keys, key);
    }
  g_ptr_array_sort (sample->keys, compare_strings);
  return g_steal_pointer (&sample);
}

static HeraldContact *
preview_contact (HeraldCampaignWizard *self)
{
  guint selected;

  if (self->preview_row == NULL || self->sample == NULL || self->sample->contacts->len == 0)
    return NULL;
  selected = adw_combo_row_get_selected (self->preview_row);
  if (selected >= self->sample->contacts->len)
    return NULL;
  return g_ptr_array_index (self->sample->contacts, selected);
}

static char *
binding_for (HeraldCampaignWizard *self,
             guint                 i)
{
  const char * const *bindings = g_ptr_array_index (self->binding_values, i);
  guint source = adw_combo_row_get_selected (g_ptr_array_index (self->source_rows, i));

  if (source >= g_strv_length ((GStrv) bindings))
    source = 0;
  if (g_str_equal (bindings[source], "="))
    return g_strconcat ("=", gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (self->text_rows, i))), NULL);
  return g_strdup (bindings[source]);
}

static const char *
value_for (HeraldContact *contact,
           const char    *binding)
{
  if (binding[0] == '=')
    return binding + 1;
  if (contact == NULL)
    return NULL;
  if (g_str_has_prefix (binding, "attr:"))
    return herald_contact_get_attribute (contact, binding + strlen ("attr:"));
  if (g_str_equal (binding, "name"))
    return herald_contact_get_name (contact);
  if (g_str_equal (binding, "mobile_number"))
    return herald_contact_get_mobile_number (contact);
  if (g_str_equal (binding, "email"))
    return herald_contact_get_email (contact);
  if (g_str_equal (binding, "notes"))
    return herald_contact_get_notes (contact);
  return NULL;
}

static void
update_preview (HeraldCampaignWizard *self)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  HeraldContact *contact = preview_contact (self);

  for (guint i = 0; self->variables != NULL && self->variables[i] != NULL && i < self->source_rows->len; i++)
    {
      g_autofree char *binding = binding_for (self, i);
      const char *value = value_for (contact, binding);

      gtk_widget_set_visible (g_ptr_array_index (self->text_rows, i), binding[0] == '=');
      if (value != NULL)
        g_hash_table_insert (values, g_strdup (self->variables[i]), g_strdup (value));
    }
  herald_message_bubble_set_template (self->variables_bubble, self->template, values);
  g_clear_pointer (&self->preview_text, g_free);
  if (self->template != NULL)
    self->preview_text = herald_template_render_body (self->template, values, NULL);
}

static void
build_variables (HeraldCampaignWizard *self)
{
  g_autoptr(GtkStringList) people = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->source_rows->len; i++)
    {
      adw_preferences_group_remove (self->variables_group, g_ptr_array_index (self->source_rows, i));
      adw_preferences_group_remove (self->variables_group, g_ptr_array_index (self->text_rows, i));
    }
  g_ptr_array_set_size (self->source_rows, 0);
  g_ptr_array_set_size (self->text_rows, 0);
  g_ptr_array_set_size (self->binding_values, 0);
  g_clear_pointer (&self->variables, g_strfreev);
  self->variables = herald_template_get_variable_names (self->template);

  for (guint i = 0; self->variables[i] != NULL; i++)
    {
      g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
      g_autoptr(GStrvBuilder) bindings = g_strv_builder_new ();
      g_autofree char *title = g_strdup_printf ("{{%s}}", self->variables[i]);
      GtkWidget *combo = adw_combo_row_new ();
      GtkWidget *entry = adw_entry_row_new ();
      const char * const field_names[] = { _("Name"), _("Mobile Number"), _("Email"), _("Notes") };
      guint n_sources = 0;

      G_STATIC_ASSERT (G_N_ELEMENTS (field_names) == G_N_ELEMENTS (field_sources));
      for (guint f = 0; f < G_N_ELEMENTS (field_sources); f++, n_sources++)
        {
          gtk_string_list_append (model, field_names[f]);
          g_strv_builder_add (bindings, field_sources[f]);
        }
      for (guint k = 0; k < self->sample->keys->len; k++, n_sources++)
        {
          const char *key = g_ptr_array_index (self->sample->keys, k);
          g_autofree char *label = g_strdup_printf (_("Column “%s”"), key);
          g_autofree char *binding = g_strconcat ("attr:", key, NULL);

          gtk_string_list_append (model, label);
          g_strv_builder_add (bindings, binding);
        }
      gtk_string_list_append (model, _("The Same Text for Everyone"));
      g_strv_builder_add (bindings, "=");
      g_ptr_array_add (self->binding_values, g_strv_builder_end (bindings));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (combo), FALSE);
      adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (model));
      /* The first blank is usually the name; the others need the user. */
      adw_combo_row_set_selected (ADW_COMBO_ROW (combo), i == 0 ? 0 : n_sources);
      g_signal_connect_swapped (combo, "notify::selected", G_CALLBACK (update_preview), self);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Text"));
      g_signal_connect_swapped (entry, "changed", G_CALLBACK (update_preview), self);
      adw_preferences_group_add (self->variables_group, combo);
      adw_preferences_group_add (self->variables_group, entry);
      g_ptr_array_add (self->source_rows, combo);
      g_ptr_array_add (self->text_rows, entry);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->variables_group), self->variables[0] != NULL);

  for (guint i = 0; i < self->sample->contacts->len; i++)
    {
      HeraldContact *contact = g_ptr_array_index (self->sample->contacts, i);
      g_autofree char *label = g_strdup_printf ("%s (%s)", herald_contact_get_name (contact),
                                                herald_contact_get_mobile_number (contact));

      gtk_string_list_append (people, label);
    }
  if (self->preview_row == NULL)
    {
      self->preview_row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->preview_row), _("Recipient"));
      g_signal_connect_swapped (self->preview_row, "notify::selected", G_CALLBACK (update_preview), self);
      adw_preferences_group_add (self->preview_group, GTK_WIDGET (self->preview_row));
    }
  adw_combo_row_set_model (self->preview_row, G_LIST_MODEL (people));
  update_preview (self);
}

static void
on_sample_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  HeraldCampaignWizard *self;
  g_autoptr(GError) error = NULL;
  AudienceSample *sample;

  sample = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = HERALD_CAMPAIGN_WIZARD (user_data);
  set_busy (self, FALSE);
  if (sample == NULL)
    {
      toast (self, error->message);
      return;
    }
  g_clear_pointer (&self->sample, audience_sample_free);
  self->sample = sample;
  build_variables (self);
  update_buttons (self);
}

static void
load_sample (HeraldCampaignWizard *self)
{
  AudienceSpec *spec = g_new0 (AudienceSpec, 1);

  audience_spec_copy (self, spec);
  g_cancellable_cancel (self->sample_cancellable);
  g_clear_object (&self->sample_cancellable);
  self->sample_cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  herald_store_worker_run_async (self->worker, load_sample_func, spec, (GDestroyNotify) audience_spec_free,
                                 (GDestroyNotify) audience_sample_free, self->sample_cancellable,
                                 on_sample_loaded_cb, self);
}

/* Pre-flight
 *
 * Nothing is written until "Send": the figures come from a dry run, the
 * campaign created inside a transaction that is rolled back, so going Back
 * or closing leaves no campaign behind (not even a cancelled one). The test
 * send does the same, rolling back as soon as its request is built. */

typedef struct
{
  HeraldCampaignSpec     *spec;
  gint64                  campaign_id;   /* "Send" only */
  HeraldCampaignReport   *report;
  HeraldCampaignPreflight preflight;
} PreflightJob;

static void
preflight_job_free (PreflightJob *job)
{
  g_clear_pointer (&job->spec, herald_campaign_spec_free);
  g_clear_pointer (&job->report, herald_campaign_report_free);
  g_free (job);
}

/* @bindings, when not NULL, gets variable → binding as bound. */
static HeraldCampaignSpec *
build_spec (HeraldCampaignWizard  *self,
            GHashTable            *bindings,
            GError               **error)
{
  g_autoptr(HeraldCampaignSpec) spec = herald_campaign_spec_new (self->number_id, herald_template_get_id (self->template));
  g_autoptr(AudienceSpec) audience = g_new0 (AudienceSpec, 1);

  for (guint i = 0; self->variables[i] != NULL && i < self->source_rows->len; i++)
    {
      g_autofree char *binding = binding_for (self, i);

      if (!herald_campaign_spec_bind (spec, self->variables[i], binding, error))
        return NULL;
      if (bindings != NULL)
        g_hash_table_insert (bindings, g_strdup (self->variables[i]), g_steal_pointer (&binding));
    }
  audience_spec_copy (self, audience);
  audience_spec_apply (audience, spec);
  return g_steal_pointer (&spec);
}

static void
rollback (HeraldStore *store)
{
  g_autoptr(GError) error = NULL;

  if (!herald_store_rollback (store, &error))
    g_warning ("Could not undo the pre-flight campaign: %s", error->message);
}

static gpointer
preflight_func (HeraldStore   *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  PreflightJob *job = data;
  g_autoptr(HeraldCampaign) campaign = NULL;
  gboolean ok;

  if (!herald_store_begin (store, error))
    return NULL;
  campaign = herald_campaign_create (store, job->spec, &job->report, error);
  ok = campaign != NULL &&
       herald_campaign_preflight (store, herald_campaign_get_id (campaign), 0, &job->preflight, error);
  rollback (store);
  return ok ? HERALD_STORE_WORKER_TRUE : NULL;
}

static gpointer
create_func (HeraldStore   *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  PreflightJob *job = data;
  g_autoptr(HeraldCampaign) campaign = herald_campaign_create (store, job->spec, &job->report, error);

  if (campaign == NULL)
    return NULL;
  job->campaign_id = herald_campaign_get_id (campaign);
  return HERALD_STORE_WORKER_TRUE;
}

static char *
format_duration (double seconds)
{
  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "About %d second", "About %d seconds", (int) seconds + 1),
                            (int) seconds + 1);
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "About %d minute", "About %d minutes",
                                         (int) (seconds / 60) + 1),
                            (int) (seconds / 60) + 1);
  return g_strdup_printf (_("About %.1f hours"), seconds / 3600);
}

static void
back_from_preflight (HeraldCampaignWizard *self,
                     const char           *message)
{
  toast (self, message);
  self->step--;
  gtk_stack_set_visible_child_name (self->stack, steps[self->step]);
  set_busy (self, FALSE);
  update_buttons (self);
}

static void
on_preflight_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HeraldCampaignWizard *self = g_task_get_source_object (task);
  PreflightJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *recipients = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *left_out = NULL;
  guint n_left_out;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error) == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        back_from_preflight (self, error->message);
      return;
    }

  recipients = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " message",
                                             "%" PRIu64 " messages", job->preflight.recipients),
                                job->preflight.recipients);
  adw_action_row_set_subtitle (self->recipients_row, recipients);
  if (job->preflight.messaging_limit < 0)
    limit = g_strdup (_("No limit for this number"));
  else if (job->preflight.over_limit > 0)
    limit = g_strdup_printf (_("Over the limit by %" PRIu64 ": %" PRIu64 " of %" PRId64
                               " people reached in the last 24 hours. Those over the limit will fail."),
                             job->preflight.over_limit, job->preflight.reached_24h, job->preflight.messaging_limit);
  else
    limit = g_strdup_printf (_("Within the limit: %" PRIu64 " of %" PRId64
                               " people reached in the last 24 hours"),
                             job->preflight.reached_24h, job->preflight.messaging_limit);
  adw_action_row_set_subtitle (self->limit_row, limit);
  if (job->preflight.over_limit > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->limit_row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->limit_row), "warning");
  duration = format_duration (job->preflight.seconds);
  adw_action_row_set_subtitle (self->time_row, duration);
  n_left_out = job->report->opted_out + job->report->inactive + job->report->duplicates +
               job->report->missing_values + job->report->fictional;
  left_out = g_strdup_printf (_("%u opted out, %u inactive, %u duplicates, %u missing a value"),
                              job->report->opted_out, job->report->inactive, job->report->duplicates,
                              job->report->missing_values);
  if (job->report->fictional > 0)
    {
      g_autofree char *fictional = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "%u sample number no phone has",
                                                                 "%u sample numbers no phone has",
                                                                 job->report->fictional),
                                                    job->report->fictional);
      g_autofree char *all = g_strdup_printf ("%s, %s", left_out, fictional);

      g_free (left_out);
      left_out = g_steal_pointer (&all);
    }
  adw_action_row_set_subtitle (self->left_out_row, left_out);
  gtk_widget_set_visible (GTK_WIDGET (self->left_out_row), n_left_out > 0);

  g_free (self->preflight_summary);
  self->preflight_summary = g_strdup_printf ("%s; %s; %s", recipients, limit, duration);
  set_busy (self, FALSE);
}

static void
run_job (HeraldCampaignWizard  *self,
         HeraldStoreWorkerFunc  func,
         GAsyncReadyCallback    callback)
{
  g_autoptr(GError) error = NULL;
  PreflightJob *job;
  GTask *task;

  job = g_new0 (PreflightJob, 1);
  job->spec = build_spec (self, NULL, &error);
  if (job->spec == NULL)
    {
      preflight_job_free (job);
      back_from_preflight (self, error->message);
      return;
    }
  /* The job fills in the task data; both live until the callback. */
  task = g_task_new (self, self->cancellable, NULL, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) preflight_job_free);
  set_busy (self, TRUE);
  herald_store_worker_run_async (self->worker, func, job, NULL, NULL, self->cancellable, callback, task);
}

static void
on_created_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HeraldCampaignWizard *self = g_task_get_source_object (task);
  PreflightJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error) == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          toast (self, error->message);
          set_busy (self, FALSE);
        }
      return;
    }
  self->campaign_id = job->campaign_id;
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, self->campaign_id);
  gtk_window_close (GTK_WINDOW (self));
}

/* Test send: the message is rendered on the store worker, from a campaign
 * created in a transaction that is rolled back; the keyring lookup and the
 * request run here, async, so that no store job waits for the network. */

typedef struct
{
  HeraldCampaignSpec  *spec;
  GHashTable          *bindings;        /* variable → binding, as in @spec */
  gint64               number_id;
  char                *to;
  char                *api_base;
  char                *token;           /* the Sandbox's, or the keyring's */
  /* Rendered on the worker */
  char                *phone_number_id;
  HeraldTemplate      *template;
  HeraldMessageParams *params;
  HeraldCloudClient   *client;
} TestJob;

static void
test_job_free (TestJob *job)
{
  g_clear_pointer (&job->spec, herald_campaign_spec_free);
  g_clear_pointer (&job->bindings, g_hash_table_unref);
  g_free (job->to);
  g_free (job->api_base);
  g_clear_pointer (&job->token, secret_password_free);
  g_free (job->phone_number_id);
  g_clear_object (&job->template);
  g_clear_pointer (&job->params, herald_message_params_unref);
  g_clear_object (&job->client);
  g_free (job);
}

/* Worker thread: the campaign's first message, with the values its
 * recipient gets (stripped, as herald_campaign_create () stores them). */
static gpointer
render_test_func (HeraldStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  TestJob *job = data;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(HeraldCampaignReport) report = NULL;
  g_autoptr(HeraldContact) contact = NULL;
  g_autoptr(GPtrArray) first = NULL;
  HeraldMessageLogFilter filter = { 0, -1, NULL };
  const HeraldMessageLogEntry *entry;
  GHashTableIter iter;
  gpointer variable, binding;

  number = herald_store_get_number (store, job->number_id, error);
  if (number == NULL || !herald_store_begin (store, error))
    return NULL;
  campaign = herald_campaign_create (store, job->spec, &report, error);
  if (campaign != NULL)
    {
      filter.campaign_id = herald_campaign_get_id (campaign);
      first = herald_message_log_list (store, &filter, 0, 1, error);
    }
  rollback (store);
  if (first == NULL)
    return NULL;
  if (first->len == 0)
    {
      g_set_error_literal (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_NO_RECIPIENTS,
                           _("Nobody in this audience can receive the message"));
      return NULL;
    }
  entry = g_ptr_array_index (first, 0);
  contact = herald_store_get_contact_by_mobile_number (store, entry->mobile_number, error);
  if (contact == NULL)
    return NULL;
  job->template = herald_store_get_template (store, herald_campaign_get_template_id (campaign), error);
  if (job->template == NULL)
    return NULL;

  job->params = herald_message_params_new ();
  g_hash_table_iter_init (&iter, job->bindings);
  while (g_hash_table_iter_next (&iter, &variable, &binding))
    {
      const char *value = value_for (contact, binding);
      g_autofree char *stripped = g_strstrip (g_strdup (value != NULL ? value : ""));

      herald_message_params_set_value (job->params, variable, stripped);
    }
  job->phone_number_id = g_strdup (herald_number_get_phone_number_id (number));
  return HERALD_STORE_WORKER_TRUE;
}

/* Ends the test send; @task's job is done with. */
static void
test_send_done (GTask        *task,
                const GError *error)
{
  HeraldCampaignWizard *self = g_task_get_source_object (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (self->test_button, TRUE);
  toast (self, error == NULL ? _("Test message sent") : error->message);
}

static void
on_test_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(HeraldSendResult) sent = NULL;
  g_autoptr(GError) error = NULL;

  sent = herald_cloud_client_send_template_finish (HERALD_CLOUD_CLIENT (source), result, &error);
  test_send_done (task, error);
}

static void
send_test (GTask *task)
{
  TestJob *job = g_task_get_task_data (task);

  job->client = herald_cloud_client_new (job->api_base, job->token);
  herald_cloud_client_send_template_async (job->client, job->phone_number_id, job->to, job->template, job->params,
                                           NULL, g_task_get_cancellable (task), on_test_sent_cb, task);
}

static void
on_test_token_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->token = herald_secrets_lookup_access_token_finish (result, &error);
  if (job->token == NULL)
    {
      test_send_done (task, error);
      return;
    }
  send_test (g_steal_pointer (&task));
}

static void
on_test_rendered_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error) == NULL)
    {
      test_send_done (task, error);
      return;
    }
  if (job->token == NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      herald_secrets_lookup_access_token_async (job->phone_number_id, cancellable,
                                                on_test_token_cb, g_steal_pointer (&task));
    }
  else
    send_test (g_steal_pointer (&task));
}

static void
render_test (GTask *task)
{
  HeraldCampaignWizard *self = g_task_get_source_object (task);

  /* The job is the task's: the task lives until the worker is done with it. */
  herald_store_worker_run_async (self->worker, render_test_func, g_task_get_task_data (task), NULL, NULL,
                                 g_task_get_cancellable (task), on_test_rendered_cb, task);
}

static void
on_sandbox_template_ready_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!herald_sandbox_prepare_template_finish (HERALD_SANDBOX (source), result, &error))
    {
      test_send_done (task, error);
      return;
    }
  render_test (g_steal_pointer (&task));
}

static void
on_test_clicked_cb (HeraldCampaignWizard *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  TestJob *job;

  job = g_new0 (TestJob, 1);
  job->bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  job->spec = build_spec (self, job->bindings, &error);
  if (job->spec == NULL)
    {
      toast (self, error->message);
      test_job_free (job);
      return;
    }
  job->number_id = self->number_id;
  job->to = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->test_number_row)));
  task = g_task_new (self, self->cancellable, NULL, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) test_job_free);
  gtk_widget_set_sensitive (self->test_button, FALSE);
  if (self->is_sandbox)
    {
      HeraldSandbox *sandbox = herald_sandbox_get_for_worker (self->worker);

      if (!herald_sandbox_start (sandbox, &error))
        {
          test_send_done (task, error);
          return;
        }
      job->api_base = g_strdup (herald_sandbox_get_api_base (sandbox));
      job->token = g_strdup (herald_sandbox_get_access_token (sandbox));
      /* The in-app sim learns the template first, as Meta knows it. */
      herald_sandbox_prepare_template_async (sandbox, herald_template_get_id (self->template), self->cancellable,
                                             on_sandbox_template_ready_cb, g_steal_pointer (&task));
      return;
    }
  job->api_base = g_strdup (g_getenv ("HERALD_API_BASE"));
  render_test (g_steal_pointer (&task));
}

/* Steps */

static void
show_step (HeraldCampaignWizard *self,
           guint                 step)
{
  self->step = step;
  gtk_stack_set_visible_child_name (self->stack, steps[step]);
  update_buttons (self);
  if (g_str_equal (steps[step], "variables"))
    load_sample (self);
  else if (g_str_equal (steps[step], "preflight"))
    run_job (self, preflight_func, on_preflight_cb);
}

void
herald_campaign_wizard_go_next (HeraldCampaignWizard *self)
{
  g_return_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self));

  if (!herald_campaign_wizard_can_go_next (self))
    return;
  if (self->step + 1 < G_N_ELEMENTS (steps))
    {
      show_step (self, self->step + 1);
      return;
    }
  /* "Send": now the campaign is written, and handed to the dashboard. */
  run_job (self, create_func, on_created_cb);
}

static void
restart_cancellable (GCancellable **cancellable)
{
  g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  *cancellable = g_cancellable_new ();
}

void
herald_campaign_wizard_go_back (HeraldCampaignWizard *self)
{
  g_return_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self));

  if (self->step == 0)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (g_str_equal (steps[self->step], "preflight"))
    {
      restart_cancellable (&self->cancellable);
      gtk_widget_set_sensitive (self->test_button, TRUE);
    }
  restart_cancellable (&self->sample_cancellable);
  self->busy = FALSE;
  show_step (self, self->step - 1);
}

gboolean
herald_campaign_wizard_can_go_next (HeraldCampaignWizard *self)
{
  const char *step;

  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), FALSE);

  if (self->busy || self->choices == NULL)
    return FALSE;
  step = steps[self->step];
  if (g_str_equal (step, "number"))
    return self->number_id != 0;
  if (g_str_equal (step, "template"))
    return self->template != NULL;
  if (g_str_equal (step, "audience"))
    switch (self->audience)
      {
      case AUDIENCE_ALL:
        return self->choices->n_contacts > 0;
      case AUDIENCE_CHOSEN:
        return self->chosen_ids != NULL && self->chosen_ids->len > 0;
      case AUDIENCE_IMPORTED:
        return self->imported_since != NULL && self->n_imported > 0;
      default:
        g_assert_not_reached ();
      }
  if (g_str_equal (step, "variables"))
    return self->sample != NULL;
  return TRUE;
}

/* Loading */

static gpointer
load_choices_func (HeraldStore   *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(Choices) choices = g_new0 (Choices, 1);
  g_autoptr(GPtrArray) numbers = herald_store_list_numbers (store, error);

  if (numbers == NULL)
    return NULL;
  choices->numbers = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < numbers->len; i++)
    {
      if (herald_number_get_is_active (g_ptr_array_index (numbers, i)))
        g_ptr_array_add (choices->numbers, g_object_ref (g_ptr_array_index (numbers, i)));
    }
  /* All of them: which ones a number can send is the number's question
   * (filter_templates). */
  choices->templates = herald_store_list_templates (store, FALSE, error);
  if (choices->templates == NULL)
    return NULL;
  choices->n_contacts = herald_store_count_contacts (store, NULL, error);
  if (choices->n_contacts < 0)
    return NULL;
  return g_steal_pointer (&choices);
}

static void
on_choices_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  HeraldCampaignWizard *self;
  g_autoptr(GError) error = NULL;
  Choices *choices;

  choices = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = HERALD_CAMPAIGN_WIZARD (user_data);
  if (choices == NULL)
    {
      toast (self, error->message);
      return;
    }
  self->choices = choices;
  fill_choices (self);
  set_busy (self, FALSE);
  update_buttons (self);
}

static void
herald_campaign_wizard_dispose (GObject *object)
{
  HeraldCampaignWizard *self = HERALD_CAMPAIGN_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->sample_cancellable);
  g_clear_object (&self->sample_cancellable);
  g_clear_pointer (&self->number_checks, g_list_free);
  g_clear_pointer (&self->template_checks, g_list_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_CAMPAIGN_WIZARD);
  g_clear_object (&self->template);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->choices, choices_free);
  g_clear_pointer (&self->sample, audience_sample_free);
  g_clear_pointer (&self->chosen_ids, g_array_unref);

  G_OBJECT_CLASS (herald_campaign_wizard_parent_class)->dispose (object);
}

static void
herald_campaign_wizard_finalize (GObject *object)
{
  HeraldCampaignWizard *self = HERALD_CAMPAIGN_WIZARD (object);

  g_clear_pointer (&self->variables, g_strfreev);
  g_clear_pointer (&self->source_rows, g_ptr_array_unref);
  g_clear_pointer (&self->text_rows, g_ptr_array_unref);
  g_clear_pointer (&self->binding_values, g_ptr_array_unref);
  g_free (self->preflight_summary);
  g_free (self->preview_text);
  g_free (self->imported_since);

  G_OBJECT_CLASS (herald_campaign_wizard_parent_class)->finalize (object);
}

static void
herald_campaign_wizard_class_init (HeraldCampaignWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = herald_campaign_wizard_dispose;
  object_class->finalize = herald_campaign_wizard_finalize;

  signals[SIGNAL_CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (HERALD_TYPE_MESSAGE_BUBBLE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/herald-campaign-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, numbers_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, templates_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, template_bubble);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, audience_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, variables_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, preview_group);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, variables_bubble);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, recipients_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, limit_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, time_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, left_out_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, test_number_row);
  gtk_widget_class_bind_template_child (widget_class, HeraldCampaignWizard, test_button);
  gtk_widget_class_bind_template_callback (widget_class, herald_campaign_wizard_go_next);
  gtk_widget_class_bind_template_callback (widget_class, herald_campaign_wizard_go_back);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
herald_campaign_wizard_init (HeraldCampaignWizard *self)
{
  GtkDropTarget *drop;

  self->cancellable = g_cancellable_new ();
  self->sample_cancellable = g_cancellable_new ();
  self->source_rows = g_ptr_array_new ();
  self->text_rows = g_ptr_array_new ();
  self->binding_values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->busy = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  /* A CSV file dropped on the audience step becomes the audience. */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

HeraldCampaignWizard *
herald_campaign_wizard_new (HeraldStoreWorker *worker)
{
  HeraldCampaignWizard *self;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);

  self = g_object_new (HERALD_TYPE_CAMPAIGN_WIZARD, NULL);
  self->worker = g_object_ref (worker);
  herald_store_worker_run_async (worker, load_choices_func, NULL, NULL, (GDestroyNotify) choices_free,
                                 self->cancellable, on_choices_loaded_cb, self);
  update_buttons (self);
  return self;
}

const char *
herald_campaign_wizard_get_step (HeraldCampaignWizard *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), NULL);
  return steps[self->step];
}

gboolean
herald_campaign_wizard_get_busy (HeraldCampaignWizard *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), FALSE);
  return self->busy;
}

static gboolean
select_check (GList        *checks,
              const char   *key,
              gint64        id)
{
  for (GList *l = checks; l != NULL; l = l->next)
    {
      gpointer data = g_object_get_data (l->data, key);
      gint64 check_id = g_str_equal (key, "template") ? herald_template_get_id (data) : (gint64) GPOINTER_TO_SIZE (data);

      /* A hidden row is not the chosen number's to send (filter_templates). */
      if (check_id == id && gtk_widget_get_visible (gtk_widget_get_ancestor (l->data, GTK_TYPE_LIST_BOX_ROW)))
        {
          gtk_check_button_set_active (l->data, TRUE);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
herald_campaign_wizard_select_number (HeraldCampaignWizard *self,
                                      gint64                number_id)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), FALSE);
  return select_check (self->number_checks, "id", number_id);
}

gboolean
herald_campaign_wizard_select_template (HeraldCampaignWizard *self,
                                        gint64                template_id)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), FALSE);
  return select_check (self->template_checks, "template", template_id);
}

gint64
herald_campaign_wizard_get_campaign_id (HeraldCampaignWizard *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), 0);
  return self->campaign_id;
}

const char *
herald_campaign_wizard_get_preflight_summary (HeraldCampaignWizard *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), NULL);
  return self->preflight_summary;
}

const char *
herald_campaign_wizard_get_audience (HeraldCampaignWizard *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), NULL);
  return audience_names[self->audience];
}

void
herald_campaign_wizard_set_audience_all (HeraldCampaignWizard *self)
{
  g_return_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self));
  g_return_if_fail (self->choices != NULL);
  set_audience (self, AUDIENCE_ALL);
}

const char *
herald_campaign_wizard_get_changed_since (HeraldCampaignWizard *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), NULL);
  return self->imported_since;
}

guint
herald_campaign_wizard_get_n_preview_recipients (HeraldCampaignWizard *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), 0);
  return self->sample != NULL ? self->sample->contacts->len : 0;
}

void
herald_campaign_wizard_set_preview_recipient (HeraldCampaignWizard *self,
                                              guint                 index)
{
  g_return_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self));
  g_return_if_fail (self->preview_row != NULL);
  adw_combo_row_set_selected (self->preview_row, index);
}

GStrv
herald_campaign_wizard_get_binding_choices (HeraldCampaignWizard *self,
                                            const char           *variable)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), NULL);
  g_return_val_if_fail (variable != NULL, NULL);

  for (guint i = 0; self->variables != NULL && self->variables[i] != NULL && i < self->binding_values->len; i++)
    if (g_str_equal (self->variables[i], variable))
      return g_strdupv (g_ptr_array_index (self->binding_values, i));
  return NULL;
}

gboolean
herald_campaign_wizard_set_binding (HeraldCampaignWizard *self,
                                    const char           *variable,
                                    const char           *binding)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), FALSE);
  g_return_val_if_fail (variable != NULL && binding != NULL, FALSE);

  for (guint i = 0; self->variables != NULL && self->variables[i] != NULL && i < self->source_rows->len; i++)
    {
      const char * const *bindings = g_ptr_array_index (self->binding_values, i);
      gboolean fixed = binding[0] == '=';

      if (!g_str_equal (self->variables[i], variable))
        continue;
      for (guint b = 0; bindings[b] != NULL; b++)
        {
          if (fixed ? g_str_equal (bindings[b], "=") : g_str_equal (bindings[b], binding))
            {
              if (fixed)
                gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (self->text_rows, i)), binding + 1);
              adw_combo_row_set_selected (g_ptr_array_index (self->source_rows, i), b);
              update_preview (self);
              return TRUE;
            }
        }
      return FALSE;
    }
  return FALSE;
}

const char *
herald_campaign_wizard_get_preview_text (HeraldCampaignWizard *self)
{
  g_return_val_if_fail (HERALD_IS_CAMPAIGN_WIZARD (self), NULL);
  return self->preview_text;
}
