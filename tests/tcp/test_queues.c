/* Bounded SYN and accept queues (Linux tcp_conn_request, tcp_check_req):
 * a full SYN queue (cookies off) drops new SYNs silently and counts them;
 * a full accept queue drops the final ACK (or RSTs with
 * tcp_abort_on_overflow), keeping the half-open entry. */
#include "harness.h"

#define SYN "< S 0:0(0) win 8192 <mss 1460>"
#define SYNACK "> S. 0:0(0) ack 1 win 2048 <mss 1460>"

/* Per listener the SYN queue holds `backlog` entries (Linux
 * inet_csk_reqsk_queue_is_full: qlen >= sk_max_ack_backlog). */
SCRIPT(synq_full_per_listener_drops_syn)
{
	SYSCTL(tcp_syncookies, 0);
	LISTEN(7, 2);
	CONN(0); INJECT(SYN); EXPECT(SYNACK);
	CONN(1); INJECT(SYN); EXPECT(SYNACK);
	CONN(2); INJECT(SYN);
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 2, .tcbs = 0);
	ASSERT_COUNTER(listen_drops, 1);
	ASSERT_COUNTER(req_q_full_drop, 1);
	ASSERT_COUNTER(out_rsts, 0);
	ASSERT_COUNTER(syncookies_sent, 0);
	/* a retransmitted SYN for an existing entry still gets its SYN-ACK */
	CONN(0); INJECT(SYN); EXPECT(SYNACK);
	/* completing one frees a slot */
	INJECT("< . 1:1(0) ack 1 win 8192");
	ASSERT_POOLS(.syn_queue = 1, .tcbs = 1);
	CONN(2); INJECT(SYN); EXPECT(SYNACK);
	ASSERT_POOLS(.syn_queue = 2, .tcbs = 1);
}

/* tcp_max_syn_backlog bounds the SYN queue of all listeners together
 * (keel's meaning, tcp_sysctl.h; Linux only uses it to start dropping
 * unproven peers early).  TCBs are untouched by the flood. */
SCRIPT(synq_full_global_bound)
{
	SYSCTL(tcp_syncookies, 0);
	SYSCTL(tcp_max_syn_backlog, 3);
	LISTEN(7, 10);
	for (int i = 0; i < 3; i++) {
		CONN(i);
		INJECT(SYN);
		EXPECT(SYNACK);
	}
	for (int i = 3; i < 8; i++) {
		CONN(i);
		INJECT(SYN);
		EXPECT_NONE();
	}
	ASSERT_POOLS(.syn_queue = 3, .tcbs = 0);
	ASSERT_COUNTER(listen_drops, 5);
	ASSERT_TRUE(tcp_get_mib(K)->req_q_full_drop >= 1);
	ASSERT_STATE_COUNT(TCP_SYN_RECEIVED, 3);
	ASSERT_STATE_COUNT(TCP_ESTABLISHED, 0);
}

/* A SYN flood bigger than the whole SYN pool: nothing breaks, no TCB used,
 * and after the entries time out (63 s) a real client gets in. */
SCRIPT(synq_flood_then_recover)
{
	SYSCTL(tcp_syncookies, 0);
	LISTEN(7, 1000);
	IGNORE_OUTPUT(1);   /* the SYN-ACKs themselves are not the point here */
	for (int i = 0; i < KEEL_SYN_BACKLOG + 10; i++) {
		CONN(0);
		PEER_PORT((uint16_t)(20000 + i));
		INJECT(SYN);
	}
	ASSERT_POOLS(.tcbs = 0);
	ASSERT_TRUE(tcp_get_mib(K)->listen_drops >= 10);
	ADVANCE_MS(63000);
	IGNORE_OUTPUT(0);
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 0);
	CONN(1);
	INJECT(SYN);
	EXPECT(SYNACK);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
}

/* Accept queue: backlog + 1 connections fit (Linux sk_acceptq_is_full uses
 * '>').  With backlog 2: conns 0..2 fill it; conn 3's final ACK is
 * dropped (ListenOverflows, ListenDrops), its half-open entry stays and its
 * SYN-ACK is retransmitted; after one accept() the peer's ACK gets in. */
SCRIPT(acceptq_full_final_ack_dropped)
{
	LISTEN(7, 2);
	CONN(0); INJECT(SYN); EXPECT(SYNACK); INJECT("< . 1:1(0) ack 1 win 8192");
	CONN(1); INJECT(SYN); EXPECT(SYNACK); INJECT("< . 1:1(0) ack 1 win 8192");
	/* two in the accept queue (not full: 2 > 2 is false) */
	CONN(2); INJECT(SYN); EXPECT(SYNACK);
	CONN(3); INJECT(SYN); EXPECT(SYNACK);
	CONN(2); INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 3, .syn_queue = 1);
	/* accept queue now holds 3 = backlog + 1: full */
	CONN(3); INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT_NONE();   /* dropped silently */
	ASSERT_COUNTER(listen_overflows, 1);
	ASSERT_COUNTER(listen_drops, 1);
	ASSERT_POOLS(.tcbs = 3, .syn_queue = 1);
	ASSERT_STATE_COUNT(TCP_SYN_RECEIVED, 1);
	/* the half-open entry retransmits its SYN-ACK on its own schedule */
	ADVANCE_MS(999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	EXPECT(SYNACK);
	/* the app accepts one; the peer's retransmitted ACK now completes */
	CONN(0); ACCEPT();
	CONN(3); INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = 4, .syn_queue = 0);
	ASSERT_COUNTER(listen_overflows, 1);
	CONN(1); ACCEPT();
	CONN(2); ACCEPT();
	CONN(3); ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
	CONN(4); ACCEPT_NONE();
}

/* With the accept queue full, new SYNs are dropped too (Linux
 * tcp_conn_request: sk_acceptq_is_full -> ListenOverflows, drop).
 * backlog 1: two connections fit. */
SCRIPT(acceptq_full_new_syn_dropped)
{
	LISTEN(7, 1);
	CONN(0); INJECT(SYN); EXPECT(SYNACK); INJECT("< . 1:1(0) ack 1 win 8192");
	CONN(1); INJECT(SYN); EXPECT(SYNACK); INJECT("< . 1:1(0) ack 1 win 8192");
	ASSERT_POOLS(.tcbs = 2, .syn_queue = 0);
	CONN(2); INJECT(SYN);
	EXPECT_NONE();
	ASSERT_POOLS(.syn_queue = 0, .tcbs = 2);
	ASSERT_COUNTER(listen_overflows, 1);
	ASSERT_COUNTER(listen_drops, 1);
	ASSERT_COUNTER(out_rsts, 0);
	CONN(0); ACCEPT();
	CONN(2); INJECT(SYN); EXPECT(SYNACK);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
}

/* tcp_abort_on_overflow = 1: the final ACK that finds the accept queue
 * full is answered with RST (seq = SEG.ACK, Linux tcp_check_req
 * embryonic_reset -> tcp_v4_send_reset) and the half-open entry is gone. */
SCRIPT(acceptq_full_abort_on_overflow)
{
	SYSCTL(tcp_abort_on_overflow, 1);
	LISTEN(7, 2);
	CONN(0); INJECT(SYN); EXPECT(SYNACK); INJECT("< . 1:1(0) ack 1 win 8192");
	CONN(1); INJECT(SYN); EXPECT(SYNACK); INJECT("< . 1:1(0) ack 1 win 8192");
	CONN(2); INJECT(SYN); EXPECT(SYNACK);
	CONN(3); INJECT(SYN); EXPECT(SYNACK);
	CONN(2); INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT_NONE();
	CONN(3); INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT("> R 1:1(0)");
	EXPECT_NONE();
	ASSERT_COUNTER(listen_overflows, 1);
	ASSERT_POOLS(.tcbs = 3, .syn_queue = 0);
	ADVANCE_MS(2000);
	EXPECT_NONE();   /* no SYN-ACK retransmit: the entry is gone */
}

/* Running out of TCBs is a full accept queue by another name: with every
 * TCB in use, the final ACK of a handshake is dropped (ListenDrops, as
 * Linux counts a failed tcp_v4_syn_recv_sock), the half-open entry stays
 * and retransmits its SYN-ACK; once a TCB is free the peer's next ACK
 * completes the connection. */
SCRIPT(tcb_pool_full_final_ack_dropped)
{
	LISTEN(7, KEEL_TCP_MAX_CONN + 4);
	for (int i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		CONN(i);
		ESTABLISH();
	}
	CONN(KEEL_TCP_MAX_CONN); INJECT(SYN); EXPECT(SYNACK);
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = KEEL_TCP_MAX_CONN, .syn_queue = 1);
	ASSERT_COUNTER(listen_drops, 1);
	ASSERT_COUNTER(out_rsts, 0);
	ADVANCE_MS(1000);
	EXPECT(SYNACK);                 /* the entry lives on its schedule */
	CONN(0); CALL_EXPECT(tcp_abort(K, H), KEEL_OK);
	EXPECT("> R. 1:1(0) ack 1");
	CONN(KEEL_TCP_MAX_CONN); INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = KEEL_TCP_MAX_CONN, .syn_queue = 0);
	ACCEPT();
	ASSERT_STATE(TCP_ESTABLISHED);
	NO_FINAL_CHECK();
}

/* ... and with tcp_abort_on_overflow the final ACK is answered with RST
 * and the half-open entry goes. */
SCRIPT(tcb_pool_full_abort_on_overflow)
{
	SYSCTL(tcp_abort_on_overflow, 1);
	LISTEN(7, KEEL_TCP_MAX_CONN + 4);
	for (int i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		CONN(i);
		ESTABLISH();
	}
	CONN(KEEL_TCP_MAX_CONN); INJECT(SYN); EXPECT(SYNACK);
	INJECT("< . 1:1(0) ack 1 win 8192");
	EXPECT("> R 1:1(0)");
	EXPECT_NONE();
	ASSERT_POOLS(.tcbs = KEEL_TCP_MAX_CONN, .syn_queue = 0);
	ASSERT_COUNTER(listen_drops, 1);
	ADVANCE_MS(2000);
	EXPECT_NONE();                  /* no SYN-ACK retransmit: the entry is gone */
	NO_FINAL_CHECK();
}
