/* The history ring as JSON, CSV and sparklines (history_fmt.h). */
#include <stdarg.h>
#include "fmt.h"
#include "history_fmt.h"

/* Appends to buf at *len; sets *len past cap when it does not fit. */
static void add(char *buf, size_t cap, size_t *len, const char *f, ...)
	__attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t cap, size_t *len, const char *f, ...)
{
	if (*len >= cap)
		return;
	va_list ap;
	va_start(ap, f);
	size_t n = fmt_vsnprintf(buf + *len, cap - *len, f, ap);
	va_end(ap);
	*len = n < cap - *len ? *len + n : cap;   /* cap: it did not fit (NUL included) */
}

static size_t done(size_t len, size_t cap)
{
	return len < cap ? len : 0;
}

static void add_names(char *buf, size_t cap, size_t *len, const char *key,
		      const char *const *names, unsigned n)
{
	add(buf, cap, len, "\"%s\":[", key);
	for (unsigned i = 0; i < n; i++)
		add(buf, cap, len, "%s\"%s\"", i ? "," : "", names[i]);
	add(buf, cap, len, "],");
}

size_t hist_json_head(char *buf, size_t cap, const struct history *h, uint32_t first,
		      uint32_t now_ms, const uint16_t pool_sizes[HIST_NPOOLS])
{
	size_t len = 0;
	add(buf, cap, &len, "{\"period_ms\":%lu,\"depth\":%u,\"now_ms\":%lu,\"first\":%lu,\"states\":[",
	    (unsigned long)h->period_ms, (unsigned)KEEL_HISTORY_DEPTH, (unsigned long)now_ms,
	    (unsigned long)first);
	for (unsigned i = 0; i < HIST_NSTATES; i++)
		add(buf, cap, &len, "%s\"%s\"", i ? "," : "",
		    keel_tcp_state_name((enum tcp_state)(HIST_STATE0 + i)));
	add(buf, cap, &len, "],");
	add_names(buf, cap, &len, "pools", hist_pool_names, HIST_NPOOLS);
	add(buf, cap, &len, "\"pool_sizes\":[");
	for (unsigned i = 0; i < HIST_NPOOLS; i++)
		add(buf, cap, &len, "%s%u", i ? "," : "", (unsigned)pool_sizes[i]);
	add(buf, cap, &len, "],");
	add_names(buf, cap, &len, "rates", hist_rate_names, HIST_NRATES);
	add(buf, cap, &len, "\"samples\":[");
	return done(len, cap);
}

/* The numbers of a sample, comma-separated: states, then g1, pools, then
 * g2, rates. */
static void add_values(char *buf, size_t cap, size_t *len, const struct hist_sample *s,
		       const char *g1, const char *g2)
{
	for (unsigned i = 0; i < HIST_NSTATES; i++)
		add(buf, cap, len, "%s%u", i ? "," : "", (unsigned)s->state[i]);
	add(buf, cap, len, "%s", g1);
	for (unsigned i = 0; i < HIST_NPOOLS; i++)
		add(buf, cap, len, "%s%u", i ? "," : "", (unsigned)s->pool[i]);
	add(buf, cap, len, "%s", g2);
	for (unsigned i = 0; i < HIST_NRATES; i++)
		add(buf, cap, len, "%s%u", i ? "," : "", (unsigned)s->rate[i]);
}

size_t hist_json_sample(char *buf, size_t cap, const struct history *h, uint32_t n, int comma)
{
	const struct hist_sample *s = history_get(h, n);
	if (!s)
		return 0;
	size_t len = 0;
	add(buf, cap, &len, "%s\n{\"n\":%lu,\"t_ms\":%lu,\"s\":[", comma ? "," : "", (unsigned long)n,
	    (unsigned long)history_time_ms(h, n));
	add_values(buf, cap, &len, s, "],\"p\":[", "],\"r\":[");
	add(buf, cap, &len, "]}");
	return done(len, cap);
}

size_t hist_json_tail(char *buf, size_t cap)
{
	size_t len = 0;
	add(buf, cap, &len, "\n]}\n");
	return done(len, cap);
}

size_t hist_csv_head(char *buf, size_t cap)
{
	size_t len = 0;
	add(buf, cap, &len, "t_ms");
	for (unsigned i = 0; i < HIST_NSTATES; i++)
		add(buf, cap, &len, ",%s", keel_tcp_state_name((enum tcp_state)(HIST_STATE0 + i)));
	for (unsigned i = 0; i < HIST_NPOOLS; i++)
		add(buf, cap, &len, ",pool_%s", hist_pool_names[i]);
	for (unsigned i = 0; i < HIST_NRATES; i++)
		add(buf, cap, &len, ",%s", hist_rate_names[i]);
	add(buf, cap, &len, "\r\n");
	return done(len, cap);
}

size_t hist_csv_sample(char *buf, size_t cap, const struct history *h, uint32_t n)
{
	const struct hist_sample *s = history_get(h, n);
	if (!s)
		return 0;
	size_t len = 0;
	add(buf, cap, &len, "%lu,", (unsigned long)history_time_ms(h, n));
	add_values(buf, cap, &len, s, ",", ",");
	add(buf, cap, &len, "\r\n");
	return done(len, cap);
}

size_t spark_line(char *buf, size_t cap, const uint16_t *v, size_t n, uint32_t max, int ascii)
{
	static const char ladder[] = ".:-=+*#@";
	size_t len = 0, each = ascii ? 1 : 3;
	if (cap == 0 || n * each >= cap)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == 0 || max == 0) {
			buf[len++] = ' ';
			continue;
		}
		/* 1..8, rounded up: the smallest count still shows */
		uint32_t level = ((uint32_t)(v[i] > max ? max : v[i]) * 8u + max - 1u) / max;
		if (ascii) {
			buf[len++] = ladder[level - 1];
		} else {   /* U+2580 + level: E2 96 80+level */
			buf[len++] = (char)0xe2;
			buf[len++] = (char)0x96;
			buf[len++] = (char)(0x80 + level);
		}
	}
	buf[len] = '\0';
	return len;
}
