/* herald-webhook.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "herald-webhook.h"

#define SIGNATURE_PREFIX "sha256="
#define SIGNATURE_HEX_LEN 64

/* Returns "sha256=" followed by the lowercase hex HMAC-SHA256 of the exact
 * bytes given, keyed by the app secret. */
char *
herald_webhook_compute_signature (const char   *app_secret,
                                  const guint8 *body,
                                  gsize         body_len)
{
  g_autofree char *hex = NULL;

  g_return_val_if_fail (app_secret != NULL, NULL);
  g_return_val_if_fail (body != NULL || body_len == 0, NULL);

  hex = g_compute_hmac_for_data (G_CHECKSUM_SHA256,
                                 (const guchar *) app_secret, strlen (app_secret),
                                 body != NULL ? body : (const guint8 *) "", body_len);

  return g_strconcat (SIGNATURE_PREFIX, hex, NULL);
}

/* TRUE only when header_value is exactly "sha256=" and the 64 lowercase hex
 * digits of the body's HMAC. The digits are compared without stopping at the
 * first difference, so the time taken tells an attacker nothing about how
 * much of a forged signature was right. */
gboolean
herald_webhook_verify_signature (const char   *app_secret,
                                 const guint8 *body,
                                 gsize         body_len,
                                 const char   *header_value)
{
  g_autofree char *expected = NULL;
  guint8 difference = 0;

  g_return_val_if_fail (app_secret != NULL, FALSE);
  g_return_val_if_fail (body != NULL || body_len == 0, FALSE);

  if (header_value == NULL)
    return FALSE;

  expected = herald_webhook_compute_signature (app_secret, body, body_len);

  /* The length is not secret: a header of the wrong length fails at once. */
  if (strlen (header_value) != strlen (expected))
    return FALSE;

  for (gsize i = 0; expected[i] != '\0'; i++)
    difference |= (guint8) (expected[i] ^ header_value[i]);

  return difference == 0;
}
