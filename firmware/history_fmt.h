/* The history ring as text: /history.json and /history.csv a sample per
 * row, and the console's sparklines.  Each formatter writes one row into
 * buf and returns its length, or 0 when it does not fit in cap (nothing
 * usable is left in buf then) or the sample is no longer kept.  Pure. */
#ifndef KEEL_HISTORY_FMT_H
#define KEEL_HISTORY_FMT_H
#include <stddef.h>
#include <stdint.h>
#include "history.h"

/* JSON: {"period_ms":1000,"depth":60,"now_ms":...,"first":F,"states":[...],
 * "pools":[...],"pool_sizes":[...],"rates":[...],"samples":[
 * then one {"n":..,"t_ms":..,"s":[states],"p":[pools],"r":[rates]} per
 * sample, oldest first, then the tail "\n]}\n". */
size_t hist_json_head(char *buf, size_t cap, const struct history *h, uint32_t first,
		      uint32_t now_ms, const uint16_t pool_sizes[HIST_NPOOLS]);
size_t hist_json_sample(char *buf, size_t cap, const struct history *h, uint32_t n, int comma);
size_t hist_json_tail(char *buf, size_t cap);

/* CSV (RFC 4180): a header line t_ms,LISTEN,...,pool_tcb,...,PassiveOpens,...
 * then one line per sample. */
size_t hist_csv_head(char *buf, size_t cap);
size_t hist_csv_sample(char *buf, size_t cap, const struct history *h, uint32_t n);

/* A sparkline of v[0..n) (oldest first) scaled to 0..max: 0 is a space,
 * anything above it at least the lowest block.  Unicode blocks U+2581..
 * U+2588 (3 bytes each), or with ascii the ladder ".:-=+*#@".  Returns the
 * bytes written (and NUL-terminates), 0 if it does not fit. */
size_t spark_line(char *buf, size_t cap, const uint16_t *v, size_t n, uint32_t max, int ascii);
#endif
