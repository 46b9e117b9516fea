/*
 * The client side of the protocol (see client.h).
 */
#include <errno.h>
#include <glib.h>
#include <netdb.h>
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
    g_autofree char *def = NULL;
    g_autofree char *lock = NULL;
    struct stat st;

    /* -s paths elsewhere need no login-name lookup at all */
    if (!g_str_has_prefix(path, "/tmp/flom-"))
        return false;
    def = config_default_socket_name();
    if (g_strcmp0(def, path) != 0)
        return false;
    lock = g_strconcat(path, ".lock", NULL);
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

/* ---------------------------------------------------------------- TCP */

/* -n makes every resolution IPv6-only (spec §6.5). */
static int net_family(const struct flom_config *cfg)
{
    return cfg->network_interface != NULL ? AF_INET6 : AF_UNSPEC;
}

/* The addresses a daemon at host:port can be reached on. A link-local
 * address gets the scope of -n, else of scope_hint (the interface a
 * discovery reply came in on), else of every interface that could reach
 * it (net_expand_scopes). */
static int resolve_daemon(const struct flom_config *cfg, const char *host,
                          int port, unsigned scope_hint, GArray **addrs)
{
    unsigned scope = net_iface_index(cfg->network_interface);
    int r = net_resolve(host, port, net_family(cfg), SOCK_STREAM, AI_CANONNAME,
                        addrs);

    if (r != 0) {
        TRACE(TRACE_CLIENT, "getaddrinfo('%s', %d): %s", host, port,
              gai_strerror(r));
        return FLOM_RC_GETADDRINFO_ERROR;
    }
    net_expand_scopes(*addrs, scope ? scope : scope_hint);
    return FLOM_RC_OK;
}

/* EINVAL from connect() to an IPv6 address means a link-local one with
 * no interface: say how to give one instead of a bare error code. */
static int give_up(int rc, const char *host, int err)
{
    if (err == EINVAL)
        fprintf(stderr,
                "flom: '%s' is a link-local address but no interface "
                "reaches it: give one with -n IFACE or as '%s%%IFACE'\n",
                host, strchr(host, ':') != NULL ? host : "ADDRESS");
    return rc;
}

/* Connects to the first of addrs that accepts; *err: why none did. */
static int connect_addrs(struct client *c, const GArray *addrs,
                         const char *host, int *err)
{
    int fd = net_tcp_connect(addrs);

    if (fd < 0) {
        TRACE(TRACE_CLIENT, "connect('%s'): %s", host, g_strerror(-fd));
        *err = -fd;
        return FLOM_RC_CONNECT_ERROR;
    }
    c->fd = fd;
    return FLOM_RC_OK;
}

static int tcp_try(struct client *c, const struct flom_config *cfg, int *err)
{
    g_autoptr(GArray) addrs = NULL;
    int rc =
        resolve_daemon(cfg, cfg->unicast_address, cfg->unicast_port, 0, &addrs);

    return rc == FLOM_RC_OK ? connect_addrs(c, addrs, cfg->unicast_address, err)
                            : rc;
}

static const char *bind_hint(int err)
{
    switch (err) {
    case EADDRNOTAVAIL:
        return " (it is not an address of this host)";
    case EADDRINUSE:
        return " (another program listens there)";
    case EACCES:
        return " (a privileged port)";
    default:
        return "";
    }
}

/* The daemon we started could not listen. It has no terminal, so find out
 * why the way it did (the same resolution and bind, without listening)
 * and tell the user which address failed and how. */
static void explain_bind_failure(const struct flom_config *cfg)
{
    g_autoptr(GString) why = g_string_new(NULL);
    g_autoptr(GArray) addrs = NULL;
    int r = net_resolve(cfg->unicast_address, cfg->unicast_port,
                        net_family(cfg), SOCK_STREAM, AI_PASSIVE, &addrs);

    if (r != 0) {
        fprintf(stderr, "flom: cannot start a daemon on '%s': %s\n",
                cfg->unicast_address, gai_strerror(r));
        return;
    }
    net_expand_scopes(addrs, net_iface_index(cfg->network_interface));
    r = net_tcp_listen(addrs, 0, false, why);
    if (r < 0)
        fprintf(stderr, "flom: cannot start a daemon listening on %s%s\n",
                why->str, bind_hint(-r));
    else
        fprintf(stderr,
                "flom: the daemon could not listen on '%s' port %d "
                "(see the system log)\n",
                cfg->unicast_address, cfg->unicast_port);
}

/* Spec §4.1: connect; if nobody answers and we may, start a daemon bound
 * to the configured address and connect again. A daemon that finds the
 * port taken reports "another one serves" and we simply connect. */
static int connect_tcp(struct client *c, const struct flom_config *cfg,
                       client_spawn_fn spawn)
{
    const char *host = cfg->unicast_address;
    int err = 0;

    for (int attempt = 0;; attempt++) {
        int rc = tcp_try(c, cfg, &err);

        if (rc != FLOM_RC_CONNECT_ERROR)
            return rc;
        if (cfg->daemon_lifespan == 0)
            return give_up(FLOM_RC_CONNECT_ERROR, host, err);
        if (spawn == NULL || attempt == START_ATTEMPTS)
            return give_up(FLOM_RC_DAEMON_NOT_STARTED, host, err);
        rc = spawn(cfg);
        if (rc == FLOM_RC_BIND_ERROR) {
            /* FLoM tolerates it: maybe someone else serves there now */
            if (tcp_try(c, cfg, &err) == FLOM_RC_OK)
                return FLOM_RC_OK;
            explain_bind_failure(cfg);
            return give_up(FLOM_RC_DAEMON_NOT_STARTED, host, err);
        }
        if (rc != FLOM_RC_OK)
            return FLOM_RC_DAEMON_NOT_STARTED;
    }
}

/* ---------------------------------------------------------- discovery */

/* What answered a discovery (spec §5.7). */
struct discovery_reply {
    struct net_addr from; /* the daemon's UDP address, with scope */
    unsigned ifindex;     /* the interface the reply came in on */
    char *address;        /* advertised; "" means "my source address" */
    int port;
};

static void discovery_reply_clear(struct discovery_reply *r)
{
    g_clear_pointer(&r->address, g_free);
}

static int open_discovery(struct net_mcast_probe *p,
                          const struct flom_config *cfg)
{
    g_autoptr(GArray) groups = NULL;
    int r = net_resolve(cfg->multicast_address, cfg->multicast_port,
                        net_family(cfg), SOCK_DGRAM, 0, &groups);

    if (r != 0) {
        TRACE(TRACE_CLIENT, "getaddrinfo('%s'): %s", cfg->multicast_address,
              gai_strerror(r));
        return FLOM_RC_CONNECT_ERROR;
    }
    r = net_mcast_probe_open(p, &g_array_index(groups, struct net_addr, 0),
                             cfg->network_interface, cfg->discovery_ttl);
    if (r < 0) {
        TRACE(TRACE_CLIENT, "discovery socket: %s", g_strerror(-r));
        return FLOM_RC_CONNECT_ERROR;
    }
    return FLOM_RC_OK;
}

/* Takes a datagram if it is a discovery reply; FLoM takes anything, we
 * keep waiting for a real one. */
static bool accept_reply(const char *buf, ssize_t n,
                         struct discovery_reply *out)
{
    struct proto_msg m = {0};
    bool ok = n > 0 && proto_decode(buf, (size_t)n, &m) == 0 &&
              m.verb == PROTO_VERB_DISCOVER && m.step == 16 && m.has_network;

    if (ok) {
        out->address = g_strdup(m.address ? m.address : "");
        out->port = m.port;
    }
    proto_msg_clear(&m);
    return ok;
}

/* Waits up to timeout ms for a valid reply: FLOM_RC_OK or
 * FLOM_RC_CONNECTION_REFUSED (nobody answered). */
static int wait_reply(struct net_mcast_probe *p, int timeout,
                      struct discovery_reply *out,
                      const struct flom_config *cfg)
{
    gint64 deadline = g_get_monotonic_time() / 1000 + timeout;
    char buf[1024];

    for (;;) {
        int left = (int)MAX(deadline - g_get_monotonic_time() / 1000, 0);
        ssize_t n = net_mcast_probe_recv(p, buf, sizeof(buf), left, &out->from,
                                         &out->ifindex);

        if (n == -ETIMEDOUT)
            return FLOM_RC_CONNECTION_REFUSED;
        if (accept_reply(buf, n, out)) {
            if (cfg->verbose)
                printf("reply from %s/%d is '%.*s'\n", cfg->multicast_address,
                       cfg->multicast_port, (int)n, buf);
            return FLOM_RC_OK;
        }
        TRACE(TRACE_CLIENT, "discovery: ignored a datagram that is no reply");
    }
}

/* One attempt: send the request on every interface, wait for a reply. */
static int ask_once(struct net_mcast_probe *p, const GString *req,
                    struct discovery_reply *out, const struct flom_config *cfg)
{
    int r;

    if (cfg->verbose)
        printf("sending UDP multicast datagram to %s/%d ('%s')\n",
               cfg->multicast_address, cfg->multicast_port, req->str);
    r = net_mcast_probe_send(p, req->str, req->len);
    if (r < 0)
        TRACE(TRACE_CLIENT, "discovery: sendto: %s", g_strerror(-r));
    r = wait_reply(p, cfg->discovery_timeout, out, cfg);
    if (r != FLOM_RC_OK && cfg->verbose)
        printf("no reply from %s/%d\n", cfg->multicast_address,
               cfg->multicast_port);
    return r;
}

/* Asks the group up to DiscoveryAttempts times (spec §6.4): FLOM_RC_OK,
 * FLOM_RC_CONNECTION_REFUSED (nobody answered) or an error. */
static int discover(const struct flom_config *cfg, struct discovery_reply *out)
{
    g_autoptr(GString) req = g_string_new(NULL);
    struct net_mcast_probe p = {.fd = -1};
    int rc = open_discovery(&p, cfg);

    if (rc != FLOM_RC_OK)
        return rc;
    proto_encode_discover(req);
    rc = FLOM_RC_CONNECTION_REFUSED;
    for (int i = 0; rc != FLOM_RC_OK && i < MAX(cfg->discovery_attempts, 1);
         i++)
        rc = ask_once(&p, req, out, cfg);
    net_mcast_probe_close(&p);
    fflush(stdout);
    return rc;
}

/* The advertised address is the daemon's own string: a "%zone" in it
 * names one of the daemon's interfaces, meaningless here. */
static char *strip_zone(const char *address)
{
    const char *pct = strchr(address, '%');
    size_t n = pct ? (size_t)(pct - address) : strlen(address);

    if (address[0] == '[' && pct != NULL)
        return g_strdup_printf("%.*s]", (int)n, address);
    return g_strndup(address, n);
}

/* Connects to the daemon that answered (spec §5.7): to its advertised
 * address, or to the reply's source address when it advertised "" (or its
 * address does not work from here). */
static int connect_replier(struct client *c, const struct flom_config *cfg,
                           const struct discovery_reply *r)
{
    g_autoptr(GArray) addrs = NULL;
    g_autofree char *src =
        net_addr_host((const struct sockaddr *)&r->from.ss, r->from.len);
    struct net_addr to = r->from;
    int err = 0;

    if (r->address[0] != '\0') {
        g_autofree char *host = strip_zone(r->address);

        if (resolve_daemon(cfg, host, r->port, r->ifindex, &addrs) ==
                FLOM_RC_OK &&
            connect_addrs(c, addrs, host, &err) == FLOM_RC_OK)
            return FLOM_RC_OK;
        g_clear_pointer(&addrs, g_array_unref);
    }
    addrs = g_array_new(FALSE, TRUE, sizeof(struct net_addr));
    net_addr_set_port(&to, r->port);
    g_array_append_val(addrs, to);
    TRACE(TRACE_CLIENT, "connecting to %s port %d", src, r->port);
    return connect_addrs(c, addrs, src, &err);
}

static void explain_no_discovery(const struct flom_config *cfg)
{
    fprintf(stderr,
            "flom: a daemon was started but still does not answer discovery "
            "on %s port %d: multicast does not reach this host's own daemon "
            "(no up multicast interface, or a firewall; try "
            "--debug-feature=ipv6.multicast.client)\n",
            cfg->multicast_address, cfg->multicast_port);
}

static void explain_no_daemon(const struct flom_config *cfg)
{
    fprintf(stderr,
            "flom: the daemon started to answer discovery on %s port %d "
            "could not listen or join the group (is there an up multicast "
            "interface with an address of that family? the system log "
            "says more)\n",
            cfg->multicast_address, cfg->multicast_port);
}

/* Spec §4.1: discover; if nobody answers and we may, start a daemon that
 * listens on the wildcard address and answers discovery, and discover
 * again (once: more daemons would all answer). */
static int connect_multicast(struct client *c, const struct flom_config *cfg,
                             client_spawn_fn spawn)
{
    for (int attempt = 0;; attempt++) {
        struct discovery_reply reply = {0};
        int rc = discover(cfg, &reply);

        if (rc == FLOM_RC_OK) {
            rc = connect_replier(c, cfg, &reply);
            discovery_reply_clear(&reply);
            return rc;
        }
        if (rc != FLOM_RC_CONNECTION_REFUSED)
            return rc;
        if (cfg->daemon_lifespan == 0)
            return FLOM_RC_CONNECT_ERROR;
        if (spawn == NULL)
            return FLOM_RC_DAEMON_NOT_STARTED;
        if (attempt > 0) {
            explain_no_discovery(cfg);
            return FLOM_RC_DAEMON_NOT_STARTED;
        }
        if (spawn(cfg) != FLOM_RC_OK) {
            explain_no_daemon(cfg);
            return FLOM_RC_DAEMON_NOT_STARTED;
        }
    }
}

int client_connect(struct client *c, const struct flom_config *cfg,
                   client_spawn_fn spawn)
{
    if (cfg->socket_name != NULL)
        return connect_local(c, cfg, spawn);
    if (cfg->unicast_address != NULL)
        return connect_tcp(c, cfg, spawn);
    if (cfg->multicast_address != NULL)
        return connect_multicast(c, cfg, spawn);
    return FLOM_RC_INVALID_OPTION;
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
    c->answered = false;
    rc = send_lock_request(c, cfg);
    while (rc == FLOM_RC_OK) {
        struct proto_msg m = {0};

        rc = client_receive(c, timeout, &m);
        if (rc == FLOM_RC_OK) {
            c->answered = true;
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

bool client_lock_unanswered(const struct client *c, int rc)
{
    return !c->answered &&
           (rc == FLOM_RC_RECV_ERROR || rc == FLOM_RC_SEND_ERROR);
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
