/*
 * Resource sets (spec §3.5): each element is held by one holder at most.
 * The choice rotates exactly as in FLoM so that consecutive commands see
 * the same elements: scan from idx for the first free element, and on every
 * grant move idx by one from its previous value (not to chosen + 1).
 */
#include "flom_errors.h"
#include "resource-kind.h"

struct set {
    char **elements; /* duplicates are distinct elements */
    bool *busy;
    unsigned n;
    unsigned free;
    unsigned idx; /* survives while the resource lingers */
};

static int set_init(struct resource *res, const char *name)
{
    char **elements = names_set_elements(name);
    struct set *s;

    if (elements == NULL || elements[0] == NULL) {
        g_strfreev(elements);
        return FLOM_RC_RESOURCE_INIT_ERROR;
    }
    s = g_new0(struct set, 1);
    s->elements = elements;
    s->n = g_strv_length(elements);
    s->free = s->n;
    s->busy = g_new0(bool, s->n);
    res->state = s;
    return 0;
}

static void set_fini(struct resource *res)
{
    struct set *s = res->state;

    if (s != NULL) {
        g_strfreev(s->elements);
        g_free(s->busy);
        g_free(s);
    }
    res->state = NULL;
}

static bool set_can_grant(const struct resource *res,
                          const struct lock_entry *e)
{
    const struct set *s = res->state;

    return s->free > 0;
}

static void set_grant(struct resource *res, struct lock_entry *e)
{
    struct set *s = res->state;
    unsigned j = s->idx;

    for (unsigned i = 0; i < s->n; i++) {
        j = (s->idx + i) % s->n;
        if (!s->busy[j])
            break;
    }
    s->busy[j] = true;
    s->free--;
    s->idx = (s->idx + 1) % s->n;
    e->k.set_index = j;
    e->element = g_strdup(s->elements[j]);
}

static void set_release(struct resource *res, struct lock_entry *e)
{
    struct set *s = res->state;

    s->busy[e->k.set_index] = false;
    s->free++;
}

const struct resource_ops resource_set_ops = {
    .type = RSRC_TYPE_SET,
    .init = set_init,
    .fini = set_fini,
    .can_grant = set_can_grant,
    .grant = set_grant,
    .release = set_release,
};
