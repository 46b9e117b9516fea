/*
 * The checker of the safety harness (see safety.h). It replays the event
 * log in its order and keeps, per resource, the critical sections open at
 * each point:
 *
 *  - ENTER opens one; it must be compatible with every section open on the
 *    same resource (the mode matrix of spec §3.3, written out again below:
 *    the oracle must not share the daemon's table);
 *  - LEAVE closes it; so does KILL, which the killer records while the
 *    process is frozen (SIGSTOP confirmed) and before it sends SIGKILL, so
 *    before the daemon can possibly see the connection close;
 *  - every request (REQ) must end in exactly one way: served (DONE, or a
 *    flom exit 0 after ENTER and LEAVE), cleanly refused (BUSY, TIMEOUT,
 *    flom exit 98, always without ENTER), or killed (KILL; then flom's
 *    status, if any, must be the command's or flom's death by SIGKILL).
 * Anything else is a violation or a lost request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safety.h"

#define STATUS_REFUSED 98               /* flom: busy or timeout */
#define STATUS_COMMAND_KILLED (128 + 9) /* the command died of SIGKILL */
#define STATUS_FLOM_KILLED (256 + 9)    /* flom itself died of SIGKILL */
#define MAX_REPORTS 10

/* Spec §3.3: row = mode held, column = mode requested. */
static const char *const compat[SAFETY_MODES] = {
    /* NL CR CW PR PW EX */
    "YYYYYY", /* NL */
    "YYYYY-", /* CR */
    "YYY---", /* CW */
    "YY-Y--", /* PR */
    "YY----", /* PW */
    "Y-----", /* EX */
};

static bool compatible(int held, int requested)
{
    return compat[held][requested] == 'Y';
}

enum cycle_state { C_NEW = 0, C_REQUESTED, C_OVER };
/* How a request ended, as its worker saw it. */
enum cycle_end { END_NONE = 0, END_SERVED, END_BUSY, END_TIMEOUT, END_KILLED };

struct cycle {
    uint8_t state, res, mode, end;
    bool entered, inside, left, killed;
    uint64_t enter_at;
};

struct checker {
    const struct safety_shared *sh;
    struct safety_report *r;
    struct cycle *cycles;
    uint64_t ncycles;
    /* open sections per resource: cycle numbers */
    uint32_t *open[SAFETY_MAX_RESOURCES];
    unsigned nopen[SAFETY_MAX_RESOURCES];
    int resources;
    bool quiet;
};

static void report(struct checker *k, long *counter, uint64_t at,
                   const char *what, uint32_t cycle)
{
    (*counter)++;
    if (!k->quiet &&
        k->r->violations + k->r->lost + k->r->errors <= MAX_REPORTS)
        fprintf(stderr, "safety: event %llu, cycle %u: %s\n",
                (unsigned long long)at, cycle, what);
}

static void open_section(struct checker *k, uint64_t at, uint32_t id)
{
    struct cycle *c = &k->cycles[id];

    for (unsigned i = 0; i < k->nopen[c->res]; i++) {
        struct cycle *o = &k->cycles[k->open[c->res][i]];
        char what[160];

        if (compatible(o->mode, c->mode))
            continue;
        snprintf(what, sizeof(what),
                 "%s granted on safety%d while cycle %u (entered at event "
                 "%llu) holds %s",
                 safety_mode_name(c->mode), c->res, k->open[c->res][i],
                 (unsigned long long)o->enter_at, safety_mode_name(o->mode));
        report(k, &k->r->violations, at, what, id);
    }
    k->open[c->res][k->nopen[c->res]++] = id;
    c->inside = true;
    c->entered = true;
    c->enter_at = at;
}

static void close_section(struct checker *k, uint32_t id)
{
    struct cycle *c = &k->cycles[id];
    uint32_t *open = k->open[c->res];

    for (unsigned i = 0; i < k->nopen[c->res]; i++)
        if (open[i] == id) {
            open[i] = open[--k->nopen[c->res]];
            break;
        }
    c->inside = false;
}

static void on_req(struct checker *k, uint64_t at, uint32_t id,
                   const struct safety_event *e)
{
    struct cycle *c = &k->cycles[id];

    if (c->state != C_NEW) {
        report(k, &k->r->violations, at, "requested twice", id);
        return;
    }
    c->state = C_REQUESTED;
    c->res = e->res;
    c->mode = e->mode;
    k->r->requests++;
}

static void on_enter(struct checker *k, uint64_t at, uint32_t id,
                     const struct safety_event *e)
{
    struct cycle *c = &k->cycles[id];

    if (c->state != C_REQUESTED || c->entered || e->res != c->res ||
        e->mode != c->mode) {
        report(k, &k->r->violations, at, "entered without a matching request",
               id);
        return;
    }
    if (c->killed) /* its section counts all the same: overlaps too */
        report(k, &k->r->violations, at, "entered after it was killed", id);
    open_section(k, at, id);
}

/* A frozen process records nothing: whatever it reserved before the
 * freeze comes before KILL in the log. */
static void on_leave(struct checker *k, uint64_t at, uint32_t id)
{
    struct cycle *c = &k->cycles[id];

    if (c->killed || !c->inside)
        report(k, &k->r->violations, at,
               c->killed ? "left after it was killed" : "left without entering",
               id);
    if (c->inside)
        close_section(k, id);
    c->left = !c->killed && c->entered;
}

static void on_kill(struct checker *k, uint32_t id)
{
    struct cycle *c = &k->cycles[id];

    if (c->killed || c->state == C_OVER)
        return; /* killed between two requests */
    c->killed = true;
    if (c->inside) {
        k->r->killed_holding++;
        close_section(k, id);
    }
}

/* The end of a request as its worker saw it. */
static enum cycle_end judge(const struct cycle *c, uint32_t type, int status)
{
    bool served = c->entered && c->left && !c->inside;

    if (type == EV_DONE || (type == EV_END && status == 0))
        return served ? END_SERVED : END_NONE;
    if (type == EV_BUSY || (type == EV_END && status == STATUS_REFUSED))
        return !c->entered ? END_BUSY : END_NONE;
    if (type == EV_TIMEOUT)
        return !c->entered ? END_TIMEOUT : END_NONE;
    if (c->killed &&
        (status == STATUS_COMMAND_KILLED || status == STATUS_FLOM_KILLED))
        return END_KILLED;
    return END_NONE;
}

static void on_outcome(struct checker *k, uint64_t at, uint32_t id,
                       const struct safety_event *e)
{
    struct cycle *c = &k->cycles[id];
    uint32_t t = atomic_load_explicit(&e->type, memory_order_acquire);

    c->end = (uint8_t)judge(c, t, e->arg);
    if (c->state != C_REQUESTED || c->end == END_NONE) {
        char what[96];
        snprintf(what, sizeof(what),
                 "request ended badly (event %u, "
                 "status %d, entered %d, left %d, killed %d)",
                 t, e->arg, c->entered, c->left, c->killed);
        report(k, &k->r->violations, at, what, id);
    }
    c->state = C_OVER;
}

static void replay_one(struct checker *k, uint64_t at)
{
    const struct safety_event *e = &k->sh->events[at];
    uint32_t t = atomic_load_explicit(&e->type, memory_order_acquire);
    uint32_t id = e->cycle;

    if (t == EV_TORN) {
        k->r->torn++;
        return;
    }
    if (t == EV_KILL && id == SAFETY_NO_CYCLE)
        return; /* killed before its first request */
    if (id >= k->ncycles || e->res >= k->resources || e->mode >= SAFETY_MODES) {
        report(k, &k->r->violations, at, "event out of range", id);
        return;
    }
    switch (t) {
    case EV_REQ:
        on_req(k, at, id, e);
        break;
    case EV_ENTER:
        on_enter(k, at, id, e);
        break;
    case EV_LEAVE:
        on_leave(k, at, id);
        break;
    case EV_KILL:
        on_kill(k, id);
        break;
    case EV_ERROR:
        report(k, &k->r->errors, at, "worker error", id);
        break;
    default:
        on_outcome(k, at, id, e);
        break;
    }
}

/* After the replay, each request counts once: by how it ended, else as
 * killed; one neither over nor killed was lost, and a cycle never
 * requested may only belong to a killed worker. */
static void final_state(struct checker *k)
{
    for (uint64_t i = 0; i < k->ncycles; i++) {
        struct cycle *c = &k->cycles[i];

        if (c->end == END_SERVED)
            k->r->granted++;
        else if (c->end == END_BUSY)
            k->r->busy++;
        else if (c->end == END_TIMEOUT)
            k->r->timeouts++;
        else if (c->killed)
            k->r->killed++;
        else if (c->state == C_NEW)
            k->r->unstarted++;
        else if (c->state == C_REQUESTED)
            report(k, &k->r->lost, i, "request never answered", (uint32_t)i);
        if (c->inside)
            report(k, &k->r->violations, i, "never left", (uint32_t)i);
    }
}

void safety_check(const struct safety_shared *sh, int resources, bool quiet,
                  struct safety_report *r)
{
    struct checker k = {sh, r, NULL, 0, {0}, {0}, resources, quiet};
    uint64_t n = atomic_load(&sh->next);

    memset(r, 0, sizeof(*r));
    k.ncycles = (uint64_t)(sh->fast_cycles + sh->flom_cycles);
    k.cycles = calloc(k.ncycles + 1, sizeof(*k.cycles));
    for (int i = 0; i < resources; i++)
        k.open[i] = calloc(SAFETY_MAX_SLOTS + 1, sizeof(uint32_t));
    for (uint64_t i = 0; i < n && i < sh->capacity; i++)
        replay_one(&k, i);
    final_state(&k);
    for (int i = 0; i < resources; i++)
        free(k.open[i]);
    free(k.cycles);
}

/* ------------------------------------------------------------ selftest */

static struct safety_shared *fake_log(int cycles)
{
    struct safety_shared *sh =
        calloc(1, sizeof(*sh) + 64 * sizeof(struct safety_event));

    sh->capacity = 64;
    sh->fast_cycles = cycles;
    return sh;
}

static void fake(struct safety_shared *sh, enum safety_event_type t,
                 uint32_t cycle, int res, int mode, int arg)
{
    safety_record(sh, t, 0, cycle, res, mode, arg);
}

/* A served request of cycle on res in mode, from REQ to DONE. */
static void served(struct safety_shared *sh, uint32_t c, int mode)
{
    fake(sh, EV_REQ, c, 0, mode, 0);
    fake(sh, EV_ENTER, c, 0, mode, 0);
    fake(sh, EV_LEAVE, c, 0, mode, 0);
    fake(sh, EV_DONE, c, 0, mode, 0);
}

static int expect(const char *what, struct safety_shared *sh, long viol,
                  long lost)
{
    struct safety_report r;

    safety_check(sh, 1, true, &r);
    free(sh);
    if (r.violations == viol && r.lost == lost)
        return 0;
    fprintf(stderr,
            "safety selftest: %s: %ld violations, %ld lost "
            "(expected %ld, %ld)\n",
            what, r.violations, r.lost, viol, lost);
    return 1;
}

/* Two holders whose sections overlap, in modes a then b. */
static struct safety_shared *overlap(int a, int b)
{
    struct safety_shared *sh = fake_log(2);

    fake(sh, EV_REQ, 0, 0, a, 0);
    fake(sh, EV_REQ, 1, 0, b, 0);
    fake(sh, EV_ENTER, 0, 0, a, 0);
    fake(sh, EV_ENTER, 1, 0, b, 0);
    fake(sh, EV_LEAVE, 0, 0, a, 0);
    fake(sh, EV_LEAVE, 1, 0, b, 0);
    fake(sh, EV_DONE, 0, 0, a, 0);
    fake(sh, EV_DONE, 1, 0, b, 0);
    return sh;
}

/* A holder killed in its section, then another one enters. */
static struct safety_shared *killed_then(int mode, bool kill_first)
{
    struct safety_shared *sh = fake_log(2);

    fake(sh, EV_REQ, 0, 0, mode, 0);
    fake(sh, EV_ENTER, 0, 0, mode, 0);
    if (kill_first)
        fake(sh, EV_KILL, 0, 0, 0, 0);
    served(sh, 1, mode);
    if (!kill_first)
        fake(sh, EV_KILL, 0, 0, 0, 0);
    return sh;
}

int safety_selftest(void)
{
    struct safety_shared *sh;
    int bad = 0;

    for (int a = 0; a < SAFETY_MODES; a++)
        for (int b = 0; b < SAFETY_MODES; b++)
            bad +=
                expect("overlap", overlap(a, b), compatible(a, b) ? 0 : 1, 0);
    sh = fake_log(2);
    served(sh, 0, 5);
    served(sh, 1, 5);
    bad += expect("EX after EX", sh, 0, 0);
    bad += expect("EX after a killed EX", killed_then(5, true), 0, 0);
    bad +=
        expect("EX while a killed EX still held", killed_then(5, false), 1, 0);
    sh = fake_log(1);
    fake(sh, EV_REQ, 0, 0, 5, 0);
    bad += expect("unanswered request", sh, 0, 1);
    sh = fake_log(1);
    fake(sh, EV_REQ, 0, 0, 5, 0);
    fake(sh, EV_ENTER, 0, 0, 5, 0);
    fake(sh, EV_LEAVE, 0, 0, 5, 0);
    fake(sh, EV_BUSY, 0, 0, 5, 0);
    bad += expect("busy after a grant", sh, 1, 0);
    sh = fake_log(1);
    fake(sh, EV_REQ, 0, 0, 5, 0);
    fake(sh, EV_END, 0, 0, 5, STATUS_COMMAND_KILLED);
    bad += expect("command killed by nobody", sh, 1, 0);
    sh = fake_log(1);
    fake(sh, EV_REQ, 0, 0, 5, 0);
    fake(sh, EV_ENTER, 0, 0, 5, 0);
    fake(sh, EV_KILL, 0, 0, 0, 0);
    fake(sh, EV_END, 0, 0, 5, STATUS_COMMAND_KILLED);
    bad += expect("command killed by the killer", sh, 0, 0);
    sh = fake_log(1);
    fake(sh, EV_REQ, 0, 0, 5, 0);
    fake(sh, EV_ENTER, 0, 0, 5, 0);
    fake(sh, EV_KILL, 0, 0, 0, 0);
    fake(sh, EV_LEAVE, 0, 0, 5, 0);
    bad += expect("still running after its kill", sh, 1, 0);
    return bad;
}
