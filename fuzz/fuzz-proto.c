/*
 * libFuzzer target: the wire codec (src/proto.c) on arbitrary bytes.
 *
 * The input is a stream as a daemon or a client would receive it. It is
 * cut with proto_frame() exactly as src/conn.c does, and every framed
 * message is decoded. Properties checked besides "no crash, no leak, no
 * undefined behaviour":
 *  - framing stays within the buffer and within PROTO_MAX_MSG, and a
 *    framed message ends with "</msg>";
 *  - a decoded message re-encoded by our encoders decodes again to the
 *    same fields (the encoders' "byte-exact and parseable" promise).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "proto.h"

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz-proto: %s:%d: %s\n", __FILE__, __LINE__,     \
                    #cond);                                                    \
            abort();                                                           \
        }                                                                      \
    } while (0)

static bool same_str(const char *a, const char *b)
{
    return g_strcmp0(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Encodes m again with the encoder of its verb/step; false when there is
 * none (the daemon never sends those, the decoder merely accepts them). */
static bool reencode(const struct proto_msg *m, GString *out)
{
    if (m->verb == PROTO_VERB_LOCK && m->step == 8)
        proto_encode_lock(out, m->peerid, m->name, names_classify(m->name),
                          m->mode, m->wait != 0, m->quantity, m->create != 0,
                          m->lifespan);
    else if (m->verb == PROTO_VERB_LOCK && m->step >= 16 && m->step <= 32 &&
             m->step % 8 == 0)
        proto_encode_answer(out, m->step, m->step == 16 ? m->peerid : NULL,
                            m->rc, m->element);
    else if (m->verb == PROTO_VERB_UNLOCK && m->step == 8)
        proto_encode_unlock(out, m->name, m->rollback != 0);
    else if (m->verb == PROTO_VERB_MANAGEMENT && m->step == 8)
        proto_encode_shutdown(out, m->peerid, m->immediate != 0);
    else if (m->verb == PROTO_VERB_DISCOVER && m->step == 16)
        proto_encode_discover_reply(out, m->address, m->port);
    else
        return false;
    return true;
}

/* Only what the encoder of that verb writes can come back. */
static void compare(const struct proto_msg *a, const struct proto_msg *b)
{
    enum rsrc_type type;

    CHECK(a->verb == b->verb && a->step == b->step);
    if (a->verb == PROTO_VERB_LOCK && a->step == 8) {
        type = names_classify(a->name);
        CHECK(same_str(a->name, b->name) && same_str(a->peerid, b->peerid));
        CHECK((a->wait != 0) == (b->wait != 0));
        CHECK((a->create != 0) == (b->create != 0));
        CHECK(a->lifespan == b->lifespan);
        if (type == RSRC_TYPE_SIMPLE || type == RSRC_TYPE_HIER)
            CHECK(a->mode == b->mode);
        if (type == RSRC_TYPE_NUMERIC)
            CHECK(a->quantity == b->quantity);
    } else if (a->verb == PROTO_VERB_LOCK) {
        CHECK(a->rc == b->rc && same_str(a->element, b->element));
    } else if (a->verb == PROTO_VERB_UNLOCK) {
        CHECK(same_str(a->name, b->name));
        CHECK((a->rollback != 0) == (b->rollback != 0));
    } else if (a->verb == PROTO_VERB_MANAGEMENT) {
        CHECK((a->immediate != 0) == (b->immediate != 0));
    } else {
        CHECK(same_str(a->address, b->address) && a->port == b->port);
    }
}

static void round_trip(const struct proto_msg *m)
{
    g_autoptr(GString) out = g_string_new(NULL);
    struct proto_msg again = {0};
    size_t skip = 0;

    /* the encoders never refuse (proto.h): a value full of '<' grows
     * fourfold, past what any receiver accepts; senders check the size */
    if (!reencode(m, out) || out->len > PROTO_MAX_MSG)
        return;
    CHECK(proto_frame(out->str, out->len, &skip) == (ssize_t)out->len);
    CHECK(skip == 0);
    CHECK(proto_decode(out->str, out->len, &again) == 0);
    compare(m, &again);
    proto_msg_clear(&again);
}

static void one_message(const char *msg, size_t len)
{
    struct proto_msg m = {0};

    CHECK(len >= 6 && len <= PROTO_MAX_MSG);
    CHECK(msg[0] == '<' && memcmp(msg + len - 6, "</msg>", 6) == 0);
    if (proto_decode(msg, len, &m) == 0)
        round_trip(&m);
    proto_msg_clear(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    size_t used = 0;
    struct proto_msg m = {0};

    /* the raw input as one message too: decode must refuse or accept it
     * whatever it is */
    proto_decode(buf, size, &m);
    proto_msg_clear(&m);
    while (used < size) {
        size_t skip = 0;
        ssize_t n = proto_frame(buf + used, size - used, &skip);

        CHECK(skip <= size - used);
        if (n <= 0)
            break;
        CHECK((size_t)n <= size - used - skip);
        one_message(buf + used + skip, (size_t)n);
        used += skip + (size_t)n;
    }
    return 0;
}
