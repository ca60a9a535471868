/* ARP (RFC 826) with a fixed cache, aging and a bounded queue of packets
 * awaiting resolution. */
#ifndef KEEL_ARP_H
#define KEEL_ARP_H
#include <stddef.h>
#include <stdint.h>
#include <keel/config.h>

#define ARP_PKT_LEN 28          /* Ethernet/IPv4 ARP packet */
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

struct keel;

struct arp_stats {
	uint32_t in_requests, in_replies, in_errors;
	uint32_t out_requests, out_replies;
	uint32_t queue_drops;      /* packet dropped: queue full or entry gave up */
	uint32_t cache_evictions;
	uint32_t in_conflicts;     /* another MAC claims our address: ignored */
	uint32_t in_looped;        /* our own MAC as sender: a reflection */
	uint32_t resolve_failures; /* no reply after KEEL_ARP_MAX_RETRIES */
	uint32_t queue_sent;       /* queued packets sent after resolution */
	uint32_t queue_hwm;        /* most queue slots ever in use */
};

enum arp_entry_state { ARP_FREE = 0, ARP_PENDING, ARP_REACHABLE };

struct arp_entry {
	uint32_t ip;         /* host byte order */
	uint32_t expires;    /* REACHABLE: end of life (KEEL_ARP_REACHABLE_MS) */
	uint32_t next_req;   /* PENDING: next retry; REACHABLE: earliest refresh */
	uint32_t used;       /* last use: LRU order; creation time while PENDING */
	uint8_t mac[6];
	uint8_t state;       /* enum arp_entry_state */
	uint8_t tries;       /* requests sent while PENDING */
	uint8_t queued;      /* queue slots held, <= KEEL_ARP_QUEUE_PER_ENTRY */
};

struct arp_qslot {
	uint32_t seq;        /* arrival order, for FIFO and oldest-first drops */
	uint16_t len;        /* 0 = free */
	uint8_t entry;       /* index of the cache entry it waits for */
	uint8_t pkt[KEEL_ARP_QUEUE_SLOT]; /* the IP datagram, no Ethernet header */
};

struct arp_state {
	struct arp_entry cache[KEEL_ARP_CACHE_SIZE];
	struct arp_qslot queue[KEEL_ARP_QUEUE_LEN];
	uint32_t qseq;
	uint8_t queued;      /* slots in use, <= KEEL_ARP_QUEUE_LEN */
	struct arp_stats stats;
};

void arp_init(struct keel *k);
void arp_input(struct keel *k, const uint8_t *pkt, size_t len);
/* Sends the IPv4 packet of ip_len bytes in k->txbuf (after the Ethernet
 * header) to next_hop, resolving it first; queues it while resolving.
 * Returns 0 when sent or queued, -1 when dropped (counted). */
int arp_output(struct keel *k, uint32_t next_hop, size_t ip_len);
/* Forgets every neighbour and drops (counts) what waited for one. */
void arp_flush(struct keel *k);
/* ARP announcement of our address (RFC 5227 §3): a broadcast request
 * with our address as both sender and target. */
void arp_announce(struct keel *k);
/* Retries and ages entries: at most one request per cache entry. */
void arp_tick(struct keel *k);
#endif
