/* libFuzzer target for what reads text from outside: the HTTP request
 * reader (http_request_start, then http_read_request fed through
 * keel_tcp_recv in fuzz-sized pieces: the streaming parser must cope with
 * any split), the console (line editor, history, every command with every
 * argument: sysctl values, ifconfig addresses, nc arguments, watch, ss,
 * netstat ...) and the parsers behind them (parse_ipv4, parse_ipv4_prefix,
 * parse_u32, keel_sysctl_set, cmd_split).
 *
 * Input: a selector byte, then that part's bytes.  Checked besides the
 * sanitizers: HTTP picks a known page (or asks for more / drops) within
 * its buffer; a parsed address prints back to itself; a sysctl value that
 * was accepted reads back equal; cmd_split never returns more than
 * CMD_ARGS_MAX words, each inside the line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apps.h"
#include "cmd.h"
#include "console.h"
#include "fmt.h"
#include "http.h"
#include "fw.h"
#include <keel/keel.h>
#include <keel/sysctl.h>
#include <keel/tcp.h>
#include "unit/fake_board.h"

#define FAKE_SOCK 0x7ead

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_parsers: %s\n", what);
	abort();
}

/* ------------------------------------------------------------ HTTP */

static const uint8_t *rx;
static size_t rx_len, rx_chunk;

/* keel_tcp_recv_peek / _consume for the fake connection: the input in
 * pieces of at most rx_chunk bytes (the streaming reader must cope with
 * any split); every other handle goes to the stack
 * (-Wl,--wrap=keel_tcp_recv_peek,--wrap=keel_tcp_recv_consume). */
int __real_keel_tcp_recv_peek(struct keel *k, int s, const uint8_t **p);
int __real_keel_tcp_recv_consume(struct keel *k, int s, size_t n);
int __wrap_keel_tcp_recv_peek(struct keel *k, int s, const uint8_t **p);
int __wrap_keel_tcp_recv_consume(struct keel *k, int s, size_t n);
int __wrap_keel_tcp_recv_peek(struct keel *k, int s, const uint8_t **p)
{
	if (s != FAKE_SOCK)
		return __real_keel_tcp_recv_peek(k, s, p);
	if (rx_len == 0)
		return 0;                       /* the client closed */
	*p = rx;
	return (int)(rx_chunk < rx_len ? rx_chunk : rx_len);
}

int __wrap_keel_tcp_recv_consume(struct keel *k, int s, size_t n)
{
	if (s != FAKE_SOCK)
		return __real_keel_tcp_recv_consume(k, s, n);
	size_t m = rx_chunk < rx_len ? rx_chunk : rx_len;
	if (n > m)
		fail("consumed more than the peek offered");
	rx += n;
	rx_len -= n;
	return (int)n;
}

static void fuzz_http(const uint8_t *p, size_t n)
{
	static struct app_conn c;
	static uint8_t stage[APP_STAGE_LEN];
	if (n < 1)
		return;
	memset(&c, 0, sizeof(c));
	memset(stage, 0, sizeof(stage));
	c.sock = FAKE_SOCK;
	c.stage = stage;
	http_request_start(&c);
	rx_chunk = (size_t)(p[0] % 64u) + 1u;
	rx = p + 1;
	rx_len = n - 1;
	for (int calls = 0; calls < 4096; calls++) {
		int r = http_read_request(fw_stack(), &c);
		if (r < -1 || r > 1)
			fail("http_read_request returned an unknown verdict");
		if (r == 1) {
			if (c.page >= PG_END)
				fail("unknown page");
			return;
		}
		if (r == -1)
			return;
	}
	fail("http_read_request never decided");
}

/* ------------------------------------------------------------ console */

static void fuzz_console(const uint8_t *p, size_t n)
{
	static char line[1024 + 1];
	fake_board_reset();
	console_start();
	uint32_t now = 0;
	/* Typed in bursts: each NUL ends a burst, the console runs between. */
	size_t at = 0;
	for (int burst = 0; burst < 64 && at < n; burst++) {
		size_t len = 0;
		while (at < n && p[at] != 0 && len < sizeof(line) - 1)
			line[len++] = (char)p[at++];
		at++;
		line[len] = '\0';
		fake_board_type(line);
		for (int i = 0; i < 64; i++) {
			now += 7;
			fake_board_set_millis(now);
			(void)console_poll(now);
			(void)fake_board_output();   /* room for the next */
		}
	}
	fake_board_type("\x03\x03\r");   /* Ctrl-C ends whatever runs */
	for (int i = 0; i < 64; i++) {
		now += 1000;
		fake_board_set_millis(now);
		(void)console_poll(now);
		(void)fake_board_output();
	}
}

/* ------------------------------------------------------------ parsers */

static void fuzz_text(const uint8_t *p, size_t n)
{
	static char s[256], t[256];
	if (n > sizeof(s) - 1)
		n = sizeof(s) - 1;
	memcpy(s, p, n);
	s[n] = '\0';

	uint32_t a, b;
	uint8_t prefix = 0;
	char txt[FMT_IP_LEN];
	if (parse_ipv4(s, &a) == 0) {
		if (parse_ipv4(fmt_ip(txt, a), &b) != 0 || a != b)
			fail("parse_ipv4 does not round-trip");
	}
	if (parse_ipv4_prefix(s, &a, &prefix) == 0 && prefix > 32)
		fail("prefix beyond 32");
	if (parse_u32(s, &a) == 0) {
		snprintf(t, sizeof(t), "%lu", (unsigned long)a);
		if (parse_u32(t, &b) != 0 || a != b)
			fail("parse_u32 does not round-trip");
	}

	/* sysctl: "name=value" against the real table */
	char *eq = strchr(s, '=');
	if (eq) {
		*eq = '\0';
		uint32_t v;
		if (keel_sysctl_set(fw_stack(), s, eq + 1, NULL) == KEEL_SYSCTL_OK) {
			if (keel_sysctl_get(fw_stack(), s, &v) != KEEL_SYSCTL_OK)
				fail("a knob that was set cannot be read");
			snprintf(t, sizeof(t), "%lu", (unsigned long)v);
			if (strcmp(t, eq + 1) != 0 && strtoul(eq + 1, NULL, 10) != v)
				fail("sysctl reads back another value");
		}
		*eq = '=';
	}

	memcpy(t, s, n + 1);
	char *argv[CMD_ARGS_MAX];
	int argc = cmd_split(t, argv);
	if (argc < 0 || argc > CMD_ARGS_MAX)
		fail("cmd_split word count");
	for (int i = 0; i < argc; i++)
		if (argv[i] < t || argv[i] > t + n)
			fail("cmd_split word outside the line");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		fake_board_reset();
		ready = 1;
	}
	if (size < 1)
		return 0;
	switch (data[0] % 3u) {
	case 0: fuzz_http(data + 1, size - 1); break;
	case 1: fuzz_console(data + 1, size - 1); break;
	default: fuzz_text(data + 1, size - 1); break;
	}
	return 0;
}
