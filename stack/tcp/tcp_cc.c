/* Retransmission timing and congestion control for one TCB:
 *   RTT estimation and RTO        RFC 6298 (Karn's rule, RTO floor
 *                                 KEEL_TCP_RTO_MIN_MS like Linux, cap 120 s)
 *   slow start / cong. avoidance  RFC 5681 §3.1 (byte counting, L = 1 SMSS)
 *   fast retransmit / recovery    RFC 5681 §3.2 + RFC 6582 NewReno
 *   loss window after an RTO      RFC 5681 §3.1 (cwnd = 1 SMSS, go-back-N)
 * The initial window is RFC 3390's min(4*MSS, max(2*MSS, 4380)); RFC 6928's
 * ten segments would not fit a default (tcp_wmem) send buffer anyway.
 * cwnd stops growing at the send buffer size: the flight can never exceed
 * the send queue, and a window that was never used says nothing about the path
 * (RFC 7661's "not cwnd-limited").
 * Congestion control never sends: it changes the TCB's windows and says
 * when the head segment or a SACK hole is due again (enum cc_verdict),
 * and the output path (tcp_cc_act) sends it. */
#include "tcp_internal.h"

static uint32_t iw(uint32_t mss)
{
	uint32_t w = 2u * mss > 4380u ? 2u * mss : 4380u;
	return w < 4u * mss ? w : 4u * mss;
}

/* A new connection's congestion state (RFC 5681 §3.1, RFC 6582 §3.2),
 * set by the TCB constructor (tcp_tcb.c). */
void cc_init(struct keel *k, struct tcp_tcb *t)
{
	tcb_set_cwnd(t, iw(t->snd_mss));
	t->ssthresh = TCP_SSTHRESH_INF;       /* "arbitrarily high", RFC 5681 §3.1 */
	tcb_set_recover(k, t, t->snd_una - (tcb_syn_unacked(t) ? 0u : 1u));   /* ISS: RFC 6582 §3.2 step 1 */
}

/* SYN_SENT -> synchronized: the peer's MSS is known now. */
void cc_established(struct keel *k, struct tcp_tcb *t)
{
	tcb_set_cwnd(t, iw(t->snd_mss));
	t->max_sndwnd = tcb_snd_wnd_sat(t) & TCB_MAX_SNDWND;
	tcb_set_snd_sml(k, t, t->snd_una);
}

/* The RTO without backoff (RFC 6298 §2); tcb_rto adds the backoff. */
uint32_t cc_rto_base(const struct tcp_tcb *t)
{
	if (t->srtt8 == 0)
		return TCP_RTO_INIT_MS;
	/* RTO = SRTT + max(G, K*RTTVAR), G = 1 ms; rttvar4 is 4*RTTVAR. */
	uint32_t rto = (t->srtt8 >> 3) + (t->rttvar4 > 1u ? t->rttvar4 : 1u);
	if (rto < KEEL_TCP_RTO_MIN_MS)
		rto = KEEL_TCP_RTO_MIN_MS;
	if (rto > TCP_RTO_MAX_MS)
		rto = TCP_RTO_MAX_MS;
	return rto;
}

/* RFC 6298 §2.2/2.3 with Jacobson's scaled integers (alpha 1/8, beta 1/4);
 * 8 * SRTT and 4 * RTTVAR saturate at 65535 ms (tcb.srtt8, tcb.rttvar4). */
void cc_rtt_sample(struct tcp_tcb *t, uint32_t r)
{
	if (r == 0)
		r = 1;                                /* below the clock's granularity */
	if (r > TCP_RTO_MAX_MS)
		r = TCP_RTO_MAX_MS;
	if (t->srtt8 == 0) {
		t->srtt8 = (uint16_t)(r < TCB_SRTT8_MAX >> 3 ? r << 3 : TCB_SRTT8_MAX);   /* SRTT = R */
		t->rttvar4 = (uint16_t)(r < 0x8000u ? r << 1 : 0xffffu);   /* RTTVAR = R/2 */
	} else {
		int32_t err = (int32_t)r - (int32_t)(t->srtt8 >> 3);
		uint32_t aerr = err < 0 ? (uint32_t)-err : (uint32_t)err;
		uint32_t v = t->rttvar4 - (t->rttvar4 >> 2) + aerr;     /* 3/4 RTTVAR + 1/4 |err|, *4 */
		t->rttvar4 = (uint16_t)(v < 0xffffu ? v : 0xffffu);
		int32_t s = (int32_t)t->srtt8 + err;                      /* 7/8 SRTT + 1/8 R, *8 */
		t->srtt8 = (uint16_t)(s < 8 ? 8 : s > (int32_t)TCB_SRTT8_MAX ? (int32_t)TCB_SRTT8_MAX : s);
	}
}

static qlen_t half_flight(const struct keel *k, const struct tcp_tcb *t)
{
	/* ssthresh = max(FlightSize / 2, 2*SMSS), RFC 5681 (4): below
	 * TCP_SSTHRESH_INF (tcp_tcb.h). */
	uint32_t f = tcb_max_off(k, t) / 2u;
	return (qlen_t)(f > 2u * t->snd_mss ? f : 2u * t->snd_mss);
}

/* A SACK hole to retransmit (tcp_sack.c finds it)? */
static int sack_hole(struct keel *k, const struct tcp_tcb *t)
{
	uint32_t off, len;
	return (t->opt.on & TCP_OPTF_SACKOK) && sack_next_hole(k, t, &off, &len);
}

/* Duplicate ACKs that start fast retransmit: 3 (RFC 5681), or with
 * fewer than 4 segments out and nothing new to send, one less than the
 * segments out (early retransmit, RFC 5827 §3.1, byte-based): a window
 * of two or three segments can never bring 3. */
static uint8_t dupthresh(const struct keel *k, const struct tcp_tcb *t)
{
	uint32_t out = tcb_max_off(k, t);
	uint32_t oseg = (out + t->snd_mss - 1u) / t->snd_mss;
	uint32_t unsent = tcb_sndq(k, t)->len > out ? tcb_sndq(k, t)->len - out : 0u;
	if (unsent == 0 && oseg >= 2u && oseg < 4u)
		return (uint8_t)(oseg - 1u);
	return 3u;
}

/* Limited transmit (RFC 3042): the first and second duplicate ACKs each
 * let one new segment go beyond cwnd, so a window of a few segments
 * still gets the three duplicate ACKs fast retransmit needs.  d: the
 * flight entry's dupacks (the caller holds it; asked only when not 0). */
uint32_t cc_limited_transmit(const struct tcp_tcb *t, uint32_t d)
{
	if ((t->dflags & TCB_D_RECOVERY) || d == 0)
		return 0;
	return (d < 2u ? d : 2u) * (uint32_t)t->snd_mss;
}

/* A new cumulative ACK (SND.UNA already advanced by acked bytes). */
enum cc_verdict cc_on_ack(struct keel *k, struct tcp_tcb *t, uint32_t ack, uint32_t acked)
{
	uint32_t mss = t->snd_mss;
	struct tcb_flight *fl = tcb_flw(k, t);     /* NULL: nothing was out, no count to keep */
	if (t->dflags & TCB_D_RECOVERY) {
		if (seq_ge(ack, tcb_recover(k, t))) {
			/* Full ACK (RFC 6582 §3.2 step 3, option 1). */
			uint32_t f = tcb_max_off(k, t);
			uint32_t w = (f > mss ? f : mss) + mss;
			tcb_set_cwnd(t, w < t->ssthresh ? w : t->ssthresh);
			t->dflags &= (uint8_t)~TCB_D_RECOVERY;
			if (fl)
				fl->dupacks = 0, fl->bytes_acked = 0;
			return CC_NONE;
		}
		/* Partial ACK (step 4): retransmit the first unacknowledged
		 * segment -- with SACK, the next hole the peer reports (RFC
		 * 6675 §5 step (C)), none if all are resent -- by the caller's
		 * output path; deflate by the amount acked, add back one SMSS
		 * if at least one SMSS was acked.  (With SACK and no hole
		 * shown -- the lost segment is the last one out, nothing above
		 * it to SACK -- the head as NewReno, unless it went already in
		 * this recovery.) */
		enum cc_verdict v = CC_RETRANSMIT_HEAD;
		if (t->opt.on & TCP_OPTF_SACKOK) {
			const struct tcb_ext *x = tcb_ext(k, t);
			if (sack_hole(k, t))
				v = CC_RETRANSMIT_HOLE;
			else if (x && x->sb.high_rxt > 0)
				v = CC_NONE;
		}
		uint32_t c = acked < t->cwnd ? t->cwnd - acked : 0u;
		if (acked >= mss)
			c += mss;
		tcb_set_cwnd(t, c < mss ? mss : c);
		return v;
	}
	if (fl)
		fl->dupacks = 0;
	if (t->cwnd >= t->snd_budget)
		return CC_NONE;                       /* not cwnd-limited: no growth */
	if (t->cwnd < t->ssthresh) {
		tcb_set_cwnd(t, t->cwnd + (acked < mss ? acked : mss));   /* slow start, RFC 5681 (2) */
	} else {
		/* Congestion avoidance, one SMSS per cwnd.  bytes_acked <
		 * cwnd before (it only grows here, and is zeroed wherever
		 * cwnd shrinks), so what is kept is below cwnd or acked: a
		 * qlen_t. */
		uint32_t b = tcb_fl(k, t)->bytes_acked + acked;
		if (b >= t->cwnd) {
			b -= t->cwnd;
			tcb_set_cwnd(t, t->cwnd + mss);
		}
		if (fl)
			fl->bytes_acked = (qlen_t)b;
	}
	return CC_NONE;
}

/* A duplicate ACK in RFC 5681 §2's sense (the caller checked all five
 * conditions).  The third one starts fast retransmit unless it is a
 * leftover of an earlier loss episode (RFC 6582 §3.2 step 2). */
enum cc_verdict cc_on_dupack(struct keel *k, struct tcp_tcb *t)
{
	uint32_t mss = t->snd_mss;
	if (t->dflags & TCB_D_RECOVERY) {
		/* With SACK a segment that left the network is replaced by
		 * the next hole when there is one (RFC 6675 §5 step (C));
		 * else (and always without SACK) the window inflates. */
		if (sack_hole(k, t))
			return CC_RETRANSMIT_HOLE;
		tcb_set_cwnd(t, t->cwnd + mss);
		return CC_NONE;
	}
	struct tcb_flight *fl = tcb_flw(k, t);   /* held: a duplicate ACK needs data out */
	if (!fl)
		return CC_NONE;
	if (fl->dupacks < TCB_DUPACKS_MAX)
		fl->dupacks++;
	if (fl->dupacks != dupthresh(k, t) || !seq_gt(t->snd_una, tcb_recover(k, t)))
		return CC_NONE;
	t->ssthresh = half_flight(k, t);
	tcb_set_recover(k, t, tcb_snd_max(k, t));
	t->dflags |= TCB_D_RECOVERY;
	t->dflags &= (uint8_t)~TCB_D_RTT_ON;      /* Karn */
	/* RFC 6675 §5: HighRxt = HighACK, in the cold state (without one,
	 * recovery goes on as NewReno's: no hole is known). */
	struct tcb_ext *xr = (t->opt.on & TCP_OPTF_SACKOK) ? tcb_ext_get(k, t) : NULL;
	if (xr)
		xr->sb.high_rxt = 0;
	k->tcp.mib.fast_retrans++;
	if (t->opt.on & TCP_OPTF_SACKOK)
		k->tcp.mib.sack_recovery++;
	struct tcb_ext *x = (t->opt.on & TCP_OPTF_TS) ? tcb_ext_get(k, t) : NULL;
	if (x) {
		x->rtt_start = k->now_ms;             /* Karn stopped timing: the field is free */
		t->mflags |= SB_EIFEL;
	}
	tcb_set_cwnd(t, t->ssthresh + 3u * mss);
	fl->bytes_acked = 0;
	return CC_RETRANSMIT_HEAD;                /* fast retransmit, by the output path */
}

/* Retransmission timeout on data: loss window, go-back-N from SND.UNA. */
void cc_on_rto(struct keel *k, struct tcp_tcb *t)
{
	struct tcb_flight *fl = tcb_flw(k, t);
	t->ssthresh = half_flight(k, t);
	tcb_set_cwnd(t, t->snd_mss);
	tcb_set_recover(k, t, tcb_snd_max(k, t));                  /* RFC 6582 §4: no fast retransmit on stale dupacks */
	if (fl) {
		fl->bytes_acked = 0;
		fl->dupacks = 0;
	}
	t->dflags &= (uint8_t)~(TCB_D_RECOVERY | TCB_D_RTT_ON);
	t->mflags &= (uint8_t)~SB_EIFEL;
	tcb_set_snd_nxt(k, t, t->snd_una);        /* go-back-N */
}
