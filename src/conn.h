/*
 * One client connection of the daemon: buffered non-blocking input and
 * output, framing by "</msg>", dispatch of lock/unlock/management, and a
 * teardown that always releases what the connection held or waited for.
 */
#ifndef FLOM_CONN_H
#define FLOM_CONN_H

struct daemon;
struct conn;
struct lock_entry;

/* Takes ownership of the accepted, non-blocking socket fd. */
struct conn *conn_new(struct daemon *d, int fd, char *peer_name);
/* Closes the connection and releases its lock or wait. NULL is fine. */
void conn_free(struct conn *c);

/* The registry's deferred answers (lock/24), see resource.h. */
void conn_on_answer(void *owner, struct lock_entry *entry, int rc,
                    const char *element, void *userdata);

#endif
