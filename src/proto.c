/*
 * The wire codec of FLoM 1.7.2, protocol level 3 (spec §5).
 *
 * Encoders reproduce FLoM's output byte for byte (spec §5.10). The decoder
 * follows the rules of FLoM's receiver (spec §5.3), parsing with GMarkup as
 * FLoM does, so that whatever FLoM accepts we accept and vice versa, except
 * where FLoM is fragile (NUL in names, missing mandatory tags, duplicates).
 * Nothing here does I/O or keeps state between calls.
 */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "flom_errors.h"
#include "proto.h"

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>"
#define MSG_END "</msg>"
#define MSG_END_LEN (sizeof(MSG_END) - 1)

/* ------------------------------------------------------------ framing */

/* memmem() would need _GNU_SOURCE; this is all of it we need. O(n). */
static const char *find_msg_end(const char *p, size_t n)
{
    const char *limit = p + n;

    while ((size_t)(limit - p) >= MSG_END_LEN) {
        const char *lt = memchr(p, '<', (size_t)(limit - p) - MSG_END_LEN + 1);

        if (lt == NULL)
            return NULL;
        if (memcmp(lt, MSG_END, MSG_END_LEN) == 0)
            return lt;
        p = lt + 1;
    }
    return NULL;
}

ssize_t proto_frame(const char *buf, size_t len, size_t *skip)
{
    const char *start = memchr(buf, '<', len);
    size_t skipped = start != NULL ? (size_t)(start - buf) : len;
    size_t avail = len - skipped;
    const char *end;

    if (skip != NULL)
        *skip = skipped;
    if (start == NULL)
        return 0;
    /* Search only where a terminator could still end within the limit:
     * this bounds the work per call whatever the peer sends. */
    end = find_msg_end(start, MIN(avail, PROTO_MAX_MSG));
    if (end != NULL)
        return (ssize_t)(end - start + MSG_END_LEN);
    return avail >= PROTO_MAX_MSG ? -1 : 0;
}

/* ------------------------------------------------------------ encoding */

static void open_msg(GString *out, int verb, int step)
{
    g_string_append_printf(
        out, XML_HEAD "<msg level=\"%d\" verb=\"%d\" step=\"%d\">", PROTO_LEVEL,
        verb, step);
}

static void close_msg(GString *out)
{
    g_string_append(out, MSG_END);
}

/* FLoM writes values unescaped (spec §5.2). We escape only the three bytes
 * that would make the message unparseable; no value FLoM sends contains
 * them, so the output stays byte-identical with FLoM's. */
static void append_str_attr(GString *out, const char *attr, const char *value)
{
    g_string_append_printf(out, " %s=\"", attr);
    for (const char *p = value != NULL ? value : ""; *p != '\0'; p++) {
        if (*p == '&')
            g_string_append(out, "&amp;");
        else if (*p == '<')
            g_string_append(out, "&lt;");
        else if (*p == '"')
            g_string_append(out, "&quot;");
        else
            g_string_append_c(out, *p);
    }
    g_string_append_c(out, '"');
}

static void append_int_attr(GString *out, const char *attr, int value)
{
    g_string_append_printf(out, " %s=\"%d\"", attr, value);
}

static void append_name_attr(GString *out, const char *name)
{
    const char *text = name != NULL ? name : "";
    g_autofree gchar *b64 = g_base64_encode((const guchar *)text, strlen(text));

    append_str_attr(out, "name", b64);
}

static void append_session(GString *out, const char *peerid)
{
    g_string_append(out, "<session");
    append_str_attr(out, "peerid", peerid);
    g_string_append(out, "/>");
}

/* The attribute set depends on the kind (spec §5.3): FLoM's client sends
 * mode only where it means something, quantity only for numeric names. */
static void append_lock_attrs(GString *out, enum rsrc_type type, int mode,
                              bool wait, int quantity)
{
    if (type == RSRC_TYPE_SIMPLE || type == RSRC_TYPE_HIER)
        append_int_attr(out, "mode", mode);
    append_int_attr(out, "wait", wait);
    if (type == RSRC_TYPE_NUMERIC)
        append_int_attr(out, "quantity", quantity);
}

void proto_encode_lock(GString *out, const char *peerid, const char *name,
                       enum rsrc_type type, int mode, bool wait, int quantity,
                       bool create, int lifespan)
{
    open_msg(out, PROTO_VERB_LOCK, 8);
    append_session(out, peerid);
    g_string_append(out, "<resource");
    append_name_attr(out, name);
    append_lock_attrs(out, type, mode, wait, quantity);
    append_int_attr(out, "create", create);
    append_int_attr(out, "lifespan", lifespan);
    g_string_append(out, "/>");
    close_msg(out);
}

void proto_encode_answer(GString *out, int step, const char *peerid, int rc,
                         const char *element)
{
    open_msg(out, PROTO_VERB_LOCK, step);
    /* Only the first answer names the daemon (spec §5.5). */
    if (step == 16)
        append_session(out, peerid);
    g_string_append(out, "<answer");
    append_int_attr(out, "rc", rc);
    if (element != NULL)
        append_str_attr(out, "element", element);
    g_string_append(out, "/>");
    close_msg(out);
}

void proto_encode_unlock(GString *out, const char *name, bool rollback)
{
    open_msg(out, PROTO_VERB_UNLOCK, 8);
    g_string_append(out, "<resource");
    append_name_attr(out, name);
    append_int_attr(out, "rollback", rollback);
    /* The space before "/>" is FLoM's, and part of byte-exactness. */
    g_string_append(out, " />");
    close_msg(out);
}

void proto_encode_discover(GString *out)
{
    open_msg(out, PROTO_VERB_DISCOVER, 8);
    close_msg(out);
}

void proto_encode_discover_reply(GString *out, const char *address, int port)
{
    open_msg(out, PROTO_VERB_DISCOVER, 16);
    g_string_append(out, "<network");
    append_str_attr(out, "address", address);
    append_int_attr(out, "port", port);
    g_string_append(out, "/>");
    close_msg(out);
}

void proto_encode_shutdown(GString *out, const char *peerid, bool immediate)
{
    open_msg(out, PROTO_VERB_MANAGEMENT, 8);
    append_session(out, peerid);
    g_string_append(out, "<shutdown");
    append_int_attr(out, "immediate", immediate);
    g_string_append(out, "/>");
    close_msg(out);
}

void proto_encode_ping_reply(GString *out)
{
    open_msg(out, PROTO_VERB_PING, 16);
    close_msg(out);
}

/* ------------------------------------------------------------ decoding */

#define INVALID FLOM_RC_MSG_DESERIALIZE_ERROR

struct parser {
    struct proto_msg *msg;
    int rc;        /* why a callback stopped the parse; 0 if it did not */
    int depth;     /* of the element being parsed; <msg> is depth 0 */
    bool msg_done; /* "</msg>" of the root seen: the message is complete */
    bool has_session;
};

void proto_msg_clear(struct proto_msg *msg)
{
    if (msg == NULL)
        return;
    g_free(msg->peerid);
    g_free(msg->name);
    g_free(msg->element);
    g_free(msg->address);
    memset(msg, 0, sizeof(*msg));
}

/* FLoM reads integers with strtol(…, 10): garbage is 0 and trailing bytes
 * are ignored. We clamp instead of letting a long truncate into an int. */
static int to_int(const char *value)
{
    long v = strtol(value, NULL, 10);

    return (int)CLAMP(v, INT_MIN, INT_MAX);
}

/* Attributes may repeat (GMarkup does not refuse it): the last one wins,
 * as in FLoM, without leaking the first. */
static void set_string(char **dst, const char *value)
{
    g_free(*dst);
    *dst = g_strdup(value);
}

/* Names travel in base64. A NUL inside would silently shorten the name
 * (FLoM keeps it as a C string); refusing it keeps "what was locked" and
 * "what was asked for" the same string. */
static int set_name(struct proto_msg *msg, const char *value)
{
    gsize len = 0;
    g_autofree guchar *raw = g_base64_decode(value, &len);

    if (raw == NULL || memchr(raw, '\0', len) != NULL)
        return INVALID;
    g_free(msg->name);
    msg->name = g_strndup((const char *)raw, len);
    return 0;
}

static int parse_msg_tag(struct parser *p, const char **names,
                         const char **values)
{
    struct proto_msg *msg = p->msg;

    for (size_t i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], "level") == 0)
            msg->level = to_int(values[i]);
        else if (strcmp(names[i], "verb") == 0)
            msg->verb = to_int(values[i]);
        else if (strcmp(names[i], "step") == 0)
            msg->step = to_int(values[i]);
    }
    /* A missing level reads as 0, which is not ours either: the body of a
     * message of another level cannot be interpreted. */
    return msg->level == PROTO_LEVEL ? 0 : FLOM_RC_PROTOCOL_LEVEL_MISMATCH;
}

static int parse_session(struct parser *p, const char **names,
                         const char **values)
{
    if (p->has_session)
        return INVALID;
    p->has_session = true;
    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], "peerid") == 0)
            set_string(&p->msg->peerid, values[i]);
    return 0;
}

/* The integer attributes only a lock request may carry (spec §5.3). */
static int *lock_int_attr(struct proto_msg *msg, const char *name)
{
    static const struct {
        const char *name;
        size_t offset;
    } attrs[] = {
        {"mode", offsetof(struct proto_msg, mode)},
        {"wait", offsetof(struct proto_msg, wait)},
        {"quantity", offsetof(struct proto_msg, quantity)},
        {"create", offsetof(struct proto_msg, create)},
        {"lifespan", offsetof(struct proto_msg, lifespan)},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(attrs); i++)
        if (strcmp(name, attrs[i].name) == 0)
            return (int *)((char *)msg + attrs[i].offset);
    return NULL;
}

/* FLoM refuses lock attributes in an unlock and rollback in a lock, and
 * ignores attributes it does not know. */
static int parse_resource_attr(struct proto_msg *msg, const char *name,
                               const char *value)
{
    bool is_lock = msg->verb == PROTO_VERB_LOCK;
    int *field;

    if (strcmp(name, "name") == 0)
        return set_name(msg, value);
    if (strcmp(name, "rollback") == 0) {
        if (is_lock)
            return INVALID;
        msg->rollback = to_int(value);
        return 0;
    }
    field = lock_int_attr(msg, name);
    if (field != NULL && !is_lock)
        return INVALID;
    if (field != NULL)
        *field = to_int(value);
    return 0;
}

static int parse_resource(struct parser *p, const char **names,
                          const char **values)
{
    int rc = 0;

    if (p->msg->has_resource)
        return INVALID;
    p->msg->has_resource = true;
    for (size_t i = 0; names[i] != NULL && rc == 0; i++)
        rc = parse_resource_attr(p->msg, names[i], values[i]);
    return rc;
}

static int parse_answer(struct parser *p, const char **names,
                        const char **values)
{
    struct proto_msg *msg = p->msg;

    if (msg->has_answer)
        return INVALID;
    msg->has_answer = true;
    for (size_t i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], "rc") == 0)
            msg->rc = to_int(values[i]);
        else if (strcmp(names[i], "element") == 0)
            set_string(&msg->element, values[i]);
    }
    return 0;
}

/* Unlike the other tags, FLoM refuses unknown attributes here. The port
 * is an in_port_t in FLoM; we refuse what would not fit instead of letting
 * it wrap to another port. */
static int parse_network(struct parser *p, const char **names,
                         const char **values)
{
    struct proto_msg *msg = p->msg;

    if (msg->has_network)
        return INVALID;
    msg->has_network = true;
    for (size_t i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], "address") == 0)
            set_string(&msg->address, values[i]);
        else if (strcmp(names[i], "port") == 0)
            msg->port = to_int(values[i]);
        else
            return INVALID;
    }
    return msg->port >= 0 && msg->port <= 65535 ? 0 : INVALID;
}

static int parse_shutdown(struct parser *p, const char **names,
                          const char **values)
{
    struct proto_msg *msg = p->msg;

    if (msg->has_shutdown)
        return INVALID;
    msg->has_shutdown = true;
    for (size_t i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], "immediate") != 0)
            return INVALID;
        msg->immediate = to_int(values[i]);
    }
    return 0;
}

typedef int (*tag_parse_fn)(struct parser *p, const char **names,
                            const char **values);

/* Which body tag belongs to which verb/step (spec §5.2). */
static const struct {
    int verb;
    int step;
    const char *tag;
    tag_parse_fn parse;
} body_tags[] = {
    {PROTO_VERB_LOCK, 8, "session", parse_session},
    {PROTO_VERB_LOCK, 8, "resource", parse_resource},
    {PROTO_VERB_LOCK, 16, "session", parse_session},
    {PROTO_VERB_LOCK, 16, "answer", parse_answer},
    {PROTO_VERB_LOCK, 24, "answer", parse_answer},
    {PROTO_VERB_LOCK, 32, "answer", parse_answer},
    {PROTO_VERB_UNLOCK, 8, "resource", parse_resource},
    {PROTO_VERB_DISCOVER, 16, "network", parse_network},
    {PROTO_VERB_MANAGEMENT, 8, "session", parse_session},
    {PROTO_VERB_MANAGEMENT, 8, "shutdown", parse_shutdown},
};

/* FLoM's rules: a known tag that does not belong to this verb/step is
 * ignored whatever its attributes; an unknown tag is ignored only if it
 * has no attributes. The root tag name counts as unknown in the body. */
static int parse_body_tag(struct parser *p, const char *tag, const char **names,
                          const char **values)
{
    const struct proto_msg *msg = p->msg;
    bool known = false;

    for (size_t i = 0; i < G_N_ELEMENTS(body_tags); i++) {
        if (strcmp(tag, body_tags[i].tag) != 0)
            continue;
        if (msg->verb == body_tags[i].verb && msg->step == body_tags[i].step)
            return body_tags[i].parse(p, names, values);
        known = true;
    }
    return known || names[0] == NULL ? 0 : INVALID;
}

static void on_start(G_GNUC_UNUSED GMarkupParseContext *ctx, const char *tag,
                     const char **names, const char **values, void *data,
                     GError **error)
{
    struct parser *p = data;
    int rc;

    /* One root, <msg>, and nothing after it: anything else is not FLoM. */
    if (p->msg_done)
        rc = INVALID;
    else if (p->depth == 0)
        rc =
            strcmp(tag, "msg") == 0 ? parse_msg_tag(p, names, values) : INVALID;
    else
        rc = parse_body_tag(p, tag, names, values);
    p->depth++;
    if (rc != 0) {
        p->rc = rc;
        g_set_error_literal(error, G_MARKUP_ERROR,
                            G_MARKUP_ERROR_INVALID_CONTENT, "rejected");
    }
}

static void on_end(G_GNUC_UNUSED GMarkupParseContext *ctx,
                   G_GNUC_UNUSED const char *tag, void *data,
                   G_GNUC_UNUSED GError **error)
{
    struct parser *p = data;

    /* GMarkup has checked that tags nest, so depth 0 is the root <msg>. */
    if (--p->depth == 0)
        p->msg_done = true;
}

static const GMarkupParser parser_callbacks = {
    .start_element = on_start,
    .end_element = on_end,
};

/* Messages FLoM would have to act on but could not: refused here so that
 * the daemon and client never see a request without its resource name,
 * an answer without <answer>, and so on. */
static bool is_complete(const struct proto_msg *msg)
{
    switch (msg->verb) {
    case PROTO_VERB_LOCK:
        if (msg->step == 8)
            return msg->has_resource && msg->name != NULL;
        if (msg->step == 16 || msg->step == 24 || msg->step == 32)
            return msg->has_answer;
        return true;
    case PROTO_VERB_UNLOCK:
        return msg->step != 8 || (msg->has_resource && msg->name != NULL);
    case PROTO_VERB_DISCOVER:
        return msg->step != 16 || msg->has_network;
    case PROTO_VERB_MANAGEMENT:
        return msg->step != 8 || msg->has_shutdown;
    default:
        return true;
    }
}

static int run_parser(struct parser *p, const char *buf, size_t len)
{
    GMarkupParseContext *ctx =
        g_markup_parse_context_new(&parser_callbacks, 0, p, NULL);
    bool ok = g_markup_parse_context_parse(ctx, buf, (gssize)len, NULL) &&
              g_markup_parse_context_end_parse(ctx, NULL);

    g_markup_parse_context_free(ctx);
    if (p->rc != 0)
        return p->rc;
    if (!ok || !p->msg_done || !is_complete(p->msg))
        return INVALID;
    return 0;
}

int proto_decode(const char *buf, size_t len, struct proto_msg *msg)
{
    struct parser p = {.msg = msg};
    int rc, level;

    memset(msg, 0, sizeof(*msg));
    /* The size check bounds the parser's work and memory. NUL is refused
     * up front: XML forbids it, and GMarkup does not document what it
     * makes of one. */
    if (buf == NULL || len == 0 || len > PROTO_MAX_MSG ||
        memchr(buf, '\0', len) != NULL)
        return INVALID;
    rc = run_parser(&p, buf, len);
    if (rc == 0)
        return 0;
    level = msg->level;
    proto_msg_clear(msg);
    if (rc == FLOM_RC_PROTOCOL_LEVEL_MISMATCH)
        msg->level = level;
    return rc;
}
