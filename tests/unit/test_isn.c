/* RFC 6528 ISNs: clock part, hash part, key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "isn.h"
#include "siphash.h"

static const uint8_t key[16] = { 0x3a, 0x91, 0x07, 0xc4, 0x5e, 0x12, 0xf0, 0x6b,
				 0x88, 0x2d, 0xe7, 0x19, 0xa4, 0x53, 0xcc, 0x01 };
#define LA 0xc0000202u /* 192.0.2.2 */
#define RA 0xc0000201u /* 192.0.2.1 */

/* Pins the encoding: F is SipHash of laddr, lport, raddr, rport, big-endian. */
static void test_known_encoding(void **state)
{
	(void)state;
	const uint8_t t[12] = { 192, 0, 2, 2, 0x00, 0x50, 192, 0, 2, 1, 0xc3, 0x51 };
	uint32_t f = (uint32_t)siphash24(key, t, sizeof t);
	assert_int_equal(tcp_isn(key, LA, 80, RA, 50001, 0), f);
	assert_int_equal(tcp_isn(key, LA, 80, RA, 50001, 1000), (uint32_t)(f + 250000u));
}

static void test_clock_250_per_ms(void **state)
{
	(void)state;
	uint32_t t0 = 123456u;
	uint32_t a = tcp_isn(key, LA, 7, RA, 40000, t0);
	assert_int_equal((uint32_t)(tcp_isn(key, LA, 7, RA, 40000, t0 + 1) - a), 250u);
	assert_int_equal((uint32_t)(tcp_isn(key, LA, 7, RA, 40000, t0 + 4000) - a), 1000000u);
	/* Monotonic over a minute in 1 s steps (distance < 2^31: "increasing"). */
	uint32_t prev = a;
	for (uint32_t s = 1; s <= 60; s++) {
		uint32_t cur = tcp_isn(key, LA, 7, RA, 40000, t0 + s * 1000u);
		assert_true((int32_t)(cur - prev) > 0);
		prev = cur;
	}
}

/* The 32-bit millisecond clock wraps after ~49.7 days; M must not jump. */
static void test_clock_continuous_across_ms_wrap(void **state)
{
	(void)state;
	uint32_t before = tcp_isn(key, LA, 7, RA, 40000, 0xffffffffu);
	uint32_t after = tcp_isn(key, LA, 7, RA, 40000, 0);
	assert_int_equal((uint32_t)(after - before), 250u);
}

/* Changing any one field of the tuple changes the ISN at the same instant. */
static void test_each_field_matters(void **state)
{
	(void)state;
	uint32_t base = tcp_isn(key, LA, 80, RA, 50001, 777);
	assert_true(tcp_isn(key, LA + 1, 80, RA, 50001, 777) != base);
	assert_true(tcp_isn(key, LA, 81, RA, 50001, 777) != base);
	assert_true(tcp_isn(key, LA, 80, RA + 1, 50001, 777) != base);
	assert_true(tcp_isn(key, LA, 80, RA, 50002, 777) != base);
	/* Local and remote are not interchangeable. */
	assert_true(tcp_isn(key, RA, 50001, LA, 80, 777) != base);
}

/* Neighbouring tuples (a scanner's consecutive source ports) get unrelated
 * ISNs: all distinct, no constant step, and each bit about half the time. */
static void test_tuples_unrelated(void **state)
{
	(void)state;
	enum { N = 1024 };
	static uint32_t isn[N];
	unsigned ones[32] = { 0 };
	unsigned same_step = 0;
	for (unsigned i = 0; i < N; i++) {
		isn[i] = tcp_isn(key, LA, 80, RA, (uint16_t)(30000 + i), 5000);
		for (unsigned b = 0; b < 32; b++)
			ones[b] += (isn[i] >> b) & 1u;
		if (i >= 2 && isn[i] - isn[i - 1] == isn[i - 1] - isn[i - 2])
			same_step++;
	}
	for (unsigned i = 0; i < N; i++)
		for (unsigned j = i + 1; j < N; j++)
			assert_true(isn[i] != isn[j]);
	assert_true(same_step < 2);
	for (unsigned b = 0; b < 32; b++) {
		assert_in_range(ones[b], N * 4 / 10, N * 6 / 10);
	}
}

static void test_key_matters(void **state)
{
	(void)state;
	uint8_t k2[16];
	uint32_t base = tcp_isn(key, LA, 80, RA, 50001, 42);
	for (unsigned bit = 0; bit < 128; bit++) {
		memcpy(k2, key, sizeof k2);
		k2[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_true(tcp_isn(k2, LA, 80, RA, 50001, 42) != base);
	}
}

/* tcp_isn_next: within one millisecond each ISN of a 4-tuple is one tick
 * above the last, up to the millisecond's 250th; never the next ms's. */
static void test_next_strictly_increasing_within_ms(void **state)
{
	(void)state;
	struct isn_clock c = { 0, 0 };
	uint32_t base = tcp_isn(key, LA, 7, RA, 40000, 5000);
	uint32_t prev = tcp_isn_next(&c, key, LA, 7, RA, 40000, 5000);
	assert_int_equal(prev, base);
	for (unsigned i = 1; i < 300; i++) {
		uint32_t cur = tcp_isn_next(&c, key, LA, 7, RA, 40000, 5000);
		if (i < 250)
			assert_int_equal(cur, prev + 1u);
		else
			assert_int_equal(cur, base + 249u);   /* saturated */
		prev = cur;
	}
	uint32_t next = tcp_isn_next(&c, key, LA, 7, RA, 40000, 5001);
	assert_int_equal(next, base + 250u);
	assert_true((int32_t)(next - prev) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_encoding),
		cmocka_unit_test(test_clock_250_per_ms),
		cmocka_unit_test(test_clock_continuous_across_ms_wrap),
		cmocka_unit_test(test_each_field_matters),
		cmocka_unit_test(test_tuples_unrelated),
		cmocka_unit_test(test_key_matters),
		cmocka_unit_test(test_next_strictly_increasing_within_ms),
	};
	return cmocka_run_group_tests_name("isn", tests, NULL, NULL);
}
