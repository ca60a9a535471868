/* <keel/stats.h>: every counter the stack keeps, in one table with the
 * names Linux gives it; the pools; the instance's size.  The firmware's
 * netstat -s, ifconfig, reset-counters and /metrics all read this table,
 * so their numbers always agree. */
#include <stddef.h>
#include <string.h>
#include "keel.h"

enum counter_kind { RUNNING, CURR_ESTAB };

struct counter_def {
	const char *group, *name;
	uint8_t kind;    /* enum counter_kind */
	uint32_t off;    /* RUNNING: offset of the uint32_t in struct keel */
};

#define K(g, n, member) {g, n, RUNNING, offsetof(struct keel, member)}

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
	K("TcpExt", "TCPClosedAfterFin", tcp.mib.closed_after_fin),   /* keel's own */
	K("TcpExt", "OutOfWindowIcmps", tcp.pmtu.out_of_window),
	K("TcpExt", "TCPPmtuUpdates", tcp.pmtu.updates),
	K("TcpExt", "TCPPmtuNoConn", tcp.pmtu.no_conn),
	K("TcpExt", "TCPPmtuIgnored", tcp.pmtu.ignored),
	K("TcpExt", "TWRecycled", tcp.mib.tw_recycled),
	K("TcpExt", "TCPTimeWaitOverflow", tcp.mib.tw_overflow),
	K("TcpExt", "TCPAbortOnClose", tcp.mib.abort_on_close),
	K("TcpExt", "TCPAbortOnData", tcp.mib.abort_on_data),
	K("TcpExt", "TCPAbortOnTimeout", tcp.mib.abort_on_timeout),
	K("TcpExt", "TCPAbortOnLinger", tcp.mib.abort_on_linger),
	K("TcpExt", "TCPAbortOnAddrChange", tcp.mib.abort_on_addr),   /* keel's own */
	K("TcpExt", "TCPSynRetrans", tcp.mib.synack_retrans),
	K("TcpExt", "TCPChallengeACK", tcp.mib.challenge_acks),
	K("TcpExt", "TCPACKSkippedChallenge", tcp.mib.challenge_acks_skipped),
	K("TcpExt", "TCPReqQFullDrop", tcp.mib.req_q_full_drop),
	K("TcpExt", "TCPBadOptions", tcp.mib.bad_options),   /* keel's own */
	K("TcpExt", "TCPOFOQueue", tcp.mib.ofo_queue),
	K("TcpExt", "TCPOFODrop", tcp.mib.ofo_drop),
	K("TcpExt", "TCPMemoryPressures", tcp.mib.mem_pressures),
	K("TcpExt", "TCPRcvQDrop", tcp.mib.rcvq_drop),
	K("TcpExt", "PruneCalled", tcp.mib.prune_called),
	K("TcpExt", "OfoPruned", tcp.mib.ofo_pruned),
	K("TcpExt", "TCPFastRetrans", tcp.mib.fast_retrans),
	K("TcpExt", "TCPTimeouts", tcp.mib.timeouts),
	K("TcpExt", "DelayedACKs", tcp.mib.delayed_acks),
	K("TcpExt", "TCPWinProbe", tcp.mib.win_probes),
	K("TcpExt", "TCPKeepAlive", tcp.mib.keepalive_probes),
	K("TcpExt", "TCPKeepAliveProfileFull", tcp.mib.ka_profile_full),   /* keel's own */
	K("TcpExt", "PAWSEstabRejected", tcp.mib.paws_estab_rejected),
	K("TcpExt", "PAWSActiveRejected", tcp.mib.paws_active_rejected),
	K("TcpExt", "TCPTSReorder", tcp.mib.ts_reorder),
	K("TcpExt", "TCPSACKRecovery", tcp.mib.sack_recovery),
	K("TcpExt", "TCPSACKReorder", tcp.mib.sack_reorder),
	K("TcpExt", "TCPDSACKRecv", tcp.mib.dsack_recv),
	K("TcpExt", "TCPDSACKOldSent", tcp.mib.dsack_old_sent),
	K("TcpExt", "TCPDSACKOfoSent", tcp.mib.dsack_ofo_sent),
	K("TcpExt", "TCPLossProbes", tcp.mib.loss_probes),
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
	K("Icmp", "InEchoReps", icmp.in_echo_reps),
	K("Icmp", "OutEchos", icmp.out_echos),
	K("Icmp", "InDestUnreachs", icmp.in_dest_unreachs),
	K("Icmp", "OutErrors", icmp.out_errors),
	K("Icmp", "OutDestUnreachs", icmp.out_dest_unreachs),
	K("Icmp", "OutRateLimited", icmp.out_ratelimited),   /* Linux: IcmpMsg / OutRateLimitHost */
	K("Udp", "InDatagrams", udp.stats.in_datagrams),
	K("Udp", "NoPorts", udp.stats.no_ports),
	K("Udp", "InErrors", udp.stats.in_errors),
	K("Udp", "OutDatagrams", udp.stats.out_datagrams),
	K("Udp", "RcvbufErrors", udp.stats.rcvbuf_errors),
	K("Udp", "InCsumErrors", udp.stats.in_csum_errors),
	K("Udp", "IgnoredMulti", udp.stats.ignored_multi),
	/* Dhcp (keel's names: Linux's kernel has no DHCP client) */
	K("Dhcp", "OutDiscovers", dhcp.stats.out_discovers),
	K("Dhcp", "OutRequests", dhcp.stats.out_requests),
	K("Dhcp", "OutDeclines", dhcp.stats.out_declines),
	K("Dhcp", "InOffers", dhcp.stats.in_offers),
	K("Dhcp", "InAcks", dhcp.stats.in_acks),
	K("Dhcp", "InNaks", dhcp.stats.in_naks),
	K("Dhcp", "InErrors", dhcp.stats.in_errors),
	K("Dhcp", "InIgnored", dhcp.stats.in_ignored),
	K("Dhcp", "Conflicts", dhcp.stats.conflicts),
	K("Dhcp", "Expiries", dhcp.stats.expiries),
	K("Dhcp", "Fallbacks", dhcp.stats.fallbacks),
	/* Dns (keel's names: Linux resolves in user space) */
	K("Dns", "OutQueries", dns.stats.out_queries),
	K("Dns", "OutRetransmits", dns.stats.out_retransmits),
	K("Dns", "InAnswers", dns.stats.in_answers),
	K("Dns", "InNxDomain", dns.stats.in_nxdomain),
	K("Dns", "InServFail", dns.stats.in_servfail),
	K("Dns", "InErrors", dns.stats.in_errors),
	K("Dns", "InMismatch", dns.stats.in_mismatch),
	K("Dns", "Timeouts", dns.stats.timeouts),
	K("Dns", "CacheHits", dns.stats.cache_hits),
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
	K("Eth", "OutLinkDown", eth.out_link_down),
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

size_t keel_counter_count(void)
{
	return NDEFS;
}

static uint32_t *slot(struct keel *k, const struct counter_def *d)
{
	return (uint32_t *)(void *)((uint8_t *)k + d->off);
}

int keel_counter_get(const struct keel *k, size_t i, struct keel_counter *out)
{
	if (i >= NDEFS)
		return -1;
	const struct counter_def *d = &defs[i];
	out->group = d->group;
	out->name = d->name;
	out->gauge = d->kind == CURR_ESTAB;
	if (d->kind == CURR_ESTAB)
		out->value = keel_tcp_curr_estab(k);
	else
		memcpy(&out->value, (const uint8_t *)k + d->off, sizeof(out->value));
	return 0;
}

void keel_counters_reset(struct keel *k)
{
	for (size_t i = 0; i < NDEFS; i++)
		if (defs[i].kind == RUNNING)
			*slot(k, &defs[i]) = 0;
}

_Static_assert((int)KEEL_POOL_TCB == (int)TCP_POOL_TCB && (int)KEEL_POOL_SYN_QUEUE == (int)TCP_POOL_SYN_QUEUE &&
	       (int)KEEL_POOL_TIME_WAIT == (int)TCP_POOL_TIME_WAIT && (int)KEEL_POOL_LISTEN == (int)TCP_POOL_LISTEN,
	       "the TCP pools are the first keel pools, in the same order");

int keel_pool_get(const struct keel *k, unsigned pool, struct keel_pool_info *out)
{
	static const char *const names[KEEL_NPOOLS] = {
		[KEEL_POOL_TCB] = "tcb", [KEEL_POOL_SYN_QUEUE] = "syn_queue",
		[KEEL_POOL_TIME_WAIT] = "time_wait", [KEEL_POOL_LISTEN] = "listeners",
		[KEEL_POOL_ARP_CACHE] = "arp_cache", [KEEL_POOL_ARP_QUEUE] = "arp_queue",
		[KEEL_POOL_CHUNKS] = "chunks",
		[KEEL_POOL_UDP] = "udp_sockets", [KEEL_POOL_DNS_CACHE] = "dns_cache",
	};
	static const uint16_t entry[KEEL_NPOOLS] = {
		[KEEL_POOL_TCB] = sizeof(struct tcp_tcb),
		[KEEL_POOL_SYN_QUEUE] = sizeof(struct tcp_synq_entry),
		[KEEL_POOL_TIME_WAIT] = sizeof(struct tcp_tw_entry),
		[KEEL_POOL_LISTEN] = sizeof(struct tcp_listener),
		[KEEL_POOL_ARP_CACHE] = sizeof(struct arp_entry),
		/* per slot: its record and its share of the packet storage */
		[KEEL_POOL_ARP_QUEUE] = (sizeof(((struct arp_state *)0)->queue) +
					 sizeof(((struct arp_state *)0)->data)) / ARP_QUEUE_SLOTS,
		[KEEL_POOL_CHUNKS] = CHUNK_SIZE,
		[KEEL_POOL_UDP] = sizeof(struct udp_sock),
		[KEEL_POOL_DNS_CACHE] = sizeof(struct dns_cache_entry),
	};
	if (pool >= KEEL_NPOOLS)
		return -1;
	memset(out, 0, sizeof(*out));
	out->name = names[pool];
	out->entry_bytes = entry[pool];
	if (pool < TCP_NPOOLS) {
		const struct keel_pool_usage *u = &k->tcp.pool[pool];
		out->size = u->size;
		out->in_use = u->in_use;
		out->high_water = u->high_water;
		out->has_high_water = 1;
	} else if (pool == KEEL_POOL_ARP_CACHE) {
		out->size = KEEL_ARP_CACHE_SIZE;
		out->in_use = k->arp.in_use;
	} else if (pool == KEEL_POOL_CHUNKS) {
		out->size = CHUNK_COUNT;
		out->in_use = k->tcp.chunks.in_use;
		out->high_water = k->tcp.chunks.peak;
		out->has_high_water = 1;
	} else if (pool == KEEL_POOL_ARP_QUEUE) {
		out->size = ARP_QUEUE_SLOTS;
		out->in_use = k->arp.queued;
		out->high_water = (uint16_t)k->arp.stats.queue_hwm;
		out->has_high_water = 1;
	} else if (pool == KEEL_POOL_UDP) {
		out->size = KEEL_UDP_MAX_SOCK;
		for (unsigned i = 0; i < KEEL_UDP_MAX_SOCK; i++)
			out->in_use = (uint16_t)(out->in_use + (k->udp.socks[i].port != 0));
		out->high_water = k->udp.hwm;
		out->has_high_water = 1;
	} else {
		out->size = KEEL_DNS_CACHE;
		for (unsigned i = 0; i < KEEL_DNS_CACHE; i++) {
			const struct dns_cache_entry *e = &k->dns.cache[i];
			out->in_use = (uint16_t)(out->in_use + (e->name[0] != '\0' &&
								 (int32_t)(e->expires_ms - k->now_ms) > 0));
		}
	}
	return 0;
}

void keel_mem_get(const struct keel *k, struct keel_mem_info *out)
{
	out->chunk_size = CHUNK_SIZE;
	out->pressure = k->tcp.mem_pressure;
	out->tcb_bytes = (uint32_t)sizeof(struct tcp_tcb);
	out->ext_size = KEEL_TCP_EXT;
	out->ext_in_use = k->tcp.ext.in_use;
	out->ext_peak = k->tcp.ext.peak;
	out->ext_bytes = (uint32_t)sizeof(struct tcb_ext);
	out->ext_full = k->tcp.ext.full;
	out->flight_size = KEEL_TCP_FLIGHT;
	out->flight_in_use = k->tcp.flight.in_use;
	out->flight_peak = k->tcp.flight.peak;
	out->flight_bytes = (uint32_t)sizeof(struct tcb_flight);
	out->flight_full = k->tcp.flight.full;
}

size_t keel_instance_bytes(void)
{
	return sizeof(struct keel);
}
