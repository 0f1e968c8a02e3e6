/* herald-relay-server.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-relay-db.h"

G_BEGIN_DECLS

#define HERALD_RELAY_SERVER_ERROR (herald_relay_server_error_quark ())

typedef enum
{
  /* A setting is missing or out of range. */
  HERALD_RELAY_SERVER_ERROR_CONFIG,
  /* The address could not be listened on. */
  HERALD_RELAY_SERVER_ERROR_LISTEN,
} HeraldRelayServerError;

GQuark herald_relay_server_error_quark (void);

/* Largest webhook body accepted (Meta sends at most 3 MB). */
#define HERALD_RELAY_MAX_BODY_BYTES (4 * 1024 * 1024)
#define HERALD_RELAY_DEFAULT_RETENTION_DAYS 14
#define HERALD_RELAY_DEFAULT_LIMIT 100
#define HERALD_RELAY_MAX_LIMIT 1000
#define HERALD_RELAY_MAX_WAIT_SECONDS 30

#define HERALD_TYPE_RELAY_SERVER (herald_relay_server_get_type ())

G_DECLARE_FINAL_TYPE (HeraldRelayServer, herald_relay_server, HERALD, RELAY_SERVER, GObject)

HeraldRelayServer *herald_relay_server_new                (HeraldRelayDb      *db,
                                                           const char         *feed_token,
                                                           GError            **error);
HeraldRelayDb     *herald_relay_server_get_db             (HeraldRelayServer  *self);
void               herald_relay_server_set_verify_token   (HeraldRelayServer  *self,
                                                           const char         *verify_token);
void               herald_relay_server_set_app_secret     (HeraldRelayServer  *self,
                                                           const char         *app_secret);
guint              herald_relay_server_get_retention_days (HeraldRelayServer  *self);
void               herald_relay_server_set_retention_days (HeraldRelayServer  *self,
                                                           guint               retention_days);
gboolean           herald_relay_server_listen             (HeraldRelayServer  *self,
                                                           const char         *address,
                                                           guint               port,
                                                           GError            **error);
const char        *herald_relay_server_get_url            (HeraldRelayServer  *self);
gint64             herald_relay_server_purge              (HeraldRelayServer  *self,
                                                           GDateTime          *now,
                                                           GError            **error);

G_END_DECLS
