/* The console: typed bytes arrive by interrupt into an RX ring, so input is
 * never lost while the main loop is busy with the network; output goes into
 * a TX ring that the UART interrupt drains, so printing never waits for the
 * wire.  Only the fault path and board_console_flush poll the UART. */
#include "board.h"
#include "cortex_m.h"
#include "console_ring.h"
#include "uart/uart.h"

#ifndef BOARD_CONSOLE_RX_RING
#define BOARD_CONSOLE_RX_RING 256u
#endif
#ifndef BOARD_CONSOLE_TX_RING
#define BOARD_CONSOLE_TX_RING 2048u
#endif
_Static_assert((BOARD_CONSOLE_RX_RING & (BOARD_CONSOLE_RX_RING - 1)) == 0, "RX ring: power of two");
_Static_assert((BOARD_CONSOLE_TX_RING & (BOARD_CONSOLE_TX_RING - 1)) == 0, "TX ring: power of two");
_Static_assert(BOARD_CONSOLE_RX_RING <= 32768u && BOARD_CONSOLE_TX_RING <= 32768u, "ring sizes fit the uint16_t stats");

/* Free-running indices; used = head - tail.  RX: ISR writes head, main
 * reads tail.  TX: main writes head, the drain (ISR or main with IRQs
 * masked) moves tail. */
static struct {
	uint8_t rx[BOARD_CONSOLE_RX_RING];
	uint8_t tx[BOARD_CONSOLE_TX_RING];
	volatile uint32_t rx_head, rx_tail, tx_head, tx_tail;
	struct console_stats stats;
} con;

/* Moves queued bytes into the UART while it has room.  Caller masks IRQs. */
static void tx_fill(void)
{
	for (;;) {
		while (con.tx_head != con.tx_tail && !uart_tx_full()) {
			uart_tx_put(con.tx[con.tx_tail & (BOARD_CONSOLE_TX_RING - 1)]);
			con.tx_tail++;
		}
		if (con.tx_head == con.tx_tail) {
			uart_tx_irq_enable(false);
			return;
		}
		/* Some UARTs (CMSDK) interrupt only on the full -> room edge:
		 * if the byte left before the enable, there is room now, so
		 * go round again instead of waiting for an edge that passed. */
		uart_tx_irq_enable(true);
		if (uart_tx_full())
			return;
	}
}

void console_uart_isr(void)
{
	uart_irq_ack();
	bool got = false;
	while (uart_rx_ready()) {
		uint8_t c = uart_rx_get();
		if (con.rx_head - con.rx_tail < BOARD_CONSOLE_RX_RING) {
			con.rx[con.rx_head & (BOARD_CONSOLE_RX_RING - 1)] = c;
			con.rx_head++;
			if (con.rx_head - con.rx_tail > con.stats.rx_hwm)
				con.stats.rx_hwm = (uint16_t)(con.rx_head - con.rx_tail);
		} else {
			con.stats.rx_ring_drops++;
		}
		got = true;
	}
	tx_fill();
	if (got)
		cortex_m_wake = 1;
}

int board_console_peekc(void)
{
	if (con.rx_head == con.rx_tail)
		return -1;
	return con.rx[con.rx_tail & (BOARD_CONSOLE_RX_RING - 1)];
}

int board_console_getc(void)
{
	if (con.rx_head == con.rx_tail)
		return -1;
	int c = con.rx[con.rx_tail & (BOARD_CONSOLE_RX_RING - 1)];
	con.rx_tail++;
	return c;
}

size_t board_console_write(const char *s, size_t len)
{
	size_t n = 0;
	uint32_t room = BOARD_CONSOLE_TX_RING - (con.tx_head - con.tx_tail);
	for (; n < len && n < room; n++)
		con.tx[(con.tx_head + n) & (BOARD_CONSOLE_TX_RING - 1)] = (uint8_t)s[n];
	con.tx_head += n;
	if (con.tx_head - con.tx_tail > con.stats.tx_hwm)
		con.stats.tx_hwm = (uint16_t)(con.tx_head - con.tx_tail);
	con.stats.tx_bytes += n;
	con.stats.tx_ring_drops += len - n;
	uint32_t saved = irq_save();
	tx_fill();
	irq_restore(saved);
	return n;
}

size_t board_console_tx_room(void)
{
	return BOARD_CONSOLE_TX_RING - (con.tx_head - con.tx_tail);
}

/* Polled drain for the banner and for callers that must see output leave
 * (reset, fault).  Bounded: a UART that never drains cannot hang us. */
void board_console_flush(void)
{
	uint32_t saved = irq_save();
	for (uint32_t spins = 0; con.tx_head != con.tx_tail && spins < 50000000u; spins++)
		tx_fill();
	for (uint32_t spins = 0; uart_tx_busy() && spins < 1000000u; spins++)
		;
	irq_restore(saved);
}

const struct console_stats *board_console_stats(void)
{
	con.stats.rx_hw_overruns = uart_rx_overruns();
	con.stats.tx_size = BOARD_CONSOLE_TX_RING;
	con.stats.rx_size = BOARD_CONSOLE_RX_RING;
	con.stats.tx_used = (uint16_t)(con.tx_head - con.tx_tail);
	con.stats.rx_used = (uint16_t)(con.rx_head - con.rx_tail);
	return &con.stats;
}

void board_fault_putc(char c)
{
	if (c == '\n')
		board_fault_putc('\r');
	for (uint32_t spins = 0; uart_tx_full() && spins < 1000000u; spins++)
		;
	uart_tx_put((uint8_t)c);
}
