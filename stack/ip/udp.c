/* UDP (RFC 768): validation, demultiplexing to sockets, output.
 *
 * Input checks run in Linux's order (__udp4_lib_rcv): length, checksum,
 * then the socket lookup.  A malformed datagram is dropped and counted,
 * never answered.  A valid one for a port nobody bound is answered ICMP
 * port unreachable (RFC 1122 §4.1.3.1) unless it was a broadcast.
 *
 * A queued socket's buffer is a ring of records: a 2-byte length, the
 * source port and address (6 bytes), then the payload, wrapping at the
 * end of the buffer. */
#include <string.h>
#include "byteorder.h"
#include "checksum.h"
#include "keel.h"
#include "random.h"
#include <keel/tcp.h>

#define REC_HDR 8u
#define GEN_SHIFT 8

_Static_assert(KEEL_UDP_MAX_SOCK >= 1 && KEEL_UDP_MAX_SOCK <= 255, "UDP socket table");

static struct udp_sock *sock_get(struct keel *k, int s)
{
	if (s < 0)
		return NULL;
	unsigned idx = (unsigned)s & ((1u << GEN_SHIFT) - 1u);
	unsigned gen = (unsigned)s >> GEN_SHIFT;
	if (idx >= KEEL_UDP_MAX_SOCK)
		return NULL;
	struct udp_sock *u = &k->udp.socks[idx];
	return u->port != 0 && u->gen == gen ? u : NULL;
}

static struct udp_sock *sock_by_port(struct keel *k, uint16_t port)
{
	for (size_t i = 0; i < KEEL_UDP_MAX_SOCK; i++)
		if (k->udp.socks[i].port == port)
			return &k->udp.socks[i];
	return NULL;
}

/* A random ephemeral port nobody holds: a bounded number of draws, then
 * 0 (the caller reports EADDRINUSE). */
static uint16_t pick_port(struct keel *k)
{
	for (int tries = 0; tries < 16; tries++) {
		uint16_t p = (uint16_t)keel_random_range(k, UDP_EPHEMERAL_LO, UDP_EPHEMERAL_HI);
		if (sock_by_port(k, p) == NULL)
			return p;
	}
	return 0;
}

static int bind_slot(struct keel *k, uint16_t port, struct udp_sock **out)
{
	if (port != 0 && sock_by_port(k, port) != NULL)
		return KEEL_EADDRINUSE;
	struct udp_sock *u = sock_by_port(k, 0);
	if (u == NULL)
		return KEEL_ENOMEM;
	if (port == 0)
		port = pick_port(k);
	if (port == 0)
		return KEEL_EADDRINUSE;
	uint8_t gen = (uint8_t)(u->gen + 1u);
	if (gen == 0 || gen > 127)
		gen = 1;   /* handles stay positive */
	memset(u, 0, sizeof(*u));
	u->port = port;
	u->gen = gen;
	uint16_t in_use = 0;
	for (size_t i = 0; i < KEEL_UDP_MAX_SOCK; i++)
		in_use = (uint16_t)(in_use + (k->udp.socks[i].port != 0));
	if (in_use > k->udp.hwm)
		k->udp.hwm = in_use;
	*out = u;
	return (int)(((unsigned)gen << GEN_SHIFT) | (unsigned)(u - k->udp.socks));
}

int keel_udp_bind(struct keel *k, uint16_t port, uint8_t *buf, size_t cap)
{
	if (buf == NULL || cap < REC_HDR + 1 || cap > 0xffff)
		return KEEL_EINVAL;
	struct udp_sock *u;
	int h = bind_slot(k, port, &u);
	if (h >= 0) {
		u->q = buf;
		u->cap = (uint16_t)cap;
	}
	return h;
}

int udp_bind_cb(struct keel *k, uint16_t port, udp_recv_fn fn, void *ctx)
{
	if (fn == NULL)
		return KEEL_EINVAL;
	struct udp_sock *u;
	int h = bind_slot(k, port, &u);
	if (h >= 0) {
		u->fn = fn;
		u->ctx = ctx;
	}
	return h;
}

int keel_udp_close(struct keel *k, int s)
{
	struct udp_sock *u = sock_get(k, s);
	if (u == NULL)
		return KEEL_EBADF;
	uint8_t gen = u->gen;
	memset(u, 0, sizeof(*u));
	u->gen = gen;   /* the next bind of this slot hands out gen + 1 */
	return KEEL_OK;
}

uint16_t keel_udp_local_port(const struct keel *k, int s)
{
	const struct udp_sock *u = sock_get((struct keel *)k, s);
	return u ? u->port : 0;
}

int keel_udp_pending(const struct keel *k, int s)
{
	const struct udp_sock *u = sock_get((struct keel *)k, s);
	return u ? u->count : KEEL_EBADF;
}

/* ---- the record ring ---- */

static void ring_put(struct udp_sock *u, uint16_t at, const uint8_t *p, size_t n)
{
	size_t room = (size_t)u->cap - at;
	size_t first = room < n ? room : n;
	memcpy(u->q + at, p, first);
	memcpy(u->q, p + first, n - first);
}

static void ring_get(const struct udp_sock *u, uint16_t at, uint8_t *p, size_t n)
{
	size_t room = (size_t)u->cap - at;
	size_t first = room < n ? room : n;
	memcpy(p, u->q + at, first);
	memcpy(p + first, u->q, n - first);
}

static uint16_t ring_off(const struct udp_sock *u, uint32_t at)
{
	return (uint16_t)(at % u->cap);
}

static int enqueue(struct udp_sock *u, const struct udp_dgram *d)
{
	if ((size_t)u->cap - u->used < REC_HDR + d->len)
		return -1;
	uint8_t h[REC_HDR];
	store_be16(h, (uint16_t)d->len);
	store_be16(h + 2, d->sport);
	store_be32(h + 4, d->src);
	uint16_t tail = ring_off(u, (uint32_t)u->head + u->used);
	ring_put(u, tail, h, REC_HDR);
	ring_put(u, ring_off(u, (uint32_t)tail + REC_HDR), d->data, d->len);
	u->used = (uint16_t)(u->used + REC_HDR + d->len);
	u->count++;
	return 0;
}

int keel_udp_recvfrom(struct keel *k, int s, void *buf, size_t cap, uint32_t *src, uint16_t *sport)
{
	struct udp_sock *u = sock_get(k, s);
	if (u == NULL || u->q == NULL)
		return u == NULL ? KEEL_EBADF : KEEL_EINVAL;
	if (u->count == 0)
		return KEEL_EWOULDBLOCK;
	uint8_t h[REC_HDR];
	ring_get(u, u->head, h, REC_HDR);
	size_t len = load_be16(h);
	if (sport)
		*sport = load_be16(h + 2);
	if (src)
		*src = load_be32(h + 4);
	size_t n = len < cap ? len : cap;
	if (n)
		ring_get(u, ring_off(u, (uint32_t)u->head + REC_HDR), buf, n);
	u->head = ring_off(u, (uint32_t)u->head + REC_HDR + len);
	u->used = (uint16_t)(u->used - REC_HDR - len);
	u->count--;
	if (u->count == 0)
		u->head = u->used = 0;
	return (int)n;
}

/* ---- input ---- */

void udp_input(struct keel *k, const struct ipv4_packet *ip)
{
	struct udp_stats *st = &k->udp.stats;
	if (ip->len < UDP_HDR_LEN) {
		st->in_errors++;
		return;
	}
	size_t ulen = load_be16(ip->payload + 4);
	if (ulen < UDP_HDR_LEN || ulen > ip->len) {
		st->in_errors++;
		return;
	}
	/* Checksum 0: none was sent (RFC 768). */
	if (load_be16(ip->payload + 6) != 0 && !ip->csum_ok) {
		uint32_t sum = csum_pseudo(ip->src, ip->dst, IP_PROTO_UDP, (uint16_t)ulen);
		if (csum_fold(csum_add(sum, ip->payload, ulen)) != 0) {
			st->in_csum_errors++;
			st->in_errors++;
			return;
		}
	}
	struct udp_dgram d = {
		.src = ip->src, .dst = ip->dst,
		.sport = load_be16(ip->payload), .dport = load_be16(ip->payload + 2),
		.data = ip->payload + UDP_HDR_LEN, .len = ulen - UDP_HDR_LEN, .bcast = ip->bcast,
	};
	struct udp_sock *u = d.dport ? sock_by_port(k, d.dport) : NULL;
	if (u == NULL) {
		if (ip->bcast) {
			st->ignored_multi++;   /* nobody listens, nobody is told */
			return;
		}
		st->no_ports++;
		icmp_send_unreach(k, ip, ICMP_UNREACH_PORT);
		return;
	}
	if (u->fn) {
		st->in_datagrams++;
		u->fn(k, u->ctx, &d);
		return;
	}
	if (enqueue(u, &d) != 0) {
		st->rcvbuf_errors++;   /* Linux counts both */
		st->in_errors++;
		return;
	}
	st->in_datagrams++;
}

/* ---- output ---- */

uint8_t *keel_udp_tx_buf(struct keel *k)
{
	return ipv4_payload_buf(k) + UDP_HDR_LEN;
}

int keel_udp_send_tx(struct keel *k, int s, uint32_t dst, uint16_t dport, size_t len)
{
	struct udp_sock *u = sock_get(k, s);
	if (u == NULL)
		return KEEL_EBADF;
	if (len > UDP_PAYLOAD_MAX)
		return KEEL_EMSGSIZE;
	if (dport == 0 || dst == 0)
		return KEEL_EINVAL;
	uint8_t *h = ipv4_payload_buf(k);
	size_t ulen = UDP_HDR_LEN + len;
	store_be16(h, u->port);
	store_be16(h + 2, dport);
	store_be16(h + 4, (uint16_t)ulen);
	store_be16(h + 6, 0);
	if (keel_tx_csum(k)) {   /* else the MAC fills it in (KEEL_OFFLOAD_TX_CSUM) */
		uint32_t sum = csum_pseudo(k->ifc.addr, dst, IP_PROTO_UDP, (uint16_t)ulen);
		uint16_t c = csum_fold(csum_add(sum, h, ulen));
		store_be16(h + 6, c ? c : 0xffff);   /* 0 would mean "no checksum" */
	}
	if (ipv4_output(k, dst, IP_PROTO_UDP, ulen) != 0)
		return KEEL_EHOSTUNREACH;
	k->udp.stats.out_datagrams++;
	return (int)len;
}

int keel_udp_sendto(struct keel *k, int s, uint32_t dst, uint16_t dport, const void *buf, size_t len)
{
	if (sock_get(k, s) == NULL)
		return KEEL_EBADF;
	if (len > UDP_PAYLOAD_MAX)
		return KEEL_EMSGSIZE;
	if (len)
		memcpy(keel_udp_tx_buf(k), buf, len);
	return keel_udp_send_tx(k, s, dst, dport, len);
}
