/* herald-phone.h: phone numbers as people type them, turned into E.164
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HERALD_PHONE_ERROR (herald_phone_error_quark ())

typedef enum
{
  HERALD_PHONE_ERROR_EMPTY,
  HERALD_PHONE_ERROR_INVALID_CHARACTER,
  HERALD_PHONE_ERROR_NO_COUNTRY_CODE,
  HERALD_PHONE_ERROR_UNKNOWN_COUNTRY_CODE,
  HERALD_PHONE_ERROR_TOO_SHORT,
  HERALD_PHONE_ERROR_TOO_LONG,
  HERALD_PHONE_ERROR_UNKNOWN_REGION,
} HeraldPhoneError;

/* E.164 allows at most 15 digits after the "+". */
#define HERALD_PHONE_MAX_DIGITS 15

GQuark      herald_phone_error_quark               (void);

/* Returns "+<digits>" or NULL with @error set. @default_region (ISO 3166-1
 * alpha-2, any case, or NULL) is used for numbers written without a country
 * code, after removing that region's trunk prefix. */
char       *herald_phone_normalize                 (const char  *input,
                                                    const char  *default_region,
                                                    GError     **error);

/* TRUE when @number is already "+" followed by a known calling code and a
 * national number of plausible length, with nothing else. */
gboolean    herald_phone_is_e164                   (const char  *number);

/* TRUE when @e164 is one of the numbers the North American Numbering Plan
 * keeps for fiction (+1 NPA 555 0100 to 0199): no phone has one, so nothing
 * sent to it through Meta can arrive. The Sandbox's sample contacts use them. */
gboolean    herald_phone_is_fictional              (const char  *e164);

/* The main region (ISO 3166-1 alpha-2) for the calling code of @e164, such as
 * "US" for any +1 number, or NULL when the code is unknown or belongs to no
 * region (+800, +882…). Static string. */
const char *herald_phone_region_for_number         (const char  *e164);

/* The calling code of @region (any case), 0 when unknown. */
guint       herald_phone_calling_code_for_region   (const char  *region);

/* The calling code at the start of @e164, 0 when none is known. */
guint       herald_phone_calling_code_for_number   (const char  *e164);

/* The digits of @e164 without the "+", as WhatsApp's wa_id writes them: a
 * pointer into @e164, or NULL when @e164 is not E.164. */
const char *herald_phone_wa_id                     (const char  *e164);

G_END_DECLS
