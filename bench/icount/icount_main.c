/* Instructions per unit of TCP work, for keel and lwIP alike (linked with
 * keel_side.c or lwip_side.c), counted by callgrind: bench/icount.py runs
 * this under `valgrind --tool=callgrind --collect-atstart=no`.  Only the
 * stack's calls are collected (frame in + services, timer + services);
 * the scripted peer is not.  Each phase zeroes the counters when its
 * work starts and dumps them, named, when it ends:
 *   conn: CONNS connections to port 13 (SYN, SYN-ACK, ACK, the line and
 *         the device's FIN, our FIN, the device's ACK) -> per connection
 *   rx:   SEGS full segments into discard 9, from the SYN-ACK to the
 *         ACK of the last -> per received segment
 *   tx:   SEGS full segments' worth from port 19, from the SYN-ACK to
 *         the last data segment -> per sent segment
 *   echo: SEGS full segments' worth through echo 7, from the SYN-ACK to
 *         the last byte back -> per segment echoed (counted as
 *         the device's data segments)
 * The clock stands still while frames flow; it advances one millisecond
 * (one timer call) only when the peer has nothing to send, so the counts
 * are the same on every run.  Runs without valgrind too (the requests are
 * no-ops) and exits non-zero if a phase does not complete.
 * With HELD (the O(1) check, bench/icount_arm.py's held rows), HELD echo
 * connections are opened first from 192.0.2.10 ... (240 on-link hosts in
 * turn, as bench/budget.py's clients), each echoing its bytes, and left
 * open while every phase runs; a last phase (with HELD 0 too) counts
 *   tick: TICK_MS idle milliseconds (timer + services, no frame) -> per
 *         millisecond: the work the loop does for the connections held
 *         whatever the traffic.
 *   icount-<stack> [CONNS SEGS [HELD]] */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "count.h"
#ifdef KEEL_ICOUNT_TARGET
#include "fmt.h"                       /* firmware/fmt.c: newlib's would want a heap */
#define VSNPRINTF fmt_vsnprintf
#else
#define VSNPRINTF vsnprintf
#endif
#include "fake_netdev.h"
#include "peer.h"
#include "side.h"

#define STEP_LIMIT 200000u     /* frames + ticks per phase */
#define IDLE_LIMIT 5000u       /* milliseconds without progress */
#define HOLD_FIRST_HOST 10u    /* held connections from 192.0.2.10 ... */
#define HOLD_HOSTS 240u        /* ... to 192.0.2.249, in turn */
#define HOLD_PORT0 20000u      /* their source ports: HOLD_PORT0 + i */
#define HOLD_BYTES 16u         /* each echoes this much once */
#define TICK_MS 200u           /* idle milliseconds counted with HELD */
#define SETTLE_HELD_MS 3000u   /* before them: > the 1 s initial RTO (RFC 6298) */

static uint32_t now_ms = 1000;

/* The target's SysTick ticks for the phase just counted (0 on the host). */
#define SYS_ARGS (unsigned long)(count_ticks() >> 32), (unsigned long)(count_ticks() & 0xffffffffu), \
	(unsigned long)count_intervals()

/* printf into a line for count_out: the target has no stdio stream. */
static void out(const char *fmt, ...)
{
	static char line[256];
	va_list ap;
	va_start(ap, fmt);
	VSNPRINTF(line, sizeof(line), fmt, ap);
	va_end(ap);
	count_out(line);
}
static struct peer_conn *current;
static uint32_t ticks;

static void count_on(void)
{
	fake_counting = 1;
	COUNT_TOGGLE();
}

static void count_off(void)
{
	COUNT_TOGGLE();
	fake_counting = 0;
}

/* Runs the peer and the stack until until(c) holds; returns 0 if it did. */
static int run(struct peer_conn *c, int (*until)(const struct peer_conn *))
{
	static uint8_t frame[PEER_FRAME_MAX];
	uint32_t idle = 0;
	current = c;
	for (uint32_t step = 0; step < STEP_LIMIT; step++) {
		if (until(c))
			return 0;
		size_t n = peer_next_frame(c, frame);
		if (n) {
			fake_netdev_put(frame, n);
			count_on();
			side_frame(now_ms);
			count_off();
			idle = 0;
		} else {
			if (++idle > IDLE_LIMIT)
				break;
			now_ms++;
			ticks++;
			count_on();
			side_tick(now_ms);
			count_off();
		}
	}
	out("icount: stuck (synced %d sent-left %u received %u fin %d/%d reset %d)\n",
		c->synced, c->to_send, c->received, c->fin_rcvd, c->fin_sent, c->reset);
	return -1;
}

/* The SYN-ACK is in: a phase starts there, so it counts the handshake's
 * last ACK (which carries the first data when the peer sends) and every
 * data segment. */
static int synack_in(const struct peer_conn *c) { return c->synced; }
static int done(const struct peer_conn *c) { return c->done; }
static int all_acked(const struct peer_conn *c)
{
	return c->to_send == 0 && c->snd_una == c->snd_nxt;
}
static int got_all(const struct peer_conn *c) { return c->received >= c->to_receive; }
/* A held connection's bytes are back and acknowledged both ways. */
static int held_quiet(const struct peer_conn *c)
{
	return c->received >= c->to_receive && !c->ack_due && c->snd_una == c->snd_nxt;
}
/* Lets ms of the clock pass, uncounted, answering the device (its last
 * ACKs, retransmissions) so the next phase starts quiet. */
static void settle(struct peer_conn *c, uint32_t ms)
{
	uint32_t end = now_ms + ms;
	current = c;
	static uint8_t frame[PEER_FRAME_MAX];
	for (uint32_t i = 0; i < STEP_LIMIT && now_ms < end; i++) {
		size_t n = peer_next_frame(c, frame);
		if (n) {
			fake_netdev_put(frame, n);
			side_frame(now_ms);
		} else {
			side_tick(++now_ms);
		}
	}
}

int icount_main(int argc, char **argv)
{
	unsigned conns = argc > 1 ? (unsigned)atoi(argv[1]) : 50;
	unsigned segs = argc > 2 ? (unsigned)atoi(argv[2]) : 500;
	int with_held = argc > 3;              /* HELD given, 0 too: the tick phase */
	unsigned held = with_held ? (unsigned)atoi(argv[3]) : 0;
	if (conns < 1 || conns > 5000 || segs < 1 || segs > 100000 || held > 65535u - HOLD_PORT0)
		return 2;
	side_init(fake_netdev(&current), now_ms);
	static struct peer_conn c;
	uint16_t port = 40000;

	/* Warm-up, not counted: ARP, first use of every path. */
	for (int i = 0; i < 2; i++) {
		peer_open(&c, GOAL_LINE, port++, 13);
		if (run(&c, done))
			return 1;
	}
	settle(&c, 10);

	/* The connections held (not counted): all stay open to the end. */
	for (unsigned i = 0; i < held; i++) {
		c.to_send = c.to_receive = HOLD_BYTES;
		peer_open_from(&c, GOAL_HOLD, (uint8_t)(HOLD_FIRST_HOST + i % HOLD_HOSTS),
			       (uint16_t)(HOLD_PORT0 + i), 7);
		if (run(&c, held_quiet)) {
			out("icount: held %u of %u\n", i, held);
			return 1;
		}
	}
	c.to_send = c.to_receive = 0;
	if (held)
		settle(&c, 10);

	COUNT_ZERO();
	uint32_t t0 = ticks;
	for (unsigned i = 0; i < conns; i++) {
		peer_open(&c, GOAL_LINE, port++, 13);
		if (run(&c, done) || c.received == 0 ||
		    (side_line_len && c.received != side_line_len))
			return 1;
	}
	COUNT_DUMP("conn");
	out("{\"conn\": {\"count\": %u, \"ticks\": %u, \"sys_hi\": %lu, \"sys_lo\": %lu, "
	    "\"intervals\": %lu}, ", conns, ticks - t0, SYS_ARGS);
	settle(&c, 10);

	c.to_send = segs * PEER_MSS;
	peer_open(&c, GOAL_SEND, port++, 9);
	if (run(&c, synack_in))
		return 1;
	COUNT_ZERO();
	t0 = ticks;
	if (run(&c, all_acked))
		return 1;
	COUNT_DUMP("rx");
	out("\"rx\": {\"count\": %u, \"bytes\": %u, \"ticks\": %u, \"sys_hi\": %lu, \"sys_lo\": %lu, \"intervals\": %lu}, ", c.data_segs_out,
	       segs * PEER_MSS, ticks - t0, SYS_ARGS);
	if (run(&c, done))
		return 1;
	settle(&c, 10);

	c.to_send = 0;
	c.to_receive = segs * PEER_MSS;
	peer_open(&c, GOAL_RECEIVE, port++, 19);
	if (run(&c, synack_in))
		return 1;
	COUNT_ZERO();
	t0 = ticks;
	if (run(&c, got_all))
		return 1;
	COUNT_DUMP("tx");
	out("\"tx\": {\"count\": %u, \"bytes\": %u, \"ticks\": %u, \"sys_hi\": %lu, \"sys_lo\": %lu, \"intervals\": %lu}, ", c.data_segs_in, c.received,
	       ticks - t0, SYS_ARGS);
	run(&c, done);
	settle(&c, 10);

	c.to_send = c.to_receive = segs * PEER_MSS;
	peer_open(&c, GOAL_ECHO, port++, 7);
	if (run(&c, synack_in))
		return 1;
	COUNT_ZERO();
	t0 = ticks;
	if (run(&c, got_all))
		return 1;
	COUNT_DUMP("echo");
	out("\"echo\": {\"count\": %u, \"bytes\": %u, \"ticks\": %u, \"sys_hi\": %lu, \"sys_lo\": %lu, \"intervals\": %lu}}\n", c.data_segs_in,
	       c.received, ticks - t0, SYS_ARGS);
	if (run(&c, done))
		return 1;
	settle(&c, 10);
	if (!with_held)
		return 0;

	/* Idle milliseconds with the connections held: nothing arrives.
	 * First the timers their opening left behind (the handshake's and
	 * the echo's retransmission timers, stopped lazily: tcp_wheel.h)
	 * come due and leave the wheel, a one-off per connection, not a
	 * cost of holding it. */
	c.to_send = c.to_receive = 0;
	settle(&c, SETTLE_HELD_MS);
	COUNT_ZERO();
	for (unsigned i = 0; i < TICK_MS; i++) {
		count_on();
		side_tick(++now_ms);
		count_off();
	}
	COUNT_DUMP("tick");
	out("{\"tick\": {\"count\": %u, \"held\": %u, \"sys_hi\": %lu, \"sys_lo\": %lu, "
	    "\"intervals\": %lu}}\n", TICK_MS, held, SYS_ARGS);
	return 0;
}
