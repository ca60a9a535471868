/* ICMP (RFC 792): we answer echo requests and count everything else.
 *
 * Echo requests to a broadcast address are ignored (RFC 1122 §3.2.2.6
 * allows it; Linux's icmp_echo_ignore_broadcasts=1): answering them makes
 * us an amplifier for smurf attacks. */
#include <string.h>
#include "byteorder.h"
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
	uint16_t c = keel_tx_csum(k) ? csum_fold(csum_add(0, r, ip->len)) : 0;
	r[2] = (uint8_t)(c >> 8);
	r[3] = (uint8_t)c;
	st->out_msgs++;
	if (ipv4_output(k, ip->src, IP_PROTO_ICMP, ip->len) != 0) {
		st->out_errors++;
		return;
	}
	st->out_echo_reps++;
}

/* Destination unreachable: "fragmentation needed" drives TCP's path MTU
 * discovery (RFC 1191 §4: the next-hop MTU in the low 16 bits of the
 * second word); the other codes are counted only. */
static void dest_unreach(struct keel *k, const struct ipv4_packet *ip)
{
	k->icmp.in_dest_unreachs++;
	if (ip->payload[1] == ICMP_UNREACH_NEEDFRAG)
		tcp_pmtu_input(k, ip->payload + ICMP_HDR_LEN, ip->len - ICMP_HDR_LEN,
			       load_be16(ip->payload + 6));
}

void icmp_input(struct keel *k, const struct ipv4_packet *ip)
{
	struct icmp_stats *st = &k->icmp;
	st->in_msgs++;
	if (ip->len < ICMP_HDR_LEN) {
		st->in_errors++;
		return;
	}
	if (!ip->csum_ok && csum_fold(csum_add(0, ip->payload, ip->len)) != 0) {
		st->in_csum_errors++; /* Linux counts these in both */
		st->in_errors++;
		return;
	}
	if (ip->payload[0] == ICMP_ECHO_REQUEST && ip->payload[1] == 0)
		echo_reply(k, ip);
	else if (ip->payload[0] == ICMP_ECHO_REPLY && ip->payload[1] == 0)
		ping_input(k, ip);
	else if (ip->payload[0] == ICMP_DEST_UNREACH)
		dest_unreach(k, ip);
	/* Other types (unreachables, redirects ...) are counted only. */
}

#define ICMP_TOKEN 1000u

/* One error message's worth from the bucket (burst, then the rate). */
static int err_allowed(struct keel *k)
{
	struct icmp_stats *st = &k->icmp;
	uint32_t cap = KEEL_ICMP_ERR_BURST * ICMP_TOKEN;
	uint32_t elapsed = k->now_ms - st->err_spent_at;
	/* Each ms pays back KEEL_ICMP_ERR_PER_SEC units. */
	uint32_t repaid = elapsed >= cap / KEEL_ICMP_ERR_PER_SEC ? cap : elapsed * KEEL_ICMP_ERR_PER_SEC;
	st->err_spent = st->err_spent > repaid ? st->err_spent - repaid : 0;
	st->err_spent_at = k->now_ms;
	if (st->err_spent + ICMP_TOKEN > cap)
		return 0;
	st->err_spent += ICMP_TOKEN;
	return 1;
}

/* RFC 1122 §3.2.2: no error about an ICMP error, a broadcast or multicast
 * datagram, or a non-initial fragment (those never get here). */
static int error_forbidden(const struct keel *k, const struct ipv4_packet *ip)
{
	if (ip->bcast || ip->dst != k->ifc.addr)
		return 1;
	if (ip->proto == IP_PROTO_ICMP) {
		uint8_t type = ip->len > 0 ? ip->payload[0] : 0;
		/* only queries (echo, timestamp, ...) may be answered with one */
		return !(type == ICMP_ECHO_REQUEST || type == ICMP_ECHO_REPLY || type >= 13);
	}
	return 0;
}

void icmp_send_unreach(struct keel *k, const struct ipv4_packet *ip, uint8_t code)
{
	struct icmp_stats *st = &k->icmp;
	if (error_forbidden(k, ip))
		return;
	if (!err_allowed(k)) {
		st->out_ratelimited++;
		return;
	}
	size_t quote = ip->hlen + ip->len;
	if (quote > ICMP_ERR_MAX_LEN - IPV4_HDR_LEN - ICMP_HDR_LEN)
		quote = ICMP_ERR_MAX_LEN - IPV4_HDR_LEN - ICMP_HDR_LEN;
	uint8_t *r = ipv4_payload_buf(k);
	memset(r, 0, ICMP_HDR_LEN);
	r[0] = ICMP_DEST_UNREACH;
	r[1] = code;
	/* The datagram as received, header first (RFC 792): hdr and payload
	 * are contiguous in the received frame. */
	memcpy(r + ICMP_HDR_LEN, ip->hdr, quote);
	size_t n = ICMP_HDR_LEN + quote;
	uint16_t c = keel_tx_csum(k) ? csum_fold(csum_add(0, r, n)) : 0;
	r[2] = (uint8_t)(c >> 8);
	r[3] = (uint8_t)c;
	st->out_msgs++;
	if (ipv4_output(k, ip->src, IP_PROTO_ICMP, n) != 0) {
		st->out_errors++;
		return;
	}
	st->out_dest_unreachs++;
}
