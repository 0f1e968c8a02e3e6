/* main.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "herald-relay-server.h"

/* herald-relay: the webhook relay as a program. Each setting comes from its
 * flag, else its environment variable, else the [relay] group of the key
 * file; secrets are best given by the environment (systemd EnvironmentFile)
 * or a key file readable only by the service, not on a command line that
 * every user can see in ps. */

enum {
  SETTING_BIND,
  SETTING_PORT,
  SETTING_DB,
  SETTING_VERIFY_TOKEN,
  SETTING_APP_SECRET,
  SETTING_FEED_TOKEN,
  SETTING_RETENTION_DAYS,
  N_SETTINGS
};

typedef struct
{
  const char *name;          /* the long option and the key file key */
  const char *env;
  const char *arg;
  const char *description;
} SettingInfo;

static const SettingInfo setting_infos[N_SETTINGS] = {
  { "bind", "HERALD_RELAY_BIND", "ADDR", N_("Address to listen on (default 127.0.0.1)") },
  { "port", "HERALD_RELAY_PORT", "N", N_("Port to listen on (default 8080; 0 picks a free one)") },
  { "db", "HERALD_RELAY_DB", "PATH", N_("Database file (default $STATE_DIRECTORY/relay.db)") },
  { "verify-token", "HERALD_RELAY_VERIFY_TOKEN", "T", N_("Token of Meta's verification handshake") },
  { "app-secret", "HERALD_RELAY_APP_SECRET", "S", N_("App secret: refuse POSTs without a valid signature") },
  { "feed-token", "HERALD_RELAY_FEED_TOKEN", "T", N_("Bearer token the desktop presents (required)") },
  { "retention-days", "HERALD_RELAY_RETENTION_DAYS", "N", N_("Days to keep events (default 14)") },
};

static gboolean
on_stop_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_number (const char  *name,
              const char  *text,
              guint64      min,
              guint64      max,
              guint       *out_value,
              GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      g_set_error (error, HERALD_RELAY_SERVER_ERROR, HERALD_RELAY_SERVER_ERROR_CONFIG,
                   _("%s must be a whole number from %" PRIu64 " to %" PRIu64
                     ", not “%s”"), name, min, max, text);
      return FALSE;
    }

  *out_value = (guint) value;
  return TRUE;
}

/* Fills each setting not given as a flag from the environment, then from the
 * key file. */
static gboolean
resolve_settings (char        **values,
                  const char   *config_path,
                  GError      **error)
{
  g_autoptr(GKeyFile) key_file = NULL;

  if (config_path != NULL)
    {
      key_file = g_key_file_new ();
      if (!g_key_file_load_from_file (key_file, config_path, G_KEY_FILE_NONE, error))
        {
          g_prefix_error (error, _("Cannot read the configuration file “%s”: "), config_path);
          return FALSE;
        }
    }

  for (guint i = 0; i < N_SETTINGS; i++)
    {
      const char *env;

      if (values[i] != NULL)
        continue;

      env = g_getenv (setting_infos[i].env);
      if (env != NULL && *env != '\0')
        values[i] = g_strdup (env);
      else if (key_file != NULL && g_key_file_has_key (key_file, "relay", setting_infos[i].name, NULL))
        {
          values[i] = g_key_file_get_string (key_file, "relay", setting_infos[i].name, error);
          if (values[i] == NULL)
            {
              g_prefix_error (error, _("In “%s”: "), config_path);
              return FALSE;
            }
          g_strstrip (values[i]);
        }
    }

  return TRUE;
}

static char *
default_db_path (GError **error)
{
  const char *state_dirs = g_getenv ("STATE_DIRECTORY");
  g_autofree char *dir = NULL;

  /* systemd's StateDirectory= sets STATE_DIRECTORY (a colon-separated list). */
  if (state_dirs != NULL && *state_dirs != '\0')
    {
      g_auto(GStrv) dirs = g_strsplit (state_dirs, ":", 2);
      dir = g_strdup (dirs[0]);
    }
  else
    dir = g_build_filename (g_get_user_state_dir (), "herald-relay", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the directory “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  return g_build_filename (dir, "relay.db", NULL);
}

static int
run (char **values)
{
  g_autoptr(HeraldRelayDb) db = NULL;
  g_autoptr(HeraldRelayServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  const char *bind = values[SETTING_BIND] ? values[SETTING_BIND] : "127.0.0.1";
  guint port = 8080;
  guint retention_days = HERALD_RELAY_DEFAULT_RETENTION_DAYS;
  guint term_id, int_id;

  if ((values[SETTING_PORT] != NULL &&
       !parse_number ("port", values[SETTING_PORT], 0, G_MAXUINT16, &port, &error)) ||
      (values[SETTING_RETENTION_DAYS] != NULL &&
       !parse_number ("retention-days", values[SETTING_RETENTION_DAYS], 1, 36500,
                      &retention_days, &error)))
    goto failed;

  if (values[SETTING_FEED_TOKEN] == NULL || *values[SETTING_FEED_TOKEN] == '\0')
    {
      g_printerr ("herald-relay: %s\n",
                  _("No feed token is set: give one with --feed-token, HERALD_RELAY_FEED_TOKEN "
                    "or feed-token in the [relay] group of the --config key file"));
      return 1;
    }

  db_path = values[SETTING_DB] ? g_strdup (values[SETTING_DB]) : default_db_path (&error);
  if (db_path == NULL)
    goto failed;

  db = herald_relay_db_open (db_path, &error);
  if (db == NULL)
    goto failed;

  server = herald_relay_server_new (db, values[SETTING_FEED_TOKEN], &error);
  if (server == NULL)
    goto failed;

  herald_relay_server_set_verify_token (server, values[SETTING_VERIFY_TOKEN]);
  herald_relay_server_set_app_secret (server, values[SETTING_APP_SECRET]);
  herald_relay_server_set_retention_days (server, retention_days);

  if (!herald_relay_server_listen (server, bind, port, &error))
    goto failed;

  if (values[SETTING_VERIFY_TOKEN] == NULL)
    g_message ("no verify token is set: Meta's verification handshake will be refused");
  if (values[SETTING_APP_SECRET] == NULL)
    g_message ("no app secret is set: POSTs are stored without checking their signature");

  g_print ("listening on %s\n", herald_relay_server_get_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  term_id = g_unix_signal_add (SIGTERM, on_stop_signal_cb, loop);
  int_id = g_unix_signal_add (SIGINT, on_stop_signal_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (term_id);
  g_source_remove (int_id);

  g_message ("stopping");
  return 0;

failed:
  g_printerr ("herald-relay: %s\n", error->message);
  return 1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;
  char *values[N_SETTINGS] = { NULL, };
  GOptionEntry entries[N_SETTINGS + 2] = { { NULL, }, };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (guint i = 0; i < N_SETTINGS; i++)
    entries[i] = (GOptionEntry) { setting_infos[i].name, 0, 0, G_OPTION_ARG_STRING, &values[i],
                                  setting_infos[i].description, setting_infos[i].arg };
  entries[N_SETTINGS] = (GOptionEntry) { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_path,
                                         N_("Key file with a [relay] group (also HERALD_RELAY_CONFIG)"),
                                         "KEYFILE" };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Receives WhatsApp webhooks from Meta, keeps them and "
                                           "serves them to the Herald desktop app."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("herald-relay: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("herald-relay: %s “%s”\n", _("Unexpected argument"), argv[1]);
      return 2;
    }

  if (config_path == NULL && g_getenv ("HERALD_RELAY_CONFIG") != NULL)
    config_path = g_strdup (g_getenv ("HERALD_RELAY_CONFIG"));

  if (!resolve_settings (values, config_path, &error))
    {
      g_printerr ("herald-relay: %s\n", error->message);
      status = 1;
    }
  else
    status = run (values);

  for (guint i = 0; i < N_SETTINGS; i++)
    g_free (values[i]);

  return status;
}
