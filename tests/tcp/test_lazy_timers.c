/* Lazy timer-wheel nodes (tcp_wheel.c wheel_file_lazy, as Linux's
 * sk_reset_timer on a pending timer): a freed SYN-queue entry or TCB
 * leaves its node filed, the next owner of the slot files nothing when
 * its deadline is later, and a node that comes due early is refiled, so
 * every timer still fires at its own millisecond. */
#include "harness.h"
#include "tcp_internal.h"

#define SYN "< S 0:0(0) win 8192 <mss 1460>"
#define SYNACK "> S. 0:0(0) ack 1 win 2048 <mss 1460>"

/* Entry 0 answers a SYN at T and is handed off at T+995; the next SYN
 * (another port) takes the same entry, whose node is still filed for
 * T+1000, in the wheel's exact level by now.  Its SYN-ACK retransmit is
 * due at T+1995 (RFC 6298 §2.1's 1 s), not at T+1000, and that SYN filed
 * nothing. */
SCRIPT(lazy_synq_entry_reused_fires_at_its_own_deadline)
{
	LISTEN(7, 5);
	uint16_t node = (uint16_t)KEEL_TCP_MAX_CONN;   /* SYN-queue entry 0 */
	CONN(0);
	INJECT(SYN);
	EXPECT(SYNACK);
	ADVANCE_MS(995);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 1);
	ASSERT_TRUE(wheel_queued(K, node));            /* left filed at the hand-off */
	uint32_t filed = wheel_filed_at(K, node);
	uint32_t count = K->tcp.wheel.count;
	CONN(1);
	PEER_PORT(40001);
	INJECT(SYN);
	EXPECT(SYNACK);
	ASSERT_POOLS(.syn_queue = 1);
	ASSERT_TRUE(K->tcp.synq[0].flags & SYNQ_F_USED);   /* the same entry */
	ASSERT_TRUE(wheel_filed_at(K, node) == filed);      /* not refiled */
	ASSERT_TRUE(K->tcp.wheel.count == count);
	ADVANCE_MS(999);
	EXPECT_NONE();                                 /* the old deadline, T+1000, passed */
	ADVANCE_MS(1);
	EXPECT(SYNACK);                                /* T+1995 */
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	CONN(0);
	ABORT();
	EXPECT("> R. 1:1(0) ack 1");
	CONN(1);
	ABORT();
	EXPECT("> R. 1:1(0) ack 1");
}

/* A TCB freed with its retransmit timer filed (an abort with data in
 * flight, 5 ms before the RTO) leaves the node in the wheel; when it
 * comes due it is dropped: nothing is sent, the free slot is not
 * reported ready, the wheel is empty after. */
SCRIPT(lazy_tcb_freed_node_comes_due_quietly)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("x");
	EXPECT("> P. 1:2(1) ack 1");
	ADVANCE_MS(K->tcp.tcbs[0].rtx_due - NOW() - 5u);
	EXPECT_NONE();
	ABORT();
	EXPECT("> R. 2:2(0) ack 1");
	ASSERT_POOLS(.tcbs = 0);
	uint16_t node = 0;                             /* TCB 0 */
	ASSERT_TRUE(wheel_queued(K, node));
	while (keel_tcp_ready_next(K) >= 0)
		;
	ADVANCE_MS(TCP_RTO_MAX_MS);
	EXPECT_NONE();
	ASSERT_TRUE(!keel_tcp_ready_pending(K));
	ASSERT_TRUE(!wheel_queued(K, node));
	ASSERT_TRUE(K->tcp.wheel.count == 0);
}
