/* herald-campaign.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "herald-campaign-private.h"
#include "herald-csv.h"
#include "herald-phone.h"
#include "herald-status-applier-private.h"
#include "herald-store-private.h"

G_DEFINE_QUARK (herald-campaign-error-quark, herald_campaign_error)

#define CONTACT_PAGE 1000

/* Spec */

typedef enum
{
  AUDIENCE_ALL,
  AUDIENCE_SELECTION,
  AUDIENCE_CHANGED_SINCE,
} AudienceKind;

typedef enum
{
  BINDING_FIELD_NAME,
  BINDING_FIELD_MOBILE_NUMBER,
  BINDING_FIELD_EMAIL,
  BINDING_FIELD_NOTES,
  BINDING_ATTRIBUTE,
  BINDING_TEXT,
} BindingKind;

typedef struct
{
  char        *variable;
  char        *binding;   /* as the user wrote it, stored in variable_bindings */
  BindingKind  kind;
  const char  *argument;  /* attribute key or text, inside @binding */
} Binding;

struct _HeraldCampaignSpec
{
  gint64        number_id;
  gint64        template_id;
  char         *name;
  char         *header_media;
  AudienceKind  audience;
  GArray       *contact_ids;
  char         *changed_since;
  GPtrArray    *bindings;
};

static void
binding_free (Binding *binding)
{
  g_free (binding->variable);
  g_free (binding->binding);
  g_free (binding);
}

HeraldCampaignSpec *
herald_campaign_spec_new (gint64 number_id,
                          gint64 template_id)
{
  HeraldCampaignSpec *spec = g_new0 (HeraldCampaignSpec, 1);

  spec->number_id = number_id;
  spec->template_id = template_id;
  spec->bindings = g_ptr_array_new_with_free_func ((GDestroyNotify) binding_free);
  return spec;
}

void
herald_campaign_spec_free (HeraldCampaignSpec *spec)
{
  if (spec == NULL)
    return;

  g_free (spec->name);
  g_free (spec->header_media);
  g_clear_pointer (&spec->contact_ids, g_array_unref);
  g_free (spec->changed_since);
  g_ptr_array_unref (spec->bindings);
  g_free (spec);
}

void
herald_campaign_spec_set_name (HeraldCampaignSpec *spec,
                               const char         *name)
{
  g_return_if_fail (spec != NULL);

  _herald_set_str (&spec->name, name);
}

void
herald_campaign_spec_set_header_media (HeraldCampaignSpec *spec,
                                       const char         *link)
{
  g_return_if_fail (spec != NULL);

  _herald_set_str (&spec->header_media, link);
}

void
herald_campaign_spec_select_contacts (HeraldCampaignSpec *spec,
                                      const gint64       *contact_ids,
                                      guint               n_contact_ids)
{
  g_return_if_fail (spec != NULL);
  g_return_if_fail (contact_ids != NULL || n_contact_ids == 0);

  g_clear_pointer (&spec->contact_ids, g_array_unref);
  spec->contact_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_contact_ids);
  g_array_append_vals (spec->contact_ids, contact_ids, n_contact_ids);
  spec->audience = AUDIENCE_SELECTION;
}

void
herald_campaign_spec_select_changed_since (HeraldCampaignSpec *spec,
                                           const char         *timestamp)
{
  g_return_if_fail (spec != NULL);
  g_return_if_fail (timestamp != NULL);

  _herald_set_str (&spec->changed_since, timestamp);
  spec->audience = AUDIENCE_CHANGED_SINCE;
}

gboolean
herald_campaign_spec_bind (HeraldCampaignSpec  *spec,
                           const char          *variable,
                           const char          *binding,
                           GError             **error)
{
  static const struct { const char *name; BindingKind kind; } fields[] = {
    { "name", BINDING_FIELD_NAME },
    { "mobile_number", BINDING_FIELD_MOBILE_NUMBER },
    { "email", BINDING_FIELD_EMAIL },
    { "notes", BINDING_FIELD_NOTES },
  };
  Binding *b;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (variable != NULL, FALSE);
  g_return_val_if_fail (binding != NULL, FALSE);

  b = g_new0 (Binding, 1);
  b->variable = g_strdup (variable);
  b->binding = g_strdup (binding);

  if (binding[0] == '=')
    {
      b->kind = BINDING_TEXT;
      b->argument = b->binding + 1;
    }
  else if (g_str_has_prefix (binding, "attr:") && binding[5] != '\0')
    {
      b->kind = BINDING_ATTRIBUTE;
      b->argument = b->binding + 5;
    }
  else
    {
      gsize i;

      for (i = 0; i < G_N_ELEMENTS (fields); i++)
        if (g_str_equal (binding, fields[i].name))
          break;
      if (i == G_N_ELEMENTS (fields))
        {
          g_set_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_INVALID,
                       _("Variable %s: “%s” is not a contact field (name, mobile_number, email, "
                         "notes), attr:KEY or =TEXT"), variable, binding);
          binding_free (b);
          return FALSE;
        }
      b->kind = fields[i].kind;
    }

  for (guint i = 0; i < spec->bindings->len; i++)
    if (g_str_equal (((Binding *) g_ptr_array_index (spec->bindings, i))->variable, variable))
      {
        g_ptr_array_remove_index (spec->bindings, i);
        break;
      }
  g_ptr_array_add (spec->bindings, b);
  return TRUE;
}

void
herald_campaign_report_free (HeraldCampaignReport *report)
{
  if (report == NULL)
    return;

  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report);
}

void
herald_in_doubt_message_free (HeraldInDoubtMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->mobile_number);
  g_free (message->contact_name);
  g_free (message->claimed_at);
  g_free (message->error_message);
  g_free (message);
}

/* The campaign row */

struct _HeraldCampaign
{
  GObject              parent_instance;

  gint64               id;
  char                *name;
  gint64               number_id;
  gint64               template_id;
  gint64               counts[5];
  HeraldCampaignStatus status;
  char                *started_at;
  char                *completed_at;
  char                *created_at;
  char                *variable_bindings;
  char                *paused_reason;
};

G_DEFINE_FINAL_TYPE (HeraldCampaign, herald_campaign, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_STATUS,
  PROP_TOTAL_MESSAGES,
  PROP_SENT_COUNT,
  PROP_DELIVERED_COUNT,
  PROP_READ_COUNT,
  PROP_FAILED_COUNT,
  PROP_PAUSED_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
herald_campaign_finalize (GObject *object)
{
  HeraldCampaign *self = HERALD_CAMPAIGN (object);

  g_free (self->name);
  g_free (self->started_at);
  g_free (self->completed_at);
  g_free (self->created_at);
  g_free (self->variable_bindings);
  g_free (self->paused_reason);

  G_OBJECT_CLASS (herald_campaign_parent_class)->finalize (object);
}

static void
herald_campaign_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HeraldCampaign *self = HERALD_CAMPAIGN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_TOTAL_MESSAGES:
    case PROP_SENT_COUNT:
    case PROP_DELIVERED_COUNT:
    case PROP_READ_COUNT:
    case PROP_FAILED_COUNT:
      g_value_set_int64 (value, self->counts[prop_id - PROP_TOTAL_MESSAGES]);
      break;
    case PROP_PAUSED_REASON:
      g_value_set_string (value, self->paused_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_campaign_class_init (HeraldCampaignClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  static const char * const count_names[] = {
    "total-messages", "sent-count", "delivered-count", "read-count", "failed-count",
  };

  object_class->finalize = herald_campaign_finalize;
  object_class->get_property = herald_campaign_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /* A HeraldCampaignStatus. */
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL,
                                              HERALD_CAMPAIGN_PENDING, HERALD_CAMPAIGN_CANCELLED,
                                              HERALD_CAMPAIGN_PENDING, flags);
  for (guint i = 0; i < G_N_ELEMENTS (count_names); i++)
    properties[PROP_TOTAL_MESSAGES + i] = g_param_spec_int64 (count_names[i], NULL, NULL,
                                                              0, G_MAXINT64, 0, flags);
  /* Why the campaign is paused or failed, for people; NULL otherwise. */
  properties[PROP_PAUSED_REASON] = g_param_spec_string ("paused-reason", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_campaign_init (HeraldCampaign *self)
{
}

gint64 herald_campaign_get_id (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), 0); return self->id; }
const char *herald_campaign_get_name (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), NULL); return self->name; }
gint64 herald_campaign_get_number_id (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), 0); return self->number_id; }
gint64 herald_campaign_get_template_id (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), 0); return self->template_id; }
HeraldCampaignStatus herald_campaign_get_status (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), 0); return self->status; }
gint64 herald_campaign_get_total_messages (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), 0); return self->counts[0]; }
gint64 herald_campaign_get_sent_count (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), 0); return self->counts[1]; }
gint64 herald_campaign_get_delivered_count (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), 0); return self->counts[2]; }
gint64 herald_campaign_get_read_count (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), 0); return self->counts[3]; }
gint64 herald_campaign_get_failed_count (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), 0); return self->counts[4]; }
const char *herald_campaign_get_started_at (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), NULL); return self->started_at; }
const char *herald_campaign_get_completed_at (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), NULL); return self->completed_at; }
const char *herald_campaign_get_created_at (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), NULL); return self->created_at; }
const char *herald_campaign_get_paused_reason (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), NULL); return self->paused_reason; }
const char *herald_campaign_get_variable_bindings (HeraldCampaign *self) { g_return_val_if_fail (HERALD_IS_CAMPAIGN (self), NULL); return self->variable_bindings; }

#define CAMPAIGN_COLUMNS \
  "id, name, whatsapp_number_id, template_id, total_messages, sent_count, delivered_count," \
  " read_count, failed_count, status, started_at, completed_at, created_at," \
  " variable_bindings, paused_reason"

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static HeraldCampaign *
campaign_from_row (sqlite3_stmt *stmt)
{
  HeraldCampaign *self = g_object_new (HERALD_TYPE_CAMPAIGN, NULL);
  HeraldCampaignStatus status = HERALD_CAMPAIGN_PENDING;

  self->id = sqlite3_column_int64 (stmt, 0);
  self->name = column_text (stmt, 1);
  self->number_id = sqlite3_column_int64 (stmt, 2);
  self->template_id = sqlite3_column_int64 (stmt, 3);
  for (guint i = 0; i < G_N_ELEMENTS (self->counts); i++)
    self->counts[i] = sqlite3_column_int64 (stmt, 4 + i);
  herald_campaign_status_from_string ((const char *) sqlite3_column_text (stmt, 9), &status);
  self->status = status;
  self->started_at = column_text (stmt, 10);
  self->completed_at = column_text (stmt, 11);
  self->created_at = column_text (stmt, 12);
  self->variable_bindings = column_text (stmt, 13);
  self->paused_reason = column_text (stmt, 14);
  return self;
}

static void
set_not_found (GError **error,
               gint64   id)
{
  g_set_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_NOT_FOUND,
               _("There is no campaign %" PRId64), id);
}

HeraldCampaign *
herald_campaign_load (HeraldStore  *store,
                      gint64        id,
                      GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);

  stmt = _herald_store_prepare_cached (store, "SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return campaign_from_row (stmt);
  if (rc == SQLITE_DONE)
    set_not_found (error, id);
  else
    _herald_store_set_error (herald_store_get_db (store), rc, _("read the campaign"), error);
  return NULL;
}

GPtrArray *
herald_campaign_list (HeraldStore  *store,
                      GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) campaigns = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);

  stmt = _herald_store_prepare_cached (store, "SELECT " CAMPAIGN_COLUMNS " FROM campaigns ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (campaigns, campaign_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("list campaigns"), error);
      return NULL;
    }
  return g_steal_pointer (&campaigns);
}

/* Runs @sql with @id bound to ?1 and returns its one integer. */
static gboolean
query_int64 (HeraldStore  *store,
             const char   *sql,
             gint64        id,
             const char   *text,
             gint64       *result,
             GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("count messages"), error);
      return FALSE;
    }
  *result = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gint64
herald_campaign_count_in_doubt (HeraldStore  *store,
                                gint64        id,
                                GError      **error)
{
  gint64 n = -1;

  g_return_val_if_fail (HERALD_IS_STORE (store), -1);

  if (!query_int64 (store,
                    "SELECT count(*) FROM message_logs WHERE campaign_id = ?1"
                    " AND claimed_at IS NOT NULL AND status = 'PENDING'",
                    id, NULL, &n, error))
    return -1;
  return n;
}

/* Creation */

typedef struct
{
  HeraldStore        *store;
  HeraldCampaignSpec *spec;
  HeraldTemplate     *template;
  gint64              campaign_id;
  HeraldCampaignReport *report;
  GHashTable         *seen_numbers;
  GHashTable         *values;
  JsonParser         *parser;
  char               *now;
  gboolean            needs_attributes;
  gboolean            real_number;   /* not the Sandbox: fictional numbers can't be reached */
} Creation;

#define CONTACT_SELECT "SELECT id, name, mobile_number, email, notes, is_active, opted_out, attributes FROM contacts"

static const char *
binding_value (const Binding *binding,
               sqlite3_stmt  *row,
               JsonObject    *attributes)
{
  switch (binding->kind)
    {
    case BINDING_FIELD_NAME:
      return (const char *) sqlite3_column_text (row, 1);
    case BINDING_FIELD_MOBILE_NUMBER:
      return (const char *) sqlite3_column_text (row, 2);
    case BINDING_FIELD_EMAIL:
      return (const char *) sqlite3_column_text (row, 3);
    case BINDING_FIELD_NOTES:
      return (const char *) sqlite3_column_text (row, 4);
    case BINDING_ATTRIBUTE:
      if (attributes != NULL && json_object_has_member (attributes, binding->argument))
        {
          JsonNode *node = json_object_get_member (attributes, binding->argument);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            return json_node_get_string (node);
        }
      return NULL;
    case BINDING_TEXT:
      return binding->argument;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
add_recipient (Creation      *c,
               sqlite3_stmt  *row,
               GError       **error)
{
  g_autoptr(HeraldStoreStmt) insert = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) parameters = NULL;
  g_autofree char *parameters_json = NULL;
  g_autofree char *content = NULL;
  JsonObject *attributes = NULL;
  const char *mobile = (const char *) sqlite3_column_text (row, 2);
  const char *empty_variable = NULL;
  int rc;

  if (!sqlite3_column_int (row, 5))
    {
      c->report->inactive++;
      return TRUE;
    }
  if (sqlite3_column_int (row, 6))
    {
      c->report->opted_out++;
      return TRUE;
    }
  if (c->real_number && herald_phone_is_fictional (mobile))
    {
      c->report->fictional++;
      return TRUE;
    }
  if (c->seen_numbers != NULL && !g_hash_table_add (c->seen_numbers, g_strdup (mobile)))
    {
      c->report->duplicates++;
      return TRUE;
    }

  if (c->needs_attributes &&
      json_parser_load_from_data (c->parser, (const char *) sqlite3_column_text (row, 7), -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (c->parser)))
    attributes = json_node_get_object (json_parser_get_root (c->parser));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  g_hash_table_remove_all (c->values);
  for (guint i = 0; i < c->spec->bindings->len; i++)
    {
      const Binding *binding = g_ptr_array_index (c->spec->bindings, i);
      const char *value = binding_value (binding, row, attributes);
      g_autofree char *stripped = g_strstrip (g_strdup (value ? value : ""));

      if (*stripped == '\0' && empty_variable == NULL)
        empty_variable = binding->variable;
      json_builder_set_member_name (builder, binding->variable);
      json_builder_add_string_value (builder, stripped);
      g_hash_table_insert (c->values, g_strdup (binding->variable), g_steal_pointer (&stripped));
    }
  json_builder_end_object (builder);

  if (empty_variable != NULL)
    {
      c->report->missing_values++;
      if (c->report->problems->len < HERALD_CAMPAIGN_REPORT_PROBLEMS_MAX)
        g_ptr_array_add (c->report->problems,
                         g_strdup_printf (_("%s (%s): variable %s would be empty, left out"),
                                          (const char *) sqlite3_column_text (row, 1), mobile,
                                          empty_variable));
      return TRUE;
    }

  content = herald_template_render (c->template, c->values, error);
  if (content == NULL)
    return FALSE;
  parameters = json_builder_get_root (builder);
  parameters_json = json_to_string (parameters, FALSE);

  insert = _herald_store_prepare_cached (c->store,
                                         "INSERT INTO message_logs (campaign_id, contact_id,"
                                         " whatsapp_number_id, template_id, mobile_number,"
                                         " message_content, parameters, created_at, updated_at)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                                         error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, c->campaign_id);
  sqlite3_bind_int64 (insert, 2, sqlite3_column_int64 (row, 0));
  sqlite3_bind_int64 (insert, 3, c->spec->number_id);
  sqlite3_bind_int64 (insert, 4, c->spec->template_id);
  sqlite3_bind_text (insert, 5, mobile, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, content, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 7, parameters_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 8, c->now, -1, SQLITE_STATIC);
  rc = sqlite3_step (insert);
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (c->store), rc, _("write a campaign message"), error);
      return FALSE;
    }

  c->report->recipients++;
  return TRUE;
}

static gboolean
add_audience (Creation  *c,
              GError   **error)
{
  int rc;

  if (c->spec->audience == AUDIENCE_SELECTION)
    {
      for (guint i = 0; i < c->spec->contact_ids->len; i++)
        {
          g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (c->store, CONTACT_SELECT " WHERE id = ?1", error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, g_array_index (c->spec->contact_ids, gint64, i));
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_DONE)
            {
              g_set_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_NOT_FOUND,
                           _("There is no contact %" PRId64),
                           g_array_index (c->spec->contact_ids, gint64, i));
              return FALSE;
            }
          if (rc != SQLITE_ROW)
            {
              _herald_store_set_error (herald_store_get_db (c->store), rc, _("read contacts"), error);
              return FALSE;
            }
          if (!add_recipient (c, stmt, error))
            return FALSE;
        }
      return TRUE;
    }

  /* Keyset pages, so memory stays flat however many contacts there are. */
  for (gint64 after = 0;;)
    {
      g_autoptr(HeraldStoreStmt) stmt = NULL;
      guint n = 0;

      stmt = _herald_store_prepare_cached (c->store,
                                           CONTACT_SELECT " WHERE id > ?1"
                                           " AND (?2 IS NULL OR created_at >= ?2 OR updated_at >= ?2)"
                                           " ORDER BY id LIMIT ?3",
                                           error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, after);
      if (c->spec->audience == AUDIENCE_CHANGED_SINCE)
        sqlite3_bind_text (stmt, 2, c->spec->changed_since, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, CONTACT_PAGE);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          n++;
          after = sqlite3_column_int64 (stmt, 0);
          if (!add_recipient (c, stmt, error))
            return FALSE;
        }
      if (rc != SQLITE_DONE)
        {
          _herald_store_set_error (herald_store_get_db (c->store), rc, _("read contacts"), error);
          return FALSE;
        }
      if (n < CONTACT_PAGE)
        return TRUE;
    }
}

static char *
bindings_to_json (HeraldCampaignSpec *spec)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "variables");
  json_builder_begin_object (builder);
  for (guint i = 0; i < spec->bindings->len; i++)
    {
      const Binding *binding = g_ptr_array_index (spec->bindings, i);

      json_builder_set_member_name (builder, binding->variable);
      json_builder_add_string_value (builder, binding->binding);
    }
  json_builder_end_object (builder);
  if (spec->header_media != NULL)
    {
      json_builder_set_member_name (builder, "header_media");
      json_builder_add_string_value (builder, spec->header_media);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
check_spec (HeraldCampaignSpec  *spec,
            HeraldTemplate      *template,
            HeraldNumber        *number,
            GError             **error)
{
  g_auto(GStrv) names = herald_template_get_variable_names (template);

  /* Only Meta's approval lets a real number send; a Sandbox approval is
   * not Meta's. The Sandbox number sends any template: the Sandbox approves
   * it in its sim when the campaign starts (herald_sandbox_prepare_template_async). */
  if (!herald_number_get_is_sandbox (number) &&
      herald_template_get_status (template) != HERALD_TEMPLATE_APPROVED)
    {
      g_set_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_INVALID,
                   _("The template “%s” is not approved by WhatsApp (it is %s)"),
                   herald_template_get_name (template),
                   herald_template_status_to_string (herald_template_get_status (template)));
      return FALSE;
    }
  if (!herald_number_get_is_active (number))
    {
      g_set_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_INVALID,
                   _("The number %s is switched off"), herald_number_get_phone_number (number));
      return FALSE;
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      gboolean bound = FALSE;

      for (guint j = 0; j < spec->bindings->len && !bound; j++)
        bound = g_str_equal (((Binding *) g_ptr_array_index (spec->bindings, j))->variable, names[i]);
      if (!bound)
        {
          g_set_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_INVALID,
                       _("The template variable %s has no value: give a contact field, attr:KEY or =TEXT"),
                       names[i]);
          return FALSE;
        }
    }
  for (guint j = 0; j < spec->bindings->len; j++)
    {
      const Binding *binding = g_ptr_array_index (spec->bindings, j);

      if (!g_strv_contains ((const char * const *) names, binding->variable))
        {
          g_set_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_INVALID,
                       _("The template “%s” has no variable %s"),
                       herald_template_get_name (template), binding->variable);
          return FALSE;
        }
    }

  if (herald_template_get_header_type (template) != HERALD_HEADER_NONE &&
      herald_template_get_header_type (template) != HERALD_HEADER_TEXT &&
      spec->header_media == NULL && herald_template_get_header_content (template) == NULL)
    {
      g_set_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_INVALID,
                   _("The template “%s” has a media header: give a link to the media"),
                   herald_template_get_name (template));
      return FALSE;
    }

  return TRUE;
}

HeraldCampaign *
herald_campaign_create (HeraldStore            *store,
                        HeraldCampaignSpec     *spec,
                        HeraldCampaignReport  **report,
                        GError                **error)
{
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldCampaignReport) local_report = g_new0 (HeraldCampaignReport, 1);
  g_autoptr(HeraldStoreStmt) insert = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = _herald_store_timestamp (NULL);
  g_autofree char *bindings = NULL;
  g_autofree char *name = NULL;
  Creation c = { 0 };
  gboolean owned;
  gboolean ok;
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  local_report->problems = g_ptr_array_new_with_free_func (g_free);

  template = herald_store_get_template (store, spec->template_id, error);
  if (template == NULL)
    return NULL;
  number = herald_store_get_number (store, spec->number_id, error);
  if (number == NULL)
    return NULL;
  if (!check_spec (spec, template, number, error))
    return NULL;

  if (spec->name != NULL && *g_strstrip (spec->name) != '\0')
    name = g_strdup (spec->name);
  else
    {
      g_autoptr(GDateTime) local = g_date_time_new_now_local ();
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");

      /* TRANSLATORS: a campaign's generated name: template, date and time */
      name = g_strdup_printf (_("%s, %s"), herald_template_get_name (template), when);
    }
  bindings = bindings_to_json (spec);

  /* Contacts are unique by number; a selection may still name one twice. */
  if (spec->audience == AUDIENCE_SELECTION)
    seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!_herald_store_write_begin (store, &owned, error))
    return NULL;

  insert = _herald_store_prepare_cached (store,
                                         "INSERT INTO campaigns (name, whatsapp_number_id, template_id,"
                                         " status, created_at, updated_at, variable_bindings)"
                                         " VALUES (?1, ?2, ?3, 'PENDING', ?4, ?4, ?5)",
                                         &local_error);
  ok = insert != NULL;
  if (ok)
    {
      sqlite3_bind_text (insert, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 2, spec->number_id);
      sqlite3_bind_int64 (insert, 3, spec->template_id);
      sqlite3_bind_text (insert, 4, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 5, bindings, -1, SQLITE_STATIC);
      rc = sqlite3_step (insert);
      if (rc != SQLITE_DONE)
        {
          _herald_store_set_error (herald_store_get_db (store), rc, _("create the campaign"), &local_error);
          ok = FALSE;
        }
    }

  if (ok)
    {
      c.store = store;
      c.spec = spec;
      c.template = template;
      c.real_number = !herald_number_get_is_sandbox (number);
      c.campaign_id = sqlite3_last_insert_rowid (herald_store_get_db (store));
      c.report = local_report;
      c.seen_numbers = seen;
      c.values = values;
      c.parser = parser;
      c.now = now;
      for (guint i = 0; i < spec->bindings->len; i++)
        if (((Binding *) g_ptr_array_index (spec->bindings, i))->kind == BINDING_ATTRIBUTE)
          c.needs_attributes = TRUE;
      ok = add_audience (&c, &local_error);
    }

  if (ok && local_report->recipients == 0)
    {
      g_set_error (&local_error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_NO_RECIPIENTS,
                   _("Nobody to send to: %u opted out, %u inactive, %u repeated, %u with an empty variable"),
                   local_report->opted_out, local_report->inactive, local_report->duplicates,
                   local_report->missing_values);
      ok = FALSE;
    }

  if (!_herald_store_write_end (store, owned, ok, ok ? &local_error : NULL) || !ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (report != NULL)
    *report = g_steal_pointer (&local_report);
  return herald_campaign_load (store, c.campaign_id, error);
}

/* Pre-flight */

static gint64
tier_limit (const char *tier)
{
  static const struct { const char *tier; gint64 limit; } tiers[] = {
    { "TIER_50", 50 }, { "TIER_250", 250 }, { "TIER_1K", 1000 }, { "TIER_2K", 2000 },
    { "TIER_10K", 10000 }, { "TIER_100K", 100000 },
  };

  for (gsize i = 0; tier != NULL && i < G_N_ELEMENTS (tiers); i++)
    if (g_str_equal (tier, tiers[i].tier))
      return tiers[i].limit;
  return -1;
}

/* Meta applies the messaging limit to the business portfolio: every number
 * in it shares the highest tier any of them reached, and the unique users
 * of all of them count against it. Herald's database is one portfolio.
 * Returns -1 when a number is unlimited or no tier is known. */
static gboolean
portfolio_limit (HeraldStore  *store,
                 gint64       *limit,
                 GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  gint64 highest = -1;
  int rc;

  stmt = _herald_store_prepare_cached (store,
                                       "SELECT DISTINCT messaging_limit_tier FROM whatsapp_numbers"
                                       " WHERE messaging_limit_tier IS NOT NULL",
                                       error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *tier = (const char *) sqlite3_column_text (stmt, 0);

      if (g_str_equal (tier, "TIER_UNLIMITED"))
        {
          *limit = -1;
          return TRUE;
        }
      highest = MAX (highest, tier_limit (tier));
    }
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("read the numbers"), error);
      return FALSE;
    }
  *limit = highest;
  return TRUE;
}

gboolean
herald_campaign_preflight (HeraldStore             *store,
                           gint64                   id,
                           guint                    rate_override,
                           HeraldCampaignPreflight *preflight,
                           GError                 **error)
{
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) day_ago = g_date_time_add_days (now, -1);
  g_autofree char *since = _herald_store_timestamp (day_ago);
  gint64 recipients, in_doubt, reached, new_numbers;

  g_return_val_if_fail (HERALD_IS_STORE (store), FALSE);
  g_return_val_if_fail (preflight != NULL, FALSE);

  campaign = herald_campaign_load (store, id, error);
  if (campaign == NULL)
    return FALSE;
  number = herald_store_get_number (store, campaign->number_id, error);
  if (number == NULL)
    return FALSE;

  if (!query_int64 (store,
                    "SELECT count(*) FROM message_logs WHERE campaign_id = ?1"
                    " AND status = 'PENDING' AND claimed_at IS NULL",
                    id, NULL, &recipients, error) ||
      !query_int64 (store,
                    "SELECT count(*) FROM message_logs WHERE campaign_id = ?1"
                    " AND status = 'PENDING' AND claimed_at IS NOT NULL",
                    id, NULL, &in_doubt, error) ||
      /* All numbers' messages: the portfolio's unique users. */
      !query_int64 (store,
                    "SELECT count(DISTINCT mobile_number) FROM message_logs"
                    " WHERE sent_at >= ?2 AND ?1 IS NOT NULL",
                    id, since, &reached, error) ||
      !query_int64 (store,
                    "SELECT count(DISTINCT mobile_number) FROM message_logs"
                    " WHERE campaign_id = ?1 AND status = 'PENDING' AND claimed_at IS NULL"
                    " AND mobile_number NOT IN (SELECT mobile_number FROM message_logs WHERE sent_at >= ?2)",
                    id, since, &new_numbers, error) ||
      !portfolio_limit (store, &preflight->messaging_limit, error))
    return FALSE;

  preflight->recipients = recipients;
  preflight->in_doubt = in_doubt;
  preflight->reached_24h = reached;
  preflight->over_limit = 0;
  if (preflight->messaging_limit >= 0)
    {
      gint64 allowed = MAX (0, preflight->messaging_limit - reached);

      preflight->over_limit = MAX (0, new_numbers - allowed);
    }
  preflight->messages_per_second = rate_override > 0 ? rate_override
                                                     : herald_number_get_messages_per_second (number);
  preflight->seconds = (double) recipients / MAX (1, preflight->messages_per_second);
  return TRUE;
}

/* Controls */

/* Moves the campaign from one of @from (a NULL-terminated list) to @to. */
static gboolean
change_status (HeraldStore          *store,
               gint64                id,
               const char * const   *from,
               const char           *to,
               const char           *reason,
               GError              **error)
{
  g_autoptr(HeraldCampaign) campaign = herald_campaign_load (store, id, error);
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autofree char *now = _herald_store_timestamp (NULL);
  const char *current;
  int rc;

  if (campaign == NULL)
    return FALSE;
  current = herald_campaign_status_to_string (campaign->status);
  if (!g_strv_contains (from, current))
    {
      g_set_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_STATE,
                   _("Campaign %" PRId64 " is %s: it cannot become %s"), id, current, to);
      return FALSE;
    }

  stmt = _herald_store_prepare_cached (store,
                                       "UPDATE campaigns SET status = ?2, paused_reason = ?3, updated_at = ?4,"
                                       " completed_at = CASE WHEN ?2 = 'CANCELLED' THEN ?4 ELSE completed_at END"
                                       " WHERE id = ?1 AND status = ?5",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, current, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("change the campaign"), error);
      return FALSE;
    }
  if (sqlite3_changes (herald_store_get_db (store)) == 0)
    {
      g_set_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_STATE,
                   _("Campaign %" PRId64 " changed meanwhile; try again"), id);
      return FALSE;
    }
  return TRUE;
}

gboolean
herald_campaign_pause (HeraldStore  *store,
                       gint64        id,
                       GError      **error)
{
  static const char * const from[] = { "PENDING", "PROCESSING", NULL };

  g_return_val_if_fail (HERALD_IS_STORE (store), FALSE);
  return change_status (store, id, from, "PAUSED", _("Paused by you"), error);
}

gboolean
herald_campaign_resume (HeraldStore  *store,
                        gint64        id,
                        GError      **error)
{
  static const char * const from[] = { "PAUSED", NULL };

  g_return_val_if_fail (HERALD_IS_STORE (store), FALSE);
  return change_status (store, id, from, "PENDING", NULL, error);
}

gboolean
herald_campaign_cancel (HeraldStore  *store,
                        gint64        id,
                        GError      **error)
{
  static const char * const from[] = { "PENDING", "PROCESSING", "PAUSED", NULL };

  g_return_val_if_fail (HERALD_IS_STORE (store), FALSE);
  return change_status (store, id, from, "CANCELLED", NULL, error);
}

gboolean
_herald_campaign_complete_settled (HeraldStore  *store,
                                   const char   *now,
                                   GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;

  /* A paused campaign with nothing PENDING has nothing left to send or to
   * wait for: the sender left it paused only for messages in doubt, and
   * their webhooks have now settled them. A campaign paused by the user or
   * by Meta still has PENDING messages and stays paused. */
  stmt = _herald_store_prepare_cached (store,
                                       "UPDATE campaigns SET status = 'COMPLETED', paused_reason = NULL,"
                                       " completed_at = ?1, updated_at = ?1"
                                       " WHERE status = 'PAUSED' AND NOT EXISTS (SELECT 1 FROM message_logs m"
                                       "   WHERE m.campaign_id = campaigns.id AND m.status = 'PENDING')",
                                       error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  return _herald_store_step (store, stmt, _("complete the campaign"), error);
}

/* Whether a message that failed with @code may succeed another time. */
static gboolean
reason_can_change (gint64 code)
{
  g_autoptr(GError) error = g_error_new_literal (HERALD_CLOUD_ERROR, (int) code, "");
  HeraldCloudVerdict verdict = herald_cloud_error_get_verdict (error, NULL);

  return verdict == HERALD_CLOUD_VERDICT_RETRY_LATER || verdict == HERALD_CLOUD_VERDICT_STOP_CAMPAIGN;
}

/* Reopens a finished campaign whose messages were put back in the queue. */
static gboolean
reopen (HeraldStore  *store,
        gint64        id,
        GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (store,
                                                                  "UPDATE campaigns SET status = 'PENDING',"
                                                                  " completed_at = NULL, paused_reason = NULL"
                                                                  " WHERE id = ?1 AND status IN ('COMPLETED', 'FAILED')",
                                                                  error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _herald_store_step (store, stmt, _("reopen the campaign"), error);
}

/* Runs a write of message rows chosen by @select (?1 = campaign id) and
 * changed one by one by @update (?1 = message id); returns the count. */
static gint64
update_messages (HeraldStore  *store,
                 gint64        id,
                 GArray       *message_ids,
                 const char   *select,
                 const char   *update,
                 gboolean    (*keep) (sqlite3_stmt *row),
                 GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = _herald_store_timestamp (NULL);
  gint64 changed = 0;
  gboolean owned;
  gboolean ok = TRUE;
  int rc;

  if (!_herald_store_write_begin (store, &owned, error))
    return -1;

  {
    g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (store, select, &local_error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, id);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          {
            gint64 message_id = sqlite3_column_int64 (stmt, 0);
            gboolean wanted = message_ids == NULL;

            for (guint i = 0; !wanted && i < message_ids->len; i++)
              wanted = g_array_index (message_ids, gint64, i) == message_id;
            if (wanted && (keep == NULL || keep (stmt)))
              g_array_append_val (ids, message_id);
          }
        if (rc != SQLITE_DONE)
          {
            _herald_store_set_error (herald_store_get_db (store), rc, _("read messages"), &local_error);
            ok = FALSE;
          }
      }
  }

  for (guint i = 0; ok && i < ids->len; i++)
    {
      g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (store, update, &local_error);

      ok = stmt != NULL;
      if (!ok)
        break;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      if (sqlite3_bind_parameter_count (stmt) >= 3)
        sqlite3_bind_text (stmt, 3, _("Dropped by you: it may or may not have been sent"), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          _herald_store_set_error (herald_store_get_db (store), rc, _("change messages"), &local_error);
          ok = FALSE;
        }
      changed += sqlite3_changes (herald_store_get_db (store));
    }

  if (ok && changed > 0)
    ok = reopen (store, id, &local_error);

  if (!_herald_store_write_end (store, owned, ok, ok ? &local_error : NULL) || !ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  return changed;
}

static gboolean
keep_changeable (sqlite3_stmt *row)
{
  return sqlite3_column_type (row, 1) != SQLITE_NULL && reason_can_change (sqlite3_column_int64 (row, 1));
}

gint64
herald_campaign_retry_failed (HeraldStore  *store,
                              gint64        id,
                              GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (store), -1);

  /* Never a message Meta accepted (sent_at): it failed after delivery. */
  return update_messages (store, id, NULL,
                          "SELECT id, error_code FROM message_logs WHERE campaign_id = ?1"
                          " AND status = 'FAILED' AND sent_at IS NULL",
                          "UPDATE message_logs SET status = 'PENDING', failed_at = NULL,"
                          " claimed_at = NULL, next_attempt_at = NULL, retry_count = 0,"
                          " error_code = NULL, error_message = NULL, updated_at = ?2"
                          " WHERE id = ?1 AND status = 'FAILED' AND sent_at IS NULL",
                          keep_changeable, error);
}

GPtrArray *
herald_campaign_list_in_doubt (HeraldStore  *store,
                               gint64        id,
                               GError      **error)
{
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_in_doubt_message_free);
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);

  stmt = _herald_store_prepare_cached (store,
                                       "SELECT m.id, m.mobile_number, c.name, m.claimed_at, m.error_message"
                                       " FROM message_logs m JOIN contacts c ON c.id = m.contact_id"
                                       " WHERE m.campaign_id = ?1 AND m.claimed_at IS NOT NULL"
                                       " AND m.status = 'PENDING' ORDER BY m.id",
                                       error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HeraldInDoubtMessage *message = g_new0 (HeraldInDoubtMessage, 1);

      message->id = sqlite3_column_int64 (stmt, 0);
      message->mobile_number = column_text (stmt, 1);
      message->contact_name = column_text (stmt, 2);
      message->claimed_at = column_text (stmt, 3);
      message->error_message = column_text (stmt, 4);
      g_ptr_array_add (list, message);
    }
  if (rc != SQLITE_DONE)
    {
      _herald_store_set_error (herald_store_get_db (store), rc, _("list messages in doubt"), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

#define IN_DOUBT_SELECT \
  "SELECT id FROM message_logs WHERE campaign_id = ?1 AND claimed_at IS NOT NULL AND status = 'PENDING'"

gint64
herald_campaign_retry_in_doubt (HeraldStore  *store,
                                gint64        id,
                                GArray       *message_ids,
                                GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (store), -1);

  return update_messages (store, id, message_ids, IN_DOUBT_SELECT,
                          "UPDATE message_logs SET claimed_at = NULL, next_attempt_at = NULL,"
                          " error_message = NULL, updated_at = ?2"
                          " WHERE id = ?1 AND claimed_at IS NOT NULL AND status = 'PENDING'",
                          NULL, error);
}

gint64
herald_campaign_drop_in_doubt (HeraldStore  *store,
                               gint64        id,
                               GArray       *message_ids,
                               GError      **error)
{
  g_return_val_if_fail (HERALD_IS_STORE (store), -1);

  return update_messages (store, id, message_ids, IN_DOUBT_SELECT,
                          "UPDATE message_logs SET status = 'FAILED', failed_at = ?2,"
                          " error_code = NULL, error_message = ?3, updated_at = ?2"
                          " WHERE id = ?1 AND claimed_at IS NOT NULL AND status = 'PENDING'",
                          NULL, error);
}

/* Export */

static gboolean
write_row (HeraldCsvWriter     *writer,
           GPtrArray           *fields,
           GCancellable        *cancellable,
           GError             **error)
{
  return herald_csv_writer_write_record (writer, (const char * const *) fields->pdata, fields->len,
                                         cancellable, error);
}

gboolean
herald_campaign_export (HeraldStore   *store,
                        gint64         id,
                        GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  static const char * const columns[] = {
    "name", "mobile_number", "email", "notes",
  };
  static const char * const appended[] = {
    "status", "sent_at", "delivered_at", "read_at", "failed_at", "error_code", "reason",
  };
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(HeraldCsvWriter) writer = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) key_set = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  int rc;

  g_return_val_if_fail (HERALD_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  campaign = herald_campaign_load (store, id, error);
  if (campaign == NULL)
    return FALSE;

  /* Pass 1: the attribute columns this audience has, in first-seen order. */
  {
    g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (store,
      "SELECT DISTINCT j.key FROM message_logs m JOIN contacts c ON c.id = m.contact_id,"
      " json_each (c.attributes) j WHERE m.campaign_id = ?1 ORDER BY j.key", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        char *key = column_text (stmt, 0);

        g_ptr_array_add (keys, key);
        g_hash_table_add (key_set, key);
      }
    if (rc != SQLITE_DONE)
      {
        _herald_store_set_error (herald_store_get_db (store), rc, _("export the campaign"), error);
        return FALSE;
      }
  }

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (out == NULL)
    return FALSE;
  writer = herald_csv_writer_new (G_OUTPUT_STREAM (out), ',', FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
    g_ptr_array_add (fields, g_strdup (columns[i]));
  for (guint i = 0; i < keys->len; i++)
    g_ptr_array_add (fields, g_strdup (g_ptr_array_index (keys, i)));
  for (gsize i = 0; i < G_N_ELEMENTS (appended); i++)
    g_ptr_array_add (fields, g_strdup (appended[i]));
  if (!write_row (writer, fields, cancellable, error))
    return FALSE;

  /* Pass 2: one line per message, by keyset pages. */
  for (gint64 after = 0;;)
    {
      g_autoptr(HeraldStoreStmt) stmt = _herald_store_prepare_cached (store,
        "SELECT m.id, c.name, m.mobile_number, c.email, c.notes, c.attributes, m.status,"
        " m.sent_at, m.delivered_at, m.read_at, m.failed_at, m.error_code, m.error_message,"
        " m.claimed_at"
        " FROM message_logs m JOIN contacts c ON c.id = m.contact_id"
        " WHERE m.campaign_id = ?1 AND m.id > ?2 ORDER BY m.id LIMIT ?3", error);
      guint n = 0;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, after);
      sqlite3_bind_int (stmt, 3, CONTACT_PAGE);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          JsonObject *attributes = NULL;
          const char *status = (const char *) sqlite3_column_text (stmt, 6);

          n++;
          after = sqlite3_column_int64 (stmt, 0);
          g_ptr_array_set_size (fields, 0);
          for (int col = 1; col <= 4; col++)
            g_ptr_array_add (fields, g_strdup ((const char *) sqlite3_column_text (stmt, col)));

          if (keys->len > 0 &&
              json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 5), -1, NULL) &&
              JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
            attributes = json_node_get_object (json_parser_get_root (parser));
          for (guint k = 0; k < keys->len; k++)
            {
              const char *key = g_ptr_array_index (keys, k);
              JsonNode *node = attributes ? json_object_get_member (attributes, key) : NULL;

              g_ptr_array_add (fields, g_strdup (node && JSON_NODE_HOLDS_VALUE (node) &&
                                                 json_node_get_value_type (node) == G_TYPE_STRING
                                                   ? json_node_get_string (node) : ""));
            }

          /* A claimed message still PENDING is shown as in doubt, not as unsent. */
          if (g_strcmp0 (status, "PENDING") == 0 && sqlite3_column_type (stmt, 13) != SQLITE_NULL)
            status = "IN_DOUBT";
          g_ptr_array_add (fields, g_strdup (status));
          for (int col = 7; col <= 12; col++)
            g_ptr_array_add (fields, g_strdup ((const char *) sqlite3_column_text (stmt, col)));
          for (guint f = 0; f < fields->len; f++)
            if (g_ptr_array_index (fields, f) == NULL)
              g_ptr_array_index (fields, f) = g_strdup ("");
          if (!write_row (writer, fields, cancellable, error))
            return FALSE;
        }
      if (rc != SQLITE_DONE)
        {
          _herald_store_set_error (herald_store_get_db (store), rc, _("export the campaign"), error);
          return FALSE;
        }
      if (n < CONTACT_PAGE)
        break;
    }

  if (!herald_csv_writer_flush (writer, cancellable, error))
    return FALSE;
  return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}

/* Message parameters */

HeraldMessageParams *
_herald_campaign_params_from_json (const char *parameters,
                                   const char *header_media)
{
  g_autoptr(HeraldMessageParams) params = herald_message_params_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (parameters != NULL && json_parser_load_from_data (parser, parameters, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *object = json_node_get_object (json_parser_get_root (parser));
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &node))
        if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
          herald_message_params_set_value (params, name, json_node_get_string (node));
    }
  if (header_media != NULL)
    herald_message_params_set_header_media (params, header_media);
  return g_steal_pointer (&params);
}

/* Test send */

static void
on_test_send_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  HeraldSendResult *sent;

  sent = herald_cloud_client_send_template_finish (HERALD_CLOUD_CLIENT (source), result, &error);
  if (sent == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, sent, (GDestroyNotify) herald_send_result_free);
}

/* The header media link of a campaign's variable_bindings, or NULL. */
static char *
header_media_of (const char *variable_bindings)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (variable_bindings == NULL || !json_parser_load_from_data (parser, variable_bindings, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  return g_strdup (json_object_get_string_member_with_default (object, "header_media", NULL));
}

char *
_herald_campaign_get_header_media (HeraldCampaign *self)
{
  return header_media_of (self->variable_bindings);
}

void
herald_campaign_test_send_async (HeraldStore         *store,
                                 gint64               id,
                                 HeraldCloudClient   *client,
                                 const char          *to,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldCampaign) campaign = NULL;
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(HeraldNumber) number = NULL;
  g_autoptr(HeraldMessageParams) params = NULL;
  g_autoptr(HeraldStoreStmt) stmt = NULL;
  g_autofree char *header_media = NULL;
  int rc;

  g_return_if_fail (HERALD_IS_STORE (store));
  g_return_if_fail (HERALD_IS_CLOUD_CLIENT (client));
  g_return_if_fail (to != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_campaign_test_send_async);

  if ((campaign = herald_campaign_load (store, id, &error)) == NULL ||
      (template = herald_store_get_template (store, campaign->template_id, &error)) == NULL ||
      (number = herald_store_get_number (store, campaign->number_id, &error)) == NULL ||
      (stmt = _herald_store_prepare_cached (store,
                                            "SELECT parameters FROM message_logs WHERE campaign_id = ?1"
                                            " ORDER BY id LIMIT 1", &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      g_task_return_new_error (task, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_NO_RECIPIENTS,
                               _("Campaign %" PRId64 " has no messages"), id);
      return;
    }
  header_media = header_media_of (campaign->variable_bindings);
  params = _herald_campaign_params_from_json ((const char *) sqlite3_column_text (stmt, 0), header_media);

  herald_cloud_client_send_template_async (client, herald_number_get_phone_number_id (number), to,
                                           template, params, NULL, cancellable,
                                           on_test_send_cb, g_steal_pointer (&task));
}

HeraldSendResult *
herald_campaign_test_send_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == herald_campaign_test_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
