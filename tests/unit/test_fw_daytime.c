/* firmware/app_daytime.c's line: "keel uptime S.mmm s\r\n".  The
 * "keel uptime S." head is formatted once a second and copied for the
 * connections within it; these check the line is still right on both
 * sides of a second's boundary and when the clock goes back to a second
 * already seen (a cached head must never outlive its second). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <keel/keel.h>
#include "apps.h"

/* daytime_poll's helper from apps.c: not reached by these tests. */
int app_flush(struct keel *kk, struct app_conn *c, int more)
{
	(void)kk;
	(void)c;
	(void)more;
	return 0;
}

static uint8_t stage[APP_STAGE_LEN];

static void line_at(uint32_t now_ms, const char *want)
{
	struct app_conn c;
	memset(&c, 0, sizeof c);
	memset(stage, '#', sizeof stage);
	c.stage = stage;
	svc_daytime.on_accept(NULL, &c, now_ms);
	assert_int_equal(c.off, 0);
	assert_int_equal(c.len, strlen(want));
	assert_memory_equal(stage, want, strlen(want));
}

static void lines_across_a_second(void **state)
{
	(void)state;
	line_at(1999, "keel uptime 1.999 s\r\n");
	line_at(2000, "keel uptime 2.000 s\r\n");
	line_at(2001, "keel uptime 2.001 s\r\n");
	line_at(2999, "keel uptime 2.999 s\r\n");
	line_at(10000, "keel uptime 10.000 s\r\n");
	line_at(9999, "keel uptime 9.999 s\r\n");       /* back to a shorter second */
	line_at(10050, "keel uptime 10.050 s\r\n");
}

static void line_at_zero_and_large(void **state)
{
	(void)state;
	line_at(0, "keel uptime 0.000 s\r\n");
	line_at(4294967295u, "keel uptime 4294967.295 s\r\n");
	line_at(7, "keel uptime 0.007 s\r\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_across_a_second),
		cmocka_unit_test(line_at_zero_and_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
