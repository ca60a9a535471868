/* Boot-time entropy for board_seed.  Neither board has a TRNG, so the seed
 * mixes what differs between boots and boards: the MAC, a boot counter that
 * survives warm resets, the SysTick phase and the board's extra sources.
 * Under QEMU the SysTick phase follows host timing, so it varies per run;
 * on silicon without a TRNG this is weak and documented as such. */
#include <stdint.h>
#include "cortex_m.h"
#include "seed.h"

__attribute__((section(".noinit"))) static uint32_t boot_count;

static uint32_t fmix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

void seed_mix(uint8_t seed[16], const uint32_t *words, unsigned n)
{
	uint32_t s[4] = {0x6b65656cu, 0x73656564u, boot_count++, SYST_CVR};
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < 4; j++)
			s[j] = fmix32(s[j] ^ words[i] ^ (s[(j + 1) & 3] << 7) ^ (i * 4 + j));
	s[0] ^= fmix32(SYST_CVR);   /* phase again, after the work above */
	for (unsigned j = 0; j < 4; j++) {
		uint32_t v = fmix32(s[j] + s[(j + 3) & 3]);
		seed[4 * j] = (uint8_t)v;
		seed[4 * j + 1] = (uint8_t)(v >> 8);
		seed[4 * j + 2] = (uint8_t)(v >> 16);
		seed[4 * j + 3] = (uint8_t)(v >> 24);
	}
}
