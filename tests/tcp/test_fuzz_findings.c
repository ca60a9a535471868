/* Scripts for what the stateful fuzzer (tests/fuzz/fuzz_tcp.c) found; each
 * failed before its fix.  (The harness checks tcp_invariants() after every
 * step, as the fuzzer does.) */
#include "harness.h"

/* A FIN in order while out-of-order data waits beyond it: the data can
 * never be delivered (the stream ended before it), so it is dropped with
 * its ranges, as Linux's tcp_fin purges the out-of-order queue.  Before,
 * the stale range stayed behind RCV.NXT once the FIN moved it. */
SCRIPT(fin_in_order_drops_out_of_order_data_beyond_it)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 2:922(920) ack 1 win 8192");   /* one byte missing before it */
	EXPECT("> . 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 1 win 8192");      /* the peer says the stream ends at 1 */
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	ASSERT_STATE(TCP_CLOSE_WAIT);
	RECV_EOF();                                /* nothing of the 920 bytes is read */
	CLOSE();
	EXPECT("> F. 1:1(0) ack 2");
	INJECT("< . 2:2(0) ack 2 win 8192");
	ASSERT_POOLS(.tcbs = 0);
}

/* A main loop that ticks seldom (every 30 minutes here): the timer wheel
 * caught up at most a few seconds of its own time per tick, 32 ms a turn,
 * so after a long gap every timer fired hours late (and after 2^31 ms of
 * lag, never: fuzz_tcp's leak).  It now jumps to the next cascade when
 * nothing at level 0 is due: the orphan's FIN retransmits run out and its
 * TCB goes within a few ticks. */
SCRIPT(timers_fire_after_long_tick_gaps)
{
	LISTEN(7, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	IGNORE_OUTPUT(1);
	for (int i = 0; i < 20; i++) {
		t->now += 30u * 60u * 1000u;
		ADVANCE_MS(1);
	}
	IGNORE_OUTPUT(0);
	ASSERT_POOLS(.tcbs = 0);
}

