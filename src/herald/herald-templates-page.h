/* herald-templates-page.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-page.h"
#include "herald-types.h"

G_BEGIN_DECLS

#define HERALD_TYPE_TEMPLATES_PAGE (herald_templates_page_get_type ())

G_DECLARE_FINAL_TYPE (HeraldTemplatesPage, herald_templates_page, HERALD, TEMPLATES_PAGE, HeraldPage)

GtkWidget  *herald_templates_page_new    (HeraldStoreWorker   *worker);
/* HeraldTemplate items, all of them (the search filters the rows only). */
GListModel *herald_templates_page_get_templates (HeraldTemplatesPage *self);

/* The status as the page's badges name it ("In Review"), and the style
 * class that colours it (success, warning, error or dim-label). */
const char *herald_templates_page_status_label (HeraldTemplateStatus   status,
                                                const char           **css_class);
/* The Sandbox's review as its badge names it ("Sandbox: Approved"), never
 * the status alone; NULL when @template was never sent to the Sandbox. */
char       *herald_templates_page_sandbox_label (HeraldTemplate       *template);

G_END_DECLS
