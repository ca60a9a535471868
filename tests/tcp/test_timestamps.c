/* Timestamps (RFC 7323): what TSecr echoes (§4.3), RTT samples from TSecr
 * (§4.2), PAWS (§5) and its exceptions (RST, 24 days idle, a reordered
 * duplicate ACK), and the SYN-ACK check of an active open (Linux's
 * PAWSActiveRejected). */
#include <stdio.h>
#include "harness.h"
#include "tcp_internal.h"

/* A passive connection with timestamps: the peer's TSvals start at 100. */
static void establish_ts(struct th *t)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 0>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 0>");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* §4.3 (1): a delayed ACK for two segments echoes the first one's TSval,
 * the one at Last.ACK.sent; the second does not move TS.Recent. */
SCRIPT(ts_echo_delayed_ack_oldest)
{
	establish_ts(t);
	INJECT("< P. 1:11(10) ack 1 win 8192 <nop,nop,TS val 200 ecr 0>");
	INJECT("< P. 11:21(10) ack 1 win 8192 <nop,nop,TS val 201 ecr 0>");
	struct th_seginfo d;
	NEXT_SEGMENT(ACK_DELAY_MAX, &d);
	ASSERT_TRUE(d.ack == 21 && d.has_ts && d.tsecr == 200);
	RECV_EXPECT_N(20);
}

/* §4.3 (2): an out-of-order segment's ACK echoes the last in-order one
 * (TS.Recent stays); the segment that fills the hole sets it. */
SCRIPT(ts_echo_out_of_order)
{
	establish_ts(t);
	INJECT("< P. 11:21(10) ack 1 win 8192 <nop,nop,TS val 300 ecr 0>");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,TS val 0 ecr 101,nop,nop,sack 11:21>");
	INJECT("< P. 1:11(10) ack 1 win 8192 <nop,nop,TS val 301 ecr 0>");
	EXPECT("> . 1:1(0) ack 21 <nop,nop,TS val 0 ecr 301>");
	RECV_EXPECT_N(20);
}

/* §5.3 R1: a segment whose TSval is older than TS.Recent is dropped and
 * answered with an ACK (PAWSEstabRejected); its data is not taken. */
SCRIPT(paws_drops_old_tsval)
{
	establish_ts(t);
	INJECT("< P. 1:11(10) ack 1 win 8192 <nop,nop,TS val 50 ecr 0>");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,TS val 0 ecr 101>");
	ASSERT_COUNTER(paws_estab_rejected, 1);
	RECV_NONE();
	/* the same bytes with a current TSval are taken */
	INJECT("< P. 1:11(10) ack 1 win 8192 <nop,nop,TS val 102 ecr 0>");
	RECV_EXPECT_N(10);
	NO_FINAL_CHECK();
}

/* Linux's PAWS window (TCP_PAWS_WINDOW 1): a TSval one tick behind
 * TS.Recent is taken, two ticks behind is dropped. */
SCRIPT(paws_window_one_tick)
{
	establish_ts(t);
	INJECT("< P. 1:11(10) ack 1 win 8192 <nop,nop,TS val 100 ecr 0>");
	ASSERT_COUNTER(paws_estab_rejected, 0);
	RECV_EXPECT_N(10);
	INJECT("< P. 11:21(10) ack 1 win 8192 <nop,nop,TS val 99 ecr 0>");
	EXPECT("> . 1:1(0) ack 11 <nop,nop,TS val 0 ecr 101>");
	ASSERT_COUNTER(paws_estab_rejected, 1);
	RECV_NONE();
	NO_FINAL_CHECK();
}

/* A RST is never dropped by PAWS (Linux tcp_validate_incoming). */
SCRIPT(paws_rst_exempt)
{
	establish_ts(t);
	INJECT("< R. 1:1(0) ack 1 win 0 <nop,nop,TS val 50 ecr 0>");
	ASSERT_COUNTER(paws_estab_rejected, 0);
	ASSERT_ERROR(KEEL_ECONNRESET);
	CLOSE();
}

/* §5.5: TS.Recent not refreshed for 24 days is no longer trusted: an
 * older TSval is taken and becomes TS.Recent. */
SCRIPT(paws_24_days_idle)
{
	establish_ts(t);
	struct tcp_tcb *c = tcb_from_handle(K, H);
	c->rcv_ms -= 24u * 24u * 3600u * 1000u;   /* as if idle for 24 days */
	INJECT("< P. 1:11(10) ack 1 win 8192 <nop,nop,TS val 50 ecr 0>");
	ASSERT_COUNTER(paws_estab_rejected, 0);
	RECV_EXPECT_N(10);
	struct th_seginfo d;
	NEXT_SEGMENT(ACK_DELAY_MAX, &d);
	ASSERT_TRUE(d.tsecr == 50);
}

/* Linux tcp_disordered_ack: a pure duplicate ACK overtaken by a newer one
 * (TSval behind by less than an RTO) is not a PAWS drop. */
SCRIPT(paws_disordered_dup_ack_passes)
{
	establish_ts(t);
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 99 ecr 0>");
	ASSERT_COUNTER(paws_estab_rejected, 0);
	EXPECT_NONE();
	/* an old TSval with data is still dropped */
	INJECT("< P. 1:2(1) ack 1 win 8192 <nop,nop,TS val 99 ecr 0>");
	ASSERT_COUNTER(paws_estab_rejected, 1);
	EXPECT("> . 1:1(0) ack 1 <nop,nop,TS val 0 ecr 101>");
}

/* SYN_SENT: a SYN-ACK whose TSecr echoes no SYN of ours (later than now)
 * is reset and counted (PAWSActiveRejected); the connection waits on. */
SCRIPT(paws_active_rejected)
{
	CONNECT(80);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	ADVANCE_MS(10);
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460,sackOK,TS val 500 ecr 5000,nop,wscale 0>");
	EXPECT("> R 1:1(0)");
	ASSERT_COUNTER(paws_active_rejected, 1);
	ASSERT_STATE(TCP_SYN_SENT);
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460,sackOK,TS val 500 ecr 0,nop,wscale 0>");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,TS val 10 ecr 500>");
	ASSERT_STATE(TCP_ESTABLISHED);
	NO_FINAL_CHECK();
}

/* §4.2: the ACK of a retransmitted segment gives an RTT sample through its
 * TSecr (Karn's rule alone would give none): 100 ms measured, so the next
 * RTO is 100 + 4 * 50 = 300 ms instead of the initial 1 s. */
SCRIPT(ts_rtt_from_retransmission)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,nop,TS val 100 ecr 0>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,TS val 0 ecr 100>");
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,nop,TS val 100 ecr 0>");   /* no handshake sample */
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,TS val 0 ecr 100>");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	SEND("hello");
	EXPECT("> P. 1:6(5) ack 1 <nop,nop,TS val 0 ecr 101>");
	ADVANCE_MS(1000);
	EXPECT("> P. 1:6(5) ack 1 <nop,nop,TS val 1000 ecr 101>");
	ADVANCE_MS(100);
	INJECT("< . 1:1(0) ack 6 win 8192 <nop,nop,TS val 102 ecr 1000>");
	SEND("more");
	EXPECT("> P. 6:10(4) ack 1");
	ADVANCE_MS(299);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> P. 6:10(4) ack 1");
	NO_FINAL_CHECK();
}

/* A connection without timestamps is untouched by PAWS. */
SCRIPT(paws_off_without_timestamps)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< P. 1:11(10) ack 1 win 8192 <nop,nop,TS val 50 ecr 0>");
	RECV_EXPECT_N(10);
	ASSERT_COUNTER(paws_estab_rejected, 0);
	NO_FINAL_CHECK();
}

/* Eifel (RFC 3522; Linux TCPTSReorder): after a fast retransmit, the
 * first ACK that moves SND.UNA echoes a TSval sent before the
 * retransmission -> the original arrived, the "loss" was reordering. */
static void ts_fast_retransmit(struct th *t)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 100,nop,nop,TS val 100 ecr 0>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,TS val 0 ecr 100>");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	SEND_N(600);
	for (int i = 0; i < 4; i++)
		NEXT_SEGMENT(0, &(struct th_seginfo){0});
	ADVANCE_MS(10);
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 102 ecr 0>");
	NEXT_SEGMENT(0, &(struct th_seginfo){0});   /* limited transmit */
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 102 ecr 0>");
	NEXT_SEGMENT(0, &(struct th_seginfo){0});
	ADVANCE_MS(10);
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 102 ecr 0>");
	EXPECT("> . 1:89(88) ack 1 <nop,nop,TS val 20 ecr 102>");   /* fast retransmit at +20 ms */
	ASSERT_COUNTER(fast_retrans, 1);
}

SCRIPT(ts_eifel_reorder_counted)
{
	ts_fast_retransmit(t);
	INJECT("< . 1:1(0) ack 89 win 8192 <nop,nop,TS val 103 ecr 0>");   /* echoes the original */
	ASSERT_COUNTER(ts_reorder, 1);
	NO_FINAL_CHECK();
}

SCRIPT(ts_eifel_real_loss_not_counted)
{
	ts_fast_retransmit(t);
	INJECT("< . 1:1(0) ack 89 win 8192 <nop,nop,TS val 103 ecr 20>");  /* echoes the retransmission */
	ASSERT_COUNTER(ts_reorder, 0);
	NO_FINAL_CHECK();
}

/* PAWS in the SYN queue (Linux tcp_check_req): an ACK whose TSval is
 * older than the SYN's is answered with an ACK and dropped; the entry
 * stays and the real ACK completes the handshake. */
SCRIPT(paws_in_syn_queue)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,nop,TS val 100 ecr 0>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,TS val 0 ecr 100>");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 50 ecr 0>");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,TS val 0 ecr 100>");
	ASSERT_COUNTER(paws_estab_rejected, 1);
	ASSERT_POOLS(.syn_queue = 1, .tcbs = 0);
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
}
