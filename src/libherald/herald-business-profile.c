/* herald-business-profile.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "herald-business-profile.h"
#include "herald-store-private.h"

struct _HeraldBusinessProfile
{
  GObject parent_instance;

  gint64 id;
  char *business_name;
  char *whatsapp_business_id;
  char *app_id;
  char *phone_number_id;
  char *created_at;
  char *updated_at;
};

G_DEFINE_FINAL_TYPE (HeraldBusinessProfile, herald_business_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_BUSINESS_NAME,
  PROP_WHATSAPP_BUSINESS_ID,
  PROP_APP_ID,
  PROP_PHONE_NUMBER_ID,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
herald_business_profile_finalize (GObject *object)
{
  HeraldBusinessProfile *self = (HeraldBusinessProfile *)object;

  g_free (self->business_name);
  g_free (self->whatsapp_business_id);
  g_free (self->app_id);
  g_free (self->phone_number_id);
  g_free (self->created_at);
  g_free (self->updated_at);

  G_OBJECT_CLASS (herald_business_profile_parent_class)->finalize (object);
}

static void
herald_business_profile_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HeraldBusinessProfile *self = HERALD_BUSINESS_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_BUSINESS_NAME: g_value_set_string (value, self->business_name); break;
    case PROP_WHATSAPP_BUSINESS_ID: g_value_set_string (value, self->whatsapp_business_id); break;
    case PROP_APP_ID: g_value_set_string (value, self->app_id); break;
    case PROP_PHONE_NUMBER_ID: g_value_set_string (value, self->phone_number_id); break;
    case PROP_CREATED_AT: g_value_set_string (value, self->created_at); break;
    case PROP_UPDATED_AT: g_value_set_string (value, self->updated_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_business_profile_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HeraldBusinessProfile *self = HERALD_BUSINESS_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID: herald_business_profile_set_id (self, g_value_get_int64 (value)); break;
    case PROP_BUSINESS_NAME: herald_business_profile_set_business_name (self, g_value_get_string (value)); break;
    case PROP_WHATSAPP_BUSINESS_ID: herald_business_profile_set_whatsapp_business_id (self, g_value_get_string (value)); break;
    case PROP_APP_ID: herald_business_profile_set_app_id (self, g_value_get_string (value)); break;
    case PROP_PHONE_NUMBER_ID: herald_business_profile_set_phone_number_id (self, g_value_get_string (value)); break;
    case PROP_CREATED_AT: herald_business_profile_set_created_at (self, g_value_get_string (value)); break;
    case PROP_UPDATED_AT: herald_business_profile_set_updated_at (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_business_profile_class_init (HeraldBusinessProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = herald_business_profile_finalize;
  object_class->get_property = herald_business_profile_get_property;
  object_class->set_property = herald_business_profile_set_property;

  /** The row id; 0 until the profile is saved. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_BUSINESS_NAME] = g_param_spec_string ("business-name", NULL, NULL, NULL, flags);
  /** Meta's WhatsApp Business Account id (WABA), for template calls. */
  properties[PROP_WHATSAPP_BUSINESS_ID] = g_param_spec_string ("whatsapp-business-id", NULL, NULL, NULL, flags);
  /** Meta's app id. */
  properties[PROP_APP_ID] = g_param_spec_string ("app-id", NULL, NULL, NULL, flags);
  /** The default phone number id. */
  properties[PROP_PHONE_NUMBER_ID] = g_param_spec_string ("phone-number-id", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_string ("created-at", NULL, NULL, NULL, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_string ("updated-at", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_business_profile_init (HeraldBusinessProfile *self)
{
}

HeraldBusinessProfile *
herald_business_profile_new (const char *business_name)
{
  HeraldBusinessProfile *self = g_object_new (HERALD_TYPE_BUSINESS_PROFILE, NULL);

  self->business_name = g_strdup (business_name);
  return self;
}

#define DEFINE_STRING_PROPERTY(field, PROP)                                   \
  const char *                                                                \
  herald_business_profile_get_##field (HeraldBusinessProfile *self)           \
  {                                                                           \
    g_return_val_if_fail (HERALD_IS_BUSINESS_PROFILE (self), NULL);           \
    return self->field;                                                       \
  }                                                                           \
                                                                              \
  void                                                                        \
  herald_business_profile_set_##field (HeraldBusinessProfile *self,           \
                                       const char            *value)          \
  {                                                                           \
    g_return_if_fail (HERALD_IS_BUSINESS_PROFILE (self));                     \
    if (_herald_set_str (&self->field, value))                                \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);           \
  }

DEFINE_STRING_PROPERTY (business_name, PROP_BUSINESS_NAME)
DEFINE_STRING_PROPERTY (whatsapp_business_id, PROP_WHATSAPP_BUSINESS_ID)
DEFINE_STRING_PROPERTY (app_id, PROP_APP_ID)
DEFINE_STRING_PROPERTY (phone_number_id, PROP_PHONE_NUMBER_ID)
DEFINE_STRING_PROPERTY (created_at, PROP_CREATED_AT)
DEFINE_STRING_PROPERTY (updated_at, PROP_UPDATED_AT)

gint64
herald_business_profile_get_id (HeraldBusinessProfile *self)
{
  g_return_val_if_fail (HERALD_IS_BUSINESS_PROFILE (self), 0);
  return self->id;
}

void
herald_business_profile_set_id (HeraldBusinessProfile *self,
                                gint64                 id)
{
  g_return_if_fail (HERALD_IS_BUSINESS_PROFILE (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}
