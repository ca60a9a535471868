/* Explicit big-endian loads and stores over byte buffers.
 * Frames are never cast to packed structs: Cortex-M faults on some
 * unaligned accesses, and byte order must be visible at every use.
 * A field is one access through __builtin_memcpy plus a byte swap:
 * GCC makes that LDR/STR and REV where the core allows unaligned
 * accesses (Cortex-M3/M4: -munaligned-access, the default for v7-M),
 * byte accesses where it does not (Cortex-M0), and MOVBE/BSWAP on the
 * host.  Spelled as byte shifts, -Os kept every byte on Cortex-M (4
 * loads and 3 ORRs, or 4 stores and 3 shifts, per 32-bit field): ~30
 * instructions more per segment across the headers, ~100 per connection. */
#ifndef KEEL_BYTEORDER_H
#define KEEL_BYTEORDER_H
#include <stdint.h>

/* Host order to big-endian and back (the same swap).  The 16-bit one as
 * shifts: GCC makes it one rotate, and on the host it merged into the
 * stores around it better than __builtin_bswap16 did. */
static inline uint16_t be16_swap(uint16_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v;
#else
	return (uint16_t)(v << 8 | v >> 8);
#endif
}

static inline uint32_t be32_swap(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v;
#else
	return __builtin_bswap32(v);
#endif
}

static inline uint16_t load_be16(const uint8_t *p)
{
	uint16_t v;
	__builtin_memcpy(&v, p, 2);
	return be16_swap(v);
}

static inline uint32_t load_be32(const uint8_t *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, 4);
	return be32_swap(v);
}

static inline void store_be16(uint8_t *p, uint16_t v)
{
	v = be16_swap(v);
	__builtin_memcpy(p, &v, 2);
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	v = be32_swap(v);
	__builtin_memcpy(p, &v, 4);
}
#endif
