/* test-template-scope.c: Meta's review of a template and the Sandbox's,
 * kept apart (templates.status vs templates.sandbox_status)
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "herald-campaign.h"
#include "herald-migrations.h"
#include "herald-number.h"
#include "herald-status-applier.h"
#include "herald-store-private.h"
#include "herald-test-utils.h"

typedef struct
{
  char        *dir;
  char        *path;
  HeraldStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = herald_test_tmp_dir ();
  fixture->path = g_build_filename (fixture->dir, "herald.db", NULL);
  fixture->store = herald_store_new (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static HeraldTemplate *
get_template (HeraldStore *store,
              const char  *name)
{
  g_autoptr(GError) error = NULL;
  HeraldTemplate *template = herald_store_get_template_by_name (store, name, "en", &error);

  g_assert_no_error (error);
  return template;
}

static gint64
save_template (HeraldStore          *store,
               const char           *name,
               HeraldTemplateStatus  status,
               int                   sandbox_status)
{
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  g_autoptr(GError) error = NULL;

  herald_template_set_name (template, name);
  herald_template_set_language (template, "en");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, "Hello {{1}}, your parcel is on its way.");
  herald_template_set_status (template, status);
  herald_template_set_sandbox_status (template, sandbox_status);
  g_assert_true (herald_store_save_template (store, template, &error));
  g_assert_no_error (error);
  return herald_template_get_id (template);
}

/* Migration 3 on a database of schema 2 */

/* Rows as schema 2 stored them: a Sandbox submit or sync wrote the sim's
 * ids (10^15 + n) and reviews into meta_template_id and status, and the
 * Sandbox's sample was stored APPROVED without an id. */
static const char old_rows[] =
  "INSERT INTO templates (name, language, category, body, variables, status, meta_template_id,"
  "                       rejected_reason) VALUES"
  " ('sim_approved', 'en', 'UTILITY', 'Hi {{1}}', '[\"1\"]', 'APPROVED', '1000000000000003', NULL),"
  " ('sim_rejected', 'en', 'UTILITY', 'Hi {{1}}', '[\"1\"]', 'REJECTED', '1000000000000004', 'INVALID_FORMAT'),"
  " ('sandbox_welcome', 'en', 'UTILITY', 'Hi {{1}}', '[\"1\"]', 'APPROVED', NULL, NULL),"
  " ('real_approved', 'en', 'UTILITY', 'Hi {{1}}', '[\"1\"]', 'APPROVED', '1689556908129835', NULL),"
  " ('real_rejected', 'en', 'UTILITY', 'Hi {{1}}', '[\"1\"]', 'REJECTED', '594425479261596', 'SCAM'),"
  " ('hand_approved', 'en', 'UTILITY', 'Hi {{1}}', '[\"1\"]', 'APPROVED', NULL, NULL);";

/* Brings the fixture's database back to schema 2 with @old_rows, and
 * reopens it. */
static HeraldStore *
migrate_old_database (Fixture  *fixture,
                      gboolean  with_sandbox)
{
  g_autoptr(GError) error = NULL;
  HeraldStore *store;

  herald_test_store_exec (fixture->store, "BEGIN;"
                                          "ALTER TABLE templates DROP COLUMN sandbox_status;"
                                          "PRAGMA user_version = 2;"
                                          "COMMIT");
  herald_test_store_exec (fixture->store, old_rows);
  herald_test_store_exec (fixture->store, "INSERT INTO whatsapp_numbers (phone_number_id, phone_number) VALUES"
                                          " ('123456789012345', '+4930123456')");
  if (with_sandbox)
    herald_test_store_exec (fixture->store, "INSERT INTO whatsapp_numbers (phone_number_id, phone_number, is_sandbox) VALUES"
                                            " ('100000000000000', '+15550100000', 1)");
  g_clear_object (&fixture->store);

  store = herald_store_new (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_test_store_query_int (store, "PRAGMA user_version", NULL), ==, _herald_migrations_latest_version ());
  g_assert_cmpint (_herald_migrations_latest_version (), >=, 3);
  return store;
}

typedef struct
{
  const char           *name;
  HeraldTemplateStatus  status;
  const char           *meta_template_id;
  const char           *rejected_reason;
  int                   sandbox_status;
} Migrated;

static void
assert_migrated (HeraldStore    *store,
                 const Migrated *rows,
                 guint           n_rows)
{
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(HeraldTemplate) template = get_template (store, rows[i].name);

      g_test_message ("%s", rows[i].name);
      g_assert_cmpint (herald_template_get_status (template), ==, rows[i].status);
      g_assert_cmpstr (herald_template_get_meta_template_id (template), ==, rows[i].meta_template_id);
      g_assert_cmpstr (herald_template_get_rejected_reason (template), ==, rows[i].rejected_reason);
      g_assert_cmpint (herald_template_get_sandbox_status (template), ==, rows[i].sandbox_status);
    }
}

static void
test_migration (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(HeraldStore) store = migrate_old_database (fixture, TRUE);
  g_autoptr(GPtrArray) approved = NULL;
  g_autoptr(GError) error = NULL;
  const Migrated rows[] = {
    /* The sim's reviews leave Meta's status: Meta never saw these. */
    { "sim_approved", HERALD_TEMPLATE_DRAFT, NULL, NULL, HERALD_TEMPLATE_APPROVED },
    { "sim_rejected", HERALD_TEMPLATE_DRAFT, NULL, NULL, HERALD_TEMPLATE_REJECTED },
    { "sandbox_welcome", HERALD_TEMPLATE_DRAFT, NULL, NULL, HERALD_TEMPLATE_APPROVED },
    /* Meta's stay Meta's. */
    { "real_approved", HERALD_TEMPLATE_APPROVED, "1689556908129835", NULL, HERALD_TEMPLATE_SANDBOX_NONE },
    { "real_rejected", HERALD_TEMPLATE_REJECTED, "594425479261596", "SCAM", HERALD_TEMPLATE_SANDBOX_NONE },
    { "hand_approved", HERALD_TEMPLATE_APPROVED, NULL, NULL, HERALD_TEMPLATE_SANDBOX_NONE },
  };

  assert_migrated (store, rows, G_N_ELEMENTS (rows));

  /* What a real number may send: Meta's approvals only. */
  approved = herald_store_list_templates (store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (approved->len, ==, 2);
  g_assert_cmpstr (herald_template_get_name (g_ptr_array_index (approved, 0)), ==, "hand_approved");
  g_assert_cmpstr (herald_template_get_name (g_ptr_array_index (approved, 1)), ==, "real_approved");

  /* The column keeps to the status names. */
  g_assert_cmpint (sqlite3_exec (herald_store_get_db (store),
                                 "UPDATE templates SET sandbox_status = 'OK'", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT_CHECK);
}

/* Without a Sandbox number the Sandbox never ran here: nothing came from
 * the sim, whatever an id looks like. */
static void
test_migration_without_sandbox (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(HeraldStore) store = migrate_old_database (fixture, FALSE);
  const Migrated rows[] = {
    { "sim_approved", HERALD_TEMPLATE_APPROVED, "1000000000000003", NULL, HERALD_TEMPLATE_SANDBOX_NONE },
    { "sandbox_welcome", HERALD_TEMPLATE_APPROVED, NULL, NULL, HERALD_TEMPLATE_SANDBOX_NONE },
    { "real_approved", HERALD_TEMPLATE_APPROVED, "1689556908129835", NULL, HERALD_TEMPLATE_SANDBOX_NONE },
  };

  assert_migrated (store, rows, G_N_ELEMENTS (rows));
}

/* The store */

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 reviewed = save_template (fixture->store, "reviewed", HERALD_TEMPLATE_DRAFT, HERALD_TEMPLATE_PENDING);
  gint64 unseen = save_template (fixture->store, "unseen", HERALD_TEMPLATE_APPROVED, HERALD_TEMPLATE_SANDBOX_NONE);
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  template = get_template (fixture->store, "reviewed");
  g_assert_cmpint (herald_template_get_id (template), ==, reviewed);
  g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_DRAFT);
  g_assert_cmpint (herald_template_get_sandbox_status (template), ==, HERALD_TEMPLATE_PENDING);
  g_clear_object (&template);
  template = get_template (fixture->store, "unseen");
  g_assert_cmpint (herald_template_get_sandbox_status (template), ==, HERALD_TEMPLATE_SANDBOX_NONE);
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM templates WHERE sandbox_status IS NULL", NULL), ==, 1);
  g_clear_object (&template);

  /* The Sandbox's approval is the Sandbox's alone. */
  g_assert_true (herald_store_set_template_sandbox_status (fixture->store, reviewed, HERALD_TEMPLATE_APPROVED, &error));
  g_assert_no_error (error);
  template = herald_store_get_template (fixture->store, reviewed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_DRAFT);
  g_assert_null (herald_template_get_meta_template_id (template));
  g_assert_cmpint (herald_template_get_sandbox_status (template), ==, HERALD_TEMPLATE_APPROVED);

  /* An edit, or Meta's sync, saves the template: the Sandbox's review
   * stays, whatever the object says. */
  herald_template_set_sandbox_status (template, HERALD_TEMPLATE_SANDBOX_NONE);
  herald_template_set_status (template, HERALD_TEMPLATE_PENDING);
  herald_template_set_meta_template_id (template, "1689556908129835");
  g_assert_true (herald_store_save_template (fixture->store, template, &error));
  g_assert_no_error (error);
  g_assert_cmpint (herald_template_get_sandbox_status (template), ==, HERALD_TEMPLATE_APPROVED);
  g_clear_object (&template);
  template = get_template (fixture->store, "reviewed");
  g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_PENDING);
  g_assert_cmpstr (herald_template_get_meta_template_id (template), ==, "1689556908129835");
  g_assert_cmpint (herald_template_get_sandbox_status (template), ==, HERALD_TEMPLATE_APPROVED);
  g_clear_object (&template);

  /* Back to never reviewed; an unknown template is NOT_FOUND. */
  g_assert_true (herald_store_set_template_sandbox_status (fixture->store, unseen, HERALD_TEMPLATE_SANDBOX_NONE, &error));
  g_assert_no_error (error);
  g_assert_false (herald_store_set_template_sandbox_status (fixture->store, 999, HERALD_TEMPLATE_APPROVED, &error));
  g_assert_error (error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_NOT_FOUND);
}

static void
test_property (void)
{
  g_autoptr(HeraldTemplate) template = herald_template_new ();
  int value = 0;

  g_assert_cmpint (herald_template_get_sandbox_status (template), ==, HERALD_TEMPLATE_SANDBOX_NONE);
  g_object_set (template, "sandbox-status", HERALD_TEMPLATE_REJECTED, NULL);
  g_object_get (template, "sandbox-status", &value, NULL);
  g_assert_cmpint (value, ==, HERALD_TEMPLATE_REJECTED);
  g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_DRAFT);
}

/* Campaigns: a real number needs Meta's approval, the Sandbox number none */

static gint64
save_number (HeraldStore *store,
             const char  *phone_number_id,
             const char  *phone_number,
             gboolean     is_sandbox)
{
  g_autoptr(HeraldNumber) number = herald_number_new (phone_number_id, phone_number);
  g_autoptr(GError) error = NULL;

  herald_number_set_is_sandbox (number, is_sandbox);
  g_assert_true (herald_store_save_number (store, number, &error));
  g_assert_no_error (error);
  return herald_number_get_id (number);
}

static void
test_campaign_check (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct
  {
    const char           *template;
    HeraldTemplateStatus  status;
    int                   sandbox_status;
    gboolean              real_may_send;
  } cases[] = {
    { "meta_approved", HERALD_TEMPLATE_APPROVED, HERALD_TEMPLATE_SANDBOX_NONE, TRUE },
    { "both_approved", HERALD_TEMPLATE_APPROVED, HERALD_TEMPLATE_APPROVED, TRUE },
    { "sandbox_approved", HERALD_TEMPLATE_DRAFT, HERALD_TEMPLATE_APPROVED, FALSE },
    { "sandbox_pending", HERALD_TEMPLATE_DRAFT, HERALD_TEMPLATE_PENDING, FALSE },
    { "meta_pending", HERALD_TEMPLATE_PENDING, HERALD_TEMPLATE_APPROVED, FALSE },
    { "meta_rejected", HERALD_TEMPLATE_REJECTED, HERALD_TEMPLATE_SANDBOX_NONE, FALSE },
    { "draft", HERALD_TEMPLATE_DRAFT, HERALD_TEMPLATE_SANDBOX_NONE, FALSE },
  };
  gint64 real = save_number (fixture->store, "123456789012345", "+4930123456", FALSE);
  gint64 sandbox = save_number (fixture->store, "100000000000000", "+15550100000", TRUE);
  g_autoptr(HeraldContact) contact = herald_contact_new ("Ada", "+491701234567");
  g_autoptr(GError) error = NULL;
  gboolean created;

  g_assert_true (herald_store_upsert_contact (fixture->store, contact, &created, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 template_id = save_template (fixture->store, cases[i].template, cases[i].status,
                                          cases[i].sandbox_status);
      gint64 numbers[] = { real, sandbox };

      for (guint n = 0; n < G_N_ELEMENTS (numbers); n++)
        {
          g_autoptr(HeraldCampaignSpec) spec = herald_campaign_spec_new (numbers[n], template_id);
          g_autoptr(HeraldCampaign) campaign = NULL;
          gboolean may_send = numbers[n] == sandbox || cases[i].real_may_send;

          g_test_message ("%s on the %s number", cases[i].template, numbers[n] == sandbox ? "Sandbox" : "real");
          g_assert_true (herald_campaign_spec_bind (spec, "1", "name", &error));
          g_assert_no_error (error);
          campaign = herald_campaign_create (fixture->store, spec, NULL, &error);
          if (may_send)
            {
              g_assert_no_error (error);
              g_assert_nonnull (campaign);
            }
          else
            {
              g_assert_error (error, HERALD_CAMPAIGN_ERROR, HERALD_CAMPAIGN_ERROR_INVALID);
              g_assert_nonnull (strstr (error->message, cases[i].template));
              g_assert_null (campaign);
              g_clear_error (&error);
            }
        }
    }
}

/* A template status webhook from the Sandbox's own account is the Sandbox's
 * review: it lands in sandbox_status (found by name and language, as the
 * sim's ids are its own); Meta's status and id stay as they were. The same
 * event from another account is Meta's, looked up by Meta's id. */
#define TEMPLATE_WEBHOOK(account, event) \
  "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" account "\",\"time\":1700000000," \
  "\"changes\":[{\"field\":\"message_template_status_update\",\"value\":{\"event\":\"" event "\"," \
  "\"message_template_id\":1000000000000001,\"message_template_name\":\"parcel\"," \
  "\"message_template_language\":\"en\",\"reason\":\"NONE\"}}]}]}"

static void
ingest (HeraldStore       *store,
        const char        *body,
        HeraldApplyReport *report)
{
  g_autoptr(HeraldStatusApplier) applier = herald_status_applier_new (store);
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_status_applier_ingest (applier, (const guint8 *) body, strlen (body), report, &error));
  g_assert_no_error (error);
}

static void
test_sandbox_webhook (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(HeraldApplyReport) sandbox = { 0, };
  g_auto(HeraldApplyReport) real = { 0, };
  g_autoptr(HeraldTemplate) template = NULL;

  save_template (fixture->store, "parcel", HERALD_TEMPLATE_DRAFT, HERALD_TEMPLATE_PENDING);

  ingest (fixture->store, TEMPLATE_WEBHOOK (HERALD_SANDBOX_WABA_ID, "APPROVED"), &sandbox);
  g_assert_cmpuint (sandbox.templates, ==, 1);
  template = get_template (fixture->store, "parcel");
  g_assert_cmpint (herald_template_get_sandbox_status (template), ==, HERALD_TEMPLATE_APPROVED);
  g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_DRAFT);
  g_assert_null (herald_template_get_meta_template_id (template));
  g_assert_cmpint (herald_test_store_query_int (fixture->store, "SELECT count(*) FROM webhook_events WHERE error IS NOT NULL", NULL), ==, 0);

  /* From a real account, the sim's id names no template of Meta's. */
  ingest (fixture->store, TEMPLATE_WEBHOOK ("102290129340398", "REJECTED"), &real);
  g_assert_cmpuint (real.templates, ==, 0);
  g_clear_object (&template);
  template = get_template (fixture->store, "parcel");
  g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_DRAFT);
  g_assert_cmpint (herald_template_get_sandbox_status (template), ==, HERALD_TEMPLATE_APPROVED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/herald/template-scope/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("migration", test_migration);
  ADD ("migration/without-sandbox", test_migration_without_sandbox);
  ADD ("store/round-trip", test_round_trip);
  ADD ("campaign/real-vs-sandbox", test_campaign_check);
  ADD ("sandbox-webhook", test_sandbox_webhook);
#undef ADD
  g_test_add_func ("/herald/template-scope/property", test_property);

  return g_test_run ();
}
