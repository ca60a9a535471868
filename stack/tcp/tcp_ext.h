/* A connection's cold state: what only a connection holding out-of-order
 * data, keeping a SACK scoreboard, timing a segment (only without
 * timestamps: with them the ACKs' echoes give the samples) or recovering from
 * loss needs, kept out of struct tcp_tcb so an idle
 * connection's state stays small (docs/DESIGN.md, "TCB").  Extensions
 * are a static pool of their own (KEEL_TCP_EXT in keel/config.h), far
 * smaller than the TCB pool; a TCB holds one only while it needs it
 * (tcb_ext_trim gives it back), and an idle connection never does.  When
 * the pool is empty the connection goes on without: an out-of-order
 * segment (or FIN) is dropped and counted (TCPOFODrop) -- the peer sends
 * it again; SACK blocks are not kept, so recovery is NewReno's; no RTT
 * sample from its own timer (timestamps still give them, Karn allows
 * none); no spurious-retransmit check.  Counted in full. */
#ifndef KEEL_TCP_EXT_H
#define KEEL_TCP_EXT_H
#include <stdint.h>
#include <keel/config.h>
#include "chunkq.h"
#include "tcp_opts.h"

struct tcb_ext {
	uint16_t next;             /* free-list link, TCP_NONE ends */
	uint16_t owner;            /* TCB index while held */
	/* The one segment being timed (RFC 6298 §3, Karn): TCB_D_RTT_ON.
	 * With SB_EIFEL, rtt_start is when the fast retransmit went. */
	uint32_t rtt_seq, rtt_start;
	uint32_t rcv_fin;          /* TCB_F_FIN_OOO: the peer's FIN's sequence number */
	/* The sequence number of the latest out-of-order segment kept, as
	 * many low bits as a qlen_t holds: its SACK block goes first (RFC
	 * 2018 §4).  The receive window fits a qlen_t, so these bits name
	 * one place in it. */
	qlen_t sack_last;
	uint8_t nooo;              /* out-of-order ranges in use */
	/* Out-of-order byte ranges as offsets from RCV.NXT (within the
	 * window, which a queue's qlen_t covers): sorted, disjoint, beyond
	 * RCV.NXT. */
	struct { qlen_t start, end; } ooo[KEEL_TCP_OOO_RANGES];
	struct tcp_sack_board sb;  /* the sender's scoreboard (tcp_opts.h) */
};

struct tcb_ext_pool {
	uint16_t free_head;
	uint16_t in_use, peak;
	uint32_t full;             /* a TCB asked for one and none was free */
	struct tcb_ext e[KEEL_TCP_EXT];
};
#endif
