/* A half-open connection (passive SYN_RECEIVED): Linux's request sock.
 * Kept in a bounded pool, never a TCB, so a SYN flood costs 40 bytes per
 * SYN (36 before timestamps: the SYN's TSval is the options' 4 bytes; what
 * was agreed fits bits the MSS and flags left free).  Its listener is the
 * one on lport (keel has one address; closing a listener drops its
 * entries). */
#ifndef KEEL_TCP_SYNQ_H
#define KEEL_TCP_SYNQ_H
#include <stdint.h>
#include "tcp_tuple.h"
#include "tcp_wheel.h"

#define SYNQ_F_USED  0x01u
#define SYNQ_F_ACKED 0x02u   /* final ACK seen while the accept queue was full */
#define SYNQ_F_RESENT 0x04u  /* SYN-ACK resent for a duplicate SYN: no RTT sample */
#define SYNQ_F_OOW   0x08u   /* oow_ms is valid */
#define SYNQ_F_COOKIE 0x10u  /* a cookie SYN-ACK (never in the pool): options in TSval */

struct tcp_synq_entry {
	union {                  /* as in struct tcp_tcb */
		struct tcp_tuple tuple;
		struct { uint32_t laddr, raddr; uint16_t lport, rport; };
	};
	uint32_t iss, irs;
	struct tmr_node tmr;     /* in the timer wheel, for due */
	uint32_t due;            /* next SYN-ACK retransmit or expiry */
	uint16_t mss : 12;       /* peer MSS, already clamped (<= TCP_MSS_OURS) */
	uint16_t peer_shift : 4; /* the SYN's window-scale shift (opts has TCP_OPTF_WSCALE) */
	uint8_t retries;         /* SYN-ACK retransmits so far */
	uint8_t flags : 5;       /* SYNQ_F_* */
	uint8_t opts : 3;        /* agreed: TCP_OPTF_TS | TCP_OPTF_SACKOK | TCP_OPTF_WSCALE */
	uint16_t hnext;          /* 4-tuple hash chain, or free-list link (TCP_NONE ends) */
	uint16_t oow_ms;         /* low 16 bits of the clock at the last challenge ACK */
	uint32_t ts_recent;      /* the SYN's TSval, echoed in the SYN-ACK */
};
#endif
