/* IPv4 (RFC 791) for a host (RFC 1122 §3.2.1): validate, deliver, send.
 *
 * Input checks run in the order Linux's ip_rcv_core uses, each failure
 * counted under its own reason.  Fragments are dropped: nothing here
 * reassembles, and our peers honour DF-driven path MTU discovery.
 *
 * Options: RFC 1122 §3.2.1.8 says a host MUST silently ignore options it
 * does not understand, so a datagram with well-formed options is delivered
 * with them skipped (counted in in_options), not dropped; a malformed
 * option list is a header error.  Source-routed datagrams are the one
 * exception: they are dropped, as Linux does by default, because answering
 * along a route the sender chose is a spoofing aid. */
#include <string.h>
#include "byteorder.h"
#include "checksum.h"
#include "keel.h"

#define IP_FLAG_DF 0x4000
#define IP_FLAG_MF 0x2000
#define IP_FRAG_OFF_MASK 0x1fff
#define IPOPT_EOL 0
#define IPOPT_NOP 1
#define IPOPT_LSRR 131
#define IPOPT_SSRR 137

int ipv4_is_broadcast(const struct keel *k, uint32_t addr)
{
	return keel_is_broadcast(k, addr);
}

/* RFC 1122 §3.2.1.3: sources no host may have; drop silently. */
static int martian_src(const struct keel *k, uint32_t src)
{
	return src == 0 || keel_is_broadcast(k, src) || ipv4_is_multicast(src) ||
	       (src >> 24) == 127 || (src >> 28) == 0xf || src == k->ifc.addr;
}

/* Walks the options (RFC 791 §3.1): -1 malformed, 1 source route, 0 fine.
 * At most 40 bytes, each step consumes at least one. */
static int check_options(const uint8_t *o, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t type = o[i];
		if (type == IPOPT_EOL)
			return 0;
		if (type == IPOPT_NOP) {
			i++;
			continue;
		}
		if (n - i < 2 || o[i + 1] < 2 || o[i + 1] > n - i)
			return -1;
		if (type == IPOPT_LSRR || type == IPOPT_SSRR)
			return 1;
		i += o[i + 1];
	}
	return 0;
}

void ipv4_input(struct keel *k, const uint8_t *pkt, size_t len)
{
	struct ipv4_stats *st = &k->ip;
	st->in_receives++;
	if (len < IPV4_HDR_LEN || (pkt[0] >> 4) != 4 || (pkt[0] & 0x0f) < 5) {
		st->in_hdr_errors++;
		return;
	}
	size_t hlen = (size_t)(pkt[0] & 0x0f) * 4;
	if (len < hlen) {
		st->in_hdr_errors++; /* header cut short */
		return;
	}
	if (!(k->offload & KEEL_OFFLOAD_RX_CSUM) &&
	    csum_fold(hlen == IPV4_HDR_LEN ? csum_ipv4_hdr(pkt) : csum_add(0, pkt, hlen)) != 0) {
		st->in_csum_errors++;
		return;
	}
	size_t total = load_be16(pkt + 2);
	if (total < hlen) {
		st->in_hdr_errors++;
		return;
	}
	if (total > len) {
		st->in_truncated++;
		return;
	}
	if (total < len)
		st->in_padding_trimmed++; /* Ethernet pads short frames to 60 bytes */

	uint32_t src = load_be32(pkt + 12), dst = load_be32(pkt + 16);
	if (martian_src(k, src)) {
		st->in_martians++;
		return;
	}
	int bcast = keel_is_broadcast(k, dst);
	if (!bcast && (dst != k->ifc.addr || dst == 0)) {
		st->in_addr_errors++;
		return;
	}
	if (load_be16(pkt + 6) & (IP_FLAG_MF | IP_FRAG_OFF_MASK)) {
		st->in_fragments++;
		return;
	}
	if (hlen > IPV4_HDR_LEN) {
		int rc = check_options(pkt + IPV4_HDR_LEN, hlen - IPV4_HDR_LEN);
		if (rc < 0) {
			st->in_hdr_errors++;
			return;
		}
		if (rc > 0) {
			st->in_srcroute++;
			return;
		}
		st->in_options++;
	}

	struct ipv4_packet ip = {
		.src = src, .dst = dst, .proto = pkt[9], .ttl = pkt[8],
		.payload = pkt + hlen, .len = total - hlen, .bcast = (uint8_t)bcast,
		.hdr = pkt, .hlen = hlen, .csum_ok = (k->offload & KEEL_OFFLOAD_RX_CSUM) != 0,
	};
	switch (ip.proto) {
	case IP_PROTO_ICMP:
		st->in_delivers++;
		icmp_input(k, &ip);
		break;
	case IP_PROTO_TCP:
		/* TCP is unicast only: RFC 1122 §4.2.3.10 discards broadcast SYNs. */
		if (bcast) {
			st->in_bcast_drops++;
			break;
		}
		st->in_delivers++;
		tcp_input(k, &ip);
		break;
	case IP_PROTO_UDP:
		st->in_delivers++;
		udp_input(k, &ip);
		break;
	default:
		/* RFC 1122 §3.2.2.1: a host SHOULD say protocol unreachable. */
		st->in_unknown_protos++;
		icmp_send_unreach(k, &ip, ICMP_UNREACH_PROTOCOL);
		break;
	}
}

uint8_t *ipv4_payload_buf(struct keel *k)
{
	return k->txbuf + ETH_HDR_LEN + IPV4_HDR_LEN;
}

/* On-link destinations directly, the rest through the gateway
 * (RFC 1122 §3.3.1.1); 0 when there is no way there. */
static uint32_t next_hop(const struct keel *k, uint32_t dst)
{
	uint32_t mask = keel_netmask(k->ifc.prefix);
	if (keel_is_broadcast(k, dst) || ipv4_is_multicast(dst))
		return dst;
	if (dst == 0 || dst == k->ifc.addr || (dst >> 24) == 127)
		return 0; /* no loopback interface */
	if (((dst ^ k->ifc.addr) & mask) == 0)
		return dst;
	return k->ifc.gateway;
}

int ipv4_output(struct keel *k, uint32_t dst, uint8_t proto, size_t payload_len)
{
	struct ipv4_stats *st = &k->ip;
	st->out_requests++;
	if (payload_len > KEEL_MTU - IPV4_HDR_LEN) {
		st->out_discards++;
		return -1;
	}
	uint32_t hop = next_hop(k, dst);
	if (hop == 0) {
		st->out_no_routes++;
		return -1;
	}
	size_t total = IPV4_HDR_LEN + payload_len;
	uint8_t *h = k->txbuf + ETH_HDR_LEN;
	/* Version 4, IHL 5 (we send no options), DSCP/ECN 0 and the total
	 * length: one word. */
	store_be32(h, 0x45000000u | (uint32_t)total);
	store_be16(h + 4, st->next_id++);
	/* DF for TCP: path MTU discovery (RFC 1191).  ICMP replies and
	 * errors go without it, as Linux's ICMP socket sends them
	 * (IP_PMTUDISC_DONT): a router may fragment them rather than drop. */
	store_be16(h + 6, proto == IP_PROTO_ICMP ? 0 : IP_FLAG_DF);
	h[8] = IPV4_TTL;
	h[9] = proto;
	store_be16(h + 10, 0);
	store_be32(h + 12, k->ifc.addr);
	store_be32(h + 16, dst);
	if (keel_tx_csum(k))
		store_be16(h + 10, csum_fold(csum_ipv4_hdr(h)));
	if (arp_output(k, hop, total) != 0) {
		st->out_discards++;
		return -1;
	}
	return 0;
}
