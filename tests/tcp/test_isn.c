/* ISN (RFC 6528): ISN = M + F(4-tuple, secret) with M a clock; so two
 * 4-tuples give unrelated ISNs, and one 4-tuple's ISN grows with time. */
#include "harness.h"
#include "tcp_internal.h"

static uint32_t udiff(uint32_t a, uint32_t b)
{
	uint32_t d = a - b;
	return d > 0x80000000u ? 0u - d : d;
}

SCRIPT(isn_differs_per_4tuple)
{
	uint32_t isn[4];
	LISTEN(7, 10);
	for (int i = 0; i < 4; i++) {
		CONN(i);
		INJECT("< S 0:0(0) win 8192 <mss 1460>");
		EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
		isn[i] = DEV_ISN();
	}
	/* same instant, different source ports: no small or constant step */
	for (int i = 1; i < 4; i++)
		ASSERT_TRUE(udiff(isn[i], isn[i - 1]) > 65536u);
	ASSERT_TRUE(isn[1] - isn[0] != isn[2] - isn[1]);
	ASSERT_TRUE(isn[2] - isn[1] != isn[3] - isn[2]);
}

/* The same 4-tuple a second later gets a larger ISN (the clock part). */
SCRIPT(isn_same_4tuple_grows_with_clock)
{
	LISTEN(7, 10);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	uint32_t first = DEV_ISN();
	INJECT("< R 1:1(0) win 0");   /* the peer gives up: entry removed */
	ASSERT_POOLS(.syn_queue = 0);
	ADVANCE_MS(1000);
	FORGET_DEV_ISN();
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	uint32_t second = DEV_ISN();
	ASSERT_TRUE((int32_t)(second - first) > 0);
	/* RFC 6528 suggests a 4 us clock: ~250000 per second; allow any rate
	 * from 1 per ms up to 2^30 per second */
	ASSERT_TRUE(second - first >= 1000u && second - first < 0x40000000u);
}

/* Active opens: ISNs of two connects from different ports unrelated too. */
SCRIPT(isn_active_open_differs)
{
	CONNECT_FROM(80, 50001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	uint32_t a = DEV_ISN();
	CONN(1);
	CONNECT_FROM(80, 50002);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	uint32_t b = DEV_ISN();
	ASSERT_TRUE(udiff(a, b) > 65536u);
}

/* One 4-tuple twice in the same millisecond: the second ISN is still the
 * larger (RFC 9293 §3.4.1, RFC 6528's clock moves every 4 us).  keel's
 * clock is in milliseconds, so the sub-millisecond ticks are handed out
 * one per ISN (isn.h).  Active: connect, abort, connect. */
SCRIPT(isn_same_4tuple_same_ms_active)
{
	CONNECT_FROM(80, 50001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	uint32_t first = DEV_ISN();
	ABORT();                       /* SYN_SENT: no RST */
	EXPECT_NONE();
	CONNECT_FROM(80, 50001);       /* same millisecond */
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	uint32_t second = DEV_ISN();
	ASSERT_TRUE((int32_t)(second - first) > 0);
	ABORT();
	CONNECT_FROM(80, 50001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	ASSERT_TRUE((int32_t)(DEV_ISN() - second) > 0);
	ADVANCE_MS(1);                 /* the next millisecond: above all of them */
	ABORT();
	CONNECT_FROM(80, 50001);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	ASSERT_TRUE((int32_t)(DEV_ISN() - second) > 1);
}

/* Passive: SYN, the peer's RST, the same SYN again in the same ms. */
SCRIPT(isn_same_4tuple_same_ms_passive)
{
	LISTEN(7, 10);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	uint32_t first = DEV_ISN();
	INJECT("< R 1:1(0) win 0");
	ASSERT_POOLS(.syn_queue = 0);
	FORGET_DEV_ISN();
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
	ASSERT_TRUE((int32_t)(DEV_ISN() - first) > 0);
}

/* One SipHash per SYN: the ISN's F is the low half of the 4-tuple's
 * 64-bit hash and the timestamp offset the high half (isn.h), so the
 * SYN-ACK's TSval and the child's offset come from the hash the ISN
 * already made (tcp_isn_for, tcp_ts.c) instead of two more. */
SCRIPT(isn_and_ts_offset_halves_of_one_hash)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 0>");
	uint64_t h = tcp_isn_hash(K->tcp.isn_key, TH_DEV_IP, 7, TH_PEER_IP, CUR->peer_port);
	ASSERT_TRUE(DEV_ISN() == NOW() * 250u + (uint32_t)h);
	ASSERT_TRUE(CUR->dev_ts0 == NOW() + (uint32_t)(h >> 32));
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	ASSERT_TRUE(tcb_from_handle(K, H)->ts_off == (uint32_t)(h >> 32));
	NO_FINAL_CHECK();
}
