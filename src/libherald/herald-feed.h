/* herald-feed.h
 *
 * Copyright 2026 The Herald authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* settings keys: the relay's base URL, and the last relay seq applied
 * ("relay-cursor:" followed by the relay URL, so another relay starts anew). */
#define HERALD_SETTING_RELAY_URL            "relay-url"
#define HERALD_SETTING_RELAY_CURSOR_PREFIX  "relay-cursor:"

/* The keyring keys of the feed's secrets: the feed token is kept under the
 * relay URL (HERALD_SECRET_FEED_TOKEN), the app secret under this
 * (HERALD_SECRET_APP_SECRET). */
#define HERALD_FEED_APP_SECRET_KEY "default"

/* The longest a feed request waits for news (the relay allows 30 s). */
#define HERALD_FEED_DEFAULT_WAIT_SECONDS 25

#define HERALD_FEED_ERROR (herald_feed_error_quark ())

typedef enum
{
  /* The relay URL, feed token or app secret is not set. */
  HERALD_FEED_ERROR_NOT_CONFIGURED,
  /* The relay refused the feed token (401). */
  HERALD_FEED_ERROR_UNAUTHORIZED,
  /* The relay answered with an HTTP error, or not with a feed of events. */
  HERALD_FEED_ERROR_BAD_ANSWER,
} HeraldFeedError;

GQuark herald_feed_error_quark (void);

typedef enum
{
  HERALD_FEED_STOPPED,    /* not polling */
  HERALD_FEED_WAITING,    /* a request is out, and the relay has not answered since the start or the last failure */
  HERALD_FEED_CONNECTED,  /* the relay answered the last request */
  HERALD_FEED_OFFLINE,    /* the last request failed; another follows after a backoff */
} HeraldFeedState;

#define HERALD_TYPE_FEED_STATE (herald_feed_state_get_type ())
GType herald_feed_state_get_type (void) G_GNUC_CONST;

#define HERALD_TYPE_FEED (herald_feed_get_type ())

G_DECLARE_FINAL_TYPE (HeraldFeed, herald_feed, HERALD, FEED, GObject)

/* Polls herald-relay's /v1/events and applies each event whose signature is
 * good (HeraldStatusApplier), with its own connection to @database_path on a
 * worker thread. Signals and property changes come on the thread-default
 * main context of the caller of herald_feed_new (). */
HeraldFeed      *herald_feed_new                  (const char           *database_path,
                                                   const char           *relay_url);
const char      *herald_feed_get_database_path    (HeraldFeed           *self);
const char      *herald_feed_get_relay_url        (HeraldFeed           *self);

/* Secrets are kept in memory only, never shown in a property or a message. */
void             herald_feed_set_feed_token       (HeraldFeed           *self,
                                                   const char           *feed_token);
void             herald_feed_set_app_secret       (HeraldFeed           *self,
                                                   const char           *app_secret);

/* The long-poll wait of herald_feed_start () (default 25 s), and the backoff
 * after a failure: from @min_ms doubling up to @max_ms, each with jitter
 * (a random half to all of it); reset by a good answer. */
void             herald_feed_set_wait_seconds     (HeraldFeed           *self,
                                                   guint                 wait_seconds);
void             herald_feed_set_backoff          (HeraldFeed           *self,
                                                   guint                 min_ms,
                                                   guint                 max_ms);

HeraldFeedState  herald_feed_get_state            (HeraldFeed           *self);
const char      *herald_feed_get_last_error       (HeraldFeed           *self);
GDateTime       *herald_feed_get_last_event_at    (HeraldFeed           *self);
guint64          herald_feed_get_events_applied   (HeraldFeed           *self);
gint64           herald_feed_get_cursor           (HeraldFeed           *self);

/* Polls while the app runs, until herald_feed_stop (). */
void             herald_feed_start                (HeraldFeed           *self);
void             herald_feed_stop                 (HeraldFeed           *self);

/* Fetches and applies what the relay has now, without waiting for more:
 * returns the number of relay events recorded. */
void             herald_feed_poll_once_async      (HeraldFeed           *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64           herald_feed_poll_once_finish     (HeraldFeed           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
