/* firmware/app_echo.c's word to apps.c: with bytes to read and no room
 * to echo them (the send side full: its ACK is an event, room in the
 * shared chunk pool would not be), on_poll asks the sweep to look in
 * (APP_WAIT); once the bytes move, or with nothing to read, it asks
 * nothing, and the connection is served on its events only.  Frames come
 * with the MAC's receive checksum offload, so they carry no checksums. */
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

#define SPORT 40000u

static struct keel *k;
static uint32_t iss;            /* the device's, from its SYN-ACK */
static uint32_t snd_max;        /* the device's highest sequence sent */

static int capture(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	struct dev_seg d;
	if (!device_segment(f, len, &d))
		return 0;
	if ((d.flags & 0x12) == 0x12) {
		iss = d.seq;
		snd_max = d.seq + 1;
	} else if ((int32_t)(d.seq + (uint32_t)d.plen - snd_max) > 0) {
		snd_max = d.seq + (uint32_t)d.plen;
	}
	return 0;
}

/* One serve as apps.c does it: again cleared, then on_poll. */
static int serve(struct app_conn *c)
{
	c->again = 0;
	return svc_echo.on_poll(k, c, keel_tcp_poll(k, c->sock));
}

static void echo_waits_for_room_with_bytes_to_read(void **state)
{
	(void)state;
	k = device_open_at(5, capture, 1000);
	assert_non_null(k);
	int l = keel_tcp_listen(k, 7, 4);
	assert_true(l >= 0);
	peer_segment_at(k, 1000, SPORT, 7, 100, 0, 0x02, 0);                             /* SYN */
	peer_segment_at(k, 1000, SPORT, 7, 101, iss + 1, 0x10, 0);                       /* ACK */
	struct app_conn c = { .sock = keel_tcp_accept(k, l) };
	assert_true(c.sock >= 0);
	/* Nothing to read: nothing asked. */
	assert_int_equal(serve(&c), 0);
	assert_int_equal(c.again, 0);
	/* The send side filled, nothing acknowledged. */
	static const uint8_t fill[256];
	int n = 0;
	for (int i = 0; i < 4096 && n != KEEL_EWOULDBLOCK; i++)
		n = keel_tcp_send(k, c.sock, fill, sizeof(fill));
	assert_int_equal(n, KEEL_EWOULDBLOCK);
	/* Ten bytes in, no room to echo them: the sweep is asked to look. */
	peer_segment_at(k, 1000, SPORT, 7, 101, iss + 1, 0x18, 10);
	assert_int_equal(serve(&c), 0);
	assert_int_equal(c.again, APP_WAIT);
	/* All that was sent is acknowledged: the bytes move, nothing asked. */
	peer_segment_at(k, 1000, SPORT, 7, 111, snd_max, 0x10, 0);
	assert_int_equal(serve(&c), 0);
	assert_int_equal(c.again, 0);
	assert_int_equal(keel_tcp_poll(k, c.sock) & TCP_POLL_READABLE, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(echo_waits_for_room_with_bytes_to_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
