/* A connection in TIME_WAIT: Linux's timewait sock, 28 bytes (24 before
 * timestamps: TS.Recent is the 4 more; "timestamps on" is a bit of used).  The local
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
	uint16_t wnd;            /* window to advertise in re-ACKs */
	uint8_t used;            /* TW_USED, TW_TS */
	uint8_t next;            /* hash chain: index + 1 of the next entry, 0 ends */
	uint32_t ts_recent;      /* TW_TS: the old connection's TS.Recent (RFC 6191) */
};
#define TW_USED 0x01u
#define TW_TS   0x02u            /* the old connection used timestamps */
#endif
