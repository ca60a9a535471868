/* UDP sockets (RFC 768): bind, queued receive with its bound, callbacks,
 * sendto with a correct checksum, and the Linux `Udp:` counters. */
#include "unit/fake_net.h"
#include <keel/stats.h>
#include <keel/tcp.h>

static uint8_t F[KEEL_FRAME_MAX + 64];

static int setup(void **state)
{
	fake_setup(state);
	learn(PEER_IP, peer_mac, 0);
	fake_clear();
	return 0;
}

/* A datagram from PEER_IP:sport to dst:dport carrying dlen bytes of a
 * pattern that starts at `tag`. */
static size_t dgram(uint32_t dst, uint16_t sport, uint16_t dport, size_t dlen, uint8_t tag)
{
	static uint8_t u[KEEL_MTU];
	store_be16(u, sport);
	store_be16(u + 2, dport);
	store_be16(u + 4, (uint16_t)(8 + dlen));
	store_be16(u + 6, 0);
	for (size_t i = 0; i < dlen; i++)
		u[8 + i] = (uint8_t)(tag + i);
	uint32_t sum = csum_pseudo(PEER_IP, dst, IP_PROTO_UDP, (uint16_t)(8 + dlen));
	uint16_t c = csum_fold(csum_add(sum, u, 8 + dlen));
	store_be16(u + 6, c ? c : 0xffff);
	return build_ipv4(F, peer_mac, PEER_IP, dst, IP_PROTO_UDP, u, 8 + dlen);
}

static void expect_pattern(const uint8_t *b, size_t n, uint8_t tag)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(b[i], (uint8_t)(tag + i));
}

static void bound_port_queues_and_reads(void **state)
{
	(void)state;
	static uint8_t q[256];
	int s = keel_udp_bind(&K, 7, q, sizeof(q));
	assert_true(s >= 0);
	assert_int_equal(keel_udp_recvfrom(&K, s, F, 10, NULL, NULL), KEEL_EWOULDBLOCK);
	size_t n = dgram(OUR_IP, 5555, 7, 30, 1);
	keel_input(&K, F, n, 1);
	assert_int_equal(NET.n, 0);                       /* no port unreachable */
	assert_int_equal(keel_udp_pending(&K, s), 1);
	uint8_t b[64];
	uint32_t src = 0;
	uint16_t sport = 0;
	assert_int_equal(keel_udp_recvfrom(&K, s, b, sizeof(b), &src, &sport), 30);
	assert_int_equal(src, PEER_IP);
	assert_int_equal(sport, 5555);
	expect_pattern(b, 30, 1);
	assert_int_equal(K.udp.stats.in_datagrams, 1);
	assert_int_equal(K.udp.stats.no_ports, 0);
}

static void full_queue_drops_and_counts(void **state)
{
	(void)state;
	static uint8_t q[100];                            /* two 40-byte records fit */
	int s = keel_udp_bind(&K, 7, q, sizeof(q));
	for (uint8_t i = 0; i < 3; i++) {
		size_t n = dgram(OUR_IP, 5555, 7, 32, (uint8_t)(i * 50));
		keel_input(&K, F, n, 1);
	}
	assert_int_equal(K.udp.stats.in_datagrams, 2);
	assert_int_equal(K.udp.stats.rcvbuf_errors, 1);
	assert_int_equal(K.udp.stats.in_errors, 1);
	uint8_t b[64];
	assert_int_equal(keel_udp_recvfrom(&K, s, b, sizeof(b), NULL, NULL), 32);
	expect_pattern(b, 32, 0);
	assert_int_equal(keel_udp_recvfrom(&K, s, b, sizeof(b), NULL, NULL), 32);
	expect_pattern(b, 32, 50);
	assert_int_equal(keel_udp_recvfrom(&K, s, b, sizeof(b), NULL, NULL), KEEL_EWOULDBLOCK);
}

/* Records of varied sizes wrap around the end of the ring intact: one
 * datagram always stays queued, so the ring never empties and resets. */
static void ring_wraps(void **state)
{
	(void)state;
	static uint8_t q[97];
	int s = keel_udp_bind(&K, 7, q, sizeof(q));
	keel_input(&K, F, dgram(OUR_IP, 999, 7, 0, 0), 1);
	size_t prev_len = 0;
	for (int i = 0; i < 200; i++) {
		size_t len = (size_t)(i * 7 % 41);
		keel_input(&K, F, dgram(OUR_IP, (uint16_t)(1000 + i), 7, len, (uint8_t)i), 1);
		uint8_t b[64];
		uint16_t sport;
		assert_int_equal(keel_udp_recvfrom(&K, s, b, sizeof(b), NULL, &sport), (int)prev_len);
		assert_int_equal(sport, i == 0 ? 999 : 1000 + i - 1);
		expect_pattern(b, prev_len, (uint8_t)(i - 1));
		assert_int_equal(keel_udp_pending(&K, s), 1);
		prev_len = len;
	}
	assert_true(K.udp.socks[0].head != 0);
	assert_int_equal(K.udp.stats.rcvbuf_errors, 0);
}

static void short_read_truncates(void **state)
{
	(void)state;
	static uint8_t q[256];
	int s = keel_udp_bind(&K, 7, q, sizeof(q));
	keel_input(&K, F, dgram(OUR_IP, 1, 7, 50, 3), 1);
	keel_input(&K, F, dgram(OUR_IP, 1, 7, 5, 99), 1);
	uint8_t b[10];
	assert_int_equal(keel_udp_recvfrom(&K, s, b, sizeof(b), NULL, NULL), 10);
	expect_pattern(b, 10, 3);
	/* the rest of the first datagram is gone; the second is whole */
	assert_int_equal(keel_udp_recvfrom(&K, s, b, sizeof(b), NULL, NULL), 5);
	expect_pattern(b, 5, 99);
}

static void sendto_builds_datagram(void **state)
{
	(void)state;
	static uint8_t q[64];
	int s = keel_udp_bind(&K, 7, q, sizeof(q));
	const char msg[] = "hello, udp";
	assert_int_equal(keel_udp_sendto(&K, s, PEER_IP, 4444, msg, 10), 10);
	assert_int_equal(NET.n, 1);
	const uint8_t *h = NET.frame[0] + 14;
	assert_memory_equal(NET.frame[0], peer_mac, 6);
	assert_int_equal(h[9], IP_PROTO_UDP);
	assert_int_equal(load_be32(h + 12), OUR_IP);
	assert_int_equal(load_be32(h + 16), PEER_IP);
	const uint8_t *u = h + 20;
	assert_int_equal(load_be16(u), 7);
	assert_int_equal(load_be16(u + 2), 4444);
	assert_int_equal(load_be16(u + 4), 18);
	assert_memory_equal(u + 8, msg, 10);
	assert_int_not_equal(load_be16(u + 6), 0);
	uint32_t sum = csum_pseudo(OUR_IP, PEER_IP, IP_PROTO_UDP, 18);
	assert_int_equal(csum_fold(csum_add(sum, u, 18)), 0);
	assert_int_equal(K.udp.stats.out_datagrams, 1);
	/* too long for one unfragmented datagram */
	static uint8_t big[UDP_PAYLOAD_MAX + 1];
	assert_int_equal(keel_udp_sendto(&K, s, PEER_IP, 4444, big, sizeof(big)), KEEL_EMSGSIZE);
	assert_int_equal(keel_udp_sendto(&K, s, PEER_IP, 4444, big, UDP_PAYLOAD_MAX), UDP_PAYLOAD_MAX);
	assert_int_equal(NET.n, 2);
	assert_int_equal(NET.len[1], 14 + KEEL_MTU);
}

/* With KEEL_OFFLOAD_TX_CSUM the MAC computes the checksum: keel leaves 0. */
static void tx_checksum_offloaded(void **state)
{
	(void)state;
	static uint8_t q[64];
	int s = keel_udp_bind(&K, 7, q, sizeof(q));
	keel_set_offload(&K, KEEL_OFFLOAD_TX_CSUM);
	assert_int_equal(keel_udp_sendto(&K, s, PEER_IP, 4444, "abc", 3), 3);
	assert_int_equal(load_be16(NET.frame[0] + 14 + 20 + 6), 0);
}

static void pool_reports_use_and_peak(void **state)
{
	(void)state;
	static uint8_t q[64];
	struct keel_pool_info p;
	int a = keel_udp_bind(&K, 7, q, sizeof(q));
	int b = keel_udp_bind(&K, 9, q, sizeof(q));
	assert_true(a >= 0 && b >= 0);
	keel_udp_close(&K, b);
	assert_int_equal(keel_pool_get(&K, KEEL_POOL_UDP, &p), 0);
	assert_string_equal(p.name, "udp_sockets");
	assert_int_equal(p.size, KEEL_UDP_MAX_SOCK);
	assert_int_equal(p.in_use, 1);
	assert_int_equal(p.high_water, 2);
}

static void handles_checked(void **state)
{
	(void)state;
	static uint8_t q[64];
	int s = keel_udp_bind(&K, 7, q, sizeof(q));
	assert_int_equal(keel_udp_bind(&K, 7, q, sizeof(q)), KEEL_EADDRINUSE);
	assert_int_equal(keel_udp_bind(&K, 8, q, 4), KEEL_EINVAL);
	assert_int_equal(keel_udp_close(&K, s), KEEL_OK);
	assert_int_equal(keel_udp_close(&K, s), KEEL_EBADF);
	assert_int_equal(keel_udp_sendto(&K, s, PEER_IP, 1, "x", 1), KEEL_EBADF);
	assert_int_equal(keel_udp_recvfrom(&K, s, q, 1, NULL, NULL), KEEL_EBADF);
	int t = keel_udp_bind(&K, 7, q, sizeof(q));        /* same slot, new handle */
	assert_true(t >= 0 && t != s);
	assert_int_equal(keel_udp_close(&K, s), KEEL_EBADF);
	int h[KEEL_UDP_MAX_SOCK];
	h[0] = t;
	for (int i = 1; i < KEEL_UDP_MAX_SOCK; i++) {
		h[i] = keel_udp_bind(&K, 0, q, sizeof(q));     /* ephemeral */
		assert_true(h[i] >= 0);
		uint16_t p = keel_udp_local_port(&K, h[i]);
		assert_true(p >= UDP_EPHEMERAL_LO && p <= UDP_EPHEMERAL_HI);
	}
	assert_int_equal(keel_udp_bind(&K, 9, q, sizeof(q)), KEEL_ENOMEM);
	assert_int_equal(keel_udp_local_port(&K, -1), 0);
	assert_int_equal(keel_udp_recvfrom(&K, 12345, q, 1, NULL, NULL), KEEL_EBADF);
}

static int cb_calls;
static struct udp_dgram cb_last;
static void on_dgram(struct keel *k, void *ctx, const struct udp_dgram *d)
{
	(void)k;
	assert_ptr_equal(ctx, &cb_calls);
	cb_calls++;
	cb_last = *d;
}

static void callback_gets_broadcast(void **state)
{
	(void)state;
	cb_calls = 0;
	assert_true(udp_bind_cb(&K, 68, on_dgram, &cb_calls) >= 0);
	keel_input(&K, F, dgram(0xffffffffu, 67, 68, 12, 0), 1);
	assert_int_equal(cb_calls, 1);
	assert_int_equal(cb_last.bcast, 1);
	assert_int_equal(cb_last.sport, 67);
	assert_int_equal(cb_last.len, 12);
	/* broadcast to a port nobody bound: ignored, never answered */
	keel_input(&K, F, dgram(0xffffffffu, 67, 69, 12, 0), 1);
	assert_int_equal(K.udp.stats.ignored_multi, 1);
	assert_int_equal(K.udp.stats.no_ports, 0);
	assert_int_equal(NET.n, 0);
}

static void bad_checksum_counted(void **state)
{
	(void)state;
	static uint8_t q[64];
	int s = keel_udp_bind(&K, 7, q, sizeof(q));
	size_t n = dgram(OUR_IP, 1, 7, 10, 0);
	F[n - 1] ^= 1;
	keel_input(&K, F, n, 1);
	assert_int_equal(K.udp.stats.in_csum_errors, 1);
	assert_int_equal(K.udp.stats.in_errors, 1);
	assert_int_equal(keel_udp_pending(&K, s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bound_port_queues_and_reads, setup),
		cmocka_unit_test_setup(full_queue_drops_and_counts, setup),
		cmocka_unit_test_setup(ring_wraps, setup),
		cmocka_unit_test_setup(short_read_truncates, setup),
		cmocka_unit_test_setup(sendto_builds_datagram, setup),
		cmocka_unit_test_setup(tx_checksum_offloaded, setup),
		cmocka_unit_test_setup(pool_reports_use_and_peak, setup),
		cmocka_unit_test_setup(handles_checked, setup),
		cmocka_unit_test_setup(callback_gets_broadcast, setup),
		cmocka_unit_test_setup(bad_checksum_counted, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
