/*
 * Timestamp resources (spec §3.8): at most N holders, each handed the
 * current local time formatted by FORMAT, and never two values from the
 * same time slot (the resolution of the format). A waiter blocked only by
 * the slot is retried by the registry at next_retry.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "flom_errors.h"
#include "resource-kind.h"

#define USEC_PER_SEC 1000000L
#define FRACTION_MAX 6    /* #ffffff: microseconds */
#define STRFTIME_MAX 1000 /* FLoM's buffer: 999 bytes of output */
/* The element travels in a lock answer that must fit in 511 bytes. */
#define ELEMENT_MAX 300

struct timestamp {
    char *format;
    uint32_t max;         /* N: simultaneous holders */
    long slot_usec;       /* resolution below one second, or 0 */
    long slot_sec;        /* resolution in seconds, when slot_usec is 0 */
    struct timespec last; /* when the last value was generated; 0 at first */
    locale_t c_locale;    /* strftime in the C locale, whatever the daemon's */
};

static void clock_realtime(struct timespec *ts)
{
    clock_gettime(CLOCK_REALTIME, ts);
}

/* Test hook (resource-kind.h): the only mutable file-scope state. */
static void (*now_fn)(struct timespec *ts) = clock_realtime;

void timestamp_test_set_clock(void (*now)(struct timespec *ts))
{
    now_fn = now != NULL ? now : clock_realtime;
}

/* The longest #f... token in the format (capped at 6 f), 0 if none. */
static int fraction_digits(const char *format)
{
    int best = 0;

    for (const char *p = strchr(format, '#'); p; p = strchr(p + 1, '#')) {
        int k = (int)strspn(p + 1, "f");

        best = MAX(best, MIN(k, FRACTION_MAX));
    }
    return best;
}

static bool contains_any(const char *format, const char *const *tokens)
{
    for (; *tokens != NULL; tokens++)
        if (strstr(format, *tokens) != NULL)
            return true;
    return false;
}

/* Sets the slot from the finest field of the format (spec §3.8); false
 * when the format has no time field finer than a day. */
static bool timestamp_resolution(struct timestamp *t)
{
    static const char *const sec[] = {"%c", "%r", "%s", "%S", "%T", "%X", NULL};
    static const char *const min[] = {"%M", "%R", NULL};
    static const char *const hour[] = {"%H", "%I", NULL};
    int k = fraction_digits(t->format);

    if (k > 0) {
        t->slot_usec = 1;
        for (int i = k; i < FRACTION_MAX; i++)
            t->slot_usec *= 10;
        return true;
    }
    t->slot_sec = contains_any(t->format, sec)    ? 1
                  : contains_any(t->format, min)  ? 60
                  : contains_any(t->format, hour) ? 3600
                                                  : 0;
    return t->slot_sec != 0;
}

/* Replaces every #f...f token (k f, longest first) by '.' and the first k
 * digits of the microseconds, before strftime sees the format. */
static char *substitute_fractions(const char *format, long usec)
{
    char digits[24];
    char *cur = g_strdup(format);

    snprintf(digits, sizeof(digits), "%06ld", usec % USEC_PER_SEC);
    for (int k = FRACTION_MAX; k > 0; k--) {
        GString *out = g_string_new(NULL);

        for (const char *p = cur; *p != '\0';) {
            if (p[0] == '#' && strspn(p + 1, "f") >= (size_t)k) {
                g_string_append_c(out, '.');
                g_string_append_len(out, digits, k);
                p += 1 + k;
            } else {
                g_string_append_c(out, *p++);
            }
        }
        g_free(cur);
        cur = g_string_free(out, FALSE);
    }
    return cur;
}

/* The element for time ts; NULL when it does not fit. */
static char *timestamp_format(const struct timestamp *t,
                              const struct timespec *ts)
{
    g_autofree char *fmt = substitute_fractions(t->format, ts->tv_nsec / 1000);
    char buf[STRFTIME_MAX];
    time_t sec = ts->tv_sec;
    struct tm tm;
    size_t len;

    if (localtime_r(&sec, &tm) == NULL)
        return NULL;
    len = strftime_l(buf, sizeof(buf), fmt, &tm, t->c_locale);
    if (len == 0 || len > ELEMENT_MAX)
        return NULL;
    return g_strndup(buf, len);
}

static void timestamp_fini(struct resource *res)
{
    struct timestamp *t = res->state;

    if (t != NULL) {
        if (t->c_locale != (locale_t)0)
            freelocale(t->c_locale);
        g_free(t->format);
        g_free(t);
    }
    res->state = NULL;
}

/* Besides parsing, formats the current time once: a format whose output
 * cannot travel in an answer is refused now rather than at every grant. */
static int timestamp_init(struct resource *res, const char *name)
{
    struct timestamp *t = g_new0(struct timestamp, 1);
    g_autofree char *probe = NULL;
    struct timespec now;
    int32_t max;

    res->state = t;
    t->format = names_timestamp_format(name);
    t->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (t->format == NULL || !names_bracket_number(name, &max) || max < 0 ||
        t->c_locale == (locale_t)0 || !timestamp_resolution(t))
        goto fail;
    t->max = (uint32_t)max;
    tzset();
    now_fn(&now);
    if ((probe = timestamp_format(t, &now)) == NULL)
        goto fail;
    return 0;
fail:
    timestamp_fini(res);
    return FLOM_RC_RESOURCE_INIT_ERROR;
}

/* Is now in a later slot than the last value? (last = 0 at first.) */
static bool new_slot(const struct timestamp *t, const struct timespec *now)
{
    long now_us = now->tv_nsec / 1000, last_us = t->last.tv_nsec / 1000;

    if (t->slot_usec != 0)
        return now->tv_sec > t->last.tv_sec ||
               (now->tv_sec == t->last.tv_sec &&
                now_us / t->slot_usec > last_us / t->slot_usec);
    return now->tv_sec / t->slot_sec > t->last.tv_sec / t->slot_sec;
}

static bool timestamp_can_grant(const struct resource *res,
                                const struct lock_entry *e)
{
    const struct timestamp *t = res->state;
    struct timespec now;

    if (res->holders.length >= t->max)
        return false;
    now_fn(&now);
    return new_slot(t, &now);
}

static void timestamp_grant(struct resource *res, struct lock_entry *e)
{
    struct timestamp *t = res->state;
    struct timespec now;

    now_fn(&now);
    t->last = now;
    e->element = timestamp_format(t, &now);
    if (e->element == NULL) /* a time whose text grew past the limit */
        e->element = g_strdup("");
}

static void timestamp_release(struct resource *res, struct lock_entry *e)
{
}

/* The start of the slot after the last value's, when only the slot (not
 * the number of holders) keeps waiters out. */
static uint64_t timestamp_next_retry(const struct resource *res)
{
    const struct timestamp *t = res->state;
    uint64_t sec = (uint64_t)t->last.tv_sec, usec;

    if (res->holders.length >= t->max)
        return 0;
    if (t->slot_usec == 0)
        return (sec / t->slot_sec + 1) * t->slot_sec * USEC_PER_SEC;
    usec = (uint64_t)(t->last.tv_nsec / 1000);
    usec = (usec / t->slot_usec + 1) * t->slot_usec;
    return sec * USEC_PER_SEC + usec; /* usec == 10^6 normalises itself */
}

const struct resource_ops resource_timestamp_ops = {
    .type = RSRC_TYPE_TIMESTAMP,
    .init = timestamp_init,
    .fini = timestamp_fini,
    .can_grant = timestamp_can_grant,
    .grant = timestamp_grant,
    .release = timestamp_release,
    .next_retry = timestamp_next_retry,
};
