/* Modules that report instead of act (docs/DESIGN.md): TIME_WAIT, the SYN
 * queue and congestion control return what is to be done and send nothing
 * themselves (OutSegs unchanged); tcp_input and the output path act. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "keel.h"
#include "tcp_internal.h"
#include "tcp_fixture.h"


static struct tcp_seg seg(uint16_t lport, uint32_t seq, uint32_t ack, uint8_t flags)
{
	struct tcp_seg s;
	memset(&s, 0, sizeof(s));
	s.saddr = PEER;
	s.daddr = US;
	s.sport = 40000;
	s.dport = lport;
	s.seq = seq;
	s.ack = ack;
	s.flags = flags;
	s.wnd = 8192;
	return s;
}

/* A TIME_WAIT entry for PEER:40000 -> US:80 with SND.NXT 5000, RCV.NXT 9000. */
static struct tcp_tw_entry *tw_make(void)
{
	struct tcp_tcb t;
	memset(&t, 0, sizeof(t));
	t.flight = TCP_NONE;               /* nothing in flight (tcp_flight.h) */
	t.raddr = PEER;
	t.lport = 80;
	t.rport = 40000;
	t.snd_una = 5000;                 /* SND.NXT too */
	t.rcv_nxt = 9000;
	tw_enter(&K, &t);
	struct tcp_tw_entry *w = tw_lookup(&K, PEER, 40000, 80);
	assert_non_null(w);
	return w;
}

static void test_timewait_verdicts(void **state)
{
	(void)state;
	struct tcp_tw_entry *w = tw_make();
	uint32_t out = K.tcp.mib.out_segs;
	uint32_t isn = 0;
	/* A new SYN: the listener's business, with the ISN beyond the old
	 * incarnation; TIME_WAIT neither sends nor lets the entry go. */
	struct tcp_seg s = seg(80, 9100, 0, TCP_SYN);
	assert_int_equal(tw_input(&K, w, &s, &isn), TCP_V_SYN);
	assert_int_equal(isn, 5000u + 65535u + 2u);
	assert_ptr_equal(tw_lookup(&K, PEER, 40000, 80), w);
	/* A retransmitted FIN: the re-ACK is asked for, not sent. */
	s = seg(80, 8999, 5000, TCP_FIN | TCP_ACK);
	assert_int_equal(tw_input(&K, w, &s, &isn), TCP_V_ACK);
	/* An old SYN gets the ACK too. */
	s = seg(80, 8000, 0, TCP_SYN);
	assert_int_equal(tw_input(&K, w, &s, &isn), TCP_V_ACK);
	assert_int_equal(K.tcp.mib.out_segs, out);
	/* An in-window RST ends the entry, with nothing to send. */
	s = seg(80, 9000, 0, TCP_RST);
	assert_int_equal(tw_input(&K, w, &s, &isn), TCP_V_NONE);
	assert_null(tw_lookup(&K, PEER, 40000, 80));
	assert_int_equal(K.tcp.mib.out_segs, out);
}

static void test_synq_verdicts(void **state)
{
	(void)state;
	int lh = keel_tcp_listen(&K, 80, 4);
	assert_true(lh >= 0);
	struct tcp_listener *l = listen_lookup(&K, 80);
	struct tcp_seg syn = seg(80, 7000, 0, TCP_SYN);
	listen_syn(&K, l, &syn, 0);
	struct tcp_synq_entry *e = synq_lookup(&K, PEER, 40000, 80);
	assert_non_null(e);
	uint32_t out = K.tcp.mib.out_segs;
	unsigned tcbs = K.tcp.pool[TCP_POOL_TCB].in_use;
	/* The SYN again: the SYN-ACK is asked for, not sent. */
	assert_int_equal(synq_input(&K, e, &syn), TCP_V_SYNACK);
	/* An ACK of something else: a RST, not sent. */
	struct tcp_seg s = seg(80, 7001, e->iss + 5u, TCP_ACK);
	assert_int_equal(synq_input(&K, e, &s), TCP_V_RST);
	/* Outside the window: an ACK, not sent. */
	s = seg(80, 7001u + 1000000u, e->iss + 1u, TCP_ACK);
	assert_int_equal(synq_input(&K, e, &s), TCP_V_ACK);
	/* The final ACK: the connection is the listener's to make; the SYN
	 * queue takes no TCB and leaves the entry for the hand-off. */
	s = seg(80, 7001, e->iss + 1u, TCP_ACK);
	assert_int_equal(synq_input(&K, e, &s), TCP_V_CHILD);
	assert_int_equal(K.tcp.pool[TCP_POOL_TCB].in_use, tcbs);
	assert_ptr_equal(synq_lookup(&K, PEER, 40000, 80), e);
	assert_int_equal(K.tcp.mib.out_segs, out);
	/* The listener makes it, in its accept queue; the hand-off frees the entry. */
	struct tcp_tcb *t = listen_child(&K, l, e, &s);
	assert_non_null(t);
	assert_int_equal(l->acceptq_len, 1);
	assert_int_equal(t->state, TCP_ESTABLISHED);
	assert_int_equal(tcb_snd_max(&K, t), e->iss + 1u);     /* the constructor set the data path up */
	assert_int_equal(tcb_rcv_wup(t), 7001u);
	assert_int_equal(l->synq_len, 1);
	synq_handoff(&K, e, l, t);
	assert_int_equal(l->synq_len, 0);     /* the listener passed in, not looked up */
	assert_null(synq_lookup(&K, PEER, 40000, 80));
	assert_int_equal(K.tcp.mib.out_segs, out);
	/* The end of a never-accepted connection: out of the listener's queue, freed. */
	tcb_done(&K, t, KEEL_ECONNRESET);
	assert_int_equal(l->acceptq_len, 0);
	assert_int_equal(K.tcp.pool[TCP_POOL_TCB].in_use, tcbs);
}

/* Three duplicate ACKs: congestion control enters fast recovery and asks
 * for the head segment; it sends nothing itself. */
static void test_cc_asks_for_the_head(void **state)
{
	(void)state;
	struct tcp_tuple tu = {.laddr = US, .raddr = PEER, .lport = 40001, .rport = 80};
	struct tcp_tcb *t = tcb_new_active(&K, &tu, 1000);
	assert_non_null(t);
	t->state = TCP_ESTABLISHED;
	assert_true(tcb_flight_take(&K, t));         /* data in flight (tcp_flight.h) */
	tcb_set_snd_una(&K, t, 1001);
	tcb_set_snd_nxt(&K, t, 1001u + 4u * t->snd_mss);
	tcb_set_snd_max(&K, t, 1001u + 4u * t->snd_mss);
	uint32_t out = K.tcp.mib.out_segs;
	assert_int_equal(cc_on_dupack(&K, t), CC_NONE);
	assert_int_equal(cc_on_dupack(&K, t), CC_NONE);
	assert_int_equal(cc_on_dupack(&K, t), CC_RETRANSMIT_HEAD);
	assert_true(t->dflags & TCB_D_RECOVERY);
	/* A partial ACK in recovery asks for the next head. */
	tcb_set_snd_una(&K, t, t->snd_una + t->snd_mss);
	assert_int_equal(cc_on_ack(&K, t, t->snd_una, t->snd_mss), CC_RETRANSMIT_HEAD);
	/* The full ACK ends recovery: nothing more to send. */
	tcb_set_snd_una(&K, t, tcb_snd_max(&K, t));
	assert_int_equal(cc_on_ack(&K, t, t->snd_una, 3u * t->snd_mss), CC_NONE);
	assert_false(t->dflags & TCB_D_RECOVERY);
	assert_int_equal(K.tcp.mib.out_segs, out);
}

/* With SACK, recovery asks for the next hole the peer reports, and for
 * nothing once every hole is resent (RFC 6675 §5 step (C)). */
static void test_cc_asks_for_a_sack_hole(void **state)
{
	(void)state;
	struct tcp_tuple tu = {.laddr = US, .raddr = PEER, .lport = 40002, .rport = 80};
	struct tcp_tcb *t = tcb_new_active(&K, &tu, 1000);
	assert_non_null(t);
	t->state = TCP_ESTABLISHED;
	assert_true(tcb_flight_take(&K, t));         /* data in flight (tcp_flight.h) */
	t->opt.on |= TCP_OPTF_SACKOK;
	uint32_t mss = t->snd_mss;
	tcb_set_snd_una(&K, t, 1001);
	tcb_set_snd_nxt(&K, t, 1001u + 6u * mss);
	tcb_set_snd_max(&K, t, 1001u + 6u * mss);
	t->dflags |= TCB_D_RECOVERY;
	tcb_set_recover(&K, t, tcb_snd_max(&K, t));
	/* The peer has [2 MSS, 3 MSS) beyond SND.UNA; the head is resent.
	 * The scoreboard is cold state (tcp_ext.h). */
	struct tcb_ext *x = tcb_ext_get(&K, t);
	assert_non_null(x);
	x->sb.n = 1;
	x->sb.blk[0].start = (uint16_t)(2u * mss);
	x->sb.blk[0].end = (uint16_t)(3u * mss);
	x->sb.high_rxt = (uint16_t)mss;
	uint32_t out = K.tcp.mib.out_segs;
	uint32_t cwnd = t->cwnd;
	assert_int_equal(cc_on_dupack(&K, t), CC_RETRANSMIT_HOLE);
	assert_int_equal(t->cwnd, cwnd);            /* a hole replaces the inflation */
	/* Every hole below the SACKed range resent: the window inflates. */
	x->sb.high_rxt = (uint16_t)(3u * mss);
	assert_int_equal(cc_on_dupack(&K, t), CC_NONE);
	assert_int_equal(t->cwnd, cwnd + mss);
	/* A partial ACK with no hole shown: nothing once the head went in
	 * this recovery, else the head as NewReno. */
	tcb_set_snd_una(&K, t, t->snd_una + mss);
	x->sb.n = 0;
	x->sb.high_rxt = (uint16_t)mss;
	assert_int_equal(cc_on_ack(&K, t, t->snd_una, mss), CC_NONE);
	tcb_set_snd_una(&K, t, t->snd_una + mss);
	x->sb.high_rxt = 0;
	assert_int_equal(cc_on_ack(&K, t, t->snd_una, mss), CC_RETRANSMIT_HEAD);
	assert_int_equal(K.tcp.mib.out_segs, out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_timewait_verdicts, tcp_fixture_setup),
		cmocka_unit_test_setup(test_synq_verdicts, tcp_fixture_setup),
		cmocka_unit_test_setup(test_cc_asks_for_the_head, tcp_fixture_setup),
		cmocka_unit_test_setup(test_cc_asks_for_a_sack_hole, tcp_fixture_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
