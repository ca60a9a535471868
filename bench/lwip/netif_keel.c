/* An lwIP netif over keel's netdev interface (struct netdev, <keel/port.h>): the very
 * same Stellaris / LAN9118 drivers keel's firmware uses. */
#include <string.h>
#include "bench_lwip.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "netif/ethernet.h"
#include <keel/port.h>

#define FRAME_MAX 1514u   /* Ethernet header + 1500, as KEEL_FRAME_MAX */

static struct netdev *nd;
static struct pbuf *rx_spare;                 /* next frame lands here */
static uint8_t txbuf[FRAME_MAX] __attribute__((aligned(4)));

/* A chained pbuf is flattened once; a single one goes out in place. */
static err_t keelif_output(struct netif *netif, struct pbuf *p)
{
	(void)netif;
	const uint8_t *frame = p->payload;
	if (p->next != NULL) {
		if (p->tot_len > sizeof(txbuf))
			return ERR_BUF;
		pbuf_copy_partial(p, txbuf, p->tot_len, 0);
		frame = txbuf;
	}
	if (nd->tx(nd, frame, p->tot_len) != 0) {
		LINK_STATS_INC(link.drop);
		return ERR_IF;
	}
	LINK_STATS_INC(link.xmit);
	return ERR_OK;
}

static err_t keelif_init(struct netif *netif)
{
	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->output = etharp_output;
	netif->linkoutput = keelif_output;
	netif->mtu = 1500;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, nd->mac, ETH_HWADDR_LEN);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

void keelif_add(struct netif *netif, struct netdev *dev, const ip4_addr_t *addr,
		const ip4_addr_t *mask, const ip4_addr_t *gw)
{
	nd = dev;
	netif_add(netif, addr, mask, gw, NULL, keelif_init, ethernet_input);
	netif_set_default(netif);
	netif_set_up(netif);
	netif_set_link_up(netif);
}

/* One frame from the MAC into a pool pbuf (the one copy, as keel's
 * rxbuf), handed to lwIP.  Returns 1 if a frame was taken.  With the pool
 * empty the frame stays in the MAC's FIFO until the application frees
 * buffers, as a real port would do. */
int keelif_poll(struct netif *netif)
{
	if (rx_spare == NULL) {
		rx_spare = pbuf_alloc(PBUF_RAW, FRAME_MAX, PBUF_POOL);
		if (rx_spare == NULL)
			return 0;
	}
	size_t len = nd->rx(nd, rx_spare->payload, FRAME_MAX);
	if (len == 0)
		return 0;
	struct pbuf *p = rx_spare;
	rx_spare = NULL;
	pbuf_realloc(p, (u16_t)len);
	LINK_STATS_INC(link.recv);
	if (netif->input(p, netif) != ERR_OK)
		pbuf_free(p);
	return 1;
}
