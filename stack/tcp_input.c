/* tcp_input: validate, then demultiplex in Linux's order: TCB, TIME_WAIT,
 * SYN queue, listener, and a RST for a port nobody owns. */
#include "tcp_internal.h"

void tcp_input(struct keel *k, const struct ipv4_packet *ip)
{
	struct tcp_mib *mib = &k->tcp.mib;
	struct tcp_seg s;
	mib->in_segs++;
	switch (tcp_seg_parse(ip, &s)) {
	case TCP_PARSE_OK:
		break;
	case TCP_PARSE_CSUM:
		mib->in_csum_errors++;
		mib->in_errs++;
		return;
	case TCP_PARSE_OPTIONS:
		mib->bad_options++;
		mib->in_errs++;
		return;
	default:
		mib->in_errs++;
		return;
	}
	if (ip->bcast)
		return;   /* TCP is unicast only (IP counts these) */

	struct tcp_tcb *t = tcb_lookup(k, s.saddr, s.sport, s.dport);
	if (t) {
		fsm_input(k, t, &s);
		tcb_mark_ready(k, t);
		return;
	}
	struct tcp_tw_entry *w = tw_lookup(k, s.saddr, s.sport, s.dport);
	if (w) {
		tw_input(k, w, &s);
		return;
	}
	struct tcp_synq_entry *e = synq_lookup(k, s.saddr, s.sport, s.dport);
	if (e) {
		synq_input(k, e, &s);
		return;
	}
	struct tcp_listener *l = listen_lookup(k, s.dport);
	if (l) {
		listen_input(k, l, &s);
		return;
	}
	/* CLOSED (RFC 9293 §3.10.7.1): RST unless the segment is one. */
	tcp_send_rst_reply(k, &s);
}
