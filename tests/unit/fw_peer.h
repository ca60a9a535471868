/* The on-link peer the firmware's unit tests script (test_fw_apps,
 * test_fw_echo, test_fw_services; test_fw_api for its addresses and ARP
 * request): its ARP request and its TCP segments to the device, built by
 * hand.  The TCP segments count on the MAC's receive checksum offload
 * (keel_set_offload KEEL_OFFLOAD_RX_CSUM), so they carry no checksums. */
#ifndef FW_PEER_H
#define FW_PEER_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <keel/keel.h>

#define OUR_IP 0xC0000202u
#define PEER_IP 0xC000020Au

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x10};

static inline void be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void be32(uint8_t *p, uint32_t v) { be16(p, (uint16_t)(v >> 16)); be16(p + 2, (uint16_t)v); }
static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A TCP segment the device sent (IPv4, no IP options): its sequence
 * number, flags and payload length; 0 for any other frame. */
struct dev_seg { uint32_t seq; uint8_t flags; size_t plen; };
static inline int device_segment(const uint8_t *f, size_t len, struct dev_seg *out)
{
	if (len < 14 + 40 || f[12] != 0x08 || f[13] != 0 || f[14 + 9] != 6)
		return 0;
	const uint8_t *ip = f + 14, *t = ip + 20;
	out->seq = get32(t + 4);
	out->flags = t[13];
	out->plen = ((size_t)ip[2] << 8 | ip[3]) - 20 - (size_t)(t[12] >> 4) * 4;
	return 1;
}

/* An ARP request from the peer for our address: the stack learns its MAC
 * (RFC 826). */
static inline void peer_arp_at(struct keel *k, uint32_t now)
{
	uint8_t f[60] = {0};
	memset(f, 0xff, 6);
	memcpy(f + 6, peer_mac, 6);
	be16(f + 12, 0x0806);
	uint8_t *a = f + 14;
	be16(a, 1);
	be16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	be16(a + 6, 1);
	memcpy(a + 8, peer_mac, 6);
	be32(a + 14, PEER_IP);
	be32(a + 24, OUR_IP);
	keel_input(k, f, sizeof(f), now);
}

/* A TCP segment from the peer with no options and paylen (<= 64) bytes
 * of 'x', window 65535. */
static inline void peer_segment_at(struct keel *k, uint32_t now, uint16_t sport, uint16_t dport,
				   uint32_t seq, uint32_t ack, uint8_t flags, size_t paylen)
{
	uint8_t f[14 + 20 + 20 + 64] = {0};
	if (paylen > 64)
		paylen = 64;
	memcpy(f, our_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	be16(f + 12, 0x0800);
	uint8_t *ip = f + 14, *t = ip + 20;
	ip[0] = 0x45;
	be16(ip + 2, (uint16_t)(40 + paylen));
	ip[8] = 64;
	ip[9] = 6;
	be32(ip + 12, PEER_IP);
	be32(ip + 16, OUR_IP);
	be16(t, sport);
	be16(t + 2, dport);
	be32(t + 4, seq);
	be32(t + 8, ack);
	t[12] = 5 << 4;
	t[13] = flags;
	be16(t + 14, 65535);
	memset(t + 20, 'x', paylen);
	keel_input(k, f, 14 + 40 + paylen, now);
}
/* The device at OUR_IP/24 with receive checksum offload, its frames out
 * through tx, the peer's MAC already learnt. */
static inline struct keel *device_open_at(uint8_t seed0, int (*tx)(void *, const uint8_t *, size_t),
					  uint32_t now)
{
	struct keel_ifconfig ifc = { .addr = OUR_IP, .prefix = 24 };
	const uint8_t seed[16] = {seed0};
	memcpy(ifc.mac, our_mac, 6);
	struct keel *k = keel_open(&ifc, seed, tx, NULL);
	if (k) {
		keel_set_offload(k, KEEL_OFFLOAD_RX_CSUM);
		peer_arp_at(k, now);
	}
	return k;
}
#endif
