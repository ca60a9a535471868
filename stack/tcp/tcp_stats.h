/* What TCP keeps for its reports: RFC 4022 TCP-MIB counters, Linux's
 * extras, pool use.  Applications read them through <keel/stats.h>
 * (stats.c); the stack and white-box tests use these. */
#ifndef KEEL_TCP_STATS_H
#define KEEL_TCP_STATS_H
#include <stdint.h>
#include <keel/config.h>
#include <keel/stats.h>
#include <keel/tcp.h>

struct keel;

struct keel_pool_usage {
	uint16_t size, in_use, high_water;
};

/* The TCP pools, numbered as their enum keel_pool twins. */
enum tcp_pool { TCP_POOL_TCB, TCP_POOL_SYN_QUEUE, TCP_POOL_TIME_WAIT, TCP_POOL_LISTEN, TCP_NPOOLS };

struct tcp_mib {
	/* TCP-MIB (RFC 4022) */
	uint32_t active_opens, passive_opens, attempt_fails, estab_resets;
	uint32_t in_segs, out_segs, retrans_segs, in_errs, out_rsts;
	/* Linux TcpExt */
	uint32_t listen_overflows, listen_drops;
	uint32_t syncookies_sent, syncookies_recv, syncookies_failed;
	uint32_t tw;                 /* connections that entered TIME_WAIT */
	uint32_t closed_after_fin;   /* TCPClosedAfterFin (keel's own): TCBs that reached CLOSED
					from FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK or TIME_WAIT */
	uint32_t tw_recycled;        /* TIME_WAIT taken over by a newer SYN */
	uint32_t tw_overflow;        /* TCPTimeWaitOverflow: skipped TIME_WAIT, table full */
	uint32_t abort_on_close;     /* TCPAbortOnClose: closed with unread data -> RST */
	uint32_t abort_on_data;      /* TCPAbortOnData: data after close -> RST */
	uint32_t abort_on_timeout;   /* TCPAbortOnTimeout */
	uint32_t abort_on_linger;    /* TCPAbortOnLinger: abort() / linger 0 */
	uint32_t abort_on_addr;      /* TCPAbortOnAddrChange (keel's own): connections, half-open
					and TIME_WAIT entries dropped because the address moved */
	uint32_t synack_retrans;     /* TCPSynRetrans (SYN and SYN-ACK retransmits) */
	uint32_t challenge_acks;     /* TCPChallengeACK (RFC 5961) */
	uint32_t challenge_acks_skipped; /* TCPACKSkippedChallenge: rate limit (RFC 5961 §7) */
	uint32_t req_q_full_drop;    /* TCPReqQFullDrop: SYN dropped, SYN queue full */
	uint32_t bad_options;        /* segments dropped for malformed options */
	uint32_t in_csum_errors;     /* InCsumErrors */
	/* the data path, as Linux counts it */
	uint32_t ofo_queue;          /* TCPOFOQueue: segments kept out of order */
	uint32_t ofo_drop;           /* TCPOFODrop: out of order, no range or no memory left */
	/* the shared buffer pool (tcp_mem.c) */
	uint32_t mem_pressures;      /* TCPMemoryPressures: entries into memory pressure */
	uint32_t rcvq_drop;          /* TCPRcvQDrop: in-order data dropped, no memory */
	uint32_t prune_called;       /* PruneCalled: receive ran short of memory, pruning tried */
	uint32_t ofo_pruned;         /* OfoPruned: out-of-order queue dropped to make room */
	uint32_t fast_retrans;       /* TCPFastRetrans: on the third duplicate ACK */
	uint32_t timeouts;           /* TCPTimeouts: retransmission timer expiries */
	uint32_t delayed_acks;       /* DelayedACKs: ACKs sent by the delayed-ACK timer */
	uint32_t win_probes;         /* TCPWinProbe: zero-window probes sent */
	uint32_t keepalive_probes;   /* TCPKeepAlive: keepalive probes sent */
	uint32_t ka_profile_full;    /* TCPKeepAliveProfileFull (keel's own): keel_tcp_set_keepalive
					refused, every interned setting in use (tcp_kaprof.h) */
	/* options (RFC 7323, RFC 2018) */
	uint32_t paws_estab_rejected;  /* PAWSEstabRejected: dropped by PAWS on a connection */
	uint32_t paws_active_rejected; /* PAWSActiveRejected: SYN-ACK echoing no SYN of ours */
	uint32_t ts_reorder;           /* TCPTSReorder: reordering found by timestamps */
	uint32_t sack_recovery;        /* TCPSACKRecovery: fast recoveries with SACK */
	uint32_t sack_reorder;         /* TCPSACKReorder: a SACK hole filled by the original */
	uint32_t dsack_recv;           /* TCPDSACKRecv: DSACK blocks received (RFC 2883) */
	uint32_t dsack_old_sent;       /* TCPDSACKOldSent: DSACKs sent for data below RCV.NXT */
	uint32_t dsack_ofo_sent;       /* TCPDSACKOfoSent: DSACKs sent for out-of-order data held */
	uint32_t loss_probes;          /* TCPLossProbes: tail-loss probes sent (RFC 8985) */
};

const struct tcp_mib *tcp_get_mib(const struct keel *k);
void tcp_pool_get(const struct keel *k, enum tcp_pool pool, struct keel_pool_usage *out);
#endif
