/* The firmware's own services under count (the held rows of
 * bench/icount_arm.py): firmware/apps.c with echo, discard, daytime,
 * chargen and UDP echo as the image runs them, driven the way
 * firmware/main.c's loop drives them: after each frame the connections
 * with news (apps_poll_events), then the pass (apps_poll: its sweep of
 * the connections held runs once a millisecond).  HTTP and iperf keep
 * their listeners (the same table, the same accept path) but no
 * connection comes to them here, so they are stubs, not the firmware's
 * page generators and their console, history and capture. */
#include <stdint.h>
#include <string.h>
#include <keel/keel.h>
#include <keel/port.h>
#include <keel/tcp.h>
#include "apps.h"
#include "side.h"

const unsigned side_line_len = 0;   /* "keel uptime <s>.<ms> s\r\n" */

static int no_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	(void)k;
	(void)c;
	(void)ev;
	return 1;
}

const struct service svc_http = { "http", 80, 0, NULL, no_poll, NULL };
const struct service svc_iperf = { "iperf", 5001, 0, NULL, no_poll, NULL };

static struct keel *k;
static struct netdev *nd;
static uint8_t rxbuf[KEEL_FRAME_MAX] __attribute__((aligned(4)));

static int side_tx(void *ctx, const uint8_t *frame, size_t len)
{
	struct netdev *dev = ctx;
	return dev->tx(dev, frame, len);
}

void side_init(struct netdev *dev, uint32_t now_ms)
{
	static const uint8_t seed[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	nd = dev;
	struct keel_ifconfig ifc = { .addr = 0xC0000202u, .prefix = 24 };   /* 192.0.2.2/24 */
	memcpy(ifc.mac, dev->mac, sizeof(ifc.mac));
	k = keel_open(&ifc, seed, side_tx, dev);
	apps_init(k);
	apps_poll(k, now_ms);
}

void side_frame(uint32_t now_ms)
{
	size_t len = nd->rx(nd, rxbuf, sizeof(rxbuf));
	if (len == 0)
		return;
	keel_input(k, rxbuf, len, now_ms);
	apps_poll_events(k, now_ms);
	apps_poll(k, now_ms);
}

void side_tick(uint32_t now_ms)
{
	keel_tick(k, now_ms);
	apps_poll(k, now_ms);
}
