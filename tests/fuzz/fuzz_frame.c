/* libFuzzer target: arbitrary frames, clock jumps and sends into one stack
 * instance, with the layer invariants checked after every step.
 *
 * Input: 4 bytes of start time (so the clock wraps too), then records
 * [op][len lo][len hi][len bytes]:
 *   op & 3 == 0  tick: advance the clock by len * 16 ms (up to ~17 min)
 *   op & 3 == 3  send: ipv4_output of len bytes to 192.0.2.<first byte>
 *   otherwise    a frame of len bytes; flag bits help it past the filters:
 *                0x04 our MAC, 0x08 broadcast, 0x80 ethertype ARP or IPv4
 *                (low bit of byte 13), 0x10 make the IPv4 header (lengths,
 *                checksums) or the ARP fixed fields valid, 0x20 sender on
 *                our subnet, 0x40 target or destination ours. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "byteorder.h"
#include "checksum.h"
#include "keel.h"

#define OUR_IP 0xc0000202u /* 192.0.2.2/24, gateway .1 (RFC 5737) */
static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t seed[16];
static struct keel K;
static uint8_t frame[KEEL_FRAME_MAX + 64];
static unsigned tx_count;

static int tx(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	assert(len >= ETH_MIN_FRAME && len <= KEEL_FRAME_MAX);
	assert(memcmp(f + 6, mac, 6) == 0);
	uint16_t type = load_be16(f + 12);
	if (type == ETHERTYPE_ARP) {
		uint16_t op = load_be16(f + 20);
		assert(op == ARP_OP_REQUEST || op == ARP_OP_REPLY);
		assert(memcmp(f + 22, mac, 6) == 0 && load_be32(f + 28) == OUR_IP);
	} else {
		assert(type == ETHERTYPE_IPV4);
		const uint8_t *h = f + ETH_HDR_LEN;
		assert(h[0] == 0x45);
		assert(load_be16(h + 2) <= len - ETH_HDR_LEN);
		assert(csum_fold(csum_add(0, h, IPV4_HDR_LEN)) == 0);
		assert(load_be32(h + 12) == OUR_IP);
	}
	tx_count++;
	return (tx_count % 61) == 0 ? -1 : 0; /* now and then the driver is full */
}

static void check_invariants(void)
{
	const struct arp_state *a = &K.arp;
	unsigned used = 0, per[KEEL_ARP_CACHE_SIZE] = {0};
	assert(a->queued <= ARP_QUEUE_SLOTS);
	for (int i = 0; i < ARP_QUEUE_SLOTS; i++) {
		const struct arp_qslot *q = &a->queue[i];
		if (q->len == 0)
			continue;
		used++;
		assert(q->len <= KEEL_ARP_QUEUE_SLOT);
		assert(q->entry < KEEL_ARP_CACHE_SIZE);
		assert(a->cache[q->entry].state == ARP_PENDING);
		per[q->entry]++;
	}
	assert(used == a->queued);
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE; i++) {
		const struct arp_entry *e = &a->cache[i];
		assert(e->queued == per[i]);
		assert(e->queued <= KEEL_ARP_QUEUE_PER_ENTRY);
		assert(e->state <= ARP_REACHABLE);
		if (e->state == ARP_FREE)
			continue;
		assert(e->ip != 0 && e->ip != OUR_IP && !ipv4_is_broadcast(&K, e->ip));
		assert(e->state != ARP_PENDING || e->tries <= KEEL_ARP_MAX_RETRIES + 1);
		for (int j = i + 1; j < KEEL_ARP_CACHE_SIZE; j++)
			assert(a->cache[j].state == ARP_FREE || a->cache[j].ip != e->ip);
	}
	assert(K.ip.in_delivers <= K.ip.in_receives);
	assert(K.icmp.out_echo_reps <= K.icmp.in_echos);
	assert(K.arp.stats.queue_sent + K.arp.stats.queue_drops + a->queued <=
	       K.ip.out_requests);
}

static void shape_arp(uint8_t op, size_t n)
{
	uint8_t *a = frame + ETH_HDR_LEN;
	if (n < ETH_HDR_LEN + ARP_PKT_LEN)
		return;
	if (op & 0x10) {
		store_be16(a, 1);
		store_be16(a + 2, ETHERTYPE_IPV4);
		a[4] = 6;
		a[5] = 4;
		a[7] = 1 + (a[7] & 1); /* request or reply */
		a[6] = 0;
	}
	if (op & 0x20)
		store_be32(a + 14, (OUR_IP & 0xffffff00u) | (a[17] & 0x0f));
	if (op & 0x40)
		store_be32(a + 24, OUR_IP);
}

static void shape_ipv4(uint8_t op, size_t n)
{
	uint8_t *h = frame + ETH_HDR_LEN;
	if (n < ETH_HDR_LEN + IPV4_HDR_LEN)
		return;
	if (op & 0x20)
		store_be32(h + 12, (OUR_IP & 0xffffff00u) | (h[15] & 0x0f));
	if (op & 0x40)
		store_be32(h + 16, OUR_IP);
	if (!(op & 0x10))
		return;
	/* A plausible header: the TOS byte picks what stays odd. */
	size_t hl = (h[0] & 0x0f) < 5 ? 20 : (size_t)(h[0] & 0x0f) * 4;
	if (ETH_HDR_LEN + hl > n)
		return;
	h[0] = (uint8_t)(0x40 | hl / 4);
	size_t total = n - ETH_HDR_LEN - (h[1] & 3); /* a little padding */
	if (total < hl)
		total = hl;
	store_be16(h + 2, (uint16_t)total);
	if (!(h[1] & 4))
		store_be16(h + 6, 0x4000);
	if (h[9] == IP_PROTO_ICMP && !(h[1] & 8) && total - hl >= 4) {
		uint8_t *m = h + hl;
		store_be16(m + 2, 0);
		store_be16(m + 2, csum_fold(csum_add(0, m, total - hl)));
	}
	store_be16(h + 10, 0);
	store_be16(h + 10, csum_fold(csum_add(0, h, hl)));
}

static void shape(uint8_t op, size_t n)
{
	if (n < ETH_HDR_LEN)
		return;
	if (op & 0x04)
		memcpy(frame, mac, 6);
	if (op & 0x08)
		memset(frame, 0xff, 6);
	if (op & 0x80)
		store_be16(frame + 12, (frame[13] & 1) ? ETHERTYPE_ARP : ETHERTYPE_IPV4);
	if (load_be16(frame + 12) == ETHERTYPE_ARP)
		shape_arp(op, n);
	else if (load_be16(frame + 12) == ETHERTYPE_IPV4)
		shape_ipv4(op, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	uint32_t now = load_be32(data);
	data += 4;
	size -= 4;
	keel_init(&K, mac, OUR_IP, 24, 0xc0000201u, seed, tx, NULL);
	tx_count = 0;
	while (size >= 3) { /* each record consumes at least 3 bytes */
		uint8_t op = data[0];
		size_t len = (size_t)data[1] | (size_t)data[2] << 8;
		data += 3;
		size -= 3;
		if ((op & 3) == 0) {
			now += (uint32_t)len * 16;
			keel_tick(&K, now);
		} else if ((op & 3) == 3) {
			size_t n = len % (KEEL_MTU + 16);
			uint8_t host = size ? data[0] : 0;
			K.now_ms = now;
			memset(ipv4_payload_buf(&K), op, n > KEEL_MTU - 20 ? KEEL_MTU - 20 : n);
			ipv4_output(&K, (OUR_IP & 0xffffff00u) | host, 253, n);
		} else {
			size_t n = len < size ? len : size;
			if (n > sizeof(frame))
				n = sizeof(frame);
			memcpy(frame, data, n);
			shape(op, n);
			keel_input(&K, frame, n, now);
			data += n;
			size -= n;
		}
		check_invariants();
	}
	return 0;
}
