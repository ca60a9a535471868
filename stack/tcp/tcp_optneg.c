/* Which options a connection uses (RFC 7323 §2.2, §3.2; RFC 2018 §2):
 * each of timestamps, window scale and SACK is on only when both SYNs
 * carry it, so a SYN-ACK offers exactly what the SYN offered and our
 * knobs allow.  The knobs (tcp_timestamps, tcp_sack, tcp_window_scaling)
 * are read when a SYN is sent or answered; a connection keeps what it
 * agreed.  The SYN-cookie path keeps the agreement in the low bits of
 * the SYN-ACK's TSval, as Linux does (cookie_init_timestamp). */
#include "tcp_internal.h"

/* Cookie TSval low bits: the peer's shift (0xf: no window scaling), SACK.
 * Linux's layout (TSBITS 6; bit 5, ECN, is unused by keel). */
#define COOKIE_TS_BITS 6u
#define COOKIE_TS_MASK ((1u << COOKIE_TS_BITS) - 1u)
#define COOKIE_WS_NONE 0x0fu
#define COOKIE_SACK 0x10u

uint8_t optneg_offer(const struct keel *k)
{
	const struct tcp_sysctl *c = &k->tcp.sysctl;
	return (uint8_t)((c->tcp_timestamps ? TCP_OPTF_TS : 0u) | (c->tcp_sack ? TCP_OPTF_SACKOK : 0u) |
			 (c->tcp_window_scaling ? TCP_OPTF_WSCALE : 0u));
}

/* Our shift (RFC 7323 §2.3): the smallest that lets the largest receive
 * buffer (tcp_rmem max, as Linux's tcp_select_initial_window) be
 * advertised in 16 bits, at most 14.  A SYN-queue entry and a cookie do
 * not keep it: the TCB made at the final ACK computes it again, as
 * Linux's cookie_v4_check does (a tcp_rmem max changed in between would
 * make it differ from the one the SYN-ACK offered). */
uint8_t optneg_rcv_shift(const struct keel *k)
{
	uint32_t max = k->tcp.sysctl.tcp_rmem[2];
	uint8_t shift = 0;
	while (shift < TCP_WSCALE_MAX && (max >> shift) > 0xffffu)
		shift++;
	return shift;
}

uint8_t optneg_agree(const struct keel *k, const struct tcp_seg *syn)
{
	return (uint8_t)(optneg_offer(k) & syn->opts & (TCP_OPTF_TS | TCP_OPTF_SACKOK | TCP_OPTF_WSCALE));
}

void optneg_apply(const struct keel *k, struct tcp_tcb *t, uint8_t on, uint8_t peer_shift, uint32_t ts_recent)
{
	t->opt.on = on;
	t->opt.shifts = (on & TCP_OPTF_WSCALE) ? (uint8_t)(peer_shift | (optneg_rcv_shift(k) << 4)) : 0u;
	if (on & TCP_OPTF_TS) {
		t->ts_recent = ts_recent;   /* its 24-day clock: rcv_ms, the TCB's start or the SYN-ACK's ACK */
		/* Every segment now carries 12 bytes of timestamps: the data
		 * per segment shrinks to keep frames within the MTU (Linux
		 * mss_cache). */
		if (t->snd_mss > TCP_MSS_MIN + TCP_OPT_TS_ALIGNED)
			t->snd_mss = (uint16_t)(t->snd_mss - TCP_OPT_TS_ALIGNED);
	}
}

/* A SYN or SYN-ACK in SYN_SENT: what our SYN offered, less what the
 * peer's SYN lacks. */
void optneg_syn_sent(struct keel *k, struct tcp_tcb *t, const struct tcp_seg *s)
{
	uint8_t on = (uint8_t)(t->opt.on & s->opts & (TCP_OPTF_TS | TCP_OPTF_SACKOK | TCP_OPTF_WSCALE));
	optneg_apply(k, t, on, s->wscale, s->tsval);
}

/* The options of a SYN or SYN-ACK we send.  on: what to offer (our SYN)
 * or what was agreed (SYN-ACK); ts_off, ts_recent for the timestamps. */
void optneg_syn_out(const struct keel *k, struct tcp_out *o, uint8_t on, uint32_t ts_off, uint32_t ts_recent)
{
	o->mss = TCP_MSS_OURS;
	o->opts = on;
	o->wscale = optneg_rcv_shift(k);
	o->tsval = k->now_ms + ts_off;
	o->tsecr = (o->flags & TCP_ACK) ? ts_recent : 0u;
}

/* Linux cookie_init_timestamp: the options in the low bits of a TSval
 * no later than the real one (so TSvals never run ahead of the clock). */
uint32_t optneg_cookie_tsval(uint32_t tsval, uint8_t on, uint8_t peer_shift)
{
	uint32_t bits = (on & TCP_OPTF_WSCALE) ? peer_shift : COOKIE_WS_NONE;
	if (on & TCP_OPTF_SACKOK)
		bits |= COOKIE_SACK;
	uint32_t ts = (tsval & ~COOKIE_TS_MASK) | bits;
	if (seq_gt(ts, tsval))
		ts -= COOKIE_TS_MASK + 1u;
	return ts;
}

/* Linux cookie_timestamp_decode: the ACK of a cookie SYN-ACK echoes the
 * TSval in TSecr.  Without a timestamp no option is on (the cookie could
 * not carry them).  -1 when the bits ask for an option that is off here. */
int optneg_cookie_decode(const struct keel *k, const struct tcp_seg *ack, uint8_t *on, uint8_t *peer_shift)
{
	*on = 0;
	*peer_shift = 0;
	if (!(ack->opts & TCP_OPTF_TS) || !k->tcp.sysctl.tcp_timestamps)
		return 0;
	uint32_t bits = ack->tsecr & COOKIE_TS_MASK;
	uint32_t ws = bits & 0x0fu;
	*on = TCP_OPTF_TS;
	if (ws != COOKIE_WS_NONE) {
		if (!k->tcp.sysctl.tcp_window_scaling || ws > TCP_WSCALE_MAX)
			return -1;
		*on |= TCP_OPTF_WSCALE;
		*peer_shift = (uint8_t)ws;
	}
	if (bits & COOKIE_SACK) {
		if (!k->tcp.sysctl.tcp_sack)
			return -1;
		*on |= TCP_OPTF_SACKOK;
	}
	return 0;
}

/* The options of a segment of an established connection: timestamps
 * (tcp_ts.c) and, when it acknowledges, SACK blocks (tcp_sack.c). */
void tcp_opts_out(struct keel *k, const struct tcp_tcb *t, struct tcp_out *o)
{
	ts_out(k, t, o);
	if (o->flags & TCP_ACK)
		sack_out(k, t, o);
}

/* With len payload bytes: SACK blocks that would push the frame past the
 * MTU are left out (the data was sized for timestamps alone). */
void tcp_opts_fit(struct tcp_out *o, size_t len)
{
	while (o->nsack > 0 && TCP_HDR_LEN + tcp_opt_len(o) + len > KEEL_MTU - 20u)
		o->nsack--;
	if (o->nsack == 0)
		o->opts &= (uint8_t)~TCP_OPTF_SACK;
}
