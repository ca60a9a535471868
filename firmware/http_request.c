/* HTTP request: the head is parsed as it arrives (http_parse.c), straight
 * from the receive ring without copying it, and mapped to a page.  The
 * parser's state lives in the slot's stage, which is free until the
 * response starts: a request needs no other memory, whatever its size. */
#include <stdbool.h>
#include <string.h>
#include "fw_config.h"
#include "http.h"
#include "http_parse.h"
#include <keel/keel.h>
#include <keel/stats.h>
#include <keel/tcp.h>

_Static_assert(sizeof(struct http_req) <= APP_STAGE_LEN, "the parser lives in the stage");

uint32_t http_request_errors[HTTP_NERRORS];   /* see http.h */
uint32_t http_requests;

static bool path_is(const char *p, size_t n, const char *want)
{
	size_t w = strlen(want);
	return n == w && memcmp(p, want, w) == 0;
}

static const struct {
	const char *path;
	enum page page;
} pages[] = {
	{ "/", PG_STATUS },
	{ "/metrics", PG_METRICS },
	{ "/connections", PG_CONNECTIONS },
	{ "/capture.pcap", PG_CAPTURE },
	{ "/history.json", PG_HISTORY_JSON },
	{ "/history.csv", PG_HISTORY_CSV },
};

/* The value of ?n=COUNT for the history pages (c->aux): 0 when absent or
 * not a number, at most 65535. */
static uint16_t query_n(const struct http_req *r)
{
	size_t len;
	const char *q = http_req_query(r, &len);
	for (size_t i = 0; q && i + 1 < len; i++) {
		if ((i == 0 || q[i - 1] == '&') && q[i] == 'n' && q[i + 1] == '=') {
			uint32_t v = 0;
			for (size_t j = i + 2; j < len && q[j] >= '0' && q[j] <= '9'; j++)
				v = v > 65535u ? v : v * 10u + (uint32_t)(q[j] - '0');
			return (uint16_t)(v > 65535u ? 65535u : v);
		}
	}
	return 0;
}

static enum page error_page(uint16_t status)
{
	switch (status) {
	case HTTP_URI_TOO_LONG: return PG_414;
	case HTTP_FIELDS_TOO_LARGE: return PG_431;
	case HTTP_NOT_IMPLEMENTED: return PG_501;
	case HTTP_VERSION_NOT_SUPPORTED: return PG_505;
	default: return PG_400;
	}
}

/* Whether the connection stays open after this response: the client
 * wants it (RFC 9112 §9.3), the page is one whose length the head cannot
 * give (so it goes chunked), and the TCB pool keeps room for others -- a
 * browser holding idle connections must not starve the other services. */
static bool keep_open(const struct keel *k, const struct app_conn *c, const struct http_req *r)
{
	struct keel_pool_info tcb;
	if (!http_req_persistent(r) || keel_pool_get(k, KEEL_POOL_TCB, &tcb) != 0 ||
	    tcb.in_use + KEEL_HTTP_KEEP_FREE_TCBS > tcb.size)
		return false;
	switch (c->page) {
	case PG_STATUS: case PG_METRICS: case PG_CONNECTIONS: case PG_HISTORY_JSON:
	case PG_HISTORY_CSV:
		return true;
	default:
		return false;   /* errors and the capture close the connection */
	}
}

/* The page for a parsed head; sets the HEAD and KEEP flags. */
static void choose_page(const struct keel *k, struct app_conn *c, const struct http_req *r)
{
	if (r->status != HTTP_OK) {
		c->page = error_page(r->status);
	} else if (r->method != HTTP_M_GET && r->method != HTTP_M_HEAD) {
		c->page = PG_405;
	} else {
		if (r->method == HTTP_M_HEAD)
			c->phase |= F_HEAD;
		size_t plen;
		const char *path = http_req_path(r, &plen);
		c->page = PG_404;   /* a cut target is longer than any of our paths */
		for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]) && !http_req_target_cut(r); i++)
			if (path_is(path, plen, pages[i].path))
				c->page = pages[i].page;
		if (c->page == PG_HISTORY_JSON || c->page == PG_HISTORY_CSV)
			c->aux = query_n(r);
	}
	if (c->page >= PG_400)
		http_request_errors[c->page - PG_400]++;
	if (r->status == HTTP_OK && keep_open(k, c, r))
		c->phase |= F_KEEP;
	http_requests++;
}

void http_request_start(struct app_conn *c)
{
	struct http_req r;
	http_req_init(&r);
	memcpy(c->stage, &r, sizeof(r));
}

/* 1: request complete (page chosen), 0: need more, -1: drop the connection. */
int http_read_request(struct keel *k, struct app_conn *c)
{
	struct http_req r;
	memcpy(&r, c->stage, sizeof(r));
	int done = 0;
	/* Bounded: a few contiguous runs of the receive ring per call. */
	for (int round = 0; round < 4 && !done; round++) {
		const uint8_t *p;
		int n = keel_tcp_recv_peek(k, c->sock, &p);
		if (n == KEEL_EWOULDBLOCK)
			break;
		if (n < 0)
			return -1;
		if (n == 0) {   /* the client closed before finishing its request */
			if (r.head_len == 0)
				return -1;
			r.status = HTTP_BAD_REQUEST;
			done = 1;
			break;
		}
		size_t used = http_req_feed(&r, p, (size_t)n);
		keel_tcp_recv_consume(k, c->sock, used);
		done = r.status != HTTP_MORE;
	}
	if (done) {
		choose_page(k, c, &r);
		return 1;
	}
	memcpy(c->stage, &r, sizeof(r));
	return 0;
}
