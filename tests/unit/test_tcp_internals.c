/* TCP engine internals: wire parse (options, offsets, checksum), handles
 * and generations, pools, misuse of the API, compact entry sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "byteorder.h"
#include "checksum.h"
#include "keel.h"
#include "tcp_internal.h"
#include "tcp_fixture.h"


/* Builds a TCP segment with the given options; fixes the checksum. */
static size_t build(uint8_t *b, const uint8_t *opt, size_t optlen, uint8_t flags)
{
	size_t hlen = 20 + optlen;
	memset(b, 0, 64);
	store_be16(b, 40000);
	store_be16(b + 2, 7);
	store_be32(b + 4, 1000);
	b[12] = (uint8_t)((hlen / 4) << 4);
	b[13] = flags;
	store_be16(b + 14, 8192);
	if (optlen)
		memcpy(b + 20, opt, optlen);
	uint32_t s = csum_pseudo(PEER, US, IP_PROTO_TCP, (uint16_t)hlen);
	store_be16(b + 16, csum_fold(csum_add(s, b, hlen)));
	return hlen;
}

static int parse(uint8_t *b, size_t len, struct tcp_seg *seg)
{
	struct ipv4_packet ip = {.src = PEER, .dst = US, .proto = IP_PROTO_TCP, .payload = b, .len = len};
	return tcp_seg_parse(&ip, seg);
}

static void test_parse_options(void **state)
{
	(void)state;
	uint8_t b[64];
	struct tcp_seg s;
	const uint8_t mss_nop[] = {1, 1, 2, 4, 0x02, 0x18, 0, 0};  /* NOP NOP MSS 536 EOL pad */
	assert_int_equal(parse(b, build(b, mss_nop, sizeof(mss_nop), TCP_SYN), &s), TCP_PARSE_OK);
	assert_int_equal(s.mss, 536);
	const uint8_t unknown[] = {30, 6, 1, 2, 3, 4, 2, 4, 0x05, 0xb4, 0, 0};  /* kind 30 skipped */
	assert_int_equal(parse(b, build(b, unknown, sizeof(unknown), TCP_SYN), &s), TCP_PARSE_OK);
	assert_int_equal(s.mss, 1460);
	const uint8_t len0[] = {30, 0, 0, 0};
	assert_int_equal(parse(b, build(b, len0, 4, TCP_SYN), &s), TCP_PARSE_OPTIONS);
	const uint8_t len1[] = {30, 1, 0, 0};
	assert_int_equal(parse(b, build(b, len1, 4, TCP_SYN), &s), TCP_PARSE_OPTIONS);
	const uint8_t beyond[] = {1, 1, 30, 8};
	assert_int_equal(parse(b, build(b, beyond, 4, TCP_SYN), &s), TCP_PARSE_OPTIONS);
	const uint8_t cut[] = {1, 1, 1, 2};   /* kind with no room for its length */
	assert_int_equal(parse(b, build(b, cut, 4, TCP_SYN), &s), TCP_PARSE_OPTIONS);
	const uint8_t badmss[] = {2, 3, 0, 0};
	assert_int_equal(parse(b, build(b, badmss, 4, TCP_SYN), &s), TCP_PARSE_OPTIONS);
}

static void test_parse_header(void **state)
{
	(void)state;
	uint8_t b[64];
	struct tcp_seg s;
	size_t n = build(b, NULL, 0, TCP_ACK);
	assert_int_equal(parse(b, n - 1, &s), TCP_PARSE_SHORT);
	b[12] = 4 << 4;
	assert_int_equal(parse(b, n, &s), TCP_PARSE_DOFF);
	n = build(b, NULL, 0, TCP_ACK);
	b[12] = 6 << 4;   /* 24-byte header in a 20-byte segment */
	assert_int_equal(parse(b, n, &s), TCP_PARSE_SHORT);
	n = build(b, NULL, 0, TCP_ACK);
	b[5] ^= 1;
	assert_int_equal(parse(b, n, &s), TCP_PARSE_CSUM);
}

static void test_handles(void **state)
{
	(void)state;
	int l = tcp_listen(&K, 7, 5);
	assert_true(l >= 0);
	assert_int_equal(tcp_listen(&K, 7, 5), KEEL_EADDRINUSE);
	assert_int_equal(tcp_listen(&K, 0, 5), KEEL_EINVAL);
	assert_int_equal(tcp_send(&K, l, "x", 1), KEEL_EINVAL);   /* listener: wrong kind */
	assert_int_equal(tcp_accept(&K, l), KEEL_EWOULDBLOCK);
	int c = tcp_connect(&K, PEER, 80, 0);
	assert_true(c >= 0);
	assert_int_equal(tcp_accept(&K, c), KEEL_EINVAL);          /* accept on a connection */
	assert_int_equal(tcp_get_state(&K, c), TCP_SYN_SENT);
	assert_int_equal(tcp_send(&K, c, "x", 1), KEEL_EINPROGRESS);
	assert_int_equal(tcp_close(&K, c), KEEL_OK);
	assert_int_equal(tcp_close(&K, c), KEEL_EBADF);            /* double close */
	assert_int_equal(tcp_send(&K, c, "x", 1), KEEL_EBADF);
	int c2 = tcp_connect(&K, PEER, 80, 0);                      /* the next slot: oldest free first */
	assert_true(c2 >= 0);
	assert_int_not_equal(tcp_handle_slot(c2), tcp_handle_slot(c));
	assert_int_not_equal(c2, c);
	assert_int_equal(tcp_get_state(&K, c), KEEL_EBADF);
	assert_int_equal(tcp_abort(&K, c2), KEEL_OK);
	assert_int_equal(tcp_close(&K, l), KEEL_OK);
	assert_int_equal(tcp_accept(&K, l), KEEL_EBADF);
	assert_int_equal(tcp_send(&K, -5, "x", 1), KEEL_EBADF);
	assert_int_equal(tcp_recv(&K, 0x7fffffff, NULL, 0), KEEL_EBADF);
	struct keel_pool_usage u;
	tcp_pool_get(&K, TCP_POOL_TCB, &u);
	assert_int_equal(u.in_use, 0);
	assert_int_equal(u.high_water, 1);
	assert_int_equal(u.size, KEEL_TCP_MAX_CONN);
}

static void test_pool_exhaustion(void **state)
{
	(void)state;
	int h[KEEL_TCP_MAX_CONN];
	for (int i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		h[i] = tcp_connect(&K, PEER, 80, 0);
		assert_true(h[i] >= 0);
	}
	assert_int_equal(tcp_connect(&K, PEER, 80, 0), KEEL_ENOMEM);
	int used = 0;
	struct tcp_conn_info ci;
	for (unsigned i = 0; keel_tcp_conn_info(&K, i, &ci) != KEEL_EINVAL; i++)
		used += keel_tcp_conn_info(&K, i, &ci) == 0;
	assert_int_equal(used, KEEL_TCP_MAX_CONN);
	for (int i = 0; i < KEEL_TCP_MAX_CONN; i++)
		assert_int_equal(tcp_close(&K, h[i]), KEEL_OK);
	assert_int_equal(tcp_curr_estab(&K), 0);
}

/* Generations never wrap (issue 12 bug 5): every slot at its next-to-last
 * generation, two full rounds of the pool spend them; then every slot is
 * retired, no handle ever seen (nor one with a wrapped generation) is
 * valid, and the pool refuses instead of reusing. */
static void test_generation_retires(void **state)
{
	(void)state;
	enum { N = KEEL_TCP_MAX_CONN };
	for (int i = 0; i < N; i++)
		K.tcp.tcbs[i].gen = TCP_H_GEN_MAX - 1u;
	int seen[2 * N];
	for (int i = 0; i < 2 * N; i++) {
		seen[i] = tcp_connect(&K, PEER, 80, 0);
		assert_true(seen[i] >= 0);                      /* bit 31 never set */
		assert_int_equal(tcp_handle_gen(seen[i]), i < N ? TCP_H_GEN_MAX - 1u : TCP_H_GEN_MAX);
		assert_int_equal(tcp_abort(&K, seen[i]), KEEL_OK);
	}
	assert_int_equal(K.tcp.tcbs_retired, N);
	assert_int_equal(tcp_connect(&K, PEER, 80, 0), KEEL_ENOMEM);
	for (int i = 0; i < 2 * N; i++)
		assert_int_equal(tcp_get_state(&K, seen[i]), KEEL_EBADF);
	for (unsigned slot = 0; slot < N; slot++) {
		assert_int_equal(tcp_get_state(&K, tcp_handle_make(slot, 0)), KEEL_EBADF);
		assert_int_equal(tcp_get_state(&K, tcp_handle_make(slot, 1)), KEEL_EBADF);
	}
	/* Listeners too: the spent slot is skipped, another one serves. */
	K.tcp.listeners[0].gen = TCP_H_GEN_MAX;
	int l = tcp_listen(&K, 7, 5);
	assert_int_equal(tcp_handle_slot(l), KEEL_TCP_MAX_CONN);
	assert_int_equal(tcp_close(&K, l), KEEL_OK);
	assert_int_equal(K.tcp.listeners_retired, 1);
	int l2 = tcp_listen(&K, 7, 5);
	assert_int_equal(tcp_handle_slot(l2), KEEL_TCP_MAX_CONN + 1);
	assert_int_equal(tcp_accept(&K, l), KEEL_EBADF);
	assert_int_equal(tcp_accept(&K, l2), KEEL_EWOULDBLOCK);
}

/* Handles cover the whole index space: the last TCB and the last listener
 * slot make handles that name them and nothing else. */
static void test_handle_width(void **state)
{
	(void)state;
	assert_true(TCP_H_SLOTS - 1u <= TCP_H_IDX_MASK);
	assert_true(((uint64_t)TCP_H_GEN_MAX << TCP_H_IDX_BITS | TCP_H_IDX_MASK) <= 0x7fffffffu);
	int h[KEEL_TCP_MAX_CONN];
	for (int i = 0; i < KEEL_TCP_MAX_CONN; i++)
		h[i] = tcp_connect(&K, PEER, 80, 0);
	assert_int_equal(tcp_handle_slot(h[KEEL_TCP_MAX_CONN - 1]), KEEL_TCP_MAX_CONN - 1);
	assert_int_equal(tcp_get_state(&K, h[KEEL_TCP_MAX_CONN - 1]), TCP_SYN_SENT);
	/* The same slot in the listener range is not this TCB. */
	assert_int_equal(tcp_get_state(&K, h[KEEL_TCP_MAX_CONN - 1] + 1), KEEL_EBADF);
	for (int i = 0; i < KEEL_TCP_MAX_CONN; i++)
		assert_int_equal(tcp_abort(&K, h[i]), KEEL_OK);
}

static void test_sizes(void **state)
{
	(void)state;
	/* Host sizes equal the Cortex-M ones: fixed-width fields only. */
	/* 36 and 28 before RFC 7323: TS.Recent is 4 bytes more in each. */
	assert_true(sizeof(struct tcp_synq_entry) <= 40);
	assert_true(sizeof(struct tcp_tw_entry) <= 32);
	/* The TCB's budget (docs/DESIGN.md, tcp_tcb.c): 92 bytes where
	 * queue lengths are 16 bits (both boards), 108 where they are 32
	 * (tests/tcp/wide); the cold state and the data entry (in-flight
	 * state and both queues) apart. */
	assert_int_equal(sizeof(struct tcp_tcb), sizeof(qlen_t) == 2 ? 92u : 108u);
	/* A queue is packed, its chunk offset a byte with 256-byte chunks:
	 * 9 bytes, two of them back to back in the data entry (tcp_flight.h). */
	assert_int_equal(sizeof(struct chunkq), 4u + 2u * sizeof(qlen_t) + (CHUNK_SIZE <= 256 ? 1u : 2u));
	assert_true(sizeof(struct tcb_flight) <= (sizeof(qlen_t) == 2 ? 30u : 48u));   /* with both queues */
	assert_true(sizeof(struct tcb_ext) <= (sizeof(qlen_t) == 2 ? 52u : 88u));
}

/* The compact sequence fields (tcp_tcb_seq.h) answer as 32-bit ones:
 * offsets follow SND.UNA; snd_sml and recover, once passed, answer "not
 * beyond SND.UNA" as before; RCV.WUP saturates far behind RCV.NXT. */
static void test_compact_seq(void **state)
{
	(void)state;
	struct tcp_tcb t;
	memset(&t, 0, sizeof(t));
	t.flight = TCP_NONE;
	t.snd_una = 0xfffffff0u;                  /* across the wrap */
	/* Without a flight entry everything reads SND.UNA (recover SND.UNA - 1). */
	assert_int_equal(tcb_snd_nxt(&K, &t), t.snd_una);
	assert_int_equal(tcb_snd_max(&K, &t), t.snd_una);
	assert_int_equal(tcb_recover(&K, &t), t.snd_una - 1u);
	assert_true(tcb_flight_take(&K, &t));
	tcb_set_snd_nxt(&K, &t, 0x00000010u);
	tcb_set_snd_max(&K, &t, 0x00000020u);
	tcb_set_snd_sml(&K, &t, 0x00000008u);
	tcb_set_recover(&K, &t, 0x00000020u);
	assert_int_equal(tcb_nxt_off(&K, &t), 0x20u);
	assert_int_equal(tcb_snd_max(&K, &t), 0x20u);
	assert_int_equal(tcb_recover(&K, &t), 0x20u);
	/* SND.UNA passes snd_sml and SND.NXT (a go-back-N rewind acked
	 * beyond), not recover: SND.NXT follows, snd_sml reads SND.UNA. */
	tcb_set_snd_una(&K, &t, 0x00000018u);
	assert_int_equal(tcb_snd_nxt(&K, &t), 0x18u);
	assert_int_equal(tcb_snd_max(&K, &t), 0x20u);
	assert_false(seq_gt(tcb_snd_sml(&K, &t), t.snd_una));
	assert_int_equal(tcb_recover(&K, &t), 0x20u);
	assert_false(seq_gt(t.snd_una, tcb_recover(&K, &t)));
	/* ... then recover (RFC 6582 §3.2 step 2 may start again). */
	tcb_set_snd_una(&K, &t, 0x00000020u);
	assert_true(seq_ge(t.snd_una, tcb_recover(&K, &t)));
	assert_false(seq_gt(t.snd_una, tcb_recover(&K, &t)));
	tcb_set_snd_una(&K, &t, 0x00000021u);
	assert_true(seq_gt(t.snd_una, tcb_recover(&K, &t)));
	tcb_set_snd_una(&K, &t, 0x00001021u);
	assert_true(seq_gt(t.snd_una, tcb_recover(&K, &t)));
	assert_int_equal(tcb_max_off(&K, &t), 0u);
	/* All acked, nothing queued: the entry goes back, and reads as it held. */
	tcb_flight_trim(&K, &t);
	assert_int_equal(t.flight, TCP_NONE);
	assert_int_equal(K.tcp.flight.in_use, 0);
	assert_int_equal(tcb_snd_nxt(&K, &t), t.snd_una);
	assert_true(seq_gt(t.snd_una, tcb_recover(&K, &t)));
	/* RCV.WUP: exact within the cap, saturated beyond it. */
	t.rcv_nxt = 0xffffff00u;
	tcb_rcv_wup_now(&t);
	tcb_rcv_nxt_add(&t, 0x200u);
	assert_int_equal(tcb_rcv_wup(&t), 0xffffff00u);
	for (unsigned i = 0; i < 40; i++)
		tcb_rcv_nxt_add(&t, 0x1000u);
	assert_int_equal(t.wup_off, TCB_WUP_CAP < 0x28200u ? TCB_WUP_CAP : 0x28200u);
	tcb_rcv_wup_now(&t);
	assert_int_equal(tcb_rcv_wup(&t), t.rcv_nxt);
	/* SND.WL1 from RCV.NXT, across the wrap: exact from a segment
	 * behind to the window's right edge; further behind it saturates
	 * below every acceptable SEQ (>= RCV.NXT - a segment). */
	t.rcv_nxt = 0xfffffff0u;
	tcb_set_snd_wl1(&t, 0x00000100u);
	assert_int_equal(tcb_snd_wl1(&t), 0x00000100u);
	tcb_set_snd_wl1(&t, t.rcv_nxt + CHUNKQ_MAX);
	assert_int_equal(tcb_snd_wl1(&t), t.rcv_nxt + CHUNKQ_MAX);
	tcb_set_snd_wl1(&t, t.rcv_nxt - (KEEL_MTU - 40u + 1u));
	assert_int_equal(tcb_snd_wl1(&t), t.rcv_nxt - (KEEL_MTU - 40u + 1u));
	tcb_rcv_nxt_add(&t, 0x20u);
	tcb_rcv_nxt_add(&t, 0x10000u);
	assert_true(seq_lt(tcb_snd_wl1(&t), t.rcv_nxt - (KEEL_MTU - 40u + 1u)));
	assert_true(seq_le(t.rcv_nxt - 0x10020u - (KEEL_MTU - 40u + 1u), tcb_snd_wl1(&t)));
}

/* SND.WND kept as the window field: scaled on read, except a SYN's
 * (RFC 7323 §2.2); max_sndwnd saturates at TCB_MAX_SNDWND. */
static void test_compact_wnd(void **state)
{
	(void)state;
	struct tcp_tcb t;
	memset(&t, 0, sizeof(t));
	t.opt.on = TCP_OPTF_WSCALE;
	t.opt.shifts = 7u;                        /* the peer's shift */
	struct tcp_seg s;
	memset(&s, 0, sizeof(s));
	s.flags = TCP_SYN | TCP_ACK;
	s.wnd = 1000;
	tcb_set_snd_wnd(&t, &s);
	assert_int_equal(tcb_snd_wnd(&t), 1000u);
	s.flags = TCP_ACK;
	assert_int_equal(tcb_seg_wnd(&t, &s), 128000u);
	tcb_set_snd_wnd(&t, &s);
	assert_int_equal(tcb_snd_wnd(&t), 128000u);
	assert_int_equal(tcb_snd_wnd_sat(&t), TCB_MAX_SNDWND);
	s.wnd = 0;
	tcb_set_snd_wnd(&t, &s);
	assert_int_equal(tcb_snd_wnd(&t), 0u);
}

/* ssthresh's "arbitrarily high" reads as 0x7fffffff; cwnd saturates. */
static void test_compact_cc(void **state)
{
	(void)state;
	struct tcp_tcb t;
	memset(&t, 0, sizeof(t));
	t.ssthresh = TCP_SSTHRESH_INF;
	assert_true(TCP_SSTHRESH_INF > CHUNKQ_MAX / 2u + 1u);
	tcb_set_cwnd(&t, 0x10000u);
	assert_int_equal(t.cwnd, sizeof(qlen_t) == 2 ? 0xffffu : 0x10000u);
	tcb_set_cwnd(&t, 1460u);
	assert_int_equal(t.cwnd, 1460u);
}

/* The TCB's narrow fields (tcp_tcb.h) hold every value they are given
 * and saturate where the answers no longer change: max_sndwnd above twice
 * any segment, dupacks above dupthresh (a long run of duplicates never
 * wraps back to a fast retransmit), persist_shift once the interval is at
 * TCP_RTO_MAX_MS; flags, timers, snd_mss and err share words untouched. */
static void test_narrow_fields(void **state)
{
	(void)state;
	struct tcp_tcb t;
	memset(&t, 0, sizeof t);
	const uint16_t every_flag = TCB_F_USED | TCB_F_ORPHAN | TCB_F_FIN_WANT | TCB_F_FIN_SENT |
		TCB_F_FIN_ACKED | TCB_F_FIN_RCVD | TCB_F_ACK_NOW | TCB_F_TS_OLD | TCB_F_WL2_UNA |
		TCB_F_ACCEPTQ | TCB_F_PASSIVE | TCB_F_FIN_OOO | TCB_F_HASHED;
	t.flags = every_flag;
	t.timers = (1u << TCB_T_RTX) | (1u << TCB_T_DACK) | (1u << TCB_T_KA);
	assert_int_equal(t.flags, every_flag);
	tcb_timer_stop(&t, TCB_T_DACK);
	assert_int_equal(t.timers, (1u << TCB_T_RTX) | (1u << TCB_T_KA));
	assert_int_equal(t.flags, every_flag);
	static const int errs[] = { KEEL_ECONNREFUSED, KEEL_ECONNRESET, KEEL_ETIMEDOUT, KEEL_ECONNABORTED };
	for (unsigned i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		t.snd_mss = KEEL_MTU - 40u;
		t.err = (int8_t)errs[i];
		assert_int_equal(t.err, errs[i]);
		assert_int_equal(t.snd_mss, KEEL_MTU - 40u);
	}
	/* max_sndwnd: the sender's SWS test (len >= max_sndwnd / 2, len a
	 * segment at most) answers alike for every window from the cap on. */
	t.max_sndwnd = tcb_wnd_sat(128000u);
	assert_int_equal(t.max_sndwnd, TCB_MAX_SNDWND);
	assert_int_equal(t.state, 0);
	assert_true(KEEL_MTU - 40u < t.max_sndwnd / 2u);
	t.max_sndwnd = tcb_wnd_sat(2000u);
	assert_int_equal(t.max_sndwnd, 2000u);
	/* gen and retries share a word: neither touches the other. */
	t.gen = TCP_H_GEN_MAX;
	t.retries = 255;
	assert_int_equal(t.gen, TCP_H_GEN_MAX);
	t.gen = 1;
	assert_int_equal(t.retries, 255);
	assert_true(TCP_H_GEN_MAX <= 0xffffffu);
	/* persist_shift (flight entry): the interval is at its cap before
	 * the shift is. */
	cc_rtt_sample(&t, 1);
	t.flight = TCP_NONE;
	assert_true(tcb_flight_take(&K, &t));
	K.tcp.flight.f[t.flight].persist_shift = TCB_PERSIST_SHIFT_MAX;
	assert_int_equal(tcp_persist_interval(&K, &t), TCP_RTO_MAX_MS);
	tcb_flight_release(&K, &t);
	/* dupacks: 300 duplicates, none while recover is ahead (RFC 6582
	 * §4), then none once it is behind: the count stays past dupthresh. */
	t.snd_mss = 1000;
	t.snd_una = 5000;
	assert_true(tcb_flight_take(&K, &t));
	tcb_set_snd_max(&K, &t, 10000);
	tcb_set_snd_nxt(&K, &t, 10000);
	tcb_sndq_w(&K, &t)->len = 5000;
	tcb_set_cwnd(&t, 10000);
	t.ssthresh = TCP_SSTHRESH_INF;
	tcb_set_recover(&K, &t, tcb_snd_max(&K, &t));
	for (unsigned i = 0; i < 20; i++)
		assert_int_equal(cc_on_dupack(&K, &t), CC_NONE);
	assert_int_equal(tcb_fl(&K, &t)->dupacks, TCB_DUPACKS_MAX);
	tcb_set_recover(&K, &t, t.snd_una - 1u);
	for (unsigned i = 0; i < 300; i++)
		assert_int_equal(cc_on_dupack(&K, &t), CC_NONE);
	assert_false(t.dflags & TCB_D_RECOVERY);
	assert_int_equal(cc_limited_transmit(&t, tcb_fl(&K, &t)->dupacks), 2u * 1000u);   /* min(dupacks, 2) segments */
	tcb_flight_release(&K, &t);
}

/* 4 * RTTVAR is 16 bits (tcb.rttvar4): past 65535 ms it saturates, and
 * the RTO it gives stays long (SRTT + 65.5 s, capped at TCP_RTO_MAX),
 * never wraps short; below, it is RFC 6298's exact integer estimator. */
static void test_rttvar_saturates(void **state)
{
	(void)state;
	struct tcp_tcb t;
	memset(&t, 0, sizeof t);
	cc_rtt_sample(&t, 100);
	assert_int_equal(t.rttvar4, 200);                 /* RTTVAR = R/2 */
	cc_rtt_sample(&t, 180);
	assert_int_equal(t.rttvar4, 200 - 50 + 80);        /* 3/4 RTTVAR + 1/4 |err|, *4 */
	memset(&t, 0, sizeof t);
	cc_rtt_sample(&t, 40000);                          /* 4 * RTTVAR would be 80000 */
	assert_int_equal(t.rttvar4, 0xffff);
	/* SRTT saturates too (8191 ms, test_srtt_saturates): both caps. */
	assert_int_equal(cc_rto_base(&t), (TCB_SRTT8_MAX >> 3) + 0xffff);
	cc_rtt_sample(&t, 110000);
	assert_int_equal(t.rttvar4, 0xffff);
	assert_int_equal(cc_rto_base(&t), (TCB_SRTT8_MAX >> 3) + 0xffff);
	cc_rtt_sample(&t, 120000);
	assert_int_equal(cc_rto_base(&t), (TCB_SRTT8_MAX >> 3) + 0xffff);
}

/* 8 * SRTT is 16 bits (tcb.srtt8): exact below 8191 ms; from there it
 * saturates and the samples' distance from the cap goes into RTTVAR, so
 * the RTO still covers the RTT (up to where RTTVAR saturates, near 24 s):
 * never a spurious timeout every round, never a wrap to a short RTO. */
static void test_srtt_saturates(void **state)
{
	(void)state;
	struct tcp_tcb t;
	memset(&t, 0, sizeof t);
	for (unsigned i = 0; i < 100; i++)
		cc_rtt_sample(&t, 8000);
	assert_int_equal(t.srtt8 >> 3, 8000);              /* exact below the cap */
	static const uint32_t rtts[] = { 8191, 9000, 12000, 20000, 24000 };
	for (unsigned r = 0; r < sizeof rtts / sizeof rtts[0]; r++) {
		memset(&t, 0, sizeof t);
		for (unsigned i = 0; i < 200; i++) {
			cc_rtt_sample(&t, rtts[r]);
			assert_true(cc_rto_base(&t) >= rtts[r]);
			assert_true(t.srtt8 >= 8u);
		}
		assert_int_equal(t.srtt8, TCB_SRTT8_MAX);
	}
	/* From an RTT below the cap to one above and back: no wrap. */
	memset(&t, 0, sizeof t);
	cc_rtt_sample(&t, 100);
	for (unsigned i = 0; i < 100; i++)
		cc_rtt_sample(&t, 30000);
	assert_int_equal(t.srtt8, TCB_SRTT8_MAX);
	for (unsigned i = 0; i < 200; i++)
		cc_rtt_sample(&t, 100);
	assert_int_equal(t.srtt8 >> 3, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parse_options, tcp_fixture_setup),
		cmocka_unit_test_setup(test_parse_header, tcp_fixture_setup),
		cmocka_unit_test_setup(test_handles, tcp_fixture_setup),
		cmocka_unit_test_setup(test_srtt_saturates, tcp_fixture_setup),
		cmocka_unit_test_setup(test_pool_exhaustion, tcp_fixture_setup),
		cmocka_unit_test_setup(test_generation_retires, tcp_fixture_setup),
		cmocka_unit_test_setup(test_handle_width, tcp_fixture_setup),
		cmocka_unit_test_setup(test_sizes, tcp_fixture_setup),
		cmocka_unit_test_setup(test_compact_seq, tcp_fixture_setup),
		cmocka_unit_test_setup(test_compact_wnd, tcp_fixture_setup),
		cmocka_unit_test_setup(test_compact_cc, tcp_fixture_setup),
		cmocka_unit_test(test_rttvar_saturates),
		cmocka_unit_test_setup(test_narrow_fields, tcp_fixture_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
