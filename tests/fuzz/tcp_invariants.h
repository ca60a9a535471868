/* White-box invariants of the TCP engine's state, for the fuzzers (and any
 * host test): what must hold between any two calls into the stack. */
#ifndef KEEL_TESTS_TCP_INVARIANTS_H
#define KEEL_TESTS_TCP_INVARIANTS_H
#include <stddef.h>
#include <stdint.h>
#include "keel.h"

/* NULL when everything holds, else what broke (a static buffer). */
const char *tcp_invariants(const struct keel *k);
/* The earliest deadline of any armed TCP timer; 0 when none is armed. */
int tcp_next_deadline(const struct keel *k, uint32_t *due);
/* Pools in use, all four summed. */
unsigned tcp_pools_in_use(const struct keel *k);
#endif
