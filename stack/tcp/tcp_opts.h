/* What a connection agreed to use of RFC 7323 (timestamps, window scale)
 * and RFC 2018 (SACK).  The codec is tcp_options.c; negotiation
 * tcp_optneg.c; timestamps and PAWS tcp_ts.c. */
#ifndef KEEL_TCP_OPTS_H
#define KEEL_TCP_OPTS_H
#include <stdint.h>
#include "chunkq.h"

/* In struct tcp_tcb, 2 bytes (byte-aligned, so it leaves no padding
 * there); the timestamp state (TS.Recent, our offset) is the TCB's own.
 * The out-of-order segment SACK reports first lives with the ranges
 * (tcp_ext.h). */
struct tcp_conn_opts {
	uint8_t on;              /* agreed: TCP_OPTF_TS | TCP_OPTF_SACKOK | TCP_OPTF_WSCALE */
	uint8_t shifts;          /* low nibble: the peer's shift (SND.WND.SHIFT); high: ours */
};

/* The sender's SACK scoreboard (RFC 6675 §3), in the connection's cold
 * state (struct tcb_ext, tcp_ext.h): up to TCP_SACK_BOARD ranges the
 * peer holds beyond SND.UNA, as offsets from SND.UNA (within the send
 * queue, whose qlen_t they share), sorted and disjoint; HighRxt as an
 * offset.  The flags below (tail-loss probe, Eifel, new SACK) are the
 * TCB's own (tcb.mflags): they are needed without a board. */
#define TCP_SACK_BOARD 3
struct tcp_sack_board {
	struct { qlen_t start, end; } blk[TCP_SACK_BOARD];
	qlen_t high_rxt;       /* retransmitted up to here in this recovery (RFC 6675 HighRxt) */
	uint8_t n;
};
#define SB_TLP_ARMED 0x10u       /* the retransmit deadline is a probe timeout (RFC 8985 §7.2) */
#define SB_TLP_OUT   0x20u       /* a probe went out; none again until SND.UNA moves */
#define SB_EIFEL     0x40u       /* rtt_start holds when fast retransmit went (timestamps on) */
#define SB_NEWSACK   0x80u       /* the ACK being processed SACKed bytes not SACKed before */

static inline unsigned tcp_snd_shift(const struct tcp_conn_opts *o) { return o->shifts & 0x0fu; }
static inline unsigned tcp_rcv_shift(const struct tcp_conn_opts *o) { return o->shifts >> 4; }
#endif
