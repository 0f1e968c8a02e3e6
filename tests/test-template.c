/* test-template.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "herald-template.h"

#define SEED_BUTTONS \
  "[{\"type\":\"URL\",\"text\":\"Visit\",\"url\":\"https://example.com/{{1}}\"}," \
  "{\"type\":\"QUICK_REPLY\",\"text\":\"Yes\"}," \
  "{\"type\":\"PHONE_NUMBER\",\"text\":\"Call\",\"phone_number\":\"+15551234567\"}," \
  "{\"type\":\"COPY_CODE\",\"example\":\"SAVE10\"}]"

#define VALID_BODY "Hello {{1}}, your order {{2}} has shipped and will arrive soon."

#define KEEP (-1)
#define VALID (-1)

static const char * const field_prefixes[] = {
  "Name:", "Language:", "Category:", "Header:", "Body:", "Footer:", "Buttons:",
};

static HeraldTemplate *
new_valid_template (void)
{
  HeraldTemplate *template = herald_template_new ();

  herald_template_set_name (template, "order_update");
  herald_template_set_language (template, "en_US");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, VALID_BODY);
  return template;
}

/* Asserts that @template is valid (@field == VALID), or that every problem
 * is in @field and names it, and validate () reports the first. */
static void
assert_problems_in (HeraldTemplate *template,
                    int             field,
                    const char     *description)
{
  g_autoptr(GPtrArray) problems = herald_template_check (template);
  g_autoptr(GError) error = NULL;
  gboolean valid = herald_template_validate (template, &error);

  if (field == VALID)
    {
      if (problems->len > 0)
        g_error ("%s: unexpected problem: %s", description,
                 ((HeraldTemplateProblem *) g_ptr_array_index (problems, 0))->message);
      g_assert_true (valid);
      g_assert_no_error (error);
      return;
    }

  if (problems->len == 0)
    g_error ("%s: expected a problem in %s", description, field_prefixes[field]);
  g_assert_false (valid);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   ((HeraldTemplateProblem *) g_ptr_array_index (problems, 0))->message);

  for (guint i = 0; i < problems->len; i++)
    {
      HeraldTemplateProblem *problem = g_ptr_array_index (problems, i);

      if ((int) problem->field != field)
        g_error ("%s: problem in the wrong field: %s", description, problem->message);
      g_assert_true (g_str_has_prefix (problem->message, field_prefixes[field]));
    }
}

typedef struct
{
  const char *description;
  const char *name;
  const char *language;
  int         header_type;
  const char *header_content;
  const char *body;
  const char *footer;
  const char *buttons;
  int         field;
} CheckCase;

static const CheckCase check_cases[] = {
  { "valid positional", NULL, NULL, KEEP, NULL, NULL, NULL, NULL, VALID },
  { "valid named", NULL, NULL, KEEP, NULL,
    "Hi {{first_name}}, your code {{code}} is ready to use this week.", NULL, NULL, VALID },
  { "valid repeated order", NULL, NULL, KEEP, NULL,
    "Hi {{2}}, your flight leaves from gate {{1}}, please be there early.", NULL, NULL, VALID },
  { "valid without variables", NULL, NULL, KEEP, NULL, "Our shop is open again.", NULL, NULL, VALID },
  { "valid language ll", NULL, "de", KEEP, NULL, NULL, NULL, NULL, VALID },
  { "valid text header", NULL, NULL, HERALD_HEADER_TEXT, "Order {{1}} shipped", NULL, NULL, NULL, VALID },
  { "valid named header", NULL, NULL, HERALD_HEADER_TEXT, "For {{first_name}}",
    "Hi {{first_name}}, your code {{code}} is ready to use this week.", NULL, NULL, VALID },
  { "valid image header link", NULL, NULL, HERALD_HEADER_IMAGE, "https://example.com/a.png", NULL, NULL, NULL, VALID },
  { "valid image header per campaign", NULL, NULL, HERALD_HEADER_IMAGE, "", NULL, NULL, NULL, VALID },
  { "valid footer", NULL, NULL, KEEP, NULL, NULL, "Reply STOP to opt out", NULL, VALID },
  { "valid seed buttons", NULL, NULL, KEEP, NULL, NULL, NULL, SEED_BUTTONS, VALID },
  { "valid empty buttons", NULL, NULL, KEEP, NULL, NULL, NULL, "[]", VALID },

  { "name uppercase", "Order_Update", NULL, KEEP, NULL, NULL, NULL, NULL, HERALD_TEMPLATE_FIELD_NAME },
  { "name space", "order update", NULL, KEEP, NULL, NULL, NULL, NULL, HERALD_TEMPLATE_FIELD_NAME },
  { "name empty", "", NULL, KEEP, NULL, NULL, NULL, NULL, HERALD_TEMPLATE_FIELD_NAME },
  { "language word", NULL, "english", KEEP, NULL, NULL, NULL, NULL, HERALD_TEMPLATE_FIELD_LANGUAGE },
  { "language hyphen", NULL, "en-US", KEEP, NULL, NULL, NULL, NULL, HERALD_TEMPLATE_FIELD_LANGUAGE },
  { "language lower region", NULL, "en_us", KEEP, NULL, NULL, NULL, NULL, HERALD_TEMPLATE_FIELD_LANGUAGE },

  { "body empty", NULL, NULL, KEEP, NULL, "  ", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body starts with variable", NULL, NULL, KEEP, NULL,
    "{{1}} is your code, it stays valid for ten more minutes.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body ends with variable", NULL, NULL, KEEP, NULL,
    "Hello there, your new verification code for the shop is {{1}}.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body touching variables", NULL, NULL, KEEP, NULL,
    "Hello {{1}}{{2}}, thanks a lot for shopping with us today.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body variables apart by a space", NULL, NULL, KEEP, NULL,
    "Hello {{1}} {{2}}, thanks a lot for shopping with us today.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body gap in numbers", NULL, NULL, KEEP, NULL,
    "Hello {{1}}, your order {{3}} has shipped and will arrive soon.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body not from 1", NULL, NULL, KEEP, NULL,
    "Hello {{2}}, your order has shipped and will arrive soon.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body repeated number", NULL, NULL, KEEP, NULL,
    "Hello {{1}}, your order for {{1}} has shipped and will arrive soon.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body repeated name", NULL, NULL, KEEP, NULL,
    "Hello {{name}}, your order for {{name}} has shipped and will arrive soon.", NULL, NULL,
    HERALD_TEMPLATE_FIELD_BODY },
  { "body mixed kinds", NULL, NULL, KEEP, NULL,
    "Hello {{first_name}}, your order {{2}} has shipped and will arrive soon.", NULL, NULL,
    HERALD_TEMPLATE_FIELD_BODY },
  { "body hash inside braces", NULL, NULL, KEEP, NULL,
    "Hello {{#name}}, your order has shipped and will arrive soon.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body dollar inside braces", NULL, NULL, KEEP, NULL,
    "Hello {{$1}}, your order has shipped and will arrive soon.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body percent inside braces", NULL, NULL, KEEP, NULL,
    "Hello {{1%}}, your order has shipped and will arrive soon.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body unclosed braces", NULL, NULL, KEEP, NULL,
    "Hello {{1}, your order has shipped and will arrive soon.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body stray closing braces", NULL, NULL, KEEP, NULL,
    "Hello 1}}, your order has shipped and will arrive soon.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body triple braces", NULL, NULL, KEEP, NULL,
    "Hello {{{1}}}, your order has shipped and will arrive soon.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },
  { "body capitalised name", NULL, NULL, KEEP, NULL,
    "Hello {{First Name}}, your order has shipped and will arrive soon.", NULL, NULL,
    HERALD_TEMPLATE_FIELD_BODY },
  { "body too many variables for the length", NULL, NULL, KEEP, NULL,
    "Hi {{1}}, gate {{2}}. Thank you.", NULL, NULL, HERALD_TEMPLATE_FIELD_BODY },

  { "header text empty", NULL, NULL, HERALD_HEADER_TEXT, "", NULL, NULL, NULL, HERALD_TEMPLATE_FIELD_HEADER },
  { "header one variable", NULL, NULL, HERALD_HEADER_TEXT, "For {{1}} from the shop", NULL, NULL, NULL, VALID },
  { "header two variables", NULL, NULL, HERALD_HEADER_TEXT, "{{1}} and {{2}}", NULL, NULL, NULL,
    HERALD_TEMPLATE_FIELD_HEADER },
  { "header variable not 1", NULL, NULL, HERALD_HEADER_TEXT, "Order {{2}}", NULL, NULL, NULL,
    HERALD_TEMPLATE_FIELD_HEADER },
  { "header named, body positional", NULL, NULL, HERALD_HEADER_TEXT, "For {{first_name}}", NULL, NULL, NULL,
    HERALD_TEMPLATE_FIELD_HEADER },
  { "header bad braces", NULL, NULL, HERALD_HEADER_TEXT, "Order {{1", NULL, NULL, NULL,
    HERALD_TEMPLATE_FIELD_HEADER },
  { "header media not a link", NULL, NULL, HERALD_HEADER_DOCUMENT, "invoice.pdf", NULL, NULL, NULL,
    HERALD_TEMPLATE_FIELD_HEADER },

  { "footer with variable", NULL, NULL, KEEP, NULL, NULL, "Bye {{1}}", NULL, HERALD_TEMPLATE_FIELD_FOOTER },

  { "buttons not JSON", NULL, NULL, KEEP, NULL, NULL, NULL, "[{", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons not a list", NULL, NULL, KEEP, NULL, NULL, NULL, "{}", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons unknown type", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"FLOW\",\"text\":\"Go\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons quick reply without label", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"QUICK_REPLY\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons label too long", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"QUICK_REPLY\",\"text\":\"abcdefghijklmnopqrstuvwxyz\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons label 25 accented", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"QUICK_REPLY\",\"text\":\"ééééééééééééééééééééééééé\"}]", VALID },
  { "buttons eleven", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"QUICK_REPLY\",\"text\":\"1\"},{\"type\":\"QUICK_REPLY\",\"text\":\"2\"},"
    "{\"type\":\"QUICK_REPLY\",\"text\":\"3\"},{\"type\":\"QUICK_REPLY\",\"text\":\"4\"},"
    "{\"type\":\"QUICK_REPLY\",\"text\":\"5\"},{\"type\":\"QUICK_REPLY\",\"text\":\"6\"},"
    "{\"type\":\"QUICK_REPLY\",\"text\":\"7\"},{\"type\":\"QUICK_REPLY\",\"text\":\"8\"},"
    "{\"type\":\"QUICK_REPLY\",\"text\":\"9\"},{\"type\":\"QUICK_REPLY\",\"text\":\"10\"},"
    "{\"type\":\"QUICK_REPLY\",\"text\":\"11\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons three URLs", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"URL\",\"text\":\"A\",\"url\":\"https://a.example\"},"
    "{\"type\":\"URL\",\"text\":\"B\",\"url\":\"https://b.example\"},"
    "{\"type\":\"URL\",\"text\":\"C\",\"url\":\"https://c.example\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons two phone numbers", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"PHONE_NUMBER\",\"text\":\"A\",\"phone_number\":\"+15551234567\"},"
    "{\"type\":\"PHONE_NUMBER\",\"text\":\"B\",\"phone_number\":\"+15551234568\"}]",
    HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons two copy codes", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"COPY_CODE\",\"example\":\"A1\"},{\"type\":\"COPY_CODE\",\"example\":\"B2\"}]",
    HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons copy code without code", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"COPY_CODE\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons quick replies split", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"QUICK_REPLY\",\"text\":\"Yes\"},"
    "{\"type\":\"URL\",\"text\":\"Shop\",\"url\":\"https://a.example\"},"
    "{\"type\":\"QUICK_REPLY\",\"text\":\"No\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons quick replies grouped last", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"URL\",\"text\":\"Shop\",\"url\":\"https://a.example\"},"
    "{\"type\":\"QUICK_REPLY\",\"text\":\"Yes\"},{\"type\":\"QUICK_REPLY\",\"text\":\"No\"}]", VALID },
  { "buttons URL variable in the middle", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"URL\",\"text\":\"Shop\",\"url\":\"https://a.example/{{1}}/x\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons URL two variables", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"URL\",\"text\":\"Shop\",\"url\":\"https://a.example/{{1}}{{2}}\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons URL not web", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"URL\",\"text\":\"Shop\",\"url\":\"ftp://a.example\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons URL missing", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"URL\",\"text\":\"Shop\"}]", HERALD_TEMPLATE_FIELD_BUTTONS },
  { "buttons phone too long", NULL, NULL, KEEP, NULL, NULL, NULL,
    "[{\"type\":\"PHONE_NUMBER\",\"text\":\"Call\",\"phone_number\":\"+123456789012345678901\"}]",
    HERALD_TEMPLATE_FIELD_BUTTONS },
};

static void
test_check_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      const CheckCase *c = &check_cases[i];
      g_autoptr(HeraldTemplate) template = new_valid_template ();

      if (c->name != NULL)
        herald_template_set_name (template, c->name);
      if (c->language != NULL)
        herald_template_set_language (template, c->language);
      if (c->header_type != KEEP)
        herald_template_set_header_type (template, c->header_type);
      if (c->header_content != NULL)
        herald_template_set_header_content (template, c->header_content);
      if (c->body != NULL)
        herald_template_set_body (template, c->body);
      if (c->footer != NULL)
        herald_template_set_footer (template, c->footer);
      if (c->buttons != NULL)
        herald_template_set_buttons (template, c->buttons);

      assert_problems_in (template, c->field, c->description);
    }
}

/* Repeats @unit until @n_chars characters. */
static char *
text_of_length (const char *unit,
                glong       n_chars)
{
  g_autoptr(GString) text = g_string_new (NULL);

  while (g_utf8_strlen (text->str, -1) < n_chars)
    g_string_append (text, unit);
  return g_utf8_substring (text->str, 0, n_chars);
}

typedef struct
{
  const char *unit;
  glong       n_chars;
  int         field;
} LengthCase;

static void
test_body_length (void)
{
  /* Hindi and Portuguese take 2–3 bytes a character: the limit counts characters. */
  static const LengthCase cases[] = {
    { "नमस्ते दुनिया ", 1024, VALID },
    { "नमस्ते दुनिया ", 1025, HERALD_TEMPLATE_FIELD_BODY },
    { "promoção ", 1024, VALID },
    { "promoção ", 1025, HERALD_TEMPLATE_FIELD_BODY },
    { "abc ", 1025, HERALD_TEMPLATE_FIELD_BODY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HeraldTemplate) template = new_valid_template ();
      g_autofree char *body = text_of_length (cases[i].unit, cases[i].n_chars);
      g_autofree char *description = g_strdup_printf ("%ld × “%s”", cases[i].n_chars, cases[i].unit);

      if (cases[i].n_chars == 1024 && cases[i].unit[0] != 'a')
        g_assert_cmpuint (strlen (body), >, 1024);
      herald_template_set_body (template, body);
      assert_problems_in (template, cases[i].field, description);
    }
}

static void
test_other_lengths (void)
{
  static const struct {
    const char *property;
    const char *unit;
    glong       n_chars;
    int         header_type;
    int         field;
  } cases[] = {
    { "name", "a", 512, KEEP, VALID },
    { "name", "a", 513, KEEP, HERALD_TEMPLATE_FIELD_NAME },
    { "header-content", "ã", 60, HERALD_HEADER_TEXT, VALID },
    { "header-content", "ã", 61, HERALD_HEADER_TEXT, HERALD_TEMPLATE_FIELD_HEADER },
    { "footer", "ç", 60, KEEP, VALID },
    { "footer", "ç", 61, KEEP, HERALD_TEMPLATE_FIELD_FOOTER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HeraldTemplate) template = new_valid_template ();
      g_autofree char *value = text_of_length (cases[i].unit, cases[i].n_chars);
      g_autofree char *description = g_strdup_printf ("%s of %ld", cases[i].property, cases[i].n_chars);

      if (cases[i].header_type != KEEP)
        herald_template_set_header_type (template, cases[i].header_type);
      g_object_set (template, cases[i].property, value, NULL);
      assert_problems_in (template, cases[i].field, description);
    }
}

static void
test_url_length (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  g_autofree char *path = NULL;
  g_autofree char *buttons = NULL;
  const char *prefix = "https://example.com/";

  path = g_strnfill (HERALD_TEMPLATE_URL_MAX - strlen (prefix), 'x');
  buttons = g_strdup_printf ("[{\"type\":\"URL\",\"text\":\"Go\",\"url\":\"%s%s\"}]", prefix, path);
  herald_template_set_buttons (template, buttons);
  assert_problems_in (template, VALID, "URL of 2000");

  g_free (buttons);
  buttons = g_strdup_printf ("[{\"type\":\"URL\",\"text\":\"Go\",\"url\":\"%s%sx\"}]", prefix, path);
  herald_template_set_buttons (template, buttons);
  assert_problems_in (template, HERALD_TEMPLATE_FIELD_BUTTONS, "URL of 2001");
}

static void
on_notify_count_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_variables_positional (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) body_names = NULL;
  guint notified = 0;

  g_signal_connect (template, "notify::variables", G_CALLBACK (on_notify_count_cb), &notified);

  herald_template_set_body (template, "Hi {{2}}, your flight leaves from gate {{1}}, please be early.");
  g_assert_cmpuint (notified, ==, 0);  /* same names: no change */
  g_assert_cmpstr (herald_template_get_variables (template), ==, "[\"1\",\"2\"]");
  g_assert_false (herald_template_uses_named_variables (template));

  herald_template_set_header_type (template, HERALD_HEADER_TEXT);
  herald_template_set_header_content (template, "Gate change {{1}}");
  g_assert_cmpstr (herald_template_get_header_variable_name (template), ==, "1");
  g_assert_cmpuint (notified, ==, 0);  /* the header's {{1}} is the body's */

  herald_template_set_buttons (template, SEED_BUTTONS);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (herald_template_get_variables (template), ==, "[\"1\",\"2\",\"url.1\"]");

  names = herald_template_get_variable_names (template);
  g_assert_cmpstrv (names, ((const char * const[]) { "1", "2", "url.1", NULL }));
  body_names = herald_template_get_body_variable_names (template);
  g_assert_cmpstrv (body_names, ((const char * const[]) { "1", "2", NULL }));

  herald_template_set_body (template, "Our shop is open again.");
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpstr (herald_template_get_variables (template), ==, "[\"1\",\"url.1\"]");
}

static void
test_variables_named (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  g_auto(GStrv) names = NULL;
  guint notified = 0;

  g_signal_connect (template, "notify::variables", G_CALLBACK (on_notify_count_cb), &notified);

  herald_template_set_body (template, "Hi {{first_name}}, your code {{code}} is ready to use this week.");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (herald_template_uses_named_variables (template));
  g_assert_cmpstr (herald_template_get_variables (template), ==, "[\"first_name\",\"code\"]");

  herald_template_set_header_type (template, HERALD_HEADER_TEXT);
  herald_template_set_header_content (template, "Offer for {{city}}");
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpstr (herald_template_get_header_variable_name (template), ==, "city");

  names = herald_template_get_variable_names (template);
  g_assert_cmpstrv (names, ((const char * const[]) { "first_name", "code", "city", NULL }));

  /* A media header has no variable, whatever its content. */
  herald_template_set_header_type (template, HERALD_HEADER_IMAGE);
  g_assert_null (herald_template_get_header_variable_name (template));
  g_assert_cmpstr (herald_template_get_variables (template), ==, "[\"first_name\",\"code\"]");
  g_assert_cmpuint (notified, ==, 3);
}

static void
test_buttons (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  const HeraldTemplateButton *button;
  g_autoptr(HeraldTemplateButton) copy = NULL;

  herald_template_set_buttons (template,
                               "[{\"type\":\"URL\",\"text\":\"Home\",\"url\":\"https://a.example\"},"
                               "{\"type\":\"url\",\"text\":\"Track\",\"url\":\"https://a.example/t/{{1}}\"}]");
  g_assert_cmpuint (herald_template_get_n_buttons (template), ==, 2);
  g_assert_null (herald_template_get_button (template, 0)->variable_name);
  g_assert_cmpstr (herald_template_get_button (template, 1)->variable_name, ==, "url.2");

  herald_template_set_buttons (template, SEED_BUTTONS);
  g_assert_cmpuint (herald_template_get_n_buttons (template), ==, 4);

  button = herald_template_get_button (template, 0);
  g_assert_cmpint (button->type, ==, HERALD_TEMPLATE_BUTTON_URL);
  g_assert_cmpstr (button->text, ==, "Visit");
  g_assert_cmpstr (button->url, ==, "https://example.com/{{1}}");
  g_assert_cmpstr (button->variable_name, ==, "url.1");

  button = herald_template_get_button (template, 1);
  g_assert_cmpint (button->type, ==, HERALD_TEMPLATE_BUTTON_QUICK_REPLY);
  g_assert_cmpstr (button->text, ==, "Yes");
  g_assert_null (button->url);

  button = herald_template_get_button (template, 2);
  g_assert_cmpint (button->type, ==, HERALD_TEMPLATE_BUTTON_PHONE_NUMBER);
  g_assert_cmpstr (button->phone_number, ==, "+15551234567");

  button = herald_template_get_button (template, 3);
  g_assert_cmpint (button->type, ==, HERALD_TEMPLATE_BUTTON_COPY_CODE);
  g_assert_null (button->text);
  g_assert_cmpstr (button->example, ==, "SAVE10");

  copy = herald_template_button_copy (button);
  g_assert_cmpstr (copy->example, ==, "SAVE10");
  g_assert_true (copy->example != button->example);

  herald_template_set_buttons (template, "not json");
  g_assert_cmpuint (herald_template_get_n_buttons (template), ==, 0);
  herald_template_set_buttons (template, NULL);
  g_assert_cmpuint (herald_template_get_n_buttons (template), ==, 0);
}

static GHashTable *
new_values (const char *first_name,
            ...)
{
  GHashTable *values = g_hash_table_new (g_str_hash, g_str_equal);
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (values, (gpointer) name, va_arg (args, char *));
  va_end (args);

  return values;
}

static void
test_render (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  g_autoptr(GHashTable) values = new_values ("1", "Anna", "2", "A-17", "url.1", "a17", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *header = NULL;

  herald_template_set_header_type (template, HERALD_HEADER_TEXT);
  herald_template_set_header_content (template, "For {{1}}");
  herald_template_set_footer (template, "Reply STOP to opt out");
  herald_template_set_buttons (template, SEED_BUTTONS);

  text = herald_template_render (template, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "For Anna\n"
                   "Hello Anna, your order A-17 has shipped and will arrive soon.\n"
                   "Reply STOP to opt out\n"
                   "Visit\nYes\nCall\nCopy code");

  body = herald_template_render_body (template, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (body, ==, "Hello Anna, your order A-17 has shipped and will arrive soon.");
  header = herald_template_render_header (template, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header, ==, "For Anna");

  g_clear_pointer (&text, g_free);
  g_hash_table_remove (values, "2");
  text = herald_template_render (template, values, &error);
  g_assert_null (text);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_MISSING_VALUE);
  g_assert_nonnull (strstr (error->message, "Body"));
  g_assert_nonnull (strstr (error->message, "{{2}}"));
  g_clear_error (&error);

  g_hash_table_insert (values, "2", "");
  text = herald_template_render (template, values, &error);
  g_assert_null (text);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_MISSING_VALUE);
  g_assert_nonnull (strstr (error->message, "{{2}}"));
  g_clear_error (&error);

  /* Without a text header, nothing stands before the body. */
  g_hash_table_insert (values, "2", "B-9");
  herald_template_set_header_type (template, HERALD_HEADER_IMAGE);
  herald_template_set_buttons (template, NULL);
  herald_template_set_footer (template, NULL);
  text = herald_template_render (template, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Hello Anna, your order B-9 has shipped and will arrive soon.");
}

static void
test_render_named (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  g_autoptr(GHashTable) values = new_values ("first_name", "João", "code", "VERÃO10", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  herald_template_set_body (template, "Olá {{first_name}}, use o código {{code}} na sua próxima compra.");
  text = herald_template_render (template, values, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Olá João, use o código VERÃO10 na sua próxima compra.");

  g_clear_pointer (&text, g_free);
  text = herald_template_render (template, NULL, &error);
  g_assert_null (text);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_MISSING_VALUE);
  g_assert_nonnull (strstr (error->message, "{{first_name}}"));
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
test_send_components (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  g_autoptr(GHashTable) values = new_values ("1", "Anna", "2", "A-17", "url.1", "a17", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) components = NULL;
  g_autofree char *json = NULL;

  herald_template_set_header_type (template, HERALD_HEADER_IMAGE);
  herald_template_set_buttons (template, SEED_BUTTONS);

  components = herald_template_build_send_components (template, values, "1337000000000001", &error);
  g_assert_no_error (error);
  json = node_to_string (components);
  g_assert_cmpstr (json, ==,
                   "[{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"id\":\"1337000000000001\"}}]},"
                   "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Anna\"},{\"type\":\"text\",\"text\":\"A-17\"}]},"
                   "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"a17\"}]},"
                   "{\"type\":\"button\",\"sub_type\":\"copy_code\",\"index\":\"3\",\"parameters\":[{\"type\":\"coupon_code\",\"coupon_code\":\"SAVE10\"}]}]");
  g_clear_pointer (&components, json_node_unref);
  g_clear_pointer (&json, g_free);

  /* No media given and none stored. */
  components = herald_template_build_send_components (template, values, NULL, &error);
  g_assert_null (components);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_MISSING_VALUE);
  g_clear_error (&error);

  herald_template_set_header_content (template, "https://example.com/a.png");
  g_hash_table_remove (values, "url.1");
  components = herald_template_build_send_components (template, values, NULL, &error);
  g_assert_null (components);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_MISSING_VALUE);
  g_assert_nonnull (strstr (error->message, "url.1"));
  g_clear_error (&error);

  /* Named: text header and body parameters carry their names. */
  herald_template_set_buttons (template, NULL);
  herald_template_set_header_type (template, HERALD_HEADER_TEXT);
  herald_template_set_header_content (template, "For {{first_name}}");
  herald_template_set_body (template, "Hallo {{first_name}}, Code: {{code}} gilt bis Sonntag.");
  g_hash_table_insert (values, "first_name", "Anna");
  g_hash_table_insert (values, "code", "SPRING10");
  components = herald_template_build_send_components (template, values, NULL, &error);
  g_assert_no_error (error);
  json = node_to_string (components);
  g_assert_cmpstr (json, ==,
                   "[{\"type\":\"header\",\"parameters\":[{\"type\":\"text\",\"parameter_name\":\"first_name\",\"text\":\"Anna\"}]},"
                   "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"parameter_name\":\"first_name\",\"text\":\"Anna\"},"
                   "{\"type\":\"text\",\"parameter_name\":\"code\",\"text\":\"SPRING10\"}]}]");
}

static void
assert_same_template (HeraldTemplate *a,
                      HeraldTemplate *b)
{
  g_assert_cmpstr (herald_template_get_name (a), ==, herald_template_get_name (b));
  g_assert_cmpstr (herald_template_get_language (a), ==, herald_template_get_language (b));
  g_assert_cmpint (herald_template_get_category (a), ==, herald_template_get_category (b));
  g_assert_cmpint (herald_template_get_header_type (a), ==, herald_template_get_header_type (b));
  g_assert_cmpstr (herald_template_get_header_content (a), ==, herald_template_get_header_content (b));
  g_assert_cmpstr (herald_template_get_body (a), ==, herald_template_get_body (b));
  g_assert_cmpstr (herald_template_get_footer (a), ==, herald_template_get_footer (b));
  g_assert_cmpstr (herald_template_get_variables (a), ==, herald_template_get_variables (b));
  g_assert_cmpuint (herald_template_get_n_buttons (a), ==, herald_template_get_n_buttons (b));
  for (guint i = 0; i < herald_template_get_n_buttons (a); i++)
    {
      const HeraldTemplateButton *x = herald_template_get_button (a, i);
      const HeraldTemplateButton *y = herald_template_get_button (b, i);

      g_assert_cmpint (x->type, ==, y->type);
      g_assert_cmpstr (x->text, ==, y->text);
      g_assert_cmpstr (x->url, ==, y->url);
      g_assert_cmpstr (x->phone_number, ==, y->phone_number);
      g_assert_cmpstr (x->example, ==, y->example);
    }
}

/* Turns a create request into a list entry, as Meta answers it later. */
static HeraldTemplate *
round_trip (HeraldTemplate *template)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) request = herald_template_to_meta_create_request (template, &error);
  HeraldTemplate *back;
  JsonObject *entry;

  g_assert_no_error (error);
  g_assert_nonnull (request);
  entry = json_node_get_object (request);
  json_object_set_string_member (entry, "id", "1387372356726668");
  json_object_set_string_member (entry, "status", "APPROVED");

  back = herald_template_new_from_meta (entry, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpstr (herald_template_get_meta_template_id (back), ==, "1387372356726668");
  g_assert_cmpint (herald_template_get_status (back), ==, HERALD_TEMPLATE_APPROVED);
  g_assert_cmpint (herald_template_get_id (back), ==, 0);
  assert_same_template (template, back);
  return back;
}

static void
test_meta_round_trip_positional (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  g_autoptr(HeraldTemplate) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autofree char *json = NULL;

  herald_template_set_header_type (template, HERALD_HEADER_TEXT);
  herald_template_set_header_content (template, "For {{1}}");
  herald_template_set_footer (template, "Reply STOP to opt out");
  herald_template_set_buttons (template,
                               "[{\"type\":\"URL\",\"text\":\"Visit\",\"url\":\"https://example.com/{{1}}\",\"example\":\"spring\"},"
                               "{\"type\":\"QUICK_REPLY\",\"text\":\"Yes\"},"
                               "{\"type\":\"PHONE_NUMBER\",\"text\":\"Call\",\"phone_number\":\"+15551234567\"},"
                               "{\"type\":\"COPY_CODE\",\"example\":\"SAVE10\"}]");
  herald_template_set_examples (template, "{\"1\":\"Anna\"}");

  request = herald_template_to_meta_create_request (template, &error);
  g_assert_no_error (error);
  json = node_to_string (request);
  g_assert_cmpstr (json, ==,
                   "{\"name\":\"order_update\",\"language\":\"en_US\",\"category\":\"UTILITY\","
                   "\"parameter_format\":\"positional\",\"components\":["
                   "{\"type\":\"HEADER\",\"format\":\"TEXT\",\"text\":\"For {{1}}\",\"example\":{\"header_text\":[\"Anna\"]}},"
                   "{\"type\":\"BODY\",\"text\":\"" VALID_BODY "\",\"example\":{\"body_text\":[[\"Anna\",\"Example 2\"]]}},"
                   "{\"type\":\"FOOTER\",\"text\":\"Reply STOP to opt out\"},"
                   "{\"type\":\"BUTTONS\",\"buttons\":["
                   "{\"type\":\"URL\",\"text\":\"Visit\",\"url\":\"https://example.com/{{1}}\",\"example\":[\"https://example.com/spring\"]},"
                   "{\"type\":\"QUICK_REPLY\",\"text\":\"Yes\"},"
                   "{\"type\":\"PHONE_NUMBER\",\"text\":\"Call\",\"phone_number\":\"+15551234567\"},"
                   "{\"type\":\"COPY_CODE\",\"example\":\"SAVE10\"}]}]}");

  back = round_trip (template);
  g_assert_cmpstr (herald_template_get_examples (back), ==, "{\"1\":\"Anna\",\"2\":\"Example 2\"}");
}

static void
test_meta_round_trip_named (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  g_autoptr(HeraldTemplate) back = NULL;

  herald_template_set_name (template, "spring_offer");
  herald_template_set_language (template, "pt_BR");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_MARKETING);
  herald_template_set_header_type (template, HERALD_HEADER_IMAGE);
  herald_template_set_header_content (template, "https://example.com/spring.jpg");
  herald_template_set_body (template, "Olá {{first_name}}, use o código {{code}} na sua próxima compra.");
  herald_template_set_buttons (template, "[{\"type\":\"QUICK_REPLY\",\"text\":\"Parar promoções\"}]");
  herald_template_set_examples (template, "{\"first_name\":\"João\",\"code\":\"VERÃO10\"}");

  back = round_trip (template);
  g_assert_true (herald_template_uses_named_variables (back));
  g_assert_cmpstr (herald_template_get_examples (back), ==,
                   "{\"first_name\":\"João\",\"code\":\"VERÃO10\"}");
}

static void
test_meta_invalid_request (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) request = NULL;

  herald_template_set_name (template, "Bad Name");
  request = herald_template_to_meta_create_request (template, &error);
  g_assert_null (request);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_INVALID);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_from_meta_list_entry (void)
{
  /* The list example in whatsapp-cloud-api.md §5. */
  g_autoptr(JsonObject) entry = parse_object (
    "{\"id\":\"1387372356726668\",\"name\":\"spring_offer\",\"language\":\"de\","
    "\"status\":\"APPROVED\",\"category\":\"MARKETING\",\"parameter_format\":\"NAMED\","
    "\"components\":["
    "{\"type\":\"BODY\",\"text\":\"Hallo {{first_name}}, Code: {{code}}.\","
    "\"example\":{\"body_text_named_params\":["
    "{\"param_name\":\"first_name\",\"example\":\"Anna\"},"
    "{\"param_name\":\"code\",\"example\":\"SPRING10\"}]}},"
    "{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"QUICK_REPLY\",\"text\":\"Abmelden\"}]}]}");
  g_autoptr(JsonObject) paused = parse_object (
    "{\"id\":1627019861106475,\"name\":\"gate_change\",\"language\":\"en-US\","
    "\"status\":\"PAUSED\",\"category\":\"utility\",\"components\":["
    "{\"type\":\"HEADER\",\"format\":\"DOCUMENT\",\"example\":{\"header_handle\":[\"https://scontent.example/x.pdf\"]}},"
    "{\"type\":\"BODY\",\"text\":\"Hi {{1}}, your new gate is {{2}}. Safe travels!\"}]}");
  g_autoptr(JsonObject) flow = parse_object (
    "{\"name\":\"f\",\"language\":\"en\",\"category\":\"MARKETING\",\"components\":["
    "{\"type\":\"BODY\",\"text\":\"Hi\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"FLOW\",\"text\":\"Go\"}]}]}");
  g_autoptr(JsonObject) nameless = parse_object ("{\"language\":\"en\",\"category\":\"MARKETING\",\"components\":[]}");
  g_autoptr(HeraldTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  template = herald_template_new_from_meta (entry, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (herald_template_get_name (template), ==, "spring_offer");
  g_assert_cmpstr (herald_template_get_language (template), ==, "de");
  g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_APPROVED);
  g_assert_cmpint (herald_template_get_category (template), ==, HERALD_TEMPLATE_CATEGORY_MARKETING);
  g_assert_cmpstr (herald_template_get_meta_template_id (template), ==, "1387372356726668");
  g_assert_cmpint (herald_template_get_header_type (template), ==, HERALD_HEADER_NONE);
  g_assert_true (herald_template_uses_named_variables (template));
  names = herald_template_get_variable_names (template);
  g_assert_cmpstrv (names, ((const char * const[]) { "first_name", "code", NULL }));
  g_assert_cmpuint (herald_template_get_n_buttons (template), ==, 1);
  g_assert_cmpstr (herald_template_get_button (template, 0)->text, ==, "Abmelden");
  g_assert_cmpstr (herald_template_get_examples (template), ==,
                   "{\"first_name\":\"Anna\",\"code\":\"SPRING10\"}");
  g_clear_object (&template);

  template = herald_template_new_from_meta (paused, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (herald_template_get_language (template), ==, "en_US");
  g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_PAUSED);
  g_assert_cmpint (herald_template_get_category (template), ==, HERALD_TEMPLATE_CATEGORY_UTILITY);
  g_assert_cmpstr (herald_template_get_meta_template_id (template), ==, "1627019861106475");
  g_assert_cmpint (herald_template_get_header_type (template), ==, HERALD_HEADER_DOCUMENT);
  g_assert_cmpstr (herald_template_get_header_content (template), ==, "https://scontent.example/x.pdf");
  g_assert_cmpstr (herald_template_get_variables (template), ==, "[\"1\",\"2\"]");
  g_clear_object (&template);

  template = herald_template_new_from_meta (flow, &error);
  g_assert_null (template);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_META_FORMAT);
  g_clear_error (&error);

  template = herald_template_new_from_meta (nameless, &error);
  g_assert_null (template);
  g_assert_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_META_FORMAT);
}

static void
test_properties (void)
{
  g_autoptr(HeraldTemplate) template = new_valid_template ();
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 1, 12, 0, 0);
  g_autoptr(GDateTime) same = g_date_time_new_utc (2026, 3, 1, 12, 0, 0);
  g_autoptr(GDateTime) got = NULL;
  g_autofree char *variables = NULL;
  guint notified = 0;
  int category;

  g_signal_connect (template, "notify", G_CALLBACK (on_notify_count_cb), &notified);

  g_object_set (template, "category", HERALD_TEMPLATE_CATEGORY_AUTHENTICATION, "created-at", when, NULL);
  g_assert_cmpuint (notified, ==, 2);
  herald_template_set_created_at (template, same);
  herald_template_set_name (template, "order_update");
  g_assert_cmpuint (notified, ==, 2);

  g_object_get (template, "category", &category, "created-at", &got, "variables", &variables, NULL);
  g_assert_cmpint (category, ==, HERALD_TEMPLATE_CATEGORY_AUTHENTICATION);
  g_assert_true (g_date_time_equal (got, when));
  g_assert_cmpstr (variables, ==, "[\"1\",\"2\"]");

  herald_template_set_status (template, HERALD_TEMPLATE_REJECTED);
  herald_template_set_rejected_reason (template, "INVALID_FORMAT");
  herald_template_set_id (template, 42);
  g_assert_cmpuint (notified, ==, 5);
  g_assert_cmpint (herald_template_get_id (template), ==, 42);

  g_assert_finalize_object (g_steal_pointer (&template));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/herald/template/check", test_check_table);
  g_test_add_func ("/herald/template/body-length", test_body_length);
  g_test_add_func ("/herald/template/other-lengths", test_other_lengths);
  g_test_add_func ("/herald/template/url-length", test_url_length);
  g_test_add_func ("/herald/template/variables/positional", test_variables_positional);
  g_test_add_func ("/herald/template/variables/named", test_variables_named);
  g_test_add_func ("/herald/template/buttons", test_buttons);
  g_test_add_func ("/herald/template/render", test_render);
  g_test_add_func ("/herald/template/render-named", test_render_named);
  g_test_add_func ("/herald/template/send-components", test_send_components);
  g_test_add_func ("/herald/template/meta/round-trip-positional", test_meta_round_trip_positional);
  g_test_add_func ("/herald/template/meta/round-trip-named", test_meta_round_trip_named);
  g_test_add_func ("/herald/template/meta/invalid-request", test_meta_invalid_request);
  g_test_add_func ("/herald/template/meta/from-list-entry", test_from_meta_list_entry);
  g_test_add_func ("/herald/template/properties", test_properties);

  return g_test_run ();
}
