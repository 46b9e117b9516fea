/*
 * Socket helpers (see net.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "flom_errors.h"
#include "net.h"

static int unix_address(const char *path, struct sockaddr_un *sun)
{
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun->sun_path))
        return -ENAMETOOLONG;
    strcpy(sun->sun_path, path);
    return 0;
}

int net_unix_connect(const char *path)
{
    struct sockaddr_un sun;
    int fd, r;

    r = unix_address(path, &sun);
    if (r < 0)
        return r;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        r = -errno;
        close(fd);
        return r;
    }
    return fd;
}

int net_unix_listen(const char *path, mode_t mode, int backlog)
{
    struct sockaddr_un sun;
    mode_t old_umask = 0;
    int fd, r;

    r = unix_address(path, &sun);
    if (r < 0)
        return r;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -errno;
    /* The umask makes the mode right from the first instant: a chmod
     * after bind would leave a window where others can connect. */
    if (mode != 0)
        old_umask = umask(~mode & 0777);
    r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
    if (mode != 0)
        umask(old_umask);
    if (r < 0 || listen(fd, backlog) < 0) {
        r = -errno;
        close(fd);
        return r;
    }
    return fd;
}

int net_abstract_claim(const char *name)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    size_t n = strlen(name);
    int fd, r;

    if (n + 1 > sizeof(sun.sun_path))
        return -ENAMETOOLONG;
    memcpy(sun.sun_path + 1, name, n); /* sun_path[0] == 0: abstract */
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -errno;
    if (bind(fd, (struct sockaddr *)&sun,
             (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)) < 0) {
        r = -errno;
        close(fd);
        return r;
    }
    return fd;
}

int net_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

char *net_peer_name(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (sa->sa_family == AF_UNIX)
        return g_strdup("localhost/");
    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return g_strdup("unknown/");
    return g_strdup_printf("%s/%s", host, serv);
}

/* ------------------------------------------------------------ IP */

static const struct sockaddr_in6 *sin6_of(const struct net_addr *a)
{
    return (const struct sockaddr_in6 *)&a->ss;
}

/* "[v6]" as written in URLs; getaddrinfo wants the bare address. */
static char *host_unbracket(const char *host)
{
    size_t n;

    if (host == NULL)
        return NULL;
    n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
        return g_strndup(host + 1, n - 2);
    return g_strdup(host);
}

int net_resolve(const char *host, int port, int family, int socktype, int flags,
                GArray **addrs)
{
    g_autofree char *name = host_unbracket(host);
    struct addrinfo hints = {0}, *res;
    char service[16];
    int r;

    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_flags = flags;
    snprintf(service, sizeof(service), "%d", port);
    r = getaddrinfo(name, service, &hints, &res);
    if (r != 0)
        return r;
    *addrs = g_array_new(FALSE, TRUE, sizeof(struct net_addr));
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        struct net_addr a = {0};

        if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
            ai->ai_addrlen > sizeof(a.ss))
            continue;
        memcpy(&a.ss, ai->ai_addr, ai->ai_addrlen);
        a.len = ai->ai_addrlen;
        g_array_append_val(*addrs, a);
    }
    freeaddrinfo(res);
    if ((*addrs)->len > 0)
        return 0;
    g_clear_pointer(addrs, g_array_unref);
    return EAI_NONAME;
}

unsigned net_iface_index(const char *name)
{
    return name != NULL ? if_nametoindex(name) : 0;
}

const char *net_iface_name(unsigned index, char buf[IF_NAMESIZE])
{
    if (index == 0 || if_indextoname(index, buf) == NULL)
        g_strlcpy(buf, "?", IF_NAMESIZE);
    return buf;
}

typedef bool (*iface_filter)(const struct ifaddrs *ifa, const void *arg);

static gint iface_cmp(gconstpointer a, gconstpointer b)
{
    const struct net_iface *x = a, *y = b;

    return x->index < y->index ? -1 : x->index > y->index;
}

static bool iface_listed(const GArray *list, unsigned index)
{
    for (guint i = 0; i < list->len; i++)
        if (g_array_index(list, struct net_iface, i).index == index)
            return true;
    return false;
}

/* The interfaces having at least one address that filter accepts. */
static GArray *collect_ifaces(iface_filter filter, const void *arg)
{
    GArray *list = g_array_new(FALSE, TRUE, sizeof(struct net_iface));
    struct ifaddrs *all = NULL;

    if (getifaddrs(&all) != 0)
        return list;
    for (struct ifaddrs *ifa = all; ifa != NULL; ifa = ifa->ifa_next) {
        struct net_iface it = {0};

        if (ifa->ifa_addr == NULL || !filter(ifa, arg))
            continue;
        it.index = if_nametoindex(ifa->ifa_name);
        if (it.index == 0 || iface_listed(list, it.index))
            continue;
        g_strlcpy(it.name, ifa->ifa_name, sizeof(it.name));
        g_array_append_val(list, it);
    }
    freeifaddrs(all);
    g_array_sort(list, iface_cmp);
    return list;
}

struct mcast_filter {
    int family;
    const char *only;
};

static bool is_multicast_iface(const struct ifaddrs *ifa, const void *arg)
{
    const struct mcast_filter *f = arg;

    if (ifa->ifa_addr->sa_family != f->family || !(ifa->ifa_flags & IFF_UP))
        return false;
    if (f->only != NULL)
        return strcmp(ifa->ifa_name, f->only) == 0;
    return (ifa->ifa_flags & IFF_MULTICAST) != 0;
}

GArray *net_multicast_ifaces(int family, const char *only)
{
    struct mcast_filter f = {family, only};

    return collect_ifaces(is_multicast_iface, &f);
}

static bool has_linklocal6(const struct ifaddrs *ifa, const void *arg)
{
    const struct sockaddr_in6 *s6 = (const void *)ifa->ifa_addr;

    return ifa->ifa_addr->sa_family == AF_INET6 && (ifa->ifa_flags & IFF_UP) &&
           !(ifa->ifa_flags & IFF_LOOPBACK) &&
           IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr);
}

static bool has_address6(const struct ifaddrs *ifa, const void *arg)
{
    const struct sockaddr_in6 *s6 = (const void *)ifa->ifa_addr;

    return ifa->ifa_addr->sa_family == AF_INET6 &&
           IN6_ARE_ADDR_EQUAL(&s6->sin6_addr, (const struct in6_addr *)arg);
}

/* The interface that owns addr on this host, 0 if none. */
static unsigned owner_scope(const struct in6_addr *addr)
{
    g_autoptr(GArray) owners = collect_ifaces(has_address6, addr);

    return owners->len > 0 ? g_array_index(owners, struct net_iface, 0).index
                           : 0;
}

static bool is_unscoped_linklocal(const struct net_addr *a)
{
    return a->ss.ss_family == AF_INET6 &&
           IN6_IS_ADDR_LINKLOCAL(&sin6_of(a)->sin6_addr) &&
           sin6_of(a)->sin6_scope_id == 0;
}

static void set_scope(struct net_addr *a, unsigned scope)
{
    ((struct sockaddr_in6 *)&a->ss)->sin6_scope_id = scope;
}

/* Appends a, scoped by the interfaces that could reach it. */
static void append_scoped(GArray *out, struct net_addr a, unsigned iface,
                          int group)
{
    g_autoptr(GArray) cands = NULL;
    unsigned scope = iface ? iface : owner_scope(&sin6_of(&a)->sin6_addr);

    if (scope == 0)
        cands = collect_ifaces(has_linklocal6, NULL);
    if (cands == NULL || cands->len == 0) {
        set_scope(&a, scope); /* still 0: connect() will say EINVAL */
        g_array_append_val(out, a);
        return;
    }
    a.group = group;
    for (guint i = 0; i < cands->len; i++) {
        set_scope(&a, g_array_index(cands, struct net_iface, i).index);
        g_array_append_val(out, a);
    }
}

void net_expand_scopes(GArray *addrs, unsigned iface)
{
    g_autoptr(GArray) out = g_array_new(FALSE, TRUE, sizeof(struct net_addr));

    for (guint i = 0; i < addrs->len; i++) {
        struct net_addr a = g_array_index(addrs, struct net_addr, i);

        if (is_unscoped_linklocal(&a))
            append_scoped(out, a, iface, (int)i + 1);
        else
            g_array_append_val(out, a);
    }
    g_array_set_size(addrs, 0);
    g_array_append_vals(addrs, out->data, out->len);
}

char *net_addr_host(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST];

    if (getnameinfo(sa, len, host, sizeof(host), NULL, 0, NI_NUMERICHOST) != 0)
        return g_strdup("?");
    return g_strdup(host);
}

int net_addr_port(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
    return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

bool net_addr_is_wildcard(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_UNSPECIFIED(
            &((const struct sockaddr_in6 *)sa)->sin6_addr);
    return sa->sa_family == AF_INET &&
           ((const struct sockaddr_in *)sa)->sin_addr.s_addr ==
               htonl(INADDR_ANY);
}

bool net_addr_is_node_local(const struct sockaddr *sa)
{
    return sa->sa_family == AF_INET6 &&
           IN6_IS_ADDR_MC_NODELOCAL(
               &((const struct sockaddr_in6 *)sa)->sin6_addr);
}

static int set_int_opt(int fd, int level, int name, int value)
{
    return setsockopt(fd, level, name, &value, sizeof(value)) < 0 ? -errno : 0;
}

/* Starts a non-blocking connect: 0 connected, 1 in progress, or -errno
 * (*fd is then -1). */
static int connect_start(const struct net_addr *a, int *fd)
{
    int r;

    *fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
                 IPPROTO_TCP);
    if (*fd < 0)
        return -errno;
    if (connect(*fd, (const struct sockaddr *)&a->ss, a->len) == 0)
        return 0;
    if (errno == EINPROGRESS)
        return 1;
    r = -errno;
    close(*fd);
    *fd = -1;
    return r;
}

/* Result of a connect in progress that poll reported: 0 or -errno. */
static int connect_result(int fd)
{
    int err = 0;
    socklen_t len = sizeof(err);

    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        return -errno;
    return -err;
}

/* Waits for the pending connects of pfd until one succeeds; returns its
 * position, or -1 with *last set to the last failure. */
static int connect_wait(struct pollfd *pfd, size_t n, int pending, int *last)
{
    while (pending > 0) {
        if (poll(pfd, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            *last = -errno;
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            if (pfd[i].fd < 0 || pfd[i].revents == 0)
                continue;
            *last = connect_result(pfd[i].fd);
            if (*last == 0)
                return (int)i;
            close(pfd[i].fd);
            pfd[i].fd = -1;
            pending--;
        }
    }
    return -1;
}

/* Connects to the n addresses at once; the first to succeed wins. */
static int connect_group(const struct net_addr *a, size_t n)
{
    g_autofree struct pollfd *pfd = g_new0(struct pollfd, n);
    int last = -ECONNREFUSED, pending = 0, winner = -1, fd;

    for (size_t i = 0; i < n && winner < 0; i++) {
        int r = connect_start(&a[i], &pfd[i].fd);

        pfd[i].events = POLLOUT;
        if (r == 0)
            winner = (int)i;
        else if (r > 0)
            pending++;
        else
            last = r;
    }
    if (winner < 0)
        winner = connect_wait(pfd, n, pending, &last);
    for (size_t i = 0; i < n; i++)
        if (pfd[i].fd >= 0 && (int)i != winner)
            close(pfd[i].fd);
    if (winner < 0)
        return last;
    fd = pfd[winner].fd;
    /* The client talks with blocking calls and poll timeouts. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    set_int_opt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
    return fd;
}

int net_tcp_connect(const GArray *addrs)
{
    const struct net_addr *a = (const struct net_addr *)addrs->data;
    int r = -ECONNREFUSED;

    for (guint i = 0; i < addrs->len;) {
        guint n = 1;

        while (a[i].group > 0 && i + n < addrs->len &&
               a[i + n].group == a[i].group)
            n++;
        r = connect_group(&a[i], n);
        if (r >= 0)
            return r;
        i += n;
    }
    return r;
}

static void describe_failure(GString *why, const struct net_addr *a, int err)
{
    g_autofree char *host = NULL;

    if (why == NULL)
        return;
    host = net_addr_host((const struct sockaddr *)&a->ss, a->len);
    g_string_append_printf(why, "%s%s port %d: %s", why->len ? "; " : "", host,
                           net_addr_port((const struct sockaddr *)&a->ss),
                           g_strerror(err));
}

/* Binds (and listens on) one address: the fd or -errno. */
static int listen_one(const struct net_addr *a, int backlog, bool do_listen)
{
    int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    IPPROTO_TCP);
    int r;

    if (fd < 0)
        return -errno;
    set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
    /* "::" serves IPv4 clients too, whatever net.ipv6.bindv6only says. */
    if (a->ss.ss_family == AF_INET6 &&
        net_addr_is_wildcard((const struct sockaddr *)&a->ss))
        set_int_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0);
    if (bind(fd, (const struct sockaddr *)&a->ss, a->len) < 0 ||
        (do_listen && listen(fd, backlog) < 0)) {
        r = -errno;
        close(fd);
        return r;
    }
    return fd;
}

int net_tcp_listen(const GArray *addrs, int backlog, bool do_listen,
                   GString *why)
{
    int r = -EADDRNOTAVAIL;

    for (guint i = 0; i < addrs->len; i++) {
        const struct net_addr *a = &g_array_index(addrs, struct net_addr, i);

        r = listen_one(a, backlog, do_listen);
        if (r >= 0) {
            if (!do_listen) {
                close(r);
                return 0;
            }
            return r;
        }
        describe_failure(why, a, -r);
        if (r == -EADDRINUSE)
            return r;
    }
    return r;
}

static void wildcard(int family, struct net_addr *a, int port)
{
    memset(a, 0, sizeof(*a));
    if (family == AF_INET6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ss;

        s6->sin6_family = AF_INET6;
        s6->sin6_addr = in6addr_any;
        s6->sin6_port = htons((uint16_t)port);
        a->len = sizeof(*s6);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;

        s4->sin_family = AF_INET;
        s4->sin_addr.s_addr = htonl(INADDR_ANY);
        s4->sin_port = htons((uint16_t)port);
        a->len = sizeof(*s4);
    }
}

int net_tcp_listen_any(int family, int backlog, int *port)
{
    struct net_addr a;
    int fd;

    wildcard(family, &a, 0);
    fd = listen_one(&a, backlog, true);
    if (fd < 0)
        return fd;
    a.len = sizeof(a.ss);
    if (getsockname(fd, (struct sockaddr *)&a.ss, &a.len) < 0) {
        int r = -errno;
        close(fd);
        return r;
    }
    *port = net_addr_port((struct sockaddr *)&a.ss);
    return fd;
}

int net_udp_socket(int family, int port, bool nonblock)
{
    struct net_addr a;
    int fd, r;

    fd = socket(family,
                SOCK_DGRAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0),
                IPPROTO_UDP);
    if (fd < 0)
        return -errno;
    wildcard(family, &a, port);
    set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
    if (family == AF_INET6) {
        set_int_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
        r = set_int_opt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
    } else {
        r = set_int_opt(fd, IPPROTO_IP, IP_PKTINFO, 1);
    }
    if (r == 0 && bind(fd, (struct sockaddr *)&a.ss, a.len) < 0)
        r = -errno;
    if (r < 0) {
        close(fd);
        return r;
    }
    return fd;
}

int net_mcast_join(int fd, const struct sockaddr *group, unsigned ifindex)
{
    if (group->sa_family == AF_INET6) {
        struct ipv6_mreq m = {0};

        m.ipv6mr_multiaddr = ((const struct sockaddr_in6 *)group)->sin6_addr;
        m.ipv6mr_interface = ifindex;
        return setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m,
                          sizeof(m)) < 0
                   ? -errno
                   : 0;
    } else {
        struct ip_mreqn m = {0};

        m.imr_multiaddr = ((const struct sockaddr_in *)group)->sin_addr;
        m.imr_ifindex = (int)ifindex;
        return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)) < 0
                   ? -errno
                   : 0;
    }
}

int net_mcast_join_all(int fd, const struct sockaddr *group, const char *iface)
{
    g_autoptr(GArray) ifaces = net_multicast_ifaces(group->sa_family, iface);
    int joined = 0, last = -ENODEV;

    for (guint i = 0; i < ifaces->len; i++) {
        int r = net_mcast_join(
            fd, group, g_array_index(ifaces, struct net_iface, i).index);
        if (r == 0)
            joined++;
        else
            last = r;
    }
    if (joined == 0 && iface == NULL &&
        (last = net_mcast_join(fd, group, 0)) == 0)
        joined = 1;
    return joined > 0 ? joined : last;
}

int net_mcast_set_iface(int fd, int family, unsigned ifindex)
{
    struct ip_mreqn m = {0};

    if (family == AF_INET6)
        return set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, (int)ifindex);
    m.imr_ifindex = (int)ifindex;
    return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m)) < 0
               ? -errno
               : 0;
}

int net_mcast_set_hops(int fd, int family, int hops)
{
    hops = CLAMP(hops, 1, 255);
    if (family == AF_INET6)
        return set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, hops);
    return set_int_opt(fd, IPPROTO_IP, IP_MULTICAST_TTL, hops);
}

static unsigned pktinfo_ifindex(struct msghdr *mh)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL;
         c = CMSG_NXTHDR(mh, c)) {
        if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo pi;

            memcpy(&pi, CMSG_DATA(c), sizeof(pi));
            return pi.ipi6_ifindex;
        }
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pi;

            memcpy(&pi, CMSG_DATA(c), sizeof(pi));
            return (unsigned)pi.ipi_ifindex;
        }
    }
    return 0;
}

ssize_t net_recv_from(int fd, void *buf, size_t len, struct net_addr *from,
                      unsigned *ifindex, bool *truncated)
{
    union {
        char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
                 CMSG_SPACE(sizeof(struct in_pktinfo))];
        struct cmsghdr align;
    } control;
    struct iovec iov = {buf, len};
    struct msghdr mh = {0};
    ssize_t n;
    unsigned index;

    memset(from, 0, sizeof(*from));
    mh.msg_name = &from->ss;
    mh.msg_namelen = sizeof(from->ss);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = control.buf;
    mh.msg_controllen = sizeof(control.buf);
    n = recvmsg(fd, &mh, MSG_TRUNC);
    if (n < 0)
        return -errno;
    from->len = mh.msg_namelen;
    index = pktinfo_ifindex(&mh);
    if (is_unscoped_linklocal(from))
        set_scope(from, index);
    if (ifindex != NULL)
        *ifindex = index;
    if (truncated != NULL)
        *truncated = (size_t)n > len;
    return MIN(n, (ssize_t)len);
}

void net_addr_set_port(struct net_addr *a, int port)
{
    if (a->ss.ss_family == AF_INET6)
        ((struct sockaddr_in6 *)&a->ss)->sin6_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in *)&a->ss)->sin_port = htons((uint16_t)port);
}

int net_mcast_probe_open(struct net_mcast_probe *p,
                         const struct net_addr *group, const char *iface,
                         int hops)
{
    int family = group->ss.ss_family, r;

    memset(p, 0, sizeof(*p));
    p->group = *group;
    p->fd = net_udp_socket(family, 0, false);
    if (p->fd < 0)
        return p->fd;
    r = net_mcast_set_hops(p->fd, family, hops);
    if (r < 0) {
        net_mcast_probe_close(p);
        return r;
    }
    p->ifaces = net_multicast_ifaces(family, iface);
    return 0;
}

int net_mcast_probe_send(struct net_mcast_probe *p, const void *buf, size_t len)
{
    const struct sockaddr *to = (const struct sockaddr *)&p->group.ss;
    guint n = MAX(p->ifaces->len, 1);
    int last = 0, sent = 0;

    for (guint i = 0; i < n; i++) {
        unsigned index =
            p->ifaces->len ? g_array_index(p->ifaces, struct net_iface, i).index
                           : 0;

        last = net_mcast_set_iface(p->fd, to->sa_family, index);
        if (last == 0 && sendto(p->fd, buf, len, 0, to, p->group.len) < 0)
            last = -errno;
        if (last == 0)
            sent++;
    }
    return sent > 0 ? 0 : last;
}

static gint64 now_ms(void)
{
    return g_get_monotonic_time() / 1000;
}

ssize_t net_mcast_probe_recv(struct net_mcast_probe *p, void *buf, size_t len,
                             int timeout_ms, struct net_addr *from,
                             unsigned *ifindex)
{
    gint64 deadline = now_ms() + timeout_ms;

    for (;;) {
        struct pollfd pfd = {p->fd, POLLIN, 0};
        int wait = timeout_ms < 0 ? -1 : (int)MAX(deadline - now_ms(), 0);
        int r = poll(&pfd, 1, wait);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            return -ETIMEDOUT;
        return net_recv_from(p->fd, buf, len, from, ifindex, NULL);
    }
}

char *net_mcast_probe_ifaces(const struct net_mcast_probe *p)
{
    GString *names = g_string_new(NULL);

    for (guint i = 0; i < p->ifaces->len; i++)
        g_string_append_printf(
            names, "%s%s", i ? ", " : "",
            g_array_index(p->ifaces, struct net_iface, i).name);
    if (names->len == 0)
        g_string_append(names, "the default interface");
    return g_string_free(names, FALSE);
}

void net_mcast_probe_close(struct net_mcast_probe *p)
{
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
    g_clear_pointer(&p->ifaces, g_array_unref);
}

int net_interface_ipv6_check(const char *name)
{
    struct ifaddrs *list = NULL;
    bool found = false;

    if (getifaddrs(&list) != 0)
        return FLOM_RC_GETIFADDRS_ERROR;
    for (struct ifaddrs *ifa = list; ifa != NULL && !found; ifa = ifa->ifa_next)
        found = ifa->ifa_addr != NULL && ifa->ifa_addr->sa_family == AF_INET6 &&
                strcmp(ifa->ifa_name, name) == 0;
    freeifaddrs(list);
    return found ? FLOM_RC_OK : FLOM_RC_INVALID_IPV6_NETWORK_INTERFACE;
}
