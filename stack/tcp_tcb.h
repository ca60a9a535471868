/* Full TCB for synchronized connections (and SYN_SENT / simultaneous-open
 * SYN_RECEIVED).  Field names follow RFC 9293 §3.3.1. */
#ifndef KEEL_TCP_TCB_H
#define KEEL_TCP_TCB_H
#include <stdint.h>
#include "keel_config.h"

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

struct tcp_tcb {
	uint16_t flags;
	uint16_t gen;               /* handle generation; bumped on close/free */
	uint8_t state;              /* enum tcp_state */
	int8_t err;                 /* pending enum keel_err for the app */
	uint8_t listener;           /* accept queue owner, TCP_NONE */
	uint8_t next;               /* accept-queue link, TCP_NONE */
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	/* send sequence space */
	uint32_t iss, snd_una, snd_nxt;
	uint32_t snd_wnd, snd_wl1, snd_wl2;
	uint32_t fin_seq;
	uint16_t snd_mss;           /* min(our MSS, peer's MSS) */
	uint16_t snd_head;          /* ring index of the byte at the data SND.UNA */
	uint16_t snd_len;           /* bytes in sndbuf: unacked + unsent */
	uint16_t snd_sent;          /* of which already sent once */
	/* receive sequence space */
	uint32_t irs, rcv_nxt;
	uint16_t rcv_head, rcv_len;
	uint16_t rcv_adv;           /* window last advertised */
	/* retransmission (RFC 6298 fields for the data-path issue) */
	uint32_t rto_ms;
	uint32_t srtt_ms, rttvar_ms; /* reserved: SRTT/RTTVAR, 0 = no sample yet */
	uint32_t rtx_due;
	uint32_t fw2_due;
	uint8_t retries;            /* consecutive expiries of rtx */
	uint8_t pad_[3];
	uint8_t sndbuf[KEEL_TCP_SNDBUF];
	uint8_t rcvbuf[KEEL_TCP_RCVBUF];
};
#endif
