/* The FIN on the last data segment.  Linux's tcp_send_fin sets FIN on the
 * tail of the write queue when that segment has not been sent yet, and
 * tcp_write_xmit sends it only when the peer's window takes the FIN's
 * sequence number too (tcp_snd_wnd_test counts end_seq, FIN included).
 * Data already sent: a bare FIN follows.  keel_tcp_send_more is send(2)
 * with MSG_MORE: the small tail waits for the FIN of the close that
 * follows, so a reply-then-close server (daytime) sends one segment; as
 * Linux's tcp_push marks no PSH after MSG_MORE, that segment is "F."
 * (a plain write's tail held by Nagle gets "FP."). */
#include "harness.h"

/* Write (held by MSG_MORE), then close: data and FIN in one segment, no
 * PSH (MSG_MORE); the peer ACKs both at once. */
SCRIPT(fin_merge_send_more_then_close_one_segment)
{
	LISTEN(13, 5);
	ESTABLISH();
	SEND_MORE("hello\r\n");
	EXPECT_NONE();                               /* held for the close */
	CLOSE();
	EXPECT("> F. 1:8(7) ack 1 'hello\r\n'");
	EXPECT_NONE();                               /* no separate FIN */
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_1, 1);
	INJECT("< . 1:1(0) ack 9 win 8192");         /* data and FIN acked */
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
	INJECT("< F. 1:1(0) ack 9 win 8192");
	EXPECT("> . 9:9(0) ack 2");
	ASSERT_POOLS(.tcbs = 0, .time_wait = 1);
}

/* shutdown queues the FIN as close does. */
SCRIPT(fin_merge_send_more_then_shutdown_one_segment)
{
	LISTEN(13, 5);
	ESTABLISH();
	SEND_MORE("hello");
	EXPECT_NONE();
	SHUTDOWN();
	EXPECT("> F. 1:6(5) ack 1 'hello'");
	EXPECT_NONE();
	ASSERT_STATE(TCP_FIN_WAIT_1);
	INJECT("< . 1:1(0) ack 7 win 8192");
	ASSERT_STATE(TCP_FIN_WAIT_2);
}

/* Successive MSG_MORE writes join one segment; a plain write then pushes
 * it (Linux: MSG_MORE corks this push only). */
SCRIPT(fin_merge_send_more_joins_next_write)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND_MORE("ab");
	SEND_MORE("cd");
	EXPECT_NONE();
	SEND("ef");
	EXPECT("> P. 1:7(6) ack 1 'abcdef'");
	INJECT("< . 1:1(0) ack 7 win 8192");
	CLOSE();
	EXPECT("> F. 7:7(0) ack 1");
}

/* Nobody writes or closes after MSG_MORE: the persist timer pushes the
 * held tail (Linux: the probe timer's tcp_write_wakeup), no FIN. */
SCRIPT(fin_merge_send_more_alone_pushed_by_timer)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND_MORE("hello");
	EXPECT_NONE();
	EXPECT_WITHIN(2000, "> P. 1:6(5) ack 1 'hello'");
	INJECT("< . 1:1(0) ack 6 win 8192");
	ADVANCE_MS(5000);
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* Data already sent when the application closes: a bare FIN after it, as
 * Linux (the tail is in the retransmit queue, tcp_send_fin queues a new
 * FIN-only segment). */
SCRIPT(fin_merge_data_sent_then_bare_fin)
{
	LISTEN(13, 5);
	ESTABLISH();
	SEND("hello");
	EXPECT("> P. 1:6(5) ack 1 'hello'");
	CLOSE();
	EXPECT("> F. 6:6(0) ack 1");
	INJECT("< . 1:1(0) ack 7 win 8192");
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
}

/* Data held by Nagle (a small segment unacknowledged) when the
 * application closes: the FIN joins it and lifts Nagle (Linux
 * tcp_send_fin pushes with TCP_NAGLE_OFF). */
SCRIPT(fin_merge_nagle_held_data_then_close)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("a");
	EXPECT("> P. 1:2(1) ack 1 'a'");
	SEND("bcd");
	EXPECT_NONE();                               /* Nagle: 'a' unacked */
	CLOSE();
	EXPECT("> FP. 2:5(3) ack 1 'bcd'");
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 6 win 8192");
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
}

/* The merged segment is lost: its retransmission carries the FIN again. */
SCRIPT(fin_merge_retransmission_carries_fin)
{
	LISTEN(13, 5);
	ESTABLISH();
	SEND_MORE("hello");
	CLOSE();
	EXPECT("> F. 1:6(5) ack 1 'hello'");
	/* RTO: RFC 6298 1 s initial, Linux 200 ms min; both within 3 s */
	EXPECT_WITHIN(3000, "> F. 1:6(5) ack 1 'hello'");
	INJECT("< . 1:1(0) ack 7 win 8192");
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
	INJECT("< F. 1:1(0) ack 7 win 8192");
	EXPECT("> . 7:7(0) ack 2");
}

/* Only the data is acknowledged: the FIN goes again alone. */
SCRIPT(fin_merge_partial_ack_resends_bare_fin)
{
	LISTEN(13, 5);
	ESTABLISH();
	SEND_MORE("hello");
	CLOSE();
	EXPECT("> F. 1:6(5) ack 1 'hello'");
	INJECT("< . 1:1(0) ack 6 win 8192");         /* the data, not the FIN */
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_1, 1);
	EXPECT_WITHIN(3000, "> F. 6:6(0) ack 1");
	INJECT("< . 1:1(0) ack 7 win 8192");
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
}

/* The peer's window takes the data but not the FIN's sequence number:
 * the data goes alone, the FIN waits for the ACK that opens the window
 * (Linux tcp_snd_wnd_test; before, the FIN went one beyond the window). */
SCRIPT(fin_merge_not_when_window_ends_at_last_byte)
{
	LISTEN(13, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 5");
	ACCEPT();
	SEND_MORE("hello");
	CLOSE();
	EXPECT("> . 1:6(5) ack 1 'hello'");          /* no PSH: MSG_MORE */
	EXPECT_NONE();                               /* FIN: beyond the window */
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_1, 1);
	INJECT("< . 1:1(0) ack 6 win 8192");
	EXPECT("> F. 6:6(0) ack 1");
	INJECT("< . 1:1(0) ack 7 win 8192");
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
}

/* The window ends before the last data byte: that segment does not reach
 * the end of the queue and carries no FIN; the last byte and the FIN go
 * together once the window opens. */
SCRIPT(fin_merge_not_when_window_ends_before_last_byte)
{
	LISTEN(13, 5);
	INJECT("< S 0:0(0) win 4 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 4");
	ACCEPT();
	SEND_MORE("hello");
	CLOSE();
	EXPECT("> . 1:5(4) ack 1 'hell'");           /* half the largest window or more */
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 5 win 4");
	EXPECT("> F. 5:6(1) ack 1 'o'");
	INJECT("< . 1:1(0) ack 7 win 4");
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_2, 1);
}

/* MSG_MORE with a small segment in flight: the ACK releases the tail
 * without PSH (Linux selftest tcp_nagle_sendmsg_msg_more: "> . 3951:3961");
 * a plain write's end has PSH again. */
SCRIPT(fin_merge_send_more_tail_released_by_ack_without_psh)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("a");
	EXPECT("> P. 1:2(1) ack 1 'a'");
	SEND_MORE("bc");
	SEND_MORE("d");
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:5(3) ack 1 'bcd'");
	INJECT("< . 1:1(0) ack 5 win 8192");
	SEND("e");
	EXPECT("> P. 5:6(1) ack 1 'e'");
}

/* TCP_NODELAY pushes what MSG_MORE held, still without PSH (Linux
 * selftest tcp_nagle_sockopt_cork_nodelay: "> . 161:241(80)"). */
SCRIPT(fin_merge_send_more_pushed_by_nodelay_without_psh)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND_MORE("ab");
	SEND_MORE("cd");
	EXPECT_NONE();
	CALL_EXPECT(keel_tcp_set_nodelay(K, H, 1), KEEL_OK);
	EXPECT("> . 1:5(4) ack 1 'abcd'");
	INJECT("< . 1:1(0) ack 5 win 8192");
}
