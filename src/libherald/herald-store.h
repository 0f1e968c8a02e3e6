/* herald-store.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-business-profile.h"
#include "herald-contact.h"
#include "herald-number.h"
#include "herald-template.h"

G_BEGIN_DECLS

#define HERALD_STORE_ERROR (herald_store_error_quark ())

typedef enum
{
  HERALD_STORE_ERROR_FAILED,
  HERALD_STORE_ERROR_NOT_FOUND,
  HERALD_STORE_ERROR_INVALID,
  HERALD_STORE_ERROR_CONSTRAINT,
  HERALD_STORE_ERROR_IN_USE,
  HERALD_STORE_ERROR_BUSY,
  HERALD_STORE_ERROR_CORRUPT,
  HERALD_STORE_ERROR_TOO_NEW,
} HeraldStoreError;

GQuark herald_store_error_quark (void);

#define HERALD_TYPE_STORE (herald_store_get_type ())

G_DECLARE_FINAL_TYPE (HeraldStore, herald_store, HERALD, STORE, GObject)

/* One connection, used by one thread at a time; every call is synchronous. */
HeraldStore           *herald_store_new                          (const char             *path,
                                                                  GError                **error);
const char            *herald_store_get_path                     (HeraldStore            *self);

gboolean               herald_store_begin                        (HeraldStore            *self,
                                                                  GError                **error);
gboolean               herald_store_commit                       (HeraldStore            *self,
                                                                  GError                **error);
gboolean               herald_store_rollback                     (HeraldStore            *self,
                                                                  GError                **error);

char                  *herald_store_get_setting                  (HeraldStore            *self,
                                                                  const char             *key,
                                                                  GError                **error);
gboolean               herald_store_set_setting                  (HeraldStore            *self,
                                                                  const char             *key,
                                                                  const char             *value,
                                                                  GError                **error);

HeraldBusinessProfile *herald_store_get_business_profile         (HeraldStore            *self,
                                                                  GError                **error);
gboolean               herald_store_save_business_profile        (HeraldStore            *self,
                                                                  HeraldBusinessProfile  *profile,
                                                                  GError                **error);

GPtrArray             *herald_store_list_numbers                 (HeraldStore            *self,
                                                                  GError                **error);
HeraldNumber          *herald_store_get_number                   (HeraldStore            *self,
                                                                  gint64                  id,
                                                                  GError                **error);
HeraldNumber          *herald_store_get_number_by_phone_number_id (HeraldStore           *self,
                                                                  const char             *phone_number_id,
                                                                  GError                **error);
gboolean               herald_store_save_number                  (HeraldStore            *self,
                                                                  HeraldNumber           *number,
                                                                  GError                **error);
gboolean               herald_store_set_number_active            (HeraldStore            *self,
                                                                  gint64                  id,
                                                                  gboolean                is_active,
                                                                  GError                **error);
gboolean               herald_store_delete_number                (HeraldStore            *self,
                                                                  gint64                  id,
                                                                  GError                **error);

HeraldContact         *herald_store_get_contact                  (HeraldStore            *self,
                                                                  gint64                  id,
                                                                  GError                **error);
HeraldContact         *herald_store_get_contact_by_mobile_number (HeraldStore            *self,
                                                                  const char             *mobile_number,
                                                                  GError                **error);
gboolean               herald_store_save_contact                 (HeraldStore            *self,
                                                                  HeraldContact          *contact,
                                                                  GError                **error);
gboolean               herald_store_upsert_contact               (HeraldStore            *self,
                                                                  HeraldContact          *contact,
                                                                  gboolean               *created,
                                                                  GError                **error);
gboolean               herald_store_delete_contact               (HeraldStore            *self,
                                                                  gint64                  id,
                                                                  GError                **error);
gboolean               herald_store_set_contact_opted_out        (HeraldStore            *self,
                                                                  gint64                  id,
                                                                  gboolean                opted_out,
                                                                  const char             *reason,
                                                                  GDateTime              *when,
                                                                  GError                **error);
gint64                 herald_store_count_contacts               (HeraldStore            *self,
                                                                  const char             *search,
                                                                  GError                **error);
GPtrArray             *herald_store_list_contacts                (HeraldStore            *self,
                                                                  const char             *search,
                                                                  gint64                  after_id,
                                                                  guint                   limit,
                                                                  GError                **error);

GPtrArray             *herald_store_list_templates               (HeraldStore            *self,
                                                                  gboolean                approved_only,
                                                                  GError                **error);
HeraldTemplate        *herald_store_get_template                 (HeraldStore            *self,
                                                                  gint64                  id,
                                                                  GError                **error);
HeraldTemplate        *herald_store_get_template_by_name         (HeraldStore            *self,
                                                                  const char             *name,
                                                                  const char             *language,
                                                                  GError                **error);
gboolean               herald_store_save_template                (HeraldStore            *self,
                                                                  HeraldTemplate         *template,
                                                                  GError                **error);
gboolean               herald_store_set_template_status          (HeraldStore            *self,
                                                                  const char             *meta_template_id,
                                                                  const char             *name,
                                                                  const char             *language,
                                                                  HeraldTemplateStatus    status,
                                                                  const char             *rejected_reason,
                                                                  GError                **error);
gboolean               herald_store_set_template_sandbox_status  (HeraldStore            *self,
                                                                  gint64                  id,
                                                                  int                     sandbox_status,
                                                                  GError                **error);
gboolean               herald_store_delete_template              (HeraldStore            *self,
                                                                  gint64                  id,
                                                                  GError                **error);

G_END_DECLS
