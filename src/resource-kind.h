/*
 * Inside the registry: what a resource and a lock entry are, and the table
 * of functions each resource kind implements (one const struct
 * resource_ops per resource-<kind>.c). resource.c drives every kind through
 * this table and knows nothing kind-specific; a kind knows nothing about
 * queues, timers or callbacks. Only resource*.c and the unit tests include
 * this header.
 */
#ifndef FLOM_RESOURCE_KIND_H
#define FLOM_RESOURCE_KIND_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "flom_types.h"
#include "names.h"
#include "resource.h"

struct hier_node;

enum entry_state {
    ENTRY_INCUBATED, /* waiting for someone to create its resource */
    ENTRY_WAITING,   /* in res->waiters */
    ENTRY_HOLDING,   /* in res->holders */
};

/* One lock request of one owner, from registry_lock until it is unlocked,
 * dropped or refused. Owned by the registry; the owner keeps the pointer. */
struct lock_entry {
    const struct resource_ops *ops;
    struct resource *res; /* NULL while incubated */
    void *owner;
    char *name;   /* as requested */
    char *key;    /* the registry key (see registry_key in resource.c) */
    int mode;     /* 0..5 (FLOM_LOCK_MODE_*) */
    int quantity; /* >= 1 */
    bool wait;
    bool rollback; /* sequence: give the value back on release */
    enum entry_state state;
    GList link;    /* in res->holders, res->waiters or the incubator */
    char *element; /* what the grant handed out (set, sequence, ...) */
    union {
        struct {
            char **levels;          /* the path, first level included */
            struct hier_node *node; /* where the hold sits, while holding */
        } hier;
        unsigned set_index;
        uint32_t seq_value;
    } k;
};

/* One live resource: a name (first level for hierarchical names), its
 * holders and its FIFO queue of waiters. */
struct resource {
    const struct resource_ops *ops;
    struct registry *reg;
    char *key;
    char *name;                    /* the creating request's name */
    int idle_lifespan;             /* ms, fixed by the creating request */
    GQueue holders;                /* of lock_entry, linked by entry->link */
    GQueue waiters;                /* arrival order */
    sd_event_source *linger_timer; /* armed while idle (no holders/waiters) */
    sd_event_source *retry_timer;  /* armed while a waiter waits for a time */
    void *state;                   /* the kind's own */
};

/*
 * A resource kind. Functions marked optional may be NULL. The registry
 * calls grant only after can_grant returned true (and the FIFO rule let the
 * entry through), release only for a holder, and never calls anything on a
 * resource after fini.
 */
struct resource_ops {
    enum rsrc_type type;
    /* Builds res->state from the name. Returns 0, or
     * FLOM_RC_RESOURCE_INIT_ERROR (res->state must then be left NULL). */
    int (*init)(struct resource *res, const char *name);
    void (*fini)(struct resource *res); /* frees res->state; NULL is fine */
    /* Optional: per-entry data parsed from entry->name, and its release. */
    void (*entry_init)(struct lock_entry *e);
    void (*entry_fini)(struct lock_entry *e);
    /* Optional: e can never be granted on this resource (LOCK_IMPOSSIBLE). */
    bool (*impossible)(const struct resource *res, const struct lock_entry *e);
    /* e is compatible with every holder now (waiters are not considered). */
    bool (*can_grant)(const struct resource *res, const struct lock_entry *e);
    /* Takes the hold; may set e->element (a new string, owned by e). */
    void (*grant)(struct resource *res, struct lock_entry *e);
    /* Gives e's hold back; e->rollback tells a transactional sequence whether
     * the value returns. */
    void (*release)(struct resource *res, struct lock_entry *e);
    /* Optional, NULL = strict FIFO: may later be granted although earlier
     * (queued before it) still waits? */
    bool (*may_pass)(const struct resource *res,
                     const struct lock_entry *earlier,
                     const struct lock_entry *later);
    /* Optional: CLOCK_REALTIME µs at which a blocked waiter may become
     * grantable without any release (timestamp slots); 0 = never. */
    uint64_t (*next_retry)(const struct resource *res);
};

extern const struct resource_ops resource_simple_ops;
extern const struct resource_ops resource_numeric_ops;
extern const struct resource_ops resource_set_ops;
extern const struct resource_ops resource_hier_ops;
extern const struct resource_ops resource_sequence_ops;
extern const struct resource_ops resource_timestamp_ops;

/* The DLM matrix of spec §3.3: may `requested` be granted while `held` is
 * held? Values outside 0..5 count as EX. */
bool lock_mode_compatible(int held, int requested);
/* requested is compatible with every mode m for which held[m] > 0. */
bool lock_modes_allow(const unsigned held[FLOM_LOCK_MODE_N], int requested);

/* The live resource (lingering included) a name belongs to, or NULL. */
struct resource *registry_find(struct registry *reg, const char *name);

/* ---- Test hooks: for the unit tests only, never called by the daemon. */

/* Replaces the §3.10 linger time by usec (0 restores the rule). */
void registry_test_set_linger(struct registry *reg, uint64_t usec);
/* Sets the next value a sequence resource will hand out (wrap-around). */
void sequence_test_set_next(struct resource *res, uint32_t next);
/* Nodes of a hierarchical resource's tree, root included. */
unsigned hier_test_count_nodes(const struct resource *res);
/* Replaces clock_gettime(CLOCK_REALTIME) for timestamps; NULL restores. */
void timestamp_test_set_clock(void (*now)(struct timespec *ts));

#endif
