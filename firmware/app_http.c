/* HTTP/1.0-style server on port 80: a status page, Prometheus metrics, the
 * connection table as JSON and the frame capture as pcap.
 *
 *   /              status page (HTML, refreshes itself every 2 s)
 *   /metrics       Prometheus text format 0.0.4
 *   /connections   JSON array of tcp_conn_info rows
 *   /capture.pcap  the capture ring (capture.h), classic pcap
 *
 * One connection slot's 512-byte stage is all the memory a request gets:
 * first it holds the request (line and headers up to the blank line; more
 * than that is 400), then it stages the response, which is generated a row
 * at a time as tcp_send takes bytes, so a response of any size needs no
 * bigger buffer.  Every response ends the connection: `Connection: close`,
 * FIN after the last byte, a short drain of whatever the client still
 * sends (so its RST-free close sees the whole response), then the slot is
 * freed.  A client that does not finish its request within
 * KEEL_HTTP_REQUEST_MS, or does not take the response within
 * KEEL_HTTP_RESPONSE_MS, is dropped.
 *
 * This file is the service: accept, the request / response / linger
 * phases, the stage refill and the timeouts.  The rest (http.h):
 * http_request.c reads and parses the request, http_status.c,
 * http_metrics.c (metric names), http_connections.c, http_capture.c and
 * http_error.c generate the pages, http_out.c formats their rows. */
#include <stdbool.h>
#include <string.h>
#include "apps.h"
#include "capture.h"
#include "fw.h"
#include "fw_config.h"
#include "http.h"
#include <keel/keel.h>
#include <keel/tcp.h>

uint32_t http_rows_too_long;   /* see http.h */

static void http_accept(struct keel *k, struct app_conn *c, uint32_t now_ms)
{
	(void)k;
	c->phase = P_REQUEST;
	c->counter = 0;   /* request bytes in the stage */
	c->deadline_ms = now_ms + KEEL_HTTP_REQUEST_MS;
}

static bool expired(const struct app_conn *c, uint32_t now)
{
	return (int32_t)(now - c->deadline_ms) >= 0;
}

static void start_response(struct app_conn *c, uint32_t now)
{
	c->phase = (uint8_t)((c->phase & ~P_MASK) | P_RESPONSE);
	c->row = 0;
	c->off = c->len = 0;
	c->deadline_ms = now + KEEL_HTTP_RESPONSE_MS;
	if (c->page == PG_CAPTURE && !(c->phase & F_HEAD)) {
		struct capture_cursor cur;
		if (capture_open(&cur) != 0) {
			c->page = PG_404;   /* compiled out */
			return;
		}
		c->phase |= F_FROZEN;
		c->on_close = http_on_close;
		c->counter = cur.pos;
		c->aux = (uint16_t)cur.left;
	}
}

/* The generators of the pages (c->page below PG_400); every other page is
 * an error response. */
static int (*const generators[PG_400])(struct keel *k, struct out *o, struct app_conn *c,
				       unsigned row) = {
	[PG_STATUS] = http_gen_status, [PG_METRICS] = http_gen_metrics,
	[PG_CONNECTIONS] = http_gen_connections, [PG_CAPTURE] = http_gen_capture,
};

static int generate(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	if (c->page < PG_400)
		return generators[c->page](k, o, c, row);
	return http_gen_error(k, o, c, row);
}

/* Tops the stage up with whole rows. */
static void fill(struct keel *k, struct app_conn *c)
{
	if (c->off) {   /* unsent bytes to the front */
		memmove(c->stage, c->stage + c->off, c->len);
		c->off = 0;
	}
	struct out o = { (char *)c->stage + c->len, APP_STAGE_LEN - c->len, 0, false };
	/* Bounded: each row takes at least one step of row, and the pages
	 * have a few hundred rows at most. */
	for (int guard = 0; guard < 64 && !(c->phase & F_GEN_DONE); guard++) {
		size_t mark = o.len;
		uint8_t phase = c->phase;
		int more = generate(k, &o, c, c->row);
		if (o.full) {
			o.len = mark;   /* roll the row back; it goes next time */
			o.full = false;
			c->phase = (uint8_t)((c->phase & ~F_MORE) | (phase & F_MORE));
			if (mark == 0 && c->len == 0) {
				c->row++;   /* cannot fit even an empty stage: skip it */
				http_rows_too_long++;
			}
			break;
		}
		if (!more)
			c->phase |= F_GEN_DONE;
		else
			c->row++;
	}
	c->len = (uint16_t)(c->len + o.len);
}

static int http_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	(void)ev;
	uint32_t now = fw_uptime_ms();
	int r;
	switch (c->phase & P_MASK) {
	case P_REQUEST:
		r = http_read_request(k, c);
		if (r < 0)
			return 1;
		if (r == 0)
			return expired(c, now);   /* a slow or silent client is dropped */
		start_response(c, now);
		/* fall through */
	case P_RESPONSE:
		for (int round = 0; round < 4; round++) {
			if (c->len < APP_STAGE_LEN / 2 && !(c->phase & F_GEN_DONE))
				fill(k, c);
			uint16_t before = c->len;
			if (app_flush(k, c) < 0)
				return 1;
			if (c->len == 0 && (c->phase & F_GEN_DONE))
				break;
			if (c->len == before)
				break;   /* send buffer full */
		}
		if (c->len || !(c->phase & F_GEN_DONE)) {
			if (expired(c, now)) {
				keel_tcp_abort(k, c->sock);   /* not taking the response */
				return 1;
			}
			return 0;
		}
		http_on_close(c);
		keel_tcp_shutdown(k, c->sock);   /* FIN after the response */
		c->phase = (uint8_t)((c->phase & ~P_MASK) | P_LINGER);
		c->deadline_ms = now + KEEL_HTTP_LINGER_MS;
		/* fall through */
	case P_LINGER:
		for (int round = 0; round < 4; round++) {
			int n = keel_tcp_recv(k, c->sock, c->stage, APP_STAGE_LEN);
			if (n == KEEL_EWOULDBLOCK)
				break;
			if (n <= 0)
				return 1;   /* the client's FIN (or an error): done */
		}
		return expired(c, now);
	default:
		return 1;
	}
}

const struct service svc_http = { "http", 80, 4, http_accept, http_poll };
