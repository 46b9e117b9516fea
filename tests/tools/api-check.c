/*
 * api-check: a program written the way a FLoM 1.7.2 user writes one (only
 * <flom.h>, linked with the shared libflom), that runs one scenario of the
 * C API and prints its results, one "key=value" a line, for
 * tests/integration/t-api.sh to compare with spec §9.
 *
 *   api-check SCENARIO [ARG...]
 *
 * The daemon's socket is taken from FLOM_API_SOCKET when set (through
 * flom_handle_set_socket_name), otherwise from the configuration files.
 * Exit status: 0 when the scenario ran (whatever its results), 2 on usage
 * errors.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <flom.h>

#include "api-check.h"

#define THREADS 8
#define THREAD_ROUNDS 20

/* Every getter on a fresh handle, static and dynamic. */
static void scenario_defaults(void)
{
    flom_handle_t st;
    flom_handle_t *dyn;

    say_int("init.rc", flom_handle_init(&st));
    say_int("init.state", (int)st.state);
    say_properties("static", &st);
    say_int("clean.rc", flom_handle_clean(&st));
    say_int("clean.state", (int)st.state);
    dyn = flom_handle_new();
    say_int("new.ok", dyn != NULL);
    say_properties("dynamic", dyn);
    flom_handle_delete(dyn);
}

/* No daemon: -105, the handle stays INIT, and none is started. */
static void scenario_nodaemon(void)
{
    flom_handle_t *h = handle_for(NULL, -1);

    say_call("lock", flom_handle_lock(h), h);
    say_call("lock_again", flom_handle_lock(h), h);
    say_call("unlock", flom_handle_unlock(h), h);
    say_call("clean", flom_handle_clean(h), h);
    flom_handle_delete(h);
}

/* Invalid names are ignored; setters are frozen while LOCKED. */
static void states_locked(flom_handle_t *h)
{
    say_int("bad_name.rc", flom_handle_set_resource_name(h, "a["));
    say_str("bad_name.name", flom_handle_get_resource_name(h));
    say_int("reserved_name.rc", flom_handle_set_resource_name(h, "_RESOURCE"));
    say_int("good_name.rc", flom_handle_set_resource_name(h, "apple"));
    say_str("good_name.name", flom_handle_get_resource_name(h));
    say_call("lock", flom_handle_lock(h), h);
    say_str("lock.element", flom_handle_get_locked_element(h));
    say_int("locked_set_timeout.rc", flom_handle_set_resource_timeout(h, 5));
    say_int("locked_set_timeout.value", flom_handle_get_resource_timeout(h));
    say_int("locked_set_name.rc", flom_handle_set_resource_name(h, "pear"));
    say_int("locked_set_socket.rc", flom_handle_set_socket_name(h, "/x"));
    say_int("locked_set_mode.rc",
            flom_handle_set_lock_mode(h, FLOM_LOCK_MODE_PR));
    say_call("relock", flom_handle_lock(h), h);
}

/* A second handle refused (busy) stays CONNECTED until unlock. */
static void states_busy(void)
{
    flom_handle_t *h = handle_for("apple", 0);

    say_call("busy", flom_handle_lock(h), h);
    say_int("connected_set_mode.rc",
            flom_handle_set_lock_mode(h, FLOM_LOCK_MODE_EX));
    say_int("connected_set_name.rc", flom_handle_set_resource_name(h, "apple"));
    say_int("connected_set_attempts.rc",
            flom_handle_set_discovery_attempts(h, 3));
    say_int("connected_set_socket.rc", flom_handle_set_socket_name(h, "/x"));
    say_call("connected_clean", flom_handle_clean(h), h);
    say_call("connected_unlock", flom_handle_unlock(h), h);
    say_call("disconnected_clean", flom_handle_clean(h), h);
    flom_handle_delete(h);
    h = handle_for("apple", 300);
    say_call("timeout", flom_handle_lock(h), h);
    flom_handle_delete(h);
}

/* Refusals other than "busy": must exist, impossible quantity. */
static void states_refusals(void)
{
    flom_handle_t *h = handle_for("nosuchresource", 0);

    flom_handle_set_resource_create(h, 0);
    say_call("cant_wait", flom_handle_lock(h), h);
    flom_handle_delete(h);
    h = handle_for("num[1]", 0);
    flom_handle_set_resource_quantity(h, 2);
    say_call("impossible", flom_handle_lock(h), h);
    flom_handle_delete(h);
}

static void scenario_states(void)
{
    flom_handle_t h;
    flom_handle_t *free_check;

    flom_handle_init(&h);
    if (getenv("FLOM_API_SOCKET") != NULL)
        flom_handle_set_socket_name(&h, getenv("FLOM_API_SOCKET"));
    states_locked(&h);
    states_busy();
    states_refusals();
    say_call("rollback_simple", flom_handle_unlock_rollback(&h), &h);
    say_call("unlock_disconnected", flom_handle_unlock(&h), &h);
    say_call("lock_from_disconnected", flom_handle_lock(&h), &h);
    say_call("clean_locked", flom_handle_clean(&h), &h);
    say_call("clean_cleaned", flom_handle_clean(&h), &h);
    say_call("lock_cleaned", flom_handle_lock(&h), &h);
    /* clean from LOCKED unlocked it: the resource is free again */
    free_check = handle_for("apple", 0);
    say_call("released", flom_handle_lock(free_check), free_check);
    flom_handle_delete(free_check);
}

/* spec §9.4's example: a static then a dynamic handle on a set. */
static void scenario_set(void)
{
    flom_handle_t st;
    flom_handle_t *dyn;

    flom_handle_init(&st);
    if (getenv("FLOM_API_SOCKET") != NULL)
        flom_handle_set_socket_name(&st, getenv("FLOM_API_SOCKET"));
    flom_handle_set_resource_name(&st, "red.green.blue");
    say_call("static_lock", flom_handle_lock(&st), &st);
    say_str("static_element", flom_handle_get_locked_element(&st));
    say_call("static_unlock", flom_handle_unlock(&st), &st);
    say_str("static_element_after_unlock", flom_handle_get_locked_element(&st));
    say_call("static_clean", flom_handle_clean(&st), &st);
    dyn = handle_for("red.green.blue", -1);
    say_call("dynamic_lock", flom_handle_lock(dyn), dyn);
    say_str("dynamic_element", flom_handle_get_locked_element(dyn));
    say_call("dynamic_unlock", flom_handle_unlock(dyn), dyn);
    flom_handle_delete(dyn);
}

/* Locks the sequence and dies with abort() while holding the value. */
static void sequence_child(const char *name)
{
    flom_handle_t *h = handle_for(name, -1);

    say_call("child_lock", flom_handle_lock(h), h);
    say_str("child_element", flom_handle_get_locked_element(h));
    abort();
}

static void sequence_lock(const char *key, flom_handle_t *h)
{
    char element_key[64];

    say_call(key, flom_handle_lock(h), h);
    snprintf(element_key, sizeof(element_key), "%s.element", key);
    say_str(element_key, flom_handle_get_locked_element(h));
}

static void scenario_sequence(void)
{
    const char *name = "_S_x[1]";
    flom_handle_t *h = handle_for(name, -1);
    int status = 0;
    pid_t pid;

    sequence_lock("first", h);
    say_call("first_unlock", flom_handle_unlock(h), h); /* consumed */
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        sequence_child(name);
    waitpid(pid, &status, 0);
    say_int("child_signal", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    sequence_lock("after_abort", h);
    say_call("rollback", flom_handle_unlock_rollback(h), h);
    sequence_lock("after_rollback", h);
    say_call("commit", flom_handle_unlock(h), h);
    sequence_lock("after_commit", h);
    flom_handle_delete(h); /* LOCKED: delete unlocks, committing */
}

static void setters_ints(flom_handle_t *h)
{
    flom_handle_set_discovery_attempts(h, -3);
    say_int("attempts_neg", flom_handle_get_discovery_attempts(h));
    flom_handle_set_discovery_attempts(h, 0);
    say_int("attempts_zero", flom_handle_get_discovery_attempts(h));
    flom_handle_set_discovery_timeout(h, -7);
    say_int("timeout_neg", flom_handle_get_discovery_timeout(h));
    flom_handle_set_discovery_timeout(h, 0);
    say_int("timeout_zero", flom_handle_get_discovery_timeout(h));
    flom_handle_set_discovery_ttl(h, -2);
    say_int("ttl_neg", flom_handle_get_discovery_ttl(h));
    flom_handle_set_discovery_ttl(h, 0);
    say_int("ttl_zero", flom_handle_get_discovery_ttl(h));
    flom_handle_set_multicast_port(h, -5);
    say_int("mport_neg", flom_handle_get_multicast_port(h));
    flom_handle_set_unicast_port(h, -6);
    say_int("uport_neg", flom_handle_get_unicast_port(h));
}

static void setters_request(flom_handle_t *h)
{
    flom_handle_set_resource_idle_lifespan(h, -9);
    say_int("idle_neg", flom_handle_get_resource_idle_lifespan(h));
    flom_handle_set_resource_idle_lifespan(h, 0);
    say_int("idle_zero", flom_handle_get_resource_idle_lifespan(h));
    flom_handle_set_resource_quantity(h, -3);
    say_int("quantity_neg", flom_handle_get_resource_quantity(h));
    flom_handle_set_resource_quantity(h, 0);
    say_int("quantity_zero", flom_handle_get_resource_quantity(h));
    flom_handle_set_resource_timeout(h, -5);
    say_int("rtimeout_neg", flom_handle_get_resource_timeout(h));
    flom_handle_set_resource_create(h, 7);
    say_int("create_seven", flom_handle_get_resource_create(h));
    flom_handle_set_resource_create(h, 0);
    say_int("create_zero", flom_handle_get_resource_create(h));
    flom_handle_set_lock_mode(h, FLOM_LOCK_MODE_PR);
    say_int("mode_pr", (int)flom_handle_get_lock_mode(h));
    flom_handle_set_tls_check_peer_id(h, 5);
    say_int("peer_id_five", flom_handle_get_tls_check_peer_id(h));
}

static void say_transport(const char *key, const flom_handle_t *h)
{
    char k[64];

    snprintf(k, sizeof(k), "%s.socket", key);
    say_str(k, flom_handle_get_socket_name(h));
    snprintf(k, sizeof(k), "%s.unicast", key);
    say_str(k, flom_handle_get_unicast_address(h));
    snprintf(k, sizeof(k), "%s.multicast", key);
    say_str(k, flom_handle_get_multicast_address(h));
}

static void setters_transport(flom_handle_t *h)
{
    char name[120];

    memset(name, 'a', sizeof(name));
    name[0] = '/';
    name[108] = '\0';
    say_int("socket_108.rc", flom_handle_set_socket_name(h, name));
    name[107] = '\0';
    say_int("socket_107.rc", flom_handle_set_socket_name(h, name));
    say_int("unicast.rc", flom_handle_set_unicast_address(h, "127.0.0.1"));
    say_transport("unicast", h);
    say_int("multicast.rc", flom_handle_set_multicast_address(h, "224.0.0.1"));
    say_transport("multicast", h);
    say_int("socket.rc", flom_handle_set_socket_name(h, "/tmp/x"));
    say_transport("socket", h);
    say_int("socket_null.rc", flom_handle_set_socket_name(h, NULL));
    say_transport("none", h);
    say_call("none_lock", flom_handle_lock(h), h);
}

static void setters_interface(flom_handle_t *h)
{
    say_int("if_bad.rc", flom_handle_set_network_interface(h, "nosuchif0"));
    say_str("if_bad.value", flom_handle_get_network_interface(h));
    say_int("if_lo.rc", flom_handle_set_network_interface(h, "lo"));
    say_str("if_lo.value", flom_handle_get_network_interface(h));
}

/* NULL handles: setters and calls say -4, getters do not crash. */
static void setters_null(void)
{
    say_int("null_init.rc", flom_handle_init(NULL));
    say_int("null_lock.rc", flom_handle_lock(NULL));
    say_int("null_unlock.rc", flom_handle_unlock(NULL));
    say_int("null_clean.rc", flom_handle_clean(NULL));
    say_int("null_set.rc", flom_handle_set_resource_timeout(NULL, 1));
    say_int("null_get", flom_handle_get_resource_timeout(NULL));
    say_str("null_element", flom_handle_get_locked_element(NULL));
    flom_handle_delete(NULL);
}

static void scenario_setters(void)
{
    flom_handle_t *h = flom_handle_new();

    setters_ints(h);
    setters_request(h);
    setters_transport(h);
    setters_interface(h);
    setters_null();
    flom_handle_delete(h);
}

/* TLS paths are stored resolved; flom has no TLS yet (libflom(3)). */
static void scenario_tls(int argc, char **argv)
{
    flom_handle_t *h = handle_for(NULL, -1);

    if (argc < 5) {
        fprintf(stderr, "usage: api-check tls CERT KEY CA MISSING\n");
        exit(2);
    }
    say_int("missing.rc", flom_handle_set_tls_certificate(h, argv[4]));
    say_str("missing.value", flom_handle_get_tls_certificate(h));
    say_int("cert.rc", flom_handle_set_tls_certificate(h, argv[1]));
    say_str("cert.value", flom_handle_get_tls_certificate(h));
    flom_handle_set_tls_check_peer_id(h, 1);
    say_call("peer_id_lock", flom_handle_lock(h), h);
    flom_handle_set_tls_check_peer_id(h, 0);
    say_int("key.rc", flom_handle_set_tls_private_key(h, argv[2]));
    say_str("key.value", flom_handle_get_tls_private_key(h));
    say_int("ca.rc", flom_handle_set_tls_ca_certificate(h, argv[3]));
    say_str("ca.value", flom_handle_get_tls_ca_certificate(h));
    say_call("tls_lock", flom_handle_lock(h), h);
    say_int("unset.rc", flom_handle_set_tls_certificate(h, NULL));
    say_call("plain_lock", flom_handle_lock(h), h);
    flom_handle_delete(h);
}

/* The handle takes the configuration files' values (no FLOM_API_SOCKET);
 * a broken file makes every handle creation fail. */
static void scenario_config(void)
{
    flom_handle_t st;
    flom_handle_t *h = flom_handle_new();

    say_int("new.ok", h != NULL);
    say_int("init.rc", flom_handle_init(&st));
    if (h == NULL)
        return;
    flom_handle_clean(&st);
    say_properties("config", h);
    say_call("lock", flom_handle_lock(h), h);
    say_call("unlock", flom_handle_unlock(h), h);
    flom_handle_delete(h);
}

/* The trace file is (re)opened at once and follows API calls. */
static void scenario_trace(int argc, char **argv)
{
    flom_handle_t *h = handle_for("traced", -1);

    if (argc < 2) {
        fprintf(stderr, "usage: api-check trace FILE\n");
        exit(2);
    }
    say_int("set.rc", flom_handle_set_trace_filename(h, argv[1]));
    say_str("set.value", flom_handle_get_trace_filename(h));
    say_call("lock", flom_handle_lock(h), h);
    say_int("locked_set.rc", flom_handle_set_trace_filename(h, argv[1]));
    say_call("unlock", flom_handle_unlock(h), h);
    flom_handle_delete(h);
}

/* Handles of several threads on one resource: the first calls race for
 * the library initialisation, and the holders must never overlap. */
static pthread_mutex_t counter_mutex = PTHREAD_MUTEX_INITIALIZER;
static int inside, overlaps, granted;

static void count_holder(int delta)
{
    pthread_mutex_lock(&counter_mutex);
    inside += delta;
    if (inside > 1)
        overlaps++;
    if (delta > 0)
        granted++;
    pthread_mutex_unlock(&counter_mutex);
}

static void *thread_main(void *arg)
{
    const struct timespec pause = {0, 200000};
    flom_handle_t *h = handle_for("threaded", -1);

    for (int i = 0; i < THREAD_ROUNDS; i++) {
        if (flom_handle_lock(h) != FLOM_RC_OK)
            continue;
        count_holder(+1);
        nanosleep(&pause, NULL);
        count_holder(-1);
        flom_handle_unlock(h);
    }
    flom_handle_delete(h);
    return arg;
}

static void scenario_threads(void)
{
    pthread_t threads[THREADS];

    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, thread_main, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    say_int("granted", granted);
    say_int("overlaps", overlaps);
}

/* Scenarios that take arguments get them as main's, shifted by one. */
static const struct {
    const char *name;
    void (*plain)(void);
    void (*with_args)(int argc, char **argv);
} scenarios[] = {
    {"defaults", scenario_defaults, NULL},
    {"nodaemon", scenario_nodaemon, NULL},
    {"states", scenario_states, NULL},
    {"set", scenario_set, NULL},
    {"sequence", scenario_sequence, NULL},
    {"setters", scenario_setters, NULL},
    {"tls", NULL, scenario_tls},
    {"config", scenario_config, NULL},
    {"trace", NULL, scenario_trace},
    {"threads", scenario_threads, NULL},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: api-check SCENARIO [ARG...]\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
        if (strcmp(argv[1], scenarios[i].name) == 0) {
            if (scenarios[i].plain != NULL)
                scenarios[i].plain();
            else
                scenarios[i].with_args(argc - 1, argv + 1);
            return 0;
        }
    }
    fprintf(stderr, "api-check: unknown scenario '%s'\n", argv[1]);
    return 2;
}
