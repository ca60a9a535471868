/* TIME_WAIT as compact entries (Linux tcp_minisocks.c): 2*MSL after the
 * last FIN, re-ACKs retransmitted FINs, dies on an in-window RST. */
#include <string.h>
#include "tcp_internal.h"

static uint32_t tw_len_ms(const struct keel *k)
{
	return 2u * k->tcp.sysctl.tcp_msl * 1000u;
}

/* Table full (or tcp_max_tw_buckets reached): the connection simply
 * skips TIME_WAIT, counted in TCPTimeWaitOverflow, as Linux. */
void tw_enter(struct keel *k, const struct tcp_tcb *t)
{
	struct tcp_stack *ts = &k->tcp;
	unsigned max = ts->sysctl.tcp_max_tw_buckets;
	if (max > KEEL_TW_MAX)
		max = KEEL_TW_MAX;
	if (ts->pool[TCP_POOL_TIME_WAIT].in_use >= max) {
		ts->mib.tw_overflow++;
		return;
	}
	for (unsigned i = 0; i < KEEL_TW_MAX; i++) {
		struct tcp_tw_entry *w = &ts->tw[i];
		if (w->used)
			continue;
		memset(w, 0, sizeof(*w));
		w->used = 1;
		w->raddr = t->raddr;
		w->lport = t->lport;
		w->rport = t->rport;
		w->snd_nxt = t->snd_nxt;
		w->rcv_nxt = t->rcv_nxt;
		w->wnd = tcb_rcv_wnd(t);
		w->deadline = k->now_ms + tw_len_ms(k);
		ts->mib.tw++;
		pool_take(k, TCP_POOL_TIME_WAIT);
		return;
	}
	ts->mib.tw_overflow++;
}

static void tw_free(struct keel *k, struct tcp_tw_entry *w)
{
	w->used = 0;
	pool_give(k, TCP_POOL_TIME_WAIT);
}

struct tcp_tw_entry *tw_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	for (unsigned i = 0; i < KEEL_TW_MAX; i++) {
		struct tcp_tw_entry *w = &k->tcp.tw[i];
		if (w->used && w->rport == rport && w->lport == lport && w->raddr == raddr)
			return w;
	}
	return NULL;
}

static void tw_send_ack(struct keel *k, const struct tcp_tw_entry *w, const struct tcp_seg *s)
{
	struct tcp_out o;
	memset(&o, 0, sizeof(o));
	o.saddr = s->daddr;
	o.daddr = w->raddr;
	o.sport = w->lport;
	o.dport = w->rport;
	o.seq = w->snd_nxt;
	o.ack = w->rcv_nxt;
	o.flags = TCP_ACK;
	o.wnd = w->wnd;
	(void)tcp_emit(k, &o, 0);
}

/* TIME_WAIT (RFC 9293 §3.10.7.4; observable behaviour of Linux
 * tcp_timewait_state_process):
 *   RST with SEQ == RCV.NXT      -> entry removed (no RFC 1337 protection)
 *   bare ACK with SEQ == RCV.NXT -> silently absorbed, 2MSL restarted
 *   other RST                    -> ignored
 *   anything else (retransmitted FIN, data, old segments, SYN) -> ACK;
 *                                   with ACK set, 2MSL restarted
 * A new SYN with SEQ > RCV.NXT is where TIME_WAIT recycling (RFC 6191,
 * TWRecycled) goes in a later issue; today it is answered by an ACK. */
void tw_input(struct keel *k, struct tcp_tw_entry *w, const struct tcp_seg *s)
{
	uint32_t seqlen = tcp_seg_seqlen(s);
	if (s->seq == w->rcv_nxt && (seqlen == 0 || (s->flags & TCP_RST))) {
		if (s->flags & TCP_RST)
			tw_free(k, w);
		else
			w->deadline = k->now_ms + tw_len_ms(k);
		return;
	}
	if (s->flags & TCP_RST)
		return;
	if (s->flags & TCP_ACK)
		w->deadline = k->now_ms + tw_len_ms(k);
	tw_send_ack(k, w, s);
}

void tw_tick(struct keel *k)
{
	for (unsigned i = 0; i < KEEL_TW_MAX; i++) {
		struct tcp_tw_entry *w = &k->tcp.tw[i];
		if (w->used && time_due(k->now_ms, w->deadline))
			tw_free(k, w);
	}
}
