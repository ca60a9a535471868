/* API misuse never corrupts the stack: stale handles -> KEEL_EBADF, wrong
 * kind of socket -> an error, write after shutdown -> KEEL_EPIPE, write
 * after reset -> KEEL_ECONNRESET once, then KEEL_EPIPE (Linux: sk_err
 * first, then EPIPE, write(2)'s "broken pipe"). */
#include <string.h>
#include "harness.h"

SCRIPT(api_double_close_ebadf)
{
	LISTEN(7, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	CALL_EXPECT(tcp_close(K, H), KEEL_EBADF);
	CALL_EXPECT(tcp_abort(K, H), KEEL_EBADF);
	EXPECT_NONE();
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_1, 1);   /* the background close goes on */
	INJECT("< . 1:1(0) ack 2 win 8192");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
}

SCRIPT(api_use_after_close_ebadf)
{
	char buf[8];
	LISTEN(7, 5);
	ESTABLISH();
	int h = H;
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	CALL_EXPECT(tcp_send(K, h, "x", 1), KEEL_EBADF);
	CALL_EXPECT(tcp_recv(K, h, buf, sizeof(buf)), KEEL_EBADF);
	CALL_EXPECT(tcp_shutdown(K, h), KEEL_EBADF);
	CALL_EXPECT(tcp_get_state(K, h), KEEL_EBADF);
	CALL_EXPECT(tcp_error(K, h), KEEL_EBADF);
	ASSERT_TRUE(tcp_poll(K, h) == 0 || (tcp_poll(K, h) & TCP_POLL_ERROR));
	EXPECT_NONE();
	/* a new connection reusing the same slot does not answer to the old
	 * handle (generation count) */
	INJECT("< . 1:1(0) ack 2 win 8192");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	CONN(1);
	ESTABLISH();
	ASSERT_TRUE(H != h);
	CALL_EXPECT(tcp_send(K, h, "x", 1), KEEL_EBADF);
	CALL_EXPECT(tcp_close(K, h), KEEL_EBADF);
	ASSERT_STATE(TCP_ESTABLISHED);
	EXPECT_NONE();
}

SCRIPT(api_bad_handles_ebadf)
{
	char buf[8];
	LISTEN(7, 5);
	static const int bad[] = { -1, -12345, 0x7fffffff, 0x7fff00, 255, 0x1ff };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (bad[i] == LH)
			continue;
		CALL_EXPECT(tcp_send(K, bad[i], "x", 1), KEEL_EBADF);
		CALL_EXPECT(tcp_recv(K, bad[i], buf, sizeof(buf)), KEEL_EBADF);
		CALL_EXPECT(tcp_close(K, bad[i]), KEEL_EBADF);
		CALL_EXPECT(tcp_abort(K, bad[i]), KEEL_EBADF);
		CALL_EXPECT(tcp_shutdown(K, bad[i]), KEEL_EBADF);
		ASSERT_TRUE(tcp_accept(K, bad[i]) < 0 && tcp_accept(K, bad[i]) != KEEL_EWOULDBLOCK);
		ASSERT_TRUE(tcp_get_state(K, bad[i]) < 0);
	}
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 0, .listen = 1);
}

/* A listener is not a connection (Linux: send -> EPIPE, recv -> ENOTCONN;
 * keel may say EINVAL or ENOTCONN: any error), and a connection is not a
 * listener. */
SCRIPT(api_wrong_kind_of_socket)
{
	char buf[8];
	LISTEN(7, 5);
	ASSERT_TRUE(tcp_send(K, LH, "x", 1) < 0);
	ASSERT_TRUE(tcp_recv(K, LH, buf, sizeof(buf)) < 0);
	/* Linux's shutdown(SHUT_WR) on a listener does nothing; keel may say
	 * EINVAL: either way the listener stays (checked below) */
	(void)tcp_shutdown(K, LH);
	ESTABLISH();
	ASSERT_TRUE(tcp_accept(K, H) < 0 && tcp_accept(K, H) != KEEL_EWOULDBLOCK);
	ASSERT_STATE(TCP_ESTABLISHED);
	CALL_EXPECT(tcp_get_state(K, LH), TCP_LISTEN);
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 1, .listen = 1);
}

/* Two listeners on one port: EADDRINUSE; a bad backlog does not break. */
SCRIPT(api_listen_twice_eaddrinuse)
{
	LISTEN(7, 5);
	LISTEN_EXPECT(7, 5, KEEL_EADDRINUSE);
	ASSERT_POOLS(.listen = 1);
	LISTEN(8, -1);    /* Linux clamps a negative backlog to 0 */
}

/* The listener pool is bounded: one more than KEEL_TCP_MAX_LISTEN fails
 * cleanly with ENOMEM. */
SCRIPT(api_listener_pool_exhausted)
{
	for (int i = 0; i < KEEL_TCP_MAX_LISTEN; i++)
		LISTEN((uint16_t)(1000 + i), 5);
	LISTEN_EXPECT(2000, 5, KEEL_ENOMEM);
	ASSERT_POOLS(.listen = KEEL_TCP_MAX_LISTEN);
}

/* Send after shutdown: EPIPE, and no data goes out. */
SCRIPT(api_send_after_shutdown_epipe)
{
	LISTEN(7, 5);
	ESTABLISH();
	SHUTDOWN();
	EXPECT("> F. 1:1(0) ack 1");
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_EPIPE);
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_EPIPE);
	EXPECT_NONE();
	/* a second shutdown is harmless: no second FIN */
	(void)tcp_shutdown(K, H);
	EXPECT_NONE();
}

/* Send after the peer reset: ECONNRESET first, then EPIPE. */
SCRIPT(api_send_after_reset)
{
	char buf[8];
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< R 1:1(0) win 0");
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_ECONNRESET);
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_EPIPE);
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_EPIPE);
	ASSERT_TRUE(tcp_recv(K, H, buf, sizeof(buf)) <= 0);
	EXPECT_NONE();
	CLOSE();
	EXPECT_NONE();   /* nothing to send to a reset connection */
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* recv after reset: ECONNRESET (Linux returns the pending error). */
SCRIPT(api_recv_after_reset)
{
	char buf[8];
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< R 1:1(0) win 0");
	CALL_EXPECT(tcp_recv(K, H, buf, sizeof(buf)), KEEL_ECONNRESET);
	ASSERT_ERROR(KEEL_OK);   /* consumed */
}

/* Sending more than the send buffer: partial count, then EWOULDBLOCK. */
SCRIPT(api_send_buffer_full)
{
	static char big[KEEL_TCP_SNDBUF + 100];
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 0 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 0");   /* zero window: nothing leaves */
	ACCEPT();
	memset(big, 'q', sizeof(big));
	CALL_EXPECT(tcp_send(K, H, big, sizeof(big)), KEEL_TCP_SNDBUF);
	CALL_EXPECT(tcp_send(K, H, big, 1), KEEL_EWOULDBLOCK);
	ASSERT_TRUE(!(tcp_poll(K, H) & TCP_POLL_WRITABLE));
	EXPECT_NONE();
	ABORT();
	EXPECT("> R. 1:1(0) ack 1");
	ASSERT_POOLS(.tcbs = 0);
}

/* recv on an established connection with nothing: EWOULDBLOCK; zero-length
 * send is not an error. */
SCRIPT(api_empty_recv_and_send)
{
	LISTEN(7, 5);
	ESTABLISH();
	RECV_NONE();
	CALL_EXPECT(tcp_send(K, H, "", 0), 0);
	EXPECT_NONE();
}

/* The TCB pool is bounded: with every TCB in use, new handshakes fail
 * cleanly (no crash, no leak); connect gets ENOMEM. */
SCRIPT(api_tcb_pool_exhausted)
{
	LISTEN(7, KEEL_TCP_MAX_CONN + 4);
	for (int i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		CONN(i);
		ESTABLISH();
	}
	ASSERT_POOLS(.tcbs = KEEL_TCP_MAX_CONN);
	CONN(KEEL_TCP_MAX_CONN);
	CALL_EXPECT(tcp_connect(K, TH_PEER_IP, 80, 0), KEEL_ENOMEM);
	EXPECT_NONE();
	/* the next peer's handshake does not get a TCB; whatever the device
	 * does (drop the ACK, RST, keep the entry), the pool stays bounded */
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	IGNORE_OUTPUT(1);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ASSERT_POOLS(.tcbs = KEEL_TCP_MAX_CONN);
	IGNORE_OUTPUT(0);
	ACCEPT_NONE();
}

/* The ready queue names a connection once per batch of news: a segment
 * for it queues its index (twice queues it once), popping empties it, and
 * a timer that fires for it queues it again. */
SCRIPT(api_ready_queue)
{
	LISTEN(7, 4);
	ESTABLISH();
	while (keel_tcp_ready_next(K) >= 0)
		;                       /* the handshake's own news */
	int idx = keel_tcp_index(K, H);
	ASSERT_TRUE(idx >= 0);
	ASSERT_TRUE(!keel_tcp_ready_pending(K));
	INJECT("< P. 1:4(3) ack 1 win 8192 'abc'");
	INJECT("< P. 4:7(3) ack 1 win 8192 'def'");
	ASSERT_TRUE(keel_tcp_ready_pending(K));
	ASSERT_TRUE(keel_tcp_ready_next(K) == idx);
	ASSERT_TRUE(keel_tcp_ready_next(K) == -1);
	/* the delayed ACK fires: news again (e.g. a timeout would be) */
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 7");
	ASSERT_TRUE(keel_tcp_ready_next(K) == idx);
	ASSERT_TRUE(keel_tcp_index(K, 0x7fffffff) == -1);
	RECV_EXPECT("abcdef");
}
