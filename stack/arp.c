/* ARP (RFC 826) for Ethernet and IPv4: cache, resolution, bounded queue.
 *
 * Cache policy.  A REACHABLE entry lives KEEL_ARP_REACHABLE_MS from its last
 * confirmation; while it is in use near its end we re-ask the neighbour by
 * unicast (RFC 1122 §2.3.2.1) so that busy peers never fall out of the
 * cache.  A PENDING entry sends a broadcast request every KEEL_ARP_RETRY_MS,
 * KEEL_ARP_MAX_RETRIES times after the first, then gives up and drops what
 * it queued.  When the cache is full a new entry takes a free slot, then an
 * expired one, then the least recently used REACHABLE one; a new PENDING
 * entry instead recycles the oldest PENDING one once KEEL_ARP_MAX_PENDING
 * are unresolved, so spoofed-source floods cannot push out hosts that
 * answer, and a PENDING entry never blocks the creation of another.
 *
 * Queue policy.  KEEL_ARP_QUEUE_LEN slots shared by every neighbour, at
 * most KEEL_ARP_QUEUE_PER_ENTRY per neighbour.  Over the per-neighbour
 * bound we keep the latest packet (RFC 1122 §2.3.2.2); over the total
 * bound we drop the oldest packet, whose neighbour has had longest to
 * answer.  Either way the drop is counted. */
#include <string.h>
#include "byteorder.h"
#include "keel.h"

/* Refresh a used entry once less than one full resolution cycle is left. */
#define ARP_REFRESH_WINDOW ((uint32_t)KEEL_ARP_RETRY_MS * (KEEL_ARP_MAX_RETRIES + 1u))

static const uint8_t zero_mac[6];

static int due(uint32_t now, uint32_t t)
{
	return (int32_t)(now - t) >= 0; /* wrap-safe after 49.7 days */
}

void arp_init(struct keel *k)
{
	memset(&k->arp, 0, sizeof(k->arp));
}

/* ---- queue ---- */

static void slot_free(struct keel *k, struct arp_qslot *q)
{
	k->arp.cache[q->entry].queued--;
	k->arp.queued--;
	q->len = 0;
}

/* Oldest slot held by entry idx, or by anyone when idx < 0. */
static struct arp_qslot *slot_oldest(struct keel *k, int idx)
{
	struct arp_qslot *best = NULL;
	for (int i = 0; i < KEEL_ARP_QUEUE_LEN; i++) {
		struct arp_qslot *q = &k->arp.queue[i];
		if (q->len == 0 || (idx >= 0 && q->entry != idx))
			continue;
		if (best == NULL || (int32_t)(q->seq - best->seq) < 0)
			best = q;
	}
	return best;
}

static void drop_queue(struct keel *k, int idx)
{
	for (int i = 0; i < KEEL_ARP_QUEUE_LEN; i++) {
		struct arp_qslot *q = &k->arp.queue[i];
		if (q->len != 0 && q->entry == idx) {
			slot_free(k, q);
			k->arp.stats.queue_drops++;
		}
	}
}

/* Copies the datagram in k->txbuf into the queue for entry idx. */
static int enqueue(struct keel *k, int idx, size_t ip_len)
{
	struct arp_state *a = &k->arp;
	if (ip_len == 0 || ip_len > KEEL_ARP_QUEUE_SLOT) {
		a->stats.queue_drops++;
		return -1;
	}
	struct arp_qslot *victim = NULL;
	if (a->cache[idx].queued >= KEEL_ARP_QUEUE_PER_ENTRY)
		victim = slot_oldest(k, idx);
	else if (a->queued >= KEEL_ARP_QUEUE_LEN)
		victim = slot_oldest(k, -1);
	if (victim != NULL) {
		slot_free(k, victim);
		a->stats.queue_drops++;
	}
	for (int i = 0; i < KEEL_ARP_QUEUE_LEN; i++) {
		struct arp_qslot *q = &a->queue[i];
		if (q->len != 0)
			continue;
		memcpy(q->pkt, k->txbuf + ETH_HDR_LEN, ip_len);
		q->len = (uint16_t)ip_len;
		q->entry = (uint8_t)idx;
		q->seq = a->qseq++;
		a->cache[idx].queued++;
		a->queued++;
		if (a->queued > a->stats.queue_hwm)
			a->stats.queue_hwm = a->queued;
		return 0;
	}
	a->stats.queue_drops++; /* unreachable: a slot was freed above */
	return -1;
}

/* Sends what entry idx queued, oldest first; the entry is now REACHABLE. */
static void flush(struct keel *k, int idx)
{
	for (int n = 0; n < KEEL_ARP_QUEUE_LEN; n++) {
		struct arp_qslot *q = slot_oldest(k, idx);
		if (q == NULL)
			return;
		size_t len = q->len;
		memcpy(k->txbuf + ETH_HDR_LEN, q->pkt, len);
		slot_free(k, q);
		if (eth_output(k, k->arp.cache[idx].mac, ETHERTYPE_IPV4, len) == 0)
			k->arp.stats.queue_sent++;
	}
}

/* ---- cache ---- */

static void entry_free(struct keel *k, int idx)
{
	drop_queue(k, idx);
	memset(&k->arp.cache[idx], 0, sizeof(k->arp.cache[idx]));
}

/* The entry for ip, or -1.  Expired entries are freed on the way. */
static int lookup(struct keel *k, uint32_t ip)
{
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE; i++) {
		struct arp_entry *e = &k->arp.cache[i];
		if (e->state == ARP_FREE || e->ip != ip)
			continue;
		if (e->state == ARP_REACHABLE && due(k->now_ms, e->expires)) {
			entry_free(k, i);
			return -1;
		}
		return i;
	}
	return -1;
}

/* The PENDING entry created longest ago, or the REACHABLE one used longest
 * ago (state selects which), or -1. */
static int oldest(struct keel *k, uint8_t state)
{
	int best = -1;
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE; i++) {
		struct arp_entry *e = &k->arp.cache[i];
		if (e->state != state)
			continue;
		if (best < 0 || (int32_t)(e->used - k->arp.cache[best].used) < 0)
			best = i;
	}
	return best;
}

/* A cleared entry for ip in the given state; never fails. */
static int entry_new(struct keel *k, uint32_t ip, uint8_t state)
{
	struct arp_state *a = &k->arp;
	int idx = -1, pending = 0;
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE && idx < 0; i++) {
		struct arp_entry *e = &a->cache[i];
		if (e->state == ARP_FREE ||
		    (e->state == ARP_REACHABLE && due(k->now_ms, e->expires)))
			idx = i;
		pending += e->state == ARP_PENDING;
	}
	if (idx < 0) {
		if (state == ARP_PENDING && pending >= KEEL_ARP_MAX_PENDING)
			idx = oldest(k, ARP_PENDING);
		if (idx < 0)
			idx = oldest(k, ARP_REACHABLE);
		if (idx < 0)
			idx = oldest(k, ARP_PENDING);
		a->stats.cache_evictions++;
	}
	entry_free(k, idx);
	struct arp_entry *e = &a->cache[idx];
	e->ip = ip;
	e->state = state;
	e->used = k->now_ms;
	return idx;
}

static void confirm(struct keel *k, int idx, const uint8_t mac[6])
{
	struct arp_entry *e = &k->arp.cache[idx];
	int was_pending = e->state == ARP_PENDING;
	memcpy(e->mac, mac, 6);
	e->state = ARP_REACHABLE;
	e->tries = 0;
	e->expires = k->now_ms + KEEL_ARP_REACHABLE_MS;
	e->next_req = k->now_ms;
	if (was_pending) {
		e->used = k->now_ms;
		flush(k, idx);
	}
}

/* ---- packets ---- */

static int send_arp(struct keel *k, uint16_t op, const uint8_t eth_dst[6],
		    const uint8_t tha[6], uint32_t tpa)
{
	uint8_t *p = k->txbuf + ETH_HDR_LEN;
	store_be16(p, 1);                 /* ar$hrd: Ethernet */
	store_be16(p + 2, ETHERTYPE_IPV4);/* ar$pro */
	p[4] = 6;
	p[5] = 4;
	store_be16(p + 6, op);
	memcpy(p + 8, k->ifc.mac, 6);
	store_be32(p + 14, k->ifc.addr);
	memcpy(p + 18, tha, 6);
	store_be32(p + 24, tpa);
	if (op == ARP_OP_REQUEST)
		k->arp.stats.out_requests++;
	else
		k->arp.stats.out_replies++;
	return eth_output(k, eth_dst, ETHERTYPE_ARP, ARP_PKT_LEN);
}

/* A request to entry idx: broadcast while resolving, unicast to refresh. */
static void request(struct keel *k, int idx)
{
	struct arp_entry *e = &k->arp.cache[idx];
	const uint8_t *dst = e->state == ARP_REACHABLE ? e->mac : eth_broadcast;
	e->next_req = k->now_ms + KEEL_ARP_RETRY_MS;
	if (e->state == ARP_PENDING)
		e->tries++;
	send_arp(k, ARP_OP_REQUEST, dst, zero_mac, e->ip);
}

/* An address worth a cache entry: on our link and a unicast host. */
static int creatable(const struct keel *k, uint32_t ip)
{
	uint32_t mask = keel_netmask(k->ifc.prefix);
	return ip != 0 && ((ip ^ k->ifc.addr) & mask) == 0 &&
	       !ipv4_is_broadcast(k, ip) && !ipv4_is_multicast(ip);
}

void arp_input(struct keel *k, const uint8_t *pkt, size_t len)
{
	struct arp_stats *st = &k->arp.stats;
	/* Only Ethernet/IPv4 ARP; trailing bytes are Ethernet padding. */
	if (len < ARP_PKT_LEN || load_be16(pkt) != 1 || load_be16(pkt + 2) != ETHERTYPE_IPV4 ||
	    pkt[4] != 6 || pkt[5] != 4) {
		st->in_errors++;
		return;
	}
	uint16_t op = load_be16(pkt + 6);
	const uint8_t *sha = pkt + 8; /* ar$tha (pkt + 18) is never needed */
	uint32_t spa = load_be32(pkt + 14), tpa = load_be32(pkt + 24);
	if (op == ARP_OP_REQUEST) {
		st->in_requests++;
	} else if (op == ARP_OP_REPLY) {
		st->in_replies++;
	} else {
		st->in_errors++;
		return;
	}
	if ((sha[0] & 0x01) || memcmp(sha, zero_mac, 6) == 0) {
		st->in_errors++; /* a group or empty sender MAC is never a host */
		return;
	}
	if (memcmp(sha, k->ifc.mac, 6) == 0) {
		st->in_looped++;
		return;
	}
	dhcp_arp_seen(k, spa, tpa);   /* RFC 5227 probing of an offered address */
	uint32_t us = k->ifc.addr;
	if (us != 0 && spa == us) {
		st->in_conflicts++; /* RFC 5227 §2.4: never let it rewrite us */
		return;
	}

	/* RFC 826 "Packet Reception": update the sender if we know it ... */
	int merged = 0;
	if (spa != 0) { /* 0 is an RFC 5227 probe: nothing to learn */
		int idx = lookup(k, spa);
		if (idx >= 0) {
			confirm(k, idx, sha);
			merged = 1;
		}
	}
	if (us == 0 || tpa != us)
		return; /* includes gratuitous ARP for others: update only */
	/* ... and learn it when we are the target: it is about to talk to us. */
	if (!merged && creatable(k, spa))
		confirm(k, entry_new(k, spa, ARP_REACHABLE), sha);
	if (op == ARP_OP_REQUEST)
		send_arp(k, ARP_OP_REPLY, sha, sha, spa);
}

int arp_output(struct keel *k, uint32_t next_hop, size_t ip_len)
{
	if (ipv4_is_broadcast(k, next_hop))
		return eth_output(k, eth_broadcast, ETHERTYPE_IPV4, ip_len);
	if (ipv4_is_multicast(next_hop)) {
		/* RFC 1112 §6.4: 01:00:5e and the low 23 bits of the group */
		uint8_t mac[6] = {0x01, 0x00, 0x5e, (uint8_t)((next_hop >> 16) & 0x7f),
				  (uint8_t)(next_hop >> 8), (uint8_t)next_hop};
		return eth_output(k, mac, ETHERTYPE_IPV4, ip_len);
	}
	if (next_hop == 0) {
		k->arp.stats.queue_drops++;
		return -1;
	}
	int idx = lookup(k, next_hop);
	if (idx >= 0 && k->arp.cache[idx].state == ARP_REACHABLE) {
		struct arp_entry *e = &k->arp.cache[idx];
		e->used = k->now_ms;
		int rc = eth_output(k, e->mac, ETHERTYPE_IPV4, ip_len);
		/* After the send: the request reuses k->txbuf. */
		if (due(k->now_ms, e->expires - ARP_REFRESH_WINDOW) && due(k->now_ms, e->next_req))
			request(k, idx);
		return rc;
	}
	if (idx >= 0)
		return enqueue(k, idx, ip_len); /* PENDING: its timer re-asks */
	idx = entry_new(k, next_hop, ARP_PENDING);
	int rc = enqueue(k, idx, ip_len); /* before the request overwrites txbuf */
	request(k, idx);
	return rc;
}

void arp_flush(struct keel *k)
{
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE; i++)
		if (k->arp.cache[i].state != ARP_FREE)
			entry_free(k, i);
}

void arp_announce(struct keel *k)
{
	if (k->ifc.addr != 0)
		send_arp(k, ARP_OP_REQUEST, eth_broadcast, zero_mac, k->ifc.addr);
}

void arp_tick(struct keel *k)
{
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE; i++) {
		struct arp_entry *e = &k->arp.cache[i];
		if (e->state == ARP_REACHABLE && due(k->now_ms, e->expires)) {
			entry_free(k, i);
		} else if (e->state == ARP_PENDING && due(k->now_ms, e->next_req)) {
			if (e->tries > KEEL_ARP_MAX_RETRIES) {
				k->arp.stats.resolve_failures++;
				entry_free(k, i);
			} else {
				request(k, i);
			}
		}
	}
}
