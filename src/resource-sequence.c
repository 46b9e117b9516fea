/*
 * Sequence resources (spec §3.7): at most N holders, each handed the next
 * value of a 32-bit counter that starts at 1 and never yields 0. A
 * transactional sequence (_S_) takes back the value of a holder that rolls
 * back (unlock with rollback, or disconnect) and hands it out again first.
 */
#include "flom_errors.h"
#include "resource-kind.h"

struct sequence {
    uint32_t max; /* N: simultaneous holders; 0 = everybody waits */
    bool transactional;
    uint32_t next;      /* never 0 */
    GQueue rolled_back; /* of GUINT_TO_POINTER(value), oldest first */
};

static int sequence_init(struct resource *res, const char *name)
{
    struct sequence *s;
    int32_t max;

    if (!names_bracket_number(name, &max) || max < 0)
        return FLOM_RC_RESOURCE_INIT_ERROR;
    s = g_new0(struct sequence, 1);
    s->max = (uint32_t)max;
    s->transactional = names_sequence_is_transactional(name);
    s->next = 1;
    g_queue_init(&s->rolled_back);
    res->state = s;
    return 0;
}

static void sequence_fini(struct resource *res)
{
    struct sequence *s = res->state;

    if (s != NULL) {
        g_queue_clear(&s->rolled_back);
        g_free(s);
    }
    res->state = NULL;
}

static bool sequence_can_grant(const struct resource *res,
                               const struct lock_entry *e)
{
    const struct sequence *s = res->state;

    return res->holders.length < s->max;
}

static uint32_t sequence_take(struct sequence *s)
{
    uint32_t value;

    if (s->transactional && s->rolled_back.length > 0)
        return GPOINTER_TO_UINT(g_queue_pop_head(&s->rolled_back));
    value = s->next++;
    if (s->next == 0) /* wrapped: 0 is never a value */
        s->next = 1;
    return value;
}

static void sequence_grant(struct resource *res, struct lock_entry *e)
{
    e->k.seq_value = sequence_take(res->state);
    e->element = g_strdup_printf("%u", e->k.seq_value);
}

static void sequence_release(struct resource *res, struct lock_entry *e)
{
    struct sequence *s = res->state;

    if (s->transactional && e->rollback)
        g_queue_push_tail(&s->rolled_back, GUINT_TO_POINTER(e->k.seq_value));
}

void sequence_test_set_next(struct resource *res, uint32_t next)
{
    struct sequence *s = res->state;

    s->next = next != 0 ? next : 1;
}

const struct resource_ops resource_sequence_ops = {
    .type = RSRC_TYPE_SEQUENCE,
    .init = sequence_init,
    .fini = sequence_fini,
    .can_grant = sequence_can_grant,
    .grant = sequence_grant,
    .release = sequence_release,
};
