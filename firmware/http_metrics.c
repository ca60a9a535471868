/* HTTP /metrics: Prometheus text format 0.0.4.
 *
 * Metric names: per-state gauge keel_tcp_connections{state="ESTABLISHED"}
 * (netstat's state names); every counter of firmware/counters.c as
 * keel_netstat_<Group>_<Name> with Linux's names unchanged, as
 * node_exporter's netstat collector names them (keel_netstat_Tcp_ActiveOpens
 * is `nstat`'s TcpActiveOpens), TYPE counter, or gauge for CurrEstab;
 * pools as keel_pool_{size,in_use,high_water}{pool="tcb"}; the shared
 * buffer pool as keel_chunks{kind="size|in_use|high_water"} and
 * keel_tcp_memory_pressure; listener queues
 * as keel_tcp_listen_{accept_queue,backlog,syn_queue}{port="80"};
 * keel_uptime_seconds; keel_capture_*; keel_build_info; keel_http_* (rows
 * dropped, requests answered with each error status). */
#include "board.h"
#include "capture.h"
#include "counters.h"
#include "fw.h"
#include "fw_config.h"
#include "http.h"
#include <keel/keel.h>
#include <keel/tcp.h>
#include <keel/stats.h>

int http_gen_metrics(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	if (row == 0)   /* the head alone: a chunked body starts after it */
		return put_head_200(o, c, "text/plain; version=0.0.4; charset=utf-8");
	if (row == 1) {
		put(o, "# HELP keel_build_info keel firmware build.\n# TYPE keel_build_info gauge\n"
		    "keel_build_info{board=\"%s\",version=\"%s\"} 1\n", board_name(), fw_build_id);
		put(o, "# HELP keel_uptime_seconds Time since boot.\n# TYPE keel_uptime_seconds gauge\n"
		    "keel_uptime_seconds ");
		put_uptime(o);
		put(o, "\n");
		return 1;
	}
	row -= 2;
	if (row < TCP_NSTATES) {
		if (row == 0) {
			put(o, "# HELP keel_tcp_connections TCP connections by state (LISTEN: listeners, "
			    "SYN_RECV: SYN-queue entries, TIME_WAIT: TIME_WAIT table).\n"
			    "# TYPE keel_tcp_connections gauge\n");
			return 1;   /* row 0 is CLOSED: nothing is kept in it */
		}
		uint16_t counts[TCP_NSTATES];
		keel_tcp_state_counts(k, counts);
		put(o, "keel_tcp_connections{state=\"%s\"} %u\n", keel_tcp_state_name((enum tcp_state)row),
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
		for (unsigned p = 0; p < HTTP_POOLS; p++) {
			struct keel_pool_info u;
			(void)keel_pool_get(k, p, &u);
			unsigned v = row == 0 ? u.size : row == 1 ? u.in_use : u.high_water;
			put(o, "keel_pool_%s{pool=\"%s\"} %u\n", fam[row], u.name, v);
		}
		return 1;
	}
	row -= 3;
	if (row == 0) {   /* the shared buffer pool (stack/tcp/tcp_mem.c) */
		struct keel_pool_info u;
		struct keel_mem_info mi;
		(void)keel_pool_get(k, KEEL_POOL_CHUNKS, &u);
		keel_mem_get(k, &mi);
		put(o, "# HELP keel_chunks Chunks of the shared buffer pool: size, in use, peak.\n"
		    "# TYPE keel_chunks gauge\nkeel_chunks{kind=\"size\"} %lu\n"
		    "keel_chunks{kind=\"in_use\"} %lu\nkeel_chunks{kind=\"high_water\"} %lu\n"
		    "# HELP keel_tcp_memory_pressure 1 under TCP memory pressure (tcp_mem).\n"
		    "# TYPE keel_tcp_memory_pressure gauge\nkeel_tcp_memory_pressure %u\n",
		    (unsigned long)u.size, (unsigned long)u.in_use, (unsigned long)u.high_water,
		    (unsigned)mi.pressure);
		return 1;
	}
	row -= 1;
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
		if (keel_tcp_conn_info(k, i - 1, &ci) == 0 && ci.kind == TCP_CONN_LISTENER) {
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
		    "keel_http_rows_too_long_total %lu\n", (unsigned long)http_rows_too_long);
		return 1;
	case 3: {
		static const char *const code[HTTP_NERRORS] = {
			"400", "404", "405", "414", "431", "501", "505",
		};
		put(o, "# HELP keel_http_request_errors_total Requests answered with an error "
		    "status.\n# TYPE keel_http_request_errors_total counter\n");
		for (unsigned i = 0; i < HTTP_NERRORS; i++)
			put(o, "keel_http_request_errors_total{code=\"%s\"} %lu\n", code[i],
			    (unsigned long)http_request_errors[i]);
		return 1;
	}
	case 4:
		put(o, "# HELP keel_http_requests_total Requests read (on fewer connections when "
		    "they are kept open).\n# TYPE keel_http_requests_total counter\n"
		    "keel_http_requests_total %lu\n", (unsigned long)http_requests);
		return 1;
	default:
		break;
	}
	return 0;
}
