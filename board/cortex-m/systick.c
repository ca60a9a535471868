/* The clock: SysTick at 1 kHz from the core clock.  board_millis() is the
 * only time source the firmware has; the stack gets it passed in. */
#include "board.h"
#include "cortex_m.h"

static volatile uint32_t millis;
volatile uint32_t cortex_m_wake;

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
	cortex_m_wake = 1;
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
	if (!cortex_m_wake)
		cpu_wfi();
	cortex_m_wake = 0;
	irq_restore(s);
}

void board_reset(void)
{
	cpu_dsb();
	SCB_AIRCR = SCB_AIRCR_VECTKEY | SCB_AIRCR_SYSRESETREQ;
	cpu_dsb();
	for (;;)
		;
}
