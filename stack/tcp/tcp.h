/* TCP: the engine's state as held inside struct keel.  Three kinds of
 * connection state in three fixed pools, as Linux keeps them: full TCBs
 * (tcp_tcb.h), half-open SYN-queue entries (tcp_synq.h) and TIME_WAIT
 * entries (tcp_timewait.h); plus the listeners (tcp_listen.h). */
#ifndef KEEL_TCP_H
#define KEEL_TCP_H
#include <stdint.h>
#include <keel/config.h>
#include <keel/tcp.h>
#include "tcp_stats.h"
#include "tcp_sysctl.h"
#include "tcp_tcb.h"
#include "tcp_ext.h"
#include "tcp_flight.h"
#include "tcp_synq.h"
#include "tcp_timewait.h"
#include "tcp_listen.h"
#include "syncookie.h"
#include "isn.h"
#include "tcp_pmtu.h"

struct keel;
struct ipv4_packet;

/* Transition: the public calls are keel_tcp_* (<keel/tcp.h>, <keel/stats.h>);
 * the stack's own files and the tests still spell some of them by the old
 * names, which map here.  Not visible to applications; remove once no
 * caller uses them. */
#define tcp_listen keel_tcp_listen
#define tcp_accept keel_tcp_accept
#define tcp_accept_pending keel_tcp_accept_pending
#define tcp_connect keel_tcp_connect
#define tcp_send keel_tcp_send
#define tcp_recv keel_tcp_recv
#define tcp_recv_peek keel_tcp_recv_peek
#define tcp_recv_consume keel_tcp_recv_consume
#define tcp_splice keel_tcp_splice
#define tcp_shutdown keel_tcp_shutdown
#define tcp_close keel_tcp_close
#define tcp_abort keel_tcp_abort
#define tcp_poll keel_tcp_poll
#define tcp_error keel_tcp_error
#define tcp_set_nodelay keel_tcp_set_nodelay
#define tcp_set_keepalive keel_tcp_set_keepalive
#define tcp_state_name keel_tcp_state_name
#define tcp_get_state keel_tcp_get_state
#define tcp_state_counts keel_tcp_state_counts
#define tcp_curr_estab keel_tcp_curr_estab

/* Hash heads, a power of two so the bucket is a mask: one per two TCBs
 * (chains of about two when the pool is full), one per four of the small
 * SYN-queue and TIME_WAIT entries. */
#define TCP_TCB_BUCKETS KEEL_POW2_AT_LEAST((KEEL_TCP_MAX_CONN + 1) / 2)
#define TCP_SYNQ_BUCKETS KEEL_POW2_AT_LEAST((KEEL_SYN_BACKLOG + 3) / 4)
#define TCP_TW_BUCKETS KEEL_POW2_AT_LEAST((KEEL_TW_MAX + 3) / 4)
#define TCP_LISTEN_BUCKETS KEEL_POW2_AT_LEAST(KEEL_TCP_MAX_LISTEN)
_Static_assert(KEEL_TCP_SNDBUF <= 32768 && KEEL_TCP_RCVBUF <= 32768, "buffers fit uint16 and the unscaled window");

struct tcp_stack {
	struct tcp_sysctl sysctl;         /* Linux knobs, read at every use */
	struct tcp_mib mib;
	struct keel_pool_usage pool[TCP_NPOOLS];
	uint8_t isn_key[16];              /* RFC 6528 secret */
	struct isn_clock isn_clock;       /* sub-millisecond part of M (isn.h) */
	struct syncookie_keys cookies;    /* for the SYN-cookie issue */
	struct tcp_pmtu_stats pmtu;       /* path MTU discovery (tcp_pmtu.c) */
	uint16_t ephemeral_next;          /* next ephemeral port to try */
	uint16_t synack_sent_tick;        /* SYN-ACK retransmits in this tick (TCP_TICK_BUDGET) */
	struct tcp_wheel wheel;           /* TCB and SYN-queue timers */
	uint32_t hash_key[2];             /* tcp_tuple_hash key, from the boot seed */
	/* The last tuple hashed and its hash (tcp_tuple_hash_memo): one
	 * connection's segment goes through three tables, and its setup and
	 * teardown move it between them, all under the same 4-tuple. */
	struct { uint32_t raddr, h; uint16_t rport, lport; } hash_memo;
	/* Connections waiting in all accept queues together: apps poll after
	 * every frame, and this lets them skip tcp_accept on every listener
	 * when nothing is there (tcp_accept_pending). */
	uint16_t accept_ready;
	struct tcp_listener listeners[KEEL_TCP_MAX_LISTEN];
	struct tcp_synq_entry synq[KEEL_SYN_BACKLOG];
	struct tcp_tw_entry tw[KEEL_TW_MAX];
	struct tcp_tcb tcbs[KEEL_TCP_MAX_CONN];
	/* Lookups by 4-tuple (and listeners by port) are one hashed chain,
	 * never a scan of a pool; free entries are lists, never searched.
	 * Index links, TCP_NONE ends (listeners: index + 1, 0 ends). */
	uint16_t tcb_head[TCP_TCB_BUCKETS];
	uint16_t synq_head[TCP_SYNQ_BUCKETS];
	uint16_t tw_head[TCP_TW_BUCKETS];
	uint8_t listen_head[TCP_LISTEN_BUCKETS];
	/* TCBs are reused oldest-freed first, so a slot's generations (and
	 * so its handles) are spent as slowly as the pool allows. */
	uint16_t tcb_free_head, tcb_free_tail;
	uint16_t synq_free, tw_free;
	uint16_t tw_oldest, tw_newest;    /* TIME_WAIT age order (tcp_timewait.h) */
	uint16_t tcbs_retired, listeners_retired;  /* generations spent (tcp_tcb.c) */
	/* TCBs in use by state, kept at every change (tcb_state_to) so netstat,
	 * /metrics and the history read them without walking the pool. */
	uint16_t tcb_states[TCP_NSTATES];
	uint16_t ready_head, ready_tail;  /* the ready queue (tcp_ready.c) */
	uint16_t ready_next[KEEL_TCP_MAX_CONN];
	uint8_t mem_pressure;             /* tcp_mem.c: 1 between tcp_mem[1] and tcp_mem[0] */
	/* The D-SACK block (RFC 2883) the segment being processed earned:
	 * the next ACK of dsack_tcb reports it first, once (tcp_sack.c).
	 * Set and sent within one tcp_input, so it needs no room in a TCB. */
	const struct tcp_tcb *dsack_tcb;
	uint32_t dsack_start, dsack_end;
	/* The last 4-tuple's ISN hash (tcp_isn_for, tcp_ts.c), in halves: a
	 * SYN's ISN, its SYN-ACK's and the child's timestamp offset are one
	 * SipHash. */
	struct { uint32_t laddr, raddr, lo, hi; uint16_t lport, rport; } prf_memo;
	struct chunk_pool chunks;         /* every connection's data bytes */
	struct tcb_ext_pool ext;          /* cold per-connection state (tcp_ext.h) */
	struct tcb_flight_pool flight;    /* sender state while data is in flight (tcp_flight.h) */
	struct tcp_ka_table ka;           /* interned keepalive settings (tcp_kaprof.h) */
};

void tcp_init(struct keel *k, const uint8_t seed[16]);
void tcp_input(struct keel *k, const struct ipv4_packet *ip);
void tcp_tick(struct keel *k);
/* The earliest time tcp_tick has work (keel_next_deadline). */
int tcp_next_deadline(struct keel *k, uint32_t *when_ms);
/* The interface address was old_addr and is about to change (tcp_addr.c). */
void tcp_addr_change(struct keel *k, uint32_t old_addr);
#endif
