/* SYN cookies (RFC 4987 section 3.6): when the SYN queue is full (or
 * tcp_syncookies = 2), the listener keeps no state for a SYN; it answers
 * with a SYN-ACK whose ISN encodes what it needs, and rebuilds the
 * connection from the peer's ACK.  This file is only the codec; the bit
 * layout is documented at the top of syncookie.c.
 *
 * Notes for the TCP engine:
 *  - Keep one struct syncookie_keys in struct tcp_stack.  Call
 *    syncookie_init() once from tcp_init() with the boot seed, and
 *    syncookie_maybe_rotate() from tcp_tick() (cheap and idempotent; if
 *    ticks can lag, call it before syncookie_make/check too).  It must
 *    run at least once every 49 days (the 32-bit ms clock's period).
 *  - Address/port arguments are host byte order and named as in the
 *    *incoming* segment, for both calls: saddr/sport = the peer (source of
 *    the SYN and of its ACK), daddr/dport = our listening address/port.
 *  - On a SYN: iss = syncookie_make(ks, peer, pport, us, lport, SEG.SEQ,
 *    mss, now, &mss_used), where mss = the peer's MSS option (536 when it
 *    sent none, RFC 9293 3.7.1), already lowered to our own MSS if larger.
 *    Send the SYN-ACK with seq = iss, ack = SEG.SEQ+1 and advertise our MSS;
 *    the connection later uses mss_used (what the cookie remembers).
 *    Window scaling, SACK and timestamps are not encoded: a cookie
 *    connection runs without them.  Count SyncookiesSent.
 *  - On a bare ACK at a listener with no SYN-queue entry, when
 *    tcp_syncookies != 0 (Linux also skips it unless cookies were sent in
 *    the last couple of minutes, which limits blind guessing by ACK flood):
 *    syncookie_check(ks, peer, pport, us, lport, SEG.SEQ - 1, SEG.ACK - 1,
 *    now, &mss).  0: create the TCB (IRS = SEG.SEQ-1, ISS = SEG.ACK-1, MSS
 *    = mss) and count SyncookiesRecv; -1: count SyncookiesFailed and
 *    answer as a listener answers a stray ACK (RST, RFC 9293 3.10.7.2).
 *  - A cookie is accepted only while its age in 2^16 ms counter units is
 *    < SYNCOOKIE_MAX_AGE (so for 65.5 .. 131 s), and only under the current
 *    or the previous key. */
#ifndef KEEL_SYNCOOKIE_H
#define KEEL_SYNCOOKIE_H
#include <stdint.h>

/* Counter unit: 2^16 ms (65.536 s, Linux uses 60 s).  A power of two keeps
 * the counter continuous when the 32-bit millisecond clock wraps. */
#define SYNCOOKIE_COUNT_SHIFT 16
/* Accepted ages: 0 and 1 units, as Linux (MAX_SYNCOOKIE_AGE 2, diff < 2):
 * a cookie lives at least 65.5 s and never more than 131 s. */
#define SYNCOOKIE_MAX_AGE 2u
/* Key rotation period: 2 counter units (131.072 s).  A key stays usable
 * (as current, then as previous) for more than one period after any
 * cookie it made, so rotation never cuts a cookie's life short, while
 * a cookie whose 6-bit counter has wrapped is dead anyway. */
#define SYNCOOKIE_ROTATE_MS (2u << SYNCOOKIE_COUNT_SHIFT)
/* Number of entries in the MSS table (2 bits in the cookie). */
#define SYNCOOKIE_NMSS 4

struct syncookie_keys {
	uint8_t secret[16];  /* boot seed: keys are derived from it */
	uint8_t cur[16];     /* key of generation gen: makes and checks */
	uint8_t prev[16];    /* key of generation gen-1: checks only */
	uint32_t gen;        /* generation of cur */
	uint32_t rotated_ms; /* when cur became current (period start) */
};

extern const uint16_t syncookie_mss_table[SYNCOOKIE_NMSS];

void syncookie_init(struct syncookie_keys *ks, const uint8_t seed[16], uint32_t now_ms);
/* Advances the keys by one generation per SYNCOOKIE_ROTATE_MS elapsed. */
void syncookie_maybe_rotate(struct syncookie_keys *ks, uint32_t now_ms);
/* Returns our ISN for a SYN-ACK; *mss_used (may be NULL) gets the MSS the
 * cookie encodes: the largest table entry <= peer_mss, or the smallest. */
uint32_t syncookie_make(const struct syncookie_keys *ks, uint32_t saddr, uint16_t sport,
			uint32_t daddr, uint16_t dport, uint32_t peer_isn,
			uint16_t peer_mss, uint32_t now_ms, uint16_t *mss_used);
/* 0 and *mss_out (may be NULL) set when cookie is one we made for this
 * tuple and peer ISN, under the current or previous key, and young enough;
 * else -1 and *mss_out untouched. */
int syncookie_check(const struct syncookie_keys *ks, uint32_t saddr, uint16_t sport,
		    uint32_t daddr, uint16_t dport, uint32_t peer_isn /* SEG.SEQ-1 of the ACK */,
		    uint32_t cookie /* SEG.ACK-1 */, uint32_t now_ms, uint16_t *mss_out);
#endif
