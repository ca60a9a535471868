/* The device's TCP services (docs/DESIGN.md): echo 7 (RFC 862), discard 9
 * (RFC 863), one line then close 13 (RFC 867 daytime-like), chargen 19
 * (RFC 864), HTTP 80 (app_http.c), iperf2 5001 (app_iperf.c).  Each
 * service is a struct service; apps.c owns the listeners and a fixed
 * table of connection slots and calls the service's hooks. */
#ifndef KEEL_APPS_H
#define KEEL_APPS_H
#include <stddef.h>
#include <stdint.h>
#include <keel/config.h>

struct keel;

#define APP_STAGE_LEN 512   /* bytes a stage holds between recv and send */
/* Stages are lent to connections of services that need one (chargen,
 * daytime, HTTP, iperf); echo and discard work in the stack's buffers and
 * hold none.  A connection needing a stage waits in its listener's accept
 * queue while all are lent. */
#ifndef APP_STAGES
#define APP_STAGES 8
#endif
/* Every listener's backlog: the TCB pool, within Linux's somaxconn. */
#define APP_BACKLOG (KEEL_TCP_MAX_CONN < 4096 ? KEEL_TCP_MAX_CONN : 4096)

struct app_conn {
	int sock;                 /* tcp handle, -1 when the slot is free */
	uint16_t off, len;        /* staged bytes still to send */
	uint32_t counter;         /* service-private: chargen position etc. */
	/* More service-private state (HTTP: phase, deadline, generator). */
	uint32_t deadline_ms;
	uint16_t row, aux;
	uint8_t phase, page;
	/* Set by on_poll when it returns 0: APP_AGAIN with more to do at
	 * once, not waiting for an event (HTTP generating a page): no sleep
	 * before the next pass; APP_WAIT with input it could not take that no
	 * event of its own will announce again (echo: room in the shared
	 * chunk pool; the end of stream behind the bytes just moved): the
	 * sweep serves it.  0: its next event will do. */
	uint8_t again;
	/* The service, as its index in apps.c's table (a byte, not a
	 * pointer: one slot per TCB, so every byte here is paid 128 times
	 * on lm3s6965evb). */
	uint8_t svc;
	uint8_t *stage;           /* APP_STAGE_LEN bytes, or NULL (svc->stage 0) */
};

#define APP_AGAIN 1u
#define APP_WAIT 2u

struct service {
	const char *name;
	uint16_t port;
	uint8_t stage;            /* 1: its connections need a stage */
	/* Called when a connection is accepted; may stage data. */
	void (*on_accept)(struct keel *k, struct app_conn *c, uint32_t now_ms);
	/* Called every loop; returns 1 when the service is done with the
	 * connection (apps.c closes it), 0 to keep it. */
	int (*on_poll)(struct keel *k, struct app_conn *c, unsigned events);
	/* Called once when the slot is freed, whatever the reason (done,
	 * reset, timeout), for a service that may hold something beyond the
	 * connection (HTTP's capture freeze); NULL if none.  Must be
	 * harmless for a connection that holds nothing. */
	void (*on_close)(struct app_conn *c);
};

extern const struct service svc_echo, svc_discard, svc_daytime, svc_chargen;
extern const struct service svc_http, svc_iperf;

void apps_init(struct keel *k);
/* A loop pass: apps_poll_events, then a window of the connections that
 * need a pass without an event of theirs, in turn, once per millisecond
 * (or at once when a service asked for another pass): those of a service
 * with a stage (HTTP's deadlines and pages, chargen, daytime, iperf), and
 * those whose last serve asked (APP_WAIT).  An echo or discard connection
 * that waits for its peer is not among them: holding thousands costs a
 * pass nothing.  1 when the loop should not sleep. */
int apps_poll(struct keel *k, uint32_t now_ms);
/* New connections, UDP and the connections the stack has news for only,
 * without the sweep: what main.c runs after each frame. */
int apps_poll_events(struct keel *k, uint32_t now_ms);
/* UDP echo on port 7 (app_udp_echo.c), run from apps_init / apps_poll. */
void udp_echo_init(struct keel *k);
void udp_echo_poll(struct keel *k);
/* Sends the staged bytes that fit; returns 0, or a negative error.  more:
 * the service closes once they are queued, so a small tail waits for the
 * FIN (keel_tcp_send_more: data and FIN in one segment). */
int app_flush(struct keel *k, struct app_conn *c, int more);
#endif
