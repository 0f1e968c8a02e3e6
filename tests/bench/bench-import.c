/* bench-import.c: import 100,000 contacts from CSV into a fresh store
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "herald-contact-import.h"
#include "herald-test-utils.h"
#include "bench-median.h"

#define N_CONTACTS    100000
#define REPETITIONS   5
#define GOAL_SECONDS  1.5
#define GOAL_PEAK_MB  64.0

static void
write_csv (const char *path)
{
  g_autoptr(GString) csv = g_string_new ("name,mobile,email,notes,city\r\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_CONTACTS; i++)
    g_string_append_printf (csv, "Person %u,+1 415 %03u %04u,p%u@example.com,\"note, %u\",City %u\r\n",
                            i, 200 + i / 10000, i % 10000, i, i, i % 50);
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
}

/* User and system time: the machine is shared, and CPU time varies less
 * than wall time with the load of others. */
static double
cpu_seconds (const struct rusage *usage)
{
  return usage->ru_utime.tv_sec + usage->ru_stime.tv_sec
         + (usage->ru_utime.tv_usec + usage->ru_stime.tv_usec) / (double) G_USEC_PER_SEC;
}

/* One repetition, in a child so that its peak memory is the import's own. */
static void
run_child (const char *csv_path,
           const char *db_path,
           int         fd)
{
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autoptr(HeraldContactImport) import = herald_contact_import_new (file);
  g_autoptr(HeraldContactImportReport) report = NULL;
  g_autoptr(HeraldStore) store = NULL;
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  gint64 start;
  double cpu_start;
  double result[3];

  store = herald_store_new (db_path, &error);
  g_assert_no_error (error);

  getrusage (RUSAGE_SELF, &usage);
  cpu_start = cpu_seconds (&usage);
  start = g_get_monotonic_time ();
  report = herald_contact_import_run (import, store, NULL, &error);
  g_assert_no_error (error);
  result[0] = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpuint (herald_contact_import_report_get_imported (report), ==, N_CONTACTS);

  getrusage (RUSAGE_SELF, &usage);
  result[1] = usage.ru_maxrss / 1024.0;
  result[2] = cpu_seconds (&usage) - cpu_start;
  g_assert_cmpint (write (fd, result, sizeof result), ==, sizeof result);
  _exit (0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *csv_path = NULL;
  double seconds[REPETITIONS], peaks[REPETITIONS], cpu[REPETITIONS];

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  dir = herald_test_tmp_dir ();
  csv_path = g_build_filename (dir, "contacts.csv", NULL);
  write_csv (csv_path);

  for (guint i = 0; i < REPETITIONS; i++)
    {
      g_autofree char *name = g_strdup_printf ("run-%u.db", i);
      g_autofree char *db_path = g_build_filename (dir, name, NULL);
      double result[3];
      int fds[2];
      int status;
      pid_t pid;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          run_child (csv_path, db_path, fds[1]);
        }
      close (fds[1]);
      g_assert_cmpint (read (fds[0], result, sizeof result), ==, sizeof result);
      close (fds[0]);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

      seconds[i] = result[0];
      peaks[i] = result[1];
      cpu[i] = result[2];
      g_print ("# run %u: %.3f s (CPU %.3f s), peak RSS %.1f MB\n", i + 1, seconds[i], cpu[i], peaks[i]);
    }

  g_print ("import %u contacts: median %.3f s (goal < %.1f s, ratio %.2f)\n",
           N_CONTACTS, bench_median (seconds, REPETITIONS), GOAL_SECONDS, bench_median (seconds, REPETITIONS) / GOAL_SECONDS);
  g_print ("import %u contacts: median CPU time %.3f s (user + system)\n",
           N_CONTACTS, bench_median (cpu, REPETITIONS));
  g_print ("import %u contacts: median peak RSS %.1f MB (goal < %.0f MB, ratio %.2f)\n",
           N_CONTACTS, bench_median (peaks, REPETITIONS), GOAL_PEAK_MB, bench_median (peaks, REPETITIONS) / GOAL_PEAK_MB);

  return 0;
}
