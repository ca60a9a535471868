/* Who may take a chunk from the shared pool, and how big a connection's
 * buffers may grow: Linux's tcp_mem / tcp_rmem / tcp_wmem semantics
 * (net/core/sock.c __sk_mem_raise_allocated, net/ipv4/tcp_input.c) on a
 * static pool of chunks.
 *   - Below tcp_mem[1] (pressure) a queue may take chunks up to its
 *     connection's budget.  Reaching it enters memory pressure (counted,
 *     TCPMemoryPressures); pressure ends when use falls below tcp_mem[0].
 *   - Under pressure, and always above tcp_mem[1], a queue takes chunks
 *     only up to its minimum (tcp_rmem[0] / tcp_wmem[0]) or, as Linux,
 *     while its connection holds less than its fair share (high /
 *     connections): buffers stop growing, windows stop opening beyond the
 *     minimum, and what lies between pressure and high stays for
 *     connections below their minimum or share, so one greedy connection
 *     cannot starve the others.
 *   - Nothing beyond tcp_mem[2] (high): a segment that needs a chunk then
 *     is dropped and counted by the receive path (tcp_rcv.c).
 *   - Growth (Linux's receive autotuning and tcp_sndbuf_expand): the
 *     receive budget doubles, up to tcp_rmem[2], when the peer filled the
 *     window and the application then drained the queue (it keeps up, the
 *     window was the limit), or when the application read 3/4 of the
 *     budget within one RTT (rcv_space_adjust); the send budget doubles, up to
 *     tcp_wmem[2], when the application found the send queue full and the
 *     peer acknowledges data.  Never under pressure. */
#include "tcp_internal.h"

static unsigned min_chunks(uint32_t bytes)
{
	return (unsigned)((bytes + CHUNK_SIZE - 1u) / CHUNK_SIZE);
}

void mem_update(struct keel *k)
{
	struct tcp_stack *ts = &k->tcp;
	unsigned used = ts->chunks.in_use;
	if (!ts->mem_pressure && used >= ts->sysctl.tcp_mem[1]) {
		ts->mem_pressure = 1;
		ts->mib.mem_pressures++;
	} else if (ts->mem_pressure && used < ts->sysctl.tcp_mem[0]) {
		ts->mem_pressure = 0;
	}
}

unsigned mem_chunks_allowed(const struct keel *k, const struct tcp_tcb *t, const struct chunkq *q,
			    uint32_t min_bytes)
{
	const struct tcp_stack *ts = &k->tcp;
	unsigned used = ts->chunks.in_use;
	unsigned high = ts->sysctl.tcp_mem[2] < CHUNK_COUNT ? ts->sysctl.tcp_mem[2] : CHUNK_COUNT;
	if (used >= high)
		return 0;
	unsigned have = chunkq_chunks(q), want_min = min_chunks(min_bytes);
	unsigned allowed = want_min > have ? want_min - have : 0u;
	if (!ts->mem_pressure && used < ts->sysctl.tcp_mem[1]) {
		if (ts->sysctl.tcp_mem[1] - used > allowed)
			allowed = ts->sysctl.tcp_mem[1] - used;
	} else {
		/* Linux's fair share under pressure: a connection holding
		 * less than high / connections may still take chunks. */
		unsigned conns = ts->pool[TCP_POOL_TCB].in_use ? ts->pool[TCP_POOL_TCB].in_use : 1u;
		unsigned held = chunkq_chunks(tcb_sndq(k, t)) + chunkq_chunks(tcb_rcvq(k, t));
		if (high / conns > held && high / conns - held > allowed)
			allowed = high / conns - held;
	}
	return allowed < high - used ? allowed : high - used;
}

/* Bytes q can still take: room in its last chunk (and any chunk already
 * held beyond its readable bytes) plus the chunks it may take. */
static uint32_t mem_cover(const struct keel *k, const struct tcp_tcb *t, const struct chunkq *q,
			  uint32_t min_bytes)
{
	uint32_t held = (uint32_t)chunkq_chunks(q) * CHUNK_SIZE;
	uint32_t used = q->end == 0 ? 0u : (uint32_t)q->off + q->len;
	uint32_t room = held > used ? held - used : 0u;
	return room + (uint32_t)mem_chunks_allowed(k, t, q, min_bytes) * CHUNK_SIZE;
}

/* Out of pressure with chunks to spare below tcp_mem[1] (and high), a
 * queue may take at least (limit - used) chunks, so mem_cover is at least
 * that many bytes: when the budget's space fits in them, the space is the
 * answer without walking the pool's arithmetic (the common case, on every
 * segment sent and every window advertised). */
static int space_surely_covered(const struct keel *k, uint32_t space)
{
	const struct tcp_stack *ts = &k->tcp;
	if (ts->mem_pressure)
		return 0;
	unsigned used = ts->chunks.in_use, limit = ts->sysctl.tcp_mem[1];
	if (ts->sysctl.tcp_mem[2] < limit)
		limit = ts->sysctl.tcp_mem[2];
	if (CHUNK_COUNT < limit)
		limit = CHUNK_COUNT;
	return used < limit && space <= (uint32_t)(limit - used) * CHUNK_SIZE;
}

static uint32_t budget_now(const struct keel *k, uint32_t budget, uint32_t min_bytes)
{
	if (k->tcp.mem_pressure && budget > min_bytes)
		return min_bytes;
	return budget;
}

uint32_t mem_rcv_space(const struct keel *k, const struct tcp_tcb *t)
{
	uint32_t min = k->tcp.sysctl.tcp_rmem[0];
	uint32_t b = budget_now(k, t->rcv_budget, min);
	const struct chunkq *q = tcb_rcvq(k, t);
	if (!tcb_flight_avail(k, t))
		return 0;        /* no entry for a first byte (tcp_flight.h): as if the arena were dry */
	uint32_t space = b > q->len ? b - q->len : 0u;
	if (space_surely_covered(k, space))
		return space;
	uint32_t cover = mem_cover(k, t, q, min);
	return space < cover ? space : cover;
}

uint32_t mem_snd_room(const struct keel *k, const struct tcp_tcb *t)
{
	uint32_t b = budget_now(k, t->snd_budget, k->tcp.sysctl.tcp_wmem[0]);
	return b > tcb_sndq(k, t)->len ? b - tcb_sndq(k, t)->len : 0u;
}

uint32_t mem_snd_space(const struct keel *k, const struct tcp_tcb *t)
{
	uint32_t space = mem_snd_room(k, t);
	if (space_surely_covered(k, space))
		return space;
	uint32_t cover = mem_cover(k, t, tcb_sndq(k, t), k->tcp.sysctl.tcp_wmem[0]);
	return space < cover ? space : cover;
}

/* What one connection's budget may grow to beside its other budget:
 * its two queues, full and each straddling two more chunks than its
 * bytes fill, fit the arena, so a connection alone never finds the pool
 * above tcp_mem[2] within the windows it advertised.  The split follows
 * use: a connection that only receives may grow its window to the arena
 * less its send budget and the straddle (tcp_rmem max, config.h). */
static uint32_t beside(qlen_t other)
{
	uint32_t pair = (uint32_t)KEEL_CHUNK_ARENA - 4u * CHUNK_SIZE;
	return pair > other ? pair - other : 0u;
}

static qlen_t doubled(qlen_t b, uint32_t max, qlen_t other)
{
	uint32_t d = 2u * (uint32_t)b;
	if (max > beside(other))
		max = beside(other);
	if (max > CHUNKQ_MAX)
		max = CHUNKQ_MAX;
	return (qlen_t)(d < max ? d : (b > max ? b : max));
}

/* Linux's receive autotuning by the clock (tcp_rcv_space_adjust): the
 * bytes the application read in one RTT.  A peer delivers at most a
 * window per RTT, so reading 3/4 of the budget in one says the window
 * was the limit: the budget doubles.  This catches an application that
 * reads each segment as it comes, whose window reopens before the peer
 * can fill it (so TCB_M_RWND_FULL never shows).  An interval of two RTTs
 * or more measures nothing (the application or the peer paused), nor do
 * the clock's and sequence's low bits kept in the TCB wrap within one.
 * Without an RTT sample, the delayed-ACK bound stands in for one. */
static void rcv_space_adjust(struct keel *k, struct tcp_tcb *t)
{
	qlen_t read_to = (qlen_t)(t->rcv_nxt - tcb_rcvq(k, t)->len);
	uint32_t rtt = t->srtt8 ? t->srtt8 >> 3 : KEEL_TCP_DELACK_MS;
	if (rtt == 0)
		rtt = 1;
	if (t->flags & TCB_F_ACCEPTQ)
		return;                 /* the mark's bytes are the accept-queue link (tcp_tcb.h) */
	uint32_t elapsed = (uint16_t)((uint16_t)k->now_ms - t->rcv_space_ms);
	if (t->mflags & TCB_M_SPACE) {
		if (elapsed < rtt)
			return;
		uint32_t copied = (qlen_t)(read_to - t->rcv_space_seq);
		if (elapsed < 2u * rtt && copied >= t->rcv_budget - t->rcv_budget / 4u && !k->tcp.mem_pressure)
			t->rcv_budget = doubled(t->rcv_budget, k->tcp.sysctl.tcp_rmem[2], t->snd_budget);
	}
	t->mflags |= TCB_M_SPACE;
	t->rcv_space_seq = read_to;
	t->rcv_space_ms = (uint16_t)k->now_ms;
}

void mem_rcv_read(struct keel *k, struct tcp_tcb *t)
{
	mem_update(k);
	if ((t->mflags & TCB_M_RWND_FULL) && tcb_rcvq(k, t)->len == 0 && !k->tcp.mem_pressure) {
		t->rcv_budget = doubled(t->rcv_budget, k->tcp.sysctl.tcp_rmem[2], t->snd_budget);
		t->mflags &= (uint8_t)~TCB_M_RWND_FULL;
	}
	rcv_space_adjust(k, t);
}

void mem_snd_acked(struct keel *k, struct tcp_tcb *t)
{
	mem_update(k);
	if ((t->mflags & TCB_M_SND_FULL) && !k->tcp.mem_pressure) {
		t->snd_budget = doubled(t->snd_budget, k->tcp.sysctl.tcp_wmem[2], t->rcv_budget);
		t->mflags &= (uint8_t)~TCB_M_SND_FULL;
	}
}

/* Linux tcp_prune_ofo_queue: the out-of-order bytes go first when memory
 * runs short (the peer will send them again; in-order data is promised). */
int mem_prune_ofo(struct keel *k, struct tcp_tcb *t)
{
	struct tcb_ext *x = tcb_ext(k, t);
	const struct chunkq *q = tcb_rcvq(k, t);
	if (q->end <= q->len && (!x || x->nooo == 0))
		return 0;
	if (q->end > q->len) {                /* then t holds an entry */
		struct chunkq *w = tcb_rcvq_w(k, t);
		(void)chunkq_truncate(w, &k->tcp.chunks, w->len);
	}
	if (x)
		x->nooo = 0;
	t->flags &= (uint16_t)~TCB_F_FIN_OOO;
	k->tcp.mib.ofo_pruned++;
	mem_update(k);
	return 1;
}

void mem_release(struct keel *k, struct tcp_tcb *t)
{
	tcb_ext_release(k, t);             /* the queues went with the flight entry (tcb_flight_release) */
	mem_update(k);
}

void mem_tcb_init(struct keel *k, struct tcp_tcb *t)
{
	t->rcv_budget = (qlen_t)k->tcp.sysctl.tcp_rmem[1];
	t->snd_budget = (qlen_t)k->tcp.sysctl.tcp_wmem[1];
}
