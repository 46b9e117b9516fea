/*
 * flom - free lock manager
 * The handle of the C API (libflom): its states, its public struct, and the
 * functions that lock, unlock and configure it. Names, values, return
 * codes and state rules are those of FLoM 1.7.2, so programs written for
 * FLoM compile and behave the same (see libflom(3)).
 *
 * Differences from FLoM 1.7.2, none of which a correct FLoM program can
 * notice:
 *  - flom_handle_get_locked_element() is an ordinary exported function, so
 *    including <flom.h> from several translation units links cleanly;
 *  - TLS is not built into flom yet: a lock with certificate, private key
 *    and CA certificate all set connects, then fails with
 *    FLOM_RC_NO_VALID_TLS_METHOD (-413), the error a FLoM client gets when
 *    it cannot set up TLS; the handle state does not change;
 *  - when the unlock message cannot be sent because the daemon is gone,
 *    flom_handle_unlock() still disconnects (state DISCONNECTED) and
 *    returns the error, so the handle can always be cleaned;
 *  - flom_handle_delete() also releases a CONNECTED handle.
 */
#ifndef FLOM_HANDLE_H
#define FLOM_HANDLE_H

#include "flom_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The values are FLoM's; they never collide with FLOM_RC_* codes. */
typedef enum flom_handle_state_e {
    FLOM_HANDLE_STATE_INIT = 22,
    FLOM_HANDLE_STATE_CONNECTED = 23,
    FLOM_HANDLE_STATE_LOCKED = 24,
    FLOM_HANDLE_STATE_DISCONNECTED = 25,
    FLOM_HANDLE_STATE_CLEANED = 26
} flom_handle_state_t;

/* Public so that programs can allocate it statically; the members are
 * managed by the functions below and must not be changed by hand. */
typedef struct flom_handle_s {
    flom_handle_state_t state;
    void *conn;           /* connection to the daemon */
    void *config;         /* this handle's configuration */
    char *locked_element; /* element of the last granted lock, or NULL */
} flom_handle_t;

/* ----------------------------------------------------------- life cycle */

/* Initialises a caller-allocated handle (state INIT) with the configuration
 * of the system file and ~/.flom. The API never starts a daemon. */
int flom_handle_init(flom_handle_t *handle);
/* Releases what flom_handle_init allocated (unlocking first when LOCKED);
 * state CLEANED. FLOM_RC_API_INVALID_SEQUENCE from CONNECTED. */
int flom_handle_clean(flom_handle_t *handle);
/* Allocates and initialises a handle; NULL on failure. */
flom_handle_t *flom_handle_new(void);
/* Cleans and frees a handle from flom_handle_new; NULL is a no-op. */
void flom_handle_delete(flom_handle_t *handle);

/* Connects (if not CONNECTED) and locks the configured resource. Returns
 * FLOM_RC_OK (state LOCKED), FLOM_RC_LOCK_BUSY, FLOM_RC_LOCK_CANT_WAIT,
 * FLOM_RC_LOCK_IMPOSSIBLE, FLOM_RC_NETWORK_TIMEOUT (state CONNECTED) or an
 * error (FLOM_RC_CONNECT_ERROR when no daemon answers). */
int flom_handle_lock(flom_handle_t *handle);
/* Unlocks (when LOCKED) and disconnects: state DISCONNECTED. */
int flom_handle_unlock(flom_handle_t *handle);
/* As flom_handle_unlock, asking a transactional sequence (_S_) to take the
 * value back; FLOM_RC_RESOURCE_IS_NOT_TRANSACTIONAL (after a normal unlock)
 * for any other resource. */
int flom_handle_unlock_rollback(flom_handle_t *handle);
/* The element of the last granted lock (set element, sequence value,
 * timestamp) or NULL; valid until unlock or clean. */
const char *flom_handle_get_locked_element(const flom_handle_t *handle);

/* ----------------------------------------------------------- properties */

/* Getters never fail. Setters return FLOM_RC_OK, or
 * FLOM_RC_API_IMMUTABLE_HANDLE in a state where the property is frozen
 * (see libflom(3) for the states and normalisations of each one). */

int flom_handle_get_discovery_attempts(const flom_handle_t *handle);
int flom_handle_set_discovery_attempts(flom_handle_t *handle, int value);
int flom_handle_get_discovery_timeout(const flom_handle_t *handle);
int flom_handle_set_discovery_timeout(flom_handle_t *handle, int value);
int flom_handle_get_discovery_ttl(const flom_handle_t *handle);
int flom_handle_set_discovery_ttl(flom_handle_t *handle, int value);

flom_lock_mode_t flom_handle_get_lock_mode(const flom_handle_t *handle);
int flom_handle_set_lock_mode(flom_handle_t *handle, flom_lock_mode_t value);

const char *flom_handle_get_multicast_address(const flom_handle_t *handle);
int flom_handle_set_multicast_address(flom_handle_t *handle, const char *value);
int flom_handle_get_multicast_port(const flom_handle_t *handle);
int flom_handle_set_multicast_port(flom_handle_t *handle, int value);

const char *flom_handle_get_network_interface(const flom_handle_t *handle);
int flom_handle_set_network_interface(flom_handle_t *handle, const char *value);

int flom_handle_get_resource_create(const flom_handle_t *handle);
int flom_handle_set_resource_create(flom_handle_t *handle, int value);
int flom_handle_get_resource_idle_lifespan(const flom_handle_t *handle);
int flom_handle_set_resource_idle_lifespan(flom_handle_t *handle, int value);
const char *flom_handle_get_resource_name(const flom_handle_t *handle);
int flom_handle_set_resource_name(flom_handle_t *handle, const char *value);
int flom_handle_get_resource_quantity(const flom_handle_t *handle);
int flom_handle_set_resource_quantity(flom_handle_t *handle, int value);
int flom_handle_get_resource_timeout(const flom_handle_t *handle);
int flom_handle_set_resource_timeout(flom_handle_t *handle, int value);

const char *flom_handle_get_socket_name(const flom_handle_t *handle);
int flom_handle_set_socket_name(flom_handle_t *handle, const char *value);

const char *flom_handle_get_trace_filename(const flom_handle_t *handle);
int flom_handle_set_trace_filename(flom_handle_t *handle, const char *value);

const char *flom_handle_get_unicast_address(const flom_handle_t *handle);
int flom_handle_set_unicast_address(flom_handle_t *handle, const char *value);
int flom_handle_get_unicast_port(const flom_handle_t *handle);
int flom_handle_set_unicast_port(flom_handle_t *handle, int value);

const char *flom_handle_get_tls_certificate(const flom_handle_t *handle);
int flom_handle_set_tls_certificate(flom_handle_t *handle, const char *value);
const char *flom_handle_get_tls_private_key(const flom_handle_t *handle);
int flom_handle_set_tls_private_key(flom_handle_t *handle, const char *value);
const char *flom_handle_get_tls_ca_certificate(const flom_handle_t *handle);
int flom_handle_set_tls_ca_certificate(flom_handle_t *handle,
                                       const char *value);
int flom_handle_get_tls_check_peer_id(const flom_handle_t *handle);
int flom_handle_set_tls_check_peer_id(flom_handle_t *handle, int value);

#ifdef __cplusplus
}
#endif

#endif
