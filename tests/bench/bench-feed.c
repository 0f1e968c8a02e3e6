/* bench-feed.c: statuses applied per second into message_logs
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "herald-status-applier.h"
#include "herald-store-private.h"
#include "herald-test-utils.h"
#include "bench-median.h"

/* 100,000 sent messages; each gets "sent", "delivered" and "read" in
 * payloads of 1000 statuses, as Meta batches them, through the same path as
 * the feed and `webhooks ingest` (parse, record in webhook_events, apply,
 * counters by trigger), one transaction per payload. */
#define MAX_REPETITIONS 15
#define GOAL_PER_SECOND 20000.0

/* --messages and --runs make a smaller run for callgrind (instructions per
 * status are repeatable where wall clock is not). */
static int n_messages = 100000;
static int per_payload = 1000;
static int repetitions = 3;

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static HeraldStore *
make_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldStore) store = herald_store_new (path, &error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_assert_no_error (error);
  db = herald_store_get_db (store);
  exec_sql (db, "BEGIN;"
                "INSERT INTO whatsapp_numbers (phone_number_id, phone_number) VALUES ('1', '+15550783881');"
                "INSERT INTO templates (name, language, category, body, variables, status)"
                " VALUES ('t', 'en', 'UTILITY', 'Hi', '[]', 'APPROVED');"
                "INSERT INTO campaigns (whatsapp_number_id, template_id) VALUES (1, 1);"
                "INSERT INTO contacts (name, mobile_number) VALUES ('A', '+491701234567');");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO message_logs (campaign_id, contact_id, whatsapp_number_id,"
                                       " template_id, wa_message_id, mobile_number, message_content, status,"
                                       " claimed_at) VALUES (1, 1, 1, 1, 'wamid.' || ?1, '+491701234567', 'Hi',"
                                       " 'PENDING', '2025-06-28T20:00:00.000Z')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (int i = 0; i < n_messages; i++)
    {
      sqlite3_bind_int (stmt, 1, (int) i);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  exec_sql (db, "COMMIT");
  return g_steal_pointer (&store);
}

static GPtrArray *
make_payloads (void)
{
  static const char * const statuses[] = { "sent", "delivered", "read" };
  GPtrArray *payloads = g_ptr_array_new_with_free_func (g_free);

  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    for (guint start = 0; start < (guint) n_messages; start += (guint) per_payload)
      {
        GString *json = g_string_new ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\","
                                      "\"changes\":[{\"field\":\"messages\",\"value\":{"
                                      "\"messaging_product\":\"whatsapp\",\"metadata\":"
                                      "{\"phone_number_id\":\"1\"},\"statuses\":[");

        for (guint i = start; i < start + (guint) per_payload && i < (guint) n_messages; i++)
          g_string_append_printf (json, "%s{\"id\":\"wamid.%u\",\"status\":\"%s\",\"timestamp\":\"%u\","
                                        "\"recipient_id\":\"491701234567\",\"biz_opaque_callback_data\":\"%u\"}",
                                  i == start ? "" : ",", i, statuses[s], 1751142888 + s, i + 1);
        g_string_append (json, "]}}]}]}");
        g_ptr_array_add (payloads, g_string_free (json, FALSE));
      }

  return payloads;
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "messages", 0, 0, G_OPTION_ARG_INT, &n_messages, "Sent messages to update (100000)", "N" },
    { "per-payload", 0, 0, G_OPTION_ARG_INT, &per_payload, "Statuses per webhook POST (1000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &repetitions, "Repetitions (3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) option_error = NULL;
  g_autoptr(GPtrArray) payloads = NULL;
  g_autofree char *dir = NULL;
  double rates[MAX_REPETITIONS];
  guint n_statuses = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &option_error))
    g_error ("%s", option_error->message);
  if (n_messages < 1 || per_payload < 1 || repetitions < 1 || repetitions > MAX_REPETITIONS)
    g_error ("--messages and --per-payload must be at least 1 and --runs from 1 to %d", MAX_REPETITIONS);

  payloads = make_payloads ();
  dir = herald_test_tmp_dir ();
  for (int r = 0; r < repetitions; r++)
    {
      g_autofree char *path = g_strdup_printf ("%s/bench-%d.db", dir, r);
      g_autoptr(HeraldStore) store = make_store (path);
      g_autoptr(HeraldStatusApplier) applier = herald_status_applier_new (store);
      g_auto(HeraldApplyReport) report = { 0 };
      gint64 start, elapsed;
      sqlite3_stmt *check = NULL;

      start = g_get_monotonic_time ();
      for (guint p = 0; p < payloads->len; p++)
        {
          const char *body = g_ptr_array_index (payloads, p);
          g_autoptr(GError) error = NULL;

          if (!herald_status_applier_ingest (applier, (const guint8 *) body, strlen (body), &report, &error))
            g_error ("%s", error->message);
        }
      elapsed = g_get_monotonic_time () - start;

      /* Every status moved a message forward, and the counters followed. */
      g_assert_cmpuint (report.applied, ==, 3 * (guint) n_messages);
      sqlite3_prepare_v2 (herald_store_get_db (store),
                          "SELECT read_count FROM campaigns WHERE id = 1", -1, &check, NULL);
      g_assert_cmpint (sqlite3_step (check), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (check, 0), ==, n_messages);
      sqlite3_finalize (check);

      n_statuses = report.statuses;
      rates[r] = report.statuses / (elapsed / (double) G_USEC_PER_SEC);
      g_print ("run %d: %u statuses in %.2f s = %.0f statuses/s\n", r + 1, report.statuses,
               elapsed / (double) G_USEC_PER_SEC, rates[r]);

      g_clear_object (&applier);
      g_clear_object (&store);
      g_unlink (path);
      {
        g_autofree char *wal = g_strconcat (path, "-wal", NULL);
        g_autofree char *shm = g_strconcat (path, "-shm", NULL);
        g_unlink (wal);
        g_unlink (shm);
      }
    }
  g_rmdir (dir);

  g_print ("feed apply: %u statuses (%d messages, payloads of %d) median %.0f statuses/s"
           "  (%d runs)  ratio to goal %.2f (goal %.0f/s)\n",
           n_statuses, n_messages, per_payload, bench_median (rates, repetitions), repetitions,
           bench_median (rates, repetitions) / GOAL_PER_SECOND, GOAL_PER_SECOND);
  return 0;
}
