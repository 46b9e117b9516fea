/*
 * The safety harness (see safety.c): many clients take random lock modes
 * on a few resources through the real daemon; everything that matters is
 * recorded in one shared, append-only event log, and a checker proves from
 * the log alone that no two incompatible holders ever overlapped and that
 * every request ended in a grant, a clean refusal or a death.
 *
 * Order: every event takes its index from one atomic counter at the moment
 * it is recorded, so the log's order is consistent with real time and with
 * causality (a holder records LEAVE before it sends its unlock; the next
 * holder records ENTER after it received its grant).
 */
#ifndef FLOM_SAFETY_H
#define FLOM_SAFETY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define SAFETY_MAX_SLOTS 64
#define SAFETY_MAX_RESOURCES 16
#define SAFETY_MODES 6             /* NL CR CW PR PW EX */
#define SAFETY_NO_CYCLE UINT32_MAX /* a worker before its first request */

enum safety_event_type {
    EV_TORN = 0, /* reserved but never completed (its writer was killed) */
    EV_REQ,      /* a worker is about to ask for res/mode */
    EV_ENTER,    /* a holder is inside its critical section */
    EV_LEAVE,    /* ... and left it (before it unlocks) */
    EV_DONE,     /* protocol worker: unlock sent, request over */
    EV_BUSY,     /* clean refusal: wait=0 and busy */
    EV_TIMEOUT,  /* clean refusal: gave up waiting after its timeout */
    EV_END,      /* flom worker: flom exited, arg = status (256+N: signal) */
    EV_KILL,     /* killer: the slot's process is frozen and about to be
                    SIGKILLed; a critical section open now ends here */
    EV_ERROR,    /* anything a correct daemon never does; arg = detail */
};

/* Details of EV_ERROR. */
enum safety_error {
    ERR_CONNECT = 1,
    ERR_SEND,
    ERR_EOF,    /* the daemon closed the connection */
    ERR_ANSWER, /* an answer that does not fit the request */
    ERR_SPAWN,
};

struct safety_event {
    _Atomic uint32_t type; /* written last: 0 means torn */
    uint32_t cycle;
    int32_t arg;
    uint8_t res;
    uint8_t mode;
    uint16_t slot;
};

/* The shared file: this header, then the event array. */
struct safety_shared {
    uint64_t capacity;
    _Atomic uint64_t next;            /* next event index */
    _Atomic int64_t next_fast;        /* next protocol cycle to hand out */
    _Atomic int64_t next_flom;        /* next flom cycle to hand out */
    int64_t fast_cycles, flom_cycles; /* flom cycles are numbered after */
    _Atomic uint32_t cur_cycle[SAFETY_MAX_SLOTS];
    /* the command under the lock: pid << 32 | cycle, 0 when none */
    _Atomic uint64_t holder[SAFETY_MAX_SLOTS];
    _Atomic int32_t flom_pid[SAFETY_MAX_SLOTS];
    struct safety_event events[];
};

/* What a run is asked to do. */
struct safety_opts {
    const char *socket;
    const char *flom; /* the real binary, for flom cycles */
    const char *self; /* this program, the command under the lock */
    const char *dir;  /* where the log and flom's stderr go */
    long fast_cycles, flom_cycles;
    int fast_workers, flom_workers;
    int resources;
    int max_hold_us;
    int kill_every_us; /* mean; 0 = no killer */
    unsigned seed;
    bool unsafe; /* -X: leave commands running without the lock */
};

/* safety-log.c */
struct safety_shared *safety_log_create(const char *path, uint64_t capacity);
struct safety_shared *safety_log_open(const char *path);
void safety_record(struct safety_shared *sh, enum safety_event_type type,
                   int slot, uint32_t cycle, int res, int mode, int arg);
const char *safety_mode_name(int mode);
void safety_resource_name(int res, char *buf, unsigned len);

/* safety-worker.c: never return. */
void safety_fast_worker(const struct safety_opts *o, struct safety_shared *sh,
                        int slot, unsigned seed);
void safety_flom_worker(const struct safety_opts *o, struct safety_shared *sh,
                        int slot, unsigned seed);
/* The command run by flom under the lock: argv after "hold". */
int safety_hold_main(int argc, char **argv);
/* A lock EX on res through the protocol, waiting at most timeout_ms:
 * 0 when granted (and released again), -1 otherwise. */
int safety_probe_free(const char *socket, int res, int timeout_ms);

/* safety-check.c */
struct safety_report {
    long requests, granted, busy, timeouts, killed, killed_holding;
    long unstarted, torn, violations, lost, errors;
};
/* Checks the log; prints the first problems on stderr unless quiet. */
void safety_check(const struct safety_shared *sh, int resources, bool quiet,
                  struct safety_report *r);
/* Checks the checker on logs with known answers; 0 when it is right. */
int safety_selftest(void);

#endif
