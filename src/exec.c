/* placeholder: being written */
#include "exec.h"

int exec_run(const struct flom_config *cfg, char **command)
{
    return 99;
}

int exec_shutdown(const struct flom_config *cfg, bool immediate)
{
    return 99;
}
