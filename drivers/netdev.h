/* The small interface every Ethernet driver implements. */
#ifndef KEEL_NETDEV_H
#define KEEL_NETDEV_H
#include <stddef.h>
#include <stdint.h>

struct netdev_stats {
	uint32_t rx_frames, rx_bytes, rx_drops, rx_errors;
	uint32_t tx_frames, tx_bytes, tx_drops, tx_errors;
	uint32_t rx_fifo_full;   /* times the receive FIFO was found full */
};

struct netdev {
	const char *name;
	uint8_t mac[6];
	/* Copies one received frame (no FCS) into buf; returns its length, 0 if
	 * none is waiting.  A frame longer than cap is dropped and counted. */
	size_t (*rx)(struct netdev *dev, uint8_t *buf, size_t cap);
	/* Sends one frame; returns 0 when taken, -1 when dropped (counted). */
	int (*tx)(struct netdev *dev, const uint8_t *frame, size_t len);
	struct netdev_stats stats;
};
#endif
