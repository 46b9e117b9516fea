/*
 * The configuration of one flom process: build defaults < system file <
 * ~/.flom < -c FILE < command line (spec §2, with the improvements of the
 * core issue: no mandatory groups, plain booleans, the command line always
 * wins). One value of struct flom_config is built by cli.c and passed
 * explicitly to the client, the daemon and the API handles.
 */
#ifndef FLOM_CONFIG_H
#define FLOM_CONFIG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CONFIG_DEFAULT_DAEMON_LIFESPAN 5000
#define CONFIG_DEFAULT_PORT 28015
#define CONFIG_DEFAULT_DISCOVERY_ATTEMPTS 2
#define CONFIG_DEFAULT_DISCOVERY_TIMEOUT 500
#define CONFIG_DEFAULT_DISCOVERY_TTL 1
#define CONFIG_DEFAULT_TCP_KEEPALIVE_TIME 60
#define CONFIG_DEFAULT_TCP_KEEPALIVE_INTVL 10
#define CONFIG_DEFAULT_TCP_KEEPALIVE_PROBES 6
#define CONFIG_SOCKET_NAME_MAX 107 /* sizeof(sun_path) - 1 */

struct flom_config {
    /* [Trace] */
    char *daemon_trace_file;
    char *command_trace_file;
    bool append_trace_file;
    bool verbose;
    /* [Resource] */
    char *resource_name;   /* "_RESOURCE" by default */
    int resource_timeout;  /* ms; <0 forever, 0 no wait */
    int resource_quantity; /* >= 1 */
    int lock_mode;         /* flom_lock_mode_t */
    bool resource_create;
    int resource_idle_lifespan; /* ms, >= 0 */
    /* [Daemon] */
    char *socket_name;   /* NULL until config_check picks the default */
    int daemon_lifespan; /* ms; <0 forever, 0 never start */
    char *unicast_address;
    int unicast_port;
    char *multicast_address;
    int multicast_port;
    char *mount_point_vfs;
    /* [Monitor] */
    uint32_t ignored_signals; /* bit n set = signal n (1..31) ignored */
    /* [Network] */
    char *network_interface;
    int discovery_attempts;
    int discovery_timeout;
    int discovery_ttl;
    int tcp_keepalive_time;
    int tcp_keepalive_intvl;
    int tcp_keepalive_probes;
    /* [TLS] */
    char *tls_certificate;
    char *tls_private_key;
    char *tls_ca_certificate;
    bool tls_check_peer_id;
};

/* The items of a configuration, one per key of spec §2.5, in the order of
 * the -V dump (spec §1.13). cli.c sets command-line values through them so
 * that files and the command line share one set of rules. */
enum config_item {
    CONFIG_DAEMON_TRACE_FILE,
    CONFIG_COMMAND_TRACE_FILE,
    CONFIG_APPEND_TRACE_FILE,
    CONFIG_VERBOSE,
    CONFIG_RESOURCE_NAME,
    CONFIG_RESOURCE_TIMEOUT,
    CONFIG_RESOURCE_QUANTITY,
    CONFIG_LOCK_MODE,
    CONFIG_RESOURCE_CREATE,
    CONFIG_RESOURCE_IDLE_LIFESPAN,
    CONFIG_SOCKET_NAME,
    CONFIG_DAEMON_LIFESPAN,
    CONFIG_UNICAST_ADDRESS,
    CONFIG_UNICAST_PORT,
    CONFIG_MULTICAST_ADDRESS,
    CONFIG_MULTICAST_PORT,
    CONFIG_MOUNT_POINT_VFS,
    CONFIG_IGNORED_SIGNALS,
    CONFIG_NETWORK_INTERFACE,
    CONFIG_DISCOVERY_ATTEMPTS,
    CONFIG_DISCOVERY_TIMEOUT,
    CONFIG_DISCOVERY_TTL,
    CONFIG_TCP_KEEPALIVE_TIME,
    CONFIG_TCP_KEEPALIVE_INTVL,
    CONFIG_TCP_KEEPALIVE_PROBES,
    CONFIG_TLS_CERTIFICATE,
    CONFIG_TLS_PRIVATE_KEY,
    CONFIG_TLS_CA_CERTIFICATE,
    CONFIG_TLS_CHECK_PEER_ID,
    CONFIG_ITEM_COUNT
};

/* GError domain of config_set_text() and config_load_file(); the codes are
 * FLOM_RC_* values. */
#define CONFIG_ERROR (config_error_quark())
GQuark config_error_quark(void);

/* Build defaults (spec §0). */
void config_init(struct flom_config *cfg);
/* Frees the strings; cfg may be reused after config_init. */
void config_clear(struct flom_config *cfg);
/* Deep copy; dst must be uninitialised or cleared. */
void config_copy(struct flom_config *dst, const struct flom_config *src);

/* The system file: $FLOM_SYSTEM_CONFIG if set (tests use it to stay clear of
 * an installed /etc/flom.conf), else SYSCONFDIR "/flom.conf". */
const char *config_system_file(void);
/* $HOME/.flom (passwd home if HOME is unset). Returns a new string. */
char *config_user_file(void);

/* Layers one key file over cfg. A missing file is not an error when
 * must_exist is false. On an invalid value the error message names the file
 * and the key. Returns 0, or a FLOM_RC_* (<0) with *error set. */
int config_load_file(struct flom_config *cfg, const char *path, bool must_exist,
                     GError **error);

/* Sets one item from its text with the rules a file value follows:
 * booleans, lock modes, integers (normalised as below) and signal lists
 * are parsed; the resource name is checked against the grammar; the socket
 * name must be at most CONFIG_SOCKET_NAME_MAX bytes; the VFS mount point
 * must be an openable directory; TLS files are stored as realpath(); a
 * network interface without an IPv6 address is silently ignored; an empty
 * optional string unsets the item. Returns 0, or a FLOM_RC_* (<0) with
 * *error set to a message about the value only ("'x' is not a boolean
 * ..."), without file or option context. */
int config_set_text(struct flom_config *cfg, enum config_item item,
                    const char *text, GError **error);
/* Sets an integer item, normalised: negative -> absolute value for the
 * quantity, idle lifespan, ports, discovery and keepalive values; 0 -> 1
 * for the quantity, discovery attempts and TTL. Returns 0, or
 * FLOM_RC_INVALID_OPTION if the item is not an integer one. */
int config_set_int(struct flom_config *cfg, enum config_item item, int value);
/* "Group" and "Key" of an item (spec §2.5). */
const char *config_item_group(enum config_item item);
const char *config_item_key(enum config_item item);

/* Parses a boolean: yes/no/true/false/on/off/1/0 (any case). */
bool config_parse_bool(const char *text, bool *out);
/* Parses a lock mode by FLoM's substring rule (spec §2.4); -1 if invalid. */
int config_parse_lock_mode(const char *text);
/* Parses one signal token (spec §1.9); 0 if not recognised. */
int config_parse_signal(const char *token);
/* "SIGHUP" ... "SIGSYS" for 1..31, NULL otherwise. */
const char *config_signal_name(int signo);

/* The default socket path "/tmp/flom-<login>" of the real uid ("nobody"
 * if unknown). Returns a new string. */
char *config_default_socket_name(void);

/* The configuration check of spec §1.5: prints its messages (stdout, and
 * warnings on stderr when verbose), fills in the default socket name,
 * forces the lock mode and quantity where the resource type ignores them.
 * Returns 0 or -1. */
int config_check(struct flom_config *cfg);

/* The whole configuration as key-file text that config_load_file() reads
 * back to the same values (the default resource name, which files may not
 * set, is left out). A daemon started by flom receives its configuration
 * this way. Returns a new string. */
char *config_serialize(const struct flom_config *cfg);

/* The -V dump of spec §1.13, exactly. */
void config_dump(const struct flom_config *cfg, FILE *out);

#endif
