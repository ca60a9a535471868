/* The flight pool, the connections' data entries (tcp_flight.h): taken
 * when a connection queues its first byte, sends its FIN or stores the
 * first byte it received; given back as soon as everything sent is
 * acknowledged, nothing waits and everything received is read
 * (tcb_flight_trim, after every output and every read), and when the
 * TCB is freed, with the queues it holds.  Its use is bounded by the connections with
 * data, not by the connections held. */
#include <stddef.h>
#include <string.h>
#include "tcp_internal.h"

#define EMPTY_Q { .head = CHUNK_NONE, .tail = CHUNK_NONE }
/* What a TCB without an entry reads: offsets 0, the queues empty. */
const struct tcb_flight tcb_flight_idle = { .sndq = EMPTY_Q, .rcvq = EMPTY_Q };
/* An active open's SYN out, SND.UNA = ISS: SND.NXT = snd_max = ISS + 1,
 * recover = ISS (RFC 6582 §3.2 step 1, cc_init). */
const struct tcb_flight tcb_flight_syn = { .nxt_off = 1, .max_off = 1, .rec_off = 1, .sndq = EMPTY_Q, .rcvq = EMPTY_Q };

void tcb_flight_pool_init(struct keel *k)
{
	struct tcb_flight_pool *p = &k->tcp.flight;
	for (unsigned i = 0; i < KEEL_TCP_FLIGHT; i++) {
		p->f[i].next = (uint16_t)(i + 1 < KEEL_TCP_FLIGHT ? i + 1 : TCP_NONE);
		chunkq_init(&p->f[i].sndq);     /* a free entry's queues stay empty */
		chunkq_init(&p->f[i].rcvq);
	}
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
	/* What the TCB read without one; the queues are empty already
	 * (tcb_flight_release). */
	memcpy(f, tcb_fl(k, t), offsetof(struct tcb_flight, sndq));
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
	struct tcb_flight *f = &p->f[t->flight];
	/* The chunks back to the pool: a queue covering no byte holds none
	 * (chunkq.h), the usual case (tcb_flight_trim). */
	if (f->sndq.end != 0)
		(void)chunkq_clear(&f->sndq, &k->tcp.chunks);
	if (f->rcvq.end != 0)
		(void)chunkq_clear(&f->rcvq, &k->tcp.chunks);
	f->next = p->free_head;
	p->free_head = t->flight;
	p->in_use--;
	t->flight = TCP_NONE;
}

/* The send side needs nothing more: the entry goes back unless the
 * receive queue still covers a byte; if it stays, the send side's state
 * becomes what a new entry would start from (tcb_flight_idle), as if it
 * had gone back and been taken again. */
static void send_side_idle(struct keel *k, struct tcp_tcb *t, struct tcb_flight *f)
{
	if (f->rcvq.end == 0)
		tcb_flight_release(k, t);
	else        /* the offsets up to the send queue (empty: len == end == 0) */
		memcpy(f, &tcb_flight_idle, offsetof(struct tcb_flight, sndq));
}

/* The send side is idle: nothing queued, SND.UNA at snd_max (so SND.NXT
 * too, and every offset clamped to 0), no FIN waiting to go.  A FIN sent
 * and acked, one never asked for, or one a closed connection will never
 * send (tcb_done) needs nothing. */
void tcb_flight_trim_held(struct keel *k, struct tcp_tcb *t)
{
	struct tcb_flight *f = &k->tcp.flight.f[t->flight];
	if (f->sndq.len != 0 || f->max_off != 0 ||
	    ((t->flags & (TCB_F_FIN_WANT | TCB_F_FIN_SENT)) == TCB_F_FIN_WANT && t->state != TCP_CLOSED))
		return;
	send_side_idle(k, t, f);
}

/* tcb_done: nothing will be sent again, and the write and out-of-order
 * queues are purged, as Linux's tcp_done; unread bytes stay for the
 * application, and the entry with them. */
void tcb_flight_done(struct keel *k, struct tcp_tcb *t)
{
	if (t->flight == TCP_NONE)
		return;
	struct tcb_flight *f = &k->tcp.flight.f[t->flight];
	(void)chunkq_clear(&f->sndq, &k->tcp.chunks);
	(void)chunkq_truncate(&f->rcvq, &k->tcp.chunks, f->rcvq.len);
	send_side_idle(k, t, f);
}
