/*
 * Daemon start-up (see autostart.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "flom_errors.h"
#include "log.h"
#include "autostart.h"

/* The grandchild: detach from the terminal and the client's descriptors,
 * then become the daemon. Never returns. */
static void become_daemon(const struct flom_config *cfg, int ready_fd)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    int ready = fcntl(ready_fd, F_DUPFD_CLOEXEC, 3);

    if (chdir("/") < 0 || ready < 0)
        _exit(1);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
    }
    /* Everything the client had open beyond stdio is not ours to keep
     * (a caller's lock files, pipes of a shell pipeline...). */
    close_range(3, (unsigned)ready - 1, 0);
    close_range((unsigned)ready + 1, ~0U, 0);
    trace_redirect(cfg->daemon_trace_file ? cfg->daemon_trace_file : "",
                   cfg->append_trace_file);
    _exit(daemon_main(cfg, ready));
}

/* The intermediate child: new session, second fork so the daemon is not a
 * session leader and is adopted by init. */
static void detach(const struct flom_config *cfg, int ready_fd)
{
    pid_t pid;

    if (setsid() < 0)
        _exit(1);
    signal(SIGHUP, SIG_IGN);
    pid = fork();
    if (pid < 0)
        _exit(1);
    if (pid == 0)
        become_daemon(cfg, ready_fd);
    _exit(0);
}

static int read_ready(int fd)
{
    int rc;
    ssize_t n;

    do
        n = read(fd, &rc, sizeof(rc));
    while (n < 0 && errno == EINTR);
    if (n != sizeof(rc))
        return FLOM_RC_DAEMON_NOT_STARTED; /* died before reporting */
    return rc == DAEMON_READY || rc == DAEMON_READY_OTHER ? FLOM_RC_OK : rc;
}

int autostart_daemon(const struct flom_config *cfg)
{
    int fds[2], status, rc;
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) < 0)
        return FLOM_RC_PIPE_ERROR;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return FLOM_RC_FORK_ERROR;
    }
    if (pid == 0) {
        close(fds[0]);
        detach(cfg, fds[1]);
    }
    close(fds[1]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    rc = read_ready(fds[0]);
    close(fds[0]);
    TRACE(TRACE_CLIENT, "daemon start: rc=%d", rc);
    return rc;
}
