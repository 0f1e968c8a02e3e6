/* herald-numbers-page.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-number-editor.h"
#include "herald-page.h"

G_BEGIN_DECLS

#define HERALD_TYPE_NUMBERS_PAGE (herald_numbers_page_get_type ())

G_DECLARE_FINAL_TYPE (HeraldNumbersPage, herald_numbers_page, HERALD, NUMBERS_PAGE, HeraldPage)

/* The numbers shown (HeraldNumber), as the store has them. */
GListModel         *herald_numbers_page_get_model       (HeraldNumbersPage *self);
/* What is shown: "loading", "empty" or "list". */
const char         *herald_numbers_page_get_state       (HeraldNumbersPage *self);
HeraldNumberEditor *herald_numbers_page_open_editor     (HeraldNumbersPage *self,
                                                         HeraldNumber      *number);
/* Asks Meta (HeraldCloudClient, with the number's token from the keyring;
 * the API base is $HERALD_API_BASE when set) for the number's verified name,
 * quality rating, throughput and messaging limit, and saves them on it. */
void                herald_numbers_page_verify          (HeraldNumbersPage *self,
                                                         HeraldNumber      *number);
void                herald_numbers_page_set_active      (HeraldNumbersPage *self,
                                                         HeraldNumber      *number,
                                                         gboolean           active);
/* Asks first; returns the AdwMessageDialog asking. */
GtkWidget          *herald_numbers_page_confirm_delete  (HeraldNumbersPage *self,
                                                         HeraldNumber      *number);

G_END_DECLS
