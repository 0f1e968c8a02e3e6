/* test-webhook.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "herald-webhook.h"

/* whatsapp-cloud-api.md §4.3, verbatim. */
static const char status_failed_example[] =
  "{ \"object\": \"whatsapp_business_account\",\n"
  "  \"entry\": [ { \"id\": \"102290129340398\",\n"
  "    \"changes\": [ { \"field\": \"messages\",\n"
  "      \"value\": { \"messaging_product\": \"whatsapp\",\n"
  "        \"metadata\": { \"display_phone_number\": \"15550783881\", \"phone_number_id\": \"106540352242922\" },\n"
  "        \"statuses\": [ {\n"
  "          \"id\": \"wamid.HBgNNDkx...OQA=\", \"status\": \"failed\",\n"
  "          \"timestamp\": \"1751142888\", \"recipient_id\": \"491701234567\",\n"
  "          \"biz_opaque_callback_data\": \"campaign=17;row=42\",\n"
  "          \"errors\": [ { \"code\": 131049, \"title\": \"<title>\", \"message\": \"<same as title>\",\n"
  "            \"error_data\": { \"details\": \"<reason>\" },\n"
  "            \"href\": \"/documentation/business-messaging/whatsapp/support/error-codes\" } ]\n"
  "        } ] } } ] } ] }";

/* §4.4, verbatim. */
static const char inbound_text_example[] =
  "{ \"object\": \"whatsapp_business_account\",\n"
  "  \"entry\": [ { \"id\": \"102290129340398\", \"changes\": [ { \"field\": \"messages\",\n"
  "    \"value\": { \"messaging_product\": \"whatsapp\",\n"
  "      \"metadata\": { \"display_phone_number\": \"15550783881\", \"phone_number_id\": \"106540352242922\" },\n"
  "      \"contacts\": [ { \"profile\": { \"name\": \"Anna\" }, \"wa_id\": \"491701234567\" } ],\n"
  "      \"messages\": [ { \"from\": \"491701234567\", \"id\": \"wamid.HBgNNDkx...QUIA\",\n"
  "        \"timestamp\": \"1750091045\", \"type\": \"text\", \"text\": { \"body\": \"STOP\" } } ]\n"
  "    } } ] } ] }";

/* §4.5, verbatim. */
static const char template_status_example[] =
  "{ \"object\": \"whatsapp_business_account\",\n"
  "  \"entry\": [ { \"id\": \"102290129340398\", \"time\": 1751247548,\n"
  "    \"changes\": [ { \"field\": \"message_template_status_update\",\n"
  "      \"value\": { \"event\": \"REJECTED\", \"message_template_id\": 1689556908129835,\n"
  "        \"message_template_name\": \"spring_offer\", \"message_template_language\": \"de\",\n"
  "        \"reason\": \"INVALID_FORMAT\", \"message_template_category\": \"MARKETING\",\n"
  "        \"rejection_info\": { \"reason\": \"...\", \"recommendation\": \"...\" } } } ] } ] }";

/* A change of field "messages" whose value is VALUE, in a full notification. */
#define MESSAGES_NOTIFICATION(value) \
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":" \
  "[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\"," \
  "\"metadata\":{\"phone_number_id\":\"106540352242922\"}," value "}}]}]}"

static GPtrArray *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *updates = herald_webhook_parse ((const guint8 *) json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (updates);
  return updates;
}

static void
assert_no_malformed (GPtrArray *updates)
{
  for (guint i = 0; i < updates->len; i++)
    {
      HeraldWebhookUpdate *update = g_ptr_array_index (updates, i);

      if (update->kind == HERALD_WEBHOOK_UPDATE_MALFORMED)
        g_error ("update %u is malformed: %s", i, update->problem);
    }
}

static void
test_signature_compute (void)
{
  static const char rfc4231_data[] = "what do ya want for nothing?";
  /* Computed with python3 hmac when this test was written. */
  static const char body[] =
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
    "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"profile\":"
    "{\"name\":\"J\\u00fcrgen\"},\"wa_id\":\"491701234567\"}]}}]}]}";
  g_autofree char *rfc = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *empty = NULL;

  /* RFC 4231 test case 2. */
  rfc = herald_webhook_compute_signature ("Jefe", (const guint8 *) rfc4231_data,
                                          strlen (rfc4231_data));
  g_assert_cmpstr (rfc, ==,
                   "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

  payload = herald_webhook_compute_signature ("test-app-secret", (const guint8 *) body,
                                              strlen (body));
  g_assert_cmpstr (payload, ==,
                   "sha256=43ddcae3ee4f9c60e4d447bf4dcb8e3bacdee9ce165fcba152f86deb63e699ed");

  empty = herald_webhook_compute_signature ("Jefe", NULL, 0);
  g_assert_true (g_str_has_prefix (empty, "sha256="));
  g_assert_cmpuint (strlen (empty), ==, strlen ("sha256=") + 64);
}

static void
test_signature_verify (void)
{
  static const char secret[] = "test-app-secret";
  static const char body[] = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";
  g_autofree char *good = herald_webhook_compute_signature (secret, (const guint8 *) body,
                                                            strlen (body));
  const char *hex = good + strlen ("sha256=");
  g_autofree char *bad_last = g_strdup (good);
  g_autofree char *bad_first = g_strdup (good);
  g_autofree char *upper = g_strconcat ("sha256=", hex, NULL);
  g_autofree char *upper_prefix = g_strconcat ("SHA256=", hex, NULL);
  g_autofree char *sha1_prefix = g_strconcat ("sha1=", hex, NULL);
  g_autofree char *truncated = g_strndup (good, strlen (good) - 1);
  g_autofree char *extended = g_strconcat (good, "0", NULL);
  g_autofree char *spaced = g_strconcat (" ", good, NULL);
  struct
  {
    const char *name;
    const char *header;
    gboolean valid;
  } cases[] = {
    { "good", good, TRUE },
    { "missing", NULL, FALSE },
    { "empty", "", FALSE },
    { "last digit wrong", bad_last, FALSE },
    { "first digit wrong", bad_first, FALSE },
    { "uppercase hex", upper, FALSE },
    { "uppercase prefix", upper_prefix, FALSE },
    { "sha1 prefix", sha1_prefix, FALSE },
    { "no prefix", hex, FALSE },
    { "prefix only", "sha256=", FALSE },
    { "truncated", truncated, FALSE },
    { "one digit too many", extended, FALSE },
    { "leading space", spaced, FALSE },
  };

  bad_last[strlen (bad_last) - 1] = bad_last[strlen (bad_last) - 1] == '0' ? '1' : '0';
  bad_first[strlen ("sha256=")] = bad_first[strlen ("sha256=")] == 'a' ? 'b' : 'a';
  for (char *p = upper + strlen ("sha256="); *p != '\0'; p++)
    *p = g_ascii_toupper (*p);
  g_assert_cmpstr (upper, !=, good);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean valid = herald_webhook_verify_signature (secret, (const guint8 *) body,
                                                        strlen (body), cases[i].header);

      if (valid != cases[i].valid)
        g_error ("case “%s”: expected %s", cases[i].name, cases[i].valid ? "valid" : "invalid");
    }

  /* The same signature over other bytes, or with another secret, fails. */
  g_assert_false (herald_webhook_verify_signature (secret, (const guint8 *) body,
                                                   strlen (body) - 1, good));
  g_assert_false (herald_webhook_verify_signature ("other-secret", (const guint8 *) body,
                                                   strlen (body), good));
}

/* Meta signs the bytes it sent; the same JSON written differently (here, the
 * \u escape decoded) must not verify. */
static void
test_signature_raw_bytes (void)
{
  static const char escaped[] = "{\"name\":\"J\\u00fcrgen\"}";
  static const char decoded[] = "{\"name\":\"J\xc3\xbcrgen\"}";
  g_autofree char *signature =
    herald_webhook_compute_signature ("s", (const guint8 *) escaped, strlen (escaped));

  g_assert_true (herald_webhook_verify_signature ("s", (const guint8 *) escaped,
                                                  strlen (escaped), signature));
  g_assert_false (herald_webhook_verify_signature ("s", (const guint8 *) decoded,
                                                   strlen (decoded), signature));
}

static void
test_parse_status_example (void)
{
  g_autoptr(GPtrArray) updates = parse_ok (status_failed_example);
  HeraldWebhookUpdate *update;

  g_assert_cmpuint (updates->len, ==, 1);
  update = g_ptr_array_index (updates, 0);
  g_assert_cmpint (update->kind, ==, HERALD_WEBHOOK_UPDATE_STATUS);
  g_assert_cmpstr (update->waba_id, ==, "102290129340398");
  g_assert_cmpstr (update->phone_number_id, ==, "106540352242922");
  g_assert_cmpstr (update->wamid, ==, "wamid.HBgNNDkx...OQA=");
  g_assert_cmpstr (update->status_name, ==, "failed");
  g_assert_true (update->status_known);
  g_assert_cmpint (update->status, ==, HERALD_MESSAGE_FAILED);
  g_assert_cmpint (update->timestamp, ==, 1751142888);
  g_assert_cmpstr (update->recipient_id, ==, "491701234567");
  g_assert_cmpstr (update->biz_opaque_callback_data, ==, "campaign=17;row=42");
  g_assert_true (update->has_error);
  g_assert_cmpint (update->error_code, ==, 131049);
  g_assert_cmpstr (update->error_title, ==, "<title>");
  g_assert_cmpstr (update->error_message, ==, "<same as title>");
  g_assert_cmpstr (update->error_details, ==, "<reason>");
  g_assert_null (update->from);
  g_assert_null (update->problem);
}

static void
test_parse_status_names (void)
{
  const struct
  {
    const char *name;
    gboolean known;
    HeraldMessageStatus status;
  } cases[] = {
    { "sent", TRUE, HERALD_MESSAGE_SENT },
    { "delivered", TRUE, HERALD_MESSAGE_DELIVERED },
    { "read", TRUE, HERALD_MESSAGE_READ },
    { "played", TRUE, HERALD_MESSAGE_READ },
    { "failed", TRUE, HERALD_MESSAGE_FAILED },
    { "deleted", FALSE, HERALD_MESSAGE_PENDING },
    { "warning", FALSE, HERALD_MESSAGE_PENDING },
    { "", FALSE, HERALD_MESSAGE_PENDING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (
        MESSAGES_NOTIFICATION ("\"statuses\":[{\"id\":\"wamid.A\",\"status\":\"%s\","
                               "\"timestamp\":\"1750000000\",\"recipient_id\":\"4917\","
                               "\"conversation\":{\"id\":\"c\",\"origin\":{\"type\":\"marketing\"}},"
                               "\"pricing\":{\"billable\":true,\"pricing_model\":\"PMP\"}}]"),
        cases[i].name);
      g_autoptr(GPtrArray) updates = parse_ok (json);
      HeraldWebhookUpdate *update;

      g_assert_cmpuint (updates->len, ==, 1);
      update = g_ptr_array_index (updates, 0);
      g_assert_cmpint (update->kind, ==, HERALD_WEBHOOK_UPDATE_STATUS);
      g_assert_cmpstr (update->status_name, ==, cases[i].name);
      g_assert_cmpint (update->status_known, ==, cases[i].known);
      g_assert_cmpint (update->status, ==, cases[i].status);
      g_assert_false (update->has_error);
      g_assert_null (update->biz_opaque_callback_data);
    }
}

static void
test_parse_inbound_text (void)
{
  g_autoptr(GPtrArray) updates = parse_ok (inbound_text_example);
  HeraldWebhookUpdate *update;

  g_assert_cmpuint (updates->len, ==, 1);
  update = g_ptr_array_index (updates, 0);
  g_assert_cmpint (update->kind, ==, HERALD_WEBHOOK_UPDATE_INBOUND);
  g_assert_cmpstr (update->waba_id, ==, "102290129340398");
  g_assert_cmpstr (update->phone_number_id, ==, "106540352242922");
  g_assert_cmpstr (update->from, ==, "491701234567");
  g_assert_cmpstr (update->profile_name, ==, "Anna");
  g_assert_cmpstr (update->wamid, ==, "wamid.HBgNNDkx...QUIA");
  g_assert_cmpint (update->timestamp, ==, 1750091045);
  g_assert_cmpstr (update->message_type, ==, "text");
  g_assert_cmpstr (update->text, ==, "STOP");
  g_assert_null (update->button_payload);
  g_assert_null (update->context_wamid);
  g_assert_false (update->has_error);
  g_assert_true (herald_webhook_is_opt_out (update, NULL));
}

static void
test_parse_inbound_kinds (void)
{
  g_autoptr(GPtrArray) updates = parse_ok (MESSAGES_NOTIFICATION (
    "\"contacts\":[{\"profile\":{\"name\":\"Anna\"},\"wa_id\":\"4917\"},"
    "              {\"profile\":{\"name\":\"Ben\"},\"wa_id\":\"4918\"}],"
    "\"messages\":["
    "{\"from\":\"4917\",\"id\":\"wamid.B\",\"timestamp\":\"1750000001\",\"type\":\"button\","
    " \"context\":{\"from\":\"15550783881\",\"id\":\"wamid.TEMPLATE\"},"
    " \"button\":{\"payload\":\"OPTOUT\",\"text\":\"Unsubscribe\"}},"
    "{\"from\":\"4918\",\"id\":\"wamid.C\",\"timestamp\":\"1750000002\",\"type\":\"interactive\","
    " \"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"yes\",\"title\":\"Yes please\"}}},"
    "{\"from\":\"4918\",\"id\":\"wamid.D\",\"timestamp\":\"1750000003\",\"type\":\"interactive\","
    " \"interactive\":{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"r2\",\"title\":\"Tuesday\","
    "  \"description\":\"afternoon\"}}},"
    "{\"from\":\"4919\",\"id\":\"wamid.E\",\"timestamp\":\"1750000004\",\"type\":\"unsupported\","
    " \"errors\":[{\"code\":131051,\"title\":\"Message type unknown\","
    "  \"error_data\":{\"details\":\"Message type is currently not supported.\"}}]},"
    "{\"from\":\"4917\",\"id\":\"wamid.F\",\"timestamp\":\"1750000005\",\"type\":\"image\","
    " \"image\":{\"id\":\"m1\",\"mime_type\":\"image/jpeg\"}}]"));
  HeraldWebhookUpdate *button, *reply, *list, *unsupported, *image;

  assert_no_malformed (updates);
  g_assert_cmpuint (updates->len, ==, 5);
  button = g_ptr_array_index (updates, 0);
  reply = g_ptr_array_index (updates, 1);
  list = g_ptr_array_index (updates, 2);
  unsupported = g_ptr_array_index (updates, 3);
  image = g_ptr_array_index (updates, 4);

  g_assert_cmpstr (button->message_type, ==, "button");
  g_assert_cmpstr (button->button_payload, ==, "OPTOUT");
  g_assert_cmpstr (button->button_text, ==, "Unsubscribe");
  g_assert_cmpstr (button->context_wamid, ==, "wamid.TEMPLATE");
  g_assert_cmpstr (button->profile_name, ==, "Anna");
  g_assert_null (button->text);
  g_assert_true (herald_webhook_is_opt_out (button, NULL));

  g_assert_cmpstr (reply->interactive_id, ==, "yes");
  g_assert_cmpstr (reply->interactive_title, ==, "Yes please");
  g_assert_cmpstr (reply->profile_name, ==, "Ben");
  g_assert_false (herald_webhook_is_opt_out (reply, NULL));

  g_assert_cmpstr (list->interactive_id, ==, "r2");
  g_assert_cmpstr (list->interactive_title, ==, "Tuesday");
  g_assert_cmpint (list->timestamp, ==, 1750000003);

  /* Two contacts and neither is 4919: no name rather than a wrong one. */
  g_assert_null (unsupported->profile_name);
  g_assert_true (unsupported->has_error);
  g_assert_cmpint (unsupported->error_code, ==, 131051);
  g_assert_cmpstr (unsupported->error_details, ==, "Message type is currently not supported.");
  g_assert_null (unsupported->error_message);

  g_assert_cmpstr (image->message_type, ==, "image");
  g_assert_null (image->text);
  g_assert_false (herald_webhook_is_opt_out (image, NULL));
}

static void
test_parse_template_status (void)
{
  g_autoptr(GPtrArray) updates = parse_ok (template_status_example);
  HeraldWebhookUpdate *update;

  g_assert_cmpuint (updates->len, ==, 1);
  update = g_ptr_array_index (updates, 0);
  g_assert_cmpint (update->kind, ==, HERALD_WEBHOOK_UPDATE_TEMPLATE_STATUS);
  g_assert_cmpstr (update->waba_id, ==, "102290129340398");
  g_assert_null (update->phone_number_id);
  g_assert_cmpint (update->timestamp, ==, 1751247548);
  g_assert_cmpstr (update->template_event, ==, "REJECTED");
  g_assert_cmpstr (update->template_id, ==, "1689556908129835");
  g_assert_cmpstr (update->template_name, ==, "spring_offer");
  g_assert_cmpstr (update->template_language, ==, "de");
  g_assert_cmpstr (update->template_reason, ==, "INVALID_FORMAT");
}

static void
test_parse_template_variants (void)
{
  const struct
  {
    const char *id_json;
    const char *language_json;
    const char *reason_json;
    const char *id;
    const char *language;
    const char *reason;
  } cases[] = {
    { "1689556908129835", "\"en-US\"", "\"NONE\"", "1689556908129835", "en_US", "NONE" },
    { "\"1689556908129835\"", "\"pt_BR\"", "null", "1689556908129835", "pt_BR", NULL },
    { "9223372036854775807", "\"zh-TW\"", "\"SCAM\"", "9223372036854775807", "zh_TW", "SCAM" },
    { "0", "null", "\"PROMOTIONAL\"", "0", NULL, "PROMOTIONAL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"7\",\"changes\":["
        "{\"field\":\"message_template_status_update\",\"value\":{\"event\":\"PAUSED\","
        "\"message_template_id\":%s,\"message_template_name\":\"offer\","
        "\"message_template_language\":%s,\"reason\":%s}}]}]}",
        cases[i].id_json, cases[i].language_json, cases[i].reason_json);
      g_autoptr(GPtrArray) updates = parse_ok (json);
      HeraldWebhookUpdate *update;

      g_assert_cmpuint (updates->len, ==, 1);
      update = g_ptr_array_index (updates, 0);
      g_assert_cmpint (update->kind, ==, HERALD_WEBHOOK_UPDATE_TEMPLATE_STATUS);
      g_assert_cmpstr (update->template_event, ==, "PAUSED");
      g_assert_cmpstr (update->template_id, ==, cases[i].id);
      g_assert_cmpstr (update->template_language, ==, cases[i].language);
      g_assert_cmpstr (update->template_reason, ==, cases[i].reason);
      /* No entry[].time here. */
      g_assert_cmpint (update->timestamp, ==, 0);
    }
}

static void
test_parse_value_errors (void)
{
  g_autoptr(GPtrArray) updates = parse_ok (MESSAGES_NOTIFICATION (
    "\"errors\":[{\"code\":131042,\"title\":\"Business eligibility payment issue\","
    "\"message\":\"Business eligibility payment issue\","
    "\"error_data\":{\"details\":\"Message failed to send because there were one or more errors"
    " related to your payment method.\"}},{\"code\":368,\"title\":\"Temporarily blocked\"}]"));
  HeraldWebhookUpdate *first, *second;

  g_assert_cmpuint (updates->len, ==, 2);
  first = g_ptr_array_index (updates, 0);
  second = g_ptr_array_index (updates, 1);
  g_assert_cmpint (first->kind, ==, HERALD_WEBHOOK_UPDATE_ERROR);
  g_assert_cmpstr (first->phone_number_id, ==, "106540352242922");
  g_assert_true (first->has_error);
  g_assert_cmpint (first->error_code, ==, 131042);
  g_assert_cmpstr (first->error_title, ==, "Business eligibility payment issue");
  g_assert_true (g_str_has_prefix (first->error_details, "Message failed to send"));
  g_assert_null (first->wamid);
  g_assert_cmpint (second->kind, ==, HERALD_WEBHOOK_UPDATE_ERROR);
  g_assert_cmpint (second->error_code, ==, 368);
  g_assert_null (second->error_details);
}

/* 1000 statuses, spread over 4 entries of 5 changes of 50, plus a change of
 * another field that is ignored: all come back, in order. */
static void
test_parse_batch (void)
{
  g_autoptr(GString) json = g_string_new ("{\"object\":\"whatsapp_business_account\",\"entry\":[");
  g_autoptr(GPtrArray) updates = NULL;
  guint n = 0;

  for (guint e = 0; e < 4; e++)
    {
      g_string_append_printf (json, "%s{\"id\":\"waba%u\",\"changes\":[", e ? "," : "", e);
      g_string_append (json, "{\"field\":\"account_update\",\"value\":{\"event\":\"VERIFIED_ACCOUNT\"}}");
      for (guint c = 0; c < 5; c++)
        {
          g_string_append_printf (json,
                                  ",{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
                                  "\"metadata\":{\"phone_number_id\":\"pn%u\"},\"statuses\":[", c);
          for (guint s = 0; s < 50; s++, n++)
            g_string_append_printf (json,
                                    "%s{\"id\":\"wamid.%u\",\"status\":\"%s\",\"timestamp\":\"%u\","
                                    "\"recipient_id\":\"49170%u\",\"biz_opaque_callback_data\":\"%u\"}",
                                    s ? "," : "", n, n % 3 == 0 ? "sent" : n % 3 == 1 ? "delivered" : "read",
                                    1750000000 + n, n, n);
          g_string_append (json, "]}}");
        }
      g_string_append (json, "]}");
    }
  g_string_append (json, "]}");
  g_assert_cmpuint (n, ==, 1000);

  updates = parse_ok (json->str);
  g_assert_cmpuint (updates->len, ==, 1000);
  for (guint i = 0; i < updates->len; i++)
    {
      HeraldWebhookUpdate *update = g_ptr_array_index (updates, i);
      g_autofree char *wamid = g_strdup_printf ("wamid.%u", i);
      g_autofree char *waba = g_strdup_printf ("waba%u", i / 250);
      g_autofree char *phone = g_strdup_printf ("pn%u", (i / 50) % 5);
      g_autofree char *opaque = g_strdup_printf ("%u", i);

      g_assert_cmpint (update->kind, ==, HERALD_WEBHOOK_UPDATE_STATUS);
      g_assert_cmpstr (update->wamid, ==, wamid);
      g_assert_cmpstr (update->waba_id, ==, waba);
      g_assert_cmpstr (update->phone_number_id, ==, phone);
      g_assert_cmpstr (update->biz_opaque_callback_data, ==, opaque);
      g_assert_cmpint (update->timestamp, ==, 1750000000 + i);
      g_assert_cmpint (update->status, ==,
                       i % 3 == 0 ? HERALD_MESSAGE_SENT :
                       i % 3 == 1 ? HERALD_MESSAGE_DELIVERED : HERALD_MESSAGE_READ);
    }
}

/* Input that cannot be a notification at all: a GError, no updates. */
static void
test_parse_refused (void)
{
  /* Deep enough to overflow json-glib's recursive parser if it got that far. */
  g_autofree char *deep = g_strnfill (500000, '[');
  const struct
  {
    const char *name;
    const char *json;
    gssize len;
    HeraldWebhookError code;
  } cases[] = {
    { "empty", "", 0, HERALD_WEBHOOK_ERROR_INVALID_JSON },
    { "whitespace", "  \n", -1, HERALD_WEBHOOK_ERROR_INVALID_JSON },
    { "not JSON", "hello", -1, HERALD_WEBHOOK_ERROR_INVALID_JSON },
    { "form data", "object=whatsapp_business_account&entry=1", -1, HERALD_WEBHOOK_ERROR_INVALID_JSON },
    { "truncated", "{\"object\":\"whatsapp_business_account\",\"entry\":[{", -1, HERALD_WEBHOOK_ERROR_INVALID_JSON },
    { "trailing garbage", "{\"entry\":[]} x", -1, HERALD_WEBHOOK_ERROR_INVALID_JSON },
    { "embedded NUL", "{\"entry\":[]\0}", 13, HERALD_WEBHOOK_ERROR_INVALID_JSON },
    { "too deep", deep, -1, HERALD_WEBHOOK_ERROR_INVALID_JSON },
    { "array root", "[{\"object\":\"whatsapp_business_account\",\"entry\":[]}]", -1, HERALD_WEBHOOK_ERROR_INVALID_SHAPE },
    { "string root", "\"whatsapp_business_account\"", -1, HERALD_WEBHOOK_ERROR_INVALID_SHAPE },
    { "number root", "42", -1, HERALD_WEBHOOK_ERROR_INVALID_SHAPE },
    { "null root", "null", -1, HERALD_WEBHOOK_ERROR_INVALID_SHAPE },
    { "other object", "{\"object\":\"page\",\"entry\":[]}", -1, HERALD_WEBHOOK_ERROR_INVALID_SHAPE },
    { "object not a string", "{\"object\":1,\"entry\":[]}", -1, HERALD_WEBHOOK_ERROR_INVALID_SHAPE },
    { "entry missing", "{\"object\":\"whatsapp_business_account\"}", -1, HERALD_WEBHOOK_ERROR_INVALID_SHAPE },
    { "entry null", "{\"object\":\"whatsapp_business_account\",\"entry\":null}", -1, HERALD_WEBHOOK_ERROR_INVALID_SHAPE },
    { "entry an object", "{\"object\":\"whatsapp_business_account\",\"entry\":{}}", -1, HERALD_WEBHOOK_ERROR_INVALID_SHAPE },
    { "entry a string", "{\"object\":\"whatsapp_business_account\",\"entry\":\"[]\"}", -1, HERALD_WEBHOOK_ERROR_INVALID_SHAPE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) updates = NULL;
      gsize len = cases[i].len >= 0 ? (gsize) cases[i].len : strlen (cases[i].json);

      g_test_message ("case “%s”", cases[i].name);
      updates = herald_webhook_parse ((const guint8 *) cases[i].json, len, &error);
      g_assert_null (updates);
      g_assert_error (error, HERALD_WEBHOOK_ERROR, (gint) cases[i].code);
      g_assert_nonnull (error->message);
    }
}

/* One bad item is skipped as a MALFORMED update that says where; the good
 * status placed beside it in the same notification is still read. */
static void
test_parse_malformed_items (void)
{
#define GOOD_STATUS "{\"id\":\"wamid.GOOD\",\"status\":\"read\",\"timestamp\":\"1750000000\"}"
#define GOOD_CHANGE "{\"field\":\"messages\",\"value\":{\"statuses\":[" GOOD_STATUS "]}}"
#define IN_ENTRY(changes) \
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[" changes "]}]}"
#define IN_VALUE(members) IN_ENTRY ("{\"field\":\"messages\",\"value\":{" members "}}," GOOD_CHANGE)
#define IN_STATUSES(status) IN_ENTRY ("{\"field\":\"messages\",\"value\":{\"statuses\":[" \
                                      status "," GOOD_STATUS "]}}")
#define IN_MESSAGES(message) IN_VALUE ("\"messages\":[" message "]")
#define IN_TEMPLATE(value) IN_ENTRY ("{\"field\":\"message_template_status_update\",\"value\":" \
                                     value "}," GOOD_CHANGE)
  const struct
  {
    const char *name;
    const char *json;
    const char *problem;
  } cases[] = {
    { "entry item a string",
      "{\"object\":\"whatsapp_business_account\",\"entry\":[\"x\",{\"changes\":[" GOOD_CHANGE "]}]}",
      "entry[0] is not an object" },
    { "entry id a number",
      "{\"entry\":[{\"id\":1,\"changes\":[]},{\"changes\":[" GOOD_CHANGE "]}]}",
      "entry[0]: “id” is not a string" },
    { "entry time a float",
      "{\"entry\":[{\"time\":1.5,\"changes\":[]},{\"changes\":[" GOOD_CHANGE "]}]}",
      "entry[0]: “time” is not a whole number" },
    { "changes missing",
      "{\"entry\":[{\"id\":\"1\"},{\"changes\":[" GOOD_CHANGE "]}]}",
      "entry[0]: “changes” is missing" },
    { "changes an object",
      "{\"entry\":[{\"changes\":{}},{\"changes\":[" GOOD_CHANGE "]}]}",
      "entry[0]: “changes” is not an array" },
    { "change a number", IN_ENTRY ("3," GOOD_CHANGE), "entry[0].changes[0] is not an object" },
    { "field missing", IN_ENTRY ("{\"value\":{}}," GOOD_CHANGE),
      "entry[0].changes[0]: “field” is missing" },
    { "field an array", IN_ENTRY ("{\"field\":[],\"value\":{}}," GOOD_CHANGE),
      "entry[0].changes[0]: “field” is not a string" },
    { "value missing", IN_ENTRY ("{\"field\":\"messages\"}," GOOD_CHANGE),
      "entry[0].changes[0]: “value” is missing" },
    { "value a string", IN_ENTRY ("{\"field\":\"messages\",\"value\":\"{}\"}," GOOD_CHANGE),
      "entry[0].changes[0]: “value” is not an object" },
    { "metadata a string", IN_VALUE ("\"metadata\":\"x\""),
      "entry[0].changes[0].value: “metadata” is not an object" },
    { "phone_number_id a number", IN_VALUE ("\"metadata\":{\"phone_number_id\":106540352242922}"),
      "entry[0].changes[0].value.metadata: “phone_number_id” is not a string" },
    { "statuses an object", IN_VALUE ("\"statuses\":{}"),
      "entry[0].changes[0].value: “statuses” is not an array" },
    { "status a string", IN_STATUSES ("\"wamid.X\""),
      "entry[0].changes[0].value.statuses[0] is not an object" },
    { "status null", IN_STATUSES ("null"),
      "entry[0].changes[0].value.statuses[0] is not an object" },
    { "status id missing", IN_STATUSES ("{\"status\":\"read\",\"timestamp\":\"1\"}"),
      "entry[0].changes[0].value.statuses[0]: “id” is missing" },
    { "status id null", IN_STATUSES ("{\"id\":null,\"status\":\"read\",\"timestamp\":\"1\"}"),
      "entry[0].changes[0].value.statuses[0]: “id” is missing" },
    { "status id a number", IN_STATUSES ("{\"id\":5,\"status\":\"read\",\"timestamp\":\"1\"}"),
      "entry[0].changes[0].value.statuses[0]: “id” is not a string" },
    { "status status missing", IN_STATUSES ("{\"id\":\"w\",\"timestamp\":\"1\"}"),
      "entry[0].changes[0].value.statuses[0]: “status” is missing" },
    { "status status a bool", IN_STATUSES ("{\"id\":\"w\",\"status\":true,\"timestamp\":\"1\"}"),
      "entry[0].changes[0].value.statuses[0]: “status” is not a string" },
    { "timestamp missing", IN_STATUSES ("{\"id\":\"w\",\"status\":\"read\"}"),
      "entry[0].changes[0].value.statuses[0]: “timestamp” is missing" },
    { "timestamp a number", IN_STATUSES ("{\"id\":\"w\",\"status\":\"read\",\"timestamp\":1750000000}"),
      "entry[0].changes[0].value.statuses[0]: “timestamp” is not a string" },
    { "timestamp not digits", IN_STATUSES ("{\"id\":\"w\",\"status\":\"read\",\"timestamp\":\"soon\"}"),
      "entry[0].changes[0].value.statuses[0]: “timestamp” is not a number of seconds" },
    { "timestamp negative", IN_STATUSES ("{\"id\":\"w\",\"status\":\"read\",\"timestamp\":\"-5\"}"),
      "entry[0].changes[0].value.statuses[0]: “timestamp” is not a number of seconds" },
    { "timestamp overflow", IN_STATUSES ("{\"id\":\"w\",\"status\":\"read\",\"timestamp\":\"99999999999999999999\"}"),
      "entry[0].changes[0].value.statuses[0]: “timestamp” is not a number of seconds" },
    { "recipient_id an object", IN_STATUSES ("{\"id\":\"w\",\"status\":\"read\",\"timestamp\":\"1\",\"recipient_id\":{}}"),
      "entry[0].changes[0].value.statuses[0]: “recipient_id” is not a string" },
    { "biz_opaque_callback_data a number",
      IN_STATUSES ("{\"id\":\"w\",\"status\":\"read\",\"timestamp\":\"1\",\"biz_opaque_callback_data\":42}"),
      "entry[0].changes[0].value.statuses[0]: “biz_opaque_callback_data” is not a string" },
    { "status errors an object",
      IN_STATUSES ("{\"id\":\"w\",\"status\":\"failed\",\"timestamp\":\"1\",\"errors\":{\"code\":1}}"),
      "entry[0].changes[0].value.statuses[0]: “errors” is not an array" },
    { "status error a string",
      IN_STATUSES ("{\"id\":\"w\",\"status\":\"failed\",\"timestamp\":\"1\",\"errors\":[\"bad\"]}"),
      "entry[0].changes[0].value.statuses[0].errors[0] is not an object" },
    { "status error code missing",
      IN_STATUSES ("{\"id\":\"w\",\"status\":\"failed\",\"timestamp\":\"1\",\"errors\":[{\"title\":\"t\"}]}"),
      "entry[0].changes[0].value.statuses[0].errors[0]: “code” is missing" },
    { "status error code a string",
      IN_STATUSES ("{\"id\":\"w\",\"status\":\"failed\",\"timestamp\":\"1\",\"errors\":[{\"code\":\"131026\"}]}"),
      "entry[0].changes[0].value.statuses[0].errors[0]: “code” is not an integer" },
    { "status error code a float",
      IN_STATUSES ("{\"id\":\"w\",\"status\":\"failed\",\"timestamp\":\"1\",\"errors\":[{\"code\":1.5}]}"),
      "entry[0].changes[0].value.statuses[0].errors[0]: “code” is not an integer" },
    { "status error_data a string",
      IN_STATUSES ("{\"id\":\"w\",\"status\":\"failed\",\"timestamp\":\"1\",\"errors\":[{\"code\":1,\"error_data\":\"x\"}]}"),
      "entry[0].changes[0].value.statuses[0].errors[0]: “error_data” is not an object" },
    { "status error details a number",
      IN_STATUSES ("{\"id\":\"w\",\"status\":\"failed\",\"timestamp\":\"1\",\"errors\":[{\"code\":1,\"error_data\":{\"details\":7}}]}"),
      "entry[0].changes[0].value.statuses[0].errors[0].error_data: “details” is not a string" },
    { "contacts a string", IN_VALUE ("\"contacts\":\"Anna\""),
      "entry[0].changes[0].value: “contacts” is not an array" },
    { "contact profile a string", IN_VALUE ("\"contacts\":[{\"wa_id\":\"1\",\"profile\":\"Anna\"}]"),
      "entry[0].changes[0].value.contacts[0]: “profile” is not an object" },
    { "contact name a number", IN_VALUE ("\"contacts\":[{\"wa_id\":\"1\",\"profile\":{\"name\":1}}]"),
      "entry[0].changes[0].value.contacts[0].profile: “name” is not a string" },
    { "messages a number", IN_VALUE ("\"messages\":1"),
      "entry[0].changes[0].value: “messages” is not an array" },
    { "message an array", IN_MESSAGES ("[]"),
      "entry[0].changes[0].value.messages[0] is not an object" },
    { "message from missing", IN_MESSAGES ("{\"id\":\"w\",\"timestamp\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}"),
      "entry[0].changes[0].value.messages[0]: “from” is missing" },
    { "message type missing", IN_MESSAGES ("{\"from\":\"1\",\"id\":\"w\",\"timestamp\":\"1\"}"),
      "entry[0].changes[0].value.messages[0]: “type” is missing" },
    { "message timestamp a number", IN_MESSAGES ("{\"from\":\"1\",\"id\":\"w\",\"timestamp\":1,\"type\":\"text\",\"text\":{\"body\":\"hi\"}}"),
      "entry[0].changes[0].value.messages[0]: “timestamp” is not a string" },
    { "text missing", IN_MESSAGES ("{\"from\":\"1\",\"id\":\"w\",\"timestamp\":\"1\",\"type\":\"text\"}"),
      "entry[0].changes[0].value.messages[0]: “text” is missing" },
    { "text a string", IN_MESSAGES ("{\"from\":\"1\",\"id\":\"w\",\"timestamp\":\"1\",\"type\":\"text\",\"text\":\"STOP\"}"),
      "entry[0].changes[0].value.messages[0]: “text” is not an object" },
    { "text body a number", IN_MESSAGES ("{\"from\":\"1\",\"id\":\"w\",\"timestamp\":\"1\",\"type\":\"text\",\"text\":{\"body\":1}}"),
      "entry[0].changes[0].value.messages[0].text: “body” is not a string" },
    { "button payload a bool", IN_MESSAGES ("{\"from\":\"1\",\"id\":\"w\",\"timestamp\":\"1\",\"type\":\"button\",\"button\":{\"payload\":false}}"),
      "entry[0].changes[0].value.messages[0].button: “payload” is not a string" },
    { "interactive reply a string", IN_MESSAGES ("{\"from\":\"1\",\"id\":\"w\",\"timestamp\":\"1\",\"type\":\"interactive\",\"interactive\":{\"button_reply\":\"yes\"}}"),
      "entry[0].changes[0].value.messages[0].interactive: “button_reply” is not an object" },
    { "context a string", IN_MESSAGES ("{\"from\":\"1\",\"id\":\"w\",\"timestamp\":\"1\",\"type\":\"image\",\"context\":\"wamid\"}"),
      "entry[0].changes[0].value.messages[0]: “context” is not an object" },
    { "value errors item a number", IN_VALUE ("\"errors\":[131042]"),
      "entry[0].changes[0].value.errors[0] is not an object" },
    { "value error code missing", IN_VALUE ("\"errors\":[{\"title\":\"t\"}]"),
      "entry[0].changes[0].value.errors[0]: “code” is missing" },
    { "template event missing", IN_TEMPLATE ("{\"message_template_id\":1}"),
      "entry[0].changes[0].value: “event” is missing" },
    { "template id missing", IN_TEMPLATE ("{\"event\":\"APPROVED\"}"),
      "entry[0].changes[0].value: “message_template_id” is missing" },
    { "template id a float", IN_TEMPLATE ("{\"event\":\"APPROVED\",\"message_template_id\":1.5e3}"),
      "entry[0].changes[0].value: “message_template_id” is not a whole number" },
    { "template id negative", IN_TEMPLATE ("{\"event\":\"APPROVED\",\"message_template_id\":-1}"),
      "entry[0].changes[0].value: “message_template_id” is not a whole number" },
    { "template id not digits", IN_TEMPLATE ("{\"event\":\"APPROVED\",\"message_template_id\":\"12ab\"}"),
      "entry[0].changes[0].value: “message_template_id” is not a whole number" },
    { "template id a bool", IN_TEMPLATE ("{\"event\":\"APPROVED\",\"message_template_id\":true}"),
      "entry[0].changes[0].value: “message_template_id” is not a whole number" },
    { "template language a number", IN_TEMPLATE ("{\"event\":\"APPROVED\",\"message_template_id\":1,\"message_template_language\":5}"),
      "entry[0].changes[0].value: “message_template_language” is not a string" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) updates = NULL;
      HeraldWebhookUpdate *malformed = NULL;
      HeraldWebhookUpdate *good = NULL;

      g_test_message ("case “%s”", cases[i].name);
      updates = parse_ok (cases[i].json);

      for (guint j = 0; j < updates->len; j++)
        {
          HeraldWebhookUpdate *update = g_ptr_array_index (updates, j);

          if (update->kind == HERALD_WEBHOOK_UPDATE_MALFORMED)
            {
              g_assert_null (malformed);
              malformed = update;
            }
          else if (update->kind == HERALD_WEBHOOK_UPDATE_STATUS)
            {
              g_assert_null (good);
              good = update;
            }
          else
            g_error ("case “%s”: unexpected update kind %d", cases[i].name, update->kind);
        }

      g_assert_nonnull (malformed);
      g_assert_cmpstr (malformed->problem, ==, cases[i].problem);
      g_assert_nonnull (good);
      g_assert_cmpstr (good->wamid, ==, "wamid.GOOD");
      g_assert_cmpint (good->status, ==, HERALD_MESSAGE_READ);
    }
#undef GOOD_STATUS
#undef GOOD_CHANGE
#undef IN_ENTRY
#undef IN_VALUE
#undef IN_STATUSES
#undef IN_MESSAGES
#undef IN_TEMPLATE
}

/* Every prefix of each example, and each example with single bytes
 * replaced, gives an error or updates, never a crash. */
static void
test_parse_mangled (void)
{
  const char *examples[] = { status_failed_example, inbound_text_example, template_status_example };
  static const char replacements[] = "{}[]\",:0a \\\xff";
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  guint parsed = 0;

  for (guint e = 0; e < G_N_ELEMENTS (examples); e++)
    {
      gsize len = strlen (examples[e]);

      for (gsize cut = 0; cut < len; cut++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) updates = herald_webhook_parse ((const guint8 *) examples[e], cut, &error);

          g_assert_true ((updates == NULL) != (error == NULL));
          g_assert_null (updates);
        }

      for (guint round = 0; round < 300; round++)
        {
          g_autofree char *copy = g_strdup (examples[e]);
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) updates = NULL;

          for (guint k = 0; k < 3; k++)
            copy[g_rand_int_range (rand, 0, (gint32) len)] =
              replacements[g_rand_int_range (rand, 0, sizeof replacements - 1)];

          updates = herald_webhook_parse ((const guint8 *) copy, len, &error);
          g_assert_true ((updates == NULL) != (error == NULL));
          if (updates != NULL)
            parsed++;
        }
    }

  /* Some mangled copies are still JSON, so the item checks ran too. */
  g_assert_cmpuint (parsed, >, 0);
}

static void
test_update_copy (void)
{
  g_autoptr(GPtrArray) updates = parse_ok (status_failed_example);
  g_autoptr(HeraldWebhookUpdate) copy = NULL;
  HeraldWebhookUpdate *original = g_ptr_array_index (updates, 0);

  copy = g_boxed_copy (HERALD_TYPE_WEBHOOK_UPDATE, original);
  g_assert_true (copy != original);
  g_assert_true (copy->wamid != original->wamid);
  g_assert_cmpstr (copy->wamid, ==, original->wamid);
  g_assert_cmpstr (copy->error_details, ==, "<reason>");
  g_assert_cmpint (copy->error_code, ==, 131049);
  g_assert_cmpint (copy->timestamp, ==, original->timestamp);
  g_assert_null (copy->template_id);

  /* The copy outlives the parse. */
  g_clear_pointer (&updates, g_ptr_array_unref);
  g_assert_cmpstr (copy->biz_opaque_callback_data, ==, "campaign=17;row=42");
}

static void
test_describe_error_code (void)
{
  const gint64 described[] = {
    131026, 131049, 131050, 131047, 132000, 130472, 131053, 131056, 132001, 132015, 132016, 131042,
  };

  g_assert_cmpstr (herald_webhook_describe_error_code (131026), ==,
                   "This number is not on WhatsApp or can’t receive messages");
  g_assert_nonnull (strstr (herald_webhook_describe_error_code (131050), "opted out"));

  for (guint i = 0; i < G_N_ELEMENTS (described); i++)
    {
      const char *reason = herald_webhook_describe_error_code (described[i]);

      g_assert_nonnull (reason);
      g_assert_true (g_utf8_validate (reason, -1, NULL));
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (reason, !=, herald_webhook_describe_error_code (described[j]));
    }

  g_assert_null (herald_webhook_describe_error_code (999999));
  g_assert_null (herald_webhook_describe_error_code (-1));
}

static void
test_opt_out (void)
{
  const char *custom_words[] = { "Stopp", "désabonner", NULL };
  const struct
  {
    const char *type;
    const char *text;
    const char *payload;
    const char *button_text;
    const char * const *words;
    gboolean opt_out;
  } cases[] = {
    { "text", "STOP", NULL, NULL, NULL, TRUE },
    { "text", "stop", NULL, NULL, NULL, TRUE },
    { "text", "  Stop!\n", NULL, NULL, NULL, TRUE },
    { "text", "unsubscribe", NULL, NULL, NULL, TRUE },
    { "text", "Parar.", NULL, NULL, NULL, TRUE },
    { "text", "baja", NULL, NULL, NULL, TRUE },
    { "text", "Saír", NULL, NULL, NULL, TRUE },
    { "text", "ＳＴＯＰ", NULL, NULL, NULL, TRUE },
    { "text", "Stop sending me offers", NULL, NULL, NULL, FALSE },
    { "text", "stopwatch", NULL, NULL, NULL, FALSE },
    { "text", "", NULL, NULL, NULL, FALSE },
    { "text", "!!!", NULL, NULL, NULL, FALSE },
    { "text", "Thanks", NULL, NULL, NULL, FALSE },
    { "text", "\xff\xfe", NULL, NULL, NULL, FALSE },
    { "button", NULL, "OPTOUT", "Unsubscribe", NULL, TRUE },
    { "button", NULL, "optout", "Not now", NULL, TRUE },
    { "button", NULL, "MORE_INFO", "Unsubscribe", NULL, TRUE },
    { "button", NULL, "MORE_INFO", "Tell me more", NULL, FALSE },
    { "text", "DÉSABONNER", NULL, NULL, custom_words, TRUE },
    { "text", "stopp ", NULL, NULL, custom_words, TRUE },
    { "text", "STOP", NULL, NULL, custom_words, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HeraldWebhookUpdate update = {
        .kind = HERALD_WEBHOOK_UPDATE_INBOUND,
        .message_type = (char *) cases[i].type,
        .text = (char *) cases[i].text,
        .button_payload = (char *) cases[i].payload,
        .button_text = (char *) cases[i].button_text,
      };

      if (herald_webhook_is_opt_out (&update, cases[i].words) != cases[i].opt_out)
        g_error ("case %u (“%s” / “%s”): expected %s", i, cases[i].text, cases[i].payload,
                 cases[i].opt_out ? "an opt-out" : "no opt-out");
    }

  /* Only inbound messages opt out; a status carries no text anyway. */
  {
    HeraldWebhookUpdate status = { .kind = HERALD_WEBHOOK_UPDATE_STATUS, .text = (char *) "STOP" };

    g_assert_false (herald_webhook_is_opt_out (&status, NULL));
  }

  g_assert_true (g_strv_contains (herald_webhook_get_default_opt_out_words (), "STOP"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/herald/webhook/signature/compute", test_signature_compute);
  g_test_add_func ("/herald/webhook/signature/verify", test_signature_verify);
  g_test_add_func ("/herald/webhook/signature/raw-bytes", test_signature_raw_bytes);
  g_test_add_func ("/herald/webhook/parse/status-example", test_parse_status_example);
  g_test_add_func ("/herald/webhook/parse/status-names", test_parse_status_names);
  g_test_add_func ("/herald/webhook/parse/inbound-text", test_parse_inbound_text);
  g_test_add_func ("/herald/webhook/parse/inbound-kinds", test_parse_inbound_kinds);
  g_test_add_func ("/herald/webhook/parse/template-status", test_parse_template_status);
  g_test_add_func ("/herald/webhook/parse/template-variants", test_parse_template_variants);
  g_test_add_func ("/herald/webhook/parse/value-errors", test_parse_value_errors);
  g_test_add_func ("/herald/webhook/parse/batch", test_parse_batch);
  g_test_add_func ("/herald/webhook/parse/refused", test_parse_refused);
  g_test_add_func ("/herald/webhook/parse/malformed-items", test_parse_malformed_items);
  g_test_add_func ("/herald/webhook/parse/mangled", test_parse_mangled);
  g_test_add_func ("/herald/webhook/update/copy", test_update_copy);
  g_test_add_func ("/herald/webhook/describe-error-code", test_describe_error_code);
  g_test_add_func ("/herald/webhook/opt-out", test_opt_out);

  return g_test_run ();
}
