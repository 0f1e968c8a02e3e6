/* herald-phone.c: phone numbers as people type them, turned into E.164
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "herald-phone.h"
#include "herald-phone-regions.h"

G_DEFINE_QUARK (herald-phone-error-quark, herald_phone_error)

#define NO_ROW G_MAXUINT16
#define MAX_CODE_DIGITS 3
/* E.164's shortest national significant number. */
#define MIN_NSN_DIGITS 4

/* Indexes into _herald_phone_regions, built once: the main row of each
 * calling code, and the row of each region (AA..ZZ). */
typedef struct
{
  guint16 by_code[1000];
  guint16 by_region[26 * 26];
} RegionIndex;

static const RegionIndex *
region_index (void)
{
  static RegionIndex index;
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (index.by_code); i++)
        index.by_code[i] = NO_ROW;
      for (guint i = 0; i < G_N_ELEMENTS (index.by_region); i++)
        index.by_region[i] = NO_ROW;

      for (guint i = 0; i < _herald_phone_n_regions; i++)
        {
          const HeraldPhoneRegion *row = &_herald_phone_regions[i];

          g_assert (row->calling_code < G_N_ELEMENTS (index.by_code));
          if (index.by_code[row->calling_code] == NO_ROW)
            index.by_code[row->calling_code] = i;

          if (row->region[0] != '\0')
            {
              guint slot = (row->region[0] - 'A') * 26 + (row->region[1] - 'A');

              g_assert (slot < G_N_ELEMENTS (index.by_region));
              index.by_region[slot] = i;
            }
        }

      g_once_init_leave (&initialized, 1);
    }

  return &index;
}

static const HeraldPhoneRegion *
find_code (guint calling_code)
{
  guint16 row;

  if (calling_code >= G_N_ELEMENTS (region_index ()->by_code))
    return NULL;
  row = region_index ()->by_code[calling_code];
  return row == NO_ROW ? NULL : &_herald_phone_regions[row];
}

static const HeraldPhoneRegion *
find_region (const char *region)
{
  char a, b;
  guint16 row;

  if (region == NULL || region[0] == '\0' || region[1] == '\0' || region[2] != '\0')
    return NULL;
  a = g_ascii_toupper (region[0]);
  b = g_ascii_toupper (region[1]);
  if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
    return NULL;
  row = region_index ()->by_region[(a - 'A') * 26 + (b - 'A')];
  return row == NO_ROW ? NULL : &_herald_phone_regions[row];
}

/* Calling codes are prefix-free, so the first known prefix is the only one. */
static const HeraldPhoneRegion *
split_calling_code (const char *digits,
                    gsize      *code_len)
{
  guint code = 0;

  for (gsize i = 0; i < MAX_CODE_DIGITS && g_ascii_isdigit (digits[i]); i++)
    {
      const HeraldPhoneRegion *row;

      code = code * 10 + (digits[i] - '0');
      row = find_code (code);
      if (row != NULL)
        {
          *code_len = i + 1;
          return row;
        }
    }

  return NULL;
}

static guint
nsn_min (const HeraldPhoneRegion *row)
{
  return row->nsn_min != 0 ? row->nsn_min : MIN_NSN_DIGITS;
}

static guint
nsn_max (const HeraldPhoneRegion *row,
         gsize                    code_len)
{
  guint bound = HERALD_PHONE_MAX_DIGITS - code_len;

  return row->nsn_max != 0 ? MIN (row->nsn_max, bound) : bound;
}

static gboolean
nsn_fits (const HeraldPhoneRegion *row,
          gsize                    code_len,
          gsize                    nsn_len)
{
  return nsn_len >= nsn_min (row) && nsn_len <= nsn_max (row, code_len);
}

static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case '-':
    case '.':
    case '/':
    case '(':
    case ')':
    case '[':
    case ']':
    case 0x2010: /* hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2012: /* figure dash */
    case 0x2013: /* en dash */
    case 0x2014: /* em dash */
    case 0x2015: /* horizontal bar */
    case 0x2212: /* minus sign */
    case 0x30FC: /* katakana long vowel mark, typed as a dash in Japan */
    case 0xFF0D: /* fullwidth hyphen-minus */
    case 0xFF0E: /* fullwidth full stop */
    case 0xFF0F: /* fullwidth solidus */
    case 0xFF08: /* fullwidth parentheses */
    case 0xFF09:
      return TRUE;
    default:
      /* Covers the no-break spaces (U+00A0, U+2007, U+202F) and tabs. */
      return g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
    }
}

static gboolean
is_plus (gunichar c)
{
  return c == '+' || c == 0xFF0B; /* fullwidth plus */
}

/* "x 12", "ext. 12", "extension 12", "#12" or ";ext=12" after a number. */
static gboolean
has_extension (const char *input)
{
  g_autofree char *lower = g_utf8_strdown (input, -1);
  const char *p;

  if (strchr (lower, '#') != NULL || strstr (lower, "ext") != NULL)
    return TRUE;

  p = strrchr (lower, 'x');
  if (p == NULL || p == lower ||
      (!g_ascii_isdigit (p[-1]) && p[-1] != ' ' && p[-1] != '.'))
    return FALSE;
  for (p++; *p == ' ' || *p == '.'; p++)
    ;
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Keeps the digits of @input (any script's decimal digits), drops the
 * separators people write, and notes a leading plus. */
static char *
collect_digits (const char  *input,
                gboolean    *has_plus,
                GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean seen_plus = FALSE;

  for (const char *p = input; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int value = g_unichar_digit_value (c);

      if (value >= 0)
        {
          g_string_append_c (digits, '0' + value);
        }
      else if (is_plus (c) && digits->len == 0 && !seen_plus)
        {
          seen_plus = TRUE;
        }
      else if (is_separator (c))
        {
          continue;
        }
      else if (g_unichar_isalpha (c) || c == '#' || c == ';')
        {
          if (has_extension (input))
            g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_INVALID_CHARACTER,
                         _("“%s” has an extension, which a WhatsApp number cannot have"),
                         input);
          else
            g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_INVALID_CHARACTER,
                         _("“%s” contains a letter"), input);
          return NULL;
        }
      else
        {
          char bad[8] = { 0 };

          g_unichar_to_utf8 (c, bad);
          g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_INVALID_CHARACTER,
                       _("“%s” contains “%s”, which does not belong in a phone number"),
                       input, bad);
          return NULL;
        }
    }

  *has_plus = seen_plus;
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

static gboolean
check_length (const HeraldPhoneRegion  *row,
              gsize                     code_len,
              gsize                     nsn_len,
              GError                  **error)
{
  guint min = nsn_min (row);
  guint max = nsn_max (row, code_len);

  if (nsn_len < min)
    {
      if (min == max)
        g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_TOO_SHORT,
                     _("Too short for +%u: needs %u digits after the country code"),
                     row->calling_code, min);
      else
        g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_TOO_SHORT,
                     _("Too short for +%u: needs at least %u digits after the country code"),
                     row->calling_code, min);
      return FALSE;
    }

  if (nsn_len > max)
    {
      if (min == max)
        g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_TOO_LONG,
                     _("Too long for +%u: needs %u digits after the country code"),
                     row->calling_code, max);
      else
        g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_TOO_LONG,
                     _("Too long for +%u: at most %u digits after the country code"),
                     row->calling_code, max);
      return FALSE;
    }

  return TRUE;
}

/* Strips the way out of the country dialled from @home, if @digits start
 * with it: the usual "00", or the region's own ("011" in North America). */
static const char *
skip_international_prefix (const char              *digits,
                           const HeraldPhoneRegion *home)
{
  if (home != NULL && home->international_prefix[0] != '\0' &&
      g_str_has_prefix (digits, home->international_prefix))
    return digits + strlen (home->international_prefix);
  if (g_str_has_prefix (digits, "00"))
    return digits + 2;
  return NULL;
}

/* Mexico dropped the "1" that mobile numbers needed after +52 in 2019, but
 * address books still hold "+52 1 55 1234 5678": the same number. */
#define MX_CALLING_CODE 52
#define MX_OLD_MOBILE_NSN_LENGTH 11

static const char *
skip_old_mobile_prefix (const HeraldPhoneRegion *row,
                        const char              *nsn)
{
  if (row->calling_code == MX_CALLING_CODE &&
      strlen (nsn) == MX_OLD_MOBILE_NSN_LENGTH && nsn[0] == '1')
    return nsn + 1;
  return nsn;
}

static char *
format_e164 (const HeraldPhoneRegion *row,
             const char              *nsn)
{
  return g_strdup_printf ("+%u%s", row->calling_code, nsn);
}

static char *
normalize_international (const char  *input,
                         const char  *digits,
                         GError     **error)
{
  const HeraldPhoneRegion *row;
  const char *nsn;
  gsize code_len = 0;
  gsize nsn_len;

  row = split_calling_code (digits, &code_len);
  if (row == NULL)
    {
      if (strlen (digits) < MAX_CODE_DIGITS)
        g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_TOO_SHORT,
                     _("“%s” is too short for a phone number"), input);
      else
        g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_UNKNOWN_COUNTRY_CODE,
                     _("+%.3s is not a country calling code"), digits);
      return NULL;
    }

  nsn = digits + code_len;
  nsn_len = strlen (nsn);

  /* "+44 (0)20 7946 0000": the national trunk prefix written by habit. */
  if (row->trunk_prefix[0] != '\0' &&
      g_str_has_prefix (nsn, row->trunk_prefix) &&
      nsn_fits (row, code_len, nsn_len - strlen (row->trunk_prefix)))
    nsn += strlen (row->trunk_prefix);

  nsn = skip_old_mobile_prefix (row, nsn);
  if (!check_length (row, code_len, strlen (nsn), error))
    return NULL;

  return format_e164 (row, nsn);
}

static char *
normalize_national (const char               *input,
                    const char               *digits,
                    const HeraldPhoneRegion  *home,
                    GError                  **error)
{
  const HeraldPhoneRegion *main_row = find_code (home->calling_code);
  g_autofree char *code = g_strdup_printf ("%u", home->calling_code);
  gsize code_len = strlen (code);
  const char *nsn = digits;

  if (home->trunk_prefix[0] != '\0' && g_str_has_prefix (nsn, home->trunk_prefix))
    nsn += strlen (home->trunk_prefix);

  /* "91 98765 43210" with region IN: the country code without its plus, as
   * spreadsheets often keep it. Only when the digits make no national number. */
  if (nsn == digits &&
      !nsn_fits (main_row, code_len, strlen (nsn)) &&
      g_str_has_prefix (nsn, code) &&
      nsn_fits (main_row, code_len, strlen (nsn) - code_len))
    nsn += code_len;

  nsn = skip_old_mobile_prefix (main_row, nsn);
  if (!check_length (main_row, code_len, strlen (nsn), error))
    return NULL;

  return format_e164 (main_row, nsn);
}

/**
 * herald_phone_normalize:
 * @input: a phone number as someone typed it
 * @default_region: (nullable): the region of numbers without a country code
 * @error: return location for a #HERALD_PHONE_ERROR
 *
 * Returns: (transfer full): "+<digits>" in E.164, or %NULL with @error set
 */
char *
herald_phone_normalize (const char  *input,
                        const char  *default_region,
                        GError     **error)
{
  const HeraldPhoneRegion *home = NULL;
  g_autofree char *digits = NULL;
  const char *international;
  gboolean has_plus = FALSE;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Numbers come from files too; bad bytes are the data's fault. */
  if (!g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_INVALID_CHARACTER,
                           _("The phone number contains bytes that are not text"));
      return NULL;
    }

  if (default_region != NULL && default_region[0] != '\0')
    {
      home = find_region (default_region);
      if (home == NULL)
        {
          g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_UNKNOWN_REGION,
                       _("“%s” is not a region code we know"), default_region);
          return NULL;
        }
    }

  digits = collect_digits (input, &has_plus, error);
  if (digits == NULL)
    return NULL;

  if (digits[0] == '\0')
    {
      g_set_error_literal (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_EMPTY,
                           _("No phone number given"));
      return NULL;
    }

  if (has_plus)
    return normalize_international (input, digits, error);

  international = skip_international_prefix (digits, home);
  if (international != NULL)
    return normalize_international (input, international, error);

  if (home == NULL)
    {
      g_set_error (error, HERALD_PHONE_ERROR, HERALD_PHONE_ERROR_NO_COUNTRY_CODE,
                   _("“%s” has no country code: write it with + and the country code"),
                   input);
      return NULL;
    }

  return normalize_national (input, digits, home, error);
}

/* The row and code length of an E.164 string, checked in full. */
static const HeraldPhoneRegion *
parse_e164 (const char *number,
            gsize      *code_len)
{
  const HeraldPhoneRegion *row;
  gsize len;

  if (number == NULL || number[0] != '+')
    return NULL;

  len = strlen (number + 1);
  if (len == 0 || len > HERALD_PHONE_MAX_DIGITS)
    return NULL;
  for (gsize i = 1; i <= len; i++)
    if (!g_ascii_isdigit (number[i]))
      return NULL;

  row = split_calling_code (number + 1, code_len);
  if (row == NULL || !nsn_fits (row, *code_len, len - *code_len))
    return NULL;

  return row;
}

gboolean
herald_phone_is_e164 (const char *number)
{
  gsize code_len;

  return parse_e164 (number, &code_len) != NULL;
}

gboolean
herald_phone_is_fictional (const char *e164)
{
  g_return_val_if_fail (e164 != NULL, FALSE);

  /* "+1", a three-digit area code, then 555 01XX. */
  return strlen (e164) == 12 && g_str_has_prefix (e164, "+1") && strncmp (e164 + 5, "55501", 5) == 0 &&
         g_ascii_isdigit (e164[10]) && g_ascii_isdigit (e164[11]);
}

const char *
herald_phone_region_for_number (const char *e164)
{
  const HeraldPhoneRegion *row;
  gsize code_len;

  g_return_val_if_fail (e164 != NULL, NULL);

  if (e164[0] != '+')
    return NULL;
  row = split_calling_code (e164 + 1, &code_len);
  if (row == NULL || row->region[0] == '\0')
    return NULL;
  return row->region;
}

guint
herald_phone_calling_code_for_region (const char *region)
{
  const HeraldPhoneRegion *row;

  g_return_val_if_fail (region != NULL, 0);

  row = find_region (region);
  return row != NULL ? row->calling_code : 0;
}

guint
herald_phone_calling_code_for_number (const char *e164)
{
  const HeraldPhoneRegion *row;
  gsize code_len;

  g_return_val_if_fail (e164 != NULL, 0);

  if (e164[0] != '+')
    return 0;
  row = split_calling_code (e164 + 1, &code_len);
  return row != NULL ? row->calling_code : 0;
}

const char *
herald_phone_wa_id (const char *e164)
{
  g_return_val_if_fail (e164 != NULL, NULL);

  return herald_phone_is_e164 (e164) ? e164 + 1 : NULL;
}
