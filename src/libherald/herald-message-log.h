/* herald-message-log.h: reading a campaign's message log in pages, its
 * failures by reason and its statuses over time
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-store.h"
#include "herald-types.h"

G_BEGIN_DECLS

/* Which messages of a campaign: @status < 0 means any status; @search keeps
 * numbers containing its digits (spaces and dashes are ignored; NULL or no
 * digit: everyone). */
typedef struct
{
  gint64      campaign_id;
  int         status;
  const char *search;
} HeraldMessageLogFilter;

/* One message_logs row as the log shows it. */
typedef struct
{
  gint64               id;
  char                *mobile_number;
  char                *contact_name;
  HeraldMessageStatus  status;
  char                *changed_at;     /* when it reached @status */
  gint64               error_code;     /* 0 when none */
  char                *error_message;
  gboolean             in_doubt;       /* claimed, never settled */
} HeraldMessageLogEntry;

void herald_message_log_entry_free (HeraldMessageLogEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldMessageLogEntry, herald_message_log_entry_free)

/* Where each page of @page_size rows starts, for keyset paging to any
 * position: one pass over the index, so n rows cost n / @page_size ids. */
typedef struct
{
  guint64  n_rows;
  guint    page_size;
  GArray  *page_first_ids;  /* gint64, one per page */
} HeraldMessageLogIndex;

void herald_message_log_index_free (HeraldMessageLogIndex *index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldMessageLogIndex, herald_message_log_index_free)

/* Failed messages of one reason (Meta's error code). @retryable counts
 * those herald_campaign_retry_failed () would send again. */
typedef struct
{
  gint64  error_code;
  char   *reason;
  guint64 count;
  guint64 retryable;
} HeraldFailureReason;

void herald_failure_reason_free (HeraldFailureReason *reason);

/* Cumulative sent, delivered and read counts, and failures per bucket, in
 * @n_buckets equal spans from @start to @end (Unix seconds). */
typedef struct
{
  gint64   start;
  gint64   end;
  guint    n_buckets;
  guint64 *sent;       /* cumulative */
  guint64 *delivered;  /* cumulative */
  guint64 *read;       /* cumulative */
  guint64 *failed;     /* per bucket */
} HeraldMessageTimeline;

void herald_message_timeline_free (HeraldMessageTimeline *timeline);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldMessageTimeline, herald_message_timeline_free)

gint64                 herald_message_log_count           (HeraldStore                  *store,
                                                           const HeraldMessageLogFilter *filter,
                                                           GError                      **error);
HeraldMessageLogIndex *herald_message_log_build_index     (HeraldStore                  *store,
                                                           const HeraldMessageLogFilter *filter,
                                                           guint                         page_size,
                                                           GCancellable                 *cancellable,
                                                           GError                      **error);
/* Up to @limit rows with id >= @first_id, in id order.
 * (element-type HeraldMessageLogEntry) */
GPtrArray             *herald_message_log_list            (HeraldStore                  *store,
                                                           const HeraldMessageLogFilter *filter,
                                                           gint64                        first_id,
                                                           guint                         limit,
                                                           GError                      **error);
/* Most frequent first. (element-type HeraldFailureReason) */
GPtrArray             *herald_message_log_list_failures   (HeraldStore                  *store,
                                                           gint64                        campaign_id,
                                                           GError                      **error);
HeraldMessageTimeline *herald_message_log_get_timeline    (HeraldStore                  *store,
                                                           gint64                        campaign_id,
                                                           guint                         n_buckets,
                                                           GError                      **error);

/* Appends @n_rows messages to @campaign_id for tests and benchmarks, in one
 * transaction: numbers +1555 followed by 7 digits counting up from @first_number,
 * statuses spread over the funnel, all for @contact_id. */
gboolean               herald_message_log_generate        (HeraldStore                  *store,
                                                           gint64                        campaign_id,
                                                           gint64                        contact_id,
                                                           guint64                       n_rows,
                                                           guint64                       first_number,
                                                           GError                      **error);

G_END_DECLS
