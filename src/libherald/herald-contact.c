/* herald-contact.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "herald-contact.h"
#include "herald-store-private.h"

struct _HeraldContact
{
  GObject parent_instance;

  gint64 id;
  char *name;
  char *mobile_number;
  char *email;
  char *notes;
  char *opted_out_reason;
  char *opted_out_at;
  char *attributes;
  char *created_at;
  char *updated_at;
  guint is_active : 1;
  guint opted_out : 1;

  /* attributes parsed, made on the first get_attribute/set_attribute and
   * dropped whenever attributes is replaced. */
  JsonObject *attributes_object;
};

G_DEFINE_FINAL_TYPE (HeraldContact, herald_contact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_MOBILE_NUMBER,
  PROP_EMAIL,
  PROP_NOTES,
  PROP_IS_ACTIVE,
  PROP_OPTED_OUT,
  PROP_OPTED_OUT_REASON,
  PROP_OPTED_OUT_AT,
  PROP_ATTRIBUTES,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
herald_contact_finalize (GObject *object)
{
  HeraldContact *self = (HeraldContact *)object;

  g_free (self->name);
  g_free (self->mobile_number);
  g_free (self->email);
  g_free (self->notes);
  g_free (self->opted_out_reason);
  g_free (self->opted_out_at);
  g_free (self->attributes);
  g_free (self->created_at);
  g_free (self->updated_at);
  g_clear_pointer (&self->attributes_object, json_object_unref);

  G_OBJECT_CLASS (herald_contact_parent_class)->finalize (object);
}

static void
herald_contact_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HeraldContact *self = HERALD_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_MOBILE_NUMBER: g_value_set_string (value, self->mobile_number); break;
    case PROP_EMAIL: g_value_set_string (value, self->email); break;
    case PROP_NOTES: g_value_set_string (value, self->notes); break;
    case PROP_IS_ACTIVE: g_value_set_boolean (value, self->is_active); break;
    case PROP_OPTED_OUT: g_value_set_boolean (value, self->opted_out); break;
    case PROP_OPTED_OUT_REASON: g_value_set_string (value, self->opted_out_reason); break;
    case PROP_OPTED_OUT_AT: g_value_set_string (value, self->opted_out_at); break;
    case PROP_ATTRIBUTES: g_value_set_string (value, self->attributes); break;
    case PROP_CREATED_AT: g_value_set_string (value, self->created_at); break;
    case PROP_UPDATED_AT: g_value_set_string (value, self->updated_at); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_contact_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HeraldContact *self = HERALD_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID: herald_contact_set_id (self, g_value_get_int64 (value)); break;
    case PROP_NAME: herald_contact_set_name (self, g_value_get_string (value)); break;
    case PROP_MOBILE_NUMBER: herald_contact_set_mobile_number (self, g_value_get_string (value)); break;
    case PROP_EMAIL: herald_contact_set_email (self, g_value_get_string (value)); break;
    case PROP_NOTES: herald_contact_set_notes (self, g_value_get_string (value)); break;
    case PROP_IS_ACTIVE: herald_contact_set_is_active (self, g_value_get_boolean (value)); break;
    case PROP_OPTED_OUT: herald_contact_set_opted_out (self, g_value_get_boolean (value)); break;
    case PROP_OPTED_OUT_REASON: herald_contact_set_opted_out_reason (self, g_value_get_string (value)); break;
    case PROP_OPTED_OUT_AT: herald_contact_set_opted_out_at (self, g_value_get_string (value)); break;
    case PROP_ATTRIBUTES: herald_contact_set_attributes (self, g_value_get_string (value)); break;
    case PROP_CREATED_AT: herald_contact_set_created_at (self, g_value_get_string (value)); break;
    case PROP_UPDATED_AT: herald_contact_set_updated_at (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_contact_class_init (HeraldContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = herald_contact_finalize;
  object_class->get_property = herald_contact_get_property;
  object_class->set_property = herald_contact_set_property;

  /** The row id; 0 until the contact is saved. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /** E.164, such as +14155550100, once saved. */
  properties[PROP_MOBILE_NUMBER] = g_param_spec_string ("mobile-number", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, flags);
  properties[PROP_IS_ACTIVE] = g_param_spec_boolean ("is-active", NULL, NULL, TRUE, flags);
  /** Opted out contacts are never sent to. */
  properties[PROP_OPTED_OUT] = g_param_spec_boolean ("opted-out", NULL, NULL, FALSE, flags);
  properties[PROP_OPTED_OUT_REASON] = g_param_spec_string ("opted-out-reason", NULL, NULL, NULL, flags);
  /** ISO-8601 UTC, or NULL. */
  properties[PROP_OPTED_OUT_AT] = g_param_spec_string ("opted-out-at", NULL, NULL, NULL, flags);
  /** A JSON object of custom fields (imported CSV columns), as text. */
  properties[PROP_ATTRIBUTES] = g_param_spec_string ("attributes", NULL, NULL, "{}", flags);
  properties[PROP_CREATED_AT] = g_param_spec_string ("created-at", NULL, NULL, NULL, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_string ("updated-at", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_contact_init (HeraldContact *self)
{
  self->is_active = TRUE;
  self->attributes = g_strdup ("{}");
}

gboolean
herald_contact_email_is_plausible (const char *email)
{
  const char *at;

  g_return_val_if_fail (email != NULL, FALSE);

  at = strchr (email, '@');
  for (const char *p = email; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return FALSE;

  return at != NULL && at != email && at[1] != '\0' && strchr (at + 1, '@') == NULL;
}

HeraldContact *
herald_contact_new (const char *name,
                    const char *mobile_number)
{
  HeraldContact *self = g_object_new (HERALD_TYPE_CONTACT, NULL);

  self->name = g_strdup (name);
  self->mobile_number = g_strdup (mobile_number);
  return self;
}

#define DEFINE_STRING_PROPERTY(field, PROP)                                   \
  const char *                                                                \
  herald_contact_get_##field (HeraldContact *self)                            \
  {                                                                           \
    g_return_val_if_fail (HERALD_IS_CONTACT (self), NULL);                    \
    return self->field;                                                       \
  }                                                                           \
                                                                              \
  void                                                                        \
  herald_contact_set_##field (HeraldContact *self,                            \
                              const char    *value)                           \
  {                                                                           \
    g_return_if_fail (HERALD_IS_CONTACT (self));                              \
    if (_herald_set_str (&self->field, value))                                \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);           \
  }

DEFINE_STRING_PROPERTY (name, PROP_NAME)
DEFINE_STRING_PROPERTY (mobile_number, PROP_MOBILE_NUMBER)
DEFINE_STRING_PROPERTY (email, PROP_EMAIL)
DEFINE_STRING_PROPERTY (notes, PROP_NOTES)
DEFINE_STRING_PROPERTY (opted_out_reason, PROP_OPTED_OUT_REASON)
DEFINE_STRING_PROPERTY (opted_out_at, PROP_OPTED_OUT_AT)
DEFINE_STRING_PROPERTY (created_at, PROP_CREATED_AT)
DEFINE_STRING_PROPERTY (updated_at, PROP_UPDATED_AT)

gint64
herald_contact_get_id (HeraldContact *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT (self), 0);
  return self->id;
}

void
herald_contact_set_id (HeraldContact *self,
                       gint64         id)
{
  g_return_if_fail (HERALD_IS_CONTACT (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gboolean
herald_contact_get_is_active (HeraldContact *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT (self), FALSE);
  return self->is_active;
}

void
herald_contact_set_is_active (HeraldContact *self,
                              gboolean       is_active)
{
  g_return_if_fail (HERALD_IS_CONTACT (self));

  if (self->is_active == !!is_active)
    return;

  self->is_active = !!is_active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_ACTIVE]);
}

gboolean
herald_contact_get_opted_out (HeraldContact *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT (self), FALSE);
  return self->opted_out;
}

void
herald_contact_set_opted_out (HeraldContact *self,
                              gboolean       opted_out)
{
  g_return_if_fail (HERALD_IS_CONTACT (self));

  if (self->opted_out == !!opted_out)
    return;

  self->opted_out = !!opted_out;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPTED_OUT]);
}

const char *
herald_contact_get_attributes (HeraldContact *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT (self), NULL);
  return self->attributes;
}

/* Any text is kept as given (NULL means "{}"); the store refuses to save
 * attributes that are not a JSON object. */
void
herald_contact_set_attributes (HeraldContact *self,
                               const char    *attributes)
{
  g_return_if_fail (HERALD_IS_CONTACT (self));

  if (attributes == NULL)
    attributes = "{}";

  if (!_herald_set_str (&self->attributes, attributes))
    return;

  g_clear_pointer (&self->attributes_object, json_object_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTRIBUTES]);
}

static JsonObject *
ensure_attributes_object (HeraldContact *self)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (self->attributes_object != NULL)
    return self->attributes_object;

  parser = json_parser_new_immutable ();
  if (json_parser_load_from_data (parser, self->attributes, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    self->attributes_object = json_object_ref (json_node_get_object (root));
  else
    self->attributes_object = json_object_new ();

  return self->attributes_object;
}

/**
 * herald_contact_get_attribute:
 *
 * Returns: (nullable): the text of custom field @key, or NULL when the
 * contact has no such field or its value is not text. It stays valid until
 * the attributes change.
 */
const char *
herald_contact_get_attribute (HeraldContact *self,
                              const char    *key)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (HERALD_IS_CONTACT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  object = ensure_attributes_object (self);
  node = json_object_get_member (object, key);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* Sets custom field @key to @value, or removes it when @value is NULL. */
void
herald_contact_set_attribute (HeraldContact *self,
                              const char    *key,
                              const char    *value)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *old;

  g_return_if_fail (HERALD_IS_CONTACT (self));
  g_return_if_fail (key != NULL);

  old = herald_contact_get_attribute (self, key);
  if (g_strcmp0 (old, value) == 0 &&
      (value != NULL || !json_object_has_member (self->attributes_object, key)))
    return;

  /* A parsed immutable object cannot change: copy it into a new one. */
  object = json_object_new ();
  {
    JsonObjectIter iter;
    const char *member;
    JsonNode *node;

    json_object_iter_init (&iter, ensure_attributes_object (self));
    while (json_object_iter_next (&iter, &member, &node))
      if (g_strcmp0 (member, key) != 0)
        json_object_set_member (object, member, json_node_copy (node));
  }
  if (value != NULL)
    json_object_set_string_member (object, key, value);

  root = json_node_init_object (json_node_alloc (), object);
  g_free (self->attributes);
  self->attributes = json_to_string (root, FALSE);
  g_clear_pointer (&self->attributes_object, json_object_unref);
  self->attributes_object = g_steal_pointer (&object);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTRIBUTES]);
}
