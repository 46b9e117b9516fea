/*
 * The flom command line (spec §1): options, the processing pipeline up to
 * the configuration check, and the one-shot outputs (-v, --signal-list,
 * --unique-id). What to do next is left to main.c.
 */
#ifndef FLOM_CLI_H
#define FLOM_CLI_H

#include <stdbool.h>

#include "config.h"

enum cli_action {
    CLI_ACTION_RUN,      /* lock, run the command, unlock */
    CLI_ACTION_SHUTDOWN, /* -x / -X */
    CLI_ACTION_DEBUG,    /* --debug-feature */
};

struct cli {
    struct flom_config cfg;
    enum cli_action action;
    char **command;       /* NULL-terminated, possibly empty */
    bool immediate;       /* -X given (wins over -x) */
    char *debug_feature;
};

/* Steps 1 to 11 of spec §1.3: parse options, print -v/--signal-list/
 * --unique-id, layer the configuration files and the command line into
 * cli->cfg, print the -V dump, run the configuration check. Prints every
 * message itself. Returns -1 when the caller must go on with cli->action,
 * otherwise the exit status to exit with. */
int cli_prepare(struct cli *cli, int argc, char **argv);

void cli_clear(struct cli *cli);

#endif
