/* Listeners and connection slots for the device's services. */
#include "apps.h"
#include <keel/keel.h>
#include <keel/tcp.h>

static const struct service *const services[] = {
	&svc_echo, &svc_discard, &svc_daytime, &svc_chargen, &svc_http, &svc_iperf,
};
#define NSERVICES (sizeof(services) / sizeof(services[0]))

static int listeners[NSERVICES];
/* One slot per TCB: the pool bounds connections, not the apps. */
static struct app_conn conns[KEEL_TCP_MAX_CONN];

void apps_init(struct keel *k)
{
	for (size_t i = 0; i < KEEL_TCP_MAX_CONN; i++)
		conns[i].sock = -1;
	for (size_t i = 0; i < NSERVICES; i++)
		listeners[i] = keel_tcp_listen(k, services[i]->port, services[i]->backlog);
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

static struct app_conn *free_slot(void)
{
	for (size_t i = 0; i < KEEL_TCP_MAX_CONN; i++)
		if (conns[i].sock < 0)
			return &conns[i];
	return NULL;
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
		for (size_t n = 0; n < KEEL_TCP_MAX_CONN; n++) {
			struct app_conn *c = free_slot();
			if (!c)
				return;
			int s = keel_tcp_accept(k, listeners[i]);
			if (s < 0)
				break;
			c->sock = s;
			c->svc = services[i];
			c->off = c->len = 0;
			c->counter = 0;
			c->deadline_ms = 0;
			c->row = c->aux = 0;
			c->phase = c->page = 0;
			c->on_close = NULL;
			if (c->svc->on_accept)
				c->svc->on_accept(k, c, now_ms);
		}
	}
}

void apps_poll(struct keel *k, uint32_t now_ms)
{
	accept_new(k, now_ms);
	udp_echo_poll(k);
	for (size_t i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		struct app_conn *c = &conns[i];
		if (c->sock < 0)
			continue;
		unsigned ev = keel_tcp_poll(k, c->sock);
		int done = (ev & TCP_POLL_ERROR) || c->svc->on_poll(k, c, ev);
		if (done) {
			if (c->on_close) {
				c->on_close(c);
				c->on_close = NULL;
			}
			keel_tcp_close(k, c->sock);
			c->sock = -1;
		}
	}
}
