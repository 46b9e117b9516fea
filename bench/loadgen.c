/*
 * loadgen: a load generator that speaks the FLoM wire protocol (level 3)
 * the way FLoM clients do, for the benchmarks in bench/run.sh.
 *
 *   loadgen cycle   [-k K] [-j J] [-t SECS] [-w SECS] [-d] TARGET
 *   loadgen persist [-k K] [-j J] [-t SECS] [-w SECS] [-d] TARGET
 *   loadgen queue   [-n N] [-P PID] TARGET
 *   loadgen pid     -s SOCKET_PATH
 *   TARGET: -s SOCKET_PATH | -a ADDRESS -p PORT
 *
 * cycle:   K workers, each repeating FLoM's cycle: connect, lock/8 (EX,
 *          wait, create), read answers until granted, unlock/8,
 *          shutdown(SHUT_WR), read until EOF, close.
 * persist: K workers that keep their connection: lock, wait for the grant,
 *          unlock, lock again...
 *          Both print one line:
 *          "cps=C p50_us=A p99_us=B cycles=N errors=E server_cpu_us=S
 *           loadgen_cpu_us=L" (CPU time per cycle of the server, whose PID
 *          SO_PEERCRED gives on a UNIX socket, and of the load generator)
 *          counting the cycles that started after the warm-up (-w, default
 *          0.3 s) and ended within the measured -t seconds (default 2).
 *          All workers share the resource "bench" unless -d gives worker i
 *          its own resource "bench<i>". The workers are state machines
 *          spread over J threads (default 1), each with one epoll loop: on
 *          this 2-core machine one loader thread and one daemon thread
 *          leave no core idle, and K threads would measure the scheduler.
 * queue:   one connection takes "bench"; then N connections, one after
 *          the other, ask for it and are queued (each lock waits for its
 *          rc=1 answer before the next connects, so the request order is
 *          known). The daemon's RSS, threads and descriptors are read from
 *          /proc at that peak (PID from SO_PEERCRED on a UNIX socket, or
 *          -P). Then the holder unlocks and every waiter, when granted,
 *          unlocks and disconnects like `flom -- true` would. Prints
 *          "n=N enqueue_s=.. drain_s=.. per_grant_us=.. fifo=ok|BAD
 *           rss_kib=.. hwm_kib=.. threads=.. fds=.. errors=E
 *           server_cpu_us=.." (the server's CPU time per grant while
 *          draining: its own cost, apart from waiting for the clients).
 *          N is lowered (and reported) when the descriptor hard limit
 *          cannot hold N connections.
 * pid:     prints the PID of the process listening on a UNIX socket (from
 *          SO_PEERCRED), so that a script can stop the daemon it started.
 * Exit status: 0, 1 when something failed (errors > 0, FIFO violated),
 * 2 on usage errors.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* struct ucred */
#endif
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define PEERID "3d1219c7c4c5404aaa1f6d2a48adfda4"
#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>"
#define MSG_END "</msg>"
#define MAX_EVENTS 256
/* Give up on a run that has not finished this long after its end. */
#define GRACE_SEC 10.0

enum mode { MODE_CYCLE, MODE_PERSIST, MODE_QUEUE, MODE_PID };

enum state { ST_IDLE, ST_CONNECTING, ST_WAIT_GRANT, ST_CLOSING, ST_DONE };

struct opts {
    enum mode mode;
    int workers, threads, queue_n, daemon_pid;
    double secs, warm;
    bool distinct;
    struct sockaddr_storage addr;
    socklen_t addrlen;
};

struct samples {
    double *v;
    size_t len, cap;
};

struct loop;

struct worker {
    struct loop *loop;
    int fd, index;
    enum state state;
    char lock[512], unlock[256];
    size_t lock_len, unlock_len;
    char in[2048];
    size_t in_len;
    double t0;
};

struct loop {
    const struct opts *o;
    pthread_t tid;
    int ep;
    struct worker **w;
    int nw, active;
    double measure_from, measure_to, give_up;
    int idle; /* workers waiting to (re)connect */
    struct samples lat;
    long errors;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ messages */

static void base64(const char *s, char *out)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s), i = 0;

    for (; i + 2 < n; i += 3, out += 4) {
        unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8 |
                     (unsigned char)s[i + 2];
        out[0] = tab[v >> 18], out[1] = tab[(v >> 12) & 63];
        out[2] = tab[(v >> 6) & 63], out[3] = tab[v & 63];
    }
    if (i < n) {
        unsigned v = (unsigned char)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned char)s[i + 1] << 8;
        out[0] = tab[v >> 18], out[1] = tab[(v >> 12) & 63];
        out[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[3] = '=';
        out += 4;
    }
    *out = '\0';
}

/* The bytes FLoM 1.7.2 sends for `flom -r NAME -- ...` (spec §5.10). */
static void worker_messages(struct worker *w, const char *name)
{
    char b64[128];

    base64(name, b64);
    w->lock_len = (size_t)snprintf(
        w->lock, sizeof(w->lock),
        XML_HEAD
        "<msg level=\"3\" verb=\"1\" step=\"8\"><session peerid=\"" PEERID
        "\"/><resource name=\"%s\" mode=\"5\" wait=\"1\" "
        "create=\"1\" lifespan=\"0\"/>" MSG_END,
        b64);
    w->unlock_len = (size_t)snprintf(
        w->unlock, sizeof(w->unlock),
        XML_HEAD "<msg level=\"3\" verb=\"2\" step=\"8\"><resource "
                 "name=\"%s\" rollback=\"0\" />" MSG_END,
        b64);
}

static int attr_int(const char *msg, const char *end, const char *attr)
{
    const char *p = strstr(msg, attr);

    return p != NULL && p < end ? atoi(p + strlen(attr)) : -1;
}

/* Consumes the complete answers in w->in. Returns 1 when one of them
 * grants the lock, 0 when more is needed, -1 on a refusal or garbage. */
static int take_answers(struct worker *w)
{
    int granted = 0;

    for (;;) {
        char *end;

        w->in[w->in_len] = '\0';
        end = strstr(w->in, MSG_END);
        if (end == NULL)
            return w->in_len + 1 >= sizeof(w->in) ? -1 : granted;
        end += strlen(MSG_END);
        int rc = attr_int(w->in, end, "rc=\"");
        if (attr_int(w->in, end, "verb=\"") != 1 || (rc != 0 && rc != 1))
            return -1;
        granted |= rc == 0;
        w->in_len -= (size_t)(end - w->in);
        memmove(w->in, end, w->in_len);
    }
}

/* ------------------------------------------------------------- sockets */

static int parse_target(struct opts *o, const char *path, const char *addr,
                        int port)
{
    if (path != NULL) {
        struct sockaddr_un *un = (struct sockaddr_un *)&o->addr;

        if (strlen(path) >= sizeof(un->sun_path))
            return -1;
        un->sun_family = AF_UNIX;
        strcpy(un->sun_path, path);
        o->addrlen = sizeof(*un);
        return 0;
    }
    struct sockaddr_in *in = (struct sockaddr_in *)&o->addr;

    in->sin_family = AF_INET;
    in->sin_port = htons((uint16_t)port);
    o->addrlen = sizeof(*in);
    return addr != NULL && port > 0 &&
                   inet_pton(AF_INET, addr, &in->sin_addr) == 1
               ? 0
               : -1;
}

static void tune(const struct opts *o, int fd)
{
    int one = 1;

    if (o->addr.ss_family == AF_INET) /* FLoM's client does the same */
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Starts a connect: returns the socket with *in_progress set when the
 * kernel has not finished, or -1 (errno EAGAIN: the UNIX listener's
 * backlog is full, try again later). A blocking connect waits instead. */
static int start_connect(const struct opts *o, bool blocking, bool *in_progress)
{
    int type = SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK);
    int fd = socket(o->addr.ss_family, type, 0);

    *in_progress = false;
    if (fd < 0)
        return -1;
    tune(o, fd);
    if (connect(fd, (const struct sockaddr *)&o->addr, o->addrlen) == 0)
        return fd;
    if (errno == EINPROGRESS) {
        *in_progress = true;
        return fd;
    }
    int err = errno;
    close(fd);
    errno = err;
    return -1;
}

static bool send_all(int fd, const char *buf, size_t len)
{
    /* Messages are far smaller than an empty socket buffer: a short write
     * never happens in practice, and is counted as an error if it does. */
    return send(fd, buf, len, MSG_NOSIGNAL) == (ssize_t)len;
}

/* ------------------------------------------------------------ samples */

static void samples_add(struct samples *s, double v)
{
    if (s->len == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->v = realloc(s->v, s->cap * sizeof(*s->v));
        if (s->v == NULL)
            abort();
    }
    s->v[s->len++] = v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double percentile(const struct samples *s, int pct)
{
    return s->len ? s->v[(s->len * (size_t)pct) / 100] : 0;
}

/* ------------------------------------------- cycle and persist workers */

static void worker_fail(struct worker *w)
{
    w->loop->errors++;
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    w->in_len = 0;
    w->state = ST_IDLE; /* the loop starts it again */
    w->loop->idle++;
}

static void watch(struct worker *w, int op, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = w};

    if (epoll_ctl(w->loop->ep, op, w->fd, &ev) < 0)
        worker_fail(w);
}

static void record(struct worker *w)
{
    struct loop *l = w->loop;
    double t = now_s();

    if (w->t0 >= l->measure_from && t <= l->measure_to)
        samples_add(&l->lat, (t - w->t0) * 1e6);
}

static bool stopping(const struct worker *w)
{
    return now_s() >= w->loop->measure_to;
}

static void finish(struct worker *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    w->state = ST_DONE;
    w->loop->active--;
}

static void send_lock(struct worker *w)
{
    w->state = ST_WAIT_GRANT;
    if (!send_all(w->fd, w->lock, w->lock_len))
        worker_fail(w);
}

/* A new cycle: connect (persist: only the first time) and send the lock. */
static void worker_start(struct worker *w)
{
    bool in_progress;

    if (stopping(w)) {
        finish(w);
        return;
    }
    w->t0 = now_s(); /* a cycle starts with the connect */
    w->fd = start_connect(w->loop->o, false, &in_progress);
    if (w->fd < 0) {
        if (errno != EAGAIN)
            w->loop->errors++;
        w->loop->idle++; /* stays ST_IDLE: retried soon */
        return;
    }
    w->state = ST_CONNECTING;
    watch(w, EPOLL_CTL_ADD, in_progress ? EPOLLOUT : EPOLLIN);
    if (!in_progress && w->state == ST_CONNECTING)
        send_lock(w);
}

static void on_connected(struct worker *w)
{
    int err = 0;
    socklen_t len = sizeof(err);

    getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
        worker_fail(w);
        return;
    }
    watch(w, EPOLL_CTL_MOD, EPOLLIN);
    if (w->state == ST_CONNECTING)
        send_lock(w);
}

static void on_granted(struct worker *w)
{
    const struct opts *o = w->loop->o;

    if (!send_all(w->fd, w->unlock, w->unlock_len)) {
        worker_fail(w);
        return;
    }
    if (o->mode == MODE_PERSIST) {
        record(w);
        if (stopping(w)) {
            finish(w);
            return;
        }
        w->t0 = now_s(); /* here a cycle starts with the lock */
        send_lock(w);
        return;
    }
    shutdown(w->fd, SHUT_WR);
    w->state = ST_CLOSING;
}

static void on_readable(struct worker *w)
{
    ssize_t n =
        recv(w->fd, w->in + w->in_len, sizeof(w->in) - 1 - w->in_len, 0);

    if (n < 0 && errno == EAGAIN)
        return;
    if (w->state == ST_CLOSING && n == 0) {
        close(w->fd);
        w->fd = -1;
        record(w);
        w->state = ST_IDLE;
        worker_start(w);
        return;
    }
    if (n <= 0 || w->state != ST_WAIT_GRANT) {
        worker_fail(w);
        return;
    }
    w->in_len += (size_t)n;
    int r = take_answers(w);
    if (r < 0)
        worker_fail(w);
    else if (r > 0)
        on_granted(w);
}

static void on_event(struct worker *w, uint32_t events)
{
    if (w->state == ST_CONNECTING && (events & (EPOLLOUT | EPOLLERR)))
        on_connected(w);
    else
        on_readable(w);
}

/* Workers whose connect was refused for now (full backlog) or who failed
 * get their next turn here; worker_start counts those that stay idle. */
static void restart_idle(struct loop *l)
{
    l->idle = 0;
    for (int i = 0; i < l->nw; i++)
        if (l->w[i]->state == ST_IDLE)
            worker_start(l->w[i]);
}

static void *loop_run(void *arg)
{
    struct loop *l = arg;
    struct epoll_event ev[MAX_EVENTS];

    restart_idle(l);
    while (l->active > 0 && now_s() < l->give_up) {
        int n = epoll_wait(l->ep, ev, MAX_EVENTS, l->idle ? 1 : 100);

        for (int i = 0; i < n; i++)
            on_event(ev[i].data.ptr, ev[i].events);
        if (l->idle)
            restart_idle(l);
    }
    l->errors += l->active; /* hung workers */
    return NULL;
}

static double proc_cpu_s(int pid);
static int probe_pid(const struct opts *o);

/* Sleeps until the monotonic time t. */
static void sleep_until(double t)
{
    double d = t - now_s();
    struct timespec ts;

    if (d <= 0)
        return;
    ts.tv_sec = (time_t)d;
    ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);
}

/* CPU seconds the server and we spent in the measured window. */
static void measure_cpu(const struct loop *l, int pid, double *server,
                        double *self)
{
    double s0, s1, m0, m1;

    sleep_until(l->measure_from);
    s0 = proc_cpu_s(pid), m0 = proc_cpu_s(getpid());
    sleep_until(l->measure_to);
    s1 = proc_cpu_s(pid), m1 = proc_cpu_s(getpid());
    *server = s1 - s0, *self = m1 - m0;
}

static struct loop *loops_new(const struct opts *o, struct worker *w)
{
    struct loop *loops = calloc((size_t)o->threads, sizeof(*loops));
    double start = now_s();

    for (int t = 0; t < o->threads; t++) {
        loops[t].o = o;
        loops[t].ep = epoll_create1(EPOLL_CLOEXEC);
        loops[t].w = calloc((size_t)o->workers, sizeof(*loops[t].w));
        loops[t].measure_from = start + o->warm;
        loops[t].measure_to = start + o->warm + o->secs;
        loops[t].give_up = loops[t].measure_to + GRACE_SEC;
    }
    for (int i = 0; i < o->workers; i++) {
        struct loop *l = &loops[i % o->threads];
        char name[32];

        snprintf(name, sizeof(name), o->distinct ? "bench%d" : "bench", i);
        w[i] = (struct worker){.loop = l, .fd = -1, .index = i};
        worker_messages(&w[i], name);
        l->w[l->nw++] = &w[i];
        l->active++;
    }
    return loops;
}

static int run_workers(const struct opts *o)
{
    struct worker *w = calloc((size_t)o->workers, sizeof(*w));
    struct loop *loops = loops_new(o, w);
    struct samples all = {0};
    long errors = 0;
    int pid = o->daemon_pid > 0 ? o->daemon_pid : probe_pid(o);
    double server_cpu, self_cpu;

    for (int t = 0; t < o->threads; t++)
        pthread_create(&loops[t].tid, NULL, loop_run, &loops[t]);
    measure_cpu(&loops[0], pid, &server_cpu, &self_cpu);
    for (int t = 0; t < o->threads; t++) {
        pthread_join(loops[t].tid, NULL);
        for (size_t i = 0; i < loops[t].lat.len; i++)
            samples_add(&all, loops[t].lat.v[i]);
        errors += loops[t].errors;
    }
    qsort(all.v, all.len, sizeof(*all.v), cmp_double);
    printf("cps=%.0f p50_us=%.0f p99_us=%.0f cycles=%zu errors=%ld "
           "server_cpu_us=%.1f loadgen_cpu_us=%.1f\n",
           (double)all.len / o->secs, percentile(&all, 50),
           percentile(&all, 99), all.len, errors,
           all.len && pid > 0 ? server_cpu * 1e6 / (double)all.len : 0,
           all.len ? self_cpu * 1e6 / (double)all.len : 0);
    return errors > 0;
}

/* --------------------------------------------------------------- queue */

struct proc_stats {
    long rss_kib, hwm_kib, threads, fds;
};

static long status_field(const char *text, const char *key)
{
    const char *p = strstr(text, key);

    return p != NULL ? atol(p + strlen(key)) : -1;
}

static void read_proc(int pid, struct proc_stats *st)
{
    char path[64], text[4096] = "";
    FILE *f;
    DIR *d;
    struct dirent *de;

    *st = (struct proc_stats){-1, -1, -1, -1};
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    if (pid <= 0 || (f = fopen(path, "r")) == NULL)
        return;
    text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
    fclose(f);
    st->rss_kib = status_field(text, "\nVmRSS:");
    st->hwm_kib = status_field(text, "\nVmHWM:");
    st->threads = status_field(text, "\nThreads:");
    snprintf(path, sizeof(path), "/proc/%d/fd", pid);
    if ((d = opendir(path)) == NULL)
        return;
    for (st->fds = 0; (de = readdir(d)) != NULL;)
        st->fds += de->d_name[0] != '.';
    closedir(d);
}

static int peer_pid(int fd)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
        return -1;
    return cred.pid;
}

/* The server's PID, from the credentials of a UNIX listener. */
static int probe_pid(const struct opts *o)
{
    bool in_progress;
    int fd, pid;

    if (o->addr.ss_family != AF_UNIX ||
        (fd = start_connect(o, true, &in_progress)) < 0)
        return -1;
    pid = peer_pid(fd);
    close(fd);
    return pid;
}

/* utime + stime of a process (all its threads), in seconds. */
static double proc_cpu_s(int pid)
{
    char path[64], text[1024];
    unsigned long long ut = 0, st = 0;
    const char *p;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    if (pid <= 0 || (f = fopen(path, "r")) == NULL)
        return 0;
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    /* fields 14 and 15, counted after the ")" that ends the comm field */
    if ((p = strrchr(text, ')')) == NULL ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &ut, &st) != 2)
        return 0;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* Raises the soft descriptor limit to the hard one; returns how many
 * waiters fit next to stdio, the holder and the epoll descriptor. */
static int fit_queue(int want)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return want;
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)want + 16 > rl.rlim_cur)
        return (int)rl.rlim_cur - 16;
    return want;
}

/* Connects, sends the lock and waits for its first answer, blocking as a
 * FLoM client does. Returns the answer's rc, or -1. */
static int lock_blocking(const struct opts *o, struct worker *w)
{
    bool in_progress;

    w->fd = start_connect(o, true, &in_progress);
    if (w->fd < 0 || !send_all(w->fd, w->lock, w->lock_len))
        return -1;
    for (;;) {
        ssize_t n =
            recv(w->fd, w->in + w->in_len, sizeof(w->in) - 1 - w->in_len, 0);
        char *end;

        if (n <= 0)
            return -1;
        w->in_len += (size_t)n;
        w->in[w->in_len] = '\0';
        if ((end = strstr(w->in, MSG_END)) != NULL) {
            int rc = attr_int(w->in, end, "rc=\"");
            w->in_len = 0;
            return rc;
        }
    }
}

enum { Q_ERROR = -1, Q_MORE, Q_GRANTED, Q_CLOSED };

/* The granted waiter behaves like `flom -- true`: unlock, half-close,
 * wait for the daemon to close. Returns a Q_* value. */
static int queue_on_event(struct worker *w, int *order, int *granted)
{
    ssize_t n =
        recv(w->fd, w->in + w->in_len, sizeof(w->in) - 1 - w->in_len, 0);

    if (n < 0 && errno == EAGAIN)
        return Q_MORE;
    if (w->state == ST_CLOSING && n == 0)
        return Q_CLOSED;
    if (n <= 0 || w->state != ST_WAIT_GRANT)
        return Q_ERROR;
    w->in_len += (size_t)n;
    int r = take_answers(w);
    if (r <= 0)
        return r < 0 ? Q_ERROR : Q_MORE;
    order[(*granted)++] = w->index;
    if (!send_all(w->fd, w->unlock, w->unlock_len))
        return Q_ERROR;
    shutdown(w->fd, SHUT_WR);
    w->state = ST_CLOSING;
    return Q_GRANTED;
}

/* Queues n waiters behind holder, in order. Returns how many made it. */
static int queue_fill(const struct opts *o, struct worker *w, int n)
{
    for (int i = 0; i < n; i++) {
        w[i] = (struct worker){.fd = -1, .index = i, .state = ST_WAIT_GRANT};
        worker_messages(&w[i], "bench");
        if (lock_blocking(o, &w[i]) != 1) {
            fprintf(stderr, "loadgen: waiter %d was not queued\n", i);
            return i;
        }
    }
    return n;
}

/* Releases the holder and serves every waiter; returns the errors. */
static long queue_drain(struct worker *holder, struct worker *w, int n,
                        int *order)
{
    struct epoll_event ev[MAX_EVENTS];
    int ep = epoll_create1(EPOLL_CLOEXEC), granted = 0, done = 0;
    long errors = 0;
    double give_up = now_s() + 600;
    char c;

    for (int i = 0; i < n; i++) {
        /* the waiters were blocking while they queued */
        fcntl(w[i].fd, F_SETFL, O_NONBLOCK);
        struct epoll_event e = {.events = EPOLLIN, .data.ptr = &w[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, w[i].fd, &e);
    }
    if (!send_all(holder->fd, holder->unlock, holder->unlock_len))
        errors++;
    shutdown(holder->fd, SHUT_WR);
    while (done < n && now_s() < give_up) {
        int k = epoll_wait(ep, ev, MAX_EVENTS, 1000);

        for (int i = 0; i < k; i++) {
            struct worker *x = ev[i].data.ptr;
            int r = queue_on_event(x, order, &granted);

            if (r == Q_ERROR || r == Q_CLOSED) {
                errors += r == Q_ERROR;
                close(x->fd); /* also leaves the epoll set */
                done++;
            }
        }
    }
    if (recv(holder->fd, &c, 1, 0) != 0)
        errors++;
    close(holder->fd);
    close(ep);
    return errors + (n - done);
}

static bool fifo_ok(const int *order, int n)
{
    for (int i = 0; i < n; i++)
        if (order[i] != i)
            return false;
    return true;
}

static int run_queue(const struct opts *o)
{
    int want = o->queue_n, n = fit_queue(want), queued, pid;
    struct worker *w = calloc((size_t)n + 1, sizeof(*w)), *holder = &w[n];
    int *order = calloc((size_t)n, sizeof(*order));
    struct proc_stats st;
    double t0, t1, t2, cpu;
    long errors;

    if (n < want)
        fprintf(stderr, "loadgen: descriptor limit: %d waiters, not %d\n", n,
                want);
    worker_messages(holder, "bench");
    if (lock_blocking(o, holder) != 0) {
        fprintf(stderr, "loadgen: the holder did not get the lock\n");
        return 1;
    }
    pid = o->daemon_pid > 0 ? o->daemon_pid : peer_pid(holder->fd);
    t0 = now_s();
    queued = queue_fill(o, w, n);
    t1 = now_s();
    read_proc(pid, &st);
    cpu = proc_cpu_s(pid);
    errors = queue_drain(holder, w, queued, order) + (n - queued);
    t2 = now_s();
    cpu = proc_cpu_s(pid) - cpu;
    printf("n=%d enqueue_s=%.3f drain_s=%.3f per_grant_us=%.1f fifo=%s "
           "rss_kib=%ld hwm_kib=%ld threads=%ld fds=%ld errors=%ld "
           "server_cpu_us=%.1f\n",
           queued, t1 - t0, t2 - t1, queued ? (t2 - t1) * 1e6 / queued : 0,
           fifo_ok(order, queued) ? "ok" : "BAD", st.rss_kib, st.hwm_kib,
           st.threads, st.fds, errors, queued ? cpu * 1e6 / queued : 0);
    return errors > 0 || !fifo_ok(order, queued);
}

/* ---------------------------------------------------------------- main */

static int usage(void)
{
    fprintf(stderr,
            "usage: loadgen cycle|persist [-k K] [-j J] [-t SECS] [-w SECS] "
            "[-d] TARGET\n"
            "       loadgen queue [-n N] [-P PID] TARGET\n"
            "       loadgen pid -s SOCKET_PATH\n"
            "TARGET: -s SOCKET_PATH | -a IPV4_ADDRESS -p PORT\n");
    return 2;
}

static int parse_mode(const char *s, enum mode *m)
{
    if (strcmp(s, "cycle") == 0)
        *m = MODE_CYCLE;
    else if (strcmp(s, "persist") == 0)
        *m = MODE_PERSIST;
    else if (strcmp(s, "queue") == 0)
        *m = MODE_QUEUE;
    else if (strcmp(s, "pid") == 0)
        *m = MODE_PID;
    else
        return -1;
    return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    const char *path = NULL, *addr = NULL;
    int port = 0, c;

    *o = (struct opts){
        .workers = 1, .threads = 1, .queue_n = 1000, .secs = 2, .warm = 0.3};
    if (argc < 2 || parse_mode(argv[1], &o->mode) < 0)
        return -1;
    optind = 2;
    while ((c = getopt(argc, argv, "k:j:t:w:dn:P:s:a:p:")) != -1) {
        switch (c) {
        case 'k':
            o->workers = atoi(optarg);
            break;
        case 'j':
            o->threads = atoi(optarg);
            break;
        case 't':
            o->secs = atof(optarg);
            break;
        case 'w':
            o->warm = atof(optarg);
            break;
        case 'd':
            o->distinct = true;
            break;
        case 'n':
            o->queue_n = atoi(optarg);
            break;
        case 'P':
            o->daemon_pid = atoi(optarg);
            break;
        case 's':
            path = optarg;
            break;
        case 'a':
            addr = optarg;
            break;
        case 'p':
            port = atoi(optarg);
            break;
        default:
            return -1;
        }
    }
    if (o->workers < 1 || o->threads < 1 || o->secs <= 0 || o->queue_n < 1)
        return -1;
    if (o->threads > o->workers)
        o->threads = o->workers;
    return optind == argc ? parse_target(o, path, addr, port) : -1;
}

int main(int argc, char **argv)
{
    struct opts o;

    if (parse_args(argc, argv, &o) < 0)
        return usage();
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (o.mode == MODE_QUEUE)
        return run_queue(&o);
    if (o.mode == MODE_PID) {
        int pid = probe_pid(&o);
        printf("%d\n", pid);
        return pid <= 0;
    }
    return run_workers(&o);
}
