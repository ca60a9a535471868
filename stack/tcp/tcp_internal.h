/* Functions shared between the TCP engine's files; not for applications. */
#ifndef KEEL_TCP_INTERNAL_H
#define KEEL_TCP_INTERNAL_H
#include <stdint.h>
#include <string.h>
#include "keel.h"
#include "tcp_wire.h"
#include "tcp_tcb_seq.h"

#define TCP_RTO_INIT_MS 1000u     /* RFC 6298 §2.1 */
#define TCP_RTO_MAX_MS 120000u    /* Linux TCP_RTO_MAX */
#define TCP_RETRIES2 KEEL_TCP_RETRIES2 /* Linux tcp_retries2: data retransmits before ETIMEDOUT */
#define TCP_ORPHAN_RETRIES 8u      /* Linux tcp_orphan_retries 0 -> 8 */
#define TCP_SOMAXCONN 4096        /* Linux net.core.somaxconn */
#define TCP_EPHEMERAL_LO 32768u   /* Linux ip_local_port_range */
#define TCP_EPHEMERAL_HI 60999u
#define TCP_TICK_BUDGET 16u       /* segments the timers may send per tick per pool */
/* Linux tcp_invalid_ratelimit: at most one ACK per this many ms in reply
 * to unacceptable segments that carry no data (reordered old ACKs, or an
 * ACK war between two stacks would follow). */
#define TCP_OOW_ACK_MS 500u
#define TCP_TW_REUSE_MS 1000u     /* tcp_tw_reuse = 1: TIME_WAIT age before reuse (Linux: 1 s) */
/* A listener checks cookie ACKs only this long after its last cookie
 * (Linux TCP_SYNCOOKIE_VALID): no cookie it made can be older. */
#define TCP_SYNCOOKIE_VALID_MS ((uint32_t)SYNCOOKIE_MAX_AGE << SYNCOOKIE_COUNT_SHIFT)

/* Handles: one index space, TCBs at 0..KEEL_TCP_MAX_CONN-1 and listeners
 * after them, in the low TCP_H_IDX_BITS; the slot's generation in the bits
 * above, up to bit 30 (a handle is a non-negative int).  A slot's
 * generation runs 1..TCP_H_GEN_MAX and never wraps: a slot whose last
 * generation is spent is retired, never handed out again, so no stale
 * handle can ever become valid (counted: tcbs_retired, listeners_retired).
 * The fewer slots, the more generations each: 2^31 handles per pool in
 * all, e.g. 2^23 lifetimes per slot with 160 slots, 2^17 with 12,000,
 * and at most 2^24 - 1 (a TCB keeps 24 bits of generation);
 * TCBs are reused oldest-first so every slot ages alike. */
#define TCP_H_SLOTS (KEEL_TCP_MAX_CONN + KEEL_TCP_MAX_LISTEN)
#define TCP_H_IDX_BITS KEEL_BITS_FOR(TCP_H_SLOTS)
#define TCP_H_IDX_MASK ((1u << TCP_H_IDX_BITS) - 1u)
/* tcb.gen is 24 bits: at most 2^24 - 1 lifetimes per slot. */
#define TCP_H_GEN_BITS (31 - TCP_H_IDX_BITS < 24 ? 31 - TCP_H_IDX_BITS : 24)
#define TCP_H_GEN_MAX ((1u << TCP_H_GEN_BITS) - 1u)
static inline int tcp_handle_make(unsigned slot, uint32_t gen)
{
	return (int)((gen << TCP_H_IDX_BITS) | slot);
}
static inline unsigned tcp_handle_slot(int h) { return (unsigned)h & TCP_H_IDX_MASK; }
static inline uint32_t tcp_handle_gen(int h) { return (uint32_t)h >> TCP_H_IDX_BITS; }

/* What an input module that does not own a TCB (TIME_WAIT, the SYN queue,
 * the listener) asks of its caller, tcp_input, which acts -- as Linux's
 * tcp_timewait_state_process and tcp_check_req return what to do. */
enum tcp_verdict {
	TCP_V_NONE,     /* nothing to send: dropped, absorbed, or done */
	TCP_V_ACK,      /* an ACK from the entry's own state */
	TCP_V_RST,      /* a reset in reply to the segment (tcp_send_rst_reply) */
	TCP_V_SYN,      /* a new SYN for the port's listener, with a given ISN */
	TCP_V_SYNACK,   /* the SYN-ACK again */
	TCP_V_CHILD,    /* handshake complete: make the connection */
};

/* The connection a received segment names, seen from our side. */
static inline struct tcp_tuple tcp_seg_tuple(const struct tcp_seg *s)
{
	struct tcp_tuple tu = { .laddr = s->daddr, .raddr = s->saddr, .lport = s->dport, .rport = s->sport };
	return tu;
}

/* tcp_tuple_hash under the stack's key, remembered for the last tuple
 * (hash_memo): a connection is hashed for every table it is looked up
 * in, put in and taken out of, nearly always one tuple after another. */
static inline uint32_t tcp_hash(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	struct tcp_stack *ts = &k->tcp;
	if (ts->hash_memo.raddr != raddr || ts->hash_memo.rport != rport || ts->hash_memo.lport != lport) {
		ts->hash_memo.h = tcp_tuple_hash(ts->hash_key, raddr, rport, lport);
		ts->hash_memo.raddr = raddr;
		ts->hash_memo.rport = rport;
		ts->hash_memo.lport = lport;
	}
	return ts->hash_memo.h;
}

/* A segment to send on the connection tu: every other field zero. */
static inline void tcp_out_init(struct tcp_out *o, const struct tcp_tuple *tu)
{
	/* All but sack[], read only up to nsack (a memset of the whole
	 * struct was most of this function's cost). */
	o->seq = 0;
	o->ack = 0;
	o->flags = 0;
	o->wnd = 0;
	o->mss = 0;
	o->opts = 0;
	o->wscale = 0;
	o->nsack = 0;
	o->tsval = 0;
	o->tsecr = 0;
	o->saddr = tu->laddr;
	o->daddr = tu->raddr;
	o->sport = tu->lport;
	o->dport = tu->rport;
}

/* What congestion control asks, on an ACK, of the output path (tcp_cc_act): nothing, one segment
 * at SND.UNA (fast retransmit, NewReno's partial ACK), or the next SACK
 * hole (RFC 6675 §5 step (C)). */
enum cc_verdict { CC_NONE, CC_RETRANSMIT_HEAD, CC_RETRANSMIT_HOLE };

/* tcp_emit.c: the segment's payload goes at tcp_out_payload(k) first;
 * tcp_emit writes the header, counts OutSegs/OutRsts, hands it to IP. */
uint8_t *tcp_out_payload(struct keel *k);
int tcp_emit(struct keel *k, const struct tcp_out *o, size_t len);

/* tcp_tcb.c: pool, constructors, handles, lookup, state changes.
 * The constructors are the only way a TCB is made: active open, SYN_SENT;
 * passive open from a completed handshake, ESTABLISHED.  NULL: pool empty.
 * tcb_free: the TCB must be out of any accept queue (acceptq_unlink) first. */
struct tcp_tcb *tcb_new_active(struct keel *k, const struct tcp_tuple *tu, uint32_t iss);
struct tcp_tcb *tcb_new_passive(struct keel *k, const struct tcp_synq_entry *req, const struct tcp_seg *s,
				uint16_t rcv_adv);
void tcb_free(struct keel *k, struct tcp_tcb *t);
struct tcp_tcb *tcb_from_handle(struct keel *k, int h);
int tcb_handle(struct keel *k, const struct tcp_tcb *t);
/* A handle of the wrong kind: KEEL_EINVAL; no live handle: KEEL_EBADF. */
int tcp_handle_err(struct keel *k, int h);
struct tcp_tcb *tcb_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport);
/* The *_lookup_hashed forms take tcp_tuple_hash(hash_key, raddr, rport,
 * lport), which the three tables share: tcp_input computes it once per
 * segment for all of them. */
struct tcp_tcb *tcb_lookup_hashed(struct keel *k, uint32_t h, uint32_t raddr, uint16_t rport, uint16_t lport);
/* Into the 4-tuple hash once the tuple is set; out when CLOSED or freed. */
void tcb_hash_insert(struct keel *k, struct tcp_tcb *t);
void tcb_pools_init(struct keel *k);
void tcb_state_to(struct keel *k, struct tcp_tcb *t, uint8_t state);
void tcb_set_state(struct keel *k, struct tcp_tcb *t, uint8_t state);
uint32_t tcb_rcv_wnd(const struct keel *k, const struct tcp_tcb *t);
/* The window of a SYN or SYN-ACK: never scaled (RFC 7323 §2.2), so at
 * most 65535. */
static inline uint16_t tcp_syn_wnd(uint32_t w) { return (uint16_t)(w < 0xffffu ? w : 0xffffu); }
/* A state where the peer holds the connection too, so an abort sends RST
 * (Linux tcp_need_reset). */
int tcb_need_reset(const struct tcp_tcb *t);
void pool_take(struct keel *k, enum tcp_pool p);
void pool_give(struct keel *k, enum tcp_pool p);

/* tcp_done.c: the connection is over: record err for the app, or free it
 * if nobody will read it (orphaned, or never accepted). */
void tcb_done(struct keel *k, struct tcp_tcb *t, int err);

/* tcp_ready.c: t may have events for the application */
void ready_init(struct keel *k);
void tcb_mark_ready(struct keel *k, const struct tcp_tcb *t);

/* tcp_listen_table.c: listeners by port and by handle */
struct tcp_listener *listen_lookup(struct keel *k, uint16_t port);
void listen_pool_init(struct keel *k);
int listen_index(struct keel *k, const struct tcp_listener *l);
void listen_hash(struct keel *k, struct tcp_listener *l);
void listen_unhash(struct keel *k, struct tcp_listener *l);
struct tcp_listener *listen_from_handle(struct keel *k, int h);

/* tcp_listen.c */
int acceptq_full(const struct tcp_listener *l);
void acceptq_push(struct keel *k, struct tcp_listener *l, struct tcp_tcb *t);
void acceptq_unlink(struct keel *k, struct tcp_tcb *t);
/* TCP_V_NONE, TCP_V_RST (tcp_send_rst_reply) or TCP_V_CHILD (*child: a
 * connection from a SYN cookie, for fsm_input). */
enum tcp_verdict listen_input(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s,
			      struct tcp_tcb **child);
/* The TCB for a completed handshake described by e (a SYN-queue entry or
 * one rebuilt from a cookie), queued for accept; NULL (counted) when the
 * accept queue is full or no TCB is free.  The caller then hands the ACK
 * to fsm_input for any data or FIN it carries. */
struct tcp_tcb *listen_child(struct keel *k, struct tcp_listener *l, const struct tcp_synq_entry *e,
			     const struct tcp_seg *s);
/* SYN admission; tw_isn != 0: the SYN took over a TIME_WAIT 4-tuple and
 * the new connection's ISN is fixed (no cookie then, as Linux). */
void listen_syn(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s, uint32_t tw_isn);
void listen_close(struct keel *k, struct tcp_listener *l);

/* tcp_synq.c */
struct tcp_synq_entry *synq_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport);
struct tcp_synq_entry *synq_lookup_hashed(struct keel *k, uint32_t h, uint32_t raddr, uint16_t rport,
					  uint16_t lport);
struct tcp_synq_entry *synq_alloc(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s);
void synq_free(struct keel *k, struct tcp_synq_entry *e);
void synq_send_synack(struct keel *k, const struct tcp_synq_entry *e);
void synq_send_ack(struct keel *k, const struct tcp_synq_entry *e);
/* The window a half-open connection offers. */
uint16_t synq_rcv_wnd(const struct keel *k);
/* Linux tcp_check_req: TCP_V_NONE, TCP_V_ACK (synq_send_ack), TCP_V_RST
 * (tcp_send_rst_reply), TCP_V_SYNACK (synq_send_synack) or TCP_V_CHILD
 * (listen_child, then synq_handoff, or synq_overflow when it failed). */
enum tcp_verdict synq_input(struct keel *k, struct tcp_synq_entry *e, const struct tcp_seg *s);
void synq_handoff(struct keel *k, struct tcp_synq_entry *e, struct tcp_listener *l, struct tcp_tcb *t);
enum tcp_verdict synq_overflow(struct keel *k, struct tcp_synq_entry *e);
void synq_drop_listener(struct keel *k, const struct tcp_listener *l);
void synq_pool_init(struct keel *k);

/* tcp_timewait.c */
void tw_enter(struct keel *k, const struct tcp_tcb *t);
struct tcp_tw_entry *tw_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport);
struct tcp_tw_entry *tw_lookup_hashed(struct keel *k, uint32_t h, uint32_t raddr, uint16_t rport,
				      uint16_t lport);
/* TCP_V_NONE, TCP_V_ACK (tw_send_ack) or TCP_V_SYN (*isn set). */
enum tcp_verdict tw_input(struct keel *k, struct tcp_tw_entry *w, const struct tcp_seg *s, uint32_t *isn);
void tw_send_ack(struct keel *k, const struct tcp_tw_entry *w, const struct tcp_seg *s);
void tw_tick(struct keel *k);
int tw_next_deadline(struct keel *k, uint32_t *when_ms);
void tw_pool_init(struct keel *k);
uint32_t tw_deadline(const struct keel *k, const struct tcp_tw_entry *w);
uint32_t tw_next_isn(const struct tcp_tw_entry *w);
int tw_reuse_ok(const struct keel *k, const struct tcp_tw_entry *w);
void tw_recycle(struct keel *k, struct tcp_tw_entry *w);
/* Frees every entry; returns how many there were. */
unsigned tw_flush(struct keel *k);

/* tcp_fsm.c: every state that has a TCB */
void fsm_input(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s);

/* tcp_output.c */
void tcp_output(struct keel *k, struct tcp_tcb *t);
void tcp_send_ack(struct keel *k, struct tcp_tcb *t);
void tcp_send_syn(struct keel *k, struct tcp_tcb *t);
void tcp_send_active_rst(struct keel *k, struct tcp_tcb *t);
void tcp_send_rst_reply(struct keel *k, const struct tcp_seg *s);
void tcp_retransmit(struct keel *k, struct tcp_tcb *t);
void tcp_rtx_arm(struct keel *k, struct tcp_tcb *t);
/* data path (tcp_output.c): persist probe / SWS override; RFC 1122 keepalive probe */
void tcp_persist_fire(struct keel *k, struct tcp_tcb *t);
/* The persist timer's current interval: the RTO backed off, capped at TCP_RTO_MAX. */
uint32_t tcp_persist_interval(const struct keel *k, const struct tcp_tcb *t);
void tcp_send_keepalive(struct keel *k, struct tcp_tcb *t);
/* After the application read: buffer growth, then the window update if
 * one is owed (rcv_read). */
void tcp_window_update(struct keel *k, struct tcp_tcb *t);
/* Retransmit one segment at SND.UNA (fast retransmit, NewReno partial ACK). */
void tcp_retransmit_head(struct keel *k, struct tcp_tcb *t);
/* Does what congestion control asked (enum cc_verdict). */
void tcp_cc_act(struct keel *k, struct tcp_tcb *t, enum cc_verdict v);
/* Retransmit one segment of at most len bytes at SND.UNA + off (a SACK
 * hole, a tail-loss probe); HighRxt follows. */
void tcp_retransmit_at(struct keel *k, struct tcp_tcb *t, uint32_t off, uint32_t len);
/* The probe timer fired: one probe segment (RFC 8985 §7.3). */
void tcp_tlp_fire(struct keel *k, struct tcp_tcb *t);

/* tcp_cc.c: RTT estimation and RTO (RFC 6298), congestion control
 * (RFC 5681 slow start / congestion avoidance, RFC 6582 NewReno) */
void cc_init(struct keel *k, struct tcp_tcb *t);
void cc_established(struct keel *k, struct tcp_tcb *t);
void cc_rtt_sample(struct tcp_tcb *t, uint32_t rtt_ms);
uint32_t cc_rto_base(const struct tcp_tcb *t);
/* The current RTO: the base doubled with every expiry since the last new
 * ACK (RFC 6298 §5.5), capped at TCP_RTO_MAX.  Derived, not stored: every
 * place that resets retries also resets the RTO to the base, and a new RTT
 * sample comes only with an ACK that resets retries. */
static inline uint32_t tcb_rto(const struct tcp_tcb *t)
{
	uint32_t rto = cc_rto_base(t);
	for (unsigned i = 0; i < t->retries && rto < TCP_RTO_MAX_MS; i++)
		rto *= 2u;
	return rto < TCP_RTO_MAX_MS ? rto : TCP_RTO_MAX_MS;
}
enum cc_verdict cc_on_ack(struct keel *k, struct tcp_tcb *t, uint32_t ack, uint32_t acked_bytes);
enum cc_verdict cc_on_dupack(struct keel *k, struct tcp_tcb *t);
void cc_on_rto(struct keel *k, struct tcp_tcb *t);
uint32_t cc_limited_transmit(const struct tcp_tcb *t, uint32_t dupacks);
/* FlightSize as SND.NXT - SND.UNA (RFC 5681 §2, after a go-back-N rewind: what is out again). */
static inline uint32_t tcb_flight(const struct keel *k, const struct tcp_tcb *t) { return tcb_nxt_off(k, t); }

/* cwnd = c, saturating at the top of qlen_t, CHUNKQ_MAX or more: a send
 * queue holds no more, so any cwnd from there up lets the same segments
 * go (min(window, cwnd) never cuts what is queued, tcp_output.c) and
 * stops growth alike (cwnd >= snd_budget, tcp_cc.c).  Where qlen_t is 16
 * bits only NewReno's inflation by a dupack each (RFC 6582 step 2, some
 * 40 dupacks in one recovery) or a tcp_wmem max within a segment of
 * 64 KiB take cwnd there; ss -i then shows cwnd:65535. */
#define TCP_CWND_MAX ((uint32_t)(qlen_t)~(qlen_t)0)
_Static_assert(TCP_CWND_MAX >= CHUNKQ_MAX, "a saturated cwnd covers every send queue");
static inline void tcb_set_cwnd(struct tcp_tcb *t, uint32_t c)
{
	t->cwnd = (qlen_t)(c < TCP_CWND_MAX ? c : TCP_CWND_MAX);
}

/* tcp_rcv.c: segment text into the receive ring (out-of-order ranges),
 * delayed ACK, receiver window (SWS avoidance) */
int rcv_text(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s);
/* RCV.WND for acceptance: up to the right edge advertised (never taken
 * back) or the free space now, whichever reaches further. */
uint32_t rcv_room(const struct keel *k, const struct tcp_tcb *t);
/* The window field of the segment being built, in units of 2^shift
 * (0 in a SYN-ACK); records the window as advertised. */
uint16_t rcv_wnd_select(const struct keel *k, struct tcp_tcb *t, unsigned shift);
void rcv_fin_ooo(struct keel *k, struct tcp_tcb *t, uint32_t fin);
int rcv_fin_due(struct keel *k, const struct tcp_tcb *t);
int tcp_rcv_window_update_due(const struct keel *k, const struct tcp_tcb *t);
/* After the application read: buffer growth; 1 when a window update is owed. */
int rcv_read(struct keel *k, struct tcp_tcb *t);

/* tcp_mem.c: the shared chunk pool's admission and buffer growth */
void mem_update(struct keel *k);
unsigned mem_chunks_allowed(const struct keel *k, const struct tcp_tcb *t, const struct chunkq *q,
			    uint32_t min_bytes);
uint32_t mem_rcv_space(const struct keel *k, const struct tcp_tcb *t);
/* The send budget left (mem_snd_room), and as much of it as the pool
 * can give new bytes (mem_snd_space). */
uint32_t mem_snd_room(const struct keel *k, const struct tcp_tcb *t);
uint32_t mem_snd_space(const struct keel *k, const struct tcp_tcb *t);
void mem_rcv_read(struct keel *k, struct tcp_tcb *t);
void mem_snd_acked(struct keel *k, struct tcp_tcb *t);
int mem_prune_ofo(struct keel *k, struct tcp_tcb *t);
void mem_release(struct keel *k, struct tcp_tcb *t);
void mem_tcb_init(struct keel *k, struct tcp_tcb *t);

/* tcp_api.c: 0 when t may queue data, else what tcp_send returns */
int tcb_send_check(struct tcp_tcb *t);

/* tcp_ext.c: the cold-state pool (tcp_ext.h).  tcb_ext is NULL when the
 * TCB holds none; tcb_ext_get takes one (NULL when the pool is empty);
 * tcb_ext_trim gives it back when nothing needs it; tcb_ext_release
 * gives it back and forgets what it held. */
void tcb_ext_pool_init(struct keel *k);
/* Inline: every ACK asks (sack_on_ack, rcv_fin_due), most for nothing.
 * nonnull: a NULL answer says t holds none, never that k was NULL
 * (clang's analyzer would otherwise infer it from &k->... == NULL). */
static inline __attribute__((nonnull)) struct tcb_ext *tcb_ext(struct keel *k, const struct tcp_tcb *t)
{
	return t->ext == TCP_NONE ? NULL : &k->tcp.ext.e[t->ext];
}
struct tcb_ext *tcb_ext_get(struct keel *k, struct tcp_tcb *t);
int tcb_ext_needed(const struct keel *k, const struct tcp_tcb *t);
void tcb_ext_trim_held(struct keel *k, struct tcp_tcb *t);
/* Inline test: every segment and tick trims, and most TCBs hold none. */
static inline void tcb_ext_trim(struct keel *k, struct tcp_tcb *t)
{
	if (t->ext != TCP_NONE)
		tcb_ext_trim_held(k, t);
}
void tcb_ext_release(struct keel *k, struct tcp_tcb *t);

/* tcp_flight.c: the flight pool (tcp_flight.h).  tcb_flight_take: 1 when
 * t holds an entry (taken now or before), 0 when the pool is empty
 * (counted); tcb_flight_trim gives it back once t is idle;
 * tcb_flight_release gives it back whatever it held, both queues'
 * chunks to the pool (the caller updates the pool's state: mem_update);
 * tcb_flight_done (tcb_done) purges the send and out-of-order bytes and
 * keeps the entry only while unread bytes remain. */
void tcb_flight_pool_init(struct keel *k);
int tcb_flight_take(struct keel *k, struct tcp_tcb *t);
void tcb_flight_trim_held(struct keel *k, struct tcp_tcb *t);
static inline void tcb_flight_trim(struct keel *k, struct tcp_tcb *t)
{
	if (t->flight != TCP_NONE)
		tcb_flight_trim_held(k, t);
}
void tcb_flight_release(struct keel *k, struct tcp_tcb *t);
void tcb_flight_done(struct keel *k, struct tcp_tcb *t);
/* t may queue a first byte: it holds an entry or one is free. */
static inline int tcb_flight_avail(const struct keel *k, const struct tcp_tcb *t)
{
	return t->flight != TCP_NONE || k->tcp.flight.free_head != TCP_NONE;
}

/* A TCB's 4-tuple: its local address is the interface's (tcp_tcb.h). */
static inline struct tcp_tuple tcb_tuple(const struct keel *k, const struct tcp_tcb *t)
{
	struct tcp_tuple tu = { .laddr = k->ifc.addr, .raddr = t->raddr, .lport = t->lport, .rport = t->rport };
	return tu;
}

/* Our SYN is not acknowledged yet: ISS is SND.UNA. */
static inline int tcb_syn_unacked(const struct tcp_tcb *t)
{
	return t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED;
}

/* An orphan in FIN_WAIT_2: its retransmit timer is the tcp_fin_timeout
 * deadline (tcb_fin_timeout_arm), never moved by what arrives, and it
 * sends no keepalive (Linux: the keepalive timer's FIN_WAIT_2 case). */
static inline int tcb_fw2_orphan(const struct tcp_tcb *t)
{
	return t->state == TCP_FIN_WAIT_2 && (t->flags & TCB_F_ORPHAN);
}

/* The FIN's sequence number once sent (TCB_F_FIN_SENT) and until
 * acknowledged: it follows the last queued byte, and the send queue holds
 * everything from SND.UNA (the SYN is acknowledged before data or FIN
 * goes, tcp_output.c can_send_data). */
static inline uint32_t tcb_fin_seq(const struct keel *k, const struct tcp_tcb *t)
{
	return t->snd_una + tcb_sndq(k, t)->len;
}

/* tcp_wheel.c (arming) and tcp_timer.c (firing): a TCB's timers.  Stopping only clears the bit: the wheel
 * node may then fire early and is refiled (no wheel work on the hot path
 * of every ACK and every sent segment); arming files the node only when
 * the new deadline is earlier than the wheel would reach it
 * (wheel_filed_at). */
void tcb_timer_set(struct keel *k, struct tcp_tcb *t, enum tcb_timer which, uint32_t due);   /* RTX, DACK */
void tcb_keepalive_arm(struct keel *k, struct tcp_tcb *t);   /* at tcb_ka_due */
void tcb_keepalive_in(struct keel *k, struct tcp_tcb *t, uint32_t ms);   /* ms from now, if the rtx slot is free */
void tcb_fin_timeout_arm(struct keel *k, struct tcp_tcb *t); /* tcb_fw2_orphan: tcp_fin_timeout from now */
static inline void tcb_timer_stop(struct tcp_tcb *t, enum tcb_timer which)
{
	t->timers = (uint16_t)(t->timers & ~(1u << which) & 7u);
}
static inline int tcb_timer_on(const struct tcp_tcb *t, enum tcb_timer which)
{
	return (t->timers >> which) & 1u;
}
/* The keepalive's deadline (RFC 1122 §4.2.3.6) has no field of its own.
 * Probes go only while nothing is outstanding, so the retransmit timer
 * is off then and its slot holds the deadline (TCB_D_KA_DUE: set when
 * keepalive is switched on or a probe goes, an idle time or an interval
 * from now, as Linux's tcp_keepalive_timer re-arms; cleared when the
 * retransmit timer takes the slot back).  Otherwise it is the idle time
 * after the last ACK received (Linux keepalive_time_elapsed): every ACK
 * restarts it, and with data outstanding it only finds the other timers
 * at work (keepalive_expired). */
/* The keepalive setting through tcb.ka (tcp_kaprof.h): every reader goes
 * through these; 0 when keepalive is off. */
static inline const struct tcp_ka_profile *tcb_ka_profile(const struct keel *k, const struct tcp_tcb *t)
{
	return t->ka == TCP_KA_OFF ? NULL : &k->tcp.ka.p[t->ka - 1u];
}
static inline unsigned tcb_ka_idle_s(const struct keel *k, const struct tcp_tcb *t)
{
	const struct tcp_ka_profile *p = tcb_ka_profile(k, t);
	return p ? p->idle_s : 0u;
}
static inline unsigned tcb_ka_intvl_s(const struct keel *k, const struct tcp_tcb *t)
{
	const struct tcp_ka_profile *p = tcb_ka_profile(k, t);
	return p ? p->intvl_s : 0u;
}
static inline unsigned tcb_ka_cnt(const struct keel *k, const struct tcp_tcb *t)
{
	const struct tcp_ka_profile *p = tcb_ka_profile(k, t);
	return p ? p->cnt : 0u;
}
static inline uint32_t tcb_ka_due(const struct keel *k, const struct tcp_tcb *t)
{
	if (t->dflags & TCB_D_KA_DUE)
		return t->rtx_due;
	return t->rcv_ms + tcb_ka_idle_s(k, t) * 1000u;
}
/* A timer's deadline (armed or last armed).  The delayed ACK's is kept
 * as its low 16 bits: it lies less than 32 s from now either way. */
static inline uint32_t tcb_timer_due(const struct keel *k, const struct tcp_tcb *t, enum tcb_timer which, uint32_t now)
{
	if (which == TCB_T_RTX)
		return t->rtx_due;
	if (which == TCB_T_KA)
		return tcb_ka_due(k, t);
	return now + (uint32_t)(int32_t)(int16_t)(uint16_t)(t->dack_due - (uint16_t)now);
}
void tcb_timers_fire(struct keel *k, struct tcp_tcb *t);
/* The earliest armed deadline in *first (1), or 0 if none (or t is not
 * a live connection): where its wheel node belongs. */
int tcb_timer_first(const struct keel *k, const struct tcp_tcb *t, uint32_t *first);
uint16_t tcb_timer_id(const struct keel *k, const struct tcp_tcb *t);   /* tcp_wheel.c */

/* tcp_wheel.c: node ids are TCB indices, then KEEL_TCP_MAX_CONN + SYN-queue index */
void wheel_init(struct keel *k);
/* Files node id for due: its owner's deadline, which the owner keeps
 * (asked again at a cascade, tcb_timer_first, tcp_synq_entry.due). */
void wheel_insert(struct keel *k, uint16_t id, uint32_t due);
/* Files id for due only if it is in no list or the wheel would reach it
 * later than due; otherwise it fires early and its owner refiles it. */
void wheel_file_lazy(struct keel *k, uint16_t id, uint32_t due);
uint32_t wheel_filed_at(const struct keel *k, uint16_t id);
void wheel_remove(struct keel *k, uint16_t id);
int wheel_queued(struct keel *k, uint16_t id);
void wheel_begin(struct keel *k);
int wheel_expire_next(struct keel *k, uint16_t *id);
void wheel_end(struct keel *k);
int wheel_next(struct keel *k, uint32_t *when);
void synq_timer_fire(struct keel *k, struct tcp_synq_entry *e);
uint16_t synq_timer_id(const struct keel *k, const struct tcp_synq_entry *e);

/* tcp_optneg.c: which of timestamps, SACK, window scale a connection uses */
uint8_t optneg_offer(const struct keel *k);
uint8_t optneg_rcv_shift(const struct keel *k);
/* What a SYN-ACK answering syn may offer: ours and the SYN's. */
uint8_t optneg_agree(const struct keel *k, const struct tcp_seg *syn);
void optneg_apply(const struct keel *k, struct tcp_tcb *t, uint8_t on, uint8_t peer_shift, uint32_t ts_recent);
void optneg_syn_sent(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s);
void optneg_syn_out(const struct keel *k, struct tcp_out *o, uint8_t on, uint32_t ts_off, uint32_t ts_recent);
uint32_t optneg_cookie_tsval(uint32_t tsval, uint8_t on, uint8_t peer_shift);
int optneg_cookie_decode(const struct keel *k, const struct tcp_seg *ack, uint8_t *on, uint8_t *peer_shift);
void tcp_opts_out(struct keel *k, const struct tcp_tcb *t, struct tcp_out *o);
void tcp_opts_fit(struct tcp_out *o, size_t len);

/* tcp_sack.c: SACK blocks we send (RFC 2018 §4); the scoreboard of what
 * the peer holds (RFC 6675); the tail-loss probe's timeout (RFC 8985) */
void sack_out(struct keel *k, const struct tcp_tcb *t, struct tcp_out *o);
/* The segment just received duplicated [start, end): an ACK goes at once
 * and reports it as a D-SACK block (RFC 2883), when SACK and tcp_dsack
 * are on. */
void sack_dsack_owed(struct keel *k, struct tcp_tcb *t, uint32_t start, uint32_t end);
void sack_on_ack(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s);
int sack_next_hole(struct keel *k, const struct tcp_tcb *t, uint32_t *off, uint32_t *len);
uint32_t tlp_pto(const struct tcp_tcb *t, uint32_t flight, uint32_t rto);

/* tcp_ts.c: timestamps and PAWS (RFC 7323) */
uint32_t ts_offset(struct keel *k, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport);
uint32_t tcp_isn_for(struct keel *k, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport);
uint32_t ts_now(const struct keel *k, const struct tcp_tcb *t);
void ts_out(const struct keel *k, const struct tcp_tcb *t, struct tcp_out *o);
int ts_paws_reject(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s);
void ts_update_recent(struct tcp_tcb *t, const struct tcp_seg *s);
int ts_rtt(const struct keel *k, const struct tcp_tcb *t, const struct tcp_seg *s, uint32_t *rtt);
int ts_synack_ok(struct keel *k, const struct tcp_tcb *t, const struct tcp_seg *s);
int ts_synsent_paws_reject(const struct tcp_tcb *t, const struct tcp_seg *s);

/* SEG.WND as a window in bytes: scaled by the peer's shift except on a
 * SYN (RFC 7323 §2.2). */
static inline uint32_t tcb_seg_wnd(const struct tcp_tcb *t, const struct tcp_seg *s)
{
	if (s->flags & TCP_SYN)
		return s->wnd;
	return (uint32_t)s->wnd << tcp_snd_shift(&t->opt);
}

/* SND.WND in bytes: the window field kept (tcb.snd_wnd) scaled as when
 * it came (tcb_seg_wnd). */
static inline uint32_t tcb_snd_wnd(const struct tcp_tcb *t)
{
	if (t->dflags & TCB_D_SYN_WND)
		return t->snd_wnd;
	return (uint32_t)t->snd_wnd << tcp_snd_shift(&t->opt);
}

/* SND.WND = SEG.WND of s; the shift is read with it (tcb_snd_wnd). */
static inline void tcb_set_snd_wnd(struct tcp_tcb *t, const struct tcp_seg *s)
{
	t->snd_wnd = s->wnd;
	if (s->flags & TCP_SYN)
		t->dflags |= TCB_D_SYN_WND;
	else
		t->dflags &= (uint8_t)~TCB_D_SYN_WND;
}

/* A window for max_sndwnd, saturating at TCB_MAX_SNDWND: max_sndwnd is
 * only compared with half of a segment shorter than snd_mss <=
 * TCP_MSS_OURS (tcp_output.c), below TCB_MAX_SNDWND / 2, so every window
 * of TCB_MAX_SNDWND or more gives the same answer there. */
_Static_assert(TCP_MSS_OURS < TCB_MAX_SNDWND / 2u, "max_sndwnd saturates above twice a segment");
static inline uint16_t tcb_wnd_sat(uint32_t w)
{
	return (uint16_t)(w < TCB_MAX_SNDWND ? w : TCB_MAX_SNDWND);
}
static inline uint16_t tcb_snd_wnd_sat(const struct tcp_tcb *t)
{
	return tcb_wnd_sat(tcb_snd_wnd(t));
}
#endif
