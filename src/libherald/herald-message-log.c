/* herald-message-log.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-cloud-error.h"
#include "herald-message-log.h"
#include "herald-store-private.h"

/* Four spellings of each query, so that SQLite picks the index that fits:
 * (campaign_id) or (campaign_id, status); both end in the rowid, so rows
 * come in id order without sorting. A number search scans the campaign. */
#define WHERE_ANY      " WHERE m.campaign_id = ?1 AND ?2 IS NULL AND ?3 IS NULL"
#define WHERE_STATUS   " WHERE m.campaign_id = ?1 AND m.status = ?2 AND ?3 IS NULL"
#define WHERE_SEARCH   " WHERE m.campaign_id = ?1 AND ?2 IS NULL AND instr (m.mobile_number, ?3) > 0"
#define WHERE_BOTH     " WHERE m.campaign_id = ?1 AND m.status = ?2 AND instr (m.mobile_number, ?3) > 0"

#define COUNT_SQL(where) "SELECT count(*) FROM message_logs m" where
#define INDEX_SQL(where) "SELECT m.id FROM message_logs m" where " ORDER BY m.id"
#define LIST_SQL(where) \
  "SELECT m.id, m.mobile_number, c.name, m.status," \
  " coalesce (m.failed_at, m.read_at, m.delivered_at, m.sent_at, m.claimed_at, m.created_at)," \
  " m.error_code, m.error_message, m.claimed_at IS NOT NULL AND m.status = 'PENDING'" \
  " FROM message_logs m LEFT JOIN contacts c ON c.id = m.contact_id" \
  where " AND m.id >= ?4 ORDER BY m.id LIMIT ?5"

static const char * const count_sql[] = {
  COUNT_SQL (WHERE_ANY), COUNT_SQL (WHERE_STATUS), COUNT_SQL (WHERE_SEARCH), COUNT_SQL (WHERE_BOTH),
};
static const char * const index_sql[] = {
  INDEX_SQL (WHERE_ANY), INDEX_SQL (WHERE_STATUS), INDEX_SQL (WHERE_SEARCH), INDEX_SQL (WHERE_BOTH),
};
static const char * const list_sql[] = {
  LIST_SQL (WHERE_ANY), LIST_SQL (WHERE_STATUS), LIST_SQL (WHERE_SEARCH), LIST_SQL (WHERE_BOTH),
};

void
herald_message_log_entry_free (HeraldMessageLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->mobile_number);
  g_free (entry->contact_name);
  g_free (entry->changed_at);
  g_free (entry->error_message);
  g_free (entry);
}

void
herald_message_log_index_free (HeraldMessageLogIndex *index)
{
  if (index == NULL)
    return;
  g_clear_pointer (&index->page_first_ids, g_array_unref);
  g_free (index);
}

void
herald_failure_reason_free (HeraldFailureReason *reason)
{
  if (reason == NULL)
    return;
  g_free (reason->reason);
  g_free (reason);
}

void
herald_message_timeline_free (HeraldMessageTimeline *timeline)
{
  if (timeline == NULL)
    return;
  g_free (timeline->sent);
  g_free (timeline->delivered);
  g_free (timeline->read);
  g_free (timeline->failed);
  g_free (timeline);
}

/* The digits (and a leading +) of what the user typed, or NULL for none. */
static char *
search_digits (const char *search)
{
  GString *digits;

  if (search == NULL)
    return NULL;
  digits = g_string_new (NULL);
  for (const char *p = search; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p) || (*p == '+' && digits->len == 0))
        g_string_append_c (digits, *p);
    }
  if (digits->len == 0 || (digits->len == 1 && digits->str[0] == '+'))
    {
      g_string_free (digits, TRUE);
      return NULL;
    }
  return g_string_free (digits, FALSE);
}

/* Prepares the variant of @sqls that fits @filter and binds ?1–?3. */
static sqlite3_stmt *
prepare_filtered (HeraldStore                  *store,
                  const char * const           *sqls,
                  const HeraldMessageLogFilter *filter,
                  GError                      **error)
{
  g_autofree char *digits = search_digits (filter->search);
  const char *status = filter->status >= 0 ? herald_message_status_to_string (filter->status) : NULL;
  sqlite3_stmt *stmt;

  stmt = _herald_store_prepare_cached (store, sqls[(status != NULL ? 1 : 0) + (digits != NULL ? 2 : 0)], error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, filter->campaign_id);
  _herald_store_bind_text (stmt, 2, status);
  _herald_store_bind_text (stmt, 3, digits);
  return stmt;
}

gint64
herald_message_log_count (HeraldStore                  *store,
                          const HeraldMessageLogFilter *filter,
                          GError                      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), -1);
  g_return_val_if_fail (filter != NULL, -1);

  stmt = prepare_filtered (store, count_sql, filter, error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("count the campaign’s messages"), error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

HeraldMessageLogIndex *
herald_message_log_build_index (HeraldStore                  *store,
                                const HeraldMessageLogFilter *filter,
                                guint                         page_size,
                                GCancellable                 *cancellable,
                                GError                      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(HeraldMessageLogIndex) index = NULL;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (page_size > 0, NULL);

  stmt = prepare_filtered (store, index_sql, filter, error);
  if (stmt == NULL)
    return NULL;

  index = g_new0 (HeraldMessageLogIndex, 1);
  index->page_size = page_size;
  index->page_first_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (index->n_rows % page_size == 0)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (index->page_first_ids, id);
          /* A million rows take a while: give up early when nobody waits. */
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
        }
      index->n_rows++;
    }
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("read the campaign’s messages"), error);
      return NULL;
    }
  return g_steal_pointer (&index);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GPtrArray *
herald_message_log_list (HeraldStore                  *store,
                         const HeraldMessageLogFilter *filter,
                         gint64                        first_id,
                         guint                         limit,
                         GError                      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  stmt = prepare_filtered (store, list_sql, filter, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 4, first_id);
  sqlite3_bind_int64 (stmt, 5, limit);

  /* @limit bounds the rows, not what to reserve: "all of them" is G_MAXINT,
   * and GLib's gc-friendly mode zeroes every reserved slot. */
  entries = g_ptr_array_new_full (MIN (limit, 256), (GDestroyNotify) herald_message_log_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeraldMessageLogEntry *entry = g_new0 (HeraldMessageLogEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->mobile_number = dup_column (stmt, 1);
      entry->contact_name = dup_column (stmt, 2);
      if (!herald_message_status_from_string ((const char *) sqlite3_column_text (stmt, 3), &entry->status))
        entry->status = HERALD_MESSAGE_PENDING;
      entry->changed_at = dup_column (stmt, 4);
      entry->error_code = sqlite3_column_int64 (stmt, 5);
      entry->error_message = dup_column (stmt, 6);
      entry->in_doubt = sqlite3_column_int (stmt, 7) != 0;
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("read the campaign’s messages"), error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static gboolean
code_is_retryable (gint64 code)
{
  g_autoptr(GError) error = NULL;
  HeraldCloudVerdict verdict;

  if (code == 0)
    return FALSE;
  /* The same rule as herald_campaign_retry_failed (). */
  error = g_error_new_literal (HERALD_CLOUD_ERROR, (int) code, "");
  verdict = herald_cloud_error_get_verdict (error, NULL);
  return verdict == HERALD_CLOUD_VERDICT_RETRY_LATER || verdict == HERALD_CLOUD_VERDICT_STOP_CAMPAIGN;
}

GPtrArray *
herald_message_log_list_failures (HeraldStore  *store,
                                  gint64        campaign_id,
                                  GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_failure_reason_free);
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);

  stmt = _herald_store_prepare_cached (store,
                                       "SELECT coalesce (error_code, 0), min (error_message), count (*),"
                                       " sum (sent_at IS NULL)"
                                       " FROM message_logs WHERE campaign_id = ?1 AND status = 'FAILED'"
                                       " GROUP BY coalesce (error_code, 0) ORDER BY 3 DESC, 1",
                                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeraldFailureReason *reason = g_new0 (HeraldFailureReason, 1);

      reason->error_code = sqlite3_column_int64 (stmt, 0);
      reason->reason = sqlite3_column_type (stmt, 1) != SQLITE_NULL ?
                       dup_column (stmt, 1) : g_strdup (_("No reason given"));
      reason->count = sqlite3_column_int64 (stmt, 2);
      reason->retryable = code_is_retryable (reason->error_code) ? (guint64) sqlite3_column_int64 (stmt, 3) : 0;
      g_ptr_array_add (reasons, reason);
    }
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("read the campaign’s failures"), error);
      return NULL;
    }
  return g_steal_pointer (&reasons);
}

HeraldMessageTimeline *
herald_message_log_get_timeline (HeraldStore  *store,
                                 gint64        campaign_id,
                                 guint         n_buckets,
                                 GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(HeraldMessageTimeline) timeline = NULL;
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint64) * 4);
  gint64 span;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);
  g_return_val_if_fail (n_buckets > 0, NULL);

  /* Counted per second by SQLite (a few thousand rows however many
   * messages), then spread over the buckets here. */
  stmt = _herald_store_prepare_cached (store,
                                       "SELECT t, sum (k = 0), sum (k = 1), sum (k = 2), sum (k = 3) FROM ("
                                       " SELECT unixepoch (sent_at) AS t, 0 AS k FROM message_logs"
                                       "  WHERE campaign_id = ?1 AND sent_at IS NOT NULL"
                                       " UNION ALL SELECT unixepoch (delivered_at), 1 FROM message_logs"
                                       "  WHERE campaign_id = ?1 AND delivered_at IS NOT NULL"
                                       " UNION ALL SELECT unixepoch (read_at), 2 FROM message_logs"
                                       "  WHERE campaign_id = ?1 AND read_at IS NOT NULL"
                                       " UNION ALL SELECT unixepoch (failed_at), 3 FROM message_logs"
                                       "  WHERE campaign_id = ?1 AND status = 'FAILED' AND failed_at IS NOT NULL"
                                       ") WHERE t IS NOT NULL GROUP BY t ORDER BY t",
                                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 0);
      guint64 c[4];

      for (int k = 0; k < 4; k++)
        c[k] = sqlite3_column_int64 (stmt, k + 1);
      g_array_append_val (seconds, t);
      g_array_append_vals (counts, c, 1);
    }
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("read the campaign’s statuses"), error);
      return NULL;
    }

  timeline = g_new0 (HeraldMessageTimeline, 1);
  timeline->n_buckets = n_buckets;
  timeline->sent = g_new0 (guint64, n_buckets);
  timeline->delivered = g_new0 (guint64, n_buckets);
  timeline->read = g_new0 (guint64, n_buckets);
  timeline->failed = g_new0 (guint64, n_buckets);
  if (seconds->len == 0)
    return g_steal_pointer (&timeline);

  timeline->start = g_array_index (seconds, gint64, 0);
  timeline->end = MAX (g_array_index (seconds, gint64, seconds->len - 1), timeline->start + 1);
  span = timeline->end - timeline->start;
  for (guint i = 0; i < seconds->len; i++)
    {
      gint64 t = g_array_index (seconds, gint64, i);
      const guint64 *c = (const guint64 *) (counts->data + (gsize) i * 4 * sizeof (guint64));
      guint b = MIN ((guint) ((t - timeline->start) * n_buckets / span), n_buckets - 1);

      timeline->sent[b] += c[0];
      timeline->delivered[b] += c[1];
      timeline->read[b] += c[2];
      timeline->failed[b] += c[3];
    }
  for (guint b = 1; b < n_buckets; b++)
    {
      timeline->sent[b] += timeline->sent[b - 1];
      timeline->delivered[b] += timeline->delivered[b - 1];
      timeline->read[b] += timeline->read[b - 1];
    }
  return g_steal_pointer (&timeline);
}

gboolean
herald_message_log_generate (HeraldStore  *store,
                             gint64        campaign_id,
                             gint64        contact_id,
                             guint64       n_rows,
                             guint64       first_number,
                             GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean owned = FALSE;
  gboolean ok;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), FALSE);

  if (!_herald_store_write_begin (store, &owned, error))
    return FALSE;

  /* One statement: the rows' statuses follow i % 20 (one in twenty failed,
   * the rest spread over the funnel), a second apart. */
  stmt = _herald_store_prepare_cached (store,
                                       "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?3),"
                                       " r AS (SELECT i, CASE WHEN i % 20 = 19 THEN 'FAILED' WHEN i % 20 >= 12 THEN 'READ'"
                                       "  WHEN i % 20 >= 6 THEN 'DELIVERED' WHEN i % 20 >= 2 THEN 'SENT' ELSE 'PENDING' END AS s,"
                                       "  strftime ('%Y-%m-%dT%H:%M:%fZ', 1700000000 + i / 80, 'unixepoch') AS t FROM n)"
                                       " INSERT INTO message_logs (campaign_id, contact_id, whatsapp_number_id, template_id,"
                                       "  mobile_number, message_content, status, sent_at, delivered_at, read_at, failed_at,"
                                       "  error_code, error_message, created_at, updated_at)"
                                       " SELECT ?1, ?2, c.whatsapp_number_id, c.template_id,"
                                       "  printf ('+1555%07d', ?4 + r.i), 'Hello', r.s,"
                                       "  CASE WHEN r.s IN ('SENT', 'DELIVERED', 'READ') THEN r.t END,"
                                       "  CASE WHEN r.s IN ('DELIVERED', 'READ') THEN r.t END,"
                                       "  CASE WHEN r.s = 'READ' THEN r.t END,"
                                       "  CASE WHEN r.s = 'FAILED' THEN r.t END,"
                                       "  CASE WHEN r.s = 'FAILED' THEN 131026 END,"
                                       "  CASE WHEN r.s = 'FAILED' THEN 'Message undeliverable' END,"
                                       "  r.t, r.t"
                                       " FROM r, campaigns c WHERE c.id = ?1",
                                       &local_error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, campaign_id);
      sqlite3_bind_int64 (stmt, 2, contact_id);
      sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) n_rows);
      sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) first_number);
      rc = n_rows > 0 ? sqlite3_step (stmt) : SQLITE_DONE;
      if (rc != SQLITE_DONE)
        {
          _herald_store_set_error (herald_store_get_db (store), rc, _("add messages"), &local_error);
          ok = FALSE;
        }
    }

  if (!_herald_store_write_end (store, owned, ok, ok ? &local_error : NULL) || !ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
