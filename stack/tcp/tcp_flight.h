/* A connection's data entry (the "flight" pool, named for what it first
 * held): the sender's state in flight -- SND.NXT, snd_max, snd_sml and
 * RFC 6582's recover (qlen_t offsets from SND.UNA, tcp_tcb_seq.h), the
 * congestion-avoidance byte counter, the duplicate-ACK count and the
 * persist backoff (persist runs only with data queued) -- and both byte
 * queues, send and receive.  While nothing is queued, in flight, unread
 * or out of order they are all 0 (recover read as SND.UNA - 1: RFC
 * 6582's check only matters for data still outstanding; RFC 5681's
 * duplicate ACKs need outstanding data) and the queues empty, so they
 * live in a static pool of their own (KEEL_TCP_FLIGHT in keel/config.h),
 * not in struct tcp_tcb, and an idle connection holds none
 * (docs/DESIGN.md, "TCB").  An entry is 30 bytes with 16-bit queue
 * fields (12 of state, two 9-byte queues), 48 with 32-bit ones; the TCB
 * is 16 bytes smaller for it (the queues' 18, less padding).
 *
 * A TCB holds an entry exactly while its send queue has bytes, its FIN
 * is unacknowledged or waits to go, or its receive queue covers a byte
 * (unread, or out of order beyond RCV.NXT).  It takes one when it queues
 * the first byte (tcp_send, tcp_splice), sends its FIN (tcp_output) or
 * stores the first received byte (tcp_rcv.c); it gives it back when both
 * sides are idle: SND.UNA at snd_max with the send queue empty, and the
 * receive queue empty (tcb_flight_trim, after every output and every
 * read, consume or splice by the application), on the end of the
 * connection once the unread bytes are read (tcb_flight_done), and when
 * the TCB is freed (tcb_flight_release, which gives the queues' chunks
 * back too).
 * Kept for received bytes while the send side is idle, its send state
 * reads as a new entry's would (tcb_flight_trim).  The accessors read 0
 * and empty queues (tcb_sndq, tcb_rcvq) when it holds none -- or, while
 * an active open's SYN is out, the SYN's fixed offsets (tcb_flight_syn,
 * tcp_tcb_seq.h): a handshake needs no entry.  When the pool is empty
 * (counted: full):
 *   - a write that would queue the first byte gets EWOULDBLOCK and the
 *     connection polls as not writable, as when the chunk arena is dry;
 *   - a FIN waits: the retransmit timer tries again every
 *     TCP_FLIGHT_RETRY_MS (tcp_timer.c) until an entry frees, which
 *     every other connection's ACK, close or timeout does;
 *   - a segment whose bytes would be the receive queue's first is
 *     dropped and counted as when the arena is dry (TCPRcvQDrop or
 *     TCPOFODrop, and the connection's rcv_drops), and the window
 *     offered is 0 (mem_rcv_space; the right edge never moves left);
 *     the peer sends it again.  One entry per chunk (the boards) makes
 *     this rare: every holder with bytes holds a chunk, only one whose
 *     FIN alone is owed holds none. */
#ifndef KEEL_TCP_FLIGHT_H
#define KEEL_TCP_FLIGHT_H
#include <stdint.h>
#include <keel/config.h>
#include "chunkq.h"

#define TCP_FLIGHT_RETRY_MS 200u  /* a FIN waiting for an entry tries again this often */
#define TCB_DUPACKS_MAX 15u

struct tcb_flight {
	union {
		qlen_t nxt_off;     /* SND.NXT - SND.UNA */
		uint16_t next;      /* free-list link while free, TCP_NONE ends */
	};
	qlen_t max_off;             /* snd_max - SND.UNA */
	qlen_t sml_off;             /* snd_sml: end of the last small segment sent (Minshall's Nagle) */
	qlen_t rec_off;             /* RFC 6582 "recover", from SND.UNA - 1 */
	/* Congestion-avoidance byte counter: below cwnd or one ACK's bytes.
	 * It starts again from 0 after the flight drains: a sender whose
	 * data all got acked was not cwnd-limited, and cwnd grows only from
	 * a window in use (RFC 7661, tcp_cc.c); cwnd and ssthresh stay in
	 * the TCB across idle periods. */
	qlen_t bytes_acked;
	/* Duplicate ACKs in a row, saturating at TCB_DUPACKS_MAX: only
	 * ever compared with dupthresh (<= 3) or capped at 2 (tcp_cc.c). */
	uint8_t dupacks;
	/* Persist backoff exponent, saturating at TCB_PERSIST_SHIFT_MAX: the
	 * interval reaches TCP_RTO_MAX_MS by then from any RTO
	 * (tcp_persist_interval). */
	uint8_t persist_shift;
	/* The send queue, from SND.UNA's data: unacked + unsent (read it
	 * with tcb_sndq, write it with tcb_sndq_w, tcp_tcb_seq.h). */
	struct chunkq sndq;
	/* The receive queue: unread bytes up to RCV.NXT, out-of-order ones
	 * beyond (tcb_rcvq, tcb_rcvq_w).  Both queues are empty whenever no
	 * entry is held, so they live here, not in the TCB. */
	struct chunkq rcvq;
};

struct tcb_flight_pool {
	uint16_t free_head;
	uint16_t in_use, peak;
	uint32_t full;              /* a TCB asked for one and none was free */
	struct tcb_flight f[KEEL_TCP_FLIGHT];
};
#endif
