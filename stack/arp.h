/* ARP (RFC 826) with a fixed cache, aging and a bounded queue of packets
 * awaiting resolution. */
#ifndef KEEL_ARP_H
#define KEEL_ARP_H
#include <stddef.h>
#include <stdint.h>
#include "keel_config.h"

struct keel;

struct arp_stats {
	uint32_t in_requests, in_replies, in_errors;
	uint32_t out_requests, out_replies;
	uint32_t queue_drops;      /* packet dropped: queue full or entry gave up */
	uint32_t cache_evictions;
};

struct arp_state {
	/* filled in by arp.c */
	struct arp_stats stats;
};

void arp_init(struct keel *k);
void arp_input(struct keel *k, const uint8_t *pkt, size_t len);
/* Sends the IPv4 packet of ip_len bytes in k->txbuf (after the Ethernet
 * header) to next_hop, resolving it first; queues it while resolving. */
int arp_output(struct keel *k, uint32_t next_hop, size_t ip_len);
void arp_tick(struct keel *k);
#endif
