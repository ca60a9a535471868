/* Every pool and buffer size in one place (compile-time; -D overrides).
 * Checked for consistency at the bottom. */
#ifndef KEEL_CONFIG_H
#define KEEL_CONFIG_H

/* --- instances --- */
#ifndef KEEL_INSTANCES
#define KEEL_INSTANCES 1               /* stacks keel_open can start (one per interface) */
#endif

/* --- link / IP --- */
#ifndef KEEL_MTU
#define KEEL_MTU 1500
#endif
#define KEEL_ETH_HDR_LEN 14
#define KEEL_FRAME_MAX (KEEL_ETH_HDR_LEN + KEEL_MTU)

#ifndef KEEL_ARP_CACHE_SIZE
#define KEEL_ARP_CACHE_SIZE 8          /* neighbours remembered */
#endif
#ifndef KEEL_ARP_QUEUE_LEN
#define KEEL_ARP_QUEUE_LEN 3           /* packets waiting for resolution, all neighbours */
#endif
#ifndef KEEL_ARP_QUEUE_PER_ENTRY
#define KEEL_ARP_QUEUE_PER_ENTRY 1     /* ... of which one neighbour may hold */
#endif
#ifndef KEEL_ARP_REACHABLE_MS
#define KEEL_ARP_REACHABLE_MS 60000u   /* entry lifetime after last confirmation */
#endif
#ifndef KEEL_ARP_RETRY_MS
#define KEEL_ARP_RETRY_MS 1000u        /* request retransmit interval */
#endif
#ifndef KEEL_ARP_MAX_RETRIES
#define KEEL_ARP_MAX_RETRIES 3         /* then the entry and its queue are dropped */
#endif

/* --- TCP pools --- */
#ifndef KEEL_TCP_MAX_CONN
#define KEEL_TCP_MAX_CONN 8            /* full TCBs (synchronized connections) */
#endif
#ifndef KEEL_TCP_MAX_LISTEN
#define KEEL_TCP_MAX_LISTEN 8          /* listening sockets */
#endif
#ifndef KEEL_SYN_BACKLOG
#define KEEL_SYN_BACKLOG 64            /* half-open entries (SYN queue), all listeners */
#endif
#ifndef KEEL_TW_MAX
#define KEEL_TW_MAX 64                 /* TIME_WAIT entries */
#endif
#ifndef KEEL_TCP_SNDBUF
#define KEEL_TCP_SNDBUF 2048           /* per-connection send buffer, bytes */
#endif
#ifndef KEEL_TCP_RCVBUF
#define KEEL_TCP_RCVBUF 2048           /* per-connection receive buffer, bytes */
#endif

/* --- shared buffer pool (chunkq.h) ---
 * Send, receive and out-of-order bytes of every connection live in one
 * arena cut into fixed chunks; a connection holds chunks only while it has
 * data.  256 B per chunk: a full 1460-byte segment fills 6 chunks (5.2 %
 * slack at most, and only at a queue's ends: bytes are packed across
 * chunks), while a connection holding a few bytes (an interactive echo, a
 * request line) pins 256 B, not an MSS-sized 1.5 KiB buffer.  Smaller
 * chunks would double the 2-byte link per chunk and the chain walks; MSS-
 * sized ones would let 64 talkative-but-idle peers eat 96 KiB.  Boards set
 * the arena (board.mk). */
#ifndef KEEL_CHUNK_SIZE
#define KEEL_CHUNK_SIZE 256
#endif
#ifndef KEEL_CHUNK_ARENA
#define KEEL_CHUNK_ARENA 16384         /* bytes for all connections' data */
#endif

/* --- TCP data path (RFC 6298, 5681, 6582, 1122 §4.2.3.2) --- */
#ifndef KEEL_TCP_RTO_MIN_MS
#define KEEL_TCP_RTO_MIN_MS 200u       /* RTO floor (Linux TCP_RTO_MIN; RFC 6298 says 1 s) */
#endif
#ifndef KEEL_TCP_RETRIES2
#define KEEL_TCP_RETRIES2 15u          /* Linux tcp_retries2: RTO expiries before ETIMEDOUT */
#endif
#ifndef KEEL_TCP_DELACK_MS
#define KEEL_TCP_DELACK_MS 200u        /* delayed-ACK bound (RFC 1122: < 500 ms) */
#endif
#ifndef KEEL_TCP_OOO_RANGES
#define KEEL_TCP_OOO_RANGES 4          /* out-of-order byte ranges held in the receive ring */
#endif

/* Build-time sanity: a bad combination fails the build, not the board. */
_Static_assert(KEEL_MTU >= 576 && KEEL_MTU <= 1500, "MTU out of range");
_Static_assert(KEEL_ARP_QUEUE_PER_ENTRY <= KEEL_ARP_QUEUE_LEN, "ARP queue bounds");
_Static_assert(KEEL_TCP_MAX_CONN >= 1 && KEEL_TCP_MAX_CONN <= 255, "TCB pool size");
_Static_assert(KEEL_TCP_SNDBUF >= 536 && KEEL_TCP_RCVBUF >= 536, "TCP buffers too small");
_Static_assert((KEEL_TCP_SNDBUF & (KEEL_TCP_SNDBUF - 1)) == 0, "send buffer must be a power of two");
_Static_assert((KEEL_TCP_RCVBUF & (KEEL_TCP_RCVBUF - 1)) == 0, "receive buffer must be a power of two");
_Static_assert(KEEL_CHUNK_SIZE >= 64 && (KEEL_CHUNK_SIZE & (KEEL_CHUNK_SIZE - 1)) == 0,
	       "chunk size: a power of two, at least 64");
_Static_assert(KEEL_CHUNK_ARENA % KEEL_CHUNK_SIZE == 0, "the arena is whole chunks");
_Static_assert(KEEL_TCP_RTO_MIN_MS >= 10u && KEEL_TCP_RTO_MIN_MS <= 1000u, "RTO floor 10 ms .. 1 s");
_Static_assert(KEEL_TCP_RETRIES2 >= 1u && KEEL_TCP_RETRIES2 <= 100u, "tcp_retries2 range");
_Static_assert(KEEL_TCP_DELACK_MS >= 1u && KEEL_TCP_DELACK_MS < 500u, "RFC 1122 4.2.3.2: ACK delay < 0.5 s");
_Static_assert(KEEL_TCP_OOO_RANGES >= 1 && KEEL_TCP_OOO_RANGES <= 16, "out-of-order ranges");
#endif
