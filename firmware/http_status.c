/* HTTP /: the status page.  On top, the history charts (connections by
 * state stacked over time, pool levels against their sizes, counter
 * rates), drawn by the page's script (http_status_js.c) from /history.json;
 * below, in #live, the present moment: connections by state, pools,
 * listener queues and every counter, with bar charts.  The script refreshes
 * both every 2 s without reloading; without script the page reloads itself
 * (<noscript> refresh).  A viewport meta tag and wrapping sections keep it
 * readable on a phone. */
#include "board.h"
#include "counters.h"
#include "fmt.h"
#include "fw.h"
#include "fw_config.h"
#include "http.h"
#include <keel/keel.h>
#include <keel/tcp.h>
#include <keel/stats.h>

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
	".ctr{columns:14em;column-gap:24px;font-size:12px}.ctr div{display:flex;"
	"justify-content:space-between;border-bottom:1px dotted #cbd5e1}"
	".g{color:#64748b}",
	".card{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:8px 12px;"
	"margin:10px 0}.ch{display:block;width:100%;height:150px;background:#f8fafc}"
	".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:6px 18px}"
	".sm{font-size:12px}.sm .ch{height:40px}",
	".leg{font-size:12px;margin-top:4px}.leg span{display:inline-block;margin-right:12px}"
	".leg i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}"
	".ax{display:flex;justify-content:space-between;font-size:11px;color:#64748b}"
	"@media(max-width:600px){body{margin:8px 10px}.sec{margin-right:0}}"
	"</style></head><body>",
};
#define NCSS (sizeof(status_css) / sizeof(status_css[0]))

int http_gen_status(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	char ip[FMT_IP_LEN];
	struct keel_ifconfig ifc;
	keel_get_ifconfig(k, &ifc);
	if (row == 0) {
		return put_head_200(o, c, "text/html; charset=utf-8");
	}
	if (row == 1) {
		put(o, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		    "<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"
		    "<title>keel %s</title><style>", fmt_ip(ip, ifc.addr));
		return 1;
	}
	row -= 2;
	if (row < NCSS) {
		put(o, "%s", status_css[row]);
		return 1;
	}
	row -= NCSS;
	if (row == 0) {
		put(o, "<h1>keel on %s</h1><p>%s/%u &middot; build %s &middot; <a href=\"/metrics\">"
		    "metrics</a> &middot; <a href=\"/connections\">connections</a> &middot; "
		    "<a href=\"/history.json\">history.json</a> &middot; <a href=\"/history.csv\">"
		    "history.csv</a> &middot; <a href=\"/capture.pcap\">capture.pcap</a></p>",
		    board_name(), fmt_ip(ip, ifc.addr), (unsigned)ifc.prefix, fw_build_id);
		return 1;
	}
	row -= 1;
	if (row == 0) {
		put(o, "<div class=card><h2>Connections by state <span class=\"g span\"></span></h2>"
		    "<div class=g id=csm></div><div id=cs></div><div class=ax><span class=span></span>"
		    "<span>now</span></div><div class=leg id=csl></div></div>"
		    "<div class=card><h2>Pools against their sizes <span class=\"g span\"></span></h2>"
		    "<div class=grid id=pl></div></div><div class=card><h2>Counter rates "
		    "<span class=\"g span\"></span></h2><div class=grid id=rt></div></div>");
		return 1;
	}
	row -= 1;
	if (row == 0) {
		put(o, "<div id=live><p class=g>up ");
		put_uptime(o);
		put(o, " s</p><div class=sec><h2>Connections by state</h2><table><tr><th>state</th>"
		    "<th>now</th><th>of</th><th></th></tr>");
		return 1;
	}
	row -= 1;
	if (row < TCP_NSTATES - 1) {
		unsigned s = row + 1;   /* CLOSED is never kept */
		uint16_t counts[TCP_NSTATES];
		keel_tcp_state_counts(k, counts);
		unsigned cap = state_capacity(s);
		put(o, "<tr><td>%s</td><td class=n>%u</td><td class=n>%u</td><td class=b><div "
		    "style=\"width:%u%%\"></div></td></tr>", keel_tcp_state_name((enum tcp_state)s),
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
	if (row < HTTP_POOLS) {
		struct keel_pool_info u;
		(void)keel_pool_get(k, row, &u);
		unsigned pu = percent(u.in_use, u.size), ph = percent(u.high_water, u.size);
		put(o, "<tr><td>%s</td><td class=n>%u</td><td class=n>%u</td><td class=n>%u</td>"
		    "<td class=\"b%s\"><div style=\"width:%u%%\"></div>"
		    "<div class=h style=\"width:%u%%\" title=\"high water\"></div></td></tr>",
		    u.name, (unsigned)u.in_use, (unsigned)u.high_water, (unsigned)u.size,
		    pu >= 75 ? " warn" : "", pu, ph);
		return 1;
	}
	row -= HTTP_POOLS;
	if (row == 0) {
		put(o, "</table><h2>Listeners: SYN and accept queues</h2><table><tr><th>port</th>"
		    "<th>SYN q</th><th>accept q</th><th>backlog</th><th></th></tr>");
		return 1;
	}
	row -= 1;
	if (row < KEEL_TCP_MAX_LISTEN) {
		struct tcp_conn_info ci;
		if (keel_tcp_conn_info(k, row, &ci) == 0 && ci.kind == TCP_CONN_LISTENER) {
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
		put(o, "</div></div><script>\n");
		return 1;
	}
	row -= 1;
	if (row < http_status_js_rows) {
		put(o, "%s", http_status_js[row]);
		return 1;
	}
	row -= http_status_js_rows;
	if (row == 0) {
		put(o, "</script></body></html>\n");
		return 1;
	}
	return 0;
}
