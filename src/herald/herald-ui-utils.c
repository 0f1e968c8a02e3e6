/* herald-ui-utils.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "herald-ui-utils.h"

#define FIELD_ERROR_KEY "herald-field-error"

void
herald_ui_set_field_error (GtkWidget  *field,
                           const char *reason)
{
  g_return_if_fail (GTK_IS_WIDGET (field));
  g_return_if_fail (reason != NULL);

  gtk_widget_add_css_class (field, "error");
  gtk_widget_set_tooltip_text (field, reason);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  g_object_set_data_full (G_OBJECT (field), FIELD_ERROR_KEY, g_strdup (reason), g_free);
}

void
herald_ui_clear_field_error (GtkWidget *field)
{
  g_return_if_fail (GTK_IS_WIDGET (field));

  if (!herald_ui_has_field_error (field))
    return;

  gtk_widget_remove_css_class (field, "error");
  gtk_widget_set_tooltip_text (field, NULL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
  g_object_set_data (G_OBJECT (field), FIELD_ERROR_KEY, NULL);
}

gboolean
herald_ui_has_field_error (GtkWidget *field)
{
  return herald_ui_get_field_error (field) != NULL;
}

const char *
herald_ui_get_field_error (GtkWidget *field)
{
  g_return_val_if_fail (GTK_IS_WIDGET (field), NULL);

  return g_object_get_data (G_OBJECT (field), FIELD_ERROR_KEY);
}
