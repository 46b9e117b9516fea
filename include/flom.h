/*
 * flom - free lock manager
 * The public C API (libflom), compatible with FLoM 1.7.2's <flom.h>:
 * include this header and link with -lflom (pkg-config libflom).
 * See libflom(3).
 */
#ifndef FLOM_H
#define FLOM_H

#include "flom_errors.h"
#include "flom_types.h"
#include "flom_handle.h"

#endif
