/*
 * Socket helpers shared by the client and the daemon. Every socket made
 * here is close-on-exec; the daemon's are non-blocking as well.
 * Functions return a file descriptor or a negative errno.
 */
#ifndef FLOM_NET_H
#define FLOM_NET_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Connects a blocking UNIX stream socket to path. */
int net_unix_connect(const char *path);

/* Binds and listens on a non-blocking UNIX stream socket at path (a stale
 * socket file must already be gone). mode, when not 0, is applied to the
 * socket file atomically (through the umask at bind time). */
int net_unix_listen(const char *path, mode_t mode, int backlog);

/* Sends all of buf on a blocking socket (MSG_NOSIGNAL). 0 or -errno. */
int net_send_all(int fd, const void *buf, size_t len);

/* "host/port" for a peer address, "localhost/" for AF_UNIX (as FLoM's
 * peer names). Returns a new string. */
char *net_peer_name(const struct sockaddr *sa, socklen_t len);

#endif
