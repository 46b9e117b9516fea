/*
 * Simple resources (spec §3.3): the six DLM lock modes. The mode matrix
 * lives here and is shared with hierarchical resources.
 */
#include "flom_errors.h"
#include "resource-kind.h"

#define MODE_BIT(m) (1u << (m))

/* Row: mode held; bits: requested modes compatible with it (spec §3.3). */
static const unsigned mode_matrix[FLOM_LOCK_MODE_N] = {
    [FLOM_LOCK_MODE_NL] = 0x3f,
    [FLOM_LOCK_MODE_CR] = 0x3f & ~MODE_BIT(FLOM_LOCK_MODE_EX),
    [FLOM_LOCK_MODE_CW] = MODE_BIT(FLOM_LOCK_MODE_NL) |
                          MODE_BIT(FLOM_LOCK_MODE_CR) |
                          MODE_BIT(FLOM_LOCK_MODE_CW),
    [FLOM_LOCK_MODE_PR] = MODE_BIT(FLOM_LOCK_MODE_NL) |
                          MODE_BIT(FLOM_LOCK_MODE_CR) |
                          MODE_BIT(FLOM_LOCK_MODE_PR),
    [FLOM_LOCK_MODE_PW] =
        MODE_BIT(FLOM_LOCK_MODE_NL) | MODE_BIT(FLOM_LOCK_MODE_CR),
    [FLOM_LOCK_MODE_EX] = MODE_BIT(FLOM_LOCK_MODE_NL),
};

static int mode_index(int mode)
{
    return mode >= FLOM_LOCK_MODE_NL && mode <= FLOM_LOCK_MODE_EX
               ? mode
               : FLOM_LOCK_MODE_EX;
}

bool lock_mode_compatible(int held, int requested)
{
    return (mode_matrix[mode_index(held)] & MODE_BIT(mode_index(requested))) !=
           0;
}

bool lock_modes_allow(const unsigned held[FLOM_LOCK_MODE_N], int requested)
{
    for (int m = 0; m < FLOM_LOCK_MODE_N; m++)
        if (held[m] > 0 && !lock_mode_compatible(m, requested))
            return false;
    return true;
}

/* How many holders hold each mode. */
struct simple {
    unsigned held[FLOM_LOCK_MODE_N];
};

static int simple_init(struct resource *res, const char *name)
{
    res->state = g_new0(struct simple, 1);
    return 0;
}

static void simple_fini(struct resource *res)
{
    g_free(res->state);
    res->state = NULL;
}

static bool simple_can_grant(const struct resource *res,
                             const struct lock_entry *e)
{
    const struct simple *s = res->state;

    return lock_modes_allow(s->held, e->mode);
}

static void simple_grant(struct resource *res, struct lock_entry *e)
{
    struct simple *s = res->state;

    s->held[e->mode]++;
}

static void simple_release(struct resource *res, struct lock_entry *e)
{
    struct simple *s = res->state;

    s->held[e->mode]--;
}

const struct resource_ops resource_simple_ops = {
    .type = RSRC_TYPE_SIMPLE,
    .init = simple_init,
    .fini = simple_fini,
    .can_grant = simple_can_grant,
    .grant = simple_grant,
    .release = simple_release,
};
