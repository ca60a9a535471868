/* IPv4 input validation and output (RFC 791, RFC 1122 §3.2.1). */
#ifndef KEEL_IPV4_H
#define KEEL_IPV4_H
#include <stddef.h>
#include <stdint.h>

#define IPV4_HDR_LEN 20
#define IPV4_TTL 64              /* RFC 1700 default, as Linux */
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17

struct keel;

/* A validated received datagram: what upper layers see. */
struct ipv4_packet {
	uint32_t src, dst;       /* host byte order */
	uint8_t proto, ttl;
	const uint8_t *payload;  /* points into the received frame */
	size_t len;              /* payload length from the IP total length */
	uint8_t bcast;           /* dst is a broadcast address, not ours */
	const uint8_t *hdr;      /* the IP header itself (ICMP errors quote it) */
	size_t hlen;             /* its length, options included */
	uint8_t csum_ok;         /* the MAC verified the upper layer's checksum */
};

/* Drop reasons, one counter each (netstat -s names in comments). */
struct ipv4_stats {
	uint32_t in_receives;      /* InReceives */
	uint32_t in_delivers;      /* InDelivers */
	uint32_t out_requests;     /* OutRequests */
	uint32_t in_hdr_errors;    /* InHdrErrors: version, IHL, header cut short, bad options */
	uint32_t in_csum_errors;   /* InCsumErrors */
	uint32_t in_truncated;     /* InTruncatedPkts: total length beyond the frame */
	uint32_t in_addr_errors;   /* InAddrErrors: not for us */
	uint32_t in_unknown_protos;/* InUnknownProtos */
	uint32_t in_fragments;     /* ReasmFails: fragments are not reassembled */
	uint32_t in_options;       /* delivered with options skipped (RFC 1122 §3.2.1.8) */
	uint32_t out_no_routes;    /* OutNoRoutes */
	uint32_t out_discards;     /* OutDiscards: driver refused, ARP queue full */
	uint32_t in_srcroute;      /* dropped: source route option (Linux accept_source_route=0) */
	uint32_t in_martians;      /* dropped: source is broadcast, multicast, 0, 127/8 or 240/4 */
	uint32_t in_bcast_drops;   /* dropped: broadcast to a unicast-only protocol (TCP) */
	uint32_t in_padding_trimmed;/* frames longer than the total length (Ethernet padding) */
	uint16_t next_id;          /* not a counter: the next Identification to send */
};

void ipv4_input(struct keel *k, const uint8_t *pkt, size_t len);
/* The upper layer writes its header and payload here, up to KEEL_MTU - 20
 * bytes, then calls ipv4_output: no copy between layers on output. */
uint8_t *ipv4_payload_buf(struct keel *k);
/* Sends the payload_len bytes in ipv4_payload_buf to dst.  Returns 0 when
 * sent or queued for ARP resolution, -1 when dropped (counted). */
int ipv4_output(struct keel *k, uint32_t dst, uint8_t proto, size_t payload_len);
/* Limited (255.255.255.255) or our subnet's directed broadcast. */
int ipv4_is_broadcast(const struct keel *k, uint32_t addr);

static inline int ipv4_is_multicast(uint32_t addr)
{
	return (addr >> 28) == 0xe; /* 224.0.0.0/4 */
}
#endif
