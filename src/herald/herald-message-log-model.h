/* herald-message-log-model.h: a campaign's message log as a lazily paged list
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "herald-message-log-row.h"
#include "herald-store-worker.h"

G_BEGIN_DECLS

#define HERALD_MESSAGE_LOG_MODEL_PAGE_SIZE 200

#define HERALD_TYPE_MESSAGE_LOG_MODEL (herald_message_log_model_get_type ())

G_DECLARE_FINAL_TYPE (HeraldMessageLogModel, herald_message_log_model, HERALD, MESSAGE_LOG_MODEL, GObject)

/* A GListModel of HeraldMessageLogRow. It knows its length from one pass
 * over the index (page boundaries, 8 bytes per page), and reads pages of
 * HERALD_MESSAGE_LOG_MODEL_PAGE_SIZE rows by keyset on the store worker when
 * an item is asked for; until then the item is an empty row, filled in when
 * its page arrives. At most max-pages pages are kept (least recently used
 * go), so memory does not grow with the log. Property "loading": the length
 * is being worked out. */
HeraldMessageLogModel *herald_message_log_model_new               (HeraldStoreWorker     *worker,
                                                                   gint64                 campaign_id);
gint64                 herald_message_log_model_get_campaign_id   (HeraldMessageLogModel *self);
gboolean               herald_message_log_model_get_loading       (HeraldMessageLogModel *self);
/* -1: any status. */
void                   herald_message_log_model_set_status_filter (HeraldMessageLogModel *self,
                                                                   int                    status);
int                    herald_message_log_model_get_status_filter (HeraldMessageLogModel *self);
void                   herald_message_log_model_set_search        (HeraldMessageLogModel *self,
                                                                   const char            *search);
/* Reads the length and the kept pages again: rows change in place, and the
 * list is replaced only when its length changed. */
void                   herald_message_log_model_refresh           (HeraldMessageLogModel *self);
guint                  herald_message_log_model_get_n_cached_rows (HeraldMessageLogModel *self);
guint                  herald_message_log_model_get_max_pages     (HeraldMessageLogModel *self);
/* Pages being read now. */
guint                  herald_message_log_model_get_n_fetching    (HeraldMessageLogModel *self);

G_END_DECLS
