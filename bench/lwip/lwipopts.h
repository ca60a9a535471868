/* lwIP 2.1.3 options for keel's side-by-side benchmark (bench/README.md).
 * NO_SYS, raw API, IPv4 + ARP + ICMP + TCP only, sized to the capacity of
 * keel's defaults (stack/include/keel/config.h) so both stacks hold the same number
 * of connections with the same per-connection windows:
 *   KEEL_TCP_MAX_CONN 8    -> MEMP_NUM_TCP_PCB 8 (lwIP also spends these on
 *                             SYN_RCVD and TIME_WAIT: that is the point)
 *   KEEL_TCP_MAX_LISTEN 8  -> MEMP_NUM_TCP_PCB_LISTEN 8
 *   KEEL_TCP_RCVBUF 2048   -> TCP_WND 2048
 *   KEEL_TCP_SNDBUF 2048   -> TCP_SND_BUF 2048
 *   MSS 1460 both.
 * lwIP's own sanity check wants TCP_SND_BUF >= 2 * TCP_MSS; keel runs with
 * 2048 too, so the check is switched off rather than giving lwIP a bigger
 * buffer than keel has (LWIP_DISABLE_TCP_SANITY_CHECKS below). */
#ifndef KEEL_BENCH_LWIPOPTS_H
#define KEEL_BENCH_LWIPOPTS_H

#ifndef BENCH_MAX_CONN
#define BENCH_MAX_CONN 8            /* = KEEL_TCP_MAX_CONN */
#endif
#ifndef BENCH_TCP_BUF
#define BENCH_TCP_BUF 2048          /* = KEEL_TCP_RCVBUF = KEEL_TCP_SNDBUF */
#endif
/* The same-RAM-budget image (bench/budget.py, lwip-budget-<board>.elf)
 * sets the pools from keel's image: PCBs in keel's TCB-pool bytes, heap
 * and pbuf pool in keel's chunk-arena bytes, windows up to keel's
 * per-connection maximum, an ARP table for every client host.  Its pools
 * go where keel's instance goes (POOLRAM: the PSRAM on mps2-an385); lwIP
 * initialises each pool and the heap itself, so they need no zeroing. */
#ifndef BENCH_TCP_WND
#define BENCH_TCP_WND BENCH_TCP_BUF
#endif
#ifndef BENCH_MEM_SIZE
#define BENCH_MEM_SIZE (BENCH_MAX_CONN * (BENCH_TCP_BUF + 512) + 1024)
#endif
#ifndef BENCH_PBUF_POOL
#define BENCH_PBUF_POOL 16
#endif
#ifndef BENCH_ARP_TABLE
#define BENCH_ARP_TABLE 10          /* lwIP default */
#endif
#ifndef BENCH_TCP_SEGS
#define BENCH_TCP_SEGS (BENCH_MAX_CONN * 6)
#endif
#ifndef BENCH_SND_QUEUELEN
#define BENCH_SND_QUEUELEN 6
#endif
#ifdef BENCH_POOLRAM
#define LWIP_DECLARE_MEMORY_ALIGNED(variable_name, size) \
	u8_t variable_name[LWIP_MEM_ALIGN_BUFFER(size)] __attribute__((section(".bss.instances")))
#endif

/* --- system --- */
#define NO_SYS                      1
#define SYS_LIGHTWEIGHT_PROT        0   /* one main loop; ISRs never touch lwIP */
#define LWIP_TIMERS                 1   /* sys_check_timeouts() from the loop */
#define LWIP_NETCONN                0
#define LWIP_SOCKET                 0
#define LWIP_CALLBACK_API           1

/* --- protocols: what keel implements --- */
#define LWIP_IPV4                   1
#define LWIP_IPV6                   0
#define LWIP_ARP                    1
#define LWIP_ETHERNET               1
#define LWIP_ICMP                   1
#define LWIP_RAW                    0
#define LWIP_UDP                    0
#define LWIP_TCP                    1
#define LWIP_DHCP                   0
#define LWIP_AUTOIP                 0
#define LWIP_IGMP                   0
#define LWIP_DNS                    0
#define IP_REASSEMBLY               0
#define IP_FRAG                     0
#define LWIP_NETIF_LOOPBACK         0
#define LWIP_HAVE_LOOPIF            0

/* --- memory: static pools, no libc malloc --- */
#define MEM_LIBC_MALLOC             0
#define MEMP_MEM_MALLOC             0
#define MEM_ALIGNMENT               4
/* The heap holds outgoing TCP segments (tcp_write copies into PBUF_RAM):
 * every connection's full send buffer plus headers, and ICMP replies. */
#define MEM_SIZE                    BENCH_MEM_SIZE
#define MEMP_NUM_TCP_PCB            BENCH_MAX_CONN
#define MEMP_NUM_TCP_PCB_LISTEN     8
#define MEMP_NUM_TCP_SEG            BENCH_TCP_SEGS
#define MEMP_NUM_PBUF               8
/* Received frames live in the pool until the application reads them: one
 * full-size buffer per frame (one copy out of the MAC, as in keel). */
#define PBUF_POOL_SIZE              BENCH_PBUF_POOL
#define PBUF_POOL_BUFSIZE           1536
#define ETH_PAD_SIZE                0
#define ARP_TABLE_SIZE              BENCH_ARP_TABLE
#define ARP_QUEUEING                0   /* lwIP default: one packet per pending entry */

/* --- TCP --- */
#define TCP_MSS                     1460
#define TCP_WND                     BENCH_TCP_WND
#define TCP_SND_BUF                 BENCH_TCP_BUF
#define TCP_SND_QUEUELEN            BENCH_SND_QUEUELEN
#define TCP_QUEUE_OOSEQ             1
#define TCP_LISTEN_BACKLOG          0   /* lwIP default: the PCB pool is the only bound */
#define LWIP_TCP_TIMESTAMPS         0
#define LWIP_TCP_SACK_OUT           0
#define LWIP_WND_SCALE              0
#define LWIP_DISABLE_TCP_SANITY_CHECKS 1

/* --- checksums in software, both ways (keel does the same) --- */
#define CHECKSUM_GEN_IP             1
#define CHECKSUM_GEN_TCP            1
#define CHECKSUM_CHECK_IP           1
#define CHECKSUM_CHECK_TCP          1

/* --- counters on (keel keeps its counters), no debug output --- */
#define LWIP_STATS                  1
#define LWIP_STATS_DISPLAY          0
#define MIB2_STATS                  0
#define LWIP_NETIF_HOSTNAME         0
#define LWIP_NETIF_STATUS_CALLBACK  0
#define LWIP_NETIF_LINK_CALLBACK    0
#define LWIP_DEBUG                  0
#define LWIP_NOASSERT               1   /* production build; keel has no runtime asserts either */

#endif
