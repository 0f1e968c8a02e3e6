/* herald-message-log-model.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include "herald-message-log-model.h"

#define PAGE_SIZE HERALD_MESSAGE_LOG_MODEL_PAGE_SIZE
/* A window shows well under a page; the rest is scrolling back and forth. */
#define MAX_PAGES 12

typedef struct
{
  guint         number;
  GPtrArray    *rows;         /* HeraldMessageLogRow */
  GCancellable *cancellable;  /* its read, while running */
  GList        *lru_link;
} Page;

struct _HeraldMessageLogModel
{
  GObject                parent_instance;

  HeraldStoreWorker     *worker;
  gint64                 campaign_id;
  int                    status;
  char                  *search;

  HeraldMessageLogIndex *index;
  guint                  n_items;
  GHashTable            *pages;        /* page number → Page */
  GQueue                 lru;          /* Page, most recent first */
  guint                  n_fetching;
  guint                  generation;   /* changes with the filter */
  GCancellable          *index_cancellable;
  guint                  reset : 1;    /* the next index replaces the list */
};

static void herald_message_log_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HeraldMessageLogModel, herald_message_log_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      herald_message_log_model_list_model_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  HeraldMessageLogFilter filter;
  char                  *search;
  gint64                 first_id;
  guint                  limit;
} Query;

static void
query_free (Query *query)
{
  g_free (query->search);
  g_free (query);
}

static Query *
query_new (HeraldMessageLogModel *self)
{
  Query *query = g_new0 (Query, 1);

  query->search = g_strdup (self->search);
  query->filter.campaign_id = self->campaign_id;
  query->filter.status = self->status;
  query->filter.search = query->search;
  return query;
}

typedef struct
{
  HeraldMessageLogModel *self;
  guint                  page;
  guint                  generation;
} FetchData;

static void
page_free (Page *page)
{
  if (page->cancellable != NULL)
    g_cancellable_cancel (page->cancellable);
  g_clear_object (&page->cancellable);
  g_ptr_array_unref (page->rows);
  g_free (page);
}

static void
drop_pages (HeraldMessageLogModel *self)
{
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->pages);
}

static gpointer
fetch_page_func (HeraldStore   *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Query *query = data;

  return herald_message_log_list (store, &query->filter, query->first_id, query->limit, error);
}

static void
on_page_fetched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FetchData *data = user_data;
  HeraldMessageLogModel *self = data->self;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  Page *page;

  entries = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  self->n_fetching--;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (data->page));
  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read page %u of campaign %" PRId64 "’s messages: %s",
                   data->page, self->campaign_id, error->message);
    }
  else if (page != NULL && data->generation == self->generation)
    {
      g_clear_object (&page->cancellable);
      for (guint i = 0; i < MIN (entries->len, page->rows->len); i++)
        herald_message_log_row_set_entry (g_ptr_array_index (page->rows, i),
                                          g_ptr_array_index (entries, i));
    }

  g_object_unref (self);
  g_free (data);
}

static void
fetch_page (HeraldMessageLogModel *self,
            Page                  *page)
{
  Query *query;
  FetchData *data;

  if (self->index == NULL || page->number >= self->index->page_first_ids->len)
    return;

  if (page->cancellable != NULL)
    g_cancellable_cancel (page->cancellable);
  g_clear_object (&page->cancellable);
  page->cancellable = g_cancellable_new ();

  query = query_new (self);
  query->first_id = g_array_index (self->index->page_first_ids, gint64, page->number);
  query->limit = page->rows->len;

  data = g_new0 (FetchData, 1);
  data->self = g_object_ref (self);
  data->page = page->number;
  data->generation = self->generation;
  self->n_fetching++;
  herald_store_worker_run_async (self->worker, fetch_page_func, query, (GDestroyNotify) query_free,
                                 (GDestroyNotify) g_ptr_array_unref, page->cancellable, on_page_fetched_cb, data);
}

static Page *
get_page (HeraldMessageLogModel *self,
          guint                  number)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));
  guint n_rows;

  if (page != NULL)
    {
      g_queue_unlink (&self->lru, page->lru_link);
      g_queue_push_head_link (&self->lru, page->lru_link);
      return page;
    }

  n_rows = MIN (PAGE_SIZE, self->n_items - number * PAGE_SIZE);
  page = g_new0 (Page, 1);
  page->number = number;
  page->rows = g_ptr_array_new_full (n_rows, g_object_unref);
  for (guint i = 0; i < n_rows; i++)
    g_ptr_array_add (page->rows, herald_message_log_row_new ());
  g_queue_push_head (&self->lru, page);
  page->lru_link = self->lru.head;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (number), page);

  /* Rows of a page that goes stay valid for whoever holds them; asked for
   * again, they are read again. */
  while (self->lru.length > MAX_PAGES)
    {
      Page *oldest = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->pages, GUINT_TO_POINTER (oldest->number));
    }

  fetch_page (self, page);
  return page;
}

static GType
herald_message_log_model_get_item_type (GListModel *model)
{
  return HERALD_TYPE_MESSAGE_LOG_ROW;
}

static guint
herald_message_log_model_get_n_items (GListModel *model)
{
  return HERALD_MESSAGE_LOG_MODEL (model)->n_items;
}

static gpointer
herald_message_log_model_get_item (GListModel *model,
                                   guint       position)
{
  HeraldMessageLogModel *self = HERALD_MESSAGE_LOG_MODEL (model);
  Page *page;

  if (position >= self->n_items)
    return NULL;
  page = get_page (self, position / PAGE_SIZE);
  return g_object_ref (g_ptr_array_index (page->rows, position % PAGE_SIZE));
}

static void
herald_message_log_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = herald_message_log_model_get_item_type;
  iface->get_n_items = herald_message_log_model_get_n_items;
  iface->get_item = herald_message_log_model_get_item;
}

static gpointer
build_index_func (HeraldStore   *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Query *query = data;

  return herald_message_log_build_index (store, &query->filter, PAGE_SIZE, cancellable, error);
}

static void
on_index_built_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(HeraldMessageLogModel) self = user_data;
  g_autoptr(HeraldMessageLogIndex) index = NULL;
  g_autoptr(GError) error = NULL;
  guint old_n_items = self->n_items;

  index = herald_store_worker_run_finish (HERALD_STORE_WORKER (source), result, &error);
  if (index == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Could not read campaign %" PRId64 "’s messages: %s",
                     self->campaign_id, error->message);
          g_clear_object (&self->index_cancellable);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
        }
      return;
    }
  g_clear_object (&self->index_cancellable);

  g_clear_pointer (&self->index, herald_message_log_index_free);
  self->index = g_steal_pointer (&index);
  self->n_items = (guint) MIN (self->index->n_rows, G_MAXUINT);

  if (self->reset || self->n_items != old_n_items)
    {
      /* Positions mean other rows now: start afresh. */
      self->reset = FALSE;
      self->generation++;
      drop_pages (self);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  else
    {
      /* Same length: the kept rows change in place, nothing moves on screen. */
      for (GList *l = self->lru.head; l != NULL; l = l->next)
        fetch_page (self, l->data);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
build_index (HeraldMessageLogModel *self)
{
  if (self->index_cancellable != NULL)
    g_cancellable_cancel (self->index_cancellable);
  g_clear_object (&self->index_cancellable);
  self->index_cancellable = g_cancellable_new ();

  herald_store_worker_run_async (self->worker, build_index_func, query_new (self), (GDestroyNotify) query_free,
                                 (GDestroyNotify) herald_message_log_index_free, self->index_cancellable,
                                 on_index_built_cb, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
herald_message_log_model_dispose (GObject *object)
{
  HeraldMessageLogModel *self = HERALD_MESSAGE_LOG_MODEL (object);

  if (self->index_cancellable != NULL)
    g_cancellable_cancel (self->index_cancellable);
  g_clear_object (&self->index_cancellable);
  if (self->pages != NULL)
    drop_pages (self);

  G_OBJECT_CLASS (herald_message_log_model_parent_class)->dispose (object);
}

static void
herald_message_log_model_finalize (GObject *object)
{
  HeraldMessageLogModel *self = HERALD_MESSAGE_LOG_MODEL (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->index, herald_message_log_index_free);
  g_clear_object (&self->worker);
  g_free (self->search);

  G_OBJECT_CLASS (herald_message_log_model_parent_class)->finalize (object);
}

static void
herald_message_log_model_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  HeraldMessageLogModel *self = HERALD_MESSAGE_LOG_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, herald_message_log_model_get_loading (self));
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
herald_message_log_model_class_init (HeraldMessageLogModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = herald_message_log_model_dispose;
  object_class->finalize = herald_message_log_model_finalize;
  object_class->get_property = herald_message_log_model_get_property;

  /* The length is being worked out (first load, or a new filter). */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
herald_message_log_model_init (HeraldMessageLogModel *self)
{
  self->status = -1;
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  g_queue_init (&self->lru);
}

HeraldMessageLogModel *
herald_message_log_model_new (HeraldStoreWorker *worker,
                              gint64             campaign_id)
{
  HeraldMessageLogModel *self;

  g_return_val_if_fail (HERALD_IS_STORE_WORKER (worker), NULL);

  self = g_object_new (HERALD_TYPE_MESSAGE_LOG_MODEL, NULL);
  self->worker = g_object_ref (worker);
  self->campaign_id = campaign_id;
  self->reset = TRUE;
  build_index (self);
  return self;
}

gint64
herald_message_log_model_get_campaign_id (HeraldMessageLogModel *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_MODEL (self), 0);
  return self->campaign_id;
}

gboolean
herald_message_log_model_get_loading (HeraldMessageLogModel *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_MODEL (self), FALSE);
  return self->index_cancellable != NULL && self->reset;
}

void
herald_message_log_model_set_status_filter (HeraldMessageLogModel *self,
                                            int                    status)
{
  g_return_if_fail (HERALD_IS_MESSAGE_LOG_MODEL (self));

  status = MAX (status, -1);
  if (self->status == status)
    return;
  self->status = status;
  self->reset = TRUE;
  build_index (self);
}

int
herald_message_log_model_get_status_filter (HeraldMessageLogModel *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_MODEL (self), -1);
  return self->status;
}

void
herald_message_log_model_set_search (HeraldMessageLogModel *self,
                                     const char            *search)
{
  g_return_if_fail (HERALD_IS_MESSAGE_LOG_MODEL (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (search);
  self->reset = TRUE;
  build_index (self);
}

void
herald_message_log_model_refresh (HeraldMessageLogModel *self)
{
  g_return_if_fail (HERALD_IS_MESSAGE_LOG_MODEL (self));

  /* A refresh already on its way will do. */
  if (self->index_cancellable != NULL)
    return;
  build_index (self);
}

guint
herald_message_log_model_get_n_cached_rows (HeraldMessageLogModel *self)
{
  guint n = 0;

  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_MODEL (self), 0);

  for (GList *l = self->lru.head; l != NULL; l = l->next)
    n += ((Page *) l->data)->rows->len;
  return n;
}

guint
herald_message_log_model_get_max_pages (HeraldMessageLogModel *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_MODEL (self), 0);
  return MAX_PAGES;
}

guint
herald_message_log_model_get_n_fetching (HeraldMessageLogModel *self)
{
  g_return_val_if_fail (HERALD_IS_MESSAGE_LOG_MODEL (self), 0);
  return self->n_fetching;
}
