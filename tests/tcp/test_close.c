/* Closing: simultaneous close through CLOSING, half-close both ways,
 * TIME_WAIT re-ACK and restart, FIN_WAIT_2 timeout for orphans, abortive
 * close (RST, no TIME_WAIT), close with unread data. */
#include "harness.h"

/* Both FINs cross: FIN_WAIT_1 -> CLOSING -> TIME_WAIT (RFC 9293 §3.6,
 * simultaneous close: both sides end in TIME_WAIT). */
SCRIPT(simultaneous_close)
{
	LISTEN(7, 5);
	ESTABLISH();
	SHUTDOWN();
	EXPECT("> F. 1:1(0) ack 1");
	ASSERT_STATE(TCP_FIN_WAIT_1);
	INJECT("< F. 1:1(0) ack 1 win 8192");   /* peer has not seen our FIN */
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_STATE(TCP_CLOSING);
	ASSERT_STATE_COUNT(TCP_CLOSING, 1);
	INJECT("< . 2:2(0) ack 2 win 8192");
	EXPECT_NONE();
	ASSERT_STATE_COUNT(TCP_CLOSING, 0);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	RECV_EOF();
	CLOSE();
	ASSERT_POOLS(.tcbs = 0, .time_wait = 1);
	ADVANCE_MS(60000);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
}

/* In CLOSING our FIN is retransmitted until ACKed. */
SCRIPT(closing_retransmits_fin)
{
	LISTEN(7, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_STATE_COUNT(TCP_CLOSING, 1);
	/* RTO: RFC 6298 1 s initial, Linux 200 ms min; both within 3 s */
	EXPECT_WITHIN(3000, "> F. 1:1(0) ack 2");
	INJECT("< . 2:2(0) ack 2 win 8192");
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
}

/* Peer half-closes; the device keeps sending in CLOSE_WAIT and the peer
 * ACKs it; then the device closes. */
SCRIPT(half_close_peer_first_device_sends)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	RECV_EOF();
	ASSERT_STATE(TCP_CLOSE_WAIT);
	SEND("more");
	EXPECT("> P. 1:5(4) ack 2 'more'");
	INJECT("< . 2:2(0) ack 5 win 8192");
	SEND("data");
	EXPECT("> P. 5:9(4) ack 2 'data'");
	INJECT("< . 2:2(0) ack 9 win 8192");
	ASSERT_STATE(TCP_CLOSE_WAIT);
	ADVANCE_MS(3000);
	EXPECT_NONE();
	CLOSE();
	EXPECT("> F. 9:9(0) ack 2");
	INJECT("< . 2:2(0) ack 10 win 8192");
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* Device shuts down its side; it keeps receiving in FIN_WAIT_2 (and
 * cannot send: EPIPE); the peer's FIN then leads to TIME_WAIT. */
SCRIPT(half_close_device_first_keeps_receiving)
{
	LISTEN(7, 5);
	ESTABLISH();
	SHUTDOWN();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< . 1:1(0) ack 2 win 8192");
	ASSERT_STATE(TCP_FIN_WAIT_2);
	INJECT("< P. 1:6(5) ack 2 win 8192 'hello'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 2:2(0) ack 6");
	RECV_EXPECT("hello");
	INJECT("< P. 6:12(6) ack 2 win 8192 'world!'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 2:2(0) ack 12");
	RECV_EXPECT("world!");
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_EPIPE);
	ASSERT_STATE(TCP_FIN_WAIT_2);
	/* a non-orphan FIN_WAIT_2 does not time out (Linux: only orphans) */
	ADVANCE_MS(70000);
	ASSERT_STATE(TCP_FIN_WAIT_2);
	INJECT("< F. 12:12(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 13");
	RECV_EOF();
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
}

/* Data queued before shutdown goes out before the FIN. */
SCRIPT(shutdown_after_send_fin_follows_data)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("bye");
	EXPECT("> P. 1:4(3) ack 1 'bye'");
	SHUTDOWN();
	EXPECT("> F. 4:4(0) ack 1");
	INJECT("< . 1:1(0) ack 5 win 8192");
	ASSERT_STATE(TCP_FIN_WAIT_2);
}

/* TIME_WAIT: a retransmitted FIN is re-ACKed and restarts 2*MSL. */
SCRIPT(time_wait_reacks_fin_and_restarts)
{
	LISTEN(13, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< . 1:1(0) ack 2 win 8192");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ADVANCE_MS(30000);
	INJECT("< F. 1:1(0) ack 2 win 8192");   /* our ACK was lost */
	EXPECT("> . 2:2(0) ack 2");
	EXPECT_NONE();
	ADVANCE_MS(59999);   /* 89.999 s after entering: still there */
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ADVANCE_MS(1);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
	ASSERT_POOLS(.time_wait = 0, .tcbs = 0);
	/* now the FIN meets a closed port */
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> R 2:2(0)");
}

/* tcp_msl changes the TIME_WAIT length (2 * MSL). */
SCRIPT(time_wait_follows_msl)
{
	SYSCTL(tcp_msl, 5);
	LISTEN(13, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	ADVANCE_MS(9999);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ADVANCE_MS(1);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
}

/* The orphan in FIN_WAIT_2 is still there ms - 1 after the last event
 * and gone at ms, silently and with nothing left behind (no TIME_WAIT). */
#define EXPECT_ORPHAN_GONE_AT(ms) do { \
	ADVANCE_MS((ms) - 1); \
	EXPECT_NONE(); \
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1); \
	ADVANCE_MS(1); \
	EXPECT_NONE(); \
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 0); \
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0); \
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0, .syn_queue = 0); \
} while (0)

/* An orphaned (closed) connection in FIN_WAIT_2 goes away after
 * tcp_fin_timeout (60 s) without sending anything. */
SCRIPT(fin_wait_2_orphan_timeout)
{
	LISTEN(13, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< . 1:1(0) ack 2 win 8192");
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
	EXPECT_ORPHAN_GONE_AT(60000);
}

/* The orphan's tcp_fin_timeout counts from FIN_WAIT_2, whatever arrives
 * after: a peer that keeps ACKing (here every 10 s) cannot hold it
 * longer, and keepalive, set before the close, sends nothing there
 * (Linux: the FIN_WAIT_2 case of tcp_keepalive_timer, nothing re-arms
 * it).  The deadline shares nothing with the keepalive's (tcb_ka_due). */
SCRIPT(fin_wait_2_orphan_timeout_despite_acks)
{
	LISTEN(13, 5);
	ESTABLISH();
	CALL_EXPECT(tcp_set_keepalive(K, H, 10, 1, 3), KEEL_OK);
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< . 1:1(0) ack 2 win 8192");
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
	for (int i = 0; i < 5; i++) {
		ADVANCE_MS(10000);
		INJECT("< . 1:1(0) ack 2 win 8192");
		EXPECT_NONE();
		ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
	}
	EXPECT_ORPHAN_GONE_AT(10000);
	ASSERT_COUNTER(keepalive_probes, 0);
}

/* The ACK of our FIN carries the peer's FIN out of order (bytes before
 * it missing): not taken, so the orphan stays in FIN_WAIT_2 and its
 * tcp_fin_timeout runs from there.  (With a FIN in order the same
 * segment goes to TIME_WAIT, and the timer is never armed: tcp_fsm.c.) */
SCRIPT(fin_wait_2_orphan_timeout_fin_out_of_order)
{
	LISTEN(13, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 5:5(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 1");
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
	EXPECT_ORPHAN_GONE_AT(60000);
}

/* tcp_fin_timeout = 10 shortens it. */
SCRIPT(fin_wait_2_orphan_timeout_sysctl)
{
	SYSCTL(tcp_fin_timeout, 10);
	LISTEN(13, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< . 1:1(0) ack 2 win 8192");
	ADVANCE_MS(9999);
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
	ADVANCE_MS(1);
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 0);
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* Abortive close: RST|ACK at SND.NXT, TCB freed at once, no TIME_WAIT. */
SCRIPT(abort_sends_rst_no_time_wait)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("abc");
	EXPECT("> P. 1:4(3) ack 1 'abc'");
	INJECT("< . 1:1(0) ack 4 win 8192");
	ABORT();
	EXPECT("> R. 4:4(0) ack 1");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 0);
	ASSERT_COUNTER(abort_on_linger, 1);   /* keel's counter for abort(); Linux counts linger-0 close in TCPAbortOnData */
	ASSERT_COUNTER(out_rsts, 1);
	ASSERT_COUNTER(tw, 0);
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_EBADF);   /* the handle is gone */
	ADVANCE_MS(5000);
	EXPECT_NONE();
	/* the peer's next segment meets a closed port */
	INJECT("< P. 1:3(2) ack 4 win 8192 'zz'");
	EXPECT("> R 4:4(0)");
}

/* Abort with unacknowledged data: RST seq is SND.NXT (after the data). */
SCRIPT(abort_with_unacked_data)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("abcdef");
	EXPECT("> P. 1:7(6) ack 1 'abcdef'");
	ABORT();
	EXPECT("> R. 7:7(0) ack 1");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 0);
	ADVANCE_MS(10000);
	EXPECT_NONE();   /* nothing retransmitted */
}

/* close() with unread received data: RST instead of FIN (RFC 2525 §2.17,
 * Linux TCPAbortOnClose), no TIME_WAIT. */
SCRIPT(close_with_unread_data_rst)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< P. 1:6(5) ack 1 win 8192 'hello'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 6");
	CLOSE();
	EXPECT("> R. 1:1(0) ack 6");
	EXPECT_NONE();
	ASSERT_COUNTER(abort_on_close, 1);
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* Data arriving for a closed (orphaned, FIN_WAIT) connection: RST
 * (Linux TCPAbortOnData: nobody will read it). */
SCRIPT(data_after_close_rst)
{
	LISTEN(7, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< . 1:1(0) ack 2 win 8192");
	INJECT("< P. 1:6(5) ack 2 win 8192 'late!'");
	EXPECT("> R 2:2(0)");
	EXPECT_NONE();
	ASSERT_COUNTER(abort_on_data, 1);
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* Closing a listener resets the connections still in its accept queue and
 * drops its half-open entries (Linux inet_csk_listen_stop). */
SCRIPT(close_listener_resets_unaccepted)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	CONN(1);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	ASSERT_POOLS(.tcbs = 1, .syn_queue = 1, .listen = 1);
	CALL_EXPECT(tcp_close(K, LH), KEEL_OK);
	CONN(0);
	EXPECT("> R. 1:1(0) ack 1");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 0, .syn_queue = 0, .listen = 0);
	ASSERT_STATE_COUNT(TCP_LISTEN, 0);
	/* the port is closed now */
	CONN(2);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> R. 0:0(0) ack 1");
}

/* TIME_WAIT answers an old SYN (seq below RCV.NXT) with an ACK of the
 * current state (Linux tcp_timewait_state_process -> TCP_TW_ACK). */
SCRIPT(time_wait_old_syn_acked)
{
	LISTEN(13, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
}

/* tcp_max_tw_buckets reached: the next connection skips TIME_WAIT
 * (TCPTimeWaitOverflow), nothing else changes. */
SCRIPT(time_wait_bucket_limit)
{
	SYSCTL(tcp_max_tw_buckets, 1);
	LISTEN(13, 5);
	for (int i = 0; i < 2; i++) {
		CONN(i);
		ESTABLISH();
		CLOSE();
		EXPECT("> F. 1:1(0) ack 1");
		INJECT("< F. 1:1(0) ack 2 win 8192");
		EXPECT("> . 2:2(0) ack 2");
	}
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ASSERT_POOLS(.time_wait = 1, .tcbs = 0);
	ASSERT_COUNTER(tw, 1);
	ASSERT_COUNTER(tw_overflow, 1);
}

/* SHUTDOWN, the FIN is ACKed (FIN_WAIT_2, not orphaned: no timer), then
 * close(): the connection is now an orphan and tcp_fin_timeout starts at
 * the close (Linux tcp_close -> tcp_time_wait(TCP_FIN_WAIT2, tmo)). */
SCRIPT(fin_wait_2_timer_starts_at_close)
{
	LISTEN(13, 5);
	ESTABLISH();
	SHUTDOWN();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< . 1:1(0) ack 2 win 8192");
	ASSERT_STATE(TCP_FIN_WAIT_2);
	ADVANCE_MS(5000);
	CLOSE();
	EXPECT_NONE();
	ADVANCE_MS(59999);
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
	ADVANCE_MS(1);
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 0);
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
	EXPECT_NONE();
}

/* TIME_WAIT ignores a RST that is not at RCV.NXT. */
SCRIPT(time_wait_bad_rst_ignored)
{
	LISTEN(13, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	INJECT("< R 100:100(0) win 0");
	INJECT("< R 100000:100000(0) win 0");
	EXPECT_NONE();
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
}

/* close() in CLOSE_WAIT with the peer's data still unread: RST, not FIN
 * (Linux tcp_close data_was_unread, TCPAbortOnClose). */
SCRIPT(close_wait_close_with_unread_data_rst)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< FP. 1:6(5) ack 1 win 8192 'hello'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 7");
	ASSERT_STATE(TCP_CLOSE_WAIT);
	CLOSE();
	EXPECT("> R. 1:1(0) ack 7");
	EXPECT_NONE();
	ASSERT_COUNTER(abort_on_close, 1);
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}
