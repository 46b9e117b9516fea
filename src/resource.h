/*
 * The daemon's resources: a registry of live resources keyed by name (first
 * level for hierarchical names), each with its holders and a FIFO queue of
 * waiters, plus the "incubator" of requests waiting for someone to create
 * their resource (spec §3). The registry knows nothing about connections:
 * an owner is an opaque pointer, and deferred answers go through a callback.
 * Kind-specific rules live in resource-<kind>.c behind struct resource_ops
 * (resource-kind.h); this interface is the same for every kind.
 *
 * Granting is fair (the core issue): a request is granted at once only if it
 * is compatible with every holder and no conflicting request waits before
 * it; on release, waiters are granted in arrival order, stopping at the
 * first one that still cannot be granted.
 */
#ifndef FLOM_RESOURCE_H
#define FLOM_RESOURCE_H

#include <stdbool.h>
#include <systemd/sd-event.h>

struct registry;
struct lock_entry;

struct lock_request {
    const char *name;   /* as received; the registry validates it */
    int mode;           /* 0..5; any other value is treated as EX */
    int quantity;       /* numeric resources; <= 0 is treated as 1 */
    bool wait;          /* queue when not grantable now */
    bool create;        /* may create the resource */
    int lifespan;       /* idle lifespan (ms) of a resource it creates */
};

/* Deferred answers, sent by the owner as lock/24: rc 0 = granted (element
 * may be non-NULL: set element, sequence value, timestamp); rc 1 = an
 * incubated request was queued in the resource just created; rc 4 or 6 = an
 * incubated request was refused. For rc 0 and 1 the entry stays the owner's;
 * for any other rc the registry has already freed it and the owner must
 * forget its pointer. The callback must not call back into the registry. */
typedef void (*registry_answer_fn)(void *owner, struct lock_entry *entry,
                                   int rc, const char *element,
                                   void *userdata);

/* Called when the registry has just become empty (no resource left, not
 * even a lingering one), so the daemon can start counting its lifespan. */
typedef void (*registry_empty_fn)(void *userdata);

struct registry *registry_new(sd_event *event, registry_answer_fn answer,
                              registry_empty_fn empty, void *userdata);
/* Frees everything, without calling the callbacks. NULL is fine. */
void registry_free(struct registry *reg);

/* Handles a lock request (lock/8) of owner and returns the step-16 answer:
 *  FLOM_RC_OK                     granted; *element may be set
 *  FLOM_RC_LOCK_ENQUEUED          queued; a deferred answer follows
 *  FLOM_RC_LOCK_WAIT_RESOURCE     incubated (create=0, wait=1)
 *  FLOM_RC_LOCK_BUSY              not grantable and wait=0
 *  FLOM_RC_LOCK_IMPOSSIBLE        can never be granted
 *  FLOM_RC_LOCK_CANT_WAIT         does not exist, create=0, wait=0
 *  FLOM_RC_INVALID_RESOURCE_NAME  name not valid
 *  FLOM_RC_RESOURCE_INIT_ERROR    could not create it (bad timestamp format)
 * For OK, ENQUEUED and WAIT_RESOURCE, *entry is set and stays valid until
 * registry_unlock/registry_drop (or a deferred answer with rc > 1). The
 * element string belongs to the entry. */
int registry_lock(struct registry *reg, const struct lock_request *req,
                  void *owner, struct lock_entry **entry,
                  const char **element);

/* An unlock/8 for entry. name must be the resource's name (for hierarchical
 * resources: the same first level). On a match the hold is released (or the
 * wait cancelled) with the given rollback flag, entry is freed, waiters are
 * granted, and 0 is returned. On a mismatch nothing happens and
 * FLOM_RC_PROTOCOL_ERROR is returned (the caller closes the connection and
 * then calls registry_drop). */
int registry_unlock(struct registry *reg, struct lock_entry *entry,
                    const char *name, bool rollback);

/* The owner went away (disconnect, protocol error, timeout): releases the
 * hold (a transactional sequence value is rolled back), leaves the queue or
 * the incubator, frees entry, grants waiters. NULL is fine. */
void registry_drop(struct registry *reg, struct lock_entry *entry);

/* Number of live resources, lingering ones included. */
unsigned registry_size(const struct registry *reg);

#endif
