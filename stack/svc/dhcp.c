/* DHCP client state machine: see dhcp.h for the states and timings. */
#include <string.h>
#include "acd.h"
#include "dhcp_wire.h"
#include "keel.h"
#include "random.h"

#define DHCP_BACKOFF_FIRST_MS 4000u   /* RFC 2131 §4.1: 4 s, doubling ... */
#define DHCP_BACKOFF_STEPS 4u         /* ... up to 64 s */
#define DHCP_JITTER_MS 1000u          /* ±1 s */
#define DHCP_REQUEST_TRIES 4u         /* REQUESTs before discovery restarts */
#define DHCP_RETRY_MIN_MS 60000u      /* RFC 2131 §4.4.5 floor while renewing */
#define DHCP_REBOOT_TRIES 2u          /* INIT-REBOOT REQUESTs before keeping the lease */

_Static_assert(KEEL_DHCP_LEASE_MAX_S <= 0x7fffffffu / 1000u, "lease must fit a wrap-safe ms timer");
_Static_assert(KEEL_DHCP_PROBES >= 1 && KEEL_DHCP_PROBES <= 10, "ARP probes");

static int due(const struct keel *k, uint32_t t)
{
	return (int32_t)(k->now_ms - t) >= 0;
}

const char *dhcp_state_name(uint8_t state)
{
	static const char *const names[] = {
		[DHCP_OFF] = "static", [DHCP_INIT] = "init", [DHCP_SELECTING] = "selecting",
		[DHCP_REQUESTING] = "requesting", [DHCP_PROBING] = "probing",
		[DHCP_BOUND] = "bound", [DHCP_RENEWING] = "renewing",
		[DHCP_REBINDING] = "rebinding", [DHCP_REBOOTING] = "rebooting",
		[DHCP_FALLBACK] = "fallback",
	};
	return state <= DHCP_FALLBACK ? names[state] : "?";
}

static uint32_t backoff_ms(struct keel *k, uint8_t tries)
{
	uint32_t step = tries < DHCP_BACKOFF_STEPS ? tries : DHCP_BACKOFF_STEPS;
	uint32_t base = DHCP_BACKOFF_FIRST_MS << step;
	return base - DHCP_JITTER_MS + keel_random_range(k, 0, 2u * DHCP_JITTER_MS);
}

/* Half the time left to deadline, at least 60 s when that much is left. */
static uint32_t retry_at(const struct keel *k, uint32_t deadline)
{
	uint32_t left = due(k, deadline) ? 0 : deadline - k->now_ms;
	uint32_t wait = left / 2;
	if (wait < DHCP_RETRY_MIN_MS)
		wait = left < DHCP_RETRY_MIN_MS ? left : DHCP_RETRY_MIN_MS;
	return k->now_ms + wait;
}

static void send_msg(struct keel *k, uint8_t type, uint32_t ciaddr, uint32_t requested,
		     uint32_t server_id, uint32_t dst)
{
	struct dhcp_client *c = &k->dhcp;
	uint32_t secs = (k->now_ms - c->started_ms) / 1000u;
	struct dhcp_out m = {
		.type = type, .xid = c->xid, .secs = (uint16_t)(secs > 0xffff ? 0xffff : secs),
		/* RFC 2131 §4.1: without an address we cannot take unicast
		 * (nor with a fallback address that is not the one offered);
		 * RENEWING and REBINDING have theirs in ciaddr. */
		.flags = ciaddr == 0 ? DHCP_FLAG_BROADCAST : 0,
		.ciaddr = ciaddr, .requested = requested, .server_id = server_id,
		.mac = k->ifc.mac,
	};
	size_t n = dhcp_build(keel_udp_tx_buf(k), UDP_PAYLOAD_MAX, &m);
	(void)keel_udp_send_tx(k, c->sock, dst, DHCP_SERVER_PORT, n);
	if (type == DHCPDISCOVER)
		c->stats.out_discovers++;
	else if (type == DHCPREQUEST)
		c->stats.out_requests++;
	else if (type == DHCPDECLINE)
		c->stats.out_declines++;
}

static void set_addr(struct keel *k, uint32_t addr, uint8_t prefix, uint32_t gw)
{
	keel_set_addr(k, addr, prefix, gw);
	k->dhcp.changes++;
}

static void restart(struct keel *k, uint32_t delay_ms)
{
	struct dhcp_client *c = &k->dhcp;
	c->state = DHCP_INIT;
	c->next_ms = k->now_ms + delay_ms;
}

static void discover(struct keel *k)
{
	struct dhcp_client *c = &k->dhcp;
	c->state = DHCP_SELECTING;
	c->xid = keel_random32(k);
	c->tries = 0;
	c->started_ms = k->now_ms;   /* secs and the fallback count from here */
	send_msg(k, DHCPDISCOVER, 0, 0, 0, 0xffffffffu);
	c->next_ms = k->now_ms + backoff_ms(k, c->tries++);
}

static void send_request(struct keel *k)
{
	struct dhcp_client *c = &k->dhcp;
	c->requested_ms = k->now_ms;
	switch (c->state) {
	case DHCP_REQUESTING:   /* RFC 2131 §4.3.2: SELECTING -> server id and requested IP */
		send_msg(k, DHCPREQUEST, 0, c->offer.addr, c->offer.server, 0xffffffffu);
		c->next_ms = k->now_ms + backoff_ms(k, c->tries++);
		break;
	case DHCP_REBOOTING:    /* RFC 2131 §4.3.2 INIT-REBOOT: requested IP, no server id */
		send_msg(k, DHCPREQUEST, 0, c->lease.addr, 0, 0xffffffffu);
		c->next_ms = k->now_ms + backoff_ms(k, c->tries++);
		break;
	case DHCP_RENEWING:     /* ciaddr, unicast to the server that leased it */
		send_msg(k, DHCPREQUEST, c->lease.addr, 0, 0, c->lease.server);
		c->next_ms = retry_at(k, c->t2_ms);
		break;
	default:                /* REBINDING: ciaddr, to anyone */
		send_msg(k, DHCPREQUEST, c->lease.addr, 0, 0, 0xffffffffu);
		c->next_ms = retry_at(k, c->expire_ms);
		break;
	}
}

static void drop_address(struct keel *k)
{
	memset(&k->dhcp.lease, 0, sizeof(k->dhcp.lease));
	set_addr(k, 0, 0, 0);
}

/* RFC 2131 §4.4.5 defaults when the server gives no T1/T2 (or nonsense). */
static void lease_times(struct dhcp_lease *l)
{
	if (l->lease_s > KEEL_DHCP_LEASE_MAX_S)
		l->lease_s = KEEL_DHCP_LEASE_MAX_S;
	if (l->t2_s == 0 || l->t2_s >= l->lease_s)
		l->t2_s = (uint32_t)((uint64_t)l->lease_s * 7u / 8u);
	if (l->t1_s == 0 || l->t1_s >= l->t2_s)
		l->t1_s = l->lease_s / 2u < l->t2_s ? l->lease_s / 2u : l->t2_s;
}

/* The lease in c->lease took effect at the last REQUEST. */
static void start_timers(struct keel *k)
{
	struct dhcp_client *c = &k->dhcp;
	c->t1_ms = c->requested_ms + c->lease.t1_s * 1000u;
	c->t2_ms = c->requested_ms + c->lease.t2_s * 1000u;
	c->expire_ms = c->requested_ms + c->lease.lease_s * 1000u;
	c->state = DHCP_BOUND;
	c->tries = 0;
}

static void bind_offer(struct keel *k)
{
	struct dhcp_client *c = &k->dhcp;
	c->lease = c->offer;
	c->fallback_armed = 0;   /* a server exists: never fall back now */
	set_addr(k, c->lease.addr, c->lease.prefix, c->lease.router);
	start_timers(k);
	(void)acd_send_announce(k, c->lease.addr);
}

/* RFC 2131 §3.3 / RFC 950: no mask option -> the class's own. */
static uint8_t default_prefix(uint32_t addr)
{
	if ((addr >> 31) == 0)
		return 8;
	if ((addr >> 30) == 2)
		return 16;
	return 24;
}

static int usable_addr(uint32_t a)
{
	uint8_t top = (uint8_t)(a >> 24);
	return a != 0 && top != 0 && top != 127 && top < 224;
}

static void fill_lease(struct dhcp_lease *l, const struct dhcp_in *in)
{
	memset(l, 0, sizeof(*l));
	l->addr = in->yiaddr;
	l->server = in->server_id;
	l->router = in->router;
	l->ndns = in->ndns;
	memcpy(l->dns, in->dns, sizeof(l->dns));
	l->prefix = in->has_mask && in->prefix > 0 ? in->prefix : default_prefix(in->yiaddr);
	l->lease_s = in->lease_s;
	l->t1_s = in->t1_s;
	l->t2_s = in->t2_s;
}

static void on_offer(struct keel *k, const struct dhcp_in *in)
{
	struct dhcp_client *c = &k->dhcp;
	if (!usable_addr(in->yiaddr) || in->server_id == 0) {
		c->stats.in_errors++;   /* RFC 2131 Table 3: an OFFER names its server */
		return;
	}
	c->stats.in_offers++;
	fill_lease(&c->offer, in);   /* the first OFFER wins (RFC 2131 §4.4.1 allows it) */
	c->state = DHCP_REQUESTING;
	c->tries = 0;
	send_request(k);
}

static void on_ack(struct keel *k, const struct dhcp_in *in)
{
	struct dhcp_client *c = &k->dhcp;
	if (in->lease_s == 0 || !usable_addr(in->yiaddr)) {
		c->stats.in_errors++;   /* RFC 2131 Table 3: an ACK carries the lease time */
		return;
	}
	c->stats.in_acks++;
	if (c->state == DHCP_REQUESTING) {
		uint32_t server = c->offer.server;
		fill_lease(&c->offer, in);
		if (c->offer.server == 0)
			c->offer.server = server;
		lease_times(&c->offer);
		c->state = DHCP_PROBING;   /* RFC 5227 §2.1.1: probe before use */
		c->tries = 0;
		c->next_ms = k->now_ms + keel_random_range(k, 0, KEEL_DHCP_PROBE_MS);
		return;
	}
	/* RENEWING, REBINDING or REBOOTING: the lease goes on (from a new
	 * server, maybe). */
	struct dhcp_lease l;
	fill_lease(&l, in);
	if (l.server == 0)
		l.server = c->lease.server;
	lease_times(&l);
	int moved = l.addr != c->lease.addr || l.prefix != c->lease.prefix ||
		    l.router != c->lease.router;
	c->lease = l;
	if (moved)
		set_addr(k, l.addr, l.prefix, l.router);
	start_timers(k);
}

static void on_nak(struct keel *k, const struct dhcp_in *in)
{
	struct dhcp_client *c = &k->dhcp;
	uint32_t server = c->state == DHCP_REQUESTING ? c->offer.server : c->lease.server;
	/* In REBINDING and REBOOTING any server may refuse; otherwise only ours. */
	if (c->state != DHCP_REBINDING && c->state != DHCP_REBOOTING && in->server_id != 0 &&
	    in->server_id != server) {
		c->stats.in_ignored++;
		return;
	}
	c->stats.in_naks++;
	if (c->state != DHCP_REQUESTING)
		drop_address(k);   /* RFC 2131 §4.4.5: stop using it at once */
	restart(k, 0);
}

static void on_reply(struct keel *k, void *ctx, const struct udp_dgram *d)
{
	(void)ctx;
	struct dhcp_client *c = &k->dhcp;
	struct dhcp_in in;
	if (d->sport != DHCP_SERVER_PORT) {
		c->stats.in_ignored++;   /* not from a server (RFC 2131 §4.1) */
		return;
	}
	if (dhcp_parse(d->data, d->len, &in) != 0) {
		c->stats.in_errors++;
		return;
	}
	if (in.xid != c->xid || memcmp(in.chaddr, k->ifc.mac, 6) != 0) {
		c->stats.in_ignored++;   /* another client's exchange */
		return;
	}
	uint8_t st = c->state;
	int waiting = st == DHCP_REQUESTING || st == DHCP_RENEWING || st == DHCP_REBINDING ||
		      st == DHCP_REBOOTING;
	if (in.type == DHCPOFFER && st == DHCP_SELECTING)
		on_offer(k, &in);
	else if (in.type == DHCPACK && waiting)
		on_ack(k, &in);
	else if (in.type == DHCPNAK && waiting)
		on_nak(k, &in);
	else
		c->stats.in_ignored++;   /* late OFFERs, duplicate ACKs ... */
}

void keel_dhcp_start(struct keel *k, uint32_t now_ms, uint32_t fallback_addr,
		uint8_t fallback_prefix, uint32_t fallback_gw)
{
	struct dhcp_client *c = &k->dhcp;
	k->now_ms = now_ms;
	keel_dhcp_stop(k);
	c->sock = udp_bind_cb(k, DHCP_CLIENT_PORT, on_reply, NULL);
	if (c->sock < 0)
		return;   /* port 68 taken: stay static */
	c->fb_addr = fallback_addr;
	c->fb_prefix = fallback_prefix;
	c->fb_gw = fallback_gw;
	c->fallback_armed = fallback_addr != 0;
	if (k->ifc.addr != 0)
		drop_address(k);
	discover(k);
}

void keel_dhcp_stop(struct keel *k)
{
	struct dhcp_client *c = &k->dhcp;
	if (c->state != DHCP_OFF && c->state != DHCP_FALLBACK)
		(void)keel_udp_close(k, c->sock);
	c->sock = -1;
	c->state = DHCP_OFF;
	memset(&c->lease, 0, sizeof(c->lease));
}

void dhcp_link_up(struct keel *k)
{
	struct dhcp_client *c = &k->dhcp;
	if (c->state == DHCP_FALLBACK) {
		c->sock = udp_bind_cb(k, DHCP_CLIENT_PORT, on_reply, NULL);
		if (c->sock < 0) {
			c->sock = -1;
			return;
		}
		c->fallback_armed = 1;
		discover(k);
	} else if (c->state >= DHCP_BOUND && c->state <= DHCP_REBINDING) {
		c->state = DHCP_REBOOTING;
		c->xid = keel_random32(k);
		c->tries = 0;
		c->started_ms = k->now_ms;
		send_request(k);
	}
}

void dhcp_arp_seen(struct keel *k, uint32_t spa, uint32_t tpa)
{
	struct dhcp_client *c = &k->dhcp;
	if (c->state != DHCP_PROBING || !acd_conflicts(c->offer.addr, spa, tpa))
		return;
	c->stats.conflicts++;
	/* RFC 2131 §3.1.5: DECLINE, then start over no sooner than 10 s. */
	send_msg(k, DHCPDECLINE, 0, c->offer.addr, c->offer.server, 0xffffffffu);
	restart(k, KEEL_DHCP_DECLINE_WAIT_MS);
}

void dhcp_tick(struct keel *k)
{
	struct dhcp_client *c = &k->dhcp;
	switch (c->state) {
	case DHCP_INIT:
		if (due(k, c->next_ms))
			discover(k);
		break;
	case DHCP_SELECTING:
		if (c->fallback_armed && due(k, c->started_ms + KEEL_DHCP_FALLBACK_MS)) {
			c->stats.fallbacks++;
			(void)keel_udp_close(k, c->sock);
			c->sock = -1;
			c->state = DHCP_FALLBACK;
			if (k->ifc.addr != c->fb_addr)   /* kept through a link-up retry */
				set_addr(k, c->fb_addr, c->fb_prefix, c->fb_gw);
		} else if (due(k, c->next_ms)) {
			send_msg(k, DHCPDISCOVER, 0, 0, 0, 0xffffffffu);
			c->next_ms = k->now_ms + backoff_ms(k, c->tries++);
		}
		break;
	case DHCP_REQUESTING:
		if (!due(k, c->next_ms))
			break;
		if (c->tries >= DHCP_REQUEST_TRIES)
			restart(k, 0);
		else
			send_request(k);
		break;
	case DHCP_PROBING:
		if (!due(k, c->next_ms))
			break;
		if (c->tries < KEEL_DHCP_PROBES) {
			(void)acd_send_probe(k, c->offer.addr);
			c->tries++;
			c->next_ms = k->now_ms + KEEL_DHCP_PROBE_MS;
		} else {
			bind_offer(k);
		}
		break;
	case DHCP_BOUND:
		if (due(k, c->t1_ms)) {
			c->state = DHCP_RENEWING;
			c->xid = keel_random32(k);
			send_request(k);
		}
		break;
	case DHCP_RENEWING:
		if (due(k, c->t2_ms)) {
			c->state = DHCP_REBINDING;
			c->xid = keel_random32(k);
			send_request(k);
		} else if (due(k, c->next_ms)) {
			send_request(k);
		}
		break;
	case DHCP_REBOOTING:
		if (due(k, c->expire_ms)) {
			c->stats.expiries++;
			drop_address(k);
			restart(k, 0);
		} else if (due(k, c->next_ms)) {
			if (c->tries < DHCP_REBOOT_TRIES) {
				send_request(k);
			} else {
				/* nobody said no: the lease goes on, its timers as they were */
				c->state = DHCP_BOUND;
				c->xid = keel_random32(k);
			}
		}
		break;
	case DHCP_REBINDING:
		if (due(k, c->expire_ms)) {
			c->stats.expiries++;
			drop_address(k);
			restart(k, 0);
		} else if (due(k, c->next_ms)) {
			send_request(k);
		}
		break;
	default:
		break;
	}
}

void keel_dhcp_info(const struct keel *k, struct keel_dhcp_info *out)
{
	const struct dhcp_client *c = &k->dhcp;
	memset(out, 0, sizeof(*out));
	out->running = c->state != DHCP_OFF && c->state != DHCP_FALLBACK;
	out->fallback = c->state == DHCP_FALLBACK;
	out->bound = c->state >= DHCP_BOUND && c->state <= DHCP_REBOOTING;
	out->state = dhcp_state_name(c->state);
	out->changes = c->changes;
	out->expiries = c->stats.expiries;
	if (!out->bound)
		return;
	out->server = c->lease.server;
	out->lease_s = c->lease.lease_s;
	out->expires_in_ms = (int32_t)(c->expire_ms - k->now_ms);
	out->t1_in_ms = (int32_t)(c->t1_ms - k->now_ms);
	out->t2_in_ms = (int32_t)(c->t2_ms - k->now_ms);
	out->ndns = c->lease.ndns;
	memcpy(out->dns, c->lease.dns, sizeof(out->dns));
}

/* When dhcp_tick next has work (keel_next_deadline): the state's timers
 * as dhcp_tick reads them. */
int dhcp_next_deadline(const struct keel *k, uint32_t *when_ms)
{
	const struct dhcp_client *c = &k->dhcp;
	uint32_t t = c->next_ms;
	switch (c->state) {
	case DHCP_INIT:
	case DHCP_REQUESTING:
	case DHCP_PROBING:
		break;
	case DHCP_SELECTING:
		if (c->fallback_armed && (int32_t)(c->started_ms + KEEL_DHCP_FALLBACK_MS - t) < 0)
			t = c->started_ms + KEEL_DHCP_FALLBACK_MS;
		break;
	case DHCP_BOUND:
		t = c->t1_ms;
		break;
	case DHCP_RENEWING:
		if ((int32_t)(c->t2_ms - t) < 0)
			t = c->t2_ms;
		break;
	case DHCP_REBINDING:
	case DHCP_REBOOTING:
		if ((int32_t)(c->expire_ms - t) < 0)
			t = c->expire_ms;
		break;
	default:
		return 0;
	}
	*when_ms = t;
	return 1;
}
