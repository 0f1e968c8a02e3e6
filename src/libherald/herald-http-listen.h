/* herald-http-listen.h: a SoupServer listening with a long accept queue
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

GInetSocketAddress *herald_http_listen (SoupServer     *server,
                                        GSocketAddress *address,
                                        int             backlog,
                                        GError        **error);

G_END_DECLS
