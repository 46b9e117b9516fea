/*
 * The client role of the flom command: connect to (or start) the daemon,
 * lock, run the command, unlock (spec §1.3 steps 13-21).
 */
#ifndef FLOM_EXEC_H
#define FLOM_EXEC_H

#include "config.h"

/* Runs command (NULL-terminated argv; may be empty) under the configured
 * lock and returns flom's exit status. */
int exec_run(const struct flom_config *cfg, char **command);

/* -x / -X: prints "Starting FLoM daemon ... shutdown...", asks the daemon
 * and returns the exit status (0, or 99 when no daemon answers). */
int exec_shutdown(const struct flom_config *cfg, bool immediate);

#endif
