/* Discard (RFC 863): drops everything, without copying it out of the
 * receive ring; closes after the FIN. */
#include <stdint.h>
#include "apps.h"
#include <keel/tcp.h>

static int discard_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	(void)ev;
	int n = keel_tcp_recv_consume(k, c->sock, SIZE_MAX);
	if (n == KEEL_EWOULDBLOCK)
		return 0;
	return n <= 0;   /* end of stream or error: done */
}

const struct service svc_discard = { "discard", 9, 0, NULL, discard_poll, NULL };
