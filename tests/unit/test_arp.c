/* ARP (RFC 826): replies, the merge rules, cache aging and eviction,
 * resolution with a bounded queue, retries and giving up. */
#include "unit/fake_net.h"

static const uint8_t zero_mac[6];

/* Sends an IP datagram of len payload bytes to dst, payload starts with a
 * marker byte so the test can tell packets apart. */
static int send_ip(uint32_t dst, uint8_t marker, size_t len, uint32_t now)
{
	K.now_ms = now;
	uint8_t *p = ipv4_payload_buf(&K);
	memset(p, marker, len);
	return ipv4_output(&K, dst, 253 /* RFC 3692 experiment */, len);
}

static void expect_request(int i, const uint8_t eth_dst[6], uint32_t tpa)
{
	uint8_t want[60] = {0};
	build_arp(want, eth_dst, 1, our_mac, OUR_IP, zero_mac, tpa);
	assert_int_equal(NET.len[i], 60);
	assert_memory_equal(NET.frame[i], want, 60);
}

static void request_for_us_gets_exact_reply(void **state)
{
	(void)state;
	uint8_t f[64];
	size_t n = build_arp(f, bcast_mac, 1, peer_mac, PEER_IP, zero_mac, OUR_IP);
	keel_input(&K, f, n, 5);
	assert_int_equal(NET.n, 1);
	static const uint8_t want[60] = {
		0x02, 0, 0, 0, 0, 0x10, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x06, /* Ethernet */
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,                   /* reply */
		0x02, 0, 0, 0, 0, 0x02, 192, 0, 2, 2,                       /* us */
		0x02, 0, 0, 0, 0, 0x10, 192, 0, 2, 10,                      /* them */
	}; /* then 18 bytes of zero padding */
	assert_int_equal(NET.len[0], 60);
	assert_memory_equal(NET.frame[0], want, 60);
	assert_int_equal(K.arp.stats.in_requests, 1);
	assert_int_equal(K.arp.stats.out_replies, 1);
	/* RFC 826: we are the target, so the sender is learnt. */
	const struct arp_entry *e = arp_find(PEER_IP);
	assert_non_null(e);
	assert_int_equal(e->state, ARP_REACHABLE);
	assert_memory_equal(e->mac, peer_mac, 6);
	assert_int_equal(e->expires, 5 + KEEL_ARP_REACHABLE_MS);
}

static void padded_request_accepted(void **state)
{
	(void)state;
	uint8_t f[60] = {0};
	build_arp(f, bcast_mac, 1, peer_mac, PEER_IP, zero_mac, OUR_IP);
	keel_input(&K, f, 60, 0);
	assert_int_equal(K.arp.stats.out_replies, 1);
	assert_int_equal(K.arp.stats.in_errors, 0);
}

static void request_for_other_updates_only_known(void **state)
{
	(void)state;
	uint8_t f[64];
	size_t n = build_arp(f, bcast_mac, 1, peer_mac, PEER_IP, zero_mac, IP4(192, 0, 2, 77));
	keel_input(&K, f, n, 0);
	assert_int_equal(NET.n, 0);
	assert_null(arp_find(PEER_IP)); /* not the target: nothing created */

	learn(PEER_IP, peer_mac, 10);
	fake_clear();
	static const uint8_t new_mac[6] = {0x02, 0, 0, 0, 0, 0x42};
	n = build_arp(f, bcast_mac, 1, new_mac, PEER_IP, zero_mac, IP4(192, 0, 2, 77));
	keel_input(&K, f, n, 20);
	assert_int_equal(NET.n, 0);
	const struct arp_entry *e = arp_find(PEER_IP);
	assert_non_null(e);
	assert_memory_equal(e->mac, new_mac, 6); /* merged */
	assert_int_equal(e->expires, 20 + KEEL_ARP_REACHABLE_MS);
}

static void gratuitous_arp(void **state)
{
	(void)state;
	uint8_t f[64];
	/* Unknown sender announcing itself: not our business, no entry. */
	size_t n = build_arp(f, bcast_mac, 1, peer_mac, PEER_IP, zero_mac, PEER_IP);
	keel_input(&K, f, n, 0);
	assert_null(arp_find(PEER_IP));
	assert_int_equal(NET.n, 0);
	/* Known sender with a new MAC (a NIC swap): updated. */
	learn(PEER_IP, peer_mac, 0);
	fake_clear();
	static const uint8_t new_mac[6] = {0x02, 0, 0, 0, 0, 0x43};
	n = build_arp(f, bcast_mac, 2, new_mac, PEER_IP, bcast_mac, PEER_IP);
	keel_input(&K, f, n, 0);
	assert_memory_equal(arp_find(PEER_IP)->mac, new_mac, 6);
	assert_int_equal(NET.n, 0);
}

static void our_address_from_other_mac_ignored(void **state)
{
	(void)state;
	uint8_t f[64];
	size_t n = build_arp(f, bcast_mac, 1, peer_mac, OUR_IP, zero_mac, OUR_IP);
	keel_input(&K, f, n, 0);
	n = build_arp(f, bcast_mac, 2, peer_mac, OUR_IP, zero_mac, OUR_IP);
	keel_input(&K, f, n, 0);
	assert_int_equal(K.arp.stats.in_conflicts, 2);
	assert_null(arp_find(OUR_IP));
	assert_int_equal(NET.n, 0);
	/* Our own MAC as sender: a reflection of our own frame. */
	n = build_arp(f, bcast_mac, 1, our_mac, PEER_IP, zero_mac, OUR_IP);
	keel_input(&K, f, n, 0);
	assert_int_equal(K.arp.stats.in_looped, 1);
	assert_null(arp_find(PEER_IP));
	assert_int_equal(NET.n, 0);
}

static void malformed_counted(void **state)
{
	(void)state;
	uint8_t f[64];
	size_t n = build_arp(f, bcast_mac, 1, peer_mac, PEER_IP, zero_mac, OUR_IP);
	keel_input(&K, f, n - 1, 0); /* 27 bytes of ARP */
	assert_int_equal(K.arp.stats.in_errors, 1);
	static const struct { size_t off; uint8_t val; } bad[] = {
		{14 + 1, 6},   /* hardware type 6 */
		{14 + 3, 0xdd}, /* protocol 0x08dd */
		{14 + 4, 8},   /* hlen */
		{14 + 5, 16},  /* plen */
		{14 + 7, 3},   /* op 3 (RARP) */
		{14 + 8, 0x01},/* group sender MAC */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		build_arp(f, bcast_mac, 1, peer_mac, PEER_IP, zero_mac, OUR_IP);
		f[bad[i].off] = bad[i].val;
		keel_input(&K, f, n, 0);
		assert_int_equal(K.arp.stats.in_errors, 2 + i);
	}
	build_arp(f, bcast_mac, 1, zero_mac, PEER_IP, zero_mac, OUR_IP);
	keel_input(&K, f, n, 0);
	assert_int_equal(K.arp.stats.in_errors, 8);
	assert_int_equal(NET.n, 0);
	assert_null(arp_find(PEER_IP));
}

static void probe_answered_not_learnt(void **state)
{
	(void)state;
	uint8_t f[64];
	/* RFC 5227 probe: sender address 0. */
	size_t n = build_arp(f, bcast_mac, 1, peer_mac, 0, zero_mac, OUR_IP);
	keel_input(&K, f, n, 0);
	assert_int_equal(NET.n, 1);
	uint8_t want[60] = {0};
	build_arp(want, peer_mac, 2, our_mac, OUR_IP, peer_mac, 0);
	assert_memory_equal(NET.frame[0], want, 60);
	assert_null(arp_find(0));
}

static void off_link_sender_not_learnt(void **state)
{
	(void)state;
	keel_set_addr(&K, OUR_IP, 25, GW_IP); /* 192.0.2.0/25: .200 is off-link */
	uint8_t f[64];
	size_t n = build_arp(f, bcast_mac, 1, peer_mac, IP4(192, 0, 2, 200), zero_mac, OUR_IP);
	keel_input(&K, f, n, 0);
	assert_int_equal(NET.n, 1); /* still answered */
	assert_null(arp_find(IP4(192, 0, 2, 200)));
}

static void entries_age_out(void **state)
{
	(void)state;
	learn(PEER_IP, peer_mac, 1000);
	keel_tick(&K, 1000 + KEEL_ARP_REACHABLE_MS - 1);
	assert_non_null(arp_find(PEER_IP));
	keel_tick(&K, 1000 + KEEL_ARP_REACHABLE_MS);
	assert_null(arp_find(PEER_IP));
	/* And a lookup after expiry without a tick resolves afresh. */
	learn(PEER_IP, peer_mac, 200000);
	fake_clear();
	assert_int_equal(send_ip(PEER_IP, 1, 10, 200000 + KEEL_ARP_REACHABLE_MS), 0);
	assert_int_equal(NET.n, 1);
	expect_request(0, bcast_mac, PEER_IP);
}

static void resolve_then_send_queued(void **state)
{
	(void)state;
	assert_int_equal(send_ip(PEER_IP, 0x5a, 100, 0), 0);
	assert_int_equal(NET.n, 1);
	expect_request(0, bcast_mac, PEER_IP);
	assert_int_equal(K.arp.queued, 1);
	assert_int_equal(arp_find(PEER_IP)->state, ARP_PENDING);

	uint8_t f[64];
	size_t n = build_arp(f, our_mac, 2, peer_mac, PEER_IP, our_mac, OUR_IP);
	keel_input(&K, f, n, 3);
	assert_int_equal(NET.n, 2);
	const uint8_t *p = NET.frame[1];
	assert_int_equal(NET.len[1], 14 + 20 + 100);
	assert_memory_equal(p, peer_mac, 6);
	assert_int_equal(load_be16(p + 12), 0x0800);
	assert_int_equal(load_be32(p + 14 + 16), PEER_IP);
	assert_int_equal(p[14 + 20], 0x5a);
	assert_int_equal(p[14 + 20 + 99], 0x5a);
	assert_int_equal(K.arp.queued, 0);
	assert_int_equal(K.arp.stats.queue_sent, 1);
	assert_int_equal(arp_find(PEER_IP)->state, ARP_REACHABLE);

	/* Resolved: the next packet goes straight out. */
	assert_int_equal(send_ip(PEER_IP, 0x5b, 10, 4), 0);
	assert_int_equal(NET.n, 3);
	assert_memory_equal(NET.frame[2], peer_mac, 6);
}

static void retries_then_give_up(void **state)
{
	(void)state;
	send_ip(PEER_IP, 1, 10, 0);
	assert_int_equal(NET.n, 1);
	keel_tick(&K, KEEL_ARP_RETRY_MS - 1);
	assert_int_equal(NET.n, 1);
	for (int r = 1; r <= KEEL_ARP_MAX_RETRIES; r++) {
		keel_tick(&K, r * KEEL_ARP_RETRY_MS);
		assert_int_equal(NET.n, 1 + r);
		expect_request(r, bcast_mac, PEER_IP);
		assert_int_equal(K.arp.queued, 1);
	}
	keel_tick(&K, (KEEL_ARP_MAX_RETRIES + 1) * KEEL_ARP_RETRY_MS);
	assert_int_equal(NET.n, 1 + KEEL_ARP_MAX_RETRIES); /* no more requests */
	assert_null(arp_find(PEER_IP));
	assert_int_equal(K.arp.queued, 0);
	assert_int_equal(K.arp.stats.queue_drops, 1);
	assert_int_equal(K.arp.stats.resolve_failures, 1);
	assert_int_equal(K.arp.stats.out_requests, 1 + KEEL_ARP_MAX_RETRIES);
	keel_tick(&K, 100000);
	assert_int_equal(NET.n, 1 + KEEL_ARP_MAX_RETRIES);
}

static void per_entry_bound_keeps_latest(void **state)
{
	(void)state;
	for (int i = 0; i < 5; i++)
		assert_int_equal(send_ip(PEER_IP, (uint8_t)(0x10 + i), 40, 0), 0);
	assert_int_equal(NET.n, 1); /* one request, not five */
	assert_int_equal(K.arp.queued, KEEL_ARP_QUEUE_PER_ENTRY);
	assert_int_equal(arp_find(PEER_IP)->queued, KEEL_ARP_QUEUE_PER_ENTRY);
	assert_int_equal(K.arp.stats.queue_drops, 5 - KEEL_ARP_QUEUE_PER_ENTRY);
	learn(PEER_IP, peer_mac, 1);
	/* the queued packets, oldest first and the latest kept, then the
	 * ARP reply to the peer's request */
	assert_int_equal(NET.n, 2 + KEEL_ARP_QUEUE_PER_ENTRY);
	assert_int_equal(NET.frame[1][14 + 20], 0x10 + 5 - KEEL_ARP_QUEUE_PER_ENTRY);
	assert_int_equal(NET.frame[KEEL_ARP_QUEUE_PER_ENTRY][14 + 20], 0x14);
	assert_int_equal(load_be16(NET.frame[NET.n - 1] + 12), 0x0806);
}

static void total_bound_drops_oldest(void **state)
{
	(void)state;
	const int hosts = KEEL_ARP_QUEUE_LEN + 1;
	for (int h = 0; h < hosts; h++)
		send_ip(IP4(192, 0, 2, 100 + h), (uint8_t)h, 40, (uint32_t)h);
	assert_int_equal(K.arp.queued, KEEL_ARP_QUEUE_LEN);
	assert_int_equal(K.arp.stats.queue_drops, 1);
	assert_int_equal(arp_find(IP4(192, 0, 2, 100))->queued, 0);
	/* The oldest packet went; its host still resolves but sends nothing. */
	fake_clear();
	learn(IP4(192, 0, 2, 100), peer_mac, 10);
	assert_int_equal(NET.n, 1); /* just our ARP reply */
	learn(IP4(192, 0, 2, 100 + hosts - 1), gw_mac, 11);
	assert_int_equal(NET.n, 3); /* its queued packet, then our reply */
	assert_memory_equal(NET.frame[1], gw_mac, 6);
	assert_int_equal(load_be16(NET.frame[1] + 12), 0x0800);
	assert_int_equal(NET.frame[1][14 + 20], hosts - 1);
}

static void lru_eviction(void **state)
{
	(void)state;
	uint8_t mac[6] = {0x02, 0, 0, 0, 1, 0};
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE; i++) {
		mac[5] = (uint8_t)i;
		learn(IP4(192, 0, 2, 100 + i), mac, (uint32_t)i);
	}
	send_ip(IP4(192, 0, 2, 100), 1, 10, 50); /* host 0 used most recently */
	assert_int_equal(K.arp.stats.cache_evictions, 0);
	learn(IP4(192, 0, 2, 50), peer_mac, 60);
	assert_int_equal(K.arp.stats.cache_evictions, 1);
	assert_non_null(arp_find(IP4(192, 0, 2, 100)));
	assert_null(arp_find(IP4(192, 0, 2, 101))); /* least recently used */
	assert_non_null(arp_find(IP4(192, 0, 2, 50)));
}

/* A flood towards addresses that never answer (SYN-ACKs to spoofed sources)
 * must not push out neighbours that answered nor outgrow the queue. */
static void pending_flood_bounded(void **state)
{
	(void)state;
	uint8_t mac[6] = {0x02, 0, 0, 0, 1, 0};
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE; i++) {
		mac[5] = (uint8_t)i;
		learn(IP4(192, 0, 2, 10 + i), mac, (uint32_t)i);
	}
	for (int i = 0; i < 100; i++) {
		send_ip(IP4(192, 0, 2, 100 + i), 1, 40, (uint32_t)(10 + i));
		keel_tick(&K, (uint32_t)(10 + i));
		assert_true(K.arp.queued <= KEEL_ARP_QUEUE_LEN);
		int pending = 0;
		for (int e = 0; e < KEEL_ARP_CACHE_SIZE; e++) {
			assert_true(K.arp.cache[e].queued <= KEEL_ARP_QUEUE_PER_ENTRY);
			pending += K.arp.cache[e].state == ARP_PENDING;
		}
		assert_true(pending <= KEEL_ARP_MAX_PENDING);
	}
	int kept = 0;
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE; i++)
		kept += arp_find(IP4(192, 0, 2, 10 + i)) != NULL;
	assert_int_equal(kept, KEEL_ARP_CACHE_SIZE - KEEL_ARP_MAX_PENDING);
	/* The most recently used neighbour still gets its packets at once. */
	fake_clear();
	send_ip(IP4(192, 0, 2, 10 + KEEL_ARP_CACHE_SIZE - 1), 2, 40, 200);
	mac[5] = KEEL_ARP_CACHE_SIZE - 1;
	assert_memory_equal(NET.frame[NET.n - 1], mac, 6);
	/* And a host that answers is learnt even with the cache full. */
	learn(PEER_IP, peer_mac, 201);
	assert_non_null(arp_find(PEER_IP));
}

static void pending_never_blocks(void **state)
{
	(void)state;
	/* Free slots fill with PENDING entries; with the cache entirely
	 * PENDING a new destination still gets an entry, recycling the oldest. */
	for (int i = 0; i < KEEL_ARP_CACHE_SIZE + 1; i++)
		assert_int_equal(send_ip(IP4(192, 0, 2, 100 + i), 1, 40, (uint32_t)i), 0);
	assert_non_null(arp_find(IP4(192, 0, 2, 100 + KEEL_ARP_CACHE_SIZE)));
	assert_null(arp_find(IP4(192, 0, 2, 100)));
	assert_int_equal(NET.n, KEEL_ARP_CACHE_SIZE + 1);
}

static void tick_work_bounded(void **state)
{
	(void)state;
	for (int i = 0; i < KEEL_ARP_MAX_PENDING; i++)
		send_ip(IP4(192, 0, 2, 100 + i), 1, 40, 0);
	fake_clear();
	/* A very late tick sends one request per entry, not a backlog, and
	 * does not give up early. */
	keel_tick(&K, 50 * KEEL_ARP_RETRY_MS);
	assert_int_equal(NET.total, KEEL_ARP_MAX_PENDING);
	keel_tick(&K, 50 * KEEL_ARP_RETRY_MS);
	assert_int_equal(NET.total, KEEL_ARP_MAX_PENDING);
	for (int i = 0; i < KEEL_ARP_MAX_PENDING; i++)
		assert_non_null(arp_find(IP4(192, 0, 2, 100 + i)));
}

static void busy_neighbour_refreshed_by_unicast(void **state)
{
	(void)state;
	learn(PEER_IP, peer_mac, 0);
	fake_clear();
	uint32_t t = KEEL_ARP_REACHABLE_MS - 1000;
	send_ip(PEER_IP, 1, 10, 100); /* far from expiry: no refresh */
	assert_int_equal(NET.n, 1);
	send_ip(PEER_IP, 1, 10, t);
	assert_int_equal(NET.n, 3);
	assert_memory_equal(NET.frame[1], peer_mac, 6); /* data first */
	expect_request(2, peer_mac, PEER_IP);           /* then a unicast ask */
	send_ip(PEER_IP, 1, 10, t + 1);
	assert_int_equal(NET.n, 4); /* one ask per retry interval */
	uint8_t f[64];
	size_t n = build_arp(f, our_mac, 2, peer_mac, PEER_IP, our_mac, OUR_IP);
	keel_input(&K, f, n, t + 5);
	keel_tick(&K, KEEL_ARP_REACHABLE_MS + 10);
	assert_non_null(arp_find(PEER_IP));
	assert_int_equal(arp_find(PEER_IP)->expires, t + 5 + KEEL_ARP_REACHABLE_MS);
}

/* arp_output's hint (the entry it sent to last) is only a shortcut: once
 * that entry expired, or was freed and taken by another neighbour, the
 * next datagram for the old address resolves afresh and never leaves
 * with the other neighbour's MAC. */
static void last_neighbour_hint_never_stale(void **state)
{
	(void)state;
	uint8_t other_mac[6] = {0x02, 0, 0, 0, 0x77, 0x77};
	learn(PEER_IP, peer_mac, 0);
	assert_int_equal(send_ip(PEER_IP, 1, 10, 1), 0);          /* hint: PEER_IP's entry */
	arp_flush(&K);
	learn(IP4(192, 0, 2, 77), other_mac, 2);                  /* takes the freed entry */
	fake_clear();
	assert_int_equal(send_ip(PEER_IP, 2, 10, 3), 0);
	assert_int_equal(NET.n, 1);
	expect_request(0, bcast_mac, PEER_IP);
	assert_int_equal(send_ip(IP4(192, 0, 2, 77), 3, 10, 4), 0);
	assert_int_equal(NET.n, 2);
	assert_memory_equal(NET.frame[1], other_mac, 6);

	/* Expired while hinted: resolved again, without a tick between. */
	arp_flush(&K);
	learn(PEER_IP, peer_mac, 1000);
	assert_int_equal(send_ip(PEER_IP, 4, 10, 1001), 0);
	fake_clear();
	assert_int_equal(send_ip(PEER_IP, 5, 10, 1000 + KEEL_ARP_REACHABLE_MS), 0);
	assert_int_equal(NET.n, 1);
	expect_request(0, bcast_mac, PEER_IP);
}

static void broadcast_needs_no_resolution(void **state)
{
	(void)state;
	send_ip(0xffffffffu, 1, 10, 0);
	send_ip(IP4(192, 0, 2, 255), 1, 10, 0);
	assert_int_equal(NET.n, 2);
	assert_memory_equal(NET.frame[0], bcast_mac, 6);
	assert_memory_equal(NET.frame[1], bcast_mac, 6);
	assert_int_equal(K.arp.stats.out_requests, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(request_for_us_gets_exact_reply, fake_setup),
		cmocka_unit_test_setup(padded_request_accepted, fake_setup),
		cmocka_unit_test_setup(request_for_other_updates_only_known, fake_setup),
		cmocka_unit_test_setup(gratuitous_arp, fake_setup),
		cmocka_unit_test_setup(our_address_from_other_mac_ignored, fake_setup),
		cmocka_unit_test_setup(malformed_counted, fake_setup),
		cmocka_unit_test_setup(probe_answered_not_learnt, fake_setup),
		cmocka_unit_test_setup(off_link_sender_not_learnt, fake_setup),
		cmocka_unit_test_setup(entries_age_out, fake_setup),
		cmocka_unit_test_setup(resolve_then_send_queued, fake_setup),
		cmocka_unit_test_setup(retries_then_give_up, fake_setup),
		cmocka_unit_test_setup(per_entry_bound_keeps_latest, fake_setup),
		cmocka_unit_test_setup(total_bound_drops_oldest, fake_setup),
		cmocka_unit_test_setup(lru_eviction, fake_setup),
		cmocka_unit_test_setup(pending_flood_bounded, fake_setup),
		cmocka_unit_test_setup(pending_never_blocks, fake_setup),
		cmocka_unit_test_setup(tick_work_bounded, fake_setup),
		cmocka_unit_test_setup(busy_neighbour_refreshed_by_unicast, fake_setup),
		cmocka_unit_test_setup(broadcast_needs_no_resolution, fake_setup),
		cmocka_unit_test_setup(last_neighbour_hint_never_stale, fake_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
