/*
 * api-check: output helpers, in a second translation unit that includes
 * <flom.h> too (FLoM's header broke such programs at link time).
 */
#ifndef API_CHECK_H
#define API_CHECK_H

#include <flom.h>

/* One result a line, "key=value", flushed at once (the sequence scenario
 * forks and aborts). */
void say_int(const char *key, int value);
void say_str(const char *key, const char *value);
/* key.rc=<rc> and key.state=<state> after an API call on h. */
void say_call(const char *key, int rc, const flom_handle_t *h);
/* Every property getter of h, "<prefix>.<property>=<value>". */
void say_properties(const char *prefix, const flom_handle_t *h);
/* A handle on the test's daemon: FLOM_API_SOCKET if set, else whatever
 * the configuration files say. */
flom_handle_t *handle_for(const char *resource, int timeout);

#endif
