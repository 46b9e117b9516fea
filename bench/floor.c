/*
 * floor: the least a lock daemon can do per connection, to measure the
 * floor of FLoM's connect-per-cycle pattern on this machine.
 *
 *   floor -s SOCKET_PATH [-x] [-b]
 *   floor -a IPV4_ADDRESS -p PORT [-x] [-b]
 *
 * One thread, one epoll loop: accept, read until "</msg>", answer every
 * lock request (verb="1") with the fixed 147-byte grant of spec §5.10,
 * ignore everything else (the unlock), close on EOF. No resources, no
 * queue, no parsing: bench/loadgen runs against it unchanged.
 * -x: one exclusive lock that every request is for, in FIFO order: the
 * holder is granted at once, the others get "queued" (rc 1) and a step-24
 * grant when the holder unlocks or disconnects. The floor of many clients
 * on one shared resource, whose cycles cannot overlap.
 * -b: go to the background once listening, print the server's PID, exit
 * (so a script knows it can connect). It runs until killed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4, memmem */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* FLoM's listen(2) backlog, so that both servers see the same queue. */
#define BACKLOG 100
#define MAX_EVENTS 256
#define MSG_END "</msg>"

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>"
#define SESSION "<session peerid=\"3d1219c7c4c5404aaa1f6d2a48adfda4\"/>"
static const char grant[] =
    XML_HEAD "<msg level=\"3\" verb=\"1\" step=\"16\">" SESSION
             "<answer rc=\"0\"/></msg>";
static const char queued[] =
    XML_HEAD "<msg level=\"3\" verb=\"1\" step=\"16\">" SESSION
             "<answer rc=\"1\"/></msg>";
static const char late_grant[] =
    XML_HEAD "<msg level=\"3\" verb=\"1\" step=\"24\"><answer rc=\"0\"/></msg>";

struct conn {
    int fd;
    bool waiting;
    struct conn *next; /* in the lock's queue */
    size_t len;
    char buf[1024];
};

/* -x: the one lock, its holder and its FIFO queue. */
static bool exclusive;
static struct conn *holder, *head, *tail;

static int listen_unix(const char *path)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    if (fd < 0 || strlen(path) >= sizeof(un.sun_path))
        return -1;
    strcpy(un.sun_path, path);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0 ||
        listen(fd, BACKLOG) < 0)
        return -1;
    return fd;
}

static int listen_tcp(const char *addr, int port)
{
    struct sockaddr_in in = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;

    if (fd < 0 || inet_pton(AF_INET, addr, &in.sin_addr) != 1)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&in, sizeof(in)) < 0 ||
        listen(fd, BACKLOG) < 0)
        return -1;
    return fd;
}

/* The peer reads every answer, so a small one always fits; a send fails
 * only when the peer is gone, and its EOF or HUP will close it. */
static void send_msg(struct conn *c, const char *msg, size_t len)
{
    if (send(c->fd, msg, len, MSG_NOSIGNAL) < 0)
        return;
}

static void lock_request(struct conn *c)
{
    if (holder == NULL) {
        holder = c;
        send_msg(c, grant, sizeof(grant) - 1);
        return;
    }
    c->waiting = true;
    c->next = NULL;
    if (tail != NULL)
        tail->next = c;
    else
        head = c;
    tail = c;
    send_msg(c, queued, sizeof(queued) - 1);
}

static void lock_release(void)
{
    holder = head;
    if (head == NULL)
        return;
    head = head->next;
    if (head == NULL)
        tail = NULL;
    holder->waiting = false;
    send_msg(holder, late_grant, sizeof(late_grant) - 1);
}

/* A waiter that goes away leaves the queue (rare: a linear search). */
static void lock_forget(struct conn *c)
{
    struct conn **p = &head, *prev = NULL;

    if (c == holder) {
        lock_release();
        return;
    }
    while (c->waiting && *p != NULL && *p != c)
        prev = *p, p = &(*p)->next;
    if (!c->waiting || *p == NULL)
        return;
    *p = c->next;
    if (tail == c)
        tail = prev;
}

static void conn_close(struct conn *c)
{
    if (exclusive)
        lock_forget(c);
    close(c->fd); /* also leaves the epoll set */
    free(c);
}

static void on_accept(int ep, int lfd, bool tcp)
{
    int one = 1, fd;

    while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        struct conn *c = malloc(sizeof(*c));
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};

        if (tcp) /* as flomd does */
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        c->fd = fd;
        c->len = 0;
        c->waiting = false;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
            conn_close(c);
    }
}

/* Answers the complete messages in the buffer; keeps an incomplete tail.
 * Returns false when the peer must be dropped. */
static bool consume(struct conn *c)
{
    char *p = c->buf, *end;

    c->buf[c->len] = '\0';
    while ((end = strstr(p, MSG_END)) != NULL) {
        bool lock;

        end += strlen(MSG_END);
        lock = memmem(p, (size_t)(end - p), "verb=\"1\"", 8) != NULL;
        if (lock && exclusive)
            lock_request(c);
        else if (lock)
            send_msg(c, grant, sizeof(grant) - 1);
        else if (exclusive && c == holder)
            lock_release(); /* the unlock */
        p = end;
    }
    c->len -= (size_t)(p - c->buf);
    memmove(c->buf, p, c->len);
    return c->len < sizeof(c->buf) - 1;
}

/* One recv per readiness: level-triggered epoll reports what is left. */
static void on_readable(struct conn *c)
{
    ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);

    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        conn_close(c);
        return;
    }
    c->len += (size_t)n;
    if (!consume(c))
        conn_close(c);
}

static void serve(int lfd, bool tcp)
{
    struct epoll_event evs[MAX_EVENTS], lev = {.events = EPOLLIN};
    int ep = epoll_create1(EPOLL_CLOEXEC);

    lev.data.ptr = NULL;
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
    for (;;) {
        int n = epoll_wait(ep, evs, MAX_EVENTS, -1);

        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == NULL)
                on_accept(ep, lfd, tcp);
            else
                on_readable(evs[i].data.ptr);
        }
    }
}

static void raise_fd_limit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* Listens, then runs in the background when asked to: the parent waits
 * until the child listens, prints its PID and returns, so the script that
 * started it may connect at once. The child listens itself, so clients see
 * its PID in SO_PEERCRED. */
static int start(const char *path, const char *addr, int port, bool bg)
{
    int ready[2] = {-1, -1};
    char ok = 0;

    if (bg && (pipe(ready) < 0 || fflush(stdout) != 0))
        return 1;
    pid_t pid = bg ? fork() : 0;
    if (pid > 0) {
        close(ready[1]);
        if (read(ready[0], &ok, 1) != 1 || !ok)
            return 1;
        printf("%d\n", (int)pid);
        return 0;
    }
    /* a script reading our PID from $(floor -b) waits for our stdout */
    if (bg)
        dup2(open("/dev/null", O_WRONLY | O_CLOEXEC), STDOUT_FILENO);
    int fd = path != NULL ? listen_unix(path) : listen_tcp(addr, port);
    if (fd < 0)
        perror("floor: listen");
    ok = fd >= 0;
    if (bg && (setsid() < 0 || write(ready[1], &ok, 1) != 1))
        return 1;
    if (fd < 0)
        return 1;
    raise_fd_limit();
    serve(fd, addr != NULL);
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *addr = NULL;
    int port = 0, c;
    bool background = false;

    while ((c = getopt(argc, argv, "s:a:p:bx")) != -1) {
        if (c == 's')
            path = optarg;
        else if (c == 'a')
            addr = optarg;
        else if (c == 'p')
            port = atoi(optarg);
        else if (c == 'b')
            background = true;
        else if (c == 'x')
            exclusive = true;
        else
            break;
    }
    if (c != -1 || optind != argc || (path == NULL) == (addr == NULL)) {
        fprintf(stderr, "usage: floor -s SOCKET_PATH | -a IPV4_ADDRESS -p "
                        "PORT [-x] [-b]\n");
        return 2;
    }
    return start(path, addr, port, background);
}
