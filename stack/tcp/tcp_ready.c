/* The ready queue: connections that may have new events for the
 * application (a segment arrived, a timer fired) since it last looked.
 * The application drains it instead of polling every connection, so its
 * work per frame follows the traffic, not the number of connections (the
 * role of Linux's epoll ready list).  Links live beside the pool, not in
 * the TCB, so an entry freed and reused while queued stays linked once. */
#include "tcp_internal.h"

#define READY_OFF 0xfffeu          /* not queued (TCP_NONE ends the queue) */

void ready_init(struct keel *k)
{
	struct tcp_stack *ts = &k->tcp;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++)
		ts->ready_next[i] = READY_OFF;
	ts->ready_head = ts->ready_tail = TCP_NONE;
}

void tcb_mark_ready(struct keel *k, const struct tcp_tcb *t)
{
	struct tcp_stack *ts = &k->tcp;
	uint16_t i = (uint16_t)(t - ts->tcbs);
	if (ts->ready_next[i] != READY_OFF)
		return;                        /* queued already */
	ts->ready_next[i] = TCP_NONE;
	if (ts->ready_tail == TCP_NONE)
		ts->ready_head = i;
	else
		ts->ready_next[ts->ready_tail] = i;
	ts->ready_tail = i;
}

int keel_tcp_ready_next(struct keel *k)
{
	struct tcp_stack *ts = &k->tcp;
	uint16_t i = ts->ready_head;
	if (i == TCP_NONE)
		return -1;
	ts->ready_head = ts->ready_next[i];
	if (ts->ready_head == TCP_NONE)
		ts->ready_tail = TCP_NONE;
	ts->ready_next[i] = READY_OFF;
	return i;
}

int keel_tcp_ready_pending(const struct keel *k)
{
	return k->tcp.ready_head != TCP_NONE;
}

int keel_tcp_index(struct keel *k, int s)
{
	struct tcp_tcb *t = tcb_from_handle(k, s);
	return t ? (int)(t - k->tcp.tcbs) : -1;
}
