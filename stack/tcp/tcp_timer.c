/* tcp_tick: every TCP timer runs from here, with k->now_ms set.  TCBs and
 * SYN-queue entries are nodes of the timer wheel (tcp_wheel.c), TIME_WAIT
 * entries an age-ordered list (tcp_timewait.c): a tick touches only what
 * is due, within a budget, whatever the number of connections.  Deadlines
 * are compared with a signed difference so the 32-bit clock may wrap. */
#include "tcp_internal.h"

/* Retries before giving up: tcp_syn_retries for SYN, tcp_synack_retries
 * for a simultaneous-open SYN-ACK, tcp_retries2 for data and FIN,
 * tcp_orphan_retries (Linux's 0 means 8) once the app has closed. */
static unsigned retry_limit(const struct keel *k, const struct tcp_tcb *t)
{
	if (t->state == TCP_SYN_SENT)
		return k->tcp.sysctl.tcp_syn_retries;
	if (t->state == TCP_SYN_RECEIVED)
		return k->tcp.sysctl.tcp_synack_retries;
	if (t->flags & TCB_F_ORPHAN)
		return TCP_ORPHAN_RETRIES;
	return TCP_RETRIES2;
}

static int synchronized(const struct tcp_tcb *t)
{
	return t->state != TCP_SYN_SENT && t->state != TCP_SYN_RECEIVED && t->state != TCP_CLOSED;
}

static void give_up(struct keel *k, struct tcp_tcb *t)
{
	k->tcp.mib.abort_on_timeout++;
	tcb_done(k, t, KEEL_ETIMEDOUT);
}

/* Retransmit timer: RFC 6298 §5.4-5.6 (retransmit, back off, restart).
 * Gives up after retry_limit expiries without progress -- except while
 * the peer holds a zero window and still answers: those retransmissions
 * are window probes, and the connection lives as long as ACKs come back
 * within TCP_RTO_MAX (Linux tcp_retransmit_timer). */
static void rtx_expired(struct keel *k, struct tcp_tcb *t)
{
	if (t->flight == TCP_NONE && !tcb_syn_unacked(t)) {
		/* Nothing sent is outstanding: a FIN waiting for a flight
		 * entry (tcp_output.c output_data) tries again; no backoff,
		 * no retry counted -- nothing was lost. */
		tcb_timer_stop(t, TCB_T_RTX);
		tcp_output(k, t);
		return;
	}
	if (t->mflags & SB_TLP_ARMED) {
		tcp_tlp_fire(k, t);           /* a probe timeout, not an RTO (RFC 8985 §7.3) */
		return;
	}
	int zero_wnd = t->snd_wnd == 0 && synchronized(t) && !(t->flags & TCB_F_ORPHAN);
	if (zero_wnd) {
		if (k->now_ms - t->rcv_ms > TCP_RTO_MAX_MS) {
			give_up(k, t);
			return;
		}
	} else if (t->retries >= retry_limit(k, t)) {
		give_up(k, t);
		return;
	}
	if (t->retries < 255)
		t->retries++;
	k->tcp.mib.timeouts++;                /* the RTO doubles with retries (tcb_rto) */
	tcp_retransmit(k, t);
	if (t->dflags & TCB_D_PERSIST)
		return;                       /* a zero window: the persist timer took over */
	tcp_rtx_arm(k, t);
}

/* Persist timer (RFC 9293 §3.8.6.1, RFC 1122 §4.2.2.17): probes back off
 * like the RTO; the connection is dropped only after tcp_retries2 probes
 * in a row got no ACK at all (Linux tcp_probe_timer).  An orphan has no
 * reader to wait for: it goes after tcp_orphan_retries unanswered probes,
 * or as soon as the probe interval has backed off to TCP_RTO_MAX even if
 * the peer answers every probe (Linux: !alive), so a peer holding its
 * window at zero cannot keep closed connections for ever. */
static void persist_expired(struct keel *k, struct tcp_tcb *t)
{
	int orphan = (t->flags & TCB_F_ORPHAN) != 0;
	unsigned limit = orphan ? TCP_ORPHAN_RETRIES : TCP_RETRIES2;
	if (t->probes >= limit || (orphan && tcp_persist_interval(k, t) >= TCP_RTO_MAX_MS)) {
		give_up(k, t);
		return;
	}
	t->probes++;
	k->tcp.mib.win_probes++;
	tcp_persist_fire(k, t);
}

/* Keepalive (RFC 1122 §4.2.3.6, Linux tcp_keepalive_timer): after
 * the idle time of silence with nothing to send, a probe every interval;
 * the count unanswered -> RST and ETIMEDOUT (tcb_ka_idle_s, tcb_ka_intvl_s,
 * tcb_ka_cnt).  The deadline: tcb_ka_due. */
static void keepalive_expired(struct keel *k, struct tcp_tcb *t)
{
	if (!synchronized(t)) {
		tcb_timer_stop(t, TCB_T_KA);  /* armed again when established */
		return;
	}
	if (tcb_sndq(k, t)->len > 0 || tcb_flight(k, t) > 0 || (t->dflags & TCB_D_PERSIST)) {
		/* Other timers watch the peer.  What ends this is an ACK,
		 * which arms the keepalive again a whole idle time on
		 * (keepalive_heard): where Linux's timer, re-armed an idle
		 * time at a time, finds the idle time next elapsed. */
		tcb_timer_stop(t, TCB_T_KA);
		return;
	}
	if (t->probes >= tcb_ka_cnt(k, t)) {
		tcp_send_active_rst(k, t);
		give_up(k, t);
		return;
	}
	tcp_send_keepalive(k, t);
	k->tcp.mib.keepalive_probes++;
	t->probes++;
	tcb_keepalive_in(k, t, tcb_ka_intvl_s(k, t) * 1000u);
}

/* An orphan reaching FIN_WAIT_2 (or closed there) has tcp_fin_timeout
 * to get the peer's FIN (Linux tcp_fin_timeout): on the retransmit
 * timer, free there since all we sent is acknowledged, so no ACK or
 * anything else that arrives can put it off. */
void tcb_fin_timeout_arm(struct keel *k, struct tcp_tcb *t)
{
	tcb_timer_stop(t, TCB_T_KA);
	tcb_timer_set(k, t, TCB_T_RTX, k->now_ms + k->tcp.sysctl.tcp_fin_timeout * 1000u);
}

static int timer_due_now(const struct keel *k, const struct tcp_tcb *t, enum tcb_timer which)
{
	return tcb_timer_on(t, which) && time_due(k->now_ms, tcb_timer_due(k, t, which, k->now_ms));
}

/* Files the node again at the earliest armed deadline, if any. */
static void tcb_timer_refile(struct keel *k, struct tcp_tcb *t)
{
	uint32_t first;
	if (!tcb_timer_first(k, t, &first))
		return;
	wheel_file_lazy(k, tcb_timer_id(k, t), first);
}

/* The wheel reached t's node (already unlinked): run what is due, in the
 * order the old per-tick scan ran them, then refile. */
void tcb_timers_fire(struct keel *k, struct tcp_tcb *t)
{
	if (!(t->flags & TCB_F_USED) || t->state == TCP_CLOSED)
		return;
	if (tcb_fw2_orphan(t) && timer_due_now(k, t, TCB_T_RTX)) {
		/* Orphan in FIN_WAIT_2 for tcp_fin_timeout: gone silently
		 * (Linux's FIN_WAIT_2 timewait expiry). */
		tcb_done(k, t, KEEL_ETIMEDOUT);
		return;
	}
	if (timer_due_now(k, t, TCB_T_DACK)) {
		tcp_send_ack(k, t);                /* delayed ACK due */
		k->tcp.mib.delayed_acks++;
	}
	if (timer_due_now(k, t, TCB_T_RTX)) {
		if (t->dflags & TCB_D_PERSIST)
			persist_expired(k, t);
		else
			rtx_expired(k, t);
		if (!(t->flags & TCB_F_USED) || t->state == TCP_CLOSED)
			return;
	}
	if (t->ka != TCP_KA_OFF && timer_due_now(k, t, TCB_T_KA))
		keepalive_expired(k, t);
	if (t->flags & TCB_F_USED)
		tcb_ext_trim(k, t);                /* an RTO ends timing and the Eifel check */
	tcb_timer_refile(k, t);
}

void tcp_tick(struct keel *k)
{
	syncookie_maybe_rotate(&k->tcp.cookies, k->now_ms);
	k->tcp.synack_sent_tick = 0;
	uint16_t id;
	wheel_begin(k);
	while (wheel_expire_next(k, &id)) {
		if (id < KEEL_TCP_MAX_CONN) {
			struct tcp_tcb *t = &k->tcp.tcbs[id];
			if (!(t->flags & TCB_F_USED))
				continue;     /* a freed TCB's node, left filed (wheel_file_lazy) */
			tcb_timers_fire(k, t);
			tcb_mark_ready(k, t);
		}
		else
			synq_timer_fire(k, &k->tcp.synq[id - KEEL_TCP_MAX_CONN]);
	}
	wheel_end(k);
	if (k->tcp.pool[TCP_POOL_TIME_WAIT].in_use)
		tw_tick(k);
}

int tcp_next_deadline(struct keel *k, uint32_t *when_ms)
{
	int have = wheel_next(k, when_ms);
	uint32_t tw;
	if (tw_next_deadline(k, &tw) && (!have || (int32_t)(tw - *when_ms) < 0)) {
		*when_ms = tw;
		have = 1;
	}
	return have;
}
