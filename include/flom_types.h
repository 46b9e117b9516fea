/*
 * flom - free lock manager
 * Public types shared by the C API and the flom command.
 */
#ifndef FLOM_TYPES_H
#define FLOM_TYPES_H

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* DLM lock modes, with the numeric values used on the wire. */
typedef enum flom_lock_mode_e {
    FLOM_LOCK_MODE_NL = 0,
    FLOM_LOCK_MODE_CR = 1,
    FLOM_LOCK_MODE_CW = 2,
    FLOM_LOCK_MODE_PR = 3,
    FLOM_LOCK_MODE_PW = 4,
    FLOM_LOCK_MODE_EX = 5,
    FLOM_LOCK_MODE_N = 6,
    FLOM_LOCK_MODE_INVALID = 7
} flom_lock_mode_t;

#ifdef __cplusplus
}
#endif

#endif
