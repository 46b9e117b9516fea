/*
 * libFuzzer target: the daemon's connection input path (src/conn.c and,
 * behind it, the registry and the six resource kinds), bytes in.
 *
 * This file is the daemon as far as conn.c can tell: it implements the
 * functions of daemon.h that conn.c calls, around one sd_event loop and one
 * registry, so that the real conn.c is linked unchanged. Up to four client
 * connections are socketpairs; the input is a script of operations on them:
 *
 *   byte OP: connection = OP & 3, action = (OP >> 2) % 4
 *     action 0: write the next N bytes (N = the following byte) to it
 *     action 1: half-close it (the daemon reads EOF)
 *     action 2: close it altogether
 *     action 3: read what the daemon sent it so far
 *   after each operation the event loop runs until it has nothing to do.
 *
 * Properties checked besides "no crash, no leak, no undefined behaviour":
 *  - everything the daemon writes is a well-formed lock answer (verb 1,
 *    step 16 or 24) of at most PROTO_MAX_EMIT bytes;
 *  - at every step, the holders of every simple resource named in the
 *    input are pairwise compatible (spec §3.3, the matrix written out
 *    again here);
 *  - once every client has closed, the daemon has freed every connection,
 *    and no resource named in the input has a holder or a waiter; locking
 *    each of them once more hatches anything left in the incubator, which
 *    would answer a freed connection (ASan catches that).
 */
#include <errno.h>
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "conn.h"
#include "daemon.h"
#include "flom_errors.h"
#include "log.h"
#include "proto.h"
#include "resource-kind.h"
#include "resource.h"

#define NCONN 4
#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz-conn: %s:%d: %s\n", __FILE__, __LINE__,      \
                    #cond);                                                    \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* ------------------------------------------------ the daemon, as faked */

struct daemon {
    sd_event *event;
    struct registry *registry;
    GHashTable *conns;
    bool exiting;
};

sd_event *daemon_event(struct daemon *d)
{
    return d->event;
}

struct registry *daemon_registry(struct daemon *d)
{
    return d->registry;
}

const char *daemon_peerid(struct daemon *d)
{
    return "3d1219c7c4c5404aaa1f6d2a48adfda4";
}

void daemon_conn_attach(struct daemon *d, struct conn *c)
{
    g_hash_table_add(d->conns, c);
}

void daemon_conn_detach(struct daemon *d, struct conn *c)
{
    g_hash_table_remove(d->conns, c);
}

void daemon_shutdown(struct daemon *d, bool immediate)
{
    /* the real daemon leaves its loop; nothing here must depend on it */
}

bool daemon_is_exiting(struct daemon *d)
{
    return d->exiting;
}

static void quiet_sink(int priority, const char *msgid, const char *text)
{
}

/* ------------------------------------------------------------ clients */

struct client {
    int fd;       /* our end, -1 when closed */
    bool shut;    /* half-closed */
    GString *in;  /* what the daemon sent, not yet framed */
    GString *out; /* what we sent, not yet framed (for the names) */
};

struct run {
    struct daemon d;
    struct client c[NCONN];
    GHashTable *names; /* resource names seen in lock/unlock requests */
};

static void client_open(struct run *r, int i)
{
    int sv[2];

    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
                     sv) == 0);
    r->c[i].fd = sv[1];
    r->c[i].shut = false;
    g_string_truncate(r->c[i].in, 0);
    g_string_truncate(r->c[i].out, 0);
    CHECK(conn_new(&r->d, sv[0], g_strdup_printf("fuzz%d", i)) != NULL);
}

/* Every answer must be one a client can read (spec §5.4, §5.5). */
static void check_answer(const char *buf, size_t len)
{
    struct proto_msg m = {0};

    CHECK(len <= PROTO_MAX_EMIT);
    CHECK(proto_decode(buf, len, &m) == 0);
    CHECK(m.verb == PROTO_VERB_LOCK && (m.step == 16 || m.step == 24));
    CHECK(m.has_answer);
    proto_msg_clear(&m);
}

static void client_read(struct client *c)
{
    char buf[4096];
    ssize_t n;

    while (c->fd >= 0 && (n = recv(c->fd, buf, sizeof(buf), 0)) > 0)
        g_string_append_len(c->in, buf, (gssize)n);
    for (;;) {
        size_t skip = 0;
        ssize_t len = proto_frame(c->in->str, c->in->len, &skip);

        CHECK(len >= 0 && skip == 0); /* nothing but messages */
        if (len == 0)
            break;
        check_answer(c->in->str, (size_t)len);
        g_string_erase(c->in, 0, len);
    }
}

/* Follows the requests we send, to know which resources to inspect. */
static void note_names(struct run *r, struct client *c)
{
    for (;;) {
        size_t skip = 0;
        ssize_t len = proto_frame(c->out->str, c->out->len, &skip);
        struct proto_msg m = {0};

        if (len <= 0) {
            if (len < 0 || skip == c->out->len)
                g_string_truncate(c->out, 0);
            return;
        }
        if (proto_decode(c->out->str + skip, (size_t)len, &m) == 0 &&
            m.name != NULL && g_hash_table_size(r->names) < 64)
            g_hash_table_add(r->names, g_strdup(m.name));
        proto_msg_clear(&m);
        g_string_erase(c->out, 0, (gssize)skip + len);
    }
}

static void client_write(struct run *r, int i, const uint8_t *p, size_t n)
{
    struct client *c = &r->c[i];

    if (c->fd < 0)
        client_open(r, i);
    if (c->shut)
        return;
    /* a full socket drops the rest: the daemon reads as fast as we run */
    if (send(c->fd, p, n, MSG_NOSIGNAL) > 0) {
        g_string_append_len(c->out, (const char *)p, (gssize)n);
        note_names(r, c);
    }
}

static void client_close(struct client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

/* ------------------------------------------------------------- checks */

static const char *const compat[6] = {"YYYYYY", "YYYYY-", "YYY---",
                                      "YY-Y--", "YY----", "Y-----"};

static void check_simple(const struct resource *res)
{
    for (GList *a = res->holders.head; a != NULL; a = a->next)
        for (GList *b = a->next; b != NULL; b = b->next) {
            const struct lock_entry *x = a->data, *y = b->data;
            CHECK(compat[x->mode][y->mode] == 'Y');
        }
}

static void check_registry(struct run *r)
{
    GHashTableIter it;
    gpointer name;

    g_hash_table_iter_init(&it, r->names);
    while (g_hash_table_iter_next(&it, &name, NULL)) {
        struct resource *res = registry_find(r->d.registry, name);
        if (res != NULL && res->ops->type == RSRC_TYPE_SIMPLE)
            check_simple(res);
    }
}

static void run_loop(struct run *r)
{
    int n;

    while ((n = sd_event_run(r->d.event, 0)) > 0)
        ;
    CHECK(n == 0);
    check_registry(r);
}

/* After every client closed: nothing may be left of them. */
static void check_all_gone(struct run *r)
{
    GHashTableIter it;
    gpointer name;

    CHECK(g_hash_table_size(r->d.conns) == 0);
    g_hash_table_iter_init(&it, r->names);
    while (g_hash_table_iter_next(&it, &name, NULL)) {
        struct resource *res = registry_find(r->d.registry, name);
        struct lock_request req = {name, FLOM_LOCK_MODE_EX, 1, false, true, 0};
        struct lock_entry *e = NULL;
        int rc;

        CHECK(res == NULL ||
              (res->holders.length == 0 && res->waiters.length == 0));
        rc = registry_lock(r->d.registry, &req, &req, &e, NULL);
        if (rc == FLOM_RC_OK || rc == FLOM_RC_LOCK_ENQUEUED)
            registry_drop(r->d.registry, e);
    }
}

/* ---------------------------------------------------------------- run */

static void run_init(struct run *r)
{
    memset(r, 0, sizeof(*r));
    CHECK(sd_event_new(&r->d.event) >= 0);
    r->d.registry = registry_new(r->d.event, conn_on_answer, NULL, &r->d);
    r->d.conns = g_hash_table_new(NULL, NULL);
    r->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int i = 0; i < NCONN; i++) {
        r->c[i].fd = -1;
        r->c[i].in = g_string_new(NULL);
        r->c[i].out = g_string_new(NULL);
    }
}

static void run_fini(struct run *r)
{
    for (int i = 0; i < NCONN; i++) {
        client_close(&r->c[i]);
        g_string_free(r->c[i].in, TRUE);
        g_string_free(r->c[i].out, TRUE);
    }
    run_loop(r);
    check_all_gone(r);
    registry_free(r->d.registry);
    g_hash_table_unref(r->d.conns);
    g_hash_table_unref(r->names);
    sd_event_unref(r->d.event);
}

static size_t step(struct run *r, const uint8_t *p, size_t left)
{
    int i = p[0] & 3, action = (p[0] >> 2) % 4;
    size_t n;

    switch (action) {
    case 0:
        n = left > 1 ? MIN((size_t)p[1], left - 2) : 0;
        if (left > 1)
            client_write(r, i, p + 2, n);
        return 2 + n;
    case 1:
        if (r->c[i].fd >= 0 && !r->c[i].shut)
            shutdown(r->c[i].fd, SHUT_WR);
        r->c[i].shut = true;
        return 1;
    case 2:
        client_close(&r->c[i]);
        return 1;
    default:
        client_read(&r->c[i]);
        return 1;
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    log_set_sink(quiet_sink);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct run r;
    size_t used = 0;

    run_init(&r);
    while (used < size) {
        used += step(&r, data + used, size - used);
        run_loop(&r);
        for (int i = 0; i < NCONN; i++)
            client_read(&r.c[i]);
    }
    run_fini(&r);
    return 0;
}
