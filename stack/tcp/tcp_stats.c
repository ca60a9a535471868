/* What TCP reports: counters, pool use, per-state counts, the `ss` rows,
 * and the names the console prints. */
#include <string.h>
#include "tcp_internal.h"

const struct tcp_mib *tcp_get_mib(const struct keel *k)
{
	return &k->tcp.mib;
}

void tcp_pool_get(const struct keel *k, enum tcp_pool pool, struct keel_pool_usage *out)
{
	if ((unsigned)pool >= TCP_NPOOLS) {
		memset(out, 0, sizeof(*out));
		return;
	}
	*out = k->tcp.pool[pool];
}

void keel_tcp_state_counts(const struct keel *k, uint16_t counts[TCP_NSTATES])
{
	memcpy(counts, k->tcp.tcb_states, sizeof(uint16_t) * TCP_NSTATES);
	counts[TCP_LISTEN] = (uint16_t)(counts[TCP_LISTEN] + k->tcp.pool[TCP_POOL_LISTEN].in_use);
	counts[TCP_SYN_RECEIVED] = (uint16_t)(counts[TCP_SYN_RECEIVED] + k->tcp.pool[TCP_POOL_SYN_QUEUE].in_use);
	counts[TCP_TIME_WAIT] = (uint16_t)(counts[TCP_TIME_WAIT] + k->tcp.pool[TCP_POOL_TIME_WAIT].in_use);
}

uint32_t keel_tcp_curr_estab(const struct keel *k)
{
	uint16_t c[TCP_NSTATES];
	keel_tcp_state_counts(k, c);
	return (uint32_t)c[TCP_ESTABLISHED] + c[TCP_CLOSE_WAIT];
}

const char *keel_tcp_state_name(enum tcp_state s)
{
	/* netstat's names (Linux tcp_states.h order is different). */
	static const char *const names[TCP_NSTATES] = {
		[TCP_CLOSED] = "CLOSE",        [TCP_LISTEN] = "LISTEN",
		[TCP_SYN_SENT] = "SYN_SENT",   [TCP_SYN_RECEIVED] = "SYN_RECV",
		[TCP_ESTABLISHED] = "ESTABLISHED", [TCP_FIN_WAIT_1] = "FIN_WAIT1",
		[TCP_FIN_WAIT_2] = "FIN_WAIT2", [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
		[TCP_CLOSING] = "CLOSING",     [TCP_LAST_ACK] = "LAST_ACK",
		[TCP_TIME_WAIT] = "TIME_WAIT",
	};
	return (unsigned)s < TCP_NSTATES ? names[s] : "?";
}

const char *keel_strerror(int err)
{
	switch (err) {
	case KEEL_OK: return "ok";
	case KEEL_EWOULDBLOCK: return "would block";
	case KEEL_ECONNREFUSED: return "connection refused";
	case KEEL_ECONNRESET: return "connection reset by peer";
	case KEEL_ETIMEDOUT: return "timed out";
	case KEEL_EPIPE: return "broken pipe";
	case KEEL_ENOMEM: return "no memory";
	case KEEL_EINVAL: return "invalid argument";
	case KEEL_EBADF: return "bad handle";
	case KEEL_EADDRINUSE: return "address in use";
	case KEEL_ENOTCONN: return "not connected";
	case KEEL_EINPROGRESS: return "in progress";
	case KEEL_ECONNABORTED: return "connection aborted";
	case KEEL_EMSGSIZE: return "message too long";
	case KEEL_EHOSTUNREACH: return "no route to host";
	case KEEL_ENOENT: return "name not found";
	case KEEL_EPROTO: return "protocol error";
	default: return "unknown error";
	}
}

static int32_t until(const struct keel *k, uint32_t deadline)
{
	return (int32_t)(deadline - k->now_ms);
}

int keel_tcp_conn_info(const struct keel *k, unsigned index, struct tcp_conn_info *out)
{
	const struct tcp_stack *ts = &k->tcp;
	memset(out, 0, sizeof(*out));
	if (index < KEEL_TCP_MAX_LISTEN) {
		const struct tcp_listener *l = &ts->listeners[index];
		if (!l->used)
			return KEEL_EWOULDBLOCK;
		out->kind = TCP_CONN_LISTENER;
		out->state = TCP_LISTEN;
		out->laddr = k->ifc.addr;
		out->lport = l->port;
		out->recv_q = l->acceptq_len;
		out->send_q = l->backlog;
		return 0;
	}
	index -= KEEL_TCP_MAX_LISTEN;
	if (index < KEEL_TCP_MAX_CONN) {
		const struct tcp_tcb *t = &ts->tcbs[index];
		if (!(t->flags & TCB_F_USED))
			return KEEL_EWOULDBLOCK;
		out->kind = TCP_CONN_TCB;
		out->state = t->state;
		out->orphan = (t->flags & TCB_F_ORPHAN) != 0;
		out->retransmits = t->retries;
		out->laddr = k->ifc.addr;         /* every TCB's (tcp_tcb.h) */
		out->raddr = t->raddr;
		out->lport = t->lport;
		out->rport = t->rport;
		out->recv_q = tcb_rcvq(k, t)->len;
		out->send_q = tcb_sndq(k, t)->len;
		out->rmem_alloc = (uint32_t)chunkq_chunks(tcb_rcvq(k, t)) * CHUNK_SIZE;
		out->rcvbuf = t->rcv_budget;
		out->wmem_queued = (uint32_t)chunkq_chunks(tcb_sndq(k, t)) * CHUNK_SIZE;
		out->sndbuf = t->snd_budget;
		out->drops = t->rcv_drops;
		out->rto_ms = tcb_rto(t);
		out->srtt_ms = t->srtt8 >> 3;
		out->rttvar_ms = t->rttvar4 >> 2;
		out->cwnd = t->cwnd;
		out->ssthresh = t->ssthresh == TCP_SSTHRESH_INF ? 0x7fffffffu : t->ssthresh;
		out->snd_wnd = tcb_snd_wnd(t);
		out->rcv_wnd = t->rcv_adv;
		out->mss = t->snd_mss;
		out->total_retrans = t->total_retrans;
		out->opts = (uint8_t)(((t->opt.on & TCP_OPTF_TS) ? TCP_CONN_OPT_TS : 0u) |
				      ((t->opt.on & TCP_OPTF_SACKOK) ? TCP_CONN_OPT_SACK : 0u) |
				      ((t->opt.on & TCP_OPTF_WSCALE) ? TCP_CONN_OPT_WSCALE : 0u));
		out->snd_wscale = (uint8_t)tcp_snd_shift(&t->opt);
		out->rcv_wscale = (uint8_t)tcp_rcv_shift(&t->opt);
		if (tcb_timer_on(t, TCB_T_RTX) && tcb_fw2_orphan(t)) {
			out->timer = TCP_TIMER_FIN_WAIT2;
			out->timer_ms = until(k, t->rtx_due);
		} else if (tcb_timer_on(t, TCB_T_RTX)) {
			out->timer = (t->dflags & TCB_D_PERSIST) ? TCP_TIMER_PERSIST : TCP_TIMER_RETRANS;
			out->timer_ms = until(k, t->rtx_due);
		} else if (tcb_timer_on(t, TCB_T_DACK)) {
			out->timer = TCP_TIMER_DELACK;
			out->timer_ms = until(k, tcb_timer_due(k, t, TCB_T_DACK, k->now_ms));
		} else if (tcb_timer_on(t, TCB_T_KA) && t->ka != TCP_KA_OFF) {
			out->timer = TCP_TIMER_KEEPALIVE;
			out->timer_ms = until(k, tcb_ka_due(k, t));
		}
		return 0;
	}
	index -= KEEL_TCP_MAX_CONN;
	if (index < KEEL_SYN_BACKLOG) {
		const struct tcp_synq_entry *e = &ts->synq[index];
		if (!(e->flags & SYNQ_F_USED))
			return KEEL_EWOULDBLOCK;
		out->kind = TCP_CONN_HALF_OPEN;
		out->state = TCP_SYN_RECEIVED;
		out->retransmits = e->retries;
		out->laddr = e->laddr;
		out->raddr = e->raddr;
		out->lport = e->lport;
		out->rport = e->rport;
		out->rto_ms = TCP_RTO_INIT_MS << (e->retries < 16 ? e->retries : 16);
		out->timer = TCP_TIMER_SYNACK;
		out->timer_ms = until(k, e->due);
		return 0;
	}
	index -= KEEL_SYN_BACKLOG;
	if (index < KEEL_TW_MAX) {
		const struct tcp_tw_entry *w = &ts->tw[index];
		if (!tw_used(w))
			return KEEL_EWOULDBLOCK;
		out->kind = TCP_CONN_TIME_WAIT;
		out->state = TCP_TIME_WAIT;
		out->laddr = k->ifc.addr;
		out->raddr = w->raddr;
		out->lport = w->lport;
		out->rport = w->rport;
		out->timer = TCP_TIMER_TIME_WAIT;
		out->timer_ms = until(k, tw_deadline(k, w));
		return 0;
	}
	return KEEL_EINVAL;
}
