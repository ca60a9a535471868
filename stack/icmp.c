/* ICMP (RFC 792): we answer echo requests and count everything else.
 *
 * Echo requests to a broadcast address are ignored (RFC 1122 §3.2.2.6
 * allows it; Linux's icmp_echo_ignore_broadcasts=1): answering them makes
 * us an amplifier for smurf attacks. */
#include <string.h>
#include "checksum.h"
#include "keel.h"

static void echo_reply(struct keel *k, const struct ipv4_packet *ip)
{
	struct icmp_stats *st = &k->icmp;
	st->in_echos++;
	if (ip->bcast || ip->dst != k->ifc.addr) {
		st->in_echo_bcast++;
		return;
	}
	if (ip->len > KEEL_MTU - IPV4_HDR_LEN) {
		st->out_errors++; /* the frame was bigger than we can send back */
		return;
	}
	/* Same identifier, sequence number and data (RFC 792 "Echo"). */
	uint8_t *r = ipv4_payload_buf(k);
	memcpy(r, ip->payload, ip->len);
	r[0] = ICMP_ECHO_REPLY;
	r[1] = 0;
	r[2] = r[3] = 0;
	uint16_t c = csum_fold(csum_add(0, r, ip->len));
	r[2] = (uint8_t)(c >> 8);
	r[3] = (uint8_t)c;
	st->out_msgs++;
	if (ipv4_output(k, ip->src, IP_PROTO_ICMP, ip->len) != 0) {
		st->out_errors++;
		return;
	}
	st->out_echo_reps++;
}

void icmp_input(struct keel *k, const struct ipv4_packet *ip)
{
	struct icmp_stats *st = &k->icmp;
	st->in_msgs++;
	if (ip->len < ICMP_HDR_LEN) {
		st->in_errors++;
		return;
	}
	if (csum_fold(csum_add(0, ip->payload, ip->len)) != 0) {
		st->in_csum_errors++; /* Linux counts these in both */
		st->in_errors++;
		return;
	}
	if (ip->payload[0] == ICMP_ECHO_REQUEST && ip->payload[1] == 0)
		echo_reply(k, ip);
	/* Other types (replies, unreachables, redirects ...) are counted only. */
}
