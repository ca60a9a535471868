/* Console: output through the board's TX ring, a line editor over the RX
 * ring, dispatch to the registered commands, row streams and foreground
 * tasks (console.h says how output is kept from stalling the network).
 *
 * Line editor: printable ASCII, backspace/DEL, CR or LF (or CR LF) ends a
 * line, Ctrl-C or Ctrl-U drops it, ESC [ A / ESC [ B (and ESC O A/B) walk
 * the history of the last CONSOLE_HIST_MAX lines; other control bytes and
 * escape sequences are ignored. */
#include <stdarg.h>
#include <string.h>
#include "board.h"
#include "cmd.h"
#include "console.h"
#include "console_ring.h"
#include "fmt.h"

#define CONSOLE_TX_WAIT_MS 200u    /* longest a print waits for ring room */
#define CONSOLE_RX_PER_POLL 64u    /* typed bytes handled per main-loop pass */
#define CONSOLE_ROWS_PER_POLL 8u   /* stream rows per main-loop pass */
#define CONSOLE_HIST_BYTES 256u    /* history: packed NUL-terminated lines */
#define CONSOLE_HIST_MAX 8u        /* ... and at most this many */
#define CONSOLE_DIFF_LINES 48u     /* watch -d: lines compared */
#define CONSOLE_DIFF_COLS 100u     /* watch -d: longest line highlighted whole */
#define CONSOLE_ESC_MAX 8u         /* longest escape sequence parsed */
#define CH_CTRL_C 0x03
#define CH_BS 0x08
#define CH_CTRL_U 0x15
#define CH_ESC 0x1b
#define CH_DEL 0x7f
#define ANSI_REVERSE "\x1b[7m"
#define ANSI_NORMAL "\x1b[0m"
#define ANSI_ERASE_EOL "\x1b[K"

_Static_assert(CONSOLE_LINE_MAX <= 255, "line length fits uint8_t");
_Static_assert(CONSOLE_CMD_ROOM + CONSOLE_ROW_MAX <= 2048u, "room checks assume a 2 KiB TX ring");

enum esc_state { ESC_NONE, ESC_GOT, ESC_CSI };

static struct {
	char line[CONSOLE_LINE_MAX];
	uint8_t len;
	bool last_cr;            /* swallow the LF of a CR LF pair */
	uint32_t rx_lost;        /* typed bytes lost so far (RX ring full, UART overrun) */
	uint8_t esc, esc_n;      /* enum esc_state, bytes of the sequence so far */
	uint8_t hist_back;       /* 0: a new line; n: showing the n-th newest entry */
	uint16_t hist_used;
	char hist[CONSOLE_HIST_BYTES];
	console_row_fn row_fn;   /* the stream, if one runs */
	void *row_ctx;
	unsigned row;
	console_fg_fn fg;        /* the foreground task, if one runs */
	console_stop_fn fg_stop;
	void *fg_ctx;
	/* watch -d */
	bool diff_on, diff_show, diff_spilled;
	uint8_t diff_idx, diff_len, diff_skip;
	uint32_t diff_h;
	uint16_t diff_hash[CONSOLE_DIFF_LINES];
	char diff_buf[CONSOLE_DIFF_COLS];
} con;

/* Writes all of s to the TX ring, waiting for room a bounded time (also
 * when the ring takes nothing although it reported room). */
static void put_raw(const char *s, size_t len)
{
	uint32_t start = board_millis();
	size_t n = 1;
	while (len) {
		size_t room = n ? board_console_tx_room() : 0;
		if (room == 0) {
			if (board_millis() - start > CONSOLE_TX_WAIT_MS) {
				(void)board_console_write(s, len);   /* counted as drops */
				return;
			}
			board_wait_for_interrupt();
			n = 1;
			continue;
		}
		n = board_console_write(s, len < room ? len : room);
		s += n;
		len -= n;
	}
}

size_t con_room(void)
{
	return board_console_tx_room();
}

/* ---- watch -d: line-by-line change highlighting ---- */

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

static void diff_line_end(void)
{
	uint16_t h = (uint16_t)(con.diff_h ^ (con.diff_h >> 16));
	bool changed = false;
	if (con.diff_skip) {
		con.diff_skip--;   /* the header */
	} else if (con.diff_idx < CONSOLE_DIFF_LINES) {
		changed = con.diff_show && con.diff_hash[con.diff_idx] != h;
		con.diff_hash[con.diff_idx] = h;
		con.diff_idx++;
	}
	if (changed && !con.diff_spilled && con.diff_len) {
		put_raw(ANSI_REVERSE, sizeof(ANSI_REVERSE) - 1);
		put_raw(con.diff_buf, con.diff_len);
		put_raw(ANSI_NORMAL, sizeof(ANSI_NORMAL) - 1);
	} else {
		put_raw(con.diff_buf, con.diff_len);
	}
	put_raw("\r\n", 2);
	con.diff_len = 0;
	con.diff_spilled = false;
	con.diff_h = FNV_OFFSET;
}

static void diff_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			diff_line_end();
			continue;
		}
		con.diff_h = (con.diff_h ^ (uint8_t)s[i]) * FNV_PRIME;
		if (con.diff_len == sizeof(con.diff_buf)) {   /* too long: plain */
			put_raw(con.diff_buf, con.diff_len);
			con.diff_len = 0;
			con.diff_spilled = true;
		}
		con.diff_buf[con.diff_len++] = s[i];
	}
}

void console_diff_begin(bool first, unsigned skip_lines)
{
	if (con.diff_on && con.diff_len)
		put_raw(con.diff_buf, con.diff_len);   /* a redraw cut short */
	con.diff_on = true;
	con.diff_show = !first;
	con.diff_skip = (uint8_t)(skip_lines < 255u ? skip_lines : 255u);
	con.diff_idx = 0;
	con.diff_len = 0;
	con.diff_spilled = false;
	con.diff_h = FNV_OFFSET;
}

static void diff_end(void)
{
	if (con.diff_on && con.diff_len)
		put_raw(con.diff_buf, con.diff_len);
	con.diff_on = false;
	con.diff_len = 0;
}

/* ---- output ---- */

void con_write(const char *s, size_t len)
{
	if (con.diff_on) {
		diff_write(s, len);
		return;
	}
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

/* ---- commands ---- */

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

/* A command the typed word is a prefix of (or that is a prefix of it). */
static const struct cmd *cmd_guess(const char *word)
{
	size_t n = strlen(word);
	CMD_FOREACH(c) {
		size_t m = strlen(c->name);
		if (strncmp(c->name, word, n < m ? n : m) == 0)
			return c;
	}
	return NULL;
}

static void run_line(char *line)
{
	char *argv[CMD_ARGS_MAX];
	int argc = cmd_split(line, argv);
	if (argc == 0)
		return;
	const struct cmd *c = cmd_find(argv[0]);
	if (!c) {
		const struct cmd *g = cmd_guess(argv[0]);
		con_printf("unknown command '%s'; ", argv[0]);
		if (g)
			con_printf("did you mean '%s'? ", g->name);
		con_puts("try help\n");
		return;
	}
	(void)c->fn(argc, argv);
}

/* ---- history ---- */

static unsigned hist_count(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < con.hist_used; i++)
		n += con.hist[i] == '\0';
	return n;
}

/* back 1 is the newest entry; NULL when there is none that old. */
static const char *hist_entry(unsigned back)
{
	unsigned n = hist_count();
	if (back == 0 || back > n)
		return NULL;
	const char *p = con.hist;
	for (unsigned skip = n - back; skip; skip--)
		p += strlen(p) + 1;
	return p;
}

/* A line typed with a leading space is run but not remembered, as bash's
 * HISTCONTROL=ignorespace (the test rig's own setup commands use it). */
static void hist_add(const char *line, size_t len)
{
	if (len == 0 || line[0] == ' ' || len + 1 > sizeof(con.hist))
		return;
	const char *last = hist_entry(1);
	if (last && strcmp(last, line) == 0)
		return;
	while (con.hist_used &&
	       (con.hist_used + len + 1 > sizeof(con.hist) || hist_count() >= CONSOLE_HIST_MAX)) {
		size_t first = strlen(con.hist) + 1;   /* drop the oldest */
		memmove(con.hist, con.hist + first, con.hist_used - first);
		con.hist_used = (uint16_t)(con.hist_used - first);
	}
	memcpy(con.hist + con.hist_used, line, len + 1);
	con.hist_used = (uint16_t)(con.hist_used + len + 1);
}

/* Replaces the line being edited with history entry `back` (0: empty). */
static void hist_show(unsigned back)
{
	const char *e = back ? hist_entry(back) : "";
	if (!e)
		return;
	size_t n = strlen(e);
	if (n >= sizeof(con.line))
		n = sizeof(con.line) - 1;
	memcpy(con.line, e, n);
	con.len = (uint8_t)n;
	con.hist_back = (uint8_t)back;
	con_puts("\r" CONSOLE_PROMPT);
	con_write(con.line, con.len);
	con_puts(ANSI_ERASE_EOL);
}

/* ---- tasks ---- */

void console_start(void)
{
	const struct console_stats *cs = board_console_stats();
	con.rx_lost = cs->rx_ring_drops + cs->rx_hw_overruns;   /* lost before: not this line's */
	con.len = 0;
	con.hist_back = 0;
	con_puts(CONSOLE_PROMPT);
}

bool console_notice(const char *line)
{
	if (con.row_fn || con.fg || con_room() < CONSOLE_ROW_MAX + CONSOLE_LINE_MAX)
		return false;
	con_puts("\r" ANSI_ERASE_EOL);
	con_puts(line);
	con_puts("\n" CONSOLE_PROMPT);
	con_write(con.line, con.len);
	return true;
}

void console_stream(console_row_fn fn, void *ctx)
{
	con.row_fn = fn;
	con.row_ctx = ctx;
	con.row = 0;
}

void console_set_foreground_stop(console_fg_fn fn, console_stop_fn stop, void *ctx)
{
	con.fg = fn;
	con.fg_stop = fn ? stop : NULL;
	con.fg_ctx = ctx;
}

void console_set_foreground(console_fg_fn fn, void *ctx)
{
	console_set_foreground_stop(fn, NULL, ctx);
}

/* Ends the stream and the foreground task. */
static void end_tasks(bool by_key)
{
	console_stop_fn stop = con.fg ? con.fg_stop : NULL;
	void *ctx = con.fg_ctx;
	con.row_fn = NULL;
	con.fg = NULL;
	con.fg_stop = NULL;
	diff_end();
	if (stop)
		stop(ctx, by_key);
}

void console_mem(struct console_mem *m)
{
	m->line_size = sizeof(con.line);
	m->hist_size = sizeof(con.hist);
	m->hist_used = con.hist_used;
	m->hist_entries = (uint16_t)hist_count();
	m->hist_max = CONSOLE_HIST_MAX;
	m->diff_lines = CONSOLE_DIFF_LINES;
	m->static_bytes = sizeof(con);
}

/* ---- line editor ---- */

static void escape(int c)
{
	if (con.esc == ESC_GOT) {
		con.esc = (c == '[' || c == 'O') ? ESC_CSI : ESC_NONE;
		return;
	}
	/* CSI: parameter and intermediate bytes, then a final byte @..~ */
	if (c >= '@' && c <= '~') {
		con.esc = ESC_NONE;
		if (c == 'A')
			hist_show(con.hist_back + 1u);
		else if (c == 'B' && con.hist_back)
			hist_show(con.hist_back - 1u);
		return;
	}
	if (++con.esc_n > CONSOLE_ESC_MAX || c < ' ' || c > '?')
		con.esc = ESC_NONE;   /* not a sequence we know: drop it */
}

static void edit(int c)
{
	if (con.esc != ESC_NONE) {
		escape(c);
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
		hist_add(con.line, con.len);
		con.hist_back = 0;
		run_line(con.line);
		con.len = 0;
		if (!con.fg && !con.row_fn)
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
		con.hist_back = 0;
		con_puts("^C\n" CONSOLE_PROMPT);
		return;
	case CH_ESC:
		con.esc = ESC_GOT;
		con.esc_n = 0;
		return;
	default:
		if (c < ' ' || c > '~')
			return;                    /* other non-printables */
		if (con.len + 1u >= sizeof(con.line))
			return;                    /* full: ignore until Enter */
		con.line[con.len++] = (char)c;
		char ch = (char)c;
		con_write(&ch, 1);             /* echo */
	}
}

/* A stream or a foreground task runs.  Ctrl-C ends both; any other key
 * ends a foreground task; while only a stream runs, other keys wait in
 * the RX ring (type-ahead) until it is done. */
static bool poll_busy(uint32_t now_ms)
{
	int c = board_console_peekc();
	if (c == CH_CTRL_C || (c >= 0 && con.fg)) {
		(void)board_console_getc();
		end_tasks(true);
		con_puts(c == CH_CTRL_C ? "^C\n" CONSOLE_PROMPT : "\n" CONSOLE_PROMPT);
		return true;
	}
	if (con.row_fn) {
		bool worked = false;
		for (unsigned i = 0; i < CONSOLE_ROWS_PER_POLL && con.row_fn; i++) {
			if (con_room() < CONSOLE_ROW_MAX)
				break;   /* the UART interrupt wakes the loop as it drains */
			worked = true;
			if (!con.row_fn(con.row_ctx, con.row++)) {
				con.row_fn = NULL;
				if (!con.fg)
					con_puts(CONSOLE_PROMPT);
			}
		}
		return worked;
	}
	if (con_room() < CONSOLE_CMD_ROOM)
		return false;
	if (!con.fg(con.fg_ctx, now_ms)) {
		end_tasks(false);
		con_puts(CONSOLE_PROMPT);
	}
	return false;   /* a running task alone lets the loop sleep */
}

/* Typed bytes were lost (the RX ring was full, or the UART overran before
 * its interrupt ran): the line being typed is not what was typed, and its
 * Enter may be among the lost bytes.  Once what did arrive is read, the
 * line is dropped, never run, and a fresh prompt says so. */
static bool drop_overrun_line(void)
{
	const struct console_stats *cs = board_console_stats();
	uint32_t lost = cs->rx_ring_drops + cs->rx_hw_overruns;
	if (lost == con.rx_lost || board_console_peekc() >= 0 || con_room() < CONSOLE_CMD_ROOM)
		return false;
	con.rx_lost = lost;
	con.len = 0;
	con.hist_back = 0;
	con.esc = ESC_NONE;
	con_puts("\ninput overrun: line dropped\n" CONSOLE_PROMPT);
	return true;
}

bool console_poll(uint32_t now_ms)
{
	if (con.row_fn || con.fg)
		return poll_busy(now_ms);
	bool worked = drop_overrun_line();
	for (uint32_t i = 0; i < CONSOLE_RX_PER_POLL; i++) {
		int c = board_console_peekc();
		if (c < 0)
			break;
		/* A command runs only when its output fits the ring at once;
		 * until then the line waits and the network goes on. */
		if ((c == '\r' || c == '\n') ? con_room() < CONSOLE_CMD_ROOM
					     : con_room() < CONSOLE_LINE_MAX)
			break;
		(void)board_console_getc();
		edit(c);
		worked = true;
		if (con.fg || con.row_fn)
			break;   /* a command started a stream or a foreground task */
	}
	return worked;
}
