/* ARM CMSDK APB UART (Cortex-M System Design Kit TRM, DDI 0479), as on the
 * MPS2 AN385 (UART0 at 0x40004000, RX IRQ 0, TX IRQ 1).  One byte of
 * buffer each way, no FIFO.
 *
 * QEMU (hw/char/cmsdk-apb-uart.c): TX is ignored until BAUDDIV >= 16; a
 * byte written to DATA is passed to the chardev at once, so TXFULL clears
 * immediately and, with TXINTEN set, INTSTATUS.TX latches until cleared by
 * writing 1.  A byte only arrives when RXFULL is clear (QEMU holds the
 * rest), so the RX interrupt comes once per byte and overruns do not
 * happen under emulation; on silicon they can, and are counted. */
#include "uart/uart.h"

#define DATA          0x000u
#define STATE         0x004u
#define STATE_TXFULL  (1u << 0)
#define STATE_RXFULL  (1u << 1)
#define STATE_TXOVERRUN (1u << 2)
#define STATE_RXOVERRUN (1u << 3)
#define CTRL          0x008u
#define CTRL_TXEN     (1u << 0)
#define CTRL_RXEN     (1u << 1)
#define CTRL_TXINTEN  (1u << 2)
#define CTRL_RXINTEN  (1u << 3)
#define INTSTATUS     0x00Cu     /* read: status, write 1: clear (INTCLEAR) */
#define INTSTATUS_TX  (1u << 0)
#define INTSTATUS_RX  (1u << 1)
#define INTSTATUS_TXOVERRUN (1u << 2)
#define INTSTATUS_RXOVERRUN (1u << 3)
#define BAUDDIV       0x010u
#define BAUDDIV_MIN   16u

static uintptr_t uart_base;
static uint32_t overruns;

static inline volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(uart_base + off);
}

void uart_init(uintptr_t base, uint32_t clk_hz, uint32_t baud)
{
	uart_base = base;
	*reg(CTRL) = 0;
	uint32_t div = clk_hz / baud;
	*reg(BAUDDIV) = div < BAUDDIV_MIN ? BAUDDIV_MIN : div;
	*reg(STATE) = STATE_TXOVERRUN | STATE_RXOVERRUN;
	*reg(INTSTATUS) = INTSTATUS_TX | INTSTATUS_RX | INTSTATUS_TXOVERRUN | INTSTATUS_RXOVERRUN;
	*reg(CTRL) = CTRL_TXEN | CTRL_RXEN | CTRL_RXINTEN;
}

bool uart_tx_full(void) { return (*reg(STATE) & STATE_TXFULL) != 0; }
void uart_tx_put(uint8_t c) { *reg(DATA) = c; }
bool uart_tx_busy(void) { return uart_tx_full(); }   /* no shift-register status */
bool uart_rx_ready(void) { return (*reg(STATE) & STATE_RXFULL) != 0; }

uint8_t uart_rx_get(void)
{
	if (*reg(STATE) & STATE_RXOVERRUN) {
		overruns++;
		*reg(STATE) = STATE_RXOVERRUN;   /* write 1 to clear */
	}
	return (uint8_t)*reg(DATA);
}

void uart_tx_irq_enable(bool on)
{
	uint32_t ctrl = *reg(CTRL);
	*reg(CTRL) = on ? (ctrl | CTRL_TXINTEN) : (ctrl & ~CTRL_TXINTEN);
}

void uart_irq_ack(void)
{
	*reg(INTSTATUS) = INTSTATUS_TX | INTSTATUS_RX;
}

uint32_t uart_rx_overruns(void) { return overruns; }
