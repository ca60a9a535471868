/* keel: one stack instance, as the stack's own files see it.  Everything
 * the stack knows lives in struct keel, so a test can run two of them side
 * by side.  Applications see struct keel as opaque (<keel/keel.h>); this
 * header is for stack/ and white-box tests. */
#ifndef KEEL_H
#define KEEL_H
#include <stddef.h>
#include <stdint.h>
#include <keel/keel.h>
#include "eth.h"
#include "arp.h"
#include "ipv4.h"
#include "icmp.h"
#include "tcp.h"
#include "udp.h"
#include "random.h"
#include "dhcp.h"
#include "dns.h"
#include "ping.h"

struct keel {
	struct keel_ifconfig ifc;
	uint32_t dir_bcast;              /* ifc's directed broadcast, 0 if none (keel_set_addr) */
	keel_tx_fn tx;
	void *tx_ctx;
	uint32_t now_ms;                 /* time of the current input or tick */
	uint8_t link_down;               /* keel_link_set: 0 = up (the default) */
	uint8_t offload;                 /* KEEL_OFFLOAD_* */
	uint8_t txbuf[KEEL_FRAME_MAX];   /* the one frame being built for output */
	struct eth_stats eth;
	struct arp_state arp;
	struct ipv4_stats ip;
	struct icmp_stats icmp;
	struct udp_state udp;
	struct keel_random rnd;
	struct dhcp_client dhcp;
	struct dns_resolver dns;
	struct ping_state ping;
	struct tcp_stack tcp;
};

/* Checksums keel computes itself: all of them unless the MAC fills them
 * in (KEEL_OFFLOAD_TX_CSUM); received ones are skipped when the MAC
 * checked them (KEEL_OFFLOAD_RX_CSUM, seen as ipv4_packet.csum_ok). */
static inline int keel_tx_csum(const struct keel *k)
{
	return !(k->offload & KEEL_OFFLOAD_TX_CSUM);
}

/* ipv4_is_broadcast inline, for the per-datagram paths (IP in and out,
 * ARP output) that ask it several times a datagram. */
static inline __attribute__((always_inline)) int keel_is_broadcast(const struct keel *k, uint32_t addr)
{
	/* dir_bcast: 0 when the address has none (/31, /32: RFC 3021). */
	return addr == 0xffffffffu || (addr == k->dir_bcast && addr != 0);
}

/* Starts k (keel_open does this for one of its static instances; tests
 * call it on their own). */
void keel_init(struct keel *k, const uint8_t mac[6], uint32_t addr, uint8_t prefix,
	       uint32_t gateway, const uint8_t seed[16], keel_tx_fn tx, void *tx_ctx);
#endif
