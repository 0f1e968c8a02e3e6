/* herald-webhook.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Meta signs each webhook POST with HMAC-SHA256 of the raw body, keyed by the
 * app secret, and sends it as "X-Hub-Signature-256: sha256=<64 lowercase hex>". */
char     *herald_webhook_compute_signature (const char   *app_secret,
                                            const guint8 *body,
                                            gsize         body_len);
gboolean  herald_webhook_verify_signature  (const char   *app_secret,
                                            const guint8 *body,
                                            gsize         body_len,
                                            const char   *header_value);

G_END_DECLS
