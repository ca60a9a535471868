/* The serial console: output helpers, the line editor, long outputs as row
 * streams, and foreground tasks.
 *
 * Output never stalls the network: the console only starts a command, a
 * foreground step or an output row when the board's TX ring has room for
 * what that step may print (CONSOLE_CMD_ROOM, CONSOLE_ROW_MAX), so a print
 * finds room at once and the main loop goes straight back to the MAC and
 * the timers.  Long outputs (ss, netstat -s, help...) are streams: one row
 * per call, a few rows per main-loop pass, only while the ring has room. */
#ifndef KEEL_CONSOLE_H
#define KEEL_CONSOLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_LINE_MAX 128
#define CONSOLE_PROMPT "keel> "
/* Most a command may print straight from its handler (longer: a stream). */
#define CONSOLE_CMD_ROOM 1024u
/* Most one stream row, or one foreground step, may print. */
#define CONSOLE_ROW_MAX 192u

/* Output: '\n' becomes "\r\n".  When the TX ring is full the caller waits
 * (bounded, CONSOLE_TX_WAIT_MS) for the UART to drain, then drops; the
 * room checks above make that wait a last resort. */
void con_write(const char *s, size_t len);
void con_puts(const char *s);
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Bytes the TX ring can take now. */
size_t con_room(void);

/* Prints the prompt; the main loop calls console_poll every iteration. */
void console_start(void);
/* Reads typed bytes (bounded per call), edits the line, runs commands,
 * advances a stream or the foreground task.  Returns true when it did work. */
bool console_poll(uint32_t now_ms);

/* A long output: fn prints row `row` (0, 1, 2...; at most CONSOLE_ROW_MAX
 * bytes; it may also print nothing for a row it skips) and returns true,
 * or returns false when there are no more rows.  Ctrl-C ends it early.
 * The prompt returns when it ends (unless a foreground task runs). */
typedef bool (*console_row_fn)(void *ctx, unsigned row);
void console_stream(console_row_fn fn, void *ctx);

/* A command that keeps running after it returns (watch, nc...) installs
 * a foreground task: called every main-loop iteration (when no stream runs
 * and the TX ring has CONSOLE_CMD_ROOM) until it returns false or a key is
 * typed (the key is swallowed; Ctrl-C prints ^C); then stop (if non-NULL)
 * is called with stopped_by_key, and the prompt returns. */
typedef bool (*console_fg_fn)(void *ctx, uint32_t now_ms);
typedef void (*console_stop_fn)(void *ctx, bool stopped_by_key);
void console_set_foreground(console_fg_fn fn, void *ctx);
void console_set_foreground_stop(console_fg_fn fn, console_stop_fn stop, void *ctx);

/* watch -d: from this call until the foreground task ends, every output
 * line is compared (by a 16-bit hash, line by line) with the same line of
 * the previous redraw and shown in reverse video when it changed.  Call at
 * the start of every redraw, before its header of `skip_lines` lines (not
 * compared); `first` on the first redraw (nothing to compare with). */
void console_diff_begin(bool first, unsigned skip_lines);

/* A line that is not a command's output (an address leased, lost...),
 * printed like a kernel message: on a line of its own above the prompt
 * and the line being typed.  Only while no command, stream or foreground
 * task runs and the TX ring has room; returns false when it could not
 * print now (the caller tries again later). */
bool console_notice(const char *line);

/* For `mem`. */
struct console_mem {
	uint16_t line_size, hist_size, hist_used, hist_entries, hist_max;
	uint16_t diff_lines;   /* line hashes kept for watch -d */
	uint32_t static_bytes; /* sizeof the console's state */
};
void console_mem(struct console_mem *m);
#endif
