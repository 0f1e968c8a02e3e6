/* herald-webhook.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "herald-webhook.h"

#define SIGNATURE_PREFIX "sha256="

/* Meta's notifications nest about eight levels deep. json-glib 1.6 parses
 * recursively and overflows the stack on a few hundred thousand '[', which a
 * 4 MiB body can hold, so deeper input is refused before parsing. */
#define MAX_NESTING 64

G_DEFINE_QUARK (herald-webhook-error-quark, herald_webhook_error)

/* Returns "sha256=" followed by the lowercase hex HMAC-SHA256 of the exact
 * bytes given, keyed by the app secret. */
char *
herald_webhook_compute_signature (const char   *app_secret,
                                  const guint8 *body,
                                  gsize         body_len)
{
  g_autofree char *hex = NULL;

  g_return_val_if_fail (app_secret != NULL, NULL);
  g_return_val_if_fail (body != NULL || body_len == 0, NULL);

  hex = g_compute_hmac_for_data (G_CHECKSUM_SHA256,
                                 (const guchar *) app_secret, strlen (app_secret),
                                 body != NULL ? body : (const guint8 *) "", body_len);

  return g_strconcat (SIGNATURE_PREFIX, hex, NULL);
}

/* TRUE only when header_value is exactly "sha256=" and the 64 lowercase hex
 * digits of the body's HMAC. The digits are compared without stopping at the
 * first difference, so the time taken tells an attacker nothing about how
 * much of a forged signature was right. */
gboolean
herald_webhook_verify_signature (const char   *app_secret,
                                 const guint8 *body,
                                 gsize         body_len,
                                 const char   *header_value)
{
  g_autofree char *expected = NULL;
  guint8 difference = 0;

  g_return_val_if_fail (app_secret != NULL, FALSE);
  g_return_val_if_fail (body != NULL || body_len == 0, FALSE);

  if (header_value == NULL)
    return FALSE;

  expected = herald_webhook_compute_signature (app_secret, body, body_len);

  /* The length is not secret: a header of the wrong length fails at once. */
  if (strlen (header_value) != strlen (expected))
    return FALSE;

  for (gsize i = 0; expected[i] != '\0'; i++)
    difference |= (guint8) (expected[i] ^ header_value[i]);

  return difference == 0;
}

/* Every string field, so that copy and free cannot miss one. */
static const gsize update_string_fields[] = {
  G_STRUCT_OFFSET (HeraldWebhookUpdate, waba_id),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, phone_number_id),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, wamid),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, status_name),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, recipient_id),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, biz_opaque_callback_data),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, error_title),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, error_message),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, error_details),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, from),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, profile_name),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, message_type),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, text),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, button_payload),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, button_text),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, interactive_id),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, interactive_title),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, context_wamid),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, template_event),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, template_id),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, template_name),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, template_language),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, template_reason),
  G_STRUCT_OFFSET (HeraldWebhookUpdate, problem),
};

#define UPDATE_STRING(update, offset) G_STRUCT_MEMBER (char *, update, offset)

HeraldWebhookUpdate *
herald_webhook_update_copy (const HeraldWebhookUpdate *update)
{
  HeraldWebhookUpdate *copy;

  g_return_val_if_fail (update != NULL, NULL);

  copy = g_memdup2 (update, sizeof *update);
  for (guint i = 0; i < G_N_ELEMENTS (update_string_fields); i++)
    UPDATE_STRING (copy, update_string_fields[i]) =
      g_strdup (UPDATE_STRING (update, update_string_fields[i]));

  return copy;
}

void
herald_webhook_update_free (HeraldWebhookUpdate *update)
{
  if (update == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (update_string_fields); i++)
    g_free (UPDATE_STRING (update, update_string_fields[i]));
  g_free (update);
}

G_DEFINE_BOXED_TYPE (HeraldWebhookUpdate, herald_webhook_update,
                     herald_webhook_update_copy, herald_webhook_update_free)

/* Where the parser is: the entry's and the change's fields that every update
 * of that change carries. */
typedef struct
{
  const char *waba_id;
  const char *phone_number_id;
  gint64 entry_time;
} UpdateOrigin;

static HeraldWebhookUpdate *
update_new (HeraldWebhookUpdateKind  kind,
            const UpdateOrigin      *origin)
{
  HeraldWebhookUpdate *update = g_new0 (HeraldWebhookUpdate, 1);

  update->kind = kind;
  update->waba_id = g_strdup (origin->waba_id);
  update->phone_number_id = g_strdup (origin->phone_number_id);

  return update;
}

static void
add_malformed (GPtrArray          *updates,
               const UpdateOrigin *origin,
               const char         *problem)
{
  HeraldWebhookUpdate *update = update_new (HERALD_WEBHOOK_UPDATE_MALFORMED, origin);

  update->problem = g_strdup (problem);
  g_ptr_array_add (updates, update);
}

typedef enum
{
  PROBLEM_MISSING,
  PROBLEM_NOT_STRING,
  PROBLEM_NOT_OBJECT,
  PROBLEM_NOT_ARRAY,
  PROBLEM_NOT_INTEGER,
  PROBLEM_NOT_WHOLE_NUMBER,
  PROBLEM_NOT_SECONDS,
} MemberProblem;

/* Says where and what, e.g. "entry[0].changes[1].value: “statuses” is not an
 * array", and returns FALSE for the caller to pass on. */
static gboolean
set_member_error (GError        **error,
                  const char     *path,
                  const char     *member,
                  MemberProblem   problem)
{
  switch (problem)
    {
    case PROBLEM_MISSING:
      /* Translators: the first %s is where in the notification, e.g.
       * "entry[0].changes[1].value.statuses[3]"; the second a JSON member name. */
      g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
                   _("%s: “%s” is missing"), path, member);
      break;
    case PROBLEM_NOT_STRING:
      g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
                   _("%s: “%s” is not a string"), path, member);
      break;
    case PROBLEM_NOT_OBJECT:
      g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
                   _("%s: “%s” is not an object"), path, member);
      break;
    case PROBLEM_NOT_ARRAY:
      g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
                   _("%s: “%s” is not an array"), path, member);
      break;
    case PROBLEM_NOT_INTEGER:
      g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
                   _("%s: “%s” is not an integer"), path, member);
      break;
    case PROBLEM_NOT_WHOLE_NUMBER:
      g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
                   _("%s: “%s” is not a whole number"), path, member);
      break;
    case PROBLEM_NOT_SECONDS:
      g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
                   _("%s: “%s” is not a number of seconds"), path, member);
      break;
    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* A member that is absent or JSON null reads as missing. */
static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
node_holds_type (JsonNode *node,
                 GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
read_string (JsonObject  *object,
             const char  *path,
             const char  *member,
             gboolean     required,
             char       **out,
             GError     **error)
{
  JsonNode *node = get_member (object, member);

  g_assert (*out == NULL);

  if (node == NULL)
    return !required || set_member_error (error, path, member, PROBLEM_MISSING);
  if (!node_holds_type (node, G_TYPE_STRING))
    return set_member_error (error, path, member, PROBLEM_NOT_STRING);

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_object (JsonObject  *object,
             const char  *path,
             const char  *member,
             gboolean     required,
             JsonObject **out,
             GError     **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;
  if (node == NULL)
    return !required || set_member_error (error, path, member, PROBLEM_MISSING);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_member_error (error, path, member, PROBLEM_NOT_OBJECT);

  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_array (JsonObject  *object,
            const char  *path,
            const char  *member,
            gboolean     required,
            JsonArray  **out,
            GError     **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;
  if (node == NULL)
    return !required || set_member_error (error, path, member, PROBLEM_MISSING);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_member_error (error, path, member, PROBLEM_NOT_ARRAY);

  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
parse_decimal (const char *text,
               gint64     *out)
{
  return g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, out, NULL);
}

/* Timestamps come as decimal strings of Unix seconds ("1751142888"). */
static gboolean
read_timestamp (JsonObject *object,
                const char *path,
                const char *member,
                gint64     *out,
                GError    **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return set_member_error (error, path, member, PROBLEM_MISSING);
  if (!node_holds_type (node, G_TYPE_STRING))
    return set_member_error (error, path, member, PROBLEM_NOT_STRING);
  if (!parse_decimal (json_node_get_string (node), out))
    return set_member_error (error, path, member, PROBLEM_NOT_SECONDS);

  return TRUE;
}

/* Ids and times Meta writes sometimes as JSON numbers (message_template_id,
 * entry[].time) and sometimes as strings: take either, as long as it is a
 * whole number that is not negative. */
static gboolean
read_integer_or_digits (JsonObject *object,
                        const char *path,
                        const char *member,
                        gboolean    required,
                        gint64     *out,
                        GError    **error)
{
  JsonNode *node = get_member (object, member);

  *out = 0;
  if (node == NULL)
    return !required || set_member_error (error, path, member, PROBLEM_MISSING);
  if (node_holds_type (node, G_TYPE_INT64) && json_node_get_int (node) >= 0)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (node_holds_type (node, G_TYPE_STRING) && parse_decimal (json_node_get_string (node), out))
    return TRUE;

  return set_member_error (error, path, member, PROBLEM_NOT_WHOLE_NUMBER);
}

/* Reads one element of an errors[] array into the update. */
static gboolean
read_error_object (JsonObject           *error_object,
                   const char           *path,
                   HeraldWebhookUpdate  *update,
                   GError              **error)
{
  g_autofree char *data_path = g_strdup_printf ("%s.error_data", path);
  JsonNode *code = get_member (error_object, "code");
  JsonObject *error_data;

  if (code == NULL)
    return set_member_error (error, path, "code", PROBLEM_MISSING);
  if (!node_holds_type (code, G_TYPE_INT64))
    return set_member_error (error, path, "code", PROBLEM_NOT_INTEGER);
  update->error_code = json_node_get_int (code);

  if (!read_string (error_object, path, "title", FALSE, &update->error_title, error) ||
      !read_string (error_object, path, "message", FALSE, &update->error_message, error) ||
      !read_object (error_object, path, "error_data", FALSE, &error_data, error) ||
      (error_data != NULL &&
       !read_string (error_data, data_path, "details", FALSE, &update->error_details, error)))
    return FALSE;

  update->has_error = TRUE;
  return TRUE;
}

static gboolean
object_at (JsonArray   *array,
           guint        index,
           const char  *path,
           JsonObject **out,
           GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
                   _("%s is not an object"), path);
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

/* A status or message carries its errors in errors[]; the first says why. */
static gboolean
read_first_error (JsonObject           *object,
                  const char           *path,
                  HeraldWebhookUpdate  *update,
                  GError              **error)
{
  g_autofree char *error_path = g_strdup_printf ("%s.errors[0]", path);
  JsonArray *errors;
  JsonObject *error_object;

  if (!read_array (object, path, "errors", FALSE, &errors, error))
    return FALSE;
  if (errors == NULL || json_array_get_length (errors) == 0)
    return TRUE;

  return object_at (errors, 0, error_path, &error_object, error) &&
         read_error_object (error_object, error_path, update, error);
}

static const struct
{
  const char *name;
  HeraldMessageStatus status;
} webhook_statuses[] = {
  { "sent", HERALD_MESSAGE_SENT },
  { "delivered", HERALD_MESSAGE_DELIVERED },
  { "read", HERALD_MESSAGE_READ },
  /* A played voice message has been seen as surely as a read one. */
  { "played", HERALD_MESSAGE_READ },
  { "failed", HERALD_MESSAGE_FAILED },
};

static HeraldWebhookUpdate *
parse_status (JsonArray           *statuses,
              guint                index,
              const char          *path,
              const UpdateOrigin  *origin,
              gpointer             data,
              GError             **error)
{
  g_autoptr(HeraldWebhookUpdate) update = update_new (HERALD_WEBHOOK_UPDATE_STATUS, origin);
  JsonObject *object;

  if (!object_at (statuses, index, path, &object, error) ||
      !read_string (object, path, "id", TRUE, &update->wamid, error) ||
      !read_string (object, path, "status", TRUE, &update->status_name, error) ||
      !read_timestamp (object, path, "timestamp", &update->timestamp, error) ||
      !read_string (object, path, "recipient_id", FALSE, &update->recipient_id, error) ||
      !read_string (object, path, "biz_opaque_callback_data", FALSE,
                    &update->biz_opaque_callback_data, error) ||
      !read_first_error (object, path, update, error))
    return NULL;

  update->status = HERALD_MESSAGE_PENDING;
  for (guint i = 0; i < G_N_ELEMENTS (webhook_statuses); i++)
    {
      if (g_ascii_strcasecmp (update->status_name, webhook_statuses[i].name) == 0)
        {
          update->status = webhook_statuses[i].status;
          update->status_known = TRUE;
          break;
        }
    }

  return g_steal_pointer (&update);
}

static gboolean
read_reply (JsonObject           *interactive,
            const char           *path,
            const char           *member,
            HeraldWebhookUpdate  *update,
            GError              **error)
{
  g_autofree char *reply_path = g_strdup_printf ("%s.%s", path, member);
  JsonObject *reply;

  if (!read_object (interactive, path, member, FALSE, &reply, error))
    return FALSE;
  if (reply == NULL || update->interactive_id != NULL || update->interactive_title != NULL)
    return TRUE;

  return read_string (reply, reply_path, "id", FALSE, &update->interactive_id, error) &&
         read_string (reply, reply_path, "title", FALSE, &update->interactive_title, error);
}

static gboolean
read_inbound_content (JsonObject           *object,
                      const char           *path,
                      HeraldWebhookUpdate  *update,
                      GError              **error)
{
  g_autofree char *content_path = g_strdup_printf ("%s.%s", path, update->message_type);
  JsonObject *content;

  if (g_strcmp0 (update->message_type, "text") == 0)
    return read_object (object, path, "text", TRUE, &content, error) &&
           read_string (content, content_path, "body", TRUE, &update->text, error);

  if (g_strcmp0 (update->message_type, "button") == 0)
    return read_object (object, path, "button", TRUE, &content, error) &&
           read_string (content, content_path, "payload", FALSE, &update->button_payload, error) &&
           read_string (content, content_path, "text", FALSE, &update->button_text, error);

  if (g_strcmp0 (update->message_type, "interactive") == 0)
    return read_object (object, path, "interactive", TRUE, &content, error) &&
           read_reply (content, content_path, "button_reply", update, error) &&
           read_reply (content, content_path, "list_reply", update, error);

  /* Media, locations, reactions and the rest carry nothing Herald acts on. */
  return TRUE;
}

static const char *
find_profile_name (GHashTable *names_by_wa_id,
                   const char *from)
{
  const char *name = g_hash_table_lookup (names_by_wa_id, from);

  /* wa_id may differ from "from" (say, a number that changed format);
   * with a single contact in the change there is no doubt whose it is. */
  if (name == NULL && g_hash_table_size (names_by_wa_id) == 1)
    {
      GHashTableIter iter;

      g_hash_table_iter_init (&iter, names_by_wa_id);
      g_hash_table_iter_next (&iter, NULL, (gpointer *) &name);
    }

  return name;
}

static HeraldWebhookUpdate *
parse_inbound (JsonArray           *messages,
               guint                index,
               const char          *path,
               const UpdateOrigin  *origin,
               gpointer             names_by_wa_id,
               GError             **error)
{
  g_autoptr(HeraldWebhookUpdate) update = update_new (HERALD_WEBHOOK_UPDATE_INBOUND, origin);
  g_autofree char *context_path = g_strdup_printf ("%s.context", path);
  JsonObject *object;
  JsonObject *context;

  if (!object_at (messages, index, path, &object, error) ||
      !read_string (object, path, "from", TRUE, &update->from, error) ||
      !read_string (object, path, "id", TRUE, &update->wamid, error) ||
      !read_timestamp (object, path, "timestamp", &update->timestamp, error) ||
      !read_string (object, path, "type", TRUE, &update->message_type, error) ||
      !read_inbound_content (object, path, update, error) ||
      !read_object (object, path, "context", FALSE, &context, error) ||
      (context != NULL &&
       !read_string (context, context_path, "id", FALSE, &update->context_wamid, error)) ||
      !read_first_error (object, path, update, error))
    return NULL;

  update->profile_name = g_strdup (find_profile_name (names_by_wa_id, update->from));

  return g_steal_pointer (&update);
}

static HeraldWebhookUpdate *
parse_value_error (JsonArray           *errors,
                   guint                index,
                   const char          *path,
                   const UpdateOrigin  *origin,
                   gpointer             data,
                   GError             **error)
{
  g_autoptr(HeraldWebhookUpdate) update = update_new (HERALD_WEBHOOK_UPDATE_ERROR, origin);
  JsonObject *object;

  if (!object_at (errors, index, path, &object, error) ||
      !read_error_object (object, path, update, error))
    return NULL;

  return g_steal_pointer (&update);
}

typedef HeraldWebhookUpdate *(*ItemParser) (JsonArray           *array,
                                            guint                index,
                                            const char          *path,
                                            const UpdateOrigin  *origin,
                                            gpointer             data,
                                            GError             **error);

/* Parses each element of value.<member>[]; a bad element becomes a MALFORMED
 * update and the others are still read. */
static void
parse_items (JsonObject         *value,
             const char         *value_path,
             const char         *member,
             ItemParser          parse_item,
             gpointer            data,
             const UpdateOrigin *origin,
             GPtrArray          *updates)
{
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  if (!read_array (value, value_path, member, FALSE, &items, &error))
    {
      add_malformed (updates, origin, error->message);
      return;
    }
  if (items == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.%s[%u]", value_path, member, i);
      HeraldWebhookUpdate *update = parse_item (items, i, path, origin, data, &error);

      if (update != NULL)
        g_ptr_array_add (updates, update);
      else
        {
          add_malformed (updates, origin, error->message);
          g_clear_error (&error);
        }
    }
}

/* value.contacts[]: the senders' profile names, by wa_id. */
static GHashTable *
collect_profile_names (JsonObject         *value,
                       const char         *value_path,
                       const UpdateOrigin *origin,
                       GPtrArray          *updates)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  JsonArray *contacts;

  if (!read_array (value, value_path, "contacts", FALSE, &contacts, &error))
    {
      add_malformed (updates, origin, error->message);
      return g_steal_pointer (&names);
    }

  for (guint i = 0; contacts != NULL && i < json_array_get_length (contacts); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.contacts[%u]", value_path, i);
      g_autofree char *profile_path = g_strdup_printf ("%s.profile", path);
      g_autofree char *wa_id = NULL;
      g_autofree char *name = NULL;
      JsonObject *contact;
      JsonObject *profile = NULL;

      if (!object_at (contacts, i, path, &contact, &error) ||
          !read_string (contact, path, "wa_id", FALSE, &wa_id, &error) ||
          !read_object (contact, path, "profile", FALSE, &profile, &error) ||
          (profile != NULL &&
           !read_string (profile, profile_path, "name", FALSE, &name, &error)))
        {
          add_malformed (updates, origin, error->message);
          g_clear_error (&error);
          continue;
        }

      if (wa_id != NULL && name != NULL)
        g_hash_table_replace (names, g_steal_pointer (&wa_id), g_steal_pointer (&name));
    }

  return g_steal_pointer (&names);
}

static gboolean
parse_messages_change (JsonObject          *value,
                       const char          *value_path,
                       const UpdateOrigin  *entry_origin,
                       GPtrArray           *updates,
                       GError             **error)
{
  g_autofree char *metadata_path = g_strdup_printf ("%s.metadata", value_path);
  g_autofree char *phone_number_id = NULL;
  g_autoptr(GHashTable) names = NULL;
  UpdateOrigin origin = *entry_origin;
  JsonObject *metadata;

  if (!read_object (value, value_path, "metadata", FALSE, &metadata, error) ||
      (metadata != NULL &&
       !read_string (metadata, metadata_path, "phone_number_id", FALSE, &phone_number_id, error)))
    return FALSE;
  origin.phone_number_id = phone_number_id;

  parse_items (value, value_path, "statuses", parse_status, NULL, &origin, updates);
  names = collect_profile_names (value, value_path, &origin, updates);
  parse_items (value, value_path, "messages", parse_inbound, names, &origin, updates);
  parse_items (value, value_path, "errors", parse_value_error, NULL, &origin, updates);

  return TRUE;
}

static HeraldWebhookUpdate *
parse_template_status (JsonObject          *value,
                       const char          *value_path,
                       const UpdateOrigin  *origin,
                       GError             **error)
{
  g_autoptr(HeraldWebhookUpdate) update =
    update_new (HERALD_WEBHOOK_UPDATE_TEMPLATE_STATUS, origin);
  gint64 template_id;

  if (!read_string (value, value_path, "event", TRUE, &update->template_event, error) ||
      !read_integer_or_digits (value, value_path, "message_template_id", TRUE, &template_id, error) ||
      !read_string (value, value_path, "message_template_name", FALSE,
                    &update->template_name, error) ||
      !read_string (value, value_path, "message_template_language", FALSE,
                    &update->template_language, error) ||
      !read_string (value, value_path, "reason", FALSE, &update->template_reason, error))
    return NULL;

  update->template_id = g_strdup_printf ("%" PRId64, template_id);
  update->timestamp = origin->entry_time;
  /* Templates are stored with Meta's ll_CC codes; this webhook writes ll-CC. */
  if (update->template_language != NULL)
    g_strdelimit (update->template_language, "-", '_');

  return g_steal_pointer (&update);
}

static gboolean
parse_change (JsonArray           *changes,
              guint                index,
              const char          *path,
              const UpdateOrigin  *origin,
              GPtrArray           *updates,
              GError             **error)
{
  g_autofree char *field = NULL;
  g_autofree char *value_path = g_strdup_printf ("%s.value", path);
  JsonObject *change;
  JsonObject *value;

  if (!object_at (changes, index, path, &change, error) ||
      !read_string (change, path, "field", TRUE, &field, error) ||
      !read_object (change, path, "value", TRUE, &value, error))
    return FALSE;

  if (g_str_equal (field, "messages"))
    return parse_messages_change (value, value_path, origin, updates, error);

  if (g_str_equal (field, "message_template_status_update"))
    {
      HeraldWebhookUpdate *update = parse_template_status (value, value_path, origin, error);

      if (update == NULL)
        return FALSE;
      g_ptr_array_add (updates, update);
      return TRUE;
    }

  /* Other subscriptions (account_update, user_preferences, …) are not used. */
  return TRUE;
}

static void
parse_entry (JsonArray *entries,
             guint      index,
             GPtrArray *updates)
{
  g_autofree char *path = g_strdup_printf ("entry[%u]", index);
  g_autofree char *waba_id = NULL;
  g_autoptr(GError) error = NULL;
  UpdateOrigin origin = { NULL, NULL, 0 };
  JsonObject *entry;
  JsonArray *changes;

  if (!object_at (entries, index, path, &entry, &error) ||
      !read_string (entry, path, "id", FALSE, &waba_id, &error) ||
      !read_integer_or_digits (entry, path, "time", FALSE, &origin.entry_time, &error) ||
      !read_array (entry, path, "changes", TRUE, &changes, &error))
    {
      add_malformed (updates, &origin, error->message);
      return;
    }
  origin.waba_id = waba_id;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      g_autofree char *change_path = g_strdup_printf ("%s.changes[%u]", path, i);

      if (!parse_change (changes, i, change_path, &origin, updates, &error))
        {
          add_malformed (updates, &origin, error->message);
          g_clear_error (&error);
        }
    }
}

static gboolean
check_nesting (const guint8  *body,
               gsize          body_len,
               GError       **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < body_len; i++)
    {
      guint8 c = body[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_NESTING)
            {
              g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_JSON,
                           _("The notification is nested more than %d levels deep"),
                           MAX_NESTING);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/**
 * herald_webhook_parse:
 * @body: the raw body of a webhook POST
 * @body_len: its length in bytes
 * @error: return location for a #HERALD_WEBHOOK_ERROR
 *
 * Reads every update in a notification, in the order Meta wrote them.
 *
 * The whole notification is refused with an error only when it cannot be one
 * at all: not JSON, a root that is not an object, an "object" other than
 * "whatsapp_business_account", or no "entry" array. Below that, one bad item
 * (an entry, a change, a status, a message, a contact or an error with wrong
 * or missing fields) becomes a %HERALD_WEBHOOK_UPDATE_MALFORMED update that
 * says where, and every other item is still read: one broken status must not
 * lose the 999 good ones batched with it. Changes for fields other than
 * "messages" and "message_template_status_update" are ignored.
 *
 * Returns: (transfer container): the updates, each freed with the array
 */
GPtrArray *
herald_webhook_parse (const guint8  *body,
                      gsize          body_len,
                      GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *object_name = NULL;
  JsonNode *root;
  JsonObject *notification;
  JsonArray *entries;

  g_return_val_if_fail (body != NULL || body_len == 0, NULL);
  g_return_val_if_fail (body_len <= G_MAXSSIZE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_nesting (body, body_len, error))
    return NULL;

  if (!json_parser_load_from_data (parser, body_len > 0 ? (const char *) body : "",
                                   (gssize) body_len, &local_error))
    {
      g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_JSON,
                   _("The notification is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_JSON,
                           _("The notification is empty"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
                           _("The notification is not a JSON object"));
      return NULL;
    }
  notification = json_node_get_object (root);

  if (!read_string (notification, _("notification"), "object", FALSE, &object_name, error))
    return NULL;
  if (object_name != NULL && !g_str_equal (object_name, "whatsapp_business_account"))
    {
      g_set_error (error, HERALD_WEBHOOK_ERROR, HERALD_WEBHOOK_ERROR_INVALID_SHAPE,
                   _("The notification is about “%s”, not a WhatsApp Business Account"),
                   object_name);
      return NULL;
    }
  if (!read_array (notification, _("notification"), "entry", TRUE, &entries, error))
    return NULL;

  updates = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_webhook_update_free);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    parse_entry (entries, i, updates);

  return g_steal_pointer (&updates);
}

/* The one place for plain reasons per Cloud API error code
 * (whatsapp-cloud-api.md §2), shown beside a failed message. */
static const struct
{
  gint64 code;
  const char *reason;
} error_reasons[] = {
  { 0, N_("The access token is not valid or has expired") },
  { 4, N_("The app made too many requests; try again later") },
  { 190, N_("The access token has expired") },
  { 368, N_("The WhatsApp Business account is restricted for breaking WhatsApp policy") },
  { 80007, N_("The WhatsApp Business account reached its rate limit; try again later") },
  { 130429, N_("Messages were sent faster than this phone number allows") },
  { 130472, N_("Not sent: WhatsApp included this person in an experiment") },
  { 130497, N_("The business may not message people in this country") },
  { 131000, N_("WhatsApp reported an unknown error; try again later") },
  { 131005, N_("A permission was not granted or was removed") },
  { 131008, N_("A required value is missing from the message") },
  { 131009, N_("A value in the message is not valid") },
  { 131016, N_("WhatsApp is temporarily unavailable; try again later") },
  { 131021, N_("The sender and the recipient are the same number") },
  { 131026, N_("This number is not on WhatsApp or can’t receive messages") },
  { 131031, N_("The WhatsApp Business account is locked") },
  { 131042, N_("There is a payment problem with the WhatsApp Business account") },
  { 131045, N_("The sending phone number is not registered") },
  { 131047, N_("More than 24 hours have passed since this person last wrote; only templates can be sent") },
  { 131048, N_("Too many people blocked or reported these messages; send fewer for a while") },
  { 131049, N_("WhatsApp held back this marketing message to limit how many this person gets; try again after 24 hours") },
  { 131050, N_("This person has opted out of marketing messages from this business") },
  { 131051, N_("This type of message is not supported") },
  { 131052, N_("The media this person sent could not be downloaded") },
  { 131053, N_("The media could not be uploaded; check its file type") },
  { 131056, N_("Too many messages to this person in a short time; try again later") },
  { 131057, N_("The business account is under maintenance; try again in a minute") },
  { 131064, N_("Sending is limited because a template was in the wrong category") },
  { 132000, N_("The number of values does not match the template’s variables") },
  { 132001, N_("The template does not exist in this language or is not approved") },
  { 132005, N_("The filled-in template text is too long") },
  { 132007, N_("The template’s content breaks WhatsApp policy") },
  { 132012, N_("A value has the wrong format for the template") },
  { 132015, N_("The template is paused because of low quality") },
  { 132016, N_("The template was disabled for good") },
  { 133010, N_("The sending phone number is not registered on WhatsApp") },
  { 135000, N_("Something in the request was not valid") },
};

/**
 * herald_webhook_describe_error_code:
 * @code: a Cloud API error code, as in errors[].code
 *
 * Returns: (nullable): a translated plain-language reason, or %NULL for a
 *   code without one (show Meta's title then)
 */
const char *
herald_webhook_describe_error_code (gint64 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_reasons); i++)
    {
      if (error_reasons[i].code == code)
        return _(error_reasons[i].reason);
    }

  return NULL;
}

static const char * const default_opt_out_words[] = {
  "STOP", "UNSUBSCRIBE", "OPTOUT", "PARAR", "BAJA", "SAIR", "STOPP", "ABMELDEN", NULL,
};

/* Returns: (transfer none): the opt-out words used when none are configured */
const char * const *
herald_webhook_get_default_opt_out_words (void)
{
  return default_opt_out_words;
}

/* Case-folded, without accents, and without spaces or punctuation at either
 * end, so that " Stop! ", "stop" and "STOP" compare equal, and "Sáir" equals
 * "SAIR". NULL for text that is not valid UTF-8. */
static char *
fold_for_comparison (const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) bare = NULL;
  const char *start;
  const char *end;

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  folded = g_utf8_casefold (text, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_ALL);
  if (decomposed == NULL)
    return NULL;

  bare = g_string_new (NULL);
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }

  start = bare->str;
  while (*start != '\0' &&
         (g_unichar_isspace (g_utf8_get_char (start)) || g_unichar_ispunct (g_utf8_get_char (start))))
    start = g_utf8_next_char (start);

  end = bare->str + bare->len;
  while (end > start)
    {
      const char *last = g_utf8_prev_char (end);
      gunichar c = g_utf8_get_char (last);

      if (!g_unichar_isspace (c) && !g_unichar_ispunct (c))
        break;
      end = last;
    }

  return g_strndup (start, end - start);
}

static gboolean
matches_word (const char         *candidate,
              const char * const *folded_words)
{
  g_autofree char *folded = NULL;

  if (candidate == NULL)
    return FALSE;

  folded = fold_for_comparison (candidate);

  return folded != NULL && folded[0] != '\0' &&
         g_strv_contains (folded_words, folded);
}

/**
 * herald_webhook_is_opt_out:
 * @inbound: a %HERALD_WEBHOOK_UPDATE_INBOUND update
 * @opt_out_words: (nullable): the words that mean "stop writing to me", or
 *   %NULL for herald_webhook_get_default_opt_out_words()
 *
 * Whether the message's text, quick-reply button payload or label, or
 * interactive reply id or title is one of the words, ignoring case, accents
 * and spaces or punctuation around it. "Stop sending me offers" is not an
 * opt-out: only the word on its own is.
 */
gboolean
herald_webhook_is_opt_out (const HeraldWebhookUpdate *inbound,
                           const char * const        *opt_out_words)
{
  g_autoptr(GPtrArray) folded_words = NULL;
  const char *candidates[5];

  g_return_val_if_fail (inbound != NULL, FALSE);

  if (inbound->kind != HERALD_WEBHOOK_UPDATE_INBOUND)
    return FALSE;
  if (opt_out_words == NULL)
    opt_out_words = default_opt_out_words;

  folded_words = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; opt_out_words[i] != NULL; i++)
    {
      char *folded = fold_for_comparison (opt_out_words[i]);

      if (folded != NULL && folded[0] != '\0')
        g_ptr_array_add (folded_words, folded);
      else
        g_free (folded);
    }
  g_ptr_array_add (folded_words, NULL);

  candidates[0] = inbound->text;
  candidates[1] = inbound->button_payload;
  candidates[2] = inbound->button_text;
  candidates[3] = inbound->interactive_id;
  candidates[4] = inbound->interactive_title;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      if (matches_word (candidates[i], (const char * const *) folded_words->pdata))
        return TRUE;
    }

  return FALSE;
}
