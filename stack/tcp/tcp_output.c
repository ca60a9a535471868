/* Segments a TCB sends: data within min(peer's window, cwnd) and our MSS
 * with Nagle (Minshall's variant, as Linux) and sender SWS avoidance (RFC
 * 9293 §3.8.6.2.1), MSG_MORE's held tail, the FIN (on the last data
 * segment if the window takes it, else alone), pure ACKs, SYN/SYN-ACK,
 * retransmissions (go-back-N after an RTO, the head segment for fast
 * retransmit), zero-window probes (RFC 9293 §3.8.6.1), keepalive probes
 * (RFC 1122 §4.2.3.6) and resets. */
#include <string.h>
#include "tcp_internal.h"

static void out_init(struct keel *k, struct tcp_out *o, struct tcp_tcb *t, uint8_t flags, uint32_t seq)
{
	struct tcp_tuple tu = tcb_tuple(k, t);
	tcp_out_init(o, &tu);
	o->seq = seq;
	o->flags = flags;
	if (flags & TCP_ACK) {
		o->ack = t->rcv_nxt;
		/* Every ACK we send settles what was owed. */
		t->flags &= (uint16_t)~TCB_F_ACK_NOW;
		tcb_timer_stop(t, TCB_T_DACK);
	}
	/* Window = free receive space, receiver SWS applied (tcp_rcv.c),
	 * in units of our shift (RFC 7323 §2.3). */
	o->wnd = rcv_wnd_select(k, t, tcp_rcv_shift(&t->opt));
	tcp_opts_out(k, t, o);
}

/* Copies len bytes of the send queue starting off bytes after SND.UNA's
 * data into the output payload area, after o's options. */
static void copy_out(struct keel *k, const struct tcp_tcb *t, const struct tcp_out *o, uint32_t off,
		     uint32_t len)
{
	(void)chunkq_peek(tcb_sndq(k, t), &k->tcp.chunks, off, tcp_out_payload(k) + tcp_opt_len(o), len);
}

void tcp_rtx_arm(struct keel *k, struct tcp_tcb *t)
{
	/* A tail-loss probe first when one is due (tcp_sack.c), else the RTO. */
	uint32_t rto = tcb_rto(t);
	uint32_t pto = tlp_pto(t, tcb_flight(k, t), rto);
	tcb_timer_set(k, t, TCB_T_RTX, k->now_ms + (pto ? pto : rto));
	if (pto)
		t->mflags |= SB_TLP_ARMED;
	else
		t->mflags &= (uint8_t)~SB_TLP_ARMED;
	t->dflags &= (uint8_t)~TCB_D_PERSIST;
}

void tcp_send_syn(struct keel *k, struct tcp_tcb *t)
{
	struct tcp_out o;
	if (t->retries == 0 && t->state == TCP_SYN_SENT) {
		/* The handshake gives the first RTT sample, timed from the
		 * first SYN: when the TCB was made (tcb_start, rcv_ms). */
		t->dflags |= TCB_D_RTT_ON;
	} else {
		t->dflags &= (uint8_t)~TCB_D_RTT_ON;   /* Karn: a retransmitted SYN is not timed */
	}
	int synack = t->state == TCP_SYN_RECEIVED;
	out_init(k, &o, t, synack ? (TCP_SYN | TCP_ACK) : TCP_SYN, t->snd_una);   /* <SEQ=ISS> */
	/* never scaled in a SYN or SYN-ACK (RFC 7323 §2.2) */
	o.wnd = synack ? rcv_wnd_select(k, t, 0) : tcp_syn_wnd(tcb_rcv_wnd(k, t));
	if (!synack && t->retries == 0) {
		/* What our SYN offers; the answer narrows it (optneg_syn_sent). */
		t->opt.on = optneg_offer(k);
		t->ts_off = ts_offset(k, k->ifc.addr, t->lport, t->raddr, t->rport);
	}
	optneg_syn_out(k, &o, t->opt.on, t->ts_off, t->ts_recent);
	(void)tcp_emit(k, &o, 0);
}

void tcp_send_ack(struct keel *k, struct tcp_tcb *t)
{
	struct tcp_out o;
	/* SEQ = the highest sequence sent (BSD's snd_max): after a go-back-N
	 * rewind SND.NXT may lie below what the peer already has, and an
	 * ACK with such a SEQ would be unacceptable there (RFC 9293
	 * §3.10.7.4) and never processed. */
	out_init(k, &o, t, TCP_ACK, tcb_snd_max(k, t));
	(void)tcp_emit(k, &o, 0);
}

/* After the application read: the window update, if receiver SWS
 * avoidance says one is owed (tcp_rcv.c). */
void tcp_window_update(struct keel *k, struct tcp_tcb *t)
{
	if (rcv_read(k, t))
		tcp_send_ack(k, t);
	tcb_flight_trim(k, t);       /* all read: the entry may go (tcp_flight.h) */
}

/* Linux tcp_send_active_reset: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>. */
void tcp_send_active_rst(struct keel *k, struct tcp_tcb *t)
{
	struct tcp_out o;
	out_init(k, &o, t, TCP_RST | TCP_ACK, tcb_snd_max(k, t));
	(void)tcp_emit(k, &o, 0);
}

/* RFC 9293 §3.10.7.1: the reply to a segment that has no connection.
 * Never answers a RST. */
void tcp_send_rst_reply(struct keel *k, const struct tcp_seg *s)
{
	if (s->flags & TCP_RST)
		return;
	struct tcp_out o;
	struct tcp_tuple tu = tcp_seg_tuple(s);
	tcp_out_init(&o, &tu);
	if (s->flags & TCP_ACK) {
		o.seq = s->ack;                       /* <SEQ=SEG.ACK><CTL=RST> */
		o.flags = TCP_RST;
	} else {
		o.seq = 0;                            /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
		o.ack = s->seq + tcp_seg_seqlen(s);
		o.flags = TCP_RST | TCP_ACK;
	}
	(void)tcp_emit(k, &o, 0);
}

static int can_send_data(const struct tcp_tcb *t)
{
	switch (t->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_1:
	case TCP_LAST_ACK:
	case TCP_CLOSING:
		return !tcb_syn_unacked(t);          /* our SYN is acknowledged */
	default:
		return 0;
	}
}

/* One segment: len data bytes at seq (ring offset seq - SND.UNA), FIN if
 * asked.  Counts retransmissions; times one segment at a time (Karn: never
 * a retransmitted one, and a retransmission cancels the timing). */
static void xmit_data(struct keel *k, struct tcp_tcb *t, uint32_t seq, uint32_t len, int fin, int probe)
{
	struct tcp_out o;
	uint8_t flags = TCP_ACK;
	uint32_t off = seq - t->snd_una;
	/* Linux marks PSH at the end of a write, not after MSG_MORE (tcp_push). */
	if (len > 0 && off + len == tcb_sndq(k, t)->len && !(t->dflags & TCB_D_MORE_TAIL))
		flags |= TCP_PSH;
	if (fin)
		flags |= TCP_FIN;
	out_init(k, &o, t, flags, seq);
	tcp_opts_fit(&o, len);
	if (len > 0)
		copy_out(k, t, &o, off, len);   /* a bare FIN carries none */
	(void)tcp_emit(k, &o, len);
	uint32_t end = seq + len + (fin ? 1u : 0u);
	uint32_t max = tcb_snd_max(k, t);
	if (seq_lt(seq, max)) {
		if (!probe) {
			k->tcp.mib.retrans_segs++;
			t->total_retrans++;
		}
		t->dflags &= (uint8_t)~TCB_D_RTT_ON;
	} else if (!(t->dflags & TCB_D_RTT_ON) && !probe && !(t->mflags & SB_EIFEL) &&
		   !(t->opt.on & TCP_OPTF_TS)) {
		/* Timed only without timestamps: with them every ACK that
		 * moves SND.UNA echoes a TSval and gives the sample (ts_rtt,
		 * RFC 7323 §4.1), so no extension is taken and given back
		 * for each segment sent. */
		struct tcb_ext *x = tcb_ext_get(k, t);   /* none free: this segment is not timed */
		if (x) {
			x->rtt_seq = seq;
			x->rtt_start = k->now_ms;
			t->dflags |= TCB_D_RTT_ON;
		}
	}
	if (seq_gt(end, max))
		tcb_set_snd_max(k, t, end);
}

static uint32_t data_unsent(const struct keel *k, const struct tcp_tcb *t)
{
	uint32_t off = tcb_nxt_off(k, t), queued = tcb_sndq(k, t)->len;
	return off < queued ? queued - off : 0u;
}

uint32_t tcp_persist_interval(const struct keel *k, const struct tcp_tcb *t)
{
	uint32_t iv = cc_rto_base(t);
	uint32_t shift = tcb_fl(k, t)->persist_shift;
	for (unsigned i = 0; i < shift && iv < TCP_RTO_MAX_MS; i++)
		iv *= 2u;
	return iv < TCP_RTO_MAX_MS ? iv : TCP_RTO_MAX_MS;
}

/* New data, or the rest after a go-back-N rewind, as min(window, cwnd)
 * allows.  force: one segment regardless of Nagle/SWS (persist timer as
 * RFC 9293's SWS override timeout). */
static void output_data(struct keel *k, struct tcp_tcb *t, int force)
{
	if (t->flight == TCP_NONE && !tcb_flight_take(k, t)) {
		/* Only a FIN comes here without an entry (data took one when
		 * queued): it waits for one, the retransmit timer trying again
		 * (tcp_flight.h, tcp_timer.c). */
		if (!tcb_timer_on(t, TCB_T_RTX))
			tcb_timer_set(k, t, TCB_T_RTX, k->now_ms + TCP_FLIGHT_RETRY_MS);
		return;
	}
	struct tcb_flight *f = &k->tcp.flight.f[t->flight];   /* held from here on */
	const struct chunkq *sq = &f->sndq;
	if ((t->dflags & TCB_D_PERSIST) && t->snd_wnd > 0)
		f->nxt_off = 0;             /* the window opened: an unacked probe byte goes again */
	for (unsigned n = 0; n < CHUNKQ_MAX / TCP_MSS_MIN + 2u; n++) {   /* a send queue's segments */
		uint32_t off = f->nxt_off;
		if (off > sq->len)
			break;                              /* the FIN is out */
		uint32_t avail = sq->len - off;
		int fin_due = (t->flags & (TCB_F_FIN_WANT | TCB_F_FIN_ACKED)) == TCB_F_FIN_WANT;
		if (avail == 0 && !fin_due)
			break;
		int32_t wnd_lim = (int32_t)(tcb_snd_wnd(t) - off);
		uint32_t lt = f->dupacks ? cc_limited_transmit(t, f->dupacks) : 0u;   /* RFC 3042 */
		int32_t cwnd_lim = (int32_t)(t->cwnd + lt - off);
		int32_t lim = wnd_lim < cwnd_lim ? wnd_lim : cwnd_lim;
		uint32_t len = avail < t->snd_mss ? avail : t->snd_mss;
		if (lim <= 0)
			len = 0;
		else if (len > (uint32_t)lim)
			len = (uint32_t)lim;
		/* The FIN rides on the segment that ends the queue, as Linux's
		 * tcp_send_fin tags the unsent tail, if the peer's window takes
		 * its sequence number too (tcp_snd_wnd_test); else it waits for
		 * the ACK.  Alone with nothing in flight it goes even into a
		 * zero window: nothing else could carry it (the RTO covers it). */
		int fin = fin_due && len == avail &&
			  (wnd_lim > (int32_t)len || (len == 0 && off == 0));
		if (len == 0 && !fin)
			break;
		if (!force && !fin && len < t->snd_mss && off >= f->max_off) {
			if (t->dflags & TCB_D_MORE)
				break;                  /* MSG_MORE: the next write or the FIN may join it */
			/* A small new segment goes only if it is all we have and
			 * Nagle allows (no small segment unacked: Minshall), or
			 * it is at least half the largest window the peer has
			 * offered (RFC 9293 §3.8.6.2.1).  A full send buffer
			 * lifts Nagle, as lwIP's tcp_sndbuf == 0 does: no later
			 * write can join the segment, so holding it only stalls
			 * (an echo of the peer's sub-MSS segments, queue to
			 * queue). */
			int nagle_ok = (t->dflags & TCB_D_NODELAY) || f->sml_off == 0 ||
				       mem_snd_space(k, t) == 0;
			if (!((len == avail && nagle_ok) || len >= t->max_sndwnd / 2u))
				break;
		}
		xmit_data(k, t, t->snd_una + off, len, fin, 0);
		if (fin)
			t->flags |= TCB_F_FIN_SENT;         /* at tcb_fin_seq */
		if (len > 0 && len < t->snd_mss)
			f->sml_off = (qlen_t)(off + len);   /* snd_sml */
		f->nxt_off = (qlen_t)(off + len + (fin ? 1u : 0u));
		if (fin || force)
			break;
	}
	/* Timers.  A zero window pulls SND.NXT back to SND.UNA (what was in
	 * flight will be sent again when it opens); with data waiting and
	 * nothing in flight the persist timer runs, else the retransmit
	 * timer (RFC 6298 §5.1). */
	if (t->snd_wnd == 0 && sq->len > 0 && !(t->flags & TCB_F_FIN_SENT) &&
	    f->nxt_off != 0 && !(t->dflags & TCB_D_PERSIST))
		f->nxt_off = 0;             /* SND.NXT = SND.UNA */
	uint32_t flight = f->nxt_off;
	if (flight == 0 && sq->len > 0) {   /* SND.NXT at SND.UNA: all of sndq unsent */
		if (!(t->dflags & TCB_D_PERSIST)) {
			f->persist_shift = 0;
			t->probes = 0;                      /* persist's count, not keepalive's */
			tcb_timer_set(k, t, TCB_T_RTX, k->now_ms + tcp_persist_interval(k, t));
			t->dflags |= TCB_D_PERSIST;
		}
	} else if (flight > 0) {
		/* The window opened, or all data is acked and our FIN went
		 * into the zero window (nothing left to probe with): the
		 * retransmit timer covers the FIN (RFC 6298 §5.1). */
		if ((t->dflags & TCB_D_PERSIST) && (t->snd_wnd > 0 || sq->len == 0)) {
			f->persist_shift = 0;
			tcp_rtx_arm(k, t);                  /* the window opened */
		} else if (!tcb_timer_on(t, TCB_T_RTX)) {
			tcp_rtx_arm(k, t);
		}
	} else if (t->dflags & TCB_D_PERSIST) {
		t->dflags &= (uint8_t)~TCB_D_PERSIST;
		tcb_timer_stop(t, TCB_T_RTX);
	}
}

/* Nothing queued, nothing in flight, no FIN owed, no persist timer:
 * output_data would only find that out (every segment of a receive-only
 * connection, every ACK to a drained one). */
static int output_idle(const struct keel *k, const struct tcp_tcb *t)
{
	/* Synchronized here (can_send_data): no flight entry, nothing out. */
	return tcb_sndq(k, t)->len == 0 && (t->flight == TCP_NONE || tcb_flight(k, t) == 0) && !(t->dflags & TCB_D_PERSIST) &&
	       (t->flags & (TCB_F_FIN_WANT | TCB_F_FIN_ACKED)) != TCB_F_FIN_WANT;
}

/* Sends what may be sent, then any owed ACK. */
void tcp_output(struct keel *k, struct tcp_tcb *t)
{
	if (can_send_data(t) && !output_idle(k, t))
		output_data(k, t, 0);
	if (t->flags & TCB_F_ACK_NOW)
		tcp_send_ack(k, t);
	tcb_ext_trim(k, t);          /* a retransmission may have ended the timing */
	tcb_flight_trim(k, t);       /* everything acked: the in-flight state goes back */
}

/* One segment at SND.UNA: fast retransmit and NewReno's partial ACK. */
void tcp_retransmit_at(struct keel *k, struct tcp_tcb *t, uint32_t off, uint32_t len)
{
	if (!can_send_data(t))
		return;
	uint32_t sent = tcb_max_off(k, t);   /* data (+ FIN) ever sent beyond SND.UNA */
	int fin_out = (t->flags & (TCB_F_FIN_SENT | TCB_F_FIN_ACKED)) == TCB_F_FIN_SENT;
	uint32_t data = sent - (fin_out ? 1u : 0u);
	uint32_t queued = tcb_sndq(k, t)->len;
	if (data > queued)
		data = queued;
	if (off > data)
		return;
	uint32_t n = data - off;
	if (n > len)
		n = len;
	if (n > t->snd_mss)
		n = t->snd_mss;
	int fin = fin_out && off + n == data;
	if (n == 0 && !fin)
		return;
	xmit_data(k, t, t->snd_una + off, n, fin, 0);
	uint32_t end = off + n + (fin ? 1u : 0u);
	struct tcb_ext *x = tcb_ext(k, t);      /* HighRxt: none kept without */
	if (x && end > x->sb.high_rxt)
		x->sb.high_rxt = (qlen_t)(end < CHUNKQ_MAX ? end : CHUNKQ_MAX);
	if (tcb_nxt_off(k, t) < end)
		tcb_set_snd_nxt(k, t, t->snd_una + end);
}

void tcp_retransmit_head(struct keel *k, struct tcp_tcb *t)
{
	tcp_retransmit_at(k, t, 0, t->snd_mss);
}

void tcp_cc_act(struct keel *k, struct tcp_tcb *t, enum cc_verdict v)
{
	uint32_t off, len;
	switch (v) {
	case CC_RETRANSMIT_HEAD:
		tcp_retransmit_head(k, t);
		break;
	case CC_RETRANSMIT_HOLE:
		if (sack_next_hole(k, t, &off, &len))
			tcp_retransmit_at(k, t, off, len);
		break;
	default:
		break;
	}
}

/* RFC 8985 §7.3: new data if the peer's window takes it (cwnd aside),
 * else the last segment sent again; then the RTO runs as usual. */
void tcp_tlp_fire(struct keel *k, struct tcp_tcb *t)
{
	t->mflags = (uint8_t)((t->mflags & ~SB_TLP_ARMED) | SB_TLP_OUT);
	k->tcp.mib.loss_probes++;
	uint32_t before = tcb_snd_nxt(k, t);
	if (data_unsent(k, t) > 0 && tcb_nxt_off(k, t) < tcb_snd_wnd(t)) {
		qlen_t cwnd = t->cwnd;
		tcb_set_cwnd(t, tcb_flight(k, t) + t->snd_mss);
		output_data(k, t, 1);
		t->cwnd = cwnd;
	}
	if (tcb_snd_nxt(k, t) == before) {
		uint32_t flight = tcb_max_off(k, t);
		uint32_t off = flight > t->snd_mss ? flight - t->snd_mss : 0u;
		tcp_retransmit_at(k, t, off, t->snd_mss);
	}
	tcb_timer_set(k, t, TCB_T_RTX, k->now_ms + tcb_rto(t));
}

/* The retransmit timer fired (the caller backs off and counts): SYN or
 * SYN-ACK again, else the loss window and go-back-N from SND.UNA. */
void tcp_retransmit(struct keel *k, struct tcp_tcb *t)
{
	if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED) {
		tcp_send_syn(k, t);
		k->tcp.mib.retrans_segs++;
		k->tcp.mib.synack_retrans++;
		t->total_retrans++;
		return;
	}
	if (!can_send_data(t))
		return;
	cc_on_rto(k, t);
	output_data(k, t, 1);
}

/* The persist timer fired: a zero-window probe of one byte at SND.UNA
 * (RFC 9293 §3.8.6.1; the peer ACKs it with its current window), or with
 * a small window open, what it allows (the SWS override timeout). */
void tcp_persist_fire(struct keel *k, struct tcp_tcb *t)
{
	if (!can_send_data(t) || data_unsent(k, t) + tcb_flight(k, t) == 0) {
		t->dflags &= (uint8_t)~TCB_D_PERSIST;
		tcb_timer_stop(t, TCB_T_RTX);
		return;
	}
	if (tcb_sndq(k, t)->len == 0) {
		tcp_rtx_arm(k, t);     /* only our FIN is out: it is retransmitted, not probed */
		return;
	}
	if (t->snd_wnd == 0) {
		tcb_set_snd_nxt(k, t, t->snd_una);
		xmit_data(k, t, t->snd_una, 1, 0, 1);
		tcb_set_snd_nxt(k, t, t->snd_una + 1u);
	} else {
		t->dflags &= (uint8_t)~TCB_D_MORE_TAIL;   /* pushed: PSH, as tcp_write_wakeup */
		output_data(k, t, 1);
	}
	struct tcb_flight *f = tcb_flw(k, t);   /* held: data is queued */
	if (f && f->persist_shift < TCB_PERSIST_SHIFT_MAX)
		f->persist_shift++;
	if (t->dflags & TCB_D_PERSIST)
		tcb_timer_set(k, t, TCB_T_RTX, k->now_ms + tcp_persist_interval(k, t));
}

/* RFC 1122 §4.2.3.6: <SEQ=SND.NXT-1><ACK=RCV.NXT>, no data (as Linux);
 * the peer answers with an ACK. */
void tcp_send_keepalive(struct keel *k, struct tcp_tcb *t)
{
	struct tcp_out o;
	out_init(k, &o, t, TCP_ACK, tcb_snd_max(k, t) - 1u);
	(void)tcp_emit(k, &o, 0);
}
