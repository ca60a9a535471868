/* Passive open (three-way handshake), data both ways, and the two orderly
 * closes: peer first (CLOSE_WAIT -> LAST_ACK -> CLOSED) and device first
 * (FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT for 2*MSL). RFC 9293 §3.5, §3.6. */
#include "harness.h"

/* SYN -> SYN-ACK (MSS 1460 only, window = the free receive buffer) ->
 * ACK; the connection is only accept()able after the final ACK (notes:
 * the half-open entry moves from the SYN queue to the accept queue). */
SCRIPT(passive_open_3whs)
{
	LISTEN(7, 5);
	ASSERT_STATE_COUNT(TCP_LISTEN, 1);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 1, .tcbs = 0);
	ASSERT_STATE_COUNT(TCP_SYN_RECEIVED, 1);
	ACCEPT_NONE();
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 1);
	ASSERT_STATE_COUNT(TCP_SYN_RECEIVED, 0);
	ASSERT_STATE_COUNT(TCP_ESTABLISHED, 1);
	ASSERT_COUNTER(passive_opens, 1);
	ASSERT_TRUE(tcp_curr_estab(K) == 1);
	ASSERT_TRUE(tcp_poll(K, LH) & TCP_POLL_ACCEPTABLE);
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
	ACCEPT_NONE();
}

/* Echo: the peer's data is ACKed (at once or delayed <= 500 ms) with the
 * window shrunk by the unread bytes, read by the app, echoed back. */
SCRIPT(passive_open_data_echo)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< P. 1:6(5) ack 1 win 8192 'hello'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 6 win 2043");
	ASSERT_TRUE(tcp_poll(K, H) & TCP_POLL_READABLE);
	RECV_EXPECT("hello");
	RECV_NONE();
	SEND("hello");
	EXPECT("> P. 1:6(5) ack 6 'hello'");
	INJECT("< . 6:6(0) ack 6 win 8192");
	EXPECT_NONE();
	/* and a second round, the reply piggybacking nothing unexpected */
	INJECT("< P. 6:12(6) ack 6 win 8192 'world!'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 6:6(0) ack 12");
	RECV_EXPECT("world!");
	SEND("world!");
	EXPECT("> P. 6:12(6) ack 12 'world!'");
	INJECT("< . 12:12(0) ack 12 win 8192");
	ADVANCE_MS(5000);
	EXPECT_NONE();   /* everything acked: no retransmission */
	ASSERT_COUNTER(retrans_segs, 0);
}

/* Peer closes first: FIN -> ACK, device in CLOSE_WAIT (reads EOF); device
 * closes -> FIN, LAST_ACK; the peer's ACK frees everything, no TIME_WAIT on
 * this side (the passive closer does not keep TIME_WAIT, notes). */
SCRIPT(peer_closes_first)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	ASSERT_STATE(TCP_CLOSE_WAIT);
	ASSERT_TRUE(tcp_curr_estab(K) == 1);   /* CurrEstab counts CLOSE_WAIT */
	ASSERT_TRUE(tcp_poll(K, H) & TCP_POLL_HUP);
	RECV_EOF();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 2");
	ASSERT_STATE_COUNT(TCP_LAST_ACK, 1);
	ASSERT_STATE_COUNT(TCP_CLOSE_WAIT, 0);
	INJECT("< . 2:2(0) ack 2 win 8192");
	EXPECT_NONE();
	ASSERT_STATE_COUNT(TCP_LAST_ACK, 0);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
	ASSERT_POOLS(.tcbs = 0, .syn_queue = 0, .time_wait = 0, .listen = 1);
	ASSERT_TRUE(tcp_curr_estab(K) == 0);
}

/* Same, through SHUTDOWN so the handle shows LAST_ACK and then CLOSED. */
SCRIPT(peer_closes_first_states)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	ASSERT_STATE(TCP_CLOSE_WAIT);
	SHUTDOWN();
	EXPECT("> F. 1:1(0) ack 2");
	ASSERT_STATE(TCP_LAST_ACK);
	INJECT("< . 2:2(0) ack 2 win 8192");
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
	CLOSE();
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* Device closes first: FIN_WAIT_1 -> (ACK) FIN_WAIT_2 -> (FIN) TIME_WAIT,
 * which lasts exactly 2*MSL = 60 s (tcp_msl 30) in the compact table. */
SCRIPT(device_closes_first_time_wait)
{
	LISTEN(13, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_1, 1);
	INJECT("< . 1:1(0) ack 2 win 8192");
	EXPECT_NONE();
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_1, 0);
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");   /* the last ACK goes out at once */
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 0);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ASSERT_POOLS(.tcbs = 0, .time_wait = 1);   /* no TCB held for 2*MSL */
	ASSERT_COUNTER(tw, 1);
	ADVANCE_MS(59999);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ADVANCE_MS(1);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0, .syn_queue = 0);
	EXPECT_NONE();   /* TIME_WAIT ends silently */
}

/* Through SHUTDOWN, so the handle shows FIN_WAIT_1 and FIN_WAIT_2; the
 * peer's FIN ACKs ours and closes in one segment (FIN_WAIT_1 -> TIME_WAIT). */
SCRIPT(device_closes_first_states)
{
	LISTEN(13, 5);
	ESTABLISH();
	SHUTDOWN();
	EXPECT("> F. 1:1(0) ack 1");
	ASSERT_STATE(TCP_FIN_WAIT_1);
	INJECT("< . 1:1(0) ack 2 win 8192");
	ASSERT_STATE(TCP_FIN_WAIT_2);
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	RECV_EOF();
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	CLOSE();
	ASSERT_POOLS(.tcbs = 0, .time_wait = 1);
	/* FIN and ACK of our FIN in one segment */
	CONN(1);
	ESTABLISH();
	SHUTDOWN();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 2);
	CLOSE();
	ASSERT_POOLS(.tcbs = 0, .time_wait = 2);
	ASSERT_COUNTER(tw, 2);
}

/* A retransmitted SYN for an entry still in the SYN queue gets the same
 * SYN-ACK again (same ISN), without a second entry (Linux tcp_check_req). */
SCRIPT(duplicate_syn_resends_synack)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	ADVANCE_MS(300);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	ASSERT_POOLS(.syn_queue = 1, .tcbs = 0);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* The peer's ACK carries data: the handshake completes and the data is
 * delivered (RFC 9293 §3.10.7.4 SYN-RECEIVED, then the text). */
SCRIPT(final_ack_with_data)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	INJECT("< P. 1:4(3) ack 1 win 8192 'abc'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 4");
	ACCEPT();
	RECV_EXPECT("abc");
}

/* Two listeners, two connections in parallel, each with its own ports. */
SCRIPT(two_listeners_two_connections)
{
	LISTEN(7, 5);
	ESTABLISH();
	CONN(1);
	LISTEN(80, 5);
	CUR->dev_port = 80;
	ESTABLISH();
	ASSERT_STATE_COUNT(TCP_ESTABLISHED, 2);
	ASSERT_STATE_COUNT(TCP_LISTEN, 2);
	ASSERT_POOLS(.tcbs = 2, .listen = 2);
	INJECT("< P. 1:3(2) ack 1 win 8192 'hi'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 3");
	RECV_EXPECT("hi");
	CONN(0);
	RECV_NONE();
}

/* The final ACK carries the peer's FIN: the new connection is born in
 * CLOSE_WAIT and reads EOF after accept. */
SCRIPT(final_ack_with_fin)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	ACCEPT();
	ASSERT_STATE(TCP_CLOSE_WAIT);
	RECV_EOF();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 2");
	INJECT("< . 2:2(0) ack 2 win 8192");
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* The peer resets a connection still waiting in the accept queue: no leak;
 * accept() either skips it or returns it already reset (Linux returns it
 * and the first read reports ECONNRESET). */
SCRIPT(reset_while_in_accept_queue)
{
	char buf[4];
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	INJECT("< R 1:1(0) win 0");
	EXPECT_NONE();
	int h = tcp_accept(K, LH);
	if (h >= 0) {
		CUR->handle = h;
		ASSERT_STATE(TCP_CLOSED);
		CALL_EXPECT(tcp_recv(K, h, buf, sizeof(buf)), KEEL_ECONNRESET);
		CLOSE();
	} else {
		CALL_EXPECT(h, KEEL_EWOULDBLOCK);
	}
	ASSERT_POOLS(.tcbs = 0);
	ASSERT_COUNTER(estab_resets, 1);
}
