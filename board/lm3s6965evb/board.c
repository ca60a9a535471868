/* EK-LM3S6965 / QEMU lm3s6965evb: Cortex-M3, 256 KiB flash, 64 KiB SRAM,
 * UART0 (PL011) console, Stellaris Ethernet MAC. */
#include <stddef.h>
#include <stdint.h>
#include "board.h"
#include "cortex_m.h"
#include "console_ring.h"
#include "seed.h"
#include "eth/stellaris_enet.h"
#include "uart/uart.h"

/* The core clock as left by reset.  QEMU derives it from RCC.SYSDIV alone:
 * 200 MHz / (SYSDIV + 1) = 200 / 16 = 12.5 MHz, so SysTick reloads 12499.
 * Silicon at reset runs from the internal oscillator (12 MHz +-30%); a
 * PLL setup (8 MHz crystal, SYSDIV 3 -> 50 MHz) is the follow-up for real
 * boards and would read 50 MHz in QEMU too. */
#define BOARD_CPU_HZ     12500000u
#define CONSOLE_BAUD     115200u

/* System control (datasheet chapter 6) */
#define SYSCTL_BASE      0x400FE000u
#define SYSCTL_RCGC1     REG32(SYSCTL_BASE + 0x104u)
#define SYSCTL_RCGC1_UART0 (1u << 0)
#define SYSCTL_RCGC2     REG32(SYSCTL_BASE + 0x108u)
#define SYSCTL_RCGC2_GPIOA (1u << 0)
#define SYSCTL_RCGC2_EMAC0 (1u << 28)
#define SYSCTL_RCGC2_EPHY0 (1u << 30)
#define SYSCTL_USER0     REG32(SYSCTL_BASE + 0x1E0u)   /* MAC bytes 0-2 (TI-programmed) */
#define SYSCTL_USER1     REG32(SYSCTL_BASE + 0x1E4u)   /* MAC bytes 3-5 */
#define SYSCTL_USER_UNSET 0xFFFFFFFFu

/* GPIO port A: PA0 = U0Rx, PA1 = U0Tx (datasheet chapter 8) */
#define GPIOA_BASE       0x40004000u
#define GPIOA_AFSEL      REG32(GPIOA_BASE + 0x420u)
#define GPIOA_DEN        REG32(GPIOA_BASE + 0x51Cu)
#define GPIO_PIN_0       (1u << 0)
#define GPIO_PIN_1       (1u << 1)

#define UART0_BASE       0x4000C000u
#define UART0_IRQ        5u
#define ETH_BASE         0x40048000u
#define LM3S6965_NUM_IRQ 44u

static struct netdev *netdev;

static void uart0_irq(void) { console_uart_isr(); }

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".vectors"), used))
static const vector_fn vectors[16 + LM3S6965_NUM_IRQ] = {
	CORTEX_M_SYSTEM_VECTORS,
	[16 ... 16 + LM3S6965_NUM_IRQ - 1] = Unexpected_Handler,
	[16 + UART0_IRQ] = uart0_irq,
	[16 + STELLARIS_ENET_IRQ] = stellaris_enet_isr,
};
#pragma GCC diagnostic pop

/* The MAC TI programs into USER0/USER1 (QEMU copies -nic mac= there and
 * into MACIA0/1); a locally administered one if the flash is blank. */
static void board_mac(uint8_t mac[6])
{
	uint32_t u0 = SYSCTL_USER0, u1 = SYSCTL_USER1;
	if (u0 != SYSCTL_USER_UNSET && u1 != SYSCTL_USER_UNSET && (u0 | u1) != 0) {
		mac[0] = (uint8_t)u0;
		mac[1] = (uint8_t)(u0 >> 8);
		mac[2] = (uint8_t)(u0 >> 16);
		mac[3] = (uint8_t)u1;
		mac[4] = (uint8_t)(u1 >> 8);
		mac[5] = (uint8_t)(u1 >> 16);
		return;
	}
	stellaris_enet_read_mac(ETH_BASE, mac);
	if ((mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0) {
		static const uint8_t fallback[6] = {0x02, 0x00, 0x6b, 0x65, 0x65, 0x6c};
		for (int i = 0; i < 6; i++)
			mac[i] = fallback[i];
	}
}

void board_init(void)
{
	SYSCTL_RCGC1 |= SYSCTL_RCGC1_UART0;
	SYSCTL_RCGC2 |= SYSCTL_RCGC2_GPIOA | SYSCTL_RCGC2_EMAC0 | SYSCTL_RCGC2_EPHY0;
	(void)SYSCTL_RCGC2;   /* a few cycles before the peripherals are touched */
	GPIOA_AFSEL |= GPIO_PIN_0 | GPIO_PIN_1;
	GPIOA_DEN |= GPIO_PIN_0 | GPIO_PIN_1;

	systick_init(BOARD_CPU_HZ);
	uart_init(UART0_BASE, BOARD_CPU_HZ, CONSOLE_BAUD);
	nvic_enable_irq(UART0_IRQ);

	uint8_t mac[6];
	board_mac(mac);
	netdev = stellaris_enet_init(ETH_BASE, mac);
}

const char *board_name(void) { return "lm3s6965evb"; }
struct netdev *board_netdev(void) { return netdev; }

void board_seed(uint8_t seed[16])
{
	uint32_t words[4] = {SYSCTL_USER0, SYSCTL_USER1, board_millis(), SYST_CVR};
	seed_mix(seed, words, 4);
}
