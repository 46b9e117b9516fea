/*
 * The public C API, libflom (spec §9): the handle state machine and its
 * properties, over the client of client.c and the configuration of
 * config.c. Functions return FLOM_RC_* codes, as in FLoM 1.7.2.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "client.h"
#include "config.h"
#include "flom.h"
#include "log.h"
#include "names.h"
#include "net.h"

/* What flom_handle_t.config points to. FLoM keeps the create and peer-id
 * flags as the int the caller passed (the getter returns 7 after a setter
 * got 7); struct flom_config holds bools, so the ints live beside it. */
struct api_config {
    struct flom_config cfg;
    int resource_create;
    int tls_check_peer_id;
};

/* Sets of handle states, for the state rules of spec §9.3 and §9.4. */
#define STATE_BIT(s) (1u << ((s)-FLOM_HANDLE_STATE_INIT))
#define S_INIT STATE_BIT(FLOM_HANDLE_STATE_INIT)
#define S_CONNECTED STATE_BIT(FLOM_HANDLE_STATE_CONNECTED)
#define S_LOCKED STATE_BIT(FLOM_HANDLE_STATE_LOCKED)
#define S_DISCONNECTED STATE_BIT(FLOM_HANDLE_STATE_DISCONNECTED)
#define S_CLEANED STATE_BIT(FLOM_HANDLE_STATE_CLEANED)
/* Transport and network properties: frozen while a connection is open. */
#define S_IDLE (S_INIT | S_DISCONNECTED)
/* Lock request properties: may change between two requests. */
#define S_UNLOCKED (S_IDLE | S_CONNECTED)
#define S_ANY (S_UNLOCKED | S_LOCKED | S_CLEANED)

/* The process-wide configuration of spec §9.2, loaded once by the first
 * call that needs it; the mutex also serialises trace redirections, which
 * touch the one trace stream of the process. */
static GMutex api_mutex;
static bool api_ready;
static struct flom_config api_global;

/* What getters see on a handle without configuration (NULL, cleaned):
 * zeros and NULLs rather than a crash. */
static const struct flom_config empty_config;

/* ------------------------------------------------- library initialisation */

static bool tls_complete(const struct flom_config *cfg)
{
    return cfg->tls_certificate != NULL && cfg->tls_private_key != NULL &&
           cfg->tls_ca_certificate != NULL;
}

/* Reports a broken configuration file: a program using the library has no
 * other channel for it, and the rc alone does not name the file. */
static void report_config_error(const GError *error)
{
    fprintf(stderr, "%s\n", error->message);
    TRACE(TRACE_API, "api: configuration not loaded: %s", error->message);
}

/* config_check() tells the flom command's user on stdout; a library leaves
 * stdout to the program, so the two refusals of spec §1.5 are checked here
 * first and reported on stderr, like the file errors above. */
static int check_global_config(struct flom_config *cfg)
{
    bool network =
        cfg->unicast_address != NULL || cfg->multicast_address != NULL;
    const char *refusal = NULL;

    if (cfg->socket_name != NULL && network)
        refusal = "flom can not be configured for local (UNIX socket) and "
                  "network (TCP-UDP/IP) communication at the same time.";
    else if (cfg->tls_check_peer_id && !tls_complete(cfg))
        refusal = "TLS check peer id can not be specified without full TLS "
                  "configuration.";
    if (refusal != NULL) {
        fprintf(stderr, "ERROR: %s\n", refusal);
        return FLOM_RC_INVALID_OPTION;
    }
    /* Only the default socket name and the per-type normalisations are
     * left to it now; it prints nothing but verbose warnings (stderr). */
    return config_check(cfg) == 0 ? FLOM_RC_OK : FLOM_RC_INVALID_OPTION;
}

static int load_global_config(struct flom_config *cfg)
{
    g_autofree char *user_file = config_user_file();
    g_autoptr(GError) error = NULL;
    int rc;

    config_init(cfg);
    /* The API reads no custom file (spec §2.1): only system and user. */
    rc = config_load_file(cfg, config_system_file(), false, &error);
    if (rc == FLOM_RC_OK)
        rc = config_load_file(cfg, user_file, false, &error);
    if (rc != FLOM_RC_OK) {
        report_config_error(error);
        return rc;
    }
    if (cfg->command_trace_file != NULL)
        trace_redirect(cfg->command_trace_file, cfg->append_trace_file);
    return check_global_config(cfg);
}

/* Spec §9.2: once per process; a failure is retried by the next call. */
static int library_init(void)
{
    int rc = FLOM_RC_OK;

    g_mutex_lock(&api_mutex);
    if (!api_ready) {
        (void)trace_mask(); /* FLOM_TRACE_MASK is read at the first call */
        rc = load_global_config(&api_global);
        if (rc == FLOM_RC_OK)
            api_ready = true;
        else
            config_clear(&api_global);
    }
    g_mutex_unlock(&api_mutex);
    return rc;
}

/* ------------------------------------------------------------- helpers */

static bool state_in(flom_handle_state_t state, unsigned states)
{
    if (state < FLOM_HANDLE_STATE_INIT || state > FLOM_HANDLE_STATE_CLEANED)
        return false;
    return (STATE_BIT(state) & states) != 0;
}

static const struct flom_config *get_cfg(const flom_handle_t *handle)
{
    const struct api_config *config = handle != NULL ? handle->config : NULL;

    return config != NULL ? &config->cfg : &empty_config;
}

static const struct api_config *get_api_config(const flom_handle_t *handle)
{
    return handle != NULL ? handle->config : NULL;
}

static void replace_string(char **field, const char *value)
{
    g_free(*field);
    *field = g_strdup(value);
}

/* The configuration a setter may change when the handle is in one of
 * states; NULL with *rc set otherwise (11 for a frozen property). */
static struct api_config *settable(flom_handle_t *handle, unsigned states,
                                   int *rc)
{
    if (handle == NULL) {
        *rc = FLOM_RC_NULL_OBJECT;
        return NULL;
    }
    *rc = library_init();
    if (*rc != FLOM_RC_OK)
        return NULL;
    if (!state_in(handle->state, states) || handle->config == NULL) {
        *rc = FLOM_RC_API_IMMUTABLE_HANDLE;
        return NULL;
    }
    return handle->config;
}

/* Integer properties normalised by config.c's rules (negative -> absolute
 * value, 0 -> 1 where FLoM does so). */
static int set_int_item(flom_handle_t *handle, unsigned states,
                        enum config_item item, int value)
{
    int rc;
    struct api_config *config = settable(handle, states, &rc);

    if (config != NULL)
        rc = config_set_int(&config->cfg, item, value);
    return rc;
}

/* Quantity and idle lifespan: 0 keeps the previous value (FLoM). */
static int set_nonzero_item(flom_handle_t *handle, enum config_item item,
                            int value)
{
    int rc;
    struct api_config *config = settable(handle, S_UNLOCKED, &rc);

    if (config != NULL && value != 0)
        rc = config_set_int(&config->cfg, item, value);
    return rc;
}

/* ----------------------------------------------------------- life cycle */

static void free_members(flom_handle_t *handle)
{
    struct api_config *config = handle->config;

    if (handle->conn != NULL)
        client_clear(handle->conn);
    g_clear_pointer(&handle->conn, g_free);
    if (config != NULL)
        config_clear(&config->cfg);
    g_clear_pointer(&handle->config, g_free);
    g_clear_pointer(&handle->locked_element, g_free);
}

static void copy_global_config(struct api_config *config)
{
    g_mutex_lock(&api_mutex);
    config_copy(&config->cfg, &api_global);
    g_mutex_unlock(&api_mutex);
    /* The API never starts a daemon: a missing one is FLOM_RC_CONNECT_ERROR
     * (spec §4.1). */
    config->cfg.daemon_lifespan = 0;
    config->resource_create = config->cfg.resource_create;
    config->tls_check_peer_id = config->cfg.tls_check_peer_id;
}

int flom_handle_init(flom_handle_t *handle)
{
    struct client *conn;
    struct api_config *config;
    int rc;

    if (handle == NULL)
        return FLOM_RC_NULL_OBJECT;
    rc = library_init();
    if (rc != FLOM_RC_OK)
        return rc;
    memset(handle, 0, sizeof(*handle));
    conn = g_try_new0(struct client, 1);
    config = g_try_new0(struct api_config, 1);
    if (conn == NULL || config == NULL) {
        g_free(conn);
        g_free(config);
        return FLOM_RC_G_TRY_MALLOC_ERROR;
    }
    client_init(conn);
    copy_global_config(config);
    handle->conn = conn;
    handle->config = config;
    handle->state = FLOM_HANDLE_STATE_INIT;
    TRACE(TRACE_API, "api: handle %p initialised", (void *)handle);
    return FLOM_RC_OK;
}

int flom_handle_clean(flom_handle_t *handle)
{
    int rc;

    if (handle == NULL)
        return FLOM_RC_NULL_OBJECT;
    rc = library_init();
    if (rc != FLOM_RC_OK)
        return rc;
    if (handle->state == FLOM_HANDLE_STATE_LOCKED) {
        rc = flom_handle_unlock(handle);
        if (rc != FLOM_RC_OK)
            return rc;
    }
    if (!state_in(handle->state, S_IDLE))
        return FLOM_RC_API_INVALID_SEQUENCE;
    free_members(handle);
    handle->state = FLOM_HANDLE_STATE_CLEANED;
    TRACE(TRACE_API, "api: handle %p cleaned", (void *)handle);
    return FLOM_RC_OK;
}

flom_handle_t *flom_handle_new(void)
{
    flom_handle_t *handle;

    if (library_init() != FLOM_RC_OK)
        return NULL;
    handle = g_try_new0(flom_handle_t, 1);
    if (handle == NULL)
        return NULL;
    if (flom_handle_init(handle) != FLOM_RC_OK) {
        g_free(handle);
        return NULL;
    }
    return handle;
}

void flom_handle_delete(flom_handle_t *handle)
{
    if (handle == NULL || library_init() != FLOM_RC_OK)
        return;
    /* FLoM leaks a CONNECTED handle here (clean refuses it); disconnecting
     * first lets delete always release everything. */
    if (handle->state == FLOM_HANDLE_STATE_CONNECTED ||
        handle->state == FLOM_HANDLE_STATE_LOCKED)
        (void)flom_handle_unlock(handle);
    (void)flom_handle_clean(handle);
    memset(handle, 0, sizeof(*handle));
    g_free(handle);
}

/* ------------------------------------------------------- lock and unlock */

/* Where a FLoM client would now run its TLS handshake (spec §4.1). flom
 * has no TLS yet: with a full TLS configuration the lock fails as a FLoM
 * client that cannot set up TLS does; a peer-id check without TLS fails as
 * in FLoM (spec §9.4). */
static int tls_step(const struct api_config *config)
{
    if (tls_complete(&config->cfg))
        return FLOM_RC_NO_VALID_TLS_METHOD;
    if (config->tls_check_peer_id)
        return FLOM_RC_NO_TLS_CONNECTION;
    return FLOM_RC_OK;
}

static int handle_connect(struct client *conn, const struct api_config *config)
{
    const struct flom_config *cfg = &config->cfg;
    int rc;

    /* All three transports unset (spec §9.4): nothing to connect to. */
    if (cfg->socket_name == NULL && cfg->unicast_address == NULL &&
        cfg->multicast_address == NULL)
        return FLOM_RC_INTERNAL_ERROR;
    rc = client_connect(conn, cfg, NULL);
    if (rc != FLOM_RC_OK)
        return rc;
    rc = tls_step(config);
    if (rc != FLOM_RC_OK)
        client_disconnect(conn);
    return rc;
}

int flom_handle_lock(flom_handle_t *handle)
{
    struct client *conn;
    int rc;

    if (handle == NULL)
        return FLOM_RC_NULL_OBJECT;
    rc = library_init();
    if (rc != FLOM_RC_OK)
        return rc;
    if (!state_in(handle->state, S_UNLOCKED))
        return FLOM_RC_API_INVALID_SEQUENCE;
    if (handle->conn == NULL || handle->config == NULL)
        return FLOM_RC_OBJ_CORRUPTED;
    conn = handle->conn;
    /* From CONNECTED (after a refused lock) FLoM reuses the connection. */
    if (handle->state != FLOM_HANDLE_STATE_CONNECTED) {
        rc = handle_connect(conn, handle->config);
        if (rc != FLOM_RC_OK)
            return rc;
        handle->state = FLOM_HANDLE_STATE_CONNECTED;
    }
    rc = client_lock(conn, get_cfg(handle));
    if (rc == FLOM_RC_OK) {
        g_free(handle->locked_element);
        handle->locked_element = g_steal_pointer(&conn->element);
        handle->state = FLOM_HANDLE_STATE_LOCKED;
    }
    TRACE(TRACE_API, "api: handle %p lock '%s': rc=%d", (void *)handle,
          get_cfg(handle)->resource_name, rc);
    return rc;
}

/* Spec §9.3: unlock when LOCKED, then always a graceful disconnect. A
 * failed unlock (daemon gone, so is the lock) still disconnects, so that
 * the handle can be cleaned; the error is returned. */
static int handle_unlock(flom_handle_t *handle, bool rollback)
{
    int rc;

    if (handle == NULL)
        return FLOM_RC_NULL_OBJECT;
    rc = library_init();
    if (rc != FLOM_RC_OK)
        return rc;
    if (!state_in(handle->state, S_LOCKED | S_CONNECTED))
        return FLOM_RC_API_INVALID_SEQUENCE;
    if (handle->conn == NULL)
        return FLOM_RC_OBJ_CORRUPTED;
    if (handle->state == FLOM_HANDLE_STATE_LOCKED)
        rc = client_unlock(handle->conn, rollback);
    client_disconnect(handle->conn);
    g_clear_pointer(&handle->locked_element, g_free);
    handle->state = FLOM_HANDLE_STATE_DISCONNECTED;
    TRACE(TRACE_API, "api: handle %p unlock (rollback=%d): rc=%d",
          (void *)handle, rollback, rc);
    return rc;
}

int flom_handle_unlock(flom_handle_t *handle)
{
    return handle_unlock(handle, false);
}

/* Only a transactional sequence can take a value back; any other resource
 * is unlocked normally and the caller is told with rc 12. */
int flom_handle_unlock_rollback(flom_handle_t *handle)
{
    bool locked = handle != NULL && handle->state == FLOM_HANDLE_STATE_LOCKED;
    bool transactional = locked && names_sequence_is_transactional(
                                       get_cfg(handle)->resource_name);
    int rc = handle_unlock(handle, transactional);

    if (rc == FLOM_RC_OK && locked && !transactional)
        return FLOM_RC_RESOURCE_IS_NOT_TRANSACTIONAL;
    return rc;
}

const char *flom_handle_get_locked_element(const flom_handle_t *handle)
{
    return handle != NULL ? handle->locked_element : NULL;
}

/* ------------------------------------------------------ network settings */

int flom_handle_get_discovery_attempts(const flom_handle_t *handle)
{
    return get_cfg(handle)->discovery_attempts;
}

int flom_handle_set_discovery_attempts(flom_handle_t *handle, int value)
{
    return set_int_item(handle, S_IDLE, CONFIG_DISCOVERY_ATTEMPTS, value);
}

int flom_handle_get_discovery_timeout(const flom_handle_t *handle)
{
    return get_cfg(handle)->discovery_timeout;
}

int flom_handle_set_discovery_timeout(flom_handle_t *handle, int value)
{
    return set_int_item(handle, S_IDLE, CONFIG_DISCOVERY_TIMEOUT, value);
}

int flom_handle_get_discovery_ttl(const flom_handle_t *handle)
{
    return get_cfg(handle)->discovery_ttl;
}

int flom_handle_set_discovery_ttl(flom_handle_t *handle, int value)
{
    return set_int_item(handle, S_IDLE, CONFIG_DISCOVERY_TTL, value);
}

int flom_handle_get_multicast_port(const flom_handle_t *handle)
{
    return get_cfg(handle)->multicast_port;
}

int flom_handle_set_multicast_port(flom_handle_t *handle, int value)
{
    return set_int_item(handle, S_IDLE, CONFIG_MULTICAST_PORT, value);
}

int flom_handle_get_unicast_port(const flom_handle_t *handle)
{
    return get_cfg(handle)->unicast_port;
}

int flom_handle_set_unicast_port(flom_handle_t *handle, int value)
{
    return set_int_item(handle, S_IDLE, CONFIG_UNICAST_PORT, value);
}

const char *flom_handle_get_network_interface(const flom_handle_t *handle)
{
    return get_cfg(handle)->network_interface;
}

/* The interface only scopes IPv6 link-local addresses (spec §6.5), so one
 * without an IPv6 address is refused and the previous value kept. */
int flom_handle_set_network_interface(flom_handle_t *handle, const char *value)
{
    int rc;
    struct api_config *config = settable(handle, S_IDLE, &rc);

    if (config == NULL)
        return rc;
    if (value != NULL) {
        rc = net_interface_ipv6_check(value);
        if (rc != FLOM_RC_OK)
            return rc;
    }
    replace_string(&config->cfg.network_interface, value);
    return FLOM_RC_OK;
}

/* ------------------------------------------------------------ transports */

/* The socket name, unicast and multicast addresses select the transport
 * (spec §4.1); setting one clears the other two, so that the transport is
 * the one last set. */

const char *flom_handle_get_socket_name(const flom_handle_t *handle)
{
    return get_cfg(handle)->socket_name;
}

int flom_handle_set_socket_name(flom_handle_t *handle, const char *value)
{
    int rc;
    struct api_config *config = settable(handle, S_IDLE, &rc);

    if (config == NULL)
        return rc;
    /* sun_path is 108 bytes, terminator included */
    if (value != NULL && strlen(value) > CONFIG_SOCKET_NAME_MAX)
        return FLOM_RC_BUFFER_OVERFLOW;
    if (value != NULL) {
        g_clear_pointer(&config->cfg.unicast_address, g_free);
        g_clear_pointer(&config->cfg.multicast_address, g_free);
    }
    replace_string(&config->cfg.socket_name, value);
    return FLOM_RC_OK;
}

const char *flom_handle_get_unicast_address(const flom_handle_t *handle)
{
    return get_cfg(handle)->unicast_address;
}

int flom_handle_set_unicast_address(flom_handle_t *handle, const char *value)
{
    int rc;
    struct api_config *config = settable(handle, S_IDLE, &rc);

    if (config == NULL)
        return rc;
    if (value != NULL) {
        g_clear_pointer(&config->cfg.socket_name, g_free);
        g_clear_pointer(&config->cfg.multicast_address, g_free);
    }
    replace_string(&config->cfg.unicast_address, value);
    return FLOM_RC_OK;
}

const char *flom_handle_get_multicast_address(const flom_handle_t *handle)
{
    return get_cfg(handle)->multicast_address;
}

int flom_handle_set_multicast_address(flom_handle_t *handle, const char *value)
{
    int rc;
    struct api_config *config = settable(handle, S_IDLE, &rc);

    if (config == NULL)
        return rc;
    if (value != NULL) {
        g_clear_pointer(&config->cfg.socket_name, g_free);
        g_clear_pointer(&config->cfg.unicast_address, g_free);
    }
    replace_string(&config->cfg.multicast_address, value);
    return FLOM_RC_OK;
}

/* ------------------------------------------------------- lock request */

flom_lock_mode_t flom_handle_get_lock_mode(const flom_handle_t *handle)
{
    return (flom_lock_mode_t)get_cfg(handle)->lock_mode;
}

/* Not validated, as in FLoM: the daemon treats an unknown mode as EX. */
int flom_handle_set_lock_mode(flom_handle_t *handle, flom_lock_mode_t value)
{
    int rc;
    struct api_config *config = settable(handle, S_UNLOCKED, &rc);

    if (config != NULL)
        config->cfg.lock_mode = (int)value;
    return rc;
}

int flom_handle_get_resource_create(const flom_handle_t *handle)
{
    const struct api_config *config = get_api_config(handle);

    return config != NULL ? config->resource_create : 0;
}

int flom_handle_set_resource_create(flom_handle_t *handle, int value)
{
    int rc;
    struct api_config *config = settable(handle, S_IDLE, &rc);

    if (config != NULL) {
        config->resource_create = value;
        config->cfg.resource_create = value != 0;
    }
    return rc;
}

int flom_handle_get_resource_idle_lifespan(const flom_handle_t *handle)
{
    return get_cfg(handle)->resource_idle_lifespan;
}

int flom_handle_set_resource_idle_lifespan(flom_handle_t *handle, int value)
{
    return set_nonzero_item(handle, CONFIG_RESOURCE_IDLE_LIFESPAN, value);
}

const char *flom_handle_get_resource_name(const flom_handle_t *handle)
{
    return get_cfg(handle)->resource_name;
}

/* FLoM ignores invalid and reserved names silently (spec §9.4, quirk 18):
 * programs written for it may rely on the previous name being kept. */
int flom_handle_set_resource_name(flom_handle_t *handle, const char *value)
{
    int rc;
    struct api_config *config = settable(handle, S_UNLOCKED, &rc);

    if (config == NULL)
        return rc;
    if (value == NULL || names_is_reserved(value) ||
        names_classify(value) == RSRC_TYPE_NULL) {
        TRACE(TRACE_API, "api: resource name '%s' ignored",
              value != NULL ? value : "(null)");
        return FLOM_RC_OK;
    }
    replace_string(&config->cfg.resource_name, value);
    return FLOM_RC_OK;
}

int flom_handle_get_resource_quantity(const flom_handle_t *handle)
{
    return get_cfg(handle)->resource_quantity;
}

int flom_handle_set_resource_quantity(flom_handle_t *handle, int value)
{
    return set_nonzero_item(handle, CONFIG_RESOURCE_QUANTITY, value);
}

int flom_handle_get_resource_timeout(const flom_handle_t *handle)
{
    return get_cfg(handle)->resource_timeout;
}

int flom_handle_set_resource_timeout(flom_handle_t *handle, int value)
{
    return set_int_item(handle, S_UNLOCKED, CONFIG_RESOURCE_TIMEOUT, value);
}

/* --------------------------------------------------------------- tracing */

const char *flom_handle_get_trace_filename(const flom_handle_t *handle)
{
    return get_cfg(handle)->command_trace_file;
}

/* Allowed in any state: it only moves the process's trace stream, which
 * FLoM reopens at once, truncating the file. */
int flom_handle_set_trace_filename(flom_handle_t *handle, const char *value)
{
    int rc;
    struct api_config *config = settable(handle, S_ANY, &rc);

    if (rc != FLOM_RC_OK && rc != FLOM_RC_API_IMMUTABLE_HANDLE)
        return rc;
    if (config != NULL)
        replace_string(&config->cfg.command_trace_file, value);
    g_mutex_lock(&api_mutex);
    trace_redirect(value, false);
    g_mutex_unlock(&api_mutex);
    return FLOM_RC_OK;
}

/* ------------------------------------------------------------------- TLS */

/* Stored resolved (config.c calls realpath), as FLoM does, so that a later
 * chdir() does not change which file is used. */
static int set_tls_path(flom_handle_t *handle, enum config_item item,
                        const char *value)
{
    int rc;
    struct api_config *config = settable(handle, S_IDLE, &rc);

    if (config == NULL)
        return rc;
    /* config.c takes "" for "unset"; for FLoM it is a path realpath()
     * cannot resolve. */
    if (value != NULL && *value == '\0')
        return FLOM_RC_REALPATH_ERROR;
    return config_set_text(&config->cfg, item, value != NULL ? value : "",
                           NULL);
}

const char *flom_handle_get_tls_certificate(const flom_handle_t *handle)
{
    return get_cfg(handle)->tls_certificate;
}

int flom_handle_set_tls_certificate(flom_handle_t *handle, const char *value)
{
    return set_tls_path(handle, CONFIG_TLS_CERTIFICATE, value);
}

const char *flom_handle_get_tls_private_key(const flom_handle_t *handle)
{
    return get_cfg(handle)->tls_private_key;
}

int flom_handle_set_tls_private_key(flom_handle_t *handle, const char *value)
{
    return set_tls_path(handle, CONFIG_TLS_PRIVATE_KEY, value);
}

const char *flom_handle_get_tls_ca_certificate(const flom_handle_t *handle)
{
    return get_cfg(handle)->tls_ca_certificate;
}

int flom_handle_set_tls_ca_certificate(flom_handle_t *handle, const char *value)
{
    return set_tls_path(handle, CONFIG_TLS_CA_CERTIFICATE, value);
}

int flom_handle_get_tls_check_peer_id(const flom_handle_t *handle)
{
    const struct api_config *config = get_api_config(handle);

    return config != NULL ? config->tls_check_peer_id : 0;
}

/* Stored as given: the consistency check happens at lock time. */
int flom_handle_set_tls_check_peer_id(flom_handle_t *handle, int value)
{
    int rc;
    struct api_config *config = settable(handle, S_IDLE, &rc);

    if (config != NULL) {
        config->tls_check_peer_id = value;
        config->cfg.tls_check_peer_id = value != 0;
    }
    return rc;
}
