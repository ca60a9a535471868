/* Port 13: one line, then the device closes first (RFC 867 style), so the
 * device is the side that holds TIME_WAIT. */
#include "apps.h"
#include <keel/tcp.h>

static size_t put_uint(uint8_t *p, uint32_t v)
{
	char tmp[10];
	size_t n = 0, len = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		p[len++] = (uint8_t)tmp[--n];
	return len;
}

static void daytime_accept(struct keel *k, struct app_conn *c, uint32_t now_ms)
{
	(void)k;
	static const char prefix[] = "keel uptime ";
	size_t n = 0;
	for (size_t i = 0; i < sizeof(prefix) - 1; i++)
		c->stage[n++] = (uint8_t)prefix[i];
	n += put_uint(c->stage + n, now_ms / 1000);
	c->stage[n++] = '.';
	uint32_t ms = now_ms % 1000;
	c->stage[n++] = (uint8_t)('0' + ms / 100);
	c->stage[n++] = (uint8_t)('0' + ms / 10 % 10);
	c->stage[n++] = (uint8_t)('0' + ms % 10);
	c->stage[n++] = ' ';
	c->stage[n++] = 's';
	c->stage[n++] = '\r';
	c->stage[n++] = '\n';
	c->off = 0;
	c->len = (uint16_t)n;
}

static int daytime_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	(void)ev;
	if (app_flush(k, c, 1) < 0)
		return 1;
	return c->len == 0;  /* whole line queued: close (the FIN rides on it) */
}

const struct service svc_daytime = { "daytime", 13, 1, daytime_accept, daytime_poll, NULL };
