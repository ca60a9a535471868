/* keel: one stack instance.  Everything the stack knows lives in struct
 * keel, so a test can run two of them side by side.  The stack never reads a
 * clock: every entry point takes the current time in milliseconds. */
#ifndef KEEL_H
#define KEEL_H
#include <stddef.h>
#include <stdint.h>
#include "keel_config.h"
#include "eth.h"
#include "arp.h"
#include "ipv4.h"
#include "icmp.h"
#include "tcp.h"

/* Hands one complete Ethernet frame to the driver; returns 0 when taken. */
typedef int (*keel_tx_fn)(void *ctx, const uint8_t *frame, size_t len);

struct keel_ifconfig {
	uint8_t mac[6];
	uint32_t addr;     /* host byte order */
	uint8_t prefix;    /* netmask length, 0..32 */
	uint32_t gateway;  /* 0 = none */
};

struct keel {
	struct keel_ifconfig ifc;
	keel_tx_fn tx;
	void *tx_ctx;
	uint32_t now_ms;                 /* time of the current input or tick */
	uint8_t txbuf[KEEL_FRAME_MAX];   /* the one frame being built for output */
	struct eth_stats eth;
	struct arp_state arp;
	struct ipv4_stats ip;
	struct icmp_stats icmp;
	struct tcp_stack tcp;
};

/* seed: boot-time entropy for the ISN and cookie keys (RFC 6528 secret). */
void keel_init(struct keel *k, const uint8_t mac[6], uint32_t addr, uint8_t prefix,
	       uint32_t gateway, const uint8_t seed[16], keel_tx_fn tx, void *tx_ctx);
void keel_set_addr(struct keel *k, uint32_t addr, uint8_t prefix, uint32_t gateway);
/* One received Ethernet frame (without FCS). */
void keel_input(struct keel *k, const uint8_t *frame, size_t len, uint32_t now_ms);
/* Runs every timer that is due; bounded work per call. */
void keel_tick(struct keel *k, uint32_t now_ms);
/* When keel_tick next has work: 1 and *when_ms (possibly already past,
 * then tick now), or 0 when nothing is timed.  A caller may sleep until
 * then (or a frame): ticks in between would find nothing due. */
int keel_next_deadline(struct keel *k, uint32_t *when_ms);

static inline uint32_t keel_netmask(uint8_t prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}
#endif
