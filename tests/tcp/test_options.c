/* Option negotiation (RFC 7323 §2.2, §3.2; RFC 2018 §2): a SYN-ACK offers
 * exactly what the SYN offered and the knobs allow; our SYN offers what
 * the knobs allow and the SYN-ACK narrows it; malformed options drop the
 * segment (counted); a cookie SYN-ACK carries the agreement in its TSval's
 * low bits (Linux cookie_init_timestamp); the peer's window is scaled. */
#include <stdio.h>
#include "harness.h"
#include "tcp_internal.h"

#define ALL_SYN "< S 0:0(0) win 8192 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>"

SCRIPT(opt_synack_mirrors_all_three)
{
	LISTEN(7, 5);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 0>");
}

SCRIPT(opt_synack_mirrors_ts_only)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,nop,TS val 100 ecr 0>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,TS val 0 ecr 100>");
}

SCRIPT(opt_synack_mirrors_sack_only)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,nop,sackOK>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,sackOK>");
}

SCRIPT(opt_synack_mirrors_wscale_only)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,wscale 3>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,wscale 0>");
}

SCRIPT(opt_none_offered_none_back)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	SEND("x");
	EXPECT("> P. 1:2(1) ack 1 win 2048 <>");   /* no timestamps on data either */
}

/* Each knob off takes its option out of the answer (and of our SYNs). */
SCRIPT(opt_knobs_off)
{
	LISTEN(7, 5);
	SYSCTL(tcp_timestamps, 0);
	CONN(0);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,sackOK,nop,wscale 0>");
	SYSCTL(tcp_timestamps, 1);
	SYSCTL(tcp_sack, 0);
	CONN(1);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,TS val 0 ecr 100,nop,wscale 0>");
	SYSCTL(tcp_sack, 1);
	SYSCTL(tcp_window_scaling, 0);
	CONN(2);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100>");
	SYSCTL(tcp_timestamps, 0);
	SYSCTL(tcp_sack, 0);
	CONN(3);
	CONNECT(80);
	EXPECT("> S 0:0(0) <mss 1460>");
	NO_FINAL_CHECK();
}

/* tcp_timestamps 2: timestamps without the keyed offset (Linux's meaning):
 * TSval is the millisecond clock itself. */
SCRIPT(opt_timestamps_2_no_offset)
{
	SYSCTL(tcp_timestamps, 2);
	LISTEN(7, 5);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 0>");
	ASSERT_TRUE(CUR->dev_ts0 == NOW());
}

/* tcp_timestamps 1: the offset is keyed per 4-tuple: two connections in
 * the same millisecond get unrelated TSvals. */
SCRIPT(opt_ts_offset_per_connection)
{
	LISTEN(7, 5);
	CONN(0);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 0>");
	CONN(1);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 0>");
	ASSERT_TRUE(t->c[0].dev_ts0 != t->c[1].dev_ts0);
	ASSERT_TRUE(t->c[0].dev_ts0 != NOW() && t->c[1].dev_ts0 != NOW());
	NO_FINAL_CHECK();
}

/* Malformed: a known kind with the wrong length, or a SACK option that
 * is not 2 + 8n bytes: dropped, TCPBadOptions (keel's own counter). */
SCRIPT(opt_malformed_dropped)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,kind 8 len 8>");
	INJECT("< S 0:0(0) win 8192 <mss 1460,kind 3 len 4>");
	INJECT("< S 0:0(0) win 8192 <mss 1460,kind 4 len 3>");
	INJECT("< S 0:0(0) win 8192 <mss 1460,kind 5 len 11>");
	INJECT("< S 0:0(0) win 8192 <kind 5 len 2>");
	EXPECT_NONE();
	ASSERT_COUNTER(bad_options, 5);
	ASSERT_POOLS(.syn_queue = 0);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 0>");
	NO_FINAL_CHECK();
}

/* RFC 7323 §2.3: a shift above 14 is taken as 14. */
SCRIPT(opt_wscale_above_14_is_14)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,wscale 20>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,wscale 0>");
	INJECT("< . 1:1(0) ack 1 win 1");
	ACCEPT();
	ASSERT_TRUE(tcb_snd_wnd(tcb_from_handle(K, H)) == 1u << 14);
}

/* The peer's window is scaled by its shift, except in its SYN: win 200
 * at shift 2 lets 800 bytes go. */
SCRIPT(opt_peer_window_scaled)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 1000 <mss 400,nop,wscale 2>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,wscale 0>");
	INJECT("< . 1:1(0) ack 1 win 200");
	ACCEPT();
	SEND_N(2000);
	EXPECT("> . 1:401(400) ack 1");
	EXPECT("> . 401:801(400) ack 1");
	EXPECT_NONE();
	INJECT("< . 1:1(0) ack 801 win 250");   /* 1000 bytes */
	EXPECT("> . 801:1201(400) ack 1");
	EXPECT("> . 1201:1601(400) ack 1");
	EXPECT_NONE();   /* 200 more fit: sender SWS holds them */
	NO_FINAL_CHECK();
}

/* Active open: the SYN offers all three; a SYN-ACK with none turns them
 * all off (no timestamps on the ACK). */
SCRIPT(opt_active_synack_without_options)
{
	CONNECT(80);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460>");
	EXPECT("> . 1:1(0) ack 1 <>");
	NO_FINAL_CHECK();
}

SCRIPT(opt_active_synack_with_all)
{
	CONNECT(80);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	ADVANCE_MS(30);
	INJECT("< S. 0:0(0) ack 1 win 100 <mss 1460,sackOK,TS val 500 ecr 0,nop,wscale 4>");
	EXPECT("> . 1:1(0) ack 1 <nop,nop,TS val 30 ecr 500>");
	INJECT("< . 1:1(0) ack 1 win 100 <nop,nop,TS val 501 ecr 30>");
	SEND_N(1600);                         /* window 1600: 100 << 4 */
	EXPECT("> . 1:1449(1448) ack 1 <nop,nop,TS val 30 ecr 501>");
	EXPECT("> P. 1449:1601(152) ack 1 <nop,nop,TS val 30 ecr 501>");
	NO_FINAL_CHECK();
}

/* A cookie SYN-ACK: TSval's low 6 bits hold the peer's shift and SACK
 * (Linux's layout); the ACK's TSecr brings them back, so the connection
 * has timestamps, SACK and the peer's shift 7 though no state was kept. */
SCRIPT(opt_cookie_keeps_options_in_tsval)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 0>");
	ASSERT_TRUE((CUR->dev_ts0 & 0x3fu) == (0x10u | 7u));
	ASSERT_POOLS(.syn_queue = 0);
	INJECT("< . 1:1(0) ack 1 win 100 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	ASSERT_COUNTER(syncookies_recv, 1);
	CUR->dev_ts_known = 0;                /* the cookie TSval was not the clock */
	SEND_N(2000);                         /* window 12800: 100 << 7 */
	EXPECT("> . 1:1449(1448) ack 1 <nop,nop,TS val 0 ecr 101>");
	EXPECT("> P. 1449:2001(552) ack 1");
	/* SACK is on: out-of-order data is reported */
	INJECT("< . 101:201(100) ack 2001 win 100 <nop,nop,TS val 102 ecr 0>");
	EXPECT("> . 2001:2001(0) ack 1 <nop,nop,TS val 0 ecr 101,nop,nop,sack 101:201>");
}

/* Without a timestamp on the ACK the cookie carries no options: none on. */
SCRIPT(opt_cookie_ack_without_ts)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 0>");
	INJECT("< . 1:1(0) ack 1 win 100");
	ACCEPT();
	SEND("x");
	EXPECT("> P. 1:2(1) ack 1 <>");
	ASSERT_TRUE(tcb_snd_wnd(tcb_from_handle(K, H)) == 100);
}

/* The cookie asks for window scaling but the knob went off meanwhile:
 * not a valid cookie (Linux cookie_timestamp_decode), reset. */
SCRIPT(opt_cookie_bits_for_disabled_option_fail)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT(ALL_SYN);
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 0>");
	SYSCTL(tcp_window_scaling, 0);
	INJECT("< . 1:1(0) ack 1 win 100 <nop,nop,TS val 101 ecr 0>");
	EXPECT("> R 1:1(0)");
	ASSERT_COUNTER(syncookies_failed, 1);
	ASSERT_POOLS(.tcbs = 0);
}
