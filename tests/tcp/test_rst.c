/* RST rules: RFC 9293 §3.10.7.1 (CLOSED), §3.10.7.2 (LISTEN), RFC 5961
 * (blind RST and SYN in synchronized states), as Linux applies them:
 * closed port: SYN/FIN -> RST, RST -> nothing; listener: RST ignored,
 * anything with ACK -> RST, no SYN -> dropped. */
#include "harness.h"

/* SYN to a port nobody listens on: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
 * (the SYN counts one). */
SCRIPT(rst_closed_port_syn)
{
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> R. 0:0(0) ack 1 win 0 <>");
	EXPECT_NONE();
	ASSERT_COUNTER(out_rsts, 1);
	ASSERT_POOLS(.tcbs = 0, .syn_queue = 0, .time_wait = 0);
}

/* A listener on another port does not matter. */
SCRIPT(rst_closed_port_other_listener)
{
	LISTEN(7, 5);
	CUR->dev_port = 8;
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> R. 0:0(0) ack 1");
	ASSERT_POOLS(.syn_queue = 0);
}

/* ACK to a closed port: <SEQ=SEG.ACK><CTL=RST>, no ACK bit.  (The device
 * ISN is unknown here, so ">" seq numbers are absolute.) */
SCRIPT(rst_closed_port_ack)
{
	INJECT("< . 1:1(0) ack 1000 win 8192");
	EXPECT("> R 1000:1000(0)");
	INJECT("< P. 1:11(10) ack 77777 win 8192");
	EXPECT("> R 77777:77777(0)");
	EXPECT_NONE();
	ASSERT_COUNTER(out_rsts, 2);
}

/* Data + FIN without ACK to a closed port: seq 0, ack = SEG.SEQ + SEG.LEN
 * where SEG.LEN counts the data and the FIN. */
SCRIPT(rst_closed_port_data_fin_no_ack)
{
	INJECT("< FP 1:11(10) win 8192");
	EXPECT("> R. 0:0(0) ack 12");
	INJECT("< F 20:20(0) win 8192");
	EXPECT("> R. 0:0(0) ack 21");
	EXPECT_NONE();
}

/* A RST to a closed port is dropped: never RST a RST. */
SCRIPT(rst_closed_port_rst_ignored)
{
	INJECT("< R 1:1(0) win 0");
	INJECT("< R. 1:1(0) ack 5 win 0");
	EXPECT_NONE();
	ASSERT_COUNTER(out_rsts, 0);
}

/* At a listener: RST ignored. */
SCRIPT(rst_listener_rst_ignored)
{
	LISTEN(7, 5);
	INJECT("< R 1:1(0) win 0");
	INJECT("< R. 1:1(0) ack 1 win 0");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0, .listen = 1);
	ASSERT_COUNTER(out_rsts, 0);
	/* the listener still works */
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
}

/* At a listener: a bare ACK (no half-open entry) -> RST seq = SEG.ACK. */
SCRIPT(rst_listener_bare_ack)
{
	LISTEN(7, 5);
	INJECT("< . 1:1(0) ack 1000 win 8192");
	EXPECT("> R 1000:1000(0)");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
	ASSERT_COUNTER(out_rsts, 1);
}

/* At a listener: no SYN and no ACK (FIN alone, data alone) -> dropped. */
SCRIPT(rst_listener_no_syn_no_ack_dropped)
{
	LISTEN(7, 5);
	INJECT("< F 1:1(0) win 8192");
	INJECT("< P 1:6(5) win 8192");
	INJECT("< FP 1:6(5) win 8192");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
	ASSERT_COUNTER(out_rsts, 0);
}

/* At a listener: SYN+ACK -> RST seq = SEG.ACK (the ACK is checked first). */
SCRIPT(rst_listener_synack)
{
	LISTEN(7, 5);
	INJECT("< S. 0:0(0) ack 1000 win 8192 <mss 1460>");
	EXPECT("> R 1000:1000(0)");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
}

/* RFC 5961 §7: challenge ACKs are rate limited -- one per 500 ms per
 * connection, shared with ACKs to other unacceptable segments, as Linux's
 * tcp_send_challenge_ack / tcp_invalid_ratelimit.  A blind attacker's
 * stream of guessed RSTs and SYNs cannot make the device send a stream. */
SCRIPT(challenge_acks_rate_limited)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< R 100:100(0) win 0");
	EXPECT("> . 1:1(0) ack 1");
	for (int i = 0; i < 5; i++) {
		ADVANCE_MS(50);
		INJECT("< R 200:200(0) win 0");
		INJECT("< S 300:300(0) win 8192");
	}
	EXPECT_NONE();
	ASSERT_COUNTER(challenge_acks, 1);
	ASSERT_COUNTER(challenge_acks_skipped, 10);
	ADVANCE_MS(250);                           /* 500 ms since the first */
	INJECT("< S 300:300(0) win 8192");
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_COUNTER(challenge_acks, 2);
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* RFC 5961 §3.2: a RST inside the window but not at RCV.NXT -> challenge
 * ACK <SEQ=SND.NXT><ACK=RCV.NXT>, connection unchanged. */
SCRIPT(rst_in_window_challenge_ack)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< R 100:100(0) win 0");
	EXPECT("> . 1:1(0) ack 1");
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_ERROR(KEEL_OK);
	ASSERT_COUNTER(challenge_acks, 1);
	ASSERT_COUNTER(estab_resets, 0);
	/* the connection still carries data */
	INJECT("< P. 1:3(2) ack 1 win 8192 'ok'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 3");
	RECV_EXPECT("ok");
}

/* A RST exactly at the right edge (RCV.NXT + RCV.WND: 1 + 2048) is in
 * the window as Linux's tcp_sequence counts it: a challenge ACK, whose
 * answer from a peer that has really gone is a RST at RCV.NXT.  One past
 * the edge is dropped silently.  (A peer that sent up to our edge and
 * then reset sends its RST there; dropped, with data before it lost for
 * want of memory, the connection would stay half-open.) */
SCRIPT(rst_at_right_edge_challenge_ack)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< R 2050:2050(0) win 0");
	EXPECT_NONE();
	ASSERT_COUNTER(challenge_acks, 0);
	INJECT("< R 2049:2049(0) win 0");
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_COUNTER(challenge_acks, 1);
	ASSERT_STATE(TCP_ESTABLISHED);
	INJECT("< R 1:1(0) win 0");
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_ERROR(KEEL_ECONNRESET);
}

/* RST exactly at RCV.NXT resets: ECONNRESET, EstabResets, CLOSED, no reply. */
SCRIPT(rst_exact_resets)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< R 1:1(0) win 0");
	EXPECT_NONE();
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_TRUE(tcp_poll(K, H) & TCP_POLL_ERROR);
	ASSERT_ERROR(KEEL_ECONNRESET);
	ASSERT_ERROR(KEEL_OK);   /* tcp_error clears it */
	ASSERT_COUNTER(estab_resets, 1);
	ASSERT_TRUE(tcp_curr_estab(K) == 0);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
	CLOSE();
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* RST+ACK exactly at RCV.NXT also resets. */
SCRIPT(rst_ack_exact_resets)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< R. 1:1(0) ack 1 win 0");
	EXPECT_NONE();
	ASSERT_ERROR(KEEL_ECONNRESET);
	ASSERT_COUNTER(estab_resets, 1);
}

/* A RST for an orphaned connection (closed by the app) frees it at once. */
SCRIPT(rst_exact_orphan_freed)
{
	LISTEN(7, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< R 1:1(0) win 0");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* RST outside the window: dropped silently (RFC 5961 §3.2 / RFC 9293). */
SCRIPT(rst_out_of_window_dropped)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< R 5000:5000(0) win 0");     /* beyond RCV.NXT + 2048 */
	INJECT("< R 0:0(0) win 0");           /* just before RCV.NXT */
	INJECT("< R -100000:-100000(0) win 0");
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_COUNTER(estab_resets, 0);
	ASSERT_COUNTER(challenge_acks, 0);
}

/* RFC 5961 §4: a SYN on a synchronized connection (here the peer's old SYN
 * again) -> challenge ACK, the connection stays. */
SCRIPT(syn_on_established_challenge_ack)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> . 1:1(0) ack 1");
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_COUNTER(challenge_acks, 1);
	ASSERT_COUNTER(estab_resets, 0);
}

/* ... an in-window SYN too (RFC 9293 §3.10.7.4 fourth: challenge ACK, not
 * a reset as RFC 793 had it). */
SCRIPT(syn_in_window_challenge_ack)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< S 200:200(0) win 8192 <mss 1460>");
	EXPECT("> . 1:1(0) ack 1");
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_ERROR(KEEL_OK);
}

/* An ACK for data never sent, on an established connection: dropped.
 * RFC 9293 §3.10.7.4 fifth says send an ACK; Linux (tcp_ack,
 * ACK_UNSENT_DATA) discards silently: either is accepted here, but not
 * the data. */
SCRIPT(ack_of_unsent_data_dropped)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< P. 1:3(2) ack 500 win 8192 'xx'");
	EXPECT_OPTIONAL("> . 1:1(0) ack 1");
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
	RECV_NONE();
}

/* A RST at RCV.NXT for a connection in TIME_WAIT ends the entry (RFC 9293
 * TIME-WAIT + RST; Linux tcp_timewait_state_process with tcp_rfc1337 = 0). */
SCRIPT(time_wait_rst_ends_entry)
{
	LISTEN(13, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	/* Linux drops TIME_WAIT on an in-window RST (tcp_rfc1337 = 0) */
	INJECT("< R 2:2(0) win 0");
	EXPECT_NONE();
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
	ASSERT_POOLS(.time_wait = 0);
}
