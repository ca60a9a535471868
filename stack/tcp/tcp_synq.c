/* The SYN queue: half-open connections (passive SYN_RECEIVED) as compact
 * entries, their SYN-ACK retransmits with exponential backoff, and the
 * checks on segments that reach them (Linux tcp_check_req order, RFC 9293
 * §3.10.7.4), which return a verdict for tcp_input to act on.  A TCB is
 * taken only when the final ACK is accepted, by the listener. */
#include <string.h>
#include "tcp_internal.h"

static uint16_t *synq_bucket(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	uint32_t h = tcp_hash(k, raddr, rport, lport);
	return &k->tcp.synq_head[h & (TCP_SYNQ_BUCKETS - 1u)];
}

void synq_pool_init(struct keel *k)
{
	struct tcp_stack *ts = &k->tcp;
	for (unsigned i = 0; i < KEEL_SYN_BACKLOG; i++)
		ts->synq[i].hnext = (uint16_t)(i + 1 < KEEL_SYN_BACKLOG ? i + 1 : TCP_NONE);
	ts->synq_free = 0;
	for (unsigned b = 0; b < TCP_SYNQ_BUCKETS; b++)
		ts->synq_head[b] = TCP_NONE;
}

struct tcp_synq_entry *synq_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	return synq_lookup_hashed(k, tcp_hash(k, raddr, rport, lport), raddr, rport, lport);
}

struct tcp_synq_entry *synq_lookup_hashed(struct keel *k, uint32_t h, uint32_t raddr, uint16_t rport,
					  uint16_t lport)
{
	uint16_t i = k->tcp.synq_head[h & (TCP_SYNQ_BUCKETS - 1u)];
	for (unsigned n = 0; n < KEEL_SYN_BACKLOG && i != TCP_NONE; n++) {
		struct tcp_synq_entry *e = &k->tcp.synq[i];
		if (e->rport == rport && e->lport == lport && e->raddr == raddr)
			return e;
		i = e->hnext;
	}
	return NULL;
}

/* A free entry for the SYN s, hashed under its 4-tuple. */
/* synq_alloc sets each field by name: a new one must be added there. */
_Static_assert(sizeof(struct tcp_synq_entry) == 40, "tcp_synq_entry changed: set the new field in synq_alloc");

struct tcp_synq_entry *synq_alloc(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s)
{
	struct tcp_stack *ts = &k->tcp;
	if (ts->synq_free == TCP_NONE)
		return NULL;
	uint16_t idx = ts->synq_free;
	struct tcp_synq_entry *e = &ts->synq[idx];
	ts->synq_free = e->hnext;
	/* Every field set here, no memset (the library call cost more than
	 * the entry's 40 bytes of stores); the caller fills in the rest. */
	e->tuple = tcp_seg_tuple(s);
	e->iss = 0;
	e->irs = 0;
	/* e->tmr as the last owner left it: maybe still filed (synq_release);
	 * the caller files its first deadline (wheel_file_lazy). */
	e->due = 0;
	e->mss = 0;
	e->peer_shift = 0;
	e->retries = 0;
	e->flags = SYNQ_F_USED;
	e->opts = 0;
	e->oow_ms = 0;
	e->ts_recent = 0;
	uint16_t *head = synq_bucket(k, e->raddr, e->rport, e->lport);
	e->hnext = *head;
	*head = idx;
	l->synq_len++;
	pool_take(k, TCP_POOL_SYN_QUEUE);
	return e;
}

/* l: the entry's listener (NULL: it has none any more). */
static void synq_release(struct keel *k, struct tcp_synq_entry *e, struct tcp_listener *l)
{
	struct tcp_stack *ts = &k->tcp;
	if (l && l->synq_len > 0)
		l->synq_len--;
	uint16_t self = (uint16_t)(e - ts->synq);
	uint16_t *link = synq_bucket(k, e->raddr, e->rport, e->lport);
	for (unsigned n = 0; n < KEEL_SYN_BACKLOG && *link != TCP_NONE; n++) {
		if (*link == self) {
			*link = e->hnext;
			break;
		}
		link = &ts->synq[*link].hnext;
	}
	e->flags = 0;          /* its node may stay filed: wheel_file_lazy */
	e->hnext = ts->synq_free;
	ts->synq_free = self;
	pool_give(k, TCP_POOL_SYN_QUEUE);
}

void synq_free(struct keel *k, struct tcp_synq_entry *e)
{
	if (e->flags & SYNQ_F_USED)
		synq_release(k, e, listen_lookup(k, e->lport));
}

void synq_drop_listener(struct keel *k, const struct tcp_listener *l)
{
	for (unsigned i = 0; i < KEEL_SYN_BACKLOG; i++) {
		struct tcp_synq_entry *e = &k->tcp.synq[i];
		if ((e->flags & SYNQ_F_USED) && e->lport == l->port)
			synq_free(k, e);
	}
}

/* The window a half-open connection offers: a new connection's receive
 * budget (tcp_rmem default).  The entry holds no chunk; the TCB made at
 * the final ACK honours this right edge (tcp_rcv.c). */
uint16_t synq_rcv_wnd(const struct keel *k)
{
	uint32_t w = k->tcp.sysctl.tcp_rmem[1];
	return (uint16_t)(w < 65535u ? w : 65535u);
}

static void synq_out(struct keel *k, const struct tcp_synq_entry *e, struct tcp_out *o)
{
	tcp_out_init(o, &e->tuple);
	o->ack = e->irs + 1;
	o->wnd = synq_rcv_wnd(k);
}

/* <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> with our MSS and the options the
 * SYN offered and our knobs allow (tcp_optneg.c).  A cookie SYN-ACK keeps
 * the agreement in TSval's low bits. */
void synq_send_synack(struct keel *k, const struct tcp_synq_entry *e)
{
	struct tcp_out o;
	synq_out(k, e, &o);
	o.seq = e->iss;
	o.flags = TCP_SYN | TCP_ACK;
	uint8_t on = e->opts;
	uint32_t off = (on & TCP_OPTF_TS) ? ts_offset(k, e->laddr, e->lport, e->raddr, e->rport) : 0u;
	optneg_syn_out(k, &o, on, off, e->ts_recent);
	if ((e->flags & SYNQ_F_COOKIE) && (on & TCP_OPTF_TS))
		o.tsval = optneg_cookie_tsval(o.tsval, on, e->peer_shift);
	(void)tcp_emit(k, &o, 0);
}

/* <SEQ=ISS+1><ACK=RCV.NXT><CTL=ACK>: synq_input's TCP_V_ACK. */
void synq_send_ack(struct keel *k, const struct tcp_synq_entry *e)
{
	struct tcp_out o;
	synq_out(k, e, &o);
	o.seq = e->iss + 1;
	o.flags = TCP_ACK;
	if (e->opts & TCP_OPTF_TS) {
		o.opts = TCP_OPTF_TS;
		o.tsval = k->now_ms + ts_offset(k, e->laddr, e->lport, e->raddr, e->rport);
		o.tsecr = e->ts_recent;
	}
	(void)tcp_emit(k, &o, 0);
}

/* RFC 5961 §3.2 for a half-open entry: a RST in the window but not at
 * RCV.NXT gets a challenge ACK, at most one per TCP_OOW_ACK_MS (RFC 5961
 * §7; Linux rate-limits per request sock).  The stamp is the clock's low
 * 16 bits: a wrap can only hold back a challenge, never send one early. */
static enum tcp_verdict synq_challenge_ack(struct keel *k, struct tcp_synq_entry *e)
{
	uint16_t now16 = (uint16_t)k->now_ms;
	if ((e->flags & SYNQ_F_OOW) && (uint16_t)(now16 - e->oow_ms) < TCP_OOW_ACK_MS) {
		k->tcp.mib.challenge_acks_skipped++;
		return TCP_V_NONE;
	}
	e->flags |= SYNQ_F_OOW;
	e->oow_ms = now16;
	k->tcp.mib.challenge_acks++;
	return TCP_V_ACK;
}

/* Linux tcp_in_window() over [RCV.NXT, RCV.NXT + RCV.WND]. */
static int req_in_window(uint32_t seq, uint32_t end, uint32_t s_win, uint32_t e_win)
{
	if (seq == s_win)
		return 1;
	if (seq_gt(end, s_win) && seq_lt(seq, e_win))
		return 1;
	return seq == e_win && seq == end;
}

/* The connection t was made from e (synq_input's TCP_V_CHILD): the
 * handshake's RTT (Linux tcp_synack_rtt_meas: the only SYN-ACK went out
 * one initial RTO before the deadline; Karn's rule, RFC 6298 §3: no
 * sample once it was sent twice or the ACK had to come again), then the
 * entry goes. */
void synq_handoff(struct keel *k, struct tcp_synq_entry *e, struct tcp_listener *l, struct tcp_tcb *t)
{
	if (e->retries == 0 && !(e->flags & (SYNQ_F_RESENT | SYNQ_F_ACKED)))
		cc_rtt_sample(t, k->now_ms - (e->due - TCP_RTO_INIT_MS));
	synq_release(k, e, l);      /* the listener the caller looked up: not again */
}

/* No connection could be made for an accepted final ACK (accept queue
 * full, or no TCB): ListenOverflows were counted; the entry stays and
 * its SYN-ACKs go on, unless tcp_abort_on_overflow: then it goes and the
 * peer gets a RST (TCP_V_RST). */
enum tcp_verdict synq_overflow(struct keel *k, struct tcp_synq_entry *e)
{
	if (k->tcp.sysctl.tcp_abort_on_overflow) {
		synq_free(k, e);
		return TCP_V_RST;
	}
	e->flags |= SYNQ_F_ACKED;   /* the peer's ACK will come again */
	return TCP_V_NONE;
}

/* A segment for a half-open entry, in Linux tcp_check_req's order; like
 * it, this returns what to do and the caller (tcp_input) does it:
 *   SYN with SEG.SEQ == IRS (retransmitted SYN) -> TCP_V_SYNACK
 *       (not if PAWS rejects it: TSval older than the SYN's)
 *   ACK with SEG.ACK != ISS+1                   -> TCP_V_RST (<SEQ=SEG.ACK><RST>)
 *   RST (RFC 5961 §3.2, in the window the SYN-ACK advertised):
 *       SEG.SEQ == RCV.NXT -> drop the entry silently; other in-window
 *       -> challenge ACK (TCP_V_ACK, rate limited), entry kept; outside
 *       -> dropped
 *   outside the window, or PAWS-rejected        -> TCP_V_ACK, drop
 *   SYN in window                               -> TCP_V_RST, entry dropped
 *   no ACK                                      -> drop
 *   good ACK -> TCP_V_CHILD: the listener makes the TCB (ESTABLISHED) for
 *   its accept queue, then synq_handoff; if it cannot, synq_overflow. */
enum tcp_verdict synq_input(struct keel *k, struct tcp_synq_entry *e, const struct tcp_seg *s)
{
	uint8_t flg = s->flags & (TCP_RST | TCP_SYN | TCP_ACK);
	/* PAWS against the SYN's TSval (Linux tcp_check_req; RSTs exempt as
	 * on a connection). */
	int paws = (e->opts & TCP_OPTF_TS) && (s->opts & TCP_OPTF_TS) && !(s->flags & TCP_RST) &&
		   seq_lt(s->tsval, e->ts_recent);
	if (s->seq == e->irs && flg == TCP_SYN && !paws) {
		e->flags |= SYNQ_F_RESENT;
		k->tcp.mib.synack_retrans++;
		k->tcp.mib.retrans_segs++;
		return TCP_V_SYNACK;
	}
	if ((flg & TCP_ACK) && s->ack != e->iss + 1)
		return TCP_V_RST;
	uint32_t rcv_nxt = e->irs + 1;
	uint32_t wnd = synq_rcv_wnd(k);
	if (flg & TCP_RST) {
		if (s->seq == rcv_nxt) {
			k->tcp.mib.attempt_fails++;
			synq_free(k, e);
		} else if (seq_gt(s->seq, rcv_nxt) && seq_lt(s->seq, rcv_nxt + wnd)) {
			return synq_challenge_ack(k, e);
		}
		return TCP_V_NONE;
	}
	if (paws || !req_in_window(s->seq, s->seq + tcp_seg_seqlen(s), rcv_nxt, rcv_nxt + wnd)) {
		if (paws)
			k->tcp.mib.paws_estab_rejected++;
		return TCP_V_ACK;
	}
	if (s->seq == e->irs)
		flg &= (uint8_t)~TCP_SYN;   /* the SYN itself lies outside the window */
	if (flg & TCP_SYN) {
		k->tcp.mib.attempt_fails++;
		synq_free(k, e);
		return TCP_V_RST;
	}
	if (!(flg & TCP_ACK))
		return TCP_V_NONE;
	return TCP_V_CHILD;
}

uint16_t synq_timer_id(const struct keel *k, const struct tcp_synq_entry *e)
{
	return (uint16_t)(KEEL_TCP_MAX_CONN + (e - k->tcp.synq));
}

/* SYN-ACK retransmits at 1, 2, 4, 8, 16 s; with tcp_synack_retries = 5 the
 * entry goes 32 s after the 5th (63 s in all), silently, as Linux.  The
 * interval stops doubling at TCP_RTO_MAX (Linux reqsk_timer_handler).  At
 * most TCP_TICK_BUDGET retransmits per tick; the rest wait a tick, their
 * schedule unchanged. */
void synq_timer_fire(struct keel *k, struct tcp_synq_entry *e)
{
	struct tcp_stack *ts = &k->tcp;
	if (!(e->flags & SYNQ_F_USED))
		return;
	uint16_t id = synq_timer_id(k, e);
	if (!time_due(k->now_ms, e->due)) {
		wheel_insert(k, id, e->due);    /* filed for an earlier owner (wheel_file_lazy) */
		return;
	}
	if (e->retries >= ts->sysctl.tcp_synack_retries) {
		synq_free(k, e);
		return;
	}
	if (ts->synack_sent_tick >= TCP_TICK_BUDGET) {
		wheel_insert(k, id, e->due);    /* due already: the next tick */
		return;
	}
	synq_send_synack(k, e);
	ts->synack_sent_tick++;
	ts->mib.synack_retrans++;
	ts->mib.retrans_segs++;
	e->retries++;
	uint8_t shift = e->retries < 8 ? e->retries : 8;   /* 1 s << 7 > 120 s */
	uint32_t gap = TCP_RTO_INIT_MS << shift;
	if (gap > TCP_RTO_MAX_MS)
		gap = TCP_RTO_MAX_MS;
	/* From the old deadline, so a budget-delayed send does not
	 * shift the schedule (1, 3, 7, 15, 31, 63 s stay exact) --
	 * unless the ticks came so late that it would stay in the past:
	 * then from now, before the signed compare wraps. */
	e->due += gap;
	if (time_due(k->now_ms, e->due))
		e->due = k->now_ms + gap;
	wheel_insert(k, id, e->due);
}
