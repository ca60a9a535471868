/* Discard (RFC 863): drops everything, without copying it out of the
 * receive ring; closes after the FIN. */
#include <stdint.h>
#include "apps.h"
#include <keel/tcp.h>

static int discard_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	int n = keel_tcp_recv_consume(k, c->sock, SIZE_MAX);
	if (n == KEEL_EWOULDBLOCK)
		return 0;
	/* End of stream or error: done.  Also when the peer's FIN was in
	 * with these bytes (HUP): all are dropped, the stream has ended, and
	 * no event would bring the serve that reads its end. */
	return n <= 0 || (ev & TCP_POLL_HUP) != 0;
}

const struct service svc_discard = { "discard", 9, 0, NULL, discard_poll, NULL };
