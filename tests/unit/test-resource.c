/*
 * The registry and the six resource kinds, driven directly: fake owners
 * (small integers as pointers), a callback that records deferred answers,
 * and a private sd_event loop for the timers.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flom_errors.h"
#include "resource-kind.h"
#include "resource.h"

#define NL FLOM_LOCK_MODE_NL
#define CR FLOM_LOCK_MODE_CR
#define CW FLOM_LOCK_MODE_CW
#define PR FLOM_LOCK_MODE_PR
#define PW FLOM_LOCK_MODE_PW
#define EX FLOM_LOCK_MODE_EX
#define OWNER(n) GINT_TO_POINTER(n)

struct answer {
    void *owner;
    struct lock_entry *entry;
    int rc;
    char *element;
    bool consistent; /* the entry's state matched rc when it was called */
};

struct fixture {
    sd_event *ev;
    struct registry *reg;
    GArray *answers; /* of struct answer, oldest first */
    int empties;
    char *element; /* element of the last registry_lock */
};

/* ------------------------------------------------------------ helpers */

static void on_answer(void *owner, struct lock_entry *entry, int rc,
                      const char *element, void *userdata)
{
    struct fixture *f = userdata;
    struct answer a = {
        .owner = owner, .entry = entry, .rc = rc, .element = g_strdup(element)};

    /* Entries answered 0/1 must already be where the answer says. */
    a.consistent = rc == FLOM_RC_OK              ? entry->state == ENTRY_HOLDING
                   : rc == FLOM_RC_LOCK_ENQUEUED ? entry->state == ENTRY_WAITING
                                                 : true;
    g_array_append_val(f->answers, a);
}

static void on_empty(void *userdata)
{
    struct fixture *f = userdata;

    f->empties++;
}

static void answer_clear(gpointer p)
{
    struct answer *a = p;

    g_free(a->element);
}

static void setup(struct fixture *f, gconstpointer data)
{
    memset(f, 0, sizeof(*f));
    g_assert_cmpint(sd_event_new(&f->ev), >=, 0);
    f->reg = registry_new(f->ev, on_answer, on_empty, f);
    f->answers = g_array_new(FALSE, FALSE, sizeof(struct answer));
    g_array_set_clear_func(f->answers, answer_clear);
}

static void teardown(struct fixture *f, gconstpointer data)
{
    registry_free(f->reg);
    g_array_unref(f->answers);
    g_free(f->element);
    sd_event_unref(f->ev);
    timestamp_test_set_clock(NULL);
}

static int lock_full(struct fixture *f, const char *name, int mode, int qty,
                     bool wait, bool create, int lifespan, int owner,
                     struct lock_entry **e)
{
    struct lock_request req = {.name = name,
                               .mode = mode,
                               .quantity = qty,
                               .wait = wait,
                               .create = create,
                               .lifespan = lifespan};
    struct lock_entry *dummy = NULL;
    const char *element = NULL;
    int rc;

    rc = registry_lock(f->reg, &req, OWNER(owner), e ? e : &dummy, &element);
    g_free(f->element);
    f->element = g_strdup(element);
    if (rc == FLOM_RC_OK || rc == FLOM_RC_LOCK_ENQUEUED ||
        rc == FLOM_RC_LOCK_WAIT_RESOURCE)
        g_assert_nonnull(e ? *e : dummy);
    else
        g_assert_null(e ? *e : dummy);
    return rc;
}

/* Mode lock, waiting, creating, no lifespan. */
static int lockm(struct fixture *f, const char *name, int mode, int owner,
                 struct lock_entry **e)
{
    return lock_full(f, name, mode, 1, true, true, 0, owner, e);
}

/* Same, without waiting. */
static int trylockm(struct fixture *f, const char *name, int mode, int owner,
                    struct lock_entry **e)
{
    return lock_full(f, name, mode, 1, false, true, 0, owner, e);
}

static int lockq(struct fixture *f, const char *name, int qty, bool wait,
                 int owner, struct lock_entry **e)
{
    return lock_full(f, name, EX, qty, wait, true, 0, owner, e);
}

static void unlock(struct fixture *f, struct lock_entry *e, bool rollback)
{
    g_assert_cmpint(registry_unlock(f->reg, e, e->name, rollback), ==, 0);
}

/* The oldest deferred answer must be (owner, rc, element); it is consumed. */
static void expect_answer(struct fixture *f, int owner, int rc,
                          const char *element)
{
    struct answer *a;

    g_assert_cmpuint(f->answers->len, >, 0);
    a = &g_array_index(f->answers, struct answer, 0);
    g_assert_true(a->owner == OWNER(owner));
    g_assert_cmpint(a->rc, ==, rc);
    g_assert_cmpstr(a->element, ==, element);
    g_assert_true(a->consistent);
    g_array_remove_index(f->answers, 0);
}

static void expect_no_answer(struct fixture *f)
{
    g_assert_cmpuint(f->answers->len, ==, 0);
}

/* Runs the loop until n answers are recorded (or timeout_ms passes). */
static void run_until_answers(struct fixture *f, guint n, int timeout_ms)
{
    gint64 end = g_get_monotonic_time() + timeout_ms * 1000;

    while (f->answers->len < n && g_get_monotonic_time() < end)
        sd_event_run(f->ev, 5000);
}

static void run_until_empty(struct fixture *f, int timeout_ms)
{
    gint64 end = g_get_monotonic_time() + timeout_ms * 1000;

    while (registry_size(f->reg) > 0 && g_get_monotonic_time() < end)
        sd_event_run(f->ev, 5000);
}

#define TEST(path, fn)                                                         \
    g_test_add("/resource/" path, struct fixture, NULL, setup, fn, teardown)

/* ------------------------------------------------------------ generic */

static void test_invalid_name(struct fixture *f, gconstpointer data)
{
    g_assert_cmpint(lockm(f, "123RA", EX, 1, NULL), ==,
                    FLOM_RC_INVALID_RESOURCE_NAME);
    g_assert_cmpint(lockm(f, "a-b", EX, 1, NULL), ==,
                    FLOM_RC_INVALID_RESOURCE_NAME);
    g_assert_cmpint(lockm(f, "", EX, 1, NULL), ==,
                    FLOM_RC_INVALID_RESOURCE_NAME);
    g_assert_cmpint(registry_size(f->reg), ==, 0);
    /* The default name is valid on the wire. */
    g_assert_cmpint(lockm(f, "_RESOURCE", EX, 1, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(registry_size(f->reg), ==, 1);
}

/* "a" and the tree "/a" are different resources. */
static void test_keys(struct fixture *f, gconstpointer data)
{
    g_assert_cmpint(lockm(f, "a", EX, 1, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "/a", EX, 2, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "/a/b", EX, 3, NULL), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(registry_size(f->reg), ==, 2);
    g_assert_true(registry_find(f->reg, "/a/zz") ==
                  registry_find(f->reg, "/a"));
    g_assert_true(registry_find(f->reg, "a") != registry_find(f->reg, "/a"));
}

static void test_unlock_mismatch(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b;

    g_assert_cmpint(lockm(f, "res", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "res", EX, 2, &b), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(registry_unlock(f->reg, a, "other", false), ==,
                    FLOM_RC_PROTOCOL_ERROR);
    g_assert_cmpint(registry_unlock(f->reg, a, "res[1]", false), ==,
                    FLOM_RC_PROTOCOL_ERROR);
    g_assert_cmpint(registry_unlock(f->reg, a, "/res", false), ==,
                    FLOM_RC_PROTOCOL_ERROR);
    g_assert_cmpint(registry_unlock(f->reg, a, "bad name!", false), ==,
                    FLOM_RC_PROTOCOL_ERROR);
    expect_no_answer(f);
    /* The caller then closes the connection: drop releases. */
    registry_drop(f->reg, a);
    expect_answer(f, 2, FLOM_RC_OK, NULL);
    g_assert_cmpint(registry_unlock(f->reg, b, "res", false), ==, 0);
    registry_drop(f->reg, NULL);
}

static void test_empty_callback(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b;

    registry_test_set_linger(f->reg, 20000);
    g_assert_cmpint(lockm(f, "one", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "two", EX, 2, &b), ==, FLOM_RC_OK);
    unlock(f, a, false);
    run_until_empty(f, 100);
    /* "two" is held: it does not linger, "one" is gone. */
    g_assert_cmpint(registry_size(f->reg), ==, 1);
    g_assert_null(registry_find(f->reg, "one"));
    g_assert_cmpint(f->empties, ==, 0);
    unlock(f, b, false);
    g_assert_cmpint(registry_size(f->reg), ==, 1); /* lingering */
    run_until_empty(f, 500);
    g_assert_cmpint(registry_size(f->reg), ==, 0);
    g_assert_cmpint(f->empties, ==, 1);
}

/* ------------------------------------------------------------- simple */

static void test_simple_basic(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b;

    g_assert_cmpint(lockm(f, "R", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_null(f->element);
    g_assert_cmpint(trylockm(f, "R", PR, 2, NULL), ==, FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(trylockm(f, "R", NL, 3, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "R", PR, 2, &b), ==, FLOM_RC_LOCK_ENQUEUED);
    expect_no_answer(f);
    unlock(f, a, false);
    expect_answer(f, 2, FLOM_RC_OK, NULL);
    g_assert_true(b->state == ENTRY_HOLDING);
    unlock(f, b, true);
    expect_no_answer(f);
}

static void test_simple_shared(struct fixture *f, gconstpointer data)
{
    g_assert_cmpint(lockm(f, "R", PR, 1, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "R", PR, 2, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "R", CR, 3, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(trylockm(f, "R", CW, 4, NULL), ==, FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(trylockm(f, "R", PW, 4, NULL), ==, FLOM_RC_LOCK_BUSY);
}

/* An EX waiter is not overtaken by later PR requests. */
static void test_simple_fifo(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c, *d;

    g_assert_cmpint(lockm(f, "R", PR, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "R", EX, 2, &b), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockm(f, "R", PR, 3, &c), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(trylockm(f, "R", PR, 4, NULL), ==, FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(lockm(f, "R", PR, 4, &d), ==, FLOM_RC_LOCK_ENQUEUED);
    unlock(f, a, false);
    expect_answer(f, 2, FLOM_RC_OK, NULL);
    expect_no_answer(f);
    unlock(f, b, false);
    /* Both readers, in arrival order. */
    expect_answer(f, 3, FLOM_RC_OK, NULL);
    expect_answer(f, 4, FLOM_RC_OK, NULL);
    unlock(f, c, false);
    unlock(f, d, false);
    expect_no_answer(f);
}

/* Granting stops at the first waiter that cannot go. */
static void test_simple_scan_stops(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c, *d;

    g_assert_cmpint(lockm(f, "R", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "R", PR, 2, &b), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockm(f, "R", EX, 3, &c), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockm(f, "R", PR, 4, &d), ==, FLOM_RC_LOCK_ENQUEUED);
    unlock(f, a, false);
    expect_answer(f, 2, FLOM_RC_OK, NULL);
    expect_no_answer(f); /* 4 waits behind 3 although compatible with 2 */
    unlock(f, b, false);
    expect_answer(f, 3, FLOM_RC_OK, NULL);
    expect_no_answer(f);
    registry_drop(f->reg, c);
    expect_answer(f, 4, FLOM_RC_OK, NULL);
    registry_drop(f->reg, d);
}

static void test_simple_drop(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c, *d;

    g_assert_cmpint(lockm(f, "R", PR, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "R", EX, 2, &b), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockm(f, "R", PR, 3, &c), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockm(f, "R", EX, 4, &d), ==, FLOM_RC_LOCK_ENQUEUED);
    /* The blocking waiter vanishes: the reader behind it joins the holder. */
    registry_drop(f->reg, b);
    expect_answer(f, 3, FLOM_RC_OK, NULL);
    expect_no_answer(f);
    registry_drop(f->reg, a);
    expect_no_answer(f);
    registry_drop(f->reg, c);
    expect_answer(f, 4, FLOM_RC_OK, NULL);
    registry_drop(f->reg, d);
    g_assert_cmpint(registry_size(f->reg), ==, 1);
}

static void test_simple_bad_mode(struct fixture *f, gconstpointer data)
{
    g_assert_cmpint(lockm(f, "R", 9, 1, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(trylockm(f, "R", CR, 2, NULL), ==, FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(trylockm(f, "R", NL, 2, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(trylockm(f, "R", -3, 3, NULL), ==, FLOM_RC_LOCK_BUSY);
}

/* ------------------------------------------------------------ numeric */

/* Spec §3.4's example, with fair FIFO: E no longer overtakes D. */
static void test_numeric_example(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *d, *e;

    g_assert_cmpint(lockq(f, "foo[3]", 2, true, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockq(f, "foo[3]", 2, false, 2, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(lockq(f, "foo[3]", 4, true, 3, NULL), ==,
                    FLOM_RC_LOCK_IMPOSSIBLE);
    g_assert_cmpint(lockq(f, "foo[3]", 4, false, 3, NULL), ==,
                    FLOM_RC_LOCK_IMPOSSIBLE);
    g_assert_cmpint(lockq(f, "foo[3]", 2, true, 4, &d), ==,
                    FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockq(f, "foo[3]", 1, true, 5, &e), ==,
                    FLOM_RC_LOCK_ENQUEUED);
    registry_drop(f->reg, a);
    expect_answer(f, 4, FLOM_RC_OK, NULL);
    expect_answer(f, 5, FLOM_RC_OK, NULL);
    g_assert_cmpint(lockq(f, "foo[3]", 1, false, 6, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    unlock(f, d, false);
    unlock(f, e, false);
}

/* A q=3 waiter is not starved by a stream of q=1 requests. */
static void test_numeric_no_starvation(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c, *d;

    g_assert_cmpint(lockq(f, "bar[3]", 1, true, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockq(f, "bar[3]", 1, true, 2, &b), ==, FLOM_RC_OK);
    g_assert_cmpint(lockq(f, "bar[3]", 3, true, 3, &c), ==,
                    FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockq(f, "bar[3]", 1, false, 4, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(lockq(f, "bar[3]", 1, true, 4, &d), ==,
                    FLOM_RC_LOCK_ENQUEUED);
    unlock(f, a, false);
    expect_no_answer(f);
    unlock(f, b, false);
    expect_answer(f, 3, FLOM_RC_OK, NULL);
    expect_no_answer(f);
    registry_drop(f->reg, c);
    expect_answer(f, 4, FLOM_RC_OK, NULL);
    registry_drop(f->reg, d);
}

static void test_numeric_edges(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b;

    g_assert_cmpint(lockq(f, "zero[0]", 1, true, 1, NULL), ==,
                    FLOM_RC_LOCK_IMPOSSIBLE);
    g_assert_cmpint(lockq(f, "zero[0]", 0, true, 1, NULL), ==,
                    FLOM_RC_LOCK_IMPOSSIBLE);
    /* quantity <= 0 counts as 1 */
    g_assert_cmpint(lockq(f, "n[1]", 0, true, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockq(f, "n[1]", -5, false, 2, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(lockq(f, "n[1]", -5, true, 2, &b), ==,
                    FLOM_RC_LOCK_ENQUEUED);
    /* a waiter leaving changes nothing for the holder */
    registry_drop(f->reg, b);
    expect_no_answer(f);
    unlock(f, a, false);
    g_assert_cmpint(lockq(f, "n[1]", 1, false, 3, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(lockq(f, "big[2147483647]", 2147483647, false, 1, NULL), ==,
                    FLOM_RC_OK);
}

/* ---------------------------------------------------------------- set */

static void test_set_example(struct fixture *f, gconstpointer data)
{
    const char *rgb = "red.green.blue";
    struct lock_entry *a, *b, *e;

    g_assert_cmpint(lockm(f, rgb, EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "red");
    g_assert_cmpint(lockm(f, rgb, EX, 2, &b), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "green");
    unlock(f, a, false);
    g_assert_cmpint(lockm(f, rgb, EX, 3, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "blue");
    g_assert_cmpint(lockm(f, rgb, EX, 4, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "red");
    g_assert_cmpint(trylockm(f, rgb, EX, 5, NULL), ==, FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(lockm(f, rgb, EX, 5, &e), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_null(f->element);
    registry_drop(f->reg, b);
    expect_answer(f, 5, FLOM_RC_OK, "green");
    g_assert_cmpstr(e->element, ==, "green");
}

/* The index survives between consecutive users (the resource lingers). */
static void test_set_rotation_persists(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a;

    g_assert_cmpint(lockm(f, "red.green.blue", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "red");
    unlock(f, a, false);
    g_assert_cmpint(lockm(f, "red.green.blue", EX, 2, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "green");
    unlock(f, a, false);
}

static void test_set_duplicates(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *w1, *w2;

    g_assert_cmpint(lockm(f, "a.b.a", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "a");
    g_assert_cmpint(lockm(f, "a.b.a", EX, 2, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "b");
    g_assert_cmpint(lockm(f, "a.b.a", EX, 3, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "a");
    g_assert_cmpint(trylockm(f, "a.b.a", EX, 4, NULL), ==, FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(lockm(f, "a.b.a", EX, 4, &w1), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockm(f, "a.b.a", EX, 5, &w2), ==, FLOM_RC_LOCK_ENQUEUED);
    registry_drop(f->reg, w1); /* a waiter leaves: the next keeps its turn */
    expect_no_answer(f);
    registry_drop(f->reg, a);
    expect_answer(f, 5, FLOM_RC_OK, "a");
}

/* ------------------------------------------------------- hierarchical */

static void test_hier_conflicts(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b;

    g_assert_cmpint(lockm(f, "/apple", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(trylockm(f, "/apple/pear", EX, 2, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(trylockm(f, "/apple/pear/banana", EX, 2, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    unlock(f, a, false);
    g_assert_cmpint(lockm(f, "/apple/pear/banana", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(trylockm(f, "/apple/pear", EX, 2, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(trylockm(f, "/apple", EX, 2, NULL), ==, FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(trylockm(f, "/apple/pear/banana", NL, 2, NULL), ==,
                    FLOM_RC_OK);
    g_assert_cmpint(trylockm(f, "/apple/plum", EX, 3, &b), ==, FLOM_RC_OK);
    unlock(f, b, false);
    unlock(f, a, false);
}

static void test_hier_branches(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a;

    g_assert_cmpint(lockm(f, "/foo/bar", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(trylockm(f, "/foo/blue/apple", EX, 2, NULL), ==,
                    FLOM_RC_OK);
    unlock(f, a, false);
    g_assert_cmpint(lockm(f, "/foo/bar", PR, 3, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(trylockm(f, "/foo/bar/apple", EX, 4, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(trylockm(f, "/foo/bar/apple", PR, 4, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "/apple", CR, 5, NULL), ==, FLOM_RC_OK);
    g_assert_cmpint(trylockm(f, "/apple/pear/banana", PW, 6, NULL), ==,
                    FLOM_RC_OK);
    g_assert_cmpint(trylockm(f, "/apple/pear", EX, 6, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
}

/* Waiters block only requests whose path overlaps theirs. */
static void test_hier_disjoint_pass(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c, *d, *e;

    g_assert_cmpint(lockm(f, "/data/projA", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "/data/projA", EX, 2, &b), ==,
                    FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockm(f, "/data/projB", EX, 3, &c), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "/data", PR, 4, &d), ==, FLOM_RC_LOCK_ENQUEUED);
    /* compatible with every holder, disjoint from b, but under d */
    g_assert_cmpint(trylockm(f, "/data/projC", EX, 5, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(lockm(f, "/data/projC", EX, 5, &e), ==,
                    FLOM_RC_LOCK_ENQUEUED);
    unlock(f, a, false);
    expect_answer(f, 2, FLOM_RC_OK, NULL);
    expect_no_answer(f);
    unlock(f, b, false);
    expect_no_answer(f); /* d still conflicts with c; e waits behind d */
    unlock(f, c, false);
    expect_answer(f, 4, FLOM_RC_OK, NULL);
    expect_no_answer(f);
    unlock(f, d, false);
    expect_answer(f, 5, FLOM_RC_OK, NULL);
    unlock(f, e, false);
}

/* Overlapping requests keep arrival order whatever their modes. */
static void test_hier_fifo_overlap(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c, *d;

    g_assert_cmpint(lockm(f, "/x/a", PR, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "/x/a/b", EX, 2, &b), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockm(f, "/x", PR, 3, &c), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_cmpint(lockm(f, "/x/z", EX, 4, &d), ==, FLOM_RC_LOCK_ENQUEUED);
    /* a waiter leaving lets a later one (disjoint from the rest) through */
    registry_drop(f->reg, c);
    expect_answer(f, 4, FLOM_RC_OK, NULL);
    unlock(f, a, false);
    expect_answer(f, 2, FLOM_RC_OK, NULL);
    unlock(f, b, false);
    unlock(f, d, false);
}

/* A holder that vanishes frees its own node (FLoM leaked it); unlock
 * releases the entry's node whatever path shares the first level. */
static void test_hier_drop_no_leak(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c;
    struct resource *res;

    g_assert_cmpint(lockm(f, "/h", NL, 9, &c), ==, FLOM_RC_OK);
    unlock(f, c, false);
    g_assert_cmpint(lockm(f, "/h/c", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "/h", EX, 2, &b), ==, FLOM_RC_LOCK_ENQUEUED);
    res = registry_find(f->reg, "/h");
    g_assert_cmpuint(hier_test_count_nodes(res), ==, 2);
    registry_drop(f->reg, a);
    expect_answer(f, 2, FLOM_RC_OK, NULL);
    g_assert_cmpuint(hier_test_count_nodes(res), ==, 1);
    unlock(f, b, false);
    g_assert_cmpint(lockm(f, "/h/c/d/e", EX, 3, &c), ==, FLOM_RC_OK);
    g_assert_cmpuint(hier_test_count_nodes(res), ==, 4);
    g_assert_cmpint(registry_unlock(f->reg, c, "/g/c/d/e", false), ==,
                    FLOM_RC_PROTOCOL_ERROR);
    g_assert_cmpint(registry_unlock(f->reg, c, "h", false), ==,
                    FLOM_RC_PROTOCOL_ERROR);
    g_assert_cmpint(registry_unlock(f->reg, c, "/h/zzz", false), ==, 0);
    g_assert_cmpuint(hier_test_count_nodes(res), ==, 1);
    g_assert_cmpint(trylockm(f, "/h", EX, 4, NULL), ==, FLOM_RC_OK);
}

static void test_hier_gc_shared(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c;
    struct resource *res;

    g_assert_cmpint(lockm(f, "/t/a/b", PR, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "/t/a/b", PR, 2, &b), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "/t/a", PR, 3, &c), ==, FLOM_RC_OK);
    res = registry_find(f->reg, "/t");
    g_assert_cmpuint(hier_test_count_nodes(res), ==, 3);
    unlock(f, a, false);
    g_assert_cmpuint(hier_test_count_nodes(res), ==, 3);
    unlock(f, c, false);
    g_assert_cmpuint(hier_test_count_nodes(res), ==, 3);
    unlock(f, b, false);
    g_assert_cmpuint(hier_test_count_nodes(res), ==, 1);
}

/* ----------------------------------------------------------- sequence */

static void test_sequence_values(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c, *d;

    g_assert_cmpint(lockm(f, "_s_seq[3]", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "1");
    g_assert_cmpint(lockm(f, "_s_seq[3]", EX, 2, &b), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "2");
    g_assert_cmpint(lockm(f, "_s_seq[3]", EX, 3, &c), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "3");
    g_assert_cmpint(trylockm(f, "_s_seq[3]", EX, 4, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(lockm(f, "_s_seq[3]", EX, 4, &d), ==,
                    FLOM_RC_LOCK_ENQUEUED);
    /* non-transactional: a rollback does not give the value back */
    unlock(f, b, true);
    expect_answer(f, 4, FLOM_RC_OK, "4");
    registry_drop(f->reg, a);
    g_assert_cmpint(lockm(f, "_s_seq[3]", EX, 5, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "5");
    unlock(f, c, false);
    unlock(f, d, false);
}

static void test_sequence_rollback(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c, *w;

    g_assert_cmpint(lockm(f, "_S_tx[3]", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "_S_tx[3]", EX, 2, &b), ==, FLOM_RC_OK);
    g_assert_cmpint(lockm(f, "_S_tx[3]", EX, 3, &c), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "3");
    g_assert_cmpint(lockm(f, "_S_tx[3]", EX, 4, &w), ==, FLOM_RC_LOCK_ENQUEUED);
    unlock(f, b, true); /* 2 returns; the waiter gets it */
    expect_answer(f, 4, FLOM_RC_OK, "2");
    registry_drop(f->reg, c); /* disconnect = rollback: 3 returns */
    unlock(f, a, true);       /* then 1 */
    g_assert_cmpint(lockm(f, "_S_tx[3]", EX, 5, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "3");
    unlock(f, a, false); /* consumed */
    g_assert_cmpint(lockm(f, "_S_tx[3]", EX, 6, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "1");
    unlock(f, a, false);
    g_assert_cmpint(lockm(f, "_S_tx[3]", EX, 7, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "4");
    registry_drop(f->reg, w);
}

/* Spec §3.7: thirteen runs; rollback iff the command failed. */
static void run_thirteen(struct fixture *f, const char *name, const char *want)
{
    static const char *const cmds[] = {"true", "true", "true",  "echo", "true",
                                       "true", "echo", "false", "echo", "false",
                                       "echo", "true", "echo"};
    g_autoptr(GString) printed = g_string_new(NULL);

    for (int i = 0; i < 13; i++) {
        struct lock_entry *e;

        g_assert_cmpint(lockm(f, name, EX, 100 + i, &e), ==, FLOM_RC_OK);
        if (strcmp(cmds[i], "echo") == 0)
            g_string_append_printf(printed, "%s%s", printed->len ? " " : "",
                                   f->element);
        unlock(f, e, strcmp(cmds[i], "false") == 0);
    }
    g_assert_cmpstr(printed->str, ==, want);
}

static void test_sequence_thirteen(struct fixture *f, gconstpointer data)
{
    run_thirteen(f, "_S_a[1]", "4 7 8 9 11");
    run_thirteen(f, "_s_a[1]", "4 7 9 11 13");
}

static void test_sequence_wrap(struct fixture *f, gconstpointer data)
{
    struct lock_entry *e;

    g_assert_cmpint(lockm(f, "_s_w[5]", EX, 1, &e), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "1");
    sequence_test_set_next(registry_find(f->reg, "_s_w[5]"), UINT32_MAX - 1);
    g_assert_cmpint(lockm(f, "_s_w[5]", EX, 2, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "4294967294");
    g_assert_cmpint(lockm(f, "_s_w[5]", EX, 3, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "4294967295");
    g_assert_cmpint(lockm(f, "_s_w[5]", EX, 4, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "1");
    g_assert_cmpint(lockm(f, "_s_w[5]", EX, 5, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "2");
}

static void test_sequence_zero(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a;

    g_assert_cmpint(trylockm(f, "_S_z[0]", EX, 1, NULL), ==, FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(lockm(f, "_S_z[0]", EX, 1, &a), ==, FLOM_RC_LOCK_ENQUEUED);
    registry_drop(f->reg, a);
    expect_no_answer(f);
}

/* ---------------------------------------------------------- timestamp */

static struct timespec fake_now;

static void fake_clock(struct timespec *ts)
{
    *ts = fake_now;
}

static void set_fake(time_t sec, long usec)
{
    fake_now.tv_sec = sec;
    fake_now.tv_nsec = usec * 1000;
    timestamp_test_set_clock(fake_clock);
}

#define T0 ((time_t)1795556649)    /* 2026-11-24 21:44:09 UTC */
#define TPAST ((time_t)1000000009) /* 2001-09-09 01:46:49 UTC */

static void expect_stamp(struct fixture *f, const char *name, const char *want)
{
    g_assert_cmpint(lockm(f, name, EX, 1, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, want);
}

static void test_timestamp_formats(struct fixture *f, gconstpointer data)
{
    set_fake(T0, 150831);
    expect_stamp(f, "_t_%s#fffffff[9]", "1795556649.150831f");
    expect_stamp(f, "_t_%S#ffffff[9]", "09.150831");
    expect_stamp(f, "_t_%S#fffff[9]", "09.15083");
    expect_stamp(f, "_t_%S#ffff[9]", "09.1508");
    set_fake(T0, 151000);
    expect_stamp(f, "_t_%S#f#ff#fff[9]", "09.1.15.151");
    expect_stamp(f, "_t_ab%S#ff[2]", "ab09.15");
    expect_stamp(f, "_t_%H:%M[9]", "21:44");
    expect_stamp(f, "_t_%H[9]", "21");
    expect_stamp(f, "_t_%Y%m%d#f[9]", "20261124.1");
    expect_stamp(f, "_t_%T[9]", "21:44:09");
    expect_stamp(f, "_t_%c[9]", "Tue Nov 24 21:44:09 2026");
    expect_stamp(f, "_t_%Y%m%d%I[9]", "2026112409");
}

static void test_timestamp_invalid(struct fixture *f, gconstpointer data)
{
    g_autoptr(GString) huge = g_string_new("_t_");

    set_fake(T0, 0);
    g_assert_cmpint(lockm(f, "_t_%Y%m%d[1]", EX, 1, NULL), ==,
                    FLOM_RC_RESOURCE_INIT_ERROR);
    g_assert_cmpint(lockm(f, "_t_abc[1]", EX, 1, NULL), ==,
                    FLOM_RC_RESOURCE_INIT_ERROR);
    for (int i = 0; i < 15; i++)
        g_string_append(huge, "%c");
    g_string_append(huge, "[1]");
    g_assert_cmpint(lockm(f, huge->str, EX, 1, NULL), ==,
                    FLOM_RC_RESOURCE_INIT_ERROR);
    g_assert_cmpint(registry_size(f->reg), ==, 0);
    g_assert_cmpint(lockm(f, "_t_%Y%m%d%S[1]", EX, 1, NULL), ==, FLOM_RC_OK);
}

/* One value per slot: the second request of a slot waits for the next.
 * The fake time is in the past, so the realtime retry timer fires at once
 * and the fake clock alone decides. */
static void test_timestamp_slot(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b;

    set_fake(TPAST, 100000);
    g_assert_cmpint(lockm(f, "_t_%S#f[3]", EX, 1, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "49.1");
    g_assert_cmpint(trylockm(f, "_t_%S#f[3]", EX, 2, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    g_assert_cmpint(lockm(f, "_t_%S#f[3]", EX, 2, &b), ==,
                    FLOM_RC_LOCK_ENQUEUED);
    g_assert_nonnull(registry_find(f->reg, "_t_%S#f[3]")->retry_timer);
    /* The timer (in the fake past) fires, but the slot is the same. */
    set_fake(TPAST, 199999);
    sd_event_run(f->ev, 0);
    expect_no_answer(f);
    set_fake(TPAST, 200000);
    run_until_answers(f, 1, 1000);
    expect_answer(f, 2, FLOM_RC_OK, "49.2");
    g_assert_null(registry_find(f->reg, "_t_%S#f[3]")->retry_timer);
    /* A later second is a later slot whatever the fraction. */
    set_fake(TPAST + 1, 0);
    g_assert_cmpint(lockm(f, "_t_%S#f[3]", EX, 3, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "50.0");
}

/* Minute resolution: epoch seconds / 60. */
static void test_timestamp_minutes(struct fixture *f, gconstpointer data)
{
    set_fake(T0, 0);
    g_assert_cmpint(trylockm(f, "_t_%M[5]", EX, 1, NULL), ==, FLOM_RC_OK);
    set_fake(T0 + 50, 0);
    g_assert_cmpint(trylockm(f, "_t_%M[5]", EX, 2, NULL), ==,
                    FLOM_RC_LOCK_BUSY);
    set_fake(T0 + 51, 0); /* 21:45:00 */
    g_assert_cmpint(trylockm(f, "_t_%M[5]", EX, 3, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "45");
}

/* With N holders, waiters need a release, not a timer. */
static void test_timestamp_holders(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b;

    set_fake(T0, 0);
    g_assert_cmpint(lockm(f, "_t_%S[1]", EX, 1, &a), ==, FLOM_RC_OK);
    set_fake(T0 + 5, 0);
    g_assert_cmpint(lockm(f, "_t_%S[1]", EX, 2, &b), ==, FLOM_RC_LOCK_ENQUEUED);
    g_assert_null(registry_find(f->reg, "_t_%S[1]")->retry_timer);
    unlock(f, a, false);
    expect_answer(f, 2, FLOM_RC_OK, "14");
    unlock(f, b, false);
}

/* Real clock: five concurrent requests get five distinct values. */
static void test_timestamp_real(struct fixture *f, gconstpointer data)
{
    g_autoptr(GHashTable) seen =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int queued = 0;

    for (int i = 0; i < 5; i++) {
        int rc = lockm(f, "_t_%S#ff[5]", EX, i + 1, NULL);

        if (rc == FLOM_RC_OK)
            g_hash_table_add(seen, g_strdup(f->element));
        else
            queued++;
    }
    g_assert_cmpint(queued, >=, 1);
    run_until_answers(f, queued, 2000);
    g_assert_cmpuint(f->answers->len, ==, queued);
    for (guint i = 0; i < f->answers->len; i++) {
        struct answer *a = &g_array_index(f->answers, struct answer, i);

        g_assert_cmpint(a->rc, ==, FLOM_RC_OK);
        g_hash_table_add(seen, g_strdup(a->element));
    }
    g_assert_cmpuint(g_hash_table_size(seen), ==, 5);
}

/* ------------------------------------------------------------- linger */

static void test_linger_times(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a;
    struct resource *res;
    uint64_t now, when;

    g_assert_cmpint(lock_full(f, "L", EX, 1, true, true, 5000, 1, &a), ==,
                    FLOM_RC_OK);
    res = registry_find(f->reg, "L");
    g_assert_null(res->linger_timer);
    unlock(f, a, false);
    g_assert_nonnull(res->linger_timer);
    sd_event_now(f->ev, CLOCK_MONOTONIC, &now);
    g_assert_cmpint(sd_event_source_get_time(res->linger_timer, &when), ==, 0);
    g_assert_cmpuint(when - now, <=, 6000000);
    g_assert_cmpuint(when - now, >, 5900000);
    /* A later request's lifespan is ignored. */
    g_assert_cmpint(lock_full(f, "L", EX, 1, true, true, 100, 2, &a), ==,
                    FLOM_RC_OK);
    g_assert_null(res->linger_timer);
    unlock(f, a, false);
    sd_event_now(f->ev, CLOCK_MONOTONIC, &now);
    sd_event_source_get_time(res->linger_timer, &when);
    g_assert_cmpuint(when - now, <=, 6000000);
    g_assert_cmpuint(when - now, >, 5900000);
}

static void test_linger_default(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a;
    struct resource *res;
    uint64_t now, when;

    g_assert_cmpint(lock_full(f, "M", EX, 1, true, true, 300, 1, &a), ==,
                    FLOM_RC_OK);
    res = registry_find(f->reg, "M");
    registry_drop(f->reg, a);
    sd_event_now(f->ev, CLOCK_MONOTONIC, &now);
    sd_event_source_get_time(res->linger_timer, &when);
    /* 300 ms is below the 1000 ms floor: 1000 + 1000 ms */
    g_assert_cmpuint(when - now, <=, 2000000);
    g_assert_cmpuint(when - now, >, 1900000);
    /* A refused request also leaves the resource lingering. */
    g_assert_cmpint(lock_full(f, "N[0]", EX, 1, true, true, 0, 2, NULL), ==,
                    FLOM_RC_LOCK_IMPOSSIBLE);
    g_assert_nonnull(registry_find(f->reg, "N[0]")->linger_timer);
}

/* State survives the linger; after expiry a fresh resource starts over. */
static void test_linger_reuse_expire(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a;

    registry_test_set_linger(f->reg, 60000);
    g_assert_cmpint(lockm(f, "_s_q[1]", EX, 1, &a), ==, FLOM_RC_OK);
    unlock(f, a, false);
    sd_event_run(f->ev, 5000);
    g_assert_cmpint(registry_size(f->reg), ==, 1);
    g_assert_cmpint(lockm(f, "_s_q[1]", EX, 2, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "2");
    unlock(f, a, false);
    run_until_empty(f, 1000);
    g_assert_cmpint(registry_size(f->reg), ==, 0);
    g_assert_cmpint(f->empties, ==, 1);
    g_assert_cmpint(lockm(f, "_s_q[1]", EX, 3, &a), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "1");
}

/* ---------------------------------------------------------- incubator */

static int lock_nocreate(struct fixture *f, const char *name, int qty,
                         bool wait, int owner, struct lock_entry **e)
{
    return lock_full(f, name, EX, qty, wait, false, 0, owner, e);
}

static void test_incubator_cant_wait(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a;

    g_assert_cmpint(lock_nocreate(f, "R", 1, false, 1, NULL), ==,
                    FLOM_RC_LOCK_CANT_WAIT);
    g_assert_cmpint(registry_size(f->reg), ==, 0);
    /* A lingering resource exists. */
    g_assert_cmpint(lockm(f, "R", EX, 2, &a), ==, FLOM_RC_OK);
    unlock(f, a, false);
    g_assert_cmpint(lock_nocreate(f, "R", 1, false, 3, NULL), ==, FLOM_RC_OK);
}

static void test_incubator_simple(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c;

    g_assert_cmpint(lock_nocreate(f, "R", 1, true, 1, &a), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(lock_full(f, "R", PR, 1, true, false, 0, 2, &b), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(registry_size(f->reg), ==, 0);
    expect_no_answer(f);
    /* The creator is served first; its answer is the return value. */
    g_assert_cmpint(lock_full(f, "R", PR, 1, true, true, 0, 3, &c), ==,
                    FLOM_RC_OK);
    expect_answer(f, 1, FLOM_RC_LOCK_ENQUEUED, NULL);
    expect_answer(f, 2, FLOM_RC_LOCK_ENQUEUED, NULL);
    unlock(f, c, false);
    expect_answer(f, 1, FLOM_RC_OK, NULL);
    unlock(f, a, false);
    expect_answer(f, 2, FLOM_RC_OK, NULL);
    unlock(f, b, false);
}

static void test_incubator_numeric(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c, *d;

    g_assert_cmpint(lock_nocreate(f, "n[3]", 5, true, 1, &a), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(lock_nocreate(f, "n[3]", 1, true, 2, &b), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(lock_nocreate(f, "n[3]", 2, true, 3, &c), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(lock_nocreate(f, "n[4]", 1, true, 4, &d), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(lockq(f, "n[3]", 1, true, 5, NULL), ==, FLOM_RC_OK);
    expect_answer(f, 1, FLOM_RC_LOCK_IMPOSSIBLE, NULL); /* a is freed */
    expect_answer(f, 2, FLOM_RC_OK, NULL);
    expect_answer(f, 3, FLOM_RC_LOCK_ENQUEUED, NULL);
    expect_no_answer(f); /* n[4] is another resource */
    registry_drop(f->reg, b);
    expect_answer(f, 3, FLOM_RC_OK, NULL);
    registry_drop(f->reg, c);
    registry_drop(f->reg, d);
}

static void test_incubator_kinds(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a, *b, *c, *d;

    g_assert_cmpint(lock_nocreate(f, "red.green", 1, true, 1, &a), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(lockm(f, "red.green", EX, 2, NULL), ==, FLOM_RC_OK);
    g_assert_cmpstr(f->element, ==, "red");
    expect_answer(f, 1, FLOM_RC_OK, "green");
    /* hierarchical: same first level, other paths */
    g_assert_cmpint(lock_nocreate(f, "/h/x", 1, true, 3, &b), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(lock_nocreate(f, "/h/y/z", 1, true, 4, &c), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(lock_nocreate(f, "/g", 1, true, 5, &d), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(lockm(f, "/h/x/w", EX, 6, NULL), ==, FLOM_RC_OK);
    expect_answer(f, 3, FLOM_RC_LOCK_ENQUEUED, NULL);
    expect_answer(f, 4, FLOM_RC_OK, NULL);
    expect_no_answer(f);
    /* dropping or unlocking an incubated request just forgets it */
    registry_drop(f->reg, d);
    g_assert_cmpint(lock_nocreate(f, "/g", 1, true, 7, &d), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(registry_unlock(f->reg, d, "/k", false), ==,
                    FLOM_RC_PROTOCOL_ERROR);
    g_assert_cmpint(registry_unlock(f->reg, d, "/g/zz", false), ==, 0);
    g_assert_cmpint(lockm(f, "/g", EX, 8, NULL), ==, FLOM_RC_OK);
    expect_no_answer(f);
}

/* A creator that fails leaves the incubated requests waiting. */
static void test_incubator_init_error(struct fixture *f, gconstpointer data)
{
    struct lock_entry *a;

    g_assert_cmpint(lock_nocreate(f, "_t_%Y[1]", 1, true, 1, &a), ==,
                    FLOM_RC_LOCK_WAIT_RESOURCE);
    g_assert_cmpint(lockm(f, "_t_%Y[1]", EX, 2, NULL), ==,
                    FLOM_RC_RESOURCE_INIT_ERROR);
    expect_no_answer(f);
    g_assert_cmpint(registry_size(f->reg), ==, 0);
    registry_drop(f->reg, a);
}

/* Freed with entries everywhere: no callback, no leak (valgrind). */
static void test_free_busy(struct fixture *f, gconstpointer data)
{
    lockm(f, "R", EX, 1, NULL);
    lockm(f, "R", EX, 2, NULL);
    lockm(f, "/h/a", EX, 3, NULL);
    lockm(f, "/h/a/b", EX, 4, NULL);
    lockm(f, "_S_s[1]", EX, 5, NULL);
    lockm(f, "_S_s[1]", EX, 6, NULL);
    lock_nocreate(f, "nothere", 1, true, 7, NULL);
    set_fake(T0, 0);
    lockm(f, "_t_%S[2]", EX, 8, NULL);
    lockm(f, "_t_%S[2]", EX, 9, NULL);
    registry_free(f->reg);
    f->reg = NULL;
    expect_no_answer(f);
}

int main(int argc, char **argv)
{
    /* Local-time expectations are written for UTC. */
    setenv("TZ", "UTC", 1);
    g_test_init(&argc, &argv, NULL);
    TEST("invalid-name", test_invalid_name);
    TEST("keys", test_keys);
    TEST("unlock-mismatch", test_unlock_mismatch);
    TEST("empty-callback", test_empty_callback);
    TEST("simple/basic", test_simple_basic);
    TEST("simple/shared", test_simple_shared);
    TEST("simple/fifo", test_simple_fifo);
    TEST("simple/scan-stops", test_simple_scan_stops);
    TEST("simple/drop", test_simple_drop);
    TEST("simple/bad-mode", test_simple_bad_mode);
    TEST("numeric/example", test_numeric_example);
    TEST("numeric/no-starvation", test_numeric_no_starvation);
    TEST("numeric/edges", test_numeric_edges);
    TEST("set/example", test_set_example);
    TEST("set/rotation-persists", test_set_rotation_persists);
    TEST("set/duplicates", test_set_duplicates);
    TEST("hier/conflicts", test_hier_conflicts);
    TEST("hier/branches", test_hier_branches);
    TEST("hier/disjoint-pass", test_hier_disjoint_pass);
    TEST("hier/fifo-overlap", test_hier_fifo_overlap);
    TEST("hier/drop-no-leak", test_hier_drop_no_leak);
    TEST("hier/gc-shared", test_hier_gc_shared);
    TEST("sequence/values", test_sequence_values);
    TEST("sequence/rollback", test_sequence_rollback);
    TEST("sequence/thirteen", test_sequence_thirteen);
    TEST("sequence/wrap", test_sequence_wrap);
    TEST("sequence/zero", test_sequence_zero);
    TEST("timestamp/formats", test_timestamp_formats);
    TEST("timestamp/invalid", test_timestamp_invalid);
    TEST("timestamp/slot", test_timestamp_slot);
    TEST("timestamp/minutes", test_timestamp_minutes);
    TEST("timestamp/holders", test_timestamp_holders);
    TEST("timestamp/real-clock", test_timestamp_real);
    TEST("linger/times", test_linger_times);
    TEST("linger/default", test_linger_default);
    TEST("linger/reuse-expire", test_linger_reuse_expire);
    TEST("incubator/cant-wait", test_incubator_cant_wait);
    TEST("incubator/simple", test_incubator_simple);
    TEST("incubator/numeric", test_incubator_numeric);
    TEST("incubator/kinds", test_incubator_kinds);
    TEST("incubator/init-error", test_incubator_init_error);
    TEST("free-busy", test_free_busy);
    return g_test_run();
}
