/* IPv4 input validation (each drop under its own counter), delivery, and
 * output: header bytes, next hop choice. */
#include "unit/fake_net.h"

static uint8_t F[KEEL_FRAME_MAX + 64];

/* A valid echo request from the peer to us; the peer is in the cache. */
static size_t echo_frame(uint32_t src, uint32_t dst)
{
	uint8_t icmp[32];
	size_t il = build_echo(icmp, 7, 1, (const uint8_t *)"abcdefgh", 8);
	return build_ipv4(F, peer_mac, src, dst, IP_PROTO_ICMP, icmp, il);
}

static int setup(void **state)
{
	fake_setup(state);
	learn(PEER_IP, peer_mac, 0);
	fake_clear();
	return 0;
}

static void input(size_t n)
{
	keel_input(&K, F, n, 1);
}

static void valid_delivered(void **state)
{
	(void)state;
	input(echo_frame(PEER_IP, OUR_IP));
	assert_int_equal(K.ip.in_receives, 1);
	assert_int_equal(K.ip.in_delivers, 1);
	assert_int_equal(K.icmp.in_echos, 1);
	assert_int_equal(NET.n, 1);
}

static void bad_version(void **state)
{
	(void)state;
	size_t n = echo_frame(PEER_IP, OUR_IP);
	F[14] = 0x65;
	fix_ip_csum(F);
	input(n);
	assert_int_equal(K.ip.in_hdr_errors, 1);
	assert_int_equal(K.ip.in_delivers, 0);
}

static void bad_ihl(void **state)
{
	(void)state;
	size_t n = echo_frame(PEER_IP, OUR_IP);
	F[14] = 0x44;
	input(n);
	assert_int_equal(K.ip.in_hdr_errors, 1);
	assert_int_equal(K.ip.in_delivers, 0);
}

static void truncated_header(void **state)
{
	(void)state;
	echo_frame(PEER_IP, OUR_IP);
	input(14 + 19); /* less than the fixed header */
	assert_int_equal(K.ip.in_hdr_errors, 1);
	/* IHL 15 (60 bytes) in a 36-byte datagram: header cut short. */
	size_t n = echo_frame(PEER_IP, OUR_IP);
	F[14] = 0x4f;
	input(n);
	assert_int_equal(K.ip.in_hdr_errors, 2);
	assert_int_equal(K.ip.in_csum_errors, 0);
	assert_int_equal(K.ip.in_delivers, 0);
}

static void bad_checksum(void **state)
{
	(void)state;
	size_t n = echo_frame(PEER_IP, OUR_IP);
	F[14 + 10] ^= 0x01;
	input(n);
	assert_int_equal(K.ip.in_csum_errors, 1);
	assert_int_equal(K.ip.in_hdr_errors, 0);
	assert_int_equal(K.ip.in_delivers, 0);
}

static void total_length_beyond_frame(void **state)
{
	(void)state;
	size_t n = echo_frame(PEER_IP, OUR_IP);
	input(n - 1);
	assert_int_equal(K.ip.in_truncated, 1);
	store_be16(F + 14 + 2, (uint16_t)(n - 14 + 1));
	fix_ip_csum(F);
	input(n);
	assert_int_equal(K.ip.in_truncated, 2);
	assert_int_equal(K.ip.in_delivers, 0);
}

static void total_length_below_header(void **state)
{
	(void)state;
	size_t n = echo_frame(PEER_IP, OUR_IP);
	store_be16(F + 14 + 2, 19);
	fix_ip_csum(F);
	input(n);
	assert_int_equal(K.ip.in_hdr_errors, 1);
	assert_int_equal(K.ip.in_delivers, 0);
}

/* A short datagram padded by Ethernet: the padding is not payload, or the
 * ICMP checksum (over the payload) would fail. */
static void padding_trimmed(void **state)
{
	(void)state;
	uint8_t icmp[8];
	size_t il = build_echo(icmp, 9, 2, NULL, 0);
	size_t n = build_ipv4(F, peer_mac, PEER_IP, OUR_IP, IP_PROTO_ICMP, icmp, il);
	assert_int_equal(n, 42);
	memset(F + n, 0xee, 60 - n);
	input(60);
	assert_int_equal(K.ip.in_padding_trimmed, 1);
	assert_int_equal(K.icmp.in_csum_errors, 0);
	assert_int_equal(K.icmp.out_echo_reps, 1);
	assert_int_equal(load_be16(NET.frame[0] + 14 + 2), 28); /* reply not padded */
}

static void fragments_dropped(void **state)
{
	(void)state;
	static const uint16_t frag[] = {0x2000 /* MF */, 0x0005 /* offset */, 0x6000 /* DF|MF */};
	for (size_t i = 0; i < 3; i++) {
		size_t n = echo_frame(PEER_IP, OUR_IP);
		store_be16(F + 14 + 6, frag[i]);
		fix_ip_csum(F);
		input(n);
		assert_int_equal(K.ip.in_fragments, i + 1);
	}
	assert_int_equal(K.ip.in_delivers, 0);
	size_t n = echo_frame(PEER_IP, OUR_IP);
	store_be16(F + 14 + 6, 0x4000); /* DF alone is no fragment */
	fix_ip_csum(F);
	input(n);
	assert_int_equal(K.ip.in_delivers, 1);
}

/* Rebuilds the echo frame with these option bytes (a multiple of 4). */
static size_t with_options(const uint8_t *opt, size_t olen)
{
	uint8_t icmp[32];
	size_t il = build_echo(icmp, 7, 1, (const uint8_t *)"abcdefgh", 8);
	build_ipv4(F, peer_mac, PEER_IP, OUR_IP, IP_PROTO_ICMP, NULL, 0);
	F[14] = (uint8_t)(0x40 | (20 + olen) / 4);
	store_be16(F + 14 + 2, (uint16_t)(20 + olen + il));
	memcpy(F + 34, opt, olen);
	memcpy(F + 34 + olen, icmp, il);
	fix_ip_csum(F);
	return 34 + olen + il;
}

static void options_skipped(void **state)
{
	(void)state;
	static const uint8_t nops[4] = {1, 1, 1, 0};
	input(with_options(nops, 4));
	assert_int_equal(K.ip.in_options, 1);
	assert_int_equal(K.ip.in_delivers, 1);
	assert_int_equal(K.icmp.out_echo_reps, 1); /* payload found after them */
	/* Record route (type 7), well formed: still delivered. */
	static const uint8_t rr[8] = {7, 7, 4, 0, 0, 0, 0, 0};
	input(with_options(rr, 8));
	assert_int_equal(K.ip.in_options, 2);
	assert_int_equal(K.ip.in_delivers, 2);
}

static void bad_options_dropped(void **state)
{
	(void)state;
	static const uint8_t zero_len[4] = {7, 0, 0, 0};
	static const uint8_t too_long[4] = {7, 9, 4, 0};
	static const uint8_t cut[4] = {1, 1, 1, 68}; /* timestamp without its length */
	input(with_options(zero_len, 4));
	input(with_options(too_long, 4));
	input(with_options(cut, 4));
	assert_int_equal(K.ip.in_hdr_errors, 3);
	static const uint8_t lsrr[8] = {131, 7, 4, 192, 0, 2, 9, 0};
	static const uint8_t ssrr[8] = {1, 137, 6, 4, 192, 0, 2, 9};
	input(with_options(lsrr, 8));
	input(with_options(ssrr, 8));
	assert_int_equal(K.ip.in_srcroute, 2);
	assert_int_equal(K.ip.in_delivers, 0);
	assert_int_equal(K.ip.in_options, 0);
}

static void not_for_us(void **state)
{
	(void)state;
	input(echo_frame(PEER_IP, IP4(192, 0, 2, 3)));
	input(echo_frame(PEER_IP, IP4(224, 0, 0, 1)));
	input(echo_frame(PEER_IP, 0));
	assert_int_equal(K.ip.in_addr_errors, 3);
	assert_int_equal(K.ip.in_delivers, 0);
	/* Unconfigured (address 0): unicast to anything is not for us. */
	keel_set_addr(&K, 0, 24, 0);
	input(echo_frame(PEER_IP, OUR_IP));
	assert_int_equal(K.ip.in_addr_errors, 4);
}

static void broadcasts_delivered_not_echoed(void **state)
{
	(void)state;
	input(echo_frame(PEER_IP, 0xffffffffu));
	input(echo_frame(PEER_IP, IP4(192, 0, 2, 255)));
	assert_int_equal(K.ip.in_delivers, 2);
	assert_int_equal(K.icmp.in_echos, 2);
	assert_int_equal(K.icmp.in_echo_bcast, 2);
	assert_int_equal(NET.n, 0);
	/* On a /31 there is no directed broadcast (RFC 3021). */
	keel_set_addr(&K, IP4(192, 0, 2, 2), 31, 0);
	input(echo_frame(IP4(192, 0, 2, 3), IP4(192, 0, 2, 3)));
	assert_int_equal(K.ip.in_addr_errors, 1);
}

static void martian_sources(void **state)
{
	(void)state;
	static const uint32_t bad[] = {0, 0xffffffffu, IP4(192, 0, 2, 255), IP4(224, 0, 0, 5),
				       IP4(127, 0, 0, 1), IP4(240, 0, 0, 1), OUR_IP};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		input(echo_frame(bad[i], OUR_IP));
		assert_int_equal(K.ip.in_martians, i + 1);
	}
	assert_int_equal(K.ip.in_delivers, 0);
	assert_int_equal(NET.n, 0);
}

static void protocols(void **state)
{
	(void)state;
	uint8_t raw[8] = {0};
	input(build_ipv4(F, peer_mac, PEER_IP, OUR_IP, 253, raw, 8));
	assert_int_equal(K.ip.in_unknown_protos, 1);
	assert_int_equal(K.ip.in_delivers, 0);
	uint8_t tcp[20] = {0};
	input(build_ipv4(F, peer_mac, PEER_IP, IP4(192, 0, 2, 255), IP_PROTO_TCP, tcp, 20));
	assert_int_equal(K.ip.in_bcast_drops, 1);
	assert_int_equal(K.ip.in_delivers, 0);
	input(build_ipv4(F, peer_mac, PEER_IP, OUR_IP, IP_PROTO_TCP, tcp, 20));
	assert_int_equal(K.ip.in_delivers, 1);
}

static void ttl_zero_delivered(void **state)
{
	(void)state;
	size_t n = echo_frame(PEER_IP, OUR_IP);
	F[14 + 8] = 0;
	fix_ip_csum(F);
	input(n);
	assert_int_equal(K.ip.in_delivers, 1);
	assert_int_equal(K.icmp.out_echo_reps, 1);
}

/* ---- output ---- */

static void output_header_exact(void **state)
{
	(void)state;
	memcpy(ipv4_payload_buf(&K), "xyz", 3);
	assert_int_equal(ipv4_output(&K, PEER_IP, 253, 3), 0);
	assert_int_equal(ipv4_output(&K, PEER_IP, 253, 3), 0);
	assert_int_equal(NET.n, 2);
	uint8_t want[23] = {0x45, 0, 0, 23, 0, 0, 0x40, 0, 64, 253, 0, 0,
			    192, 0, 2, 2, 192, 0, 2, 10, 'x', 'y', 'z'};
	store_be16(want + 10, csum_fold(csum_add(0, want, 20)));
	assert_memory_equal(NET.frame[0] + 14, want, 23);
	assert_memory_equal(NET.frame[0], peer_mac, 6);
	want[5] = 1; /* the next Identification */
	store_be16(want + 10, 0);
	store_be16(want + 10, csum_fold(csum_add(0, want, 20)));
	assert_memory_equal(NET.frame[1] + 14, want, 23);
	assert_int_equal(K.ip.out_requests, 2);
}

static void route_on_link_gateway_none(void **state)
{
	(void)state;
	keel_set_addr(&K, OUR_IP, 25, GW_IP); /* .200 is off-link */
	/* On link: resolve the destination itself. */
	assert_int_equal(ipv4_output(&K, IP4(192, 0, 2, 20), 253, 10), 0);
	assert_int_equal(load_be32(NET.frame[0] + 14 + 24), IP4(192, 0, 2, 20));
	/* Off link: resolve the gateway, the IP destination unchanged. */
	assert_int_equal(ipv4_output(&K, IP4(192, 0, 2, 200), 253, 10), 0);
	assert_int_equal(load_be16(NET.frame[1] + 12), 0x0806);
	assert_int_equal(load_be32(NET.frame[1] + 14 + 24), GW_IP);
	fake_clear();
	learn(GW_IP, gw_mac, 2);
	assert_int_equal(NET.n, 2); /* the queued datagram, then our reply */
	assert_memory_equal(NET.frame[0], gw_mac, 6);
	assert_int_equal(load_be32(NET.frame[0] + 14 + 16), IP4(192, 0, 2, 200));
	/* No gateway: nowhere to send it. */
	fake_clear();
	keel_set_addr(&K, OUR_IP, 25, 0);
	assert_int_equal(ipv4_output(&K, IP4(192, 0, 2, 200), 253, 10), -1);
	assert_int_equal(K.ip.out_no_routes, 1);
	/* Nor to ourselves or loopback: there is no loopback interface. */
	assert_int_equal(ipv4_output(&K, OUR_IP, 253, 10), -1);
	assert_int_equal(ipv4_output(&K, IP4(127, 0, 0, 1), 253, 10), -1);
	assert_int_equal(K.ip.out_no_routes, 3);
	assert_int_equal(NET.n, 0);
}

static void output_discards(void **state)
{
	(void)state;
	assert_int_equal(ipv4_output(&K, PEER_IP, 253, KEEL_MTU - 19), -1);
	assert_int_equal(K.ip.out_discards, 1);
	assert_int_equal(ipv4_output(&K, PEER_IP, 253, KEEL_MTU - 20), 0);
	assert_int_equal(NET.len[0], KEEL_FRAME_MAX);
	NET.refuse = 1;
	assert_int_equal(ipv4_output(&K, PEER_IP, 253, 10), -1);
	assert_int_equal(K.ip.out_discards, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(valid_delivered, setup),
		cmocka_unit_test_setup(bad_version, setup),
		cmocka_unit_test_setup(bad_ihl, setup),
		cmocka_unit_test_setup(truncated_header, setup),
		cmocka_unit_test_setup(bad_checksum, setup),
		cmocka_unit_test_setup(total_length_beyond_frame, setup),
		cmocka_unit_test_setup(total_length_below_header, setup),
		cmocka_unit_test_setup(padding_trimmed, setup),
		cmocka_unit_test_setup(fragments_dropped, setup),
		cmocka_unit_test_setup(options_skipped, setup),
		cmocka_unit_test_setup(bad_options_dropped, setup),
		cmocka_unit_test_setup(not_for_us, setup),
		cmocka_unit_test_setup(broadcasts_delivered_not_echoed, setup),
		cmocka_unit_test_setup(martian_sources, setup),
		cmocka_unit_test_setup(protocols, setup),
		cmocka_unit_test_setup(ttl_zero_delivered, setup),
		cmocka_unit_test_setup(output_header_exact, setup),
		cmocka_unit_test_setup(route_on_link_gateway_none, setup),
		cmocka_unit_test_setup(output_discards, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
