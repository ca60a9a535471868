/* Tells the console when DHCP changes the address: leased, renewed onto
 * another address, lost (NAK, expiry), or the static fallback taken.
 * Polled from the main loop; printed as a notice above the prompt. */
#include <keel/dhcp.h>
#include <keel/keel.h>
#include "console.h"
#include "fmt.h"
#include "fw.h"

#define NOTICE_EVERY_MS 50u   /* look this often: the main loop runs far more */

static uint32_t seen, next_ms;

void net_notice_poll(struct keel *k, uint32_t now_ms)
{
	if ((int32_t)(now_ms - next_ms) < 0)
		return;
	next_ms = now_ms + NOTICE_EVERY_MS;
	struct keel_dhcp_info d;
	keel_dhcp_info(k, &d);
	if (d.changes == seen)
		return;
	struct keel_ifconfig ifc;
	keel_get_ifconfig(k, &ifc);
	char line[CONSOLE_ROW_MAX], a[FMT_IP_LEN], g[FMT_IP_LEN], s[FMT_IP_LEN];
	if (ifc.addr == 0)
		fmt_snprintf(line, sizeof(line), "dhcp: address dropped (%s), discovering",
			     d.expiries ? "lease expired or refused" : "refused");
	else if (d.fallback)
		fmt_snprintf(line, sizeof(line), "dhcp: no offer, static ip %s/%u", fmt_ip(a, ifc.addr),
			     (unsigned)ifc.prefix);
	else
		fmt_snprintf(line, sizeof(line), "dhcp: leased ip %s/%u gw %s from %s for %lu s",
			     fmt_ip(a, ifc.addr), (unsigned)ifc.prefix, fmt_ip(g, ifc.gateway),
			     fmt_ip(s, d.server), (unsigned long)d.lease_s);
	if (console_notice(line))
		seen = d.changes;
}
