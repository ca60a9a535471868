/* The state machine for every state that owns a TCB: SYN_SENT (RFC 9293
 * §3.10.7.3) and the synchronized states (§3.10.7.4), with RFC 5961's
 * blind-attack defences.  Passive SYN_RECEIVED lives in tcp_synq.c,
 * LISTEN in tcp_listen.c, TIME_WAIT in tcp_timewait.c. */
#include <string.h>
#include "tcp_internal.h"

/* An acceptable ACK (rcv_ms just set, probes answered) restarts the
 * keepalive idle time (RFC 1122 §4.2.3.6), as Linux's keepalive counts
 * from the last ACK or data taken (keepalive_time_elapsed): what is
 * dropped unacceptable, a RST or SYN answered by a challenge ACK, a
 * segment without ACK do not move it.  The deadline follows rcv_ms
 * (tcb_ka_due); this only arms it. */
static void keepalive_heard(struct keel *k, struct tcp_tcb *t)
{
	if (t->ka == TCP_KA_OFF || tcb_fw2_orphan(t))
		return;                          /* off, or past keepalive (tcp_fin_timeout runs) */
	tcb_keepalive_arm(k, t);
}

/* The ACK owed to an unacceptable segment without data (RFC 9293
 * §3.10.7.4) goes at most once per TCP_OOW_ACK_MS, as Linux's
 * tcp_oow_rate_limited: such a segment is an ACK that was overtaken on the
 * way (or a keepalive probe), and answering every one of them makes the
 * peer answer ours -- an ACK war that grows with every reordering. */
static int oow_ack_ok(struct keel *k, struct tcp_tcb *t)
{
	uint16_t now = (uint16_t)k->now_ms;
	if (t->oow_ack_ms != 0 && (uint16_t)(now - t->oow_ack_ms) < TCP_OOW_ACK_MS)
		return 0;
	t->oow_ack_ms = now ? now : 1u;
	return 1;
}

/* RFC 5961 §3.2, §4.2; §7 asks that challenge ACKs be rate limited:
 * they share the per-connection limit above, as Linux's
 * tcp_send_challenge_ack does (TCPACKSkippedChallenge when held). */
static void challenge_ack(struct keel *k, struct tcp_tcb *t)
{
	if (!oow_ack_ok(k, t)) {
		k->tcp.mib.challenge_acks_skipped++;
		return;
	}
	k->tcp.mib.challenge_acks++;
	tcp_send_ack(k, t);
}

/* RFC 9293 §3.10.7.4 "first check sequence number": the four-case table,
 * with two allowances for segments that need no buffer space, as BSD's
 * tcp_input and Linux's tcp_sequence / tcp_data_queue make them:
 * a segment without data (a pure ACK, a window update, a bare FIN) may
 * sit at the right edge, RCV.NXT <= SEG.SEQ <= RCV.NXT + RCV.WND, even in
 * a zero window.  It needs no buffer space, and:
 *  - the peer's pure ACKs carry its highest sequence sent: one that
 *    overtakes the data before it would be dropped with its window;
 *  - a FIN right after data that fills the window, or a bare FIN while
 *    our window is zero, would be dropped and cost the peer an RTO.
 * A RST may sit at the right edge too (Linux tcp_sequence; RFC 5961 §3.2
 * then has it answered with a challenge ACK unless SEG.SEQ = RCV.NXT): a
 * peer that sent up to our right edge and resets sends its RST exactly
 * there, and when data before it was dropped for want of memory, dropping
 * the RST as well would leave the connection half-open. */
static int seq_acceptable(const struct keel *k, const struct tcp_tcb *t, const struct tcp_seg *s,
			  uint32_t seqlen)
{
	uint32_t nxt = t->rcv_nxt;
	uint32_t seq = s->seq;
	int no_space_needed = s->len == 0 && !(s->flags & TCP_SYN);
	/* The in-order pure ACK or FIN, most of them: acceptable whatever
	 * the window (RCV.NXT <= SEG.SEQ <= RCV.NXT + RCV.WND), which is
	 * then not worked out. */
	if (no_space_needed && seq == nxt)
		return 1;
	uint32_t wnd = rcv_room(k, t);
#define IN_WIN(x) (seq_le(nxt, (x)) && seq_lt((x), nxt + wnd))
	if (no_space_needed)
		return seq_le(nxt, seq) && seq_le(seq, nxt + wnd);
	if (seqlen == 0)
		return wnd == 0 ? seq == nxt : IN_WIN(seq);
	if (wnd == 0)
		return 0;
	return IN_WIN(seq) || IN_WIN(seq + seqlen - 1);
#undef IN_WIN
}

/* SND.UNA advances to ack: free acknowledged data, note SYN/FIN acked,
 * take an RTT sample (Karn: only an untouched timed segment), end the
 * backoff (RTO from SRTT again), restart or stop the retransmit timer. */
static void ack_advance(struct keel *k, struct tcp_tcb *t, uint32_t ack)
{
	uint32_t acked = ack - t->snd_una;
	uint32_t bytes = acked;
	if (tcb_syn_unacked(t))
		bytes--;                                  /* our SYN */
	if ((t->flags & (TCB_F_FIN_SENT | TCB_F_FIN_ACKED)) == TCB_F_FIN_SENT &&
	    seq_gt(ack, tcb_fin_seq(k, t))) {
		bytes--;                                  /* our FIN */
		t->flags |= TCB_F_FIN_ACKED;
	}
	if (bytes > tcb_sndq(k, t)->len)
		bytes = tcb_sndq(k, t)->len;
	const struct tcb_ext *x = tcb_ext(k, t);
	if ((t->dflags & TCB_D_RTT_ON) && x && seq_gt(ack, x->rtt_seq)) {
		cc_rtt_sample(t, k->now_ms - x->rtt_start);
		t->dflags &= (uint8_t)~TCB_D_RTT_ON;
	}
	if (bytes > 0) {                                  /* queued bytes: t holds a flight entry */
		(void)chunkq_drop(tcb_sndq_w(k, t), &k->tcp.chunks, bytes);
		mem_snd_acked(k, t);                      /* chunks back; the budget may grow */
	}
	tcb_set_snd_una(k, t, ack);                          /* SND.NXT too if acked beyond a go-back-N rewind */
	t->flags &= (uint16_t)~TCB_F_WL2_UNA;           /* SND.WL2 < SND.UNA now */
	t->retries = 0;                                   /* the RTO is cc_rto_base again */
	if (t->dflags & TCB_D_PERSIST)
		return;                                   /* tcp_output decides */
	if (tcb_max_off(k, t) == 0)                      /* SND.UNA == snd_max */
		tcb_timer_stop(t, TCB_T_RTX);             /* RFC 6298 §5.2 */
	else
		tcp_rtx_arm(k, t);                        /* RFC 6298 §5.3 */
	(void)acked;
}

/* RFC 5681 §2 DUPLICATE ACKNOWLEDGMENT: data outstanding, no data and no
 * SYN/FIN on it, ACK == SND.UNA, window unchanged.  With SACK (RFC 6675
 * §2), instead of an unchanged window: SACK blocks that told something
 * new -- a receiver with window scaling moves its window with every read,
 * and its duplicates would otherwise never count. */
static int is_dupack(const struct keel *k, const struct tcp_tcb *t, const struct tcp_seg *s)
{
	/* A zero window's answers to probes are not loss signals. */
	int same = (t->opt.on & TCP_OPTF_SACKOK) ? (t->mflags & SB_NEWSACK) != 0
						  : tcb_seg_wnd(t, s) == tcb_snd_wnd(t);
	return tcb_max_off(k, t) != 0 && s->len == 0 && !(s->flags & (TCP_SYN | TCP_FIN)) &&
	       s->ack == t->snd_una && same && t->snd_wnd != 0 && !(t->dflags & TCB_D_PERSIST);
}

static void window_update(struct tcp_tcb *t, const struct tcp_seg *s)
{
	/* RFC 9293 §3.10.7.4: only from a segment newer than the last update.
	 * Two segments with the same SEQ and ACK cannot be told apart by age
	 * (two window updates after two reads, reordered on the way): then,
	 * as Linux's tcp_may_update_window, the window only grows -- or
	 * closes: a zero window is always believed (the persist timer finds
	 * out if it was stale).  A receiver that shrinks its window without
	 * new data is what RFC 9293 §3.8.6 tells it not to be. */
	uint32_t wnd = tcb_seg_wnd(t, s);
	/* SEG.ACK >= SND.UNA >= SND.WL2 here: they are equal only when
	 * TCB_F_WL2_UNA says SND.WL2 is SND.UNA and SEG.ACK is too. */
	int wl2_is_ack = (t->flags & TCB_F_WL2_UNA) && s->ack == t->snd_una;
	uint32_t wl1 = tcb_snd_wl1(t);
	int newer = seq_lt(wl1, s->seq) ||
		    (wl1 == s->seq && !wl2_is_ack) ||
		    (wl1 == s->seq && wl2_is_ack && (wnd > tcb_snd_wnd(t) || wnd == 0));
	if (newer) {
		tcb_set_snd_wnd(t, s);
		tcb_set_snd_wl1(t, s->seq);
		t->flags |= TCB_F_WL2_UNA;               /* SND.WL2 = SEG.ACK = SND.UNA */
		if (wnd > t->max_sndwnd)
			t->max_sndwnd = tcb_wnd_sat(wnd) & TCB_MAX_SNDWND;
	}
}

/* SYN_RECEIVED -> ESTABLISHED on an acceptable ACK of our SYN. */
static void become_established(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s)
{
	tcb_state_to(k, t, TCP_ESTABLISHED);
	tcb_set_snd_una(k, t, s->ack);                         /* snd_max too, if behind it */
	tcb_set_snd_wnd(t, s);
	tcb_set_snd_wl1(t, s->seq);
	t->flags |= TCB_F_WL2_UNA;                          /* SND.WL2 = SEG.ACK = SND.UNA */
	t->retries = 0;
	tcb_timer_stop(t, TCB_T_RTX);
	tcb_rcv_wup_now(t);
	cc_established(k, t);
	t->rcv_ms = k->now_ms;                              /* the ACK of our SYN */
	t->probes = 0;
	keepalive_heard(k, t);   /* idle counts from here (Linux tcp_finish_connect) */
	if (t->flags & TCB_F_FIN_WANT)
		tcb_state_to(k, t, TCP_FIN_WAIT_1);                /* shutdown came during the handshake */
}

/* The peer's FIN took us to TIME_WAIT: the ACK goes out, the TIME_WAIT
 * table takes over the 4-tuple, and the TCB is released. */
static void enter_time_wait(struct keel *k, struct tcp_tcb *t)
{
	/* Our FIN is acked, so every byte is: the owed ACK is all there is
	 * to send (no pass over the send queue, tcp_output). */
	if (t->flags & TCB_F_ACK_NOW)
		tcp_send_ack(k, t);
	tw_enter(k, t);
	/* Straight to CLOSED: the TIME_WAIT table holds the state now, and
	 * FIN_WAIT_1/2 and CLOSING count as TCPClosedAfterFin as TIME_WAIT
	 * would (tcb_state_to). */
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
		if (seq_le(s->ack, t->snd_una) || seq_gt(s->ack, tcb_snd_nxt(k, t))) {   /* SND.UNA is ISS */
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
	if (ack_ok && !ts_synack_ok(k, t, s)) {
		tcp_send_rst_reply(k, s);                 /* PAWSActiveRejected */
		return;
	}
	if (ts_synsent_paws_reject(t, s))
		return;                                   /* an old incarnation's duplicate */
	t->rcv_nxt = s->seq + 1;                       /* IRS + 1 */
	t->wup_off = TCB_WUP_CAP;                      /* no window advertised at it yet */
	t->snd_mss = tcp_clamp_mss(s->mss);
	optneg_syn_sent(k, t, s);
	if (ack_ok) {
		if ((t->dflags & TCB_D_RTT_ON) && t->retries == 0)
			cc_rtt_sample(t, k->now_ms - t->rcv_ms);   /* from the first SYN, not retransmitted */
		t->dflags &= (uint8_t)~TCB_D_RTT_ON;
		/* Data on a SYN-ACK is not queued (as Linux without TFO):
		 * our ACK covers the SYN only and the peer resends it. */
		become_established(k, t, s);
		t->flags |= TCB_F_ACK_NOW;
		tcp_output(k, t);
		return;
	}
	tcb_state_to(k, t, TCP_SYN_RECEIVED);
	tcb_set_snd_wnd(t, s);                         /* a SYN's window is never scaled */
	tcb_set_snd_wl1(t, s->seq);
	t->flags |= TCB_F_WL2_UNA;                     /* SND.WL2 = ISS = SND.UNA */
	tcp_send_syn(k, t);   /* <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> */
}

/* FIN processing (RFC 9293 §3.10.7.4 "eighth, check the FIN bit"):
 *   SYN_RECEIVED, ESTABLISHED -> CLOSE_WAIT
 *   FIN_WAIT_1 (our FIN acked) -> TIME_WAIT, else -> CLOSING
 *   FIN_WAIT_2                -> TIME_WAIT
 *   CLOSE_WAIT, CLOSING, LAST_ACK: a duplicate; never reaches here in order. */
static void take_fin(struct keel *k, struct tcp_tcb *t)
{
	tcb_rcv_nxt_add(t, 1u);
	t->flags |= TCB_F_FIN_RCVD | TCB_F_ACK_NOW;
	t->flags &= (uint16_t)~TCB_F_FIN_OOO;
	struct tcb_ext *x = tcb_ext(k, t);
	if (x)
		x->nooo = 0;     /* data beyond the FIN can never be read (Linux tcp_fin) */
	switch (t->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		tcb_state_to(k, t, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT_1:
		if (t->flags & TCB_F_FIN_ACKED)
			enter_time_wait(k, t);
		else
			tcb_state_to(k, t, TCP_CLOSING);
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
	    s->seq + 1 == t->rcv_nxt && s->ack == tcb_snd_nxt(k, t) && s->len == 0) {
		become_established(k, t, s);
		tcp_output(k, t);
		return;
	}
	/* RFC 7323 §5.3 R1: PAWS before the sequence check, answered as an
	 * unacceptable segment (Linux tcp_validate_incoming). */
	int paws = ts_paws_reject(k, t, s);
	if (paws || !seq_acceptable(k, t, s, seqlen)) {
		if (s->flags & TCP_RST)
			return;
		if (s->flags & TCP_SYN) {
			challenge_ack(k, t);
			return;
		}
		if (s->len > 0 && seq_lt(s->seq, t->rcv_nxt)) {
			/* An old duplicate: its ACK carries a D-SACK block
			 * (RFC 2883 §4; Linux tcp_send_dupack). */
			uint32_t end = s->seq + s->len;
			sack_dsack_owed(k, t, s->seq, seq_lt(end, t->rcv_nxt) ? end : t->rcv_nxt);
		}
		if (s->len > 0 || (s->flags & TCP_FIN) || oow_ack_ok(k, t))
			tcp_send_ack(k, t);
		return;
	}
	ts_update_recent(t, s);
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
		if (seq_gt(s->ack, t->snd_una) && seq_le(s->ack, tcb_snd_nxt(k, t))) {
			become_established(k, t, s);
		} else {
			tcp_send_rst_reply(k, s);
			return;
		}
	}
	if (seq_gt(s->ack, tcb_snd_max(k, t))) {
		tcp_send_ack(k, t);                        /* acks what we never sent */
		return;
	}
	t->rcv_ms = k->now_ms;
	t->probes = 0;                                 /* the peer is alive (persist, keepalive) */
	keepalive_heard(k, t);
	sack_on_ack(k, t, s);                          /* the scoreboard, before SND.UNA moves */
	if (seq_gt(s->ack, t->snd_una)) {
		uint32_t acked = s->ack - t->snd_una;
		uint32_t rtt;
		if (ts_rtt(k, t, s, &rtt)) {
			cc_rtt_sample(t, rtt);
			t->dflags &= (uint8_t)~TCB_D_RTT_ON;   /* one sample per ACK */
		}
		ack_advance(k, t, s->ack);
		window_update(t, s);
		tcp_cc_act(k, t, cc_on_ack(k, t, s->ack, acked));
	} else if (seq_ge(s->ack, t->snd_una)) {
		if (is_dupack(k, t, s))
			tcp_cc_act(k, t, cc_on_dupack(k, t));
		window_update(t, s);
	}

	switch (t->state) {
	case TCP_FIN_WAIT_1:
		if (t->flags & TCB_F_FIN_ACKED) {
			tcb_state_to(k, t, TCP_FIN_WAIT_2);
			/* With a FIN on this segment the orphan timer waits for
			 * the FIN check below: taken, it goes straight to
			 * TIME_WAIT (the usual close, our FIN acked with the
			 * peer's), and the timer would be cancelled at once. */
			if ((t->flags & TCB_F_ORPHAN) && !(s->flags & TCP_FIN))
				tcb_fin_timeout_arm(k, t);
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
	int fin_ooo = 0;
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
		if (s->len > 0) {
			in_order = rcv_text(k, t, s);
		} else {
			in_order = s->seq == t->rcv_nxt;
			if (!in_order && (s->flags & TCP_FIN) && seq_gt(s->seq, t->rcv_nxt))
				rcv_fin_ooo(k, t, s->seq);      /* a bare FIN ahead of data */
		}
		fin_ooo = rcv_fin_due(k, t);            /* the gap before a kept FIN filled */
		break;
	default:
		/* CLOSE_WAIT, CLOSING, LAST_ACK: the peer already sent FIN. */
		in_order = 0;
		break;
	}
	if (((s->flags & TCP_FIN) && in_order) || fin_ooo) {
		take_fin(k, t);
		if (t->state == TCP_CLOSED || !(t->flags & TCB_F_USED))
			return;                            /* now in the TIME_WAIT table */
	} else if (s->flags & TCP_FIN) {
		t->flags |= TCB_F_ACK_NOW;
		/* A FIN not taken (out of order) on the ACK of ours: the
		 * orphan timer deferred above, armed now (its deadline is
		 * never moved later: armed only while off). */
		if (t->state == TCP_FIN_WAIT_2 && (t->flags & TCB_F_ORPHAN) && !tcb_timer_on(t, TCB_T_RTX))
			tcb_fin_timeout_arm(k, t);
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

