/* herald-activity-event.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "herald-store-private.h"
#include "herald-activity-event.h"
#include "herald-number.h"

struct _HeraldActivityEvent
{
  GObject  parent_instance;

  gint64   id;
  char    *event_type;
  char    *wa_message_id;
  gboolean processed;
  char    *error;
  char    *created_at;
  char    *phone_number_id;
  gboolean is_sandbox;
};

/* What a payload names, as TEXT (an id sent as a number too), or NULL when
 * it is not JSON. */
#define PAYLOAD_MEMBER(path) \
  "CAST (CASE WHEN json_valid (e.payload) THEN json_extract (e.payload, '" path "') END AS TEXT)"
#define PAYLOAD_PHONE_NUMBER_ID PAYLOAD_MEMBER ("$.entry[0].changes[0].value.metadata.phone_number_id")
#define PAYLOAD_ACCOUNT_ID      PAYLOAD_MEMBER ("$.entry[0].id")

G_DEFINE_FINAL_TYPE (HeraldActivityEvent, herald_activity_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_EVENT_TYPE,
  PROP_WA_MESSAGE_ID,
  PROP_PROCESSED,
  PROP_ERROR,
  PROP_CREATED_AT,
  PROP_PHONE_NUMBER_ID,
  PROP_IS_SANDBOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
herald_activity_event_finalize (GObject *object)
{
  HeraldActivityEvent *self = HERALD_ACTIVITY_EVENT (object);

  g_free (self->event_type);
  g_free (self->wa_message_id);
  g_free (self->error);
  g_free (self->created_at);
  g_free (self->phone_number_id);

  G_OBJECT_CLASS (herald_activity_event_parent_class)->finalize (object);
}

static void
herald_activity_event_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HeraldActivityEvent *self = HERALD_ACTIVITY_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_EVENT_TYPE:
      g_value_set_string (value, self->event_type);
      break;
    case PROP_WA_MESSAGE_ID:
      g_value_set_string (value, self->wa_message_id);
      break;
    case PROP_PROCESSED:
      g_value_set_boolean (value, self->processed);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;
    case PROP_PHONE_NUMBER_ID:
      g_value_set_string (value, self->phone_number_id);
      break;
    case PROP_IS_SANDBOX:
      g_value_set_boolean (value, self->is_sandbox);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_activity_event_class_init (HeraldActivityEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = herald_activity_event_finalize;
  object_class->get_property = herald_activity_event_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* "notification" (a payload as received) or one update in it:
   * "message_sent", "message_delivered", "message_read", "message_failed",
   * "message_received", "template_status", "error". */
  properties[PROP_EVENT_TYPE] = g_param_spec_string ("event-type", NULL, NULL, NULL, flags);
  properties[PROP_WA_MESSAGE_ID] = g_param_spec_string ("wa-message-id", NULL, NULL, NULL, flags);
  /* Applied; when FALSE, "error" says why, or the event waits for its message. */
  properties[PROP_PROCESSED] = g_param_spec_boolean ("processed", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_string ("created-at", NULL, NULL, NULL, flags);
  /* Meta's id of the number the event is about, or NULL. */
  properties[PROP_PHONE_NUMBER_ID] = g_param_spec_string ("phone-number-id", NULL, NULL, NULL, flags);
  /* From the Sandbox, never from a real number. */
  properties[PROP_IS_SANDBOX] = g_param_spec_boolean ("is-sandbox", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_activity_event_init (HeraldActivityEvent *self)
{
}

gint64
herald_activity_event_get_id (HeraldActivityEvent *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_EVENT (self), 0);

  return self->id;
}

const char *
herald_activity_event_get_event_type (HeraldActivityEvent *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_EVENT (self), NULL);

  return self->event_type;
}

const char *
herald_activity_event_get_wa_message_id (HeraldActivityEvent *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_EVENT (self), NULL);

  return self->wa_message_id;
}

gboolean
herald_activity_event_get_processed (HeraldActivityEvent *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_EVENT (self), FALSE);

  return self->processed;
}

const char *
herald_activity_event_get_error (HeraldActivityEvent *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_EVENT (self), NULL);

  return self->error;
}

const char *
herald_activity_event_get_created_at (HeraldActivityEvent *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_EVENT (self), NULL);

  return self->created_at;
}

const char *
herald_activity_event_get_phone_number_id (HeraldActivityEvent *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_EVENT (self), NULL);

  return self->phone_number_id;
}

gboolean
herald_activity_event_get_is_sandbox (HeraldActivityEvent *self)
{
  g_return_val_if_fail (HERALD_IS_ACTIVITY_EVENT (self), FALSE);

  return self->is_sandbox;
}

static char *
dup_text (sqlite3_stmt *stmt,
          int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;
}

GPtrArray *
herald_activity_event_list (HeraldStore  *store,
                           gint64        before_id,
                           guint         limit,
                           GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) events = NULL;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);
  g_return_val_if_fail (before_id >= 0, NULL);
  g_return_val_if_fail (limit > 0, NULL);

  /* Every event in Meta's shape names its number in the payload, statuses
   * kept for a message not recorded yet and inbound replies too (which
   * message_logs could not tie to one), so the number is read from there
   * and looked up through whatsapp_numbers' unique index. Template status
   * updates name only the business account (entry[].id): the Sandbox's is
   * its own. The payloads read are one update each, or one POST; a body
   * that is not JSON names nothing. The json_extract () calls on one
   * payload share one parse (SQLite caches it per statement). */
  stmt = _herald_store_prepare_cached (store,
                                       "SELECT e.id, e.event_type, e.wa_message_id, e.processed, e.error,"
                                       " e.created_at, " PAYLOAD_PHONE_NUMBER_ID ","
                                       " COALESCE (n.is_sandbox, 0) OR " PAYLOAD_ACCOUNT_ID " = ?3"
                                       " FROM webhook_events e"
                                       " LEFT JOIN whatsapp_numbers n"
                                       "  ON n.phone_number_id = " PAYLOAD_PHONE_NUMBER_ID
                                       " WHERE e.id < ?1"
                                       " ORDER BY e.id DESC LIMIT ?2",
                                       error);
  if (stmt == NULL)
    return NULL;

  /* One bound, so the scan starts at the key and stops after @limit rows. */
  sqlite3_bind_int64 (stmt, 1, before_id > 0 ? before_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_text (stmt, 3, HERALD_SANDBOX_WABA_ID, -1, SQLITE_STATIC);

  events = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeraldActivityEvent *event = g_object_new (HERALD_TYPE_ACTIVITY_EVENT, NULL);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->event_type = dup_text (stmt, 1);
      event->wa_message_id = dup_text (stmt, 2);
      event->processed = sqlite3_column_int (stmt, 3) != 0;
      event->error = dup_text (stmt, 4);
      event->created_at = dup_text (stmt, 5);
      event->phone_number_id = dup_text (stmt, 6);
      event->is_sandbox = sqlite3_column_int (stmt, 7) != 0;
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("read the webhook events"), error);
      return NULL;
    }

  return g_steal_pointer (&events);
}

char *
herald_activity_event_load_payload (HeraldStore  *store,
                                    gint64        id,
                                    GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);
  g_return_val_if_fail (id > 0, NULL);

  stmt = _herald_store_prepare_cached (store, "SELECT payload FROM webhook_events WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND,
                   _("Webhook event %" PRId64 " is not recorded"), id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("read a webhook event"), error);
      return NULL;
    }

  /* A body is kept as received, so it may hold a NUL: its length counts. */
  return g_strndup ((const char *) sqlite3_column_text (stmt, 0), sqlite3_column_bytes (stmt, 0));
}
