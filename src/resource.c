/*
 * The registry of live resources (see resource.h): a hash table by key, the
 * incubator, the fair FIFO grant rule, the linger and retry timers, and the
 * deferred answers. Everything kind-specific goes through struct
 * resource_ops (resource-kind.h).
 */
#include <string.h>

#include "flom_errors.h"
#include "log.h"
#include "resource-kind.h"

#define LINGER_EXTRA_MS 1000 /* spec §3.10: max(idle, 1000) + 1000 ms */
#define LINGER_MIN_MS 1000
#define LINGER_ACCURACY_USEC 10000
#define RETRY_ACCURACY_USEC 1 /* timestamp slots may be 1 µs wide */

struct registry {
    sd_event *event;
    registry_answer_fn answer;
    registry_empty_fn empty;
    void *userdata;
    GHashTable *resources; /* key -> struct resource, owned */
    GHashTable *incubator; /* key (owned) -> GQueue of entries, in order */
    uint64_t linger_usec;  /* test hook; 0 = the §3.10 rule */
};

/* A deferred answer, collected while the registry changes and sent only
 * once its state is consistent again, so the callee sees a sane registry. */
struct note {
    struct lock_entry *entry;
    int rc;
};

static const struct resource_ops *const kind_ops[] = {
    [RSRC_TYPE_SIMPLE] = &resource_simple_ops,
    [RSRC_TYPE_NUMERIC] = &resource_numeric_ops,
    [RSRC_TYPE_SET] = &resource_set_ops,
    [RSRC_TYPE_HIER] = &resource_hier_ops,
    [RSRC_TYPE_SEQUENCE] = &resource_sequence_ops,
    [RSRC_TYPE_TIMESTAMP] = &resource_timestamp_ops,
};

/* ------------------------------------------------------------ entries */

/* Hierarchical resources are keyed "/first-level": a simple resource "a"
 * and the tree of "/a/b" are different resources and must not meet under
 * one key. Other names are their own key. */
static char *registry_key(const char *name, enum rsrc_type type)
{
    g_autofree char *key = names_resource_key(name);

    if (key == NULL)
        return NULL;
    if (type == RSRC_TYPE_HIER)
        return g_strconcat("/", key, NULL);
    return g_steal_pointer(&key);
}

static int normalize_mode(int mode)
{
    return mode >= FLOM_LOCK_MODE_NL && mode <= FLOM_LOCK_MODE_EX
               ? mode
               : FLOM_LOCK_MODE_EX;
}

static struct lock_entry *entry_new(const struct lock_request *req,
                                    const struct resource_ops *ops, char *key,
                                    void *owner)
{
    struct lock_entry *e = g_new0(struct lock_entry, 1);

    e->ops = ops;
    e->owner = owner;
    e->name = g_strdup(req->name);
    e->key = key;
    e->mode = normalize_mode(req->mode);
    e->quantity = req->quantity > 0 ? req->quantity : 1;
    e->wait = req->wait;
    e->rollback = true; /* spec §3.7: a holder rolls back unless told not to */
    e->link.data = e;
    if (ops->entry_init != NULL)
        ops->entry_init(e);
    return e;
}

static void entry_free(struct lock_entry *e)
{
    if (e == NULL)
        return;
    if (e->ops->entry_fini != NULL)
        e->ops->entry_fini(e);
    g_free(e->name);
    g_free(e->key);
    g_free(e->element);
    g_free(e);
}

static void note_add(GArray *notes, struct lock_entry *e, int rc)
{
    struct note n = {.entry = e, .rc = rc};

    g_array_append_val(notes, n);
}

/* Refused entries (rc > 1) were already taken out of every list; they are
 * freed right after their answer so the callee may still compare the
 * pointer with its own. */
static void notes_send(struct registry *reg, GArray *notes)
{
    for (guint i = 0; i < notes->len; i++) {
        struct note *n = &g_array_index(notes, struct note, i);

        if (reg->answer != NULL)
            reg->answer(n->entry->owner, n->entry, n->rc,
                        n->rc == FLOM_RC_OK ? n->entry->element : NULL,
                        reg->userdata);
        if (n->rc != FLOM_RC_OK && n->rc != FLOM_RC_LOCK_ENQUEUED)
            entry_free(n->entry);
    }
}

/* ---------------------------------------------------------- resources */

static bool resource_idle(const struct resource *res)
{
    return res->holders.length == 0 && res->waiters.length == 0;
}

static void entries_free(GQueue *q)
{
    GList *l;

    while ((l = g_queue_pop_head_link(q)) != NULL)
        entry_free(l->data);
}

static void resource_free(struct resource *res)
{
    if (res == NULL)
        return;
    res->linger_timer = sd_event_source_disable_unref(res->linger_timer);
    res->retry_timer = sd_event_source_disable_unref(res->retry_timer);
    entries_free(&res->holders);
    entries_free(&res->waiters);
    res->ops->fini(res);
    g_free(res->key);
    g_free(res->name);
    g_free(res);
}

static void resource_destroy(gpointer res)
{
    resource_free(res);
}

static int resource_new(struct registry *reg, const struct lock_entry *e,
                        int lifespan, struct resource **out)
{
    struct resource *res = g_new0(struct resource, 1);
    int rc;

    res->ops = e->ops;
    res->reg = reg;
    res->key = g_strdup(e->key);
    res->name = g_strdup(e->name);
    res->idle_lifespan = lifespan;
    rc = res->ops->init(res, e->name);
    if (rc != 0) {
        log_event(LOG_WARNING, NULL, "cannot create resource '%s'", e->name);
        resource_free(res);
        return rc;
    }
    g_hash_table_insert(reg->resources, res->key, res);
    TRACE(TRACE_LOCKER, "resource '%s' created (idle lifespan %d ms)\n",
          res->name, lifespan);
    *out = res;
    return 0;
}

/* ------------------------------------------------------- linger timer */

static uint64_t linger_usec(const struct resource *res)
{
    int idle = MAX(res->idle_lifespan, LINGER_MIN_MS);

    if (res->reg->linger_usec != 0)
        return res->reg->linger_usec;
    return ((uint64_t)idle + LINGER_EXTRA_MS) * 1000;
}

static int on_linger(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct resource *res = userdata;
    struct registry *reg = res->reg;

    TRACE(TRACE_LOCKER, "resource '%s' expired\n", res->name);
    /* Frees res and its timer; sd-event allows that from the callback. */
    g_hash_table_remove(reg->resources, res->key);
    if (g_hash_table_size(reg->resources) == 0 && reg->empty != NULL)
        reg->empty(reg->userdata);
    return 0;
}

static void linger_start(struct resource *res)
{
    sd_event *ev = res->reg->event;
    uint64_t now = 0;
    int r;

    if (res->linger_timer != NULL || ev == NULL)
        return;
    sd_event_now(ev, CLOCK_MONOTONIC, &now);
    r = sd_event_add_time(ev, &res->linger_timer, CLOCK_MONOTONIC,
                          now + linger_usec(res), LINGER_ACCURACY_USEC,
                          on_linger, res);
    if (r < 0)
        log_event(LOG_ERR, NULL, "resource '%s' cannot expire: %s", res->name,
                  strerror(-r));
}

static void linger_stop(struct resource *res)
{
    res->linger_timer = sd_event_source_disable_unref(res->linger_timer);
}

/* ------------------------------------------------------ the FIFO rule */

/* May e be granted although the entries queued before it still wait? With
 * a NULL may_pass (every kind but hierarchical) nobody may pass anybody:
 * any earlier waiter blocks e. e may or may not be in the queue itself. */
static bool passes_waiters(const struct resource *res,
                           const struct lock_entry *e)
{
    for (GList *l = res->waiters.head; l != NULL && l != &e->link;
         l = l->next) {
        if (res->ops->may_pass == NULL || !res->ops->may_pass(res, l->data, e))
            return false;
    }
    return true;
}

static bool may_grant(const struct resource *res, const struct lock_entry *e)
{
    return res->ops->can_grant(res, e) && passes_waiters(res, e);
}

static void hold(struct resource *res, struct lock_entry *e)
{
    res->ops->grant(res, e);
    e->state = ENTRY_HOLDING;
    g_queue_push_tail_link(&res->holders, &e->link);
    TRACE(TRACE_LOCKER, "resource '%s': granted '%s' mode %d to %p%s%s\n",
          res->name, e->name, e->mode, e->owner, e->element ? " element " : "",
          e->element ? e->element : "");
}

/* Grants the waiters that may now go, in arrival order. Strict kinds stop
 * at the first one that cannot; for the others a blocked waiter only stops
 * those it does not let pass (checked by passes_waiters). */
static void resource_scan(struct resource *res, GArray *notes)
{
    GList *l = res->waiters.head;

    while (l != NULL) {
        struct lock_entry *w = l->data;
        GList *next = l->next;

        if (may_grant(res, w)) {
            g_queue_unlink(&res->waiters, l);
            hold(res, w);
            note_add(notes, w, FLOM_RC_OK);
        } else if (res->ops->may_pass == NULL) {
            break;
        }
        l = next;
    }
}

/* ------------------------------------------------------- retry timer */

static void resource_settle(struct resource *res);

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata)
{
    struct resource *res = userdata;
    g_autoptr(GArray) notes = g_array_new(FALSE, FALSE, sizeof(struct note));

    res->retry_timer = sd_event_source_disable_unref(res->retry_timer);
    resource_scan(res, notes);
    resource_settle(res);
    notes_send(res->reg, notes);
    return 0;
}

static void retry_update(struct resource *res)
{
    uint64_t when = 0;
    int r;

    res->retry_timer = sd_event_source_disable_unref(res->retry_timer);
    if (res->waiters.length == 0 || res->ops->next_retry == NULL ||
        res->reg->event == NULL)
        return;
    when = res->ops->next_retry(res);
    if (when == 0)
        return;
    r = sd_event_add_time(res->reg->event, &res->retry_timer, CLOCK_REALTIME,
                          when, RETRY_ACCURACY_USEC, on_retry, res);
    if (r < 0)
        log_event(LOG_ERR, NULL, "resource '%s' cannot arm its timer: %s",
                  res->name, strerror(-r));
}

/* After any change: an idle resource starts lingering, a resource whose
 * waiters wait for a time (not for a release) arms its retry timer. */
static void resource_settle(struct resource *res)
{
    if (resource_idle(res))
        linger_start(res);
    retry_update(res);
}

/* Handles e on res (e in no list yet) and returns the lock answer. For
 * IMPOSSIBLE and BUSY the caller frees e. */
static int resource_request(struct resource *res, struct lock_entry *e)
{
    linger_stop(res);
    e->res = res;
    if (res->ops->impossible != NULL && res->ops->impossible(res, e))
        return FLOM_RC_LOCK_IMPOSSIBLE;
    if (may_grant(res, e)) {
        hold(res, e);
        return FLOM_RC_OK;
    }
    if (!e->wait)
        return FLOM_RC_LOCK_BUSY;
    e->state = ENTRY_WAITING;
    g_queue_push_tail_link(&res->waiters, &e->link);
    TRACE(TRACE_LOCKER, "resource '%s': %p queued (%u waiting)\n", res->name,
          e->owner, res->waiters.length);
    return FLOM_RC_LOCK_ENQUEUED;
}

/* --------------------------------------------------------- incubator */

static void incubator_add(struct registry *reg, struct lock_entry *e)
{
    GQueue *q = g_hash_table_lookup(reg->incubator, e->key);

    if (q == NULL) {
        q = g_new0(GQueue, 1);
        g_hash_table_insert(reg->incubator, g_strdup(e->key), q);
    }
    e->state = ENTRY_INCUBATED;
    g_queue_push_tail_link(q, &e->link);
}

static void incubator_remove(struct registry *reg, struct lock_entry *e)
{
    GQueue *q = g_hash_table_lookup(reg->incubator, e->key);

    g_queue_unlink(q, &e->link);
    if (q->length == 0)
        g_hash_table_remove(reg->incubator, e->key);
}

/* The queues hold intrusive links: freeing one must not free its list. */
static void incubator_queue_free(gpointer q)
{
    g_free(q);
}

/* res was just created: every request incubated for its key enters it, in
 * incubator order, and gets a deferred answer (spec §3.9, step 24). */
static void incubator_hatch(struct registry *reg, struct resource *res,
                            GArray *notes)
{
    gpointer key = NULL, value = NULL;
    GQueue *q;
    GList *l;

    if (!g_hash_table_steal_extended(reg->incubator, res->key, &key, &value))
        return;
    q = value;
    while ((l = g_queue_pop_head_link(q)) != NULL) {
        struct lock_entry *e = l->data;

        note_add(notes, e, resource_request(res, e));
    }
    g_free(key);
    g_free(q);
}

/* ----------------------------------------------------------- registry */

struct registry *registry_new(sd_event *event, registry_answer_fn answer,
                              registry_empty_fn empty, void *userdata)
{
    struct registry *reg = g_new0(struct registry, 1);

    reg->event = event != NULL ? sd_event_ref(event) : NULL;
    reg->answer = answer;
    reg->empty = empty;
    reg->userdata = userdata;
    reg->resources =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, resource_destroy);
    reg->incubator = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           incubator_queue_free);
    return reg;
}

void registry_free(struct registry *reg)
{
    GHashTableIter it;
    gpointer q;

    if (reg == NULL)
        return;
    g_hash_table_iter_init(&it, reg->incubator);
    while (g_hash_table_iter_next(&it, NULL, &q))
        entries_free(q);
    g_hash_table_destroy(reg->incubator);
    g_hash_table_destroy(reg->resources);
    sd_event_unref(reg->event);
    g_free(reg);
}

/* The resource does not exist and e may not create it (spec §3.9). */
static int incubate_or_refuse(struct registry *reg, struct lock_entry *e,
                              struct lock_entry **entry)
{
    if (!e->wait) {
        entry_free(e);
        return FLOM_RC_LOCK_CANT_WAIT;
    }
    incubator_add(reg, e);
    *entry = e;
    TRACE(TRACE_LOCKER, "'%s': %p incubated\n", e->name, e->owner);
    return FLOM_RC_LOCK_WAIT_RESOURCE;
}

/* e goes to the existing resource res, or to a new one it creates (then
 * the incubated requests for the same key follow it). */
static int lock_in_resource(struct registry *reg, struct resource *res,
                            struct lock_entry *e, int lifespan, GArray *notes)
{
    bool created = res == NULL;
    int rc;

    if (created && (rc = resource_new(reg, e, lifespan, &res)) != 0)
        return rc;
    rc = resource_request(res, e);
    if (created)
        incubator_hatch(reg, res, notes);
    resource_settle(res);
    return rc;
}

int registry_lock(struct registry *reg, const struct lock_request *req,
                  void *owner, struct lock_entry **entry, const char **element)
{
    enum rsrc_type type = names_classify(req->name);
    g_autoptr(GArray) notes = g_array_new(FALSE, FALSE, sizeof(struct note));
    struct resource *res;
    struct lock_entry *e;
    char *key;
    int rc;

    *entry = NULL;
    if (element != NULL)
        *element = NULL;
    if (type <= RSRC_TYPE_NULL || type > RSRC_TYPE_TIMESTAMP ||
        (key = registry_key(req->name, type)) == NULL)
        return FLOM_RC_INVALID_RESOURCE_NAME;
    e = entry_new(req, kind_ops[type], key, owner);
    res = g_hash_table_lookup(reg->resources, key);
    if (res == NULL && !req->create)
        return incubate_or_refuse(reg, e, entry);
    rc = lock_in_resource(reg, res, e, req->lifespan, notes);
    if (rc == FLOM_RC_OK || rc == FLOM_RC_LOCK_ENQUEUED) {
        *entry = e;
        if (element != NULL)
            *element = e->element;
    } else {
        entry_free(e);
    }
    notes_send(reg, notes);
    return rc;
}

/* e leaves its resource or the incubator; waiters that may now go are
 * granted. Dropping a waiter matters too: it may have blocked others. */
static void entry_leave(struct registry *reg, struct lock_entry *e)
{
    g_autoptr(GArray) notes = g_array_new(FALSE, FALSE, sizeof(struct note));
    struct resource *res = e->res;

    if (e->state == ENTRY_INCUBATED) {
        incubator_remove(reg, e);
        entry_free(e);
        return;
    }
    if (e->state == ENTRY_HOLDING) {
        res->ops->release(res, e);
        g_queue_unlink(&res->holders, &e->link);
    } else {
        g_queue_unlink(&res->waiters, &e->link);
    }
    TRACE(TRACE_LOCKER, "resource '%s': %p left\n", res->name, e->owner);
    entry_free(e);
    resource_scan(res, notes);
    resource_settle(res);
    notes_send(reg, notes);
}

int registry_unlock(struct registry *reg, struct lock_entry *entry,
                    const char *name, bool rollback)
{
    g_autofree char *key = NULL;

    if (entry == NULL || name == NULL)
        return FLOM_RC_PROTOCOL_ERROR;
    key = registry_key(name, names_classify(name));
    if (key == NULL || strcmp(key, entry->key) != 0) {
        TRACE(TRACE_LOCKER, "unlock of '%s' names '%s'\n", entry->name, name);
        return FLOM_RC_PROTOCOL_ERROR;
    }
    entry->rollback = rollback;
    entry_leave(reg, entry);
    return 0;
}

void registry_drop(struct registry *reg, struct lock_entry *entry)
{
    if (entry == NULL)
        return;
    entry->rollback = true; /* spec §3.7: a vanished holder rolls back */
    entry_leave(reg, entry);
}

unsigned registry_size(const struct registry *reg)
{
    return g_hash_table_size(reg->resources);
}

struct resource *registry_find(struct registry *reg, const char *name)
{
    g_autofree char *key = registry_key(name, names_classify(name));

    return key != NULL ? g_hash_table_lookup(reg->resources, key) : NULL;
}

void registry_test_set_linger(struct registry *reg, uint64_t usec)
{
    reg->linger_usec = usec;
}
