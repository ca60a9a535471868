/* Host firmware tests: a board whose console is two byte buffers (what was
 * typed, what was printed), a clock the test sets, and one stack instance
 * on a wire that drops every frame. */
#ifndef KEEL_TEST_FAKE_BOARD_H
#define KEEL_TEST_FAKE_BOARD_H
#include <stddef.h>
#include <stdint.h>

#define FAKE_CONSOLE_OUT_MAX 8192

/* Fresh console buffers, clock at 0, a fresh stack at 192.0.2.2/24. */
void fake_board_reset(void);
/* Queues typed bytes for board_console_getc. */
void fake_board_type(const char *s);
/* Everything printed since the last call, NUL-terminated; then clears it. */
const char *fake_board_output(void);
void fake_board_set_millis(uint32_t ms);
/* Counts n typed bytes as lost in the RX ring (the ring was full). */
void fake_board_rx_lost(uint32_t n);
#endif
