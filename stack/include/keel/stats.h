/* What keel reports, without showing its insides: counters under Linux's
 * names, pool occupancy, connections per state and the connection table
 * (the rows of `ss`).  Everything is read through calls, so an
 * application never depends on struct keel's layout. */
#ifndef KEEL_STATS_H
#define KEEL_STATS_H
#include <stddef.h>
#include <stdint.h>
#include <keel/config.h>
#include <keel/tcp.h>

struct keel;

/* ---- counters ---- */

/* Counter i of keel_counter_count(): the groups and names are Linux's
 * (`netstat -s`, nstat, /proc/net/snmp) where Linux has the counter:
 * "Tcp", "TcpExt", "Ip", "Icmp", "Udp", then keel's "Arp" and "Eth". */
struct keel_counter {
	const char *group;
	const char *name;
	uint32_t value;
	uint8_t gauge;       /* 1: a current value (CurrEstab), not a running count */
};
size_t keel_counter_count(void);
/* Fills *out; 0, or -1 past the end (out untouched). */
int keel_counter_get(const struct keel *k, size_t i, struct keel_counter *out);
/* Zeroes every running count; gauges, pools' high-water marks and
 * connection state are untouched. */
void keel_counters_reset(struct keel *k);

/* ---- pools ---- */

enum keel_pool {
	KEEL_POOL_TCB,          /* full connections */
	KEEL_POOL_SYN_QUEUE,    /* half-open entries */
	KEEL_POOL_TIME_WAIT,    /* TIME_WAIT entries */
	KEEL_POOL_LISTEN,       /* listeners */
	KEEL_POOL_ARP_CACHE,    /* neighbours */
	KEEL_POOL_ARP_QUEUE,    /* packets waiting for an address */
	KEEL_POOL_CHUNKS,       /* the shared buffer pool: every connection's data */
	KEEL_POOL_UDP,          /* bound UDP ports (the stack's DHCP and DNS too) */
	KEEL_POOL_DNS_CACHE,    /* names resolved, until their TTL runs out */
	KEEL_NPOOLS
};
struct keel_pool_info {
	const char *name;       /* "tcb", "syn_queue", "time_wait", "listeners", "arp_cache",
				 * "arp_queue", "chunks", "udp_sockets", "dns_cache" */
	uint16_t size, in_use;
	uint16_t high_water;    /* most ever in use, when has_high_water */
	uint8_t has_high_water;
	uint32_t entry_bytes;   /* bytes per entry */
};
/* 0, or -1 for a pool number past the end. */
int keel_pool_get(const struct keel *k, unsigned pool, struct keel_pool_info *out);
/* The shared buffer pool's state beyond its occupancy (tcp_mem knobs). */
struct keel_mem_info {
	uint32_t chunk_size;    /* bytes per chunk */
	uint8_t pressure;       /* 1: TCP memory pressure (between tcp_mem[1] and tcp_mem[0]) */
	uint32_t tcb_bytes;     /* sizeof(struct tcp_tcb): a connection's state without data */
	/* The TCBs' cold-state extensions (out-of-order ranges, SACK
	 * scoreboard, RTT probe), held only while needed. */
	uint32_t ext_size, ext_in_use, ext_peak, ext_bytes;
	uint32_t ext_full;      /* asked for with none free: went on without */
	/* The TCBs' data entries: in-flight sender state (SND.NXT,
	 * snd_max, recover, dupacks) and both byte queues, held only while
	 * data or a FIN is out or received bytes are unread. */
	uint32_t flight_size, flight_in_use, flight_peak, flight_bytes;
	uint32_t flight_full;   /* asked for with none free: a write or FIN waited, or a segment was dropped */
};
void keel_mem_get(const struct keel *k, struct keel_mem_info *out);
/* sizeof(struct keel): the static RAM one instance takes. */
size_t keel_instance_bytes(void);

/* ---- connections ---- */

/* Connections in each state right now (LISTEN counts listeners, SYN_RECEIVED
 * counts SYN-queue entries, TIME_WAIT counts the TIME_WAIT table). */
void keel_tcp_state_counts(const struct keel *k, uint16_t counts[TCP_NSTATES]);
/* CurrEstab: ESTABLISHED + CLOSE_WAIT, as RFC 4022 defines it. */
uint32_t keel_tcp_curr_estab(const struct keel *k);

/* One row of the console's `ss`: connection slots are numbered
 * 0 .. TCP_CONN_SLOTS-1 over listeners, TCBs, SYN-queue entries and
 * TIME_WAIT entries, in that order.  keel_tcp_conn_info fills *out and
 * returns 0 for a slot in use, KEEL_EWOULDBLOCK for a free slot,
 * KEEL_EINVAL past the end, so
 * `for (i = 0; keel_tcp_conn_info(k, i, &ci) != KEEL_EINVAL; i++)`
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
	uint32_t rcv_wnd;            /* window we advertised last, unscaled */
	uint16_t mss;                /* send MSS */
	uint32_t total_retrans;      /* segments retransmitted on this connection */
	/* `ss -m` (TCBs only), Linux's skmem fields: bytes of chunks held */
	uint32_t rmem_alloc;         /* r: receive queue, out-of-order bytes included */
	uint32_t rcvbuf;             /* rb: receive budget now */
	uint32_t wmem_queued;        /* w: send queue */
	uint32_t sndbuf;             /* tb: send budget now */
	uint32_t drops;              /* d: segments dropped for want of memory */
	/* `ss -i`'s "ts sack wscale:S,R" (TCBs only): what the handshake agreed */
	uint8_t opts;                /* TCP_CONN_OPT_* */
	uint8_t snd_wscale, rcv_wscale;  /* the peer's shift, ours (TCP_CONN_OPT_WSCALE) */
};
#define TCP_CONN_OPT_TS     0x01u    /* timestamps (RFC 7323) */
#define TCP_CONN_OPT_SACK   0x02u    /* SACK (RFC 2018) */
#define TCP_CONN_OPT_WSCALE 0x04u    /* window scaling (RFC 7323) */
#define TCP_CONN_INFO_HAS_OPTS 1
#define TCP_CONN_INFO_HAS_SKMEM 1
#define TCP_CONN_INFO_HAS_SRTT 1
#define TCP_CONN_INFO_HAS_CWND 1
#define TCP_CONN_SLOTS (KEEL_TCP_MAX_LISTEN + KEEL_TCP_MAX_CONN + KEEL_SYN_BACKLOG + KEEL_TW_MAX)
int keel_tcp_conn_info(const struct keel *k, unsigned index, struct tcp_conn_info *out);
#endif
