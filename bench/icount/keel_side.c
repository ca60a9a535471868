/* keel under count: the stack through its public API (<keel/...>) and
 * three services written as firmware/app_*.c are (after every frame, the
 * connections the stack's ready queue names, as firmware/apps.c's
 * apps_poll_events; zero-copy discard), without the firmware's other
 * services. */
#include <stdint.h>
#include <string.h>
#include <keel/keel.h>
#include <keel/port.h>
#include <keel/tcp.h>
#include "side.h"

const unsigned side_line_len = sizeof(SIDE_LINE) - 1;

#define BACKLOG 4   /* = the firmware's services */

static struct keel *k;
static struct netdev *nd;
static uint8_t rxbuf[KEEL_FRAME_MAX] __attribute__((aligned(4)));
static int listeners[4];
static const uint16_t ports[4] = { 7, 9, 13, 19 };
/* At the connection's index (keel_tcp_index), as firmware/apps.c. */
static struct { int sock; uint16_t port; } conns[KEEL_TCP_MAX_CONN];

static int side_tx(void *ctx, const uint8_t *frame, size_t len)
{
	struct netdev *dev = ctx;
	return dev->tx(dev, frame, len);
}

void side_init(struct netdev *dev, uint32_t now_ms)
{
	static const uint8_t seed[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	(void)now_ms;
	nd = dev;
	struct keel_ifconfig ifc = { .addr = 0xC0000202u, .prefix = 24 };   /* 192.0.2.2/24 */
	memcpy(ifc.mac, dev->mac, sizeof(ifc.mac));
	k = keel_open(&ifc, seed, side_tx, dev);
	for (size_t i = 0; i < KEEL_TCP_MAX_CONN; i++)
		conns[i].sock = -1;
	for (size_t i = 0; i < 4; i++)
		listeners[i] = keel_tcp_listen(k, ports[i], BACKLOG);
}

static int serve(int s, uint16_t port);

/* Out of line: the per-frame path (services) only asks whether anything
 * is pending, without this loop's registers to save. */
static __attribute__((noinline)) void accept_new(void)
{
	for (size_t l = 0; l < 4; l++) {
		for (size_t n = 0; n < KEEL_TCP_MAX_CONN; n++) {
			if (!keel_tcp_accept_pending(k))
				return;      /* as firmware/apps.c: the queues are empty */
			int s = keel_tcp_accept(k, listeners[l]);
			if (s < 0)
				break;
			if (ports[l] == 13) {   /* the line, then close: one segment with the FIN */
				keel_tcp_send_more(k, s, SIDE_LINE, sizeof(SIDE_LINE) - 1);
				keel_tcp_close(k, s);
				continue;
			}
			int i = keel_tcp_index(k, s);
			conns[i].sock = s;
			conns[i].port = ports[l];
			if (serve(s, ports[l])) {   /* data may have come with the ACK */
				keel_tcp_close(k, s);
				conns[i].sock = -1;
			}
		}
	}
}

/* 1: the service is done with the connection. */
static int serve(int s, uint16_t port)
{
	unsigned ev = keel_tcp_poll(k, s);
	if (ev & TCP_POLL_ERROR)
		return 1;
	if (port == 7) {   /* firmware/app_echo.c: ring to ring, one copy */
		int n = keel_tcp_splice(k, s, s, SIZE_MAX);
		return n == KEEL_EWOULDBLOCK ? 0 : n <= 0;
	}
	if (port == 19 && (ev & TCP_POLL_WRITABLE)) {
		for (int round = 0; round < 4; round++)
			if (keel_tcp_send(k, s, side_source, sizeof(side_source)) <= 0)
				break;
	}
	int n = keel_tcp_recv_consume(k, s, SIZE_MAX);
	if (n == KEEL_EWOULDBLOCK)
		return 0;
	return n <= 0;
}

static void services(void)
{
	if (keel_tcp_accept_pending(k))
		accept_new();
	for (size_t n = 0; n < KEEL_TCP_MAX_CONN; n++) {
		int i = keel_tcp_ready_next(k);
		if (i < 0)
			break;
		if (conns[i].sock >= 0 && keel_tcp_index(k, conns[i].sock) == i &&
		    serve(conns[i].sock, conns[i].port)) {
			keel_tcp_close(k, conns[i].sock);
			conns[i].sock = -1;
		}
	}
}

void side_frame(uint32_t now_ms)
{
	size_t len = nd->rx(nd, rxbuf, sizeof(rxbuf));
	if (len == 0)
		return;
	keel_input(k, rxbuf, len, now_ms);
	services();
}

void side_tick(uint32_t now_ms)
{
	keel_tick(k, now_ms);
	services();
}
