/* Full TCB for synchronized connections (and SYN_SENT / simultaneous-open
 * SYN_RECEIVED).  Field names follow RFC 9293 §3.3.1. */
#ifndef KEEL_TCP_TCB_H
#define KEEL_TCP_TCB_H
#include <stdint.h>
#include <keel/config.h>

#define TCP_SNDMASK (KEEL_TCP_SNDBUF - 1u)
#define TCP_RCVMASK (KEEL_TCP_RCVBUF - 1u)
#define TCP_NONE 0xffu              /* "no index" in uint8_t links */

/* tcb.flags */
#define TCB_F_USED      0x0001u
#define TCB_F_ORPHAN    0x0002u     /* tcp_close'd: no handle, finishes alone */
#define TCB_F_FIN_WANT  0x0004u     /* send a FIN after the queued data */
#define TCB_F_FIN_SENT  0x0008u     /* FIN is at fin_seq */
#define TCB_F_FIN_ACKED 0x0010u
#define TCB_F_FIN_RCVD  0x0020u     /* peer's FIN consumed: end of stream */
#define TCB_F_ACK_NOW   0x0040u     /* an ACK is owed */
#define TCB_F_RTX_ON    0x0080u     /* rtx_due is armed */
#define TCB_F_FW2_ON    0x0100u     /* fw2_due armed (orphan in FIN_WAIT_2) */
#define TCB_F_ACCEPTQ   0x0200u     /* in a listener's accept queue */
#define TCB_F_PASSIVE   0x0400u     /* came from a listener */
#define TCB_F_FIN_OOO   0x0800u     /* peer's FIN seen out of order, at rcv_fin */

/* tcb.dflags: the data path's own state */
#define TCB_D_INIT      0x01u       /* data-path state set up (tcb_dp_init) */
#define TCB_D_NODELAY   0x02u       /* Nagle off (tcp_set_nodelay) */
#define TCB_D_RECOVERY  0x04u       /* in NewReno fast recovery */
#define TCB_D_RTT_ON    0x08u       /* rtt_seq is being timed */
#define TCB_D_DACK_ON   0x10u       /* dack_due armed */
#define TCB_D_PERSIST   0x20u       /* the rtx timer is the persist timer */
#define TCB_D_KA_ON     0x40u       /* ka_due armed */

/* Copies per byte (the stack's own; the driver adds its DMA/FIFO copy):
 *   received: frame -> rcvbuf (tcp_rcv.c, once, in order or not: an
 *             out-of-order byte is written at its final ring position and
 *             never moved), rcvbuf -> application buffer (tcp_recv): 2.
 *   sent:     application buffer -> sndbuf (tcp_send), sndbuf -> the one
 *             output frame k->txbuf (tcp_output.c; again for each
 *             retransmission): 2.
 * The rings keep the application API copy-in/copy-out and the TCB fixed
 * size; a retransmission needs the bytes anyway, so sndbuf is the minimum
 * the sender must keep, and rcvbuf is what the advertised window promises. */

struct tcp_tcb {
	uint16_t flags;
	uint16_t gen;               /* handle generation; bumped on close/free */
	uint8_t state;              /* enum tcp_state */
	int8_t err;                 /* pending enum keel_err for the app */
	uint8_t listener;           /* accept queue owner, TCP_NONE */
	uint8_t next;               /* accept-queue link, TCP_NONE */
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	/* send sequence space.  SND.NXT may be pulled back to SND.UNA (RTO
	 * go-back-N, zero window); snd_max is the highest sequence ever sent
	 * + 1 and bounds acceptable ACKs. */
	uint32_t iss, snd_una, snd_nxt, snd_max;
	uint32_t snd_wnd, snd_wl1, snd_wl2;
	uint32_t max_sndwnd;        /* largest window the peer offered (sender SWS) */
	uint32_t snd_sml;           /* end of the last small segment sent (Minshall's Nagle) */
	uint32_t fin_seq;
	uint16_t snd_mss;           /* min(our MSS, peer's MSS) */
	uint16_t snd_head;          /* ring index of the byte at the data SND.UNA */
	uint16_t snd_len;           /* bytes in sndbuf: unacked + unsent */
	uint16_t pad0_;
	/* receive sequence space */
	uint32_t irs, rcv_nxt;
	uint32_t rcv_wup;           /* RCV.NXT when the last window was advertised */
	uint32_t rcv_fin;           /* TCB_F_FIN_OOO: the FIN's sequence number */
	uint16_t rcv_head, rcv_len;
	uint16_t rcv_adv;           /* window last advertised (right edge rcv_wup + rcv_adv) */
	uint8_t nooo;               /* out-of-order ranges in use */
	uint8_t dflags;             /* TCB_D_* */
	struct { uint32_t start, end; } ooo[KEEL_TCP_OOO_RANGES];  /* sorted, disjoint, > RCV.NXT */
	/* retransmission (RFC 6298) */
	uint32_t rto_ms;            /* current RTO including backoff */
	uint32_t srtt8, rttvar4;    /* SRTT * 8, RTTVAR * 4 in ms; srtt8 0 = no sample yet */
	uint32_t rtt_seq, rtt_start;/* the one segment being timed (Karn) */
	uint32_t rtx_due;           /* retransmit or (TCB_D_PERSIST) persist deadline */
	uint32_t fw2_due;
	uint32_t last_ack_rx;       /* when the last ACK arrived (zero-window exemption) */
	uint32_t oow_ack_ms;        /* last ACK sent for an unacceptable dataless segment */
	/* congestion control (RFC 5681, RFC 6582) */
	uint32_t cwnd, ssthresh;    /* bytes */
	uint32_t bytes_acked;       /* congestion-avoidance byte counter */
	uint32_t recover;           /* RFC 6582 "recover" */
	/* delayed ACK and keepalive */
	uint32_t dack_due, ka_due;
	uint32_t ka_idle_ms, ka_intvl_ms;   /* 0: keepalive off */
	uint8_t ka_cnt, ka_probes;
	uint8_t retries;            /* consecutive expiries of rtx */
	uint8_t probes;             /* persist probes without any ACK back */
	uint8_t persist_shift;      /* persist backoff exponent */
	uint8_t dupacks;
	uint16_t total_retrans;     /* segments retransmitted on this connection */
	uint8_t sndbuf[KEEL_TCP_SNDBUF];
	uint8_t rcvbuf[KEEL_TCP_RCVBUF];
};
#endif
