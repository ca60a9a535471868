/* A half-open connection (passive SYN_RECEIVED): Linux's request sock.
 * Kept in a bounded pool, never a TCB, so a SYN flood costs 36 bytes per SYN
 * (32 before timestamps: ts_recent is the options' 4 bytes; what was agreed
 * fits the byte that was padding). */
#ifndef KEEL_TCP_SYNQ_H
#define KEEL_TCP_SYNQ_H
#include <stdint.h>

#define SYNQ_F_USED  0x01u
#define SYNQ_F_ACKED 0x02u   /* final ACK seen while the accept queue was full */
#define SYNQ_F_RESENT 0x04u  /* SYN-ACK resent for a duplicate SYN: no RTT sample */
#define SYNQ_F_OOW   0x08u   /* oow_ms is valid */
#define SYNQ_F_COOKIE 0x10u  /* a cookie SYN-ACK (never in the pool): options in TSval */

struct tcp_synq_entry {
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	uint32_t iss, irs;
	uint32_t deadline;       /* next SYN-ACK retransmit or expiry */
	uint16_t mss;            /* peer MSS, already clamped */
	uint8_t listener;        /* index in tcp_stack.listeners */
	uint8_t retries;         /* SYN-ACK retransmits so far */
	uint8_t flags;
	uint8_t opts;            /* agreed options and the peer's shift, TCP_OPTS_PACK (tcp_opts.h) */
	uint16_t oow_ms;         /* low 16 bits of the clock at the last challenge ACK */
	uint32_t ts_recent;      /* the SYN's TSval, echoed in the SYN-ACK */
};
#endif
