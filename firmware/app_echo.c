/* Echo (RFC 862): everything received is sent back; closes after the
 * peer's FIN once all echoed bytes are queued. */
#include "apps.h"
#include "tcp_api.h"

static int echo_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	(void)ev;
	/* Read only when the stage is empty, so nothing is ever lost when the
	 * send buffer is full: the peer's window closes instead. */
	for (int round = 0; round < 4; round++) {
		if (app_flush(k, c) < 0)
			return 1;
		if (c->len)
			return 0;
		int n = tcp_recv(k, c->sock, c->stage, sizeof(c->stage));
		if (n == KEEL_EWOULDBLOCK)
			return 0;
		if (n <= 0)
			return 1;  /* end of stream or error */
		c->len = (uint16_t)n;
	}
	return 0;
}

const struct service svc_echo = { "echo", 7, 4, NULL, echo_poll };
