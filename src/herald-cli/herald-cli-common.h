/* herald-cli-common.h: what every herald-cli command shares
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "herald-cloud-client.h"
#include "herald-store.h"

G_BEGIN_DECLS

/* The exit codes are part of the command line contract. */
enum
{
  HERALD_CLI_EXIT_OK = 0,
  HERALD_CLI_EXIT_ERROR = 1,   /* a user error: one line on stderr */
  HERALD_CLI_EXIT_USAGE = 2,   /* unknown command or option, missing argument */
};

/* A group ("contacts") or a command in it ("import"): @argv[0] is its own
 * name, the rest its arguments. Returns the exit code. */
typedef int (*HeraldCliHandler) (int argc, char **argv);

/* A command (with its @handler) or a group (with its @commands). */
typedef struct _HeraldCliEntry HeraldCliEntry;
struct _HeraldCliEntry
{
  const char           *name;
  HeraldCliHandler      handler;
  const char           *summary;    /* N_() */
  const HeraldCliEntry *commands;   /* NULL-terminated */
};

/* The command groups, one table per group's file. */
extern const HeraldCliEntry herald_cli_contacts_commands[];
extern const HeraldCliEntry herald_cli_templates_commands[];
extern const HeraldCliEntry herald_cli_numbers_commands[];
extern const HeraldCliEntry herald_cli_business_commands[];
extern const HeraldCliEntry herald_cli_campaign_commands[];
extern const HeraldCliEntry herald_cli_webhooks_commands[];
extern const HeraldCliEntry herald_cli_relay_commands[];

/* Runs the entry of @entries (NULL-terminated) that @argv[1] names; @group
 * is the group's name for messages ("contacts"), NULL for the top level. */
int herald_cli_dispatch (const char           *group,
                         const HeraldCliEntry *entries,
                         int                   argc,
                         char                **argv);

/* Which shared options a command takes besides --db. */
typedef enum
{
  HERALD_CLI_OPTION_NONE     = 0,
  HERALD_CLI_OPTION_JSON     = 1 << 0,   /* --json */
  HERALD_CLI_OPTION_API_BASE = 1 << 1,   /* --api-base URL */
} HeraldCliOptionFlags;

/* One command's command line: its options, then what is left (the
 * positional arguments). */
typedef struct _HeraldCliCommand HeraldCliCommand;

HeraldCliCommand  *herald_cli_command_new          (const char            *name,
                                                    const char            *parameter_string,
                                                    const char            *summary,
                                                    HeraldCliOptionFlags   flags);
void               herald_cli_command_free         (HeraldCliCommand      *self);
void               herald_cli_command_add_entries  (HeraldCliCommand      *self,
                                                    const GOptionEntry    *entries);
/* Parses @argv (argv[0] is the command's name). FALSE after printing the
 * problem and the usage line on stderr, or the help on stdout, with
 * @exit_code set: 2, or 0 for --help. */
gboolean           herald_cli_command_parse        (HeraldCliCommand      *self,
                                                    int                    argc,
                                                    char                 **argv,
                                                    guint                  min_args,
                                                    guint                  max_args,
                                                    int                   *exit_code);
guint              herald_cli_command_get_n_args   (HeraldCliCommand      *self);
const char        *herald_cli_command_get_arg      (HeraldCliCommand      *self,
                                                    guint                  index);
gboolean           herald_cli_command_get_json     (HeraldCliCommand      *self);
const char        *herald_cli_command_get_api_base (HeraldCliCommand      *self);
/* Prints "herald-cli: MESSAGE" and the usage line on stderr; returns 2. */
int                herald_cli_command_usage_error  (HeraldCliCommand      *self,
                                                    const char            *format,
                                                    ...) G_GNUC_PRINTF (2, 3);
/* The database given by --db, or the app's own; NULL after printing the
 * problem, with @exit_code set to 1. */
HeraldStore       *herald_cli_command_open_store   (HeraldCliCommand      *self,
                                                    int                   *exit_code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldCliCommand, herald_cli_command_free)

/* Prints "herald-cli: MESSAGE" (on one line) on stderr; returns 1. */
int                herald_cli_fail                 (const GError          *error);
int                herald_cli_fail_message         (const char            *format,
                                                    ...) G_GNUC_PRINTF (1, 2);

/* JSON on stdout: one document, pretty on a terminal, compact otherwise. */
void               herald_cli_print_json           (JsonNode              *node);
/* One member of the object @builder is building. */
void               herald_cli_json_add_string      (JsonBuilder           *builder,
                                                    const char            *member,
                                                    const char            *value);
void               herald_cli_json_add_int         (JsonBuilder           *builder,
                                                    const char            *member,
                                                    gint64                 value);
void               herald_cli_json_add_boolean     (JsonBuilder           *builder,
                                                    const char            *member,
                                                    gboolean               value);
/* @text as a JSON node: parsed when it is JSON, else null. */
JsonNode          *herald_cli_json_from_text       (const char            *text);

/* A list on stdout: with --json one array written item by item, else one
 * line per item. Both return 0. */
typedef JsonNode  *(*HeraldCliItemToJson) (gpointer item);
typedef void       (*HeraldCliItemPrint)  (gpointer item);
int                herald_cli_print_list           (HeraldCliCommand      *cmd,
                                                    GPtrArray             *items,
                                                    HeraldCliItemToJson    to_json,
                                                    HeraldCliItemPrint     print_row);
/* Pages of at most HERALD_CLI_PAGE_SIZE items with ids above @after, so a
 * long list never sits in memory whole; an error ends the JSON array begun
 * (stdout stays one document) and returns herald_cli_fail (). */
#define HERALD_CLI_PAGE_SIZE 500
typedef GPtrArray *(*HeraldCliFetchPage)  (gint64    after,
                                           gpointer  user_data,
                                           GError  **error);
typedef gint64     (*HeraldCliItemId)     (gpointer item);
int                herald_cli_print_pages          (HeraldCliCommand      *cmd,
                                                    HeraldCliFetchPage     fetch_page,
                                                    gpointer               user_data,
                                                    HeraldCliItemId        item_id,
                                                    HeraldCliItemToJson    to_json,
                                                    HeraldCliItemPrint     print_row);

/* One line from stdin (without its line end), not echoed when stdin is a
 * terminal; @prompt goes to stderr then. An empty line is an error. */
char              *herald_cli_read_secret          (const char            *prompt,
                                                    GError               **error);

/* Cancelled on SIGINT or SIGTERM. */
GCancellable      *herald_cli_get_cancellable      (void);
/* Waiting for one async call: pass herald_cli_async_ready_cb with the
 * address of a NULL GAsyncResult pointer as user data, then
 * herald_cli_wait (&result) runs the main loop until the call finished and
 * returns the result, which stays owned by the pointer (g_autoptr it). */
void               herald_cli_async_ready_cb       (GObject               *source,
                                                    GAsyncResult          *result,
                                                    gpointer               user_data);
GAsyncResult      *herald_cli_wait                 (GAsyncResult         **result);

/* A row id (a whole number from 1); FALSE when @text is none. */
gboolean           herald_cli_parse_id             (const char            *text,
                                                    gint64                *id);
/* The template @name in @language, or in its only language when @language
 * is NULL. */
HeraldTemplate    *herald_cli_find_template        (HeraldStore           *store,
                                                    const char            *name,
                                                    const char            *language,
                                                    GError               **error);
/* A WhatsApp number by its phone_number_id or, failing that, its row id. */
HeraldNumber      *herald_cli_find_number          (HeraldStore           *store,
                                                    const char            *id,
                                                    GError               **error);
/* A Cloud API client for @number, with its access token from the keyring. */
HeraldCloudClient *herald_cli_cloud_client_new     (HeraldCliCommand      *self,
                                                    HeraldNumber          *number,
                                                    GError               **error);

G_END_DECLS
