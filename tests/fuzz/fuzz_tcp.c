/* Stateful libFuzzer target for the TCP engine.  The input is a program
 * (fuzz_tcp_ops.h) run against one stack: listeners and connections live
 * across its operations, frames carry valid headers and checksums unless
 * the program asks otherwise, and their sequence and acknowledgment
 * numbers are relative to what the stack really sent, so they land inside
 * windows.  The harness is the peers (two hosts, any number of ports) and
 * the application (handles, live and stale).
 *
 * Checked after every operation: tcp_invariants() (pools, tables,
 * sequence order, windows, a timer for every owed segment and orphan),
 * every frame the stack sends (IPv4 and TCP checksums against the header's
 * own addresses), every byte the application reads (the peer's byte at that
 * sequence number) and every byte the stack sends (the application's byte
 * at that stream offset), and that the right edge the stack advertises on
 * a connection never moves left.  After the program: every handle is
 * closed, the clock runs until every timer has fired, and every pool must
 * be empty again. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "byteorder.h"
#include "checksum.h"
#include "keel.h"
#include "sysctl.h"
#include "tcp_internal.h"
#include "fuzz_tcp_ops.h"
#include "tcp_invariants.h"

#define ADDR_A 0xc0000202u   /* 192.0.2.2 */
#define ADDR_B 0xc0000209u   /* 192.0.2.9: where FZ_OP_ADDR moves it */
#define GATEWAY 0xc0000201u
#define NPEERS 2
#define NTUPLES 24
#define NHANDLES 64
#define NDPORTS 8

static const uint8_t dev_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t peer_mac[NPEERS][6] = { { 0x02, 0, 0, 0, 0, 0x01 }, { 0x02, 0, 0, 0, 0, 0x03 } };
static const uint32_t peer_ip[NPEERS] = { 0xc0000201u, 0xc0000203u };
static const uint8_t seed[16] = "keel-fuzz-tcp-01";

/* What one peer port knows about one 4-tuple. */
struct tuple {
	uint8_t used, peer, tainted;
	uint8_t have_iss, have_acked, have_edge, have_peer;
	uint16_t pport, dport;
	uint32_t iss, dev_max;        /* the stack's ISN, highest seq (+SYN/FIN) it sent */
	uint32_t acked;               /* the last ack the stack sent: its RCV.NXT */
	uint32_t edge;                /* the right edge it advertised last */
	uint32_t peer_isn, peer_max;  /* ours */
	uint32_t peer_una;            /* the highest ack we sent */
};

struct hslot {
	int h;
	uint32_t written, read;       /* application stream offsets */
	/* The connection's ISS and IRS, noted as soon as known (the TCB
	 * keeps neither once the handshake is over). */
	uint32_t iss, irs;
	uint8_t have_irs;
};

static struct keel K;
static struct tuple tup[NTUPLES];
static unsigned tup_next;
static struct hslot hs[NHANDLES];
static unsigned nh;
static int last_listen = -1, last_conn = -1;
static uint16_t dports[NDPORTS];
static unsigned dport_next;
static uint32_t now;
static uint8_t arp_pending[NPEERS];
static unsigned tx_count;
static uint8_t frame[KEEL_FRAME_MAX + 64];
static int trace;             /* KEEL_FUZZ_TRACE set: each operation on stderr */

#define TRACE(...) do { if (trace) fprintf(stderr, __VA_ARGS__); } while (0)

static void fail(const char *what, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *what, ...)
{
	va_list ap;
	va_start(ap, what);
	fprintf(stderr, "fuzz_tcp: ");
	vfprintf(stderr, what, ap);
	fprintf(stderr, " (clock %u)\n", now);
	va_end(ap);
	abort();
}

/* ------------------------------------------------------------ input */

struct rd {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct rd *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}
static uint16_t u16(struct rd *r) { uint16_t v = (uint16_t)(u8(r) << 8); return (uint16_t)(v | u8(r)); }
static uint32_t u32(struct rd *r) { uint32_t v = (uint32_t)u16(r) << 16; return v | u16(r); }

/* ------------------------------------------------------------ model */

static void add_dport(uint16_t p)
{
	for (unsigned i = 0; i < NDPORTS; i++)
		if (dports[i] == p)
			return;
	dports[dport_next++ % NDPORTS] = p;
}

static struct tuple *tuple_find(unsigned peer, uint16_t pport, uint16_t dport, int make)
{
	for (unsigned i = 0; i < NTUPLES; i++)
		if (tup[i].used && tup[i].peer == peer && tup[i].pport == pport && tup[i].dport == dport)
			return &tup[i];
	if (!make)
		return NULL;
	struct tuple *t = &tup[tup_next++ % NTUPLES];
	memset(t, 0, sizeof(*t));
	t->used = 1;
	t->peer = (uint8_t)peer;
	t->pport = pport;
	t->dport = dport;
	return t;
}

static struct hslot *slot_of(int h)
{
	for (unsigned i = 0; i < nh; i++)
		if (hs[i].h == h)
			return &hs[i];
	return NULL;
}

static const struct tcp_tcb *tcb_of(int h);

/* A new connection handle: connect (SYN_SENT, SND.UNA = ISS) or accept
 * (synchronized, our SYN acked, nothing sent yet: SND.UNA = ISS + 1). */
static void slot_begin(struct hslot *s)
{
	const struct tcp_tcb *t = tcb_of(s->h);
	s->have_irs = 0;
	s->iss = t ? t->snd_una - (t->state == TCP_SYN_SENT ? 0u : 1u) : 0u;
}

/* IRS, before the first read: RCV.NXT less the unread bytes and the FIN. */
static void slot_note_irs(struct hslot *s)
{
	const struct tcp_tcb *t = tcb_of(s->h);
	if (!s || s->have_irs || !t || t->state == TCP_SYN_SENT || s->read != 0)
		return;
	s->irs = t->rcv_nxt - 1u - tcb_rcvq(&K, t)->len - ((t->flags & TCB_F_FIN_RCVD) ? 1u : 0u);
	s->have_irs = 1;
}

static void add_handle(int h)
{
	if (slot_of(h))
		fail("handle %#x issued twice", h);
	if (nh < NHANDLES) {
		hs[nh].h = h;
		hs[nh].written = hs[nh].read = 0;
		slot_begin(&hs[nh]);
		nh++;
		return;
	}
	for (unsigned i = 0; i < NHANDLES; i++) {
		if (tcp_get_state(&K, hs[i].h) == KEEL_EBADF) {   /* a stale one makes room */
			hs[i].h = h;
			hs[i].written = hs[i].read = 0;
			slot_begin(&hs[i]);
			return;
		}
	}
	fail("more than %d live handles", NHANDLES);
}

/* The TCB behind a live connection handle (white-box, for ISN and ports). */
static const struct tcp_tcb *tcb_of(int h)
{
	return tcb_from_handle(&K, h);
}

/* ------------------------------------------------------------ the wire */

static unsigned peer_of(uint32_t ip)
{
	for (unsigned j = 0; j < NPEERS; j++)
		if (peer_ip[j] == ip)
			return j;
	return NPEERS;
}

/* A segment the stack sent, to peer j. */
static void observe(unsigned j, const uint8_t *tcp, size_t tl, size_t doff)
{
	uint16_t sport = load_be16(tcp), dport = load_be16(tcp + 2);
	uint32_t seq = load_be32(tcp + 4), ack = load_be32(tcp + 8);
	uint8_t fl = tcp[13];
	uint16_t win = load_be16(tcp + 14);
	size_t plen = tl - doff;
	if ((fl & TCP_SYN) && (fl & (TCP_RST | TCP_FIN)))
		fail("stack sent flags %#x", fl);
	if (plen > TCP_MSS_OURS)
		fail("stack sent %zu bytes in one segment", plen);
	struct tuple *t = tuple_find(j, dport, sport, 1);
	TRACE("  > %c%c%c%c%c %u:%u(%zu) ack %u win %u [%u>%u]\n", fl & TCP_SYN ? 'S' : ' ', fl & TCP_FIN ? 'F' : ' ',
	      fl & TCP_RST ? 'R' : ' ', fl & TCP_PSH ? 'P' : ' ', fl & TCP_ACK ? '.' : ' ', seq - t->iss,
	      seq - t->iss + (uint32_t)plen, plen, ack - t->peer_isn, win, sport, dport);
	if (fl & TCP_RST)
		return;
	if (fl & TCP_SYN) {
		/* a new incarnation */
		t->iss = seq;
		t->have_iss = 1;
		t->dev_max = seq + 1;
		t->have_edge = 0;
		t->tainted = 0;
		add_dport(sport);
	}
	uint32_t first = seq + ((fl & TCP_SYN) ? 1u : 0u);
	if (!t->tainted)
		for (size_t i = 0; i < plen; i++)
			if (tcp[doff + i] != fz_app_byte(first + (uint32_t)i))
				fail("stack sent byte %#x at seq %u (ISN+%u), the application wrote %#x there",
				     tcp[doff + i], first + (uint32_t)i, first + (uint32_t)i - t->iss,
				     fz_app_byte(first + (uint32_t)i));
	uint32_t end = first + (uint32_t)plen + ((fl & TCP_FIN) ? 1u : 0u);
	if (!t->have_iss || seq_gt(end, t->dev_max))
		t->dev_max = end;
	if (!t->have_iss) {
		t->iss = seq - 1u;            /* a guess until a SYN is seen */
		t->have_iss = 1;
	}
	if (fl & TCP_ACK) {
		t->acked = ack;
		t->have_acked = 1;
		uint32_t edge = ack + win;
		if (t->have_edge && seq_lt(edge, t->edge))
			fail("right edge moved left on %u>%u: %u -> %u (ack %u win %u)", sport, dport,
			     t->edge, edge, ack, win);
		if (!t->have_edge || seq_gt(edge, t->edge))
			t->edge = edge;
		t->have_edge = 1;
	}
}

static int tx(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	if (len < ETH_MIN_FRAME || len > KEEL_FRAME_MAX)
		fail("frame of %zu bytes", len);
	if (memcmp(f + 6, dev_mac, 6) != 0)
		fail("frame from another MAC");
	uint16_t type = load_be16(f + 12);
	if (type == ETHERTYPE_ARP) {
		if (load_be16(f + 20) == ARP_OP_REQUEST) {
			unsigned j = peer_of(load_be32(f + 38));
			if (j < NPEERS)
				arp_pending[j] = 1;
		}
	} else if (type == ETHERTYPE_IPV4) {
		const uint8_t *h = f + ETH_HDR_LEN;
		unsigned ihl = (h[0] & 15u) * 4u;
		unsigned tot = load_be16(h + 2);
		if ((h[0] >> 4) != 4 || ihl != 20 || tot < ihl || tot > len - ETH_HDR_LEN)
			fail("bad IPv4 header out");
		if (csum_fold(csum_add(0, h, ihl)) != 0)
			fail("bad IPv4 checksum out");
		uint32_t src = load_be32(h + 12), dst = load_be32(h + 16);
		if (src != ADDR_A && src != ADDR_B)
			fail("IPv4 source %#x", src);
		if (h[9] == IP_PROTO_TCP) {
			const uint8_t *tcp = h + ihl;
			size_t tl = tot - ihl;
			if (tl < TCP_HDR_LEN || (size_t)(tcp[12] >> 4) * 4u < TCP_HDR_LEN ||
			    (size_t)(tcp[12] >> 4) * 4u > tl)
				fail("bad TCP header out");
			uint32_t sum = csum_pseudo(src, dst, IP_PROTO_TCP, (uint16_t)tl);
			if (csum_fold(csum_add(sum, tcp, tl)) != 0)
				fail("TCP checksum out does not match the IPv4 header (src %#x)", src);
			unsigned j = peer_of(dst);
			if (j < NPEERS)
				observe(j, tcp, tl, (size_t)(tcp[12] >> 4) * 4u);
		}
	} else {
		fail("ethertype %#x out", type);
	}
	tx_count++;
	return (tx_count % 97u) == 0 ? -1 : 0;   /* now and then the driver is full */
}

static void arp_frame(unsigned j, uint16_t op, const uint8_t *smac, uint32_t target)
{
	uint8_t *b = frame;
	memset(b, 0, 60);
	memcpy(b, op == ARP_OP_REQUEST ? eth_broadcast : dev_mac, 6);
	memcpy(b + 6, smac, 6);
	store_be16(b + 12, ETHERTYPE_ARP);
	store_be16(b + 14, 1);
	store_be16(b + 16, ETHERTYPE_IPV4);
	b[18] = 6;
	b[19] = 4;
	store_be16(b + 20, op);
	memcpy(b + 22, smac, 6);
	store_be32(b + 28, peer_ip[j]);
	if (op == ARP_OP_REPLY)
		memcpy(b + 32, dev_mac, 6);
	store_be32(b + 38, target);
	keel_input(&K, b, 60, now);
}

/* Answers the stack's ARP requests for the peers. */
static void pump(void)
{
	for (int round = 0; round < 4; round++) {
		int any = 0;
		for (unsigned j = 0; j < NPEERS; j++) {
			if (!arp_pending[j])
				continue;
			arp_pending[j] = 0;
			any = 1;
			arp_frame(j, ARP_OP_REPLY, peer_mac[j], K.ifc.addr);
		}
		if (!any)
			return;
	}
}

/* ------------------------------------------------------------ checks */

static void check(const char *after)
{
	const char *m = tcp_invariants(&K);
	if (m)
		fail("after %s: %s", after, m);
	const struct arp_state *a = &K.arp;
	unsigned used = 0;
	for (int i = 0; i < KEEL_ARP_QUEUE_LEN; i++)
		used += a->queue[i].len != 0;
	if (used != a->queued || a->queued > KEEL_ARP_QUEUE_LEN)
		fail("after %s: ARP queue %u slots used, %u counted", after, used, a->queued);
}

/* ------------------------------------------------------------ operations */

static uint32_t delta(struct rd *r, unsigned kind)
{
	switch (kind) {
	case FZ_DELTA_I8: return (uint32_t)(int32_t)(int8_t)u8(r);
	case FZ_DELTA_I8X64: return (uint32_t)((int32_t)(int8_t)u8(r) * 64);
	case FZ_DELTA_I32: return u32(r);
	default: return 0;
	}
}

static struct tuple *pick_tuple(struct rd *r)
{
	uint8_t sel = u8(r);
	unsigned peer = (sel >> 6) & 1u;
	if (sel & 0x80) {
		uint16_t pp = u16(r), dp = u16(r);
		return tuple_find(peer, pp, dp, 1);
	}
	unsigned idx = sel & 0x3fu;
	if (idx < NTUPLES && tup[idx].used)
		return &tup[idx];
	uint16_t dp = dports[(idx >> 3) % NDPORTS];
	return tuple_find(peer, (uint16_t)(40000u + (idx & 7u)), dp ? dp : 7u, 1);
}

static void op_frame(struct rd *r)
{
	struct tuple *t = pick_tuple(r);
	uint8_t flags = u8(r);
	uint8_t sm = u8(r);
	uint32_t seq = 0;
	switch (sm & FZ_BASE_MASK) {
	case FZ_SEQ_ACKED: seq = t->have_acked ? t->acked : t->peer_max; break;
	case FZ_SEQ_ISN: seq = t->peer_isn; break;
	case FZ_SEQ_MAX: seq = t->peer_max; break;
	default: break;
	}
	seq += delta(r, (sm >> FZ_DELTA_SHIFT) & 3u);
	if (sm & FZ_SEQ_NEW_ISN) {
		t->peer_isn = seq;
		t->peer_max = seq;
		t->have_peer = 1;
	}
	uint8_t am = u8(r);
	uint32_t ack = 0;
	switch (am & FZ_BASE_MASK) {
	case FZ_ACK_MAX: ack = t->dev_max; break;
	case FZ_ACK_ISS: ack = t->iss; break;
	case FZ_ACK_UNA: ack = t->peer_una; break;
	default: break;
	}
	ack += delta(r, (am >> FZ_DELTA_SHIFT) & 3u);
	uint16_t win = u16(r);
	size_t len = u16(r) % (TCP_MSS_OURS + 1u);
	uint8_t opt = u8(r);
	uint8_t opts[44];
	size_t olen = 0;
	if (opt & FZ_OPT_MSS) {
		opts[olen++] = 2;
		opts[olen++] = 4;
		store_be16(opts + olen, u16(r));
		olen += 2;
	}
	size_t cut = (opt & FZ_OPT_TRUNC) ? u8(r) : 0;
	if (opt & FZ_OPT_RAWOPT) {
		size_t n = u8(r) % 41u;
		if (olen + n > 40)
			n = 40 - olen;
		for (size_t i = 0; i < n; i++)
			opts[olen++] = u8(r);
	}
	while (olen % 4)
		opts[olen++] = 0;
	unsigned j = (opt & FZ_OPT_PEER2) ? 1u : t->peer;
	uint32_t dst = K.ifc.addr;
	if (opt & FZ_OPT_OLDADDR)
		dst = dst == ADDR_A ? ADDR_B : ADDR_A;

	uint8_t *b = frame;
	memcpy(b, (opt & FZ_OPT_BCAST) ? eth_broadcast : dev_mac, 6);
	memcpy(b + 6, peer_mac[j], 6);
	store_be16(b + 12, ETHERTYPE_IPV4);
	uint8_t *ip = b + ETH_HDR_LEN, *tcp = ip + 20;
	size_t hl = TCP_HDR_LEN + olen, tl = hl + len;
	store_be16(tcp, t->pport);
	store_be16(tcp + 2, t->dport);
	store_be32(tcp + 4, seq);
	store_be32(tcp + 8, ack);
	tcp[12] = (uint8_t)((hl / 4u) << 4);
	tcp[13] = flags;
	store_be16(tcp + 14, win);
	store_be16(tcp + 16, 0);
	store_be16(tcp + 18, 0);
	memcpy(tcp + TCP_HDR_LEN, opts, olen);
	uint32_t first = seq + ((flags & TCP_SYN) ? 1u : 0u);
	for (size_t i = 0; i < len; i++)
		tcp[hl + i] = fz_peer_byte(first + (uint32_t)i);
	store_be16(tcp + 16, csum_fold(csum_add(csum_pseudo(peer_ip[j], dst, IP_PROTO_TCP, (uint16_t)tl), tcp, tl)));
	if (opt & FZ_OPT_BADSUM)
		tcp[16] ^= 0x41;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	store_be16(ip + 2, (uint16_t)(20 + tl));
	store_be16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = IP_PROTO_TCP;
	store_be32(ip + 12, peer_ip[j]);
	store_be32(ip + 16, dst);
	store_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	if (opt & FZ_OPT_BADIPSUM)
		ip[10] ^= 0x11;
	size_t flen = ETH_HDR_LEN + 20 + tl;
	flen = cut < flen ? flen - cut : 0;
	if (flen < ETH_MIN_FRAME) {
		memset(b + flen, 0, ETH_MIN_FRAME - flen);
		if (!cut)
			flen = ETH_MIN_FRAME;
	}
	/* the peer's own view */
	uint32_t end = first + (uint32_t)len + ((flags & TCP_FIN) ? 1u : 0u);
	if (!t->have_peer || seq_gt(end, t->peer_max))
		t->peer_max = end;
	t->have_peer = 1;
	if ((flags & TCP_ACK) && seq_gt(ack, t->peer_una))
		t->peer_una = ack;
	TRACE("< %02x %u:%u(%zu) ack %u win %u opt %02x cut %zu [%u>%u] at %u\n", flags, seq - t->peer_isn,
	      seq - t->peer_isn + (uint32_t)len, len, ack - t->iss, win, opt, cut, t->pport, t->dport, now);
	keel_input(&K, b, flen, now);
}

static void tick_to(uint32_t t)
{
	now = t;
	keel_tick(&K, now);
	pump();
}

/* Moves the clock ms on in at most steps ticks (a busy main loop ticks late). */
static void advance(uint32_t ms, uint32_t steps)
{
	if (ms == 0)
		return;
	if (steps > ms)
		steps = ms;
	uint32_t step = ms / steps, left = ms;
	while (left > 0) {
		uint32_t d = left < 2 * step ? left : step;
		tick_to(now + d);
		left -= d;
	}
}

static void op_tick(struct rd *r)
{
	unsigned mode = u8(r) % FZ_NTICKS;
	uint32_t n = u8(r);
	TRACE("tick mode %u n %u at %u\n", mode, n, now);
	switch (mode) {
	case FZ_TICK_MS: advance(n, n); break;
	case FZ_TICK_100MS: advance(n * 100u, 16); break;
	case FZ_TICK_10S: advance(n * 10000u, 16); break;
	case FZ_TICK_10MIN: advance(n * 600000u, 16); break;
	default: {
		uint32_t ms = n << 24 | (uint32_t)u8(r) << 16 | u16(r);
		if (ms > (1u << 30))
			ms = 1u << 30;
		advance(ms, ms <= 64 ? ms : 64);
		break;
	}
	}
}

static int resolve(uint8_t hsel, uint16_t raw)
{
	if (hsel == FZ_H_RANDOM)
		return (int)raw - (raw > 0xff00 ? 0x10000 : 0);
	if (hsel == FZ_H_LAST_LISTEN)
		return last_listen;
	if (hsel == FZ_H_LAST_CONN)
		return last_conn;
	return nh ? hs[hsel % nh].h : -1;
}

static void check_read(int h, const uint8_t *p, int n, const char *how)
{
	struct hslot *s = slot_of(h);
	const struct tcp_tcb *t = tcb_of(h);
	if (!s || !t)
		fail("%s returned %d bytes on handle %#x the application never got", how, n, h);
	for (int i = 0; i < n; i++) {
		uint32_t q = s->irs + 1u + s->read + (uint32_t)i;
		if (p[i] != fz_peer_byte(q))
			fail("%s: byte %u of the stream is %#x, the peer sent %#x", how, s->read + (unsigned)i, p[i],
			     fz_peer_byte(q));
	}
}

static void taint(int h)
{
	const struct tcp_tcb *t = tcb_of(h);
	if (!t)
		return;
	struct tuple *u = tuple_find(peer_of(t->raddr), t->rport, t->lport, 0);
	if (u)
		u->tainted = 1;
}

static void op_api(struct rd *r)
{
	static uint8_t buf[4096];
	unsigned call = u8(r) % FZ_NCALLS;
	uint8_t hsel = u8(r);
	uint16_t a = u16(r), b = u16(r);
	int h = call == FZ_LISTEN || call == FZ_CONNECT ? -1 : resolve(hsel, b);
	int ret = 0;
	TRACE("api %u on %#x (a %u b %u) at %u\n", call, h, a, b, now);
	if (slot_of(h))
		slot_note_irs(slot_of(h));
	switch (call) {
	case FZ_LISTEN:
		ret = tcp_listen(&K, a, (int8_t)hsel);
		if (ret >= 0) {
			add_handle(ret);
			last_listen = ret;
			add_dport(a);
		}
		break;
	case FZ_CONNECT:
		ret = tcp_connect(&K, peer_ip[hsel & 1u], a, b);
		if (ret >= 0) {
			add_handle(ret);
			last_conn = ret;
		}
		break;
	case FZ_ACCEPT:
		ret = tcp_accept(&K, h);
		if (ret >= 0) {
			add_handle(ret);
			last_conn = ret;
		}
		break;
	case FZ_SEND: {
		size_t n = a % (sizeof(buf) + 1u);
		struct hslot *s = slot_of(h);
		const struct tcp_tcb *t = tcb_of(h);
		uint32_t base = t && s ? s->iss + 1u + s->written : 0u;
		for (size_t i = 0; i < n; i++)
			buf[i] = fz_app_byte(base + (uint32_t)i);
		ret = (b & 1u) ? keel_tcp_send_more(&K, h, buf, n) : tcp_send(&K, h, buf, n);
		if (ret > 0) {
			if (!s || !t)
				fail("tcp_send took %d bytes on handle %#x the application never got", ret, h);
			s->written += (uint32_t)ret;
		}
		break;
	}
	case FZ_RECV:
		ret = tcp_recv(&K, h, buf, a % (sizeof(buf) + 1u));
		if (ret > 0) {
			check_read(h, buf, ret, "tcp_recv");
			slot_of(h)->read += (uint32_t)ret;
		}
		break;
	case FZ_PEEK_CONSUME: {
		const uint8_t *p = NULL;
		ret = tcp_recv_peek(&K, h, &p);
		if (ret > 0)
			check_read(h, p, ret, "tcp_recv_peek");
		ret = tcp_recv_consume(&K, h, a);
		if (ret > 0)
			slot_of(h)->read += (uint32_t)ret;
		break;
	}
	case FZ_SHUTDOWN: ret = tcp_shutdown(&K, h); break;
	case FZ_CLOSE: ret = tcp_close(&K, h); break;
	case FZ_ABORT: ret = tcp_abort(&K, h); break;
	case FZ_POLL: ret = (int)(tcp_poll(&K, h) & 0x7fu); break;
	case FZ_ERROR: ret = tcp_error(&K, h); break;
	case FZ_STATE: ret = tcp_get_state(&K, h); break;
	case FZ_NODELAY: ret = tcp_set_nodelay(&K, h, a & 1); break;
	case FZ_KEEPALIVE: ret = tcp_set_keepalive(&K, h, a, b >> 3, b & 7u); break;
	case FZ_SPLICE: {
		int to = resolve((uint8_t)b, b);
		taint(to);    /* before: the spliced bytes may leave within the call */
		ret = tcp_splice(&K, h, to, a);
		if (ret > 0) {
			struct hslot *f = slot_of(h), *t = slot_of(to);
			if (!f || !t)
				fail("tcp_splice moved %d bytes between unknown handles", ret);
			f->read += (uint32_t)ret;
			t->written += (uint32_t)ret;
		}
		break;
	}
	default:
		break;
	}
	TRACE("   = %d\n", ret);
	if (ret < KEEL_ECONNABORTED)
		fail("call %u returned %d", call, ret);
}

static void op_sysctl(struct rd *r)
{
	size_t i = u8(r) % keel_sysctl_count();
	uint32_t v = u32(r);
	char val[16];
	if (v == 0xffffffffu)
		snprintf(val, sizeof(val), "x%u", v);
	else
		snprintf(val, sizeof(val), "%u", (v & 0x80000000u) ? v & 0x7fffffffu : v % 300u);
	(void)keel_sysctl_set(&K, keel_sysctl_name(i), val, NULL);
}

static void op_raw(struct rd *r)
{
	size_t n = u8(r);
	uint8_t shape = u8(r);
	memset(frame, 0, 64);
	for (size_t i = 0; i < n; i++)
		frame[i] = u8(r);
	if (n < ETH_HDR_LEN)
		n = ETH_HDR_LEN;
	memcpy(frame, (shape & 1) ? eth_broadcast : dev_mac, 6);
	store_be16(frame + 12, (shape & 2) ? ETHERTYPE_ARP : ETHERTYPE_IPV4);
	if (!(shape & 2) && (shape & 4) && n >= ETH_HDR_LEN + 20) {
		uint8_t *h = frame + ETH_HDR_LEN;
		h[0] = 0x45;
		store_be16(h + 2, (uint16_t)(n - ETH_HDR_LEN));
		store_be32(h + 16, K.ifc.addr);
		store_be16(h + 10, 0);
		store_be16(h + 10, csum_fold(csum_add(0, h, 20)));
	}
	keel_input(&K, frame, n, now);
}

static void op_arp(struct rd *r)
{
	uint8_t kind = u8(r);
	unsigned j = kind & 1u;
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x77 };
	switch ((kind >> 1) & 3u) {
	case 0: arp_frame(j, ARP_OP_REQUEST, peer_mac[j], K.ifc.addr); break;
	case 1: arp_frame(j, ARP_OP_REPLY, peer_mac[j], K.ifc.addr); break;
	case 2: arp_frame(j, ARP_OP_REQUEST, other, K.ifc.addr); break;   /* the peer moved */
	default: arp_frame(j, ARP_OP_REQUEST, peer_mac[j], peer_ip[j ^ 1u]); break;
	}
	pump();
}

/* ------------------------------------------------------------ the run */

static void reset(uint32_t start)
{
	now = start;
	memset(tup, 0, sizeof(tup));
	tup_next = 0;
	nh = 0;
	last_listen = last_conn = -1;
	memset(dports, 0, sizeof(dports));
	dports[0] = 7;
	dports[1] = 80;
	dports[2] = 13;
	dport_next = 3;
	memset(arp_pending, 0, sizeof(arp_pending));
	tx_count = 0;
	K.now_ms = now;
	keel_init(&K, dev_mac, ADDR_A, 24, GATEWAY, seed, tx, NULL);
	for (unsigned j = 0; j < NPEERS; j++)
		arp_frame(j, ARP_OP_REQUEST, peer_mac[j], ADDR_A);
	pump();
}

/* Closes everything, runs every timer out (the peers silent), and checks
 * that nothing is left and every handle is dead. */
static void finish(void)
{
	for (unsigned i = 0; i < nh; i++)
		(void)tcp_close(&K, hs[i].h);
	pump();
	check("closing everything");
	/* Deadline to deadline, at least a second at a time (a keepalive of
	 * a few ms must not use up the steps): the longest life a closed
	 * connection may have, 255 SYN-ACKs 120 s apart, fits. */
	for (unsigned n = 0; n < 50000 && tcp_pools_in_use(&K); n++) {
		uint32_t due;
		int32_t d = 1000;
		if (keel_next_deadline(&K, &due)) {
			d = (int32_t)(due - now);
			if (d < 1000)
				d = 1000;
		}
		tick_to(now + (uint32_t)d);
		if (n % 16 == 0)
			check("a timer");
	}
	check("every timer");
	if (tcp_pools_in_use(&K)) {
		for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
			const struct tcp_tcb *t = &K.tcp.tcbs[i];
			if (t->flags & TCB_F_USED)
				TRACE("left: TCB %u %s flags %#x timers %#x due %d ms (wheel base %d ms, count %u)\n", i,
				      tcp_state_name((enum tcp_state)t->state), t->flags, t->timers,
				      (int)(t->rtx_due - now), (int)(K.tcp.wheel.base - now),
				      K.tcp.wheel.count);
		}
		struct keel_pool_usage u[TCP_NPOOLS];
		for (int p = 0; p < TCP_NPOOLS; p++)
			tcp_pool_get(&K, (enum tcp_pool)p, &u[p]);
		fail("leak: with everything closed and every timer run, pools hold tcbs %u synq %u tw %u listen %u",
		     u[0].in_use, u[1].in_use, u[2].in_use, u[3].in_use);
	}
	if (K.tcp.accept_ready)
		fail("accept_ready %u with no listener", K.tcp.accept_ready);
	for (unsigned i = 0; i < nh; i++)
		if (tcp_get_state(&K, hs[i].h) != KEEL_EBADF || tcp_send(&K, hs[i].h, "x", 1) != KEEL_EBADF)
			fail("handle %#x still answers after close", hs[i].h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r = { data, size };
	trace = getenv("KEEL_FUZZ_TRACE") != NULL;
	reset(u32(&r));
	check("start");
	for (unsigned ops = 0; r.n > 0 && ops < 4096; ops++) {
		switch (u8(&r) % FZ_NOPS) {
		case FZ_OP_FRAME: op_frame(&r); break;
		case FZ_OP_TICK: op_tick(&r); break;
		case FZ_OP_API: op_api(&r); break;
		case FZ_OP_SYSCTL: op_sysctl(&r); break;
		case FZ_OP_ADDR: keel_set_addr(&K, (u8(&r) & 1) ? ADDR_B : ADDR_A, 24, GATEWAY); break;
		case FZ_OP_RAW: op_raw(&r); break;
		default: op_arp(&r); break;
		}
		pump();
		check("an operation");
	}
	finish();
	return 0;
}
