/* The Internet checksum (RFC 1071).
 *
 * The one's-complement sum is byte-order independent (RFC 1071 §2(B)): we
 * add 32-bit words in the CPU's own order into a 64-bit accumulator, fold
 * it to 32 bits, and swap once at the end on a little-endian CPU (to 16
 * bits only in csum_fold).  Words are read with memcpy, never through a
 * cast: the buffer may be at any alignment and Cortex-M0 faults on
 * unaligned loads (GCC turns the memcpy into one LDR where the core
 * allows it, into byte loads where it does not).  It is
 * __builtin_memcpy so that it stays inline whatever the flags: under
 * -ffreestanding GCC makes a plain memcpy a library call, one per word,
 * and this loop is most of the stack's per-segment instructions. */
#include <string.h>
#include "byteorder.h"
#include "checksum.h"

/* Folds a 64-bit sum to 32 bits with end-around carry; congruent modulo
 * 0xffff (2^32 = 1 there).  The first step leaves at most 2^33 - 2, the
 * second then fits 32 bits. */
static uint32_t fold32(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

static inline __attribute__((always_inline)) uint32_t load_native32(const uint8_t *p)
{
	uint32_t w;
	__builtin_memcpy(&w, p, 4);
	return w;
}

#if defined(__GNUC__) && defined(__thumb2__) && \
	(defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__))
#define CSUM_LDM 1
/* Cortex-M3/M4: 16 bytes a round, LDM and one add-with-carry chain (the
 * carry of each add goes into the next, and TEQ leaves it alone), so 7
 * instructions per 16 bytes against 18 for the C loop -- the checksum is
 * most of the work a data segment costs.  p must be word-aligned (LDM
 * faults otherwise); n16 >= 1 rounds.  Returns a 32-bit partial sum. */
static uint32_t sum_blocks16(const uint8_t *p, size_t n16)
{
	const uint8_t *end = p + n16 * 16u;
	uint32_t s = 0;
	/* LDM's register list must ascend; the sum does not care which
	 * word lands where. */
	register uint32_t a __asm__("r4"), b __asm__("r5"), c __asm__("r6"), d __asm__("r7");
	__asm__("adds %[s], %[s], #0\n"          /* carry clear */
		"1: ldmia %[p]!, {%[a], %[b], %[c], %[d]}\n"
		"adcs %[s], %[s], %[a]\n"
		"adcs %[s], %[s], %[b]\n"
		"adcs %[s], %[s], %[c]\n"
		"adcs %[s], %[s], %[d]\n"
		"teq %[p], %[e]\n"
		"bne 1b\n"
		"adc %[s], %[s], #0\n"
		: [s] "+&r"(s), [p] "+&r"(p), [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d)
		: [e] "r"(end), "m"(*(const uint8_t(*)[])p)
		: "cc");
	return s;
}
#endif

/* n is a multiple of 4. */
static uint32_t sum_words(const uint8_t *p, size_t n)
{
	uint64_t acc = 0;
#ifdef CSUM_LDM
	/* Frames sit at 2 mod 4 after the 14-byte Ethernet header: one
	 * halfword first aligns the rest (the sum is of 16-bit lanes, so
	 * a halfword shift changes nothing), and one closes it. */
	if (((uintptr_t)p & 3u) == 2u && n >= 20) {
		uint16_t h;
		__builtin_memcpy(&h, p, 2);
		acc += h;
		p += 2;
		n -= 2;
	}
	if (((uintptr_t)p & 3u) == 0 && n >= 16) {
		size_t blocks = n / 16u;
		acc += sum_blocks16(p, blocks);
		p += blocks * 16u;
		n -= blocks * 16u;
	}
#else
	/* 16 bytes per round; 2^32 words would be needed to overflow. */
	for (; n >= 16; n -= 16, p += 16)
		acc += (uint64_t)load_native32(p) + load_native32(p + 4) +
		       load_native32(p + 8) + load_native32(p + 12);
#endif
	for (; n >= 4; n -= 4, p += 4)
		acc += load_native32(p);
	if (n >= 2) {                       /* only after the aligning halfword */
		uint16_t h;
		__builtin_memcpy(&h, p, 2);
		acc += h;
	}
	uint32_t s = fold32(acc);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Swapping the bytes of a 16-bit lane multiplies it by 256 modulo
	 * 0xffff, so swapping both lanes of the 32-bit sum is the swap of
	 * its 16-bit fold: the fold waits for csum_fold. */
	s = ((s & 0x00ff00ffu) << 8) | ((s >> 8) & 0x00ff00ffu);
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
	/* Two 32-bit sums and at most 0x1feff: fold32 keeps it exact. */
	return fold32(s);
}

/* The 20 bytes of an option-less IPv4 header, the one length every
 * datagram in and out has: five words straight, none of the general
 * loop's length tests (that loop cost ~4x as many instructions here). */
uint32_t csum_ipv4_hdr(const uint8_t *p)
{
	uint64_t acc = (uint64_t)load_native32(p) + load_native32(p + 4) + load_native32(p + 8) +
		       load_native32(p + 12) + load_native32(p + 16);
	uint32_t s = fold32(acc);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = ((s & 0x00ff00ffu) << 8) | ((s >> 8) & 0x00ff00ffu);   /* as in sum_words */
#endif
	return s;
}


