/* herald-sim-server.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HERALD_SIM_ERROR (herald_sim_error_quark ())

typedef enum
{
  HERALD_SIM_ERROR_LISTEN,
  HERALD_SIM_ERROR_INVALID_TEMPLATE,
  HERALD_SIM_ERROR_INVALID_CONTROL,
} HeraldSimError;

#define HERALD_TYPE_SIM_SERVER (herald_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (HeraldSimServer, herald_sim_server, HERALD, SIM_SERVER, GObject)

GQuark           herald_sim_error_quark           (void);

HeraldSimServer *herald_sim_server_new            (const char       *token);
gboolean         herald_sim_server_listen         (HeraldSimServer  *self,
                                                   guint             port,
                                                   GError          **error);
const char      *herald_sim_server_get_url        (HeraldSimServer  *self);
gboolean         herald_sim_server_add_template   (HeraldSimServer  *self,
                                                   const char       *spec,
                                                   GError          **error);
gboolean         herald_sim_server_control        (HeraldSimServer  *self,
                                                   JsonObject       *request,
                                                   GError          **error);
JsonNode        *herald_sim_server_get_stats      (HeraldSimServer  *self);
void             herald_sim_server_reset          (HeraldSimServer  *self);

G_END_DECLS
