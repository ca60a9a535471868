/* The porting contract: what a network driver and a board give keel, and
 * what keel gives them.  docs/PORTING.md walks through it with the two
 * drivers in drivers/eth/ as examples.
 *
 *   frame in    the main loop takes a received frame from the driver
 *               (struct netdev rx) and hands it to keel_input
 *   frame out   keel calls the keel_tx_fn given to keel_open with each
 *               complete frame (the firmware passes it to netdev tx)
 *   link        keel_link_set when the PHY reports carrier up or down
 *               (a driver without link detection never calls it: keel
 *               starts with the link up)
 *   offload     keel_set_offload when the MAC checks or fills checksums
 *   clock       every call takes now_ms; keel never reads a clock */
#ifndef KEEL_PORT_H
#define KEEL_PORT_H
#include <stddef.h>
#include <stdint.h>

struct keel;

/* ---- stack side ---- */

/* Hands one complete Ethernet frame (no FCS, at least 60 bytes) to the
 * driver; returns 0 when taken, nonzero when dropped.  The frame is only
 * valid during the call. */
typedef int (*keel_tx_fn)(void *ctx, const uint8_t *frame, size_t len);

/* One received Ethernet frame without FCS; the frame need only live for
 * the call.  Every length is checked: any bytes are safe to pass. */
void keel_input(struct keel *k, const uint8_t *frame, size_t len, uint32_t now_ms);

/* Carrier change.  Down: frames keel would send are dropped and counted
 * (Eth OutLinkDown) and the ARP cache is flushed, since the neighbours may
 * be others when it comes back (Linux flushes on carrier loss).  Up: one
 * gratuitous ARP announces our address (RFC 5227 §3), as lwIP does and
 * Linux with arp_notify.  TCP's timers run on, as Linux's do. */
void keel_link_set(struct keel *k, int up, uint32_t now_ms);
int keel_link_is_up(const struct keel *k);

/* Checksum offload, for MACs that do it (neither QEMU MAC does). */
#define KEEL_OFFLOAD_RX_CSUM 0x01u  /* the MAC verified the IPv4 header and the
				     * TCP/UDP/ICMP checksums, and dropped bad frames */
#define KEEL_OFFLOAD_TX_CSUM 0x02u  /* the MAC fills in those checksums: keel
				     * sends them as zero */
void keel_set_offload(struct keel *k, unsigned flags);

/* ---- driver side: the object a MAC driver fills in ---- */

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
	/* Optional (NULL: always up): 1 when the PHY reports a link. */
	int (*link_up)(struct netdev *dev);
	unsigned offload;        /* KEEL_OFFLOAD_* the MAC does, 0 if none */
	struct netdev_stats stats;
};
#endif
