/*
 * Resource names (spec §3.1). FLoM classifies a name with six POSIX
 * extended regular expressions tried in a fixed order; each matcher below
 * is a hand-written scanner for exactly one of them, so that the results
 * agree byte for byte without regcomp() and its locale dependence.
 */
#include <limits.h>
#include <string.h>

#include <glib.h>

#include "names.h"

/* [[:alpha:]] and [[:digit:]] in the C locale: ASCII only, whatever the
 * process locale is (isalpha() would follow setlocale()). */
static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* FLoM compiles with REG_NEWLINE, so "abc\n!!" is "simple" there; we refuse
 * every control character instead (spec §3.1, robust behaviour). */
static bool has_control_chars(const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

/* [[:alpha:]][[:alpha:][:digit:]]* : returns the end of the match or
 * NULL if p does not start with a letter. */
static const char *scan_ident(const char *p)
{
    if (!is_alpha(*p))
        return NULL;
    while (is_alpha(*p) || is_digit(*p))
        p++;
    return p;
}

/* \[[[:digit:]]+\] : returns the end of the match or NULL. */
static const char *scan_bracket(const char *p)
{
    if (*p++ != '[' || !is_digit(*p))
        return NULL;
    while (is_digit(*p))
        p++;
    return *p == ']' ? p + 1 : NULL;
}

/* True if p, possibly NULL after a failed scan, is the end of the name. */
static bool at_end(const char *p)
{
    return p != NULL && *p == '\0';
}

/* 1: ^_RESOURCE$|^([[:alpha:]][[:alpha:][:digit:]]*)$ */
static bool match_simple(const char *name)
{
    return strcmp(name, NAMES_DEFAULT_RESOURCE) == 0 ||
           at_end(scan_ident(name));
}

/* 2: ^IDENT\[([[:digit:]]+)\]$ */
static bool match_numeric(const char *name)
{
    const char *p = scan_ident(name);

    return p != NULL && at_end(scan_bracket(p));
}

/* 3: ^IDENT(\.IDENT)+$ */
static bool match_set(const char *name)
{
    const char *p = scan_ident(name);
    int dots = 0;

    while (p != NULL && *p == '.') {
        p = scan_ident(p + 1);
        dots++;
    }
    return dots > 0 && at_end(p);
}

/* 4: ^\/[^\/]+(\/[^\/]+)*$ - in a POSIX bracket the backslash is literal,
 * so [^\/] excludes both '/' and '\'. */
static bool match_hier(const char *name)
{
    const char *p = name;

    while (*p == '/') {
        const char *level = ++p;

        while (*p != '\0' && *p != '/' && *p != '\\')
            p++;
        if (p == level)
            return false;
    }
    return p != name && *p == '\0';
}

/* 5: ^_[sS]_IDENT\[([[:digit:]]+)\]$ */
static bool match_sequence(const char *name)
{
    const char *p;

    if (name[0] != '_' || (name[1] != 's' && name[1] != 'S') || name[2] != '_')
        return false;
    p = scan_ident(name + 3);
    return p != NULL && at_end(scan_bracket(p));
}

/* Characters after the first one of a timestamp format:
 * [%#\.\:[:alpha:][:digit:]] - the backslashes are literal members too.
 * flom also admits '-' (FLoM does not): users write dates as
 * "%Y%m%d-%H%M%S", and the project's issue asks for exactly that. */
static bool is_format_char(char c)
{
    return is_alpha(c) || is_digit(c) || strchr("%#.:\\-", c) != NULL;
}

/* 6: ^_[t]_([%#[:alpha:]][%#\.\:[:alpha:][:digit:]-]*)\[([[:digit:]]+)\]$ */
static bool match_timestamp(const char *name)
{
    const char *p;

    if (strncmp(name, "_t_", 3) != 0)
        return false;
    p = name + 3;
    if (!is_alpha(*p) && *p != '%' && *p != '#')
        return false;
    /* *p != '\0' guards strchr(), which would match the terminator. */
    for (p++; *p != '\0' && is_format_char(*p); p++)
        ;
    return at_end(scan_bracket(p));
}

static bool (*const matchers[])(const char *) = {
    [RSRC_TYPE_SIMPLE] = match_simple,
    [RSRC_TYPE_NUMERIC] = match_numeric,
    [RSRC_TYPE_SET] = match_set,
    [RSRC_TYPE_HIER] = match_hier,
    [RSRC_TYPE_SEQUENCE] = match_sequence,
    [RSRC_TYPE_TIMESTAMP] = match_timestamp,
};

enum rsrc_type names_classify(const char *name)
{
    if (name == NULL || *name == '\0' || has_control_chars(name))
        return RSRC_TYPE_NULL;
    /* FLoM's order decides: the first expression that matches wins. */
    for (int t = RSRC_TYPE_SIMPLE; t <= RSRC_TYPE_TIMESTAMP; t++)
        if (matchers[t](name))
            return (enum rsrc_type)t;
    return RSRC_TYPE_NULL;
}

const char *names_type_text(enum rsrc_type type)
{
    static const char *const texts[] = {
        [RSRC_TYPE_NULL] = "null",           [RSRC_TYPE_SIMPLE] = "simple",
        [RSRC_TYPE_NUMERIC] = "numeric",     [RSRC_TYPE_SET] = "set",
        [RSRC_TYPE_HIER] = "hierarchical",   [RSRC_TYPE_SEQUENCE] = "sequence",
        [RSRC_TYPE_TIMESTAMP] = "timestamp",
    };

    if ((int)type < 0 || (size_t)type >= G_N_ELEMENTS(texts))
        return texts[RSRC_TYPE_NULL];
    return texts[type];
}

bool names_is_reserved(const char *name)
{
    return name != NULL && strcmp(name, NAMES_DEFAULT_RESOURCE) == 0;
}

char *names_resource_key(const char *name)
{
    enum rsrc_type type = names_classify(name);

    if (type == RSRC_TYPE_NULL)
        return NULL;
    /* Hierarchical names share one tree per first level (spec §3.1). */
    if (type == RSRC_TYPE_HIER)
        return g_strndup(name + 1, strcspn(name + 1, "/"));
    return g_strdup(name);
}

bool names_bracket_number(const char *name, int32_t *out)
{
    enum rsrc_type type = names_classify(name);
    int64_t value = 0;

    if (type != RSRC_TYPE_NUMERIC && type != RSRC_TYPE_SEQUENCE &&
        type != RSRC_TYPE_TIMESTAMP)
        return false;
    /* The classifier guarantees "[digits]" at the end and no other '['. */
    for (const char *p = strrchr(name, '[') + 1; *p != ']'; p++) {
        value = value * 10 + (*p - '0');
        if (value > INT32_MAX)
            value = INT32_MAX; /* saturate, as strtol() does at its limit */
    }
    *out = (int32_t)value;
    return true;
}

char **names_set_elements(const char *name)
{
    if (names_classify(name) != RSRC_TYPE_SET)
        return NULL;
    return g_strsplit(name, ".", -1);
}

char **names_hier_levels(const char *name)
{
    if (names_classify(name) != RSRC_TYPE_HIER)
        return NULL;
    /* Skip the leading '/': levels are never empty, so no empty strings. */
    return g_strsplit(name + 1, "/", -1);
}

bool names_sequence_is_transactional(const char *name)
{
    return names_classify(name) == RSRC_TYPE_SEQUENCE && name[1] == 'S';
}

char *names_timestamp_format(const char *name)
{
    if (names_classify(name) != RSRC_TYPE_TIMESTAMP)
        return NULL;
    /* The format cannot contain '[', so the last '[' starts the number. */
    return g_strndup(name + 3, (size_t)(strrchr(name, '[') - (name + 3)));
}
