/*
 * The daemon role (see daemon.h). One sd-event loop serves everything; the
 * daemon exits after `lifespan` ms with no connection and no resource.
 *
 * Start-up without races on a UNIX path: the daemon holds flock() on
 * "<path>.lock" for its whole life (FLoM does the same, so flom and FLoM
 * daemons exclude each other). A starting daemon that finds the lock taken
 * waits until either the holder's socket accepts connections (someone else
 * serves: report DAEMON_READY_OTHER) or the lock is released (the holder
 * was exiting: take over). A daemon that exits closes its listener and
 * unlinks the socket before it releases the lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "daemon.h"
#include "discovery.h"
#include "flom_errors.h"
#include "listener.h"
#include "log.h"
#include "net.h"
#include "resource.h"
#include "uniqueid.h"

#define DAEMON_BACKLOG 100
#define QUIESCE_LIFESPAN 100
/* How long a starting daemon waits for an exiting one to let go. */
#define CLAIM_TIMEOUT_MS 5000
#define CLAIM_POLL_MS 2

struct daemon {
    sd_event *event;
    const struct flom_config *cfg;
    struct registry *registry;
    GPtrArray *listeners;
    struct discovery *discovery;    /* NULL unless -A was given */
    int claim_fd;                   /* see claim_discovery(), or -1 */
    GHashTable *conns;              /* set of struct conn * */
    sd_event_source *idle_timer;
    int lifespan;                   /* ms; < 0 forever */
    int lock_fd;
    char *unix_path;                /* socket file to unlink at exit */
    bool exiting;
};

sd_event *daemon_event(struct daemon *d)
{
    return d->event;
}

struct registry *daemon_registry(struct daemon *d)
{
    return d->registry;
}

const struct flom_config *daemon_config(struct daemon *d)
{
    return d->cfg;
}

const char *daemon_peerid(struct daemon *d)
{
    return uniqueid_get();
}

static int on_idle_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct daemon *d = userdata;

    /* A client whose connect completed in a listener's backlog would be
     * reset by our exit: serve it instead (accepting it re-arms us). */
    for (guint i = 0; i < d->listeners->len; i++)
        if (listener_has_pending(g_ptr_array_index(d->listeners, i)))
            return 0;
    if (g_hash_table_size(d->conns) == 0 && registry_size(d->registry) == 0) {
        TRACE(TRACE_DAEMON, "idle for %d ms: exiting", d->lifespan);
        sd_event_exit(d->event, 0);
    }
    return 0;
}

/* Arms the lifespan timer when nothing is going on, disarms it otherwise. */
static void daemon_check_idle(struct daemon *d)
{
    bool idle = g_hash_table_size(d->conns) == 0 &&
                registry_size(d->registry) == 0 && d->lifespan >= 0;
    uint64_t now;

    if (!idle || d->exiting) {
        if (d->idle_timer)
            sd_event_source_set_enabled(d->idle_timer, SD_EVENT_OFF);
        return;
    }
    sd_event_now(d->event, CLOCK_MONOTONIC, &now);
    now += (uint64_t)d->lifespan * 1000;
    if (d->idle_timer == NULL) {
        sd_event_add_time(d->event, &d->idle_timer, CLOCK_MONOTONIC, now,
                          1000, on_idle_timer, d);
        return;
    }
    sd_event_source_set_time(d->idle_timer, now);
    sd_event_source_set_enabled(d->idle_timer, SD_EVENT_ONESHOT);
}

void daemon_conn_attach(struct daemon *d, struct conn *c)
{
    g_hash_table_add(d->conns, c);
    daemon_check_idle(d);
}

void daemon_conn_detach(struct daemon *d, struct conn *c)
{
    g_hash_table_remove(d->conns, c);
    daemon_check_idle(d);
}

static void on_registry_empty(void *userdata)
{
    daemon_check_idle(userdata);
}

void daemon_shutdown(struct daemon *d, bool immediate)
{
    if (immediate) {
        log_event(LOG_NOTICE, "FLM007N",
                  "FLoM daemon is exiting due to immediate shutdown request");
        sd_event_exit(d->event, 0);
        return;
    }
    log_event(LOG_NOTICE, "FLM008N", "FLoM daemon is starting quiesce shutdown");
    d->lifespan = QUIESCE_LIFESPAN;
    daemon_check_idle(d);
}

static int on_exit_signal(sd_event_source *s, const struct signalfd_siginfo *si,
                          void *userdata)
{
    struct daemon *d = userdata;

    TRACE(TRACE_DAEMON, "signal %u: exiting", si->ssi_signo);
    sd_event_exit(d->event, 0);
    return 0;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static bool is_default_socket(const char *path)
{
    g_autofree char *def = config_default_socket_name();

    return g_strcmp0(def, path) == 0;
}

/* Opens "<path>.lock". A default socket's lock file must be ours. */
static int open_lock_file(const char *path, bool private_path)
{
    g_autofree char *lock_path = g_strconcat(path, ".lock", NULL);
    struct stat st;
    int fd;

    fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
              private_path ? 0600 : 0666);
    if (fd < 0 && errno == EACCES) /* a group-shared lock file: flock()
                                     works on a read-only descriptor */
        fd = open(lock_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        log_event(LOG_ERR, NULL, "cannot open lock file '%s': %s", lock_path,
                  g_strerror(errno));
        return FLOM_RC_OPEN_ERROR;
    }
    if (private_path && fstat(fd, &st) == 0 && st.st_uid != getuid()) {
        log_event(LOG_ERR, NULL,
                  "lock file '%s' belongs to uid %u, not to uid %u: refusing it",
                  lock_path, (unsigned)st.st_uid, (unsigned)getuid());
        close(fd);
        return FLOM_RC_FLOCK_ERROR;
    }
    return fd;
}

/* Takes the lock file, or finds that another daemon serves the path.
 * Returns DAEMON_READY (lock taken), DAEMON_READY_OTHER or a FLOM_RC_*. */
static int claim_unix_path(struct daemon *d, const char *path, bool private)
{
    int waited;

    d->lock_fd = open_lock_file(path, private);
    if (d->lock_fd < 0)
        return d->lock_fd;
    for (waited = 0; waited < CLAIM_TIMEOUT_MS; waited += CLAIM_POLL_MS) {
        int fd;

        if (flock(d->lock_fd, LOCK_EX | LOCK_NB) == 0)
            return DAEMON_READY;
        if (errno != EWOULDBLOCK)
            return FLOM_RC_FLOCK_ERROR;
        fd = net_unix_connect(path);
        if (fd >= 0) {
            close(fd);
            return DAEMON_READY_OTHER;
        }
        sleep_ms(CLAIM_POLL_MS);
    }
    return FLOM_RC_FLOCK_ERROR;
}

static int listen_unix(struct daemon *d)
{
    const char *path = d->cfg->socket_name;
    bool private = is_default_socket(path);
    int r, fd;

    r = claim_unix_path(d, path, private);
    if (r == DAEMON_READY_OTHER) /* stderr: /dev/null under a client */
        fprintf(stderr, "flomd: %s (another daemon serves there)\n", path);
    else if (r != DAEMON_READY)
        fprintf(stderr, "flomd: cannot take the lock file of %s\n", path);
    if (r != DAEMON_READY)
        return r;
    if (unlink(path) < 0 && errno != ENOENT) {
        log_event(LOG_ERR, "FLM019E", "'bind' error %d ('%s') in function '%s'",
                  errno, g_strerror(errno), "unlink");
        return FLOM_RC_UNLINK_ERROR;
    }
    fd = net_unix_listen(path, private ? 0600 : 0, DAEMON_BACKLOG);
    if (fd < 0) {
        log_event(LOG_ERR, "FLM019E", "'bind' error %d ('%s') in function '%s'",
                  -fd, g_strerror(-fd), "listen_unix");
        return FLOM_RC_BIND_ERROR;
    }
    d->unix_path = g_strdup(path);
    g_ptr_array_add(d->listeners, listener_new(d, fd, false));
    log_event(LOG_NOTICE, "FLM000I",
              "this process is activating a local FLoM daemon listening "
              "UNIX socket '%s'",
              path);
    return DAEMON_READY;
}

/* ----------------------------------------------------------- network */

static void log_tcp_listening(const char *address, int port)
{
    log_event(LOG_NOTICE, "FLM001I",
              "this process is activating a network FLoM daemon listening "
              "TCP/IP socket %s/%u",
              address, (unsigned)port);
}

/* The port and kind of address a TCP listener got (-p 0 asks for an
 * ephemeral port; "::" and "0.0.0.0" are advertised as ""). */
static int bound_port(int fd, bool *wildcard)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    *wildcard = net_addr_is_wildcard((struct sockaddr *)&ss);
    return net_addr_port((struct sockaddr *)&ss);
}

static int resolve_listen_address(const struct flom_config *cfg, GArray **addrs)
{
    int family = cfg->network_interface != NULL ? AF_INET6 : AF_UNSPEC;
    int r = net_resolve(cfg->unicast_address, cfg->unicast_port, family,
                        SOCK_STREAM, AI_PASSIVE, addrs);

    if (r != 0) {
        log_event(LOG_ERR, NULL, "cannot resolve '%s' port %d: %s",
                  cfg->unicast_address, cfg->unicast_port, gai_strerror(r));
        return FLOM_RC_GETADDRINFO_ERROR;
    }
    /* a link-local address without zone: the interface that has it */
    net_expand_scopes(*addrs, net_iface_index(cfg->network_interface));
    return 0;
}

/* Spec §4.2, "TCP with configured address". A taken port most likely
 * means another daemon serves there: report that, the client connects. */
static int listen_tcp_address(struct daemon *d, int *port, bool *wildcard)
{
    const struct flom_config *cfg = d->cfg;
    g_autoptr(GString) why = g_string_new(NULL);
    g_autoptr(GArray) addrs = NULL;
    int fd = resolve_listen_address(cfg, &addrs);

    if (fd < 0)
        return fd;
    fd = net_tcp_listen(addrs, DAEMON_BACKLOG, true, why);
    /* stderr is /dev/null when a client started us, the user's terminal
     * when flomd was started by hand */
    if (fd == -EADDRINUSE) {
        TRACE(TRACE_DAEMON, "%s: another daemon serves there", why->str);
        fprintf(stderr, "flomd: %s (another daemon serves there)\n", why->str);
        return DAEMON_READY_OTHER;
    }
    if (fd < 0) {
        log_event(LOG_ERR, "FLM019E", "'bind' error %d ('%s') in function '%s'",
                  -fd, g_strerror(-fd), "listen_tcp_address");
        log_event(LOG_ERR, NULL, "cannot listen on %s", why->str);
        fprintf(stderr, "flomd: cannot listen on %s\n", why->str);
        return FLOM_RC_BIND_ERROR;
    }
    *port = bound_port(fd, wildcard);
    g_ptr_array_add(d->listeners, listener_new(d, fd, true));
    log_tcp_listening(cfg->unicast_address, *port);
    return DAEMON_READY;
}

/* Spec §4.2, "TCP without address": a daemon found by discovery only. An
 * IPv6 one is dual stack and serves IPv4 clients too. */
static int listen_tcp_any(struct daemon *d, int *port)
{
    int family = discovery_family(d->cfg);
    int fd;

    if (family == AF_UNSPEC)
        return FLOM_RC_GETADDRINFO_ERROR;
    fd = net_tcp_listen_any(family, DAEMON_BACKLOG, port);
    if (fd < 0) {
        log_event(LOG_ERR, "FLM019E", "'bind' error %d ('%s') in function '%s'",
                  -fd, g_strerror(-fd), "listen_tcp_any");
        return FLOM_RC_BIND_ERROR;
    }
    g_ptr_array_add(d->listeners, listener_new(d, fd, true));
    log_tcp_listening(family == AF_INET6 ? "::" : "0.0.0.0", *port);
    return DAEMON_READY;
}

/* Two clients of one host that find nobody at the same moment both start
 * a multicast daemon, and both would answer. One daemon per group and
 * port in a network namespace: the later one reports "another serves"
 * and its client discovers the first. (A daemon with a unicast address
 * has its TCP port for that.) */
static int claim_discovery(struct daemon *d)
{
    g_autoptr(GArray) groups = NULL;
    g_autofree char *group = NULL, *name = NULL;

    if (net_resolve(d->cfg->multicast_address, 0, AF_UNSPEC, SOCK_DGRAM, 0,
                    &groups) != 0)
        return DAEMON_READY; /* discovery_new() will say why */
    group = net_addr_host(
        (struct sockaddr *)&g_array_index(groups, struct net_addr, 0).ss,
        g_array_index(groups, struct net_addr, 0).len);
    name =
        g_strdup_printf("flom-discovery/%s/%d", group, d->cfg->multicast_port);
    d->claim_fd = net_abstract_claim(name);
    if (d->claim_fd == -EADDRINUSE) {
        TRACE(TRACE_DAEMON, "%s: another daemon answers there", name);
        return DAEMON_READY_OTHER;
    }
    return DAEMON_READY; /* could not claim for another reason: go on */
}

static int listen_network(struct daemon *d)
{
    const struct flom_config *cfg = d->cfg;
    bool wildcard = true;
    int port = 0, rc;

    if (cfg->unicast_address != NULL)
        rc = listen_tcp_address(d, &port, &wildcard);
    else if ((rc = claim_discovery(d)) == DAEMON_READY)
        rc = listen_tcp_any(d, &port);
    if (rc != DAEMON_READY || cfg->multicast_address == NULL)
        return rc;
    d->discovery = discovery_new(
        d->event, cfg, wildcard ? "" : cfg->unicast_address, port, &rc);
    return d->discovery != NULL ? DAEMON_READY : rc;
}

static void report_ready(int ready_fd, int rc)
{
    if (ready_fd < 0)
        return;
    if (write(ready_fd, &rc, sizeof(rc)) != sizeof(rc))
        TRACE(TRACE_DAEMON, "readiness pipe: %s", g_strerror(errno));
    close(ready_fd);
}

static int daemon_setup(struct daemon *d, const struct flom_config *cfg)
{
    sigset_t mask;

    d->cfg = cfg;
    d->lifespan = cfg->daemon_lifespan;
    d->lock_fd = -1;
    d->claim_fd = -1;
    d->listeners = g_ptr_array_new_with_free_func((GDestroyNotify)listener_free);
    d->conns = g_hash_table_new(NULL, NULL);
    if (sd_event_new(&d->event) < 0)
        return FLOM_RC_INTERNAL_ERROR;
    d->registry = registry_new(d->event, conn_on_answer, on_registry_empty, d);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    sd_event_add_signal(d->event, NULL, SIGTERM, on_exit_signal, d);
    sd_event_add_signal(d->event, NULL, SIGINT, on_exit_signal, d);
    return 0;
}

/* Listeners first, so that a client arriving now starts a new daemon
 * instead of talking to one that is going away; the lock file last. */
static void daemon_teardown(struct daemon *d)
{
    GHashTableIter it;
    gpointer c;

    d->exiting = true;
    g_clear_pointer(&d->listeners, g_ptr_array_unref);
    g_clear_pointer(&d->discovery, discovery_free);
    if (d->unix_path != NULL)
        unlink(d->unix_path);
    g_hash_table_iter_init(&it, d->conns);
    while (g_hash_table_iter_next(&it, &c, NULL)) {
        g_hash_table_iter_steal(&it);
        conn_free(c);
    }
    g_clear_pointer(&d->conns, g_hash_table_unref);
    g_clear_pointer(&d->registry, registry_free);
    d->idle_timer = sd_event_source_unref(d->idle_timer);
    d->event = sd_event_unref(d->event);
    g_clear_pointer(&d->unix_path, g_free);
    if (d->lock_fd >= 0)
        close(d->lock_fd);
    if (d->claim_fd >= 0)
        close(d->claim_fd);
}

bool daemon_is_exiting(struct daemon *d)
{
    return d->exiting;
}

int daemon_main(const struct flom_config *cfg, int ready_fd)
{
    struct daemon d = {0};
    int rc;

    log_open_daemon();
    rc = daemon_setup(&d, cfg);
    if (rc == 0)
        rc = d.cfg->socket_name != NULL ? listen_unix(&d) : listen_network(&d);
    report_ready(ready_fd, rc);
    if (rc != DAEMON_READY) {
        daemon_teardown(&d);
        /* started by hand (no client waiting on a pipe, the reason is
         * already on stderr): tell the shell */
        return ready_fd < 0 ? 1 : 0;
    }
    sd_notify(0, "READY=1");
    log_event(LOG_NOTICE, "FLM003N", "FLoM daemon is ready to serve incoming requests");
    daemon_check_idle(&d);
    rc = sd_event_loop(d.event);
    if (rc < 0)
        log_event(LOG_ERR, NULL, "event loop failed: %s", g_strerror(-rc));
    daemon_teardown(&d);
    log_event(LOG_NOTICE, "FLM004N",
              "FLoM daemon has terminated to serve incoming requests");
    return 0;
}
