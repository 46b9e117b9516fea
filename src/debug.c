/* placeholder: being written */
#include "debug.h"

int debug_run(const struct flom_config *cfg, const char *name)
{
    return 1;
}
