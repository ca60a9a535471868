/* Per-connection options (<keel/tcp.h>): TCP_NODELAY and keepalive. */
#include "tcp_internal.h"

int keel_tcp_set_nodelay(struct keel *k, int s, int on)
{
	struct tcp_tcb *t = tcb_from_handle(k, s);
	if (!t)
		return tcp_handle_err(k, s);
	if (on) {
		t->dflags |= TCB_D_NODELAY;
		tcp_output(k, t);          /* as Linux: setting it pushes what Nagle held */
	} else {
		t->dflags &= (uint8_t)~TCB_D_NODELAY;
	}
	return KEEL_OK;
}

int keel_tcp_set_keepalive(struct keel *k, int s, uint32_t idle_ms, uint32_t intvl_ms, unsigned count)
{
	struct tcp_tcb *t = tcb_from_handle(k, s);
	if (!t)
		return tcp_handle_err(k, s);
	if (idle_ms == 0) {
		t->ka_idle_ms = 0;
		tcb_timer_stop(t, TCB_T_KA);
		return KEEL_OK;
	}
	/* Linux's bounds: TCP_KEEPIDLE/KEEPINTVL <= 32767 s, KEEPCNT 1..127. */
	if (intvl_ms == 0 || count == 0 || count > 127 || idle_ms > 32767000u || intvl_ms > 32767000u)
		return KEEL_EINVAL;
	t->ka_idle_ms = idle_ms;
	t->ka_intvl_ms = intvl_ms;
	t->ka_cnt = (uint8_t)count;
	t->ka_probes = 0;
	/* Before the handshake completes there is nothing to keep alive
	 * (Linux tcp_keepalive_timer ignores SYN_SENT): the idle time
	 * starts when the connection is established (become_established). */
	if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED)
		tcb_timer_stop(t, TCB_T_KA);
	else
		tcb_timer_set(k, t, TCB_T_KA, k->now_ms + idle_ms);
	return KEEL_OK;
}
