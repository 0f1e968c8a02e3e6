/* herald-types.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-object.h>

#include "herald-types.h"

static const char * const message_status_names[] = {
  "PENDING", "SENT", "DELIVERED", "READ", "FAILED",
};

static const char * const campaign_status_names[] = {
  "PENDING", "PROCESSING", "PAUSED", "COMPLETED", "FAILED", "CANCELLED",
};

static const char * const template_category_names[] = {
  "MARKETING", "UTILITY", "AUTHENTICATION",
};

static const char * const template_status_names[] = {
  "DRAFT", "PENDING", "APPROVED", "REJECTED", "PAUSED", "DISABLED", "IN_APPEAL",
  "PENDING_DELETION", "DELETED", "ARCHIVED", "LIMIT_EXCEEDED",
};

static const char * const header_type_names[] = {
  NULL, "TEXT", "IMAGE", "VIDEO", "DOCUMENT",
};

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *name,
             guint              *value)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (names[i] != NULL && g_ascii_strcasecmp (names[i], name) == 0)
        {
          *value = i;
          return TRUE;
        }
    }

  return FALSE;
}

#define DEFINE_ENUM_NAMES(TypeName, type_name, names)                          \
  const char *                                                                \
  type_name##_to_string (TypeName value)                                      \
  {                                                                           \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (names), NULL);        \
    return names[value];                                                      \
  }                                                                           \
                                                                              \
  gboolean                                                                    \
  type_name##_from_string (const char *name,                                  \
                           TypeName   *value)                                 \
  {                                                                           \
    guint index;                                                              \
                                                                              \
    if (!lookup_name (names, G_N_ELEMENTS (names), name, &index))             \
      return FALSE;                                                           \
    *value = (TypeName) index;                                                \
    return TRUE;                                                              \
  }

DEFINE_ENUM_NAMES (HeraldMessageStatus, herald_message_status, message_status_names)
DEFINE_ENUM_NAMES (HeraldCampaignStatus, herald_campaign_status, campaign_status_names)
DEFINE_ENUM_NAMES (HeraldTemplateCategory, herald_template_category, template_category_names)
DEFINE_ENUM_NAMES (HeraldTemplateStatus, herald_template_status, template_status_names)
DEFINE_ENUM_NAMES (HeraldHeaderType, herald_header_type, header_type_names)

static gboolean
unref_cb (gpointer object)
{
  g_object_unref (object);
  return G_SOURCE_REMOVE;
}

void
herald_unref_in_context (gpointer      object,
                         GMainContext *context)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_return_if_fail (G_IS_OBJECT (object));

  /* As GTask's answers, so that it goes right after the answer it follows. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, unref_cb, object, NULL);
  g_source_attach (source, context);
}
