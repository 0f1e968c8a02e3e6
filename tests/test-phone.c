/* test-phone.c: E.164 normalisation, rejections and the calling code table
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "herald-phone.h"
#include "herald-phone-regions.h"

typedef struct
{
  const char *input;
  const char *region;
  const char *expected;
} NormalizeCase;

static const NormalizeCase normalize_cases[] = {
  /* India */
  { "098765 43210", "IN", "+919876543210" },
  { "98765-43210", "in", "+919876543210" },
  { "+91 98765 43210", NULL, "+919876543210" },
  { "0091 9876543210", NULL, "+919876543210" },
  { "91 98765 43210", "IN", "+919876543210" },
  { "+९१ ९८७६५ ४३२१०", NULL, "+919876543210" },
  /* Brazil */
  { "(11) 98765-4321", "BR", "+5511987654321" },
  { "011 98765-4321", "BR", "+5511987654321" },
  { "+55 (11) 3456-7890", "GB", "+551134567890" },
  /* United Kingdom */
  { "07700 900123", "GB", "+447700900123" },
  { "+44 (0)7700 900123", NULL, "+447700900123" },
  { "0044 20 7946 0000", NULL, "+442079460000" },
  { "+44\u00a07700\u00a0900123", NULL, "+447700900123" },
  { "\t+44 7700 900123 \n", NULL, "+447700900123" },
  /* United States, Canada */
  { "(415) 555-2671", "US", "+14155552671" },
  { "1-415-555-2671", "US", "+14155552671" },
  { "+1.415.555.2671", NULL, "+14155552671" },
  { "011 44 7700 900123", "US", "+447700900123" },
  { "416 555 0199", "CA", "+14165550199" },
  /* Germany */
  { "0151 23456789", "DE", "+4915123456789" },
  { "+49 30/1234567", NULL, "+49301234567" },
  { "00 49 (0) 30 1234567", "FR", "+49301234567" },
  /* France */
  { "06 12 34 56 78", "FR", "+33612345678" },
  { "06.12.34.56.78", "FR", "+33612345678" },
  { "+33 (0)6 12 34 56 78", NULL, "+33612345678" },
  /* Italy keeps the 0 of landlines: it is no trunk prefix */
  { "06 6988 1234", "IT", "+390669881234" },
  { "+39 06 6988 1234", NULL, "+390669881234" },
  { "333 123 4567", "IT", "+393331234567" },
  /* Mexico */
  { "55 1234 5678", "MX", "+525512345678" },
  { "+52 55 1234 5678", NULL, "+525512345678" },
  { "+52 1 55 1234 5678", NULL, "+525512345678" },
  { "01 55 1234 5678", "MX", "+525512345678" },
  /* Spain */
  { "612 34 56 78", "ES", "+34612345678" },
  /* Indonesia */
  { "0812-3456-7890", "ID", "+6281234567890" },
  /* Nigeria */
  { "0803 123 4567", "NG", "+2348031234567" },
  /* South Africa */
  { "082 123 4567", "ZA", "+27821234567" },
  /* United Arab Emirates */
  { "050 123 4567", "AE", "+971501234567" },
  { "+971 50 123 4567", NULL, "+971501234567" },
  /* Russia and Kazakhstan, trunk prefix 8 */
  { "8 (916) 123-45-67", "RU", "+79161234567" },
  { "8 701 123 4567", "KZ", "+77011234567" },
  /* Japan, international prefix 010 */
  { "090-1234-5678", "JP", "+819012345678" },
  { "010 44 7700 900123", "JP", "+447700900123" },
  /* Australia, international prefix 0011 */
  { "0412 345 678", "AU", "+61412345678" },
  { "0011 44 7700 900123", "AU", "+447700900123" },
  /* Argentina */
  { "+54 9 11 2345-6789", NULL, "+5491123456789" },
  /* Fullwidth digits and dashes */
  { "０９０－１２３４－５６７８", "JP", "+819012345678" },
};

static void
test_normalize (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (normalize_cases); i++)
    {
      const NormalizeCase *c = &normalize_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = NULL;

      g_test_message ("“%s” in %s", c->input, c->region ? c->region : "(none)");
      e164 = herald_phone_normalize (c->input, c->region, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (e164, ==, c->expected);
      g_assert_true (herald_phone_is_e164 (e164));

      /* Normalising is idempotent, whatever the region. */
      g_clear_pointer (&e164, g_free);
      e164 = herald_phone_normalize (c->expected, "JP", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (e164, ==, c->expected);
    }
}

typedef struct
{
  const char *input;
  const char *region;
  HeraldPhoneError code;
  const char *message_part;
} RejectCase;

static const RejectCase reject_cases[] = {
  { "", "US", HERALD_PHONE_ERROR_EMPTY, "No phone number" },
  { " - ( ) ", "US", HERALD_PHONE_ERROR_EMPTY, "No phone number" },
  { "+", NULL, HERALD_PHONE_ERROR_EMPTY, "No phone number" },
  { "12ab", "US", HERALD_PHONE_ERROR_INVALID_CHARACTER, "“12ab” contains a letter" },
  { "1-800-FLOWERS", "US", HERALD_PHONE_ERROR_INVALID_CHARACTER, "contains a letter" },
  { "+1 415 555 2671 ext. 12", NULL, HERALD_PHONE_ERROR_INVALID_CHARACTER, "extension" },
  { "+1 415 555 2671 x12", NULL, HERALD_PHONE_ERROR_INVALID_CHARACTER, "extension" },
  { "+1 415 555 2671 #12", NULL, HERALD_PHONE_ERROR_INVALID_CHARACTER, "extension" },
  { "+44 7700 900123!", NULL, HERALD_PHONE_ERROR_INVALID_CHARACTER, "“!”" },
  { "44+7700900123", NULL, HERALD_PHONE_ERROR_INVALID_CHARACTER, "“+”" },
  { "++447700900123", NULL, HERALD_PHONE_ERROR_INVALID_CHARACTER, "“+”" },
  { "07700 900123", NULL, HERALD_PHONE_ERROR_NO_COUNTRY_CODE, "no country code" },
  { "415 555 2671", "", HERALD_PHONE_ERROR_NO_COUNTRY_CODE, "no country code" },
  { "07700 900123", "XX", HERALD_PHONE_ERROR_UNKNOWN_REGION, "“XX”" },
  { "07700 900123", "GBR", HERALD_PHONE_ERROR_UNKNOWN_REGION, "“GBR”" },
  { "+999 1234 5678", NULL, HERALD_PHONE_ERROR_UNKNOWN_COUNTRY_CODE,
    "+999 is not a country calling code" },
  { "00 28 1234 5678", "DE", HERALD_PHONE_ERROR_UNKNOWN_COUNTRY_CODE,
    "+281 is not a country calling code" },
  { "+44 7700 90", NULL, HERALD_PHONE_ERROR_TOO_SHORT,
    "Too short for +44: needs at least 9 digits after the country code" },
  { "+91 98765 4321", NULL, HERALD_PHONE_ERROR_TOO_SHORT,
    "Too short for +91: needs 10 digits after the country code" },
  { "555 2671", "US", HERALD_PHONE_ERROR_TOO_SHORT, "Too short for +1" },
  { "+2", NULL, HERALD_PHONE_ERROR_TOO_SHORT, "too short" },
  { "+44 7700 900123 4567", NULL, HERALD_PHONE_ERROR_TOO_LONG, "Too long for +44" },
  { "+91 98765 432101", NULL, HERALD_PHONE_ERROR_TOO_LONG, "Too long for +91" },
  { "+49 1234 5678 9012 34", NULL, HERALD_PHONE_ERROR_TOO_LONG, "Too long for +49" },
  { "\xff\xfe 1234", "US", HERALD_PHONE_ERROR_INVALID_CHARACTER, "not text" },
  { "+800 1234 56789", NULL, HERALD_PHONE_ERROR_TOO_LONG, "Too long for +800" },
};

static void
test_reject (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (reject_cases); i++)
    {
      const RejectCase *c = &reject_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = NULL;
      g_autofree char *shown = g_utf8_make_valid (c->input, -1);

      g_test_message ("“%s” in %s", shown, c->region ? c->region : "(none)");
      e164 = herald_phone_normalize (c->input, c->region, &error);
      g_assert_null (e164);
      g_assert_error (error, HERALD_PHONE_ERROR, (int) c->code);
      g_assert_nonnull (strstr (error->message, c->message_part));
    }
}

static void
test_is_e164 (void)
{
  static const struct {
    const char *number;
    gboolean valid;
  } cases[] = {
    { "+14155552671", TRUE },
    { "+919876543210", TRUE },
    { "+390669881234", TRUE },
    { "+80012345678", TRUE },
    { "14155552671", FALSE },
    { "+1 4155552671", FALSE },
    { "+1415555267", FALSE },
    { "+141555526712", FALSE },
    { "+9991234567", FALSE },
    { "+4477009001234567", FALSE },
    { "+", FALSE },
    { "", FALSE },
    { "+44770090012a", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("“%s”", cases[i].number);
      g_assert_cmpint (herald_phone_is_e164 (cases[i].number), ==, cases[i].valid);
    }
  g_assert_false (herald_phone_is_e164 (NULL));
}

static void
test_is_fictional (void)
{
  static const struct {
    const char *number;
    gboolean fictional;
  } cases[] = {
    { "+12025550101", TRUE },
    { "+15550100101", FALSE },  /* area code 555, not the 555 0100–0199 block */
    { "+12125550199", TRUE },
    { "+12125550100", TRUE },
    { "+12125550200", FALSE },  /* 555 outside 0100–0199 is a real exchange's */
    { "+12125551212", FALSE },
    { "+442125550142", FALSE }, /* the NANP's rule, not the UK's */
    { "+1212555014", FALSE },
    { "+121255501423", FALSE },
    { "+14155552671", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("“%s”", cases[i].number);
      g_assert_cmpint (herald_phone_is_fictional (cases[i].number), ==, cases[i].fictional);
    }
}

static void
test_lookups (void)
{
  g_assert_cmpstr (herald_phone_region_for_number ("+14155552671"), ==, "US");
  g_assert_cmpstr (herald_phone_region_for_number ("+14165550199"), ==, "US");
  g_assert_cmpstr (herald_phone_region_for_number ("+79161234567"), ==, "RU");
  g_assert_cmpstr (herald_phone_region_for_number ("+447700900123"), ==, "GB");
  g_assert_cmpstr (herald_phone_region_for_number ("+390669881234"), ==, "IT");
  g_assert_cmpstr (herald_phone_region_for_number ("+2348031234567"), ==, "NG");
  g_assert_null (herald_phone_region_for_number ("+80012345678"));
  g_assert_null (herald_phone_region_for_number ("+9991234567"));
  g_assert_null (herald_phone_region_for_number ("919876543210"));

  g_assert_cmpuint (herald_phone_calling_code_for_region ("IN"), ==, 91);
  g_assert_cmpuint (herald_phone_calling_code_for_region ("in"), ==, 91);
  g_assert_cmpuint (herald_phone_calling_code_for_region ("CA"), ==, 1);
  g_assert_cmpuint (herald_phone_calling_code_for_region ("KZ"), ==, 7);
  g_assert_cmpuint (herald_phone_calling_code_for_region ("AE"), ==, 971);
  g_assert_cmpuint (herald_phone_calling_code_for_region ("XX"), ==, 0);
  g_assert_cmpuint (herald_phone_calling_code_for_region (""), ==, 0);
  g_assert_cmpuint (herald_phone_calling_code_for_region ("GBR"), ==, 0);
  g_assert_cmpuint (herald_phone_calling_code_for_region ("1!"), ==, 0);

  g_assert_cmpuint (herald_phone_calling_code_for_number ("+5511987654321"), ==, 55);
  g_assert_cmpuint (herald_phone_calling_code_for_number ("+971501234567"), ==, 971);
  g_assert_cmpuint (herald_phone_calling_code_for_number ("+9991234567"), ==, 0);
  g_assert_cmpuint (herald_phone_calling_code_for_number ("971501234567"), ==, 0);

  g_assert_cmpstr (herald_phone_wa_id ("+919876543210"), ==, "919876543210");
  g_assert_null (herald_phone_wa_id ("919876543210"));
  g_assert_null (herald_phone_wa_id ("+91 98765 43210"));
}

static char *
digits_of_length (guint length)
{
  /* Starts with 5: no trunk or international prefix in the table does. */
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < length; i++)
    g_string_append_c (s, "5234567890"[i % 10]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Every row of the table agrees with the lookups, and a number of each
 * code's longest and shortest length goes through normalisation unchanged. */
static void
test_table (void)
{
  g_autoptr(GHashTable) regions = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) codes = g_hash_table_new (NULL, NULL);
  const char *main_region = NULL;
  guint previous_code = 0;
  GHashTableIter a_iter, b_iter;
  gpointer a, b;

  for (guint i = 0; i < _herald_phone_n_regions; i++)
    {
      const HeraldPhoneRegion *row = &_herald_phone_regions[i];
      g_autofree char *code = g_strdup_printf ("%u", row->calling_code);
      guint code_len = strlen (code);
      guint max = row->nsn_max != 0 ? row->nsn_max : HERALD_PHONE_MAX_DIGITS - code_len;
      guint min = row->nsn_min != 0 ? row->nsn_min : 4;
      g_autofree char *longest = digits_of_length (max);
      g_autofree char *shortest = digits_of_length (min);
      g_autofree char *too_long = digits_of_length (max + 1);
      g_autofree char *e164 = g_strconcat ("+", code, longest, NULL);

      g_test_message ("row %u: %s +%u", i, row->region, row->calling_code);

      /* Sorted by code; the main region is the first of its code. */
      g_assert_cmpuint (row->calling_code, >=, previous_code);
      g_assert_cmpuint (row->calling_code, >, 0);
      g_assert_cmpuint (code_len, <=, 3);
      if (row->calling_code != previous_code)
        main_region = row->region[0] != '\0' ? row->region : NULL;
      previous_code = row->calling_code;
      g_hash_table_add (codes, GUINT_TO_POINTER (row->calling_code));

      g_assert_cmpuint (min, <=, max);
      g_assert_cmpuint (code_len + max, <=, HERALD_PHONE_MAX_DIGITS);
      for (const char *p = row->trunk_prefix; *p != '\0'; p++)
        g_assert_true (g_ascii_isdigit (*p));
      for (const char *p = row->international_prefix; *p != '\0'; p++)
        g_assert_true (g_ascii_isdigit (*p));

      g_assert_true (herald_phone_is_e164 (e164));
      g_assert_cmpuint (herald_phone_calling_code_for_number (e164), ==, row->calling_code);
      g_assert_cmpstr (herald_phone_region_for_number (e164), ==, main_region);

      if (row->region[0] != '\0')
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *national = g_strconcat (row->trunk_prefix, shortest, NULL);
          g_autofree char *expected = g_strconcat ("+", code, shortest, NULL);
          g_autofree char *normalized = NULL;

          g_assert_true (g_ascii_isupper (row->region[0]) && g_ascii_isupper (row->region[1]));
          g_assert_false (g_hash_table_contains (regions, row->region));
          g_hash_table_add (regions, (gpointer) row->region);
          g_assert_cmpuint (herald_phone_calling_code_for_region (row->region), ==,
                            row->calling_code);

          normalized = herald_phone_normalize (national, row->region, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (normalized, ==, expected);
          g_clear_pointer (&normalized, g_free);

          normalized = herald_phone_normalize (too_long, row->region, &error);
          g_assert_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_TOO_LONG);
          g_assert_null (normalized);
        }
    }

  /* Codes are prefix-free, which the parser relies on. */
  g_hash_table_iter_init (&a_iter, codes);
  while (g_hash_table_iter_next (&a_iter, &a, NULL))
    {
      g_autofree char *a_text = g_strdup_printf ("%u", GPOINTER_TO_UINT (a));

      g_hash_table_iter_init (&b_iter, codes);
      while (g_hash_table_iter_next (&b_iter, &b, NULL))
        {
          g_autofree char *b_text = g_strdup_printf ("%u", GPOINTER_TO_UINT (b));

          if (a != b)
            g_assert_false (g_str_has_prefix (b_text, a_text));
        }
    }

  /* About 215 codes and 245 regions are in service. */
  g_assert_cmpuint (g_hash_table_size (codes), >=, 210);
  g_assert_cmpuint (g_hash_table_size (regions), >=, 240);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/herald/phone/normalize", test_normalize);
  g_test_add_func ("/herald/phone/reject", test_reject);
  g_test_add_func ("/herald/phone/is-e164", test_is_e164);
  g_test_add_func ("/herald/phone/is-fictional", test_is_fictional);
  g_test_add_func ("/herald/phone/lookups", test_lookups);
  g_test_add_func ("/herald/phone/table", test_table);

  return g_test_run ();
}
