/* A connection's cold state: what only a connection timing a segment or
 * recovering from loss needs, kept out of struct tcp_tcb so an idle
 * connection's state stays small (docs/DESIGN.md, "TCB").  Extensions
 * are a static pool of their own (KEEL_TCP_EXT in keel/config.h), far
 * smaller than the TCB pool; a TCB holds one only while it needs it
 * (tcb_ext_trim gives it back), and an idle connection never does.  When
 * the pool is empty the connection goes on without: no RTT sample from
 * its own timer (timestamps still give them, Karn allows none), no
 * spurious-retransmit check (tcp_sack.c); counted in ext_full. */
#ifndef KEEL_TCP_EXT_H
#define KEEL_TCP_EXT_H
#include <stdint.h>

struct tcb_ext {
	uint16_t next;             /* free-list link, TCP_NONE ends */
	uint16_t owner;            /* TCB index while held */
	/* The one segment being timed (RFC 6298 §3, Karn): TCB_D_RTT_ON.
	 * With SB_EIFEL, rtt_start is when the fast retransmit went. */
	uint32_t rtt_seq, rtt_start;
};

struct tcb_ext_pool {
	uint16_t free_head;
	uint16_t in_use, peak;
	uint32_t full;             /* a TCB asked for one and none was free */
	struct tcb_ext e[KEEL_TCP_EXT];
};
#endif
