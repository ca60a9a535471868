/* firmware/apps.c with the firmware's echo and discard (the other
 * services stubbed): a peer's bytes and FIN in one segment are taken in
 * the frame's serve and the end of stream, with no event of its own to
 * come, in the next millisecond's sweep: the device closes (its FIN)
 * without another segment from the peer.  Frames come with the MAC's
 * receive checksum offload, so they carry no checksums. */
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

static int no_poll(struct keel *kk, struct app_conn *c, unsigned ev)
{
	(void)kk;
	(void)c;
	(void)ev;
	return 1;
}
const struct service svc_daytime = { "daytime", 13, 1, NULL, no_poll, NULL };
const struct service svc_chargen = { "chargen", 19, 1, NULL, no_poll, NULL };
const struct service svc_http = { "http", 80, 1, NULL, no_poll, NULL };
const struct service svc_iperf = { "iperf", 5001, 0, NULL, no_poll, NULL };
void udp_echo_init(struct keel *kk) { (void)kk; }
void udp_echo_poll(struct keel *kk) { (void)kk; }

static struct keel *k;
static uint32_t now = 1000;
static uint32_t iss;            /* the device's, from its SYN-ACK */
static unsigned fins;           /* FINs the device sent */

static int capture(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	struct dev_seg d;
	if (!device_segment(f, len, &d))
		return 0;
	if ((d.flags & 0x12) == 0x12)
		iss = d.seq;
	fins += (d.flags & 0x01) != 0;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	k = device_open_at(5, capture, now);
	assert_non_null(k);
	apps_init(k);
	return 0;
}

/* A connection to dport; then ten bytes and the FIN in one segment. */
static void bytes_and_fin(uint16_t sport, uint16_t dport)
{
	peer_segment_at(k, now, sport, dport, 100, 0, 0x02, 0);               /* SYN */
	peer_segment_at(k, now, sport, dport, 101, iss + 1, 0x10, 0);         /* ACK */
	(void)apps_poll_events(k, now);
	fins = 0;
	peer_segment_at(k, now, sport, dport, 101, iss + 1, 0x19, 10);        /* FIN|PSH|ACK, 10 bytes */
	(void)apps_poll_events(k, now);
}

static void closes_after_bytes_and_fin(uint16_t sport, uint16_t dport)
{
	bytes_and_fin(sport, dport);
	for (int ms = 0; ms < 5 && fins == 0; ms++) {
		now++;
		keel_tick(k, now);
		(void)apps_poll(k, now);
	}
	assert_int_equal(fins, 1);
}

static void discard_closes_after_bytes_and_fin(void **state)
{
	(void)state;
	closes_after_bytes_and_fin(40000, 9);
}

static void echo_closes_after_bytes_and_fin(void **state)
{
	(void)state;
	closes_after_bytes_and_fin(40001, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(discard_closes_after_bytes_and_fin),
		cmocka_unit_test(echo_closes_after_bytes_and_fin),
	};
	return cmocka_run_group_tests(tests, setup, NULL);   /* one instance, shared in order */
}
