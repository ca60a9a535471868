/* sysctl table: Linux defaults, every knob by both names, rejected values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <keel/config.h>
#include "chunkq.h"
#include "sysctl.h"

struct expect {
	const char *name;
	uint32_t def, min, max;
	const char *range_msg;
};

#define S_(x) #x
#define S(x) S_(x)
static const struct expect knobs[] = {
	{ "tcp_syncookies", 1, 0, 2, "tcp_syncookies must be 0, 1 or 2" },
	{ "tcp_synack_retries", 5, 0, 255, "tcp_synack_retries must be 0..255" },
	{ "tcp_syn_retries", 6, 1, 127, "tcp_syn_retries must be 1..127" },
	{ "tcp_max_syn_backlog", KEEL_SYN_BACKLOG, 1, KEEL_SYN_BACKLOG,
	  "tcp_max_syn_backlog must be 1.." S(KEEL_SYN_BACKLOG) " (KEEL_SYN_BACKLOG)" },
	{ "tcp_abort_on_overflow", 0, 0, 1, "tcp_abort_on_overflow must be 0 or 1" },
	{ "tcp_fin_timeout", 60, 1, 86400, "tcp_fin_timeout must be 1..86400 (seconds)" },
	{ "tcp_tw_reuse", 2, 0, 2, "tcp_tw_reuse must be 0, 1 or 2" },
	{ "tcp_max_tw_buckets", KEEL_TW_MAX, 0, KEEL_TW_MAX,
	  "tcp_max_tw_buckets must be 0.." S(KEEL_TW_MAX) " (KEEL_TW_MAX)" },
	{ "tcp_msl", 30, 1, 3600, "tcp_msl must be 1..3600 (seconds)" },
	{ "tcp_timestamps", 1, 0, 2, "tcp_timestamps must be 0, 1 or 2" },
	{ "tcp_sack", 1, 0, 1, "tcp_sack must be 0 or 1" },
	{ "tcp_window_scaling", 1, 0, 1, "tcp_window_scaling must be 0 or 1" },
	{ "tcp_dsack", 1, 0, 1, "tcp_dsack must be 0 or 1" },
};
#define N (sizeof knobs / sizeof knobs[0])

static struct tcp_sysctl s;

static int setup(void **state)
{
	(void)state;
	memset(&s, 0xa5, sizeof s);  /* defaults must set every field */
	tcp_sysctl_defaults(&s);
	return 0;
}

static uint32_t get(const char *name)
{
	uint32_t v = 0xdeadbeefu;
	assert_int_equal(tcp_sysctl_get(&s, name, &v), KEEL_SYSCTL_OK);
	return v;
}

static void test_defaults_in_struct(void **state)
{
	(void)state;
	assert_int_equal(s.tcp_syncookies, 1);
	assert_int_equal(s.tcp_synack_retries, 5);
	assert_int_equal(s.tcp_syn_retries, 6);
	assert_int_equal(s.tcp_abort_on_overflow, 0);
	assert_int_equal(s.tcp_tw_reuse, 2);
	assert_int_equal(s.tcp_max_syn_backlog, KEEL_SYN_BACKLOG);
	assert_int_equal(s.tcp_max_tw_buckets, KEEL_TW_MAX);
	assert_int_equal(s.tcp_fin_timeout, 60);
	assert_int_equal(s.tcp_msl, 30);
	assert_int_equal(s.tcp_timestamps, 1);
	assert_int_equal(s.tcp_sack, 1);
	assert_int_equal(s.tcp_window_scaling, 1);
	assert_int_equal(s.tcp_dsack, 1);
}

static void test_defaults_by_name(void **state)
{
	(void)state;
	char full[64];
	for (size_t i = 0; i < N; i++) {
		snprintf(full, sizeof full, "net.ipv4.%s", knobs[i].name);
		assert_int_equal(get(full), knobs[i].def);
		assert_int_equal(get(knobs[i].name), knobs[i].def);
	}
}

/* The listing has exactly the knobs, under their full Linux names. */
/* The memory knobs: three values each ("min default max" / "low
 * pressure high"), by name, set together, in order and in range. */
#define NVEC 3
static const char *const vec_names[NVEC] = { "tcp_rmem", "tcp_wmem", "tcp_mem" };

static void test_vector_knobs(void **state)
{
	(void)state;
	uint32_t v[KEEL_SYSCTL_VEC_MAX];
	assert_int_equal(tcp_sysctl_get_vec(&s, "tcp_syncookies", v), 1);
	assert_int_equal(v[0], 1);
	assert_int_equal(tcp_sysctl_get_vec(&s, "net.ipv4.tcp_rmem", v), 3);
	assert_int_equal(v[0], KEEL_TCP_BUF_MIN);
	assert_int_equal(v[1], KEEL_TCP_RCVBUF);
	assert_int_equal(v[2], KEEL_TCP_RMEM_MAX);
	assert_int_equal(tcp_sysctl_get_vec(&s, "tcp_wmem", v), 3);
	assert_int_equal(v[1], KEEL_TCP_SNDBUF);
	assert_int_equal(v[2], KEEL_TCP_BUF_MAX);
	assert_int_equal(tcp_sysctl_get_vec(&s, "tcp_mem", v), 3);
	assert_true(v[0] <= v[1] && v[1] <= v[2] && v[2] == CHUNK_COUNT);
	assert_int_equal(tcp_sysctl_get_vec(&s, "tcp_nosuch", v), KEEL_SYSCTL_ENOENT);
	/* set: spaces or tabs between the values */
	assert_int_equal(tcp_sysctl_set(&s, "tcp_rmem", "512 4096\t65535", NULL), KEEL_SYSCTL_OK);
	assert_int_equal(s.tcp_rmem[0], 512);
	assert_int_equal(s.tcp_rmem[1], 4096);
	assert_int_equal(s.tcp_rmem[2], 65535);
	assert_int_equal(tcp_sysctl_set(&s, "tcp_mem", "1 2 3", NULL), KEEL_SYSCTL_OK);
	assert_int_equal(s.tcp_mem[2], 3);
	/* rejected, nothing changed: out of order, out of range, too few or
	 * too many values, not numbers, beyond the window without scaling */
	static const char *const bad[] = {
		"4096 2048 8192", "100 2048 8192", "1024 2048 65536", "1024 2048", "1024 2048 4096 8192",
		"", "a b c", "1024 2048 -1", "1024 2048 99999999999",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct tcp_sysctl before;
		const char *why = NULL;
		memcpy(&before, &s, sizeof s);
		assert_int_equal(tcp_sysctl_set(&s, "tcp_wmem", bad[i], &why), KEEL_SYSCTL_EINVAL);
		assert_non_null(why);
		assert_memory_equal(&before, &s, sizeof s);
	}
	char big[32];
	snprintf(big, sizeof big, "1 2 %u", (unsigned)CHUNK_COUNT + 1u);
	assert_int_equal(tcp_sysctl_set(&s, "tcp_mem", big, NULL), KEEL_SYSCTL_EINVAL);
}

static void test_listing(void **state)
{
	(void)state;
	char full[64];
	assert_int_equal(keel_sysctl_count(), N + NVEC);
	for (size_t i = 0; i < NVEC; i++) {
		snprintf(full, sizeof full, "net.ipv4.%s", vec_names[i]);
		int found = 0;
		for (size_t j = 0; j < keel_sysctl_count(); j++)
			found += strcmp(keel_sysctl_name(j), full) == 0;
		assert_int_equal(found, 1);
	}
	for (size_t i = 0; i < N; i++) {
		snprintf(full, sizeof full, "net.ipv4.%s", knobs[i].name);
		int found = 0;
		for (size_t j = 0; j < keel_sysctl_count(); j++)
			found += strcmp(keel_sysctl_name(j), full) == 0;
		assert_int_equal(found, 1);
	}
	assert_null(keel_sysctl_name(N + NVEC));
}

/* Each knob takes its bounds by either name, reads them back, and changes
 * only its own field. */
static void test_set_get_each(void **state)
{
	(void)state;
	char full[64], num[16];
	for (size_t i = 0; i < N; i++) {
		const uint32_t vals[] = { knobs[i].min, knobs[i].max, (knobs[i].min + knobs[i].max) / 2 };
		for (size_t v = 0; v < 3; v++) {
			tcp_sysctl_defaults(&s);
			snprintf(num, sizeof num, "%u", (unsigned)vals[v]);
			snprintf(full, sizeof full, "net.ipv4.%s", knobs[i].name);
			const char *name = v == 1 ? knobs[i].name : full;
			const char *why = NULL;
			assert_int_equal(tcp_sysctl_set(&s, name, num, &why), KEEL_SYSCTL_OK);
			assert_null(why);
			assert_int_equal(get(knobs[i].name), vals[v]);
			for (size_t j = 0; j < N; j++)
				if (j != i)
					assert_int_equal(get(knobs[j].name), knobs[j].def);
		}
	}
	/* And the struct field itself, for one knob of each width. */
	tcp_sysctl_defaults(&s);
	assert_int_equal(tcp_sysctl_set(&s, "tcp_syncookies", "2", NULL), 0);
	assert_int_equal(tcp_sysctl_set(&s, "net.ipv4.tcp_max_syn_backlog", "7", NULL), 0);
	assert_int_equal(tcp_sysctl_set(&s, "tcp_fin_timeout", "0000123", NULL), 0);
	assert_int_equal(s.tcp_syncookies, 2);
	assert_int_equal(s.tcp_max_syn_backlog, 7);
	assert_int_equal(s.tcp_fin_timeout, 123);
}

static void expect_rejected(const char *name, const char *value, const char *msg)
{
	struct tcp_sysctl before;
	const char *why = NULL;
	memcpy(&before, &s, sizeof s);
	assert_int_equal(tcp_sysctl_set(&s, name, value, &why), KEEL_SYSCTL_EINVAL);
	assert_non_null(why);
	assert_string_equal(why, msg);
	assert_memory_equal(&before, &s, sizeof s);
	/* A NULL why is allowed and changes nothing else. */
	assert_int_equal(tcp_sysctl_set(&s, name, value, NULL), KEEL_SYSCTL_EINVAL);
	assert_memory_equal(&before, &s, sizeof s);
}

static void test_out_of_range(void **state)
{
	(void)state;
	char num[16];
	for (size_t i = 0; i < N; i++) {
		snprintf(num, sizeof num, "%u", (unsigned)knobs[i].max + 1);
		expect_rejected(knobs[i].name, num, knobs[i].range_msg);
		if (knobs[i].min > 0) {
			snprintf(num, sizeof num, "%u", (unsigned)knobs[i].min - 1);
			expect_rejected(knobs[i].name, num, knobs[i].range_msg);
		}
		/* Would truncate to 1 in a u8 or u16 field: no truncation. */
		if (knobs[i].max < 65537)
			expect_rejected(knobs[i].name, "65537", knobs[i].range_msg);
		if (knobs[i].max < 257)
			expect_rejected(knobs[i].name, "257", knobs[i].range_msg);
		expect_rejected(knobs[i].name, "4294967295", knobs[i].range_msg);
	}
}

static void test_overflow(void **state)
{
	(void)state;
	for (size_t i = 0; i < N; i++) {
		expect_rejected(knobs[i].name, "4294967296", knobs[i].range_msg);
		expect_rejected(knobs[i].name, "4294967297", knobs[i].range_msg);
		expect_rejected(knobs[i].name, "99999999999999999999999", knobs[i].range_msg);
	}
}

static void test_not_a_number(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "abc", "-1", "+1", " 1", "1 ", "1x", "0x10", "1.5", "1\n", "--", "1,2",
	};
	for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++)
		expect_rejected("tcp_syncookies", bad[b], "value must be a decimal number");
	expect_rejected("net.ipv4.tcp_msl", NULL, "value must be a decimal number");
}

static void test_unknown_name(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"tcp_nosuch", "net.ipv4.", "", "net.ipv6.tcp_syncookies", "ipv4.tcp_syncookies",
		"TCP_SYNCOOKIES", "tcp_syncookies ", "net.ipv4.net.ipv4.tcp_syncookies", "tcp_",
	};
	struct tcp_sysctl before;
	memcpy(&before, &s, sizeof s);
	for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
		const char *why = NULL;
		uint32_t v = 77;
		assert_int_equal(tcp_sysctl_set(&s, bad[b], "1", &why), KEEL_SYSCTL_ENOENT);
		assert_string_equal(why, "unknown sysctl");
		assert_int_equal(tcp_sysctl_get(&s, bad[b], &v), KEEL_SYSCTL_ENOENT);
		assert_int_equal(v, 77);
	}
	assert_int_equal(tcp_sysctl_set(&s, NULL, "1", NULL), KEEL_SYSCTL_ENOENT);
	assert_memory_equal(&before, &s, sizeof s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults_in_struct, setup),
		cmocka_unit_test_setup(test_defaults_by_name, setup),
		cmocka_unit_test_setup(test_listing, setup),
		cmocka_unit_test_setup(test_vector_knobs, setup),
		cmocka_unit_test_setup(test_set_get_each, setup),
		cmocka_unit_test_setup(test_out_of_range, setup),
		cmocka_unit_test_setup(test_overflow, setup),
		cmocka_unit_test_setup(test_not_a_number, setup),
		cmocka_unit_test_setup(test_unknown_name, setup),
	};
	return cmocka_run_group_tests_name("sysctl", tests, NULL, NULL);
}
