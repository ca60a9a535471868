/* Keepalive set before the handshake completes (RFC 1122 §4.2.3.6: the
 * idle time counts from the last segment received).  Linux arms the timer
 * in setsockopt, but tcp_keepalive_timer does nothing in SYN_SENT and the
 * idle time starts again when the connection is established
 * (tcp_finish_connect), so the first probe goes a whole idle time after
 * the SYN-ACK, never earlier, and nothing runs for keepalive before. */
#include "harness.h"

#define SYN_OUT "> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>"

/* Active open: keepalive set in SYN_SENT (10 s idle); the SYN goes
 * unanswered past the idle time (retransmits at 1, 3, 7 s), the SYN-ACK
 * comes at 12 s.  The first probe is due at 22 s, not at 20 s (the idle
 * time re-armed by a firing in SYN_SENT) nor at 10 s. */
SCRIPT(keepalive_set_in_syn_sent_counts_from_established)
{
	struct th_seginfo p;
	CONNECT(5001);
	EXPECT(SYN_OUT);
	CALL_EXPECT(tcp_set_keepalive(K, H, 10, 1, 3), KEEL_OK);
	ADVANCE_MS(1000);
	EXPECT("> S 0:0(0)");
	ADVANCE_MS(2000);
	EXPECT("> S 0:0(0)");
	ADVANCE_MS(4000);
	EXPECT("> S 0:0(0)");
	ADVANCE_MS(5000);                      /* 12 s: past the idle time, still SYN_SENT */
	EXPECT_NONE();
	ASSERT_STATE(TCP_SYN_SENT);
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460>");
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_STATE(TCP_ESTABLISHED);
	ADVANCE_MS(9999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	NEXT_SEGMENT(0, &p);                   /* idle counted from the SYN-ACK */
	ASSERT_TRUE(p.seq == 0 && p.len <= 1 && p.ack == 1 && (p.flags & 0x17) == 0x10);
	ASSERT_COUNTER(keepalive_probes, 1);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ADVANCE_MS(9999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	NEXT_SEGMENT(0, &p);
	ASSERT_TRUE(p.seq == 0 && p.len <= 1);
}

/* Nothing is done for keepalive before the handshake: a SYN_SENT
 * connection with keepalive set is a timer node for its SYN retransmits
 * only -- the wheel is not woken for the keepalive while the SYN waits
 * (tcp_next_deadline), and after tcp_syn_retries it fails with ETIMEDOUT
 * as without keepalive.  Keepalive (1 s idle) is set at 7 s, when the
 * next SYN retransmit is 8 s away: the deadline reported is that one. */
SCRIPT(keepalive_in_syn_sent_wakes_nothing)
{
	CONNECT(5001);
	EXPECT(SYN_OUT);
	for (int i = 0; i < 3; i++) {
		ADVANCE_MS(1000u << i);
		EXPECT("> S 0:0(0)");
	}
	CALL_EXPECT(tcp_set_keepalive(K, H, 1, 1, 3), KEEL_OK);
	uint32_t when = 0;
	ASSERT_TRUE(tcp_next_deadline(K, &when) == 1);
	/* the SYN retransmit at +8 s (a coarse wheel slot reports its
	 * block's start, up to 1023 ms early there), not the keepalive's 1 s */
	ASSERT_TRUE(when - NOW() > 5000 && when - NOW() <= 8000);
	for (int i = 3; i < 6; i++) {
		ADVANCE_MS(1000u << i);
		EXPECT("> S 0:0(0)");
	}
	ASSERT_COUNTER(keepalive_probes, 0);
	ADVANCE_MS(64000);
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_ERROR(KEEL_ETIMEDOUT);
	ASSERT_COUNTER(keepalive_probes, 0);
}

/* Simultaneous open: keepalive set in SYN_RECEIVED; the idle time counts
 * from the SYN-ACK that completes the handshake. */
SCRIPT(keepalive_set_in_syn_received_counts_from_established)
{
	struct th_seginfo p;
	CONNECT_FROM(5001, 5001);
	EXPECT(SYN_OUT);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	ASSERT_STATE(TCP_SYN_RECEIVED);
	CALL_EXPECT(tcp_set_keepalive(K, H, 2, 1, 3), KEEL_OK);
	ADVANCE_MS(1000);
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");  /* the SYN-ACK retransmitted */
	ADVANCE_MS(1500);                        /* past the idle time, still SYN_RECEIVED */
	EXPECT_NONE();
	ASSERT_STATE(TCP_SYN_RECEIVED);
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460>");
	EXPECT_OPTIONAL("> . 1:1(0) ack 1");
	ASSERT_STATE(TCP_ESTABLISHED);
	ADVANCE_MS(1999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	NEXT_SEGMENT(0, &p);
	ASSERT_TRUE(p.seq == 0 && p.len <= 1 && (p.flags & 0x17) == 0x10);
	ASSERT_COUNTER(keepalive_probes, 1);
}
