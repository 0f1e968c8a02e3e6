/* herald-template.h: a WhatsApp message template: parse, validate, render
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "herald-types.h"

G_BEGIN_DECLS

/* Meta's limits (whatsapp-cloud-api.md §3 "Templates"); lengths count Unicode
 * characters, not bytes. */
#define HERALD_TEMPLATE_NAME_MAX         512
#define HERALD_TEMPLATE_BODY_MAX         1024
#define HERALD_TEMPLATE_HEADER_TEXT_MAX  60
#define HERALD_TEMPLATE_FOOTER_MAX       60
#define HERALD_TEMPLATE_BUTTONS_MAX      10
#define HERALD_TEMPLATE_QUICK_REPLY_MAX  10
#define HERALD_TEMPLATE_URL_BUTTONS_MAX  2
#define HERALD_TEMPLATE_BUTTON_TEXT_MAX  25
#define HERALD_TEMPLATE_URL_MAX          2000
#define HERALD_TEMPLATE_PHONE_MAX        20

/* herald_template_get_sandbox_status () of a template never sent to the
 * Sandbox. */
#define HERALD_TEMPLATE_SANDBOX_NONE     (-1)

#define HERALD_TEMPLATE_ERROR (herald_template_error_quark ())

typedef enum
{
  HERALD_TEMPLATE_ERROR_INVALID,        /* breaks one of Meta's rules; see herald_template_check () */
  HERALD_TEMPLATE_ERROR_MISSING_VALUE,  /* rendering: a variable has no value, or an empty one */
  HERALD_TEMPLATE_ERROR_META_FORMAT,    /* Meta's template JSON lacks something we need */
} HeraldTemplateError;

/* The part of a template a problem is in, for live per-field validation. */
typedef enum
{
  HERALD_TEMPLATE_FIELD_NAME,
  HERALD_TEMPLATE_FIELD_LANGUAGE,
  HERALD_TEMPLATE_FIELD_CATEGORY,
  HERALD_TEMPLATE_FIELD_HEADER,
  HERALD_TEMPLATE_FIELD_BODY,
  HERALD_TEMPLATE_FIELD_FOOTER,
  HERALD_TEMPLATE_FIELD_BUTTONS,
} HeraldTemplateField;

/* One broken rule. @message is for people and names the field in words
 * ("Body: a variable can’t start the text"). */
typedef struct
{
  HeraldTemplateField  field;
  char                *message;
} HeraldTemplateProblem;

#define HERALD_TYPE_TEMPLATE_PROBLEM (herald_template_problem_get_type ())

GType                  herald_template_problem_get_type (void) G_GNUC_CONST;
HeraldTemplateProblem *herald_template_problem_copy     (const HeraldTemplateProblem *problem);
void                   herald_template_problem_free     (HeraldTemplateProblem       *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldTemplateProblem, herald_template_problem_free)

/* Button types, named as in Meta's JSON ("QUICK_REPLY", "URL",
 * "PHONE_NUMBER", "COPY_CODE"). */
typedef enum
{
  HERALD_TEMPLATE_BUTTON_QUICK_REPLY,
  HERALD_TEMPLATE_BUTTON_URL,
  HERALD_TEMPLATE_BUTTON_PHONE_NUMBER,
  HERALD_TEMPLATE_BUTTON_COPY_CODE,
} HeraldTemplateButtonType;

const char *herald_template_button_type_to_string   (HeraldTemplateButtonType  type);
gboolean    herald_template_button_type_from_string (const char               *name,
                                                     HeraldTemplateButtonType *type);

/* One entry of the buttons JSON. Strings are NULL when absent. @text is the
 * label (COPY_CODE buttons have none in Meta's JSON: WhatsApp shows "Copy
 * code"); @url may end in one variable ("https://x.example/{{1}}"), whose value
 * is @variable_name's; @example is the COPY_CODE code or the URL suffix example. */
typedef struct
{
  HeraldTemplateButtonType  type;
  char                     *text;
  char                     *url;
  char                     *phone_number;
  char                     *example;
  char                     *variable_name;
} HeraldTemplateButton;

#define HERALD_TYPE_TEMPLATE_BUTTON (herald_template_button_get_type ())

GType                 herald_template_button_get_type (void) G_GNUC_CONST;
HeraldTemplateButton *herald_template_button_copy     (const HeraldTemplateButton *button);
void                  herald_template_button_free     (HeraldTemplateButton       *button);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldTemplateButton, herald_template_button_free)

#define HERALD_TYPE_TEMPLATE (herald_template_get_type ())

G_DECLARE_FINAL_TYPE (HeraldTemplate, herald_template, HERALD, TEMPLATE, GObject)

GQuark                 herald_template_error_quark          (void);

HeraldTemplate        *herald_template_new                  (void);

/* Properties, in the order of the templates table. Strings may be NULL.
 * "buttons" is the JSON array stored in templates.buttons (NULL or "" = none);
 * "variables" is read-only, derived from body, header and buttons;
 * "examples" is a JSON object {variable name: example value} used for Meta's
 * create request (missing examples are made up). */
gint64                 herald_template_get_id               (HeraldTemplate         *self);
void                   herald_template_set_id               (HeraldTemplate         *self,
                                                             gint64                  id);
const char            *herald_template_get_name             (HeraldTemplate         *self);
void                   herald_template_set_name             (HeraldTemplate         *self,
                                                             const char             *name);
const char            *herald_template_get_language         (HeraldTemplate         *self);
void                   herald_template_set_language         (HeraldTemplate         *self,
                                                             const char             *language);
HeraldTemplateCategory herald_template_get_category         (HeraldTemplate         *self);
void                   herald_template_set_category         (HeraldTemplate         *self,
                                                             HeraldTemplateCategory  category);
const char            *herald_template_get_body             (HeraldTemplate         *self);
void                   herald_template_set_body             (HeraldTemplate         *self,
                                                             const char             *body);
HeraldHeaderType       herald_template_get_header_type      (HeraldTemplate         *self);
void                   herald_template_set_header_type      (HeraldTemplate         *self,
                                                             HeraldHeaderType        header_type);
const char            *herald_template_get_header_content   (HeraldTemplate         *self);
void                   herald_template_set_header_content   (HeraldTemplate         *self,
                                                             const char             *header_content);
const char            *herald_template_get_footer           (HeraldTemplate         *self);
void                   herald_template_set_footer           (HeraldTemplate         *self,
                                                             const char             *footer);
const char            *herald_template_get_buttons          (HeraldTemplate         *self);
void                   herald_template_set_buttons          (HeraldTemplate         *self,
                                                             const char             *buttons_json);
const char            *herald_template_get_variables        (HeraldTemplate         *self);
const char            *herald_template_get_examples         (HeraldTemplate         *self);
void                   herald_template_set_examples         (HeraldTemplate         *self,
                                                             const char             *examples_json);
HeraldTemplateStatus   herald_template_get_status           (HeraldTemplate         *self);
void                   herald_template_set_status           (HeraldTemplate         *self,
                                                             HeraldTemplateStatus    status);
const char            *herald_template_get_meta_template_id (HeraldTemplate         *self);
void                   herald_template_set_meta_template_id (HeraldTemplate         *self,
                                                             const char             *meta_template_id);
const char            *herald_template_get_rejected_reason  (HeraldTemplate         *self);
void                   herald_template_set_rejected_reason  (HeraldTemplate         *self,
                                                             const char             *rejected_reason);
/* The Sandbox's own review (a HeraldTemplateStatus), kept apart from Meta's
 * status: a Sandbox approval never makes a template sendable on a real
 * number. HERALD_TEMPLATE_SANDBOX_NONE: never sent to the Sandbox. */
int                    herald_template_get_sandbox_status   (HeraldTemplate         *self);
void                   herald_template_set_sandbox_status   (HeraldTemplate         *self,
                                                             int                     sandbox_status);
GDateTime             *herald_template_get_created_at       (HeraldTemplate         *self);
void                   herald_template_set_created_at       (HeraldTemplate         *self,
                                                             GDateTime              *created_at);
GDateTime             *herald_template_get_updated_at       (HeraldTemplate         *self);
void                   herald_template_set_updated_at       (HeraldTemplate         *self,
                                                             GDateTime              *updated_at);

/* Validation. validate () reports the first problem (HERALD_TEMPLATE_ERROR_INVALID);
 * check () returns every problem (HeraldTemplateProblem, in field order), an
 * empty array for a valid template. */
gboolean               herald_template_validate             (HeraldTemplate         *self,
                                                             GError                **error);
GPtrArray             *herald_template_check                (HeraldTemplate         *self);

/* Variables. A name is one value wherever it appears: body variables
 * (positional ones in number order, which is the send order; named ones in
 * text order), then the text header's variable if the body lacks it, then one
 * per URL button with a variable, named "url.1", "url.2" by URL button order
 * (Meta numbers URL suffixes on their own). Parsing is lenient: these work on
 * invalid templates too, for a live preview. */
GStrv                  herald_template_get_variable_names      (HeraldTemplate *self);
GStrv                  herald_template_get_body_variable_names (HeraldTemplate *self);
const char            *herald_template_get_header_variable_name (HeraldTemplate *self);
gboolean               herald_template_uses_named_variables    (HeraldTemplate *self);

/* Buttons, parsed from the buttons JSON (none when it does not parse). */
guint                       herald_template_get_n_buttons   (HeraldTemplate *self);
const HeraldTemplateButton *herald_template_get_button      (HeraldTemplate *self,
                                                             guint           index);

/* Rendering with @values (variable name → text). Every variable needs a
 * non-empty value, else HERALD_TEMPLATE_ERROR_MISSING_VALUE naming it.
 * render () gives the message as the recipient reads it, as stored in
 * message_logs.message_content: the text header, the body, the footer and
 * each button's label, one per line (a media header shows as nothing).
 * render_header () returns "" when there is no text header. */
char                  *herald_template_render               (HeraldTemplate         *self,
                                                             GHashTable             *values,
                                                             GError                **error);
char                  *herald_template_render_body          (HeraldTemplate         *self,
                                                             GHashTable             *values,
                                                             GError                **error);
char                  *herald_template_render_header        (HeraldTemplate         *self,
                                                             GHashTable             *values,
                                                             GError                **error);

/* The send request's "template.components" array (whatsapp-cloud-api.md §1):
 * header (text parameter, or the media given by @header_media: an http(s)
 * URL is sent as "link", anything else as a media "id"; NULL uses
 * header-content), body (positional in order, or named pairs) and one
 * "button"/"url" component per URL button with a variable. Components without
 * parameters are left out. */
JsonNode              *herald_template_build_send_components (HeraldTemplate        *self,
                                                              GHashTable            *values,
                                                              const char            *header_media,
                                                              GError               **error);

/* Meta's template JSON (whatsapp-cloud-api.md §5). The create request holds
 * name, language, category, parameter_format and components with examples;
 * it fails when the template is invalid. new_from_meta () reads one "data"
 * entry of the list response (name, language, status, category, id,
 * components, named or positional) into a template with id 0. */
JsonNode              *herald_template_to_meta_create_request (HeraldTemplate       *self,
                                                               GError              **error);
HeraldTemplate        *herald_template_new_from_meta          (JsonObject           *data,
                                                               GError              **error);

G_END_DECLS
