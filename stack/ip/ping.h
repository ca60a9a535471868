/* ICMP echo requests sent for the application and their replies (the
 * calls are in <keel/ping.h>). */
#ifndef KEEL_PING_H
#define KEEL_PING_H
#include <stdint.h>
#include <keel/ping.h>

struct keel;
struct ipv4_packet;

struct ping_state {
	uint8_t open;
	uint8_t head, count;
	uint16_t id;
	struct keel_ping_reply ring[KEEL_PING_REPLIES];
};

/* An echo reply (type 0, checksum checked): kept when it is ours. */
void ping_input(struct keel *k, const struct ipv4_packet *ip);
#endif
