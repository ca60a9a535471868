/* Discard (RFC 863): reads and drops everything; closes after the FIN. */
#include "apps.h"
#include "tcp_api.h"

static int discard_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	(void)ev;
	for (int round = 0; round < 8; round++) {
		int n = tcp_recv(k, c->sock, c->stage, sizeof(c->stage));
		if (n == KEEL_EWOULDBLOCK)
			return 0;
		if (n <= 0)
			return 1;
	}
	return 0;
}

const struct service svc_discard = { "discard", 9, 4, NULL, discard_poll };
