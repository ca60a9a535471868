/* Placeholder until the TCP engine lands: every segment is ignored. */
#include "keel.h"

void tcp_init(struct keel *k, const uint8_t seed[16])
{
	(void)k;
	(void)seed;
}

void tcp_input(struct keel *k, const struct ipv4_packet *ip)
{
	(void)k;
	(void)ip;
}

void tcp_tick(struct keel *k)
{
	(void)k;
}
