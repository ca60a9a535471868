/* Listeners and connection slots for the device's services. */
#include "apps.h"
#include <keel/keel.h>
#include <keel/tcp.h>

static const struct service *const services[] = {
	&svc_echo, &svc_discard, &svc_daytime, &svc_chargen, &svc_http, &svc_iperf,
};
#define NSERVICES (sizeof(services) / sizeof(services[0]))
_Static_assert(NSERVICES <= 255, "app_conn.svc is a byte");

static int listeners[NSERVICES];
/* One slot per TCB, at the connection's index (keel_tcp_index), so the
 * stack's ready queue names the slot.  The slots the sweep visits are
 * also listed densely (active, pos; pos NOT_SWEPT for the others): those
 * of services with a stage, and those that asked (APP_WAIT, apps.h).
 * The rest (echo, discard) are served on their events only: the stack
 * marks a connection ready for every segment and timer (tcp_ready.c), so
 * data, an ACK that frees room, a FIN or a reset reach them without a
 * sweep. */
#define NOT_SWEPT 0xffffu
_Static_assert(KEEL_TCP_MAX_CONN < NOT_SWEPT, "a slot index is 16 bits, NOT_SWEPT is none");
static struct app_conn conns[KEEL_TCP_MAX_CONN];
static uint16_t active[KEEL_TCP_MAX_CONN], pos[KEEL_TCP_MAX_CONN], nactive, sweep_at;
static uint8_t stages[APP_STAGES][APP_STAGE_LEN];
static uint8_t *free_stages[APP_STAGES];
static unsigned nfree_stages;

/* Per call: ready connections handled, and listed ones swept whatever
 * their events (timeouts, a page to go on with, input they could not take):
 * bounded, whatever the number of connections. */
#define APP_READY_BUDGET 256u
#define APP_SWEEP 32u

/* The sweep runs once a millisecond, not every pass: a frame's reply
 * leaves in the pass that read it, and with many listed connections a
 * sweep in every pass would make the next frame wait behind APP_SWEEP
 * serves.  A service that asked for another pass
 * at once (app_conn.again: a page to go on with) gets it in the next
 * pass, as before. */
static uint32_t swept_ms;
static uint8_t swept, again_asked;

void apps_init(struct keel *k)
{
	for (size_t i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		conns[i].sock = -1;
		pos[i] = NOT_SWEPT;
	}
	nactive = sweep_at = 0;
	swept = again_asked = 0;
	for (size_t i = 0; i < APP_STAGES; i++)
		free_stages[i] = stages[i];
	nfree_stages = APP_STAGES;
	for (size_t i = 0; i < NSERVICES; i++)
		listeners[i] = keel_tcp_listen(k, services[i]->port, APP_BACKLOG);
	udp_echo_init(k);
}

int app_flush(struct keel *k, struct app_conn *c, int more)
{
	if (c->len == 0)
		return 0;
	const uint8_t *p = c->stage + c->off;
	int n = more ? keel_tcp_send_more(k, c->sock, p, c->len) : keel_tcp_send(k, c->sock, p, c->len);
	if (n == KEEL_EWOULDBLOCK)
		return 0;
	if (n < 0)
		return n;
	c->off = (uint16_t)(c->off + n);
	c->len = (uint16_t)(c->len - n);
	if (c->len == 0)
		c->off = 0;
	return 0;
}

/* Lists slot i for the sweep, or takes it off (O(1) either way). */
static void sweep_list(uint16_t i, int want)
{
	if (want && pos[i] == NOT_SWEPT) {
		pos[i] = nactive;
		active[nactive++] = i;
	} else if (!want && pos[i] != NOT_SWEPT) {
		uint16_t at = pos[i], last = active[--nactive];
		active[at] = last;
		pos[last] = at;
		pos[i] = NOT_SWEPT;
	}
}

/* Slot i is done: its stage and place in the sweep's list go back. */
static void release(uint16_t i)
{
	struct app_conn *c = &conns[i];
	if (c->stage)
		free_stages[nfree_stages++] = c->stage;
	c->stage = NULL;
	c->sock = -1;
	sweep_list(i, 0);
}

/* Runs slot i's service once; closes and frees it when done.  1 when it
 * asked for another pass at once. */
static int serve(struct keel *k, uint16_t i)
{
	struct app_conn *c = &conns[i];
	unsigned ev = keel_tcp_poll(k, c->sock);
	c->again = 0;
	const struct service *svc = services[c->svc];
	int done = (ev & TCP_POLL_ERROR) || svc->on_poll(k, c, ev);
	if (!done) {
		int at_once = c->again == APP_AGAIN;
		sweep_list(i, svc->stage || c->again == APP_WAIT);
		again_asked |= (uint8_t)at_once;
		return at_once;
	}
	if (svc->on_close)
		svc->on_close(c);
	keel_tcp_close(k, c->sock);
	release(i);
	return 0;
}

static int accept_new(struct keel *k, uint32_t now_ms)
{
	int again = 0;
	/* This runs after every frame: without a queued connection, skip
	 * the tcp_accept on every listener (most of an idle poll's cost). */
	if (!keel_tcp_accept_pending(k))
		return 0;
	for (size_t l = 0; l < NSERVICES; l++) {
		if (listeners[l] < 0)
			continue;
		/* Bounded by the pool: each accept takes a TCB's slot.  The
		 * pending count ends the search once the queues are empty:
		 * no failing accept on this listener or the ones after it. */
		for (unsigned n = 0; n < KEEL_TCP_MAX_CONN && (!services[l]->stage || nfree_stages > 0); n++) {
			if (!keel_tcp_accept_pending(k))
				return again;
			int s = keel_tcp_accept(k, listeners[l]);
			if (s < 0)
				break;
			int i = keel_tcp_index(k, s);
			if (i < 0 || conns[i].sock >= 0) {
				keel_tcp_abort(k, s);    /* cannot happen: one slot per TCB */
				continue;
			}
			struct app_conn *c = &conns[i];
			c->sock = s;
			c->svc = (uint8_t)l;
			c->stage = services[l]->stage ? free_stages[--nfree_stages] : NULL;
			c->off = c->len = 0;
			c->counter = 0;
			c->deadline_ms = 0;
			c->row = c->aux = 0;
			c->phase = c->page = 0;
			c->again = 0;
			if (services[l]->on_accept)
				services[l]->on_accept(k, c, now_ms);
			again |= serve(k, (uint16_t)i);   /* data may have come with the ACK */
		}
	}
	return again;
}

int apps_poll_events(struct keel *k, uint32_t now_ms)
{
	int again = accept_new(k, now_ms);
	udp_echo_poll(k);
	/* Connections the stack has news for. */
	for (unsigned n = 0; n < APP_READY_BUDGET; n++) {
		int i = keel_tcp_ready_next(k);
		if (i < 0)
			break;
		if (conns[i].sock >= 0 && keel_tcp_index(k, conns[i].sock) == i)
			again |= serve(k, (uint16_t)i);
	}
	if (keel_tcp_ready_pending(k))
		again = 1;                 /* the rest next pass, without sleeping */
	return again;
}

int apps_poll(struct keel *k, uint32_t now_ms)
{
	int again = apps_poll_events(k, now_ms);
	if (swept && now_ms == swept_ms && !again_asked)
		return again;
	swept = 1;
	swept_ms = now_ms;
	again_asked = 0;
	/* And a window of the listed connections in turn, each at most once
	 * a call (a single connection is not served APP_SWEEP times over). */
	unsigned window = nactive < APP_SWEEP ? nactive : APP_SWEEP;
	for (unsigned n = 0; n < window && nactive > 0; n++) {
		if (sweep_at >= nactive)
			sweep_at = 0;
		uint16_t i = active[sweep_at];
		uint16_t before = nactive;
		again |= serve(k, i);
		if (nactive == before)
			sweep_at++;        /* else active[sweep_at] is another slot now */
	}
	return again;
}
