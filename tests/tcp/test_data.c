/* The receive side on an established connection: duplicates, out of order,
 * keepalive probes, FIN with data, the window update after a full buffer. */
#include <stdio.h>
#include "harness.h"

/* A retransmitted segment already received is ACKed at once (RFC 9293
 * §3.10.7.4 first: unacceptable -> <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>)
 * and not delivered twice. */
SCRIPT(duplicate_data_acked_not_redelivered)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< P. 1:6(5) ack 1 win 8192 'hello'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 6");
	INJECT("< P. 1:6(5) ack 1 win 8192 'hello'");
	EXPECT("> . 1:1(0) ack 6");
	RECV_EXPECT("hello");
	RECV_NONE();
	/* partly old, partly new: only the new part is taken */
	INJECT("< P. 4:9(5) ack 1 win 8192 'lo wo'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 9");
	RECV_EXPECT(" wo");
	RECV_NONE();
}

/* Out-of-order data: a duplicate ACK at once (RFC 5681 §4.2 SHOULD;
 * RFC 9293 lets the receiver keep or drop the segment); the hole filled,
 * everything in order is ACKed. */
SCRIPT(out_of_order_data)
{
	struct th_seginfo a;
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< P. 6:11(5) ack 1 win 8192 'world'");
	EXPECT("> . 1:1(0) ack 1");
	RECV_NONE();
	INJECT("< P. 1:6(5) ack 1 win 8192 'hello'");
	NEXT_SEGMENT(ACK_DELAY_MAX, &a);
	ASSERT_TRUE(a.ack == 6 || a.ack == 11);
	if (a.ack == 6) {   /* the out-of-order segment was dropped: peer resends */
		INJECT("< P. 6:11(5) ack 1 win 8192 'world'");
		EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 11");
	}
	RECV_EXPECT("helloworld");
}

/* A keepalive probe (SEQ = RCV.NXT - 1, no data) is answered with an ACK. */
SCRIPT(keepalive_probe_answered)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 0:0(0) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_STATE(TCP_ESTABLISHED);
	/* ... the one-garbage-byte variant too */
	INJECT("< . 0:1(1) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1");
	RECV_NONE();
}

/* Data and FIN in one segment: both taken; EOF after the data. */
SCRIPT(data_with_fin)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< FP. 1:6(5) ack 1 win 8192 'bye!!'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 7");
	ASSERT_STATE(TCP_CLOSE_WAIT);
	RECV_EXPECT("bye!!");
	RECV_EOF();
	RECV_EOF();   /* stays at end of stream */
}

/* A FIN after a hole is not taken before the hole is filled. */
SCRIPT(fin_after_hole_waits)
{
	struct th_seginfo a;
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< F. 6:6(0) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_STATE(TCP_ESTABLISHED);
	INJECT("< P. 1:6(5) ack 1 win 8192 'hello'");
	NEXT_SEGMENT(ACK_DELAY_MAX, &a);
	ASSERT_TRUE(a.ack == 6 || a.ack == 7);
	if (a.ack == 6) {
		INJECT("< F. 6:6(0) ack 1 win 8192");
		EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 7");
	}
	ASSERT_STATE(TCP_CLOSE_WAIT);
	RECV_EXPECT("hello");
	RECV_EOF();
}

/* Full receive buffer: window 0; once the app reads, the device tells the
 * peer the window is open again (RFC 9293 §3.8.6.2.2, RFC 1122 4.2.3.3;
 * Linux tcp_cleanup_rbuf) - otherwise only the peer's probes would find out.
 * The peer filled the window and the app drained it: the receive budget
 * doubles (tcp_mem.c), so the window reopens at 4096. */
SCRIPT(window_update_after_full_buffer_read)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 1:1461(1460) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 1461 win 588");
	INJECT("< P. 1461:2049(588) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2049 win 0");
	/* more data now is outside the zero window: ACK, not taken */
	INJECT("< P. 2049:2059(10) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 2049 win 0");
	RECV_EXPECT_N(2048);
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2049 win 4096");
	RECV_NONE();
}

/* SYN carrying data at a listener: the data is not acknowledged (no TFO;
 * RFC 9293 allows queueing it, Linux does not): SYN-ACK acks the SYN only. */
SCRIPT(syn_with_data_at_listener)
{
	LISTEN(7, 5);
	INJECT("< S 0:5(5) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< P. 1:6(5) ack 1 win 8192 'again'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 6");
	ACCEPT();
	RECV_EXPECT("again");
}

/* SYN+FIN at a listener: dropped (Linux tcp_rcv_state_process). */
SCRIPT(syn_fin_at_listener_dropped)
{
	LISTEN(7, 5);
	INJECT("< SF 0:0(0) win 8192 <mss 1460>");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
}

/* LAST_ACK: our FIN is retransmitted until ACKed. */
SCRIPT(last_ack_retransmits_fin)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	CLOSE();
	EXPECT("> F. 1:1(0) ack 2");
	EXPECT_WITHIN(3000, "> F. 1:1(0) ack 2");
	INJECT("< . 2:2(0) ack 2 win 8192");
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
	ADVANCE_MS(10000);
	EXPECT_NONE();
}

/* connect() to a 4-tuple already in use: EADDRINUSE, the first unharmed. */
SCRIPT(connect_same_4tuple_eaddrinuse)
{
	CONNECT_FROM(80, 45678);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	CALL_EXPECT(tcp_connect(K, TH_PEER_IP, 80, 45678), KEEL_EADDRINUSE);
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 1);
	ASSERT_STATE(TCP_SYN_SENT);
}

/* Closing the listener leaves accepted connections alone. */
SCRIPT(close_listener_keeps_accepted)
{
	LISTEN(7, 5);
	ESTABLISH();
	CALL_EXPECT(tcp_close(K, LH), KEEL_OK);
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
	INJECT("< P. 1:3(2) ack 1 win 8192 'ok'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 3");
	RECV_EXPECT("ok");
}

/* Byte streams through both queues across many chunk boundaries
 * (KEEL_CHUNK_SIZE 256; budgets start at KEEL_TCP_SNDBUF = KEEL_TCP_RCVBUF
 * = 2048): every byte arrives intact and in order. */
SCRIPT(stream_through_ring_wrap)
{
	LISTEN(7, 5);
	ESTABLISH();
	/* device -> peer: 1500, 1500, 1500 bytes (mss 1460) */
	SEND_N(1500);
	EXPECT("> . 1:1461(1460) ack 1 pattern");
	EXPECT("> P. 1461:1501(40) ack 1 pattern");
	INJECT("< . 1:1(0) ack 1501 win 8192");
	SEND_N(1500);
	EXPECT("> . 1501:2961(1460) ack 1 pattern");
	EXPECT("> P. 2961:3001(40) ack 1 pattern");
	INJECT("< . 1:1(0) ack 3001 win 8192");
	SEND_N(1500);
	EXPECT("> . 3001:4461(1460) ack 1 pattern");
	EXPECT("> P. 4461:4501(40) ack 1 pattern");
	INJECT("< . 1:1(0) ack 4501 win 8192");
	/* peer -> device: 1400 x 4, each read before the next is sent */
	for (uint32_t off = 1; off < 5601; off += 1400) {
		char seg[80], ack[80];
		snprintf(seg, sizeof(seg), "< P. %u:%u(1400) ack 4501 win 8192", off, off + 1400);
		snprintf(ack, sizeof(ack), "> . 4501:4501(0) ack %u", off + 1400);
		INJECT(seg);
		EXPECT_WITHIN(ACK_DELAY_MAX, ack);
		RECV_EXPECT_N(1400);
		/* the window update after the read (Linux tcp_cleanup_rbuf
		 * sends it: the window more than doubled).  The first 1400
		 * bytes left less than an SWS step of the window and were
		 * read at once, so the budget grows (tcp_mem.c: 4096, then
		 * 8192): the window is not checked here. */
		snprintf(ack, sizeof(ack), "> . 4501:4501(0) ack %u", off + 1400);
		EXPECT_OPTIONAL(ack);
	}
	RECV_NONE();
}

/* Feeds the peer's pattern stream [1, end) to the device as the given
 * segments (any order, overlaps allowed), then resends from the device's
 * ACK until everything is acknowledged: whether out-of-order data is kept
 * or dropped (RFC 9293 allows both), the application must read exactly
 * the stream. */
static void feed_segments(struct th *t, const uint32_t (*segs)[2], int n, uint32_t end)
{
	char spec[96];
	struct th_seginfo a;
	uint32_t acked = 1;
	for (int i = 0; i < n; i++) {
		snprintf(spec, sizeof(spec), "< P. %u:%u(%u) ack 1 win 8192", segs[i][0], segs[i][1],
			 segs[i][1] - segs[i][0]);
		INJECT(spec);
		while (t->qlen) {
			NEXT_SEGMENT(0, &a);
			ASSERT_TRUE((int32_t)(a.ack - acked) >= 0);   /* never goes back */
			acked = a.ack;
		}
	}
	for (int round = 0; round < 10 && acked != end; round++) {
		uint32_t to = acked + 1000 < end ? acked + 1000 : end;
		snprintf(spec, sizeof(spec), "< P. %u:%u(%u) ack 1 win 8192", acked, to, to - acked);
		INJECT(spec);
		NEXT_SEGMENT(ACK_DELAY_MAX, &a);
		ASSERT_TRUE((int32_t)(a.ack - acked) > 0);
		acked = a.ack;
		while (t->qlen) {
			NEXT_SEGMENT(0, &a);
			acked = a.ack;
		}
	}
	ASSERT_TRUE(acked == end);
	RECV_EXPECT_N(end - 1);
	RECV_NONE();
}

SCRIPT(reassembly_reverse_order)
{
	static const uint32_t segs[][2] = { { 1001, 1501 }, { 501, 1001 }, { 1, 501 } };
	LISTEN(7, 5);
	ESTABLISH();
	feed_segments(t, segs, 3, 1501);
}

SCRIPT(reassembly_overlaps)
{
	static const uint32_t segs[][2] = {
		{ 601, 901 }, { 501, 801 }, { 1101, 1201 }, { 1, 301 }, { 201, 601 },
		{ 101, 701 }, { 851, 1151 }, { 1, 1201 },
	};
	LISTEN(7, 5);
	ESTABLISH();
	feed_segments(t, segs, 8, 1201);
}

SCRIPT(reassembly_across_seq_wrap)
{
	static const uint32_t segs[][2] = { { 401, 801 }, { 1201, 1601 }, { 1, 401 }, { 801, 1201 } };
	PEER_ISN(0xfffffd00u);
	LISTEN(7, 5);
	ESTABLISH();
	feed_segments(t, segs, 4, 1601);
}

/* Out-of-order data beyond the window is not stored past the buffer: the
 * stream the app reads is still exact after the hole is filled. */
SCRIPT(reassembly_window_edge)
{
	static const uint32_t segs[][2] = { { 1501, 2049 }, { 1901, 2301 }, { 1, 1001 }, { 1001, 1501 } };
	LISTEN(7, 5);
	ESTABLISH();
	feed_segments(t, segs, 4, 2049);
}
