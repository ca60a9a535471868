/* The one place a TCP segment leaves: the header written by the codec
 * (tcp_wire.c) into the frame being built, the TCP-MIB output counters,
 * then IP. */
#include "tcp_internal.h"

uint8_t *tcp_out_payload(struct keel *k)
{
	return ipv4_payload_buf(k) + TCP_HDR_LEN;
}

int tcp_emit(struct keel *k, const struct tcp_out *o, size_t len)
{
	int total = tcp_seg_write(ipv4_payload_buf(k), KEEL_MTU - IPV4_HDR_LEN, o, len, keel_tx_csum(k));
	if (total < 0)
		return -1;
	k->tcp.mib.out_segs++;
	if (o->flags & TCP_RST)
		k->tcp.mib.out_rsts++;
	return ipv4_output(k, o->daddr, IP_PROTO_TCP, (size_t)total);
}
