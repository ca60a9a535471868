/* TCP: the engine's state as held inside struct keel. */
#ifndef KEEL_TCP_H
#define KEEL_TCP_H
#include <stdint.h>
#include "keel_config.h"
#include "tcp_api.h"

struct keel;
struct ipv4_packet;

struct tcp_stack {
	uint32_t placeholder; /* replaced by the TCP engine */
};

void tcp_init(struct keel *k, const uint8_t seed[16]);
void tcp_input(struct keel *k, const struct ipv4_packet *ip);
void tcp_tick(struct keel *k);
#endif
