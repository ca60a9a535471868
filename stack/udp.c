/* UDP (RFC 768) without sockets: keel serves only TCP, so a valid UDP
 * datagram to us is answered ICMP port unreachable (RFC 1122 §4.1.3.1),
 * as Linux answers one for a closed port; a malformed one is dropped and
 * counted, never answered (Linux __udp4_lib_rcv checks first). */
#include "byteorder.h"
#include "checksum.h"
#include "keel.h"

#define UDP_HDR_LEN 8

void udp_input(struct keel *k, const struct ipv4_packet *ip)
{
	struct ipv4_stats *st = &k->ip;
	if (ip->len < UDP_HDR_LEN) {
		st->udp_in_errors++;
		return;
	}
	size_t ulen = load_be16(ip->payload + 4);
	if (ulen < UDP_HDR_LEN || ulen > ip->len) {
		st->udp_in_errors++;
		return;
	}
	/* Checksum 0: none was sent (RFC 768). */
	if (load_be16(ip->payload + 6) != 0 && !ip->csum_ok) {
		uint32_t sum = csum_pseudo(ip->src, ip->dst, IP_PROTO_UDP, (uint16_t)ulen);
		if (csum_fold(csum_add(sum, ip->payload, ulen)) != 0) {
			st->udp_in_errors++;
			return;
		}
	}
	if (ip->bcast) {
		st->udp_in_datagrams++;   /* broadcast: nobody listens, nobody is told */
		return;
	}
	st->udp_no_ports++;
	icmp_send_unreach(k, ip, ICMP_UNREACH_PORT);
}
