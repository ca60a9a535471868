/* SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF",
 * 2012): a keyed 64-bit PRF, cheap on short inputs such as a TCP 4-tuple.
 * keel uses it for RFC 6528 ISNs and for SYN cookies. */
#ifndef KEEL_SIPHASH_H
#define KEEL_SIPHASH_H
#include <stddef.h>
#include <stdint.h>

/* key: 16 bytes (k0 = bytes 0..7, k1 = bytes 8..15, little-endian as in the
 * paper).  msg may be NULL when len is 0.  Reads bytes only, so msg and key
 * need no alignment. */
uint64_t siphash24(const uint8_t key[16], const uint8_t *msg, size_t len);
/* siphash24(key, msg, 12), the same value: an RFC 6528 ISN's 4-tuple,
 * once per SYN, with the length known (no block loop, one tail load). */
uint64_t siphash24_12(const uint8_t key[16], const uint8_t msg[12]);
#endif
