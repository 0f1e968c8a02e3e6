/* herald-csv.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "herald-csv.h"

G_DEFINE_QUARK (herald-csv-error-quark, herald_csv_error)

#define READ_CHUNK_SIZE   (64 * 1024)
#define SNIFF_SIZE        (64 * 1024)
/* A record longer than this is a quote that never closes, not data. */
#define MAX_RECORD_BYTES  (64 * 1024 * 1024)
#define NO_OFFSET         G_MAXSIZE

struct _HeraldCsvRecord
{
  guint      line;
  GPtrArray *fields;   /* NULL-terminated array of UTF-8 strings */
  GError    *error;
};

/* Whether undecided UTF-8 input has shown non-ASCII text yet: until it has, the
 * first invalid byte switches the whole file to Windows-1252. */
typedef enum
{
  TEXT_ASCII_SO_FAR,
  TEXT_UTF8_SEEN,
} TextState;

struct _HeraldCsvReader
{
  GObject            parent_instance;

  GFile             *file;
  GInputStream      *base;
  GInputStream      *input;

  HeraldCsvEncoding  encoding;
  TextState          text_state;
  char               delimiter;      /* 0: detect from the header line */
  gboolean           started;
  gboolean           failed;
  gboolean           eof;

  char              *buf;
  gsize              cap;
  gsize              len;
  gsize              pos;
  gsize              record_start;   /* bytes from here on are kept for a rewind */
  gsize              second_line;    /* where the record's second physical line starts */
  guint              line;           /* the physical line at pos */

  GString           *field;
};

G_DEFINE_FINAL_TYPE (HeraldCsvReader, herald_csv_reader, G_TYPE_OBJECT)

/* Windows-1252 differs from Latin-1 only in 0x80–0x9F. Our own table rather than
 * iconv: glibc rejects the five unassigned bytes there, which would lose the
 * whole field; here they become U+FFFD. */
static const gunichar windows_1252_high[32] = {
  0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
  0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static char *
windows_1252_to_utf8 (const char *bytes,
                      gsize       len)
{
  GString *out = g_string_sized_new (len + len / 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) bytes[i];

      if (c < 0x80)
        g_string_append_c (out, (char) c);
      else if (c < 0xA0)
        g_string_append_unichar (out, windows_1252_high[c - 0x80]);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static gboolean
has_high_bytes (const char *bytes,
                gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if ((guchar) bytes[i] >= 0x80)
      return TRUE;
  return FALSE;
}

static char *
decode_field (HeraldCsvReader *self,
              const char      *bytes,
              gsize            len)
{
  if (self->encoding == HERALD_CSV_ENCODING_WINDOWS_1252)
    return windows_1252_to_utf8 (bytes, len);

  if (g_utf8_validate_len (bytes, len, NULL))
    {
      if (self->text_state == TEXT_ASCII_SO_FAR && has_high_bytes (bytes, len))
        self->text_state = TEXT_UTF8_SEEN;
      return g_strndup (bytes, len);
    }

  /* Not UTF-8. A file that was plain ASCII until here is Excel's Windows-1252;
   * in a file already shown to be UTF-8 only this field is read that way. */
  if (self->encoding == HERALD_CSV_ENCODING_UTF8 && self->text_state == TEXT_ASCII_SO_FAR)
    self->encoding = HERALD_CSV_ENCODING_WINDOWS_1252;

  return windows_1252_to_utf8 (bytes, len);
}

/* Records */

static HeraldCsvRecord *
record_new (guint line)
{
  HeraldCsvRecord *record = g_new0 (HeraldCsvRecord, 1);

  record->line = line;
  record->fields = g_ptr_array_new_null_terminated (8, g_free, TRUE);
  return record;
}

void
herald_csv_record_free (HeraldCsvRecord *record)
{
  if (record == NULL)
    return;

  g_ptr_array_unref (record->fields);
  g_clear_error (&record->error);
  g_free (record);
}

guint
herald_csv_record_get_line (const HeraldCsvRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  return record->line;
}

guint
herald_csv_record_get_n_fields (const HeraldCsvRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  return record->fields->len;
}

/* Returns "" for a field past the end, so short rows read as empty cells. */
const char *
herald_csv_record_get_field (const HeraldCsvRecord *record,
                             guint                  index)
{
  g_return_val_if_fail (record != NULL, NULL);

  if (index >= record->fields->len)
    return "";
  return g_ptr_array_index (record->fields, index);
}

/* A NULL-terminated array of the fields. */
const char * const *
herald_csv_record_get_fields (const HeraldCsvRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return (const char * const *) record->fields->pdata;
}

/* The problem with this record (broken quotes), or NULL. Its message starts with
 * "Line N: ". A broken record holds one field: the text of its first line. */
const GError *
herald_csv_record_get_error (const HeraldCsvRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  return record->error;
}

/* Whether every field is empty or blank, like the ",,," rows spreadsheets leave. */
gboolean
herald_csv_record_is_blank (const HeraldCsvRecord *record)
{
  g_return_val_if_fail (record != NULL, TRUE);

  for (guint i = 0; i < record->fields->len; i++)
    {
      const char *field = g_ptr_array_index (record->fields, i);

      for (const char *p = field; *p != '\0'; p++)
        if (!g_ascii_isspace (*p))
          return FALSE;
    }
  return TRUE;
}

/* Reader */

static void
herald_csv_reader_finalize (GObject *object)
{
  HeraldCsvReader *self = (HeraldCsvReader *)object;

  g_clear_object (&self->file);
  g_clear_object (&self->base);
  g_clear_object (&self->input);
  g_free (self->buf);
  g_string_free (self->field, TRUE);

  G_OBJECT_CLASS (herald_csv_reader_parent_class)->finalize (object);
}

static void
herald_csv_reader_class_init (HeraldCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = herald_csv_reader_finalize;
}

static void
herald_csv_reader_init (HeraldCsvReader *self)
{
  self->encoding = HERALD_CSV_ENCODING_UTF8;
  self->cap = READ_CHUNK_SIZE;
  self->buf = g_malloc (self->cap);
  self->line = 1;
  self->second_line = NO_OFFSET;
  self->field = g_string_sized_new (256);
}

/* Reads STREAM record by record; the whole table is never held in memory. */
HeraldCsvReader *
herald_csv_reader_new (GInputStream *stream)
{
  HeraldCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_object_new (HERALD_TYPE_CSV_READER, NULL);
  self->base = g_object_ref (stream);
  return self;
}

HeraldCsvReader *
herald_csv_reader_new_for_bytes (GBytes *bytes)
{
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  stream = g_memory_input_stream_new_from_bytes (bytes);
  return herald_csv_reader_new (stream);
}

/* The file is opened by the first herald_csv_reader_read_record(), which reports
 * the error if it cannot be. */
HeraldCsvReader *
herald_csv_reader_new_for_file (GFile *file)
{
  HeraldCsvReader *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (HERALD_TYPE_CSV_READER, NULL);
  self->file = g_object_ref (file);
  return self;
}

/* Fixes the delimiter instead of detecting it; call before reading. */
void
herald_csv_reader_set_delimiter (HeraldCsvReader *self,
                                 char             delimiter)
{
  g_return_if_fail (HERALD_IS_CSV_READER (self));
  g_return_if_fail (!self->started);
  g_return_if_fail (delimiter != '"' && delimiter != '\r' && delimiter != '\n');

  self->delimiter = delimiter;
}

/* The delimiter in use; known once the first record was read. */
char
herald_csv_reader_get_delimiter (HeraldCsvReader *self)
{
  g_return_val_if_fail (HERALD_IS_CSV_READER (self), ',');

  return self->delimiter != 0 ? self->delimiter : ',';
}

/* The encoding the input turned out to have; known once the first record was read
 * (UTF-8 input can still turn out to be Windows-1252 further on). */
HeraldCsvEncoding
herald_csv_reader_get_encoding (HeraldCsvReader *self)
{
  g_return_val_if_fail (HERALD_IS_CSV_READER (self), HERALD_CSV_ENCODING_UTF8);

  return self->encoding;
}

/* Guesses UTF-16 without a byte-order mark from the NUL bytes that ASCII text
 * has in every other position. */
static gboolean
sniff_utf16 (const guchar      *data,
             gsize              len,
             HeraldCsvEncoding *encoding)
{
  gsize even_nuls = 0, odd_nuls = 0;
  gsize pairs = MIN (len, 4096) / 2;

  for (gsize i = 0; i < pairs * 2; i += 2)
    {
      even_nuls += data[i] == 0;
      odd_nuls += data[i + 1] == 0;
    }

  if (pairs == 0)
    return FALSE;
  if (odd_nuls * 2 > pairs && even_nuls * 10 < pairs)
    *encoding = HERALD_CSV_ENCODING_UTF16LE;
  else if (even_nuls * 2 > pairs && odd_nuls * 10 < pairs)
    *encoding = HERALD_CSV_ENCODING_UTF16BE;
  else
    return FALSE;
  return TRUE;
}

/* Tells UTF-8 from Windows-1252 on a sample: Windows-1252 text almost never
 * forms valid multi-byte UTF-8 sequences, so invalid bytes with no valid sequence
 * mean Windows-1252, and valid sequences mean UTF-8 (where a stray invalid field
 * is read as Windows-1252 on its own). */
static void
sniff_8bit (HeraldCsvReader *self,
            const char      *data,
            gsize            len)
{
  gboolean valid_sequences = FALSE;
  gboolean invalid_bytes = FALSE;
  const char *end = data + len;

  while (data < end)
    {
      const char *invalid = NULL;

      if (g_utf8_validate_len (data, end - data, &invalid))
        invalid = end;
      valid_sequences |= has_high_bytes (data, invalid - data);
      /* A sequence cut off at the end of the sample is not invalid. */
      if (invalid + 4 > end)
        break;
      invalid_bytes = TRUE;
      data = invalid + 1;
    }

  if (valid_sequences)
    self->text_state = TEXT_UTF8_SEEN;
  else if (invalid_bytes)
    self->encoding = HERALD_CSV_ENCODING_WINDOWS_1252;
}

/* Opens the input, detects its encoding and sets up the decoding stream. */
static gboolean
start_reading (HeraldCsvReader  *self,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autoptr(GBufferedInputStream) buffered = NULL;
  const guchar *data;
  gsize available = 0;
  gsize bom = 0;

  if (self->base == NULL)
    {
      self->base = G_INPUT_STREAM (g_file_read (self->file, cancellable, error));
      if (self->base == NULL)
        return FALSE;
    }

  buffered = G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new_sized (self->base, SNIFF_SIZE));
  for (;;)
    {
      gssize n = g_buffered_input_stream_fill (buffered, -1, cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0 || g_buffered_input_stream_get_available (buffered) >= SNIFF_SIZE)
        break;
    }

  data = g_buffered_input_stream_peek_buffer (buffered, &available);

  if (available >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    bom = 3;
  else if (available >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    {
      self->encoding = HERALD_CSV_ENCODING_UTF16LE;
      bom = 2;
    }
  else if (available >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    {
      self->encoding = HERALD_CSV_ENCODING_UTF16BE;
      bom = 2;
    }
  else if (memchr (data, 0, available) != NULL)
    {
      if (!sniff_utf16 (data, available, &self->encoding))
        {
          g_set_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_NOT_TEXT,
                       _("The file is not a CSV text file"));
          return FALSE;
        }
    }
  else
    {
      sniff_8bit (self, (const char *) data, available);
    }

  if (bom > 0 && g_input_stream_skip (G_INPUT_STREAM (buffered), bom, cancellable, error) < 0)
    return FALSE;

  if (self->encoding == HERALD_CSV_ENCODING_UTF16LE
      || self->encoding == HERALD_CSV_ENCODING_UTF16BE)
    {
      const char *from = self->encoding == HERALD_CSV_ENCODING_UTF16LE ? "UTF-16LE" : "UTF-16BE";
      g_autoptr(GCharsetConverter) converter = g_charset_converter_new ("UTF-8", from, error);

      if (converter == NULL)
        return FALSE;
      self->input = g_converter_input_stream_new (G_INPUT_STREAM (buffered), G_CONVERTER (converter));
      self->text_state = TEXT_UTF8_SEEN;
    }
  else
    {
      self->input = G_INPUT_STREAM (g_steal_pointer (&buffered));
    }

  return TRUE;
}

/* Reads more input, keeping everything from record_start on. Returns FALSE at the
 * end of the input or on error (then error is set). */
static gboolean
refill (HeraldCsvReader  *self,
        GCancellable     *cancellable,
        GError          **error)
{
  gssize n;

  if (self->eof)
    return FALSE;

  if (self->record_start > 0)
    {
      gsize keep = self->record_start;

      memmove (self->buf, self->buf + keep, self->len - keep);
      self->len -= keep;
      self->pos -= keep;
      if (self->second_line != NO_OFFSET)
        self->second_line -= keep;
      self->record_start = 0;
    }

  if (self->cap - self->len < READ_CHUNK_SIZE / 2)
    {
      self->cap *= 2;
      self->buf = g_realloc (self->buf, self->cap);
    }

  n = g_input_stream_read (self->input, self->buf + self->len, self->cap - self->len,
                           cancellable, error);
  if (n < 0)
    {
      self->failed = TRUE;
      return FALSE;
    }
  if (n == 0)
    {
      self->eof = TRUE;
      return FALSE;
    }

  self->len += n;
  return TRUE;
}

/* The byte at pos + offset, or -1 at the end of the input; *error is set when
 * reading failed. */
static inline int
peek_at (HeraldCsvReader  *self,
         gsize             offset,
         GCancellable     *cancellable,
         GError          **error)
{
  while (self->pos + offset >= self->len)
    if (!refill (self, cancellable, error))
      return -1;
  return (guchar) self->buf[self->pos + offset];
}

#define PEEK() peek_at (self, 0, cancellable, error)
#define FAILED() (self->failed)

/* After a CR or LF at pos: steps over the line end (CRLF is one) and counts it. */
static void
consume_line_end (HeraldCsvReader *self,
                  int              c,
                  GCancellable    *cancellable,
                  GError         **error)
{
  self->pos++;
  if (c == '\r' && PEEK () == '\n')
    self->pos++;
  self->line++;
}

/* Detects the delimiter from the header line: the most common of comma,
 * semicolon and tab outside quotes, comma when none. Excel's "sep=;" first line
 * names it outright and is skipped. */
static gboolean
detect_delimiter (HeraldCsvReader  *self,
                  GCancellable     *cancellable,
                  GError          **error)
{
  gsize commas = 0, semicolons = 0, tabs = 0;
  gboolean in_quotes = FALSE;

  self->record_start = self->pos;

  if (PEEK () == 's' && peek_at (self, 1, cancellable, error) == 'e'
      && peek_at (self, 2, cancellable, error) == 'p'
      && peek_at (self, 3, cancellable, error) == '=')
    {
      int sep = peek_at (self, 4, cancellable, error);
      int end = peek_at (self, 5, cancellable, error);

      if (sep > 0 && sep != '"' && sep != '\r' && sep != '\n' && (end == '\r' || end == '\n' || end < 0))
        {
          self->delimiter = (char) sep;
          self->pos += 5;
          if (end >= 0)
            consume_line_end (self, end, cancellable, error);
          return !FAILED ();
        }
    }

  for (gsize i = 0; i < SNIFF_SIZE * 16; i++)
    {
      int c = peek_at (self, i, cancellable, error);

      if (c < 0)
        break;
      if (c == '"')
        in_quotes = !in_quotes;
      else if (in_quotes)
        continue;
      else if (c == '\r' || c == '\n')
        break;
      else if (c == ',')
        commas++;
      else if (c == ';')
        semicolons++;
      else if (c == '\t')
        tabs++;
    }

  if (semicolons > commas && semicolons >= tabs)
    self->delimiter = ';';
  else if (tabs > commas && tabs > semicolons)
    self->delimiter = '\t';
  else
    self->delimiter = ',';

  return !FAILED ();
}

static void
push_field (HeraldCsvReader *self,
            HeraldCsvRecord *record)
{
  g_ptr_array_add (record->fields, decode_field (self, self->field->str, self->field->len));
  g_string_truncate (self->field, 0);
}

/* Turns RECORD into a broken one and moves on to where reading resumes: the
 * record's second physical line when it spans several (so a quote that never
 * closed swallows nothing), otherwise the next line. */
static void
fail_record (HeraldCsvReader *self,
             HeraldCsvRecord *record,
             HeraldCsvError   code,
             guint            error_line,
             GCancellable    *cancellable,
             GError         **error)
{
  gsize end;

  /* Find where reading resumes, and the end of the record's first line. */
  if (self->second_line != NO_OFFSET)
    {
      end = self->second_line;
      self->pos = self->second_line;
      self->line = record->line + 1;
    }
  else
    {
      int c;

      while ((c = PEEK ()) >= 0 && c != '\r' && c != '\n')
        self->pos++;
      end = self->pos;
      if (c >= 0)
        consume_line_end (self, c, cancellable, error);
    }
  while (end > self->record_start
         && (self->buf[end - 1] == '\r' || self->buf[end - 1] == '\n'))
    end--;

  g_ptr_array_set_size (record->fields, 0);
  g_ptr_array_add (record->fields,
                   decode_field (self, self->buf + self->record_start, end - self->record_start));
  g_string_truncate (self->field, 0);

  switch (code)
    {
    case HERALD_CSV_ERROR_UNTERMINATED_QUOTE:
      record->error = g_error_new (HERALD_CSV_ERROR, code,
                                   _("Line %u: a quoted field is never closed"),
                                   record->line);
      break;

    case HERALD_CSV_ERROR_TEXT_AFTER_QUOTE:
      if (error_line == record->line)
        record->error = g_error_new (HERALD_CSV_ERROR, code,
                                     _("Line %u: unexpected text after a closing quote"),
                                     record->line);
      else
        record->error = g_error_new (HERALD_CSV_ERROR, code,
                                     _("Line %u: a quoted field is not closed properly "
                                       "(unexpected text after a quote on line %u)"),
                                     record->line, error_line);
      break;

    case HERALD_CSV_ERROR_RECORD_TOO_LONG:
      record->error = g_error_new (HERALD_CSV_ERROR, code,
                                   _("Line %u: the record is too long (a quote is probably never closed)"),
                                   record->line);
      break;

    case HERALD_CSV_ERROR_NOT_TEXT:
    default:
      g_assert_not_reached ();
    }
}

/* Parses one quoted field, pos on its opening quote. Returns FALSE when the
 * record failed (or reading did). */
static gboolean
read_quoted_field (HeraldCsvReader  *self,
                   HeraldCsvRecord  *record,
                   GCancellable     *cancellable,
                   GError          **error)
{
  self->pos++;

  for (;;)
    {
      int c = PEEK ();

      if (c < 0)
        {
          if (!FAILED ())
            fail_record (self, record, HERALD_CSV_ERROR_UNTERMINATED_QUOTE, self->line,
                         cancellable, error);
          return FALSE;
        }

      self->pos++;
      if (c == '"')
        {
          if (PEEK () != '"')
            break;
          self->pos++;
          g_string_append_c (self->field, '"');
        }
      else if (c == '\r' || c == '\n')
        {
          g_string_append_c (self->field, (char) c);
          if (c == '\r' && PEEK () == '\n')
            {
              self->pos++;
              g_string_append_c (self->field, '\n');
            }
          self->line++;
          if (self->second_line == NO_OFFSET)
            self->second_line = self->pos;
          if (self->pos - self->record_start > MAX_RECORD_BYTES)
            {
              fail_record (self, record, HERALD_CSV_ERROR_RECORD_TOO_LONG, self->line,
                           cancellable, error);
              return FALSE;
            }
        }
      else if (c != 0)
        {
          g_string_append_c (self->field, (char) c);
        }
    }

  if (FAILED ())
    return FALSE;

  /* Spaces between the closing quote and the delimiter are harmless. */
  for (;;)
    {
      int c = PEEK ();

      if ((c == ' ' || c == '\t') && c != self->delimiter)
        {
          self->pos++;
          continue;
        }
      if (c < 0 || c == self->delimiter || c == '\r' || c == '\n')
        return !FAILED ();

      fail_record (self, record, HERALD_CSV_ERROR_TEXT_AFTER_QUOTE, self->line,
                   cancellable, error);
      return FALSE;
    }
}

/**
 * herald_csv_reader_read_record:
 *
 * Reads the next record, skipping blank lines. Returns NULL at the end of the
 * input (error unset) or when the input cannot be read (error set; reading
 * stops). A record with broken quotes comes back with herald_csv_record_get_error()
 * set, and the next call goes on after it.
 */
HeraldCsvRecord *
herald_csv_reader_read_record (HeraldCsvReader  *self,
                               GCancellable     *cancellable,
                               GError          **error)
{
  g_autoptr(HeraldCsvRecord) record = NULL;
  int c;

  g_return_val_if_fail (HERALD_IS_CSV_READER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->failed)
    return NULL;

  if (!self->started)
    {
      self->started = TRUE;
      if (!start_reading (self, cancellable, error))
        {
          self->failed = TRUE;
          return NULL;
        }
    }

  self->record_start = self->pos;
  self->second_line = NO_OFFSET;

  /* Blank lines separate nothing; skip them. */
  for (;;)
    {
      c = PEEK ();
      if (c != '\r' && c != '\n')
        break;
      consume_line_end (self, c, cancellable, error);
    }
  if (c < 0)
    return NULL;

  if (self->delimiter == 0)
    {
      if (!detect_delimiter (self, cancellable, error))
        return NULL;
      return herald_csv_reader_read_record (self, cancellable, error);
    }

  self->record_start = self->pos;
  record = record_new (self->line);

  for (;;)
    {
      c = PEEK ();

      if (c == '"')
        {
          if (!read_quoted_field (self, record, cancellable, error))
            return FAILED () ? NULL : g_steal_pointer (&record);
          c = PEEK ();
        }
      else
        {
          /* An unquoted field; a stray quote inside one is kept as text. */
          while (c >= 0 && c != self->delimiter && c != '\r' && c != '\n')
            {
              if (c != 0)
                g_string_append_c (self->field, (char) c);
              self->pos++;
              c = PEEK ();
            }
        }

      if (FAILED ())
        return NULL;

      push_field (self, record);

      if (c == self->delimiter)
        {
          self->pos++;
          continue;
        }
      if (c == '\r' || c == '\n')
        consume_line_end (self, c, cancellable, error);
      break;
    }

  if (FAILED ())
    return NULL;

  return g_steal_pointer (&record);
}

#undef PEEK
#undef FAILED

/* Writer */

struct _HeraldCsvWriter
{
  GOutputStream *stream;
  GString       *buffer;
  char           delimiter;
};

/* WRITE_BOM starts the output with a UTF-8 byte-order mark, which Excel needs to
 * read UTF-8 rather than Windows-1252. */
HeraldCsvWriter *
herald_csv_writer_new (GOutputStream *stream,
                       char           delimiter,
                       gboolean       write_bom)
{
  HeraldCsvWriter *writer;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (delimiter != '"' && delimiter != '\r' && delimiter != '\n', NULL);

  writer = g_new0 (HeraldCsvWriter, 1);
  writer->stream = g_object_ref (stream);
  writer->buffer = g_string_sized_new (READ_CHUNK_SIZE);
  writer->delimiter = delimiter;
  if (write_bom)
    g_string_append (writer->buffer, "\xEF\xBB\xBF");
  return writer;
}

/* Unwritten output is lost: call herald_csv_writer_flush() first. */
void
herald_csv_writer_free (HeraldCsvWriter *writer)
{
  if (writer == NULL)
    return;

  g_object_unref (writer->stream);
  g_string_free (writer->buffer, TRUE);
  g_free (writer);
}

static gboolean
field_needs_quotes (const char *field,
                    char        delimiter)
{
  gsize len = strlen (field);

  if (len == 0)
    return FALSE;
  if (field[0] == ' ' || field[0] == '\t' || field[len - 1] == ' ' || field[len - 1] == '\t')
    return TRUE;

  /* Any of the delimiters a reader may detect, not only ours, so that the header
   * line never misleads detection. */
  for (const char *p = field; *p != '\0'; p++)
    if (*p == delimiter || *p == '"' || *p == '\r' || *p == '\n'
        || *p == ',' || *p == ';' || *p == '\t')
      return TRUE;

  return FALSE;
}

/* Appends FIELD to OUT, quoted when it has to be. */
void
herald_csv_append_field (GString    *out,
                         const char *field,
                         char        delimiter)
{
  g_return_if_fail (out != NULL);

  if (field == NULL)
    return;

  if (!field_needs_quotes (field, delimiter))
    {
      g_string_append (out, field);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* Writes one record; N_FIELDS -1 means FIELDS is NULL-terminated. A NULL field
 * is written empty. */
gboolean
herald_csv_writer_write_record (HeraldCsvWriter     *writer,
                                const char * const  *fields,
                                gssize               n_fields,
                                GCancellable        *cancellable,
                                GError             **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (fields != NULL || n_fields == 0, FALSE);

  if (n_fields < 0)
    n_fields = g_strv_length ((char **) fields);

  /* A lone empty field would be a blank line, which readers skip. */
  if (n_fields == 1 && (fields[0] == NULL || fields[0][0] == '\0'))
    g_string_append (writer->buffer, "\"\"");

  for (gssize i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (writer->buffer, writer->delimiter);
      herald_csv_append_field (writer->buffer, fields[i], writer->delimiter);
    }
  g_string_append (writer->buffer, "\r\n");

  if (writer->buffer->len >= READ_CHUNK_SIZE)
    return herald_csv_writer_flush (writer, cancellable, error);
  return TRUE;
}

/* Writes out what is buffered and flushes the stream. */
gboolean
herald_csv_writer_flush (HeraldCsvWriter  *writer,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);

  if (writer->buffer->len > 0)
    {
      gboolean ok = g_output_stream_write_all (writer->stream, writer->buffer->str,
                                               writer->buffer->len, NULL,
                                               cancellable, error);

      g_string_truncate (writer->buffer, 0);
      if (!ok)
        return FALSE;
    }

  return g_output_stream_flush (writer->stream, cancellable, error);
}
