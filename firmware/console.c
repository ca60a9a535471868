/* Console: output through the board's TX ring, a line editor over the RX
 * ring (printable ASCII, backspace/DEL, CR or LF ends a line, Ctrl-C or
 * Ctrl-U drops it; other control bytes and escape sequences are ignored),
 * and dispatch to the registered commands. */
#include <string.h>
#include "board.h"
#include "cmd.h"
#include "console.h"
#include "console_ring.h"
#include "fmt.h"

#define CONSOLE_TX_WAIT_MS 200u    /* longest a print waits for ring room */
#define CONSOLE_RX_PER_POLL 64u    /* typed bytes handled per main-loop pass */
#define CH_CTRL_C 0x03
#define CH_BS 0x08
#define CH_CTRL_U 0x15
#define CH_ESC 0x1b
#define CH_DEL 0x7f

static struct {
	char line[CONSOLE_LINE_MAX];
	size_t len;
	bool last_cr;        /* swallow the LF of a CR LF pair */
	uint8_t esc;         /* inside an escape sequence: bytes left to ignore */
	console_fg_fn fg;
	void *fg_ctx;
} con;

/* Writes all of s to the TX ring, waiting for room a bounded time. */
static void put_raw(const char *s, size_t len)
{
	uint32_t start = board_millis();
	while (len) {
		size_t room = board_console_tx_room();
		if (room == 0) {
			if (board_millis() - start > CONSOLE_TX_WAIT_MS) {
				(void)board_console_write(s, len);   /* counted as drops */
				return;
			}
			board_wait_for_interrupt();
			continue;
		}
		size_t n = board_console_write(s, len < room ? len : room);
		s += n;
		len -= n;
	}
}

void con_write(const char *s, size_t len)
{
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			put_raw(s + run, i - run);
			put_raw("\r\n", 2);
			run = i + 1;
		}
	}
	put_raw(s + run, len - run);
}

void con_puts(const char *s)
{
	con_write(s, strlen(s));
}

static void con_sink(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	con_write(s, len);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	(void)fmt_vformat(con_sink, NULL, fmt, ap);
	va_end(ap);
}

const struct cmd *cmd_find(const char *name)
{
	CMD_FOREACH(c)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int cmd_split(char *line, char *argv[CMD_ARGS_MAX])
{
	int argc = 0;
	char *p = line;
	while (*p && argc < CMD_ARGS_MAX) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return argc;
}

void cmd_usage(const struct cmd *c)
{
	con_printf("usage: %s%s%s\n", c->name, c->usage[0] ? " " : "", c->usage);
}

static void run_line(char *line)
{
	char *argv[CMD_ARGS_MAX];
	int argc = cmd_split(line, argv);
	if (argc == 0)
		return;
	const struct cmd *c = cmd_find(argv[0]);
	if (!c) {
		con_printf("unknown command '%s'; try help\n", argv[0]);
		return;
	}
	(void)c->fn(argc, argv);
}

void console_start(void)
{
	con.len = 0;
	con_puts(CONSOLE_PROMPT);
}

void console_set_foreground(console_fg_fn fn, void *ctx)
{
	con.fg = fn;
	con.fg_ctx = ctx;
}

static void edit(int c)
{
	if (con.esc) {   /* ESC [ A and friends: swallow up to the final byte */
		con.esc--;
		if (c >= '@' && c <= '~' && c != '[')
			con.esc = 0;
		return;
	}
	bool was_cr = con.last_cr;
	con.last_cr = c == '\r';
	switch (c) {
	case '\n':
		if (was_cr)
			return;
		/* fall through */
	case '\r':
		con_puts("\n");
		con.line[con.len] = '\0';
		run_line(con.line);
		con.len = 0;
		if (!con.fg)
			con_puts(CONSOLE_PROMPT);
		return;
	case CH_BS:
	case CH_DEL:
		if (con.len) {
			con.len--;
			con_puts("\b \b");
		}
		return;
	case CH_CTRL_C:
	case CH_CTRL_U:
		con.len = 0;
		con_puts("^C\n" CONSOLE_PROMPT);
		return;
	case CH_ESC:
		con.esc = 4;
		return;
	default:
		if (c < ' ' || c > '~')
			return;                    /* other non-printables */
		if (con.len + 1 >= sizeof(con.line))
			return;                    /* full: ignore until Enter */
		con.line[con.len++] = (char)c;
		char ch = (char)c;
		con_write(&ch, 1);             /* echo */
	}
}

bool console_poll(uint32_t now_ms)
{
	bool worked = false;
	if (con.fg) {
		int c = board_console_getc();
		if (c >= 0 || !con.fg(con.fg_ctx, now_ms)) {
			con.fg = NULL;
			con_puts(CONSOLE_PROMPT);
		}
		return c >= 0;   /* a running task alone lets the loop sleep */
	}
	for (uint32_t i = 0; i < CONSOLE_RX_PER_POLL; i++) {
		int c = board_console_getc();
		if (c < 0)
			break;
		edit(c);
		worked = true;
		if (con.fg)
			break;   /* a command started a foreground task */
	}
	return worked;
}
