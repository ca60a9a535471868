/* ss: the connection table, like Linux `ss -tan` (listeners, TCBs,
 * SYN-queue entries, TIME_WAIT entries; tcp_conn_info walks them):
 *
 *   State       Recv-Q Send-Q Local Address:Port     Peer Address:Port
 *   ESTAB       0      0      192.0.2.2:7            192.0.2.1:40000
 *
 * As in Linux: plain `ss` shows every state but LISTEN and CLOSED, -a all,
 * -l listeners only, `state NAME` (Linux's names: established, syn-sent,
 * syn-recv, fin-wait-1, fin-wait-2, time-wait, closed, close-wait,
 * last-ack, listening, closing; also all, connected, synchronized,
 * bucket, big) selects states and may repeat.  Port filters `sport = :7`,
 * `dport != :40000` (= == eq != ne < > <= >= lt gt le ge) are ANDed.
 * -i (or -o) adds a line per connection: the options the handshake
 * agreed (ts, sack, wscale:peer's,ours), rto, rtt:srtt/rttvar, mss, cwnd,
 * ssthresh, retrans:current/total (the last five when stack/tcp/tcp_stats.h
 * has them), timer as ss -o prints it (timer:(on|timewait|persist|
 * keepalive,<seconds>s,<retransmits>)), orphan.
 * -m adds Linux's skmem line per connection: the chunk bytes its receive
 * queue (out-of-order data included) and send queue hold, its buffer
 * sizes now, and the segments it dropped for want of memory.
 * -t and -n are accepted and change nothing (all is TCP, all numeric).
 * For a listener Recv-Q is its accept queue and Send-Q its backlog. */
#include <stdbool.h>
#include <string.h>
#include "cmd.h"
#include "console.h"
#include "fmt.h"
#include "fw.h"
#include <keel/keel.h>
#include <keel/stats.h>

#define SS_MAX_PORT_FILTERS 4

/* ss's column names and its filter names, by enum tcp_state. */
static const char *const ss_names[TCP_NSTATES] = {
	[TCP_CLOSED] = "UNCONN",         [TCP_LISTEN] = "LISTEN",
	[TCP_SYN_SENT] = "SYN-SENT",     [TCP_SYN_RECEIVED] = "SYN-RECV",
	[TCP_ESTABLISHED] = "ESTAB",     [TCP_FIN_WAIT_1] = "FIN-WAIT-1",
	[TCP_FIN_WAIT_2] = "FIN-WAIT-2", [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[TCP_CLOSING] = "CLOSING",       [TCP_LAST_ACK] = "LAST-ACK",
	[TCP_TIME_WAIT] = "TIME-WAIT",
};
static const char *const filter_names[TCP_NSTATES] = {
	[TCP_CLOSED] = "closed",           [TCP_LISTEN] = "listening",
	[TCP_SYN_SENT] = "syn-sent",       [TCP_SYN_RECEIVED] = "syn-recv",
	[TCP_ESTABLISHED] = "established", [TCP_FIN_WAIT_1] = "fin-wait-1",
	[TCP_FIN_WAIT_2] = "fin-wait-2",   [TCP_CLOSE_WAIT] = "close-wait",
	[TCP_CLOSING] = "closing",         [TCP_LAST_ACK] = "last-ack",
	[TCP_TIME_WAIT] = "time-wait",
};
#define BIT(s) (1u << (s))
#define ALL_STATES (BIT(TCP_NSTATES) - 1u)
#define CONNECTED (ALL_STATES & ~(BIT(TCP_LISTEN) | BIT(TCP_CLOSED)))
#define BUCKET (BIT(TCP_SYN_RECEIVED) | BIT(TCP_TIME_WAIT))
static const struct {
	const char *name;
	uint16_t mask;
} state_groups[] = {
	{"all", ALL_STATES},
	{"connected", CONNECTED},
	{"synchronized", CONNECTED & ~BIT(TCP_SYN_SENT)},
	{"bucket", BUCKET},
	{"big", ALL_STATES & ~BUCKET},
};

enum { OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE };
static const struct {
	const char *a, *b;
} ops[] = {
	[OP_EQ] = {"=", "eq"}, [OP_NE] = {"!=", "ne"}, [OP_LT] = {"<", "lt"},
	[OP_GT] = {">", "gt"}, [OP_LE] = {"<=", "le"}, [OP_GE] = {">=", "ge"},
};

struct port_filter {
	uint8_t dst;   /* 0 sport, 1 dport */
	uint8_t op;
	uint16_t port;
};

static struct {
	uint16_t states;
	bool info;
	bool mem;        /* -m: skmem */
	uint8_t nports;
	struct port_filter ports[SS_MAX_PORT_FILTERS];
	unsigned slot;   /* next tcp_conn_info index */
} ss;

static bool port_ok(const struct port_filter *f, uint16_t p)
{
	switch (f->op) {
	case OP_EQ: return p == f->port;
	case OP_NE: return p != f->port;
	case OP_LT: return p < f->port;
	case OP_GT: return p > f->port;
	case OP_LE: return p <= f->port;
	default: return p >= f->port;
	}
}

static bool wanted(const struct tcp_conn_info *ci)
{
	if (ci->state >= TCP_NSTATES || !(ss.states & BIT(ci->state)))
		return false;
	for (unsigned i = 0; i < ss.nports; i++)
		if (!port_ok(&ss.ports[i], ss.ports[i].dst ? ci->rport : ci->lport))
			return false;
	return true;
}

/* "1.250s" from milliseconds (negative: due now). */
static void fmt_secs(char *out, size_t cap, int32_t ms)
{
	uint32_t v = ms < 0 ? 0u : (uint32_t)ms;
	fmt_snprintf(out, cap, "%lu.%03lus", (unsigned long)(v / 1000u), (unsigned long)(v % 1000u));
}

static void print_row(const struct tcp_conn_info *ci)
{
	char a[FMT_IP_LEN], l[24], p[24];
	fmt_snprintf(l, sizeof(l), "%s:%u", fmt_ip(a, ci->laddr), (unsigned)ci->lport);
	if (ci->kind == TCP_CONN_LISTENER)
		fmt_snprintf(p, sizeof(p), "0.0.0.0:*");
	else
		fmt_snprintf(p, sizeof(p), "%s:%u", fmt_ip(a, ci->raddr), (unsigned)ci->rport);
	con_printf("%-11s %-6lu %-6lu %-22s %s\n", ss_names[ci->state], (unsigned long)ci->recv_q,
		   (unsigned long)ci->send_q, l, p);
#ifdef TCP_CONN_INFO_HAS_SKMEM
	/* Linux's skmem:(r<rmem_alloc>,rb<rcvbuf>,t<wmem_alloc>,tb<sndbuf>,
	 * f<fwd_alloc>,w<wmem_queued>,o<opt_mem>,bl<backlog>,d<drops>): bytes
	 * of chunks held.  keel frees a sent segment's frame at once (t 0),
	 * keeps no forward allocation, options memory or backlog (f, o, bl 0). */
	if (ss.mem && ci->kind == TCP_CONN_TCB)
		con_printf("\t skmem:(r%lu,rb%lu,t0,tb%lu,f0,w%lu,o0,bl0,d%lu)\n",
			   (unsigned long)ci->rmem_alloc, (unsigned long)ci->rcvbuf,
			   (unsigned long)ci->sndbuf, (unsigned long)ci->wmem_queued,
			   (unsigned long)ci->drops);
#endif
	if (!ss.info || ci->kind == TCP_CONN_LISTENER)
		return;
	char t[16];
	con_puts("\t");
#ifdef TCP_CONN_INFO_HAS_OPTS   /* Linux's order: ts sack ... wscale:snd,rcv */
	if (ci->opts & TCP_CONN_OPT_TS)
		con_puts(" ts");
	if (ci->opts & TCP_CONN_OPT_SACK)
		con_puts(" sack");
	if (ci->opts & TCP_CONN_OPT_WSCALE)
		con_printf(" wscale:%u,%u", (unsigned)ci->snd_wscale, (unsigned)ci->rcv_wscale);
#endif
	con_printf(" rto:%lu", (unsigned long)ci->rto_ms);
#ifdef TCP_CONN_INFO_HAS_SRTT   /* stack/tcp/tcp_stats.h: srtt_ms, rttvar_ms */
	con_printf(" rtt:%lu/%lu", (unsigned long)ci->srtt_ms, (unsigned long)ci->rttvar_ms);
#endif
#ifdef TCP_CONN_INFO_HAS_CWND   /* ... mss, cwnd, ssthresh, total_retrans */
	con_printf(" mss:%u cwnd:%lu", (unsigned)ci->mss, (unsigned long)ci->cwnd);
	if (ci->ssthresh != 0x7fffffffu)
		con_printf(" ssthresh:%lu", (unsigned long)ci->ssthresh);
	con_printf(" retrans:%u/%lu", (unsigned)ci->retransmits, (unsigned long)ci->total_retrans);
#else
	con_printf(" retrans:%u", (unsigned)ci->retransmits);
#endif
	if (ci->timer != TCP_TIMER_NONE) {
		/* ss -o's names: "on" a retransmit timer, "timewait" the
		 * TIME_WAIT and FIN_WAIT_2 timers, "persist", "keepalive". */
		const char *name = "on";
		if (ci->timer == TCP_TIMER_TIME_WAIT || ci->timer == TCP_TIMER_FIN_WAIT2)
			name = "timewait";
#ifdef TCP_CONN_INFO_HAS_SRTT   /* came with the persist and keepalive timers */
		else if (ci->timer == TCP_TIMER_PERSIST)
			name = "persist";
		else if (ci->timer == TCP_TIMER_KEEPALIVE)
			name = "keepalive";
#endif
		fmt_secs(t, sizeof(t), ci->timer_ms);
		con_printf(" timer:(%s,%s,%u)", name, t, (unsigned)ci->retransmits);
	}
	con_puts(ci->orphan ? " orphan\n" : "\n");
}

#define SS_SKIP 512u   /* slots looked at per row call */

static bool ss_row(void *ctx, unsigned row)
{
	(void)ctx;
	if (row == 0) {
		con_puts("State       Recv-Q Send-Q Local Address:Port     Peer Address:Port\n");
		return true;
	}
	const struct keel *k = fw_stack();
	struct tcp_conn_info ci;
	/* Skips free and filtered slots, SS_SKIP at most per call: with
	 * tens of thousands of slots a call that finds nothing prints
	 * nothing and the listing goes on next pass, never stalling the
	 * network for a whole table. */
	for (unsigned n = 0; n < SS_SKIP; n++) {
		int r = keel_tcp_conn_info(k, ss.slot++, &ci);
		if (r == KEEL_EINVAL)
			return false;
		if (r == 0 && wanted(&ci)) {
			print_row(&ci);
			return true;
		}
	}
	return true;
}

static int op_of(const char *s)
{
	if (strcmp(s, "==") == 0)
		return OP_EQ;
	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(s, ops[i].a) == 0 || strcmp(s, ops[i].b) == 0)
			return (int)i;
	return -1;
}

static int parse_port(const char *s, uint16_t *port)
{
	uint32_t v;
	if (*s == ':')
		s++;
	if (parse_u32(s, &v) != 0 || v > 65535u)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int bad(const char *what, const char *arg)
{
	con_printf("ss: %s '%s'\n", what, arg ? arg : "");
	cmd_usage(cmd_find("ss"));
	return -1;
}

static int ss_cmd(int argc, char **argv)
{
	uint16_t states = 0;
	memset(&ss, 0, sizeof(ss));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] && a[1] != '-') {
			for (const char *f = a + 1; *f; f++) {
				if (*f == 'a')
					states |= ALL_STATES;
				else if (*f == 'l')
					states |= BIT(TCP_LISTEN);
				else if (*f == 'i' || *f == 'o' || *f == 'e')
					ss.info = true;
				else if (*f == 'm')
					ss.mem = true;
				else if (*f != 't' && *f != 'n' && *f != '4')
					return bad("unknown option", a);
			}
		} else if (strcmp(a, "state") == 0) {
			if (++i >= argc)
				return bad("state needs a name", NULL);
			uint16_t m = 0;
			for (unsigned s = 0; s < TCP_NSTATES; s++)
				if (strcmp(argv[i], filter_names[s]) == 0)
					m = (uint16_t)BIT(s);
			for (unsigned g = 0; !m && g < sizeof(state_groups) / sizeof(state_groups[0]); g++)
				if (strcmp(argv[i], state_groups[g].name) == 0)
					m = state_groups[g].mask;
			if (!m)
				return bad("unknown state", argv[i]);
			states |= m;
		} else if (strcmp(a, "sport") == 0 || strcmp(a, "dport") == 0) {
			if (ss.nports == SS_MAX_PORT_FILTERS)
				return bad("too many port filters at", a);
			struct port_filter *pf = &ss.ports[ss.nports];
			pf->dst = a[0] == 'd';
			pf->op = OP_EQ;
			if (i + 1 < argc && op_of(argv[i + 1]) >= 0)
				pf->op = (uint8_t)op_of(argv[++i]);
			if (++i >= argc || parse_port(argv[i], &pf->port) != 0)
				return bad("bad port in filter after", a);
			ss.nports++;
		} else if (strcmp(a, "(") == 0 || strcmp(a, ")") == 0 || strcmp(a, "and") == 0 ||
			   strcmp(a, "&&") == 0 || strcmp(a, "--") == 0) {
			continue;   /* filters are always ANDed */
		} else {
			return bad("cannot parse", a);
		}
	}
	ss.states = states ? states : CONNECTED;
	console_stream(ss_row, NULL);
	return 0;
}

CMD_REGISTER(ss, "ss",
	     "[-a|-l] [-i] [-m] [state NAME]... [sport|dport [OP] :PORT]...",
	     "connection table like ss -tan; default all but listening", ss_cmd);
