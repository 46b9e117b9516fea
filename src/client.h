/*
 * The client side of the protocol, shared by the flom command and libflom:
 * find or start the daemon, lock, unlock, disconnect gracefully (spec §4.1,
 * §3.11, §5.6). Functions return FLOM_RC_* codes.
 */
#ifndef FLOM_CLIENT_H
#define FLOM_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* Starts a daemon for cfg and waits for its readiness (spawn_daemon in the
 * command; NULL in the library, which never starts one). */
typedef int (*client_spawn_fn)(const struct flom_config *cfg);

struct client {
    int fd;                   /* -1 when not connected */
    char in[2048];            /* received bytes not yet used */
    size_t in_len;
    char *element;            /* element of the last grant, or NULL */
    char *locked_name;        /* resource name of the last grant */
    bool answered;            /* the last lock request got an answer */
};

void client_init(struct client *c);
/* Disconnects if needed and frees the element. */
void client_clear(struct client *c);

/* Connects by the transport cfg selects (socket name, then unicast
 * address, then multicast discovery). When nothing answers and spawn is
 * not NULL and the lifespan is not 0, starts a daemon and connects to it.
 * Returns FLOM_RC_OK, FLOM_RC_CONNECT_ERROR (nobody there, no start),
 * FLOM_RC_DAEMON_NOT_STARTED, ... */
int client_connect(struct client *c, const struct flom_config *cfg,
                   client_spawn_fn spawn);

/* Sends the lock request for cfg's resource and waits as cfg's timeout
 * says. Returns FLOM_RC_OK (c->element set when the daemon sent one),
 * FLOM_RC_LOCK_BUSY, FLOM_RC_LOCK_CANT_WAIT, FLOM_RC_LOCK_IMPOSSIBLE,
 * FLOM_RC_NETWORK_TIMEOUT or an error. */
int client_lock(struct client *c, const struct flom_config *cfg);

/* True when a failed lock request never reached a daemon that was
 * serving: the connection went away before any answer (the daemon was
 * exiting, or the connection sat in the backlog of a listener that was
 * closing). Nothing was granted, so the request may be sent again on a
 * new connection. */
bool client_lock_unanswered(const struct client *c, int rc);

/* Sends unlock/8 for the granted resource. FLOM_RC_SEND_ERROR when the
 * connection to the daemon was lost (the lock was not held any more). */
int client_unlock(struct client *c, bool rollback);

/* Graceful disconnect (spec §5.6.1): half-close, wait for the daemon to
 * close (bounded), close. */
int client_disconnect(struct client *c);

/* -x / -X: connects without starting a daemon, sends management/8 and
 * waits up to one second for the daemon to close. */
int client_shutdown_daemon(const struct flom_config *cfg, bool immediate);

#endif
