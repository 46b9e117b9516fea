/*
 * The discovery responder (see discovery.h).
 */
#include <errno.h>
#include <glib.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "discovery.h"
#include "flom_errors.h"
#include "log.h"
#include "net.h"
#include "proto.h"

/* Datagrams handled per wake-up: a flood must not starve the other
 * sources of the loop. */
#define BATCH 32
/* Ignored datagrams logged per minute; the rest are counted. */
#define LOG_BURST 10
#define LOG_WINDOW_USEC (60 * G_USEC_PER_SEC)

struct discovery {
    sd_event *event;
    int fd;
    sd_event_source *io;
    GString *reply;  /* the answer, the same for every asker */
    uint64_t window; /* start of the current log window */
    unsigned logged;
    unsigned suppressed;
};

static int resolve_group(const struct flom_config *cfg, struct net_addr *group)
{
    g_autoptr(GArray) addrs = NULL;
    int family = cfg->network_interface != NULL ? AF_INET6 : AF_UNSPEC;
    int r = net_resolve(cfg->multicast_address, cfg->multicast_port, family,
                        SOCK_DGRAM, 0, &addrs);

    if (r != 0) {
        log_event(LOG_ERR, NULL, "cannot resolve multicast group '%s': %s",
                  cfg->multicast_address, gai_strerror(r));
        return FLOM_RC_GETADDRINFO_ERROR;
    }
    *group = g_array_index(addrs, struct net_addr, 0);
    return FLOM_RC_OK;
}

int discovery_family(const struct flom_config *cfg)
{
    struct net_addr group;

    if (cfg->multicast_address == NULL || resolve_group(cfg, &group) != 0)
        return AF_UNSPEC;
    return group.ss.ss_family;
}

static void log_ignored(struct discovery *disc, const char *peer, ssize_t n,
                        bool truncated, const char *why)
{
    uint64_t now = 0;

    sd_event_now(disc->event, CLOCK_MONOTONIC, &now);
    if (now - disc->window >= LOG_WINDOW_USEC) {
        if (disc->suppressed > 0)
            log_event(LOG_WARNING, NULL,
                      "%u more bad datagrams on the discovery port were "
                      "ignored without a message",
                      disc->suppressed);
        disc->window = now;
        disc->logged = disc->suppressed = 0;
    }
    if (disc->logged++ < LOG_BURST)
        log_event(LOG_WARNING, NULL,
                  "ignored a datagram of %s%zd bytes from %s on the discovery "
                  "port: %s",
                  truncated ? "more than " : "", n, peer, why);
    else
        disc->suppressed++;
}

/* Why a datagram is not a discovery request, or NULL if it is one. */
static const char *judge(const char *buf, ssize_t n, bool truncated)
{
    struct proto_msg m = {0};
    const char *why = NULL;
    int rc;

    if (truncated)
        return "too long";
    rc = proto_decode(buf, (size_t)n, &m);
    if (rc == FLOM_RC_PROTOCOL_LEVEL_MISMATCH)
        why = "wrong protocol level";
    else if (rc != 0)
        why = "not a FLoM message";
    else if (m.verb != PROTO_VERB_DISCOVER || m.step != 8)
        why = "not a discovery request";
    proto_msg_clear(&m);
    return why;
}

static void answer(struct discovery *disc, const struct net_addr *to,
                   const char *peer)
{
    log_event(LOG_INFO, "FLM005I", "auto-discovery query received from %s",
              peer);
    /* Never wait for the socket: a lost answer is asked again. */
    if (sendto(disc->fd, disc->reply->str, disc->reply->len,
               MSG_DONTWAIT | MSG_NOSIGNAL, (const struct sockaddr *)&to->ss,
               to->len) < 0)
        TRACE(TRACE_DAEMON, "discovery: answer to %s: %s", peer,
              g_strerror(errno));
}

static void handle_datagram(struct discovery *disc, const char *buf, ssize_t n,
                            bool truncated, const struct net_addr *from)
{
    g_autofree char *peer =
        net_peer_name((const struct sockaddr *)&from->ss, from->len);
    const char *why = judge(buf, n, truncated);

    TRACE(TRACE_MSG, "discovery: from %s: %.*s", peer, (int)n, buf);
    if (why != NULL)
        log_ignored(disc, peer, n, truncated, why);
    else
        answer(disc, from, peer);
}

static int on_datagram(sd_event_source *s, int fd, uint32_t revents,
                       void *userdata)
{
    struct discovery *disc = userdata;

    for (int i = 0; i < BATCH; i++) {
        char buf[1024];
        struct net_addr from;
        bool truncated = false;
        ssize_t n =
            net_recv_from(fd, buf, sizeof(buf), &from, NULL, &truncated);

        if (n == -EINTR)
            continue;
        if (n < 0) {
            if (n != -EAGAIN)
                TRACE(TRACE_DAEMON, "discovery: recvmsg: %s",
                      g_strerror((int)-n));
            return 0;
        }
        handle_datagram(disc, buf, n, truncated, &from);
    }
    return 0;
}

static int discovery_open(struct discovery *disc, const struct flom_config *cfg)
{
    struct net_addr group;
    int rc = resolve_group(cfg, &group);

    if (rc != FLOM_RC_OK)
        return rc;
    disc->fd = net_udp_socket(group.ss.ss_family, cfg->multicast_port, true);
    rc = disc->fd < 0
             ? disc->fd
             : net_mcast_join_all(disc->fd, (const struct sockaddr *)&group.ss,
                                  cfg->network_interface);
    if (rc < 0) {
        log_event(LOG_ERR, NULL,
                  "cannot answer discovery on group %s port %d: %s",
                  cfg->multicast_address, cfg->multicast_port, g_strerror(-rc));
        fprintf(stderr,
                "flomd: cannot answer discovery on group %s port %d: %s\n",
                cfg->multicast_address, cfg->multicast_port, g_strerror(-rc));
        return FLOM_RC_CONNECT_ERROR;
    }
    return FLOM_RC_OK;
}

struct discovery *discovery_new(sd_event *event, const struct flom_config *cfg,
                                const char *address, int port, int *rc)
{
    struct discovery *disc = g_new0(struct discovery, 1);

    disc->event = event;
    disc->fd = -1;
    disc->reply = g_string_new(NULL);
    proto_encode_discover_reply(disc->reply, address, port);
    *rc = discovery_open(disc, cfg);
    if (*rc == FLOM_RC_OK && sd_event_add_io(event, &disc->io, disc->fd,
                                             EPOLLIN, on_datagram, disc) < 0)
        *rc = FLOM_RC_INTERNAL_ERROR;
    if (*rc != FLOM_RC_OK) {
        discovery_free(disc);
        return NULL;
    }
    log_event(LOG_NOTICE, "FLM002I",
              "joined multicast group %s/%u to answer auto-discovery queries",
              cfg->multicast_address, (unsigned)cfg->multicast_port);
    return disc;
}

void discovery_free(struct discovery *disc)
{
    if (disc == NULL)
        return;
    disc->io = sd_event_source_disable_unref(disc->io);
    if (disc->fd >= 0)
        close(disc->fd);
    g_string_free(disc->reply, TRUE);
    g_free(disc);
}
