/* The TCP timer wheel alone (tcp_wheel.c): nodes filed at random
 * deadlines, from 0 ms to hours away, fire in the tick of their
 * millisecond -- never early, never late while ticks come every
 * millisecond -- across every level's cascade; wheel_next never names a
 * time later than the earliest deadline; a refiled or removed node fires
 * once, at its new deadline or not at all; and a tick's work stays within
 * its budget when thousands fall due together.  The nodes' owners hold
 * the deadlines (file), as the wheel asks them when it cascades. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "keel.h"
#include "tcp_internal.h"

#define NODES (KEEL_TCP_MAX_CONN + KEEL_SYN_BACKLOG)
static struct keel *K;
static uint32_t due_at[NODES];
static int fired[NODES];
static uint32_t fired_at[NODES];

static int tx_sink(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx; (void)f; (void)len;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	static const uint8_t seed[16] = {1};
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 2};
	K = calloc(1, sizeof(*K));
	keel_init(K, mac, 0xc0000202u, 24, 0, seed, tx_sink, NULL);
	memset(fired, 0, sizeof(fired));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(K);
	return 0;
}

/* Files node id for due, its owner holding the deadline as the wheel
 * asks it at a cascade (tcb_timer_first, tcp_synq_entry.due): a TCB
 * with its retransmit timer armed, a SYN-queue entry in use. */
static void file(uint16_t id, uint32_t due)
{
	if (id < KEEL_TCP_MAX_CONN) {
		struct tcp_tcb *t = &K->tcp.tcbs[id];
		t->flags |= TCB_F_USED;
		t->state = TCP_ESTABLISHED;
		t->timers = 1u << TCB_T_RTX;
		t->rtx_due = due;
	} else {
		struct tcp_synq_entry *e = &K->tcp.synq[id - KEEL_TCP_MAX_CONN];
		e->flags |= SYNQ_F_USED;
		e->due = due;
	}
	wheel_insert(K, id, due);
}

/* One tick at now: every node the wheel reports, recorded. */
static unsigned tick(uint32_t now)
{
	K->now_ms = now;
	uint16_t id;
	unsigned n = 0;
	wheel_begin(K);
	while (wheel_expire_next(K, &id)) {
		assert_true(id < NODES);
		fired[id]++;
		fired_at[id] = now;
		n++;
	}
	wheel_end(K);
	return n;
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* Deadlines spread over every level (1 ms .. 2^22 ms, past the wheel's
 * 2^20 ms span), ticks every millisecond from a start near the clock's
 * wrap: each node fires exactly once, at its deadline. */
static void test_exact_at_every_level(void **state)
{
	(void)state;
	uint32_t start = 0xffffffffu - 70000u, seed = 7;
	K->now_ms = start;
	for (uint16_t id = 0; id < NODES; id++) {
		unsigned shift = lcg(&seed) % 23u;
		due_at[id] = start + 1u + lcg(&seed) % (1u << shift);
		file(id, due_at[id]);
	}
	uint32_t last = start;
	for (uint16_t id = 0; id < NODES; id++)
		if ((int32_t)(due_at[id] - last) > 0)
			last = due_at[id];
	for (uint32_t now = start + 1u; (int32_t)(now - last) <= 0; now++) {
		uint32_t next;
		if ((now & 1023u) == 0 && wheel_next(K, &next)) {
			/* never later than any filed deadline */
			for (uint16_t id = 0; id < NODES; id++)
				if (!fired[id])
					assert_true((int32_t)(next - due_at[id]) <= 0);
		}
		tick(now);
	}
	for (uint16_t id = 0; id < NODES; id++) {
		assert_int_equal(fired[id], 1);
		assert_int_equal(fired_at[id], due_at[id]);
	}
	assert_int_equal(K->tcp.wheel.count, 0);
	assert_true(K->tcp.wheel.work_max <= 256u);
}

/* Refiled earlier, later, and removed: the node fires once at its last
 * deadline, or never. */
static void test_refile_and_remove(void **state)
{
	(void)state;
	K->now_ms = 1000;
	file(1, 1000 + 5000);
	file(2, 1000 + 50);
	file(3, 1000 + 70000);
	file(1, 1000 + 40);      /* earlier */
	file(2, 1000 + 90000);   /* later, two levels up */
	wheel_remove(K, 3);
	for (uint32_t now = 1001; now <= 1000 + 100000; now++)
		tick(now);
	assert_int_equal(fired[1], 1);
	assert_int_equal(fired_at[1], 1040);
	assert_int_equal(fired[2], 1);
	assert_int_equal(fired_at[2], 1000 + 90000);
	assert_int_equal(fired[3], 0);
}

/* The owner's deadline moved while its node waits in a coarse slot: the
 * cascade refiles it where the owner says (put off: fires then, once),
 * or lets it go (no timer armed: never fires). */
static void test_cascade_asks_the_owner(void **state)
{
	(void)state;
	K->now_ms = 1000;
	file(1, 1000 + 5000);
	file(2, 1000 + 6000);
	K->tcp.tcbs[1].rtx_due = 1000 + 9000;           /* put off, node left where it is */
	K->tcp.tcbs[2].timers = 0;                      /* stopped */
	assert_true(wheel_filed_at(K, 1) <= 1000 + 5000);
	for (uint32_t now = 1001; now <= 1000 + 20000; now++)
		tick(now);
	assert_int_equal(fired[1], 1);
	assert_int_equal(fired_at[1], 1000 + 9000);
	assert_int_equal(fired[2], 0);
	assert_int_equal(K->tcp.wheel.count, 0);
}

/* Sparse ticks (a board asleep until wheel_next): each node fires at the
 * first tick at or after its deadline, and a tick at wheel_next's time
 * always finds work or a cascade, never nothing for long. */
static void test_sparse_ticks_follow_wheel_next(void **state)
{
	(void)state;
	uint32_t seed = 99;
	K->now_ms = 0;
	for (uint16_t id = 0; id < NODES; id++) {
		due_at[id] = 1u + lcg(&seed) % 3000000u;
		file(id, due_at[id]);
	}
	unsigned ticks = 0;
	uint32_t now = 0, next;
	while (wheel_next(K, &next) && ticks < 200000) {
		now = (int32_t)(next - now) > 0 ? next : now + 1u;
		tick(now);
		ticks++;
	}
	for (uint16_t id = 0; id < NODES; id++) {
		assert_int_equal(fired[id], 1);
		assert_int_equal(fired_at[id], due_at[id]);
	}
	/* far fewer wake-ups than milliseconds: one per deadline or cascade */
	assert_true(ticks < NODES + 3000000u / 32u);
}

/* Thousands due in one millisecond: each tick spends at most the budget,
 * the rest go in the following ticks, none is lost. */
static void test_burst_within_budget(void **state)
{
	(void)state;
	K->now_ms = 0;
	for (uint16_t id = 0; id < NODES; id++)
		file(id, 200);
	unsigned total = 0, ticks = 0;
	for (uint32_t now = 1; total < NODES && now < 100000; now++) {
		unsigned n = tick(now);
		assert_true(K->tcp.wheel.work <= 256u);
		total += n;
		ticks += n > 0;
	}
	assert_int_equal(total, NODES);
	assert_true(ticks * 256u >= NODES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exact_at_every_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refile_and_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cascade_asks_the_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sparse_ticks_follow_wheel_next, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_within_budget, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
