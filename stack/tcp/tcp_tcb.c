/* The TCB pool: allocation from a free list, the two constructors (the
 * only places a TCB is set up), handles with generation counts, the
 * 4-tuple hash and the state changes that counters watch (RFC 4022
 * definitions). */
#include <string.h>
#include "tcp_internal.h"

/* The TCB's size budget (docs/DESIGN.md): what a connection costs beside
 * its data.  It grows only on purpose.  Both boards keep 16-bit queue
 * fields (KEEL_TCP_BUF_LIMIT, config.h); 32-bit ones (a build whose
 * buffers may pass 64 KiB: tests/tcp/wide, tests/scale) cost 16 B more.
 * The sender's in-flight state and both queues are apart (tcp_flight.h),
 * as the cold state is (tcp_ext.h). */
_Static_assert(sizeof(struct tcp_tcb) <= (sizeof(qlen_t) == 2 ? 92u : 108u), "struct tcp_tcb over its budget");

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

static uint16_t *tcb_bucket(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	uint32_t h = tcp_hash(k, raddr, rport, lport);
	return &k->tcp.tcb_head[h & (TCP_TCB_BUCKETS - 1u)];
}

static uint16_t tcb_index(const struct keel *k, const struct tcp_tcb *t)
{
	return (uint16_t)(t - k->tcp.tcbs);
}

/* Every slot free, generation 1, in index order. */
void tcb_pools_init(struct keel *k)
{
	struct tcp_stack *ts = &k->tcp;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		ts->tcbs[i].gen = 1;
		ts->tcbs[i].hnext = (uint16_t)(i + 1 < KEEL_TCP_MAX_CONN ? i + 1 : TCP_NONE);
	}
	ts->tcb_free_head = 0;
	ts->tcb_free_tail = KEEL_TCP_MAX_CONN - 1;
	for (unsigned b = 0; b < TCP_TCB_BUCKETS; b++)
		ts->tcb_head[b] = TCP_NONE;
}

static struct tcp_tcb *tcb_alloc(struct keel *k)
{
	struct tcp_stack *ts = &k->tcp;
	if (ts->tcb_free_head == TCP_NONE)
		return NULL;
	struct tcp_tcb *t = &ts->tcbs[ts->tcb_free_head];
	ts->tcb_free_head = t->hnext;
	if (ts->tcb_free_head == TCP_NONE)
		ts->tcb_free_tail = TCP_NONE;
	uint32_t gen = t->gen;
	struct tmr_node tmr = t->tmr;   /* maybe still filed (tcb_free) */
	memset(t, 0, sizeof(*t));
	mem_tcb_init(k, t);             /* empty queues: no chunk held */
	t->gen = gen;
	t->tmr = tmr;
	t->flags = TCB_F_USED;
	t->listener = TCP_NO_LISTENER;
	t->next = TCP_NONE;
	t->hnext = TCP_NONE;
	t->ext = TCP_NONE;
	t->flight = TCP_NONE;
	t->snd_mss = TCP_MSS_DEFAULT;
	pool_take(k, TCP_POOL_TCB);
	ts->tcb_states[TCP_CLOSED]++;   /* memset: a new TCB is CLOSED */
	return t;
}

void tcb_hash_insert(struct keel *k, struct tcp_tcb *t)
{
	if (t->flags & TCB_F_HASHED)
		return;
	uint16_t *head = tcb_bucket(k, t->raddr, t->rport, t->lport);
	t->hnext = *head;
	*head = tcb_index(k, t);
	t->flags |= TCB_F_HASHED;
}

/* The data path's starting state, from the sequence numbers the
 * constructor just set: nothing sent beyond SND.NXT, no small segment
 * out, the window last advertised at RCV.NXT, congestion control's
 * initial window (tcp_cc.c). */
static void tcb_start(struct keel *k, struct tcp_tcb *t)
{
	tcb_set_snd_max(k, t, tcb_snd_nxt(k, t));
	tcb_set_snd_sml(k, t, t->snd_una);
	t->max_sndwnd = tcb_snd_wnd_sat(t) & TCB_MAX_SNDWND;
	tcb_rcv_wup_now(t);
	cc_init(k, t);
	t->rcv_ms = k->now_ms;
}

/* The TCB constructors, the only two ways a connection gets a TCB; each
 * sets the 4-tuple (hashed), both sequence spaces as far as known, and
 * the data path's state (tcb_start).  NULL when the pool is empty.
 *
 * Active open (RFC 9293 §3.10.1): SYN_SENT, SND.NXT past the SYN that
 * the caller sends next; the receive side waits for the SYN-ACK. */
struct tcp_tcb *tcb_new_active(struct keel *k, const struct tcp_tuple *tu, uint32_t iss)
{
	struct tcp_tcb *t = tcb_alloc(k);
	if (!t)
		return NULL;
	t->raddr = tu->raddr;              /* tu->laddr is the interface's */
	t->lport = tu->lport;
	t->rport = tu->rport;
	tcb_hash_insert(k, t);
	t->snd_una = iss;                  /* ISS, until our SYN is acked */
	tcb_set_snd_nxt(k, t, iss + 1);
	t->rcv_adv = (qlen_t)tcp_syn_wnd(tcb_rcv_wnd(k, t));
	tcb_state_to(k, t, TCP_SYN_SENT);
	tcb_start(k, t);
	return t;
}

/* Passive open: the handshake of req (a SYN-queue entry, or one rebuilt
 * from a cookie) completed by the ACK s; ESTABLISHED, our SYN acked, the
 * options agreed in the handshake applied, the right edge the SYN-ACK
 * offered (rcv_adv) kept (RFC 9293 §3.8.6). */
struct tcp_tcb *tcb_new_passive(struct keel *k, const struct tcp_synq_entry *req, const struct tcp_seg *s,
				uint16_t rcv_adv)
{
	struct tcp_tcb *t = tcb_alloc(k);
	if (!t)
		return NULL;
	t->raddr = req->raddr;             /* req->laddr is the interface's */
	t->lport = req->lport;
	t->rport = req->rport;
	t->snd_una = req->iss + 1;         /* SND.NXT too */
	t->rcv_nxt = req->irs + 1;
	t->snd_mss = req->mss;
	/* The options the handshake agreed (tcp_optneg.c), before the
	 * window: the peer's is scaled by the shift agreed. */
	if (req->opts & TCP_OPTF_TS)
		t->ts_off = ts_offset(k, req->laddr, req->lport, req->raddr, req->rport);
	optneg_apply(k, t, req->opts, req->peer_shift, req->ts_recent);
	tcb_set_snd_wnd(t, s);
	tcb_set_snd_wl1(t, s->seq);
	t->flags |= TCB_F_WL2_UNA;         /* SND.WL2 = SEG.ACK = ISS + 1 = SND.UNA */
	t->rcv_adv = rcv_adv;
	tcb_hash_insert(k, t);
	tcb_state_to(k, t, TCP_ESTABLISHED);
	t->flags |= TCB_F_PASSIVE;
	tcb_start(k, t);
	return t;
}


/* A chain holds at most the pool, so the walk is bounded by it. */
static void tcb_unhash(struct keel *k, struct tcp_tcb *t)
{
	if (!(t->flags & TCB_F_HASHED))
		return;
	uint16_t self = tcb_index(k, t);
	uint16_t *link = tcb_bucket(k, t->raddr, t->rport, t->lport);
	for (unsigned n = 0; n < KEEL_TCP_MAX_CONN && *link != TCP_NONE; n++) {
		if (*link == self) {
			*link = t->hnext;
			break;
		}
		link = &k->tcp.tcbs[*link].hnext;
	}
	t->hnext = TCP_NONE;
	t->flags &= (uint16_t)~TCB_F_HASHED;
}

/* Back on the free list's tail with the next generation, so stale handles
 * fail.  The TCB is in no accept queue by now: the listener that owns the
 * queue takes it out first (acceptq_unlink); a slot whose last generation is spent is retired instead
 * (tcp_internal.h: a generation never wraps into validity). */
void tcb_free(struct keel *k, struct tcp_tcb *t)
{
	struct tcp_stack *ts = &k->tcp;
	if (!(t->flags & TCB_F_USED))
		return;
	tcb_unhash(k, t);
	t->timers = 0;                      /* the node may stay filed: wheel_file_lazy */
	tcb_ext_release(k, t);
	tcb_flight_release(k, t);
	mem_release(k, t);                  /* the pool's state (the queues' chunks went with the data entry) */
	ka_profile_drop(k, t->ka);          /* its keepalive setting's reference (tcp_kaprof.h) */
	t->ka = TCP_KA_OFF;
	ts->tcb_states[t->state]--;
	t->flags = 0;
	tcb_state_to(k, t, TCP_CLOSED);
	pool_give(k, TCP_POOL_TCB);
	if (t->gen >= TCP_H_GEN_MAX) {
		ts->tcbs_retired++;
		return;
	}
	t->gen++;
	uint16_t self = tcb_index(k, t);
	t->hnext = TCP_NONE;
	if (ts->tcb_free_tail == TCP_NONE)
		ts->tcb_free_head = self;
	else
		ts->tcbs[ts->tcb_free_tail].hnext = self;
	ts->tcb_free_tail = self;
}

/* A live application handle: used, not orphaned, not waiting in an accept
 * queue, and of the current generation. */
struct tcp_tcb *tcb_from_handle(struct keel *k, int h)
{
	if (h < 0)
		return NULL;
	unsigned idx = tcp_handle_slot(h);
	if (idx >= KEEL_TCP_MAX_CONN)
		return NULL;
	struct tcp_tcb *t = &k->tcp.tcbs[idx];
	if (!(t->flags & TCB_F_USED) || (t->flags & (TCB_F_ORPHAN | TCB_F_ACCEPTQ)))
		return NULL;
	if (tcp_handle_gen(h) != t->gen)
		return NULL;
	return t;
}

/* The error for a handle that is not the kind the call takes: another
 * live socket (a listener given to a connection call, or the reverse) is
 * KEEL_EINVAL, anything else KEEL_EBADF, as Linux answers EINVAL and
 * EBADF. */
int tcp_handle_err(struct keel *k, int h)
{
	return (tcb_from_handle(k, h) || listen_from_handle(k, h)) ? KEEL_EINVAL : KEEL_EBADF;
}

int tcb_handle(struct keel *k, const struct tcp_tcb *t)
{
	return tcp_handle_make(tcb_index(k, t), t->gen);
}

/* CLOSED TCBs (kept only for the app to read its error) match nothing. */
struct tcp_tcb *tcb_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	return tcb_lookup_hashed(k, tcp_hash(k, raddr, rport, lport), raddr, rport, lport);
}

struct tcp_tcb *tcb_lookup_hashed(struct keel *k, uint32_t h, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	uint16_t i = k->tcp.tcb_head[h & (TCP_TCB_BUCKETS - 1u)];
	for (unsigned n = 0; n < KEEL_TCP_MAX_CONN && i != TCP_NONE; n++) {
		struct tcp_tcb *t = &k->tcp.tcbs[i];
		if (t->state != TCP_CLOSED && t->lport == lport && t->rport == rport && t->raddr == raddr)
			return t;
		i = t->hnext;
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
	tcb_state_to(k, t, state);
	if (state == TCP_CLOSED)
		tcb_unhash(k, t);
}

/* The states after our FIN was queued (the application closed or shut
 * down its side).  TCPClosedAfterFin counts the ends from these states,
 * tcpEstabResets those from ESTABLISHED and CLOSE_WAIT (tcb_set_state),
 * so every TCB a handshake made (tcpPassiveOpens, born ESTABLISHED) is
 * counted once in one of the two when it ends:
 *   PassiveOpens = EstabResets + TCPClosedAfterFin + TCBs not CLOSED
 * (active opens add ActiveOpens and their failures in tcpAttemptFails). */
static int after_own_fin(uint8_t state)
{
	return state == TCP_FIN_WAIT_1 || state == TCP_FIN_WAIT_2 || state == TCP_CLOSING ||
	       state == TCP_LAST_ACK || state == TCP_TIME_WAIT;
}

void tcb_state_to(struct keel *k, struct tcp_tcb *t, uint8_t state)
{
	if (state == TCP_CLOSED && after_own_fin(t->state))
		k->tcp.mib.closed_after_fin++;
	k->tcp.tcb_states[t->state]--;
	k->tcp.tcb_states[state]++;
	t->state = state;
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
uint32_t tcb_rcv_wnd(const struct keel *k, const struct tcp_tcb *t)
{
	return mem_rcv_space(k, t);
}
