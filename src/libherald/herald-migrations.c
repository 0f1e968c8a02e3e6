/* herald-migrations.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "herald-migrations.h"
#include "herald-store-private.h"

/* Migration 1: the seed's seven tables (shared/seeds/000_d7221825d9910b71.txt),
 * in its order, translated to SQLite, plus the settings table.
 *
 * Translation, for every table:
 * - STRICT tables, so a value of the wrong type is refused, not coerced.
 * - BIGINT ... AUTO_INCREMENT becomes INTEGER PRIMARY KEY AUTOINCREMENT: ids are
 *   never reused, which matters because a message_logs id travels to Meta as
 *   biz_opaque_callback_data and may come back in a late webhook.
 * - VARCHAR, TEXT, JSON and ENUM become TEXT; TIMESTAMP becomes TEXT holding
 *   ISO-8601 UTC 'YYYY-MM-DDTHH:MM:SS.sssZ', which sorts as time does.
 * - ENUMs become CHECK constraints with the names of herald-types.h; JSON
 *   columns CHECK json_valid ().
 * - BOOLEAN becomes INTEGER CHECK (x IN (0, 1)), and NOT NULL with the seed's
 *   default: a NULL flag or counter would mean nothing, and every reader
 *   would have to guess it. The same holds for the seed's counters.
 * - The seed's indexes keep its names' intent: <table>_<columns>.
 */
static const char migration_1[] =
  "CREATE TABLE business_profiles ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  business_name TEXT NOT NULL,"
  "  whatsapp_business_id TEXT,"
  "  app_id TEXT,"
  "  phone_number_id TEXT,"
  "  created_at TEXT,"
  "  updated_at TEXT"
  ") STRICT;"

  /* No access_token column: tokens live in the desktop keyring (libsecret),
   * never in the database.
   * Added, from Meta's phone number object, so the app can show them and the
   * sender can pace itself: verified_name, quality_rating, throughput_level,
   * messaging_limit_tier, messages_per_second (the Cloud API default is 80),
   * and is_sandbox for numbers served by herald-sim in Sandbox mode. */
  "CREATE TABLE whatsapp_numbers ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  phone_number_id TEXT NOT NULL,"
  "  phone_number TEXT NOT NULL,"
  "  display_name TEXT,"
  "  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),"
  "  verified_at TEXT,"
  "  created_at TEXT,"
  "  updated_at TEXT,"
  "  verified_name TEXT,"
  "  quality_rating TEXT,"
  "  throughput_level TEXT,"
  "  messaging_limit_tier TEXT,"
  "  messages_per_second INTEGER NOT NULL DEFAULT 80 CHECK (messages_per_second > 0),"
  "  is_sandbox INTEGER NOT NULL DEFAULT 0 CHECK (is_sandbox IN (0, 1))"
  ") STRICT;"
  "CREATE UNIQUE INDEX whatsapp_numbers_phone_number_id ON whatsapp_numbers (phone_number_id);"
  "CREATE INDEX whatsapp_numbers_is_active ON whatsapp_numbers (is_active);"

  /* Added: opted_out, opted_out_reason, opted_out_at (a STOP reply or the
   * user; opted-out contacts are never sent to), and attributes, a JSON
   * object of the custom columns of an imported CSV, for template variables.
   * The seed lists an index on mobile_number and an optional unique one; the
   * unique index serves both (lookups and duplicate detection), and numbers
   * are stored normalized to E.164, so one contact per number. */
  "CREATE TABLE contacts ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name TEXT NOT NULL,"
  "  mobile_number TEXT NOT NULL,"
  "  email TEXT,"
  "  notes TEXT,"
  "  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),"
  "  created_at TEXT,"
  "  updated_at TEXT,"
  "  opted_out INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),"
  "  opted_out_reason TEXT,"
  "  opted_out_at TEXT,"
  "  attributes TEXT NOT NULL DEFAULT '{}'"
  "    CHECK (json_valid (attributes) AND json_type (attributes) = 'object')"
  ") STRICT;"
  "CREATE UNIQUE INDEX contacts_mobile_number ON contacts (mobile_number);"
  "CREATE INDEX contacts_is_active ON contacts (is_active);"

  /* Unique on (name, language) instead of name alone: Meta keeps one
   * template per name and language, so a name may exist in several
   * languages. language is therefore NOT NULL (with the seed's default), as
   * NULLs would never collide. status adds the states Meta reports later in
   * a template's life (herald-types.h), and rejected_reason says why Meta
   * refused one. An index on meta_template_id serves status updates from
   * Meta, which name the template by that id. */
  "CREATE TABLE templates ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name TEXT NOT NULL,"
  "  language TEXT NOT NULL DEFAULT 'en',"
  "  category TEXT NOT NULL"
  "    CHECK (category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION')),"
  "  body TEXT NOT NULL,"
  "  header_type TEXT CHECK (header_type IN ('TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT')),"
  "  header_content TEXT,"
  "  footer TEXT,"
  "  buttons TEXT CHECK (buttons IS NULL OR json_valid (buttons)),"
  "  variables TEXT NOT NULL CHECK (json_valid (variables)),"
  "  status TEXT NOT NULL DEFAULT 'DRAFT'"
  "    CHECK (status IN ('DRAFT', 'PENDING', 'APPROVED', 'REJECTED', 'PAUSED',"
  "                      'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED',"
  "                      'ARCHIVED', 'LIMIT_EXCEEDED')),"
  "  meta_template_id TEXT,"
  "  created_at TEXT,"
  "  updated_at TEXT,"
  "  rejected_reason TEXT"
  ") STRICT;"
  "CREATE UNIQUE INDEX templates_name_language ON templates (name, language);"
  "CREATE INDEX templates_status ON templates (status);"
  "CREATE INDEX templates_category ON templates (category);"
  "CREATE INDEX templates_meta_template_id ON templates (meta_template_id);"

  /* status adds PAUSED (by the user, or by the engine when Meta stops the
   * number or template; paused_reason says which) and CANCELLED. Added
   * variable_bindings: a JSON object mapping each template variable to a
   * contact field or fixed text, so a campaign can be resumed after a
   * restart with the same parameters. */
  "CREATE TABLE campaigns ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name TEXT,"
  "  whatsapp_number_id INTEGER NOT NULL"
  "    REFERENCES whatsapp_numbers (id) ON DELETE RESTRICT,"
  "  template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE RESTRICT,"
  "  total_messages INTEGER NOT NULL DEFAULT 0 CHECK (total_messages >= 0),"
  "  sent_count INTEGER NOT NULL DEFAULT 0 CHECK (sent_count >= 0),"
  "  delivered_count INTEGER NOT NULL DEFAULT 0 CHECK (delivered_count >= 0),"
  "  read_count INTEGER NOT NULL DEFAULT 0 CHECK (read_count >= 0),"
  "  failed_count INTEGER NOT NULL DEFAULT 0 CHECK (failed_count >= 0),"
  "  status TEXT NOT NULL DEFAULT 'PENDING'"
  "    CHECK (status IN ('PENDING', 'PROCESSING', 'PAUSED', 'COMPLETED',"
  "                      'FAILED', 'CANCELLED')),"
  "  started_at TEXT,"
  "  completed_at TEXT,"
  "  created_at TEXT,"
  "  updated_at TEXT,"
  "  variable_bindings TEXT NOT NULL DEFAULT '{}'"
  "    CHECK (json_valid (variable_bindings) AND json_type (variable_bindings) = 'object'),"
  "  paused_reason TEXT"
  ") STRICT;"
  "CREATE INDEX campaigns_whatsapp_number_id ON campaigns (whatsapp_number_id);"
  "CREATE INDEX campaigns_template_id ON campaigns (template_id);"
  "CREATE INDEX campaigns_status ON campaigns (status);"
  "CREATE INDEX campaigns_created_at ON campaigns (created_at);"

  /* Added: claimed_at, set and committed before a message's request leaves,
   * so after a crash a claimed message that is still PENDING is "in doubt"
   * and is never re-sent blindly (a partial index finds those quickly);
   * parameters, the JSON of the rendered values sent, so a retry sends the
   * same; error_code, Meta's numeric error code, which decides retry or
   * fail; wa_id, the WhatsApp id Meta resolved the number to;
   * next_attempt_at, when a message Meta asked to retry later (throttling,
   * pair rate, 5xx) is due again, so backoff survives a restart. */
  "CREATE TABLE message_logs ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,"
  "  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE RESTRICT,"
  "  whatsapp_number_id INTEGER NOT NULL"
  "    REFERENCES whatsapp_numbers (id) ON DELETE RESTRICT,"
  "  template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE RESTRICT,"
  "  wa_message_id TEXT,"
  "  mobile_number TEXT NOT NULL,"
  "  message_content TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'PENDING'"
  "    CHECK (status IN ('PENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED')),"
  "  error_message TEXT,"
  "  sent_at TEXT,"
  "  delivered_at TEXT,"
  "  read_at TEXT,"
  "  failed_at TEXT,"
  "  retry_count INTEGER NOT NULL DEFAULT 0 CHECK (retry_count >= 0),"
  "  created_at TEXT,"
  "  updated_at TEXT,"
  "  claimed_at TEXT,"
  "  parameters TEXT CHECK (parameters IS NULL OR json_valid (parameters)),"
  "  error_code INTEGER,"
  "  wa_id TEXT,"
  "  next_attempt_at TEXT"
  ") STRICT;"
  "CREATE INDEX message_logs_campaign_id ON message_logs (campaign_id);"
  "CREATE INDEX message_logs_contact_id ON message_logs (contact_id);"
  "CREATE INDEX message_logs_whatsapp_number_id ON message_logs (whatsapp_number_id);"
  "CREATE INDEX message_logs_template_id ON message_logs (template_id);"
  "CREATE INDEX message_logs_mobile_number ON message_logs (mobile_number);"
  "CREATE INDEX message_logs_status ON message_logs (status);"
  "CREATE INDEX message_logs_wa_message_id ON message_logs (wa_message_id);"
  "CREATE INDEX message_logs_created_at ON message_logs (created_at);"
  "CREATE INDEX message_logs_campaign_id_status ON message_logs (campaign_id, status);"
  "CREATE INDEX message_logs_in_doubt ON message_logs (campaign_id, claimed_at)"
  "  WHERE claimed_at IS NOT NULL AND status = 'PENDING';"

  /* Added: relay_url and relay_seq, the relay's address and sequence
   * number, unique together so that an event is stored (and applied) once
   * however often it is polled, and a new relay (which counts from 1 again)
   * is not taken for the old one; signature, the
   * X-Hub-Signature-256 header as received, checked here because the relay
   * is not trusted; error, why an event could not be applied. wa_message_id
   * is '' for events that name no message (template status updates,
   * inbound replies), as the seed makes it NOT NULL. payload has no
   * json_valid () check: a body that is not JSON is still kept, with its
   * error, as the audit trail it is meant to be. The seed's index on
   * processed serves the processing queue: it is partial, on the unprocessed
   * rows only, so it stays small however many events were applied. */
  "CREATE TABLE webhook_events ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  event_type TEXT NOT NULL,"
  "  wa_message_id TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  processed INTEGER NOT NULL DEFAULT 0 CHECK (processed IN (0, 1)),"
  "  processed_at TEXT,"
  "  created_at TEXT,"
  "  updated_at TEXT,"
  "  relay_url TEXT,"
  "  relay_seq INTEGER,"
  "  signature TEXT,"
  "  error TEXT"
  ") STRICT;"
  "CREATE INDEX webhook_events_wa_message_id ON webhook_events (wa_message_id);"
  "CREATE INDEX webhook_events_processed ON webhook_events (id) WHERE processed = 0;"
  "CREATE INDEX webhook_events_created_at ON webhook_events (created_at);"
  "CREATE UNIQUE INDEX webhook_events_relay_url_relay_seq ON webhook_events (relay_url, relay_seq);"

  /* Not in the seed: small values the app keeps between runs (the relay
   * URL and its cursor, the last campaign's choices). */
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") STRICT;"

  /* Not in the seed: a campaign's counters are kept by triggers, so they
   * change in the same transaction as the message_logs rows they count,
   * whoever writes those rows (the sender, the webhook feed, a retry), and
   * can never drift from them. The funnel: sent_count counts sent_at, and so
   * on; failed_count counts status FAILED. */
  "CREATE TRIGGER message_logs_count_insert AFTER INSERT ON message_logs BEGIN"
  "  UPDATE campaigns SET"
  "    total_messages = total_messages + 1,"
  "    sent_count = sent_count + (NEW.sent_at IS NOT NULL),"
  "    delivered_count = delivered_count + (NEW.delivered_at IS NOT NULL),"
  "    read_count = read_count + (NEW.read_at IS NOT NULL),"
  "    failed_count = failed_count + (NEW.status = 'FAILED')"
  "  WHERE id = NEW.campaign_id;"
  "END;"
  "CREATE TRIGGER message_logs_count_update"
  "  AFTER UPDATE OF sent_at, delivered_at, read_at, status ON message_logs"
  "  WHEN (OLD.sent_at IS NULL) IS NOT (NEW.sent_at IS NULL)"
  "    OR (OLD.delivered_at IS NULL) IS NOT (NEW.delivered_at IS NULL)"
  "    OR (OLD.read_at IS NULL) IS NOT (NEW.read_at IS NULL)"
  "    OR (OLD.status = 'FAILED') IS NOT (NEW.status = 'FAILED')"
  "BEGIN"
  "  UPDATE campaigns SET"
  "    sent_count = sent_count + (NEW.sent_at IS NOT NULL) - (OLD.sent_at IS NOT NULL),"
  "    delivered_count = delivered_count"
  "      + (NEW.delivered_at IS NOT NULL) - (OLD.delivered_at IS NOT NULL),"
  "    read_count = read_count + (NEW.read_at IS NOT NULL) - (OLD.read_at IS NOT NULL),"
  "    failed_count = failed_count + (NEW.status = 'FAILED') - (OLD.status = 'FAILED')"
  "  WHERE id = NEW.campaign_id;"
  "END;"
  "CREATE TRIGGER message_logs_count_delete AFTER DELETE ON message_logs BEGIN"
  "  UPDATE campaigns SET"
  "    total_messages = total_messages - 1,"
  "    sent_count = sent_count - (OLD.sent_at IS NOT NULL),"
  "    delivered_count = delivered_count - (OLD.delivered_at IS NOT NULL),"
  "    read_count = read_count - (OLD.read_at IS NOT NULL),"
  "    failed_count = failed_count - (OLD.status = 'FAILED')"
  "  WHERE id = OLD.campaign_id;"
  "END;";

/* Migration 2: contacts_search, a trigram index over the contact columns a
 * search matches (name, mobile_number, email), so a search of three or more
 * characters reads its candidates instead of scanning every contact. It is
 * an external-content table: it keeps no copy of the text, and its rowid is
 * contacts.id, so search results page by id like the list.
 *
 * Triggers record every change to those columns in contacts_search_pending
 * (the index's own commands: 'delete' with the old values, NULL to add the
 * new ones) and the store folds the queue into the index with one statement
 * before each commit (herald-store.c, apply_search_changes), so both change
 * in the same transaction. Not straight from the triggers: SQLite 3.40's FTS5
 * writes its pending terms to disk at the start of every statement of a
 * transaction, so indexing row by row made an import of 100,000 contacts
 * (100,000 statements) five times slower. An update is recorded only when a
 * searched column changed, as an import refreshes many unchanged contacts.
 * columnsize=0: nothing ranks results, so per-row token counts would be
 * dead weight. The last statement indexes the contacts already there. */
static const char migration_2[] =
  "CREATE VIRTUAL TABLE contacts_search USING fts5 ("
  "  name, mobile_number, email,"
  "  content = 'contacts', content_rowid = 'id',"
  "  tokenize = 'trigram', columnsize = 0"
  ");"
  "CREATE TABLE contacts_search_pending ("
  "  seq INTEGER PRIMARY KEY,"
  "  command TEXT CHECK (command IS NULL OR command = 'delete'),"
  "  id INTEGER NOT NULL,"
  "  name TEXT,"
  "  mobile_number TEXT,"
  "  email TEXT"
  ") STRICT;"
  "CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN"
  "  INSERT INTO contacts_search_pending (command, id, name, mobile_number, email)"
  "    VALUES (NULL, NEW.id, NEW.name, NEW.mobile_number, NEW.email);"
  "END;"
  "CREATE TRIGGER contacts_search_update AFTER UPDATE OF name, mobile_number, email ON contacts"
  "  WHEN OLD.name IS NOT NEW.name OR OLD.mobile_number IS NOT NEW.mobile_number"
  "    OR OLD.email IS NOT NEW.email "
  "BEGIN"
  "  INSERT INTO contacts_search_pending (command, id, name, mobile_number, email)"
  "    VALUES ('delete', OLD.id, OLD.name, OLD.mobile_number, OLD.email),"
  "           (NULL, NEW.id, NEW.name, NEW.mobile_number, NEW.email);"
  "END;"
  "CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN"
  "  INSERT INTO contacts_search_pending (command, id, name, mobile_number, email)"
  "    VALUES ('delete', OLD.id, OLD.name, OLD.mobile_number, OLD.email);"
  "END;"
  "INSERT INTO contacts_search (contacts_search) VALUES ('rebuild');";

/* Migration 3: templates.sandbox_status, the Sandbox's own review of a
 * template (the in-app herald-sim, business account HERALD_SANDBOX_WABA_ID),
 * beside Meta's in status: NULL when it was never sent to the Sandbox, else
 * one of status's names. A deviation from the seed, which has one status:
 * with one, a Sandbox approval read as Meta's, a real number was offered
 * the template and Meta refused it (132001). No column for the sim's
 * template id: the sim lives in memory, its ids start again with every run,
 * and the app names its templates there by name and language.
 *
 * Before this, a Sandbox submit or sync wrote the sim's id and review into
 * meta_template_id and status. Such rows are told apart by the sim's ids,
 * 10^15 + n (herald-sim-server.c, next_numeric_id: "1000000000000001", …,
 * n counted from 1 in each run), and only where the Sandbox was set up (its
 * number, is_sandbox = 1): their review moves to sandbox_status, and as Meta
 * never saw them they are DRAFT again, without Meta id or Meta's reason. A
 * real template whose Meta id happened to have that form would only lose
 * its status until the next sync from Meta, which restores id and status;
 * leaving a Sandbox approval in status would send campaigns on real numbers
 * into Meta's 132001. The Sandbox's sample template, sandbox_welcome, was
 * stored APPROVED without any Meta id: it becomes DRAFT, APPROVED in the
 * Sandbox. */
static const char migration_3[] =
  "ALTER TABLE templates ADD COLUMN sandbox_status TEXT"
  "  CHECK (sandbox_status IN ('DRAFT', 'PENDING', 'APPROVED', 'REJECTED', 'PAUSED',"
  "                            'DISABLED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED',"
  "                            'ARCHIVED', 'LIMIT_EXCEEDED'));"
  "UPDATE templates SET sandbox_status = status, status = 'DRAFT',"
  "    meta_template_id = NULL, rejected_reason = NULL"
  "  WHERE EXISTS (SELECT 1 FROM whatsapp_numbers WHERE is_sandbox = 1)"
  "    AND (meta_template_id GLOB '1000000000[0-9][0-9][0-9][0-9][0-9][0-9]'"
  "         OR (name = 'sandbox_welcome' AND language = 'en'"
  "             AND meta_template_id IS NULL AND status = 'APPROVED'));";

/* Versions count from 1: migrations[v - 1] brings a database from version
 * v - 1 to v. Append new ones; never edit a released one. */
static const char * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
};

int
_herald_migrations_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          const char  *what,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _herald_store_set_error (db, rc, what, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_user_version (sqlite3  *db,
                   int      *version,
                   GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _herald_store_set_error (db, rc, _("read the schema version"), error);
      return FALSE;
    }

  *version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
apply_migration (sqlite3  *db,
                 int       version,
                 GError  **error)
{
  g_autofree char *set_version = NULL;
  g_autoptr(GError) local_error = NULL;
  int current;

  if (!exec_sql (db, "BEGIN IMMEDIATE", _("start a schema update"), error))
    return FALSE;

  /* Another process may have migrated while we waited for the lock. */
  if (!read_user_version (db, &current, &local_error))
    goto failed;
  if (current >= version)
    return exec_sql (db, "COMMIT", _("finish a schema update"), error);

  /* PRAGMA takes no bound values; the version is our own integer. */
  set_version = g_strdup_printf ("PRAGMA user_version = %d", version);
  if (!exec_sql (db, migrations[version - 1], _("update the schema"), &local_error) ||
      !exec_sql (db, set_version, _("update the schema"), &local_error) ||
      !exec_sql (db, "COMMIT", _("finish a schema update"), &local_error))
    goto failed;

  return TRUE;

failed:
  if (!sqlite3_get_autocommit (db) &&
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
    g_warning ("Could not roll back schema update %d: %s", version, sqlite3_errmsg (db));
  g_prefix_error (&local_error, _("Schema update %d: "), version);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
_herald_migrations_run (sqlite3  *db,
                        GError  **error)
{
  int version;

  g_assert (db != NULL);

  if (!read_user_version (db, &version, error))
    return FALSE;

  if (version > _herald_migrations_latest_version ())
    {
      g_set_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_TOO_NEW,
                   _("The database was written by a newer version of Herald "
                     "(schema %d, this version knows %d)"),
                   version, _herald_migrations_latest_version ());
      return FALSE;
    }

  for (int v = version + 1; v <= _herald_migrations_latest_version (); v++)
    {
      if (!apply_migration (db, v, error))
        return FALSE;
    }

  return TRUE;
}
