/* Connection life over time: a ring of one sample per KEEL_HISTORY_PERIOD_MS
 * -- connections per TCP state, the pools' levels and the per-period
 * deltas of a few counters -- so the status page, /history.json,
 * /history.csv and the console's `spark` show the shape of a SYN flood or
 * a TIME_WAIT storm, also after it is over.  The study watches the same
 * numbers with `watch -n 0.6 'netstat -t | grep TIME_WAIT | wc -l'`.
 *
 * Sample n (counted from boot) stands for the period ending at
 * t0 + n * period; times are exact because a late sampler fills the
 * periods it missed (history_record).  Static memory: the ring is
 * KEEL_HISTORY_DEPTH samples of sizeof(struct hist_sample) bytes.
 *
 * Pure: the caller passes in what it read from the stack (history_fw.c
 * does, once a period), so the ring is tested on the host. */
#ifndef KEEL_HISTORY_H
#define KEEL_HISTORY_H
#include <stddef.h>
#include <stdint.h>
#include "fw_config.h"
#include <keel/config.h>
#include <keel/stats.h>
#include <keel/tcp.h>

#define HIST_NSTATES (TCP_NSTATES - 1)   /* LISTEN .. TIME_WAIT: CLOSED is never kept */
#define HIST_STATE0 1                    /* enum tcp_state of state[0] */

/* The counters whose per-period deltas are kept, by Linux's names. */
enum hist_rate {
	HIST_PASSIVE_OPENS, HIST_LISTEN_DROPS, HIST_SYNCOOKIES_SENT, HIST_RETRANS_SEGS,
	HIST_IN_SEGS, HIST_OUT_SEGS, HIST_TW_OVERFLOW, HIST_NRATES
};
extern const char *const hist_rate_names[HIST_NRATES];

/* The pools whose levels are kept: those connections take, and the
 * chunks of the shared buffer pool their data takes. */
#define HIST_NPOOLS 5
extern const uint8_t hist_pools[HIST_NPOOLS];            /* enum keel_pool */
extern const char *const hist_pool_names[HIST_NPOOLS];

/* Counts are bytes while every pool fits one (lm3s6965evb's 64 KiB):
 * a sample is then 30 bytes instead of 44.  Larger counts saturate. */
#if KEEL_TCP_MAX_CONN <= 255 && KEEL_SYN_BACKLOG <= 255 && KEEL_TW_MAX <= 255 && \
	KEEL_TCP_MAX_LISTEN <= 255 && KEEL_CHUNK_ARENA / KEEL_CHUNK_SIZE <= 255
typedef uint8_t hist_count_t;
#define HIST_COUNT_MAX 0xffu
#else
typedef uint16_t hist_count_t;
#define HIST_COUNT_MAX 0xffffu
#endif
#define HIST_RATE_MAX 0xffffu            /* a delta saturates here */

struct hist_sample {
	hist_count_t state[HIST_NSTATES];    /* connections in state HIST_STATE0 + i */
	hist_count_t pool[HIST_NPOOLS];       /* entries in use, hist_pools order */
	uint16_t rate[HIST_NRATES];          /* counter increase over the period */
};

/* What the sampler read this period. */
struct hist_input {
	uint16_t states[TCP_NSTATES];        /* keel_tcp_state_counts */
	uint16_t pools[HIST_NPOOLS];          /* in use, hist_pools order */
	uint32_t counters[HIST_NRATES];      /* raw running counts */
};

struct history {
	struct hist_sample ring[KEEL_HISTORY_DEPTH];
	uint32_t last[HIST_NRATES];   /* raw counts at the previous sample */
	uint32_t taken;               /* samples so far: the next one's number */
	uint32_t t0_ms;               /* sample 0's time */
	uint32_t period_ms;
};

void history_init(struct history *h, uint32_t now_ms, uint32_t period_ms);
/* Nonzero when a sample is due. */
int history_due(const struct history *h, uint32_t now_ms);
/* Records in as the sample of the period that just ended.  If whole
 * periods went by unsampled, they are filled with the same levels and no
 * counter increase (the whole increase goes to the newest sample); at most
 * KEEL_HISTORY_DEPTH of them. */
void history_record(struct history *h, uint32_t now_ms, const struct hist_input *in);
/* The samples kept are numbered history_first .. history_end - 1. */
uint32_t history_first(const struct history *h);
uint32_t history_end(const struct history *h);
/* Sample n, or NULL if it is not (or no longer) kept. */
const struct hist_sample *history_get(const struct history *h, uint32_t n);
/* The time sample n stands for (the end of its period). */
uint32_t history_time_ms(const struct history *h, uint32_t n);
/* The increase of a counter from last to now; a count below last was
 * reset (reset-counters) and has counted `now` since. */
uint32_t history_delta(uint32_t last, uint32_t now);
#endif
