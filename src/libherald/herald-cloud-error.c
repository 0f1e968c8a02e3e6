/* herald-cloud-error.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "herald-cloud-error.h"

G_DEFINE_QUARK (herald-cloud-error-quark, herald_cloud_error)

typedef struct
{
  int                code;
  HeraldCloudVerdict verdict;
  guint              retry_after_seconds;
} VerdictRule;

/* From the table in whatsapp-cloud-api.md §2. Whatever is not here fails the
 * one message (see herald_cloud_error_get_verdict). */
static const VerdictRule rules[] = {
  /* Our own codes. */
  { HERALD_CLOUD_ERROR_INVALID_REQUEST, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { HERALD_CLOUD_ERROR_CONNECTION_FAILED, HERALD_CLOUD_VERDICT_RETRY_LATER, 5 },
  { HERALD_CLOUD_ERROR_TIMEOUT, HERALD_CLOUD_VERDICT_RETRY_LATER, 5 },
  { HERALD_CLOUD_ERROR_CONNECTION_LOST_AFTER_SEND, HERALD_CLOUD_VERDICT_IN_DOUBT, 0 },
  /* A send whose answer cannot be read may have been accepted all the same. */
  { HERALD_CLOUD_ERROR_BAD_RESPONSE, HERALD_CLOUD_VERDICT_IN_DOUBT, 0 },
  { HERALD_CLOUD_ERROR_HTTP_5XX, HERALD_CLOUD_VERDICT_RETRY_LATER, 30 },
  { HERALD_CLOUD_ERROR_HTTP_429, HERALD_CLOUD_VERDICT_RETRY_LATER, 60 },

  /* Throttling and temporary trouble at Meta. */
  { 1, HERALD_CLOUD_VERDICT_RETRY_LATER, 60 },
  { 2, HERALD_CLOUD_VERDICT_RETRY_LATER, 30 },
  { 4, HERALD_CLOUD_VERDICT_RETRY_LATER, 60 },
  { 80007, HERALD_CLOUD_VERDICT_RETRY_LATER, 60 },
  { 130429, HERALD_CLOUD_VERDICT_RETRY_LATER, 1 },
  { 131000, HERALD_CLOUD_VERDICT_RETRY_LATER, 5 },
  { 131016, HERALD_CLOUD_VERDICT_RETRY_LATER, 30 },
  /* Pair rate limit: Meta advises 4^X s; the limit is one message per 6 s. */
  { 131056, HERALD_CLOUD_VERDICT_RETRY_LATER, 6 },
  /* Throughput upgrade, at most a minute. */
  { 131057, HERALD_CLOUD_VERDICT_RETRY_LATER, 60 },

  /* This message only. */
  { 100, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 130472, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 130497, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 131008, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 131009, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 131021, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 131026, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 131047, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  /* Per-user marketing cap: not before 24 h, far beyond a campaign's retries. */
  { 131049, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  /* The user stopped marketing messages: the caller also marks an opt-out. */
  { 131050, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 131051, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 131052, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 131053, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 132000, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 132005, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 132012, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },
  { 135000, HERALD_CLOUD_VERDICT_FAIL_MESSAGE, 0 },

  /* Token, permissions, account or template: every other send would fail too. */
  { 0, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 3, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 10, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 190, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 368, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 131005, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 131031, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 131042, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 131045, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  /* Spam rate limit: sending on only makes it worse. */
  { 131048, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  /* Limited after template mis-classification, for an enforcement period. */
  { 131064, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  /* The campaign's one template is missing, refused, paused or disabled. */
  { 132001, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 132007, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 132015, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 132016, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
  { 133010, HERALD_CLOUD_VERDICT_STOP_CAMPAIGN, 0 },
};

HeraldCloudVerdict
herald_cloud_error_get_verdict (const GError *error,
                                guint        *retry_after_seconds)
{
  HeraldCloudVerdict verdict = HERALD_CLOUD_VERDICT_FAIL_MESSAGE;
  guint retry_after = 0;

  g_return_val_if_fail (error != NULL, HERALD_CLOUD_VERDICT_FAIL_MESSAGE);

  if (error->domain == HERALD_CLOUD_ERROR)
    {
      /* Permission codes 200–299 share one meaning. */
      if (error->code >= 200 && error->code <= 299)
        verdict = HERALD_CLOUD_VERDICT_STOP_CAMPAIGN;

      for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
        if (rules[i].code == error->code)
          {
            verdict = rules[i].verdict;
            retry_after = rules[i].retry_after_seconds;
            break;
          }
    }

  if (retry_after_seconds != NULL)
    *retry_after_seconds = retry_after;
  return verdict;
}

const char *
herald_cloud_verdict_to_string (HeraldCloudVerdict verdict)
{
  switch (verdict)
    {
    case HERALD_CLOUD_VERDICT_RETRY_LATER:
      return "RETRY_LATER";
    case HERALD_CLOUD_VERDICT_FAIL_MESSAGE:
      return "FAIL_MESSAGE";
    case HERALD_CLOUD_VERDICT_STOP_CAMPAIGN:
      return "STOP_CAMPAIGN";
    case HERALD_CLOUD_VERDICT_IN_DOUBT:
      return "IN_DOUBT";
    default:
      g_return_val_if_reached (NULL);
    }
}
