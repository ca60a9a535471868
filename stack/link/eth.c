/* Ethernet II input filter and dispatch, and output framing. */
#include <string.h>
#include "byteorder.h"
#include "keel.h"

_Static_assert(KEEL_FRAME_MAX >= ETH_MIN_FRAME + 8, "eth_output's 8-byte pad stays in txbuf");

const uint8_t eth_broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* Six bytes as one word and one halfword: memcmp is a library call
 * under -Os, twice for every frame. */
static int mac_eq(const uint8_t *a, const uint8_t *b)
{
	uint32_t a4, b4;
	uint16_t a2, b2;
	__builtin_memcpy(&a4, a, 4);
	__builtin_memcpy(&b4, b, 4);
	__builtin_memcpy(&a2, a + 4, 2);
	__builtin_memcpy(&b2, b + 4, 2);
	return ((a4 ^ b4) | (uint32_t)(a2 ^ b2)) == 0;
}

void eth_input(struct keel *k, const uint8_t *frame, size_t len)
{
	k->eth.in_frames++;
	if (frame == NULL || len < ETH_HDR_LEN) {
		k->eth.in_runts++;
		return;
	}
	/* The Stellaris MAC in QEMU filters nothing, and hosts send IPv6
	 * multicast all the time: only our MAC and broadcast get through. */
	if (!mac_eq(frame, k->ifc.mac) && !mac_eq(frame, eth_broadcast)) {
		if (frame[0] & 0x01) /* I/G bit: group address */
			k->eth.in_multicast++;
		else
			k->eth.in_not_for_us++;
		return;
	}
	const uint8_t *payload = frame + ETH_HDR_LEN;
	size_t plen = len - ETH_HDR_LEN;
	switch (load_be16(frame + 12)) {
	case ETHERTYPE_ARP:
		arp_input(k, payload, plen);
		break;
	case ETHERTYPE_IPV4:
		ipv4_input(k, payload, plen);
		break;
	default: /* IPv6, LLDP, VLAN tags, 802.3 length fields */
		k->eth.in_unknown_type++;
		break;
	}
}

int eth_output(struct keel *k, const uint8_t dst[6], uint16_t ethertype, size_t payload_len)
{
	if (payload_len > KEEL_MTU || k->tx == NULL) {
		k->eth.out_errors++;
		return -1;
	}
	if (k->link_down) {
		k->eth.out_link_down++;
		return -1;
	}
	uint8_t *f = k->txbuf;
	memcpy(f, dst, 6);
	memcpy(f + 6, k->ifc.mac, 6);
	store_be16(f + 12, ethertype);
	size_t len = ETH_HDR_LEN + payload_len;
	if (len < ETH_MIN_FRAME) {
		/* Pad here rather than trust every MAC to do it; zeros, so no
		 * stale bytes of an earlier frame leak onto the wire.  A TCP
		 * ACK or SYN-ACK (54 or 58 bytes) needs at most 8: eight
		 * fixed stores, inline, not the library call (txbuf has room
		 * past the frame; bytes beyond it are not sent). */
		if (len + 8u >= ETH_MIN_FRAME)
			__builtin_memset(f + len, 0, 8);
		else
			memset(f + len, 0, ETH_MIN_FRAME - len);
		len = ETH_MIN_FRAME;
	}
	if (k->tx(k->tx_ctx, f, len) != 0) {
		k->eth.out_errors++;
		return -1;
	}
	k->eth.out_frames++;
	return 0;
}
