/*
 * safety: the safety harness of flom (issue items "safety harness").
 *
 *   safety -s SOCKET -d DIR [-n CYCLES] [-w WORKERS] [-N FLOM_CYCLES]
 *          [-W FLOM_WORKERS -f FLOM] [-r RESOURCES] [-H MAX_HOLD_US]
 *          [-k MEAN_KILL_INTERVAL_US] [-S SEED] [-X]
 *   safety selftest
 *
 * Protocol workers (-w) and flom workers (-W, through the real binary)
 * share CYCLES lock requests (and FLOM_CYCLES) with random modes on
 * RESOURCES simple resources of the daemon serving SOCKET, which must be
 * running. The parent is the killer: every MEAN_KILL_INTERVAL_US on average
 * it picks a worker and kills it with SIGKILL (a flom worker: either flom
 * together with its command, or only the command under the lock), then
 * starts a new worker in its place. At the end it checks that every
 * resource can be locked EX again (nothing leaked) and runs the checker
 * (safety-check.c) on the log. Exit status 0 only when all is well.
 *
 * Why a victim is frozen before it is killed: a critical section ends when
 * its process dies, and the log must place that end before the daemon can
 * grant the lock to someone else. So the killer sends SIGSTOP, waits until
 * the victim can run no more user code, records KILL, and only then sends
 * SIGKILL: the daemon learns of the death only after the KILL event.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "safety.h"

#define STUCK_SECONDS 60 /* no event at all for that long: a lost wake-up */
#define FREEZE_TIMEOUT_MS 10000
#define PROBE_TIMEOUT_MS 30000

struct slot {
    pid_t pid; /* 0: finished */
    bool flom;
    int generation;
};

struct killer {
    const struct safety_opts *o;
    struct safety_shared *sh;
    struct slot slots[SAFETY_MAX_SLOTS];
    int nslots, live;
    long kills, kills_command, kills_client, failed_workers;
    uint64_t rng;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};

    nanosleep(&ts, NULL);
}

static uint32_t krand(struct killer *k)
{
    k->rng = k->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(k->rng >> 33);
}

/* ------------------------------------------------------------ workers */

static void spawn(struct killer *k, int s)
{
    struct slot *sl = &k->slots[s];
    unsigned seed =
        k->o->seed + (unsigned)s * 7919u + (unsigned)sl->generation++ * 104729u;
    pid_t pid;

    atomic_store(&k->sh->cur_cycle[s], SAFETY_NO_CYCLE);
    pid = fork();
    if (pid < 0) {
        perror("safety: fork");
        exit(2);
    }
    if (pid == 0) {
        if (sl->flom)
            safety_flom_worker(k->o, k->sh, s, seed);
        safety_fast_worker(k->o, k->sh, s, seed);
    }
    sl->pid = pid;
}

static int slot_of(struct killer *k, pid_t pid)
{
    for (int s = 0; s < k->nslots; s++)
        if (k->slots[s].pid == pid)
            return s;
    return -1;
}

static void worker_exited(struct killer *k, int s, int status)
{
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "safety: worker %d failed (status 0x%x)\n", s, status);
        k->failed_workers++;
    }
    k->slots[s].pid = 0;
    k->live--;
}

static void reap_finished(struct killer *k)
{
    int status, s;
    pid_t pid;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        if ((s = slot_of(k, pid)) >= 0)
            worker_exited(k, s, status);
}

/* ------------------------------------------------------------ freezing */

/* Stops our own child: 0 when stopped, 1 when it exited meanwhile (then
 * it is reaped and accounted for). */
static int stop_child(struct killer *k, int s)
{
    pid_t pid = k->slots[s].pid;
    int status;

    kill(pid, SIGSTOP);
    while (waitpid(pid, &status, WUNTRACED) < 0)
        if (errno != EINTR)
            return 1;
    if (WIFSTOPPED(status))
        return 0;
    worker_exited(k, s, status);
    return 1;
}

/* State and process group of pid from /proc; false if it is gone. */
static bool proc_stat(pid_t pid, char *state, pid_t *pgrp)
{
    char path[64], buf[512], *p;
    FILE *f;
    size_t n;
    int ppid, g;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "re");
    if (f == NULL)
        return false;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strrchr(buf, ')');
    if (p == NULL || sscanf(p + 1, " %c %d %d", state, &ppid, &g) != 3)
        return false;
    *pgrp = g;
    return true;
}

/* A process with a SIGSTOP pending runs no user code again once it is
 * stopped, dead, or inside the kernel without being runnable ('D': it
 * stops on its way back to user mode; a vfork parent waits so while its
 * child is stopped). */
static bool frozen_state(char state)
{
    return strchr("TtZXxD", state) != NULL;
}

static bool pid_frozen(pid_t pid)
{
    char state;
    pid_t g;

    return !proc_stat(pid, &state, &g) || frozen_state(state);
}

static bool group_frozen(pid_t pgid)
{
    DIR *dir = opendir("/proc");
    struct dirent *de;
    bool frozen = true;

    while (dir != NULL && frozen && (de = readdir(dir)) != NULL) {
        pid_t pid = (pid_t)atoi(de->d_name), g;
        char state;

        if (pid > 0 && proc_stat(pid, &state, &g) && g == pgid)
            frozen = frozen_state(state);
    }
    if (dir != NULL)
        closedir(dir);
    return frozen;
}

static bool wait_frozen(pid_t id, bool group)
{
    for (int waited = 0; waited < FREEZE_TIMEOUT_MS * 10; waited++) {
        if (group ? group_frozen(id) : pid_frozen(id))
            return true;
        sleep_us(100);
    }
    fprintf(stderr, "safety: %s %d does not stop\n",
            group ? "process group" : "process", (int)id);
    return false;
}

static void record_kill(struct killer *k, int s, uint32_t cycle)
{
    safety_record(k->sh, EV_KILL, s, cycle, 0, 0, 0);
    k->kills++;
}

/* --------------------------------------------------------------- kills */

static void kill_fast(struct killer *k, int s)
{
    int status;

    if (stop_child(k, s) != 0)
        return;
    record_kill(k, s, atomic_load(&k->sh->cur_cycle[s]));
    kill(k->slots[s].pid, SIGKILL);
    while (waitpid(k->slots[s].pid, &status, 0) < 0 && errno == EINTR)
        ;
    spawn(k, s);
}

/* Only the command under the lock: flom survives, unlocks and exits with
 * 128 + 9. */
static void kill_command(struct killer *k, int s)
{
    uint64_t holder = atomic_load(&k->sh->holder[s]);
    pid_t h = (pid_t)(holder >> 32);

    if (h == 0 || kill(h, SIGSTOP) < 0)
        return;
    if (!wait_frozen(h, false) || atomic_load(&k->sh->holder[s]) != holder) {
        kill(h, SIGCONT); /* it finished meanwhile */
        return;
    }
    record_kill(k, s, (uint32_t)holder);
    kill(h, SIGKILL);
    k->kills_command++;
}

/* flom and whatever it runs: the whole process group. With -X (unsafe),
 * flom alone: its command goes on running without the lock, which the
 * checker must notice (a demonstration that it catches real overlaps). */
static void kill_client(struct killer *k, int s)
{
    pid_t f = atomic_load(&k->sh->flom_pid[s]);

    if (f == 0 || kill(-f, SIGSTOP) < 0)
        return;
    if (!wait_frozen(f, true)) {
        kill(-f, SIGCONT);
        return;
    }
    record_kill(k, s, atomic_load(&k->sh->cur_cycle[s]));
    if (k->o->unsafe) {
        kill(f, SIGKILL);
        kill(-f, SIGCONT);
    } else {
        kill(-f, SIGKILL);
    }
    k->kills_client++;
}

/* The worker is stopped meanwhile, so that it cannot reap flom and go on
 * to its next request while we look at its processes. */
static void kill_flom(struct killer *k, int s)
{
    if (stop_child(k, s) != 0)
        return;
    if (atomic_load(&k->sh->holder[s]) != 0 && krand(k) % 2)
        kill_command(k, s);
    else
        kill_client(k, s);
    kill(k->slots[s].pid, SIGCONT);
}

static void kill_one(struct killer *k)
{
    int live[SAFETY_MAX_SLOTS], n = 0, s;

    for (s = 0; s < k->nslots; s++)
        if (k->slots[s].pid != 0)
            live[n++] = s;
    if (n == 0)
        return;
    s = live[krand(k) % (uint32_t)n];
    if (k->slots[s].flom)
        kill_flom(k, s);
    else
        kill_fast(k, s);
}

/* ------------------------------------------------------------- the run */

static void abort_workers(struct killer *k)
{
    for (int s = 0; s < k->nslots; s++) {
        pid_t f = atomic_load(&k->sh->flom_pid[s]);
        if (f != 0)
            kill(-f, SIGKILL);
        if (k->slots[s].pid != 0)
            kill(k->slots[s].pid, SIGKILL);
    }
    while (wait(NULL) > 0 || errno == EINTR)
        ;
}

/* Runs until every worker has finished; false when they got stuck. */
static bool run(struct killer *k)
{
    double next_kill = now_s(), last_progress = now_s();
    uint64_t last_next = 0;

    while (k->live > 0) {
        double t = now_s();
        uint64_t next = atomic_load(&k->sh->next);

        reap_finished(k);
        if (k->o->kill_every_us > 0 && t >= next_kill) {
            kill_one(k);
            next_kill = t + (double)(krand(k) %
                                     (2u * (uint32_t)k->o->kill_every_us + 1)) /
                                1e6;
        }
        if (next != last_next) {
            last_next = next;
            last_progress = t;
        } else if (t - last_progress > STUCK_SECONDS) {
            fprintf(stderr, "safety: no progress for %d s: stuck\n",
                    STUCK_SECONDS);
            abort_workers(k);
            return false;
        }
        sleep_us(500);
    }
    return true;
}

static bool resources_free(const struct safety_opts *o)
{
    bool ok = true;

    for (int r = 0; r < o->resources; r++)
        if (safety_probe_free(o->socket, r, PROBE_TIMEOUT_MS) != 0) {
            fprintf(stderr,
                    "safety: safety%d cannot be locked EX at the "
                    "end\n",
                    r);
            ok = false;
        }
    return ok;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: safety -s SOCKET -d DIR [-n CYCLES] [-w WORKERS] "
            "[-N FLOM_CYCLES -W FLOM_WORKERS -f FLOM]\n"
            "              [-r RESOURCES] [-H MAX_HOLD_US] [-k KILL_US] "
            "[-S SEED] [-X]\n"
            "       safety selftest\n");
    exit(2);
}

static void parse(int argc, char **argv, struct safety_opts *o)
{
    int c;

    *o = (struct safety_opts){.fast_cycles = 20000,
                              .fast_workers = 8,
                              .resources = 3,
                              .max_hold_us = 200,
                              .seed = (unsigned)time(NULL)};
    while ((c = getopt(argc, argv, "s:d:n:w:N:W:f:r:H:k:S:X")) != -1) {
        switch (c) {
        case 's':
            o->socket = optarg;
            break;
        case 'd':
            o->dir = optarg;
            break;
        case 'n':
            o->fast_cycles = atol(optarg);
            break;
        case 'w':
            o->fast_workers = atoi(optarg);
            break;
        case 'N':
            o->flom_cycles = atol(optarg);
            break;
        case 'W':
            o->flom_workers = atoi(optarg);
            break;
        case 'f':
            o->flom = optarg;
            break;
        case 'r':
            o->resources = atoi(optarg);
            break;
        case 'H':
            o->max_hold_us = atoi(optarg);
            break;
        case 'k':
            o->kill_every_us = atoi(optarg);
            break;
        case 'S':
            o->seed = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'X':
            o->unsafe = true;
            break;
        default:
            usage();
        }
    }
    if (o->socket == NULL || o->dir == NULL || o->resources < 1 ||
        o->resources > SAFETY_MAX_RESOURCES || o->fast_workers < 0 ||
        o->flom_workers < 0 ||
        o->fast_workers + o->flom_workers > SAFETY_MAX_SLOTS ||
        o->fast_workers + o->flom_workers == 0 ||
        (o->flom_cycles > 0 && (o->flom == NULL || o->flom_workers == 0)) ||
        (o->fast_cycles > 0 && o->fast_workers == 0))
        usage();
}

static void print_report(const struct killer *k, const struct safety_report *r,
                         bool free_at_end, double seconds)
{
    long cycles = (long)(k->sh->fast_cycles + k->sh->flom_cycles);

    printf("safety: cycles=%ld protocol=%ld flom=%ld requests=%ld "
           "granted=%ld busy=%ld timeouts=%ld kills=%ld (command %ld, client "
           "%ld) killed=%ld "
           "killed_holding=%ld unstarted=%ld torn=%ld violations=%ld "
           "lost=%ld errors=%ld failed_workers=%ld free=%s seconds=%.1f "
           "seed=%u\n",
           cycles, (long)k->sh->fast_cycles, (long)k->sh->flom_cycles,
           r->requests, r->granted, r->busy, r->timeouts, k->kills,
           k->kills_command, k->kills_client, r->killed, r->killed_holding,
           r->unstarted, r->torn, r->violations, r->lost, r->errors,
           k->failed_workers, free_at_end ? "yes" : "no", seconds, k->o->seed);
}

static bool all_well(const struct killer *k, const struct safety_report *r,
                     bool free_at_end)
{
    return r->violations == 0 && r->lost == 0 && r->errors == 0 &&
           k->failed_workers == 0 && free_at_end &&
           r->unstarted + r->torn <= k->kills;
}

int main(int argc, char **argv)
{
    static struct killer k;
    struct safety_opts o;
    struct safety_report r;
    char self[4096], log[4096];
    ssize_t n;
    double start = now_s();
    bool finished, free_at_end;

    if (argc > 1 && strcmp(argv[1], "hold") == 0)
        return safety_hold_main(argc - 2, argv + 2);
    if (argc > 1 && strcmp(argv[1], "selftest") == 0)
        return safety_selftest() == 0 ? 0 : 1;
    parse(argc, argv, &o);
    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n < 0)
        return 2;
    self[n] = '\0';
    o.self = self;
    snprintf(log, sizeof(log), "%s/safety.log", o.dir);
    k.o = &o;
    k.rng = o.seed ^ 0x5bd1e995u;
    k.sh = safety_log_create(
        log, (uint64_t)(o.fast_cycles + o.flom_cycles) * 8 + 4096);
    if (k.sh == NULL)
        return 2;
    k.sh->fast_cycles = o.fast_cycles;
    k.sh->flom_cycles = o.flom_cycles;
    k.nslots = o.fast_workers + o.flom_workers;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int s = 0; s < k.nslots; s++) {
        k.slots[s].flom = s >= o.fast_workers;
        spawn(&k, s);
    }
    k.live = k.nslots;
    finished = run(&k);
    free_at_end = finished && resources_free(&o);
    safety_check(k.sh, o.resources, false, &r);
    print_report(&k, &r, free_at_end, now_s() - start);
    return finished && all_well(&k, &r, free_at_end) ? 0 : 1;
}
