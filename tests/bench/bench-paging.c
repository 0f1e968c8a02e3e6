/* bench-paging.c: a page of contacts by keyset, from a million
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "herald-store.h"
#include "herald-test-utils.h"
#include "bench-median.h"

#define N_CONTACTS   1000000
#define PAGE_SIZE    100
#define REPETITIONS  50
#define GOAL_MS      5.0

static double
percentile (GArray *sorted,
            double  fraction)
{
  guint index = (guint) (fraction * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, index);
}

static void
fill (HeraldStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  /* Through the importer's own path: upserts in one transaction. */
  g_assert_true (herald_store_begin (store, &error));
  for (guint i = 0; i < N_CONTACTS; i++)
    {
      char name[32];
      char mobile[20];
      g_autoptr(HeraldContact) contact = NULL;
      gboolean created;

      g_snprintf (name, sizeof name, "Contact %u", i);
      g_snprintf (mobile, sizeof mobile, "+1415%07u", i);
      contact = herald_contact_new (name, mobile);
      if (!herald_store_upsert_contact (store, contact, &created, &error))
        g_error ("%s", error->message);
    }
  g_assert_true (herald_store_commit (store, &error));

  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_print ("stored %d contacts (upsert, one transaction) in %.1f s: %.0f rows/s\n",
           N_CONTACTS, seconds, N_CONTACTS / seconds);
}

static void
time_pages (HeraldStore *store,
            const char  *label,
            const char  *search,
            gint64       after_id)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  double median;

  for (guint r = 0; r < REPETITIONS; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      page = herald_store_list_contacts (store, search, after_id, PAGE_SIZE, &error);
      ms = (g_get_monotonic_time () - start) / 1e3;
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, >, 0);
      g_array_append_val (times, ms);
    }

  g_array_sort (times, bench_compare_doubles);
  median = percentile (times, 0.5);
  g_print ("page of %d %-24s median %7.3f ms  p95 %7.3f ms  (%d runs)  ratio to goal %.3f\n",
           PAGE_SIZE, label, median, percentile (times, 0.95), REPETITIONS, median / GOAL_MS);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  g_test_init (&argc, &argv, NULL);

  dir = herald_test_tmp_dir ();
  path = g_build_filename (dir, "bench.db", NULL);
  store = herald_store_new (path, &error);
  g_assert_no_error (error);

  fill (store);

  g_print ("goal: a page under %.1f ms\n", GOAL_MS);
  time_pages (store, "first", NULL, 0);
  time_pages (store, "middle", NULL, N_CONTACTS / 2);
  time_pages (store, "last", NULL, N_CONTACTS - PAGE_SIZE);
  /* A search is a LIKE scan from after_id until a page is full: this one
   * reads 400,000 rows before its first match, a worst case. */
  time_pages (store, "search, 400k-row scan", "contact 9", N_CONTACTS / 2);

  g_clear_object (&store);
  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *file = g_strconcat (path, *suffix, NULL);

      g_unlink (file);
    }
  g_rmdir (dir);

  return 0;
}
