/* Echo (RFC 862): everything received is sent back; closes after the
 * peer's FIN once all echoed bytes are queued. */
#include <stdint.h>
#include "apps.h"
#include <keel/tcp.h>

static int echo_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	(void)ev;
	/* Receive ring to send ring in one copy; what does not fit stays in
	 * the receive ring, so the peer's window closes instead of anything
	 * being lost.  EWOULDBLOCK: nothing to read or no room yet. */
	int n = keel_tcp_splice(k, c->sock, c->sock, SIZE_MAX);
	if (n == KEEL_EWOULDBLOCK)
		return 0;
	return n <= 0;   /* end of stream or error: done */
}

const struct service svc_echo = { "echo", 7, 0, NULL, echo_poll, NULL };
