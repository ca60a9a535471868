/* Moving the interface's address (keel_set_addr, the console's ifconfig)
 * flushes TIME_WAIT: the entries keep no local address of their own, so
 * they would otherwise answer for the new one. */
#include "harness.h"

SCRIPT(addr_change_flushes_time_wait)
{
	LISTEN(13, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	keel_set_addr(K, TH_DEV_IP, 24, 0);        /* the same address: kept */
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	keel_set_addr(K, 0xc0000209u, 24, 0);     /* moved: gone */
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
	ASSERT_POOLS(.time_wait = 0, .tcbs = 0);
	keel_set_addr(K, TH_DEV_IP, 24, 0);        /* and back: no entry answers */
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> R 2:2(0)");
}
