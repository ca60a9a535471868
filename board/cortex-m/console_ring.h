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
};

void console_uart_isr(void);   /* the board's UART vector calls this */
size_t board_console_tx_room(void);
const struct console_stats *board_console_stats(void);
#endif
