/* ICMP destination unreachable (RFC 792, RFC 1122 §3.2.2 and §4.1.3.1):
 * port unreachable for UDP to a port nobody bound, protocol unreachable
 * for protocols it does not speak, the whole datagram quoted up to 576
 * bytes, never about broadcasts or ICMP errors, rate limited. */
#include "unit/fake_net.h"

static uint8_t F[KEEL_FRAME_MAX + 64];

static int setup(void **state)
{
	fake_setup(state);
	learn(PEER_IP, peer_mac, 0);
	fake_clear();
	return 0;
}

/* A UDP datagram with a correct checksum (or none: csum 0). */
static size_t udp_frame(uint32_t dst, uint16_t dport, size_t dlen, int with_csum)
{
	static uint8_t u[KEEL_MTU];
	store_be16(u, 40000);
	store_be16(u + 2, dport);
	store_be16(u + 4, (uint16_t)(8 + dlen));
	store_be16(u + 6, 0);
	for (size_t i = 0; i < dlen; i++)
		u[8 + i] = (uint8_t)(i ^ 0x5a);
	if (with_csum) {
		uint32_t sum = csum_pseudo(PEER_IP, dst, IP_PROTO_UDP, (uint16_t)(8 + dlen));
		uint16_t c = csum_fold(csum_add(sum, u, 8 + dlen));
		store_be16(u + 6, c ? c : 0xffff);
	}
	return build_ipv4(F, peer_mac, PEER_IP, dst, IP_PROTO_UDP, u, 8 + dlen);
}

/* Checks frame i is a destination unreachable with `code` quoting the
 * datagram in F (IP header onwards) up to 576 bytes in all. */
static void expect_unreach(int i, uint8_t code, size_t ip_len)
{
	const uint8_t *f = NET.frame[i];
	assert_memory_equal(f, peer_mac, 6);
	const uint8_t *h = f + 14;
	assert_int_equal(h[9], IP_PROTO_ICMP);
	assert_int_equal(load_be16(h + 6), 0);                   /* no DF on ICMP, as Linux */
	assert_int_equal(load_be32(h + 12), OUR_IP);
	assert_int_equal(load_be32(h + 16), PEER_IP);
	size_t quote = ip_len < 576 - 28 ? ip_len : 576 - 28;
	assert_int_equal(load_be16(h + 2), 20 + 8 + quote);
	const uint8_t *m = h + 20;
	assert_int_equal(m[0], 3);
	assert_int_equal(m[1], code);
	assert_int_equal(load_be32(m + 4), 0);                   /* unused */
	assert_memory_equal(m + 8, F + 14, quote);               /* the datagram */
	assert_int_equal(csum_fold(csum_add(0, m, 8 + quote)), 0);
}

static void udp_gets_port_unreachable(void **state)
{
	(void)state;
	size_t n = udp_frame(OUR_IP, 53, 12, 1);
	keel_input(&K, F, n, 10);
	assert_int_equal(NET.n, 1);
	expect_unreach(0, 3, 20 + 8 + 12);
	assert_int_equal(K.udp.stats.no_ports, 1);
	assert_int_equal(K.icmp.out_dest_unreachs, 1);
	/* no checksum (0) is valid UDP too */
	n = udp_frame(OUR_IP, 53, 3, 0);
	keel_input(&K, F, n, 11);
	assert_int_equal(NET.n, 2);
	expect_unreach(1, 3, 20 + 8 + 3);
}

static void long_datagram_quoted_to_576(void **state)
{
	(void)state;
	size_t n = udp_frame(OUR_IP, 9999, 1000, 1);
	keel_input(&K, F, n, 10);
	assert_int_equal(NET.n, 1);
	expect_unreach(0, 3, 20 + 8 + 1000);
}

static void bad_udp_dropped_silently(void **state)
{
	(void)state;
	size_t n = udp_frame(OUR_IP, 53, 12, 1);
	F[14 + 20 + 8] ^= 0xff;                                  /* breaks the checksum */
	keel_input(&K, F, n, 10);
	n = udp_frame(OUR_IP, 53, 12, 0);
	store_be16(F + 14 + 20 + 4, 100);                        /* UDP length > IP payload */
	keel_input(&K, F, n, 11);
	assert_int_equal(NET.n, 0);
	assert_int_equal(K.udp.stats.in_errors, 2);
	assert_int_equal(K.udp.stats.no_ports, 0);
}

static void unknown_protocol_gets_protocol_unreachable(void **state)
{
	(void)state;
	uint8_t raw[16] = {1, 2, 3};
	size_t n = build_ipv4(F, peer_mac, PEER_IP, OUR_IP, 253, raw, sizeof(raw));
	keel_input(&K, F, n, 10);
	assert_int_equal(NET.n, 1);
	expect_unreach(0, 2, 20 + sizeof(raw));
	assert_int_equal(K.ip.in_unknown_protos, 1);
}

static void no_error_about_broadcast_or_icmp_error(void **state)
{
	(void)state;
	size_t n = udp_frame(IP4(192, 0, 2, 255), 53, 4, 1);    /* subnet broadcast */
	keel_input(&K, F, n, 10);
	n = udp_frame(0xffffffffu, 53, 4, 1);                    /* limited broadcast */
	keel_input(&K, F, n, 11);
	uint8_t err[36] = {3, 3};                                /* an ICMP error itself */
	store_be16(err + 2, csum_fold(csum_add(0, err, sizeof(err))));
	/* ICMP to us with an unknown type is counted, never answered */
	n = build_ipv4(F, peer_mac, PEER_IP, OUR_IP, IP_PROTO_ICMP, err, sizeof(err));
	keel_input(&K, F, n, 12);
	assert_int_equal(NET.n, 0);
	assert_int_equal(K.icmp.out_dest_unreachs, 0);
}

static void errors_rate_limited(void **state)
{
	(void)state;
	/* 50 datagrams within 20 ms: the burst goes out, the rest is held */
	for (uint32_t i = 0; i < 50; i++) {
		size_t n = udp_frame(OUR_IP, 53, 4, 1);
		keel_input(&K, F, n, 1000 + i / 3);
	}
	assert_int_equal(NET.total, KEEL_ICMP_ERR_BURST);
	assert_int_equal(K.icmp.out_ratelimited, 50 - KEEL_ICMP_ERR_BURST);
	assert_int_equal(K.udp.stats.no_ports, 50);
	/* a second later: the steady rate allows more again */
	fake_clear();
	size_t n = udp_frame(OUR_IP, 53, 4, 1);
	keel_input(&K, F, n, 2100);
	assert_int_equal(NET.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(udp_gets_port_unreachable, setup),
		cmocka_unit_test_setup(long_datagram_quoted_to_576, setup),
		cmocka_unit_test_setup(bad_udp_dropped_silently, setup),
		cmocka_unit_test_setup(unknown_protocol_gets_protocol_unreachable, setup),
		cmocka_unit_test_setup(no_error_about_broadcast_or_icmp_error, setup),
		cmocka_unit_test_setup(errors_rate_limited, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
