/* Listeners: the LISTEN state (RFC 9293 §3.10.7.2), SYN admission (Linux
 * tcp_conn_request: one place decides), and the accept queue, which only
 * this file changes.  Finding a listener is tcp_listen_table.c. */
#include <string.h>
#include "tcp_internal.h"
#include "isn.h"

/* Linux sk_acceptq_is_full(): queued > backlog, so backlog + 1
 * connections fit (listen(fd, 0) still takes one). */
int acceptq_full(const struct tcp_listener *l)
{
	return l->acceptq_len > l->backlog;
}

void acceptq_push(struct keel *k, struct tcp_listener *l, struct tcp_tcb *t)
{
	uint16_t idx = (uint16_t)(t - k->tcp.tcbs);
	t->flags |= TCB_F_ACCEPTQ;
	t->listener = (uint8_t)listen_index(k, l);
	t->next = TCP_NONE;
	if (l->acceptq_tail == TCP_NONE)
		l->acceptq_head = idx;
	else
		k->tcp.tcbs[l->acceptq_tail].next = idx;
	l->acceptq_tail = idx;
	l->acceptq_len++;
	k->tcp.accept_ready++;
}

void acceptq_unlink(struct keel *k, struct tcp_tcb *t)
{
	if (!(t->flags & TCB_F_ACCEPTQ) || t->listener >= KEEL_TCP_MAX_LISTEN)
		return;
	struct tcp_listener *l = &k->tcp.listeners[t->listener];
	uint16_t idx = (uint16_t)(t - k->tcp.tcbs);
	uint16_t prev = TCP_NONE, cur = l->acceptq_head;
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
			if (k->tcp.accept_ready > 0)
				k->tcp.accept_ready--;
			break;
		}
		prev = cur;
		cur = k->tcp.tcbs[cur].next;
	}
	t->flags &= (uint16_t)~TCB_F_ACCEPTQ;
	t->next = TCP_NONE;
}

/* The TCB for a completed handshake described by e (a SYN-queue entry or
 * one rebuilt from a cookie), queued for accept; NULL (counted) when the
 * accept queue is full or no TCB is free.  The caller then hands the ACK
 * to fsm_input for any data or FIN it carries. */
struct tcp_tcb *listen_child(struct keel *k, struct tcp_listener *l, const struct tcp_synq_entry *e,
			     const struct tcp_seg *s)
{
	if (acceptq_full(l)) {
		k->tcp.mib.listen_overflows++;
		k->tcp.mib.listen_drops++;
		return NULL;
	}
	struct tcp_tcb *t = tcb_new_passive(k, e, s, synq_rcv_wnd(k));
	if (!t) {
		k->tcp.mib.listen_drops++;          /* Linux: syn_recv_sock failed */
		return NULL;
	}
	k->tcp.mib.passive_opens++;
	acceptq_push(k, l, t);
	return t;
}

/* The SYN-ACK for a SYN answered with a cookie (Linux cookie_v4_init_sequence):
 * no state is kept beyond the listener's "cookies sent recently" stamp.
 * The MSS we advertise is ours; the one we will use is what the cookie
 * encodes: the largest table entry <= the peer's MSS (536 when it sent
 * none; as Linux, 536 even for a peer that asked for less). */
static void listen_send_cookie(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s)
{
	struct tcp_stack *ts = &k->tcp;
	struct tcp_synq_entry e;   /* never in the pool: only describes the SYN-ACK */
	memset(&e, 0, sizeof(e));
	e.tuple = tcp_seg_tuple(s);
	e.irs = s->seq;
	e.flags = SYNQ_F_COOKIE;
	/* The options live only in TSval's low bits: without timestamps a
	 * cookie connection has none (Linux cookie_init_timestamp). */
	uint8_t on = optneg_agree(k, s);
	e.opts = (on & TCP_OPTF_TS) ? on : 0u;
	e.peer_shift = s->wscale;
	e.ts_recent = s->tsval;
	syncookie_maybe_rotate(&ts->cookies, k->now_ms);   /* ticks may lag */
	e.iss = syncookie_make(&ts->cookies, s->saddr, s->sport, s->daddr, s->dport, s->seq,
			       tcp_clamp_mss(s->mss), k->now_ms, NULL);
	synq_send_synack(k, &e);
	l->cookie_sent = 1;
	l->cookie_ms = k->now_ms;
	ts->mib.syncookies_sent++;
}

/* SYN admission, in one place (Linux tcp_conn_request):
 *   SYN queue full (this listener's half-open >= backlog, or all entries
 *   >= tcp_max_syn_backlog), or tcp_syncookies = 2:
 *       tcp_syncookies 0 -> drop: ReqQFullDrop, ListenDrops
 *       else             -> answer with a cookie (below)
 *   accept queue full -> drop: ListenOverflows, ListenDrops.  Even when a
 *       cookie would apply: the connection could not be queued when its
 *       ACK came back either, so Linux spends no SYN-ACK on it; the peer's
 *       SYN retransmit tries again once the application has accepted.
 *   cookie -> SYN-ACK with a cookie ISN, no state (SyncookiesSent)
 *   else   -> a SYN-queue entry and a SYN-ACK.
 * A SYN that took over a TIME_WAIT 4-tuple (tw_isn != 0) never gets a
 * cookie (its ISN is fixed) and, as Linux, ignores the per-listener
 * bound; it still needs a free entry under tcp_max_syn_backlog. */
void listen_syn(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s, uint32_t tw_isn)
{
	struct tcp_stack *ts = &k->tcp;
	unsigned mode = ts->sysctl.tcp_syncookies;
	unsigned max = ts->sysctl.tcp_max_syn_backlog;
	if (max > KEEL_SYN_BACKLOG)
		max = KEEL_SYN_BACKLOG;
	int pool_full = ts->pool[TCP_POOL_SYN_QUEUE].in_use >= max;
	int want_cookie = 0;
	if (!tw_isn && (mode == 2 || l->synq_len >= l->backlog || pool_full)) {
		if (mode == 0) {
			ts->mib.req_q_full_drop++;
			ts->mib.listen_drops++;
			return;
		}
		want_cookie = 1;
	}
	if (acceptq_full(l)) {
		ts->mib.listen_overflows++;
		ts->mib.listen_drops++;
		return;
	}
	if (want_cookie) {
		listen_send_cookie(k, l, s);
		return;
	}
	struct tcp_synq_entry *e = pool_full ? NULL : synq_alloc(k, l, s);
	if (!e) {
		ts->mib.req_q_full_drop++;
		ts->mib.listen_drops++;
		return;
	}
	e->irs = s->seq;
	e->iss = tw_isn;
	if (!tw_isn)
		e->iss = tcp_isn_for(k, s->daddr, s->dport, s->saddr, s->sport);
	e->mss = tcp_clamp_mss(s->mss);
	e->opts = optneg_agree(k, s);
	e->peer_shift = s->wscale;
	e->ts_recent = s->tsval;
	e->due = k->now_ms + TCP_RTO_INIT_MS;
	wheel_file_lazy(k, synq_timer_id(k, e), e->due);
	synq_send_synack(k, e);
}

/* A bare ACK (no SYN, no RST) at a listener with no SYN-queue entry: is it
 * the return of one of our cookies?  (Linux cookie_v4_check.)  Checked
 * only when tcp_syncookies != 0 and this listener sent a cookie within
 * TCP_SYNCOOKIE_VALID_MS (tcp_synq_no_recent_overflow), so an ACK flood
 * at a quiet listener cannot guess at cookies.  Returns 0 when the segment
 * was taken (*child: the connection made, or NULL: dropped on overflow),
 * -1 for "not a cookie": the caller answers as to any stray ACK. */
static int listen_cookie_ack(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s,
			     struct tcp_tcb **child)
{
	struct tcp_stack *ts = &k->tcp;
	if (ts->sysctl.tcp_syncookies == 0 || !l->cookie_sent)
		return -1;
	if ((uint32_t)(k->now_ms - l->cookie_ms) >= TCP_SYNCOOKIE_VALID_MS) {
		l->cookie_sent = 0;      /* also keeps the stamp from aliasing after 49 days */
		return -1;
	}
	uint16_t mss;
	uint8_t on, peer_shift;
	syncookie_maybe_rotate(&ts->cookies, k->now_ms);
	if (syncookie_check(&ts->cookies, s->saddr, s->sport, s->daddr, s->dport, s->seq - 1u,
			    s->ack - 1u, k->now_ms, &mss) != 0) {
		ts->mib.syncookies_failed++;
		return -1;
	}
	if (optneg_cookie_decode(k, s, &on, &peer_shift) != 0) {
		ts->mib.syncookies_failed++;
		return -1;
	}
	ts->mib.syncookies_recv++;
	struct tcp_synq_entry e;
	memset(&e, 0, sizeof(e));
	e.tuple = tcp_seg_tuple(s);
	e.irs = s->seq - 1u;
	e.iss = s->ack - 1u;
	e.mss = mss < TCP_MSS_OURS ? mss : TCP_MSS_OURS;
	e.opts = on;
	e.peer_shift = peer_shift;
	e.ts_recent = s->tsval;
	/* Accept queue full: ListenOverflows and the ACK is dropped, without
	 * RST even under tcp_abort_on_overflow (Linux tcp_v4_syn_recv_sock
	 * fails, cookie_v4_check returns NULL, the segment is discarded).
	 * The peer's retransmission is checked again. */
	*child = listen_child(k, l, &e, s);
	return 0;
}

/* LISTEN (RFC 9293 §3.10.7.2; where it leaves room, as Linux):
 *   RST                    -> ignore
 *   ACK without SYN        -> a returning SYN cookie? (above) connection:
 *                             TCP_V_CHILD, *child made (the caller hands
 *                             it the ACK: data or FIN on it are taken too);
 *                             failed -> SyncookiesFailed and, as any
 *                             other ACK, TCP_V_RST (<SEQ=SEG.ACK><RST>)
 *   SYN+ACK                -> TCP_V_RST
 *   SYN (no FIN)           -> admission, SYN-ACK; data on the SYN is not
 *                             acknowledged (the peer resends it)
 *   anything else          -> drop */
enum tcp_verdict listen_input(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s,
			      struct tcp_tcb **child)
{
	*child = NULL;
	if (s->flags & TCP_RST)
		return TCP_V_NONE;
	if (s->flags & TCP_ACK) {
		if ((s->flags & TCP_SYN) || listen_cookie_ack(k, l, s, child) != 0)
			return TCP_V_RST;
		return *child ? TCP_V_CHILD : TCP_V_NONE;
	}
	if (!(s->flags & TCP_SYN) || (s->flags & TCP_FIN))
		return TCP_V_NONE;   /* Linux drops SYN+FIN too */
	listen_syn(k, l, s, 0);
	return TCP_V_NONE;
}

int keel_tcp_listen(struct keel *k, uint16_t port, int backlog)
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
		if (l->used || l->gen == 0)
			continue;                /* in use, or retired (gen 0) */
		uint32_t gen = l->gen;
		memset(l, 0, sizeof(*l));
		l->gen = gen;
		l->used = 1;
		l->port = port;
		l->backlog = (uint16_t)backlog;
		l->acceptq_head = l->acceptq_tail = TCP_NONE;
		listen_hash(k, l);
		pool_take(k, TCP_POOL_LISTEN);
		return tcp_handle_make(KEEL_TCP_MAX_CONN + i, gen);
	}
	return KEEL_ENOMEM;
}

int keel_tcp_accept_pending(const struct keel *k)
{
	return k->tcp.accept_ready != 0;
}

int keel_tcp_accept(struct keel *k, int listener)
{
	struct tcp_listener *l = listen_from_handle(k, listener);
	if (!l)
		return tcp_handle_err(k, listener);
	if (l->acceptq_head == TCP_NONE)
		return KEEL_EWOULDBLOCK;
	struct tcp_tcb *t = &k->tcp.tcbs[l->acceptq_head];
	acceptq_unlink(k, t);
	t->listener = TCP_NO_LISTENER;
	return tcb_handle(k, t);
}

/* Closing a listener: half-open entries go silently, connections not yet
 * accepted are reset (Linux inet_csk_listen_stop). */
void listen_close(struct keel *k, struct tcp_listener *l)
{
	synq_drop_listener(k, l);
	for (unsigned n = 0; n < KEEL_TCP_MAX_CONN && l->acceptq_head != TCP_NONE; n++) {
		struct tcp_tcb *t = &k->tcp.tcbs[l->acceptq_head];
		acceptq_unlink(k, t);
		if (t->state != TCP_CLOSED && t->state != TCP_LAST_ACK && t->state != TCP_CLOSING)
			tcp_send_active_rst(k, t);
		tcb_set_state(k, t, TCP_CLOSED);
		tcb_free(k, t);
	}
	listen_unhash(k, l);
	l->used = 0;
	if (l->gen >= TCP_H_GEN_MAX) {
		l->gen = 0;                  /* retired: its generations are spent */
		k->tcp.listeners_retired++;
	} else {
		l->gen++;
	}
	pool_give(k, TCP_POOL_LISTEN);
}
