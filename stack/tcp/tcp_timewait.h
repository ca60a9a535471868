/* A connection in TIME_WAIT: Linux's timewait sock, 32 bytes (28 before
 * timestamps: TS.Recent is the 4 more, "timestamps on" a bit of wnd).  The local
 * address is the interface's (keel has one); keel_set_addr flushes every
 * entry when it changes (tcp_addr.c).  The entry keeps when 2*MSL last (re)started rather than its
 * deadline, so a live change of tcp_msl applies to it, and its age is known
 * for tcp_tw_reuse. */
#ifndef KEEL_TCP_TIMEWAIT_H
#define KEEL_TCP_TIMEWAIT_H
#include <stdint.h>

struct tcp_tw_entry {
	uint32_t raddr;
	uint16_t lport, rport;
	uint32_t snd_nxt, rcv_nxt;
	uint32_t since;          /* 2*MSL (re)started: entry, or a later ACK-bearing segment */
	uint16_t wnd : 15;       /* window field of re-ACKs, in the connection's scale (at most 32767) */
	uint16_t ts_on : 1;      /* the old connection used timestamps: ts_recent is valid */
	uint16_t hnext;          /* 4-tuple hash chain, or free-list link (TCP_NONE ends) */
	/* Age order: every entry lasts the same 2*MSL from its `since`, and
	 * `since` only moves to now, so a FIFO list is deadline order and the
	 * tick looks at its head alone. */
	uint16_t older, newer;   /* older: TW_FREE when the entry is free */
	uint32_t ts_recent;      /* ts_on: the old connection's TS.Recent (RFC 6191, PAWS) */
};

#define TW_FREE 0xfffeu
static inline int tw_used(const struct tcp_tw_entry *w) { return w->older != TW_FREE; }
#endif
