/* A scripted DHCP server for host tests: builds the replies a server would
 * send and reads what the client sent, independently of stack/svc/dhcp_wire.c. */
#ifndef KEEL_TEST_DHCP_SERVER_H
#define KEEL_TEST_DHCP_SERVER_H
#include "unit/fake_net.h"
#include "dhcp_wire.h"

#define SRV_IP IP4(192, 0, 2, 1)
#define LEASED_IP IP4(192, 0, 2, 77)

/* Options for a reply, in wire form, appended after the message type. */
struct srv_opts {
	uint8_t b[300];
	size_t n;
};

static inline void opt_add(struct srv_opts *o, uint8_t code, const uint8_t *v, uint8_t len)
{
	o->b[o->n++] = code;
	o->b[o->n++] = len;
	memcpy(o->b + o->n, v, len);
	o->n += len;
}

static inline void opt_add32(struct srv_opts *o, uint8_t code, uint32_t v)
{
	uint8_t b[4];
	store_be32(b, v);
	opt_add(o, code, b, 4);
}

/* The usual lease: /24, router .1, DNS .1, server id .1, times given. */
static inline struct srv_opts lease_opts(uint32_t lease, uint32_t t1, uint32_t t2)
{
	struct srv_opts o = {.n = 0};
	opt_add32(&o, 54, SRV_IP);
	opt_add32(&o, 1, 0xffffff00u);
	opt_add32(&o, 3, SRV_IP);
	opt_add32(&o, 6, SRV_IP);
	opt_add32(&o, 51, lease);
	if (t1)
		opt_add32(&o, 58, t1);
	if (t2)
		opt_add32(&o, 59, t2);
	return o;
}

/* A BOOTREPLY of `type` from SRV_IP:67 to dst:68 in frame f; returns the
 * frame length. */
static inline size_t srv_reply(uint8_t *f, uint8_t type, uint32_t xid, uint32_t yiaddr,
			       const struct srv_opts *o, uint32_t dst)
{
	static uint8_t u[1024];
	memset(u, 0, sizeof(u));
	uint8_t *m = u + 8;
	m[0] = 2;
	m[1] = 1;
	m[2] = 6;
	store_be32(m + 4, xid);
	store_be32(m + 16, yiaddr);
	store_be32(m + 20, SRV_IP);
	memcpy(m + 28, our_mac, 6);
	store_be32(m + 236, 0x63825363u);
	size_t n = 240;
	m[n++] = 53;
	m[n++] = 1;
	m[n++] = type;
	if (o) {
		memcpy(m + n, o->b, o->n);
		n += o->n;
	}
	m[n++] = 255;
	if (n < 300)
		n = 300;
	store_be16(u, 67);
	store_be16(u + 2, 68);
	store_be16(u + 4, (uint16_t)(8 + n));
	uint32_t sum = csum_pseudo(SRV_IP, dst, 17, (uint16_t)(8 + n));
	uint16_t c = csum_fold(csum_add(sum, u, 8 + n));
	store_be16(u + 6, c ? c : 0xffff);
	size_t len = build_ipv4(f, gw_mac, SRV_IP, dst, 17, u, 8 + n);
	if (dst == 0xffffffffu)
		memcpy(f, bcast_mac, 6);
	return len;
}

/* What the client sent in frame i, when it is a DHCP message. */
struct sent_dhcp {
	const uint8_t *eth_dst;
	uint32_t ip_src, ip_dst;
	const uint8_t *m;    /* the BOOTP message */
	size_t len;
	uint8_t type;
	uint32_t xid, ciaddr;
	uint16_t flags;
};

static inline const uint8_t *sent_opt(const struct sent_dhcp *s, uint8_t code, uint8_t *len)
{
	for (size_t i = 240; i + 1 < s->len;) {
		uint8_t c = s->m[i];
		if (c == 0) {
			i++;
			continue;
		}
		if (c == 255)
			break;
		if (c == code) {
			*len = s->m[i + 1];
			return s->m + i + 2;
		}
		i += 2u + s->m[i + 1];
	}
	return NULL;
}

static inline int sent_dhcp_at(int i, struct sent_dhcp *s)
{
	if (i >= NET.n)
		return -1;
	const uint8_t *f = NET.frame[i];
	if (load_be16(f + 12) != 0x0800 || f[14 + 9] != 17 || load_be16(f + 34 + 2) != 67)
		return -1;
	s->eth_dst = f;
	s->ip_src = load_be32(f + 26);
	s->ip_dst = load_be32(f + 30);
	s->m = f + 42;
	s->len = load_be16(f + 34 + 4) - 8u;
	assert_int_equal(s->m[0], 1);
	assert_int_equal(load_be32(s->m + 236), 0x63825363u);
	assert_memory_equal(s->m + 28, our_mac, 6);
	s->xid = load_be32(s->m + 4);
	s->ciaddr = load_be32(s->m + 12);
	s->flags = load_be16(s->m + 10);
	uint8_t l = 0;
	const uint8_t *t = sent_opt(s, 53, &l);
	assert_non_null(t);
	s->type = t[0];
	return 0;
}

/* The only DHCP message among the frames sent since the last fake_clear. */
static inline struct sent_dhcp expect_sent(uint8_t type)
{
	struct sent_dhcp s, found = {0};
	int n = 0;
	for (int i = 0; i < NET.n; i++)
		if (sent_dhcp_at(i, &s) == 0) {
			found = s;
			n++;
		}
	assert_int_equal(n, 1);
	assert_int_equal(found.type, type);
	return found;
}

static inline int count_sent_dhcp(void)
{
	struct sent_dhcp s;
	int n = 0;
	for (int i = 0; i < NET.n; i++)
		n += sent_dhcp_at(i, &s) == 0;
	return n;
}
#endif
