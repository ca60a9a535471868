/* ARP (RFC 826) with a fixed, hashed cache, aging and a bounded queue of
 * packets awaiting resolution. */
#ifndef KEEL_ARP_H
#define KEEL_ARP_H
#include <stddef.h>
#include <stdint.h>
#include <keel/config.h>

#define ARP_PKT_LEN 28          /* Ethernet/IPv4 ARP packet */
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

#define ARP_SMALL_SLOT 64       /* bytes in a KEEL_ARP_QUEUE_SMALL slot */
#define ARP_QUEUE_SLOTS (KEEL_ARP_QUEUE_LEN + KEEL_ARP_QUEUE_SMALL)
#define ARP_NONE 0xffffu        /* "no entry" in uint16_t links */
/* Hash heads: one per two entries, a power of two. */
#define KEEL_ARP_BUCKETS                                                              \
	(KEEL_ARP_CACHE_SIZE <= 16 ? 8 : KEEL_ARP_CACHE_SIZE <= 64 ? 32 :                  \
	 KEEL_ARP_CACHE_SIZE <= 256 ? 128 : KEEL_ARP_CACHE_SIZE <= 1024 ? 512 :            \
	 KEEL_ARP_CACHE_SIZE <= 4096 ? 2048 : 8192)

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

/* Each entry is on the hash chain of its address and on two ordered
 * lists (arp.c): by deadline (PENDING: next retry; REACHABLE: expiry) and,
 * when REACHABLE, by use (least recently used first). */
struct arp_entry {
	uint32_t ip;         /* host byte order */
	uint32_t expires;    /* REACHABLE: end of life (KEEL_ARP_REACHABLE_MS) */
	uint32_t next_req;   /* PENDING: next retry; REACHABLE: earliest refresh */
	uint8_t mac[6];
	uint8_t state;       /* enum arp_entry_state */
	uint8_t tries;       /* requests sent while PENDING */
	uint16_t queued;     /* queue slots held, <= KEEL_ARP_QUEUE_PER_ENTRY */
	uint16_t hnext;      /* hash chain, or free list */
	uint16_t t_prev, t_next;   /* deadline order */
	uint16_t l_prev, l_next;   /* use order (REACHABLE) */
};

struct arp_qslot {
	uint32_t seq;        /* arrival order, for FIFO and oldest-first drops */
	uint16_t len;        /* 0 = free */
	uint16_t entry;      /* index of the cache entry it waits for */
};

/* An ordered list of entries: first (oldest) and last. */
struct arp_list {
	uint16_t first, last;
};

struct arp_state {
	struct arp_entry cache[KEEL_ARP_CACHE_SIZE];
	struct arp_qslot queue[ARP_QUEUE_SLOTS];  /* full-sized slots, then small ones */
	/* The IP datagrams: the full-sized slots' bytes, then the small ones'. */
	uint8_t data[KEEL_ARP_QUEUE_LEN * KEEL_ARP_QUEUE_SLOT + KEEL_ARP_QUEUE_SMALL * ARP_SMALL_SLOT];
	uint32_t qseq;
	uint16_t queued;     /* slots in use, <= ARP_QUEUE_SLOTS */
	uint16_t in_use;     /* entries not FREE */
	uint16_t pending;    /* entries PENDING, <= KEEL_ARP_MAX_PENDING when evicting */
	uint16_t free;       /* free entries, linked through hnext */
	uint16_t last;       /* the entry arp_output sent to last: a hint, checked before use */
	struct arp_list retry;     /* PENDING by next retry */
	struct arp_list expiry;    /* REACHABLE by expiry */
	struct arp_list lru;       /* REACHABLE by last use */
	uint32_t key[2];     /* hash key, from the boot seed */
	struct arp_stats stats;
	uint16_t head[KEEL_ARP_BUCKETS];
};

void arp_init(struct keel *k, const uint8_t seed[16]);
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
/* The earliest time arp_tick has work (keel_next_deadline). */
int arp_next_deadline(const struct keel *k, uint32_t *when_ms);
#endif
