/* ping [-c COUNT] [-s SIZE] HOST: ICMP echo requests once a second, with
 * Linux ping's output:
 *   PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.
 *   64 bytes from 192.0.2.1: icmp_seq=1 ttl=64 time=1.00 ms
 *   --- 192.0.2.1 ping statistics ---
 *   3 packets transmitted, 3 received, 0% packet loss, time 2003ms
 *   rtt min/avg/max/mdev = 1.000/1.000/1.000/0.000 ms
 * Without -c it runs until a key is typed, as ping runs until Ctrl-C.
 * Times have the stack's resolution: 1 ms. */
#include <stdbool.h>
#include <string.h>
#include <keel/dns.h>
#include <keel/ping.h>
#include <keel/tcp.h>
#include "cmd.h"
#include "console.h"
#include "fmt.h"
#include "fw.h"

#define PING_INTERVAL_MS 1000u
#define PING_LINGER_MS 2000u     /* after the last request, wait this long for its reply */
#define PING_SIZE_DEFAULT 56u
#define PING_SEQ_MAX 16u         /* send times kept (by seq modulo this) */

static struct {
	char host[KEEL_DNS_NAME_MAX];
	bool resolving;
	bool started;             /* the PING line is out */
	uint32_t dst;
	uint32_t count;           /* 0: until a key */
	uint32_t size;
	uint32_t sent, received;
	uint32_t start_ms, next_ms, last_ms;
	uint32_t sent_ms[PING_SEQ_MAX];
	uint32_t min_ms, max_ms;
	uint64_t sum_ms, sum_sq;  /* for avg and mdev */
} pg;

static uint32_t isqrt(uint64_t v)
{
	uint64_t r = 0, bit = (uint64_t)1 << 62;
	while (bit > v)
		bit >>= 2;
	while (bit) {   /* at most 32 steps */
		if (v >= r + bit) {
			v -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return (uint32_t)r;
}

/* Microseconds as Linux prints an RTT: "0.512", "12.3", "123". */
static void print_rtt_us(uint32_t us)
{
	if (us >= 100000u)
		con_printf("%lu", (unsigned long)(us / 1000u));
	else if (us >= 10000u)
		con_printf("%lu.%01lu", (unsigned long)(us / 1000u), (unsigned long)(us % 1000u / 100u));
	else if (us >= 1000u)
		con_printf("%lu.%02lu", (unsigned long)(us / 1000u), (unsigned long)(us % 1000u / 10u));
	else
		con_printf("0.%03lu", (unsigned long)us);
}

static void print_ms3(uint64_t us)
{
	con_printf("%lu.%03lu", (unsigned long)(us / 1000u), (unsigned long)(us % 1000u));
}

static void summary(uint32_t now_ms)
{
	unsigned loss = pg.sent ? (unsigned)((pg.sent - pg.received) * 100u / pg.sent) : 0;
	con_printf("\n--- %s ping statistics ---\n", pg.host);
	con_printf("%lu packets transmitted, %lu received, %u%% packet loss, time %lums\n",
		   (unsigned long)pg.sent, (unsigned long)pg.received, loss,
		   (unsigned long)(pg.sent ? pg.last_ms - pg.start_ms : 0));
	(void)now_ms;
	if (pg.received == 0)
		return;
	/* mdev = sqrt(E[t^2] - E[t]^2), in microseconds */
	uint64_t avg_us = pg.sum_ms * 1000u / pg.received;
	uint64_t sq_us = pg.sum_sq * 1000000u / pg.received;
	uint64_t var = sq_us > avg_us * avg_us ? sq_us - avg_us * avg_us : 0;
	con_puts("rtt min/avg/max/mdev = ");
	print_ms3((uint64_t)pg.min_ms * 1000u);
	con_puts("/");
	print_ms3(avg_us);
	con_puts("/");
	print_ms3((uint64_t)pg.max_ms * 1000u);
	con_puts("/");
	print_ms3(isqrt(var));
	con_puts(" ms\n");
}

static void take_replies(struct keel *k)
{
	struct keel_ping_reply r;
	char a[FMT_IP_LEN];
	for (int i = 0; i < KEEL_PING_REPLIES && keel_ping_recv(k, &r) == 0; i++) {
		if (r.src != pg.dst || r.seq == 0 || r.seq > pg.sent || pg.sent - r.seq >= PING_SEQ_MAX)
			continue;   /* not an answer to a request we still remember */
		uint32_t rtt = r.rx_ms - pg.sent_ms[r.seq % PING_SEQ_MAX];
		pg.received++;
		pg.sum_ms += rtt;
		pg.sum_sq += (uint64_t)rtt * rtt;
		if (pg.received == 1 || rtt < pg.min_ms)
			pg.min_ms = rtt;
		if (rtt > pg.max_ms)
			pg.max_ms = rtt;
		con_printf("%u bytes from %s: icmp_seq=%u ttl=%u time=", (unsigned)r.len,
			   fmt_ip(a, r.src), (unsigned)r.seq, (unsigned)r.ttl);
		print_rtt_us(rtt * 1000u);
		con_puts(r.data_ok ? " ms\n" : " ms (wrong data)\n");
	}
}

static bool ping_step(void *ctx, uint32_t now_ms)
{
	(void)ctx;
	struct keel *k = fw_stack();
	if (pg.resolving) {
		int r = keel_dns_resolve(k, pg.host, &pg.dst);
		if (r == KEEL_EINPROGRESS)
			return true;
		if (r != KEEL_OK) {
			con_printf("ping: %s: %s\n", pg.host,
				   r == KEEL_ENOENT ? "Name or service not known" : keel_strerror(r));
			keel_ping_close(k);
			return false;
		}
		pg.resolving = false;
		pg.next_ms = now_ms;
	}
	if (!pg.started) {
		char a[FMT_IP_LEN];
		con_printf("PING %s (%s) %lu(%lu) bytes of data.\n", pg.host, fmt_ip(a, pg.dst),
			   (unsigned long)pg.size, (unsigned long)pg.size + 28u);
		pg.started = true;
	}
	take_replies(k);
	bool all_sent = pg.count && pg.sent >= pg.count;
	if (all_sent && (pg.received >= pg.count || (int32_t)(now_ms - pg.last_ms) >= (int32_t)PING_LINGER_MS)) {
		summary(now_ms);
		keel_ping_close(k);
		return false;
	}
	if (!all_sent && (int32_t)(now_ms - pg.next_ms) >= 0) {
		uint16_t seq = (uint16_t)(pg.sent + 1u);
		pg.sent_ms[seq % PING_SEQ_MAX] = now_ms;
		int r = keel_ping_send(k, pg.dst, seq, pg.size);
		if (r != KEEL_OK)
			con_printf("ping: sendmsg: %s\n", keel_strerror(r));
		if (pg.sent == 0)
			pg.start_ms = now_ms;
		pg.sent++;
		pg.last_ms = now_ms;
		pg.next_ms = now_ms + PING_INTERVAL_MS;
	}
	return true;
}

static void ping_stop(void *ctx, bool by_key)
{
	(void)ctx;
	if (by_key && !pg.resolving)
		summary(fw_uptime_ms());
	keel_ping_close(fw_stack());
}

static int usage(void)
{
	cmd_usage(cmd_find("ping"));
	return -1;
}

static int ping_cmd(int argc, char **argv)
{
	memset(&pg, 0, sizeof(pg));
	pg.size = PING_SIZE_DEFAULT;
	const char *host = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "-s") == 0) {
			uint32_t v;
			if (i + 1 >= argc || parse_u32(argv[i + 1], &v) != 0)
				return usage();
			if (argv[i][1] == 'c') {
				if (v == 0 || v > 100000u)
					return usage();
				pg.count = v;
			} else {
				if (v > KEEL_MTU - 28u) {
					con_printf("ping: invalid -s value: %lu (at most %u)\n", (unsigned long)v,
						   (unsigned)(KEEL_MTU - 28u));
					return -1;
				}
				pg.size = v;
			}
			i++;
		} else if (host == NULL) {
			host = argv[i];
		} else {
			return usage();
		}
	}
	if (host == NULL)
		return usage();
	size_t n = strlen(host);
	if (n == 0 || n >= sizeof(pg.host)) {
		con_printf("ping: %s: Name or service not known\n", host);
		return -1;
	}
	memcpy(pg.host, host, n + 1);
	pg.resolving = true;
	/* The identifier: the uptime, like Linux's use of its pid. */
	if (keel_ping_open(fw_stack(), (uint16_t)(fw_uptime_ms() | 1u)) != KEEL_OK) {
		con_puts("ping: busy\n");
		return -1;
	}
	console_set_foreground_stop(ping_step, ping_stop, NULL);
	return 0;
}

CMD_REGISTER(ping, "ping", "[-c COUNT] [-s SIZE] HOST",
	     "ICMP echo requests every second, as ping(8); any key stops", ping_cmd);
