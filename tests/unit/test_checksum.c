/* The Internet checksum (RFC 1071): known vectors, odd lengths, every
 * alignment, chained partial sums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "checksum.h"

/* The obvious byte-pair loop, the reference the fast code must match. */
static uint16_t ref_sum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void rfc1071_example(void **state)
{
	(void)state;
	/* RFC 1071 §3: these bytes sum to ddf2 (before complement). */
	static const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	assert_int_equal(csum_fold(csum_add(0, b, sizeof(b))), (uint16_t)~0xddf2);
}

static void ipv4_header_vector(void **state)
{
	(void)state;
	uint8_t h[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		       0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	assert_int_equal(csum_fold(csum_add(0, h, sizeof(h))), 0xb861);
	h[10] = 0xb8;
	h[11] = 0x61;
	assert_int_equal(csum_fold(csum_add(0, h, sizeof(h))), 0); /* verifies */
}

/* The 20-byte header sum equals the general one: the RFC vector, then
 * random headers at every alignment (frames put it at 2 mod 4) and the
 * all-ones header whose carries must fold. */
static void ipv4_header_fixed(void **state)
{
	(void)state;
	uint8_t h[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		       0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	assert_int_equal(csum_fold(csum_ipv4_hdr(h)), 0xb861);
	static uint8_t buf[64];
	uint32_t x = 777;
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (uint8_t)(x >> 16);
		}
		for (size_t off = 0; off < 8; off++)
			assert_int_equal(csum_fold(csum_ipv4_hdr(buf + off)),
					 (uint16_t)~ref_sum(buf + off, 20));
	}
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(csum_fold(csum_ipv4_hdr(buf)), (uint16_t)~ref_sum(buf, 20));
}

static void odd_lengths(void **state)
{
	(void)state;
	static const uint8_t one[] = {0xab};
	assert_int_equal(csum_fold(csum_add(0, one, 1)), (uint16_t)~0xab00);
	static const uint8_t three[] = {0x01, 0x02, 0x03};
	assert_int_equal(csum_fold(csum_add(0, three, 3)), (uint16_t)~(0x0102 + 0x0300));
	assert_int_equal(csum_fold(csum_add(0, three, 0)), 0xffff);
}

/* Every length 0..300 at every alignment 0..7 against the reference. */
static void all_lengths_and_alignments(void **state)
{
	(void)state;
	static uint8_t buf[320];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len <= 300; len++)
			assert_int_equal(csum_fold(csum_add(0, buf + off, len)),
					 (uint16_t)~ref_sum(buf + off, len));
}

static void carries_fold(void **state)
{
	(void)state;
	static uint8_t ff[1500];
	memset(ff, 0xff, sizeof(ff));
	assert_int_equal(ref_sum(ff, sizeof(ff)), 0xffff);
	assert_int_equal(csum_fold(csum_add(0, ff, sizeof(ff))), 0);
	/* A running sum near 2^32 must not lose its carry. */
	uint32_t s = csum_add(0xfffffffeu, ff, 64);
	uint32_t ref = 0xfffe + 0xffff; /* 0xfffffffe = 0xffff*0x10000 + 0xfffe, 0xffff == 0 */
	assert_int_equal(csum_fold(s), csum_fold(ref));
}

static void chained_even_chunks(void **state)
{
	(void)state;
	uint8_t b[101];
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(i * 7 + 3);
	uint32_t s = csum_add(0, b, 40);
	s = csum_add(s, b + 40, 22);
	s = csum_add(s, b + 62, 39); /* only the last chunk odd */
	assert_int_equal(csum_fold(s), (uint16_t)~ref_sum(b, sizeof(b)));
}

static void pseudo_header(void **state)
{
	(void)state;
	/* The same bytes laid out as RFC 9293 §3.1 draws them. */
	uint8_t ph[12] = {192, 0, 2, 2, 192, 0, 2, 10, 0, 6, 0x05, 0xdc};
	uint32_t s = csum_pseudo(0xc0000202u, 0xc000020au, 6, 1500);
	assert_int_equal(csum_fold(s), (uint16_t)~ref_sum(ph, sizeof(ph)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc1071_example),
		cmocka_unit_test(ipv4_header_vector),
		cmocka_unit_test(ipv4_header_fixed),
		cmocka_unit_test(odd_lengths),
		cmocka_unit_test(all_lengths_and_alignments),
		cmocka_unit_test(carries_fold),
		cmocka_unit_test(chained_even_chunks),
		cmocka_unit_test(pseudo_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
