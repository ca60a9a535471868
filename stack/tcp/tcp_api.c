/* The application's calls (<keel/tcp.h>).  Every call validates its handle
 * first; a wrong kind of handle is EINVAL, a dead one EBADF. */
#include <string.h>
#include "tcp_internal.h"
#include "isn.h"

/* The handle is a live connection; else the error to return. */
static struct tcp_tcb *conn_or_err(struct keel *k, int h, int *err)
{
	struct tcp_tcb *t = tcb_from_handle(k, h);
	if (!t)
		*err = tcp_handle_err(k, h);
	return t;
}

/* Can an active open use this 4-tuple?  1 if something holds it.  A
 * TIME_WAIT entry that tcp_tw_reuse lets us take over (tw_reuse_ok, in
 * tcp_timewait.c) does not count: *reuse gets it, the caller recycles it
 * once the connection is sure to be made. */
static int tuple_in_use(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport,
			struct tcp_tw_entry **reuse)
{
	*reuse = NULL;
	if (tcb_lookup(k, raddr, rport, lport) || synq_lookup(k, raddr, rport, lport) ||
	    listen_lookup(k, lport))
		return 1;
	struct tcp_tw_entry *w = tw_lookup(k, raddr, rport, lport);
	if (!w)
		return 0;
	if (!tw_reuse_ok(k, w))
		return 1;
	*reuse = w;
	return 0;
}

/* Ephemeral port (Linux __inet_hash_connect): the next port whose 4-tuple
 * is free or, under tcp_tw_reuse = 1, held by a reusable TIME_WAIT entry;
 * with reuse off a port in TIME_WAIT is skipped. */
static int pick_port(struct keel *k, uint32_t dst, uint16_t dport, struct tcp_tw_entry **reuse)
{
	const unsigned range = TCP_EPHEMERAL_HI - TCP_EPHEMERAL_LO + 1u;
	for (unsigned n = 0; n < 256; n++) {
		uint16_t p = k->tcp.ephemeral_next;
		if (p < TCP_EPHEMERAL_LO || p > TCP_EPHEMERAL_HI)
			p = TCP_EPHEMERAL_LO;
		k->tcp.ephemeral_next = (uint16_t)(TCP_EPHEMERAL_LO + (p - TCP_EPHEMERAL_LO + 1u) % range);
		if (!tuple_in_use(k, dst, dport, p, reuse))
			return p;
	}
	return 0;
}

/* Active open (RFC 9293 §3.10.1): SYN now, SYN_SENT; ESTABLISHED once
 * our ACK of the SYN-ACK is sent. */
int keel_tcp_connect(struct keel *k, uint32_t dst, uint16_t dport, uint16_t sport)
{
	if (dst == 0 || dport == 0 || k->ifc.addr == 0 || ipv4_is_multicast(dst) ||
	    ipv4_is_broadcast(k, dst) || dst == k->ifc.addr)
		return KEEL_EINVAL;
	struct tcp_tw_entry *reuse;
	if (sport == 0) {
		int p = pick_port(k, dst, dport, &reuse);
		if (p == 0)
			return KEEL_EADDRINUSE;
		sport = (uint16_t)p;
	} else if (tuple_in_use(k, dst, dport, sport, &reuse)) {
		return KEEL_EADDRINUSE;
	}
	struct tcp_tuple tu = { .laddr = k->ifc.addr, .raddr = dst, .lport = sport, .rport = dport };
	/* Under tcp_tw_reuse, beyond the old incarnation's sequence space. */
	uint32_t iss = reuse ? tw_next_isn(reuse)
			     : tcp_isn_for(k, tu.laddr, sport, dst, dport);
	struct tcp_tcb *t = tcb_new_active(k, &tu, iss);
	if (!t)
		return KEEL_ENOMEM;
	if (reuse) {
		/* PAWS from the first segment: the old TS.Recent carries over
		 * (Linux tcp_twsk_unique); then the old TIME_WAIT goes
		 * (TWRecycled, as Linux counts tcp_tw_reuse). */
		t->ts_recent = reuse->ts_recent;
		t->flags |= TCB_F_TS_OLD;
		tw_recycle(k, reuse);
	}
	k->tcp.mib.active_opens++;
	tcp_send_syn(k, t);
	tcp_rtx_arm(k, t);
	return tcb_handle(k, t);
}

/* Whether t may queue data now: 0, or what tcp_send returns instead (a
 * pending error once, then EPIPE after shutdown, reset or close). */
int tcb_send_check(struct tcp_tcb *t)
{
	if (t->err) {
		int err = t->err;
		t->err = 0;
		return err;
	}
	switch (t->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		return KEEL_EINPROGRESS;
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		return (t->flags & TCB_F_FIN_WANT) ? KEEL_EPIPE : 0;
	default:
		return KEEL_EPIPE;
	}
}

static int send_common(struct keel *k, int s, const void *buf, size_t len, int more)
{
	int err;
	struct tcp_tcb *t = conn_or_err(k, s, &err);
	if (!t)
		return err;
	if (!buf && len > 0)
		return KEEL_EINVAL;
	err = tcb_send_check(t);
	if (err)
		return err;
	if (len == 0)
		return 0;
	/* As much as the send budget and the pool allow (tcp_mem.c). */
	uint32_t room = mem_snd_space(k, t);
	if (len > mem_snd_room(k, t))
		t->mflags |= TCB_M_SND_FULL;       /* the budget was the limit: it may grow */
	if (room == 0)
		return KEEL_EWOULDBLOCK;
	if (!tcb_flight_take(k, t))
		return KEEL_EWOULDBLOCK;           /* the flight pool is empty (tcp_flight.h) */
	uint32_t n = len < room ? (uint32_t)len : room;
	struct chunkq *q = tcb_sndq_w(k, t);
	n = chunkq_put(q, &k->tcp.chunks, buf, n, mem_chunks_allowed(k, t, q, k->tcp.sysctl.tcp_wmem[0]));
	mem_update(k);
	if (n == 0) {
		tcb_flight_trim(k, t);             /* nothing queued after all */
		return KEEL_EWOULDBLOCK;
	}
	/* MSG_MORE: TCP_NAGLE_CORK for this push only, and no PSH on the tail
	 * until a plain write or the persist timer pushes it (Linux tcp_push). */
	if (more)
		t->dflags |= TCB_D_MORE | TCB_D_MORE_TAIL;
	else
		t->dflags &= (uint8_t)~TCB_D_MORE_TAIL;
	tcp_output(k, t);
	t->dflags &= (uint8_t)~TCB_D_MORE;
	return (int)n;
}

int keel_tcp_send(struct keel *k, int s, const void *buf, size_t len)
{
	return send_common(k, s, buf, len, 0);
}

int keel_tcp_send_more(struct keel *k, int s, const void *buf, size_t len)
{
	return send_common(k, s, buf, len, 1);
}

int keel_tcp_recv(struct keel *k, int s, void *buf, size_t cap)
{
	int err;
	struct tcp_tcb *t = conn_or_err(k, s, &err);
	if (!t)
		return err;
	if (!buf && cap > 0)
		return KEEL_EINVAL;
	uint32_t have = tcb_rcvq(k, t)->len;
	if (have > 0 && cap > 0) {
		uint32_t n = cap < have ? (uint32_t)cap : have;
		n = chunkq_get(tcb_rcvq_w(k, t), &k->tcp.chunks, buf, n);
		tcp_window_update(k, t);       /* growth, then SWS avoidance (tcp_rcv.c); the entry may go */
		return (int)n;
	}
	if (cap == 0)
		return 0;
	if (t->err) {
		err = t->err;
		t->err = 0;
		return err;
	}
	if ((t->flags & TCB_F_FIN_RCVD) || t->state == TCP_CLOSED)
		return 0;                  /* end of stream */
	return KEEL_EWOULDBLOCK;
}

/* Our FIN queued after the data (RFC 9293 §3.10.4), for close and
 * shutdown alike: ESTABLISHED -> FIN_WAIT_1, CLOSE_WAIT -> LAST_ACK,
 * SYN_RECEIVED: sent once established.  0 (nothing done) in any other
 * state. */
static int queue_fin(struct keel *k, struct tcp_tcb *t)
{
	switch (t->state) {
	case TCP_ESTABLISHED:
		tcb_state_to(k, t, TCP_FIN_WAIT_1);
		break;
	case TCP_CLOSE_WAIT:
		tcb_state_to(k, t, TCP_LAST_ACK);
		break;
	case TCP_SYN_RECEIVED:
		break;
	default:
		return 0;
	}
	t->flags |= TCB_F_FIN_WANT;
	return 1;
}

/* Half-close (RFC 9293 §3.10.4 applied to our side only).
 *   ESTABLISHED, CLOSE_WAIT, SYN_RECEIVED: queue_fin
 *   SYN_SENT: connection dropped;  already shut: no-op;  CLOSED: ENOTCONN */
int keel_tcp_shutdown(struct keel *k, int s)
{
	int err;
	struct tcp_tcb *t = conn_or_err(k, s, &err);
	if (!t)
		return err;
	if (queue_fin(k, t)) {
		if (t->state != TCP_SYN_RECEIVED)
			tcp_output(k, t);
		return KEEL_OK;
	}
	switch (t->state) {
	case TCP_SYN_SENT:
		tcb_state_to(k, t, TCP_CLOSED);     /* Linux tcp_disconnect: no RST for SYN_SENT */
		tcb_timer_stop(t, TCB_T_RTX);
		return KEEL_OK;
	case TCP_CLOSED:
		return KEEL_ENOTCONN;
	default:
		return KEEL_OK;
	}
}

/* RST now where the peer has state (Linux tcp_need_reset). */
static void reset_and_free(struct keel *k, struct tcp_tcb *t)
{
	if (tcb_need_reset(t)) {
		tcp_send_active_rst(k, t);
		tcb_set_state(k, t, TCP_CLOSED);
	} else {
		tcb_state_to(k, t, TCP_CLOSED);
	}
	tcb_free(k, t);
}

/* close and abort end a listener at once (its queued connections are
 * reset); otherwise they act on the connection returned here.  NULL with
 * *ret = KEEL_OK when s was a listener, KEEL_EBADF when it is no handle. */
static struct tcp_tcb *conn_to_end(struct keel *k, int s, int *ret)
{
	struct tcp_listener *l = listen_from_handle(k, s);
	if (l) {
		listen_close(k, l);
		*ret = KEEL_OK;
		return NULL;
	}
	*ret = KEEL_EBADF;
	return tcb_from_handle(k, s);
}

/* Orderly close: the handle dies now, the connection finishes alone.
 * Unread data -> RST instead of FIN (RFC 2525 §2.17, Linux
 * TCPAbortOnClose).  ESTABLISHED -> FIN_WAIT_1, CLOSE_WAIT -> LAST_ACK,
 * FIN_WAIT_2 starts tcp_fin_timeout, SYN_SENT/CLOSED free at once. */
int keel_tcp_close(struct keel *k, int s)
{
	int ret;
	struct tcp_tcb *t = conn_to_end(k, s, &ret);
	if (!t)
		return ret;
	t->flags |= TCB_F_ORPHAN;          /* the handle is gone (tcb_from_handle) */
	if (t->state == TCP_CLOSED || t->state == TCP_SYN_SENT) {
		tcb_state_to(k, t, TCP_CLOSED);
		tcb_free(k, t);
		return KEEL_OK;
	}
	if (tcb_rcvq(k, t)->len > 0) {
		k->tcp.mib.abort_on_close++;
		reset_and_free(k, t);
		return KEEL_OK;
	}
	/* FIN_WAIT_1, CLOSING, LAST_ACK go on; FIN_WAIT_2 starts its timeout. */
	if (!queue_fin(k, t) && t->state == TCP_FIN_WAIT_2)
		tcb_fin_timeout_arm(k, t);   /* tcb_fw2_orphan */
	tcp_output(k, t);
	return KEEL_OK;
}

/* Abortive close (SO_LINGER 0): RST <SEQ=SND.NXT> now, TCB freed, no
 * TIME_WAIT.  Counted in TCPAbortOnLinger. */
int keel_tcp_abort(struct keel *k, int s)
{
	int ret;
	struct tcp_tcb *t = conn_to_end(k, s, &ret);
	if (!t)
		return ret;
	if (t->state != TCP_CLOSED)
		k->tcp.mib.abort_on_linger++;
	reset_and_free(k, t);
	return KEEL_OK;
}

unsigned keel_tcp_poll(struct keel *k, int s)
{
	struct tcp_listener *l = listen_from_handle(k, s);
	if (l)
		return l->acceptq_head != TCP_NONE ? TCP_POLL_ACCEPTABLE : 0u;
	struct tcp_tcb *t = tcb_from_handle(k, s);
	if (!t)
		return TCP_POLL_ERROR;    /* tcp_error says EBADF */
	unsigned m = 0;
	if (tcb_rcvq(k, t)->len > 0 || (t->flags & TCB_F_FIN_RCVD) || t->state == TCP_CLOSED)
		m |= TCP_POLL_READABLE;
	if ((t->state == TCP_ESTABLISHED || t->state == TCP_CLOSE_WAIT) &&
	    !(t->flags & TCB_F_FIN_WANT) && mem_snd_space(k, t) > 0 && tcb_flight_avail(k, t))
		m |= TCP_POLL_WRITABLE;
	if (t->err)
		m |= TCP_POLL_ERROR;
	if ((t->flags & TCB_F_FIN_RCVD) || t->state == TCP_CLOSED)
		m |= TCP_POLL_HUP;
	return m;
}

int keel_tcp_error(struct keel *k, int s)
{
	if (listen_from_handle(k, s))
		return KEEL_OK;
	struct tcp_tcb *t = tcb_from_handle(k, s);
	if (!t)
		return KEEL_EBADF;
	int err = t->err;
	t->err = 0;
	return err;
}

int keel_tcp_get_state(struct keel *k, int s)
{
	if (listen_from_handle(k, s))
		return TCP_LISTEN;
	struct tcp_tcb *t = tcb_from_handle(k, s);
	if (!t)
		return KEEL_EBADF;
	return t->state;
}
