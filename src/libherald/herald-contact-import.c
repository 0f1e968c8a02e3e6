/* herald-contact-import.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "herald-contact-import.h"
#include "herald-phone.h"
#include "herald-store-private.h"

G_DEFINE_QUARK (herald-contact-import-error-quark, herald_contact_import_error)

#define EXPORT_PAGE_SIZE 500

/* Header names we recognise, in the normalized form of normalize_header()
 * (case folded, accents dropped, punctuation as single spaces). Phone columns
 * have a rank: the best-ranked one holds the mobile number, others become
 * attributes. */
typedef struct
{
  const char         *header;
  HeraldContactField  field;
  guint               rank;
} KnownHeader;

static const KnownHeader known_headers[] = {
  /* Names: en, es, pt, hi, fr, de, it, id; Google and Outlook exports. */
  { "name", HERALD_CONTACT_FIELD_NAME, 0 },
  { "full name", HERALD_CONTACT_FIELD_NAME, 0 },
  { "contact name", HERALD_CONTACT_FIELD_NAME, 0 },
  { "display name", HERALD_CONTACT_FIELD_NAME, 0 },
  { "customer name", HERALD_CONTACT_FIELD_NAME, 0 },
  { "nombre", HERALD_CONTACT_FIELD_NAME, 0 },
  { "nombre completo", HERALD_CONTACT_FIELD_NAME, 0 },
  { "nome", HERALD_CONTACT_FIELD_NAME, 0 },
  { "nome completo", HERALD_CONTACT_FIELD_NAME, 0 },
  { "naam", HERALD_CONTACT_FIELD_NAME, 0 },
  { "pura naam", HERALD_CONTACT_FIELD_NAME, 0 },
  { "नाम", HERALD_CONTACT_FIELD_NAME, 0 },
  { "पूरा नाम", HERALD_CONTACT_FIELD_NAME, 0 },
  { "nom", HERALD_CONTACT_FIELD_NAME, 0 },
  { "nom complet", HERALD_CONTACT_FIELD_NAME, 0 },
  { "vollstandiger name", HERALD_CONTACT_FIELD_NAME, 0 },
  { "nome e cognome", HERALD_CONTACT_FIELD_NAME, 0 },
  { "nama", HERALD_CONTACT_FIELD_NAME, 0 },
  { "nama lengkap", HERALD_CONTACT_FIELD_NAME, 0 },
  { "first name", HERALD_CONTACT_FIELD_FIRST_NAME, 0 },
  { "firstname", HERALD_CONTACT_FIELD_FIRST_NAME, 0 },
  { "given name", HERALD_CONTACT_FIELD_FIRST_NAME, 0 },
  { "nombres", HERALD_CONTACT_FIELD_FIRST_NAME, 0 },
  { "primeiro nome", HERALD_CONTACT_FIELD_FIRST_NAME, 0 },
  { "prenom", HERALD_CONTACT_FIELD_FIRST_NAME, 0 },
  { "vorname", HERALD_CONTACT_FIELD_FIRST_NAME, 0 },
  { "nama depan", HERALD_CONTACT_FIELD_FIRST_NAME, 0 },
  { "pehla naam", HERALD_CONTACT_FIELD_FIRST_NAME, 0 },
  { "last name", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "lastname", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "family name", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "surname", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "apellido", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "apellidos", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "sobrenome", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "nom de famille", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "nachname", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "cognome", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "nama belakang", HERALD_CONTACT_FIELD_LAST_NAME, 0 },
  { "upnaam", HERALD_CONTACT_FIELD_LAST_NAME, 0 },

  /* Mobile numbers first, then any phone, then landlines. */
  { "mobile", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "mobile number", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "mobile phone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "mobile no", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "cell", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "cell phone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "cellphone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "whatsapp", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "whatsapp number", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "whatsapp no", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "celular", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "numero de celular", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "movil", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "telefono movil", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "numero de whatsapp", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "telemovel", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "telefone celular", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "मोबाइल", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "मोबाइल नंबर", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "व्हाट्सएप", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "mobile ka number", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "portable", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "telephone portable", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "handy", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "handynummer", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "mobilnummer", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "cellulare", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "numero di cellulare", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "ponsel", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "nomor ponsel", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "hp", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "no hp", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "nomor hp", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "nomor whatsapp", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 1 },
  { "phone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "phone number", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "phone no", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "phone 1 value", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "number", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "tel", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "telephone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "telefono", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "numero", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "numero de telefono", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "telefone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "numero de telefone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "फोन", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "फ़ोन", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "फोन नंबर", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "नंबर", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "numero de telephone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "telefon", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "telefonnummer", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "nummer", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "numero di telefono", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "telepon", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "nomor", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "nomor telepon", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 2 },
  { "primary phone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 3 },
  { "business phone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 3 },
  { "home phone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 3 },
  { "other phone", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 3 },
  { "phone 2 value", HERALD_CONTACT_FIELD_MOBILE_NUMBER, 3 },

  { "email", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "e mail", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "mail", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "email address", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "e mail address", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "e mail 1 value", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "correo", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "correo electronico", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "courriel", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "adresse e mail", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "ईमेल", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "posta elettronica", HERALD_CONTACT_FIELD_EMAIL, 0 },
  { "surel", HERALD_CONTACT_FIELD_EMAIL, 0 },

  { "notes", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "note", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "notas", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "nota", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "observacoes", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "observaciones", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "comments", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "comentarios", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "remarks", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "notizen", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "anmerkungen", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "catatan", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "keterangan", HERALD_CONTACT_FIELD_NOTES, 0 },
  { "टिप्पणी", HERALD_CONTACT_FIELD_NOTES, 0 },

  { "opted out", HERALD_CONTACT_FIELD_OPTED_OUT, 0 },
  { "opt out", HERALD_CONTACT_FIELD_OPTED_OUT, 0 },
};

static const char * const export_columns[] = {
  "name", "mobile_number", "email", "notes", "opted_out",
};

/* Report */

typedef struct
{
  guint   line;
  char   *reason;
  GStrv   fields;
} Rejection;

struct _HeraldContactImportReport
{
  guint   imported;
  guint   updated;
  GArray *rejections;
};

static void
rejection_clear (gpointer data)
{
  Rejection *rejection = data;

  g_free (rejection->reason);
  g_strfreev (rejection->fields);
}

static HeraldContactImportReport *
report_new (void)
{
  HeraldContactImportReport *report = g_new0 (HeraldContactImportReport, 1);

  report->rejections = g_array_new (FALSE, FALSE, sizeof (Rejection));
  g_array_set_clear_func (report->rejections, rejection_clear);
  return report;
}

static void
report_reject (HeraldContactImportReport *report,
               const HeraldCsvRecord     *record,
               char                      *reason)
{
  Rejection rejection = {
    .line = herald_csv_record_get_line (record),
    .reason = reason,
    .fields = g_strdupv ((char **) herald_csv_record_get_fields (record)),
  };

  g_array_append_val (report->rejections, rejection);
}

void
herald_contact_import_report_free (HeraldContactImportReport *report)
{
  if (report == NULL)
    return;

  g_array_unref (report->rejections);
  g_free (report);
}

guint
herald_contact_import_report_get_imported (const HeraldContactImportReport *report)
{
  g_return_val_if_fail (report != NULL, 0);

  return report->imported;
}

guint
herald_contact_import_report_get_updated (const HeraldContactImportReport *report)
{
  g_return_val_if_fail (report != NULL, 0);

  return report->updated;
}

/* The rows skipped, neither imported nor updated: each is a rejection with
 * its line and reason (a broken row, a bad number, a repeat of an earlier
 * row). Blank rows are not counted. */
guint
herald_contact_import_report_get_n_rejections (const HeraldContactImportReport *report)
{
  g_return_val_if_fail (report != NULL, 0);

  return report->rejections->len;
}

guint
herald_contact_import_report_get_rejection_line (const HeraldContactImportReport *report,
                                                 guint                            index)
{
  g_return_val_if_fail (report != NULL, 0);
  g_return_val_if_fail (index < report->rejections->len, 0);

  return g_array_index (report->rejections, Rejection, index).line;
}

/* Why the row was skipped, without its line number. */
const char *
herald_contact_import_report_get_rejection_reason (const HeraldContactImportReport *report,
                                                   guint                            index)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (index < report->rejections->len, NULL);

  return g_array_index (report->rejections, Rejection, index).reason;
}

/* The row's fields as read (for a row with broken quotes, its first line). */
const char * const *
herald_contact_import_report_get_rejection_fields (const HeraldContactImportReport *report,
                                                   guint                            index)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (index < report->rejections->len, NULL);

  return (const char * const *) g_array_index (report->rejections, Rejection, index).fields;
}

static char *
format_line_message (guint       line,
                     const char *reason)
{
  /* TRANSLATORS: a problem in a CSV file: "Line 7: mobile number “12ab” contains a letter" */
  return g_strdup_printf (_("Line %u: %s"), line, reason);
}

/* "Line 7: mobile number “12ab” contains a letter" */
char *
herald_contact_import_report_format_rejection (const HeraldContactImportReport *report,
                                               guint                            index)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (index < report->rejections->len, NULL);

  return format_line_message (herald_contact_import_report_get_rejection_line (report, index),
                              herald_contact_import_report_get_rejection_reason (report, index));
}

/* The CLI's document, shared with the UI:
 * {"imported":n,"updated":n,"skipped":n,"errors":[{"line":n,"reason":"…"}]} */
JsonNode *
herald_contact_import_report_to_json (const HeraldContactImportReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, report->imported);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, report->updated);
  json_builder_set_member_name (builder, "skipped");
  json_builder_add_int_value (builder, report->rejections->len);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->rejections->len; i++)
    {
      const Rejection *rejection = &g_array_index (report->rejections, Rejection, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, rejection->line);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, rejection->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static GFileOutputStream *
replace_file (GFile         *file,
              GCancellable  *cancellable,
              GError       **error)
{
  return g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
}

/* Writes the skipped rows as CSV (line, reason, then the row's own fields), so
 * that they can be fixed in a spreadsheet and imported again. */
gboolean
herald_contact_import_save_rejections (const HeraldContactImportReport  *report,
                                       GFile                            *file,
                                       GError                          **error)
{
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(HeraldCsvWriter) writer = NULL;
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  const char * const header[] = { _("line"), _("reason") };

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  out = replace_file (file, NULL, error);
  if (out == NULL)
    return FALSE;

  writer = herald_csv_writer_new (G_OUTPUT_STREAM (out), ',', TRUE);
  if (!herald_csv_writer_write_record (writer, header, G_N_ELEMENTS (header), NULL, error))
    return FALSE;

  for (guint i = 0; i < report->rejections->len; i++)
    {
      const Rejection *rejection = &g_array_index (report->rejections, Rejection, i);

      g_ptr_array_set_size (row, 0);
      g_ptr_array_add (row, g_strdup_printf ("%u", rejection->line));
      g_ptr_array_add (row, g_strdup (rejection->reason));
      for (guint j = 0; rejection->fields[j] != NULL; j++)
        g_ptr_array_add (row, g_strdup (rejection->fields[j]));

      if (!herald_csv_writer_write_record (writer, (const char * const *) row->pdata, row->len,
                                           NULL, error))
        return FALSE;
    }

  return herald_csv_writer_flush (writer, NULL, error)
         && g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

/* Import */

typedef struct
{
  char               *header;
  HeraldContactField  field;
  char               *attribute_key;
} Column;

struct _HeraldContactImport
{
  GObject    parent_instance;

  GFile     *file;
  char      *default_region;
  GArray    *columns;        /* of Column; empty until loaded */
  GPtrArray *preview;        /* of HeraldCsvRecord */
  gboolean   loaded;
};

G_DEFINE_FINAL_TYPE (HeraldContactImport, herald_contact_import, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_DEFAULT_REGION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
column_clear (gpointer data)
{
  Column *column = data;

  g_free (column->header);
  g_free (column->attribute_key);
}

static void
herald_contact_import_finalize (GObject *object)
{
  HeraldContactImport *self = (HeraldContactImport *)object;

  g_clear_object (&self->file);
  g_free (self->default_region);
  g_array_unref (self->columns);
  g_ptr_array_unref (self->preview);

  G_OBJECT_CLASS (herald_contact_import_parent_class)->finalize (object);
}

static void
herald_contact_import_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HeraldContactImport *self = HERALD_CONTACT_IMPORT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_DEFAULT_REGION:
      g_value_set_string (value, self->default_region);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_contact_import_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HeraldContactImport *self = HERALD_CONTACT_IMPORT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    case PROP_DEFAULT_REGION:
      herald_contact_import_set_default_region (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_contact_import_class_init (HeraldContactImportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = herald_contact_import_finalize;
  object_class->get_property = herald_contact_import_get_property;
  object_class->set_property = herald_contact_import_set_property;

  /**
   * HeraldContactImport:file:
   *
   * The CSV file to import.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * HeraldContactImport:default-region:
   *
   * The region (ISO 3166-1 alpha-2) of numbers written without a country code.
   */
  properties[PROP_DEFAULT_REGION] =
    g_param_spec_string ("default-region", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_contact_import_init (HeraldContactImport *self)
{
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, column_clear);
  self->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_csv_record_free);
}

HeraldContactImport *
herald_contact_import_new (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (HERALD_TYPE_CONTACT_IMPORT, "file", file, NULL);
}

GFile *
herald_contact_import_get_file (HeraldContactImport *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), NULL);

  return self->file;
}

const char *
herald_contact_import_get_default_region (HeraldContactImport *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), NULL);

  return self->default_region;
}

void
herald_contact_import_set_default_region (HeraldContactImport *self,
                                          const char          *region)
{
  g_return_if_fail (HERALD_IS_CONTACT_IMPORT (self));

  if (g_strcmp0 (self->default_region, region) == 0)
    return;

  g_free (self->default_region);
  self->default_region = g_strdup (region);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_REGION]);
}

/* Case folded, accents dropped (but not the vowel signs of Devanagari), and
 * every run of punctuation or spaces made one space: "E-mail 1 - Value" →
 * "e mail 1 value", "Teléfono Móvil" → "telefono movil". */
static char *
normalize_header (const char *header)
{
  g_autofree char *folded = g_utf8_casefold (header, -1);
  g_autofree char *decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (const char *p = decomposed; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x0300 && c <= 0x036F)
        continue;
      if (g_unichar_isalnum (c) || g_unichar_ismark (c))
        {
          if (pending_space && out->len > 0)
            g_string_append_c (out, ' ');
          pending_space = FALSE;
          g_string_append_unichar (out, c);
        }
      else
        {
          pending_space = TRUE;
        }
    }

  return g_utf8_normalize (out->str, -1, G_NORMALIZE_NFC);
}

static const KnownHeader *
find_known_header (const char *header)
{
  g_autofree char *normalized = normalize_header (header);

  /* The table goes through the same normalization, so that Devanagari written
   * with precomposed or separate nuktas compares equal. */
  for (guint i = 0; i < G_N_ELEMENTS (known_headers); i++)
    {
      g_autofree char *known = normalize_header (known_headers[i].header);

      if (strcmp (normalized, known) == 0)
        return &known_headers[i];
    }
  return NULL;
}

/* Guesses what each column holds from its header. Each known field goes to its
 * first column (for phone numbers, the best-ranked); any other column with a
 * header becomes a custom attribute named after it. */
static void
guess_mapping (HeraldContactImport   *self,
               const HeraldCsvRecord *header)
{
  guint n_columns = herald_csv_record_get_n_fields (header);
  g_autofree const KnownHeader **known = g_new0 (const KnownHeader *, n_columns + 1);
  gint phone_column = -1;
  gboolean taken[HERALD_CONTACT_FIELD_ATTRIBUTE + 1] = { FALSE };

  g_array_set_size (self->columns, 0);

  for (guint i = 0; i < n_columns; i++)
    {
      known[i] = find_known_header (herald_csv_record_get_field (header, i));
      if (known[i] != NULL && known[i]->field == HERALD_CONTACT_FIELD_MOBILE_NUMBER
          && (phone_column < 0 || known[i]->rank < known[phone_column]->rank))
        phone_column = i;
    }

  for (guint i = 0; i < n_columns; i++)
    {
      const char *text = herald_csv_record_get_field (header, i);
      g_autofree char *trimmed = g_strstrip (g_strdup (text));
      Column column = { .header = g_strdup (text) };

      if (known[i] != NULL && known[i]->field == HERALD_CONTACT_FIELD_MOBILE_NUMBER)
        column.field = (gint) i == phone_column ? HERALD_CONTACT_FIELD_MOBILE_NUMBER
                                                : HERALD_CONTACT_FIELD_ATTRIBUTE;
      else if (known[i] != NULL && !taken[known[i]->field])
        column.field = known[i]->field;
      else if (trimmed[0] != '\0')
        column.field = HERALD_CONTACT_FIELD_ATTRIBUTE;
      else
        column.field = HERALD_CONTACT_FIELD_IGNORE;

      taken[column.field] = TRUE;
      if (column.field == HERALD_CONTACT_FIELD_ATTRIBUTE)
        column.attribute_key = g_steal_pointer (&trimmed);
      g_array_append_val (self->columns, column);
    }
}

static gboolean
has_field (HeraldContactImport *self,
           HeraldContactField   field)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (g_array_index (self->columns, Column, i).field == field)
      return TRUE;
  return FALSE;
}

/* Reads the header (and guesses the mapping); a file whose header cannot be
 * read is not imported at all. */
static HeraldCsvReader *
open_reader (HeraldContactImport  *self,
             gboolean              guess,
             GCancellable         *cancellable,
             GError              **error)
{
  g_autoptr(HeraldCsvReader) reader = herald_csv_reader_new_for_file (self->file);
  g_autoptr(HeraldCsvRecord) header = NULL;
  g_autoptr(GError) local_error = NULL;

  header = herald_csv_reader_read_record (reader, cancellable, &local_error);
  if (header == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, HERALD_CONTACT_IMPORT_ERROR, HERALD_CONTACT_IMPORT_ERROR_EMPTY,
                     _("The file is empty"));
      return NULL;
    }

  if (herald_csv_record_get_error (header) != NULL)
    {
      g_set_error (error, HERALD_CONTACT_IMPORT_ERROR, HERALD_CONTACT_IMPORT_ERROR_BAD_HEADER,
                   "%s", herald_csv_record_get_error (header)->message);
      return NULL;
    }

  if (guess)
    guess_mapping (self, header);

  if (!has_field (self, HERALD_CONTACT_FIELD_MOBILE_NUMBER))
    {
      g_set_error (error, HERALD_CONTACT_IMPORT_ERROR, HERALD_CONTACT_IMPORT_ERROR_NO_PHONE_COLUMN,
                   _("No column holds mobile numbers: name one “mobile”, “phone” or “WhatsApp”"));
      return NULL;
    }

  return g_steal_pointer (&reader);
}

/**
 * herald_contact_import_load:
 * @n_preview_rows: how many rows to keep for a preview
 *
 * Reads the header, guesses the mapping of columns to fields (see
 * herald_contact_import_set_field() to change it) and keeps the first rows.
 * Fails when the file cannot be read or has no column of phone numbers.
 */
gboolean
herald_contact_import_load (HeraldContactImport  *self,
                            guint                 n_preview_rows,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_autoptr(HeraldCsvReader) reader = NULL;

  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), FALSE);

  g_ptr_array_set_size (self->preview, 0);
  reader = open_reader (self, TRUE, cancellable, error);
  if (reader == NULL)
    return FALSE;

  while (self->preview->len < n_preview_rows)
    {
      g_autoptr(GError) local_error = NULL;
      HeraldCsvRecord *record = herald_csv_reader_read_record (reader, cancellable, &local_error);

      if (record == NULL)
        {
          if (local_error == NULL)
            break;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (herald_csv_record_is_blank (record))
        herald_csv_record_free (record);
      else
        g_ptr_array_add (self->preview, record);
    }

  self->loaded = TRUE;
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (herald_contact_import_load (source_object, GPOINTER_TO_UINT (task_data), cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
herald_contact_import_load_async (HeraldContactImport *self,
                                  guint                n_preview_rows,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HERALD_IS_CONTACT_IMPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_contact_import_load_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (n_preview_rows), NULL);
  g_task_run_in_thread (task, load_thread);
}

gboolean
herald_contact_import_load_finish (HeraldContactImport  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
herald_contact_import_get_n_columns (HeraldContactImport *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), 0);

  return self->columns->len;
}

const char *
herald_contact_import_get_header (HeraldContactImport *self,
                                  guint                column)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);

  return g_array_index (self->columns, Column, column).header;
}

HeraldContactField
herald_contact_import_get_field (HeraldContactImport *self,
                                 guint                column)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), HERALD_CONTACT_FIELD_IGNORE);
  g_return_val_if_fail (column < self->columns->len, HERALD_CONTACT_FIELD_IGNORE);

  return g_array_index (self->columns, Column, column).field;
}

/* The attribute a HERALD_CONTACT_FIELD_ATTRIBUTE column fills, else NULL. */
const char *
herald_contact_import_get_attribute_key (HeraldContactImport *self,
                                         guint                column)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);

  return g_array_index (self->columns, Column, column).attribute_key;
}

/**
 * herald_contact_import_set_field:
 * @attribute_key: (nullable): for %HERALD_CONTACT_FIELD_ATTRIBUTE, the key;
 *   NULL uses the column's header
 *
 * Changes what @column fills. Another column that filled the same field (other
 * than attributes) is set to %HERALD_CONTACT_FIELD_IGNORE, so each field comes
 * from one column.
 */
void
herald_contact_import_set_field (HeraldContactImport *self,
                                 guint                column,
                                 HeraldContactField   field,
                                 const char          *attribute_key)
{
  Column *target;

  g_return_if_fail (HERALD_IS_CONTACT_IMPORT (self));
  g_return_if_fail (column < self->columns->len);
  g_return_if_fail (field <= HERALD_CONTACT_FIELD_ATTRIBUTE);

  if (field != HERALD_CONTACT_FIELD_ATTRIBUTE && field != HERALD_CONTACT_FIELD_IGNORE)
    {
      for (guint i = 0; i < self->columns->len; i++)
        {
          Column *other = &g_array_index (self->columns, Column, i);

          if (i != column && other->field == field)
            other->field = HERALD_CONTACT_FIELD_IGNORE;
        }
    }

  target = &g_array_index (self->columns, Column, column);
  target->field = field;
  g_clear_pointer (&target->attribute_key, g_free);
  if (field == HERALD_CONTACT_FIELD_ATTRIBUTE)
    target->attribute_key = g_strstrip (g_strdup (attribute_key != NULL ? attribute_key : target->header));
}

guint
herald_contact_import_get_n_preview_rows (HeraldContactImport *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), 0);

  return self->preview->len;
}

const HeraldCsvRecord *
herald_contact_import_get_preview_row (HeraldContactImport *self,
                                       guint                index)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), NULL);
  g_return_val_if_fail (index < self->preview->len, NULL);

  return g_ptr_array_index (self->preview, index);
}

static gboolean
is_truthy (const char *value)
{
  static const char * const yes[] = {
    "1", "yes", "y", "true", "x", "si", "sí", "sim", "oui", "ja", "ya", "हाँ",
  };
  g_autofree char *folded = g_utf8_casefold (value, -1);

  g_strstrip (folded);
  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (strcmp (folded, yes[i]) == 0)
      return TRUE;
  return FALSE;
}

static const char *
non_empty (const char *value)
{
  return value != NULL && value[0] != '\0' ? value : NULL;
}

/* The contact a row describes, as the store takes it: no HeraldContact per
 * row, and the number normalized here only (the store trusts it). */
typedef struct
{
  HeraldContactFields fields;
  /* What fields points to, but notes (the record's) and attributes
   * (AttributeBuilder's). */
  char *name;
  char *mobile_number;
  char *email;
} ImportRow;

static void
import_row_clear (ImportRow *row)
{
  g_clear_pointer (&row->name, g_free);
  g_clear_pointer (&row->mobile_number, g_free);
  g_clear_pointer (&row->email, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImportRow, import_row_clear)

/* Writes a row's attributes as a JSON object, into one buffer for the whole
 * import: a JsonObject and a generator per row cost a tenth of an import. */
typedef struct
{
  /* Column → the first attribute column with its key: as with
   * json_object_set_member (), a later column of the same key gives the
   * value but not the place. */
  guint *slots;
  /* Slot → this row's value, or NULL. */
  const char **values;
  GString *json;
} AttributeBuilder;

static void
attribute_builder_init (AttributeBuilder *builder,
                        GArray           *columns)
{
  builder->slots = g_new0 (guint, columns->len);
  builder->values = g_new0 (const char *, columns->len);
  builder->json = g_string_new (NULL);

  for (guint i = 0; i < columns->len; i++)
    {
      const Column *column = &g_array_index (columns, Column, i);

      builder->slots[i] = i;
      if (column->field != HERALD_CONTACT_FIELD_ATTRIBUTE)
        continue;

      for (guint j = 0; j < i; j++)
        {
          const Column *earlier = &g_array_index (columns, Column, j);

          if (earlier->field == HERALD_CONTACT_FIELD_ATTRIBUTE &&
              strcmp (earlier->attribute_key, column->attribute_key) == 0)
            {
              builder->slots[i] = j;
              break;
            }
        }
    }
}

static void
attribute_builder_clear (AttributeBuilder *builder)
{
  g_clear_pointer (&builder->slots, g_free);
  g_clear_pointer (&builder->values, g_free);
  if (builder->json != NULL)
    g_string_free (g_steal_pointer (&builder->json), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AttributeBuilder, attribute_builder_clear)

/* A JSON string (RFC 8259): quotes, backslashes and control characters
 * escaped, the rest (UTF-8) as it is. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

/* The attributes of the row whose values were set, or NULL for none. */
static const char *
attribute_builder_finish (AttributeBuilder *builder,
                          GArray           *columns)
{
  g_string_truncate (builder->json, 0);
  for (guint i = 0; i < columns->len; i++)
    {
      if (builder->values[i] == NULL)
        continue;

      g_string_append_c (builder->json, builder->json->len == 0 ? '{' : ',');
      append_json_string (builder->json, g_array_index (columns, Column, i).attribute_key);
      g_string_append_c (builder->json, ':');
      append_json_string (builder->json, builder->values[i]);
    }

  if (builder->json->len == 0)
    return NULL;

  g_string_append_c (builder->json, '}');
  return builder->json->str;
}

/* Fills @row with the contact a row describes, or returns FALSE with
 * *reason set. */
static gboolean
contact_from_record (HeraldContactImport    *self,
                     const HeraldCsvRecord  *record,
                     AttributeBuilder       *attributes,
                     ImportRow              *row,
                     char                  **reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mobile = NULL;
  g_autofree char *name = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *email = NULL;
  const char *notes = NULL;
  gboolean opted_out = FALSE;

  memset (attributes->values, 0, self->columns->len * sizeof *attributes->values);
  for (guint i = 0; i < self->columns->len; i++)
    {
      const Column *column = &g_array_index (self->columns, Column, i);
      char *value = g_strstrip (g_strdup (herald_csv_record_get_field (record, i)));

      switch (column->field)
        {
        case HERALD_CONTACT_FIELD_NAME:
          g_free (name);
          name = value;
          break;

        case HERALD_CONTACT_FIELD_FIRST_NAME:
          g_free (first);
          first = value;
          break;

        case HERALD_CONTACT_FIELD_LAST_NAME:
          g_free (last);
          last = value;
          break;

        case HERALD_CONTACT_FIELD_MOBILE_NUMBER:
          g_free (mobile);
          mobile = value;
          break;

        case HERALD_CONTACT_FIELD_EMAIL:
          g_free (email);
          email = value;
          break;

        case HERALD_CONTACT_FIELD_NOTES:
          notes = non_empty (herald_csv_record_get_field (record, i));
          g_free (value);
          break;

        case HERALD_CONTACT_FIELD_OPTED_OUT:
          opted_out = is_truthy (value);
          g_free (value);
          break;

        case HERALD_CONTACT_FIELD_ATTRIBUTE:
          if (value[0] != '\0')
            attributes->values[attributes->slots[i]] = herald_csv_record_get_field (record, i);
          g_free (value);
          break;

        case HERALD_CONTACT_FIELD_IGNORE:
        default:
          g_free (value);
          break;
        }
    }

  if (mobile == NULL || mobile[0] == '\0')
    {
      *reason = g_strdup (_("no mobile number"));
      return FALSE;
    }

  row->mobile_number = herald_phone_normalize (mobile, self->default_region, &error);
  if (row->mobile_number == NULL)
    {
      /* The phone module's messages quote the number when it is at fault;
       * the bare number may appear unquoted in others ("Too short for +49"). */
      g_autofree char *quoted = g_strdup_printf ("“%s”", mobile);

      if (strstr (error->message, quoted) != NULL)
        *reason = g_strdup_printf (_("mobile number %s"), error->message);
      else
        *reason = g_strdup_printf (_("mobile number “%s”: %s"), mobile, error->message);
      return FALSE;
    }

  if (name == NULL || name[0] == '\0')
    {
      g_free (name);
      name = g_strstrip (g_strjoin (" ", first != NULL ? first : "", last != NULL ? last : "", NULL));
    }
  /* A list of bare numbers is common; the number is the best name we have. */
  if (name[0] == '\0')
    {
      g_free (name);
      name = g_strdup (row->mobile_number);
    }
  row->name = g_steal_pointer (&name);
  row->email = g_steal_pointer (&email);

  row->fields = (HeraldContactFields) {
    .name = row->name,
    .mobile_number = row->mobile_number,
    .email = non_empty (row->email),
    .notes = notes,
    .is_active = TRUE,
    .opted_out = opted_out,
    .attributes = attribute_builder_finish (attributes, self->columns),
  };
  return TRUE;
}

static char *
strip_line_prefix (const GError *error,
                   guint         line)
{
  g_autofree char *prefix = format_line_message (line, "");

  if (g_str_has_prefix (error->message, prefix))
    return g_strdup (error->message + strlen (prefix));
  return g_strdup (error->message);
}

static gboolean
import_records (HeraldContactImport        *self,
                HeraldCsvReader            *reader,
                HeraldStore                *store,
                HeraldContactImportReport  *report,
                GCancellable               *cancellable,
                GError                    **error)
{
  /* Normalized number → the line that first had it: the first row wins, later
   * repeats are skipped and said so. */
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(AttributeBuilder) attributes = { NULL, };

  attribute_builder_init (&attributes, self->columns);
  for (;;)
    {
      g_autoptr(HeraldCsvRecord) record = NULL;
      g_auto(ImportRow) row = { 0, };
      g_autoptr(GError) local_error = NULL;
      char *reason = NULL;
      gpointer first_line;
      gboolean created = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      record = herald_csv_reader_read_record (reader, cancellable, &local_error);
      if (record == NULL)
        {
          if (local_error == NULL)
            return TRUE;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (herald_csv_record_get_error (record) != NULL)
        {
          report_reject (report, record,
                         strip_line_prefix (herald_csv_record_get_error (record),
                                            herald_csv_record_get_line (record)));
          continue;
        }
      if (herald_csv_record_is_blank (record))
        continue;

      if (!contact_from_record (self, record, &attributes, &row, &reason))
        {
          report_reject (report, record, reason);
          continue;
        }

      first_line = g_hash_table_lookup (seen, row.mobile_number);
      if (first_line != NULL)
        {
          report_reject (report, record,
                         g_strdup_printf (_("the mobile number %s repeats line %u"),
                                          row.mobile_number, GPOINTER_TO_UINT (first_line)));
          continue;
        }
      g_hash_table_insert (seen, g_strdup (row.mobile_number),
                           GUINT_TO_POINTER (herald_csv_record_get_line (record)));

      if (!_herald_store_upsert_contact_fields (store, &row.fields, &created, &local_error))
        {
          /* A row the store refuses (a bad email) is skipped; a failing
           * database ends the import. */
          if (g_error_matches (local_error, HERALD_STORE_ERROR, HERALD_STORE_ERROR_INVALID))
            {
              report_reject (report, record, g_strdup (local_error->message));
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (created)
        report->imported++;
      else
        report->updated++;
    }
}

/**
 * herald_contact_import_run:
 *
 * Imports every row into @store in one transaction: when the file cannot be
 * read (or the import is cancelled) the store is left as it was. Rows that
 * cannot be imported are skipped and listed in the report. A number already
 * in the store updates that contact (name, email, notes when given; attributes
 * merged) and never makes a second one; opting out is never undone by an import.
 * Loads the header first unless herald_contact_import_load() was called.
 * Blocks: the CLI calls it, the UI calls herald_contact_import_run_async().
 */
HeraldContactImportReport *
herald_contact_import_run (HeraldContactImport  *self,
                           HeraldStore          *store,
                           GCancellable         *cancellable,
                           GError              **error)
{
  g_autoptr(HeraldContactImportReport) report = NULL;
  g_autoptr(HeraldCsvReader) reader = NULL;
  g_autoptr(GError) rollback_error = NULL;

  g_return_val_if_fail (HERALD_IS_CONTACT_IMPORT (self), NULL);
  g_return_val_if_fail (HERALD_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader = open_reader (self, !self->loaded, cancellable, error);
  if (reader == NULL)
    return NULL;

  if (!herald_store_begin (store, error))
    return NULL;

  report = report_new ();
  if (!import_records (self, reader, store, report, cancellable, error))
    {
      if (!herald_store_rollback (store, &rollback_error))
        g_warning ("%s", rollback_error->message);
      return NULL;
    }

  if (!herald_store_commit (store, error))
    {
      if (!herald_store_rollback (store, &rollback_error))
        g_warning ("%s", rollback_error->message);
      return NULL;
    }

  return g_steal_pointer (&report);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  HeraldContactImportReport *report;

  report = herald_contact_import_run (source_object, task_data, cancellable, &error);
  /* Let go of the store before the callback can run: the caller may close
   * it there, and the worker drops the task itself only later. */
  g_task_set_task_data (task, NULL, NULL);
  if (report != NULL)
    g_task_return_pointer (task, report, (GDestroyNotify) herald_contact_import_report_free);
  else
    g_task_return_error (task, error);
}

/* Runs herald_contact_import_run() in a worker thread. @store must not be used
 * elsewhere, nor the mapping changed, until it finishes. */
void
herald_contact_import_run_async (HeraldContactImport *self,
                                 HeraldStore         *store,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HERALD_IS_CONTACT_IMPORT (self));
  g_return_if_fail (HERALD_IS_STORE (store));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, herald_contact_import_run_async);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, run_thread);
}

HeraldContactImportReport *
herald_contact_import_run_finish (HeraldContactImport  *self,
                                  GAsyncResult         *result,
                                  GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Export */

typedef gboolean (*ContactFunc) (HeraldContact  *contact,
                                 gpointer        user_data,
                                 GError        **error);

/* Calls FUNC on every contact, a page at a time (keyset on the id). */
static gboolean
foreach_contact (HeraldStore   *store,
                 ContactFunc    func,
                 gpointer       user_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gint64 after_id = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      page = herald_store_list_contacts (store, NULL, after_id, EXPORT_PAGE_SIZE, error);
      if (page == NULL)
        return FALSE;

      for (guint i = 0; i < page->len; i++)
        if (!func (g_ptr_array_index (page, i), user_data, error))
          return FALSE;

      if (page->len < EXPORT_PAGE_SIZE)
        return TRUE;
      after_id = herald_contact_get_id (g_ptr_array_index (page, page->len - 1));
    }
}

static JsonObject *
parse_attributes (HeraldContact *contact)
{
  const char *json = herald_contact_get_attributes (contact);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (json == NULL || strcmp (json, "{}") == 0)
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static gboolean
collect_attribute_keys (HeraldContact  *contact,
                        gpointer        user_data,
                        GError        **error)
{
  GPtrArray *keys = user_data;
  g_autoptr(JsonObject) attributes = parse_attributes (contact);
  JsonObjectIter iter;
  const char *key;

  if (attributes == NULL)
    return TRUE;

  json_object_iter_init (&iter, attributes);
  while (json_object_iter_next (&iter, &key, NULL))
    if (!g_ptr_array_find_with_equal_func (keys, key, g_str_equal, NULL))
      g_ptr_array_add (keys, g_strdup (key));
  return TRUE;
}

typedef struct
{
  HeraldCsvWriter *writer;
  GPtrArray       *keys;
  GPtrArray       *row;
  GCancellable    *cancellable;
} ExportState;

static gboolean
write_contact (HeraldContact  *contact,
               gpointer        user_data,
               GError        **error)
{
  ExportState *state = user_data;
  g_autoptr(JsonObject) attributes = parse_attributes (contact);

  g_ptr_array_set_size (state->row, 0);
  g_ptr_array_add (state->row, (gpointer) herald_contact_get_name (contact));
  g_ptr_array_add (state->row, (gpointer) herald_contact_get_mobile_number (contact));
  g_ptr_array_add (state->row, (gpointer) herald_contact_get_email (contact));
  g_ptr_array_add (state->row, (gpointer) herald_contact_get_notes (contact));
  g_ptr_array_add (state->row, herald_contact_get_opted_out (contact) ? "yes" : "no");

  for (guint i = 0; i < state->keys->len; i++)
    {
      const char *key = g_ptr_array_index (state->keys, i);
      JsonNode *node = attributes != NULL ? json_object_get_member (attributes, key) : NULL;

      g_ptr_array_add (state->row, node != NULL && JSON_NODE_HOLDS_VALUE (node)
                                   && json_node_get_value_type (node) == G_TYPE_STRING
                                   ? (gpointer) json_node_get_string (node) : NULL);
    }

  return herald_csv_writer_write_record (state->writer, (const char * const *) state->row->pdata,
                                         state->row->len, state->cancellable, error);
}

/**
 * herald_contact_export:
 *
 * Writes every contact to @file as CSV (UTF-8 with a byte-order mark, so Excel
 * reads it right): name, mobile_number, email, notes, opted_out (yes/no), then
 * one column per custom attribute. Importing the file gives the same contacts.
 */
gboolean
herald_contact_export (HeraldStore   *store,
                       GFile         *file,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) row = g_ptr_array_new ();
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(HeraldCsvWriter) writer = NULL;
  ExportState state;

  g_return_val_if_fail (HERALD_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  /* The header needs every attribute key before the first row. */
  if (!foreach_contact (store, collect_attribute_keys, keys, cancellable, error))
    return FALSE;

  out = replace_file (file, cancellable, error);
  if (out == NULL)
    return FALSE;
  writer = herald_csv_writer_new (G_OUTPUT_STREAM (out), ',', TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (export_columns); i++)
    g_ptr_array_add (row, (gpointer) export_columns[i]);
  for (guint i = 0; i < keys->len; i++)
    g_ptr_array_add (row, g_ptr_array_index (keys, i));
  if (!herald_csv_writer_write_record (writer, (const char * const *) row->pdata, row->len,
                                       cancellable, error))
    return FALSE;

  state = (ExportState) { writer, keys, row, cancellable };
  if (!foreach_contact (store, write_contact, &state, cancellable, error))
    return FALSE;

  return herald_csv_writer_flush (writer, cancellable, error)
         && g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}
