/* Data path: segmenting at the MSS, delayed ACK, Nagle / TCP_NODELAY,
 * RTO from a measured RTT, backoff and abort, fast retransmit and NewReno,
 * out-of-order reassembly, zero windows both ways, keepalive, sequence wrap.
 * Defaults: KEEL_TCP_SNDBUF = KEEL_TCP_RCVBUF = 2048, KEEL_TCP_DELACK_MS 200,
 * KEEL_TCP_RTO_MIN_MS 200. */
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "tcp_internal.h"

#define ESTABLISH_MSS(m)                                                    \
	do {                                                                \
		INJECT("< S 0:0(0) win 8192 <mss " #m ">");                  \
		EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");             \
		INJECT("< . 1:1(0) ack 1 win 8192");                         \
		ACCEPT();                                                   \
	} while (0)

/* Segments are cut at the MSS; the last, short one goes too (it is all
 * there is and no small segment is unacked: Minshall's Nagle). */
SCRIPT(data_segments_at_mss)
{
	LISTEN(7, 5);
	ESTABLISH_MSS(536);
	SEND_N(2048);
	EXPECT("> . 1:537(536) ack 1");
	EXPECT("> . 537:1073(536) ack 1");
	EXPECT("> . 1073:1609(536) ack 1");
	EXPECT("> P. 1609:2049(440) ack 1");
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 2049 win 8192");
	EXPECT_NONE();
}

/* RFC 1122 4.2.3.2 / RFC 5681 §4.2: one full segment waits for the
 * delayed-ACK timer (200 ms); a second one is ACKed at once. */
SCRIPT(data_delayed_ack_timing)
{
	LISTEN(7, 5);
	ESTABLISH_MSS(536);
	INJECT("< . 1:537(536) ack 1 win 8192");
	ADVANCE_MS(199);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> . 1:1(0) ack 537 win 1512");
	ASSERT_COUNTER(delayed_acks, 1);          /* the timer sent it */
	INJECT("< . 537:1073(536) ack 1 win 8192");
	EXPECT_NONE();
	INJECT("< . 1073:1609(536) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1609");            /* second full segment: at once */
	ASSERT_COUNTER(delayed_acks, 1);          /* ... not by the timer */
	RECV_EXPECT_N(1608);
}

/* A FIN is ACKed at once, and so is a small segment's data once a reply
 * carries it (piggybacked ACK). */
SCRIPT(data_delayed_ack_piggyback_and_fin)
{
	LISTEN(7, 5);
	ESTABLISH_NO_RTT();
	INJECT("< P. 1:5(4) ack 1 win 8192");
	EXPECT_NONE();
	RECV_EXPECT_N(4);
	SEND("ok");
	EXPECT("> P. 1:3(2) ack 5 'ok'");          /* the ACK rides on the data */
	ADVANCE_MS(300);
	EXPECT_NONE();                            /* nothing left owed */
	INJECT("< F. 5:5(0) ack 3 win 8192");
	EXPECT("> . 3:3(0) ack 6");
}

/* Nagle (RFC 896, Minshall's variant as Linux): a second small segment
 * waits while the first is unacked; the ACK releases it. */
SCRIPT(data_nagle_holds_small_segment)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("a");
	EXPECT("> P. 1:2(1) ack 1 'a'");
	SEND("b");
	SEND("c");
	EXPECT_NONE();
	ADVANCE_MS(100);
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 2 win 8192");
	EXPECT("> P. 2:4(2) ack 1 'bc'");
	INJECT("< . 1:1(0) ack 4 win 8192");
	EXPECT_NONE();
}

/* TCP_NODELAY: small segments go at once; setting it pushes what Nagle
 * held. */
SCRIPT(data_nodelay_sends_at_once)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("a");
	EXPECT("> P. 1:2(1) ack 1 'a'");
	SEND("b");
	EXPECT_NONE();
	CALL_EXPECT(tcp_set_nodelay(K, H, 1), KEEL_OK);
	EXPECT("> P. 2:3(1) ack 1 'b'");
	SEND("c");
	EXPECT("> P. 3:4(1) ack 1 'c'");
	CALL_EXPECT(tcp_set_nodelay(K, LH, 1), KEEL_EINVAL);
	INJECT("< . 1:1(0) ack 4 win 8192");
}

/* RFC 6298: first sample R = 100 ms -> SRTT 100, RTTVAR 50,
 * RTO = 100 + 4*50 = 300 ms; the retransmit comes exactly then. */
SCRIPT(data_rto_from_measured_rtt)
{
	LISTEN(7, 5);
	ESTABLISH_NO_RTT();
	ASSERT_TRUE(th_conn_info(t).rto_ms == 1000);      /* no sample yet: 1 s */
	SEND("hello");
	EXPECT("> P. 1:6(5) ack 1 'hello'");
	ADVANCE_MS(100);
	INJECT("< . 1:1(0) ack 6 win 8192");
	struct tcp_conn_info ci = th_conn_info(t);
	ASSERT_TRUE(ci.srtt_ms == 100 && ci.rttvar_ms == 50 && ci.rto_ms == 300);
	SEND("x");
	EXPECT("> P. 6:7(1) ack 1 'x'");
	ADVANCE_MS(299);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> P. 6:7(1) ack 1 'x'");
	ASSERT_COUNTER(retrans_segs, 2);          /* the handshake's SYN-ACK resend + this */
	ASSERT_COUNTER(timeouts, 1);
	/* Karn: the ACK of a retransmitted segment is no sample */
	ADVANCE_MS(10);
	INJECT("< . 1:1(0) ack 7 win 8192");
	ci = th_conn_info(t);
	ASSERT_TRUE(ci.srtt_ms == 100 && ci.rto_ms == 300 && ci.total_retrans == 1);
	/* a second sample of 20 ms: RTTVAR = 3/4*50 + 1/4*80 = 57.5,
	 * SRTT = 7/8*100 + 1/8*20 = 90, RTO = 90 + 4*57.5 = 320 */
	SEND("y");
	EXPECT("> P. 7:8(1) ack 1 'y'");
	ADVANCE_MS(20);
	INJECT("< . 1:1(0) ack 8 win 8192");
	ci = th_conn_info(t);
	ASSERT_TRUE(ci.srtt_ms == 90 && ci.rttvar_ms == 57 && ci.rto_ms == 320);
}

/* A small measured RTT is floored at KEEL_TCP_RTO_MIN_MS (200 ms). */
SCRIPT(data_rto_floor)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("z");
	EXPECT("> P. 1:2(1) ack 1 'z'");
	ADVANCE_MS(5);
	INJECT("< . 1:1(0) ack 2 win 8192");
	ASSERT_TRUE(th_conn_info(t).rto_ms == 200);
}

/* The handshake is the first RTT sample of a passive open (Linux
 * tcp_synack_rtt_meas): SYN-ACK to ACK = 100 ms -> SRTT 100, RTTVAR 50,
 * RTO 300 (RFC 6298 §2.2), and the first data retransmit comes then. */
SCRIPT(data_rto_from_handshake)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	ADVANCE_MS(100);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	struct tcp_conn_info ci = th_conn_info(t);
	ASSERT_TRUE(ci.srtt_ms == 100 && ci.rttvar_ms == 50 && ci.rto_ms == 300);
	SEND("q");
	EXPECT("> P. 1:2(1) ack 1 'q'");
	ADVANCE_MS(299);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> P. 1:2(1) ack 1 'q'");
	INJECT("< . 1:1(0) ack 2 win 8192");
}

/* A SYN-ACK retransmitted by its timer: Karn's rule, no sample, RTO 1 s. */
SCRIPT(data_no_rtt_from_retransmitted_synack)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	ADVANCE_MS(1000);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	ADVANCE_MS(50);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	struct tcp_conn_info ci = th_conn_info(t);
	ASSERT_TRUE(ci.srtt_ms == 0 && ci.rto_ms == 1000);
}

/* Backoff doubles from the measured 300 ms to the 120 s cap; after
 * tcp_retries2 = 15 retransmissions the connection is aborted with
 * ETIMEDOUT and counted. */
SCRIPT(data_backoff_to_limit_and_abort)
{
	LISTEN(7, 5);
	ESTABLISH_NO_RTT();
	SEND("a");
	EXPECT("> P. 1:2(1) ack 1 'a'");
	ADVANCE_MS(100);
	INJECT("< . 1:1(0) ack 2 win 8192");
	SEND("bcd");
	EXPECT("> P. 2:5(3) ack 1 'bcd'");
	uint32_t rto = 300;
	for (int i = 0; i < 15; i++) {
		ADVANCE_MS(rto - 1);
		EXPECT_NONE();
		ADVANCE_MS(1);
		EXPECT("> P. 2:5(3) ack 1 'bcd'");
		ASSERT_TRUE(th_conn_info(t).retransmits == i + 1);
		rto = rto * 2 > 120000 ? 120000 : rto * 2;
		ASSERT_TRUE(th_conn_info(t).rto_ms == rto);
	}
	ASSERT_COUNTER(retrans_segs, 1 + 15);     /* the handshake's SYN-ACK resend + 15 */
	ADVANCE_MS(rto - 1);
	ASSERT_STATE(TCP_ESTABLISHED);
	ADVANCE_MS(1);
	EXPECT_NONE();                            /* Linux: no RST on a timeout */
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_ERROR(KEEL_ETIMEDOUT);
	ASSERT_COUNTER(abort_on_timeout, 1);
}

/* RFC 5681 §3.2: fast retransmit on the third duplicate ACK, not the
 * second; the first two each let one new segment out (limited transmit,
 * RFC 3042).  MSS 100: IW = 4 segments (RFC 3390: min(4*MSS, 4380)). */
SCRIPT(data_fast_retransmit_three_dupacks)
{
	LISTEN(7, 5);
	ESTABLISH_MSS(100);
	SEND_N(600);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT("> . 101:201(100) ack 1");
	EXPECT("> . 201:301(100) ack 1");
	EXPECT("> . 301:401(100) ack 1");
	EXPECT_NONE();                            /* cwnd = 400 */
	/* 1:101 lost; 101.., 201.., 301.. arrive -> duplicate ACKs */
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT("> . 401:501(100) ack 1");         /* limited transmit */
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT("> P. 501:601(100) ack 1");
	EXPECT_NONE();                            /* two are not enough */
	ASSERT_COUNTER(fast_retrans, 0);
	ASSERT_TRUE(th_conn_info(t).cwnd == 400);         /* RFC 3042: cwnd untouched */
	ASSERT_TRUE(th_conn_info(t).ssthresh == 0x7fffffffu);   /* not set yet: ss -i omits it */
	/* a window change is not a duplicate (RFC 5681 §2 (e)): not counted.
	 * (A growing window: a same-SEQ, same-ACK shrink is taken as a
	 * reordered older ACK and ignored, as Linux's tcp_may_update_window.) */
	INJECT("< . 1:1(0) ack 1 win 8300");
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 1 win 8300");
	EXPECT("> . 1:101(100) ack 1");           /* third duplicate */
	/* ssthresh = max(600/2, 200) = 300, cwnd = 300 + 300 = 600 */
	struct tcp_conn_info ci = th_conn_info(t);
	ASSERT_TRUE(ci.ssthresh == 300 && ci.cwnd == 600);
	ASSERT_COUNTER(retrans_segs, 1);
	ASSERT_COUNTER(fast_retrans, 1);
	ASSERT_COUNTER(timeouts, 0);
	INJECT("< . 1:1(0) ack 1 win 8300");      /* 4th dupack: cwnd 700, nothing new to send */
	EXPECT_NONE();
	/* full ACK: recovery ends, cwnd = min(ssthresh, flight + MSS) */
	INJECT("< . 1:1(0) ack 601 win 8300");
	ci = th_conn_info(t);
	ASSERT_TRUE(ci.cwnd == 200);
	EXPECT_NONE();
}

/* RFC 6582 NewReno (no SACK): two losses in one window; the partial ACK
 * retransmits the next hole at once (no second timeout, no second
 * halving). */
SCRIPT(data_newreno_partial_ack)
{
	LISTEN(7, 5);
	ESTABLISH_MSS(100);
	SEND_N(400);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT("> . 101:201(100) ack 1");
	EXPECT("> . 201:301(100) ack 1");
	EXPECT("> P. 301:401(100) ack 1");
	SEND_N(200);
	EXPECT_NONE();
	/* 1:101 and 201:301 lost; 101.., 301.. and the two limited-transmit
	 * segments arrive */
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT("> . 401:501(100) ack 1");
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT("> P. 501:601(100) ack 1");
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT("> . 1:101(100) ack 1");
	ASSERT_TRUE(th_conn_info(t).ssthresh == 300 && th_conn_info(t).cwnd == 600);
	/* partial ACK (recover = 601): 201:301 retransmitted at once;
	 * cwnd = 600 - 200 acked + 100 = 500 */
	INJECT("< . 1:1(0) ack 201 win 8192");
	EXPECT("> . 201:301(100) ack 1");
	EXPECT_NONE();
	ASSERT_TRUE(th_conn_info(t).ssthresh == 300 && th_conn_info(t).cwnd == 500);  /* no second halving */
	ASSERT_COUNTER(retrans_segs, 2);
	/* full ACK: cwnd = min(ssthresh, flight + MSS) = 200 */
	INJECT("< . 1:1(0) ack 601 win 8192");
	ASSERT_TRUE(th_conn_info(t).cwnd == 200);
	EXPECT_NONE();
	ASSERT_COUNTER(retrans_segs, 2);
	ADVANCE_MS(2000);
	EXPECT_NONE();
}

/* Out of order: the later segment is held in the ring (immediate
 * duplicate ACK, nothing readable); the gap filled -> one ACK for all,
 * data delivered in order. */
SCRIPT(data_out_of_order_filled_later)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 201:301(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1");               /* at once: RFC 5681 §4.2 */
	INJECT("< . 401:501(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1");
	INJECT("< . 251:451(200) ack 1 win 8192"); /* overlaps both */
	EXPECT("> . 1:1(0) ack 1");
	RECV_NONE();
	ASSERT_COUNTER(ofo_queue, 3);
	ASSERT_COUNTER(ofo_drop, 0);
	INJECT("< . 101:201(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1");
	INJECT("< . 1:101(100) ack 1 win 8192");   /* fills the gap */
	EXPECT("> . 1:1(0) ack 501 win 1548");
	RECV_EXPECT_N(500);
	RECV_NONE();
	/* a duplicate of old data: ACKed, not delivered again */
	INJECT("< . 301:401(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 501");
	RECV_NONE();
}

/* Out-of-order data with a FIN beyond the hole: the FIN waits for it and
 * is taken when the hole fills, without a retransmission.  (This script
 * used to expect "ack 201" and a retransmitted FIN: the out-of-order FIN
 * was dropped.  RFC 9293 §3.10.7.4 lets a receiver hold segments beyond
 * RCV.NXT "for later processing", FIN included; Linux keeps the FIN on its
 * out-of-order queue.  Dropping it cost the peer a full RTO on every
 * reordering of a FIN ahead of the last data.) */
SCRIPT(data_out_of_order_then_fin)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< F. 101:201(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_STATE(TCP_ESTABLISHED);
	INJECT("< . 1:101(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 202");
	ASSERT_STATE(TCP_CLOSE_WAIT);
	INJECT("< F. 201:201(0) ack 1 win 8192");   /* a FIN retransmit: a duplicate */
	EXPECT("> . 1:1(0) ack 202");
	ASSERT_STATE(TCP_CLOSE_WAIT);
	RECV_EXPECT_N(200);
	RECV_EOF();
}

/* A bare FIN that overtook the last data segment: kept, taken with it. */
SCRIPT(data_bare_fin_before_last_data)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< F. 101:101(0) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_STATE(TCP_ESTABLISHED);
	INJECT("< P. 1:101(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 102");
	ASSERT_STATE(TCP_CLOSE_WAIT);
	RECV_EXPECT_N(100);
	RECV_EOF();
	ASSERT_COUNTER(retrans_segs, 0);
}

/* Data that fills the device's window exactly, then the FIN at the right
 * edge (RCV.NXT + RCV.WND): a FIN needs no buffer, so it is taken, also
 * while the window is zero (Linux tcp_sequence / tcp_data_queue).  It used
 * to be dropped as outside the window, and the peer had to time out. */
SCRIPT(data_fin_at_zero_window)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 1:1025(1024) ack 1 win 8192");
	INJECT("< . 1025:2049(1024) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 2049 win 0");
	INJECT("< F. 2049:2049(0) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 2050 win 0");
	ASSERT_STATE(TCP_CLOSE_WAIT);
	RECV_EXPECT_N(2048);
	RECV_EOF();
}

/* The peer's pure ACK carries its highest sequence sent; one that overtook
 * the data before it sits at the device's right edge and still updates
 * the window (BSD and Linux accept SEG.SEQ = RCV.NXT + RCV.WND for a
 * segment without data).  It used to be dropped with an ACK in reply. */
SCRIPT(data_window_update_overtaking_data)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 1:1(0) ack 1 win 0");           /* the peer's window closes */
	SEND_N(100);
	EXPECT_NONE();
	INJECT("< . 2049:2049(0) ack 1 win 4096"); /* its update, ahead of 2048 bytes */
	EXPECT("> P. 1:101(100) ack 1");
	INJECT("< . 1:1025(1024) ack 101 win 4096");
	INJECT("< . 1025:2049(1024) ack 101 win 4096");
	EXPECT("> . 101:101(0) ack 2049 win 0");
	RECV_EXPECT_N(2048);
}

/* SND.WL1 ahead of RCV.NXT (tcp_tcb_seq.h keeps it as an offset from
 * RCV.NXT): an out-of-order segment updates the window (its SEQ is newer
 * than SND.WL1), and the older segment that fills the hole, arriving
 * after it with a stale zero window, does not (RFC 9293 §3.10.7.4:
 * SND.WL1 < SEG.SEQ is false).  Then SND.WL1 falls behind RCV.NXT by more
 * than a segment and the next in-order segment updates it again. */
SCRIPT(data_window_update_snd_wl1_ahead_and_behind)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 1:1(0) ack 1 win 0");            /* the peer's window closes */
	INJECT("< . 1025:2049(1024) ack 1 win 4096"); /* out of order, newer: opens it */
	EXPECT("> . 1:1(0) ack 1");
	INJECT("< . 1:1025(1024) ack 1 win 0");       /* older SEQ: its window is stale */
	EXPECT("> . 1:1(0) ack 2049 win 0");
	SEND_N(100);
	EXPECT("> P. 1:101(100) ack 2049 win 0");
	RECV_EXPECT_N(2048);
	EXPECT("> . 101:101(0) ack 2049");
	INJECT("< . 2049:2049(0) ack 101 win 0");     /* SND.WL1 1025 -> 2049: closes it */
	SEND_N(100);
	EXPECT_NONE();
}

/* Reordered ACKs that carry the same SEQ and ACK (two window updates after
 * two reads) cannot be ordered by RFC 9293's SND.WL1/SND.WL2 test; the
 * window only grows then (Linux tcp_may_update_window), so the older,
 * smaller one arriving second does not shrink it. */
SCRIPT(data_reordered_window_updates)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 1:1(0) ack 1 win 0");
	INJECT("< . 1:1(0) ack 1 win 2048");       /* the second read's update first */
	INJECT("< . 1:1(0) ack 1 win 1024");       /* then the first read's */
	EXPECT_NONE();
	SEND_N(2048);
	EXPECT("> . 1:1461(1460) ack 1");
	EXPECT("> P. 1461:2049(588) ack 1");
	EXPECT_NONE();
}

/* Old pure ACKs overtaken on the way are unacceptable (SEG.SEQ < RCV.NXT)
 * and owed an ACK, but at most one per 500 ms (Linux
 * tcp_invalid_ratelimit): answering each one makes the peer answer ours,
 * and two keel stacks on a reordering link grew an ACK war that filled the
 * link.  Data and FIN are always answered. */
SCRIPT(data_old_acks_rate_limited)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 1:101(100) ack 1 win 8192");
	ADVANCE_MS(KEEL_TCP_DELACK_MS);
	EXPECT("> . 1:1(0) ack 101");
	INJECT("< . 1:1(0) ack 1 win 8192");       /* old: SEQ < RCV.NXT */
	EXPECT("> . 1:1(0) ack 101");
	INJECT("< . 1:1(0) ack 1 win 8192");
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT_NONE();
	INJECT("< . 1:101(100) ack 1 win 8192");   /* old data: answered */
	EXPECT("> . 1:1(0) ack 101");
	ADVANCE_MS(500);
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 101");
}

/* Peer's zero window: the persist timer probes with one byte, backing off
 * 1, 2, 4 s (RTO without a sample is 1 s); ACKed probes keep it alive;
 * the window opens -> the data flows. */
SCRIPT(data_zero_window_peer_probed_with_backoff)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< S 0:0(0) win 8192 <mss 1460>");  /* Karn: no RTT sample */
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 0");
	ACCEPT();
	SEND("abcdef");
	EXPECT_NONE();
	ASSERT_TRUE(th_conn_info(t).timer == TCP_TIMER_PERSIST);
	uint32_t iv = 1000;
	for (int i = 0; i < 4; i++) {
		ADVANCE_MS(iv - 1);
		EXPECT_NONE();
		ADVANCE_MS(1);
		EXPECT("> . 1:2(1) ack 1 'a'");
		INJECT("< . 1:1(0) ack 1 win 0");
		iv *= 2;
	}
	ASSERT_COUNTER(retrans_segs, 1);          /* the SYN-ACK resend; probes are not retransmissions */
	ASSERT_COUNTER(win_probes, 4);
	INJECT("< . 1:1(0) ack 1 win 4096");       /* window update */
	EXPECT("> P. 1:7(6) ack 1 'abcdef'");
	INJECT("< . 1:1(0) ack 7 win 4096");
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_TRUE(th_conn_info(t).timer == TCP_TIMER_NONE);
}

/* The window closes while data is in flight: SND.NXT goes back, probing,
 * then everything is sent again when the window opens. */
SCRIPT(data_zero_window_while_in_flight)
{
	LISTEN(7, 5);
	ESTABLISH_MSS(500);
	SEND_N(1500);
	EXPECT("> . 1:501(500) ack 1");
	EXPECT("> . 501:1001(500) ack 1");
	EXPECT("> P. 1001:1501(500) ack 1");
	INJECT("< . 1:1(0) ack 501 win 0");        /* the rest was dropped */
	EXPECT_NONE();
	ASSERT_TRUE(th_conn_info(t).timer == TCP_TIMER_PERSIST);
	/* that ACK was a 0 ms RTT sample: RTO = the 200 ms floor */
	ASSERT_TRUE(th_conn_info(t).rto_ms == 200);
	ADVANCE_MS(199);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> . 501:502(1) ack 1");
	INJECT("< . 1:1(0) ack 501 win 2000");
	EXPECT("> . 501:1001(500) ack 1");
	EXPECT("> P. 1001:1501(500) ack 1");
	INJECT("< . 1:1(0) ack 1501 win 2000");
}

/* The device's own window: filled to zero (ACKed at once: more than one
 * full segment unacked), reopened by a window update when the app has
 * read min(buffer/2, MSS) = 1024 bytes -- not before (receiver SWS).  Once
 * the app has drained a window the peer filled, the budget doubles
 * (tcp_mem.c): the last update offers 4096. */
SCRIPT(data_device_zero_window_and_update)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 1:1461(1460) ack 1 win 8192");
	EXPECT_NONE();                            /* one full segment: delayed */
	INJECT("< P. 1461:2049(588) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 2049 win 0");
	INJECT("< . 2049:2050(1) ack 1 win 8192"); /* a probe: beyond the window */
	EXPECT("> . 1:1(0) ack 2049 win 0");
	RECV_EXPECT_N(1000);
	EXPECT_NONE();                            /* 1000 < 1024: no update yet */
	RECV_EXPECT_N(24);
	EXPECT("> . 1:1(0) ack 2049 win 1024");
	INJECT("< . 2049:3073(1024) ack 1 win 8192");
	EXPECT_WITHIN(KEEL_TCP_DELACK_MS, "> . 1:1(0) ack 3073 win 0");
	RECV_EXPECT_N(2048);
	EXPECT("> . 1:1(0) ack 3073 win 4096");
}

/* Keepalive (RFC 1122 §4.2.3.6): off by default; idle 10 s, interval 1 s,
 * 3 probes <SEQ=SND.NXT-1>; answered -> idle again; unanswered -> RST and
 * ETIMEDOUT. */
SCRIPT(data_keepalive_probes_and_timeout)
{
	LISTEN(7, 5);
	ESTABLISH();
	ADVANCE_MS(20000);
	EXPECT_NONE();                            /* off by default */
	CALL_EXPECT(tcp_set_keepalive(K, H, 10, 1, 3), KEEL_OK);
	CALL_EXPECT(tcp_set_keepalive(K, H, 10, 0, 3), KEEL_EINVAL);
	ADVANCE_MS(9999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> . 0:0(0) ack 1");
	INJECT("< . 1:1(0) ack 1 win 8192");       /* answered */
	ADVANCE_MS(9999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> . 0:0(0) ack 1");
	ADVANCE_MS(1000);
	EXPECT("> . 0:0(0) ack 1");
	ADVANCE_MS(1000);
	EXPECT("> . 0:0(0) ack 1");
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_COUNTER(keepalive_probes, 4);
	ADVANCE_MS(1000);
	EXPECT("> R. 1:1(0) ack 1");
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_ERROR(KEEL_ETIMEDOUT);
	ASSERT_COUNTER(abort_on_timeout, 1);
}

/* The peer's sequence numbers wrap mid-transfer, with a hole across the
 * wrap; data comes out in order. */
SCRIPT(data_sequence_wrap_mid_transfer)
{
	PEER_ISN(0xfffffc00u);                    /* wraps after 1023 bytes */
	LISTEN(7, 5);
	ESTABLISH();
	for (int round = 0; round < 3; round++) {
		uint32_t b = 1u + (uint32_t)round * 1500u;
		char seg[80];
		/* second half first, across 2^32 in round 0 */
		snprintf(seg, sizeof(seg), "< . %u:%u(750) ack 1 win 8192", b + 750, b + 1500);
		INJECT(seg);
		snprintf(seg, sizeof(seg), "> . 1:1(0) ack %u", b);
		EXPECT(seg);
		snprintf(seg, sizeof(seg), "< . %u:%u(750) ack 1 win 8192", b, b + 750);
		INJECT(seg);
		snprintf(seg, sizeof(seg), "> . 1:1(0) ack %u", b + 1500);
		EXPECT(seg);
		RECV_EXPECT_N(1500);
		/* window update after the read; 1500 bytes filled the first
		 * 2048 window to within an SWS step and were drained, so the
		 * budget doubled to 4096 (tcp_mem.c) and stays there */
		snprintf(seg, sizeof(seg), "> . 1:1(0) ack %u win 4096", b + 1500);
		EXPECT(seg);
	}
	SEND_N(100);
	EXPECT("> P. 1:101(100) ack 4501");
	INJECT("< . 4501:4501(0) ack 101 win 8192");
}

/* Out-of-order ranges are bounded (KEEL_TCP_OOO_RANGES): a segment beyond
 * every kept range when all are in use is dropped and counted (Linux
 * TCPOFODrop); the peer will send it again. */
SCRIPT(data_ofo_ranges_full_drop_counted)
{
	LISTEN(7, 5);
	ESTABLISH();
	for (unsigned i = 0; i < KEEL_TCP_OOO_RANGES; i++) {
		char seg[64];
		snprintf(seg, sizeof(seg), "< . %u:%u(50) ack 1 win 8192", 101u + 100u * i, 151u + 100u * i);
		INJECT(seg);
		EXPECT("> . 1:1(0) ack 1");
	}
	ASSERT_COUNTER(ofo_queue, KEEL_TCP_OOO_RANGES);
	INJECT("< . 901:951(50) ack 1 win 8192");  /* a fifth range: no room */
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_COUNTER(ofo_drop, 1);
	INJECT("< . 1:101(100) ack 1 win 8192");   /* the hole before the first */
	EXPECT("> . 1:1(0) ack 151");
	RECV_EXPECT_N(150);
}
