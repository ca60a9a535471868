/* Where the stack's instructions are counted.  On the host (icount.mk):
 * callgrind's client requests (no-ops without valgrind), the counts read
 * from its dumps.  On the Cortex-M target (icount_target.mk, -DKEEL_ICOUNT_TARGET):
 * target.c accumulates SysTick ticks over the same intervals while QEMU
 * runs with -icount (virtual time = instructions executed x 2^shift ns),
 * and each phase prints its ticks; bench/icount_arm.py turns them into
 * instructions with a calibration loop of known length. */
#ifndef KEEL_ICOUNT_COUNT_H
#define KEEL_ICOUNT_COUNT_H
#include <stdint.h>

/* The output line (stdout on the host, the UART on the target). */
void count_out(const char *s);
/* The phases (icount_main.c); main() is host.c's or target.c's. */
int icount_main(int argc, char **argv);

#ifdef KEEL_ICOUNT_TARGET
void count_toggle(void);              /* starts or stops one interval */
void count_zero(void);
uint64_t count_ticks(void);           /* SysTick ticks counted since count_zero */
uint32_t count_intervals(void);       /* intervals counted since count_zero */
#define COUNT_TOGGLE() count_toggle()
#define COUNT_ZERO() count_zero()
#define COUNT_DUMP(name) ((void)0)
#else
#include <valgrind/callgrind.h>
#define COUNT_TOGGLE() CALLGRIND_TOGGLE_COLLECT
#define COUNT_ZERO() CALLGRIND_ZERO_STATS
#define COUNT_DUMP(name) CALLGRIND_DUMP_STATS_AT(name)
static inline uint64_t count_ticks(void) { return 0; }
static inline uint32_t count_intervals(void) { return 0; }
#endif
#endif
