/* Exact sizes of keel's connection state, read back with `nm -S` (each
 * object below is exactly sizeof its type).  Built by bench/run with
 * keel's target flags; never linked. */
#include <stddef.h>
#include "keel.h"
#include "tcp_listen.h"
#include "tcp_synq.h"
#include "tcp_tcb.h"
#include "tcp_timewait.h"

#define SIZE_OF(name, expr) const unsigned char name[expr] __attribute__((used)) = {0}

SIZE_OF(keel_tcb, sizeof(struct tcp_tcb));
SIZE_OF(keel_tcb_without_buffers, sizeof(struct tcp_tcb));   /* data lives in the chunk pool */
SIZE_OF(keel_synq_entry, sizeof(struct tcp_synq_entry));
SIZE_OF(keel_tw_entry, sizeof(struct tcp_tw_entry));
SIZE_OF(keel_listener, sizeof(struct tcp_listener));
SIZE_OF(keel_stack, sizeof(struct keel));
SIZE_OF(keel_max_conn, KEEL_TCP_MAX_CONN);
SIZE_OF(keel_syn_backlog, KEEL_SYN_BACKLOG);
SIZE_OF(keel_tw_max, KEEL_TW_MAX);
SIZE_OF(keel_sndbuf, KEEL_TCP_SNDBUF);
SIZE_OF(keel_rcvbuf, KEEL_TCP_RCVBUF);
SIZE_OF(keel_chunk_size, KEEL_CHUNK_SIZE);
SIZE_OF(keel_chunk_arena, KEEL_CHUNK_ARENA);
SIZE_OF(keel_buf_max, KEEL_TCP_BUF_MAX);
SIZE_OF(keel_rmem_max, KEEL_TCP_RMEM_MAX);
