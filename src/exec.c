/*
 * The client role of the flom command (see exec.h): lock, run the command,
 * unlock. Deliberate differences from FLoM: a command killed by signal N
 * makes flom exit 128+N; SIGINT, SIGTERM and SIGHUP sent to flom are
 * forwarded to the command and flom waits for it before unlocking.
 */
#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "exec.h"
#include "flom_errors.h"
#include "log.h"
#include "autostart.h"

extern char **environ;

static const int forwarded_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* How many connections a lock request may try when daemons vanish before
 * answering (see client_lock_unanswered). */
#define LOCK_ATTEMPTS 3

static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t pending_signal;

static void forward_signal(int signo)
{
    if (child_pid > 0)
        kill((pid_t)child_pid, signo);
    else
        pending_signal = signo;
}

/* Before the command starts, forwarding covers the signals flom does not
 * ignore (the command gets them at their default, exec resets caught
 * ones); after it started (ignored_too), also those flom was started with
 * ignored: the command inherited them ignored (nohup, background jobs of a
 * non-interactive shell) and keeps them so, but a signal sent to flom
 * still goes to the command, which decides. */
static void install_forwarding(bool ignored_too)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = forward_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(forwarded_signals); i++) {
        struct sigaction old;

        if (sigaction(forwarded_signals[i], NULL, &old) == 0 &&
            (old.sa_handler == SIG_IGN) != ignored_too)
            continue;
        sigaction(forwarded_signals[i], &sa, NULL);
    }
}

/* --ignore-signal: only flom ignores them (the command keeps the
 * dispositions flom had when it started), as in FLoM. */
static void ignore_signals(uint32_t set, struct sigaction *saved)
{
    for (int signo = 1; signo < 32; signo++) {
        struct sigaction sa = {.sa_handler = SIG_IGN};

        if (!(set & (1u << signo)))
            continue;
        if (sigaction(signo, &sa, &saved[signo]) < 0)
            fprintf(stderr, "Warning: couldn't ignore signal %d:%s\n", signo,
                    config_signal_name(signo));
    }
}

static void restore_signals(uint32_t set, const struct sigaction *saved)
{
    for (int signo = 1; signo < 32; signo++) {
        if ((set & (1u << signo)) && signo != SIGKILL && signo != SIGSTOP &&
            sigaction(signo, &saved[signo], NULL) < 0)
            fprintf(stderr,
                    "Warning: couldn't restore default behavior for %d:%s\n",
                    signo, config_signal_name(signo));
    }
}

/* The command's environment: ours plus FLOM_LOCKED_ELEMENT. */
static char **command_environment(const char *element)
{
    char **env = g_get_environ();

    if (element != NULL)
        env = g_environ_setenv(env, "FLOM_LOCKED_ELEMENT", element, TRUE);
    return env;
}

/* The argv FLoM runs: the command plus the locked element, if any. */
static char **command_argv(char **command, const char *element)
{
    guint n = g_strv_length(command);
    char **argv = g_new0(char *, n + 2);

    for (guint i = 0; i < n; i++)
        argv[i] = command[i];
    argv[n] = (char *)element;
    return argv;
}

static int wait_command(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return FLOM_ES_UNABLE_TO_EXECUTE_COMMAND;
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

/* Runs the command and returns its exit status (97 if it cannot run). */
static int run_command(const struct flom_config *cfg, char **command,
                       const char *element)
{
    g_autofree char **argv = command_argv(command, element);
    g_auto(GStrv) env = command_environment(element);
    struct sigaction saved[32];
    pid_t pid;
    int r, status;

    install_forwarding(false);
    r = posix_spawnp(&pid, argv[0], NULL, NULL, argv, env);
    if (r != 0) {
        fprintf(stderr, "flom: unable to execute command '%s': %s\n", argv[0],
                g_strerror(r));
        return FLOM_ES_UNABLE_TO_EXECUTE_COMMAND;
    }
    child_pid = pid;
    install_forwarding(true);
    if (pending_signal != 0)
        kill(pid, pending_signal);
    ignore_signals(cfg->ignored_signals, saved);
    status = wait_command(pid);
    restore_signals(cfg->ignored_signals, saved);
    child_pid = 0;
    return status;
}

/* Prints the message of a failed lock (spec §1.11); returns the status. */
static int lock_failure(const struct flom_config *cfg, int rc)
{
    switch (rc) {
    case FLOM_RC_LOCK_BUSY:
        fprintf(stderr, "Resource already locked, the lock cannot be obtained\n");
        return FLOM_ES_RESOURCE_BUSY;
    case FLOM_RC_LOCK_CANT_WAIT:
        fprintf(stderr, "The resource could be available in the future, but "
                        "the requester can't wait\n");
        return FLOM_ES_REQUESTER_CANT_WAIT;
    case FLOM_RC_LOCK_IMPOSSIBLE:
        fprintf(stderr, "Resource will never satisfy the request, the lock "
                        "cannot be obtained\n");
        return FLOM_ES_GENERIC_ERROR;
    case FLOM_RC_NETWORK_TIMEOUT:
        fprintf(stderr,
                "The lock was not obtained because timeout (%d milliseconds) "
                "expired\n",
                cfg->resource_timeout);
        return FLOM_ES_RESOURCE_BUSY;
    default:
        fprintf(stderr, "flom_client_lock: ret_cod=%d (%s)\n", rc,
                flom_strerror(rc));
        return FLOM_ES_GENERIC_ERROR;
    }
}

static bool is_lock_outcome(int rc)
{
    return rc == FLOM_RC_LOCK_BUSY || rc == FLOM_RC_LOCK_CANT_WAIT ||
           rc == FLOM_RC_LOCK_IMPOSSIBLE || rc == FLOM_RC_NETWORK_TIMEOUT;
}

static int unlock_and_leave(struct client *c, int status)
{
    int rc = client_unlock(c, status != 0);

    if (rc != FLOM_RC_OK) {
        fprintf(stderr, "flom_client_unlock: ret_cod=%d (%s)\n", rc,
                flom_strerror(rc));
        fprintf(stderr, "flom: the connection to the daemon was lost while "
                        "the command ran: the lock was not held until the "
                        "end\n");
        client_clear(c);
        return FLOM_ES_GENERIC_ERROR;
    }
    client_clear(c);
    return status;
}

/* Options of features this build does not have yet: TLS cannot be
 * skipped silently (the peer expects it), the VFS only informs. */
static int unsupported_features(const struct flom_config *cfg)
{
    if (cfg->tls_certificate && cfg->tls_private_key &&
        cfg->tls_ca_certificate) {
        fprintf(stderr, "flom: TLS is not supported by this build of flom\n");
        fprintf(stderr, "flom_client_connect: ret_cod=%d (%s)\n",
                FLOM_RC_NO_VALID_TLS_METHOD,
                flom_strerror(FLOM_RC_NO_VALID_TLS_METHOD));
        return FLOM_ES_GENERIC_ERROR;
    }
    if (cfg->mount_point_vfs != NULL)
        fprintf(stderr, "flom: warning: the virtual file system (-m) is not "
                        "supported by this build; a daemon started now runs "
                        "without it\n");
    return 0;
}

int exec_run(const struct flom_config *cfg, char **command)
{
    struct client c;
    int rc, status;

    if (command == NULL || command[0] == NULL) {
        fprintf(stderr, "No command to execute!\n");
        return FLOM_ES_UNABLE_TO_EXECUTE_COMMAND;
    }
    status = unsupported_features(cfg);
    if (status != 0)
        return status;
    client_init(&c);
    for (int attempt = 0;; attempt++) {
        rc = client_connect(&c, cfg, autostart_daemon);
        if (rc != FLOM_RC_OK) {
            fprintf(stderr, "flom_client_connect: ret_cod=%d (%s)\n", rc,
                    flom_strerror(rc));
            return FLOM_ES_GENERIC_ERROR;
        }
        rc = client_lock(&c, cfg);
        /* a daemon on its way out took the connection but never read
         * it: ask again (a new daemon is started if needed) */
        if (!client_lock_unanswered(&c, rc) || attempt == LOCK_ATTEMPTS - 1)
            break;
        client_clear(&c);
    }
    if (rc != FLOM_RC_OK) {
        status = lock_failure(cfg, rc);
        if (is_lock_outcome(rc))
            client_disconnect(&c);
        client_clear(&c);
        return status;
    }
    if (cfg->verbose && c.element != NULL)
        printf("Locked element is '%s'\n", c.element);
    fflush(stdout);
    status = run_command(cfg, command, c.element);
    return unlock_and_leave(&c, status);
}

int exec_shutdown(const struct flom_config *cfg, bool immediate)
{
    int rc;

    printf("Starting FLoM daemon %s shutdown...\n",
           immediate ? "immediate" : "quiesce");
    fflush(stdout);
    rc = client_shutdown_daemon(cfg, immediate);
    return rc == FLOM_RC_OK ? FLOM_ES_OK : FLOM_ES_GENERIC_ERROR;
}
