/* HTTP error responses: 400 Bad Request, 404 Not Found and 405 Method Not
 * Allowed, chosen by the request parser (c->page). */
#include "http.h"

int http_gen_error(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	(void)k;
	static const char *const status[] = {
		[PG_400 - PG_400] = "400 Bad Request",
		[PG_404 - PG_400] = "404 Not Found",
		[PG_405 - PG_400] = "405 Method Not Allowed",
	};
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
