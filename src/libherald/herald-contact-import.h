/* herald-contact-import.h: contacts from a CSV file into the store, and back out
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "herald-csv.h"
#include "herald-store.h"

G_BEGIN_DECLS

#define HERALD_CONTACT_IMPORT_ERROR (herald_contact_import_error_quark ())

typedef enum
{
  HERALD_CONTACT_IMPORT_ERROR_EMPTY,
  HERALD_CONTACT_IMPORT_ERROR_BAD_HEADER,
  HERALD_CONTACT_IMPORT_ERROR_NO_PHONE_COLUMN,
} HeraldContactImportError;

/* What a column of the file fills in. */
typedef enum
{
  HERALD_CONTACT_FIELD_IGNORE,
  HERALD_CONTACT_FIELD_NAME,
  HERALD_CONTACT_FIELD_FIRST_NAME,   /* joined with the last name when there is no name */
  HERALD_CONTACT_FIELD_LAST_NAME,
  HERALD_CONTACT_FIELD_MOBILE_NUMBER,
  HERALD_CONTACT_FIELD_EMAIL,
  HERALD_CONTACT_FIELD_NOTES,
  HERALD_CONTACT_FIELD_OPTED_OUT,
  HERALD_CONTACT_FIELD_ATTRIBUTE,    /* a custom attribute, keyed by its attribute key */
} HeraldContactField;

GQuark herald_contact_import_error_quark (void);

/* The outcome of an import: counts, and every skipped row with why. */
typedef struct _HeraldContactImportReport HeraldContactImportReport;

guint               herald_contact_import_report_get_imported         (const HeraldContactImportReport *report);
guint               herald_contact_import_report_get_updated          (const HeraldContactImportReport *report);
guint               herald_contact_import_report_get_n_rejections     (const HeraldContactImportReport *report);
guint               herald_contact_import_report_get_rejection_line   (const HeraldContactImportReport *report,
                                                                       guint                            index);
const char         *herald_contact_import_report_get_rejection_reason (const HeraldContactImportReport *report,
                                                                       guint                            index);
const char * const *herald_contact_import_report_get_rejection_fields (const HeraldContactImportReport *report,
                                                                       guint                            index);
char               *herald_contact_import_report_format_rejection     (const HeraldContactImportReport *report,
                                                                       guint                            index);
JsonNode           *herald_contact_import_report_to_json              (const HeraldContactImportReport *report);
void                herald_contact_import_report_free                 (HeraldContactImportReport       *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldContactImportReport, herald_contact_import_report_free)

gboolean herald_contact_import_save_rejections (const HeraldContactImportReport  *report,
                                                GFile                            *file,
                                                GError                          **error);

#define HERALD_TYPE_CONTACT_IMPORT (herald_contact_import_get_type ())

G_DECLARE_FINAL_TYPE (HeraldContactImport, herald_contact_import, HERALD, CONTACT_IMPORT, GObject)

HeraldContactImport       *herald_contact_import_new                (GFile                *file);
GFile                     *herald_contact_import_get_file           (HeraldContactImport  *self);
const char                *herald_contact_import_get_default_region (HeraldContactImport  *self);
void                       herald_contact_import_set_default_region (HeraldContactImport  *self,
                                                                     const char           *region);

gboolean                   herald_contact_import_load               (HeraldContactImport  *self,
                                                                     guint                 n_preview_rows,
                                                                     GCancellable         *cancellable,
                                                                     GError              **error);
void                       herald_contact_import_load_async         (HeraldContactImport  *self,
                                                                     guint                 n_preview_rows,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean                   herald_contact_import_load_finish        (HeraldContactImport  *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);

guint                      herald_contact_import_get_n_columns      (HeraldContactImport  *self);
const char                *herald_contact_import_get_header         (HeraldContactImport  *self,
                                                                     guint                 column);
HeraldContactField         herald_contact_import_get_field          (HeraldContactImport  *self,
                                                                     guint                 column);
const char                *herald_contact_import_get_attribute_key  (HeraldContactImport  *self,
                                                                     guint                 column);
void                       herald_contact_import_set_field          (HeraldContactImport  *self,
                                                                     guint                 column,
                                                                     HeraldContactField    field,
                                                                     const char           *attribute_key);
guint                      herald_contact_import_get_n_preview_rows (HeraldContactImport  *self);
const HeraldCsvRecord     *herald_contact_import_get_preview_row    (HeraldContactImport  *self,
                                                                     guint                 index);

HeraldContactImportReport *herald_contact_import_run                (HeraldContactImport  *self,
                                                                     HeraldStore          *store,
                                                                     GCancellable         *cancellable,
                                                                     GError              **error);
void                       herald_contact_import_run_async          (HeraldContactImport  *self,
                                                                     HeraldStore          *store,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
HeraldContactImportReport *herald_contact_import_run_finish         (HeraldContactImport  *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);

gboolean                   herald_contact_export                    (HeraldStore          *store,
                                                                     GFile                *file,
                                                                     GCancellable         *cancellable,
                                                                     GError              **error);

G_END_DECLS
