/* The console on the host: firmware/console.c's line editor and dispatch,
 * with the real help, ifconfig, netstat, ss, sysctl and watch commands and
 * their argument parsers, on a fake board (typed bytes in, printed bytes out)
 * and a real stack instance. */
#define _POSIX_C_SOURCE 200809L   /* alarm() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "cmd.h"
#include "console.h"
#include "fw.h"
#include <keel/keel.h>
#include <keel/sysctl.h>
#include <keel/tcp.h>
#include "unit/fake_board.h"

#define POLLS_MAX 200

static int setup(void **state)
{
	(void)state;
	fake_board_reset();
	console_start();
	(void)fake_board_output();   /* the first prompt */
	return 0;
}

/* Types s, runs the console until it has nothing left to do (bounded),
 * returns what it printed. */
static const char *type(const char *s)
{
	fake_board_type(s);
	for (int i = 0; i < POLLS_MAX; i++)
		if (!console_poll(0))
			break;
	return fake_board_output();
}

static uint32_t knob(const char *name)
{
	uint32_t v = 0;
	assert_int_equal(keel_sysctl_get(fw_stack(), name, &v), KEEL_SYSCTL_OK);
	return v;
}

static struct keel_ifconfig ifc(void)
{
	struct keel_ifconfig c;
	keel_get_ifconfig(fw_stack(), &c);
	return c;
}

static void test_split(void **state)
{
	(void)state;
	char line[] = "  ss  -a state  established ";
	char *argv[CMD_ARGS_MAX];
	assert_int_equal(cmd_split(line, argv), 4);
	assert_string_equal(argv[0], "ss");
	assert_string_equal(argv[3], "established");
	char many[] = "a b c d e f g h i j k l m n o p q r";
	assert_int_equal(cmd_split(many, argv), CMD_ARGS_MAX);   /* bounded */
}

static void test_line_runs_with_echo_and_prompt(void **state)
{
	(void)state;
	assert_string_equal(type("sysctl tcp_msl\r"),
			    "sysctl tcp_msl\r\nnet.ipv4.tcp_msl = 30\r\n" CONSOLE_PROMPT);
	/* CR LF ends one line, not two: one prompt. */
	assert_string_equal(type("\r\n"), "\r\n" CONSOLE_PROMPT);
	/* LF alone ends a line too. */
	assert_string_equal(type("\n"), "\r\n" CONSOLE_PROMPT);
}

static void test_backspace_and_kill(void **state)
{
	(void)state;
	/* "sysctx" then two erasures (BS and DEL) then "tl tcp_msl". */
	const char *out = type("sysctx\b\x7ftl tcp_msl\r");
	assert_non_null(strstr(out, "\b \b\b \b"));
	assert_non_null(strstr(out, "net.ipv4.tcp_msl = 30\r\n"));
	/* Ctrl-U drops the line typed so far. */
	out = type("bogus\x15sysctl tcp_msl\r");
	assert_null(strstr(out, "unknown command"));
	assert_non_null(strstr(out, "^C\r\n" CONSOLE_PROMPT));
	assert_non_null(strstr(out, "net.ipv4.tcp_msl = 30"));
	/* Backspace on an empty line prints nothing. */
	assert_string_equal(type("\b"), "");
	/* Other control bytes are ignored, not echoed. */
	assert_string_equal(type("\x01\x02"), "");
}

static void test_line_length_bounded(void **state)
{
	(void)state;
	char line[CONSOLE_LINE_MAX + 40];
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	const char *out = type(line);
	assert_int_equal(strlen(out), CONSOLE_LINE_MAX - 1);   /* the rest is not taken */
	out = type("\r");
	assert_non_null(strstr(out, "unknown command"));
}

/* Typed bytes lost to an RX overrun (here the Enter among them): once
 * what arrived is read, the line is dropped, not run, with a fresh prompt;
 * the next line runs as usual and no loss is reported twice. */
static void test_overrun_drops_the_line(void **state)
{
	(void)state;
	fake_board_rx_lost(3);
	const char *out = type("reb");
	assert_non_null(strstr(out, "input overrun: line dropped"));
	assert_non_null(strstr(out, CONSOLE_PROMPT));
	out = type("\r");
	assert_null(strstr(out, "unknown command"));     /* "reb" was not run */
	out = type("sysctl tcp_msl\r");
	assert_non_null(strstr(out, "tcp_msl"));
	assert_null(strstr(out, "overrun"));
}

static void test_history(void **state)
{
	(void)state;
	(void)type("sysctl tcp_msl\r");
	(void)type("sysctl tcp_fin_timeout\r");
	/* Up twice: the older line; Enter runs it. */
	const char *out = type("\x1b[A\x1b[A\r");
	assert_non_null(strstr(out, "net.ipv4.tcp_msl = 30"));
	/* ESC O A (application cursor keys) walks it too; down returns. */
	out = type("\x1bOA\x1b[B\x1b[A\r");
	assert_non_null(strstr(out, "net.ipv4.tcp_msl = 30"));
	/* A line with a leading space runs and is not remembered. */
	out = type(" sysctl tcp_fin_timeout\r");
	assert_non_null(strstr(out, "tcp_fin_timeout = "));
	out = type("\x1b[A\r");
	assert_non_null(strstr(out, "net.ipv4.tcp_msl = 30"));
	/* An unknown escape sequence is dropped whole. */
	out = type("\x1b[5~sysctl tcp_msl\r");
	assert_null(strstr(out, "unknown"));
	assert_non_null(strstr(out, "tcp_msl = 30"));
}

static void test_unknown_command_suggests(void **state)
{
	(void)state;
	assert_non_null(strstr(type("sysct\r"), "unknown command 'sysct'; did you mean 'sysctl'? try help"));
	assert_non_null(strstr(type("zzz\r"), "unknown command 'zzz'; try help"));
}

static void test_help(void **state)
{
	(void)state;
	const char *out = type("help sysctl\r");
	assert_non_null(strstr(out, "usage: sysctl [-a] | NAME... | [-w] NAME=VALUE"));
	assert_non_null(strstr(out, "no tcp_tw_recycle: it broke clients behind NAT and Linux removed it in 4.12"));
	/* asking for it, or setting it, explains why it is not there */
	assert_non_null(strstr(type("sysctl net.ipv4.tcp_tw_recycle\r"), "removed\r\n  it in 4.12"));
	assert_non_null(strstr(type("sysctl -w tcp_tw_recycle=1\r"), "broke clients behind NAT"));
	/* The list is a stream, sorted by name through the linker. */
	out = type("help\r");
	const char *h = strstr(out, "help "), *i = strstr(out, "ifconfig "),
		   *s = strstr(out, "sysctl "), *w = strstr(out, "watch ");
	assert_true(h && i && s && w && h < i && i < s && s < w);
}

static void test_sysctl_parser(void **state)
{
	(void)state;
	assert_non_null(strstr(type("sysctl -w net.ipv4.tcp_syncookies=2\r"),
			       "net.ipv4.tcp_syncookies = 2"));
	assert_int_equal(knob("tcp_syncookies"), 2);
	/* The words rejoin: "NAME = VALUE" is one setting. */
	assert_non_null(strstr(type("sysctl tcp_syncookies = 0\r"), "net.ipv4.tcp_syncookies = 0"));
	assert_int_equal(knob("tcp_syncookies"), 0);
	assert_non_null(strstr(type("sysctl tcp_syncookies=7\r"), "sysctl: tcp_syncookies must be"));
	assert_int_equal(knob("tcp_syncookies"), 0);
	assert_non_null(strstr(type("sysctl tcp_nope=1\r"), "cannot stat tcp_nope: no such key"));
	assert_non_null(strstr(type("sysctl tcp_msl=x\r"), "sysctl: "));
	assert_int_equal(knob("tcp_msl"), 30);
	const char *out = type("sysctl -a\r");
	assert_non_null(strstr(out, "net.ipv4.tcp_syncookies = 0"));
	assert_non_null(strstr(out, "net.ipv4.tcp_msl = 30"));
}

/* The memory knobs print and take three values, tab-separated as Linux
 * prints them; ss -m is an option ss knows. */
static void test_memory_knobs(void **state)
{
	(void)state;
	char want[96];
	snprintf(want, sizeof want, "net.ipv4.tcp_rmem = %u\t%u\t%u", (unsigned)KEEL_TCP_BUF_MIN,
		 (unsigned)KEEL_TCP_RCVBUF, (unsigned)KEEL_TCP_RMEM_MAX);
	assert_non_null(strstr(type("sysctl tcp_rmem\r"), want));
	assert_non_null(strstr(type("sysctl -w net.ipv4.tcp_wmem=512 4096 8192\r"),
			       "net.ipv4.tcp_wmem = 512\t4096\t8192"));
	uint32_t v[KEEL_SYSCTL_VEC_MAX];
	assert_int_equal(keel_sysctl_get_vec(fw_stack(), "tcp_wmem", v), 3);
	assert_true(v[0] == 512 && v[1] == 4096 && v[2] == 8192);
	assert_non_null(strstr(type("sysctl tcp_wmem=4096 512 8192\r"), "sysctl: tcp_wmem must be 3 values"));
	assert_non_null(strstr(type("sysctl tcp_mem=1 2\r"), "sysctl: tcp_mem must be 3 values"));
	assert_non_null(strstr(type("sysctl -a\r"), "net.ipv4.tcp_mem = "));
	assert_null(strstr(type("ss -m\r"), "unknown option"));
}

static void test_ifconfig_parser(void **state)
{
	(void)state;
	const char *out = type("ifconfig 192.0.2.9/25 gw 192.0.2.1\r");
	assert_non_null(strstr(out, "addr 192.0.2.9/25\r\ngateway 192.0.2.1"));
	assert_int_equal(ifc().addr, 0xC0000209u);
	assert_int_equal(ifc().prefix, 25);
	assert_int_equal(ifc().gateway, 0xC0000201u);
	/* Address without a prefix keeps the prefix. */
	(void)type("ifconfig 192.0.2.10\r");
	assert_int_equal(ifc().addr, 0xC000020Au);
	assert_int_equal(ifc().prefix, 25);
	assert_non_null(strstr(type("ifconfig 300.0.2.9\r"), "ifconfig: bad address '300.0.2.9'"));
	assert_non_null(strstr(type("ifconfig 192.0.2.9 gw 1.2.3\r"), "ifconfig: bad gateway '1.2.3'"));
	assert_non_null(strstr(type("ifconfig 192.0.2.9 gw\r"), "usage: ifconfig"));
	assert_non_null(strstr(type("ifconfig 192.0.2.9/28 gw 192.0.2.100\r"),
			       "warning: gateway is not on the local subnet"));
	assert_int_equal(ifc().addr, 0xC0000209u);
	assert_int_equal(ifc().prefix, 28);
	(void)type("ifconfig 192.0.2.9/24\r");
	/* No argument: the interface as "name value" lines. */
	out = type("ifconfig\r");
	assert_non_null(strstr(out, "addr 192.0.2.9/24\r\nnetmask 255.255.255.0\r\n"));
	assert_non_null(strstr(out, "ip.in_receives 0\r\n"));
}

static void test_watch_parser(void **state)
{
	(void)state;
	assert_non_null(strstr(type("watch -n x sysctl tcp_msl\r"), "watch: bad interval 'x'"));
	assert_non_null(strstr(type("watch -n\r"), "watch: bad interval ''"));
	assert_non_null(strstr(type("watch -q sysctl\r"), "watch: unknown option '-q'"));
	assert_non_null(strstr(type("watch\r"), "usage: watch"));
	assert_non_null(strstr(type("watch nope\r"), "watch: unknown command 'nope'"));
	assert_non_null(strstr(type("watch watch sysctl\r"), "watch: cannot watch 'watch'"));
	/* Good arguments: a foreground task redrawing at the interval (0.5 s,
	 * "-n0.5" spelling); any key stops it. */
	const char *out = type("watch -n0.5 sysctl tcp_msl\r");
	assert_non_null(strstr(out, "Every 0.5s: sysctl tcp_msl"));
	assert_non_null(strstr(out, "net.ipv4.tcp_msl = 30"));
	assert_null(strstr(out, CONSOLE_PROMPT));   /* still running */
	fake_board_set_millis(499);
	assert_false(console_poll(499));
	assert_null(strstr(fake_board_output(), "tcp_msl"));
	assert_false(console_poll(500));
	assert_non_null(strstr(fake_board_output(), "net.ipv4.tcp_msl = 30"));
	assert_non_null(strstr(type("q"), CONSOLE_PROMPT));
}

static void test_ss_parser(void **state)
{
	(void)state;
	assert_true(keel_tcp_listen(fw_stack(), 7, 4) >= 0);
	assert_true(keel_tcp_listen(fw_stack(), 13, 2) >= 0);
	assert_non_null(strstr(type("ss -q\r"), "ss: unknown option '-q'"));
	assert_non_null(strstr(type("ss state nope\r"), "ss: unknown state 'nope'"));
	assert_non_null(strstr(type("ss state\r"), "ss: state needs a name ''"));
	assert_non_null(strstr(type("ss sport = :99999\r"), "ss: bad port in filter after 'sport'"));
	assert_non_null(strstr(type("ss bogus\r"), "ss: cannot parse 'bogus'"));
	/* Default: connected states only, so the listeners are not shown. */
	const char *out = type("ss\r");
	assert_non_null(strstr(out, "State       Recv-Q Send-Q"));
	assert_null(strstr(out, "LISTEN"));
	out = type("ss -ltn\r");
	assert_non_null(strstr(out, "LISTEN      0      4      192.0.2.2:7 "));
	assert_non_null(strstr(out, "LISTEN      0      2      192.0.2.2:13 "));
	out = type("ss state listening sport = :13\r");
	assert_null(strstr(out, "192.0.2.2:7 "));
	assert_non_null(strstr(out, "192.0.2.2:13 "));
	out = type("ss -l sport gt :7\r");
	assert_null(strstr(out, "192.0.2.2:7 "));
	assert_non_null(strstr(out, "192.0.2.2:13 "));
}

static void test_netstat_parser(void **state)
{
	(void)state;
	assert_true(keel_tcp_listen(fw_stack(), 80, 4) >= 0);
	assert_non_null(strstr(type("netstat -x\r"), "usage: netstat"));
	const char *out = type("netstat\r");
	assert_non_null(strstr(out, "LISTEN             1\r\n"));
	assert_non_null(strstr(out, "192.0.2.2:80           0/4       0/4"));
	assert_non_null(strstr(out, "listeners         8      1      1"));
	out = type("netstat -s Tcp\r");
	assert_non_null(strstr(out, "Tcp:\r\n    ActiveOpens"));
	assert_null(strstr(out, "Ip:"));
	out = type("netstat -s Eth Link\r");
	assert_non_null(strstr(out, "Eth:\r\n"));
	assert_non_null(strstr(out, "OutLinkDown"));
	assert_null(strstr(out, "Tcp:"));
}

/* Found by fuzz_parsers: a board whose TX ring takes nothing although it
 * reported room (here the fake board's output buffer, full because nobody
 * reads it) made the console spin for ever in put_raw.  Now that waits,
 * bounded, as for a full ring, and drops.  alarm() turns a hang into a
 * failure. */
static void test_output_never_taken_does_not_hang(void **state)
{
	(void)state;
	alarm(30);
	for (int n = 0; n < 40; n++) {   /* far more than the fake's 8 KiB, never read */
		fake_board_type("help\r");
		for (int i = 0; i < POLLS_MAX; i++)
			if (!console_poll(0))
				break;
	}
	alarm(0);
	(void)fake_board_output();
	assert_non_null(strstr(type("\r"), CONSOLE_PROMPT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_split, setup),
		cmocka_unit_test_setup(test_line_runs_with_echo_and_prompt, setup),
		cmocka_unit_test_setup(test_backspace_and_kill, setup),
		cmocka_unit_test_setup(test_line_length_bounded, setup),
		cmocka_unit_test_setup(test_overrun_drops_the_line, setup),
		cmocka_unit_test_setup(test_history, setup),
		cmocka_unit_test_setup(test_unknown_command_suggests, setup),
		cmocka_unit_test_setup(test_help, setup),
		cmocka_unit_test_setup(test_sysctl_parser, setup),
		cmocka_unit_test_setup(test_memory_knobs, setup),
		cmocka_unit_test_setup(test_ifconfig_parser, setup),
		cmocka_unit_test_setup(test_watch_parser, setup),
		cmocka_unit_test_setup(test_ss_parser, setup),
		cmocka_unit_test_setup(test_netstat_parser, setup),
		cmocka_unit_test_setup(test_output_never_taken_does_not_hang, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
