/*
 * flom: one binary, three roles. main() only chooses the role; cli.c builds
 * the configuration, exec.c runs a command under a lock (starting a daemon
 * through spawn.c when needed), client.c asks a daemon to shut down, and
 * debug.c runs the --debug-feature probes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "debug.h"
#include "exec.h"
#include "flom_errors.h"

int main(int argc, char **argv)
{
    struct cli cli = {0};
    int status = cli_prepare(&cli, argc, argv);

    if (status < 0) {
        switch (cli.action) {
        case CLI_ACTION_DEBUG:
            status = debug_run(&cli.cfg, cli.debug_feature);
            break;
        case CLI_ACTION_SHUTDOWN:
            status = exec_shutdown(&cli.cfg, cli.immediate);
            break;
        case CLI_ACTION_RUN:
        default:
            status = exec_run(&cli.cfg, cli.command);
            break;
        }
    }
    cli_clear(&cli);
    return status;
}
