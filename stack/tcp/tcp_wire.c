/* TCP header codec (RFC 9293 §3.1; the options, §3.2, in tcp_options.c):
 * parses a received segment into a struct tcp_seg and writes a header into
 * a caller's buffer.  It knows no stack instance: counting and handing the
 * segment to IP is the caller's (tcp_emit.c), so the codec is tested and
 * fuzzed alone (tests/unit/test_tcp_wire.c). */
#include "byteorder.h"
#include "checksum.h"
#include "ipv4.h"
#include "tcp_options.h"
#include "tcp_wire.h"

int tcp_seg_parse(const struct ipv4_packet *ip, struct tcp_seg *seg)
{
	const uint8_t *p = ip->payload;
	size_t len = ip->len;
	if (len < TCP_HDR_LEN || len > 0xffffu)
		return TCP_PARSE_SHORT;
	size_t doff = (size_t)(p[12] >> 4) * 4u;
	if (doff < TCP_HDR_LEN)
		return TCP_PARSE_DOFF;
	if (doff > len)
		return TCP_PARSE_SHORT;
	uint32_t sum = csum_pseudo(ip->src, ip->dst, IP_PROTO_TCP, (uint16_t)len);
	if (!ip->csum_ok && csum_fold(csum_add(sum, p, len)) != 0)
		return TCP_PARSE_CSUM;
	/* Every field but sack[], which only nsack blocks of are ever read:
	 * zeroing its 32 bytes for every segment bought nothing. */
	seg->mss = 0;
	seg->opts = 0;
	seg->wscale = 0;
	seg->nsack = 0;
	seg->tsval = 0;
	seg->tsecr = 0;
	seg->saddr = ip->src;
	seg->daddr = ip->dst;
	seg->sport = load_be16(p);
	seg->dport = load_be16(p + 2);
	seg->seq = load_be32(p + 4);
	seg->ack = load_be32(p + 8);
	seg->flags = p[13] & 0x3fu;
	seg->wnd = load_be16(p + 14);
	seg->data = p + doff;
	seg->len = (uint16_t)(len - doff);
	if (tcp_options_parse(p + TCP_HDR_LEN, doff - TCP_HDR_LEN, seg) != 0)
		return TCP_PARSE_OPTIONS;
	return TCP_PARSE_OK;
}

int tcp_seg_write(uint8_t *seg, size_t cap, const struct tcp_out *o, size_t len, int csum)
{
	size_t hlen = TCP_HDR_LEN + tcp_opt_len(o);
	if ((o->mss || (o->opts & (TCP_OPTF_WSCALE | TCP_OPTF_SACKOK))) && len != 0)
		return -1;   /* SYNs carry no payload */
	if (hlen + len > cap || hlen + len > 0xffffu)
		return -1;
	store_be16(seg, o->sport);
	store_be16(seg + 2, o->dport);
	store_be32(seg + 4, o->seq);
	store_be32(seg + 8, o->ack);
	seg[12] = (uint8_t)((hlen / 4u) << 4);
	seg[13] = o->flags;
	store_be16(seg + 14, o->wnd);
	store_be16(seg + 16, 0);   /* checksum */
	store_be16(seg + 18, 0);   /* urgent pointer */
	(void)tcp_options_write(seg + TCP_HDR_LEN, o);
	size_t total = hlen + len;
	if (csum) {
		uint32_t sum = csum_pseudo(o->saddr, o->daddr, IP_PROTO_TCP, (uint16_t)total);
		store_be16(seg + 16, csum_fold(csum_add(sum, seg, total)));
	}
	return (int)total;
}

/* The MSS we send with, from the peer's option (0 = absent: 536, RFC 9293
 * §3.7.1): never above ours, never below TCP_MSS_MIN. */
uint16_t tcp_clamp_mss(uint16_t peer)
{
	if (peer == 0)
		peer = TCP_MSS_DEFAULT;
	if (peer > TCP_MSS_OURS)
		peer = TCP_MSS_OURS;
	if (peer < TCP_MSS_MIN)
		peer = TCP_MSS_MIN;
	return peer;
}
