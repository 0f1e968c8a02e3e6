/* herald-ui-test-utils.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "herald-sandbox.h"

G_BEGIN_DECLS

gboolean herald_ui_test_init (int    *argc,
                              char ***argv);

/* The Sandbox sim's counters (/_sim/stats), turning the main context while
 * the sim's thread answers; fails the test if they can't be read. */
JsonNode *herald_ui_test_sandbox_stats (HeraldSandbox *sandbox);

/* Sets the Sandbox up (herald_sandbox_set_up_async), turning the main context
 * until it is; fails the test if it can't be. Returns its number's id. */
gint64    herald_ui_test_sandbox_set_up (HeraldSandbox *sandbox);

G_END_DECLS
