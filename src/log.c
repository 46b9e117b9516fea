/*
 * Logging and tracing (see log.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static FILE *trace_out;      /* NULL: stderr */
static bool trace_off;
static log_sink_fn log_sink; /* NULL: a client process */

unsigned trace_mask(void)
{
    static int loaded;
    static unsigned mask;

    if (!loaded) {
        const char *env = getenv("FLOM_TRACE_MASK");
        mask = env ? (unsigned)strtoul(env, NULL, 0) : 0;
        loaded = 1;
    }
    return mask;
}

void trace_redirect(const char *path, bool append)
{
    FILE *f;

    if (path == NULL) {
        trace_off = false;
        return;
    }
    if (path[0] == '\0') {
        trace_disable();
        return;
    }
    f = fopen(path, append ? "ae" : "we");
    if (f == NULL)
        return; /* keep the previous destination, as FLoM does */
    setvbuf(f, NULL, _IOLBF, 0);
    if (trace_out != NULL)
        fclose(trace_out);
    trace_out = f;
    trace_off = false;
}

void trace_disable(void)
{
    trace_off = true;
}

void trace_printf(unsigned module, const char *fmt, ...)
{
    struct timeval tv;
    struct tm tm;
    char stamp[32];
    FILE *out = trace_out ? trace_out : stderr;
    va_list ap;
    int saved = errno;

    if (trace_off)
        return;
    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(out, "%s.%06ld [%d/%#x] ", stamp, (long)tv.tv_usec, (int)getpid(),
            module);
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
    errno = saved;
}

void log_set_sink(log_sink_fn sink)
{
    log_sink = sink;
}

void log_event(int priority, const char *msgid, const char *fmt, ...)
{
    char *text;
    va_list ap;
    int saved = errno;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    TRACE(TRACE_DAEMON, "log[%d] %s%s%s", priority, msgid ? msgid : "",
          msgid ? " " : "", text);
    if (log_sink != NULL)
        log_sink(priority, msgid, text);
    else if (priority <= LOG_WARNING)
        /* a client process only tells what its user would want to see */
        fprintf(stderr, "flom: %s\n", text);
    g_free(text);
    errno = saved;
}
