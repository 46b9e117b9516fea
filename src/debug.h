/*
 * --debug-feature=NAME probes (spec §7).
 */
#ifndef FLOM_DEBUG_H
#define FLOM_DEBUG_H

#include "config.h"

/* Runs the named probe; returns 0 on success, 1 on failure or unknown. */
int debug_run(const struct flom_config *cfg, const char *name);

#endif
