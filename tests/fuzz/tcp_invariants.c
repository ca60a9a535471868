/* White-box invariants of the TCP engine (tcp_invariants.h).  Each check
 * names the rule it enforces; the first broken one is reported. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "tcp_internal.h"
#include "tcp_invariants.h"

static char msg[256];

static const char *fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return msg;
}

#define CHECK(cond, ...) do { if (!(cond)) return fail(__VA_ARGS__); } while (0)

/* A deadline no further ahead than max_ms (so the signed clock compare
 * keeps its meaning) -- or already due. */
/* A deadline is due (time_due: overdue, by up to 2^32 - 2^30 ms) or at
 * most max_ms ahead. */
static int deadline_sane(uint32_t now, uint32_t due, uint32_t max_ms)
{
	return time_due(now, due) || due - now <= max_ms;
}

static const char *check_pools(const struct keel *k)
{
	const struct tcp_stack *ts = &k->tcp;
	unsigned n = 0, by_state[TCP_NSTATES] = {0};
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		if (!(ts->tcbs[i].flags & TCB_F_USED))
			continue;
		n++;
		CHECK(ts->tcbs[i].state < TCP_NSTATES, "tcb %u state %u", i, ts->tcbs[i].state);
		by_state[ts->tcbs[i].state]++;
	}
	CHECK(n == ts->pool[TCP_POOL_TCB].in_use, "tcb pool in_use %u, %u used", ts->pool[TCP_POOL_TCB].in_use, n);
	/* The extension pool: every entry held by exactly the TCB it names,
	 * the rest on the free list. */
	unsigned held = 0, nfree = 0;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++)
		held += (ts->tcbs[i].flags & TCB_F_USED) && ts->tcbs[i].ext != TCP_NONE;
	for (uint16_t f = ts->ext.free_head; f != TCP_NONE && nfree <= KEEL_TCP_EXT; f = ts->ext.e[f].next)
		nfree++;
	CHECK(held == ts->ext.in_use && held + nfree == KEEL_TCP_EXT, "ext pool: %u held, in_use %u, %u free of %u",
	      held, ts->ext.in_use, nfree, (unsigned)KEEL_TCP_EXT);
	/* The flight pool (tcp_flight.h) likewise. */
	held = nfree = 0;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++)
		held += (ts->tcbs[i].flags & TCB_F_USED) && ts->tcbs[i].flight != TCP_NONE;
	for (uint16_t f = ts->flight.free_head; f != TCP_NONE && nfree <= KEEL_TCP_FLIGHT; f = ts->flight.f[f].next)
		nfree++;
	CHECK(held == ts->flight.in_use && held + nfree == KEEL_TCP_FLIGHT,
	      "flight pool: %u held, in_use %u, %u free of %u", held, ts->flight.in_use, nfree,
	      (unsigned)KEEL_TCP_FLIGHT);
	/* The per-state counts netstat reads are kept, not counted. */
	for (unsigned s = 0; s < TCP_NSTATES; s++)
		CHECK(by_state[s] == ts->tcb_states[s], "state %u: %u TCBs, count says %u", s, by_state[s],
		      ts->tcb_states[s]);
	n = 0;
	for (unsigned i = 0; i < KEEL_SYN_BACKLOG; i++)
		n += (ts->synq[i].flags & SYNQ_F_USED) != 0;
	CHECK(n == ts->pool[TCP_POOL_SYN_QUEUE].in_use, "synq pool in_use %u, %u used",
	      ts->pool[TCP_POOL_SYN_QUEUE].in_use, n);
	n = 0;
	for (unsigned i = 0; i < KEEL_TW_MAX; i++)
		n += tw_used(&ts->tw[i]);
	CHECK(n == ts->pool[TCP_POOL_TIME_WAIT].in_use, "tw pool in_use %u, %u used",
	      ts->pool[TCP_POOL_TIME_WAIT].in_use, n);
	n = 0;
	for (unsigned i = 0; i < KEEL_TCP_MAX_LISTEN; i++)
		n += ts->listeners[i].used != 0;
	CHECK(n == ts->pool[TCP_POOL_LISTEN].in_use, "listen pool in_use %u, %u used",
	      ts->pool[TCP_POOL_LISTEN].in_use, n);
	for (int p = 0; p < TCP_NPOOLS; p++)
		CHECK(ts->pool[p].in_use <= ts->pool[p].size && ts->pool[p].in_use <= ts->pool[p].high_water &&
		      ts->pool[p].high_water <= ts->pool[p].size, "pool %d counts", p);
	return NULL;
}

/* The interned keepalive settings (tcp_kaprof.h): each entry's count is
 * the number of TCBs naming it, a free TCB names none, and no two live
 * entries hold the same setting. */
static const char *check_ka(const struct keel *k)
{
	const struct tcp_stack *ts = &k->tcp;
	unsigned refs[KEEL_TCP_KA_PROFILES + 1] = {0};
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		const struct tcp_tcb *t = &ts->tcbs[i];
		CHECK(t->ka <= KEEL_TCP_KA_PROFILES, "TCB %u keepalive index %u", i, t->ka);
		CHECK((t->flags & TCB_F_USED) || t->ka == TCP_KA_OFF, "free TCB %u keeps keepalive %u", i, t->ka);
		refs[t->ka]++;
	}
	for (unsigned e = 0; e < KEEL_TCP_KA_PROFILES; e++) {
		const struct tcp_ka_profile *p = &ts->ka.p[e];
		CHECK(p->refs == refs[e + 1], "keepalive entry %u: refs %u, %u TCBs", e + 1, p->refs, refs[e + 1]);
		if (p->refs == 0)
			continue;
		CHECK(p->idle_s >= 1 && p->intvl_s >= 1 && p->cnt >= 1, "keepalive entry %u holds %u/%u/%u", e + 1,
		      p->idle_s, p->intvl_s, p->cnt);
		for (unsigned f = 0; f < e; f++) {
			const struct tcp_ka_profile *q = &ts->ka.p[f];
			CHECK(!(q->refs && q->idle_s == p->idle_s && q->intvl_s == p->intvl_s && q->cnt == p->cnt),
			      "keepalive entries %u and %u hold the same setting", f + 1, e + 1);
		}
	}
	return NULL;
}

/* TIME_WAIT: every used entry is found by its own lookup (its hash
 * chain), and no two share a 4-tuple. */
static const char *check_tw(const struct keel *k)
{
	const struct tcp_stack *ts = &k->tcp;
	unsigned reach = 0;
	for (unsigned i = 0; i < KEEL_TW_MAX; i++) {
		const struct tcp_tw_entry *w = &ts->tw[i];
		if (!tw_used(w))
			continue;
		CHECK(tw_lookup((struct keel *)k, w->raddr, w->rport, w->lport) == w,
		      "tw entry %u not found by its lookup", i);
		CHECK((int32_t)(w->since - k->now_ms) <= 0, "tw entry %u starts in the future", i);
		reach++;
	}
	CHECK(reach == ts->pool[TCP_POOL_TIME_WAIT].in_use, "tw reachable %u, in use %u", reach,
	      ts->pool[TCP_POOL_TIME_WAIT].in_use);
	return NULL;
}

/* Listeners: accept queues are exactly the TCBs flagged as queued, each in
 * its own listener's queue once; SYN-queue counts per listener add up. */
static const char *check_listeners(const struct keel *k)
{
	const struct tcp_stack *ts = &k->tcp;
	unsigned queued_total = 0, synq_total = 0;
	uint8_t inq[KEEL_TCP_MAX_CONN];
	memset(inq, 0, sizeof(inq));
	for (unsigned li = 0; li < KEEL_TCP_MAX_LISTEN; li++) {
		const struct tcp_listener *l = &ts->listeners[li];
		if (!l->used)
			continue;
		for (unsigned lj = li + 1; lj < KEEL_TCP_MAX_LISTEN; lj++)
			CHECK(!ts->listeners[lj].used || ts->listeners[lj].port != l->port, "two listeners on %u", l->port);
		unsigned n = 0, last = TCP_NONE;
		CHECK(listen_lookup((struct keel *)k, l->port) == l, "listener %u not found by its lookup", l->port);
		for (unsigned i = l->acceptq_head; i != TCP_NONE; i = ts->tcbs[i].next) {
			CHECK(i < KEEL_TCP_MAX_CONN, "accept queue index %u", i);
			CHECK(++n <= KEEL_TCP_MAX_CONN, "accept queue of %u has a cycle", l->port);
			const struct tcp_tcb *t = &ts->tcbs[i];
			CHECK((t->flags & TCB_F_USED) && (t->flags & TCB_F_ACCEPTQ) && t->listener == li,
			      "accept queue of %u holds TCB %u flags %#x", l->port, i, t->flags);
			CHECK(!inq[i], "TCB %u in two accept queues", i);
			inq[i] = 1;
			last = i;
		}
		CHECK(n == l->acceptq_len, "accept queue of %u: %u linked, len %u", l->port, n, l->acceptq_len);
		CHECK(last == l->acceptq_tail, "accept queue of %u: tail %u, last %u", l->port, l->acceptq_tail, last);
		CHECK(n <= (unsigned)l->backlog + 1u, "accept queue of %u beyond backlog", l->port);
		queued_total += n;
		unsigned s = 0;
		for (unsigned i = 0; i < KEEL_SYN_BACKLOG; i++)
			s += (ts->synq[i].flags & SYNQ_F_USED) && ts->synq[i].lport == l->port;
		CHECK(s == l->synq_len, "listener %u: synq_len %u, %u entries", l->port, l->synq_len, s);
		synq_total += s;
	}
	CHECK(queued_total == ts->accept_ready, "accept_ready %u, %u queued", ts->accept_ready, queued_total);
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++)
		CHECK(!(ts->tcbs[i].flags & TCB_F_ACCEPTQ) || !(ts->tcbs[i].flags & TCB_F_USED) || inq[i],
		      "TCB %u flagged queued but in no queue", i);
	CHECK(synq_total == ts->pool[TCP_POOL_SYN_QUEUE].in_use, "synq entries %u, in use %u", synq_total,
	      ts->pool[TCP_POOL_SYN_QUEUE].in_use);
	for (unsigned i = 0; i < KEEL_SYN_BACKLOG; i++) {
		const struct tcp_synq_entry *e = &ts->synq[i];
		if (!(e->flags & SYNQ_F_USED))
			continue;
		CHECK(deadline_sane(k->now_ms, e->due, TCP_RTO_MAX_MS), "synq entry %u deadline %+d ms", i,
		      (int)(e->due - k->now_ms));
	}
	return NULL;
}

/* One 4-tuple lives in one table only: TCBs (not CLOSED), SYN queue,
 * TIME_WAIT. */
static const char *check_unique(const struct keel *k)
{
	const struct tcp_stack *ts = &k->tcp;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		const struct tcp_tcb *t = &ts->tcbs[i];
		if (!(t->flags & TCB_F_USED) || t->state == TCP_CLOSED)
			continue;
		for (unsigned j = i + 1; j < KEEL_TCP_MAX_CONN; j++) {
			const struct tcp_tcb *u = &ts->tcbs[j];
			CHECK(!(u->flags & TCB_F_USED) || u->state == TCP_CLOSED || u->raddr != t->raddr ||
			      u->rport != t->rport || u->lport != t->lport, "TCBs %u and %u share a 4-tuple", i, j);
		}
		CHECK(!synq_lookup((struct keel *)k, t->raddr, t->rport, t->lport), "TCB %u also half-open", i);
		CHECK(!tw_lookup((struct keel *)k, t->raddr, t->rport, t->lport), "TCB %u also in TIME_WAIT", i);
	}
	for (unsigned i = 0; i < KEEL_SYN_BACKLOG; i++) {
		const struct tcp_synq_entry *e = &ts->synq[i];
		if (!(e->flags & SYNQ_F_USED))
			continue;
		CHECK(synq_lookup((struct keel *)k, e->raddr, e->rport, e->lport) == e, "synq entry %u shadowed", i);
		CHECK(!tw_lookup((struct keel *)k, e->raddr, e->rport, e->lport), "synq entry %u also in TIME_WAIT", i);
	}
	return NULL;
}

static int owes_segment(const struct keel *k, const struct tcp_tcb *t)
{
	if (t->snd_una != tcb_snd_max(k, t) || tcb_sndq(k, t)->len > 0)
		return 1;                         /* unacknowledged or unsent bytes */
	return (t->flags & (TCB_F_FIN_WANT | TCB_F_FIN_ACKED)) == TCB_F_FIN_WANT;
}

/* Per TCB: sequence space order, buffers and windows in bounds, the
 * out-of-order ranges sorted inside the window, and a timer for every
 * sequence number still owed and for every orphan. */
static const char *check_tcb(const struct keel *k, unsigned i)
{
	const struct tcp_tcb *t = &k->tcp.tcbs[i];
	if (!(t->flags & TCB_F_USED))
		return NULL;
	CHECK(t->state < TCP_NSTATES && t->state != TCP_LISTEN && t->state != TCP_TIME_WAIT,
	      "TCB %u in state %u", i, t->state);
	CHECK(tcb_sndq(k, t)->len <= tcb_sndq(k, t)->end && tcb_rcvq(k, t)->len <= tcb_rcvq(k, t)->end, "TCB %u queue lengths", i);
	if (t->state == TCP_CLOSED)
		return NULL;
	CHECK(tcb_lookup((struct keel *)k, t->raddr, t->rport, t->lport) == t, "TCB %u not found by its lookup", i);
	CHECK(!(t->flags & TCB_F_ORPHAN) || !(t->flags & TCB_F_ACCEPTQ), "TCB %u orphan and queued", i);
	/* Every TCB has its data-path state from its constructor. */
	CHECK(seq_le(t->snd_una, tcb_snd_nxt(k, t)) && seq_le(tcb_snd_nxt(k, t), tcb_snd_max(k, t)),
	      "TCB %u: SND.UNA %u <= SND.NXT %u <= SND.MAX %u broken", i, t->snd_una,
	      tcb_snd_nxt(k, t), tcb_snd_max(k, t));
	/* what was sent fits the queue (+ SYN + FIN) */
	CHECK(tcb_snd_max(k, t) - t->snd_una <= (uint32_t)tcb_sndq(k, t)->len + 2u, "TCB %u: %u in flight, %u queued", i,
	      tcb_snd_max(k, t) - t->snd_una, tcb_sndq(k, t)->len);
	const struct tcb_ext *x = t->ext != TCP_NONE && t->ext < KEEL_TCP_EXT ? &k->tcp.ext.e[t->ext] : NULL;
	unsigned nooo = x ? x->nooo : 0u;
	CHECK(nooo <= KEEL_TCP_OOO_RANGES, "TCB %u nooo %u", i, nooo);
	for (unsigned r = 0; r < nooo; r++) {
		CHECK(x->ooo[r].start < x->ooo[r].end, "TCB %u ooo[%u] empty", i, r);
		CHECK(x->ooo[r].start > 0, "TCB %u ooo[%u] not beyond RCV.NXT", i, r);
		CHECK(r == 0 || x->ooo[r - 1].end < x->ooo[r].start, "TCB %u ooo ranges unsorted", i);
	}
	/* Cold state (tcp_ext.h) only while something needs it: never on an
	 * idle connection, never leaked. */
	if (t->ext != TCP_NONE) {
		CHECK(t->ext < KEEL_TCP_EXT && k->tcp.ext.e[t->ext].owner == i, "TCB %u ext %u not its own", i, t->ext);
		CHECK(tcb_ext_needed(k, t), "TCB %u holds ext %u it does not need (flags %#x)", i, t->ext,
		      t->dflags);
	}
	/* The data entry (tcp_flight.h): without one nothing is queued
	 * either way and no FIN is out; one is held only while so. */
	int fin_out = (t->flags & (TCB_F_FIN_SENT | TCB_F_FIN_ACKED)) == TCB_F_FIN_SENT;
	int send_busy = tcb_sndq(k, t)->len > 0 || tcb_max_off(k, t) > 0 ||
			(t->flags & (TCB_F_FIN_WANT | TCB_F_FIN_SENT)) == TCB_F_FIN_WANT;
	if (t->flight == TCP_NONE)
		CHECK(tcb_sndq(k, t)->len == 0 && !fin_out,
		      "TCB %u (%s) has data or a FIN out (len %u flags %#x) and no flight entry", i,
		      tcp_state_name((enum tcp_state)t->state), tcb_sndq(k, t)->len, t->flags);
	else
		CHECK(t->flight < KEEL_TCP_FLIGHT && (send_busy || tcb_rcvq(k, t)->end > 0),
		      "TCB %u (%s) holds flight entry %u with nothing queued or out", i,
		      tcp_state_name((enum tcp_state)t->state), t->flight);
	/* Held for received bytes alone, the send side reads as a new
	 * entry would (tcb_flight_trim). */
	if (t->flight != TCP_NONE && !send_busy && t->state != TCP_SYN_SENT && t->state != TCP_SYN_RECEIVED) {
		const struct tcb_flight *f = tcb_fl(k, t);
		CHECK(f->nxt_off == 0 && f->sml_off == 0 && f->rec_off == 0 && f->bytes_acked == 0 &&
			      f->dupacks == 0 && f->persist_shift == 0,
		      "TCB %u holds entry %u for received bytes with stale send state", i, t->flight);
	}
	int fw2 = tcb_fw2_orphan(t) && tcb_timer_on(t, TCB_T_RTX);
	int rtx = tcb_timer_on(t, TCB_T_RTX) && !fw2;
	/* The keepalive's deadline borrows the retransmit slot only while
	 * that timer is off (tcb_ka_due). */
	CHECK(!((t->dflags & TCB_D_KA_DUE) && tcb_timer_on(t, TCB_T_RTX)), "TCB %u: keepalive and rtx share rtx_due",
	      i);
	if (tcb_timer_on(t, TCB_T_KA) && t->ka != TCP_KA_OFF && (t->dflags & TCB_D_KA_DUE))
		CHECK(deadline_sane(k->now_ms, tcb_ka_due(k, t), 32767000u), "TCB %u keepalive due in %d ms", i,
		      (int)(tcb_ka_due(k, t) - k->now_ms));
	if (owes_segment(k, t) && t->state != TCP_SYN_SENT)
		CHECK(rtx, "TCB %u (%s) owes a segment (una %u max %u len %u flags %#x) and no timer is armed", i,
		      tcp_state_name((enum tcp_state)t->state), t->snd_una, tcb_snd_max(k, t),
		      tcb_sndq(k, t)->len, t->flags);
	if (t->state == TCP_SYN_SENT)
		CHECK(rtx, "TCB %u SYN_SENT without a timer", i);
	if (t->flags & TCB_F_ORPHAN)
		CHECK(rtx || fw2, "orphan TCB %u (%s) has no timer", i, tcp_state_name((enum tcp_state)t->state));
	if (rtx)
		CHECK(deadline_sane(k->now_ms, t->rtx_due, TCP_RTO_MAX_MS), "TCB %u rtx due in %d ms", i,
		      (int)(t->rtx_due - k->now_ms));
	if (fw2)
		CHECK(deadline_sane(k->now_ms, t->rtx_due, 86400000u), "TCB %u fw2 due in %d ms", i,
		      (int)(t->rtx_due - k->now_ms));
	return NULL;
}

const char *tcp_invariants(const struct keel *k)
{
	const char *m;
	if ((m = check_pools(k)) || (m = check_tw(k)) || (m = check_listeners(k)) || (m = check_unique(k)) ||
	    (m = check_ka(k)))
		return m;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++)
		if ((m = check_tcb(k, i)))
			return m;
	return NULL;
}

unsigned tcp_pools_in_use(const struct keel *k)
{
	unsigned n = 0;
	for (int p = 0; p < TCP_NPOOLS; p++)
		n += k->tcp.pool[p].in_use;
	return n;
}
