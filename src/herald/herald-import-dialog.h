/* herald-import-dialog.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "herald-contact-import.h"
#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_TYPE_IMPORT_DIALOG (herald_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HeraldImportDialog, herald_import_dialog, HERALD, IMPORT_DIALOG, AdwWindow)

/* Loads a preview of @file, lets the mapping be changed, imports on the
 * worker and shows the report. Emits "done" (a message) after an import. */
HeraldImportDialog              *herald_import_dialog_new        (HeraldStoreWorker  *worker,
                                                                  GFile              *file);
/* "loading", "preview", "running", "report" or "error". */
const char                      *herald_import_dialog_get_state  (HeraldImportDialog *self);
HeraldContactImport             *herald_import_dialog_get_import (HeraldImportDialog *self);
/* Starts the import (the "Import" button). */
void                             herald_import_dialog_run        (HeraldImportDialog *self);
const HeraldContactImportReport *herald_import_dialog_get_report (HeraldImportDialog *self);
/* Writes the report's rejected rows to @file, off the main thread (the
 * "Save Rejected Rows…" button's chooser ends here). */
void                             herald_import_dialog_save_rejections (HeraldImportDialog *self,
                                                                       GFile              *file);

G_END_DECLS
