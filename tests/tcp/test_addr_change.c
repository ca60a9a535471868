/* keel_set_addr moves the interface address: every connection state bound
 * to the old address goes (tcp_addr.c).  Before, TCBs and SYN-queue
 * entries kept the old address in the TCP pseudo-header while IPv4 wrote
 * the new source, so every segment left with a bad checksum and the
 * connections died only after their retransmissions; TIME_WAIT entries
 * stayed although tcp_timewait.h said they were flushed. */
#include "harness.h"

#define NEW_ADDR 0xc0000209u   /* 192.0.2.9 */

SCRIPT(addr_change_resets_every_connection)
{
	LISTEN(7, 5);
	CONN(3);
	ESTABLISH();
	SHUTDOWN();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");              /* TIME_WAIT */
	CLOSE();
	CONN(0);
	ESTABLISH();                             /* accepted, the app holds it */
	CONN(1);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");     /* in the accept queue */
	CONN(2);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");  /* half-open */
	ASSERT_POOLS(.tcbs = 2, .syn_queue = 1, .time_wait = 1);

	keel_set_addr(K, NEW_ADDR, 24, 0);
	/* The RSTs leave from the old address, in TCB order. */
	CONN(0);
	EXPECT("> R. 1:1(0) ack 1");
	CONN(1);
	EXPECT("> R. 1:1(0) ack 1");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 1, .syn_queue = 0, .time_wait = 0);
	ASSERT_COUNTER(abort_on_addr, 4);
	ASSERT_STATE_COUNT(TCP_ESTABLISHED, 0);
	CONN(0);
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_ECONNABORTED);
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_EPIPE);
	ASSERT_STATE(TCP_CLOSED);
	CLOSE();
	ASSERT_POOLS(.tcbs = 0, .listen = 1);
	keel_set_addr(K, TH_DEV_IP, 24, 0);      /* back, for the final check */
	ASSERT_COUNTER(abort_on_addr, 4);
}

/* The same address again (a new prefix or gateway only) keeps everything. */
SCRIPT(addr_change_same_address_keeps_connections)
{
	LISTEN(7, 5);
	ESTABLISH();
	keel_set_addr(K, TH_DEV_IP, 25, 0xc0000201u);
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
	SEND("ok");
	EXPECT("> P. 1:3(2) ack 1 'ok'");
	ASSERT_COUNTER(abort_on_addr, 0);
}
