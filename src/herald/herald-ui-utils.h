/* herald-ui-utils.h: small helpers the pages share
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Marks a form field as wrong, with @reason as its tooltip and accessible
 * description; cleared by herald_ui_clear_field_error (). */
void     herald_ui_set_field_error   (GtkWidget  *field,
                                      const char *reason);
void     herald_ui_clear_field_error (GtkWidget  *field);
gboolean herald_ui_has_field_error   (GtkWidget  *field);
/* The reason set with herald_ui_set_field_error (), or NULL. */
const char *herald_ui_get_field_error (GtkWidget *field);

G_END_DECLS
