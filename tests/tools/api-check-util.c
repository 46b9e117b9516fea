/*
 * api-check: output helpers (see api-check.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "api-check.h"

void say_int(const char *key, int value)
{
    printf("%s=%d\n", key, value);
    fflush(stdout);
}

/* NULL is printed as FLoM's own test programs show it with glibc. */
void say_str(const char *key, const char *value)
{
    printf("%s=%s\n", key, value != NULL ? value : "(null)");
    fflush(stdout);
}

void say_call(const char *key, int rc, const flom_handle_t *h)
{
    printf("%s.rc=%d\n%s.state=%d\n", key, rc, key,
           h != NULL ? (int)h->state : -1);
    fflush(stdout);
}

static void say_prop_int(const char *prefix, const char *name, int value)
{
    printf("%s.%s=%d\n", prefix, name, value);
}

static void say_prop_str(const char *prefix, const char *name,
                         const char *value)
{
    printf("%s.%s=%s\n", prefix, name, value != NULL ? value : "(null)");
}

void say_properties(const char *p, const flom_handle_t *h)
{
    say_prop_int(p, "discovery_attempts",
                 flom_handle_get_discovery_attempts(h));
    say_prop_int(p, "discovery_timeout", flom_handle_get_discovery_timeout(h));
    say_prop_int(p, "discovery_ttl", flom_handle_get_discovery_ttl(h));
    say_prop_int(p, "lock_mode", (int)flom_handle_get_lock_mode(h));
    say_prop_str(p, "multicast_address", flom_handle_get_multicast_address(h));
    say_prop_int(p, "multicast_port", flom_handle_get_multicast_port(h));
    say_prop_str(p, "network_interface", flom_handle_get_network_interface(h));
    say_prop_int(p, "resource_create", flom_handle_get_resource_create(h));
    say_prop_int(p, "resource_idle_lifespan",
                 flom_handle_get_resource_idle_lifespan(h));
    say_prop_str(p, "resource_name", flom_handle_get_resource_name(h));
    say_prop_int(p, "resource_quantity", flom_handle_get_resource_quantity(h));
    say_prop_int(p, "resource_timeout", flom_handle_get_resource_timeout(h));
    say_prop_str(p, "socket_name", flom_handle_get_socket_name(h));
    say_prop_str(p, "trace_filename", flom_handle_get_trace_filename(h));
    say_prop_str(p, "unicast_address", flom_handle_get_unicast_address(h));
    say_prop_int(p, "unicast_port", flom_handle_get_unicast_port(h));
    say_prop_str(p, "tls_certificate", flom_handle_get_tls_certificate(h));
    say_prop_str(p, "tls_private_key", flom_handle_get_tls_private_key(h));
    say_prop_str(p, "tls_ca_certificate",
                 flom_handle_get_tls_ca_certificate(h));
    say_prop_int(p, "tls_check_peer_id", flom_handle_get_tls_check_peer_id(h));
    say_prop_str(p, "locked_element", flom_handle_get_locked_element(h));
    fflush(stdout);
}

flom_handle_t *handle_for(const char *resource, int timeout)
{
    const char *sock = getenv("FLOM_API_SOCKET");
    flom_handle_t *h = flom_handle_new();

    if (h == NULL) {
        fprintf(stderr, "api-check: flom_handle_new failed\n");
        exit(2);
    }
    if (sock != NULL)
        flom_handle_set_socket_name(h, sock);
    if (resource != NULL)
        flom_handle_set_resource_name(h, resource);
    flom_handle_set_resource_timeout(h, timeout);
    return h;
}
