/* The listener table: listeners by port (the SYN queue, TIME_WAIT's new
 * SYNs and input dispatch look them up) and by handle (the API).  It
 * calls no other TCP file, so everything may depend on it. */
#include "tcp_internal.h"

/* Listeners by port: a small chained hash (the port is chosen by us, so
 * no key is needed); links are index + 1, 0 ends. */
static uint8_t *listen_bucket(struct keel *k, uint16_t port)
{
	return &k->tcp.listen_head[(port ^ (port >> 7)) & (TCP_LISTEN_BUCKETS - 1u)];
}

void listen_pool_init(struct keel *k)
{
	for (unsigned i = 0; i < KEEL_TCP_MAX_LISTEN; i++)
		k->tcp.listeners[i].gen = 1;
}

struct tcp_listener *listen_lookup(struct keel *k, uint16_t port)
{
	unsigned i = *listen_bucket(k, port);
	for (unsigned n = 0; n < KEEL_TCP_MAX_LISTEN && i != 0; n++) {
		struct tcp_listener *l = &k->tcp.listeners[i - 1];
		if (l->used && l->port == port)
			return l;
		i = l->hnext;
	}
	return NULL;
}

void listen_unhash(struct keel *k, struct tcp_listener *l)
{
	uint8_t self = (uint8_t)(listen_index(k, l) + 1);
	uint8_t *link = listen_bucket(k, l->port);
	for (unsigned n = 0; n < KEEL_TCP_MAX_LISTEN && *link != 0; n++) {
		if (*link == self) {
			*link = l->hnext;
			break;
		}
		link = &k->tcp.listeners[*link - 1].hnext;
	}
	l->hnext = 0;
}

int listen_index(struct keel *k, const struct tcp_listener *l)
{
	return (int)(l - k->tcp.listeners);
}

void listen_hash(struct keel *k, struct tcp_listener *l)
{
	uint8_t *head = listen_bucket(k, l->port);
	l->hnext = *head;
	*head = (uint8_t)(listen_index(k, l) + 1);
}

struct tcp_listener *listen_from_handle(struct keel *k, int h)
{
	if (h < 0)
		return NULL;
	unsigned idx = tcp_handle_slot(h) - KEEL_TCP_MAX_CONN;   /* wraps for TCBs */
	if (idx >= KEEL_TCP_MAX_LISTEN)
		return NULL;
	struct tcp_listener *l = &k->tcp.listeners[idx];
	if (!l->used || tcp_handle_gen(h) != l->gen)
		return NULL;
	return l;
}
