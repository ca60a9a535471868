/* A half-open connection (passive SYN_RECEIVED): Linux's request sock.
 * Kept in a bounded pool, never a TCB, so a SYN flood costs 36 bytes per SYN. */
#ifndef KEEL_TCP_SYNQ_H
#define KEEL_TCP_SYNQ_H
#include <stdint.h>
#include "tcp_tuple.h"
#include "tcp_wheel.h"

#define SYNQ_F_USED  0x01u
#define SYNQ_F_ACKED 0x02u   /* final ACK seen while the accept queue was full */
#define SYNQ_F_RESENT 0x04u  /* SYN-ACK resent for a duplicate SYN: no RTT sample */

struct tcp_synq_entry {
	union {                  /* as in struct tcp_tcb */
		struct tcp_tuple tuple;
		struct { uint32_t laddr, raddr; uint16_t lport, rport; };
	};
	uint32_t iss, irs;
	struct tmr_node tmr;     /* in the timer wheel: due = next SYN-ACK retransmit or expiry */
	uint16_t mss;            /* peer MSS, already clamped */
	uint8_t listener;        /* index in tcp_stack.listeners */
	uint8_t retries;         /* SYN-ACK retransmits so far */
	uint8_t flags;
	uint8_t pad_;
	uint16_t hnext;          /* 4-tuple hash chain, or free-list link (TCP_NONE ends) */
};
#endif
