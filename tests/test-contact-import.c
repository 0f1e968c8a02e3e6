/* test-contact-import.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "herald-contact-import.h"
#include "herald-test-utils.h"

typedef struct
{
  char        *dir;
  HeraldStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = herald_test_tmp_dir ();
  path = g_build_filename (fixture->dir, "herald.db", NULL);
  fixture->store = herald_store_new (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  g_free (fixture->dir);
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const char *data,
            gssize      len)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static HeraldContactImportReport *
import_file (Fixture    *fixture,
             GFile      *file,
             const char *region,
             GError    **error)
{
  g_autoptr(HeraldContactImport) import = herald_contact_import_new (file);

  herald_contact_import_set_default_region (import, region);
  return herald_contact_import_run (import, fixture->store, NULL, error);
}

static HeraldContactImportReport *
import_text (Fixture    *fixture,
             const char *text,
             const char *region)
{
  g_autoptr(GFile) file = write_file (fixture, "import.csv", text, -1);
  g_autoptr(GError) error = NULL;
  HeraldContactImportReport *report = import_file (fixture, file, region, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static HeraldContact *
get_contact (Fixture    *fixture,
             const char *number)
{
  g_autoptr(GError) error = NULL;
  HeraldContact *contact = herald_store_get_contact_by_mobile_number (fixture->store, number, &error);

  g_assert_no_error (error);
  g_assert_nonnull (contact);
  return contact;
}

static gint64
count_contacts (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 n = herald_store_count_contacts (fixture->store, NULL, &error);

  g_assert_no_error (error);
  return n;
}

static char *
report_json (const HeraldContactImportReport *report)
{
  g_autoptr(JsonNode) node = herald_contact_import_report_to_json (report);

  return json_to_string (node, FALSE);
}

/* A reason names the number once, quoted, even when the phone module's
 * message has the bare number in it ("Too short for +49"). */
static void
test_reason_quotes_number (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(HeraldContactImportReport) report = NULL;

  report = import_text (fixture, "Name,Mobile\nShort,+49\nShorter,+4917\n", NULL);
  g_assert_cmpuint (herald_contact_import_report_get_n_rejections (report), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const char *reason = herald_contact_import_report_get_rejection_reason (report, i);

      g_test_message ("%s", reason);
      g_assert_true (g_str_has_prefix (reason, i == 0 ? "mobile number “+49”: " : "mobile number “+4917”"));
    }
}

static void
test_basic (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(HeraldContactImportReport) report = NULL;
  g_autoptr(HeraldContact) ana = NULL;
  g_autofree char *json = NULL;
  g_autofree char *line = NULL;

  report = import_text (fixture,
                        "Name,Mobile,Email,Notes,City\r\n"
                        "Ana García,+34 600 111 222,ana@example.com,\"likes \"\"tea\"\", not coffee\",Madrid\r\n"
                        "Bob,+1 (415) 555-0100,,,\r\n"
                        "\r\n"
                        ",,,,\r\n"
                        "Bad,12ab,,,\r\n"
                        "Nobody,,,,\r\n",
                        NULL);

  g_assert_cmpuint (herald_contact_import_report_get_imported (report), ==, 2);
  g_assert_cmpuint (herald_contact_import_report_get_updated (report), ==, 0);
  g_assert_cmpuint (herald_contact_import_report_get_n_rejections (report), ==, 2);
  g_assert_cmpuint (herald_contact_import_report_get_rejection_line (report, 0), ==, 6);
  line = herald_contact_import_report_format_rejection (report, 0);
  g_assert_cmpstr (line, ==, "Line 6: mobile number “12ab” contains a letter");
  g_assert_cmpuint (herald_contact_import_report_get_rejection_line (report, 1), ==, 7);
  g_assert_cmpstr (herald_contact_import_report_get_rejection_reason (report, 1), ==, "no mobile number");

  json = report_json (report);
  g_assert_cmpstr (json, ==,
                   "{\"imported\":2,\"updated\":0,\"skipped\":2,\"errors\":["
                   "{\"line\":6,\"reason\":\"mobile number “12ab” contains a letter\"},"
                   "{\"line\":7,\"reason\":\"no mobile number\"}]}");

  ana = get_contact (fixture, "+34600111222");
  g_assert_cmpstr (herald_contact_get_name (ana), ==, "Ana García");
  g_assert_cmpstr (herald_contact_get_email (ana), ==, "ana@example.com");
  g_assert_cmpstr (herald_contact_get_notes (ana), ==, "likes \"tea\", not coffee");
  g_assert_cmpstr (herald_contact_get_attribute (ana, "City"), ==, "Madrid");
  g_assert_cmpint (count_contacts (fixture), ==, 2);
}

static void
test_default_region (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(HeraldContactImportReport) report = NULL;
  g_autoptr(HeraldContact) contact = NULL;

  report = import_text (fixture, "nombre;móvil\nJosé;600 111 222\n", "ES");
  g_assert_cmpuint (herald_contact_import_report_get_imported (report), ==, 1);
  contact = get_contact (fixture, "+34600111222");
  g_assert_cmpstr (herald_contact_get_name (contact), ==, "José");
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(HeraldContactImportReport) first = NULL;
  g_autoptr(HeraldContactImportReport) second = NULL;
  g_autoptr(HeraldContact) ana = NULL;
  g_autofree char *json = NULL;

  first = import_text (fixture,
                       "name,mobile,email\n"
                       "Ana,+34 600 111 222,ana@example.com\n"
                       "Ana again,+34600111222,\n"
                       "Bob,+34 600 333 444,\n",
                       NULL);
  g_assert_cmpuint (herald_contact_import_report_get_imported (first), ==, 2);
  g_assert_cmpuint (herald_contact_import_report_get_n_rejections (first), ==, 1);
  g_assert_cmpuint (herald_contact_import_report_get_rejection_line (first, 0), ==, 3);
  g_assert_cmpstr (herald_contact_import_report_get_rejection_reason (first, 0), ==,
                   "the mobile number +34600111222 repeats line 2");
  /* Every data row is counted once: imported, updated or skipped, and each
   * skipped one is listed with its reason (the CLI's "skipped" and
   * "errors"). */
  json = report_json (first);
  g_assert_cmpstr (json, ==,
                   "{\"imported\":2,\"updated\":0,\"skipped\":1,\"errors\":["
                   "{\"line\":3,\"reason\":\"the mobile number +34600111222 repeats line 2\"}]}");

  /* Against the store: an update, never a second contact; the email stays. */
  second = import_text (fixture,
                        "name,mobile,vip\n"
                        "Ana Updated,0034 600 111 222,yes\n"
                        "Carl,+34 600 555 666,\n",
                        NULL);
  g_assert_cmpuint (herald_contact_import_report_get_imported (second), ==, 1);
  g_assert_cmpuint (herald_contact_import_report_get_updated (second), ==, 1);
  g_assert_cmpint (count_contacts (fixture), ==, 3);

  ana = get_contact (fixture, "+34600111222");
  g_assert_cmpstr (herald_contact_get_name (ana), ==, "Ana Updated");
  g_assert_cmpstr (herald_contact_get_email (ana), ==, "ana@example.com");
  g_assert_cmpstr (herald_contact_get_attribute (ana, "vip"), ==, "yes");
}

/* A list imported again never opts anybody back in nor re-activates them,
 * keeps notes and emails the file lacks, and still refuses a bad email. */
static void
test_reimport_keeps_state (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(HeraldContactImportReport) first = NULL;
  g_autoptr(HeraldContactImportReport) second = NULL;
  g_autoptr(HeraldContact) ana = NULL;
  g_autoptr(HeraldContact) bob = NULL;
  g_autoptr(GError) error = NULL;

  first = import_text (fixture,
                       "name,mobile,email,notes,opted out,city\n"
                       "Ana,+34 600 111 222,ana@example.com,Met in Madrid,,Madrid\n"
                       "Bob,+34 600 333 444,,,yes,\n",
                       NULL);
  g_assert_cmpuint (herald_contact_import_report_get_imported (first), ==, 2);
  bob = get_contact (fixture, "+34600333444");
  g_assert_true (herald_contact_get_opted_out (bob));
  g_assert_nonnull (herald_contact_get_opted_out_at (bob));
  g_assert_cmpstr (herald_contact_get_attributes (bob), ==, "{}");
  g_clear_object (&bob);

  ana = get_contact (fixture, "+34600111222");
  herald_contact_set_is_active (ana, FALSE);
  g_assert_true (herald_store_save_contact (fixture->store, ana, &error));
  g_assert_true (herald_store_set_contact_opted_out (fixture->store, herald_contact_get_id (ana),
                                                     TRUE, "Replied STOP", NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&ana);

  second = import_text (fixture,
                        "name,mobile,email,notes,opted out,tier\n"
                        "Ana Again,+34 600 111 222,,,no,gold\n"
                        "Bob,+34 600 333 444,,,,\n"
                        "Carl,+34 600 555 666,carl at example,,,\n",
                        NULL);
  g_assert_cmpuint (herald_contact_import_report_get_imported (second), ==, 0);
  g_assert_cmpuint (herald_contact_import_report_get_updated (second), ==, 2);
  g_assert_cmpuint (herald_contact_import_report_get_n_rejections (second), ==, 1);
  g_assert_cmpuint (herald_contact_import_report_get_rejection_line (second, 0), ==, 4);
  g_assert_true (g_str_has_prefix (herald_contact_import_report_get_rejection_reason (second, 0), "Email: "));
  g_assert_cmpint (count_contacts (fixture), ==, 2);

  ana = get_contact (fixture, "+34600111222");
  g_assert_cmpstr (herald_contact_get_name (ana), ==, "Ana Again");
  g_assert_cmpstr (herald_contact_get_email (ana), ==, "ana@example.com");
  g_assert_cmpstr (herald_contact_get_notes (ana), ==, "Met in Madrid");
  g_assert_cmpstr (herald_contact_get_attribute (ana, "city"), ==, "Madrid");
  g_assert_cmpstr (herald_contact_get_attribute (ana, "tier"), ==, "gold");
  g_assert_true (herald_contact_get_opted_out (ana));
  g_assert_false (herald_contact_get_is_active (ana));
  bob = get_contact (fixture, "+34600333444");
  g_assert_true (herald_contact_get_opted_out (bob));
}

/* The importer writes the attributes' JSON itself: any text survives, and
 * two columns with one key behave as JSON objects do (the first place, the
 * last value given). */
static void
test_attribute_json (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "json.csv",
                                      "name,mobile,remark,label,alias\n"
                                      "Ana,+34 600 111 222,\"say \"\"hi\"\"\\\\ \x01\tnow\nplease\",Ñandú 🐦,A\n"
                                      "Bob,+34 600 333 444,,B,\n"
                                      "Cy,+34 600 555 666,,,\n", -1);
  g_autoptr(HeraldContactImport) import = herald_contact_import_new (file);
  g_autoptr(HeraldContactImportReport) report = NULL;
  g_autoptr(HeraldContact) ana = NULL;
  g_autoptr(HeraldContact) bob = NULL;
  g_autoptr(HeraldContact) cy = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_contact_import_load (import, 1, NULL, &error));
  g_assert_cmpint (herald_contact_import_get_field (import, 2), ==, HERALD_CONTACT_FIELD_ATTRIBUTE);
  herald_contact_import_set_field (import, 4, HERALD_CONTACT_FIELD_ATTRIBUTE, "remark");
  report = herald_contact_import_run (import, fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (herald_contact_import_report_get_imported (report), ==, 3);

  ana = get_contact (fixture, "+34600111222");
  g_assert_cmpstr (herald_contact_get_attributes (ana), ==, "{\"remark\":\"A\",\"label\":\"Ñandú 🐦\"}");
  bob = get_contact (fixture, "+34600333444");
  g_assert_cmpstr (herald_contact_get_attributes (bob), ==, "{\"label\":\"B\"}");
  cy = get_contact (fixture, "+34600555666");
  g_assert_cmpstr (herald_contact_get_attributes (cy), ==, "{}");

  /* Without the second remark column, the first one's text comes back whole. */
  herald_contact_import_set_field (import, 4, HERALD_CONTACT_FIELD_IGNORE, NULL);
  g_clear_pointer (&report, herald_contact_import_report_free);
  report = herald_contact_import_run (import, fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (herald_contact_import_report_get_updated (report), ==, 3);
  g_clear_object (&ana);
  ana = get_contact (fixture, "+34600111222");
  g_assert_cmpstr (herald_contact_get_attribute (ana, "remark"), ==, "say \"hi\"\\\\ \x01\tnow\nplease");
  g_assert_cmpstr (herald_contact_get_attribute (ana, "label"), ==, "Ñandú 🐦");
}

/* Whatever stops the file being read, the store is left exactly as it was. */
static void
test_unreadable_leaves_store (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(HeraldContactImportReport) seed = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autoptr(GFile) binary = NULL;
  g_autoptr(GFile) no_phone = NULL;
  g_autoptr(GFile) broken_late = NULL;
  g_autoptr(GFile) empty = NULL;
  g_autoptr(HeraldContact) ana = NULL;
  g_autoptr(GString) utf16 = g_string_new_len ("\xFF\xFE", 2);
  g_autofree char *missing_path = g_build_filename (fixture->dir, "missing.csv", NULL);
  const char zip[] = "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00";
  struct { GFile **file; GQuark domain; int code; } cases[] = {
    { &missing, G_IO_ERROR, G_IO_ERROR_NOT_FOUND },
    { &binary, HERALD_CSV_ERROR, HERALD_CSV_ERROR_NOT_TEXT },
    { &no_phone, HERALD_CONTACT_IMPORT_ERROR, HERALD_CONTACT_IMPORT_ERROR_NO_PHONE_COLUMN },
    { &empty, HERALD_CONTACT_IMPORT_ERROR, HERALD_CONTACT_IMPORT_ERROR_EMPTY },
    { &broken_late, G_IO_ERROR, G_IO_ERROR_INVALID_DATA },
  };
  const char *rows = "name,mobile\r\nAna New,+34 600 111 222\r\nZed,+34 699 000 001\r\n";

  seed = import_text (fixture, "name,mobile\nAna,+34 600 111 222\n", NULL);
  g_assert_cmpint (count_contacts (fixture), ==, 1);

  missing = g_file_new_for_path (missing_path);
  binary = write_file (fixture, "binary.csv", zip, sizeof zip - 1);
  no_phone = write_file (fixture, "no-phone.csv", "name,email\nAna,a@example.com\n", -1);
  empty = write_file (fixture, "empty.csv", "\r\n\r\n", -1);

  /* UTF-16 whose good rows come first and a lone surrogate far below: the
   * rows read before the error must not stay in the store. */
  for (const char *p = rows; *p != '\0'; p++)
    g_string_append_c (utf16, *p), g_string_append_c (utf16, '\0');
  for (guint i = 0; i < 40000; i++)
    g_string_append_len (utf16, "x\0", 2);
  g_string_append_len (utf16, "\x00\xD8" "a\0", 4);
  broken_late = write_file (fixture, "broken.csv", utf16->str, utf16->len);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HeraldContactImportReport) report = import_file (fixture, *cases[i].file, NULL, &error);

      g_assert_null (report);
      g_assert_error (error, cases[i].domain, cases[i].code);
      g_assert_cmpint (count_contacts (fixture), ==, 1);
    }

  ana = get_contact (fixture, "+34600111222");
  g_assert_cmpstr (herald_contact_get_name (ana), ==, "Ana");
}

static void
test_broken_quotes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(HeraldContactImportReport) report = NULL;

  report = import_text (fixture,
                        "name,mobile\n"
                        "Ana,+34 600 111 222\n"
                        "\"Bob,+34 600 333 444\n"
                        "Carl,+34 600 555 666\n"
                        "\"Dan\"x,+34 600 777 888\n"
                        "Eve,+34 600 999 000\n",
                        NULL);

  g_assert_cmpuint (herald_contact_import_report_get_imported (report), ==, 3);
  g_assert_cmpuint (herald_contact_import_report_get_n_rejections (report), ==, 2);
  g_assert_cmpuint (herald_contact_import_report_get_rejection_line (report, 0), ==, 3);
  g_assert_cmpstr (herald_contact_import_report_get_rejection_reason (report, 0), ==,
                   "a quoted field is not closed properly (unexpected text after a quote on line 5)");
  g_assert_cmpuint (herald_contact_import_report_get_rejection_line (report, 1), ==, 5);
  g_assert_cmpstr (herald_contact_import_report_get_rejection_fields (report, 1)[0], ==,
                   "\"Dan\"x,+34 600 777 888");
}

typedef struct
{
  const char         *header;
  HeraldContactField  fields[8];
} MappingCase;

static const MappingCase mapping_cases[] = {
  { "Name,Given Name,Family Name,Phone 1 - Type,Phone 1 - Value,E-mail 1 - Value,Notes,Group Membership",
    { HERALD_CONTACT_FIELD_NAME, HERALD_CONTACT_FIELD_FIRST_NAME, HERALD_CONTACT_FIELD_LAST_NAME,
      HERALD_CONTACT_FIELD_ATTRIBUTE, HERALD_CONTACT_FIELD_MOBILE_NUMBER, HERALD_CONTACT_FIELD_EMAIL,
      HERALD_CONTACT_FIELD_NOTES, HERALD_CONTACT_FIELD_ATTRIBUTE } },
  { "First Name,Last Name,Business Phone,Home Phone,Mobile Phone,E-mail Address,,Company",
    { HERALD_CONTACT_FIELD_FIRST_NAME, HERALD_CONTACT_FIELD_LAST_NAME, HERALD_CONTACT_FIELD_ATTRIBUTE,
      HERALD_CONTACT_FIELD_ATTRIBUTE, HERALD_CONTACT_FIELD_MOBILE_NUMBER, HERALD_CONTACT_FIELD_EMAIL,
      HERALD_CONTACT_FIELD_IGNORE, HERALD_CONTACT_FIELD_ATTRIBUTE } },
  { "NOMBRE;Teléfono Móvil;Correo Electrónico;Observações",
    { HERALD_CONTACT_FIELD_NAME, HERALD_CONTACT_FIELD_MOBILE_NUMBER, HERALD_CONTACT_FIELD_EMAIL,
      HERALD_CONTACT_FIELD_NOTES } },
  { "नाम,मोबाइल,ईमेल",
    { HERALD_CONTACT_FIELD_NAME, HERALD_CONTACT_FIELD_MOBILE_NUMBER, HERALD_CONTACT_FIELD_EMAIL } },
  { "Nom,Téléphone,Courriel",
    { HERALD_CONTACT_FIELD_NAME, HERALD_CONTACT_FIELD_MOBILE_NUMBER, HERALD_CONTACT_FIELD_EMAIL } },
  { "Vorname,Nachname,Handy,Telefon",
    { HERALD_CONTACT_FIELD_FIRST_NAME, HERALD_CONTACT_FIELD_LAST_NAME,
      HERALD_CONTACT_FIELD_MOBILE_NUMBER, HERALD_CONTACT_FIELD_ATTRIBUTE } },
  { "Nome,Cellulare,Note", { HERALD_CONTACT_FIELD_NAME, HERALD_CONTACT_FIELD_MOBILE_NUMBER,
                             HERALD_CONTACT_FIELD_NOTES } },
  { "Nama,Nomor WhatsApp,Catatan", { HERALD_CONTACT_FIELD_NAME, HERALD_CONTACT_FIELD_MOBILE_NUMBER,
                                     HERALD_CONTACT_FIELD_NOTES } },
  { "name,WhatsApp,Phone", { HERALD_CONTACT_FIELD_NAME, HERALD_CONTACT_FIELD_MOBILE_NUMBER,
                             HERALD_CONTACT_FIELD_ATTRIBUTE } },
};

static void
test_mapping (Fixture       *fixture,
              gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (mapping_cases); i++)
    {
      const MappingCase *c = &mapping_cases[i];
      g_autofree char *text = g_strconcat (c->header, "\n", NULL);
      g_autoptr(GFile) file = write_file (fixture, "mapping.csv", text, -1);
      g_autoptr(HeraldContactImport) import = herald_contact_import_new (file);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) headers = g_strsplit_set (c->header, ",;", -1);

      g_assert_true (herald_contact_import_load (import, 5, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (herald_contact_import_get_n_columns (import), ==, g_strv_length (headers));
      for (guint j = 0; headers[j] != NULL; j++)
        {
          g_test_message ("%s: column %u", c->header, j);
          g_assert_cmpint (herald_contact_import_get_field (import, j), ==, c->fields[j]);
          if (c->fields[j] == HERALD_CONTACT_FIELD_ATTRIBUTE)
            g_assert_cmpstr (herald_contact_import_get_attribute_key (import, j), ==, headers[j]);
        }
    }
}

static void
test_google_and_outlook (Fixture       *fixture,
                         gconstpointer  data)
{
  struct { const char *file; const char *number; const char *name; const char *email; const char *key; const char *value; } cases[] = {
    { "csv-google-contacts.csv", "+14155550123", "Ana García", "ana@example.com", "Organization 1 - Name", "Acme" },
    { "csv-outlook.csv", "+447700900123", "Bob Smith", "bob@example.co.uk", "Business Phone", "+44 20 7946 0000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = herald_test_data_path (cases[i].file);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(HeraldContactImportReport) report = import_file (fixture, file, NULL, &error);
      g_autoptr(HeraldContact) contact = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (herald_contact_import_report_get_imported (report), ==, 2);
      g_assert_cmpuint (herald_contact_import_report_get_n_rejections (report), ==, 0);
      contact = get_contact (fixture, cases[i].number);
      g_assert_cmpstr (herald_contact_get_name (contact), ==, cases[i].name);
      g_assert_cmpstr (herald_contact_get_email (contact), ==, cases[i].email);
      g_assert_cmpstr (herald_contact_get_attribute (contact, cases[i].key), ==, cases[i].value);
    }
}

static void
test_edited_mapping (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "edit.csv",
                                      "who,cell,what\nAna,+34 600 111 222,VIP\nBob,+34 600 333 444,\n", -1);
  g_autoptr(HeraldContactImport) import = herald_contact_import_new (file);
  g_autoptr(HeraldContactImportReport) report = NULL;
  g_autoptr(HeraldContact) ana = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (herald_contact_import_load (import, 1, NULL, &error));
  g_assert_cmpuint (herald_contact_import_get_n_preview_rows (import), ==, 1);
  g_assert_cmpstr (herald_csv_record_get_field (herald_contact_import_get_preview_row (import, 0), 0), ==, "Ana");
  g_assert_cmpint (herald_contact_import_get_field (import, 0), ==, HERALD_CONTACT_FIELD_ATTRIBUTE);

  herald_contact_import_set_field (import, 0, HERALD_CONTACT_FIELD_NAME, NULL);
  herald_contact_import_set_field (import, 2, HERALD_CONTACT_FIELD_ATTRIBUTE, "tier");
  report = herald_contact_import_run (import, fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (herald_contact_import_report_get_imported (report), ==, 2);

  ana = get_contact (fixture, "+34600111222");
  g_assert_cmpstr (herald_contact_get_name (ana), ==, "Ana");
  g_assert_cmpstr (herald_contact_get_attribute (ana, "tier"), ==, "VIP");
}

static void
on_run_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  HeraldContactImportReport **report = user_data;
  g_autoptr(GError) error = NULL;

  *report = herald_contact_import_run_finish (HERALD_CONTACT_IMPORT (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
report_ready (gpointer data)
{
  return *(HeraldContactImportReport **) data != NULL;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "async.csv", "name,mobile\nAna,+34 600 111 222\n", -1);
  g_autoptr(HeraldContactImport) import = herald_contact_import_new (file);
  g_autoptr(HeraldContactImportReport) report = NULL;

  herald_contact_import_run_async (import, fixture->store, NULL, on_run_done_cb, &report);
  herald_test_wait_until (report_ready, &report, 10000);
  g_assert_cmpuint (herald_contact_import_report_get_imported (report), ==, 1);
}

static void
test_export_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(HeraldContactImportReport) report = NULL;
  g_autoptr(HeraldContactImportReport) again = NULL;
  g_autofree char *export_path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autofree char *other_path = g_build_filename (fixture->dir, "other.db", NULL);
  g_autoptr(GFile) export_file = g_file_new_for_path (export_path);
  g_autoptr(HeraldStore) other = NULL;
  g_autoptr(GPtrArray) original = NULL;
  g_autoptr(GPtrArray) copy = NULL;
  g_autoptr(GError) error = NULL;

  report = import_text (fixture,
                        "name,mobile,email,notes,City,Tier\n"
                        "Ana García,+34 600 111 222,ana@example.com,\"two\nlines, \"\"quoted\"\"\",Madrid,\n"
                        "Bob,+1 415 555 0100,,  spaces  ,,gold\n"
                        "Zoë €,+91 98765 43210,,,Pune,silver\n",
                        NULL);
  g_assert_cmpuint (herald_contact_import_report_get_imported (report), ==, 3);
  original = herald_store_list_contacts (fixture->store, NULL, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_true (herald_store_set_contact_opted_out (fixture->store,
                                                     herald_contact_get_id (g_ptr_array_index (original, 1)),
                                                     TRUE, "STOP", NULL, &error));
  g_clear_pointer (&original, g_ptr_array_unref);
  original = herald_store_list_contacts (fixture->store, NULL, 0, 100, &error);

  g_assert_true (herald_contact_export (fixture->store, export_file, NULL, &error));
  g_assert_no_error (error);

  other = herald_store_new (other_path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(HeraldContactImport) import = herald_contact_import_new (export_file);

    again = herald_contact_import_run (import, other, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (herald_contact_import_report_get_imported (again), ==, 3);
  g_assert_cmpuint (herald_contact_import_report_get_n_rejections (again), ==, 0);

  copy = herald_store_list_contacts (other, NULL, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copy->len, ==, original->len);
  for (guint i = 0; i < original->len; i++)
    {
      HeraldContact *a = g_ptr_array_index (original, i);
      HeraldContact *b = g_ptr_array_index (copy, i);
      g_autoptr(JsonNode) a_attributes = json_from_string (herald_contact_get_attributes (a), NULL);
      g_autoptr(JsonNode) b_attributes = json_from_string (herald_contact_get_attributes (b), NULL);

      g_assert_cmpstr (herald_contact_get_name (a), ==, herald_contact_get_name (b));
      g_assert_cmpstr (herald_contact_get_mobile_number (a), ==, herald_contact_get_mobile_number (b));
      g_assert_cmpstr (herald_contact_get_email (a), ==, herald_contact_get_email (b));
      g_assert_cmpstr (herald_contact_get_notes (a), ==, herald_contact_get_notes (b));
      g_assert_cmpint (herald_contact_get_opted_out (a), ==, herald_contact_get_opted_out (b));
      g_assert_true (json_node_equal (a_attributes, b_attributes));
    }
  g_assert_true (herald_contact_get_opted_out (g_ptr_array_index (copy, 1)));
}

static void
test_save_rejections (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(HeraldContactImportReport) report = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "rejected.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(HeraldCsvReader) reader = NULL;
  g_autoptr(HeraldCsvRecord) header = NULL;
  g_autoptr(HeraldCsvRecord) row = NULL;

  report = import_text (fixture, "name,mobile\nAna,+34 600 111 222\nBad,12ab\n", NULL);
  g_assert_true (herald_contact_import_save_rejections (report, file, &error));
  g_assert_no_error (error);

  reader = herald_csv_reader_new_for_file (file);
  header = herald_csv_reader_read_record (reader, NULL, &error);
  row = herald_csv_reader_read_record (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (herald_csv_record_get_field (header, 0), ==, "line");
  g_assert_cmpstr (herald_csv_record_get_field (row, 0), ==, "3");
  g_assert_cmpstr (herald_csv_record_get_field (row, 1), ==, "mobile number “12ab” contains a letter");
  g_assert_cmpstr (herald_csv_record_get_field (row, 2), ==, "Bad");
  g_assert_cmpstr (herald_csv_record_get_field (row, 3), ==, "12ab");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/herald/contact-import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("basic", test_basic);
  ADD ("reason-quotes-number", test_reason_quotes_number);
  ADD ("default-region", test_default_region);
  ADD ("duplicates", test_duplicates);
  ADD ("reimport-keeps-state", test_reimport_keeps_state);
  ADD ("attribute-json", test_attribute_json);
  ADD ("unreadable-leaves-store", test_unreadable_leaves_store);
  ADD ("broken-quotes", test_broken_quotes);
  ADD ("mapping", test_mapping);
  ADD ("google-and-outlook", test_google_and_outlook);
  ADD ("edited-mapping", test_edited_mapping);
  ADD ("async", test_async);
  ADD ("export-round-trip", test_export_round_trip);
  ADD ("save-rejections", test_save_rejections);

#undef ADD

  return g_test_run ();
}
