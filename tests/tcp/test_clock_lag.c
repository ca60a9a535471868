/* A clock that moves 2^31 ms or more between two ticks (a main loop that
 * stalled for 25 days, or a timer wheel left that far behind).  Deadlines
 * are 32-bit and compared by signed difference, so a deadline overdue by
 * 2^31 ms or more reads as 2^31 ms in the future.  No deadline keel sets
 * is more than 2^30 ms ahead (the longest, a keepalive idle time, is at
 * most 32,767 s), so anything that reads as further ahead than that is
 * overdue and fires at the next tick.  (A jump of a whole 2^32 ms is not
 * visible in a 32-bit clock at all.) */
#include "harness.h"

#define LAG_2_31 (1u << 31)

/* Unacknowledged data, then the clock jumps 2^31 + 5 s: the retransmit
 * goes at the first tick after the jump, and the connection then runs on
 * its usual timers (the next RTO doubled). */
SCRIPT(clock_lag_2_31_retransmit_fires)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("lost");
	EXPECT("> P. 1:5(4) ack 1 'lost'");
	t->now += LAG_2_31 + 5000u;
	ADVANCE_MS(1);
	EXPECT("> P. 1:5(4) ack 1 'lost'");
	INJECT("< . 1:1(0) ack 5 win 8192");
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* Exactly 2^31 ms, and 2^32 - 2^30 - 1 ms (the largest lag that can be
 * told from a deadline ahead): an orphan's FIN is retransmitted at once
 * and the TCB goes after its retries. */
SCRIPT(clock_lag_orphan_fin_retransmitted)
{
	static const uint32_t lags[] = { LAG_2_31, 0u - (1u << 30) - 1u };
	LISTEN(7, 5);
	for (unsigned i = 0; i < 2; i++) {
		CONN((int)i);
		ESTABLISH();
		CLOSE();
		EXPECT("> F. 1:1(0) ack 1");
		t->now += lags[i];
		ADVANCE_MS(1);
		EXPECT("> F. 1:1(0) ack 1");
		ASSERT_STATE_COUNT(TCP_FIN_WAIT_1, 1);
		INJECT("< F. 1:1(0) ack 2 win 8192");
		EXPECT("> . 2:2(0) ack 2");
		ASSERT_POOLS(.tcbs = 0, .time_wait = 1);
		t->now += lags[i];                    /* TIME_WAIT's 60 s long past */
		ADVANCE_MS(1);
		ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
	}
}

/* A half-open entry in the SYN queue: its SYN-ACK retransmit after the
 * jump, and the entry gone after its retries. */
SCRIPT(clock_lag_synq_entry)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	t->now += LAG_2_31 + 1u;
	ADVANCE_MS(1);
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	ASSERT_POOLS(.syn_queue = 1);
	IGNORE_OUTPUT(1);
	ADVANCE_MS(64000);
	IGNORE_OUTPUT(0);
	ASSERT_POOLS(.syn_queue = 0);
}

/* Keepalive on an idle connection: the probe goes at the first tick after
 * the jump, not 2^31 ms later. */
SCRIPT(clock_lag_keepalive_probe)
{
	struct th_seginfo p;
	LISTEN(7, 5);
	ESTABLISH();
	CALL_EXPECT(tcp_set_keepalive(K, H, 10, 1, 3), KEEL_OK);
	t->now += LAG_2_31 + 20000u;
	ADVANCE_MS(1);
	NEXT_SEGMENT(0, &p);
	ASSERT_TRUE(p.seq == 0 && p.len <= 1 && (p.flags & 0x17) == 0x10);
	ASSERT_COUNTER(keepalive_probes, 1);
}
