/* SYN flood on the host: 100,000 spoofed SYNs (half from random addresses
 * inside 192.0.2.0/24, half from random addresses anywhere) and a stream of
 * spoofed ACKs guessing at cookies, through one stack instance, interleaved
 * with 100 real clients that answer ARP, complete the handshake, send 700
 * bytes, read them echoed back and close.  Everything is frames in memory:
 * nothing goes on a network.
 *
 * Not a packet script: the harness checks every step against one peer,
 * which is too slow and too narrow here, so this file drives its own
 * struct keel and netdev (the SCRIPT only reports through th_fail).
 * Checked after every call into the stack: pools within their sizes, the
 * ARP queue within its bounds.  At the end: every real client done (with
 * cookies on), counters that add up, real hosts never pushed out of the
 * ARP cache by the spoofed ones. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "harness.h"

#define FL_SPOOFED_SYNS 100000u
#define FL_CLIENTS 100
/* Real hosts 192.0.2.10 .. .13.  The ARP cache keeps at most
 * KEEL_ARP_CACHE_SIZE - KEEL_ARP_MAX_PENDING answering neighbours safe from
 * a spoofed-source flood (arp.c); this many are checked to stay cached. */
#define FL_HOSTS (KEEL_ARP_CACHE_SIZE - KEEL_ARP_MAX_PENDING)
#define FL_HOST_BASE 0xc000020au
#define FL_FLOOD_MS 150000u            /* one SYN in two of every three ms */
#define FL_CLIENT_EVERY_MS 1490u
#define FL_ACK_EVERY_MS 10u            /* a spoofed ACK every 10 ms after 1 s */
#define FL_END_MS 170000u
#define FL_DATA 700u
#define FL_WIRE 64
#define FL_BACKLOG 128                 /* > KEEL_SYN_BACKLOG: the pool bound is hit */

static const uint8_t fl_dev_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t fl_seed[16] = "keel-flood-test";

enum { CL_IDLE, CL_SYN_SENT, CL_ESTAB, CL_DONE, CL_FAILED };

struct fl_client {
	int state;
	uint32_t ip;
	uint16_t port;
	uint16_t mss;             /* what it advertises */
	uint32_t iss, irs, rcv_nxt;
	uint32_t echoed;          /* bytes of its data it got back */
	int fin_rcvd, fin_acked;
	uint32_t due;             /* retransmit */
	unsigned tries;
	const char *why;
};

struct fl_conn {
	int h;
	uint32_t len;
	uint8_t buf[FL_DATA + 64];
};

struct fl {
	struct th *t;
	struct keel *k;
	uint32_t now;
	uint64_t rng;
	struct fl_client cl[FL_CLIENTS];
	struct fl_conn conn[KEEL_TCP_MAX_CONN];
	int listener;
	/* frames to the device, delivered after the current call returns */
	uint8_t wire[FL_WIRE][128 + FL_DATA];
	size_t wire_len[FL_WIRE];
	int nwire;
	/* observations */
	uint32_t syns, syns_martian, acks, acks_martian, legit_syns;
	uint32_t out_spoofed, out_arp_req, arp_req_legit, max_arp_per_call, arp_this_call;
	uint32_t accepted, echoed_conns, oversize;
	int in_stack;
};

static uint32_t rnd(struct fl *f)
{
	f->rng ^= f->rng << 13;
	f->rng ^= f->rng >> 7;
	f->rng ^= f->rng << 17;
	return (uint32_t)(f->rng >> 16);
}

static void w16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void w32(uint8_t *p, uint32_t v) { w16(p, v >> 16); w16(p + 2, v); }
static uint16_t r16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t r32(const uint8_t *p) { return (uint32_t)r16(p) << 16 | r16(p + 2); }

static uint16_t csum(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void host_mac(uint32_t ip, uint8_t mac[6])
{
	mac[0] = 0x02; mac[1] = 0; mac[2] = 0; mac[3] = 1;
	mac[4] = (uint8_t)(ip >> 8); mac[5] = (uint8_t)ip;
}

/* A TCP/IPv4 frame from src to the device. */
static size_t tcp_frame(uint8_t *b, uint32_t src, uint16_t sport, uint16_t dport, uint32_t seq,
			uint32_t ack, uint8_t flags, uint16_t mss, const uint8_t *data, size_t len)
{
	size_t hl = mss ? 24 : 20, tl = hl + len;
	memcpy(b, fl_dev_mac, 6);
	host_mac(src, b + 6);
	w16(b + 12, 0x0800);
	uint8_t *ip = b + 14, *tcp = ip + 20;
	memset(ip, 0, 20 + hl);
	ip[0] = 0x45;
	w16(ip + 2, (uint32_t)(20 + tl));
	ip[8] = 64;
	ip[9] = 6;
	w32(ip + 12, src);
	w32(ip + 16, TH_DEV_IP);
	w16(ip + 10, csum(0, ip, 20));
	w16(tcp, sport);
	w16(tcp + 2, dport);
	w32(tcp + 4, seq);
	w32(tcp + 8, ack);
	tcp[12] = (uint8_t)((hl / 4) << 4);
	tcp[13] = flags;
	w16(tcp + 14, 8192);
	if (mss) {
		tcp[20] = 2; tcp[21] = 4;
		w16(tcp + 22, mss);
	}
	if (len)
		memcpy(tcp + hl, data, len);
	uint32_t s = (src >> 16) + (src & 0xffff) + (TH_DEV_IP >> 16) + (TH_DEV_IP & 0xffff) + 6 + (uint32_t)tl;
	w16(tcp + 16, csum(s, tcp, tl));
	size_t n = 14 + 20 + tl;
	return n < 60 ? 60 : n;
}

static void wire_push(struct fl *f, const uint8_t *b, size_t n)
{
	if (f->nwire == FL_WIRE || n > sizeof(f->wire[0]))
		th_fail(f->t, __LINE__, "flood test wire queue overflow");
	memcpy(f->wire[f->nwire], b, n);
	f->wire_len[f->nwire++] = n;
}

static uint8_t data_byte(int i, uint32_t off) { return (uint8_t)('A' + ((uint32_t)i + off) % 26u); }

static void client_send(struct fl *f, int i, uint32_t seq, uint8_t flags, const uint8_t *d, size_t n)
{
	struct fl_client *c = &f->cl[i];
	uint8_t b[128 + FL_DATA];
	size_t len = tcp_frame(b, c->ip, c->port, 7, seq, c->rcv_nxt, flags,
			       (flags & 0x02) ? c->mss : 0, d, n);
	wire_push(f, b, len);
}

/* The client's first flight after the SYN-ACK: ACK with all its data, then
 * FIN (sent again on its retransmit timer until acknowledged). */
static void client_flight(struct fl *f, int i)
{
	struct fl_client *c = &f->cl[i];
	uint8_t d[FL_DATA];
	for (uint32_t j = 0; j < FL_DATA; j++)
		d[j] = data_byte(i, j);
	client_send(f, i, c->iss + 1, 0x18, d, FL_DATA);
	client_send(f, i, c->iss + 1 + FL_DATA, 0x11, NULL, 0);
}

static void client_fail(struct fl *f, int i, const char *why)
{
	if (f->cl[i].state != CL_FAILED) {
		f->cl[i].state = CL_FAILED;
		f->cl[i].why = why;
	}
}

/* A segment from the device to real client i. */
static void client_input(struct fl *f, int i, const uint8_t *tcp, size_t tl)
{
	struct fl_client *c = &f->cl[i];
	uint32_t seq = r32(tcp + 4), ack = r32(tcp + 8);
	uint8_t flags = tcp[13];
	size_t doff = (size_t)(tcp[12] >> 4) * 4u;
	const uint8_t *p = tcp + doff;
	size_t n = tl - doff;
	if (c->state == CL_DONE || c->state == CL_FAILED || c->state == CL_IDLE)
		return;
	if (flags & 0x04) {
		client_fail(f, i, "reset by the device");
		return;
	}
	if ((flags & 0x12) == 0x12) {            /* SYN-ACK, maybe again */
		if (ack != c->iss + 1) {
			client_fail(f, i, "SYN-ACK acks the wrong ISN");
			return;
		}
		if (c->state == CL_SYN_SENT) {
			c->irs = seq;
			c->rcv_nxt = seq + 1;
			c->state = CL_ESTAB;
			c->tries = 0;
			c->due = f->now + 1000;
		}
		client_flight(f, i);
		return;
	}
	if (c->state != CL_ESTAB)
		return;
	if (n > c->mss)
		f->oversize++;                    /* larger than it asked for */
	int ack_it = 0;
	if (n > 0) {
		ack_it = 1;
		if (seq == c->rcv_nxt) {
			for (size_t j = 0; j < n; j++)
				if (p[j] != data_byte(i, c->echoed + (uint32_t)j))
					client_fail(f, i, "echo differs");
			c->echoed += (uint32_t)n;
			c->rcv_nxt += (uint32_t)n;
		}
	}
	if ((flags & 0x01) && seq + n == c->rcv_nxt) {
		c->rcv_nxt++;
		c->fin_rcvd = 1;
		ack_it = 1;
	}
	if ((flags & 0x10) && ack == c->iss + FL_DATA + 2)
		c->fin_acked = 1;
	if (ack_it)
		client_send(f, i, c->iss + FL_DATA + 2, 0x10, NULL, 0);
	if (c->fin_rcvd && c->fin_acked && c->echoed == FL_DATA)
		c->state = CL_DONE;                /* and TIME_WAIT on its side */
}

static int legit_index(uint32_t ip, uint16_t port)
{
	if (ip < FL_HOST_BASE || ip >= FL_HOST_BASE + FL_HOSTS)
		return -1;
	int i = port - 50000;
	return i >= 0 && i < FL_CLIENTS ? i : -1;
}

static int fl_tx(void *ctx, const uint8_t *b, size_t len)
{
	struct fl *f = ctx;
	if (len < 42)
		return 0;
	if (r16(b + 12) == 0x0806) {
		if (r16(b + 20) != 1)
			return 0;
		f->out_arp_req++;
		f->arp_this_call++;
		uint32_t tpa = r32(b + 38);
		if (tpa >= FL_HOST_BASE && tpa < FL_HOST_BASE + FL_HOSTS) {
			/* a real host answers (the spoofed ones never do) */
			uint8_t r[60];
			memset(r, 0, sizeof(r));
			memcpy(r, fl_dev_mac, 6);
			host_mac(tpa, r + 6);
			w16(r + 12, 0x0806);
			w16(r + 14, 1); w16(r + 16, 0x0800); r[18] = 6; r[19] = 4;
			w16(r + 20, 2);
			host_mac(tpa, r + 22);
			w32(r + 28, tpa);
			memcpy(r + 32, fl_dev_mac, 6);
			w32(r + 38, TH_DEV_IP);
			wire_push(f, r, sizeof(r));
			f->arp_req_legit++;
		}
		return 0;
	}
	if (r16(b + 12) != 0x0800 || b[23] != 6)
		return 0;
	const uint8_t *ip = b + 14;
	size_t ihl = (size_t)(ip[0] & 15) * 4u, tot = r16(ip + 2);
	uint32_t dst = r32(ip + 16);
	const uint8_t *tcp = ip + ihl;
	int i = legit_index(dst, r16(tcp + 2));
	uint8_t mac[6];
	host_mac(dst, mac);
	if (i < 0) {
		f->out_spoofed++;
		return 0;
	}
	if (memcmp(b, mac, 6))
		th_fail(f->t, __LINE__, "frame for a real host to the wrong MAC");
	client_input(f, i, tcp, tot - ihl);
	return 0;
}

static void check(struct fl *f, int line)
{
	struct keel *k = f->k;
	for (int p = 0; p < TCP_NPOOLS; p++) {
		struct keel_pool_usage u;
		tcp_pool_get(k, (enum tcp_pool)p, &u);
		if (u.in_use > u.size || u.high_water > u.size)
			th_fail(f->t, line, "pool %d: in_use %u high_water %u size %u at %" PRIu32,
				p, u.in_use, u.high_water, u.size, f->now);
	}
	if (k->arp.queued > KEEL_ARP_QUEUE_LEN)
		th_fail(f->t, line, "ARP queue %u > %u", k->arp.queued, KEEL_ARP_QUEUE_LEN);
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE; i++)
		if (k->arp.cache[i].queued > KEEL_ARP_QUEUE_PER_ENTRY)
			th_fail(f->t, line, "ARP entry %d holds %u packets", i, k->arp.cache[i].queued);
	if (f->arp_this_call > f->max_arp_per_call)
		f->max_arp_per_call = f->arp_this_call;
	f->arp_this_call = 0;
}

/* The application: accept everything, read to end of stream, echo, close. */
static void app(struct fl *f)
{
	struct keel *k = f->k;
	for (;;) {
		int h = tcp_accept(k, f->listener);
		if (h < 0)
			break;
		int slot = -1;
		for (int s = 0; s < KEEL_TCP_MAX_CONN; s++)
			if (f->conn[s].h < 0) {
				slot = s;
				break;
			}
		if (slot < 0)
			th_fail(f->t, __LINE__, "more accepted connections than TCBs");
		f->conn[slot].h = h;
		f->conn[slot].len = 0;
		f->accepted++;
	}
	for (int s = 0; s < KEEL_TCP_MAX_CONN; s++) {
		struct fl_conn *c = &f->conn[s];
		if (c->h < 0)
			continue;
		int r = tcp_recv(k, c->h, c->buf + c->len, sizeof(c->buf) - c->len);
		if (r > 0) {
			c->len += (uint32_t)r;
		} else if (r == 0) {
			int w = tcp_send(k, c->h, c->buf, c->len);
			if (w != (int)c->len)
				th_fail(f->t, __LINE__, "echo: tcp_send = %d", w);
			(void)tcp_close(k, c->h);
			c->h = -1;
			f->echoed_conns++;
		} else if (r != KEEL_EWOULDBLOCK) {
			(void)tcp_close(k, c->h);
			c->h = -1;
		}
	}
}

/* After every call into the stack: frames the device sent have been seen
 * (fl_tx); deliver the answers, run the app, check. */
static void settle(struct fl *f, int line)
{
	for (int round = 0; round < 16; round++) {
		check(f, line);
		app(f);
		if (f->nwire == 0)
			break;
		/* deliver a snapshot: answers to these go to the queue again */
		static uint8_t snap[FL_WIRE][128 + FL_DATA];
		static size_t slen[FL_WIRE];
		int n = f->nwire;
		for (int j = 0; j < n; j++) {
			memcpy(snap[j], f->wire[j], f->wire_len[j]);
			slen[j] = f->wire_len[j];
		}
		f->nwire = 0;
		for (int j = 0; j < n; j++) {
			keel_input(f->k, snap[j], slen[j], f->now);
			check(f, line);
		}
	}
	check(f, line);
}

static const uint16_t mss_choice[5] = { 0, 536, 1300, 1440, 1460 };

static void spoof(struct fl *f, int syn)
{
	uint32_t src;
	if (rnd(f) & 1) {
		do
			src = 0xc0000200u | (rnd(f) & 0xffu);
		while ((src & 0xff) == 2 || (src >= FL_HOST_BASE && src < FL_HOST_BASE + FL_HOSTS));
	} else {
		do
			src = rnd(f) << 16 ^ rnd(f);
		while ((src & 0xffffff00u) == 0xc0000200u);
	}
	uint8_t b[128];
	size_t n;
	uint32_t m0 = f->k->ip.in_martians;
	if (syn) {
		/* ports never repeat within 63 s: no SYN hits a live entry */
		uint16_t port = (uint16_t)(1024u + f->syns % 64000u);
		n = tcp_frame(b, src, port, 7, rnd(f) << 16 ^ rnd(f), 0, 0x02, mss_choice[rnd(f) % 5], NULL, 0);
		f->syns++;
	} else {
		n = tcp_frame(b, src, (uint16_t)(rnd(f) | 1024u), 7, rnd(f) << 16 ^ rnd(f),
			      rnd(f) << 16 ^ rnd(f), 0x10, 0, NULL, 0);
		f->acks++;
	}
	keel_input(f->k, b, n, f->now);
	if (f->k->ip.in_martians != m0) {
		if (syn)
			f->syns_martian++;
		else
			f->acks_martian++;
	}
	settle(f, __LINE__);
}

static void client_start(struct fl *f, int i)
{
	struct fl_client *c = &f->cl[i];
	c->state = CL_SYN_SENT;
	c->ip = FL_HOST_BASE + (uint32_t)(i % FL_HOSTS);
	c->port = (uint16_t)(50000 + i);
	c->mss = mss_choice[1 + i % 4];
	c->iss = rnd(f) << 16 ^ rnd(f);
	c->due = f->now + 1000;
	client_send(f, i, c->iss, 0x02, NULL, 0);
	f->legit_syns++;
	settle(f, __LINE__);
}

static void client_timers(struct fl *f)
{
	for (int i = 0; i < FL_CLIENTS; i++) {
		struct fl_client *c = &f->cl[i];
		if ((c->state != CL_SYN_SENT && c->state != CL_ESTAB) || (int32_t)(f->now - c->due) < 0)
			continue;
		if (++c->tries > 6) {
			client_fail(f, i, "gave up after 6 retransmits");
			continue;
		}
		c->due = f->now + (1000u << (c->tries < 4 ? c->tries : 4));
		if (c->state == CL_SYN_SENT) {
			client_send(f, i, c->iss, 0x02, NULL, 0);
			f->legit_syns++;
		} else if (!c->fin_acked) {
			client_flight(f, i);
		}
	}
}

struct fl_result {
	uint32_t done, failed;
};

static struct fl_result flood(struct th *t, struct fl *f, unsigned cookies)
{
	memset(f, 0, sizeof(*f));
	f->t = t;
	f->rng = 0x9e3779b97f4a7c15ull;
	f->now = TH_DEFAULT_CLOCK;
	for (int s = 0; s < KEEL_TCP_MAX_CONN; s++)
		f->conn[s].h = -1;
	static struct keel fl_keel;   /* static: th_fail may longjmp out */
	memset(&fl_keel, 0, sizeof(fl_keel));
	f->k = &fl_keel;
	keel_init(f->k, fl_dev_mac, TH_DEV_IP, TH_PREFIX, 0, fl_seed, fl_tx, f);
	f->k->tcp.sysctl.tcp_syncookies = (uint8_t)cookies;
	f->listener = tcp_listen(f->k, 7, FL_BACKLOG);
	if (f->listener < 0)
		th_fail(t, __LINE__, "tcp_listen = %d", f->listener);
	const uint32_t start = f->now;
	int next_client = 0;
	for (uint32_t ms = 0; ms < FL_END_MS; ms++) {
		f->now = start + ms;
		keel_tick(f->k, f->now);
		settle(f, __LINE__);
		client_timers(f);
		settle(f, __LINE__);
		if (ms < FL_FLOOD_MS && ms % 3 != 0 && f->syns < FL_SPOOFED_SYNS)
			spoof(f, 1);
		if (ms >= 1000 && ms < FL_FLOOD_MS && ms % FL_ACK_EVERY_MS == 5)
			spoof(f, 0);
		if (next_client < FL_CLIENTS && ms == 500u + (uint32_t)next_client * FL_CLIENT_EVERY_MS)
			client_start(f, next_client++);
	}
	struct fl_result r = { 0, 0 };
	for (int i = 0; i < FL_CLIENTS; i++) {
		if (f->cl[i].state == CL_DONE)
			r.done++;
		else
			r.failed++;
	}
	if (f->syns != FL_SPOOFED_SYNS)
		th_fail(t, __LINE__, "sent %" PRIu32 " spoofed SYNs", f->syns);
	return r;
}

static struct fl *fl_new(void)
{
	static struct fl fl_state;
	return &fl_state;
}

static void report(const char *name, const struct fl *f, const struct fl_result *r)
{
	const struct tcp_mib *m = tcp_get_mib(f->k);
	struct keel_pool_usage sq;
	tcp_pool_get(f->k, TCP_POOL_SYN_QUEUE, &sq);
	fprintf(stderr,
		"  %s: clients %" PRIu32 "/%d; SYNs %" PRIu32 " (+%" PRIu32 " real, %" PRIu32
		" martian); cookies sent %" PRIu32 " recv %" PRIu32 " failed %" PRIu32
		"; listen drops %" PRIu32 "; synq hwm %u; ARP requests %" PRIu32 " (real hosts %" PRIu32
		", max/call %" PRIu32 ", queue hwm %" PRIu32 ", drops %" PRIu32 ")\n",
		name, r->done, FL_CLIENTS, f->syns, f->legit_syns, f->syns_martian, m->syncookies_sent,
		m->syncookies_recv, m->syncookies_failed, m->listen_drops, sq.high_water, f->out_arp_req,
		f->arp_req_legit, f->max_arp_per_call, f->k->arp.stats.queue_hwm, f->k->arp.stats.queue_drops);
}

/* Checks shared by every mode. */
static void common_checks(struct th *t, struct fl *f)
{
	const struct tcp_mib *m = tcp_get_mib(f->k);
	ASSERT_TRUE(f->oversize == 0);
	ASSERT_TRUE(f->k->arp.stats.queue_hwm <= KEEL_ARP_QUEUE_LEN);
	/* one ARP request per packet at most, plus the retries of a cache's
	 * worth of entries and a tick's SYN-ACK retransmit budget */
	ASSERT_TRUE(f->max_arp_per_call <= KEEL_ARP_CACHE_SIZE + 16u + 1u);
	/* real hosts keep their cache entries through the flood: a handful of
	 * requests each (first contact, a refresh per minute), never one per
	 * connection */
	ASSERT_TRUE(f->arp_req_legit <= FL_HOSTS * (FL_END_MS / 50000u + 2u));
	/* every spoofed ACK was answered by a RST or dropped as martian */
	ASSERT_TRUE(m->out_rsts >= f->acks - f->acks_martian);
	ASSERT_TRUE(m->passive_opens == f->accepted);
	ASSERT_TRUE(f->echoed_conns <= f->accepted);
}

/* With cookies on, every legitimate client must have got through. */
static void all_clients_done(struct th *t, struct fl *f)
{
	for (int i = 0; i < FL_CLIENTS; i++)
		if (f->cl[i].state != CL_DONE)
			th_fail(t, __LINE__, "client %d: %s", i, f->cl[i].why ? f->cl[i].why : "not done");
}

/* tcp_syncookies = 1 (the default): the SYN queue fills with spoofed
 * entries within 0.1 s and stays full; every real client gets a cookie
 * and gets through. */
SCRIPT(flood_cookies_on_overflow)
{
	struct fl *f = fl_new();
	struct fl_result r = flood(t, f, 1);
	report("tcp_syncookies=1", f, &r);
	const struct tcp_mib *m = tcp_get_mib(f->k);
	struct keel_pool_usage sq;
	tcp_pool_get(f->k, TCP_POOL_SYN_QUEUE, &sq);
	all_clients_done(t, f);
	common_checks(t, f);
	ASSERT_TRUE(f->accepted == FL_CLIENTS && f->echoed_conns == FL_CLIENTS);
	ASSERT_TRUE(sq.high_water == KEEL_SYN_BACKLOG);   /* the whole pool, never more */
	/* every SYN that reached TCP: a SYN-queue entry, a cookie, or dropped;
	 * entries live 63 s, so at most a pool's worth per 63 s */
	uint32_t at_tcp = f->syns - f->syns_martian + f->legit_syns;
	ASSERT_TRUE(m->listen_drops == 0);
	ASSERT_TRUE(m->syncookies_sent <= at_tcp);
	uint32_t admitted = at_tcp - m->syncookies_sent;
	ASSERT_TRUE(admitted <= KEEL_SYN_BACKLOG * (FL_END_MS / 63000u + 1u) + FL_CLIENTS);
	ASSERT_TRUE(m->syncookies_recv >= FL_CLIENTS - 5 && m->syncookies_recv <= FL_CLIENTS);
	/* every spoofed ACK that reached the listener was checked and failed */
	ASSERT_TRUE(m->syncookies_failed == f->acks - f->acks_martian);
}

/* tcp_syncookies = 2: no SYN-queue entry ever; every SYN gets a cookie. */
SCRIPT(flood_cookies_always)
{
	struct fl *f = fl_new();
	struct fl_result r = flood(t, f, 2);
	report("tcp_syncookies=2", f, &r);
	const struct tcp_mib *m = tcp_get_mib(f->k);
	struct keel_pool_usage sq;
	tcp_pool_get(f->k, TCP_POOL_SYN_QUEUE, &sq);
	all_clients_done(t, f);
	common_checks(t, f);
	ASSERT_TRUE(sq.high_water == 0);
	ASSERT_TRUE(m->syncookies_sent == f->syns - f->syns_martian + f->legit_syns);
	ASSERT_TRUE(m->syncookies_recv == FL_CLIENTS);
	ASSERT_TRUE(m->syncookies_failed == f->acks - f->acks_martian);
	ASSERT_TRUE(m->listen_drops == 0);
	ASSERT_TRUE(m->passive_opens == FL_CLIENTS);
}

/* tcp_syncookies = 0: the flood owns the SYN queue; nearly every SYN is
 * dropped and counted, and real clients mostly fail: what cookies are for. */
SCRIPT(flood_cookies_off)
{
	struct fl *f = fl_new();
	struct fl_result r = flood(t, f, 0);
	report("tcp_syncookies=0", f, &r);
	const struct tcp_mib *m = tcp_get_mib(f->k);
	common_checks(t, f);
	ASSERT_TRUE(m->syncookies_sent == 0 && m->syncookies_recv == 0 && m->syncookies_failed == 0);
	uint32_t at_tcp = f->syns - f->syns_martian + f->legit_syns;
	ASSERT_TRUE(m->listen_drops == m->req_q_full_drop);
	ASSERT_TRUE(m->listen_drops <= at_tcp);
	uint32_t admitted = at_tcp - m->listen_drops;
	ASSERT_TRUE(admitted <= KEEL_SYN_BACKLOG * (FL_END_MS / 63000u + 1u) + FL_CLIENTS);
	ASSERT_TRUE(m->listen_drops >= at_tcp - admitted);
	ASSERT_TRUE(r.done < FL_CLIENTS / 2);
	ASSERT_TRUE(m->passive_opens == r.done || m->passive_opens == f->accepted);
}
