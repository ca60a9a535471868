/* Echo (RFC 862): everything received is sent back; closes after the
 * peer's FIN once all echoed bytes are queued. */
#include <stdint.h>
#include "apps.h"
#include <keel/tcp.h>

static int echo_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	/* Receive ring to send ring in one copy; what does not fit stays in
	 * the receive ring, so the peer's window closes instead of anything
	 * being lost.  EWOULDBLOCK: nothing to read or no room yet.  Bytes
	 * left without room: the ACK of what is in flight is an event, room
	 * freed in the shared chunk pool by another connection is not, so
	 * the sweep looks in (APP_WAIT).  Bytes moved with the peer's FIN
	 * in: the end of stream shows on the next splice, which no event
	 * will call. */
	int n = keel_tcp_splice(k, c->sock, c->sock, SIZE_MAX);
	if (n == KEEL_EWOULDBLOCK) {
		c->again = (ev & TCP_POLL_READABLE) ? APP_WAIT : 0;
		return 0;
	}
	if (n > 0 && (ev & TCP_POLL_HUP))
		c->again = APP_WAIT;
	return n <= 0;   /* end of stream or error: done */
}

const struct service svc_echo = { "echo", 7, 0, NULL, echo_poll, NULL };
