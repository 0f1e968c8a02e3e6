/* herald-status-applier.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "herald-phone.h"
#include "herald-campaign-private.h"
#include "herald-number.h"
#include "herald-status-applier-private.h"
#include "herald-status-applier.h"
#include "herald-store-private.h"
#include "herald-webhook.h"

/* webhook_events holds two kinds of rows (architecture.md, message life cycle):
 *
 * - "notification": one webhook POST as received (relay URL and seq,
 *   signature, raw body). (relay_url, relay_seq) is UNIQUE, so a payload
 *   polled twice is recorded and applied once, and another relay's seqs
 *   are its own. processed = 0 with an error when it could not be trusted
 *   or read.
 * - one row per update in it ("message_sent", "message_delivered",
 *   "message_read", "message_failed", "message_received", "template_status",
 *   "error"), whose payload is a notification with that one update, in
 *   Meta's shape, so it can be parsed and applied again. A status for a
 *   message Herald has not recorded yet stays processed = 0 and is applied
 *   once the message's wamid is known.
 *
 * Statuses only move forward (PENDING → SENT → DELIVERED → READ, FAILED from
 * any state before READ); the campaign counters follow through the triggers
 * on message_logs, in the same transaction. */

#define EVENT_NOTIFICATION "notification"
#define EVENT_RECEIVED     "message_received"
#define EVENT_TEMPLATE     "template_status"
#define EVENT_ERROR        "error"
#define EVENT_UNKNOWN      "message_status"

#define REPROCESS_PAGE 500

struct _HeraldStatusApplier
{
  GObject      parent_instance;

  HeraldStore *store;
  /* The opt-out words of the current call, from the settings. */
  GStrv        opt_out_words;
  /* The current call's "now", one per transaction. */
  char        *now;
  /* The last webhook timestamp formatted: statuses of one POST share a few. */
  gint64       last_unix;
  char        *last_timestamp;
  /* The store's cached statements run once per status, kept here: looking
   * them up by their SQL text hashed the whole text every time. */
  sqlite3_stmt *find_by_wamid;
  sqlite3_stmt *insert_update;
};

G_DEFINE_FINAL_TYPE (HeraldStatusApplier, herald_status_applier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  OUTCOME_APPLIED,    /* changed something */
  OUTCOME_UNCHANGED,  /* nothing to change: processed */
  OUTCOME_KEPT,       /* cannot be applied now: processed = 0, with a reason */
} Outcome;

HeraldRelayPayload *
herald_relay_payload_new (gint64      relay_seq,
                          const char *received_at,
                          const char *signature,
                          GBytes     *body)
{
  HeraldRelayPayload *payload;

  g_return_val_if_fail (body != NULL, NULL);

  payload = g_new0 (HeraldRelayPayload, 1);
  payload->relay_seq = relay_seq;
  payload->received_at = g_strdup (received_at);
  payload->signature = g_strdup (signature);
  payload->body = g_bytes_ref (body);
  return payload;
}

void
herald_relay_payload_free (HeraldRelayPayload *payload)
{
  if (payload == NULL)
    return;

  g_free (payload->received_at);
  g_free (payload->signature);
  g_bytes_unref (payload->body);
  g_free (payload);
}

void
herald_apply_report_clear (HeraldApplyReport *report)
{
  g_return_if_fail (report != NULL);

  g_free (report->problem);
  memset (report, 0, sizeof *report);
}

static void
herald_status_applier_finalize (GObject *object)
{
  HeraldStatusApplier *self = (HeraldStatusApplier *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->opt_out_words, g_strfreev);
  g_free (self->now);
  g_free (self->last_timestamp);

  G_OBJECT_CLASS (herald_status_applier_parent_class)->finalize (object);
}

static void
herald_status_applier_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HeraldStatusApplier *self = HERALD_STATUS_APPLIER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_status_applier_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HeraldStatusApplier *self = HERALD_STATUS_APPLIER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_status_applier_class_init (HeraldStatusApplierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = herald_status_applier_finalize;
  object_class->get_property = herald_status_applier_get_property;
  object_class->set_property = herald_status_applier_set_property;

  /** HeraldStatusApplier:store: the database the events are applied to. */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, HERALD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_status_applier_init (HeraldStatusApplier *self)
{
}

HeraldStatusApplier *
herald_status_applier_new (HeraldStore *store)
{
  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);

  return g_object_new (HERALD_TYPE_STATUS_APPLIER, "store", store, NULL);
}

HeraldStore *
herald_status_applier_get_store (HeraldStatusApplier *self)
{
  g_return_val_if_fail (HERALD_IS_STATUS_APPLIER (self), NULL);

  return self->store;
}

/* Helpers */

/* The statement in *@slot, prepared by the store the first time; the store
 * keeps it for its lifetime, which ours covers. Use as
 * g_autoptr(HeraldStoreStmt), like _herald_store_prepare_cached (). */
static sqlite3_stmt *
hot_statement (HeraldStatusApplier  *self,
               sqlite3_stmt        **slot,
               const char           *sql,
               GError              **error)
{
  if (*slot == NULL)
    *slot = _herald_store_prepare_cached (self->store, sql, error);
  return *slot;
}

/* Unix seconds as stored: ISO-8601 UTC with milliseconds; NULL when out of
 * range. Owned by @self until the next call. */
static const char *
timestamp_from_unix (HeraldStatusApplier *self,
                     gint64               seconds)
{
  g_autoptr(GDateTime) when = NULL;

  if (self->last_timestamp != NULL && self->last_unix == seconds)
    return self->last_timestamp;

  when = g_date_time_new_from_unix_utc (seconds);
  if (when == NULL)
    return NULL;

  g_free (self->last_timestamp);
  self->last_timestamp = _herald_store_timestamp (when);
  self->last_unix = seconds;
  return self->last_timestamp;
}

/* Called at the start of each public call: the opt-out words may have
 * changed in the settings since the last. */
static gboolean
begin_call (HeraldStatusApplier  *self,
            GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *words = herald_store_get_setting (self->store, HERALD_SETTING_OPT_OUT_WORDS,
                                                     &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_clear_pointer (&self->opt_out_words, g_strfreev);
  if (words != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) parts = g_strsplit (words, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (*g_strstrip (parts[i]) != '\0')
          g_strv_builder_add (builder, parts[i]);
      self->opt_out_words = g_strv_builder_end (builder);
    }

  g_free (self->now);
  self->now = _herald_store_timestamp (NULL);
  return TRUE;
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_error_member (JsonBuilder               *builder,
                  const HeraldWebhookUpdate *update)
{
  if (!update->has_error)
    return;

  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, update->error_code);
  add_string_member (builder, "title", update->error_title);
  add_string_member (builder, "message", update->error_message);
  if (update->error_details != NULL)
    {
      json_builder_set_member_name (builder, "error_data");
      json_builder_begin_object (builder);
      add_string_member (builder, "details", update->error_details);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);
}

static void
add_inbound_content (JsonBuilder               *builder,
                     const HeraldWebhookUpdate *update)
{
  if (g_strcmp0 (update->message_type, "text") == 0)
    {
      json_builder_set_member_name (builder, "text");
      json_builder_begin_object (builder);
      add_string_member (builder, "body", update->text ? update->text : "");
      json_builder_end_object (builder);
    }
  else if (g_strcmp0 (update->message_type, "button") == 0)
    {
      json_builder_set_member_name (builder, "button");
      json_builder_begin_object (builder);
      add_string_member (builder, "payload", update->button_payload);
      add_string_member (builder, "text", update->button_text);
      json_builder_end_object (builder);
    }
  else if (g_strcmp0 (update->message_type, "interactive") == 0)
    {
      json_builder_set_member_name (builder, "interactive");
      json_builder_begin_object (builder);
      add_string_member (builder, "type", "button_reply");
      json_builder_set_member_name (builder, "button_reply");
      json_builder_begin_object (builder);
      add_string_member (builder, "id", update->interactive_id);
      add_string_member (builder, "title", update->interactive_title);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }

  if (update->context_wamid != NULL)
    {
      json_builder_set_member_name (builder, "context");
      json_builder_begin_object (builder);
      add_string_member (builder, "id", update->context_wamid);
      json_builder_end_object (builder);
    }
}

/* Statuses are most of the traffic (up to 1000 per POST), so their audit
 * payload is written directly rather than through a JsonBuilder. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  if (value == NULL)
    return;

  g_string_append_printf (out, ",\"%s\":", name);
  append_json_string (out, value);
}

static char *
status_to_payload (const HeraldWebhookUpdate *update)
{
  GString *out = g_string_sized_new (512);

  g_string_append (out, "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":");
  append_json_string (out, update->waba_id ? update->waba_id : "");
  g_string_append (out, ",\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\"");
  if (update->phone_number_id != NULL)
    {
      g_string_append (out, ",\"metadata\":{\"phone_number_id\":");
      append_json_string (out, update->phone_number_id);
      g_string_append_c (out, '}');
    }
  g_string_append (out, ",\"statuses\":[{\"id\":");
  append_json_string (out, update->wamid);
  append_member (out, "status", update->status_name);
  g_string_append_printf (out, ",\"timestamp\":\"%" PRId64 "\"", update->timestamp);
  append_member (out, "recipient_id", update->recipient_id);
  append_member (out, "biz_opaque_callback_data", update->biz_opaque_callback_data);
  if (update->has_error)
    {
      g_string_append_printf (out, ",\"errors\":[{\"code\":%" PRId64, update->error_code);
      append_member (out, "title", update->error_title);
      append_member (out, "message", update->error_message);
      if (update->error_details != NULL)
        {
          g_string_append (out, ",\"error_data\":{\"details\":");
          append_json_string (out, update->error_details);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "}]");
    }
  g_string_append (out, "}]}}]}]}");

  return g_string_free (out, FALSE);
}

/* The audit payload of one update: a notification with only that update in
 * it, in Meta's shape, so herald_webhook_parse () reads it back. */
static char *
update_to_payload (const HeraldWebhookUpdate *update)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *timestamp = g_strdup_printf ("%" PRId64, update->timestamp);

  json_builder_begin_object (builder);
  add_string_member (builder, "object", "whatsapp_business_account");
  json_builder_set_member_name (builder, "entry");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string_member (builder, "id", update->waba_id ? update->waba_id : "");
  if (update->kind == HERALD_WEBHOOK_UPDATE_TEMPLATE_STATUS && update->timestamp > 0)
    {
      json_builder_set_member_name (builder, "time");
      json_builder_add_int_value (builder, update->timestamp);
    }
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "value");
  json_builder_begin_object (builder);
  if (update->kind == HERALD_WEBHOOK_UPDATE_TEMPLATE_STATUS)
    {
      add_string_member (builder, "event", update->template_event);
      add_string_member (builder, "message_template_id", update->template_id);
      add_string_member (builder, "message_template_name", update->template_name);
      add_string_member (builder, "message_template_language", update->template_language);
      add_string_member (builder, "reason", update->template_reason);
    }
  else
    {
      add_string_member (builder, "messaging_product", "whatsapp");
      if (update->phone_number_id != NULL)
        {
          json_builder_set_member_name (builder, "metadata");
          json_builder_begin_object (builder);
          add_string_member (builder, "phone_number_id", update->phone_number_id);
          json_builder_end_object (builder);
        }

      if (update->kind == HERALD_WEBHOOK_UPDATE_INBOUND)
        {
          if (update->profile_name != NULL)
            {
              json_builder_set_member_name (builder, "contacts");
              json_builder_begin_array (builder);
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "profile");
              json_builder_begin_object (builder);
              add_string_member (builder, "name", update->profile_name);
              json_builder_end_object (builder);
              add_string_member (builder, "wa_id", update->from);
              json_builder_end_object (builder);
              json_builder_end_array (builder);
            }
          json_builder_set_member_name (builder, "messages");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          add_string_member (builder, "from", update->from);
          add_string_member (builder, "id", update->wamid);
          add_string_member (builder, "timestamp", timestamp);
          add_string_member (builder, "type", update->message_type);
          add_inbound_content (builder, update);
          add_error_member (builder, update);
          json_builder_end_object (builder);
          json_builder_end_array (builder);
        }
      else
        {
          json_builder_set_member_name (builder, "errors");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, update->error_code);
          add_string_member (builder, "title", update->error_title);
          add_string_member (builder, "message", update->error_message);
          json_builder_end_object (builder);
          json_builder_end_array (builder);
        }
    }
  json_builder_end_object (builder);

  add_string_member (builder, "field",
                     update->kind == HERALD_WEBHOOK_UPDATE_TEMPLATE_STATUS
                       ? "message_template_status_update" : "messages");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static const char *
update_event_type (const HeraldWebhookUpdate *update)
{
  switch (update->kind)
    {
    case HERALD_WEBHOOK_UPDATE_STATUS:
      if (!update->status_known)
        return EVENT_UNKNOWN;
      switch (update->status)
        {
        case HERALD_MESSAGE_SENT:
          return "message_sent";
        case HERALD_MESSAGE_DELIVERED:
          return "message_delivered";
        case HERALD_MESSAGE_READ:
          return "message_read";
        case HERALD_MESSAGE_FAILED:
          return "message_failed";
        case HERALD_MESSAGE_PENDING:
        default:
          return EVENT_UNKNOWN;
        }

    case HERALD_WEBHOOK_UPDATE_INBOUND:
      return EVENT_RECEIVED;

    case HERALD_WEBHOOK_UPDATE_TEMPLATE_STATUS:
      return EVENT_TEMPLATE;

    case HERALD_WEBHOOK_UPDATE_ERROR:
    case HERALD_WEBHOOK_UPDATE_MALFORMED:
    default:
      return EVENT_ERROR;
    }
}

/* Statuses */

/* The message a status is about: by wamid, else by biz_opaque_callback_data,
 * which Herald sets to the message_logs id (a send in doubt has no wamid
 * yet). 0 when Herald has not recorded it; *@by_wamid says whether the row
 * has this wamid already. */
static gboolean
find_message (HeraldStatusApplier        *self,
              const HeraldWebhookUpdate  *update,
              gint64                     *out_id,
              gboolean                   *by_wamid,
              GError                    **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  gint64 id;
  int rc;

  *out_id = 0;
  *by_wamid = FALSE;

  stmt = hot_statement (self, &self->find_by_wamid,
                        "SELECT id FROM message_logs WHERE wa_message_id = ?1",
                        error);
  if (stmt == NULL)
    return FALSE;

  _herald_store_bind_text (stmt, 1, update->wamid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_id = sqlite3_column_int64 (stmt, 0);
      *by_wamid = TRUE;
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (self->store), rc, _("find a message"), error);
      return FALSE;
    }
  g_clear_pointer (&stmt, _herald_store_stmt_release);

  if (update->biz_opaque_callback_data == NULL ||
      !g_ascii_string_to_signed (update->biz_opaque_callback_data, 10, 1, G_MAXINT64, &id, NULL))
    return TRUE;

  /* A row that already has another wamid was sent again: this status is
   * about the other send, and is kept rather than guessed at. */
  stmt = _herald_store_prepare_cached (self->store,
                                       "SELECT id FROM message_logs"
                                       " WHERE id = ?1 AND wa_message_id IS NULL",
                                       error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_id = id;
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (self->store), rc, _("find a message"), error);
      return FALSE;
    }

  return TRUE;
}

static const char *
failure_reason (const HeraldWebhookUpdate *update)
{
  const char *reason = update->has_error ? herald_webhook_describe_error_code (update->error_code) : NULL;

  if (reason == NULL)
    reason = update->error_details;
  if (reason == NULL)
    reason = update->error_title;
  if (reason == NULL)
    reason = _("WhatsApp did not deliver the message");
  return reason;
}

gboolean
_herald_status_change_apply (HeraldStore               *store,
                             const HeraldStatusChange  *change,
                             gboolean                  *changed,
                             GError                   **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  sqlite3 *db = herald_store_get_db (store);
  gboolean failed = change->status == HERALD_MESSAGE_FAILED;

  g_return_val_if_fail (change->status != HERALD_MESSAGE_PENDING, FALSE);

  /* Forward only, in one statement. Ranks: PENDING 0, SENT 1, DELIVERED 2,
   * and READ or FAILED 4, which nothing follows; the new status ranks 1 to 3
   * (FAILED 3: from any state before READ). A later status implies the
   * earlier ones, so it sets sent_at (and delivered_at for READ) when they
   * are missing. The right-hand sides see the row as it was. Without ids to
   * record the ids are left out of SET, as naming wa_message_id there makes
   * SQLite rewrite its index entry, same value or not. */
#define STATUS_CHANGE_SET \
    "UPDATE message_logs SET status = ?2," \
    " sent_at = CASE WHEN ?2 = 'FAILED' THEN sent_at ELSE COALESCE (sent_at, ?3) END," \
    " delivered_at = CASE WHEN ?2 IN ('DELIVERED', 'READ') THEN COALESCE (delivered_at, ?3)" \
    "   ELSE delivered_at END," \
    " read_at = CASE WHEN ?2 = 'READ' THEN ?3 ELSE read_at END," \
    " failed_at = CASE WHEN ?2 = 'FAILED' THEN ?3 ELSE failed_at END," \
    " error_code = CASE WHEN ?2 = 'FAILED' THEN ?5 WHEN status = 'PENDING' THEN NULL ELSE error_code END," \
    " error_message = CASE WHEN ?2 = 'FAILED' THEN ?6 WHEN status = 'PENDING' THEN NULL" \
    "   ELSE error_message END," \
    " next_attempt_at = NULL,"
#define STATUS_CHANGE_IDS \
    " wa_message_id = COALESCE (wa_message_id, ?4), wa_id = COALESCE (wa_id, ?8),"
#define STATUS_CHANGE_WHERE \
    " updated_at = ?7" \
    " WHERE id = ?1 AND CASE status WHEN 'PENDING' THEN 0 WHEN 'SENT' THEN 1" \
    "   WHEN 'DELIVERED' THEN 2 ELSE 4 END < ?9"
  if (change->wa_message_id != NULL || change->wa_id != NULL)
    stmt = _herald_store_prepare_cached (store, STATUS_CHANGE_SET STATUS_CHANGE_IDS STATUS_CHANGE_WHERE, error);
  else
    stmt = _herald_store_prepare_cached (store, STATUS_CHANGE_SET STATUS_CHANGE_WHERE, error);
#undef STATUS_CHANGE_SET
#undef STATUS_CHANGE_IDS
#undef STATUS_CHANGE_WHERE
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, change->message_log_id);
  sqlite3_bind_text (stmt, 2, herald_message_status_to_string (change->status), -1, SQLITE_STATIC);
  _herald_store_bind_text (stmt, 3, change->at);
  _herald_store_bind_text (stmt, 4, change->wa_message_id);
  if (failed && change->has_error_code)
    sqlite3_bind_int64 (stmt, 5, change->error_code);
  _herald_store_bind_text (stmt, 6, failed ? change->error_message : NULL);
  _herald_store_bind_text (stmt, 7, change->now);
  _herald_store_bind_text (stmt, 8, change->wa_id);
  /* SENT 1, DELIVERED 2, READ 3 (the enum's order); FAILED 3. */
  sqlite3_bind_int (stmt, 9, failed ? 3 : (int) change->status);
  if (!_herald_store_step (store, stmt, _("change a message’s status"), error))
    return FALSE;
  *changed = sqlite3_changes (db) > 0;
  if (*changed || (change->wa_message_id == NULL && change->wa_id == NULL))
    return TRUE;
  g_clear_pointer (&stmt, _herald_store_stmt_release);

  /* A late status still names the message: keep its ids. */
  stmt = _herald_store_prepare_cached (store,
                                       "UPDATE message_logs SET wa_message_id = COALESCE (wa_message_id, ?2),"
                                       " wa_id = COALESCE (wa_id, ?3), updated_at = ?4 WHERE id = ?1"
                                       " AND ((wa_message_id IS NULL AND ?2 IS NOT NULL)"
                                       "      OR (wa_id IS NULL AND ?3 IS NOT NULL))",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, change->message_log_id);
  _herald_store_bind_text (stmt, 2, change->wa_message_id);
  _herald_store_bind_text (stmt, 3, change->wa_id);
  _herald_store_bind_text (stmt, 4, change->now);
  if (!_herald_store_step (store, stmt, _("record a message id"), error))
    return FALSE;
  *changed = sqlite3_changes (db) > 0;
  return TRUE;
}

static gboolean
apply_status (HeraldStatusApplier        *self,
              const HeraldWebhookUpdate  *update,
              Outcome                    *outcome,
              char                      **problem,
              GError                    **error)
{
  HeraldStatusChange change = { 0, };
  gboolean by_wamid;
  gboolean changed;

  if (!update->status_known || update->status == HERALD_MESSAGE_PENDING)
    {
      *outcome = OUTCOME_UNCHANGED;
      *problem = g_strdup_printf (_("Herald does not track the status “%s”"), update->status_name);
      return TRUE;
    }

  if (!find_message (self, update, &change.message_log_id, &by_wamid, error))
    return FALSE;

  if (change.message_log_id == 0)
    {
      *outcome = OUTCOME_KEPT;
      *problem = g_strdup (_("No message with this id is recorded yet"));
      return TRUE;
    }

  change.status = update->status;
  change.at = timestamp_from_unix (self, update->timestamp);
  if (change.at == NULL)
    change.at = self->now;
  change.now = self->now;
  /* Found by it: nothing to record, and the rule then leaves the wamid
   * index alone. */
  change.wa_message_id = by_wamid ? NULL : update->wamid;
  change.has_error_code = update->has_error;
  change.error_code = update->error_code;
  change.error_message = failure_reason (update);

  if (!_herald_status_change_apply (self->store, &change, &changed, error))
    return FALSE;

  *outcome = changed ? OUTCOME_APPLIED : OUTCOME_UNCHANGED;
  return TRUE;
}

/* Inbound messages: an opt-out word opts the sender out. */
static gboolean
apply_inbound (HeraldStatusApplier        *self,
               const HeraldWebhookUpdate  *update,
               Outcome                    *outcome,
               char                      **problem,
               GError                    **error)
{
  g_autofree char *with_plus = NULL;
  g_autofree char *number = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(HeraldContact) contact = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *said = NULL;

  *outcome = OUTCOME_UNCHANGED;

  if (!herald_webhook_is_opt_out (update, (const char * const *) self->opt_out_words))
    return TRUE;

  /* "from" is the wa_id: the digits of the E.164 number without "+". */
  with_plus = g_strconcat ("+", update->from, NULL);
  number = herald_phone_normalize (with_plus, NULL, NULL);
  if (number != NULL)
    contact = herald_store_get_contact_by_mobile_number (self->store, number, &local_error);
  if (contact == NULL)
    {
      if (local_error != NULL &&
          !g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *problem = g_strdup (_("An opt-out from a number that is not among the contacts"));
      return TRUE;
    }

  /* The first opt-out keeps its time and reason. */
  if (herald_contact_get_opted_out (contact))
    return TRUE;

  if (update->text != NULL)
    said = g_strdup (update->text);
  else if (update->button_text != NULL || update->button_payload != NULL)
    said = g_strdup (update->button_text ? update->button_text : update->button_payload);
  else
    said = g_strdup (update->interactive_title ? update->interactive_title : "");
  reason = g_strdup_printf (_("Replied “%s” on WhatsApp"), g_strstrip (said));
  when = g_date_time_new_from_unix_utc (update->timestamp);

  if (!herald_store_set_contact_opted_out (self->store, herald_contact_get_id (contact), TRUE,
                                           reason, when, error))
    return FALSE;

  *outcome = OUTCOME_APPLIED;
  return TRUE;
}

static gboolean
apply_sandbox_template_status (HeraldStatusApplier        *self,
                               const HeraldWebhookUpdate  *update,
                               HeraldTemplateStatus        status,
                               Outcome                    *outcome,
                               char                      **problem,
                               GError                    **error)
{
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GError) local_error = NULL;

  template = herald_store_get_template_by_name (self->store, update->template_name,
                                                update->template_language, &local_error);
  if (template == NULL)
    {
      if (!g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *outcome = OUTCOME_KEPT;
      *problem = g_strdup_printf (_("No template “%s” (%s) for the Sandbox’s review"),
                                  update->template_name ? update->template_name : "",
                                  update->template_language ? update->template_language : "");
      return TRUE;
    }
  if (herald_template_get_sandbox_status (template) == (int) status)
    return TRUE;
  if (!herald_store_set_template_sandbox_status (self->store, herald_template_get_id (template), status, error))
    return FALSE;
  *outcome = OUTCOME_APPLIED;
  return TRUE;
}

/* Template status updates: the states Meta reports, kept on the template. */
static gboolean
apply_template_status (HeraldStatusApplier        *self,
                       const HeraldWebhookUpdate  *update,
                       Outcome                    *outcome,
                       char                      **problem,
                       GError                    **error)
{
  g_autoptr(GError) local_error = NULL;
  HeraldTemplateStatus status;

  *outcome = OUTCOME_UNCHANGED;

  /* A reinstated template can be sent again; FLAGGED, LOCKED and the like
   * are warnings that leave its status as it is. */
  if (g_ascii_strcasecmp (update->template_event, "REINSTATED") == 0 ||
      g_ascii_strcasecmp (update->template_event, "UNARCHIVED") == 0)
    status = HERALD_TEMPLATE_APPROVED;
  else if (!herald_template_status_from_string (update->template_event, &status))
    {
      *problem = g_strdup_printf (_("Template event “%s” leaves the status unchanged"),
                                  update->template_event);
      return TRUE;
    }

  /* The Sandbox's sim reviews in its own account: its verdict is the
   * Sandbox's, kept apart from Meta's status and id (migration 3). */
  if (g_strcmp0 (update->waba_id, HERALD_SANDBOX_WABA_ID) == 0)
    return apply_sandbox_template_status (self, update, status, outcome, problem, error);

  if (!herald_store_set_template_status (self->store, update->template_id, NULL, NULL,
                                         status, update->template_reason, &local_error))
    {
      if (!g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* Perhaps not synced yet: kept, for a reprocess after a sync. */
      *outcome = OUTCOME_KEPT;
      *problem = g_strdup_printf (_("No template with Meta id %s"), update->template_id);
      return TRUE;
    }

  *outcome = OUTCOME_APPLIED;
  return TRUE;
}

static gboolean
apply_update (HeraldStatusApplier        *self,
              const HeraldWebhookUpdate  *update,
              Outcome                    *outcome,
              char                      **problem,
              GError                    **error)
{
  *problem = NULL;

  switch (update->kind)
    {
    case HERALD_WEBHOOK_UPDATE_STATUS:
      return apply_status (self, update, outcome, problem, error);

    case HERALD_WEBHOOK_UPDATE_INBOUND:
      return apply_inbound (self, update, outcome, problem, error);

    case HERALD_WEBHOOK_UPDATE_TEMPLATE_STATUS:
      return apply_template_status (self, update, outcome, problem, error);

    case HERALD_WEBHOOK_UPDATE_ERROR:
    case HERALD_WEBHOOK_UPDATE_MALFORMED:
    default:
      {
        const char *reason = herald_webhook_describe_error_code (update->error_code);

        *outcome = OUTCOME_UNCHANGED;
        *problem = g_strdup_printf ("%" PRId64 ": %s", update->error_code,
                                    reason ? reason : (update->error_title ? update->error_title : ""));
        return TRUE;
      }
    }
}

static void
count_outcome (HeraldApplyReport         *report,
               const HeraldWebhookUpdate *update,
               Outcome                    outcome,
               gboolean                   again)
{
  if (update->kind == HERALD_WEBHOOK_UPDATE_STATUS)
    {
      if (!again)
        report->statuses++;
      if (outcome == OUTCOME_KEPT)
        report->pending += !again;
      else if (outcome == OUTCOME_APPLIED)
        {
          report->applied++;
          report->settled += again;
        }
      else
        report->unchanged++;
    }
  else if (update->kind == HERALD_WEBHOOK_UPDATE_INBOUND)
    {
      report->inbound += !again;
      report->opted_out += outcome == OUTCOME_APPLIED;
    }
  else if (update->kind == HERALD_WEBHOOK_UPDATE_TEMPLATE_STATUS)
    report->templates += outcome == OUTCOME_APPLIED;
}

/* Recording */

static gboolean
insert_update_row (HeraldStatusApplier        *self,
                   const HeraldWebhookUpdate  *update,
                   Outcome                     outcome,
                   const char                 *problem,
                   GError                    **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  char *payload;

  stmt = hot_statement (self, &self->insert_update,
                        "INSERT INTO webhook_events (event_type, wa_message_id, payload,"
                        " processed, processed_at, created_at, updated_at, error)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
                        error);
  if (stmt == NULL)
    return FALSE;

  payload = update->kind == HERALD_WEBHOOK_UPDATE_STATUS
              ? status_to_payload (update) : update_to_payload (update);
  sqlite3_bind_text (stmt, 1, update_event_type (update), -1, SQLITE_STATIC);
  _herald_store_bind_text (stmt, 2, update->wamid ? update->wamid : "");
  /* SQLite frees it once done with it, without a copy. */
  sqlite3_bind_text (stmt, 3, payload, -1, g_free);
  sqlite3_bind_int (stmt, 4, outcome != OUTCOME_KEPT);
  _herald_store_bind_text (stmt, 5, outcome != OUTCOME_KEPT ? self->now : NULL);
  _herald_store_bind_text (stmt, 6, self->now);
  _herald_store_bind_text (stmt, 7, problem);

  return _herald_store_step (self->store, stmt, _("record a webhook event"), error);
}

static gboolean
mark_row (HeraldStatusApplier  *self,
          gint64                id,
          gboolean              processed,
          const char           *problem,
          GError              **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  stmt = _herald_store_prepare_cached (self->store,
                                       "UPDATE webhook_events SET processed = ?2,"
                                       " processed_at = CASE WHEN ?2 THEN ?3 END,"
                                       " updated_at = ?3, error = ?4 WHERE id = ?1",
                                       error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, !!processed);
  _herald_store_bind_text (stmt, 3, self->now);
  _herald_store_bind_text (stmt, 4, problem);

  return _herald_store_step (self->store, stmt, _("record a webhook event"), error);
}

/* Records the envelope row of one payload; 0 in *@out_id when that relay's
 * seq is there already. */
static gboolean
insert_notification_row (HeraldStatusApplier  *self,
                         const guint8         *body,
                         gsize                 body_len,
                         const char           *relay_url,
                         gint64                relay_seq,
                         const char           *signature,
                         const char           *received_at,
                         gint64               *out_id,
                         GError              **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  sqlite3 *db = herald_store_get_db (self->store);

  stmt = _herald_store_prepare_cached (self->store,
                                       "INSERT INTO webhook_events (event_type, wa_message_id, payload,"
                                       " processed, created_at, updated_at, relay_url, relay_seq, signature)"
                                       " VALUES ('" EVENT_NOTIFICATION "', '', ?1, 0, ?2, ?3, ?6, ?4, ?5)"
                                       " ON CONFLICT (relay_url, relay_seq) DO NOTHING",
                                       error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, (const char *) body, (int) body_len, SQLITE_STATIC);
  _herald_store_bind_text (stmt, 2, received_at ? received_at : self->now);
  _herald_store_bind_text (stmt, 3, self->now);
  if (relay_seq > 0)
    {
      sqlite3_bind_int64 (stmt, 4, relay_seq);
      _herald_store_bind_text (stmt, 6, relay_url);
    }
  _herald_store_bind_text (stmt, 5, signature);

  if (!_herald_store_step (self->store, stmt, _("record a webhook event"), error))
    return FALSE;

  *out_id = sqlite3_changes (db) > 0 ? sqlite3_last_insert_rowid (db) : 0;
  return TRUE;
}

/* Parses a payload whose envelope row is @row_id and records and applies
 * each update in it. */
static gboolean
apply_body (HeraldStatusApplier  *self,
            gint64                row_id,
            const guint8         *body,
            gsize                 body_len,
            HeraldApplyReport    *report,
            GError              **error)
{
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GString) problems = NULL;

  updates = herald_webhook_parse (body, body_len, &parse_error);
  if (updates == NULL)
    {
      report->rejected++;
      g_free (report->problem);
      report->problem = g_strdup (parse_error->message);
      return mark_row (self, row_id, FALSE, parse_error->message, error);
    }

  for (guint i = 0; i < updates->len; i++)
    {
      const HeraldWebhookUpdate *update = g_ptr_array_index (updates, i);
      g_autofree char *problem = NULL;
      Outcome outcome;

      /* A bad item is noted on the envelope; the rest still apply. */
      if (update->kind == HERALD_WEBHOOK_UPDATE_MALFORMED)
        {
          if (problems == NULL)
            problems = g_string_new (update->problem);
          else
            g_string_append_printf (problems, "; %s", update->problem);
          continue;
        }

      if (!apply_update (self, update, &outcome, &problem, error) ||
          !insert_update_row (self, update, outcome, problem, error))
        return FALSE;
      count_outcome (report, update, outcome, FALSE);
    }

  return mark_row (self, row_id, TRUE, problems ? problems->str : NULL, error);
}

static const char *
check_signature (const char   *app_secret,
                 const guint8 *body,
                 gsize         body_len,
                 const char   *signature)
{
  if (app_secret == NULL || *app_secret == '\0')
    return _("No app secret is set, so the signature cannot be checked");
  if (signature == NULL || *signature == '\0')
    return _("The event has no signature");
  if (!herald_webhook_verify_signature (app_secret, body, body_len, signature))
    return _("The signature does not match the body: a wrong app secret, or a forged event");
  return NULL;
}

static gboolean
apply_pending_unlocked (HeraldStatusApplier  *self,
                        HeraldApplyReport    *report,
                        GError              **error);

static gboolean
apply_relay_unlocked (HeraldStatusApplier  *self,
                      const char           *relay_url,
                      GPtrArray            *payloads,
                      const char           *app_secret,
                      HeraldApplyReport    *report,
                      GError              **error)
{
  for (guint i = 0; i < payloads->len; i++)
    {
      HeraldRelayPayload *payload = g_ptr_array_index (payloads, i);
      gsize len;
      const guint8 *body = g_bytes_get_data (payload->body, &len);
      const char *rejection;
      gint64 row_id;

      if (!insert_notification_row (self, body, len, relay_url, payload->relay_seq, payload->signature,
                                    payload->received_at, &row_id, error))
        return FALSE;

      if (row_id == 0)
        {
          report->duplicates++;
          continue;
        }
      report->payloads++;

      /* The relay is not trusted: nothing is applied before this. */
      rejection = check_signature (app_secret, body, len, payload->signature);
      if (rejection != NULL)
        {
          report->rejected++;
          g_free (report->problem);
          report->problem = g_strdup (rejection);
          if (!mark_row (self, row_id, FALSE, rejection, error))
            return FALSE;
          continue;
        }

      if (!apply_body (self, row_id, body, len, report, error))
        return FALSE;
    }

  return apply_pending_unlocked (self, report, error);
}

gboolean
herald_status_applier_apply_relay (HeraldStatusApplier  *self,
                                   const char           *relay_url,
                                   GPtrArray            *payloads,
                                   const char           *app_secret,
                                   HeraldApplyReport    *report,
                                   GError              **error)
{
  gboolean owned;
  gboolean ok;

  g_return_val_if_fail (HERALD_IS_STATUS_APPLIER (self), FALSE);
  g_return_val_if_fail (relay_url != NULL, FALSE);
  g_return_val_if_fail (payloads != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (!_herald_store_write_begin (self->store, &owned, error))
    return FALSE;

  ok = begin_call (self, error) &&
       apply_relay_unlocked (self, relay_url, payloads, app_secret, report, error);

  return _herald_store_write_end (self->store, owned, ok, error);
}

gboolean
herald_status_applier_ingest (HeraldStatusApplier  *self,
                              const guint8         *body,
                              gsize                 body_len,
                              HeraldApplyReport    *report,
                              GError              **error)
{
  gboolean owned;
  gboolean ok;
  gint64 row_id = 0;

  g_return_val_if_fail (HERALD_IS_STATUS_APPLIER (self), FALSE);
  g_return_val_if_fail (body != NULL || body_len == 0, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (!_herald_store_write_begin (self->store, &owned, error))
    return FALSE;

  ok = begin_call (self, error) &&
       insert_notification_row (self, body, body_len, NULL, 0, NULL, NULL, &row_id, error);
  if (ok)
    {
      report->payloads++;
      ok = apply_body (self, row_id, body, body_len, report, error) &&
           apply_pending_unlocked (self, report, error);
    }

  return _herald_store_write_end (self->store, owned, ok, error);
}

/* Re-applies one kept update row (a one-update notification). */
static gboolean
reapply_row (HeraldStatusApplier  *self,
             gint64                id,
             const char           *payload,
             HeraldApplyReport    *report,
             GError              **error)
{
  g_autoptr(GPtrArray) updates = herald_webhook_parse ((const guint8 *) payload, strlen (payload), NULL);
  const HeraldWebhookUpdate *update;
  g_autofree char *problem = NULL;
  Outcome outcome;

  if (updates == NULL || updates->len != 1)
    return mark_row (self, id, FALSE, _("The recorded event cannot be read"), error);

  update = g_ptr_array_index (updates, 0);
  if (update->kind == HERALD_WEBHOOK_UPDATE_MALFORMED)
    return mark_row (self, id, FALSE, update->problem, error);

  if (!apply_update (self, update, &outcome, &problem, error))
    return FALSE;
  count_outcome (report, update, outcome, TRUE);

  /* Still kept: leave the row as it was. */
  if (outcome == OUTCOME_KEPT)
    return TRUE;

  return mark_row (self, id, TRUE, problem, error);
}

typedef struct
{
  gint64  id;
  char   *event_type;
  char   *payload;
  gint64  relay_seq;
  char   *signature;
} KeptRow;

static void
kept_row_free (KeptRow *row)
{
  g_free (row->event_type);
  g_free (row->payload);
  g_free (row->signature);
  g_free (row);
}

/* Reads the rows @stmt selects (id, event_type, payload, relay_seq,
 * signature) before any of them is changed. */
static GPtrArray *
read_kept_rows (HeraldStatusApplier  *self,
                sqlite3_stmt         *stmt,
                GError              **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) kept_row_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KeptRow *row = g_new0 (KeptRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->event_type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->payload = g_strndup ((const char *) sqlite3_column_blob (stmt, 2),
                                sqlite3_column_bytes (stmt, 2));
      row->relay_seq = sqlite3_column_int64 (stmt, 3);
      row->signature = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      g_ptr_array_add (rows, row);
    }

  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (self->store), rc, _("read webhook events"), error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

static gboolean
apply_pending_unlocked (HeraldStatusApplier  *self,
                        HeraldApplyReport    *report,
                        GError              **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  /* Kept statuses whose message has its wamid now; the processed index
   * keeps this cheap while few are kept. */
  stmt = _herald_store_prepare_cached (self->store,
                                       "SELECT e.id, e.event_type, e.payload, e.relay_seq, e.signature"
                                       " FROM webhook_events e"
                                       " WHERE e.processed = 0"
                                       " AND e.event_type IN ('message_sent', 'message_delivered',"
                                       "                      'message_read', 'message_failed')"
                                       " AND EXISTS (SELECT 1 FROM message_logs m"
                                       "             WHERE m.wa_message_id = e.wa_message_id)"
                                       " ORDER BY e.id",
                                       error);
  if (stmt == NULL)
    return FALSE;

  rows = read_kept_rows (self, stmt, error);
  if (rows == NULL)
    return FALSE;
  g_clear_pointer (&stmt, _herald_store_stmt_release);

  for (guint i = 0; i < rows->len; i++)
    {
      KeptRow *row = g_ptr_array_index (rows, i);

      if (!reapply_row (self, row->id, row->payload, report, error))
        return FALSE;
    }

  /* Every call ends here: a status may have settled a campaign's last
   * message in doubt. */
  return _herald_campaign_complete_settled (self->store, self->now, error);
}

gboolean
herald_status_applier_apply_pending (HeraldStatusApplier  *self,
                                     HeraldApplyReport    *report,
                                     GError              **error)
{
  gboolean owned;
  gboolean ok;

  g_return_val_if_fail (HERALD_IS_STATUS_APPLIER (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (!_herald_store_write_begin (self->store, &owned, error))
    return FALSE;

  ok = begin_call (self, error) && apply_pending_unlocked (self, report, error);

  return _herald_store_write_end (self->store, owned, ok, error);
}

static gboolean
reprocess_row (HeraldStatusApplier  *self,
               KeptRow              *row,
               const char           *app_secret,
               HeraldApplyReport    *report,
               GError              **error)
{
  gsize len = strlen (row->payload);

  if (!g_str_equal (row->event_type, EVENT_NOTIFICATION))
    return reapply_row (self, row->id, row->payload, report, error);

  /* A relay payload is trusted only with a good signature; one from the
   * operator (no relay seq) needs none. */
  if (row->relay_seq > 0)
    {
      const char *rejection;

      if (app_secret == NULL)
        return TRUE;
      rejection = check_signature (app_secret, (const guint8 *) row->payload, len, row->signature);
      if (rejection != NULL)
        {
          report->rejected++;
          g_free (report->problem);
          report->problem = g_strdup (rejection);
          return mark_row (self, row->id, FALSE, rejection, error);
        }
    }

  return apply_body (self, row->id, (const guint8 *) row->payload, len, report, error);
}

gboolean
herald_status_applier_reprocess (HeraldStatusApplier  *self,
                                 const char           *app_secret,
                                 HeraldApplyReport    *report,
                                 GError              **error)
{
  gint64 after = 0;

  g_return_val_if_fail (HERALD_IS_STATUS_APPLIER (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  /* A page per transaction, by keyset: rows applied now are processed and
   * rows still kept lie behind the cursor, so each is tried once. */
  for (;;)
    {
      g_autoptr(HeraldStoreStmt) stmt = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      gboolean owned;
      gboolean ok = TRUE;

      if (!_herald_store_write_begin (self->store, &owned, error))
        return FALSE;

      if (!begin_call (self, error))
        return _herald_store_write_end (self->store, owned, FALSE, error);

      stmt = _herald_store_prepare_cached (self->store,
                                           "SELECT id, event_type, payload, relay_seq, signature"
                                           " FROM webhook_events WHERE processed = 0 AND id > ?1"
                                           " ORDER BY id LIMIT ?2",
                                           error);
      if (stmt == NULL)
        return _herald_store_write_end (self->store, owned, FALSE, error);
      sqlite3_bind_int64 (stmt, 1, after);
      sqlite3_bind_int (stmt, 2, REPROCESS_PAGE);
      rows = read_kept_rows (self, stmt, error);
      g_clear_pointer (&stmt, _herald_store_stmt_release);
      if (rows == NULL)
        return _herald_store_write_end (self->store, owned, FALSE, error);

      for (guint i = 0; ok && i < rows->len; i++)
        {
          KeptRow *row = g_ptr_array_index (rows, i);

          ok = reprocess_row (self, row, app_secret, report, error);
          after = row->id;
        }

      if (ok)
        ok = apply_pending_unlocked (self, report, error);

      if (!_herald_store_write_end (self->store, owned, ok, error))
        return FALSE;
      if (rows->len < REPROCESS_PAGE)
        return TRUE;
    }
}

void
herald_webhook_event_free (HeraldWebhookEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->event_type);
  g_free (event->wa_message_id);
  g_free (event->processed_at);
  g_free (event->created_at);
  g_free (event->error);
  g_free (event);
}

GPtrArray *
herald_status_applier_list_events (HeraldStatusApplier  *self,
                                   gboolean              unprocessed_only,
                                   gint64                after_id,
                                   guint                 limit,
                                   GError              **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) events = NULL;
  int rc;

  g_return_val_if_fail (HERALD_IS_STATUS_APPLIER (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  stmt = _herald_store_prepare_cached (self->store,
                                       "SELECT id, event_type, wa_message_id, processed, processed_at,"
                                       " created_at, relay_seq, error FROM webhook_events"
                                       " WHERE id > ?1 AND (NOT ?2 OR processed = 0)"
                                       " ORDER BY id LIMIT ?3",
                                       error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int (stmt, 2, !!unprocessed_only);
  sqlite3_bind_int (stmt, 3, (int) MIN (limit, G_MAXINT));

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_webhook_event_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeraldWebhookEvent *event = g_new0 (HeraldWebhookEvent, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->event_type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      event->wa_message_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      event->processed = sqlite3_column_int (stmt, 3) != 0;
      event->processed_at = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      event->created_at = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      event->relay_seq = sqlite3_column_int64 (stmt, 6);
      event->error = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_ptr_array_add (events, event);
    }

  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (self->store), rc, _("read webhook events"), error);
      return NULL;
    }

  return g_steal_pointer (&events);
}
