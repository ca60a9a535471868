/* Many connections on the host: the stack built with mps2-an385-sized
 * pools (the Makefile passes the -D sizes), driven by hand-made frames
 * from clients spread over 192.0.2.0/24, checking what must not grow with
 * the number of connections: the timer work per tick, the hash chains,
 * and handles, whose generations must never wrap into validity.
 *
 *   scale_10k_established     SCALE_CONNS connections made, each echoes
 *                             its own byte, the delayed ACKs of all of them
 *                             fire within the tick budget, all close, pools
 *                             back to idle
 *   scale_idle_tick_work      a tick with SCALE_CONNS idle connections costs
 *                             what a tick with one costs
 *   scale_handle_full_width   one slot cycled through every generation its
 *                             handle bits hold: each stale handle EBADF,
 *                             then the slot retires
 *   scale_arp_burst           64 SYNs from a host not yet resolved: 64 SYN-ACKs
 *                             once it answers
 *   scale_apps_held           firmware/apps.c (counting services) over
 *                             SCALE_CONNS echo connections held: each is
 *                             served once when accepted and never in an
 *                             idle millisecond; a port-13 connection made
 *                             and closed with them all held costs one serve
 *                             and its three segments, whatever is held */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "byteorder.h"
#include "checksum.h"
#include "keel.h"
#include "tcp_internal.h"
#include "apps.h"                           /* firmware/apps.c, linked in */

#ifndef SCALE_CONNS
#define SCALE_CONNS 10000
#endif
_Static_assert(KEEL_TCP_MAX_CONN >= SCALE_CONNS, "build with a TCB pool >= SCALE_CONNS");

#define DEV_IP 0xc0000202u                 /* 192.0.2.2 */
#define CLIENTS 200u                       /* 192.0.2.10 .. 192.0.2.209 */
#define CLIENT_IP(i) (0xc000020au + (uint32_t)((i) % CLIENTS))
#define CLIENT_PORT(i) ((uint16_t)(20000u + (i) / CLIENTS))
#define ECHO_PORT 7

static const uint8_t dev_mac[6] = {2, 0, 0, 0, 0, 2};
static const uint8_t seed[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
static struct keel *K;
static uint32_t now = 1000;
static int failures;

#define CHECK(c)                                                                          \
	do {                                                                              \
		if (!(c)) {                                                               \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c);   \
			failures++;                                                       \
			return;                                                           \
		}                                                                         \
	} while (0)

/* ---- what the device sent: the TCP segments, by destination ---- */
struct sent {
	uint32_t dst;
	uint16_t dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t len;
	uint8_t byte;                          /* first payload byte */
};
#define SENT_MAX 65536
static struct sent sent[SENT_MAX];
static unsigned nsent, narp_requests;

static int tx(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	if (len >= 14 + 28 && load_be16(f + 12) == ETHERTYPE_ARP) {
		narp_requests += load_be16(f + 14 + 6) == ARP_OP_REQUEST;
		return 0;
	}
	if (len < 14 + 40 || load_be16(f + 12) != ETHERTYPE_IPV4 || f[14 + 9] != 6)
		return 0;
	const uint8_t *ip = f + 14, *tcp = ip + (ip[0] & 0xf) * 4;
	if (nsent == SENT_MAX)
		return 0;
	struct sent *s = &sent[nsent++];
	s->dst = load_be32(ip + 16);
	s->dport = load_be16(tcp + 2);
	s->seq = load_be32(tcp + 4);
	s->ack = load_be32(tcp + 8);
	s->flags = tcp[13];
	unsigned hl = (unsigned)(tcp[12] >> 4) * 4u;
	s->len = (uint16_t)(load_be16(ip + 2) - (ip[0] & 0xf) * 4u - hl);
	s->byte = s->len ? tcp[hl] : 0;
	return 0;
}

static uint8_t client_mac(uint32_t ip, unsigned i) { return (uint8_t)(ip >> (8 * i)); }

static void mac_of(uint32_t ip, uint8_t mac[6])
{
	mac[0] = 2;
	mac[1] = 0x42;
	for (unsigned i = 0; i < 4; i++)
		mac[2 + i] = client_mac(ip, 3 - i);
}

/* An ARP request from ip for the device: the device learns ip (RFC 826). */
static void arp_from(uint32_t ip, uint16_t op)
{
	uint8_t f[60] = {0}, mac[6];
	mac_of(ip, mac);
	memset(f, 0xff, 6);
	memcpy(f + 6, mac, 6);
	store_be16(f + 12, ETHERTYPE_ARP);
	uint8_t *a = f + 14;
	store_be16(a, 1);
	store_be16(a + 2, ETHERTYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	store_be16(a + 6, op);
	memcpy(a + 8, mac, 6);
	store_be32(a + 14, ip);
	if (op == ARP_OP_REPLY)
		memcpy(a + 18, dev_mac, 6);
	store_be32(a + 24, DEV_IP);
	keel_input(K, f, sizeof(f), now);
}

static void segment_to(uint32_t src, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
		       uint8_t flags, const void *data, uint16_t dlen)
{
	uint8_t f[14 + 20 + 24 + 64];
	uint8_t mac[6];
	mac_of(src, mac);
	memcpy(f, dev_mac, 6);
	memcpy(f + 6, mac, 6);
	store_be16(f + 12, ETHERTYPE_IPV4);
	uint8_t *ip = f + 14, *tcp = ip + 20;
	unsigned hl = (flags & TCP_SYN) ? 24u : 20u;
	uint16_t tot = (uint16_t)(20u + hl + dlen);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	store_be16(ip + 2, tot);
	ip[8] = 64;
	ip[9] = 6;
	store_be32(ip + 12, src);
	store_be32(ip + 16, DEV_IP);
	store_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	memset(tcp, 0, hl);
	store_be16(tcp, sport);
	store_be16(tcp + 2, dport);
	store_be32(tcp + 4, seq);
	store_be32(tcp + 8, ack);
	tcp[12] = (uint8_t)((hl / 4u) << 4);
	tcp[13] = flags;
	store_be16(tcp + 14, 8192);
	if (flags & TCP_SYN) {
		tcp[20] = 2;
		tcp[21] = 4;
		store_be16(tcp + 22, 1460);
	}
	if (dlen)
		memcpy(tcp + hl, data, dlen);
	uint32_t sum = csum_pseudo(src, DEV_IP, 6, (uint16_t)(hl + dlen));
	store_be16(tcp + 16, csum_fold(csum_add(sum, tcp, hl + dlen)));
	keel_input(K, f, 14u + tot, now);
}

static void segment(uint32_t src, uint16_t sport, uint32_t seq, uint32_t ack, uint8_t flags,
		    const void *data, uint16_t dlen)
{
	segment_to(src, sport, ECHO_PORT, seq, ack, flags, data, dlen);
}

/* The last segment sent to (ip, port) since mark, or NULL. */
static const struct sent *last_to(unsigned mark, uint32_t ip, uint16_t port)
{
	for (unsigned n = nsent; n > mark; n--)
		if (sent[n - 1].dst == ip && sent[n - 1].dport == port)
			return &sent[n - 1];
	return NULL;
}

static void tick(void)
{
	now++;
	keel_tick(K, now);
}

static void setup(void)
{
	if (!K)
		K = calloc(1, sizeof(*K));
	if (!K) {
		perror("calloc");
		exit(2);
	}
	now = 1000;
	nsent = narp_requests = 0;
	keel_init(K, dev_mac, DEV_IP, 24, 0, seed, tx, NULL);
}

/* ---- the scripts ---- */

struct client {
	int h;
	uint32_t iss;        /* the device's ISN for this connection */
};
static struct client clients[SCALE_CONNS];

static void scale_10k_established(void)
{
	setup();
	for (unsigned i = 0; i < CLIENTS; i++)
		arp_from(CLIENT_IP(i), ARP_OP_REQUEST);
	int l = tcp_listen(K, ECHO_PORT, -1);
	CHECK(l >= 0);
	/* Handshakes, accepted as they complete (a server's accept loop). */
	for (unsigned i = 0; i < SCALE_CONNS; i++) {
		unsigned mark = nsent = 0;
		segment(CLIENT_IP(i), CLIENT_PORT(i), 1000, 0, TCP_SYN, NULL, 0);
		const struct sent *sa = last_to(mark, CLIENT_IP(i), CLIENT_PORT(i));
		CHECK(sa && sa->flags == (TCP_SYN | TCP_ACK) && sa->ack == 1001);
		clients[i].iss = sa->seq;
		segment(CLIENT_IP(i), CLIENT_PORT(i), 1001, sa->seq + 1, TCP_ACK, NULL, 0);
		clients[i].h = tcp_accept(K, l);
		CHECK(clients[i].h >= 0);
		if (i % 64 == 63)
			tick();
	}
	CHECK(tcp_curr_estab(K) == SCALE_CONNS);
	/* The 4-tuple hash: chains stay short with every TCB in use. */
	unsigned longest = 0;
	for (unsigned b = 0; b < TCP_TCB_BUCKETS; b++) {
		unsigned n = 0;
		for (uint16_t i = K->tcp.tcb_head[b]; i != TCP_NONE; i = K->tcp.tcbs[i].hnext)
			n++;
		if (n > longest)
			longest = n;
	}
	printf("  %u connections in %u buckets: longest chain %u\n", (unsigned)SCALE_CONNS,
	       (unsigned)TCP_TCB_BUCKETS, longest);
	CHECK(longest <= 12);

	/* One byte from every client in the same millisecond: 10,000 delayed
	 * ACKs come due together 200 ms later. */
	for (unsigned i = 0; i < SCALE_CONNS; i++) {
		uint8_t b = (uint8_t)('a' + i % 26);
		segment(CLIENT_IP(i), CLIENT_PORT(i), 1001, clients[i].iss + 1, TCP_ACK | TCP_PSH, &b, 1);
	}
	unsigned mark = nsent = 0;
	uint32_t worst = 0;
	for (unsigned ms = 0; ms < KEEL_TCP_DELACK_MS + 200; ms++) {
		tick();
		if (K->tcp.wheel.work > worst)
			worst = K->tcp.wheel.work;
	}
	printf("  %u delayed ACKs due at once: most timer work in one tick %u (budget %u)\n",
	       (unsigned)SCALE_CONNS, (unsigned)worst, 256u);
	CHECK(worst <= 256);
	for (unsigned i = 0; i < SCALE_CONNS; i += 97) {
		const struct sent *a = last_to(mark, CLIENT_IP(i), CLIENT_PORT(i));
		CHECK(a && (a->flags & TCP_ACK) && a->ack == 1002);
	}
	/* Each echoes its own byte. */
	mark = nsent = 0;
	for (unsigned i = 0; i < SCALE_CONNS; i++) {
		uint8_t b;
		CHECK(tcp_recv(K, clients[i].h, &b, 1) == 1);
		CHECK(b == (uint8_t)('a' + i % 26));
		CHECK(tcp_send(K, clients[i].h, &b, 1) == 1);
	}
	for (unsigned i = 0; i < SCALE_CONNS; i += 89) {
		const struct sent *e = last_to(mark, CLIENT_IP(i), CLIENT_PORT(i));
		CHECK(e && e->len == 1 && e->byte == (uint8_t)('a' + i % 26));
	}
	/* The clients ACK and close; the app closes; the last ACKs free all. */
	for (unsigned i = 0; i < SCALE_CONNS; i++)
		segment(CLIENT_IP(i), CLIENT_PORT(i), 1002, clients[i].iss + 2, TCP_ACK | TCP_FIN, NULL, 0);
	for (unsigned i = 0; i < SCALE_CONNS; i++)
		CHECK(tcp_close(K, clients[i].h) == KEEL_OK);
	for (unsigned i = 0; i < SCALE_CONNS; i++)
		segment(CLIENT_IP(i), CLIENT_PORT(i), 1003, clients[i].iss + 3, TCP_ACK, NULL, 0);
	for (unsigned ms = 0; ms < 1000; ms++)
		tick();
	struct keel_pool_usage u;
	tcp_pool_get(K, TCP_POOL_TCB, &u);
	CHECK(u.in_use == 0 && u.high_water == SCALE_CONNS);
	tcp_pool_get(K, TCP_POOL_SYN_QUEUE, &u);
	CHECK(u.in_use == 0);
	CHECK(K->tcp.wheel.count == 0);
	CHECK(K->tcp.chunks.in_use == 0);           /* every data chunk back in the pool */
	CHECK(tcp_close(K, l) == KEEL_OK);
}

/* Idle connections cost the tick nothing: the work of a second of ticks is
 * the same with one connection and with SCALE_CONNS, each with a keepalive
 * timer a minute away. */
static unsigned idle_work(unsigned conns)
{
	setup();
	arp_from(CLIENT_IP(0), ARP_OP_REQUEST);
	int l = tcp_listen(K, ECHO_PORT, -1);
	for (unsigned i = 0; i < conns; i++) {
		unsigned mark = nsent = 0;
		segment(CLIENT_IP(0), (uint16_t)(1024 + i), 1000, 0, TCP_SYN, NULL, 0);
		const struct sent *sa = last_to(mark, CLIENT_IP(0), (uint16_t)(1024 + i));
		if (!sa)
			return ~0u;
		segment(CLIENT_IP(0), (uint16_t)(1024 + i), 1001, sa->seq + 1, TCP_ACK, NULL, 0);
		/* A keepalive timer on each: idle, yet every TCB is in the wheel. */
		if (tcp_set_keepalive(K, tcp_accept(K, l), 60, 1, 3) != KEEL_OK)
			return ~0u;
	}
	/* The SYN-queue entry's node may stay filed after the hand-off
	 * (wheel_file_lazy): count the TCBs' nodes. */
	for (unsigned i = 0; i < conns; i++)
		if (!wheel_queued(K, (uint16_t)i))
			return ~0u;
	unsigned total = 0;
	for (unsigned ms = 0; ms < 1000; ms++) {
		tick();
		total += K->tcp.wheel.work;
	}
	return total;
}

static void scale_idle_tick_work(void)
{
	unsigned one = idle_work(1), many = idle_work(SCALE_CONNS);
	printf("  1000 idle ticks: timer work %u with 1 connection, %u with %u\n", one, many,
	       (unsigned)SCALE_CONNS);
	CHECK(many <= one + 16);
	CHECK(many <= 2000);
}

/* Every TCB but one held open; the last slot is connected and aborted
 * through every generation its handle can carry. */
static void scale_handle_full_width(void)
{
	setup();
	arp_from(CLIENT_IP(0), ARP_OP_REQUEST);
	for (unsigned i = 0; i + 1 < KEEL_TCP_MAX_CONN; i++)
		CHECK(tcp_connect(K, CLIENT_IP(0), 80, (uint16_t)(1024 + i)) >= 0);
	int prev = -1;
	unsigned cycles = 0;
	for (;;) {
		int h = tcp_connect(K, CLIENT_IP(2), 80, 0);
		if (h == KEEL_ENOMEM)
			break;
		CHECK(h >= 0);
		CHECK(tcp_handle_slot(h) == tcp_handle_slot(prev < 0 ? h : prev));
		if (prev >= 0)
			CHECK(tcp_get_state(K, prev) == KEEL_EBADF);
		CHECK(tcp_abort(K, h) == KEEL_OK);
		prev = h;
		cycles++;
		CHECK(cycles <= TCP_H_GEN_MAX);
	}
	printf("  one slot through %u generations (%u index bits), then retired\n", cycles,
	       (unsigned)TCP_H_IDX_BITS);
	CHECK(cycles == TCP_H_GEN_MAX);
	CHECK(K->tcp.tcbs_retired == 1);
	for (uint32_t g = 0; g <= 3; g++)
		CHECK(tcp_get_state(K, tcp_handle_make(tcp_handle_slot(prev), g)) == KEEL_EBADF);
	CHECK(tcp_get_state(K, prev) == KEEL_EBADF);
}

/* A host not yet in the neighbour table sends 64 SYNs at once: every
 * SYN-ACK waits for its ARP reply, none is lost. */
static void scale_arp_burst(void)
{
	setup();
	int l = tcp_listen(K, ECHO_PORT, -1);
	CHECK(l >= 0);
	uint32_t host = CLIENT_IP(5);
	for (unsigned i = 0; i < 64; i++)
		segment(host, (uint16_t)(30000 + i), 5000, 0, TCP_SYN, NULL, 0);
	CHECK(nsent == 0);
	CHECK(narp_requests == 1);
	arp_from(host, ARP_OP_REPLY);
	unsigned synacks = 0;
	for (unsigned n = 0; n < nsent; n++)
		synacks += sent[n].dst == host && sent[n].flags == (TCP_SYN | TCP_ACK);
	printf("  64 SYNs from an unresolved host: %u SYN-ACKs after its ARP reply\n", synacks);
	CHECK(synacks == 64);
}

/* ---- firmware/apps.c with counting services (as tests/unit/test_fw_apps.c):
 * echo and discard without a stage, as the firmware's; port 13 with one,
 * done at its first serve (apps.c then closes it: the device's FIN) ---- */
static unsigned polls;

static int count_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	(void)k;
	(void)c;
	(void)ev;
	polls++;
	return 0;
}

static int done_poll(struct keel *k, struct app_conn *c, unsigned ev)
{
	(void)k;
	(void)c;
	(void)ev;
	polls++;
	return 1;
}

const struct service svc_echo = { "echo", 7, 0, NULL, count_poll, NULL };
const struct service svc_discard = { "discard", 9, 0, NULL, count_poll, NULL };
const struct service svc_daytime = { "daytime", 13, 1, NULL, done_poll, NULL };
const struct service svc_chargen = { "chargen", 19, 1, NULL, count_poll, NULL };
const struct service svc_http = { "http", 80, 1, NULL, count_poll, NULL };
const struct service svc_iperf = { "iperf", 5001, 0, NULL, count_poll, NULL };
void udp_echo_init(struct keel *k) { (void)k; }
void udp_echo_poll(struct keel *k) { (void)k; }

/* One millisecond of the firmware's loop with no frame: timers, the pass. */
static void loop_ms(void)
{
	tick();
	(void)apps_poll(K, now);
}

#define LINE_CONNS 200u                    /* port-13 connections with all held */
#define LINE_CLIENT 0xc0000201u            /* from 192.0.2.1 */

static void scale_apps_held(void)
{
	setup();
	for (unsigned i = 0; i < CLIENTS; i++)
		arp_from(CLIENT_IP(i), ARP_OP_REQUEST);
	arp_from(LINE_CLIENT, ARP_OP_REQUEST);
	apps_init(K);
	/* SCALE_CONNS echo connections, accepted by the apps as each
	 * completes, a millisecond of the loop every 64. */
	polls = 0;
	for (unsigned i = 0; i < SCALE_CONNS; i++) {
		unsigned mark = nsent = 0;
		segment(CLIENT_IP(i), CLIENT_PORT(i), 1000, 0, TCP_SYN, NULL, 0);
		const struct sent *sa = last_to(mark, CLIENT_IP(i), CLIENT_PORT(i));
		CHECK(sa && sa->flags == (TCP_SYN | TCP_ACK) && sa->ack == 1001);
		segment(CLIENT_IP(i), CLIENT_PORT(i), 1001, sa->seq + 1, TCP_ACK, NULL, 0);
		(void)apps_poll_events(K, now);
		if (i % 64 == 63)
			loop_ms();
	}
	CHECK(tcp_curr_estab(K) == SCALE_CONNS);
	printf("  %u echo connections held: %u serves while they opened\n", (unsigned)SCALE_CONNS,
	       polls);
	CHECK(polls == SCALE_CONNS);           /* one each, at its accept; no sweep */
	/* Idle: the handshakes' stopped timers leave the wheel, then a
	 * second of the loop serves none of the connections held. */
	for (unsigned ms = 0; ms < 3000; ms++)
		loop_ms();
	polls = 0;
	uint32_t worst = 0;
	for (unsigned ms = 0; ms < 1000; ms++) {
		loop_ms();
		if (K->tcp.wheel.work > worst)
			worst = K->tcp.wheel.work;
	}
	printf("  1000 idle ms with them held: %u serves, most timer work in one tick %u\n", polls,
	       (unsigned)worst);
	CHECK(polls == 0);
	CHECK(worst <= 256);                   /* the wheel's budget (tcp_wheel.c) */
	/* Port-13 connections, each made and closed by the device with all
	 * held: one serve and three segments from the device each (SYN-ACK,
	 * FIN, the ACK of the client's FIN: it then holds TIME_WAIT). */
	polls = 0;
	unsigned segs = 0;
	for (unsigned j = 0; j < LINE_CONNS; j++) {
		uint16_t port = (uint16_t)(40000u + j);
		unsigned mark = nsent = 0;
		segment_to(LINE_CLIENT, port, 13, 5000, 0, TCP_SYN, NULL, 0);
		const struct sent *sa = last_to(mark, LINE_CLIENT, port);
		CHECK(sa && sa->flags == (TCP_SYN | TCP_ACK));
		uint32_t iss = sa->seq;
		segment_to(LINE_CLIENT, port, 13, 5001, iss + 1, TCP_ACK, NULL, 0);
		(void)apps_poll_events(K, now);
		const struct sent *fin = last_to(mark, LINE_CLIENT, port);
		CHECK(fin && (fin->flags & TCP_FIN));
		segment_to(LINE_CLIENT, port, 13, 5001, iss + 2, TCP_ACK | TCP_FIN, NULL, 0);
		(void)apps_poll_events(K, now);
		loop_ms();
		segs += nsent;
	}
	printf("  %u port-13 connections with %u held: %u serves, %u segments sent\n",
	       LINE_CONNS, (unsigned)SCALE_CONNS, polls, segs);
	CHECK(polls == LINE_CONNS);
	CHECK(segs == 3 * LINE_CONNS);
	CHECK(tcp_curr_estab(K) == SCALE_CONNS);
	CHECK(K->tcp.pool[TCP_POOL_TIME_WAIT].in_use == LINE_CONNS);
}

int main(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} scripts[] = {
		{"scale_10k_established", scale_10k_established},
		{"scale_idle_tick_work", scale_idle_tick_work},
		{"scale_handle_full_width", scale_handle_full_width},
		{"scale_arp_burst", scale_arp_burst},
		{"scale_apps_held", scale_apps_held},
	};
	unsigned passed = 0, failed = 0;
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		int before = failures;
		printf("== %s\n", scripts[i].name);
		scripts[i].fn();
		if (failures == before) {
			passed++;
		} else {
			failed++;
			printf("FAIL %s\n", scripts[i].name);
		}
	}
	free(K);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
