/* iperf2 server, port 5001 (TCP): reads and discards everything as fast
 * as it arrives, closes after the client's FIN.  The client's first bytes
 * may be iperf2's test header; a plain TCP test needs no answer to it
 * (iperf 2.1 prints its own report; the server's report is UDP-only), so
 * the header is discarded with the rest. */
#include "apps.h"
#include <keel/tcp.h>

/* Reads per loop pass: enough to empty the receive buffer several times
 * over, bounded so the console and timers keep their turn. */
#define IPERF_ROUNDS 16

static int iperf_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	if (!(ev & (TCP_POLL_READABLE | TCP_POLL_HUP)))
		return 0;
	for (int round = 0; round < IPERF_ROUNDS; round++) {
		int n = keel_tcp_recv(k, c->sock, c->stage, APP_STAGE_LEN);
		if (n == KEEL_EWOULDBLOCK)
			return 0;
		if (n <= 0)
			return 1;   /* end of stream or error */
		c->counter += (uint32_t)n;   /* bytes this connection */
	}
	return 0;
}

const struct service svc_iperf = { "iperf", 5001, 1, NULL, iperf_poll, NULL };
