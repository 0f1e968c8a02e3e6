/* herald-relay-db.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HERALD_RELAY_DB_ERROR (herald_relay_db_error_quark ())

typedef enum
{
  /* The database could not be opened, read or written. */
  HERALD_RELAY_DB_ERROR_FAILED,
  /* The file was written by a newer herald-relay. */
  HERALD_RELAY_DB_ERROR_TOO_NEW,
} HeraldRelayDbError;

GQuark herald_relay_db_error_quark (void);

/* One stored webhook POST: its raw body and X-Hub-Signature-256, as received. */
typedef struct
{
  gint64  seq;
  gint64  received_at_us;   /* microseconds since the Unix epoch */
  char   *signature;        /* NULL when the POST had no signature header */
  GBytes *body;
} HeraldRelayEvent;

void herald_relay_event_free (HeraldRelayEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HeraldRelayEvent, herald_relay_event_free)

#define HERALD_TYPE_RELAY_DB (herald_relay_db_get_type ())

G_DECLARE_FINAL_TYPE (HeraldRelayDb, herald_relay_db, HERALD, RELAY_DB, GObject)

HeraldRelayDb *herald_relay_db_open          (const char     *path,
                                              GError        **error);
gboolean       herald_relay_db_append        (HeraldRelayDb  *self,
                                              const guint8   *body,
                                              gsize           body_len,
                                              const char     *signature,
                                              gint64          received_at_us,
                                              gint64         *out_seq,
                                              GError        **error);
GPtrArray     *herald_relay_db_list_after    (HeraldRelayDb  *self,
                                              gint64          after_seq,
                                              guint           limit,
                                              gsize           max_body_bytes,
                                              GError        **error);
gint64         herald_relay_db_count         (HeraldRelayDb  *self,
                                              GError        **error);
gint64         herald_relay_db_get_last_seq  (HeraldRelayDb  *self,
                                              GError        **error);
gint64         herald_relay_db_purge_before  (HeraldRelayDb  *self,
                                              gint64          before_us,
                                              GError        **error);

G_END_DECLS
