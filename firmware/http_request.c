/* HTTP request: read into the connection's stage up to the blank line
 * ending the headers, checked (anything not well formed is 400) and
 * mapped to a page. */
#include <stdbool.h>
#include <string.h>
#include "http.h"
#include <keel/keel.h>
#include <keel/tcp.h>

static bool is_tchar(uint8_t ch)
{
	/* RFC 9110 token characters */
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		return true;
	return ch != 0 && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

/* Offset just past the blank line ending the headers, or 0 if not there
 * yet.  Bare LF line ends are accepted (RFC 9112 §2.2). */
static size_t header_end(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return i + 2;
		if (p[i + 1] == '\r' && i + 2 < n && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Length of the line at p (up to, not including, CRLF or LF); *next is
 * where the following line starts.  The caller knows a LF follows. */
static size_t line_len(const uint8_t *p, size_t n, size_t *next)
{
	size_t i = 0;
	while (i < n && p[i] != '\n')
		i++;
	*next = i < n ? i + 1 : n;
	if (i > 0 && p[i - 1] == '\r')
		i--;
	return i;
}

static bool path_is(const uint8_t *p, size_t n, const char *want)
{
	size_t w = strlen(want);
	return n == w && memcmp(p, want, w) == 0;
}

/* Parses the request in p[0..n) (n = header_end); sets c->page and the
 * HEAD flag.  Everything that is not well formed is 400. */
static void parse_request(struct app_conn *c, const uint8_t *p, size_t n)
{
	size_t next;
	size_t len = line_len(p, n, &next);
	/* method SP request-target SP HTTP/1.x */
	size_t m = 0;
	while (m < len && is_tchar(p[m]))
		m++;
	if (m == 0 || m > 16 || m >= len || p[m] != ' ') {
		c->page = PG_400;
		return;
	}
	size_t t0 = m + 1, t = t0;
	while (t < len && p[t] > ' ' && p[t] < 0x7f)
		t++;
	static const char ver[] = " HTTP/1.";
	if (t == t0 || p[t0] != '/' || len != t + sizeof(ver) ||
	    memcmp(p + t, ver, sizeof(ver) - 1) != 0 || p[len - 1] < '0' || p[len - 1] > '9') {
		c->page = PG_400;
		return;
	}
	/* Header fields: name ":" value, no control characters, no folding. */
	size_t at = next;
	for (int lines = 0; lines < APP_STAGE_LEN && at < n; lines++) {
		size_t l = line_len(p + at, n - at, &next);
		if (l == 0)
			break;   /* the blank line */
		size_t colon = 0;
		while (colon < l && is_tchar(p[at + colon]))
			colon++;
		if (colon == 0 || colon >= l || p[at + colon] != ':') {
			c->page = PG_400;
			return;
		}
		for (size_t i = colon + 1; i < l; i++) {
			uint8_t ch = p[at + i];
			if ((ch < ' ' && ch != '\t') || ch == 0x7f) {
				c->page = PG_400;
				return;
			}
		}
		at += next;
	}
	bool get = m == 3 && memcmp(p, "GET", 3) == 0;
	bool head = m == 4 && memcmp(p, "HEAD", 4) == 0;
	if (head)
		c->phase |= F_HEAD;
	if (!get && !head) {
		c->page = PG_405;
		return;
	}
	size_t plen = t - t0;
	for (size_t i = 0; i < plen; i++)
		if (p[t0 + i] == '?')
			plen = i;   /* the query is ignored */
	const uint8_t *path = p + t0;
	if (path_is(path, plen, "/"))
		c->page = PG_STATUS;
	else if (path_is(path, plen, "/metrics"))
		c->page = PG_METRICS;
	else if (path_is(path, plen, "/connections"))
		c->page = PG_CONNECTIONS;
	else if (path_is(path, plen, "/capture.pcap"))
		c->page = PG_CAPTURE;
	else
		c->page = PG_404;
}

/* 1: request complete (page chosen), 0: need more, -1: drop the connection. */
int http_read_request(struct keel *k, struct app_conn *c)
{
	for (int round = 0; round < 4; round++) {
		size_t have = c->counter;
		if (have >= APP_STAGE_LEN) {
			c->page = PG_400;   /* no blank line within the buffer */
			return 1;
		}
		int n = keel_tcp_recv(k, c->sock, c->stage + have, APP_STAGE_LEN - have);
		if (n == KEEL_EWOULDBLOCK)
			return 0;
		if (n < 0)
			return -1;
		if (n == 0) {   /* the client closed before finishing its request */
			if (have == 0)
				return -1;
			c->page = PG_400;
			return 1;
		}
		c->counter = (uint32_t)(have + (size_t)n);
		size_t from = have > 2 ? have - 2 : 0;   /* the end may straddle reads */
		size_t end = header_end(c->stage + from, c->counter - from);
		if (end) {
			parse_request(c, c->stage, from + end);
			return 1;
		}
	}
	return 0;
}
