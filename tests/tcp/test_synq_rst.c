/* RSTs at a half-open entry (passive SYN-RECEIVED), RFC 5961 §3.2 as
 * RFC 9293 §3.10.7.4 folds it in ("second, check the RST bit"): exactly at
 * RCV.NXT the entry goes (synq_rst_removes_entry); elsewhere inside the
 * window the SYN-ACK advertised, a challenge ACK and the entry stays; outside
 * that window, silently dropped.  Before, any RST that Linux's
 * tcp_in_window took (the window taken as KEEL_TCP_RCVBUF, its right edge
 * included) deleted the entry: a blind attacker needed only to land one
 * RST somewhere in 2 KiB of sequence space. */
#include "harness.h"

#define SYNACK "> S. 0:0(0) ack 1 win 2048 <mss 1460>"

/* In the window but not RCV.NXT: challenge ACK <SEQ=ISS+1><ACK=RCV.NXT>,
 * the entry stays and the handshake completes. */
SCRIPT(synq_rst_in_window_challenge_ack)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	INJECT("< R 100:100(0) win 0");
	EXPECT("> . 1:1(0) ack 1 win 2048");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 1, .tcbs = 0);
	ASSERT_COUNTER(challenge_acks, 1);
	ASSERT_COUNTER(attempt_fails, 0);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* The last sequence number of the advertised window is in it; the right
 * edge itself is not (RFC 9293: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND for a
 * RST) and such a RST goes silently. */
SCRIPT(synq_rst_window_edges)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	INJECT("< R 2049:2049(0) win 0");        /* RCV.NXT + RCV.WND */
	EXPECT_NONE();
	INJECT("< R 0:0(0) win 0");              /* RCV.NXT - 1 */
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 1);
	INJECT("< R 2048:2048(0) win 0");        /* the window's last */
	EXPECT("> . 1:1(0) ack 1 win 2048");
	ASSERT_POOLS(.syn_queue = 1);
	ASSERT_COUNTER(attempt_fails, 0);
	INJECT("< R 1:1(0) win 0");              /* exact: the entry goes */
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0);
	ASSERT_COUNTER(attempt_fails, 1);
}

/* Challenge ACKs are rate limited (RFC 5961 §7), one per entry per
 * TCP_OOW_ACK_MS as for connections (Linux tcp_oow_rate_limited on the
 * request sock); the skipped ones are counted. */
SCRIPT(synq_rst_challenge_rate_limited)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	INJECT("< R 10:10(0) win 0");
	EXPECT("> . 1:1(0) ack 1");
	INJECT("< R 20:20(0) win 0");
	INJECT("< R 30:30(0) win 0");
	EXPECT_NONE();
	ASSERT_COUNTER(challenge_acks, 1);
	ASSERT_COUNTER(challenge_acks_skipped, 2);
	ADVANCE_MS(499);
	INJECT("< R 40:40(0) win 0");
	EXPECT_NONE();
	ADVANCE_MS(1);
	INJECT("< R 50:50(0) win 0");
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_POOLS(.syn_queue = 1);
}
