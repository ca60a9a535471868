/* The TCP timer wheel (tcp_wheel.h).  Node ids: TCBs 0..KEEL_TCP_MAX_CONN-1,
 * then SYN-queue entries.  It calls nothing back: tcp_tick asks it for
 * each due node (wheel_expire_next) and runs that node's timers. */
#include "tcp_internal.h"

_Static_assert(KEEL_TCP_MAX_CONN + KEEL_SYN_BACKLOG < TMR_HEAD, "timer node ids fit below TMR_HEAD");
_Static_assert(TMR_NLISTS < TMR_HEAD, "list ids fit beside TMR_HEAD");
_Static_assert(TMR_NLISTS <= 256, "list ids fit a byte (tcp_wheel.list)");

/* The budget a tick may spend: a burst of expiries (a SYN flood's
 * SYN-ACK retransmits, thousands of connections opened in the same
 * millisecond) is spread over ticks instead of stalling the network. */
#define TMR_TICK_BUDGET 256u

static struct tmr_node *node(struct keel *k, uint16_t id)
{
	if (id < KEEL_TCP_MAX_CONN)
		return &k->tcp.tcbs[id].tmr;
	return &k->tcp.synq[id - KEEL_TCP_MAX_CONN].tmr;
}

void wheel_init(struct keel *k)
{
	struct tcp_wheel *w = &k->tcp.wheel;
	w->base = k->now_ms;
	for (unsigned i = 0; i < TMR_NLISTS; i++)
		w->head[i] = TCP_NONE;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN + KEEL_SYN_BACKLOG; i++)
		node(k, (uint16_t)i)->prev = TMR_OFF;
}

static void list_push(struct keel *k, unsigned list, uint16_t id)
{
	struct tcp_wheel *w = &k->tcp.wheel;
	struct tmr_node *n = node(k, id);
	n->next = w->head[list];
	n->prev = (uint16_t)(TMR_HEAD | list);
	if (n->next != TCP_NONE)
		node(k, n->next)->prev = id;
	w->head[list] = id;
	w->list[id] = (uint8_t)list;
	if (list < TMR_LIST_EXPIRE)
		w->occupied[list / TMR_SLOTS] |= 1u << (list % TMR_SLOTS);
	w->count++;
}

/* The list a deadline is filed in, seen from base (old Linux
 * internal_add_timer): level 0 holds the next 32 ms exactly; level L the
 * deadlines less than 32^(L+1) ms away, by their 32^L ms block. */
static unsigned list_for(const struct tcp_wheel *w, uint32_t due)
{
	uint32_t ahead = due - w->base;
	if (ahead > TIME_AHEAD_MAX) {
		due = w->base;                 /* already due: the next slot processed */
		ahead = 0;
	}
	if (ahead >= TMR_SPAN)
		due = w->base + TMR_SPAN - 1u; /* refiled when it comes round */
	for (unsigned l = 0; l < TMR_LEVELS; l++) {
		unsigned shift = TMR_BITS * l;
		if ((uint32_t)ahead < (TMR_SLOTS << shift) || l == TMR_LEVELS - 1u)
			return l * TMR_SLOTS + ((due >> shift) & (TMR_SLOTS - 1u));
	}
	return 0;   /* not reached */
}

void wheel_insert(struct keel *k, uint16_t id, uint32_t due)
{
	struct tcp_wheel *w = &k->tcp.wheel;
	struct tmr_node *n = node(k, id);
	if (n->prev != TMR_OFF)
		wheel_remove(k, id);
	if (w->count == 0 && !w->running) {
		w->base = k->now_ms;          /* an empty wheel keeps no time: start from now */
		w->cascade_level = 0;
	}
	list_push(k, list_for(&k->tcp.wheel, due), id);
}

void wheel_remove(struct keel *k, uint16_t id)
{
	struct tcp_wheel *w = &k->tcp.wheel;
	struct tmr_node *n = node(k, id);
	if (n->prev == TMR_OFF)
		return;
	if (n->prev & TMR_HEAD) {
		unsigned list = n->prev & (uint16_t)~TMR_HEAD;
		w->head[list] = n->next;
		if (n->next == TCP_NONE && list < TMR_LIST_EXPIRE)
			w->occupied[list / TMR_SLOTS] &= ~(1u << (list % TMR_SLOTS));
	} else {
		node(k, n->prev)->next = n->next;
	}
	if (n->next != TCP_NONE)
		node(k, n->next)->prev = n->prev;
	n->next = TCP_NONE;
	n->prev = TMR_OFF;
	w->count--;
}

int wheel_queued(struct keel *k, uint16_t id)
{
	return node(k, id)->prev != TMR_OFF;
}

/* Linux's lazy timers (sk_reset_timer on a pending timer, which
 * inet_csk's handlers re-check): a node already filed no later than due
 * stays where it is.  A freed TCB or SYN-queue entry also stays filed
 * (tcb_free, synq_release): the next owner of the slot, a connection
 * later, usually arms a later deadline and files nothing; a node that
 * comes due with nothing due leaves the wheel (owner_due, the fire
 * handlers).  So a connection's life costs no wheel insert or remove. */
static inline __attribute__((always_inline)) void file_lazy(struct keel *k, uint16_t id, const struct tmr_node *n, uint32_t due)
{
	if (n->prev == TMR_OFF || (int32_t)(due - wheel_filed_at(k, id)) < 0)
		wheel_insert(k, id, due);
}

void wheel_file_lazy(struct keel *k, uint16_t id, uint32_t due)
{
	file_lazy(k, id, node(k, id), due);
}

/* A slot's whole list onto an (empty) pending list, in O(1). */
static void list_move(struct keel *k, unsigned from, unsigned to)
{
	struct tcp_wheel *w = &k->tcp.wheel;
	uint16_t first = w->head[from];
	w->head[from] = TCP_NONE;
	w->occupied[from / TMR_SLOTS] &= ~(1u << (from % TMR_SLOTS));
	w->head[to] = first;
	if (first != TCP_NONE)
		node(k, first)->prev = (uint16_t)(TMR_HEAD | to);
}

/* Here, not in tcp_timer.c, so that the wheel, which asks it at a
 * cascade, does not depend on the code that fires timers. */
int tcb_timer_first(const struct keel *k, const struct tcp_tcb *t, uint32_t *first)
{
	if (!(t->flags & TCB_F_USED) || t->state == TCP_CLOSED)
		return 0;
	int any = 0;
	for (unsigned i = 0; i < TCB_T_N; i++) {
		if (!tcb_timer_on(t, (enum tcb_timer)i))
			continue;
		uint32_t due = tcb_timer_due(k, t, (enum tcb_timer)i, k->now_ms);
		if (!any || (int32_t)(due - *first) < 0)
			*first = due;
		any = 1;
	}
	return any;
}

/* The deadline node id's owner has now: a TCB's earliest armed timer,
 * a SYN-queue entry's next SYN-ACK or expiry.  0 if it has none. */
static int owner_due(struct keel *k, uint16_t id, uint32_t *due)
{
	if (id < KEEL_TCP_MAX_CONN)
		return tcb_timer_first(k, &k->tcp.tcbs[id], due);
	const struct tcp_synq_entry *e = &k->tcp.synq[id - KEEL_TCP_MAX_CONN];
	if (!(e->flags & SYNQ_F_USED))
		return 0;
	*due = e->due;
	return 1;
}

/* Refiles cascaded nodes a level down, at the deadline their owner
 * names now (the one filed may since have been stopped or put off),
 * until none is left (1) or the budget is spent (0). */
static int drain_cascade(struct keel *k)
{
	struct tcp_wheel *w = &k->tcp.wheel;
	while (w->head[TMR_LIST_CASCADE] != TCP_NONE) {
		if (w->work >= TMR_TICK_BUDGET)
			return 0;
		w->work++;
		uint16_t id = w->head[TMR_LIST_CASCADE];
		uint32_t due;
		wheel_remove(k, id);
		if (owner_due(k, id, &due))
			wheel_insert(k, id, due);
	}
	return 1;
}

/* When the wheel reaches filed node id: the millisecond of its level-0
 * slot, the start of its coarser slot's next turn (a cascade), now for
 * the pending lists -- never after the deadline it was filed for.  A
 * node moved with its slot to a pending list still names that slot,
 * whose next turn is later than now: a later answer only asks for a
 * refile that was not needed. */
uint32_t wheel_filed_at(const struct keel *k, uint16_t id)
{
	const struct tcp_wheel *w = &k->tcp.wheel;
	unsigned list = w->list[id];
	if (list < TMR_SLOTS)
		return w->base + ((list - w->base) & (TMR_SLOTS - 1u));
	if (list >= TMR_LIST_EXPIRE)
		return w->base;
	unsigned shift = TMR_BITS * (list / TMR_SLOTS);
	uint32_t block = w->base >> shift;
	uint32_t dist = ((list % TMR_SLOTS) - block) & (TMR_SLOTS - 1u);
	return (block + (dist ? dist : TMR_SLOTS)) << shift;
}

static void advance(struct tcp_wheel *w, uint32_t to)
{
	w->base = to;
	if ((w->base & (TMR_SLOTS - 1u)) == 0)
		w->cascade_level = 1;         /* a level-0 wrap: coarser slots come due */
}

/* Ticks so far apart (a stalled main loop, a clock that jumped) that the
 * wheel fell more than 2^30 ms behind -- 2^31 ms and more included, which
 * a signed compare would read as ahead: everything filed is put on the
 * expiry list, and each node's timers decide for themselves (time_due)
 * what is due.  Bounded by the nodes there are (TCBs and SYN-queue
 * entries). */
#define TMR_LAG_MAX TIME_AHEAD_MAX
static void catch_up(struct keel *k)
{
	struct tcp_wheel *w = &k->tcp.wheel;
	for (unsigned list = 0; list < TMR_LIST_EXPIRE; list++) {
		for (unsigned n = 0; n < KEEL_TCP_MAX_CONN + KEEL_SYN_BACKLOG && w->head[list] != TCP_NONE; n++) {
			uint16_t id = w->head[list];
			wheel_remove(k, id);
			list_push(k, TMR_LIST_EXPIRE, id);
		}
	}
	w->base = k->now_ms;
	w->cascade_level = 0;
}

void wheel_begin(struct keel *k)
{
	k->tcp.wheel.work = 0;
	k->tcp.wheel.running = 1;
	/* base is the next millisecond to process: now + 1 when caught up. */
	if (k->now_ms + 1u - k->tcp.wheel.base > TMR_LAG_MAX && k->tcp.wheel.count)
		catch_up(k);
}

void wheel_end(struct keel *k)
{
	struct tcp_wheel *w = &k->tcp.wheel;
	w->running = 0;
	if (w->work > w->work_max)
		w->work_max = w->work;
}

/* The next node whose deadline has come, unlinked, in *id (1), or 0 when
 * none is due up to now or the tick's budget is spent.  The wheel only
 * reports: the caller (tcp_tick) runs the node's timers, which may stop
 * or refile any node, this one included. */
int wheel_expire_next(struct keel *k, uint16_t *id)
{
	struct tcp_wheel *w = &k->tcp.wheel;
	uint32_t now = k->now_ms;
	for (;;) {
		if (w->work >= TMR_TICK_BUDGET)
			return 0;
		if (w->head[TMR_LIST_EXPIRE] != TCP_NONE) {
			w->work++;
			*id = w->head[TMR_LIST_EXPIRE];
			wheel_remove(k, *id);
			return 1;
		}
		if (!drain_cascade(k))
			return 0;
		if (!time_due(now, w->base))
			return 0;                     /* caught up */
		if (w->count == 0) {
			advance(w, now + 1u);
			w->cascade_level = 0;         /* nothing to cascade */
			return 0;
		}
		w->work++;
		unsigned idx = w->base & (TMR_SLOTS - 1u);
		if (idx == 0 && w->cascade_level != 0 && w->cascade_level < TMR_LEVELS) {
			unsigned l = w->cascade_level++;
			unsigned shift = TMR_BITS * l;
			if ((w->base & ((1u << shift) - 1u)) == 0)
				list_move(k, l * TMR_SLOTS + ((w->base >> shift) & (TMR_SLOTS - 1u)),
					  TMR_LIST_CASCADE);
			else
				w->cascade_level = TMR_LEVELS;   /* coarser levels are not at a boundary */
			continue;
		}
		w->cascade_level = 0;
		if (w->occupied[0] & (1u << idx)) {
			list_move(k, idx, TMR_LIST_EXPIRE);
			advance(w, w->base + 1u);  /* refiled deadlines <= now go to the next slot */
			continue;
		}
		/* Nothing in this slot: straight to the next occupied one (or
		 * the wrap), but not past now. */
		uint32_t later = w->occupied[0] >> idx;
		uint32_t step = later ? (uint32_t)__builtin_ctz(later) : TMR_SLOTS - idx;
		uint32_t gap = now + 1u - w->base;
		uint32_t when;
		if (!w->occupied[0] && wheel_next(k, &when) && (int32_t)(when - w->base) > (int32_t)step)
			step = when - w->base;    /* after a stall: to the next cascade at once, not 32 ms a turn */
		advance(w, w->base + (step < gap ? step : gap));
	}
}

/* The earliest time anything filed may come due: exact for level 0, the
 * start of the block for coarser levels (a cascade then), never later
 * than the real deadline.  0 with *when unset if nothing is filed. */
int wheel_next(struct keel *k, uint32_t *when)
{
	struct tcp_wheel *w = &k->tcp.wheel;
	if (w->count == 0)
		return 0;
	if (w->head[TMR_LIST_EXPIRE] != TCP_NONE || w->head[TMR_LIST_CASCADE] != TCP_NONE ||
	    (w->cascade_level != 0 && w->cascade_level < TMR_LEVELS)) {
		*when = w->base;                  /* behind: work waits now */
		return 1;
	}
	uint32_t best = 0;
	int found = 0;
	for (unsigned l = 0; l < TMR_LEVELS; l++) {
		uint32_t occ = w->occupied[l];
		if (!occ)
			continue;
		unsigned shift = TMR_BITS * l;
		unsigned cur = (w->base >> shift) & (TMR_SLOTS - 1u);
		/* Level 0: slot cur is this millisecond's; coarser: slot cur
		 * was cascaded at this block's start, so it waits a whole turn. */
		unsigned from = l == 0 ? cur : cur + 1u;
		uint32_t rot = (from >= TMR_SLOTS ? 0 : occ >> from) | (from == 0 ? 0 : occ << (TMR_SLOTS - from));
		unsigned dist = (unsigned)__builtin_ctz(rot) + (from - cur);
		uint32_t t = l == 0 ? w->base + dist : ((w->base >> shift) + dist) << shift;
		if (!found || (int32_t)(t - best) < 0)
			best = t;
		found = 1;
	}
	*when = best;
	return found;
}

/* ---- a TCB's timers (tcp_internal.h) ---- */

uint16_t tcb_timer_id(const struct keel *k, const struct tcp_tcb *t)
{
	return (uint16_t)(t - k->tcp.tcbs);
}

static void tcb_timer_file(struct keel *k, struct tcp_tcb *t, enum tcb_timer which, uint32_t due)
{
	t->timers = (uint16_t)((t->timers | (1u << which)) & 7u);
	/* Every sent segment comes here: the TCB's node directly, not
	 * through node()'s TCB-or-SYN-queue choice. */
	file_lazy(k, tcb_timer_id(k, t), &t->tmr, due);
}

void tcb_timer_set(struct keel *k, struct tcp_tcb *t, enum tcb_timer which, uint32_t due)
{
	if (which == TCB_T_RTX) {
		t->rtx_due = due;
		t->dflags &= (uint8_t)~TCB_D_KA_DUE;   /* the slot is the rtx timer's again */
	} else {
		t->dack_due = (uint16_t)due;
	}
	tcb_timer_file(k, t, which, due);
}

/* Keepalive (tcb_ka_due): from rcv_ms; a later deadline leaves the node
 * where it is (it fires early and is refiled, tcp_timer.c). */
void tcb_keepalive_arm(struct keel *k, struct tcp_tcb *t)
{
	t->dflags &= (uint8_t)~TCB_D_KA_DUE;
	tcb_timer_file(k, t, TCB_T_KA, tcb_ka_due(k, t));
}

/* Keepalive ms from now, kept in the retransmit timer's slot while that
 * timer is off; with it on, something is outstanding and the deadline
 * from rcv_ms serves (tcb_ka_due). */
void tcb_keepalive_in(struct keel *k, struct tcp_tcb *t, uint32_t ms)
{
	if (tcb_timer_on(t, TCB_T_RTX)) {
		tcb_keepalive_arm(k, t);
		return;
	}
	t->rtx_due = k->now_ms + ms;
	t->dflags |= TCB_D_KA_DUE;
	tcb_timer_file(k, t, TCB_T_KA, t->rtx_due);
}
