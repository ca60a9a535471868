/* The counter table: where each counter lives and what Linux calls it. */
#include <stddef.h>
#include <string.h>
#include "counters.h"
#include "keel.h"
#include "netdev.h"
#include "tcp_stats.h"

enum counter_base { IN_STACK, IN_NETDEV, CURR_ESTAB };

struct counter_def {
	const char *group, *name;
	uint8_t base;    /* enum counter_base */
	uint32_t off;    /* offset of the uint32_t in struct keel / netdev_stats */
};

#define K(g, n, member) {g, n, IN_STACK, offsetof(struct keel, member)}
#define L(n, field) {"Link", n, IN_NETDEV, offsetof(struct netdev_stats, field)}

static const struct counter_def defs[] = {
	/* RFC 4022 TCP-MIB as Linux prints it (netstat -s "Tcp:") */
	K("Tcp", "ActiveOpens", tcp.mib.active_opens),
	K("Tcp", "PassiveOpens", tcp.mib.passive_opens),
	K("Tcp", "AttemptFails", tcp.mib.attempt_fails),
	K("Tcp", "EstabResets", tcp.mib.estab_resets),
	{"Tcp", "CurrEstab", CURR_ESTAB, 0},
	K("Tcp", "InSegs", tcp.mib.in_segs),
	K("Tcp", "OutSegs", tcp.mib.out_segs),
	K("Tcp", "RetransSegs", tcp.mib.retrans_segs),
	K("Tcp", "InErrs", tcp.mib.in_errs),
	K("Tcp", "OutRsts", tcp.mib.out_rsts),
	K("Tcp", "InCsumErrors", tcp.mib.in_csum_errors),
	/* Linux TcpExt */
	K("TcpExt", "ListenOverflows", tcp.mib.listen_overflows),
	K("TcpExt", "ListenDrops", tcp.mib.listen_drops),
	K("TcpExt", "SyncookiesSent", tcp.mib.syncookies_sent),
	K("TcpExt", "SyncookiesRecv", tcp.mib.syncookies_recv),
	K("TcpExt", "SyncookiesFailed", tcp.mib.syncookies_failed),
	K("TcpExt", "TW", tcp.mib.tw),
	K("TcpExt", "TWRecycled", tcp.mib.tw_recycled),
	K("TcpExt", "TCPTimeWaitOverflow", tcp.mib.tw_overflow),
	K("TcpExt", "TCPAbortOnClose", tcp.mib.abort_on_close),
	K("TcpExt", "TCPAbortOnData", tcp.mib.abort_on_data),
	K("TcpExt", "TCPAbortOnTimeout", tcp.mib.abort_on_timeout),
	K("TcpExt", "TCPAbortOnLinger", tcp.mib.abort_on_linger),
	K("TcpExt", "TCPSynRetrans", tcp.mib.synack_retrans),
	K("TcpExt", "TCPChallengeACK", tcp.mib.challenge_acks),
	K("TcpExt", "TCPACKSkippedChallenge", tcp.mib.challenge_acks_skipped),
	K("TcpExt", "TCPReqQFullDrop", tcp.mib.req_q_full_drop),
	K("TcpExt", "TCPBadOptions", tcp.mib.bad_options),   /* keel's own */
	K("TcpExt", "TCPOFOQueue", tcp.mib.ofo_queue),
	K("TcpExt", "TCPOFODrop", tcp.mib.ofo_drop),
	K("TcpExt", "TCPFastRetrans", tcp.mib.fast_retrans),
	K("TcpExt", "TCPTimeouts", tcp.mib.timeouts),
	K("TcpExt", "DelayedACKs", tcp.mib.delayed_acks),
	K("TcpExt", "TCPWinProbe", tcp.mib.win_probes),
	K("TcpExt", "TCPKeepAlive", tcp.mib.keepalive_probes),
	/* Ip and IpExt */
	K("Ip", "InReceives", ip.in_receives),
	K("Ip", "InHdrErrors", ip.in_hdr_errors),
	K("Ip", "InAddrErrors", ip.in_addr_errors),
	K("Ip", "InUnknownProtos", ip.in_unknown_protos),
	K("Ip", "InDelivers", ip.in_delivers),
	K("Ip", "OutRequests", ip.out_requests),
	K("Ip", "OutDiscards", ip.out_discards),
	K("Ip", "OutNoRoutes", ip.out_no_routes),
	K("Ip", "ReasmFails", ip.in_fragments),
	K("Ip", "InCsumErrors", ip.in_csum_errors),
	K("Ip", "InTruncatedPkts", ip.in_truncated),
	K("Ip", "InOptions", ip.in_options),
	K("Ip", "InSrcRouteDrops", ip.in_srcroute),
	K("Ip", "InMartians", ip.in_martians),
	K("Ip", "InBcastDrops", ip.in_bcast_drops),
	K("Ip", "InPaddingTrimmed", ip.in_padding_trimmed),
	/* Icmp */
	K("Icmp", "InMsgs", icmp.in_msgs),
	K("Icmp", "InErrors", icmp.in_errors),
	K("Icmp", "InCsumErrors", icmp.in_csum_errors),
	K("Icmp", "InEchos", icmp.in_echos),
	K("Icmp", "InEchoBcastIgnored", icmp.in_echo_bcast),
	K("Icmp", "OutMsgs", icmp.out_msgs),
	K("Icmp", "OutEchoReps", icmp.out_echo_reps),
	K("Icmp", "OutErrors", icmp.out_errors),
	K("Icmp", "OutDestUnreachs", icmp.out_dest_unreachs),
	K("Icmp", "OutRateLimited", icmp.out_ratelimited),   /* Linux: IcmpMsg / OutRateLimitHost */
	/* Udp: no sockets, so every datagram for us is NoPorts */
	K("Udp", "InDatagrams", ip.udp_in_datagrams),
	K("Udp", "NoPorts", ip.udp_no_ports),
	K("Udp", "InErrors", ip.udp_in_errors),
	/* Arp (keel's names; Linux keeps these per neighbour table) */
	K("Arp", "InRequests", arp.stats.in_requests),
	K("Arp", "InReplies", arp.stats.in_replies),
	K("Arp", "InErrors", arp.stats.in_errors),
	K("Arp", "InConflicts", arp.stats.in_conflicts),
	K("Arp", "InLooped", arp.stats.in_looped),
	K("Arp", "OutRequests", arp.stats.out_requests),
	K("Arp", "OutReplies", arp.stats.out_replies),
	K("Arp", "QueueDrops", arp.stats.queue_drops),
	K("Arp", "QueueSent", arp.stats.queue_sent),
	K("Arp", "ResolveFailures", arp.stats.resolve_failures),
	K("Arp", "CacheEvictions", arp.stats.cache_evictions),
	/* Ethernet demultiplexing */
	K("Eth", "InFrames", eth.in_frames),
	K("Eth", "InRunts", eth.in_runts),
	K("Eth", "InNotForUs", eth.in_not_for_us),
	K("Eth", "InMulticast", eth.in_multicast),
	K("Eth", "InUnknownType", eth.in_unknown_type),
	K("Eth", "OutFrames", eth.out_frames),
	K("Eth", "OutErrors", eth.out_errors),
	/* The driver */
	L("RxFrames", rx_frames), L("RxBytes", rx_bytes), L("RxDrops", rx_drops),
	L("RxErrors", rx_errors), L("RxFifoFull", rx_fifo_full),
	L("TxFrames", tx_frames), L("TxBytes", tx_bytes), L("TxDrops", tx_drops),
	L("TxErrors", tx_errors),
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

size_t counters_count(void)
{
	return NDEFS;
}

static uint32_t *slot(const struct keel *k, const struct netdev *nd, const struct counter_def *d)
{
	if (d->base == IN_STACK)
		return (uint32_t *)((uintptr_t)k + d->off);
	if (d->base == IN_NETDEV && nd)
		return (uint32_t *)((uintptr_t)&nd->stats + d->off);
	return NULL;
}

int counters_get(const struct keel *k, const struct netdev *nd, size_t i, struct counter *out)
{
	if (i >= NDEFS)
		return -1;
	const struct counter_def *d = &defs[i];
	out->group = d->group;
	out->name = d->name;
	out->gauge = d->base == CURR_ESTAB;
	if (d->base == CURR_ESTAB) {
		out->value = tcp_curr_estab(k);
	} else {
		const uint32_t *p = slot(k, nd, d);
		out->value = p ? *p : 0;
	}
	return 0;
}

int counters_find(const struct keel *k, const struct netdev *nd, const char *group,
		  const char *name, uint32_t *value)
{
	struct counter c;
	for (size_t i = 0; counters_get(k, nd, i, &c) == 0; i++) {
		if (strcmp(c.group, group) == 0 && strcmp(c.name, name) == 0) {
			*value = c.value;
			return 0;
		}
	}
	return -1;
}

void counters_reset(struct keel *k, struct netdev *nd)
{
	for (size_t i = 0; i < NDEFS; i++) {
		uint32_t *p = slot(k, nd, &defs[i]);
		if (p)
			*p = 0;
	}
}
