/* herald-cli-webhooks.h: herald-cli webhooks … and relay …
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

G_BEGIN_DECLS

int herald_cli_webhooks (int argc, char **argv);
int herald_cli_relay    (int argc, char **argv);

G_END_DECLS
