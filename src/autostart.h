/*
 * Starting a daemon from the flom command (spec §4.2): fork twice, new
 * session, and wait for the daemon's readiness report on a pipe instead of
 * sleeping and hoping.
 */
#ifndef FLOM_AUTOSTART_H
#define FLOM_AUTOSTART_H

#include "config.h"

/* Starts a daemon with cfg and waits until it listens (or reports that
 * another daemon already serves). Returns FLOM_RC_OK or a FLOM_RC_*. */
int autostart_daemon(const struct flom_config *cfg);

#endif
