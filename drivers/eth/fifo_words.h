/* Moving frame bytes through a MAC's 32-bit data FIFO register.  Both
 * MACs here (Stellaris, LAN9118) carry bytes little-endian: the first
 * byte in bits 7:0.  Whole words go as one load/store each (memcpy of 4
 * is a single LDR/STR on ARMv7-M, which allows unaligned access; it falls
 * back to bytes elsewhere). */
#ifndef KEEL_FIFO_WORDS_H
#define KEEL_FIFO_WORDS_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Reads `words` FIFO words into buf, keeping the first len bytes; what
 * lies past len in the last words (FCS, padding) is read and dropped. */
static inline void fifo_read_bytes(const volatile uint32_t *fifo, uint32_t words, uint8_t *buf,
				   size_t len)
{
	size_t pos = 0;
	uint32_t i = 0;
	for (; i < words && pos + 4u <= len; i++, pos += 4u) {
		uint32_t w = *fifo;
		memcpy(buf + pos, &w, 4);
	}
	for (; i < words; i++) {
		uint32_t w = *fifo;
		for (uint32_t b = 0; b < 4u; b++, w >>= 8, pos++)
			if (pos < len)
				buf[pos] = (uint8_t)w;
	}
}

/* Writes len bytes as whole words, the last one zero-padded. */
static inline void fifo_write_bytes(volatile uint32_t *fifo, const uint8_t *p, size_t len)
{
	size_t i = 0;
	for (; i + 4u <= len; i += 4) {
		uint32_t w;
		memcpy(&w, p + i, 4);
		*fifo = w;
	}
	if (i < len) {
		uint32_t w = 0;
		for (uint32_t b = 0; i + b < len; b++)
			w |= (uint32_t)p[i + b] << (8u * b);
		*fifo = w;
	}
}
#endif
