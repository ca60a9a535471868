/* DHCP message build and parse: see dhcp_wire.h.  Every option is checked
 * against the end of the datagram before it is read; the walk is bounded
 * by the datagram's length (each step consumes at least one byte). */
#include <string.h>
#include "byteorder.h"
#include "dhcp_wire.h"

#define OPT_PAD 0
#define OPT_MASK 1
#define OPT_ROUTER 3
#define OPT_DNS 6
#define OPT_REQUESTED 50
#define OPT_LEASE 51
#define OPT_MSG_TYPE 53
#define OPT_SERVER_ID 54
#define OPT_PARAMS 55
#define OPT_MAX_SIZE 57
#define OPT_T1 58
#define OPT_T2 59
#define OPT_END 255
#define OPTIONS_AT (DHCP_FIXED_LEN + 4)   /* after the magic cookie */

static uint8_t *put_opt32(uint8_t *o, uint8_t code, uint32_t v)
{
	o[0] = code;
	o[1] = 4;
	store_be32(o + 2, v);
	return o + 6;
}

size_t dhcp_build(uint8_t *p, size_t cap, const struct dhcp_out *m)
{
	if (cap < DHCP_MIN_LEN + 32)
		return 0;
	memset(p, 0, DHCP_MIN_LEN);
	p[0] = 1;                 /* BOOTREQUEST */
	p[1] = 1;                 /* htype Ethernet */
	p[2] = 6;                 /* hlen */
	store_be32(p + 4, m->xid);
	store_be16(p + 8, m->secs);
	store_be16(p + 10, m->flags);
	store_be32(p + 12, m->ciaddr);
	memcpy(p + 28, m->mac, 6);
	store_be32(p + DHCP_FIXED_LEN, DHCP_MAGIC);
	uint8_t *o = p + OPTIONS_AT;
	*o++ = OPT_MSG_TYPE;
	*o++ = 1;
	*o++ = m->type;
	if (m->requested)
		o = put_opt32(o, OPT_REQUESTED, m->requested);
	if (m->server_id)
		o = put_opt32(o, OPT_SERVER_ID, m->server_id);
	if (m->type == DHCPDISCOVER || m->type == DHCPREQUEST) {
		static const uint8_t want[] = {OPT_MASK, OPT_ROUTER, OPT_DNS, OPT_LEASE, OPT_T1, OPT_T2};
		*o++ = OPT_PARAMS;
		*o++ = sizeof(want);
		memcpy(o, want, sizeof(want));
		o += sizeof(want);
		*o++ = OPT_MAX_SIZE;   /* what our frame holds (RFC 2132 §9.10) */
		*o++ = 2;
		store_be16(o, KEEL_MTU - 28);
		o += 2;
	}
	*o++ = OPT_END;
	size_t len = (size_t)(o - p);
	return len < DHCP_MIN_LEN ? DHCP_MIN_LEN : len;
}

int dhcp_mask_to_prefix(uint32_t mask)
{
	uint32_t inv = ~mask;
	if ((inv & (inv + 1u)) != 0)
		return -1;   /* ones then zeros, nothing else */
	int n = 0;
	while (mask & 0x80000000u) {   /* at most 32 steps */
		n++;
		mask <<= 1;
	}
	return n;
}

/* One option's value into out; -1 when its length is wrong for it. */
static int take_option(struct dhcp_in *out, uint8_t code, const uint8_t *v, size_t n)
{
	switch (code) {
	case OPT_MSG_TYPE:
		if (n != 1)
			return -1;
		out->type = v[0];
		return 0;
	case OPT_MASK: {
		if (n != 4)
			return -1;
		int pre = dhcp_mask_to_prefix(load_be32(v));
		if (pre < 0)
			return -1;
		out->prefix = (uint8_t)pre;
		out->has_mask = 1;
		return 0;
	}
	case OPT_ROUTER:
		if (n < 4 || n % 4)
			return -1;
		out->router = load_be32(v);   /* the first; RFC 2132 §3.5 order of preference */
		return 0;
	case OPT_DNS:
		if (n < 4 || n % 4)
			return -1;
		/* Extra servers are ignored, never overflowed. */
		for (size_t i = 0; i < n / 4 && out->ndns < KEEL_DNS_MAX_SERVERS; i++)
			out->dns[out->ndns++] = load_be32(v + 4 * i);
		return 0;
	case OPT_SERVER_ID:
	case OPT_LEASE:
	case OPT_T1:
	case OPT_T2: {
		if (n != 4)
			return -1;
		uint32_t x = load_be32(v);
		if (code == OPT_SERVER_ID)
			out->server_id = x;
		else if (code == OPT_LEASE)
			out->lease_s = x;
		else if (code == OPT_T1)
			out->t1_s = x;
		else
			out->t2_s = x;
		return 0;
	}
	default:
		return 0;   /* not asked for: skipped */
	}
}

int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_in *out)
{
	memset(out, 0, sizeof(*out));
	if (len < OPTIONS_AT || p[0] != 2 || p[1] != 1 || p[2] != 6 ||
	    load_be32(p + DHCP_FIXED_LEN) != DHCP_MAGIC)
		return -1;
	out->xid = load_be32(p + 4);
	out->yiaddr = load_be32(p + 16);
	out->chaddr = p + 28;
	size_t i = OPTIONS_AT;
	int ended = 0;
	while (i < len && !ended) {
		uint8_t code = p[i];
		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (code == OPT_END) {
			ended = 1;
			break;
		}
		if (len - i < 2 || p[i + 1] > len - i - 2)
			return -1;   /* runs past the datagram */
		if (take_option(out, code, p + i + 2, p[i + 1]) != 0)
			return -1;
		i += 2u + p[i + 1];
	}
	if (!ended || out->type == 0)
		return -1;   /* RFC 2131 §4.1: options end with 255; a DHCP reply has a type */
	return 0;
}
