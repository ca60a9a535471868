/* Segment checks: MSS (RFC 9293 §3.7.1: 536 without the option; the
 * device advertises 1460 = MTU - 40), option parsing (malformed ->
 * dropped and counted, unknown kinds skipped), checksum, data offset. */
#include "harness.h"

/* No MSS option from the peer: the device never sends more than 536. */
SCRIPT(mss_default_536)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	SEND_N(1000);
	EXPECT("> . 1:537(536) ack 1");
	EXPECT("> P. 537:1001(464) ack 1");
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 1001 win 8192");
}

/* Peer MSS 1000: segments of at most 1000. */
SCRIPT(mss_peer_1000)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1000>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	SEND_N(1500);
	EXPECT("> . 1:1001(1000) ack 1");
	EXPECT("> P. 1001:1501(500) ack 1");
	EXPECT_NONE();
}

/* Peer MSS larger than ours: capped by our MTU (1460). */
SCRIPT(mss_peer_large_capped_by_mtu)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 16384 <mss 9000>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 16384");
	ACCEPT();
	SEND_N(2000);
	EXPECT("> . 1:1461(1460) ack 1");
	EXPECT("> P. 1461:2001(540) ack 1");
}

/* Active open: the SYN-ACK's MSS applies. */
SCRIPT(mss_active_open_peer_600)
{
	CONNECT(5001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 600>");
	EXPECT("> . 1:1(0) ack 1");
	SEND_N(700);
	EXPECT("> . 1:601(600) ack 1");
	EXPECT("> P. 601:701(100) ack 1");
}

/* The device never sends more than the peer's window. */
SCRIPT(peer_window_respected)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 100");
	ACCEPT();
	SEND_N(300);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 101 win 1000");
	EXPECT("> P. 101:301(200) ack 1");
}

/* The window the device advertises shrinks with unread data and grows
 * back (KEEL_TCP_RCVBUF = 2048, no scaling). */
SCRIPT(device_window_is_free_rcvbuf)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< P. 1:1001(1000) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 1001 win 1048");
	INJECT("< P. 1001:2001(1000) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2001 win 48");
	RECV_EXPECT_N(1500);
	/* the window update after reading (RFC 1122 4.2.3.3: at least
	 * min(RCV.BUFF/2, MSS) freed) is not pinned down here */
	RECV_EXPECT_N(500);
	RECV_NONE();
}

static const char *malformed[] = {
	"< S 0:0(0) win 8192 <bytes 2 0>",                /* length 0 */
	"< S 0:0(0) win 8192 <bytes 2 1>",                /* length 1 */
	"< S 0:0(0) win 8192 <nop,nop,nop,nop,nop,nop,bytes 2 4>", /* beyond the header */
	"< S 0:0(0) win 8192 <mss 1460,bytes 99 40>",     /* beyond the header */
};

/* Malformed options: the segment is dropped (keel's rule, docs/DESIGN.md:
 * every length checked; Linux instead stops parsing and goes on) and
 * counted in bad_options; no SYN queue entry. */
SCRIPT(options_malformed_dropped)
{
	LISTEN(7, 5);
	for (unsigned i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		INJECT(malformed[i]);
		EXPECT_NONE();
		ASSERT_TRUE(tcp_get_mib(K)->bad_options == i + 1);
	}
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
	/* a good SYN still works */
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
}

/* Malformed options on an established connection: dropped, data not
 * taken. */
SCRIPT(options_malformed_established_dropped)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< P. 1:4(3) ack 1 win 8192 <bytes 8 1> 'bad'");
	EXPECT_NONE();
	RECV_NONE();
	ASSERT_COUNTER(bad_options, 1);
	INJECT("< P. 1:4(3) ack 1 win 8192 'god'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 4");
	RECV_EXPECT("god");
}

/* Unknown option kinds are skipped by their length; known ones after them
 * still count (the MSS after the unknown one is used). */
SCRIPT(options_unknown_skipped)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <kind 99 len 6,nop,mss 700,wscale 7,sackOK,TS val 1 ecr 0,eol>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 1,nop,wscale 0>");   /* all three back: offered and on here */
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 2 ecr 0>");
	ACCEPT();
	ASSERT_COUNTER(bad_options, 0);
	SEND_N(1000);
	/* 700 less the 12 bytes of timestamps on every segment */
	EXPECT("> . 1:689(688) ack 1 <nop,nop,TS val 0 ecr 2>");
	EXPECT("> P. 689:1001(312) ack 1 <nop,nop,TS val 0 ecr 2>");
}

/* Bad TCP checksum: dropped, counted (InCsumErrors, InErrs), no reply. */
SCRIPT(bad_checksum_dropped)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460> badsum");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0);
	ASSERT_COUNTER(in_csum_errors, 1);
	ASSERT_COUNTER(in_errs, 1);
	/* to a closed port: still no RST */
	CONN(1);
	CUR->dev_port = 9;
	INJECT("< S 0:0(0) win 8192 badsum");
	EXPECT_NONE();
	ASSERT_COUNTER(in_csum_errors, 2);
	/* on an established connection: data not taken, no ACK */
	CONN(0);
	ESTABLISH();
	INJECT("< P. 1:4(3) ack 1 win 8192 'abc' badsum");
	EXPECT_NONE();
	RECV_NONE();
	ASSERT_COUNTER(in_csum_errors, 3);
	ASSERT_COUNTER(out_rsts, 0);
}

/* A bad IP header checksum never reaches TCP. */
SCRIPT(bad_ip_checksum_dropped)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460> badipsum");
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0);
	ASSERT_COUNTER(in_segs, 0);
}

/* Data offset below 5 words (or beyond the segment): dropped, no reply. */
SCRIPT(bad_data_offset_dropped)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 doff 4");
	INJECT("< S 0:0(0) win 8192 doff 0");
	INJECT("< S 0:0(0) win 8192 doff 15");   /* 60 bytes claimed, 20 there */
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0);
	ASSERT_TRUE(tcp_get_mib(K)->in_errs >= 2);
	/* also to a closed port: no RST for a malformed header */
	CUR->dev_port = 9;
	INJECT("< S 0:0(0) win 8192 doff 4");
	EXPECT_NONE();
}

/* InSegs / OutSegs count segments (RFC 4022). */
SCRIPT(segment_counters)
{
	LISTEN(7, 5);
	ESTABLISH();   /* SYN, ACK in; SYN-ACK out */
	ASSERT_COUNTER(in_segs, 2);
	ASSERT_COUNTER(out_segs, 1);
	ASSERT_COUNTER(out_rsts, 0);
	ASSERT_COUNTER(retrans_segs, 0);
}

/* A tiny peer MSS (100) is obeyed, not raised to a default. */
SCRIPT(mss_peer_tiny)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 100>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	SEND_N(250);
	EXPECT("> . 1:101(100) ack 1");
	EXPECT("> . 101:201(100) ack 1");
	EXPECT("> P. 201:251(50) ack 1");
}

/* The device's own segments carry no options after the handshake. */
SCRIPT(no_options_after_handshake)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND("x");
	EXPECT("> P. 1:2(1) ack 1 <>");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 2:2(0) ack 2 <>");
}
