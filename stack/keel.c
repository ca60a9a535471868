/* Stack instance: initialisation and the two entry points that take time. */
#include <string.h>
#include "keel.h"

void keel_init(struct keel *k, const uint8_t mac[6], uint32_t addr, uint8_t prefix,
	       uint32_t gateway, const uint8_t seed[16], keel_tx_fn tx, void *tx_ctx)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->ifc.mac, mac, 6);
	keel_set_addr(k, addr, prefix, gateway);
	k->tx = tx;
	k->tx_ctx = tx_ctx;
	arp_init(k, seed);
	tcp_init(k, seed);
}

void keel_set_addr(struct keel *k, uint32_t addr, uint8_t prefix, uint32_t gateway)
{
	k->ifc.addr = addr;
	k->ifc.prefix = prefix > 32 ? 32 : prefix;
	k->ifc.gateway = gateway;
}

void keel_input(struct keel *k, const uint8_t *frame, size_t len, uint32_t now_ms)
{
	k->now_ms = now_ms;
	eth_input(k, frame, len);
}

static void earliest(int *have, uint32_t *best, uint32_t t)
{
	if (!*have || (int32_t)(t - *best) < 0)
		*best = t;
	*have = 1;
}

int keel_next_deadline(struct keel *k, uint32_t *when_ms)
{
	int have = 0;
	uint32_t t, best = 0;
	if (arp_next_deadline(k, &t))
		earliest(&have, &best, t);
	if (tcp_next_deadline(k, &t))
		earliest(&have, &best, t);
	if (have)
		*when_ms = best;
	return have;
}

void keel_tick(struct keel *k, uint32_t now_ms)
{
	k->now_ms = now_ms;
	arp_tick(k);
	tcp_tick(k);
}
