/*
 * Resource names: the grammar of spec §3.1 and what each kind's name
 * carries (totals, elements, levels, formats). Pure: no I/O, no globals.
 */
#ifndef FLOM_NAMES_H
#define FLOM_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* Type numbers as FLoM prints them in warnings (spec §3.1). */
enum rsrc_type {
    RSRC_TYPE_NULL = 0,   /* not a valid name */
    RSRC_TYPE_SIMPLE = 1,
    RSRC_TYPE_NUMERIC = 2,
    RSRC_TYPE_SET = 3,
    RSRC_TYPE_HIER = 4,
    RSRC_TYPE_SEQUENCE = 5,
    RSRC_TYPE_TIMESTAMP = 6,
};

#define NAMES_DEFAULT_RESOURCE "_RESOURCE"

/* Classifies a name by the rules of spec §3.1, tried in FLoM's order.
 * Names with control characters (newline included) are invalid (we do not
 * reproduce FLoM's REG_NEWLINE quirk). NULL or "" -> RSRC_TYPE_NULL. */
enum rsrc_type names_classify(const char *name);

/* "simple", "numeric", ... as in the VFS; "null" for RSRC_TYPE_NULL. */
const char *names_type_text(enum rsrc_type type);

/* True for the reserved default name, which users may not set. */
bool names_is_reserved(const char *name);

/* The key that identifies the resource in a daemon: the name itself, or
 * for hierarchical names the first level (without slashes). Returns a new
 * string, NULL for an invalid name. */
char *names_resource_key(const char *name);

/* The bracketed number of numeric, sequence and timestamp names
 * ("foo[12]" -> 12). Values above INT32_MAX saturate to INT32_MAX.
 * Returns false if the name has no bracketed number. */
bool names_bracket_number(const char *name, int32_t *out);

/* The elements of a set name, in order ("a.b.a" -> {"a","b","a"}).
 * NULL-terminated, free with g_strfreev. NULL if not a set name. */
char **names_set_elements(const char *name);

/* The levels of a hierarchical name ("/a/b c/d" -> {"a","b c","d"}).
 * NULL-terminated, free with g_strfreev. NULL if not hierarchical. */
char **names_hier_levels(const char *name);

/* True for "_S_..." (transactional) sequence names. */
bool names_sequence_is_transactional(const char *name);

/* The format of a timestamp name: the text between "_t_" and "[".
 * Returns a new string, NULL if not a timestamp name. */
char *names_timestamp_format(const char *name);

#endif
