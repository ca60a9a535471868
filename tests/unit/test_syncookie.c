/* SYN-cookie codec: round trips, MSS choice, forgeries, age, key rotation,
 * wrap of the millisecond clock and of sequence numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "syncookie.h"

#define PEER 0xc0000201u /* 192.0.2.1 */
#define US 0xc0000202u   /* 192.0.2.2 */
#define PPORT 40001
#define LPORT 80
#define UNIT (1u << SYNCOOKIE_COUNT_SHIFT)

static const uint8_t seed[16] = { 0x5b, 0xe1, 0x0c, 0x77, 0x92, 0x3d, 0xa8, 0x46,
				  0x1f, 0xc0, 0x64, 0xdb, 0x28, 0x9e, 0x03, 0xb5 };
static struct syncookie_keys ks;

/* Deterministic pseudo-random numbers (xorshift32): reproducible failures. */
static uint32_t rnd_state = 0x9e3779b9u;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static uint32_t make(uint32_t peer_isn, uint16_t mss, uint32_t now, uint16_t *used)
{
	return syncookie_make(&ks, PEER, PPORT, US, LPORT, peer_isn, mss, now, used);
}

static int check(uint32_t peer_isn, uint32_t cookie, uint32_t now, uint16_t *mss)
{
	return syncookie_check(&ks, PEER, PPORT, US, LPORT, peer_isn, cookie, now, mss);
}

static void test_round_trip_every_mss(void **state)
{
	(void)state;
	syncookie_init(&ks, seed, 1000);
	for (unsigned i = 0; i < SYNCOOKIE_NMSS; i++) {
		uint16_t used = 0, got = 0;
		uint32_t c = make(0x12345678u, syncookie_mss_table[i], 5000, &used);
		assert_int_equal(used, syncookie_mss_table[i]);
		assert_int_equal(check(0x12345678u, c, 5000, &got), 0);
		assert_int_equal(got, syncookie_mss_table[i]);
	}
}

/* Many tuples, ISNs and times: the mod-2^32 arithmetic holds everywhere. */
static void test_round_trip_random(void **state)
{
	(void)state;
	syncookie_init(&ks, seed, 0);
	for (unsigned n = 0; n < 2000; n++) {
		uint32_t sa = rnd(), da = rnd(), isn = rnd(), now = rnd() & 0x7fffu;
		uint16_t sp = (uint16_t)rnd(), dp = (uint16_t)rnd(), mss = (uint16_t)rnd();
		uint16_t used = 0, got = 0;
		uint32_t c = syncookie_make(&ks, sa, sp, da, dp, isn, mss, now, &used);
		assert_int_equal(syncookie_check(&ks, sa, sp, da, dp, isn, c, now + UNIT, &got), 0);
		assert_int_equal(got, used);
	}
}

static void test_mss_choice(void **state)
{
	(void)state;
	static const struct { uint16_t peer, want; } cases[] = {
		{ 0, 536 }, { 1, 536 }, { 535, 536 }, { 536, 536 }, { 1299, 536 },
		{ 1300, 1300 }, { 1439, 1300 }, { 1440, 1440 }, { 1459, 1440 },
		{ 1460, 1460 }, { 1461, 1460 }, { 8960, 1460 }, { 65535, 1460 },
	};
	syncookie_init(&ks, seed, 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint16_t used = 0, got = 0;
		uint32_t c = make(7, cases[i].peer, 100, &used);
		assert_int_equal(used, cases[i].want);
		assert_int_equal(check(7, c, 100, &got), 0);
		assert_int_equal(got, cases[i].want);
	}
}

/* Random guesses are rejected, and so is every one-bit change of a valid
 * cookie (the mac covers count and MSS index, W covers everything). */
static void test_forged_rejected(void **state)
{
	(void)state;
	syncookie_init(&ks, seed, 0);
	uint16_t mss = 0xbeef;
	for (unsigned n = 0; n < 100000; n++)
		assert_int_equal(check(1000, rnd(), 70000, &mss), -1);
	assert_int_equal(mss, 0xbeef);  /* untouched on failure */

	uint32_t c = make(1000, 1460, 70000, NULL);
	assert_int_equal(check(1000, c, 70000, NULL), 0);
	for (unsigned bit = 0; bit < 32; bit++)
		assert_int_equal(check(1000, c ^ (1u << bit), 70000, NULL), -1);
	assert_int_equal(check(1000, c + 1, 70000, NULL), -1);
	assert_int_equal(check(1000, c - 1, 70000, NULL), -1);
}

static void test_wrong_tuple_rejected(void **state)
{
	(void)state;
	syncookie_init(&ks, seed, 0);
	uint32_t c = make(555, 1460, 3000, NULL);
	assert_int_equal(syncookie_check(&ks, PEER, PPORT, US, LPORT, 555, c, 3000, NULL), 0);
	assert_int_equal(syncookie_check(&ks, PEER + 1, PPORT, US, LPORT, 555, c, 3000, NULL), -1);
	assert_int_equal(syncookie_check(&ks, PEER, PPORT + 1, US, LPORT, 555, c, 3000, NULL), -1);
	assert_int_equal(syncookie_check(&ks, PEER, PPORT, US + 1, LPORT, 555, c, 3000, NULL), -1);
	assert_int_equal(syncookie_check(&ks, PEER, PPORT, US, LPORT + 1, 555, c, 3000, NULL), -1);
	/* Reversed direction is a different tuple. */
	assert_int_equal(syncookie_check(&ks, US, LPORT, PEER, PPORT, 555, c, 3000, NULL), -1);
}

static void test_wrong_peer_isn_rejected(void **state)
{
	(void)state;
	syncookie_init(&ks, seed, 0);
	uint32_t c = make(0x80000000u, 1460, 3000, NULL);
	assert_int_equal(check(0x80000000u, c, 3000, NULL), 0);
	assert_int_equal(check(0x80000001u, c, 3000, NULL), -1);
	assert_int_equal(check(0x7fffffffu, c, 3000, NULL), -1);
	assert_int_equal(check(0, c, 3000, NULL), -1);
}

/* Another boot (another seed) does not accept this boot's cookies. */
static void test_other_seed_rejected(void **state)
{
	(void)state;
	struct syncookie_keys other;
	uint8_t s2[16];
	memcpy(s2, seed, sizeof s2);
	s2[15] ^= 1;
	syncookie_init(&ks, seed, 0);
	syncookie_init(&other, s2, 0);
	uint32_t c = make(9, 1460, 10, NULL);
	assert_int_equal(syncookie_check(&other, PEER, PPORT, US, LPORT, 9, c, 10, NULL), -1);
}

/* Age is counted in 2^16 ms units; ages 0 and 1 pass, 2 and more fail. */
static void test_stale_rejected(void **state)
{
	(void)state;
	syncookie_init(&ks, seed, 0);
	uint32_t t = 10 * UNIT;  /* first ms of a unit: longest life */
	uint32_t c = make(42, 1460, t, NULL);
	assert_int_equal(check(42, c, t + 2 * UNIT - 1, NULL), 0);
	assert_int_equal(check(42, c, t + 2 * UNIT, NULL), -1);
	assert_int_equal(check(42, c, t + 10 * UNIT, NULL), -1);
	/* From the clock's point of view a cookie "from the future" is stale. */
	assert_int_equal(check(42, c, t - 1, NULL), -1);

	t = 20 * UNIT - 1;  /* last ms of a unit: shortest life */
	c = make(42, 1460, t, NULL);
	assert_int_equal(check(42, c, t + UNIT, NULL), 0);
	assert_int_equal(check(42, c, t + UNIT + 1, NULL), -1);
}

/* A peer holding one valid cookie cannot move its counter forward: adding
 * k to the count field (k << 26 on the wire, W is additive) at a time k
 * units later must fail, because the mac covers the count. */
static void test_rejuvenation_rejected(void **state)
{
	(void)state;
	syncookie_init(&ks, seed, 0);
	const uint32_t t = 3 * UNIT;
	uint32_t c = make(42, 1460, t, NULL);
	for (uint32_t k = 1; k < 64; k++)
		assert_int_equal(check(42, c + (k << 26), t + k * UNIT, NULL), -1);
	/* Nor can it change the MSS index it was given. */
	for (uint32_t k = 1; k < 4; k++)
		assert_int_equal(check(42, c + (k << 24), t, NULL), -1);
}

/* The 6-bit counter repeats every 64 units; rotation is what kills a
 * cookie replayed that late. */
static void test_counter_alias_killed_by_rotation(void **state)
{
	(void)state;
	syncookie_init(&ks, seed, 0);
	uint32_t c = make(42, 1460, 100, NULL);
	/* Without rotation the codec alone cannot tell (this documents why
	 * rotation is needed) ... */
	assert_int_equal(check(42, c, 100 + 64 * UNIT, NULL), 0);
	/* ... with the keys rotated on time, it is rejected. */
	for (uint32_t now = 0; now <= 64 * UNIT; now += 1000)
		syncookie_maybe_rotate(&ks, now);
	assert_int_equal(check(42, c, 100 + 64 * UNIT, NULL), -1);
}

static void test_rotation(void **state)
{
	(void)state;
	const uint32_t t0 = 5000;
	syncookie_init(&ks, seed, t0);
	uint32_t c = make(77, 1440, t0, NULL);

	syncookie_maybe_rotate(&ks, t0 + SYNCOOKIE_ROTATE_MS - 1);
	assert_int_equal(ks.gen, 0);
	syncookie_maybe_rotate(&ks, t0 + SYNCOOKIE_ROTATE_MS);
	assert_int_equal(ks.gen, 1);
	/* One rotation: still valid under the previous key. */
	assert_int_equal(check(77, c, t0 + 1, NULL), 0);
	uint32_t c1 = make(77, 1440, t0 + 1, NULL);
	assert_true(c1 != c);  /* made under the new key */
	assert_int_equal(check(77, c1, t0 + 1, NULL), 0);

	syncookie_maybe_rotate(&ks, t0 + 2 * SYNCOOKIE_ROTATE_MS);
	assert_int_equal(ks.gen, 2);
	/* Two rotations: its key is gone, even at an age that would pass. */
	assert_int_equal(check(77, c, t0 + 1, NULL), -1);
	assert_int_equal(check(77, c1, t0 + 1, NULL), 0);
}

/* A caller that was away for several periods drops both old keys at once
 * and stays on the period schedule. */
static void test_rotation_catch_up(void **state)
{
	(void)state;
	const uint32_t t0 = 777;
	syncookie_init(&ks, seed, t0);
	uint32_t c = make(3, 536, t0, NULL);
	syncookie_maybe_rotate(&ks, t0 + 3 * SYNCOOKIE_ROTATE_MS + 5);
	assert_int_equal(ks.gen, 3);
	assert_int_equal(ks.rotated_ms, t0 + 3 * SYNCOOKIE_ROTATE_MS);
	assert_int_equal(check(3, c, t0, NULL), -1);
	/* Same keys as stepping one period at a time. */
	struct syncookie_keys step;
	syncookie_init(&step, seed, t0);
	for (uint32_t k = 1; k <= 3; k++)
		syncookie_maybe_rotate(&step, t0 + k * SYNCOOKIE_ROTATE_MS);
	assert_memory_equal(step.cur, ks.cur, 16);
	assert_memory_equal(step.prev, ks.prev, 16);
}

/* The millisecond clock wraps after ~49.7 days and the peer's sequence
 * space wraps anywhere: neither may break a cookie or the rotation. */
static void test_wrap(void **state)
{
	(void)state;
	syncookie_init(&ks, seed, 0xffff0000u);
	uint32_t seg_seq = 0;                 /* SYN's SEQ was 0xffffffff */
	uint32_t peer_isn = seg_seq - 1u;
	uint32_t c = make(peer_isn, 1460, 0xfffffff0u, NULL);
	syncookie_maybe_rotate(&ks, 0x10);    /* 65 s later: no rotation yet */
	assert_int_equal(ks.gen, 0);
	uint32_t seg_ack = c + 1u;
	assert_int_equal(check(seg_seq - 1u, seg_ack - 1u, 0x10, NULL), 0);
	assert_int_equal(check(seg_seq - 1u, seg_ack - 1u, 0x10 + UNIT, NULL), -1);
	syncookie_maybe_rotate(&ks, 0xffff0000u + SYNCOOKIE_ROTATE_MS);  /* wraps */
	assert_int_equal(ks.gen, 1);
	assert_int_equal(check(peer_isn, c, 0x10, NULL), 0);
	syncookie_maybe_rotate(&ks, 0xffff0000u + 2 * SYNCOOKIE_ROTATE_MS);
	assert_int_equal(ks.gen, 2);
	assert_int_equal(check(peer_isn, c, 0x10, NULL), -1);
}

/* The wire value hides the counter: cookies made in the same second for
 * different tuples do not share their top bits (they would without W). */
static void test_counter_hidden(void **state)
{
	(void)state;
	syncookie_init(&ks, seed, 0);
	uint32_t top_or = 0, top_and = 0x3f;
	for (uint16_t p = 1; p <= 64; p++) {
		uint32_t c = syncookie_make(&ks, PEER, p, US, LPORT, 1, 1460, 3 * UNIT, NULL);
		top_or |= c >> 26;
		top_and &= c >> 26;
	}
	assert_int_equal(top_or, 0x3f);
	assert_int_equal(top_and, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_mss),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_mss_choice),
		cmocka_unit_test(test_forged_rejected),
		cmocka_unit_test(test_wrong_tuple_rejected),
		cmocka_unit_test(test_wrong_peer_isn_rejected),
		cmocka_unit_test(test_other_seed_rejected),
		cmocka_unit_test(test_stale_rejected),
		cmocka_unit_test(test_rejuvenation_rejected),
		cmocka_unit_test(test_counter_alias_killed_by_rotation),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_rotation_catch_up),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_counter_hidden),
	};
	return cmocka_run_group_tests_name("syncookie", tests, NULL, NULL);
}
