/* TIME_WAIT as compact entries (Linux tcp_minisocks.c): 2*MSL after the
 * last FIN, re-ACKs retransmitted FINs, dies on an in-window RST, and the
 * two ways a 4-tuple leaves TIME_WAIT early for a new incarnation: a peer's
 * new SYN (RFC 9293 §3.6.1, RFC 6191) and our own connect (tcp_tw_reuse).
 * tcp_max_tw_buckets and tcp_msl are read at every use, so lowering them
 * below the current occupancy is safe: new entries are refused (counted)
 * and old ones expire on the new schedule. */
#include <string.h>
#include "tcp_internal.h"

static uint32_t tw_len_ms(const struct keel *k)
{
	return 2u * k->tcp.sysctl.tcp_msl * 1000u;
}

static uint8_t *tw_bucket(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	uint32_t h = raddr ^ ((uint32_t)rport << 16) ^ lport;
	h ^= h >> 16;
	h ^= h >> 8;
	return &k->tcp.tw_head[h & (KEEL_TW_BUCKETS - 1)];
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
		w->wnd = tcb_rcv_wnd(k, t);
		w->since = k->now_ms;
		uint8_t *head = tw_bucket(k, w->raddr, w->rport, w->lport);
		w->next = *head;
		*head = (uint8_t)(i + 1);
		ts->mib.tw++;
		pool_take(k, TCP_POOL_TIME_WAIT);
		return;
	}
	ts->mib.tw_overflow++;
}

static void tw_free(struct keel *k, struct tcp_tw_entry *w)
{
	uint8_t self = (uint8_t)(w - k->tcp.tw + 1);
	uint8_t *link = tw_bucket(k, w->raddr, w->rport, w->lport);
	while (*link && *link != self)
		link = &k->tcp.tw[*link - 1].next;
	if (*link)
		*link = w->next;
	w->used = 0;
	pool_give(k, TCP_POOL_TIME_WAIT);
}

/* A new incarnation takes the 4-tuple over (TWRecycled). */
void tw_recycle(struct keel *k, struct tcp_tw_entry *w)
{
	if (!w->used)
		return;
	k->tcp.mib.tw_recycled++;
	tw_free(k, w);
}

/* The ISN of a new incarnation: above anything the old one can still have
 * in flight, exactly Linux's tw_snd_nxt + 65535 + 2 (0 means "none"). */
uint32_t tw_next_isn(const struct tcp_tw_entry *w)
{
	uint32_t isn = w->snd_nxt + 65535u + 2u;
	return isn ? isn : 1u;
}

/* tcp_tw_reuse for our own active opens (Linux tcp_twsk_unique):
 *   0 -> never;  2 -> Linux's "loopback only": keel has no loopback, so never;
 *   1 -> once the entry is TCP_TW_REUSE_MS old.  Linux also needs
 *        timestamps (PAWS guards the new connection from old duplicates);
 *        keel sends none, so the guard is the ISN instead: the new
 *        connection starts at tw_next_isn(), 64 KiB beyond the old SND.NXT,
 *        outside any window the old peer could still accept.  The age is
 *        counted from the last ACK-bearing segment of the old connection
 *        (Linux: from the last timestamp seen). */
int tw_reuse_ok(const struct keel *k, const struct tcp_tw_entry *w)
{
	return k->tcp.sysctl.tcp_tw_reuse == 1 && (uint32_t)(k->now_ms - w->since) >= TCP_TW_REUSE_MS;
}

struct tcp_tw_entry *tw_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	for (unsigned i = *tw_bucket(k, raddr, rport, lport); i; i = k->tcp.tw[i - 1].next) {
		struct tcp_tw_entry *w = &k->tcp.tw[i - 1];
		if (w->rport == rport && w->lport == lport && w->raddr == raddr)
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
 *   SYN (no ACK/RST/FIN) with SEQ after RCV.NXT, a listener on the port
 *                                -> entry removed (TWRecycled), the SYN goes
 *                                   to the listener, our ISN tw_next_isn()
 *                                   (RFC 9293 §3.6.1, RFC 6191 without
 *                                   timestamps; Linux TCP_TW_SYN)
 *   RST with SEQ == RCV.NXT      -> entry removed (no RFC 1337 protection)
 *   bare ACK with SEQ == RCV.NXT -> silently absorbed, 2MSL restarted
 *   other RST                    -> ignored
 *   anything else (retransmitted FIN, data, old segments, SYN) -> ACK;
 *                                   with ACK set, 2MSL restarted
 * An old SYN (SEQ at or before RCV.NXT) or one for a port nobody listens on
 * gets the ACK, so the peer learns where the old connection stands. */
void tw_input(struct keel *k, struct tcp_tw_entry *w, const struct tcp_seg *s)
{
	uint32_t seqlen = tcp_seg_seqlen(s);
	if ((s->flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) == TCP_SYN && seq_gt(s->seq, w->rcv_nxt)) {
		struct tcp_listener *l = listen_lookup(k, s->dport);
		if (l) {
			uint32_t isn = tw_next_isn(w);
			tw_recycle(k, w);
			listen_syn(k, l, s, isn);
			return;
		}
	}
	if (s->seq == w->rcv_nxt && (seqlen == 0 || (s->flags & TCP_RST))) {
		if (s->flags & TCP_RST)
			tw_free(k, w);
		else
			w->since = k->now_ms;
		return;
	}
	if (s->flags & TCP_RST)
		return;
	if (s->flags & TCP_ACK)
		w->since = k->now_ms;
	tw_send_ack(k, w, s);
}

unsigned tw_flush(struct keel *k)
{
	unsigned n = 0;
	for (unsigned i = 0; i < KEEL_TW_MAX; i++) {
		if (k->tcp.tw[i].used) {
			tw_free(k, &k->tcp.tw[i]);
			n++;
		}
	}
	return n;
}

uint32_t tw_deadline(const struct keel *k, const struct tcp_tw_entry *w)
{
	return w->since + tw_len_ms(k);
}

void tw_tick(struct keel *k)
{
	for (unsigned i = 0; i < KEEL_TW_MAX; i++) {
		struct tcp_tw_entry *w = &k->tcp.tw[i];
		if (w->used && time_due(k->now_ms, tw_deadline(k, w)))
			tw_free(k, w);
	}
}
