/* TCP knobs with Linux's names, meanings and defaults
 * (Documentation/networking/ip-sysctl.rst).  The table that reads and sets
 * them by name, with bounds, is in sysctl.c. */
#ifndef KEEL_TCP_SYSCTL_H
#define KEEL_TCP_SYSCTL_H
#include <stdint.h>

struct tcp_sysctl {
	uint8_t tcp_syncookies;        /* 0 off, 1 when a queue overflows, 2 always (default 1) */
	uint8_t tcp_synack_retries;    /* SYN-ACK retransmits before giving up (5) */
	uint8_t tcp_syn_retries;       /* SYN retransmits for connect (6) */
	uint8_t tcp_abort_on_overflow; /* RST instead of dropping the final ACK (0) */
	uint8_t tcp_tw_reuse;          /* active opens may reuse a TIME_WAIT 4-tuple (2: Linux's loopback-only; keel treats 2 as 0) */
	uint16_t tcp_max_syn_backlog;  /* SYN-queue bound, <= KEEL_SYN_BACKLOG */
	uint16_t tcp_max_tw_buckets;   /* TIME_WAIT bound, <= KEEL_TW_MAX */
	uint32_t tcp_fin_timeout;      /* seconds in FIN_WAIT_2 for orphans (60) */
	uint32_t tcp_msl;              /* seconds; TIME_WAIT lasts 2*MSL (30) */
	/* Memory (tcp_mem.c).  Per connection, bytes: min (granted even
	 * under pressure), default (a new connection's buffer), max (what
	 * a connection that keeps up may grow to; above 65535 keel's own
	 * window is scaled, RFC 7323 §2).  For the whole chunk pool, in chunks of KEEL_CHUNK_SIZE
	 * bytes (Linux counts pages): low (pressure ends below it),
	 * pressure (buffers stop growing above it), high (no chunk beyond). */
	uint32_t tcp_rmem[3];
	uint32_t tcp_wmem[3];
	uint32_t tcp_mem[3];
	uint8_t tcp_timestamps;        /* RFC 7323 timestamps: 0 off, 1 on with a keyed per-connection offset, 2 on without (1) */
	uint8_t tcp_sack;              /* RFC 2018 SACK (1) */
	uint8_t tcp_window_scaling;    /* RFC 7323 window scale (1) */
};

void tcp_sysctl_defaults(struct tcp_sysctl *s);
#endif
