/* herald-csv.h: a streaming CSV reader and writer (RFC 4180, as spreadsheets write it)
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HERALD_CSV_ERROR (herald_csv_error_quark ())

typedef enum
{
  /* A record whose quotes are broken; the reader goes on with the next line. */
  HERALD_CSV_ERROR_UNTERMINATED_QUOTE,
  HERALD_CSV_ERROR_TEXT_AFTER_QUOTE,
  HERALD_CSV_ERROR_RECORD_TOO_LONG,
  /* The input is not text (binary data); reading stops. */
  HERALD_CSV_ERROR_NOT_TEXT,
} HeraldCsvError;

typedef enum
{
  HERALD_CSV_ENCODING_UTF8,
  HERALD_CSV_ENCODING_UTF16LE,
  HERALD_CSV_ENCODING_UTF16BE,
  HERALD_CSV_ENCODING_WINDOWS_1252,
} HeraldCsvEncoding;

GQuark herald_csv_error_quark (void);

/* One record: its fields (UTF-8), and the physical line it starts on (1-based). */
typedef struct _HeraldCsvRecord HeraldCsvRecord;

guint               herald_csv_record_get_line     (const HeraldCsvRecord *record);
guint               herald_csv_record_get_n_fields (const HeraldCsvRecord *record);
const char         *herald_csv_record_get_field    (const HeraldCsvRecord *record,
                                                    guint                  index);
const char * const *herald_csv_record_get_fields   (const HeraldCsvRecord *record);
const GError       *herald_csv_record_get_error    (const HeraldCsvRecord *record);
gboolean            herald_csv_record_is_blank     (const HeraldCsvRecord *record);
void                herald_csv_record_free         (HeraldCsvRecord       *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldCsvRecord, herald_csv_record_free)

#define HERALD_TYPE_CSV_READER (herald_csv_reader_get_type ())

G_DECLARE_FINAL_TYPE (HeraldCsvReader, herald_csv_reader, HERALD, CSV_READER, GObject)

HeraldCsvReader   *herald_csv_reader_new            (GInputStream    *stream);
HeraldCsvReader   *herald_csv_reader_new_for_bytes  (GBytes          *bytes);
HeraldCsvReader   *herald_csv_reader_new_for_file   (GFile           *file);
void               herald_csv_reader_set_delimiter  (HeraldCsvReader *self,
                                                     char             delimiter);
char               herald_csv_reader_get_delimiter  (HeraldCsvReader *self);
HeraldCsvEncoding  herald_csv_reader_get_encoding   (HeraldCsvReader *self);
HeraldCsvRecord   *herald_csv_reader_read_record    (HeraldCsvReader *self,
                                                     GCancellable    *cancellable,
                                                     GError         **error);

/* The writer: UTF-8, CRLF line ends, fields quoted only when they need it. */
typedef struct _HeraldCsvWriter HeraldCsvWriter;

HeraldCsvWriter *herald_csv_writer_new          (GOutputStream      *stream,
                                                 char                delimiter,
                                                 gboolean            write_bom);
gboolean         herald_csv_writer_write_record (HeraldCsvWriter    *writer,
                                                 const char * const *fields,
                                                 gssize              n_fields,
                                                 GCancellable       *cancellable,
                                                 GError            **error);
gboolean         herald_csv_writer_flush        (HeraldCsvWriter    *writer,
                                                 GCancellable       *cancellable,
                                                 GError            **error);
void             herald_csv_writer_free         (HeraldCsvWriter    *writer);

void             herald_csv_append_field        (GString            *out,
                                                 const char         *field,
                                                 char                delimiter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldCsvWriter, herald_csv_writer_free)

G_END_DECLS
