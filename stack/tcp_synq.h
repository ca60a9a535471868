/* A half-open connection (passive SYN_RECEIVED): Linux's request sock.
 * Kept in a bounded pool, never a TCB, so a SYN flood costs 32 bytes per SYN. */
#ifndef KEEL_TCP_SYNQ_H
#define KEEL_TCP_SYNQ_H
#include <stdint.h>

#define SYNQ_F_USED  0x01u
#define SYNQ_F_ACKED 0x02u   /* final ACK seen while the accept queue was full */
#define SYNQ_F_RESENT 0x04u  /* SYN-ACK resent for a duplicate SYN: no RTT sample */
#define SYNQ_F_OOW   0x08u   /* oow_ms is valid */

struct tcp_synq_entry {
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	uint32_t iss, irs;
	uint32_t deadline;       /* next SYN-ACK retransmit or expiry */
	uint16_t mss;            /* peer MSS, already clamped */
	uint8_t listener;        /* index in tcp_stack.listeners */
	uint8_t retries;         /* SYN-ACK retransmits so far */
	uint8_t flags;
	uint8_t pad_;
	uint16_t oow_ms;         /* low 16 bits of the clock at the last challenge ACK */
};
#endif
