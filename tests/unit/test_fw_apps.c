/* firmware/apps.c's dispatch, with counting services in place of the
 * real ones: after a frame only the connections the stack has news for
 * are served (apps_poll_events); a loop pass's sweep visits only the
 * connections that need a pass without an event (a service with a stage,
 * or one that asked with APP_WAIT), each at most once, and runs once a
 * millisecond unless a service asked for another pass; event-driven
 * connections held by the hundred cost a pass nothing (the O(1) check,
 * bench/icount_arm.py's held rows); a pass tells the loop not to sleep
 * while a service has more to do.  Frames come with the MAC's receive
 * checksum offload, so they carry no checksums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <keel/keel.h>
#include <keel/port.h>
#include <keel/tcp.h>
#include "apps.h"
#include "fw_peer.h"

static struct keel *k;
static uint32_t now = 1000;
static uint32_t iss;            /* from the last SYN-ACK sent */
static unsigned polls;          /* on_poll calls, all services */
static int want_again;          /* the services set app_conn.again to this */

static int capture(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	struct dev_seg d;
	if (device_segment(f, len, &d) && (d.flags & 0x12) == 0x12)
		iss = d.seq;
	return 0;
}

/* Counting stand-ins for the firmware's services. */
static int count_poll(struct keel *kk, struct app_conn *c, unsigned ev)
{
	(void)kk;
	(void)ev;
	polls++;
	c->again = (uint8_t)want_again;
	return 0;
}
/* Echo and discard as the firmware's: no stage, served on their events;
 * chargen with a stage, as the firmware's (swept). */
const struct service svc_echo = { "echo", 7, 0, NULL, count_poll, NULL };
const struct service svc_discard = { "discard", 9, 0, NULL, count_poll, NULL };
const struct service svc_daytime = { "daytime", 13, 0, NULL, count_poll, NULL };
const struct service svc_chargen = { "chargen", 19, 1, NULL, count_poll, NULL };
const struct service svc_http = { "http", 80, 0, NULL, count_poll, NULL };
const struct service svc_iperf = { "iperf", 5001, 0, NULL, count_poll, NULL };
void udp_echo_init(struct keel *kk) { (void)kk; }
void udp_echo_poll(struct keel *kk) { (void)kk; }

static int setup(void **state)
{
	(void)state;
	k = device_open_at(7, capture, now);
	assert_non_null(k);
	apps_init(k);
	return 0;
}

/* Opens a connection from sport to dport and lets the apps accept it;
 * returns the device's ISS. */
static uint32_t connect_to(uint16_t sport, uint16_t dport)
{
	peer_segment_at(k, now, sport, dport, 100, 0, 0x02, 0);               /* SYN */
	uint32_t dev_iss = iss;
	peer_segment_at(k, now, sport, dport, 101, dev_iss + 1, 0x10, 0);     /* ACK */
	(void)apps_poll_events(k, now);
	return dev_iss;
}

static uint32_t connect_echo(uint16_t sport)
{
	return connect_to(sport, 7);
}

static void frame_serves_only_news_pass_sweeps_once(void **state)
{
	(void)state;
	uint32_t first = connect_echo(40000);
	(void)connect_echo(40001);
	(void)connect_to(41000, 19);                      /* two with a stage */
	(void)connect_to(41001, 19);
	(void)apps_poll(k, now);                          /* drains what is left */
	/* No news: nothing is served after a frame. */
	polls = 0;
	(void)apps_poll_events(k, now);
	assert_int_equal(polls, 0);
	/* A segment for one of them: that one, once. */
	peer_segment_at(k, now, 40000, 7, 101, first + 1, 0x18, 10);
	polls = 0;
	(void)apps_poll_events(k, now);
	assert_int_equal(polls, 1);
	/* A pass sweeps each of the two with a stage once, not APP_SWEEP
	 * times between them, and neither quiet echo connection: their
	 * next segment brings them. */
	now++;
	polls = 0;
	(void)apps_poll(k, now);
	assert_int_equal(polls, 2);
}

/* Event-driven connections held (all the pool leaves: the host's is 8
 * TCBs, one kept for the next test; bench/icount_arm.py's held rows
 * count 10,000 on mps2-an385): a pass serves none of them, so its work
 * does not grow with them; one that asks to wait
 * (APP_WAIT: no event of its own will come) is swept, without keeping
 * the loop awake, until it stops asking. */
static void held_connections_cost_a_pass_nothing(void **state)
{
	(void)state;
	uint32_t dev_iss = 0;
	uint16_t last = 0;
	for (uint16_t i = 0; i < KEEL_TCP_MAX_CONN - 5; i++) {
		last = (uint16_t)(42000 + i);
		dev_iss = connect_echo(last);
	}
	now++;
	(void)apps_poll(k, now);
	for (int ms = 0; ms < 3; ms++) {
		now++;
		polls = 0;
		assert_int_equal(apps_poll(k, now), 0);
		assert_int_equal(polls, 2);               /* the two with a stage */
	}
	/* The last one gets a segment and asks to wait. */
	want_again = APP_WAIT;
	peer_segment_at(k, now, last, 7, 101, dev_iss + 1, 0x18, 10);
	polls = 0;
	assert_int_equal(apps_poll_events(k, now), 0);
	assert_int_equal(polls, 1);
	now++;
	polls = 0;
	assert_int_equal(apps_poll(k, now), 0);
	assert_int_equal(polls, 3);                       /* it is swept too */
	want_again = 0;
	now++;
	polls = 0;
	(void)apps_poll(k, now);
	assert_int_equal(polls, 3);                       /* served once more: asks no more */
	now++;
	polls = 0;
	(void)apps_poll(k, now);
	assert_int_equal(polls, 2);
}

/* Many passes in one millisecond (a burst of frames) sweep once: the
 * quiet connections cost a frame's pass nothing; the next millisecond
 * sweeps again, and a service that asked for more is served in the very
 * next pass. */
static void quiet_connections_swept_once_a_millisecond(void **state)
{
	(void)state;
	now++;
	(void)apps_poll(k, now);                          /* this ms's sweep */
	polls = 0;
	for (int pass = 0; pass < 5; pass++)
		(void)apps_poll(k, now);
	assert_int_equal(polls, 0);
	now++;
	(void)apps_poll(k, now);
	assert_int_equal(polls, 2);
	/* One asks for another pass: the next pass, same millisecond, sweeps. */
	want_again = 1;
	now++;
	polls = 0;
	assert_int_equal(apps_poll(k, now), 1);
	assert_int_equal(polls, 2);
	want_again = 0;
	assert_int_equal(apps_poll(k, now), 0);
	assert_int_equal(polls, 4);
	/* Nobody asked: the rest of the millisecond sweeps nothing. */
	assert_int_equal(apps_poll(k, now), 0);
	assert_int_equal(polls, 4);
}

/* The loop's sleep decision (firmware/main.c sleeps only when a pass
 * returns 0): a service with more to do at once keeps it awake, and
 * quiet connections let it sleep. */
static void pending_work_keeps_the_loop_awake(void **state)
{
	(void)state;
	(void)connect_echo(40002);
	want_again = 0;
	now++;
	(void)apps_poll(k, now);
	assert_int_equal(apps_poll(k, now), 0);
	want_again = 1;
	now++;                       /* the sweep's next millisecond */
	assert_int_equal(apps_poll(k, now), 1);
	want_again = 0;
	(void)apps_poll(k, now);
	assert_int_equal(apps_poll(k, now), 0);
	/* News queued by the stack: a frame's poll says so. */
	peer_segment_at(k, now, 40002, 7, 101, iss + 1, 0x10, 0);
	want_again = 1;
	assert_int_equal(apps_poll_events(k, now), 1);
	want_again = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frame_serves_only_news_pass_sweeps_once),
		cmocka_unit_test(quiet_connections_swept_once_a_millisecond),
		cmocka_unit_test(held_connections_cost_a_pass_nothing),
		cmocka_unit_test(pending_work_keeps_the_loop_awake),
	};
	return cmocka_run_group_tests(tests, setup, NULL);   /* one instance, shared in order */
}
