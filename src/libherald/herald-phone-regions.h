/* herald-phone-regions.h: the ITU country calling codes and their regions
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One region, or one non-geographic service (empty @region), of a calling
 * code. Rows are sorted by calling code; the first row of a code is its main
 * region, whose number lengths apply to the whole code. */
typedef struct
{
  char    region[3];          /* ISO 3166-1 alpha-2, or "" */
  guint16 calling_code;
  char    trunk_prefix[3];    /* dialled before national numbers, or "" */
  char    international_prefix[5]; /* besides the usual "00", or "" */
  guint8  nsn_min;            /* national significant number length, */
  guint8  nsn_max;            /* 0 when unknown: E.164's bounds apply */
} HeraldPhoneRegion;

extern const HeraldPhoneRegion _herald_phone_regions[];
extern const guint _herald_phone_n_regions;

G_END_DECLS
