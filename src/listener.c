/*
 * Stream listeners (see listener.h).
 */
#include <errno.h>
#include <glib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "conn.h"
#include "daemon.h"
#include "listener.h"
#include "log.h"
#include "net.h"

/* Out of file descriptors: stop accepting for a while instead of spinning
 * on a listener that stays readable. */
#define ACCEPT_BACKOFF_USEC 100000

struct listener {
    struct daemon *d;
    int fd;
    bool tcp;
    sd_event_source *io;
    sd_event_source *backoff;
};

static void tune_tcp(const struct flom_config *cfg, int fd)
{
    int one = 1;

    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &cfg->tcp_keepalive_time,
               sizeof(int));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &cfg->tcp_keepalive_intvl,
               sizeof(int));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cfg->tcp_keepalive_probes,
               sizeof(int));
}

static int on_backoff_end(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct listener *l = userdata;

    sd_event_source_set_enabled(l->io, SD_EVENT_ON);
    return 0;
}

static void back_off(struct listener *l, int err)
{
    uint64_t now;

    log_event(LOG_WARNING, NULL, "accept: %s; pausing new connections",
              g_strerror(err));
    sd_event_source_set_enabled(l->io, SD_EVENT_OFF);
    sd_event_now(daemon_event(l->d), CLOCK_MONOTONIC, &now);
    if (l->backoff == NULL) {
        sd_event_add_time(daemon_event(l->d), &l->backoff, CLOCK_MONOTONIC,
                          now + ACCEPT_BACKOFF_USEC, 0, on_backoff_end, l);
        return;
    }
    sd_event_source_set_time(l->backoff, now + ACCEPT_BACKOFF_USEC);
    sd_event_source_set_enabled(l->backoff, SD_EVENT_ONESHOT);
}

static int on_accept(sd_event_source *s, int fd, uint32_t revents,
                     void *userdata)
{
    struct listener *l = userdata;

    for (;;) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        int cfd = accept4(fd, (struct sockaddr *)&ss, &len,
                          SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (cfd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
                errno == ENOMEM)
                back_off(l, errno);
            else if (errno != EAGAIN && errno != EINTR &&
                     errno != ECONNABORTED)
                log_event(LOG_WARNING, NULL, "accept: %s", g_strerror(errno));
            return 0;
        }
        if (l->tcp)
            tune_tcp(daemon_config(l->d), cfd);
        conn_new(l->d, cfd, net_peer_name((struct sockaddr *)&ss, len));
    }
}

struct listener *listener_new(struct daemon *d, int fd, bool tcp)
{
    struct listener *l = g_new0(struct listener, 1);

    l->d = d;
    l->fd = fd;
    l->tcp = tcp;
    sd_event_add_io(daemon_event(d), &l->io, fd, EPOLLIN, on_accept, l);
    return l;
}

bool listener_has_pending(struct listener *l)
{
    struct pollfd pfd = {l->fd, POLLIN, 0};

    return poll(&pfd, 1, 0) > 0;
}

void listener_free(struct listener *l)
{
    if (l == NULL)
        return;
    l->io = sd_event_source_disable_unref(l->io);
    l->backoff = sd_event_source_disable_unref(l->backoff);
    close(l->fd);
    g_free(l);
}
