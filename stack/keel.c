/* Stack instance: initialisation, the address, and the two entry points
 * that take time. */
#include <string.h>
#include "keel.h"

_Static_assert(KEEL_INSTANCES >= 1 && KEEL_INSTANCES <= 16, "KEEL_INSTANCES range");

/* The instances keel_open hands out: static, as every pool in keel. */
static struct keel instances[KEEL_INSTANCES];
static unsigned instances_open;

void keel_init(struct keel *k, const uint8_t mac[6], uint32_t addr, uint8_t prefix,
	       uint32_t gateway, const uint8_t seed[16], keel_tx_fn tx, void *tx_ctx)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->ifc.mac, mac, 6);
	keel_set_addr(k, addr, prefix, gateway);
	k->tx = tx;
	k->tx_ctx = tx_ctx;
	arp_init(k, seed);
	random_init(&k->rnd, seed);
	k->dhcp.sock = -1;
	dns_init(k);
	tcp_init(k, seed);
}

struct keel *keel_open(const struct keel_ifconfig *ifc, const uint8_t seed[16], keel_tx_fn tx,
		       void *tx_ctx)
{
	if (instances_open >= KEEL_INSTANCES)
		return NULL;
	struct keel *k = &instances[instances_open++];
	keel_init(k, ifc->mac, ifc->addr, ifc->prefix, ifc->gateway, seed, tx, tx_ctx);
	return k;
}

void keel_set_addr(struct keel *k, uint32_t addr, uint8_t prefix, uint32_t gateway)
{
	if (k->ifc.addr != 0 && addr != k->ifc.addr)
		tcp_addr_change(k, k->ifc.addr);   /* its RSTs leave from the old address */
	k->ifc.addr = addr;
	k->ifc.prefix = prefix > 32 ? 32 : prefix;
	/* Worked out once here, not on every datagram in and out; /31 and
	 * /32 have none (RFC 3021), nor has a device without an address. */
	uint32_t mask = keel_netmask(k->ifc.prefix);
	k->dir_bcast = k->ifc.prefix > 30 || addr == 0 ? 0u : (addr & mask) | ~mask;
	k->ifc.gateway = gateway;
}

void keel_get_ifconfig(const struct keel *k, struct keel_ifconfig *out)
{
	*out = k->ifc;
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
	if (dhcp_next_deadline(k, &t))
		earliest(&have, &best, t);
	if (dns_next_deadline(k, &t))
		earliest(&have, &best, t);
	if (tcp_next_deadline(k, &t))
		earliest(&have, &best, t);
	if (have)
		*when_ms = best;
	return have;
}

void keel_link_set(struct keel *k, int up, uint32_t now_ms)
{
	k->now_ms = now_ms;
	if (up && k->link_down) {
		k->link_down = 0;
		arp_announce(k);
		dhcp_link_up(k);   /* maybe another network now (RFC 2131 §3.7) */
	} else if (!up && !k->link_down) {
		k->link_down = 1;
		arp_flush(k);
	}
}

int keel_link_is_up(const struct keel *k)
{
	return !k->link_down;
}

void keel_set_offload(struct keel *k, unsigned flags)
{
	k->offload = (uint8_t)(flags & (KEEL_OFFLOAD_RX_CSUM | KEEL_OFFLOAD_TX_CSUM));
}

void keel_tick(struct keel *k, uint32_t now_ms)
{
	k->now_ms = now_ms;
	arp_tick(k);
	dhcp_tick(k);
	dns_tick(k);
	tcp_tick(k);
}
