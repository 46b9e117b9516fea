/*
 * Socket helpers (see net.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <netdb.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "net.h"

static int unix_address(const char *path, struct sockaddr_un *sun)
{
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun->sun_path))
        return -ENAMETOOLONG;
    strcpy(sun->sun_path, path);
    return 0;
}

int net_unix_connect(const char *path)
{
    struct sockaddr_un sun;
    int fd, r;

    r = unix_address(path, &sun);
    if (r < 0)
        return r;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        r = -errno;
        close(fd);
        return r;
    }
    return fd;
}

int net_unix_listen(const char *path, mode_t mode, int backlog)
{
    struct sockaddr_un sun;
    mode_t old_umask = 0;
    int fd, r;

    r = unix_address(path, &sun);
    if (r < 0)
        return r;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -errno;
    /* The umask makes the mode right from the first instant: a chmod
     * after bind would leave a window where others can connect. */
    if (mode != 0)
        old_umask = umask(~mode & 0777);
    r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
    if (mode != 0)
        umask(old_umask);
    if (r < 0 || listen(fd, backlog) < 0) {
        r = -errno;
        close(fd);
        return r;
    }
    return fd;
}

int net_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

char *net_peer_name(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (sa->sa_family == AF_UNIX)
        return g_strdup("localhost/");
    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return g_strdup("unknown/");
    return g_strdup_printf("%s/%s", host, serv);
}
