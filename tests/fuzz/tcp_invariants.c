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
static int deadline_sane(uint32_t now, uint32_t due, uint32_t max_ms)
{
	int32_t d = (int32_t)(due - now);
	return d <= (int32_t)max_ms;
}

static const char *check_pools(const struct keel *k)
{
	const struct tcp_stack *ts = &k->tcp;
	unsigned n = 0;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++)
		n += (ts->tcbs[i].flags & TCB_F_USED) != 0;
	CHECK(n == ts->pool[TCP_POOL_TCB].in_use, "tcb pool in_use %u, %u used", ts->pool[TCP_POOL_TCB].in_use, n);
	n = 0;
	for (unsigned i = 0; i < KEEL_SYN_BACKLOG; i++)
		n += (ts->synq[i].flags & SYNQ_F_USED) != 0;
	CHECK(n == ts->pool[TCP_POOL_SYN_QUEUE].in_use, "synq pool in_use %u, %u used",
	      ts->pool[TCP_POOL_SYN_QUEUE].in_use, n);
	n = 0;
	for (unsigned i = 0; i < KEEL_TW_MAX; i++)
		n += ts->tw[i].used != 0;
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

/* TIME_WAIT: every used entry is reachable from its own hash bucket, once;
 * the chains hold nothing else and have no cycle. */
static const char *check_tw(const struct keel *k)
{
	const struct tcp_stack *ts = &k->tcp;
	uint8_t seen[KEEL_TW_MAX];
	unsigned reach = 0;
	memset(seen, 0, sizeof(seen));
	for (unsigned b = 0; b < KEEL_TW_BUCKETS; b++) {
		unsigned steps = 0;
		for (unsigned i = ts->tw_head[b]; i; i = ts->tw[i - 1].next) {
			CHECK(i <= KEEL_TW_MAX, "tw chain index %u", i);
			CHECK(++steps <= KEEL_TW_MAX, "tw chain %u has a cycle", b);
			const struct tcp_tw_entry *w = &ts->tw[i - 1];
			CHECK(w->used, "tw chain %u reaches a free entry", b);
			CHECK(!seen[i - 1], "tw entry %u reachable twice", i - 1);
			seen[i - 1] = 1;
			reach++;
			/* the right bucket: a lookup must find it */
			CHECK(tw_lookup((struct keel *)k, w->raddr, w->rport, w->lport) == w,
			      "tw entry %u not found by its lookup", i - 1);
			CHECK((int32_t)(w->since - k->now_ms) <= 0, "tw entry %u starts in the future", i - 1);
		}
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
			s += (ts->synq[i].flags & SYNQ_F_USED) && ts->synq[i].listener == li;
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
		CHECK(deadline_sane(k->now_ms, e->deadline, TCP_RTO_MAX_MS), "synq entry %u deadline %+d ms", i,
		      (int)(e->deadline - k->now_ms));
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

static int owes_segment(const struct tcp_tcb *t)
{
	if (t->snd_una != t->snd_max || t->snd_len > 0)
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
	CHECK(t->snd_len <= KEEL_TCP_SNDBUF && t->rcv_len <= KEEL_TCP_RCVBUF, "TCB %u buffers %u/%u", i,
	      t->snd_len, t->rcv_len);
	CHECK(t->snd_head < KEEL_TCP_SNDBUF && t->rcv_head < KEEL_TCP_RCVBUF, "TCB %u ring heads", i);
	if (t->state == TCP_CLOSED)
		return NULL;
	CHECK(!(t->flags & TCB_F_ORPHAN) || !(t->flags & TCB_F_ACCEPTQ), "TCB %u orphan and queued", i);
	if (t->dflags & TCB_D_INIT) {
		CHECK(seq_le(t->snd_una, t->snd_nxt) && seq_le(t->snd_nxt, t->snd_max),
		      "TCB %u: SND.UNA %u <= SND.NXT %u <= SND.MAX %u broken", i, t->snd_una - t->iss,
		      t->snd_nxt - t->iss, t->snd_max - t->iss);
		/* what was sent fits the ring (+ SYN + FIN) */
		CHECK(t->snd_max - t->snd_una <= (uint32_t)t->snd_len + 2u, "TCB %u: %u in flight, %u in ring", i,
		      t->snd_max - t->snd_una, t->snd_len);
		uint32_t right = t->rcv_wup + t->rcv_adv;
		CHECK(t->rcv_adv <= KEEL_TCP_RCVBUF, "TCB %u advertised %u", i, t->rcv_adv);
		CHECK(seq_le(right, t->rcv_nxt + (uint32_t)(KEEL_TCP_RCVBUF - t->rcv_len)),
		      "TCB %u: right edge %u beyond the free buffer (%u free)", i, right - t->rcv_nxt,
		      KEEL_TCP_RCVBUF - t->rcv_len);
	}
	CHECK(t->nooo <= KEEL_TCP_OOO_RANGES, "TCB %u nooo %u", i, t->nooo);
	for (unsigned r = 0; r < t->nooo; r++) {
		CHECK(seq_lt(t->ooo[r].start, t->ooo[r].end), "TCB %u ooo[%u] empty", i, r);
		CHECK(seq_gt(t->ooo[r].start, t->rcv_nxt), "TCB %u ooo[%u] not beyond RCV.NXT", i, r);
		CHECK(seq_le(t->ooo[r].end, t->rcv_nxt + (uint32_t)(KEEL_TCP_RCVBUF - t->rcv_len)),
		      "TCB %u ooo[%u] beyond the buffer", i, r);
		CHECK(r == 0 || seq_lt(t->ooo[r - 1].end, t->ooo[r].start), "TCB %u ooo ranges unsorted", i);
	}
	if (owes_segment(t) && t->state != TCP_SYN_SENT)
		CHECK(t->flags & TCB_F_RTX_ON, "TCB %u (%s) owes a segment (una %u max %u len %u flags %#x) "
		      "and no timer is armed", i, tcp_state_name((enum tcp_state)t->state), t->snd_una - t->iss,
		      t->snd_max - t->iss, t->snd_len, t->flags);
	if (t->state == TCP_SYN_SENT)
		CHECK(t->flags & TCB_F_RTX_ON, "TCB %u SYN_SENT without a timer", i);
	if (t->flags & TCB_F_ORPHAN)
		CHECK(t->flags & (TCB_F_RTX_ON | TCB_F_FW2_ON), "orphan TCB %u (%s) has no timer", i,
		      tcp_state_name((enum tcp_state)t->state));
	if (t->flags & TCB_F_RTX_ON)
		CHECK(deadline_sane(k->now_ms, t->rtx_due, TCP_RTO_MAX_MS), "TCB %u rtx due in %d ms", i,
		      (int)(t->rtx_due - k->now_ms));
	if (t->flags & TCB_F_FW2_ON)
		CHECK(deadline_sane(k->now_ms, t->fw2_due, 86400000u), "TCB %u fw2 due in %d ms", i,
		      (int)(t->fw2_due - k->now_ms));
	return NULL;
}

const char *tcp_invariants(const struct keel *k)
{
	const char *m;
	if ((m = check_pools(k)) || (m = check_tw(k)) || (m = check_listeners(k)) || (m = check_unique(k)))
		return m;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++)
		if ((m = check_tcb(k, i)))
			return m;
	return NULL;
}

static void earliest(const struct keel *k, int *have, uint32_t *best, uint32_t due)
{
	if (!*have || (int32_t)(due - k->now_ms) < (int32_t)(*best - k->now_ms))
		*best = due;
	*have = 1;
}

int tcp_next_deadline(const struct keel *k, uint32_t *due)
{
	const struct tcp_stack *ts = &k->tcp;
	int have = 0;
	uint32_t best = 0;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		const struct tcp_tcb *t = &ts->tcbs[i];
		if (!(t->flags & TCB_F_USED) || t->state == TCP_CLOSED)
			continue;
		if (t->flags & TCB_F_RTX_ON)
			earliest(k, &have, &best, t->rtx_due);
		if (t->flags & TCB_F_FW2_ON)
			earliest(k, &have, &best, t->fw2_due);
		if (t->dflags & TCB_D_DACK_ON)
			earliest(k, &have, &best, t->dack_due);
		if ((t->dflags & TCB_D_KA_ON) && t->ka_idle_ms)
			earliest(k, &have, &best, t->ka_due);
	}
	for (unsigned i = 0; i < KEEL_SYN_BACKLOG; i++)
		if (ts->synq[i].flags & SYNQ_F_USED)
			earliest(k, &have, &best, ts->synq[i].deadline);
	for (unsigned i = 0; i < KEEL_TW_MAX; i++)
		if (ts->tw[i].used)
			earliest(k, &have, &best, tw_deadline(k, &ts->tw[i]));
	*due = best;
	return have;
}

unsigned tcp_pools_in_use(const struct keel *k)
{
	unsigned n = 0;
	for (int p = 0; p < TCP_NPOOLS; p++)
		n += k->tcp.pool[p].in_use;
	return n;
}
