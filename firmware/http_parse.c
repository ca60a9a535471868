/* HTTP/1.x request head parser: a byte-at-a-time state machine over
 * RFC 9112's grammar (see http_parse.h for what it keeps).
 *
 *   request-line = method SP request-target SP HTTP-version CRLF   (§3)
 *   field-line   = field-name ":" OWS field-value OWS CRLF          (§5)
 *   then an empty line.
 *
 * Bare LF ends a line as CRLF does (§2.2 allows it); a CR not followed by
 * LF, whitespace before a field's colon (§5.1), obs-fold (§5.2) and
 * control characters in a value are 400.  One empty line before the
 * request line is skipped (§2.2's robustness SHOULD). */
#include <string.h>
#include "fw_config.h"
#include "http_parse.h"

enum state {
	S_START,          /* before the request line (one empty line may come first) */
	S_METHOD,
	S_TARGET,         /* the first byte of the request target */
	S_PATH,           /* origin-form, or absolute-form from its path on: kept */
	S_SCHEME,         /* absolute-form (§3.2.2): "http" ... */
	S_SLASH1,         /* ":" seen, "//" expected */
	S_SLASH2,
	S_AUTHORITY,      /* skipped up to the path */
	S_OPAQUE,         /* asterisk-form, CONNECT's authority-form: kept as sent */
	S_VERSION,        /* "HTTP/x.y", pos bytes of it seen */
	S_LINE_LF,        /* CR seen at the end of the request line */
	S_FIELD,          /* the start of a field line, or the empty line */
	S_NAME,
	S_VALUE,
	S_FIELD_LF,       /* CR seen at the end of a field line */
	S_END_LF,         /* CR of the empty line seen */
	S_DONE,
};

#define REQ_SKIPPED_EMPTY 0x01u   /* the one tolerated empty line before the request */
#define REQ_TARGET_CUT    0x02u   /* target longer than HTTP_TARGET_KEEP */
#define REQ_HOST          0x04u   /* a Host field line seen */
#define REQ_HOST_TWICE    0x08u
#define REQ_CLOSE         0x10u   /* Connection: close */
#define REQ_BODY          0x20u   /* Content-Length > 0 or Transfer-Encoding */

/* The field names it reads (r->field; 0: any other), case-insensitive
 * (RFC 9110 §5.1). */
enum { FIELD_OTHER, FIELD_HOST, FIELD_CONNECTION, FIELD_CONTENT_LENGTH, FIELD_TRANSFER_ENCODING };
static const char *const known_fields[] = {
	[FIELD_HOST] = "host", [FIELD_CONNECTION] = "connection",
	[FIELD_CONTENT_LENGTH] = "content-length", [FIELD_TRANSFER_ENCODING] = "transfer-encoding",
};
#define NKNOWN (sizeof(known_fields) / sizeof(known_fields[0]))
#define ALL_KNOWN (((1u << NKNOWN) - 1u) & ~1u)

static uint8_t lower(uint8_t ch)
{
	return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch | 0x20) : ch;
}

static int is_tchar(uint8_t ch)
{
	/* RFC 9110 §5.6.2 token characters */
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		return 1;
	return ch != 0 && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

static int is_alpha(uint8_t ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Visible US-ASCII: what a request target is made of (RFC 3986). */
static int is_vchar(uint8_t ch)
{
	return ch > 0x20 && ch < 0x7f;
}

void http_req_init(struct http_req *r)
{
	memset(r, 0, sizeof(*r));
	r->state = S_START;
}

static void keep_target(struct http_req *r, uint8_t ch)
{
	if (r->target_len < HTTP_TARGET_KEEP)
		r->target[r->target_len++] = (char)ch;
	else
		r->flags |= REQ_TARGET_CUT;
}

static uint8_t method_of(const struct http_req *r)
{
	/* RFC 9110 §9.3 and RFC 5789; methods are case-sensitive (§9.1). */
	static const char *const others[] = {
		"POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
	};
	size_t n = r->method_len;
	if (n == 3 && memcmp(r->method_name, "GET", 3) == 0)
		return HTTP_M_GET;
	if (n == 4 && memcmp(r->method_name, "HEAD", 4) == 0)
		return HTTP_M_HEAD;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (strlen(others[i]) == n && memcmp(r->method_name, others[i], n) == 0)
			return HTTP_M_OTHER;
	return HTTP_M_UNKNOWN;
}

/* The verdict on a complete, well-formed head. */
static uint16_t verdict(const struct http_req *r)
{
	if (r->version / 10 != 1)
		return HTTP_VERSION_NOT_SUPPORTED;   /* RFC 9110 §15.6.6 */
	/* RFC 9112 §3.2: an HTTP/1.1 request without Host, or any request with
	 * more than one, is 400. */
	if ((r->flags & REQ_HOST_TWICE) || (r->version >= 11 && !(r->flags & REQ_HOST)))
		return HTTP_BAD_REQUEST;
	if (r->method == HTTP_M_UNKNOWN)
		return HTTP_NOT_IMPLEMENTED;
	return HTTP_OK;
}

/* The head or a line got too long: which status says so. */
static uint16_t too_long(const struct http_req *r)
{
	switch (r->state) {
	case S_METHOD:
		return HTTP_NOT_IMPLEMENTED;   /* RFC 9112 §3: longer than any we implement */
	case S_TARGET: case S_PATH: case S_SCHEME: case S_SLASH1: case S_SLASH2:
	case S_AUTHORITY: case S_OPAQUE:
		return HTTP_URI_TOO_LONG;      /* RFC 9112 §3 */
	case S_START: case S_VERSION: case S_LINE_LF:
		return HTTP_BAD_REQUEST;
	default:
		return HTTP_FIELDS_TOO_LARGE;  /* RFC 6585 §5 */
	}
}

static void end_field(struct http_req *r)
{
	if (++r->fields > KEEL_HTTP_FIELDS_MAX)
		r->status = HTTP_FIELDS_TOO_LARGE;
	r->state = S_FIELD;
}

/* The end of the target (the SP before the version). */
static void end_target(struct http_req *r)
{
	r->state = S_VERSION;
	r->pos = 0;
}

/* One byte; sets r->status when the head is complete or wrong. */
static void step(struct http_req *r, uint8_t ch)
{
	switch (r->state) {
	case S_START:
		/* pos: a CR is waiting for its LF */
		if (ch == '\n' && !(r->flags & REQ_SKIPPED_EMPTY)) {
			r->flags |= REQ_SKIPPED_EMPTY;
			r->pos = 0;
			return;
		}
		if (ch == '\r' && !r->pos) {
			r->pos = 1;
			return;
		}
		if (r->pos || !is_tchar(ch)) {   /* a bare CR, a second empty line, garbage */
			r->status = HTTP_BAD_REQUEST;
			return;
		}
		r->state = S_METHOD;
		/* fall through */
	case S_METHOD:
		if (ch == ' ') {
			r->method = method_of(r);
			r->state = r->method_len ? S_TARGET : S_DONE;
			if (!r->method_len)
				r->status = HTTP_BAD_REQUEST;
		} else if (!is_tchar(ch)) {
			r->status = HTTP_BAD_REQUEST;
		} else if (r->method_len < HTTP_METHOD_KEEP) {
			r->method_name[r->method_len++] = (char)ch;
		} else {
			r->status = HTTP_NOT_IMPLEMENTED;   /* longer than any method we know */
		}
		return;
	case S_TARGET:
		if (ch == '/') {
			r->state = S_PATH;
		} else if (r->method_len == 7 && memcmp(r->method_name, "CONNECT", 7) == 0) {
			r->state = S_OPAQUE;   /* authority-form (§3.2.3) */
		} else if (ch == '*') {
			r->state = S_OPAQUE;   /* asterisk-form (§3.2.4) */
		} else if (is_alpha(ch)) {
			r->state = S_SCHEME;   /* absolute-form (§3.2.2) */
			return;
		} else {
			r->status = HTTP_BAD_REQUEST;
			return;
		}
		keep_target(r, ch);
		return;
	case S_PATH:
	case S_OPAQUE:
		if (ch == ' ')
			end_target(r);
		else if (is_vchar(ch))
			keep_target(r, ch);
		else
			r->status = HTTP_BAD_REQUEST;
		return;
	case S_SCHEME:
		if (ch == ':')
			r->state = S_SLASH1;
		else if (!is_alpha(ch) && !(ch >= '0' && ch <= '9') && ch != '+' && ch != '-' &&
			 ch != '.')
			r->status = HTTP_BAD_REQUEST;
		return;
	case S_SLASH1:
	case S_SLASH2:
		if (ch != '/')
			r->status = HTTP_BAD_REQUEST;
		else
			r->state = r->state == S_SLASH1 ? S_SLASH2 : S_AUTHORITY;
		return;
	case S_AUTHORITY:
		if (ch == '/' || ch == '?' || ch == ' ') {
			keep_target(r, '/');   /* an empty path is "/" (RFC 9112 §3.2.1) */
			if (ch == ' ')
				end_target(r);
			else
				r->state = S_PATH;
			if (ch == '?')
				keep_target(r, ch);
		} else if (!is_vchar(ch)) {
			r->status = HTTP_BAD_REQUEST;
		}
		return;
	case S_VERSION: {
		static const char name[] = "HTTP/";
		uint8_t at = r->pos++;
		if (at < 5 && ch == (uint8_t)name[at])
			return;
		if ((at == 5 || at == 7) && ch >= '0' && ch <= '9') {
			r->version = (uint8_t)(at == 5 ? (ch - '0') * 10 : r->version + (ch - '0'));
			return;
		}
		if (at == 6 && ch == '.')
			return;
		if (at == 8 && ch == '\r') {
			r->state = S_LINE_LF;
			return;
		}
		if (at == 8 && ch == '\n') {
			r->state = S_FIELD;
			return;
		}
		r->status = HTTP_BAD_REQUEST;
		return;
	}
	case S_LINE_LF:
	case S_FIELD_LF:
	case S_END_LF:
		if (ch != '\n') {
			r->status = HTTP_BAD_REQUEST;   /* a bare CR (§2.2) */
			return;
		}
		if (r->state == S_LINE_LF)
			r->state = S_FIELD;
		else if (r->state == S_FIELD_LF)
			end_field(r);
		else
			r->state = S_DONE;
		return;
	case S_FIELD:
		if (ch == '\r') {
			r->state = S_END_LF;
		} else if (ch == '\n') {
			r->state = S_DONE;
		} else if (is_tchar(ch)) {
			/* obs-fold and whitespace before the first field are not
			 * tchars: 400 (§5.2, §2.2). */
			r->state = S_NAME;
			r->pos = 0;
			r->cand = (uint8_t)ALL_KNOWN;
			step(r, ch);
		} else {
			r->status = HTTP_BAD_REQUEST;
		}
		return;
	case S_NAME:
		if (ch == ':') {
			r->field = FIELD_OTHER;
			for (unsigned f = 1; f < NKNOWN; f++)
				if ((r->cand & (1u << f)) && strlen(known_fields[f]) == r->pos)
					r->field = (uint8_t)f;
			if (r->field == FIELD_HOST)
				r->flags |= (r->flags & REQ_HOST) ? REQ_HOST_TWICE : REQ_HOST;
			if (r->field == FIELD_TRANSFER_ENCODING)
				r->flags |= REQ_BODY;   /* a body of unknown length (§6.1) */
			r->state = S_VALUE;
			r->pos = 0;
		} else if (!is_tchar(ch)) {
			r->status = HTTP_BAD_REQUEST;   /* includes whitespace before ':' (§5.1) */
		} else {
			for (unsigned f = 1; f < NKNOWN; f++)
				if (r->pos >= strlen(known_fields[f]) ||
				    lower(ch) != (uint8_t)known_fields[f][r->pos])
					r->cand &= (uint8_t)~(1u << f);
			if (r->pos < 0xff)
				r->pos++;
		}
		return;
	case S_VALUE:
		/* field-vchar, SP, HTAB, obs-text (RFC 9110 §5.5) */
		if (ch == '\r') {
			r->state = S_FIELD_LF;
		} else if (ch == '\n') {
			end_field(r);
		} else if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			r->status = HTTP_BAD_REQUEST;
		} else if (r->field == FIELD_CONTENT_LENGTH && ch >= '1' && ch <= '9') {
			r->flags |= REQ_BODY;
		} else if (r->field == FIELD_CONNECTION) {
			/* "close" anywhere in the list (§9.6); pos: how much matched */
			r->pos = lower(ch) == (uint8_t)"close"[r->pos] ? (uint8_t)(r->pos + 1)
								   : (lower(ch) == 'c');
			if (r->pos == 5) {
				r->flags |= REQ_CLOSE;
				r->pos = 0;
			}
		}
		return;
	default:
		return;
	}
}

size_t http_req_feed(struct http_req *r, const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n && r->status == HTTP_MORE) {
		uint8_t ch = p[i++];
		r->head_len++;
		r->line_len++;
		if (r->line_len > KEEL_HTTP_LINE_MAX || r->head_len > KEEL_HTTP_HEAD_MAX) {
			r->status = too_long(r);
			break;
		}
		step(r, ch);
		if (ch == '\n')
			r->line_len = 0;   /* every LF the parser accepts ends a line */
		if (r->state == S_DONE && r->status == HTTP_MORE)
			r->status = verdict(r);
	}
	return i;
}

int http_req_persistent(const struct http_req *r)
{
	return r->version >= 11 && !(r->flags & (REQ_CLOSE | REQ_BODY));
}

int http_req_target_cut(const struct http_req *r)
{
	return (r->flags & REQ_TARGET_CUT) != 0;
}

const char *http_req_path(const struct http_req *r, size_t *len)
{
	const char *q = memchr(r->target, '?', r->target_len);
	*len = q ? (size_t)(q - r->target) : r->target_len;
	return r->target;
}

const char *http_req_query(const struct http_req *r, size_t *len)
{
	const char *q = memchr(r->target, '?', r->target_len);
	if (!q) {
		*len = 0;
		return NULL;
	}
	*len = r->target_len - (size_t)(q + 1 - r->target);
	return q + 1;
}
