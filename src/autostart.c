/*
 * Daemon start-up (see autostart.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/mman.h>

#include "daemon.h"
#include "flom_errors.h"
#include "log.h"
#include "autostart.h"

/* Where flomd is: next to this flom (a build tree, or the same bin
 * directory), else where it was installed. */
static char *flomd_path(void)
{
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = self ? g_path_get_dirname(self) : NULL;
    char *path = dir ? g_build_filename(dir, "flomd", NULL) : NULL;

    if (path != NULL && access(path, X_OK) == 0)
        return path;
    g_free(path);
    return g_strdup(BINDIR "/flomd");
}

/* The configuration travels as a key file in a memory file that flomd
 * reads with -c: the daemon gets exactly the starting command's
 * configuration (spec §4.2), files and command line included. */
static int config_memfd(const struct flom_config *cfg)
{
    struct flom_config daemon_cfg = *cfg;
    g_autofree char *text = NULL;
    size_t len;
    int fd;

    /* -T is the command's trace file: a daemon opening it would truncate
     * what the command traces there (the daemon's own is -t, §10.1). */
    daemon_cfg.command_trace_file = NULL;
    text = config_serialize(&daemon_cfg);
    len = strlen(text);
    fd = memfd_create("flom-config", 0);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len ||
        lseek(fd, 0, SEEK_SET) < 0)
        return -1;
    return fd;
}

/* The grandchild: detach from the terminal and the client's descriptors,
 * then exec the daemon. Never returns. */
static void become_daemon(const struct flom_config *cfg, const char *flomd,
                          int ready_fd)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    int ready = fcntl(ready_fd, F_DUPFD, 3);
    int conf = config_memfd(cfg);
    char ready_text[16], conf_path[64];

    if (chdir("/") < 0 || ready < 0 || conf < 0)
        _exit(1);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
    }
    /* Nothing else the client had open belongs to the daemon (a caller's
     * lock files, the pipes of a shell pipeline...). */
    close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    fcntl(ready, F_SETFD, 0);
    fcntl(conf, F_SETFD, 0);
    snprintf(ready_text, sizeof(ready_text), "%d", ready);
    snprintf(conf_path, sizeof(conf_path), "/proc/self/fd/%d", conf);
    setenv("FLOM_READY_FD", ready_text, 1);
    execl(flomd, "flomd", "-c", conf_path, (char *)NULL);
    _exit(1); /* the client sees the pipe close without a report */
}

/* The intermediate child: new session, second fork so the daemon is not a
 * session leader and is adopted by init. */
static void detach(const struct flom_config *cfg, const char *flomd,
                   int ready_fd)
{
    pid_t pid;

    if (setsid() < 0)
        _exit(1);
    signal(SIGHUP, SIG_IGN);
    pid = fork();
    if (pid < 0)
        _exit(1);
    if (pid == 0)
        become_daemon(cfg, flomd, ready_fd);
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
    g_autofree char *flomd = flomd_path();
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
        detach(cfg, flomd, fds[1]);
    }
    close(fds[1]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    rc = read_ready(fds[0]);
    close(fds[0]);
    TRACE(TRACE_CLIENT, "daemon start: rc=%d", rc);
    return rc;
}
