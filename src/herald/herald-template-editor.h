/* herald-template-editor.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-store-worker.h"
#include "herald-template.h"

G_BEGIN_DECLS

#define HERALD_TYPE_TEMPLATE_EDITOR (herald_template_editor_get_type ())

G_DECLARE_FINAL_TYPE (HeraldTemplateEditor, herald_template_editor, HERALD, TEMPLATE_EDITOR, AdwWindow)

/* Edits a copy of @template (NULL: a new one); the store changes only on
 * Save or Submit, which emit "saved" with the stored template. */
HeraldTemplateEditor *herald_template_editor_new          (HeraldStoreWorker    *worker,
                                                           HeraldTemplate       *template);
/* The template as the fields describe it now (not necessarily valid). */
HeraldTemplate       *herald_template_editor_get_template (HeraldTemplateEditor *self);

G_END_DECLS
