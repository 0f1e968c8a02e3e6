/* test-ui-templates.c: the Templates page, the template editor and its preview
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "herald-message-bubble.h"
#include "herald-secrets.h"
#include "herald-sim-server.h"
#include "herald-store-worker.h"
#include "herald-template-editor.h"
#include "herald-templates-page.h"
#include "herald-test-utils.h"
#include "herald-ui-test-utils.h"

#define TOKEN      "sim-token-templates-4711"
#define NUMBER_ID  "100000000000002"
#define WABA_ID    "100000000000001"

typedef struct
{
  char              *dir;
  HeraldStoreWorker *worker;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = herald_test_tmp_dir ();
  path = g_build_filename (fixture->dir, "herald.db", NULL);
  fixture->worker = herald_store_worker_new (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->worker);
  g_free (fixture->dir);
}

/* Store jobs, run to the end while the main context turns. */

static gboolean
pointer_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gpointer
run_job (Fixture               *fixture,
         HeraldStoreWorkerFunc  func,
         gpointer               data,
         GDestroyNotify         data_free,
         GDestroyNotify         result_free)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gpointer answer;

  herald_store_worker_run_async (fixture->worker, func, data, data_free, result_free, NULL, on_result_cb, &result);
  herald_test_wait_until (pointer_is_set, &result, 10000);
  answer = herald_store_worker_run_finish (fixture->worker, result, &error);
  g_assert_no_error (error);
  return answer;
}

static gpointer
save_template_job (HeraldStore   *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return herald_store_save_template (store, data, error) ? HERALD_STORE_WORKER_TRUE : NULL;
}

static gpointer
list_templates_job (HeraldStore   *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return herald_store_list_templates (store, FALSE, error);
}

static GPtrArray *
stored_templates (Fixture *fixture)
{
  return run_job (fixture, list_templates_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
}

static HeraldTemplate *
make_template (const char           *name,
               const char           *body,
               HeraldTemplateStatus  status)
{
  HeraldTemplate *template = herald_template_new ();

  herald_template_set_name (template, name);
  herald_template_set_language (template, "en_US");
  herald_template_set_category (template, HERALD_TEMPLATE_CATEGORY_UTILITY);
  herald_template_set_body (template, body);
  herald_template_set_status (template, status);
  return template;
}

static void
store_template (Fixture        *fixture,
                HeraldTemplate *template)
{
  run_job (fixture, save_template_job, g_object_ref (template), g_object_unref, NULL);
}

/* Widgets */

static GtkWidget *
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
page_loaded (gpointer data)
{
  GtkStack *stack = GTK_STACK (child (data, HERALD_TYPE_TEMPLATES_PAGE, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "loading") != 0;
}

static GtkWidget *
show_page (Fixture *fixture)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = herald_templates_page_new (fixture->worker);

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  herald_test_wait_until (page_loaded, page, 10000);
  return window;
}

static guint
count_rows (GtkWidget *list_box)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list_box); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_visible (row))
      n++;
  return n;
}

/* Every label's text under @widget, in tree order, one per line. */
static void
collect_labels (GtkWidget *widget,
                GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, text);
}

static char *
labels_of (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_labels (widget, text);
  return g_string_free (text, FALSE);
}

/* The first visible label with @css_class under @widget. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The page */

static void
test_page_empty (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *window = show_page (fixture);
  GtkWidget *page = gtk_window_get_child (GTK_WINDOW (window));
  GtkStack *stack = GTK_STACK (child (page, HERALD_TYPE_TEMPLATES_PAGE, "stack"));
  g_autofree char *text = NULL;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  text = labels_of (gtk_stack_get_visible_child (stack));
  g_assert_nonnull (strstr (text, "Create your first template"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_page_rows (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(HeraldTemplate) approved = make_template ("order_ready", "Hello {{1}}, your order is ready for pickup.",
                                                      HERALD_TEMPLATE_APPROVED);
  g_autoptr(HeraldTemplate) rejected = make_template ("spring_sale", "Our spring sale starts today in the shop.",
                                                      HERALD_TEMPLATE_REJECTED);
  g_autoptr(HeraldTemplate) draft = make_template ("welcome_note", "Welcome, {{1}}, and thank you for joining us.",
                                                   HERALD_TEMPLATE_DRAFT);
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *list_box;
  GtkEditable *search;
  g_autofree char *text = NULL;

  store_template (fixture, approved);
  store_template (fixture, rejected);
  store_template (fixture, draft);

  window = show_page (fixture);
  page = gtk_window_get_child (GTK_WINDOW (window));
  list_box = child (page, HERALD_TYPE_TEMPLATES_PAGE, "list_box");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (page, HERALD_TYPE_TEMPLATES_PAGE, "stack"))),
                   ==, "list");
  g_assert_cmpuint (count_rows (list_box), ==, 3);
  text = labels_of (list_box);
  g_assert_nonnull (strstr (text, "order_ready"));
  g_assert_nonnull (strstr (text, "Approved"));
  g_assert_nonnull (strstr (text, "Rejected"));
  g_assert_nonnull (strstr (text, "Draft"));

  search = GTK_EDITABLE (child (page, HERALD_TYPE_TEMPLATES_PAGE, "search_entry"));
  gtk_editable_set_text (search, "spring");
  g_signal_emit_by_name (search, "search-changed");
  spin ();
  g_assert_cmpuint (count_rows (list_box), ==, 1);

  gtk_editable_set_text (search, "no such thing");
  g_signal_emit_by_name (search, "search-changed");
  spin ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (page, HERALD_TYPE_TEMPLATES_PAGE, "stack"))),
                   ==, "no-results");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The editor */

static HeraldTemplateEditor *
show_editor (Fixture        *fixture,
             HeraldTemplate *template)
{
  HeraldTemplateEditor *editor = herald_template_editor_new (fixture->worker, template);

  gtk_window_present (GTK_WINDOW (editor));
  spin ();
  return editor;
}

static void
set_body (HeraldTemplateEditor *editor,
          const char           *body)
{
  GtkTextView *view = GTK_TEXT_VIEW (child (editor, HERALD_TYPE_TEMPLATE_EDITOR, "body_view"));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), body, -1);
}

static void
set_entry (HeraldTemplateEditor *editor,
           const char           *name,
           const char           *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (editor, HERALD_TYPE_TEMPLATE_EDITOR, name)), text);
}

static gboolean
can_save (HeraldTemplateEditor *editor)
{
  spin ();
  return gtk_widget_get_sensitive (child (editor, HERALD_TYPE_TEMPLATE_EDITOR, "save_button"));
}

typedef struct
{
  const char *field;        /* the entry set, or "body_view" */
  const char *value;
  const char *marked;       /* the widget marked with .error */
  const char *error_widget; /* the row or label showing the reason */
  const char *reason;       /* part of the reason */
} BadInput;

static const BadInput bad_inputs[] = {
  { "body_view", "{{1}} is ready for pickup at the shop.", "body_view", "body_error_label", "can’t start the text" },
  { "name_row", "Order_Ready", "name_row", "name_error", "lowercase letters" },
  { "footer_row", "This footer is much too long for WhatsApp, which allows sixty", "footer_row", "footer_error", "at most 60" },
  { "language_row", "", "language_row", "language_error", NULL },
};

static void
test_editor_rejects (Fixture       *fixture,
                     gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      const BadInput *bad = &bad_inputs[i];
      HeraldTemplateEditor *editor = show_editor (fixture, NULL);
      GtkWidget *error_widget;
      GtkWidget *label;
      g_autoptr(GPtrArray) stored = NULL;

      g_test_message ("bad %s: %s", bad->field, bad->value);
      set_entry (editor, "name_row", "order_ready");
      set_body (editor, "Hello {{1}}, your order is ready for pickup.");
      g_assert_true (can_save (editor));

      if (g_str_equal (bad->field, "body_view"))
        set_body (editor, bad->value);
      else
        set_entry (editor, bad->field, bad->value);

      g_assert_false (can_save (editor));
      g_assert_true (gtk_widget_has_css_class (child (editor, HERALD_TYPE_TEMPLATE_EDITOR, bad->marked), "error"));
      error_widget = child (editor, HERALD_TYPE_TEMPLATE_EDITOR, bad->error_widget);
      g_assert_true (gtk_widget_get_visible (error_widget));
      label = GTK_IS_LABEL (error_widget) ? error_widget : gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (error_widget));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), !=, "");
      if (bad->reason != NULL)
        g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), bad->reason));

      /* Save can't be forced through the action either. */
      gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
      stored = stored_templates (fixture);
      g_assert_cmpuint (stored->len, ==, 0);

      gtk_window_destroy (GTK_WINDOW (editor));
      spin ();
    }
}

static void
on_saved_cb (HeraldTemplateEditor  *editor,
             HeraldTemplate        *template,
             HeraldTemplate       **saved)
{
  g_set_object (saved, template);
}

static void
test_editor_saves (Fixture       *fixture,
                   gconstpointer  data)
{
  HeraldTemplateEditor *editor = show_editor (fixture, NULL);
  g_autoptr(HeraldTemplate) saved = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  HeraldTemplate *template;

  g_signal_connect (editor, "saved", G_CALLBACK (on_saved_cb), &saved);
  set_entry (editor, "name_row", "order_ready");
  set_entry (editor, "language_row", "de");
  set_body (editor, "Hallo {{1}}, Ihre Bestellung liegt zur Abholung bereit.");
  set_entry (editor, "footer_row", "Ihr Laden am Markt");
  g_assert_true (can_save (editor));
  /* A fixed footer problem leaves no mark behind. */
  g_assert_false (gtk_widget_has_css_class (child (editor, HERALD_TYPE_TEMPLATE_EDITOR, "footer_row"), "error"));

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  herald_test_wait_until (pointer_is_set, &saved, 10000);
  g_assert_cmpint (herald_template_get_id (saved), >, 0);

  stored = stored_templates (fixture);
  g_assert_cmpuint (stored->len, ==, 1);
  template = g_ptr_array_index (stored, 0);
  g_assert_cmpstr (herald_template_get_name (template), ==, "order_ready");
  g_assert_cmpstr (herald_template_get_language (template), ==, "de");
  g_assert_cmpstr (herald_template_get_footer (template), ==, "Ihr Laden am Markt");
  g_assert_cmpint (herald_template_get_status (template), ==, HERALD_TEMPLATE_DRAFT);
  /* The editor closes after saving. */
  spin ();
}

static void
test_preview (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(HeraldTemplate) template = make_template ("order_ready", "Hello {{1}}, your order {{2}} is ready.",
                                                      HERALD_TEMPLATE_DRAFT);
  HeraldTemplateEditor *editor;
  GtkWidget *bubble;
  g_autofree char *text = NULL;

  herald_template_set_header_type (template, HERALD_HEADER_TEXT);
  herald_template_set_header_content (template, "Your order");
  herald_template_set_footer (template, "Corner Shop, Main Street");
  herald_template_set_buttons (template,
                               "[{\"type\":\"QUICK_REPLY\",\"text\":\"Thanks!\"},"
                               "{\"type\":\"URL\",\"text\":\"Track order\",\"url\":\"https://shop.example/t/{{1}}\"}]");
  herald_template_set_examples (template, "{\"1\":\"Anna\"}");

  editor = show_editor (fixture, template);
  bubble = child (editor, HERALD_TYPE_TEMPLATE_EDITOR, "bubble");

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_label (bubble, "herald-bubble-header"))), ==, "Your order");
  /* A variable without an example shows as itself. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_label (bubble, "herald-bubble-body"))), ==,
                   "Hello Anna, your order {{2}} is ready.");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_label (bubble, "herald-bubble-footer"))), ==,
                   "Corner Shop, Main Street");
  text = labels_of (bubble);
  g_assert_nonnull (strstr (text, "Thanks!\n"));
  g_assert_nonnull (strstr (text, "Track order\n"));

  /* Live: the preview follows the fields. */
  set_body (editor, "Dear {{1}}, your parcel is on its way.");
  spin ();
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_label (bubble, "herald-bubble-body"))), ==,
                   "Dear Anna, your parcel is on its way.");
  set_entry (editor, "footer_row", "");
  spin ();
  g_assert_false (gtk_widget_get_visible (find_label (bubble, "herald-bubble-footer")));

  gtk_window_destroy (GTK_WINDOW (editor));
  spin ();
}

static void
test_bubble_values (void)
{
  g_autoptr(HeraldTemplate) template = make_template ("hi", "Hi {{first_name}}, see you soon.", HERALD_TEMPLATE_DRAFT);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *bubble = g_object_ref_sink (herald_message_bubble_new ());

  herald_template_set_header_type (template, HERALD_HEADER_IMAGE);
  herald_template_set_buttons (template, "[{\"type\":\"COPY_CODE\",\"example\":\"SPRING10\"}]");
  g_hash_table_insert (values, "first_name", "Jo & Sam");
  herald_message_bubble_set_template (HERALD_MESSAGE_BUBBLE (bubble), template, values);

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_label (bubble, "herald-bubble-body"))), ==,
                   "Hi Jo & Sam, see you soon.");
  {
    g_autofree char *text = labels_of (bubble);

    g_assert_nonnull (strstr (text, "Image\n"));
    g_assert_nonnull (strstr (text, "Copy code\n"));
  }
  g_assert_finalize_object (bubble);
}

/* Submitting to Meta (herald-sim) */

typedef struct
{
  char *waba_id;
} AccountData;

static gpointer
set_up_account_job (HeraldStore   *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(HeraldBusinessProfile) profile = herald_business_profile_new ("Corner Shop");
  g_autoptr(HeraldNumber) number = herald_number_new (NUMBER_ID, "+4915112345678");

  herald_business_profile_set_whatsapp_business_id (profile, WABA_ID);
  herald_business_profile_set_phone_number_id (profile, NUMBER_ID);
  if (!herald_store_save_business_profile (store, profile, error) ||
      !herald_store_save_number (store, number, error))
    return NULL;
  return HERALD_STORE_WORKER_TRUE;
}

static gboolean
template_is_pending (gpointer data)
{
  HeraldTemplate *template = data;

  return herald_template_get_status (template) == HERALD_TEMPLATE_PENDING;
}

static void
test_submit (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(HeraldSimServer) sim = herald_sim_server_new (TOKEN);
  g_autoptr(HeraldTemplate) template = make_template ("order_ready", "Hello {{1}}, your order is ready for pickup.",
                                                      HERALD_TEMPLATE_DRAFT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  HeraldTemplateEditor *editor;
  HeraldTemplate *edited;
  HeraldTemplate *row;

  herald_sim_server_listen (sim, 0, &error);
  g_assert_no_error (error);
  g_setenv ("HERALD_API_BASE", herald_sim_server_get_url (sim), TRUE);
  run_job (fixture, set_up_account_job, NULL, NULL, NULL);
  herald_secrets_store_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_ID, NULL, TOKEN, NULL, &error);
  if (error != NULL)
    {
      g_test_skip_printf ("no keyring: %s", error->message);
      return;
    }

  herald_template_set_examples (template, "{\"1\":\"Anna\"}");
  editor = show_editor (fixture, template);
  edited = herald_template_editor_get_template (editor);
  g_assert_true (gtk_widget_get_visible (child (editor, HERALD_TYPE_TEMPLATE_EDITOR, "submit_button")));

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL);
  herald_test_wait_until (template_is_pending, edited, 20000);
  g_assert_nonnull (herald_template_get_meta_template_id (edited));

  stored = stored_templates (fixture);
  g_assert_cmpuint (stored->len, ==, 1);
  row = g_ptr_array_index (stored, 0);
  g_assert_cmpint (herald_template_get_status (row), ==, HERALD_TEMPLATE_PENDING);
  g_assert_cmpstr (herald_template_get_meta_template_id (row), ==, herald_template_get_meta_template_id (edited));
  /* Submitted once: no second submit for a template in review. */
  spin ();
  g_assert_false (gtk_widget_get_visible (child (editor, HERALD_TYPE_TEMPLATE_EDITOR, "submit_button")));

  gtk_window_destroy (GTK_WINDOW (editor));
  spin ();
  herald_secrets_clear_sync (HERALD_SECRET_ACCESS_TOKEN, NUMBER_ID, NULL, NULL);
  g_unsetenv ("HERALD_API_BASE");
}

int
main (int   argc,
      char *argv[])
{
  if (!herald_ui_test_init (&argc, &argv))
    return 77;

#define ADD(path, func) \
  g_test_add ("/herald/ui-templates/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("page-empty", test_page_empty);
  ADD ("page-rows", test_page_rows);
  ADD ("editor-rejects", test_editor_rejects);
  ADD ("editor-saves", test_editor_saves);
  ADD ("preview", test_preview);
  ADD ("submit", test_submit);
#undef ADD
  g_test_add_func ("/herald/ui-templates/bubble-values", test_bubble_values);

  return g_test_run ();
}
