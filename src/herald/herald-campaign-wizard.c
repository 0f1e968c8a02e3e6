/* herald-campaign-wizard.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-campaign.h"
#include "herald-campaign-wizard.h"
#include "herald-message-bubble.h"
#include "herald-sandbox.h"
#include "herald-secrets.h"

static const char * const steps[] = { "number", "template", "audience", "variables", "preflight" };

/* Where a variable's value comes from: the binding strings of
 * herald_campaign_spec_bind (), the last one being fixed text. */
static const char * const sources[] = { "name", "mobile_number", "email", "notes", "=" };

typedef struct
{
  GPtrArray *numbers;    /* HeraldNumber */
  GPtrArray *templates;  /* HeraldTemplate, approved */
  GPtrArray *contacts;   /* HeraldContact, the first few, for the preview */
  gint64     n_contacts;
} Choices;

static void
choices_free (Choices *choices)
{
  g_clear_pointer (&choices->numbers, g_ptr_array_unref);
  g_clear_pointer (&choices->templates, g_ptr_array_unref);
  g_clear_pointer (&choices->contacts, g_ptr_array_unref);
  g_free (choices);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Choices, choices_free)

struct _HeraldCampaignWizard
{
  AdwWindow             parent_instance;

  HeraldStoreWorker    *worker;
  GCancellable         *cancellable;
  Choices              *choices;
  guint                 step;
  gint64                number_id;
  HeraldTemplate       *template;     /* chosen */
  GStrv                 variables;
  GPtrArray            *source_rows;  /* AdwComboRow per variable */
  GPtrArray             *text_rows;   /* AdwEntryRow per variable */
  AdwComboRow          *preview_row;
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
sandbox_badge (void)
{
  GtkWidget *badge = gtk_label_new (_("Sandbox"));

  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "herald-sandbox-badge");
  return badge;
}

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

static void
on_number_toggled_cb (GtkCheckButton       *check,
                      HeraldCampaignWizard *self)
{
  if (!gtk_check_button_get_active (check))
    return;
  self->number_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (check), "id"));
  self->is_sandbox = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "sandbox"));
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

static void
fill_choices (HeraldCampaignWizard *self)
{
  GtkCheckButton *first = NULL;
  GtkCheckButton *check;
  g_autofree char *all = NULL;

  for (guint i = 0; i < self->choices->numbers->len; i++)
    {
      HeraldNumber *number = g_ptr_array_index (self->choices->numbers, i);
      const char *name = herald_number_get_display_name (number);
      GtkWidget *row = check_row (name ? name : herald_number_get_phone_number (number),
                                  herald_number_get_phone_number (number), first, &check);

      if (herald_number_get_is_sandbox (number))
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), sandbox_badge ());
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
  if (first != NULL)
    gtk_check_button_set_active (first, TRUE);
  else
    adw_preferences_group_set_description (self->templates_group,
                                           _("No approved template yet. Create one on the Templates page and submit it to Meta."));

  all = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GINT64_FORMAT " contact who has not opted out",
                                      "%" G_GINT64_FORMAT " contacts who have not opted out",
                                      self->choices->n_contacts),
                         self->choices->n_contacts);
  adw_preferences_group_add (self->audience_group, check_row (_("All Contacts"), all, NULL, &check));
  gtk_check_button_set_active (check, TRUE);
  if (self->choices->n_contacts == 0)
    adw_preferences_group_set_description (self->audience_group,
                                           _("No contacts yet. Import them on the Contacts page."));
}

/* Variables */

static HeraldContact *
preview_contact (HeraldCampaignWizard *self)
{
  guint selected;

  if (self->preview_row == NULL || self->choices->contacts->len == 0)
    return NULL;
  selected = adw_combo_row_get_selected (self->preview_row);
  if (selected >= self->choices->contacts->len)
    return NULL;
  return g_ptr_array_index (self->choices->contacts, selected);
}

static char *
binding_for (HeraldCampaignWizard *self,
             guint                 i)
{
  guint source = adw_combo_row_get_selected (g_ptr_array_index (self->source_rows, i));

  if (source >= G_N_ELEMENTS (sources))
    source = 0;
  if (g_str_equal (sources[source], "="))
    return g_strconcat ("=", gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (self->text_rows, i))), NULL);
  return g_strdup (sources[source]);
}

static void
update_preview (HeraldCampaignWizard *self)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  HeraldContact *contact = preview_contact (self);

  for (guint i = 0; self->variables != NULL && self->variables[i] != NULL; i++)
    {
      g_autofree char *binding = binding_for (self, i);
      const char *value = NULL;

      gtk_widget_set_visible (g_ptr_array_index (self->text_rows, i), binding[0] == '=');
      if (binding[0] == '=')
        value = binding + 1;
      else if (contact != NULL && g_str_equal (binding, "name"))
        value = herald_contact_get_name (contact);
      else if (contact != NULL && g_str_equal (binding, "mobile_number"))
        value = herald_contact_get_mobile_number (contact);
      else if (contact != NULL && g_str_equal (binding, "email"))
        value = herald_contact_get_email (contact);
      else if (contact != NULL && g_str_equal (binding, "notes"))
        value = herald_contact_get_notes (contact);
      if (value != NULL)
        g_hash_table_insert (values, g_strdup (self->variables[i]), g_strdup (value));
    }
  herald_message_bubble_set_template (self->variables_bubble, self->template, values);
}

static void
build_variables (HeraldCampaignWizard *self)
{
  g_autoptr(GtkStringList) people = gtk_string_list_new (NULL);
  static const char *source_names[G_N_ELEMENTS (sources)];

  source_names[0] = _("Name");
  source_names[1] = _("Mobile Number");
  source_names[2] = _("Email");
  source_names[3] = _("Notes");
  source_names[4] = _("The Same Text for Everyone");

  for (guint i = 0; i < self->source_rows->len; i++)
    {
      adw_preferences_group_remove (self->variables_group, g_ptr_array_index (self->source_rows, i));
      adw_preferences_group_remove (self->variables_group, g_ptr_array_index (self->text_rows, i));
    }
  g_ptr_array_set_size (self->source_rows, 0);
  g_ptr_array_set_size (self->text_rows, 0);
  g_clear_pointer (&self->variables, g_strfreev);
  self->variables = herald_template_get_variable_names (self->template);

  for (guint i = 0; self->variables[i] != NULL; i++)
    {
      g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
      g_autofree char *title = g_strdup_printf ("{{%s}}", self->variables[i]);
      GtkWidget *combo = adw_combo_row_new ();
      GtkWidget *entry = adw_entry_row_new ();

      for (guint s = 0; s < G_N_ELEMENTS (source_names); s++)
        gtk_string_list_append (model, source_names[s]);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (combo), FALSE);
      adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (model));
      /* The first blank is usually the name; the others need the user. */
      adw_combo_row_set_selected (ADW_COMBO_ROW (combo), i == 0 ? 0 : G_N_ELEMENTS (sources) - 1);
      g_signal_connect_swapped (combo, "notify::selected", G_CALLBACK (update_preview), self);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Text"));
      g_signal_connect_swapped (entry, "changed", G_CALLBACK (update_preview), self);
      adw_preferences_group_add (self->variables_group, combo);
      adw_preferences_group_add (self->variables_group, entry);
      g_ptr_array_add (self->source_rows, combo);
      g_ptr_array_add (self->text_rows, entry);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->variables_group), self->variables[0] != NULL);

  if (self->preview_row == NULL)
    {
      self->preview_row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->preview_row), _("Recipient"));
      g_signal_connect_swapped (self->preview_row, "notify::selected", G_CALLBACK (update_preview), self);
      for (guint i = 0; i < self->choices->contacts->len; i++)
        gtk_string_list_append (people, herald_contact_get_name (g_ptr_array_index (self->choices->contacts, i)));
      adw_combo_row_set_model (self->preview_row, G_LIST_MODEL (people));
      adw_preferences_group_add (self->preview_group, GTK_WIDGET (self->preview_row));
    }
  update_preview (self);
}

/* Pre-flight */

typedef struct
{
  HeraldCampaignSpec *spec;
  gint64              campaign_id;
  HeraldCampaignReport *report;
  HeraldCampaignPreflight preflight;
} PreflightJob;

static void
preflight_job_free (PreflightJob *job)
{
  g_clear_pointer (&job->spec, herald_campaign_spec_free);
  g_clear_pointer (&job->report, herald_campaign_report_free);
  g_free (job);
}

static gpointer
preflight_func (HeraldStore   *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  PreflightJob *job = data;
  g_autoptr(HeraldCampaign) campaign = herald_campaign_create (store, job->spec, &job->report, error);

  if (campaign == NULL)
    return NULL;
  job->campaign_id = herald_campaign_get_id (campaign);
  if (!herald_campaign_preflight (store, job->campaign_id, 0, &job->preflight, error))
    return NULL;
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
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast (self, error->message);
      self->step--;
      gtk_stack_set_visible_child_name (self->stack, steps[self->step]);
      set_busy (self, FALSE);
      update_buttons (self);
      return;
    }

  self->campaign_id = job->campaign_id;
  recipients = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " message",
                                             "%" G_GUINT64_FORMAT " messages", job->preflight.recipients),
                                job->preflight.recipients);
  adw_action_row_set_subtitle (self->recipients_row, recipients);
  if (job->preflight.messaging_limit < 0)
    limit = g_strdup (_("No limit for this number"));
  else if (job->preflight.over_limit > 0)
    limit = g_strdup_printf (_("Over the limit by %" G_GUINT64_FORMAT ": %" G_GUINT64_FORMAT " of %" G_GINT64_FORMAT
                               " people reached in the last 24 hours. Those over the limit will fail."),
                             job->preflight.over_limit, job->preflight.reached_24h, job->preflight.messaging_limit);
  else
    limit = g_strdup_printf (_("Within the limit: %" G_GUINT64_FORMAT " of %" G_GINT64_FORMAT
                               " people reached in the last 24 hours"),
                             job->preflight.reached_24h, job->preflight.messaging_limit);
  adw_action_row_set_subtitle (self->limit_row, limit);
  if (job->preflight.over_limit > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->limit_row), "warning");
  duration = format_duration (job->preflight.seconds);
  adw_action_row_set_subtitle (self->time_row, duration);
  n_left_out = job->report->opted_out + job->report->inactive + job->report->duplicates + job->report->missing_values;
  left_out = g_strdup_printf (_("%u opted out, %u inactive, %u duplicates, %u missing a value"),
                              job->report->opted_out, job->report->inactive, job->report->duplicates,
                              job->report->missing_values);
  adw_action_row_set_subtitle (self->left_out_row, left_out);
  gtk_widget_set_visible (GTK_WIDGET (self->left_out_row), n_left_out > 0);

  g_free (self->preflight_summary);
  self->preflight_summary = g_strdup_printf ("%s; %s; %s", recipients, limit, duration);
  set_busy (self, FALSE);
}

static void
run_preflight (HeraldCampaignWizard *self)
{
  PreflightJob *job = g_new0 (PreflightJob, 1);
  GTask *task = g_task_new (self, self->cancellable, NULL, NULL);
  g_autoptr(GError) error = NULL;

  job->spec = herald_campaign_spec_new (self->number_id, herald_template_get_id (self->template));
  for (guint i = 0; self->variables[i] != NULL; i++)
    {
      g_autofree char *binding = binding_for (self, i);

      if (!herald_campaign_spec_bind (job->spec, self->variables[i], binding, &error))
        {
          toast (self, error->message);
          preflight_job_free (job);
          g_object_unref (task);
          self->step--;
          gtk_stack_set_visible_child_name (self->stack, steps[self->step]);
          update_buttons (self);
          return;
        }
    }
  /* The job fills in the task data; both live until the callback. */
  g_task_set_task_data (task, job, (GDestroyNotify) preflight_job_free);
  set_busy (self, TRUE);
  herald_store_worker_run_async (self->worker, preflight_func, job, NULL, self->cancellable, on_preflight_cb, task);
}

static gpointer
cancel_draft_func (HeraldStore   *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  if (!herald_campaign_cancel (store, *(gint64 *) data, error))
    return NULL;
  return HERALD_STORE_WORKER_TRUE;
}

static void
cancel_draft (HeraldCampaignWizard *self)
{
  if (self->campaign_id == 0)
    return;
  /* Fire and forget: a draft left behind is only a cancelled campaign. */
  herald_store_worker_run_async (self->worker, cancel_draft_func,
                                 g_memdup2 (&self->campaign_id, sizeof self->campaign_id), g_free,
                                 NULL, NULL, NULL);
  self->campaign_id = 0;
}

/* Test send */

typedef struct
{
  gint64  campaign_id;
  char   *to;
  char   *api_base;
  char   *token;          /* the Sandbox's, or NULL: the keyring's */
  char   *phone_number_id;
} TestJob;

static void
test_job_free (TestJob *job)
{
  g_free (job->to);
  g_free (job->api_base);
  g_free (job->token);
  g_free (job->phone_number_id);
  g_free (job);
}

static void
on_test_sent_in_worker_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gpointer
test_send_func (HeraldStore   *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  TestJob *job = data;
  g_autoptr(HeraldCampaign) campaign = herald_campaign_load (store, job->campaign_id, error);
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldCloudClient) client = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *token = NULL;
  HeraldSendResult *sent;

  if (campaign == NULL)
    return NULL;
  number = herald_store_get_number (store, herald_campaign_get_number_id (campaign), error);
  if (number == NULL)
    return NULL;
  token = job->token ? g_strdup (job->token) :
          herald_secrets_lookup_sync (HERALD_SECRET_ACCESS_TOKEN, herald_number_get_phone_number_id (number),
                                      cancellable, error);
  if (token == NULL)
    return NULL;

  /* This thread is the store's; one request, waited for here. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  client = herald_cloud_client_new (job->api_base, token);
  herald_campaign_test_send_async (store, job->campaign_id, client, job->to, cancellable,
                                   on_test_sent_in_worker_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  sent = herald_campaign_test_send_finish (result, error);
  g_clear_object (&client);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return sent;
}

static void
on_test_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HeraldCampaignWizard *self;
  g_autoptr(HeraldSendResult) sent = NULL;
  g_autoptr(GError) error = NULL;

  sent = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = HERALD_CAMPAIGN_WIZARD (user_data);
  gtk_widget_set_sensitive (self->test_button, TRUE);
  toast (self, sent != NULL ? _("Test message sent") : error->message);
}

static void
on_test_clicked_cb (HeraldCampaignWizard *self)
{
  TestJob *job;

  if (self->campaign_id == 0)
    return;
  job = g_new0 (TestJob, 1);
  job->campaign_id = self->campaign_id;
  job->to = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->test_number_row)));
  if (self->is_sandbox)
    {
      HeraldSandbox *sandbox = herald_sandbox_get_for_worker (self->worker);
      g_autoptr(GError) error = NULL;

      if (!herald_sandbox_start (sandbox, &error))
        {
          toast (self, error->message);
          test_job_free (job);
          return;
        }
      job->api_base = g_strdup (herald_sandbox_get_api_base (sandbox));
      job->token = g_strdup (herald_sandbox_get_access_token (sandbox));
    }
  else
    job->api_base = g_strdup (g_getenv ("HERALD_API_BASE"));
  gtk_widget_set_sensitive (self->test_button, FALSE);
  herald_store_worker_run_async (self->worker, test_send_func, job, (GDestroyNotify) test_job_free,
                                 self->cancellable, on_test_sent_cb, self);
}

/* Steps */

static void
show_step (HeraldCampaignWizard *self,
           guint                 step)
{
  self->step = step;
  gtk_stack_set_visible_child_name (self->stack, steps[step]);
  if (g_str_equal (steps[step], "variables"))
    build_variables (self);
  else if (g_str_equal (steps[step], "preflight"))
    run_preflight (self);
  update_buttons (self);
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
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, self->campaign_id);
  /* Handed over: the campaign is the dashboard's now. */
  self->campaign_id = 0;
  gtk_window_close (GTK_WINDOW (self));
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
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      cancel_draft (self);
      set_busy (self, FALSE);
    }
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
    return self->choices->n_contacts > 0;
  if (g_str_equal (step, "preflight"))
    return self->campaign_id != 0;
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
  choices->templates = herald_store_list_templates (store, TRUE, error);
  if (choices->templates == NULL)
    return NULL;
  choices->contacts = herald_store_list_contacts (store, NULL, 0, 20, error);
  if (choices->contacts == NULL)
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

static gboolean
herald_campaign_wizard_close_request (GtkWindow *window)
{
  HeraldCampaignWizard *self = HERALD_CAMPAIGN_WIZARD (window);

  cancel_draft (self);
  return GTK_WINDOW_CLASS (herald_campaign_wizard_parent_class)->close_request (window);
}

static void
herald_campaign_wizard_dispose (GObject *object)
{
  HeraldCampaignWizard *self = HERALD_CAMPAIGN_WIZARD (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->number_checks, g_list_free);
  g_clear_pointer (&self->template_checks, g_list_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), HERALD_TYPE_CAMPAIGN_WIZARD);
  g_clear_object (&self->template);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->choices, choices_free);

  G_OBJECT_CLASS (herald_campaign_wizard_parent_class)->dispose (object);
}

static void
herald_campaign_wizard_finalize (GObject *object)
{
  HeraldCampaignWizard *self = HERALD_CAMPAIGN_WIZARD (object);

  g_clear_pointer (&self->variables, g_strfreev);
  g_clear_pointer (&self->source_rows, g_ptr_array_unref);
  g_clear_pointer (&self->text_rows, g_ptr_array_unref);
  g_free (self->preflight_summary);

  G_OBJECT_CLASS (herald_campaign_wizard_parent_class)->finalize (object);
}

static void
herald_campaign_wizard_class_init (HeraldCampaignWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = herald_campaign_wizard_dispose;
  object_class->finalize = herald_campaign_wizard_finalize;
  window_class->close_request = herald_campaign_wizard_close_request;

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
  self->cancellable = g_cancellable_new ();
  self->source_rows = g_ptr_array_new ();
  self->text_rows = g_ptr_array_new ();
  self->busy = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

HeraldCampaignWizard *
herald_campaign_wizard_new (HeraldStoreWorker *worker)
{
  HeraldCampaignWizard *self;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);

  self = g_object_new (HERALD_TYPE_CAMPAIGN_WIZARD, NULL);
  self->worker = g_object_ref (worker);
  herald_store_worker_run_async (worker, load_choices_func, NULL, NULL, self->cancellable,
                                 on_choices_loaded_cb, self);
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

      if (check_id == id)
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
