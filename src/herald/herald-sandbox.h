/* herald-sandbox.h: the Sandbox number, a herald-sim inside the app
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "herald-cloud-client.h"
#include "herald-number.h"
#include "herald-store-worker.h"

G_BEGIN_DECLS


#define HERALD_TYPE_SANDBOX (herald_sandbox_get_type ())

G_DECLARE_FINAL_TYPE (HeraldSandbox, herald_sandbox, HERALD, SANDBOX, GObject)

/* One per store worker (so per database), made on first use. It runs
 * herald-sim in a thread of its own on 127.0.0.1 with a token kept in
 * memory, reviewing submitted templates as Meta does (PENDING, then
 * APPROVED), and applies the webhooks the sim sends straight to the
 * database through HeraldStatusApplier. */
HeraldSandbox *herald_sandbox_get_for_worker        (HeraldStoreWorker  *worker);
/* Does not wait for the sim's thread (see the .c): call it from the main
 * thread. TRUE once started; the getters below are set from then on. */
gboolean       herald_sandbox_start                 (HeraldSandbox      *self,
                                                     GError            **error);
gboolean       herald_sandbox_get_running           (HeraldSandbox      *self);
/* NULL until started. */
const char    *herald_sandbox_get_api_base          (HeraldSandbox      *self);
const char    *herald_sandbox_get_access_token      (HeraldSandbox      *self);
/* The sim's counters (herald_sim_server_get_stats ()), read in its thread
 * while the caller's main context goes on; a JsonNode object. */
void           herald_sandbox_get_stats_async       (HeraldSandbox      *self,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
JsonNode      *herald_sandbox_get_stats_finish      (HeraldSandbox      *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);

/* How to reach @number's Cloud API: for the Sandbox number, TRUE with the
 * in-app sim's base URL and its in-memory token (the sim started on demand;
 * never Meta, never the keyring). FALSE for any other number, whose token
 * is in the keyring and whose API base is $HERALD_API_BASE or Meta's. */
gboolean       herald_sandbox_access_for_number     (HeraldStoreWorker  *worker,
                                                     HeraldNumber       *number,
                                                     char              **api_base,
                                                     char              **access_token);
/* The same as a client, or NULL for any other number. */
HeraldCloudClient *herald_sandbox_client_for_number  (HeraldStoreWorker  *worker,
                                                     HeraldNumber       *number);

/* Starts the sim and makes sure the Sandbox number exists, with a sample
 * template (approved by the Sandbox, a draft for Meta) and a few sample
 * contacts when there are none; returns
 * the number's id. */
void           herald_sandbox_set_up_async          (HeraldSandbox      *self,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gint64         herald_sandbox_set_up_finish         (HeraldSandbox      *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
/* Gets the sim ready to send @template_id: the sim knows the template and
 * has approved it, and the store records that in the template's
 * sandbox_status only; its status and Meta id there stay Meta's. */
void           herald_sandbox_prepare_template_async  (HeraldSandbox      *self,
                                                       gint64              template_id,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean       herald_sandbox_prepare_template_finish (HeraldSandbox      *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

G_END_DECLS
