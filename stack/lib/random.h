/* Unpredictable numbers for the protocols that must not be guessed: DNS
 * transaction IDs and source ports (RFC 5452 §9.2), DHCP transaction IDs
 * and retransmission jitter (RFC 2131 §4.1), ARP probe timing (RFC 5227).
 * SipHash-2-4 keyed with the boot seed over a counter: a PRF in counter
 * mode, so outputs cannot be predicted from earlier ones without the key. */
#ifndef KEEL_RANDOM_H
#define KEEL_RANDOM_H
#include <stdint.h>

struct keel_random {
	uint8_t key[16];
	uint32_t counter;
};

struct keel;

void random_init(struct keel_random *r, const uint8_t seed[16]);
uint32_t keel_random32(struct keel *k);
/* Uniform enough in [lo, hi] for jitter and ports (hi - lo < 2^16). */
uint32_t keel_random_range(struct keel *k, uint32_t lo, uint32_t hi);
#endif
