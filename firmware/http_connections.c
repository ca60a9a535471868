/* HTTP /connections: the connection table as a JSON array, one
 * tcp_conn_info row per occupied slot. */
#include <stdbool.h>
#include "fmt.h"
#include "http.h"
#include <keel/keel.h>
#include <keel/tcp.h>
#include <keel/stats.h>

/* "a.b.c.d:port" */
static void put_endpoint(struct out *o, uint32_t addr, uint16_t port, bool any_port)
{
	char ip[FMT_IP_LEN];
	if (any_port)
		put(o, "%s:*", fmt_ip(ip, addr));
	else
		put(o, "%s:%u", fmt_ip(ip, addr), (unsigned)port);
}

static const char *kind_name(unsigned kind)
{
	static const char *const n[] = { "listener", "tcb", "half_open", "time_wait" };
	return kind < sizeof(n) / sizeof(n[0]) ? n[kind] : "?";
}

static const char *timer_name(unsigned t)
{
	static const char *const n[] = { "none", "retrans", "synack", "fin_wait2", "time_wait" };
	return t < sizeof(n) / sizeof(n[0]) ? n[t] : "?";
}

int http_gen_connections(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	if (row == 0)   /* the head alone: a chunked body starts after it */
		return put_head_200(o, c, "application/json");
	if (row == 1) {
		put(o, "[");
		return 1;
	}
	row -= 2;
	if (row < TCP_CONN_SLOTS) {
		struct tcp_conn_info ci;
		if (keel_tcp_conn_info(k, row, &ci) != 0)
			return 1;   /* a free slot */
		bool listener = ci.kind == TCP_CONN_LISTENER;
		put(o, "%s\n{\"slot\":%u,\"kind\":\"%s\",\"state\":\"%s\",\"local\":\"",
		    c->phase & F_MORE ? "," : "", row, kind_name(ci.kind),
		    keel_tcp_state_name((enum tcp_state)ci.state));
		put_endpoint(o, ci.laddr, ci.lport, false);
		put(o, "\",\"remote\":\"");
		put_endpoint(o, ci.raddr, ci.rport, listener);
		put(o, "\",\"recv_q\":%lu,\"send_q\":%lu,\"timer\":\"%s\",\"timer_ms\":%ld,"
		    "\"rto_ms\":%lu,\"retransmits\":%u,\"orphan\":%s}",
		    (unsigned long)ci.recv_q, (unsigned long)ci.send_q, timer_name(ci.timer),
		    (long)(ci.timer == TCP_TIMER_NONE ? 0 : ci.timer_ms), (unsigned long)ci.rto_ms,
		    (unsigned)ci.retransmits, ci.orphan ? "true" : "false");
		if (!o->full)
			c->phase |= F_MORE;   /* only once the row is really out */
		return 1;
	}
	if (row == TCP_CONN_SLOTS) {
		put(o, "\n]\n");
		return 1;
	}
	return 0;
}
