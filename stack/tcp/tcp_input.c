/* tcp_input: validate, then demultiplex in Linux's order: TCB, SYN queue
 * or TIME_WAIT (one hash in Linux; never both here), listener, and a RST
 * for a port nobody owns.  TIME_WAIT, the
 * SYN queue and the listener return verdicts (enum tcp_verdict) and this
 * file acts on them, so none of them calls another or the state machine. */
#include "tcp_internal.h"

/* TIME_WAIT's verdict (Linux tcp_v4_rcv's do_time_wait): a new SYN goes
 * to the port's listener, which takes the 4-tuple over; with nobody
 * listening it is answered like any other segment, with the ACK. */
static void timewait_act(struct keel *k, struct tcp_tw_entry *w, const struct tcp_seg *s)
{
	uint32_t isn = 0;
	switch (tw_input(k, w, s, &isn)) {
	case TCP_V_SYN: {
		struct tcp_listener *l = listen_lookup(k, s->dport);
		if (l) {
			tw_recycle(k, w);
			listen_syn(k, l, s, isn);
			return;
		}
		tw_send_ack(k, w, s);
		return;
	}
	case TCP_V_ACK:
		tw_send_ack(k, w, s);
		return;
	default:
		return;
	}
}

/* The SYN queue's verdict (Linux tcp_v4_rcv around tcp_check_req): on
 * the final ACK the listener makes the connection and the state machine
 * takes any data or FIN the ACK carries.  Out of line: inlined, it cost
 * tcp_input's established path registers (2 instructions a segment). */
static __attribute__((noinline)) void synq_act(struct keel *k, struct tcp_synq_entry *e, const struct tcp_seg *s)
{
	switch (synq_input(k, e, s)) {
	case TCP_V_SYNACK:
		synq_send_synack(k, e);
		return;
	case TCP_V_ACK:
		synq_send_ack(k, e);
		return;
	case TCP_V_RST:
		tcp_send_rst_reply(k, s);
		return;
	case TCP_V_CHILD:
		break;
	default:
		return;
	}
	struct tcp_listener *l = listen_lookup(k, e->lport);
	struct tcp_tcb *t = l ? listen_child(k, l, e, s) : NULL;
	if (!t) {
		if (synq_overflow(k, e) == TCP_V_RST)
			tcp_send_rst_reply(k, s);
		return;
	}
	synq_handoff(k, e, l, t);
	fsm_input(k, t, s);
	if (t->flags & TCB_F_USED)
		tcb_ext_trim(k, t);
}

static void listen_act(struct keel *k, struct tcp_listener *l, const struct tcp_seg *s)
{
	struct tcp_tcb *child;
	switch (listen_input(k, l, s, &child)) {
	case TCP_V_RST:
		tcp_send_rst_reply(k, s);
		return;
	case TCP_V_CHILD:
		fsm_input(k, child, s);
		if (child->flags & TCB_F_USED)
			tcb_ext_trim(k, child);
		return;
	default:
		return;
	}
}

void tcp_input(struct keel *k, const struct ipv4_packet *ip)
{
	struct tcp_mib *mib = &k->tcp.mib;
	struct tcp_seg s;
	mib->in_segs++;
	k->tcp.dsack_tcb = NULL;          /* a D-SACK is owed only for this segment */
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

	/* One hash for the three tables the 4-tuple may be in. */
	uint32_t h = tcp_hash(k, s.saddr, s.sport, s.dport);
	struct tcp_tcb *t = tcb_lookup_hashed(k, h, s.saddr, s.sport, s.dport);
	if (t) {
		fsm_input(k, t, &s);
		if (t->flags & TCB_F_USED)
			tcb_ext_trim(k, t);
		tcb_mark_ready(k, t);
		return;
	}
	/* A 4-tuple is in one table at a time (a SYN for a TIME_WAIT one
	 * ends that entry before the SYN queue makes one; Linux keeps both
	 * kinds in one hash; check_unique in tests/fuzz/tcp_invariants.c):
	 * the SYN queue first, whose chains are short,
	 * so a handshake's last ACK does not walk the TIME_WAIT chain. */
	struct tcp_synq_entry *e = synq_lookup_hashed(k, h, s.saddr, s.sport, s.dport);
	if (e) {
		synq_act(k, e, &s);
		return;
	}
	struct tcp_tw_entry *w = tw_lookup_hashed(k, h, s.saddr, s.sport, s.dport);
	if (w) {
		timewait_act(k, w, &s);
		return;
	}
	struct tcp_listener *l = listen_lookup(k, s.dport);
	if (l) {
		listen_act(k, l, &s);
		return;
	}
	/* CLOSED (RFC 9293 §3.10.7.1): RST unless the segment is one. */
	tcp_send_rst_reply(k, &s);
}
