/* Host test helpers: one stack instance on a fake wire that records every
 * frame sent, and builders for the frames a peer would send. */
#ifndef KEEL_TEST_FAKE_NET_H
#define KEEL_TEST_FAKE_NET_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "byteorder.h"
#include "checksum.h"
#include "keel.h"

#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define OUR_IP IP4(192, 0, 2, 2)
#define GW_IP IP4(192, 0, 2, 1)
#define PEER_IP IP4(192, 0, 2, 10)
#define FAKE_MAX_FRAMES 32

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x10};
static const uint8_t gw_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t bcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t test_seed[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

struct fake_net {
	uint8_t frame[FAKE_MAX_FRAMES][KEEL_FRAME_MAX];
	size_t len[FAKE_MAX_FRAMES];
	int n;        /* frames captured */
	int total;    /* frames offered, including those beyond the array */
	int refuse;   /* nonzero: the driver refuses every frame */
};

/* Static: struct keel holds the TCP pools and is too big for a stack. */
static struct keel K;
static struct fake_net NET;

static inline int fake_tx(void *ctx, const uint8_t *f, size_t len)
{
	struct fake_net *n = ctx;
	assert_true(len >= 60 && len <= KEEL_FRAME_MAX);
	if (n->refuse)
		return -1;
	n->total++;
	if (n->n < FAKE_MAX_FRAMES) {
		memcpy(n->frame[n->n], f, len);
		n->len[n->n] = len;
		n->n++;
	}
	return 0;
}

static inline int fake_setup(void **state)
{
	(void)state;
	memset(&NET, 0, sizeof(NET));
	keel_init(&K, our_mac, OUR_IP, 24, GW_IP, test_seed, fake_tx, &NET);
	return 0;
}

static inline void fake_clear(void)
{
	NET.n = 0;
	NET.total = 0;
}

static inline void put_mac(uint8_t *p, const uint8_t m[6])
{
	memcpy(p, m, 6);
}

static inline size_t build_eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	put_mac(f, dst);
	put_mac(f + 6, src);
	store_be16(f + 12, type);
	return 14;
}

/* A 42-byte ARP frame (no padding). */
static inline size_t build_arp(uint8_t *f, const uint8_t eth_dst[6], uint16_t op,
			       const uint8_t sha[6], uint32_t spa, const uint8_t tha[6], uint32_t tpa)
{
	build_eth(f, eth_dst, sha, 0x0806);
	uint8_t *a = f + 14;
	store_be16(a, 1);
	store_be16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	store_be16(a + 6, op);
	put_mac(a + 8, sha);
	store_be32(a + 14, spa);
	put_mac(a + 18, tha);
	store_be32(a + 24, tpa);
	return 42;
}

/* An Ethernet + 20-byte IPv4 header + payload frame, checksum correct.
 * Returns the frame length. */
static inline size_t build_ipv4(uint8_t *f, const uint8_t eth_src[6], uint32_t src,
				uint32_t dst, uint8_t proto, const uint8_t *payload, size_t plen)
{
	build_eth(f, our_mac, eth_src, 0x0800);
	uint8_t *h = f + 14;
	memset(h, 0, 20);
	h[0] = 0x45;
	store_be16(h + 2, (uint16_t)(20 + plen));
	store_be16(h + 4, 0x1234);
	h[8] = 64;
	h[9] = proto;
	store_be32(h + 12, src);
	store_be32(h + 16, dst);
	store_be16(h + 10, csum_fold(csum_add(0, h, 20)));
	if (plen)
		memcpy(h + 20, payload, plen);
	return 14 + 20 + plen;
}

/* Recomputes the IP header checksum after a test edits the header. */
static inline void fix_ip_csum(uint8_t *f)
{
	uint8_t *h = f + 14;
	size_t hl = (size_t)(h[0] & 0x0f) * 4;
	store_be16(h + 10, 0);
	store_be16(h + 10, csum_fold(csum_add(0, h, hl)));
}

/* ICMP echo request (type 8) with the given id, seq and data. */
static inline size_t build_echo(uint8_t *icmp, uint16_t id, uint16_t seq, const uint8_t *data,
				size_t dlen)
{
	icmp[0] = 8;
	icmp[1] = 0;
	store_be16(icmp + 2, 0);
	store_be16(icmp + 4, id);
	store_be16(icmp + 6, seq);
	if (dlen)
		memcpy(icmp + 8, data, dlen);
	store_be16(icmp + 2, csum_fold(csum_add(0, icmp, 8 + dlen)));
	return 8 + dlen;
}

/* Seeds the ARP cache with a neighbour as if it had asked for us. */
static inline void learn(uint32_t ip, const uint8_t mac[6], uint32_t now)
{
	uint8_t f[64];
	static const uint8_t zero[6];
	size_t n = build_arp(f, bcast_mac, 1, mac, ip, zero, OUR_IP);
	keel_input(&K, f, n, now);
}

static inline const struct arp_entry *arp_find(uint32_t ip)
{
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE; i++)
		if (K.arp.cache[i].state != ARP_FREE && K.arp.cache[i].ip == ip)
			return &K.arp.cache[i];
	return NULL;
}
#endif
