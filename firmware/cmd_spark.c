/* spark [-a]: the last minute of the history ring (history.h) as one
 * sparkline per TCP state, then one per counter rate, newest on the right,
 * each line scaled to its own peak:
 *
 *   last 60 s, 1 s a column, newest right, each line scaled to its peak
 *   SYN_RECV               ▁▁██████████▇▅▃▁            now 0 peak 64
 *   TIME_WAIT                     ▃▅▇█████████████████  now 64 peak 64
 *   SyncookiesSent/s         ▂█████▇                   now 0 peak 1841
 *
 * -a draws with ASCII (".:-=+*#@") for terminals without UTF-8.  Not
 * `netstat -h`: Linux's netstat (and most tools) print help for -h, and a
 * chart is a different view from netstat's table, so it gets its own name.
 * Each line goes out as two stream rows (a UTF-8 minute is 180 bytes). */
#include <stdbool.h>
#include <string.h>
#include "cmd.h"
#include "console.h"
#include "fmt.h"
#include "history_fmt.h"
#include "history_fw.h"

#define SPARK_SPAN_MS 60000u
#define SPARK_MAX_COLS 60u     /* the most columns a line shows */
#define HALF (SPARK_MAX_COLS / 2)

static struct {
	uint32_t end;              /* one past the newest sample shown (fixed at the start) */
	uint8_t cols;
	bool ascii;
} sp;

/* One line's values, oldest first (a rate as per second), and their peak.
 * Lives on the stack while a row prints: static RAM is short on
 * lm3s6965evb. */
struct line {
	uint16_t v[SPARK_MAX_COLS];
	uint32_t peak;
};

/* Series i: the states, then the rates. */
#define NSERIES (HIST_NSTATES + HIST_NRATES)

static uint16_t value(const struct hist_sample *s, unsigned i)
{
	if (i < HIST_NSTATES)
		return s->state[i];
	uint32_t per_s = (uint32_t)s->rate[i - HIST_NSTATES] * 1000u / KEEL_HISTORY_PERIOD_MS;
	return (uint16_t)(per_s > 0xffffu ? 0xffffu : per_s);
}

/* Loads series i (samples not kept read 0). */
static void load(struct line *l, unsigned i)
{
	const struct history *h = history_fw();
	l->peak = 0;
	for (unsigned c = 0; c < sp.cols; c++) {
		uint32_t n = sp.end - sp.cols + c;
		const struct hist_sample *s = sp.end >= sp.cols - c ? history_get(h, n) : NULL;
		l->v[c] = s ? value(s, i) : 0;
		if (l->v[c] > l->peak)
			l->peak = l->v[c];
	}
}

static bool spark_row(void *ctx, unsigned row)
{
	(void)ctx;
	char text[3 * HALF + 1];
	struct line l;
	if (row == 0) {
		con_printf("last %u s, %u ms a column, newest right, each line scaled to its peak\n",
			   (unsigned)(sp.cols * KEEL_HISTORY_PERIOD_MS / 1000u),
			   (unsigned)KEEL_HISTORY_PERIOD_MS);
		return true;
	}
	row -= 1;
	if (row >= 2 * NSERIES)
		return false;
	unsigned i = row / 2, half = row % 2;
	unsigned from = half ? HALF : 0, n = half ? sp.cols - HALF : (sp.cols < HALF ? sp.cols : HALF);
	if (half && sp.cols <= HALF)
		return true;
	load(&l, i);
	if (!half) {
		char label[24];
		if (i < HIST_NSTATES)
			fmt_snprintf(label, sizeof(label), "%s", keel_tcp_state_name((enum tcp_state)(HIST_STATE0 + i)));
		else
			fmt_snprintf(label, sizeof(label), "%s/s", hist_rate_names[i - HIST_NSTATES]);
		con_printf("%-22s ", label);
	}
	spark_line(text, sizeof(text), l.v + from, n, l.peak, sp.ascii);
	con_puts(text);
	if (half || sp.cols <= HALF)
		con_printf("  now %u peak %lu\n", (unsigned)l.v[sp.cols - 1], (unsigned long)l.peak);
	return true;
}

static int spark(int argc, char **argv)
{
	sp.ascii = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-a") != 0) {
			con_puts("usage: spark [-a]\n");
			return -1;
		}
		sp.ascii = true;
	}
	const struct history *h = history_fw();
	uint32_t want = SPARK_SPAN_MS / KEEL_HISTORY_PERIOD_MS;
	if (want > SPARK_MAX_COLS)
		want = SPARK_MAX_COLS;
	if (want > KEEL_HISTORY_DEPTH)
		want = KEEL_HISTORY_DEPTH;
	sp.cols = (uint8_t)want;
	sp.end = history_end(h);
	console_stream(spark_row, NULL);
	return 0;
}

CMD_REGISTER(spark, "spark", "[-a]",
	     "the last minute per TCP state and counter rate as sparklines (-a: ASCII)", spark);
