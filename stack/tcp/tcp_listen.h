/* A listening socket: port, backlog, the count of its half-open entries,
 * its accept queue (a FIFO of TCB indices linked through tcb.next), and
 * when it last answered a SYN with a cookie (Linux's last_overflow stamp:
 * cookie ACKs are only checked while one of its cookies may be alive). */
#ifndef KEEL_TCP_LISTEN_H
#define KEEL_TCP_LISTEN_H
#include <stdint.h>

struct tcp_listener {
	uint16_t port;
	uint16_t backlog;        /* sk_max_ack_backlog */
	uint32_t gen;            /* handle generation, 1..TCP_H_GEN_MAX */
	uint16_t synq_len;       /* half-open entries of this listener */
	uint16_t acceptq_len;    /* sk_ack_backlog */
	uint16_t acceptq_head, acceptq_tail;   /* TCB indices, TCP_NONE */
	uint8_t used;
	uint8_t hnext;           /* port hash chain: index + 1 of the next, 0 ends */
	uint8_t cookie_sent;     /* cookie_ms is valid */
	uint32_t cookie_ms;      /* last SYN-ACK with a SYN cookie */
};
#endif
