/* Listeners: the LISTEN state (RFC 9293 §3.10.7.2), SYN admission (Linux
 * tcp_conn_request: one place decides), and the accept queue. */
#include <string.h>
#include "tcp_internal.h"
#include "isn.h"

struct tcp_listener *listen_lookup(struct keel *k, uint16_t port)
{
	for (unsigned i = 0; i < KEEL_TCP_MAX_LISTEN; i++) {
		struct tcp_listener *l = &k->tcp.listeners[i];
		if (l->used && l->port == port)
			return l;
	}
	return NULL;
}

int listen_index(struct keel *k, const struct tcp_listener *l)
{
	return (int)(l - k->tcp.listeners);
}

/* Linux sk_acceptq_is_full(): queued > backlog, so backlog + 1
 * connections fit (listen(fd, 0) still takes one). */
int acceptq_full(const struct tcp_listener *l)
{
	return l->acceptq_len > l->backlog;
}

void acceptq_push(struct keel *k, struct tcp_listener *l, struct tcp_tcb *t)
{
	uint8_t idx = (uint8_t)(t - k->tcp.tcbs);
	t->flags |= TCB_F_ACCEPTQ;
	t->listener = (uint8_t)listen_index(k, l);
	t->next = TCP_NONE;
	if (l->acceptq_tail == TCP_NONE)
		l->acceptq_head = idx;
	else
		k->tcp.tcbs[l->acceptq_tail].next = idx;
	l->acceptq_tail = idx;
	l->acceptq_len++;
}

void acceptq_unlink(struct keel *k, struct tcp_tcb *t)
{
	if (!(t->flags & TCB_F_ACCEPTQ) || t->listener >= KEEL_TCP_MAX_LISTEN)
		return;
	struct tcp_listener *l = &k->tcp.listeners[t->listener];
	uint8_t idx = (uint8_t)(t - k->tcp.tcbs);
	uint8_t prev = TCP_NONE, cur = l->acceptq_head;
	for (unsigned n = 0; n < KEEL_TCP_MAX_CONN && cur != TCP_NONE; n++) {
		if (cur == idx) {
			if (prev == TCP_NONE)
				l->acceptq_head = t->next;
			else
				k->tcp.tcbs[prev].next = t->next;
			if (l->acceptq_tail == idx)
				l->acceptq_tail = prev;
			if (l->acceptq_len > 0)
				l->acceptq_len--;
			break;
		}
		prev = cur;
		cur = k->tcp.tcbs[cur].next;
	}
	t->flags &= (uint16_t)~TCB_F_ACCEPTQ;
	t->next = TCP_NONE;
}

/* SYN admission (Linux tcp_conn_request):
 *   SYN queue full (this listener's half-open >= backlog, or all entries
 *   >= tcp_max_syn_backlog) -> [SYN-cookie seam] drop: ReqQFullDrop,
 *   ListenDrops;  accept queue full -> drop: ListenOverflows, ListenDrops;
 *   else a SYN-queue entry and a SYN-ACK. */
static void listen_syn(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s)
{
	struct tcp_stack *ts = &k->tcp;
	unsigned max = ts->sysctl.tcp_max_syn_backlog;
	if (max > KEEL_SYN_BACKLOG)
		max = KEEL_SYN_BACKLOG;
	if (l->synq_len >= l->backlog || ts->pool[TCP_POOL_SYN_QUEUE].in_use >= max) {
		/* SYN cookies (tcp_syncookies 1 here, 2 always) go in here:
		 * answer with syncookie_make()'s ISN and keep no state. */
		ts->mib.req_q_full_drop++;
		ts->mib.listen_drops++;
		return;
	}
	if (acceptq_full(l)) {
		ts->mib.listen_overflows++;
		ts->mib.listen_drops++;
		return;
	}
	struct tcp_synq_entry *e = synq_alloc(k, l);
	if (!e) {
		ts->mib.req_q_full_drop++;
		ts->mib.listen_drops++;
		return;
	}
	e->laddr = s->daddr;
	e->raddr = s->saddr;
	e->lport = s->dport;
	e->rport = s->sport;
	e->irs = s->seq;
	e->iss = tcp_isn(ts->isn_key, s->daddr, s->dport, s->saddr, s->sport, k->now_ms);
	e->mss = tcp_clamp_mss(s->mss);
	e->deadline = k->now_ms + TCP_RTO_INIT_MS;
	synq_send_synack(k, e);
}

/* LISTEN (RFC 9293 §3.10.7.2 and the notes' rules):
 *   RST                    -> ignore
 *   ACK (incl. SYN+ACK)    -> [SYN-cookie check seam] <SEQ=SEG.ACK><RST>
 *   SYN (no FIN)           -> admission, SYN-ACK; data on the SYN is not
 *                             acknowledged (the peer resends it)
 *   anything else          -> drop */
void listen_input(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s)
{
	if (s->flags & TCP_RST)
		return;
	if (s->flags & TCP_ACK) {
		/* A bare ACK here is where a SYN cookie would be checked. */
		tcp_send_rst_reply(k, s);
		return;
	}
	if (!(s->flags & TCP_SYN) || (s->flags & TCP_FIN))
		return;   /* Linux drops SYN+FIN too */
	listen_syn(k, l, s);
}

int tcp_listen(struct keel *k, uint16_t port, int backlog)
{
	if (port == 0)
		return KEEL_EINVAL;   /* keel has no bind: a listener needs a port */
	if (listen_lookup(k, port))
		return KEEL_EADDRINUSE;
	/* Linux: (unsigned)backlog > somaxconn -> somaxconn, so a negative
	 * backlog means the maximum; 0 stays 0 (one connection still fits). */
	if (backlog < 0 || backlog > TCP_SOMAXCONN)
		backlog = TCP_SOMAXCONN;
	for (unsigned i = 0; i < KEEL_TCP_MAX_LISTEN; i++) {
		struct tcp_listener *l = &k->tcp.listeners[i];
		if (l->used)
			continue;
		uint16_t gen = tcp_gen_next(l->gen);
		memset(l, 0, sizeof(*l));
		l->gen = gen;
		l->used = 1;
		l->port = port;
		l->backlog = (uint16_t)backlog;
		l->acceptq_head = l->acceptq_tail = TCP_NONE;
		pool_take(k, TCP_POOL_LISTEN);
		return tcp_handle_make(i, gen, 1);
	}
	return KEEL_ENOMEM;
}

struct tcp_listener *listen_from_handle(struct keel *k, int h)
{
	if (h < 0 || !(h & TCP_H_LISTEN))
		return NULL;
	unsigned idx = (unsigned)h & 0xffu;
	if (idx >= KEEL_TCP_MAX_LISTEN)
		return NULL;
	struct tcp_listener *l = &k->tcp.listeners[idx];
	if (!l->used || ((unsigned)h >> 9) != l->gen)
		return NULL;
	return l;
}

int tcp_accept(struct keel *k, int listener)
{
	struct tcp_listener *l = listen_from_handle(k, listener);
	if (!l)
		return tcb_from_handle(k, listener) ? KEEL_EINVAL : KEEL_EBADF;
	if (l->acceptq_head == TCP_NONE)
		return KEEL_EWOULDBLOCK;
	struct tcp_tcb *t = &k->tcp.tcbs[l->acceptq_head];
	acceptq_unlink(k, t);
	t->listener = TCP_NONE;
	return tcb_handle(k, t);
}

/* Closing a listener: half-open entries go silently, connections not yet
 * accepted are reset (Linux inet_csk_listen_stop). */
void listen_close(struct keel *k, struct tcp_listener *l)
{
	unsigned idx = (unsigned)listen_index(k, l);
	synq_drop_listener(k, idx);
	for (unsigned n = 0; n < KEEL_TCP_MAX_CONN && l->acceptq_head != TCP_NONE; n++) {
		struct tcp_tcb *t = &k->tcp.tcbs[l->acceptq_head];
		acceptq_unlink(k, t);
		if (t->state != TCP_CLOSED && t->state != TCP_LAST_ACK && t->state != TCP_CLOSING)
			tcp_send_active_rst(k, t);
		tcb_set_state(k, t, TCP_CLOSED);
		tcb_free(k, t);
	}
	l->used = 0;
	l->gen = tcp_gen_next(l->gen);
	pool_give(k, TCP_POOL_LISTEN);
}
