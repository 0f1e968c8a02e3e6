/* herald-overview.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-campaign.h"
#include "herald-overview.h"
#include "herald-store-private.h"

void
herald_overview_free (HeraldOverview *overview)
{
  if (overview == NULL)
    return;

  g_clear_pointer (&overview->recent_campaigns, g_ptr_array_unref);
  g_free (overview);
}

static gboolean
count (HeraldStore  *store,
       const char   *sql,
       gint64       *result,
       GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("count what is saved"), error);
      return FALSE;
    }

  *result = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* One read transaction, so the counts agree with each other. */
static gboolean
load_in_transaction (HeraldStore     *store,
                     HeraldOverview  *overview,
                     guint            max_campaigns,
                     GError         **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (!count (store, "SELECT count(*) FROM contacts", &overview->n_contacts, error) ||
      !count (store, "SELECT count(*) FROM templates WHERE status = 'APPROVED'",
              &overview->n_approved_templates, error) ||
      !count (store, "SELECT count(*) FROM templates", &overview->n_templates, error) ||
      !count (store, "SELECT count(*) FROM whatsapp_numbers", &overview->n_numbers, error) ||
      !count (store, "SELECT count(*) FROM campaigns", &overview->n_campaigns, error))
    return FALSE;

  stmt = _herald_store_prepare_cached (store,
                                       "SELECT id FROM campaigns"
                                       " ORDER BY created_at DESC, id DESC LIMIT ?1",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, max_campaigns);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("read the recent campaigns"), error);
      return FALSE;
    }
  g_clear_pointer (&stmt, _herald_store_stmt_release);

  /* The campaign module reads its own rows. */
  for (guint i = 0; i < ids->len; i++)
    {
      HeraldCampaign *campaign = herald_campaign_load (store, g_array_index (ids, gint64, i), error);

      if (campaign == NULL)
        return FALSE;
      g_ptr_array_add (overview->recent_campaigns, campaign);
    }

  return TRUE;
}

HeraldOverview *
herald_overview_load (HeraldStore  *store,
                      guint         max_campaigns,
                      GError      **error)
{
  g_autoptr(HeraldOverview) overview = NULL;
  sqlite3 *db;
  gboolean ok;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);

  overview = g_new0 (HeraldOverview, 1);
  overview->recent_campaigns = g_ptr_array_new_with_free_func (g_object_unref);

  db = herald_store_get_db (store);
  /* Inside a caller's transaction, read in that one. */
  if (!sqlite3_get_autocommit (db))
    return load_in_transaction (store, overview, max_campaigns, error) ?
           g_steal_pointer (&overview) : NULL;

  rc = sqlite3_exec (db, "BEGIN DEFERRED", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _herald_store_set_error (db, rc, _("read the overview"), error);
      return NULL;
    }
  ok = load_in_transaction (store, overview, max_campaigns, error);
  sqlite3_exec (db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);

  return ok ? g_steal_pointer (&overview) : NULL;
}
