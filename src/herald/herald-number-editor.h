/* herald-number-editor.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_TYPE_NUMBER_EDITOR (herald_number_editor_get_type ())

G_DECLARE_FINAL_TYPE (HeraldNumberEditor, herald_number_editor, HERALD, NUMBER_EDITOR, AdwWindow)

/* Adds a number (@number NULL) or edits a copy of @number, whose phone
 * number ID (the key of its token) then stays as it is. Emits "done" with a
 * message for a toast once saved, then closes. */
HeraldNumberEditor *herald_number_editor_new       (HeraldStoreWorker  *worker,
                                                    HeraldNumber       *number);
/* The form's fields, by name ("phone-number-id", "phone-number",
 * "display-name", "messages-per-second", "access-token"). */
GtkEditable        *herald_number_editor_get_field (HeraldNumberEditor *self,
                                                    const char         *name);
/* Checks the form; stores the access token in the keyring, then the number
 * on the worker. Problems go on the fields, and nothing is saved. */
void                herald_number_editor_save      (HeraldNumberEditor *self);
gboolean            herald_number_editor_get_busy  (HeraldNumberEditor *self);

G_END_DECLS
