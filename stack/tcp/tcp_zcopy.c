/* Zero-copy reading (<keel/tcp.h>): the application sees the receive queue's
 * chunks themselves, one chunk's bytes per peek (the next peek, after a
 * consume, gives the next chunk).  Discard drops bytes without copying
 * them; echo moves them from the receive queue to the send queue, whole
 * chunks without a copy and the rest with one (lwIP's raw API gives its
 * apps the pbufs the same way).  Window updates follow tcp_recv's rule
 * (tcp_rcv.c), so the peer sees the same windows whichever call read. */
#include <string.h>
#include "tcp_internal.h"

/* t if it has bytes to read, else NULL and *ret holds what tcp_recv would
 * return (0 at end of stream, or an error). */
static struct tcp_tcb *has_data(const struct keel *k, struct tcp_tcb *t, int *ret)
{
	if (tcb_rcvq(k, t)->len > 0)
		return t;
	if (t->err) {
		*ret = t->err;
		t->err = 0;
	} else if ((t->flags & TCB_F_FIN_RCVD) || t->state == TCP_CLOSED) {
		*ret = 0;                      /* end of stream */
	} else {
		*ret = KEEL_EWOULDBLOCK;
	}
	return NULL;
}

/* A readable connection: the TCB, or *ret holds what tcp_recv would
 * return when nothing can be read. */
static struct tcp_tcb *readable(struct keel *k, int s, int *ret)
{
	struct tcp_tcb *t = tcb_from_handle(k, s);
	if (!t) {
		*ret = tcp_handle_err(k, s);
		return NULL;
	}
	return has_data(k, t, ret);
}

int keel_tcp_recv_peek(struct keel *k, int s, const uint8_t **p)
{
	int ret;
	struct tcp_tcb *t = readable(k, s, &ret);
	if (!t)
		return ret;
	uint8_t *at;
	uint32_t n = chunkq_span(tcb_rcvq(k, t), &k->tcp.chunks, 0, &at);
	*p = at;
	return (int)n;
}

int keel_tcp_recv_consume(struct keel *k, int s, size_t n)
{
	int ret;
	struct tcp_tcb *t = readable(k, s, &ret);
	if (!t)
		return ret;
	struct chunkq *q = tcb_rcvq_w(k, t);
	uint32_t m = chunkq_drop(q, &k->tcp.chunks, n < q->len ? (uint32_t)n : q->len);
	tcp_window_update(k, t);           /* the entry may go (tcp_flight.h) */
	return (int)m;
}

int keel_tcp_splice(struct keel *k, int from, int to, size_t max)
{
	int ret;
	struct tcp_tcb *t = tcb_from_handle(k, to);
	if (!t)
		return tcp_handle_err(k, to);
	/* Echo (from == to): the handle was just checked. */
	struct tcp_tcb *f = from == to ? has_data(k, t, &ret) : readable(k, from, &ret);
	if (!f)
		return ret;
	ret = tcb_send_check(t);
	if (ret)
		return ret;
	uint32_t n = mem_snd_room(k, t);      /* the pool's limit: chunkq_move */
	uint32_t have = tcb_rcvq(k, f)->len;
	if (n < have && n < max)
		t->mflags |= TCB_M_SND_FULL;        /* the send budget may grow */
	if (n > have)
		n = have;
	if (n > max)
		n = (uint32_t)max;
	if (n == 0 || !tcb_flight_take(k, t))
		return KEEL_EWOULDBLOCK;           /* no room, or the flight pool is empty (tcp_flight.h) */
	/* Whole chunks change queues; partial ones are copied and given back
	 * as they empty (chunkq_move). */
	struct chunkq *q = tcb_sndq_w(k, t);
	n = chunkq_move(q, tcb_rcvq_w(k, f), &k->tcp.chunks, n, mem_chunks_allowed(k, t, q, k->tcp.sysctl.tcp_wmem[0]));
	mem_update(k);
	if (n == 0) {
		tcb_flight_trim(k, t);             /* nothing queued after all */
		return KEEL_EWOULDBLOCK;
	}
	t->dflags &= (uint8_t)~TCB_D_MORE_TAIL;    /* a plain write: PSH at its end */
	if (f == t) {
		/* Echo: the window update rides on the data segment when
		 * there is one; tcp_output sends a bare ACK otherwise. */
		mem_rcv_read(k, f);
		if (tcp_rcv_window_update_due(k, f))
			f->flags |= TCB_F_ACK_NOW;
	} else {
		tcp_window_update(k, f);
	}
	tcp_output(k, t);
	return (int)n;     /* <= a queue's length (qlen_t) */
}
