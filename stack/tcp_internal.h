/* Functions shared between the TCP engine's files; not for applications. */
#ifndef KEEL_TCP_INTERNAL_H
#define KEEL_TCP_INTERNAL_H
#include <stdint.h>
#include "keel.h"
#include "tcp_wire.h"

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

/* Handles: bits 0-7 index, bit 8 listener, bits 9-23 generation. */
#define TCP_H_LISTEN 0x100
#define TCP_H_GEN_MASK 0x7fffu
static inline int tcp_handle_make(unsigned idx, unsigned gen, int listener)
{
	return (int)(((gen & TCP_H_GEN_MASK) << 9) | (listener ? TCP_H_LISTEN : 0) | (idx & 0xffu));
}
static inline uint16_t tcp_gen_next(uint16_t g)
{
	g = (uint16_t)((g + 1u) & TCP_H_GEN_MASK);
	return g ? g : 1u;
}

/* tcp_emit.c: the segment's payload goes at tcp_out_payload(k) first;
 * tcp_emit writes the header, counts OutSegs/OutRsts, hands it to IP. */
uint8_t *tcp_out_payload(struct keel *k);
int tcp_emit(struct keel *k, const struct tcp_out *o, size_t len);

/* tcp_tcb.c: pool, handles, lookup, state changes */
struct tcp_tcb *tcb_alloc(struct keel *k);
void tcb_free(struct keel *k, struct tcp_tcb *t);
struct tcp_tcb *tcb_from_handle(struct keel *k, int h);
int tcb_handle(struct keel *k, const struct tcp_tcb *t);
struct tcp_tcb *tcb_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport);
void tcb_set_state(struct keel *k, struct tcp_tcb *t, uint8_t state);
/* The connection is over: record err for the app, or free it if orphaned. */
void tcb_done(struct keel *k, struct tcp_tcb *t, int err);
uint16_t tcb_rcv_wnd(const struct tcp_tcb *t);
/* A state where the peer holds the connection too, so an abort sends RST
 * (Linux tcp_need_reset). */
int tcb_need_reset(const struct tcp_tcb *t);
void pool_take(struct keel *k, enum tcp_pool p);
void pool_give(struct keel *k, enum tcp_pool p);

/* tcp_listen.c */
struct tcp_listener *listen_lookup(struct keel *k, uint16_t port);
int listen_index(struct keel *k, const struct tcp_listener *l);
int acceptq_full(const struct tcp_listener *l);
void acceptq_push(struct keel *k, struct tcp_listener *l, struct tcp_tcb *t);
void acceptq_unlink(struct keel *k, struct tcp_tcb *t);
void listen_input(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s);
/* SYN admission; tw_isn != 0: the SYN took over a TIME_WAIT 4-tuple and
 * the new connection's ISN is fixed (no cookie then, as Linux). */
void listen_syn(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s, uint32_t tw_isn);
struct tcp_listener *listen_from_handle(struct keel *k, int h);
void listen_close(struct keel *k, struct tcp_listener *l);

/* tcp_synq.c */
struct tcp_synq_entry *synq_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport);
struct tcp_synq_entry *synq_alloc(struct keel *k, struct tcp_listener *l);
void synq_free(struct keel *k, struct tcp_synq_entry *e);
void synq_send_synack(struct keel *k, const struct tcp_synq_entry *e);
void synq_input(struct keel *k, struct tcp_synq_entry *e, const struct tcp_seg *s);
/* The TCB for a completed handshake described by e (a SYN-queue entry or
 * one rebuilt from a cookie), queued for accept; NULL (counted) when the
 * accept queue is full or no TCB is free.  The caller then hands the ACK
 * to fsm_input for any data or FIN it carries. */
struct tcp_tcb *synq_child(struct keel *k, struct tcp_listener *l, const struct tcp_synq_entry *e,
			   const struct tcp_seg *s);
void synq_drop_listener(struct keel *k, unsigned listener);
void synq_tick(struct keel *k);

/* tcp_timewait.c */
void tw_enter(struct keel *k, const struct tcp_tcb *t);
struct tcp_tw_entry *tw_lookup(struct keel *k, uint32_t raddr, uint16_t rport, uint16_t lport);
void tw_input(struct keel *k, struct tcp_tw_entry *w, const struct tcp_seg *s);
void tw_tick(struct keel *k);
uint32_t tw_deadline(const struct keel *k, const struct tcp_tw_entry *w);
uint32_t tw_next_isn(const struct tcp_tw_entry *w);
int tw_reuse_ok(const struct keel *k, const struct tcp_tw_entry *w);
void tw_recycle(struct keel *k, struct tcp_tw_entry *w);
/* Frees every entry; returns how many there were. */
unsigned tw_flush(struct keel *k);

/* tcp_fsm.c: every state that has a TCB */
void fsm_input(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s);
/* Peer MSS option (0 = absent) -> the MSS we send with. */
uint16_t tcp_clamp_mss(uint16_t peer);

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
uint32_t tcp_persist_interval(const struct tcp_tcb *t);
void tcp_send_keepalive(struct keel *k, struct tcp_tcb *t);
/* Retransmit one segment at SND.UNA (fast retransmit, NewReno partial ACK). */
void tcp_retransmit_head(struct keel *k, struct tcp_tcb *t);

/* tcp_cc.c: RTT estimation and RTO (RFC 6298), congestion control
 * (RFC 5681 slow start / congestion avoidance, RFC 6582 NewReno) */
void tcb_dp_init(struct keel *k, struct tcp_tcb *t);
void cc_established(struct tcp_tcb *t);
void cc_rtt_sample(struct tcp_tcb *t, uint32_t rtt_ms);
uint32_t cc_rto_base(const struct tcp_tcb *t);
void cc_on_ack(struct keel *k, struct tcp_tcb *t, uint32_t ack, uint32_t acked_bytes);
void cc_on_dupack(struct keel *k, struct tcp_tcb *t);
void cc_on_rto(struct keel *k, struct tcp_tcb *t);
static inline uint32_t tcb_flight(const struct tcp_tcb *t) { return t->snd_nxt - t->snd_una; }

/* tcp_rcv.c: segment text into the receive ring (out-of-order ranges),
 * delayed ACK, receiver window (SWS avoidance) */
int rcv_text(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s);
uint16_t rcv_wnd_select(struct tcp_tcb *t);
void rcv_fin_ooo(struct tcp_tcb *t, uint32_t fin);
int rcv_fin_due(const struct tcp_tcb *t);
int tcp_rcv_window_update_due(const struct tcp_tcb *t);
void tcp_rcv_window_update(struct keel *k, struct tcp_tcb *t);

/* tcp_api.c: 0 when t may queue data, else what tcp_send returns */
int tcb_send_check(struct tcp_tcb *t);

/* tcp_timer.c */
void tcb_tick(struct keel *k);
#endif
