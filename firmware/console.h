/* The serial console: output helpers, the line editor and foreground tasks. */
#ifndef KEEL_CONSOLE_H
#define KEEL_CONSOLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_LINE_MAX 128
#define CONSOLE_PROMPT "keel> "

/* Output: '\n' becomes "\r\n".  When the TX ring is full the caller waits
 * (bounded, CONSOLE_TX_WAIT_MS) for the UART to drain, then drops. */
void con_write(const char *s, size_t len);
void con_puts(const char *s);
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the prompt; the main loop calls console_poll every iteration. */
void console_start(void);
/* Reads typed bytes (bounded per call), edits the line, runs commands.
 * Returns true when it did any work. */
bool console_poll(uint32_t now_ms);

/* A command that keeps running after it returns (watch, ping...) installs
 * a foreground task: called every main-loop iteration until it returns
 * false or a key is typed (the key is swallowed); then the prompt returns. */
typedef bool (*console_fg_fn)(void *ctx, uint32_t now_ms);
void console_set_foreground(console_fg_fn fn, void *ctx);
#endif
