/*
 * Numeric resources (spec §3.4): a total quantity shared by the holders.
 * The lock mode is irrelevant. Strict FIFO (no may_pass) is what keeps a
 * large request from being starved by a stream of small ones.
 */
#include "flom_errors.h"
#include "resource-kind.h"

struct numeric {
    int64_t total;
    int64_t locked; /* sum of the holders' quantities */
};

static int numeric_init(struct resource *res, const char *name)
{
    struct numeric *n;
    int32_t total;

    if (!names_bracket_number(name, &total) || total < 0)
        return FLOM_RC_RESOURCE_INIT_ERROR;
    n = g_new0(struct numeric, 1);
    n->total = total;
    res->state = n;
    return 0;
}

static void numeric_fini(struct resource *res)
{
    g_free(res->state);
    res->state = NULL;
}

/* Even with total 0 and whatever the wait flag (spec §3.4). */
static bool numeric_impossible(const struct resource *res,
                               const struct lock_entry *e)
{
    const struct numeric *n = res->state;

    return e->quantity > n->total;
}

static bool numeric_can_grant(const struct resource *res,
                              const struct lock_entry *e)
{
    const struct numeric *n = res->state;

    return n->total - n->locked >= e->quantity;
}

static void numeric_grant(struct resource *res, struct lock_entry *e)
{
    struct numeric *n = res->state;

    n->locked += e->quantity;
}

static void numeric_release(struct resource *res, struct lock_entry *e)
{
    struct numeric *n = res->state;

    n->locked -= e->quantity;
}

const struct resource_ops resource_numeric_ops = {
    .type = RSRC_TYPE_NUMERIC,
    .init = numeric_init,
    .fini = numeric_fini,
    .impossible = numeric_impossible,
    .can_grant = numeric_can_grant,
    .grant = numeric_grant,
    .release = numeric_release,
};
