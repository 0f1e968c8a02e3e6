/* herald-contact-editor.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_TYPE_CONTACT_EDITOR (herald_contact_editor_get_type ())

G_DECLARE_FINAL_TYPE (HeraldContactEditor, herald_contact_editor, HERALD, CONTACT_EDITOR, AdwWindow)

/* Adds a contact (@contact NULL) or edits a copy of @contact. Emits "done"
 * with a message for a toast once saved or deleted, then closes. */
HeraldContactEditor *herald_contact_editor_new        (HeraldStoreWorker   *worker,
                                                       HeraldContact       *contact);
/* The form's fields, by name ("name", "mobile-number", "email", "notes",
 * "opted-out-reason"): for tests and for marking errors. */
GtkEditable         *herald_contact_editor_get_field  (HeraldContactEditor *self,
                                                       const char          *name);
void                 herald_contact_editor_set_opted_out (HeraldContactEditor *self,
                                                          gboolean             opted_out);
void                 herald_contact_editor_set_attribute (HeraldContactEditor *self,
                                                          const char          *key,
                                                          const char          *value);
/* Checks the form and saves it on the worker; problems go on the fields. */
void                 herald_contact_editor_save       (HeraldContactEditor *self);
gboolean             herald_contact_editor_get_busy   (HeraldContactEditor *self);

G_END_DECLS
