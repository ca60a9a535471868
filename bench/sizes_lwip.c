/* Exact sizes of lwIP 2.1.3's connection state under bench/lwip/lwipopts.h,
 * read back with `nm -S`.  A SYN_RCVD or TIME_WAIT connection in lwIP is a
 * whole struct tcp_pcb from the same pool as established ones. */
#include "lwip/memp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"

#define SIZE_OF(name, expr) const unsigned char name[expr] __attribute__((used)) = {0}

SIZE_OF(lwip_tcp_pcb, sizeof(struct tcp_pcb));
SIZE_OF(lwip_tcp_pcb_listen, sizeof(struct tcp_pcb_listen));
SIZE_OF(lwip_tcp_seg, sizeof(struct tcp_seg));
SIZE_OF(lwip_pbuf, sizeof(struct pbuf));
SIZE_OF(lwip_max_conn, MEMP_NUM_TCP_PCB);
SIZE_OF(lwip_tcp_wnd, TCP_WND);
SIZE_OF(lwip_tcp_snd_buf, TCP_SND_BUF);
SIZE_OF(lwip_pbuf_pool_size, PBUF_POOL_SIZE);
SIZE_OF(lwip_mem_size, MEM_SIZE);
