/* tcp_tick: every TCP timer runs from here, with k->now_ms set.  Work is
 * bounded by the pool sizes (and a send budget per pool); deadlines are
 * compared with a signed difference so the 32-bit clock may wrap. */
#include "tcp_internal.h"

/* Retries before giving up: tcp_syn_retries for SYN, tcp_synack_retries
 * for a simultaneous-open SYN-ACK, tcp_retries2 for data and FIN,
 * tcp_orphan_retries (Linux's 0 means 8) once the app has closed. */
static unsigned retry_limit(const struct keel *k, const struct tcp_tcb *t)
{
	if (t->state == TCP_SYN_SENT)
		return k->tcp.sysctl.tcp_syn_retries;
	if (t->state == TCP_SYN_RECEIVED)
		return k->tcp.sysctl.tcp_synack_retries;
	if (t->flags & TCB_F_ORPHAN)
		return TCP_ORPHAN_RETRIES;
	return TCP_RETRIES2;
}

void tcb_tick(struct keel *k)
{
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		struct tcp_tcb *t = &k->tcp.tcbs[i];
		if (!(t->flags & TCB_F_USED) || t->state == TCP_CLOSED)
			continue;
		if ((t->flags & TCB_F_FW2_ON) && time_due(k->now_ms, t->fw2_due)) {
			/* Orphan in FIN_WAIT_2 for tcp_fin_timeout: gone
			 * silently (Linux's FIN_WAIT_2 timewait expiry). */
			tcb_done(k, t, KEEL_ETIMEDOUT);
			continue;
		}
		if (!(t->flags & TCB_F_RTX_ON) || !time_due(k->now_ms, t->rtx_due))
			continue;
		if (t->retries >= retry_limit(k, t)) {
			k->tcp.mib.abort_on_timeout++;
			tcb_done(k, t, KEEL_ETIMEDOUT);
			continue;
		}
		tcp_retransmit(k, t);
		t->retries++;
		t->rto_ms = t->rto_ms * 2u > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : t->rto_ms * 2u;
		tcp_rtx_arm(k, t);
	}
}

void tcp_tick(struct keel *k)
{
	syncookie_maybe_rotate(&k->tcp.cookies, k->now_ms);
	tcb_tick(k);
	synq_tick(k);
	tw_tick(k);
}
