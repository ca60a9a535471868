/* Every connection a handshake made ends counted once: in tcpEstabResets
 * (from ESTABLISHED or CLOSE_WAIT) or in TCPClosedAfterFin (from
 * FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK, TIME_WAIT), so
 * PassiveOpens = EstabResets + TCPClosedAfterFin + TCBs still open --
 * the identity the QEMU soak checks (tests/qemu/test_soak.py). */
#include "harness.h"

static void check_identity(struct th *t, int line)
{
	const struct tcp_mib *m = tcp_get_mib(th_keel(t, line));
	unsigned open = 0;
	for (unsigned s = TCP_SYN_SENT; s < TCP_NSTATES; s++)
		open += th_keel(t, line)->tcp.tcb_states[s];
	if (m->passive_opens != m->estab_resets + m->closed_after_fin + open)
		th_fail(t, line, "PassiveOpens %u != EstabResets %u + TCPClosedAfterFin %u + open %u",
			m->passive_opens, m->estab_resets, m->closed_after_fin, open);
}
#define CHECK_IDENTITY() check_identity(t, __LINE__)

SCRIPT(conn_ends_each_counted_once)
{
	LISTEN(7, 8);
	/* 0: the peer closes first: CLOSE_WAIT, LAST_ACK, CLOSED */
	CONN(0);
	ESTABLISH();
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	CLOSE();
	EXPECT("> F. 1:1(0) ack 2");
	INJECT("< . 2:2(0) ack 2 win 8192");
	ASSERT_COUNTER(closed_after_fin, 1);
	CHECK_IDENTITY();
	/* 1: we close first: FIN_WAIT_1, TIME_WAIT */
	CONN(1);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_COUNTER(closed_after_fin, 2);
	CHECK_IDENTITY();
	/* 2: RST in ESTABLISHED */
	CONN(2);
	ESTABLISH();
	INJECT("< R. 1:1(0) ack 1 win 8192");
	ASSERT_COUNTER(estab_resets, 1);
	CLOSE();
	CHECK_IDENTITY();
	/* 3: the application aborts */
	CONN(3);
	ESTABLISH();
	ABORT();
	EXPECT("> R. 1:1(0) ack 1");
	ASSERT_COUNTER(estab_resets, 2);
	CHECK_IDENTITY();
	/* 4: RST in FIN_WAIT_2 after our close */
	CONN(4);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< . 1:1(0) ack 2 win 8192");
	CHECK_IDENTITY();                          /* still open: FIN_WAIT_2 */
	INJECT("< R. 1:1(0) ack 2 win 8192");
	ASSERT_COUNTER(closed_after_fin, 3);
	CHECK_IDENTITY();
	/* 5: closed with unread data: RST (TCPAbortOnClose) */
	CONN(5);
	ESTABLISH();
	INJECT("< P. 1:4(3) ack 1 win 8192 'abc'");
	CLOSE();
	EXPECT("> R. 1:1(0) ack 4");
	ASSERT_COUNTER(estab_resets, 3);
	CHECK_IDENTITY();
	/* 6: an orphan in LAST_ACK whose FIN is never acknowledged */
	CONN(6);
	ESTABLISH();
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	CLOSE();
	EXPECT("> F. 1:1(0) ack 2");
	IGNORE_OUTPUT(1);
	ADVANCE_MS(600000);
	IGNORE_OUTPUT(0);
	ASSERT_POOLS(.tcbs = 0);
	ASSERT_COUNTER(passive_opens, 7);
	ASSERT_COUNTER(closed_after_fin, 4);
	CHECK_IDENTITY();
}
