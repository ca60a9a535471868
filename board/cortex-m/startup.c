/* Reset, default exception handlers and the fault dump, shared by every
 * Cortex-M3 board.  The vector table itself is the board's (its IRQs differ);
 * it starts with CORTEX_M_SYSTEM_VECTORS. */
#include <stdint.h>
#include <string.h>
#include "cortex_m.h"

/* linker.ld */
extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end;
extern uint32_t __ram_start;

int main(void);

void Reset_Handler(void)
{
	/* Word loops, not memcpy: nothing may run before .data and .bss exist. */
	const uint32_t *src = &__data_load;
	for (uint32_t *dst = &__data_start; dst < &__data_end;)
		*dst++ = *src++;
	for (uint32_t *dst = &__bss_start; dst < &__bss_end;)
		*dst++ = 0;
	/* Separate MemManage/BusFault/UsageFault handlers instead of everything
	 * escalating to HardFault; trap division by zero (the stack never
	 * divides by a value it did not check, so this catches bugs). */
	SCB_SHCSR |= SCB_SHCSR_MEMFAULTENA | SCB_SHCSR_BUSFAULTENA | SCB_SHCSR_USGFAULTENA;
	SCB_CCR |= SCB_CCR_DIV_0_TRP;
	(void)main();
	for (;;)
		cpu_wfi();
}

/* ---- fault dump: polled output, no interrupts, no rings, no formatter ---- */
static void fault_puts(const char *s)
{
	while (*s)
		board_fault_putc(*s++);
}

static void fault_hex(const char *name, uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	fault_puts(name);
	fault_puts(" 0x");
	for (int shift = 28; shift >= 0; shift -= 4)
		board_fault_putc(digits[(v >> shift) & 0xfu]);
	board_fault_putc('\n');
}

static const char *exception_name(uint32_t n)
{
	switch (n) {
	case 2: return "NMI";
	case 3: return "HardFault";
	case 4: return "MemManage";
	case 5: return "BusFault";
	case 6: return "UsageFault";
	case 11: return "SVCall";
	case 12: return "DebugMonitor";
	case 14: return "PendSV";
	case 15: return "SysTick";
	default: return n >= 16 ? "unexpected IRQ" : "reserved";
	}
}

/* Stacked exception frame (B1.5.6): r0-r3, r12, lr, pc, xpsr. */
enum { FR_R0, FR_R1, FR_R2, FR_R3, FR_R12, FR_LR, FR_PC, FR_XPSR, FR_WORDS };

void fault_report(const uint32_t *frame, uint32_t exc_return);
void fault_report(const uint32_t *frame, uint32_t exc_return)
{
	uint32_t ipsr;
	__asm volatile("mrs %0, ipsr" : "=r"(ipsr));
	ipsr &= 0x1ffu;
	fault_puts("\n*** FAULT: ");
	fault_puts(exception_name(ipsr));
	fault_hex(" exception", ipsr);
	/* A corrupt stack pointer must not fault us again while dumping. */
	uintptr_t f = (uintptr_t)frame;
	if (f >= (uintptr_t)&__ram_start &&
	    f + FR_WORDS * sizeof(uint32_t) <= (uintptr_t)&__stack_top && (f & 3u) == 0) {
		static const char *const names[FR_WORDS] = {
			"r0  ", "r1  ", "r2  ", "r3  ", "r12 ", "lr  ", "pc  ", "xpsr"};
		for (int i = 0; i < FR_WORDS; i++)
			fault_hex(names[i], frame[i]);
	} else {
		fault_hex("bad sp", (uint32_t)f);
	}
	fault_hex("exc_return", exc_return);
	fault_hex("CFSR", SCB_CFSR);
	fault_hex("HFSR", SCB_HFSR);
	fault_hex("MMFAR", SCB_MMFAR);
	fault_hex("BFAR", SCB_BFAR);
	fault_puts("*** halted\n");
	(void)irq_save();
	for (;;)
		cpu_wfi();
}

/* One entry for every fault: pick the stack that holds the frame
 * (EXC_RETURN bit 2) and hand it to fault_report. */
__attribute__((naked)) void HardFault_Handler(void)
{
	__asm volatile(
		"tst lr, #4\n\t"
		"ite eq\n\t"
		"mrseq r0, msp\n\t"
		"mrsne r0, psp\n\t"
		"mov r1, lr\n\t"
		"b fault_report\n\t");
}

void MemManage_Handler(void) __attribute__((alias("HardFault_Handler")));
void BusFault_Handler(void) __attribute__((alias("HardFault_Handler")));
void UsageFault_Handler(void) __attribute__((alias("HardFault_Handler")));
void NMI_Handler(void) __attribute__((alias("HardFault_Handler")));
void Unexpected_Handler(void) __attribute__((alias("HardFault_Handler")));
void SVC_Handler(void) __attribute__((alias("HardFault_Handler")));
void DebugMon_Handler(void) __attribute__((alias("HardFault_Handler")));
void PendSV_Handler(void) __attribute__((alias("HardFault_Handler")));
