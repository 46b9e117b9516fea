/*
 * The client side of the protocol (see client.h).
 */
#include <errno.h>
#include <glib.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"
#include "flom_errors.h"
#include "log.h"
#include "names.h"
#include "net.h"
#include "proto.h"
#include "uniqueid.h"

/* How long a graceful disconnect waits for the daemon to close. */
#define DISCONNECT_WAIT_MS 2000
/* -x/-X wait this long for the daemon to close (spec §4.5). */
#define SHUTDOWN_WAIT_MS 1000
/* A daemon that reported ready may be one that is just exiting: start
 * another at most this many times. */
#define START_ATTEMPTS 3

void client_init(struct client *c)
{
    memset(c, 0, sizeof(*c));
    c->fd = -1;
}

void client_clear(struct client *c)
{
    if (c->fd >= 0)
        client_disconnect(c);
    g_clear_pointer(&c->element, g_free);
    g_clear_pointer(&c->locked_name, g_free);
}

/* The default socket lives in /tmp, where anybody could have put a socket
 * of theirs first to collect our lock requests: refuse what is not ours. */
static bool socket_is_foreign(const char *path)
{
    g_autofree char *def = config_default_socket_name();
    g_autofree char *lock = g_strconcat(path, ".lock", NULL);
    struct stat st;

    if (g_strcmp0(def, path) != 0)
        return false;
    if (lstat(path, &st) == 0 && st.st_uid != getuid()) {
        fprintf(stderr,
                "flom: socket '%s' belongs to uid %u, not to you (uid %u): "
                "refusing to use it; remove it or choose another one with -s\n",
                path, (unsigned)st.st_uid, (unsigned)getuid());
        return true;
    }
    if (lstat(lock, &st) == 0 && st.st_uid != getuid()) {
        fprintf(stderr,
                "flom: lock file '%s' belongs to uid %u, not to you (uid %u): "
                "refusing to use it; remove it or choose another socket with "
                "-s\n",
                lock, (unsigned)st.st_uid, (unsigned)getuid());
        return true;
    }
    return false;
}

static int connect_local(struct client *c, const struct flom_config *cfg,
                         client_spawn_fn spawn)
{
    const char *path = cfg->socket_name;
    int fd, attempt, rc;

    if (socket_is_foreign(path))
        return FLOM_RC_CONNECT_ERROR;
    for (attempt = 0;; attempt++) {
        fd = net_unix_connect(path);
        if (fd >= 0) {
            c->fd = fd;
            return FLOM_RC_OK;
        }
        TRACE(TRACE_CLIENT, "connect('%s'): %s", path, g_strerror(-fd));
        if (fd != -ENOENT && fd != -ECONNREFUSED)
            return FLOM_RC_CONNECT_ERROR;
        if (cfg->daemon_lifespan == 0)
            return FLOM_RC_CONNECT_ERROR;
        if (spawn == NULL || attempt == START_ATTEMPTS)
            return FLOM_RC_DAEMON_NOT_STARTED;
        rc = spawn(cfg);
        if (rc != FLOM_RC_OK)
            return FLOM_RC_DAEMON_NOT_STARTED;
    }
}

int client_connect(struct client *c, const struct flom_config *cfg,
                   client_spawn_fn spawn)
{
    if (cfg->socket_name != NULL)
        return connect_local(c, cfg, spawn);
    fprintf(stderr, "flom: TCP and multicast daemons are not supported by "
                    "this build yet\n");
    return FLOM_RC_INACTIVE_FEATURE;
}

static int client_send(struct client *c, const GString *msg)
{
    TRACE(TRACE_MSG, "sending: %s", msg->str);
    return net_send_all(c->fd, msg->str, msg->len) < 0 ? FLOM_RC_SEND_ERROR
                                                       : FLOM_RC_OK;
}

/* Takes one complete message from the buffer, if there is one. Returns 1
 * when msg was filled, 0 when more bytes are needed, or an error. */
static int take_message(struct client *c, struct proto_msg *msg)
{
    size_t skip = 0;
    ssize_t n = proto_frame(c->in, c->in_len, &skip);
    int rc;

    if (n < 0)
        return FLOM_RC_BUFFER_OVERFLOW;
    if (n == 0) {
        /* bytes before any '<' can never start a message */
        c->in_len -= skip;
        memmove(c->in, c->in + skip, c->in_len);
        return 0;
    }
    TRACE(TRACE_MSG, "received: %.*s", (int)n, c->in + skip);
    rc = proto_decode(c->in + skip, (size_t)n, msg);
    c->in_len -= skip + (size_t)n;
    memmove(c->in, c->in + skip + n, c->in_len);
    return rc == 0 ? 1 : rc;
}

/* Waits at most timeout ms (< 0: forever) for the next message. */
static int client_receive(struct client *c, int timeout, struct proto_msg *msg)
{
    for (;;) {
        struct pollfd pfd = {c->fd, POLLIN, 0};
        int rc = take_message(c, msg);
        ssize_t n;

        if (rc != 0)
            return rc > 0 ? FLOM_RC_OK : rc;
        rc = poll(&pfd, 1, timeout);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0)
            return FLOM_RC_NETWORK_TIMEOUT;
        n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FLOM_RC_RECV_ERROR;
        c->in_len += (size_t)n;
    }
}

/* Interprets one answer of the lock conversation (spec §3.11): 1 = keep
 * waiting, otherwise the final rc. Unlike FLoM, a deferred answer other
 * than a grant is a failure, never a run without the lock. */
static int lock_answer(const struct proto_msg *m)
{
    if (m->verb != PROTO_VERB_LOCK || !m->has_answer)
        return FLOM_RC_PROTOCOL_ERROR;
    switch (m->step) {
    case 16:
        if (m->rc == FLOM_RC_LOCK_ENQUEUED || m->rc == FLOM_RC_LOCK_WAIT_RESOURCE)
            return 1;
        if (m->rc == FLOM_RC_OK || m->rc == FLOM_RC_LOCK_BUSY ||
            m->rc == FLOM_RC_LOCK_CANT_WAIT || m->rc == FLOM_RC_LOCK_IMPOSSIBLE ||
            m->rc == FLOM_RC_INVALID_RESOURCE_NAME)
            return m->rc;
        return FLOM_RC_PROTOCOL_ERROR;
    case 24:
        return m->rc == FLOM_RC_LOCK_ENQUEUED ? 1 : m->rc;
    case 32:
        return m->rc == FLOM_RC_OK ? FLOM_RC_OK : FLOM_RC_LOCK_CANT_LOCK;
    default:
        return FLOM_RC_PROTOCOL_ERROR;
    }
}

static int send_lock_request(struct client *c, const struct flom_config *cfg)
{
    g_autoptr(GString) msg = g_string_sized_new(256);
    const char *name = cfg->resource_name;

    proto_encode_lock(msg, uniqueid_get(), name, names_classify(name),
                      cfg->lock_mode, cfg->resource_timeout != 0,
                      cfg->resource_quantity, cfg->resource_create,
                      cfg->resource_idle_lifespan);
    return client_send(c, msg);
}

int client_lock(struct client *c, const struct flom_config *cfg)
{
    int timeout = cfg->resource_timeout > 0 ? cfg->resource_timeout : -1;
    int rc;

    g_clear_pointer(&c->element, g_free);
    rc = send_lock_request(c, cfg);
    while (rc == FLOM_RC_OK) {
        struct proto_msg m = {0};

        rc = client_receive(c, timeout, &m);
        if (rc == FLOM_RC_OK) {
            rc = lock_answer(&m);
            if (rc == FLOM_RC_OK && m.element != NULL)
                c->element = g_strdup(m.element);
        }
        proto_msg_clear(&m);
        if (rc == 1)
            rc = FLOM_RC_OK;
        else
            break;
    }
    if (rc == FLOM_RC_OK) {
        g_free(c->locked_name);
        c->locked_name = g_strdup(cfg->resource_name);
    }
    TRACE(TRACE_CLIENT, "lock '%s': rc=%d", cfg->resource_name, rc);
    return rc;
}

/* The daemon never writes to a holder: a readable socket means it closed
 * the connection (it died or was shut down) and the lock is gone. */
static bool connection_lost(int fd)
{
    char byte;
    ssize_t n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

    return n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR);
}

int client_unlock(struct client *c, bool rollback)
{
    g_autoptr(GString) msg = g_string_sized_new(160);

    if (c->fd < 0 || c->locked_name == NULL)
        return FLOM_RC_API_INVALID_SEQUENCE;
    if (connection_lost(c->fd))
        return FLOM_RC_SEND_ERROR;
    proto_encode_unlock(msg, c->locked_name, rollback);
    g_clear_pointer(&c->locked_name, g_free);
    return client_send(c, msg);
}

int client_disconnect(struct client *c)
{
    struct pollfd pfd = {c->fd, POLLIN, 0};
    char buf[1024];

    if (c->fd < 0)
        return FLOM_RC_OK;
    /* Half-close and wait for the daemon's close: over TCP, closing with
     * unread data would reset the connection and could lose our unlock. */
    shutdown(c->fd, SHUT_WR);
    while (poll(&pfd, 1, DISCONNECT_WAIT_MS) > 0 &&
           recv(c->fd, buf, sizeof(buf), 0) > 0)
        ;
    close(c->fd);
    c->fd = -1;
    c->in_len = 0;
    return FLOM_RC_OK;
}

int client_shutdown_daemon(const struct flom_config *cfg, bool immediate)
{
    g_autoptr(GString) msg = g_string_sized_new(160);
    struct client c;
    struct pollfd pfd;
    int rc;

    client_init(&c);
    rc = client_connect(&c, cfg, NULL);
    if (rc != FLOM_RC_OK)
        return rc;
    proto_encode_shutdown(msg, uniqueid_get(), immediate);
    rc = client_send(&c, msg);
    pfd = (struct pollfd){c.fd, POLLIN, 0};
    if (rc == FLOM_RC_OK && poll(&pfd, 1, SHUTDOWN_WAIT_MS) == 0)
        TRACE(TRACE_CLIENT, "FLM020N the daemon did not close the connection");
    client_clear(&c);
    return rc;
}
