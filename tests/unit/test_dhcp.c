/* DHCP client (RFC 2131) packet scripts: every state transition, from the
 * first DISCOVER to renewal, rebinding, expiry, NAK, lost messages, an ARP
 * conflict (RFC 5227 -> DECLINE) and the static fallback. */
#include "unit/dhcp_server.h"
#include <keel/tcp.h>

#define FB_IP IP4(192, 0, 2, 2)

static uint8_t F[KEEL_FRAME_MAX + 64];
static uint32_t now;

static int setup(void **state)
{
	(void)state;
	memset(&NET, 0, sizeof(NET));
	keel_init(&K, our_mac, 0, 0, 0, test_seed, fake_tx, &NET);
	now = 0;
	return 0;
}

/* Runs the timers from now to t, every 10 ms. */
static void advance(uint32_t t)
{
	while ((int32_t)(t - now) > 0) {
		now = (int32_t)(t - now) > 10 ? now + 10 : t;
		keel_tick(&K, now);
	}
}

static void inject(size_t n)
{
	keel_input(&K, F, n, now);
}

static void start(void)
{
	keel_dhcp_start(&K, now, 0, 0, 0);
}

/* DISCOVER -> OFFER -> REQUEST -> ACK -> probes -> bound; returns the xid. */
static uint32_t bind_lease(uint32_t lease, uint32_t t1, uint32_t t2)
{
	start();
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	struct srv_opts o = lease_opts(lease, t1, t2);
	fake_clear();
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu));
	expect_sent(DHCPREQUEST);
	fake_clear();
	inject(srv_reply(F, DHCPACK, d.xid, LEASED_IP, &o, 0xffffffffu));
	advance(now + 3 * KEEL_DHCP_PROBE_MS + 10);
	assert_int_equal(K.dhcp.state, DHCP_BOUND);
	assert_int_equal(K.ifc.addr, LEASED_IP);
	/* the server asks for us: a neighbour now */
	static const uint8_t zero[6];
	inject(build_arp(F, bcast_mac, 1, gw_mac, SRV_IP, zero, LEASED_IP));
	fake_clear();
	return d.xid;
}

static void full_exchange(void **state)
{
	(void)state;
	start();
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	assert_memory_equal(d.eth_dst, bcast_mac, 6);
	assert_int_equal(d.ip_src, 0);
	assert_int_equal(d.ip_dst, 0xffffffffu);
	assert_int_equal(d.flags, 0x8000);            /* no address: reply by broadcast */
	uint8_t l;
	const uint8_t *prl = sent_opt(&d, 55, &l);
	assert_non_null(prl);                          /* asks for mask, router, DNS ... */
	assert_non_null(memchr(prl, 6, l));
	assert_true(d.len >= 300);

	struct srv_opts o = lease_opts(600, 0, 0);
	fake_clear();
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu));
	struct sent_dhcp r = expect_sent(DHCPREQUEST);
	assert_int_equal(r.xid, d.xid);
	assert_int_equal(r.ciaddr, 0);
	assert_int_equal(load_be32(sent_opt(&r, 50, &l)), LEASED_IP);
	assert_int_equal(load_be32(sent_opt(&r, 54, &l)), SRV_IP);
	assert_int_equal(K.ifc.addr, 0);

	fake_clear();
	inject(srv_reply(F, DHCPACK, d.xid, LEASED_IP, &o, 0xffffffffu));
	assert_int_equal(K.dhcp.state, DHCP_PROBING);
	assert_int_equal(K.ifc.addr, 0);               /* not before the probes */
	advance(now + 3 * KEEL_DHCP_PROBE_MS + 10);
	/* probes: ARP requests from 0.0.0.0 for the address, then one announcement */
	int probes = 0, announces = 0;
	for (int i = 0; i < NET.n; i++) {
		const uint8_t *a = NET.frame[i] + 14;
		if (load_be16(NET.frame[i] + 12) != 0x0806)
			continue;
		assert_int_equal(load_be16(a + 6), 1);
		assert_int_equal(load_be32(a + 24), LEASED_IP);
		if (load_be32(a + 14) == 0)
			probes++;
		else if (load_be32(a + 14) == LEASED_IP)
			announces++;
	}
	assert_int_equal(probes, KEEL_DHCP_PROBES);
	assert_int_equal(announces, 1);
	assert_int_equal(K.dhcp.state, DHCP_BOUND);
	assert_int_equal(K.ifc.addr, LEASED_IP);
	assert_int_equal(K.ifc.prefix, 24);
	assert_int_equal(K.ifc.gateway, SRV_IP);
	assert_int_equal(K.dhcp.lease.ndns, 1);
	assert_int_equal(K.dhcp.lease.dns[0], SRV_IP);
	/* defaults: T1 = lease/2, T2 = 7/8 lease (RFC 2131 §4.4.5) */
	assert_int_equal(K.dhcp.lease.t1_s, 300);
	assert_int_equal(K.dhcp.lease.t2_s, 525);
}

static void offer_lost_discover_backs_off(void **state)
{
	(void)state;
	start();
	expect_sent(DHCPDISCOVER);
	uint32_t prev = now;
	/* 4 s, 8 s, 16 s each ±1 s */
	for (uint32_t base = 4000; base <= 16000; base *= 2) {
		fake_clear();
		while (count_sent_dhcp() == 0 && now < prev + base + 2000)
			advance(now + 10);
		expect_sent(DHCPDISCOVER);
		assert_true(now - prev >= base - 1000 && now - prev <= base + 1000);
		prev = now;
	}
	assert_int_equal(K.dhcp.stats.out_discovers, 4);
}

static void ack_lost_request_retried_then_rediscover(void **state)
{
	(void)state;
	start();
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	struct srv_opts o = lease_opts(600, 0, 0);
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu));
	assert_int_equal(K.dhcp.stats.out_requests, 1);
	advance(now + 5100);
	assert_int_equal(K.dhcp.stats.out_requests, 2);   /* retransmitted */
	assert_int_equal(K.dhcp.state, DHCP_REQUESTING);
	advance(now + 4 * 17000 + 40000);
	/* four REQUESTs unanswered: discovery starts over */
	assert_int_equal(K.dhcp.stats.out_requests, 4);
	assert_true(K.dhcp.stats.out_discovers >= 2);
	assert_int_equal(K.dhcp.state, DHCP_SELECTING);
	assert_int_equal(K.ifc.addr, 0);
}

static void nak_while_requesting_restarts(void **state)
{
	(void)state;
	start();
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	struct srv_opts o = lease_opts(600, 0, 0);
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu));
	fake_clear();
	struct srv_opts n = {.n = 0};
	opt_add32(&n, 54, SRV_IP);
	inject(srv_reply(F, DHCPNAK, d.xid, 0, &n, 0xffffffffu));
	assert_int_equal(K.dhcp.stats.in_naks, 1);
	advance(now + 10);
	struct sent_dhcp again = expect_sent(DHCPDISCOVER);
	assert_int_not_equal(again.xid, d.xid);          /* a new exchange */
	assert_int_equal(K.ifc.addr, 0);
}

static void renew_acked(void **state)
{
	(void)state;
	uint32_t t0 = now;
	bind_lease(120, 20, 40);
	advance(t0 + 19900);
	assert_int_equal(count_sent_dhcp(), 0);
	advance(t0 + 20100);
	struct sent_dhcp r = expect_sent(DHCPREQUEST);
	assert_int_equal(K.dhcp.state, DHCP_RENEWING);
	assert_memory_equal(r.eth_dst, gw_mac, 6);        /* unicast to the server */
	assert_int_equal(r.ip_dst, SRV_IP);
	assert_int_equal(r.ip_src, LEASED_IP);
	assert_int_equal(r.ciaddr, LEASED_IP);
	uint8_t l;
	assert_null(sent_opt(&r, 50, &l));                 /* RFC 2131 Table 5: no option 50 */
	assert_null(sent_opt(&r, 54, &l));
	assert_int_equal(r.flags, 0);
	struct srv_opts o = lease_opts(120, 20, 40);
	inject(srv_reply(F, DHCPACK, r.xid, LEASED_IP, &o, LEASED_IP));
	assert_int_equal(K.dhcp.state, DHCP_BOUND);
	assert_int_equal(K.ifc.addr, LEASED_IP);
	/* the lease counts from the renewing REQUEST (sent at most 200 ms
	 * ago): T1 comes again 20 s after it */
	uint32_t renewed = now;
	fake_clear();
	advance(renewed + 19700);
	assert_int_equal(count_sent_dhcp(), 0);
	advance(renewed + 20100);
	expect_sent(DHCPREQUEST);
}

static void renew_ignored_then_rebind(void **state)
{
	(void)state;
	uint32_t t0 = now;
	bind_lease(120, 20, 40);
	advance(t0 + 20100);
	expect_sent(DHCPREQUEST);
	fake_clear();
	/* RENEWING: the retry waits for T2 (less than 60 s left) */
	advance(t0 + 39900);
	assert_int_equal(count_sent_dhcp(), 0);
	advance(t0 + 40100);
	struct sent_dhcp b = expect_sent(DHCPREQUEST);
	assert_int_equal(K.dhcp.state, DHCP_REBINDING);
	assert_int_equal(b.ip_dst, 0xffffffffu);           /* to any server */
	assert_memory_equal(b.eth_dst, bcast_mac, 6);
	assert_int_equal(b.ciaddr, LEASED_IP);
	struct srv_opts o = lease_opts(120, 20, 40);
	inject(srv_reply(F, DHCPACK, b.xid, LEASED_IP, &o, LEASED_IP));
	assert_int_equal(K.dhcp.state, DHCP_BOUND);
	assert_int_equal(K.ifc.addr, LEASED_IP);
}

static void lease_expires(void **state)
{
	(void)state;
	uint32_t t0 = now;
	bind_lease(120, 20, 40);
	advance(t0 + 119900);
	assert_int_equal(K.ifc.addr, LEASED_IP);
	assert_int_equal(K.dhcp.state, DHCP_REBINDING);
	fake_clear();
	advance(t0 + 120100);
	assert_int_equal(K.ifc.addr, 0);                   /* dropped at expiry */
	assert_int_equal(K.dhcp.stats.expiries, 1);
	expect_sent(DHCPDISCOVER);                         /* and discovery restarts */
	assert_int_equal(K.dhcp.state, DHCP_SELECTING);
}

/* The address goes at expiry, and with it every connection on it. */
static void expiry_resets_connections(void **state)
{
	(void)state;
	uint32_t t0 = now;
	bind_lease(120, 20, 40);
	int s = keel_tcp_connect(&K, SRV_IP, 80, 0);
	assert_true(s >= 0);
	assert_int_equal(keel_tcp_poll(&K, s) & TCP_POLL_ERROR, 0);
	advance(t0 + 120100);
	assert_int_equal(K.ifc.addr, 0);
	assert_true(keel_tcp_poll(&K, s) & TCP_POLL_ERROR);
	assert_int_equal(keel_tcp_error(&K, s), KEEL_ECONNABORTED);
	keel_tcp_close(&K, s);
}

static void nak_while_renewing_drops_address(void **state)
{
	(void)state;
	uint32_t t0 = now;
	bind_lease(120, 20, 40);
	advance(t0 + 20100);
	struct sent_dhcp r = expect_sent(DHCPREQUEST);
	fake_clear();
	struct srv_opts n = {.n = 0};
	opt_add32(&n, 54, IP4(192, 0, 2, 99));             /* not our server: ignored */
	inject(srv_reply(F, DHCPNAK, r.xid, 0, &n, LEASED_IP));
	assert_int_equal(K.ifc.addr, LEASED_IP);
	assert_int_equal(K.dhcp.stats.in_ignored, 1);
	n.n = 0;
	opt_add32(&n, 54, SRV_IP);
	inject(srv_reply(F, DHCPNAK, r.xid, 0, &n, LEASED_IP));
	assert_int_equal(K.ifc.addr, 0);
	advance(now + 10);
	expect_sent(DHCPDISCOVER);
}

static void arp_conflict_declines(void **state)
{
	(void)state;
	start();
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	struct srv_opts o = lease_opts(600, 0, 0);
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu));
	inject(srv_reply(F, DHCPACK, d.xid, LEASED_IP, &o, 0xffffffffu));
	advance(now + KEEL_DHCP_PROBE_MS + 10);           /* a probe went out */
	fake_clear();
	/* somebody answers: the address is taken */
	static const uint8_t zero[6];
	size_t n = build_arp(F, our_mac, 2, peer_mac, LEASED_IP, zero, 0);
	inject(n);
	struct sent_dhcp x = expect_sent(DHCPDECLINE);
	uint8_t l;
	assert_int_equal(load_be32(sent_opt(&x, 50, &l)), LEASED_IP);
	assert_int_equal(load_be32(sent_opt(&x, 54, &l)), SRV_IP);
	assert_int_equal(K.dhcp.stats.conflicts, 1);
	assert_int_equal(K.ifc.addr, 0);
	fake_clear();
	/* RFC 2131 §3.1.5: no new DISCOVER for 10 s */
	uint32_t t = now;
	advance(t + KEEL_DHCP_DECLINE_WAIT_MS - 20);
	assert_int_equal(count_sent_dhcp(), 0);
	advance(t + KEEL_DHCP_DECLINE_WAIT_MS + 20);
	expect_sent(DHCPDISCOVER);
}

static void probe_from_another_host_is_a_conflict(void **state)
{
	(void)state;
	start();
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	struct srv_opts o = lease_opts(600, 0, 0);
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu));
	inject(srv_reply(F, DHCPACK, d.xid, LEASED_IP, &o, 0xffffffffu));
	static const uint8_t zero[6];
	inject(build_arp(F, bcast_mac, 1, peer_mac, 0, zero, LEASED_IP));
	assert_int_equal(K.dhcp.stats.conflicts, 1);
	assert_int_equal(K.dhcp.stats.out_declines, 1);
}

static void fallback_after_3s(void **state)
{
	(void)state;
	keel_dhcp_start(&K, now, FB_IP, 24, 0);
	advance(KEEL_DHCP_FALLBACK_MS - 10);
	assert_int_equal(K.ifc.addr, 0);
	advance(KEEL_DHCP_FALLBACK_MS + 10);
	assert_int_equal(K.ifc.addr, FB_IP);
	assert_int_equal(K.ifc.prefix, 24);
	assert_int_equal(K.dhcp.state, DHCP_FALLBACK);
	assert_int_equal(K.dhcp.stats.fallbacks, 1);
	/* kept: no more DHCP */
	fake_clear();
	advance(60000);
	assert_int_equal(count_sent_dhcp(), 0);
	assert_int_equal(K.ifc.addr, FB_IP);
}

/* A DECLINE does not let the fallback jump in: the 3 s count again from
 * the new DISCOVER, and the server's next offer is taken. */
static void fallback_counts_from_rediscovery(void **state)
{
	(void)state;
	keel_dhcp_start(&K, now, FB_IP, 24, 0);
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	struct srv_opts o = lease_opts(600, 0, 0);
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu));
	inject(srv_reply(F, DHCPACK, d.xid, LEASED_IP, &o, 0xffffffffu));
	static const uint8_t zero[6];
	inject(build_arp(F, bcast_mac, 2, peer_mac, LEASED_IP, zero, 0));
	assert_int_equal(K.dhcp.stats.out_declines, 1);
	advance(now + KEEL_DHCP_DECLINE_WAIT_MS + 20);
	assert_int_equal(K.dhcp.state, DHCP_SELECTING);
	advance(now + KEEL_DHCP_FALLBACK_MS - 100);
	assert_int_equal(K.ifc.addr, 0);                   /* no fallback yet */
	assert_int_equal(K.dhcp.stats.fallbacks, 0);
	fake_clear();
	advance(now + 200);
	assert_int_equal(K.ifc.addr, FB_IP);               /* 3 s after the new DISCOVER */
}

static void no_fallback_once_offered(void **state)
{
	(void)state;
	keel_dhcp_start(&K, now, FB_IP, 24, 0);
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	struct srv_opts o = lease_opts(600, 0, 0);
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu));
	advance(KEEL_DHCP_FALLBACK_MS + 100);
	assert_int_not_equal(K.ifc.addr, FB_IP);
	assert_int_equal(K.dhcp.state, DHCP_REQUESTING);
}

static void link_flap(void)
{
	keel_link_set(&K, 0, now);
	keel_link_set(&K, 1, now);
}

/* RFC 2131 §3.2 INIT-REBOOT when the link comes back: a broadcast
 * REQUEST for the leased address, no server id, no ciaddr. */
static void link_up_verifies_lease(void **state)
{
	(void)state;
	bind_lease(600, 0, 0);
	uint32_t t1 = K.dhcp.t1_ms;
	link_flap();
	struct sent_dhcp r = expect_sent(DHCPREQUEST);
	uint8_t l;
	assert_int_equal(K.dhcp.state, DHCP_REBOOTING);
	assert_int_equal(r.ip_dst, 0xffffffffu);
	assert_int_equal(r.ciaddr, 0);
	assert_int_equal(load_be32(sent_opt(&r, 50, &l)), LEASED_IP);
	assert_null(sent_opt(&r, 54, &l));
	struct srv_opts o = lease_opts(600, 0, 0);
	inject(srv_reply(F, DHCPACK, r.xid, LEASED_IP, &o, 0xffffffffu));
	assert_int_equal(K.dhcp.state, DHCP_BOUND);
	assert_int_equal(K.ifc.addr, LEASED_IP);
	assert_true((int32_t)(K.dhcp.t1_ms - t1) > 0);   /* the lease counts from now */
}

/* Another network: its server says no; the address goes. */
static void link_up_nak_drops_address(void **state)
{
	(void)state;
	bind_lease(600, 0, 0);
	link_flap();
	struct sent_dhcp r = expect_sent(DHCPREQUEST);
	fake_clear();
	struct srv_opts n = {.n = 0};
	opt_add32(&n, 54, IP4(192, 0, 2, 99));            /* any server may refuse */
	inject(srv_reply(F, DHCPNAK, r.xid, 0, &n, 0xffffffffu));
	assert_int_equal(K.ifc.addr, 0);
	advance(now + 10);
	expect_sent(DHCPDISCOVER);
}

/* Nobody answers: the lease goes on with its old timers. */
static void link_up_silence_keeps_lease(void **state)
{
	(void)state;
	bind_lease(600, 0, 0);
	uint32_t t1 = K.dhcp.t1_ms;
	link_flap();
	advance(now + 20000);
	assert_int_equal(K.dhcp.stats.out_requests, 1 + 2); /* the lease's, two INIT-REBOOT */
	assert_int_equal(K.dhcp.state, DHCP_BOUND);
	assert_int_equal(K.ifc.addr, LEASED_IP);
	assert_int_equal(K.dhcp.t1_ms, t1);
}

/* No server at boot (fallback), then the cable reaches one. */
static void link_up_after_fallback_discovers(void **state)
{
	(void)state;
	keel_dhcp_start(&K, now, FB_IP, 24, 0);
	advance(KEEL_DHCP_FALLBACK_MS + 10);
	assert_int_equal(K.ifc.addr, FB_IP);
	uint32_t changes = K.dhcp.changes;
	fake_clear();
	link_flap();
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	assert_int_equal(d.flags, 0x8000);
	assert_int_equal(K.ifc.addr, FB_IP);              /* kept while asking */
	/* nobody again: back to the fallback, the address never moved */
	advance(now + KEEL_DHCP_FALLBACK_MS + 10);
	assert_int_equal(K.dhcp.state, DHCP_FALLBACK);
	assert_int_equal(K.dhcp.changes, changes);
	/* this time a server answers */
	fake_clear();
	link_flap();
	d = expect_sent(DHCPDISCOVER);
	struct srv_opts o = lease_opts(600, 0, 0);
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu));
	inject(srv_reply(F, DHCPACK, d.xid, LEASED_IP, &o, 0xffffffffu));
	advance(now + 3 * KEEL_DHCP_PROBE_MS + 10);
	assert_int_equal(K.dhcp.state, DHCP_BOUND);
	assert_int_equal(K.ifc.addr, LEASED_IP);
}

static void malformed_and_foreign_replies(void **state)
{
	(void)state;
	start();
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	struct srv_opts o = lease_opts(600, 0, 0);
	size_t n = srv_reply(F, DHCPOFFER, d.xid + 1, LEASED_IP, &o, 0xffffffffu);
	inject(n);                                          /* another xid */
	assert_int_equal(K.dhcp.stats.in_ignored, 1);
	n = srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu);
	F[42 + 236] ^= 1;                                    /* bad cookie */
	F[40] = F[41] = 0;                                   /* (no UDP checksum) */
	inject(n);
	assert_int_equal(K.dhcp.stats.in_errors, 1);
	struct srv_opts bad = {.n = 0};
	opt_add32(&bad, 1, 0xff00ff00u);                     /* mask with holes */
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &bad, 0xffffffffu));
	assert_int_equal(K.dhcp.stats.in_errors, 2);
	struct srv_opts noserver = {.n = 0};                 /* OFFER without server id */
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &noserver, 0xffffffffu));
	assert_int_equal(K.dhcp.stats.in_errors, 3);
	inject(srv_reply(F, DHCPACK, d.xid, LEASED_IP, &o, 0xffffffffu)); /* ACK when selecting */
	assert_int_equal(K.dhcp.stats.in_ignored, 2);
	assert_int_equal(K.dhcp.state, DHCP_SELECTING);
	assert_int_equal(K.dhcp.stats.in_offers, 0);
}

static void extra_dns_servers_ignored(void **state)
{
	(void)state;
	struct srv_opts o = lease_opts(600, 0, 0);
	uint8_t many[4 * 6];
	for (int i = 0; i < 6; i++)
		store_be32(many + 4 * i, IP4(192, 0, 2, 50 + i));
	o.n -= 6 + 6;                                        /* drop lease and DNS ... */
	o.n -= 6;
	opt_add(&o, 6, many, sizeof(many));                  /* ... six servers */
	opt_add32(&o, 51, 600);
	start();
	struct sent_dhcp d = expect_sent(DHCPDISCOVER);
	inject(srv_reply(F, DHCPOFFER, d.xid, LEASED_IP, &o, 0xffffffffu));
	inject(srv_reply(F, DHCPACK, d.xid, LEASED_IP, &o, 0xffffffffu));
	advance(now + 3 * KEEL_DHCP_PROBE_MS + 10);
	assert_int_equal(K.dhcp.lease.ndns, KEEL_DNS_MAX_SERVERS);
	assert_int_equal(K.dhcp.lease.dns[0], IP4(192, 0, 2, 50));
	assert_int_equal(K.dhcp.lease.dns[1], IP4(192, 0, 2, 51));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(full_exchange, setup),
		cmocka_unit_test_setup(offer_lost_discover_backs_off, setup),
		cmocka_unit_test_setup(ack_lost_request_retried_then_rediscover, setup),
		cmocka_unit_test_setup(nak_while_requesting_restarts, setup),
		cmocka_unit_test_setup(renew_acked, setup),
		cmocka_unit_test_setup(renew_ignored_then_rebind, setup),
		cmocka_unit_test_setup(lease_expires, setup),
		cmocka_unit_test_setup(expiry_resets_connections, setup),
		cmocka_unit_test_setup(nak_while_renewing_drops_address, setup),
		cmocka_unit_test_setup(arp_conflict_declines, setup),
		cmocka_unit_test_setup(probe_from_another_host_is_a_conflict, setup),
		cmocka_unit_test_setup(fallback_after_3s, setup),
		cmocka_unit_test_setup(fallback_counts_from_rediscovery, setup),
		cmocka_unit_test_setup(no_fallback_once_offered, setup),
		cmocka_unit_test_setup(link_up_verifies_lease, setup),
		cmocka_unit_test_setup(link_up_nak_drops_address, setup),
		cmocka_unit_test_setup(link_up_silence_keeps_lease, setup),
		cmocka_unit_test_setup(link_up_after_fallback_discovers, setup),
		cmocka_unit_test_setup(malformed_and_foreign_replies, setup),
		cmocka_unit_test_setup(extra_dns_servers_ignored, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
