/* keel's DHCP client (RFC 2131), public API: start and stop it, read the
 * lease.  The state machine itself is the stack's (stack/dhcp.h). */
#ifndef KEEL_PUBLIC_DHCP_H
#define KEEL_PUBLIC_DHCP_H
#include <stdint.h>
#include <keel/config.h>

struct keel;

/* Drops any address and starts discovery at now_ms.  With fallback_addr
 * != 0 the stack takes that static configuration (and stops DHCP) when
 * no OFFER comes within KEEL_DHCP_FALLBACK_MS. */
void keel_dhcp_start(struct keel *k, uint32_t now_ms, uint32_t fallback_addr,
		     uint8_t fallback_prefix, uint32_t fallback_gw);
/* Stops the client; the address stays as it is (set a static one next). */
void keel_dhcp_stop(struct keel *k);

struct keel_dhcp_info {
	uint8_t running;          /* 0: static configuration */
	uint8_t bound;            /* a lease is in use (bound, renewing, rebinding) */
	uint8_t fallback;         /* no server answered: the static fallback is in use */
	const char *state;        /* "static", "selecting", "bound", "renewing" ... */
	uint32_t server;          /* the leasing server (bound only) */
	uint32_t lease_s;
	int32_t expires_in_ms, t1_in_ms, t2_in_ms;
	uint32_t dns[KEEL_DNS_MAX_SERVERS];
	uint8_t ndns;
	uint32_t changes;         /* bumped whenever DHCP moves the address */
	uint32_t expiries;        /* leases that ran out (Dhcp Expiries) */
};
void keel_dhcp_info(const struct keel *k, struct keel_dhcp_info *out);
#endif
