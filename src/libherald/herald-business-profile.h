/* herald-business-profile.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HERALD_TYPE_BUSINESS_PROFILE (herald_business_profile_get_type ())

G_DECLARE_FINAL_TYPE (HeraldBusinessProfile, herald_business_profile, HERALD, BUSINESS_PROFILE, GObject)

/* The one business this installation sends for. */
HeraldBusinessProfile *herald_business_profile_new                      (const char            *business_name);

gint64                 herald_business_profile_get_id                   (HeraldBusinessProfile *self);
void                   herald_business_profile_set_id                   (HeraldBusinessProfile *self,
                                                                         gint64                 id);
const char            *herald_business_profile_get_business_name        (HeraldBusinessProfile *self);
void                   herald_business_profile_set_business_name        (HeraldBusinessProfile *self,
                                                                         const char            *business_name);
const char            *herald_business_profile_get_whatsapp_business_id (HeraldBusinessProfile *self);
void                   herald_business_profile_set_whatsapp_business_id (HeraldBusinessProfile *self,
                                                                         const char            *whatsapp_business_id);
const char            *herald_business_profile_get_app_id               (HeraldBusinessProfile *self);
void                   herald_business_profile_set_app_id               (HeraldBusinessProfile *self,
                                                                         const char            *app_id);
const char            *herald_business_profile_get_phone_number_id      (HeraldBusinessProfile *self);
void                   herald_business_profile_set_phone_number_id      (HeraldBusinessProfile *self,
                                                                         const char            *phone_number_id);
const char            *herald_business_profile_get_created_at           (HeraldBusinessProfile *self);
void                   herald_business_profile_set_created_at           (HeraldBusinessProfile *self,
                                                                         const char            *created_at);
const char            *herald_business_profile_get_updated_at           (HeraldBusinessProfile *self);
void                   herald_business_profile_set_updated_at           (HeraldBusinessProfile *self,
                                                                         const char            *updated_at);

G_END_DECLS
