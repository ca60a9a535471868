/* DHCP client (RFC 2131, options RFC 2132) with ARP probing of the offered
 * address (RFC 5227).
 *
 *   INIT -DISCOVER-> SELECTING -OFFER/REQUEST-> REQUESTING -ACK-> PROBING
 *   PROBING -no answer-> BOUND (address set) -T1-> RENEWING -T2-> REBINDING
 *   RENEWING/REBINDING -ACK-> BOUND;  -NAK or lease expiry-> INIT (address dropped)
 *   REQUESTING -NAK-> INIT;  PROBING -conflict-> DECLINE, INIT after 10 s
 *   link back up (keel_link_set): BOUND/RENEWING/REBINDING -> REBOOTING,
 *      a broadcast REQUEST for the leased address (RFC 2131 §3.2, §4.4.2
 *      INIT-REBOOT): ACK -> BOUND, NAK -> INIT (address dropped), silence
 *      for two tries -> the lease goes on as before; FALLBACK -> SELECTING
 *      again (the fallback address kept meanwhile): a cable plugged in
 *      after boot still finds the LAN's server
 *   SELECTING with no OFFER for KEEL_DHCP_FALLBACK_MS since the latest
 *   DISCOVER exchange began, before any lease was ever bound (when armed)
 *      -> FALLBACK: the static address is taken and kept; DHCP stops.
 *
 * The first DISCOVER goes at once, without RFC 2131 §4.4.1's random 1-10 s
 * wait: a board that boots alone should not idle; the retransmission
 * jitter still spreads a room of boards powered on together.
 * Retransmissions back off 4, 8, 16, 32, 64 s with ±1 s of random jitter
 * (RFC 2131 §4.1); RENEWING and REBINDING retry after half the time left
 * to T2 or expiry, at least 60 s when that much is left (§4.4.5).  Lease
 * times count from when the REQUEST went out (§4.4.1). */
#ifndef KEEL_DHCP_H
#define KEEL_DHCP_H
#include <stdint.h>
#include <keel/config.h>
#include <keel/dhcp.h>

struct keel;

enum dhcp_state {
	DHCP_OFF = 0,     /* static configuration, the client idle */
	DHCP_INIT,        /* waiting to (re)start discovery */
	DHCP_SELECTING,
	DHCP_REQUESTING,
	DHCP_PROBING,
	DHCP_BOUND,
	DHCP_RENEWING,
	DHCP_REBINDING,
	DHCP_REBOOTING,   /* link back up: checking the lease still holds here */
	DHCP_FALLBACK,    /* no server answered: static fallback taken */
};

struct dhcp_lease {
	uint32_t addr, server, router;
	uint32_t dns[KEEL_DNS_MAX_SERVERS];
	uint8_t ndns, prefix;
	uint32_t lease_s, t1_s, t2_s;
};

/* Keel's own names (Linux has no DHCP counters), group `Dhcp`. */
struct dhcp_stats {
	uint32_t out_discovers, out_requests, out_declines;
	uint32_t in_offers, in_acks, in_naks;
	uint32_t in_errors;       /* malformed replies */
	uint32_t in_ignored;      /* well-formed but not for this exchange */
	uint32_t conflicts;       /* offered address answered an ARP probe */
	uint32_t expiries;        /* leases that ran out */
	uint32_t fallbacks;       /* static fallback taken */
};

struct dhcp_client {
	uint8_t state;            /* enum dhcp_state */
	uint8_t tries;            /* messages sent in this state */
	uint8_t fallback_armed;
	int sock;                 /* UDP 68, -1 when closed */
	uint32_t xid;
	uint32_t started_ms;      /* this discovery began (secs field, fallback) */
	uint32_t next_ms;         /* retransmit, probe or restart time */
	uint32_t requested_ms;    /* the last REQUEST: the lease counts from it */
	uint32_t t1_ms, t2_ms, expire_ms;   /* absolute, valid while bound */
	struct dhcp_lease offer;  /* the lease being requested / probed */
	struct dhcp_lease lease;  /* the lease in use */
	uint32_t fb_addr, fb_gw;  /* the static fallback */
	uint8_t fb_prefix;
	uint32_t changes;         /* bumped whenever the address changes */
	struct dhcp_stats stats;
};

/* keel_dhcp_start / keel_dhcp_stop / keel_dhcp_info: <keel/dhcp.h>. */
/* Timers; called from keel_tick. */
void dhcp_tick(struct keel *k);
/* The link came (back) up: see the state diagram above. */
void dhcp_link_up(struct keel *k);
/* The earliest time dhcp_tick has work (keel_next_deadline). */
int dhcp_next_deadline(const struct keel *k, uint32_t *when_ms);
/* ARP packet seen (from another MAC): conflict detection while probing. */
void dhcp_arp_seen(struct keel *k, uint32_t spa, uint32_t tpa);
const char *dhcp_state_name(uint8_t state);
#endif
