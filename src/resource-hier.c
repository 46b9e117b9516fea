/*
 * Hierarchical resources (spec §3.6): one resource per first level, holding
 * a tree of levels. A hold sits on the node of its full path and conflicts
 * with holds on ancestors, on the node itself and in its subtree; siblings
 * and other branches are independent.
 *
 * Every node counts the holds on itself (held) and in its whole subtree,
 * itself included (sub), per mode, so can_grant walks one path: O(depth).
 *
 * Fairness: unlike the other kinds, hierarchical resources are not strict
 * FIFO. A queued waiter blocks only later requests whose path overlaps its
 * own (ancestor, same node or descendant); requests on disjoint subtrees
 * (/data/projB behind a waiter on /data/projA) do not wait for each other,
 * since they could never conflict with it. Overlapping requests keep the
 * arrival order whatever their modes, which rules out starvation.
 *
 * FLoM leaks the hold of a holder that disconnects without unlocking (it
 * looks at the wrong node); here each entry remembers its node and releases
 * exactly that node.
 */
#include <string.h>

#include "flom_errors.h"
#include "resource-kind.h"

struct hier_node {
    char *level;
    struct hier_node *parent;
    GHashTable *children; /* level -> struct hier_node, owned; lazy */
    unsigned held[FLOM_LOCK_MODE_N];
    unsigned sub[FLOM_LOCK_MODE_N];
    unsigned sub_total;
};

static struct hier_node *node_new(const char *level, struct hier_node *parent)
{
    struct hier_node *n = g_new0(struct hier_node, 1);

    n->level = g_strdup(level);
    n->parent = parent;
    return n;
}

static void node_free(gpointer p)
{
    struct hier_node *n = p;

    if (n == NULL)
        return;
    if (n->children != NULL)
        g_hash_table_destroy(n->children);
    g_free(n->level);
    g_free(n);
}

static struct hier_node *node_child(const struct hier_node *n,
                                    const char *level)
{
    return n->children != NULL ? g_hash_table_lookup(n->children, level) : NULL;
}

static struct hier_node *node_child_make(struct hier_node *n, const char *level)
{
    struct hier_node *c = node_child(n, level);

    if (c != NULL)
        return c;
    if (n->children == NULL)
        n->children =
            g_hash_table_new_full(g_str_hash, g_str_equal, NULL, node_free);
    c = node_new(level, n);
    g_hash_table_insert(n->children, c->level, c);
    return c;
}

static int hier_init(struct resource *res, const char *name)
{
    g_auto(GStrv) levels = names_hier_levels(name);

    if (levels == NULL || levels[0] == NULL)
        return FLOM_RC_RESOURCE_INIT_ERROR;
    res->state = node_new(levels[0], NULL);
    return 0;
}

static void hier_fini(struct resource *res)
{
    node_free(res->state);
    res->state = NULL;
}

static void hier_entry_init(struct lock_entry *e)
{
    e->k.hier.levels = names_hier_levels(e->name);
}

static void hier_entry_fini(struct lock_entry *e)
{
    g_strfreev(e->k.hier.levels);
    e->k.hier.levels = NULL;
}

/* Ancestors (root included) must allow the mode on their own holds; the
 * node itself and its subtree on all their holds. A missing node has no
 * holds below it. */
static bool hier_can_grant(const struct resource *res,
                           const struct lock_entry *e)
{
    const struct hier_node *n = res->state;
    char **levels = e->k.hier.levels;

    for (size_t i = 1; levels[i] != NULL; i++) {
        if (!lock_modes_allow(n->held, e->mode))
            return false;
        if ((n = node_child(n, levels[i])) == NULL)
            return true;
    }
    return lock_modes_allow(n->sub, e->mode);
}

static void hier_grant(struct resource *res, struct lock_entry *e)
{
    struct hier_node *n = res->state;
    char **levels = e->k.hier.levels;

    for (size_t i = 1; levels[i] != NULL; i++)
        n = node_child_make(n, levels[i]);
    n->held[e->mode]++;
    e->k.hier.node = n;
    for (; n != NULL; n = n->parent) {
        n->sub[e->mode]++;
        n->sub_total++;
    }
}

/* Nodes left without holds in their subtree are dropped (the root stays). */
static void hier_release(struct resource *res, struct lock_entry *e)
{
    struct hier_node *n = e->k.hier.node;

    n->held[e->mode]--;
    for (struct hier_node *p = n; p != NULL; p = p->parent) {
        p->sub[e->mode]--;
        p->sub_total--;
    }
    while (n->parent != NULL && n->sub_total == 0) {
        struct hier_node *parent = n->parent;

        g_hash_table_remove(parent->children, n->level);
        n = parent;
    }
    e->k.hier.node = NULL;
}

/* Paths overlap when one is a prefix of the other, level by level. */
static bool paths_overlap(char **a, char **b)
{
    for (; *a != NULL && *b != NULL; a++, b++)
        if (strcmp(*a, *b) != 0)
            return false;
    return true;
}

static bool hier_may_pass(const struct resource *res,
                          const struct lock_entry *earlier,
                          const struct lock_entry *later)
{
    return !paths_overlap(earlier->k.hier.levels, later->k.hier.levels);
}

static unsigned node_count(const struct hier_node *n)
{
    GHashTableIter it;
    gpointer child;
    unsigned count = 1;

    if (n->children == NULL)
        return count;
    g_hash_table_iter_init(&it, n->children);
    while (g_hash_table_iter_next(&it, NULL, &child))
        count += node_count(child);
    return count;
}

unsigned hier_test_count_nodes(const struct resource *res)
{
    return node_count(res->state);
}

const struct resource_ops resource_hier_ops = {
    .type = RSRC_TYPE_HIER,
    .init = hier_init,
    .fini = hier_fini,
    .entry_init = hier_entry_init,
    .entry_fini = hier_entry_fini,
    .can_grant = hier_can_grant,
    .grant = hier_grant,
    .release = hier_release,
    .may_pass = hier_may_pass,
};
