/* HTTP/1.x request head parser (RFC 9112 §2-§5), fed the byte stream in
 * pieces of any size, down to one byte.  It keeps only what the server
 * acts on -- the method, the start of the request target, the version and
 * whether Host came once -- and streams past every header field without
 * buffering it, so a browser's head of a few KiB (client hints, Sec-Fetch,
 * cookies) costs the same few dozen bytes of state as a curl request.
 * Of the fields, it reads Host, Connection (for "close"), Content-Length
 * and Transfer-Encoding.
 * Bounds (fw_config.h): KEEL_HTTP_LINE_MAX per line, KEEL_HTTP_HEAD_MAX for
 * the whole head, KEEL_HTTP_FIELDS_MAX field lines.
 *
 * Pure: no stack, no clock, no globals, so it is tested on the host. */
#ifndef KEEL_HTTP_PARSE_H
#define KEEL_HTTP_PARSE_H
#include <stddef.h>
#include <stdint.h>

/* The verdict, an HTTP status code once the parser has one. */
enum http_verdict {
	HTTP_MORE = 0,                      /* the head is not complete yet */
	HTTP_OK = 200,                      /* complete and well formed */
	HTTP_BAD_REQUEST = 400,             /* RFC 9112 syntax, Host rules (§3.2) */
	HTTP_URI_TOO_LONG = 414,            /* request line past KEEL_HTTP_LINE_MAX */
	HTTP_FIELDS_TOO_LARGE = 431,        /* RFC 6585 §5: a field line or the head too big */
	HTTP_NOT_IMPLEMENTED = 501,         /* RFC 9110 §9.1: a method no one defined */
	HTTP_VERSION_NOT_SUPPORTED = 505,   /* a major version other than 1 */
};

enum http_method {
	HTTP_M_UNKNOWN,
	HTTP_M_GET,
	HTTP_M_HEAD,
	HTTP_M_OTHER,   /* defined by RFC 9110 §9 or RFC 5789 (PATCH), not served: 405 */
};

#define HTTP_METHOD_KEEP 8   /* "OPTIONS" and "CONNECT" are the longest we know */
#define HTTP_TARGET_KEEP 48  /* path and query bytes kept; longer ones name no page here */

struct http_req {
	uint16_t status;          /* enum http_verdict */
	uint16_t head_len;        /* octets of the head read so far */
	uint16_t line_len;        /* octets of the current line so far */
	uint8_t state;            /* where in the grammar (http_parse.c) */
	uint8_t flags;            /* REQ_* (http_parse.c) */
	uint8_t fields;           /* field lines so far */
	uint8_t pos;              /* progress through the current token */
	uint8_t field;            /* the current field line's name, if one we act on (http_parse.c) */
	uint8_t cand;             /* names the current field name may still be (bits) */
	uint8_t method;           /* enum http_method */
	uint8_t version;          /* major * 10 + minor */
	uint8_t method_len;       /* bytes in method_name (up to HTTP_METHOD_KEEP) */
	uint8_t target_len;       /* bytes in target */
	char method_name[HTTP_METHOD_KEEP];
	/* The path and query of the target (origin-form as sent; absolute-form
	 * from the path on), not terminated; REQ_TARGET_CUT if it was longer. */
	char target[HTTP_TARGET_KEEP];
};

void http_req_init(struct http_req *r);
/* Parses up to n bytes of p; returns how many it used: all of them, or
 * fewer once r->status is set (the head ended, or it is wrong), so the
 * bytes after the head are left to the caller.  Once r->status is set,
 * further calls use nothing. */
size_t http_req_feed(struct http_req *r, const uint8_t *p, size_t n);
/* True when the connection may stay open after the response (RFC 9112
 * §9.3): HTTP/1.1 without "Connection: close", and no request body this
 * server would have to read past (Content-Length other than 0,
 * Transfer-Encoding). */
int http_req_persistent(const struct http_req *r);
/* True if the target was longer than HTTP_TARGET_KEEP (no page of ours). */
int http_req_target_cut(const struct http_req *r);
/* The path: target up to '?'; *len its length. */
const char *http_req_path(const struct http_req *r, size_t *len);
/* The query after '?' (without it), or NULL. */
const char *http_req_query(const struct http_req *r, size_t *len);
#endif
