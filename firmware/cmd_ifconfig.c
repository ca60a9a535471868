/* ifconfig: show the interface, its DHCP lease and its counters, one
 * "name value" per line so tests can parse it; or configure it:
 *   ifconfig 192.0.2.9/24 gw 192.0.2.1   static (stops DHCP)
 *   ifconfig dhcp                        lease one (RFC 2131), no fallback
 * The counters come from the one table in firmware/counters.c (Linux's
 * names there); here they keep the names ifconfig always printed:
 * "<layer>.<field>" -- the group in lower case and the name in snake case
 * (Ip InHdrErrors -> ip.in_hdr_errors, Link RxFrames -> netdev.rx_frames),
 * except the few below whose Linux name differs from the stack's field. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "cmd.h"
#include "console.h"
#include "counters.h"
#include "fmt.h"
#include "fw.h"
#include <keel/dhcp.h>
#include <keel/keel.h>
#include <keel/stats.h>
#include <keel/port.h>

static const struct {
	const char *linux_name, *field;
} renamed[] = {
	{"ReasmFails", "in_fragments"},
	{"InTruncatedPkts", "in_truncated"},
	{"InSrcRouteDrops", "in_srcroute"},
	{"InEchoBcastIgnored", "in_echo_bcast"},
};

/* "Ip" + "InHdrErrors" -> "ip.in_hdr_errors"; NULL for TCP's counters
 * (netstat -s shows those). */
static const char *old_name(char *out, size_t cap, const struct counter *c)
{
	const char *layer;
	if (strcmp(c->group, "Link") == 0)
		layer = "netdev";
	else if (strcmp(c->group, "Eth") == 0)
		layer = "eth";
	else if (strcmp(c->group, "Arp") == 0)
		layer = "arp";
	else if (strcmp(c->group, "Ip") == 0)
		layer = "ip";
	else if (strcmp(c->group, "Icmp") == 0)
		layer = "icmp";
	else
		return NULL;
	size_t n = (size_t)fmt_snprintf(out, cap, "%s.", layer);
	for (size_t i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++) {
		if (strcmp(c->name, renamed[i].linux_name) == 0) {
			fmt_snprintf(out + n, cap - n, "%s", renamed[i].field);
			return out;
		}
	}
	for (const char *p = c->name; *p && n + 2 < cap; p++) {
		if (*p >= 'A' && *p <= 'Z') {
			if (p != c->name)
				out[n++] = '_';
			out[n++] = (char)(*p - 'A' + 'a');
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return out;
}

#define ROW_COUNTERS 3u

static void show_dhcp(const struct keel *k)
{
	struct keel_dhcp_info d;
	char a[FMT_IP_LEN];
	keel_dhcp_info(k, &d);
	con_printf("dhcp %s\n", d.state);
	if (!d.bound)
		return;
	con_printf("dhcp.server %s\ndhcp.lease_s %lu\n", fmt_ip(a, d.server), (unsigned long)d.lease_s);
	con_printf("dhcp.expires_in %ld\ndhcp.t1_in %ld\ndhcp.t2_in %ld\n", (long)d.expires_in_ms / 1000,
		   (long)d.t1_in_ms / 1000, (long)d.t2_in_ms / 1000);
	for (unsigned i = 0; i < d.ndns; i++)
		con_printf("dhcp.dns %s\n", fmt_ip(a, d.dns[i]));
}

static bool show_row(void *ctx, unsigned row)
{
	(void)ctx;
	struct keel *k = fw_stack();
	struct netdev *nd = fw_netdev();
	if (row == 0) {
		char a[FMT_IP_LEN], mac[FMT_MAC_LEN];
		struct keel_ifconfig ifc;
		keel_get_ifconfig(k, &ifc);
		con_printf("addr %s/%u\n", fmt_ip(a, ifc.addr), (unsigned)ifc.prefix);
		con_printf("netmask %s\n", fmt_ip(a, keel_netmask(ifc.prefix)));
		con_printf("gateway %s\n", fmt_ip(a, ifc.gateway));
		con_printf("mac %s\nmtu %u\n", fmt_mac(mac, ifc.mac), (unsigned)KEEL_MTU);
		return true;
	}
	if (row == 1) {
		con_printf("netdev %s\n", nd ? nd->name : "none");
		return true;
	}
	if (row == 2) {
		show_dhcp(k);
		return true;
	}
	struct counter c;
	if (counters_get(k, nd, row - ROW_COUNTERS, &c) != 0) {
		if (row - ROW_COUNTERS > counters_count())
			return false;
		/* A gauge the counter table leaves out (not a running count). */
		struct keel_pool_info q;
		(void)keel_pool_get(k, KEEL_POOL_ARP_QUEUE, &q);
		con_printf("arp.queue_hwm %lu\n", (unsigned long)q.high_water);
		return true;
	}
	char name[40];
	if ((nd || strcmp(c.group, "Link") != 0) && old_name(name, sizeof(name), &c))
		con_printf("%s %lu\n", name, (unsigned long)c.value);
	return true;
}

static int ifconfig(int argc, char **argv)
{
	if (argc == 1) {
		console_stream(show_row, NULL);
		return 0;
	}
	struct keel *k = fw_stack();
	if (argc == 2 && strcmp(argv[1], "dhcp") == 0) {
		keel_dhcp_start(k, fw_uptime_ms(), 0, 0, 0);
		con_puts("dhcp: discovering\n");
		return 0;
	}
	struct keel_ifconfig ifc;
	keel_get_ifconfig(k, &ifc);
	uint32_t addr, gw = ifc.gateway;
	uint8_t prefix = ifc.prefix;
	if (parse_ipv4_prefix(argv[1], &addr, &prefix) != 0) {
		con_printf("ifconfig: bad address '%s'\n", argv[1]);
		cmd_usage(cmd_find("ifconfig"));
		return -1;
	}
	if (argc == 4 && strcmp(argv[2], "gw") == 0) {
		if (parse_ipv4(argv[3], &gw) != 0) {
			con_printf("ifconfig: bad gateway '%s'\n", argv[3]);
			return -1;
		}
	} else if (argc != 2) {
		cmd_usage(cmd_find("ifconfig"));
		return -1;
	}
	if (gw && (gw & keel_netmask(prefix)) != (addr & keel_netmask(prefix)))
		con_puts("ifconfig: warning: gateway is not on the local subnet\n");
	keel_dhcp_stop(k);
	keel_set_addr(k, addr, prefix, gw);
	keel_get_ifconfig(k, &ifc);
	char a[FMT_IP_LEN], g[FMT_IP_LEN];
	con_printf("addr %s/%u\ngateway %s\n", fmt_ip(a, ifc.addr), (unsigned)ifc.prefix,
		   fmt_ip(g, ifc.gateway));
	return 0;
}

CMD_REGISTER(ifconfig, "ifconfig", "[addr[/prefix] [gw gateway] | dhcp]",
	     "show the interface, lease and counters; set a static address or lease one", ifconfig);
