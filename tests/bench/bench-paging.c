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

#define N_CONTACTS          1000000
#define PAGE_SIZE           100
#define REPETITIONS         50
#define SEARCH_REPETITIONS  9
#define GOAL_MS             5.0
/* The contacts view counts a search's matches once per change of the
 * search text. */
#define COUNT_GOAL_MS       50.0

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
            gint64       after_id,
            guint        repetitions)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  double median;

  for (guint r = 0; r < repetitions; r++)
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
  g_print ("page of %d %-30s median %8.3f ms  p95 %8.3f ms  (%u runs)  ratio to goal %.3f\n",
           PAGE_SIZE, label, median, percentile (times, 0.95), repetitions, median / GOAL_MS);
}

static void
time_count (HeraldStore *store,
            const char  *search,
            gint64       expected)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  double median;

  for (guint r = 0; r < SEARCH_REPETITIONS; r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 count;
      double ms;

      count = herald_store_count_contacts (store, search, &error);
      ms = (g_get_monotonic_time () - start) / 1e3;
      g_assert_no_error (error);
      g_assert_cmpint (count, ==, expected);
      g_array_append_val (times, ms);
    }

  g_array_sort (times, bench_compare_doubles);
  median = percentile (times, 0.5);
  g_print ("count %-16s (%7" G_GINT64_FORMAT " matches)      median %8.3f ms  p95 %8.3f ms  (%u runs)  ratio to goal %.3f\n",
           search, expected, median, percentile (times, 0.95), SEARCH_REPETITIONS, median / COUNT_GOAL_MS);
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

  g_print ("goal: a page under %.1f ms, a search's count under %.1f ms\n", GOAL_MS, COUNT_GOAL_MS);
  time_pages (store, "first", NULL, 0, REPETITIONS);
  time_pages (store, "middle", NULL, N_CONTACTS / 2, REPETITIONS);
  time_pages (store, "last", NULL, N_CONTACTS - PAGE_SIZE, REPETITIONS);
  /* Searches: the first match of "contact 9" after the middle is 400,000
   * rows on (Contact 900000); "contact 123456" matches one contact, so a
   * scan reads all of them; "415 000 12" is a number's digits (100
   * matches); two characters are below the index's trigrams. */
  time_pages (store, "search, 400k rows to a match", "contact 9", N_CONTACTS / 2, SEARCH_REPETITIONS);
  time_pages (store, "search, one match", "contact 123456", 0, SEARCH_REPETITIONS);
  time_pages (store, "search, number digits", "415 000 12", 0, SEARCH_REPETITIONS);
  time_pages (store, "search, 2 characters", "99", N_CONTACTS / 2, SEARCH_REPETITIONS);
  time_count (store, "contact 9", 111111);
  time_count (store, "contact 123456", 1);
  time_count (store, "415 000 12", 100);

  g_clear_object (&store);
  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *file = g_strconcat (path, *suffix, NULL);

      g_unlink (file);
    }
  g_rmdir (dir);

  return 0;
}
