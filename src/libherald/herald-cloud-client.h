/* herald-cloud-client.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-cloud-error.h"
#include "herald-template.h"
#include "herald-types.h"

G_BEGIN_DECLS

/* The one place the Graph API version is named. */
#define HERALD_CLOUD_API_VERSION  "v23.0"
#define HERALD_CLOUD_API_BASE     "https://graph.facebook.com"
#define HERALD_CLOUD_BIZ_OPAQUE_MAX 512

/* The values of one template message: variable name → text for the body, the
 * text header and URL-button suffixes (names as herald_template_get_variable_names
 * gives them: "1", "2"… or "first_name", and "url.1"), the media of a media
 * header (an http(s) link, or an uploaded media id), and quick-reply
 * payloads by button index. Reference counted. */
typedef struct _HeraldMessageParams HeraldMessageParams;

#define HERALD_TYPE_MESSAGE_PARAMS (herald_message_params_get_type ())

GType                herald_message_params_get_type       (void) G_GNUC_CONST;
HeraldMessageParams *herald_message_params_new            (void);
HeraldMessageParams *herald_message_params_ref            (HeraldMessageParams *params);
void                 herald_message_params_unref          (HeraldMessageParams *params);
void                 herald_message_params_set_value      (HeraldMessageParams *params,
                                                           const char          *name,
                                                           const char          *text);
void                 herald_message_params_set_header_media (HeraldMessageParams *params,
                                                             const char          *link_or_id);
void                 herald_message_params_set_quick_reply_payload (HeraldMessageParams *params,
                                                                    guint                button_index,
                                                                    const char          *payload);
/* name → text, owned by @params. */
GHashTable          *herald_message_params_get_values     (HeraldMessageParams *params);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldMessageParams, herald_message_params_unref)

/* What Meta answered to an accepted send. @message_status is NULL when Meta
 * left it out ("accepted", "held_for_quality_assessment", "paused"). */
typedef struct
{
  char *message_id;      /* wamid.… */
  char *wa_id;
  char *message_status;
} HeraldSendResult;

#define HERALD_TYPE_SEND_RESULT (herald_send_result_get_type ())

GType             herald_send_result_get_type (void) G_GNUC_CONST;
HeraldSendResult *herald_send_result_copy     (const HeraldSendResult *result);
void              herald_send_result_free     (HeraldSendResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldSendResult, herald_send_result_free)

/* A registered phone number as Meta describes it; strings NULL when absent. */
typedef struct
{
  char *id;
  char *display_phone_number;
  char *verified_name;
  char *quality_rating;        /* GREEN, YELLOW, RED, NA */
  char *throughput_level;      /* STANDARD, … */
  char *messaging_limit_tier;  /* TIER_250, … */
  char *status;                /* CONNECTED, … */
  char *code_verification_status;
  char *name_status;
} HeraldPhoneNumberInfo;

#define HERALD_TYPE_PHONE_NUMBER_INFO (herald_phone_number_info_get_type ())

GType                  herald_phone_number_info_get_type (void) G_GNUC_CONST;
HeraldPhoneNumberInfo *herald_phone_number_info_copy     (const HeraldPhoneNumberInfo *info);
void                   herald_phone_number_info_free     (HeraldPhoneNumberInfo       *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldPhoneNumberInfo, herald_phone_number_info_free)

#define HERALD_TYPE_CLOUD_CLIENT (herald_cloud_client_get_type ())

G_DECLARE_FINAL_TYPE (HeraldCloudClient, herald_cloud_client, HERALD, CLOUD_CLIENT, GObject)

/* @api_base: NULL for HERALD_CLOUD_API_BASE (tests and Sandbox mode give
 * herald-sim's URL). The token is kept for the Authorization header only. */
HeraldCloudClient     *herald_cloud_client_new                     (const char          *api_base,
                                                                    const char          *access_token);
const char            *herald_cloud_client_get_api_base            (HeraldCloudClient   *self);
const char            *herald_cloud_client_get_api_version         (HeraldCloudClient   *self);
guint                  herald_cloud_client_get_timeout             (HeraldCloudClient   *self);
guint                  herald_cloud_client_get_max_in_flight       (HeraldCloudClient   *self);

/* POST /{phone_number_id}/messages: one approved template to @recipient
 * (E.164, "+" and country code). @params may be NULL for a template without
 * variables; @biz_opaque_callback_data (NULL or at most 512 characters) is
 * echoed in the status webhooks. A failure after the request was written
 * is HERALD_CLOUD_ERROR_CONNECTION_LOST_AFTER_SEND (IN_DOUBT), never resent;
 * cancelling a send that was written leaves it in doubt too. */
void                   herald_cloud_client_send_template_async     (HeraldCloudClient   *self,
                                                                    const char          *phone_number_id,
                                                                    const char          *recipient,
                                                                    HeraldTemplate      *template,
                                                                    HeraldMessageParams *params,
                                                                    const char          *biz_opaque_callback_data,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
HeraldSendResult      *herald_cloud_client_send_template_finish    (HeraldCloudClient   *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* GET /{phone_number_id}?fields=… */
void                   herald_cloud_client_get_phone_number_async  (HeraldCloudClient   *self,
                                                                    const char          *phone_number_id,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
HeraldPhoneNumberInfo *herald_cloud_client_get_phone_number_finish (HeraldCloudClient   *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* GET /{waba_id}/message_templates, every page: a GPtrArray of
 * HeraldTemplate (id 0, status and meta-template-id from Meta). */
void                   herald_cloud_client_list_templates_async    (HeraldCloudClient   *self,
                                                                    const char          *waba_id,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
GPtrArray             *herald_cloud_client_list_templates_finish   (HeraldCloudClient   *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* POST /{waba_id}/message_templates: submits @template for approval. Returns
 * Meta's template id, and its status (usually PENDING) in @status. */
void                   herald_cloud_client_create_template_async   (HeraldCloudClient   *self,
                                                                    const char          *waba_id,
                                                                    HeraldTemplate      *template,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
char                  *herald_cloud_client_create_template_finish  (HeraldCloudClient   *self,
                                                                    GAsyncResult        *result,
                                                                    HeraldTemplateStatus *status,
                                                                    GError             **error);

/* DELETE /{waba_id}/message_templates?name=…[&hsm_id=…]: without @hsm_id
 * (Meta's template id) every language of @name goes. */
void                   herald_cloud_client_delete_template_async   (HeraldCloudClient   *self,
                                                                    const char          *waba_id,
                                                                    const char          *name,
                                                                    const char          *hsm_id,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
gboolean               herald_cloud_client_delete_template_finish  (HeraldCloudClient   *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* POST /{phone_number_id}/media (multipart/form-data): returns the media id,
 * for a media header's "id". */
void                   herald_cloud_client_upload_media_async      (HeraldCloudClient   *self,
                                                                    const char          *phone_number_id,
                                                                    GBytes              *data,
                                                                    const char          *mime_type,
                                                                    const char          *filename,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
char                  *herald_cloud_client_upload_media_finish     (HeraldCloudClient   *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

G_END_DECLS
