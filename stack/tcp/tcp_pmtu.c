/* Path MTU discovery for TCP: see tcp_pmtu.h.
 *
 * The quoted TCP header must name a synchronized connection of ours, from
 * our address, and its sequence number must lie in SND.UNA .. SND.MAX
 * (RFC 5927 §5.1); otherwise the message is counted and dropped.  A valid
 * one sets SND.MSS to the path MTU - 40 - the options on every segment
 * (never up, never below TCP_PMTU_MIN - 40 - options) and resends from SND.UNA at the new size at once
 * (the lost segments were too big, not lost to congestion: cwnd stays,
 * as in Linux's tcp_simple_retransmit).  The MSS lives with the
 * connection: a new connection learns the path again. */
#include "tcp_internal.h"
#include "byteorder.h"
#include "keel.h"

/* RFC 1191 §7 table of plateaus (the common MTUs of 1990s links). */
static const uint16_t plateaus[] = {
	65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68,
};

uint16_t tcp_pmtu_plateau(uint16_t total_len)
{
	for (size_t i = 0; i < sizeof(plateaus) / sizeof(plateaus[0]); i++)
		if (plateaus[i] < total_len)
			return plateaus[i];
	return 68;
}

void tcp_pmtu_input(struct keel *k, const uint8_t *quote, size_t qlen, uint16_t next_hop_mtu)
{
	struct tcp_pmtu_stats *st = &k->tcp.pmtu;
	if (qlen < 20 || (quote[0] >> 4) != 4) {
		st->ignored++;
		return;
	}
	size_t hl = (size_t)(quote[0] & 0x0f) * 4;
	if (hl < 20 || qlen < hl + 8 || quote[9] != IP_PROTO_TCP || load_be32(quote + 12) != k->ifc.addr) {
		st->ignored++;   /* RFC 792: the quote holds at least 8 bytes of TCP */
		return;
	}
	const uint8_t *th = quote + hl;
	uint32_t raddr = load_be32(quote + 16);
	uint16_t lport = load_be16(th), rport = load_be16(th + 2);
	uint32_t seq = load_be32(th + 4);
	struct tcp_tcb *t = tcb_lookup(k, raddr, rport, lport);
	if (t == NULL || t->state < TCP_ESTABLISHED || t->state == TCP_TIME_WAIT) {
		st->no_conn++;
		return;
	}
	if (!seq_ge(seq, t->snd_una) || !seq_lt(seq, tcb_snd_max(k, t))) {
		st->out_of_window++;   /* RFC 5927 §5.1: not a segment we have in flight */
		return;
	}
	uint32_t mtu = next_hop_mtu;
	if (mtu == 0)
		mtu = tcp_pmtu_plateau(load_be16(quote + 2));   /* RFC 1191 §5 */
	if (mtu < TCP_PMTU_MIN)
		mtu = TCP_PMTU_MIN;
	/* The data per segment: the MTU less the IP and TCP headers and the
	 * options every segment carries (timestamps, once agreed), as
	 * snd_mss itself is kept (tcp_optneg.c). */
	uint32_t opts = (t->opt.on & TCP_OPTF_TS) ? TCP_OPT_TS_ALIGNED : 0u;
	uint32_t mss = mtu - 40u - opts;
	if (mss >= t->snd_mss) {
		st->ignored++;         /* not smaller than what we send: nothing to learn */
		return;
	}
	t->snd_mss = (uint16_t)mss;
	st->updates++;
	t->dflags &= (uint8_t)~TCB_D_RTT_ON;   /* Karn: the timed segment is resent */
	tcb_ext_trim(k, t);
	tcb_set_snd_nxt(k, t, t->snd_una);   /* resend the unacknowledged data, smaller */
	tcp_output(k, t);
	tcp_rtx_arm(k, t);
}
