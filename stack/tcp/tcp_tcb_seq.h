/* The TCB's send-side sequence numbers beyond SND.UNA (SND.NXT, snd_max,
 * snd_sml, RFC 6582's recover: in the flight entry, tcp_flight.h) and
 * RCV.WUP, kept as qlen_t offsets: each lies within one send queue of
 * SND.UNA, or behind RCV.NXT.  Read and written only through these. */
#ifndef KEEL_TCP_TCB_SEQ_H
#define KEEL_TCP_TCB_SEQ_H
#include <stdint.h>
#include "keel.h"

/* Sent data comes from the send queue, which starts at SND.UNA: SND.NXT
 * and snd_max lie at most its bytes plus SYN and FIN beyond it, recover
 * one more (counted from SND.UNA - 1).  A queue covers at most
 * CHUNKQ_MAX bytes (chunkq.h): the arena, or the per-connection limit. */
_Static_assert((uint64_t)CHUNKQ_MAX + 3u <= (qlen_t)~(qlen_t)0,
	       "SND.UNA + the send queue + SYN + FIN + 1 fits a qlen_t offset");
_Static_assert(CHUNKQ_SEG_MARGIN >= 3u, "the width rule (chunkq.h) covers SYN + FIN + 1");

/* The offsets live in the TCB's flight entry (tcp_flight.h).  A TCB
 * that holds none has nothing queued or in flight but maybe its SYN: in
 * SYN_SENT and SYN_RECEIVED (an active open's, tcb_new_active) SND.NXT =
 * snd_max = ISS + 1 and recover = ISS (tcb_flight_syn), else all read 0:
 * SND.NXT = snd_max = snd_sml = SND.UNA, recover SND.UNA - 1
 * (tcb_flight_idle).  The ACK of the SYN moves SND.UNA to ISS + 1 and the
 * state on, so the same TCB reads idle from then on. */
extern const struct tcb_flight tcb_flight_idle, tcb_flight_syn;
/* Inlined always: the data path reads them on every segment, and -Os
 * would otherwise make calls of them. */
#define TCB_SEQ_INLINE static inline __attribute__((always_inline))
TCB_SEQ_INLINE const struct tcb_flight *tcb_fl(const struct keel *k, const struct tcp_tcb *t)
{
	if (t->flight != TCP_NONE)
		return &k->tcp.flight.f[t->flight];
	return t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED ? &tcb_flight_syn : &tcb_flight_idle;
}
/* The entry to write, NULL when none is held: a setter then only ever
 * sets what already reads so (the flight entry is taken before anything
 * is queued or sent, tcp_flight.h).  nonnull: a NULL answer says t holds
 * none, never that k was NULL (clang's analyzer would otherwise infer it
 * from &k->... == NULL). */
TCB_SEQ_INLINE __attribute__((nonnull)) struct tcb_flight *tcb_flw(struct keel *k, const struct tcp_tcb *t)
{
	return t->flight != TCP_NONE ? &k->tcp.flight.f[t->flight] : (struct tcb_flight *)0;
}

/* The send queue (tcp_flight.h): the entry's, or an empty one when t
 * holds none. */
TCB_SEQ_INLINE const struct chunkq *tcb_sndq(const struct keel *k, const struct tcp_tcb *t)
{
	return t->flight != TCP_NONE ? &k->tcp.flight.f[t->flight].sndq : &tcb_flight_idle.sndq;
}
/* The send queue to write: t holds an entry (tcb_flight_take first). */
TCB_SEQ_INLINE struct chunkq *tcb_sndq_w(struct keel *k, const struct tcp_tcb *t)
{
	return &k->tcp.flight.f[t->flight].sndq;
}
/* The receive queue, the same way (tcp_rcv.c takes the entry before it
 * writes the first byte). */
TCB_SEQ_INLINE const struct chunkq *tcb_rcvq(const struct keel *k, const struct tcp_tcb *t)
{
	return t->flight != TCP_NONE ? &k->tcp.flight.f[t->flight].rcvq : &tcb_flight_idle.rcvq;
}
TCB_SEQ_INLINE struct chunkq *tcb_rcvq_w(struct keel *k, const struct tcp_tcb *t)
{
	return &k->tcp.flight.f[t->flight].rcvq;
}

TCB_SEQ_INLINE uint32_t tcb_nxt_off(const struct keel *k, const struct tcp_tcb *t)
{
	return tcb_fl(k, t)->nxt_off;
}
TCB_SEQ_INLINE uint32_t tcb_max_off(const struct keel *k, const struct tcp_tcb *t)
{
	return tcb_fl(k, t)->max_off;
}
TCB_SEQ_INLINE uint32_t tcb_snd_nxt(const struct keel *k, const struct tcp_tcb *t)
{
	return t->snd_una + tcb_nxt_off(k, t);
}
TCB_SEQ_INLINE uint32_t tcb_snd_max(const struct keel *k, const struct tcp_tcb *t)
{
	return t->snd_una + tcb_max_off(k, t);
}
/* snd_sml, or SND.UNA once SND.UNA has passed it: its one question
 * (Minshall, tcp_output.c) is "snd_sml > SND.UNA?", false for both. */
static inline uint32_t tcb_snd_sml(const struct keel *k, const struct tcp_tcb *t)
{
	return t->snd_una + tcb_fl(k, t)->sml_off;
}
/* recover, or SND.UNA - 1 once SND.UNA has passed it: it is only
 * compared with SND.UNA (tcp_cc.c: SND.UNA > recover, SND.UNA >=
 * recover), and SND.UNA - 1 answers both as any value below SND.UNA. */
static inline uint32_t tcb_recover(const struct keel *k, const struct tcp_tcb *t)
{
	return t->snd_una - 1u + tcb_fl(k, t)->rec_off;
}

/* seq in [SND.UNA, SND.UNA + the send queue + SYN + FIN]. */
static inline void tcb_set_snd_nxt(struct keel *k, struct tcp_tcb *t, uint32_t seq)
{
	struct tcb_flight *f = tcb_flw(k, t);
	if (f)
		f->nxt_off = (qlen_t)(seq - t->snd_una);
}
static inline void tcb_set_snd_max(struct keel *k, struct tcp_tcb *t, uint32_t seq)
{
	struct tcb_flight *f = tcb_flw(k, t);
	if (f)
		f->max_off = (qlen_t)(seq - t->snd_una);
}
static inline void tcb_set_snd_sml(struct keel *k, struct tcp_tcb *t, uint32_t seq)
{
	struct tcb_flight *f = tcb_flw(k, t);
	if (f)
		f->sml_off = (qlen_t)(seq - t->snd_una);
}
/* seq in [SND.UNA - 1, snd_max]. */
static inline void tcb_set_recover(struct keel *k, struct tcp_tcb *t, uint32_t seq)
{
	struct tcb_flight *f = tcb_flw(k, t);
	if (f)
		f->rec_off = (qlen_t)(seq - (t->snd_una - 1u));
}

static inline qlen_t tcb_off_sub(qlen_t off, uint32_t d) { return off > d ? (qlen_t)(off - d) : 0u; }

/* SND.UNA = seq (>= SND.UNA): the offsets follow; SND.NXT and snd_max
 * never fall behind SND.UNA (acked beyond a go-back-N rewind, or an ACK
 * of our SYN in SYN_RECEIVED), snd_sml and recover clamp (above). */
static inline void tcb_set_snd_una(struct keel *k, struct tcp_tcb *t, uint32_t seq)
{
	uint32_t d = seq - t->snd_una;
	struct tcb_flight *f = tcb_flw(k, t);
	t->snd_una = seq;
	if (!f)
		return;
	f->nxt_off = tcb_off_sub(f->nxt_off, d);
	f->max_off = tcb_off_sub(f->max_off, d);
	f->sml_off = tcb_off_sub(f->sml_off, d);
	f->rec_off = tcb_off_sub(f->rec_off, d);
}

/* RCV.WUP, RCV.NXT when the window was last advertised, wup_off behind
 * RCV.NXT, saturating at TCB_WUP_CAP.  Every use asks about the right
 * edge RCV.WUP + rcv_adv (rcv_adv <= the cap) relative to RCV.NXT, or
 * RCV.NXT - RCV.WUP > MSS, or SEG.SEQ <= RCV.WUP for a segment that
 * overlaps RCV.NXT (tcp_ts.c): an edge at or behind RCV.NXT, "yes" and
 * "no" whether RCV.WUP is at the cap or further behind. */
#define TCB_WUP_CAP ((qlen_t)~(qlen_t)0 < 0x7fffffffu ? (uint32_t)(qlen_t)~(qlen_t)0 : 0x7fffffffu)
static inline uint32_t tcb_rcv_wup(const struct tcp_tcb *t) { return t->rcv_nxt - t->wup_off; }
static inline void tcb_rcv_wup_now(struct tcp_tcb *t) { t->wup_off = 0; }

/* SND.WL1 (RFC 9293 §3.3.1), the SEQ of the segment that last updated
 * the window, kept as wl1_off = SND.WL1 - (RCV.NXT - TCB_WL1_BEHIND),
 * saturating at 0 as RCV.NXT moves on.  Its one use (tcp_fsm.c
 * window_update) compares it (<, ==) with the SEQ of an acceptable
 * segment (§3.10.7.4 step 1), which lies in [RCV.NXT - (SEG.LEN - 1),
 * RCV.NXT + RCV.WND], SEG.LEN at most a segment's data, SYN and FIN
 * (CHUNKQ_SEG_MARGIN), RCV.WND at most a queue (CHUNKQ_MAX).  A SND.WL1
 * TCB_WL1_BEHIND or more behind RCV.NXT is below every such SEQ, as is
 * the saturated value: both answer "older" alike; ahead it is exact. */
#define TCB_WL1_BEHIND ((uint32_t)CHUNKQ_SEG_MARGIN)
_Static_assert((uint64_t)CHUNKQ_MAX + TCB_WL1_BEHIND <= (qlen_t)~(qlen_t)0,
	       "SND.WL1 from a segment behind RCV.NXT to the window's right edge fits a qlen_t");
static inline uint32_t tcb_snd_wl1(const struct tcp_tcb *t)
{
	return t->rcv_nxt - TCB_WL1_BEHIND + t->wl1_off;
}
/* seq: an acceptable segment's, RCV.NXT already set. */
static inline void tcb_set_snd_wl1(struct tcp_tcb *t, uint32_t seq)
{
	uint32_t d = seq - (t->rcv_nxt - TCB_WL1_BEHIND);
	const uint32_t top = (qlen_t)~(qlen_t)0;
	if ((int32_t)d < 0)
		d = 0;
	t->wl1_off = (qlen_t)(d < top ? d : top);
}

/* RCV.NXT += n (n < 2^31). */
static inline void tcb_rcv_nxt_add(struct tcp_tcb *t, uint32_t n)
{
	uint32_t w = t->wup_off + n;
	t->rcv_nxt += n;
	t->wup_off = (qlen_t)(w < TCB_WUP_CAP ? w : TCB_WUP_CAP);
	t->wl1_off = tcb_off_sub(t->wl1_off, n);
}
#endif
