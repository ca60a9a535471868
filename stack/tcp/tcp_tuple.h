/* The 4-tuple that names a TCP connection (RFC 9293 §2.7), one type for
 * every table keyed by it (TCBs, SYN-queue entries), and the keyed hash
 * that picks a tuple's bucket in those tables and in TIME_WAIT's (its
 * mixer, and why not SipHash, in lib/hash_mix.h). */
#ifndef KEEL_TCP_TUPLE_H
#define KEEL_TCP_TUPLE_H
#include <stdint.h>
#include "hash_mix.h"

struct tcp_tuple {
	uint32_t laddr, raddr;   /* host byte order */
	uint16_t lport, rport;
};

/* laddr is left out: keel has one address, and TIME_WAIT entries do not
 * store it. */
static inline uint32_t tcp_tuple_hash(const uint32_t key[2], uint32_t raddr, uint16_t rport,
				      uint16_t lport)
{
	uint32_t h = keel_mix32(raddr ^ key[0]);
	return keel_mix32(h ^ (((uint32_t)rport << 16) | lport) ^ key[1]);
}

#endif
