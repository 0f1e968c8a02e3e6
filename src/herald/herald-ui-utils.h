/* herald-ui-utils.h: small helpers the pages share
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-campaign.h"
#include "herald-number.h"

G_BEGIN_DECLS

/* Marks a form field as wrong, with @reason as its tooltip and accessible
 * description; cleared by herald_ui_clear_field_error (). */
void     herald_ui_set_field_error   (GtkWidget  *field,
                                      const char *reason);
void     herald_ui_clear_field_error (GtkWidget  *field);
gboolean herald_ui_has_field_error   (GtkWidget  *field);
/* The reason set with herald_ui_set_field_error (), or NULL. */
const char *herald_ui_get_field_error (GtkWidget *field);

/* Live validation, as forms check while the user types: a hidden row to
 * put under a field (or its label alone, for a row a template declares),
 * and the call that marks @field with @reason (herald_ui_set_field_error ())
 * and shows @reason in @problem (such a row, or a GtkLabel), or clears both
 * when @reason is NULL. */
GtkWidget *herald_ui_field_problem_label_new (void);
GtkWidget *herald_ui_field_problem_row_new (void);
void       herald_ui_show_field_problem    (GtkWidget  *field,
                                            GtkWidget  *problem,
                                            const char *reason);

/* A form's errors: @message reads "Field: problem" (the core's messages do),
 * where Field is the title of one of @fields (AdwPreferencesRow); that field
 * is marked and focused, and @error_label shows the message. */
void     herald_ui_show_form_error   (GtkWidget * const *fields,
                                      guint              n_fields,
                                      GtkWidget         *error_label,
                                      const char        *message);
void     herald_ui_clear_form_errors (GtkWidget * const *fields,
                                      guint              n_fields,
                                      GtkWidget         *error_label);

/* Loads the stylesheet every page shares (herald-style.css) once. */
void       herald_ui_ensure_style (void);

/* A pill-shaped label (css classes herald-badge and @style: success,
 * warning, error, accent, sandbox or dim-label). */
GtkWidget *herald_ui_badge_new    (const char *text,
                                   const char *style,
                                   const char *tooltip);

/* The badge that marks what the Sandbox number sent or received. */
GtkWidget *herald_ui_sandbox_badge_new (void);

/* The window @widget is in, or NULL. */
GtkWindow *herald_ui_get_window   (GtkWidget  *widget);
/* Makes @window transient for @widget's window and presents it. */
void       herald_ui_present      (GtkWidget  *widget,
                                   GtkWindow  *window);

typedef void (*HeraldConfirmFunc) (GtkWidget *widget,
                                   gpointer   user_data);

/* Asks before a destructive action: an AdwMessageDialog with the responses
 * "cancel" (@cancel_label, or "Cancel" when NULL; the default) and
 * @confirm_id (@confirm_label, destructive). @func runs with @widget and
 * @user_data on @confirm_id, unless @widget is gone by then. Returns the
 * dialog, presented. */
GtkWidget *herald_ui_confirm      (GtkWidget         *widget,
                                   const char        *heading,
                                   const char        *body,
                                   const char        *cancel_label,
                                   const char        *confirm_id,
                                   const char        *confirm_label,
                                   HeraldConfirmFunc  func,
                                   gpointer           user_data,
                                   GDestroyNotify     user_data_free);

/* Shows the stack page for a list's state: "list" when @n_shown > 0, else
 * "loading" while @loading, "no-results" when @filtered, "empty". Returns
 * the name. */
const char *herald_ui_show_list_state (GtkStack *stack,
                                       guint     n_shown,
                                       gboolean  loading,
                                       gboolean  filtered);

/* A store timestamp (ISO 8601, UTC) as people read it, in local time;
 * NULL for NULL or a string that is not one. */
char       *herald_ui_format_timestamp (const char *iso8601);

/* A campaign's status in a word or two ("Sending"). */
const char *herald_ui_campaign_status_label (HeraldCampaignStatus status);
/* A row for a campaign sent from @number (NULL when not known): name,
 * status and counts, a progress bar, and the Sandbox badge when @number is
 * the Sandbox's. The one row every list of campaigns shows. */
GtkWidget  *herald_ui_campaign_row_new      (HeraldCampaign *campaign,
                                             HeraldNumber   *number);

/* Asks for a CSV file to open (@current_name NULL) or to save as
 * @current_name, in a native chooser modal to @owner's window, and calls
 * @chosen with @owner and the file unless the user cancels. One chooser per
 * @owner at a time; it goes with @owner, and @chosen is never called after. */
typedef void (*HeraldUiFileChosen) (GtkWidget *owner,
                                    GFile     *file);

void        herald_ui_choose_csv_file   (GtkWidget          *owner,
                                         const char         *title,
                                         const char         *accept_label,
                                         const char         *current_name,
                                         HeraldUiFileChosen  chosen);

G_END_DECLS
