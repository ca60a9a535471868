/* SACK (RFC 2018) both ways: the blocks the device reports for each
 * out-of-order pattern; the sender's scoreboard retransmitting exactly
 * the holes (RFC 6675), DSACK and reordering counted; limited transmit
 * (RFC 3042), early retransmit (RFC 5827) and the tail-loss probe (RFC
 * 8985) so that small windows recover without an RTO. */
#include <string.h>
#include "harness.h"
#include "tcp_internal.h"

/* SACK on, no timestamps, the peer's MSS 100; the handshake's RTT is
 * 50 ms (SRTT 50: a probe timeout of 100 ms, RTO 200 ms). */
static void establish_sack(struct th *t)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 100,nop,nop,sackOK>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,sackOK>");
	ADVANCE_MS(50);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
}

/* ---- receiving: the blocks we report ---- */

/* One hole: one block; a second range beyond it comes first (the latest
 * segment's block leads, RFC 2018 §4); a range below the others leads in
 * its turn; filling the first hole drops its block. */
SCRIPT(sack_blocks_for_ooo_patterns)
{
	establish_sack(t);
	INJECT("< . 101:201(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,sack 101:201>");
	INJECT("< . 301:401(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,sack 301:401 101:201>");
	INJECT("< . 501:601(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,sack 501:601 301:401 101:201>");
	INJECT("< . 201:251(50) ack 1 win 8192");   /* extends the lowest range */
	EXPECT("> . 1:1(0) ack 1 <nop,nop,sack 101:251 501:601 301:401>");
	INJECT("< . 1:101(100) ack 1 win 8192");    /* first hole filled */
	EXPECT("> . 1:1(0) ack 251 <nop,nop,sack 501:601 301:401>");
	INJECT("< . 251:301(50) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 401 <nop,nop,sack 501:601>");
	INJECT("< . 401:501(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 601 <>");            /* in order again: no SACK option */
	RECV_EXPECT_N(600);
}

/* With timestamps only three blocks fit (RFC 2018 §3). */
SCRIPT(sack_blocks_three_beside_timestamps)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 100,sackOK,TS val 1 ecr 0>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 1>");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 2 ecr 0>");
	ACCEPT();
	INJECT("< . 101:201(100) ack 1 win 8192 <nop,nop,TS val 3 ecr 0>");
	INJECT("< . 301:401(100) ack 1 win 8192 <nop,nop,TS val 4 ecr 0>");
	INJECT("< . 501:601(100) ack 1 win 8192 <nop,nop,TS val 5 ecr 0>");
	EXPECT("> . 1:1(0) ack 1");
	EXPECT("> . 1:1(0) ack 1");
	EXPECT("> . 1:1(0) ack 1");
	INJECT("< . 701:801(100) ack 1 win 8192 <nop,nop,TS val 6 ecr 0>");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,TS val 0 ecr 2,nop,nop,sack 701:801 501:601 301:401>");
	NO_FINAL_CHECK();
}

/* Without SACK agreed, no blocks. */
SCRIPT(sack_blocks_only_when_agreed)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 101:201(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1 <>");
	NO_FINAL_CHECK();
}

/* ---- sending: the scoreboard ---- */

/* Two losses in a window of six: the third duplicate ACK retransmits the
 * first hole, the next one the second hole -- exactly the holes, nothing
 * the peer holds (RFC 6675); TCPSACKRecovery. */
SCRIPT(sack_retransmits_exactly_the_holes)
{
	establish_sack(t);
	SEND_N(400);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT("> . 101:201(100) ack 1");
	EXPECT("> . 201:301(100) ack 1");
	EXPECT("> P. 301:401(100) ack 1");
	SEND_N(200);
	/* 1:101 and 201:301 lost */
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,sack 101:201>");
	EXPECT("> . 401:501(100) ack 1");           /* limited transmit */
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,sack 301:401 101:201>");
	EXPECT("> P. 501:601(100) ack 1");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,sack 301:501 101:201>");
	EXPECT("> . 1:101(100) ack 1");             /* fast retransmit: the first hole */
	ASSERT_COUNTER(sack_recovery, 1);
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,sack 301:601 101:201>");
	EXPECT("> . 201:301(100) ack 1");           /* the second hole, at once */
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,sack 301:601 101:201>");
	EXPECT_NONE();                              /* no hole left, nothing new */
	ASSERT_COUNTER(retrans_segs, 2);            /* the two holes */
	INJECT("< . 1:1(0) ack 601 win 8192");
	EXPECT_NONE();
	ASSERT_COUNTER(timeouts, 0);
	ASSERT_COUNTER(retrans_segs, 2);
}

/* A partial ACK in SACK recovery retransmits the next hole it still
 * shows, not the segment at SND.UNA again if that was resent already. */
SCRIPT(sack_partial_ack_next_hole)
{
	establish_sack(t);
	SEND_N(600);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT("> . 101:201(100) ack 1");
	EXPECT("> . 201:301(100) ack 1");
	EXPECT("> . 301:401(100) ack 1");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,sack 101:201>");
	EXPECT("> . 401:501(100) ack 1");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,sack 301:401 101:201>");
	EXPECT("> P. 501:601(100) ack 1");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,sack 301:501 101:201>");
	EXPECT("> . 1:101(100) ack 1");
	/* the retransmission fills the first hole: ACK 201 shows 301:601 held */
	INJECT("< . 1:1(0) ack 201 win 8192 <nop,nop,sack 301:601>");
	EXPECT("> . 201:301(100) ack 1");
	INJECT("< . 1:1(0) ack 601 win 8192");
	EXPECT_NONE();
	ASSERT_COUNTER(retrans_segs, 2);
	ASSERT_COUNTER(timeouts, 0);
}

/* RFC 2883: a first block at or below the cumulative ACK is a DSACK
 * (TCPDSACKRecv) and not scoreboard material; a hole the original
 * segment fills after a SACK showed it was reordering (TCPSACKReorder). */
SCRIPT(sack_dsack_and_reorder_counted)
{
	establish_sack(t);
	SEND_N(300);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT("> . 101:201(100) ack 1");
	EXPECT("> P. 201:301(100) ack 1");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,sack 101:201>");
	INJECT("< . 1:1(0) ack 301 win 8192");      /* 1:101 was only late */
	ASSERT_COUNTER(sack_reorder, 1);
	INJECT("< . 1:1(0) ack 301 win 8192 <nop,nop,sack 1:101>");
	ASSERT_COUNTER(dsack_recv, 1);
	ASSERT_COUNTER(retrans_segs, 0);
	EXPECT_NONE();
}

/* Early retransmit (RFC 5827): two segments out, nothing more to send,
 * the first lost: one duplicate ACK is enough. */
SCRIPT(sack_early_retransmit_two_segments)
{
	establish_sack(t);
	SEND_N(200);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT("> P. 101:201(100) ack 1");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,sack 101:201>");
	EXPECT("> . 1:101(100) ack 1");
	ASSERT_COUNTER(fast_retrans, 1);
	ASSERT_COUNTER(timeouts, 0);
	INJECT("< . 1:1(0) ack 201 win 8192");
	EXPECT_NONE();
}

/* Tail-loss probe (RFC 8985 §7): the last segments of a flight lost, no
 * ACK at all: after PTO = 2 SRTT (100 ms, well before the 200 ms RTO) the
 * last segment goes again (TCPLossProbes); its SACK then brings the
 * first back by early retransmit, with no timeout. */
SCRIPT(sack_tail_loss_probe)
{
	establish_sack(t);
	ASSERT_TRUE(th_conn_info(t).rto_ms >= 200);
	SEND_N(300);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT("> . 101:201(100) ack 1");
	EXPECT("> P. 201:301(100) ack 1");
	ADVANCE_MS(50);
	INJECT("< . 1:1(0) ack 101 win 8192");      /* 101:301 lost; an RTT of 50 again */
	ADVANCE_MS(99);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> P. 201:301(100) ack 1");          /* the probe: the last segment */
	ASSERT_COUNTER(loss_probes, 1);
	INJECT("< . 1:1(0) ack 101 win 8192 <nop,nop,sack 201:301>");
	EXPECT("> . 101:201(100) ack 1");           /* early retransmit of the hole */
	INJECT("< . 1:1(0) ack 301 win 8192");
	ASSERT_COUNTER(timeouts, 0);
	ADVANCE_MS(1000);
	EXPECT_NONE();
}

/* Without SACK there is no probe (as Linux): the RTO does the work. */
SCRIPT(sack_no_probe_without_sack)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 100>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	ADVANCE_MS(50);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	SEND_N(200);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT("> P. 101:201(100) ack 1");
	ADVANCE_MS(199);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT("> . 1:101(100) ack 1");             /* the RTO */
	ASSERT_COUNTER(loss_probes, 0);
	NO_FINAL_CHECK();
}

/* With SACK a duplicate is an ACK whose blocks tell something new (RFC
 * 6675 §2), whatever its window does (a scaled window moves with every
 * read); the same blocks again are not a duplicate. */
SCRIPT(sack_dupack_needs_new_sack_info)
{
	establish_sack(t);
	SEND_N(400);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT("> . 101:201(100) ack 1");
	EXPECT("> . 201:301(100) ack 1");
	EXPECT("> P. 301:401(100) ack 1");
	INJECT("< . 1:1(0) ack 1 win 8000 <nop,nop,sack 101:201>");
	INJECT("< . 1:1(0) ack 1 win 8000 <nop,nop,sack 101:201>");   /* nothing new */
	INJECT("< . 1:1(0) ack 1 win 8100 <nop,nop,sack 101:301>");
	EXPECT_NONE();
	ASSERT_COUNTER(fast_retrans, 0);
	INJECT("< . 1:1(0) ack 1 win 7900 <nop,nop,sack 101:401>");   /* third, window moved */
	EXPECT("> . 1:101(100) ack 1");
	ASSERT_COUNTER(fast_retrans, 1);
	NO_FINAL_CHECK();
}

/* ---- D-SACK (RFC 2883) ---- */

/* A segment wholly below RCV.NXT: its ACK reports it in a D-SACK block,
 * once (TCPDSACKOldSent); a segment only partly old, the old part. */
SCRIPT(dsack_for_old_duplicate)
{
	establish_sack(t);
	INJECT("< . 1:101(100) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 101 <>");
	INJECT("< . 1:101(100) ack 1 win 8192");     /* the sender's spurious retransmission */
	EXPECT("> . 1:1(0) ack 101 <nop,nop,sack 1:101>");
	ASSERT_COUNTER(dsack_old_sent, 1);
	INJECT("< . 51:201(150) ack 1 win 8192");    /* 50 old bytes, 100 new */
	EXPECT("> . 1:1(0) ack 201 <nop,nop,sack 51:101>");
	ASSERT_COUNTER(dsack_old_sent, 2);
	INJECT("< . 201:301(100) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 301 <>");   /* reported once */
	ASSERT_COUNTER(dsack_ofo_sent, 0);
	RECV_EXPECT_N(300);
}

/* Out-of-order data held, arriving again: the D-SACK block first, then
 * the block holding it (RFC 2883 §4.2); partly again: the overlap. */
SCRIPT(dsack_for_ooo_duplicate)
{
	establish_sack(t);
	INJECT("< . 101:201(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,sack 101:201>");
	INJECT("< . 301:401(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,sack 301:401 101:201>");
	INJECT("< . 101:201(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,sack 101:201 101:201 301:401>");
	ASSERT_COUNTER(dsack_ofo_sent, 1);
	INJECT("< . 351:451(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,sack 351:401 301:451 101:201>");
	ASSERT_COUNTER(dsack_ofo_sent, 2);
	/* The in-order segment that runs into held bytes duplicates them too. */
	INJECT("< . 1:151(150) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 201 <nop,nop,sack 101:151 301:451>");
	ASSERT_COUNTER(dsack_ofo_sent, 3);
	ASSERT_COUNTER(dsack_old_sent, 0);
	NO_FINAL_CHECK();
}

/* No D-SACK with tcp_dsack 0, nor without SACK agreed. */
SCRIPT(dsack_only_when_on)
{
	establish_sack(t);
	SYSCTL(tcp_dsack, 0);
	INJECT("< . 1:101(100) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 101 <>");
	INJECT("< . 1:101(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 101 <>");
	SYSCTL(tcp_dsack, 1);
	CONN(1);
	ESTABLISH();
	INJECT("< . 1:101(100) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 101 <>");
	INJECT("< . 1:101(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 101 <>");
	ASSERT_COUNTER(dsack_old_sent, 0);
	NO_FINAL_CHECK();
}
