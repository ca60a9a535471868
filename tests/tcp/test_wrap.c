/* Wrap-around: sequence numbers and the millisecond clock near 2^32. */
#include "harness.h"

/* The clock wraps during TIME_WAIT; the peer's sequence numbers wrap
 * within the data. */
SCRIPT(clock_and_seq_wrap)
{
	CLOCK_START(0xffffffffu - 30000u);
	PEER_ISN(0xfffffffcu);
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< P. 1:9(8) ack 1 win 8192 'wrapping'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 9");
	RECV_EXPECT("wrapping");
	SEND("ok");
	EXPECT("> P. 1:3(2) ack 9 'ok'");
	INJECT("< . 9:9(0) ack 3 win 8192");
	CLOSE();
	EXPECT("> F. 3:3(0) ack 9");
	INJECT("< F. 9:9(0) ack 4 win 8192");
	EXPECT("> . 4:4(0) ack 10");
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ADVANCE_MS(59999);   /* crosses now_ms == 0 */
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ADVANCE_MS(1);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
}

/* SYN-ACK retransmit timer armed just before the clock wraps. */
SCRIPT(synack_timer_across_clock_wrap)
{
	CLOCK_START(0xffffffffu - 500u);
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	ADVANCE_MS(999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
}
