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

static uint16_t *tw_bucket(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	uint32_t h = tcp_tuple_hash(k->tcp.hash_key, raddr, rport, lport);
	return &k->tcp.tw_head[h & (TCP_TW_BUCKETS - 1u)];
}

void tw_pool_init(struct keel *k)
{
	struct tcp_stack *ts = &k->tcp;
	for (unsigned i = 0; i < KEEL_TW_MAX; i++) {
		ts->tw[i].hnext = (uint16_t)(i + 1 < KEEL_TW_MAX ? i + 1 : TCP_NONE);
		ts->tw[i].older = TW_FREE;
	}
	ts->tw_free = 0;
	ts->tw_oldest = ts->tw_newest = TCP_NONE;
	for (unsigned b = 0; b < TCP_TW_BUCKETS; b++)
		ts->tw_head[b] = TCP_NONE;
}

/* Age order: a doubly linked list from tw_oldest to tw_newest. */
static void tw_age_unlink(struct tcp_stack *ts, struct tcp_tw_entry *w)
{
	if (w->older == TCP_NONE)
		ts->tw_oldest = w->newer;
	else
		ts->tw[w->older].newer = w->newer;
	if (w->newer == TCP_NONE)
		ts->tw_newest = w->older;
	else
		ts->tw[w->newer].older = w->older;
}

static void tw_age_append(struct tcp_stack *ts, struct tcp_tw_entry *w)
{
	uint16_t self = (uint16_t)(w - ts->tw);
	w->newer = TCP_NONE;
	w->older = ts->tw_newest;
	if (ts->tw_newest == TCP_NONE)
		ts->tw_oldest = self;
	else
		ts->tw[ts->tw_newest].newer = self;
	ts->tw_newest = self;
}

/* 2*MSL restarts now: the entry becomes the youngest. */
static void tw_restart(struct keel *k, struct tcp_tw_entry *w)
{
	w->since = k->now_ms;
	tw_age_unlink(&k->tcp, w);
	tw_age_append(&k->tcp, w);
}

/* Table full (or tcp_max_tw_buckets reached): the connection simply
 * skips TIME_WAIT, counted in TCPTimeWaitOverflow, as Linux. */
void tw_enter(struct keel *k, const struct tcp_tcb *t)
{
	struct tcp_stack *ts = &k->tcp;
	unsigned max = ts->sysctl.tcp_max_tw_buckets;
	if (max > KEEL_TW_MAX)
		max = KEEL_TW_MAX;
	if (ts->pool[TCP_POOL_TIME_WAIT].in_use >= max || ts->tw_free == TCP_NONE) {
		ts->mib.tw_overflow++;
		return;
	}
	uint16_t idx = ts->tw_free;
	struct tcp_tw_entry *w = &ts->tw[idx];
	ts->tw_free = w->hnext;
	memset(w, 0, sizeof(*w));
	w->raddr = t->raddr;
	w->lport = t->lport;
	w->rport = t->rport;
	w->snd_nxt = t->snd_nxt;
	w->rcv_nxt = t->rcv_nxt;
	w->wnd = tcb_rcv_wnd(k, t);
	w->since = k->now_ms;
	uint16_t *head = tw_bucket(k, w->raddr, w->rport, w->lport);
	w->hnext = *head;
	*head = idx;
	tw_age_append(ts, w);
	ts->mib.tw++;
	pool_take(k, TCP_POOL_TIME_WAIT);
}

static void tw_free(struct keel *k, struct tcp_tw_entry *w)
{
	struct tcp_stack *ts = &k->tcp;
	uint16_t self = (uint16_t)(w - ts->tw);
	uint16_t *link = tw_bucket(k, w->raddr, w->rport, w->lport);
	for (unsigned n = 0; n < KEEL_TW_MAX && *link != TCP_NONE; n++) {
		if (*link == self) {
			*link = w->hnext;
			break;
		}
		link = &ts->tw[*link].hnext;
	}
	tw_age_unlink(ts, w);
	w->older = TW_FREE;
	w->hnext = ts->tw_free;
	ts->tw_free = self;
	pool_give(k, TCP_POOL_TIME_WAIT);
}

/* A new incarnation takes the 4-tuple over (TWRecycled). */
void tw_recycle(struct keel *k, struct tcp_tw_entry *w)
{
	if (!tw_used(w))
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
	uint16_t i = *tw_bucket(k, raddr, rport, lport);
	for (unsigned n = 0; n < KEEL_TW_MAX && i != TCP_NONE; n++) {
		struct tcp_tw_entry *w = &k->tcp.tw[i];
		if (w->rport == rport && w->lport == lport && w->raddr == raddr)
			return w;
		i = w->hnext;
	}
	return NULL;
}

/* The re-ACK (tw_input's TCP_V_ACK): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
void tw_send_ack(struct keel *k, const struct tcp_tw_entry *w, const struct tcp_seg *s)
{
	/* The entry keeps no local address (keel has one): the segment's. */
	struct tcp_tuple tu = { .laddr = s->daddr, .raddr = w->raddr, .lport = w->lport, .rport = w->rport };
	struct tcp_out o;
	tcp_out_init(&o, &tu);
	o.seq = w->snd_nxt;
	o.ack = w->rcv_nxt;
	o.flags = TCP_ACK;
	o.wnd = w->wnd;
	(void)tcp_emit(k, &o, 0);
}

/* TIME_WAIT (RFC 9293 §3.10.7.4; observable behaviour of Linux
 * tcp_timewait_state_process, which returns a verdict as this does; the
 * caller, tcp_input, acts on it):
 *   SYN (no ACK/RST/FIN) with SEQ after RCV.NXT -> TCP_V_SYN, *isn =
 *                                   tw_next_isn() (RFC 9293 §3.6.1, RFC
 *                                   6191 without timestamps; Linux
 *                                   TCP_TW_SYN): with a listener on the
 *                                   port the entry is recycled and the SYN
 *                                   goes to it; without one, as ACK below
 *   RST with SEQ == RCV.NXT      -> entry removed (no RFC 1337 protection)
 *   bare ACK with SEQ == RCV.NXT -> silently absorbed, 2MSL restarted
 *   other RST                    -> ignored
 *   anything else (retransmitted FIN, data, old segments, SYN) -> TCP_V_ACK
 *                                   (tw_send_ack); with ACK set, 2MSL
 *                                   restarted
 * An old SYN (SEQ at or before RCV.NXT) gets the ACK, so the peer learns
 * where the old connection stands. */
enum tcp_verdict tw_input(struct keel *k, struct tcp_tw_entry *w, const struct tcp_seg *s, uint32_t *isn)
{
	uint32_t seqlen = tcp_seg_seqlen(s);
	if ((s->flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) == TCP_SYN && seq_gt(s->seq, w->rcv_nxt)) {
		*isn = tw_next_isn(w);
		return TCP_V_SYN;
	}
	if (s->seq == w->rcv_nxt && (seqlen == 0 || (s->flags & TCP_RST))) {
		if (s->flags & TCP_RST)
			tw_free(k, w);
		else
			tw_restart(k, w);
		return TCP_V_NONE;
	}
	if (s->flags & TCP_RST)
		return TCP_V_NONE;
	if (s->flags & TCP_ACK)
		tw_restart(k, w);
	return TCP_V_ACK;
}

unsigned tw_flush(struct keel *k)
{
	unsigned n = 0;
	for (; n < KEEL_TW_MAX && k->tcp.tw_oldest != TCP_NONE; n++)
		tw_free(k, &k->tcp.tw[k->tcp.tw_oldest]);
	return n;
}

uint32_t tw_deadline(const struct keel *k, const struct tcp_tw_entry *w)
{
	return w->since + tw_len_ms(k);
}

/* Oldest first, and only while due: a tick that expires nothing looks at
 * one entry.  At most TCP_TICK_BUDGET go per tick (the rest next tick),
 * so a burst of expiries is spread, never one long tick. */
void tw_tick(struct keel *k)
{
	struct tcp_stack *ts = &k->tcp;
	for (unsigned n = 0; n < TCP_TICK_BUDGET && ts->tw_oldest != TCP_NONE; n++) {
		struct tcp_tw_entry *w = &ts->tw[ts->tw_oldest];
		if (!time_due(k->now_ms, tw_deadline(k, w)))
			return;
		tw_free(k, w);
	}
}

int tw_next_deadline(struct keel *k, uint32_t *when_ms)
{
	if (k->tcp.tw_oldest == TCP_NONE)
		return 0;
	*when_ms = tw_deadline(k, &k->tcp.tw[k->tcp.tw_oldest]);
	return 1;
}
