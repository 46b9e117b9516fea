/*
 * Logging and tracing. Operator-relevant daemon events go to the journal
 * (when the process runs under systemd or the journal socket exists),
 * otherwise to syslog, with FLoM's stable message ids (FLM000I ...) as the
 * first word and as the MESSAGE_ID-like field FLOM_MSGID. Tracing
 * (FLOM_TRACE_MASK, spec §10.1) is for developers and users asking "why".
 */
#ifndef FLOM_LOG_H
#define FLOM_LOG_H

#include <glib.h>
#include <stdbool.h>
#include <syslog.h>

/* Trace module bits of spec §10.1. */
#define TRACE_GENERIC 0x00000001u
#define TRACE_CONFIG 0x00000002u
#define TRACE_EXEC 0x00000004u
#define TRACE_CLIENT 0x00000008u
#define TRACE_DAEMON 0x00000010u
#define TRACE_CONN 0x00000020u
#define TRACE_PARSER 0x00000040u
#define TRACE_MSG 0x00000080u
#define TRACE_LOCKER 0x00000100u
#define TRACE_NAMES 0x00000200u
#define TRACE_RSRC_SIMPLE 0x00000400u
#define TRACE_RSRC_NUMERIC 0x00000800u
#define TRACE_RSRC_SET 0x00001000u
#define TRACE_RSRC_HIER 0x00002000u
#define TRACE_RSRC_SEQUENCE 0x00004000u
#define TRACE_RSRC_TIMESTAMP 0x00008000u
#define TRACE_MGMT 0x00040000u
#define TRACE_API 0x00080000u
#define TRACE_DEBUG 0x00100000u
#define TRACE_TLS 0x00200000u
#define TRACE_TCP 0x00400000u

/* The mask read from FLOM_TRACE_MASK (strtoul base 0) at the first call. */
unsigned trace_mask(void);
/* Sends traces to path (NULL: stderr; "" disables). Keeps the previous
 * destination if path cannot be opened. */
void trace_redirect(const char *path, bool append);
void trace_disable(void);
void trace_printf(unsigned module, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

#define TRACE(module, ...)                                                     \
    do {                                                                       \
        if (G_UNLIKELY(trace_mask() & (module)))                               \
            trace_printf((module), __VA_ARGS__);                               \
    } while (0)

/* Where log_event() sends its events: a client process prints warnings
 * and errors on stderr; the daemon installs the journal or syslog. */
typedef void (*log_sink_fn)(int priority, const char *msgid, const char *text);
void log_set_sink(log_sink_fn sink);

/* Switches the process to daemon logging (journal or syslog "flom").
 * Defined in daemon-log.c, which only the daemon links (libsystemd). */
void log_open_daemon(void);
/* Logs one event; msgid is "FLM000I"-style or NULL. Printf-checked. */
void log_event(int priority, const char *msgid, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

#endif
