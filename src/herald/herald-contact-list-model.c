/* herald-contact-list-model.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "herald-contact-list-model.h"

#define PAGE_SIZE 200
#define SEARCH_DELAY_MS 250

struct _HeraldContactListModel
{
  GObject            parent_instance;

  HeraldStoreWorker *worker;
  GPtrArray         *items;
  char              *search;
  gint64             total;
  gint64             last_id;
  gboolean           has_more;
  GCancellable      *cancellable;   /* the page or count in flight */
  guint              search_source;
};

enum {
  PROP_0,
  PROP_SEARCH,
  PROP_TOTAL,
  PROP_LOADING,
  PROP_HAS_MORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char      *search;
  gint64     after_id;
  gboolean   count;
} PageRequest;

typedef struct
{
  GPtrArray *contacts;
  gint64     total;
} PageResult;

static GType
list_model_get_item_type (GListModel *model)
{
  return HERALD_TYPE_CONTACT;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return HERALD_CONTACT_LIST_MODEL (model)->items->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  HeraldContactListModel *self = HERALD_CONTACT_LIST_MODEL (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (HeraldContactListModel, herald_contact_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
page_request_free (gpointer data)
{
  PageRequest *request = data;

  g_free (request->search);
  g_free (request);
}

static void
page_result_free (PageResult *result)
{
  g_clear_pointer (&result->contacts, g_ptr_array_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageResult, page_result_free)

/* On the worker thread. */
static gpointer
load_page_job (HeraldStore   *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  PageRequest *request = data;
  g_autoptr(PageResult) result = g_new0 (PageResult, 1);

  result->total = -1;
  if (request->count)
    {
      result->total = herald_store_count_contacts (store, request->search, error);
      if (result->total < 0)
        return NULL;
    }

  result->contacts = herald_store_list_contacts (store, request->search, request->after_id,
                                                 PAGE_SIZE, error);
  if (result->contacts == NULL)
    return NULL;

  return g_steal_pointer (&result);
}

static void
on_page_loaded_cb (GObject      *object,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(HeraldContactListModel) self = user_data;
  g_autoptr(PageResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  result = herald_store_worker_run_finish (HERALD_STORE_WORKER (object), res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  g_object_freeze_notify (G_OBJECT (self));

  if (result == NULL)
    {
      g_warning ("Could not load contacts: %s", error ? error->message : "?");
      self->has_more = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  if (result->total >= 0)
    {
      self->total = result->total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }

  position = self->items->len;
  for (guint i = 0; i < result->contacts->len; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (result->contacts, i)));
  if (result->contacts->len > 0)
    self->last_id = herald_contact_get_id (g_ptr_array_index (result->contacts,
                                                              result->contacts->len - 1));
  self->has_more = result->contacts->len == PAGE_SIZE;

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, result->contacts->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
request_page (HeraldContactListModel *self,
              gboolean                count)
{
  PageRequest *request;

  request = g_new0 (PageRequest, 1);
  request->search = g_strdup (self->search);
  request->after_id = self->last_id;
  request->count = count;

  self->cancellable = g_cancellable_new ();
  herald_store_worker_run_async (self->worker, load_page_job, request, page_request_free,
                                 (GDestroyNotify) page_result_free, self->cancellable,
                                 on_page_loaded_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
herald_contact_list_model_reload (HeraldContactListModel *self)
{
  guint removed;

  g_return_if_fail (HERALD_IS_CONTACT_LIST_MODEL (self));

  g_clear_handle_id (&self->search_source, g_source_remove);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  self->last_id = 0;
  self->has_more = FALSE;
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);

  request_page (self, TRUE);
}

void
herald_contact_list_model_load_more (HeraldContactListModel *self)
{
  g_return_if_fail (HERALD_IS_CONTACT_LIST_MODEL (self));

  if (self->cancellable != NULL || !self->has_more)
    return;

  request_page (self, FALSE);
}

static gboolean
search_timeout_cb (gpointer data)
{
  HeraldContactListModel *self = data;

  self->search_source = 0;
  herald_contact_list_model_reload (self);

  return G_SOURCE_REMOVE;
}

void
herald_contact_list_model_set_search (HeraldContactListModel *self,
                                      const char             *search)
{
  g_return_if_fail (HERALD_IS_CONTACT_LIST_MODEL (self));

  if (search != NULL && search[0] == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);

  g_clear_handle_id (&self->search_source, g_source_remove);
  self->search_source = g_timeout_add (SEARCH_DELAY_MS, search_timeout_cb, self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

const char *
herald_contact_list_model_get_search (HeraldContactListModel *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_LIST_MODEL (self), NULL);

  return self->search;
}

gint64
herald_contact_list_model_get_total (HeraldContactListModel *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_LIST_MODEL (self), -1);

  return self->total;
}

gboolean
herald_contact_list_model_get_loading (HeraldContactListModel *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_LIST_MODEL (self), FALSE);

  return self->cancellable != NULL || self->search_source != 0;
}

gboolean
herald_contact_list_model_get_has_more (HeraldContactListModel *self)
{
  g_return_val_if_fail (HERALD_IS_CONTACT_LIST_MODEL (self), FALSE);

  return self->has_more;
}

static void
herald_contact_list_model_dispose (GObject *object)
{
  HeraldContactListModel *self = HERALD_CONTACT_LIST_MODEL (object);

  g_clear_handle_id (&self->search_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);

  G_OBJECT_CLASS (herald_contact_list_model_parent_class)->dispose (object);
}

static void
herald_contact_list_model_finalize (GObject *object)
{
  HeraldContactListModel *self = HERALD_CONTACT_LIST_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (herald_contact_list_model_parent_class)->finalize (object);
}

static void
herald_contact_list_model_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  HeraldContactListModel *self = HERALD_CONTACT_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, herald_contact_list_model_get_loading (self));
      break;
    case PROP_HAS_MORE:
      g_value_set_boolean (value, self->has_more);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_contact_list_model_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  HeraldContactListModel *self = HERALD_CONTACT_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_SEARCH:
      herald_contact_list_model_set_search (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_contact_list_model_class_init (HeraldContactListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = herald_contact_list_model_dispose;
  object_class->finalize = herald_contact_list_model_finalize;
  object_class->get_property = herald_contact_list_model_get_property;
  object_class->set_property = herald_contact_list_model_set_property;

  /* Text matched against name, number and email; NULL lists everyone. */
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* How many contacts match, in the whole store; -1 until counted. */
  properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_contact_list_model_init (HeraldContactListModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->total = -1;
}

HeraldContactListModel *
herald_contact_list_model_new (HeraldStoreWorker *worker)
{
  HeraldContactListModel *self;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);

  self = g_object_new (HERALD_TYPE_CONTACT_LIST_MODEL, NULL);
  self->worker = g_object_ref (worker);
  herald_contact_list_model_reload (self);

  return self;
}
