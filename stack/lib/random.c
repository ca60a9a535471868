/* Counter-mode SipHash: see random.h. */
#include <string.h>
#include "keel.h"
#include "siphash.h"

void random_init(struct keel_random *r, const uint8_t seed[16])
{
	memcpy(r->key, seed, sizeof(r->key));
	r->key[0] ^= 0x5a;   /* a key of its own, apart from the ISN secret */
	r->counter = 0;
}

uint32_t keel_random32(struct keel *k)
{
	uint8_t msg[4] = {(uint8_t)k->rnd.counter, (uint8_t)(k->rnd.counter >> 8),
			  (uint8_t)(k->rnd.counter >> 16), (uint8_t)(k->rnd.counter >> 24)};
	k->rnd.counter++;
	uint64_t h = siphash24(k->rnd.key, msg, sizeof(msg));
	return (uint32_t)(h ^ (h >> 32));
}

uint32_t keel_random_range(struct keel *k, uint32_t lo, uint32_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + keel_random32(k) % (hi - lo + 1u);
}
