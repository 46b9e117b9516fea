/*
 * flomd: the flom daemon. The flom command starts it on demand (see
 * autostart.c); users and service managers may start it themselves, in the
 * foreground, with the same options as flom:
 *
 *   flomd -d -1 -s /run/flom/socket        (systemd: Type=notify)
 *
 * It is a program of its own so that the flom command, which runs once per
 * locked command, does not load what only the daemon needs (libsystemd and
 * its dependencies cost about as much start-up time as a whole lock).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "daemon.h"
#include "log.h"

/* One descriptor per client: thousands of clients waiting on a resource
 * are normal, so take every descriptor the hard limit allows. */
static void raise_fd_limit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* Spec §4.2 step 3: the daemon traces into its own file, -t (relative to
 * "/", where it runs). Without one, a daemon started by a client traces
 * into its stderr, /dev/null. */
static void daemon_tracing(const struct flom_config *cfg)
{
    if (cfg->daemon_trace_file != NULL && cfg->daemon_trace_file[0] != '\0')
        trace_redirect(cfg->daemon_trace_file, cfg->append_trace_file);
}

/* The client that starts us passes the readiness pipe's descriptor. */
static int ready_fd_from_env(void)
{
    const char *text = getenv("FLOM_READY_FD");
    int fd = text ? atoi(text) : -1;

    unsetenv("FLOM_READY_FD");
    return fd > 2 ? fd : -1;
}

/* Started by flom, the daemon holds nothing but the readiness pipe once
 * the configuration (a memory file given as -c /proc/self/fd/N) is read. */
static void close_startup_fds(int ready_fd)
{
    if (ready_fd < 0)
        return;
    close_range(3, (unsigned)ready_fd - 1, 0);
    close_range((unsigned)ready_fd + 1, ~0U, 0);
}

int main(int argc, char **argv)
{
    struct cli cli = {0};
    int ready_fd = ready_fd_from_env();
    int status = cli_prepare(&cli, argc, argv);

    if (status < 0) {
        close_startup_fds(ready_fd);
        raise_fd_limit();
        if (chdir("/") < 0)
            perror("flomd: chdir");
        daemon_tracing(&cli.cfg);
        status = daemon_main(&cli.cfg, ready_fd);
    }
    cli_clear(&cli);
    return status;
}
