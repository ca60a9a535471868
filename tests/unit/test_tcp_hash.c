/* The 4-tuple hash the TCB, SYN-queue and TIME_WAIT tables share, and the
 * memo of the last tuple hashed (tcp_hash): whatever order tuples come
 * in, it answers what tcp_tuple_hash under the stack's key does --
 * including the all-zero tuple right after start, which the memo holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "keel.h"
#include "tcp_internal.h"
#include "tcp_fixture.h"

static uint32_t plain(uint32_t raddr, uint16_t rport, uint16_t lport)
{
	return tcp_tuple_hash(K.tcp.hash_key, raddr, rport, lport);
}

static void test_memo_matches_the_hash(void **state)
{
	(void)state;
	tcp_fixture_setup(NULL);
	assert_int_equal(tcp_hash(&K, 0, 0, 0), plain(0, 0, 0));
	static const struct { uint32_t raddr; uint16_t rport, lport; } seq[] = {
		{0xc0000201u, 40000, 80}, {0xc0000201u, 40000, 80}, {0xc0000201u, 40001, 80},
		{0xc0000201u, 40001, 81}, {0xc0000203u, 40001, 81}, {0xc0000201u, 40000, 80},
		{0, 0, 0}, {0xc0000201u, 0, 0}, {0, 40000, 0}, {0, 0, 80},
	};
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
		assert_int_equal(tcp_hash(&K, seq[i].raddr, seq[i].rport, seq[i].lport),
				 plain(seq[i].raddr, seq[i].rport, seq[i].lport));
	/* A new instance (another key) forgets the old one's memo. */
	static const uint8_t seed2[16] = {42};
	uint32_t before = tcp_hash(&K, 0xc0000201u, 40000, 80);
	keel_init(&K, mac, US, 24, 0, seed2, tx_sink, NULL);
	assert_int_equal(tcp_hash(&K, 0xc0000201u, 40000, 80), plain(0xc0000201u, 40000, 80));
	assert_int_not_equal(tcp_hash(&K, 0xc0000201u, 40000, 80), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memo_matches_the_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
