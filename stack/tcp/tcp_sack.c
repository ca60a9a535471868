/* SACK, the receiving side (RFC 2018 §4): every ACK of a connection that
 * agreed on SACK reports the out-of-order ranges it holds (tcp_rcv.c),
 * as many as the option space allows (4, or 3 with timestamps).  The
 * first block is the range holding the latest segment kept; the others
 * follow from the highest down, which for a sender moving forward are the
 * most recently changed.  A segment that duplicated data (below RCV.NXT,
 * or out-of-order bytes held) puts a D-SACK block before them in the next
 * ACK (RFC 2883 §4), as Linux with tcp_dsack 1.
 * The sending side (below): the scoreboard, reordering found by SACK
 * (a hole filled by the original) and by timestamps (Eifel), the
 * tail-loss probe's timeout. */
#include "tcp_internal.h"

void sack_dsack_owed(struct keel *k, struct tcp_tcb *t, uint32_t start, uint32_t end)
{
	if (!(t->opt.on & TCP_OPTF_SACKOK) || !k->tcp.sysctl.tcp_dsack || !seq_lt(start, end))
		return;
	/* Linux tcp_dsack_set: "old" below RCV.NXT, else out-of-order. */
	if (seq_lt(start, t->rcv_nxt))
		k->tcp.mib.dsack_old_sent++;
	else
		k->tcp.mib.dsack_ofo_sent++;
	k->tcp.dsack_tcb = t;
	k->tcp.dsack_start = start;
	k->tcp.dsack_end = end;
	t->flags |= TCB_F_ACK_NOW;              /* the block is kept for this segment only */
}

void sack_out(struct keel *k, const struct tcp_tcb *t, struct tcp_out *o)
{
	if (!(t->opt.on & TCP_OPTF_SACKOK))
		return;
	unsigned n = 0;
	if (k->tcp.dsack_tcb == t) {
		o->sack[n].start = k->tcp.dsack_start;  /* RFC 2883 §4: first, once */
		o->sack[n].end = k->tcp.dsack_end;
		n++;
		k->tcp.dsack_tcb = NULL;
	}
	/* The ranges are cold state (tcp_ext.h): none held, none to tell.
	 * They are offsets from RCV.NXT (tcp_rcv.c); so is the latest. */
	const struct tcb_ext *x = tcb_ext(k, t);
	unsigned nooo = x ? x->nooo : 0u;
	qlen_t last = x ? (qlen_t)(x->sack_last - (qlen_t)t->rcv_nxt) : 0u;
	unsigned first = nooo;   /* none */
	for (unsigned i = 0; i < nooo; i++)
		if (x->ooo[i].start <= last && last < x->ooo[i].end)
			first = i;
	if (first < nooo) {
		o->sack[n].start = t->rcv_nxt + x->ooo[first].start;
		o->sack[n].end = t->rcv_nxt + x->ooo[first].end;
		n++;
	}
	for (unsigned i = nooo; i-- > 0 && n < TCP_SACK_MAX;) {
		if (i == first)
			continue;
		o->sack[n].start = t->rcv_nxt + x->ooo[i].start;
		o->sack[n].end = t->rcv_nxt + x->ooo[i].end;
		n++;
	}
	if (n == 0)
		return;
	o->nsack = (uint8_t)n;
	o->opts |= TCP_OPTF_SACK;
}

/* ---- the sending side: the scoreboard (RFC 6675 §3, §4) ---- */

static void board_drop(struct tcp_sack_board *b, unsigned i)
{
	for (unsigned j = i + 1u; j < b->n; j++)
		b->blk[j - 1u] = b->blk[j];
	b->n--;
}

/* SND.UNA moves up by acked: every offset moves down. */
static void board_rebase(struct tcp_sack_board *b, uint32_t acked)
{
	for (unsigned i = b->n; i-- > 0;) {
		uint32_t s = b->blk[i].start, e = b->blk[i].end;
		if (e <= acked) {
			board_drop(b, i);
			continue;
		}
		b->blk[i].start = (qlen_t)(s > acked ? s - acked : 0u);
		b->blk[i].end = (qlen_t)(e - acked);
	}
	b->high_rxt = (qlen_t)(b->high_rxt > acked ? b->high_rxt - acked : 0u);
}

static uint32_t board_bytes(const struct tcp_sack_board *b)
{
	uint32_t n = 0;
	for (unsigned i = 0; i < b->n; i++)
		n += (uint32_t)(b->blk[i].end - b->blk[i].start);
	return n;
}

/* [s, e) (offsets) joins the sorted, disjoint ranges; when all are in
 * use the highest goes: the holes nearest SND.UNA matter first. */
static void board_add(struct tcp_sack_board *b, uint32_t s, uint32_t e)
{
	unsigned i = 0;
	while (i < b->n && b->blk[i].end < s)
		i++;
	while (i < b->n && b->blk[i].start <= e) {
		if (b->blk[i].start < s)
			s = b->blk[i].start;
		if (b->blk[i].end > e)
			e = b->blk[i].end;
		board_drop(b, i);
	}
	if (b->n == TCP_SACK_BOARD) {
		if (i == b->n)
			return;
		b->n--;
	}
	for (unsigned j = b->n; j > i; j--)
		b->blk[j] = b->blk[j - 1u];
	b->blk[i].start = (qlen_t)s;
	b->blk[i].end = (qlen_t)e;
	b->n++;
}

/* Every ACK of a connection with SACK, before SND.UNA moves (the caller
 * checked SEG.ACK <= SND.MAX): SND.UNA's advance rebases the board, a
 * hole that the cumulative ACK filled without a retransmission was
 * reordering (TCPSACKReorder), a first block at or below SEG.ACK or
 * inside the second is a DSACK (RFC 2883 §4, TCPDSACKRecv) and is not
 * scoreboard material; the other blocks join it. */
void sack_on_ack(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s)
{
	struct tcb_ext *x = tcb_ext(k, t);
	/* The first ACK to move SND.UNA after a fast retransmit: an echo of
	 * a TSval older than the retransmission says the original arrived,
	 * so the loss was reordering (Eifel, RFC 3522; Linux TCPTSReorder).
	 * Counted only: cwnd is not restored. */
	if ((t->mflags & SB_EIFEL) && seq_gt(s->ack, t->snd_una)) {
		t->mflags &= (uint8_t)~SB_EIFEL;
		if (x && (s->opts & TCP_OPTF_TS) && s->tsecr != 0 && seq_lt(s->tsecr - t->ts_off, x->rtt_start))
			k->tcp.mib.ts_reorder++;   /* x: held while SB_EIFEL */
	}
	if (!(t->opt.on & TCP_OPTF_SACKOK))
		return;
	if (seq_gt(s->ack, t->snd_una))
		t->mflags &= (uint8_t)~SB_TLP_OUT;
	t->mflags &= (uint8_t)~SB_NEWSACK;
	/* The board is cold state: taken when a block arrives, and with
	 * none free the blocks are not kept (recovery is then NewReno's). */
	if (!x && s->nsack > 0)
		x = tcb_ext_get(k, t);
	if (!x)
		return;
	struct tcp_sack_board *b = &x->sb;
	if (seq_gt(s->ack, t->snd_una)) {
		uint32_t acked = s->ack - t->snd_una;
		if (b->n > 0 && acked > b->blk[0].start && b->high_rxt <= b->blk[0].start &&
		    b->blk[0].start > 0)
			k->tcp.mib.sack_reorder++;
		board_rebase(b, acked);
	}
	uint32_t had = board_bytes(b);
	qlen_t top = b->n ? b->blk[b->n - 1u].end : 0u;
	for (unsigned i = 0; i < s->nsack; i++) {
		uint32_t bs = s->sack[i].start, be = s->sack[i].end;
		if (i == 0 && (seq_le(be, s->ack) ||
			       (s->nsack > 1 && seq_ge(bs, s->sack[1].start) && seq_le(be, s->sack[1].end)))) {
			k->tcp.mib.dsack_recv++;
			continue;
		}
		if (!seq_lt(bs, be) || seq_le(be, s->ack) || seq_gt(be, tcb_snd_max(k, t)))
			continue;                     /* empty, old or beyond what was sent */
		if (seq_lt(bs, s->ack))
			bs = s->ack;
		uint32_t os = bs - s->ack, oe = be - s->ack;
		if (oe > CHUNKQ_MAX)
			continue;                     /* beyond any send queue */
		board_add(b, os, oe);
	}
	/* New SACKed bytes make the ACK a duplicate (RFC 6675 §2); a
	 * range forgotten for room does not hide them (the top moved). */
	if (board_bytes(b) > had || (b->n && b->blk[b->n - 1u].end > top))
		t->mflags |= SB_NEWSACK;
}

/* The next hole to retransmit (RFC 6675 NextSeg() rule 1, simplified to
 * "below the highest SACKed byte"): the first byte at or above HighRxt
 * that no range covers and some range lies above.  Returns its offset
 * from SND.UNA and its length (up to the next range), or 0 when none. */
int sack_next_hole(struct keel *k, const struct tcp_tcb *t, uint32_t *off, uint32_t *len)
{
	const struct tcb_ext *x = tcb_ext(k, t);
	if (!(t->opt.on & TCP_OPTF_SACKOK) || !x)
		return 0;
	const struct tcp_sack_board *b = &x->sb;
	uint32_t at = b->high_rxt;
	for (unsigned i = 0; i < b->n; i++) {
		if (at < b->blk[i].start) {
			*off = at;
			*len = b->blk[i].start - at;
			return 1;
		}
		if (at < b->blk[i].end)
			at = b->blk[i].end;
	}
	return 0;
}

/* ---- tail-loss probe (RFC 8985 §7) ---- */

/* The probe timeout, or 0 when no probe is due: as Linux, only with SACK,
 * an RTT sample, outside recovery and timeouts, one probe per flight.
 * PTO = 2 SRTT, plus the peer's worst delayed ACK when only one segment
 * is out; at least 10 ms; never beyond the RTO. */
uint32_t tlp_pto(const struct tcp_tcb *t, uint32_t flight, uint32_t rto)
{
	if (!(t->opt.on & TCP_OPTF_SACKOK) || t->srtt8 == 0 || flight == 0 ||
	    (t->dflags & TCB_D_RECOVERY) || t->retries != 0 || (t->mflags & SB_TLP_OUT))
		return 0;
	uint32_t pto = t->srtt8 >> 2;
	if (flight <= t->snd_mss)
		pto += 200u;                      /* RFC 8985 WCDelAckT */
	if (pto < 10u)
		pto = 10u;
	return pto < rto ? pto : 0u;
}
