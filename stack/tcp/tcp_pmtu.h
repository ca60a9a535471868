/* Path MTU discovery for TCP (RFC 1191), hardened as RFC 5927 asks: an
 * ICMP "fragmentation needed" lowers the MSS of the one connection it
 * quotes, when the quoted segment is one we have in flight. */
#ifndef KEEL_TCP_PMTU_H
#define KEEL_TCP_PMTU_H
#include <stddef.h>
#include <stdint.h>

struct keel;

/* Linux's net.ipv4.route.min_pmtu: a smaller MTU is taken as this one, so
 * a forged ICMP cannot shrink segments to a trickle. */
#define TCP_PMTU_MIN 552u

/* Counters (TcpExt): OutOfWindowIcmps is Linux's; the rest keel's. */
struct tcp_pmtu_stats {
	uint32_t updates;            /* TCPPmtuUpdates: an MSS lowered */
	uint32_t out_of_window;      /* OutOfWindowIcmps: quoted seq not in flight */
	uint32_t no_conn;            /* TCPPmtuNoConn: quotes no connection of ours */
	uint32_t ignored;            /* TCPPmtuIgnored: not smaller, malformed quote */
};

/* ICMP type 3 code 4 from a router: quote is the datagram it quotes (IP
 * header onwards, qlen bytes), next_hop_mtu the value in the ICMP header
 * (0 from routers older than RFC 1191). */
void tcp_pmtu_input(struct keel *k, const uint8_t *quote, size_t qlen, uint16_t next_hop_mtu);
/* RFC 1191 §7: the plateau below a datagram of total_len bytes. */
uint16_t tcp_pmtu_plateau(uint16_t total_len);
#endif
