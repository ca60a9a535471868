/* Packet-script harness: fake clock, fake netdev, segment notation.
 * See harness.h for the notation and README.md for the rules. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "tcp_internal.h"
#include "fuzz_record.h"
#include "../fuzz/tcp_invariants.h"
#include "../fuzz/fuzz_tcp_ops.h"

const uint8_t th_dev_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
const uint8_t th_peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t th_seed[16] = { 0x6b, 0x65, 0x65, 0x6c, 0x2d, 0x74, 0x63, 0x70,
				     0x2d, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x73 };

#define F_FIN 0x01u
#define F_SYN 0x02u
#define F_RST 0x04u
#define F_PSH 0x08u
#define F_ACK 0x10u
#define F_URG 0x20u
#define F_ECE 0x40u
#define F_CWR 0x80u

/* Re-announce the peer (ARP request to the device) this often during
 * ADVANCE_MS so the neighbour entry never ages out under a long script. */
#define TH_ARP_REPRIME_MS 20000u

/* ---------------------------------------------------------------- bytes */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void wr16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* The harness's own Internet checksum, independent of stack/lib/checksum.c. */
static uint32_t sum_bytes(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}
static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}
static uint16_t tcp_sum(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len)
{
	uint32_t s = 0;
	s += src >> 16; s += src & 0xffff;
	s += dst >> 16; s += dst & 0xffff;
	s += 6; s += (uint32_t)len;
	return fold(sum_bytes(s, seg, len));
}

/* Deterministic payload: the byte at relative sequence number r. */
static uint8_t pattern_byte(uint32_t r) { return (uint8_t)('a' + (r - 1u) % 26u); }

/* ---------------------------------------------------------------- failure */

void th_fail(struct th *t, int line, const char *fmt, ...)
{
	char msg[1800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const char *f = strrchr(t->file, '/');
	if (line > 0)
		snprintf(t->fail_msg, sizeof(t->fail_msg), "%s:%d: %s", f ? f + 1 : t->file, line, msg);
	else
		snprintf(t->fail_msg, sizeof(t->fail_msg), "%s: end of script: %s", f ? f + 1 : t->file, msg);
	t->failed = 1;
	longjmp(t->fail_jmp, 1);
}

/* ---------------------------------------------------------------- netdev */

static int th_tx(void *ctx, const uint8_t *frame, size_t len)
{
	struct th *t = ctx;
	if (len >= 14 && rd16(frame + 12) == 0x0806) {
		/* ARP: answer requests for the peer, drop the rest. */
		if (len >= 42 && rd16(frame + 20) == 1 && rd32(frame + 38) == TH_PEER_IP) {
			t->arp_requests_pending++;
			t->arp_requests_seen++;
		}
		return 0;
	}
	if (len < 34 || rd16(frame + 12) != 0x0800 || frame[23] != 6) {
		if (!t->non_tcp_error[0])
			snprintf(t->non_tcp_error, sizeof(t->non_tcp_error),
				 "device sent a non-TCP frame (len %zu, ethertype 0x%04x, proto %d) at %" PRIu32,
				 len, len >= 14 ? rd16(frame + 12) : 0, len >= 24 ? frame[23] : -1, t->now);
		return 0;
	}
	if (t->ignore_output)
		return 0;
	if (t->qlen == TH_QUEUE_LEN || len > sizeof(t->q[0].b)) {
		t->q_overflow++;
		return 0;
	}
	struct th_frame *f = &t->q[(t->qhead + t->qlen) % TH_QUEUE_LEN];
	memcpy(f->b, frame, len);
	f->len = len;
	f->at_ms = t->now;
	t->qlen++;
	return 0;
}

static void arp_frame(uint8_t *b, uint16_t op, const uint8_t *dst_mac)
{
	memcpy(b, dst_mac, 6);
	memcpy(b + 6, th_peer_mac, 6);
	wr16(b + 12, 0x0806);
	wr16(b + 14, 1);       /* Ethernet */
	wr16(b + 16, 0x0800);  /* IPv4 */
	b[18] = 6;
	b[19] = 4;
	wr16(b + 20, op);
	memcpy(b + 22, th_peer_mac, 6);
	wr32(b + 28, TH_PEER_IP);
	if (op == 2)
		memcpy(b + 32, th_dev_mac, 6);
	else
		memset(b + 32, 0, 6);
	wr32(b + 38, TH_DEV_IP);
	memset(b + 42, 0, 18);  /* pad to 60 */
}

static void pump(struct th *t)
{
	while (t->arp_requests_pending > 0) {
		uint8_t b[60];
		t->arp_requests_pending--;
		arp_frame(b, 2, th_dev_mac);
		keel_input(t->k, b, sizeof(b), t->now);
	}
}

static void arp_prime(struct th *t)
{
	uint8_t b[60];
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	arp_frame(b, 1, bcast);
	keel_input(t->k, b, sizeof(b), t->now);
	t->last_arp_prime = t->now;
	pump(t);
}

/* ---------------------------------------------------------------- notation */

struct seg {
	char dir;               /* '<' or '>' */
	unsigned flags;
	uint32_t start, end, len;
	int has_ack; uint32_t ack;
	int has_win; uint32_t win;
	int has_opts; uint8_t opts[64]; size_t optlen;
	int has_payload; uint8_t payload[KEEL_MTU]; size_t plen;
	int badsum, badipsum, doff;   /* doff -1: computed */
	int pattern;                  /* EXPECT: payload must be the pattern */
};

static int parse_num(const char **pp, uint32_t *out)
{
	const char *p = *pp;
	int neg = 0;
	if (*p == '-') { neg = 1; p++; }
	if (!isdigit((unsigned char)*p))
		return -1;
	char *end;
	unsigned long long v = strtoull(p, &end, 0);
	if (v > 0xffffffffull)
		return -1;
	*out = neg ? (uint32_t)(0u - (uint32_t)v) : (uint32_t)v;
	*pp = end;
	return 0;
}

static void skip_ws(const char **pp)
{
	while (**pp == ' ' || **pp == '\t')
		(*pp)++;
}

static int word(const char **pp, const char *w)
{
	size_t n = strlen(w);
	if (strncmp(*pp, w, n) != 0)
		return 0;
	char c = (*pp)[n];
	if (isalnum((unsigned char)c) || c == '_')
		return 0;
	*pp += n;
	skip_ws(pp);
	return 1;
}

/* Options "<mss 1460,nop,...>" into their encoded bytes. */
static int parse_opts(struct th *t, int line, const char **pp, struct seg *s)
{
	const char *p = *pp + 1;
	size_t n = 0;
	uint32_t v, w;
	skip_ws(&p);
	while (*p && *p != '>') {
		if (n > 56)
			th_fail(t, line, "too many option bytes");
		if (word(&p, "mss")) {
			if (parse_num(&p, &v)) goto bad;
			s->opts[n++] = 2; s->opts[n++] = 4; wr16(s->opts + n, v); n += 2;
		} else if (word(&p, "nop")) {
			s->opts[n++] = 1;
		} else if (word(&p, "eol")) {
			s->opts[n++] = 0;
		} else if (word(&p, "wscale")) {
			if (parse_num(&p, &v)) goto bad;
			s->opts[n++] = 3; s->opts[n++] = 3; s->opts[n++] = (uint8_t)v;
		} else if (word(&p, "sack")) {
			/* sack S:E S:E ...: blocks relative to the ISN of the side
			 * whose data they cover (moved by sack_shift) */
			size_t at = n;
			s->opts[n++] = 5; s->opts[n++] = 2;
			while (skip_ws(&p), isdigit((unsigned char)*p)) {
				if (parse_num(&p, &v) || *p != ':') goto bad;
				p++;
				if (parse_num(&p, &w) || n + 8 > 60) goto bad;
				wr32(s->opts + n, v); wr32(s->opts + n + 4, w); n += 8;
				s->opts[at + 1] = (uint8_t)(s->opts[at + 1] + 8);
			}
		} else if (word(&p, "sackOK")) {
			s->opts[n++] = 4; s->opts[n++] = 2;
		} else if (word(&p, "TS")) {
			if (!word(&p, "val") || parse_num(&p, &v)) goto bad;
			skip_ws(&p);
			if (!word(&p, "ecr") || parse_num(&p, &w)) goto bad;
			s->opts[n++] = 8; s->opts[n++] = 10;
			wr32(s->opts + n, v); n += 4; wr32(s->opts + n, w); n += 4;
		} else if (word(&p, "kind")) {
			/* kind K len L: an option of kind K, length L, zero data */
			if (parse_num(&p, &v)) goto bad;
			skip_ws(&p);
			if (!word(&p, "len") || parse_num(&p, &w) || w < 2 || n + w > 60) goto bad;
			s->opts[n++] = (uint8_t)v; s->opts[n++] = (uint8_t)w;
			for (uint32_t i = 2; i < w; i++)
				s->opts[n++] = 0;
		} else if (word(&p, "bytes")) {
			/* raw bytes, for malformed options */
			while (skip_ws(&p), isdigit((unsigned char)*p)) {
				if (parse_num(&p, &v) || n >= 60) goto bad;
				s->opts[n++] = (uint8_t)v;
			}
		} else {
			goto bad;
		}
		skip_ws(&p);
		if (*p == ',') { p++; skip_ws(&p); }
	}
	if (*p != '>')
		goto bad;
	*pp = p + 1;
	s->has_opts = 1;
	s->optlen = n;
	return 0;
bad:
	th_fail(t, line, "bad options near \"%s\"", p);
}

static void parse_seg(struct th *t, int line, const char *spec, struct seg *s)
{
	const char *p = spec;
	memset(s, 0, sizeof(*s));
	s->doff = -1;
	skip_ws(&p);
	if (*p != '<' && *p != '>')
		th_fail(t, line, "segment must start with < or >: \"%s\"", spec);
	s->dir = *p++;
	skip_ws(&p);
	for (; *p && *p != ' '; p++) {
		switch (*p) {
		case 'S': s->flags |= F_SYN; break;
		case 'F': s->flags |= F_FIN; break;
		case 'R': s->flags |= F_RST; break;
		case 'P': s->flags |= F_PSH; break;
		case '.': s->flags |= F_ACK; break;
		case 'U': s->flags |= F_URG; break;
		case 'E': s->flags |= F_ECE; break;
		case 'W': s->flags |= F_CWR; break;
		case '-': break;   /* "-": no flags at all */
		default: th_fail(t, line, "bad flag '%c' in \"%s\"", *p, spec);
		}
	}
	skip_ws(&p);
	if (parse_num(&p, &s->start) || *p++ != ':' || parse_num(&p, &s->end) ||
	    *p++ != '(' || parse_num(&p, &s->len) || *p++ != ')')
		th_fail(t, line, "expected start:end(len) in \"%s\"", spec);
	if (s->end - s->start != s->len)
		th_fail(t, line, "start:end(len) inconsistent in \"%s\"", spec);
	if (s->len > KEEL_MTU - 40)
		th_fail(t, line, "payload too long in \"%s\"", spec);
	skip_ws(&p);
	while (*p) {
		if (word(&p, "ack")) {
			if (parse_num(&p, &s->ack)) goto bad;
			s->has_ack = 1;
		} else if (word(&p, "win")) {
			if (parse_num(&p, &s->win) || s->win > 0xffff) goto bad;
			s->has_win = 1;
		} else if (*p == '<') {
			parse_opts(t, line, &p, s);
		} else if (*p == '\'' || *p == '"') {
			char q = *p++;
			const char *e = strchr(p, q);
			if (!e || (size_t)(e - p) != s->len)
				th_fail(t, line, "payload string length differs from (len) in \"%s\"", spec);
			memcpy(s->payload, p, s->len);
			s->plen = s->len;
			s->has_payload = 1;
			p = e + 1;
		} else if (word(&p, "pattern")) {
			s->pattern = 1;
		} else if (word(&p, "badsum")) {
			s->badsum = 1;
		} else if (word(&p, "badipsum")) {
			s->badipsum = 1;
		} else if (word(&p, "doff")) {
			uint32_t v;
			if (parse_num(&p, &v) || v > 15) goto bad;
			s->doff = (int)v;
		} else {
			goto bad;
		}
		skip_ws(&p);
	}
	return;
bad:
	th_fail(t, line, "cannot parse \"%s\" near \"%s\"", spec, p);
}

static size_t fmt_flags(char *o, unsigned f)
{
	size_t n = 0;
	if (f & F_SYN) o[n++] = 'S';
	if (f & F_FIN) o[n++] = 'F';
	if (f & F_RST) o[n++] = 'R';
	if (f & F_PSH) o[n++] = 'P';
	if (f & F_URG) o[n++] = 'U';
	if (f & F_ECE) o[n++] = 'E';
	if (f & F_CWR) o[n++] = 'W';
	if (f & F_ACK) o[n++] = '.';
	if (!n) o[n++] = '-';
	o[n] = 0;
	return n;
}

static void fmt_opts(char *o, size_t cap, const uint8_t *op, size_t n)
{
	size_t w = 0, i = 0;
	w += (size_t)snprintf(o + w, cap - w, "<");
	while (i < n && w < cap - 40) {
		const char *sep = i ? "," : "";
		uint8_t kind = op[i];
		if (kind == 0) {
			/* trailing EOL padding is not shown */
			size_t j = i;
			while (j < n && op[j] == 0) j++;
			if (j == n) break;
			w += (size_t)snprintf(o + w, cap - w, "%seol", sep); i++; continue;
		}
		if (kind == 1) { w += (size_t)snprintf(o + w, cap - w, "%snop", sep); i++; continue; }
		if (i + 1 >= n || op[i + 1] < 2 || i + op[i + 1] > n) {
			w += (size_t)snprintf(o + w, cap - w, "%sbytes", sep);
			for (; i < n && w < cap - 8; i++)
				w += (size_t)snprintf(o + w, cap - w, " %u", op[i]);
			break;
		}
		uint8_t l = op[i + 1];
		if (kind == 2 && l == 4)
			w += (size_t)snprintf(o + w, cap - w, "%smss %u", sep, rd16(op + i + 2));
		else if (kind == 3 && l == 3)
			w += (size_t)snprintf(o + w, cap - w, "%swscale %u", sep, op[i + 2]);
		else if (kind == 4 && l == 2)
			w += (size_t)snprintf(o + w, cap - w, "%ssackOK", sep);
		else if (kind == 5 && l >= 10 && (l - 2) % 8 == 0) {
			w += (size_t)snprintf(o + w, cap - w, "%ssack", sep);
			for (unsigned b = 2; b < l && w < cap - 24; b += 8)
				w += (size_t)snprintf(o + w, cap - w, " %" PRIu32 ":%" PRIu32, rd32(op + i + b),
						      rd32(op + i + b + 4));
		}
		else if (kind == 8 && l == 10)
			w += (size_t)snprintf(o + w, cap - w, "%sTS val %" PRIu32 " ecr %" PRIu32, sep,
					      rd32(op + i + 2), rd32(op + i + 6));
		else
			w += (size_t)snprintf(o + w, cap - w, "%skind %u len %u", sep, kind, l);
		i += l;
	}
	snprintf(o + w, cap - w, ">");
}

/* A received (device-sent) TCP segment, decoded. */
struct out_seg {
	uint16_t sport, dport;
	uint32_t seq, ack;
	unsigned flags;
	uint16_t win;
	const uint8_t *opts; size_t optlen;
	const uint8_t *payload; size_t plen;
};

/* Where the timestamps option's value bytes start in o (after kind and
 * length), or -1. */
static int find_ts(const uint8_t *o, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (o[i] == 0)
			break;
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || o[i + 1] < 2)
			break;
		if (o[i] == 8 && o[i + 1] == 10 && i + 10 <= n)
			return (int)i + 2;
		i += o[i + 1];
	}
	return -1;
}

/* Adds delta to every SACK block edge in o (scripts write them relative). */
static void sack_shift(uint8_t *o, size_t n, uint32_t delta)
{
	for (size_t i = 0; i < n;) {
		if (o[i] == 0)
			break;
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
			break;
		if (o[i] == 5)
			for (size_t b = i + 2; b + 8 <= i + o[i + 1]; b += 8) {
				wr32(o + b, rd32(o + b) + delta);
				wr32(o + b + 4, rd32(o + b + 4) + delta);
			}
		i += o[i + 1];
	}
}

static void fmt_out(char *o, size_t cap, const struct out_seg *g, const struct th_conn *c, int ports)
{
	char fl[12];
	uint32_t rs = g->seq - c->dev_isn;
	fmt_flags(fl, g->flags);
	size_t w = (size_t)snprintf(o, cap, "> %s %" PRIu32 ":%" PRIu32 "(%zu)", fl, rs,
				    rs + (uint32_t)g->plen, g->plen);
	if (g->flags & F_ACK)
		w += (size_t)snprintf(o + w, cap - w, " ack %" PRIu32, g->ack - c->peer_isn);
	w += (size_t)snprintf(o + w, cap - w, " win %u", g->win);
	if (g->optlen) {
		char ob[400];
		uint8_t rel[64];
		size_t n = g->optlen < sizeof rel ? g->optlen : sizeof rel;
		memcpy(rel, g->opts, n);
		int ts = find_ts(rel, n);
		if (ts >= 0 && c->dev_ts_known)   /* TSval relative, as scripts write it */
			wr32(rel + ts, rd32(rel + ts) - c->dev_ts0);
		sack_shift(rel, n, 0u - c->peer_isn);
		fmt_opts(ob, sizeof(ob), rel, n);
		if (strcmp(ob, "<>"))
			w += (size_t)snprintf(o + w, cap - w, " %s", ob);
	}
	if (g->plen && g->plen <= 32) {
		w += (size_t)snprintf(o + w, cap - w, " '");
		for (size_t i = 0; i < g->plen && w < cap - 4; i++)
			o[w++] = isprint(g->payload[i]) ? (char)g->payload[i] : '?';
		w += (size_t)snprintf(o + w, cap - w, "'");
	}
	if (ports)
		snprintf(o + w, cap - w, " [ports %u>%u]", g->sport, g->dport);
}

/* Checks one captured frame and decodes its TCP segment. */
static void decode_out(struct th *t, int line, const struct th_frame *f, struct out_seg *g)
{
	const uint8_t *b = f->b;
	if (f->len < 14 + 20 + 20)
		th_fail(t, line, "device frame too short (%zu bytes)", f->len);
	if (memcmp(b, th_peer_mac, 6) || memcmp(b + 6, th_dev_mac, 6))
		th_fail(t, line, "device frame has wrong MAC addresses");
	const uint8_t *ip = b + 14;
	unsigned ihl = (ip[0] & 15u) * 4u;
	uint16_t tot = rd16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < 20 || tot < ihl + 20 || 14u + tot > f->len)
		th_fail(t, line, "device frame has a bad IPv4 header (ver/ihl 0x%02x, total %u, frame %zu)",
			ip[0], tot, f->len);
	if (fold(sum_bytes(0, ip, ihl)) != 0)
		th_fail(t, line, "device frame has a bad IPv4 header checksum");
	if (rd32(ip + 12) != TH_DEV_IP || rd32(ip + 16) != TH_PEER_IP)
		th_fail(t, line, "device frame has wrong IP addresses");
	if ((rd16(ip + 6) & 0x3fff) != 0)
		th_fail(t, line, "device frame is a fragment");
	if (ip[8] == 0)
		th_fail(t, line, "device frame has TTL 0");
	const uint8_t *tcp = ip + ihl;
	size_t tl = tot - ihl;
	unsigned doff = (tcp[12] >> 4) * 4u;
	if (doff < 20 || doff > tl)
		th_fail(t, line, "device segment has a bad data offset %u", doff);
	if (tcp_sum(TH_DEV_IP, TH_PEER_IP, tcp, tl) != 0)
		th_fail(t, line, "device segment has a bad TCP checksum");
	g->sport = rd16(tcp);
	g->dport = rd16(tcp + 2);
	g->seq = rd32(tcp + 4);
	g->ack = rd32(tcp + 8);
	g->flags = tcp[13];
	g->win = rd16(tcp + 14);
	g->opts = tcp + 20;
	g->optlen = doff - 20;
	g->payload = tcp + doff;
	g->plen = tl - doff;
}

/* Strips trailing EOL padding for comparison. */
static size_t opt_trim(const uint8_t *o, size_t n)
{
	while (n && o[n - 1] == 0)
		n--;
	return n;
}

/* Builds the Ethernet frame for a parsed segment: from the peer (INJECT) or,
 * for the self-test, as the device would send it. */
static size_t build_frame(struct th *t, const struct seg *s, int from_dev, uint8_t *b)
{
	struct th_conn *c = CUR;
	uint32_t src = from_dev ? TH_DEV_IP : TH_PEER_IP, dst = from_dev ? TH_PEER_IP : TH_DEV_IP;
	memset(b, 0, KEEL_FRAME_MAX);
	memcpy(b, from_dev ? th_peer_mac : th_dev_mac, 6);
	memcpy(b + 6, from_dev ? th_dev_mac : th_peer_mac, 6);
	wr16(b + 12, 0x0800);
	uint8_t *ip = b + 14, *tcp = ip + 20;
	size_t optlen = (s->optlen + 3) & ~(size_t)3;
	size_t hl = 20 + optlen;
	size_t tl = hl + s->len;
	wr16(tcp, from_dev ? c->dev_port : c->peer_port);
	wr16(tcp + 2, from_dev ? c->peer_port : c->dev_port);
	wr32(tcp + 4, (from_dev ? c->dev_isn : c->peer_isn) + s->start);
	wr32(tcp + 8, s->has_ack ? (from_dev ? c->peer_isn : c->dev_isn) + s->ack : 0);
	tcp[12] = (uint8_t)((s->doff >= 0 ? (unsigned)s->doff : hl / 4) << 4);
	tcp[13] = (uint8_t)s->flags;
	wr16(tcp + 14, s->has_win ? s->win : 65535);
	memcpy(tcp + 20, s->opts, s->optlen);
	for (uint32_t i = 0; i < s->len; i++)
		tcp[hl + i] = s->has_payload ? s->payload[i] : pattern_byte(s->start + i);
	wr16(tcp + 16, tcp_sum(src, dst, tcp, tl));
	if (s->badsum)
		tcp[16] ^= 0x5a;
	ip[0] = 0x45;
	wr16(ip + 2, (uint32_t)(20 + tl));
	wr16(ip + 4, t->ip_id++);
	wr16(ip + 6, 0x4000);   /* DF */
	ip[8] = 64;
	ip[9] = 6;
	wr32(ip + 12, src);
	wr32(ip + 16, dst);
	wr16(ip + 10, fold(sum_bytes(0, ip, 20)));
	if (s->badipsum)
		ip[10] ^= 0x5a;
	size_t flen = 14 + 20 + tl;
	return flen < 60 ? 60 : flen;
}

/* ---------------------------------------------------------------- setup */

void th_setup(struct th *t)
{
	if (t->set_up)
		return;
	t->set_up = 1;
	if (!t->now)
		t->now = TH_DEFAULT_CLOCK;
	t->k = calloc(1, sizeof(*t->k));
	if (!t->k) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	keel_init(t->k, th_dev_mac, TH_DEV_IP, TH_PREFIX, 0, th_seed, th_tx, t);
	arp_prime(t);
	t->qlen = 0;  /* nothing TCP should be out yet, but start clean */
}

struct keel *th_keel(struct th *t, int line)
{
	(void)line;
	th_setup(t);
	return t->k;
}

void th_clock_start(struct th *t, int line, uint32_t ms)
{
	if (t->set_up)
		th_fail(t, line, "CLOCK_START must come before any other step");
	t->now = ms;
	fr_clock_start(ms);
	th_setup(t);
}

void th_check_invariants(struct th *t, int line)
{
	th_setup(t);
	if (t->non_tcp_error[0])
		th_fail(t, line, "%s", t->non_tcp_error);
	if (t->q_overflow)
		th_fail(t, line, "more than %d frames sent without being EXPECTed", TH_QUEUE_LEN);
	if (!t->k)
		return;   /* harness self-test: no stack */
	const char *broken = tcp_invariants(t->k);
	if (broken)
		th_fail(t, line, "invariant broken: %s", broken);
	static const char *names[TCP_NPOOLS] = { "tcbs", "syn_queue", "time_wait", "listen" };
	for (int i = 0; i < TCP_NPOOLS; i++) {
		struct keel_pool_usage u;
		memset(&u, 0, sizeof(u));
		tcp_pool_get(t->k, (enum tcp_pool)i, &u);
		if (u.in_use > u.size || u.high_water < u.in_use || u.high_water > u.size)
			th_fail(t, line, "pool %s broken: size %u in_use %u high_water %u",
				names[i], u.size, u.in_use, u.high_water);
	}
	uint16_t counts[TCP_NSTATES];
	tcp_state_counts(t->k, counts);
	struct keel_pool_usage tw;
	tcp_pool_get(t->k, TCP_POOL_TIME_WAIT, &tw);
	if (counts[TCP_TIME_WAIT] > tw.size + KEEL_TCP_MAX_CONN)
		th_fail(t, line, "TIME_WAIT count %u beyond every pool", counts[TCP_TIME_WAIT]);
	/* The chunk pool: every chunk in use belongs to a live TCB's queue
	 * (none leaked, none held by a freed TCB), and each queue covers
	 * its readable bytes. */
	unsigned held = 0;
	for (unsigned i = 0; i < KEEL_TCP_MAX_CONN; i++) {
		const struct tcp_tcb *tb = &t->k->tcp.tcbs[i];
		/* A free TCB's flight index means nothing (a never used one
		 * is all zeros); tcb_free gives its entry back with the
		 * queues' chunks (tcb_flight_release), and the pool's in_use
		 * below catches a chunk left in a free entry. */
		if (!(tb->flags & TCB_F_USED))
			continue;
		const struct chunkq *sq = tcb_sndq(t->k, tb), *rq = tcb_rcvq(t->k, tb);
		unsigned c = chunkq_chunks(sq) + chunkq_chunks(rq);
		if (rq->len > rq->end || sq->len != sq->end)
			th_fail(t, line, "TCB %u: queue lengths broken", i);
		held += c;
	}
	if (held != t->k->tcp.chunks.in_use || held > CHUNK_COUNT)
		th_fail(t, line, "chunks: %u held by TCBs, %u in use in the pool", held,
			(unsigned)t->k->tcp.chunks.in_use);
}

void th_conn_select(struct th *t, int line, int i)
{
	if (i < 0 || i >= TH_MAX_CONNS)
		th_fail(t, line, "CONN(%d) out of range", i);
	th_setup(t);
	t->cur = i;
}

/* ---------------------------------------------------------------- steps */

void th_inject(struct th *t, int line, const char *spec)
{
	struct seg s;
	th_setup(t);
	th_check_invariants(t, line);
	parse_seg(t, line, spec, &s);
	if (s.dir != '<')
		th_fail(t, line, "INJECT takes a '<' segment: \"%s\"", spec);
	struct th_conn *c = CUR;
	if (!c->dev_port)
		c->dev_port = t->listen_port;
	fr_frame(c->peer_port, c->dev_port, (uint8_t)s.flags, c->peer_isn + s.start, s.has_ack, !c->dev_isn_known,
		 s.ack, (uint16_t)(s.has_win ? s.win : 65535u), (uint16_t)s.len, s.opts, s.optlen, s.badsum,
		 s.badipsum);
	uint8_t b[KEEL_FRAME_MAX + 64];
	int ts = s.has_opts ? find_ts(s.opts, s.optlen) : -1;
	if (ts >= 0 && c->dev_ts_known)   /* TSecr relative, as the device's TSvals */
		wr32(s.opts + ts + 4, rd32(s.opts + ts + 4) + c->dev_ts0);
	if (s.has_opts)
		sack_shift(s.opts, s.optlen, c->dev_isn);
	size_t flen = build_frame(t, &s, 0, b);
	keel_input(t->k, b, flen, t->now);
	pump(t);
	th_check_invariants(t, line);
}

void th_expect(struct th *t, int line, const char *spec)
{
	struct seg s;
	struct out_seg g;
	char got[600];
	th_setup(t);
	th_check_invariants(t, line);
	parse_seg(t, line, spec, &s);
	if (s.dir != '>')
		th_fail(t, line, "EXPECT takes a '>' segment: \"%s\"", spec);
	if (s.badsum || s.badipsum || s.doff >= 0)
		th_fail(t, line, "badsum/badipsum/doff are for INJECT only");
	if (!t->qlen)
		th_fail(t, line, "EXPECT(\"%s\"): nothing was sent", spec);
	struct th_frame *f = &t->q[t->qhead];
	t->qhead = (t->qhead + 1) % TH_QUEUE_LEN;
	t->qlen--;
	decode_out(t, line, f, &g);
	struct th_conn *c = CUR;
	if ((g.flags & F_SYN) && !c->dev_isn_known) {
		c->dev_isn = g.seq;
		c->dev_isn_known = 1;
	}
	/* TSval relative to the connection's first one the script saw
	 * (its offset is keyed, so unknown to the script): learned from
	 * the first EXPECT that gives one. */
	int gts = find_ts(g.opts, g.optlen);
	int sts = s.has_opts ? find_ts(s.opts, s.optlen) : -1;
	if (gts >= 0 && sts >= 0) {
		if (!c->dev_ts_known) {
			c->dev_ts0 = rd32(g.opts + gts) - rd32(s.opts + sts);
			c->dev_ts_known = 1;
		}
		wr32(s.opts + sts, rd32(s.opts + sts) + c->dev_ts0);
	}
	if (s.has_opts)
		sack_shift(s.opts, s.optlen, c->peer_isn);
	int port_bad = (c->dev_port && g.sport != c->dev_port) || g.dport != c->peer_port;
	fmt_out(got, sizeof(got), &g, c, port_bad);
	const char *why = NULL;
	if (port_bad)
		why = "ports differ";
	else if ((g.flags & ~F_PSH) != (s.flags & ~F_PSH))
		why = "flags differ";
	else if (g.seq - c->dev_isn != s.start)
		why = "seq differs";
	else if (g.plen != s.len)
		why = "length differs";
	else if (s.has_ack && g.ack - c->peer_isn != s.ack)
		why = "ack differs";
	else if (s.has_win && g.win != s.win)
		why = "window differs";
	else if (s.has_opts && (opt_trim(g.opts, g.optlen) != opt_trim(s.opts, s.optlen) ||
				memcmp(g.opts, s.opts, opt_trim(s.opts, s.optlen))))
		why = "options differ";
	else if (s.has_payload && memcmp(g.payload, s.payload, s.plen))
		why = "payload differs";
	else if (s.pattern) {
		for (size_t i = 0; i < g.plen; i++)
			if (g.payload[i] != pattern_byte(s.start + (uint32_t)i)) {
				why = "payload is not the pattern";
				break;
			}
	}
	if (why)
		th_fail(t, line, "EXPECT(\"%s\"): %s, got \"%s\" (at %+" PRId32 " ms)", spec, why, got,
			(int32_t)(f->at_ms - t->now));
	if (!c->dev_port)
		c->dev_port = g.sport;
	th_check_invariants(t, line);
}

/* Moves the clock dt ms on: re-primes the peer's ARP entry when due,
 * runs the stack's timers and collects what it sent. */
static void step_ms(struct th *t, uint32_t dt)
{
	fr_tick(dt);
	t->now += dt;
	if (t->now - t->last_arp_prime >= TH_ARP_REPRIME_MS)
		arp_prime(t);
	keel_tick(t->k, t->now);
	pump(t);
}

/* Waits up to ms (1 ms ticks) for the device to send something, then
 * EXPECTs it: for segments whose timing RFC 9293 leaves open (a delayed
 * ACK may wait up to 500 ms). */
void th_expect_within(struct th *t, int line, uint32_t ms, const char *spec)
{
	th_setup(t);
	for (uint32_t i = 0; i < ms && !t->qlen; i++) {
		step_ms(t, 1);
	}
	if (!t->qlen)
		th_fail(t, line, "EXPECT_WITHIN(%" PRIu32 ", \"%s\"): nothing was sent", ms, spec);
	th_expect(t, line, spec);
}

/* Where Linux and RFC 9293 differ or are silent about an extra segment:
 * if something was sent it must match, nothing is fine too. */
void th_expect_optional(struct th *t, int line, const char *spec)
{
	th_setup(t);
	if (t->qlen)
		th_expect(t, line, spec);
}

/* Takes the next segment (waiting up to ms) without a notation to match,
 * for the few places where RFC 9293 allows several forms (window probes). */
void th_next_segment(struct th *t, int line, uint32_t ms, struct th_seginfo *out)
{
	struct out_seg g;
	th_setup(t);
	for (uint32_t i = 0; i < ms && !t->qlen; i++) {
		step_ms(t, 1);
	}
	if (!t->qlen)
		th_fail(t, line, "NEXT_SEGMENT(%" PRIu32 "): nothing was sent", ms);
	struct th_frame *f = &t->q[t->qhead];
	t->qhead = (t->qhead + 1) % TH_QUEUE_LEN;
	t->qlen--;
	decode_out(t, line, f, &g);
	struct th_conn *c = CUR;
	if ((c->dev_port && g.sport != c->dev_port) || g.dport != c->peer_port)
		th_fail(t, line, "NEXT_SEGMENT: ports %u>%u, not this connection's", g.sport, g.dport);
	out->flags = g.flags;
	out->seq = g.seq - c->dev_isn;
	out->ack = g.ack - c->peer_isn;
	out->len = (uint32_t)g.plen;
	out->win = g.win;
	out->at_ms = f->at_ms;
	int ts = find_ts(g.opts, g.optlen);
	out->has_ts = ts >= 0;
	out->tsval = ts >= 0 ? rd32(g.opts + ts) : 0;
	out->tsecr = ts >= 0 ? rd32(g.opts + ts + 4) : 0;
	fmt_out(out->text, sizeof(out->text), &g, c, 0);
	th_check_invariants(t, line);
}

void th_expect_none(struct th *t, int line)
{
	th_setup(t);
	th_check_invariants(t, line);
	if (t->qlen) {
		struct out_seg g;
		char got[600];
		struct th_conn c = *CUR;
		decode_out(t, line, &t->q[t->qhead], &g);
		if ((g.flags & F_SYN) && !c.dev_isn_known)
			c.dev_isn = g.seq;   /* show it relative, as EXPECT would */
		fmt_out(got, sizeof(got), &g, &c, 1);
		th_fail(t, line, "EXPECT_NONE(): %d frame(s) sent, first \"%s\" (at %+" PRId32 " ms)",
			t->qlen, got, (int32_t)(t->q[t->qhead].at_ms - t->now));
	}
}

/* Time moves 1 ms per keel_tick: a timer due at T fires in the tick at T. */
void th_advance(struct th *t, int line, uint32_t ms)
{
	th_setup(t);
	th_check_invariants(t, line);
	for (uint32_t i = 0; i < ms; i++) {
		step_ms(t, 1);
		if (t->q_overflow || t->non_tcp_error[0])
			th_check_invariants(t, line);
	}
	th_check_invariants(t, line);
}

void th_listen(struct th *t, int line, uint16_t port, int backlog, int expect_err)
{
	th_setup(t);
	int h = tcp_listen(t->k, port, backlog);
	fr_listen(port, backlog);
	fr_handle(h);
	if (expect_err == 1) {
		if (h < 0)
			th_fail(t, line, "tcp_listen(%u, %d) = %d (%s)", port, backlog, h, keel_strerror(h));
		t->listener = h;
		if (t->nlisteners < (int)(sizeof(t->listeners) / sizeof(t->listeners[0])))
			t->listeners[t->nlisteners++] = h;
		t->listen_port = port;
		for (int i = 0; i < TH_MAX_CONNS; i++)
			if (!t->c[i].dev_port && t->c[i].handle < 0)
				t->c[i].dev_port = port;
	} else if (h != expect_err) {
		th_fail(t, line, "tcp_listen(%u, %d) = %d, want %d", port, backlog, h, expect_err);
	}
	th_check_invariants(t, line);
}

void th_accept(struct th *t, int line)
{
	th_setup(t);
	int h = tcp_accept(t->k, t->listener);
	fr_api(FZ_ACCEPT, t->listener, 0, 0);
	fr_handle(h);
	if (h < 0)
		th_fail(t, line, "tcp_accept() = %d (%s)", h, keel_strerror(h));
	CUR->handle = h;
	th_check_invariants(t, line);
}

void th_accept_none(struct th *t, int line)
{
	th_setup(t);
	int h = tcp_accept(t->k, t->listener);
	fr_api(FZ_ACCEPT, t->listener, 0, 0);
	fr_handle(h);
	if (h != KEEL_EWOULDBLOCK)
		th_fail(t, line, "tcp_accept() = %d, want KEEL_EWOULDBLOCK", h);
	th_check_invariants(t, line);
}

void th_connect(struct th *t, int line, uint16_t dport, uint16_t sport)
{
	th_setup(t);
	struct th_conn *c = CUR;
	int h = tcp_connect(t->k, TH_PEER_IP, dport, sport);
	fr_connect(dport, sport);
	fr_handle(h);
	if (h < 0)
		th_fail(t, line, "tcp_connect(%u, %u) = %d (%s)", dport, sport, h, keel_strerror(h));
	c->handle = h;
	c->peer_port = dport;
	c->dev_port = sport;   /* 0: learned from the SYN */
	c->dev_isn_known = 0;
	c->dev_isn = 0;
	c->dev_ts_known = 0;
	pump(t);
	th_check_invariants(t, line);
}

static void send_text(struct th *t, int line, const char *text, int more)
{
	th_setup(t);
	size_t n = strlen(text);
	int r = more ? keel_tcp_send_more(t->k, CUR->handle, text, n) : tcp_send(t->k, CUR->handle, text, n);
	fr_api(FZ_SEND, CUR->handle, (uint16_t)n, (uint16_t)more);   /* b bit 0: MSG_MORE */
	if (r != (int)n)
		th_fail(t, line, "tcp_send%s(%zu bytes) = %d (%s)", more ? "_more" : "", n, r,
			r < 0 ? keel_strerror(r) : "short");
	pump(t);
	th_check_invariants(t, line);
}

void th_send(struct th *t, int line, const char *text)
{
	send_text(t, line, text, 0);
}

void th_send_more(struct th *t, int line, const char *text)
{
	send_text(t, line, text, 1);
}

void th_send_n(struct th *t, int line, size_t n)
{
	static uint8_t buf[KEEL_TCP_SNDBUF * 4];
	th_setup(t);
	if (n > sizeof(buf))
		th_fail(t, line, "SEND_N too long");
	for (size_t i = 0; i < n; i++)
		buf[i] = pattern_byte(CUR->send_off + (uint32_t)(i + 1));
	int r = tcp_send(t->k, CUR->handle, buf, n);
	fr_api(FZ_SEND, CUR->handle, (uint16_t)n, 0);
	if (r != (int)n)
		th_fail(t, line, "tcp_send(%zu bytes) = %d (%s)", n, r, r < 0 ? keel_strerror(r) : "short");
	CUR->send_off += (uint32_t)n;
	pump(t);
	th_check_invariants(t, line);
}

void th_recv_expect(struct th *t, int line, const char *text)
{
	th_setup(t);
	size_t n = strlen(text), got = 0;
	char buf[KEEL_TCP_RCVBUF + 1];
	if (n > KEEL_TCP_RCVBUF)
		th_fail(t, line, "RECV_EXPECT text longer than the receive buffer");
	fr_api(FZ_RECV, CUR->handle, (uint16_t)n, 0);
	while (got < n) {
		int r = tcp_recv(t->k, CUR->handle, buf + got, n - got);
		if (r <= 0)
			th_fail(t, line, "RECV_EXPECT(\"%s\"): tcp_recv after %zu bytes = %d (%s)", text, got, r,
				r < 0 ? keel_strerror(r) : "end of stream");
		got += (size_t)r;
	}
	buf[n] = 0;
	if (memcmp(buf, text, n))
		th_fail(t, line, "RECV_EXPECT(\"%s\"): read \"%s\"", text, buf);
	pump(t);
	th_check_invariants(t, line);
}

/* Reads n bytes of the peer's pattern stream (rel seq 1..n from where the
 * last RECV_EXPECT_N stopped) and compares them. */
void th_recv_expect_n(struct th *t, int line, size_t n)
{
	static uint8_t buf[65535];
	size_t got = 0;
	th_setup(t);
	if (n > sizeof(buf))
		th_fail(t, line, "RECV_EXPECT_N longer than the receive buffer");
	fr_api(FZ_RECV, CUR->handle, (uint16_t)n, 0);
	while (got < n) {
		int r = tcp_recv(t->k, CUR->handle, buf + got, n - got);
		if (r <= 0)
			th_fail(t, line, "RECV_EXPECT_N(%zu): tcp_recv after %zu bytes = %d (%s)", n, got, r,
				r < 0 ? keel_strerror(r) : "end of stream");
		got += (size_t)r;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t want = pattern_byte(CUR->recv_off + 1u + (uint32_t)i);
		if (buf[i] != want)
			th_fail(t, line, "RECV_EXPECT_N(%zu): byte %zu is 0x%02x, want 0x%02x", n, i, buf[i], want);
	}
	CUR->recv_off += (uint32_t)n;
	pump(t);
	th_check_invariants(t, line);
}

void th_recv_eof(struct th *t, int line)
{
	char c;
	th_setup(t);
	int r = tcp_recv(t->k, CUR->handle, &c, 1);
	fr_api(FZ_RECV, CUR->handle, 1, 0);
	if (r != 0)
		th_fail(t, line, "RECV_EOF(): tcp_recv = %d (%s)", r, r < 0 ? keel_strerror(r) : "data");
	pump(t);
	th_check_invariants(t, line);
}

void th_recv_none(struct th *t, int line)
{
	char c;
	th_setup(t);
	int r = tcp_recv(t->k, CUR->handle, &c, 1);
	fr_api(FZ_RECV, CUR->handle, 1, 0);
	if (r != KEEL_EWOULDBLOCK)
		th_fail(t, line, "RECV_NONE(): tcp_recv = %d, want KEEL_EWOULDBLOCK", r);
	th_check_invariants(t, line);
}

void th_call_expect(struct th *t, int line, const char *what, int got, int want)
{
	if (strcmp(what, "tcp_close") == 0)
		fr_api(FZ_CLOSE, CUR->handle, 0, 0);
	else if (strcmp(what, "tcp_shutdown") == 0)
		fr_api(FZ_SHUTDOWN, CUR->handle, 0, 0);
	else if (strcmp(what, "tcp_abort") == 0)
		fr_api(FZ_ABORT, CUR->handle, 0, 0);
	if (got != want)
		th_fail(t, line, "%s = %d (%s), want %d (%s)", what, got, keel_strerror(got), want,
			keel_strerror(want));
	pump(t);
	th_check_invariants(t, line);
}

void th_assert_state(struct th *t, int line, int want)
{
	th_setup(t);
	int s = tcp_get_state(t->k, CUR->handle);
	if (s != want)
		th_fail(t, line, "state %s (%d), want %s", s >= 0 && s < TCP_NSTATES ? tcp_state_name((enum tcp_state)s) : keel_strerror(s), s,
			tcp_state_name((enum tcp_state)want));
	th_check_invariants(t, line);
}

void th_assert_error(struct th *t, int line, int want)
{
	th_setup(t);
	int e = tcp_error(t->k, CUR->handle);
	if (e != want)
		th_fail(t, line, "tcp_error = %d (%s), want %d (%s)", e, keel_strerror(e), want, keel_strerror(want));
	th_check_invariants(t, line);
}

void th_assert_counter(struct th *t, int line, const char *name, uint32_t got, uint32_t want)
{
	if (got != want)
		th_fail(t, line, "counter %s = %" PRIu32 ", want %" PRIu32, name, got, want);
	th_check_invariants(t, line);
}

void th_assert_state_count(struct th *t, int line, const char *name, int state, int want)
{
	uint16_t counts[TCP_NSTATES];
	th_setup(t);
	tcp_state_counts(t->k, counts);
	if (counts[state] != want)
		th_fail(t, line, "connections in %s = %u, want %d", name, counts[state], want);
	th_check_invariants(t, line);
}

void th_assert_pools(struct th *t, int line, const struct th_pools *p)
{
	const int want[TCP_NPOOLS] = { p->tcbs, p->syn_queue, p->time_wait, p->listen };
	static const char *names[TCP_NPOOLS] = { "tcbs", "syn_queue", "time_wait", "listen" };
	th_setup(t);
	for (int i = 0; i < TCP_NPOOLS; i++) {
		struct keel_pool_usage u;
		if (want[i] < 0)
			continue;
		tcp_pool_get(t->k, (enum tcp_pool)i, &u);
		if (u.in_use != want[i])
			th_fail(t, line, "pool %s in use %u, want %d", names[i], u.in_use, want[i]);
	}
	th_check_invariants(t, line);
}

/* ---------------------------------------------------------------- teardown */

/* Closes every handle the script still holds (peer silent), runs the clock
 * until every pool is empty (at most 1 simulated hour, 10 ms steps) and
 * fails if something is left. */
void th_teardown(struct th *t);
void th_teardown(struct th *t)
{
	th_setup(t);
	if (t->skip_final_check)
		return;
	for (int i = 0; i < TH_MAX_CONNS; i++)
		if (t->c[i].handle >= 0)
			(void)tcp_close(t->k, t->c[i].handle);
	for (int i = 0; i < t->nlisteners; i++)
		(void)tcp_close(t->k, t->listeners[i]);
	pump(t);
	t->qlen = 0;
	t->q_overflow = 0;
	uint32_t start = t->now;
	for (;;) {
		int busy = 0;
		for (int i = 0; i < TCP_NPOOLS; i++) {
			struct keel_pool_usage u;
			tcp_pool_get(t->k, (enum tcp_pool)i, &u);
			busy += u.in_use;
		}
		if (!busy)
			break;
		if (t->now - start > 3600000u) {
			struct keel_pool_usage u[TCP_NPOOLS];
			for (int i = 0; i < TCP_NPOOLS; i++)
				tcp_pool_get(t->k, (enum tcp_pool)i, &u[i]);
			th_fail(t, 0, "teardown: pools still in use after closing everything and 3600 s: "
				"tcbs %u syn_queue %u time_wait %u listen %u",
				u[0].in_use, u[1].in_use, u[2].in_use, u[3].in_use);
		}
		for (int j = 0; j < 100; j++) {
			step_ms(t, 10);
			t->qlen = 0;
			t->q_overflow = 0;
		}
		if (t->non_tcp_error[0])
			th_check_invariants(t, 0);
	}
	th_check_invariants(t, 0);
}

/* ---------------------------------------------------------------- self-test */

#include "checksum.h"

/* Feeds the harness frames "from the device" that it builds itself and checks
 * that EXPECT accepts the right notation and rejects wrong ones; checks the
 * harness checksum against stack/lib/checksum.c.  Needs no TCP engine. */
static int selftest_expect(struct th *t, const char *dev_spec, const char *expect_spec,
			   int want_ok, int corrupt, char *msg, size_t cap)
{
	struct seg s;
	uint8_t b[KEEL_FRAME_MAX + 64];
	t->failed = 0;
	if (setjmp(t->fail_jmp) == 0) {
		parse_seg(t, 0, dev_spec, &s);
		size_t n = build_frame(t, &s, 1, b);
		if (corrupt)
			b[14 + rd16(b + 16) - 1] ^= 0x40;   /* last payload byte: TCP checksum now wrong */
		th_tx(t, b, n);
		th_expect(t, 1, expect_spec);
	}
	t->qlen = 0;
	if (t->failed == want_ok) {
		snprintf(msg, cap, "EXPECT(\"%s\") on \"%s\": %s", expect_spec, dev_spec,
			 want_ok ? t->fail_msg : "accepted, should fail");
		return 0;
	}
	return 1;
}

int th_selftest(char *msg, size_t cap);
int th_selftest(char *msg, size_t cap)
{
	struct th *t = calloc(1, sizeof(*t));
	volatile int ok = 1;
	if (!t)
		return 0;
	t->set_up = 1;
	t->file = "harness.c";
	t->now = TH_DEFAULT_CLOCK;
	t->c[0].peer_port = 40000;
	t->c[0].dev_port = 7;
	t->c[0].peer_isn = 0xfffffff0u;   /* wraps */
	t->c[0].dev_isn = 0xffffff00u;    /* the "device" builder uses this ... */
	t->c[0].handle = -1;
	struct {
		const char *dev, *exp;
		int ok, corrupt;
	} cases[] = {
		{ "> S. 0:0(0) ack 1 win 2048 <mss 1460>", "> S. 0:0(0) ack 1 win 2048 <mss 1460>", 1, 0 },
		{ "> S. 0:0(0) ack 1 win 2048 <mss 1460>", "> S. 0:0(0) ack 1", 1, 0 },
		{ "> S. 0:0(0) ack 1 win 2048 <mss 1460>", "> S. 0:0(0) ack 1 win 1024", 0, 0 },
		{ "> S. 0:0(0) ack 1 win 2048 <mss 1460>", "> S. 0:0(0) ack 1 <mss 536>", 0, 0 },
		{ "> S. 0:0(0) ack 1 win 2048 <mss 1460>", "> S. 0:0(0) ack 1 <>", 0, 0 },
		{ "> S. 0:0(0) ack 1 win 2048 <mss 1460>", "> S. 0:0(0) ack 2", 0, 0 },
		{ "> S. 0:0(0) ack 1 win 2048 <mss 1460>", "> S 0:0(0)", 0, 0 },
		{ "> S. 0:0(0) ack 1 win 2048 <mss 1460>", "> S. 1:1(0) ack 1", 0, 0 },
		{ "> FP. 1:6(5) ack 1 'hello'", "> F. 1:6(5) ack 1 'hello'", 1, 0 },
		{ "> FP. 1:6(5) ack 1 'hello'", "> F. 1:6(5) ack 1 'jello'", 0, 0 },
		{ "> FP. 1:6(5) ack 1 'hello'", "> F. 1:5(4) ack 1", 0, 0 },
		{ "> FP. 1:6(5) ack 1 'hello'", "> F. 1:6(5) ack 1", 0, 1 },
		{ "> . 1:1(0) ack 1 <nop,nop,TS val 5 ecr 6>", "> . 1:1(0) ack 1 <nop,nop,TS val 5 ecr 6>", 1, 0 },
		{ "> R 77:77(0)", "> R 77:77(0)", 1, 0 },
		{ "> R 77:77(0)", "> R. 77:77(0) ack 0", 0, 0 },
		{ "> R 77:77(0)", "> X 77:77(0)", 0, 0 },
		{ "> R 77:77(0)", "> R 77:78(0)", 0, 0 },
	};
	for (size_t i = 0; ok && i < sizeof(cases) / sizeof(cases[0]); i++)
		ok = selftest_expect(t, cases[i].dev, cases[i].exp, cases[i].ok, cases[i].corrupt, msg, cap);
	/* EXPECT_NONE on an empty and a non-empty queue */
	if (ok) {
		t->failed = 0;
		if (setjmp(t->fail_jmp) == 0)
			th_expect_none(t, 1);
		if (t->failed) {
			snprintf(msg, cap, "EXPECT_NONE failed on an empty queue");
			ok = 0;
		}
	}
	if (ok) {
		uint8_t b[KEEL_FRAME_MAX + 64];
		struct seg s;
		t->failed = 0;
		if (setjmp(t->fail_jmp) == 0) {
			parse_seg(t, 0, "> . 1:1(0) ack 1", &s);
			th_tx(t, b, build_frame(t, &s, 1, b));
			th_expect_none(t, 1);
		}
		t->qlen = 0;
		if (!t->failed) {
			snprintf(msg, cap, "EXPECT_NONE passed with a frame queued");
			ok = 0;
		}
	}
	/* harness checksum == stack checksum over the same segment */
	if (ok) {
		uint8_t seg[41];
		for (size_t i = 0; i < sizeof(seg); i++)
			seg[i] = (uint8_t)(i * 37 + 11);
		seg[16] = seg[17] = 0;
		uint16_t a = tcp_sum(TH_PEER_IP, TH_DEV_IP, seg, sizeof(seg));
		uint16_t bb = csum_fold(csum_add(csum_pseudo(TH_PEER_IP, TH_DEV_IP, 6, sizeof(seg)), seg, sizeof(seg)));
		if (a != bb) {
			snprintf(msg, cap, "harness TCP checksum 0x%04x, stack/lib/checksum.c 0x%04x", a, bb);
			ok = 0;
		}
	}
	free(t);
	return ok;
}

struct tcp_conn_info th_conn_info(struct th *t)
{
	struct tcp_conn_info ci;
	memset(&ci, 0, sizeof(ci));
	int r = keel_tcp_conn_info(K, KEEL_TCP_MAX_LISTEN + tcp_handle_slot(H), &ci);
	if (r != 0 || ci.kind != TCP_CONN_TCB)
		th_fail(t, 0, "tcp_conn_info: no TCB for the handle (%d)", r);
	return ci;
}
