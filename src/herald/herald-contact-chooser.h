/* herald-contact-chooser.h: pick some contacts for a campaign
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-contact-list-model.h"
#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_TYPE_CONTACT_CHOOSER (herald_contact_chooser_get_type ())

G_DECLARE_FINAL_TYPE (HeraldContactChooser, herald_contact_chooser, HERALD, CONTACT_CHOOSER, AdwWindow)

/* A searchable list of the contacts (keyset pages from the worker) with a
 * check on each; @selected (may be NULL) starts checked. "Done" emits
 * "chosen" and closes; the selection survives searching. */
HeraldContactChooser   *herald_contact_chooser_new                  (HeraldStoreWorker    *worker,
                                                                     const gint64         *selected,
                                                                     guint                 n_selected);
HeraldContactListModel *herald_contact_chooser_get_model            (HeraldContactChooser *self);
void                    herald_contact_chooser_set_search           (HeraldContactChooser *self,
                                                                     const char           *search);
void                    herald_contact_chooser_set_contact_selected (HeraldContactChooser *self,
                                                                     gint64                contact_id,
                                                                     gboolean              selected);
gboolean                herald_contact_chooser_get_contact_selected (HeraldContactChooser *self,
                                                                     gint64                contact_id);
guint                   herald_contact_chooser_get_n_selected       (HeraldContactChooser *self);
/* The checked ids, ascending. (element-type gint64) */
GArray                 *herald_contact_chooser_get_selected         (HeraldContactChooser *self);
/* The "Done" button: emits "chosen", then closes. */
void                    herald_contact_chooser_confirm              (HeraldContactChooser *self);

G_END_DECLS
