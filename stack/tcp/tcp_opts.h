/* What a connection agreed to use of RFC 7323 (timestamps, window scale)
 * and RFC 2018 (SACK), and the per-connection timestamp state.  The codec
 * is tcp_options.c; negotiation tcp_optneg.c; timestamps and PAWS tcp_ts.c. */
#ifndef KEEL_TCP_OPTS_H
#define KEEL_TCP_OPTS_H
#include <stdint.h>
#include "chunkq.h"

/* In struct tcp_tcb, 16 bytes (20 where qlen_t is 32 bits): ts_recent 4,
 * ts_recent_ms 4 (PAWS's 24-day rule), ts_off 4 (keyed, so TSvals reveal
 * neither uptime nor other connections' clocks), flags 1, shifts 1,
 * sack_last 2 (4). */
struct tcp_conn_opts {
	uint32_t ts_recent;      /* TS.Recent (RFC 7323 §4.3) */
	uint32_t ts_recent_ms;   /* when TS.Recent was last set */
	uint32_t ts_off;         /* our TSval = now_ms + ts_off */
	uint8_t on;              /* agreed: TCP_OPTF_TS | TCP_OPTF_SACKOK | TCP_OPTF_WSCALE */
	uint8_t shifts;          /* low nibble: the peer's shift (SND.WND.SHIFT); high: ours */
	/* The sequence number of the latest out-of-order segment kept, as
	 * many low bits as a qlen_t holds: its SACK block goes first (RFC
	 * 2018 §4).  The receive window fits a qlen_t, so these bits name
	 * one place in it. */
	qlen_t sack_last;
};

/* The sender's SACK scoreboard (RFC 6675 §3), in struct tcp_tcb, 16
 * bytes (32 where qlen_t is 32 bits): up to TCP_SACK_BOARD ranges the
 * peer holds beyond SND.UNA, as offsets from SND.UNA (within the send
 * queue, whose qlen_t they share), sorted and disjoint; HighRxt as an
 * offset; and the tail-loss-probe state. */
#define TCP_SACK_BOARD 3
struct tcp_sack_board {
	struct { qlen_t start, end; } blk[TCP_SACK_BOARD];
	qlen_t high_rxt;       /* retransmitted up to here in this recovery (RFC 6675 HighRxt) */
	uint8_t n;
	uint8_t flags;           /* SB_* */
};
#define SB_TLP_ARMED 0x01u       /* the retransmit deadline is a probe timeout (RFC 8985 §7.2) */
#define SB_TLP_OUT   0x02u       /* a probe went out; none again until SND.UNA moves */
#define SB_EIFEL     0x04u       /* rtt_start holds when fast retransmit went (timestamps on) */
#define SB_NEWSACK   0x08u       /* the ACK being processed SACKed bytes not SACKed before */

static inline unsigned tcp_snd_shift(const struct tcp_conn_opts *o) { return o->shifts & 0x0fu; }
static inline unsigned tcp_rcv_shift(const struct tcp_conn_opts *o) { return o->shifts >> 4; }
#endif
