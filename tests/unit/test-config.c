/*
 * Configuration layers and the command line (spec §1-§2 with the core
 * issue's decisions). cli.c is compiled into this test (it belongs to the
 * flom program, not to a library) so that the whole layering, command line
 * included, runs in process. Every test gets a private HOME and system
 * file.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.c"
#include "flom_types.h"
#include "uniqueid.h"

struct fixture {
    char *dir;
    char *sys_file;
    char *user_file;
};

static void setup(struct fixture *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("test-config-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->sys_file = g_build_filename(f->dir, "system.conf", NULL);
    f->user_file = g_build_filename(f->dir, ".flom", NULL);
    g_setenv("HOME", f->dir, TRUE);
    g_setenv("FLOM_SYSTEM_CONFIG", f->sys_file, TRUE);
}

static void remove_tree(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (dir == NULL) {
        g_remove(path);
        return;
    }
    while ((name = g_dir_read_name(dir)) != NULL) {
        g_autofree char *child = g_build_filename(path, name, NULL);
        if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
            !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
            remove_tree(child);
        else
            g_remove(child);
    }
    g_dir_close(dir);
    g_rmdir(path);
}

static void teardown(struct fixture *f, gconstpointer data)
{
    remove_tree(f->dir);
    g_free(f->dir);
    g_free(f->sys_file);
    g_free(f->user_file);
}

static char *write_file(struct fixture *f, const char *name, const char *text)
{
    char *path = g_build_filename(f->dir, name, NULL);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* Runs the command-line pipeline with "flom" and the given words. */
static int run_argv(struct cli *cli, const char *const *words)
{
    GPtrArray *argv = g_ptr_array_new();
    int status;

    g_ptr_array_add(argv, (char *)"flom");
    for (; *words != NULL; words++)
        g_ptr_array_add(argv, (char *)*words);
    g_ptr_array_add(argv, NULL);
    status = cli_prepare(cli, (int)argv->len - 1, (char **)argv->pdata);
    g_ptr_array_free(argv, TRUE);
    return status;
}

#define RUN(cli, ...) run_argv((cli), (const char *const[]){__VA_ARGS__, NULL})

/* In a subprocess: run the pipeline and print the status, so that the
 * parent can compare stdout, stderr and the status at once. */
#define RUN_IN_CHILD(...)                                                      \
    do {                                                                       \
        struct cli cli_;                                                       \
        int st_ = RUN(&cli_, __VA_ARGS__);                                     \
        fflush(stderr);                                                        \
        printf("status=%d\n", st_);                                            \
        cli_clear(&cli_);                                                      \
        exit(0);                                                               \
    } while (0)

static void child(void)
{
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

/* ------------------------------------------------------------ defaults */

static void test_defaults(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;

    config_init(&cfg);
    g_assert_cmpstr(cfg.resource_name, ==, "_RESOURCE");
    g_assert_cmpint(cfg.resource_timeout, ==, -1);
    g_assert_cmpint(cfg.resource_quantity, ==, 1);
    g_assert_cmpint(cfg.lock_mode, ==, FLOM_LOCK_MODE_EX);
    g_assert_true(cfg.resource_create);
    g_assert_cmpint(cfg.resource_idle_lifespan, ==, 0);
    g_assert_null(cfg.socket_name);
    g_assert_cmpint(cfg.daemon_lifespan, ==, 5000);
    g_assert_cmpint(cfg.unicast_port, ==, 28015);
    g_assert_cmpint(cfg.multicast_port, ==, 28015);
    g_assert_cmpint(cfg.discovery_attempts, ==, 2);
    g_assert_cmpint(cfg.discovery_timeout, ==, 500);
    g_assert_cmpint(cfg.discovery_ttl, ==, 1);
    g_assert_cmpint(cfg.tcp_keepalive_time, ==, 60);
    g_assert_cmpint(cfg.tcp_keepalive_intvl, ==, 10);
    g_assert_cmpint(cfg.tcp_keepalive_probes, ==, 6);
    g_assert_false(cfg.verbose);
    g_assert_false(cfg.append_trace_file);
    g_assert_false(cfg.tls_check_peer_id);
    g_assert_cmpuint(cfg.ignored_signals, ==, 0);
    config_clear(&cfg);
}

static char *dump_to_string(const struct flom_config *cfg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    config_dump(cfg, out);
    fclose(out);
    return buf;
}

static void test_dump_defaults(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *text = NULL;

    config_init(&cfg);
    text = dump_to_string(&cfg);
    g_assert_cmpstr(text, ==,
                    "[Trace]/DaemonTraceFile=''\n"
                    "[Trace]/CommandTraceFile=''\n"
                    "[Trace]/AppendTraceFile=0\n"
                    "[Trace]/Verbose=0\n"
                    "[Resource]/Name='_RESOURCE'\n"
                    "[Resource]/Timeout=-1\n"
                    "[Resource]/Quantity=1\n"
                    "[Resource]/LockMode=5\n"
                    "[Resource]/Create=1\n"
                    "[Resource]/IdleLifespan=0\n"
                    "[Daemon]/SocketName=''\n"
                    "[Daemon]/Lifespan=5000\n"
                    "[Daemon]/UnicastAddress=''\n"
                    "[Daemon]/UnicastPort=28015\n"
                    "[Daemon]/MulticastAddress=''\n"
                    "[Daemon]/MulticastPort=28015\n"
                    "[Daemon]/MountPointVFS=''\n"
                    "[Monitor]/IgnoredSignals=''\n"
                    "[Network]/NetworkInterface=''\n"
                    "[Network]/DiscoveryAttempts=2\n"
                    "[Network]/DiscoveryTimeout=500\n"
                    "[Network]/DiscoveryTTL=1\n"
                    "[Network]/TcpKeepaliveTime=60\n"
                    "[Network]/TcpKeepaliveIntvl=10\n"
                    "[Network]/TcpKeepaliveProbes=6\n"
                    "[TLS]/TlsCertificate=''\n"
                    "[TLS]/TlsPrivateKey=''\n"
                    "[TLS]/TlsCaCertificate=''\n"
                    "[TLS]/TlsCheckPeerId=0\n");
    config_clear(&cfg);
}

static void test_dump_values(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *text = NULL;

    config_init(&cfg);
    g_assert_cmpint(config_set_text(&cfg, CONFIG_LOCK_MODE, "PR", NULL), ==, 0);
    g_assert_cmpint(
        config_set_text(&cfg, CONFIG_IGNORED_SIGNALS, "SIGTERM;3;bogus", NULL),
        ==, 0);
    g_assert_cmpint(config_set_text(&cfg, CONFIG_UNICAST_ADDRESS, "::1", NULL),
                    ==, 0);
    cfg.append_trace_file = true;
    text = dump_to_string(&cfg);
    g_assert_nonnull(strstr(text, "\n[Resource]/LockMode=3\n"));
    g_assert_nonnull(
        strstr(text, "\n[Monitor]/IgnoredSignals='SIGQUIT;SIGTERM'\n"));
    g_assert_nonnull(strstr(text, "\n[Daemon]/UnicastAddress='::1'\n"));
    g_assert_nonnull(strstr(text, "\n[Trace]/AppendTraceFile=1\n"));
    config_clear(&cfg);
}

static void test_copy(struct fixture *f, gconstpointer data)
{
    struct flom_config a, b;

    config_init(&a);
    config_set_text(&a, CONFIG_UNICAST_ADDRESS, "host", NULL);
    config_copy(&b, &a);
    g_assert_true(b.unicast_address != a.unicast_address);
    g_assert_cmpstr(b.unicast_address, ==, "host");
    g_assert_cmpstr(b.resource_name, ==, "_RESOURCE");
    config_clear(&a);
    g_assert_cmpstr(b.unicast_address, ==, "host");
    config_clear(&b);
    config_clear(&b); /* clearing twice is harmless */
}

/* ------------------------------------------------------------- parsers */

static const char *const true_words[] = {"yes",  "YES", "Yes", "true", "TRUE",
                                         "True", "on",  "ON",  "On",   "1"};
static const char *const false_words[] = {
    "no", "NO", "No", "false", "FALSE", "False", "off", "OFF", "Off", "0"};
static const char *const bad_bools[] = {
    "maybe", "y", "n", "", "2", "enable", "none", "xyz", "-1", "yess", "onn"};

static void test_parse_bool(struct fixture *f, gconstpointer data)
{
    bool value;

    for (size_t i = 0; i < G_N_ELEMENTS(true_words); i++) {
        value = false;
        g_assert_true(config_parse_bool(true_words[i], &value));
        g_assert_true(value);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(false_words); i++) {
        value = true;
        g_assert_true(config_parse_bool(false_words[i], &value));
        g_assert_false(value);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad_bools); i++)
        g_assert_false(config_parse_bool(bad_bools[i], &value));
    g_assert_false(config_parse_bool(NULL, &value));
    g_assert_false(config_parse_bool("yes ", &value));
    g_assert_false(config_parse_bool(" no", &value));
}

static void test_parse_lock_mode(struct fixture *f, gconstpointer data)
{
    static const struct {
        const char *text;
        int mode;
    } cases[] = {
        {"NL", 0},        {"nl", 0},
        {"NullLock", 0},  {"nlx", 0},
        {"CR", 1},        {"ConcurrentRead", 1},
        {"CW", 2},        {"ConcurrentWrite", 2},
        {"PR", 3},        {"ProtectedRead", 3},
        {"PW", 4},        {"ProtectedWrite", 4},
        {"pw", 4},        {"EX", 5},
        {"Exclusive", 5}, {"ex", 5},
        {"XYZ", -1},      {"", -1},
        {"shared", -1},   {"xnl", 0},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        g_assert_cmpint(config_parse_lock_mode(cases[i].text), ==,
                        cases[i].mode);
    g_assert_cmpint(config_parse_lock_mode(NULL), ==, -1);
}

static void test_parse_signal(struct fixture *f, gconstpointer data)
{
    g_assert_cmpint(config_parse_signal("15"), ==, 15);
    g_assert_cmpint(config_parse_signal("1"), ==, 1);
    g_assert_cmpint(config_parse_signal("31"), ==, 31);
    g_assert_cmpint(config_parse_signal("SIGTERM"), ==, 15);
    g_assert_cmpint(config_parse_signal("SIGSTKFLT"), ==, 16);
    g_assert_cmpint(config_parse_signal("TERM"), ==, 0);
    g_assert_cmpint(config_parse_signal("sigterm"), ==, 0);
    g_assert_cmpint(config_parse_signal("0"), ==, 0);
    g_assert_cmpint(config_parse_signal("32"), ==, 0);
    g_assert_cmpint(config_parse_signal("-3"), ==, 0);
    g_assert_cmpint(config_parse_signal(""), ==, 0);
    g_assert_cmpint(config_parse_signal(NULL), ==, 0);
    for (int i = 1; i <= 31; i++)
        g_assert_cmpint(config_parse_signal(config_signal_name(i)), ==, i);
    g_assert_null(config_signal_name(0));
    g_assert_null(config_signal_name(32));
    g_assert_cmpstr(config_signal_name(30), ==, "SIGPWR");
}

/* ---------------------------------------------------------- file loading */

static int load(struct flom_config *cfg, const char *path, char **message)
{
    GError *error = NULL;
    int rc = config_load_file(cfg, path, true, &error);

    if (message != NULL)
        *message = error != NULL ? g_strdup(error->message) : NULL;
    g_clear_error(&error);
    return rc;
}

static void test_file_booleans(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;

    config_init(&cfg);
    for (size_t i = 0; i < G_N_ELEMENTS(false_words); i++) {
        g_autofree char *text =
            g_strdup_printf("[Resource]\nCreate=%s\n[TLS]\nTlsCheckPeerId=%s\n",
                            false_words[i], true_words[i]);
        g_autofree char *path = write_file(f, "b.conf", text);
        g_assert_cmpint(load(&cfg, path, NULL), ==, 0);
        g_assert_false(cfg.resource_create);
        g_assert_true(cfg.tls_check_peer_id);
    }
    config_clear(&cfg);
}

static void test_file_bad_boolean(struct fixture *f, gconstpointer data)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad_bools); i++) {
        struct flom_config cfg;
        g_autofree char *text =
            g_strdup_printf("[Trace]\nVerbose=%s\n", bad_bools[i]);
        g_autofree char *path = write_file(f, "bad.conf", text);
        g_autofree char *message = NULL;
        g_autofree char *expected = NULL;

        config_init(&cfg);
        g_assert_cmpint(load(&cfg, path, &message), ==, FLOM_RC_INVALID_OPTION);
        expected = g_strdup_printf(
            "ERROR: invalid configuration found in file '%s': key "
            "'Verbose' in group 'Trace': '%s' is not a boolean (use "
            "yes/no, true/false, on/off, 1/0)",
            path, bad_bools[i]);
        g_assert_cmpstr(message, ==, expected);
        config_clear(&cfg);
    }
}

static void test_file_bad_integer(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *path =
        write_file(f, "int.conf", "[Network]\nDiscoveryTimeout=12x\n");
    g_autofree char *message = NULL;
    g_autofree char *tail = NULL;

    config_init(&cfg);
    g_assert_cmpint(load(&cfg, path, &message), ==, FLOM_RC_INVALID_OPTION);
    tail = g_strdup_printf("\nERROR: invalid configuration found in file "
                           "'%s': key 'DiscoveryTimeout' in group "
                           "'Network': '12x' is not an integer",
                           path);
    g_assert_true(g_str_has_suffix(message, tail));
    g_assert_nonnull(strstr(message, "DiscoveryTimeout"));
    g_assert_cmpint(cfg.discovery_timeout, ==, 500);
    config_clear(&cfg);
}

static void test_file_all_keys(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *path = write_file(
        f, "all.conf",
        "[Trace]\nDaemonTraceFile=/tmp/d.trc\nCommandTraceFile=/tmp/c.trc\n"
        "AppendTraceFile=yes\nVerbose=on\n"
        "[Resource]\nName=foo[3]\nTimeout=-7\nQuantity=-2\nLockMode=pr\n"
        "Create=no\nIdleLifespan=-300\n"
        "[Daemon]\nLifespan=-1\nUnicastAddress=127.0.0.1\nUnicastPort=-99\n"
        "MulticastAddress=224.0.0.1\nMulticastPort=-98\nMountPointVFS=/\n"
        "[Monitor]\nIgnoredSignals=SIGQUIT;15;TERM;99\n"
        "[Network]\nDiscoveryAttempts=0\nDiscoveryTimeout=-10\n"
        "DiscoveryTTL=0\nTcpKeepaliveTime=-1\nTcpKeepaliveIntvl=2\n"
        "TcpKeepaliveProbes=-3\n"
        "[TLS]\nTlsCheckPeerId=true\n");

    config_init(&cfg);
    g_assert_cmpint(load(&cfg, path, NULL), ==, 0);
    g_assert_cmpstr(cfg.daemon_trace_file, ==, "/tmp/d.trc");
    g_assert_cmpstr(cfg.command_trace_file, ==, "/tmp/c.trc");
    g_assert_true(cfg.append_trace_file && cfg.verbose);
    g_assert_cmpstr(cfg.resource_name, ==, "foo[3]");
    g_assert_cmpint(cfg.resource_timeout, ==, -7);
    g_assert_cmpint(cfg.resource_quantity, ==, 2);
    g_assert_cmpint(cfg.lock_mode, ==, FLOM_LOCK_MODE_PR);
    g_assert_false(cfg.resource_create);
    g_assert_cmpint(cfg.resource_idle_lifespan, ==, 300);
    g_assert_cmpint(cfg.daemon_lifespan, ==, -1);
    g_assert_cmpstr(cfg.unicast_address, ==, "127.0.0.1");
    g_assert_cmpint(cfg.unicast_port, ==, 99);
    g_assert_cmpstr(cfg.multicast_address, ==, "224.0.0.1");
    g_assert_cmpint(cfg.multicast_port, ==, 98);
    g_assert_cmpstr(cfg.mount_point_vfs, ==, "/");
    g_assert_cmpuint(cfg.ignored_signals, ==, (1u << 3) | (1u << 15));
    g_assert_cmpint(cfg.discovery_attempts, ==, 1);
    g_assert_cmpint(cfg.discovery_timeout, ==, 10);
    g_assert_cmpint(cfg.discovery_ttl, ==, 1);
    g_assert_cmpint(cfg.tcp_keepalive_time, ==, 1);
    g_assert_cmpint(cfg.tcp_keepalive_intvl, ==, 2);
    g_assert_cmpint(cfg.tcp_keepalive_probes, ==, 3);
    g_assert_true(cfg.tls_check_peer_id);
    config_clear(&cfg);
}

static void test_file_no_groups(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *empty = write_file(f, "empty.conf", "");
    g_autofree char *comments = write_file(f, "c.conf", "# nothing\n\n");
    g_autofree char *trace = write_file(f, "t.conf", "[Trace]\nVerbose=yes\n");

    config_init(&cfg);
    g_assert_cmpint(load(&cfg, empty, NULL), ==, 0);
    g_assert_cmpint(load(&cfg, comments, NULL), ==, 0);
    g_assert_cmpint(load(&cfg, trace, NULL), ==, 0);
    g_assert_true(cfg.verbose);
    g_assert_cmpint(cfg.daemon_lifespan, ==, 5000);
    config_clear(&cfg);
}

static void test_file_unknown_ignored(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *path =
        write_file(f, "u.conf",
                   "[Bogus]\nLifespan=abc\n[Daemon]\nLifeSpan=abc\nWhatever=1\n"
                   "Lifespan=42\n[Resource]\nWait=nonsense\n");

    config_init(&cfg);
    g_assert_cmpint(load(&cfg, path, NULL), ==, 0);
    g_assert_cmpint(cfg.daemon_lifespan, ==, 42);
    config_clear(&cfg);
}

static void test_file_missing(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *path = g_build_filename(f->dir, "nope.conf", NULL);
    g_autofree char *garbage = write_file(f, "g.conf", "not a key file\n");
    g_autofree char *message = NULL;
    g_autofree char *expected =
        g_strdup_printf("ERROR: error while loading file '%s'", path);

    config_init(&cfg);
    g_assert_cmpint(config_load_file(&cfg, path, false, NULL), ==, 0);
    g_assert_cmpint(config_load_file(&cfg, garbage, false, NULL), ==, 0);
    g_assert_cmpint(load(&cfg, path, &message), ==,
                    FLOM_RC_G_KEY_FILE_LOAD_FROM_FILE_ERROR);
    g_assert_cmpstr(message, ==, expected);
    g_assert_cmpint(load(&cfg, garbage, NULL), ==,
                    FLOM_RC_G_KEY_FILE_LOAD_FROM_FILE_ERROR);
    config_clear(&cfg);
}

static void test_file_bad_values(struct fixture *f, gconstpointer data)
{
    static const struct {
        const char *text;
        int rc;
    } cases[] = {
        {"[Resource]\nName=123\n", FLOM_RC_INVALID_OPTION},
        {"[Resource]\nName=_RESOURCE\n", FLOM_RC_INVALID_OPTION},
        {"[Resource]\nLockMode=XYZ\n", FLOM_RC_INVALID_OPTION},
        {"[Daemon]\nMountPointVFS=/nonexistent/dir\n", FLOM_RC_INVALID_OPTION},
        {"[TLS]\nTlsCertificate=/nonexistent/cert.pem\n",
         FLOM_RC_REALPATH_ERROR},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        struct flom_config cfg;
        g_autofree char *path = write_file(f, "v.conf", cases[i].text);
        g_autofree char *message = NULL;
        g_autofree char *prefix = g_strdup_printf(
            "ERROR: invalid configuration found in file '%s': key '", path);

        config_init(&cfg);
        g_assert_cmpint(load(&cfg, path, &message), ==, cases[i].rc);
        g_assert_true(g_str_has_prefix(message, prefix));
        config_clear(&cfg);
    }
}

static void test_file_long_socket(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *name = g_strnfill(CONFIG_SOCKET_NAME_MAX + 1, 's');
    g_autofree char *ok_name = g_strnfill(CONFIG_SOCKET_NAME_MAX, 's');
    g_autofree char *text = g_strdup_printf("[Daemon]\nSocketName=%s\n", name);
    g_autofree char *ok_text =
        g_strdup_printf("[Daemon]\nSocketName=%s\n", ok_name);
    g_autofree char *bad = write_file(f, "s1.conf", text);
    g_autofree char *good = write_file(f, "s2.conf", ok_text);

    config_init(&cfg);
    g_assert_cmpint(load(&cfg, bad, NULL), ==, FLOM_RC_INVALID_OPTION);
    g_assert_cmpint(load(&cfg, good, NULL), ==, 0);
    g_assert_cmpstr(cfg.socket_name, ==, ok_name);
    config_clear(&cfg);
}

static void test_tls_realpath(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *target = write_file(f, "cert.pem", "x");
    g_autofree char *link = g_build_filename(f->dir, "link.pem", NULL);
    g_autofree char *real = realpath(target, NULL);

    g_assert_cmpint(symlink(target, link), ==, 0);
    config_init(&cfg);
    g_assert_cmpint(config_set_text(&cfg, CONFIG_TLS_CERTIFICATE, link, NULL),
                    ==, 0);
    g_assert_cmpstr(cfg.tls_certificate, ==, real);
    config_clear(&cfg);
}

static void test_empty_string_unsets(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *path =
        write_file(f, "e.conf", "[Daemon]\nUnicastAddress=\n");

    config_init(&cfg);
    config_set_text(&cfg, CONFIG_UNICAST_ADDRESS, "somehost", NULL);
    g_assert_cmpint(load(&cfg, path, NULL), ==, 0);
    g_assert_null(cfg.unicast_address);
    config_clear(&cfg);
}

static bool lo_has_ipv6(void)
{
    struct ifaddrs *list = NULL;
    bool found = false;

    if (getifaddrs(&list) != 0)
        return false;
    for (struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
        if (ifa->ifa_addr != NULL && ifa->ifa_addr->sa_family == AF_INET6 &&
            strcmp(ifa->ifa_name, "lo") == 0)
            found = true;
    freeifaddrs(list);
    return found;
}

static void test_interface(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;

    config_init(&cfg);
    g_assert_cmpint(
        config_set_text(&cfg, CONFIG_NETWORK_INTERFACE, "no-such-if0", NULL),
        ==, 0);
    g_assert_null(cfg.network_interface);
    if (lo_has_ipv6()) {
        g_assert_cmpint(
            config_set_text(&cfg, CONFIG_NETWORK_INTERFACE, "lo", NULL), ==, 0);
        g_assert_cmpstr(cfg.network_interface, ==, "lo");
        /* An unusable interface keeps the previous value. */
        config_set_text(&cfg, CONFIG_NETWORK_INTERFACE, "no-such-if0", NULL);
        g_assert_cmpstr(cfg.network_interface, ==, "lo");
    }
    config_clear(&cfg);
}

static void test_set_int_rules(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;

    config_init(&cfg);
    config_set_int(&cfg, CONFIG_RESOURCE_TIMEOUT, -5);
    g_assert_cmpint(cfg.resource_timeout, ==, -5);
    config_set_int(&cfg, CONFIG_DAEMON_LIFESPAN, -1);
    g_assert_cmpint(cfg.daemon_lifespan, ==, -1);
    config_set_int(&cfg, CONFIG_RESOURCE_QUANTITY, 0);
    g_assert_cmpint(cfg.resource_quantity, ==, 1);
    config_set_int(&cfg, CONFIG_UNICAST_PORT, G_MININT);
    g_assert_cmpint(cfg.unicast_port, ==, G_MAXINT);
    config_set_int(&cfg, CONFIG_RESOURCE_IDLE_LIFESPAN, 0);
    g_assert_cmpint(cfg.resource_idle_lifespan, ==, 0);
    g_assert_cmpint(config_set_int(&cfg, CONFIG_RESOURCE_NAME, 3), ==,
                    FLOM_RC_INVALID_OPTION);
    g_assert_cmpint(config_set_text(&cfg, CONFIG_DISCOVERY_TTL, "x", NULL), ==,
                    FLOM_RC_INVALID_OPTION);
    g_assert_cmpint(config_set_text(&cfg, CONFIG_DISCOVERY_TTL, "-4", NULL), ==,
                    0);
    g_assert_cmpint(cfg.discovery_ttl, ==, 4);
    g_assert_cmpstr(config_item_group(CONFIG_DISCOVERY_TTL), ==, "Network");
    g_assert_cmpstr(config_item_key(CONFIG_DISCOVERY_TTL), ==, "DiscoveryTTL");
    config_clear(&cfg);
}

/* ------------------------------------------------------------ layering */

static void test_layers(struct fixture *f, gconstpointer data)
{
    struct cli cli;
    g_autofree char *custom = NULL;

    g_assert_true(g_file_set_contents(
        f->sys_file,
        "[Daemon]\nLifespan=111\nUnicastPort=1111\nMulticastPort=1112\n"
        "[Resource]\nTimeout=11\n[Network]\nDiscoveryTTL=5\n",
        -1, NULL));
    g_assert_true(g_file_set_contents(
        f->user_file,
        "[Daemon]\nLifespan=222\nUnicastPort=2222\n[Resource]\n"
        "Timeout=22\n",
        -1, NULL));
    custom = write_file(f, "custom.conf",
                        "[Daemon]\nLifespan=333\n[Resource]\nTimeout=33\n");
    g_assert_cmpint(
        RUN(&cli, "-c", custom, "-o", "44", "-s", "/tmp/x", "--", "true"), ==,
        -1);
    g_assert_cmpint(cli.cfg.discovery_ttl, ==, 5);     /* system */
    g_assert_cmpint(cli.cfg.multicast_port, ==, 1112); /* system */
    g_assert_cmpint(cli.cfg.unicast_port, ==, 2222);   /* user */
    g_assert_cmpint(cli.cfg.daemon_lifespan, ==, 333); /* -c */
    g_assert_cmpint(cli.cfg.resource_timeout, ==, 44); /* command line */
    cli_clear(&cli);
}

/* The command line wins even with the build default (no FLoM sentinel). */
static void test_command_line_wins(struct fixture *f, gconstpointer data)
{
    struct cli cli;

    g_assert_true(g_file_set_contents(
        f->user_file,
        "[Daemon]\nLifespan=3000\nUnicastPort=1\nMulticastPort=2\n"
        "[Resource]\nTimeout=100\nQuantity=5\nIdleLifespan=700\n"
        "Create=no\nLockMode=PR\n[Trace]\nVerbose=no\n"
        "[Network]\nDiscoveryAttempts=9\nDiscoveryTimeout=9\n"
        "DiscoveryTTL=9\nTcpKeepaliveTime=9\nTcpKeepaliveIntvl=9\n"
        "TcpKeepaliveProbes=9\n[Monitor]\nIgnoredSignals=SIGINT\n",
        -1, NULL));
    g_assert_cmpint(RUN(&cli, "-d", "5000", "-p", "28015", "-P", "28015", "-o",
                        "-1", "-q", "0", "-i", "0", "-e", "yes", "-l", "EX",
                        "-D", "2", "-I", "500", "--discovery-ttl", "1",
                        "--tcp-keepalive-time", "60", "--tcp-keepalive-intvl",
                        "10", "--tcp-keepalive-probes", "6", "--ignore-signal",
                        "SIGTERM", "-s", "/tmp/x", "--", "true"),
                    ==, -1);
    g_assert_cmpint(cli.cfg.daemon_lifespan, ==, 5000);
    g_assert_cmpint(cli.cfg.unicast_port, ==, 28015);
    g_assert_cmpint(cli.cfg.multicast_port, ==, 28015);
    g_assert_cmpint(cli.cfg.resource_timeout, ==, -1);
    g_assert_cmpint(cli.cfg.resource_quantity, ==, 1);
    g_assert_cmpint(cli.cfg.resource_idle_lifespan, ==, 0);
    g_assert_true(cli.cfg.resource_create);
    g_assert_cmpint(cli.cfg.lock_mode, ==, FLOM_LOCK_MODE_EX);
    g_assert_cmpint(cli.cfg.discovery_attempts, ==, 2);
    g_assert_cmpint(cli.cfg.discovery_timeout, ==, 500);
    g_assert_cmpint(cli.cfg.discovery_ttl, ==, 1);
    g_assert_cmpint(cli.cfg.tcp_keepalive_time, ==, 60);
    g_assert_cmpint(cli.cfg.tcp_keepalive_intvl, ==, 10);
    g_assert_cmpint(cli.cfg.tcp_keepalive_probes, ==, 6);
    g_assert_cmpuint(cli.cfg.ignored_signals, ==, 1u << 15);
    g_assert_false(cli.cfg.verbose);
    cli_clear(&cli);
}

static void test_files_apply_without_options(struct fixture *f,
                                             gconstpointer data)
{
    struct cli cli;

    g_assert_true(g_file_set_contents(
        f->user_file,
        "[Resource]\nName=red.green\nCreate=off\n[Monitor]\n"
        "IgnoredSignals=SIGINT;SIGHUP\n",
        -1, NULL));
    g_assert_cmpint(RUN(&cli, "-s", "/tmp/x", "true"), ==, -1);
    g_assert_cmpstr(cli.cfg.resource_name, ==, "red.green");
    g_assert_false(cli.cfg.resource_create);
    g_assert_cmpuint(cli.cfg.ignored_signals, ==, (1u << 1) | (1u << 2));
    cli_clear(&cli);
}

static void test_normalisations(struct fixture *f, gconstpointer data)
{
    struct cli cli;

    g_assert_cmpint(RUN(&cli, "-D", "0", "--discovery-ttl", "0", "-p", "-80",
                        "-P", "-81", "-I", "-5", "-i", "-9",
                        "--tcp-keepalive-probes", "-4", "-a", "h", "-r", "n[9]",
                        "-q", "3", "--", "true"),
                    ==, -1);
    g_assert_cmpint(cli.cfg.discovery_attempts, ==, 1);
    g_assert_cmpint(cli.cfg.discovery_ttl, ==, 1);
    g_assert_cmpint(cli.cfg.unicast_port, ==, 80);
    g_assert_cmpint(cli.cfg.multicast_port, ==, 81);
    g_assert_cmpint(cli.cfg.discovery_timeout, ==, 5);
    g_assert_cmpint(cli.cfg.resource_idle_lifespan, ==, 9);
    g_assert_cmpint(cli.cfg.tcp_keepalive_probes, ==, 4);
    g_assert_cmpint(cli.cfg.resource_quantity, ==, 3); /* numeric */
    g_assert_null(cli.cfg.socket_name); /* network: no default socket */
    cli_clear(&cli);
}

static void test_negative_quantity(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess()) {
        g_assert_true(g_file_set_contents(
            f->user_file, "[Resource]\nQuantity=4\n", -1, NULL));
        struct cli cli;
        g_assert_cmpint(
            RUN(&cli, "-q", "-3", "-r", "a[5]", "-s", "/tmp/x", "--", "true"),
            ==, -1);
        g_assert_cmpint(cli.cfg.resource_quantity, ==, 4);
        cli_clear(&cli);
        exit(0);
    }
    child();
    g_test_trap_assert_stdout("");
    g_test_trap_assert_stderr("Resource quantity ignored because negative "
                              "values (-3) are meaningless\n");
}

/* ---------------------------------------------------------- the check */

static void test_check_default_socket(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;
    g_autofree char *expected = config_default_socket_name();

    g_assert_true(g_str_has_prefix(expected, "/tmp/flom-"));
    config_init(&cfg);
    g_assert_cmpint(config_check(&cfg), ==, 0);
    g_assert_cmpstr(cfg.socket_name, ==, expected);
    config_clear(&cfg);

    config_init(&cfg);
    config_set_text(&cfg, CONFIG_MULTICAST_ADDRESS, "224.0.0.1", NULL);
    g_assert_cmpint(config_check(&cfg), ==, 0);
    g_assert_null(cfg.socket_name);
    config_clear(&cfg);
}

static void test_check_socket_and_address(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess()) {
        struct flom_config cfg;
        config_init(&cfg);
        config_set_text(&cfg, CONFIG_SOCKET_NAME, "/tmp/x", NULL);
        config_set_text(&cfg, CONFIG_UNICAST_ADDRESS, "h", NULL);
        g_assert_cmpint(config_check(&cfg), ==, -1);
        g_free(cfg.unicast_address);
        cfg.unicast_address = NULL;
        config_set_text(&cfg, CONFIG_MULTICAST_ADDRESS, "224.0.0.1", NULL);
        g_assert_cmpint(config_check(&cfg), ==, -1);
        config_clear(&cfg);
        exit(0);
    }
    child();
    g_test_trap_assert_stdout(
        "ERROR: flom can not be configured for local (UNIX socket) and "
        "network (TCP-UDP/IP) communication at the same time.\n"
        "ERROR: flom can not be configured for local (UNIX socket) and "
        "network (TCP-UDP/IP) communication at the same time.\n");
}

static void test_check_forced(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;

    config_init(&cfg);
    config_set_text(&cfg, CONFIG_RESOURCE_NAME, "a.b", NULL);
    cfg.lock_mode = FLOM_LOCK_MODE_PR;
    cfg.resource_quantity = 3;
    g_assert_cmpint(config_check(&cfg), ==, 0);
    g_assert_cmpint(cfg.lock_mode, ==, FLOM_LOCK_MODE_EX);
    g_assert_cmpint(cfg.resource_quantity, ==, 1);

    config_set_text(&cfg, CONFIG_RESOURCE_NAME, "/a/b", NULL);
    cfg.lock_mode = FLOM_LOCK_MODE_PR;
    cfg.resource_quantity = 3;
    g_assert_cmpint(config_check(&cfg), ==, 0);
    g_assert_cmpint(cfg.lock_mode, ==, FLOM_LOCK_MODE_PR);
    g_assert_cmpint(cfg.resource_quantity, ==, 1);

    config_set_text(&cfg, CONFIG_RESOURCE_NAME, "n[4]", NULL);
    cfg.lock_mode = FLOM_LOCK_MODE_CR;
    cfg.resource_quantity = 3;
    g_assert_cmpint(config_check(&cfg), ==, 0);
    g_assert_cmpint(cfg.lock_mode, ==, FLOM_LOCK_MODE_EX);
    g_assert_cmpint(cfg.resource_quantity, ==, 3);
    config_clear(&cfg);
}

static void test_check_forced_verbose(struct fixture *f, gconstpointer data)
{
    struct flom_config cfg;

    config_init(&cfg);
    cfg.verbose = true;
    cfg.resource_quantity = 22;
    g_test_expect_message(NULL, G_LOG_LEVEL_WARNING,
                          "This resource type (1) does not support "
                          "quantity lock option; specified value (22) will "
                          "be ignored");
    g_assert_cmpint(config_check(&cfg), ==, 0);
    g_test_assert_expected_messages();
    config_set_text(&cfg, CONFIG_RESOURCE_NAME, "_s_x[2]", NULL);
    cfg.lock_mode = FLOM_LOCK_MODE_NL;
    g_test_expect_message(NULL, G_LOG_LEVEL_WARNING,
                          "This resource type (5) support only exclusive "
                          "lock mode; specified value (0) will be ignored");
    g_assert_cmpint(config_check(&cfg), ==, 0);
    g_test_assert_expected_messages();
    config_clear(&cfg);
}

static void test_check_tls(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess()) {
        struct flom_config cfg;
        g_autofree char *pem = write_file(f, "p.pem", "x");
        config_init(&cfg);
        cfg.tls_check_peer_id = true;
        config_set_text(&cfg, CONFIG_TLS_CERTIFICATE, pem, NULL);
        config_set_text(&cfg, CONFIG_TLS_PRIVATE_KEY, pem, NULL);
        g_assert_cmpint(config_check(&cfg), ==, -1);
        config_set_text(&cfg, CONFIG_TLS_CA_CERTIFICATE, pem, NULL);
        g_assert_cmpint(config_check(&cfg), ==, 0);
        config_clear(&cfg);
        exit(0);
    }
    child();
    g_test_trap_assert_stdout("ERROR: TLS check peer id can not be "
                              "specified without full TLS "
                              "configuration.\n");
}

/* -------------------------------------------------- command line words */

static void test_command_vector(struct fixture *f, gconstpointer data)
{
    struct cli cli;
    static const char *const expected1[] = {"echo", "hi", NULL};
    static const char *const expected2[] = {"echo", "-e", "x", "--", NULL};
    static const char *const expected3[] = {"a", "b", NULL};

    g_assert_cmpint(RUN(&cli, "echo", "hi"), ==, -1);
    g_assert_cmpstrv(cli.command, expected1);
    g_assert_cmpint(cli.action, ==, CLI_ACTION_RUN);
    cli_clear(&cli);
    g_assert_cmpint(RUN(&cli, "-o", "5", "--", "echo", "-e", "x", "--"), ==,
                    -1);
    g_assert_cmpstrv(cli.command, expected2);
    cli_clear(&cli);
    g_assert_cmpint(RUN(&cli, "a", "-o", "3", "--", "b"), ==, -1);
    g_assert_cmpstrv(cli.command, expected3);
    g_assert_cmpint(cli.cfg.resource_timeout, ==, 3);
    cli_clear(&cli);
    g_assert_cmpint(RUN(&cli, "--"), ==, -1);
    g_assert_nonnull(cli.command);
    g_assert_null(cli.command[0]);
    cli_clear(&cli);
}

static void test_actions(struct fixture *f, gconstpointer data)
{
    struct cli cli;

    g_assert_cmpint(RUN(&cli, "-x"), ==, -1);
    g_assert_cmpint(cli.action, ==, CLI_ACTION_SHUTDOWN);
    g_assert_false(cli.immediate);
    cli_clear(&cli);
    g_assert_cmpint(RUN(&cli, "-x", "-X", "--", "true"), ==, -1);
    g_assert_cmpint(cli.action, ==, CLI_ACTION_SHUTDOWN);
    g_assert_true(cli.immediate);
    cli_clear(&cli);
    g_assert_cmpint(RUN(&cli, "-X", "--debug-feature=tls.client"), ==, -1);
    g_assert_cmpint(cli.action, ==, CLI_ACTION_DEBUG);
    g_assert_cmpstr(cli.debug_feature, ==, "tls.client");
    cli_clear(&cli);
}

static void test_ignore_signal_accumulates(struct fixture *f,
                                           gconstpointer data)
{
    struct cli cli;

    g_assert_cmpint(RUN(&cli, "--ignore-signal", "SIGQUIT",
                        "--ignore-signal=15", "--ignore-signal", "TERM", "--",
                        "true"),
                    ==, -1);
    g_assert_cmpuint(cli.cfg.ignored_signals, ==, (1u << 3) | (1u << 15));
    cli_clear(&cli);
}

/* ------------------------------------------ messages (in a subprocess) */

static void test_msg_bad_name(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess())
        RUN_IN_CHILD("-r", "123", "--", "true");
    child();
    g_test_trap_assert_stdout(
        "ERROR: '123' is not a valid name for a resource\nstatus=99\n");
    g_test_trap_assert_stderr("flom_config_set_resource_name: ret_cod=-14\n");
}

static void test_msg_reserved_name(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess())
        RUN_IN_CHILD("-r", "_RESOURCE");
    child();
    g_test_trap_assert_stdout("ERROR: '_RESOURCE' is a reserved resource "
                              "name and can not be set by user\n"
                              "status=99\n");
    g_test_trap_assert_stderr("flom_config_set_resource_name: ret_cod=-14\n");
}

static void test_msg_bad_create(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess())
        RUN_IN_CHILD("-e", "maybe");
    child();
    g_test_trap_assert_stdout(
        "resource-create: 'maybe' is an invalid value\nstatus=99\n");
    g_test_trap_assert_stderr("");
}

static void test_msg_first_error_wins(struct fixture *f, gconstpointer data)
{
    /* Lock mode comes before resource create in FLoM's order, whatever
     * the order on the command line. */
    if (g_test_subprocess())
        RUN_IN_CHILD("-e", "maybe", "-l", "bogus");
    child();
    g_test_trap_assert_stdout("status=99\n");
    g_test_trap_assert_stderr("lock-mode: 'bogus' is an invalid value\n");
}

static void test_msg_file_bad_bool(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess()) {
        g_assert_true(g_file_set_contents(
            f->sys_file, "[Resource]\nCreate=maybe\n", -1, NULL));
        RUN_IN_CHILD("-V", "--", "true");
    }
    child();
    /* The child made its own temporary directory. */
    g_test_trap_assert_stdout(
        "ERROR: invalid configuration found in file '/*/system.conf': key "
        "'Create' in group 'Resource': 'maybe' is not a boolean (use "
        "yes/no, true/false, on/off, 1/0)\nstatus=99\n");
    g_test_trap_assert_stderr("flom_config_init: ret_cod=-5\n");
}

static void test_msg_missing_custom(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess())
        RUN_IN_CHILD("-c", "no-such-file.conf", "--", "true");
    child();
    g_test_trap_assert_stdout(
        "ERROR: error while loading file 'no-such-file.conf'\nstatus=99\n");
    g_test_trap_assert_stderr("flom_config_init: ret_cod=-203\n");
}

static void test_msg_verbose_dump(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess()) {
        g_assert_true(g_file_set_contents(
            f->user_file, "[Daemon]\nLifespan=231\n[Resource]\nQuantity=7\n",
            -1, NULL));
        /* The check's warning must be printed, not abort the child. */
        g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
        RUN_IN_CHILD("-V", "-l", "PR", "-r", "foo[3]", "-s", "/tmp/sk", "--",
                     "true");
    }
    child();
    g_test_trap_assert_stdout("*\n[Resource]/Name='foo[3]'\n"
                              "[Resource]/Timeout=-1\n"
                              "[Resource]/Quantity=7\n"
                              "[Resource]/LockMode=3\n*"
                              "[Daemon]/SocketName='/tmp/sk'\n"
                              "[Daemon]/Lifespan=231\n*status=-1\n");
    /* Printed after the dump, which shows the values unadjusted. */
    g_test_trap_assert_stderr("*WARNING*This resource type (2) support "
                              "only exclusive lock mode; specified value "
                              "(3) will be ignored*");
}

static void test_msg_version(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess())
        RUN_IN_CHILD("-v", "-c", "missing", "--", "true");
    child();
    g_test_trap_assert_stdout(
        "FLoM: Free Lock Manager\n"
        "Copyright (c) 2013-2024, Christian Ferrari; all rights reserved.\n"
        "License: GPL (GNU Public License) version 2\n"
        "Package name: flom; package version: 1.7.2; release date: "
        "2024-03-02\n"
        "TLS supported protocol(s): All TLS protocols\n"
        "Access https://github.com/tiian/flom for project community "
        "activities\n"
        "Documentation is available at http://www.tiian.org/flom/\n"
        "status=0\n");
}

static void test_msg_option_error(struct fixture *f, gconstpointer data)
{
    if (g_test_subprocess())
        RUN_IN_CHILD("-o", "12x");
    child();
    g_test_trap_assert_stdout("status=99\n");
    g_test_trap_assert_stderr("option parsing failed: Cannot parse integer "
                              "value ?12x? for -o\n");
}

/* ------------------------------------------------------------ unique id */

static void test_uniqueid(struct fixture *f, gconstpointer data)
{
    const char *id = uniqueid_get();
    g_autofree char *file = NULL;

    g_assert_nonnull(id);
    g_assert_true(id == uniqueid_get());
    if (*id == '\0') {
        g_test_message("no machine id on this host");
        return;
    }
    g_assert_cmpuint(strlen(id), ==, 32);
    for (const char *p = id; *p; p++)
        g_assert_true(g_ascii_isdigit(*p) || (*p >= 'a' && *p <= 'f'));
    if (g_file_get_contents("/etc/machine-id", &file, NULL, NULL) &&
        strlen(file) >= 32)
        g_assert_true(strncmp(file, id, 32) == 0);
}

#define ADD(path, fn)                                                          \
    g_test_add(path, struct fixture, NULL, setup, fn, teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/config/defaults", test_defaults);
    ADD("/config/dump/defaults", test_dump_defaults);
    ADD("/config/dump/values", test_dump_values);
    ADD("/config/copy", test_copy);
    ADD("/config/parse/bool", test_parse_bool);
    ADD("/config/parse/lock-mode", test_parse_lock_mode);
    ADD("/config/parse/signal", test_parse_signal);
    ADD("/config/file/booleans", test_file_booleans);
    ADD("/config/file/bad-boolean", test_file_bad_boolean);
    ADD("/config/file/bad-integer", test_file_bad_integer);
    ADD("/config/file/all-keys", test_file_all_keys);
    ADD("/config/file/no-groups", test_file_no_groups);
    ADD("/config/file/unknown-ignored", test_file_unknown_ignored);
    ADD("/config/file/missing", test_file_missing);
    ADD("/config/file/bad-values", test_file_bad_values);
    ADD("/config/file/long-socket", test_file_long_socket);
    ADD("/config/set/tls-realpath", test_tls_realpath);
    ADD("/config/set/empty-unsets", test_empty_string_unsets);
    ADD("/config/set/interface", test_interface);
    ADD("/config/set/int-rules", test_set_int_rules);
    ADD("/config/layers/order", test_layers);
    ADD("/config/layers/command-line-wins", test_command_line_wins);
    ADD("/config/layers/files-only", test_files_apply_without_options);
    ADD("/config/cli/normalisations", test_normalisations);
    ADD("/config/cli/negative-quantity", test_negative_quantity);
    ADD("/config/cli/command-vector", test_command_vector);
    ADD("/config/cli/actions", test_actions);
    ADD("/config/cli/ignore-signal", test_ignore_signal_accumulates);
    ADD("/config/check/default-socket", test_check_default_socket);
    ADD("/config/check/socket-and-address", test_check_socket_and_address);
    ADD("/config/check/forced", test_check_forced);
    ADD("/config/check/forced-verbose", test_check_forced_verbose);
    ADD("/config/check/tls", test_check_tls);
    ADD("/config/msg/bad-name", test_msg_bad_name);
    ADD("/config/msg/reserved-name", test_msg_reserved_name);
    ADD("/config/msg/bad-create", test_msg_bad_create);
    ADD("/config/msg/first-error-wins", test_msg_first_error_wins);
    ADD("/config/msg/file-bad-bool", test_msg_file_bad_bool);
    ADD("/config/msg/missing-custom", test_msg_missing_custom);
    ADD("/config/msg/verbose-dump", test_msg_verbose_dump);
    ADD("/config/msg/version", test_msg_version);
    ADD("/config/msg/option-error", test_msg_option_error);
    ADD("/config/uniqueid", test_uniqueid);
    return g_test_run();
}
