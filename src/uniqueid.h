/*
 * The host's unique id (spec §8.1): the D-Bus machine id, 32 lowercase
 * hexadecimal characters, shared by every flom and FLoM process on a host.
 */
#ifndef FLOM_UNIQUEID_H
#define FLOM_UNIQUEID_H

#define UNIQUEID_LENGTH 32

/* The cached id, or "" when the host has none. Never NULL. */
const char *uniqueid_get(void);

#endif
