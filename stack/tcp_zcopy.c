/* Zero-copy reading (<keel/tcp.h>): the application sees the receive ring
 * itself.  Discard drops bytes without copying them; echo moves them from
 * the receive ring to the send ring with one copy (lwIP's raw API gives its
 * apps the pbufs the same way).  Window updates follow tcp_recv's rule
 * (tcp_rcv.c), so the peer sees the same windows whichever call read. */
#include <string.h>
#include "tcp_internal.h"

/* A readable connection: the TCB, or *ret holds what tcp_recv would
 * return when nothing can be read (0 at end of stream, or an error). */
static struct tcp_tcb *readable(struct keel *k, int s, int *ret)
{
	struct tcp_tcb *t = tcb_from_handle(k, s);
	if (!t) {
		*ret = listen_from_handle(k, s) ? KEEL_EINVAL : KEEL_EBADF;
		return NULL;
	}
	if (t->rcv_len > 0)
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

/* Drops n (<= rcv_len) bytes from the head of the receive ring. */
static void ring_drop(struct tcp_tcb *t, uint16_t n)
{
	t->rcv_head = (uint16_t)((t->rcv_head + n) & TCP_RCVMASK);
	t->rcv_len = (uint16_t)(t->rcv_len - n);
}

int keel_tcp_recv_peek(struct keel *k, int s, const uint8_t **p)
{
	int ret;
	struct tcp_tcb *t = readable(k, s, &ret);
	if (!t)
		return ret;
	uint16_t first = (uint16_t)(KEEL_TCP_RCVBUF - t->rcv_head);
	*p = t->rcvbuf + t->rcv_head;
	return first < t->rcv_len ? first : t->rcv_len;
}

int keel_tcp_recv_consume(struct keel *k, int s, size_t n)
{
	int ret;
	struct tcp_tcb *t = readable(k, s, &ret);
	if (!t)
		return ret;
	uint16_t m = n < t->rcv_len ? (uint16_t)n : t->rcv_len;
	ring_drop(t, m);
	tcp_rcv_window_update(k, t);
	return m;
}

/* Copies n bytes from the head of from's receive ring to the tail of to's
 * send ring: at most three memcpy, as both rings may wrap. */
static void ring_move(struct tcp_tcb *from, struct tcp_tcb *to, uint16_t n)
{
	uint16_t rd = from->rcv_head;
	uint16_t wr = (uint16_t)((to->snd_head + to->snd_len) & TCP_SNDMASK);
	while (n > 0) {
		uint16_t c = n;
		if (c > KEEL_TCP_RCVBUF - rd)
			c = (uint16_t)(KEEL_TCP_RCVBUF - rd);
		if (c > KEEL_TCP_SNDBUF - wr)
			c = (uint16_t)(KEEL_TCP_SNDBUF - wr);
		memcpy(to->sndbuf + wr, from->rcvbuf + rd, c);
		rd = (uint16_t)((rd + c) & TCP_RCVMASK);
		wr = (uint16_t)((wr + c) & TCP_SNDMASK);
		n = (uint16_t)(n - c);
	}
}

int keel_tcp_splice(struct keel *k, int from, int to, size_t max)
{
	int ret;
	struct tcp_tcb *t = tcb_from_handle(k, to);
	if (!t)
		return listen_from_handle(k, to) ? KEEL_EINVAL : KEEL_EBADF;
	struct tcp_tcb *f = readable(k, from, &ret);
	if (!f)
		return ret;
	ret = tcb_send_check(t);
	if (ret)
		return ret;
	uint16_t n = (uint16_t)(KEEL_TCP_SNDBUF - t->snd_len);
	if (n > f->rcv_len)
		n = f->rcv_len;
	if (n > max)
		n = (uint16_t)max;
	if (n == 0)
		return KEEL_EWOULDBLOCK;
	ring_move(f, t, n);
	t->snd_len = (uint16_t)(t->snd_len + n);
	ring_drop(f, n);
	if (f == t) {
		/* Echo: the window update rides on the data segment when
		 * there is one; tcp_output sends a bare ACK otherwise. */
		if (tcp_rcv_window_update_due(f))
			f->flags |= TCB_F_ACK_NOW;
	} else {
		tcp_rcv_window_update(k, f);
	}
	tcp_output(k, t);
	return n;
}
