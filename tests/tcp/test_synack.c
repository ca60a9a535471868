/* SYN-ACK retransmission from the SYN queue: 1 s, then doubling (2, 4, 8,
 * 16 s), tcp_synack_retries (5) retransmits, give-up 32 s after the last:
 * 63 s in all (Linux's default: 1+2+4+8+16+32). */
#include "harness.h"

#define SYNACK "> S. 0:0(0) ack 1 win 2048 <mss 1460>"

SCRIPT(synack_retransmit_schedule_and_giveup)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	/* retransmits at +1, +3, +7, +15, +31 s */
	ADVANCE_MS(999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT(SYNACK);
	ADVANCE_MS(1999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT(SYNACK);
	ADVANCE_MS(3999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT(SYNACK);
	ADVANCE_MS(7999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT(SYNACK);
	ADVANCE_MS(15999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT(SYNACK);
	ASSERT_COUNTER(synack_retrans, 5);
	ASSERT_POOLS(.syn_queue = 1, .tcbs = 0);
	/* give-up at +63 s: entry gone, nothing sent (no RST) */
	ADVANCE_MS(31999);
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 1);
	ADVANCE_MS(1);
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0, .time_wait = 0);
	ASSERT_STATE_COUNT(TCP_SYN_RECEIVED, 0);
	ASSERT_COUNTER(synack_retrans, 5);
	/* the final ACK now finds no entry: RST (seq = SEG.ACK) */
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT("> R 1:1(0)");
	ACCEPT_NONE();
}

/* tcp_synack_retries = 2: retransmits at +1 s and +3 s, gone at +7 s. */
SCRIPT(synack_retries_2)
{
	LISTEN(7, 5);
	SYSCTL(tcp_synack_retries, 2);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	ADVANCE_MS(999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT(SYNACK);
	ADVANCE_MS(1999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT(SYNACK);
	ADVANCE_MS(3999);
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 1);
	ADVANCE_MS(1);
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
	ASSERT_COUNTER(synack_retrans, 2);
}

/* tcp_synack_retries = 0: no retransmit, gone after the first 1 s. */
SCRIPT(synack_retries_0)
{
	LISTEN(7, 5);
	SYSCTL(tcp_synack_retries, 0);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	ADVANCE_MS(999);
	ASSERT_POOLS(.syn_queue = 1);
	ADVANCE_MS(1);
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0);
	ASSERT_COUNTER(synack_retrans, 0);
}

/* The final ACK after a few retransmits still completes the handshake. */
SCRIPT(synack_retransmit_then_ack)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	ADVANCE_MS(1000);
	EXPECT(SYNACK);
	ADVANCE_MS(2000);
	EXPECT(SYNACK);
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 1);
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
	ADVANCE_MS(10000);
	EXPECT_NONE();   /* no SYN-ACK after the entry became a TCB */
}

/* Independent half-open entries keep their own schedules. */
SCRIPT(synack_two_entries_own_timers)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	ADVANCE_MS(500);
	CONN(1);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	ADVANCE_MS(500);
	CONN(0);
	EXPECT(SYNACK);       /* +1 s for the first */
	ADVANCE_MS(499);
	EXPECT_NONE();
	ADVANCE_MS(1);
	CONN(1);
	EXPECT(SYNACK);       /* +1 s for the second */
	ASSERT_POOLS(.syn_queue = 2, .tcbs = 0);
}

/* A RST at the right sequence for a half-open entry removes it
 * (RFC 9293 §3.10.7.4: SYN-RECEIVED from a passive open returns to
 * LISTEN); nothing is sent. */
SCRIPT(synq_rst_removes_entry)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	INJECT("< R 1:1(0) win 0");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
	/* RFC 4022 tcpAttemptFails counts SYN-RCVD -> LISTEN (Linux too) */
	ASSERT_COUNTER(attempt_fails, 1);
	ADVANCE_MS(2000);
	EXPECT_NONE();   /* no retransmit of a removed entry */
	ASSERT_STATE_COUNT(TCP_LISTEN, 1);
}

/* A half-open entry ACKed with the wrong acknowledgment number: RST with
 * seq = SEG.ACK, the entry stays (RFC 9293 SYN-RECEIVED, unacceptable ACK). */
SCRIPT(synq_bad_ack_rst)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	INJECT("< . 1:1(0) ack 1000 win 8192");
	EXPECT("> R 1000:1000(0)");
	ASSERT_POOLS(.syn_queue = 1, .tcbs = 0);
	ACCEPT_NONE();
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
}

/* A new SYN (other sequence number, inside the window) for a half-open
 * entry: the entry goes (RFC 9293 §3.10.7.4 fourth, SYN-RECEIVED from a
 * passive OPEN returns to LISTEN); Linux also answers with a RST
 * (tcp_check_req embryonic_reset), RFC 9293 states no reply: both
 * accepted. */
SCRIPT(synq_new_syn_in_window_drops_entry)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	INJECT("< S 100:100(0) win 8192 <mss 1460>");
	if (t->qlen) {
		/* a reply to a segment without ACK: <SEQ=0> absolute, which
		 * is -ISN relative to this connection's device ISN */
		struct th_seginfo r;
		NEXT_SEGMENT(0, &r);
		ASSERT_TRUE(r.flags == 0x14 && r.seq == 0u - DEV_ISN() && r.ack == 101 && r.len == 0);
	}
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
	ADVANCE_MS(2000);
	EXPECT_NONE();
}

/* The backoff stops doubling at TCP_RTO_MAX, 120 s, as Linux's
 * reqsk_timer_handler (min(TCP_TIMEOUT_INIT << n, TCP_RTO_MAX)) and as
 * sysctl.c says: with tcp_synack_retries = 12 the gaps are 1, 2, 4 ... 64,
 * then 120 s five times, and the entry goes 120 s after the last (847 s in
 * all, not 2,048-second gaps and 8,191 s). */
SCRIPT(synack_backoff_capped_at_rto_max)
{
	static const uint32_t gap_s[12] = { 1, 2, 4, 8, 16, 32, 64, 120, 120, 120, 120, 120 };
	LISTEN(7, 5);
	SYSCTL(tcp_synack_retries, 12);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	for (int i = 0; i < 12; i++) {
		ADVANCE_MS(gap_s[i] * 1000u - 1u);
		EXPECT_NONE();
		ADVANCE_MS(1);
		EXPECT(SYNACK);
	}
	ASSERT_COUNTER(synack_retrans, 12);
	ADVANCE_MS(119999);
	ASSERT_POOLS(.syn_queue = 1);
	ADVANCE_MS(1);
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0);
}

/* Found by fuzz_tcp: after a stall of the main loop (no tick for ten
 * minutes), each SYN-ACK retransmit added its gap to a deadline still far
 * in the past, so the entry fired again at once, and again: a burst of
 * SYN-ACKs (and, before the timer wheel, a deadline more than 2^31 ms
 * behind that looked 12 days ahead: the entry never left).  Now a deadline
 * that would stay in the past restarts from now: one SYN-ACK, then the
 * schedule. */
SCRIPT(synack_after_a_stall_no_burst)
{
	LISTEN(7, 5);
	SYSCTL(tcp_synack_retries, 12);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT(SYNACK);
	t->now += 600000u;                 /* the stall */
	ADVANCE_MS(1);
	EXPECT(SYNACK);
	EXPECT_NONE();
	ADVANCE_MS(1000);
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 1);
	ASSERT_COUNTER(synack_retrans, 1);
}
