/* Character generator (RFC 864): 72-character lines of the 95 printable
 * ASCII characters, each line starting one character later, sent while
 * the peer reads; input is discarded. */
#include "apps.h"
#include <keel/tcp.h>

#define LINE_CHARS 72
#define PRINTABLE_FIRST 32
#define PRINTABLE_COUNT 95

static void fill_lines(struct app_conn *c)
{
	size_t n = 0;
	while (n + LINE_CHARS + 2 <= APP_STAGE_LEN) {
		uint32_t first = c->counter % PRINTABLE_COUNT;
		for (uint32_t i = 0; i < LINE_CHARS; i++)
			c->stage[n++] = (uint8_t)(PRINTABLE_FIRST + (first + i) % PRINTABLE_COUNT);
		c->stage[n++] = '\r';
		c->stage[n++] = '\n';
		c->counter++;
	}
	c->off = 0;
	c->len = (uint16_t)n;
}

static int chargen_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	uint8_t sink[64];
	int n = keel_tcp_recv(k, c->sock, sink, sizeof(sink));
	if (n == 0 || (n < 0 && n != KEEL_EWOULDBLOCK))
		return 1;
	if (!(ev & TCP_POLL_WRITABLE))
		return 0;
	for (int round = 0; round < 4; round++) {
		if (c->len == 0)
			fill_lines(c);
		uint16_t before = c->len;
		if (app_flush(k, c, 0) < 0)
			return 1;
		if (c->len == before)
			break;   /* send buffer full */
	}
	return 0;
}

const struct service svc_chargen = { "chargen", 19, 1, NULL, chargen_poll, NULL };
