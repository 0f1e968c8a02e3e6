/* herald-template.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "herald-template.h"

/* Rules we decided where Meta's pages are vague (whatsapp-cloud-api.md §3):
 * - each variable appears once in the body, positional or named: the send
 *   request carries one parameter per placeholder;
 * - variables separated only by whitespace count as touching, as Meta's
 *   reviewers treat them;
 * - a variable "starts" or "ends" the body when only spaces or punctuation
 *   stand before or after it;
 * - the body needs at least 2n + 1 words besides its n variables (the ratio
 *   Meta's "too many variables for the length" rejections follow in practice);
 * - a URL button's variable is always {{1}}, at the very end of the URL. */
#define WORDS_PER_VARIABLE 2

#define COPY_CODE_LABEL "Copy code"

struct _HeraldTemplate
{
  GObject                 parent_instance;

  gint64                  id;
  char                   *name;
  char                   *language;
  HeraldTemplateCategory  category;
  char                   *body;
  HeraldHeaderType        header_type;
  char                   *header_content;
  char                   *footer;
  char                   *buttons;
  char                   *variables;
  char                   *examples;
  HeraldTemplateStatus    status;
  char                   *meta_template_id;
  char                   *rejected_reason;
  int                     sandbox_status;
  GDateTime              *created_at;
  GDateTime              *updated_at;

  /* Derived from body, header and buttons. */
  GPtrArray              *body_placeholders;    /* Placeholder */
  GPtrArray              *header_placeholders;  /* Placeholder, text headers only */
  gboolean                body_braces_mismatched;
  gboolean                header_braces_mismatched;
  GPtrArray              *parsed_buttons;       /* HeraldTemplateButton */
  char                   *buttons_problem;      /* why the buttons JSON did not parse */
};

G_DEFINE_FINAL_TYPE (HeraldTemplate, herald_template, G_TYPE_OBJECT)

G_DEFINE_QUARK (herald-template-error-quark, herald_template_error)

G_DEFINE_BOXED_TYPE (HeraldTemplateProblem, herald_template_problem,
                     herald_template_problem_copy, herald_template_problem_free)

G_DEFINE_BOXED_TYPE (HeraldTemplateButton, herald_template_button,
                     herald_template_button_copy, herald_template_button_free)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_LANGUAGE,
  PROP_CATEGORY,
  PROP_BODY,
  PROP_HEADER_TYPE,
  PROP_HEADER_CONTENT,
  PROP_FOOTER,
  PROP_BUTTONS,
  PROP_VARIABLES,
  PROP_EXAMPLES,
  PROP_STATUS,
  PROP_META_TEMPLATE_ID,
  PROP_REJECTED_REASON,
  PROP_SANDBOX_STATUS,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One {{…}} in a text. @name is NULL when the content is not a variable name. */
typedef struct
{
  char     *name;
  char     *content;
  gsize     start;
  gsize     end;
  gboolean  named;
} Placeholder;

static void
placeholder_free (Placeholder *placeholder)
{
  g_free (placeholder->name);
  g_free (placeholder->content);
  g_free (placeholder);
}

HeraldTemplateProblem *
herald_template_problem_copy (const HeraldTemplateProblem *problem)
{
  HeraldTemplateProblem *copy;

  g_return_val_if_fail (problem != NULL, NULL);

  copy = g_new0 (HeraldTemplateProblem, 1);
  copy->field = problem->field;
  copy->message = g_strdup (problem->message);
  return copy;
}

void
herald_template_problem_free (HeraldTemplateProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->message);
  g_free (problem);
}

HeraldTemplateButton *
herald_template_button_copy (const HeraldTemplateButton *button)
{
  HeraldTemplateButton *copy;

  g_return_val_if_fail (button != NULL, NULL);

  copy = g_new0 (HeraldTemplateButton, 1);
  copy->type = button->type;
  copy->text = g_strdup (button->text);
  copy->url = g_strdup (button->url);
  copy->phone_number = g_strdup (button->phone_number);
  copy->example = g_strdup (button->example);
  copy->variable_name = g_strdup (button->variable_name);
  return copy;
}

void
herald_template_button_free (HeraldTemplateButton *button)
{
  if (button == NULL)
    return;

  g_free (button->text);
  g_free (button->url);
  g_free (button->phone_number);
  g_free (button->example);
  g_free (button->variable_name);
  g_free (button);
}

static const char * const button_type_names[] = {
  "QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE",
};

const char *
herald_template_button_type_to_string (HeraldTemplateButtonType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (button_type_names), NULL);

  return button_type_names[type];
}

gboolean
herald_template_button_type_from_string (const char               *name,
                                         HeraldTemplateButtonType *type)
{
  g_return_val_if_fail (type != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (button_type_names); i++)
    {
      if (g_ascii_strcasecmp (button_type_names[i], name) == 0)
        {
          *type = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Parsing */

static gboolean
is_positional_name (const char *s)
{
  if (s[0] < '1' || s[0] > '9')
    return FALSE;
  for (const char *p = s + 1; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return strlen (s) <= 3;
}

static gboolean
is_named_name (const char *s)
{
  if (!g_ascii_islower (s[0]))
    return FALSE;
  for (const char *p = s + 1; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Finds every {{…}} in @text. A "{{" with no "}}" before the next "{{", or a
 * "}}" with no opening, sets @mismatched. */
static GPtrArray *
parse_placeholders (const char *text,
                    gboolean   *mismatched)
{
  GPtrArray *placeholders = g_ptr_array_new_with_free_func ((GDestroyNotify) placeholder_free);
  gsize i = 0;

  *mismatched = FALSE;
  if (text == NULL)
    return placeholders;

  while (text[i] != '\0')
    {
      if (text[i] == '{' && text[i + 1] == '{')
        {
          const char *close = strstr (text + i + 2, "}}");
          const char *next_open = strstr (text + i + 2, "{{");
          Placeholder *placeholder;

          if (close == NULL || (next_open != NULL && next_open < close))
            {
              *mismatched = TRUE;
              i += 2;
              continue;
            }

          placeholder = g_new0 (Placeholder, 1);
          placeholder->start = i;
          placeholder->end = (close - text) + 2;
          placeholder->content = g_strndup (text + i + 2, close - (text + i + 2));
          if (is_positional_name (placeholder->content))
            placeholder->name = g_strdup (placeholder->content);
          else if (is_named_name (placeholder->content))
            {
              placeholder->name = g_strdup (placeholder->content);
              placeholder->named = TRUE;
            }
          else if (strpbrk (placeholder->content, "{}") != NULL)
            *mismatched = TRUE;
          g_ptr_array_add (placeholders, placeholder);
          i = placeholder->end;
        }
      else if (text[i] == '}' && text[i + 1] == '}')
        {
          *mismatched = TRUE;
          i += 2;
        }
      else
        i++;
    }

  return placeholders;
}

static gboolean
has_header_text (HeraldTemplate *self)
{
  return self->header_type == HERALD_HEADER_TEXT;
}

static const char *
json_object_get_string_or_null (JsonObject *object,
                                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The stored example may be a string or, as in Meta's JSON, an array of one. */
static const char *
json_object_get_example (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "example");

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) > 0 &&
          json_node_get_value_type (json_array_get_element (array, 0)) == G_TYPE_STRING)
        return json_array_get_string_element (array, 0);
      return NULL;
    }

  return json_object_get_string_or_null (object, "example");
}

static void
parse_buttons (HeraldTemplate *self)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonArray *array;
  guint n_urls = 0;

  g_clear_pointer (&self->parsed_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->buttons_problem, g_free);
  self->parsed_buttons = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_template_button_free);

  if (self->buttons == NULL || self->buttons[0] == '\0')
    return;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, self->buttons, -1, &error))
    {
      self->buttons_problem = g_strdup_printf (_("Buttons: not valid JSON (%s)"), error->message);
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      self->buttons_problem = g_strdup (_("Buttons: expected a JSON list of buttons"));
      return;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(HeraldTemplateButton) button = NULL;
      JsonObject *object;
      HeraldTemplateButtonType type;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          self->buttons_problem = g_strdup_printf (_("Buttons: button %u is not a JSON object"), i + 1);
          break;
        }
      object = json_node_get_object (node);
      if (!herald_template_button_type_from_string (json_object_get_string_or_null (object, "type"), &type))
        {
          self->buttons_problem = g_strdup_printf (_("Buttons: button %u has no known type (quick reply, URL, phone number or copy code)"),
                                                   i + 1);
          break;
        }

      button = g_new0 (HeraldTemplateButton, 1);
      button->type = type;
      button->text = g_strdup (json_object_get_string_or_null (object, "text"));
      button->url = g_strdup (json_object_get_string_or_null (object, "url"));
      button->phone_number = g_strdup (json_object_get_string_or_null (object, "phone_number"));
      button->example = g_strdup (json_object_get_example (object));
      if (type == HERALD_TEMPLATE_BUTTON_URL)
        {
          n_urls++;
          if (button->url != NULL && strstr (button->url, "{{") != NULL)
            button->variable_name = g_strdup_printf ("url.%u", n_urls);
        }
      g_ptr_array_add (self->parsed_buttons, g_steal_pointer (&button));
    }

  if (self->buttons_problem != NULL)
    g_ptr_array_set_size (self->parsed_buttons, 0);
}

static void
add_unique (GPtrArray  *names,
            const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), name) == 0)
      return;
  g_ptr_array_add (names, g_strdup (name));
}

static int
compare_positional (gconstpointer a,
                    gconstpointer b)
{
  guint64 x = g_ascii_strtoull (*(const char * const *) a, NULL, 10);
  guint64 y = g_ascii_strtoull (*(const char * const *) b, NULL, 10);

  return x < y ? -1 : x > y;
}

/* Body variable names, unique; positional ones in numeric order (the order
 * of the send request), named ones in text order. */
static GPtrArray *
collect_body_names (HeraldTemplate *self)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  gboolean named = herald_template_uses_named_variables (self);

  for (guint i = 0; i < self->body_placeholders->len; i++)
    {
      Placeholder *placeholder = g_ptr_array_index (self->body_placeholders, i);

      if (placeholder->name != NULL && placeholder->named == named)
        add_unique (names, placeholder->name);
    }

  if (!named)
    g_ptr_array_sort (names, compare_positional);

  return names;
}

static GPtrArray *
collect_all_names (HeraldTemplate *self)
{
  GPtrArray *names = collect_body_names (self);
  const char *header_name = herald_template_get_header_variable_name (self);

  if (header_name != NULL)
    add_unique (names, header_name);

  for (guint i = 0; i < self->parsed_buttons->len; i++)
    {
      HeraldTemplateButton *button = g_ptr_array_index (self->parsed_buttons, i);

      if (button->variable_name != NULL)
        add_unique (names, button->variable_name);
    }

  return names;
}

static void
update_variables (HeraldTemplate *self)
{
  g_autoptr(GPtrArray) names = collect_all_names (self);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < names->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (names, i));
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  if (g_strcmp0 (json, self->variables) == 0)
    return;

  g_free (self->variables);
  self->variables = g_steal_pointer (&json);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIABLES]);
}

static void
reparse_body (HeraldTemplate *self)
{
  g_clear_pointer (&self->body_placeholders, g_ptr_array_unref);
  self->body_placeholders = parse_placeholders (self->body, &self->body_braces_mismatched);
}

static void
reparse_header (HeraldTemplate *self)
{
  g_clear_pointer (&self->header_placeholders, g_ptr_array_unref);
  self->header_placeholders = parse_placeholders (has_header_text (self) ? self->header_content : NULL,
                                                  &self->header_braces_mismatched);
}

/* GObject */

static void
herald_template_finalize (GObject *object)
{
  HeraldTemplate *self = HERALD_TEMPLATE (object);

  g_free (self->name);
  g_free (self->language);
  g_free (self->body);
  g_free (self->header_content);
  g_free (self->footer);
  g_free (self->buttons);
  g_free (self->variables);
  g_free (self->examples);
  g_free (self->meta_template_id);
  g_free (self->rejected_reason);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->body_placeholders, g_ptr_array_unref);
  g_clear_pointer (&self->header_placeholders, g_ptr_array_unref);
  g_clear_pointer (&self->parsed_buttons, g_ptr_array_unref);
  g_free (self->buttons_problem);

  G_OBJECT_CLASS (herald_template_parent_class)->finalize (object);
}

static void
herald_template_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HeraldTemplate *self = HERALD_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_CATEGORY:
      g_value_set_int (value, self->category);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    case PROP_HEADER_TYPE:
      g_value_set_int (value, self->header_type);
      break;
    case PROP_HEADER_CONTENT:
      g_value_set_string (value, self->header_content);
      break;
    case PROP_FOOTER:
      g_value_set_string (value, self->footer);
      break;
    case PROP_BUTTONS:
      g_value_set_string (value, self->buttons);
      break;
    case PROP_VARIABLES:
      g_value_set_string (value, self->variables);
      break;
    case PROP_EXAMPLES:
      g_value_set_string (value, self->examples);
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_META_TEMPLATE_ID:
      g_value_set_string (value, self->meta_template_id);
      break;
    case PROP_REJECTED_REASON:
      g_value_set_string (value, self->rejected_reason);
      break;
    case PROP_SANDBOX_STATUS:
      g_value_set_int (value, self->sandbox_status);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_template_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HeraldTemplate *self = HERALD_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID:
      herald_template_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_NAME:
      herald_template_set_name (self, g_value_get_string (value));
      break;
    case PROP_LANGUAGE:
      herald_template_set_language (self, g_value_get_string (value));
      break;
    case PROP_CATEGORY:
      herald_template_set_category (self, g_value_get_int (value));
      break;
    case PROP_BODY:
      herald_template_set_body (self, g_value_get_string (value));
      break;
    case PROP_HEADER_TYPE:
      herald_template_set_header_type (self, g_value_get_int (value));
      break;
    case PROP_HEADER_CONTENT:
      herald_template_set_header_content (self, g_value_get_string (value));
      break;
    case PROP_FOOTER:
      herald_template_set_footer (self, g_value_get_string (value));
      break;
    case PROP_BUTTONS:
      herald_template_set_buttons (self, g_value_get_string (value));
      break;
    case PROP_EXAMPLES:
      herald_template_set_examples (self, g_value_get_string (value));
      break;
    case PROP_STATUS:
      herald_template_set_status (self, g_value_get_int (value));
      break;
    case PROP_META_TEMPLATE_ID:
      herald_template_set_meta_template_id (self, g_value_get_string (value));
      break;
    case PROP_REJECTED_REASON:
      herald_template_set_rejected_reason (self, g_value_get_string (value));
      break;
    case PROP_SANDBOX_STATUS:
      herald_template_set_sandbox_status (self, g_value_get_int (value));
      break;
    case PROP_CREATED_AT:
      herald_template_set_created_at (self, g_value_get_boxed (value));
      break;
    case PROP_UPDATED_AT:
      herald_template_set_updated_at (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_template_class_init (HeraldTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = herald_template_finalize;
  object_class->get_property = herald_template_get_property;
  object_class->set_property = herald_template_set_property;

  /* Row id in the templates table; 0 until stored. */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* Lowercase letters, digits and underscores. */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /* Meta's language code, "ll" or "ll_CC". */
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "en", flags);
  /* A HeraldTemplateCategory (herald-types.h has no enum GTypes). */
  properties[PROP_CATEGORY] =
    g_param_spec_int ("category", NULL, NULL,
                      HERALD_TEMPLATE_CATEGORY_MARKETING, HERALD_TEMPLATE_CATEGORY_AUTHENTICATION,
                      HERALD_TEMPLATE_CATEGORY_MARKETING, flags);
  properties[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL, NULL, flags);
  /* A HeraldHeaderType. */
  properties[PROP_HEADER_TYPE] =
    g_param_spec_int ("header-type", NULL, NULL,
                      HERALD_HEADER_NONE, HERALD_HEADER_DOCUMENT, HERALD_HEADER_NONE, flags);
  /* The header text, or the media link for media headers. */
  properties[PROP_HEADER_CONTENT] =
    g_param_spec_string ("header-content", NULL, NULL, NULL, flags);
  properties[PROP_FOOTER] =
    g_param_spec_string ("footer", NULL, NULL, NULL, flags);
  /* JSON array of buttons, as in templates.buttons. */
  properties[PROP_BUTTONS] =
    g_param_spec_string ("buttons", NULL, NULL, NULL, flags);
  /* JSON array of the variable names, derived from body, header and buttons. */
  properties[PROP_VARIABLES] =
    g_param_spec_string ("variables", NULL, NULL, "[]",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* JSON object mapping variable names to example values for Meta's review. */
  properties[PROP_EXAMPLES] =
    g_param_spec_string ("examples", NULL, NULL, NULL, flags);
  /* A HeraldTemplateStatus. */
  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL,
                      HERALD_TEMPLATE_DRAFT, HERALD_TEMPLATE_LIMIT_EXCEEDED, HERALD_TEMPLATE_DRAFT, flags);
  properties[PROP_META_TEMPLATE_ID] =
    g_param_spec_string ("meta-template-id", NULL, NULL, NULL, flags);
  /* Meta's reason for a rejection, as reported. */
  properties[PROP_REJECTED_REASON] =
    g_param_spec_string ("rejected-reason", NULL, NULL, NULL, flags);
  /* The Sandbox's review (a HeraldTemplateStatus), never Meta's, or
   * HERALD_TEMPLATE_SANDBOX_NONE when it was never sent to the Sandbox. */
  properties[PROP_SANDBOX_STATUS] =
    g_param_spec_int ("sandbox-status", NULL, NULL,
                      HERALD_TEMPLATE_SANDBOX_NONE, HERALD_TEMPLATE_LIMIT_EXCEEDED,
                      HERALD_TEMPLATE_SANDBOX_NONE, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_template_init (HeraldTemplate *self)
{
  self->language = g_strdup ("en");
  self->sandbox_status = HERALD_TEMPLATE_SANDBOX_NONE;
  self->variables = g_strdup ("[]");
  reparse_body (self);
  reparse_header (self);
  parse_buttons (self);
}

HeraldTemplate *
herald_template_new (void)
{
  return g_object_new (HERALD_TYPE_TEMPLATE, NULL);
}

/* Accessors */

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
replace_date_time (GDateTime **field,
                   GDateTime  *value)
{
  if (*field == value || (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return FALSE;
  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_ref (value);
  return TRUE;
}

#define DEFINE_STRING_PROPERTY(member, PROP)                                   \
  const char *                                                                \
  herald_template_get_##member (HeraldTemplate *self)                         \
  {                                                                           \
    g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);                   \
    return self->member;                                                      \
  }                                                                           \
                                                                              \
  void                                                                        \
  herald_template_set_##member (HeraldTemplate *self,                         \
                                const char     *member)                       \
  {                                                                           \
    g_return_if_fail (HERALD_IS_TEMPLATE (self));                             \
    if (replace_string (&self->member, member))                               \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);           \
  }

DEFINE_STRING_PROPERTY (name, PROP_NAME)
DEFINE_STRING_PROPERTY (language, PROP_LANGUAGE)
DEFINE_STRING_PROPERTY (footer, PROP_FOOTER)
DEFINE_STRING_PROPERTY (examples, PROP_EXAMPLES)
DEFINE_STRING_PROPERTY (meta_template_id, PROP_META_TEMPLATE_ID)
DEFINE_STRING_PROPERTY (rejected_reason, PROP_REJECTED_REASON)

#define DEFINE_VALUE_PROPERTY(Type, member, PROP, check)                       \
  Type                                                                        \
  herald_template_get_##member (HeraldTemplate *self)                         \
  {                                                                           \
    g_return_val_if_fail (HERALD_IS_TEMPLATE (self), 0);                      \
    return self->member;                                                      \
  }                                                                           \
                                                                              \
  void                                                                        \
  herald_template_set_##member (HeraldTemplate *self,                         \
                                Type            member)                       \
  {                                                                           \
    g_return_if_fail (HERALD_IS_TEMPLATE (self));                             \
    g_return_if_fail (check);                                                 \
    if (self->member == member)                                               \
      return;                                                                 \
    self->member = member;                                                    \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);             \
  }

DEFINE_VALUE_PROPERTY (gint64, id, PROP_ID, id >= 0)
DEFINE_VALUE_PROPERTY (HeraldTemplateCategory, category, PROP_CATEGORY,
                       (guint) category <= HERALD_TEMPLATE_CATEGORY_AUTHENTICATION)
DEFINE_VALUE_PROPERTY (HeraldTemplateStatus, status, PROP_STATUS,
                       (guint) status <= HERALD_TEMPLATE_LIMIT_EXCEEDED)
DEFINE_VALUE_PROPERTY (int, sandbox_status, PROP_SANDBOX_STATUS,
                       sandbox_status >= HERALD_TEMPLATE_SANDBOX_NONE &&
                       sandbox_status <= HERALD_TEMPLATE_LIMIT_EXCEEDED)

const char *
herald_template_get_body (HeraldTemplate *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);

  return self->body;
}

void
herald_template_set_body (HeraldTemplate *self,
                          const char     *body)
{
  g_return_if_fail (HERALD_IS_TEMPLATE (self));

  if (!replace_string (&self->body, body))
    return;

  reparse_body (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BODY]);
  update_variables (self);
}

HeraldHeaderType
herald_template_get_header_type (HeraldTemplate *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), HERALD_HEADER_NONE);

  return self->header_type;
}

void
herald_template_set_header_type (HeraldTemplate   *self,
                                 HeraldHeaderType  header_type)
{
  g_return_if_fail (HERALD_IS_TEMPLATE (self));
  g_return_if_fail ((guint) header_type <= HERALD_HEADER_DOCUMENT);

  if (self->header_type == header_type)
    return;

  self->header_type = header_type;
  reparse_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_TYPE]);
  update_variables (self);
}

const char *
herald_template_get_header_content (HeraldTemplate *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);

  return self->header_content;
}

void
herald_template_set_header_content (HeraldTemplate *self,
                                    const char     *header_content)
{
  g_return_if_fail (HERALD_IS_TEMPLATE (self));

  if (!replace_string (&self->header_content, header_content))
    return;

  reparse_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_CONTENT]);
  update_variables (self);
}

const char *
herald_template_get_buttons (HeraldTemplate *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);

  return self->buttons;
}

void
herald_template_set_buttons (HeraldTemplate *self,
                             const char     *buttons_json)
{
  g_return_if_fail (HERALD_IS_TEMPLATE (self));

  if (!replace_string (&self->buttons, buttons_json))
    return;

  parse_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUTTONS]);
  update_variables (self);
}

const char *
herald_template_get_variables (HeraldTemplate *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);

  return self->variables;
}

GDateTime *
herald_template_get_created_at (HeraldTemplate *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);

  return self->created_at;
}

void
herald_template_set_created_at (HeraldTemplate *self,
                                GDateTime      *created_at)
{
  g_return_if_fail (HERALD_IS_TEMPLATE (self));

  if (replace_date_time (&self->created_at, created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

GDateTime *
herald_template_get_updated_at (HeraldTemplate *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);

  return self->updated_at;
}

void
herald_template_set_updated_at (HeraldTemplate *self,
                                GDateTime      *updated_at)
{
  g_return_if_fail (HERALD_IS_TEMPLATE (self));

  if (replace_date_time (&self->updated_at, updated_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

/* Variables */

static GStrv
names_to_strv (GPtrArray *names)
{
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

GStrv
herald_template_get_variable_names (HeraldTemplate *self)
{
  GPtrArray *names;

  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);

  names = collect_all_names (self);
  g_ptr_array_set_free_func (names, NULL);
  return names_to_strv (names);
}

GStrv
herald_template_get_body_variable_names (HeraldTemplate *self)
{
  GPtrArray *names;

  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);

  names = collect_body_names (self);
  g_ptr_array_set_free_func (names, NULL);
  return names_to_strv (names);
}

const char *
herald_template_get_header_variable_name (HeraldTemplate *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);

  for (guint i = 0; i < self->header_placeholders->len; i++)
    {
      Placeholder *placeholder = g_ptr_array_index (self->header_placeholders, i);

      if (placeholder->name != NULL)
        return placeholder->name;
    }

  return NULL;
}

/* The kind of the first variable, body first, decides. */
gboolean
herald_template_uses_named_variables (HeraldTemplate *self)
{
  GPtrArray *lists[2];

  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), FALSE);

  lists[0] = self->body_placeholders;
  lists[1] = self->header_placeholders;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        Placeholder *placeholder = g_ptr_array_index (lists[l], i);

        if (placeholder->name != NULL)
          return placeholder->named;
      }

  return FALSE;
}

guint
herald_template_get_n_buttons (HeraldTemplate *self)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), 0);

  return self->parsed_buttons->len;
}

const HeraldTemplateButton *
herald_template_get_button (HeraldTemplate *self,
                            guint           index)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (index < self->parsed_buttons->len, NULL);

  return g_ptr_array_index (self->parsed_buttons, index);
}

/* Validation */

static void
add_problem (GPtrArray           *problems,
             HeraldTemplateField  field,
             char                *message)
{
  HeraldTemplateProblem *problem = g_new0 (HeraldTemplateProblem, 1);

  problem->field = field;
  problem->message = message;
  g_ptr_array_add (problems, problem);
}

static gboolean
is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;
  for (; *s != '\0'; s = g_utf8_next_char (s))
    if (!g_unichar_isspace (g_utf8_get_char (s)))
      return FALSE;
  return TRUE;
}

/* TRUE when the bytes [start, end) of @text hold a letter or digit. */
static gboolean
has_word_character (const char *text,
                    gsize       start,
                    gsize       end)
{
  for (const char *p = text + start; p < text + end; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static gboolean
is_whitespace_between (const char *text,
                       gsize       start,
                       gsize       end)
{
  for (const char *p = text + start; p < text + end; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Words outside the placeholders: runs of non-space characters holding at
 * least one letter or digit. */
static guint
count_fixed_words (const char *text,
                   GPtrArray  *placeholders)
{
  GString *fixed = g_string_new (NULL);
  g_auto(GStrv) tokens = NULL;
  gsize from = 0;
  guint n_words = 0;

  for (guint i = 0; i < placeholders->len; i++)
    {
      Placeholder *placeholder = g_ptr_array_index (placeholders, i);

      g_string_append_len (fixed, text + from, placeholder->start - from);
      g_string_append_c (fixed, ' ');
      from = placeholder->end;
    }
  g_string_append (fixed, text + from);

  /* Whitespace in any script separates words; normalise it to one space. */
  for (char *p = fixed->str; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)) && g_utf8_skip[*(guchar *) p] == 1)
      *p = ' ';

  tokens = g_strsplit (fixed->str, " ", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    if (has_word_character (tokens[i], 0, strlen (tokens[i])))
      n_words++;

  g_string_free (fixed, TRUE);
  return n_words;
}

/* Placeholders whose content is no variable name. */
static void
check_placeholder_syntax (GPtrArray           *problems,
                          HeraldTemplateField  field,
                          const char          *field_label,
                          GPtrArray           *placeholders,
                          gboolean             mismatched)
{
  if (mismatched)
    add_problem (problems, field,
                 /* Translators: %s is a field name such as "Body" */
                 g_strdup_printf (_("%s: a “{{” or “}}” has no partner"), field_label));

  for (guint i = 0; i < placeholders->len; i++)
    {
      Placeholder *placeholder = g_ptr_array_index (placeholders, i);

      if (placeholder->name != NULL || strpbrk (placeholder->content, "{}") != NULL)
        continue;

      if (strpbrk (placeholder->content, "#$%") != NULL)
        add_problem (problems, field,
                     g_strdup_printf (_("%s: “{{%s}}” can’t contain #, $ or %%"),
                                      field_label, placeholder->content));
      else
        add_problem (problems, field,
                     g_strdup_printf (_("%s: “{{%s}}” is not a variable: use {{1}}, {{2}}… or lowercase names like {{first_name}}"),
                                      field_label, placeholder->content));
    }
}

static void
check_body (HeraldTemplate *self,
            GPtrArray      *problems)
{
  const char *label = _("Body");
  GPtrArray *placeholders = self->body_placeholders;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean named = herald_template_uses_named_variables (self);
  gboolean mixed = FALSE;
  Placeholder *first = NULL;
  Placeholder *last = NULL;
  guint n_valid = 0;
  glong length;

  if (is_blank (self->body))
    {
      add_problem (problems, HERALD_TEMPLATE_FIELD_BODY, g_strdup (_("Body: the text is required")));
      return;
    }

  length = g_utf8_strlen (self->body, -1);
  if (length > HERALD_TEMPLATE_BODY_MAX)
    add_problem (problems, HERALD_TEMPLATE_FIELD_BODY,
                 g_strdup_printf (_("Body: %ld characters, at most %d are allowed"),
                                  length, HERALD_TEMPLATE_BODY_MAX));

  check_placeholder_syntax (problems, HERALD_TEMPLATE_FIELD_BODY, label,
                            placeholders, self->body_braces_mismatched);

  for (guint i = 0; i < placeholders->len; i++)
    {
      Placeholder *placeholder = g_ptr_array_index (placeholders, i);

      if (placeholder->name == NULL)
        continue;

      if (placeholder->named != named)
        mixed = TRUE;
      else if (!g_hash_table_add (seen, placeholder->name))
        add_problem (problems, HERALD_TEMPLATE_FIELD_BODY,
                     g_strdup_printf (_("Body: the variable {{%s}} appears more than once"),
                                      placeholder->name));

      if (last != NULL && is_whitespace_between (self->body, last->end, placeholder->start))
        add_problem (problems, HERALD_TEMPLATE_FIELD_BODY,
                     g_strdup_printf (_("Body: the variables {{%s}} and {{%s}} need words between them"),
                                      last->name, placeholder->name));

      if (first == NULL)
        first = placeholder;
      last = placeholder;
      n_valid++;
    }

  if (mixed)
    add_problem (problems, HERALD_TEMPLATE_FIELD_BODY,
                 g_strdup (_("Body: use either numbered variables or named ones, not both")));

  if (!named && !mixed)
    {
      for (guint n = 1; n <= g_hash_table_size (seen); n++)
        {
          g_autofree char *key = g_strdup_printf ("%u", n);

          if (!g_hash_table_contains (seen, key))
            {
              add_problem (problems, HERALD_TEMPLATE_FIELD_BODY,
                           g_strdup_printf (_("Body: number the variables from {{1}} without gaps; {{%s}} is missing"),
                                            key));
              break;
            }
        }
    }

  if (first != NULL && !has_word_character (self->body, 0, first->start))
    add_problem (problems, HERALD_TEMPLATE_FIELD_BODY,
                 g_strdup (_("Body: a variable can’t start the text")));

  if (last != NULL && !has_word_character (self->body, last->end, strlen (self->body)))
    add_problem (problems, HERALD_TEMPLATE_FIELD_BODY,
                 g_strdup (_("Body: a variable can’t end the text")));

  if (n_valid > 0)
    {
      guint needed = WORDS_PER_VARIABLE * n_valid + 1;
      guint words = count_fixed_words (self->body, placeholders);

      if (words < needed)
        add_problem (problems, HERALD_TEMPLATE_FIELD_BODY,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Body: too many variables for the length: %u variable needs at least %u other words (there are %u)",
                                                   "Body: too many variables for the length: %u variables need at least %u other words (there are %u)",
                                                   n_valid),
                                      n_valid, needed, words));
    }
}

static gboolean
is_web_link (const char *s)
{
  return g_str_has_prefix (s, "https://") || g_str_has_prefix (s, "http://");
}

static void
check_header (HeraldTemplate *self,
              GPtrArray      *problems)
{
  const char *label = _("Header");
  guint n_valid = 0;
  glong length;

  switch (self->header_type)
    {
    case HERALD_HEADER_NONE:
      return;

    case HERALD_HEADER_IMAGE:
    case HERALD_HEADER_VIDEO:
    case HERALD_HEADER_DOCUMENT:
      if (!is_blank (self->header_content) && !is_web_link (self->header_content))
        add_problem (problems, HERALD_TEMPLATE_FIELD_HEADER,
                     g_strdup (_("Header: give a link starting with https:// or leave it empty and pick the file per campaign")));
      return;

    case HERALD_HEADER_TEXT:
    default:
      break;
    }

  if (is_blank (self->header_content))
    {
      add_problem (problems, HERALD_TEMPLATE_FIELD_HEADER, g_strdup (_("Header: the text is required")));
      return;
    }

  length = g_utf8_strlen (self->header_content, -1);
  if (length > HERALD_TEMPLATE_HEADER_TEXT_MAX)
    add_problem (problems, HERALD_TEMPLATE_FIELD_HEADER,
                 g_strdup_printf (_("Header: %ld characters, at most %d are allowed"),
                                  length, HERALD_TEMPLATE_HEADER_TEXT_MAX));

  check_placeholder_syntax (problems, HERALD_TEMPLATE_FIELD_HEADER, label,
                            self->header_placeholders, self->header_braces_mismatched);

  for (guint i = 0; i < self->header_placeholders->len; i++)
    {
      Placeholder *placeholder = g_ptr_array_index (self->header_placeholders, i);

      if (placeholder->name == NULL)
        continue;

      n_valid++;
      if (placeholder->named != herald_template_uses_named_variables (self))
        add_problem (problems, HERALD_TEMPLATE_FIELD_HEADER,
                     g_strdup (_("Header: use the same kind of variable as the body, numbered or named")));
      else if (!placeholder->named && g_strcmp0 (placeholder->name, "1") != 0)
        add_problem (problems, HERALD_TEMPLATE_FIELD_HEADER,
                     g_strdup_printf (_("Header: the variable must be {{1}}, not {{%s}}"), placeholder->name));
    }

  if (n_valid > 1)
    add_problem (problems, HERALD_TEMPLATE_FIELD_HEADER,
                 g_strdup (_("Header: at most one variable is allowed")));
}

static void
check_footer (HeraldTemplate *self,
              GPtrArray      *problems)
{
  glong length;

  if (self->footer == NULL || self->footer[0] == '\0')
    return;

  length = g_utf8_strlen (self->footer, -1);
  if (length > HERALD_TEMPLATE_FOOTER_MAX)
    add_problem (problems, HERALD_TEMPLATE_FIELD_FOOTER,
                 g_strdup_printf (_("Footer: %ld characters, at most %d are allowed"),
                                  length, HERALD_TEMPLATE_FOOTER_MAX));

  if (strstr (self->footer, "{{") != NULL || strstr (self->footer, "}}") != NULL)
    add_problem (problems, HERALD_TEMPLATE_FIELD_FOOTER,
                 g_strdup (_("Footer: variables aren’t allowed")));
}

static void
check_button_url (const HeraldTemplateButton *button,
                  guint                       number,
                  GPtrArray                  *problems)
{
  const char *open;
  glong length;

  if (is_blank (button->url))
    {
      add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                   g_strdup_printf (_("Buttons: button %u needs a web address"), number));
      return;
    }

  length = g_utf8_strlen (button->url, -1);
  if (length > HERALD_TEMPLATE_URL_MAX)
    add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                 g_strdup_printf (_("Buttons: the web address of button %u has %ld characters, at most %d are allowed"),
                                  number, length, HERALD_TEMPLATE_URL_MAX));

  if (!is_web_link (button->url))
    add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                 g_strdup_printf (_("Buttons: the web address of button %u must start with https://"), number));

  open = strstr (button->url, "{{");
  if ((open != NULL && g_strcmp0 (open, "{{1}}") != 0) ||
      (open == NULL && strstr (button->url, "}}") != NULL))
    add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                 g_strdup_printf (_("Buttons: the web address of button %u may have one variable, {{1}}, only at its end"),
                                  number));
}

static void
check_buttons (HeraldTemplate *self,
               GPtrArray      *problems)
{
  guint counts[G_N_ELEMENTS (button_type_names)] = { 0 };
  guint n = self->parsed_buttons->len;
  gboolean quick_replies_ended = FALSE;
  gboolean quick_replies_split = FALSE;

  if (self->buttons_problem != NULL)
    {
      add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS, g_strdup (self->buttons_problem));
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      const HeraldTemplateButton *button = g_ptr_array_index (self->parsed_buttons, i);
      guint number = i + 1;

      counts[button->type]++;

      if (button->type == HERALD_TEMPLATE_BUTTON_QUICK_REPLY)
        {
          if (quick_replies_ended)
            quick_replies_split = TRUE;
        }
      else if (counts[HERALD_TEMPLATE_BUTTON_QUICK_REPLY] > 0)
        quick_replies_ended = TRUE;

      if (button->type != HERALD_TEMPLATE_BUTTON_COPY_CODE && is_blank (button->text))
        add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                     g_strdup_printf (_("Buttons: button %u needs a label"), number));
      else if (button->text != NULL && g_utf8_strlen (button->text, -1) > HERALD_TEMPLATE_BUTTON_TEXT_MAX)
        add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                     g_strdup_printf (_("Buttons: the label of button %u is longer than %d characters"),
                                      number, HERALD_TEMPLATE_BUTTON_TEXT_MAX));

      switch (button->type)
        {
        case HERALD_TEMPLATE_BUTTON_URL:
          check_button_url (button, number, problems);
          break;

        case HERALD_TEMPLATE_BUTTON_PHONE_NUMBER:
          if (is_blank (button->phone_number))
            add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                         g_strdup_printf (_("Buttons: button %u needs a phone number"), number));
          else if (g_utf8_strlen (button->phone_number, -1) > HERALD_TEMPLATE_PHONE_MAX)
            add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                         g_strdup_printf (_("Buttons: the phone number of button %u is longer than %d characters"),
                                          number, HERALD_TEMPLATE_PHONE_MAX));
          break;

        case HERALD_TEMPLATE_BUTTON_COPY_CODE:
          if (is_blank (button->example))
            add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                         g_strdup_printf (_("Buttons: button %u needs the code to copy"), number));
          break;

        case HERALD_TEMPLATE_BUTTON_QUICK_REPLY:
        default:
          break;
        }
    }

  if (n > HERALD_TEMPLATE_BUTTONS_MAX)
    add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                 g_strdup_printf (_("Buttons: %u buttons, at most %d are allowed"), n, HERALD_TEMPLATE_BUTTONS_MAX));
  if (counts[HERALD_TEMPLATE_BUTTON_QUICK_REPLY] > HERALD_TEMPLATE_QUICK_REPLY_MAX)
    add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                 g_strdup_printf (_("Buttons: at most %d quick replies are allowed"), HERALD_TEMPLATE_QUICK_REPLY_MAX));
  if (counts[HERALD_TEMPLATE_BUTTON_URL] > HERALD_TEMPLATE_URL_BUTTONS_MAX)
    add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                 g_strdup_printf (_("Buttons: at most %d web address buttons are allowed"), HERALD_TEMPLATE_URL_BUTTONS_MAX));
  if (counts[HERALD_TEMPLATE_BUTTON_PHONE_NUMBER] > 1)
    add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                 g_strdup (_("Buttons: at most one phone number button is allowed")));
  if (counts[HERALD_TEMPLATE_BUTTON_COPY_CODE] > 1)
    add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                 g_strdup (_("Buttons: at most one copy code button is allowed")));
  if (quick_replies_split)
    add_problem (problems, HERALD_TEMPLATE_FIELD_BUTTONS,
                 g_strdup (_("Buttons: keep the quick replies together, not between other buttons")));
}

GPtrArray *
herald_template_check (HeraldTemplate *self)
{
  GPtrArray *problems;
  glong name_length;

  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) herald_template_problem_free);

  name_length = self->name != NULL ? g_utf8_strlen (self->name, -1) : 0;
  if (name_length == 0)
    add_problem (problems, HERALD_TEMPLATE_FIELD_NAME, g_strdup (_("Name: a name is required")));
  else
    {
      if (strspn (self->name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen (self->name))
        add_problem (problems, HERALD_TEMPLATE_FIELD_NAME,
                     g_strdup (_("Name: use only lowercase letters, digits and underscores")));
      if (name_length > HERALD_TEMPLATE_NAME_MAX)
        add_problem (problems, HERALD_TEMPLATE_FIELD_NAME,
                     g_strdup_printf (_("Name: %ld characters, at most %d are allowed"),
                                      name_length, HERALD_TEMPLATE_NAME_MAX));
    }

  if (!g_regex_match_simple ("^[a-z]{2,3}(_[A-Z]{2})?$", self->language ? self->language : "", 0, 0))
    add_problem (problems, HERALD_TEMPLATE_FIELD_LANGUAGE,
                 g_strdup_printf (_("Language: “%s” is not a language code like en, de or pt_BR"),
                                  self->language ? self->language : ""));

  if ((guint) self->category > HERALD_TEMPLATE_CATEGORY_AUTHENTICATION)
    add_problem (problems, HERALD_TEMPLATE_FIELD_CATEGORY,
                 g_strdup (_("Category: choose marketing, utility or authentication")));

  check_header (self, problems);
  check_body (self, problems);
  check_footer (self, problems);
  check_buttons (self, problems);

  return problems;
}

gboolean
herald_template_validate (HeraldTemplate  *self,
                          GError         **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  HeraldTemplateProblem *problem;

  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  problems = herald_template_check (self);
  if (problems->len == 0)
    return TRUE;

  problem = g_ptr_array_index (problems, 0);
  g_set_error_literal (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_INVALID, problem->message);
  return FALSE;
}

/* Rendering */

static const char *
lookup_value (GHashTable  *values,
              const char  *field_label,
              const char  *name,
              GError     **error)
{
  const char *value = values != NULL ? g_hash_table_lookup (values, name) : NULL;

  if (value == NULL || value[0] == '\0')
    {
      g_set_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_MISSING_VALUE,
                   /* Translators: the first %s is a field name such as "Body" */
                   _("%s: no value for the variable {{%s}}"), field_label, name);
      return NULL;
    }

  return value;
}

static char *
render_text (const char  *text,
             GPtrArray   *placeholders,
             GHashTable  *values,
             const char  *field_label,
             GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize from = 0;

  if (text == NULL)
    return g_strdup ("");

  for (guint i = 0; i < placeholders->len; i++)
    {
      Placeholder *placeholder = g_ptr_array_index (placeholders, i);
      const char *value;

      if (placeholder->name == NULL)
        continue;

      value = lookup_value (values, field_label, placeholder->name, error);
      if (value == NULL)
        return NULL;

      g_string_append_len (out, text + from, placeholder->start - from);
      g_string_append (out, value);
      from = placeholder->end;
    }
  g_string_append (out, text + from);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
herald_template_render_body (HeraldTemplate  *self,
                             GHashTable      *values,
                             GError         **error)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return render_text (self->body, self->body_placeholders, values, _("Body"), error);
}

char *
herald_template_render_header (HeraldTemplate  *self,
                               GHashTable      *values,
                               GError         **error)
{
  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!has_header_text (self))
    return g_strdup ("");

  return render_text (self->header_content, self->header_placeholders, values, _("Header"), error);
}

char *
herald_template_render (HeraldTemplate  *self,
                        GHashTable      *values,
                        GError         **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *header = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  header = herald_template_render_header (self, values, error);
  if (header == NULL)
    return NULL;
  body = herald_template_render_body (self, values, error);
  if (body == NULL)
    return NULL;

  if (header[0] != '\0')
    g_string_append_printf (out, "%s\n", header);
  g_string_append (out, body);
  if (self->footer != NULL && self->footer[0] != '\0')
    g_string_append_printf (out, "\n%s", self->footer);

  for (guint i = 0; i < self->parsed_buttons->len; i++)
    {
      const HeraldTemplateButton *button = g_ptr_array_index (self->parsed_buttons, i);

      /* WhatsApp labels copy-code buttons itself, in the reader's language. */
      g_string_append_printf (out, "\n%s",
                              button->text != NULL ? button->text : COPY_CODE_LABEL);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Send components */

static void
add_text_parameter (JsonBuilder *builder,
                    const char  *name,
                    gboolean     named,
                    const char  *text)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "text");
  if (named)
    {
      json_builder_set_member_name (builder, "parameter_name");
      json_builder_add_string_value (builder, name);
    }
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
}

static const char *
header_media_key (HeraldHeaderType type)
{
  switch (type)
    {
    case HERALD_HEADER_IMAGE:
      return "image";
    case HERALD_HEADER_VIDEO:
      return "video";
    case HERALD_HEADER_DOCUMENT:
      return "document";
    case HERALD_HEADER_NONE:
    case HERALD_HEADER_TEXT:
    default:
      return NULL;
    }
}

static void
begin_component (JsonBuilder *builder,
                 const char  *type)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
}

JsonNode *
herald_template_build_send_components (HeraldTemplate  *self,
                                       GHashTable      *values,
                                       const char      *header_media,
                                       GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) body_names = NULL;
  gboolean named;
  const char *media_key = header_media_key (self->header_type);
  const char *header_name;

  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  named = herald_template_uses_named_variables (self);
  header_name = herald_template_get_header_variable_name (self);
  body_names = herald_template_get_body_variable_names (self);

  json_builder_begin_array (builder);

  if (media_key != NULL)
    {
      const char *media = header_media != NULL ? header_media : self->header_content;

      if (is_blank (media))
        {
          g_set_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_MISSING_VALUE,
                       _("Header: no %s given"), media_key);
          return NULL;
        }

      begin_component (builder, "header");
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, media_key);
      json_builder_set_member_name (builder, media_key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, is_web_link (media) ? "link" : "id");
      json_builder_add_string_value (builder, media);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  else if (header_name != NULL)
    {
      const char *value = lookup_value (values, _("Header"), header_name, error);

      if (value == NULL)
        return NULL;

      begin_component (builder, "header");
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      add_text_parameter (builder, header_name, named, value);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  if (body_names[0] != NULL)
    {
      begin_component (builder, "body");
      json_builder_set_member_name (builder, "parameters");
      json_builder_begin_array (builder);
      for (guint i = 0; body_names[i] != NULL; i++)
        {
          const char *value = lookup_value (values, _("Body"), body_names[i], error);

          if (value == NULL)
            return NULL;
          add_text_parameter (builder, body_names[i], named, value);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  for (guint i = 0; i < self->parsed_buttons->len; i++)
    {
      const HeraldTemplateButton *button = g_ptr_array_index (self->parsed_buttons, i);
      g_autofree char *index = g_strdup_printf ("%u", i);
      const char *value;

      if (button->type == HERALD_TEMPLATE_BUTTON_URL && button->variable_name != NULL)
        {
          value = lookup_value (values, _("Buttons"), button->variable_name, error);
          if (value == NULL)
            return NULL;

          begin_component (builder, "button");
          json_builder_set_member_name (builder, "sub_type");
          json_builder_add_string_value (builder, "url");
          json_builder_set_member_name (builder, "index");
          json_builder_add_string_value (builder, index);
          json_builder_set_member_name (builder, "parameters");
          json_builder_begin_array (builder);
          add_text_parameter (builder, NULL, FALSE, value);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      else if (button->type == HERALD_TEMPLATE_BUTTON_COPY_CODE && button->example != NULL)
        {
          /* The code is the template's own: one code for every recipient. */
          begin_component (builder, "button");
          json_builder_set_member_name (builder, "sub_type");
          json_builder_add_string_value (builder, "copy_code");
          json_builder_set_member_name (builder, "index");
          json_builder_add_string_value (builder, index);
          json_builder_set_member_name (builder, "parameters");
          json_builder_begin_array (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "coupon_code");
          json_builder_set_member_name (builder, "coupon_code");
          json_builder_add_string_value (builder, button->example);
          json_builder_end_object (builder);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
    }

  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* Meta's template JSON */

static JsonObject *
parse_examples (HeraldTemplate *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (self->examples == NULL || self->examples[0] == '\0' ||
      !json_parser_load_from_data (parser, self->examples, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* The example given for @name, else a plausible made-up one. */
static char *
example_for (JsonObject *examples,
             const char *name)
{
  const char *given = examples != NULL ? json_object_get_string_or_null (examples, name) : NULL;
  g_autofree char *words = NULL;

  if (given != NULL && given[0] != '\0')
    return g_strdup (given);

  if (g_str_has_prefix (name, "url."))
    return g_strdup ("example");
  if (is_positional_name (name))
    return g_strdup_printf ("Example %s", name);

  words = g_strdelimit (g_strdup (name), "_", ' ');
  words[0] = g_ascii_toupper (words[0]);
  return g_steal_pointer (&words);
}

static void
add_named_examples (JsonBuilder *builder,
                    const char  *member,
                    JsonObject  *examples,
                    GStrv        names)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *example = example_for (examples, names[i]);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "param_name");
      json_builder_add_string_value (builder, names[i]);
      json_builder_set_member_name (builder, "example");
      json_builder_add_string_value (builder, example);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static char *
url_with_suffix (const char *url,
                 const char *suffix)
{
  const char *open = strstr (url, "{{");

  return g_strdup_printf ("%.*s%s", (int) (open - url), url, suffix);
}

static void
add_meta_button (JsonBuilder                *builder,
                 const HeraldTemplateButton *button,
                 JsonObject                 *examples)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, herald_template_button_type_to_string (button->type));
  if (button->text != NULL)
    {
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, button->text);
    }

  switch (button->type)
    {
    case HERALD_TEMPLATE_BUTTON_URL:
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, button->url);
      if (button->variable_name != NULL)
        {
          /* Meta shows reviewers the whole address with the example suffix. */
          g_autofree char *suffix = button->example != NULL ? g_strdup (button->example)
                                                            : example_for (examples, button->variable_name);
          g_autofree char *full = url_with_suffix (button->url, suffix);

          json_builder_set_member_name (builder, "example");
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, full);
          json_builder_end_array (builder);
        }
      break;

    case HERALD_TEMPLATE_BUTTON_PHONE_NUMBER:
      json_builder_set_member_name (builder, "phone_number");
      json_builder_add_string_value (builder, button->phone_number);
      break;

    case HERALD_TEMPLATE_BUTTON_COPY_CODE:
      json_builder_set_member_name (builder, "example");
      json_builder_add_string_value (builder, button->example);
      break;

    case HERALD_TEMPLATE_BUTTON_QUICK_REPLY:
    default:
      break;
    }

  json_builder_end_object (builder);
}

JsonNode *
herald_template_to_meta_create_request (HeraldTemplate  *self,
                                        GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonObject) examples = NULL;
  g_auto(GStrv) body_names = NULL;
  const char *header_name;
  gboolean named;

  g_return_val_if_fail (HERALD_IS_TEMPLATE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!herald_template_validate (self, error))
    return NULL;

  examples = parse_examples (self);
  named = herald_template_uses_named_variables (self);
  body_names = herald_template_get_body_variable_names (self);
  header_name = herald_template_get_header_variable_name (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, self->language);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, herald_template_category_to_string (self->category));
  json_builder_set_member_name (builder, "parameter_format");
  json_builder_add_string_value (builder, named ? "named" : "positional");

  json_builder_set_member_name (builder, "components");
  json_builder_begin_array (builder);

  if (self->header_type != HERALD_HEADER_NONE)
    {
      begin_component (builder, "HEADER");
      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, herald_header_type_to_string (self->header_type));
      if (has_header_text (self))
        {
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, self->header_content);
          if (header_name != NULL)
            {
              json_builder_set_member_name (builder, "example");
              json_builder_begin_object (builder);
              if (named)
                {
                  const char *names[] = { header_name, NULL };

                  add_named_examples (builder, "header_text_named_params", examples, (GStrv) names);
                }
              else
                {
                  g_autofree char *example = example_for (examples, header_name);

                  json_builder_set_member_name (builder, "header_text");
                  json_builder_begin_array (builder);
                  json_builder_add_string_value (builder, example);
                  json_builder_end_array (builder);
                }
              json_builder_end_object (builder);
            }
        }
      else if (!is_blank (self->header_content))
        {
          json_builder_set_member_name (builder, "example");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "header_handle");
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, self->header_content);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }

  begin_component (builder, "BODY");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, self->body);
  if (body_names[0] != NULL)
    {
      json_builder_set_member_name (builder, "example");
      json_builder_begin_object (builder);
      if (named)
        add_named_examples (builder, "body_text_named_params", examples, body_names);
      else
        {
          json_builder_set_member_name (builder, "body_text");
          json_builder_begin_array (builder);
          json_builder_begin_array (builder);
          for (guint i = 0; body_names[i] != NULL; i++)
            {
              g_autofree char *example = example_for (examples, body_names[i]);

              json_builder_add_string_value (builder, example);
            }
          json_builder_end_array (builder);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  if (self->footer != NULL && self->footer[0] != '\0')
    {
      begin_component (builder, "FOOTER");
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, self->footer);
      json_builder_end_object (builder);
    }

  if (self->parsed_buttons->len > 0)
    {
      begin_component (builder, "BUTTONS");
      json_builder_set_member_name (builder, "buttons");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->parsed_buttons->len; i++)
        add_meta_button (builder, g_ptr_array_index (self->parsed_buttons, i), examples);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
generate_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* Copies Meta's named examples ([{param_name, example}]) into @examples. */
static void
read_named_examples (JsonObject *example,
                     const char *member,
                     JsonObject *examples)
{
  JsonNode *node = json_object_get_member (example, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *name;
      const char *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      name = json_object_get_string_or_null (json_node_get_object (element), "param_name");
      value = json_object_get_string_or_null (json_node_get_object (element), "example");
      if (name != NULL && value != NULL)
        json_object_set_string_member (examples, name, value);
    }
}

/* Copies positional examples (strings, in variable order) into @examples. */
static void
read_positional_examples (JsonArray  *array,
                          GStrv       names,
                          JsonObject *examples)
{
  for (guint i = 0; names[i] != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        json_object_set_string_member (examples, names[i], json_node_get_string (element));
    }
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array_member (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
read_meta_buttons (JsonArray   *buttons,
                   JsonBuilder *builder,
                   GError     **error)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (buttons); i++)
    {
      JsonNode *node = json_array_get_element (buttons, i);
      JsonObject *button;
      HeraldTemplateButtonType type;
      const char *type_name;
      const char *text;
      const char *example;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      button = json_node_get_object (node);
      type_name = json_object_get_string_or_null (button, "type");
      if (!herald_template_button_type_from_string (type_name, &type))
        {
          g_set_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_META_FORMAT,
                       _("Buttons: %s buttons are not supported"), type_name ? type_name : "?");
          return FALSE;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, herald_template_button_type_to_string (type));
      text = json_object_get_string_or_null (button, "text");
      if (text != NULL && type != HERALD_TEMPLATE_BUTTON_COPY_CODE)
        {
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, text);
        }
      example = json_object_get_example (button);

      switch (type)
        {
        case HERALD_TEMPLATE_BUTTON_URL:
          {
            const char *url = json_object_get_string_or_null (button, "url");
            const char *open = url != NULL ? strstr (url, "{{") : NULL;

            json_builder_set_member_name (builder, "url");
            json_builder_add_string_value (builder, url);
            /* Meta's example is the whole address; keep its variable suffix. */
            if (open != NULL && example != NULL &&
                strncmp (example, url, open - url) == 0 && example[open - url] != '\0')
              {
                json_builder_set_member_name (builder, "example");
                json_builder_add_string_value (builder, example + (open - url));
              }
          }
          break;

        case HERALD_TEMPLATE_BUTTON_PHONE_NUMBER:
          json_builder_set_member_name (builder, "phone_number");
          json_builder_add_string_value (builder, json_object_get_string_or_null (button, "phone_number"));
          break;

        case HERALD_TEMPLATE_BUTTON_COPY_CODE:
          json_builder_set_member_name (builder, "example");
          json_builder_add_string_value (builder, example);
          break;

        case HERALD_TEMPLATE_BUTTON_QUICK_REPLY:
        default:
          break;
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return TRUE;
}

static gboolean
read_meta_header (HeraldTemplate *self,
                  JsonObject     *component,
                  JsonObject     *examples,
                  GError        **error)
{
  const char *format = json_object_get_string_or_null (component, "format");
  JsonObject *example = get_object_member (component, "example");
  HeraldHeaderType type;

  if (!herald_header_type_from_string (format, &type))
    {
      g_set_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_META_FORMAT,
                   _("Header: %s headers are not supported"), format ? format : "?");
      return FALSE;
    }

  herald_template_set_header_type (self, type);

  if (type == HERALD_HEADER_TEXT)
    {
      herald_template_set_header_content (self, json_object_get_string_or_null (component, "text"));
      if (example != NULL && herald_template_get_header_variable_name (self) != NULL)
        {
          JsonArray *positional = get_array_member (example, "header_text");

          read_named_examples (example, "header_text_named_params", examples);
          if (positional != NULL)
            {
              const char *names[] = { herald_template_get_header_variable_name (self), NULL };

              read_positional_examples (positional, (GStrv) names, examples);
            }
        }
    }
  else if (example != NULL)
    {
      JsonArray *handles = get_array_member (example, "header_handle");

      if (handles != NULL && json_array_get_length (handles) > 0)
        herald_template_set_header_content (self, json_array_get_string_element (handles, 0));
    }

  return TRUE;
}

static gboolean
read_meta_components (HeraldTemplate *self,
                      JsonArray      *components,
                      JsonObject     *examples,
                      GError        **error)
{
  for (guint i = 0; i < json_array_get_length (components); i++)
    {
      JsonNode *node = json_array_get_element (components, i);
      JsonObject *component;
      const char *type;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      component = json_node_get_object (node);
      type = json_object_get_string_or_null (component, "type");

      if (g_ascii_strcasecmp (type ? type : "", "HEADER") == 0)
        {
          if (!read_meta_header (self, component, examples, error))
            return FALSE;
        }
      else if (g_ascii_strcasecmp (type ? type : "", "BODY") == 0)
        {
          JsonObject *example = get_object_member (component, "example");

          herald_template_set_body (self, json_object_get_string_or_null (component, "text"));
          if (example != NULL)
            {
              JsonArray *rows = get_array_member (example, "body_text");

              read_named_examples (example, "body_text_named_params", examples);
              if (rows != NULL && json_array_get_length (rows) > 0 &&
                  JSON_NODE_HOLDS_ARRAY (json_array_get_element (rows, 0)))
                {
                  g_auto(GStrv) names = herald_template_get_body_variable_names (self);

                  read_positional_examples (json_array_get_array_element (rows, 0), names, examples);
                }
            }
        }
      else if (g_ascii_strcasecmp (type ? type : "", "FOOTER") == 0)
        herald_template_set_footer (self, json_object_get_string_or_null (component, "text"));
      else if (g_ascii_strcasecmp (type ? type : "", "BUTTONS") == 0)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;
          g_autofree char *json = NULL;
          JsonArray *buttons = get_array_member (component, "buttons");

          if (buttons == NULL || json_array_get_length (buttons) == 0)
            continue;
          if (!read_meta_buttons (buttons, builder, error))
            return FALSE;
          root = json_builder_get_root (builder);
          json = generate_json (root);
          herald_template_set_buttons (self, json);
        }
    }

  return TRUE;
}

HeraldTemplate *
herald_template_new_from_meta (JsonObject  *data,
                               GError     **error)
{
  g_autoptr(HeraldTemplate) self = NULL;
  g_autoptr(JsonObject) examples = json_object_new ();
  g_autofree char *language = NULL;
  g_autofree char *examples_json = NULL;
  g_autoptr(JsonNode) examples_node = NULL;
  JsonArray *components;
  JsonNode *id_node;
  const char *name;
  const char *category;
  const char *status;
  const char *rejected_reason;
  HeraldTemplateCategory category_value;
  HeraldTemplateStatus status_value = HERALD_TEMPLATE_PENDING;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = json_object_get_string_or_null (data, "name");
  language = g_strdup (json_object_get_string_or_null (data, "language"));
  components = get_array_member (data, "components");
  if (name == NULL || language == NULL || components == NULL)
    {
      g_set_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_META_FORMAT,
                   _("Template “%s”: Meta’s answer lacks its name, language or components"),
                   name ? name : "?");
      return NULL;
    }

  category = json_object_get_string_or_null (data, "category");
  if (!herald_template_category_from_string (category, &category_value))
    {
      g_set_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_META_FORMAT,
                   _("Template “%s”: unknown category “%s”"), name, category ? category : "");
      return NULL;
    }

  status = json_object_get_string_or_null (data, "status");
  if (status != NULL && !herald_template_status_from_string (status, &status_value))
    {
      g_set_error (error, HERALD_TEMPLATE_ERROR, HERALD_TEMPLATE_ERROR_META_FORMAT,
                   _("Template “%s”: unknown status “%s”"), name, status);
      return NULL;
    }

  /* Meta writes "en-US" in some places; we store "en_US". */
  g_strdelimit (language, "-", '_');

  self = herald_template_new ();
  herald_template_set_name (self, name);
  herald_template_set_language (self, language);
  herald_template_set_category (self, category_value);
  herald_template_set_status (self, status_value);

  id_node = json_object_get_member (data, "id");
  if (id_node != NULL && JSON_NODE_HOLDS_VALUE (id_node))
    {
      if (json_node_get_value_type (id_node) == G_TYPE_STRING)
        herald_template_set_meta_template_id (self, json_node_get_string (id_node));
      else if (json_node_get_value_type (id_node) == G_TYPE_INT64)
        {
          g_autofree char *id = g_strdup_printf ("%" PRId64, json_node_get_int (id_node));

          herald_template_set_meta_template_id (self, id);
        }
    }

  rejected_reason = json_object_get_string_or_null (data, "rejected_reason");
  if (rejected_reason != NULL && g_strcmp0 (rejected_reason, "NONE") != 0)
    herald_template_set_rejected_reason (self, rejected_reason);

  if (!read_meta_components (self, components, examples, error))
    return NULL;

  if (json_object_get_size (examples) > 0)
    {
      examples_node = json_node_init_object (json_node_alloc (), examples);
      examples_json = generate_json (examples_node);
      herald_template_set_examples (self, examples_json);
    }

  return g_steal_pointer (&self);
}
