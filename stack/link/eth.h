/* Ethernet II framing (no 802.3 length frames, no VLAN tags). */
#ifndef KEEL_ETH_H
#define KEEL_ETH_H
#include <stddef.h>
#include <stdint.h>

#define ETH_HDR_LEN 14
#define ETH_MIN_FRAME 60   /* without FCS; shorter frames are padded (IEEE 802.3) */
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806

struct keel;

struct eth_stats {
	uint32_t in_frames;
	uint32_t in_runts;         /* shorter than a header */
	uint32_t in_not_for_us;    /* unicast to another MAC (the MAC does not filter) */
	uint32_t in_multicast;     /* multicast we did not join (IPv6 ND, mDNS, LLDP ...) */
	uint32_t in_unknown_type;  /* IPv6, LLDP, 802.3 ... */
	uint32_t out_frames;
	uint32_t out_errors;       /* driver refused the frame */
	uint32_t out_link_down;    /* not offered: the link is down (keel_link_set) */
};

void eth_input(struct keel *k, const uint8_t *frame, size_t len);
/* Sends k->txbuf whose payload (payload_len bytes at offset 14) is written.
 * Pads to ETH_MIN_FRAME with zeros.  Returns 0 when the driver took it, -1
 * otherwise (counted in out_errors). */
int eth_output(struct keel *k, const uint8_t dst[6], uint16_t ethertype, size_t payload_len);
extern const uint8_t eth_broadcast[6];
#endif
