/* SYN-cookie codec: our ISN carries what a SYN-queue entry would have held.
 *
 * The cookie is a plain word P, whitened by adding W (mod 2^32):
 *
 *     31        26 25  24 23                                    0
 *    +------------+------+---------------------------------------+
 *    |   count    | mss  |                  mac                  |  P
 *    +------------+------+---------------------------------------+
 *    cookie = P + W
 *
 *  count  6 bits: (now_ms >> 16) mod 64, a 65.536 s clock
 *  mss    2 bits: index into syncookie_mss_table {536, 1300, 1440, 1460}
 *  mac   24 bits: low 24 bits of SipHash-2-4(K, T | peer_isn | count<<2|mss)
 *  W     32 bits: low 32 bits of SipHash-2-4(K, T | peer_isn)
 *  T = saddr, sport, daddr, dport, big-endian (12 bytes); peer_isn 4 bytes
 *  big-endian; the count/mss byte makes the mac input 17 bytes long, W's
 *  is 16, so the two never hash the same message.
 *
 * Checking subtracts W (it needs only the tuple and the peer's ISN), reads
 * count and mss, and recomputes the mac: a forger must guess 24 key-
 * dependent bits for each tuple.  W hides count and mss, so our ISNs
 * reveal neither uptime nor a constant pattern (RFC 6528's concern).  The
 * mac covers count, so a peer cannot rejuvenate its own cookie.
 *
 * K is the current key, or for checks also the previous one.  Key g is
 * SipHash(seed, "keel syncookie" | half | g) for halves 0 and 1: no RNG
 * is needed after boot, and one key does not reveal the next. */
#include "syncookie.h"
#include <string.h>
#include "byteorder.h"
#include "siphash.h"

#define COUNT_BITS 6
#define MSS_BITS 2
#define MAC_BITS 24
#define COUNT_MASK ((1u << COUNT_BITS) - 1)
#define MSS_MASK ((1u << MSS_BITS) - 1)
#define MAC_MASK ((1u << MAC_BITS) - 1)
_Static_assert(COUNT_BITS + MSS_BITS + MAC_BITS == 32, "cookie is 32 bits");
_Static_assert(SYNCOOKIE_NMSS == 1u << MSS_BITS, "MSS table fills the index");
_Static_assert(SYNCOOKIE_MAX_AGE < (1u << COUNT_BITS), "age fits the counter");
/* Rotation keeps a key for more than one period after its last cookie, so
 * that period must cover a cookie's whole life (< MAX_AGE units). */
_Static_assert(SYNCOOKIE_ROTATE_MS >= (SYNCOOKIE_MAX_AGE << SYNCOOKIE_COUNT_SHIFT),
	       "a key must outlive its cookies");

/* Linux's table (RFC 879 default, then common tunnel/PPPoE/Ethernet MSS):
 * ascending, so the index picks the largest entry the peer can take. */
const uint16_t syncookie_mss_table[SYNCOOKIE_NMSS] = { 536, 1300, 1440, 1460 };

static void derive_key(const uint8_t seed[16], uint32_t gen, uint8_t out[16])
{
	/* "keel syncookie" (14 bytes, no NUL) | half (1) | gen (4, big-endian) */
	static const uint8_t tag[14] = "keel syncookie";
	uint8_t m[19];
	memcpy(m, tag, sizeof tag);
	store_be32(m + 15, gen);
	for (uint8_t half = 0; half < 2; half++) {
		m[14] = half;
		uint64_t h = siphash24(seed, m, sizeof m);
		for (unsigned i = 0; i < 8; i++)
			out[8 * half + i] = (uint8_t)(h >> (8 * i));
	}
}

void syncookie_init(struct syncookie_keys *ks, const uint8_t seed[16], uint32_t now_ms)
{
	memcpy(ks->secret, seed, sizeof ks->secret);
	ks->gen = 0;
	ks->rotated_ms = now_ms;
	derive_key(ks->secret, 0, ks->cur);
	/* Generation -1 made no cookies; a valid key keeps check() uniform. */
	derive_key(ks->secret, 0xffffffffu, ks->prev);
}

void syncookie_maybe_rotate(struct syncookie_keys *ks, uint32_t now_ms)
{
	uint32_t periods = (now_ms - ks->rotated_ms) / SYNCOOKIE_ROTATE_MS;
	if (periods == 0)
		return;
	/* Late callers catch up in one step; keys are indexed, not chained. */
	ks->gen += periods;
	ks->rotated_ms += periods * SYNCOOKIE_ROTATE_MS;  /* stay on schedule */
	if (periods == 1)
		memcpy(ks->prev, ks->cur, sizeof ks->prev);
	else
		derive_key(ks->secret, ks->gen - 1, ks->prev);
	derive_key(ks->secret, ks->gen, ks->cur);
}

/* T | peer_isn: the first 16 bytes of every cookie hash input. */
static void cookie_msg(uint8_t m[17], uint32_t saddr, uint16_t sport, uint32_t daddr,
		       uint16_t dport, uint32_t peer_isn)
{
	store_be32(m, saddr);
	store_be16(m + 4, sport);
	store_be32(m + 6, daddr);
	store_be16(m + 10, dport);
	store_be32(m + 12, peer_isn);
}

static uint32_t cookie_mac(const uint8_t key[16], uint8_t m[17], uint32_t count, uint32_t mssi)
{
	m[16] = (uint8_t)(count << MSS_BITS | mssi);
	return (uint32_t)siphash24(key, m, 17) & MAC_MASK;
}

static uint32_t cookie_whitener(const uint8_t key[16], const uint8_t m[17])
{
	return (uint32_t)siphash24(key, m, 16);
}

static uint32_t mss_index(uint16_t peer_mss)
{
	uint32_t i = SYNCOOKIE_NMSS - 1;
	while (i > 0 && syncookie_mss_table[i] > peer_mss)
		i--;
	return i;  /* below the smallest entry: 536, the RFC 9293 default */
}

static uint32_t count_at(uint32_t now_ms)
{
	return (now_ms >> SYNCOOKIE_COUNT_SHIFT) & COUNT_MASK;
}

uint32_t syncookie_make(const struct syncookie_keys *ks, uint32_t saddr, uint16_t sport,
			uint32_t daddr, uint16_t dport, uint32_t peer_isn,
			uint16_t peer_mss, uint32_t now_ms, uint16_t *mss_used)
{
	uint8_t m[17];
	uint32_t mssi = mss_index(peer_mss), count = count_at(now_ms);
	cookie_msg(m, saddr, sport, daddr, dport, peer_isn);
	uint32_t p = count << (MSS_BITS + MAC_BITS) | mssi << MAC_BITS |
		     cookie_mac(ks->cur, m, count, mssi);
	if (mss_used)
		*mss_used = syncookie_mss_table[mssi];
	return p + cookie_whitener(ks->cur, m);
}

/* 0 when cookie was made under key for this tuple and is young enough. */
static int check_one(const uint8_t key[16], uint8_t m[17], uint32_t cookie,
		     uint32_t now_ms, uint32_t *mssi)
{
	uint32_t p = cookie - cookie_whitener(key, m);
	uint32_t count = p >> (MSS_BITS + MAC_BITS);
	*mssi = (p >> MAC_BITS) & MSS_MASK;
	if ((p & MAC_MASK) != cookie_mac(key, m, count, *mssi))
		return -1;
	uint32_t age = (count_at(now_ms) - count) & COUNT_MASK;
	return age < SYNCOOKIE_MAX_AGE ? 0 : -1;
}

int syncookie_check(const struct syncookie_keys *ks, uint32_t saddr, uint16_t sport,
		    uint32_t daddr, uint16_t dport, uint32_t peer_isn, uint32_t cookie,
		    uint32_t now_ms, uint16_t *mss_out)
{
	uint8_t m[17];
	uint32_t mssi;
	cookie_msg(m, saddr, sport, daddr, dport, peer_isn);
	if (check_one(ks->cur, m, cookie, now_ms, &mssi) != 0 &&
	    check_one(ks->prev, m, cookie, now_ms, &mssi) != 0)
		return -1;
	if (mss_out)
		*mss_out = syncookie_mss_table[mssi];
	return 0;
}
