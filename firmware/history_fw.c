/* The firmware's history ring: what it samples from the stack, and when. */
#include <string.h>
#include "history_fw.h"
#include <keel/keel.h>
#include <keel/stats.h>

static struct history hist;

/* The counters of hist_rate_names, by their place in keel_counter_get's
 * list (found once, at init: the list is fixed at build time). */
static const char *const rate_groups[HIST_NRATES] = {
	[HIST_PASSIVE_OPENS] = "Tcp", [HIST_LISTEN_DROPS] = "TcpExt",
	[HIST_SYNCOOKIES_SENT] = "TcpExt", [HIST_RETRANS_SEGS] = "Tcp", [HIST_IN_SEGS] = "Tcp",
	[HIST_OUT_SEGS] = "Tcp", [HIST_TW_OVERFLOW] = "TcpExt",
};
#define NO_COUNTER 0xffffu
static uint16_t rate_index[HIST_NRATES];

void history_fw_init(const struct keel *k, uint32_t now_ms)
{
	history_init(&hist, now_ms, KEEL_HISTORY_PERIOD_MS);
	size_t n = keel_counter_count();
	for (unsigned r = 0; r < HIST_NRATES; r++) {
		rate_index[r] = NO_COUNTER;
		for (size_t i = 0; i < n && i < NO_COUNTER; i++) {
			struct keel_counter c;
			if (keel_counter_get(k, i, &c) == 0 && strcmp(c.group, rate_groups[r]) == 0 &&
			    strcmp(c.name, hist_rate_names[r]) == 0) {
				rate_index[r] = (uint16_t)i;
				break;
			}
		}
	}
}

void history_fw_poll(const struct keel *k, uint32_t now_ms)
{
	if (!history_due(&hist, now_ms))
		return;
	struct hist_input in;
	keel_tcp_state_counts(k, in.states);
	for (unsigned p = 0; p < HIST_NPOOLS; p++) {
		struct keel_pool_info u;
		in.pools[p] = keel_pool_get(k, hist_pools[p], &u) == 0 ? u.in_use : 0;
	}
	for (unsigned r = 0; r < HIST_NRATES; r++) {
		struct keel_counter c;
		in.counters[r] = rate_index[r] != NO_COUNTER &&
				 keel_counter_get(k, rate_index[r], &c) == 0 ? c.value : 0;
	}
	history_record(&hist, now_ms, &in);
}

const struct history *history_fw(void)
{
	return &hist;
}

void history_fw_pool_sizes(const struct keel *k, uint16_t sizes[HIST_NPOOLS])
{
	for (unsigned p = 0; p < HIST_NPOOLS; p++) {
		struct keel_pool_info u;
		sizes[p] = keel_pool_get(k, hist_pools[p], &u) == 0 ? u.size : 0;
	}
}
