/* ICMP echo requests for the application (RFC 792): the request on the
 * wire, replies matched by identifier, checked data, a bounded ring. */
#include "unit/fake_net.h"
#include <keel/ping.h>
#include <keel/tcp.h>

static uint8_t F[KEEL_FRAME_MAX + 64];

static int setup(void **state)
{
	fake_setup(state);
	learn(PEER_IP, peer_mac, 0);
	fake_clear();
	return 0;
}

/* The peer's answer to frame i: the request echoed as type 0. */
static size_t echo_back(int i, uint8_t ttl)
{
	const uint8_t *req = NET.frame[i] + 14;
	size_t ilen = load_be16(req + 2) - 20u;
	static uint8_t m[KEEL_MTU];
	memcpy(m, req + 20, ilen);
	m[0] = 0;
	store_be16(m + 2, 0);
	store_be16(m + 2, csum_fold(csum_add(0, m, ilen)));
	size_t n = build_ipv4(F, peer_mac, PEER_IP, OUR_IP, IP_PROTO_ICMP, m, ilen);
	F[14 + 8] = ttl;
	fix_ip_csum(F);
	return n;
}

static void request_and_reply(void **state)
{
	(void)state;
	assert_int_equal(keel_ping_open(&K, 0x4242), KEEL_OK);
	assert_int_equal(keel_ping_open(&K, 7), KEEL_EADDRINUSE);
	assert_int_equal(keel_ping_send(&K, PEER_IP, 1, 56), KEEL_OK);
	assert_int_equal(NET.n, 1);
	const uint8_t *h = NET.frame[0] + 14, *m = h + 20;
	assert_int_equal(h[9], IP_PROTO_ICMP);
	assert_int_equal(load_be16(h + 2), 84);
	assert_int_equal(m[0], 8);
	assert_int_equal(load_be16(m + 4), 0x4242);
	assert_int_equal(load_be16(m + 6), 1);
	assert_int_equal(csum_fold(csum_add(0, m, 64)), 0);
	struct keel_ping_reply r;
	assert_int_equal(keel_ping_recv(&K, &r), KEEL_EWOULDBLOCK);
	keel_input(&K, F, echo_back(0, 61), 25);
	assert_int_equal(keel_ping_recv(&K, &r), KEEL_OK);
	assert_int_equal(r.src, PEER_IP);
	assert_int_equal(r.seq, 1);
	assert_int_equal(r.len, 64);
	assert_int_equal(r.ttl, 61);
	assert_int_equal(r.rx_ms, 25);
	assert_int_equal(r.data_ok, 1);
	assert_int_equal(K.icmp.out_echos, 1);
	assert_int_equal(K.icmp.in_echo_reps, 1);
}

static void others_ignored_and_data_checked(void **state)
{
	(void)state;
	keel_ping_open(&K, 0x4242);
	keel_ping_send(&K, PEER_IP, 1, 8);
	size_t n = echo_back(0, 64);
	store_be16(F + 14 + 20 + 4, 0x9999);   /* another program's identifier */
	store_be16(F + 14 + 20 + 2, 0);
	store_be16(F + 14 + 20 + 2, csum_fold(csum_add(0, F + 34, 16)));
	keel_input(&K, F, n, 1);
	struct keel_ping_reply r;
	assert_int_equal(keel_ping_recv(&K, &r), KEEL_EWOULDBLOCK);
	n = echo_back(0, 64);
	F[14 + 20 + 9] ^= 0xff;                /* a data byte changed */
	store_be16(F + 14 + 20 + 2, 0);
	store_be16(F + 14 + 20 + 2, csum_fold(csum_add(0, F + 34, 16)));
	keel_input(&K, F, n, 1);
	assert_int_equal(keel_ping_recv(&K, &r), KEEL_OK);
	assert_int_equal(r.data_ok, 0);
}

static void ring_keeps_newest(void **state)
{
	(void)state;
	keel_ping_open(&K, 1);
	for (int i = 0; i < KEEL_PING_REPLIES + 2; i++)
		keel_ping_send(&K, PEER_IP, (uint16_t)(i + 1), 0);
	for (int i = 0; i < KEEL_PING_REPLIES + 2; i++)
		keel_input(&K, F, echo_back(i, 64), 1);
	struct keel_ping_reply r;
	assert_int_equal(keel_ping_recv(&K, &r), KEEL_OK);
	assert_int_equal(r.seq, 3);            /* the two oldest were dropped */
	assert_int_equal(keel_ping_send(&K, PEER_IP, 1, KEEL_MTU - 27), KEEL_EMSGSIZE);
	keel_ping_close(&K);
	assert_int_equal(keel_ping_send(&K, PEER_IP, 1, 8), KEEL_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(request_and_reply, setup),
		cmocka_unit_test_setup(others_ignored_and_data_checked, setup),
		cmocka_unit_test_setup(ring_keeps_newest, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
