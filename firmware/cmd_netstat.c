/* netstat: connections per state, SYN- and accept-queue occupancy per
 * listener, and pool use -- the numbers one watches on Linux with
 * `watch -n 0.6 'netstat -t | grep ... | wc -l'`:
 *
 *   State          Count          one line per state, netstat's names
 *   ESTABLISHED        5
 *   Listener       SynQ     AcceptQ     (n/max: SYN queue and accept queue)
 *   192.0.2.2:7    0/4      0/4
 *   Pool           Size  InUse  Peak
 *   tcb               8      5     5
 *
 * netstat -s [GROUP...]: every counter of firmware/counters.c under its
 * group header (Tcp:, TcpExt:, Ip:, Icmp:, Arp:, Eth:, Link:), one
 * indented "Name value" line each, Linux's names (/proc/net/snmp and
 * netstat; `Tcp.ActiveOpens` is what `nstat` calls TcpActiveOpens):
 *   Tcp:
 *       ActiveOpens                    3
 * A reader keys each line by "<Group>.<Name>" (tests/qemu/keelqemu.py
 * parse_counters does).  GROUP limits the output to those groups. */
#include <stdbool.h>
#include <string.h>
#include "cmd.h"
#include "console.h"
#include "counters.h"
#include "fmt.h"
#include "fw.h"
#include <keel/keel.h>
#include <keel/stats.h>
#include <keel/sysctl.h>

/* Row layout of the summary stream. */
#define ROW_STATES 1u                               /* after the header */
#define ROW_LHDR (ROW_STATES + TCP_NSTATES - 1u)    /* CLOSED is not shown */
#define ROW_LISTEN (ROW_LHDR + 1u)
#define ROW_PHDR (ROW_LISTEN + KEEL_TCP_MAX_LISTEN)
#define ROW_POOLS (ROW_PHDR + 1u)
#define ROW_END (ROW_POOLS + KEEL_POOL_LISTEN + 1u)   /* the TCP pools */

static uint16_t counts[TCP_NSTATES];   /* one snapshot for all state rows */

/* Half-open entries for local port `port`: the SYN-queue slots. */
static unsigned synq_of(const struct keel *k, uint16_t port)
{
	struct tcp_conn_info ci;
	unsigned n = 0, first = KEEL_TCP_MAX_LISTEN + KEEL_TCP_MAX_CONN;
	for (unsigned i = first; i < first + KEEL_SYN_BACKLOG; i++)
		if (keel_tcp_conn_info(k, i, &ci) == 0 && ci.kind == TCP_CONN_HALF_OPEN && ci.lport == port)
			n++;
	return n;
}

static void listener_row(const struct keel *k, unsigned slot)
{
	struct tcp_conn_info ci;
	if (keel_tcp_conn_info(k, slot, &ci) != 0 || ci.kind != TCP_CONN_LISTENER)
		return;
	/* tcp_listen.c admits a SYN while this listener's half-open count is
	 * below its backlog and the whole queue below tcp_max_syn_backlog. */
	uint32_t max = ci.send_q, syn_backlog = max;
	(void)keel_sysctl_get(k, "tcp_max_syn_backlog", &syn_backlog);
	if (syn_backlog < max)
		max = syn_backlog;
	char a[FMT_IP_LEN], ep[24], sq[16], aq[16];
	fmt_snprintf(ep, sizeof(ep), "%s:%u", fmt_ip(a, ci.laddr), (unsigned)ci.lport);
	fmt_snprintf(sq, sizeof(sq), "%u/%lu", synq_of(k, ci.lport), (unsigned long)max);
	fmt_snprintf(aq, sizeof(aq), "%lu/%lu", (unsigned long)ci.recv_q, (unsigned long)ci.send_q);
	con_printf("%-22s %-9s %s\n", ep, sq, aq);
}

static bool summary_row(void *ctx, unsigned row)
{
	(void)ctx;
	const struct keel *k = fw_stack();
	if (row == 0) {
		keel_tcp_state_counts(k, counts);
		con_puts("State          Count\n");
	} else if (row < ROW_LHDR) {
		unsigned s = row - ROW_STATES + 1u;   /* LISTEN .. TIME_WAIT */
		con_printf("%-12s %7u\n", keel_tcp_state_name((enum tcp_state)s), (unsigned)counts[s]);
	} else if (row == ROW_LHDR) {
		con_puts("Listener               SynQ      AcceptQ\n");
	} else if (row < ROW_PHDR) {
		listener_row(k, row - ROW_LISTEN);
	} else if (row == ROW_PHDR) {
		con_puts("Pool           Size  InUse   Peak\n");
	} else if (row < ROW_END) {
		struct keel_pool_info u;
		(void)keel_pool_get(k, row - ROW_POOLS, &u);
		con_printf("%-12s %6u %6u %6u\n", u.name, (unsigned)u.size,
			   (unsigned)u.in_use, (unsigned)u.high_water);
	} else {
		return false;
	}
	return true;
}

/* netstat -s */
static struct {
	char names[7][8];             /* argv is gone when the stream runs: copied */
	int ngroups;
	const char *last;             /* group of the previous row printed */
} st;

static bool group_wanted(const char *g)
{
	if (st.ngroups == 0)
		return true;
	for (int i = 0; i < st.ngroups; i++)
		if (strcmp(st.names[i], g) == 0)
			return true;
	return false;
}

static bool counters_row(void *ctx, unsigned row)
{
	(void)ctx;
	struct counter c;
	if (counters_get(fw_stack(), fw_netdev(), row, &c) != 0)
		return false;
	if (!group_wanted(c.group))
		return true;
	if (!st.last || strcmp(st.last, c.group) != 0)
		con_printf("%s:\n", c.group);
	st.last = c.group;
	con_printf("    %-26s %lu\n", c.name, (unsigned long)c.value);
	return true;
}

static int netstat(int argc, char **argv)
{
	if (argc == 1) {
		console_stream(summary_row, NULL);
		return 0;
	}
	if (strcmp(argv[1], "-s") != 0) {
		cmd_usage(cmd_find("netstat"));
		return -1;
	}
	st.ngroups = 0;
	st.last = NULL;
	for (int i = 2; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (n >= sizeof(st.names[0]) || st.ngroups == (int)(sizeof(st.names) / sizeof(st.names[0]))) {
			con_printf("netstat: no group '%s' (Tcp TcpExt Udp Dhcp Ip Icmp Arp Eth Link)\n", argv[i]);
			return -1;
		}
		memcpy(st.names[st.ngroups++], argv[i], n + 1);
	}
	console_stream(counters_row, NULL);
	return 0;
}

CMD_REGISTER(netstat, "netstat", "[-s [GROUP...]]",
	     "per-state counts, listener queues, pools; -s: counters, 'Group:' then 'Name value' lines",
	     netstat);
