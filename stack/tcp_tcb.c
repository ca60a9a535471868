/* The TCB pool: allocation, handles with generation counts, 4-tuple lookup
 * and the state changes that counters watch (RFC 4022 definitions). */
#include <string.h>
#include "tcp_internal.h"

void pool_take(struct keel *k, enum tcp_pool p)
{
	struct keel_pool_usage *u = &k->tcp.pool[p];
	u->in_use++;
	if (u->in_use > u->high_water)
		u->high_water = u->in_use;
}

void pool_give(struct keel *k, enum tcp_pool p)
{
	if (k->tcp.pool[p].in_use > 0)
		k->tcp.pool[p].in_use--;
}

struct tcp_tcb *tcb_alloc(struct keel *k)
{
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		struct tcp_tcb *t = &k->tcp.tcbs[i];
		if (t->flags & TCB_F_USED)
			continue;
		uint16_t gen = t->gen ? t->gen : 1u;
		memset(t, 0, sizeof(*t));
		mem_tcb_init(k, t);             /* empty queues: no chunk held */
		t->gen = gen;
		t->flags = TCB_F_USED;
		t->listener = TCP_NONE;
		t->next = TCP_NONE;
		t->rto_ms = TCP_RTO_INIT_MS;
		t->snd_mss = TCP_MSS_DEFAULT;
		pool_take(k, TCP_POOL_TCB);
		return t;
	}
	return NULL;
}

void tcb_free(struct keel *k, struct tcp_tcb *t)
{
	if (!(t->flags & TCB_F_USED))
		return;
	if (t->flags & TCB_F_ACCEPTQ)
		acceptq_unlink(k, t);
	mem_release(k, t);                  /* every chunk back to the pool */
	t->flags = 0;
	t->state = TCP_CLOSED;
	t->gen = tcp_gen_next(t->gen);   /* stale handles now fail */
	pool_give(k, TCP_POOL_TCB);
}

/* A live application handle: used, not orphaned, not waiting in an accept
 * queue, and of the current generation. */
struct tcp_tcb *tcb_from_handle(struct keel *k, int h)
{
	if (h < 0 || (h & TCP_H_LISTEN))
		return NULL;
	unsigned idx = (unsigned)h & 0xffu;
	if (idx >= KEEL_TCP_MAX_CONN)
		return NULL;
	struct tcp_tcb *t = &k->tcp.tcbs[idx];
	if (!(t->flags & TCB_F_USED) || (t->flags & (TCB_F_ORPHAN | TCB_F_ACCEPTQ)))
		return NULL;
	if (((unsigned)h >> 9) != t->gen)
		return NULL;
	return t;
}

int tcb_handle(struct keel *k, const struct tcp_tcb *t)
{
	return tcp_handle_make((unsigned)(t - k->tcp.tcbs), t->gen, 0);
}

/* CLOSED TCBs (kept only for the app to read its error) match nothing. */
struct tcp_tcb *tcb_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		struct tcp_tcb *t = &k->tcp.tcbs[i];
		if ((t->flags & TCB_F_USED) && t->state != TCP_CLOSED &&
		    t->lport == lport && t->rport == rport && t->raddr == raddr)
			return t;
	}
	return NULL;
}

void tcb_set_state(struct keel *k, struct tcp_tcb *t, uint8_t state)
{
	/* tcpEstabResets: direct ESTABLISHED/CLOSE_WAIT -> CLOSED (RFC 4022). */
	if (state == TCP_CLOSED && (t->state == TCP_ESTABLISHED || t->state == TCP_CLOSE_WAIT))
		k->tcp.mib.estab_resets++;
	/* tcpAttemptFails: SYN_SENT/SYN_RECEIVED -> CLOSED. */
	if (state == TCP_CLOSED && (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED))
		k->tcp.mib.attempt_fails++;
	t->state = state;
}

void tcb_done(struct keel *k, struct tcp_tcb *t, int err)
{
	tcb_set_state(k, t, TCP_CLOSED);
	t->flags &= (uint16_t)~(TCB_F_RTX_ON | TCB_F_FW2_ON | TCB_F_ACK_NOW);
	t->dflags &= (uint8_t)~(TCB_D_DACK_ON | TCB_D_KA_ON | TCB_D_PERSIST | TCB_D_RTT_ON);
	/* The write and out-of-order queues are purged, as tcp_done; unread
	 * data stays for the application. */
	(void)chunkq_clear(&t->sndq, &k->tcp.chunks);
	(void)chunkq_truncate(&t->rcvq, &k->tcp.chunks, t->rcvq.len);
	t->nooo = 0;
	mem_update(k);
	if ((t->flags & (TCB_F_ORPHAN | TCB_F_ACCEPTQ)) != 0) {
		tcb_free(k, t);             /* nobody will ever read the error */
		return;
	}
	if (err != KEEL_OK)
		t->err = (int8_t)err;
}

int tcb_need_reset(const struct tcp_tcb *t)
{
	switch (t->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_SYN_RECEIVED:
		return 1;
	default:
		return 0;
	}
}

/* Free receive space: what RCV.WND may be at most now (the budget less
 * the unread bytes, as far as the pool allows: tcp_mem.c).  Out-of-order
 * bytes sit beyond RCV.NXT inside this space and do not reduce it. */
uint16_t tcb_rcv_wnd(const struct keel *k, const struct tcp_tcb *t)
{
	uint32_t w = mem_rcv_space(k, t);
	return (uint16_t)(w < 65535u ? w : 65535u);
}
