/* herald-message-bubble.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "herald-template.h"

G_BEGIN_DECLS

#define HERALD_TYPE_MESSAGE_BUBBLE (herald_message_bubble_get_type ())

G_DECLARE_FINAL_TYPE (HeraldMessageBubble, herald_message_bubble, HERALD, MESSAGE_BUBBLE, GtkWidget)

GtkWidget *herald_message_bubble_new          (void);

/* Shows @template as WhatsApp would. @values (variable name → text) fill the
 * variables; one without a non-empty value shows highlighted as {{name}}.
 * NULL @template shows an empty bubble. Call again after the template changed. */
void       herald_message_bubble_set_template (HeraldMessageBubble *self,
                                               HeraldTemplate      *template,
                                               GHashTable          *values);

G_END_DECLS
