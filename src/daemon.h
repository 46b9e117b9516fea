/*
 * The daemon role: one thread, one sd-event loop owning the listeners, the
 * connections, the resource registry and the lifespan timer.
 */
#ifndef FLOM_DAEMON_H
#define FLOM_DAEMON_H

#include <stdbool.h>
#include <systemd/sd-event.h>

#include "config.h"

struct daemon;
struct conn;
struct registry;

/* What a starting daemon reports to the client that forked it, as one
 * native int on the readiness pipe (FLoM writes its rc the same way). */
#define DAEMON_READY 0          /* listening */
#define DAEMON_READY_OTHER 1    /* another daemon already serves the path */

/* Runs the daemon until it exits; cfg is the starting command's
 * configuration. Readiness (or the reason it could not start, a FLOM_RC_*)
 * is written to ready_fd, which is then closed (-1: nobody to tell).
 * Returns the process exit status. */
int daemon_main(const struct flom_config *cfg, int ready_fd);

/* For the modules of the daemon (listener.c, conn.c). */
sd_event *daemon_event(struct daemon *d);
struct registry *daemon_registry(struct daemon *d);
const struct flom_config *daemon_config(struct daemon *d);
const char *daemon_peerid(struct daemon *d);
void daemon_conn_attach(struct daemon *d, struct conn *c);
void daemon_conn_detach(struct daemon *d, struct conn *c);
/* A management/8 request: immediate exits now, quiesce shortens the
 * lifespan to 100 ms (new clients are still served, as in FLoM). */
void daemon_shutdown(struct daemon *d, bool immediate);
/* True while the daemon tears down: connections must not touch the
 * registry any more. */
bool daemon_is_exiting(struct daemon *d);

#endif
