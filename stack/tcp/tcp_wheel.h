/* The TCP timer wheel: every timed TCB and SYN-queue entry is one node,
 * filed under its earliest deadline, so a tick touches only what is due
 * (Varghese & Lauck's hierarchical wheel, scheme 7, as Linux's timer wheel
 * before 4.8).  Four levels of 32 slots: level L slots are 32^L ms wide,
 * the wheel spans 2^20 ms (17 min); a later deadline (a 2 h keepalive) is
 * filed at the far end and refiled when it comes round.  Deadlines fire in the tick of
 * their millisecond, exactly: a node is moved down a level (cascaded)
 * when its coarse slot comes due, refiled at the deadline its owner names
 * then (the earliest armed; none: it leaves the wheel), so the node keeps
 * no deadline of its own.  Filing is lazy (wheel_file_lazy): a node
 * may be filed earlier than its owner's deadline, or stay filed after
 * its owner is freed; it then comes due early and is refiled or dropped.
 * Work per tick is capped by a budget
 * (expiries, moves, slot steps); a tick that runs out resumes next tick. */
#ifndef KEEL_TCP_WHEEL_H
#define KEEL_TCP_WHEEL_H
#include <stdint.h>
#include <keel/config.h>

#define TMR_BITS 5u
#define TMR_SLOTS (1u << TMR_BITS)
#define TMR_LEVELS 4u
#define TMR_SPAN (1u << (TMR_BITS * TMR_LEVELS))   /* ms the wheel files exactly */
/* List heads: the wheel's slots, then two lists of nodes taken off a slot
 * and not yet handled (so a node there can still be stopped). */
#define TMR_LIST_EXPIRE (TMR_LEVELS * TMR_SLOTS)
#define TMR_LIST_CASCADE (TMR_LIST_EXPIRE + 1u)
#define TMR_NLISTS (TMR_LIST_CASCADE + 1u)
#define TMR_OFF 0xffffu            /* prev of a node in no list */
#define TMR_HEAD 0x8000u           /* prev of a list's first node: TMR_HEAD | list */

/* Embedded in the timed object.  prev is the previous node, or for the
 * first node TMR_HEAD | its list, so unlinking needs no search. */
struct tmr_node {
	uint16_t next, prev;
};

struct tcp_wheel {
	uint32_t base;                    /* next millisecond to process */
	uint32_t count;                   /* nodes filed (all lists) */
	uint32_t work;                    /* work units spent by the last tick */
	uint32_t work_max;                /* most ever spent by one tick */
	uint8_t cascade_level;            /* at a level-0 wrap: next level to cascade */
	uint8_t running;                  /* inside wheel_run */
	uint32_t occupied[TMR_LEVELS];    /* non-empty slots, a bit each */
	uint16_t head[TMR_NLISTS];
	/* Each node's list when filed (a whole slot moved to a pending
	 * list keeps the slot's): when the wheel reaches it (wheel_filed_at). */
	uint8_t list[KEEL_TCP_MAX_CONN + KEEL_SYN_BACKLOG];
};
#endif
