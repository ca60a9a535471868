/* ifconfig: show the interface and its counters, one "name value" per line
 * so tests can parse it; or set the address:
 *   ifconfig 192.0.2.9/24 gw 192.0.2.1 */
#include <stddef.h>
#include <string.h>
#include "cmd.h"
#include "console.h"
#include "fmt.h"
#include "fw.h"
#include "keel.h"
#include "netdev.h"

/* Every counter the stack's lower layers keep, by offset in struct keel.
 * When a layer header provides an X-macro list of its fields
 * (ETH_STATS_FIELDS(X) ...), the table follows it automatically. */
struct stat_name {
	const char *name;
	uint16_t off;
};
#define STAT(prefix, member, field) {prefix "." #field, offsetof(struct keel, member.field)}
#define ETH_STAT(f) STAT("eth", eth, f),
#define ARP_STAT(f) STAT("arp", arp.stats, f),
#define IP_STAT(f) STAT("ip", ip, f),
#define ICMP_STAT(f) STAT("icmp", icmp, f),

static const struct stat_name stack_stats[] = {
#ifdef ETH_STATS_FIELDS
	ETH_STATS_FIELDS(ETH_STAT)
#else
	ETH_STAT(in_frames) ETH_STAT(in_runts) ETH_STAT(in_not_for_us)
	ETH_STAT(in_multicast) ETH_STAT(in_unknown_type) ETH_STAT(out_frames)
	ETH_STAT(out_errors)
#endif
#ifdef ARP_STATS_FIELDS
	ARP_STATS_FIELDS(ARP_STAT)
#else
	ARP_STAT(in_requests) ARP_STAT(in_replies) ARP_STAT(in_errors)
	ARP_STAT(out_requests) ARP_STAT(out_replies) ARP_STAT(queue_drops)
	ARP_STAT(cache_evictions) ARP_STAT(in_conflicts) ARP_STAT(in_looped)
	ARP_STAT(resolve_failures) ARP_STAT(queue_sent) ARP_STAT(queue_hwm)
#endif
#ifdef IPV4_STATS_FIELDS
	IPV4_STATS_FIELDS(IP_STAT)
#else
	IP_STAT(in_receives) IP_STAT(in_delivers) IP_STAT(out_requests)
	IP_STAT(in_hdr_errors) IP_STAT(in_csum_errors) IP_STAT(in_truncated)
	IP_STAT(in_addr_errors) IP_STAT(in_unknown_protos) IP_STAT(in_fragments)
	IP_STAT(in_options) IP_STAT(out_no_routes) IP_STAT(out_discards)
	IP_STAT(in_srcroute) IP_STAT(in_martians) IP_STAT(in_bcast_drops)
	IP_STAT(in_padding_trimmed)
#endif
#ifdef ICMP_STATS_FIELDS
	ICMP_STATS_FIELDS(ICMP_STAT)
#else
	ICMP_STAT(in_msgs) ICMP_STAT(in_errors) ICMP_STAT(in_csum_errors)
	ICMP_STAT(in_echos) ICMP_STAT(out_msgs) ICMP_STAT(out_echo_reps)
	ICMP_STAT(in_echo_bcast) ICMP_STAT(out_errors)
#endif
};

static void show(void)
{
	struct keel *k = fw_stack();
	struct netdev *nd = fw_netdev();
	char a[FMT_IP_LEN], mac[FMT_MAC_LEN];
	con_printf("addr %s/%u\n", fmt_ip(a, k->ifc.addr), (unsigned)k->ifc.prefix);
	con_printf("netmask %s\n", fmt_ip(a, keel_netmask(k->ifc.prefix)));
	con_printf("gateway %s\n", fmt_ip(a, k->ifc.gateway));
	con_printf("mac %s\n", fmt_mac(mac, k->ifc.mac));
	con_printf("mtu %u\n", (unsigned)KEEL_MTU);
	if (nd) {
		const struct netdev_stats *s = &nd->stats;
		con_printf("netdev %s\n", nd->name);
		con_printf("netdev.rx_frames %lu\nnetdev.rx_bytes %lu\n", (unsigned long)s->rx_frames,
			   (unsigned long)s->rx_bytes);
		con_printf("netdev.rx_drops %lu\nnetdev.rx_errors %lu\n", (unsigned long)s->rx_drops,
			   (unsigned long)s->rx_errors);
		con_printf("netdev.rx_fifo_full %lu\n", (unsigned long)s->rx_fifo_full);
		con_printf("netdev.tx_frames %lu\nnetdev.tx_bytes %lu\n", (unsigned long)s->tx_frames,
			   (unsigned long)s->tx_bytes);
		con_printf("netdev.tx_drops %lu\nnetdev.tx_errors %lu\n", (unsigned long)s->tx_drops,
			   (unsigned long)s->tx_errors);
	} else {
		con_puts("netdev none\n");
	}
	const uint8_t *base = (const uint8_t *)k;
	for (size_t i = 0; i < sizeof(stack_stats) / sizeof(stack_stats[0]); i++) {
		uint32_t v;
		memcpy(&v, base + stack_stats[i].off, sizeof(v));
		con_printf("%s %lu\n", stack_stats[i].name, (unsigned long)v);
	}
}

static int ifconfig(int argc, char **argv)
{
	if (argc == 1) {
		show();
		return 0;
	}
	struct keel *k = fw_stack();
	uint32_t addr, gw = k->ifc.gateway;
	uint8_t prefix = k->ifc.prefix;
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
	keel_set_addr(k, addr, prefix, gw);
	char a[FMT_IP_LEN], g[FMT_IP_LEN];
	con_printf("addr %s/%u\ngateway %s\n", fmt_ip(a, k->ifc.addr), (unsigned)k->ifc.prefix,
		   fmt_ip(g, k->ifc.gateway));
	return 0;
}

CMD_REGISTER(ifconfig, "ifconfig", "[addr[/prefix] [gw gateway]]",
	     "show the interface and its counters, or set its address", ifconfig);
