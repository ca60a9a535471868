/* lwIP 2.1.3 under count: NO_SYS raw API with bench/lwip/'s options and
 * netif (bench/lwip/netif_keel.c), and the same three services written
 * as bench/lwip/services.c writes its own. */
#include <stdint.h>
#include <string.h>
#include "bench_lwip.h"
#include "lwip/init.h"
#include "lwip/sys.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include <keel/port.h>
#include "side.h"

const unsigned side_line_len = sizeof(SIDE_LINE) - 1;

#define BACKLOG 4

static struct netif netif;
static uint32_t clock_ms;
static uint32_t rand_state = 0x6b65656cu;

u32_t sys_now(void) { return clock_ms; }

uint32_t bench_rand(void)
{
	uint32_t x = rand_state;   /* xorshift32, as bench/lwip/main.c */
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rand_state = x;
}

/* Unused here (bench/lwip/main.c's console needs them). */
void con_puts(const char *s) { (void)s; }
void con_putu(uint32_t v) { (void)v; }

/* Echo as bench/lwip/services.c does it: received pbufs queue up, are
 * copied into tcp_write as the send buffer allows, and the window opens
 * (tcp_recved) only for bytes handed on.  One connection at a time here. */
static struct pbuf *echo_q;
static u16_t echo_off;
static u8_t echo_fin;

static void echo_send(struct tcp_pcb *pcb)
{
	while (echo_q != NULL) {
		struct pbuf *b = echo_q;
		u16_t n = (u16_t)(b->len - echo_off);
		if (n > tcp_sndbuf(pcb))
			n = tcp_sndbuf(pcb);
		if (n == 0 && b->len != 0)
			break;
		if (n && tcp_write(pcb, (const u8_t *)b->payload + echo_off, n,
				   TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		tcp_recved(pcb, n);
		echo_off = (u16_t)(echo_off + n);
		if (echo_off < b->len)
			break;
		echo_q = b->next;
		if (echo_q)
			pbuf_ref(echo_q);
		pbuf_free(b);
		echo_off = 0;
	}
	tcp_output(pcb);
	if (echo_q == NULL && echo_fin) {
		tcp_recv(pcb, NULL);
		tcp_sent(pcb, NULL);
		echo_fin = 0;
		tcp_close(pcb);
	}
}

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	if (p == NULL) {
		echo_fin = 1;
		echo_send(pcb);
		return ERR_OK;
	}
	if (err != ERR_OK) {
		pbuf_free(p);
		return err;
	}
	if (echo_q)
		pbuf_cat(echo_q, p);
	else
		echo_q = p;
	echo_send(pcb);
	return ERR_OK;
}

static err_t echo_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)arg;
	(void)len;
	echo_send(pcb);
	return ERR_OK;
}

static void source_send(struct tcp_pcb *pcb)
{
	for (int round = 0; round < 4; round++) {
		u16_t n = tcp_sndbuf(pcb);
		if (n > sizeof(side_source))
			n = sizeof(side_source);
		if (n == 0 || tcp_write(pcb, side_source, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
	}
	tcp_output(pcb);
}

static err_t source_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)arg;
	(void)len;
	source_send(pcb);
	return ERR_OK;
}

static err_t sink_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	(void)err;
	if (p == NULL) {
		tcp_recv(pcb, NULL);
		tcp_sent(pcb, NULL);
		tcp_close(pcb);
		return ERR_OK;
	}
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	uintptr_t port = (uintptr_t)arg;
	if (err != ERR_OK || pcb == NULL)
		return ERR_VAL;
	if (port == 13) {
		tcp_write(pcb, SIDE_LINE, sizeof(SIDE_LINE) - 1, TCP_WRITE_FLAG_COPY);
		tcp_close(pcb);
		return ERR_OK;
	}
	if (port == 7) {
		tcp_recv(pcb, echo_recv);
		tcp_sent(pcb, echo_sent);
		return ERR_OK;
	}
	tcp_recv(pcb, sink_recv);
	if (port == 19) {
		tcp_sent(pcb, source_sent);
		source_send(pcb);
	}
	return ERR_OK;
}

static void listen_on(u16_t port)
{
	struct tcp_pcb *pcb = tcp_new();
	if (pcb == NULL || tcp_bind(pcb, IP4_ADDR_ANY, port) != ERR_OK)
		return;
	pcb = tcp_listen_with_backlog(pcb, BACKLOG);
	if (pcb == NULL)
		return;
	tcp_arg(pcb, (void *)(uintptr_t)port);
	tcp_accept(pcb, on_accept);
}

void side_init(struct netdev *nd, uint32_t now_ms)
{
	clock_ms = now_ms;
	lwip_init();
	ip4_addr_t addr, mask, gw;
	IP4_ADDR(&addr, 192, 0, 2, 2);
	IP4_ADDR(&mask, 255, 255, 255, 0);
	ip4_addr_set_zero(&gw);
	keelif_add(&netif, nd, &addr, &mask, &gw);
	listen_on(7);
	listen_on(9);
	listen_on(13);
	listen_on(19);
}

void side_frame(uint32_t now_ms)
{
	clock_ms = now_ms;
	keelif_poll(&netif);
}

void side_tick(uint32_t now_ms)
{
	clock_ms = now_ms;
	sys_check_timeouts();
}
