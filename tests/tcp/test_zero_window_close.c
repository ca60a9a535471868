/* Closing while the peer holds a zero window: the FIN that goes out into
 * the zero window is retransmitted like any unacknowledged sequence number
 * (RFC 6298 §5.1), and an orphan (closed by the application) is bounded
 * however the peer answers, as Linux bounds it (tcp_orphan_retries in
 * tcp_write_timeout and tcp_probe_timer): a peer that keeps its window at
 * 0 and drops FINs cannot hold TCBs for ever. */
#include "harness.h"

static int tcbs_in_use(struct th *t)
{
	struct keel_pool_usage u;
	tcp_pool_get(K, TCP_POOL_TCB, &u);
	return u.in_use;
}

/* For up to limit_ms: every segment the device sends must match want and is
 * answered with reply; returns how many were sent.  Stops as soon as the
 * TCB pool is empty. */
static int answer_until_freed(struct th *t, int line, const char *want, const char *reply,
			      uint32_t limit_ms)
{
	uint32_t start = NOW();
	int n = 0;
	while (tcbs_in_use(t) && NOW() - start < limit_ms) {
		th_advance(t, line, 100);
		while (t->qlen) {
			th_expect(t, line, want);
			th_inject(t, line, reply);
			n++;
		}
	}
	return n;
}

/* The case: 100 bytes sent, the peer ACKs none of them and closes
 * its window; the application closes; the peer ACKs the data, window still
 * 0; the FIN goes and is lost.  It must go again after an RTO. */
SCRIPT(zero_window_fin_wait_1_fin_retransmitted)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND_N(100);
	EXPECT("> P. 1:101(100) ack 1 pattern");
	INJECT("< . 1:1(0) ack 1 win 0");        /* persist timer starts */
	CLOSE();
	EXPECT_NONE();                           /* FIN waits behind the data */
	INJECT("< . 1:1(0) ack 101 win 0");
	EXPECT("> F. 101:101(0) ack 1");         /* ... and is lost */
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_1, 1);
	/* RTO: RFC 6298 1 s initial, Linux 200 ms min; both within 3 s */
	EXPECT_WITHIN(3000, "> F. 101:101(0) ack 1");
	INJECT("< . 1:1(0) ack 102 win 0");      /* FIN acked: FIN_WAIT_2 */
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
	INJECT("< F. 1:1(0) ack 102 win 0");
	EXPECT("> . 102:102(0) ack 2");
	ASSERT_POOLS(.tcbs = 0, .time_wait = 1);
}

/* The orphan's FIN into a zero window that the peer answers with ACKs
 * of the data but never of the FIN: bounded by tcp_orphan_retries (Linux
 * 0 -> 8), the TCB freed without a RST (tcp_write_err). */
SCRIPT(zero_window_orphan_fin_bounded)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND_N(100);
	EXPECT("> P. 1:101(100) ack 1 pattern");
	INJECT("< . 1:1(0) ack 1 win 0");
	CLOSE();
	INJECT("< . 1:1(0) ack 101 win 0");
	EXPECT("> F. 101:101(0) ack 1");
	int n = answer_until_freed(t, __LINE__, "> F. 101:101(0) ack 1", "< . 1:1(0) ack 101 win 0",
				   3600u * 1000u);
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
	ASSERT_TRUE(n >= 3 && n <= 16);
	ASSERT_COUNTER(abort_on_timeout, 1);
}

/* The LAST_ACK variant, through shutdown (the application keeps the
 * handle): the FIN is retransmitted until acknowledged. */
SCRIPT(zero_window_last_ack_fin_retransmitted)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	RECV_EOF();
	SEND_N(100);
	EXPECT("> P. 1:101(100) ack 2 pattern");
	INJECT("< . 2:2(0) ack 1 win 0");
	SHUTDOWN();
	ASSERT_STATE(TCP_LAST_ACK);
	EXPECT_NONE();
	INJECT("< . 2:2(0) ack 101 win 0");
	EXPECT("> F. 101:101(0) ack 2");         /* lost */
	EXPECT_WITHIN(3000, "> F. 101:101(0) ack 2");
	EXPECT_WITHIN(6000, "> F. 101:101(0) ack 2");   /* backed off */
	INJECT("< . 2:2(0) ack 102 win 0");
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_ERROR(KEEL_OK);
}

/* LAST_ACK orphan whose peer never acknowledges the FIN: freed. */
SCRIPT(zero_window_last_ack_orphan_bounded)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	SEND_N(100);
	EXPECT("> P. 1:101(100) ack 2 pattern");
	INJECT("< . 2:2(0) ack 1 win 0");
	RECV_EOF();
	CLOSE();
	INJECT("< . 2:2(0) ack 101 win 0");
	EXPECT("> F. 101:101(0) ack 2");
	int n = answer_until_freed(t, __LINE__, "> F. 101:101(0) ack 2", "< . 2:2(0) ack 101 win 0",
				   3600u * 1000u);
	ASSERT_POOLS(.tcbs = 0);
	ASSERT_TRUE(n >= 3 && n <= 16);
}

/* An orphan with data still unsent behind a zero window, the peer
 * answering every window probe (still 0): the connection that the
 * application owns may live on (RFC 1122 §4.2.2.17, see
 * zero_window_probes_acked_keep_connection), an orphan may not.  Linux's
 * tcp_probe_timer aborts an orphan once its probe backoff reaches
 * TCP_RTO_MAX (120 s), ACKs or not. */
SCRIPT(zero_window_orphan_persist_bounded)
{
	struct th_seginfo p;
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 1:1(0) ack 1 win 0");
	SEND_N(100);
	CLOSE();
	uint32_t start = NOW();
	int probes = 0;
	while (tcbs_in_use(t) && NOW() - start < 3600u * 1000u && probes < 100) {
		th_advance(t, __LINE__, 100);
		while (t->qlen) {
			NEXT_SEGMENT(0, &p);
			ASSERT_TRUE((p.seq == 0 && p.len == 0) || (p.seq == 1 && p.len == 1));
			INJECT("< . 1:1(0) ack 1 win 0");
			probes++;
		}
	}
	ASSERT_POOLS(.tcbs = 0);
	ASSERT_TRUE(probes >= 3 && probes <= 16);
	ASSERT_TRUE(NOW() - start < 15u * 60u * 1000u);
}
