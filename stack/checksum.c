/* The Internet checksum (RFC 1071).
 *
 * The one's-complement sum is byte-order independent (RFC 1071 §2(B)): we
 * add 32-bit words in the CPU's own order into a 64-bit accumulator, fold,
 * and swap once at the end on a little-endian CPU.  Words are read with
 * memcpy, never through a cast: the buffer may be at any alignment and
 * Cortex-M0 faults on unaligned loads (GCC turns the memcpy into one LDR
 * where the core allows it, into byte loads where it does not). */
#include <string.h>
#include "byteorder.h"
#include "checksum.h"

/* Folds a sum to 16 bits with end-around carry; congruent modulo 0xffff. */
static uint32_t fold16(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffu) + (s >> 16);
	s = (s & 0xffffu) + (s >> 16);
	s = (s & 0xffffu) + (s >> 16);
	return (uint32_t)s;
}

static inline uint32_t load_native32(const uint8_t *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
	return w;
}

static uint32_t sum_words(const uint8_t *p, size_t n)
{
	uint64_t acc = 0;

	/* 16 bytes per round; 2^32 words would be needed to overflow. */
	for (; n >= 16; n -= 16, p += 16)
		acc += (uint64_t)load_native32(p) + load_native32(p + 4) +
		       load_native32(p + 8) + load_native32(p + 12);
	for (; n >= 4; n -= 4, p += 4)
		acc += load_native32(p);
	uint32_t s = fold16(acc);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = ((s & 0xffu) << 8) | (s >> 8);
#endif
	return s;
}

uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t s = sum;

	if (len >= 4) {
		size_t whole = len & ~(size_t)3;
		s += sum_words(p, whole);
		p += whole;
		len -= whole;
	}
	if (len >= 2) {
		s += load_be16(p);
		p += 2;
		len -= 2;
	}
	if (len)
		s += (uint32_t)p[0] << 8; /* odd byte: padded with zero (RFC 1071 §1) */
	/* 2^32 = 1 modulo 0xffff, so folding the carry keeps the sum exact;
	 * one fold suffices as at most 0x2fefe was added to a 32-bit sum. */
	return (uint32_t)((s & 0xffffffffu) + (s >> 32));
}

uint16_t csum_fold(uint32_t sum)
{
	return (uint16_t)~fold16(sum);
}

uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	return (src >> 16) + (src & 0xffffu) + (dst >> 16) + (dst & 0xffffu) +
	       proto + len;
}
