/* Two keel stacks joined by a simulated Ethernet link with deterministic
 * pseudo-random loss, reordering (per-frame delay jitter), duplication and
 * delay.  1 MiB goes each way at once; every byte must arrive intact and in
 * order, and both sides must close cleanly (FIN both ways, TCBs freed).
 * Loss 0, 1, 5 and 20 %, at the full MSS and with the SYN's MSS clamped to
 * 536 by the "link" (a middlebox), which puts four segments in flight and so
 * lets fast retransmit / NewReno work.  Bounded in simulated time (and so
 * in wall time).  Prints simulated throughput and retransmit counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "byteorder.h"
#include "checksum.h"
#include "keel.h"

#define A_IP 0xc0000202u            /* 192.0.2.2 */
#define B_IP 0xc0000203u            /* 192.0.2.3 */
#define PORT 5001
#define TOTAL (1024u * 1024u)
#define LINK_Q 512
#define SIM_LIMIT_MS (3600u * 1000u)

static const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 2};
static const uint8_t mac_b[6] = {2, 0, 0, 0, 0, 3};
static const uint8_t seed_a[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t seed_b[16] = {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};

struct frame {
	uint32_t at;
	uint16_t len;
	uint8_t b[KEEL_FRAME_MAX];
};

struct link {                        /* one direction */
	struct frame q[LINK_Q];
	unsigned n;
	uint32_t sent, dropped, duplicated;
	uint32_t corrupted, truncated, burst_left;
};

struct params {
	unsigned loss_pct, dup_pct;
	uint32_t delay_ms, jitter_ms;
	uint16_t mss_clamp;          /* 0: leave SYNs alone */
	/* fault injection: one byte flipped, the frame cut short, and bursts
	 * of burst_len lost frames every burst_every IP frames (a damaged
	 * frame is not also duplicated) */
	unsigned corrupt_pct, trunc_pct, burst_every, burst_len;
};

static struct keel A, B;
static struct link to_a, to_b;
static struct params P;
static uint32_t now, rng = 0x12345678u;

static uint32_t rnd(void)
{
	rng ^= rng << 13;                /* xorshift32: the same run every time */
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* The middlebox: clamp the MSS option of a SYN and fix the checksum. */
static void clamp_mss(uint8_t *f, size_t len)
{
	if (len < 14 + 20 + 20 || load_be16(f + 12) != 0x0800 || f[14 + 9] != IP_PROTO_TCP)
		return;
	size_t ihl = (size_t)(f[14] & 0x0f) * 4u;
	uint8_t *tcp = f + 14 + ihl;
	size_t tlen = load_be16(f + 16) - ihl;
	if (!(tcp[13] & 0x02))
		return;
	size_t doff = (size_t)(tcp[12] >> 4) * 4u;
	for (size_t o = 20; o + 4 <= doff; ) {
		if (tcp[o] == 0)
			break;
		if (tcp[o] == 1) {
			o++;
			continue;
		}
		if (tcp[o] == 2 && tcp[o + 1] == 4 && load_be16(tcp + o + 2) > P.mss_clamp)
			store_be16(tcp + o + 2, P.mss_clamp);
		o += tcp[o + 1] ? tcp[o + 1] : 1u;
	}
	store_be16(tcp + 16, 0);
	uint32_t s = csum_pseudo(load_be32(f + 14 + 12), load_be32(f + 14 + 16), IP_PROTO_TCP, (uint16_t)tlen);
	store_be16(tcp + 16, csum_fold(csum_add(s, tcp, tlen)));
}

static void enqueue(struct link *l, const uint8_t *f, size_t len, uint32_t delay)
{
	if (l->n == LINK_Q) {
		l->dropped++;                /* the queue is full: tail drop */
		return;
	}
	struct frame *q = &l->q[l->n++];
	q->at = now + delay;
	q->len = (uint16_t)len;
	memcpy(q->b, f, len);
	if (P.mss_clamp)
		clamp_mss(q->b, len);
}

static int link_tx(void *ctx, const uint8_t *f, size_t len)
{
	struct link *l = ctx;
	l->sent++;
	int is_ip = len >= 14 && load_be16(f + 12) == 0x0800;
	/* ARP is carried faithfully; IP gets the impairments */
	if (is_ip && P.burst_every && l->sent % P.burst_every == 0)
		l->burst_left = P.burst_len;
	if (is_ip && (rnd() % 100u < P.loss_pct || l->burst_left)) {
		if (l->burst_left)
			l->burst_left--;
		l->dropped++;
		return 0;
	}
	uint32_t d = P.delay_ms + (is_ip && P.jitter_ms ? rnd() % (P.jitter_ms + 1u) : 0u);
	if (is_ip && (P.corrupt_pct || P.trunc_pct)) {
		static uint8_t bad[KEEL_FRAME_MAX];
		size_t n = len;
		memcpy(bad, f, len);
		if (rnd() % 100u < P.corrupt_pct) {
			bad[14 + rnd() % (len - 14)] ^= (uint8_t)(1u + rnd() % 255u);   /* never a no-op */
			l->corrupted++;
		}
		if (len > 15 && rnd() % 100u < P.trunc_pct) {
			n = 14 + rnd() % (len - 14);
			l->truncated++;
		}
		enqueue(l, bad, n, d);
		return 0;
	}
	enqueue(l, f, len, d);
	if (is_ip && rnd() % 100u < P.dup_pct) {
		l->duplicated++;
		enqueue(l, f, len, d + rnd() % (P.jitter_ms + 1u));
	}
	return 0;
}

static void deliver(struct link *l, struct keel *k)
{
	/* frames whose time has come, in order of their (jittered) times */
	for (;;) {
		int best = -1;
		for (unsigned i = 0; i < l->n; i++)
			if ((int32_t)(now - l->q[i].at) >= 0 && (best < 0 || (int32_t)(l->q[i].at - l->q[best].at) < 0))
				best = (int)i;
		if (best < 0)
			return;
		static struct frame f;
		f = l->q[best];
		/* keep the queue in sending order: equal times stay in order */
		memmove(&l->q[best], &l->q[best + 1], (l->n - (unsigned)best - 1) * sizeof(l->q[0]));
		l->n--;
		keel_input(k, f.b, f.len, now);
	}
}

static uint8_t pat(uint32_t off, unsigned dir)
{
	return (uint8_t)((off * 2654435761u) >> 24 ^ (dir ? 0x5a : 0xa5) ^ (off >> 8));
}

struct side {
	struct keel *k;
	int h;
	unsigned dir;                    /* which pattern it sends */
	uint32_t sent, rcvd;
	int shut, eof, closed;
};

/* The application: send the pattern, read and check, shut down when all
 * is sent, close once the peer's FIN is read. */
static void app(struct side *s)
{
	uint8_t buf[1024];
	if (s->h < 0 || s->closed)
		return;
	int st = tcp_get_state(s->k, s->h);
	if (st == TCP_SYN_SENT || st == TCP_SYN_RECEIVED)
		return;
	assert_int_equal(tcp_error(s->k, s->h), KEEL_OK);
	while (s->sent < TOTAL) {
		uint32_t n = TOTAL - s->sent < sizeof(buf) ? TOTAL - s->sent : (uint32_t)sizeof(buf);
		for (uint32_t i = 0; i < n; i++)
			buf[i] = pat(s->sent + i, s->dir);
		int r = tcp_send(s->k, s->h, buf, n);
		if (r == KEEL_EWOULDBLOCK)
			break;
		assert_true(r > 0);
		s->sent += (uint32_t)r;
	}
	if (s->sent == TOTAL && !s->shut) {
		assert_int_equal(tcp_shutdown(s->k, s->h), KEEL_OK);
		s->shut = 1;
	}
	for (;;) {
		int r = tcp_recv(s->k, s->h, buf, sizeof(buf));
		if (r == KEEL_EWOULDBLOCK)
			break;
		assert_true(r >= 0);
		if (r == 0) {
			s->eof = 1;
			break;
		}
		for (int i = 0; i < r; i++)
			if (buf[i] != pat(s->rcvd + (uint32_t)i, !s->dir))
				fail_msg("byte %u corrupt", (unsigned)(s->rcvd + (uint32_t)i));
		s->rcvd += (uint32_t)r;
	}
	if (s->eof && s->shut && !s->closed) {
		assert_int_equal(s->rcvd, TOTAL);
		assert_int_equal(tcp_close(s->k, s->h), KEEL_OK);
		s->closed = 1;
	}
}

static void run(const struct params *p, const char *name)
{
	P = *p;
	rng = 0x9e3779b9u ^ (p->loss_pct * 7919u) ^ p->mss_clamp;
	memset(&to_a, 0, sizeof(to_a));
	memset(&to_b, 0, sizeof(to_b));
	now = 1000;
	keel_init(&A, mac_a, A_IP, 24, 0, seed_a, link_tx, &to_b);
	keel_init(&B, mac_b, B_IP, 24, 0, seed_b, link_tx, &to_a);
	/* API calls act at the time of the last input or tick. */
	keel_tick(&A, now);
	keel_tick(&B, now);
	int l = tcp_listen(&B, PORT, 4);
	assert_true(l >= 0);
	struct side a = {.k = &A, .h = tcp_connect(&A, B_IP, PORT, 0), .dir = 0};
	struct side b = {.k = &B, .h = -1, .dir = 1};
	assert_true(a.h >= 0);
	clock_t wall = clock();
	uint32_t start = now;
	while (!(a.closed && b.closed)) {
		now++;
		if (now - start > SIM_LIMIT_MS)
			fail_msg("%s: not done after %u s simulated: A sent %u rcvd %u, B sent %u rcvd %u",
				 name, SIM_LIMIT_MS / 1000u, a.sent, a.rcvd, b.sent, b.rcvd);
		deliver(&to_a, &A);
		deliver(&to_b, &B);
		if (b.h < 0) {
			int h = tcp_accept(&B, l);
			if (h >= 0)
				b.h = h;
		}
		app(&a);
		app(&b);
		keel_tick(&A, now);
		keel_tick(&B, now);
	}
	uint32_t xfer_ms = now - start;
	/* Both applications are done: no RST so far.  (Later, a duplicated
	 * or late segment that reaches a side whose connection is gone is
	 * answered with a RST, as RFC 9293 §3.10.7.1 and Linux do.) */
	assert_int_equal(tcp_get_mib(&A)->out_rsts + tcp_get_mib(&B)->out_rsts, 0);
	/* let FIN retransmits and TIME_WAIT run out: both pools drain */
	for (uint32_t i = 0; i < 200000u; i++) {
		now++;
		deliver(&to_a, &A);
		deliver(&to_b, &B);
		keel_tick(&A, now);
		keel_tick(&B, now);
		struct keel_pool_usage ua, ub;
		tcp_pool_get(&A, TCP_POOL_TCB, &ua);
		tcp_pool_get(&B, TCP_POOL_TCB, &ub);
		if (ua.in_use == 0 && ub.in_use == 0)
			break;
	}
	struct keel_pool_usage ua, ub;
	tcp_pool_get(&A, TCP_POOL_TCB, &ua);
	tcp_pool_get(&B, TCP_POOL_TCB, &ub);
	assert_int_equal(ua.in_use, 0);
	assert_int_equal(ub.in_use, 0);
	const struct tcp_mib *ma = tcp_get_mib(&A), *mb = tcp_get_mib(&B);
	assert_int_equal(ma->estab_resets + mb->estab_resets, 0);
	assert_int_equal(ma->abort_on_timeout + mb->abort_on_timeout, 0);
	double secs = xfer_ms / 1000.0;
	printf("  %-22s loss %2u%% dup %u%% delay %u+%u ms mss %4u: 2 x 1 MiB in %7.2f s simulated "
	       "(%6.1f KiB/s each way), retrans A %u B %u, frames dropped %u, duplicated %u, wall %.2f s\n",
	       name, p->loss_pct, p->dup_pct, p->delay_ms, p->jitter_ms, p->mss_clamp ? p->mss_clamp : 1460,
	       secs, TOTAL / 1024.0 / secs, ma->retrans_segs, mb->retrans_segs,
	       to_a.dropped + to_b.dropped, to_a.duplicated + to_b.duplicated,
	       (double)(clock() - wall) / CLOCKS_PER_SEC);
	fflush(stdout);
}

static void test_clean(void **state)
{
	(void)state;
	struct params p = {.loss_pct = 0, .dup_pct = 0, .delay_ms = 5, .jitter_ms = 0};
	run(&p, "clean");
	/* No retransmissions at all on a clean link. */
	assert_int_equal(tcp_get_mib(&A)->retrans_segs, 0);
	assert_int_equal(tcp_get_mib(&B)->retrans_segs, 0);
}

static void test_loss1(void **state)
{
	(void)state;
	struct params p = {.loss_pct = 1, .dup_pct = 1, .delay_ms = 5, .jitter_ms = 4};
	run(&p, "loss1");
}

static void test_loss5(void **state)
{
	(void)state;
	struct params p = {.loss_pct = 5, .dup_pct = 2, .delay_ms = 5, .jitter_ms = 6};
	run(&p, "loss5");
}

static void test_loss20(void **state)
{
	(void)state;
	struct params p = {.loss_pct = 20, .dup_pct = 2, .delay_ms = 5, .jitter_ms = 6};
	run(&p, "loss20");
}

static void test_loss5_mss536(void **state)
{
	(void)state;
	struct params p = {.loss_pct = 5, .dup_pct = 2, .delay_ms = 5, .jitter_ms = 6, .mss_clamp = 536};
	run(&p, "loss5_mss536");
}

/* Fault injection: frames corrupted (one byte anywhere after the Ethernet
 * header), cut short, and lost in bursts of 8, besides 2 % loss.  The
 * checksums must catch every damaged frame: the data arrives intact (app()
 * checks every byte) and both connections close cleanly; the faults really
 * happened (counted on the link and by the stacks). */
static void test_faults(void **state)
{
	(void)state;
	struct params p = {.loss_pct = 2, .dup_pct = 0, .delay_ms = 5, .jitter_ms = 4, .corrupt_pct = 3,
			   .trunc_pct = 3, .burst_every = 400, .burst_len = 8};
	run(&p, "faults");
	assert_true(to_a.corrupted + to_b.corrupted > 20);
	assert_true(to_a.truncated + to_b.truncated > 20);
	const struct tcp_mib *ma = tcp_get_mib(&A), *mb = tcp_get_mib(&B);
	assert_true(ma->in_csum_errors + mb->in_csum_errors > 0);
}

static void test_loss20_mss536(void **state)
{
	(void)state;
	struct params p = {.loss_pct = 20, .dup_pct = 2, .delay_ms = 5, .jitter_ms = 6, .mss_clamp = 536};
	run(&p, "loss20_mss536");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_loss1),
		cmocka_unit_test(test_loss5),
		cmocka_unit_test(test_loss20),
		cmocka_unit_test(test_loss5_mss536),
		cmocka_unit_test(test_loss20_mss536),
		cmocka_unit_test(test_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
