/* herald-types.h: enums shared across libherald, and their names in the database
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* message_logs.status: forward only, FAILED from any state before READ. */
typedef enum
{
  HERALD_MESSAGE_PENDING,
  HERALD_MESSAGE_SENT,
  HERALD_MESSAGE_DELIVERED,
  HERALD_MESSAGE_READ,
  HERALD_MESSAGE_FAILED,
} HeraldMessageStatus;

/* campaigns.status: the seed's four, plus PAUSED and CANCELLED (see migration 1). */
typedef enum
{
  HERALD_CAMPAIGN_PENDING,
  HERALD_CAMPAIGN_PROCESSING,
  HERALD_CAMPAIGN_PAUSED,
  HERALD_CAMPAIGN_COMPLETED,
  HERALD_CAMPAIGN_FAILED,
  HERALD_CAMPAIGN_CANCELLED,
} HeraldCampaignStatus;

typedef enum
{
  HERALD_TEMPLATE_CATEGORY_MARKETING,
  HERALD_TEMPLATE_CATEGORY_UTILITY,
  HERALD_TEMPLATE_CATEGORY_AUTHENTICATION,
} HeraldTemplateCategory;

/* templates.status: the seed's four, plus the states Meta reports later in a
 * template's life (whatsapp-cloud-api.md §5). Only APPROVED can be sent. */
typedef enum
{
  HERALD_TEMPLATE_DRAFT,
  HERALD_TEMPLATE_PENDING,
  HERALD_TEMPLATE_APPROVED,
  HERALD_TEMPLATE_REJECTED,
  HERALD_TEMPLATE_PAUSED,
  HERALD_TEMPLATE_DISABLED,
  HERALD_TEMPLATE_IN_APPEAL,
  HERALD_TEMPLATE_PENDING_DELETION,
  HERALD_TEMPLATE_DELETED,
  HERALD_TEMPLATE_ARCHIVED,
  HERALD_TEMPLATE_LIMIT_EXCEEDED,
} HeraldTemplateStatus;

typedef enum
{
  HERALD_HEADER_NONE,
  HERALD_HEADER_TEXT,
  HERALD_HEADER_IMAGE,
  HERALD_HEADER_VIDEO,
  HERALD_HEADER_DOCUMENT,
} HeraldHeaderType;

/* Each returns the upper-case name stored in the database (NULL for
 * HERALD_HEADER_NONE), and each _from_string accepts any case and returns
 * FALSE for an unknown name. */
const char *herald_message_status_to_string      (HeraldMessageStatus     status);
gboolean    herald_message_status_from_string    (const char             *name,
                                                  HeraldMessageStatus    *status);
const char *herald_campaign_status_to_string     (HeraldCampaignStatus    status);
gboolean    herald_campaign_status_from_string   (const char             *name,
                                                  HeraldCampaignStatus   *status);
const char *herald_template_category_to_string   (HeraldTemplateCategory  category);
gboolean    herald_template_category_from_string (const char             *name,
                                                  HeraldTemplateCategory *category);
const char *herald_template_status_to_string     (HeraldTemplateStatus    status);
gboolean    herald_template_status_from_string   (const char             *name,
                                                  HeraldTemplateStatus   *status);
const char *herald_header_type_to_string         (HeraldHeaderType        type);
gboolean    herald_header_type_from_string       (const char             *name,
                                                  HeraldHeaderType       *type);

/* Drops a reference to @object (a GObject) from @context's thread, later:
 * for a task that ran on a thread of ours, whose last reference may hold
 * what owns that thread (whose finalize would then wait for itself). */
void        herald_unref_in_context              (gpointer                object,
                                                  GMainContext           *context);

G_END_DECLS
