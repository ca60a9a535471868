# Pool sizes for mps2-an385 (stack/include/keel/config.h): C10K.  Every
# neighbour may be a client (the ARP cache follows the TCB pool, config.h);
# a burst of 64 SYN-ACKs to one resolving host waits in small ARP slots;
# TIME_WAIT holds as many entries as there are TCBs (Linux scales
# tcp_max_tw_buckets with memory the same way); 1,024 cold-state
# extensions (tcp_ext.h, 52 B) for the connections recovering or
# reordering at one time (a tenth of the pool, as lm3s6965evb's 12 of 128);
# 2,048 data entries (tcp_flight.h, 30 B: both queues and the in-flight
# state), one per two chunks of the 1 MiB arena: only a connection with
# bytes queued, unacked or unread (or a FIN out) holds one, and past
# 2,048 of them at once a write waits (EWOULDBLOCK) and a segment that
# needs one is dropped and counted, as with a dry arena.  These pools are
# connection state too, and the bench's same-RAM budget counts them:
# 10,240 x 92 + 1,024 x 52 + 2,048 x 30 = 1,056,768 B (at 2,048 and 4,096
# they would add 167 KiB more, a sixth of the TCBs' bytes).
# tcp_rmem max 8 KiB (KEEL_TCP_RMEM_MAX): the lan9118's RX FIFO holds
# 10,560 bytes, 6 full frames, and drops what comes beyond silently
# (drivers/eth/lan9118.c); Linux sends a window back to back, so a window
# the FIFO holds whole loses nothing while the CPU drains it.  Measured
# discard 16 MiB in, 3 alternating runs: 8192 -> 8.5 MB/s, 2 Linux
# retransmissions; 16384 -> 7.6 MB/s, 2,900; 523,776 -> 6.4 MB/s, 6,400
# (of ~11,500 segments).  Per-connection buffers stop at 64000
# (KEEL_TCP_BUF_LIMIT, also tcp_wmem max and what the knobs accept): queue
# lengths and window offsets stay 16 bits, so a TCB is 40 B smaller (a
# C10K pool 400 KiB), and the ~0.5 ms RTT of QEMU's link at a few MB/s
# needs a few KiB in flight, not 64 (measured echo and discard: no
# change).  keel then offers window scale shift 0 (RFC 7323 §2.3).
KEEL_CONFIG_mps2-an385 := -DKEEL_TCP_MAX_CONN=10240 -DKEEL_SYN_BACKLOG=1024 -DKEEL_TW_MAX=10240 \
	-DKEEL_ARP_QUEUE_SMALL=96 -DKEEL_ARP_QUEUE_PER_ENTRY=64 \
	-DKEEL_TCP_EXT=1024 -DKEEL_TCP_FLIGHT=2048 -DKEEL_TCP_RMEM_MAX=8192 -DKEEL_TCP_BUF_LIMIT=64000
