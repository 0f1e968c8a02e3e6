/* herald-contact-list-model.h: the contacts, a page at a time, off the main thread
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_TYPE_CONTACT_LIST_MODEL (herald_contact_list_model_get_type ())

G_DECLARE_FINAL_TYPE (HeraldContactListModel, herald_contact_list_model, HERALD, CONTACT_LIST_MODEL, GObject)

/* A GListModel of HeraldContact in id order. It holds the pages loaded so far
 * (by keyset); load_more () asks for the next one, as the view nears the end.
 * Setting "search" reloads after a short pause, so typing does not query
 * on every key. */
HeraldContactListModel *herald_contact_list_model_new        (HeraldStoreWorker      *worker);
const char             *herald_contact_list_model_get_search (HeraldContactListModel *self);
void                    herald_contact_list_model_set_search (HeraldContactListModel *self,
                                                              const char             *search);
/* Contacts matching the search in the whole store, -1 until counted. */
gint64                  herald_contact_list_model_get_total  (HeraldContactListModel *self);
gboolean                herald_contact_list_model_get_loading (HeraldContactListModel *self);
gboolean                herald_contact_list_model_get_has_more (HeraldContactListModel *self);
void                    herald_contact_list_model_load_more  (HeraldContactListModel *self);
/* Drops what is loaded and starts again from the first page now. */
void                    herald_contact_list_model_reload     (HeraldContactListModel *self);

G_END_DECLS
