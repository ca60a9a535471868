/* DNS stub resolver state (RFC 1035): the cache, the one query in flight
 * and counters.  The calls are in <keel/dns.h>; dns_wire.c reads and
 * writes the messages. */
#ifndef KEEL_DNS_H
#define KEEL_DNS_H
#include <stdint.h>
#include <keel/config.h>
#include <keel/dns.h>
#include "dns_wire.h"

struct keel;

struct dns_cache_entry {
	char name[KEEL_DNS_NAME_MAX];   /* "" = free */
	uint32_t addr;
	uint32_t expires_ms;
};

enum dns_query_state { DNS_IDLE = 0, DNS_WAITING, DNS_DONE };

struct dns_query {
	uint8_t state;                  /* enum dns_query_state */
	uint8_t tries;                  /* queries sent */
	int8_t result;                  /* DONE: KEEL_OK or the error */
	uint16_t id;
	int sock;                       /* its own random source port */
	uint32_t server;                /* where the last query went */
	uint32_t next_ms;               /* retransmit or give up */
	uint32_t addr;                  /* DONE and KEEL_OK: the answer */
	char name[KEEL_DNS_NAME_MAX];
	uint8_t qname[DNS_NAME_WIRE_MAX];
	uint8_t qname_len;
};

/* Keel's names, group `Dns` (Linux resolves in user space). */
struct dns_stats {
	uint32_t out_queries, out_retransmits;
	uint32_t in_answers, in_nxdomain, in_servfail;
	uint32_t in_errors;             /* malformed replies */
	uint32_t in_mismatch;           /* wrong id, question, server or port: dropped */
	uint32_t timeouts, cache_hits;
};

struct dns_resolver {
	struct dns_cache_entry cache[KEEL_DNS_CACHE];
	struct dns_query q;
	uint32_t server_override;
	struct dns_stats stats;
};

void dns_init(struct keel *k);
void dns_tick(struct keel *k);
/* The earliest time dns_tick has work (keel_next_deadline). */
int dns_next_deadline(const struct keel *k, uint32_t *when_ms);
#endif
