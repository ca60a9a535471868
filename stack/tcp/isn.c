/* RFC 6528 ISN generator; see isn.h. */
#include "isn.h"
#include "byteorder.h"
#include "siphash.h"

/* 4 us ticks per millisecond. */
#define ISN_TICKS_PER_MS 250u

uint32_t tcp_isn(const uint8_t key[16], uint32_t laddr, uint16_t lport,
		 uint32_t raddr, uint16_t rport, uint32_t now_ms)
{
	/* F's input, fixed network order: laddr, lport, raddr, rport. */
	uint8_t t[12];
	store_be32(t, laddr);
	store_be16(t + 4, lport);
	store_be32(t + 6, raddr);
	store_be16(t + 10, rport);
	uint32_t f = (uint32_t)siphash24_12(key, t);

	/* M wraps modulo 2^32 every ~4.77 h as RFC 6528 intends; since
	 * 2^32 * 250 is 0 mod 2^32, M also stays continuous when now_ms wraps. */
	return now_ms * ISN_TICKS_PER_MS + f;
}

uint32_t tcp_isn_next(struct isn_clock *c, const uint8_t key[16], uint32_t laddr, uint16_t lport,
		      uint32_t raddr, uint16_t rport, uint32_t now_ms)
{
	if (c->ms != now_ms) {
		c->ms = now_ms;
		c->ticks = 0;
	} else if (c->ticks < ISN_TICKS_PER_MS - 1u) {
		c->ticks++;
	}
	return tcp_isn(key, laddr, lport, raddr, rport, now_ms) + c->ticks;
}
