/* Data retransmission (RFC 6298): RTO, exponential backoff, give-up with
 * ETIMEDOUT; zero window and the persist probe (RFC 9293 §3.8.6.1). */
#include "harness.h"

/* First retransmit after the RTO (RFC 6298: >= 1 s after rounding; Linux
 * 200 ms minimum: accept 200 ms .. 3 s); the next after exactly twice
 * that (§5.5 back off the timer). */
SCRIPT(data_retransmit_backoff)
{
	struct th_seginfo a, b;
	LISTEN(7, 5);
	ESTABLISH();
	SEND("abc");
	EXPECT("> P. 1:4(3) ack 1 'abc'");
	uint32_t t0 = NOW();
	NEXT_SEGMENT(3000, &a);
	ASSERT_TRUE(a.seq == 1 && a.len == 3 && (a.flags & 0x17) == 0x10);
	uint32_t rto = a.at_ms - t0;
	ASSERT_TRUE(rto >= 200 && rto <= 3000);
	ADVANCE_MS(2 * rto - 1);
	EXPECT_NONE();
	ADVANCE_MS(1);
	NEXT_SEGMENT(0, &b);
	ASSERT_TRUE(b.seq == 1 && b.len == 3);
	ASSERT_COUNTER(retrans_segs, 2);
	INJECT("< . 1:1(0) ack 4 win 8192");
	ADVANCE_MS(20000);
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* New data is not held back by an ACK that arrives after a retransmit. */
SCRIPT(data_retransmit_then_acked)
{
	struct th_seginfo a;
	LISTEN(7, 5);
	ESTABLISH();
	SEND("abc");
	EXPECT("> P. 1:4(3) ack 1 'abc'");
	NEXT_SEGMENT(3000, &a);
	ASSERT_TRUE(a.seq == 1 && a.len == 3);
	INJECT("< . 1:1(0) ack 4 win 8192");
	SEND("de");
	EXPECT("> P. 4:6(2) ack 1 'de'");
	INJECT("< . 1:1(0) ack 6 win 8192");
	ADVANCE_MS(10000);
	EXPECT_NONE();
}

/* The peer never answers: retransmits back off until the retry limit,
 * then ETIMEDOUT (TCPAbortOnTimeout), the connection is CLOSED. */
SCRIPT(data_retransmit_gives_up)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("lost");
	EXPECT("> P. 1:5(4) ack 1 'lost'");
	IGNORE_OUTPUT(1);
	int s = TCP_ESTABLISHED;
	for (int i = 0; i < 3600 && s == TCP_ESTABLISHED; i++) {
		ADVANCE_MS(1000);
		s = tcp_get_state(K, H);
	}
	IGNORE_OUTPUT(0);
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_ERROR(KEEL_ETIMEDOUT);
	ASSERT_COUNTER(abort_on_timeout, 1);
	ASSERT_TRUE(tcp_get_mib(K)->retrans_segs >= 5);
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_EPIPE);
}

/* Zero window: nothing sent until the window opens. */
SCRIPT(zero_window_then_open)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 0");
	ACCEPT();
	SEND("abc");
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT("> P. 1:4(3) ack 1 'abc'");
}

/* Zero window and the window update lost: the device must probe
 * (RFC 9293 §3.8.6.1 MUST).  Linux probes with seq SND.UNA-1 and no data,
 * RFC 9293 with one byte of new data: either is accepted. */
SCRIPT(zero_window_probe)
{
	struct th_seginfo p;
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 0");
	ACCEPT();
	SEND("abc");
	NEXT_SEGMENT(10000, &p);
	ASSERT_TRUE((p.seq == 0 && p.len == 0) || (p.seq == 1 && p.len == 1));
	ASSERT_TRUE(p.flags & 0x10);
	ASSERT_STATE(TCP_ESTABLISHED);
	/* the peer answers with an open window: the data flows */
	INJECT("< . 1:1(0) ack 1 win 8192");
	struct th_seginfo d;
	NEXT_SEGMENT(0, &d);
	ASSERT_TRUE(d.seq + d.len == 4 && d.len >= 2);
}

/* A receiver that keeps ACKing the probes with a zero window keeps the
 * connection open indefinitely (RFC 1122 4.2.2.17 MUST NOT close; RFC 9293
 * §3.8.6.1; Linux resets icsk_probes_out on every ACK).  30 simulated
 * minutes, far beyond any retransmission give-up. */
SCRIPT(zero_window_probes_acked_keep_connection)
{
	struct th_seginfo p;
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 0");
	ACCEPT();
	SEND("abc");
	uint32_t start = NOW();
	int probes = 0;
	while (NOW() - start < 30u * 60u * 1000u) {
		NEXT_SEGMENT(150000, &p);   /* probe intervals are capped (Linux 120 s) */
		ASSERT_TRUE((p.seq == 0 && p.len == 0) || (p.seq == 1 && p.len == 1));
		INJECT("< . 1:1(0) ack 1 win 0");
		probes++;
		ASSERT_STATE(TCP_ESTABLISHED);
	}
	ASSERT_TRUE(probes >= 10);
	ASSERT_ERROR(KEEL_OK);
	INJECT("< . 1:1(0) ack 1 win 8192");
	struct th_seginfo d;
	NEXT_SEGMENT(0, &d);
	ASSERT_TRUE(d.seq + d.len == 4);
}

#define SYN536 "< S 0:0(0) win 8192 <mss 536>"

/* Fast retransmit (RFC 5681 §3.2): duplicate ACKs retransmit the first
 * unacknowledged segment at once, without waiting for the RTO.  Here three
 * segments are out and nothing more is queued, so early retransmit (RFC
 * 5827) needs two duplicates, not three. */
SCRIPT(fast_retransmit_on_third_dupack)
{
	LISTEN(7, 5);
	INJECT(SYN536);
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	SEND_N(2048);   /* initial window min(4*536, max(2*536, 4380)) = 2144 */
	EXPECT("> . 1:537(536) ack 1 pattern");
	EXPECT("> . 537:1073(536) ack 1 pattern");
	EXPECT("> . 1073:1609(536) ack 1 pattern");
	EXPECT("> P. 1609:2049(440) ack 1 pattern");
	INJECT("< . 1:1(0) ack 537 win 8192");
	INJECT("< . 1:1(0) ack 537 win 8192");
	EXPECT_NONE();                           /* one duplicate is not enough */
	INJECT("< . 1:1(0) ack 537 win 8192");   /* second duplicate: 3 out - 1 */
	EXPECT("> . 537:1073(536) ack 1 pattern");
	ASSERT_COUNTER(retrans_segs, 1);
	INJECT("< . 1:1(0) ack 2049 win 8192");
	ADVANCE_MS(10000);
	EXPECT_NONE();
	ASSERT_COUNTER(retrans_segs, 1);
}

/* After an RTO the congestion window is one segment (RFC 5681 §3.1): only
 * the first segment goes again; each ACK then opens the window by one
 * segment (slow start) and the rest follow. */
SCRIPT(rto_restarts_from_one_segment)
{
	struct th_seginfo a;
	LISTEN(7, 5);
	INJECT(SYN536);
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	SEND_N(2048);
	EXPECT("> . 1:537(536) ack 1");
	EXPECT("> . 537:1073(536) ack 1");
	EXPECT("> . 1073:1609(536) ack 1");
	EXPECT("> P. 1609:2049(440) ack 1");
	NEXT_SEGMENT(3000, &a);
	ASSERT_TRUE(a.seq == 1 && a.len == 536);
	EXPECT_NONE();                           /* cwnd = 1 SMSS */
	INJECT("< . 1:1(0) ack 537 win 8192");   /* cwnd 2 SMSS */
	EXPECT("> . 537:1073(536) ack 1 pattern");
	EXPECT("> . 1073:1609(536) ack 1 pattern");
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 1609 win 8192");
	EXPECT("> P. 1609:2049(440) ack 1 pattern");
	INJECT("< . 1:1(0) ack 2049 win 8192");
	ADVANCE_MS(10000);
	EXPECT_NONE();
}

/* An orphaned FIN_WAIT_1 whose peer went away: the FIN is retransmitted a
 * bounded number of times, then the TCB is freed (Linux
 * tcp_orphan_retries; RFC 9293 R2 bound). */
SCRIPT(orphan_fin_wait_1_gives_up)
{
	struct th_seginfo a;
	LISTEN(7, 5);
	ESTABLISH();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	NEXT_SEGMENT(3000, &a);
	ASSERT_TRUE(a.seq == 1 && (a.flags & 0x01));   /* the FIN again */
	IGNORE_OUTPUT(1);
	for (int i = 0; i < 3600 && tcp_get_mib(K)->retrans_segs < 100; i++) {
		ADVANCE_MS(1000);
		struct keel_pool_usage u;
		tcp_pool_get(K, TCP_POOL_TCB, &u);
		if (!u.in_use)
			break;
	}
	IGNORE_OUTPUT(0);
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
	ASSERT_TRUE(tcp_get_mib(K)->retrans_segs >= 3 && tcp_get_mib(K)->retrans_segs <= 16);
}

/* Keepalive (RFC 1122 4.2.3.6, Linux tcp_keepalive_timer): after idle, a
 * probe SEG.SEQ = SND.NXT-1 with no data (or one garbage byte, both
 * allowed); an answer restarts the idle time; `count` unanswered probes,
 * intvl apart, end the connection with RST and ETIMEDOUT. */
SCRIPT(keepalive_probes_then_reset)
{
	struct th_seginfo p;
	LISTEN(7, 5);
	ESTABLISH();
	CALL_EXPECT(tcp_set_keepalive(K, H, 10, 2, 3), KEEL_OK);
	ADVANCE_MS(9999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	NEXT_SEGMENT(0, &p);
	ASSERT_TRUE(p.seq == 0 && p.len <= 1 && p.ack == 1 && (p.flags & 0x17) == 0x10);
	INJECT("< . 1:1(0) ack 1 win 8192");   /* the peer is alive */
	ADVANCE_MS(9999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	NEXT_SEGMENT(0, &p);                   /* idle restarted from the answer */
	ASSERT_TRUE(p.seq == 0 && p.len <= 1);
	ADVANCE_MS(2000);
	NEXT_SEGMENT(0, &p);
	ASSERT_TRUE(p.seq == 0 && p.len <= 1);
	ADVANCE_MS(2000);
	NEXT_SEGMENT(0, &p);
	ASSERT_TRUE(p.seq == 0 && p.len <= 1);
	ASSERT_STATE(TCP_ESTABLISHED);
	ADVANCE_MS(1999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> R. 1:1(0) ack 1");
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_ERROR(KEEL_ETIMEDOUT);
	CLOSE();
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* The idle time counts from the last ACK received, to the millisecond
 * (Linux keepalive_time_elapsed): a window update 4 s into a 10 s idle
 * time puts the first probe at 14 s; after a probe is answered, the next
 * idle time counts from the answer. */
SCRIPT(keepalive_first_probe_idle_after_last_ack)
{
	struct th_seginfo p;
	LISTEN(7, 5);
	ESTABLISH();
	CALL_EXPECT(tcp_set_keepalive(K, H, 10, 2, 3), KEEL_OK);
	ADVANCE_MS(4000);
	INJECT("< . 1:1(0) ack 1 win 4096");
	ADVANCE_MS(9999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	NEXT_SEGMENT(0, &p);
	ASSERT_TRUE(p.seq == 0 && p.len <= 1 && p.ack == 1 && (p.flags & 0x17) == 0x10);
	ADVANCE_MS(700);
	INJECT("< . 1:1(0) ack 1 win 4096");   /* the answer, 700 ms on */
	ADVANCE_MS(9999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	NEXT_SEGMENT(0, &p);
	ASSERT_TRUE(p.seq == 0 && p.len <= 1);
	ASSERT_COUNTER(keepalive_probes, 2);
}

/* What is dropped unacceptable does not restart the idle time (Linux
 * counts only what tcp_ack or the data path take: an old duplicate is
 * answered by tcp_validate_incoming and discarded): an old segment 5 s
 * into a 10 s idle time gets its duplicate ACK, and the probe still goes
 * at 10 s. */
SCRIPT(keepalive_idle_not_restarted_by_unacceptable_segment)
{
	struct th_seginfo p;
	LISTEN(7, 5);
	ESTABLISH();
	CALL_EXPECT(tcp_set_keepalive(K, H, 10, 2, 3), KEEL_OK);
	ADVANCE_MS(5000);
	INJECT("< P. 0:1(1) ack 1 win 8192");   /* below RCV.NXT: an old duplicate */
	NEXT_SEGMENT(0, &p);
	ASSERT_TRUE(p.seq == 1 && p.len == 0 && p.ack == 1);
	ADVANCE_MS(4999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	NEXT_SEGMENT(0, &p);
	ASSERT_TRUE(p.seq == 0 && p.len <= 1 && p.ack == 1 && (p.flags & 0x17) == 0x10);
	ASSERT_COUNTER(keepalive_probes, 1);
}

/* Keepalive is off by default: an idle connection stays silent for hours. */
SCRIPT(keepalive_off_by_default)
{
	LISTEN(7, 5);
	ESTABLISH();
	ADVANCE_MS(3u * 3600u * 1000u / 10u);   /* 18 simulated minutes, 1 ms ticks */
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
}
