/* placeholder: being written */
typedef int flom_placeholder_spawn;
