/* HTTP/1.0-style server on port 80: a status page, Prometheus metrics, the
 * connection table as JSON and the frame capture as pcap.
 *
 *   /              status page (HTML, refreshes itself every 2 s)
 *   /metrics       Prometheus text format 0.0.4
 *   /connections   JSON array of tcp_conn_info rows
 *   /capture.pcap  the capture ring (capture.h), classic pcap
 *
 * One connection slot's 512-byte stage is all the memory a request gets:
 * first it holds the request (line and headers up to the blank line; more
 * than that is 400), then it stages the response, which is generated a row
 * at a time as tcp_send takes bytes, so a response of any size needs no
 * bigger buffer.  Every response ends the connection: `Connection: close`,
 * FIN after the last byte, a short drain of whatever the client still
 * sends (so its RST-free close sees the whole response), then the slot is
 * freed.  A client that does not finish its request within
 * KEEL_HTTP_REQUEST_MS, or does not take the response within
 * KEEL_HTTP_RESPONSE_MS, is dropped.
 *
 * Metric names: per-state gauge keel_tcp_connections{state="ESTABLISHED"}
 * (netstat's state names); every counter of firmware/counters.c as
 * keel_netstat_<Group>_<Name> with Linux's names unchanged, as
 * node_exporter's netstat collector names them (keel_netstat_Tcp_ActiveOpens
 * is `nstat`'s TcpActiveOpens), TYPE counter, or gauge for CurrEstab;
 * pools as keel_pool_{size,in_use,high_water}{pool="tcb"}; listener queues
 * as keel_tcp_listen_{accept_queue,backlog,syn_queue}{port="80"};
 * keel_uptime_seconds; keel_capture_*; keel_build_info. */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include "apps.h"
#include "board.h"
#include "capture.h"
#include "counters.h"
#include "fmt.h"
#include "fw.h"
#include "fw_config.h"
#include "keel.h"
#include "tcp_api.h"
#include "tcp_stats.h"

#ifndef KEEL_BUILD_ID
#define KEEL_BUILD_ID "unknown"
#endif

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
 * in keel_http_rows_too_long_total, which the tests check is 0). */
static uint32_t rows_too_long;

/* ------------------------------------------------------------- output -- */

struct out {
	char *p;
	size_t cap, len;
	bool full;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
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

static void put_bytes(struct out *o, const void *p, size_t n)
{
	if (o->full || n > o->cap - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

/* "a.b.c.d:port" */
static void put_endpoint(struct out *o, uint32_t addr, uint16_t port, bool any_port)
{
	char ip[FMT_IP_LEN];
	if (any_port)
		put(o, "%s:*", fmt_ip(ip, addr));
	else
		put(o, "%s:%u", fmt_ip(ip, addr), (unsigned)port);
}

/* ------------------------------------------------------------ helpers -- */

static const char *const pool_names[TCP_NPOOLS] = {
	[TCP_POOL_TCB] = "tcb", [TCP_POOL_SYN_QUEUE] = "syn_queue",
	[TCP_POOL_TIME_WAIT] = "time_wait", [TCP_POOL_LISTEN] = "listeners",
};

/* How many of state s the stack can hold at most (bar chart scale). */
static unsigned state_capacity(unsigned s)
{
	switch (s) {
	case TCP_LISTEN: return KEEL_TCP_MAX_LISTEN;
	case TCP_SYN_RECEIVED: return KEEL_SYN_BACKLOG;
	case TCP_TIME_WAIT: return KEEL_TW_MAX;
	default: return KEEL_TCP_MAX_CONN;
	}
}

static unsigned percent(unsigned n, unsigned of)
{
	if (of == 0)
		return 0;
	unsigned p = n * 100u / of;
	if (p == 0 && n)
		p = 1;   /* something is there: show a sliver */
	return p > 100 ? 100 : p;
}

/* Half-open entries of the listener on port (its SYN queue). */
static unsigned syn_queue_of(const struct keel *k, uint16_t port)
{
	struct tcp_conn_info ci;
	unsigned n = 0;
	unsigned first = KEEL_TCP_MAX_LISTEN + KEEL_TCP_MAX_CONN;
	for (unsigned i = first; i < first + KEEL_SYN_BACKLOG; i++)
		if (tcp_conn_info(k, i, &ci) == 0 && ci.kind == TCP_CONN_HALF_OPEN && ci.lport == port)
			n++;
	return n;
}

static void put_uptime(struct out *o)
{
	uint32_t ms = fw_uptime_ms();
	put(o, "%lu.%03lu", (unsigned long)(ms / 1000), (unsigned long)(ms % 1000));
}

/* ----------------------------------------------------- response header -- */

static void put_head(struct out *o, const char *status, const char *type)
{
	put(o, "HTTP/1.0 %s\r\nServer: keel\r\nContent-Type: %s\r\n"
	    "Cache-Control: no-store\r\nConnection: close\r\n", status, type);
}

static int gen_error(struct out *o, struct app_conn *c, unsigned row)
{
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

/* ------------------------------------------------------------ /metrics -- */

static int gen_metrics(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	if (row == 0) {
		put_head(o, "200 OK", "text/plain; version=0.0.4; charset=utf-8");
		put(o, "\r\n");
		if (c->phase & F_HEAD)
			return 0;
		put(o, "# HELP keel_build_info keel firmware build.\n# TYPE keel_build_info gauge\n"
		    "keel_build_info{board=\"%s\",version=\"%s\"} 1\n", board_name(), KEEL_BUILD_ID);
		put(o, "# HELP keel_uptime_seconds Time since boot.\n# TYPE keel_uptime_seconds gauge\n"
		    "keel_uptime_seconds ");
		put_uptime(o);
		put(o, "\n");
		return 1;
	}
	row -= 1;
	if (row < TCP_NSTATES) {
		if (row == 0) {
			put(o, "# HELP keel_tcp_connections TCP connections by state (LISTEN: listeners, "
			    "SYN_RECV: SYN-queue entries, TIME_WAIT: TIME_WAIT table).\n"
			    "# TYPE keel_tcp_connections gauge\n");
			return 1;   /* row 0 is CLOSED: nothing is kept in it */
		}
		uint16_t counts[TCP_NSTATES];
		tcp_state_counts(k, counts);
		put(o, "keel_tcp_connections{state=\"%s\"} %u\n", tcp_state_name((enum tcp_state)row),
		    (unsigned)counts[row]);
		return 1;
	}
	row -= TCP_NSTATES;
	size_t ncounters = counters_count();
	if (row < ncounters) {
		struct counter ct;
		if (counters_get(k, fw_netdev(), row, &ct) == 0) {
			put(o, "# HELP keel_netstat_%s_%s netstat -s %s %s.\n# TYPE keel_netstat_%s_%s %s\n"
			    "keel_netstat_%s_%s %lu\n", ct.group, ct.name, ct.group, ct.name, ct.group,
			    ct.name, ct.gauge ? "gauge" : "counter", ct.group, ct.name,
			    (unsigned long)ct.value);
		}
		return 1;
	}
	row -= (unsigned)ncounters;
	if (row < 3) {   /* one family per row, every pool in it */
		static const char *const fam[3] = { "size", "in_use", "high_water" };
		static const char *const help[3] = {
			"Entries the pool has (compile time).", "Entries in use now.",
			"Most entries ever in use at once.",
		};
		put(o, "# HELP keel_pool_%s %s\n# TYPE keel_pool_%s gauge\n", fam[row], help[row], fam[row]);
		for (unsigned p = 0; p < TCP_NPOOLS; p++) {
			struct keel_pool_usage u;
			tcp_pool_get(k, (enum tcp_pool)p, &u);
			unsigned v = row == 0 ? u.size : row == 1 ? u.in_use : u.high_water;
			put(o, "keel_pool_%s{pool=\"%s\"} %u\n", fam[row], pool_names[p], v);
		}
		return 1;
	}
	row -= 3;
	/* Listener queues: 3 families x (a HELP/TYPE row + one row per listener). */
	if (row < 3u * (1 + KEEL_TCP_MAX_LISTEN)) {
		static const char *const fam[3] = { "accept_queue", "backlog", "syn_queue" };
		static const char *const help[3] = {
			"Connections waiting in the listener's accept queue.",
			"The listener's accept queue bound.",
			"Half-open entries (SYN queue) for the listener's port.",
		};
		unsigned f = row / (1 + KEEL_TCP_MAX_LISTEN), i = row % (1 + KEEL_TCP_MAX_LISTEN);
		if (i == 0) {
			put(o, "# HELP keel_tcp_listen_%s %s\n# TYPE keel_tcp_listen_%s gauge\n",
			    fam[f], help[f], fam[f]);
			return 1;
		}
		struct tcp_conn_info ci;
		if (tcp_conn_info(k, i - 1, &ci) == 0 && ci.kind == TCP_CONN_LISTENER) {
			unsigned v = f == 0 ? ci.recv_q : f == 1 ? ci.send_q : syn_queue_of(k, ci.lport);
			put(o, "keel_tcp_listen_%s{port=\"%u\"} %u\n", fam[f], (unsigned)ci.lport, v);
		}
		return 1;
	}
	row -= 3u * (1 + KEEL_TCP_MAX_LISTEN);
	struct capture_stats st;
	capture_get_stats(&st);
	switch (row) {
	case 0:
		put(o, "# HELP keel_capture_bytes Capture ring size (0: compiled out).\n"
		    "# TYPE keel_capture_bytes gauge\nkeel_capture_bytes %lu\n"
		    "# HELP keel_capture_frames Frames in the capture ring.\n"
		    "# TYPE keel_capture_frames gauge\nkeel_capture_frames %lu\n",
		    (unsigned long)st.bytes, (unsigned long)st.frames);
		return 1;
	case 1:
		put(o, "# HELP keel_capture_missed_total Frames not captured while a reader held "
		    "the ring frozen.\n# TYPE keel_capture_missed_total counter\n"
		    "keel_capture_missed_total %lu\n", (unsigned long)st.missed);
		return 1;
	case 2:
		put(o, "# HELP keel_http_rows_too_long_total Response rows dropped for not fitting "
		    "the stage (a firmware bug).\n# TYPE keel_http_rows_too_long_total counter\n"
		    "keel_http_rows_too_long_total %lu\n", (unsigned long)rows_too_long);
		return 1;
	default:
		break;
	}
	return 0;
}

/* -------------------------------------------------------- /connections -- */

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

static int gen_connections(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	if (row == 0) {
		put_head(o, "200 OK", "application/json");
		put(o, "\r\n");
		if (c->phase & F_HEAD)
			return 0;
		put(o, "[");
		return 1;
	}
	row -= 1;
	if (row < TCP_CONN_SLOTS) {
		struct tcp_conn_info ci;
		if (tcp_conn_info(k, row, &ci) != 0)
			return 1;   /* a free slot */
		bool listener = ci.kind == TCP_CONN_LISTENER;
		put(o, "%s\n{\"slot\":%u,\"kind\":\"%s\",\"state\":\"%s\",\"local\":\"",
		    c->phase & F_MORE ? "," : "", row, kind_name(ci.kind),
		    tcp_state_name((enum tcp_state)ci.state));
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

/* -------------------------------------------------------- /capture.pcap -- */

static void http_on_close(struct app_conn *c)
{
	if (c->phase & F_FROZEN) {
		capture_close();
		c->phase &= (uint8_t)~F_FROZEN;
	}
}

static int gen_capture(struct out *o, struct app_conn *c, unsigned row)
{
	if (row == 0) {
		put_head(o, "200 OK", "application/vnd.tcpdump.pcap");
		put(o, "Content-Disposition: attachment; filename=\"keel.pcap\"\r\n\r\n");
		return !(c->phase & F_HEAD);
	}
	if (row == 1) {
		uint8_t h[CAPTURE_PCAP_HDR_LEN];
		capture_pcap_header(h);
		put_bytes(o, h, sizeof(h));
		return 1;
	}
	/* The cursor lives in the slot: counter = ring offset, aux = records left. */
	struct capture_cursor cur = { c->counter, c->aux };
	if (cur.left == 0 || !(c->phase & F_FROZEN)) {
		http_on_close(c);   /* thaw as soon as the snapshot is out */
		return 0;
	}
	size_t n = capture_next(&cur, (uint8_t *)o->p + o->len, o->cap - o->len);
	if (n == 0) {
		o->full = true;   /* no room for this record: next time */
		return 1;
	}
	o->len += n;
	c->counter = cur.pos;
	c->aux = (uint16_t)cur.left;
	return 1;
}

/* --------------------------------------------------------- status page -- */

/* The page's head, one row each (every row must fit an empty stage). */
static const char *const status_css[] = {
	"body{font:14px/1.4 system-ui,sans-serif;margin:16px 24px;color:#1f2937;"
	"background:#f8fafc}h1{font-size:22px;margin:0}h2{font-size:15px;margin:18px 0 6px;"
	"color:#374151}a{color:#2563eb}.sec{display:inline-block;vertical-align:top;"
	"margin-right:32px}",
	"table{border-collapse:collapse}th,td{padding:2px 8px;text-align:left}"
	"th{background:#e5e7eb;font-weight:600}tr:nth-child(even) td{background:#f1f5f9}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}",
	".b{width:170px}.b div{height:12px;background:#3b82f6;border-radius:2px}"
	".b div.h{height:3px;margin-top:1px;background:#94a3b8}.warn div{background:#f59e0b}",
	".ctr{columns:4;column-gap:24px;font-size:12px}.ctr div{display:flex;"
	"justify-content:space-between;border-bottom:1px dotted #cbd5e1}"
	".g{color:#64748b}</style></head><body>",
};
#define NCSS (sizeof(status_css) / sizeof(status_css[0]))

static int gen_status(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	char ip[FMT_IP_LEN];
	if (row == 0) {
		put_head(o, "200 OK", "text/html; charset=utf-8");
		put(o, "\r\n");
		return !(c->phase & F_HEAD);
	}
	if (row == 1) {
		put(o, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<meta http-equiv=\"refresh\" content=\"2\"><title>keel %s</title><style>",
		    fmt_ip(ip, k->ifc.addr));
		return 1;
	}
	row -= 2;
	if (row < NCSS) {
		put(o, "%s", status_css[row]);
		return 1;
	}
	row -= NCSS;
	if (row == 0) {
		put(o, "<h1>keel on %s</h1><p>%s/%u &middot; build %s &middot; up ", board_name(),
		    fmt_ip(ip, k->ifc.addr), (unsigned)k->ifc.prefix, KEEL_BUILD_ID);
		put_uptime(o);
		put(o, " s &middot; <a href=\"/metrics\">metrics</a> &middot; <a href=\"/connections\">"
		    "connections</a> &middot; <a href=\"/capture.pcap\">capture.pcap</a></p>"
		    "<div class=sec><h2>Connections by state</h2><table><tr><th>state</th>"
		    "<th>now</th><th>of</th><th></th></tr>");
		return 1;
	}
	row -= 1;
	if (row < TCP_NSTATES - 1) {
		unsigned s = row + 1;   /* CLOSED is never kept */
		uint16_t counts[TCP_NSTATES];
		tcp_state_counts(k, counts);
		unsigned cap = state_capacity(s);
		put(o, "<tr><td>%s</td><td class=n>%u</td><td class=n>%u</td><td class=b><div "
		    "style=\"width:%u%%\"></div></td></tr>", tcp_state_name((enum tcp_state)s),
		    (unsigned)counts[s], cap, percent(counts[s], cap));
		return 1;
	}
	row -= TCP_NSTATES - 1;
	if (row == 0) {
		put(o, "</table></div><div class=sec><h2>Pools</h2><table><tr><th>pool</th>"
		    "<th>in use</th><th>high</th><th>size</th><th></th></tr>");
		return 1;
	}
	row -= 1;
	if (row < TCP_NPOOLS) {
		struct keel_pool_usage u;
		tcp_pool_get(k, (enum tcp_pool)row, &u);
		unsigned pu = percent(u.in_use, u.size), ph = percent(u.high_water, u.size);
		put(o, "<tr><td>%s</td><td class=n>%u</td><td class=n>%u</td><td class=n>%u</td>"
		    "<td class=\"b%s\"><div style=\"width:%u%%\"></div>"
		    "<div class=h style=\"width:%u%%\" title=\"high water\"></div></td></tr>",
		    pool_names[row], (unsigned)u.in_use, (unsigned)u.high_water, (unsigned)u.size,
		    pu >= 75 ? " warn" : "", pu, ph);
		return 1;
	}
	row -= TCP_NPOOLS;
	if (row == 0) {
		put(o, "</table><h2>Listeners: SYN and accept queues</h2><table><tr><th>port</th>"
		    "<th>SYN q</th><th>accept q</th><th>backlog</th><th></th></tr>");
		return 1;
	}
	row -= 1;
	if (row < KEEL_TCP_MAX_LISTEN) {
		struct tcp_conn_info ci;
		if (tcp_conn_info(k, row, &ci) == 0 && ci.kind == TCP_CONN_LISTENER) {
			unsigned p = percent(ci.recv_q, ci.send_q);
			put(o, "<tr><td>%u</td><td class=n>%u</td><td class=n>%lu</td><td class=n>%lu</td>"
			    "<td class=\"b%s\"><div style=\"width:%u%%\"></div></td></tr>",
			    (unsigned)ci.lport, syn_queue_of(k, ci.lport), (unsigned long)ci.recv_q,
			    (unsigned long)ci.send_q, p >= 75 ? " warn" : "", p);
		}
		return 1;
	}
	row -= KEEL_TCP_MAX_LISTEN;
	if (row == 0) {
		put(o, "</table></div><h2>Counters</h2><div class=ctr>");
		return 1;
	}
	row -= 1;
	size_t ncounters = counters_count();
	if (row < ncounters) {
		struct counter ct;
		if (counters_get(k, fw_netdev(), row, &ct) == 0)
			put(o, "<div><span><span class=g>%s</span> %s</span><b>%lu</b></div>", ct.group,
			    ct.name, (unsigned long)ct.value);
		return 1;
	}
	row -= (unsigned)ncounters;
	if (row == 0) {
		put(o, "</div></body></html>\n");
		return 1;
	}
	return 0;
}

/* ---------------------------------------------------- request parsing -- */

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

/* ------------------------------------------------------------ service -- */

static void http_accept(struct keel *k, struct app_conn *c, uint32_t now_ms)
{
	(void)k;
	c->phase = P_REQUEST;
	c->counter = 0;   /* request bytes in the stage */
	c->deadline_ms = now_ms + KEEL_HTTP_REQUEST_MS;
}

static bool expired(const struct app_conn *c, uint32_t now)
{
	return (int32_t)(now - c->deadline_ms) >= 0;
}

static void start_response(struct app_conn *c, uint32_t now)
{
	c->phase = (uint8_t)((c->phase & ~P_MASK) | P_RESPONSE);
	c->row = 0;
	c->off = c->len = 0;
	c->deadline_ms = now + KEEL_HTTP_RESPONSE_MS;
	if (c->page == PG_CAPTURE && !(c->phase & F_HEAD)) {
		struct capture_cursor cur;
		if (capture_open(&cur) != 0) {
			c->page = PG_404;   /* compiled out */
			return;
		}
		c->phase |= F_FROZEN;
		c->on_close = http_on_close;
		c->counter = cur.pos;
		c->aux = (uint16_t)cur.left;
	}
}

/* 1: request complete (page chosen), 0: need more, -1: drop the connection. */
static int read_request(struct keel *k, struct app_conn *c)
{
	for (int round = 0; round < 4; round++) {
		size_t have = c->counter;
		if (have >= APP_STAGE_LEN) {
			c->page = PG_400;   /* no blank line within the buffer */
			return 1;
		}
		int n = tcp_recv(k, c->sock, c->stage + have, APP_STAGE_LEN - have);
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

static int generate(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	switch (c->page) {
	case PG_STATUS: return gen_status(k, o, c, row);
	case PG_METRICS: return gen_metrics(k, o, c, row);
	case PG_CONNECTIONS: return gen_connections(k, o, c, row);
	case PG_CAPTURE: return gen_capture(o, c, row);
	default: return gen_error(o, c, row);
	}
}

/* Tops the stage up with whole rows. */
static void fill(struct keel *k, struct app_conn *c)
{
	if (c->off) {   /* unsent bytes to the front */
		memmove(c->stage, c->stage + c->off, c->len);
		c->off = 0;
	}
	struct out o = { (char *)c->stage + c->len, APP_STAGE_LEN - c->len, 0, false };
	/* Bounded: each row takes at least one step of row, and the pages
	 * have a few hundred rows at most. */
	for (int guard = 0; guard < 64 && !(c->phase & F_GEN_DONE); guard++) {
		size_t mark = o.len;
		uint8_t phase = c->phase;
		int more = generate(k, &o, c, c->row);
		if (o.full) {
			o.len = mark;   /* roll the row back; it goes next time */
			o.full = false;
			c->phase = (uint8_t)((c->phase & ~F_MORE) | (phase & F_MORE));
			if (mark == 0 && c->len == 0) {
				c->row++;   /* cannot fit even an empty stage: skip it */
				rows_too_long++;
			}
			break;
		}
		if (!more)
			c->phase |= F_GEN_DONE;
		else
			c->row++;
	}
	c->len = (uint16_t)(c->len + o.len);
}

static int http_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	(void)ev;
	uint32_t now = fw_uptime_ms();
	int r;
	switch (c->phase & P_MASK) {
	case P_REQUEST:
		r = read_request(k, c);
		if (r < 0)
			return 1;
		if (r == 0)
			return expired(c, now);   /* a slow or silent client is dropped */
		start_response(c, now);
		/* fall through */
	case P_RESPONSE:
		for (int round = 0; round < 4; round++) {
			if (c->len < APP_STAGE_LEN / 2 && !(c->phase & F_GEN_DONE))
				fill(k, c);
			uint16_t before = c->len;
			if (app_flush(k, c) < 0)
				return 1;
			if (c->len == 0 && (c->phase & F_GEN_DONE))
				break;
			if (c->len == before)
				break;   /* send buffer full */
		}
		if (c->len || !(c->phase & F_GEN_DONE)) {
			if (expired(c, now)) {
				tcp_abort(k, c->sock);   /* not taking the response */
				return 1;
			}
			return 0;
		}
		http_on_close(c);
		tcp_shutdown(k, c->sock);   /* FIN after the response */
		c->phase = (uint8_t)((c->phase & ~P_MASK) | P_LINGER);
		c->deadline_ms = now + KEEL_HTTP_LINGER_MS;
		/* fall through */
	case P_LINGER:
		for (int round = 0; round < 4; round++) {
			int n = tcp_recv(k, c->sock, c->stage, APP_STAGE_LEN);
			if (n == KEEL_EWOULDBLOCK)
				break;
			if (n <= 0)
				return 1;   /* the client's FIN (or an error): done */
		}
		return expired(c, now);
	default:
		return 1;
	}
}

const struct service svc_http = { "http", 80, 4, http_accept, http_poll };
