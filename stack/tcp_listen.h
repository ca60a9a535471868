/* A listening socket: port, backlog, the count of its half-open entries and
 * its accept queue (a FIFO of TCB indices linked through tcb.next). */
#ifndef KEEL_TCP_LISTEN_H
#define KEEL_TCP_LISTEN_H
#include <stdint.h>

struct tcp_listener {
	uint16_t port;
	uint16_t gen;
	uint16_t backlog;        /* sk_max_ack_backlog */
	uint16_t synq_len;       /* half-open entries of this listener */
	uint16_t acceptq_len;    /* sk_ack_backlog */
	uint8_t acceptq_head, acceptq_tail;
	uint8_t used;
	uint8_t pad_;
};
#endif
