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
	uint32_t h = tcp_hash(k, raddr, rport, lport);
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

/* tw_enter sets each field by name: a new one must be added there. */
_Static_assert(sizeof(struct tcp_tw_entry) == 32, "tcp_tw_entry changed: set the new field in tw_enter");

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
	/* Every field is set below (no memset: the library call cost more
	 * than the entry's 32 bytes of stores). */
	w->raddr = t->raddr;
	w->lport = t->lport;
	w->rport = t->rport;
	w->snd_nxt = tcb_snd_nxt(k, t);
	w->rcv_nxt = t->rcv_nxt;
	/* The window field as the connection sent it, in units of its
	 * shift (RFC 7323 §2.3), in 15 bits: the old window only caps it. */
	uint32_t wnd = tcb_rcv_wnd(k, t) >> tcp_rcv_shift(&t->opt);
	w->wnd = (uint16_t)(wnd < 0x7fffu ? wnd : 0x7fffu);
	w->since = k->now_ms;
	w->ts_on = (t->opt.on & TCP_OPTF_TS) != 0;
	w->ts_recent = w->ts_on ? t->ts_recent : 0u;
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
 *   1 -> when the old connection used timestamps and its last segment is
 *        TCP_TW_REUSE_MS old: the new connection's TSvals (same 4-tuple,
 *        same offset, a later clock) are above anything the old one sent,
 *        so the peer's PAWS tells old duplicates from new segments; it
 *        also starts at tw_next_isn(), 64 KiB beyond the old SND.NXT.  The
 *        age is counted from the last ACK-bearing segment of the old
 *        connection (Linux: from the last timestamp seen).  Without
 *        timestamps there is no such guard: never (as Linux). */
int tw_reuse_ok(const struct keel *k, const struct tcp_tw_entry *w)
{
	return k->tcp.sysctl.tcp_tw_reuse == 1 && w->ts_on &&
	       (uint32_t)(k->now_ms - w->since) >= TCP_TW_REUSE_MS;
}

struct tcp_tw_entry *tw_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	return tw_lookup_hashed(k, tcp_hash(k, raddr, rport, lport), raddr, rport, lport);
}

struct tcp_tw_entry *tw_lookup_hashed(struct keel *k, uint32_t h, uint32_t raddr, uint16_t rport,
				      uint16_t lport)
{
	uint16_t i = k->tcp.tw_head[h & (TCP_TW_BUCKETS - 1u)];
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
	if (w->ts_on) {   /* every segment of a timestamps connection has them */
		o.opts = TCP_OPTF_TS;
		o.tsval = k->now_ms + ts_offset(k, o.saddr, w->lport, w->raddr, w->rport);
		o.tsecr = w->ts_recent;
	}
	(void)tcp_emit(k, &o, 0);
}

/* PAWS in TIME_WAIT (RFC 7323 §5, Linux tcp_timewait_state_process): a
 * segment with a TSval older than the old connection's TS.Recent.  Never
 * a RST.  TIME_WAIT lasts far less than PAWS's 24 days. */
static int tw_paws_reject(const struct tcp_tw_entry *w, const struct tcp_seg *s)
{
	return w->ts_on && (s->opts & TCP_OPTF_TS) && !(s->flags & TCP_RST) &&
	       seq_lt(s->tsval, w->ts_recent);
}

/* A new SYN may take the 4-tuple over (RFC 6191 §2, Linux's test): a
 * bare SYN that PAWS lets through, with a TSval newer than TS.Recent --
 * the timestamps tell old duplicates apart whatever the sequence number
 * -- or a sequence number above RCV.NXT (RFC 9293 §3.6.1, the only test
 * when either side has no timestamps). */
static int tw_syn_newer(const struct tcp_tw_entry *w, const struct tcp_seg *s)
{
	if ((s->flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) != TCP_SYN || tw_paws_reject(w, s))
		return 0;
	if (w->ts_on && (s->opts & TCP_OPTF_TS) && seq_gt(s->tsval, w->ts_recent))
		return 1;
	return seq_gt(s->seq, w->rcv_nxt);
}

/* TIME_WAIT (RFC 9293 §3.10.7.4; observable behaviour of Linux
 * tcp_timewait_state_process, which returns a verdict as this does; the
 * caller, tcp_input, acts on it):
 *   SYN that tw_syn_newer() takes -> TCP_V_SYN, *isn = tw_next_isn() (RFC
 *                                   6191; Linux TCP_TW_SYN): with a
 *                                   listener on the port the entry is
 *                                   recycled (TWRecycled) and the SYN goes
 *                                   to it; without one, the ACK (TCP_V_ACK)
 *   PAWS reject (older TSval)    -> PAWSEstabRejected, ACK (below)
 *   RST with SEQ == RCV.NXT      -> entry removed (no RFC 1337 protection)
 *   bare ACK with SEQ == RCV.NXT -> silently absorbed, 2MSL restarted,
 *                                   TS.Recent = its TSval
 *   other RST                    -> ignored
 *   anything else (retransmitted FIN, data, old segments, SYN) -> TCP_V_ACK
 *                                   (tw_send_ack); with ACK set (or
 *                                   PAWS-rejected), 2MSL restarted
 * A SYN that is not newer gets the ACK, so the peer learns where the old
 * connection stands. */
enum tcp_verdict tw_input(struct keel *k, struct tcp_tw_entry *w, const struct tcp_seg *s, uint32_t *isn)
{
	uint32_t seqlen = tcp_seg_seqlen(s);
	if (tw_syn_newer(w, s)) {
		*isn = tw_next_isn(w);
		return TCP_V_SYN;
	}
	int paws = tw_paws_reject(w, s);
	/* A bare ACK at RCV.NXT behind on TS.Recent was overtaken on the way
	 * (Linux's tcp_disordered_ack exempts its like on a connection):
	 * absorbed without moving TS.Recent, not answered -- the peer may be
	 * gone already, and our ACK would only draw its RST. */
	if (paws && seqlen == 0 && s->seq == w->rcv_nxt && (s->flags & TCP_ACK))
		paws = 0;
	if (!paws && s->seq == w->rcv_nxt && (seqlen == 0 || (s->flags & TCP_RST))) {
		if (s->flags & TCP_RST) {
			tw_free(k, w);
		} else {
			tw_restart(k, w);
			if (w->ts_on && (s->opts & TCP_OPTF_TS) && seq_gt(s->tsval, w->ts_recent))
				w->ts_recent = s->tsval;
		}
		return TCP_V_NONE;
	}
	if (paws)
		k->tcp.mib.paws_estab_rejected++;
	if (s->flags & TCP_RST)
		return TCP_V_NONE;
	if ((s->flags & TCP_ACK) || paws)
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
