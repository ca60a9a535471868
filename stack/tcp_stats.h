/* What TCP reports: RFC 4022 TCP-MIB counters, Linux's extras, pool use.
 * The console, /metrics and the tests read these; nothing else. */
#ifndef KEEL_TCP_STATS_H
#define KEEL_TCP_STATS_H
#include <stdint.h>
#include "tcp_api.h"
#include "keel_config.h"

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
};

const struct tcp_mib *tcp_get_mib(const struct keel *k);
void tcp_pool_get(const struct keel *k, enum tcp_pool pool, struct keel_pool_usage *out);
/* Connections in each state right now (LISTEN counts listeners, SYN_RECEIVED
 * counts SYN-queue entries, TIME_WAIT counts the TIME_WAIT table). */
void tcp_state_counts(const struct keel *k, uint16_t counts[TCP_NSTATES]);
/* CurrEstab: ESTABLISHED + CLOSE_WAIT, as RFC 4022 defines it. */
uint32_t tcp_curr_estab(const struct keel *k);
/* One row of the console's `ss`: connection slots are numbered
 * 0 .. TCP_CONN_SLOTS-1 over listeners, TCBs, SYN-queue entries and
 * TIME_WAIT entries, in that order.  tcp_conn_info fills *out and returns
 * 0 for a slot in use, KEEL_EWOULDBLOCK for a free slot, KEEL_EINVAL past
 * the end, so `for (i = 0; tcp_conn_info(k, i, &ci) != KEEL_EINVAL; i++)`
 * walks everything in bounded time. */
enum tcp_conn_kind { TCP_CONN_LISTENER, TCP_CONN_TCB, TCP_CONN_HALF_OPEN, TCP_CONN_TIME_WAIT };
enum tcp_timer_kind { TCP_TIMER_NONE, TCP_TIMER_RETRANS, TCP_TIMER_SYNACK, TCP_TIMER_FIN_WAIT2, TCP_TIMER_TIME_WAIT,
		      TCP_TIMER_PERSIST, TCP_TIMER_KEEPALIVE, TCP_TIMER_DELACK };
struct tcp_conn_info {
	uint8_t kind;            /* enum tcp_conn_kind */
	uint8_t state;           /* enum tcp_state */
	uint8_t orphan;          /* closed by the app, finishing alone */
	uint8_t retransmits;     /* consecutive timer expiries (SYN-ACKs for half-open) */
	uint32_t laddr, raddr;   /* host order; 0 for a listener's remote */
	uint16_t lport, rport;
	uint32_t recv_q;         /* unread bytes (listener: accept queue length) */
	uint32_t send_q;         /* unacked + unsent bytes (listener: backlog) */
	uint32_t rto_ms;         /* current RTO (0 if none) */
	uint8_t timer;           /* enum tcp_timer_kind */
	int32_t timer_ms;        /* ms until it fires (may be <= 0 when due) */
	/* `ss -i` (TCBs only; 0 elsewhere) */
	uint32_t srtt_ms, rttvar_ms; /* RFC 6298 estimates, 0 before the first sample */
	uint32_t cwnd, ssthresh;     /* bytes (ssthresh 0x7fffffff = not yet set) */
	uint32_t snd_wnd;            /* peer's window */
	uint16_t rcv_wnd;            /* window we advertised last */
	uint16_t mss;                /* send MSS */
	uint32_t total_retrans;      /* segments retransmitted on this connection */
	/* `ss -m` (TCBs only), Linux's skmem fields: chunk bytes held */
	uint32_t rmem_alloc;         /* r: receive queue, out-of-order bytes included */
	uint32_t rcvbuf;             /* rb: receive budget now */
	uint32_t wmem_queued;        /* w: send queue */
	uint32_t sndbuf;             /* tb: send budget now */
	uint32_t drops;              /* d: segments dropped for want of memory */
};
#define TCP_CONN_INFO_HAS_SKMEM 1
/* The shared buffer pool, for `mem` and /metrics. */
struct tcp_mem_info {
	uint32_t chunk_size, chunks, in_use, peak;
	uint8_t pressure;            /* between tcp_mem[1] and tcp_mem[0] */
	uint32_t tcb_size;           /* sizeof(struct tcp_tcb) */
};
void tcp_mem_get(const struct keel *k, struct tcp_mem_info *out);
#define TCP_CONN_INFO_HAS_SRTT 1
#define TCP_CONN_INFO_HAS_CWND 1
#define TCP_CONN_SLOTS (KEEL_TCP_MAX_LISTEN + KEEL_TCP_MAX_CONN + KEEL_SYN_BACKLOG + KEEL_TW_MAX)
int tcp_conn_info(const struct keel *k, unsigned index, struct tcp_conn_info *out);
#endif
