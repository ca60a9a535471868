/* The scripted peer as a MAC (see fake_netdev.h). */
#include "fake_netdev.h"
#include <string.h>
#include "count.h"

int fake_counting;
static struct peer_conn **conn;
static uint8_t pending[PEER_FRAME_MAX];
static size_t pending_len;

static size_t fake_rx(struct netdev *nd, uint8_t *buf, size_t cap)
{
	size_t len = pending_len;
	if (len == 0 || len > cap)
		return 0;
	pending_len = 0;
	/* The copy out of the MAC is the board's (a FIFO on both boards),
	 * the same for both stacks: not counted, like the peer. */
	if (fake_counting)
		COUNT_TOGGLE();
	memcpy(buf, pending, len);
	nd->stats.rx_frames++;
	if (fake_counting)
		COUNT_TOGGLE();
	return len;
}

static int fake_tx(struct netdev *nd, const uint8_t *frame, size_t len)
{
	if (fake_counting)
		COUNT_TOGGLE();
	nd->stats.tx_frames++;
	if (*conn)
		peer_from_device(*conn, frame, len);
	if (fake_counting)
		COUNT_TOGGLE();
	return 0;
}

static struct netdev dev = {
	.name = "peer",
	.mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 },
	.rx = fake_rx,
	.tx = fake_tx,
};

struct netdev *fake_netdev(struct peer_conn **current)
{
	conn = current;
	return &dev;
}

void fake_netdev_put(const uint8_t *frame, size_t len)
{
	memcpy(pending, frame, len);
	pending_len = len;
}
