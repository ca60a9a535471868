/* Active open (RFC 9293 §3.5): SYN with MSS, SACK-permitted, timestamps and window scale (by the knobs), SYN retransmit with
 * doubling RTO from 1 s, ETIMEDOUT after tcp_syn_retries, ECONNREFUSED on
 * RST|ACK, ESTABLISHED only once the final ACK is sent (notes), and
 * simultaneous open. */
#include <stdio.h>
#include "harness.h"

#define PEER_SYNACK "< S. 0:0(0) ack 1 win 8192 <mss 1460>"

SCRIPT(active_open)
{
	CONNECT(5001);
	EXPECT("> S 0:0(0) win 2048 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	EXPECT_NONE();
	ASSERT_STATE(TCP_SYN_SENT);
	ASSERT_STATE_COUNT(TCP_SYN_SENT, 1);
	ASSERT_TRUE(!(tcp_poll(K, H) & TCP_POLL_WRITABLE));
	ASSERT_TRUE(CUR->dev_port != 0);
	ASSERT_POOLS(.tcbs = 1);
	ASSERT_COUNTER(active_opens, 1);
	INJECT(PEER_SYNACK);
	EXPECT("> . 1:1(0) ack 1");   /* the final ACK at once */
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_TRUE(tcp_poll(K, H) & TCP_POLL_WRITABLE);
	ASSERT_TRUE(tcp_curr_estab(K) == 1);
	SEND("GET");
	EXPECT("> P. 1:4(3) ack 1 'GET'");
	INJECT("< P. 1:3(2) ack 4 win 8192 'OK'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 4:4(0) ack 3");
	RECV_EXPECT("OK");
	ASSERT_COUNTER(attempt_fails, 0);
}

/* Chosen source port is used. */
SCRIPT(active_open_fixed_source_port)
{
	CONNECT_FROM(80, 45678);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	ASSERT_TRUE(CUR->dev_port == 45678);
}

/* Two connects get different ephemeral ports. */
SCRIPT(active_open_ephemeral_ports_differ)
{
	CONNECT(80);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	CONN(1);
	CONNECT(80);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	ASSERT_TRUE(t->c[0].dev_port != t->c[1].dev_port);
}

/* SYN retransmits at +1, +3, +7, +15, +31, +63 s (tcp_syn_retries 6),
 * ETIMEDOUT at +127 s; AttemptFails counts SYN_SENT -> CLOSED. */
SCRIPT(active_open_syn_retransmit_timeout)
{
	CONNECT(5001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	uint32_t gap = 1000;
	for (int i = 0; i < 6; i++) {
		ADVANCE_MS(gap - 1);
		EXPECT_NONE();
		ADVANCE_MS(1);
		/* each retransmission carries a fresh TSval (RFC 7323 §3.2) */
		char syn[96];
		snprintf(syn, sizeof syn, "> S 0:0(0) <mss 1460,sackOK,TS val %u ecr 0,nop,wscale 0>",
			 (unsigned)(2 * gap - 1000));
		EXPECT(syn);
		gap *= 2;
	}
	ASSERT_STATE(TCP_SYN_SENT);
	ADVANCE_MS(gap - 1);
	ASSERT_STATE(TCP_SYN_SENT);
	ADVANCE_MS(1);
	EXPECT_NONE();   /* gives up silently */
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_TRUE(tcp_poll(K, H) & TCP_POLL_ERROR);
	ASSERT_ERROR(KEEL_ETIMEDOUT);
	ASSERT_COUNTER(attempt_fails, 1);
	ASSERT_COUNTER(synack_retrans, 6);   /* TCPSynRetrans counts SYNs too */
	CLOSE();
	ASSERT_POOLS(.tcbs = 0);
}

/* tcp_syn_retries = 2: retransmits at +1, +3 s, ETIMEDOUT at +7 s. */
SCRIPT(active_open_syn_retries_2)
{
	SYSCTL(tcp_syn_retries, 2);
	CONNECT(5001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	ADVANCE_MS(1000);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 1000 ecr 0,nop,wscale 0>");
	ADVANCE_MS(2000);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 3000 ecr 0,nop,wscale 0>");
	ADVANCE_MS(3999);
	EXPECT_NONE();
	ASSERT_STATE(TCP_SYN_SENT);
	ADVANCE_MS(1);
	EXPECT_NONE();
	ASSERT_ERROR(KEEL_ETIMEDOUT);
}

/* RST|ACK acknowledging our SYN: connection refused. */
SCRIPT(active_open_refused)
{
	CONNECT(5001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	INJECT("< R. 0:0(0) ack 1 win 0");
	EXPECT_NONE();
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_ERROR(KEEL_ECONNREFUSED);
	ASSERT_COUNTER(attempt_fails, 1);
	ASSERT_COUNTER(estab_resets, 0);
	ASSERT_STATE_COUNT(TCP_SYN_SENT, 0);
	ADVANCE_MS(5000);
	EXPECT_NONE();   /* no more SYNs */
	CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_EPIPE);
	CLOSE();
	ASSERT_POOLS(.tcbs = 0, .time_wait = 0);
}

/* In SYN_SENT a RST without ACK, or with an ACK that is not for our SYN,
 * is dropped (RFC 9293 §3.10.7.3). */
SCRIPT(active_open_bad_rst_ignored)
{
	CONNECT(5001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	INJECT("< R 0:0(0) win 0");
	INJECT("< R. 0:0(0) ack 5 win 0");
	EXPECT_NONE();
	ASSERT_STATE(TCP_SYN_SENT);
	INJECT(PEER_SYNACK);
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* In SYN_SENT a SYN-ACK with a bad ACK: RST <SEQ=SEG.ACK>, still SYN_SENT. */
SCRIPT(active_open_bad_synack_ack)
{
	CONNECT(5001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	INJECT("< S. 0:0(0) ack 7 win 8192 <mss 1460>");
	EXPECT("> R 7:7(0)");
	ASSERT_STATE(TCP_SYN_SENT);
	INJECT(PEER_SYNACK);
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* Simultaneous open: our SYN crosses the peer's SYN; we answer with a
 * SYN-ACK carrying our same ISN (SYN_RECEIVED); the peer's SYN-ACK
 * completes it (RFC 9293 figure 8). */
SCRIPT(simultaneous_open)
{
	CONNECT_FROM(5001, 5001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	ASSERT_STATE(TCP_SYN_RECEIVED);
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460>");
	/* RFC 9293 shows no reply here; an ACK (Linux) is fine too */
	EXPECT_OPTIONAL("> . 1:1(0) ack 1");
	EXPECT_NONE();
	ASSERT_STATE(TCP_ESTABLISHED);
	SEND("hi");
	EXPECT("> P. 1:3(2) ack 1 'hi'");
	INJECT("< . 1:1(0) ack 3 win 8192");
	ADVANCE_MS(3000);
	EXPECT_NONE();
}

/* The SYN-ACK of a simultaneous open offers the window our SYN offered,
 * whatever the peer's ISN: RCV.WUP is not taken from before the IRS was
 * known (it used to be 0 there, and a peer ISN in the upper half of the
 * sequence space made the SYN-ACK offer 65535). */
SCRIPT(simultaneous_open_synack_window_any_isn)
{
	PEER_ISN(0x90000000u);
	CONNECT_FROM(5001, 5001);
	EXPECT("> S 0:0(0) win 2048 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	ASSERT_STATE(TCP_SYN_RECEIVED);
}

/* Closing a connect() in SYN_SENT frees it at once, nothing sent. */
SCRIPT(active_open_close_in_syn_sent)
{
	CONNECT(5001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	CLOSE();
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 0);
	ADVANCE_MS(2000);
	EXPECT_NONE();
	/* a late SYN-ACK now meets a closed port: RST seq = SEG.ACK */
	INJECT(PEER_SYNACK);
	EXPECT("> R 1:1(0)");
}

/* abort() in SYN_SENT sends nothing (Linux tcp_disconnect: no reset
 * before the peer knows us) and frees the TCB. */
SCRIPT(active_open_abort_in_syn_sent)
{
	CONNECT(5001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	ABORT();
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 0);
	ADVANCE_MS(5000);
	EXPECT_NONE();
}
