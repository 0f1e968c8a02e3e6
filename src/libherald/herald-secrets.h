/* herald-secrets.h: access tokens, app secrets and feed tokens in the desktop keyring
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HERALD_SECRETS_ERROR (herald_secrets_error_quark ())

typedef enum
{
  HERALD_SECRETS_ERROR_NO_KEYRING,
  HERALD_SECRETS_ERROR_LOCKED,
  HERALD_SECRETS_ERROR_FAILED,
  HERALD_SECRETS_ERROR_SECRET_IN_LABEL,
  HERALD_SECRETS_ERROR_NOT_FOUND,
} HeraldSecretsError;

/* What a secret is for; the key tells which one of that kind. */
typedef enum
{
  HERALD_SECRET_ACCESS_TOKEN,   /* key: the phone_number_id */
  HERALD_SECRET_APP_SECRET,     /* key: the Meta app id, or "default" */
  HERALD_SECRET_FEED_TOKEN,     /* key: the relay URL, or "default" */
} HeraldSecretKind;

GQuark      herald_secrets_error_quark   (void);

/* The "kind" attribute stored in the keyring: "access-token", "app-secret",
 * "feed-token". */
const char *herald_secret_kind_to_string (HeraldSecretKind      kind);

/* @label names the item in keyring managers; NULL picks one from @kind and
 * @key. A label that contains the secret fails with
 * HERALD_SECRETS_ERROR_SECRET_IN_LABEL and stores nothing. Replaces an
 * existing secret. */
void        herald_secrets_store_async   (HeraldSecretKind      kind,
                                          const char           *key,
                                          const char           *label,
                                          const char           *secret,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    herald_secrets_store_finish  (GAsyncResult         *result,
                                          GError              **error);
gboolean    herald_secrets_store_sync    (HeraldSecretKind      kind,
                                          const char           *key,
                                          const char           *label,
                                          const char           *secret,
                                          GCancellable         *cancellable,
                                          GError              **error);

/* The secret, to be freed with secret_password_free() (it wipes the memory),
 * or NULL: with @error set on failure, without when there is no such secret. */
void        herald_secrets_lookup_async  (HeraldSecretKind      kind,
                                          const char           *key,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char       *herald_secrets_lookup_finish (GAsyncResult         *result,
                                          GError              **error);
char       *herald_secrets_lookup_sync   (HeraldSecretKind      kind,
                                          const char           *key,
                                          GCancellable         *cancellable,
                                          GError              **error);

/* A number's access token, as herald_secrets_lookup_*() with
 * HERALD_SECRET_ACCESS_TOKEN, except that a missing one is an error too
 * (HERALD_SECRETS_ERROR_NOT_FOUND, saying which number): every sender
 * needs one. Free it with secret_password_free(). */
void        herald_secrets_lookup_access_token_async  (const char           *phone_number_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
char       *herald_secrets_lookup_access_token_finish (GAsyncResult         *result,
                                                       GError              **error);
char       *herald_secrets_lookup_access_token_sync   (const char           *phone_number_id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

/* Removes the secret. Returns TRUE also when there was none. */
void        herald_secrets_clear_async   (HeraldSecretKind      kind,
                                          const char           *key,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    herald_secrets_clear_finish  (GAsyncResult         *result,
                                          GError              **error);
gboolean    herald_secrets_clear_sync    (HeraldSecretKind      kind,
                                          const char           *key,
                                          GCancellable         *cancellable,
                                          GError              **error);

G_END_DECLS
