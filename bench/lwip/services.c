/* The services of keel's firmware (firmware/app_echo.c, app_discard.c,
 * app_daytime.c, app_chargen.c) written against lwIP's raw API: echo 7
 * (RFC 862), discard 9 (RFC 863), one line then close 13 (the device
 * closes first), chargen 19 (RFC 864); and lwIP's own iperf2 server
 * (lwiperf) on 5001 where keel has firmware/app_iperf.c.  Connection state
 * lives in a fixed table, like firmware/apps.c, and as there the 512-byte
 * staging buffers are a small shared pool taken only by the connections
 * that stage (chargen), so an idle connection's slot holds no buffer. */
#include <string.h>
#include "bench_lwip.h"
#include "board.h"
#include "lwip/apps/lwiperf.h"
#include "lwip/tcp.h"

#define SVC_SLOTS MEMP_NUM_TCP_PCB
#define SVC_POLL_INTERVAL 2            /* tcp_poll: every 2 * 500 ms */
#define SVC_STAGE_LEN 512              /* = APP_STAGE_LEN in firmware/apps.h */
#define SVC_STAGES 8                   /* = APP_STAGES in firmware/apps.h */

struct svc_conn {
	struct tcp_pcb *pcb;               /* NULL: slot free */
	struct pbuf *q;                    /* echo: received, not yet queued back */
	u16_t off;                         /* echo: bytes of q's first pbuf queued */
	u8_t fin;                          /* peer's FIN seen */
	u8_t closing;                      /* tcp_close wanted (retried from poll) */
	u16_t stage_off, stage_len;        /* chargen: staged bytes still to send */
	u32_t counter;                     /* chargen: lines generated */
	u8_t *stage;                       /* SVC_STAGE_LEN bytes (chargen), or NULL */
};

static struct svc_conn slots[SVC_SLOTS];
static unsigned slots_used, slots_hwm, slots_refused;
static u8_t stages[SVC_STAGES][SVC_STAGE_LEN];
static u8_t *free_stages[SVC_STAGES];
static unsigned nfree_stages;

void services_stats(unsigned *used, unsigned *hwm, unsigned *refused)
{
	*used = slots_used;
	*hwm = slots_hwm;
	*refused = slots_refused;
}

static struct svc_conn *slot_get(struct tcp_pcb *pcb)
{
	for (unsigned i = 0; i < SVC_SLOTS; i++) {
		if (slots[i].pcb == NULL) {
			memset(&slots[i], 0, sizeof(slots[i]));
			slots[i].pcb = pcb;
			if (++slots_used > slots_hwm)
				slots_hwm = slots_used;
			return &slots[i];
		}
	}
	slots_refused++;
	return NULL;
}

static void slot_put(struct svc_conn *c)
{
	if (c->q)
		pbuf_free(c->q);
	c->q = NULL;
	if (c->stage)
		free_stages[nfree_stages++] = c->stage;
	c->stage = NULL;
	c->pcb = NULL;
	slots_used--;
}

/* The pcb is gone (reset, or lwIP aborted it): only the slot is left. */
static void svc_err(void *arg, err_t err)
{
	(void)err;
	if (arg)
		slot_put(arg);
}

/* Graceful close; on ERR_MEM the poll callback tries again. */
static void svc_close(struct svc_conn *c)
{
	struct tcp_pcb *pcb = c->pcb;
	c->closing = 1;
	tcp_arg(pcb, c);
	if (tcp_close(pcb) == ERR_OK) {
		tcp_arg(pcb, NULL);
		tcp_recv(pcb, NULL);
		tcp_sent(pcb, NULL);
		tcp_poll(pcb, NULL, 0);
		tcp_err(pcb, NULL);
		slot_put(c);
	}
}

/* ---- echo ---- */

/* Queues what the send buffer takes; the window opens (tcp_recved) only
 * for bytes handed on, so the peer is throttled when we are. */
static void echo_send(struct svc_conn *c)
{
	while (c->q != NULL) {
		struct pbuf *b = c->q;
		u16_t room = tcp_sndbuf(c->pcb);
		u16_t n = (u16_t)(b->len - c->off);
		if (n > room)
			n = room;
		if (n == 0 && b->len != 0)
			break;
		if (n && tcp_write(c->pcb, (const u8_t *)b->payload + c->off, n,
				   TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		tcp_recved(c->pcb, n);
		c->off = (u16_t)(c->off + n);
		if (c->off < b->len)
			break;
		c->q = b->next;
		if (c->q)
			pbuf_ref(c->q);
		pbuf_free(b);
		c->off = 0;
	}
	tcp_output(c->pcb);
	if (c->q == NULL && c->fin)
		svc_close(c);
}

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct svc_conn *c = arg;
	(void)pcb;
	if (p == NULL) {
		c->fin = 1;
		echo_send(c);
		return ERR_OK;
	}
	if (err != ERR_OK) {
		pbuf_free(p);
		return err;
	}
	if (c->q)
		pbuf_cat(c->q, p);
	else
		c->q = p;
	echo_send(c);
	return ERR_OK;
}

static err_t echo_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)pcb;
	(void)len;
	echo_send(arg);
	return ERR_OK;
}

/* ---- discard ---- */

static err_t discard_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct svc_conn *c = arg;
	if (p == NULL) {
		svc_close(c);
		return ERR_OK;
	}
	(void)err;
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

/* ---- chargen: keel's lines (firmware/app_chargen.c), the same way ---- */

#define LINE_CHARS 72
#define PRINTABLE_FIRST 32
#define PRINTABLE_COUNT 95

static void chargen_fill(struct svc_conn *c)
{
	size_t n = 0;
	while (n + LINE_CHARS + 2 <= SVC_STAGE_LEN) {
		uint32_t first = c->counter % PRINTABLE_COUNT;
		for (uint32_t i = 0; i < LINE_CHARS; i++)
			c->stage[n++] = (u8_t)(PRINTABLE_FIRST + (first + i) % PRINTABLE_COUNT);
		c->stage[n++] = '\r';
		c->stage[n++] = '\n';
		c->counter++;
	}
	c->stage_off = 0;
	c->stage_len = (u16_t)n;
}

/* Queues staged lines while the send buffer has room (4 stages at most
 * per call, as keel's chargen_poll), then sends. */
static void chargen_send(struct svc_conn *c)
{
	for (int round = 0; round < 4; round++) {
		if (c->stage_len == 0)
			chargen_fill(c);
		u16_t n = c->stage_len;
		if (n > tcp_sndbuf(c->pcb))
			n = tcp_sndbuf(c->pcb);
		if (n == 0 || tcp_write(c->pcb, c->stage + c->stage_off, n,
					TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		c->stage_off = (u16_t)(c->stage_off + n);
		c->stage_len = (u16_t)(c->stage_len - n);
	}
	tcp_output(c->pcb);
}

static err_t chargen_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)err;
	if (p == NULL) {
		svc_close(arg);
		return ERR_OK;
	}
	tcp_recved(pcb, p->tot_len);   /* input is discarded */
	pbuf_free(p);
	return ERR_OK;
}

static err_t chargen_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)pcb;
	(void)len;
	chargen_send(arg);
	return ERR_OK;
}

/* ---- one line, then close (port 13) ---- */

static size_t put_uint(char *p, uint32_t v)
{
	char tmp[10];
	size_t n = 0, len = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		p[len++] = tmp[--n];
	return len;
}

static err_t line_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	(void)err;
	if (p) {
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
	}
	return ERR_OK;
}

static void line_send(struct svc_conn *c)
{
	char line[40];
	static const char prefix[] = "lwip uptime ";
	uint32_t now = board_millis();
	size_t n = sizeof(prefix) - 1;
	memcpy(line, prefix, n);
	n += put_uint(line + n, now / 1000);
	line[n++] = '.';
	line[n++] = (char)('0' + now % 1000 / 100);
	line[n++] = (char)('0' + now % 100 / 10);
	line[n++] = (char)('0' + now % 10);
	line[n++] = ' ';
	line[n++] = 's';
	line[n++] = '\r';
	line[n++] = '\n';
	tcp_write(c->pcb, line, (u16_t)n, TCP_WRITE_FLAG_COPY);
	svc_close(c);   /* FIN follows the line */
}

/* ---- common ---- */

static err_t svc_poll(void *arg, struct tcp_pcb *pcb)
{
	struct svc_conn *c = arg;
	(void)pcb;
	if (c == NULL)
		return ERR_OK;
	if (c->closing)
		svc_close(c);
	else if (c->q || c->fin)
		echo_send(c);
	else if (c->counter)
		chargen_send(c);
	return ERR_OK;
}

static err_t svc_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	uintptr_t port = (uintptr_t)arg;
	if (err != ERR_OK || pcb == NULL)
		return ERR_VAL;
	struct svc_conn *c = slot_get(pcb);
	if (c == NULL) {
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	tcp_arg(pcb, c);
	tcp_err(pcb, svc_err);
	tcp_poll(pcb, svc_poll, SVC_POLL_INTERVAL);
	switch (port) {
	case 7:
		tcp_recv(pcb, echo_recv);
		tcp_sent(pcb, echo_sent);
		break;
	case 9:
		tcp_recv(pcb, discard_recv);
		break;
	case 19:
		if (nfree_stages == 0) {       /* every stage taken: refused */
			slots_refused++;
			tcp_arg(pcb, NULL);        /* svc_err must not put it twice */
			slot_put(c);
			tcp_abort(pcb);
			return ERR_ABRT;
		}
		c->stage = free_stages[--nfree_stages];
		tcp_recv(pcb, chargen_recv);
		tcp_sent(pcb, chargen_sent);
		chargen_send(c);
		break;
	default:
		tcp_recv(pcb, line_recv);
		line_send(c);
		break;
	}
	return ERR_OK;
}

static void listen_on(u16_t port)
{
	struct tcp_pcb *pcb = tcp_new();
	if (pcb == NULL || tcp_bind(pcb, IP4_ADDR_ANY, port) != ERR_OK)
		return;
	pcb = tcp_listen_with_backlog(pcb, 4);   /* keel's services: backlog 4 */
	if (pcb == NULL)
		return;
	tcp_arg(pcb, (void *)(uintptr_t)port);
	tcp_accept(pcb, svc_accept);
}

void services_init(void)
{
	for (unsigned i = 0; i < SVC_STAGES; i++)
		free_stages[i] = stages[i];
	nfree_stages = SVC_STAGES;
	listen_on(7);
	listen_on(9);
	listen_on(13);
	listen_on(19);
	/* iperf2 server on 5001: lwIP's own (src/apps/lwiperf), no report. */
	lwiperf_start_tcp_server_default(NULL, NULL);
}
