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

int keel_tcp_set_keepalive(struct keel *k, int s, unsigned idle_s, unsigned intvl_s, unsigned count)
{
	struct tcp_tcb *t = tcb_from_handle(k, s);
	if (!t)
		return tcp_handle_err(k, s);
	if (idle_s == 0) {
		ka_profile_drop(k, t->ka);
		t->ka = TCP_KA_OFF;
		tcb_timer_stop(t, TCB_T_KA);
		return KEEL_OK;
	}
	/* Linux's bounds: TCP_KEEPIDLE/KEEPINTVL 1..32767 s, KEEPCNT 1..127. */
	if (intvl_s == 0 || count == 0 || count > 127 || idle_s > 32767u || intvl_s > 32767u)
		return KEEL_EINVAL;
	/* Interned (tcp_kaprof.h): KEEL_ENOMEM, the old setting kept, when
	 * the table holds as many other settings in use as it can. */
	if (ka_profile_change(k, &t->ka, idle_s, intvl_s, count) != KEEL_OK)
		return KEEL_ENOMEM;
	if (!(t->dflags & TCB_D_PERSIST))
		t->probes = 0;             /* keepalive probes only (persist's are its own) */
	/* Before the handshake completes there is nothing to keep alive
	 * (Linux tcp_keepalive_timer ignores SYN_SENT): the idle time
	 * starts when the connection is established (become_established). */
	if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED)
		tcb_timer_stop(t, TCB_T_KA);
	else
		tcb_keepalive_in(k, t, idle_s * 1000u);   /* as Linux's SO_KEEPALIVE: an idle time from now */
	return KEEL_OK;
}
