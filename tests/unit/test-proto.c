/*
 * The wire codec (spec §5): byte-exact encoding against the examples of
 * spec §5.10, round trips, framing (truncated, oversized, concatenated,
 * leading whitespace), FLoM's receiver rules of spec §5.3, robustness on
 * garbage, and the flom_strerror texts.
 */
#include <glib.h>
#include <string.h>

#include "flom_errors.h"
#include "proto.h"

#define PEER "3d1219c7c4c5404aaa1f6d2a48adfda4"
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>"
#define MSG(verb, step, body)                                                  \
    HEAD "<msg level=\"3\" verb=\"" verb "\" step=\"" step "\">" body "</msg>"
#define SESSION "<session peerid=\"" PEER "\"/>"

/* ------------------------------------------------- spec §5.10 examples */

/* One example a line, as in the spec. */
// clang-format off
#define EX1 MSG("1", "8", SESSION "<resource name=\"YWJj\" mode=\"5\" wait=\"1\" create=\"1\" lifespan=\"0\"/>")
#define EX2 MSG("1", "8", SESSION "<resource name=\"Zm9vWzNd\" wait=\"1\" quantity=\"2\" create=\"1\" lifespan=\"0\"/>")
#define EX3 MSG("1", "8", SESSION "<resource name=\"L2EvYg==\" mode=\"3\" wait=\"0\" create=\"1\" lifespan=\"2000\"/>")
#define EX4 MSG("1", "8", SESSION "<resource name=\"cmVkLmdyZWVuLmJsdWU=\" wait=\"1\" create=\"0\" lifespan=\"0\"/>")
#define EX5 MSG("1", "16", SESSION "<answer rc=\"0\"/>")
#define EX6 MSG("1", "16", SESSION "<answer rc=\"0\" element=\"red\"/>")
#define EX7A MSG("1", "16", SESSION "<answer rc=\"1\"/>")
#define EX7B MSG("1", "24", "<answer rc=\"0\" element=\"3\"/>")
#define EX8 MSG("1", "24", "<answer rc=\"0\"/>")
#define EX9A MSG("2", "8", "<resource name=\"YWJj\" rollback=\"0\" />")
#define EX9B MSG("2", "8", "<resource name=\"X1Nfc2VxWzJd\" rollback=\"1\" />")
#define EX10A MSG("4", "8", "")
#define EX10B MSG("4", "16", "<network address=\"\" port=\"36947\"/>")
#define EX10C MSG("4", "16", "<network address=\"192.168.1.10\" port=\"28015\"/>")
#define EX11A MSG("5", "8", SESSION "<shutdown immediate=\"0\"/>")
#define EX11B MSG("5", "8", SESSION "<shutdown immediate=\"1\"/>")
#define EX12 MSG("1", "16", SESSION "<answer rc=\"-14\"/>")
#define PING16 MSG("3", "16", "")
// clang-format on

static const char *const examples[] = {
    EX1,  EX2,  EX3,   EX4,   EX5,   EX6,   EX7A,  EX7B, EX8,
    EX9A, EX9B, EX10A, EX10B, EX10C, EX11A, EX11B, EX12, PING16,
};

/* Encodes into a fresh GString and compares with the spec, length too. */
static void check_bytes(GString *out, const char *expected, size_t len)
{
    g_assert_cmpstr(out->str, ==, expected);
    g_assert_cmpuint(out->len, ==, len);
    g_string_free(out, TRUE);
}

static void test_encode_lock_examples(void)
{
    GString *s;

    s = g_string_new(NULL);
    proto_encode_lock(s, PEER, "abc", RSRC_TYPE_SIMPLE, 5, true, 0, true, 0);
    check_bytes(s, EX1, 195);
    s = g_string_new(NULL);
    proto_encode_lock(s, PEER, "foo[3]", RSRC_TYPE_NUMERIC, 0, true, 2, true,
                      0);
    check_bytes(s, EX2, 203);
    s = g_string_new(NULL);
    proto_encode_lock(s, PEER, "/a/b", RSRC_TYPE_HIER, 3, false, 0, true, 2000);
    check_bytes(s, EX3, 202);
    s = g_string_new(NULL);
    proto_encode_lock(s, PEER, "red.green.blue", RSRC_TYPE_SET, 5, true, 1,
                      false, 0);
    check_bytes(s, EX4, 202);
}

static void test_encode_answer_examples(void)
{
    GString *s;

    s = g_string_new(NULL);
    proto_encode_answer(s, 16, PEER, 0, NULL);
    check_bytes(s, EX5, 147);
    s = g_string_new(NULL);
    proto_encode_answer(s, 16, PEER, 0, "red");
    check_bytes(s, EX6, 161);
    s = g_string_new(NULL);
    proto_encode_answer(s, 16, PEER, 1, NULL);
    check_bytes(s, EX7A, 147);
    s = g_string_new(NULL);
    proto_encode_answer(s, 24, PEER, 0, "3");
    check_bytes(s, EX7B, 107);
    s = g_string_new(NULL);
    proto_encode_answer(s, 24, PEER, 0, NULL);
    check_bytes(s, EX8, 95);
    s = g_string_new(NULL);
    proto_encode_answer(s, 16, PEER, FLOM_RC_INVALID_RESOURCE_NAME, NULL);
    check_bytes(s, EX12, 149);
}

static void test_encode_other_examples(void)
{
    GString *s;

    s = g_string_new(NULL);
    proto_encode_unlock(s, "abc", false);
    check_bytes(s, EX9A, 115);
    s = g_string_new(NULL);
    proto_encode_unlock(s, "_S_seq[2]", true);
    check_bytes(s, EX9B, 123);
    s = g_string_new(NULL);
    proto_encode_discover(s);
    check_bytes(s, EX10A, 78);
    s = g_string_new(NULL);
    proto_encode_discover_reply(s, "", 36947);
    check_bytes(s, EX10B, 113);
    s = g_string_new(NULL);
    proto_encode_discover_reply(s, "192.168.1.10", 28015);
    check_bytes(s, EX10C, strlen(EX10C));
    s = g_string_new(NULL);
    proto_encode_shutdown(s, PEER, false);
    check_bytes(s, EX11A, 155);
    s = g_string_new(NULL);
    proto_encode_shutdown(s, PEER, true);
    check_bytes(s, EX11B, 155);
    s = g_string_new(NULL);
    proto_encode_ping_reply(s);
    check_bytes(s, PING16, 79);
}

/* The default resource name as spec §5.10 shows it, and encoders append. */
static void test_encode_details(void)
{
    g_autoptr(GString) s = g_string_new("x");

    proto_encode_unlock(s, NAMES_DEFAULT_RESOURCE, false);
    g_assert_nonnull(strstr(s->str, "name=\"X1JFU09VUkNF\""));
    g_assert_cmpint(s->str[0], ==, 'x');
    g_string_truncate(s, 0);
    /* A NULL peer id is sent as the empty string (spec §5.3). */
    proto_encode_shutdown(s, NULL, false);
    g_assert_nonnull(strstr(s->str, "<session peerid=\"\"/>"));
}

/* ------------------------------------------------------ decode helpers */

static int decode(const char *text, struct proto_msg *msg)
{
    return proto_decode(text, strlen(text), msg);
}

/* Decodes text, expecting rc, and frees whatever the decoder kept. */
static void check_rc(const char *text, int rc)
{
    struct proto_msg msg;
    int got = decode(text, &msg);

    if (got != rc)
        g_test_message("decoding %s", text);
    g_assert_cmpint(got, ==, rc);
    proto_msg_clear(&msg);
}

/* ---------------------------------------------------------- round trip */

static void check_lock_roundtrip(const char *name, enum rsrc_type type,
                                 int mode, int quantity)
{
    g_autoptr(GString) s = g_string_new(NULL);
    struct proto_msg m;

    proto_encode_lock(s, PEER, name, type, mode, true, quantity, false, 750);
    g_assert_cmpint(decode(s->str, &m), ==, 0);
    g_assert_cmpint(m.level, ==, 3);
    g_assert_cmpint(m.verb, ==, PROTO_VERB_LOCK);
    g_assert_cmpint(m.step, ==, 8);
    g_assert_cmpstr(m.peerid, ==, PEER);
    g_assert_true(m.has_resource);
    g_assert_cmpstr(m.name, ==, name);
    /* Attributes not sent for this kind read as 0 (spec §5.3). */
    g_assert_cmpint(m.mode, ==, mode);
    g_assert_cmpint(m.quantity, ==, quantity);
    g_assert_cmpint(m.wait, ==, 1);
    g_assert_cmpint(m.create, ==, 0);
    g_assert_cmpint(m.lifespan, ==, 750);
    g_assert_false(m.has_answer);
    proto_msg_clear(&m);
}

static void test_roundtrip_lock(void)
{
    check_lock_roundtrip("abc", RSRC_TYPE_SIMPLE, 4, 0);
    check_lock_roundtrip("_RESOURCE", RSRC_TYPE_SIMPLE, 5, 0);
    check_lock_roundtrip("/a b/c\xc3\xa9", RSRC_TYPE_HIER, 2, 0);
    check_lock_roundtrip("foo[7]", RSRC_TYPE_NUMERIC, 0, 3);
    check_lock_roundtrip("a.b.c", RSRC_TYPE_SET, 0, 0);
    check_lock_roundtrip("_S_s[1]", RSRC_TYPE_SEQUENCE, 0, 0);
    check_lock_roundtrip("_t_%Y\\x[2]", RSRC_TYPE_TIMESTAMP, 0, 0);
}

static void check_answer_roundtrip(int step, int rc, const char *element)
{
    g_autoptr(GString) s = g_string_new(NULL);
    struct proto_msg m;

    proto_encode_answer(s, step, PEER, rc, element);
    g_assert_cmpint(decode(s->str, &m), ==, 0);
    g_assert_cmpint(m.verb, ==, PROTO_VERB_LOCK);
    g_assert_cmpint(m.step, ==, step);
    g_assert_cmpstr(m.peerid, ==, step == 16 ? PEER : NULL);
    g_assert_true(m.has_answer);
    g_assert_cmpint(m.rc, ==, rc);
    g_assert_cmpstr(m.element, ==, element);
    proto_msg_clear(&m);
}

static void test_roundtrip_answer(void)
{
    check_answer_roundtrip(16, 0, NULL);
    check_answer_roundtrip(16, 0, "red");
    check_answer_roundtrip(16, FLOM_RC_INVALID_RESOURCE_NAME, NULL);
    check_answer_roundtrip(24, 0, "3");
    check_answer_roundtrip(24, FLOM_RC_LOCK_IMPOSSIBLE, NULL);
    check_answer_roundtrip(32, 0, NULL);
    /* Escaped on output, unescaped by the parser: survives intact. */
    check_answer_roundtrip(16, 0, "a&b<c\"d>e 'f'");
    check_answer_roundtrip(24, 0, "");
}

static void test_roundtrip_unlock(void)
{
    g_autoptr(GString) s = g_string_new(NULL);
    struct proto_msg m;

    proto_encode_unlock(s, "_S_seq[2]", true);
    g_assert_cmpint(decode(s->str, &m), ==, 0);
    g_assert_cmpint(m.verb, ==, PROTO_VERB_UNLOCK);
    g_assert_cmpint(m.step, ==, 8);
    g_assert_true(m.has_resource);
    g_assert_cmpstr(m.name, ==, "_S_seq[2]");
    g_assert_cmpint(m.rollback, ==, 1);
    g_assert_null(m.peerid);
    proto_msg_clear(&m);
    g_assert_null(m.name);
}

static void test_roundtrip_discover(void)
{
    g_autoptr(GString) s = g_string_new(NULL);
    struct proto_msg m;

    proto_encode_discover(s);
    g_assert_cmpint(decode(s->str, &m), ==, 0);
    g_assert_cmpint(m.verb, ==, PROTO_VERB_DISCOVER);
    g_assert_cmpint(m.step, ==, 8);
    g_assert_false(m.has_network);
    proto_msg_clear(&m);
    g_string_truncate(s, 0);
    proto_encode_discover_reply(s, "fe80::1", 65535);
    g_assert_cmpint(decode(s->str, &m), ==, 0);
    g_assert_cmpint(m.step, ==, 16);
    g_assert_true(m.has_network);
    g_assert_cmpstr(m.address, ==, "fe80::1");
    g_assert_cmpint(m.port, ==, 65535);
    proto_msg_clear(&m);
}

static void test_roundtrip_management(void)
{
    g_autoptr(GString) s = g_string_new(NULL);
    struct proto_msg m;

    proto_encode_shutdown(s, PEER, true);
    g_assert_cmpint(decode(s->str, &m), ==, 0);
    g_assert_cmpint(m.verb, ==, PROTO_VERB_MANAGEMENT);
    g_assert_cmpint(m.step, ==, 8);
    g_assert_cmpstr(m.peerid, ==, PEER);
    g_assert_true(m.has_shutdown);
    g_assert_cmpint(m.immediate, ==, 1);
    proto_msg_clear(&m);
    g_string_truncate(s, 0);
    proto_encode_ping_reply(s);
    g_assert_cmpint(decode(s->str, &m), ==, 0);
    g_assert_cmpint(m.verb, ==, PROTO_VERB_PING);
    g_assert_cmpint(m.step, ==, 16);
    proto_msg_clear(&m);
}

/* Every example of the spec decodes, and with the values it shows. */
static void test_decode_examples(void)
{
    struct proto_msg m;

    for (size_t i = 0; i < G_N_ELEMENTS(examples); i++)
        check_rc(examples[i], 0);
    g_assert_cmpint(decode(EX3, &m), ==, 0);
    g_assert_cmpstr(m.name, ==, "/a/b");
    g_assert_cmpint(m.mode, ==, 3);
    g_assert_cmpint(m.wait, ==, 0);
    g_assert_cmpint(m.lifespan, ==, 2000);
    proto_msg_clear(&m);
    g_assert_cmpint(decode(EX10B, &m), ==, 0);
    g_assert_cmpstr(m.address, ==, "");
    g_assert_cmpint(m.port, ==, 36947);
    proto_msg_clear(&m);
}

/* -------------------------------------------------------------- framing */

static void test_frame_exact(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(examples); i++) {
        size_t skip = 99;

        g_assert_cmpint(proto_frame(examples[i], strlen(examples[i]), &skip),
                        ==, (ssize_t)strlen(examples[i]));
        g_assert_cmpuint(skip, ==, 0);
    }
}

static void test_frame_truncated(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(examples); i++) {
        size_t len = strlen(examples[i]);

        for (size_t cut = 0; cut < len; cut++) {
            size_t skip = 99;

            g_assert_cmpint(proto_frame(examples[i], cut, &skip), ==, 0);
            g_assert_cmpuint(skip, ==, 0);
        }
    }
}

/* A prefix of a message is never a message: the decoder refuses it too. */
static void test_decode_truncated(void)
{
    size_t len = strlen(EX1);

    for (size_t cut = 0; cut < len; cut++) {
        struct proto_msg m;

        g_assert_cmpint(proto_decode(EX1, cut, &m), ==,
                        FLOM_RC_MSG_DESERIALIZE_ERROR);
        proto_msg_clear(&m);
    }
}

static void test_frame_oversized(void)
{
    const size_t mib = 1024 * 1024;
    g_autofree char *big = g_malloc(mib);
    g_autoptr(GString) s = g_string_new(HEAD "<msg level=\"3\" verb=\"4\" "
                                             "step=\"8\" pad=\"");
    size_t skip;

    memset(big, 'x', mib);
    big[0] = '<';
    g_assert_cmpint(proto_frame(big, mib, &skip), ==, -1);
    g_assert_cmpuint(skip, ==, 0);
    /* A well-formed 2000-byte message is still too long. */
    while (s->len < 2000 - strlen("\"></msg>"))
        g_string_append_c(s, 'p');
    g_string_append(s, "\"></msg>");
    g_assert_cmpuint(s->len, ==, 2000);
    g_assert_cmpint(proto_frame(s->str, s->len, &skip), ==, -1);
    check_rc(s->str, FLOM_RC_MSG_DESERIALIZE_ERROR);
}

/* The limit is inclusive: 1023 bytes pass, 1024 do not. */
static void test_frame_limit(void)
{
    g_autoptr(GString) s = g_string_new(HEAD "<msg level=\"3\" verb=\"4\" "
                                             "step=\"8\" pad=\"");
    size_t skip;

    while (s->len < PROTO_MAX_MSG - strlen("\"></msg>"))
        g_string_append_c(s, 'p');
    g_string_append(s, "\"></msg>");
    g_assert_cmpuint(s->len, ==, PROTO_MAX_MSG);
    g_assert_cmpint(proto_frame(s->str, s->len, &skip), ==, PROTO_MAX_MSG);
    check_rc(s->str, 0);
    /* One byte less without the terminator's last byte: wait for more. */
    g_assert_cmpint(proto_frame(s->str, s->len - 1, &skip), ==, 0);
    g_string_insert_c(s, s->len - strlen("\"></msg>"), 'p');
    g_assert_cmpint(proto_frame(s->str, s->len, &skip), ==, -1);
    /* The limit counts from '<', not from the start of the buffer. */
    g_string_erase(s, s->len - strlen("\"></msg>") - 1, 1);
    g_string_prepend(s, "   ");
    g_assert_cmpint(proto_frame(s->str, s->len, &skip), ==, PROTO_MAX_MSG);
    g_assert_cmpuint(skip, ==, 3);
}

static void test_frame_concatenated(void)
{
    const char *both = EX7A EX7B;
    size_t len = strlen(both), skip;
    ssize_t first = proto_frame(both, len, &skip);
    struct proto_msg m;

    g_assert_cmpint(first, ==, 147);
    g_assert_cmpuint(skip, ==, 0);
    g_assert_cmpint(proto_decode(both, (size_t)first, &m), ==, 0);
    g_assert_cmpint(m.step, ==, 16);
    g_assert_cmpint(m.rc, ==, FLOM_RC_LOCK_ENQUEUED);
    proto_msg_clear(&m);
    both += first;
    len -= (size_t)first;
    g_assert_cmpint(proto_frame(both, len, &skip), ==, 107);
    g_assert_cmpint(proto_decode(both, len, &m), ==, 0);
    g_assert_cmpint(m.step, ==, 24);
    g_assert_cmpstr(m.element, ==, "3");
    proto_msg_clear(&m);
}

static void test_frame_skip(void)
{
    const char *text = " \r\n\t " EX9A;
    size_t skip = 0;

    g_assert_cmpint(proto_frame(text, strlen(text), &skip), ==, 115);
    g_assert_cmpuint(skip, ==, 5);
    check_rc(text + skip, 0);
    /* Only blanks so far: all of them may go, and more bytes are needed. */
    g_assert_cmpint(proto_frame("  \n", 3, &skip), ==, 0);
    g_assert_cmpuint(skip, ==, 3);
    g_assert_cmpint(proto_frame("", 0, &skip), ==, 0);
    g_assert_cmpuint(skip, ==, 0);
    /* skip may be NULL. */
    g_assert_cmpint(proto_frame(EX8, strlen(EX8), NULL), ==, 95);
}

/* ----------------------------------------------------- receiver rules */

static void test_decode_level(void)
{
    struct proto_msg m;

    g_assert_cmpint(decode(HEAD "<msg level=\"2\" verb=\"1\" step=\"16\">"
                                "<answer rc=\"0\"/></msg>",
                           &m),
                    ==, FLOM_RC_PROTOCOL_LEVEL_MISMATCH);
    g_assert_cmpint(m.level, ==, 2);
    g_assert_false(m.has_answer);
    proto_msg_clear(&m);
    g_assert_cmpint(decode(HEAD "<msg level=\"4\" verb=\"4\" step=\"8\">"
                                "</msg>",
                           &m),
                    ==, FLOM_RC_PROTOCOL_LEVEL_MISMATCH);
    g_assert_cmpint(m.level, ==, 4);
    proto_msg_clear(&m);
    /* No level at all is not level 3 either. */
    g_assert_cmpint(decode(HEAD "<msg verb=\"4\" step=\"8\"></msg>", &m), ==,
                    FLOM_RC_PROTOCOL_LEVEL_MISMATCH);
    g_assert_cmpint(m.level, ==, 0);
    /* strtol: "3x" is 3. */
    check_rc(HEAD "<msg level=\"3x\" verb=\"4\" step=\"8\"></msg>", 0);
}

/* Unknown verbs and steps decode: refusing them is the daemon's job, which
 * knows what direction and state the connection is in. */
static void test_decode_unknown_verb(void)
{
    struct proto_msg m;

    g_assert_cmpint(decode(MSG("9", "8", "<resource name=\"YWJj\"/>"), &m), ==,
                    0);
    g_assert_cmpint(m.verb, ==, 9);
    g_assert_cmpint(m.step, ==, 8);
    g_assert_false(m.has_resource);
    g_assert_null(m.name);
    proto_msg_clear(&m);
    g_assert_cmpint(decode(MSG("1", "40", SESSION), &m), ==, 0);
    g_assert_cmpint(m.step, ==, 40);
    g_assert_null(m.peerid);
    proto_msg_clear(&m);
    check_rc(MSG("1", "20", ""), 0);
    check_rc(MSG("3", "8", ""), 0);
    check_rc(HEAD "<msg level=\"3\"></msg>", 0);
}

static void test_decode_integers(void)
{
    struct proto_msg m;

    g_assert_cmpint(decode(MSG("1", "8",
                               "<resource name=\"YWJj\" mode=\"3a"
                               "bc\" wait=\"x\" quantity=\" -7\" "
                               "lifespan=\"99999999999\"/>"),
                           &m),
                    ==, 0);
    g_assert_cmpint(m.mode, ==, 3);
    g_assert_cmpint(m.wait, ==, 0);
    g_assert_cmpint(m.quantity, ==, -7);
    g_assert_cmpint(m.create, ==, 0);
    g_assert_cmpint(m.lifespan, ==, G_MAXINT);
    proto_msg_clear(&m);
}

static void test_decode_ignored(void)
{
    struct proto_msg m;

    /* Unknown attributes on msg, session, resource and answer. */
    g_assert_cmpint(decode(HEAD "<msg id=\"7\" level=\"3\" verb=\"1\" "
                                "step=\"8\" x=\"y\"><session peerid=\"p\" "
                                "tls=\"1\"/><resource foo=\"1\" "
                                "name=\"YWJj\"/></msg>",
                           &m),
                    ==, 0);
    g_assert_cmpstr(m.peerid, ==, "p");
    g_assert_cmpstr(m.name, ==, "abc");
    proto_msg_clear(&m);
    check_rc(MSG("1", "24", "<answer rc=\"0\" bar=\"\"/>"), 0);
    /* Unknown tags without attributes; text between tags. */
    check_rc(MSG("1", "24", "<extra/> text <answer rc=\"0\"/><x></x>"), 0);
    /* Known tags that do not belong to the verb/step, attributes or not. */
    g_assert_cmpint(decode(MSG("1", "8",
                               "<resource name=\"YWJj\"/>"
                               "<answer rc=\"4\"/><network "
                               "bogus=\"1\"/><shutdown x=\"1\"/>"),
                           &m),
                    ==, 0);
    g_assert_false(m.has_answer);
    g_assert_false(m.has_network);
    g_assert_false(m.has_shutdown);
    proto_msg_clear(&m);
    check_rc(MSG("2", "8",
                 "<session peerid=\"x\"/><resource name=\"YWJj\" "
                 "rollback=\"0\" />"),
             0);
}

static void test_decode_invalid_attrs(void)
{
    static const char *const lock_only[] = {"mode", "wait", "quantity",
                                            "create", "lifespan"};
    const int invalid = FLOM_RC_MSG_DESERIALIZE_ERROR;

    for (size_t i = 0; i < G_N_ELEMENTS(lock_only); i++) {
        g_autofree char *text = g_strdup_printf(
            MSG("2", "8", "<resource name=\"YWJj\" %s=\"1\" />"), lock_only[i]);

        check_rc(text, invalid);
    }
    check_rc(MSG("1", "8", "<resource name=\"YWJj\" rollback=\"0\"/>"),
             invalid);
    check_rc(MSG("4", "16", "<network address=\"\" port=\"1\" x=\"\"/>"),
             invalid);
    check_rc(MSG("5", "8", "<shutdown immediate=\"0\" now=\"1\"/>"), invalid);
    check_rc(MSG("1", "24", "<answer rc=\"0\"/><extra a=\"1\"/>"), invalid);
    check_rc(MSG("9", "8", "<extra a=\"1\"/>"), invalid);
    check_rc(MSG("4", "16", "<network address=\"\" port=\"65536\"/>"), invalid);
    check_rc(MSG("4", "16", "<network address=\"\" port=\"-1\"/>"), invalid);
}

static void test_decode_structure(void)
{
    const int invalid = FLOM_RC_MSG_DESERIALIZE_ERROR;

    /* Missing "</msg>", or not well-formed. */
    check_rc(HEAD "<msg level=\"3\" verb=\"4\" step=\"8\">", invalid);
    check_rc(MSG("1", "24", "<answer rc=\"0\">"), invalid);
    check_rc(MSG("1", "24", "<answer rc=\"0\"/"), invalid);
    check_rc(MSG("1", "24", "<answer rc=0/>"), invalid);
    check_rc(MSG("1", "24", "<answer rc=\"&bogus;\"/>"), invalid);
    check_rc("</msg>", invalid);
    check_rc("", invalid);
    /* The root must be <msg>, and nothing may follow it. */
    check_rc("<answer rc=\"0\"></answer></msg>", invalid);
    check_rc(EX10A "<msg level=\"3\" verb=\"4\" step=\"8\"></msg>", invalid);
    /* Mandatory tags and duplicates. */
    check_rc(MSG("1", "8", SESSION), invalid);
    check_rc(MSG("1", "8", "<resource mode=\"5\"/>"), invalid);
    check_rc(MSG("2", "8", ""), invalid);
    check_rc(MSG("1", "16", SESSION), invalid);
    check_rc(MSG("4", "16", ""), invalid);
    check_rc(MSG("5", "8", SESSION), invalid);
    check_rc(MSG("2", "8",
                 "<resource name=\"YQ==\" /><resource "
                 "name=\"Yg==\" />"),
             invalid);
    check_rc(MSG("1", "16", SESSION SESSION "<answer rc=\"0\"/>"), invalid);
    /* The prolog is optional, as for FLoM's GMarkup parser. */
    check_rc("<msg level=\"3\" verb=\"4\" step=\"8\"></msg>", 0);
}

static void test_decode_names(void)
{
    struct proto_msg m;

    /* "a\0b": a NUL would silently cut the name. */
    check_rc(MSG("2", "8", "<resource name=\"YQBi\" />"),
             FLOM_RC_MSG_DESERIALIZE_ERROR);
    /* An empty name decodes (the daemon refuses it as an invalid name). */
    g_assert_cmpint(decode(MSG("2", "8", "<resource name=\"\" />"), &m), ==, 0);
    g_assert_cmpstr(m.name, ==, "");
    proto_msg_clear(&m);
    /* Bytes outside the alphabet are skipped, as g_base64_decode does. */
    g_assert_cmpint(decode(MSG("2", "8", "<resource name=\"Y!W*Jj\" />"), &m),
                    ==, 0);
    g_assert_cmpstr(m.name, ==, "abc");
    proto_msg_clear(&m);
    /* Attribute values are XML-unescaped. */
    g_assert_cmpint(decode(MSG("1", "24",
                               "<answer rc=\"0\" element="
                               "\"&lt;&amp;&quot;&#65;\"/>"),
                           &m),
                    ==, 0);
    g_assert_cmpstr(m.element, ==, "<&\"A");
    proto_msg_clear(&m);
}

static void test_decode_bad_bytes(void)
{
    static const char with_nul[] = MSG("4", "8", "\0");
    const char *bad_utf8 =
        MSG("1", "24", "<answer rc=\"0\" element=\"\xff\"/>");

    struct proto_msg m;

    g_assert_cmpint(proto_decode(with_nul, sizeof(with_nul) - 1, &m), ==,
                    FLOM_RC_MSG_DESERIALIZE_ERROR);
    proto_msg_clear(&m);
    check_rc(bad_utf8, FLOM_RC_MSG_DESERIALIZE_ERROR);
    g_assert_cmpint(proto_decode(NULL, 0, &m), ==,
                    FLOM_RC_MSG_DESERIALIZE_ERROR);
}

/* ------------------------------------------------------------ robustness */

static bool is_decode_rc(int rc)
{
    return rc == 0 || rc == FLOM_RC_PROTOCOL_LEVEL_MISMATCH ||
           rc == FLOM_RC_MSG_DESERIALIZE_ERROR;
}

/* Frames and decodes buf; whatever it is, the answers stay in range. */
static void feed(const char *buf, size_t len)
{
    size_t skip = len + 1;
    ssize_t n = proto_frame(buf, len, &skip);
    struct proto_msg m;
    int rc;

    g_assert_cmpuint(skip, <=, len);
    g_assert_cmpint(n, >=, -1);
    g_assert_cmpint(n, <=, (ssize_t)MIN(len - skip, PROTO_MAX_MSG));
    rc = proto_decode(buf, len, &m);
    g_assert_true(is_decode_rc(rc));
    if (rc == 0)
        g_assert_cmpint(m.level, ==, PROTO_LEVEL);
    proto_msg_clear(&m);
    if (n > 0) {
        g_assert_true(is_decode_rc(proto_decode(buf + skip, n, &m)));
        proto_msg_clear(&m);
    }
}

static void test_random_bytes(void)
{
    char buf[1200];

    for (int i = 0; i < 4000; i++) {
        size_t len = g_test_rand_int_range(0, sizeof(buf));

        for (size_t j = 0; j < len; j++)
            buf[j] = (char)g_test_rand_int_range(0, 256);
        feed(buf, len);
    }
}

/* Random bytes get nowhere near the parser's depths; small mutations of
 * valid messages do. Bytes come from an alphabet rich in XML syntax. */
static void test_mutated_messages(void)
{
    static const char alphabet[] = "<>/=\"'&;#!?[] \nabcmsgx0123-\xff\x80";
    char buf[PROTO_MAX_MSG + 1];

    for (int i = 0; i < 20000; i++) {
        const char *src =
            examples[g_test_rand_int_range(0, G_N_ELEMENTS(examples))];
        size_t len = strlen(src);
        int edits = g_test_rand_int_range(1, 4);

        memcpy(buf, src, len);
        for (int e = 0; e < edits; e++)
            buf[g_test_rand_int_range(0, len)] =
                alphabet[g_test_rand_int_range(0, sizeof(alphabet) - 1)];
        if (g_test_rand_bit())
            len = g_test_rand_int_range(0, len + 1);
        feed(buf, len);
    }
}

/* ------------------------------------------------------------- strerror */

static void test_strerror(void)
{
    g_assert_cmpstr(flom_strerror(FLOM_RC_OK), ==, "OK: no error");
    g_assert_cmpstr(flom_strerror(FLOM_RC_INACTIVE_FEATURE), ==,
                    "WARNING: a feature is inactive and a piece of code was "
                    "skipped");
    g_assert_cmpstr(flom_strerror(FLOM_RC_LOCK_BUSY), ==,
                    "INFO: the lock can not be obtained because the resource "
                    "is already locked");
    g_assert_cmpstr(flom_strerror(FLOM_RC_NETWORK_EVENT_ERROR), ==,
                    "ERROR: an unespected network event raised");
    g_assert_cmpstr(flom_strerror(FLOM_RC_MSG_DESERIALIZE_ERROR), ==,
                    "ERROR: XML message deserialization");
    g_assert_cmpstr(flom_strerror(FLOM_RC_OBJ_NOT_FOUND_ERROR), ==,
                    "ERROR: object not found");
    g_assert_cmpstr(flom_strerror(FLOM_RC_ACCEPT_ERROR), ==,
                    "ERROR: 'accept' function returned an error condition");
    g_assert_cmpstr(flom_strerror(FLOM_RC_MALLOC_ERROR), ==,
                    "ERROR: 'malloc'/'g_malloc' function returned an error "
                    "condition");
    g_assert_cmpstr(flom_strerror(FLOM_RC_SNPRINTF_ERROR), ==,
                    "ERROR: 'snprintf' function was not able to write the "
                    "complete content due to insufficient buffer space");
    g_assert_cmpstr(flom_strerror(FLOM_RC_RECV_ERROR), ==,
                    "ERROR: 'recv' function returned an error condition");
    g_assert_cmpstr(flom_strerror(FLOM_RC_WRITE_ERROR), ==,
                    "ERROR: 'write' function returned an error condition");
    g_assert_cmpstr(flom_strerror(FLOM_RC_G_TRY_MALLOC_ERROR), ==,
                    "ERROR: 'g_try_malloc'/'g_try_malloc0' function returned "
                    "an error condition");
    g_assert_cmpstr(flom_strerror(FLOM_RC_JNI_NEWDIRECTBYTEBUFFER_ERROR), ==,
                    "ERROR: 'JNI NewDirectByteBuffer' function returned NULL "
                    "pointer");
    g_assert_cmpstr(flom_strerror(FLOM_RC_SSL_CTX_NEW_ERROR), ==,
                    "ERROR: 'OpenSSL SSL_CTX_new' function returned an error");
    g_assert_cmpstr(flom_strerror(FLOM_RC_SSL_CONNECT_ERROR), ==,
                    "ERROR: 'OpenSSL SSL_connect' function returned an error");
    g_assert_cmpstr(flom_strerror(FLOM_RC_NO_VALID_TLS_METHOD), ==,
                    "ERROR: no valid TLS/SSL method was found");
}

static void test_strerror_unknown(void)
{
    static const int unknown[] = {FLOM_RC_SSL_ACCEPT_ERROR,
                                  12345,
                                  14,
                                  -29,
                                  -99,
                                  -144,
                                  -218,
                                  -303,
                                  -414,
                                  G_MININT,
                                  G_MAXINT};

    for (size_t i = 0; i < G_N_ELEMENTS(unknown); i++)
        g_assert_cmpstr(flom_strerror(unknown[i]), ==, "ERROR: unknown error");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/proto/encode/lock-examples", test_encode_lock_examples);
    g_test_add_func("/proto/encode/answer-examples",
                    test_encode_answer_examples);
    g_test_add_func("/proto/encode/other-examples", test_encode_other_examples);
    g_test_add_func("/proto/encode/details", test_encode_details);
    g_test_add_func("/proto/roundtrip/lock", test_roundtrip_lock);
    g_test_add_func("/proto/roundtrip/answer", test_roundtrip_answer);
    g_test_add_func("/proto/roundtrip/unlock", test_roundtrip_unlock);
    g_test_add_func("/proto/roundtrip/discover", test_roundtrip_discover);
    g_test_add_func("/proto/roundtrip/management", test_roundtrip_management);
    g_test_add_func("/proto/decode/examples", test_decode_examples);
    g_test_add_func("/proto/frame/exact", test_frame_exact);
    g_test_add_func("/proto/frame/truncated", test_frame_truncated);
    g_test_add_func("/proto/frame/oversized", test_frame_oversized);
    g_test_add_func("/proto/frame/limit", test_frame_limit);
    g_test_add_func("/proto/frame/concatenated", test_frame_concatenated);
    g_test_add_func("/proto/frame/skip", test_frame_skip);
    g_test_add_func("/proto/decode/truncated", test_decode_truncated);
    g_test_add_func("/proto/decode/level", test_decode_level);
    g_test_add_func("/proto/decode/unknown-verb", test_decode_unknown_verb);
    g_test_add_func("/proto/decode/integers", test_decode_integers);
    g_test_add_func("/proto/decode/ignored", test_decode_ignored);
    g_test_add_func("/proto/decode/invalid-attrs", test_decode_invalid_attrs);
    g_test_add_func("/proto/decode/structure", test_decode_structure);
    g_test_add_func("/proto/decode/names", test_decode_names);
    g_test_add_func("/proto/decode/bad-bytes", test_decode_bad_bytes);
    g_test_add_func("/proto/robust/random-bytes", test_random_bytes);
    g_test_add_func("/proto/robust/mutated", test_mutated_messages);
    g_test_add_func("/proto/strerror/texts", test_strerror);
    g_test_add_func("/proto/strerror/unknown", test_strerror_unknown);
    return g_test_run();
}
