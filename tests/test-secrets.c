/* test-secrets.c: secrets in the keyring, sync and async, and no keyring at all
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "herald-secrets.h"
#include "herald-test-utils.h"

#define WAIT_MS 10000

/* Keys no real setup uses, in case this runs against someone's keyring. */
#define NUMBER_KEY "herald-test-106540352242922"

static void
on_secrets_appeared_cb (GDBusConnection *connection,
                        const char      *name,
                        const char      *owner,
                        gpointer         user_data)
{
  gboolean *appeared = user_data;

  *appeared = TRUE;
}

static gboolean
on_keyring_wait_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Is anyone serving org.freedesktop.secrets on the session bus? No D-Bus
 * activation: a keyring daemon started that way has no login keyring. A
 * daemon started just before the test may still be taking its name, so
 * give it a moment. */
static gboolean
keyring_available (void)
{
  static int available = -1;
  g_autoptr(GDBusConnection) bus = NULL;
  gboolean appeared = FALSE;
  gboolean timed_out = FALSE;
  guint watch_id, timeout_id;

  if (available >= 0)
    return available;

  available = FALSE;
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  watch_id = g_bus_watch_name_on_connection (bus, "org.freedesktop.secrets",
                                             G_BUS_NAME_WATCHER_FLAGS_NONE,
                                             on_secrets_appeared_cb, NULL,
                                             &appeared, NULL);
  timeout_id = g_timeout_add (3000, on_keyring_wait_timeout_cb, &timed_out);
  while (!appeared && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_bus_unwatch_name (watch_id);
  if (!timed_out)
    g_source_remove (timeout_id);

  available = appeared;
  return available;
}

static gboolean
skip_without_keyring (void)
{
  if (keyring_available ())
    return FALSE;
  g_test_skip ("no org.freedesktop.secrets on the session bus (use build-aux/run-tests)");
  return TRUE;
}

static void
assert_secret (HeraldSecretKind  kind,
               const char       *key,
               const char       *expected)
{
  g_autoptr(GError) error = NULL;
  char *secret = herald_secrets_lookup_sync (kind, key, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, expected);
  secret_password_free (secret);
}

static void
test_round_trip_sync (void)
{
  g_autoptr(GError) error = NULL;

  if (skip_without_keyring ())
    return;

  assert_secret (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL);

  g_assert_true (herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL,
                                            "EAAG-first", NULL, &error));
  g_assert_no_error (error);
  assert_secret (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, "EAAG-first");

  /* Storing again replaces, it does not add a second item. */
  g_assert_true (herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY,
                                            "Herald test token", "EAAG-second", NULL, &error));
  g_assert_no_error (error);
  assert_secret (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, "EAAG-second");

  g_assert_true (herald_secrets_clear_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL, &error));
  g_assert_no_error (error);
  assert_secret (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL);

  /* Clearing what is not there is no error. */
  g_assert_true (herald_secrets_clear_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL, &error));
  g_assert_no_error (error);
}

typedef struct
{
  GAsyncResult *result;
} AsyncState;

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncState *state = user_data;

  state->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  AsyncState *state = data;

  return state->result != NULL;
}

/* Waits for the callback and hands over its result. */
static GAsyncResult *
wait_for_result (AsyncState *state)
{
  herald_test_wait_until (has_result, state, WAIT_MS);
  g_assert_nonnull (state->result);
  return g_steal_pointer (&state->result);
}

static void
store_async (HeraldSecretKind  kind,
             const char       *key,
             const char       *secret)
{
  AsyncState state = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  herald_secrets_store_async (kind, key, NULL, secret, NULL, on_done_cb, &state);
  result = wait_for_result (&state);
  g_assert_true (herald_secrets_store_finish (result, &error));
  g_assert_no_error (error);
}

static char *
lookup_async (HeraldSecretKind  kind,
              const char       *key)
{
  AsyncState state = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  herald_secrets_lookup_async (kind, key, NULL, on_done_cb, &state);
  result = wait_for_result (&state);
  secret = herald_secrets_lookup_finish (result, &error);
  g_assert_no_error (error);
  return secret;
}

static void
clear_async (HeraldSecretKind  kind,
             const char       *key)
{
  AsyncState state = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  herald_secrets_clear_async (kind, key, NULL, on_done_cb, &state);
  result = wait_for_result (&state);
  g_assert_true (herald_secrets_clear_finish (result, &error));
  g_assert_no_error (error);
}

static void
assert_secret_async (HeraldSecretKind  kind,
                     const char       *key,
                     const char       *expected)
{
  char *secret = lookup_async (kind, key);

  g_assert_cmpstr (secret, ==, expected);
  secret_password_free (secret);
}

static void
test_round_trip_async (void)
{
  if (skip_without_keyring ())
    return;

  assert_secret_async (HERALD_SECRET_FEED_TOKEN, "http://127.0.0.1:1/", NULL);

  store_async (HERALD_SECRET_FEED_TOKEN, "http://127.0.0.1:1/", "feed-first");
  assert_secret_async (HERALD_SECRET_FEED_TOKEN, "http://127.0.0.1:1/", "feed-first");

  store_async (HERALD_SECRET_FEED_TOKEN, "http://127.0.0.1:1/", "feed-second");
  assert_secret_async (HERALD_SECRET_FEED_TOKEN, "http://127.0.0.1:1/", "feed-second");
  /* What the async calls stored, the sync ones read, and back. */
  assert_secret (HERALD_SECRET_FEED_TOKEN, "http://127.0.0.1:1/", "feed-second");

  clear_async (HERALD_SECRET_FEED_TOKEN, "http://127.0.0.1:1/");
  assert_secret_async (HERALD_SECRET_FEED_TOKEN, "http://127.0.0.1:1/", NULL);
  clear_async (HERALD_SECRET_FEED_TOKEN, "http://127.0.0.1:1/");
}

/* The kind is part of what identifies a secret: the same key under two
 * kinds names two secrets, and clearing one leaves the other. */
static void
test_kinds_apart (void)
{
  g_autoptr(GError) error = NULL;

  if (skip_without_keyring ())
    return;

  herald_secrets_store_sync (HERALD_SECRET_APP_SECRET, "default", NULL, "app-secret-value",
                             NULL, &error);
  g_assert_no_error (error);
  store_async (HERALD_SECRET_FEED_TOKEN, "default", "feed-token-value");

  assert_secret (HERALD_SECRET_APP_SECRET, "default", "app-secret-value");
  assert_secret (HERALD_SECRET_FEED_TOKEN, "default", "feed-token-value");
  assert_secret (HERALD_SECRET_ACCESS_TOKEN, "default", NULL);

  clear_async (HERALD_SECRET_APP_SECRET, "default");
  assert_secret (HERALD_SECRET_APP_SECRET, "default", NULL);
  assert_secret (HERALD_SECRET_FEED_TOKEN, "default", "feed-token-value");

  herald_secrets_clear_sync (HERALD_SECRET_FEED_TOKEN, "default", NULL, &error);
  g_assert_no_error (error);
  assert_secret (HERALD_SECRET_FEED_TOKEN, "default", NULL);
}

/* The item's label tells what it is for; the secret is only in the secret. */
static void
test_label (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autolist(SecretItem) items = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autofree char *label = NULL;
  g_autofree char *schema_name = NULL;

  if (skip_without_keyring ())
    return;

  herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL, "EAAG-labelled",
                             NULL, &error);
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, "kind", "access-token");
  g_hash_table_insert (attributes, "key", NUMBER_KEY);
  items = secret_service_search_sync (service, NULL, attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);

  label = secret_item_get_label (items->data);
  g_assert_cmpstr (label, ==, "Herald access token for number " NUMBER_KEY);
  schema_name = secret_item_get_schema_name (items->data);
  g_assert_cmpstr (schema_name, ==, "io.github.herald.Herald.Secret");

  herald_secrets_clear_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL, &error);
  g_assert_no_error (error);
}

/* A label can come from user data: one holding the secret is a runtime
 * error that names neither, and nothing is stored (sync and async). */
static void
test_label_with_secret (void)
{
  const char *secret = "EAAG-in-label";
  const char *label = "Shop token EAAG-in-label";
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AsyncState state = { NULL };
  gboolean keyring = keyring_available ();

  if (keyring)
    {
      g_assert_true (herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL,
                                                "EAAG-kept", NULL, &error));
      g_assert_no_error (error);
    }

  g_assert_false (herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, label,
                                             secret, NULL, &error));
  g_assert_error (error, HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_SECRET_IN_LABEL);
  g_assert_null (strstr (error->message, secret));
  g_assert_null (strstr (error->message, label));
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  herald_secrets_store_async (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, label, secret, NULL,
                              on_done_cb, &state);
  result = wait_for_result (&state);
  g_assert_false (herald_secrets_store_finish (result, &error));
  g_assert_error (error, HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_SECRET_IN_LABEL);
  g_assert_null (strstr (error->message, secret));
  g_clear_error (&error);

  if (!keyring)
    return;

  /* The secret already there is untouched. */
  assert_secret (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, "EAAG-kept");
  g_assert_true (herald_secrets_clear_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL, &error));
  g_assert_no_error (error);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AsyncState state = { NULL };
  char *secret;

  if (skip_without_keyring ())
    return;

  g_cancellable_cancel (cancellable);
  herald_secrets_lookup_async (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, cancellable,
                               on_done_cb, &state);
  result = wait_for_result (&state);
  secret = herald_secrets_lookup_finish (result, &error);
  g_assert_null (secret);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A session bus with nobody serving secrets, as on a desktop without a
 * keyring daemon: in a subprocess, because libsecret and GDBus keep the bus
 * they found first. */
static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      AsyncState state = { NULL };
      char *secret;

      g_test_dbus_up (bus);

      secret = herald_secrets_lookup_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL, &error);
      g_assert_null (secret);
      g_assert_error (error, HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_NO_KEYRING);
      g_assert_true (g_str_has_prefix (error->message, "No keyring is available: "));
      g_clear_error (&error);

      g_assert_false (herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL,
                                                 "EAAG-nowhere", NULL, &error));
      g_assert_error (error, HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_NO_KEYRING);
      g_assert_null (strstr (error->message, "EAAG-nowhere"));
      g_clear_error (&error);

      herald_secrets_store_async (HERALD_SECRET_ACCESS_TOKEN, NUMBER_KEY, NULL,
                                  "EAAG-nowhere", NULL, on_done_cb, &state);
      result = wait_for_result (&state);
      g_assert_false (herald_secrets_store_finish (result, &error));
      g_assert_error (error, HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_NO_KEYRING);

      secret_service_disconnect ();
      g_test_dbus_down (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* A number's access token: missing is an error that names the number, both
 * ways; once stored, both ways return it. */
static void
on_access_token_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
access_token_async (const char  *phone_number_id,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  herald_secrets_lookup_access_token_async (phone_number_id, NULL, on_access_token_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return herald_secrets_lookup_access_token_finish (result, error);
}

static void
test_access_token (void)
{
  const char *id = "109876543210987";

  if (skip_without_keyring ())
    return;

  for (guint async = 0; async < 2; async++)
    {
      g_autoptr(GError) error = NULL;
      char *token = async ? access_token_async (id, &error)
                          : herald_secrets_lookup_access_token_sync (id, NULL, &error);

      g_assert_null (token);
      g_assert_error (error, HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, id));
    }

  g_assert_true (herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, id, NULL, "EAAG-token", NULL, NULL));
  for (guint async = 0; async < 2; async++)
    {
      g_autoptr(GError) error = NULL;
      char *token = async ? access_token_async (id, &error)
                          : herald_secrets_lookup_access_token_sync (id, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (token, ==, "EAAG-token");
      secret_password_free (token);
    }
  g_assert_true (herald_secrets_clear_sync (HERALD_SECRET_ACCESS_TOKEN, id, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/herald/secrets/round-trip-sync", test_round_trip_sync);
  g_test_add_func ("/herald/secrets/round-trip-async", test_round_trip_async);
  g_test_add_func ("/herald/secrets/kinds-apart", test_kinds_apart);
  g_test_add_func ("/herald/secrets/label", test_label);
  g_test_add_func ("/herald/secrets/label-with-secret", test_label_with_secret);
  g_test_add_func ("/herald/secrets/access-token", test_access_token);
  g_test_add_func ("/herald/secrets/cancelled", test_cancelled);
  g_test_add_func ("/herald/secrets/no-keyring", test_no_keyring);

  status = g_test_run ();
  secret_service_disconnect ();
  return status;
}
