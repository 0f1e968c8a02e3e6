/* herald-contact.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HERALD_TYPE_CONTACT (herald_contact_get_type ())

G_DECLARE_FINAL_TYPE (HeraldContact, herald_contact, HERALD, CONTACT, GObject)

HeraldContact *herald_contact_new                  (const char    *name,
                                                    const char    *mobile_number);

gint64         herald_contact_get_id               (HeraldContact *self);
void           herald_contact_set_id               (HeraldContact *self,
                                                    gint64         id);
const char    *herald_contact_get_name             (HeraldContact *self);
void           herald_contact_set_name             (HeraldContact *self,
                                                    const char    *name);
const char    *herald_contact_get_mobile_number    (HeraldContact *self);
void           herald_contact_set_mobile_number    (HeraldContact *self,
                                                    const char    *mobile_number);
const char    *herald_contact_get_email            (HeraldContact *self);
void           herald_contact_set_email            (HeraldContact *self,
                                                    const char    *email);
/* The one rule for an email address, for the store and for forms checking
 * as people type: something@something, one @, no white space. */
gboolean       herald_contact_email_is_plausible   (const char    *email);
const char    *herald_contact_get_notes            (HeraldContact *self);
void           herald_contact_set_notes            (HeraldContact *self,
                                                    const char    *notes);
gboolean       herald_contact_get_is_active        (HeraldContact *self);
void           herald_contact_set_is_active        (HeraldContact *self,
                                                    gboolean       is_active);
gboolean       herald_contact_get_opted_out        (HeraldContact *self);
void           herald_contact_set_opted_out        (HeraldContact *self,
                                                    gboolean       opted_out);
const char    *herald_contact_get_opted_out_reason (HeraldContact *self);
void           herald_contact_set_opted_out_reason (HeraldContact *self,
                                                    const char    *reason);
const char    *herald_contact_get_opted_out_at     (HeraldContact *self);
void           herald_contact_set_opted_out_at     (HeraldContact *self,
                                                    const char    *opted_out_at);
const char    *herald_contact_get_attributes       (HeraldContact *self);
void           herald_contact_set_attributes       (HeraldContact *self,
                                                    const char    *attributes);
const char    *herald_contact_get_attribute        (HeraldContact *self,
                                                    const char    *key);
void           herald_contact_set_attribute        (HeraldContact *self,
                                                    const char    *key,
                                                    const char    *value);
const char    *herald_contact_get_created_at       (HeraldContact *self);
void           herald_contact_set_created_at       (HeraldContact *self,
                                                    const char    *created_at);
const char    *herald_contact_get_updated_at       (HeraldContact *self);
void           herald_contact_set_updated_at       (HeraldContact *self,
                                                    const char    *updated_at);

G_END_DECLS
