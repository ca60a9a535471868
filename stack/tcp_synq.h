/* A half-open connection (passive SYN_RECEIVED): Linux's request sock.
 * Kept in a bounded pool, never a TCB, so a SYN flood costs 36 bytes per
 * SYN.  Its listener is the one on lport (keel has one address; closing a
 * listener drops its entries). */
#ifndef KEEL_TCP_SYNQ_H
#define KEEL_TCP_SYNQ_H
#include <stdint.h>
#include "tcp_tuple.h"
#include "tcp_wheel.h"

#define SYNQ_F_USED  0x01u
#define SYNQ_F_ACKED 0x02u   /* final ACK seen while the accept queue was full */
#define SYNQ_F_RESENT 0x04u  /* SYN-ACK resent for a duplicate SYN: no RTT sample */
#define SYNQ_F_OOW   0x08u   /* oow_ms is valid */

struct tcp_synq_entry {
	union {                  /* as in struct tcp_tcb */
		struct tcp_tuple tuple;
		struct { uint32_t laddr, raddr; uint16_t lport, rport; };
	};
	uint32_t iss, irs;
	struct tmr_node tmr;     /* in the timer wheel: due = next SYN-ACK retransmit or expiry */
	uint16_t mss;            /* peer MSS, already clamped */
	uint8_t retries;         /* SYN-ACK retransmits so far */
	uint8_t flags;
	uint16_t hnext;          /* 4-tuple hash chain, or free-list link (TCP_NONE ends) */
	uint16_t oow_ms;         /* low 16 bits of the clock at the last challenge ACK */
};
#endif
