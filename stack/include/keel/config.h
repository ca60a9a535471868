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
/* Bytes kept per queued packet: a whole IP datagram by default, so a
 * full-sized TCP segment or a 1400-byte echo reply survives resolution.
 * A board short of RAM may lower it; longer packets are then dropped. */
#ifndef KEEL_ARP_QUEUE_SLOT
#define KEEL_ARP_QUEUE_SLOT KEEL_MTU
#endif
/* At most this many entries may be unresolved at once when making room
 * would evict a neighbour that answered: a flood towards addresses that
 * never answer recycles its own entries and leaves the rest alone. */
#ifndef KEEL_ARP_MAX_PENDING
#define KEEL_ARP_MAX_PENDING ((KEEL_ARP_CACHE_SIZE + 1) / 2)
#endif

/* ICMP errors are rate limited: a burst, then a steady rate (Linux limits
 * per destination, icmp_ratelimit; keel keeps one bucket). */
#ifndef KEEL_ICMP_ERR_BURST
#define KEEL_ICMP_ERR_BURST 6
#endif
#ifndef KEEL_ICMP_ERR_PER_SEC
#define KEEL_ICMP_ERR_PER_SEC 10
#endif

/* --- UDP --- */
#ifndef KEEL_UDP_MAX_SOCK
#define KEEL_UDP_MAX_SOCK 4            /* bound ports: DHCP 68, DNS, echo 7, one spare */
#endif

/* --- DHCP client (RFC 2131) and address conflict detection (RFC 5227) --- */
#ifndef KEEL_DHCP_FALLBACK_MS
#define KEEL_DHCP_FALLBACK_MS 3000u    /* no OFFER this long after start: static fallback */
#endif
#ifndef KEEL_DHCP_PROBES
#define KEEL_DHCP_PROBES 2             /* ARP probes of an offered address */
#endif
#ifndef KEEL_DHCP_PROBE_MS
#define KEEL_DHCP_PROBE_MS 200u        /* between probes, and the wait after the last */
#endif
#ifndef KEEL_DHCP_DECLINE_WAIT_MS
#define KEEL_DHCP_DECLINE_WAIT_MS 10000u /* RFC 2131 §3.1.5: after DECLINE, wait >= 10 s */
#endif
#ifndef KEEL_DHCP_LEASE_MAX_S
#define KEEL_DHCP_LEASE_MAX_S 604800u  /* longer (or infinite) leases count as a week */
#endif

/* --- DNS stub resolver (RFC 1035) --- */
#ifndef KEEL_DNS_MAX_SERVERS
#define KEEL_DNS_MAX_SERVERS 2         /* servers kept from DHCP option 6; extras ignored */
#endif
#ifndef KEEL_DNS_CACHE
#define KEEL_DNS_CACHE 4               /* names remembered until their TTL runs out */
#endif
#ifndef KEEL_DNS_NAME_MAX
#define KEEL_DNS_NAME_MAX 64           /* longest name resolved, with its NUL */
#endif
#ifndef KEEL_DNS_TRIES
#define KEEL_DNS_TRIES 4               /* queries per resolution: 1, 2, 4 s apart, then 4 s */
#endif
#ifndef KEEL_DNS_TIMEOUT_MS
#define KEEL_DNS_TIMEOUT_MS 1000u      /* first wait for an answer; doubles each try */
#endif
#ifndef KEEL_DNS_TTL_MAX_S
#define KEEL_DNS_TTL_MAX_S 86400u      /* cache entries live at most a day */
#endif

/* --- TCP pools --- */
#ifndef KEEL_TCP_MAX_CONN
#define KEEL_TCP_MAX_CONN 8            /* full TCBs (synchronized connections) */
#endif
#ifndef KEEL_TCP_MAX_LISTEN
#define KEEL_TCP_MAX_LISTEN 8          /* listening sockets */
#endif
/* Distinct keepalive settings (idle, interval, count) in use at once,
 * shared by every connection that sets the same (tcp_kaprof.h); one
 * more is refused with KEEL_ENOMEM (docs/API.md). */
#ifndef KEEL_TCP_KA_PROFILES
#define KEEL_TCP_KA_PROFILES 8
#endif
#ifndef KEEL_SYN_BACKLOG
#define KEEL_SYN_BACKLOG 64            /* half-open entries (SYN queue), all listeners */
#endif
#ifndef KEEL_TW_MAX
#define KEEL_TW_MAX 64                 /* TIME_WAIT entries */
#endif
/* Per-connection buffers are budgets in the shared chunk pool, not
 * memory of their own: tcp_wmem / tcp_rmem = "min default max" (sysctl). */
#ifndef KEEL_TCP_SNDBUF
#define KEEL_TCP_SNDBUF 2048           /* tcp_wmem default: a new connection's send budget */
#endif
#ifndef KEEL_TCP_RCVBUF
#define KEEL_TCP_RCVBUF 2048           /* tcp_rmem default: a new connection's receive budget */
#endif
#ifndef KEEL_TCP_BUF_MIN
#define KEEL_TCP_BUF_MIN 1024          /* tcp_rmem / tcp_wmem min: kept under pressure */
#endif
/* What the tcp_rmem / tcp_wmem knobs accept, and so the most one
 * connection's queue ever holds: 65535 (the unscaled window) on an arena
 * below 64 KiB, else the arena.  It sets the width of every queue length
 * and window offset (qlen_t, chunkq.h): 16 bits while min(arena, this)
 * leaves room for one segment's length beyond a full queue, i.e. up to
 * 64073 with a 1500-byte MTU (tcp_tcb_seq.h), 32 beyond.  A board with a
 * large arena may cap it there to keep 16-bit fields (mps2-an385: 64000,
 * config.mk).  Beyond 65535 keel's own window is scaled (RFC 7323 §2,
 * tcp_optneg.c). */
#ifndef KEEL_TCP_BUF_LIMIT
#if KEEL_CHUNK_ARENA <= 65535
#define KEEL_TCP_BUF_LIMIT 65535
#else
#define KEEL_TCP_BUF_LIMIT KEEL_CHUNK_ARENA
#endif
#endif
/* tcp_rmem / tcp_wmem max: one connection's two full queues (each may
 * straddle two more chunks than its bytes fill) fit the arena, and
 * neither exceeds KEEL_TCP_BUF_LIMIT. */
#ifndef KEEL_TCP_BUF_MAX
#define KEEL_TCP_BUF_MAX ((KEEL_CHUNK_ARENA - 4 * KEEL_CHUNK_SIZE) / 2 < KEEL_TCP_BUF_LIMIT ? \
			  (KEEL_CHUNK_ARENA - 4 * KEEL_CHUNK_SIZE) / 2 : KEEL_TCP_BUF_LIMIT)
#endif
/* tcp_rmem max by default: how far receive autotuning may open one
 * connection's window.  Not half the arena: as in Linux, tcp_mem, not a
 * fair share, bounds what one connection holds.  The arena less the
 * default send budget and the chunks two queues may straddle, so one
 * connection's two queues still fit the arena (autotuning grows each
 * only into what the other leaves, tcp_mem.c) and the pressure logic
 * keeps the others' minimum.  A wider window pays on a small board:
 * lm3s6965evb (12 KiB arena) moves about 1.4x more into discard with
 * 9216 than with half the arena's 5632 (board/lm3s6965evb/config.mk).
 * Beyond the unscaled window (64 KiB) half the arena stays the bound, as
 * the window scale offered follows it (tcp_optneg.c).  A board whose MAC
 * buffers few frames sets it lower (board/<board>/config.mk): a peer
 * sends a window's worth back to back at wire speed, and what the MAC
 * cannot hold while the CPU drains it is lost, then sent again
 * (mps2-an385: lan9118.c).  The knob still accepts up to
 * KEEL_TCP_BUF_LIMIT at run time. */
#ifndef KEEL_TCP_RMEM_MAX
#define KEEL_TCP_RMEM_ALONE (KEEL_CHUNK_ARENA - 4 * KEEL_CHUNK_SIZE - KEEL_TCP_SNDBUF)
#define KEEL_TCP_RMEM_UNSCALED (KEEL_TCP_BUF_MAX > 65535 ? KEEL_TCP_BUF_MAX : 65535)
#define KEEL_TCP_RMEM_MAX (KEEL_TCP_RMEM_ALONE < KEEL_TCP_RMEM_UNSCALED ? KEEL_TCP_RMEM_ALONE : \
			   KEEL_TCP_RMEM_UNSCALED)
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
/* Cold per-connection state (stack/tcp/tcp_ext.h): out-of-order ranges,
 * the SACK scoreboard, the RTT probe; held only while a connection needs
 * them, so a pool smaller than the TCBs' serves them.  A connection that
 * finds none free goes on without (out-of-order data dropped and resent,
 * NewReno recovery, no RTT sample of its own).  Half the TCBs unless the
 * board says otherwise. */
#ifndef KEEL_TCP_EXT
#define KEEL_TCP_EXT ((KEEL_TCP_MAX_CONN + 1) / 2)
#endif
/* Data entries (stack/tcp/tcp_flight.h): the sender's state in flight
 * (SND.NXT, snd_max, recover, dupacks) and both byte queues; held only
 * while a connection has data queued, unacknowledged, unread or out of
 * order, or its FIN out, so a pool smaller than the TCBs' serves them.
 * A connection that finds none free waits (a write gets EWOULDBLOCK, a
 * FIN is retried, received data is dropped and counted, as in a dry
 * arena).  Half the TCBs unless the board says otherwise: the boards
 * size it to their chunk arena, which bounds the connections with
 * data. */
#ifndef KEEL_TCP_FLIGHT
#define KEEL_TCP_FLIGHT ((KEEL_TCP_MAX_CONN + 1) / 2)
#endif
#ifndef KEEL_TCP_OOO_RANGES
#define KEEL_TCP_OOO_RANGES 4          /* out-of-order byte ranges held in the receive ring */
#endif

/* Build-time sanity: a bad combination fails the build, not the board. */
_Static_assert(KEEL_MTU >= 576 && KEEL_MTU <= 1500, "MTU out of range");
_Static_assert(KEEL_ARP_QUEUE_PER_ENTRY <= KEEL_ARP_QUEUE_LEN + KEEL_ARP_QUEUE_SMALL, "ARP queue bounds");
_Static_assert(KEEL_ARP_CACHE_SIZE >= 1 && KEEL_ARP_CACHE_SIZE < 65535, "ARP cache size (uint16 links)");
_Static_assert(KEEL_ARP_QUEUE_PER_ENTRY >= 1 && KEEL_ARP_QUEUE_LEN + KEEL_ARP_QUEUE_SMALL < 65535,
	       "ARP queue size");
_Static_assert(KEEL_ARP_QUEUE_SLOT >= 64 && KEEL_ARP_QUEUE_SLOT <= KEEL_MTU, "ARP slot size");
_Static_assert(KEEL_ARP_MAX_PENDING >= 1 && KEEL_ARP_MAX_PENDING <= KEEL_ARP_CACHE_SIZE,
	       "ARP pending bound");
_Static_assert(KEEL_ARP_MAX_RETRIES >= 0 && KEEL_ARP_MAX_RETRIES < 255, "ARP retries");
_Static_assert(KEEL_ICMP_ERR_BURST >= 1 && KEEL_ICMP_ERR_PER_SEC >= 1, "ICMP error rate limit");
_Static_assert(KEEL_INSTANCES >= 1 && KEEL_INSTANCES <= 16, "instances");
/* Pool entries link by uint16 index, 0xffff ending a chain; listeners by
 * uint8; timer-wheel node ids (TCBs, then SYN-queue entries) stay below
 * 0x8000 (tcp_wheel.h). */
_Static_assert(KEEL_TCP_MAX_CONN >= 1 && KEEL_TCP_MAX_CONN + KEEL_TCP_MAX_LISTEN < 65535, "TCB pool size");
_Static_assert(KEEL_TCP_MAX_LISTEN >= 1 && KEEL_TCP_MAX_LISTEN < 255, "listener pool size");
_Static_assert(KEEL_TCP_KA_PROFILES >= 1 && KEEL_TCP_KA_PROFILES <= 255, "keepalive settings: 1-byte index, 0 is off");
_Static_assert(KEEL_SYN_BACKLOG >= 1 && KEEL_SYN_BACKLOG < 65535, "SYN queue size (fits tcp_max_syn_backlog)");
_Static_assert(KEEL_TCP_MAX_CONN + KEEL_SYN_BACKLOG < 0x8000, "timer node ids");
_Static_assert(KEEL_TW_MAX >= 1 && KEEL_TW_MAX < 65535, "TIME_WAIT table size");
_Static_assert(KEEL_TCP_SNDBUF <= 32768 && KEEL_TCP_RCVBUF <= 32768, "default buffers fit the unscaled window of a SYN");
_Static_assert(KEEL_TCP_SNDBUF >= 536 && KEEL_TCP_RCVBUF >= 536, "TCP buffers too small");
_Static_assert(KEEL_TCP_BUF_MIN >= KEEL_CHUNK_SIZE && KEEL_TCP_BUF_MIN <= KEEL_TCP_SNDBUF &&
	       KEEL_TCP_BUF_MIN <= KEEL_TCP_RCVBUF, "tcp_rmem/tcp_wmem min: a chunk .. default");
_Static_assert(KEEL_TCP_SNDBUF <= KEEL_TCP_BUF_MAX && KEEL_TCP_RCVBUF <= KEEL_TCP_BUF_MAX &&
	       KEEL_TCP_BUF_MAX <= KEEL_TCP_BUF_LIMIT, "tcp_rmem/tcp_wmem: default <= max <= the arena");
_Static_assert(KEEL_TCP_RCVBUF <= KEEL_TCP_RMEM_MAX && KEEL_TCP_RMEM_MAX <= KEEL_TCP_BUF_LIMIT,
	       "tcp_rmem: default <= max <= the arena");
_Static_assert(KEEL_CHUNK_ARENA <= (1 << 30), "a window scaled by at most 14 covers the arena (RFC 7323 §2.3)");
_Static_assert(KEEL_CHUNK_SIZE >= 64 && (KEEL_CHUNK_SIZE & (KEEL_CHUNK_SIZE - 1)) == 0,
	       "chunk size: a power of two, at least 64");
_Static_assert(KEEL_CHUNK_ARENA % KEEL_CHUNK_SIZE == 0, "the arena is whole chunks");
_Static_assert(KEEL_TCP_RTO_MIN_MS >= 10u && KEEL_TCP_RTO_MIN_MS <= 1000u, "RTO floor 10 ms .. 1 s");
_Static_assert(KEEL_TCP_RETRIES2 >= 1u && KEEL_TCP_RETRIES2 <= 100u, "tcp_retries2 range");
_Static_assert(KEEL_TCP_DELACK_MS >= 1u && KEEL_TCP_DELACK_MS < 500u, "RFC 1122 4.2.3.2: ACK delay < 0.5 s");
_Static_assert(KEEL_TCP_EXT >= 1 && KEEL_TCP_EXT <= KEEL_TCP_MAX_CONN, "extension pool: 1 .. the TCB pool");
_Static_assert(KEEL_TCP_FLIGHT >= 1 && KEEL_TCP_FLIGHT <= KEEL_TCP_MAX_CONN, "flight pool: 1 .. the TCB pool");
_Static_assert(KEEL_TCP_OOO_RANGES >= 1 && KEEL_TCP_OOO_RANGES <= 16, "out-of-order ranges");
#endif
