/* The firmware's history ring (history.h), sampled from the running stack
 * by the main loop. */
#ifndef KEEL_HISTORY_FW_H
#define KEEL_HISTORY_FW_H
#include <stdint.h>
#include "history.h"

struct keel;

/* Finds the counters it samples (once). */
void history_fw_init(const struct keel *k, uint32_t now_ms);
/* Called every main-loop pass: takes a sample when one is due (a state
 * count, the pools and seven counters: bounded work, once a period). */
void history_fw_poll(const struct keel *k, uint32_t now_ms);
const struct history *history_fw(void);
/* The pools' sizes, for the scales of charts. */
void history_fw_pool_sizes(const struct keel *k, uint16_t sizes[HIST_NPOOLS]);
#endif
