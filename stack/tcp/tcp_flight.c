/* The flight pool (tcp_flight.h): taken when a connection queues its
 * first byte, sends its SYN or its FIN; given back as soon as everything
 * sent is acknowledged and nothing waits (tcb_flight_trim, after every
 * output), and on free, with the send queue it holds.  Its use is bounded by the connections with
 * something in flight, not by the connections held. */
#include "tcp_internal.h"

#define EMPTY_Q { .head = CHUNK_NONE, .tail = CHUNK_NONE }
/* What a TCB without an entry reads: offsets 0, the queue empty. */
const struct tcb_flight tcb_flight_idle = { .sndq = EMPTY_Q };
/* An active open's SYN out, SND.UNA = ISS: SND.NXT = snd_max = ISS + 1,
 * recover = ISS (RFC 6582 §3.2 step 1, cc_init). */
const struct tcb_flight tcb_flight_syn = { .nxt_off = 1, .max_off = 1, .rec_off = 1, .sndq = EMPTY_Q };

void tcb_flight_pool_init(struct keel *k)
{
	struct tcb_flight_pool *p = &k->tcp.flight;
	for (unsigned i = 0; i < KEEL_TCP_FLIGHT; i++)
		p->f[i].next = (uint16_t)(i + 1 < KEEL_TCP_FLIGHT ? i + 1 : TCP_NONE);
	p->free_head = 0;
	p->in_use = p->peak = 0;
	p->full = 0;
}

int tcb_flight_take(struct keel *k, struct tcp_tcb *t)
{
	struct tcb_flight_pool *p = &k->tcp.flight;
	if (t->flight != TCP_NONE)
		return 1;
	if (p->free_head == TCP_NONE) {
		p->full++;
		return 0;
	}
	uint16_t i = p->free_head;
	struct tcb_flight *f = &p->f[i];
	p->free_head = f->next;
	*f = *tcb_fl(k, t);        /* what the TCB read without one */
	t->flight = i;
	if (++p->in_use > p->peak)
		p->peak = p->in_use;
	return 1;
}

void tcb_flight_release(struct keel *k, struct tcp_tcb *t)
{
	struct tcb_flight_pool *p = &k->tcp.flight;
	if (t->flight == TCP_NONE)
		return;
	(void)chunkq_clear(&p->f[t->flight].sndq, &k->tcp.chunks);   /* its chunks back to the pool */
	p->f[t->flight].next = p->free_head;
	p->free_head = t->flight;
	p->in_use--;
	t->flight = TCP_NONE;
}

/* Idle: nothing queued, SND.UNA at snd_max (so SND.NXT too, and every
 * offset clamped to 0), no FIN waiting to go.  A FIN sent and acked,
 * or one never asked for, needs nothing. */
void tcb_flight_trim_held(struct keel *k, struct tcp_tcb *t)
{
	const struct tcb_flight *f = &k->tcp.flight.f[t->flight];
	if (f->sndq.len == 0 && f->max_off == 0 &&
	    (t->flags & (TCB_F_FIN_WANT | TCB_F_FIN_SENT)) != TCB_F_FIN_WANT)
		tcb_flight_release(k, t);
}
