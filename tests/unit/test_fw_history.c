/* The history ring (firmware/history.c) and its text forms
 * (firmware/history_fmt.c) on the host: wrap, per-period deltas across
 * counter resets and saturation, missed periods, JSON, CSV, sparklines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "history.h"
#include "history_fmt.h"

#define P 1000u
static struct history h;

/* Input with every state count s, every pool p, every counter c. */
static struct hist_input input(uint16_t s, uint16_t p, uint32_t c)
{
	struct hist_input in;
	for (unsigned i = 0; i < TCP_NSTATES; i++)
		in.states[i] = s;
	for (unsigned i = 0; i < HIST_NPOOLS; i++)
		in.pools[i] = p;
	for (unsigned i = 0; i < HIST_NRATES; i++)
		in.counters[i] = c;
	return in;
}

/* Records sample number `n` at its exact time. */
static void record(uint32_t n, struct hist_input in)
{
	uint32_t t = 5000 + (n + 1) * P;
	assert_true(history_due(&h, t));
	history_record(&h, t, &in);
	assert_false(history_due(&h, t));
	assert_true(history_due(&h, t + P));
}

static void test_wrap(void **state)
{
	(void)state;
	history_init(&h, 5000, P);
	assert_false(history_due(&h, 5999));
	assert_null(history_get(&h, 0));
	for (uint32_t n = 0; n < KEEL_HISTORY_DEPTH + 5; n++)
		record(n, input((uint16_t)(n % 200), 1, n * 10));
	assert_int_equal(history_end(&h), KEEL_HISTORY_DEPTH + 5);
	assert_int_equal(history_first(&h), 5);
	assert_null(history_get(&h, 4));          /* overwritten */
	assert_null(history_get(&h, KEEL_HISTORY_DEPTH + 5));   /* not yet */
	const struct hist_sample *s = history_get(&h, 5);
	assert_non_null(s);
	assert_int_equal(s->state[0], 5);
	assert_int_equal(s->rate[HIST_IN_SEGS], 10);
	s = history_get(&h, KEEL_HISTORY_DEPTH + 4);
	assert_int_equal(s->state[HIST_NSTATES - 1], (KEEL_HISTORY_DEPTH + 4) % 200);
	assert_int_equal(history_time_ms(&h, 5), 5000 + 6 * P);
}

static void test_deltas_across_reset_and_saturation(void **state)
{
	(void)state;
	history_init(&h, 5000, P);
	record(0, input(0, 0, 100));      /* counts since boot: 100 in the first period */
	record(1, input(0, 0, 130));
	record(2, input(0, 0, 7));        /* reset-counters, then 7 more */
	record(3, input(0, 0, 7));
	record(4, input(0, 0, 7 + 70000)); /* more than a uint16_t: saturates */
	record(5, input(0, 0, UINT32_MAX)); /* a 32-bit count near its end */
	record(6, input(0, 0, 3));         /* ... wrapped (or reset): counted from 0 */
	static const uint16_t want[] = { 100, 30, 7, 0, HIST_RATE_MAX, HIST_RATE_MAX, 3 };
	for (uint32_t n = 0; n < 7; n++)
		for (unsigned r = 0; r < HIST_NRATES; r++)
			assert_int_equal(history_get(&h, n)->rate[r], want[n]);
	assert_int_equal(history_delta(10, 4), 4);
	assert_int_equal(history_delta(4, 10), 6);
	/* Counts past the sample's type saturate rather than wrap. */
	record(7, input(60000, 60000, 3));
	assert_int_equal(history_get(&h, 7)->state[0], HIST_COUNT_MAX);
	assert_int_equal(history_get(&h, 7)->pool[0], HIST_COUNT_MAX);
}

static void test_missed_periods_keep_times_exact(void **state)
{
	(void)state;
	history_init(&h, 0, P);
	struct hist_input in = input(2, 1, 0);
	history_record(&h, 1000, &in);     /* sample 0 at 1000 */
	in = input(9, 3, 40);
	history_record(&h, 4500, &in);     /* late: periods ending 2000, 3000, 4000 */
	assert_int_equal(history_end(&h), 4);
	for (uint32_t n = 1; n < 4; n++) {
		const struct hist_sample *s = history_get(&h, n);
		assert_int_equal(s->state[3], 9);
		assert_int_equal(s->rate[HIST_PASSIVE_OPENS], n == 3 ? 40 : 0);
		assert_int_equal(history_time_ms(&h, n), 1000 + n * P);
	}
	assert_false(history_due(&h, 4999));
	assert_true(history_due(&h, 5000));
	/* Longer than the ring: bounded, and the numbering follows the clock. */
	uint32_t later = 5000 + (3 * KEEL_HISTORY_DEPTH + 2) * P + 10;
	history_record(&h, later, &in);
	assert_int_equal(history_end(&h), 3 * KEEL_HISTORY_DEPTH + 7);
	assert_true(history_time_ms(&h, history_end(&h) - 1) <= later);
	assert_true(history_time_ms(&h, history_end(&h)) > later);
	assert_false(history_due(&h, later));
}

static char buf[1024];

static void test_json(void **state)
{
	(void)state;
	history_init(&h, 0, P);
	struct hist_input in = input(0, 0, 0);
	in.states[TCP_LISTEN] = 6;
	in.states[TCP_SYN_RECEIVED] = 64;
	in.states[TCP_TIME_WAIT] = 3;
	in.pools[1] = 64;
	in.counters[HIST_SYNCOOKIES_SENT] = 1500;
	history_record(&h, 1000, &in);
	uint16_t sizes[HIST_NPOOLS] = { 8, 64, 64, 8, 64 };
	size_t n = hist_json_head(buf, sizeof(buf), &h, 0, 1234, sizes);
	char want[600];
	snprintf(want, sizeof(want),
		 "{\"period_ms\":1000,\"depth\":%u,\"now_ms\":1234,\"first\":0,\"states\":[\"LISTEN\","
		 "\"SYN_SENT\",\"SYN_RECV\",\"ESTABLISHED\",\"FIN_WAIT1\",\"FIN_WAIT2\",\"CLOSE_WAIT\","
		 "\"CLOSING\",\"LAST_ACK\",\"TIME_WAIT\"],\"pools\":[\"tcb\",\"syn_queue\",\"time_wait\","
		 "\"listeners\",\"chunks\"],\"pool_sizes\":[8,64,64,8,64],\"rates\":[\"PassiveOpens\",\"ListenDrops\","
		 "\"SyncookiesSent\",\"RetransSegs\",\"InSegs\",\"OutSegs\",\"TCPTimeWaitOverflow\"],"
		 "\"samples\":[", (unsigned)KEEL_HISTORY_DEPTH);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
	n = hist_json_sample(buf, sizeof(buf), &h, 0, 0);
	assert_string_equal(buf, "\n{\"n\":0,\"t_ms\":1000,\"s\":[6,0,64,0,0,0,0,0,0,3],"
			    "\"p\":[0,64,0,0,0],\"r\":[0,0,1500,0,0,0,0]}");
	assert_int_equal(n, strlen(buf));
	n = hist_json_sample(buf, sizeof(buf), &h, 0, 1);
	assert_memory_equal(buf, ",\n{\"n\":0,", 9);
	assert_int_equal(hist_json_sample(buf, sizeof(buf), &h, 1, 1), 0);   /* not kept */
	assert_int_equal(hist_json_sample(buf, 20, &h, 0, 0), 0);            /* no room */
	assert_int_equal(hist_json_head(buf, 100, &h, 0, 1234, sizes), 0);
	assert_int_equal(hist_json_tail(buf, sizeof(buf)), 4);
	assert_string_equal(buf, "\n]}\n");
}

static void test_csv(void **state)
{
	(void)state;
	history_init(&h, 0, P);
	struct hist_input in = input(1, 2, 5);
	history_record(&h, 1000, &in);
	hist_csv_head(buf, sizeof(buf));
	assert_string_equal(buf, "t_ms,LISTEN,SYN_SENT,SYN_RECV,ESTABLISHED,FIN_WAIT1,FIN_WAIT2,"
			    "CLOSE_WAIT,CLOSING,LAST_ACK,TIME_WAIT,pool_tcb,pool_syn_queue,"
			    "pool_time_wait,pool_listeners,pool_chunks,PassiveOpens,ListenDrops,SyncookiesSent,"
			    "RetransSegs,InSegs,OutSegs,TCPTimeWaitOverflow\r\n");
	size_t n = hist_csv_sample(buf, sizeof(buf), &h, 0);
	assert_string_equal(buf, "1000,1,1,1,1,1,1,1,1,1,1,2,2,2,2,2,5,5,5,5,5,5,5\r\n");
	assert_int_equal(n, strlen(buf));
	assert_int_equal(hist_csv_sample(buf, 10, &h, 0), 0);
}

static void test_sparkline(void **state)
{
	(void)state;
	static const uint16_t v[] = { 0, 1, 4, 8, 9, 7 };
	size_t n = spark_line(buf, sizeof(buf), v, 6, 8, 0);
	/* 0 blank; 1 of 8 the lowest block, 4 half, 8 and above full, 7 -> 7/8 */
	assert_string_equal(buf, " \xe2\x96\x81\xe2\x96\x84\xe2\x96\x88\xe2\x96\x88\xe2\x96\x87");
	assert_int_equal(n, 16);
	n = spark_line(buf, sizeof(buf), v, 6, 8, 1);
	assert_string_equal(buf, " .=@@#");
	assert_int_equal(n, 6);
	/* The smallest nonzero count shows even against a big scale. */
	static const uint16_t w[] = { 1, 1000 };
	spark_line(buf, sizeof(buf), w, 2, 1000, 1);
	assert_string_equal(buf, ".@");
	spark_line(buf, sizeof(buf), w, 2, 0, 1);   /* no scale: blank */
	assert_string_equal(buf, "  ");
	assert_int_equal(spark_line(buf, 6, v, 6, 8, 1), 0);   /* no room for the NUL */
	assert_int_equal(spark_line(buf, 16, v, 6, 8, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_deltas_across_reset_and_saturation),
		cmocka_unit_test(test_missed_periods_keep_times_exact),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_sparkline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
