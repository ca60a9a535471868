/* ICMP echo (RFC 792, RFC 1122 §3.2.2.6): exact replies up to the MTU,
 * odd lengths, checksum errors, other types counted. */
#include "unit/fake_net.h"

static uint8_t F[KEEL_FRAME_MAX + 64];
static uint8_t ICMP[KEEL_MTU];

static int setup(void **state)
{
	fake_setup(state);
	learn(PEER_IP, peer_mac, 0);
	fake_clear();
	return 0;
}

/* Sends an echo request with dlen data bytes; returns the ICMP length. */
static size_t ping(size_t dlen, uint16_t id, uint16_t seq)
{
	static uint8_t data[KEEL_MTU];
	for (size_t i = 0; i < dlen; i++)
		data[i] = (uint8_t)(i * 31 + 5);
	size_t il = build_echo(ICMP, id, seq, data, dlen);
	size_t n = build_ipv4(F, peer_mac, PEER_IP, OUR_IP, IP_PROTO_ICMP, ICMP, il);
	keel_input(&K, F, n, 1);
	return il;
}

/* The whole reply frame, built independently of the stack. */
static void expect_reply(int i, size_t il, uint16_t ip_id)
{
	static uint8_t want[KEEL_FRAME_MAX];
	size_t len = 14 + 20 + il;
	build_eth(want, peer_mac, our_mac, 0x0800);
	uint8_t *h = want + 14;
	memset(h, 0, 20);
	h[0] = 0x45;
	store_be16(h + 2, (uint16_t)(20 + il));
	store_be16(h + 4, ip_id);
	store_be16(h + 6, 0);           /* no DF on ICMP, as Linux */
	h[8] = 64;
	h[9] = 1;
	store_be32(h + 12, OUR_IP);
	store_be32(h + 16, PEER_IP);
	store_be16(h + 10, csum_fold(csum_add(0, h, 20)));
	uint8_t *r = h + 20;
	memcpy(r, ICMP, il);
	r[0] = 0;
	store_be16(r + 2, 0);
	store_be16(r + 2, csum_fold(csum_add(0, r, il)));
	if (len < 60) {
		memset(want + len, 0, 60 - len);
		len = 60;
	}
	assert_int_equal(NET.len[i], len);
	assert_memory_equal(NET.frame[i], want, len);
}

static void echo_reply_exact(void **state)
{
	(void)state;
	size_t il = ping(56, 0x1234, 1); /* what ping sends by default */
	assert_int_equal(NET.n, 1);
	expect_reply(0, il, 0);
	assert_int_equal(K.icmp.in_echos, 1);
	assert_int_equal(K.icmp.out_echo_reps, 1);
	assert_int_equal(K.icmp.out_msgs, 1);
}

static void echo_reply_1400_bytes(void **state)
{
	(void)state;
	size_t il = ping(1400, 7, 2);
	assert_int_equal(NET.n, 1);
	expect_reply(0, il, 0);
	/* The biggest that fits the MTU. */
	il = ping(KEEL_MTU - 28, 7, 3);
	assert_int_equal(NET.n, 2);
	expect_reply(1, il, 1);
	assert_int_equal(NET.len[1], KEEL_FRAME_MAX);
}

static void echo_reply_odd_lengths(void **state)
{
	(void)state;
	static const size_t lens[] = {0, 1, 37, 1399, 1401};
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t il = ping(lens[i], 0xabcd, (uint16_t)i);
		assert_int_equal(NET.n, i + 1);
		expect_reply((int)i, il, (uint16_t)i);
	}
	assert_int_equal(K.icmp.in_csum_errors, 0);
}

/* A ping from a host not in the cache: the 1428-byte reply waits in the
 * ARP queue and goes out whole once the peer answers. */
static void echo_reply_after_resolution(void **state)
{
	fake_setup(state);
	size_t il = ping(1400, 1, 1);
	assert_int_equal(NET.n, 1);
	assert_int_equal(load_be16(NET.frame[0] + 12), 0x0806);
	assert_int_equal(K.arp.queued, 1);
	uint8_t f[64];
	keel_input(&K, f, build_arp(f, our_mac, 2, peer_mac, PEER_IP, our_mac, OUR_IP), 2);
	assert_int_equal(NET.n, 2);
	expect_reply(1, il, 0);
	assert_int_equal(K.arp.queued, 0);
}

static void bad_checksum_counted(void **state)
{
	(void)state;
	uint8_t icmp[16];
	size_t il = build_echo(icmp, 1, 1, (const uint8_t *)"12345678", 8);
	icmp[9] ^= 0x40;
	keel_input(&K, F, build_ipv4(F, peer_mac, PEER_IP, OUR_IP, 1, icmp, il), 1);
	assert_int_equal(K.icmp.in_csum_errors, 1);
	assert_int_equal(K.icmp.in_errors, 1);
	assert_int_equal(K.icmp.in_echos, 0);
	assert_int_equal(NET.n, 0);
}

static void too_short_counted(void **state)
{
	(void)state;
	uint8_t icmp[4] = {8, 0, 0xf7, 0xff};
	keel_input(&K, F, build_ipv4(F, peer_mac, PEER_IP, OUR_IP, 1, icmp, 4), 1);
	assert_int_equal(K.icmp.in_msgs, 1);
	assert_int_equal(K.icmp.in_errors, 1);
	assert_int_equal(NET.n, 0);
}

static void other_types_counted_only(void **state)
{
	(void)state;
	uint8_t icmp[16];
	static const uint8_t types[][2] = {{0, 0}, {3, 3}, {11, 0}, {8, 1} /* echo, bad code */};
	for (size_t i = 0; i < 4; i++) {
		size_t il = build_echo(icmp, 1, 1, (const uint8_t *)"12345678", 8);
		icmp[0] = types[i][0];
		icmp[1] = types[i][1];
		store_be16(icmp + 2, 0);
		store_be16(icmp + 2, csum_fold(csum_add(0, icmp, il)));
		keel_input(&K, F, build_ipv4(F, peer_mac, PEER_IP, OUR_IP, 1, icmp, il), 1);
	}
	assert_int_equal(K.icmp.in_msgs, 4);
	assert_int_equal(K.icmp.in_errors, 0);
	assert_int_equal(K.icmp.in_echos, 0);
	assert_int_equal(NET.n, 0);
}

static void send_failure_counted(void **state)
{
	(void)state;
	NET.refuse = 1;
	ping(8, 1, 1);
	assert_int_equal(K.icmp.in_echos, 1);
	assert_int_equal(K.icmp.out_echo_reps, 0);
	assert_int_equal(K.icmp.out_errors, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(echo_reply_exact, setup),
		cmocka_unit_test_setup(echo_reply_1400_bytes, setup),
		cmocka_unit_test_setup(echo_reply_odd_lengths, setup),
		cmocka_unit_test_setup(echo_reply_after_resolution, setup),
		cmocka_unit_test_setup(bad_checksum_counted, setup),
		cmocka_unit_test_setup(too_short_counted, setup),
		cmocka_unit_test_setup(other_types_counted_only, setup),
		cmocka_unit_test_setup(send_failure_counted, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
