/* White-box invariants of the TCP engine's state, for the fuzzers (and any
 * host test): what must hold between any two calls into the stack. */
#ifndef KEEL_TESTS_TCP_INVARIANTS_H
#define KEEL_TESTS_TCP_INVARIANTS_H
#include <stddef.h>
#include <stdint.h>
#include "keel.h"

/* NULL when everything holds, else what broke (a static buffer). */
const char *tcp_invariants(const struct keel *k);
/* Pools in use, all four summed. */
unsigned tcp_pools_in_use(const struct keel *k);
#endif
