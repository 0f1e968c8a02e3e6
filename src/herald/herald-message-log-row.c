/* herald-message-log-row.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-message-log-row.h"

struct _HeraldMessageLogRow
{
  GObject              parent_instance;

  gint64               id;
  char                *mobile_number;
  char                *contact_name;
  char                *changed_at;
  char                *reason;
  HeraldMessageStatus  status;
  guint                loaded : 1;
  guint                in_doubt : 1;
};

G_DEFINE_FINAL_TYPE (HeraldMessageLogRow, herald_message_log_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LOADED,
  PROP_MOBILE_NUMBER,
  PROP_CONTACT_NAME,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  PROP_CHANGED_AT,
  PROP_REASON,
  PROP_IN_DOUBT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
herald_message_status_get_label (HeraldMessageStatus status)
{
  switch (status)
    {
    case HERALD_MESSAGE_PENDING:
      return _("Pending");
    case HERALD_MESSAGE_SENT:
      return _("Sent");
    case HERALD_MESSAGE_DELIVERED:
      return _("Delivered");
    case HERALD_MESSAGE_READ:
      return _("Read");
    case HERALD_MESSAGE_FAILED:
      return _("Failed");
    default:
      return "";
    }
}

static void
herald_message_log_row_finalize (GObject *object)
{
  HeraldMessageLogRow *self = HERALD_MESSAGE_LOG_ROW (object);

  g_free (self->mobile_number);
  g_free (self->contact_name);
  g_free (self->changed_at);
  g_free (self->reason);

  G_OBJECT_CLASS (herald_message_log_row_parent_class)->finalize (object);
}

static void
herald_message_log_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  HeraldMessageLogRow *self = HERALD_MESSAGE_LOG_ROW (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_MOBILE_NUMBER:
      g_value_set_string (value, self->mobile_number);
      break;
    case PROP_CONTACT_NAME:
      g_value_set_string (value, self->contact_name);
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, herald_message_log_row_get_status_label (self));
      break;
    case PROP_CHANGED_AT:
      g_value_set_string (value, self->changed_at);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_IN_DOUBT:
      g_value_set_boolean (value, self->in_doubt);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_message_log_row_class_init (HeraldMessageLogRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = herald_message_log_row_finalize;
  object_class->get_property = herald_message_log_row_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* FALSE until the row's page has been read. */
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_MOBILE_NUMBER] = g_param_spec_string ("mobile-number", NULL, NULL, NULL, flags);
  properties[PROP_CONTACT_NAME] = g_param_spec_string ("contact-name", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL,
                                              HERALD_MESSAGE_PENDING, HERALD_MESSAGE_FAILED,
                                              HERALD_MESSAGE_PENDING, flags);
  properties[PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, flags);
  /* When the message reached its status, in local time. */
  properties[PROP_CHANGED_AT] = g_param_spec_string ("changed-at", NULL, NULL, NULL, flags);
  /* Why it failed, or why it is in doubt. */
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_IN_DOUBT] = g_param_spec_boolean ("in-doubt", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_message_log_row_init (HeraldMessageLogRow *self)
{
}

HeraldMessageLogRow *
herald_message_log_row_new (void)
{
  return g_object_new (HERALD_TYPE_MESSAGE_LOG_ROW, NULL);
}

static char *
format_time (const char *iso)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (iso == NULL || (utc = g_date_time_new_from_iso8601 (iso, NULL)) == NULL)
    return NULL;
  local = g_date_time_to_local (utc);
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (now) == g_date_time_get_year (local) &&
      g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (local))
    return g_date_time_format (local, "%X");
  return g_date_time_format (local, "%x %X");
}

#define SET_STR(field, value, prop) \
  G_STMT_START { \
    if (g_strcmp0 (self->field, (value)) != 0) \
      { \
        g_free (self->field); \
        self->field = g_strdup (value); \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
      } \
  } G_STMT_END

void
herald_message_log_row_set_entry (HeraldMessageLogRow         *self,
                                  const HeraldMessageLogEntry *entry)
{
  g_autofree char *changed_at = NULL;
  const char *reason;

  g_return_if_fail (HERALD_IS_MESSAGE_LOG_ROW (self));
  g_return_if_fail (entry != NULL);

  changed_at = format_time (entry->changed_at);
  reason = entry->error_message;
  if (reason == NULL && entry->in_doubt)
    reason = _("Sent, but Meta never confirmed it");

  g_object_freeze_notify (G_OBJECT (self));
  if (self->id != entry->id)
    {
      self->id = entry->id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
  SET_STR (mobile_number, entry->mobile_number, PROP_MOBILE_NUMBER);
  SET_STR (contact_name, entry->contact_name, PROP_CONTACT_NAME);
  SET_STR (changed_at, changed_at, PROP_CHANGED_AT);
  SET_STR (reason, reason, PROP_REASON);
  if (self->status != entry->status || !self->loaded)
    {
      self->status = entry->status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
    }
  if (self->in_doubt != !!entry->in_doubt)
    {
      self->in_doubt = !!entry->in_doubt;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_DOUBT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
    }
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gint64
herald_message_log_row_get_id (HeraldMessageLogRow *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_ROW (self), 0);
  return self->id;
}

gboolean
herald_message_log_row_get_loaded (HeraldMessageLogRow *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_ROW (self), FALSE);
  return self->loaded;
}

const char *
herald_message_log_row_get_mobile_number (HeraldMessageLogRow *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_ROW (self), NULL);
  return self->mobile_number;
}

const char *
herald_message_log_row_get_contact_name (HeraldMessageLogRow *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_ROW (self), NULL);
  return self->contact_name;
}

HeraldMessageStatus
herald_message_log_row_get_status (HeraldMessageLogRow *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_ROW (self), HERALD_MESSAGE_PENDING);
  return self->status;
}

const char *
herald_message_log_row_get_status_label (HeraldMessageLogRow *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_ROW (self), NULL);

  if (!self->loaded)
    return NULL;
  if (self->in_doubt)
    return _("In doubt");
  return herald_message_status_get_label (self->status);
}

const char *
herald_message_log_row_get_reason (HeraldMessageLogRow *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_ROW (self), NULL);
  return self->reason;
}

gboolean
herald_message_log_row_get_in_doubt (HeraldMessageLogRow *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_ROW (self), FALSE);
  return self->in_doubt;
}
