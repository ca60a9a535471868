/* HTTP error responses, chosen by the request reader (c->page): 400, 404,
 * 405 (with Allow, RFC 9110 §15.5.6), 414, 431 (RFC 6585 §5), 501, 505. */
#include "http.h"

int http_gen_error(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	(void)k;
	static const char *const status[] = {
		[PG_400 - PG_400] = "400 Bad Request",
		[PG_404 - PG_400] = "404 Not Found",
		[PG_405 - PG_400] = "405 Method Not Allowed",
		[PG_414 - PG_400] = "414 URI Too Long",
		[PG_431 - PG_400] = "431 Request Header Fields Too Large",
		[PG_501 - PG_400] = "501 Not Implemented",
		[PG_505 - PG_400] = "505 HTTP Version Not Supported",
	};
	_Static_assert(sizeof(status) / sizeof(status[0]) == HTTP_NERRORS, "one line per page");
	const char *s = status[c->page - PG_400];
	if (row > 0)
		return 0;
	put_head(o, s, "text/plain; charset=utf-8");
	if (c->page == PG_405)
		put(o, "Allow: GET, HEAD\r\n");
	put(o, "\r\n");
	if (!(c->phase & F_HEAD))
		put(o, "%s\n", s);
	return 1;
}
