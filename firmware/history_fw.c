/* The firmware's history ring: what it samples from the stack, and when. */
#include "history_fw.h"
#include "keel.h"
#include "tcp_stats.h"

static struct history hist;

void history_fw_init(uint32_t now_ms)
{
	history_init(&hist, now_ms, KEEL_HISTORY_PERIOD_MS);
}

void history_fw_poll(const struct keel *k, uint32_t now_ms)
{
	if (!history_due(&hist, now_ms))
		return;
	struct hist_input in;
	tcp_state_counts(k, in.states);
	for (unsigned p = 0; p < TCP_NPOOLS; p++) {
		struct keel_pool_usage u;
		tcp_pool_get(k, (enum tcp_pool)p, &u);
		in.pools[p] = u.in_use;
	}
	const struct tcp_mib *m = tcp_get_mib(k);
	in.counters[HIST_PASSIVE_OPENS] = m->passive_opens;
	in.counters[HIST_LISTEN_DROPS] = m->listen_drops;
	in.counters[HIST_SYNCOOKIES_SENT] = m->syncookies_sent;
	in.counters[HIST_RETRANS_SEGS] = m->retrans_segs;
	in.counters[HIST_IN_SEGS] = m->in_segs;
	in.counters[HIST_OUT_SEGS] = m->out_segs;
	in.counters[HIST_TW_OVERFLOW] = m->tw_overflow;
	history_record(&hist, now_ms, &in);
}

const struct history *history_fw(void)
{
	return &hist;
}

void history_fw_pool_sizes(const struct keel *k, uint16_t sizes[TCP_NPOOLS])
{
	for (unsigned p = 0; p < TCP_NPOOLS; p++) {
		struct keel_pool_usage u;
		tcp_pool_get(k, (enum tcp_pool)p, &u);
		sizes[p] = u.size;
	}
}
