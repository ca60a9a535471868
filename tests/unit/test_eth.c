/* Ethernet II: destination filter, dispatch, framing and padding. */
#include "unit/fake_net.h"

static void runt_counted(void **state)
{
	(void)state;
	uint8_t f[14] = {0};
	keel_input(&K, f, 13, 0);
	assert_int_equal(K.eth.in_runts, 1);
	assert_int_equal(K.eth.in_frames, 1);
	keel_input(&K, f, 0, 0);
	assert_int_equal(K.eth.in_runts, 2);
	assert_int_equal(NET.n, 0);
}

static void other_unicast_dropped(void **state)
{
	(void)state;
	uint8_t f[64];
	static const uint8_t other[6] = {0x02, 0, 0, 0, 0, 0x99};
	static const uint8_t zero[6];
	size_t n = build_arp(f, bcast_mac, 1, peer_mac, PEER_IP, zero, OUR_IP);
	put_mac(f, other);
	keel_input(&K, f, n, 0);
	assert_int_equal(K.eth.in_not_for_us, 1);
	assert_int_equal(K.arp.stats.in_requests, 0);
	assert_int_equal(NET.n, 0);
}

static void multicast_dropped(void **state)
{
	(void)state;
	uint8_t f[80] = {0};
	static const uint8_t v6mc[6] = {0x33, 0x33, 0, 0, 0, 1};
	static const uint8_t v4mc[6] = {0x01, 0x00, 0x5e, 0, 0, 1};
	build_eth(f, v6mc, peer_mac, 0x86dd);
	keel_input(&K, f, 74, 0);
	build_eth(f, v4mc, peer_mac, 0x0800);
	keel_input(&K, f, 74, 0);
	assert_int_equal(K.eth.in_multicast, 2);
	assert_int_equal(K.eth.in_unknown_type, 0);
	assert_int_equal(K.ip.in_receives, 0);
}

static void broadcast_and_ours_dispatched(void **state)
{
	(void)state;
	uint8_t f[64];
	static const uint8_t zero[6];
	size_t n = build_arp(f, bcast_mac, 1, peer_mac, PEER_IP, zero, OUR_IP);
	keel_input(&K, f, n, 0);
	assert_int_equal(K.arp.stats.in_requests, 1);
	uint8_t icmp[16];
	size_t il = build_echo(icmp, 1, 1, NULL, 0);
	n = build_ipv4(f, peer_mac, PEER_IP, OUR_IP, 1, icmp, il);
	keel_input(&K, f, n, 0);
	assert_int_equal(K.ip.in_receives, 1);
	assert_int_equal(K.eth.in_frames, 2);
}

static void unknown_types_counted(void **state)
{
	(void)state;
	uint8_t f[60] = {0};
	build_eth(f, our_mac, peer_mac, 0x86dd); /* IPv6 */
	keel_input(&K, f, 60, 0);
	build_eth(f, our_mac, peer_mac, 0x002e); /* 802.3 length field */
	keel_input(&K, f, 60, 0);
	build_eth(f, bcast_mac, peer_mac, 0x8100); /* VLAN tag */
	keel_input(&K, f, 60, 0);
	assert_int_equal(K.eth.in_unknown_type, 3);
	assert_int_equal(K.ip.in_receives, 0);
	assert_int_equal(K.arp.stats.in_errors, 0);
}

static void output_header_and_padding(void **state)
{
	(void)state;
	memset(K.txbuf, 0xaa, sizeof(K.txbuf)); /* stale bytes must not leak */
	memcpy(K.txbuf + 14, "hello", 5);
	assert_int_equal(eth_output(&K, peer_mac, 0x0800, 5), 0);
	assert_int_equal(NET.n, 1);
	assert_int_equal(NET.len[0], 60);
	const uint8_t *f = NET.frame[0];
	assert_memory_equal(f, peer_mac, 6);
	assert_memory_equal(f + 6, our_mac, 6);
	assert_int_equal(load_be16(f + 12), 0x0800);
	assert_memory_equal(f + 14, "hello", 5);
	for (size_t i = 19; i < 60; i++)
		assert_int_equal(f[i], 0);
	assert_int_equal(K.eth.out_frames, 1);

	/* Every short length, both ways of padding (8 fixed bytes from 52
	 * bytes up, memset below): zeros to 60, never stale. */
	for (size_t plen = 20; plen < 46; plen++) {
		memset(K.txbuf, 0xaa, sizeof(K.txbuf));
		NET.n = 0;
		assert_int_equal(eth_output(&K, peer_mac, 0x0800, plen), 0);
		assert_int_equal(NET.len[0], 60);
		for (size_t i = 14; i < 14 + plen; i++)
			assert_int_equal(NET.frame[0][i], 0xaa);
		for (size_t i = 14 + plen; i < 60; i++)
			assert_int_equal(NET.frame[0][i], 0);
	}
	NET.n = 1;

	/* Long enough frames are sent as they are. */
	assert_int_equal(eth_output(&K, peer_mac, 0x0800, 100), 0);
	assert_int_equal(NET.len[1], 114);
	assert_int_equal(eth_output(&K, peer_mac, 0x0800, KEEL_MTU), 0);
	assert_int_equal(NET.len[2], KEEL_FRAME_MAX);
}

static void output_errors_counted(void **state)
{
	(void)state;
	assert_int_equal(eth_output(&K, peer_mac, 0x0800, KEEL_MTU + 1), -1);
	assert_int_equal(K.eth.out_errors, 1);
	NET.refuse = 1;
	assert_int_equal(eth_output(&K, peer_mac, 0x0800, 46), -1);
	assert_int_equal(K.eth.out_errors, 2);
	assert_int_equal(K.eth.out_frames, 0);
	assert_int_equal(NET.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(runt_counted, fake_setup),
		cmocka_unit_test_setup(other_unicast_dropped, fake_setup),
		cmocka_unit_test_setup(multicast_dropped, fake_setup),
		cmocka_unit_test_setup(broadcast_and_ours_dispatched, fake_setup),
		cmocka_unit_test_setup(unknown_types_counted, fake_setup),
		cmocka_unit_test_setup(output_header_and_padding, fake_setup),
		cmocka_unit_test_setup(output_errors_counted, fake_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
