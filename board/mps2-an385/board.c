/* ARM MPS2 with the AN385 FPGA image / QEMU mps2-an385: Cortex-M3 at
 * 25 MHz, 4 MiB code SSRAM, 4 MiB data SSRAM, CMSDK UART0 console,
 * LAN9118-compatible Ethernet (a LAN9220 on the board). */
#include <stddef.h>
#include <stdint.h>
#include "board.h"
#include "cortex_m.h"
#include "console_ring.h"
#include "seed.h"
#include "eth/lan9118.h"
#include "uart/uart.h"

#define BOARD_CPU_HZ     25000000u   /* SYSCLK, AN385 and QEMU mps2.c */
#define CONSOLE_BAUD     115200u

/* AN385 memory map and interrupts (AN385 §3.3, §3.4; QEMU mps2.c) */
#define UART0_BASE       0x40004000u
#define UART0_RX_IRQ     0u
#define UART0_TX_IRQ     1u
#define ETH_BASE         0x40200000u
#define ETH_IRQ          13u
#define AN385_NUM_IRQ    32u

static struct netdev *netdev;

static void uart0_irq(void) { console_uart_isr(); }

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".vectors"), used))
static const vector_fn vectors[16 + AN385_NUM_IRQ] = {
	CORTEX_M_SYSTEM_VECTORS,
	[16 ... 16 + AN385_NUM_IRQ - 1] = Unexpected_Handler,
	[16 + UART0_RX_IRQ] = uart0_irq,
	[16 + UART0_TX_IRQ] = uart0_irq,
	[16 + ETH_IRQ] = lan9118_isr,
};
#pragma GCC diagnostic pop

void board_init(void)
{
	systick_init(BOARD_CPU_HZ);
	uart_init(UART0_BASE, BOARD_CPU_HZ, CONSOLE_BAUD);
	nvic_enable_irq(UART0_RX_IRQ);
	nvic_enable_irq(UART0_TX_IRQ);

	/* Used only if the chip's EEPROM holds no address. */
	static const uint8_t fallback[6] = {0x02, 0x00, 0x6b, 0x65, 0x65, 0x6d};
	netdev = lan9118_init(ETH_BASE, fallback);
	if (netdev)
		nvic_enable_irq(ETH_IRQ);   /* after lan9118_init fixed IRQ polarity */
}

const char *board_name(void) { return "mps2-an385"; }
struct netdev *board_netdev(void) { return netdev; }

void board_seed(uint8_t seed[16])
{
	const uint8_t *m = netdev ? netdev->mac : (const uint8_t *)"\0\0\0\0\0\0";
	uint32_t words[5] = {
		(uint32_t)m[0] | (uint32_t)m[1] << 8 | (uint32_t)m[2] << 16 | (uint32_t)m[3] << 24,
		(uint32_t)m[4] | (uint32_t)m[5] << 8, board_millis(), SYST_CVR,
		lan9118_free_run()};
	seed_mix(seed, words, 5);
}
