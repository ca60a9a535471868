/* Console internals a board's UART vector and the firmware may use beyond
 * board.h. */
#ifndef KEEL_CONSOLE_RING_H
#define KEEL_CONSOLE_RING_H
#include <stddef.h>
#include <stdint.h>

struct console_stats {
	uint32_t tx_bytes;
	uint32_t tx_ring_drops;   /* bytes refused because the TX ring was full */
	uint32_t rx_ring_drops;   /* typed bytes lost: RX ring full */
	uint32_t rx_hw_overruns;  /* bytes the UART lost before the ISR ran */
	uint16_t tx_size, rx_size; /* ring sizes, bytes */
	uint16_t tx_used, rx_used; /* bytes queued now */
	uint16_t tx_hwm, rx_hwm;   /* most bytes ever queued */
};

void console_uart_isr(void);   /* the board's UART vector calls this */
size_t board_console_tx_room(void);
/* The next typed byte without taking it, -1 if none (the console looks
 * for Ctrl-C while it leaves type-ahead in the ring). */
int board_console_peekc(void);
const struct console_stats *board_console_stats(void);
#endif
