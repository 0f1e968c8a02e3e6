/* herald-http-listen.c
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "herald-http-listen.h"

/**
 * herald_http_listen:
 * @server: the server to accept connections for
 * @address: an IP address and port (0 for any free one)
 * @backlog: how many connections may wait to be accepted
 *
 * Makes @server listen on @address through our own socket rather than
 * soup_server_listen(): GSocket's default accept queue of 10 refuses or
 * resets connections in a burst (a benchmark, Meta retrying webhooks after
 * an outage).
 *
 * Returns: (transfer full): the address bound (with the port picked for 0),
 *   or %NULL with @error set
 */
GInetSocketAddress *
herald_http_listen (SoupServer     *server,
                    GSocketAddress *address,
                    int             backlog,
                    GError        **error)
{
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);
  g_return_val_if_fail (backlog > 0, NULL);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  g_socket_set_listen_backlog (socket, backlog);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (server, socket, 0, error))
    return NULL;

  return G_INET_SOCKET_ADDRESS (g_socket_get_local_address (socket, error));
}
