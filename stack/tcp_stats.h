/* What TCP reports: RFC 4022 TCP-MIB counters, Linux's extras, pool use.
 * The console, /metrics and the tests read these; nothing else. */
#ifndef KEEL_TCP_STATS_H
#define KEEL_TCP_STATS_H
#include <stdint.h>
#include "tcp_api.h"

struct keel;

struct keel_pool_usage {
	uint16_t size, in_use, high_water;
};

enum tcp_pool { TCP_POOL_TCB, TCP_POOL_SYN_QUEUE, TCP_POOL_TIME_WAIT, TCP_POOL_LISTEN, TCP_NPOOLS };

struct tcp_mib {
	/* TCP-MIB (RFC 4022) */
	uint32_t active_opens, passive_opens, attempt_fails, estab_resets;
	uint32_t in_segs, out_segs, retrans_segs, in_errs, out_rsts;
	/* Linux TcpExt */
	uint32_t listen_overflows, listen_drops;
	uint32_t syncookies_sent, syncookies_recv, syncookies_failed;
	uint32_t tw;                 /* connections that entered TIME_WAIT */
	uint32_t tw_recycled;        /* TIME_WAIT taken over by a newer SYN */
	uint32_t tw_overflow;        /* TCPTimeWaitOverflow: skipped TIME_WAIT, table full */
	uint32_t abort_on_close;     /* TCPAbortOnClose: closed with unread data -> RST */
	uint32_t abort_on_data;      /* TCPAbortOnData: data after close -> RST */
	uint32_t abort_on_timeout;   /* TCPAbortOnTimeout */
	uint32_t abort_on_linger;    /* TCPAbortOnLinger: abort() / linger 0 */
	uint32_t synack_retrans;     /* TCPSynRetrans (SYN and SYN-ACK retransmits) */
	uint32_t challenge_acks;     /* TCPChallengeACK (RFC 5961) */
	uint32_t req_q_full_drop;    /* TCPReqQFullDrop: SYN dropped, SYN queue full */
	uint32_t bad_options;        /* segments dropped for malformed options */
	uint32_t in_csum_errors;     /* InCsumErrors */
};

const struct tcp_mib *tcp_get_mib(const struct keel *k);
void tcp_pool_get(const struct keel *k, enum tcp_pool pool, struct keel_pool_usage *out);
/* Connections in each state right now (LISTEN counts listeners, SYN_RECEIVED
 * counts SYN-queue entries, TIME_WAIT counts the TIME_WAIT table). */
void tcp_state_counts(const struct keel *k, uint16_t counts[TCP_NSTATES]);
/* CurrEstab: ESTABLISHED + CLOSE_WAIT, as RFC 4022 defines it. */
uint32_t tcp_curr_estab(const struct keel *k);
#endif
