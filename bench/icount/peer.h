/* A scripted Linux-like TCP client for the instruction counts
 * (bench/icount/): it builds the frames 192.0.2.1 sends to the device at
 * 192.0.2.2 and reads the device's replies, one connection at a time.
 * Stack-agnostic: the same peer drives keel and lwIP. */
#ifndef KEEL_ICOUNT_PEER_H
#define KEEL_ICOUNT_PEER_H
#include <stddef.h>
#include <stdint.h>

#define PEER_FRAME_MAX 1514u
#define PEER_MSS 1460u

extern const uint8_t peer_dev_mac[6];

enum peer_goal {
	GOAL_LINE,        /* port 13: read until the device's FIN, then FIN back */
	GOAL_SEND,        /* send `to_send` bytes, then FIN; done when all acked */
	GOAL_RECEIVE,     /* read `to_receive` bytes, ACK each segment, then RST */
	GOAL_ECHO,        /* send `to_send` bytes and read them back, then FIN */
	GOAL_HOLD,        /* as GOAL_ECHO, then stay open (no FIN): a held connection */
};

struct peer_conn {
	enum peer_goal goal;
	uint16_t sport, dport;
	uint8_t host;             /* the peer is 192.0.2.<host> (0: 192.0.2.1) */
	uint32_t snd_nxt, snd_una, rcv_nxt, snd_wnd;
	uint32_t to_send, to_receive, received;
	int synced, fin_rcvd, fin_sent, ack_due, done, reset;
	uint32_t data_segs_out, data_segs_in;   /* carrying payload, each way */
};

/* Starts a connection (queues the SYN) from 192.0.2.1. */
void peer_open(struct peer_conn *c, enum peer_goal goal, uint16_t sport, uint16_t dport);
/* The same from 192.0.2.<host> (MAC 02:00:00:00:01:<host>), an on-link
 * neighbour of its own, as the bench's many-address clients. */
void peer_open_from(struct peer_conn *c, enum peer_goal goal, uint8_t host, uint16_t sport,
		    uint16_t dport);
/* The next frame the peer sends, or 0 when it has nothing to send now. */
size_t peer_next_frame(struct peer_conn *c, uint8_t *frame);
/* A frame from the device (the fake MAC's tx). */
void peer_from_device(struct peer_conn *c, const uint8_t *frame, size_t len);
#endif
