/* DNS query build and reply parse: see dns_wire.h.
 *
 * Every name in a reply is read through name_read, which follows
 * compression pointers (RFC 1035 §4.1.4) only backwards, at most
 * DNS_MAX_HOPS of them, and stops at DNS_NAME_WIRE_MAX octets: a reply
 * cannot loop the parser or make it read outside the datagram.  Records
 * are walked at most DNS_MAX_RECORDS deep. */
#include <string.h>
#include "byteorder.h"
#include "dns_wire.h"

#define DNS_MAX_HOPS 16
#define DNS_MAX_RECORDS 32
#define DNS_FLAG_QR 0x8000u
#define DNS_FLAG_TC 0x0200u
#define DNS_FLAG_RD 0x0100u
#define DNS_OPCODE_MASK 0x7800u
#define DNS_RCODE_MASK 0x000fu
#define DNS_RCODE_NXDOMAIN 3

size_t dns_name_encode(const char *name, uint8_t out[DNS_NAME_WIRE_MAX])
{
	size_t n = 0;
	const char *p = name;
	while (*p) {
		const char *dot = p;
		while (*dot && *dot != '.' && dot - p <= 63)
			dot++;
		size_t label = (size_t)(dot - p);
		if (label == 0 || label > 63 || n + 1 + label + 1 > DNS_NAME_WIRE_MAX)
			return 0;
		out[n++] = (uint8_t)label;
		memcpy(out + n, p, label);
		n += label;
		p = dot;
		if (*p == '.') {
			p++;
			if (*p == '\0')
				break;   /* one trailing dot: a fully qualified name */
		}
	}
	if (n == 0)
		return 0;
	out[n++] = 0;
	return n;
}

size_t dns_build_query(uint8_t *p, size_t cap, uint16_t id, const uint8_t *qname, size_t qname_len)
{
	if (cap < DNS_HDR_LEN + qname_len + 4)
		return 0;
	memset(p, 0, DNS_HDR_LEN);
	store_be16(p, id);
	store_be16(p + 2, DNS_FLAG_RD);   /* a stub asks for recursion */
	store_be16(p + 4, 1);             /* QDCOUNT */
	memcpy(p + DNS_HDR_LEN, qname, qname_len);
	store_be16(p + DNS_HDR_LEN + qname_len, DNS_TYPE_A);
	store_be16(p + DNS_HDR_LEN + qname_len + 2, DNS_CLASS_IN);
	return DNS_HDR_LEN + qname_len + 4;
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

/* Reads the name at *off into out (uncompressed, lower case); *off moves
 * past it in the record.  Returns its length or 0 when malformed. */
static size_t name_read(const uint8_t *p, size_t len, size_t *off, uint8_t out[DNS_NAME_WIRE_MAX])
{
	size_t at = *off, n = 0, end = 0;
	int hops = 0;
	for (;;) {   /* bounded: each pass adds a label or takes a hop */
		if (at >= len)
			return 0;
		uint8_t l = p[at];
		if ((l & 0xc0) == 0xc0) {
			if (at + 1 >= len || ++hops > DNS_MAX_HOPS)
				return 0;
			size_t to = (size_t)(l & 0x3f) << 8 | p[at + 1];
			if (to >= at)
				return 0;   /* only backwards: no loops */
			if (end == 0)
				end = at + 2;
			at = to;
			continue;
		}
		if (l & 0xc0)
			return 0;   /* 0x40 / 0x80: extended label types, refused */
		if (at + 1 + l > len || n + 1 + l > DNS_NAME_WIRE_MAX)
			return 0;
		out[n++] = l;
		for (size_t i = 0; i < l; i++)
			out[n++] = lower(p[at + 1 + i]);
		at += 1u + l;
		if (l == 0)
			break;
	}
	*off = end ? end : at;
	return n;
}

static int name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

int dns_parse_reply(const uint8_t *p, size_t len, uint16_t id, const uint8_t *qname,
		    size_t qname_len, uint32_t *addr, uint32_t *ttl_s)
{
	if (len < DNS_HDR_LEN)
		return DNS_REPLY_MALFORMED;
	uint16_t flags = load_be16(p + 2);
	if (load_be16(p) != id || !(flags & DNS_FLAG_QR) || (flags & DNS_OPCODE_MASK) ||
	    load_be16(p + 4) != 1)
		return DNS_REPLY_MISMATCH;
	uint8_t name[DNS_NAME_WIRE_MAX], want[DNS_NAME_WIRE_MAX];
	size_t off = DNS_HDR_LEN;
	size_t n = name_read(p, len, &off, name);
	if (n == 0 || off + 4 > len)
		return DNS_REPLY_MALFORMED;
	if (!name_equal(name, n, qname, qname_len) || load_be16(p + off) != DNS_TYPE_A ||
	    load_be16(p + off + 2) != DNS_CLASS_IN)
		return DNS_REPLY_MISMATCH;   /* RFC 5452 §9.1: the question must match */
	off += 4;
	if (flags & DNS_FLAG_TC)
		return DNS_REPLY_SERVFAIL;
	uint16_t rcode = flags & DNS_RCODE_MASK;
	if (rcode == DNS_RCODE_NXDOMAIN)
		return DNS_REPLY_NXDOMAIN;
	if (rcode != 0)
		return DNS_REPLY_SERVFAIL;
	/* The name whose A record we want: qname, then each CNAME target. */
	memcpy(want, name, n);
	size_t wlen = n;
	unsigned ancount = load_be16(p + 6);
	for (unsigned i = 0; i < ancount && i < DNS_MAX_RECORDS; i++) {
		n = name_read(p, len, &off, name);
		if (n == 0 || off + 10 > len)
			return DNS_REPLY_MALFORMED;
		uint16_t type = load_be16(p + off), cls = load_be16(p + off + 2);
		uint32_t ttl = load_be32(p + off + 4);
		size_t rdlen = load_be16(p + off + 8);
		off += 10;
		if (rdlen > len - off)
			return DNS_REPLY_MALFORMED;
		int ours = cls == DNS_CLASS_IN && name_equal(name, n, want, wlen);
		if (ours && type == DNS_TYPE_A) {
			if (rdlen != 4)
				return DNS_REPLY_MALFORMED;
			*addr = load_be32(p + off);
			*ttl_s = ttl > 0x7fffffffu ? 0 : ttl;   /* RFC 2181 §8: top bit set means 0 */
			return DNS_REPLY_ANSWER;
		}
		if (ours && type == DNS_TYPE_CNAME) {
			size_t t = off;
			wlen = name_read(p, off + rdlen, &t, want);
			if (wlen == 0 || t != off + rdlen)
				return DNS_REPLY_MALFORMED;
		}
		off += rdlen;
	}
	return DNS_REPLY_NXDOMAIN;   /* no A record for the name (NODATA) */
}
