/* RFC 5227 probe and announcement frames: see acd.h. */
#include <string.h>
#include "acd.h"
#include "byteorder.h"
#include "keel.h"

static int send_request(struct keel *k, uint32_t spa, uint32_t tpa)
{
	uint8_t *p = k->txbuf + ETH_HDR_LEN;
	store_be16(p, 1);                  /* Ethernet */
	store_be16(p + 2, ETHERTYPE_IPV4);
	p[4] = 6;
	p[5] = 4;
	store_be16(p + 6, ARP_OP_REQUEST);
	memcpy(p + 8, k->ifc.mac, 6);
	store_be32(p + 14, spa);
	memset(p + 18, 0, 6);              /* target MAC: unknown, zero */
	store_be32(p + 24, tpa);
	k->arp.stats.out_requests++;
	return eth_output(k, eth_broadcast, ETHERTYPE_ARP, ARP_PKT_LEN);
}

int acd_send_probe(struct keel *k, uint32_t ip)
{
	return send_request(k, 0, ip);
}

int acd_send_announce(struct keel *k, uint32_t ip)
{
	return send_request(k, ip, ip);
}
