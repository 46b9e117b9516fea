/*
 * --debug-feature=NAME probes (spec §7): do two hosts hear each other over
 * IPv6 multicast? The output lines and exit statuses are FLoM's. Unlike
 * FLoM, the client does not wait forever: after DiscoveryAttempts times
 * DiscoveryTimeout ms it says what it tried and what usually blocks
 * multicast, on stderr, and exits 1.
 */
#include <errno.h>
#include <glib.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "debug.h"
#include "log.h"
#include "net.h"

#define DATAGRAM_MAX 2048
#define HELLO "HELLO"
#define WELCOME "WELCOME"

/* The IPv6 group of -A with the port of -P. */
static int resolve_group(const struct flom_config *cfg, struct net_addr *group)
{
    g_autoptr(GArray) addrs = NULL;
    int r;

    if (cfg->multicast_address == NULL) {
        fprintf(stderr, "flom: give the IPv6 multicast group to use with -A, "
                        "for example -A ff02::1\n");
        return -1;
    }
    r = net_resolve(cfg->multicast_address, cfg->multicast_port, AF_INET6,
                    SOCK_DGRAM, AI_PASSIVE, &addrs);
    if (r != 0) {
        fprintf(stderr, "flom: '%s' is not an IPv6 multicast group: %s\n",
                cfg->multicast_address, gai_strerror(r));
        return -1;
    }
    *group = g_array_index(addrs, struct net_addr, 0);
    return 0;
}

static void print_datagram(const char *what, const char *buf, size_t len)
{
    printf("%s datagram is '", what);
    fwrite(buf, 1, len, stdout);
    printf("'\n");
    fflush(stdout);
}

/* Waits for one datagram on the group, forever, and answers WELCOME. */
static int serve_once(int fd)
{
    char buf[DATAGRAM_MAX];
    struct net_addr from;
    ssize_t n;

    do
        n = net_recv_from(fd, buf, sizeof(buf), &from, NULL, NULL);
    while (n == -EINTR);
    if (n < 0) {
        fprintf(stderr, "flom: recvmsg: %s\n", g_strerror((int)-n));
        return 1;
    }
    print_datagram("Arrived", buf, (size_t)n);
    if (sendto(fd, WELCOME, strlen(WELCOME), 0, (struct sockaddr *)&from.ss,
               from.len) < 0) {
        fprintf(stderr, "flom: sendto: %s\n", g_strerror(errno));
        return 1;
    }
    print_datagram("Sent", WELCOME, strlen(WELCOME));
    return 0;
}

static int multicast_server(const struct flom_config *cfg)
{
    struct net_addr group;
    int fd, r;

    if (resolve_group(cfg, &group) < 0)
        return 1;
    fd = net_udp_socket(AF_INET6, cfg->multicast_port, false);
    if (fd < 0) {
        fprintf(stderr, "flom: cannot bind UDP port %d: %s\n",
                cfg->multicast_port, g_strerror(-fd));
        return 1;
    }
    r = net_mcast_join_all(fd, (struct sockaddr *)&group.ss,
                           cfg->network_interface);
    if (r < 0) {
        fprintf(stderr, "flom: cannot join group %s: %s\n",
                cfg->multicast_address, g_strerror(-r));
        close(fd);
        return 1;
    }
    r = serve_once(fd);
    close(fd);
    return r;
}

/* What the client tried and what usually stops IPv6 multicast. */
static void explain_silence(const struct flom_config *cfg,
                            const struct net_mcast_probe *p, int send_err)
{
    g_autofree char *ifaces = net_mcast_probe_ifaces(p);
    const struct sockaddr *g = (const struct sockaddr *)&p->group.ss;

    fprintf(stderr,
            "flom: no answer to '" HELLO "' sent to [%s]:%d on %s (hop limit "
            "%d), %d attempt(s) of %d ms\n",
            cfg->multicast_address, cfg->multicast_port, ifaces,
            cfg->discovery_ttl, cfg->discovery_attempts,
            cfg->discovery_timeout);
    if (send_err != 0)
        fprintf(stderr, "flom: the datagram could not be sent: %s\n",
                g_strerror(send_err));
    fprintf(stderr,
            "flom: likely causes:\n"
            "flom:   - no 'flom --debug-feature=ipv6.multicast.server "
            "-A %s -P %d' was waiting on the other host;\n"
            "flom:   - a firewall drops UDP/IPv6 multicast or the "
            "answer, on either host (look for an ip6tables REJECT or "
            "DROP rule, or an nft rule, on INPUT or OUTPUT);\n",
            cfg->multicast_address, cfg->multicast_port);
    if (net_addr_is_node_local(g))
        fprintf(stderr,
                "flom:   - %s is an interface-local (ff01::) group: "
                "it never leaves this host; between hosts use a "
                "link-local one such as ff02::1;\n",
                cfg->multicast_address);
    fprintf(stderr, "flom:   - the hosts are not on the same link, and the "
                    "hop limit (--discovery-ttl) or the routers stop the "
                    "datagram.\n");
}

/* One attempt: HELLO on every interface, then wait for an answer. Returns
 * the answer's length, -ETIMEDOUT, or the -errno of a failed send. */
static ssize_t hello_once(struct net_mcast_probe *p,
                          const struct flom_config *cfg, bool *announced,
                          char *buf, size_t len)
{
    struct net_addr from;
    int r = net_mcast_probe_send(p, HELLO, strlen(HELLO));

    if (r < 0)
        return r;
    if (!*announced)
        print_datagram("Sent", HELLO, strlen(HELLO));
    *announced = true;
    return net_mcast_probe_recv(p, buf, len, cfg->discovery_timeout, &from,
                                NULL);
}

static int multicast_client(const struct flom_config *cfg)
{
    struct net_mcast_probe p = {.fd = -1};
    struct net_addr group;
    char buf[DATAGRAM_MAX];
    bool announced = false;
    int send_err = 0, r;

    if (resolve_group(cfg, &group) < 0)
        return 1;
    r = net_mcast_probe_open(&p, &group, cfg->network_interface,
                             cfg->discovery_ttl);
    if (r < 0) {
        fprintf(stderr, "flom: cannot open a UDP socket: %s\n", g_strerror(-r));
        return 1;
    }
    for (int i = 0; i < cfg->discovery_attempts; i++) {
        ssize_t n = hello_once(&p, cfg, &announced, buf, sizeof(buf));

        if (n >= 0) {
            print_datagram("Arrived", buf, (size_t)n);
            net_mcast_probe_close(&p);
            return 0;
        }
        if (n != -ETIMEDOUT)
            send_err = (int)-n;
    }
    explain_silence(cfg, &p, send_err);
    net_mcast_probe_close(&p);
    return 1;
}

static int tls_unavailable(const struct flom_config *cfg)
{
    fprintf(stderr, "flom: TLS is not available in this build of flom yet: "
                    "the tls.server and tls.client probes cannot run\n");
    return 1;
}

static const struct {
    const char *name;
    int (*run)(const struct flom_config *cfg);
} probes[] = {
    {"IPv6.Multicast.Server", multicast_server},
    {"IPv6.Multicast.Client", multicast_client},
    {"TLS.Server", tls_unavailable},
    {"TLS.Client", tls_unavailable},
};

int debug_run(const struct flom_config *cfg, const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(probes); i++)
        if (name != NULL && g_ascii_strcasecmp(name, probes[i].name) == 0)
            return probes[i].run(cfg);
    fprintf(stderr,
            "flom: unknown debug feature '%s' (known: "
            "ipv6.multicast.server, ipv6.multicast.client, tls.server, "
            "tls.client)\n",
            name ? name : "");
    return 1;
}
