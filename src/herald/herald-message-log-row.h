/* herald-message-log-row.h: one message of a campaign's log, as the log view shows it
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "herald-message-log.h"

G_BEGIN_DECLS

#define HERALD_TYPE_MESSAGE_LOG_ROW (herald_message_log_row_get_type ())

G_DECLARE_FINAL_TYPE (HeraldMessageLogRow, herald_message_log_row, HERALD, MESSAGE_LOG_ROW, GObject)

/* An empty row ("loaded" FALSE) until its page arrives; then
 * herald_message_log_row_set_entry () fills it in and notifies. Properties
 * (read-only): id, loaded, mobile-number, contact-name, status (a
 * HeraldMessageStatus), status-label, changed-at (local time, for people),
 * reason, in-doubt. */
HeraldMessageLogRow *herald_message_log_row_new                (void);
void                 herald_message_log_row_set_entry          (HeraldMessageLogRow         *self,
                                                                const HeraldMessageLogEntry *entry);
gint64               herald_message_log_row_get_id             (HeraldMessageLogRow         *self);
gboolean             herald_message_log_row_get_loaded         (HeraldMessageLogRow         *self);
const char          *herald_message_log_row_get_mobile_number  (HeraldMessageLogRow         *self);
const char          *herald_message_log_row_get_contact_name   (HeraldMessageLogRow         *self);
HeraldMessageStatus  herald_message_log_row_get_status         (HeraldMessageLogRow         *self);
const char          *herald_message_log_row_get_status_label   (HeraldMessageLogRow         *self);
const char          *herald_message_log_row_get_reason         (HeraldMessageLogRow         *self);
gboolean             herald_message_log_row_get_in_doubt       (HeraldMessageLogRow         *self);

/* "Pending", "Sent"… for people. */
const char          *herald_message_status_get_label           (HeraldMessageStatus          status);

G_END_DECLS
