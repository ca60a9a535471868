/* The clock: SysTick at 1 kHz from the core clock.  board_millis() is the
 * only time source the firmware has; the stack gets it passed in. */
#include "board.h"
#include "cortex_m.h"

static volatile uint32_t millis;
volatile uint32_t cortex_m_wake;
static volatile uint32_t ticked;   /* a SysTick since the last wait */

void systick_init(uint32_t core_hz)
{
	uint32_t reload = core_hz / 1000u - 1u;   /* 12.5 MHz -> 12499 */
	if (reload > SYST_RVR_MAX)
		reload = SYST_RVR_MAX;
	SYST_CSR = 0;
	SYST_RVR = reload;
	SYST_CVR = 0;
	SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
}

void SysTick_Handler(void)
{
	millis++;
	ticked = 1;   /* wakes board_wait_for_interrupt, not board_sleep_until */
}

uint32_t board_millis(void)
{
	return millis;   /* one aligned word: the read is atomic */
}

/* Sleeps until an interrupt unless one already came in since the last call:
 * PRIMASK is set while checking, and WFI still wakes on a pending IRQ. */
void board_wait_for_interrupt(void)
{
	uint32_t s = irq_save();
	if (!cortex_m_wake && !ticked)
		cpu_wfi();
	cortex_m_wake = 0;
	ticked = 0;
	irq_restore(s);
}

/* Sleeps through SysTicks until wake_ms or an interrupt that brings work
 * (frame, key).  Each SysTick wakes the core for its handler; the loop
 * then goes back to sleep at once. */
void board_sleep_until(uint32_t wake_ms)
{
	for (;;) {
		uint32_t s = irq_save();
		if (cortex_m_wake || (int32_t)(millis - wake_ms) >= 0) {
			cortex_m_wake = 0;
			ticked = 0;
			irq_restore(s);
			return;
		}
		cpu_wfi();        /* returns with the IRQ pending; it runs below */
		irq_restore(s);
	}
}

void board_reset(void)
{
	cpu_dsb();
	SCB_AIRCR = SCB_AIRCR_VECTKEY | SCB_AIRCR_SYSRESETREQ;
	cpu_dsb();
	for (;;)
		;
}
