/* The HTTP service's internal interface (app_http.c): the per-connection
 * fields, the output buffer the pages write rows into, and the page
 * generators and request reader the service calls.
 *
 * A generator is called with row 0, 1, 2 ... and puts one row into o
 * (row 0: the response head alone, so a chunked body can start after it);
 * it returns 1 while there are more rows, 0 after its last.  A row that does not fit leaves o->full set: the service
 * rolls it back and calls the same row again when the stage has room. */
#ifndef KEEL_HTTP_H
#define KEEL_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "apps.h"
#include <keel/stats.h>

struct keel;


/* c->phase: low bits the phase, high bits flags. */
enum { P_REQUEST, P_RESPONSE, P_LINGER, P_MASK = 0x07 };
#define F_KEEP     0x08u   /* persistent: chunked body, then the next request */
#define F_HEAD     0x10u   /* HEAD: headers only */
#define F_GEN_DONE 0x20u   /* generator has emitted its last row */
#define F_FROZEN   0x40u   /* holds a capture freeze (capture_open) */
#define F_MORE     0x80u   /* JSON: a row was emitted, next needs a comma */

/* c->page */
enum page {
	PG_STATUS, PG_METRICS, PG_CONNECTIONS, PG_CAPTURE, PG_HISTORY_JSON, PG_HISTORY_CSV,
	PG_400, PG_404, PG_405, PG_414, PG_431, PG_501, PG_505,
	PG_END
};
#define HTTP_NERRORS (PG_END - PG_400)

/* Requests answered with each error page (c->page - PG_400), and all
 * requests (more than accepted connections once some are kept open);
 * for /metrics. */
extern uint32_t http_request_errors[HTTP_NERRORS];
extern uint32_t http_requests;

/* Rows longer than an empty stage (a bug: they are skipped, and counted
 * in keel_http_rows_too_long_total, which the tests check is 0).
 * Counted by the service (app_http.c), reported by /metrics. */
extern uint32_t http_rows_too_long;

/* ------------------------------------------------------------- output -- */

struct out {
	char *p;
	size_t cap, len;
	bool full;
};

void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void put_bytes(struct out *o, const void *p, size_t n)
{
	if (o->full || n > o->cap - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
}
/* Seconds since boot, "s.mmm". */
void put_uptime(struct out *o);
/* Status line and the headers every response that closes the connection
 * has; the caller adds its own and the blank line. */
void put_head(struct out *o, const char *status, const char *type);
/* The head of a 200 OK response and the blank line ending it (chunked on
 * a persistent connection, F_KEEP); returns 1 when the body follows, 0
 * for HEAD. */
int put_head_200(struct out *o, const struct app_conn *c, const char *type);

/* ------------------------------------------------------------ helpers -- */

/* The pools /metrics and the status page show: the TCP ones
 * (enum keel_pool numbers them first). */
#define HTTP_POOLS (KEEL_POOL_LISTEN + 1u)
/* Half-open entries of the listener on port (its SYN queue). */
unsigned syn_queue_of(const struct keel *k, uint16_t port);

/* -------------------------------------------------------------- pages -- */

/* The status page's script, a row per line (http_status_js.c). */
extern const char *const http_status_js[];
extern const unsigned http_status_js_rows;

int http_gen_status(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
int http_gen_metrics(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
int http_gen_connections(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
int http_gen_capture(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
int http_gen_history_json(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
int http_gen_history_csv(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
/* Fixes the range of samples a history response sends (c->aux on entry:
 * the newest that many, 0 for all). */
void http_history_open(struct app_conn *c);
/* The error responses (400 ... 505), by c->page. */
int http_gen_error(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
/* HTTP's on_close (struct service): releases the capture freeze if the
 * connection holds one; harmless if it does not. */
void http_on_close(struct app_conn *c);

/* ------------------------------------------------------------ request -- */

/* Called on accept: the request parser's state starts in the stage. */
void http_request_start(struct app_conn *c);
/* Parses what has arrived of the request head and, once it is complete
 * (or wrong), sets c->page and the HEAD and KEEP flags.
 * 1: request complete (page chosen), 0: need more, -1: drop the connection. */
int http_read_request(struct keel *k, struct app_conn *c);
#endif
