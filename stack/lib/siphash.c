/* SipHash-2-4: 2 compression rounds per 8-byte word, 4 finalization rounds.
 * Words are little-endian, as the paper specifies: on a little-endian CPU
 * one memcpy (a plain load where the core allows unaligned ones, byte
 * loads where it does not), elsewhere assembled byte by byte.  The rounds
 * are forced inline: under -Os a call per round, with the state in
 * memory, was most of a SYN's hashing (one hash per SYN, RFC 6528). */
#include "siphash.h"

struct sip_state {
	uint64_t v0, v1, v2, v3;
};

static uint64_t rotl64(uint64_t x, unsigned n)
{
	return (x << n) | (x >> (64u - n));
}

static inline __attribute__((always_inline)) uint64_t load_le64(const uint8_t *p)
{
	uint64_t w;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	__builtin_memcpy(&w, p, 8);
#else
	w = 0;
	for (unsigned i = 0; i < 8; i++)
		w |= (uint64_t)p[i] << (8u * i);
#endif
	return w;
}

/* The last 0..7 bytes as the low bytes of a little-endian word: by 4, 2
 * and 1 bytes, not a byte at a time (a 12-byte 4-tuple, an ISN's input,
 * leaves 4 -- one load, where the byte loop cost ~45 instructions). */
static inline __attribute__((always_inline)) uint64_t load_le_tail(const uint8_t *p, size_t n)
{
	uint64_t w = 0;
	unsigned sh = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n & 4u) {
		uint32_t v;
		__builtin_memcpy(&v, p, 4);
		w = v;
		p += 4;
		sh = 32;
	}
	if (n & 2u) {
		uint16_t v;
		__builtin_memcpy(&v, p, 2);
		w |= (uint64_t)v << sh;
		p += 2;
		sh += 16;
	}
	if (n & 1u)
		w |= (uint64_t)p[0] << sh;
#else
	for (; sh < 8u * n; sh += 8, p++)
		w |= (uint64_t)p[0] << sh;
#endif
	return w;
}

/* SipRound: the ARX network of the paper's Figure 2.1. */
static inline __attribute__((always_inline)) void sip_round(struct sip_state *s)
{
	s->v0 += s->v1; s->v1 = rotl64(s->v1, 13); s->v1 ^= s->v0; s->v0 = rotl64(s->v0, 32);
	s->v2 += s->v3; s->v3 = rotl64(s->v3, 16); s->v3 ^= s->v2;
	s->v0 += s->v3; s->v3 = rotl64(s->v3, 21); s->v3 ^= s->v0;
	s->v2 += s->v1; s->v1 = rotl64(s->v1, 17); s->v1 ^= s->v2; s->v2 = rotl64(s->v2, 32);
}

static inline __attribute__((always_inline)) void sip_compress(struct sip_state *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

/* The whole function, inlined into each entry point: with len a
 * constant (siphash24_12) the block loop and the tail's tests fold away. */
static inline __attribute__((always_inline)) uint64_t sip_hash(const uint8_t key[16], const uint8_t *msg,
							       size_t len)
{
	const uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);
	/* Initialization constants: "somepseudorandomlygeneratedbytes". */
	struct sip_state s = {
		.v0 = k0 ^ 0x736f6d6570736575ull,
		.v1 = k1 ^ 0x646f72616e646f6dull,
		.v2 = k0 ^ 0x6c7967656e657261ull,
		.v3 = k1 ^ 0x7465646279746573ull,
	};
	size_t off = 0;

	for (; len - off >= 8; off += 8)
		sip_compress(&s, load_le64(msg + off));

	/* Last word: the remaining 0..7 bytes, then len mod 256 in the top byte. */
	sip_compress(&s, load_le_tail(msg + off, len - off) | (uint64_t)(len & 0xff) << 56);

	s.v2 ^= 0xff;
	sip_round(&s);     /* four finalization rounds, unrolled: no loop */
	sip_round(&s);
	sip_round(&s);
	sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint64_t siphash24(const uint8_t key[16], const uint8_t *msg, size_t len)
{
	return sip_hash(key, msg, len);
}

uint64_t siphash24_12(const uint8_t key[16], const uint8_t msg[12])
{
	return sip_hash(key, msg, 12);
}
