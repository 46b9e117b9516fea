/*
 * Stream listeners of the daemon: accept connections and hand them to
 * conn.c. Accept failures for lack of file descriptors back off instead of
 * spinning.
 */
#ifndef FLOM_LISTENER_H
#define FLOM_LISTENER_H

#include <stdbool.h>

struct daemon;
struct listener;

/* Takes ownership of the listening, non-blocking socket fd. tcp: accepted
 * sockets get TCP_NODELAY and the configured keepalive. */
struct listener *listener_new(struct daemon *d, int fd, bool tcp);
/* True when a connection waits in the backlog to be accepted. */
bool listener_has_pending(struct listener *l);
/* Stops accepting and closes the socket. NULL is fine. */
void listener_free(struct listener *l);

#endif
