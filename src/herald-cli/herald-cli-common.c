/* herald-cli-common.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <libsecret/secret.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "herald-cli-common.h"
#include "herald-secrets.h"

struct _HeraldCliCommand
{
  GOptionContext *context;
  char           *name;
  char           *parameter_string;
  char           *db_path;
  char           *api_base;
  gboolean        json;
  GStrv           args;
};

/* "herald-cli: MESSAGE" on stderr: one clear line, whatever the message held. */
static void
print_one_line (const char *format,
                va_list     args)
{
  g_autofree char *line = g_strdup_vprintf (format, args);

  g_strdelimit (line, "\r\n", ' ');
  g_printerr ("herald-cli: %s\n", line);
}

int
herald_cli_fail (const GError *error)
{
  g_return_val_if_fail (error != NULL, HERALD_CLI_EXIT_ERROR);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return herald_cli_fail_message ("%s", _("Interrupted"));
  return herald_cli_fail_message ("%s", error->message);
}

int
herald_cli_fail_message (const char *format,
                         ...)
{
  va_list args;

  va_start (args, format);
  print_one_line (format, args);
  va_end (args);
  return HERALD_CLI_EXIT_ERROR;
}

static void
print_entries (const char           *group,
               const HeraldCliEntry *entries,
               FILE                 *out)
{
  fprintf (out, _("Usage: herald-cli %s COMMAND [OPTION…]\n"), group != NULL ? group : "GROUP");
  fprintf (out, "\n%s\n", group != NULL ? _("Commands:") : _("Command groups:"));
  for (guint i = 0; entries[i].name != NULL; i++)
    fprintf (out, "  %-14s %s\n", entries[i].name, _(entries[i].summary));
  fprintf (out, "\n%s\n", _("Every command takes --db PATH and --help."));
}

int
herald_cli_dispatch (const char           *group,
                     const HeraldCliEntry *entries,
                     int                   argc,
                     char                **argv)
{
  if (argc < 2)
    {
      print_entries (group, entries, stderr);
      return HERALD_CLI_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_entries (group, entries, stdout);
      return HERALD_CLI_EXIT_OK;
    }

  for (guint i = 0; entries[i].name != NULL; i++)
    if (g_str_equal (argv[1], entries[i].name))
      return entries[i].commands != NULL
             ? herald_cli_dispatch (entries[i].name, entries[i].commands, argc - 1, argv + 1)
             : entries[i].handler (argc - 1, argv + 1);

  if (group != NULL)
    g_printerr (_("herald-cli: unknown command “%s %s”\n"
                  "Usage: herald-cli %s COMMAND [OPTION…] (see “herald-cli %s --help”)\n"),
                group, argv[1], group, group);
  else
    g_printerr (_("herald-cli: unknown command group “%s”\n"
                  "Usage: herald-cli GROUP COMMAND [OPTION…] (see “herald-cli --help”)\n"), argv[1]);
  return HERALD_CLI_EXIT_USAGE;
}

/* Options */

HeraldCliCommand *
herald_cli_command_new (const char           *name,
                        const char           *parameter_string,
                        const char           *summary,
                        HeraldCliOptionFlags  flags)
{
  HeraldCliCommand *self = g_new0 (HeraldCliCommand, 1);
  const GOptionEntry db_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &self->db_path,
      N_("The database (default: the app’s, under the XDG data folder)"), "PATH" },
    { NULL }
  };
  const GOptionEntry json_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &self->json, N_("Print one JSON document on stdout"), NULL },
    { NULL }
  };
  const GOptionEntry api_entries[] = {
    { "api-base", 0, 0, G_OPTION_ARG_STRING, &self->api_base,
      N_("Cloud API base URL (default: " HERALD_CLOUD_API_BASE ")"), "URL" },
    { NULL }
  };

  self->name = g_strdup (name);
  self->parameter_string = g_strdup (parameter_string);
  self->context = g_option_context_new (parameter_string);
  g_option_context_set_summary (self->context, summary);
  g_option_context_set_translation_domain (self->context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (self->context, db_entries, GETTEXT_PACKAGE);
  if (flags & HERALD_CLI_OPTION_JSON)
    g_option_context_add_main_entries (self->context, json_entries, GETTEXT_PACKAGE);
  if (flags & HERALD_CLI_OPTION_API_BASE)
    g_option_context_add_main_entries (self->context, api_entries, GETTEXT_PACKAGE);
  return self;
}

void
herald_cli_command_free (HeraldCliCommand *self)
{
  if (self == NULL)
    return;

  g_option_context_free (self->context);
  g_free (self->name);
  g_free (self->parameter_string);
  g_free (self->db_path);
  g_free (self->api_base);
  g_strfreev (self->args);
  g_free (self);
}

void
herald_cli_command_add_entries (HeraldCliCommand   *self,
                                const GOptionEntry *entries)
{
  g_option_context_add_main_entries (self->context, entries, GETTEXT_PACKAGE);
}

int
herald_cli_command_usage_error (HeraldCliCommand *self,
                                const char       *format,
                                ...)
{
  va_list args;

  va_start (args, format);
  print_one_line (format, args);
  va_end (args);
  if (self->parameter_string != NULL)
    g_printerr (_("Usage: herald-cli %s [OPTION…] %s\n"), self->name, self->parameter_string);
  else
    g_printerr (_("Usage: herald-cli %s [OPTION…]\n"), self->name);
  return HERALD_CLI_EXIT_USAGE;
}

gboolean
herald_cli_command_parse (HeraldCliCommand  *self,
                          int                argc,
                          char             **argv,
                          guint              min_args,
                          guint              max_args,
                          int               *exit_code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("herald-cli %s", self->name);
  g_auto(GStrv) args = g_new0 (char *, argc + 1);
  int n = argc;

  /* --help's usage line then names the whole command. */
  g_set_prgname (prgname);

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (self->context, &args, &error))
    {
      *exit_code = herald_cli_command_usage_error (self, "%s", error->message);
      return FALSE;
    }

  n = g_strv_length (args);
  /* args[0] is the command's own name; "--" may be left in front. */
  if (n > 1 && g_str_equal (args[1], "--"))
    {
      g_free (args[1]);
      memmove (args + 1, args + 2, sizeof (char *) * (n - 1));
      n--;
    }

  if ((guint) (n - 1) < min_args)
    {
      *exit_code = herald_cli_command_usage_error (self, _("missing argument"));
      return FALSE;
    }
  if ((guint) (n - 1) > max_args)
    {
      *exit_code = herald_cli_command_usage_error (self, _("unexpected argument “%s”"), args[max_args + 1]);
      return FALSE;
    }

  self->args = g_steal_pointer (&args);
  *exit_code = HERALD_CLI_EXIT_OK;
  return TRUE;
}

guint
herald_cli_command_get_n_args (HeraldCliCommand *self)
{
  return self->args != NULL ? g_strv_length (self->args) - 1 : 0;
}

const char *
herald_cli_command_get_arg (HeraldCliCommand *self,
                            guint             index)
{
  g_return_val_if_fail (index < herald_cli_command_get_n_args (self), NULL);

  return self->args[index + 1];
}

gboolean
herald_cli_command_get_json (HeraldCliCommand *self)
{
  return self->json;
}

const char *
herald_cli_command_get_api_base (HeraldCliCommand *self)
{
  return self->api_base;
}

HeraldStore *
herald_cli_command_open_store (HeraldCliCommand *self,
                               int              *exit_code)
{
  g_autoptr(GError) error = NULL;
  HeraldStore *store = herald_store_new (self->db_path, &error);

  *exit_code = store != NULL ? HERALD_CLI_EXIT_OK : herald_cli_fail (error);
  return store;
}

/* JSON */

static gboolean
want_pretty (void)
{
  return isatty (STDOUT_FILENO);
}

void
herald_cli_print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, want_pretty ());

  fputs (text, stdout);
  fputc ('\n', stdout);
}

void
herald_cli_json_add_string (JsonBuilder *builder,
                            const char  *member,
                            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

void
herald_cli_json_add_int (JsonBuilder *builder,
                         const char  *member,
                         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
herald_cli_json_add_boolean (JsonBuilder *builder,
                             const char  *member,
                             gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

JsonNode *
herald_cli_json_from_text (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;

  if (text == NULL || *text == '\0')
    return json_node_new (JSON_NODE_NULL);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, -1, NULL) || json_parser_get_root (parser) == NULL)
    return json_node_new (JSON_NODE_NULL);

  return json_node_copy (json_parser_get_root (parser));
}

/* Lists */

typedef struct
{
  HeraldCliItemToJson to_json;   /* NULL without --json */
  HeraldCliItemPrint  print_row;
  guint               n_items;
  gboolean            begun;
  gboolean            pretty;
} List;

static void
list_add (List      *list,
          GPtrArray *items)
{
  /* The array opens with the first page, so that an error before it
   * prints nothing on stdout. */
  if (list->to_json != NULL && !list->begun)
    fputc ('[', stdout);
  list->begun = TRUE;

  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      if (list->to_json == NULL)
        {
          list->print_row (g_ptr_array_index (items, i));
          continue;
        }

      node = list->to_json (g_ptr_array_index (items, i));
      text = json_to_string (node, list->pretty);
      if (list->n_items++ > 0)
        fputc (',', stdout);
      if (list->pretty)
        fputc ('\n', stdout);
      fputs (text, stdout);
    }
}

static void
list_end (List *list)
{
  if (list->to_json == NULL || !list->begun)
    return;
  if (list->pretty && list->n_items > 0)
    fputc ('\n', stdout);
  fputs ("]\n", stdout);
}

int
herald_cli_print_pages (HeraldCliCommand    *cmd,
                        HeraldCliFetchPage   fetch_page,
                        gpointer             user_data,
                        HeraldCliItemId      item_id,
                        HeraldCliItemToJson  to_json,
                        HeraldCliItemPrint   print_row)
{
  List list = { cmd->json ? to_json : NULL, print_row, 0, FALSE, want_pretty () };
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = fetch_page (after, user_data, &error);

      if (page == NULL)
        {
          list_end (&list);
          return herald_cli_fail (error);
        }
      list_add (&list, page);
      if (page->len < HERALD_CLI_PAGE_SIZE)
        break;
      after = item_id (g_ptr_array_index (page, page->len - 1));
    }

  list_end (&list);
  return HERALD_CLI_EXIT_OK;
}

int
herald_cli_print_list (HeraldCliCommand    *cmd,
                       GPtrArray           *items,
                       HeraldCliItemToJson  to_json,
                       HeraldCliItemPrint   print_row)
{
  List list = { cmd->json ? to_json : NULL, print_row, 0, FALSE, want_pretty () };

  list_add (&list, items);
  list_end (&list);
  return HERALD_CLI_EXIT_OK;
}

/* Secrets */

char *
herald_cli_read_secret (const char  *prompt,
                        GError     **error)
{
  struct termios saved;
  gboolean is_terminal = isatty (STDIN_FILENO);
  gboolean echo_off = FALSE;
  char *line = NULL;
  size_t size = 0;
  ssize_t length;
  char *secret;

  if (is_terminal)
    {
      struct termios quiet;

      g_printerr ("%s", prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  length = getline (&line, &size, stdin);

  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
    line[--length] = '\0';

  if (length <= 0)
    {
      if (line != NULL)
        free (line);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("No secret on standard input (give it as one line)"));
      return NULL;
    }

  /* Wipe getline's buffer: the caller frees its copy with secret_password_free (). */
  secret = g_strdup (line);
  memset (line, 0, size);
  free (line);
  return secret;
}

/* Waiting */

static gboolean
on_quit_signal_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_CONTINUE;
}

GCancellable *
herald_cli_get_cancellable (void)
{
  static GCancellable *cancellable;

  if (cancellable == NULL)
    {
      cancellable = g_cancellable_new ();
      g_unix_signal_add (SIGINT, on_quit_signal_cb, cancellable);
      g_unix_signal_add (SIGTERM, on_quit_signal_cb, cancellable);
    }

  return cancellable;
}

void
herald_cli_async_ready_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

GAsyncResult *
herald_cli_wait (GAsyncResult **result)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  /* The callback only stores the result; iterating the loop's context until
   * it is there is all the waiting there is. */
  while (*result == NULL)
    g_main_context_iteration (g_main_loop_get_context (loop), TRUE);

  return *result;
}

/* Numbers and the Cloud API */

gboolean
herald_cli_parse_id (const char *text,
                     gint64     *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

HeraldTemplate *
herald_cli_find_template (HeraldStore  *store,
                          const char   *name,
                          const char   *language,
                          GError      **error)
{
  g_autoptr(GPtrArray) templates = NULL;
  HeraldTemplate *found = NULL;

  if (language != NULL)
    return herald_store_get_template_by_name (store, name, language, error);

  templates = herald_store_list_templates (store, FALSE, error);
  if (templates == NULL)
    return NULL;

  for (guint i = 0; i < templates->len; i++)
    {
      HeraldTemplate *template = g_ptr_array_index (templates, i);

      if (g_strcmp0 (herald_template_get_name (template), name) != 0)
        continue;
      if (found != NULL)
        {
          g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID,
                       _("Template “%s” exists in several languages: choose one with --language"), name);
          return NULL;
        }
      found = template;
    }

  if (found == NULL)
    {
      g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND,
                   _("No template named “%s” (see “herald-cli templates list”)"), name);
      return NULL;
    }

  return g_object_ref (found);
}

HeraldNumber *
herald_cli_find_number (HeraldStore  *store,
                        const char   *id,
                        GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  HeraldNumber *number;
  gint64 row_id;

  number = herald_store_get_number_by_phone_number_id (store, id, &local_error);
  if (number == NULL && g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND) &&
      herald_cli_parse_id (id, &row_id))
    {
      g_clear_error (&local_error);
      number = herald_store_get_number (store, row_id, &local_error);
    }
  if (number != NULL)
    return number;

  if (g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
    g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND,
                 _("No WhatsApp number with the ID “%s” (see “herald-cli numbers list”)"), id);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

HeraldCloudClient *
herald_cli_cloud_client_new (HeraldCliCommand  *self,
                             HeraldNumber      *number,
                             GError           **error)
{
  const char *phone_number_id = herald_number_get_phone_number_id (number);
  HeraldCloudClient *client;
  char *token;

  token = herald_secrets_lookup_access_token_sync (phone_number_id, herald_cli_get_cancellable (), error);
  if (token == NULL)
    return NULL;

  client = herald_cloud_client_new (self->api_base, token);
  secret_password_free (token);
  return client;
}
