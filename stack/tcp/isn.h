/* Initial sequence numbers, RFC 6528 section 3:
 *     ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
 * M is a clock ticking every 4 microseconds (now_ms * 250); F is SipHash-2-4
 * of the 4-tuple truncated to 32 bits.  Successive connections of one
 * 4-tuple get increasing ISNs (old duplicates stay outside the window,
 * RFC 9293 3.4.1), while an off-path attacker cannot predict another
 * tuple's ISN without the key. */
#ifndef KEEL_ISN_H
#define KEEL_ISN_H
#include <stdint.h>

#define ISN_TICKS_PER_MS 250u   /* M's 4 us ticks per millisecond */

/* F before truncation: SipHash-2-4 of laddr, lport, raddr, rport (network
 * order, 12 bytes).  The ISN takes the low 32 bits; the timestamp offset
 * (tcp_ts.c) the high 32 -- two halves of one PRF output, as unrelated
 * as two outputs, so one SipHash per SYN serves both (the stack keeps the
 * last one: tcp_isn_for, tcp_ts.c).  Addresses and ports in host byte order. */
uint64_t tcp_isn_hash(const uint8_t key[16], uint32_t laddr, uint16_t lport, uint32_t raddr,
		      uint16_t rport);

/* Addresses and ports in host byte order.  key: the boot-time secret; it
 * must differ per boot (RFC 6528 recommends a fresh key at reboot). */
uint32_t tcp_isn(const uint8_t key[16], uint32_t laddr, uint16_t lport,
		 uint32_t raddr, uint16_t rport, uint32_t now_ms);

/* keel's clock moves in milliseconds, M in 4 us ticks: two ISNs for one
 * 4-tuple in the same millisecond would be equal.  The stack hands out
 * the 250 ticks of a millisecond one per ISN instead (up to the last one,
 * so no ISN reaches the next millisecond's): successive ISNs of a 4-tuple
 * strictly increase as long as fewer than 250 are made in a millisecond. */
struct isn_clock {
	uint32_t ms;             /* the millisecond of the last ISN */
	uint8_t ticks;           /* ticks of it handed out after the first */
};
/* M for the next ISN, with the tick handed out: tcp_isn_next less F.
 * Inline: a few instructions, once per connection. */
static inline uint32_t tcp_isn_clock(struct isn_clock *c, uint32_t now_ms)
{
	if (c->ms != now_ms) {
		c->ms = now_ms;
		c->ticks = 0;
	} else if (c->ticks < ISN_TICKS_PER_MS - 1u) {
		c->ticks++;
	}
	return now_ms * ISN_TICKS_PER_MS + c->ticks;
}
uint32_t tcp_isn_next(struct isn_clock *c, const uint8_t key[16], uint32_t laddr, uint16_t lport,
		      uint32_t raddr, uint16_t rport, uint32_t now_ms);
#endif
