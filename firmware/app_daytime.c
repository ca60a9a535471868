/* Port 13: one line, then the device closes first (RFC 867 style), so the
 * device is the side that holds TIME_WAIT. */
#include "apps.h"
#include <stdint.h>
#include <string.h>
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

/* "keel uptime S." for the last whole second S: sequential connections
 * (thousands a second) copy it instead of formatting it again. */
#define DAYTIME_PREFIX "keel uptime "
static uint8_t head[sizeof(DAYTIME_PREFIX) - 1 + 10 + 1];
static size_t head_len;
static uint32_t head_s = UINT32_MAX;   /* no second: now_ms / 1000 < 2^22 */

static void daytime_accept(struct keel *k, struct app_conn *c, uint32_t now_ms)
{
	(void)k;
	uint32_t s = now_ms / 1000;
	if (s != head_s) {
		size_t n = sizeof(DAYTIME_PREFIX) - 1;
		memcpy(head, DAYTIME_PREFIX, n);
		n += put_uint(head + n, s);
		head[n++] = '.';
		head_len = n;
		head_s = s;
	}
	size_t n = head_len;
	memcpy(c->stage, head, n);
	uint32_t ms = now_ms - s * 1000;
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
