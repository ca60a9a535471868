/* keel's own window scale (RFC 7323 §2), with a 1 MiB chunk arena and no
 * per-connection cap below it (KEEL_TCP_BUF_LIMIT: the arena; 32-bit
 * queue fields) (tcp_rmem max (1 MiB - 4 chunks) / 2 = 523776: shift 3, the
 * smallest that fits it in 16 bits, as Linux's tcp_select_initial_window):
 * offered only when the peer's SYN offered the option and the knob
 * allows; never applied to a SYN's window; the windows we send scaled
 * with a right edge that never moves left; a window beyond 64 KiB used,
 * out-of-order data and SACK blocks beyond 64 KiB; ss -i's wscale. */
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "tcp_internal.h"

#define OUR_SHIFT 3u

/* This build is the one that keeps the 32-bit queue fields compiled and
 * tested (the boards' are 16 bits, chunkq.h). */
_Static_assert(sizeof(qlen_t) == 4, "a per-connection limit beyond 64 KiB: 32-bit qlen_t");
_Static_assert(sizeof(struct tcp_tcb) <= 164u, "struct tcp_tcb with 32-bit queue fields");

/* RECV_EXPECT_N in pieces the harness's buffer takes. */
static void recv_pattern(struct th *t, uint32_t n)
{
	for (uint32_t piece; n > 0; n -= piece) {
		piece = n < 32768u ? n : 32768u;
		RECV_EXPECT_N(piece);
	}
}

static struct tcp_tcb *tcb(struct th *t)
{
	return &K->tcp.tcbs[tcp_handle_slot(H)];
}

/* The peer's data segment [start, start + len) (relative), pattern bytes. */
static void inject_data(struct th *t, uint32_t start, uint32_t len, const char *extra)
{
	char s[160];
	snprintf(s, sizeof s, "< . %u:%u(%u) ack 1 win 8192%s", (unsigned)start, (unsigned)(start + len),
		 (unsigned)len, extra ? extra : "");
	INJECT(s);
}

/* Window scale and SACK (no timestamps: whole 1460-byte segments), the
 * peer's shift 7; a receive buffer of rcvbuf bytes from the start. */
static void establish_ws(struct th *t, uint32_t rcvbuf)
{
	K->tcp.sysctl.tcp_rmem[1] = rcvbuf;
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,sackOK,nop,wscale 7>");
	char s[120];
	/* The SYN-ACK's window is never scaled (RFC 7323 §2.2): at most 65535. */
	snprintf(s, sizeof s, "> S. 0:0(0) ack 1 win %u <mss 1460,nop,nop,sackOK,nop,wscale 3>",
		 (unsigned)(rcvbuf < 65535u ? rcvbuf : 65535u));
	EXPECT(s);
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
}

SCRIPT(wscale_offered_when_rmem_max_beyond_64k)
{
	ASSERT_TRUE(K->tcp.sysctl.tcp_rmem[2] == 523776u);
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 3>");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	/* ss -i: wscale:<the peer's>,<ours> */
	struct tcp_conn_info ci = th_conn_info(t);
	ASSERT_TRUE(ci.opts & TCP_CONN_OPT_WSCALE);
	ASSERT_TRUE(ci.snd_wscale == 7 && ci.rcv_wscale == OUR_SHIFT);
	/* The first window after the handshake is in units of 8. */
	inject_data(t, 1, 100, " <nop,nop,TS val 102 ecr 0>");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 101 win 244");   /* (2048 - 100) rounded up: 1952 / 8 */
	RECV_EXPECT_N(100);
}

/* Our SYN offers the shift too (the SYN's own window unscaled); a peer
 * that does not answer with the option gets unscaled windows. */
SCRIPT(wscale_our_syn_offers_it)
{
	CONNECT(80);
	EXPECT("> S 0:0(0) win 2048 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>");
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460,nop,wscale 2>");
	EXPECT("> . 1:1(0) ack 1 win 256");    /* 2048 >> 3 */
	struct tcp_conn_info ci = th_conn_info(t);
	ASSERT_TRUE(ci.snd_wscale == 2 && ci.rcv_wscale == OUR_SHIFT);
}

/* Not offered: the peer's SYN lacks the option, or the knob is off, or
 * tcp_rmem max fits 16 bits (shift 0, as Linux still offers it). */
SCRIPT(wscale_not_offered_without_the_peers)
{
	K->tcp.sysctl.tcp_rmem[1] = 100000;
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,nop,sackOK>");
	EXPECT("> S. 0:0(0) ack 1 win 65535 <mss 1460,nop,nop,sackOK>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	struct tcp_conn_info ci = th_conn_info(t);
	ASSERT_TRUE(!(ci.opts & TCP_CONN_OPT_WSCALE) && ci.rcv_wscale == 0);
	/* A buffer beyond 64 KiB, no scaling: the window field says 65535. */
	inject_data(t, 1, 1460, NULL);
	inject_data(t, 1461, 1460, NULL);
	EXPECT("> . 1:1(0) ack 2921 win 65535");
	RECV_EXPECT_N(2920);
}

SCRIPT(wscale_not_offered_when_knob_off)
{
	SYSCTL(tcp_window_scaling, 0);
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,wscale 7>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
	SYSCTL(tcp_window_scaling, 1);
	K->tcp.sysctl.tcp_rmem[2] = 65535;
	CONN(1);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,wscale 7>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,wscale 0>");
	K->tcp.sysctl.tcp_rmem[2] = 65536;
	CONN(2);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,wscale 7>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,wscale 1>");
	NO_FINAL_CHECK();
}

/* Segments whose lengths are not multiples of the unit, nothing read:
 * every window we send, times 8, keeps the right edge where it was or
 * further (RFC 7323 §2.4, RFC 9293 §3.8.6), down to a zero window; the
 * TCB's record of it is exactly what the peer was told. */
SCRIPT(wscale_right_edge_never_moves_left)
{
	establish_ws(t, 4096);
	uint32_t edge = 1u + 4096u, seq = 1;
	int zero = 0;
	for (unsigned i = 0; i < 40 && !zero; i++) {
		uint32_t room = edge - seq;
		uint32_t len = room < 333u ? room : 333u;
		if (len == 0)
			break;
		inject_data(t, seq, len, NULL);
		seq += len;
		struct th_seginfo si;
		NEXT_SEGMENT(ACK_DELAY_MAX, &si);
		ASSERT_TRUE(si.ack == seq);
		uint32_t e = si.ack + (si.win << OUR_SHIFT);
		if (e < edge)
			th_fail(t, __LINE__, "right edge moved left: %u -> %u (%s)", (unsigned)edge, (unsigned)e, si.text);
		edge = e;
		ASSERT_TRUE(tcb(t)->rcv_adv == si.win << OUR_SHIFT);
		zero = si.win == 0;
	}
	ASSERT_TRUE(seq > 4000u);     /* the whole window was used */
	RECV_EXPECT_N(seq - 1u);
}

/* After the application reads, a window update opens the window again,
 * rounded down to the unit.  The peer had filled the window, so the read
 * also doubled the buffer (tcp_mem.c): 8192 free. */
SCRIPT(wscale_window_update_in_units)
{
	establish_ws(t, 4096);
	inject_data(t, 1, 1460, NULL);
	inject_data(t, 1461, 1460, NULL);
	EXPECT("> . 1:1(0) ack 2921 win 147");     /* 4096 - 2920 = 1176 = 147 * 8 */
	RECV_EXPECT_N(2920);
	ASSERT_TRUE(tcb(t)->rcv_budget == 8192u);
	EXPECT("> . 1:1(0) ack 2921 win 1024");    /* 8192 / 8 */
}

/* A window beyond 64 KiB, used: 120 full segments (175,200 bytes) in
 * flight at once, all accepted; the ACK's window says how much is left. */
SCRIPT(wscale_window_beyond_64k_used)
{
	establish_ws(t, 262144);
	inject_data(t, 1, 1460, NULL);
	struct th_seginfo si;
	NEXT_SEGMENT(ACK_DELAY_MAX, &si);
	ASSERT_TRUE(si.ack == 1461u && (si.win << OUR_SHIFT) >= 200000u);
	uint32_t seq = 1461;
	IGNORE_OUTPUT(1);
	for (unsigned i = 0; i < 120; i++, seq += 1460u)
		inject_data(t, seq, 1460, NULL);
	IGNORE_OUTPUT(0);
	ASSERT_TRUE(tcb(t)->rcv_nxt - CUR->peer_isn == seq);
	ASSERT_TRUE(seq - 1u - 1460u > 65535u);
	ADVANCE_MS(ACK_DELAY_MAX);
	inject_data(t, seq, 1, NULL);                 /* one more: the ACK says where we are */
	NEXT_SEGMENT(ACK_DELAY_MAX, &si);
	ASSERT_TRUE(si.ack == seq + 1u);
	ASSERT_TRUE(si.win << OUR_SHIFT >= 262144u - seq - 8u && si.win << OUR_SHIFT <= 262144u - (seq - 1u));
	ASSERT_COUNTER(rcvq_drop, 0);
	recv_pattern(t, seq);
	NO_FINAL_CHECK();
}

/* Out-of-order data more than 64 KiB beyond RCV.NXT is kept, reported in
 * a SACK block there, and taken in order when the hole fills. */
SCRIPT(wscale_ooo_and_sack_beyond_64k)
{
	establish_ws(t, 262144);
	inject_data(t, 1, 1460, NULL);
	struct th_seginfo si;
	NEXT_SEGMENT(ACK_DELAY_MAX, &si);
	ASSERT_TRUE(si.ack == 1461u);
	const uint32_t far = 1461u + 50u * 1460u;   /* offset 73,000 from RCV.NXT */
	inject_data(t, far, 1460, NULL);
	char s[120];
	snprintf(s, sizeof s, "> . 1:1(0) ack 1461 <nop,nop,sack %u:%u>", (unsigned)far, (unsigned)(far + 1460u));
	EXPECT(s);
	const struct tcb_ext *x = tcb_ext(K, tcb(t));
	ASSERT_TRUE(x && x->nooo == 1 && x->ooo[0].start == 73000u);
	inject_data(t, far + 2920u, 1460, NULL);    /* a second range, leading */
	snprintf(s, sizeof s, "> . 1:1(0) ack 1461 <nop,nop,sack %u:%u %u:%u>", (unsigned)(far + 2920u),
		 (unsigned)(far + 4380u), (unsigned)far, (unsigned)(far + 1460u));
	EXPECT(s);
	IGNORE_OUTPUT(1);
	for (uint32_t seq = 1461; seq < far; seq += 1460u)
		inject_data(t, seq, 1460, NULL);
	IGNORE_OUTPUT(0);
	ASSERT_TRUE(tcb(t)->rcv_nxt - CUR->peer_isn == far + 1460u);
	inject_data(t, far + 1460u, 1460, NULL);    /* fills the last hole */
	snprintf(s, sizeof s, "> . 1:1(0) ack %u <>", (unsigned)(far + 4380u));
	EXPECT(s);
	recv_pattern(t, far + 4379u);
}

/* A cookie SYN-ACK offers our shift too; the ACK's echo brings back the
 * peer's (Linux cookie_init_timestamp keeps only the peer's shift in the
 * TSval: ours is the function of tcp_rmem max it was, recomputed at the
 * ACK as Linux's cookie_v4_check does). */
SCRIPT(wscale_cookie_synack_offers_it)
{
	SYSCTL(tcp_syncookies, 2);
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,sackOK,TS val 0 ecr 100,nop,wscale 3>");
	ASSERT_TRUE((CUR->dev_ts0 & 0x3fu) == (0x10u | 7u));
	ASSERT_POOLS(.syn_queue = 0);
	INJECT("< . 1:1(0) ack 1 win 100 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	ASSERT_COUNTER(syncookies_recv, 1);
	struct tcp_conn_info ci = th_conn_info(t);
	ASSERT_TRUE(ci.snd_wscale == 7 && ci.rcv_wscale == OUR_SHIFT);
	CUR->dev_ts_known = 0;
	inject_data(t, 1, 100, " <nop,nop,TS val 102 ecr 0>");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 101 win 244");
	RECV_EXPECT_N(100);
}

/* The sender's scoreboard beyond 64 KiB: 100 segments in flight (a send
 * buffer and a peer window beyond 64 KiB; cwnd opened by the script so
 * the flight is there at once), the peer SACKs all but two, one at
 * SND.UNA and one 73,000 bytes beyond it: exactly those two go again. */
SCRIPT(wscale_sack_scoreboard_beyond_64k)
{
	K->tcp.sysctl.tcp_wmem[1] = 262144;
	establish_ws(t, 2048);
	tcb_set_cwnd(tcb(t), 200000);
	tcb(t)->ssthresh = 200000;
	IGNORE_OUTPUT(1);
	for (int i = 0; i < 20; i++)
		SEND_N(7300);                      /* the harness's buffer: 5 segments a call */
	IGNORE_OUTPUT(0);
	ASSERT_TRUE(tcb_snd_max(K, tcb(t)) - DEV_ISN() == 146001u);
	INJECT("< . 1:1(0) ack 1461 win 8192 <nop,nop,sack 2921:74461>");
	INJECT("< . 1:1(0) ack 1461 win 8192 <nop,nop,sack 75921:77381 2921:74461>");
	INJECT("< . 1:1(0) ack 1461 win 8192 <nop,nop,sack 75921:110961 2921:74461>");
	INJECT("< . 1:1(0) ack 1461 win 8192 <nop,nop,sack 75921:144541 2921:74461>");
	EXPECT("> . 1461:2921(1460) ack 1");         /* fast retransmit: the hole at SND.UNA */
	INJECT("< . 1:1(0) ack 1461 win 8192 <nop,nop,sack 75921:146001 2921:74461>");
	EXPECT("> . 74461:75921(1460) ack 1");       /* the hole 73,000 bytes beyond it */
	EXPECT_NONE();
	const struct tcb_ext *x = tcb_ext(K, tcb(t));
	ASSERT_TRUE(x && x->sb.n == 2 && x->sb.blk[1].start == 74460u && x->sb.blk[1].end == 144540u);
	INJECT("< . 1:1(0) ack 74461 win 8192 <nop,nop,sack 75921:146001>");
	INJECT("< . 1:1(0) ack 146001 win 8192");
	ASSERT_TRUE(tcb(t)->snd_una == tcb_snd_max(K, tcb(t)) && tcb(t)->total_retrans == 2);
	NO_FINAL_CHECK();
}

/* TIME_WAIT's re-ACK carries the window in the connection's scale. */
SCRIPT(wscale_time_wait_ack_scaled)
{
	establish_ws(t, 2048);
	CLOSE();
	EXPECT("> F. 1:1(0) ack 1 win 256");
	INJECT("< F. 1:1(0) ack 2 win 8192");
	EXPECT("> . 2:2(0) ack 2 win 256");
	ASSERT_POOLS(.time_wait = 1);
	INJECT("< F. 1:1(0) ack 2 win 8192");       /* our ACK was lost: the FIN again */
	EXPECT("> . 2:2(0) ack 2 win 256");
	NO_FINAL_CHECK();
}
