/* SYN cookies (RFC 4987 section 3.6): when the SYN queue is full (or
 * tcp_syncookies = 2), the listener keeps no state for a SYN; it answers
 * with a SYN-ACK whose ISN encodes what it needs, and rebuilds the
 * connection from the peer's ACK.  This file is only the codec; the bit
 * layout is documented at the top of syncookie.c.
 *
 * Addresses and ports are host byte order and named as in the *incoming*
 * segment, for both calls: saddr/sport the peer (source of the SYN and of
 * its ACK), daddr/dport our listening address and port.  Window scaling,
 * SACK and timestamps are not encoded: a cookie connection runs without
 * them, as Linux's does without timestamps.  The caller (tcp_listen.c)
 * counts SyncookiesSent/Recv/Failed. */
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

/* Once, from tcp_init, with the boot seed. */
void syncookie_init(struct syncookie_keys *ks, const uint8_t seed[16], uint32_t now_ms);
/* Advances the keys by one generation per SYNCOOKIE_ROTATE_MS elapsed;
 * cheap and idempotent.  tcp_tick calls it; it must run at least once
 * every 49 days (the 32-bit millisecond clock's period). */
void syncookie_maybe_rotate(struct syncookie_keys *ks, uint32_t now_ms);
/* Returns our ISN for the SYN-ACK answering a SYN: peer_isn is its
 * SEG.SEQ, peer_mss its MSS option (536 without one, RFC 9293 §3.7.1)
 * lowered to ours.  *mss_used (may be NULL) gets the MSS the cookie
 * encodes, the one the connection will use: the largest table entry <=
 * peer_mss, or the smallest. */
uint32_t syncookie_make(const struct syncookie_keys *ks, uint32_t saddr, uint16_t sport,
			uint32_t daddr, uint16_t dport, uint32_t peer_isn,
			uint16_t peer_mss, uint32_t now_ms, uint16_t *mss_used);
/* For a bare ACK at a listener that has no SYN-queue entry for it: 0 and
 * *mss_out (may be NULL) set when cookie is one we made for this tuple
 * and peer ISN, under the current or previous key, and younger than
 * SYNCOOKIE_MAX_AGE counter units (65.5 .. 131 s); the TCB is then built
 * with IRS = SEG.SEQ-1, ISS = SEG.ACK-1.  Else -1 and *mss_out untouched:
 * the ACK is answered as any stray ACK at a listener (RST, RFC 9293
 * §3.10.7.2). */
int syncookie_check(const struct syncookie_keys *ks, uint32_t saddr, uint16_t sport,
		    uint32_t daddr, uint16_t dport, uint32_t peer_isn /* SEG.SEQ-1 of the ACK */,
		    uint32_t cookie /* SEG.ACK-1 */, uint32_t now_ms, uint16_t *mss_out);
#endif
