/* TCP: the engine's state as held inside struct keel.  Three kinds of
 * connection state in three fixed pools, as Linux keeps them: full TCBs
 * (tcp_tcb.h), half-open SYN-queue entries (tcp_synq.h) and TIME_WAIT
 * entries (tcp_timewait.h); plus the listeners (tcp_listen.h). */
#ifndef KEEL_TCP_H
#define KEEL_TCP_H
#include <stdint.h>
#include "keel_config.h"
#include "tcp_api.h"
#include "tcp_stats.h"
#include "tcp_sysctl.h"
#include "tcp_tcb.h"
#include "tcp_synq.h"
#include "tcp_timewait.h"
#include "tcp_listen.h"
#include "syncookie.h"

struct keel;
struct ipv4_packet;

_Static_assert(KEEL_TCP_MAX_LISTEN >= 1 && KEEL_TCP_MAX_LISTEN < 255, "listener pool size");
_Static_assert(KEEL_SYN_BACKLOG >= 1 && KEEL_SYN_BACKLOG <= 65535, "SYN queue size");
_Static_assert(KEEL_TW_MAX >= 1 && KEEL_TW_MAX <= 254, "TIME_WAIT table size (chains link by uint8 index + 1)");
#define KEEL_TW_BUCKETS 32            /* TIME_WAIT lookup hash heads (one byte each) */
_Static_assert((KEEL_TW_BUCKETS & (KEEL_TW_BUCKETS - 1)) == 0, "TIME_WAIT buckets: power of two");

struct tcp_stack {
	struct tcp_sysctl sysctl;         /* Linux knobs, read at every use */
	struct tcp_mib mib;
	struct keel_pool_usage pool[TCP_NPOOLS];
	uint8_t isn_key[16];              /* RFC 6528 secret */
	struct syncookie_keys cookies;    /* for the SYN-cookie issue */
	uint16_t ephemeral_next;          /* next ephemeral port to try */
	uint16_t synq_cursor, tw_cursor;  /* where the tick's scans resume */
	/* Connections waiting in all accept queues together: apps poll after
	 * every frame, and this lets them skip tcp_accept on every listener
	 * when nothing is there (tcp_accept_pending). */
	uint16_t accept_ready;
	struct tcp_listener listeners[KEEL_TCP_MAX_LISTEN];
	struct tcp_synq_entry synq[KEEL_SYN_BACKLOG];
	struct tcp_tw_entry tw[KEEL_TW_MAX];
	/* TIME_WAIT 4-tuple hash: a full table is the usual state under a
	 * connection load, and every segment that misses the TCBs would
	 * otherwise scan all of it.  Heads hold index + 1, 0 is empty. */
	uint8_t tw_head[KEEL_TW_BUCKETS];
	struct tcp_tcb tcbs[KEEL_TCP_MAX_CONN];
	uint8_t mem_pressure;             /* tcp_mem.c: 1 between tcp_mem[1] and tcp_mem[0] */
	struct chunk_pool chunks;         /* every connection's data bytes */
};

void tcp_init(struct keel *k, const uint8_t seed[16]);
void tcp_input(struct keel *k, const struct ipv4_packet *ip);
void tcp_tick(struct keel *k);
#endif
