/* The HTTP service's internal interface (app_http.c): the per-connection
 * fields, the output buffer the pages write rows into, and the page
 * generators and request reader the service calls.
 *
 * A generator is called with row 0, 1, 2 ... and puts one row (the
 * response head first) into o; it returns 1 while there are more rows, 0
 * after its last.  A row that does not fit leaves o->full set: the service
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
enum { P_REQUEST, P_RESPONSE, P_LINGER, P_MASK = 0x0f };
#define F_HEAD     0x10u   /* HEAD: headers only */
#define F_GEN_DONE 0x20u   /* generator has emitted its last row */
#define F_FROZEN   0x40u   /* holds a capture freeze (capture_open) */
#define F_MORE     0x80u   /* JSON: a row was emitted, next needs a comma */

/* c->page */
enum page {
	PG_STATUS, PG_METRICS, PG_CONNECTIONS, PG_CAPTURE,
	PG_400, PG_404, PG_405,
};

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
/* Status line and the headers every response has; the caller adds its
 * own and the blank line. */
void put_head(struct out *o, const char *status, const char *type);
/* The head of a 200 OK response and the blank line ending it; returns 1
 * when the body follows, 0 for HEAD. */
int put_head_200(struct out *o, const struct app_conn *c, const char *type);

/* ------------------------------------------------------------ helpers -- */

/* The pools /metrics and the status page show: the TCP ones
 * (enum keel_pool numbers them first). */
#define HTTP_POOLS (KEEL_POOL_LISTEN + 1u)
/* Half-open entries of the listener on port (its SYN queue). */
unsigned syn_queue_of(const struct keel *k, uint16_t port);

/* -------------------------------------------------------------- pages -- */

int http_gen_status(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
int http_gen_metrics(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
int http_gen_connections(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
int http_gen_capture(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
/* 400, 404 or 405, by c->page. */
int http_gen_error(struct keel *k, struct out *o, struct app_conn *c, unsigned row);
/* The connection's on_close: releases the capture freeze if it holds one. */
void http_on_close(struct app_conn *c);

/* ------------------------------------------------------------ request -- */

/* Reads the request into the stage (c->counter: bytes there) and, once it
 * is complete, sets c->page and the HEAD flag.
 * 1: request complete (page chosen), 0: need more, -1: drop the connection. */
int http_read_request(struct keel *k, struct app_conn *c);
#endif
