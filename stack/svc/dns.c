/* DNS stub resolver: see <keel/dns.h> and dns.h.
 *
 * One resolution at a time: its own UDP socket on a random ephemeral port
 * and a random transaction ID (RFC 5452 §9.2), queries to the servers in
 * turn, KEEL_DNS_TIMEOUT_MS then doubling up to 4x.  A reply is taken only
 * from the server the query went to, from port 53, with our ID and our
 * question (RFC 5452 §9.1); anything else is dropped and counted, and the
 * query keeps waiting.  Answers are cached for their TTL (at most
 * KEEL_DNS_TTL_MAX_S); a TTL of 0 answers this query only (RFC 1035 §3.2.1). */
#include <string.h>
#include "keel.h"
#include "random.h"
#include <keel/tcp.h>

_Static_assert(KEEL_DNS_CACHE >= 1 && KEEL_DNS_CACHE <= 64, "DNS cache size");
_Static_assert(KEEL_DNS_NAME_MAX >= 16 && KEEL_DNS_NAME_MAX <= 254, "DNS name length");
_Static_assert(KEEL_DNS_TRIES >= 1 && KEEL_DNS_TRIES <= 10, "DNS tries");
_Static_assert(KEEL_DNS_TTL_MAX_S <= 0x7fffffffu / 1000u, "TTL must fit a wrap-safe ms timer");

static int due(const struct keel *k, uint32_t t)
{
	return (int32_t)(k->now_ms - t) >= 0;
}

static int same_name(const char *a, const char *b)
{
	for (size_t i = 0; i < KEEL_DNS_NAME_MAX; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
		if (x == '\0')
			return 1;
	}
	return 0;
}

/* "192.0.2.9" -> its address; -1 when name is not a dotted quad. */
static int parse_literal(const char *s, uint32_t *out)
{
	uint32_t a = 0;
	for (int part = 0; part < 4; part++) {
		uint32_t v = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10u + (uint32_t)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || v > 255)
			return -1;
		a = a << 8 | v;
		if (part < 3 && *s++ != '.')
			return -1;
	}
	if (*s != '\0')
		return -1;
	*out = a;
	return 0;
}

unsigned keel_dns_servers(const struct keel *k, uint32_t *out, unsigned max)
{
	unsigned n = 0;
	if (k->dns.server_override) {
		if (max > 0)
			out[n++] = k->dns.server_override;
		return n;
	}
	for (unsigned i = 0; i < k->dhcp.lease.ndns && n < max; i++)
		out[n++] = k->dhcp.lease.dns[i];
	return n;
}

void keel_dns_set_server(struct keel *k, uint32_t server)
{
	k->dns.server_override = server;
}

void keel_dns_flush(struct keel *k)
{
	memset(k->dns.cache, 0, sizeof(k->dns.cache));
}

void dns_init(struct keel *k)
{
	memset(&k->dns, 0, sizeof(k->dns));
	k->dns.q.sock = -1;
}

static struct dns_cache_entry *cache_find(struct keel *k, const char *name)
{
	for (size_t i = 0; i < KEEL_DNS_CACHE; i++) {
		struct dns_cache_entry *e = &k->dns.cache[i];
		if (e->name[0] == '\0' || !same_name(e->name, name))
			continue;
		if (due(k, e->expires_ms)) {
			e->name[0] = '\0';   /* its TTL ran out */
			return NULL;
		}
		return e;
	}
	return NULL;
}

static void cache_put(struct keel *k, const char *name, uint32_t addr, uint32_t ttl_s)
{
	if (ttl_s == 0)
		return;
	if (ttl_s > KEEL_DNS_TTL_MAX_S)
		ttl_s = KEEL_DNS_TTL_MAX_S;
	struct dns_cache_entry *victim = &k->dns.cache[0];
	for (size_t i = 0; i < KEEL_DNS_CACHE; i++) {
		struct dns_cache_entry *e = &k->dns.cache[i];
		if (e->name[0] == '\0' || due(k, e->expires_ms) || same_name(e->name, name)) {
			victim = e;
			break;
		}
		if ((int32_t)(e->expires_ms - victim->expires_ms) < 0)
			victim = e;   /* else the one closest to expiry */
	}
	memcpy(victim->name, name, sizeof(victim->name));
	victim->addr = addr;
	victim->expires_ms = k->now_ms + ttl_s * 1000u;
}

static void finish(struct keel *k, int result)
{
	struct dns_query *q = &k->dns.q;
	if (q->sock >= 0)
		(void)keel_udp_close(k, q->sock);
	q->sock = -1;
	q->result = (int8_t)result;
	q->state = DNS_DONE;
}

static void on_reply(struct keel *k, void *ctx, const struct udp_dgram *d)
{
	(void)ctx;
	struct dns_query *q = &k->dns.q;
	struct dns_stats *st = &k->dns.stats;
	if (q->state != DNS_WAITING || d->src != q->server || d->sport != DNS_PORT) {
		st->in_mismatch++;
		return;
	}
	uint32_t addr = 0, ttl = 0;
	switch (dns_parse_reply(d->data, d->len, q->id, q->qname, q->qname_len, &addr, &ttl)) {
	case DNS_REPLY_ANSWER:
		st->in_answers++;
		cache_put(k, q->name, addr, ttl);
		q->addr = addr;
		finish(k, KEEL_OK);
		break;
	case DNS_REPLY_NXDOMAIN:
		st->in_nxdomain++;
		finish(k, KEEL_ENOENT);
		break;
	case DNS_REPLY_SERVFAIL:
		st->in_servfail++;
		finish(k, KEEL_EPROTO);
		break;
	case DNS_REPLY_MISMATCH:
		st->in_mismatch++;   /* a spoof or a stale answer: keep waiting */
		break;
	default:
		st->in_errors++;
		break;
	}
}

static void send_query(struct keel *k)
{
	struct dns_query *q = &k->dns.q;
	uint32_t servers[KEEL_DNS_MAX_SERVERS];
	unsigned n = keel_dns_servers(k, servers, KEEL_DNS_MAX_SERVERS);
	if (n == 0) {
		finish(k, KEEL_EHOSTUNREACH);
		return;
	}
	q->server = servers[q->tries % n];
	size_t len = dns_build_query(keel_udp_tx_buf(k), UDP_PAYLOAD_MAX, q->id, q->qname, q->qname_len);
	(void)keel_udp_send_tx(k, q->sock, q->server, DNS_PORT, len);
	unsigned shift = q->tries < 2 ? q->tries : 2;
	q->next_ms = k->now_ms + (KEEL_DNS_TIMEOUT_MS << shift);
	if (q->tries++ == 0)
		k->dns.stats.out_queries++;
	else
		k->dns.stats.out_retransmits++;
}

static int start_query(struct keel *k, const char *name)
{
	struct dns_query *q = &k->dns.q;
	uint8_t wire[DNS_NAME_WIRE_MAX];
	size_t wlen = dns_name_encode(name, wire);
	if (wlen == 0)
		return KEEL_EINVAL;
	uint32_t one;
	if (k->ifc.addr == 0 || keel_dns_servers(k, &one, 1) == 0)
		return KEEL_EHOSTUNREACH;
	int s = udp_bind_cb(k, 0, on_reply, NULL);   /* a random port (RFC 5452 §9.2) */
	if (s < 0)
		return KEEL_ENOMEM;
	memset(q, 0, sizeof(*q));
	q->sock = s;
	memcpy(q->name, name, strlen(name) + 1);
	memcpy(q->qname, wire, wlen);
	q->qname_len = (uint8_t)wlen;
	q->id = (uint16_t)keel_random32(k);
	q->state = DNS_WAITING;
	send_query(k);
	return q->state == DNS_WAITING ? KEEL_EINPROGRESS : q->result;
}

int keel_dns_resolve(struct keel *k, const char *name, uint32_t *addr)
{
	if (name == NULL || parse_literal(name, addr) == 0)
		return name == NULL ? KEEL_EINVAL : KEEL_OK;
	size_t len = 0;
	while (len < KEEL_DNS_NAME_MAX && name[len] != '\0')
		len++;
	if (len == 0 || len >= KEEL_DNS_NAME_MAX)
		return KEEL_EINVAL;
	struct dns_query *q = &k->dns.q;
	if (q->state != DNS_IDLE && same_name(q->name, name)) {
		if (q->state == DNS_WAITING)
			return KEEL_EINPROGRESS;
		q->state = DNS_IDLE;   /* DONE: hand the result over once */
		if (q->result == KEEL_OK)
			*addr = q->addr;
		return q->result;
	}
	const struct dns_cache_entry *e = cache_find(k, name);
	if (e != NULL) {
		k->dns.stats.cache_hits++;
		*addr = e->addr;
		return KEEL_OK;
	}
	if (q->state == DNS_WAITING)
		finish(k, KEEL_ETIMEDOUT);   /* abandoned for the new name */
	q->state = DNS_IDLE;
	return start_query(k, name);
}

void dns_tick(struct keel *k)
{
	struct dns_query *q = &k->dns.q;
	if (q->state != DNS_WAITING || !due(k, q->next_ms))
		return;
	if (q->tries >= KEEL_DNS_TRIES) {
		k->dns.stats.timeouts++;
		finish(k, KEEL_ETIMEDOUT);
		return;
	}
	send_query(k);
}

/* When dns_tick next has work (keel_next_deadline). */
int dns_next_deadline(const struct keel *k, uint32_t *when_ms)
{
	if (k->dns.q.state != DNS_WAITING)
		return 0;
	*when_ms = k->dns.q.next_ms;
	return 1;
}
