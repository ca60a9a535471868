/* The state machine for every state that owns a TCB: SYN_SENT (RFC 9293
 * §3.10.7.3) and the synchronized states (§3.10.7.4), with RFC 5961's
 * blind-attack defences.  Passive SYN_RECEIVED lives in tcp_synq.c,
 * LISTEN in tcp_listen.c, TIME_WAIT in tcp_timewait.c. */
#include <string.h>
#include "tcp_internal.h"

static uint16_t clamp_mss(uint16_t peer)
{
	if (peer == 0)
		peer = TCP_MSS_DEFAULT;          /* no option: 536, RFC 9293 §3.7.1 */
	if (peer > TCP_MSS_OURS)
		peer = TCP_MSS_OURS;
	if (peer < TCP_MSS_MIN)
		peer = TCP_MSS_MIN;
	return peer;
}

static void challenge_ack(struct keel *k, struct tcp_tcb *t)
{
	k->tcp.mib.challenge_acks++;     /* RFC 5961 §3.2, §4.2 */
	tcp_send_ack(k, t);
}

/* RFC 9293 §3.10.7.4 "first check sequence number": the four-case table. */
static int seq_acceptable(const struct tcp_tcb *t, uint32_t seq, uint32_t seqlen)
{
	uint32_t wnd = tcb_rcv_wnd(t);
	uint32_t nxt = t->rcv_nxt;
#define IN_WIN(x) (seq_le(nxt, (x)) && seq_lt((x), nxt + wnd))
	if (seqlen == 0)
		return wnd == 0 ? seq == nxt : IN_WIN(seq);
	if (wnd == 0)
		return 0;
	return IN_WIN(seq) || IN_WIN(seq + seqlen - 1);
#undef IN_WIN
}

/* SND.UNA advances to ack: free acknowledged data, note SYN/FIN acked,
 * reset the backoff (no RTT samples yet: RTO back to 1 s). */
static void ack_advance(struct keel *k, struct tcp_tcb *t, uint32_t ack)
{
	uint32_t acked = ack - t->snd_una;
	if (t->snd_una == t->iss)
		acked--;                                  /* our SYN */
	if ((t->flags & (TCB_F_FIN_SENT | TCB_F_FIN_ACKED)) == TCB_F_FIN_SENT &&
	    seq_gt(ack, t->fin_seq)) {
		acked--;                                  /* our FIN */
		t->flags |= TCB_F_FIN_ACKED;
	}
	if (acked > t->snd_sent)
		acked = t->snd_sent;
	t->snd_head = (uint16_t)((t->snd_head + acked) & TCP_SNDMASK);
	t->snd_len = (uint16_t)(t->snd_len - acked);
	t->snd_sent = (uint16_t)(t->snd_sent - acked);
	t->snd_una = ack;
	t->retries = 0;
	t->rto_ms = TCP_RTO_INIT_MS;
	if (t->snd_una == t->snd_nxt)
		t->flags &= (uint16_t)~TCB_F_RTX_ON;      /* RFC 6298 §5.2 */
	else
		tcp_rtx_arm(k, t);                        /* RFC 6298 §5.3 */
}

static void window_update(struct tcp_tcb *t, const struct tcp_seg *s)
{
	/* RFC 9293 §3.10.7.4: only from a segment newer than the last update. */
	if (seq_lt(t->snd_wl1, s->seq) || (t->snd_wl1 == s->seq && seq_le(t->snd_wl2, s->ack))) {
		t->snd_wnd = s->wnd;
		t->snd_wl1 = s->seq;
		t->snd_wl2 = s->ack;
	}
}

/* SYN_RECEIVED -> ESTABLISHED on an acceptable ACK of our SYN. */
static void become_established(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s)
{
	t->state = TCP_ESTABLISHED;
	t->snd_una = s->ack;
	t->snd_wnd = s->wnd;
	t->snd_wl1 = s->seq;
	t->snd_wl2 = s->ack;
	t->retries = 0;
	t->rto_ms = TCP_RTO_INIT_MS;
	t->flags &= (uint16_t)~TCB_F_RTX_ON;
	if (t->flags & TCB_F_FIN_WANT)
		t->state = TCP_FIN_WAIT_1;                /* shutdown came during the handshake */
	(void)k;
}

/* The peer's FIN took us to TIME_WAIT: the ACK goes out, the TIME_WAIT
 * table takes over the 4-tuple, and the TCB is released. */
static void enter_time_wait(struct keel *k, struct tcp_tcb *t)
{
	tcp_output(k, t);
	tw_enter(k, t);
	t->state = TCP_TIME_WAIT;
	tcb_done(k, t, KEEL_OK);
}

/* SYN_SENT (RFC 9293 §3.10.7.3)
 *   ACK outside (ISS, SND.NXT]        -> <SEQ=SEG.ACK><RST> (unless RST)
 *   RST with acceptable ACK          -> CLOSED, ECONNREFUSED
 *   RST without ACK                  -> drop
 *   SYN+ACK acceptable               -> ESTABLISHED, send ACK
 *   SYN alone (simultaneous open)    -> SYN_RECEIVED, send SYN-ACK
 *   anything else                    -> drop */
static void syn_sent_input(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s)
{
	int ack_ok = 0;
	if (s->flags & TCP_ACK) {
		if (seq_le(s->ack, t->iss) || seq_gt(s->ack, t->snd_nxt)) {
			tcp_send_rst_reply(k, s);
			return;
		}
		ack_ok = 1;
	}
	if (s->flags & TCP_RST) {
		if (ack_ok)
			tcb_done(k, t, KEEL_ECONNREFUSED);
		return;
	}
	if (!(s->flags & TCP_SYN))
		return;
	t->irs = s->seq;
	t->rcv_nxt = s->seq + 1;
	t->snd_mss = clamp_mss(s->mss);
	if (ack_ok) {
		/* Data on a SYN-ACK is not queued (as Linux without TFO):
		 * our ACK covers the SYN only and the peer resends it. */
		become_established(k, t, s);
		t->flags |= TCB_F_ACK_NOW;
		tcp_output(k, t);
		return;
	}
	t->state = TCP_SYN_RECEIVED;
	t->snd_wnd = s->wnd;
	t->snd_wl1 = s->seq;
	t->snd_wl2 = t->iss;
	tcp_send_syn(k, t);   /* <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> */
}

/* Segment text in ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2.  Returns 1 when the
 * whole segment (so a FIN after it) was taken in order. */
static int take_text(struct tcp_tcb *t, const struct tcp_seg *s)
{
	const uint8_t *p = s->data;
	uint32_t len = s->len;
	uint32_t seq = s->seq;
	if (seq_lt(seq, t->rcv_nxt)) {                    /* trim the old part */
		uint32_t skip = t->rcv_nxt - seq;
		if (skip > len)
			skip = len;
		p += skip;
		len -= skip;
		seq += skip;
	}
	if (len == 0)
		return seq == t->rcv_nxt;
	t->flags |= TCB_F_ACK_NOW;                        /* every data segment ACKed */
	if (seq != t->rcv_nxt)
		return 0;                                 /* out of order: dropped for now */
	uint32_t room = tcb_rcv_wnd(t);
	int all = 1;
	if (len > room) {
		len = room;                               /* beyond the window: trimmed */
		all = 0;
	}
	uint16_t at = (uint16_t)((t->rcv_head + t->rcv_len) & TCP_RCVMASK);
	uint32_t first = KEEL_TCP_RCVBUF - at;
	if (first > len)
		first = len;
	memcpy(t->rcvbuf + at, p, first);
	memcpy(t->rcvbuf, p + first, len - first);
	t->rcv_len = (uint16_t)(t->rcv_len + len);
	t->rcv_nxt += len;
	return all;
}

/* FIN processing (RFC 9293 §3.10.7.4 "eighth, check the FIN bit"):
 *   SYN_RECEIVED, ESTABLISHED -> CLOSE_WAIT
 *   FIN_WAIT_1 (our FIN acked) -> TIME_WAIT, else -> CLOSING
 *   FIN_WAIT_2                -> TIME_WAIT
 *   CLOSE_WAIT, CLOSING, LAST_ACK: a duplicate; never reaches here in order. */
static void take_fin(struct keel *k, struct tcp_tcb *t)
{
	t->rcv_nxt++;
	t->flags |= TCB_F_FIN_RCVD | TCB_F_ACK_NOW;
	switch (t->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		t->state = TCP_CLOSE_WAIT;
		break;
	case TCP_FIN_WAIT_1:
		if (t->flags & TCB_F_FIN_ACKED)
			enter_time_wait(k, t);
		else
			t->state = TCP_CLOSING;
		break;
	case TCP_FIN_WAIT_2:
		enter_time_wait(k, t);
		break;
	default:
		break;
	}
}

/* The synchronized states.  In order (RFC 9293 §3.10.7.4):
 *  1 sequence number unacceptable -> ACK (challenge ACK if SYN), unless RST
 *  2 RST: SEQ == RCV.NXT -> CLOSED (ECONNRESET; ECONNREFUSED from active
 *    SYN_RECEIVED; no error from CLOSING/LAST_ACK); other in-window -> challenge ACK
 *  4 SYN -> challenge ACK (RFC 5961 §4)
 *  5 no ACK -> drop; SYN_RECEIVED: ACK in (SND.UNA, SND.NXT] -> ESTABLISHED
 *    else <SEQ=SEG.ACK><RST>; ACK > SND.NXT -> ACK, drop; new ACK advances
 *    SND.UNA; FIN_WAIT_1 + FIN acked -> FIN_WAIT_2; CLOSING + FIN acked ->
 *    TIME_WAIT; LAST_ACK + FIN acked -> CLOSED
 *  7 text in ESTABLISHED / FIN_WAIT_1 / FIN_WAIT_2 (orphan: RST, AbortOnData)
 *  8 FIN (see take_fin) */
static void sync_input(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s)
{
	uint32_t seqlen = tcp_seg_seqlen(s);

	/* Simultaneous open: the peer's SYN-ACK reaching SYN_RECEIVED is
	 * taken as the ACK of our SYN (Linux tcp_validate_incoming). */
	if (t->state == TCP_SYN_RECEIVED && (s->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == (TCP_SYN | TCP_ACK) &&
	    s->seq + 1 == t->rcv_nxt && s->ack == t->snd_nxt && s->len == 0) {
		become_established(k, t, s);
		tcp_output(k, t);
		return;
	}
	if (!seq_acceptable(t, s->seq, seqlen)) {
		if (s->flags & TCP_RST)
			return;
		if (s->flags & TCP_SYN)
			challenge_ack(k, t);
		else
			tcp_send_ack(k, t);
		return;
	}
	if (s->flags & TCP_RST) {
		if (s->seq != t->rcv_nxt) {
			challenge_ack(k, t);
			return;
		}
		int err = KEEL_ECONNRESET;
		if (t->state == TCP_SYN_RECEIVED)
			err = KEEL_ECONNREFUSED;
		else if (t->state == TCP_CLOSING || t->state == TCP_LAST_ACK)
			err = KEEL_OK;
		tcb_done(k, t, err);
		return;
	}
	if (s->flags & TCP_SYN) {
		challenge_ack(k, t);
		return;
	}
	if (!(s->flags & TCP_ACK))
		return;

	if (t->state == TCP_SYN_RECEIVED) {
		if (seq_gt(s->ack, t->snd_una) && seq_le(s->ack, t->snd_nxt)) {
			become_established(k, t, s);
		} else {
			tcp_send_rst_reply(k, s);
			return;
		}
	}
	if (seq_gt(s->ack, t->snd_nxt)) {
		tcp_send_ack(k, t);                        /* acks what we never sent */
		return;
	}
	if (seq_gt(s->ack, t->snd_una))
		ack_advance(k, t, s->ack);
	if (seq_ge(s->ack, t->snd_una))
		window_update(t, s);

	switch (t->state) {
	case TCP_FIN_WAIT_1:
		if (t->flags & TCB_F_FIN_ACKED) {
			t->state = TCP_FIN_WAIT_2;
			if (t->flags & TCB_F_ORPHAN) {
				t->fw2_due = k->now_ms + k->tcp.sysctl.tcp_fin_timeout * 1000u;
				t->flags |= TCB_F_FW2_ON;
			}
		}
		break;
	case TCP_CLOSING:
		if (t->flags & TCB_F_FIN_ACKED) {
			enter_time_wait(k, t);
			return;
		}
		break;
	case TCP_LAST_ACK:
		if (t->flags & TCB_F_FIN_ACKED) {
			tcb_done(k, t, KEEL_OK);
			return;
		}
		break;
	default:
		break;
	}

	int in_order = 1;
	switch (t->state) {
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
		/* Closed by the app: new data cannot be delivered (Linux
		 * tcp_rcv_state_process, RCV_SHUTDOWN): reset, AbortOnData. */
		if ((t->flags & TCB_F_ORPHAN) && s->len > 0 &&
		    seq_gt(s->seq + s->len, t->rcv_nxt)) {
			k->tcp.mib.abort_on_data++;
			tcp_send_rst_reply(k, s);
			tcb_done(k, t, KEEL_ECONNRESET);
			return;
		}
		/* fall through */
	case TCP_ESTABLISHED:
		if (s->len > 0)
			in_order = take_text(t, s);
		else
			in_order = s->seq == t->rcv_nxt;
		break;
	default:
		/* CLOSE_WAIT, CLOSING, LAST_ACK: the peer already sent FIN. */
		in_order = 0;
		break;
	}
	if ((s->flags & TCP_FIN) && in_order) {
		take_fin(k, t);
		if (t->state == TCP_CLOSED || !(t->flags & TCB_F_USED))
			return;                            /* now in the TIME_WAIT table */
	} else if (s->flags & TCP_FIN) {
		t->flags |= TCB_F_ACK_NOW;
	}
	tcp_output(k, t);
}

void fsm_input(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s)
{
	if (t->state == TCP_SYN_SENT)
		syn_sent_input(k, t, s);
	else
		sync_input(k, t, s);
}

uint16_t tcp_clamp_mss(uint16_t peer)
{
	return clamp_mss(peer);
}
