/* keel's DNS stub resolver (RFC 1035), public API: A records only, one
 * query in flight, a small cache that honours the TTL, queries to the
 * servers DHCP gave (or one set here) with retransmission and backoff,
 * transaction ID and source port random per query (RFC 5452). */
#ifndef KEEL_PUBLIC_DNS_H
#define KEEL_PUBLIC_DNS_H
#include <stdint.h>
#include <keel/config.h>

struct keel;

/* Resolves name (a dotted name; an address literal is returned as is).
 * Call it again with the same name until it stops saying EINPROGRESS:
 *   KEEL_OK           *addr set (from the cache or a fresh answer)
 *   KEEL_EINPROGRESS  a query is out; call again later
 *   KEEL_ENOENT       no such name, or no A record for it
 *   KEEL_ETIMEDOUT    no server answered (KEEL_DNS_TRIES queries)
 *   KEEL_EPROTO       the server failed (SERVFAIL, REFUSED, truncated)
 *   KEEL_EHOSTUNREACH no server known, or no address yet
 *   KEEL_EINVAL       not a valid name
 * Asking for another name while a query is out abandons that query. */
int keel_dns_resolve(struct keel *k, const char *name, uint32_t *addr);
/* A server to use instead of DHCP's (0: DHCP's again). */
void keel_dns_set_server(struct keel *k, uint32_t server);
/* The servers queries go to, in order; returns how many (<= max). */
unsigned keel_dns_servers(const struct keel *k, uint32_t *out, unsigned max);
/* Forgets every cached name. */
void keel_dns_flush(struct keel *k);
#endif
