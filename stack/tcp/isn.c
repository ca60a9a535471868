/* RFC 6528 ISN generator; see isn.h. */
#include "isn.h"
#include "byteorder.h"
#include "siphash.h"

uint64_t tcp_isn_hash(const uint8_t key[16], uint32_t laddr, uint16_t lport, uint32_t raddr,
		      uint16_t rport)
{
	/* F's input, fixed network order: laddr, lport, raddr, rport. */
	uint8_t t[12];
	store_be32(t, laddr);
	store_be16(t + 4, lport);
	store_be32(t + 6, raddr);
	store_be16(t + 10, rport);
	return siphash24_12(key, t);
}

uint32_t tcp_isn(const uint8_t key[16], uint32_t laddr, uint16_t lport,
		 uint32_t raddr, uint16_t rport, uint32_t now_ms)
{
	/* M wraps modulo 2^32 every ~4.77 h as RFC 6528 intends; since
	 * 2^32 * 250 is 0 mod 2^32, M also stays continuous when now_ms wraps. */
	return now_ms * ISN_TICKS_PER_MS + (uint32_t)tcp_isn_hash(key, laddr, lport, raddr, rport);
}

uint32_t tcp_isn_next(struct isn_clock *c, const uint8_t key[16], uint32_t laddr, uint16_t lport,
		      uint32_t raddr, uint16_t rport, uint32_t now_ms)
{
	return tcp_isn_clock(c, now_ms) + (uint32_t)tcp_isn_hash(key, laddr, lport, raddr, rport);
}
