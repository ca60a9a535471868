/* DNS stub resolver (RFC 1035, RFC 5452): the query on the wire, answers,
 * the TTL-bound cache, retransmission with backoff, and replies malformed
 * or forged in every field -- each dropped and counted while the query
 * goes on waiting for the real answer. */
#include "unit/fake_net.h"
#include <keel/dns.h>
#include <keel/stats.h>
#include <keel/tcp.h>

#define NS_IP PEER_IP
#define ANSWER_IP IP4(192, 0, 2, 80)

static uint8_t F[KEEL_FRAME_MAX + 64];
static uint32_t now;

static int setup(void **state)
{
	fake_setup(state);
	learn(NS_IP, peer_mac, 0);
	keel_dns_set_server(&K, NS_IP);
	fake_clear();
	now = 0;
	return 0;
}

static void advance(uint32_t t)
{
	while ((int32_t)(t - now) > 0) {
		now = (int32_t)(t - now) > 10 ? now + 10 : t;
		keel_tick(&K, now);
	}
}

/* The last query sent: its source port, ID and the message. */
struct sent_query {
	uint16_t sport, id;
	const uint8_t *m;
	size_t len;
};

static struct sent_query last_query(void)
{
	assert_true(NET.n >= 1);
	const uint8_t *f = NET.frame[NET.n - 1];
	assert_int_equal(f[23], 17);
	assert_int_equal(load_be32(f + 30), NS_IP);
	assert_int_equal(load_be16(f + 36), 53);
	struct sent_query q = {load_be16(f + 34), load_be16(f + 42), f + 42,
			       load_be16(f + 38) - 8u};
	return q;
}

/* A reply to q from src:sport: header flags, the question as asked (or
 * replaced), then `ans` raw answer bytes counted as `ancount` records. */
static size_t reply(const struct sent_query *q, uint32_t src, uint16_t sport, uint16_t flags,
		    const uint8_t *ans, size_t alen, uint16_t ancount)
{
	static uint8_t u[1024];
	uint8_t *m = u + 8;
	memcpy(m, q->m, q->len);                 /* header and question */
	store_be16(m + 2, flags);
	store_be16(m + 6, ancount);
	if (alen)
		memcpy(m + q->len, ans, alen);
	size_t n = q->len + alen;
	store_be16(u, sport);
	store_be16(u + 2, q->sport);
	store_be16(u + 4, (uint16_t)(8 + n));
	store_be16(u + 6, 0);                    /* no checksum: tests edit freely */
	return build_ipv4(F, peer_mac, src, OUR_IP, 17, u, 8 + n);
}

/* An A record for the question's name (pointer to offset 12). */
static size_t a_record(uint8_t *r, uint32_t ttl, uint32_t addr)
{
	static const uint8_t head[] = {0xc0, 12, 0, 1, 0, 1};
	memcpy(r, head, sizeof(head));
	store_be32(r + 6, ttl);
	store_be16(r + 10, 4);
	store_be32(r + 12, addr);
	return 16;
}

static int resolve(const char *name, uint32_t *addr)
{
	return keel_dns_resolve(&K, name, addr);
}

static void query_answer_and_cache(void **state)
{
	(void)state;
	uint32_t a = 0;
	assert_int_equal(resolve("keel.test", &a), KEEL_EINPROGRESS);
	assert_int_equal(NET.n, 1);
	struct sent_query q = last_query();
	assert_true(q.sport >= UDP_EPHEMERAL_LO && q.sport <= UDP_EPHEMERAL_HI);
	static const uint8_t question[] = {4, 'k', 'e', 'e', 'l', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1};
	assert_int_equal(q.len, 12 + sizeof(question));
	assert_memory_equal(q.m + 12, question, sizeof(question));
	assert_int_equal(load_be16(q.m + 2), 0x0100);   /* RD */
	assert_int_equal(resolve("keel.test", &a), KEEL_EINPROGRESS);
	uint8_t r[16];
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, r, a_record(r, 60, ANSWER_IP), 1), now);
	assert_int_equal(resolve("KEEL.test", &a), KEEL_OK);   /* names are case-blind */
	assert_int_equal(a, ANSWER_IP);
	/* cached: no query, until the TTL runs out */
	fake_clear();
	a = 0;
	assert_int_equal(resolve("keel.test", &a), KEEL_OK);
	assert_int_equal(a, ANSWER_IP);
	assert_int_equal(NET.n, 0);
	assert_int_equal(K.dns.stats.cache_hits, 1);
	struct keel_pool_info p;
	assert_int_equal(keel_pool_get(&K, KEEL_POOL_DNS_CACHE, &p), 0);
	assert_int_equal(p.in_use, 1);
	advance(60100);
	assert_int_equal(keel_pool_get(&K, KEEL_POOL_DNS_CACHE, &p), 0);
	assert_int_equal(p.in_use, 0);                  /* expired: no longer counted */
	assert_int_equal(resolve("keel.test", &a), KEEL_EINPROGRESS);
	assert_int_equal(NET.n, 1);
}

static void ttl_zero_not_cached(void **state)
{
	(void)state;
	uint32_t a;
	resolve("keel.test", &a);
	struct sent_query q = last_query();
	uint8_t r[16];
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, r, a_record(r, 0, ANSWER_IP), 1), now);
	assert_int_equal(resolve("keel.test", &a), KEEL_OK);
	fake_clear();
	assert_int_equal(resolve("keel.test", &a), KEEL_EINPROGRESS);
	assert_int_equal(NET.n, 1);
}

static void retransmits_then_times_out(void **state)
{
	(void)state;
	uint32_t a;
	resolve("keel.test", &a);
	struct sent_query q0 = last_query();
	uint32_t at[KEEL_DNS_TRIES] = {0};
	int seen = 1;
	while (now < 30000 && K.dns.q.state == 1) {
		advance(now + 10);
		if (NET.n > seen) {
			struct sent_query q = last_query();
			assert_int_equal(q.id, q0.id);          /* one exchange: same ID and port */
			assert_int_equal(q.sport, q0.sport);
			at[seen++] = now;
		}
	}
	assert_int_equal(seen, KEEL_DNS_TRIES);
	assert_int_equal(at[1], 1000);                  /* 1 s, 2 s, 4 s, (4 s) */
	assert_int_equal(at[2], 3000);
	assert_int_equal(at[3], 7000);
	assert_int_equal(now, 11000);
	assert_int_equal(resolve("keel.test", &a), KEEL_ETIMEDOUT);
	assert_int_equal(K.dns.stats.timeouts, 1);
	assert_int_equal(K.dns.stats.out_retransmits, KEEL_DNS_TRIES - 1);
}

static void nxdomain_and_servfail(void **state)
{
	(void)state;
	uint32_t a;
	resolve("nope.test", &a);
	struct sent_query q = last_query();
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8183, NULL, 0, 0), now);
	assert_int_equal(resolve("nope.test", &a), KEEL_ENOENT);
	resolve("fail.test", &a);
	q = last_query();
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8182, NULL, 0, 0), now);
	assert_int_equal(resolve("fail.test", &a), KEEL_EPROTO);
	/* NOERROR without an A record (NODATA) */
	resolve("empty.test", &a);
	q = last_query();
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, NULL, 0, 0), now);
	assert_int_equal(resolve("empty.test", &a), KEEL_ENOENT);
}

static void cname_followed(void **state)
{
	(void)state;
	uint32_t a;
	resolve("www.test", &a);
	struct sent_query q = last_query();
	/* www.test CNAME real.test ; an A for another name ; real.test A */
	uint8_t r[128];
	size_t n = 0;
	static const uint8_t cname[] = {0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 7,
					4, 'r', 'e', 'a', 'l', 0xc0, 16};
	memcpy(r, cname, sizeof(cname));
	n += sizeof(cname);
	static const uint8_t other[] = {5, 'o', 't', 'h', 'e', 'r', 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4,
					192, 0, 2, 66};
	memcpy(r + n, other, sizeof(other));
	n += sizeof(other);
	size_t real_at = 12 + q.len - 12 + sizeof(cname) - 7;   /* the "4real" label */
	uint8_t ra[] = {0xc0, (uint8_t)real_at, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 81};
	memcpy(r + n, ra, sizeof(ra));
	n += sizeof(ra);
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, r, n, 3), now);
	assert_int_equal(resolve("www.test", &a), KEEL_OK);
	assert_int_equal(a, IP4(192, 0, 2, 81));
}

/* Each bad reply is dropped and counted; the query still takes the good one. */
static void forged_and_malformed_replies(void **state)
{
	(void)state;
	uint32_t a;
	resolve("keel.test", &a);
	struct sent_query q = last_query();
	uint8_t r[64];
	size_t rl = a_record(r, 60, ANSWER_IP);
	size_t n;

	n = reply(&q, IP4(192, 0, 2, 66), 53, 0x8180, r, rl, 1);   /* another server */
	keel_input(&K, F, n, now);
	n = reply(&q, NS_IP, 5353, 0x8180, r, rl, 1);              /* another port */
	keel_input(&K, F, n, now);
	n = reply(&q, NS_IP, 53, 0x8180, r, rl, 1);
	F[42 + 1] ^= 1;                                            /* another ID */
	keel_input(&K, F, n, now);
	n = reply(&q, NS_IP, 53, 0x0180, r, rl, 1);                /* QR clear: a query */
	keel_input(&K, F, n, now);
	n = reply(&q, NS_IP, 53, 0x8180, r, rl, 1);
	F[42 + 5] = 2;                                             /* QDCOUNT 2 */
	keel_input(&K, F, n, now);
	n = reply(&q, NS_IP, 53, 0x8180, r, rl, 1);
	F[42 + 13] = 'x';                                          /* another question */
	keel_input(&K, F, n, now);
	n = reply(&q, NS_IP, 53, 0x8180, r, rl, 1);
	F[42 + q.len - 3] = 28;                                    /* QTYPE AAAA */
	keel_input(&K, F, n, now);
	assert_int_equal(K.dns.stats.in_mismatch, 7);

	n = reply(&q, NS_IP, 53, 0x8180, r, rl, 1);
	store_be16(F + 38, 8 + 11);                                /* header cut short */
	keel_input(&K, F, n, now);
	uint8_t bad[16];
	memcpy(bad, r, rl);
	store_be16(bad + 10, 200);                                 /* RDLENGTH past the end */
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, bad, rl, 1), now);
	memcpy(bad, r, rl);
	store_be16(bad + 10, 5);                                   /* an A of 5 bytes */
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, bad, rl, 1), now);
	memcpy(bad, r, rl);
	bad[1] = (uint8_t)(q.len + 0);                             /* pointer to itself: loop */
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, bad, rl, 1), now);
	memcpy(bad, r, rl);
	bad[0] = 0xc3;                                             /* pointer past the end */
	bad[1] = 0xff;
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, bad, rl, 1), now);
	memcpy(bad, r, rl);
	bad[0] = 60;                                               /* label runs off the end */
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, bad, rl, 1), now);
	memcpy(bad, r, rl);
	bad[0] = 0x80;                                             /* reserved label type */
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, bad, rl, 1), now);
	n = reply(&q, NS_IP, 53, 0x8180, r, rl, 3);                /* ANCOUNT beyond the data */
	F[42 + q.len] = 0;                                         /* first record: root name */
	store_be16(F + 42 + q.len + 1, 99);                        /* of another type */
	keel_input(&K, F, n, now);
	assert_int_equal(K.dns.stats.in_errors, 8);
	assert_int_equal(K.dns.q.state, 1);                        /* still waiting */

	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, r, rl, 1), now);
	assert_int_equal(resolve("keel.test", &a), KEEL_OK);
	assert_int_equal(a, ANSWER_IP);
	/* a late duplicate is dropped too */
	keel_input(&K, F, reply(&q, NS_IP, 53, 0x8180, r, rl, 1), now);
	assert_int_equal(K.udp.stats.no_ports, 1);                 /* the port is closed */
}

static void ids_and_ports_random(void **state)
{
	(void)state;
	uint32_t a;
	uint16_t ports[8], ids[8];
	char name[16];
	for (int i = 0; i < 8; i++) {
		memcpy(name, "hostN.test", 11);
		name[4] = (char)('0' + i);
		assert_int_equal(resolve(name, &a), KEEL_EINPROGRESS);
		struct sent_query q = last_query();
		ports[i] = q.sport;
		ids[i] = q.id;
	}
	for (int i = 0; i < 8; i++)
		for (int j = i + 1; j < 8; j++) {
			assert_int_not_equal(ports[i], ports[j]);
			assert_int_not_equal(ids[i], ids[j]);
		}
	/* the abandoned queries' sockets were closed: one is open */
	int open = 0;
	for (int i = 0; i < KEEL_UDP_MAX_SOCK; i++)
		open += K.udp.socks[i].port != 0;
	assert_int_equal(open, 1);
}

static void names_checked(void **state)
{
	(void)state;
	uint32_t a = 0;
	assert_int_equal(resolve("192.0.2.9", &a), KEEL_OK);
	assert_int_equal(a, IP4(192, 0, 2, 9));
	assert_int_equal(resolve("a..test", &a), KEEL_EINVAL);
	assert_int_equal(resolve("", &a), KEEL_EINVAL);
	char longlabel[80];
	memset(longlabel, 'x', 70);
	memcpy(longlabel + 70, ".test", 6);
	assert_int_equal(resolve(longlabel, &a), KEEL_EINVAL);
	assert_int_equal(NET.n, 0);
	keel_dns_set_server(&K, 0);   /* no DHCP lease either: nobody to ask */
	assert_int_equal(resolve("keel.test", &a), KEEL_EHOSTUNREACH);
	assert_int_equal(resolve("keel.test.", &a), KEEL_EHOSTUNREACH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(query_answer_and_cache, setup),
		cmocka_unit_test_setup(ttl_zero_not_cached, setup),
		cmocka_unit_test_setup(retransmits_then_times_out, setup),
		cmocka_unit_test_setup(nxdomain_and_servfail, setup),
		cmocka_unit_test_setup(cname_followed, setup),
		cmocka_unit_test_setup(forged_and_malformed_replies, setup),
		cmocka_unit_test_setup(ids_and_ports_random, setup),
		cmocka_unit_test_setup(names_checked, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
