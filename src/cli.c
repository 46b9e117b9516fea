/* placeholder: being written */
#include "cli.h"

int cli_prepare(struct cli *cli, int argc, char **argv)
{
    return 99;
}

void cli_clear(struct cli *cli)
{
}
