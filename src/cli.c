/*
 * The flom command line (spec §1.1-§1.3). One table describes the options;
 * GLib hands every occurrence to one callback that records the raw value
 * and that the option was given; the given values are then laid over the
 * configuration files in FLoM's order, each through the same setters the
 * files use (config.c), with FLoM's command-line messages.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "cli.h"
#include "config.h"
#include "flom_errors.h"
#include "log.h"
#include "uniqueid.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_ERROR FLOM_ES_GENERIC_ERROR
#define CLI_CONTINUE (-1)

enum opt_id {
    OPT_VERSION,
    OPT_VERBOSE,
    OPT_CONFIG_FILE,
    OPT_RESOURCE_NAME,
    OPT_RESOURCE_TIMEOUT,
    OPT_RESOURCE_QUANTITY,
    OPT_RESOURCE_CREATE,
    OPT_RESOURCE_IDLE_LIFESPAN,
    OPT_LOCK_MODE,
    OPT_SOCKET_NAME,
    OPT_DAEMON_LIFESPAN,
    OPT_UNICAST_ADDRESS,
    OPT_UNICAST_PORT,
    OPT_MULTICAST_ADDRESS,
    OPT_MULTICAST_PORT,
    OPT_MOUNT_POINT_VFS,
    OPT_NETWORK_INTERFACE,
    OPT_DISCOVERY_ATTEMPTS,
    OPT_DISCOVERY_TIMEOUT,
    OPT_DISCOVERY_TTL,
    OPT_TCP_KEEPALIVE_TIME,
    OPT_TCP_KEEPALIVE_INTVL,
    OPT_TCP_KEEPALIVE_PROBES,
    OPT_TLS_CERTIFICATE,
    OPT_TLS_PRIVATE_KEY,
    OPT_TLS_CA_CERTIFICATE,
    OPT_TLS_CHECK_PEER_ID,
    OPT_IGNORE_SIGNAL,
    OPT_SIGNAL_LIST,
    OPT_DAEMON_TRACE_FILE,
    OPT_COMMAND_TRACE_FILE,
    OPT_APPEND_TRACE_FILE,
    OPT_QUIESCE_EXIT,
    OPT_IMMEDIATE_EXIT,
    OPT_UNIQUE_ID,
    OPT_DEBUG_FEATURE,
    OPT_COUNT
};

enum opt_arg {
    ARG_NONE,
    ARG_INT,
    ARG_STRING,
    ARG_FILENAME,
};

/* How a value the configuration refuses is reported (spec §1.2). */
enum opt_report {
    REPORT_NONE,        /* cannot fail */
    REPORT_NAME,        /* -r: "ERROR: ..." + set_resource_name ret_cod */
    REPORT_OUT_INVALID, /* stdout "<opt>: '<v>' is an invalid value" */
    REPORT_ERR_INVALID, /* stderr "<opt>: '<v>' is an invalid value" */
    REPORT_CONNECT,     /* stderr invalid value + flom_client_connect */
    REPORT_NOT_VALID,   /* stderr "<opt>: '<v>' is not a valid value" */
};

struct opt_desc {
    const char *long_name;
    char short_name;
    enum opt_arg arg;
    int item; /* enum config_item, or -1 */
    enum opt_report report;
    const char *description;
    const char *arg_description;
};

#define NO_ITEM (-1)

static const struct opt_desc opts[OPT_COUNT] = {
    [OPT_VERSION] = {"version", 'v', ARG_NONE, NO_ITEM, REPORT_NONE,
                     "Print package info and exit", NULL},
    [OPT_VERBOSE] = {"verbose", 'V', ARG_NONE, CONFIG_VERBOSE, REPORT_NONE,
                     "Activate verbose messages", NULL},
    [OPT_CONFIG_FILE] = {"config-file", 'c', ARG_FILENAME, NO_ITEM, REPORT_NONE,
                         "User configuration file name", "FILE"},
    [OPT_RESOURCE_NAME] = {"resource-name", 'r', ARG_STRING,
                           CONFIG_RESOURCE_NAME, REPORT_NAME,
                           "Name of the resource to lock", "NAME"},
    [OPT_RESOURCE_TIMEOUT] = {"resource-timeout", 'o', ARG_INT,
                              CONFIG_RESOURCE_TIMEOUT, REPORT_NONE,
                              "Maximum wait time for the lock in "
                              "milliseconds (<0 forever, 0 no wait)",
                              "MS"},
    [OPT_RESOURCE_QUANTITY] = {"resource-quantity", 'q', ARG_INT,
                               CONFIG_RESOURCE_QUANTITY, REPORT_NONE,
                               "Number of units to lock (numeric "
                               "resources)",
                               "N"},
    [OPT_RESOURCE_CREATE] = {"resource-create", 'e', ARG_STRING,
                             CONFIG_RESOURCE_CREATE, REPORT_OUT_INVALID,
                             "Whether the request may create the resource",
                             "yes|no"},
    [OPT_RESOURCE_IDLE_LIFESPAN] = {"resource-idle-lifespan", 'i', ARG_INT,
                                    CONFIG_RESOURCE_IDLE_LIFESPAN, REPORT_NONE,
                                    "How long the resource is kept after "
                                    "its last user leaves (milliseconds)",
                                    "MS"},
    [OPT_LOCK_MODE] = {"lock-mode", 'l', ARG_STRING, CONFIG_LOCK_MODE,
                       REPORT_ERR_INVALID,
                       "Lock mode: NL, CR, CW, PR, PW or EX (default EX)",
                       "MODE"},
    [OPT_SOCKET_NAME] = {"socket-name", 's', ARG_FILENAME, CONFIG_SOCKET_NAME,
                         REPORT_CONNECT, "UNIX socket of the daemon", "PATH"},
    [OPT_DAEMON_LIFESPAN] = {"daemon-lifespan", 'd', ARG_INT,
                             CONFIG_DAEMON_LIFESPAN, REPORT_NONE,
                             "Lifespan of a started daemon in "
                             "milliseconds (<0 forever, 0 never start)",
                             "MS"},
    [OPT_UNICAST_ADDRESS] = {"unicast-address", 'a', ARG_STRING,
                             CONFIG_UNICAST_ADDRESS, REPORT_NONE,
                             "TCP address or host name of the daemon", "HOST"},
    [OPT_UNICAST_PORT] = {"unicast-port", 'p', ARG_INT, CONFIG_UNICAST_PORT,
                          REPORT_NONE, "TCP port of the daemon", "PORT"},
    [OPT_MULTICAST_ADDRESS] = {"multicast-address", 'A', ARG_STRING,
                               CONFIG_MULTICAST_ADDRESS, REPORT_NONE,
                               "UDP multicast group for daemon discovery",
                               "GROUP"},
    [OPT_MULTICAST_PORT] = {"multicast-port", 'P', ARG_INT,
                            CONFIG_MULTICAST_PORT, REPORT_NONE,
                            "UDP port for daemon discovery", "PORT"},
    [OPT_MOUNT_POINT_VFS] = {"mount-point-vfs", 'm', ARG_FILENAME,
                             CONFIG_MOUNT_POINT_VFS, REPORT_CONNECT,
                             "Mount point of the daemon's virtual file "
                             "system",
                             "DIR"},
    [OPT_NETWORK_INTERFACE] = {"network-interface", 'n', ARG_STRING,
                               CONFIG_NETWORK_INTERFACE, REPORT_NONE,
                               "Network interface for IPv6 link-local "
                               "addresses",
                               "IFACE"},
    [OPT_DISCOVERY_ATTEMPTS] = {"discovery-attempts", 'D', ARG_INT,
                                CONFIG_DISCOVERY_ATTEMPTS, REPORT_NONE,
                                "Number of discovery datagrams", "N"},
    [OPT_DISCOVERY_TIMEOUT] = {"discovery-timeout", 'I', ARG_INT,
                               CONFIG_DISCOVERY_TIMEOUT, REPORT_NONE,
                               "Wait for a discovery reply in "
                               "milliseconds",
                               "MS"},
    [OPT_DISCOVERY_TTL] = {"discovery-ttl", 0, ARG_INT, CONFIG_DISCOVERY_TTL,
                           REPORT_NONE,
                           "Multicast TTL / hop limit of discovery", "N"},
    [OPT_TCP_KEEPALIVE_TIME] = {"tcp-keepalive-time", 0, ARG_INT,
                                CONFIG_TCP_KEEPALIVE_TIME, REPORT_NONE,
                                "TCP keepalive idle time in seconds", "S"},
    [OPT_TCP_KEEPALIVE_INTVL] = {"tcp-keepalive-intvl", 0, ARG_INT,
                                 CONFIG_TCP_KEEPALIVE_INTVL, REPORT_NONE,
                                 "TCP keepalive probe interval in seconds",
                                 "S"},
    [OPT_TCP_KEEPALIVE_PROBES] = {"tcp-keepalive-probes", 0, ARG_INT,
                                  CONFIG_TCP_KEEPALIVE_PROBES, REPORT_NONE,
                                  "TCP keepalive probes", "N"},
    [OPT_TLS_CERTIFICATE] = {"tls-certificate", 0, ARG_FILENAME,
                             CONFIG_TLS_CERTIFICATE, REPORT_NOT_VALID,
                             "PEM certificate of this peer", "FILE"},
    [OPT_TLS_PRIVATE_KEY] = {"tls-private-key", 0, ARG_FILENAME,
                             CONFIG_TLS_PRIVATE_KEY, REPORT_NOT_VALID,
                             "PEM private key of this peer", "FILE"},
    [OPT_TLS_CA_CERTIFICATE] = {"tls-ca-certificate", 0, ARG_FILENAME,
                                CONFIG_TLS_CA_CERTIFICATE, REPORT_NOT_VALID,
                                "PEM certificate of the CA", "FILE"},
    [OPT_TLS_CHECK_PEER_ID] = {"tls-check-peer-id", 0, ARG_STRING,
                               CONFIG_TLS_CHECK_PEER_ID, REPORT_OUT_INVALID,
                               "Check the peer's unique id against its "
                               "certificate's CN",
                               "yes|no"},
    [OPT_IGNORE_SIGNAL] = {"ignore-signal", 0, ARG_STRING,
                           CONFIG_IGNORED_SIGNALS, REPORT_NONE,
                           "Signal ignored while the command runs "
                           "(repeatable)",
                           "SIG"},
    [OPT_SIGNAL_LIST] = {"signal-list", 0, ARG_NONE, NO_ITEM, REPORT_NONE,
                         "Print the list of signals and exit", NULL},
    [OPT_DAEMON_TRACE_FILE] = {"daemon-trace-file", 't', ARG_FILENAME,
                               CONFIG_DAEMON_TRACE_FILE, REPORT_NONE,
                               "Trace file of a started daemon (absolute "
                               "path)",
                               "FILE"},
    [OPT_COMMAND_TRACE_FILE] = {"command-trace-file", 'T', ARG_FILENAME,
                                CONFIG_COMMAND_TRACE_FILE, REPORT_NONE,
                                "Trace file of this command", "FILE"},
    [OPT_APPEND_TRACE_FILE] = {"append-trace-file", 0, ARG_STRING,
                               CONFIG_APPEND_TRACE_FILE, REPORT_ERR_INVALID,
                               "Append to the trace files instead of "
                               "truncating them",
                               "yes|no"},
    [OPT_QUIESCE_EXIT] = {"quiesce-exit", 'x', ARG_NONE, NO_ITEM, REPORT_NONE,
                          "Ask the daemon for a quiesce shutdown", NULL},
    [OPT_IMMEDIATE_EXIT] = {"immediate-exit", 'X', ARG_NONE, NO_ITEM,
                            REPORT_NONE,
                            "Ask the daemon for an immediate shutdown", NULL},
    [OPT_UNIQUE_ID] = {"unique-id", 0, ARG_NONE, NO_ITEM, REPORT_NONE,
                       "Print the unique id of this host and exit", NULL},
    [OPT_DEBUG_FEATURE] = {"debug-feature", 0, ARG_STRING, NO_ITEM, REPORT_NONE,
                           "Run a debug feature and exit", "NAME"},
};

/* The order of spec §1.3 step 8: the first invalid value in this order is
 * the one reported. */
static const enum opt_id apply_order[] = {
    OPT_DAEMON_TRACE_FILE,
    OPT_COMMAND_TRACE_FILE,
    OPT_VERBOSE,
    OPT_RESOURCE_NAME,
    OPT_RESOURCE_QUANTITY,
    OPT_RESOURCE_TIMEOUT,
    OPT_LOCK_MODE,
    OPT_RESOURCE_CREATE,
    OPT_RESOURCE_IDLE_LIFESPAN,
    OPT_SOCKET_NAME,
    OPT_DAEMON_LIFESPAN,
    OPT_UNICAST_ADDRESS,
    OPT_UNICAST_PORT,
    OPT_MULTICAST_ADDRESS,
    OPT_MULTICAST_PORT,
    OPT_MOUNT_POINT_VFS,
    OPT_NETWORK_INTERFACE,
    OPT_DISCOVERY_ATTEMPTS,
    OPT_DISCOVERY_TIMEOUT,
    OPT_DISCOVERY_TTL,
    OPT_TCP_KEEPALIVE_TIME,
    OPT_TCP_KEEPALIVE_INTVL,
    OPT_TCP_KEEPALIVE_PROBES,
    OPT_IGNORE_SIGNAL,
    OPT_TLS_CERTIFICATE,
    OPT_TLS_PRIVATE_KEY,
    OPT_TLS_CA_CERTIFICATE,
    OPT_TLS_CHECK_PEER_ID,
    OPT_APPEND_TRACE_FILE,
};

/* What the command line said, before it meets the configuration files. */
struct cli_raw {
    bool given[OPT_COUNT];
    int ints[OPT_COUNT];
    char *strs[OPT_COUNT];
    uint32_t signals; /* --ignore-signal, accumulated */
    char **command;   /* G_OPTION_REMAINING */
};

static void raw_clear(struct cli_raw *raw)
{
    for (int i = 0; i < OPT_COUNT; i++)
        g_clear_pointer(&raw->strs[i], g_free);
    g_clear_pointer(&raw->command, g_strfreev);
}

/* --------------------------------------------------------- parsing */

static int find_option(const char *option_name)
{
    for (int i = 0; i < OPT_COUNT; i++) {
        if (option_name[1] == '-'
                ? strcmp(option_name + 2, opts[i].long_name) == 0
                : option_name[1] == opts[i].short_name &&
                      opts[i].short_name != 0)
            return i;
    }
    return -1;
}

/* GLib's own integer rule (base 0 strtol, the whole word) and messages, so
 * that a callback option reads like a G_OPTION_ARG_INT one. */
static gboolean parse_int(const char *name, const char *value, int *out,
                          GError **error)
{
    char *end = NULL;
    long n;

    errno = 0;
    n = strtol(value, &end, 0);
    if (*value == '\0' || *end != '\0') {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "Cannot parse integer value “%s” for %s", value, name);
        return FALSE;
    }
    if (errno == ERANGE || n > INT_MAX || n < INT_MIN) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "Integer value “%s” for %s out of range", value, name);
        return FALSE;
    }
    *out = (int)n;
    return TRUE;
}

static gboolean on_option(const char *option_name, const char *value,
                          gpointer data, GError **error)
{
    struct cli_raw *raw = data;
    int id = find_option(option_name);

    if (id < 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                    "Unknown option %s", option_name);
        return FALSE;
    }
    if (opts[id].arg == ARG_INT &&
        !parse_int(option_name, value, &raw->ints[id], error))
        return FALSE;
    if (id == OPT_IGNORE_SIGNAL) {
        int signo = config_parse_signal(value);
        if (signo != 0)
            raw->signals |= 1u << signo;
    } else if (opts[id].arg == ARG_STRING || opts[id].arg == ARG_FILENAME) {
        g_free(raw->strs[id]);
        raw->strs[id] = g_strdup(value);
    }
    raw->given[id] = true;
    return TRUE;
}

static GOptionEntry *build_entries(struct cli_raw *raw)
{
    GOptionEntry *entries = g_new0(GOptionEntry, OPT_COUNT + 2);

    for (int i = 0; i < OPT_COUNT; i++) {
        GOptionEntry *e = &entries[i];
        e->long_name = opts[i].long_name;
        e->short_name = opts[i].short_name;
        e->arg = G_OPTION_ARG_CALLBACK;
        e->arg_data = (gpointer)on_option;
        e->description = opts[i].description;
        e->arg_description = opts[i].arg_description;
        if (opts[i].arg == ARG_NONE)
            e->flags = G_OPTION_FLAG_NO_ARG;
        else if (opts[i].arg == ARG_FILENAME)
            e->flags = G_OPTION_FLAG_FILENAME;
    }
    entries[OPT_COUNT] = (GOptionEntry){
        G_OPTION_REMAINING, 0,    0,   G_OPTION_ARG_FILENAME_ARRAY,
        &raw->command,      NULL, NULL};
    return entries;
}

/* Step 1 of spec §1.3. */
static int parse_options(struct cli_raw *raw, int argc, char **argv)
{
    g_autofree GOptionEntry *entries = build_entries(raw);
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("[-- command to execute]");
    GOptionGroup *group = g_option_group_new("flom", "flom options",
                                             "Show flom options", raw, NULL);
    g_autoptr(GError) error = NULL;

    g_option_group_add_entries(group, entries);
    g_option_context_set_main_group(ctx, group);
    g_option_context_set_description(
        ctx, "See flom(1) and flom.conf(5) for details.");
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        fprintf(stderr, "option parsing failed: %s\n", error->message);
        return CLI_EXIT_ERROR;
    }
    return CLI_CONTINUE;
}

/* ---------------------------------------------------- one-shot outputs */

static void print_version(void)
{
    fputs("FLoM: Free Lock Manager\n"
          "Copyright (c) 2013-2024, Christian Ferrari; all rights "
          "reserved.\n"
          "License: GPL (GNU Public License) version 2\n"
          "Package name: flom; package version: 1.7.2; release date: "
          "2024-03-02\n"
          "TLS supported protocol(s): All TLS protocols\n"
          "Access https://github.com/tiian/flom for project community "
          "activities\n"
          "Documentation is available at http://www.tiian.org/flom/\n",
          stdout);
}

static void print_signal_list(void)
{
    for (int signo = 1; config_signal_name(signo) != NULL; signo++) {
        printf("%d) %s\t", signo, config_signal_name(signo));
        if (signo % 4 == 0)
            putchar('\n');
    }
    putchar('\n');
}

/* Steps 2 to 5 of spec §1.3: returns an exit status if a one-shot option
 * ends the run. */
static int one_shots(const struct cli_raw *raw)
{
    if (raw->given[OPT_VERSION])
        print_version();
    if (raw->given[OPT_SIGNAL_LIST])
        print_signal_list();
    if (raw->given[OPT_VERSION] || raw->given[OPT_SIGNAL_LIST])
        return CLI_EXIT_OK;
    if (raw->given[OPT_UNIQUE_ID]) {
        printf("%s\n", uniqueid_get());
        return CLI_EXIT_OK;
    }
    return CLI_CONTINUE;
}

/* ------------------------------------------------------ files (step 7) */

static int load_layer(struct flom_config *cfg, const char *path,
                      bool must_exist)
{
    g_autoptr(GError) error = NULL;
    int rc = config_load_file(cfg, path, must_exist, &error);

    if (rc < 0) {
        printf("%s\n", error != NULL ? error->message : "");
        fflush(stdout);
        fprintf(stderr, "flom_config_init: ret_cod=%d\n", rc);
    }
    return rc;
}

static int load_files(struct flom_config *cfg, const struct cli_raw *raw)
{
    g_autofree char *user_file = config_user_file();

    if (load_layer(cfg, config_system_file(), false) < 0 ||
        load_layer(cfg, user_file, false) < 0 ||
        (raw->given[OPT_CONFIG_FILE] &&
         load_layer(cfg, raw->strs[OPT_CONFIG_FILE], true) < 0))
        return CLI_EXIT_ERROR;
    return CLI_CONTINUE;
}

/* ------------------------------------------------ command line (step 8) */

static void report(enum opt_id id, const char *value, int rc,
                   const GError *error)
{
    const char *name = opts[id].long_name;

    fflush(stdout);
    switch (opts[id].report) {
    case REPORT_NAME:
        printf("ERROR: %s\n", error != NULL ? error->message : "");
        fflush(stdout);
        fprintf(stderr, "flom_config_set_resource_name: ret_cod=%d\n", rc);
        break;
    case REPORT_OUT_INVALID:
        printf("%s: '%s' is an invalid value\n", name, value);
        break;
    case REPORT_CONNECT:
        fprintf(stderr, "%s: '%s' is an invalid value\n", name, value);
        fprintf(stderr, "flom_client_connect: ret_cod=%d (%s)\n", rc,
                flom_strerror(rc));
        break;
    case REPORT_NOT_VALID:
        fprintf(stderr, "%s: '%s' is not a valid value\n", name, value);
        break;
    case REPORT_ERR_INVALID:
    case REPORT_NONE:
    default:
        fprintf(stderr, "%s: '%s' is an invalid value\n", name, value);
        break;
    }
}

/* FLoM's special cases: -V can only switch verbose on, a negative -q is
 * refused with a note, --ignore-signal replaces the files' set. Returns
 * true if the option was handled here. */
static bool apply_special(struct flom_config *cfg, const struct cli_raw *raw,
                          enum opt_id id)
{
    switch (id) {
    case OPT_VERBOSE:
        cfg->verbose = true;
        return true;
    case OPT_RESOURCE_QUANTITY:
        if (raw->ints[id] >= 0)
            return false;
        fprintf(stderr,
                "Resource quantity ignored because negative values (%d) "
                "are meaningless\n",
                raw->ints[id]);
        return true;
    case OPT_IGNORE_SIGNAL:
        cfg->ignored_signals = raw->signals;
        return true;
    default:
        return false;
    }
}

static int apply_option(struct flom_config *cfg, const struct cli_raw *raw,
                        enum opt_id id)
{
    g_autoptr(GError) error = NULL;
    int rc;

    if (!raw->given[id] || apply_special(cfg, raw, id))
        return 0;
    if (opts[id].arg == ARG_INT)
        rc = config_set_int(cfg, opts[id].item, raw->ints[id]);
    else
        rc = config_set_text(cfg, opts[id].item, raw->strs[id], &error);
    if (rc < 0)
        report(id, raw->strs[id], rc, error);
    return rc;
}

static int apply_command_line(struct flom_config *cfg,
                              const struct cli_raw *raw)
{
    for (size_t i = 0; i < G_N_ELEMENTS(apply_order); i++)
        if (apply_option(cfg, raw, apply_order[i]) < 0)
            return CLI_EXIT_ERROR;
    return CLI_CONTINUE;
}

/* --------------------------------------------------------- pipeline */

static void choose_action(struct cli *cli, struct cli_raw *raw)
{
    if (raw->given[OPT_DEBUG_FEATURE]) {
        cli->action = CLI_ACTION_DEBUG;
        cli->debug_feature = g_steal_pointer(&raw->strs[OPT_DEBUG_FEATURE]);
    } else if (raw->given[OPT_QUIESCE_EXIT] || raw->given[OPT_IMMEDIATE_EXIT]) {
        cli->action = CLI_ACTION_SHUTDOWN;
    } else {
        cli->action = CLI_ACTION_RUN;
    }
    cli->immediate = raw->given[OPT_IMMEDIATE_EXIT];
    cli->command = raw->command != NULL ? g_steal_pointer(&raw->command)
                                        : g_new0(char *, 1);
}

/* Steps 6 to 11 of spec §1.3. */
static int configure(struct cli *cli, const struct cli_raw *raw)
{
    struct flom_config *cfg = &cli->cfg;

    (void)trace_mask();
    if (load_files(cfg, raw) != CLI_CONTINUE ||
        apply_command_line(cfg, raw) != CLI_CONTINUE)
        return CLI_EXIT_ERROR;
    if (cfg->command_trace_file != NULL)
        trace_redirect(cfg->command_trace_file, cfg->append_trace_file);
    if (cfg->verbose)
        config_dump(cfg, stdout);
    if (config_check(cfg) < 0) {
        fflush(stdout);
        fprintf(stderr, "Configuration is not valid, cannot go on!\n");
        return CLI_EXIT_ERROR;
    }
    return CLI_CONTINUE;
}

int cli_prepare(struct cli *cli, int argc, char **argv)
{
    struct cli_raw raw = {0};
    int status;

    *cli = (struct cli){0};
    config_init(&cli->cfg);
    if (g_get_prgname() == NULL)
        g_set_prgname("flom");
    status = parse_options(&raw, argc, argv);
    if (status == CLI_CONTINUE)
        status = one_shots(&raw);
    if (status == CLI_CONTINUE)
        status = configure(cli, &raw);
    if (status == CLI_CONTINUE)
        choose_action(cli, &raw);
    raw_clear(&raw);
    /* The command's output must not overtake ours (the child shares the
     * descriptors, not the stdio buffers). */
    fflush(stdout);
    return status;
}

void cli_clear(struct cli *cli)
{
    if (cli == NULL)
        return;
    config_clear(&cli->cfg);
    g_clear_pointer(&cli->command, g_strfreev);
    g_clear_pointer(&cli->debug_feature, g_free);
}
