/* ICMP echo for the application (RFC 792 "Echo or Echo Reply Message").
 * The data is a fixed pattern, so a reply can be checked byte for byte,
 * as Linux's ping does ("wrong data byte"). */
#include <string.h>
#include "byteorder.h"
#include "checksum.h"
#include "keel.h"
#include <keel/tcp.h>

static uint8_t pattern(size_t i)
{
	return (uint8_t)(0x10u + i);   /* Linux ping's fill after its timestamp */
}

int keel_ping_open(struct keel *k, uint16_t id)
{
	struct ping_state *p = &k->ping;
	if (p->open)
		return KEEL_EADDRINUSE;
	memset(p, 0, sizeof(*p));
	p->open = 1;
	p->id = id;
	return KEEL_OK;
}

void keel_ping_close(struct keel *k)
{
	k->ping.open = 0;
}

int keel_ping_send(struct keel *k, uint32_t dst, uint16_t seq, size_t data_len)
{
	if (!k->ping.open || dst == 0)
		return KEEL_EINVAL;
	if (data_len > KEEL_MTU - IPV4_HDR_LEN - ICMP_HDR_LEN)
		return KEEL_EMSGSIZE;
	uint8_t *m = ipv4_payload_buf(k);
	m[0] = ICMP_ECHO_REQUEST;
	m[1] = 0;
	store_be16(m + 2, 0);
	store_be16(m + 4, k->ping.id);
	store_be16(m + 6, seq);
	for (size_t i = 0; i < data_len; i++)
		m[ICMP_HDR_LEN + i] = pattern(i);
	size_t n = ICMP_HDR_LEN + data_len;
	if (keel_tx_csum(k))   /* else the MAC fills it in */
		store_be16(m + 2, csum_fold(csum_add(0, m, n)));
	k->icmp.out_msgs++;
	if (ipv4_output(k, dst, IP_PROTO_ICMP, n) != 0) {
		k->icmp.out_errors++;
		return KEEL_EHOSTUNREACH;
	}
	k->icmp.out_echos++;
	return KEEL_OK;
}

void ping_input(struct keel *k, const struct ipv4_packet *ip)
{
	struct ping_state *p = &k->ping;
	k->icmp.in_echo_reps++;
	if (!p->open || load_be16(ip->payload + 4) != p->id)
		return;   /* somebody else's ping */
	if (p->count == KEEL_PING_REPLIES) {
		p->head = (uint8_t)((p->head + 1u) % KEEL_PING_REPLIES);   /* drop the oldest */
		p->count--;
	}
	struct keel_ping_reply *r = &p->ring[(p->head + p->count) % KEEL_PING_REPLIES];
	p->count++;
	r->src = ip->src;
	r->seq = load_be16(ip->payload + 6);
	r->len = (uint16_t)ip->len;
	r->ttl = ip->ttl;
	r->rx_ms = k->now_ms;
	r->data_ok = 1;
	for (size_t i = ICMP_HDR_LEN; i < ip->len; i++)
		if (ip->payload[i] != pattern(i - ICMP_HDR_LEN))
			r->data_ok = 0;
}

int keel_ping_recv(struct keel *k, struct keel_ping_reply *out)
{
	struct ping_state *p = &k->ping;
	if (p->count == 0)
		return KEEL_EWOULDBLOCK;
	*out = p->ring[p->head];
	p->head = (uint8_t)((p->head + 1u) % KEEL_PING_REPLIES);
	p->count--;
	return KEEL_OK;
}
