/*
 * Socket helpers shared by the client and the daemon. Every socket made
 * here is close-on-exec; the daemon's are non-blocking as well.
 * Functions return a file descriptor or a negative errno.
 */
#ifndef FLOM_NET_H
#define FLOM_NET_H

#include <glib.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Connects a blocking UNIX stream socket to path. */
int net_unix_connect(const char *path);

/* Binds and listens on a non-blocking UNIX stream socket at path (a stale
 * socket file must already be gone). mode, when not 0, is applied to the
 * socket file atomically (through the umask at bind time). */
int net_unix_listen(const char *path, mode_t mode, int backlog);

/* Claims name in the abstract UNIX namespace of this network namespace:
 * a mutex between processes that needs no file and is released when its
 * holder dies. Returns the fd that holds it, -EADDRINUSE if taken, or
 * -errno. */
int net_abstract_claim(const char *name);

/* Sends all of buf on a blocking socket (MSG_NOSIGNAL). 0 or -errno. */
int net_send_all(int fd, const void *buf, size_t len);

/* "host/port" for a peer address, "localhost/" for AF_UNIX (as FLoM's
 * peer names). Returns a new string. */
char *net_peer_name(const struct sockaddr *sa, socklen_t len);

/* ------------------------------------------------------------ IP */

/* One socket address. group > 0 marks link-local candidates of one
 * unscoped address, one per interface: connect them in parallel and keep
 * the first that answers (see net_expand_scopes). */
struct net_addr {
    struct sockaddr_storage ss;
    socklen_t len;
    int group;
};

/* A network interface. */
struct net_iface {
    unsigned index;
    char name[IF_NAMESIZE];
};

/* Resolves host ("[v6]" brackets and "%zone" suffixes accepted) and port
 * into a new GArray of struct net_addr. family: AF_UNSPEC, AF_INET or
 * AF_INET6; flags: AI_* (AI_PASSIVE with a NULL host gives the wildcard).
 * Returns 0 or an EAI_* code (gai_strerror). */
int net_resolve(const char *host, int port, int family, int socktype, int flags,
                GArray **addrs);

/* Gives every unscoped IPv6 link-local address a scope: iface's when it
 * is not 0; else the interface that owns the address, if it is ours; else
 * one copy per up interface having a link-local address (a group, see
 * struct net_addr): the caller need not guess the interface. */
void net_expand_scopes(GArray *addrs, unsigned iface);

/* Interface index of name, 0 if name is NULL or unknown. */
unsigned net_iface_index(const char *name);
/* Name of an interface index ("?" if unknown), in buf. */
const char *net_iface_name(unsigned index, char buf[IF_NAMESIZE]);
/* The up, multicast-capable interfaces having an address of family (or
 * only the one named only, if not NULL), as a new GArray of struct
 * net_iface, in index order. */
GArray *net_multicast_ifaces(int family, const char *only);

/* Numeric "host" (with "%zone" for scoped IPv6) of an address. New
 * string. */
char *net_addr_host(const struct sockaddr *sa, socklen_t len);
/* Port of an IPv4/IPv6 address. */
int net_addr_port(const struct sockaddr *sa);
/* True for 0.0.0.0 and ::. */
bool net_addr_is_wildcard(const struct sockaddr *sa);
/* True for an IPv6 multicast group of interface-local scope (ff01::/16),
 * which never leaves the host. */
bool net_addr_is_node_local(const struct sockaddr *sa);

/* Connects a blocking TCP socket to the first address that accepts, in
 * order (the members of a group in parallel), and sets TCP_NODELAY.
 * Returns the fd or the -errno of the last failure. */
int net_tcp_connect(const GArray *addrs);

/* Binds a non-blocking TCP socket (SO_REUSEADDR) to the first address of
 * addrs that can be bound and listens on it, or only checks that it could
 * (do_listen false: the socket is closed and 0 returned). Returns the fd,
 * -EADDRINUSE as soon as an address is taken (another daemon is likely
 * there: binding a later one would split the clients), or the -errno of
 * the last failure; why (may be NULL) then tells which address failed and
 * how. */
int net_tcp_listen(const GArray *addrs, int backlog, bool do_listen,
                   GString *why);
/* Listens on the wildcard address of family (IPv6: dual stack) and an
 * ephemeral port, stored in *port. Returns the fd or -errno. */
int net_tcp_listen_any(int family, int backlog, int *port);

/* A UDP socket of family bound to the wildcard address and port (0:
 * ephemeral), SO_REUSEADDR, close-on-exec, non-blocking if asked, and
 * reporting the arrival interface (net_recv_from). fd or -errno. */
int net_udp_socket(int family, int port, bool nonblock);
/* Joins group on interface ifindex (0: the kernel's choice). 0 or -errno. */
int net_mcast_join(int fd, const struct sockaddr *group, unsigned ifindex);
/* Joins group on every up multicast interface (or only on iface), or
 * on the kernel's choice when there is none (a host with only a
 * loopback). Returns how many joins worked, or -errno when none did. */
int net_mcast_join_all(int fd, const struct sockaddr *group, const char *iface);
/* Sets the outgoing interface (0: the kernel's choice). 0 or -errno. */
int net_mcast_set_iface(int fd, int family, unsigned ifindex);
/* Sets the multicast TTL / hop limit. 0 or -errno. */
int net_mcast_set_hops(int fd, int family, int hops);
/* Receives one datagram: its length or -errno; from, its source, with
 * the scope of the arrival interface for IPv6 link-local sources; *ifindex
 * (may be NULL) the arrival interface; *truncated whether it was longer
 * than len. */
ssize_t net_recv_from(int fd, void *buf, size_t len, struct net_addr *from,
                      unsigned *ifindex, bool *truncated);
/* Sets the port of an IPv4/IPv6 address. */
void net_addr_set_port(struct net_addr *a, int port);

/* The asking end of a multicast exchange (discovery, the debug client):
 * one socket on an ephemeral port, and the interfaces to ask on. FLoM
 * asks on the kernel's default interface only, so a daemon behind
 * another interface was never found: we ask on every up multicast
 * interface (or only on the configured one). */
struct net_mcast_probe {
    int fd;
    struct net_addr group;
    GArray *ifaces; /* struct net_iface; empty: the kernel's choice */
};

/* Opens p for group (a resolved address with its port); iface: NULL or
 * the only interface to use; hops: the TTL / hop limit. 0 or -errno. */
int net_mcast_probe_open(struct net_mcast_probe *p,
                         const struct net_addr *group, const char *iface,
                         int hops);
/* Sends buf to the group on every interface of p. 0 when at least one
 * send worked, else the -errno of the last failure. */
int net_mcast_probe_send(struct net_mcast_probe *p, const void *buf,
                         size_t len);
/* Waits at most timeout_ms (< 0: forever) for one datagram; as
 * net_recv_from, or -ETIMEDOUT. */
ssize_t net_mcast_probe_recv(struct net_mcast_probe *p, void *buf, size_t len,
                             int timeout_ms, struct net_addr *from,
                             unsigned *ifindex);
/* The names of the interfaces of p, "a, b" ("the default interface" when
 * none). New string. */
char *net_mcast_probe_ifaces(const struct net_mcast_probe *p);
void net_mcast_probe_close(struct net_mcast_probe *p);

/* Whether interface name has an IPv6 address (-n and the API setter):
 * FLOM_RC_OK, FLOM_RC_INVALID_IPV6_NETWORK_INTERFACE, or
 * FLOM_RC_GETIFADDRS_ERROR. */
int net_interface_ipv6_check(const char *name);

#endif
