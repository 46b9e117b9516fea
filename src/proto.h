/*
 * The wire codec of FLoM 1.7.2, protocol level 3 (spec §5): messages to and
 * from plain structs. Pure: no I/O. Framing is by the "</msg>" suffix.
 */
#ifndef FLOM_PROTO_H
#define FLOM_PROTO_H

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "names.h"

#define PROTO_LEVEL 3
/* What we accept from a peer (spec §5.1 "robust": reject >= 1024 bytes). */
#define PROTO_MAX_MSG 1023
/* What FLoM's daemon can receive: we never emit anything longer. */
#define PROTO_MAX_EMIT 511

enum proto_verb {
    PROTO_VERB_LOCK = 1,
    PROTO_VERB_UNLOCK = 2,
    PROTO_VERB_PING = 3,
    PROTO_VERB_DISCOVER = 4,
    PROTO_VERB_MANAGEMENT = 5,
};

/* One decoded message. Only the fields that belong to its verb/step are
 * meaningful; integer attributes that were absent are 0, strings NULL. */
struct proto_msg {
    int level;
    int verb;
    int step;
    char *peerid;           /* <session peerid=".."/>, NULL if absent */
    /* lock/8 and unlock/8: <resource .../> */
    char *name;             /* base64-decoded resource name */
    int mode;               /* absent -> 0 (NL), as FLoM */
    int wait;
    int quantity;           /* absent -> 0 */
    int create;
    int lifespan;
    int rollback;
    bool has_resource;
    /* lock/16, 24, 32: <answer rc=".." element=".."/> */
    int rc;
    char *element;
    bool has_answer;
    /* discover/16: <network address=".." port=".."/> */
    char *address;
    int port;
    bool has_network;
    /* management/8: <shutdown immediate=".."/> */
    int immediate;
    bool has_shutdown;
};

/* Frees the strings of msg and zeroes it. */
void proto_msg_clear(struct proto_msg *msg);

/* Finds the first complete message in buf. Leading bytes before '<'
 * (whitespace from lenient peers) are skipped and reported in *skip.
 * Returns the length of the message (from "<" to the end of "</msg>"),
 * 0 if more bytes are needed, or -1 if no "</msg>" can end within
 * PROTO_MAX_MSG bytes (the peer is talking garbage or too much).
 * Details: every byte before the first '<' counts as skippable, not only
 * whitespace (the decoder judges what follows); with no '<' at all, *skip
 * is len and the caller may drop the whole buffer. The message is buf +
 * *skip, and the next one starts at *skip + the return value. At most
 * PROTO_MAX_MSG bytes after the '<' are searched: O(len), never past len.
 * skip may be NULL. */
ssize_t proto_frame(const char *buf, size_t len, size_t *skip);

/* Decodes exactly one message of len bytes (as delimited by proto_frame).
 * Returns 0, FLOM_RC_PROTOCOL_LEVEL_MISMATCH (msg->level is set) or
 * FLOM_RC_MSG_DESERIALIZE_ERROR. Applies FLoM's rules of spec §5.3
 * (unknown attributes on msg/session/resource/answer ignored, on
 * network/shutdown invalid; lock-only attributes in unlock invalid, ...).
 *
 * msg is overwritten without being freed: pass a zeroed or cleared one,
 * and call proto_msg_clear() after use (harmless after an error too; on
 * error nothing is left allocated, on a level mismatch only msg->level is
 * set). Beyond spec §5.3:
 *  - Unknown verbs and steps decode (return 0, verb/step set, no body
 *    field set): the caller refuses them, as it knows the direction and
 *    state. Their known tags are ignored; an unknown tag with attributes
 *    still makes the message invalid.
 *  - A <msg> without level is a level mismatch with msg->level == 0.
 *  - Invalid: len 0 or > PROTO_MAX_MSG, a NUL byte, bad UTF-8, a root
 *    other than <msg>, anything after "</msg>", a repeated <session>,
 *    <resource>, <answer>, <network> or <shutdown>; a <network> port
 *    outside 0..65535; a name whose base64 decodes to a NUL byte.
 *  - Mandatory parts: lock/8 and unlock/8 need <resource> with a name
 *    (so msg->name is non-NULL when 0 is returned; it may be "", which
 *    the daemon refuses as an invalid name); lock/16, 24 and 32 need
 *    <answer>; discover/16 needs <network>; management/8 needs
 *    <shutdown>. <session> is optional (peerid NULL if absent).
 *  - Integers: strtol(..., 10), clamped to int. A repeated attribute in
 *    one tag: the last one wins. The "<?xml ...?>" prolog is optional. */
int proto_decode(const char *buf, size_t len, struct proto_msg *msg);

/* Encoders append one message, byte-exact as FLoM 1.7.2 writes it.
 * NULL strings are written as "". String values (peerid, element,
 * address) are written raw as FLoM does, except that '&', '<' and '"'
 * are escaped so that the message stays parseable. The encoders never
 * refuse: a caller sending to a FLoM peer must check that what was
 * appended is at most PROTO_MAX_EMIT bytes (a lock request with a name of
 * more than about 240 bytes is not). */

/* lock/8. The attributes sent depend on the resource type (spec §5.3):
 * mode for simple/hierarchical, quantity for numeric. */
void proto_encode_lock(GString *out, const char *peerid, const char *name,
                       enum rsrc_type type, int mode, bool wait, int quantity,
                       bool create, int lifespan);
/* lock/16 (with <session>), lock/24 and lock/32 (without). element may be
 * NULL. */
void proto_encode_answer(GString *out, int step, const char *peerid, int rc,
                         const char *element);
/* unlock/8 */
void proto_encode_unlock(GString *out, const char *name, bool rollback);
/* discover/8 and discover/16 */
void proto_encode_discover(GString *out);
void proto_encode_discover_reply(GString *out, const char *address, int port);
/* management/8 */
void proto_encode_shutdown(GString *out, const char *peerid, bool immediate);
/* ping/16, the answer to a ping/8 */
void proto_encode_ping_reply(GString *out);

#endif
