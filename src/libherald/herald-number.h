/* herald-number.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The Sandbox (the in-app herald-sim): its number's phone_number_id (the
 * number is also flagged is_sandbox) and its own business account, whose
 * templates the sim keeps, never the one entered in Preferences. All
 * digits, as Meta's ids are: herald-sim answers any numeric id and refuses
 * other path components. Meta never issues these. */
#define HERALD_SANDBOX_PHONE_NUMBER_ID "100000000000000"
#define HERALD_SANDBOX_WABA_ID         "100000000000001"

#define HERALD_TYPE_NUMBER (herald_number_get_type ())

G_DECLARE_FINAL_TYPE (HeraldNumber, herald_number, HERALD, NUMBER, GObject)

/* A WhatsApp business phone number; its access token is in the keyring. */
HeraldNumber *herald_number_new                      (const char   *phone_number_id,
                                                      const char   *phone_number);

gint64        herald_number_get_id                   (HeraldNumber *self);
void          herald_number_set_id                   (HeraldNumber *self,
                                                      gint64        id);
const char   *herald_number_get_phone_number_id      (HeraldNumber *self);
void          herald_number_set_phone_number_id      (HeraldNumber *self,
                                                      const char   *phone_number_id);
const char   *herald_number_get_phone_number         (HeraldNumber *self);
void          herald_number_set_phone_number         (HeraldNumber *self,
                                                      const char   *phone_number);
const char   *herald_number_get_display_name         (HeraldNumber *self);
void          herald_number_set_display_name         (HeraldNumber *self,
                                                      const char   *display_name);
gboolean      herald_number_get_is_active            (HeraldNumber *self);
void          herald_number_set_is_active            (HeraldNumber *self,
                                                      gboolean      is_active);
const char   *herald_number_get_verified_at          (HeraldNumber *self);
void          herald_number_set_verified_at          (HeraldNumber *self,
                                                      const char   *verified_at);
const char   *herald_number_get_verified_name        (HeraldNumber *self);
void          herald_number_set_verified_name        (HeraldNumber *self,
                                                      const char   *verified_name);
const char   *herald_number_get_quality_rating       (HeraldNumber *self);
void          herald_number_set_quality_rating       (HeraldNumber *self,
                                                      const char   *quality_rating);
const char   *herald_number_get_throughput_level     (HeraldNumber *self);
void          herald_number_set_throughput_level     (HeraldNumber *self,
                                                      const char   *throughput_level);
const char   *herald_number_get_messaging_limit_tier (HeraldNumber *self);
void          herald_number_set_messaging_limit_tier (HeraldNumber *self,
                                                      const char   *messaging_limit_tier);
guint         herald_number_get_messages_per_second  (HeraldNumber *self);
void          herald_number_set_messages_per_second  (HeraldNumber *self,
                                                      guint         messages_per_second);
gboolean      herald_number_get_is_sandbox           (HeraldNumber *self);
void          herald_number_set_is_sandbox           (HeraldNumber *self,
                                                      gboolean      is_sandbox);
const char   *herald_number_get_created_at           (HeraldNumber *self);
void          herald_number_set_created_at           (HeraldNumber *self,
                                                      const char   *created_at);
const char   *herald_number_get_updated_at           (HeraldNumber *self);
void          herald_number_set_updated_at           (HeraldNumber *self,
                                                      const char   *updated_at);

G_END_DECLS
