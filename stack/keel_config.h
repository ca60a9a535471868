/* Every pool and buffer size in one place (compile-time; -D overrides).
 * Checked for consistency at the bottom. */
#ifndef KEEL_CONFIG_H
#define KEEL_CONFIG_H

/* --- link / IP --- */
#ifndef KEEL_MTU
#define KEEL_MTU 1500
#endif
#define KEEL_ETH_HDR_LEN 14
#define KEEL_FRAME_MAX (KEEL_ETH_HDR_LEN + KEEL_MTU)

/* Neighbours remembered: one per connection (every peer may be on the
 * link), at least 8.  KEEL_TCP_MAX_CONN is defined below or by -D. */
#ifndef KEEL_ARP_CACHE_SIZE
#define KEEL_ARP_CACHE_SIZE (KEEL_TCP_MAX_CONN > 8 ? KEEL_TCP_MAX_CONN : 8)
#endif
#ifndef KEEL_ARP_QUEUE_LEN
#define KEEL_ARP_QUEUE_LEN 3           /* packets waiting for resolution, all neighbours */
#endif
/* Small (64-byte) slots beside those, for the control segments a burst
 * of connections sends (a SYN-ACK is 44 bytes): 64 SYNs from one
 * resolving host need 64 SYN-ACKs kept, not 64 MTUs. */
#ifndef KEEL_ARP_QUEUE_SMALL
#define KEEL_ARP_QUEUE_SMALL 0
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
_Static_assert(KEEL_ARP_QUEUE_PER_ENTRY <= KEEL_ARP_QUEUE_LEN + KEEL_ARP_QUEUE_SMALL, "ARP queue bounds");
_Static_assert(KEEL_TCP_SNDBUF >= 536 && KEEL_TCP_RCVBUF >= 536, "TCP buffers too small");
_Static_assert((KEEL_TCP_SNDBUF & (KEEL_TCP_SNDBUF - 1)) == 0, "send buffer must be a power of two");
_Static_assert((KEEL_TCP_RCVBUF & (KEEL_TCP_RCVBUF - 1)) == 0, "receive buffer must be a power of two");
_Static_assert(KEEL_TCP_RTO_MIN_MS >= 10u && KEEL_TCP_RTO_MIN_MS <= 1000u, "RTO floor 10 ms .. 1 s");
_Static_assert(KEEL_TCP_RETRIES2 >= 1u && KEEL_TCP_RETRIES2 <= 100u, "tcp_retries2 range");
_Static_assert(KEEL_TCP_DELACK_MS >= 1u && KEEL_TCP_DELACK_MS < 500u, "RFC 1122 4.2.3.2: ACK delay < 0.5 s");
_Static_assert(KEEL_TCP_OOO_RANGES >= 1 && KEEL_TCP_OOO_RANGES <= 16, "out-of-order ranges");
#endif
