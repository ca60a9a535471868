/* Full TCB for synchronized connections (and SYN_SENT / simultaneous-open
 * SYN_RECEIVED).  Field names follow RFC 9293 §3.3.1. */
#ifndef KEEL_TCP_TCB_H
#define KEEL_TCP_TCB_H
#include <stdint.h>
#include <keel/config.h>
#include "chunkq.h"
#include "tcp_tuple.h"
#include "tcp_wheel.h"
#include "tcp_opts.h"
#include "tcp_kaprof.h"

#define TCP_NONE 0xffffu            /* "no index" in uint16_t links */
#define TCP_NO_LISTENER 0xffu       /* "no listener" in uint8_t listener indices */

/* tcb.flags */
#define TCB_F_USED      0x0001u
#define TCB_F_ORPHAN    0x0002u     /* tcp_close'd: no handle, finishes alone */
#define TCB_F_FIN_WANT  0x0004u     /* send a FIN after the queued data */
#define TCB_F_FIN_SENT  0x0008u     /* FIN sent: it follows the queued data (tcb_fin_seq) */
#define TCB_F_FIN_ACKED 0x0010u
#define TCB_F_FIN_RCVD  0x0020u     /* peer's FIN consumed: end of stream */
#define TCB_F_ACK_NOW   0x0040u     /* an ACK is owed */
#define TCB_F_TS_OLD    0x0080u     /* SYN_SENT: TS.Recent came from a reused TIME_WAIT (tcp_tw_reuse) */
#define TCB_F_ACCEPTQ   0x0200u     /* in a listener's accept queue */
#define TCB_F_PASSIVE   0x0400u     /* came from a listener */
#define TCB_F_FIN_OOO   0x0800u     /* peer's FIN seen out of order, at tcb_ext.rcv_fin */
#define TCB_F_HASHED    0x1000u     /* in the 4-tuple hash (tcb_hash_insert) */
/* SND.WL2 == SND.UNA: SND.UNA has not moved since the last window update.
 * SND.WL2 (RFC 9293 §3.3.1) is never stored: it is always <= SND.UNA, and
 * the window is only updated from an ACK >= SND.UNA, so "SND.WL2 < SEG.ACK"
 * is all that is asked of it -- true unless this bit is set and SEG.ACK is
 * SND.UNA (tcp_fsm.c window_update). */
#define TCB_F_WL2_UNA   0x0100u

/* tcb.dflags: the data path's own state */
#define TCB_D_SYN_WND   0x01u       /* snd_wnd came on a SYN: not scaled (tcb_snd_wnd) */
#define TCB_D_NODELAY   0x02u       /* Nagle off (tcp_set_nodelay) */
#define TCB_D_RECOVERY  0x04u       /* in NewReno fast recovery */
#define TCB_D_RTT_ON    0x08u       /* rtt_seq is being timed */
#define TCB_D_KA_DUE    0x10u       /* rtx_due holds the keepalive's deadline (the rtx timer is off: tcb_ka_due) */
#define TCB_D_PERSIST   0x20u       /* the rtx timer is the persist timer */
#define TCB_D_MORE      0x40u       /* during keel_tcp_send_more's output only: hold a small tail */
#define TCB_D_MORE_TAIL 0x80u       /* the queue's tail was written with MSG_MORE: no PSH on it */

/* Saturation points of the TCB's narrow fields (struct tcp_tcb). */
#define TCB_MAX_SNDWND 0xfffu
#define TCB_PERSIST_SHIFT_MAX 15u
#define TCB_SRTT8_MAX 0xffffu
_Static_assert(2u * (KEEL_MTU - 40u) < TCB_MAX_SNDWND, "max_sndwnd saturates above twice any segment");
_Static_assert(KEEL_MTU - 40u < (1u << 11), "snd_mss: 11 bits");
_Static_assert(((uint64_t)KEEL_TCP_RTO_MIN_MS << TCB_PERSIST_SHIFT_MAX) >= 120000u,
	       "the persist interval reaches TCP_RTO_MAX_MS before persist_shift saturates");
_Static_assert(KEEL_ECONNABORTED >= -16 && KEEL_ECONNREFUSED >= -16 && KEEL_ECONNRESET >= -16 &&
	       KEEL_ETIMEDOUT >= -16, "tcb.err: 5 bits hold every error tcb_done sets");

/* The TCB's timers, Linux's three: a bit each in tcb.timers when armed,
 * a deadline each (tcb_timer_due); the TCB is one node in the timer wheel
 * (tcp_wheel.h), filed at or before its earliest armed deadline
 * (tcp_timer.c). */
enum tcb_timer {
	/* Retransmit, persist (TCB_D_PERSIST) or tail-loss probe
	 * (SB_TLP_ARMED); for an orphan in FIN_WAIT_2, where all we sent is
	 * acknowledged, tcp_fin_timeout (tcb_fw2_orphan). */
	TCB_T_RTX,
	TCB_T_DACK,                 /* delayed ACK: due within KEEL_TCP_DELACK_MS, kept in 16 bits */
	TCB_T_KA,                   /* keepalive: due in rtx_due's slot or from rcv_ms (tcb_ka_due) */
	TCB_T_N
};
_Static_assert(TCB_T_N <= 3, "tcb.timers: one bit each in 3");

/* ssthresh's "arbitrarily high" (RFC 5681 §3.1), read as 0x7fffffff
 * (tcp_conn_info, as before): a set ssthresh is max(FlightSize / 2,
 * 2 SMSS) (tcp_cc.c), half a send queue (<= CHUNKQ_MAX) or 2 segments,
 * always below it.  0xffff where qlen_t is 16 bits. */
#define TCP_SSTHRESH_INF ((uint32_t)(qlen_t)~(qlen_t)0 < 0x7fffffffu ? (qlen_t)~(qlen_t)0 : (qlen_t)0x7fffffffu)
_Static_assert(CHUNKQ_MAX / 2u + 1u < TCP_SSTHRESH_INF && 2u * (KEEL_MTU - 40u) < TCP_SSTHRESH_INF,
	       "every ssthresh set is below the infinite one");

/* tcb.mflags: buffer growth (tcp_mem.c); the high four bits are SB_*
 * (tcp_opts.h) */
#define TCB_M_RWND_FULL 0x01u       /* the peer filled the advertised window */
#define TCB_M_SND_FULL  0x02u       /* a write found the send budget full */
#define TCB_M_SPACE     0x04u       /* the autotuning mark (rcv_space_*) is set */

/* Copies per byte (the stack's own; the driver adds its DMA/FIFO copy):
 *   received: frame -> rcvq chunks (tcp_rcv.c, once, in order or not: an
 *             out-of-order byte is written at its final queue position and
 *             never moved), chunks -> application buffer (tcp_recv): 2.
 *   sent:     application buffer -> sndq chunks (tcp_send), chunks -> the
 *             one output frame k->txbuf (tcp_output.c; again for each
 *             retransmission): 2.
 * The bytes live in the shared chunk pool (chunkq.h, tcp_mem.c), their
 * queues in the data entry (tcp_flight.h), neither in the TCB: a
 * connection holds chunks and an entry only while it has
 * unacknowledged, unsent, unread or out-of-order bytes. */

struct tcp_tcb {
	uint16_t flags : 13;        /* TCB_F_* */
	uint16_t timers : 3;        /* armed timers: bit (1 << enum tcb_timer) */
	/* The largest window the peer offered in bytes, saturating at
	 * TCB_MAX_SNDWND (tcb_snd_wnd_sat): only ever compared with half a
	 * segment (sender SWS, tcp_output.c), and a segment is below
	 * TCB_MAX_SNDWND / 2. */
	uint16_t max_sndwnd : 12;
	uint16_t state : 4;         /* enum tcp_state */
	uint32_t gen : 24;          /* handle generation, 1..TCP_H_GEN_MAX (< 2^24); bumped on free */
	uint32_t retries : 8;       /* consecutive expiries of rtx, saturating at 255 */
	uint16_t hnext;             /* 4-tuple hash chain, or free-list link */
	uint16_t snd_mss : 11;      /* min(our MSS, peer's MSS) <= KEEL_MTU - 40 */
	int16_t err : 5;            /* pending enum keel_err for the app (tcb_done's: >= -16) */
	/* The 4-tuple (tcb_tuple).  The local address is the interface's,
	 * not stored: keel has one, a connection starts only with it set
	 * (tcp_connect, a SYN to it), and a new address ends every
	 * connection on the old one (tcp_addr.c) -- TIME_WAIT entries rely
	 * on the same. */
	uint32_t raddr;
	uint16_t lport, rport;
	/* send sequence space.  SND.NXT may be pulled back to SND.UNA (RTO
	 * go-back-N, zero window); snd_max is the highest sequence ever sent
	 * + 1 and bounds acceptable ACKs.  ISS is SND.UNA while our SYN is
	 * unacknowledged (SYN_SENT, SYN_RECEIVED) and needed no longer;
	 * SND.WL2 is a flag (TCB_F_WL2_UNA); the FIN's sequence number is
	 * SND.UNA + the queued bytes (tcb_fin_seq).  SND.NXT, snd_max,
	 * snd_sml and recover are kept as offsets from SND.UNA in the data
	 * entry (tcp_flight.h), RCV.WUP and SND.WL1 as ones from RCV.NXT:
	 * read and set them with tcp_tcb_seq.h's accessors. */
	uint32_t snd_una;
	/* SND.WND as the peer's window field (SEG.WND) of the last update;
	 * read as bytes with tcb_snd_wnd (RFC 7323 §2.3: << SND.WND.SHIFT,
	 * but never a SYN's, TCB_D_SYN_WND). */
	uint16_t snd_wnd;
	/* Index of the cold state (struct tcb_ext, tcp_ext.h) while held:
	 * out-of-order ranges, the SACK scoreboard, the segment being timed,
	 * the fast retransmit's time; TCP_NONE. */
	uint16_t ext;
	/* Index of the data entry (struct tcb_flight, tcp_flight.h): the
	 * sender's in-flight state and both queues, held while anything is
	 * queued, unacknowledged, owed (a FIN), unread or out of order;
	 * TCP_NONE when idle. */
	uint16_t flight;
	uint16_t total_retrans;     /* segments retransmitted on this connection */
	uint16_t rcv_drops;         /* segments dropped for want of memory (ss -m "d") */
	/* retransmission (RFC 6298; rttvar4 below).  The RTO is not
	 * stored: cc_rto_base(SRTT, RTTVAR) << retries (tcb_rto).  SRTT * 8
	 * in ms, saturating at TCB_SRTT8_MAX (SRTT 8191 ms); 0 = no sample
	 * yet.  Past the cap the samples' distance from it goes into RTTVAR
	 * (cc_rtt_sample), so RTO = SRTT + 4 RTTVAR still covers an RTT of
	 * R: about 8.2 s + 4 (R - 8.2 s), until rttvar4 saturates too (R
	 * near 24 s; the RTO stays 73.7 s from there). */
	uint16_t srtt8;
	/* The same bytes in two lives: while the connection waits in a
	 * listener's accept queue (TCB_F_ACCEPTQ), its link and owner; once
	 * accepted, receive autotuning's mark (TCB_M_SPACE, tcp_mem.c),
	 * which only the application's reads set -- and it cannot read
	 * before accept. */
	union {
		struct {
			uint16_t next;      /* accept-queue link, TCP_NONE */
			uint8_t listener;   /* accept queue owner, TCP_NO_LISTENER */
		};
		struct {
			uint16_t rcv_space_ms;  /* TCB_M_SPACE: low bits of the clock at the mark */
			qlen_t rcv_space_seq;   /* TCB_M_SPACE: low bits of the sequence read up to at the mark */
		};
	};
	/* receive sequence space (IRS is not kept: nothing reads it after the SYN) */
	uint32_t rcv_nxt;
	qlen_t snd_budget;          /* send buffer size now (tcp_wmem) */
	qlen_t rcv_budget;          /* receive buffer size now (tcp_rmem) */
	qlen_t rcv_adv;             /* window last advertised, unscaled (right edge RCV.WUP + rcv_adv) */
	qlen_t wup_off;             /* RCV.WUP: RCV.NXT when the last window was advertised */
	qlen_t wl1_off;             /* SND.WL1, from RCV.NXT (tcb_snd_wl1) */
	/* Probes without an answer: persist's (RFC 9293 §3.8.6.1) or
	 * keepalive's, never both at once (Linux's icsk_probes_out). */
	uint8_t probes;
	/* Keepalive's setting (TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT), an
	 * index into the stack's interned table (tcp_kaprof.h), holding one
	 * reference; TCP_KA_OFF: keepalive off.  Read it through
	 * tcb_ka_idle_s / tcb_ka_intvl_s / tcb_ka_cnt (tcp_internal.h). */
	uint8_t ka;
	uint8_t mflags;             /* TCB_M_*, and SB_* (tcp_opts.h): tail-loss probe, Eifel, new SACK */
	uint8_t dflags;             /* TCB_D_* */
	/* congestion control (RFC 5681, RFC 6582; recover, the byte
	 * counter and the dupacks are in the flight entry), bytes: cwnd
	 * saturating at the top of qlen_t (tcb_set_cwnd); ssthresh below
	 * one send queue, or TCP_SSTHRESH_INF */
	qlen_t cwnd;
	qlen_t ssthresh;
	/* When the last acceptable ACK arrived (when the TCB was made, until
	 * one does; the SYN_SENT clock of our first SYN): the zero-window
	 * exemption, the keepalive deadline (tcb_ka_due), PAWS's 24-day rule (RFC
	 * 7323 §5.5, which asks when TS.Recent was last set: a connection
	 * that takes segments moves both, an idle one neither). */
	uint32_t rcv_ms;
	/* timers (enum tcb_timer; tcb_timer_due) */
	uint32_t rtx_due;
	struct tmr_node tmr;        /* in the wheel, at the earliest armed deadline (or earlier: tcb_timer_first) */
	uint16_t dack_due;          /* low 16 bits of the delayed ACK's deadline (< 500 ms ahead) */
	/* Low 16 bits of now_ms when the last ACK for an unacceptable
	 * dataless segment went: the limit (TCP_OOW_ACK_MS) is far below
	 * 65 s; 0 = none yet. */
	uint16_t oow_ack_ms;
	/* RTTVAR * 4 in ms, saturating at 65535 (cc_rtt_sample): it differs
	 * from the exact value only past 16 s of RTT variation, and the
	 * RTO it feeds only while SRTT is below TCP_RTO_MAX - 65.5 s. */
	uint16_t rttvar4;
	struct tcp_conn_opts opt;   /* timestamps, SACK, window scale agreed (tcp_opts.h) */
	/* timestamps (RFC 7323, tcp_ts.c) */
	uint32_t ts_recent;         /* TS.Recent (§4.3); its 24-day clock is rcv_ms (§5.5) */
	uint32_t ts_off;            /* our TSval = now_ms + ts_off: keyed, so TSvals reveal neither uptime nor other connections' clocks */
};

#endif
