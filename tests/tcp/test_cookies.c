/* SYN cookies (tcp_syncookies 0/1/2; Linux tcp_conn_request and
 * cookie_v4_check): the cookie SYN-ACK keeps no state, a valid cookie ACK
 * makes the connection straight away, bad ones are counted and reset, and
 * a full accept queue wins over cookies. */
#include <stdio.h>
#include "harness.h"

#define SYN "< S 0:0(0) win 8192 <mss 1460>"
#define SYNACK "> S. 0:0(0) ack 1 win 2048 <mss 1460>"
#define ACK1 "< . 1:1(0) ack 1 win 8192"

/* The cookie remembers the peer's MSS as the largest table entry <= it
 * ({536, 1300, 1440, 1460}); 536 without an option.  Every data segment
 * the device sends is exactly that large (never larger). */
static void cookie_mss_round_trip(struct th *t, const char *syn, uint32_t want_mss)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT(syn);
	EXPECT(SYNACK);   /* we always advertise our own MSS */
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
	INJECT(ACK1);
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_COUNTER(syncookies_sent, 1);
	ASSERT_COUNTER(syncookies_recv, 1);
	ASSERT_COUNTER(passive_opens, 1);
	SEND_N(2000);
	uint32_t got = 0;
	while (got < 2000) {
		struct th_seginfo d;
		NEXT_SEGMENT(1000, &d);
		ASSERT_TRUE(d.seq == 1 + got);
		ASSERT_TRUE(d.len <= want_mss);
		ASSERT_TRUE(d.len == want_mss || got + d.len == 2000);
		got += d.len;
	}
	EXPECT_NONE();
	char ack[64];
	snprintf(ack, sizeof(ack), "< . 1:1(0) ack %u win 8192", 1u + got);
	INJECT(ack);
	EXPECT_NONE();
}

SCRIPT(cookie_mss_536)
{
	cookie_mss_round_trip(t, "< S 0:0(0) win 8192 <mss 536>", 536);
}
SCRIPT(cookie_mss_1300)
{
	cookie_mss_round_trip(t, "< S 0:0(0) win 8192 <mss 1300>", 1300);
}
SCRIPT(cookie_mss_1440)
{
	cookie_mss_round_trip(t, "< S 0:0(0) win 8192 <mss 1440>", 1440);
}
SCRIPT(cookie_mss_1460)
{
	cookie_mss_round_trip(t, "< S 0:0(0) win 8192 <mss 1460>", 1460);
}
/* Between entries: rounded down, never up. */
SCRIPT(cookie_mss_1400_rounds_down)
{
	cookie_mss_round_trip(t, "< S 0:0(0) win 8192 <mss 1400>", 1300);
}
SCRIPT(cookie_mss_absent_is_536)
{
	cookie_mss_round_trip(t, "< S 0:0(0) win 8192", 536);
}
/* Above ours: our own 1460 (the peer's is lowered before encoding). */
SCRIPT(cookie_mss_9000_is_ours)
{
	cookie_mss_round_trip(t, "< S 0:0(0) win 8192 <mss 9000>", 1460);
}

/* Mode 2: every SYN gets a cookie, the SYN queue is never used; a
 * retransmitted SYN gets the same cookie again (same minute). */
SCRIPT(cookie_mode2_always)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT(SYN);
	EXPECT(SYNACK);
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
	ASSERT_STATE_COUNT(TCP_SYN_RECEIVED, 0);
	ADVANCE_MS(5000);
	EXPECT_NONE();    /* no state: nothing to retransmit */
	INJECT(SYN);
	EXPECT(SYNACK);
	ASSERT_COUNTER(syncookies_sent, 2);
	ASSERT_COUNTER(listen_drops, 0);
	INJECT(ACK1);
	EXPECT_NONE();
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_COUNTER(syncookies_recv, 1);
	ASSERT_COUNTER(syncookies_failed, 0);
}

/* Mode 1: cookies only once this listener's SYN queue is full (backlog 2);
 * the half-open entries are untouched and still complete normally. */
SCRIPT(cookie_mode1_only_when_full)
{
	LISTEN(7, 2);
	/* no cookie sent yet: a stray ACK is not even checked */
	CONN(5); INJECT(ACK1);
	EXPECT("> R 1:1(0)");
	ASSERT_COUNTER(syncookies_failed, 0);
	CONN(0); INJECT(SYN); EXPECT(SYNACK);
	CONN(1); INJECT(SYN); EXPECT(SYNACK);
	ASSERT_COUNTER(syncookies_sent, 0);
	ASSERT_POOLS(.syn_queue = 2);
	CONN(2); INJECT(SYN); EXPECT(SYNACK);
	ASSERT_COUNTER(syncookies_sent, 1);
	ASSERT_COUNTER(req_q_full_drop, 0);
	ASSERT_COUNTER(listen_drops, 0);
	ASSERT_POOLS(.syn_queue = 2, .tcbs = 0);
	CONN(2); INJECT(ACK1);
	EXPECT_NONE();
	ASSERT_COUNTER(syncookies_recv, 1);
	ASSERT_POOLS(.syn_queue = 2, .tcbs = 1);
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
	CONN(0); INJECT(ACK1); ACCEPT();
	CONN(1); INJECT(ACK1); ACCEPT();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 3);
	ASSERT_COUNTER(passive_opens, 3);
	/* room again: the next SYN gets an entry, not a cookie */
	CONN(3); INJECT(SYN); EXPECT(SYNACK);
	ASSERT_POOLS(.syn_queue = 1);
	ASSERT_COUNTER(syncookies_sent, 1);
}

/* Mode 1 also covers the global bound (tcp_max_syn_backlog), read live:
 * lowering it below the current occupancy just makes the next SYN a
 * cookie; entries already queued are untouched. */
SCRIPT(cookie_mode1_global_bound_live)
{
	LISTEN(7, 50);
	CONN(0); INJECT(SYN); EXPECT(SYNACK);
	CONN(1); INJECT(SYN); EXPECT(SYNACK);
	CONN(2); INJECT(SYN); EXPECT(SYNACK);
	ASSERT_POOLS(.syn_queue = 3);
	SYSCTL(tcp_max_syn_backlog, 1);
	CONN(3); INJECT(SYN); EXPECT(SYNACK);
	ASSERT_COUNTER(syncookies_sent, 1);
	ASSERT_POOLS(.syn_queue = 3);
	SYSCTL(tcp_syncookies, 0);
	CONN(4); INJECT(SYN); EXPECT_NONE();
	ASSERT_COUNTER(req_q_full_drop, 1);
	ASSERT_COUNTER(listen_drops, 1);
	/* the queued entries complete as usual */
	for (int i = 0; i < 3; i++) {
		CONN(i);
		INJECT(ACK1);
		ACCEPT();
	}
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 3);
	SYSCTL(tcp_syncookies, 1);
	SYSCTL(tcp_max_syn_backlog, KEEL_SYN_BACKLOG);
	CONN(5); INJECT(SYN); EXPECT(SYNACK);
	ASSERT_POOLS(.syn_queue = 1);
}

/* Mode 0: a full SYN queue drops the SYN (counted); no cookie, and an ACK
 * is never checked as one. */
SCRIPT(cookie_mode0_never)
{
	SYSCTL(tcp_syncookies, 0);
	LISTEN(7, 1);
	CONN(0); INJECT(SYN); EXPECT(SYNACK);
	CONN(1); INJECT(SYN); EXPECT_NONE();
	ASSERT_COUNTER(syncookies_sent, 0);
	ASSERT_COUNTER(req_q_full_drop, 1);
	ASSERT_COUNTER(listen_drops, 1);
	INJECT(ACK1);
	EXPECT("> R 1:1(0)");
	ASSERT_COUNTER(syncookies_failed, 0);
	ASSERT_COUNTER(syncookies_recv, 0);
}

/* Turning cookies off stops their validation at once (Linux checks
 * sysctl_tcp_syncookies in cookie_v4_check). */
SCRIPT(cookie_mode_switched_off_rejects)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT(SYN); EXPECT(SYNACK);
	SYSCTL(tcp_syncookies, 0);
	INJECT(ACK1);
	EXPECT("> R 1:1(0)");
	ASSERT_POOLS(.tcbs = 0);
	ASSERT_COUNTER(syncookies_failed, 0);
}

/* A forged cookie (wrong ACK number) fails: SyncookiesFailed and the RST
 * a listener gives any stray ACK (<SEQ=SEG.ACK><RST>). */
SCRIPT(cookie_forged_rejected)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT(SYN); EXPECT(SYNACK);
	INJECT("< . 1:1(0) ack 2 win 8192");
	EXPECT("> R 2:2(0)");
	INJECT("< . 1:1(0) ack 0 win 8192");
	EXPECT("> R 0:0(0)");
	/* the peer's ISN is in the cookie: a different SEQ fails too */
	INJECT("< . 2:2(0) ack 1 win 8192");
	EXPECT("> R 1:1(0)");
	ASSERT_COUNTER(syncookies_failed, 3);
	ASSERT_COUNTER(syncookies_recv, 0);
	ASSERT_COUNTER(out_rsts, 3);
	ASSERT_POOLS(.tcbs = 0, .syn_queue = 0);
	/* the real one still works */
	INJECT(ACK1);
	EXPECT_NONE();
	ACCEPT();
	ASSERT_COUNTER(syncookies_recv, 1);
}

/* A cookie is bound to its 4-tuple: the same numbers from another port
 * fail. */
SCRIPT(cookie_wrong_tuple_rejected)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	CONN(0); INJECT(SYN); EXPECT(SYNACK);
	CONN(1);
	PEER_ISN(t->c[0].peer_isn);
	CUR->dev_isn = t->c[0].dev_isn;
	CUR->dev_isn_known = 1;
	INJECT(ACK1);
	EXPECT("> R 1:1(0)");
	ASSERT_COUNTER(syncookies_failed, 1);
	ASSERT_POOLS(.tcbs = 0);
	CONN(0); INJECT(ACK1); EXPECT_NONE(); ACCEPT();
	ASSERT_COUNTER(syncookies_recv, 1);
}

/* A cookie lives at least 65.5 s (accepted at +65 s) and is dead past
 * 131 s, even while the listener keeps sending fresh cookies. */
SCRIPT(cookie_lifetime)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	CONN(0); INJECT(SYN); EXPECT(SYNACK);
	CONN(1); INJECT(SYN); EXPECT(SYNACK);
	ADVANCE_MS(65000);
	CONN(0); INJECT(ACK1); EXPECT_NONE(); ACCEPT();
	ASSERT_COUNTER(syncookies_recv, 1);
	ADVANCE_MS(67000);                 /* conn 1's cookie is 132 s old */
	CONN(2); INJECT(SYN); EXPECT(SYNACK);   /* a fresh cookie: checks go on */
	CONN(1); INJECT(ACK1);
	EXPECT("> R 1:1(0)");
	ASSERT_COUNTER(syncookies_failed, 1);
	ASSERT_POOLS(.tcbs = 1);
	CONN(2); INJECT(ACK1); EXPECT_NONE(); ACCEPT();
	ASSERT_COUNTER(syncookies_recv, 2);
}

/* Mode 1 (Linux tcp_synq_no_recent_overflow): once the listener has sent
 * no cookie for the cookie lifetime, ACKs are not checked at all: plain
 * RST, nothing counted. */
SCRIPT(cookie_not_checked_without_recent_cookies)
{
	LISTEN(7, 0);                      /* backlog 0: every SYN is a cookie */
	INJECT(SYN); EXPECT(SYNACK);
	ASSERT_COUNTER(syncookies_sent, 1);
	ADVANCE_MS(131072);
	INJECT(ACK1);
	EXPECT("> R 1:1(0)");
	ASSERT_COUNTER(syncookies_failed, 0);
	ASSERT_COUNTER(syncookies_recv, 0);
	ASSERT_POOLS(.tcbs = 0);
}

/* Data (and FIN) on the cookie ACK are taken; the connection carries data
 * both ways and closes cleanly. */
SCRIPT(cookie_connection_data_and_close)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT(SYN);
	EXPECT(SYNACK);
	INJECT("< P. 1:6(5) ack 1 win 8192 'hello'");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 6");
	ACCEPT();
	RECV_EXPECT("hello");
	SEND("world");
	EXPECT("> P. 1:6(5) ack 6 'world'");
	INJECT("< . 6:6(0) ack 6 win 8192");
	INJECT("< F. 6:6(0) ack 6 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 6:6(0) ack 7");
	RECV_EOF();
	CLOSE();
	EXPECT("> F. 6:6(0) ack 7");
	INJECT("< . 7:7(0) ack 7 win 8192");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 0, .syn_queue = 0, .time_wait = 0);
	ASSERT_COUNTER(syncookies_recv, 1);
	ASSERT_COUNTER(estab_resets, 0);
}

SCRIPT(cookie_ack_with_fin)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT(SYN);
	EXPECT(SYNACK);
	INJECT("< F. 1:1(0) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 2");
	ACCEPT();
	ASSERT_STATE(TCP_CLOSE_WAIT);
	RECV_EOF();
	CLOSE();
	EXPECT("> F. 1:1(0) ack 2");
	INJECT("< . 2:2(0) ack 2 win 8192");
	ASSERT_POOLS(.tcbs = 0);
}

/* Accept queue full: a SYN is dropped even though a cookie could answer
 * it (Linux checks sk_acceptq_is_full after the cookie decision), and a
 * valid cookie ACK is dropped silently (ListenOverflows), without RST even
 * under tcp_abort_on_overflow, which Linux applies only to SYN-queue
 * entries; the peer's retransmitted ACK gets in after an accept(). */
SCRIPT(cookie_accept_queue_full)
{
	SYSCTL(tcp_abort_on_overflow, 1);
	LISTEN(7, 0);            /* SYN queue bound 0: cookies; accept queue fits 1 */
	CONN(0); INJECT(SYN); EXPECT(SYNACK);
	CONN(1); INJECT(SYN); EXPECT(SYNACK);
	ASSERT_COUNTER(syncookies_sent, 2);
	CONN(0); INJECT(ACK1); EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 1);
	CONN(2); INJECT(SYN); EXPECT_NONE();
	ASSERT_COUNTER(syncookies_sent, 2);
	ASSERT_COUNTER(listen_overflows, 1);
	ASSERT_COUNTER(listen_drops, 1);
	CONN(1); INJECT(ACK1); EXPECT_NONE();
	ASSERT_COUNTER(syncookies_recv, 2);
	ASSERT_COUNTER(listen_overflows, 2);
	ASSERT_COUNTER(listen_drops, 2);
	ASSERT_COUNTER(out_rsts, 0);
	ASSERT_POOLS(.tcbs = 1);
	CONN(0); ACCEPT();
	CONN(1); INJECT(ACK1); EXPECT_NONE(); ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_COUNTER(syncookies_recv, 3);
}

/* A SYN-ACK at a listener is never taken for a cookie. */
SCRIPT(cookie_synack_at_listener_rst)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT(SYN); EXPECT(SYNACK);
	INJECT("< S. 0:0(0) ack 1 win 8192");
	EXPECT("> R 1:1(0)");
	ASSERT_COUNTER(syncookies_failed, 0);
	ASSERT_POOLS(.tcbs = 0);
}
