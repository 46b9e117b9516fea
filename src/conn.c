/*
 * One client connection of the daemon (see conn.h).
 *
 * Input is read until EAGAIN into a stack buffer and cut into messages by
 * "</msg>"; only an incomplete tail is kept per connection, so a waiting
 * client costs no buffer at all. Output is written at once and buffered
 * only when the socket cannot take it.
 */
#include <errno.h>
#include <glib.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "conn.h"
#include "daemon.h"
#include "flom_errors.h"
#include "log.h"
#include "proto.h"
#include "resource.h"

#define CONN_READ_CHUNK 4096

struct conn {
    struct daemon *d;
    int fd;
    sd_event_source *io;
    char *peer;
    char *partial;               /* incomplete message tail, or NULL */
    size_t partial_len;
    GString *out;                /* unsent output, or NULL */
    size_t out_off;
    struct lock_entry *entry;    /* held, queued or incubated request */
    char *resource;              /* name of that request, for the logs */
    bool shut_after_flush;       /* half-close once the output is sent */
    bool write_failed;
};

/* Edge-triggered: sd-event dispatches one source per loop iteration and
 * polls epoll again in between; with level-triggered sources every such
 * epoll_wait re-reports (and the kernel re-polls) every connection that is
 * still readable, which costs O(ready connections) per dispatched event.
 * Reading until EAGAIN (conn_read) and writing until EAGAIN (conn_flush)
 * is what edge-triggered sources need. */
#define CONN_EVENTS (EPOLLIN | EPOLLET)

/* sd-event never skips an update of an edge-triggered source (it may be
 * meant to re-arm the edge): compare first, or every answer costs an
 * epoll_ctl. */
static void conn_update_events(struct conn *c)
{
    uint32_t events = CONN_EVENTS, current = 0;

    /* Output that can never go out must not keep EPOLLOUT asked for: a
     * socket whose writing side is shut stays writable, and the loop would
     * spin on it. */
    if (c->out != NULL && !c->write_failed)
        events |= EPOLLOUT;
    if (sd_event_source_get_io_events(c->io, &current) < 0 || current != events)
        sd_event_source_set_io_events(c->io, events);
}

static void conn_shut_write(struct conn *c)
{
    if (c->out == NULL && c->shut_after_flush) {
        shutdown(c->fd, SHUT_WR);
        c->shut_after_flush = false;
    }
}

/* Sends what the socket takes now; returns how much that was. */
static size_t conn_write(struct conn *c, const char *buf, size_t len)
{
    size_t done = 0;

    while (done < len && !c->write_failed) {
        ssize_t n = send(c->fd, buf + done, len - done, MSG_NOSIGNAL);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                c->write_failed = true; /* on_conn_io closes it */
            break;
        }
        done += (size_t)n;
    }
    return done;
}

/* Writes what the socket takes of the kept output. */
static void conn_flush(struct conn *c)
{
    if (c->out != NULL) {
        c->out_off +=
            conn_write(c, c->out->str + c->out_off, c->out->len - c->out_off);
        if (c->out_off == c->out->len) {
            g_string_free(c->out, TRUE);
            c->out = NULL;
            c->out_off = 0;
        }
    }
    conn_shut_write(c);
    conn_update_events(c);
}

/* An answer nearly always fits in the socket at once: it is written
 * straight from msg, and only a rest the socket refused is copied. With
 * output already waiting, msg queues behind it: EPOLLOUT is armed and
 * conn_flush runs when the peer reads, so no write is tried before. */
static void conn_send(struct conn *c, const GString *msg)
{
    size_t sent;

    TRACE(TRACE_MSG, "to %s: %s", c->peer, msg->str);
    if (c->out != NULL) {
        g_string_append_len(c->out, msg->str, msg->len);
        return;
    }
    sent = conn_write(c, msg->str, msg->len);
    if (sent < msg->len)
        c->out = g_string_new_len(msg->str + sent, msg->len - sent);
    conn_shut_write(c);
    conn_update_events(c);
}

static void conn_answer(struct conn *c, int step, int rc, const char *element)
{
    g_autoptr(GString) msg = g_string_sized_new(160);

    proto_encode_answer(msg, step, step == 16 ? daemon_peerid(c->d) : NULL, rc,
                        element);
    conn_send(c, msg);
}

void conn_on_answer(void *owner, struct lock_entry *entry, int rc,
                    const char *element, void *userdata)
{
    struct conn *c = owner;

    conn_answer(c, 24, rc, element);
    if (rc != FLOM_RC_OK && rc != FLOM_RC_LOCK_ENQUEUED)
        c->entry = NULL;
}

static int on_lock(struct conn *c, const struct proto_msg *m)
{
    struct lock_request req = {m->name, m->mode, m->quantity, m->wait != 0,
                               m->create != 0, m->lifespan};
    const char *element = NULL;
    int rc;

    if (c->entry != NULL) {
        log_event(LOG_WARNING, NULL,
                  "client %s sent a second lock request while holding or "
                  "waiting for '%s'",
                  c->peer, c->resource);
        return -1;
    }
    rc = registry_lock(daemon_registry(c->d), &req, c, &c->entry, &element);
    g_free(c->resource);
    c->resource = g_strdup(m->name);
    if (rc == FLOM_RC_RESOURCE_INIT_ERROR) {
        log_event(LOG_WARNING, NULL, "resource '%s' cannot be created",
                  m->name);
        c->shut_after_flush = true;
        conn_shut_write(c);
        return 0;
    }
    if (rc == FLOM_RC_LOCK_CANT_WAIT || rc == FLOM_RC_INVALID_RESOURCE_NAME)
        c->shut_after_flush = true;
    conn_answer(c, 16, rc, element);
    return 0;
}

static int on_unlock(struct conn *c, const struct proto_msg *m)
{
    if (c->entry == NULL) {
        log_event(LOG_WARNING, NULL,
                  "client %s wants to unlock '%s' but holds nothing", c->peer,
                  m->name);
        return -1;
    }
    if (registry_unlock(daemon_registry(c->d), c->entry, m->name,
                        m->rollback != 0) != 0) {
        log_event(LOG_WARNING, "FLM009W",
                  "a client wants to unlock resource '%s' but it has locked "
                  "resource '%s'",
                  m->name, c->resource);
        return -1;
    }
    c->entry = NULL;
    return 0;
}

static int on_management(struct conn *c, const struct proto_msg *m)
{
    if (!m->has_shutdown)
        return -1;
    daemon_shutdown(c->d, m->immediate != 0);
    return 0;
}

/* Returns < 0 when the connection must be closed. */
static int conn_dispatch(struct conn *c, const struct proto_msg *m)
{
    if (m->verb == PROTO_VERB_LOCK && m->step == 8 && m->has_resource)
        return on_lock(c, m);
    if (m->verb == PROTO_VERB_UNLOCK && m->step == 8 && m->has_resource)
        return on_unlock(c, m);
    if (m->verb == PROTO_VERB_MANAGEMENT && m->step == 8)
        return on_management(c, m);
    if (m->verb == PROTO_VERB_PING && m->step == 16)
        return 0;
    log_event(LOG_WARNING, NULL,
              "client %s sent an unexpected message (verb %d, step %d): "
              "closing the connection",
              c->peer, m->verb, m->step);
    return -1;
}

static int conn_handle_message(struct conn *c, const char *buf, size_t len)
{
    struct proto_msg m = {0};
    int rc;

    TRACE(TRACE_MSG, "from %s: %.*s", c->peer, (int)len, buf);
    rc = proto_decode(buf, len, &m);
    if (rc == FLOM_RC_PROTOCOL_LEVEL_MISMATCH)
        log_event(LOG_WARNING, "FLM006W",
                  "FLoM daemon is using comm. level %d, FLOM client is using "
                  "comm. level %d; communication can not be performed",
                  PROTO_LEVEL, m.level);
    else if (rc != 0)
        log_event(LOG_WARNING, NULL,
                  "client %s sent a malformed message: closing the connection",
                  c->peer);
    else
        rc = conn_dispatch(c, &m);
    proto_msg_clear(&m);
    return rc;
}

/* FLoM peers never send anything between messages; lenient writers may
 * add white space, which is all we tolerate there. */
static bool only_whitespace(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!g_ascii_isspace(p[i]))
            return false;
    return true;
}

/* Consumes the complete messages in buf; returns the bytes used, or -1
 * when the connection must be closed. */
static ssize_t conn_consume(struct conn *c, const char *buf, size_t len)
{
    size_t used = 0;

    while (used < len) {
        size_t skip = 0;
        ssize_t n = proto_frame(buf + used, len - used, &skip);

        if (n < 0) {
            log_event(LOG_WARNING, NULL,
                      "client %s sent an oversized or unterminated message: "
                      "closing the connection",
                      c->peer);
            return -1;
        }
        if (!only_whitespace(buf + used, skip)) {
            log_event(LOG_WARNING, NULL,
                      "client %s sent bytes that are not a message: closing "
                      "the connection",
                      c->peer);
            return -1;
        }
        if (n == 0)
            return (ssize_t)(used + skip);
        if (conn_handle_message(c, buf + used + skip, (size_t)n) < 0)
            return -1;
        used += skip + (size_t)n;
    }
    return (ssize_t)used;
}

/* Appends fresh bytes to the kept tail and consumes what is complete. */
static int conn_input(struct conn *c, const char *data, size_t len)
{
    g_autofree char *joined = NULL;
    const char *buf = data;
    size_t total = len;
    ssize_t used;

    if (c->partial != NULL) {
        total = c->partial_len + len;
        joined = g_malloc(total);
        memcpy(joined, c->partial, c->partial_len);
        memcpy(joined + c->partial_len, data, len);
        buf = joined;
        g_clear_pointer(&c->partial, g_free);
    }
    used = conn_consume(c, buf, total);
    if (used < 0)
        return -1;
    c->partial_len = total - (size_t)used;
    if (c->partial_len > 0)
        c->partial = g_memdup2(buf + used, c->partial_len);
    return 0;
}

/* Returns < 0 when the connection is finished (EOF, error, bad input). */
static int conn_read(struct conn *c)
{
    char buf[CONN_READ_CHUNK];

    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof(buf), 0);

        if (n == 0)
            return -1;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN ? 0 : -1;
        }
        if (conn_input(c, buf, (size_t)n) < 0)
            return -1;
    }
}

static int on_conn_io(sd_event_source *s, int fd, uint32_t revents,
                      void *userdata)
{
    struct conn *c = userdata;

    if (revents & EPOLLOUT)
        conn_flush(c);
    if ((revents & (EPOLLIN | EPOLLHUP | EPOLLERR)) && conn_read(c) < 0) {
        conn_free(c);
        return 0;
    }
    /* Nothing more can be answered (the client wrote on after we
     * half-closed, or it is gone): close, which releases what it holds. */
    if (c->write_failed)
        conn_free(c);
    return 0;
}

struct conn *conn_new(struct daemon *d, int fd, char *peer_name)
{
    struct conn *c = g_new0(struct conn, 1);

    c->d = d;
    c->fd = fd;
    c->peer = peer_name;
    if (sd_event_add_io(daemon_event(d), &c->io, fd, CONN_EVENTS, on_conn_io,
                        c) < 0) {
        log_event(LOG_ERR, NULL, "cannot watch connection from %s", peer_name);
        close(fd);
        g_free(c->peer);
        g_free(c);
        return NULL;
    }
    TRACE(TRACE_CONN, "new connection %p from %s", (void *)c, peer_name);
    daemon_conn_attach(d, c);
    return c;
}

void conn_free(struct conn *c)
{
    if (c == NULL)
        return;
    TRACE(TRACE_CONN, "closing connection %p from %s", (void *)c, c->peer);
    if (!daemon_is_exiting(c->d)) {
        registry_drop(daemon_registry(c->d), c->entry);
        daemon_conn_detach(c->d, c);
    }
    c->io = sd_event_source_disable_unref(c->io);
    close(c->fd);
    if (c->out != NULL)
        g_string_free(c->out, TRUE);
    g_free(c->partial);
    g_free(c->resource);
    g_free(c->peer);
    g_free(c);
}
