/*
 * The daemon's log sink: the journal when the host runs one (with the
 * message id in a field of its own, FLOM_MSGID, to filter on), otherwise
 * syslog with the identity "flom", as FLoM's daemon.
 */
#include <syslog.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "log.h"

static void journal_sink(int priority, const char *msgid, const char *text)
{
    sd_journal_send("MESSAGE=%s%s%s", msgid ? msgid : "", msgid ? " " : "",
                    text, "PRIORITY=%d", priority, "FLOM_MSGID=%s",
                    msgid ? msgid : "", "SYSLOG_IDENTIFIER=flom", NULL);
}

static void syslog_sink(int priority, const char *msgid, const char *text)
{
    syslog(priority, "%s%s%s", msgid ? msgid : "", msgid ? " " : "", text);
}

void log_open_daemon(void)
{
    /* A daemon forked by a client on a host without systemd (containers)
     * has no journal: fall back to syslog. */
    if (access("/run/systemd/journal/socket", W_OK) == 0) {
        log_set_sink(journal_sink);
        return;
    }
    openlog("flom", LOG_PID, LOG_DAEMON);
    log_set_sink(syslog_sink);
}
