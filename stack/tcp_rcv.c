/* The receiving half of the data path:
 *   - segment text into the receive ring, in order or not: a byte beyond
 *     RCV.NXT is written straight to its final ring position and remembered
 *     as one of KEEL_TCP_OOO_RANGES sequence ranges, so filling the gap later
 *     moves nothing (one copy per byte, whatever the order).  Duplicates and
 *     overlaps are trimmed by the range arithmetic.  Cost: 8 bytes of TCB per
 *     range and no extra buffer; a segment that would need one range too
 *     many is dropped (or evicts the highest range, if it lies below it).
 *   - when to ACK (RFC 1122 §4.2.3.2, RFC 5681 §4.2): at once for
 *     out-of-order data, for data that fills (part of) a gap, for a FIN and
 *     once more than one full-sized segment is unacknowledged (so at least
 *     every second one, as Linux's __tcp_ack_snd_check); otherwise within
 *     KEEL_TCP_DELACK_MS.
 *   - the window to advertise (RFC 9293 §3.8.6.2.2, receiver SWS
 *     avoidance): the right edge moves only by min(RCVBUF/2, MSS) or more,
 *     and never moves left. */
#include <string.h>
#include "tcp_internal.h"

static void ooo_remove(struct tcp_tcb *t, unsigned i)
{
	for (unsigned j = i + 1u; j < t->nooo; j++)
		t->ooo[j - 1u] = t->ooo[j];
	t->nooo--;
}

/* [s, e) joins the set of out-of-order ranges (sorted, disjoint, not
 * touching).  Returns 0 when it could not be kept. */
static int ooo_add(struct tcp_tcb *t, uint32_t s, uint32_t e)
{
	unsigned i = 0;
	while (i < t->nooo && seq_lt(t->ooo[i].end, s))
		i++;                                    /* ranges wholly below */
	/* merge every range that overlaps or touches [s, e) */
	while (i < t->nooo && seq_le(t->ooo[i].start, e)) {
		if (seq_lt(t->ooo[i].start, s))
			s = t->ooo[i].start;
		if (seq_gt(t->ooo[i].end, e))
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
	t->ooo[i].start = s;
	t->ooo[i].end = e;
	t->nooo++;
	return 1;
}

static void ring_put(struct tcp_tcb *t, uint32_t off, const uint8_t *p, uint32_t len)
{
	uint16_t at = (uint16_t)((t->rcv_head + t->rcv_len + off) & TCP_RCVMASK);
	uint32_t first = KEEL_TCP_RCVBUF - at;
	if (first > len)
		first = len;
	memcpy(t->rcvbuf + at, p, first);
	memcpy(t->rcvbuf, p + first, len - first);
}

static void ack_soon(struct keel *k, struct tcp_tcb *t)
{
	if (t->rcv_nxt - t->rcv_wup > t->snd_mss) {
		t->flags |= TCB_F_ACK_NOW;              /* two full segments (or more) unacked */
		return;
	}
	if (!tcb_timer_on(t, TCB_T_DACK))
		tcb_timer_set(k, t, TCB_T_DACK, k->now_ms + KEEL_TCP_DELACK_MS);
}

/* The peer's FIN at fin, beyond RCV.NXT: remembered until RCV.NXT gets
 * there (rcv_fin_due). */
void rcv_fin_ooo(struct tcp_tcb *t, uint32_t fin)
{
	t->rcv_fin = fin;
	t->flags |= TCB_F_FIN_OOO;
}

/* A remembered FIN is now in order. */
int rcv_fin_due(const struct tcp_tcb *t)
{
	return (t->flags & TCB_F_FIN_OOO) && t->rcv_nxt == t->rcv_fin;
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
	uint32_t room = tcb_rcv_wnd(t);
	if (off >= room) {
		t->flags |= TCB_F_ACK_NOW;              /* wholly beyond the window */
		return 0;
	}
	int all = 1;
	if (len > room - off) {
		len = room - off;                       /* beyond the window: trimmed */
		all = 0;
	}
	ring_put(t, off, p, len);
	if (off != 0) {
		/* An out-of-order FIN is kept with its data, as Linux keeps
		 * it on the out-of-order queue: when the gap fills the FIN
		 * is taken (fsm) instead of costing the peer an RTO. */
		int kept = ooo_add(t, seq, seq + len);
		if (kept)
			k->tcp.mib.ofo_queue++;
		else
			k->tcp.mib.ofo_drop++;
		if (kept && all && (s->flags & TCP_FIN))
			rcv_fin_ooo(t, seq + len);
		t->flags |= TCB_F_ACK_NOW;              /* duplicate ACK: RFC 5681 §4.2 */
		return 0;
	}
	int had_gap = t->nooo > 0;
	t->rcv_nxt += len;
	t->rcv_len = (uint16_t)(t->rcv_len + len);
	while (t->nooo > 0 && seq_le(t->ooo[0].start, t->rcv_nxt)) {
		if (seq_gt(t->ooo[0].end, t->rcv_nxt)) {
			uint32_t more = t->ooo[0].end - t->rcv_nxt;
			t->rcv_len = (uint16_t)(t->rcv_len + more);
			t->rcv_nxt = t->ooo[0].end;
		}
		ooo_remove(t, 0);
	}
	if (had_gap)
		t->flags |= TCB_F_ACK_NOW;              /* filled (part of) a gap */
	else
		ack_soon(k, t);
	return all && seq + len == t->rcv_nxt;
}

/* The window for the segment being built; records it as advertised. */
uint16_t rcv_wnd_select(struct tcp_tcb *t)
{
	uint32_t avail = tcb_rcv_wnd(t);
	int32_t cur = (int32_t)(t->rcv_wup + t->rcv_adv - t->rcv_nxt);
	uint32_t c = cur < 0 ? 0u : (uint32_t)cur;
	uint32_t step = t->snd_mss < KEEL_TCP_RCVBUF / 2 ? t->snd_mss : KEEL_TCP_RCVBUF / 2;
	if (c > avail)
		c = avail;                              /* cannot happen in order; stay safe */
	uint32_t w = avail >= c + step ? avail : c;
	t->rcv_adv = (uint16_t)w;
	t->rcv_wup = t->rcv_nxt;
	return (uint16_t)w;
}

/* After the application read: is a window update owed?  Yes as soon as
 * receiver SWS avoidance lets the right edge move (so a zero window
 * reopens at once when min(RCVBUF/2, MSS) is free). */
int tcp_rcv_window_update_due(const struct tcp_tcb *t)
{
	if (t->state != TCP_ESTABLISHED && t->state != TCP_FIN_WAIT_1 && t->state != TCP_FIN_WAIT_2)
		return 0;
	uint32_t avail = tcb_rcv_wnd(t);
	int32_t cur = (int32_t)(t->rcv_wup + t->rcv_adv - t->rcv_nxt);
	uint32_t c = cur < 0 ? 0u : (uint32_t)cur;
	uint32_t step = t->snd_mss < KEEL_TCP_RCVBUF / 2 ? t->snd_mss : KEEL_TCP_RCVBUF / 2;
	return avail >= c + step;
}

void tcp_rcv_window_update(struct keel *k, struct tcp_tcb *t)
{
	if (tcp_rcv_window_update_due(t))
		tcp_send_ack(k, t);
}
