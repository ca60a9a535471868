/* The history ring (history.h): recording, reading, counter deltas. */
#include <string.h>
#include "history.h"

const char *const hist_rate_names[HIST_NRATES] = {
	[HIST_PASSIVE_OPENS] = "PassiveOpens", [HIST_LISTEN_DROPS] = "ListenDrops",
	[HIST_SYNCOOKIES_SENT] = "SyncookiesSent", [HIST_RETRANS_SEGS] = "RetransSegs",
	[HIST_IN_SEGS] = "InSegs", [HIST_OUT_SEGS] = "OutSegs",
	[HIST_TW_OVERFLOW] = "TCPTimeWaitOverflow",
};

const uint8_t hist_pools[HIST_NPOOLS] = {
	KEEL_POOL_TCB, KEEL_POOL_SYN_QUEUE, KEEL_POOL_TIME_WAIT, KEEL_POOL_LISTEN, KEEL_POOL_CHUNKS,
};
/* keel_pool_info's names, for formatters that run without a stack */
const char *const hist_pool_names[HIST_NPOOLS] = {
	"tcb", "syn_queue", "time_wait", "listeners", "chunks",
};

void history_init(struct history *h, uint32_t now_ms, uint32_t period_ms)
{
	memset(h, 0, sizeof(*h));
	h->period_ms = period_ms ? period_ms : 1;
	h->t0_ms = now_ms + h->period_ms;   /* counters start at 0 with the stack */
}

uint32_t history_time_ms(const struct history *h, uint32_t n)
{
	return h->t0_ms + n * h->period_ms;
}

int history_due(const struct history *h, uint32_t now_ms)
{
	return (int32_t)(now_ms - history_time_ms(h, h->taken)) >= 0;
}

uint32_t history_delta(uint32_t last, uint32_t now)
{
	return now >= last ? now - last : now;
}

static hist_count_t count(uint16_t v)
{
#if HIST_COUNT_MAX < 0xffffu
	if (v > HIST_COUNT_MAX)
		return (hist_count_t)HIST_COUNT_MAX;
#endif
	return (hist_count_t)v;
}

void history_record(struct history *h, uint32_t now_ms, const struct hist_input *in)
{
	struct hist_sample s;
	for (unsigned i = 0; i < HIST_NSTATES; i++)
		s.state[i] = count(in->states[HIST_STATE0 + i]);
	for (unsigned i = 0; i < HIST_NPOOLS; i++)
		s.pool[i] = count(in->pools[i]);
	memset(s.rate, 0, sizeof(s.rate));
	/* Periods gone by unsampled (now_ms past the end of the next one):
	 * the same levels, no increase; bounded by the ring's depth. */
	for (unsigned gap = 0; gap < KEEL_HISTORY_DEPTH &&
	     (int32_t)(now_ms - history_time_ms(h, h->taken + 1)) >= 0; gap++)
		h->ring[h->taken++ % KEEL_HISTORY_DEPTH] = s;
	if ((int32_t)(now_ms - history_time_ms(h, h->taken + 1)) >= 0)   /* longer still */
		h->taken = (now_ms - h->t0_ms) / h->period_ms;
	for (unsigned i = 0; i < HIST_NRATES; i++) {
		uint32_t d = history_delta(h->last[i], in->counters[i]);
		s.rate[i] = (uint16_t)(d > HIST_RATE_MAX ? HIST_RATE_MAX : d);
		h->last[i] = in->counters[i];
	}
	h->ring[h->taken++ % KEEL_HISTORY_DEPTH] = s;
}

uint32_t history_end(const struct history *h)
{
	return h->taken;
}

uint32_t history_first(const struct history *h)
{
	return h->taken > KEEL_HISTORY_DEPTH ? h->taken - KEEL_HISTORY_DEPTH : 0;
}

const struct hist_sample *history_get(const struct history *h, uint32_t n)
{
	if (n >= h->taken || n < history_first(h))
		return NULL;
	return &h->ring[n % KEEL_HISTORY_DEPTH];
}
