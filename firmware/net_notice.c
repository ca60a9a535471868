/* Tells the console when DHCP changes the address: leased, renewed onto
 * another address, lost (NAK, expiry), or the static fallback taken.
 * Polled from the main loop; printed as a notice above the prompt. */
#include "console.h"
#include "fmt.h"
#include "fw.h"
#include "keel.h"

static uint32_t seen;

void net_notice_poll(struct keel *k)
{
	const struct dhcp_client *c = &k->dhcp;
	if (c->changes == seen)
		return;
	char line[CONSOLE_ROW_MAX], a[FMT_IP_LEN], g[FMT_IP_LEN], s[FMT_IP_LEN];
	if (k->ifc.addr == 0)
		fmt_snprintf(line, sizeof(line), "dhcp: address dropped (%s), discovering",
			     c->stats.expiries ? "lease expired or refused" : "refused");
	else if (c->state == DHCP_FALLBACK)
		fmt_snprintf(line, sizeof(line), "dhcp: no offer, static ip %s/%u", fmt_ip(a, k->ifc.addr),
			     (unsigned)k->ifc.prefix);
	else
		fmt_snprintf(line, sizeof(line), "dhcp: leased ip %s/%u gw %s from %s for %lu s",
			     fmt_ip(a, k->ifc.addr), (unsigned)k->ifc.prefix, fmt_ip(g, k->ifc.gateway),
			     fmt_ip(s, c->lease.server), (unsigned long)c->lease.lease_s);
	if (console_notice(line))
		seen = c->changes;
}
