/* Segments a TCB sends: data within the peer's window and our MSS, FIN
 * after the data, pure ACKs, SYN/SYN-ACK, retransmissions and resets. */
#include <string.h>
#include "tcp_internal.h"

static void out_init(struct tcp_out *o, struct tcp_tcb *t, uint8_t flags, uint32_t seq)
{
	memset(o, 0, sizeof(*o));
	o->saddr = t->laddr;
	o->daddr = t->raddr;
	o->sport = t->lport;
	o->dport = t->rport;
	o->seq = seq;
	o->flags = flags;
	if (flags & TCP_ACK)
		o->ack = t->rcv_nxt;
	/* Window = free receive space (no scaling); RFC 9293 §3.8.6. */
	o->wnd = tcb_rcv_wnd(t);
	t->rcv_adv = o->wnd;
}

/* Copies len bytes of the send ring starting off bytes after SND.UNA's
 * data into the output payload area. */
static void copy_out(struct keel *k, const struct tcp_tcb *t, uint16_t off, uint16_t len)
{
	uint8_t *dst = tcp_out_payload(k);
	uint16_t at = (uint16_t)((t->snd_head + off) & TCP_SNDMASK);
	uint16_t first = (uint16_t)(KEEL_TCP_SNDBUF - at);
	if (first > len)
		first = len;
	memcpy(dst, t->sndbuf + at, first);
	memcpy(dst + first, t->sndbuf, (size_t)(len - first));
}

void tcp_rtx_arm(struct keel *k, struct tcp_tcb *t)
{
	t->rtx_due = k->now_ms + t->rto_ms;
	t->flags |= TCB_F_RTX_ON;
}

void tcp_send_syn(struct keel *k, struct tcp_tcb *t)
{
	struct tcp_out o;
	int synack = t->state == TCP_SYN_RECEIVED;
	out_init(&o, t, synack ? (TCP_SYN | TCP_ACK) : TCP_SYN, t->iss);
	if (!synack)
		o.wnd = tcb_rcv_wnd(t);
	o.mss = TCP_MSS_OURS;   /* the only option we send */
	(void)tcp_emit(k, &o, 0);
}

void tcp_send_ack(struct keel *k, struct tcp_tcb *t)
{
	struct tcp_out o;
	out_init(&o, t, TCP_ACK, t->snd_nxt);
	(void)tcp_emit(k, &o, 0);
	t->flags &= (uint16_t)~TCB_F_ACK_NOW;
}

/* Linux tcp_send_active_reset: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>. */
void tcp_send_active_rst(struct keel *k, struct tcp_tcb *t)
{
	struct tcp_out o;
	out_init(&o, t, TCP_RST | TCP_ACK, t->snd_nxt);
	(void)tcp_emit(k, &o, 0);
}

/* RFC 9293 §3.10.7.1: the reply to a segment that has no connection.
 * Never answers a RST. */
void tcp_send_rst_reply(struct keel *k, const struct tcp_seg *s)
{
	if (s->flags & TCP_RST)
		return;
	struct tcp_out o;
	memset(&o, 0, sizeof(o));
	o.saddr = s->daddr;
	o.daddr = s->saddr;
	o.sport = s->dport;
	o.dport = s->sport;
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
		return seq_gt(t->snd_una, t->iss);   /* our SYN is acknowledged */
	default:
		return 0;
	}
}

/* Sends new data (and the FIN after it) as the window allows, then any
 * owed ACK.  Nagle is off (as TCP_NODELAY); PSH marks the segment that
 * empties the queue. */
void tcp_output(struct keel *k, struct tcp_tcb *t)
{
	if (can_send_data(t)) {
		for (unsigned n = 0; n < KEEL_TCP_SNDBUF / TCP_MSS_MIN + 2; n++) {
			uint16_t unsent = (uint16_t)(t->snd_len - t->snd_sent);
			int32_t usable = (int32_t)(t->snd_una + t->snd_wnd - t->snd_nxt);
			int want_fin = (t->flags & (TCB_F_FIN_WANT | TCB_F_FIN_SENT)) == TCB_F_FIN_WANT;
			uint16_t len = unsent;
			if (len > t->snd_mss)
				len = t->snd_mss;
			if (usable <= 0)
				len = 0;
			else if ((int32_t)len > usable)
				len = (uint16_t)usable;
			if (len == 0 && !(unsent == 0 && want_fin))
				break;
			struct tcp_out o;
			uint8_t flags = TCP_ACK;
			if (len > 0 && len == unsent)
				flags |= TCP_PSH;
			if (len == unsent && want_fin)
				flags |= TCP_FIN;
			out_init(&o, t, flags, t->snd_nxt);
			copy_out(k, t, t->snd_sent, len);
			(void)tcp_emit(k, &o, len);
			t->flags &= (uint16_t)~TCB_F_ACK_NOW;
			t->snd_sent = (uint16_t)(t->snd_sent + len);
			t->snd_nxt += len;
			if (flags & TCP_FIN) {
				t->fin_seq = t->snd_nxt;
				t->snd_nxt++;
				t->flags |= TCB_F_FIN_SENT;
			}
			if (!(t->flags & TCB_F_RTX_ON))
				tcp_rtx_arm(k, t);
			if (flags & TCP_FIN)
				break;
		}
		/* Zero window with data waiting and nothing in flight: the
		 * retransmit timer doubles as a crude persist timer (a real
		 * one comes with the data-path issue). */
		if (t->snd_len > t->snd_sent && t->snd_una == t->snd_nxt && !(t->flags & TCB_F_RTX_ON))
			tcp_rtx_arm(k, t);
	}
	if (t->flags & TCB_F_ACK_NOW)
		tcp_send_ack(k, t);
}

/* The retransmit timer fired: resend the oldest unacknowledged thing
 * (SYN, SYN-ACK, first segment of data, or FIN).  Go-back-one, as Linux's
 * RTO path does for the head; the rest follows as ACKs arrive. */
void tcp_retransmit(struct keel *k, struct tcp_tcb *t)
{
	struct tcp_out o;
	if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED) {
		tcp_send_syn(k, t);
		k->tcp.mib.retrans_segs++;
		k->tcp.mib.synack_retrans++;
		return;
	}
	if (t->snd_sent > 0) {
		uint16_t len = t->snd_sent < t->snd_mss ? t->snd_sent : t->snd_mss;
		uint8_t flags = TCP_ACK;
		if (len == t->snd_sent) {
			flags |= TCP_PSH;
			if ((t->flags & (TCB_F_FIN_SENT | TCB_F_FIN_ACKED)) == TCB_F_FIN_SENT)
				flags |= TCP_FIN;
		}
		out_init(&o, t, flags, t->snd_una);
		copy_out(k, t, 0, len);
		(void)tcp_emit(k, &o, len);
		k->tcp.mib.retrans_segs++;
		return;
	}
	if ((t->flags & (TCB_F_FIN_SENT | TCB_F_FIN_ACKED)) == TCB_F_FIN_SENT) {
		out_init(&o, t, TCP_FIN | TCP_ACK, t->fin_seq);
		(void)tcp_emit(k, &o, 0);
		k->tcp.mib.retrans_segs++;
		return;
	}
	if (t->snd_len > t->snd_sent && can_send_data(t)) {
		/* Zero-window probe: one new byte beyond the window. */
		out_init(&o, t, TCP_ACK, t->snd_nxt);
		copy_out(k, t, t->snd_sent, 1);
		(void)tcp_emit(k, &o, 1);
		t->snd_sent++;
		t->snd_nxt++;
	}
}
