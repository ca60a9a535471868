/* The shared chunk pool under TCP (stack/tcp/tcp_mem.c, tcp_rcv.c): an idle
 * connection holds nothing; a dry pool drops and counts, never loses a
 * byte end to end and never pulls a right edge back (RFC 9293 §3.8.6);
 * one greedy connection cannot starve the others of their minimum;
 * pressure comes and goes with tcp_mem and prunes out-of-order data
 * first; a connection that keeps up grows its windows to tcp_rmem max.
 * Every step also checks that the chunks in use are exactly those the
 * TCBs hold (harness invariant). */
#include <stdio.h>
#include "harness.h"
#include "tcp_internal.h"

#define SET3(knob, a, b, c) \
	do { K->tcp.sysctl.knob[0] = (a); K->tcp.sysctl.knob[1] = (b); K->tcp.sysctl.knob[2] = (c); } while (0)
#define POOL_USED() ((unsigned)K->tcp.chunks.in_use)

/* The right edge (ACK + window) each connection advertised last. */
struct edges {
	uint32_t edge[TH_MAX_CONNS];
	uint32_t ack[TH_MAX_CONNS];
	int known[TH_MAX_CONNS];
};

/* Takes every queued device segment of the current connection: the right
 * edge it advertises never moves left. */
static void drain(struct th *t, struct edges *e)
{
	struct th_seginfo a;
	while (t->qlen) {
		NEXT_SEGMENT(0, &a);
		uint32_t edge = a.ack + a.win;
		if (e->known[t->cur])
			ASSERT_TRUE((int32_t)(edge - e->edge[t->cur]) >= 0);
		e->edge[t->cur] = edge;
		e->ack[t->cur] = a.ack;
		e->known[t->cur] = 1;
	}
}

/* The peer sends its stream's bytes [from, to) in full-sized segments;
 * the device's ACKs (delayed ones too) are drained. */
static void peer_data(struct th *t, struct edges *e, uint32_t from, uint32_t to)
{
	char spec[96];
	while (from < to) {
		uint32_t n = to - from < 1460u ? to - from : 1460u;
		snprintf(spec, sizeof(spec), "< P. %u:%u(%u) ack 1 win 8192", from, from + n, n);
		INJECT(spec);
		drain(t, e);
		from += n;
	}
	ADVANCE_MS(KEEL_TCP_DELACK_MS);
	drain(t, e);
}

/* The application reads everything the device acknowledged. */
static void app_reads_all(struct th *t, struct edges *e)
{
	uint32_t have = e->ack[t->cur] - 1u - CUR->recv_off;
	if (have > 0)
		RECV_EXPECT_N(have);
	drain(t, e);
}

static const struct tcp_tcb *cur_tcb(struct th *t)
{
	return tcb_from_handle(K, H);
}

static unsigned cur_chunks(struct th *t)
{
	const struct tcp_tcb *tb = cur_tcb(t);
	return chunkq_chunks(tcb_sndq(K, tb)) + chunkq_chunks(tcb_rcvq(K, tb));
}

/* rounds of: the peer fills the window offered, the application reads
 * it all; returns the peer's next sequence number (from at). */
static uint32_t receive_rounds(struct th *t, struct edges *e, uint32_t at, int rounds)
{
	for (int round = 0; round < rounds; round++) {
		uint32_t wnd = e->known[0] ? e->edge[0] - e->ack[0] : 2048;
		peer_data(t, e, at, at + wnd);
		at = e->ack[0];
		app_reads_all(t, e);
	}
	return at;
}

/* The peer (next sequence at) acknowledges all the device sent. */
static void peer_acks_all(struct th *t, uint32_t at)
{
	char ack[64];
	snprintf(ack, sizeof(ack), "< . %u:%u(0) ack %u win 65535", at, at,
		 tcb_snd_max(K, cur_tcb(t)) - DEV_ISN());
	INJECT(ack);
}

/* rounds of: the peer acknowledges all, the application writes again
 * (its writes find the budget full and the ACKs grow it). */
static void send_rounds(struct th *t, uint32_t at, int rounds)
{
	static uint8_t big[8192];
	for (int round = 0; round < rounds; round++) {
		peer_acks_all(t, at);
		(void)tcp_send(K, H, big, sizeof(big));
	}
}

/* An idle connection holds no chunk: not after the handshake, not after
 * data both ways is acknowledged and read, not after out-of-order data is
 * filled in and read.  ss -m (tcp_conn_info) says the same. */
SCRIPT(mem_idle_connection_holds_no_chunk)
{
	struct edges e = {0};
	LISTEN(7, 5);
	ESTABLISH();
	ASSERT_TRUE(POOL_USED() == 0 && cur_chunks(t) == 0);
	peer_data(t, &e, 1, 101);
	ASSERT_TRUE(cur_chunks(t) == 1);                  /* 100 bytes: one chunk */
	app_reads_all(t, &e);
	ASSERT_TRUE(cur_chunks(t) == 0);
	SEND_N(600);
	EXPECT("> P. 1:601(600) ack 101");
	ASSERT_TRUE(cur_chunks(t) == 3);                  /* held until acknowledged */
	INJECT("< . 101:101(0) ack 601 win 8192");
	ASSERT_TRUE(cur_chunks(t) == 0);
	INJECT("< P. 301:401(100) ack 601 win 8192");    /* out of order */
	EXPECT("> . 601:601(0) ack 101");
	ASSERT_TRUE(cur_chunks(t) == 2);                  /* the gap is covered too */
	INJECT("< P. 101:301(200) ack 601 win 8192");
	EXPECT("> . 601:601(0) ack 401");
	RECV_EXPECT_N(300);
	ASSERT_TRUE(cur_chunks(t) == 0 && POOL_USED() == 0);
	struct tcp_conn_info ci;
	unsigned slot = KEEL_TCP_MAX_LISTEN + (unsigned)(cur_tcb(t) - K->tcp.tcbs);
	ASSERT_TRUE(keel_tcp_conn_info(K, slot, &ci) == 0 && ci.kind == TCP_CONN_TCB);
	ASSERT_TRUE(ci.rmem_alloc == 0 && ci.wmem_queued == 0 && ci.rcvbuf == KEEL_TCP_RCVBUF);
}

/* Two connections were each promised 2048 bytes; the pool holds 8 chunks
 * (2048 bytes) in all.  What finds no chunk is dropped and counted
 * (TCPRcvQDrop, ss -m "d"); while the pool is dry no right edge moves
 * (the window closes as the promised bytes arrive, never by pulling the
 * edge back); once the applications read, the windows reopen, and with
 * the peers resending from the ACK every byte arrives, in order. */
SCRIPT(mem_pool_dry_drops_counted_nothing_lost)
{
	struct edges e = {0};
	LISTEN(7, 5);
	SET3(tcp_mem, 4, 6, 8);
	SET3(tcp_rmem, 256, 2048, 2048);
	CONN(0);
	ESTABLISH();
	CONN(1);
	ESTABLISH();
	CONN(0);
	/* 1460 bytes take 6 chunks; of the next 588 only the 76 that fit
	 * the last chunk's room are kept (pressure, over the fair share) */
	peer_data(t, &e, 1, 2049);
	ASSERT_TRUE(e.ack[0] == 1537 && e.edge[0] == 2049);
	ASSERT_COUNTER(rcvq_drop, 1);
	ASSERT_COUNTER(mem_pressures, 1);
	ASSERT_TRUE(K->tcp.mem_pressure == 1);
	CONN(1);
	peer_data(t, &e, 1, 1001);                         /* 2 chunks left: 512 kept */
	ASSERT_TRUE(e.ack[1] == 513);
	ASSERT_TRUE(POOL_USED() == 8);                    /* dry */
	ASSERT_COUNTER(rcvq_drop, 2);
	uint32_t edge0 = e.edge[0], edge1 = e.edge[1];
	peer_data(t, &e, 513, 1001);                       /* resent: dropped again */
	ASSERT_TRUE(e.ack[1] == 513 && e.edge[1] == edge1);
	ASSERT_COUNTER(rcvq_drop, 3);
	ASSERT_TRUE(cur_tcb(t)->rcv_drops == 2);
	CONN(0);
	peer_data(t, &e, 1537, 2049);
	ASSERT_TRUE(e.ack[0] == 1537 && e.edge[0] == edge0);
	/* The applications read; the peers resend from the ACK; bounded. */
	for (int round = 0; round < 20 && (e.ack[0] != 2049 || e.ack[1] != 1001); round++) {
		CONN(0);
		app_reads_all(t, &e);
		peer_data(t, &e, e.ack[0], 2049);
		CONN(1);
		app_reads_all(t, &e);
		peer_data(t, &e, e.ack[1], 1001);
	}
	CONN(0);
	ASSERT_TRUE(e.ack[0] == 2049);
	app_reads_all(t, &e);
	CONN(1);
	ASSERT_TRUE(e.ack[1] == 1001);
	app_reads_all(t, &e);
	ASSERT_TRUE(POOL_USED() == 0);
	ASSERT_TRUE(K->tcp.mem_pressure == 0);
	/* Both windows are open again: a full buffer each. */
	CONN(0);
	ASSERT_TRUE(e.edge[0] - e.ack[0] >= 1024);
	CONN(1);
	ASSERT_TRUE(e.edge[1] - e.ack[1] >= 1024);
}

/* One greedy connection with a 16 KiB buffer and an application that
 * does not read fills the pool up to the pressure mark, no further (its
 * fair share, high / connections, is far below what it holds); three
 * small connections that come later each still get their minimum
 * (tcp_rmem[0] = 1024 bytes) in full, without a drop. */
SCRIPT(mem_greedy_cannot_starve_the_minimum)
{
	struct edges e = {0};
	const unsigned high = CHUNK_COUNT, pressure = CHUNK_COUNT * 3u / 4u;
	LISTEN(7, 5);
	SET3(tcp_mem, CHUNK_COUNT / 2u, pressure, high);
	SET3(tcp_rmem, 1024, 16384, 16384);
	CONN(0);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 16384 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	SET3(tcp_rmem, 1024, 2048, 2048);              /* the small ones */
	for (int i = 1; i <= 3; i++) {
		CONN(i);
		ESTABLISH();
	}
	CONN(0);
	peer_data(t, &e, 1, 16385);
	ASSERT_TRUE(POOL_USED() == pressure);             /* greedy stopped there */
	ASSERT_TRUE(e.ack[0] == 1 + pressure * CHUNK_SIZE);
	ASSERT_TRUE(K->tcp.mem_pressure == 1);
	uint32_t drops = K->tcp.mib.rcvq_drop;
	ASSERT_TRUE(drops > 0);
	for (int i = 1; i <= 3; i++) {
		CONN(i);
		peer_data(t, &e, 1, 1025);
		ASSERT_TRUE(e.ack[i] == 1025);               /* its minimum, all of it */
	}
	ASSERT_TRUE(K->tcp.mib.rcvq_drop == drops);
	/* greedy still cannot grow: its resend is dropped */
	CONN(0);
	peer_data(t, &e, e.ack[0], e.ack[0] + 1000);
	ASSERT_TRUE(e.ack[0] == 1 + pressure * CHUNK_SIZE);
	ASSERT_TRUE(K->tcp.mib.rcvq_drop > drops);
	for (int i = 0; i <= 3; i++) {
		CONN(i);
		app_reads_all(t, &e);
	}
	ASSERT_TRUE(POOL_USED() == 0);
}

/* Pressure starts when the pool reaches tcp_mem[1] (TCPMemoryPressures)
 * and ends below tcp_mem[0].  In-order data that finds no chunk under
 * pressure first drops the connection's out-of-order bytes (PruneCalled,
 * OfoPruned, as Linux's tcp_prune_ofo_queue); out-of-order data that
 * finds none is dropped (TCPOFODrop). */
SCRIPT(mem_pressure_and_ofo_pruning)
{
	struct edges e = {0};
	LISTEN(7, 5);
	SET3(tcp_mem, 2, 3, 8);
	SET3(tcp_rmem, 256, 2048, 2048);
	CONN(1);
	ESTABLISH();                                      /* a second connection: fair share 4 */
	CONN(0);
	ESTABLISH();
	INJECT("< P. 513:769(256) ack 1 win 8192");      /* out of order: 3 chunks */
	drain(t, &e);
	ASSERT_COUNTER(ofo_queue, 1);
	ASSERT_TRUE(POOL_USED() == 3 && K->tcp.mem_pressure == 1);
	ASSERT_TRUE(K->tcp.flight.in_use == 1);            /* the bytes' queue is in a data entry */
	ASSERT_COUNTER(mem_pressures, 1);
	INJECT("< P. 1537:1793(256) ack 1 win 8192");    /* beyond: 4 more chunks, none */
	drain(t, &e);
	ASSERT_COUNTER(ofo_drop, 1);
	ASSERT_COUNTER(prune_called, 1);                  /* tried; nothing to prune below it */
	ASSERT_COUNTER(ofo_pruned, 0);
	ASSERT_TRUE(POOL_USED() == 3);
	/* In order, 1460 bytes: 6 chunks wanted, 1 allowed: prune first */
	INJECT("< P. 1:1461(1460) ack 1 win 8192");
	drain(t, &e);
	ASSERT_COUNTER(prune_called, 2);
	ASSERT_COUNTER(ofo_pruned, 1);
	ASSERT_TRUE(cur_tcb(t)->ext == TCP_NONE || K->tcp.ext.e[cur_tcb(t)->ext].nooo == 0);
	/* the prune freed everything: pressure ended (0 < tcp_mem[0]), then
	 * the segment took up to tcp_mem[1] again and started it anew */
	ASSERT_TRUE(e.ack[0] == 1 + 3 * CHUNK_SIZE);
	ASSERT_COUNTER(mem_pressures, 2);
	ASSERT_COUNTER(rcvq_drop, 1);
	app_reads_all(t, &e);
	ASSERT_TRUE(POOL_USED() == 0 && K->tcp.mem_pressure == 0);
	ASSERT_TRUE(K->tcp.flight.in_use == 0);            /* pruned and read: given back */
	/* the rest arrives when resent */
	for (int round = 0; round < 10 && e.ack[0] != 1793; round++) {
		peer_data(t, &e, e.ack[0], 1793);
		app_reads_all(t, &e);
	}
	ASSERT_TRUE(e.ack[0] == 1793 && POOL_USED() == 0);
}

/* A window advertised before pressure is honoured after it: the right
 * edge stays where it was although the connection's budget is now its
 * minimum (RFC 9293 §3.8.6: the window may shrink only by data arriving). */
SCRIPT(mem_right_edge_never_moves_left_under_pressure)
{
	struct edges e = {0};
	LISTEN(7, 5);
	SET3(tcp_mem, 2, 8, 16);
	SET3(tcp_rmem, 256, 2048, 2048);
	CONN(0);
	ESTABLISH();                                      /* right edge 2049 */
	CONN(1);
	ESTABLISH();
	peer_data(t, &e, 1, 2049);                        /* 8 chunks: pressure */
	ASSERT_TRUE(K->tcp.mem_pressure == 1);
	CONN(0);
	INJECT("< P. 1:101(100) ack 1 win 8192");
	ADVANCE_MS(KEEL_TCP_DELACK_MS);
	EXPECT("> . 1:1(0) ack 101 win 1948");            /* not 256 - 100 */
	RECV_EXPECT_N(100);
	EXPECT_NONE();              /* under pressure: the window does not grow */
	CONN(1);
	app_reads_all(t, &e);                             /* pressure ends */
	ASSERT_TRUE(K->tcp.mem_pressure == 0);
	CONN(0);
	INJECT("< P. 101:1125(1024) ack 1 win 8192");
	ADVANCE_MS(KEEL_TCP_DELACK_MS);
	EXPECT("> . 1:1(0) ack 1125 win 924");            /* the old edge, 2049 */
	RECV_EXPECT_N(1024);
	EXPECT("> . 1:1(0) ack 1125 win 2048");           /* and now it moves on */
}

/* A connection whose application keeps up grows its receive buffer each
 * time the peer fills the window, up to tcp_rmem[2]; the send buffer
 * grows to tcp_wmem[2] while the application writes faster than the
 * peer acknowledges. */
SCRIPT(mem_windows_grow_to_the_max)
{
	struct edges e = {0};
	LISTEN(7, 5);
	SET3(tcp_rmem, 1024, 2048, 7680);
	SET3(tcp_wmem, 1024, 2048, 7680);
	ESTABLISH();
	uint32_t at = 1;
	at = receive_rounds(t, &e, at, 12);
	/* the budget reached the max; the window offered is a whole
	 * number of segments (tcp_rcv.c rcv_whole_segments): 5 x 1460 */
	ASSERT_TRUE(e.edge[0] - e.ack[0] == 7300);
	ASSERT_TRUE(cur_tcb(t)->rcv_budget == 7680);
	ASSERT_TRUE(POOL_USED() == 0);
	/* send side: the writes find the budget full, the ACKs grow it */
	static uint8_t big[8192];
	int n = tcp_send(K, H, big, sizeof(big));
	ASSERT_TRUE(n == 2048);
	IGNORE_OUTPUT(1);
	send_rounds(t, at, 8);
	ASSERT_TRUE(cur_tcb(t)->snd_budget == 7680);
	ASSERT_TRUE(tcb_sndq(K, cur_tcb(t))->len > 2048);          /* the writes used the grown budget */
	IGNORE_OUTPUT(0);
	NO_FINAL_CHECK();
}

/* tcp_rmem max by default is not half the arena (config.h): a
 * connection that only receives grows its receive budget to the arena
 * less its send budget and the straddle, and its window beyond half the
 * arena as far as the pool allows below tcp_mem[1] (tcp_mem.c). */
SCRIPT(mem_rcv_grows_beyond_half_the_arena)
{
	struct edges e = {0};
	LISTEN(7, 5);
	ESTABLISH();
	ASSERT_TRUE(K->tcp.sysctl.tcp_rmem[2] == KEEL_TCP_RMEM_MAX);
	ASSERT_TRUE(KEEL_TCP_RMEM_MAX == KEEL_CHUNK_ARENA - 4 * KEEL_CHUNK_SIZE - KEEL_TCP_SNDBUF);
	uint32_t at = 1;
	at = receive_rounds(t, &e, at, 12);
	ASSERT_TRUE(cur_tcb(t)->rcv_budget == KEEL_TCP_RMEM_MAX);
	ASSERT_TRUE(e.edge[0] - e.ack[0] > KEEL_TCP_BUF_MAX);
	ASSERT_TRUE(e.edge[0] - e.ack[0] == K->tcp.sysctl.tcp_mem[1] * KEEL_CHUNK_SIZE / 1460u * 1460u);
	ASSERT_TRUE(POOL_USED() == 0);
	NO_FINAL_CHECK();
}

/* One connection's two budgets fit the arena together (tcp_mem.c): once
 * its send budget has grown, its receive budget grows only into what the
 * send budget leaves, even with tcp_rmem max set higher. */
SCRIPT(mem_budgets_share_the_arena)
{
	struct edges e = {0};
	LISTEN(7, 5);
	SET3(tcp_wmem, 1024, 2048, 7680);
	ESTABLISH();
	static uint8_t big[8192];
	uint32_t at = 1;
	ASSERT_TRUE(tcp_send(K, H, big, sizeof(big)) == 2048);
	IGNORE_OUTPUT(1);
	send_rounds(t, at, 8);
	ASSERT_TRUE(cur_tcb(t)->snd_budget == 7680);
	peer_acks_all(t, at);                            /* all sent is acknowledged */
	IGNORE_OUTPUT(0);
	SET3(tcp_rmem, 1024, 2048, 65535);
	at = receive_rounds(t, &e, at, 12);
	ASSERT_TRUE(cur_tcb(t)->rcv_budget == KEEL_CHUNK_ARENA - 4 * KEEL_CHUNK_SIZE - 7680);
	NO_FINAL_CHECK();
}

/* Receive autotuning by the clock (Linux tcp_rcv_space_adjust): a peer
 * that sends less than the window at a time to an application that
 * reads each segment at once never fills the window (it reopens first),
 * yet the window is the limit: 3/4 of the budget read within one RTT
 * (50 ms here) doubles the budget. */
SCRIPT(mem_rcv_budget_grows_by_rate_per_rtt)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	ADVANCE_MS(50);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	ASSERT_TRUE(cur_tcb(t)->srtt8 >> 3 == 50);
	IGNORE_OUTPUT(1);
	uint32_t at = 1;
	char seg[80];
	ASSERT_TRUE(cur_tcb(t)->rcv_budget == 2048);
	/* Half the window (Linux bounds its MSS so) every 10 ms, each read
	 * at once, which reopens the window (SWS allows a step of 1024):
	 * never within an SWS step of the edge; 5120 bytes per RTT. */
	for (int i = 0; i < 6; i++, at += 1024) {
		snprintf(seg, sizeof seg, "< P. %u:%u(1024) ack 1 win 8192", at, at + 1024);
		INJECT(seg);
		ASSERT_TRUE(!(cur_tcb(t)->mflags & TCB_M_RWND_FULL));
		RECV_EXPECT_N(1024);
		ADVANCE_MS(10);
	}
	ASSERT_TRUE(cur_tcb(t)->rcv_budget == 4096);
	IGNORE_OUTPUT(0);
	NO_FINAL_CHECK();
}

/* tcp_rmem's default is a new connection's window (SYN-ACK); tcp_wmem's
 * is how much one write queues. */
SCRIPT(mem_sysctl_defaults_apply_to_new_connections)
{
	LISTEN(7, 5);
	SET3(tcp_rmem, 1024, 4096, 7680);
	SET3(tcp_wmem, 1024, 3000, 7680);
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 4096 <mss 1460>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	static uint8_t big[5000];
	CALL_EXPECT(tcp_send(K, H, big, sizeof(big)), 3000);
	EXPECT("> . 1:1461(1460) ack 1");
	EXPECT("> . 1461:2921(1460) ack 1");
	EXPECT("> P. 2921:3001(80) ack 1");
	INJECT("< . 1:1(0) ack 3001 win 8192");
}

/* Without window scaling, a window of 4 segments or more is offered as
 * a whole number of segments (tcp_rcv.c rcv_whole_segments, as Linux's
 * __tcp_select_window): 8192 bytes free is 5 x 1460 = 7300, not 5
 * segments and a 892-byte one each round trip. */
SCRIPT(mem_rcv_window_whole_segments)
{
	LISTEN(7, 5);
	K->tcp.sysctl.tcp_rmem[1] = 8192;
	INJECT("< S 0:0(0) win 8192 <mss 1460>");
	EXPECT("> S. 0:0(0) ack 1 win 8192 <mss 1460>");  /* the SYN queue's offer */
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	INJECT("< . 1:1461(1460) ack 1 win 8192");
	INJECT("< . 1461:2921(1460) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 2921 win 5272");        /* below 4 segments: as is */
	RECV_EXPECT_N(2920);
	EXPECT("> . 1:1(0) ack 2921 win 7300");        /* 8192 free: 5 x 1460 */
	NO_FINAL_CHECK();
}
