/* herald-number.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "herald-number.h"
#include "herald-store-private.h"

/* The Cloud API's default throughput per number. */
#define DEFAULT_MESSAGES_PER_SECOND 80

struct _HeraldNumber
{
  GObject parent_instance;

  gint64 id;
  char *phone_number_id;
  char *phone_number;
  char *display_name;
  char *verified_at;
  char *verified_name;
  char *quality_rating;
  char *throughput_level;
  char *messaging_limit_tier;
  char *created_at;
  char *updated_at;
  guint messages_per_second;
  guint is_active : 1;
  guint is_sandbox : 1;
};

G_DEFINE_FINAL_TYPE (HeraldNumber, herald_number, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PHONE_NUMBER_ID,
  PROP_PHONE_NUMBER,
  PROP_DISPLAY_NAME,
  PROP_IS_ACTIVE,
  PROP_VERIFIED_AT,
  PROP_VERIFIED_NAME,
  PROP_QUALITY_RATING,
  PROP_THROUGHPUT_LEVEL,
  PROP_MESSAGING_LIMIT_TIER,
  PROP_MESSAGES_PER_SECOND,
  PROP_IS_SANDBOX,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
herald_number_finalize (GObject *object)
{
  HeraldNumber *self = (HeraldNumber *)object;

  g_free (self->phone_number_id);
  g_free (self->phone_number);
  g_free (self->display_name);
  g_free (self->verified_at);
  g_free (self->verified_name);
  g_free (self->quality_rating);
  g_free (self->throughput_level);
  g_free (self->messaging_limit_tier);
  g_free (self->created_at);
  g_free (self->updated_at);

  G_OBJECT_CLASS (herald_number_parent_class)->finalize (object);
}

static void
herald_number_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HeraldNumber *self = HERALD_NUMBER (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_PHONE_NUMBER_ID: g_value_set_string (value, self->phone_number_id); break;
    case PROP_PHONE_NUMBER: g_value_set_string (value, self->phone_number); break;
    case PROP_DISPLAY_NAME: g_value_set_string (value, self->display_name); break;
    case PROP_IS_ACTIVE: g_value_set_boolean (value, self->is_active); break;
    case PROP_VERIFIED_AT: g_value_set_string (value, self->verified_at); break;
    case PROP_VERIFIED_NAME: g_value_set_string (value, self->verified_name); break;
    case PROP_QUALITY_RATING: g_value_set_string (value, self->quality_rating); break;
    case PROP_THROUGHPUT_LEVEL: g_value_set_string (value, self->throughput_level); break;
    case PROP_MESSAGING_LIMIT_TIER: g_value_set_string (value, self->messaging_limit_tier); break;
    case PROP_MESSAGES_PER_SECOND: g_value_set_uint (value, self->messages_per_second); break;
    case PROP_IS_SANDBOX: g_value_set_boolean (value, self->is_sandbox); break;
    case PROP_CREATED_AT: g_value_set_string (value, self->created_at); break;
    case PROP_UPDATED_AT: g_value_set_string (value, self->updated_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_number_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HeraldNumber *self = HERALD_NUMBER (object);

  switch (prop_id)
    {
    case PROP_ID: herald_number_set_id (self, g_value_get_int64 (value)); break;
    case PROP_PHONE_NUMBER_ID: herald_number_set_phone_number_id (self, g_value_get_string (value)); break;
    case PROP_PHONE_NUMBER: herald_number_set_phone_number (self, g_value_get_string (value)); break;
    case PROP_DISPLAY_NAME: herald_number_set_display_name (self, g_value_get_string (value)); break;
    case PROP_IS_ACTIVE: herald_number_set_is_active (self, g_value_get_boolean (value)); break;
    case PROP_VERIFIED_AT: herald_number_set_verified_at (self, g_value_get_string (value)); break;
    case PROP_VERIFIED_NAME: herald_number_set_verified_name (self, g_value_get_string (value)); break;
    case PROP_QUALITY_RATING: herald_number_set_quality_rating (self, g_value_get_string (value)); break;
    case PROP_THROUGHPUT_LEVEL: herald_number_set_throughput_level (self, g_value_get_string (value)); break;
    case PROP_MESSAGING_LIMIT_TIER: herald_number_set_messaging_limit_tier (self, g_value_get_string (value)); break;
    case PROP_MESSAGES_PER_SECOND: herald_number_set_messages_per_second (self, g_value_get_uint (value)); break;
    case PROP_IS_SANDBOX: herald_number_set_is_sandbox (self, g_value_get_boolean (value)); break;
    case PROP_CREATED_AT: herald_number_set_created_at (self, g_value_get_string (value)); break;
    case PROP_UPDATED_AT: herald_number_set_updated_at (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_number_class_init (HeraldNumberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = herald_number_finalize;
  object_class->get_property = herald_number_get_property;
  object_class->set_property = herald_number_set_property;

  /** The row id; 0 until the number is saved. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /** Meta's id for the number, used in every Cloud API path. */
  properties[PROP_PHONE_NUMBER_ID] = g_param_spec_string ("phone-number-id", NULL, NULL, NULL, flags);
  /** E.164, such as +14155550100. */
  properties[PROP_PHONE_NUMBER] = g_param_spec_string ("phone-number", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_IS_ACTIVE] = g_param_spec_boolean ("is-active", NULL, NULL, TRUE, flags);
  /** ISO-8601 UTC of the last successful check with Meta, or NULL. */
  properties[PROP_VERIFIED_AT] = g_param_spec_string ("verified-at", NULL, NULL, NULL, flags);
  properties[PROP_VERIFIED_NAME] = g_param_spec_string ("verified-name", NULL, NULL, NULL, flags);
  /** Meta's GREEN, YELLOW, RED or UNKNOWN. */
  properties[PROP_QUALITY_RATING] = g_param_spec_string ("quality-rating", NULL, NULL, NULL, flags);
  properties[PROP_THROUGHPUT_LEVEL] = g_param_spec_string ("throughput-level", NULL, NULL, NULL, flags);
  properties[PROP_MESSAGING_LIMIT_TIER] = g_param_spec_string ("messaging-limit-tier", NULL, NULL, NULL, flags);
  /** How fast the sender may send from this number. */
  properties[PROP_MESSAGES_PER_SECOND] =
    g_param_spec_uint ("messages-per-second", NULL, NULL, 1, G_MAXINT32, DEFAULT_MESSAGES_PER_SECOND, flags);
  /** Whether the number is served by herald-sim (Sandbox mode). */
  properties[PROP_IS_SANDBOX] = g_param_spec_boolean ("is-sandbox", NULL, NULL, FALSE, flags);
  properties[PROP_CREATED_AT] = g_param_spec_string ("created-at", NULL, NULL, NULL, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_string ("updated-at", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_number_init (HeraldNumber *self)
{
  self->is_active = TRUE;
  self->messages_per_second = DEFAULT_MESSAGES_PER_SECOND;
}

HeraldNumber *
herald_number_new (const char *phone_number_id,
                   const char *phone_number)
{
  HeraldNumber *self = g_object_new (HERALD_TYPE_NUMBER, NULL);

  self->phone_number_id = g_strdup (phone_number_id);
  self->phone_number = g_strdup (phone_number);
  return self;
}

#define DEFINE_STRING_PROPERTY(field, PROP)                                   \
  const char *                                                                \
  herald_number_get_##field (HeraldNumber *self)                              \
  {                                                                           \
    g_return_val_if_fail (HERALD_IS_NUMBER (self), NULL);                     \
    return self->field;                                                       \
  }                                                                           \
                                                                              \
  void                                                                        \
  herald_number_set_##field (HeraldNumber *self,                              \
                             const char   *value)                             \
  {                                                                           \
    g_return_if_fail (HERALD_IS_NUMBER (self));                               \
    if (_herald_set_str (&self->field, value))                                \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);           \
  }

#define DEFINE_BOOLEAN_PROPERTY(field, PROP)                                  \
  gboolean                                                                    \
  herald_number_get_##field (HeraldNumber *self)                              \
  {                                                                           \
    g_return_val_if_fail (HERALD_IS_NUMBER (self), FALSE);                    \
    return self->field;                                                       \
  }                                                                           \
                                                                              \
  void                                                                        \
  herald_number_set_##field (HeraldNumber *self,                              \
                             gboolean      value)                             \
  {                                                                           \
    g_return_if_fail (HERALD_IS_NUMBER (self));                               \
    if (self->field == !!value)                                               \
      return;                                                                 \
    self->field = !!value;                                                    \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);             \
  }

DEFINE_STRING_PROPERTY (phone_number_id, PROP_PHONE_NUMBER_ID)
DEFINE_STRING_PROPERTY (phone_number, PROP_PHONE_NUMBER)
DEFINE_STRING_PROPERTY (display_name, PROP_DISPLAY_NAME)
DEFINE_STRING_PROPERTY (verified_at, PROP_VERIFIED_AT)
DEFINE_STRING_PROPERTY (verified_name, PROP_VERIFIED_NAME)
DEFINE_STRING_PROPERTY (quality_rating, PROP_QUALITY_RATING)
DEFINE_STRING_PROPERTY (throughput_level, PROP_THROUGHPUT_LEVEL)
DEFINE_STRING_PROPERTY (messaging_limit_tier, PROP_MESSAGING_LIMIT_TIER)
DEFINE_STRING_PROPERTY (created_at, PROP_CREATED_AT)
DEFINE_STRING_PROPERTY (updated_at, PROP_UPDATED_AT)
DEFINE_BOOLEAN_PROPERTY (is_active, PROP_IS_ACTIVE)
DEFINE_BOOLEAN_PROPERTY (is_sandbox, PROP_IS_SANDBOX)

gint64
herald_number_get_id (HeraldNumber *self)
{
  g_return_val_if_fail (HERALD_IS_NUMBER (self), 0);
  return self->id;
}

void
herald_number_set_id (HeraldNumber *self,
                      gint64        id)
{
  g_return_if_fail (HERALD_IS_NUMBER (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

guint
herald_number_get_messages_per_second (HeraldNumber *self)
{
  g_return_val_if_fail (HERALD_IS_NUMBER (self), DEFAULT_MESSAGES_PER_SECOND);
  return self->messages_per_second;
}

void
herald_number_set_messages_per_second (HeraldNumber *self,
                                       guint         messages_per_second)
{
  g_return_if_fail (HERALD_IS_NUMBER (self));
  g_return_if_fail (messages_per_second > 0 && messages_per_second <= G_MAXINT32);

  if (self->messages_per_second == messages_per_second)
    return;

  self->messages_per_second = messages_per_second;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES_PER_SECOND]);
}
