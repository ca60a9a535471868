/* The receiving half of the data path:
 *   - segment text into the receive queue's chunks, in order or not: a
 *     byte beyond RCV.NXT is written straight to its final queue position
 *     and remembered as one of KEEL_TCP_OOO_RANGES sequence ranges, so
 *     filling the gap later moves nothing (one copy per byte, whatever the
 *     order).  Duplicates and overlaps are trimmed by the range arithmetic.
 *     A segment that would need one range too many is dropped (or evicts
 *     the highest range, if it lies below it).  The ranges are cold state
 *     (struct tcb_ext): with none free, out-of-order data is dropped.  Out-of-order bytes take
 *     chunks only within the window, so at most a window's worth, and go
 *     first when memory runs short (rcv_store).
 *   - when to ACK (RFC 1122 §4.2.3.2, RFC 5681 §4.2): at once for
 *     out-of-order data, for data that fills (part of) a gap, for a FIN and
 *     once more than one full-sized segment is unacknowledged (so at least
 *     every second one, as Linux's __tcp_ack_snd_check); otherwise within
 *     KEEL_TCP_DELACK_MS.
 *   - the window to advertise (RFC 9293 §3.8.6.2.2, receiver SWS
 *     avoidance): the right edge moves only by min(buffer/2, MSS) or more,
 *     and never moves left, memory pressure or not; unscaled and 4
 *     segments or more, it is a whole number of segments.
 * This file never sends: it marks an ACK owed (TCB_F_ACK_NOW, the delayed
 * ACK timer) or returns that a window update is due, and the output path
 * (tcp_output.c) sends. */
#include <string.h>
#include "tcp_internal.h"

static void ooo_remove(struct tcb_ext *t, unsigned i)
{
	for (unsigned j = i + 1u; j < t->nooo; j++)
		t->ooo[j - 1u] = t->ooo[j];
	t->nooo--;
}

/* [s, e) (offsets from RCV.NXT) joins the set of out-of-order ranges
 * (sorted, disjoint, not touching).  Returns 0 when it could not be kept. */
static int ooo_add(struct tcb_ext *t, uint32_t s, uint32_t e)
{
	unsigned i = 0;
	while (i < t->nooo && t->ooo[i].end < s)
		i++;                                    /* ranges wholly below */
	/* merge every range that overlaps or touches [s, e) */
	while (i < t->nooo && t->ooo[i].start <= e) {
		if (t->ooo[i].start < s)
			s = t->ooo[i].start;
		if (t->ooo[i].end > e)
			e = t->ooo[i].end;
		ooo_remove(t, i);
	}
	if (t->nooo == KEEL_TCP_OOO_RANGES) {
		if (i == t->nooo)
			return 0;                       /* beyond every range: drop */
		t->nooo--;                              /* evict the highest */
	}
	for (unsigned j = t->nooo; j > i; j--)
		t->ooo[j] = t->ooo[j - 1u];
	t->ooo[i].start = (qlen_t)s;
	t->ooo[i].end = (qlen_t)e;
	t->nooo++;
	return 1;
}

/* [s, e) (offsets from RCV.NXT) arrived again where out-of-order bytes
 * are held: the first such overlap is reported as a D-SACK block (RFC
 * 2883 §4; Linux tcp_data_queue_ofo, tcp_ofo_queue). */
static void ooo_dsack(struct keel *k, struct tcp_tcb *t, const struct tcb_ext *x, uint32_t s, uint32_t e)
{
	for (unsigned i = 0; x && i < x->nooo; i++) {
		uint32_t a = s > x->ooo[i].start ? s : x->ooo[i].start;
		uint32_t b = e < x->ooo[i].end ? e : x->ooo[i].end;
		if (a < b) {
			sack_dsack_owed(k, t, t->rcv_nxt + a, t->rcv_nxt + b);
			return;
		}
	}
}

/* Stores len bytes at queue offset at (the readable bytes, then the
 * out-of-order span) in chunks the pool lets this connection take.  When
 * in-order data finds no memory, the out-of-order bytes go first (Linux
 * tcp_prune_ofo_queue).  The queue is in the flight entry (tcp_flight.h):
 * the first byte takes one, and none free is a dry arena.  Returns the
 * bytes stored from at. */
static uint32_t rcv_store(struct keel *k, struct tcp_tcb *t, uint32_t at, const uint8_t *p,
			  uint32_t len, int in_order)
{
	if (!tcb_flight_take(k, t))
		return 0;                       /* counted: the pool's full */
	struct chunkq *q = tcb_rcvq_w(k, t);
	uint32_t min = k->tcp.sysctl.tcp_rmem[0];
	unsigned allowed = mem_chunks_allowed(k, t, q, min);
	if (chunkq_chunks_for(q, at + len) > allowed) {
		k->tcp.mib.prune_called++;
		if (in_order && mem_prune_ofo(k, t))
			allowed = mem_chunks_allowed(k, t, q, min);
	}
	uint32_t w = chunkq_write(q, &k->tcp.chunks, at, p, len, allowed);
	mem_update(k);
	if (w == 0)
		tcb_flight_trim(k, t);          /* a first byte found no chunk: the entry goes back */
	return w;
}

/* What a segment may fill beyond RCV.NXT: the right edge advertised is a
 * promise (RFC 9293 §3.8.6), and free space beyond it is taken too. */
uint32_t rcv_room(const struct keel *k, const struct tcp_tcb *t)
{
	int32_t edge = (int32_t)((uint32_t)t->rcv_adv - t->wup_off);
	uint32_t free_now = tcb_rcv_wnd(k, t);
	return edge > 0 && (uint32_t)edge > free_now ? (uint32_t)edge : free_now;
}

/* The SWS-avoidance step (RFC 9293 §3.8.6.2.2): min(buffer / 2, MSS). */
static uint32_t sws_step(const struct tcp_tcb *t)
{
	uint32_t half = t->rcv_budget / 2u;
	return t->snd_mss < half ? t->snd_mss : half;
}

static void ack_soon(struct keel *k, struct tcp_tcb *t)
{
	if (t->wup_off > t->snd_mss) {             /* RCV.NXT - RCV.WUP */
		t->flags |= TCB_F_ACK_NOW;              /* two full segments (or more) unacked */
		return;
	}
	if (!tcb_timer_on(t, TCB_T_DACK))
		tcb_timer_set(k, t, TCB_T_DACK, k->now_ms + KEEL_TCP_DELACK_MS);
}

/* The peer's FIN at fin, beyond RCV.NXT: remembered until RCV.NXT gets
 * there (rcv_fin_due), in the cold state; with none free it is dropped
 * (TCPOFODrop) and the peer sends it again. */
void rcv_fin_ooo(struct keel *k, struct tcp_tcb *t, uint32_t fin)
{
	struct tcb_ext *x = tcb_ext_get(k, t);
	if (!x) {
		k->tcp.mib.ofo_drop++;
		return;
	}
	x->rcv_fin = fin;
	t->flags |= TCB_F_FIN_OOO;
}

/* A remembered FIN is now in order. */
int rcv_fin_due(struct keel *k, const struct tcp_tcb *t)
{
	const struct tcb_ext *x = tcb_ext(k, t);
	return (t->flags & TCB_F_FIN_OOO) && x && t->rcv_nxt == x->rcv_fin;
}

/* Segment text in ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2.  Returns 1 when the
 * segment's end is now RCV.NXT (so a FIN on it is in order). */
int rcv_text(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s)
{
	const uint8_t *p = s->data;
	uint32_t len = s->len;
	uint32_t seq = s->seq;
	if (seq_lt(seq, t->rcv_nxt)) {                  /* trim the old part */
		uint32_t skip = t->rcv_nxt - seq;
		if (skip > len)
			skip = len;
		sack_dsack_owed(k, t, seq, seq + skip);   /* RFC 2883: the duplicated part */
		p += skip;
		len -= skip;
		seq += skip;
	}
	if (len == 0) {
		if (s->len > 0)
			t->flags |= TCB_F_ACK_NOW;      /* a duplicate: tell the peer where we are */
		return seq == t->rcv_nxt;
	}
	uint32_t off = seq - t->rcv_nxt;
	uint32_t room = rcv_room(k, t);
	if (off >= room) {
		t->flags |= TCB_F_ACK_NOW;              /* wholly beyond the window */
		return 0;
	}
	/* Out-of-order bytes need their ranges in the cold state. */
	struct tcb_ext *x = off != 0 ? tcb_ext_get(k, t) : tcb_ext(k, t);
	if (off != 0 && !x) {
		k->tcp.mib.ofo_drop++;
		t->flags |= TCB_F_ACK_NOW;              /* duplicate ACK: RFC 5681 §4.2 */
		return 0;
	}
	int all = 1;
	if (len > room - off) {
		len = room - off;                       /* beyond the window: trimmed */
		all = 0;
	}
	uint32_t stored = rcv_store(k, t, tcb_rcvq(k, t)->len + off, p, len, off == 0);
	if (stored < len) {
		/* No memory for (the rest of) it: dropped and counted, as
		 * Linux's TCPRcvQDrop / TCPOFODrop; the peer sends it again.
		 * The ACK repeats the right edge, which never moves left. */
		if (off == 0)
			k->tcp.mib.rcvq_drop++;
		else
			k->tcp.mib.ofo_drop++;
		t->rcv_drops++;
		t->flags |= TCB_F_ACK_NOW;
		if (stored == 0)
			return 0;
		len = stored;
		all = 0;
	}
	ooo_dsack(k, t, x, off, off + len);
	if (off != 0) {
		/* An out-of-order FIN is kept with its data, as Linux keeps
		 * it on the out-of-order queue: when the gap fills the FIN
		 * is taken (fsm) instead of costing the peer an RTO. */
		int kept = ooo_add(x, off, off + len);  /* off + len <= room, a queue's bytes */
		if (kept) {
			k->tcp.mib.ofo_queue++;
			x->sack_last = (qlen_t)seq;         /* its block is reported first */
		} else {
			k->tcp.mib.ofo_drop++;
		}
		/* Chunks hold only what the ranges still describe (a dropped
		 * or evicted range gives its chunks back). */
		struct chunkq *q = tcb_rcvq_w(k, t);   /* stored > 0: t holds the entry */
		uint32_t keep = q->len + (x->nooo ? x->ooo[x->nooo - 1u].end : 0u);
		if (chunkq_truncate(q, &k->tcp.chunks, keep)) {
			mem_update(k);
			tcb_flight_trim(k, t);          /* nothing kept: the entry may go */
		}
		if (kept && all && (s->flags & TCP_FIN))
			rcv_fin_ooo(k, t, seq + len);
		t->flags |= TCB_F_ACK_NOW;              /* duplicate ACK: RFC 5681 §4.2 */
		return 0;
	}
	int had_gap = x && x->nooo > 0;
	uint32_t adv = len;                             /* RCV.NXT moves by adv */
	while (x && x->nooo > 0 && x->ooo[0].start <= adv) {
		if (x->ooo[0].end > adv)
			adv = x->ooo[0].end;
		ooo_remove(x, 0);
	}
	for (unsigned i = 0; x && i < x->nooo; i++) {   /* offsets follow RCV.NXT */
		x->ooo[i].start = (qlen_t)(x->ooo[i].start - adv);
		x->ooo[i].end = (qlen_t)(x->ooo[i].end - adv);
	}
	tcb_rcv_nxt_add(t, adv);
	chunkq_commit(tcb_rcvq_w(k, t), adv);           /* the bytes were in place (stored > 0: the entry is held) */
	if ((int32_t)((uint32_t)t->rcv_adv - t->wup_off) < (int32_t)sws_step(t))
		t->mflags |= TCB_M_RWND_FULL;           /* the window was the limit */
	if (had_gap)
		t->flags |= TCB_F_ACK_NOW;              /* filled (part of) a gap */
	else
		ack_soon(k, t);
	return all && seq + len == t->rcv_nxt;
}

/* Free space as a window worth offering: unscaled and at least
 * RCV_ROUND_SEGS full segments, a whole number of them (Linux
 * __tcp_select_window rounds down to the MSS without scaling).  A window
 * of 5.6 segments makes a window-limited peer send 5 full ones and one of
 * 0.6 each round trip, a frame that costs the MAC and the CPU as much as
 * a full one (mps2-an385: 14 % of the segments into discard were 952
 * bytes at 8192).  Below that, the partial segment is too large a share
 * of a small window to give up. */
#define RCV_ROUND_SEGS 4u
static uint32_t rcv_whole_segments(const struct tcp_tcb *t, uint32_t avail, unsigned shift)
{
	uint32_t mss = t->snd_mss;
	if (shift != 0 || tcp_rcv_shift(&t->opt) != 0 || mss == 0 || avail < RCV_ROUND_SEGS * mss)
		return avail;
	return avail - avail % mss;
}

/* The window field for the segment being built, in units of 2^shift
 * (RFC 7323 §2.3); records the window as advertised, which is the field
 * times 2^shift, the window the peer sees. */
uint16_t rcv_wnd_select(const struct keel *k, struct tcp_tcb *t, unsigned shift)
{
	uint32_t avail = rcv_whole_segments(t, tcb_rcv_wnd(k, t), shift);
	int32_t cur = (int32_t)((uint32_t)t->rcv_adv - t->wup_off);
	uint32_t c = cur < 0 ? 0u : (uint32_t)cur;
	uint32_t unit = 1u << shift;
	/* Under memory pressure avail may fall below c: the window then
	 * stays c, as the right edge never moves left (RFC 9293 §3.8.6).
	 * A new window is rounded down to the scale's unit (the peer can
	 * be told no finer); the old one, rounded up, so that the edge it
	 * promised does not move left when RCV.NXT's advance leaves it
	 * off the unit (RFC 7323 §2.4; Linux tcp_select_window). */
	uint32_t w = avail >= c + sws_step(t) ? avail & ~(unit - 1u) : 0u;
	if (w < c)
		w = (c + unit - 1u) & ~(unit - 1u);
	if (w > (uint32_t)0xffffu << shift)
		w = (uint32_t)0xffffu << shift;     /* a buffer beyond the field: no scaling agreed */
	t->rcv_adv = (qlen_t)w;
	tcb_rcv_wup_now(t);
	return (uint16_t)(w >> shift);
}

/* After the application read: is a window update owed?  Yes as soon as
 * receiver SWS avoidance lets the right edge move (so a zero window
 * reopens at once when min(buffer/2, MSS) is free). */
int tcp_rcv_window_update_due(const struct keel *k, const struct tcp_tcb *t)
{
	if (t->state != TCP_ESTABLISHED && t->state != TCP_FIN_WAIT_1 && t->state != TCP_FIN_WAIT_2)
		return 0;
	uint32_t avail = rcv_whole_segments(t, tcb_rcv_wnd(k, t), tcp_rcv_shift(&t->opt));
	int32_t cur = (int32_t)((uint32_t)t->rcv_adv - t->wup_off);
	uint32_t c = cur < 0 ? 0u : (uint32_t)cur;
	return avail >= c + sws_step(t);
}

/* After the application read: buffer growth (tcp_mem.c); returns 1 when
 * a window update is owed (the output path sends it). */
int rcv_read(struct keel *k, struct tcp_tcb *t)
{
	mem_rcv_read(k, t);
	return tcp_rcv_window_update_due(k, t);
}
