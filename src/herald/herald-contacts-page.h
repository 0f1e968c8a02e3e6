/* herald-contacts-page.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-contact-editor.h"
#include "herald-import-dialog.h"
#include "herald-page.h"

G_BEGIN_DECLS

#define HERALD_TYPE_CONTACTS_PAGE (herald_contacts_page_get_type ())

G_DECLARE_FINAL_TYPE (HeraldContactsPage, herald_contacts_page, HERALD, CONTACTS_PAGE, HeraldPage)

GListModel          *herald_contacts_page_get_model       (HeraldContactsPage *self);
/* What is shown: "loading", "empty", "no-results" or "list". */
const char          *herald_contacts_page_get_state       (HeraldContactsPage *self);
GtkDropTarget       *herald_contacts_page_get_drop_target (HeraldContactsPage *self);
HeraldContactEditor *herald_contacts_page_open_editor     (HeraldContactsPage *self,
                                                           HeraldContact      *contact);
HeraldImportDialog  *herald_contacts_page_open_import     (HeraldContactsPage *self,
                                                           GFile              *file);
void                 herald_contacts_page_reload          (HeraldContactsPage *self);

G_END_DECLS
