/* herald-secrets.c: access tokens, app secrets and feed tokens in the desktop keyring
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "herald-secrets.h"

G_DEFINE_QUARK (herald-secrets-error-quark, herald_secrets_error)

static const SecretSchema herald_secret_schema = {
  "io.github.herald.Herald.Secret", SECRET_SCHEMA_NONE,
  {
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "key", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

const char *
herald_secret_kind_to_string (HeraldSecretKind kind)
{
  switch (kind)
    {
    case HERALD_SECRET_ACCESS_TOKEN:
      return "access-token";
    case HERALD_SECRET_APP_SECRET:
      return "app-secret";
    case HERALD_SECRET_FEED_TOKEN:
      return "feed-token";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The attributes that name one secret, shared by every call below. */
static GHashTable *
attributes_for (HeraldSecretKind  kind,
                const char       *key)
{
  return secret_attributes_build (&herald_secret_schema,
                                  "kind", herald_secret_kind_to_string (kind),
                                  "key", key,
                                  NULL);
}

static GTask *
new_task (gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/* secret_password_lookupv() and secret_password_clearv() take the same
 * arguments; the public functions check theirs first, so a bad call is
 * reported under its own name and never starts a task. */
typedef void (*KeyringCall) (const SecretSchema  *schema,
                             GHashTable          *attributes,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);

static void
start_keyring_call (gpointer             source_tag,
                    KeyringCall          call,
                    GAsyncReadyCallback  on_done,
                    HeraldSecretKind     kind,
                    const char          *key,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = attributes_for (kind, key);

  call (&herald_secret_schema, attributes, cancellable, on_done,
        new_task (source_tag, cancellable, callback, user_data));
}

static gboolean
kind_is_valid (HeraldSecretKind kind)
{
  return kind == HERALD_SECRET_ACCESS_TOKEN ||
         kind == HERALD_SECRET_APP_SECRET ||
         kind == HERALD_SECRET_FEED_TOKEN;
}

/* What keyring managers show; never the secret itself. */
static char *
default_label (HeraldSecretKind  kind,
               const char       *key)
{
  gboolean is_default = g_strcmp0 (key, "default") == 0;

  switch (kind)
    {
    case HERALD_SECRET_ACCESS_TOKEN:
      return g_strdup_printf (_("Herald access token for number %s"), key);
    case HERALD_SECRET_APP_SECRET:
      return is_default ? g_strdup (_("Herald app secret"))
                        : g_strdup_printf (_("Herald app secret for app %s"), key);
    case HERALD_SECRET_FEED_TOKEN:
      return is_default ? g_strdup (_("Herald relay feed token"))
                        : g_strdup_printf (_("Herald feed token for relay %s"), key);
    default:
      g_assert_not_reached ();
    }
}

/* libsecret reports a missing Secret Service or session bus as D-Bus or I/O
 * errors, and a collection that does not exist (a keyring daemon started
 * without a login keyring) as NO_SUCH_OBJECT. Cancellation stays as it is,
 * so callers can ignore it quietly. */
static GError *
translate_error (GError     *error,
                 const char *failure)
{
  GError *translated;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    translated = g_error_new (HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_NO_KEYRING,
                              _("No keyring is available: %s"), error->message);
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    translated = g_error_new (HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_LOCKED,
                              _("The keyring is locked: %s"), error->message);
  else
    translated = g_error_new (HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_FAILED,
                              "%s: %s", failure, error->message);

  g_error_free (error);
  return translated;
}

static void
propagate (GError     **dest,
           GError      *error,
           const char  *failure)
{
  g_propagate_error (dest, translate_error (error, failure));
}

/* A label may come from user data, so one that holds the secret is a
 * runtime error, not a programmer's. Keyring managers show labels to anyone
 * at the screen: refuse it, and say so without repeating either. */
static gboolean
check_label (const char  *label,
             const char  *secret,
             GError     **error)
{
  if (label == NULL || strstr (label, secret) == NULL)
    return TRUE;

  g_set_error_literal (error, HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_SECRET_IN_LABEL,
                       _("The secret was not saved: the label given for its keyring item "
                         "contains the secret itself"));
  return FALSE;
}

#define STORE_FAILED N_("Could not save the secret in the keyring")
#define LOOKUP_FAILED N_("Could not read the secret from the keyring")
#define CLEAR_FAILED N_("Could not remove the secret from the keyring")

/* Store */

static void
on_password_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, translate_error (error, _(STORE_FAILED)));
  else
    g_task_return_boolean (task, TRUE);
}

void
herald_secrets_store_async (HeraldSecretKind     kind,
                            const char          *key,
                            const char          *label,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *owned_label = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (kind_is_valid (kind));
  g_return_if_fail (key != NULL && key[0] != '\0');
  g_return_if_fail (secret != NULL && secret[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (herald_secrets_store_async, cancellable, callback, user_data);
  if (!check_label (label, secret, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  attributes = attributes_for (kind, key);
  if (label == NULL)
    label = owned_label = default_label (kind, key);

  secret_password_storev (&herald_secret_schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                          secret, cancellable, on_password_stored_cb, g_steal_pointer (&task));
}

gboolean
herald_secrets_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_secrets_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
herald_secrets_store_sync (HeraldSecretKind   kind,
                           const char        *key,
                           const char        *label,
                           const char        *secret,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *owned_label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (kind_is_valid (kind), FALSE);
  g_return_val_if_fail (key != NULL && key[0] != '\0', FALSE);
  g_return_val_if_fail (secret != NULL && secret[0] != '\0', FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_label (label, secret, error))
    return FALSE;

  attributes = attributes_for (kind, key);
  if (label == NULL)
    label = owned_label = default_label (kind, key);

  if (!secret_password_storev_sync (&herald_secret_schema, attributes, SECRET_COLLECTION_DEFAULT,
                                    label, secret, cancellable, &local_error))
    {
      propagate (error, local_error, _(STORE_FAILED));
      return FALSE;
    }

  return TRUE;
}

/* Lookup */

static void
on_password_looked_up_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error, _(LOOKUP_FAILED)));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
herald_secrets_lookup_async (HeraldSecretKind     kind,
                             const char          *key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (kind_is_valid (kind));
  g_return_if_fail (key != NULL && key[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_keyring_call (herald_secrets_lookup_async, secret_password_lookupv,
                      on_password_looked_up_cb, kind, key, cancellable, callback, user_data);
}

char *
herald_secrets_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_secrets_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
herald_secrets_lookup_sync (HeraldSecretKind   kind,
                            const char        *key,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;
  char *secret;

  g_return_val_if_fail (kind_is_valid (kind), NULL);
  g_return_val_if_fail (key != NULL && key[0] != '\0', NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  attributes = attributes_for (kind, key);
  secret = secret_password_lookupv_sync (&herald_secret_schema, attributes, cancellable, &local_error);
  if (local_error != NULL)
    {
      propagate (error, local_error, _(LOOKUP_FAILED));
      return NULL;
    }

  return secret;
}

/* Access tokens */

static GError *
no_access_token_error (const char *phone_number_id)
{
  return g_error_new (HERALD_SECRETS_ERROR, HERALD_SECRETS_ERROR_NOT_FOUND,
                      _("No access token for the number %s is in the keyring: enter it again for that number"),
                      phone_number_id);
}

static void
on_access_token_looked_up_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token = herald_secrets_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (token == NULL)
    g_task_return_error (task, no_access_token_error (g_task_get_task_data (task)));
  else
    g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

void
herald_secrets_lookup_access_token_async (const char          *phone_number_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (phone_number_id != NULL && phone_number_id[0] != '\0');

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_secrets_lookup_access_token_async);
  g_task_set_task_data (task, g_strdup (phone_number_id), g_free);
  herald_secrets_lookup_async (HERALD_SECRET_ACCESS_TOKEN, phone_number_id, cancellable,
                               on_access_token_looked_up_cb, task);
}

char *
herald_secrets_lookup_access_token_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_secrets_lookup_access_token_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
herald_secrets_lookup_access_token_sync (const char    *phone_number_id,
                                         GCancellable  *cancellable,
                                         GError       **error)
{
  GError *local_error = NULL;
  char *token;

  g_return_val_if_fail (phone_number_id != NULL && phone_number_id[0] != '\0', NULL);

  token = herald_secrets_lookup_sync (HERALD_SECRET_ACCESS_TOKEN, phone_number_id, cancellable, &local_error);
  if (token == NULL)
    g_propagate_error (error, local_error != NULL ? local_error : no_access_token_error (phone_number_id));
  return token;
}

/* Clear */

static void
on_password_cleared_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error means there was nothing to remove. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error, _(CLEAR_FAILED)));
  else
    g_task_return_boolean (task, TRUE);
}

void
herald_secrets_clear_async (HeraldSecretKind     kind,
                            const char          *key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (kind_is_valid (kind));
  g_return_if_fail (key != NULL && key[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_keyring_call (herald_secrets_clear_async, secret_password_clearv,
                      on_password_cleared_cb, kind, key, cancellable, callback, user_data);
}

gboolean
herald_secrets_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_secrets_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
herald_secrets_clear_sync (HeraldSecretKind   kind,
                           const char        *key,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (kind_is_valid (kind), FALSE);
  g_return_val_if_fail (key != NULL && key[0] != '\0', FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  attributes = attributes_for (kind, key);
  secret_password_clearv_sync (&herald_secret_schema, attributes, cancellable, &local_error);
  if (local_error != NULL)
    {
      propagate (error, local_error, _(CLEAR_FAILED));
      return FALSE;
    }

  return TRUE;
}
