/* TIME_WAIT control: the tcp_max_tw_buckets cap (read live), a new SYN
 * taking over a TIME_WAIT 4-tuple (RFC 9293 §3.6.1, RFC 6191 with and
 * without timestamps, Linux tcp_timewait_state_process TCP_TW_SYN), PAWS
 * in TIME_WAIT, and tcp_tw_reuse for the device's own connects (Linux
 * tcp_twsk_unique: timestamps and 1 s). */
#include "harness.h"
#include "tcp_internal.h"

/* The device closes first and ends in TIME_WAIT: both sides' FINs at
 * relative seq 1, so RCV.NXT = SND.NXT = 2 afterwards. */
#define DEVICE_CLOSES_FIRST()                                               \
	do {                                                                \
		CLOSE();                                                    \
		EXPECT("> F. 1:1(0) ack 1");                                \
		INJECT("< F. 1:1(0) ack 2 win 8192");                        \
		EXPECT("> . 2:2(0) ack 2");                                 \
	} while (0)

/* tcp_max_tw_buckets = 2: the third closing connection skips TIME_WAIT
 * (TCPTimeWaitOverflow).  Lowered at run time below the occupancy, the
 * entries already there stay until 2*MSL and new ones are refused. */
SCRIPT(tw_cap_max_buckets)
{
	SYSCTL(tcp_max_tw_buckets, 2);
	LISTEN(13, 5);
	for (int i = 0; i < 3; i++) {
		CONN(i);
		ESTABLISH();
		DEVICE_CLOSES_FIRST();
	}
	ASSERT_POOLS(.time_wait = 2, .tcbs = 0);
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 2);
	ASSERT_COUNTER(tw, 2);
	ASSERT_COUNTER(tw_overflow, 1);
	/* the third has no TIME_WAIT: its retransmitted FIN finds no one */
	CONN(2);
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> R 2:2(0)");
	SYSCTL(tcp_max_tw_buckets, 1);
	CONN(3);
	ESTABLISH();
	DEVICE_CLOSES_FIRST();
	ASSERT_POOLS(.time_wait = 2);
	ASSERT_COUNTER(tw_overflow, 2);
	CONN(0);
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");      /* still in TIME_WAIT */
	ADVANCE_MS(60000);
	ASSERT_POOLS(.time_wait = 0);
	CONN(4);
	ESTABLISH();
	DEVICE_CLOSES_FIRST();
	ASSERT_POOLS(.time_wait = 1);
	ASSERT_COUNTER(tw_overflow, 2);
	SYSCTL(tcp_max_tw_buckets, 0);   /* Linux: no TIME_WAIT at all */
	CONN(5);
	ESTABLISH();
	DEVICE_CLOSES_FIRST();
	ASSERT_POOLS(.time_wait = 1);
	ASSERT_COUNTER(tw_overflow, 3);
}

/* A new SYN with SEQ above the old RCV.NXT takes the 4-tuple over: the
 * TIME_WAIT entry goes (TWRecycled), the listener answers with ISN = old
 * SND.NXT + 65535 + 2 (Linux), and the new connection completes. */
SCRIPT(tw_new_syn_above_rcv_nxt_accepted)
{
	LISTEN(13, 5);
	ESTABLISH();
	DEVICE_CLOSES_FIRST();
	ASSERT_POOLS(.time_wait = 1);
	ADVANCE_MS(3000);
	INJECT("< S 1000:1000(0) win 8192 <mss 1460>");
	EXPECT("> S. 65539:65539(0) ack 1001 win 2048 <mss 1460>");
	EXPECT_NONE();
	ASSERT_COUNTER(tw_recycled, 1);
	ASSERT_POOLS(.time_wait = 0, .syn_queue = 1);
	INJECT("< . 1001:1001(0) ack 65540 win 8192");
	EXPECT_NONE();
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
	SEND("new");
	EXPECT("> P. 65540:65543(3) ack 1001 'new'");
	ASSERT_COUNTER(passive_opens, 2);
}

/* The recycled SYN never gets a cookie (its ISN is fixed; Linux skips
 * cookies when tcp_tw_isn is set), even under tcp_syncookies = 2. */
SCRIPT(tw_new_syn_no_cookie)
{
	LISTEN(13, 5);
	ESTABLISH();
	DEVICE_CLOSES_FIRST();
	SYSCTL(tcp_syncookies, 2);
	INJECT("< S 5:5(0) win 8192 <mss 1460>");
	EXPECT("> S. 65539:65539(0) ack 6 <mss 1460>");
	ASSERT_COUNTER(syncookies_sent, 0);
	ASSERT_COUNTER(tw_recycled, 1);
	ASSERT_POOLS(.syn_queue = 1, .time_wait = 0);
}

/* SEQ at or below the old RCV.NXT: an old duplicate or a confused peer;
 * it gets the TIME_WAIT ACK and the entry stays. */
SCRIPT(tw_new_syn_below_rcv_nxt_acked)
{
	LISTEN(13, 5);
	ESTABLISH();
	DEVICE_CLOSES_FIRST();
	INJECT("< S 1:1(0) win 8192 <mss 1460>");
	EXPECT("> . 2:2(0) ack 2");
	INJECT("< S 2:2(0) win 8192 <mss 1460>");      /* == RCV.NXT: not after it */
	EXPECT("> . 2:2(0) ack 2");
	INJECT("< S -100000:-100000(0) win 8192 <mss 1460>");
	EXPECT("> . 2:2(0) ack 2");
	EXPECT_NONE();
	ASSERT_COUNTER(tw_recycled, 0);
	ASSERT_POOLS(.time_wait = 1, .syn_queue = 0);
	/* a SYN with ACK, or SYN+FIN, is not a new connection either */
	INJECT("< S. 10:10(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2");
	INJECT("< SF 10:10(0) win 8192");
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_POOLS(.time_wait = 1);
}

/* Nobody listens on the port any more: the SYN gets the TIME_WAIT ACK
 * (Linux: TCP_TW_SYN without a listener falls through to TCP_TW_ACK). */
SCRIPT(tw_new_syn_without_listener_acked)
{
	LISTEN(13, 5);
	ESTABLISH();
	DEVICE_CLOSES_FIRST();
	CALL_EXPECT(tcp_close(K, LH), KEEL_OK);
	INJECT("< S 1000:1000(0) win 8192 <mss 1460>");
	EXPECT("> . 2:2(0) ack 2");
	ASSERT_COUNTER(tw_recycled, 0);
	ASSERT_POOLS(.time_wait = 1);
}

/* The device connects out (with timestamps: the peer's TSvals from 500),
 * closes first, holds TIME_WAIT. */
static void active_to_time_wait(struct th *t, uint16_t sport)
{
	CONNECT_FROM(80, sport);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460,nop,nop,TS val 500 ecr 0>");
	EXPECT("> . 1:1(0) ack 1");
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 2 win 8192 <nop,nop,TS val 501 ecr 0>");
	EXPECT("> . 2:2(0) ack 2 <nop,nop,TS val 0 ecr 501>");
	ASSERT_POOLS(.time_wait = 1, .tcbs = 0);
}

/* tcp_tw_reuse 0 (and 2, Linux's loopback-only: keel has no loopback):
 * an explicit source port held in TIME_WAIT is EADDRINUSE. */
SCRIPT(tw_reuse_off_connect_eaddrinuse)
{
	SYSCTL(tcp_tw_reuse, 0);
	active_to_time_wait(t, 5000);
	ADVANCE_MS(5000);
	CALL_EXPECT(tcp_connect(K, TH_PEER_IP, 80, 5000), KEEL_EADDRINUSE);
	SYSCTL(tcp_tw_reuse, 2);
	CALL_EXPECT(tcp_connect(K, TH_PEER_IP, 80, 5000), KEEL_EADDRINUSE);
	ASSERT_COUNTER(tw_recycled, 0);
	ASSERT_POOLS(.time_wait = 1, .tcbs = 0);
	EXPECT_NONE();
	/* another destination port is another 4-tuple */
	CONN(1);
	CONNECT_FROM(81, 5000);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
}

/* tcp_tw_reuse 1: not before the entry is 1 s old; then the connect takes
 * the 4-tuple over (TWRecycled) with ISN = old SND.NXT + 65535 + 2. */
SCRIPT(tw_reuse_on_connect_after_1s)
{
	SYSCTL(tcp_tw_reuse, 1);
	active_to_time_wait(t, 5000);
	ADVANCE_MS(999);
	CALL_EXPECT(tcp_connect(K, TH_PEER_IP, 80, 5000), KEEL_EADDRINUSE);
	ADVANCE_MS(1);
	int h = tcp_connect(K, TH_PEER_IP, 80, 5000);
	ASSERT_TRUE(h >= 0);
	CUR->handle = h;
	/* relative to the old ISN and TSval: the same offset, a later clock */
	EXPECT("> S 65539:65539(0) <mss 1460,sackOK,TS val 1000 ecr 0,nop,wscale 0>");
	ASSERT_COUNTER(tw_recycled, 1);
	ASSERT_POOLS(.time_wait = 0, .tcbs = 1);
	ASSERT_COUNTER(active_opens, 2);
	/* the old connection's TS.Recent came along: an older SYN-ACK is an
	 * old duplicate, dropped (Linux tcp_rcv_synsent_state_process) */
	INJECT("< S. 7000:7000(0) ack 65540 win 8192 <mss 1460,nop,nop,TS val 400 ecr 1000>");
	EXPECT_NONE();
	ASSERT_STATE(TCP_SYN_SENT);
	INJECT("< S. 7000:7000(0) ack 65540 win 8192 <mss 1460,nop,nop,TS val 600 ecr 1000>");
	EXPECT("> . 65540:65540(0) ack 7001 <nop,nop,TS val 1000 ecr 600>");
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* The TIME_WAIT age restarts with every ACK-bearing segment of the old
 * connection (Linux: its last timestamp), so a peer still retransmitting
 * its FIN keeps the 4-tuple. */
SCRIPT(tw_reuse_age_restarts)
{
	SYSCTL(tcp_tw_reuse, 1);
	active_to_time_wait(t, 5000);
	ADVANCE_MS(900);
	INJECT("< F. 1:1(0) ack 2 win 8192 <nop,nop,TS val 502 ecr 0>");
	EXPECT("> . 2:2(0) ack 2 <nop,nop,TS val 900 ecr 501>");   /* a retransmitted FIN does not move TS.Recent */
	ADVANCE_MS(900);
	CALL_EXPECT(tcp_connect(K, TH_PEER_IP, 80, 5000), KEEL_EADDRINUSE);
	ADVANCE_MS(100);
	ASSERT_TRUE(tcp_connect(K, TH_PEER_IP, 80, 5000) >= 0);
	ASSERT_COUNTER(tw_recycled, 1);
	NO_FINAL_CHECK();
}

/* Ephemeral ports: with reuse off a port in TIME_WAIT is skipped; with
 * reuse on (and 1 s passed) it is taken over like Linux's
 * __inet_hash_connect does. */
SCRIPT(tw_reuse_ephemeral_port)
{
	CONNECT(80);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	uint16_t port = CUR->dev_port;
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460,nop,nop,TS val 500 ecr 0>");
	EXPECT("> . 1:1(0) ack 1");
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1");
	INJECT("< F. 1:1(0) ack 2 win 8192 <nop,nop,TS val 501 ecr 0>");
	EXPECT("> . 2:2(0) ack 2");
	ADVANCE_MS(2000);
	SYSCTL(tcp_tw_reuse, 0);
	K->tcp.ephemeral_next = port;
	int h = tcp_connect(K, TH_PEER_IP, 80, 0);
	ASSERT_TRUE(h >= 0);
	ASSERT_TRUE(K->tcp.tcbs[tcp_handle_slot(h)].lport != port);
	ASSERT_COUNTER(tw_recycled, 0);
	CALL_EXPECT(tcp_abort(K, h), KEEL_OK);
	SYSCTL(tcp_tw_reuse, 1);
	K->tcp.ephemeral_next = port;
	h = tcp_connect(K, TH_PEER_IP, 80, 0);
	ASSERT_TRUE(h >= 0);
	ASSERT_TRUE(K->tcp.tcbs[tcp_handle_slot(h)].lport == port);
	ASSERT_COUNTER(tw_recycled, 1);
	ASSERT_POOLS(.time_wait = 0);
	NO_FINAL_CHECK();
}

/* Linux's rule: without timestamps on the old connection, tcp_tw_reuse
 * has no guard against its old duplicates and does not reuse. */
SCRIPT(tw_reuse_needs_timestamps)
{
	SYSCTL(tcp_tw_reuse, 1);
	CONNECT_FROM(80, 5000);
	EXPECT("> S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460>");
	EXPECT("> . 1:1(0) ack 1 <>");
	DEVICE_CLOSES_FIRST();
	ADVANCE_MS(5000);
	CALL_EXPECT(tcp_connect(K, TH_PEER_IP, 80, 5000), KEEL_EADDRINUSE);
	ASSERT_COUNTER(tw_recycled, 0);
	ASSERT_POOLS(.time_wait = 1);
}

/* A passive connection with timestamps (the peer's TSvals from 100) that
 * the device closes first. */
static void passive_ts_to_time_wait(struct th *t)
{
	LISTEN(13, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,nop,TS val 100 ecr 0>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,TS val 0 ecr 100>");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1 <nop,nop,TS val 0 ecr 101>");
	INJECT("< F. 1:1(0) ack 2 win 8192 <nop,nop,TS val 102 ecr 0>");
	EXPECT("> . 2:2(0) ack 2 <nop,nop,TS val 0 ecr 102>");
	ASSERT_POOLS(.time_wait = 1, .tcbs = 0);
}

/* RFC 6191 §2: a SYN whose TSval is newer than the old connection's takes
 * the 4-tuple over even with a sequence number below RCV.NXT. */
SCRIPT(tw_syn_newer_timestamp_accepted)
{
	passive_ts_to_time_wait(t);
	ADVANCE_MS(1000);
	INJECT("< S -5000:-5000(0) win 8192 <mss 1460,nop,nop,TS val 200 ecr 0>");
	EXPECT("> S. 65539:65539(0) ack -4999 win 2048 <mss 1460,nop,nop,TS val 1000 ecr 200>");
	ASSERT_COUNTER(tw_recycled, 1);
	ASSERT_POOLS(.time_wait = 0, .syn_queue = 1);
	NO_FINAL_CHECK();
}

/* An older TSval: PAWS rejects the SYN even with a sequence number above
 * RCV.NXT; it gets the TIME_WAIT ACK (with timestamps) and counts
 * PAWSEstabRejected (Linux). */
SCRIPT(tw_syn_older_timestamp_acked)
{
	passive_ts_to_time_wait(t);
	ADVANCE_MS(1000);
	INJECT("< S 1000:1000(0) win 8192 <mss 1460,nop,nop,TS val 50 ecr 0>");
	EXPECT("> . 2:2(0) ack 2 <nop,nop,TS val 1000 ecr 102>");
	ASSERT_COUNTER(paws_estab_rejected, 1);
	ASSERT_COUNTER(tw_recycled, 0);
	ASSERT_POOLS(.time_wait = 1, .syn_queue = 0);
	/* an equal TSval is not newer: the sequence number decides */
	INJECT("< S 1:1(0) win 8192 <mss 1460,nop,nop,TS val 102 ecr 0>");
	EXPECT("> . 2:2(0) ack 2 <nop,nop,TS val 1000 ecr 102>");
	INJECT("< S 1000:1000(0) win 8192 <mss 1460,nop,nop,TS val 102 ecr 0>");
	EXPECT("> S. 65539:65539(0) ack 1001 win 2048 <mss 1460,nop,nop,TS val 1000 ecr 102>");
	ASSERT_COUNTER(tw_recycled, 1);
	NO_FINAL_CHECK();
}

/* A bare ACK at RCV.NXT whose TSval is behind TS.Recent was overtaken on
 * the way: absorbed (no ACK back that a closed peer would answer with a
 * RST, no PAWS count); with data it is a PAWS drop and answered. */
SCRIPT(tw_reordered_bare_ack_absorbed)
{
	passive_ts_to_time_wait(t);
	INJECT("< . 2:2(0) ack 2 win 8192 <nop,nop,TS val 101 ecr 0>");
	EXPECT_NONE();
	ASSERT_COUNTER(paws_estab_rejected, 0);
	INJECT("< . 2:3(1) ack 2 win 8192 <nop,nop,TS val 101 ecr 0>");
	EXPECT("> . 2:2(0) ack 2 <nop,nop,TS val 0 ecr 102>");
	ASSERT_COUNTER(paws_estab_rejected, 1);
	ASSERT_POOLS(.time_wait = 1);
}
