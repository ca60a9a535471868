/* The TCP codec alone (stack/tcp_wire.c): headers written into a buffer
 * and parsed back, with no stack instance anywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "byteorder.h"
#include "checksum.h"
#include "ipv4.h"
#include "tcp_wire.h"

#define SRC 0xC0000202u
#define DST 0xC000020Au

static const struct tcp_out syn = {
	.saddr = SRC, .daddr = DST, .sport = 80, .dport = 40000,
	.seq = 0x01020304u, .ack = 0xA0B0C0D0u, .flags = TCP_SYN | TCP_ACK, .wnd = 2048, .mss = 1460,
};

static int checksum_ok(const uint8_t *seg, size_t len)
{
	return csum_fold(csum_add(csum_pseudo(SRC, DST, IP_PROTO_TCP, (uint16_t)len), seg, len)) == 0;
}

static struct ipv4_packet view(const uint8_t *seg, size_t len)
{
	struct ipv4_packet ip = {.src = DST, .dst = SRC, .proto = IP_PROTO_TCP, .payload = seg, .len = len};
	return ip;
}

static void test_write_syn_with_mss(void **state)
{
	(void)state;
	uint8_t b[64];
	memset(b, 0xee, sizeof(b));
	assert_int_equal(tcp_seg_write(b, sizeof(b), &syn, 0, 1), 24);
	assert_int_equal(load_be16(b), 80);
	assert_int_equal(load_be16(b + 2), 40000);
	assert_int_equal(load_be32(b + 4), 0x01020304u);
	assert_int_equal(load_be32(b + 8), 0xA0B0C0D0u);
	assert_int_equal(b[12], 6u << 4);                /* data offset: 24 bytes */
	assert_int_equal(b[13], TCP_SYN | TCP_ACK);
	assert_int_equal(load_be16(b + 14), 2048);
	assert_int_equal(load_be16(b + 18), 0);          /* urgent pointer */
	static const uint8_t opt[4] = {2, 4, 0x05, 0xb4};
	assert_memory_equal(b + 20, opt, 4);
	assert_true(checksum_ok(b, 24));
	assert_int_equal(b[24], 0xee);                   /* nothing past the header */
}

static void test_write_data_and_parse_back(void **state)
{
	(void)state;
	uint8_t b[128];
	struct tcp_out o = syn;
	o.mss = 0;
	o.flags = TCP_ACK | TCP_PSH;
	memcpy(b + TCP_HDR_LEN, "hello, keel", 11);
	assert_int_equal(tcp_seg_write(b, sizeof(b), &o, 11, 1), 31);
	assert_true(checksum_ok(b, 31));
	/* The peer's view: swap the addresses back. */
	struct ipv4_packet ip = {.src = SRC, .dst = DST, .proto = IP_PROTO_TCP, .payload = b, .len = 31};
	struct tcp_seg s;
	assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_OK);
	assert_int_equal(s.saddr, SRC);
	assert_int_equal(s.sport, 80);
	assert_int_equal(s.dport, 40000);
	assert_int_equal(s.seq, 0x01020304u);
	assert_int_equal(s.ack, 0xA0B0C0D0u);
	assert_int_equal(s.flags, TCP_ACK | TCP_PSH);
	assert_int_equal(s.wnd, 2048);
	assert_int_equal(s.mss, 0);
	assert_int_equal(s.len, 11);
	assert_ptr_equal(s.data, b + TCP_HDR_LEN);
	assert_int_equal(tcp_seg_seqlen(&s), 11);
}

static void test_write_without_checksum(void **state)
{
	(void)state;
	uint8_t b[64];
	memset(b, 0xee, sizeof(b));
	assert_int_equal(tcp_seg_write(b, sizeof(b), &syn, 0, 0), 24);
	assert_int_equal(load_be16(b + 16), 0);          /* left to the MAC */
}

static void test_write_refuses(void **state)
{
	(void)state;
	uint8_t b[64];
	assert_int_equal(tcp_seg_write(b, sizeof(b), &syn, 1, 1), -1);   /* SYN+MSS with payload */
	assert_int_equal(tcp_seg_write(b, 23, &syn, 0, 1), -1);          /* no room for the option */
	struct tcp_out o = syn;
	o.mss = 0;
	assert_int_equal(tcp_seg_write(b, 30, &o, 11, 1), -1);           /* payload beyond cap */
	assert_int_equal(tcp_seg_write(b, 31, &o, 11, 1), 31);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	uint8_t b[64];
	struct tcp_seg s;
	struct tcp_out o = syn;
	o.mss = 0;
	assert_int_equal(tcp_seg_write(b, sizeof(b), &o, 0, 1), 20);
	/* the peer's addresses: the checksum was made for SRC -> DST */
	struct ipv4_packet ip = view(b, 20);
	ip.src = SRC;
	ip.dst = DST;
	assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_OK);
	ip.len = 19;
	assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_SHORT);
	ip.len = 20;
	b[12] = 4u << 4;
	assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_DOFF);
	b[12] = 6u << 4;                                   /* 24 bytes of header in 20 */
	assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_SHORT);
	b[12] = 5u << 4;
	b[4] ^= 1;                                         /* one bit of the sequence */
	assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_CSUM);
	ip.csum_ok = 1;                                    /* the MAC checked it */
	assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_syn_with_mss),
		cmocka_unit_test(test_write_data_and_parse_back),
		cmocka_unit_test(test_write_without_checksum),
		cmocka_unit_test(test_write_refuses),
		cmocka_unit_test(test_parse_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
