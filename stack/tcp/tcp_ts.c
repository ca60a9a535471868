/* Timestamps (RFC 7323 §3-§5) for a TCB: our TSval is the millisecond
 * clock plus a keyed per-connection offset; TSecr echoes TS.Recent, which
 * only a segment at or before the last ACK we sent may raise (§4.3, so a
 * delayed ACK echoes the oldest unacknowledged segment); RTT samples from
 * TSecr (§4.2); PAWS (§5) drops a segment whose TSval is older than
 * TS.Recent, with Linux's exceptions: RSTs, TS.Recent left idle for 24
 * days (§5.5), and a reordered pure duplicate ACK (tcp_disordered_ack). */
#include "tcp_internal.h"

#define PAWS_IDLE_MS (24u * 24u * 3600u * 1000u)   /* RFC 7323 §5.5: 24 days */
/* An established connection takes a TSval up to one tick behind TS.Recent
 * (Linux TCP_PAWS_WINDOW): a peer whose segments leave out of TSval order
 * by a tick is not dropped for it. */
#define PAWS_WINDOW 1

/* The 4-tuple's 64-bit ISN hash (tcp_isn_hash), the last one kept: a
 * passive open makes it for the ISN and asks it again for the SYN-ACK's
 * TSval and the child's offset, an active one for the SYN's TSval -- one
 * SipHash where there were three (with timestamps; one either way). */
static uint64_t prf_make(struct keel *k, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
	struct tcp_stack *ts = &k->tcp;
	uint64_t f = tcp_isn_hash(ts->isn_key, laddr, lport, raddr, rport);
	ts->prf_memo.lo = (uint32_t)f;
	ts->prf_memo.hi = (uint32_t)(f >> 32);
	ts->prf_memo.laddr = laddr;
	ts->prf_memo.raddr = raddr;
	ts->prf_memo.lport = lport;
	ts->prf_memo.rport = rport;
	return f;
}

/* A new connection's ISN (RFC 6528: the clock and the low half): always
 * hashed, a new 4-tuple is rarely the last one. */
uint32_t tcp_isn_for(struct keel *k, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
	return tcp_isn_clock(&k->tcp.isn_clock, k->now_ms) + (uint32_t)prf_make(k, laddr, lport, raddr, rport);
}

static uint32_t prf_hi(struct keel *k, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
	const struct tcp_stack *ts = &k->tcp;
	if (ts->prf_memo.laddr == laddr && ts->prf_memo.raddr == raddr && ts->prf_memo.lport == lport &&
	    ts->prf_memo.rport == rport)
		return ts->prf_memo.hi;
	return (uint32_t)(prf_make(k, laddr, lport, raddr, rport) >> 32);
}

/* tcp_timestamps 1: the high half of the 4-tuple's ISN hash, whose low
 * half is the ISN's F (isn.h): halves of one PRF output, so the offset
 * gives F away no more than a separate hash would (an offset equal to F
 * would let TSval reveal the ISN's clock part).  One 4-tuple always gets
 * the same offset, so a new incarnation's TSvals continue the old one's:
 * what RFC 6191 and tcp_tw_reuse need.  tcp_timestamps 2: no offset
 * (Linux's meaning). */
uint32_t ts_offset(struct keel *k, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
	if (k->tcp.sysctl.tcp_timestamps == 2)
		return 0;
	return prf_hi(k, laddr, lport, raddr, rport);
}

uint32_t ts_now(const struct keel *k, const struct tcp_tcb *t)
{
	return k->now_ms + t->ts_off;
}

/* Every segment of a connection that agreed on timestamps carries them
 * (RFC 7323 §3.2), RSTs included (as Linux's tcp_send_active_reset). */
void ts_out(const struct keel *k, const struct tcp_tcb *t, struct tcp_out *o)
{
	if (!(t->opt.on & TCP_OPTF_TS))
		return;
	o->opts |= TCP_OPTF_TS;
	o->tsval = ts_now(k, t);
	o->tsecr = t->ts_recent;
}

/* Linux tcp_disordered_ack: a pure duplicate ACK (nothing new: SEQ at
 * RCV.NXT, ACK at SND.UNA, window unchanged) whose TSval is behind by less
 * than an RTO was merely overtaken; dropping it would lose nothing but
 * would count as a PAWS drop. */
static int disordered_ack(const struct tcp_tcb *t, const struct tcp_seg *s)
{
	return (s->flags & (TCP_ACK | TCP_SYN | TCP_FIN | TCP_RST)) == TCP_ACK && s->len == 0 &&
	       s->seq == t->rcv_nxt && s->ack == t->snd_una && tcb_seg_wnd(t, s) == tcb_snd_wnd(t) &&
	       t->ts_recent - s->tsval <= tcb_rto(t);
}

/* RFC 7323 §5.3 R1.  1: drop the segment (counted PAWSEstabRejected; the
 * caller sends the ACK an unacceptable segment gets): its TSval is more
 * than PAWS_WINDOW behind TS.Recent.  A RST is never
 * dropped here.  TS.Recent idle for 24 days is no longer trusted: the
 * segment is taken and sets it.  Idle is timed by rcv_ms: every segment
 * that may set TS.Recent and carries on to be processed as an ACK moves it
 * too (sync_input), so it is at least as recent as TS.Recent's setting
 * in all but a connection that only ever gets ACKs of data never sent. */
int ts_paws_reject(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s)
{
	if (!(t->opt.on & TCP_OPTF_TS) || !(s->opts & TCP_OPTF_TS) || (s->flags & TCP_RST))
		return 0;
	if ((int32_t)(t->ts_recent - s->tsval) <= PAWS_WINDOW)
		return 0;
	if ((uint32_t)(k->now_ms - t->rcv_ms) >= PAWS_IDLE_MS) {
		t->ts_recent = s->tsval;
		return 0;
	}
	if (disordered_ack(t, s))
		return 0;
	k->tcp.mib.paws_estab_rejected++;
	return 1;
}

/* RFC 7323 §4.3 (and R3 of §5.3), on a segment that passed the sequence
 * check: TS.Recent = SEG.TSval when SEG.TSval >= TS.Recent and SEG.SEQ <=
 * Last.ACK.sent (rcv_wup: RCV.NXT as of the last ACK sent). */
void ts_update_recent(struct tcp_tcb *t, const struct tcp_seg *s)
{
	if (!(t->opt.on & TCP_OPTF_TS) || !(s->opts & TCP_OPTF_TS))
		return;
	if (seq_ge(s->tsval, t->ts_recent) && seq_le(s->seq, tcb_rcv_wup(t)))
		t->ts_recent = s->tsval;
}

/* RFC 7323 §4.2: an ACK that advances SND.UNA echoes the TSval of the
 * segment that made it; now - TSecr is an RTT sample even for a
 * retransmitted segment (the echo says which copy arrived).  Returns 1
 * and the sample in *rtt, or 0 (the caller then times as before).  The
 * caller feeds the estimator, so this file calls nothing of the engine. */
int ts_rtt(const struct keel *k, const struct tcp_tcb *t, const struct tcp_seg *s, uint32_t *rtt)
{
	if (!(t->opt.on & TCP_OPTF_TS) || !(s->opts & TCP_OPTF_TS) || s->tsecr == 0)
		return 0;
	uint32_t r = ts_now(k, t) - s->tsecr;
	if ((int32_t)r < 0 || r > TCP_RTO_MAX_MS)
		return 0;   /* an echo from the future or a forged one: no sample */
	*rtt = r;
	return 1;
}

/* SYN_SENT, a SYN-ACK with timestamps (Linux tcp_rcv_synsent_state_process):
 * its TSecr must echo one of our SYNs, sent between the first (when the
 * TCB was made: rcv_ms, which no ACK has moved yet) and now; else RST
 * and PAWSActiveRejected. */
int ts_synack_ok(struct keel *k, const struct tcp_tcb *t, const struct tcp_seg *s)
{
	if (!(t->opt.on & TCP_OPTF_TS) || !(s->opts & TCP_OPTF_TS) || s->tsecr == 0)
		return 1;
	uint32_t first = t->ts_off + t->rcv_ms;
	if (seq_ge(s->tsecr, first) && seq_le(s->tsecr, ts_now(k, t)))
		return 1;
	k->tcp.mib.paws_active_rejected++;
	return 0;
}

/* SYN_SENT after tcp_tw_reuse took a TIME_WAIT 4-tuple over: the old
 * connection's TS.Recent came along (TCB_F_TS_OLD marks it), and a
 * SYN-ACK with an older TSval is an old duplicate, dropped silently
 * (Linux tcp_rcv_synsent_state_process, tcp_paws_reject). */
int ts_synsent_paws_reject(const struct tcp_tcb *t, const struct tcp_seg *s)
{
	return (t->flags & TCB_F_TS_OLD) && (t->opt.on & TCP_OPTF_TS) && (s->opts & TCP_OPTF_TS) &&
	       seq_lt(s->tsval, t->ts_recent);
}
