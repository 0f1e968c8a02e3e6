/* test-csv.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "herald-csv.h"
#include "herald-test-utils.h"

/* Every record as "L<line>[field|field]" or "L<line>!<error message>", one per
 * line, with CR and LF inside fields written as \r and \n. */
static char *
dump_reader (HeraldCsvReader *reader)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  HeraldCsvRecord *record;

  while ((record = herald_csv_reader_read_record (reader, NULL, &error)) != NULL)
    {
      const GError *record_error = herald_csv_record_get_error (record);

      g_string_append_printf (out, "L%u", herald_csv_record_get_line (record));
      if (record_error != NULL)
        {
          g_string_append_printf (out, "!%s\n", record_error->message);
          herald_csv_record_free (record);
          continue;
        }

      g_string_append_c (out, '[');
      for (guint i = 0; i < herald_csv_record_get_n_fields (record); i++)
        {
          const char *field = herald_csv_record_get_field (record, i);

          if (i > 0)
            g_string_append_c (out, '|');
          for (const char *p = field; *p != '\0'; p++)
            {
              if (*p == '\r')
                g_string_append (out, "\\r");
              else if (*p == '\n')
                g_string_append (out, "\\n");
              else
                g_string_append_c (out, *p);
            }
        }
      g_string_append (out, "]\n");
      herald_csv_record_free (record);
    }
  g_assert_no_error (error);

  return g_string_free (out, FALSE);
}

static char *
dump_bytes (const char *data,
            gsize       len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(HeraldCsvReader) reader = herald_csv_reader_new_for_bytes (bytes);

  return dump_reader (reader);
}

typedef struct
{
  const char *name;
  const char *input;
  const char *expected;
  char        delimiter;
} ParseCase;

static const ParseCase parse_cases[] = {
  { "plain", "name,mobile\r\nAna,+34 600 111 222\r\n",
    "L1[name|mobile]\nL2[Ana|+34 600 111 222]\n", ',' },
  { "quoted-comma", "a,b\n\"Smith, Ana\",1\n",
    "L1[a|b]\nL2[Smith, Ana|1]\n", ',' },
  { "doubled-quotes", "a,b\n\"She said \"\"hi\"\"\",\"\"\"\"\n",
    "L1[a|b]\nL2[She said \"hi\"|\"]\n", ',' },
  { "line-breaks", "a,b\n\"one\ntwo\",x\n\"three\r\nfour\",y\nz,w\n",
    "L1[a|b]\nL2[one\\ntwo|x]\nL4[three\\r\\nfour|y]\nL6[z|w]\n", ',' },
  { "empty-fields", "a,b,c\n,,\n1,,3\n",
    "L1[a|b|c]\nL2[||]\nL3[1||3]\n", ',' },
  { "utf8-bom", "\xEF\xBB\xBFname,mobile\nJosé,1\n",
    "L1[name|mobile]\nL2[José|1]\n", ',' },
  { "crlf", "a,b\r\n1,2\r\n3,4\r\n",
    "L1[a|b]\nL2[1|2]\nL3[3|4]\n", ',' },
  { "cr-only", "a,b\r1,2\r3,4",
    "L1[a|b]\nL2[1|2]\nL3[3|4]\n", ',' },
  { "mixed-line-ends", "a,b\r\n1,2\n3,4\r5,6",
    "L1[a|b]\nL2[1|2]\nL3[3|4]\nL4[5|6]\n", ',' },
  { "semicolon", "nombre;móvil;notas\nAna;600 111 222;\"a;b, c\"\n",
    "L1[nombre|móvil|notas]\nL2[Ana|600 111 222|a;b, c]\n", ';' },
  { "semicolon-with-commas-in-quotes", "\"a,b,c\";d;e\n1;2;3\n",
    "L1[a,b,c|d|e]\nL2[1|2|3]\n", ';' },
  { "tab", "name\tmobile\tnotes\nAna\t+1 555\tlikes, commas; and semis\n",
    "L1[name|mobile|notes]\nL2[Ana|+1 555|likes, commas; and semis]\n", '\t' },
  { "excel-sep-line", "sep=;\r\nname;mobile\r\nAna;1,5\r\n",
    "L2[name|mobile]\nL3[Ana|1,5]\n", ';' },
  { "blank-lines", "\n\na,b\n\n1,2\r\n\r\n\r\n3,4\n\n",
    "L3[a|b]\nL5[1|2]\nL8[3|4]\n", ',' },
  { "no-trailing-newline", "a,b\n1,2",
    "L1[a|b]\nL2[1|2]\n", ',' },
  { "short-rows", "a,b,c\n1\n",
    "L1[a|b|c]\nL2[1]\n", ',' },
  { "space-after-closing-quote", "a,b\n\"x\"  ,y\n",
    "L1[a|b]\nL2[x|y]\n", ',' },
  { "stray-quote-in-unquoted", "a,b\n5\" screen,y\n",
    "L1[a|b]\nL2[5\" screen|y]\n", ',' },
  { "unterminated-quote-resumes-next-line",
    "name,mobile\nAna,\"600 111\nBob,600 222\nCarl,600 333\n",
    "L1[name|mobile]\nL2!Line 2: a quoted field is never closed\nL3[Bob|600 222]\nL4[Carl|600 333]\n", ',' },
  { "text-after-quote",
    "name,mobile\n\"Ana\"x,1\nBob,2\n",
    "L1[name|mobile]\nL2!Line 2: unexpected text after a closing quote\nL3[Bob|2]\n", ',' },
  { "quote-closed-lines-later",
    "name,mobile\nAna,\"600 111\nBob,600 222\nCarl,\"600 333\"\nDan,4\n",
    "L1[name|mobile]\n"
    "L2!Line 2: a quoted field is not closed properly (unexpected text after a quote on line 4)\n"
    "L3[Bob|600 222]\nL4[Carl|600 333]\nL5[Dan|4]\n", ',' },
  { "unterminated-quote-last-line", "a,b\n1,2\n\"3,4\n",
    "L1[a|b]\nL2[1|2]\nL3!Line 3: a quoted field is never closed\n", ',' },
  { "invalid-utf8-is-windows-1252", "name,notes\nAna,caf\xE9\n",
    "L1[name|notes]\nL2[Ana|café]\n", ',' },
};

static void
test_parse (gconstpointer data)
{
  const ParseCase *c = data;
  g_autoptr(GBytes) bytes = g_bytes_new_static (c->input, strlen (c->input));
  g_autoptr(HeraldCsvReader) reader = herald_csv_reader_new_for_bytes (bytes);
  g_autofree char *dump = dump_reader (reader);

  g_assert_cmpstr (dump, ==, c->expected);
  g_assert_cmpint (herald_csv_reader_get_delimiter (reader), ==, c->delimiter);
}

/* Text as UTF-16 bytes, with or without a byte-order mark. */
static GBytes *
utf16_bytes (const char *text,
             const char *charset,
             const char *bom,
             gsize       bom_len)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *converted = g_convert (text, -1, charset, "UTF-8", NULL, &len, &error);
  GByteArray *array = g_byte_array_new ();

  g_assert_no_error (error);
  g_byte_array_append (array, (const guint8 *) bom, bom_len);
  g_byte_array_append (array, (const guint8 *) converted, len);
  return g_byte_array_free_to_bytes (array);
}

static void
test_utf16 (void)
{
  const char *text = "nombre;móvil\r\nJosé Ñandú;+34 600\r\n\"a\r\nb\";€\r\n";
  const char *expected = "L1[nombre|móvil]\nL2[José Ñandú|+34 600]\nL3[a\\r\\nb|€]\n";
  struct { const char *charset; const char *bom; gsize bom_len; HeraldCsvEncoding encoding; } cases[] = {
    { "UTF-16LE", "\xFF\xFE", 2, HERALD_CSV_ENCODING_UTF16LE },
    { "UTF-16BE", "\xFE\xFF", 2, HERALD_CSV_ENCODING_UTF16BE },
    { "UTF-16LE", "", 0, HERALD_CSV_ENCODING_UTF16LE },
    { "UTF-16BE", "", 0, HERALD_CSV_ENCODING_UTF16BE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = utf16_bytes (text, cases[i].charset, cases[i].bom, cases[i].bom_len);
      g_autoptr(HeraldCsvReader) reader = herald_csv_reader_new_for_bytes (bytes);
      g_autofree char *dump = dump_reader (reader);

      g_assert_cmpstr (dump, ==, expected);
      g_assert_cmpint (herald_csv_reader_get_encoding (reader), ==, cases[i].encoding);
      g_assert_cmpint (herald_csv_reader_get_delimiter (reader), ==, ';');
    }
}

static void
test_windows_1252 (void)
{
  /* é ñ € ’ as Excel writes them in Windows-1252. */
  const char input[] = "name;notes\r\nJos\xE9 Pe\xF1" "a;10 \x80 \x92ok\x92\r\n";
  g_autofree char *dump = dump_bytes (input, sizeof input - 1);

  g_assert_cmpstr (dump, ==, "L1[name|notes]\nL2[José Peña|10 € ’ok’]\n");
}

/* ASCII until far into the file, then one Windows-1252 byte: only that can tell. */
static void
test_windows_1252_late (void)
{
  GString *input = g_string_new ("name,notes\n");
  g_autofree char *dump = NULL;
  g_autofree char *tail = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HeraldCsvReader) reader = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (input, "Person %u,plain\n", i);
  g_string_append (input, "Last,se\xF1or\n");
  bytes = g_string_free_to_bytes (input);
  reader = herald_csv_reader_new_for_bytes (bytes);
  dump = dump_reader (reader);

  tail = g_strdup_printf ("L20002[Last|señor]\n");
  g_assert_true (g_str_has_suffix (dump, tail));
  g_assert_cmpint (herald_csv_reader_get_encoding (reader), ==, HERALD_CSV_ENCODING_WINDOWS_1252);
}

/* A stray invalid byte in a file already shown to be UTF-8 is read as Windows-1252
 * without touching the rest. */
static void
test_invalid_utf8_in_utf8_file (void)
{
  const char input[] = "name,notes\nJosé,ok\nAna,bad\xFF\xFE byte\nLuís,ok\n";
  g_autofree char *dump = dump_bytes (input, sizeof input - 1);

  g_assert_cmpstr (dump, ==, "L1[name|notes]\nL2[José|ok]\nL3[Ana|badÿþ byte]\nL4[Luís|ok]\n");
  g_assert_true (g_utf8_validate (dump, -1, NULL));
}

static void
test_big_field (void)
{
  gsize size = 1024 * 1024;
  GString *input = g_string_new ("name,notes\nAna,\"");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HeraldCsvReader) reader = NULL;
  g_autoptr(HeraldCsvRecord) header = NULL;
  g_autoptr(HeraldCsvRecord) record = NULL;
  g_autoptr(HeraldCsvRecord) last = NULL;
  g_autoptr(GError) error = NULL;
  const char *notes;

  for (gsize i = 0; i < size; i++)
    g_string_append_c (input, i % 1000 == 999 ? '\n' : (i % 500 == 0 ? ',' : 'x'));
  g_string_append (input, "\"\nBob,short\n");
  bytes = g_string_free_to_bytes (input);
  reader = herald_csv_reader_new_for_bytes (bytes);

  header = herald_csv_reader_read_record (reader, NULL, &error);
  record = herald_csv_reader_read_record (reader, NULL, &error);
  last = herald_csv_reader_read_record (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_null (herald_csv_record_get_error (record));
  notes = herald_csv_record_get_field (record, 1);
  g_assert_cmpuint (strlen (notes), ==, size);
  g_assert_cmpint (notes[0], ==, ',');
  g_assert_cmpint (notes[999], ==, '\n');
  g_assert_nonnull (last);
  g_assert_cmpstr (herald_csv_record_get_field (last, 0), ==, "Bob");
  g_assert_cmpuint (herald_csv_record_get_line (last), ==, 2 + size / 1000 + 1);
}

static void
test_not_text (void)
{
  /* The start of a zip file, as an .xlsx is. */
  const char input[] = "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xa4\x01\x00\x00\x13\x02\x00\x00";
  g_autoptr(GBytes) bytes = g_bytes_new_static (input, sizeof input - 1);
  g_autoptr(HeraldCsvReader) reader = herald_csv_reader_new_for_bytes (bytes);
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldCsvRecord) record = herald_csv_reader_read_record (reader, NULL, &error);

  g_assert_null (record);
  g_assert_error (error, HERALD_CSV_ERROR, HERALD_CSV_ERROR_NOT_TEXT);
}

static void
test_missing_file (void)
{
  g_autofree char *dir = herald_test_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "missing.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(HeraldCsvReader) reader = herald_csv_reader_new_for_file (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldCsvRecord) record = herald_csv_reader_read_record (reader, NULL, &error);

  g_assert_null (record);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_fixture_files (void)
{
  struct { const char *file; const char *first_data_row; } cases[] = {
    { "csv-utf16le.csv", "L2[José Ñandú|+34 600 111 222|café]\n" },
    { "csv-windows-1252.csv", "L2[José Ñandú|+34 600 111 222|10 €]\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = herald_test_data_path (cases[i].file);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(HeraldCsvReader) reader = herald_csv_reader_new_for_file (file);
      g_autofree char *dump = dump_reader (reader);

      g_assert_nonnull (strstr (dump, cases[i].first_data_row));
    }
}

static char *
random_field (void)
{
  static const char *pieces[] = {
    "a", "Zoë", " ", ",", ";", "\t", "\"", "\r\n", "\n", "\r", "€", "x y", "नाम", "sep=",
  };
  GString *field = g_string_new (NULL);
  guint n = g_test_rand_int_range (0, 6);

  for (guint i = 0; i < n; i++)
    g_string_append (field, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
  return g_string_free (field, FALSE);
}

/* Whatever the writer writes reads back as the same fields. */
static void
test_writer_round_trip (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(HeraldCsvWriter) writer = herald_csv_writer_new (out, ',', TRUE);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HeraldCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const char *header[] = { "name", "mobile_number", "notes", NULL };

  g_ptr_array_add (rows, g_strdupv ((char **) header));
  for (guint i = 0; i < 500; i++)
    {
      guint n_fields = g_test_rand_int_range (1, 5);
      char **row = g_new0 (char *, n_fields + 1);

      for (guint j = 0; j < n_fields; j++)
        row[j] = random_field ();
      g_ptr_array_add (rows, row);
    }

  for (guint i = 0; i < rows->len; i++)
    g_assert_true (herald_csv_writer_write_record (writer, g_ptr_array_index (rows, i), -1, NULL, &error));
  g_assert_true (herald_csv_writer_flush (writer, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  reader = herald_csv_reader_new_for_bytes (bytes);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(HeraldCsvRecord) record = herald_csv_reader_read_record (reader, NULL, &error);
      char **row = g_ptr_array_index (rows, i);

      g_assert_no_error (error);
      g_assert_nonnull (record);
      g_assert_null (herald_csv_record_get_error (record));
      g_assert_cmpstrv (herald_csv_record_get_fields (record), row);
    }
  g_assert_null (herald_csv_reader_read_record (reader, NULL, &error));
  g_assert_no_error (error);
}

static void
test_writer_quoting (void)
{
  struct { const char *field; const char *written; } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "cr\rhere", "\"cr\rhere\"" },
    { " lead", "\" lead\"" },
    { "trail ", "\"trail \"" },
    { "semi;colon", "\"semi;colon\"" },
    { "+34 600 111 222", "+34 600 111 222" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      herald_csv_append_field (out, cases[i].field, ',');
      g_assert_cmpstr (out->str, ==, cases[i].written);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/herald/csv/parse/%s", parse_cases[i].name);

      g_test_add_data_func (path, &parse_cases[i], test_parse);
    }
  g_test_add_func ("/herald/csv/utf16", test_utf16);
  g_test_add_func ("/herald/csv/windows-1252", test_windows_1252);
  g_test_add_func ("/herald/csv/windows-1252-late", test_windows_1252_late);
  g_test_add_func ("/herald/csv/invalid-utf8-in-utf8-file", test_invalid_utf8_in_utf8_file);
  g_test_add_func ("/herald/csv/big-field", test_big_field);
  g_test_add_func ("/herald/csv/not-text", test_not_text);
  g_test_add_func ("/herald/csv/missing-file", test_missing_file);
  g_test_add_func ("/herald/csv/fixture-files", test_fixture_files);
  g_test_add_func ("/herald/csv/writer/round-trip", test_writer_round_trip);
  g_test_add_func ("/herald/csv/writer/quoting", test_writer_quoting);

  return g_test_run ();
}
