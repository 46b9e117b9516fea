/*
 * flom-wire: a scriptable raw protocol client for the integration tests.
 *
 *   flom-wire [-t MS] SOCKET STEP...
 *
 * SOCKET is a UNIX socket path, or HOST:PORT / [V6]:PORT for TCP. Steps:
 *   send:TEXT        send TEXT (C escapes such as \n are expanded)
 *   junk:N           send N bytes of 'x' with no message terminator
 *   lock:NAME[:MODE[:WAIT[:CREATE[:QTY]]]]  send a lock/8 request
 *   unlock:NAME[:ROLLBACK]                  send an unlock/8
 *   recv             print the next message on a line, or EOF / TIMEOUT
 *   expect:TEXT      recv and fail (exit 1) unless the message contains TEXT
 *   sleep:MS         wait
 *   shutwr           half-close
 *   hold             wait until standard input is closed
 *   print:TEXT       print TEXT on a line (to mark progress for the test)
 * Exit status: 0, 1 when an expect failed, 2 on usage or connect errors.
 */
#include <errno.h>
#include <glib.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "names.h"
#include "net.h"
#include "proto.h"

static int timeout_ms = 5000;
static char inbuf[1 << 16];
static size_t inlen;

static int connect_tcp(const char *spec)
{
    g_autofree char *host = NULL;
    const char *colon = strrchr(spec, ':');
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
    int fd = -1;

    if (colon == NULL)
        return -1;
    host = g_strndup(spec, (gsize)(colon - spec));
    if (host[0] == '[') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0)
        return -1;
    for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

/* Returns the next message as a new string, "EOF" or "TIMEOUT". */
static char *next_message(int fd)
{
    for (;;) {
        size_t skip = 0;
        ssize_t n = proto_frame(inbuf, inlen, &skip), r;
        struct pollfd pfd = {fd, POLLIN, 0};
        char *msg;

        if (n > 0) {
            msg = g_strndup(inbuf + skip, (gsize)n);
            inlen -= skip + (size_t)n;
            memmove(inbuf, inbuf + skip + n, inlen);
            return msg;
        }
        if (poll(&pfd, 1, timeout_ms) == 0)
            return g_strdup("TIMEOUT");
        r = recv(fd, inbuf + inlen, sizeof(inbuf) - inlen, 0);
        if (r <= 0)
            return g_strdup("EOF");
        inlen += (size_t)r;
    }
}

static int send_text(int fd, const char *text)
{
    g_autofree char *raw = g_strcompress(text);

    return net_send_all(fd, raw, strlen(raw));
}

static int send_lock(int fd, char **f)
{
    g_autoptr(GString) msg = g_string_new(NULL);
    const char *name = f[1] ? f[1] : "";
    int mode = 5, wait = 1, create = 1, qty = 1;

    if (f[1] && f[2]) {
        mode = atoi(f[2]);
        if (f[3]) {
            wait = atoi(f[3]);
            if (f[4]) {
                create = atoi(f[4]);
                if (f[5])
                    qty = atoi(f[5]);
            }
        }
    }
    proto_encode_lock(msg, "0123456789abcdef0123456789abcdef", name,
                      names_classify(name), mode, wait, qty, create, 0);
    return net_send_all(fd, msg->str, msg->len);
}

static int send_unlock(int fd, char **f)
{
    g_autoptr(GString) msg = g_string_new(NULL);

    proto_encode_unlock(msg, f[1] ? f[1] : "", f[1] && f[2] && atoi(f[2]));
    return net_send_all(fd, msg->str, msg->len);
}

static int send_junk(int fd, long n)
{
    char chunk[4096];

    memset(chunk, 'x', sizeof(chunk));
    while (n > 0) {
        size_t k = n > (long)sizeof(chunk) ? sizeof(chunk) : (size_t)n;
        if (net_send_all(fd, chunk, k) < 0)
            return -1; /* the daemon may close on us: that is the point */
        n -= (long)k;
    }
    return 0;
}

static void hold(void)
{
    char buf[256];

    while (read(0, buf, sizeof(buf)) > 0)
        ;
}

static int run_step(int fd, const char *step)
{
    g_auto(GStrv) f = g_strsplit(step, ":", 6);
    g_autofree char *msg = NULL;

    if (g_str_has_prefix(step, "send:"))
        return send_text(fd, step + 5) < 0 ? 1 : 0;
    if (g_str_has_prefix(step, "print:"))
        return printf("%s\n", step + 6) < 0;
    if (strcmp(f[0], "junk") == 0)
        return send_junk(fd, f[1] ? atol(f[1]) : 0) < 0 ? 0 : 0;
    if (strcmp(f[0], "lock") == 0)
        return send_lock(fd, f) < 0 ? 1 : 0;
    if (strcmp(f[0], "unlock") == 0)
        return send_unlock(fd, f) < 0 ? 1 : 0;
    if (strcmp(f[0], "sleep") == 0)
        return usleep((useconds_t)(f[1] ? atoi(f[1]) : 0) * 1000), 0;
    if (strcmp(f[0], "shutwr") == 0)
        return shutdown(fd, SHUT_WR), 0;
    if (strcmp(f[0], "hold") == 0)
        return hold(), 0;
    if (strcmp(f[0], "recv") == 0 || strcmp(f[0], "expect") == 0) {
        msg = next_message(fd);
        printf("%s\n", msg);
        return strcmp(f[0], "expect") == 0 && strstr(msg, step + 7) == NULL;
    }
    fprintf(stderr, "flom-wire: unknown step '%s'\n", step);
    return 2;
}

int main(int argc, char **argv)
{
    int i = 1, fd, rc = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 2 && strcmp(argv[1], "-t") == 0) {
        timeout_ms = atoi(argv[2]);
        i = 3;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: flom-wire [-t MS] SOCKET STEP...\n");
        return 2;
    }
    fd = argv[i][0] == '/' ? net_unix_connect(argv[i]) : connect_tcp(argv[i]);
    if (fd < 0) {
        fprintf(stderr, "flom-wire: cannot connect to %s\n", argv[i]);
        return 2;
    }
    for (i++; i < argc && rc == 0; i++)
        rc = run_step(fd, argv[i]);
    close(fd);
    return rc;
}
