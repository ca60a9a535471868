/* Cortex-M3 core registers (ARMv7-M ARM, B3.2 System Control Space) and the
 * few intrinsics keel needs.  Shared by every board. */
#ifndef KEEL_CORTEX_M_H
#define KEEL_CORTEX_M_H
#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* SysTick (B3.3) */
#define SYST_CSR            REG32(0xE000E010u)
#define SYST_CSR_ENABLE     (1u << 0)
#define SYST_CSR_TICKINT    (1u << 1)
#define SYST_CSR_CLKSOURCE  (1u << 2)   /* 1 = processor clock */
#define SYST_CSR_COUNTFLAG  (1u << 16)
#define SYST_RVR            REG32(0xE000E014u)
#define SYST_CVR            REG32(0xE000E018u)
#define SYST_RVR_MAX        0x00FFFFFFu

/* NVIC (B3.4) */
#define NVIC_ISER(n)        REG32(0xE000E100u + 4u * (n))
#define NVIC_ICER(n)        REG32(0xE000E180u + 4u * (n))
#define NVIC_ICPR(n)        REG32(0xE000E280u + 4u * (n))

/* System Control Block (B3.2.2) */
#define SCB_ICSR            REG32(0xE000ED04u)
#define SCB_VTOR            REG32(0xE000ED08u)
#define SCB_AIRCR           REG32(0xE000ED0Cu)
#define SCB_AIRCR_VECTKEY   (0x05FAu << 16)
#define SCB_AIRCR_SYSRESETREQ (1u << 2)
#define SCB_CCR             REG32(0xE000ED14u)
#define SCB_CCR_DIV_0_TRP   (1u << 4)
#define SCB_SHCSR           REG32(0xE000ED24u)
#define SCB_SHCSR_MEMFAULTENA (1u << 16)
#define SCB_SHCSR_BUSFAULTENA (1u << 17)
#define SCB_SHCSR_USGFAULTENA (1u << 18)
#define SCB_CFSR            REG32(0xE000ED28u)
#define SCB_HFSR            REG32(0xE000ED2Cu)
#define SCB_MMFAR           REG32(0xE000ED34u)
#define SCB_BFAR            REG32(0xE000ED38u)

static inline void nvic_enable_irq(unsigned irq)
{
	NVIC_ICPR(irq / 32u) = 1u << (irq % 32u);
	NVIC_ISER(irq / 32u) = 1u << (irq % 32u);
}

static inline void nvic_disable_irq(unsigned irq)
{
	NVIC_ICER(irq / 32u) = 1u << (irq % 32u);
}

static inline uint32_t irq_save(void)
{
	uint32_t primask;
	__asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
	return primask;
}

static inline void irq_restore(uint32_t primask)
{
	__asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

static inline void cpu_wfi(void) { __asm volatile("wfi" ::: "memory"); }
static inline void cpu_dsb(void) { __asm volatile("dsb" ::: "memory"); }

/* Exception handler type and the first 16 entries every board's vector
 * table starts with (B1.5.2).  A board appends its own IRQs. */
typedef void (*vector_fn)(void);
extern uint32_t __stack_top;  /* linker.ld */
void Reset_Handler(void);
void NMI_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);
void SVC_Handler(void);
void DebugMon_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);
void Unexpected_Handler(void);   /* any IRQ the board did not claim */

#define CORTEX_M_SYSTEM_VECTORS                          \
	[0] = (vector_fn)(uintptr_t)&__stack_top,        \
	[1] = Reset_Handler,                             \
	[2] = NMI_Handler,                               \
	[3] = HardFault_Handler,                         \
	[4] = MemManage_Handler,                         \
	[5] = BusFault_Handler,                          \
	[6] = UsageFault_Handler,                        \
	[7 ... 10] = 0,                                  \
	[11] = SVC_Handler,                              \
	[12] = DebugMon_Handler,                         \
	[13] = 0,                                        \
	[14] = PendSV_Handler,                           \
	[15] = SysTick_Handler

/* --- what the shared code needs from the board / drivers --- */
/* SysTick at 1 kHz from the core clock. */
void systick_init(uint32_t core_hz);
/* Set by every interrupt that may make work for the main loop; cleared by
 * board_wait_for_interrupt and board_sleep_until (SysTick does not set
 * it: it brings no work).  Prevents sleeping through an event that came
 * in after the main loop looked. */
extern volatile uint32_t cortex_m_wake;
/* The fault path writes one byte without interrupts (the board's UART). */
void board_fault_putc(char c);
#endif
