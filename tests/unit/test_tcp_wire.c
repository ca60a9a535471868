/* The TCP codec alone (stack/tcp/tcp_wire.c): headers written into a buffer
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

/* A SYN with every option, in Linux's order and alignment, parses back. */
static void test_options_syn_round_trip(void **state)
{
	(void)state;
	uint8_t b[80];
	struct tcp_out o = syn;
	o.opts = TCP_OPTF_TS | TCP_OPTF_SACKOK | TCP_OPTF_WSCALE;
	o.wscale = 7;
	o.tsval = 0x11223344u;
	o.tsecr = 0x55667788u;
	assert_int_equal(tcp_opt_len(&o), 20);
	assert_int_equal(tcp_seg_write(b, sizeof(b), &o, 0, 1), 40);
	static const uint8_t want[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0x11, 0x22, 0x33, 0x44,
					 0x55, 0x66, 0x77, 0x88, 1, 3, 3, 7};
	assert_memory_equal(b + 20, want, 20);
	struct ipv4_packet ip = {.src = SRC, .dst = DST, .proto = IP_PROTO_TCP, .payload = b, .len = 40};
	struct tcp_seg s;
	assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_OK);
	assert_int_equal(s.mss, 1460);
	assert_int_equal(s.opts, TCP_OPTF_TS | TCP_OPTF_SACKOK | TCP_OPTF_WSCALE);
	assert_int_equal(s.wscale, 7);
	assert_int_equal(s.tsval, 0x11223344u);
	assert_int_equal(s.tsecr, 0x55667788u);
}

/* Data with timestamps and SACK blocks: 3 blocks fit beside timestamps,
 * the 4th is left out; the payload sits after the options. */
static void test_options_sack_blocks_fit(void **state)
{
	(void)state;
	uint8_t b[128];
	struct tcp_out o = syn;
	o.mss = 0;
	o.flags = TCP_ACK;
	o.opts = TCP_OPTF_TS | TCP_OPTF_SACK;
	o.nsack = 4;
	for (uint32_t i = 0; i < 4; i++) {
		o.sack[i].start = 1000u * (i + 1);
		o.sack[i].end = 1000u * (i + 1) + 500u;
	}
	assert_int_equal(tcp_opt_len(&o), 12 + 4 + 24);
	memcpy(b + 20 + 40, "xy", 2);
	assert_int_equal(tcp_seg_write(b, sizeof(b), &o, 2, 1), 62);
	struct ipv4_packet ip = {.src = SRC, .dst = DST, .proto = IP_PROTO_TCP, .payload = b, .len = 62};
	struct tcp_seg s;
	assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_OK);
	assert_int_equal(s.opts, TCP_OPTF_TS | TCP_OPTF_SACK);
	assert_int_equal(s.nsack, 3);
	assert_int_equal(s.sack[2].start, 3000);
	assert_int_equal(s.sack[2].end, 3500);
	assert_int_equal(s.len, 2);
	assert_memory_equal(s.data, "xy", 2);
	o.opts = TCP_OPTF_SACK;   /* without timestamps all 4 fit */
	assert_int_equal(tcp_opt_len(&o), 4 + 32);
}

/* Wrong lengths for known kinds are malformed; a shift above 14 reads 14. */
static void test_options_malformed(void **state)
{
	(void)state;
	static const uint8_t bad[][8] = {
		{8, 8, 0, 0, 0, 0, 0, 0}, {3, 4, 1, 0}, {4, 3, 0, 0}, {5, 2, 0, 0}, {5, 11, 0, 0, 0, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint8_t b[40] = {0};
		struct tcp_out o = syn;
		o.mss = 0;
		assert_int_equal(tcp_seg_write(b, sizeof(b), &o, 0, 0), 20);
		memcpy(b + 20, bad[i], 8);
		b[12] = 7u << 4;   /* 28 bytes of header */
		uint16_t c = csum_fold(csum_add(csum_pseudo(SRC, DST, IP_PROTO_TCP, 28), b, 28));
		b[16] = (uint8_t)(c >> 8);
		b[17] = (uint8_t)c;
		struct ipv4_packet ip = {.src = SRC, .dst = DST, .proto = IP_PROTO_TCP, .payload = b, .len = 28};
		struct tcp_seg s;
		assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_OPTIONS);
	}
	uint8_t b[40] = {0};
	struct tcp_out o = syn;
	o.mss = 0;
	o.opts = TCP_OPTF_WSCALE;
	o.wscale = 20;
	assert_int_equal(tcp_seg_write(b, sizeof(b), &o, 0, 1), 24);
	struct ipv4_packet ip = {.src = SRC, .dst = DST, .proto = IP_PROTO_TCP, .payload = b, .len = 24};
	struct tcp_seg s;
	assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_OK);
	assert_int_equal(s.wscale, 14);
}

/* The 12-byte NOP,NOP,TS layout is read by a shortcut: it must give
 * what the general walk gives for the same timestamps laid out otherwise
 * (TS,NOP,NOP), leave fields it does not carry clear even in a reused
 * struct, and a TS of the wrong length in that layout is still malformed. */
static void test_options_ts_shortcut(void **state)
{
	(void)state;
	static const uint8_t layouts[][12] = {
		{1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8},   /* the shortcut */
		{8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1},   /* the walk */
		{1, 1, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8},    /* TS length 9: malformed */
	};
	struct tcp_seg got[2];
	for (size_t i = 0; i < 3; i++) {
		uint8_t b[32] = {0};
		struct tcp_out o = syn;
		o.mss = 0;
		assert_int_equal(tcp_seg_write(b, sizeof(b), &o, 0, 0), 20);
		memcpy(b + 20, layouts[i], 12);
		b[12] = 8u << 4;   /* 32 bytes of header */
		uint16_t c = csum_fold(csum_add(csum_pseudo(SRC, DST, IP_PROTO_TCP, 32), b, 32));
		b[16] = (uint8_t)(c >> 8);
		b[17] = (uint8_t)c;
		struct ipv4_packet ip = {.src = SRC, .dst = DST, .proto = IP_PROTO_TCP, .payload = b, .len = 32};
		struct tcp_seg s;
		memset(&s, 0xa5, sizeof(s));   /* a struct reused from an earlier segment */
		if (i == 2) {
			assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_OPTIONS);
			continue;
		}
		assert_int_equal(tcp_seg_parse(&ip, &s), TCP_PARSE_OK);
		got[i] = s;
	}
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(got[i].opts, TCP_OPTF_TS);
		assert_int_equal(got[i].tsval, 0x01020304u);
		assert_int_equal(got[i].tsecr, 0x05060708u);
		assert_int_equal(got[i].mss, 0);
		assert_int_equal(got[i].wscale, 0);
		assert_int_equal(got[i].nsack, 0);
		assert_int_equal(got[i].len, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_syn_with_mss),
		cmocka_unit_test(test_write_data_and_parse_back),
		cmocka_unit_test(test_write_without_checksum),
		cmocka_unit_test(test_write_refuses),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_options_syn_round_trip),
		cmocka_unit_test(test_options_sack_blocks_fit),
		cmocka_unit_test(test_options_malformed),
		cmocka_unit_test(test_options_ts_shortcut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
