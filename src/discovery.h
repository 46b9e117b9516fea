/*
 * The daemon's answer to multicast discovery (spec §5.7, §6.4): a UDP
 * socket on the multicast port, joined to the group on every up multicast
 * interface (FLoM joined on one interface, chosen by the routing table),
 * answering each discover/8 with the daemon's TCP address and port. A bad
 * or foreign datagram is ignored and logged (FLoM closed its listener).
 * The client side of discovery is in client.c.
 */
#ifndef FLOM_DISCOVERY_H
#define FLOM_DISCOVERY_H

#include <systemd/sd-event.h>

#include "config.h"

struct discovery;

/* Starts answering on cfg's multicast group and port, advertising address
 * (the configured unicast address string, "" for a daemon on the wildcard
 * address) and the daemon's TCP port. Returns NULL with *rc set to a
 * FLOM_RC_* when the group cannot be joined. */
struct discovery *discovery_new(sd_event *event, const struct flom_config *cfg,
                                const char *address, int port, int *rc);
/* Stops answering. NULL is fine. */
void discovery_free(struct discovery *disc);

/* The address family of cfg's multicast group (AF_INET6 with -n), or
 * AF_UNSPEC if it does not resolve. */
int discovery_family(const struct flom_config *cfg);

#endif
