/* firmware/fmt.c on the host: the console's printf subset, address
 * formatting, and the argument parsers the commands use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "fmt.h"

static void test_conversions(void **state)
{
	(void)state;
	char b[64];
	assert_int_equal(fmt_snprintf(b, sizeof(b), "%d|%i|%u", -42, 7, 4000000000u), 16);
	assert_string_equal(b, "-42|7|4000000000");
	fmt_snprintf(b, sizeof(b), "%x|%X|%c|%s|%%", 0xbeefu, 0xbeefu, 'k', "eel");
	assert_string_equal(b, "beef|BEEF|k|eel|%");
	fmt_snprintf(b, sizeof(b), "[%5d][%-5d][%05d][%*u]", 42, 42, -42, 4, 7u);
	assert_string_equal(b, "[   42][42   ][-0042][   7]");
	fmt_snprintf(b, sizeof(b), "%lu %zu", (unsigned long)UINT32_MAX, (size_t)12);
	assert_string_equal(b, "4294967295 12");
	fmt_snprintf(b, sizeof(b), "%d", (int)INT32_MIN);
	assert_string_equal(b, "-2147483648");
}

static void test_truncation(void **state)
{
	(void)state;
	char b[6];
	memset(b, 'x', sizeof(b));
	/* snprintf semantics: the full length comes back, the buffer holds
	 * what fits and is terminated. */
	assert_int_equal(fmt_snprintf(b, sizeof(b), "%s-%u", "abcdef", 12u), 9);
	assert_string_equal(b, "abcde");
	assert_int_equal(fmt_snprintf(b, 0, "%s", "abc"), 3);
	assert_int_equal(b[0], 'a');   /* cap 0: nothing written */
	assert_int_equal(fmt_snprintf(b, 1, "%s", "abc"), 3);
	assert_string_equal(b, "");
}

static void test_addresses(void **state)
{
	(void)state;
	char ip[FMT_IP_LEN], mac[FMT_MAC_LEN];
	assert_string_equal(fmt_ip(ip, 0xC0000202u), "192.0.2.2");
	assert_string_equal(fmt_ip(ip, 0xffffffffu), "255.255.255.255");
	static const uint8_t m[6] = {0x02, 0x00, 0xab, 0x0c, 0xff, 0x10};
	assert_string_equal(fmt_mac(mac, m), "02:00:ab:0c:ff:10");
}

static void test_parse_ipv4(void **state)
{
	(void)state;
	uint32_t a = 7;
	assert_int_equal(parse_ipv4("192.0.2.9", &a), 0);
	assert_int_equal(a, 0xC0000209u);
	static const char *const bad[] = {"", "192.0.2", "192.0.2.9.1", "256.0.0.1", "1.2.3.4 ",
					  "1..2.3", "a.b.c.d", "1.2.3.-4", "192.0.2.9/24"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = 7;
		assert_int_equal(parse_ipv4(bad[i], &a), -1);
		assert_int_equal(a, 7);   /* untouched on error */
	}
}

static void test_parse_prefix(void **state)
{
	(void)state;
	uint32_t a = 0;
	uint8_t p = 99;
	assert_int_equal(parse_ipv4_prefix("192.0.2.9", &a, &p), 0);
	assert_int_equal(a, 0xC0000209u);
	assert_int_equal(p, 99);   /* no "/len": prefix left as it was */
	assert_int_equal(parse_ipv4_prefix("192.0.2.3/8", &a, &p), 0);
	assert_int_equal(a, 0xC0000203u);
	assert_int_equal(p, 8);
	assert_int_equal(parse_ipv4_prefix("192.0.2.3/0", &a, &p), 0);
	assert_int_equal(p, 0);
	assert_int_equal(parse_ipv4_prefix("192.0.2.3/33", &a, &p), -1);
	assert_int_equal(parse_ipv4_prefix("192.0.2.3/", &a, &p), -1);
	assert_int_equal(parse_ipv4_prefix("192.0.2.3/24x", &a, &p), -1);
	assert_int_equal(parse_ipv4_prefix("10.1.2.3x", &a, &p), -1);
	assert_int_equal(p, 0);
}

static void test_parse_u32(void **state)
{
	(void)state;
	uint32_t v = 7;
	assert_int_equal(parse_u32("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u32("4294967295", &v), 0);
	assert_int_equal(v, UINT32_MAX);
	v = 7;
	assert_int_equal(parse_u32("4294967296", &v), -1);   /* overflow */
	assert_int_equal(parse_u32("", &v), -1);
	assert_int_equal(parse_u32("12a", &v), -1);
	assert_int_equal(parse_u32("-1", &v), -1);
	assert_int_equal(parse_u32(" 1", &v), -1);
	assert_int_equal(v, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_parse_ipv4),
		cmocka_unit_test(test_parse_prefix),
		cmocka_unit_test(test_parse_u32),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
