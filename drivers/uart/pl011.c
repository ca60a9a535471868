/* ARM PrimeCell UART (PL011), as on the LM3S6965 (UART0 at 0x4000C000).
 * Register and bit names from the PL011 TRM (DDI 0183) and the LM3S6965
 * datasheet, which calls the same block UARTn.
 *
 * QEMU (hw/char/pl011.c, "pl011_luminary"): a byte written to UARTDR goes
 * to the chardev at once, so TXFF never sets; every write raises the TX
 * interrupt until UARTICR clears it.  IFLS is ignored: the RX interrupt
 * fires on the first byte.  Real hardware raises TX when the FIFO drains
 * below the IFLS level and needs the receive timeout (RT) for short input,
 * so both are enabled here. */
#include "uart/uart.h"

#define UARTDR        0x000u
#define UARTDR_OE     (1u << 11)   /* overrun: a byte was lost */
#define UARTDR_DATA   0xFFu
#define UARTRSR       0x004u       /* read: status, write: clear (UARTECR) */
#define UARTFR        0x018u
#define UARTFR_BUSY   (1u << 3)
#define UARTFR_RXFE   (1u << 4)
#define UARTFR_TXFF   (1u << 5)
#define UARTIBRD      0x024u
#define UARTFBRD      0x028u
#define UARTLCRH      0x02Cu
#define UARTLCRH_FEN  (1u << 4)
#define UARTLCRH_WLEN_8 (3u << 5)
#define UARTCTL       0x030u
#define UARTCTL_UARTEN (1u << 0)
#define UARTCTL_TXE   (1u << 8)
#define UARTCTL_RXE   (1u << 9)
#define UARTIFLS      0x034u
#define UARTIFLS_RX_1_8 (0u << 3)
#define UARTIFLS_TX_1_8 (0u << 0)
#define UARTIM        0x038u
#define UARTIM_RXIM   (1u << 4)
#define UARTIM_TXIM   (1u << 5)
#define UARTIM_RTIM   (1u << 6)
#define UARTIM_OEIM   (1u << 10)
#define UARTRIS       0x03Cu
#define UARTMIS       0x040u
#define UARTICR       0x044u
#define UARTICR_ALL   0x7FFu
#define FBRD_BITS     6u           /* the fractional divisor is in 1/64 */

static uintptr_t uart_base;
static uint32_t overruns;

static inline volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(uart_base + off);
}

void uart_init(uintptr_t base, uint32_t clk_hz, uint32_t baud)
{
	uart_base = base;
	*reg(UARTCTL) = 0;
	/* BRD = clk / (16 * baud), in 1/64ths and rounded. */
	uint32_t div64 = (clk_hz * 4u + baud / 2u) / baud;
	*reg(UARTIBRD) = div64 >> FBRD_BITS;
	*reg(UARTFBRD) = div64 & ((1u << FBRD_BITS) - 1u);
	*reg(UARTLCRH) = UARTLCRH_WLEN_8 | UARTLCRH_FEN;   /* written after the divisors */
	*reg(UARTIFLS) = UARTIFLS_RX_1_8 | UARTIFLS_TX_1_8;
	*reg(UARTICR) = UARTICR_ALL;
	*reg(UARTIM) = UARTIM_RXIM | UARTIM_RTIM | UARTIM_OEIM;
	*reg(UARTCTL) = UARTCTL_UARTEN | UARTCTL_TXE | UARTCTL_RXE;
}

bool uart_tx_full(void) { return (*reg(UARTFR) & UARTFR_TXFF) != 0; }
void uart_tx_put(uint8_t c) { *reg(UARTDR) = c; }
bool uart_tx_busy(void) { return (*reg(UARTFR) & UARTFR_BUSY) != 0; }
bool uart_rx_ready(void) { return (*reg(UARTFR) & UARTFR_RXFE) == 0; }

uint8_t uart_rx_get(void)
{
	uint32_t dr = *reg(UARTDR);
	if (dr & UARTDR_OE) {
		overruns++;
		*reg(UARTRSR) = 0;   /* UARTECR: clear the error flags */
	}
	return (uint8_t)(dr & UARTDR_DATA);
}

void uart_tx_irq_enable(bool on)
{
	uint32_t im = *reg(UARTIM);
	*reg(UARTIM) = on ? (im | UARTIM_TXIM) : (im & ~UARTIM_TXIM);
}

void uart_irq_ack(void)
{
	*reg(UARTICR) = *reg(UARTMIS);
}

uint32_t uart_rx_overruns(void) { return overruns; }
