/* herald-cloud-error.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HERALD_CLOUD_ERROR (herald_cloud_error_quark ())

/* The code of a HERALD_CLOUD_ERROR is Meta's own `error.code` (a positive
 * number such as 131056 or 190, see whatsapp-cloud-api.md §2) whenever Meta
 * answered with an error object. The negative codes below are Herald's own, for
 * failures Meta never named. A few of Meta's codes get names for callers. */
typedef enum
{
  /* The request was refused by the client before anything was sent (a bad
   * recipient, an over-long biz_opaque_callback_data, a template that does not
   * fit the parameters). */
  HERALD_CLOUD_ERROR_INVALID_REQUEST           = -1,
  /* No connection, or it broke before the whole request was written: Meta
   * cannot have acted on it. */
  HERALD_CLOUD_ERROR_CONNECTION_FAILED         = -2,
  /* No answer within the timeout, for a request that is safe to repeat. */
  HERALD_CLOUD_ERROR_TIMEOUT                   = -3,
  /* A send whose request was written in full, after which the connection
   * broke or timed out before a complete answer: Meta may have accepted it.
   * Never resend blindly; the status webhook (biz_opaque_callback_data)
   * settles it. */
  HERALD_CLOUD_ERROR_CONNECTION_LOST_AFTER_SEND = -4,
  /* An answer that is not JSON, or JSON of the wrong shape. */
  HERALD_CLOUD_ERROR_BAD_RESPONSE              = -5,
  /* HTTP 5xx without one of Meta's error objects. */
  HERALD_CLOUD_ERROR_HTTP_5XX                  = -6,
  /* HTTP 429 without one of Meta's error objects. */
  HERALD_CLOUD_ERROR_HTTP_429                  = -7,

  /* Some of Meta's codes, by name. */
  HERALD_CLOUD_ERROR_META_AUTH                 = 0,
  HERALD_CLOUD_ERROR_META_TOKEN_EXPIRED        = 190,
  HERALD_CLOUD_ERROR_META_INVALID_PARAMETER    = 100,
  HERALD_CLOUD_ERROR_META_THROUGHPUT           = 130429,
  HERALD_CLOUD_ERROR_META_UNDELIVERABLE        = 131026,
  HERALD_CLOUD_ERROR_META_MARKETING_OPT_OUT    = 131050,
  HERALD_CLOUD_ERROR_META_PAIR_RATE_LIMIT      = 131056,
  HERALD_CLOUD_ERROR_META_PARAMETER_COUNT      = 132000,
  HERALD_CLOUD_ERROR_META_TEMPLATE_MISSING     = 132001,
  HERALD_CLOUD_ERROR_META_TEMPLATE_PAUSED      = 132015,
} HeraldCloudErrorCode;

/* What a caller (the campaign engine) does after an error. */
typedef enum
{
  /* The same request can succeed later: wait at least the retry-after time,
   * back off on repeats, and retry. */
  HERALD_CLOUD_VERDICT_RETRY_LATER,
  /* This message (or request) can never succeed as it is: mark it failed and
   * go on with the others. */
  HERALD_CLOUD_VERDICT_FAIL_MESSAGE,
  /* Nothing else will succeed either (token, account, permission, template
   * paused or disabled): stop the campaign and tell the user. */
  HERALD_CLOUD_VERDICT_STOP_CAMPAIGN,
  /* A send that Meta may have accepted: keep it claimed, do not resend it
   * blindly; its status webhook settles it. */
  HERALD_CLOUD_VERDICT_IN_DOUBT,
} HeraldCloudVerdict;

GQuark             herald_cloud_error_quark       (void);

/* Classifies @error (a HERALD_CLOUD_ERROR; any other domain, say a cancelled
 * call, is FAIL_MESSAGE: check G_IO_ERROR_CANCELLED first). Meta codes not in
 * our table are FAIL_MESSAGE, so an unknown code never loops forever. For
 * RETRY_LATER, @retry_after_seconds (nullable) gets the least wait before the
 * first retry, else 0; for 131056 Meta advises 4^X seconds on the X-th retry,
 * so callers multiply on repeats. */
HeraldCloudVerdict herald_cloud_error_get_verdict (const GError *error,
                                                   guint        *retry_after_seconds);

const char        *herald_cloud_verdict_to_string (HeraldCloudVerdict verdict);

G_END_DECLS
