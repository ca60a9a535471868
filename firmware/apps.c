/* Listeners and connection slots for the device's services. */
#include "apps.h"
#include <keel/keel.h>
#include <keel/tcp.h>

static const struct service *const services[] = {
	&svc_echo, &svc_discard, &svc_daytime, &svc_chargen, &svc_http, &svc_iperf,
};
#define NSERVICES (sizeof(services) / sizeof(services[0]))

static int listeners[NSERVICES];
/* One slot per TCB: the pool bounds connections, not the apps.  Slots in
 * use are listed densely (active), free ones stacked (free_slots), so
 * neither accept nor a loop pass ever scans unused slots. */
static struct app_conn conns[KEEL_TCP_MAX_CONN];
static uint16_t active[KEEL_TCP_MAX_CONN], nactive;
static uint16_t free_slots[KEEL_TCP_MAX_CONN], nfree;
static uint8_t stages[APP_STAGES][APP_STAGE_LEN];
static uint8_t *free_stages[APP_STAGES];
static unsigned nfree_stages;

void apps_init(struct keel *k)
{
	for (size_t i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		conns[i].sock = -1;
		free_slots[i] = (uint16_t)(KEEL_TCP_MAX_CONN - 1 - i);
	}
	nfree = KEEL_TCP_MAX_CONN;
	nactive = 0;
	for (size_t i = 0; i < APP_STAGES; i++)
		free_stages[i] = stages[i];
	nfree_stages = APP_STAGES;
	for (size_t i = 0; i < NSERVICES; i++)
		listeners[i] = keel_tcp_listen(k, services[i]->port, APP_BACKLOG);
	udp_echo_init(k);
}

int app_flush(struct keel *k, struct app_conn *c)
{
	if (c->len == 0)
		return 0;
	int n = keel_tcp_send(k, c->sock, c->stage + c->off, c->len);
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

static void accept_new(struct keel *k, uint32_t now_ms)
{
	/* This runs after every frame: without a queued connection, skip
	 * the tcp_accept on every listener (most of an idle poll's cost). */
	if (!keel_tcp_accept_pending(k))
		return;
	for (size_t i = 0; i < NSERVICES; i++) {
		if (listeners[i] < 0)
			continue;
		/* Bounded: at most one accept per free slot per loop. */
		while (nfree > 0 && (!services[i]->stage || nfree_stages > 0)) {
			int s = keel_tcp_accept(k, listeners[i]);
			if (s < 0)
				break;
			uint16_t slot = free_slots[--nfree];
			active[nactive++] = slot;
			struct app_conn *c = &conns[slot];
			c->sock = s;
			c->svc = services[i];
			c->stage = c->svc->stage ? free_stages[--nfree_stages] : NULL;
			c->off = c->len = 0;
			c->counter = 0;
			c->deadline_ms = 0;
			c->row = c->aux = 0;
			c->phase = c->page = 0;
			c->again = 0;
			c->on_close = NULL;
			if (c->svc->on_accept)
				c->svc->on_accept(k, c, now_ms);
		}
	}
}

/* Slot active[at] is done: its stage and slot go back. */
static void release(uint16_t at)
{
	uint16_t slot = active[at];
	struct app_conn *c = &conns[slot];
	if (c->stage)
		free_stages[nfree_stages++] = c->stage;
	c->stage = NULL;
	c->sock = -1;
	active[at] = active[--nactive];
	free_slots[nfree++] = slot;
}

int apps_poll(struct keel *k, uint32_t now_ms)
{
	int again = 0;
	accept_new(k, now_ms);
	udp_echo_poll(k);
	for (uint16_t at = 0; at < nactive;) {
		struct app_conn *c = &conns[active[at]];
		unsigned ev = keel_tcp_poll(k, c->sock);
		c->again = 0;
		int done = (ev & TCP_POLL_ERROR) || c->svc->on_poll(k, c, ev);
		if (!done) {
			again |= c->again;
			at++;
			continue;
		}
		if (c->on_close) {
			c->on_close(c);
			c->on_close = NULL;
		}
		keel_tcp_close(k, c->sock);
		release(at);             /* active[at] is now another slot */
	}
	return again;
}
