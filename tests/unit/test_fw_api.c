/* keel's public API as an application sees it: compiled with
 * stack/include alone (the firmware's include path), so it also proves
 * the public headers stand on their own.  One instance (KEEL_INSTANCES
 * is 1), shared by the tests in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <keel/keel.h>
#include <keel/port.h>
#include <keel/stats.h>
#include <keel/sysctl.h>
#include <keel/tcp.h>
#include "fw_peer.h"   /* the peer: addresses, its ARP request */

#define MAX_FRAMES 8
#define KEEL_ARP_RETRY_MS_TEST 1000u   /* KEEL_ARP_RETRY_MS, the default */
_Static_assert(KEEL_ARP_RETRY_MS == KEEL_ARP_RETRY_MS_TEST, "the test assumes the default");

static struct {
	uint8_t frame[MAX_FRAMES][KEEL_FRAME_MAX];
	size_t len[MAX_FRAMES];
	int n;
} sent;
static struct keel *k;
static uint32_t now = 1000;

static int capture(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	if (sent.n < MAX_FRAMES) {
		memcpy(sent.frame[sent.n], f, len);
		sent.len[sent.n] = len;
	}
	sent.n++;
	return 0;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += get16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint32_t counter(const char *group, const char *name)
{
	struct keel_counter c;
	for (size_t i = 0; keel_counter_get(k, i, &c) == 0; i++)
		if (strcmp(c.group, group) == 0 && strcmp(c.name, name) == 0)
			return c.value;
	fail_msg("no counter %s %s", group, name);
	return 0;
}

/* A peer's ping; bad_csum spoils the IP and ICMP checksums. */
static void ping(int bad_csum)
{
	uint8_t f[14 + 20 + 16] = {0};
	memcpy(f, our_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	be16(f + 12, 0x0800);
	uint8_t *ip = f + 14, *icmp = ip + 20;
	ip[0] = 0x45;
	be16(ip + 2, 36);
	ip[8] = 64;
	ip[9] = 1;
	be32(ip + 12, PEER_IP);
	be32(ip + 16, OUR_IP);
	be16(ip + 10, (uint16_t)(csum(ip, 20) ^ (bad_csum ? 0x1111 : 0)));
	icmp[0] = 8;
	be16(icmp + 4, 0x1234);
	be16(icmp + 6, 1);
	memcpy(icmp + 8, "keel api", 8);
	be16(icmp + 2, (uint16_t)(csum(icmp, 16) ^ (bad_csum ? 0x2222 : 0)));
	keel_input(k, f, sizeof(f), now);
}

static int open_once(void **state)
{
	(void)state;
	static const uint8_t seed[16] = {7};
	struct keel_ifconfig ifc = {.addr = OUR_IP, .prefix = 24, .gateway = 0};
	memcpy(ifc.mac, our_mac, 6);
	k = keel_open(&ifc, seed, capture, NULL);
	return k ? 0 : -1;
}

static void test_instances_are_bounded(void **state)
{
	(void)state;
	static const uint8_t seed[16];
	struct keel_ifconfig ifc = {.addr = OUR_IP, .prefix = 24};
	assert_null(keel_open(&ifc, seed, capture, NULL));   /* KEEL_INSTANCES = 1 */
	assert_true(keel_instance_bytes() > KEEL_FRAME_MAX);
}

static void test_ifconfig(void **state)
{
	(void)state;
	struct keel_ifconfig c;
	keel_get_ifconfig(k, &c);
	assert_memory_equal(c.mac, our_mac, 6);
	assert_int_equal(c.addr, OUR_IP);
	assert_int_equal(c.prefix, 24);
	keel_set_addr(k, OUR_IP, 40, 0xC0000201u);
	keel_get_ifconfig(k, &c);
	assert_int_equal(c.prefix, 32);   /* clamped */
	assert_int_equal(c.gateway, 0xC0000201u);
	keel_set_addr(k, OUR_IP, 24, 0);
	assert_int_equal(keel_netmask(24), 0xffffff00u);
	assert_int_equal(keel_netmask(0), 0);
}

static void test_counters_iterate_and_reset(void **state)
{
	(void)state;
	size_t n = keel_counter_count();
	assert_true(n > 50);
	struct keel_counter a, b;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(keel_counter_get(k, i, &a), 0);
		for (size_t j = i + 1; j < n; j++) {
			assert_int_equal(keel_counter_get(k, j, &b), 0);
			assert_false(strcmp(a.group, b.group) == 0 && strcmp(a.name, b.name) == 0);
		}
	}
	a.name = "untouched";
	assert_int_equal(keel_counter_get(k, n, &a), -1);
	assert_string_equal(a.name, "untouched");

	sent.n = 0;
	peer_arp_at(k, now);
	assert_int_equal(sent.n, 1);   /* the reply */
	assert_int_equal(counter("Arp", "InRequests"), 1);
	assert_int_equal(counter("Arp", "OutReplies"), 1);
	assert_int_equal(counter("Eth", "InFrames"), 1);
	keel_counters_reset(k);
	assert_int_equal(counter("Arp", "InRequests"), 0);
	assert_int_equal(counter("Eth", "InFrames"), 0);
	/* The neighbour learnt from the request stays: state is not a count. */
	struct keel_pool_info p;
	assert_int_equal(keel_pool_get(k, KEEL_POOL_ARP_CACHE, &p), 0);
	assert_int_equal(p.in_use, 1);
}

static void test_pools(void **state)
{
	(void)state;
	static const char *const names[KEEL_NPOOLS] = {"tcb", "syn_queue", "time_wait", "listeners",
							 "arp_cache", "arp_queue", "chunks", "udp_sockets",
							 "dns_cache"};
	struct keel_pool_info p;
	for (unsigned i = 0; i < KEEL_NPOOLS; i++) {
		assert_int_equal(keel_pool_get(k, i, &p), 0);
		assert_string_equal(p.name, names[i]);
		assert_true(p.size > 0 && p.entry_bytes > 0);
	}
	assert_int_equal(keel_pool_get(k, KEEL_NPOOLS, &p), -1);
	int l = keel_tcp_listen(k, 7, 4);
	assert_true(l >= 0);
	assert_int_equal(keel_pool_get(k, KEEL_POOL_LISTEN, &p), 0);
	assert_int_equal(p.in_use, 1);
	assert_int_equal(p.size, KEEL_TCP_MAX_LISTEN);
	uint16_t counts[TCP_NSTATES];
	keel_tcp_state_counts(k, counts);
	assert_int_equal(counts[TCP_LISTEN], 1);
	struct tcp_conn_info ci;
	unsigned used = 0, i;
	for (i = 0; keel_tcp_conn_info(k, i, &ci) != KEEL_EINVAL; i++)
		used += keel_tcp_conn_info(k, i, &ci) == 0;
	assert_int_equal(i, TCP_CONN_SLOTS);
	assert_int_equal(used, 1);
	assert_int_equal(keel_tcp_close(k, l), KEEL_OK);
	assert_int_equal(keel_tcp_close(k, l), KEEL_EBADF);
	assert_string_equal(keel_tcp_state_name(TCP_SYN_RECEIVED), "SYN_RECV");
}

static void test_sysctl(void **state)
{
	(void)state;
	uint32_t v = 0;
	const char *why = NULL;
	assert_int_equal(keel_sysctl_get(k, "net.ipv4.tcp_syncookies", &v), KEEL_SYSCTL_OK);
	assert_int_equal(v, 1);
	assert_int_equal(keel_sysctl_set(k, "tcp_syncookies", "2", &why), KEEL_SYSCTL_OK);
	assert_int_equal(keel_sysctl_get(k, "tcp_syncookies", &v), KEEL_SYSCTL_OK);
	assert_int_equal(v, 2);
	assert_int_equal(keel_sysctl_set(k, "tcp_syncookies", "3", &why), KEEL_SYSCTL_EINVAL);
	assert_non_null(why);
	assert_int_equal(keel_sysctl_get(k, "tcp_nothing", &v), KEEL_SYSCTL_ENOENT);
	assert_true(keel_sysctl_count() > 5);
	assert_null(keel_sysctl_name(keel_sysctl_count()));
	(void)keel_sysctl_set(k, "tcp_syncookies", "1", NULL);
}

static void test_link_down_drops_and_flushes(void **state)
{
	(void)state;
	assert_true(keel_link_is_up(k));
	peer_arp_at(k, now);   /* learn the peer */
	keel_counters_reset(k);
	sent.n = 0;
	keel_link_set(k, 0, now);
	assert_false(keel_link_is_up(k));
	assert_int_equal(sent.n, 0);
	struct keel_pool_info p;
	(void)keel_pool_get(k, KEEL_POOL_ARP_CACHE, &p);
	assert_int_equal(p.in_use, 0);   /* neighbours forgotten */
	ping(0);
	assert_int_equal(sent.n, 0);     /* the echo reply is not offered */
	assert_int_equal(counter("Eth", "OutLinkDown"), 1);
	keel_link_set(k, 0, now);        /* no change, nothing happens */
	assert_int_equal(sent.n, 0);
}

static void test_link_up_announces(void **state)
{
	(void)state;
	sent.n = 0;
	keel_link_set(k, 1, now);
	assert_true(keel_link_is_up(k));
	assert_int_equal(sent.n, 1);
	const uint8_t *f = sent.frame[0];
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	assert_memory_equal(f, bcast, 6);
	assert_int_equal(get16(f + 12), 0x0806);
	assert_int_equal(get16(f + 20), 1);              /* a request */
	assert_memory_equal(f + 22, our_mac, 6);
	assert_int_equal(get32(f + 28), OUR_IP);         /* sender and target: us */
	assert_int_equal(get32(f + 38), OUR_IP);
	keel_link_set(k, 1, now);
	assert_int_equal(sent.n, 1);                     /* once per change */
}

static void test_tx_checksum_offload(void **state)
{
	(void)state;
	peer_arp_at(k, now);
	sent.n = 0;
	ping(0);
	assert_int_equal(sent.n, 1);
	const uint8_t *ip = sent.frame[0] + 14;
	assert_int_equal(csum(ip, 20), 0);              /* valid as sent */
	assert_true(get16(ip + 10) != 0);
	keel_set_offload(k, KEEL_OFFLOAD_TX_CSUM);
	sent.n = 0;
	ping(0);
	assert_int_equal(sent.n, 1);
	assert_int_equal(get16(ip + 10), 0);             /* left to the MAC */
	assert_int_equal(get16(ip + 20 + 2), 0);
	keel_set_offload(k, 0);
}

static void test_rx_checksum_offload(void **state)
{
	(void)state;
	keel_counters_reset(k);
	sent.n = 0;
	ping(1);
	assert_int_equal(sent.n, 0);
	assert_int_equal(counter("Ip", "InCsumErrors"), 1);
	keel_set_offload(k, KEEL_OFFLOAD_RX_CSUM);   /* the MAC checked them */
	ping(1);
	assert_int_equal(sent.n, 1);
	assert_int_equal(counter("Icmp", "OutEchoReps"), 1);
	keel_set_offload(k, 0);
}

/* The tick interval is the application's: a timer fires at the first
 * keel_tick at or after its deadline (here ARP's 1 s retry, ticked every
 * 300 ms). */
static void test_coarse_tick(void **state)
{
	(void)state;
	keel_link_set(k, 0, now);   /* forget the peer */
	keel_link_set(k, 1, now);
	sent.n = 0;
	ping(0);                    /* the reply waits for ARP */
	assert_int_equal(sent.n, 1);
	assert_int_equal(get16(sent.frame[0] + 12), 0x0806);
	for (uint32_t t = 300; t < KEEL_ARP_RETRY_MS_TEST; t += 300)
		keel_tick(k, now + t);
	assert_int_equal(sent.n, 1);
	keel_tick(k, now + 1200);
	assert_int_equal(sent.n, 2);   /* the retry, at the first tick past 1 s */
	assert_int_equal(get16(sent.frame[1] + 12), 0x0806);
	now += 1200;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instances_are_bounded),
		cmocka_unit_test(test_ifconfig),
		cmocka_unit_test(test_counters_iterate_and_reset),
		cmocka_unit_test(test_pools),
		cmocka_unit_test(test_sysctl),
		cmocka_unit_test(test_link_down_drops_and_flushes),
		cmocka_unit_test(test_link_up_announces),
		cmocka_unit_test(test_tx_checksum_offload),
		cmocka_unit_test(test_rx_checksum_offload),
		cmocka_unit_test(test_coarse_tick),
	};
	return cmocka_run_group_tests(tests, open_once, NULL);
}
