/* DNS messages on the wire (RFC 1035 §4): the A query the resolver sends
 * and a validating parser for the reply.  No state here. */
#ifndef KEEL_DNS_WIRE_H
#define KEEL_DNS_WIRE_H
#include <stddef.h>
#include <stdint.h>

#define DNS_PORT 53
#define DNS_HDR_LEN 12
#define DNS_NAME_WIRE_MAX 255     /* RFC 1035 §3.1: a name is at most 255 octets */
#define DNS_TYPE_A 1
#define DNS_TYPE_CNAME 5
#define DNS_CLASS_IN 1

enum dns_reply_status {
	DNS_REPLY_ANSWER = 0,     /* an A record for the name */
	DNS_REPLY_NXDOMAIN,       /* RCODE 3, or no A record (NODATA) */
	DNS_REPLY_SERVFAIL,       /* another RCODE, or truncated (no TCP here) */
	DNS_REPLY_MISMATCH,       /* well-formed but not the answer to our question */
	DNS_REPLY_MALFORMED,      /* lengths, labels or pointers out of bounds */
};

/* "www.example.test" -> wire labels (3www7example4test0) in out; returns
 * the length, or 0 for an empty label, a label over 63 octets or a name
 * over DNS_NAME_WIRE_MAX.  One trailing dot is allowed. */
size_t dns_name_encode(const char *name, uint8_t out[DNS_NAME_WIRE_MAX]);
/* A standard query (RD set) for qname's A record; returns its length
 * (cap >= DNS_HDR_LEN + qname_len + 4). */
size_t dns_build_query(uint8_t *p, size_t cap, uint16_t id, const uint8_t *qname, size_t qname_len);
/* Checks a reply against the query (id, the one question, its name case-
 * insensitively, type A, class IN) and finds the A record for the name,
 * following CNAMEs within the answer section.  *addr and *ttl_s are set
 * for DNS_REPLY_ANSWER. */
int dns_parse_reply(const uint8_t *p, size_t len, uint16_t id, const uint8_t *qname,
		    size_t qname_len, uint32_t *addr, uint32_t *ttl_s);
#endif
