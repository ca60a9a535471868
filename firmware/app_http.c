/* HTTP/1.1 server on port 80: a status page, Prometheus metrics, the
 * connection table as JSON, the connection history and the frame capture
 * as pcap.
 *
 *   /              status page (HTML; its script refreshes it every 2 s)
 *   /metrics       Prometheus text format 0.0.4
 *   /connections   JSON array of tcp_conn_info rows
 *   /capture.pcap  the capture ring (capture.h), classic pcap
 *   /history.json  the connection history ring (history.h), oldest first
 *   /history.csv   the same as CSV
 *
 * One connection's 512-byte stage is all the memory a request gets:
 * first it holds the request parser's state (the head itself is parsed as
 * it arrives and not kept, so a browser's head of any realistic size is
 * served; http_parse.h has the bounds and the status codes past them),
 * then it stages the response, which is generated a row at a time as
 * tcp_send takes bytes, so a response of any size needs no bigger buffer.
 *
 * An HTTP/1.1 client that does not ask to close gets the pages in chunked
 * coding and the connection stays open for its next request (RFC 9112
 * §9.3), up to KEEL_HTTP_IDLE_MS idle: the status page polling every 2 s
 * then costs one connection, not one TIME_WAIT entry on the device per
 * request.  Every other response ends the connection: `Connection: close`,
 * FIN after the last byte, a short drain of whatever the client still
 * sends (so its RST-free close sees the whole response), then the slot is
 * freed.  A client that does not finish its request within
 * KEEL_HTTP_REQUEST_MS, or does not take the response within
 * KEEL_HTTP_RESPONSE_MS, is dropped.
 *
 * This file is the service: accept, the request / response / linger
 * phases, the stage refill (and chunk framing) and the timeouts.  The rest (http.h):
 * http_request.c reads the request (http_parse.c parses it), http_status.c,
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
	http_request_start(c);
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
	if (c->page == PG_HISTORY_JSON || c->page == PG_HISTORY_CSV)
		http_history_open(c);
	if (c->page == PG_CAPTURE && !(c->phase & F_HEAD)) {
		struct capture_cursor cur;
		if (capture_open(&cur) != 0) {
			c->page = PG_404;   /* compiled out */
			return;
		}
		c->phase |= F_FROZEN;
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
	[PG_HISTORY_JSON] = http_gen_history_json, [PG_HISTORY_CSV] = http_gen_history_csv,
};

static int generate(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	if (c->page < PG_400)
		return generators[c->page](k, o, c, row);
	return http_gen_error(k, o, c, row);
}

#define HTTP_EMPTY_ROWS 1024

/* Generates whole rows into p[0..cap) (at most max_rows that print);
 * returns the bytes.  A row that does not fit is rolled back and goes next time;
 * one that cannot fit even an empty stage is skipped and counted. */
static size_t gen_rows(struct keel *k, struct app_conn *c, char *p, size_t cap, bool empty,
		       int max_rows)
{
	struct out o = { p, cap, 0, false };
	/* Bounded: at most max_rows rows that print and HTTP_EMPTY_ROWS in
	 * all -- /connections has a row per connection slot, most of them
	 * unused (11,784 on mps2-an385), and a pass that prints nothing sends
	 * nothing, so the main loop may sleep until its next deadline. */
	int printed = 0;
	for (int guard = 0; guard < HTTP_EMPTY_ROWS && printed < max_rows &&
	     !(c->phase & F_GEN_DONE); guard++) {
		size_t mark = o.len;
		uint8_t phase = c->phase;
		int more = generate(k, &o, c, c->row);
		if (o.full) {
			o.len = mark;   /* roll the row back; it goes next time */
			o.full = false;
			c->phase = (uint8_t)((c->phase & ~F_MORE) | (phase & F_MORE));
			if (mark == 0 && empty) {
				c->row++;   /* cannot fit even an empty stage: skip it */
				http_rows_too_long++;
			}
			break;
		}
		if (o.len != mark)
			printed++;
		if (!more)
			c->phase |= F_GEN_DONE;
		else
			c->row++;
	}
	return o.len;
}

/* A persistent connection's body goes out chunked (RFC 9112 §7.1): the
 * rows of one fill are one chunk, "1f4\r\n" ... "\r\n", and the last
 * chunk "0\r\n\r\n" (no trailers) follows the last row. */
#define CHUNK_HEAD 5u
#define CHUNK_TAIL 2u
#define CHUNK_LAST 5u
_Static_assert(APP_STAGE_LEN < 0x1000, "a chunk's size fits 3 hex digits");

/* Tops the stage up with whole rows. */
static void fill(struct keel *k, struct app_conn *c)
{
	if (c->off) {   /* unsent bytes to the front */
		memmove(c->stage, c->stage + c->off, c->len);
		c->off = 0;
	}
	char *at = (char *)c->stage + c->len;
	size_t room = APP_STAGE_LEN - c->len;
	bool empty = c->len == 0;
	if ((c->phase & (F_KEEP | F_HEAD)) != F_KEEP) {
		c->len = (uint16_t)(c->len + gen_rows(k, c, at, room, empty, 64));
		return;
	}
	if (c->row == 0) {   /* the head: not in a chunk */
		size_t n = gen_rows(k, c, at, room, empty, 1);
		c->len = (uint16_t)(c->len + n);
		at += n;
		room -= n;
		if (c->row == 0 || (c->phase & F_GEN_DONE))
			return;
	}
	size_t frame = CHUNK_HEAD + CHUNK_TAIL + CHUNK_LAST;
	if (room <= frame)
		return;
	size_t n = gen_rows(k, c, at + CHUNK_HEAD, room - frame, c->len == 0, 64);
	if (n) {
		static const char hex[] = "0123456789abcdef";
		at[0] = hex[(n >> 8) & 0xf];
		at[1] = hex[(n >> 4) & 0xf];
		at[2] = hex[n & 0xf];
		memcpy(at + 3, "\r\n", 2);
		memcpy(at + CHUNK_HEAD + n, "\r\n", CHUNK_TAIL);
		at += CHUNK_HEAD + n + CHUNK_TAIL;
		c->len = (uint16_t)(c->len + CHUNK_HEAD + n + CHUNK_TAIL);
	}
	if (c->phase & F_GEN_DONE) {
		memcpy(at, "0\r\n\r\n", CHUNK_LAST);
		c->len = (uint16_t)(c->len + CHUNK_LAST);
	}
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
			if (app_flush(k, c, 0) < 0)
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
			/* Rows left and room to stage them: go on next pass (a
			 * long page) rather than wait for an event. */
			c->again = !(c->phase & F_GEN_DONE) && c->len < APP_STAGE_LEN / 2 ?
				   APP_AGAIN : 0;
			return 0;
		}
		http_on_close(c);
		if (c->phase & F_KEEP) {   /* persistent: wait for the next request */
			c->phase = P_REQUEST;
			http_request_start(c);
			c->deadline_ms = now + KEEL_HTTP_IDLE_MS;
			return 0;
		}
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

const struct service svc_http = { "http", 80, 1, http_accept, http_poll, http_on_close };
