/*
 * The workers of the safety harness (see safety.h).
 *
 * A protocol worker speaks the wire protocol itself (src/proto.h encoders
 * and decoder): connect, lock/8, wait for the grant, record ENTER, hold,
 * record LEAVE, unlock/8 (or, now and then, just close while holding),
 * disconnect. It checks every answer against what it asked for.
 *
 * A flom worker runs the real flom binary, with this program as the
 * command under the lock ("safety hold ..."), which records ENTER and
 * LEAVE itself. flom runs in a process group of its own, so that the
 * killer can freeze and kill it together with its command.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"
#include "safety.h"

/* How long a disconnecting worker waits for the daemon to close. */
#define CLOSE_WAIT_MS 30000

struct rng {
    uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 2685821657736338717ULL) >> 32);
}

static int below(struct rng *r, int n)
{
    return n > 0 ? (int)(rnd(r) % (uint32_t)n) : 0;
}

/* What one cycle asks for. */
struct plan {
    int res, mode;
    bool wait;
    int timeout_ms; /* -1: forever */
    int hold_us;
    bool unlock;   /* false: close the connection while holding */
    bool graceful; /* half-close and wait for the daemon's close */
};

/* 10% refused at once when busy, 15% give up after 1-20 ms, the rest
 * wait as long as it takes; 2% hold 20 times longer, so that waiters do
 * time out now and then. */
static struct plan plan_cycle(const struct safety_opts *o, struct rng *r)
{
    struct plan p;
    int k = below(r, 100);

    p.res = below(r, o->resources);
    p.mode = below(r, SAFETY_MODES);
    p.wait = k >= 10;
    p.timeout_ms = k >= 10 && k < 25 ? 1 + below(r, 20) : -1;
    p.hold_us = below(r, o->max_hold_us + 1);
    if (below(r, 50) == 0)
        p.hold_us *= 20;
    p.unlock = below(r, 20) != 0;
    p.graceful = below(r, 2) != 0;
    return p;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void hold_for(int us)
{
    struct timespec ts = {us / 1000000, (long)(us % 1000000) * 1000};

    if (us == 0) {
        sched_yield();
        return;
    }
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* ------------------------------------------------------- the protocol */

struct wconn {
    int fd;
    size_t len;
    char buf[2 * PROTO_MAX_MSG + 2];
};

static int wconn_open(struct wconn *c, const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    c->len = 0;
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -1;
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    return 0;
}

static int wconn_send(struct wconn *c, const GString *msg)
{
    size_t off = 0;

    while (off < msg->len) {
        ssize_t n = send(c->fd, msg->str + off, msg->len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

/* Waits for input until deadline (ms, -1 forever): 1 ready, 0 timeout. */
static int wait_input(int fd, int64_t deadline)
{
    for (;;) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int ms = -1, r;

        if (deadline >= 0) {
            int64_t left = deadline - now_ms();
            ms = left > 0 ? (int)left : 0;
        }
        r = poll(&pfd, 1, ms);
        if (r > 0)
            return 1;
        if (r == 0)
            return 0;
        if (errno != EINTR)
            return 1; /* let recv report it */
    }
}

/* The next message: 1, 0 on timeout, -1 on EOF, error or garbage. */
static int wconn_recv(struct wconn *c, int64_t deadline, struct proto_msg *m)
{
    for (;;) {
        size_t skip = 0;
        ssize_t n = proto_frame(c->buf, c->len, &skip), r;

        if (n < 0)
            return -1;
        if (n > 0) {
            int rc = proto_decode(c->buf + skip, (size_t)n, m);
            c->len -= skip + (size_t)n;
            memmove(c->buf, c->buf + skip + n, c->len);
            return rc == 0 ? 1 : -1;
        }
        if (wait_input(c->fd, deadline) == 0)
            return 0;
        r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c->len += (size_t)r;
    }
}

/* Half-closes and waits for the daemon to close: a compatible daemon must
 * (spec §5.6.1). -1 when it does not. */
static int wconn_close(struct wconn *c, bool graceful)
{
    int64_t deadline = now_ms() + CLOSE_WAIT_MS;
    int rc = 0;

    if (graceful) {
        char buf[256];
        ssize_t n = 1;

        shutdown(c->fd, SHUT_WR);
        while (n > 0 || (n < 0 && errno == EINTR)) {
            if (wait_input(c->fd, deadline) == 0) {
                rc = -1;
                break;
            }
            n = recv(c->fd, buf, sizeof(buf), 0);
        }
    }
    close(c->fd);
    c->fd = -1;
    return rc;
}

static int send_lock(struct wconn *c, int res, int mode, bool wait)
{
    g_autoptr(GString) msg = g_string_new(NULL);
    char name[32];

    safety_resource_name(res, name, sizeof(name));
    proto_encode_lock(msg, "", name, RSRC_TYPE_SIMPLE, mode, wait, 0, true, 0);
    return wconn_send(c, msg);
}

static int send_unlock(struct wconn *c, int res)
{
    g_autoptr(GString) msg = g_string_new(NULL);
    char name[32];

    safety_resource_name(res, name, sizeof(name));
    proto_encode_unlock(msg, name, false);
    return wconn_send(c, msg);
}

enum outcome { GRANTED, REFUSED_BUSY, TIMED_OUT, FAILED };

/* Reads one answer; returns its rc, or -1000 (timeout) / -1001 (EOF or
 * garbage) / -1002 (not a lock answer of that step). */
static int read_answer(struct wconn *c, int step, int64_t deadline)
{
    struct proto_msg m = {0};
    int r = wconn_recv(c, deadline, &m), rc;

    if (r == 0)
        rc = -1000;
    else if (r < 0)
        rc = -1001;
    else if (m.verb != PROTO_VERB_LOCK || m.step != step || !m.has_answer)
        rc = -1002;
    else
        rc = m.rc;
    proto_msg_clear(&m);
    return rc;
}

/* The daemon's answers to one lock request, checked against spec §5.6:
 * wait=0: 16/rc0 or 16/rc4; wait=1: 16/rc0, or 16/rc1 then 24/rc0. */
static enum outcome await_grant(struct wconn *c, const struct plan *p,
                                int *detail)
{
    int64_t deadline = p->timeout_ms < 0 ? -1 : now_ms() + p->timeout_ms;
    int rc = read_answer(c, 16, deadline);

    *detail = rc;
    if (rc == -1000 && p->timeout_ms >= 0)
        return TIMED_OUT;
    if (rc == 0)
        return GRANTED;
    if (rc == 4 && !p->wait)
        return REFUSED_BUSY;
    if (rc != 1 || !p->wait)
        return FAILED;
    /* spec §3.11: the timeout restarts for every message */
    deadline = p->timeout_ms < 0 ? -1 : now_ms() + p->timeout_ms;
    rc = read_answer(c, 24, deadline);
    *detail = rc;
    if (rc == -1000 && p->timeout_ms >= 0)
        return TIMED_OUT;
    return rc == 0 ? GRANTED : FAILED;
}

struct worker {
    const struct safety_opts *o;
    struct safety_shared *sh;
    int slot;
    struct rng rng;
};

static void worker_error(struct worker *w, uint32_t cycle, int err, int detail)
{
    fprintf(stderr, "safety: slot %d cycle %u: error %d (detail %d)\n", w->slot,
            cycle, err, detail);
    safety_record(w->sh, EV_ERROR, w->slot, cycle, 0, 0, err);
}

static void critical_section(struct worker *w, uint32_t cycle,
                             const struct plan *p)
{
    safety_record(w->sh, EV_ENTER, w->slot, cycle, p->res, p->mode, 0);
    hold_for(p->hold_us);
    safety_record(w->sh, EV_LEAVE, w->slot, cycle, p->res, p->mode, 0);
}

static void fast_cycle(struct worker *w, uint32_t cycle, const struct plan *p)
{
    struct wconn c;
    int detail = 0;
    enum outcome out;

    safety_record(w->sh, EV_REQ, w->slot, cycle, p->res, p->mode, 0);
    if (wconn_open(&c, w->o->socket) < 0) {
        worker_error(w, cycle, ERR_CONNECT, errno);
        _exit(2); /* no daemon: nothing more to learn */
    }
    if (send_lock(&c, p->res, p->mode, p->wait) < 0) {
        worker_error(w, cycle, ERR_SEND, errno);
        wconn_close(&c, false);
        return;
    }
    out = await_grant(&c, p, &detail);
    if (out == REFUSED_BUSY || out == TIMED_OUT)
        safety_record(w->sh, out == REFUSED_BUSY ? EV_BUSY : EV_TIMEOUT,
                      w->slot, cycle, p->res, p->mode, 0);
    if (out == FAILED)
        worker_error(w, cycle, detail == -1001 ? ERR_EOF : ERR_ANSWER, detail);
    if (out == GRANTED) {
        critical_section(w, cycle, p);
        if (p->unlock && send_unlock(&c, p->res) < 0)
            worker_error(w, cycle, ERR_SEND, errno);
        safety_record(w->sh, EV_DONE, w->slot, cycle, p->res, p->mode, 0);
    }
    if (wconn_close(&c, p->graceful && p->unlock) < 0)
        worker_error(w, cycle, ERR_EOF, -1);
}

static void worker_init(struct worker *w, const struct safety_opts *o,
                        struct safety_shared *sh, int slot, unsigned seed)
{
    w->o = o;
    w->sh = sh;
    w->slot = slot;
    w->rng.s = ((uint64_t)seed << 20) ^ ((uint64_t)slot << 8) ^
               (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;
}

void safety_fast_worker(const struct safety_opts *o, struct safety_shared *sh,
                        int slot, unsigned seed)
{
    struct worker w;

    worker_init(&w, o, sh, slot, seed);
    for (;;) {
        int64_t c = atomic_fetch_add(&sh->next_fast, 1);
        struct plan p;

        if (c >= sh->fast_cycles)
            _exit(0);
        atomic_store(&sh->cur_cycle[slot], (uint32_t)c);
        p = plan_cycle(o, &w.rng);
        fast_cycle(&w, (uint32_t)c, &p);
    }
}

/* ------------------------------------------------------ the real flom */

static void exec_flom(struct worker *w, uint32_t cycle, const struct plan *p)
{
    g_autofree char *err =
        g_strdup_printf("%s/flom-%d.err", w->o->dir, w->slot);
    g_autofree char *log = g_strdup_printf("%s/safety.log", w->o->dir);
    char name[32], timeout[16], slot[16], cyc[16], res[16], mode[16], hold[16];
    int fd = open(err, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

    setpgid(0, 0);
    if (fd >= 0)
        dup2(fd, STDERR_FILENO);
    safety_resource_name(p->res, name, sizeof(name));
    snprintf(timeout, sizeof(timeout), "%d", p->wait ? p->timeout_ms : 0);
    snprintf(slot, sizeof(slot), "%d", w->slot);
    snprintf(cyc, sizeof(cyc), "%u", cycle);
    snprintf(res, sizeof(res), "%d", p->res);
    snprintf(mode, sizeof(mode), "%d", p->mode);
    snprintf(hold, sizeof(hold), "%d", p->hold_us);
    execl(w->o->flom, "flom", "-s", w->o->socket, "-r", name, "-l",
          safety_mode_name(p->mode), "-o", timeout, "--", w->o->self, "hold",
          log, slot, cyc, res, mode, hold, (char *)NULL);
    _exit(127);
}

/* flom's status, 256 + N when it died of signal N. The pid is withdrawn
 * from the killer before flom is reaped (WNOWAIT), so that the killer
 * never signals a process group whose number was reused. */
static int wait_flom(struct worker *w, pid_t pid)
{
    siginfo_t si;
    int st;

    while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 &&
           errno == EINTR)
        ;
    atomic_store(&w->sh->flom_pid[w->slot], 0);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    atomic_store(&w->sh->holder[w->slot], 0);
    return WIFSIGNALED(st) ? 256 + WTERMSIG(st) : WEXITSTATUS(st);
}

static void flom_cycle(struct worker *w, uint32_t cycle, const struct plan *p)
{
    pid_t pid;

    safety_record(w->sh, EV_REQ, w->slot, cycle, p->res, p->mode, 0);
    pid = fork();
    if (pid < 0) {
        worker_error(w, cycle, ERR_SPAWN, errno);
        return;
    }
    if (pid == 0)
        exec_flom(w, cycle, p);
    setpgid(pid, pid); /* before the killer can see it: no race with exec */
    atomic_store(&w->sh->flom_pid[w->slot], pid);
    safety_record(w->sh, EV_END, w->slot, cycle, p->res, p->mode,
                  wait_flom(w, pid));
}

void safety_flom_worker(const struct safety_opts *o, struct safety_shared *sh,
                        int slot, unsigned seed)
{
    struct worker w;

    worker_init(&w, o, sh, slot, seed);
    for (;;) {
        int64_t c = atomic_fetch_add(&sh->next_flom, 1);
        struct plan p;

        if (c >= sh->flom_cycles)
            _exit(0);
        c += sh->fast_cycles;
        atomic_store(&sh->cur_cycle[slot], (uint32_t)c);
        p = plan_cycle(o, &w.rng);
        p.hold_us *= 10; /* a command lives long enough to be killed */
        flom_cycle(&w, (uint32_t)c, &p);
    }
}

/* argv: LOG SLOT CYCLE RES MODE HOLD_US */
int safety_hold_main(int argc, char **argv)
{
    struct safety_shared *sh;
    int slot;
    uint32_t cycle;
    struct plan p = {0};
    uint64_t me;

    if (argc != 6) {
        fprintf(stderr, "safety hold: wrong arguments\n");
        return 2;
    }
    sh = safety_log_open(argv[0]);
    if (sh == NULL)
        return 2;
    slot = atoi(argv[1]);
    cycle = (uint32_t)strtoul(argv[2], NULL, 10);
    p.res = atoi(argv[3]);
    p.mode = atoi(argv[4]);
    p.hold_us = atoi(argv[5]);
    me = (uint64_t)getpid() << 32 | cycle;
    atomic_store(&sh->holder[slot], me);
    critical_section(&(struct worker){.sh = sh, .slot = slot}, cycle, &p);
    atomic_compare_exchange_strong(&sh->holder[slot], &me, 0);
    return 0;
}

int safety_probe_free(const char *socket, int res, int timeout_ms)
{
    struct plan p = {
        .res = res, .mode = 5, .wait = true, .timeout_ms = timeout_ms};
    struct wconn c;
    int detail, rc = -1;

    if (wconn_open(&c, socket) < 0)
        return -1;
    if (send_lock(&c, res, 5, true) == 0 &&
        await_grant(&c, &p, &detail) == GRANTED && send_unlock(&c, res) == 0)
        rc = 0;
    wconn_close(&c, true);
    return rc;
}
