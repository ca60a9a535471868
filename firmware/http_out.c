/* HTTP output: rows are formatted straight into the connection's stage
 * (struct out); a row that does not fit marks it full and is rolled back
 * by the service.  Also the small helpers more than one page uses. */
#include <stdarg.h>
#include <stdbool.h>
#include "fmt.h"
#include "fw.h"
#include "http.h"
#include <keel/keel.h>
#include <keel/tcp.h>
#include <keel/stats.h>

/* ------------------------------------------------------------- output -- */

void put(struct out *o, const char *fmt, ...)
{
	if (o->full)
		return;
	size_t room = o->cap - o->len;
	va_list ap;
	va_start(ap, fmt);
	size_t n = fmt_vsnprintf(o->p + o->len, room, fmt, ap);
	va_end(ap);
	if (n >= room)   /* the formatter also wants room for its NUL */
		o->full = true;
	else
		o->len += n;
}

void put_uptime(struct out *o)
{
	uint32_t ms = fw_uptime_ms();
	put(o, "%lu.%03lu", (unsigned long)(ms / 1000), (unsigned long)(ms % 1000));
}

void put_head(struct out *o, const char *status, const char *type)
{
	put(o, "HTTP/1.1 %s\r\nServer: keel\r\nContent-Type: %s\r\n"
	    "Cache-Control: no-store\r\nConnection: close\r\n", status, type);
}

int put_head_200(struct out *o, const struct app_conn *c, const char *type)
{
	if (c->phase & F_KEEP)   /* RFC 9112 §7.1: the length is not known up front */
		put(o, "HTTP/1.1 200 OK\r\nServer: keel\r\nContent-Type: %s\r\n"
		    "Cache-Control: no-store\r\nTransfer-Encoding: chunked\r\n\r\n", type);
	else {
		put_head(o, "200 OK", type);
		put(o, "\r\n");
	}
	return !(c->phase & F_HEAD);
}

/* ------------------------------------------------------------ helpers -- */

/* Half-open entries of the listener on port (its SYN queue). */
unsigned syn_queue_of(const struct keel *k, uint16_t port)
{
	struct tcp_conn_info ci;
	unsigned n = 0;
	unsigned first = KEEL_TCP_MAX_LISTEN + KEEL_TCP_MAX_CONN;
	for (unsigned i = first; i < first + KEEL_SYN_BACKLOG; i++)
		if (keel_tcp_conn_info(k, i, &ci) == 0 && ci.kind == TCP_CONN_HALF_OPEN && ci.lport == port)
			n++;
	return n;
}
