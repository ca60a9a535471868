/* keel's lwIP benchmark image: the parts bench/lwip/ shares. */
#ifndef KEEL_BENCH_LWIP_H
#define KEEL_BENCH_LWIP_H
#include <stddef.h>
#include <stdint.h>
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"

struct netdev;

void keelif_add(struct netif *netif, struct netdev *dev, const ip4_addr_t *addr,
		const ip4_addr_t *mask, const ip4_addr_t *gw);
int keelif_poll(struct netif *netif);

/* Listeners for echo 7, discard 9 and one-line-then-close 13. */
void services_init(void);
/* Connection slots in use now and at most (for the console). */
void services_stats(unsigned *used, unsigned *hwm, unsigned *refused);

void con_puts(const char *s);
void con_putu(uint32_t v);
#endif
