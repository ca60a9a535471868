/* The interface address moved (keel_set_addr): every connection bound to
 * the old address is over.  Its segments would carry the old address in
 * the TCP pseudo-header and the new one in IPv4, so nothing it sends
 * could ever be accepted.  As Linux's tcp_abort (sock_diag SOCK_DESTROY,
 * what tools use when an address goes away): a RST where the peer has
 * state (sent now, from the old address, while it is still ours), the
 * application sees ECONNABORTED, and half-open and TIME_WAIT entries go
 * silently.  All of them are counted in TCPAbortOnAddrChange (keel's own;
 * Linux counts none). */
#include "tcp_internal.h"

void tcp_addr_change(struct keel *k, uint32_t old_addr)
{
	struct tcp_stack *ts = &k->tcp;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		struct tcp_tcb *t = &ts->tcbs[i];
		if (!(t->flags & TCB_F_USED) || t->state == TCP_CLOSED)
			continue;                  /* the others all have old_addr (tcp_tcb.h) */
		if (tcb_need_reset(t))
			tcp_send_active_rst(k, t);
		ts->mib.abort_on_addr++;
		tcb_done(k, t, KEEL_ECONNABORTED);
	}
	for (unsigned i = 0; i < KEEL_SYN_BACKLOG; i++) {
		struct tcp_synq_entry *e = &ts->synq[i];
		if ((e->flags & SYNQ_F_USED) && e->laddr == old_addr) {
			ts->mib.abort_on_addr++;
			synq_free(k, e);
		}
	}
	/* TIME_WAIT entries keep no local address: they all had the old one. */
	ts->mib.abort_on_addr += tw_flush(k);
}
