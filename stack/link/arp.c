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
#include "siphash.h"
#include "hash_mix.h"

_Static_assert(KEEL_ARP_BUCKETS * 2 >= KEEL_ARP_CACHE_SIZE || KEEL_ARP_BUCKETS == 8192, "ARP buckets");
_Static_assert(KEEL_ARP_QUEUE_LEN >= 1 && ARP_QUEUE_SLOTS < ARP_NONE, "ARP queue size");

/* Refresh a used entry once less than one full resolution cycle is left. */
#define ARP_REFRESH_WINDOW ((uint32_t)KEEL_ARP_RETRY_MS * (KEEL_ARP_MAX_RETRIES + 1u))
/* Retries and expiries one tick handles; the rest wait a tick. */
#define ARP_TICK_BUDGET 32u

static const uint8_t zero_mac[6];

static int due(uint32_t now, uint32_t t)
{
	return (int32_t)(now - t) >= 0; /* wrap-safe after 49.7 days */
}

/* ---- ordered lists (retry, expiry, lru), linked by entry index ---- */

static uint16_t *prev_of(struct arp_entry *e, int use) { return use ? &e->l_prev : &e->t_prev; }
static uint16_t *next_of(struct arp_entry *e, int use) { return use ? &e->l_next : &e->t_next; }

static void list_append(struct keel *k, struct arp_list *l, int idx, int use)
{
	struct arp_entry *e = &k->arp.cache[idx];
	*prev_of(e, use) = l->last;
	*next_of(e, use) = ARP_NONE;
	if (l->last == ARP_NONE)
		l->first = (uint16_t)idx;
	else
		*next_of(&k->arp.cache[l->last], use) = (uint16_t)idx;
	l->last = (uint16_t)idx;
}

static void list_unlink(struct keel *k, struct arp_list *l, int idx, int use)
{
	struct arp_entry *e = &k->arp.cache[idx];
	uint16_t p = *prev_of(e, use), n = *next_of(e, use);
	if (p == ARP_NONE)
		l->first = n;
	else
		*next_of(&k->arp.cache[p], use) = n;
	if (n == ARP_NONE)
		l->last = p;
	else
		*prev_of(&k->arp.cache[n], use) = p;
}

/* The list an entry's deadline puts it on. */
static struct arp_list *timer_list(struct keel *k, const struct arp_entry *e)
{
	return e->state == ARP_PENDING ? &k->arp.retry : &k->arp.expiry;
}

/* ---- hash: keyed, so spoofed sources cannot pick one chain ---- */

static uint16_t *bucket(struct keel *k, uint32_t ip)
{
	return &k->arp.head[keel_mix32(keel_mix32(ip ^ k->arp.key[0]) ^ k->arp.key[1]) &
			    (KEEL_ARP_BUCKETS - 1u)];
}

void arp_init(struct keel *k, const uint8_t seed[16])
{
	struct arp_state *a = &k->arp;
	memset(a, 0, sizeof(*a));
	static const uint8_t tag[] = "keel neighbour hash";
	uint64_t h = siphash24(seed, tag, sizeof(tag));
	a->key[0] = (uint32_t)h;
	a->key[1] = (uint32_t)(h >> 32);
	for (unsigned i = 0; i < KEEL_ARP_CACHE_SIZE; i++)
		a->cache[i].hnext = (uint16_t)(i + 1 < KEEL_ARP_CACHE_SIZE ? i + 1 : ARP_NONE);
	a->free = 0;
	for (unsigned b = 0; b < KEEL_ARP_BUCKETS; b++)
		a->head[b] = ARP_NONE;
	a->retry.first = a->retry.last = ARP_NONE;
	a->expiry.first = a->expiry.last = ARP_NONE;
	a->lru.first = a->lru.last = ARP_NONE;
}

/* ---- queue ---- */

static uint8_t *slot_data(struct keel *k, unsigned i)
{
	if (i < KEEL_ARP_QUEUE_LEN)
		return k->arp.data + i * KEEL_ARP_QUEUE_SLOT;
	return k->arp.data + KEEL_ARP_QUEUE_LEN * KEEL_ARP_QUEUE_SLOT + (i - KEEL_ARP_QUEUE_LEN) * ARP_SMALL_SLOT;
}

static void slot_free(struct keel *k, struct arp_qslot *q)
{
	k->arp.cache[q->entry].queued--;
	k->arp.queued--;
	q->len = 0;
}

/* Oldest slot held by entry idx, or by anyone when idx < 0.  The queue is
 * a few dozen slots: a scan is bounded by the configuration. */
static struct arp_qslot *slot_oldest(struct keel *k, int idx)
{
	struct arp_qslot *best = NULL;
	for (int i = 0; i < ARP_QUEUE_SLOTS; i++) {
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
	for (int i = 0; i < ARP_QUEUE_SLOTS && k->arp.cache[idx].queued; i++) {
		struct arp_qslot *q = &k->arp.queue[i];
		if (q->len != 0 && q->entry == idx) {
			slot_free(k, q);
			k->arp.stats.queue_drops++;
		}
	}
}

/* A free slot that holds len bytes, small ones first for small packets. */
static int slot_find(struct keel *k, size_t len)
{
	if (len <= ARP_SMALL_SLOT)
		for (int i = KEEL_ARP_QUEUE_LEN; i < ARP_QUEUE_SLOTS; i++)
			if (k->arp.queue[i].len == 0)
				return i;
	for (int i = 0; i < KEEL_ARP_QUEUE_LEN; i++)
		if (k->arp.queue[i].len == 0)
			return i;
	return -1;
}

/* Copies the datagram in k->txbuf into the queue for entry idx.  Over the
 * entry's bound its oldest packet goes (RFC 1122 §2.3.2.2: keep the
 * latest); with no slot free for it, the oldest packet overall, whose
 * neighbour has had longest to answer. */
static int enqueue(struct keel *k, int idx, size_t ip_len)
{
	struct arp_state *a = &k->arp;
	if (ip_len == 0 || ip_len > KEEL_ARP_QUEUE_SLOT) {
		a->stats.queue_drops++;
		return -1;
	}
	if (a->cache[idx].queued >= KEEL_ARP_QUEUE_PER_ENTRY) {
		slot_free(k, slot_oldest(k, idx));
		a->stats.queue_drops++;
	}
	int i = slot_find(k, ip_len);
	for (int n = 0; i < 0 && n < ARP_QUEUE_SLOTS; n++) {
		slot_free(k, slot_oldest(k, -1));
		a->stats.queue_drops++;
		i = slot_find(k, ip_len);
	}
	if (i < 0) {
		a->stats.queue_drops++;   /* unreachable: the queue was emptied */
		return -1;
	}
	struct arp_qslot *q = &a->queue[i];
	memcpy(slot_data(k, (unsigned)i), k->txbuf + ETH_HDR_LEN, ip_len);
	q->len = (uint16_t)ip_len;
	q->entry = (uint16_t)idx;
	q->seq = a->qseq++;
	a->cache[idx].queued++;
	a->queued++;
	if (a->queued > a->stats.queue_hwm)
		a->stats.queue_hwm = a->queued;
	return 0;
}

/* Sends what entry idx queued, oldest first; the entry is now REACHABLE. */
static void flush(struct keel *k, int idx)
{
	for (int n = 0; n < ARP_QUEUE_SLOTS && k->arp.cache[idx].queued; n++) {
		struct arp_qslot *q = slot_oldest(k, idx);
		if (q == NULL)
			return;
		size_t len = q->len;
		memcpy(k->txbuf + ETH_HDR_LEN, slot_data(k, (unsigned)(q - k->arp.queue)), len);
		slot_free(k, q);
		if (eth_output(k, k->arp.cache[idx].mac, ETHERTYPE_IPV4, len) == 0)
			k->arp.stats.queue_sent++;
	}
}

/* ---- cache ---- */

static void entry_free(struct keel *k, int idx)
{
	struct arp_state *a = &k->arp;
	struct arp_entry *e = &a->cache[idx];
	if (e->state == ARP_FREE)
		return;
	drop_queue(k, idx);
	uint16_t *link = bucket(k, e->ip);
	for (unsigned n = 0; n < KEEL_ARP_CACHE_SIZE && *link != ARP_NONE; n++) {
		if (*link == idx) {
			*link = e->hnext;
			break;
		}
		link = &a->cache[*link].hnext;
	}
	list_unlink(k, timer_list(k, e), idx, 0);
	if (e->state == ARP_REACHABLE)
		list_unlink(k, &a->lru, idx, 1);
	else
		a->pending--;
	memset(e, 0, sizeof(*e));
	e->hnext = a->free;
	a->free = (uint16_t)idx;
	a->in_use--;
}

/* The entry for ip, or -1.  An expired entry is freed on the way. */
static int lookup(struct keel *k, uint32_t ip)
{
	uint16_t i = *bucket(k, ip);
	for (unsigned n = 0; n < KEEL_ARP_CACHE_SIZE && i != ARP_NONE; n++) {
		struct arp_entry *e = &k->arp.cache[i];
		if (e->ip == ip) {
			if (e->state == ARP_REACHABLE && due(k->now_ms, e->expires)) {
				entry_free(k, i);
				return -1;
			}
			return i;
		}
		i = e->hnext;
	}
	return -1;
}

/* The entry to reuse when none is free: an expired one, else (for a new
 * PENDING entry once KEEL_ARP_MAX_PENDING are unresolved) the oldest
 * PENDING one, else the least recently used REACHABLE one, else the
 * oldest PENDING one.  The lists' heads: O(1). */
static int victim(struct keel *k, uint8_t state)
{
	struct arp_state *a = &k->arp;
	if (a->expiry.first != ARP_NONE && due(k->now_ms, a->cache[a->expiry.first].expires))
		return a->expiry.first;
	a->stats.cache_evictions++;
	if (state == ARP_PENDING && a->pending >= KEEL_ARP_MAX_PENDING)
		return a->retry.first;
	if (a->lru.first != ARP_NONE)
		return a->lru.first;
	return a->retry.first;
}

/* A cleared entry for ip in the given state; never fails. */
static int entry_new(struct keel *k, uint32_t ip, uint8_t state)
{
	struct arp_state *a = &k->arp;
	if (a->free == ARP_NONE)
		entry_free(k, victim(k, state));
	int idx = a->free;
	struct arp_entry *e = &a->cache[idx];
	a->free = e->hnext;
	memset(e, 0, sizeof(*e));
	e->ip = ip;
	e->state = state;
	uint16_t *head = bucket(k, ip);
	e->hnext = *head;
	*head = (uint16_t)idx;
	a->in_use++;
	if (state == ARP_PENDING) {
		e->next_req = k->now_ms;
		list_append(k, &a->retry, idx, 0);
		a->pending++;
	} else {
		e->expires = k->now_ms + KEEL_ARP_REACHABLE_MS;
		list_append(k, &a->expiry, idx, 0);
		list_append(k, &a->lru, idx, 1);
	}
	return idx;
}

static void confirm(struct keel *k, int idx, const uint8_t mac[6])
{
	struct arp_state *a = &k->arp;
	struct arp_entry *e = &a->cache[idx];
	int was_pending = e->state == ARP_PENDING;
	list_unlink(k, timer_list(k, e), idx, 0);
	if (was_pending) {
		a->pending--;
		list_append(k, &a->lru, idx, 1);    /* just used */
	}
	memcpy(e->mac, mac, 6);
	e->state = ARP_REACHABLE;
	e->tries = 0;
	e->expires = k->now_ms + KEEL_ARP_REACHABLE_MS;
	e->next_req = k->now_ms;
	list_append(k, &a->expiry, idx, 0);      /* the latest expiry */
	if (was_pending)
		flush(k, idx);
}

/* Marks entry idx used now: the end of the LRU order. */
static void touch(struct keel *k, int idx)
{
	if (k->arp.lru.last == idx)
		return;
	list_unlink(k, &k->arp.lru, idx, 1);
	list_append(k, &k->arp.lru, idx, 1);
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
	if (e->state == ARP_PENDING) {
		e->tries++;
		/* Every retry waits the same interval: the retry list stays
		 * in deadline order with this entry at its end. */
		list_unlink(k, &k->arp.retry, idx, 0);
		list_append(k, &k->arp.retry, idx, 0);
	}
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
	if (keel_is_broadcast(k, next_hop))
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
	/* A connection's segments go to one neighbour in a row: the entry
	 * used last, while it still holds that address and is reachable,
	 * saves the hash and the chain walk (a freed entry is zeroed). */
	const struct arp_entry *hint = &k->arp.cache[k->arp.last];
	int idx = hint->ip == next_hop && hint->state == ARP_REACHABLE && !due(k->now_ms, hint->expires)
		? k->arp.last : lookup(k, next_hop);
	if (idx >= 0 && k->arp.cache[idx].state == ARP_REACHABLE) {
		struct arp_entry *e = &k->arp.cache[idx];
		k->arp.last = (uint16_t)idx;
		touch(k, idx);
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

/* Only the heads of the two deadline lists are ever due: expired entries
 * go, due PENDING ones retry or give up; at most ARP_TICK_BUDGET each. */
void arp_tick(struct keel *k)
{
	struct arp_state *a = &k->arp;
	for (unsigned n = 0; n < ARP_TICK_BUDGET && a->expiry.first != ARP_NONE; n++) {
		if (!due(k->now_ms, a->cache[a->expiry.first].expires))
			break;
		entry_free(k, a->expiry.first);
	}
	for (unsigned n = 0; n < ARP_TICK_BUDGET && a->retry.first != ARP_NONE; n++) {
		int i = a->retry.first;
		struct arp_entry *e = &a->cache[i];
		if (!due(k->now_ms, e->next_req))
			break;
		if (e->tries > KEEL_ARP_MAX_RETRIES) {
			a->stats.resolve_failures++;
			entry_free(k, i);
		} else {
			request(k, i);
		}
	}
}

int arp_next_deadline(const struct keel *k, uint32_t *when_ms)
{
	const struct arp_state *a = &k->arp;
	int have = 0;
	if (a->expiry.first != ARP_NONE) {
		*when_ms = a->cache[a->expiry.first].expires;
		have = 1;
	}
	if (a->retry.first != ARP_NONE) {
		uint32_t t = a->cache[a->retry.first].next_req;
		if (!have || (int32_t)(t - *when_ms) < 0)
			*when_ms = t;
		have = 1;
	}
	return have;
}
