/* HTTP /history.json and /history.csv: the history ring (history.h), oldest
 * sample first, a sample per generator row.  ?n=COUNT limits either to the
 * newest COUNT samples (the status page polls ?n=5 to extend its charts).
 *
 * The range is fixed when the response starts (c->counter: first sample,
 * c->aux: how many); a sample the ring overwrote while a slow client was
 * reading is left out rather than sent out of order. */
#include "fw.h"
#include "history_fmt.h"
#include "history_fw.h"
#include "http.h"
#include <keel/keel.h>

void http_history_open(struct app_conn *c)
{
	const struct history *h = history_fw();
	uint32_t end = history_end(h), first = history_first(h);
	if (c->aux && end - first > c->aux)
		first = end - c->aux;
	c->counter = first;
	c->aux = (uint16_t)(end - first);
}

/* One formatter's row into o: n bytes written, or full when 0 came back
 * for a sample that is still there (no room). */
static void take(struct out *o, size_t n, bool gone)
{
	if (n)
		o->len += n;
	else if (!gone)
		o->full = true;
}

int http_gen_history_json(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	const struct history *h = history_fw();
	char *at = o->p + o->len;
	size_t room = o->cap - o->len;
	if (row == 0)
		return put_head_200(o, c, "application/json");
	if (row == 1) {
		uint16_t sizes[HIST_NPOOLS];
		history_fw_pool_sizes(k, sizes);
		take(o, hist_json_head(at, room, h, c->counter, fw_uptime_ms(), sizes), false);
		return 1;
	}
	row -= 2;
	if (row < c->aux) {
		uint32_t n = c->counter + row;
		bool gone = history_get(h, n) == NULL;
		take(o, hist_json_sample(at, room, h, n, (c->phase & F_MORE) != 0), gone);
		if (!gone && !o->full)
			c->phase |= F_MORE;   /* the next sample needs a comma */
		return 1;
	}
	if (row == c->aux) {
		take(o, hist_json_tail(at, room), false);
		return 1;
	}
	return 0;
}

int http_gen_history_csv(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	(void)k;
	const struct history *h = history_fw();
	char *at = o->p + o->len;
	size_t room = o->cap - o->len;
	if (row == 0)
		return put_head_200(o, c, "text/csv; charset=utf-8; header=present");
	if (row == 1) {
		take(o, hist_csv_head(at, room), false);
		return 1;
	}
	row -= 2;
	if (row < c->aux) {
		uint32_t n = c->counter + row;
		take(o, hist_csv_sample(at, room, h, n), history_get(h, n) == NULL);
		return 1;
	}
	return 0;
}
